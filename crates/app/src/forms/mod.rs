//! Printed forms of a dossier, chosen by the form set of its rule set (Thông tư 01/2018: Mẫu
//! 01–06; Thông tư 03/2025: Mẫu 01–07), built as a [`Doc`] that the web crate serves as
//! printable HTML, as JSON or, laid out by `motcua-print`, as a PDF with a QR code to the public
//! lookup. Forms read the dossier's typed events (`EventDetail`), never raw JSON.

use chrono::{Datelike, Timelike};
use motcua_domain::calendar::deadline::Instant;
use motcua_domain::dossier::record::{DossierRecord, EventRecord, FormSet};
use motcua_domain::dossier::{Command, CommandKind, EventDetail};
use motcua_print::{Block, Column, Doc, Paper, Qr, Signature, Span};

use crate::{Actor, App, AppError, AppResult};

mod book;
pub use book::{BOOK_PAGE_ROWS, BookForm};

/// `14 giờ 37 phút, ngày 27 tháng 11 năm 2026`, as the forms write instants.
pub fn long_vi(t: &Instant) -> String {
    format!("{} giờ {:02} phút, ngày {:02} tháng {:02} năm {}", t.hour(), t.minute(), t.day(), t.month(), t.year())
}

/// Date over time, for the narrow columns of the tracking book.
fn short_vi(t: &Instant) -> String {
    format!("{:02}/{:02}/{}\n{:02}:{:02}", t.day(), t.month(), t.year(), t.hour(), t.minute())
}

pub(crate) fn dated(t: &Instant) -> String {
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

fn form_of(set: FormSet, number: &str) -> AppResult<Form> {
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

/// The control sheet and the tracking book are the agency's records, not letters to the
/// applicant.
fn is_internal(form: Form) -> bool {
    matches!(form, Form::ControlSheet | Form::Book)
}

/// Is the form `number` of `set` a letter to the applicant (not an internal record)?
pub fn is_public(set: FormSet, number: &str) -> bool {
    form_of(set, number).is_ok_and(|f| !is_internal(f))
}

/// The forms a dossier with these events can print: number and short name.
pub fn available(set: FormSet, events: &[EventRecord]) -> Vec<(&'static str, &'static str)> {
    let has = |kinds: &[CommandKind]| events.iter().any(|e| kinds.contains(&e.command));
    let mut out = vec![];
    if has(&[CommandKind::Accept]) {
        out.push((number_of(set, Form::Receipt), "giấy tiếp nhận"));
    }
    if has(&[CommandKind::RequestCompletion, CommandKind::RequestSupplement]) {
        out.push((number_of(set, Form::Supplement), "yêu cầu bổ sung"));
    }
    if has(&[CommandKind::Refuse]) {
        out.push((number_of(set, Form::Refusal), "từ chối tiếp nhận"));
    }
    if has(&[CommandKind::Apologise]) {
        out.push((number_of(set, Form::Apology), "xin lỗi, hẹn lại"));
    }
    if set == FormSet::Tt03_2025 && has(&[CommandKind::Stop]) {
        out.push((number_of(set, Form::Stop), "thông báo dừng"));
    }
    out.push((number_of(set, Form::ControlSheet), "phiếu kiểm soát"));
    out.push((number_of(set, Form::Book), "sổ theo dõi"));
    out.sort_by_key(|(n, _)| *n);
    out
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

    fn last(&self, kinds: &[CommandKind]) -> Option<&EventRecord> {
        self.events.iter().rev().find(|e| kinds.contains(&e.command))
    }
}

impl App {
    /// What a dossier's forms draw on, read once with the caller's rights.
    async fn form_context(&self, actor: &Actor, code: &str) -> AppResult<Ctx> {
        let d = self.dossier(actor, code).await?;
        let events = self.dossier_events(actor, code).await?;
        let version = self.version_view(d.procedure.as_str(), Some(d.procedure_number)).await?;
        let desk_name = self.agency_name(&d.agency).await?;
        Ok(Ctx {
            procedure_name: version.version.content.name.trim().to_owned(),
            desk_name,
            events,
            public_url: self.config.public_url.clone(),
            d,
        })
    }

    /// The form `number` of a dossier (in the dossier's form set), for whoever may read the
    /// dossier; the control sheet and the tracking book are staff records.
    pub async fn dossier_form(&self, actor: &Actor, code: &str, number: &str) -> AppResult<Doc> {
        if number == crate::declaration::FORM_NUMBER {
            return self.declaration_doc(actor, code).await;
        }
        let c = self.form_context(actor, code).await?;
        let form = form_of(c.d.form_set, number)?;
        if is_internal(form) {
            self.check_internal_record(actor, &c.d, &format!("mẫu {number}")).await?;
        }
        match form {
            Form::Receipt => self.receipt(&c).await,
            Form::ControlSheet => self.control_sheet(&c).await,
            Form::Book => {
                let line = motcua_domain::dossier::record::BookLine::of(&c.d, &c.events);
                self.book_doc(&c.d.agency, c.d.form_set, &[line], 1, 1).await
            }
            _ => self.notice_form(&c, form, number).await,
        }
    }
}

impl App {
    /// Mẫu 01: the receipt with the appointment.
    async fn receipt(&self, c: &Ctx) -> AppResult<Doc> {
        let form = Form::Receipt;
        let d = &c.d;
        let request =
            Block::Para(vec![Span::plain("Nội dung yêu cầu giải quyết: "), Span::plain(c.procedure_name.clone())]);
        let version = self.version_view(d.procedure.as_str(), Some(d.procedure_number)).await?;
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
        doc.blocks.push(Block::Para(vec![Span::plain("5. Thời gian trả kết quả giải quyết hồ sơ: "), Span::bold(due)]));
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
        Ok(doc)
    }

    /// Mẫu 02 to 05: what the applicant is told (to supplement, refused, apologised to,
    /// stopped), from the last event of that kind.
    async fn notice_form(&self, c: &Ctx, form: Form, number: &str) -> AppResult<Doc> {
        let missing = || AppError::NotFound(format!("mẫu {number}: hồ sơ chưa có sự kiện tương ứng"));
        let d = &c.d;
        let request =
            Block::Para(vec![Span::plain("Nội dung yêu cầu giải quyết: "), Span::plain(c.procedure_name.clone())]);
        let who = Block::Para(vec![Span::plain("Đã tiếp nhận hồ sơ của: "), Span::bold(d.applicant.name.clone())]);
        let doc = match form {
            Form::Supplement => {
                let e =
                    c.last(&[CommandKind::RequestSupplement, CommandKind::RequestCompletion]).ok_or_else(missing)?;
                let issuer = if e.command == CommandKind::RequestCompletion {
                    c.desk_issuer()
                } else {
                    vec![self.agency_name(&e.agency).await?]
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
                doc.blocks.push(Block::Bullets(match e.detail.command() {
                    Some(Command::RequestSupplement { items, .. } | Command::RequestCompletion { items }) => {
                        items.clone()
                    }
                    _ => vec![],
                }));
                doc.blocks.push(Block::Para(vec![Span::plain(
                    "Mọi vướng mắc xin liên hệ Bộ phận tiếp nhận và trả kết quả để được hướng dẫn.",
                )]));
                doc.signatures = vec![sign("NGƯỜI HƯỚNG DẪN", Some(&e.at))];
                doc
            }
            Form::Refusal => {
                let e = c.last(&[CommandKind::Refuse]).ok_or_else(missing)?;
                let mut doc = c.base(form, c.desk_issuer(), Paper::A5, "PHIẾU TỪ CHỐI TIẾP NHẬN GIẢI QUYẾT HỒ SƠ");
                doc.blocks.push(who);
                doc.blocks.extend(applicant_lines(d));
                doc.blocks.push(request);
                doc.blocks.push(Block::Para(vec![Span::plain(
                    "Sau khi kiểm tra, đối chiếu, hồ sơ không đủ điều kiện tiếp nhận vì các lý do sau:",
                )]));
                doc.blocks.push(Block::Bullets(match e.detail.command() {
                    Some(Command::Refuse { reasons }) => reasons.clone(),
                    _ => vec![],
                }));
                doc.blocks.push(Block::Para(vec![Span::plain("Xin thông báo để ông/bà biết.")]));
                doc.signatures = vec![sign("NGƯỜI TIẾP NHẬN HỒ SƠ", Some(&e.at))];
                doc
            }
            Form::Apology => {
                let e = c.last(&[CommandKind::Apologise]).ok_or_else(missing)?;
                let (new_due, reason) = match e.detail.command() {
                    Some(Command::Apologise { new_due, reason, .. }) => (long_vi(new_due), reason.as_str()),
                    _ => (String::new(), ""),
                };
                let original = d.workflow.due_original.as_ref().map(long_vi).unwrap_or_default();
                let title = match d.form_set {
                    FormSet::Tt01_2018 => "PHIẾU XIN LỖI VÀ HẸN LẠI NGÀY TRẢ KẾT QUẢ",
                    FormSet::Tt03_2025 => "VĂN BẢN XIN LỖI VÀ ĐỀ NGHỊ GIA HẠN THỜI GIAN GIẢI QUYẾT",
                };
                let mut doc = c.base(form, vec![self.agency_name(&e.agency).await?], Paper::A5, title);
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
                    format!("Lý do chậm: {reason}."),
                    format!("Cơ quan chân thành xin lỗi và hẹn trả kết quả vào: {new_due}."),
                ] {
                    doc.blocks.push(Block::Para(vec![Span::plain(line)]));
                }
                doc.signatures = vec![sign("THỦ TRƯỞNG CƠ QUAN", Some(&e.at))];
                doc
            }
            _ => {
                let e = c.last(&[CommandKind::Stop]).ok_or_else(missing)?;
                let mut doc = c.base(form, c.desk_issuer(), Paper::A5, "THÔNG BÁO DỪNG GIẢI QUYẾT HỒ SƠ");
                doc.blocks.push(who);
                doc.blocks.push(request);
                for line in [
                format!("Hồ sơ được dừng giải quyết từ {}.", long_vi(&e.at)),
                format!("Lý do: {}.", match e.detail.command() {
                        Some(Command::Stop { reason }) => reason.as_str(),
                        _ => "",
                    }),
                "Tại thời điểm dừng, cơ quan có thẩm quyền chưa ban hành quyết định hoặc thông báo kết quả giải quyết."
                    .to_owned(),
            ] {
                doc.blocks.push(Block::Para(vec![Span::plain(line)]));
            }
                doc.signatures = vec![sign("NGƯỜI CÓ THẨM QUYỀN", Some(&e.at))];
                doc
            }
        };
        Ok(doc)
    }

    /// Mẫu 05 (2018) / 06 (2025): the processing control sheet, one row per hand-off.
    async fn control_sheet(&self, c: &Ctx) -> AppResult<Doc> {
        let form = Form::ControlSheet;
        let d = &c.d;
        let mut doc = c.base(form, c.desk_issuer(), Paper::A4, "PHIẾU KIỂM SOÁT QUÁ TRÌNH GIẢI QUYẾT HỒ SƠ");
        doc.blocks.push(Block::Para(vec![Span::plain(format!(
            "Thủ tục: {} — Người nộp: {} — Cơ quan giải quyết: {}",
            c.procedure_name,
            d.applicant.name,
            self.agency_name(&d.competent_agency).await?
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
                self.agency_name(&e.agency).await?,
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
        Ok(doc)
    }
}

/// The step or the cooperating agency's share the event closed, as the control sheet notes it.
fn budget_note(detail: &EventDetail) -> String {
    let budget = match (detail.step(), detail.share()) {
        (Some(step), _) => (Some(step.budget_hours), Some(step.used_hours)),
        (None, Some(share)) => (share.budget_hours, share.used_hours),
        (None, None) => (None, None),
    };
    match budget {
        (Some(budget), Some(used)) => format!("; thời gian {used} giờ / định mức {budget} giờ"),
        (Some(budget), None) => format!("; định mức {budget} giờ"),
        _ => String::new(),
    }
}

/// A step or a cooperating agency's answer is judged against its own budget; other hand-offs
/// against the dossier's appointment.
fn result_of(e: &EventRecord, due: Option<Instant>) -> &'static str {
    let own = e
        .detail
        .step()
        .map(|s| s.due)
        .or_else(|| e.detail.share().filter(|s| s.used_hours.is_some()).and_then(|s| s.due));
    own.or(due).map_or("", |d| motcua_domain::calendar::deadline::judge(e.at, d).label_vi())
}
