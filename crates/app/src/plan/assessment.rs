//! Impact assessments of procedures in draft legal documents (the plan's procedure-control work,
//! issue 5 item 4): entered by the provincial office for a draft version of a procedure, with
//! the signed assessment form attached; measured against the plan's target (every procedure of
//! a draft assessed).

use chrono::NaiveDate;
use motcua_domain::file::AttachedFile;
use motcua_domain::ids::{AgencyCode, ProcedureCode};
use motcua_domain::plan::assessment::{Conclusion, ImpactAssessment, assessed_pct};
use motcua_domain::procedure::VersionStatus;
use serde::{Deserialize, Serialize};

use crate::{Actor, App, AppError, AppResult};

/// An impact assessment as entered.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Deserialize)]
pub struct AssessmentInput {
    /// The drafting agency that made it.
    pub agency: String,
    pub assessed_on: NaiveDate,
    pub necessity: String,
    pub reasonableness: String,
    pub legality: String,
    #[serde(default)]
    pub cost_year_vnd: Option<u64>,
    pub conclusion: Conclusion,
    #[serde(default)]
    pub opinion: String,
}

/// A version to assess: a draft, or one whose publishing decision is dated in the year, or one
/// assessed in the year.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Serialize)]
pub struct AssessmentLine {
    pub procedure: ProcedureCode,
    pub version: u32,
    pub name: String,
    pub status: VersionStatus,
    pub decision_date: Option<NaiveDate>,
    pub assessment: Option<ImpactAssessment>,
}

/// The year's procedures to assess and how many are.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Serialize)]
pub struct AssessmentReport {
    pub year: i32,
    pub lines: Vec<AssessmentLine>,
    pub to_assess: usize,
    pub assessed: usize,
    pub assessed_pct: Option<f64>,
}

impl App {
    /// Enter (or correct) the impact assessment of a draft version; a document attached before
    /// stays attached.
    pub async fn put_impact_assessment(
        &self,
        actor: &Actor,
        code: &str,
        version: u32,
        input: AssessmentInput,
    ) -> AppResult<ImpactAssessment> {
        actor.require_admin()?;
        let procedure = self.draft_version(code, version).await?;
        let agency = AgencyCode::parse(&input.agency).map_err(|e| AppError::Invalid(e.under("agency")))?;
        if self.agency(&agency).await?.is_none() {
            return Err(AppError::invalid("unknown_agency", "agency", format!("Không có cơ quan mã {agency}")));
        }
        let earlier = self.assessment_of(&procedure, version).await?;
        let a = ImpactAssessment {
            procedure: procedure.clone(),
            version,
            agency,
            assessed_on: input.assessed_on,
            necessity: input.necessity.trim().to_owned(),
            reasonableness: input.reasonableness.trim().to_owned(),
            legality: input.legality.trim().to_owned(),
            cost_year_vnd: input.cost_year_vnd,
            conclusion: input.conclusion,
            opinion: input.opinion.trim().to_owned(),
            document: earlier.and_then(|e| e.document),
            updated_at: self.now(),
            updated_by: actor.name(),
        };
        a.check(self.today())?;
        let audit = actor.audit(
            self.now(),
            "procedure.assessment",
            "procedure_version",
            format!("{procedure}/{version}"),
            serde_json::json!({ "agency": a.agency, "conclusion": a.conclusion }),
        );
        self.store.put_impact_assessment(&a, &audit).await?;
        Ok(a)
    }

    /// Attach the signed assessment form (PDF, PNG or JPEG) to the assessment of a draft
    /// version: the bytes to the file store first, then the row and its audit in one
    /// transaction; the document it replaces stays in the store, as every stored file does. Runs
    /// to its end even when the caller goes away (see [`App::attach_document`]).
    pub async fn attach_assessment_document(
        &self,
        actor: &Actor,
        code: &str,
        version: u32,
        file_name: &str,
        bytes: bytes::Bytes,
    ) -> AppResult<ImpactAssessment> {
        let (app, actor, code, file_name) = (self.clone(), actor.clone(), code.to_owned(), file_name.to_owned());
        self.to_completion(async move {
            app.attach_assessment_document_now(&actor, &code, version, &file_name, bytes).await
        })
        .await
    }

    async fn attach_assessment_document_now(
        &self,
        actor: &Actor,
        code: &str,
        version: u32,
        file_name: &str,
        bytes: bytes::Bytes,
    ) -> AppResult<ImpactAssessment> {
        actor.require_admin()?;
        let procedure = self.draft_version(code, version).await?;
        let mut a = self.assessment_of(&procedure, version).await?.ok_or_else(|| AppError::NotAllowed {
            code: "no_assessment",
            message: format!(
                "Thủ tục {procedure} phiên bản {version} chưa có kết quả đánh giá tác động; nhập trước khi đính kèm"
            ),
        })?;
        let key = format!("assessments/{procedure}/{version}/{}", uuid::Uuid::now_v7());
        let doc = self.put_upload(key, file_name, bytes).await?;
        let audit = actor.audit(
            self.now(),
            "procedure.assessment.document",
            "procedure_version",
            format!("{procedure}/{version}"),
            serde_json::json!({ "file": doc.file_name, "sha256": doc.sha256 }),
        );
        a.document = Some(doc.clone());
        a.updated_at = self.now();
        a.updated_by = actor.name();
        self.keep_upload(&doc, self.store.put_impact_assessment(&a, &audit)).await?;
        Ok(a)
    }

    /// The assessment form of a version with its bytes (staff; checksum verified).
    pub async fn assessment_document(
        &self,
        actor: &Actor,
        code: &str,
        version: u32,
    ) -> AppResult<(AttachedFile, bytes::Bytes)> {
        crate::plan::require_staff(actor)?;
        let procedure = ProcedureCode::parse(code).map_err(|e| AppError::Invalid(e.under("procedure")))?;
        let doc =
            self.assessment_of(&procedure, version).await?.and_then(|a| a.document).ok_or_else(|| {
                AppError::NotFound(format!("phiếu đánh giá tác động của thủ tục {procedure}/{version}"))
            })?;
        let bytes = self.stored_file(&doc).await?;
        Ok((doc, bytes))
    }

    /// The versions to assess in `year` (drafts today, versions whose publishing decision is
    /// dated in the year, versions assessed in the year) and how many are assessed.
    pub async fn impact_assessment_report(&self, actor: &Actor, year: i32) -> AppResult<AssessmentReport> {
        crate::plan::require_staff(actor)?;
        let mut assessments = self.store.impact_assessments().await?;
        let in_year = |d: Option<NaiveDate>| d.is_some_and(|d| chrono::Datelike::year(&d) == year);
        let mut lines = Vec::new();
        for p in self.catalog_snapshot().await?.iter() {
            for v in &p.versions {
                let pos = assessments.iter().position(|a| a.procedure == p.code && a.version == v.number);
                let assessment = pos.map(|i| assessments.swap_remove(i));
                let counted = v.status == VersionStatus::Draft
                    || in_year(v.publication.decision_date)
                    || in_year(assessment.as_ref().map(|a| a.assessed_on));
                if counted {
                    lines.push(AssessmentLine {
                        procedure: p.code.clone(),
                        version: v.number,
                        name: v.content.name.clone(),
                        status: v.status,
                        decision_date: v.publication.decision_date,
                        assessment,
                    });
                }
            }
        }
        let assessed = lines.iter().filter(|l| l.assessment.is_some()).count();
        Ok(AssessmentReport {
            year,
            to_assess: lines.len(),
            assessed,
            assessed_pct: assessed_pct(assessed, lines.len()),
            lines,
        })
    }

    /// The procedure's code and the draft version `version` of it (else a clear refusal).
    async fn draft_version(&self, code: &str, version: u32) -> AppResult<ProcedureCode> {
        let procedure = ProcedureCode::parse(code).map_err(|e| AppError::Invalid(e.under("procedure")))?;
        let stored = self.stored(&procedure).await?;
        let v = stored
            .procedure
            .versions
            .iter()
            .find(|v| v.number == version)
            .ok_or_else(|| AppError::NotFound(format!("phiên bản {version} của thủ tục {procedure}")))?;
        if v.status != VersionStatus::Draft {
            return Err(AppError::NotAllowed {
                code: "not_draft",
                message: format!(
                    "Phiên bản {version} của thủ tục {procedure} đã công bố; chỉ đánh giá tác động dự thảo"
                ),
            });
        }
        Ok(procedure)
    }

    async fn assessment_of(&self, procedure: &ProcedureCode, version: u32) -> AppResult<Option<ImpactAssessment>> {
        Ok(self
            .store
            .impact_assessments()
            .await?
            .into_iter()
            .find(|a| &a.procedure == procedure && a.version == version))
    }
}
