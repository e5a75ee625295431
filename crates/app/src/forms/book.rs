//! The tracking book of a desk (sổ theo dõi hồ sơ): whole, or a page of it on screen.

use std::collections::HashMap;

use chrono::{Datelike, NaiveDate};
use motcua_domain::dossier::record::FormSet;
use motcua_domain::ids::ProcedureCode;
use motcua_print::Doc;

use super::Ctx;
use crate::{Actor, App, AppError, AppResult};

/// A tracking book's period: at most 63 days, the last not before the first.
const BOOK_MAX_DAYS: i64 = 62;
/// Rows of a page of the tracking book on screen.
pub const BOOK_PAGE_ROWS: u32 = 100;

/// A tracking book, or a page of it.
pub struct BookForm {
    pub doc: Doc,
    /// For the file's name.
    pub title: String,
    /// The page shown (`None`: the whole book) and how many pages of [`BOOK_PAGE_ROWS`] it has.
    pub page: Option<u32>,
    pub pages: u32,
}

impl App {
    /// The tracking book of a desk over a period (default: this month up to today), whole or its
    /// `page` of [`BOOK_PAGE_ROWS`] rows (numbered as in the whole book).
    pub async fn desk_book_form(
        &self,
        actor: &Actor,
        desk: &str,
        from: Option<&str>,
        to: Option<&str>,
        page: Option<u32>,
    ) -> AppResult<BookForm> {
        let today = self.today();
        let parse = |v: Option<&str>, field: &'static str, default: NaiveDate| -> AppResult<NaiveDate> {
            match v.filter(|v| !v.is_empty()) {
                None => Ok(default),
                Some(v) => crate::calendar::parse_date(v, field),
            }
        };
        let from = parse(from, "from", today.with_day(1).unwrap_or(today))?;
        let to = parse(to, "to", today)?;
        if to < from || (to - from).num_days() > BOOK_MAX_DAYS {
            return Err(AppError::invalid(
                "invalid_period",
                "to",
                "Khoảng thời gian của sổ phải từ 1 đến 63 ngày, ngày cuối không trước ngày đầu",
            ));
        }
        if page == Some(0) {
            return Err(AppError::invalid("invalid_page", "page", "Số trang bắt đầu từ 1"));
        }
        let window = match page {
            None => motcua_storage::BookWindow::default(),
            Some(p) => motcua_storage::BookWindow {
                offset: u64::from(p - 1) * u64::from(BOOK_PAGE_ROWS),
                limit: Some(u64::from(BOOK_PAGE_ROWS)),
            },
        };
        let (desk, records, total) = self.desk_book(actor, desk, from, to, window).await?;
        let mut ctxs = Vec::with_capacity(records.len());
        // A month of a busy desk is thousands of rows over a few procedures: each name once.
        let mut names: HashMap<(ProcedureCode, u32), String> = HashMap::new();
        for (d, events) in records {
            let key = (d.procedure.clone(), d.procedure_number);
            let procedure_name = match names.get(&key) {
                Some(n) => n.clone(),
                None => {
                    let n = self.version_name(&d.procedure, d.procedure_number).await?;
                    names.insert(key, n.clone());
                    n
                }
            };
            ctxs.push(Ctx { procedure_name, desk_name: String::new(), events, public_url: String::new(), d });
        }
        let set = ctxs.first().map(|c| c.d.form_set).unwrap_or(if today >= self.config.forms_tt03_from {
            FormSet::Tt03_2025
        } else {
            FormSet::Tt01_2018
        });
        let mut doc = self.book_doc(&desk, set, &ctxs, window.offset + 1, total).await?;
        let pages = u32::try_from(total.div_ceil(u64::from(BOOK_PAGE_ROWS))).unwrap_or(u32::MAX).max(1);
        let mut subtitle = format!("Từ ngày {} đến ngày {}", from.format("%d/%m/%Y"), to.format("%d/%m/%Y"));
        if let Some(p) = page {
            subtitle.push_str(&format!(" — trang {p}/{pages}"));
        }
        doc.subtitle = Some(subtitle);
        Ok(BookForm { doc, title: format!("So theo doi {desk} {from} {to}"), page, pages })
    }
}
