//! Converter from the published national records (`demo/procedures-national.json`, the shape of
//! the National TTHC Database pages) into the project's import format.
//!
//! Nothing is guessed: a time limit published without a unit stays `unspecified` with its text
//! and is flagged for an admin; a result's paper/electronic nature, not published, stays unknown.
//! What the province adds (who implements, the internal workflow) comes from an explicit
//! assignment file, not from code.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use motcua_domain::FieldError;
use motcua_domain::admin::{Agency, AgencyKind};
use motcua_domain::ids::{AgencyCode, ProcedureCode};
use motcua_domain::procedure::{
    Channel, Component, ComponentKind, Fee, Level, OnlineLevel, Procedure, ProcedureVersion, Provenance, Publication,
    ResultDoc, StepRole, TimeLimit, TimeUnit, VersionContent, VersionStatus, Workflow, WorkflowStep,
};
use serde::Deserialize;

/// One record of the national file (see its README).
#[derive(Debug, Clone, Deserialize)]
pub struct NationalRecord {
    pub code: String,
    pub name: String,
    pub field: Option<String>,
    #[serde(default)]
    pub level: Vec<String>,
    pub implementing_agency: Option<String>,
    pub time_limit: Option<NationalTimeLimit>,
    #[serde(default)]
    pub fees: Option<Vec<NationalFee>>,
    #[serde(default)]
    pub components: Option<Vec<NationalComponent>>,
    #[serde(default)]
    pub channels: Option<Vec<String>>,
    pub online_level: Option<String>,
    #[serde(default)]
    pub results: Option<Vec<String>>,
    #[serde(default)]
    pub subjects: Option<Vec<String>>,
    #[serde(default)]
    pub legal_basis: Option<Vec<String>>,
    pub decision_no: Option<String>,
    pub source_url: Option<String>,
    #[serde(default)]
    pub notes: Option<Vec<String>>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct NationalTimeLimit {
    pub value: Option<f64>,
    pub unit: Option<String>,
    pub text: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct NationalFee {
    pub name: Option<String>,
    pub amount_vnd: Option<u64>,
    pub text: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct NationalComponent {
    pub name: String,
    #[serde(default)]
    pub quantity_original: Option<u32>,
    #[serde(default)]
    pub quantity_copy: Option<u32>,
    pub kind_text: Option<String>,
    pub form: Option<String>,
}

/// The province's choices applied on conversion (`demo/assignment.json`).
#[derive(Debug, Clone, Deserialize)]
pub struct Assignment {
    pub effective_from: NaiveDate,
    pub decision_no: String,
    pub province_agency_by_field: BTreeMap<String, AgencyCode>,
    pub commune_agency_kind: AgencyKind,
    pub workflow_split: Vec<SplitStep>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct SplitStep {
    pub name: String,
    pub role: StepRole,
    pub percent: f64,
}

fn level(s: &str) -> Option<Level> {
    Level::parse(s).ok()
}

fn channel(s: &str) -> Option<Channel> {
    match s {
        "counter" => Some(Channel::Counter),
        "online" => Some(Channel::Online),
        "postal" => Some(Channel::Postal),
        _ => None,
    }
}

fn time_limit(t: &NationalTimeLimit) -> Option<TimeLimit> {
    let value = t.value?;
    let unit = match t.unit.as_deref() {
        Some("working_days") => TimeUnit::WorkingDays,
        Some("days") => TimeUnit::Days,
        Some("months") => TimeUnit::Months,
        // "text": a number without a unit, or a phrase; kept, flagged, never guessed.
        _ => TimeUnit::Unspecified,
    };
    Some(TimeLimit { value, unit, text: t.text.clone() })
}

const SUBMIT: &str = "Giấy tờ phải nộp";
const PRESENT: &str = "Giấy tờ phải xuất trình";

fn component(c: &NationalComponent) -> Component {
    let orig = c.quantity_original.unwrap_or(0);
    let copy = c.quantity_copy.unwrap_or(0);
    let kind = match (c.kind_text.as_deref(), orig, copy) {
        (Some(PRESENT), _, _) => ComponentKind::Present,
        (_, o, _) if o > 0 => ComponentKind::Original,
        (_, 0, c) if c > 0 => ComponentKind::Copy,
        _ => ComponentKind::Unspecified,
    };
    let group = c.kind_text.as_deref().filter(|k| *k != SUBMIT && *k != PRESENT).map(str::to_owned);
    Component {
        code: None,
        name: c.name.trim().trim_start_matches("- ").to_owned(),
        quantity: orig.max(copy).max(1),
        kind,
        group,
        form: c.form.clone(),
        conditional: false,
    }
}

/// The default internal workflow: the total working hours split by the assignment's shares.
fn workflow(limit: Option<&TimeLimit>, split: &[SplitStep]) -> Option<Workflow> {
    let total = limit?.working_hours()?;
    if total <= 0.0 || split.is_empty() {
        return None;
    }
    // Quarter-hour steps, rounded down; the remainder goes to the largest share so that the
    // steps add up to the time limit exactly.
    let mut steps: Vec<WorkflowStep> = split
        .iter()
        .map(|s| WorkflowStep {
            name: s.name.clone(),
            role: s.role,
            agency: None,
            unit: None,
            budget_hours: ((total * s.percent / 100.0 * 4.0).floor() / 4.0).max(0.25),
        })
        .collect();
    let rest = total - steps.iter().map(|s| s.budget_hours).sum::<f64>();
    if let Some((i, _)) = split.iter().enumerate().max_by(|a, b| a.1.percent.total_cmp(&b.1.percent)) {
        steps[i].budget_hours += rest;
    }
    if steps.iter().any(|s| s.budget_hours <= 0.0) {
        return None;
    }
    Some(Workflow { steps, inter_agency: None })
}

/// Convert national records; `agencies` is the map in force on the effective date.
pub fn convert(records: &[NationalRecord], a: &Assignment, agencies: &[Agency]) -> Result<Vec<Procedure>, FieldError> {
    let communes: Vec<AgencyCode> = agencies
        .iter()
        .filter(|ag| ag.kind == a.commune_agency_kind && ag.validity.contains(a.effective_from))
        .map(|ag| ag.code.clone())
        .collect();
    let mut out = Vec::with_capacity(records.len());
    for (i, r) in records.iter().enumerate() {
        let at = format!("[{i}] {}", r.code);
        let code = ProcedureCode::parse(&r.code).map_err(|e| e.under(&at))?;
        let mut levels: Vec<Level> = r.level.iter().filter_map(|l| level(l)).collect();
        levels.sort();
        levels.dedup();
        let mut notes = r.notes.clone().unwrap_or_default();
        if levels.is_empty() {
            levels.push(Level::Other);
            notes.push("Nguồn không ghi cấp thực hiện".into());
        }
        let mut agencies_of: Vec<AgencyCode> = Vec::new();
        if levels.contains(&Level::Province)
            && let Some(dept) = r.field.as_ref().and_then(|f| a.province_agency_by_field.get(f))
        {
            agencies_of.push(dept.clone());
        }
        if levels.contains(&Level::Commune) {
            agencies_of.extend(communes.iter().cloned());
        }
        let tl = r.time_limit.as_ref().and_then(time_limit);
        let content = VersionContent {
            name: r.name.trim().to_owned(),
            field: r.field.clone(),
            levels,
            online_level: match r.online_level.as_deref() {
                Some("full") => OnlineLevel::Full,
                Some("partial") => OnlineLevel::Partial,
                Some("none") => OnlineLevel::None,
                _ => OnlineLevel::Unknown,
            },
            full_process_eligible: false,
            steps: vec![],
            channels: r.channels.iter().flatten().filter_map(|c| channel(c)).collect(),
            components: r.components.iter().flatten().map(component).collect(),
            workflow: workflow(tl.as_ref(), &a.workflow_split),
            time_limit: tl,
            subjects: r.subjects.clone().unwrap_or_default(),
            implementing_agency: r.implementing_agency.clone(),
            deciding_agency: None,
            agencies: agencies_of,
            results: r.results.iter().flatten().map(|n| ResultDoc { name: n.clone(), paper: None }).collect(),
            fees: r
                .fees
                .iter()
                .flatten()
                .map(|f| Fee {
                    name: f.name.clone().unwrap_or_else(|| "Phí, lệ phí".into()),
                    amount_vnd: f.amount_vnd,
                    text: f.text.clone(),
                })
                .collect(),
            eform: None,
            declaration: None,
            conditions: vec![],
            legal_basis: r.legal_basis.clone().unwrap_or_default(),
            provenance: Provenance { source_url: r.source_url.clone(), notes },
        };
        content.validate().map_err(|e| e.under(&format!("{at}.versions[0]")))?;
        out.push(Procedure {
            code,
            versions: vec![ProcedureVersion {
                number: 1,
                status: VersionStatus::Published,
                publication: Publication {
                    decision_no: Some(r.decision_no.clone().unwrap_or_else(|| a.decision_no.clone())),
                    decision_date: None,
                    effective_from: Some(a.effective_from),
                    effective_to: None,
                    publicised_on: None,
                },
                content,
            }],
        });
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rec(json: serde_json::Value) -> NationalRecord {
        serde_json::from_value(json).unwrap()
    }

    fn assignment() -> Assignment {
        serde_json::from_str(include_str!("../../../demo/assignment.json")).unwrap()
    }

    #[test]
    fn a_number_without_unit_is_kept_and_flagged() {
        let r = rec(serde_json::json!({
            "code": "1.001193", "name": "Thủ tục đăng ký khai sinh", "field": "Hộ tịch", "level": ["commune"],
            "time_limit": {"value": 1, "unit": "text", "text": "1"},
            "components": [{"name": "- Tờ khai", "quantity_original": 1, "quantity_copy": 0, "kind_text": "Giấy tờ phải nộp"},
                           {"name": "- Căn cước", "quantity_original": 1, "quantity_copy": 0, "kind_text": "Giấy tờ phải xuất trình"}],
            "channels": ["online", "counter"], "online_level": "unknown", "results": ["Giấy khai sinh"],
            "fees": [{"name": "Lệ phí", "amount_vnd": 0, "text": "Miễn phí"}]
        }));
        let p = convert(&[r], &assignment(), &[]).unwrap();
        let c = &p[0].versions[0].content;
        let tl = c.time_limit.as_ref().unwrap();
        assert_eq!((tl.value, tl.unit, tl.text.as_deref()), (1.0, TimeUnit::Unspecified, Some("1")));
        assert!(c.workflow.is_none(), "no workflow is derived from an unknown unit");
        let flags: Vec<_> = c.review_flags().into_iter().map(|f| f.code).collect();
        assert!(flags.contains(&"time_limit_without_unit"), "{flags:?}");
        assert_eq!(c.components[0].name, "Tờ khai");
        assert_eq!(c.components[1].kind, ComponentKind::Present);
    }

    #[test]
    fn workflow_splits_working_days() {
        let r = rec(serde_json::json!({
            "code": "2.000908", "name": "Cấp bản sao", "field": "Chứng thực", "level": ["province"],
            "time_limit": {"value": 3, "unit": "working_days", "text": "3 Ngày làm việc"}
        }));
        let p = convert(&[r], &assignment(), &[]).unwrap();
        let c = &p[0].versions[0].content;
        let w = c.workflow.as_ref().unwrap();
        assert_eq!(w.steps.len(), 4);
        assert!((w.total_hours() - 24.0).abs() < 1e-9);
        assert_eq!(c.agencies.iter().map(|a| a.as_str()).collect::<Vec<_>>(), vec!["H24.11"]);
    }

    #[test]
    fn a_bad_code_names_the_record() {
        let r = rec(serde_json::json!({ "code": "1.23", "name": "x", "level": ["commune"] }));
        let e = convert(&[r], &assignment(), &[]).unwrap_err();
        assert_eq!(e.field, "[0] 1.23.code");
    }
}
