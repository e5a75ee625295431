//! The tracking book of a desk (sổ theo dõi hồ sơ): whole, or a page of it on screen.

use std::collections::HashMap;
use std::collections::hash_map::Entry;

use chrono::{Datelike, NaiveDate};
use motcua_domain::dossier::record::{BookLine, FormSet};
use motcua_domain::ids::{AgencyCode, ProcedureCode};
use motcua_print::{Block, Column, Doc, Paper};

use super::{Form, number_of, short_vi};
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
        let (desk, lines, total) = self.desk_book(actor, desk, from, to, window).await?;
        let set = lines.first().map(|l| l.form_set).unwrap_or(if today >= self.config.forms_tt03_from {
            FormSet::Tt03_2025
        } else {
            FormSet::Tt01_2018
        });
        let mut doc = self.book_doc(&desk, set, &lines, window.offset + 1, total).await?;
        let pages = u32::try_from(total.div_ceil(u64::from(BOOK_PAGE_ROWS))).unwrap_or(u32::MAX).max(1);
        let mut subtitle = format!("Từ ngày {} đến ngày {}", from.format("%d/%m/%Y"), to.format("%d/%m/%Y"));
        if let Some(p) = page {
            subtitle.push_str(&format!(" — trang {p}/{pages}"));
        }
        doc.subtitle = Some(subtitle);
        Ok(BookForm { doc, title: format!("So theo doi {desk} {from} {to}"), page, pages })
    }
}

impl App {
    /// The tracking book of a desk (Mẫu 06 of 2018, Mẫu 07 of 2025): one row per dossier.
    /// `first`: the number of the first row (a page of the book); `total`: the book's dossiers.
    pub(super) async fn book_doc(
        &self,
        desk: &AgencyCode,
        set: FormSet,
        lines: &[BookLine],
        first: u64,
        total: u64,
    ) -> AppResult<Doc> {
        let desk_name = self.agency_name(desk).await?;
        // A month of a busy desk is thousands of rows over a few procedures and agencies: each
        // name looked up once.
        let mut procedures: HashMap<(&ProcedureCode, u32), String> = HashMap::new();
        let mut agencies: HashMap<&AgencyCode, String> = HashMap::new();
        for l in lines {
            if let Entry::Vacant(v) = procedures.entry((&l.procedure, l.procedure_number)) {
                v.insert(self.version_name(&l.procedure, l.procedure_number).await?);
            }
            if let Entry::Vacant(v) = agencies.entry(&l.competent_agency) {
                v.insert(self.agency_name(&l.competent_agency).await?);
            }
        }
        let mut rows = Vec::with_capacity(lines.len());
        for (i, l) in (first..).zip(lines) {
            let at = |t: &Option<_>| t.as_ref().map(short_vi).unwrap_or_default();
            let a = &l.applicant;
            let contact = [a.address.as_deref(), a.phone.as_ref().map(|p| p.as_str())]
                .into_iter()
                .flatten()
                .collect::<Vec<_>>()
                .join("\n");
            rows.push(vec![
                i.to_string(),
                l.code.to_string(),
                procedures[&(&l.procedure, l.procedure_number)].clone(),
                "01".into(),
                a.name.clone(),
                contact,
                agencies[&l.competent_agency].clone(),
                short_vi(&l.received_at),
                at(&l.due_current),
                at(&l.transferred_at),
                at(&l.resolved_at),
                at(&l.returned_at),
                String::new(),
                l.state.label_vi().into(),
            ]);
        }
        let share = [0.7, 3.3, 2.8, 0.7, 1.8, 2.2, 1.8, 1.5, 1.5, 1.5, 1.5, 1.5, 1.0, 1.5];
        let titles = [
            "TT",
            "Mã hồ sơ",
            "Tên TTHC",
            "Số bộ",
            "Tên người nộp",
            "Địa chỉ, số điện thoại",
            "Cơ quan chủ trì giải quyết",
            "Nhận hồ sơ",
            "Hẹn trả kết quả",
            "Chuyển hồ sơ đến cơ quan giải quyết",
            "Nhận kết quả từ cơ quan giải quyết",
            "Trả kết quả cho người nộp",
            "Ký nhận",
            "Ghi chú",
        ];
        Ok(Doc {
            paper: Paper::A4Landscape,
            number: number_of(set, Form::Book).into(),
            set_label: set.label_vi().into(),
            issuer: vec![desk_name, "BỘ PHẬN TIẾP NHẬN VÀ TRẢ KẾT QUẢ".into()],
            title: "SỔ THEO DÕI HỒ SƠ".into(),
            subtitle: None,
            blocks: vec![Block::Table {
                columns: titles.iter().zip(share).map(|(t, share)| Column { title: (*t).into(), share }).collect(),
                rows,
            }],
            signatures: vec![],
            qr: None,
            footnote: Some(format!("{total} hồ sơ.")),
        })
    }
}
