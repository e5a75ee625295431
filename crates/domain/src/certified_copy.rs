//! Electronic certified copies from originals (chứng thực bản sao điện tử từ bản chính): the
//! certifying body scans the original presented, compares it, and issues the copy signed with
//! its key into the applicant's vault. Fee per page with a cap per copy; same day, the next
//! working day when received after the cut-off (15:00), which the legal-time engine gives for a
//! limit of 0 working days.
//!
//! The fee schedule is quoted from secondary sources (docs/RULES.md): configuration, with these
//! figures as defaults.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::calendar::deadline::{Instant, Limit};
use crate::dossier::DossierCode;
use crate::ids::AgencyCode;

/// The same-day limit of a certification: within the working day it is received, the next one
/// when received at or after the agency's cut-off.
pub const SAME_DAY: Limit = Limit::WorkingDays(0);

/// The fee of one certified copy by its pages.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct CopyFees {
    /// Pages charged at `first_page_vnd` (from the first).
    pub first_pages: u32,
    pub first_page_vnd: u64,
    /// Each page after those.
    pub next_page_vnd: u64,
    /// The most one copy costs.
    pub cap_vnd: u64,
}

impl Default for CopyFees {
    /// 2,000 đồng a page for pages 1–2, 1,000 from page 3, at most 200,000 a copy.
    fn default() -> Self {
        Self { first_pages: 2, first_page_vnd: 2_000, next_page_vnd: 1_000, cap_vnd: 200_000 }
    }
}

impl CopyFees {
    pub fn fee(&self, pages: u32) -> u64 {
        let first = u64::from(pages.min(self.first_pages)) * self.first_page_vnd;
        let next = u64::from(pages.saturating_sub(self.first_pages)) * self.next_page_vnd;
        (first + next).min(self.cap_vnd)
    }
}

/// The most pages one copy may have.
pub const MAX_PAGES: u32 = 2_000;

/// A certified copy as issued (the register's row).
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CertifiedCopy {
    pub id: Uuid,
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub agency: AgencyCode,
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub dossier: DossierCode,
    /// The original's name (`Giấy khai sinh`, `Bằng tốt nghiệp`).
    pub original: String,
    pub pages: u32,
    pub fee_vnd: u64,
    /// The last day the copy may be used, when the original has one.
    pub valid_until: Option<NaiveDate>,
    /// The signed result holding the copy (`/xac-thuc/{result}`).
    pub result: Uuid,
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub issued_at: Instant,
    pub issued_by: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_fee_counts_pages_one_and_two_then_the_rest_up_to_the_cap() {
        let f = CopyFees::default();
        let cases = [(1, 2_000), (2, 4_000), (3, 5_000), (10, 12_000), (198, 200_000), (199, 200_000), (500, 200_000)];
        for (pages, fee) in cases {
            assert_eq!(f.fee(pages), fee, "{pages} pages");
        }
        assert_eq!(f.fee(0), 0);
        let other = CopyFees { first_pages: 1, first_page_vnd: 5_000, next_page_vnd: 500, cap_vnd: 10_000 };
        assert_eq!((other.fee(1), other.fee(3), other.fee(100)), (5_000, 6_000, 10_000), "a province's own schedule");
    }
}
