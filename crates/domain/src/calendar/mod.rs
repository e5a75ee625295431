//! Legal time: the Vietnamese lunar calendar, holiday calendars, office hours and deadline
//! arithmetic that explains itself (docs/RULES.md §D1.10, §D5.3, §D9).

pub mod deadline;
pub mod holidays;
pub mod lunar;
