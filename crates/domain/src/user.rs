//! Accounts and roles. Staff roles are scoped to an agency; citizens and the provincial admin
//! are not.

use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::FieldError;
use crate::ids::{AgencyCode, Username};

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Role {
    Citizen,
    DeskOfficer,
    Specialist,
    Leader,
    /// Administrator of one agency (its staff, its workflows).
    UnitAdmin,
    /// Provincial administrator (the provincial office: catalog, calendar, map).
    Admin,
}

impl Role {
    pub const ALL: [Role; 6] =
        [Self::Citizen, Self::DeskOfficer, Self::Specialist, Self::Leader, Self::UnitAdmin, Self::Admin];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Citizen => "citizen",
            Self::DeskOfficer => "desk-officer",
            Self::Specialist => "specialist",
            Self::Leader => "leader",
            Self::UnitAdmin => "unit-admin",
            Self::Admin => "admin",
        }
    }

    pub fn parse(s: &str) -> Result<Self, FieldError> {
        Self::ALL.into_iter().find(|r| r.as_str() == s).ok_or_else(|| {
            FieldError::new(
                "invalid_role",
                "role",
                format!("Vai trò «{s}» không hợp lệ (citizen, desk-officer, specialist, leader, unit-admin, admin)"),
            )
        })
    }

    pub fn label_vi(self) -> &'static str {
        match self {
            Self::Citizen => "Công dân, tổ chức",
            Self::DeskOfficer => "Công chức Một cửa",
            Self::Specialist => "Chuyên viên",
            Self::Leader => "Lãnh đạo",
            Self::UnitAdmin => "Quản trị đơn vị",
            Self::Admin => "Quản trị tỉnh",
        }
    }

    /// Staff roles act for an agency and must name one.
    pub fn needs_agency(self) -> bool {
        matches!(self, Self::DeskOfficer | Self::Specialist | Self::Leader | Self::UnitAdmin)
    }
}

/// A user as the rest of the system sees it (never with the password hash).
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct User {
    pub id: Uuid,
    pub username: Username,
    pub full_name: String,
    pub role: Role,
    pub agency: Option<AgencyCode>,
    /// How the person behind the current session proved who they are (a fact of the session,
    /// not of the account: the same account may sign in either way).
    #[serde(skip)]
    pub signed_in_with: SignIn,
}

/// How a session was opened.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub enum SignIn {
    /// Username and password (or the account as the store knows it, outside any session).
    #[default]
    Password,
    /// Through the national identity provider (VNeID, OpenID Connect): the person's personal ID
    /// was checked by the State's e-identification system (Decree 69/2024), which 766 metric
    /// 4.5a counts (`TaiKhoanDuocXacThucVoiVNeID`).
    NationalId,
}

impl SignIn {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Password => "password",
            Self::NationalId => "national_id",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "password" => Some(Self::Password),
            "national_id" => Some(Self::NationalId),
            _ => None,
        }
    }
}

impl User {
    /// Check the role/agency pairing of a new account.
    pub fn check_scope(role: Role, agency: Option<&AgencyCode>) -> Result<(), FieldError> {
        match (role.needs_agency(), agency) {
            (true, None) => Err(FieldError::new(
                "agency_required",
                "agency",
                format!("Vai trò {} phải gắn với một cơ quan", role.as_str()),
            )),
            (false, Some(_)) => Err(FieldError::new(
                "agency_not_allowed",
                "agency",
                format!("Vai trò {} không gắn với cơ quan", role.as_str()),
            )),
            _ => Ok(()),
        }
    }

    /// May edit and publish the procedure catalog.
    pub fn can_manage_catalog(&self) -> bool {
        self.role == Role::Admin
    }

    pub fn is_staff(&self) -> bool {
        self.role != Role::Citizen
    }
}

/// Minimum password policy for accounts created by an operator.
pub fn check_password(pw: &str) -> Result<(), FieldError> {
    if pw.chars().count() < 10 {
        return Err(FieldError::new("weak_password", "password", "Mật khẩu cần ít nhất 10 ký tự"));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roles_round_trip_and_scope() {
        for r in Role::ALL {
            assert_eq!(Role::parse(r.as_str()).ok(), Some(r));
        }
        assert!(Role::parse("root").is_err());
        let a = AgencyCode::parse("H24.01").ok();
        assert!(User::check_scope(Role::Specialist, None).is_err());
        assert!(User::check_scope(Role::Specialist, a.as_ref()).is_ok());
        assert!(User::check_scope(Role::Citizen, a.as_ref()).is_err());
        assert!(User::check_scope(Role::Admin, None).is_ok());
    }

    #[test]
    fn password_policy() {
        assert!(check_password("ngắn").is_err());
        assert!(check_password("mật-khẩu-đủ-dài").is_ok());
    }
}
