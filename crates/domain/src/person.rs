//! Applicant identifiers (docs/RULES.md §D10): the 12-digit personal identification number, the tax
//! code with its check digit, and Vietnamese mobile numbers.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::FieldError;

/// Province codes of the personal identification number (the 63 provinces before the 2025
/// merger: codes on cards are not re-issued).
const PROVINCE_CODES: [u16; 63] = [
    1, 2, 4, 6, 8, 10, 11, 12, 14, 15, 17, 19, 20, 22, 24, 25, 26, 27, 30, 31, 33, 34, 35, 36, 37, 38, 40, 42, 44, 45,
    46, 48, 49, 51, 52, 54, 56, 58, 60, 62, 64, 66, 67, 68, 70, 72, 74, 75, 77, 79, 80, 82, 83, 84, 86, 87, 89, 91, 92,
    93, 94, 95, 96,
];

/// A 12-digit personal identification number (số định danh cá nhân / CCCD): `PPP G YY NNNNNN`.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(into = "String")]
pub struct CitizenId(String);

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Sex {
    Male,
    Female,
}

impl CitizenId {
    /// Check structure, province code and that the birth year is not after `current_year`.
    pub fn parse(s: &str, current_year: i32) -> Result<Self, FieldError> {
        let s = s.trim();
        let bad =
            |m: &str| FieldError::new("invalid_citizen_id", "citizen_id", format!("Số định danh cá nhân «{s}» {m}"));
        if s.len() != 12 || !s.bytes().all(|b| b.is_ascii_digit()) {
            return Err(bad("phải gồm đúng 12 chữ số"));
        }
        let province: u16 = s[..3].parse().map_err(|_| bad("không hợp lệ"))?;
        if !PROVINCE_CODES.contains(&province) {
            return Err(bad("có mã tỉnh nơi đăng ký khai sinh không tồn tại"));
        }
        let id = Self(s.to_owned());
        if id.birth_year() > current_year {
            return Err(bad("có năm sinh sau năm hiện tại"));
        }
        Ok(id)
    }

    fn g(&self) -> i32 {
        i32::from(self.0.as_bytes()[3] - b'0')
    }

    /// Year of birth from the century digit and the two-digit year.
    pub fn birth_year(&self) -> i32 {
        let yy: i32 = self.0[4..6].parse().unwrap_or(0);
        1900 + (self.g() / 2) * 100 + yy
    }

    pub fn sex(&self) -> Sex {
        if self.g() % 2 == 0 { Sex::Male } else { Sex::Female }
    }

    pub fn province_code(&self) -> &str {
        &self.0[..3]
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl From<CitizenId> for String {
    fn from(v: CitizenId) -> String {
        v.0
    }
}

impl fmt::Display for CitizenId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A tax code (mã số thuế; for enterprises also the enterprise code): 10 digits with a check
/// digit, or 13 written `NNNNNNNNNC-BBB` for a dependent unit.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(into = "String")]
pub struct TaxCode(String);

const WEIGHTS: [u32; 9] = [31, 29, 23, 19, 17, 13, 7, 5, 3];

impl TaxCode {
    pub fn parse(s: &str) -> Result<Self, FieldError> {
        let t = s.trim();
        let bad = |m: &str| FieldError::new("invalid_tax_code", "tax_code", format!("Mã số thuế «{t}» {m}"));
        let digits: String = t.chars().filter(|c| *c != '-').collect();
        if !digits.bytes().all(|b| b.is_ascii_digit()) || !(digits.len() == 10 || digits.len() == 13) {
            return Err(bad("phải gồm 10 chữ số, hoặc 13 chữ số dạng NNNNNNNNNN-NNN"));
        }
        let d: Vec<u32> = digits.bytes().map(|b| u32::from(b - b'0')).collect();
        let sum: u32 = WEIGHTS.iter().zip(&d).map(|(w, x)| w * x).sum();
        let check = 10 - (sum % 11) as i32;
        if !(0..=9).contains(&check) || check as u32 != d[9] {
            return Err(bad("có chữ số kiểm tra không đúng"));
        }
        let canonical = if digits.len() == 13 { format!("{}-{}", &digits[..10], &digits[10..]) } else { digits };
        Ok(Self(canonical))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl From<TaxCode> for String {
    fn from(v: TaxCode) -> String {
        v.0
    }
}

impl fmt::Display for TaxCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A Vietnamese mobile number in national form (`0` and nine digits). Carriers are not checked (number
/// portability makes the prefix table unreliable); the format is.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(into = "String")]
pub struct Phone(String);

impl Phone {
    /// Accepts `0912 345 678`, `0912.345.678`, `+84 912345678`, `84912345678`, `0084912345678`.
    pub fn parse(s: &str) -> Result<Self, FieldError> {
        let raw = s.trim();
        let bad = || {
            FieldError::new("invalid_phone", "phone", format!("Số điện thoại «{raw}» không hợp lệ (ví dụ 0912345678)"))
        };
        let plus = raw.starts_with('+');
        let digits: String = raw.chars().filter(|c| !matches!(c, ' ' | '.' | '-' | '(' | ')' | '+')).collect();
        if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
            return Err(bad());
        }
        let national = if let Some(rest) = digits.strip_prefix("0084") {
            format!("0{rest}")
        } else if (plus || digits.len() == 11) && digits.starts_with("84") {
            format!("0{}", &digits[2..])
        } else if plus {
            return Err(bad());
        } else {
            digits
        };
        if national.len() != 10 || !national.starts_with('0') || national.as_bytes()[1] == b'0' {
            return Err(bad());
        }
        Ok(Self(national))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// `+84` and nine digits, for SMS gateways.
    pub fn e164(&self) -> String {
        format!("+84{}", &self.0[1..])
    }

    /// The last four digits (public dossier lookup).
    pub fn last4(&self) -> &str {
        &self.0[6..]
    }
}

impl From<Phone> for String {
    fn from(v: Phone) -> String {
        v.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn citizen_ids() {
        let id = CitizenId::parse("030095001234", 2026).unwrap();
        assert_eq!((id.birth_year(), id.sex(), id.province_code()), (1995, Sex::Male, "030"));
        let f = CitizenId::parse("031305001234", 2026).unwrap();
        assert_eq!((f.birth_year(), f.sex()), (2005, Sex::Female));
        for bad in ["03009500123", "0300950012345", "03009500123a", "003095001234", "030299001234"] {
            assert_eq!(CitizenId::parse(bad, 2026).unwrap_err().code, "invalid_citizen_id", "{bad}");
        }
    }

    #[test]
    fn tax_codes_with_check_digit() {
        assert_eq!(TaxCode::parse("0100109106").unwrap().as_str(), "0100109106");
        assert_eq!(TaxCode::parse("5300100124").unwrap().as_str(), "5300100124");
        assert_eq!(TaxCode::parse("0100109106-001").unwrap().as_str(), "0100109106-001");
        assert_eq!(TaxCode::parse("0100109106001").unwrap().as_str(), "0100109106-001");
        for bad in ["0100109107", "010010910", "01001091x6", ""] {
            assert_eq!(TaxCode::parse(bad).unwrap_err().code, "invalid_tax_code", "{bad}");
        }
    }

    #[test]
    fn phones_are_normalised() {
        for ok in [
            "0912345678",
            "0912 345 678",
            "0912.345.678",
            "+84 912 345 678",
            "84912345678",
            "0084912345678",
            "(+84) 912-345-678",
        ] {
            assert_eq!(Phone::parse(ok).unwrap().as_str(), "0912345678", "{ok}");
        }
        assert_eq!(Phone::parse("0912345678").unwrap().e164(), "+84912345678");
        assert_eq!(Phone::parse("0912345678").unwrap().last4(), "5678");
        for bad in ["091234567", "09123456789", "0012345678", "+1 415 555 0100", "abc", ""] {
            assert!(Phone::parse(bad).is_err(), "{bad}");
        }
    }
}
