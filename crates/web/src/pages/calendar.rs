//! The working calendar of a year as twelve month grids (holidays, compensatory days, swaps,
//! make-up days, with the lunar date of each day); the provincial admin edits it here.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use chrono::{Datelike, NaiveDate};
use motcua_app::AppError;
use motcua_app::calendar::YearView;
use motcua_domain::calendar::holidays::{CalendarDay, DayKind, YearSchedule};
use motcua_domain::calendar::lunar;
use serde::Deserialize;

use super::{Layout, page_err};
use crate::AppState;
use crate::auth::Caller;
use crate::error::PageError;

pub(super) struct Cell {
    day: u32,
    class: &'static str,
    title: String,
    lunar: String,
}

pub(super) struct Month {
    name: String,
    weeks: Vec<Vec<Option<Cell>>>,
}

#[derive(Template, WebTemplate)]
#[template(path = "calendar.html")]
pub(super) struct CalendarPage {
    layout: Layout,
    year: i32,
    year_name: String,
    view: YearView,
    months: Vec<Month>,
    edit_text: String,
    error: Option<String>,
}

fn kind_key(k: DayKind) -> &'static str {
    match k {
        DayKind::Holiday => "holiday",
        DayKind::Compensatory => "compensatory",
        DayKind::Swap => "swap",
        DayKind::Makeup => "makeup",
    }
}

fn months(year: i32, days: &[CalendarDay]) -> Vec<Month> {
    (1..=12)
        .filter_map(|m| {
            let first = NaiveDate::from_ymd_opt(year, m, 1)?;
            let mut weeks = Vec::new();
            let mut week: Vec<Option<Cell>> = (0..first.weekday().num_days_from_monday()).map(|_| None).collect();
            let mut d = first;
            while d.month() == m {
                let special = days.iter().find(|x| x.date == d);
                let weekend = d.weekday().num_days_from_monday() >= 5;
                let (class, title) = match special {
                    Some(s) => (kind_key(s.kind), format!("{}: {}", s.kind.label_vi(), s.name)),
                    None if weekend => ("weekend", "Nghỉ hằng tuần".to_owned()),
                    None => ("", String::new()),
                };
                let lunar = lunar::to_lunar(d)
                    .map(|l| match (l.day, l.leap) {
                        (1, false) => format!("1/{}", l.month),
                        (1, true) => format!("1/{}n", l.month),
                        (d, _) => d.to_string(),
                    })
                    .unwrap_or_default();
                week.push(Some(Cell { day: d.day(), class, title, lunar }));
                if week.len() == 7 {
                    weeks.push(std::mem::take(&mut week));
                }
                d = d.succ_opt()?;
            }
            if !week.is_empty() {
                week.resize_with(7, || None);
                weeks.push(week);
            }
            Some(Month { name: format!("Tháng {m}"), weeks })
        })
        .collect()
}

const KINDS: [(DayKind, &str); 4] = [
    (DayKind::Holiday, "nghỉ lễ"),
    (DayKind::Compensatory, "nghỉ bù"),
    (DayKind::Swap, "hoán đổi"),
    (DayKind::Makeup, "làm bù"),
];

fn render_lines(days: &[CalendarDay]) -> String {
    days.iter()
        .map(|d| {
            let kind = KINDS.iter().find(|(k, _)| *k == d.kind).map(|(_, l)| *l).unwrap_or("nghỉ lễ");
            let mut line = format!("{} | {kind} | {}", d.date.format("%d/%m/%Y"), d.name);
            if let Some(s) = &d.source {
                line.push_str(" | ");
                line.push_str(s);
            }
            line
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// Lines `dd/mm/yyyy | loại | tên | nguồn` into days; errors name the line.
fn parse_lines(text: &str) -> Result<Vec<CalendarDay>, AppError> {
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .enumerate()
        .map(|(i, l)| {
            let cells: Vec<&str> = l.split('|').map(str::trim).collect();
            let field = format!("days[{i}]");
            let date = NaiveDate::parse_from_str(cells[0], "%d/%m/%Y").map_err(|_| {
                AppError::invalid(
                    "invalid_date",
                    field.clone(),
                    format!("Dòng {}: ngày «{}» không hợp lệ (dd/mm/yyyy)", i + 1, cells[0]),
                )
            })?;
            let kind_text = cells.get(1).copied().unwrap_or("");
            let kind =
                KINDS.iter().find(|(_, l)| *l == kind_text.to_lowercase()).map(|(k, _)| *k).ok_or_else(|| {
                    AppError::invalid(
                        "invalid_kind",
                        field.clone(),
                        format!("Dòng {}: loại «{kind_text}» phải là nghỉ lễ, nghỉ bù, hoán đổi hoặc làm bù", i + 1),
                    )
                })?;
            let name = cells.get(2).copied().unwrap_or("").to_owned();
            let source = cells.get(3).filter(|s| !s.is_empty()).map(|s| (*s).to_owned());
            Ok(CalendarDay { date, kind, name, source })
        })
        .collect()
}

async fn page(
    s: &AppState,
    caller: &Caller,
    year: i32,
    edit_text: Option<String>,
    error: Option<String>,
) -> Result<CalendarPage, PageError> {
    let view = s.app.holidays(year).await.map_err(page_err(caller, "calendar"))?;
    Ok(CalendarPage {
        layout: Layout::of(&caller.actor, "calendar"),
        year,
        year_name: lunar::year_name(year),
        months: months(year, &view.days),
        edit_text: edit_text.unwrap_or_else(|| render_lines(&view.days)),
        view,
        error,
    })
}

pub async fn show(State(s): State<AppState>, caller: Caller, Path(year): Path<i32>) -> Result<CalendarPage, PageError> {
    page(&s, &caller, year, None, None).await
}

pub async fn current(State(s): State<AppState>) -> Redirect {
    Redirect::to(&format!("/lich-lam-viec/{}", s.app.today().year()))
}

#[derive(Debug, Deserialize)]
pub struct EditForm {
    days: String,
}

pub async fn save(
    State(s): State<AppState>,
    caller: Caller,
    Path(year): Path<i32>,
    axum::Form(f): axum::Form<EditForm>,
) -> Result<Response, PageError> {
    caller.actor.require_admin().map_err(page_err(&caller, "calendar"))?;
    let result = match parse_lines(&f.days) {
        Ok(days) => s.app.put_calendar_year(&caller.actor, YearSchedule { year, days }).await,
        Err(e) => Err(e),
    };
    match result {
        Ok(_) => Ok(Redirect::to(&format!("/lich-lam-viec/{year}")).into_response()),
        Err(e) => {
            let status = crate::error::status_of(&e);
            Ok((status, page(&s, &caller, year, Some(f.days), Some(e.body().message)).await?).into_response())
        }
    }
}

pub async fn restore_default(
    State(s): State<AppState>,
    caller: Caller,
    Path(year): Path<i32>,
) -> Result<Response, PageError> {
    caller.actor.require_admin().map_err(page_err(&caller, "calendar"))?;
    match s.app.delete_calendar_year(&caller.actor, year).await {
        Ok(_) | Err(AppError::NotFound(_)) => Ok(Redirect::to(&format!("/lich-lam-viec/{year}")).into_response()),
        Err(e) => Err(page_err(&caller, "calendar")(e)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_round_trip_and_errors_name_the_line() {
        let days = vec![CalendarDay {
            date: NaiveDate::from_ymd_opt(2024, 5, 4).unwrap(),
            kind: DayKind::Makeup,
            name: "Làm bù cho ngày 29/4".into(),
            source: Some("CV 2450/VPCP-KGVX".into()),
        }];
        assert_eq!(parse_lines(&render_lines(&days)).unwrap(), days);
        let e = parse_lines("01/01/2027 | nghỉ lễ | Tết\n31/02/2027 | nghỉ lễ | x").unwrap_err();
        assert!(matches!(e, AppError::Invalid(ref f) if f.field == "days[1]"), "{e:?}");
        assert!(parse_lines("01/01/2027 | nghỉ phép | x").is_err());
    }

    #[test]
    fn grids_start_on_monday() {
        let m = months(2026, &[]);
        assert_eq!(m.len(), 12);
        // 1 February 2026 is a Sunday: six empty cells first.
        assert!(m[1].weeks[0][..6].iter().all(Option::is_none));
        assert_eq!(m[1].weeks[0][6].as_ref().map(|c| c.day), Some(1));
    }
}
