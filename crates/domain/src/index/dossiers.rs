//! The index's counts over dossiers, straight from their records (docs/RULES.md §D4, §D5): what
//! the live aggregates must equal, and the baseline they are measured against. A dossier counts
//! in the period its receipt falls in (Vietnam time).

use std::collections::BTreeMap;

use super::{Code, Count, Period};
use crate::calendar::deadline::{Instant, Supplement, Timeliness, classify, vn_offset};
use crate::dossier::record::DossierRecord;
use crate::procedure::Channel;

/// The counts of the dossier metrics for `period`, judged at `at` (the end of the period, or now
/// while it runs): timeliness (2), online dossiers (3 C), online payment (4 A), synchronisation
/// (1.4), electronic results (4.1), digitisation (4.2), reuse (4.3), results synced to the
/// holder's store on the national portal (4.4), population data (4.5 b), satisfaction at
/// reception (5.4).
pub fn dossier_counts<'a>(
    dossiers: impl IntoIterator<Item = &'a DossierRecord>,
    period: Period,
    at: Instant,
) -> BTreeMap<Code, Count> {
    let mut counts = BTreeMap::new();
    let (mut received, mut late, mut complained) = (0u64, 0u64, 0u64);
    for d in dossiers {
        let traits = d.traits;
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
            late += u64::from(t == Timeliness::Late);
        }
        received += 1;
        complained += u64::from(d.facts.disliked || d.facts.petitioned);
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
        Count::tally(
            &mut counts,
            Code::SyncedWithDvcqgPersonalStorage,
            d.facts.e_result && d.facts.synced_at.is_some(),
        );
        Count::tally(&mut counts, Code::CitizenDataConnectedDossier, d.facts.uses_population_data());
    }
    if received > 0 {
        // 5.4: 100 % − (overdue rate + rate of dossiers disliked or petitioned about).
        let numerator = received.saturating_sub(late + complained);
        counts.insert(Code::DossierReceivingSatisfaction, Count { numerator, denominator: received });
    }
    counts
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dossier::record::{DossierFacts, FormSet, ProcedureTraits};
    use crate::dossier::{Command, Dossier, DossierCode, Policy, transition};
    use crate::ids::{AgencyCode, ProcedureCode};
    use crate::index::share::{Fact, Share, Sums};

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
            traits: ProcedureTraits { paper_result: true, fee_bearing: true },
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
        let month = Period::Month { year: 2024, month: 3 };
        let at = t("2024-04-01T00:00:00+07:00");
        let c = dossier_counts(&ds, month, at);
        let get = |code| c.get(&code).copied().unwrap_or_default();
        assert_eq!(get(Code::DossierOnTime), Count { numerator: 1, denominator: 3 });
        assert_eq!(get(Code::OnlineDossierRate), Count { numerator: 1, denominator: 3 }, "the third has no e-result");
        assert_eq!(get(Code::OnlinePaymentRate), Count { numerator: 1, denominator: 3 });
        assert_eq!(get(Code::OriginalResultAvailable), Count { numerator: 1, denominator: 3 });
        assert_eq!(get(Code::SoHoaGiayToGiaiQuyet), Count { numerator: 1, denominator: 3 });
        assert_eq!(get(Code::ReusedDigitizedData), Count { numerator: 1, denominator: 3 });
        assert_eq!(get(Code::DossierSync), Count { numerator: 0, denominator: 3 }, "no portal connection yet");
        assert_eq!(get(Code::CitizenDataConnectedDossier), Count { numerator: 0, denominator: 3 });
        assert_eq!(get(Code::DossierReceivingSatisfaction), Count { numerator: 1, denominator: 3 }, "two late");
        // A dislike counts against the agency too.
        let mut disliked = ds.clone();
        disliked[0].facts.disliked = true;
        assert_eq!(dossier_counts(&disliked, month, at)[&Code::DossierReceivingSatisfaction].numerator, 0);
        assert_eq!(share_counts(&disliked, month, at), dossier_counts(&disliked, month, at));
        assert_eq!(share_counts(&ds, month, at), c, "the aggregates' sums say the same");
        // A procedure without a paper result or a fee leaves those metrics out.
        let plain: Vec<DossierRecord> =
            ds.iter().cloned().map(|d| DossierRecord { traits: ProcedureTraits::default(), ..d }).collect();
        let c = dossier_counts(&plain, month, at);
        assert_eq!((c.get(&Code::OriginalResultAvailable), c.get(&Code::OnlinePaymentRate)), (None, None));
        assert_eq!(c[&Code::OnlineDossierRate], Count { numerator: 2, denominator: 3 });
        assert_eq!(share_counts(&plain, month, at), c);
        // Judged during the month, the running third dossier is still on time.
        let mid = t("2024-03-22T00:00:00+07:00");
        assert_eq!(dossier_counts(&ds, month, mid)[&Code::DossierOnTime], Count { numerator: 2, denominator: 3 });
        assert_eq!(share_counts(&ds, month, mid), dossier_counts(&ds, month, mid));
        // 4.5 b: population data used — an account authenticated with VNeID, or the applicant
        // confirmed by the population database at intake; either counts, once.
        let mut connected = ds.clone();
        connected[0].facts.vneid = true;
        connected[1].facts.population_data = true;
        connected[2].facts = DossierFacts { vneid: true, population_data: true, ..connected[2].facts.clone() };
        let c = dossier_counts(&connected, month, at);
        assert_eq!(c[&Code::CitizenDataConnectedDossier], Count { numerator: 3, denominator: 3 });
        assert_eq!(share_counts(&connected, month, at), c);
    }

    /// The counts as the store's sums give them: each dossier's share added to its month.
    fn share_counts(ds: &[DossierRecord], period: Period, at: Instant) -> BTreeMap<Code, Count> {
        let (first, last) = period.month_range();
        let mut sums = Sums::default();
        for s in ds.iter().map(Share::of).filter(|s| (first..=last).contains(&s.month)) {
            sums.add_share(&s, at);
        }
        sums.counts()
    }

    #[test]
    fn a_share_moves_by_its_delta() {
        let facts = DossierFacts { component_files: 1, ..DossierFacts::default() };
        let d = dossier(1, "2024-03-04T09:00:00+07:00", "2024-03-08T17:30:00+07:00", None, Channel::Online, facts);
        let before = Share::of(&d);
        assert_eq!(before.open_until, Some(t("2024-03-08T17:30:00+07:00")));
        let done = DossierRecord {
            facts: DossierFacts { e_result: true, ..d.facts.clone() },
            workflow: crate::dossier::Dossier {
                resolved_at: Some(t("2024-03-07T10:00:00+07:00")),
                ..d.workflow.clone()
            },
            ..d.clone()
        };
        let after = Share::of(&done);
        let mut delta = after.delta(Some(&before));
        delta.sort();
        use super::super::share::Fact::*;
        assert_eq!(delta, vec![(OnTime, 1), (Open, -1), (OnlineCounted, 1), (EResult, 1), (Digitised, 1)]);
        assert_eq!(after.open_until, None);
        assert_eq!(Share::from_bits(after.month, after.bits(), None), after);
        assert_eq!(before.delta(None).len(), Fact::ALL.iter().filter(|f| before.has(**f)).count());
        assert_eq!(after.month, 202403);
    }
}
