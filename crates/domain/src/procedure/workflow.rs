//! The province's internal workflow of a procedure (quy trình nội bộ, docs/RULES.md §D1.1): ordered
//! steps, each with a role, an agency or unit and a budget in working hours; and for inter-agency
//! (liên thông) procedures the lead agency and the cooperating agencies in order with their
//! share of the time limit.

use serde::{Deserialize, Serialize};

use crate::FieldError;
use crate::ids::AgencyCode;

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum StepRole {
    DeskOfficer,
    Specialist,
    Leader,
    /// Clerk who numbers and issues the result (văn thư).
    Clerk,
}

impl StepRole {
    pub fn label_vi(self) -> &'static str {
        match self {
            Self::DeskOfficer => "Công chức Bộ phận Một cửa",
            Self::Specialist => "Chuyên viên",
            Self::Leader => "Lãnh đạo",
            Self::Clerk => "Văn thư",
        }
    }
}

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct WorkflowStep {
    #[cfg_attr(feature = "openapi", schema(pattern = r"\S"))]
    pub name: String,
    pub role: StepRole,
    /// Agency that performs the step; `None` = the agency handling the dossier.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub agency: Option<AgencyCode>,
    /// Unit inside the agency (phòng, bộ phận), free text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unit: Option<String>,
    #[cfg_attr(feature = "openapi", schema(exclusive_minimum = 0))]
    pub budget_hours: f64,
}

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CooperatingAgency {
    pub agency: AgencyCode,
    /// Share of the total time limit, in percent.
    #[cfg_attr(feature = "openapi", schema(exclusive_minimum = 0, exclusive_maximum = 100))]
    pub share_percent: f64,
}

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct InterAgency {
    pub lead: AgencyCode,
    /// In the published order.
    pub cooperating: Vec<CooperatingAgency>,
}

impl Workflow {
    /// The leading steps of the one-stop desk (receiving, checking, sending on): done when the
    /// desk transfers the dossier, so they are not the handling agency's to complete.
    pub fn desk_steps(&self) -> usize {
        self.steps.iter().take_while(|s| s.role == StepRole::DeskOfficer).count()
    }

    /// The steps completed one by one after the transfer, in order.
    pub fn handling_steps(&self) -> &[WorkflowStep] {
        &self.steps[self.desk_steps()..]
    }
}

impl InterAgency {
    /// The lead agency keeps what the cooperating agencies do not use.
    pub fn lead_share_percent(&self) -> f64 {
        100.0 - self.cooperating.iter().map(|c| c.share_percent).sum::<f64>()
    }
}

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Workflow {
    #[cfg_attr(feature = "openapi", schema(min_items = 1))]
    pub steps: Vec<WorkflowStep>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub inter_agency: Option<InterAgency>,
}

impl Workflow {
    pub fn total_hours(&self) -> f64 {
        self.steps.iter().map(|s| s.budget_hours).sum()
    }

    pub fn validate(&self) -> Result<(), FieldError> {
        if self.steps.is_empty() {
            return Err(FieldError::new("required", "steps", "Quy trình cần ít nhất một bước"));
        }
        for (i, s) in self.steps.iter().enumerate() {
            if s.name.trim().is_empty() {
                return Err(FieldError::new("required", format!("steps[{i}].name"), "Tên bước không được để trống"));
            }
            if !s.budget_hours.is_finite() || s.budget_hours <= 0.0 {
                return Err(FieldError::new(
                    "invalid_budget",
                    format!("steps[{i}].budget_hours"),
                    "Thời gian của bước phải là số giờ làm việc dương",
                ));
            }
        }
        if let Some(ia) = &self.inter_agency {
            for (i, c) in ia.cooperating.iter().enumerate() {
                if !c.share_percent.is_finite() || c.share_percent <= 0.0 {
                    return Err(FieldError::new(
                        "invalid_share",
                        format!("inter_agency.cooperating[{i}].share_percent"),
                        "Tỷ lệ thời gian phải dương",
                    ));
                }
                if c.agency == ia.lead || ia.cooperating[..i].iter().any(|p| p.agency == c.agency) {
                    return Err(FieldError::new(
                        "duplicate_agency",
                        format!("inter_agency.cooperating[{i}].agency"),
                        "Cơ quan phối hợp bị lặp",
                    ));
                }
            }
            if ia.lead_share_percent() <= 0.0 {
                return Err(FieldError::new(
                    "invalid_share",
                    "inter_agency.cooperating",
                    "Tổng tỷ lệ của các cơ quan phối hợp phải nhỏ hơn 100%",
                ));
            }
        }
        Ok(())
    }
}
