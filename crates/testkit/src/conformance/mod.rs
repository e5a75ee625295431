//! The storage story: what every backend of the contract must do. Run on SQLite by
//! `cargo test` and on PostgreSQL by `.ci/run` (see `tests/conformance.rs`).

mod calendar;
mod catalog;
mod declaration;
mod dossier;
mod index;
mod map;
mod outbox;
mod plan;
mod sign_in;
mod signing;
mod users;
mod vault;
mod watch;

pub use calendar::*;
pub use catalog::*;
pub use declaration::*;
pub use dossier::*;
pub use index::*;
pub use map::*;
pub use outbox::*;
pub use plan::*;
pub use sign_in::*;
pub use signing::*;
pub use users::*;
pub use vault::*;
pub use watch::*;

use motcua_storage::Store;

fn no_progress(_: usize) {}

async fn audit_count(s: &impl Store) -> usize {
    s.audit_log(10_000).await.unwrap_or_else(|e| panic!("{e}")).len()
}
