//! Agencies named in a plan's cells ("Văn phòng UBND tỉnh", "UBND cấp huyện, cấp xã", "Các Sở:
//! Tư pháp; Thông tin và Truyền thông", "Các cơ quan, đơn vị, địa phương") matched to the
//! agencies of the administrative map valid on the plan's date, or to a group of agencies the
//! plan names collectively. A name that matches neither is kept as written and reported.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};
use unicode_normalization::UnicodeNormalization;

use crate::admin::{Agency, AgencyKind, UnitLevel};
use crate::ids::AgencyCode;

/// Agencies a plan names together.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PartyGroup {
    /// "Các cơ quan, đơn vị, địa phương": every department, board and local committee.
    AllAgencies,
    /// "Các cơ quan, đơn vị": the departments and boards (the plan's own definition, task I.1).
    ProvincialAgencies,
    /// "Các Sở", "Các cơ quan chuyên môn thuộc UBND tỉnh".
    Departments,
    /// "UBND cấp huyện", "UBND các huyện, thị xã, thành phố".
    DistrictCommittees,
    /// "UBND cấp xã", "UBND các xã, phường, thị trấn".
    CommuneCommittees,
    /// "Phòng Tư pháp cấp huyện".
    DistrictJusticeOffices,
    /// "Các cơ quan, đơn vị, địa phương dự kiến được kiểm tra theo Phụ lục": the appendix.
    Inspected,
    /// Branches of central agencies in the province ("cơ quan ngành dọc"); not in the map.
    VerticalAgencies,
    /// Press and broadcasting; not in the map.
    Media,
    /// "... có liên quan": whichever the lead agency involves; nobody in particular.
    Related,
}

impl PartyGroup {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::AllAgencies => "all_agencies",
            Self::ProvincialAgencies => "provincial_agencies",
            Self::Departments => "departments",
            Self::DistrictCommittees => "district_committees",
            Self::CommuneCommittees => "commune_committees",
            Self::DistrictJusticeOffices => "district_justice_offices",
            Self::Inspected => "inspected",
            Self::VerticalAgencies => "vertical_agencies",
            Self::Media => "media",
            Self::Related => "related",
        }
    }

    pub fn label_vi(self) -> &'static str {
        match self {
            Self::AllAgencies => "Các cơ quan, đơn vị, địa phương",
            Self::ProvincialAgencies => "Các sở, ban, ngành",
            Self::Departments => "Các sở",
            Self::DistrictCommittees => "UBND cấp huyện",
            Self::CommuneCommittees => "UBND cấp xã",
            Self::DistrictJusticeOffices => "Phòng Tư pháp cấp huyện",
            Self::Inspected => "Các cơ quan được kiểm tra (Phụ lục)",
            Self::VerticalAgencies => "Cơ quan ngành dọc",
            Self::Media => "Cơ quan báo chí, truyền thông",
            Self::Related => "Cơ quan có liên quan",
        }
    }

    /// Whether an agency of the map (at `level`, the level of its unit) belongs to the group.
    /// `Inspected` is answered by the plan's appendix, not here.
    pub fn includes(self, agency: &Agency, level: UnitLevel) -> bool {
        let district = level == UnitLevel::District;
        match self {
            Self::AllAgencies => matches!(agency.kind, AgencyKind::Department | AgencyKind::LocalCommittee),
            Self::ProvincialAgencies | Self::Departments => agency.kind == AgencyKind::Department,
            Self::DistrictCommittees => agency.kind == AgencyKind::LocalCommittee && district,
            Self::CommuneCommittees => {
                agency.kind == AgencyKind::LocalCommittee && !district && level != UnitLevel::Province
            }
            Self::DistrictJusticeOffices => {
                agency.kind == AgencyKind::Office && district && fold(&agency.name).starts_with("phong tu phap")
            }
            Self::Inspected | Self::VerticalAgencies | Self::Media | Self::Related => false,
        }
    }
}

/// One name in a cell: an agency of the map, a group, or (neither) an unmatched name.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Party {
    /// As the plan wrote it.
    pub text: String,
    pub agency: Option<AgencyCode>,
    /// The agency's name in the map.
    pub name: Option<String>,
    pub group: Option<PartyGroup>,
}

impl Party {
    pub fn is_matched(&self) -> bool {
        self.agency.is_some() || self.group.is_some()
    }

    /// The name to show: the map's name, the group's, or the text.
    pub fn label(&self) -> &str {
        match (&self.name, self.group) {
            (Some(n), _) => n,
            (None, Some(g)) => g.label_vi(),
            _ => &self.text,
        }
    }
}

/// One char of the text, lower-case without marks; one char in, one char out, so positions in
/// the folded text are positions in the original.
pub(crate) fn fold_char(c: char) -> char {
    let base = c.nfd().next().unwrap_or(c);
    let base = match base {
        'đ' | 'Đ' => 'd',
        '–' | '—' => '-',
        b => b,
    };
    base.to_lowercase().next().unwrap_or(base)
}

pub(crate) fn fold(s: &str) -> String {
    s.nfc().map(fold_char).collect()
}

/// Abbreviations the plan uses, spelt out for looking names up.
fn expand(folded: &str) -> String {
    let words: Vec<&str> = folded.split_whitespace().collect();
    let mut out = Vec::with_capacity(words.len());
    for w in words {
        match w {
            "ubnd" => out.push("uy ban nhan dan"),
            "tp" | "tp." => out.push("thanh pho"),
            "tx" | "tx." => out.push("thi xa"),
            w => out.push(w),
        }
    }
    out.join(" ")
}

/// An agency's name without its province ("Sở Tư pháp tỉnh Hải Dương" → "so tu phap"): the
/// same key for the same office before and after a merger of provinces.
pub fn name_key(name: &str, province: &str) -> String {
    let key = expand(&fold(name));
    let suffix = format!(" {}", expand(&fold(province)));
    key.strip_suffix(suffix.as_str()).unwrap_or(&key).to_owned()
}

/// Collective names, longest first at match time.
const GROUPS: &[(&str, PartyGroup)] = &[
    ("cac co quan, don vi, dia phuong du kien duoc kiem tra theo phu luc dinh kem", PartyGroup::Inspected),
    ("cac co quan to chuc theo nganh doc quan ly o dia phuong co lien quan", PartyGroup::VerticalAgencies),
    ("cac co quan nganh doc co lien quan", PartyGroup::VerticalAgencies),
    ("cac co quan, don vi, dia phuong, dia phuong co lien quan", PartyGroup::Related),
    ("cac co quan, don vi, dia phuong co lien quan", PartyGroup::Related),
    ("cac co quan, don vi co lien quan", PartyGroup::Related),
    ("cac co quan co lien quan", PartyGroup::Related),
    ("co quan co phan anh, thong tin tren bao chi", PartyGroup::Related),
    ("dia phuong co lien quan", PartyGroup::Related),
    ("cac co quan, don vi, dia phuong", PartyGroup::AllAgencies),
    ("cac co quan, don vi", PartyGroup::ProvincialAgencies),
    ("cac co quan chuyen mon thuoc uy ban nhan dan tinh", PartyGroup::Departments),
    ("cac so, ban, nganh", PartyGroup::Departments),
    ("cac so, nganh", PartyGroup::Departments),
    ("cac so", PartyGroup::Departments),
    ("uy ban nhan dan cac huyen, thi xa, thanh pho", PartyGroup::DistrictCommittees),
    ("uy ban nhan dan cap huyen", PartyGroup::DistrictCommittees),
    ("uy ban nhan dan cac xa, phuong, thi tran", PartyGroup::CommuneCommittees),
    ("uy ban nhan dan cap xa", PartyGroup::CommuneCommittees),
    ("phong tu phap cap huyen", PartyGroup::DistrictJusticeOffices),
    ("cac co quan thong tin truyen thong", PartyGroup::Media),
    ("co quan bao, dai co lien quan", PartyGroup::Media),
    ("co quan truyen thong", PartyGroup::Media),
];

/// Words that open a full agency name: items of a list of departments that start with one are
/// not prefixed with "Sở".
const FULL_NAME_HEADS: [&str; 8] = ["so ", "cong an", "uy ban", "ubnd", "van phong", "ban ", "trung tam", "bao hiem"];

/// Matches names against the agencies valid on the plan's date.
pub struct Matcher {
    /// expanded folded name without the province suffix → agency
    names: HashMap<String, (AgencyCode, String)>,
    /// " tinh hai duong": the province suffix agency names carry
    province_suffix: String,
    groups: Vec<(Vec<char>, PartyGroup)>,
}

impl Matcher {
    /// `agencies` valid on the plan's date; `province` the province's name ("Tỉnh Hải Dương").
    pub fn new(agencies: &[Agency], province: &str) -> Self {
        let province_suffix = format!(" {}", expand(&fold(province)));
        let mut names = HashMap::new();
        for a in agencies {
            names.entry(name_key(&a.name, province)).or_insert_with(|| (a.code.clone(), a.name.clone()));
        }
        let mut groups: Vec<(Vec<char>, PartyGroup)> = Vec::new();
        for (p, g) in GROUPS {
            groups.push((p.chars().collect(), *g));
            if p.contains("uy ban nhan dan") {
                groups.push((p.replace("uy ban nhan dan", "ubnd").chars().collect(), *g));
            }
        }
        groups.sort_by_key(|(p, _)| std::cmp::Reverse(p.len()));
        Self { names, province_suffix, groups }
    }

    fn agency(&self, text: &str) -> Option<(AgencyCode, String)> {
        let mut key = expand(&fold(text));
        key = key.trim_end_matches(['.', ',', ' ']).to_owned();
        for suffix in [self.province_suffix.as_str(), " tinh"] {
            if let Some(k) = key.strip_suffix(suffix) {
                key = k.to_owned();
                break;
            }
        }
        self.names.get(&key).cloned()
    }

    /// Agency names that open `text` and are followed by " và ": the longest such name.
    fn agency_prefix(&self, text: &str) -> Option<(usize, (AgencyCode, String))> {
        let chars: Vec<char> = text.chars().collect();
        let folded: Vec<char> = chars.iter().map(|c| fold_char(*c)).collect();
        let mut best = None;
        for i in 0..folded.len() {
            if folded[i..].starts_with(&[' ', 'v', 'a', ' ']) {
                let head: String = chars[..i].iter().collect();
                if let Some(a) = self.agency(&head) {
                    best = Some((i + 4, a));
                }
            }
        }
        best.map(|(i, a)| (chars[..i].iter().map(|c| c.len_utf8()).sum(), a))
    }

    fn one(&self, text: &str) -> Party {
        let text = text.trim().trim_end_matches(['.', ',', ';', ' ']).trim().to_owned();
        match self.agency(&text) {
            Some((code, name)) => Party { text, agency: Some(code), name: Some(name), group: None },
            None => Party { text, agency: None, name: None, group: None },
        }
    }

    fn group_at(&self, f: &[char], i: usize) -> Option<(usize, PartyGroup)> {
        self.groups.iter().find_map(|(p, g)| {
            let end = i + p.len();
            let boundary = f.get(end).is_none_or(|c| !c.is_alphanumeric());
            (f[i..].starts_with(p) && boundary).then_some((end, *g))
        })
    }

    /// The parties of one cell of the plan.
    pub fn parties(&self, cell: &str) -> Vec<Party> {
        let cell = without_parentheses(cell);
        let o: Vec<char> = cell.nfc().collect();
        let f: Vec<char> = o.iter().map(|c| fold_char(*c)).collect();
        let mut out = Vec::new();
        for (start, end, list_of_departments) in pieces(&f) {
            let piece: String = o[start..end].iter().collect();
            if list_of_departments {
                out.extend(self.departments_list(&piece));
            } else {
                out.extend(self.piece(&o[start..end], &f[start..end]));
            }
        }
        out.retain(|p| !p.text.is_empty());
        out
    }

    /// "Các Sở, ngành: Tư pháp, Lao động – Thương binh và xã hội, Y tế... và Công an tỉnh".
    fn departments_list(&self, piece: &str) -> Vec<Party> {
        let items = piece.split_once(':').map(|(_, r)| r).unwrap_or(piece);
        let mut out = Vec::new();
        for item in items.split([',', ';']) {
            let item = item.trim().trim_end_matches(['.', ' ']);
            // "Y tế... và Công an tỉnh": the last comma item may join two names with "và"
            let parts: Vec<&str> = match item.split_once("... và ").or_else(|| item.split_once("… và ")) {
                Some((a, b)) => vec![a, b],
                None => vec![item],
            };
            for part in parts {
                let part = part.trim().trim_end_matches(['.', '…', ' ']);
                if part.is_empty() {
                    continue;
                }
                let named = self.one(part);
                let folded = fold(part);
                if named.is_matched() || FULL_NAME_HEADS.iter().any(|h| folded.starts_with(h)) {
                    out.push(named);
                    continue;
                }
                let with_head = self.one(&format!("Sở {part}"));
                out.push(if with_head.is_matched() {
                    with_head
                } else {
                    Party { text: format!("Sở {part}"), ..named }
                });
            }
        }
        out
    }

    fn piece(&self, o: &[char], f: &[char]) -> Vec<Party> {
        let text: String = o.iter().collect();
        let whole = self.one(&text);
        if whole.is_matched() {
            return vec![whole];
        }
        // Left to right: a collective name, else a name up to the next comma.
        let mut out = Vec::new();
        let mut i = 0;
        let mut after_committee_level = false;
        while i < f.len() {
            while i < f.len() && matches!(f[i], ' ' | ',' | '.' | '-') {
                i += 1;
            }
            if i >= f.len() {
                break;
            }
            if let Some((end, g)) = self.group_at(f, i) {
                after_committee_level = f[i..end].starts_with(&['u', 'y', ' ']) || f[i..end].starts_with(&['u', 'b']);
                out.push(Party { text: o[i..end].iter().collect(), agency: None, name: None, group: Some(g) });
                i = end;
                continue;
            }
            let end = (i..f.len()).find(|&j| f[j] == ',').unwrap_or(f.len());
            let name: String = o[i..end].iter().collect();
            let folded: String = f[i..end].iter().collect();
            // "UBND cấp huyện, cấp xã": the second level borrows the committee.
            if after_committee_level
                && folded.starts_with("cap ")
                && let Some((_, g)) = self.group_at(&format!("uy ban nhan dan {folded}").chars().collect::<Vec<_>>(), 0)
            {
                {
                    out.push(Party { text: name.trim().to_owned(), agency: None, name: None, group: Some(g) });
                    i = end;
                    continue;
                }
            }
            after_committee_level = false;
            let p = self.one(&name);
            if p.is_matched() {
                out.push(p);
            } else if let Some((cut, (code, full))) = self.agency_prefix(&name) {
                // "Sở Tài nguyên và Môi trường và Văn phòng/Chi nhánh Văn phòng đăng ký đất đai"
                let (head, rest) = name.split_at(cut);
                let head = head.trim_end().strip_suffix(" và").unwrap_or(head).trim();
                out.push(Party { text: head.to_owned(), agency: Some(code), name: Some(full), group: None });
                out.push(self.one(rest));
            } else {
                out.push(p);
            }
            i = end;
        }
        // Nothing recognised: one unmatched name as written, not fragments of it.
        if out.iter().all(|p| !p.is_matched()) {
            return vec![whole];
        }
        out
    }
}

fn without_parentheses(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut depth = 0;
    for c in s.chars() {
        match c {
            '(' => depth += 1,
            ')' if depth > 0 => depth -= 1,
            c if depth == 0 => out.push(c),
            _ => {}
        }
    }
    out
}

/// Pieces of a folded cell: split at `;`, line breaks and list dashes ("- " at the start or after
/// `.`/`;`). A piece opening "các sở[, ngành]:" lists departments up to the next dash; it is
/// returned whole with the flag set.
fn pieces(f: &[char]) -> Vec<(usize, usize, bool)> {
    let mut out = Vec::new();
    let mut start = 0;
    let mut list = false;
    let mut i = 0;
    let push = |out: &mut Vec<(usize, usize, bool)>, a: usize, b: usize, list: bool| {
        let (mut a, mut b) = (a, b);
        while a < b && matches!(f[a], ' ' | '-' | '\n' | ';' | '.') {
            a += 1;
        }
        while b > a && matches!(f[b - 1], ' ' | '\n' | ';' | '.' | ',') {
            b -= 1;
        }
        if a < b {
            out.push((a, b, list));
        }
    };
    while i < f.len() {
        let at_piece_start = f[start..i].iter().all(|c| matches!(c, ' ' | '-' | '\n' | ';' | '.'));
        if at_piece_start && !list {
            let rest: String = f[i..f.len().min(i + 20)].iter().collect();
            if (rest.starts_with("cac so:") || rest.starts_with("cac so, nganh:")) && f[i..].contains(&':') {
                list = true;
            }
        }
        let dash = f[i] == '-'
            && f.get(i + 1) == Some(&' ')
            && f[..i].iter().rev().find(|c| **c != ' ').is_none_or(|c| matches!(c, '.' | ';' | '\n'));
        let split = match f[i] {
            '\n' => true,
            ';' => !list,
            _ => dash,
        };
        if split {
            push(&mut out, start, i, list);
            start = i + 1;
            list = false;
        }
        i += 1;
    }
    push(&mut out, start, f.len(), list);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::admin::Validity;
    use crate::ids::UnitCode;

    fn agency(code: &str, name: &str, kind: AgencyKind) -> Agency {
        Agency {
            code: AgencyCode::parse(code).unwrap_or_else(|e| panic!("{e:?}")),
            name: name.to_owned(),
            kind,
            parent: None,
            unit: UnitCode::parse("30").unwrap_or_else(|e| panic!("{e:?}")),
            validity: Validity { valid_from: chrono::NaiveDate::MIN, valid_to: None },
        }
    }

    fn matcher() -> Matcher {
        use AgencyKind::*;
        let agencies = [
            agency("000.00.01.H23", "Văn phòng Ủy ban nhân dân tỉnh Hải Dương", Department),
            agency("000.00.02.H23", "Trung tâm Phục vụ hành chính công tỉnh Hải Dương", ServiceCentre),
            agency("000.00.03.H23", "Sở Tài nguyên và Môi trường tỉnh Hải Dương", Department),
            agency("000.00.08.H23", "Sở Tư pháp tỉnh Hải Dương", Department),
            agency("000.00.10.H23", "Sở Nội vụ tỉnh Hải Dương", Department),
            agency("000.00.11.H23", "Sở Thông tin và Truyền thông tỉnh Hải Dương", Department),
            agency("000.00.14.H23", "Sở Lao động - Thương binh và Xã hội tỉnh Hải Dương", Department),
            agency("000.00.05.H23", "Ban Quản lý các khu công nghiệp tỉnh Hải Dương", Department),
            agency("000.00.21.H23", "Ủy ban nhân dân thành phố Hải Dương", LocalCommittee),
            agency("000.00.28.H23", "Ủy ban nhân dân huyện Bình Giang", LocalCommittee),
        ];
        Matcher::new(&agencies, "Tỉnh Hải Dương")
    }

    fn show(ps: &[Party]) -> Vec<String> {
        ps.iter()
            .map(|p| match (&p.agency, p.group) {
                (Some(a), _) => format!("{}={a}", p.text),
                (None, Some(g)) => format!("{}={}", p.text, g.as_str()),
                _ => format!("{}=?", p.text),
            })
            .collect()
    }

    #[test]
    fn names_of_the_seed() {
        let m = matcher();
        assert_eq!(show(&m.parties("Văn phòng UBND tỉnh.")), ["Văn phòng UBND tỉnh=000.00.01.H23"]);
        assert_eq!(
            show(&m.parties("Văn phòng UBND tỉnh; UBND cấp huyện, cấp xã.")),
            ["Văn phòng UBND tỉnh=000.00.01.H23", "UBND cấp huyện=district_committees", "cấp xã=commune_committees"]
        );
        assert_eq!(
            show(&m.parties("- Sở Nội vụ; - Các cơ quan, đơn vị có liên quan.")),
            ["Sở Nội vụ=000.00.10.H23", "Các cơ quan, đơn vị có liên quan=related"]
        );
        assert_eq!(
            show(&m.parties(
                "Các cơ quan chuyên môn thuộc UBND tỉnh; Ban Quản lý các khu công nghiệp (cơ quan, đơn vị), UBND các huyện, thị xã, thành phố, UBND các xã, phường, thị trấn (địa phương)."
            )),
            [
                "Các cơ quan chuyên môn thuộc UBND tỉnh=departments",
                "Ban Quản lý các khu công nghiệp=000.00.05.H23",
                "UBND các huyện, thị xã, thành phố=district_committees",
                "UBND các xã, phường, thị trấn=commune_committees"
            ]
        );
        assert_eq!(
            show(&m.parties("Các Sở, ngành: Tư pháp, Lao động – Thương binh và xã hội, Y tế... và Công an tỉnh")),
            [
                "Sở Tư pháp=000.00.08.H23",
                "Sở Lao động – Thương binh và xã hội=000.00.14.H23",
                "Sở Y tế=?",
                "Công an tỉnh=?"
            ]
        );
        assert_eq!(
            show(&m.parties("- Các Sở: Tư pháp; Thông tin và Truyền thông. - Văn phòng UBND tỉnh.")),
            [
                "Sở Tư pháp=000.00.08.H23",
                "Sở Thông tin và Truyền thông=000.00.11.H23",
                "Văn phòng UBND tỉnh=000.00.01.H23"
            ]
        );
        assert_eq!(
            show(&m.parties("Sở Tài nguyên và Môi trường và Văn phòng/Chi nhánh Văn phòng đăng ký đất đai")),
            ["Sở Tài nguyên và Môi trường=000.00.03.H23", "Văn phòng/Chi nhánh Văn phòng đăng ký đất đai=?"]
        );
        assert_eq!(show(&m.parties("UBND TP Hải Dương")), ["UBND TP Hải Dương=000.00.21.H23"]);
        assert_eq!(show(&m.parties("Cổng thông tin điện tử tỉnh")), ["Cổng thông tin điện tử tỉnh=?"]);
        assert_eq!(
            show(&m.parties("- Các cơ quan, đơn vị, địa phương. - Các cơ quan ngành dọc có liên quan.")),
            ["Các cơ quan, đơn vị, địa phương=all_agencies", "Các cơ quan ngành dọc có liên quan=vertical_agencies"]
        );
        assert_eq!(
            show(&m.parties("Lao động – Thương binh và xã hội")),
            ["Lao động – Thương binh và xã hội=?"],
            "a bare name outside a list of departments is not guessed"
        );
    }
}
