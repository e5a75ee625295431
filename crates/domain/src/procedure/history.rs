//! A procedure's history: its versions with their publication, and the rules that move it
//! (a new draft, publishing, publicising, abolishing) or compare it with an imported copy.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::{VersionContent, VersionStatus};
use crate::FieldError;
use crate::ids::ProcedureCode;

/// Publication metadata of a version.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Publication {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub decision_no: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub decision_date: Option<NaiveDate>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub effective_from: Option<NaiveDate>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub effective_to: Option<NaiveDate>,
    /// The day the version was publicised on the national procedure database (Decision 766
    /// metric 1.2); `None` until then.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub publicised_on: Option<NaiveDate>,
}

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ProcedureVersion {
    pub number: u32,
    pub status: VersionStatus,
    #[serde(flatten)]
    pub publication: Publication,
    #[serde(flatten)]
    pub content: VersionContent,
}

impl ProcedureVersion {
    pub fn in_force_on(&self, date: NaiveDate) -> bool {
        self.status.was_published()
            && self.publication.effective_from.is_some_and(|f| f <= date)
            && self.publication.effective_to.is_none_or(|t| date < t)
    }
}

/// A procedure with all its versions, oldest first (the import/export unit).
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Procedure {
    pub code: ProcedureCode,
    pub versions: Vec<ProcedureVersion>,
}

impl Procedure {
    pub fn version_on(&self, date: NaiveDate) -> Option<&ProcedureVersion> {
        self.versions.iter().rev().find(|v| v.in_force_on(date))
    }

    pub fn draft(&self) -> Option<&ProcedureVersion> {
        self.versions.iter().find(|v| v.status == VersionStatus::Draft)
    }

    /// Validate the whole history: numbering, one draft at most, publication dates in order,
    /// non-overlapping periods. Errors name the version.
    pub fn validate(&self) -> Result<(), FieldError> {
        if self.versions.is_empty() {
            return Err(FieldError::new("required", "versions", "Thủ tục cần ít nhất một phiên bản"));
        }
        let mut drafts = 0;
        let mut last_to: Option<NaiveDate> = None;
        let mut last_from: Option<NaiveDate> = None;
        for (i, v) in self.versions.iter().enumerate() {
            let at = format!("versions[{i}]");
            if v.number as usize != i + 1 {
                return Err(FieldError::new(
                    "invalid_version_number",
                    format!("{at}.number"),
                    format!("Số phiên bản phải là {}", i + 1),
                ));
            }
            v.content.validate().map_err(|e| e.under(&at))?;
            if v.status == VersionStatus::Draft {
                drafts += 1;
                if drafts > 1 {
                    return Err(FieldError::new(
                        "two_drafts",
                        format!("{at}.status"),
                        "Mỗi thủ tục chỉ có một dự thảo",
                    ));
                }
                continue;
            }
            let Some(from) = v.publication.effective_from else {
                return Err(FieldError::new(
                    "required",
                    format!("{at}.effective_from"),
                    "Phiên bản đã công bố phải có ngày hiệu lực",
                ));
            };
            if let Some(to) = v.publication.effective_to
                && to <= from
            {
                return Err(FieldError::new(
                    "invalid_validity",
                    format!("{at}.effective_to"),
                    "Ngày hết hiệu lực phải sau ngày có hiệu lực",
                ));
            }
            if last_from.is_some_and(|lf| from <= lf) || last_to.is_some_and(|lt| from < lt) {
                return Err(FieldError::new(
                    "overlapping_versions",
                    format!("{at}.effective_from"),
                    "Thời gian hiệu lực chồng lấn với phiên bản trước",
                ));
            }
            if last_to.is_none() && last_from.is_some() {
                return Err(FieldError::new(
                    "overlapping_versions",
                    format!("{at}.effective_from"),
                    "Phiên bản trước chưa có ngày hết hiệu lực",
                ));
            }
            last_from = Some(from);
            last_to = v.publication.effective_to;
        }
        Ok(())
    }

    /// Start a new draft from the latest version. Fails when a draft exists or the procedure
    /// has been abolished.
    pub fn new_draft(&self, content: VersionContent) -> Result<ProcedureVersion, crate::DomainError> {
        if self.draft().is_some() {
            return Err(crate::DomainError::not_allowed("draft_exists", "Thủ tục đã có một dự thảo chưa công bố"));
        }
        if self.versions.last().is_some_and(|v| v.status == VersionStatus::Abolished) {
            return Err(crate::DomainError::not_allowed("procedure_abolished", "Thủ tục đã bị bãi bỏ"));
        }
        content.validate()?;
        Ok(ProcedureVersion {
            number: self.versions.len() as u32 + 1,
            status: VersionStatus::Draft,
            publication: Publication {
                decision_no: None,
                decision_date: None,
                effective_from: None,
                effective_to: None,
                publicised_on: None,
            },
            content,
        })
    }

    /// Publish the draft from `effective_from`. The version in force (if any) becomes
    /// `amended` and ends on that date. Returns the changed versions.
    pub fn publish(
        &mut self,
        decision_no: String,
        decision_date: NaiveDate,
        effective_from: NaiveDate,
    ) -> Result<Vec<ProcedureVersion>, crate::DomainError> {
        let decision_no = decision_no.trim().to_owned();
        if decision_no.is_empty() {
            return Err(FieldError::new("required", "decision_no", "Cần số quyết định công bố").into());
        }
        if effective_from < decision_date {
            return Err(FieldError::new(
                "invalid_effective_from",
                "effective_from",
                "Ngày có hiệu lực không được trước ngày quyết định",
            )
            .into());
        }
        let Some(di) = self.versions.iter().position(|v| v.status == VersionStatus::Draft) else {
            return Err(crate::DomainError::not_allowed("no_draft", "Không có dự thảo để công bố"));
        };
        let mut changed = Vec::new();
        if let Some(pi) = self.versions.iter().rposition(|v| v.status == VersionStatus::Published) {
            let prev = &mut self.versions[pi];
            if prev.publication.effective_from.is_some_and(|f| effective_from <= f) {
                return Err(FieldError::new(
                    "invalid_effective_from",
                    "effective_from",
                    "Ngày có hiệu lực phải sau ngày có hiệu lực của phiên bản đang áp dụng",
                )
                .into());
            }
            prev.status = VersionStatus::Amended;
            prev.publication.effective_to = Some(effective_from);
            changed.push(prev.clone());
        }
        let draft = &mut self.versions[di];
        draft.status = VersionStatus::Published;
        draft.publication = Publication {
            decision_no: Some(decision_no),
            decision_date: Some(decision_date),
            effective_from: Some(effective_from),
            effective_to: None,
            publicised_on: None,
        };
        changed.push(draft.clone());
        Ok(changed)
    }

    /// Record the day version `number` was publicised on the national procedure database. Only
    /// a published version, and not before its publishing decision.
    pub fn mark_publicised(&mut self, number: u32, on: NaiveDate) -> Result<ProcedureVersion, crate::DomainError> {
        let v = self.versions.iter_mut().find(|v| v.number == number).ok_or_else(|| {
            crate::DomainError::not_allowed("version_not_found", format!("Không có phiên bản {number}"))
        })?;
        if !v.status.was_published() {
            return Err(crate::DomainError::not_allowed("not_published", "Chỉ công khai phiên bản đã được công bố"));
        }
        if v.publication.decision_date.is_some_and(|d| on < d) {
            return Err(FieldError::new("invalid_date", "date", "Ngày công khai trước ngày quyết định công bố").into());
        }
        v.publication.publicised_on = Some(on);
        Ok(v.clone())
    }

    /// Abolish the procedure from `date`: the version in force ends then.
    pub fn abolish(&mut self, decision_no: String, date: NaiveDate) -> Result<ProcedureVersion, crate::DomainError> {
        let Some(pi) = self.versions.iter().rposition(|v| v.status == VersionStatus::Published) else {
            return Err(crate::DomainError::not_allowed("not_published", "Thủ tục chưa được công bố hoặc đã bãi bỏ"));
        };
        let v = &mut self.versions[pi];
        if v.publication.effective_from.is_some_and(|f| date <= f) {
            return Err(FieldError::new("invalid_date", "date", "Ngày bãi bỏ phải sau ngày có hiệu lực").into());
        }
        v.status = VersionStatus::Abolished;
        v.publication.effective_to = Some(date);
        let mut notes = v.content.provenance.notes.clone();
        notes.push(format!("Bãi bỏ theo {} từ ngày {}", decision_no.trim(), date.format("%d/%m/%Y")));
        v.content.provenance.notes = notes;
        Ok(v.clone())
    }
}

/// How an imported copy of a procedure relates to the stored one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HistoryChange {
    /// Nothing to write.
    Same,
    /// The imported versions from this index on are new or replace the stored draft.
    From(usize),
}

impl Procedure {
    /// Compare this imported copy with the stored history (`stored`, oldest first). An import
    /// never rewrites history: it may append versions, replace the stored draft, drop only the
    /// stored draft, or close the stored version in force (a later publication marks it amended
    /// or abolished, same content, same decision and start). Anything else is refused: a missing
    /// stored version (`versions_missing`) or a different one (`version_differs`); the field is
    /// `{code}.versions[..]`.
    pub fn import_over(&self, stored: &[ProcedureVersion]) -> Result<HistoryChange, FieldError> {
        let (code, new) = (&self.code, &self.versions);
        for (i, s) in stored.iter().enumerate() {
            let Some(n) = new.get(i) else {
                if s.status == VersionStatus::Draft && i + 1 == stored.len() {
                    // The file lacks only the stored draft: keep the draft, nothing to write.
                    return Ok(HistoryChange::Same);
                }
                return Err(FieldError::new(
                    "versions_missing",
                    format!("{code}.versions"),
                    format!("Tệp thiếu phiên bản {} đã lưu của thủ tục {code}", s.number),
                ));
            };
            if s.status == VersionStatus::Draft {
                return Ok(if n != s {
                    HistoryChange::From(i)
                } else if new.len() == stored.len() {
                    HistoryChange::Same
                } else {
                    HistoryChange::From(i + 1)
                });
            }
            if s.closed_by(n) {
                return Ok(HistoryChange::From(i));
            }
            if n != s {
                return Err(FieldError::new(
                    "version_differs",
                    format!("{code}.versions[{i}]"),
                    format!(
                        "Phiên bản {} của thủ tục {code} khác bản đã lưu; hãy tạo phiên bản mới thay vì sửa phiên bản đã công bố",
                        s.number
                    ),
                ));
            }
        }
        Ok(if new.len() > stored.len() { HistoryChange::From(stored.len()) } else { HistoryChange::Same })
    }
}

impl ProcedureVersion {
    /// Whether `later` is this version in force, closed by a later publication (amended or
    /// abolished) with nothing else changed.
    fn closed_by(&self, later: &ProcedureVersion) -> bool {
        self.status == VersionStatus::Published
            && matches!(later.status, VersionStatus::Amended | VersionStatus::Abolished)
            && self.publication.effective_to.is_none()
            && self.content == later.content
            && self.publication.decision_no == later.publication.decision_no
            && self.publication.effective_from == later.publication.effective_from
    }
}
