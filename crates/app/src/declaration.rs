//! The declaration form (tờ khai) of a procedure as the applicant lives it: filled in online
//! (checked at intake, `dossiers::intake`), kept as a draft to finish later, shown on the dossier
//! and printed.

use chrono::NaiveDate;
use motcua_domain::dossier::DossierCode;
use motcua_domain::ids::ProcedureCode;
use motcua_domain::procedure::eform::{AnswerLine, Answers, Draft, EForm, RawAnswers};
use motcua_domain::procedure::{Channel, VersionContent};
use motcua_domain::user::Role;
use motcua_print::{Block, Column, Doc, Paper, Qr, Signature, Span};
use serde::Serialize;

use crate::dossiers::IntakeInput;
use crate::{Actor, App, AppError, AppResult};

/// A filed declaration as shown and printed.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DeclarationView {
    pub title: String,
    pub lines: Vec<AnswerLine>,
}

/// The number under which the declaration prints among a dossier's forms (`/mau/to-khai`).
pub const FORM_NUMBER: &str = "to-khai";

impl App {
    /// The answers a dossier of `input` is received with: checked against the version's form
    /// (every refusal at once); required online, optional at the counter and by post, where
    /// the paper form is the declaration. Answers for a procedure without a form are refused.
    pub(crate) fn declaration_at_intake(
        content: &VersionContent,
        code: &ProcedureCode,
        input: &IntakeInput,
        today: NaiveDate,
    ) -> AppResult<Option<Answers>> {
        match &content.declaration {
            Some(_) if input.channel != Channel::Online && input.answers.is_empty() => Ok(None),
            Some(form) => Ok(Some(form.check(&input.answers, today).map_err(AppError::InvalidAnswers)?)),
            None if input.answers.is_empty() => Ok(None),
            None => {
                Err(AppError::invalid("unknown_field", "answers", format!("Thủ tục {code} không có tờ khai điện tử")))
            }
        }
    }

    /// The citizen's account a draft belongs to.
    fn draft_owner(actor: &Actor) -> AppResult<uuid::Uuid> {
        match actor.user() {
            Some(u) if u.role == Role::Citizen => Ok(u.id),
            Some(_) => Err(AppError::Forbidden("Bản nháp tờ khai dành cho người nộp hồ sơ trực tuyến".into())),
            None => Err(AppError::Unauthenticated),
        }
    }

    /// The declaration form of `procedure` in force today (an error when it has none).
    async fn eform_of(&self, procedure: &str) -> AppResult<(ProcedureCode, EForm)> {
        let view = self.procedure_on(procedure, None).await?;
        let form = view.version.content.declaration.clone().ok_or_else(|| AppError::NotAllowed {
            code: "no_eform",
            message: format!("Thủ tục {} không có tờ khai điện tử", view.code),
        })?;
        Ok((view.code, form))
    }

    /// Keep the caller's unfinished declaration of `procedure` (only the form's fields, unchecked:
    /// a draft is unfinished by nature), replacing the one kept before.
    pub async fn save_declaration_draft(
        &self,
        actor: &Actor,
        procedure: &str,
        answers: &RawAnswers,
    ) -> AppResult<Draft> {
        let owner = Self::draft_owner(actor)?;
        let (code, form) = self.eform_of(procedure).await?;
        let kept = form.draft_of(answers)?;
        let at = self.now().with_timezone(&motcua_domain::calendar::deadline::vn_offset());
        self.store.save_draft(owner, &code, &kept, at).await?;
        Ok(Draft { procedure: code, answers: kept, saved_at: at })
    }

    /// The caller's draft of `procedure`, if one is kept.
    pub async fn declaration_draft(&self, actor: &Actor, procedure: &str) -> AppResult<Option<Draft>> {
        let owner = Self::draft_owner(actor)?;
        let code = crate::catalog::parse_code(procedure)?;
        Ok(self.store.draft(owner, &code).await?)
    }

    /// Drop the caller's draft of `procedure`; true when there was one.
    pub async fn discard_declaration_draft(&self, actor: &Actor, procedure: &str) -> AppResult<bool> {
        let owner = Self::draft_owner(actor)?;
        let code = crate::catalog::parse_code(procedure)?;
        Ok(self.store.discard_draft(owner, &code).await?)
    }

    /// A filing is done: its draft is not needed any more. The dossier is stored already, so a
    /// failure here is logged, not returned (the applicant would file twice).
    pub(crate) async fn drop_filed_draft(&self, actor: &Actor, procedure: &ProcedureCode) {
        if let Some(u) = actor.user().filter(|u| u.role == Role::Citizen)
            && let Err(e) = self.store.discard_draft(u.id, procedure).await
        {
            tracing::warn!(error = %e, procedure = %procedure, "the draft of a filed declaration stays");
        }
    }

    /// The declaration filed with dossier `code`, for whoever may read the dossier: its lines in
    /// the order of the form of the procedure version it was received under.
    pub async fn dossier_declaration(&self, actor: &Actor, code: &str) -> AppResult<Option<DeclarationView>> {
        let d = self.dossier(actor, code).await?;
        let version = self.version_view(d.procedure.as_str(), Some(d.procedure_number)).await?;
        self.declaration_view(&d.code, &version.version.content).await
    }

    /// The declaration of dossier `code` (already read by the caller), laid out with the form
    /// of its version `content`.
    pub(crate) async fn declaration_view(
        &self,
        code: &DossierCode,
        content: &VersionContent,
    ) -> AppResult<Option<DeclarationView>> {
        let Some(answers) = self.store.declaration(code).await? else { return Ok(None) };
        let form = content
            .declaration
            .as_ref()
            .ok_or_else(|| AppError::Internal(format!("dossier {code} has answers and its version no declaration")))?;
        Ok(Some(DeclarationView { title: form.title.clone(), lines: form.lines(&answers) }))
    }

    /// The filed declaration as a printable document (`/ho-so/{code}/mau/to-khai`).
    pub(crate) async fn declaration_doc(&self, actor: &Actor, code: &str) -> AppResult<Doc> {
        let view = self
            .dossier_declaration(actor, code)
            .await?
            .ok_or_else(|| AppError::NotFound(format!("tờ khai điện tử của hồ sơ {code}")))?;
        let d = self.dossier(actor, code).await?;
        let mut blocks = vec![Block::Para(vec![
            Span::plain("Người khai: "),
            Span::bold(d.applicant.name.clone()),
            Span::plain(format!(" — nộp trực tuyến lúc {}", crate::forms::long_vi(&d.received_at))),
        ])];
        blocks.push(Block::Table {
            columns: vec![
                Column { title: "TT".into(), share: 0.8 },
                Column { title: "Nội dung".into(), share: 4.2 },
                Column { title: "Thông tin kê khai".into(), share: 6.0 },
            ],
            rows: view
                .lines
                .iter()
                .enumerate()
                .map(|(i, l)| vec![(i + 1).to_string(), l.label.clone(), l.value.clone()])
                .collect(),
        });
        blocks.push(Block::Para(vec![Span::plain(
            "Tôi xin cam đoan những nội dung khai trên đây là đúng sự thật và chịu trách nhiệm trước pháp luật về lời khai của mình.",
        )]));
        Ok(Doc {
            paper: Paper::A4,
            number: FORM_NUMBER.into(),
            set_label: "Tờ khai điện tử".into(),
            issuer: vec![],
            title: view.title.to_uppercase(),
            subtitle: Some(format!("Mã hồ sơ: {}", d.code)),
            blocks,
            signatures: vec![Signature {
                dated: Some(crate::forms::dated(&d.received_at)),
                role: "NGƯỜI KHAI".into(),
                hint: "(Đã xác nhận khi nộp trực tuyến)".into(),
            }],
            qr: Some(Qr {
                url: format!("{}/tra-cuu?ma={}", self.config.public_url, d.code),
                caption: "Quét mã để tra cứu tình trạng hồ sơ (nhập 4 số cuối điện thoại người nộp)".into(),
            }),
            footnote: None,
        })
    }
}
