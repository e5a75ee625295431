//! The administrative map as dated data (docs/RULES.md §D11).
//!
//! Units and agencies carry `valid_from` / `valid_to` (exclusive). A unit that ceased to exist
//! points to its successors; a merger is many-to-many and may be partial (a ward takes *part*
//! of an old commune), so a successor link carries a note on the share taken. "What is unit X
//! today" follows the links until it reaches units valid on that date.

use std::collections::{BTreeMap, BTreeSet};

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::FieldError;
use crate::ids::{AgencyCode, UnitCode};

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum UnitLevel {
    Province,
    /// District level, abolished on 1 July 2025; kept for dossiers and history.
    District,
    Commune,
    Ward,
    /// Township (thị trấn), a commune-level unit before 2025.
    Township,
    SpecialZone,
}

impl UnitLevel {
    pub const ALL: [UnitLevel; 6] =
        [Self::Province, Self::District, Self::Commune, Self::Ward, Self::Township, Self::SpecialZone];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Province => "province",
            Self::District => "district",
            Self::Commune => "commune",
            Self::Ward => "ward",
            Self::Township => "township",
            Self::SpecialZone => "special_zone",
        }
    }

    pub fn parse(s: &str) -> Result<Self, FieldError> {
        Self::ALL
            .into_iter()
            .find(|l| l.as_str() == s)
            .ok_or_else(|| FieldError::new("invalid_unit_level", "level", format!("Cấp đơn vị «{s}» không hợp lệ")))
    }

    pub fn label_vi(self) -> &'static str {
        match self {
            Self::Province => "Tỉnh/Thành phố",
            Self::District => "Huyện/Thị xã/Thành phố thuộc tỉnh",
            Self::Commune => "Xã",
            Self::Ward => "Phường",
            Self::Township => "Thị trấn",
            Self::SpecialZone => "Đặc khu",
        }
    }
}

/// Validity period: `from` inclusive, `to` exclusive (`None` = still valid).
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Validity {
    pub valid_from: NaiveDate,
    pub valid_to: Option<NaiveDate>,
}

impl Validity {
    pub fn contains(&self, date: NaiveDate) -> bool {
        self.valid_from <= date && self.valid_to.is_none_or(|to| date < to)
    }

    pub fn check(&self, field: &str) -> Result<(), FieldError> {
        match self.valid_to {
            Some(to) if to <= self.valid_from => {
                Err(FieldError::new("invalid_validity", field, "Ngày hết hiệu lực phải sau ngày bắt đầu hiệu lực"))
            }
            _ => Ok(()),
        }
    }
}

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AdminUnit {
    pub code: UnitCode,
    pub name: String,
    pub level: UnitLevel,
    pub parent: Option<UnitCode>,
    #[serde(flatten)]
    pub validity: Validity,
}

/// A unit that ceased (`from`) handed all or part of its territory to `to`.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SuccessorLink {
    pub from: UnitCode,
    pub to: UnitCode,
    /// `None` when the whole unit went to `to`; otherwise a note on the part taken.
    pub share: Option<String>,
}

impl SuccessorLink {
    /// A unit cannot succeed itself; `field` names the link in the file.
    pub fn check(&self, field: String) -> Result<(), FieldError> {
        if self.from == self.to {
            return Err(FieldError::new("invalid_successor", field, "Một đơn vị không thể kế thừa chính nó"));
        }
        Ok(())
    }

    /// The link names a unit the map does not have.
    pub fn dangling(&self, field: String) -> FieldError {
        FieldError::new(
            "unknown_unit",
            field,
            format!("Liên kết kế thừa {} → {} trỏ tới đơn vị không có", self.from, self.to),
        )
    }
}

/// A reference (`field`) to a unit the map does not have.
pub fn unknown_unit(field: String, code: &UnitCode) -> FieldError {
    FieldError::new("unknown_unit", field, format!("Không có đơn vị hành chính mã {code}"))
}

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AgencyKind {
    /// Provincial People's Committee.
    ProvincialCommittee,
    /// Provincial department (Sở) or board.
    Department,
    /// People's Committee of a district (until 2025) or commune.
    LocalCommittee,
    /// Public Administrative Service Centre (provincial or commune).
    ServiceCentre,
    /// One-stop desk (Bộ phận Một cửa).
    OneStopDesk,
    /// A specialised office inside a committee (Phòng Tư pháp, ...), or a vertical branch.
    Office,
}

impl AgencyKind {
    /// A service centre or a one-stop desk: where dossiers are received.
    pub fn receives_dossiers(self) -> bool {
        matches!(self, Self::ServiceCentre | Self::OneStopDesk)
    }

    pub const ALL: [AgencyKind; 6] = [
        Self::ProvincialCommittee,
        Self::Department,
        Self::LocalCommittee,
        Self::ServiceCentre,
        Self::OneStopDesk,
        Self::Office,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::ProvincialCommittee => "provincial_committee",
            Self::Department => "department",
            Self::LocalCommittee => "local_committee",
            Self::ServiceCentre => "service_centre",
            Self::OneStopDesk => "one_stop_desk",
            Self::Office => "office",
        }
    }

    pub fn parse(s: &str) -> Result<Self, FieldError> {
        Self::ALL
            .into_iter()
            .find(|l| l.as_str() == s)
            .ok_or_else(|| FieldError::new("invalid_agency_kind", "kind", format!("Loại cơ quan «{s}» không hợp lệ")))
    }
}

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Agency {
    pub code: AgencyCode,
    pub name: String,
    pub kind: AgencyKind,
    pub parent: Option<AgencyCode>,
    /// The administrative unit the agency serves.
    pub unit: UnitCode,
    #[serde(flatten)]
    pub validity: Validity,
}

/// One unit valid on the asked date that (part of) the asked unit became.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Successor {
    pub code: UnitCode,
    /// The chain of codes from the asked unit to this one, both included.
    pub path: Vec<UnitCode>,
    /// True when some link on the path took only part of a unit.
    pub partial: bool,
}

/// Resolve a unit to the units valid on `date`, following successor links.
///
/// `unit` returns the unit of a code; `successors` the outgoing links of a code. A unit valid on
/// the date resolves to itself. Cycles in bad data are cut, never looped on.
pub fn resolve_on<'a>(
    start: &UnitCode,
    date: NaiveDate,
    unit: impl Fn(&UnitCode) -> Option<&'a AdminUnit>,
    successors: impl Fn(&UnitCode) -> Vec<&'a SuccessorLink>,
) -> Vec<Successor> {
    let mut found: BTreeMap<UnitCode, Successor> = BTreeMap::new();
    let mut seen = BTreeSet::new();
    let mut stack = vec![(start.clone(), vec![start.clone()], false)];
    while let Some((code, path, partial)) = stack.pop() {
        if !seen.insert(code.clone()) {
            continue;
        }
        match unit(&code) {
            Some(u) if u.validity.contains(date) => {
                found.entry(code.clone()).or_insert(Successor { code, path, partial });
            }
            // Ask about a date before the unit existed: no successor gives an answer.
            Some(u) if date < u.validity.valid_from => {}
            _ => {
                for link in successors(&code) {
                    let mut p = path.clone();
                    p.push(link.to.clone());
                    stack.push((link.to.clone(), p, partial || link.share.is_some()));
                }
            }
        }
    }
    found.into_values().collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap_or_default()
    }
    fn code(s: &str) -> UnitCode {
        UnitCode::parse(s).unwrap_or_else(|e| panic!("{e}"))
    }
    fn unit(c: &str, from: &str, to: Option<&str>) -> AdminUnit {
        AdminUnit {
            code: code(c),
            name: c.into(),
            level: UnitLevel::Commune,
            parent: None,
            validity: Validity { valid_from: d(from), valid_to: to.map(d) },
        }
    }

    #[test]
    fn follows_merger_and_split_links() {
        let units = [
            unit("A", "2000-01-01", Some("2025-07-01")),
            unit("B", "2000-01-01", Some("2025-07-01")),
            unit("X", "2025-07-01", None),
            unit("Y", "2025-07-01", None),
        ];
        let links = [
            SuccessorLink { from: code("A"), to: code("X"), share: None },
            SuccessorLink { from: code("B"), to: code("X"), share: Some("một phần".into()) },
            SuccessorLink { from: code("B"), to: code("Y"), share: Some("phần còn lại".into()) },
        ];
        let get = |c: &UnitCode| units.iter().find(|u| &u.code == c);
        let succ = |c: &UnitCode| links.iter().filter(|l| &l.from == c).collect::<Vec<_>>();

        let today = d("2026-11-27");
        let a = resolve_on(&code("A"), today, get, succ);
        assert_eq!(a.len(), 1);
        assert_eq!(a[0].code, code("X"));
        assert!(!a[0].partial);
        let b = resolve_on(&code("B"), today, get, succ);
        assert_eq!(b.iter().map(|s| s.code.as_str()).collect::<Vec<_>>(), vec!["X", "Y"]);
        assert!(b.iter().all(|s| s.partial));
        // In 2024 A was still A.
        let a24 = resolve_on(&code("A"), d("2024-05-01"), get, succ);
        assert_eq!(a24[0].path, vec![code("A")]);
    }

    #[test]
    fn cycles_do_not_loop() {
        let units = [unit("A", "2000-01-01", Some("2001-01-01")), unit("B", "2000-01-01", Some("2001-01-01"))];
        let links = [
            SuccessorLink { from: code("A"), to: code("B"), share: None },
            SuccessorLink { from: code("B"), to: code("A"), share: None },
        ];
        let r = resolve_on(
            &code("A"),
            d("2020-01-01"),
            |c| units.iter().find(|u| &u.code == c),
            |c| links.iter().filter(|l| &l.from == c).collect(),
        );
        assert!(r.is_empty());
    }

    #[test]
    fn validity_is_half_open() {
        let v = Validity { valid_from: d("2024-01-01"), valid_to: Some(d("2025-07-01")) };
        assert!(v.contains(d("2025-06-30")));
        assert!(!v.contains(d("2025-07-01")));
        assert!(v.check("x").is_ok());
        let bad = Validity { valid_from: d("2025-07-01"), valid_to: Some(d("2025-07-01")) };
        assert!(bad.check("x").is_err());
    }
}
