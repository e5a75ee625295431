//! Impact assessment (đánh giá tác động) of a procedure in a draft legal document (Decree
//! 63/2010/NĐ-CP Art. 10, as amended; Circular 02/2017/TT-VPCP): the drafting agency answers for
//! the procedure's necessity, reasonableness and legality and estimates its compliance cost;
//! the assessment form is attached. The plan's target is that every procedure of a draft is
//! assessed.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::error::FieldError;
use crate::file::AttachedFile;
use crate::ids::{AgencyCode, ProcedureCode};

/// What the assessment concludes about the draft procedure.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Conclusion {
    /// Necessary, reasonable and lawful as drafted.
    Adequate,
    /// To be revised before it is issued (the findings say what).
    Revise,
}

impl Conclusion {
    pub const ALL: [Conclusion; 2] = [Conclusion::Adequate, Conclusion::Revise];

    pub fn as_str(self) -> &'static str {
        match self {
            Conclusion::Adequate => "adequate",
            Conclusion::Revise => "revise",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|c| c.as_str() == s)
    }

    pub fn label_vi(self) -> &'static str {
        match self {
            Conclusion::Adequate => "Bảo đảm cần thiết, hợp lý, hợp pháp",
            Conclusion::Revise => "Cần chỉnh sửa trước khi ban hành",
        }
    }
}

/// The assessment of one version of a procedure, drafted before it is published.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ImpactAssessment {
    pub procedure: ProcedureCode,
    pub version: u32,
    /// The drafting agency that made the assessment.
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub agency: AgencyCode,
    pub assessed_on: NaiveDate,
    pub necessity: String,
    pub reasonableness: String,
    pub legality: String,
    /// Estimated compliance cost a year (VND), from the costing form.
    pub cost_year_vnd: Option<u64>,
    pub conclusion: Conclusion,
    /// The appraisal or the office's opinion, when given.
    #[serde(default)]
    pub opinion: String,
    /// The assessment form as signed.
    pub document: Option<AttachedFile>,
    pub updated_at: chrono::DateTime<chrono::Utc>,
    pub updated_by: String,
}

impl ImpactAssessment {
    /// Each criterion is answered, and the assessment is not dated after `today`.
    pub fn check(&self, today: NaiveDate) -> Result<(), FieldError> {
        let bad = |f: &str, m: &str| Err(FieldError::new("invalid_assessment", f, m));
        for (field, text, label) in [
            ("necessity", &self.necessity, "sự cần thiết"),
            ("reasonableness", &self.reasonableness, "tính hợp lý"),
            ("legality", &self.legality, "tính hợp pháp"),
        ] {
            if text.trim().is_empty() {
                return bad(field, &format!("Nêu kết quả đánh giá {label} của thủ tục"));
            }
        }
        if self.assessed_on > today {
            return bad("assessed_on", "Ngày đánh giá không được sau hôm nay");
        }
        Ok(())
    }
}

/// Share of assessed versions, in percent (`None` when there is none to assess).
pub fn assessed_pct(assessed: usize, to_assess: usize) -> Option<f64> {
    (to_assess > 0).then(|| assessed as f64 * 100.0 / to_assess as f64)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn assessment() -> ImpactAssessment {
        ImpactAssessment {
            procedure: ProcedureCode::parse("1.001193").unwrap_or_else(|e| panic!("{e}")),
            version: 2,
            agency: AgencyCode::parse("H23.15").unwrap_or_else(|e| panic!("{e}")),
            assessed_on: NaiveDate::from_ymd_opt(2024, 5, 2).unwrap_or_default(),
            necessity: "Cần thiết để quản lý hộ tịch".into(),
            reasonableness: "Thành phần hồ sơ tối giản".into(),
            legality: "Phù hợp Luật Hộ tịch".into(),
            cost_year_vnd: Some(12_000_000),
            conclusion: Conclusion::Adequate,
            opinion: String::new(),
            document: None,
            updated_at: chrono::DateTime::UNIX_EPOCH,
            updated_by: "vp".into(),
        }
    }

    #[test]
    fn every_criterion_is_answered_and_the_date_is_not_ahead() {
        let today = NaiveDate::from_ymd_opt(2024, 6, 1).unwrap_or_default();
        assert!(assessment().check(today).is_ok());
        let no_legality = ImpactAssessment { legality: " ".into(), ..assessment() };
        assert_eq!(no_legality.check(today).map_err(|e| e.field), Err("legality".into()));
        let ahead =
            ImpactAssessment { assessed_on: NaiveDate::from_ymd_opt(2024, 6, 2).unwrap_or_default(), ..assessment() };
        assert_eq!(ahead.check(today).map_err(|e| e.code), Err("invalid_assessment"));
        assert_eq!(assessed_pct(1, 4), Some(25.0));
        assert_eq!(assessed_pct(0, 0), None);
        assert_eq!(Conclusion::parse("revise"), Some(Conclusion::Revise));
    }
}
