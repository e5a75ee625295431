//! The Decision 766 index of a period, for the province or one unit, from the live sums the
//! store keeps with each dossier write, the catalog in force and the publishing decisions
//! (docs/RULES.md §D5). Public: the province publishes it.

use std::collections::{BTreeMap, BTreeSet};

use chrono::{DateTime, Datelike, FixedOffset, NaiveDate};
use motcua_domain::admin::Agency;
use motcua_domain::calendar::deadline::vn_offset;
use motcua_domain::ids::{AgencyCode, ProcedureCode, UnitCode};
use motcua_domain::index::catalog::{catalog_counts, publication_counts, usage_counts};
use motcua_domain::index::share::{Fact, Sums};
use motcua_domain::index::{Code, Count, IndexScore, Period, score};
use motcua_domain::petition::petition_counts;
use motcua_domain::plan::publication::{Limits, lines_of};
use motcua_domain::procedure::Procedure;
use motcua_storage::{AgencyQuery, Backfill, IndexQuery, IndexRow};
use serde::Serialize;

use crate::{App, AppError, AppResult};

/// The unit an index is drilled down to.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, serde::Deserialize)]
pub struct IndexUnit {
    pub code: String,
    pub name: String,
}

/// One line of a drill-down: an agency or a procedure, its dossiers and its index.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, serde::Deserialize)]
pub struct IndexLine {
    pub code: String,
    pub name: String,
    /// Dossiers received in the period.
    pub received: u64,
    /// Received online.
    pub online: u64,
    /// Dossier timeliness (group 2), `None` without dossiers with an appointment.
    pub on_time_ratio: Option<f64>,
    /// The index over this line's dossiers and procedures.
    pub total: f64,
    /// The counts of the metrics over this line's dossiers.
    pub counts: BTreeMap<Code, Count>,
}

/// The index of a period and a unit, with its drill-downs.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, serde::Deserialize)]
pub struct IndexReport {
    /// `2024-03`, `2024-Q1` or `2024`.
    pub period: String,
    pub period_vi: String,
    /// `None` for the whole province.
    pub unit: Option<IndexUnit>,
    /// When it was computed: dossiers still running are judged at this time.
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub at: DateTime<FixedOffset>,
    #[serde(flatten)]
    pub score: IndexScore,
    /// The variants of the uncertain rules in force, in words.
    pub variants: Vec<String>,
    /// Metrics not computed from motcua's records yet, and why.
    pub not_measured: Vec<NotMeasured>,
    /// By competent agency, most dossiers first.
    pub agencies: Vec<IndexLine>,
    /// By procedure, most dossiers first.
    pub procedures: Vec<IndexLine>,
    /// Each month of the period: the counts of the metrics over dossiers (the trend).
    pub months: Vec<MonthCounts>,
    /// The applicants' satisfaction (satisfied or very satisfied / evaluations, the plan's
    /// measure, docs/RULES.md §D6): all fields first, then by field of the procedures.
    pub satisfaction: Vec<SatisfactionLine>,
}

/// The counts of one month.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, serde::Deserialize)]
pub struct MonthCounts {
    /// `YYYY-MM`.
    pub month: String,
    pub received: u64,
    pub counts: BTreeMap<Code, Count>,
}

/// Evaluations of one field (or of all).
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, serde::Deserialize)]
pub struct SatisfactionLine {
    /// The field as the catalog names it; `None`: all fields.
    pub field: Option<String>,
    /// Dossiers evaluated, and of those satisfied or very satisfied.
    pub count: Count,
}

/// A metric the system cannot measure yet.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, serde::Deserialize)]
pub struct NotMeasured {
    pub code: Code,
    pub reason: String,
}

/// What the index of a scope is computed over.
struct Scope<'a> {
    rows: Vec<&'a IndexRow>,
    procedures: Vec<&'a Procedure>,
}

/// What every line of a drill-down is computed from.
struct Drill<'a> {
    rows: &'a [IndexRow],
    procedures: &'a [&'a Procedure],
    period: Period,
    on: NaiveDate,
    publication: &'a [motcua_domain::plan::publication::PublicationLine],
}

impl App {
    /// The index for `period` (`YYYY-MM`, `YYYY-Qn`, `YYYY`) over the province, or over `unit`
    /// (an agency code: that agency and the agencies under it; or an administrative unit code:
    /// the agencies serving it and the units under it).
    ///
    /// Kept in memory for `index_refresh` while this process writes nothing (many people look at
    /// the same month's figures; computing them reads the month's sums and the whole catalog).
    pub async fn index_report(&self, period: &str, unit: Option<&str>) -> AppResult<IndexReport> {
        let period = Period::parse(period, self.today())?;
        let unit = unit.map(str::trim).filter(|u| !u.is_empty());
        // The time of asking is part of the key (its step of `index_refresh`): running dossiers
        // turn late with the clock, and an application seen through another clock asks anew.
        let step = i64::try_from(self.config.index_refresh.as_millis()).unwrap_or(i64::MAX).max(1);
        let key = (period.code(), unit.map(str::to_owned), self.now().timestamp_millis().div_euclid(step));
        let generation = self.store.write_generation();
        self.caches
            .index
            .get_unless_written(&key, self.config.index_refresh, generation, || self.compute_index_report(period, unit))
            .await
    }

    async fn compute_index_report(&self, period: Period, unit: Option<&str>) -> AppResult<IndexReport> {
        let at = self.now().with_timezone(&vn_offset());
        let (unit, agencies) = match unit {
            None => (None, None),
            Some(u) => {
                let (unit, agencies) = self.index_unit(u).await?;
                (Some(unit), Some(agencies))
            }
        };
        let rows =
            self.store.index_rows(&IndexQuery { months: period.month_range(), agencies: agencies.clone(), at }).await?;
        let on = (period.end_day().pred_opt().unwrap_or(period.end_day())).min(self.today());
        let catalog = self.catalog_snapshot().await?;
        let in_scope = |p: &Procedure| match &agencies {
            None => true,
            Some(a) => {
                p.version_on(on).is_some_and(|v| v.content.agencies.iter().any(|x| a.contains(x)))
                    || rows.iter().any(|r| r.procedure == p.code)
            }
        };
        let procedures: Vec<&Procedure> = catalog.iter().filter(|p| in_scope(p)).collect();
        let publication = self.publication_lines(&procedures, period).await?;
        let names = self.agency_names_of(&rows).await?;
        let whole = Scope { rows: rows.iter().collect(), procedures: procedures.clone() };
        let mut score_counts = self.counts_of(&whole, period, on, &publication);
        let (from, before) = (start_of(period.first_day()), start_of(period.end_day()));
        let petitions = self.petitions_received(from, before, agencies.clone()).await?;
        score_counts.extend(petition_counts(&petitions, at));
        let score = score(&score_counts, &self.config.index_rules);
        let drill = Drill { rows: &rows, procedures: &procedures, period, on, publication: &publication };
        let agencies_lines = self.lines_by(
            &drill,
            |r| r.competent_agency.to_string(),
            |c| names.get(c).cloned().unwrap_or_else(|| c.to_owned()),
        );
        let procedure_names: BTreeMap<String, String> = catalog
            .iter()
            .map(|p| (p.code.to_string(), p.version_on(on).or(p.versions.last()).map(|v| v.content.name.clone())))
            .filter_map(|(c, n)| n.map(|n| (c, n)))
            .collect();
        let procedure_lines = self.lines_by(
            &drill,
            |r| r.procedure.to_string(),
            |c| procedure_names.get(c).cloned().unwrap_or_else(|| c.to_owned()),
        );
        let fields: BTreeMap<&ProcedureCode, String> = catalog
            .iter()
            .filter_map(|p| {
                p.version_on(on).or(p.versions.last()).and_then(|v| v.content.field.clone()).map(|f| (&p.code, f))
            })
            .collect();
        Ok(IndexReport {
            months: months_of(&rows),
            satisfaction: satisfaction_of(&rows, |c| fields.get(c).cloned()),
            period: period.code(),
            period_vi: period.label_vi(),
            unit,
            at,
            score,
            variants: self.config.index_rules.variants_vi(),
            not_measured: not_measured(),
            agencies: agencies_lines,
            procedures: procedure_lines,
        })
    }

    fn score_of(
        &self,
        scope: &Scope<'_>,
        period: Period,
        on: NaiveDate,
        publication: &[motcua_domain::plan::publication::PublicationLine],
    ) -> IndexScore {
        score(&self.counts_of(scope, period, on, publication), &self.config.index_rules)
    }

    fn counts_of(
        &self,
        scope: &Scope<'_>,
        period: Period,
        on: NaiveDate,
        publication: &[motcua_domain::plan::publication::PublicationLine],
    ) -> BTreeMap<Code, Count> {
        let mut sums = Sums::default();
        let mut by_procedure: BTreeMap<ProcedureCode, Sums> = BTreeMap::new();
        for r in &scope.rows {
            sums.merge(&r.sums);
            by_procedure.entry(r.procedure.clone()).or_default().merge(&r.sums);
        }
        let mut counts: BTreeMap<Code, Count> = sums.counts();
        counts.extend(catalog_counts(scope.procedures.iter().copied(), on));
        counts.extend(usage_counts(scope.procedures.iter().copied(), on, &by_procedure));
        let codes: BTreeSet<&ProcedureCode> = scope.procedures.iter().map(|p| &p.code).collect();
        let lines: Vec<_> = publication.iter().filter(|l| codes.contains(&l.procedure)).cloned().collect();
        counts.extend(publication_counts(&lines, period));
        counts
    }

    /// One line per key of `key_of`, scored over its rows and the procedures of its rows.
    fn lines_by(
        &self,
        d: &Drill<'_>,
        key_of: impl Fn(&IndexRow) -> String,
        name_of: impl Fn(&str) -> String,
    ) -> Vec<IndexLine> {
        let mut groups: BTreeMap<String, Vec<&IndexRow>> = BTreeMap::new();
        for r in d.rows {
            groups.entry(key_of(r)).or_default().push(r);
        }
        let mut lines: Vec<IndexLine> = groups
            .into_iter()
            .map(|(code, rows)| {
                let used: BTreeSet<&ProcedureCode> = rows.iter().map(|r| &r.procedure).collect();
                let procedures = d.procedures.iter().copied().filter(|p| used.contains(&p.code)).collect();
                let scope = Scope { rows, procedures };
                let mut sums = Sums::default();
                scope.rows.iter().for_each(|r| sums.merge(&r.sums));
                let timeliness = sums.counts().get(&Code::DossierOnTime).copied();
                IndexLine {
                    name: name_of(&code),
                    code,
                    received: sums.get(Fact::Received),
                    online: sums.get(Fact::Online),
                    on_time_ratio: timeliness.and_then(|c| c.ratio()),
                    total: self.score_of(&scope, d.period, d.on, d.publication).total,
                    counts: sums.counts(),
                }
            })
            .collect();
        lines.sort_by(|a, b| b.received.cmp(&a.received).then_with(|| a.code.cmp(&b.code)));
        lines
    }

    async fn agency_names_of(&self, rows: &[IndexRow]) -> AppResult<BTreeMap<String, String>> {
        let codes: BTreeSet<&AgencyCode> = rows.iter().map(|r| &r.competent_agency).collect();
        let mut names = BTreeMap::new();
        for c in codes {
            names.insert(c.to_string(), self.agency_name(c).await?);
        }
        Ok(names)
    }

    /// The publishing decisions of the period's years (metrics 1.1 and 1.2).
    async fn publication_lines(
        &self,
        procedures: &[&Procedure],
        period: Period,
    ) -> AppResult<Vec<motcua_domain::plan::publication::PublicationLine>> {
        let cal = self.calendars().await?;
        let cal = cal.of(None);
        let limits =
            Limits { lead: self.config.publish_lead_working_days, within: self.config.publicise_within_working_days };
        let today = self.today();
        let year = period.first_day().year();
        let mut lines = Vec::new();
        for p in procedures {
            lines.extend(lines_of(p, year, limits, today, |d| cal.is_working(d))?);
        }
        Ok(lines)
    }

    /// The unit named `code` and the competent agencies whose dossiers it covers.
    pub(crate) async fn index_unit(&self, code: &str) -> AppResult<(IndexUnit, Vec<AgencyCode>)> {
        let all = self.store.agencies(&AgencyQuery::default()).await?;
        if let Ok(agency) = AgencyCode::parse(code)
            && let Some(a) = all.iter().find(|a| a.code == agency)
        {
            let covered = with_descendants(a.code.clone(), |c| {
                all.iter().filter(|x| x.parent.as_ref() == Some(c)).map(|x| x.code.clone()).collect()
            });
            return Ok((IndexUnit { code: a.code.to_string(), name: a.name.clone() }, covered));
        }
        let unknown = || {
            AppError::invalid(
                "unknown_unit",
                "unit",
                format!("Không có cơ quan hay đơn vị hành chính nào mã «{code}» trên bản đồ hành chính"),
            )
        };
        let unit_code = UnitCode::parse(code).map_err(|_| unknown())?;
        let Some(unit) = self.store.unit(&unit_code).await? else { return Err(unknown()) };
        let units = self.store.units(&Default::default()).await?;
        let covered = with_descendants(unit.code.clone(), |c| {
            units.iter().filter(|u| u.parent.as_ref() == Some(c)).map(|u| u.code.clone()).collect()
        });
        let agencies: Vec<AgencyCode> =
            all.iter().filter(|a: &&Agency| covered.contains(&a.unit)).map(|a| a.code.clone()).collect();
        Ok((IndexUnit { code: unit.code.to_string(), name: unit.name }, agencies))
    }

    /// Recompute the index's shares and sums from the dossiers (see `IndexRepo::rebuild_index`),
    /// taking the traits of dossiers stored before the index from their procedure versions.
    pub async fn rebuild_index(&self) -> AppResult<u64> {
        let mut backfill = Backfill::new();
        for p in self.catalog_snapshot().await?.iter() {
            for v in &p.versions {
                backfill.insert((p.code.clone(), v.number), v.content.index_traits());
            }
        }
        Ok(self.store.rebuild_index(&backfill).await?)
    }

    /// Rebuild the index when some dossier has no share yet (after the upgrade that added it).
    pub(crate) async fn rebuild_index_if_pending(&self) -> AppResult<()> {
        if self.store.index_pending().await? {
            let n = self.rebuild_index().await?;
            tracing::info!(dossiers = n, "Decision 766 index rebuilt from the dossiers");
        }
        Ok(())
    }
}

fn months_of(rows: &[IndexRow]) -> Vec<MonthCounts> {
    let mut by_month: BTreeMap<u32, Sums> = BTreeMap::new();
    for r in rows {
        by_month.entry(r.month).or_default().merge(&r.sums);
    }
    by_month
        .into_iter()
        .map(|(m, sums)| MonthCounts {
            month: format!("{:04}-{:02}", m / 100, m % 100),
            received: sums.get(Fact::Received),
            counts: sums.counts(),
        })
        .collect()
}

fn satisfaction_of(rows: &[IndexRow], field_of: impl Fn(&ProcedureCode) -> Option<String>) -> Vec<SatisfactionLine> {
    let mut all = Count::default();
    let mut by_field: BTreeMap<String, Count> = BTreeMap::new();
    for r in rows {
        let c = Count { numerator: r.sums.get(Fact::Satisfied), denominator: r.sums.get(Fact::Rated) };
        all.numerator += c.numerator;
        all.denominator += c.denominator;
        if let Some(f) = field_of(&r.procedure) {
            let e = by_field.entry(f).or_default();
            e.numerator += c.numerator;
            e.denominator += c.denominator;
        }
    }
    std::iter::once(SatisfactionLine { field: None, count: all })
        .chain(by_field.into_iter().map(|(f, count)| SatisfactionLine { field: Some(f), count }))
        .collect()
}

/// The first instant of `day` in Vietnam (a period's bound).
fn start_of(day: NaiveDate) -> motcua_domain::calendar::deadline::Instant {
    motcua_domain::calendar::deadline::day_start(day)
        .unwrap_or_else(|| chrono::DateTime::<chrono::Utc>::MIN_UTC.with_timezone(&vn_offset()))
}

/// `root` and everything under it (`children_of` gives the codes one level down); a cycle in bad
/// map data is cut.
fn with_descendants<T: Clone + PartialEq>(root: T, children_of: impl Fn(&T) -> Vec<T>) -> Vec<T> {
    let mut all = vec![root];
    let mut i = 0;
    while i < all.len() {
        for c in children_of(&all[i]) {
            if !all.contains(&c) {
                all.push(c);
            }
        }
        i += 1;
    }
    all
}

/// The metrics motcua has no records for yet.
fn not_measured() -> Vec<NotMeasured> {
    let reason = |code, reason: &str| NotMeasured { code, reason: reason.to_owned() };
    vec![
        reason(Code::ElectronicCertifiedCopy, "Chưa có chức năng chứng thực bản sao điện tử"),
        reason(
            Code::PetitionHandlingSatisfaction,
            "Phần «phản ánh lặp lại về kết quả xử lý» chưa được ghi nhận; chỉ số tính phần quá hạn và không hài lòng",
        ),
    ]
}

/// The live sums of a period against a scan of the dossiers themselves.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct IndexCheck {
    pub period: String,
    /// Dossiers received in the period, read one by one.
    pub dossiers: u64,
    pub live: BTreeMap<Code, Count>,
    pub scanned: BTreeMap<Code, Count>,
    /// The metrics whose counts differ (none when the sums are right).
    pub differences: Vec<Code>,
}

impl App {
    /// Compare the live sums of `period` with the counts of a scan of its dossiers (the naive
    /// computation, kept as the reference): for the administrators after an incident, and the
    /// benchmark's baseline. `motcua index check`.
    pub async fn index_check(&self, actor: &crate::Actor, period: &str) -> AppResult<IndexCheck> {
        actor.require_admin()?;
        let period = Period::parse(period, self.today())?;
        let at = self.now().with_timezone(&vn_offset());
        let rows = self.store.index_rows(&IndexQuery { months: period.month_range(), agencies: None, at }).await?;
        let mut sums = Sums::default();
        rows.iter().for_each(|r| sums.merge(&r.sums));
        let live = sums.counts();
        let (from, before) = (start_of(period.first_day()), start_of(period.end_day()));
        let mut records = Vec::new();
        loop {
            let after = records.last().map(|d: &motcua_domain::dossier::record::DossierRecord| d.code.clone());
            let page = self.store.scan_dossiers(from, before, after.as_ref(), 2000).await?;
            if page.is_empty() {
                break;
            }
            records.extend(page);
        }
        let scanned = motcua_domain::index::dossiers::dossier_counts(&records, period, at);
        let codes: BTreeSet<Code> = live.keys().chain(scanned.keys()).copied().collect();
        let differences = codes.into_iter().filter(|c| live.get(c) != scanned.get(c)).collect();
        Ok(IndexCheck { period: period.code(), dossiers: records.len() as u64, live, scanned, differences })
    }
}
