//! Reading the plan document as published: a Markdown-ish text whose tables are tab-separated
//! rows with HTML fragments in cells, the header row repeated at each page break, and rows cut
//! in two by a page break (the second half has an empty number cell and comes right after the
//! repeated header). `read` gives a [`Draft`] with the cells as text; [`Draft::resolve`] matches
//! the agencies and reads deadlines and targets.

use chrono::NaiveDate;

use super::{Finding, ImportReport};
use crate::error::FieldError;
use crate::ids::AgencyCode;
use crate::plan::parties::{Matcher, fold};
use crate::plan::{Inspection, Plan, Section, Task, deadline, targets};

/// A plan as read from the document, before agencies are matched.
#[derive(Debug, Clone, PartialEq)]
pub struct Draft {
    pub year: i32,
    pub title: String,
    pub decision: String,
    pub issued: String,
    /// "tỉnh Hải Dương", from "trên địa bàn tỉnh Hải Dương" in the title.
    pub province: String,
    pub sections: Vec<DraftSection>,
    pub inspection_title: String,
    pub inspections: Vec<DraftInspection>,
    pub notes: Vec<Finding>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct DraftSection {
    pub number: String,
    pub title: String,
    pub rows: Vec<DraftRow>,
}

/// Cells of a task row: content, lead, cooperating, deadline, product.
#[derive(Debug, Clone, PartialEq)]
pub struct DraftRow {
    pub number: String,
    pub parent: Option<String>,
    pub cells: [String; 5],
}

#[derive(Debug, Clone, PartialEq)]
pub struct DraftInspection {
    pub group: String,
    pub group_title: String,
    pub number: String,
    pub text: String,
    pub note: String,
}

fn shape(message: impl Into<String>) -> FieldError {
    FieldError::new("plan_shape", "file", message)
}

/// Text of an HTML fragment: list items and paragraphs on their own lines, tags dropped,
/// entities decoded, spaces collapsed.
pub fn clean(cell: &str) -> String {
    let mut text = String::with_capacity(cell.len());
    let mut rest = cell;
    while let Some(open) = rest.find('<') {
        text.push_str(&rest[..open]);
        let Some(close) = rest[open..].find('>') else {
            text.push_str(&rest[open..]);
            rest = "";
            break;
        };
        let tag = rest[open + 1..open + close].trim_start_matches('/').to_ascii_lowercase();
        let name = tag.split(|c: char| !c.is_ascii_alphanumeric()).next().unwrap_or("");
        if matches!(name, "li" | "p" | "br" | "ul" | "ol" | "div" | "tr") {
            text.push('\n');
        }
        rest = &rest[open + close + 1..];
    }
    text.push_str(rest);
    let text = text
        .replace("&nbsp;", " ")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&amp;", "&");
    text.lines()
        .map(|l| l.split_whitespace().collect::<Vec<_>>().join(" "))
        .filter(|l| !l.is_empty())
        .collect::<Vec<_>>()
        .join("\n")
}

/// `a` continued by `b` across a page break: a new list item on a new line, else one space.
fn join(a: &str, b: &str) -> String {
    match (a.is_empty(), b.is_empty()) {
        (_, true) => a.to_owned(),
        (true, false) => b.to_owned(),
        _ if b.starts_with("- ") || a.ends_with([';', ':']) => format!("{a}\n{b}"),
        _ => format!("{a} {b}"),
    }
}

fn is_roman(s: &str) -> bool {
    let s = s.trim_end_matches('.');
    !s.is_empty() && s.chars().all(|c| matches!(c, 'I' | 'V' | 'X' | 'L'))
}

fn number_of(s: &str) -> Option<String> {
    let n = s.trim_end_matches('.');
    (!n.is_empty() && n.chars().all(|c| c.is_ascii_digit())).then(|| n.to_owned())
}

fn unbold(line: &str) -> String {
    line.replace("**", "").trim().to_owned()
}

enum Part {
    Preamble,
    Tasks,
    Appendix,
}

/// Read the plan document. Errors only when the text is not a plan of this shape.
pub fn read(text: &str) -> Result<Draft, FieldError> {
    let lines: Vec<&str> = text.lines().map(|l| l.trim_end_matches('\r')).collect();
    let decision =
        lines.iter().find(|l| l.trim_start().starts_with("Số:")).map(|l| l.trim().to_owned()).unwrap_or_default();
    let issued = lines
        .iter()
        .find(|l| fold(l).contains(", ngay ") && fold(l).contains(" nam "))
        .map(|l| l.trim().to_owned())
        .unwrap_or_default();
    // "**KẾ HOẠCH**" then the bold title lines
    let head = lines
        .iter()
        .position(|l| fold(&unbold(l)) == "ke hoach")
        .ok_or_else(|| shape("Tệp không phải một kế hoạch: không có tiêu đề «KẾ HOẠCH»"))?;
    // bold lines; one bold span may run over several lines ("**... một cửa,  \n một cửa ...**")
    let mut title_parts = Vec::new();
    let mut open = false;
    for l in &lines[head + 1..] {
        let l = l.trim();
        if l.is_empty() && title_parts.is_empty() {
            continue;
        }
        if !open && !l.starts_with("**") {
            break;
        }
        open = (l.matches("**").count() % 2 == 1) != open;
        title_parts.push(unbold(l));
    }
    let title = title_parts.join(" ").split_whitespace().collect::<Vec<_>>().join(" ");
    let folded_title = fold(&title);
    let year = folded_title
        .match_indices("nam ")
        .filter_map(|(i, _)| folded_title[i + 4..].get(..4)?.parse::<i32>().ok())
        .find(|y| (1990..=2100).contains(y))
        .ok_or_else(|| shape("Không đọc được năm của kế hoạch trong tiêu đề"))?;
    let province = folded_title
        .find("tren dia ban ")
        .map(|i| title.chars().skip(folded_title[..i + "tren dia ban ".len()].chars().count()).collect::<String>())
        .map(|p| p.trim().trim_end_matches('.').to_owned())
        .filter(|p| !p.is_empty())
        .ok_or_else(|| shape("Không đọc được tỉnh của kế hoạch («trên địa bàn ...» trong tiêu đề)"))?;

    let mut draft = Draft {
        year,
        title,
        decision,
        issued,
        province,
        sections: Vec::new(),
        inspection_title: String::new(),
        inspections: Vec::new(),
        notes: Vec::new(),
    };
    let mut part = Part::Preamble;
    let mut after_header = false;
    let mut group = (String::new(), String::new());
    for (i, line) in lines.iter().enumerate() {
        if fold(&unbold(line)) == "phu luc" {
            // the appendix title: the bold lines after "Phụ lục"
            let t: Vec<String> =
                lines[i + 1..].iter().take_while(|l| l.trim().starts_with("**")).map(|l| unbold(l)).collect();
            draft.inspection_title = t.join(" ").split_whitespace().collect::<Vec<_>>().join(" ");
            continue;
        }
        if !line.contains('\t') {
            if matches!(part, Part::Tasks) && !line.trim().is_empty() && !line.trim().starts_with("**") {
                draft.notes.push(Finding {
                    at: "document".into(),
                    text: format!("Bỏ qua dòng ngoài bảng: «{}»", line.trim()),
                });
            }
            continue;
        }
        let cells: Vec<String> = line.split('\t').map(clean).collect();
        let first = fold(&cells[0]);
        if first == "stt" {
            after_header = true;
            let second = fold(cells.get(1).map(String::as_str).unwrap_or(""));
            if second.contains("noi dung") {
                part = Part::Tasks;
            } else if second.contains("co quan") {
                part = Part::Appendix;
            }
            continue;
        }
        let was_after_header = std::mem::replace(&mut after_header, false);
        match part {
            Part::Preamble => {}
            Part::Tasks => task_row(&mut draft, &cells, was_after_header)?,
            Part::Appendix => {
                let cell = |k: usize| cells.get(k).cloned().unwrap_or_default();
                let no = cells[0].trim();
                if is_roman(no) {
                    group = (no.trim_end_matches('.').to_owned(), cell(1));
                } else if let Some(n) = number_of(no) {
                    draft.inspections.push(DraftInspection {
                        group: group.0.clone(),
                        group_title: group.1.clone(),
                        number: n,
                        text: cell(1),
                        note: cell(2),
                    });
                } else if let Some(last) = draft.inspections.last_mut() {
                    last.text = join(&last.text, &cell(1));
                    last.note = join(&last.note, &cell(2));
                }
            }
        }
    }
    if draft.sections.iter().all(|s| s.rows.is_empty()) {
        return Err(shape("Không có bảng nhiệm vụ (STT, Nội dung công việc, Cơ quan chủ trì, ...) trong tệp"));
    }
    Ok(draft)
}

fn task_row(draft: &mut Draft, cells: &[String], after_header: bool) -> Result<(), FieldError> {
    let cell = |k: usize| cells.get(k).cloned().unwrap_or_default();
    let no = cells[0].trim();
    if is_roman(no) {
        draft.sections.push(DraftSection {
            number: no.trim_end_matches('.').to_owned(),
            title: cell(1),
            rows: Vec::new(),
        });
        return Ok(());
    }
    let Some(section) = draft.sections.last_mut() else {
        return Err(shape(format!("Dòng nhiệm vụ «{}» đứng trước mục La Mã đầu tiên", cell(1))));
    };
    let five = [cell(1), cell(2), cell(3), cell(4), cell(5)];
    if let Some(n) = number_of(no) {
        section.rows.push(DraftRow { number: n, parent: None, cells: five });
        return Ok(());
    }
    if five.iter().all(String::is_empty) {
        return Ok(());
    }
    let key = section.number.clone();
    let Some(last) = section.rows.last_mut() else {
        return Err(shape(format!("Dòng không số thứ tự «{}» đứng đầu mục {key}", cell(1))));
    };
    if after_header {
        // the rest of the row cut by the page break
        for (c, more) in last.cells.iter_mut().zip(five) {
            *c = join(c, &more);
        }
        draft.notes.push(Finding {
            at: format!("{key}.{}", last.number),
            text: "Dòng bị ngắt trang, đã nối phần tiếp theo".to_owned(),
        });
        return Ok(());
    }
    // a sub-item of the last numbered task
    let parent = last.parent.clone().unwrap_or_else(|| last.number.clone());
    let k = section.rows.iter().filter(|r| r.parent.as_deref() == Some(parent.as_str())).count() + 1;
    section.rows.push(DraftRow { number: format!("{parent}.{k}"), parent: Some(parent), cells: five });
    Ok(())
}

impl Draft {
    /// The first day of the plan's year: agency names are matched on it.
    pub fn effective(&self) -> NaiveDate {
        NaiveDate::from_ymd_opt(self.year, 1, 1).unwrap_or(NaiveDate::MIN)
    }

    /// Match agencies, read deadlines and targets. `owner` is the provincial committee.
    pub fn resolve(&self, matcher: &Matcher, owner: AgencyCode) -> (Plan, ImportReport) {
        let mut report = ImportReport { notes: self.notes.clone(), ..ImportReport::default() };
        let mut sections = Vec::new();
        for s in &self.sections {
            let mut tasks = Vec::new();
            for r in &s.rows {
                let [title, lead, coop, when, product] = &r.cells;
                let at = format!("{}.{}", s.number, r.number);
                let reading = deadline::read(when, self.year);
                if reading.deadline.kind == crate::plan::DeadlineKind::Text && !when.is_empty() {
                    report.deadlines_not_understood.push(Finding { at: at.clone(), text: when.clone() });
                }
                if let Some(note) = reading.note {
                    report.notes.push(Finding { at: at.clone(), text: note });
                }
                let task = Task {
                    id: None,
                    number: r.number.clone(),
                    parent: r.parent.clone(),
                    title: title.clone(),
                    lead: matcher.parties(lead),
                    cooperating: matcher.parties(coop),
                    product: product.clone(),
                    deadline: reading.deadline,
                    targets: targets::extract(title, product),
                };
                for p in task.lead.iter().chain(&task.cooperating).filter(|p| !p.is_matched()) {
                    report.unmatched_agencies.push(Finding { at: at.clone(), text: p.text.clone() });
                }
                tasks.push(task);
            }
            sections.push(Section { number: s.number.clone(), title: s.title.clone(), tasks });
        }
        let inspections: Vec<Inspection> = self
            .inspections
            .iter()
            .map(|i| {
                let agencies = matcher.parties(&i.text);
                for p in agencies.iter().filter(|p| !p.is_matched()) {
                    report
                        .unmatched_agencies
                        .push(Finding { at: format!("phụ lục {}.{}", i.group, i.number), text: p.text.clone() });
                }
                Inspection {
                    id: None,
                    group: i.group.clone(),
                    group_title: i.group_title.clone(),
                    number: i.number.clone(),
                    text: i.text.clone(),
                    agencies,
                    note: i.note.clone(),
                }
            })
            .collect();
        let plan = Plan {
            owner,
            year: self.year,
            title: self.title.clone(),
            decision: self.decision.clone(),
            issued: self.issued.clone(),
            effective: self.effective(),
            sections,
            inspection_title: self.inspection_title.clone(),
            inspections,
        };
        plan.count_into(&mut report);
        (plan, report)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn html_fragments_become_lines() {
        assert_eq!(
            clean(r#"<p><b>Theo dõi:</b></p> <ul style="x"> <li>- Một;</li> <li>- Hai &amp; ba</li> </ul>"#),
            "Theo dõi:\n- Một;\n- Hai & ba"
        );
    }

    #[test]
    fn other_shapes_are_refused() {
        assert_eq!(read("Một văn bản khác\nkhông có bảng").map(|_| ()).map_err(|e| e.code), Err("plan_shape"));
        let no_table = "**KẾ HOẠCH**\n\n**Kiểm soát năm 2024 trên địa bàn tỉnh A**\n\nkhông có bảng";
        assert_eq!(read(no_table).map(|_| ()).map_err(|e| e.code), Err("plan_shape"));
    }
}
