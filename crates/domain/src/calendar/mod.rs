//! Legal time: the Vietnamese lunar calendar, holiday calendars, office hours and deadline
//! arithmetic that explains itself (domain.md §1.10, §5.3, §9).

pub mod deadline;
pub mod holidays;
pub mod lunar;
