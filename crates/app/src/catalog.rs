//! Catalog use cases: search, read, create, new version, publish, abolish, import, export.

use std::collections::BTreeSet;

use chrono::NaiveDate;
use motcua_domain::ids::{AgencyCode, ProcedureCode};
use motcua_domain::procedure::search::{CatalogQuery, Page, ProcedureSummary};
use motcua_domain::procedure::{
    Level, OnlineLevel, Procedure, ProcedureVersion, ReviewFlag, VersionContent, VersionStatus,
};
use motcua_domain::text::query_words;
use motcua_storage::{AgencyQuery, ImportSummary, StoredProcedure};
use serde::{Deserialize, Serialize};

use crate::{Actor, App, AppError, AppResult};

/// Catalog search as the API and pages receive it.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Default, Deserialize)]
pub struct SearchParams {
    pub q: Option<String>,
    pub field: Option<String>,
    pub level: Option<Level>,
    pub online_level: Option<OnlineLevel>,
    pub agency: Option<String>,
    /// Versions in force on this date (default: today in Vietnam).
    pub at: Option<NaiveDate>,
    pub page: Option<u32>,
    pub per_page: Option<u32>,
}

/// One line of a procedure's history.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Serialize)]
pub struct VersionLine {
    pub number: u32,
    pub status: VersionStatus,
    pub decision_no: Option<String>,
    pub decision_date: Option<NaiveDate>,
    pub effective_from: Option<NaiveDate>,
    pub effective_to: Option<NaiveDate>,
}

impl From<&ProcedureVersion> for VersionLine {
    fn from(v: &ProcedureVersion) -> Self {
        Self {
            number: v.number,
            status: v.status,
            decision_no: v.publication.decision_no.clone(),
            decision_date: v.publication.decision_date,
            effective_from: v.publication.effective_from,
            effective_to: v.publication.effective_to,
        }
    }
}

/// A procedure as shown: the version asked for, what to review, and the history.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Serialize)]
pub struct ProcedureView {
    pub code: ProcedureCode,
    /// Revision to send back with a change (optimistic locking).
    pub revision: i64,
    pub version: ProcedureVersion,
    pub flags: Vec<ReviewFlag>,
    pub history: Vec<VersionLine>,
}

impl ProcedureView {
    /// Whether an applicant may file this procedure online (see `VersionContent::accepts_online`).
    pub fn files_online(&self) -> bool {
        self.version.content.accepts_online()
    }
}

/// Publication of the draft.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Deserialize)]
pub struct PublishInput {
    pub revision: i64,
    #[cfg_attr(feature = "openapi", schema(pattern = r"\S"))]
    pub decision_no: String,
    pub decision_date: NaiveDate,
    pub effective_from: NaiveDate,
}

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Deserialize)]
pub struct AbolishInput {
    pub revision: i64,
    #[cfg_attr(feature = "openapi", schema(pattern = r"\S"))]
    pub decision_no: String,
    pub date: NaiveDate,
}

/// The day a published version went onto the national procedure database.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Deserialize)]
pub struct PublicisedInput {
    pub revision: i64,
    pub version: u32,
    pub date: NaiveDate,
}

pub(crate) fn parse_code(code: &str) -> AppResult<ProcedureCode> {
    Ok(ProcedureCode::parse(code)?)
}

impl App {
    pub async fn search_procedures(&self, p: &SearchParams) -> AppResult<Page<ProcedureSummary>> {
        let agency = match p.agency.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
            Some(a) => Some(AgencyCode::parse(a)?),
            None => None,
        };
        let field = p.field.as_deref().map(str::trim).filter(|s| !s.is_empty()).map(str::to_owned);
        let query = CatalogQuery {
            words: query_words(p.q.as_deref().unwrap_or("")),
            field,
            level: p.level,
            online_level: p.online_level,
            agency,
            on: p.at.unwrap_or_else(|| self.today()),
            page: p.page.unwrap_or(1).max(1),
            per_page: p.per_page.unwrap_or(20).clamp(1, 100),
        };
        Ok(self.catalog_index().await?.search(&query))
    }

    pub async fn procedure_fields(&self) -> AppResult<Vec<String>> {
        Ok(self.catalog_index().await?.fields(self.today()))
    }

    pub(crate) async fn stored(&self, code: &ProcedureCode) -> AppResult<StoredProcedure> {
        let p = self.stored_procedure(code).await?.ok_or_else(|| AppError::NotFound(format!("thủ tục {code}")))?;
        Ok(StoredProcedure::clone(&p))
    }

    /// The version in force on `at` (default today). Without one, the latest published version
    /// is not substituted: a procedure not yet or no longer in force answers 404 for that date.
    pub async fn procedure_on(&self, code: &str, at: Option<NaiveDate>) -> AppResult<ProcedureView> {
        let code = parse_code(code)?;
        let stored = self.stored(&code).await?;
        let date = at.unwrap_or_else(|| self.today());
        let version = stored.procedure.version_on(date).cloned().ok_or_else(|| {
            AppError::NotFound(format!("phiên bản của thủ tục {code} có hiệu lực ngày {}", date.format("%d/%m/%Y")))
        })?;
        Ok(view(&stored, version))
    }

    /// A given version (`None`: the latest, which is the draft when there is one) for editing
    /// and history pages. Drafts are the provincial admin's only.
    pub async fn procedure_version(&self, actor: &Actor, code: &str, number: Option<u32>) -> AppResult<ProcedureView> {
        let view = self.version_view(code, number).await?;
        if !view.version.status.was_published() {
            actor.require_admin()?;
        }
        Ok(view)
    }

    /// A version as the use cases need it (a dossier's own version), unchecked.
    pub(crate) async fn version_view(&self, code: &str, number: Option<u32>) -> AppResult<ProcedureView> {
        let code = parse_code(code)?;
        let stored = self.stored(&code).await?;
        let version = match number {
            Some(n) => stored.procedure.versions.iter().find(|v| v.number == n),
            None => stored.procedure.versions.last(),
        }
        .cloned()
        .ok_or_else(|| AppError::NotFound(format!("phiên bản {} của thủ tục {code}", number.unwrap_or(0))))?;
        Ok(view(&stored, version))
    }

    async fn check_agencies(&self, content: &VersionContent, at: &str) -> AppResult<()> {
        for (i, a) in content.agencies.iter().enumerate() {
            if self.store.agency(a).await?.is_none() {
                return Err(AppError::invalid(
                    "unknown_agency",
                    format!("{at}agencies[{i}]"),
                    format!("Không có cơ quan mã {a} trong danh mục"),
                ));
            }
        }
        Ok(())
    }

    /// Create a procedure with its first version as a draft.
    pub async fn create_procedure(
        &self,
        actor: &Actor,
        code: &str,
        content: VersionContent,
    ) -> AppResult<ProcedureView> {
        actor.require_admin()?;
        let code = parse_code(code)?;
        if self.store.procedure(&code).await?.is_some() {
            return Err(AppError::NotAllowed {
                code: "procedure_exists", message: format!("Thủ tục {code} đã có")
            });
        }
        self.check_agencies(&content, "").await?;
        let empty = Procedure { code: code.clone(), versions: vec![] };
        let draft = empty.new_draft(content)?;
        let audit = actor.audit(self.now(), "procedure.create", "procedure", code.as_str(), serde_json::json!({}));
        self.store.save_versions(&code, 0, std::slice::from_ref(&draft), &audit).await?;
        self.catalog_changed().await;
        self.version_view(code.as_str(), Some(1)).await
    }

    /// Start a new version (a draft) of a procedure, or replace the content of its draft.
    pub async fn save_draft(
        &self,
        actor: &Actor,
        code: &str,
        revision: i64,
        content: VersionContent,
    ) -> AppResult<ProcedureView> {
        actor.require_admin()?;
        let code = parse_code(code)?;
        let stored = self.stored(&code).await?;
        if stored.revision != revision {
            return Err(AppError::Stale);
        }
        self.check_agencies(&content, "").await?;
        let draft = match stored.procedure.draft() {
            Some(d) => {
                content.validate()?;
                ProcedureVersion { content, ..d.clone() }
            }
            None => stored.procedure.new_draft(content)?,
        };
        let audit = actor.audit(
            self.now(),
            "procedure.draft",
            "procedure",
            code.as_str(),
            serde_json::json!({ "version": draft.number }),
        );
        self.store.save_versions(&code, revision, std::slice::from_ref(&draft), &audit).await?;
        self.catalog_changed().await;
        self.version_view(code.as_str(), Some(draft.number)).await
    }

    pub async fn publish_procedure(&self, actor: &Actor, code: &str, input: PublishInput) -> AppResult<ProcedureView> {
        actor.require_admin()?;
        let code = parse_code(code)?;
        let mut stored = self.stored(&code).await?;
        if stored.revision != input.revision {
            return Err(AppError::Stale);
        }
        let changed = stored.procedure.publish(input.decision_no.clone(), input.decision_date, input.effective_from)?;
        let number = changed.last().map(|v| v.number).unwrap_or_default();
        let audit = actor.audit(
            self.now(),
            "procedure.publish",
            "procedure",
            code.as_str(),
            serde_json::json!({ "version": number, "decision_no": input.decision_no, "effective_from": input.effective_from }),
        );
        self.store.save_versions(&code, input.revision, &changed, &audit).await?;
        self.catalog_changed().await;
        self.version_view(code.as_str(), Some(number)).await
    }

    /// Record when a published version was publicised on the national procedure database
    /// (Decision 766 metric 1.2).
    pub async fn mark_publicised(&self, actor: &Actor, code: &str, input: PublicisedInput) -> AppResult<ProcedureView> {
        actor.require_admin()?;
        let code = parse_code(code)?;
        let mut stored = self.stored(&code).await?;
        if stored.revision != input.revision {
            return Err(AppError::Stale);
        }
        if input.date > self.today() {
            return Err(AppError::invalid("invalid_date", "date", "Ngày công khai không thể ở tương lai"));
        }
        let changed = stored.procedure.mark_publicised(input.version, input.date)?;
        let audit = actor.audit(
            self.now(),
            "procedure.publicised",
            "procedure",
            code.as_str(),
            serde_json::json!({ "version": input.version, "date": input.date }),
        );
        self.store.save_versions(&code, input.revision, std::slice::from_ref(&changed), &audit).await?;
        self.catalog_changed().await;
        self.version_view(code.as_str(), Some(input.version)).await
    }

    pub async fn abolish_procedure(&self, actor: &Actor, code: &str, input: AbolishInput) -> AppResult<ProcedureView> {
        actor.require_admin()?;
        let code = parse_code(code)?;
        let mut stored = self.stored(&code).await?;
        if stored.revision != input.revision {
            return Err(AppError::Stale);
        }
        if input.decision_no.trim().is_empty() {
            return Err(AppError::invalid("required", "decision_no", "Cần số quyết định bãi bỏ"));
        }
        let changed = stored.procedure.abolish(input.decision_no.clone(), input.date)?;
        let audit = actor.audit(
            self.now(),
            "procedure.abolish",
            "procedure",
            code.as_str(),
            serde_json::json!({ "version": changed.number, "decision_no": input.decision_no, "date": input.date }),
        );
        self.store.save_versions(&code, input.revision, std::slice::from_ref(&changed), &audit).await?;
        self.catalog_changed().await;
        self.version_view(code.as_str(), Some(changed.number)).await
    }

    /// Import procedures, all or nothing; errors name the record (`[index] code`) and the field.
    pub async fn import_procedures(
        &self,
        actor: &Actor,
        procedures: &[Procedure],
        progress: &(dyn Fn(usize) + Sync),
    ) -> AppResult<ImportSummary> {
        actor.require_admin()?;
        let known: BTreeSet<AgencyCode> =
            self.store.agencies(&AgencyQuery::default()).await?.into_iter().map(|a| a.code).collect();
        let mut seen = BTreeSet::new();
        for (i, p) in procedures.iter().enumerate() {
            let at = format!("[{i}] {}", p.code);
            if !seen.insert(&p.code) {
                return Err(AppError::invalid(
                    "duplicate_procedure",
                    format!("{at}.code"),
                    format!("Mã thủ tục {} xuất hiện hai lần", p.code),
                ));
            }
            p.validate().map_err(|e| e.under(&at))?;
            for (vi, v) in p.versions.iter().enumerate() {
                if let Some((ai, a)) = v.content.agencies.iter().enumerate().find(|(_, a)| !known.contains(*a)) {
                    return Err(AppError::invalid(
                        "unknown_agency",
                        format!("{at}.versions[{vi}].agencies[{ai}]"),
                        format!("Không có cơ quan mã {a} trong danh mục"),
                    ));
                }
            }
        }
        let audit = actor.audit(self.now(), "catalog.import", "procedure", "*", serde_json::json!({}));
        let summary = self.store.import_procedures(procedures, &audit, progress).await?;
        self.catalog_changed().await;
        Ok(summary)
    }

    /// Every version ever published, without content (what the search index is built from).
    /// The catalog is public.
    pub async fn catalog_entries(&self) -> AppResult<Vec<motcua_domain::procedure::search::CatalogEntry>> {
        Ok(self.store.catalog_entries().await?)
    }

    /// Every procedure with all its versions, in the import format. Drafts are part of it, so
    /// it is the provincial admin's.
    pub async fn export_procedures(&self, actor: &Actor) -> AppResult<Vec<Procedure>> {
        actor.require_admin()?;
        Ok(self.store.export_procedures().await?)
    }
}

fn view(stored: &StoredProcedure, version: ProcedureVersion) -> ProcedureView {
    ProcedureView {
        code: stored.procedure.code.clone(),
        revision: stored.revision,
        flags: version.content.review_flags(),
        history: stored.procedure.versions.iter().map(VersionLine::from).collect(),
        version,
    }
}
