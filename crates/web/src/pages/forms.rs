//! Printed forms of a dossier, chosen by the form set of its rule set (Thông tư 01/2018: Mẫu
//! 01–06; Thông tư 03/2025: Mẫu 01–07). Each form is built once as a [`Doc`] and served as
//! printable HTML or, by `Accept: application/pdf` (pages: `…/pdf`), as a PDF laid out by
//! `motcua-print` with the embedded font and a QR code to the public lookup.

use askama::Template;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{Html, IntoResponse, Response};
use axum_extra::extract::{Query, QueryRejection};
use chrono::{Datelike, NaiveDate, Timelike};
use motcua_app::AppError;
use motcua_domain::calendar::deadline::Instant;
use motcua_domain::dossier::record::{DossierRecord, EventRecord, FormSet};
use motcua_print::{Block, Column, Doc, NATION, Paper, Qr, Signature, Span};

use crate::AppState;
use crate::auth::Caller;
use crate::error::{ApiError, PageError};

/// `14 giờ 37 phút, ngày 27 tháng 11 năm 2026`, as the forms write instants.
pub fn long_vi(t: &Instant) -> String {
    format!("{} giờ {:02} phút, ngày {:02} tháng {:02} năm {}", t.hour(), t.minute(), t.day(), t.month(), t.year())
}

/// Date over time, for the narrow columns of the tracking book.
fn short_vi(t: &Instant) -> String {
    format!("{:02}/{:02}/{}\n{:02}:{:02}", t.day(), t.month(), t.year(), t.hour(), t.minute())
}

fn dated(t: &Instant) -> String {
    format!("Ngày {:02} tháng {:02} năm {}", t.day(), t.month(), t.year())
}

/// Which form a number names in a form set.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Form {
    Receipt,
    Supplement,
    Refusal,
    Apology,
    Stop,
    ControlSheet,
    Book,
}

fn form_of(set: FormSet, number: &str) -> Result<Form, AppError> {
    match (set, number) {
        (_, "01") => Ok(Form::Receipt),
        (_, "02") => Ok(Form::Supplement),
        (_, "03") => Ok(Form::Refusal),
        (_, "04") => Ok(Form::Apology),
        (FormSet::Tt01_2018, "05") | (FormSet::Tt03_2025, "06") => Ok(Form::ControlSheet),
        (FormSet::Tt03_2025, "05") => Ok(Form::Stop),
        (FormSet::Tt01_2018, "06") | (FormSet::Tt03_2025, "07") => Ok(Form::Book),
        _ => Err(AppError::NotFound(format!(
            "mẫu {number} của {} (có: 01 giấy tiếp nhận, 02 yêu cầu bổ sung, 03 từ chối, 04 xin lỗi, {})",
            set.label_vi(),
            match set {
                FormSet::Tt01_2018 => "05 phiếu kiểm soát, 06 sổ theo dõi",
                FormSet::Tt03_2025 => "05 thông báo dừng, 06 phiếu kiểm soát, 07 sổ theo dõi",
            }
        ))),
    }
}

fn number_of(set: FormSet, form: Form) -> &'static str {
    match (set, form) {
        (_, Form::Receipt) => "01",
        (_, Form::Supplement) => "02",
        (_, Form::Refusal) => "03",
        (_, Form::Apology) => "04",
        (FormSet::Tt01_2018, Form::ControlSheet) | (FormSet::Tt03_2025, Form::Stop) => "05",
        (FormSet::Tt03_2025, Form::ControlSheet) | (FormSet::Tt01_2018, Form::Book) => "06",
        (FormSet::Tt03_2025, Form::Book) => "07",
        // The 2018 set has no stop notice; `form_of` never yields it for that set.
        (FormSet::Tt01_2018, Form::Stop) => "05",
    }
}

/// The forms a dossier with these events can print: number and short name.
pub fn available(set: FormSet, events: &[EventRecord]) -> Vec<(&'static str, &'static str)> {
    let has = |cmds: &[&str]| events.iter().any(|e| cmds.contains(&e.command.as_str()));
    let mut out = vec![];
    if has(&["accept"]) {
        out.push((number_of(set, Form::Receipt), "giấy tiếp nhận"));
    }
    if has(&["request_completion", "request_supplement"]) {
        out.push((number_of(set, Form::Supplement), "yêu cầu bổ sung"));
    }
    if has(&["refuse"]) {
        out.push((number_of(set, Form::Refusal), "từ chối tiếp nhận"));
    }
    if has(&["apologise"]) {
        out.push((number_of(set, Form::Apology), "xin lỗi, hẹn lại"));
    }
    if set == FormSet::Tt03_2025 && has(&["stop"]) {
        out.push((number_of(set, Form::Stop), "thông báo dừng"));
    }
    out.push((number_of(set, Form::ControlSheet), "phiếu kiểm soát"));
    out.push((number_of(set, Form::Book), "sổ theo dõi"));
    out.sort_by_key(|(n, _)| *n);
    out
}

/// The HTML rendering of any form.
#[derive(Template)]
#[template(path = "forms/doc.html")]
struct DocPage<'a> {
    doc: &'a Doc,
    title: &'a str,
    qr_svg: String,
}

/// The QR code as an inline SVG path (module coordinates only; nothing from user input).
fn qr_svg(doc: &Doc) -> String {
    let Some((n, modules)) = doc.qr_modules() else { return String::new() };
    let mut d = String::new();
    for (i, dark) in modules.iter().enumerate() {
        if *dark {
            d.push_str(&format!("M{} {}h1v1h-1z", i % n, i / n));
        }
    }
    format!(
        r#"<svg xmlns="http://www.w3.org/2000/svg" viewBox="-2 -2 {w} {w}" width="96" height="96" role="img" aria-label="QR"><path d="{d}"/></svg>"#,
        w = n + 4
    )
}

/// HTML, PDF or the document model as JSON, as the client asked (the first of these listed in
/// `Accept` wins; `*/*` or no header gives HTML). A client that accepts none gets 406.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Html,
    Pdf,
    Json,
}

impl Format {
    pub fn negotiate(headers: &HeaderMap) -> Result<Self, ApiError> {
        let accept = headers.get(header::ACCEPT).and_then(|v| v.to_str().ok()).unwrap_or("*/*");
        let offered = [("text/html", Self::Html), ("application/pdf", Self::Pdf), ("application/json", Self::Json)];
        match offered.iter().filter_map(|(m, f)| accept.find(m).map(|p| (p, *f))).min_by_key(|(p, _)| *p) {
            Some((_, f)) => Ok(f),
            None if accept.contains("*/*") || accept.contains("text/*") => Ok(Self::Html),
            None => Err(ApiError(AppError::NotAcceptable("text/html, application/pdf, application/json".into()))),
        }
    }
}

/// Serve a document in the wanted format; PDFs are laid out on the blocking pool.
pub async fn respond(doc: Doc, title: String, format: Format) -> Result<Response, ApiError> {
    match format {
        Format::Json => Ok(axum::Json(doc).into_response()),
        Format::Html => {
            let page = DocPage { qr_svg: qr_svg(&doc), doc: &doc, title: &title };
            let html = page.render().map_err(|e| ApiError(AppError::Internal(e.to_string())))?;
            Ok(Html(html).into_response())
        }
        Format::Pdf => {
            let file = format!("{}.pdf", title.replace(|c: char| !c.is_ascii_alphanumeric() && c != '-', "_"));
            let bytes = tokio::task::spawn_blocking(move || motcua_print::pdf::render(&doc, &title))
                .await
                .map_err(|e| ApiError(AppError::Internal(e.to_string())))?
                .map_err(|e| ApiError(AppError::Internal(e.to_string())))?;
            Ok((
                StatusCode::OK,
                [
                    (header::CONTENT_TYPE, "application/pdf".to_owned()),
                    (header::CONTENT_DISPOSITION, format!("inline; filename=\"{file}\"")),
                ],
                bytes,
            )
                .into_response())
        }
    }
}

fn applicant_lines(d: &DossierRecord) -> Vec<Block> {
    let a = &d.applicant;
    vec![
        Block::Para(vec![Span::plain("Địa chỉ: "), Span::plain(a.address.clone().unwrap_or_default())]),
        Block::Para(vec![
            Span::plain("Số điện thoại: "),
            Span::plain(a.phone.as_ref().map(|p| p.as_str().to_owned()).unwrap_or_default()),
            Span::plain("   Thư điện tử: "),
            Span::plain(a.email.clone().unwrap_or_default()),
        ]),
    ]
}

fn sign(role: &str, when: Option<&Instant>) -> Signature {
    Signature { dated: when.map(dated), role: role.into(), hint: "(Ký và ghi rõ họ tên)".into() }
}

fn list_of(v: &serde_json::Value) -> Vec<String> {
    v.as_array().map(|a| a.iter().filter_map(|v| v.as_str().map(str::to_owned)).collect()).unwrap_or_default()
}

/// Everything a dossier's forms draw on.
struct Ctx {
    d: DossierRecord,
    events: Vec<EventRecord>,
    desk_name: String,
    procedure_name: String,
    public_url: String,
}

impl Ctx {
    fn base(&self, form: Form, issuer: Vec<String>, paper: Paper, title: &str) -> Doc {
        Doc {
            paper,
            number: number_of(self.d.form_set, form).into(),
            set_label: self.d.form_set.label_vi().into(),
            issuer,
            title: title.into(),
            subtitle: Some(format!("Mã hồ sơ: {}", self.d.code)),
            blocks: vec![],
            signatures: vec![],
            qr: Some(Qr {
                url: format!("{}/tra-cuu?ma={}", self.public_url, self.d.code),
                caption: "Quét mã để tra cứu tình trạng hồ sơ (nhập 4 số cuối điện thoại người nộp)".into(),
            }),
            footnote: None,
        }
    }

    fn desk_issuer(&self) -> Vec<String> {
        vec![self.desk_name.clone(), "BỘ PHẬN TIẾP NHẬN VÀ TRẢ KẾT QUẢ".into()]
    }

    fn last(&self, commands: &[&str]) -> Option<&EventRecord> {
        self.events.iter().rev().find(|e| commands.contains(&e.command.as_str()))
    }

    fn first(&self, command: &str) -> Option<&EventRecord> {
        self.events.iter().find(|e| e.command == command)
    }
}

async fn context(s: &AppState, caller: &Caller, code: &str) -> Result<Ctx, ApiError> {
    let d = s.app.dossier(&caller.actor, code).await?;
    let events = s.app.dossier_events(&caller.actor, code).await?;
    let version = s.app.procedure_version(&caller.actor, d.procedure.as_str(), Some(d.procedure_number)).await?;
    let desk_name = s.app.agency_name(&d.agency).await?;
    Ok(Ctx {
        procedure_name: version.version.content.name.trim().to_owned(),
        desk_name,
        events,
        public_url: s.app.config.public_url.clone(),
        d,
    })
}

/// Build the form `number` of a dossier.
async fn build(s: &AppState, caller: &Caller, code: &str, number: &str) -> Result<Doc, ApiError> {
    let c = context(s, caller, code).await?;
    let form = form_of(c.d.form_set, number)?;
    if matches!(form, Form::ControlSheet | Form::Book) {
        s.app.check_internal_record(&caller.actor, &c.d, &format!("mẫu {number}")).await?;
    }
    let missing = || ApiError(AppError::NotFound(format!("mẫu {number}: hồ sơ chưa có sự kiện tương ứng")));
    let d = &c.d;
    let who = Block::Para(vec![Span::plain("Đã tiếp nhận hồ sơ của: "), Span::bold(d.applicant.name.clone())]);
    let request =
        Block::Para(vec![Span::plain("Nội dung yêu cầu giải quyết: "), Span::plain(c.procedure_name.clone())]);
    Ok(match form {
        Form::Receipt => {
            let version =
                s.app.procedure_version(&caller.actor, d.procedure.as_str(), Some(d.procedure_number)).await?;
            let content = &version.version.content;
            let mut doc = c.base(form, c.desk_issuer(), Paper::A5, "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ");
            doc.blocks.push(Block::Para(vec![
                Span::plain(format!("Bộ phận tiếp nhận và trả kết quả {} đã tiếp nhận hồ sơ của: ", c.desk_name)),
                Span::bold(d.applicant.name.clone()),
            ]));
            doc.blocks.extend(applicant_lines(d));
            doc.blocks.push(request);
            doc.blocks.push(Block::Para(vec![Span::plain("1. Thành phần hồ sơ nộp gồm:")]));
            doc.blocks.push(Block::Table {
                columns: vec![
                    Column { title: "TT".into(), share: 0.8 },
                    Column { title: "Tên giấy tờ".into(), share: 7.0 },
                    Column { title: "Hình thức".into(), share: 2.2 },
                    Column { title: "Số lượng".into(), share: 1.6 },
                ],
                rows: content
                    .components
                    .iter()
                    .enumerate()
                    .map(|(i, k)| {
                        vec![(i + 1).to_string(), k.name.clone(), k.kind.label_vi().into(), k.quantity.to_string()]
                    })
                    .collect(),
            });
            let limit = content.time_limit.as_ref().map(|t| t.display_vi()).unwrap_or_default();
            let due = d.workflow.due_original.as_ref().map(long_vi).unwrap_or_default();
            for line in [
                "2. Số lượng hồ sơ: 01 bộ".to_owned(),
                format!("3. Thời gian giải quyết hồ sơ theo quy định: {limit}"),
                format!("4. Thời gian nhận hồ sơ: {}", long_vi(&d.received_at)),
            ] {
                doc.blocks.push(Block::Para(vec![Span::plain(line)]));
            }
            doc.blocks
                .push(Block::Para(vec![Span::plain("5. Thời gian trả kết quả giải quyết hồ sơ: "), Span::bold(due)]));
            doc.blocks.push(Block::Para(vec![Span::plain(format!(
                "6. Nhận kết quả tại: Bộ phận tiếp nhận và trả kết quả {}",
                c.desk_name
            ))]));
            doc.blocks.push(Block::Para(vec![Span::plain(format!(
                "Vào Sổ theo dõi hồ sơ, Quyển số {}, Số thứ tự {}",
                d.received_at.format("%Y"),
                d.code.sequence()
            ))]));
            doc.signatures = vec![sign("NGƯỜI NỘP HỒ SƠ", None), sign("NGƯỜI TIẾP NHẬN HỒ SƠ", None)];
            doc.footnote = Some(
                "Ghi chú: Giấy tiếp nhận hồ sơ và hẹn trả kết quả được lập thành 02 liên; 01 liên chuyển kèm Phiếu kiểm \
                 soát quá trình giải quyết hồ sơ, 01 liên giao cho người nộp hồ sơ."
                    .into(),
            );
            doc
        }
        Form::Supplement => {
            let e = c.last(&["request_supplement", "request_completion"]).ok_or_else(missing)?;
            let issuer = if e.command == "request_completion" {
                c.desk_issuer()
            } else {
                vec![s.app.agency_name(&e.agency).await?]
            };
            let mut doc = c.base(form, issuer, Paper::A5, "PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ SƠ");
            doc.blocks.push(Block::Para(vec![
                Span::plain(format!("Ngày {}, đã tiếp nhận hồ sơ của:", long_vi(&d.received_at))),
                Span::bold(d.applicant.name.clone()),
            ]));
            doc.blocks.push(request);
            doc.blocks.push(Block::Para(vec![Span::plain(
                "Qua xem xét, hồ sơ cần bổ sung, hoàn thiện các nội dung sau (yêu cầu một lần):",
            )]));
            doc.blocks.push(Block::Bullets(list_of(&e.detail["command"]["items"])));
            doc.blocks.push(Block::Para(vec![Span::plain(
                "Mọi vướng mắc xin liên hệ Bộ phận tiếp nhận và trả kết quả để được hướng dẫn.",
            )]));
            doc.signatures = vec![sign("NGƯỜI HƯỚNG DẪN", Some(&e.at))];
            doc
        }
        Form::Refusal => {
            let e = c.last(&["refuse"]).ok_or_else(missing)?;
            let mut doc = c.base(form, c.desk_issuer(), Paper::A5, "PHIẾU TỪ CHỐI TIẾP NHẬN GIẢI QUYẾT HỒ SƠ");
            doc.blocks.push(who);
            doc.blocks.extend(applicant_lines(d));
            doc.blocks.push(request);
            doc.blocks.push(Block::Para(vec![Span::plain(
                "Sau khi kiểm tra, đối chiếu, hồ sơ không đủ điều kiện tiếp nhận vì các lý do sau:",
            )]));
            doc.blocks.push(Block::Bullets(list_of(&e.detail["command"]["reasons"])));
            doc.blocks.push(Block::Para(vec![Span::plain("Xin thông báo để ông/bà biết.")]));
            doc.signatures = vec![sign("NGƯỜI TIẾP NHẬN HỒ SƠ", Some(&e.at))];
            doc
        }
        Form::Apology => {
            let e = c.last(&["apologise"]).ok_or_else(missing)?;
            let cmd = &e.detail["command"];
            let text = |k: &str| cmd[k].as_str().unwrap_or_default().to_owned();
            let new_due =
                chrono::DateTime::parse_from_rfc3339(&text("new_due")).map(|t| long_vi(&t)).unwrap_or_default();
            let original = d.workflow.due_original.as_ref().map(long_vi).unwrap_or_default();
            let title = match d.form_set {
                FormSet::Tt01_2018 => "PHIẾU XIN LỖI VÀ HẸN LẠI NGÀY TRẢ KẾT QUẢ",
                FormSet::Tt03_2025 => "VĂN BẢN XIN LỖI VÀ ĐỀ NGHỊ GIA HẠN THỜI GIAN GIẢI QUYẾT",
            };
            let mut doc = c.base(form, vec![s.app.agency_name(&e.agency).await?], Paper::A5, title);
            let mut to = vec![Span::plain("Kính gửi: "), Span::bold(d.applicant.name.clone())];
            if let Some(a) = &d.applicant.address {
                to.push(Span::plain(format!(", {a}")));
            }
            if let Some(p) = &d.applicant.phone {
                to.push(Span::plain(format!(" — điện thoại {}", p.as_str())));
            }
            doc.blocks.push(Block::Para(to));
            for line in [
                format!(
                    "Ngày {}, {} tiếp nhận hồ sơ đề nghị giải quyết thủ tục: {}.",
                    long_vi(&d.received_at),
                    c.desk_name,
                    c.procedure_name
                ),
                format!("Thời hạn trả kết quả theo giấy hẹn: {original}."),
                format!("Lý do chậm: {}.", text("reason")),
                format!("Cơ quan chân thành xin lỗi và hẹn trả kết quả vào: {new_due}."),
            ] {
                doc.blocks.push(Block::Para(vec![Span::plain(line)]));
            }
            doc.signatures = vec![sign("THỦ TRƯỞNG CƠ QUAN", Some(&e.at))];
            doc
        }
        Form::Stop => {
            let e = c.last(&["stop"]).ok_or_else(missing)?;
            let mut doc = c.base(form, c.desk_issuer(), Paper::A5, "THÔNG BÁO DỪNG GIẢI QUYẾT HỒ SƠ");
            doc.blocks.push(who);
            doc.blocks.push(request);
            for line in [
                format!("Hồ sơ được dừng giải quyết từ {}.", long_vi(&e.at)),
                format!("Lý do: {}.", e.detail["command"]["reason"].as_str().unwrap_or_default()),
                "Tại thời điểm dừng, cơ quan có thẩm quyền chưa ban hành quyết định hoặc thông báo kết quả giải quyết."
                    .to_owned(),
            ] {
                doc.blocks.push(Block::Para(vec![Span::plain(line)]));
            }
            doc.signatures = vec![sign("NGƯỜI CÓ THẨM QUYỀN", Some(&e.at))];
            doc
        }
        Form::ControlSheet => {
            let mut doc = c.base(form, c.desk_issuer(), Paper::A4, "PHIẾU KIỂM SOÁT QUÁ TRÌNH GIẢI QUYẾT HỒ SƠ");
            doc.blocks.push(Block::Para(vec![Span::plain(format!(
                "Thủ tục: {} — Người nộp: {} — Cơ quan giải quyết: {}",
                c.procedure_name,
                d.applicant.name,
                s.app.agency_name(&d.competent_agency).await?
            ))]));
            let due = d.workflow.due_current;
            let mut rows = vec![];
            for (i, e) in c.events.iter().enumerate() {
                let mut when = format!("1. Giao: {}", long_vi(&e.at));
                if let Some(n) = c.events.get(i + 1) {
                    when.push_str(&format!("\n2. Nhận: {}", long_vi(&n.at)));
                }
                let budget = budget_note(&e.detail);
                rows.push(vec![
                    s.app.agency_name(&e.agency).await?,
                    when,
                    result_of(e, due).into(),
                    format!("{} ({}){budget}", e.to.label_vi(), e.actor),
                ]);
            }
            doc.blocks.push(Block::Table {
                columns: vec![
                    Column { title: "TÊN CƠ QUAN".into(), share: 3.0 },
                    Column { title: "THỜI GIAN GIAO, NHẬN HỒ SƠ".into(), share: 4.2 },
                    Column {
                        title: "KẾT QUẢ GIẢI QUYẾT HỒ SƠ (Trước hạn/đúng hạn/quá hạn)".into(), share: 2.2
                    },
                    Column { title: "GHI CHÚ".into(), share: 3.0 },
                ],
                rows,
            });
            doc
        }
        Form::Book => book_doc(s, &c.d.agency, c.d.form_set, std::slice::from_ref(&c)).await?,
    })
}

/// The step or the cooperating agency's share the event closed, as the control sheet notes it.
fn budget_note(detail: &serde_json::Value) -> String {
    let b = if detail["step"].is_object() { &detail["step"] } else { &detail["share"] };
    match (b["budget_hours"].as_f64(), b["used_hours"].as_f64()) {
        (Some(budget), Some(used)) => format!("; thời gian {used} giờ / định mức {budget} giờ"),
        (Some(budget), None) => format!("; định mức {budget} giờ"),
        _ => String::new(),
    }
}

/// A step or a cooperating agency's answer is judged against its own budget; other hand-offs
/// against the dossier's appointment.
fn result_of(e: &EventRecord, due: Option<Instant>) -> &'static str {
    for key in ["step", "share"] {
        if let Some(within) = e.detail[key]["within_budget"].as_bool() {
            return if within { "Đúng hạn" } else { "Quá hạn" };
        }
    }
    match due {
        Some(d) if e.at.date_naive() < d.date_naive() => "Trước hạn",
        Some(d) if e.at <= d => "Đúng hạn",
        Some(_) => "Quá hạn",
        None => "",
    }
}

/// The tracking book of a desk (Mẫu 06 of 2018, Mẫu 07 of 2025): one row per dossier.
async fn book_doc(
    s: &AppState,
    desk: &motcua_domain::ids::AgencyCode,
    set: FormSet,
    dossiers: &[Ctx],
) -> Result<Doc, ApiError> {
    let desk_name = s.app.agency_name(desk).await?;
    let mut rows = vec![];
    for (i, c) in dossiers.iter().enumerate() {
        let d = &c.d;
        let at = |cmd: &str| c.first(cmd).map(|e| short_vi(&e.at)).unwrap_or_default();
        let contact = [d.applicant.address.clone(), d.applicant.phone.as_ref().map(|p| p.as_str().to_owned())]
            .into_iter()
            .flatten()
            .collect::<Vec<_>>()
            .join("\n");
        rows.push(vec![
            (i + 1).to_string(),
            d.code.to_string(),
            c.procedure_name.clone(),
            "01".into(),
            d.applicant.name.clone(),
            contact,
            s.app.agency_name(&d.competent_agency).await?,
            short_vi(&d.received_at),
            d.workflow.due_current.as_ref().map(short_vi).unwrap_or_default(),
            at("transfer"),
            at("resolve"),
            at("return"),
            String::new(),
            d.workflow.state.label_vi().into(),
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
        footnote: Some(format!("{} hồ sơ.", dossiers.len())),
    })
}

/// `GET /api/v1/dossiers/{code}/forms/{form}`: HTML, PDF or JSON by `Accept`.
pub async fn form(
    State(s): State<AppState>,
    caller: Caller,
    headers: HeaderMap,
    Path((code, number)): Path<(String, String)>,
) -> Result<Response, ApiError> {
    let format = Format::negotiate(&headers)?;
    let doc = build(&s, &caller, &code, &number).await?;
    respond(doc, format!("Mẫu {number} — {code}"), format).await
}

/// A page route's failure as a Vietnamese error page (or the login page).
fn page_error(caller: &Caller) -> impl Fn(ApiError) -> PageError + '_ {
    move |e| super::page_err(caller, "queue")(e.0)
}

/// `/ho-so/{code}/mau/{form}`: the printable page (errors as pages).
pub async fn form_page(
    State(s): State<AppState>,
    caller: Caller,
    Path((code, number)): Path<(String, String)>,
) -> Result<Response, PageError> {
    let doc = build(&s, &caller, &code, &number).await.map_err(page_error(&caller))?;
    respond(doc, format!("Mẫu {number} — {code}"), Format::Html).await.map_err(page_error(&caller))
}

/// `/ho-so/{code}/mau/{form}/pdf`: the PDF, for a link in a browser.
pub async fn form_pdf(
    State(s): State<AppState>,
    caller: Caller,
    Path((code, number)): Path<(String, String)>,
) -> Result<Response, PageError> {
    let doc = build(&s, &caller, &code, &number).await.map_err(page_error(&caller))?;
    respond(doc, format!("Mẫu {number} — {code}"), Format::Pdf).await.map_err(page_error(&caller))
}

/// Period of a tracking book.
#[derive(Debug, serde::Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct BookParams {
    /// First day (YYYY-MM-DD); default: the first day of this month.
    pub from: Option<String>,
    /// Last day (YYYY-MM-DD); default: today.
    pub to: Option<String>,
    /// `pdf` for a PDF whatever the `Accept` header says.
    pub format: Option<String>,
}

/// The tracking book of a desk over a period (at most 63 days), through the API.
pub async fn book(
    State(s): State<AppState>,
    caller: Caller,
    headers: HeaderMap,
    Path(desk): Path<String>,
    q: Result<Query<BookParams>, QueryRejection>,
) -> Result<Response, ApiError> {
    let Query(p) = q.map_err(crate::api::bad_extra_query)?;
    let format = if p.format.as_deref() == Some("pdf") { Format::Pdf } else { Format::negotiate(&headers)? };
    book_of(&s, &caller, &desk, &p, format).await
}

/// `/mot-cua/so-theo-doi/{desk}`: the book as a page (errors as pages).
pub async fn book_page(
    State(s): State<AppState>,
    caller: Caller,
    Path(desk): Path<String>,
    q: Result<Query<BookParams>, QueryRejection>,
) -> Result<Response, PageError> {
    let Query(p) = q.map_err(crate::api::bad_extra_query).map_err(page_error(&caller))?;
    let format = if p.format.as_deref() == Some("pdf") { Format::Pdf } else { Format::Html };
    book_of(&s, &caller, &desk, &p, format).await.map_err(page_error(&caller))
}

async fn book_of(
    s: &AppState,
    caller: &Caller,
    desk: &str,
    p: &BookParams,
    format: Format,
) -> Result<Response, ApiError> {
    let today = s.app.today();
    let parse = |v: &Option<String>, field: &'static str, default: NaiveDate| -> Result<NaiveDate, ApiError> {
        match v.as_deref().filter(|v| !v.is_empty()) {
            None => Ok(default),
            Some(v) => Ok(motcua_app::calendar::parse_date(v, field)?),
        }
    };
    let from = parse(&p.from, "from", today.with_day(1).unwrap_or(today))?;
    let to = parse(&p.to, "to", today)?;
    if to < from || (to - from).num_days() > 62 {
        return Err(ApiError(AppError::invalid(
            "invalid_period",
            "to",
            "Khoảng thời gian của sổ phải từ 1 đến 63 ngày, ngày cuối không trước ngày đầu",
        )));
    }
    let (desk, records) = s.app.desk_book(&caller.actor, desk, from, to).await?;
    let mut ctxs = Vec::with_capacity(records.len());
    for (d, events) in records {
        let version = s.app.procedure_version(&caller.actor, d.procedure.as_str(), Some(d.procedure_number)).await?;
        ctxs.push(Ctx {
            procedure_name: version.version.content.name.clone(),
            desk_name: String::new(),
            events,
            public_url: String::new(),
            d,
        });
    }
    let set = ctxs.first().map(|c| c.d.form_set).unwrap_or(if today >= s.app.config.forms_tt03_from {
        FormSet::Tt03_2025
    } else {
        FormSet::Tt01_2018
    });
    let mut doc = book_doc(s, &desk, set, &ctxs).await?;
    doc.subtitle = Some(format!("Từ ngày {} đến ngày {}", from.format("%d/%m/%Y"), to.format("%d/%m/%Y")));
    respond(doc, format!("So theo doi {desk} {from} {to}"), format).await
}
