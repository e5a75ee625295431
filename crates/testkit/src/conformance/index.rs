//! The live Decision 766 index: the sums the store keeps with each write say what the records
//! say (`index::dossiers::dossier_counts`, the definition), at any time of asking, and a rebuild
//! from the records gives the same sums.

use std::collections::BTreeMap;

use chrono::{DateTime, FixedOffset};
use motcua_domain::dossier::record::{DocumentKind, DocumentRecord, DocumentSource, DossierRecord, NewDossier};
use motcua_domain::dossier::{Dossier, DossierCode, State};
use motcua_domain::index::dossiers::dossier_counts;
use motcua_domain::index::share::Sums;
use motcua_domain::index::{Code, Count, Period};
use motcua_domain::procedure::Channel;
use motcua_storage::{Backfill, IndexQuery, IndexRow, Store, no_notices};

use super::dossier::desk_event;
use crate::fixtures::{agency_code, audit, intake_event, new_dossier, pdf_file};

fn t(s: &str) -> DateTime<FixedOffset> {
    DateTime::parse_from_rfc3339(s).unwrap_or_else(|e| panic!("{e}"))
}

async fn intake(s: &impl Store, new: NewDossier) -> DossierRecord {
    s.create_dossier(&new, &intake_event(&new), &audit("dossier.intake"), no_notices())
        .await
        .unwrap_or_else(|e| panic!("{e}"))
}

async fn read(s: &impl Store, code: &DossierCode) -> DossierRecord {
    s.dossier(code).await.unwrap_or_else(|e| panic!("{e}")).unwrap_or_else(|| panic!("stored"))
}

async fn rows(s: &impl Store, period: Period, agencies: Option<Vec<&str>>, at: &str) -> Vec<IndexRow> {
    let agencies = agencies.map(|a| a.into_iter().map(agency_code).collect());
    let mut rows = s
        .index_rows(&IndexQuery { months: period.month_range(), agencies, at: t(at) })
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    rows.sort_by(|a, b| {
        (a.month, &a.competent_agency, &a.procedure).cmp(&(b.month, &b.competent_agency, &b.procedure))
    });
    rows
}

fn counts(rows: &[IndexRow]) -> BTreeMap<Code, Count> {
    let mut sums = Sums::default();
    for r in rows {
        sums.merge(&r.sums);
    }
    sums.counts()
}

/// Every row of sums of 2026, asked on 5 December.
pub async fn index_snapshot(s: &impl Store) -> Vec<IndexRow> {
    rows(s, Period::Year { year: 2026 }, None, "2026-12-05T12:00:00+07:00").await
}

pub async fn index_story(s: &impl Store) {
    let november = Period::Month { year: 2026, month: 11 };
    let received = t("2026-11-26T09:00:00+07:00");
    // Accepted at the counter, appointment on the 30th; another due on the 27th; one filed
    // online and not yet accepted; one of December.
    let on_time = intake(s, new_dossier(Channel::Counter, received, None, None)).await;
    let mut short = new_dossier(Channel::Counter, received, None, None);
    short.workflow.due_original = Some(t("2026-11-27T17:30:00+07:00"));
    // Fees paid online at the counter's intake are stored with the dossier.
    short.workflow.paid_online = true;
    let short = intake(s, short).await;
    let online = intake(s, new_dossier(Channel::Online, received, None, None)).await;
    intake(s, new_dossier(Channel::Counter, t("2026-12-01T09:00:00+07:00"), None, None)).await;
    assert!(!s.index_pending().await.unwrap_or_else(|e| panic!("{e}")), "every intake has its share");

    // The first is resolved on time with its files; the online one is accepted.
    let resolved = Dossier { resolved_at: Some(t("2026-11-27T10:00:00+07:00")), ..on_time.workflow.clone() };
    let ev = desk_event("resolve", Some(State::Accepted), State::Resolved, received);
    s.update_dossier(&on_time.code, 1, &resolved, &ev, &audit("dossier.resolve"), &[])
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    for (kind, source) in
        [(DocumentKind::Component, DocumentSource::Vault), (DocumentKind::Result, DocumentSource::Issued)]
    {
        let doc = DocumentRecord {
            id: uuid::Uuid::now_v7(),
            dossier: on_time.code.clone(),
            kind,
            name: "Giấy tờ".into(),
            file: pdf_file("giay-to.pdf", &format!("2026/{}", uuid::Uuid::now_v7())),
            source,
            at: received,
            by: "motcua".into(),
        };
        s.add_document(&doc, None, &audit("dossier.document")).await.unwrap_or_else(|e| panic!("{e}"));
    }
    let accepted = Dossier { due_original: Some(t("2026-12-03T17:30:00+07:00")), ..online.workflow.clone() };
    let ev = desk_event("accept", Some(State::Submitted), State::Accepted, received);
    s.update_dossier(&online.code, 1, &accepted, &ev, &audit("dossier.accept"), &[])
        .await
        .unwrap_or_else(|e| panic!("{e}"));

    let mut records = Vec::new();
    for code in [&on_time.code, &short.code, &online.code] {
        records.push(read(s, code).await);
    }
    // Asked on the 27th at noon the short one is on time; at 18:00 it is late (due that day);
    // on 5 December it is late (due on an earlier day).
    for at in ["2026-11-27T12:00:00+07:00", "2026-11-27T18:00:00+07:00", "2026-12-05T12:00:00+07:00"] {
        let live = counts(&rows(s, november, None, at).await);
        assert_eq!(live, dossier_counts(&records, november, t(at)), "asked at {at}");
    }
    let evening = counts(&rows(s, november, None, "2026-11-27T18:00:00+07:00").await);
    assert_eq!(evening[&Code::DossierOnTime].numerator, 2, "late from 17:30 on its day");
    let late = counts(&rows(s, november, None, "2026-12-05T12:00:00+07:00").await);
    assert_eq!(late[&Code::DossierOnTime], Count { numerator: 1, denominator: 3 }, "the online one is due on the 3rd");
    assert_eq!(late[&Code::OriginalResultAvailable], Count { numerator: 1, denominator: 3 });
    assert_eq!(late[&Code::ReusedDigitizedData], Count { numerator: 1, denominator: 3 });
    assert_eq!(late[&Code::OnlinePaymentRate], Count { numerator: 1, denominator: 3 });
    // Drill-down by competent agency; the quarter holds November and December.
    let at = "2026-12-05T12:00:00+07:00";
    assert_eq!(rows(s, november, Some(vec!["H24.11"]), at).await, rows(s, november, None, at).await);
    assert!(rows(s, november, Some(vec!["H24.99"]), at).await.is_empty());
    assert!(rows(s, november, Some(vec![]), at).await.is_empty());
    let quarter = rows(s, Period::Quarter { year: 2026, quarter: 4 }, None, at).await;
    assert_eq!(counts(&quarter)[&Code::SoHoaGiayToGiaiQuyet].denominator, 4);

    // The dossiers behind each count are listed by the same facts.
    behind_each_count(s, &late, november, t(at)).await;

    // A rebuild from the records gives the sums kept live.
    let live = rows(s, Period::Year { year: 2026 }, None, at).await;
    let counted = s.rebuild_index(&Backfill::new()).await.unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(counted, 4);
    assert_eq!(rows(s, Period::Year { year: 2026 }, None, at).await, live);
    assert!(!s.index_pending().await.unwrap_or_else(|e| panic!("{e}")));
}

/// For each metric counted over dossiers, the list of its base, of the dossiers that meet it and
/// of the others has as many dossiers as the counts say.
async fn behind_each_count(s: &impl Store, counts: &BTreeMap<Code, Count>, period: Period, at: DateTime<FixedOffset>) {
    use motcua_domain::dossier::record::DossierQuery;
    use motcua_domain::index::share::{DOSSIER_METRICS, IndexFilter, Part};
    for (code, meets, base) in DOSSIER_METRICS {
        let c = counts.get(&code).copied().unwrap_or_default();
        for (part, expected) in
            [(Part::Base, c.denominator), (Part::Meets, c.numerator), (Part::Misses, c.denominator - c.numerator)]
        {
            let index = IndexFilter { months: period.month_range(), facts: (meets, base), part, at, agencies: None };
            let q = DossierQuery { index: Some(index), page: 1, per_page: 50, ..DossierQuery::default() };
            let (_, total) = s.list_dossiers(&q).await.unwrap_or_else(|e| panic!("{e}"));
            assert_eq!(total, expected, "{code:?} {part:?}");
        }
    }
    let index = IndexFilter {
        months: period.month_range(),
        facts: (motcua_domain::index::share::Fact::OnTime, motcua_domain::index::share::Fact::Timed),
        part: Part::Base,
        at,
        agencies: Some(vec![agency_code("H24.99")]),
    };
    let q = DossierQuery { index: Some(index), page: 1, per_page: 50, ..DossierQuery::default() };
    assert_eq!(s.list_dossiers(&q).await.unwrap_or_else(|e| panic!("{e}")).1, 0, "another agency's");
}
