//! The monthly public reports as published: one row per office and period.

use chrono::{DateTime, Utc};
use motcua_domain::ids::AgencyCode;
use motcua_storage::{AuditEntry, PublishedReport, ReportRepo, StoreResult};
use sqlx::types::Json;
use uuid::Uuid;

use crate::audit::write_audit;
use crate::dossier::local;
use crate::{BeginWrite, SqlStore, map_err, on_db};

#[async_trait::async_trait]
impl ReportRepo for SqlStore {
    async fn publish_report(&self, r: &PublishedReport, audit: &AuditEntry) -> StoreResult<bool> {
        let turn = self.write_turn().await;
        on_db!(turn.db, |p| {
            let mut tx = p.begin_write().await.map_err(map_err)?;
            let stored = sqlx::query(
                "INSERT INTO published_report (id, agency_code, period, published_at, body) VALUES ($1, $2, $3, $4, $5) \
                 ON CONFLICT (agency_code, period) DO NOTHING",
            )
            .bind(Uuid::now_v7())
            .bind(r.agency.as_str())
            .bind(r.period.as_str())
            .bind(r.published_at.with_timezone(&Utc))
            .bind(Json(&r.body))
            .execute(&mut *tx)
            .await
            .map_err(map_err)?
            .rows_affected()
                > 0;
            if stored {
                write_audit!(&mut *tx, audit)?;
            }
            tx.commit().await.map_err(map_err)?;
            Ok(stored)
        })
    }

    async fn published_report(&self, agency: &AgencyCode, period: &str) -> StoreResult<Option<PublishedReport>> {
        let row: Option<(DateTime<Utc>, Json<serde_json::Value>)> = on_db!(&self.db, |p| sqlx::query_as(
            "SELECT published_at, body FROM published_report WHERE agency_code = $1 AND period = $2"
        )
        .bind(agency.as_str())
        .bind(period)
        .fetch_optional(p)
        .await
        .map_err(map_err))?;
        Ok(row.map(|(at, body)| PublishedReport {
            agency: agency.clone(),
            period: period.to_owned(),
            published_at: local(at),
            body: body.0,
        }))
    }

    async fn published_periods(
        &self,
        agency: &AgencyCode,
    ) -> StoreResult<Vec<(String, motcua_domain::calendar::deadline::Instant)>> {
        let rows: Vec<(String, DateTime<Utc>)> = on_db!(&self.db, |p| sqlx::query_as(
            "SELECT period, published_at FROM published_report WHERE agency_code = $1 ORDER BY period DESC"
        )
        .bind(agency.as_str())
        .fetch_all(p)
        .await
        .map_err(map_err))?;
        Ok(rows.into_iter().map(|(p, at)| (p, local(at))).collect())
    }
}
