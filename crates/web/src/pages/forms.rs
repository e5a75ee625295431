//! Printed forms of a dossier, chosen by the form set of its rule set: the receipt and
//! appointment slip (Mẫu 01 of both sets) and the processing control sheet (Mẫu 05 of Thông tư
//! 01/2018, Mẫu 06 of Thông tư 03/2025), as printable HTML (A5 / A4 by `@page`).

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use chrono::{Datelike, Timelike};
use motcua_app::AppError;
use motcua_domain::calendar::deadline::Instant;
use motcua_domain::dossier::record::{DossierRecord, EventRecord, FormSet};
use motcua_domain::procedure::Component;

use crate::AppState;
use crate::auth::Caller;
use crate::error::ApiError;

/// `14 giờ 37 phút, ngày 27 tháng 11 năm 2026`, as the forms write instants.
pub fn long_vi(t: &Instant) -> String {
    format!("{} giờ {:02} phút, ngày {:02} tháng {:02} năm {}", t.hour(), t.minute(), t.day(), t.month(), t.year())
}

#[derive(Template, WebTemplate)]
#[template(path = "forms/receipt.html")]
struct Receipt {
    number: &'static str,
    set: FormSet,
    desk_name: String,
    d: DossierRecord,
    procedure_name: String,
    components: Vec<Component>,
    time_limit: String,
    received: String,
    due: String,
    track_url: String,
}

pub struct Row {
    agency: String,
    given: String,
    received: String,
    result: &'static str,
    note: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "forms/control_sheet.html")]
struct ControlSheet {
    number: &'static str,
    set: FormSet,
    desk_name: String,
    d: DossierRecord,
    procedure_name: String,
    rows: Vec<Row>,
}

fn result_of(e: &EventRecord, due: Option<Instant>) -> &'static str {
    match due {
        Some(d) if e.at.date_naive() < d.date_naive() => "Trước hạn",
        Some(d) if e.at <= d => "Đúng hạn",
        Some(_) => "Quá hạn",
        None => "",
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "forms/letter.html")]
struct Letter {
    number: &'static str,
    set: FormSet,
    issuer: String,
    title: &'static str,
    desk_name: String,
    d: DossierRecord,
    procedure_name: String,
    received: String,
    lines: Vec<String>,
    items: Vec<String>,
    dated: String,
    signer: &'static str,
}

/// Which form a number names in a form set.
enum Form {
    Receipt,
    Supplement,
    Apology,
    Stop,
    ControlSheet,
}

fn form_of(set: FormSet, number: &str) -> Result<(Form, &'static str), AppError> {
    let not = || {
        AppError::NotFound(format!(
            "mẫu {number} của {} cho hồ sơ này (có: 01 giấy tiếp nhận, 02 yêu cầu bổ sung, 04 xin lỗi và hẹn lại, {})",
            set.label_vi(),
            if set == FormSet::Tt01_2018 {
                "05 phiếu kiểm soát"
            } else {
                "05 thông báo dừng, 06 phiếu kiểm soát"
            }
        ))
    };
    match (set, number) {
        (_, "01") => Ok((Form::Receipt, "01")),
        (_, "02") => Ok((Form::Supplement, "02")),
        (_, "04") => Ok((Form::Apology, "04")),
        (FormSet::Tt03_2025, "05") => Ok((Form::Stop, "05")),
        (FormSet::Tt01_2018, "05") => Ok((Form::ControlSheet, "05")),
        (FormSet::Tt03_2025, "06") => Ok((Form::ControlSheet, "06")),
        _ => Err(not()),
    }
}

pub async fn form(
    State(s): State<AppState>,
    caller: Caller,
    headers: HeaderMap,
    Path((code, number)): Path<(String, String)>,
) -> Result<Response, ApiError> {
    let accept = headers.get(header::ACCEPT).and_then(|v| v.to_str().ok()).unwrap_or("text/html");
    if accept.contains("application/pdf") && !accept.contains("text/html") && !accept.contains("*/*") {
        return Ok((StatusCode::NOT_ACCEPTABLE, "PDF chưa được hỗ trợ; dùng text/html để in").into_response());
    }
    let d = s.app.dossier(&caller.actor, &code).await?;
    let (kind, number) = form_of(d.form_set, &number)?;
    let version = s.app.procedure_version(d.procedure.as_str(), Some(d.procedure_number)).await?;
    let desk_name = s.app.agency_name(&d.agency).await?;
    let procedure_name = version.version.content.name.clone();
    Ok(match kind {
        Form::Receipt => {
            let time_limit = version.version.content.time_limit.as_ref().map(|t| t.display_vi()).unwrap_or_default();
            Receipt {
                number,
                set: d.form_set,
                desk_name,
                procedure_name,
                components: version.version.content.components.clone(),
                time_limit,
                received: long_vi(&d.received_at),
                due: d.workflow.due_original.as_ref().map(long_vi).unwrap_or_default(),
                track_url: format!("/api/v1/track/{}", d.code),
                d,
            }
            .into_response()
        }
        Form::Supplement | Form::Apology | Form::Stop => {
            let events = s.app.dossier_events(&caller.actor, &code).await?;
            let wanted = match kind {
                Form::Supplement => "request_supplement",
                Form::Apology => "apologise",
                _ => "stop",
            };
            let e = events.iter().rev().find(|e| e.command == wanted).ok_or_else(|| {
                ApiError(AppError::NotFound(format!("mẫu {number}: hồ sơ chưa có sự kiện tương ứng")))
            })?;
            let cmd = &e.detail["command"];
            let text = |k: &str| cmd[k].as_str().unwrap_or_default().to_owned();
            let issuer = s.app.agency_name(&e.agency).await?;
            let (title, lines, items, signer) = match kind {
                Form::Supplement => (
                    "PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ SƠ",
                    vec!["Qua xem xét, hồ sơ cần bổ sung, hoàn thiện các nội dung sau (yêu cầu một lần):".to_owned()],
                    cmd["items"]
                        .as_array()
                        .map(|a| a.iter().filter_map(|v| v.as_str().map(str::to_owned)).collect())
                        .unwrap_or_default(),
                    "NGƯỜI HƯỚNG DẪN",
                ),
                Form::Apology => {
                    let new_due =
                        chrono::DateTime::parse_from_rfc3339(&text("new_due")).map(|t| long_vi(&t)).unwrap_or_default();
                    let original = d.workflow.due_original.as_ref().map(long_vi).unwrap_or_default();
                    (
                        if d.form_set == FormSet::Tt01_2018 {
                            "PHIẾU XIN LỖI VÀ HẸN LẠI NGÀY TRẢ KẾT QUẢ"
                        } else {
                            "VĂN BẢN XIN LỖI VÀ ĐỀ NGHỊ GIA HẠN THỜI GIAN GIẢI QUYẾT"
                        },
                        vec![
                            format!("Thời hạn trả kết quả theo giấy hẹn: {original}."),
                            format!("Lý do chậm: {}.", text("reason")),
                            format!("Cơ quan xin lỗi và hẹn trả kết quả vào: {new_due}."),
                        ],
                        vec![],
                        "THỦ TRƯỞNG CƠ QUAN",
                    )
                }
                _ => (
                    "THÔNG BÁO DỪNG GIẢI QUYẾT HỒ SƠ",
                    vec![format!("Hồ sơ được dừng giải quyết. Lý do: {}.", text("reason"))],
                    vec![],
                    "NGƯỜI CÓ THẨM QUYỀN",
                ),
            };
            Letter {
                number,
                set: d.form_set,
                issuer,
                title,
                desk_name,
                procedure_name,
                received: long_vi(&d.received_at),
                lines,
                items,
                dated: format!("Ngày {:02} tháng {:02} năm {}", e.at.day(), e.at.month(), e.at.year()),
                signer,
                d,
            }
            .into_response()
        }
        Form::ControlSheet => {
            let events = s.app.dossier_events(&caller.actor, &code).await?;
            let due = d.workflow.due_current;
            let rows = events
                .iter()
                .enumerate()
                .map(|(i, e)| Row {
                    agency: e.agency.to_string(),
                    given: long_vi(&e.at),
                    received: events.get(i + 1).map(|n| long_vi(&n.at)).unwrap_or_default(),
                    result: result_of(e, due),
                    note: format!("{} ({})", e.to.label_vi(), e.actor),
                })
                .collect();
            ControlSheet { number, set: d.form_set, desk_name, d, procedure_name, rows }.into_response()
        }
    })
}
