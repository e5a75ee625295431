use std::collections::BTreeMap;

use super::*;

fn counts(list: &[(Code, u64, u64)]) -> BTreeMap<Code, Count> {
    list.iter().map(|(c, n, d)| (*c, Count { numerator: *n, denominator: *d })).collect()
}

fn metric(s: &IndexScore, code: Code) -> &MetricScore {
    s.groups.iter().flat_map(|g| &g.metrics).find(|m| m.code == code).unwrap_or_else(|| panic!("{code:?}"))
}

#[test]
fn six_groups_make_one_hundred_points() {
    let s = score(&BTreeMap::new(), &Rules::default());
    let maxima: Vec<f64> = s.groups.iter().map(|g| g.max).collect();
    assert_eq!(maxima, vec![18.0, 20.0, 12.0, 10.0, 18.0, 22.0]);
    // Nothing to count: no points, except the petition metrics (full when there were none).
    assert_eq!(s.total, 12.0);
    assert_eq!(metric(&s, Code::DossierOnTime).ratio, None, "no division by zero");
}

#[test]
fn every_metric_full_gives_one_hundred() {
    let all: Vec<(Code, u64, u64)> = Rules::default().specs().iter().map(|s| (s.code, 10, 10)).collect();
    let s = score(&counts(&all), &Rules::default());
    assert!((s.total - 100.0).abs() < 1e-9, "{}", s.total);
}

#[test]
fn the_curves_of_the_portal() {
    let r = Rules::default();
    let s = score(
        &counts(&[
            (Code::DossierOnTime, 90, 100),
            (Code::OnlineServiceProvision, 40, 100),
            (Code::OnlineDossierRate, 60, 100),
            (Code::FeeProceduresPaidOnline, 50, 100),
            (Code::DossierReceivingSatisfaction, 45, 50),
            (Code::SoHoaGiayToGiaiQuyet, 2, 5),
            (Code::ReusedDigitizedData, 3, 4),
        ]),
        &r,
    );
    let p = |c| metric(&s, c).points;
    assert!((p(Code::DossierOnTime) - 18.0).abs() < 1e-9, "20 × 90 %");
    assert!((p(Code::OnlineServiceProvision) - 1.0).abs() < 1e-9, "2 × 40 % / 80 %");
    assert!((p(Code::OnlineDossierRate) - 6.0).abs() < 1e-9, "full from 50 %");
    assert!((p(Code::FeeProceduresPaidOnline) - 1.25).abs() < 1e-9, "2 × 50 % × 1.25");
    assert!((p(Code::DossierReceivingSatisfaction) - 6.0).abs() < 1e-9, "90 % is full");
    assert!((p(Code::SoHoaGiayToGiaiQuyet) - 2.0).abs() < 1e-9, "4 × 40 % / 80 %");
    assert!((p(Code::ReusedDigitizedData) - 1.875).abs() < 1e-9, "2 × 75 % / 80 %");
    // A variant changes the score and is named.
    let strict = Rules { digitised_full_at: 1.0, ..Rules::default() };
    let s2 = score(&counts(&[(Code::SoHoaGiayToGiaiQuyet, 2, 5)]), &strict);
    assert!((metric(&s2, Code::SoHoaGiayToGiaiQuyet).points - 1.6).abs() < 1e-9);
    assert!(strict.variants_vi()[0].contains("100,00"));
}

#[test]
fn petitions_without_petitions_score_full_and_a_count_never_exceeds_its_base() {
    let s = score(&counts(&[(Code::PetitionProcessingOnTime, 0, 0), (Code::PublishOnTime, 7, 5)]), &Rules::default());
    assert_eq!(metric(&s, Code::PetitionProcessingOnTime).points, 6.0);
    assert_eq!(metric(&s, Code::PublishOnTime).ratio, Some(1.0));
}

#[test]
fn publication_counts_each_procedure_once_in_the_period() {
    use crate::ids::ProcedureCode;
    use crate::index::catalog::publication_counts;
    use crate::plan::publication::PublicationLine;
    let d = |s: &str| chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap_or_else(|e| panic!("{e}"));
    let line = |code: &str, decided: &str, on_time: bool, publicised: Option<bool>| PublicationLine {
        procedure: ProcedureCode::parse(code).unwrap_or_else(|e| panic!("{e}")),
        name: "Thủ tục".into(),
        version: 1,
        decision_no: None,
        decision_date: d(decided),
        effective_from: d(decided),
        latest_on_time: d(decided),
        on_time,
        publicised_on: None,
        publicise_by: d(decided),
        publicised_on_time: publicised,
    };
    let lines = [
        line("1.000001", "2024-03-04", true, Some(true)),
        // The same procedure late once in the month: late for the month.
        line("1.000001", "2024-03-20", false, Some(true)),
        line("1.000002", "2024-03-10", true, None),
        // Another month.
        line("1.000003", "2024-04-02", false, Some(false)),
    ];
    let c = publication_counts(&lines, Period::Month { year: 2024, month: 3 });
    assert_eq!(c[&Code::PublishOnTime], Count { numerator: 1, denominator: 2 });
    assert_eq!(c[&Code::PublicUpdateOnTime], Count { numerator: 1, denominator: 2 }, "pending is not on time yet");
    assert!(publication_counts(&lines, Period::Month { year: 2024, month: 5 }).is_empty());
}
