//! A procedure's declaration form (tờ khai) as data (issue 17, item 1): fields with a key, a
//! Vietnamese label, a type and its bounds. The catalog keeps the definition with the procedure
//! version; an applicant's answers are checked against it on the server, field by field, each
//! refusal naming its field (`answers.<key>`).

use std::collections::{BTreeMap, BTreeSet};

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::FieldError;

/// What a field holds.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum FieldKind {
    /// One line of text, at most `max` characters.
    Text {
        max: usize,
    },
    /// Several lines, at most `max` characters.
    Paragraph {
        max: usize,
    },
    /// A whole number within the bounds.
    Number {
        min: Option<i64>,
        max: Option<i64>,
    },
    /// A date (`YYYY-MM-DD`), not after the day of filing when `past_only`.
    Date {
        #[serde(default)]
        past_only: bool,
    },
    /// A 12-digit personal identification number.
    CitizenId,
    /// A Vietnamese mobile number.
    Phone,
    Email,
    /// One of the options (their values).
    Choice {
        options: Vec<String>,
    },
    /// Yes or no.
    YesNo,
}

/// One field of the form.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FormField {
    /// Stable key (`[a-z0-9_]`), the name the answers use.
    pub key: String,
    pub label: String,
    #[serde(flatten)]
    pub kind: FieldKind,
    #[serde(default)]
    pub required: bool,
    /// A hint shown under the field.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub help: Option<String>,
}

/// A declaration form: a title and its fields, in order.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EForm {
    pub title: String,
    pub fields: Vec<FormField>,
    /// Positions (from 0) of the version's components the declaration filed online stands for
    /// (the paper tờ khai): an online filer does not upload them.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub replaces: Vec<usize>,
}

/// An answer as checked: text, a number, a date or yes/no.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Answer {
    Yes(bool),
    Number(i64),
    Text(String),
}

/// The checked answers, by key (fields left empty are absent).
pub type Answers = BTreeMap<String, Answer>;

/// Answers as typed, by key: what a form sends and a draft keeps.
pub type RawAnswers = BTreeMap<String, String>;

/// The most a draft keeps: this many answers, this many characters in all.
pub const DRAFT_MAX_FIELDS: usize = 200;
pub const DRAFT_MAX_CHARS: usize = 100_000;

/// A citizen's declaration kept unfinished, to resume (one per account and procedure).
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Draft {
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub procedure: crate::ids::ProcedureCode,
    pub answers: RawAnswers,
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub saved_at: crate::calendar::deadline::Instant,
}

/// One line of a filed declaration as shown and printed: the field's label and the answer in
/// words (dates as dd/mm/yyyy, yes/no as Có/Không), in the form's order.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AnswerLine {
    pub key: String,
    pub label: String,
    pub value: String,
}

/// A control character other than a line break or a tab (U+0000 cannot even be stored).
fn has_control(v: &str) -> bool {
    v.chars().any(|c| c.is_control() && !matches!(c, '\n' | '\r' | '\t'))
}

fn bad(code: &'static str, field: &str, message: String) -> FieldError {
    FieldError::new(code, field, message)
}

impl EForm {
    /// Whether the definition can be used: a title, at least one field, keys of `[a-z0-9_]` each
    /// once, labels, positive text bounds, ordered number bounds, options present and distinct.
    pub fn validate(&self) -> Result<(), FieldError> {
        if self.title.trim().is_empty() {
            return Err(bad("invalid_eform", "eform.title", "Tờ khai cần có tên".into()));
        }
        if self.fields.is_empty() {
            return Err(bad("invalid_eform", "eform.fields", "Tờ khai cần ít nhất một trường".into()));
        }
        let mut keys = BTreeSet::new();
        for (i, f) in self.fields.iter().enumerate() {
            let at = format!("eform.fields[{i}]");
            let key_ok = !f.key.is_empty()
                && f.key.len() <= 40
                && f.key.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
            if !key_ok {
                return Err(bad(
                    "invalid_eform",
                    &format!("{at}.key"),
                    format!("Mã trường «{}» chỉ gồm a-z, 0-9, _", f.key),
                ));
            }
            if !keys.insert(f.key.as_str()) {
                return Err(bad("invalid_eform", &format!("{at}.key"), format!("Mã trường «{}» bị trùng", f.key)));
            }
            if f.label.trim().is_empty() {
                return Err(bad("invalid_eform", &format!("{at}.label"), "Trường cần có nhãn".into()));
            }
            let kind_ok = match &f.kind {
                FieldKind::Text { max } | FieldKind::Paragraph { max } => *max > 0 && *max <= 10_000,
                FieldKind::Number { min: Some(a), max: Some(b) } => a <= b,
                FieldKind::Choice { options } => {
                    !options.is_empty()
                        && options.iter().all(|o| !o.trim().is_empty())
                        && options.iter().collect::<BTreeSet<_>>().len() == options.len()
                }
                _ => true,
            };
            if !kind_ok {
                return Err(bad(
                    "invalid_eform",
                    &format!("{at}.type"),
                    format!("Giới hạn của trường «{}» không hợp lệ", f.label),
                ));
            }
        }
        Ok(())
    }

    /// What a draft may keep of `raw`: only the form's keys, within the draft's bounds (a draft is
    /// not checked otherwise: it is unfinished by nature).
    pub fn draft_of(&self, raw: &RawAnswers) -> Result<RawAnswers, FieldError> {
        let kept: RawAnswers = raw
            .iter()
            .filter(|(k, _)| self.fields.iter().any(|f| &f.key == *k))
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect();
        if let Some((k, _)) = kept.iter().find(|(_, v)| has_control(v)) {
            return Err(bad("invalid_text", &format!("answers.{k}"), "Không được chứa ký tự điều khiển".into()));
        }
        let chars: usize = kept.values().map(|v| v.chars().count()).sum();
        if kept.len() > DRAFT_MAX_FIELDS || chars > DRAFT_MAX_CHARS {
            return Err(bad("draft_too_large", "answers", format!("Bản nháp tối đa {DRAFT_MAX_CHARS} ký tự")));
        }
        Ok(kept)
    }

    /// The filed answers as lines to show and print, in the form's order; a field not answered
    /// shows empty.
    pub fn lines(&self, answers: &Answers) -> Vec<AnswerLine> {
        self.fields
            .iter()
            .map(|f| AnswerLine {
                key: f.key.clone(),
                label: f.label.clone(),
                value: match (answers.get(&f.key), &f.kind) {
                    (None, _) => String::new(),
                    (Some(Answer::Yes(true)), _) => "Có".into(),
                    (Some(Answer::Yes(false)), _) => "Không".into(),
                    (Some(Answer::Number(n)), _) => n.to_string(),
                    (Some(Answer::Text(t)), FieldKind::Date { .. }) => NaiveDate::parse_from_str(t, "%Y-%m-%d")
                        .map(|d| d.format("%d/%m/%Y").to_string())
                        .unwrap_or_else(|_| t.clone()),
                    (Some(Answer::Text(t)), _) => t.clone(),
                },
            })
            .collect()
    }

    /// Check `raw` answers (text as typed, by key) filed on `today`: every required field given,
    /// each value of its type and within its bounds, no key the form does not have. All the
    /// refusals at once, each naming its field.
    pub fn check(&self, raw: &RawAnswers, today: NaiveDate) -> Result<Answers, Vec<FieldError>> {
        let mut errors = Vec::new();
        let mut out = Answers::new();
        for key in raw.keys().filter(|k| !self.fields.iter().any(|f| &f.key == *k)) {
            errors.push(bad("unknown_field", &format!("answers.{key}"), format!("Tờ khai không có trường «{key}»")));
        }
        for f in &self.fields {
            let name = format!("answers.{}", f.key);
            let value = raw.get(&f.key).map(|v| v.trim()).filter(|v| !v.is_empty());
            let Some(v) = value else {
                if f.required && f.kind != FieldKind::YesNo {
                    errors.push(bad("required", &name, format!("Cần điền «{}»", f.label)));
                }
                if f.kind == FieldKind::YesNo {
                    out.insert(f.key.clone(), Answer::Yes(false));
                }
                continue;
            };
            match f.answer(v, today) {
                Ok(a) => {
                    out.insert(f.key.clone(), a);
                }
                Err(message) => errors.push(bad("invalid_answer", &name, format!("«{}»: {message}", f.label))),
            }
        }
        if errors.is_empty() { Ok(out) } else { Err(errors) }
    }
}

impl FormField {
    fn answer(&self, v: &str, today: NaiveDate) -> Result<Answer, String> {
        let chars = v.chars().count();
        match &self.kind {
            FieldKind::Text { max } | FieldKind::Paragraph { max } => {
                if chars > *max {
                    return Err(format!("tối đa {max} ký tự"));
                }
                if matches!(self.kind, FieldKind::Text { .. }) && v.contains(['\n', '\r']) {
                    return Err("chỉ một dòng".into());
                }
                if has_control(v) {
                    return Err("không được chứa ký tự điều khiển".into());
                }
                Ok(Answer::Text(v.to_owned()))
            }
            FieldKind::Number { min, max } => {
                let n: i64 = v.replace('.', "").parse().map_err(|_| "phải là số nguyên".to_owned())?;
                if min.is_some_and(|m| n < m) || max.is_some_and(|m| n > m) {
                    let (a, b) = (
                        min.map(|m| m.to_string()).unwrap_or_default(),
                        max.map(|m| m.to_string()).unwrap_or_default(),
                    );
                    return Err(format!("trong khoảng {a}–{b}"));
                }
                Ok(Answer::Number(n))
            }
            FieldKind::Date { past_only } => {
                let d = NaiveDate::parse_from_str(v, "%Y-%m-%d").map_err(|_| "ngày theo dạng YYYY-MM-DD".to_owned())?;
                if *past_only && d > today {
                    return Err("không được sau ngày nộp".into());
                }
                Ok(Answer::Text(d.to_string()))
            }
            FieldKind::CitizenId => {
                use chrono::Datelike;
                crate::person::CitizenId::parse(v, today.year())
                    .map(|c| Answer::Text(c.as_str().to_owned()))
                    .map_err(|e| e.message)
            }
            FieldKind::Phone => {
                crate::person::Phone::parse(v).map(|p| Answer::Text(p.as_str().to_owned())).map_err(|e| e.message)
            }
            FieldKind::Email => match v.split_once('@') {
                Some((a, b)) if !a.is_empty() && b.contains('.') && chars <= 200 => Ok(Answer::Text(v.to_owned())),
                _ => Err("địa chỉ thư điện tử không hợp lệ".into()),
            },
            FieldKind::Choice { options } => match options.iter().find(|o| o.as_str() == v) {
                Some(o) => Ok(Answer::Text(o.clone())),
                None => Err(format!("chọn một trong: {}", options.join(", "))),
            },
            FieldKind::YesNo => match v {
                "1" | "true" | "on" | "co" | "có" => Ok(Answer::Yes(true)),
                "0" | "false" | "off" | "khong" | "không" => Ok(Answer::Yes(false)),
                _ => Err("có hoặc không".into()),
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form() -> EForm {
        serde_json::from_value(serde_json::json!({
            "title": "Tờ khai đăng ký khai sinh",
            "fields": [
                {"key": "ho_ten_tre", "label": "Họ, chữ đệm, tên của trẻ", "type": "text", "max": 100, "required": true},
                {"key": "ngay_sinh", "label": "Ngày sinh", "type": "date", "past_only": true, "required": true},
                {"key": "gioi_tinh", "label": "Giới tính", "type": "choice", "options": ["Nam", "Nữ"], "required": true},
                {"key": "so_con", "label": "Con thứ", "type": "number", "min": 1, "max": 20},
                {"key": "so_dinh_danh_me", "label": "Số định danh của mẹ", "type": "citizen_id"},
                {"key": "dang_ky_lai", "label": "Đăng ký lại", "type": "yes_no"}
            ]
        }))
        .unwrap_or_else(|e| panic!("{e}"))
    }

    fn day(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap_or_else(|e| panic!("{e}"))
    }

    fn raw(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
        pairs.iter().map(|(k, v)| ((*k).to_owned(), (*v).to_owned())).collect()
    }

    #[test]
    fn answers_are_checked_field_by_field_and_all_refusals_come_at_once() {
        let f = form();
        assert!(f.validate().is_ok());
        let ok = f
            .check(
                &raw(&[("ho_ten_tre", " Vũ An "), ("ngay_sinh", "2026-11-20"), ("gioi_tinh", "Nữ"), ("so_con", "2")]),
                day("2026-11-27"),
            )
            .unwrap_or_else(|e| panic!("{e:?}"));
        assert_eq!(ok["ho_ten_tre"], Answer::Text("Vũ An".into()));
        assert_eq!((ok["so_con"].clone(), ok["dang_ky_lai"].clone()), (Answer::Number(2), Answer::Yes(false)));
        let errors = f
            .check(
                &raw(&[
                    ("ngay_sinh", "2026-12-01"),
                    ("gioi_tinh", "Khác"),
                    ("so_con", "0"),
                    ("so_dinh_danh_me", "123"),
                    ("la", "x"),
                ]),
                day("2026-11-27"),
            )
            .unwrap_err();
        let fields: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(
            fields,
            vec![
                "answers.la",
                "answers.ho_ten_tre",
                "answers.ngay_sinh",
                "answers.gioi_tinh",
                "answers.so_con",
                "answers.so_dinh_danh_me"
            ]
        );
        assert_eq!(errors[1].code, "required");
        assert!(errors[2].message.contains("không được sau ngày nộp"), "{}", errors[2].message);
    }

    #[test]
    fn a_definition_that_cannot_be_used_is_refused() {
        let mut f = form();
        f.fields[1].key = "ho_ten_tre".into();
        assert!(f.validate().unwrap_err().message.contains("trùng"));
        let mut f = form();
        f.fields[2].kind = FieldKind::Choice { options: vec![] };
        assert_eq!(f.validate().unwrap_err().field, "eform.fields[2].type");
        let mut f = form();
        f.fields[0].key = "Họ tên".into();
        assert!(f.validate().is_err());
        assert!(EForm { title: "x".into(), fields: vec![], replaces: vec![] }.validate().is_err());
    }

    #[test]
    fn control_characters_are_refused_in_answers_and_drafts() {
        let f = form();
        let raw: RawAnswers = [("ho_ten_tre".to_owned(), "Vũ\u{0}An".to_owned())].into();
        let e = f.check(&raw, NaiveDate::from_ymd_opt(2026, 11, 27).unwrap_or_default()).unwrap_err();
        assert!(e.iter().any(|x| x.field == "answers.ho_ten_tre" && x.code == "invalid_answer"), "{e:?}");
        let e = f.draft_of(&raw).unwrap_err();
        assert_eq!((e.code, e.field.as_str()), ("invalid_text", "answers.ho_ten_tre"));
    }
}
