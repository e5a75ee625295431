//! The percentages a plan sets ("Đạt tỷ lệ tối thiểu 50%") and the metric that measures each:
//! a Decision 766 metric (docs/RULES.md §D5, names of §D5.2–§D5.7) or one of the plan's own that motcua
//! measures (review, simplification, compliance cost). Read by keyword rules on the words around
//! the number; a percentage no rule recognises is kept with a `null` metric and counted in the
//! import report.

use serde::{Deserialize, Serialize};

use super::parties::fold_char;

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum Metric {
    PublishOnTime,
    PublicUpdateOnTime,
    DossierSync,
    OnlineServiceProvision,
    OnlineDossierRate,
    OnlinePaymentRate,
    OriginalResultAvailable,
    SoHoaGiayToGiaiQuyet,
    ElectronicCertifiedCopy,
    ReusedDigitizedData,
    PetitionProcessingOnTime,
    DossierReceivingSatisfaction,
    PlanImpactAssessed,
    PlanProceduresReviewed,
    PlanProceduresSimplified,
    PlanComplianceCostReduction,
}

impl Metric {
    pub const ALL: [Metric; 16] = [
        Self::PublishOnTime,
        Self::PublicUpdateOnTime,
        Self::DossierSync,
        Self::OnlineServiceProvision,
        Self::OnlineDossierRate,
        Self::OnlinePaymentRate,
        Self::OriginalResultAvailable,
        Self::SoHoaGiayToGiaiQuyet,
        Self::ElectronicCertifiedCopy,
        Self::ReusedDigitizedData,
        Self::PetitionProcessingOnTime,
        Self::DossierReceivingSatisfaction,
        Self::PlanImpactAssessed,
        Self::PlanProceduresReviewed,
        Self::PlanProceduresSimplified,
        Self::PlanComplianceCostReduction,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::PublishOnTime => "PUBLISH_ON_TIME",
            Self::PublicUpdateOnTime => "PUBLIC_UPDATE_ON_TIME",
            Self::DossierSync => "DOSSIER_SYNC",
            Self::OnlineServiceProvision => "ONLINE_SERVICE_PROVISION",
            Self::OnlineDossierRate => "ONLINE_DOSSIER_RATE",
            Self::OnlinePaymentRate => "ONLINE_PAYMENT_RATE",
            Self::OriginalResultAvailable => "ORIGINAL_RESULT_AVAILABLE",
            Self::SoHoaGiayToGiaiQuyet => "SO_HOA_GIAY_TO_GIAI_QUYET",
            Self::ElectronicCertifiedCopy => "ELECTRONIC_CERTIFIED_COPY",
            Self::ReusedDigitizedData => "REUSED_DIGITIZED_DATA",
            Self::PetitionProcessingOnTime => "PETITION_PROCESSING_ON_TIME",
            Self::DossierReceivingSatisfaction => "DOSSIER_RECEIVING_SATISFACTION",
            Self::PlanImpactAssessed => "PLAN_IMPACT_ASSESSED",
            Self::PlanProceduresReviewed => "PLAN_PROCEDURES_REVIEWED",
            Self::PlanProceduresSimplified => "PLAN_PROCEDURES_SIMPLIFIED",
            Self::PlanComplianceCostReduction => "PLAN_COMPLIANCE_COST_REDUCTION",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|m| m.as_str() == s)
    }

    /// The metric's number in Decision 766 (docs/RULES.md §D5), or `None` for the plan's own.
    pub fn index_number(self) -> Option<&'static str> {
        Some(match self {
            Self::PublishOnTime => "1.1",
            Self::PublicUpdateOnTime => "1.2",
            Self::DossierSync => "1.4",
            Self::OnlineServiceProvision => "3.1",
            Self::OnlineDossierRate => "3.3",
            Self::OnlinePaymentRate => "3.6",
            Self::OriginalResultAvailable => "4.1",
            Self::SoHoaGiayToGiaiQuyet => "4.2",
            Self::ElectronicCertifiedCopy => "4.x",
            Self::ReusedDigitizedData => "4.3",
            Self::PetitionProcessingOnTime => "5.2",
            Self::DossierReceivingSatisfaction => "5.4",
            Self::PlanImpactAssessed
            | Self::PlanProceduresReviewed
            | Self::PlanProceduresSimplified
            | Self::PlanComplianceCostReduction => return None,
        })
    }

    pub fn label_vi(self) -> &'static str {
        match self {
            Self::PublishOnTime => "Công bố TTHC đúng hạn",
            Self::PublicUpdateOnTime => "Công khai TTHC trên CSDL quốc gia đúng hạn",
            Self::DossierSync => "Hồ sơ đồng bộ lên Cổng DVC quốc gia",
            Self::OnlineServiceProvision => "TTHC cung cấp dịch vụ công trực tuyến",
            Self::OnlineDossierRate => "Hồ sơ trực tuyến",
            Self::OnlinePaymentRate => "Thanh toán trực tuyến",
            Self::OriginalResultAvailable => "Cấp kết quả điện tử",
            Self::SoHoaGiayToGiaiQuyet => "Số hóa hồ sơ, kết quả",
            Self::ElectronicCertifiedCopy => "Chứng thực bản sao điện tử",
            Self::ReusedDigitizedData => "Tái sử dụng dữ liệu số hóa",
            Self::PetitionProcessingOnTime => "Phản ánh, kiến nghị xử lý đúng hạn",
            Self::DossierReceivingSatisfaction => "Mức độ hài lòng",
            Self::PlanImpactAssessed => "Đánh giá tác động TTHC",
            Self::PlanProceduresReviewed => "TTHC được rà soát",
            Self::PlanProceduresSimplified => "TTHC được cắt giảm, đơn giản hóa",
            Self::PlanComplianceCostReduction => "Cắt giảm chi phí tuân thủ",
        }
    }
}

/// A percentage a task sets.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Target {
    /// Percent, e.g. `50.0`; the plan's targets are all floors ("đạt tối thiểu", "ít nhất").
    pub value: f64,
    pub metric: Option<Metric>,
    /// A narrower scope the plan names ("đất đai, xây dựng, đầu tư").
    pub scope: Option<String>,
    /// The words around the number, as written.
    pub text: String,
}

/// Keyword rules, first match wins; `None` stops at "no metric" for wording that looks like a
/// metric's but is not (posting at the office is not publication on the national database).
const RULES: &[(&[&str], Option<Metric>)] = &[
    (&["chi phi tuan thu"], Some(Metric::PlanComplianceCostReduction)),
    (&["cat giam"], Some(Metric::PlanProceduresSimplified)),
    (&["ra soat"], Some(Metric::PlanProceduresReviewed)),
    (&["danh gia tac dong"], Some(Metric::PlanImpactAssessed)),
    (&["phan anh"], Some(Metric::PetitionProcessingOnTime)),
    (&["hai long"], Some(Metric::DossierReceivingSatisfaction)),
    (&["chung thuc ban sao dien tu"], Some(Metric::ElectronicCertifiedCopy)),
    (&["cap ket qua"], Some(Metric::OriginalResultAvailable)),
    (&["tai su dung"], Some(Metric::ReusedDigitizedData)),
    (&["so hoa"], Some(Metric::SoHoaGiayToGiaiQuyet)),
    (&["thanh toan truc tuyen"], Some(Metric::OnlinePaymentRate)),
    (&["ho so truc tuyen", "nop, giai quyet truc tuyen"], Some(Metric::OnlineDossierRate)),
    (&["cung cap dich vu cong truc tuyen"], Some(Metric::OnlineServiceProvision)),
    (&["dong bo"], Some(Metric::DossierSync)),
    (&["co so du lieu quoc gia", "cap nhat cong khai"], Some(Metric::PublicUpdateOnTime)),
    (&["niem yet", "nhan dien thuong hieu"], None),
    (&["cong bo"], Some(Metric::PublishOnTime)),
];

fn metric_of(context: &str) -> Option<Metric> {
    RULES.iter().find(|(keys, _)| keys.iter().any(|k| context.contains(k))).and_then(|(_, m)| *m)
}

/// The percentages in one text, each with the words around it.
fn read(o: &[char]) -> Vec<Target> {
    let f: Vec<char> = o.iter().map(|c| fold_char(*c)).collect();
    let mut out = Vec::new();
    let mut prev_end = 0;
    let pct_positions: Vec<usize> = (0..f.len()).filter(|&i| f[i] == '%').collect();
    for (n, &p) in pct_positions.iter().enumerate() {
        let mut j = p;
        while j > 0 && f[j - 1] == ' ' {
            j -= 1;
        }
        let num_end = j;
        while j > 0
            && (f[j - 1].is_ascii_digit()
                || ((f[j - 1] == ',' || f[j - 1] == '.') && j >= 2 && f[j - 2].is_ascii_digit()))
        {
            j -= 1;
        }
        if j == num_end {
            continue;
        }
        let number: String = f[j..num_end].iter().collect();
        let Ok(value) = number.replace(',', ".").parse::<f64>() else { continue };
        // the clause: back to the previous percentage or clause break, on to the next break
        let boundary = |k: usize| matches!(f[k], ';' | '\n') || (f[k] == '.' && f.get(k + 1) == Some(&' '));
        let start = (prev_end..j).rev().find(|&k| boundary(k)).map(|k| k + 1).unwrap_or(prev_end);
        let next_pct = pct_positions.get(n + 1).copied().unwrap_or(f.len());
        let end = (p + 1..next_pct).find(|&k| boundary(k) || matches!(f[k], ',' | ')')).unwrap_or(next_pct);
        prev_end = p + 1;
        let context: String = f[start..end].iter().collect();
        let text: String =
            o[start..end].iter().collect::<String>().trim().trim_start_matches(['-', ' ', '(']).trim().to_owned();
        let scope = context.find("linh vuc ").map(|at| {
            let from = context[..at].chars().count() + "linh vuc ".len();
            let rest: String = o[start + from..end].iter().collect();
            let folded_rest: String = f[start + from..end].iter().collect();
            let stop =
                folded_rest.find(" dat ").map(|b| folded_rest[..b].chars().count()).unwrap_or(rest.chars().count());
            rest.chars().take(stop).collect::<String>().trim().to_owned()
        });
        out.push(Target { value, metric: metric_of(&context), scope, text });
    }
    out
}

/// The targets of a task: from its title, then those of its product that the title does not
/// already set (a product restates the title's figure as the expected result).
pub fn extract(title: &str, product: &str) -> Vec<Target> {
    let mut out: Vec<Target> = Vec::new();
    for t in read(&title.chars().collect::<Vec<_>>()) {
        if t.metric.is_none() || !out.iter().any(|o| o.metric == t.metric && o.value == t.value && o.scope == t.scope) {
            out.push(t);
        }
    }
    for t in read(&product.chars().collect::<Vec<_>>()) {
        if !out.iter().any(|o| o.value == t.value) {
            out.push(t);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn metrics(title: &str, product: &str) -> Vec<(f64, Option<&'static str>)> {
        extract(title, product).iter().map(|t| (t.value, t.metric.map(Metric::as_str))).collect()
    }

    #[test]
    fn three_targets_in_one_sentence() {
        let t = "Tổ chức rà soát, đơn giản hóa thủ tục hành chính liên quan đến người dân, doanh nghiệp; rà soát, đơn giản hóa thủ tục hành chính nội bộ đảm bảo tỷ lệ ít nhất 50% trên tổng số thủ tục hành chính thuộc phạm vi quản lý, đề xuất phương án đơn giản hóa đảm bảo mục tiêu cắt giảm, đơn giản hóa ít nhất 20% thủ tục hành chính và cắt giảm ít nhất 20% chi phí tuân thủ thủ tục hành chính.";
        assert_eq!(
            metrics(t, ""),
            [
                (50.0, Some("PLAN_PROCEDURES_REVIEWED")),
                (20.0, Some("PLAN_PROCEDURES_SIMPLIFIED")),
                (20.0, Some("PLAN_COMPLIANCE_COST_REDUCTION"))
            ]
        );
    }

    #[test]
    fn scope_and_two_levels() {
        let t = "Mức độ hài lòng của người dân, doanh nghiệp về giải quyết thủ tục hành chính đạt tối thiểu 90%. Trong đó, mức độ hài lòng về giải quyết các thủ tục hành chính lĩnh vực đất đai, xây dựng, đầu tư đạt tối thiểu 85%.";
        let v = extract(t, "Báo cáo kết quả thực hiện.");
        assert_eq!(v.len(), 2);
        assert_eq!(
            (v[0].value, v[0].metric, v[0].scope.as_deref()),
            (90.0, Some(Metric::DossierReceivingSatisfaction), None)
        );
        assert_eq!(
            (v[1].value, v[1].metric, v[1].scope.as_deref()),
            (85.0, Some(Metric::DossierReceivingSatisfaction), Some("đất đai, xây dựng, đầu tư"))
        );
    }

    #[test]
    fn list_items_and_products() {
        let t = "Đẩy mạnh Số hóa hồ sơ, kết quả giải quyết thủ tục hành chính đảm bảo chỉ tiêu: - Đạt tỷ lệ 100% số hóa hồ sơ, kết quả giải quyết thủ tục hành chính; - Đạt 100% cấp kết quả giải quyết thủ tục hành chính điện tử.";
        let p = "100% hồ sơ, kết quả giải quyết thủ tục hành chính được số hóa";
        assert_eq!(
            metrics(t, p),
            [(100.0, Some("SO_HOA_GIAY_TO_GIAI_QUYET")), (100.0, Some("ORIGINAL_RESULT_AVAILABLE"))]
        );
        assert_eq!(
            metrics(
                "Tiếp nhận, xử lý phản ánh, kiến nghị.",
                "Phân loại, xử lý đạt tỷ lệ 100% phản ánh, kiến nghị được xử lý đúng hạn."
            ),
            [(100.0, Some("PETITION_PROCESSING_ON_TIME"))]
        );
        assert_eq!(metrics("- Niêm yết, công khai thủ tục hành chính (đạt tỷ lệ 100%);", ""), [(100.0, None)]);
        assert_eq!(metrics("Không có chỉ tiêu", "Báo cáo"), []);
    }
}
