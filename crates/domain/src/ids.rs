//! Validated identifiers.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::FieldError;

macro_rules! string_newtype {
    ($(#[$m:meta])* $name:ident, $parse:path) => {
        $(#[$m])*
        #[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
        #[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
        #[serde(try_from = "String", into = "String")]
        pub struct $name(String);

        impl $name {
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }
        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }
        impl TryFrom<String> for $name {
            type Error = FieldError;
            fn try_from(s: String) -> Result<Self, FieldError> {
                $parse(&s)
            }
        }
        impl From<$name> for String {
            fn from(v: $name) -> String {
                v.0
            }
        }
        impl std::str::FromStr for $name {
            type Err = FieldError;
            fn from_str(s: &str) -> Result<Self, FieldError> {
                $parse(s)
            }
        }
    };
}

string_newtype!(
    /// National procedure code as published in the National TTHC Database: one digit, a dot and
    /// six digits (`1.001193`, `2.000908`).
    ProcedureCode,
    ProcedureCode::parse
);

impl ProcedureCode {
    pub fn parse(s: &str) -> Result<Self, FieldError> {
        let s = s.trim();
        let b = s.as_bytes();
        let ok = b.len() == 8 && b[0].is_ascii_digit() && b[1] == b'.' && b[2..].iter().all(u8::is_ascii_digit);
        if ok {
            Ok(Self(s.to_owned()))
        } else {
            Err(FieldError::new(
                "invalid_procedure_code",
                "code",
                format!("Mã thủ tục «{s}» không đúng dạng N.NNNNNN (ví dụ 1.001193)"),
            ))
        }
    }
}

string_newtype!(
    /// Electronic identifier code of an agency. Two formats are in use (docs/RULES.md §R6.1):
    /// the QCVN 102:2016 right-to-left form `000.00.01.H27` and the QĐ 20/2020 left-to-right
    /// form `H27.01` / `H27.123.45`. Both are accepted; the code is stored as given.
    AgencyCode,
    AgencyCode::parse
);

impl AgencyCode {
    pub fn parse(s: &str) -> Result<Self, FieldError> {
        let s = s.trim().to_ascii_uppercase();
        if Self::is_qcvn102(&s) || Self::is_qd20(&s) {
            Ok(Self(s))
        } else {
            Err(FieldError::new(
                "invalid_agency_code",
                "agency",
                format!("Mã định danh cơ quan «{s}» không hợp lệ (dạng 000.00.01.H27 hoặc H27.01)"),
            ))
        }
    }

    /// `V1V2V3.Z1Z2.Y1Y2.MX1X2`: level 4 (3 chars), level 3 (2), level 2 (2), level 1 (letter + 2 digits).
    fn is_qcvn102(s: &str) -> bool {
        let parts: Vec<&str> = s.split('.').collect();
        parts.len() == 4
            && parts[0].len() == 3
            && parts[1].len() == 2
            && parts[2].len() == 2
            && parts[..3].iter().all(|p| p.bytes().all(|c| c.is_ascii_alphanumeric()))
            && Self::is_level1(parts[3])
    }

    /// QĐ 20/2020: groups separated by dots, read left to right, at most 35 characters,
    /// level 1 first.
    fn is_qd20(s: &str) -> bool {
        let mut parts = s.split('.');
        let first_ok = parts.next().is_some_and(Self::is_level1);
        first_ok && s.len() <= 35 && parts.all(|p| !p.is_empty() && p.bytes().all(|c| c.is_ascii_alphanumeric()))
    }

    fn is_level1(p: &str) -> bool {
        let b = p.as_bytes();
        b.len() == 3 && (b'A'..=b'Y').contains(&b[0]) && b[1..].iter().all(u8::is_ascii_digit)
    }
}

string_newtype!(
    /// Code of an administrative unit in the national catalogue (digits, e.g. `30` for the
    /// province, `288` for a district, `10507` for a commune). Codes are data: the 2025 codes
    /// are imported from the official catalogue, never derived.
    UnitCode,
    UnitCode::parse
);

impl UnitCode {
    pub fn parse(s: &str) -> Result<Self, FieldError> {
        let s = s.trim();
        if !s.is_empty() && s.len() <= 16 && s.bytes().all(|c| c.is_ascii_alphanumeric() || c == b'-') {
            Ok(Self(s.to_owned()))
        } else {
            Err(FieldError::new("invalid_unit_code", "unit", format!("Mã đơn vị hành chính «{s}» không hợp lệ")))
        }
    }
}

string_newtype!(
    /// Login name: 3 to 64 characters, lower-case ASCII letters, digits, `.`, `_`, `-`.
    Username,
    Username::parse
);

impl Username {
    pub fn parse(s: &str) -> Result<Self, FieldError> {
        let s = s.trim().to_ascii_lowercase();
        let ok = (3..=64).contains(&s.len())
            && s.bytes().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || b"._-".contains(&c));
        if ok {
            Ok(Self(s))
        } else {
            Err(FieldError::new(
                "invalid_username",
                "username",
                "Tên đăng nhập gồm 3–64 ký tự: chữ không dấu, số, dấu chấm, gạch dưới, gạch ngang",
            ))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn procedure_codes() {
        assert!(ProcedureCode::parse("1.001193").is_ok());
        assert!(ProcedureCode::parse(" 2.000908 ").is_ok());
        for bad in ["1001193", "1.00119", "a.001193", "1.0011934", "", "1,001193"] {
            let e = ProcedureCode::parse(bad).unwrap_err();
            assert_eq!(e.code, "invalid_procedure_code", "{bad}");
        }
    }

    #[test]
    fn agency_codes_in_both_formats() {
        for good in ["000.00.01.H27", "000.A0.01.H26", "H27.01", "H24.123.45", "g12.3"] {
            assert!(AgencyCode::parse(good).is_ok(), "{good}");
        }
        assert_eq!(AgencyCode::parse("h24.01").map(|c| c.to_string()).ok(), Some("H24.01".into()));
        for bad in ["", "000.00.01", "000.00.01.Z27", "H2.01", "H27..01", "000.00.01.H27.5x", "Z99"] {
            assert!(AgencyCode::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn usernames() {
        assert_eq!(Username::parse(" Admin ").map(String::from).ok(), Some("admin".into()));
        assert!(Username::parse("ab").is_err());
        assert!(Username::parse("nguyễn").is_err());
    }

    #[test]
    fn serde_validates() {
        let ok: Result<ProcedureCode, _> = serde_json::from_str("\"1.001193\"");
        assert!(ok.is_ok());
        let bad: Result<ProcedureCode, _> = serde_json::from_str("\"1.1\"");
        assert!(bad.is_err());
    }
}
