//! Decision 766 metrics 1.1 and 1.2 over the catalog (the rule is `motcua_domain::plan::publication`).

use motcua_domain::plan::publication::{Limits, lines_of};

use super::*;
use crate::{Actor, App, AppResult};

pub use motcua_domain::plan::publication::{PublicationLine, PublicationReport};

impl App {
    /// Which procedures were published on time in `year`: each version whose publishing
    /// decision is dated in the year must be dated at least `publish_lead_working_days` working
    /// days (legal calendar of the province) before it takes effect; a procedure counts once and
    /// is late when any of its decisions of the year is late (docs/RULES.md §D5.2).
    pub async fn publication_timeliness(&self, actor: &Actor, year: i32) -> AppResult<PublicationReport> {
        require_staff(actor)?;
        let cal = self.calendars().await?;
        let cal = cal.of(None);
        let limits =
            Limits { lead: self.config.publish_lead_working_days, within: self.config.publicise_within_working_days };
        let today = self.today();
        let mut lines = Vec::new();
        for p in self.catalog_snapshot().await?.iter() {
            lines.extend(lines_of(p, year, limits, today, |d| cal.is_working(d))?);
        }
        Ok(PublicationReport::tally(year, limits, lines))
    }
}
