//! The national population database (Cơ sở dữ liệu quốc gia về dân cư), looked up by personal
//! identification number at intake (issue 16, item 3): the desk prefills the applicant from it,
//! and a dossier whose applicant it confirmed is marked as using population data. The lookup is
//! bounded (`population_timeout`, at most 2 s): a registry that fails or is slow never blocks an
//! intake — the officer types the applicant in, and the dossier is simply not marked.

use std::time::Duration;

use motcua_domain::person::CitizenId;
use motcua_domain::user::Role;
use serde::{Deserialize, Serialize};

use crate::{Actor, App, AppError, AppResult};

/// A citizen as the population database knows them.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Resident {
    pub citizen_id: String,
    pub name: String,
    /// `YYYY-MM-DD`.
    pub birth_date: Option<String>,
    /// Permanent residence.
    pub address: Option<String>,
}

/// The adapter of the population database (an HTTP service in production; `motcua-jobs`
/// implements it).
#[async_trait::async_trait]
pub trait Registry: Send + Sync {
    /// The resident of `citizen_id`, `None` when the database has none; `Err` when it could not
    /// answer (its words, for the log).
    async fn resident(&self, citizen_id: &str) -> Result<Option<Resident>, String>;
}

/// What a lookup found.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "status", rename_all = "snake_case")]
pub enum Lookup {
    Found {
        resident: Resident,
    },
    NotFound,
    /// Not connected, failed or too slow: type the applicant in.
    Unavailable {
        message: String,
    },
}

/// The most a lookup may take.
pub const MAX_TIMEOUT: Duration = Duration::from_secs(2);

impl App {
    /// Look a citizen up (desk officers; a citizen for their own number), within the timeout.
    pub async fn lookup_resident(&self, actor: &Actor, citizen_id: &str) -> AppResult<Lookup> {
        let user = actor.user().ok_or(AppError::Unauthenticated)?;
        use chrono::Datelike;
        let id = CitizenId::parse(citizen_id.trim(), self.today().year())
            .map_err(|e| AppError::Invalid(e.under("citizen_id")))?;
        let own = user.role == Role::Citizen
            && self.my_applicant(actor).await?.is_some_and(
                |a| matches!(a.id, motcua_domain::dossier::record::ApplicantId::Citizen { citizen_id } if citizen_id == id),
            );
        if !matches!(user.role, Role::DeskOfficer) && !own {
            return Err(AppError::Forbidden("Chỉ bộ phận một cửa tra cứu cơ sở dữ liệu dân cư".into()));
        }
        Ok(self.resident(id.as_str()).await)
    }

    /// The lookup itself, bounded; failures are logged and answered as unavailable.
    pub(crate) async fn resident(&self, citizen_id: &str) -> Lookup {
        let Some(registry) = &self.population else {
            return Lookup::Unavailable {
                message: "Tỉnh chưa kết nối cơ sở dữ liệu quốc gia về dân cư".into()
            };
        };
        let limit = self.config.population_timeout.min(MAX_TIMEOUT);
        match tokio::time::timeout(limit, registry.resident(citizen_id)).await {
            Ok(Ok(Some(resident))) => Lookup::Found { resident },
            Ok(Ok(None)) => Lookup::NotFound,
            Ok(Err(e)) => {
                tracing::warn!(error = %e, "population database lookup failed");
                Lookup::Unavailable {
                    message: "Cơ sở dữ liệu dân cư đang lỗi; nhập thông tin người nộp bằng tay".into(),
                }
            }
            Err(_) => {
                tracing::warn!(timeout_ms = limit.as_millis() as u64, "population database lookup timed out");
                Lookup::Unavailable {
                    message: "Cơ sở dữ liệu dân cư không trả lời kịp; nhập thông tin người nộp bằng tay".into(),
                }
            }
        }
    }

    /// Whether the applicant `name` with `citizen_id` is confirmed by the population database
    /// (the same name, folded); never an error.
    pub(crate) async fn confirmed_resident(&self, citizen_id: &str, name: &str) -> bool {
        match self.resident(citizen_id).await {
            Lookup::Found { resident } => {
                motcua_domain::text::fold_vi(&resident.name) == motcua_domain::text::fold_vi(name)
            }
            _ => false,
        }
    }
}
