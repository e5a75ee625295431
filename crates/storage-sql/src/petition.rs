//! Feedback and petitions: a row per petition (the columns lists filter on, the rest as JSON)
//! and a row per vote on a published answer.

use chrono::Utc;
use motcua_domain::petition::Petition;
use motcua_storage::{AuditEntry, PetitionQuery, PetitionRepo, StoreError, StoreResult};
use sqlx::types::Json;
use uuid::Uuid;

use crate::audit::write_audit;
use crate::dossier::fields;
use crate::index::{Stored, reshare};
use crate::outbox::insert_notice;
use crate::rows::{Bind, Where, bind_all};
use crate::{BeginWrite, SqlStore, from_json, map_err, on_db, to_json};

#[derive(sqlx::FromRow)]
struct PetitionRow {
    body: Json<serde_json::Value>,
    likes: i32,
    dislikes: i32,
    revision: i64,
}

impl TryFrom<PetitionRow> for Petition {
    type Error = StoreError;
    fn try_from(r: PetitionRow) -> StoreResult<Self> {
        let mut p: Petition = from_json(r.body.0, "petition")?;
        p.likes = u32::try_from(r.likes).unwrap_or(0);
        p.dislikes = u32::try_from(r.dislikes).unwrap_or(0);
        p.revision = r.revision;
        Ok(p)
    }
}

const COLS: &str = "SELECT body, likes, dislikes, revision FROM petition";

#[async_trait::async_trait]
impl PetitionRepo for SqlStore {
    async fn create_petition(&self, p: &Petition, audit: &AuditEntry) -> StoreResult<()> {
        let body = to_json(p)?;
        let turn = self.write_turn().await;
        on_db!(turn.db, |pool| {
            let mut tx = pool.begin_write().await.map_err(map_err)?;
            if let Some(code) = &p.dossier {
                let sql = concat!("UPDATE dossier SET petitioned = TRUE WHERE code = $1 RETURNING id, ", fields!());
                let row: Option<Stored> =
                    sqlx::query_as(sql).bind(code.as_str()).fetch_optional(&mut *tx).await.map_err(map_err)?;
                let Some(Stored { id, row }) = row else {
                    return Err(StoreError::NotFound(format!("dossier {code}")));
                };
                reshare!(tx, id, row);
            }
            sqlx::query(
                "INSERT INTO petition (id, agency_code, assigned_agency, dossier_code, state, received_at, published_at, \
                 likes, dislikes, body, revision) VALUES ($1, $2, $3, $4, $5, $6, $7, 0, 0, $8, $9)",
            )
            .bind(p.id)
            .bind(p.agency.as_str())
            .bind(p.assigned.as_ref().map(|a| a.as_str()))
            .bind(p.dossier.as_ref().map(|d| d.as_str()))
            .bind(p.state.as_str())
            .bind(p.received_at.with_timezone(&Utc))
            .bind(p.published_at.map(|t| t.with_timezone(&Utc)))
            .bind(Json(&body))
            .bind(p.revision)
            .execute(&mut *tx)
            .await
            .map_err(map_err)?;
            write_audit!(&mut *tx, audit)?;
            tx.commit().await.map_err(map_err)?;
            Ok(())
        })
    }

    async fn petition(&self, id: Uuid) -> StoreResult<Option<Petition>> {
        let sql = format!("{COLS} WHERE id = $1");
        let row: Option<PetitionRow> = on_db!(&self.db, |p| sqlx::query_as(sqlx::AssertSqlSafe(sql))
            .bind(id)
            .fetch_optional(p)
            .await
            .map_err(map_err))?;
        row.map(Petition::try_from).transpose()
    }

    async fn update_petition(
        &self,
        p: &Petition,
        expected_revision: i64,
        audit: &AuditEntry,
        notices: &[motcua_domain::notice::Notice],
    ) -> StoreResult<i64> {
        let body = to_json(p)?;
        let turn = self.write_turn().await;
        on_db!(turn.db, |pool| {
            let mut tx = pool.begin_write().await.map_err(map_err)?;
            let revision: Option<i64> = sqlx::query_scalar(
                "UPDATE petition SET assigned_agency = $3, state = $4, published_at = $5, body = $6, \
                 revision = revision + 1 WHERE id = $1 AND revision = $2 RETURNING revision",
            )
            .bind(p.id)
            .bind(expected_revision)
            .bind(p.assigned.as_ref().map(|a| a.as_str()))
            .bind(p.state.as_str())
            .bind(p.published_at.map(|t| t.with_timezone(&Utc)))
            .bind(Json(&body))
            .fetch_optional(&mut *tx)
            .await
            .map_err(map_err)?;
            let Some(revision) = revision else { return Err(StoreError::Stale) };
            write_audit!(&mut *tx, audit)?;
            for n in notices {
                insert_notice!(&mut *tx, p.agency.as_str(), p.dossier.as_ref().map(|d| d.as_str()), n, audit.at)?;
            }
            tx.commit().await.map_err(map_err)?;
            Ok(revision)
        })
    }

    async fn petitions(&self, q: &PetitionQuery) -> StoreResult<(Vec<Petition>, u64)> {
        let mut w = Where::default();
        if let Some(s) = q.state {
            w.and("state = {}", Bind::Text(s.as_str().to_owned()));
        }
        if let Some(agencies) = &q.agencies {
            let codes: Vec<String> = agencies.iter().map(|a| a.as_str().to_owned()).collect();
            w.any_in(&["agency_code", "assigned_agency"], &codes);
        }
        if let Some(t) = q.received_from {
            w.and("received_at >= {}", Bind::Instant(t.with_timezone(&Utc)));
        }
        if let Some(t) = q.received_before {
            w.and("received_at < {}", Bind::Instant(t.with_timezone(&Utc)));
        }
        let where_sql = w.sql();
        let order = if q.newest_first { "COALESCE(published_at, received_at) DESC, id" } else { "received_at, id" };
        let n = w.binds.len();
        let per_page = q.per_page.clamp(1, 200);
        let limit = w.bind(Bind::Int(i64::from(per_page)));
        let offset = w.bind(Bind::Int(i64::from(q.page.max(1) - 1) * i64::from(per_page)));
        let list = format!("{COLS}{where_sql} ORDER BY {order} LIMIT {limit} OFFSET {offset}");
        let count = format!("SELECT COUNT(*) FROM petition{where_sql}");
        let (rows, total): (Vec<PetitionRow>, i64) = on_db!(&self.db, |p| {
            let rows =
                bind_all!(sqlx::query_as(sqlx::AssertSqlSafe(list)), &w.binds).fetch_all(p).await.map_err(map_err)?;
            let total = bind_all!(sqlx::query_scalar(sqlx::AssertSqlSafe(count)), &w.binds[..n])
                .fetch_one(p)
                .await
                .map_err(map_err)?;
            Ok::<_, StoreError>((rows, total))
        })?;
        let items = rows.into_iter().map(Petition::try_from).collect::<StoreResult<Vec<_>>>()?;
        Ok((items, u64::try_from(total).unwrap_or(0)))
    }

    async fn vote_petition(
        &self,
        id: Uuid,
        voter: &str,
        liked: bool,
        at: motcua_domain::calendar::deadline::Instant,
    ) -> StoreResult<bool> {
        let turn = self.write_turn().await;
        on_db!(turn.db, |pool| {
            let mut tx = pool.begin_write().await.map_err(map_err)?;
            let agency: Option<String> = sqlx::query_scalar("SELECT agency_code FROM petition WHERE id = $1")
                .bind(id)
                .fetch_optional(&mut *tx)
                .await
                .map_err(map_err)?;
            let Some(agency) = agency else { return Err(StoreError::NotFound(format!("petition {id}"))) };
            let inserted = sqlx::query(
                "INSERT INTO petition_vote (id, petition_id, agency_code, voter, liked, at) \
                 VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (agency_code, petition_id, voter) DO NOTHING",
            )
            .bind(Uuid::now_v7())
            .bind(id)
            .bind(agency.as_str())
            .bind(voter)
            .bind(liked)
            .bind(at.with_timezone(&Utc))
            .execute(&mut *tx)
            .await
            .map_err(map_err)?
            .rows_affected()
                > 0;
            if inserted {
                let sql = if liked {
                    "UPDATE petition SET likes = likes + 1 WHERE id = $1"
                } else {
                    "UPDATE petition SET dislikes = dislikes + 1 WHERE id = $1"
                };
                sqlx::query(sql).bind(id).execute(&mut *tx).await.map_err(map_err)?;
            }
            tx.commit().await.map_err(map_err)?;
            Ok(inserted)
        })
    }
}
