//! The procedure editor's form: every part of a version as text inputs, one list item per
//! line, columns separated by `|`. A list left as it was shown is kept exactly as stored, so
//! saving a page never rewrites what the admin did not touch.

use motcua_app::AppError;
use motcua_domain::ids::AgencyCode;
use motcua_domain::procedure::{
    Channel, Component, ComponentKind, Fee, Level, OnlineLevel, ResultDoc, StepRole, TimeLimit, TimeUnit,
    VersionContent, Workflow, WorkflowStep,
};
use motcua_domain::text::fold_vi;
use serde::Deserialize;

#[derive(Debug, Clone, Default, Deserialize)]
pub struct EditForm {
    #[serde(default)]
    pub revision: i64,
    #[serde(default)]
    pub code: String,
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub field: String,
    #[serde(default)]
    pub levels: Vec<String>,
    #[serde(default)]
    pub online_level: String,
    #[serde(default)]
    pub full_process_eligible: Option<String>,
    #[serde(default)]
    pub channels: Vec<String>,
    #[serde(default)]
    pub time_value: String,
    #[serde(default)]
    pub time_unit: String,
    #[serde(default)]
    pub time_text: String,
    #[serde(default)]
    pub steps: String,
    #[serde(default)]
    pub components: String,
    #[serde(default)]
    pub subjects: String,
    #[serde(default)]
    pub implementing_agency: String,
    #[serde(default)]
    pub deciding_agency: String,
    #[serde(default)]
    pub agencies: String,
    #[serde(default)]
    pub results: String,
    #[serde(default)]
    pub fees: String,
    #[serde(default)]
    pub eform: String,
    /// The declaration form's fields as JSON (docs/IMPORT.md).
    #[serde(default)]
    pub declaration: String,
    #[serde(default)]
    pub conditions: String,
    #[serde(default)]
    pub legal_basis: String,
    #[serde(default)]
    pub workflow: String,
}

const UNITS: [(TimeUnit, &str); 5] = [
    (TimeUnit::WorkingDays, "working_days"),
    (TimeUnit::WorkingHours, "working_hours"),
    (TimeUnit::Days, "days"),
    (TimeUnit::Months, "months"),
    (TimeUnit::Unspecified, "unspecified"),
];

pub fn time_units() -> Vec<(&'static str, &'static str)> {
    UNITS.iter().map(|(u, k)| (*k, u.label_vi())).collect()
}

pub fn channels() -> Vec<(&'static str, &'static str)> {
    [(Channel::Counter, "counter"), (Channel::Online, "online"), (Channel::Postal, "postal")]
        .iter()
        .map(|(c, k)| (*k, c.label_vi()))
        .collect()
}

fn channel_key(c: Channel) -> &'static str {
    match c {
        Channel::Counter => "counter",
        Channel::Online => "online",
        Channel::Postal => "postal",
    }
}

const KINDS: [ComponentKind; 5] = [
    ComponentKind::Original,
    ComponentKind::Copy,
    ComponentKind::CertifiedCopy,
    ComponentKind::Present,
    ComponentKind::Unspecified,
];
const ROLES: [StepRole; 4] = [StepRole::DeskOfficer, StepRole::Specialist, StepRole::Leader, StepRole::Clerk];

fn lines(items: &[String]) -> String {
    items.join("\n")
}

fn cols(cells: &[String]) -> String {
    let mut v: Vec<&str> = cells.iter().map(String::as_str).collect();
    while v.last().is_some_and(|c| c.is_empty()) {
        v.pop();
    }
    v.join(" | ")
}

fn num(v: f64) -> String {
    if v.fract() == 0.0 { format!("{}", v as i64) } else { format!("{v}") }
}

fn render_components(c: &[Component]) -> String {
    c.iter()
        .map(|c| {
            cols(&[
                c.name.clone(),
                c.quantity.to_string(),
                c.kind.label_vi().into(),
                c.code.clone().unwrap_or_default(),
                c.group.clone().unwrap_or_default(),
                c.form.clone().unwrap_or_default(),
                if c.conditional { CONDITIONAL.into() } else { String::new() },
            ])
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// The last cell of a component needed only in some cases.
const CONDITIONAL: &str = "nếu có";

fn render_fees(f: &[Fee]) -> String {
    f.iter()
        .map(|f| {
            cols(&[
                f.name.clone(),
                f.amount_vnd.map(|a| a.to_string()).unwrap_or_default(),
                f.text.clone().unwrap_or_default(),
            ])
        })
        .collect::<Vec<_>>()
        .join("\n")
}

fn paper_label(p: Option<bool>) -> &'static str {
    match p {
        Some(true) => "giấy",
        Some(false) => "điện tử",
        None => "chưa rõ",
    }
}

fn render_results(r: &[ResultDoc]) -> String {
    r.iter().map(|r| cols(&[r.name.clone(), paper_label(r.paper).into()])).collect::<Vec<_>>().join("\n")
}

fn render_workflow(w: Option<&Workflow>) -> String {
    w.map(|w| {
        w.steps
            .iter()
            .map(|s| {
                cols(&[
                    s.name.clone(),
                    s.role.label_vi().into(),
                    num(s.budget_hours),
                    s.agency.as_ref().map(ToString::to_string).unwrap_or_default(),
                    s.unit.clone().unwrap_or_default(),
                ])
            })
            .collect::<Vec<_>>()
            .join("\n")
    })
    .unwrap_or_default()
}

impl EditForm {
    pub fn from_content(code: &str, revision: i64, c: &VersionContent) -> Self {
        Self {
            revision,
            code: code.into(),
            name: c.name.clone(),
            field: c.field.clone().unwrap_or_default(),
            levels: c.levels.iter().map(|l| l.as_str().to_owned()).collect(),
            online_level: c.online_level.as_str().into(),
            full_process_eligible: c.full_process_eligible.then(|| "on".into()),
            channels: c.channels.iter().map(|ch| channel_key(*ch).to_owned()).collect(),
            time_value: c.time_limit.as_ref().map(|t| num(t.value)).unwrap_or_default(),
            time_unit: c
                .time_limit
                .as_ref()
                .and_then(|t| UNITS.iter().find(|(u, _)| *u == t.unit))
                .map(|(_, k)| (*k).to_owned())
                .unwrap_or_default(),
            time_text: c.time_limit.as_ref().and_then(|t| t.text.clone()).unwrap_or_default(),
            steps: lines(&c.steps),
            components: render_components(&c.components),
            subjects: lines(&c.subjects),
            implementing_agency: c.implementing_agency.clone().unwrap_or_default(),
            deciding_agency: c.deciding_agency.clone().unwrap_or_default(),
            agencies: c.agencies.iter().map(ToString::to_string).collect::<Vec<_>>().join("\n"),
            results: render_results(&c.results),
            fees: render_fees(&c.fees),
            eform: c.eform.clone().unwrap_or_default(),
            declaration: c.declaration.as_ref().and_then(|d| serde_json::to_string_pretty(d).ok()).unwrap_or_default(),
            conditions: lines(&c.conditions),
            legal_basis: lines(&c.legal_basis),
            workflow: render_workflow(c.workflow.as_ref()),
        }
    }

    pub fn has_level(&self, l: &&str) -> bool {
        self.levels.iter().any(|x| x == l)
    }
    pub fn has_channel(&self, c: &&str) -> bool {
        self.channels.iter().any(|x| x == c)
    }

    /// Build the content from the form, starting from `base` (what the page showed) so that
    /// untouched lists and the provenance stay exactly as stored.
    pub fn to_content(&self, base: Option<&VersionContent>) -> Result<VersionContent, AppError> {
        let shown = base.map(|b| EditForm::from_content(&self.code, self.revision, b));
        let unchanged = |f: fn(&EditForm) -> &String| shown.as_ref().is_some_and(|s| norm(f(s)) == norm(f(self)));
        let mut c = base.cloned().unwrap_or_else(empty_content);
        c.name = self.name.trim().to_owned();
        c.field = opt(&self.field);
        c.levels = self.levels.iter().map(|l| Level::parse(l)).collect::<Result<_, _>>()?;
        c.online_level = OnlineLevel::parse(&self.online_level)?;
        c.full_process_eligible = self.full_process_eligible.is_some();
        c.channels = self
            .channels
            .iter()
            .map(|k| match k.as_str() {
                "counter" => Ok(Channel::Counter),
                "online" => Ok(Channel::Online),
                "postal" => Ok(Channel::Postal),
                other => {
                    Err(AppError::invalid("invalid_channel", "channels", format!("Cách thức «{other}» không hợp lệ")))
                }
            })
            .collect::<Result<_, _>>()?;
        c.time_limit = self.time_limit()?;
        if !unchanged(|f| &f.steps) {
            c.steps = split_lines(&self.steps);
        }
        if !unchanged(|f| &f.components) {
            c.components = parse_components(&self.components)?;
        }
        if !unchanged(|f| &f.subjects) {
            c.subjects = split_lines(&self.subjects);
        }
        c.implementing_agency = opt(&self.implementing_agency);
        c.deciding_agency = opt(&self.deciding_agency);
        if !unchanged(|f| &f.agencies) {
            c.agencies = split_lines(&self.agencies)
                .iter()
                .enumerate()
                .map(|(i, a)| AgencyCode::parse(a).map_err(|e| AppError::Invalid(e.under(&format!("agencies[{i}]")))))
                .collect::<Result<_, _>>()?;
        }
        if !unchanged(|f| &f.results) {
            c.results = parse_results(&self.results)?;
        }
        if !unchanged(|f| &f.fees) {
            c.fees = parse_fees(&self.fees)?;
        }
        c.eform = opt(&self.eform);
        c.declaration = match self.declaration.trim() {
            "" => None,
            json => Some(serde_json::from_str(json).map_err(|e| {
                AppError::invalid("invalid_eform", "declaration", format!("Tờ khai điện tử không đọc được: {e}"))
            })?),
        };
        if !unchanged(|f| &f.conditions) {
            c.conditions = split_lines(&self.conditions);
        }
        if !unchanged(|f| &f.legal_basis) {
            c.legal_basis = split_lines(&self.legal_basis);
        }
        if !unchanged(|f| &f.workflow) {
            let inter = c.workflow.as_ref().and_then(|w| w.inter_agency.clone());
            c.workflow = parse_workflow(&self.workflow)?.map(|steps| Workflow { steps, inter_agency: inter });
        }
        c.validate()?;
        Ok(c)
    }

    fn time_limit(&self) -> Result<Option<TimeLimit>, AppError> {
        let v = self.time_value.trim();
        if v.is_empty() {
            return Ok(None);
        }
        let value: f64 = v.replace(',', ".").parse().map_err(|_| {
            AppError::invalid("invalid_time_limit", "time_limit.value", "Thời hạn giải quyết phải là một số")
        })?;
        let unit = UNITS
            .iter()
            .find(|(_, k)| *k == self.time_unit)
            .map(|(u, _)| *u)
            .ok_or_else(|| AppError::invalid("invalid_time_unit", "time_limit.unit", "Chọn đơn vị thời hạn"))?;
        Ok(Some(TimeLimit { value, unit, text: opt(&self.time_text) }))
    }
}

fn norm(s: &str) -> String {
    s.replace("\r\n", "\n").trim().to_owned()
}

fn opt(s: &str) -> Option<String> {
    let t = s.trim();
    (!t.is_empty()).then(|| t.to_owned())
}

fn split_lines(s: &str) -> Vec<String> {
    s.lines().map(str::trim).filter(|l| !l.is_empty()).map(str::to_owned).collect()
}

fn cells(line: &str) -> Vec<String> {
    line.split('|').map(|c| c.trim().to_owned()).collect()
}

fn cell(c: &[String], i: usize) -> Option<String> {
    c.get(i).filter(|s| !s.is_empty()).cloned()
}

fn parse_components(s: &str) -> Result<Vec<Component>, AppError> {
    split_lines(s)
        .iter()
        .enumerate()
        .map(|(i, l)| {
            let c = cells(l);
            let at = format!("components[{i}]");
            let quantity = match cell(&c, 1) {
                None => 1,
                Some(q) => q.parse().map_err(|_| {
                    AppError::invalid("invalid_quantity", format!("{at}.quantity"), "Số lượng phải là số nguyên")
                })?,
            };
            let kind = match cell(&c, 2) {
                None => ComponentKind::Unspecified,
                Some(k) => {
                    let f = fold_vi(&k);
                    KINDS.into_iter().find(|x| fold_vi(x.label_vi()) == f).ok_or_else(|| {
                        AppError::invalid(
                            "invalid_kind",
                            format!("{at}.kind"),
                            format!("Loại giấy tờ «{k}» không hợp lệ"),
                        )
                    })?
                }
            };
            Ok(Component {
                name: c[0].clone(),
                quantity,
                kind,
                code: cell(&c, 3),
                group: cell(&c, 4),
                form: cell(&c, 5),
                conditional: cell(&c, 6).is_some_and(|x| fold_vi(&x) == fold_vi(CONDITIONAL)),
            })
        })
        .collect()
}

fn parse_fees(s: &str) -> Result<Vec<Fee>, AppError> {
    split_lines(s)
        .iter()
        .enumerate()
        .map(|(i, l)| {
            let c = cells(l);
            let amount_vnd = match cell(&c, 1) {
                None => None,
                Some(a) => Some(a.replace(['.', ' '], "").parse().map_err(|_| {
                    AppError::invalid("invalid_amount", format!("fees[{i}].amount_vnd"), "Mức thu phải là số đồng")
                })?),
            };
            Ok(Fee { name: c[0].clone(), amount_vnd, text: cell(&c, 2) })
        })
        .collect()
}

fn parse_results(s: &str) -> Result<Vec<ResultDoc>, AppError> {
    split_lines(s)
        .iter()
        .enumerate()
        .map(|(i, l)| {
            let c = cells(l);
            let paper = match cell(&c, 1).map(|p| fold_vi(&p)).as_deref() {
                None | Some("chua ro") => None,
                Some("giay") => Some(true),
                Some("dien tu") => Some(false),
                Some(_) => {
                    return Err(AppError::invalid(
                        "invalid_result_kind",
                        format!("results[{i}]"),
                        "Ghi «giấy», «điện tử» hoặc «chưa rõ»",
                    ));
                }
            };
            Ok(ResultDoc { name: c[0].clone(), paper })
        })
        .collect()
}

fn parse_workflow(s: &str) -> Result<Option<Vec<WorkflowStep>>, AppError> {
    let steps = split_lines(s)
        .iter()
        .enumerate()
        .map(|(i, l)| {
            let c = cells(l);
            let at = format!("workflow.steps[{i}]");
            let role_text = cell(&c, 1).unwrap_or_default();
            let role = ROLES.into_iter().find(|r| fold_vi(r.label_vi()) == fold_vi(&role_text)).ok_or_else(|| {
                AppError::invalid("invalid_role", format!("{at}.role"), format!("Vai trò «{role_text}» không hợp lệ"))
            })?;
            let budget_hours = cell(&c, 2).and_then(|h| h.replace(',', ".").parse().ok()).ok_or_else(|| {
                AppError::invalid("invalid_budget", format!("{at}.budget_hours"), "Số giờ phải là một số")
            })?;
            let agency = cell(&c, 3).map(|a| AgencyCode::parse(&a)).transpose()?;
            Ok(WorkflowStep { name: c[0].clone(), role, budget_hours, agency, unit: cell(&c, 4) })
        })
        .collect::<Result<Vec<_>, AppError>>()?;
    Ok((!steps.is_empty()).then_some(steps))
}

fn empty_content() -> VersionContent {
    VersionContent {
        name: String::new(),
        field: None,
        levels: vec![],
        online_level: OnlineLevel::Unknown,
        full_process_eligible: false,
        steps: vec![],
        channels: vec![],
        components: vec![],
        time_limit: None,
        subjects: vec![],
        implementing_agency: None,
        deciding_agency: None,
        agencies: vec![],
        results: vec![],
        fees: vec![],
        eform: None,
        declaration: None,
        conditions: vec![],
        legal_basis: vec![],
        workflow: None,
        provenance: Default::default(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_form_shown_and_sent_back_changes_nothing() {
        let mut c = empty_content();
        c.name = "Đăng ký khai sinh".into();
        c.levels = vec![Level::Commune];
        c.legal_basis = vec!["Luật Hộ tịch\nnăm 2014".into()]; // a multi-line item, as some records have
        c.components = vec![Component {
            name: "Tờ khai".into(),
            quantity: 1,
            kind: ComponentKind::CertifiedCopy,
            code: None,
            group: Some("Trường hợp 1".into()),
            form: Some("mau.doc".into()),
            conditional: true,
        }];
        c.fees = vec![Fee { name: "Lệ phí".into(), amount_vnd: None, text: Some("Theo HĐND".into()) }];
        c.time_limit = Some(TimeLimit { value: 1.0, unit: TimeUnit::Unspecified, text: Some("1".into()) });
        let f = EditForm::from_content("1.001193", 3, &c);
        assert_eq!(f.to_content(Some(&c)).unwrap(), c);
    }

    #[test]
    fn edited_lines_are_parsed_and_errors_name_the_line() {
        let c = empty_content();
        let mut f = EditForm::from_content("1.001193", 0, &c);
        f.name = "Thủ tục mới".into();
        f.levels = vec!["province".into()];
        f.online_level = "full".into();
        f.components = "Đơn đề nghị | 2 | Bản sao chứng thực\nCăn cước | 1 | xuất trình".into();
        f.fees = "Phí thẩm định | 1.500.000 | theo Thông tư 01".into();
        f.workflow = "Tiếp nhận | Công chức Bộ phận Một cửa | 4\nThẩm định | Chuyên viên | 12,5".into();
        let out = f.to_content(Some(&c)).unwrap();
        assert_eq!(out.components[0].kind, ComponentKind::CertifiedCopy);
        assert_eq!(out.components[1].kind, ComponentKind::Present);
        assert_eq!(out.fees[0].amount_vnd, Some(1_500_000));
        assert_eq!(out.workflow.unwrap().total_hours(), 16.5);
        f.fees = "Phí | mười nghìn".into();
        let e = f.to_content(Some(&c)).unwrap_err();
        assert!(matches!(e, AppError::Invalid(ref x) if x.field == "fees[0].amount_vnd"), "{e:?}");
    }
}
