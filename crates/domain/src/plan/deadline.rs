//! Deadlines of plan tasks as the plan writes them in Vietnamese ("Trong tháng 01 năm 2024",
//! "Quý II năm 2024", "Chậm nhất ngày 15/9/2024", "Thường xuyên trong năm 2024", "Từ tháng 3 đến
//! tháng 12/2024", ...) read into a due date, a period or a recurring duty. The phrase is always
//! kept; a phrase of a shape never seen stays `text` and is reported, never guessed.

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DeadlineKind {
    /// Done by `due` ("Chậm nhất ngày 15/9/2024", "Chậm nhất Quý III/2024").
    Date,
    /// Done within `from`..=`to`; `due` is `to` ("Quý II năm 2024", "Trong tháng 01 năm 2024").
    Period,
    /// A standing duty over `from`..=`to` ("Thường xuyên trong năm 2024"); no single due date.
    Recurring,
    /// Not understood: only the phrase.
    Text,
}

impl DeadlineKind {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Date => "date",
            Self::Period => "period",
            Self::Recurring => "recurring",
            Self::Text => "text",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        [Self::Date, Self::Period, Self::Recurring, Self::Text].into_iter().find(|k| k.as_str() == s)
    }
}

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Deadline {
    pub kind: DeadlineKind,
    pub due: Option<NaiveDate>,
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
    /// The phrase as the plan wrote it.
    pub text: String,
}

impl Deadline {
    pub fn text_only(text: &str) -> Self {
        Self { kind: DeadlineKind::Text, due: None, from: None, to: None, text: text.to_owned() }
    }

    /// The last day the task may be finished on, when there is one.
    pub fn last_day(&self) -> Option<NaiveDate> {
        match self.kind {
            DeadlineKind::Date | DeadlineKind::Period => self.due,
            DeadlineKind::Recurring | DeadlineKind::Text => None,
        }
    }

    /// Vietnamese rendering for pages: the phrase, and what it was read as.
    pub fn reading_vi(&self) -> String {
        let d = |d: Option<NaiveDate>| d.map(|d| d.format("%d/%m/%Y").to_string()).unwrap_or_default();
        match self.kind {
            DeadlineKind::Date => format!("hạn {}", d(self.due)),
            DeadlineKind::Period => format!("từ {} đến {}", d(self.from), d(self.to)),
            DeadlineKind::Recurring => format!("thường xuyên, {} – {}", d(self.from), d(self.to)),
            DeadlineKind::Text => "chưa đọc được".to_owned(),
        }
    }
}

/// What reading a phrase gave: the deadline, and a note when part of it was read with a rule
/// worth showing to the importer (a year taken from the plan, two periods joined).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reading {
    pub deadline: Deadline,
    pub note: Option<String>,
}

/// Lower-case, without marks (đ → d), punctuation kept, spaces collapsed; trailing dots gone.
fn fold(s: &str) -> String {
    let plain = super::parties::fold(s);
    let words: Vec<&str> = plain.split_whitespace().collect();
    words.join(" ").trim_end_matches(['.', ' ', ';']).to_owned()
}

fn roman_or_digit(s: &str) -> Option<u32> {
    match s {
        "i" | "1" => Some(1),
        "ii" | "2" => Some(2),
        "iii" | "3" => Some(3),
        "iv" | "4" => Some(4),
        _ => None,
    }
}

fn month_end(year: i32, month: u32) -> Option<NaiveDate> {
    let (y, m) = if month == 12 { (year + 1, 1) } else { (year, month + 1) };
    NaiveDate::from_ymd_opt(y, m, 1)?.pred_opt()
}

fn year_of(s: &str) -> Option<i32> {
    let y: i32 = s.parse().ok()?;
    (1990..=2100).contains(&y).then_some(y)
}

/// A span of days a phrase names ("tháng 2/2024", "quý II năm 2024", "6 tháng đầu năm 2024",
/// "năm 2024").
fn span(s: &str) -> Option<(NaiveDate, NaiveDate)> {
    let s = s.strip_prefix("trong ").unwrap_or(s);
    // "<unit> N/YYYY" or "<unit> N năm YYYY"
    let number_and_year = |rest: &str| -> Option<(String, i32)> {
        let (n, y) = match rest.split_once('/') {
            Some((n, y)) => (n.trim(), y.trim()),
            None => rest.split_once(" nam ").map(|(n, y)| (n.trim(), y.trim()))?,
        };
        Some((n.to_owned(), year_of(y)?))
    };
    if let Some(rest) = s.strip_prefix("thang ") {
        let (m, y) = number_and_year(rest)?;
        let m: u32 = m.parse().ok().filter(|m| (1..=12).contains(m))?;
        return Some((NaiveDate::from_ymd_opt(y, m, 1)?, month_end(y, m)?));
    }
    if let Some(rest) = s.strip_prefix("quy ") {
        let (q, y) = number_and_year(rest)?;
        let q = roman_or_digit(&q)?;
        return Some((NaiveDate::from_ymd_opt(y, q * 3 - 2, 1)?, month_end(y, q * 3)?));
    }
    for (prefix, first, last) in [("6 thang dau nam ", 1, 6), ("6 thang cuoi nam ", 7, 12)] {
        if let Some(y) = s.strip_prefix(prefix).and_then(year_of) {
            return Some((NaiveDate::from_ymd_opt(y, first, 1)?, month_end(y, last)?));
        }
    }
    let y = s.strip_prefix("nam ").and_then(year_of)?;
    Some((NaiveDate::from_ymd_opt(y, 1, 1)?, NaiveDate::from_ymd_opt(y, 12, 31)?))
}

fn date_dmy(s: &str) -> Option<NaiveDate> {
    let mut p = s.split('/').map(str::trim);
    let (d, m, y) = (p.next()?.parse().ok()?, p.next()?.parse().ok()?, year_of(p.next()?)?);
    if p.next().is_some() {
        return None;
    }
    NaiveDate::from_ymd_opt(y, m, d)
}

/// Words that open a standing duty.
const RECURRING: [&str; 7] =
    ["thuong xuyen", "dinh ky", "hang thang", "hang quy", "hang nam", "theo yeu cau", "khi co yeu cau"];

/// Read a plan's deadline phrase. `plan_year` is the year of the plan: a standing duty without a
/// year ("Thường xuyên và theo lộ trình của Bộ quản lý chuyên ngành") runs over it, with a note.
pub fn read(phrase: &str, plan_year: i32) -> Reading {
    let text = phrase.split_whitespace().collect::<Vec<_>>().join(" ");
    let s = fold(&text);
    let make = |kind, due, from, to| Deadline { kind, due, from, to, text: text.clone() };
    let found = |d: Deadline| Reading { deadline: d, note: None };

    // "chậm nhất [là] [ngày] D/M/Y", "chậm nhất [trong] tháng M/Y", "chậm nhất quý III/2024"
    for head in ["cham nhat ", "truoc ngay ", "han chot "] {
        if let Some(rest) = s.strip_prefix(head) {
            let rest = rest.strip_prefix("la ").unwrap_or(rest);
            let rest = rest.strip_prefix("vao ").unwrap_or(rest);
            let day = rest.strip_prefix("ngay ").unwrap_or(rest);
            if let Some(d) = date_dmy(day) {
                let d = if head == "truoc ngay " { d.pred_opt().unwrap_or(d) } else { d };
                return found(make(DeadlineKind::Date, Some(d), None, None));
            }
            if let Some((_, to)) = span(rest) {
                return found(make(DeadlineKind::Date, Some(to), None, None));
            }
        }
    }
    if let Some(d) = s.strip_prefix("ngay ").and_then(date_dmy) {
        return found(make(DeadlineKind::Date, Some(d), None, None));
    }
    // "từ tháng 3 đến tháng 12/2024", "từ tháng 3/2024 đến tháng 6/2024"
    if let Some((a, b)) = s.strip_prefix("tu ").and_then(|r| r.split_once(" den "))
        && let Some((_, to)) = span(b)
    {
        {
            let from = span(a).map(|(f, _)| f).or_else(|| {
                // the year of the end applies to a start without one
                let m: u32 = a.strip_prefix("thang ")?.trim().parse().ok()?;
                NaiveDate::from_ymd_opt(to.year(), m, 1)
            });
            if let Some(from) = from.filter(|f| *f <= to) {
                return found(make(DeadlineKind::Period, Some(to), Some(from), Some(to)));
            }
        }
    }
    if let Some((from, to)) = span(&s) {
        return found(make(DeadlineKind::Period, Some(to), Some(from), Some(to)));
    }
    if RECURRING.iter().any(|w| s.starts_with(w)) {
        // the year the duty runs over: "... [trong] năm 2024" at the end
        let year = s.rsplit_once("nam ").and_then(|(_, y)| year_of(y.trim()));
        let (y, note) = match year {
            Some(y) => (y, None),
            None => (plan_year, Some(format!("«{text}»: nhiệm vụ thường xuyên, lấy năm {plan_year} của kế hoạch"))),
        };
        let (from, to) = (NaiveDate::from_ymd_opt(y, 1, 1), NaiveDate::from_ymd_opt(y, 12, 31));
        return Reading { deadline: make(DeadlineKind::Recurring, None, from, to), note };
    }
    // "Quý I/2024 và 6 tháng đầu năm 2024": two spans joined into the one that covers both.
    if let Some((a, b)) = s.split_once(" va ")
        && let (Some((f1, t1)), Some((f2, t2))) = (span(a), span(b))
    {
        {
            let (from, to) = (f1.min(f2), t1.max(t2));
            let note = format!(
                "«{text}»: hai mốc, ghi nhận khoảng chung {} – {}",
                from.format("%d/%m/%Y"),
                to.format("%d/%m/%Y")
            );
            return Reading { deadline: make(DeadlineKind::Period, Some(to), Some(from), Some(to)), note: Some(note) };
        }
    }
    Reading { deadline: Deadline::text_only(&text), note: None }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> Option<NaiveDate> {
        NaiveDate::from_ymd_opt(y, m, day)
    }

    fn check(phrase: &str, kind: DeadlineKind, due: Option<NaiveDate>, from: Option<NaiveDate>, to: Option<NaiveDate>) {
        let r = read(phrase, 2024);
        assert_eq!(
            (r.deadline.kind, r.deadline.due, r.deadline.from, r.deadline.to),
            (kind, due, from, to),
            "{phrase}"
        );
        assert_eq!(r.deadline.text, phrase.trim());
    }

    #[test]
    fn phrases_of_the_seed_plan() {
        use DeadlineKind::*;
        check("Trong tháng 01 năm 2024", Period, d(2024, 1, 31), d(2024, 1, 1), d(2024, 1, 31));
        check("Quý II năm 2024", Period, d(2024, 6, 30), d(2024, 4, 1), d(2024, 6, 30));
        check("Quý I năm 2024.", Period, d(2024, 3, 31), d(2024, 1, 1), d(2024, 3, 31));
        check("Chậm nhất ngày 15/9/2024", Date, d(2024, 9, 15), None, None);
        check("Chậm nhất ngày 15/02/2024.", Date, d(2024, 2, 15), None, None);
        check("Chậm nhất Quý III/2024", Date, d(2024, 9, 30), None, None);
        check("Chậm nhất trong tháng 2/2024.", Date, d(2024, 2, 29), None, None);
        check("Thường xuyên trong năm 2024", Recurring, None, d(2024, 1, 1), d(2024, 12, 31));
        check("Thường xuyên năm 2024", Recurring, None, d(2024, 1, 1), d(2024, 12, 31));
        check("Theo yêu cầu hoặc thường xuyên trong năm 2024", Recurring, None, d(2024, 1, 1), d(2024, 12, 31));
        check("Định kỳ hoặc đột xuất trong năm 2024.", Recurring, None, d(2024, 1, 1), d(2024, 12, 31));
        check("Từ tháng 3 đến tháng 12/2024.", Period, d(2024, 12, 31), d(2024, 3, 1), d(2024, 12, 31));
        check("Trong năm 2024", Period, d(2024, 12, 31), d(2024, 1, 1), d(2024, 12, 31));
        check("Quý I/2024 và 6 tháng đầu năm 2024.", Period, d(2024, 6, 30), d(2024, 1, 1), d(2024, 6, 30));
        check(
            "Thường xuyên và theo lộ trình của Bộ quản lý chuyên ngành.",
            Recurring,
            None,
            d(2024, 1, 1),
            d(2024, 12, 31),
        );
    }

    #[test]
    fn notes_say_what_was_taken_from_elsewhere() {
        assert!(read("Thường xuyên và theo lộ trình của Bộ quản lý chuyên ngành.", 2024).note.is_some());
        assert!(read("Quý I/2024 và 6 tháng đầu năm 2024.", 2024).note.is_some());
        assert!(read("Quý II năm 2024", 2024).note.is_none());
    }

    #[test]
    fn unknown_or_impossible_phrases_stay_text() {
        for p in ["Khi có điều kiện", "Chậm nhất ngày 31/2/2024", "Quý V năm 2024", "Từ tháng 9 đến tháng 3/2024", ""]
        {
            let r = read(p, 2024);
            assert_eq!(r.deadline.kind, DeadlineKind::Text, "{p}");
            assert_eq!(r.deadline.text, p);
        }
    }

    #[test]
    fn other_spellings() {
        use DeadlineKind::*;
        check("Trước ngày 01/7/2024", Date, d(2024, 6, 30), None, None);
        check("Tháng 12/2024", Period, d(2024, 12, 31), d(2024, 12, 1), d(2024, 12, 31));
        check("6 tháng cuối năm 2024", Period, d(2024, 12, 31), d(2024, 7, 1), d(2024, 12, 31));
        check("Từ tháng 3/2024 đến tháng 6/2024", Period, d(2024, 6, 30), d(2024, 3, 1), d(2024, 6, 30));
        check("Hằng tháng năm 2025", Recurring, None, d(2025, 1, 1), d(2025, 12, 31));
    }
}
