//! Who is acting, and the audit entry of what they do.

use chrono::{DateTime, Utc};
use motcua_domain::user::{Role, User};
use motcua_storage::AuditEntry;

use crate::AppError;

/// The person or process behind a request.
#[derive(Debug, Clone)]
pub enum Actor {
    /// Nobody logged in (public pages and API).
    Anonymous {
        ip: Option<String>,
    },
    User {
        user: User,
        ip: Option<String>,
    },
    /// The command line, run by an operator on the server.
    Cli,
    /// The server itself (demo loading, jobs).
    System,
}

impl Actor {
    pub fn user(&self) -> Option<&User> {
        match self {
            Self::User { user, .. } => Some(user),
            _ => None,
        }
    }

    /// The caller as the dossier access rule sees them.
    pub fn who(&self) -> motcua_domain::dossier::access::Who<'_> {
        use motcua_domain::dossier::access::Who;
        match self {
            Self::Cli | Self::System => Who::Operator,
            Self::User { user, .. } => Who::User(user),
            Self::Anonymous { .. } => Who::Anonymous,
        }
    }

    pub fn ip(&self) -> Option<String> {
        match self {
            Self::Anonymous { ip } | Self::User { ip, .. } => ip.clone(),
            _ => None,
        }
    }

    /// Username, or `cli` / `system` / `anonymous`.
    pub fn name(&self) -> String {
        match self {
            Self::Anonymous { .. } => "anonymous".into(),
            Self::User { user, .. } => user.username.to_string(),
            Self::Cli => "cli".into(),
            Self::System => "system".into(),
        }
    }

    /// The operator or a provincial admin: may manage the catalog and the map.
    pub fn require_admin(&self) -> Result<(), AppError> {
        match self {
            Self::Cli | Self::System => Ok(()),
            Self::User { user, .. } if user.role == Role::Admin => Ok(()),
            Self::User { .. } => {
                Err(AppError::Forbidden("Chỉ quản trị viên cấp tỉnh được thực hiện thao tác này".into()))
            }
            Self::Anonymous { .. } => Err(AppError::Unauthenticated),
        }
    }

    pub fn audit(
        &self,
        at: DateTime<Utc>,
        action: &str,
        entity: &str,
        entity_id: impl Into<String>,
        detail: serde_json::Value,
    ) -> AuditEntry {
        let user = self.user();
        AuditEntry {
            at,
            actor_id: user.map(|u| u.id),
            actor: self.name(),
            action: action.into(),
            entity: entity.into(),
            entity_id: entity_id.into(),
            ip: self.ip(),
            agency: user.and_then(|u| u.agency.clone()),
            detail,
        }
    }
}
