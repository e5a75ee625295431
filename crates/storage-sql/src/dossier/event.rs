//! Writing dossier events: the statement head shared by one insert and a batch of intakes, and
//! the enums stored as their serde names.

use motcua_storage::{StoreError, StoreResult};

use crate::to_json;

pub(crate) fn enum_str<T: serde::Serialize>(v: &T) -> StoreResult<String> {
    match to_json(v)? {
        serde_json::Value::String(s) => Ok(s),
        other => Err(StoreError::Other(format!("not a string enum: {other}"))),
    }
}

/// The head of an event insert, up to `VALUES` (one row here, many in a batch of intakes).
macro_rules! event_insert {
    () => {
        "INSERT INTO dossier_event (id, dossier_id, agency_code, at, actor, command, from_state, to_state, detail) "
    };
}
pub(super) use event_insert;

pub(crate) const INSERT_EVENT: &str = concat!(event_insert!(), "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)");

/// Insert one event of a dossier, in the transaction `$tx`.
macro_rules! insert_event {
    ($tx:expr, $dossier_id:expr, $e:expr) => {{
        let e: &motcua_domain::dossier::record::EventRecord = $e;
        let from = e.from.as_ref().map($crate::dossier::event::enum_str).transpose()?;
        sqlx::query($crate::dossier::event::INSERT_EVENT)
            .bind(uuid::Uuid::now_v7())
            .bind($dossier_id)
            .bind(e.agency.as_str())
            .bind(e.at.with_timezone(&chrono::Utc))
            .bind(e.actor.as_str())
            .bind(e.command.as_str())
            .bind(from)
            .bind($crate::dossier::event::enum_str(&e.to)?)
            .bind(sqlx::types::Json(e.detail.to_stored()))
            .execute(&mut *$tx)
            .await
            .map_err($crate::map_err)?;
    }};
}

pub(crate) use insert_event;
