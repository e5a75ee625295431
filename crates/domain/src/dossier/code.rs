//! The dossier code (mã hồ sơ): `<agency identifier>-<YYMMDD>-<sequence>` (docs/RULES.md §D2.3,
//! §R2.4). The agency identifier is in either format (QCVN 102 or QĐ 20/2020); the
//! sequence counts the dossiers the agency received that day, at least four digits, longer when
//! needed (never capped at 9999).

use std::fmt;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::FieldError;
use crate::ids::AgencyCode;

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct DossierCode(String);

impl DossierCode {
    pub fn new(agency: &AgencyCode, received_on: NaiveDate, sequence: u32) -> Result<Self, FieldError> {
        if sequence == 0 {
            return Err(FieldError::new("invalid_sequence", "sequence", "Số thứ tự hồ sơ bắt đầu từ 1"));
        }
        Ok(Self(format!("{agency}-{}-{sequence:04}", received_on.format("%y%m%d"))))
    }

    pub fn parse(s: &str) -> Result<Self, FieldError> {
        let s = s.trim().to_ascii_uppercase();
        let bad = || {
            FieldError::new(
                "invalid_dossier_code",
                "code",
                format!("Mã hồ sơ «{s}» không đúng dạng <mã cơ quan>-YYMMDD-NNNN"),
            )
        };
        let mut parts = s.rsplitn(3, '-');
        let (Some(seq), Some(date), Some(agency)) = (parts.next(), parts.next(), parts.next()) else {
            return Err(bad());
        };
        AgencyCode::parse(agency).map_err(|_| bad())?;
        if date.len() != 6 || NaiveDate::parse_from_str(&format!("20{date}"), "%Y%m%d").is_err() {
            return Err(bad());
        }
        if seq.len() < 4 || !seq.bytes().all(|b| b.is_ascii_digit()) || seq.bytes().all(|b| b == b'0') {
            return Err(bad());
        }
        Ok(Self(s))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The daily sequence number (the tail of the code, as printed: `0007`).
    pub fn sequence(&self) -> &str {
        self.0.rsplit('-').next().unwrap_or("")
    }

    /// The agency part of the code.
    pub fn agency(&self) -> &str {
        self.0.rsplitn(3, '-').nth(2).unwrap_or("")
    }
}

impl fmt::Display for DossierCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl TryFrom<String> for DossierCode {
    type Error = FieldError;
    fn try_from(s: String) -> Result<Self, FieldError> {
        Self::parse(&s)
    }
}

impl From<DossierCode> for String {
    fn from(v: DossierCode) -> String {
        v.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_in_both_agency_formats() {
        let d = NaiveDate::from_ymd_opt(2024, 3, 15).unwrap();
        let old = AgencyCode::parse("000.00.12.H23").unwrap();
        assert_eq!(DossierCode::new(&old, d, 7).unwrap().as_str(), "000.00.12.H23-240315-0007");
        let new = AgencyCode::parse("H24.101").unwrap();
        let c = DossierCode::new(&new, d, 12345).unwrap();
        assert_eq!(c.as_str(), "H24.101-240315-12345", "the sequence grows past 9999");
        assert_eq!(c.agency(), "H24.101");
        assert_eq!(DossierCode::parse("000.A0.01.H26-210212-9090").unwrap().agency(), "000.A0.01.H26");
        for bad in [
            "",
            "H24.101-240315-007",
            "H24.101-241315-0007",
            "X-240315-0007",
            "H24.101-240315-0000",
            "H24.101240315-0007",
        ] {
            assert_eq!(DossierCode::parse(bad).unwrap_err().code, "invalid_dossier_code", "{bad}");
        }
        assert!(DossierCode::new(&new, d, 0).is_err());
    }
}
