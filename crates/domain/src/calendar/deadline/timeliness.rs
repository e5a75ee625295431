//! Early, on time or late: a dossier against its original appointment (the 766 clock, with
//! its supplement pauses), and a hand-off against its own due instant.

use chrono::Duration;
use serde::{Deserialize, Serialize};

use super::{Instant, vn_offset};

/// Result of a dossier against its original appointment (docs/RULES.md §D1.10, §D5.3).
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Timeliness {
    Early,
    OnTime,
    Late,
}

/// A supplement request and, once provided, when.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Supplement {
    pub requested: Instant,
    pub provided: Option<Instant>,
}

/// A dossier's timeliness as far as it is known without the time of asking: settled, or on
/// time until an instant and late after it (a running dossier whose clock runs).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Standing {
    Settled(Timeliness),
    /// On time while the time of asking is at or before this instant, late after it.
    OnTimeUntil(Instant),
}

/// Where a dossier stands against its original appointment. `original_due` is the first
/// appointment: an apology and a new date do not make a late dossier on time. `end` is the end
/// of processing (resolved, returned, stopped, refused or withdrawn), `None` while it runs.
pub fn standing(original_due: Instant, end: Option<Instant>, supplements: &[Supplement]) -> Standing {
    if supplements.len() > 1 {
        return Standing::Settled(Timeliness::Late);
    }
    let paused = |s: &Supplement| s.provided.map(|p| p - s.requested).unwrap_or_else(Duration::zero);
    if let Some(pending) = supplements.iter().find(|s| s.provided.is_none()) {
        // Waiting for the applicant: the request time stands for the end.
        return Standing::Settled(if pending.requested <= original_due {
            Timeliness::OnTime
        } else {
            Timeliness::Late
        });
    }
    let total_pause: Duration = supplements.iter().map(paused).fold(Duration::zero(), |a, b| a + b);
    match end {
        Some(e) => {
            let eff = e - total_pause;
            let (ed, dd) =
                (eff.with_timezone(&vn_offset()).date_naive(), original_due.with_timezone(&vn_offset()).date_naive());
            Standing::Settled(if ed < dd {
                Timeliness::Early
            } else if eff <= original_due {
                Timeliness::OnTime
            } else {
                Timeliness::Late
            })
        }
        // The clock stood still while the applicant supplemented.
        None => Standing::OnTimeUntil(original_due + total_pause),
    }
}

impl Standing {
    /// The timeliness when asked at `at`.
    pub fn at(self, at: Instant) -> Timeliness {
        match self {
            Self::Settled(t) => t,
            Self::OnTimeUntil(until) if at <= until => Timeliness::OnTime,
            Self::OnTimeUntil(_) => Timeliness::Late,
        }
    }
}

/// Classify a dossier (see [`standing`]); a running dossier is judged at `at`.
pub fn classify(original_due: Instant, end: Option<Instant>, at: Instant, supplements: &[Supplement]) -> Timeliness {
    standing(original_due, end, supplements).at(at)
}

/// A hand-off judged against its own due instant (a step's budget, a cooperating agency's
/// share, the appointment): done on an earlier day is early, by the instant on time, after it late.
pub fn judge(at: Instant, due: Instant) -> Timeliness {
    let (ad, dd) = (at.with_timezone(&vn_offset()).date_naive(), due.with_timezone(&vn_offset()).date_naive());
    if ad < dd {
        Timeliness::Early
    } else if at <= due {
        Timeliness::OnTime
    } else {
        Timeliness::Late
    }
}

impl Timeliness {
    pub fn label_vi(self) -> &'static str {
        match self {
            Self::Early => "Trước hạn",
            Self::OnTime => "Đúng hạn",
            Self::Late => "Quá hạn",
        }
    }
}
