//! Documents attached to a progress report (the review's minutes, a decision, a photo).

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::ids::AgencyCode;

/// A document an agency attaches to its report on a task for a month.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReportFile {
    pub id: uuid::Uuid,
    pub plan_id: uuid::Uuid,
    pub task_id: uuid::Uuid,
    pub agency: AgencyCode,
    /// `YYYY-MM`.
    pub month: String,
    /// What the document is ("Báo cáo kết quả rà soát").
    pub name: String,
    #[serde(flatten)]
    pub file: crate::file::AttachedFile,
    pub created_at: DateTime<Utc>,
    pub created_by: String,
}
