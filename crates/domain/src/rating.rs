//! The applicant's evaluation of a dossier's handling (docs/RULES.md §D6, §R1.12): the model of
//! Circular 01/2018 kept until Decree 118's evaluation chapter is read — nine indicators of two
//! points each (18), a satisfaction level of three, and a like or dislike that Decision 766
//! metric 5.4 counts. Given online by the applicant (their page or the link of the notice sent
//! with the result) or at the counter's kiosk.

use serde::{Deserialize, Serialize};

use crate::FieldError;
use crate::calendar::deadline::Instant;
use crate::dossier::DossierCode;

/// The three levels of satisfaction.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Satisfaction {
    NotSatisfied,
    Satisfied,
    VerySatisfied,
}

impl Satisfaction {
    pub const ALL: [Satisfaction; 3] = [Self::VerySatisfied, Self::Satisfied, Self::NotSatisfied];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::NotSatisfied => "not_satisfied",
            Self::Satisfied => "satisfied",
            Self::VerySatisfied => "very_satisfied",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|x| x.as_str() == s)
    }

    pub fn label_vi(self) -> &'static str {
        match self {
            Self::NotSatisfied => "Không hài lòng",
            Self::Satisfied => "Hài lòng",
            Self::VerySatisfied => "Rất hài lòng",
        }
    }

    /// Satisfied or very satisfied (the plan's satisfaction share, docs/RULES.md §D6).
    pub fn is_satisfied(self) -> bool {
        self != Self::NotSatisfied
    }
}

/// The nine indicators of the evaluation table of Circular 01/2018, two points each.
pub const INDICATORS: [&str; 9] = [
    "Tổng thời gian giải quyết so với thời gian quy định",
    "Thời gian giải quyết tại từng cơ quan, đơn vị (kể cả đơn vị phối hợp)",
    "Số lần phải liên hệ với nơi tiếp nhận để hoàn thiện hồ sơ (kể cả trực tuyến)",
    "Số cơ quan, đơn vị phải liên hệ để hoàn thiện hồ sơ (kể cả trực tuyến)",
    "Việc tiếp nhận, giải quyết, trả kết quả tại Bộ phận Một cửa",
    "Việc công khai thủ tục hành chính",
    "Thái độ của cán bộ khi hướng dẫn, tiếp nhận, giải quyết hồ sơ",
    "Việc tiếp thu, giải trình ý kiến, phản ánh, kiến nghị của tổ chức, cá nhân",
    "Tiến độ và chất lượng cung cấp dịch vụ công trực tuyến",
];

/// The three marks of an indicator.
pub const MARKS: [(u8, &str); 3] = [(2, "Tốt"), (1, "Đạt"), (0, "Chưa đạt")];

/// Where the evaluation was given.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RatingChannel {
    /// By the applicant: their account, or the link of the notice with the result.
    Online,
    /// On the device at the counter, entered with a desk officer's session.
    Kiosk,
}

impl RatingChannel {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Online => "online",
            Self::Kiosk => "kiosk",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        [Self::Online, Self::Kiosk].into_iter().find(|x| x.as_str() == s)
    }

    pub fn label_vi(self) -> &'static str {
        match self {
            Self::Online => "Trực tuyến",
            Self::Kiosk => "Thiết bị tại Bộ phận Một cửa",
        }
    }
}

/// What the applicant gives.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RatingInput {
    pub satisfaction: Satisfaction,
    /// The nine indicators in order, each 0, 1 or 2.
    #[cfg_attr(feature = "openapi", schema(min_items = 9, max_items = 9))]
    pub indicators: Vec<u8>,
    /// Like (`true`) or dislike (`false`) of the handling; none when not given.
    #[serde(default)]
    pub liked: Option<bool>,
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(max_length = 2000))]
    pub comment: Option<String>,
}

/// A stored evaluation.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Rating {
    pub dossier: DossierCode,
    pub channel: RatingChannel,
    pub satisfaction: Satisfaction,
    pub indicators: [u8; 9],
    pub liked: Option<bool>,
    pub comment: Option<String>,
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub at: Instant,
}

impl RatingInput {
    /// Check the input; the rating it makes for `dossier`.
    pub fn check(&self, dossier: DossierCode, channel: RatingChannel, at: Instant) -> Result<Rating, FieldError> {
        let indicators: [u8; 9] = self.indicators.clone().try_into().map_err(|_| {
            FieldError::new("invalid_rating", "indicators", "Cần chấm đủ 9 tiêu chí, mỗi tiêu chí 0, 1 hoặc 2 điểm")
        })?;
        if let Some(i) = indicators.iter().position(|m| *m > 2) {
            return Err(FieldError::new(
                "invalid_rating",
                format!("indicators[{i}]"),
                format!("Tiêu chí {} chỉ chấm 0, 1 hoặc 2 điểm", i + 1),
            ));
        }
        let comment = crate::text::optional_line(self.comment.as_deref(), "comment", 2000, "Ý kiến")?;
        Ok(Rating { dossier, channel, satisfaction: self.satisfaction, indicators, liked: self.liked, comment, at })
    }
}

impl Rating {
    /// The points of the nine indicators (out of 18).
    pub fn score(&self) -> u8 {
        self.indicators.iter().sum()
    }

    /// Not satisfied, or a dislike: what metric 5.4 counts against the agency, and what may open
    /// a petition.
    pub fn is_unhappy(&self) -> bool {
        self.satisfaction == Satisfaction::NotSatisfied || self.liked == Some(false)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input(indicators: Vec<u8>) -> RatingInput {
        RatingInput { satisfaction: Satisfaction::Satisfied, indicators, liked: Some(true), comment: None }
    }

    fn code() -> DossierCode {
        DossierCode::parse("H24.02-261127-0001").unwrap_or_else(|e| panic!("{e}"))
    }

    fn at() -> Instant {
        chrono::DateTime::parse_from_rfc3339("2026-11-27T10:00:00+07:00").unwrap_or_else(|e| panic!("{e}"))
    }

    #[test]
    fn nine_indicators_of_two_points() {
        let r = input(vec![2; 9]).check(code(), RatingChannel::Online, at()).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(r.score(), 18);
        assert!(!r.is_unhappy());
        let e = input(vec![2; 8]).check(code(), RatingChannel::Online, at()).err().map(|e| e.code);
        assert_eq!(e, Some("invalid_rating"));
        let e = input(vec![2, 2, 3, 2, 2, 2, 2, 2, 2]).check(code(), RatingChannel::Online, at()).err();
        assert_eq!(e.map(|e| e.field), Some("indicators[2]".to_owned()));
        let mut disliked = input(vec![1; 9]);
        disliked.liked = Some(false);
        let r = disliked.check(code(), RatingChannel::Kiosk, at()).unwrap_or_else(|e| panic!("{e}"));
        assert!(r.is_unhappy(), "a dislike counts against the agency");
        assert_eq!(Satisfaction::parse("very_satisfied"), Some(Satisfaction::VerySatisfied));
    }
}
