//! Catalog search over an in-memory index of the published versions.
//!
//! The catalog is reference data: a province publishes a few thousand procedures and changes
//! them rarely, while citizens search it constantly. The store stays the source of truth; the
//! application keeps an index of every published version (this module's [`CatalogIndex`]) and
//! rebuilds it when the catalog changes. Searching is then a pure function, the same on every
//! backend, and fast (docs/PERFORMANCE.md).
//!
//! Matching: every query word (folded: no diacritics, no case, đ = d; one spelling of the
//! variants in use, `ký` = `kí`, see `text::spelling_key`) must occur in the folded code, name,
//! field, results or subjects. Ranking, best first: exact code, exact name, name
//! starting with the phrase, name containing the phrase, name containing every word, the rest;
//! then shorter names first (the more specific match), then name and code.

use chrono::NaiveDate;
use serde::Serialize;

use crate::ids::{AgencyCode, ProcedureCode};
use crate::procedure::{Level, OnlineLevel, TimeLimit, VersionStatus};
use crate::text::{distinct_words, fold_vi, spelling_key};

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Page<T> {
    pub items: Vec<T>,
    /// The number of matches, or, when `total_capped`, a lower bound: counting stopped there.
    pub total: u64,
    /// True when there are more than `total` matches (work queues count up to a limit).
    pub total_capped: bool,
    pub page: u32,
    pub per_page: u32,
}

/// Catalog search criteria.
#[derive(Debug, Clone, Default)]
pub struct CatalogQuery {
    /// Folded query words (see `text::query_words`); all must match.
    pub words: Vec<String>,
    pub field: Option<String>,
    pub level: Option<Level>,
    pub online_level: Option<OnlineLevel>,
    pub agency: Option<AgencyCode>,
    /// Versions in force on this date.
    pub on: NaiveDate,
    pub page: u32,
    pub per_page: u32,
}

/// One line of a catalog search result.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct ProcedureSummary {
    pub code: ProcedureCode,
    pub version: u32,
    pub name: String,
    pub field: Option<String>,
    pub levels: Vec<Level>,
    pub online_level: OnlineLevel,
    pub time_limit: Option<TimeLimit>,
    pub status: VersionStatus,
}

/// What the index keeps of one published version.
#[derive(Debug, Clone, PartialEq)]
pub struct CatalogEntry {
    pub summary: ProcedureSummary,
    pub effective_from: NaiveDate,
    pub effective_to: Option<NaiveDate>,
    pub agencies: Vec<AgencyCode>,
    /// Distinct folded words of code, name, field, results and subjects.
    pub search_text: String,
}

impl CatalogEntry {
    fn in_force_on(&self, d: NaiveDate) -> bool {
        self.summary.status.was_published() && self.effective_from <= d && self.effective_to.is_none_or(|t| d < t)
    }
}

struct Indexed {
    entry: CatalogEntry,
    /// Folded name without the leading "thủ tục", in one spelling (`text::spelling_key`).
    name_key: String,
    /// The search text in one spelling.
    words: String,
}

/// The searchable catalog.
pub struct CatalogIndex {
    entries: Vec<Indexed>,
}

/// Folded name without the "Thủ tục" most published names start with, so that ranking compares
/// what people type.
pub fn name_key(name: &str) -> String {
    let f = fold_vi(name);
    f.strip_prefix("thu tuc ").map(str::to_owned).unwrap_or(f)
}

/// The search text of a version: distinct folded words.
pub fn search_text(source: &str) -> String {
    distinct_words(source)
}

impl CatalogIndex {
    pub fn new(entries: Vec<CatalogEntry>) -> Self {
        Self {
            entries: entries
                .into_iter()
                .filter(|e| e.summary.status.was_published())
                .map(|entry| Indexed {
                    name_key: spelling_key(&name_key(&entry.summary.name)),
                    words: spelling_key(&entry.search_text),
                    entry,
                })
                .collect(),
        }
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// How many procedures have a version in force on a date.
    pub fn in_force_count(&self, on: NaiveDate) -> usize {
        let mut codes: Vec<&str> =
            self.entries.iter().filter(|e| e.entry.in_force_on(on)).map(|e| e.entry.summary.code.as_str()).collect();
        codes.sort_unstable();
        codes.dedup();
        codes.len()
    }

    /// Distinct fields of the versions in force on a date, sorted.
    pub fn fields(&self, on: NaiveDate) -> Vec<String> {
        let mut f: Vec<String> = self
            .entries
            .iter()
            .filter(|e| e.entry.in_force_on(on))
            .filter_map(|e| e.entry.summary.field.clone())
            .collect();
        f.sort();
        f.dedup();
        f
    }

    pub fn search(&self, q: &CatalogQuery) -> Page<ProcedureSummary> {
        let words: Vec<String> = q.words.iter().map(|w| spelling_key(w)).collect();
        let phrase = words.join(" ");
        let mut hits: Vec<(u8, &Indexed)> = self
            .entries
            .iter()
            .filter(|e| {
                let en = &e.entry;
                en.in_force_on(q.on)
                    && q.field.as_ref().is_none_or(|f| en.summary.field.as_ref() == Some(f))
                    && q.level.is_none_or(|l| en.summary.levels.contains(&l))
                    && q.online_level.is_none_or(|o| en.summary.online_level == o)
                    && q.agency.as_ref().is_none_or(|a| en.agencies.contains(a))
                    && words.iter().all(|w| e.words.contains(w.as_str()))
            })
            .map(|e| (rank(e, &phrase, &words), e))
            .collect();
        hits.sort_by(|(ra, a), (rb, b)| {
            ra.cmp(rb)
                .then(a.name_key.len().cmp(&b.name_key.len()))
                .then(a.name_key.cmp(&b.name_key))
                .then(a.entry.summary.code.cmp(&b.entry.summary.code))
        });
        let per_page = q.per_page.clamp(1, 200);
        let page = q.page.max(1);
        let skip = (page as usize - 1) * per_page as usize;
        Page {
            total: hits.len() as u64,
            total_capped: false,
            items: hits.into_iter().skip(skip).take(per_page as usize).map(|(_, e)| e.entry.summary.clone()).collect(),
            page,
            per_page,
        }
    }
}

fn rank(e: &Indexed, phrase: &str, words: &[String]) -> u8 {
    if words.is_empty() || e.entry.summary.code.as_str() == phrase {
        0
    } else if e.name_key == phrase {
        1
    } else if e.name_key.starts_with(phrase) {
        2
    } else if e.name_key.contains(phrase) {
        3
    } else if words.iter().all(|w| e.name_key.contains(w.as_str())) {
        4
    } else {
        5
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::query_words;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    fn entry(code: &str, name: &str, field: &str, level: Level, from: &str, agency: &str) -> CatalogEntry {
        let code = ProcedureCode::parse(code).unwrap();
        CatalogEntry {
            search_text: search_text(&format!("{code} {name} {field}")),
            summary: ProcedureSummary {
                code,
                version: 1,
                name: name.into(),
                field: Some(field.into()),
                levels: vec![level],
                online_level: OnlineLevel::Partial,
                time_limit: None,
                status: VersionStatus::Published,
            },
            effective_from: d(from),
            effective_to: None,
            agencies: vec![AgencyCode::parse(agency).unwrap()],
        }
    }

    fn index() -> CatalogIndex {
        CatalogIndex::new(vec![
            entry("1.001193", "Thủ tục đăng ký khai sinh", "Hộ tịch", Level::Commune, "2025-07-01", "H24.101"),
            entry("1.000656", "Thủ tục đăng ký khai tử", "Hộ tịch", Level::Commune, "2025-07-01", "H24.101"),
            entry(
                "2.000635",
                "Cấp bản sao Trích lục hộ tịch, bản sao Giấy khai sinh",
                "Hộ tịch",
                Level::Province,
                "2025-07-01",
                "H24.11",
            ),
            entry("1.009994", "Cấp giấy phép xây dựng", "Hoạt động xây dựng", Level::Province, "2025-07-01", "H24.14"),
            entry("1.000001", "Đăng ký khai sinh lưu động", "Hộ tịch", Level::Commune, "2030-01-01", "H24.101"),
        ])
    }

    fn q(text: &str) -> CatalogQuery {
        CatalogQuery { words: query_words(text), on: d("2026-11-27"), page: 1, per_page: 20, ..CatalogQuery::default() }
    }

    fn codes(p: &Page<ProcedureSummary>) -> Vec<&str> {
        p.items.iter().map(|i| i.code.as_str()).collect()
    }

    #[test]
    fn folded_words_rank_the_best_match_first() {
        let i = index();
        assert_eq!(codes(&i.search(&q("dang ky khai sinh"))), vec!["1.001193"]);
        assert_eq!(codes(&i.search(&q("KHAI SINH"))), vec!["1.001193", "2.000635"], "phrase in a short name first");
        assert_eq!(codes(&i.search(&q("Đăng ký"))), vec!["1.000656", "1.001193"]);
        assert_eq!(codes(&i.search(&q("1.009994"))), vec!["1.009994"]);
        assert_eq!(i.search(&q("xyzzy")).total, 0);
    }

    #[test]
    fn both_spellings_find_the_same_and_rank_the_same() {
        let i = index();
        for (a, b) in [("dang ki khai sinh", "đăng ký khai sinh"), ("Đăng kí", "Đăng ký"), ("xay dung", "xây dựng")]
        {
            assert_eq!(codes(&i.search(&q(a))), codes(&i.search(&q(b))), "{a} / {b}");
        }
        assert_eq!(codes(&i.search(&q("dang ki khai sinh"))), vec!["1.001193"]);
    }

    #[test]
    fn filters_dates_and_paging() {
        let i = index();
        assert_eq!(i.search(&CatalogQuery { level: Some(Level::Province), ..q("") }).total, 2);
        assert_eq!(i.search(&CatalogQuery { field: Some("Hộ tịch".into()), ..q("") }).total, 3);
        assert_eq!(i.search(&CatalogQuery { agency: Some(AgencyCode::parse("H24.14").unwrap()), ..q("") }).total, 1);
        assert_eq!(i.search(&CatalogQuery { on: d("2030-02-01"), ..q("khai sinh") }).total, 3);
        let p = i.search(&CatalogQuery { page: 2, per_page: 3, ..q("") });
        assert_eq!((p.total, p.items.len(), p.page), (4, 1, 2));
        assert_eq!(i.fields(d("2026-11-27")), vec!["Hoạt động xây dựng".to_owned(), "Hộ tịch".to_owned()]);
    }
}
