//! The Decision 766 service-quality index: six groups, 100 points (docs/RULES.md §D5). This
//! module holds the formulas only — from the counts of each metric (numerator and denominator,
//! computed elsewhere from the records) to ratios and points — so that they are tested on
//! hand-made counts and every consumer (the page, the API, the spreadsheet, the plan's targets)
//! scores the same way. Where a rule is uncertain the variant is a setting ([`Rules`]) and the
//! result names the variant used.
//!
//! Common rules (§D5, "common computation rules"): a denominator of zero gives no ratio and no
//! points, except the petition metrics, which give full points when there were no petitions;
//! ratios and points are rounded to two decimals when shown, not when summed.

use serde::Serialize;

pub mod catalog;
pub mod dossiers;
mod period;
pub mod share;
pub use period::Period;

/// A metric of the index, by its code on the National Portal.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, serde::Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum Code {
    // Group 1, transparency (18)
    PublishOnTime,
    PublicUpdateOnTime,
    PublicContentFull,
    DossierSync,
    // Group 2, timeliness (20)
    DossierOnTime,
    // Group 3, online public services (12)
    OnlineServiceProvision,
    OnlineServiceUsed,
    OnlineDossierRate,
    // Group 4, online payment (10)
    OnlinePaymentRate,
    FeeProceduresPaidOnline,
    FeeDataSynced,
    // Group 5, satisfaction (18)
    PetitionProcessingOnTime,
    PetitionHandlingSatisfaction,
    DossierReceivingSatisfaction,
    // Group 6, digitisation (22)
    OriginalResultAvailable,
    SoHoaGiayToGiaiQuyet,
    ElectronicCertifiedCopy,
    ReusedDigitizedData,
    SyncedWithDvcqgPersonalStorage,
    CitizenDataConnectedFormality,
    CitizenDataConnectedDossier,
}

impl Code {
    /// The metric's number in Decision 766 and its name, in Vietnamese.
    pub fn label_vi(self) -> (&'static str, &'static str) {
        use Code::*;
        match self {
            PublishOnTime => ("1.1", "TTHC được công bố đúng hạn"),
            PublicUpdateOnTime => ("1.2", "TTHC được công khai đúng hạn trên CSDL quốc gia"),
            PublicContentFull => ("1.3", "TTHC công khai đủ 7 bộ phận cấu thành"),
            DossierSync => ("1.4", "Hồ sơ đồng bộ lên Cổng Dịch vụ công quốc gia"),
            DossierOnTime => ("2", "Hồ sơ giải quyết đúng hạn"),
            OnlineServiceProvision => ("3 A", "TTHC cung cấp dịch vụ công trực tuyến"),
            OnlineServiceUsed => ("3 B", "Dịch vụ công trực tuyến có phát sinh hồ sơ trực tuyến"),
            OnlineDossierRate => ("3 C", "Hồ sơ nộp trực tuyến"),
            OnlinePaymentRate => ("4 A", "Hồ sơ thanh toán trực tuyến"),
            FeeProceduresPaidOnline => ("4 B", "TTHC có phí có giao dịch thanh toán trực tuyến"),
            FeeDataSynced => ("4 C", "TTHC có phí đồng bộ dữ liệu thu phí"),
            PetitionProcessingOnTime => ("5.2", "Phản ánh, kiến nghị xử lý đúng hạn"),
            PetitionHandlingSatisfaction => ("5.3", "Hài lòng về xử lý phản ánh, kiến nghị"),
            DossierReceivingSatisfaction => ("5.4", "Hài lòng về tiếp nhận, giải quyết hồ sơ"),
            OriginalResultAvailable => ("4.1", "Hồ sơ có kết quả điện tử"),
            SoHoaGiayToGiaiQuyet => ("4.2", "Hồ sơ được số hóa thành phần và kết quả"),
            ElectronicCertifiedCopy => ("4.6", "Chứng thực bản sao điện tử từ bản chính"),
            ReusedDigitizedData => ("4.3", "Hồ sơ tái sử dụng dữ liệu số hóa"),
            SyncedWithDvcqgPersonalStorage => ("4.4", "Kết quả điện tử đưa vào kho dữ liệu cá nhân"),
            CitizenDataConnectedFormality => ("4.5 a", "TTHC khai thác dữ liệu dân cư"),
            CitizenDataConnectedDossier => ("4.5 b", "Hồ sơ khai thác dữ liệu dân cư"),
        }
    }
}

/// The name of a group of the index (`1` to `6`), in Vietnamese.
pub fn group_vi(code: u8) -> &'static str {
    match code {
        1 => "Công khai, minh bạch",
        2 => "Tiến độ giải quyết",
        3 => "Dịch vụ công trực tuyến",
        4 => "Thanh toán trực tuyến",
        5 => "Mức độ hài lòng",
        _ => "Số hóa hồ sơ",
    }
}

/// How a metric's ratio becomes points.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Curve {
    /// `max × ratio`.
    Linear,
    /// `max × min(1, ratio / full_at)`: full points from `full_at` on.
    FullAt(f64),
    /// `min(max, factor × max × ratio)` (the portal's 2.5 × B for a 2-point metric).
    Scaled(f64),
}

/// A metric's place: its group, its maximum, its curve, what an empty denominator gives.
struct Spec {
    code: Code,
    group: u8,
    max: f64,
    curve: Curve,
    /// Full points when nothing was to be counted (petitions), else none.
    full_when_empty: bool,
}

/// The settings of the uncertain rules (docs/RULES.md §D5: tagged [S] or [U]); `[index]` in the
/// configuration file.
#[derive(Debug, Clone, PartialEq, Serialize, serde::Deserialize)]
#[serde(default)]
pub struct Rules {
    /// Digitised dossiers (4.2): full points from this share on (the formula document says 80 %;
    /// the general rule of group 6 would be 100 %).
    pub digitised_full_at: f64,
    /// Online services offered (3 A): full points from this share on (80 %).
    pub online_offered_full_at: f64,
    /// Online dossiers (3 C): full points from this share on (50 %).
    pub online_dossiers_full_at: f64,
    /// Satisfaction at reception (5.4): full points from this share on (90 %).
    pub satisfaction_full_at: f64,
    /// Reuse of digitised data (4.3): full points from this share on (80 %).
    pub reuse_full_at: f64,
}

impl Default for Rules {
    fn default() -> Self {
        Self {
            digitised_full_at: 0.8,
            online_offered_full_at: 0.8,
            online_dossiers_full_at: 0.5,
            satisfaction_full_at: 0.9,
            reuse_full_at: 0.8,
        }
    }
}

impl Rules {
    fn specs(&self) -> Vec<Spec> {
        use Code::*;
        let s = |code, group, max, curve| Spec { code, group, max, curve, full_when_empty: false };
        let petitions = |code| Spec { code, group: 5, max: 6.0, curve: Curve::Linear, full_when_empty: true };
        vec![
            s(PublishOnTime, 1, 6.0, Curve::Linear),
            s(PublicUpdateOnTime, 1, 4.0, Curve::Linear),
            s(PublicContentFull, 1, 2.0, Curve::Linear),
            s(DossierSync, 1, 6.0, Curve::Linear),
            s(DossierOnTime, 2, 20.0, Curve::Linear),
            s(OnlineServiceProvision, 3, 2.0, Curve::FullAt(self.online_offered_full_at)),
            s(OnlineServiceUsed, 3, 4.0, Curve::Linear),
            s(OnlineDossierRate, 3, 6.0, Curve::FullAt(self.online_dossiers_full_at)),
            s(OnlinePaymentRate, 4, 6.0, Curve::Linear),
            s(FeeProceduresPaidOnline, 4, 2.0, Curve::Scaled(1.25)),
            s(FeeDataSynced, 4, 2.0, Curve::Scaled(1.25)),
            petitions(PetitionProcessingOnTime),
            petitions(PetitionHandlingSatisfaction),
            s(DossierReceivingSatisfaction, 5, 6.0, Curve::FullAt(self.satisfaction_full_at)),
            s(OriginalResultAvailable, 6, 6.0, Curve::Linear),
            s(SoHoaGiayToGiaiQuyet, 6, 4.0, Curve::FullAt(self.digitised_full_at)),
            s(ElectronicCertifiedCopy, 6, 2.0, Curve::Linear),
            s(ReusedDigitizedData, 6, 2.0, Curve::FullAt(self.reuse_full_at)),
            s(SyncedWithDvcqgPersonalStorage, 6, 4.0, Curve::Linear),
            s(CitizenDataConnectedFormality, 6, 2.0, Curve::Linear),
            s(CitizenDataConnectedDossier, 6, 2.0, Curve::Linear),
        ]
    }

    /// The variants in force, in words, for the page and the report.
    pub fn variants_vi(&self) -> Vec<String> {
        let pct = |v: f64| crate::text::percent_vi(v * 100.0);
        vec![
            format!("Số hóa hồ sơ (4.2): đủ điểm từ {}", pct(self.digitised_full_at)),
            format!("Cung cấp DVC trực tuyến (3 A): đủ điểm từ {}", pct(self.online_offered_full_at)),
            format!("Hồ sơ trực tuyến (3 C): đủ điểm từ {}", pct(self.online_dossiers_full_at)),
            format!("Mức độ hài lòng khi tiếp nhận (5.4): đủ điểm từ {}", pct(self.satisfaction_full_at)),
            format!("Tái sử dụng dữ liệu (4.3): đủ điểm từ {}", pct(self.reuse_full_at)),
        ]
    }
}

/// What a metric counts: the records that meet it, among those it is about.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, serde::Deserialize)]
pub struct Count {
    pub numerator: u64,
    pub denominator: u64,
}

impl Count {
    /// `numerator / denominator`, `None` when the denominator is zero.
    pub fn ratio(&self) -> Option<f64> {
        (self.denominator > 0).then(|| self.numerator as f64 / self.denominator as f64)
    }

    /// Count one record in `code`'s base, and in its numerator when it `meets` the metric.
    pub fn tally(counts: &mut std::collections::BTreeMap<Code, Count>, code: Code, meets: bool) {
        let c = counts.entry(code).or_default();
        c.denominator += 1;
        c.numerator += u64::from(meets);
    }
}

/// A metric scored.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, serde::Deserialize)]
pub struct MetricScore {
    pub code: Code,
    pub numerator: u64,
    pub denominator: u64,
    /// `None` when the denominator is zero.
    pub ratio: Option<f64>,
    pub points: f64,
    pub max: f64,
}

/// A group scored.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, serde::Deserialize)]
pub struct GroupScore {
    /// `1` to `6`.
    pub code: u8,
    pub max: f64,
    pub points: f64,
    pub metrics: Vec<MetricScore>,
}

/// The index over a period and a unit.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, serde::Deserialize)]
pub struct IndexScore {
    pub total: f64,
    pub groups: Vec<GroupScore>,
}

fn points(spec: &Spec, c: Count) -> (Option<f64>, f64) {
    if c.denominator == 0 {
        return (None, if spec.full_when_empty { spec.max } else { 0.0 });
    }
    let ratio = (c.numerator.min(c.denominator)) as f64 / c.denominator as f64;
    let p = match spec.curve {
        Curve::Linear => spec.max * ratio,
        Curve::FullAt(full) => spec.max * (ratio / full).min(1.0),
        Curve::Scaled(factor) => (spec.max * ratio * factor).min(spec.max),
    };
    (Some(ratio), p)
}

/// Score every metric of the index from its counts (a metric without counts counts nothing).
pub fn score(counts: &std::collections::BTreeMap<Code, Count>, rules: &Rules) -> IndexScore {
    let mut groups: Vec<GroupScore> =
        (1..=6).map(|code| GroupScore { code, max: 0.0, points: 0.0, metrics: vec![] }).collect();
    for spec in rules.specs() {
        let c = counts.get(&spec.code).copied().unwrap_or_default();
        let (ratio, p) = points(&spec, c);
        let g = &mut groups[usize::from(spec.group - 1)];
        g.max += spec.max;
        g.points += p;
        g.metrics.push(MetricScore {
            code: spec.code,
            numerator: c.numerator,
            denominator: c.denominator,
            ratio,
            points: p,
            max: spec.max,
        });
    }
    let total = groups.iter().map(|g| g.points).sum();
    IndexScore { total, groups }
}

#[cfg(test)]
mod tests;
