//! The index's counts over dossiers, straight from their records (docs/RULES.md §D4, §D5): what
//! the live aggregates must equal, and the baseline they are measured against. A dossier counts
//! in the period its receipt falls in (Vietnam time).

use std::collections::BTreeMap;

use super::{Code, Count, Period};
use crate::calendar::deadline::{Instant, Supplement, Timeliness, classify, vn_offset};
use crate::dossier::record::DossierRecord;
use crate::procedure::Channel;

/// What the counts need to know of a dossier's procedure version.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ProcedureTraits {
    /// Its result is a paper document (metrics 3 C, 4.1, 4.2).
    pub paper_result: bool,
    /// It charges a fee (group 4).
    pub fee_bearing: bool,
}

/// The counts of the dossier metrics for `period`, judged at `at` (the end of the period, or now
/// while it runs): timeliness (2), online dossiers (3 C), online payment (4 A), synchronisation
/// (1.4), electronic results (4.1), digitisation (4.2), reuse (4.3), population data (4.5 b).
pub fn dossier_counts<'a>(
    dossiers: impl IntoIterator<Item = (&'a DossierRecord, ProcedureTraits)>,
    period: Period,
    at: Instant,
) -> BTreeMap<Code, Count> {
    let mut counts = BTreeMap::new();
    for (d, traits) in dossiers {
        let day = d.received_at.with_timezone(&vn_offset()).date_naive();
        if day < period.first_day() || day >= period.end_day() {
            continue;
        }
        let w = &d.workflow;
        if let Some(due) = w.due_original {
            let supplements: Vec<Supplement> = w
                .supplements
                .iter()
                .map(|s| Supplement { requested: s.requested_at, provided: s.provided_at })
                .collect();
            let end = w.resolved_at.or(w.ended_at);
            let t = classify(due, end, at, &supplements);
            Count::tally(&mut counts, Code::DossierOnTime, matches!(t, Timeliness::Early | Timeliness::OnTime));
        }
        let e_result_if_needed = !traits.paper_result || d.facts.e_result;
        Count::tally(&mut counts, Code::OnlineDossierRate, d.channel == Channel::Online && e_result_if_needed);
        if traits.fee_bearing {
            Count::tally(&mut counts, Code::OnlinePaymentRate, d.facts.paid_online);
        }
        Count::tally(&mut counts, Code::DossierSync, d.facts.synced_at.is_some());
        if traits.paper_result {
            Count::tally(&mut counts, Code::OriginalResultAvailable, d.facts.e_result);
        }
        Count::tally(&mut counts, Code::SoHoaGiayToGiaiQuyet, d.facts.digitised(traits.paper_result));
        Count::tally(&mut counts, Code::ReusedDigitizedData, d.facts.reused_data);
        Count::tally(&mut counts, Code::CitizenDataConnectedDossier, d.facts.vneid);
    }
    counts
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dossier::record::{DossierFacts, FormSet};
    use crate::dossier::{Command, Dossier, DossierCode, Policy, transition};
    use crate::ids::{AgencyCode, ProcedureCode};

    fn t(s: &str) -> Instant {
        chrono::DateTime::parse_from_rfc3339(s).unwrap_or_else(|e| panic!("{e}"))
    }

    fn dossier(
        n: u32,
        received: &str,
        due: &str,
        resolved: Option<&str>,
        channel: Channel,
        facts: DossierFacts,
    ) -> DossierRecord {
        let received = t(received);
        let mut w = transition(&Dossier::submitted(), &Command::Accept { due: t(due) }, received, &Policy::default())
            .unwrap_or_else(|e| panic!("{e}"))
            .0;
        w.resolved_at = resolved.map(t);
        let agency = AgencyCode::parse("H24.02").unwrap_or_else(|e| panic!("{e}"));
        DossierRecord {
            code: DossierCode::new(&agency, received.date_naive(), n).unwrap_or_else(|e| panic!("{e}")),
            agency: agency.clone(),
            competent_agency: agency,
            procedure: ProcedureCode::parse("2.000908").unwrap_or_else(|e| panic!("{e}")),
            procedure_number: 1,
            channel,
            applicant: serde_json::from_value(
                serde_json::json!({"kind": "citizen", "citizen_id": "031095001234", "name": "Vũ Minh Anh"}),
            )
            .unwrap_or_else(|e| panic!("{e}")),
            workflow: w,
            received_at: received,
            calendar_stamp: String::new(),
            form_set: FormSet::Tt03_2025,
            submitted_by: None,
            facts,
            revision: 1,
        }
    }

    #[test]
    fn counts_of_a_hand_made_month() {
        let files = DossierFacts { component_files: 2, e_result: true, paid_online: true, ..DossierFacts::default() };
        let ds = [
            // On time, online, with its e-result, paid online.
            dossier(
                1,
                "2024-03-04T09:00:00+07:00",
                "2024-03-08T17:30:00+07:00",
                Some("2024-03-07T10:00:00+07:00"),
                Channel::Online,
                files.clone(),
            ),
            // Late, at the counter, nothing digitised.
            dossier(
                2,
                "2024-03-05T09:00:00+07:00",
                "2024-03-06T17:30:00+07:00",
                Some("2024-03-11T10:00:00+07:00"),
                Channel::Counter,
                DossierFacts::default(),
            ),
            // Still running and past its appointment at the end of the month: late.
            dossier(
                3,
                "2024-03-20T09:00:00+07:00",
                "2024-03-25T17:30:00+07:00",
                None,
                Channel::Online,
                DossierFacts { reused_data: true, ..DossierFacts::default() },
            ),
            // Another month: not counted.
            dossier(4, "2024-04-01T09:00:00+07:00", "2024-04-05T17:30:00+07:00", None, Channel::Online, files),
        ];
        let paper = ProcedureTraits { paper_result: true, fee_bearing: true };
        let month = Period::Month { year: 2024, month: 3 };
        let c = dossier_counts(ds.iter().map(|d| (d, paper)), month, t("2024-04-01T00:00:00+07:00"));
        let get = |code| c.get(&code).copied().unwrap_or_default();
        assert_eq!(get(Code::DossierOnTime), Count { numerator: 1, denominator: 3 });
        assert_eq!(get(Code::OnlineDossierRate), Count { numerator: 1, denominator: 3 }, "the third has no e-result");
        assert_eq!(get(Code::OnlinePaymentRate), Count { numerator: 1, denominator: 3 });
        assert_eq!(get(Code::OriginalResultAvailable), Count { numerator: 1, denominator: 3 });
        assert_eq!(get(Code::SoHoaGiayToGiaiQuyet), Count { numerator: 1, denominator: 3 });
        assert_eq!(get(Code::ReusedDigitizedData), Count { numerator: 1, denominator: 3 });
        assert_eq!(get(Code::DossierSync), Count { numerator: 0, denominator: 3 }, "no portal connection yet");
        // A procedure without a paper result or a fee leaves those metrics out.
        let plain = ProcedureTraits::default();
        let c = dossier_counts(ds.iter().map(|d| (d, plain)), month, t("2024-04-01T00:00:00+07:00"));
        assert_eq!((c.get(&Code::OriginalResultAvailable), c.get(&Code::OnlinePaymentRate)), (None, None));
        assert_eq!(c[&Code::OnlineDossierRate], Count { numerator: 2, denominator: 3 });
    }
}
