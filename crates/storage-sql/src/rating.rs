//! The applicants' evaluations of dossiers: one per dossier, written with the dossier's facts and
//! the index's sums in one transaction.

use chrono::{DateTime, Utc};
use motcua_domain::dossier::DossierCode;
use motcua_domain::rating::{Rating, RatingChannel, Satisfaction};
use motcua_storage::{AuditEntry, RatingRepo, StoreError, StoreResult};
use uuid::Uuid;

use crate::audit::write_audit;
use crate::dossier::{fields, local};
use crate::index::{Stored, reshare};
use crate::{BeginWrite, SqlStore, map_err, on_db};

#[derive(sqlx::FromRow)]
struct RatingRow {
    channel: String,
    satisfaction: String,
    indicators: String,
    liked: Option<bool>,
    comment: Option<String>,
    at: DateTime<Utc>,
}

#[async_trait::async_trait]
impl RatingRepo for SqlStore {
    async fn add_rating(&self, rating: &Rating, audit: &AuditEntry) -> StoreResult<()> {
        let indicators = serde_json::to_string(&rating.indicators).map_err(|e| StoreError::Other(e.to_string()))?;
        let turn = self.write_turn().await;
        on_db!(turn.db, |p| {
            let mut tx = p.begin_write().await.map_err(map_err)?;
            let sql = concat!(
                "UPDATE dossier SET satisfaction = $2, disliked = (disliked OR $3) WHERE code = $1 RETURNING id, ",
                fields!()
            );
            let row: Option<Stored> = sqlx::query_as(sql)
                .bind(rating.dossier.as_str())
                .bind(rating.satisfaction.as_str())
                .bind(rating.is_unhappy())
                .fetch_optional(&mut *tx)
                .await
                .map_err(map_err)?;
            let Some(Stored { id, row }) = row else {
                return Err(StoreError::NotFound(format!("dossier {}", rating.dossier)));
            };
            let record = reshare!(tx, id, row);
            sqlx::query(
                "INSERT INTO dossier_rating (id, dossier_id, agency_code, channel, satisfaction, indicators, liked, \
                 comment, at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
            )
            .bind(Uuid::now_v7())
            .bind(id)
            .bind(record.agency.as_str())
            .bind(rating.channel.as_str())
            .bind(rating.satisfaction.as_str())
            .bind(indicators.as_str())
            .bind(rating.liked)
            .bind(rating.comment.as_deref())
            .bind(rating.at.with_timezone(&Utc))
            .execute(&mut *tx)
            .await
            .map_err(map_err)?;
            write_audit!(&mut *tx, audit)?;
            tx.commit().await.map_err(map_err)?;
            Ok(())
        })
    }

    async fn rating(&self, code: &DossierCode) -> StoreResult<Option<Rating>> {
        const SQL: &str = "SELECT r.channel, r.satisfaction, r.indicators, r.liked, r.comment, r.at \
            FROM dossier_rating r JOIN dossier d ON d.id = r.dossier_id WHERE d.code = $1";
        let row: Option<RatingRow> =
            on_db!(&self.db, |p| sqlx::query_as(SQL).bind(code.as_str()).fetch_optional(p).await.map_err(map_err))?;
        row.map(|r| {
            let bad = |what: &str| StoreError::Other(format!("stored rating {what} is unreadable"));
            Ok(Rating {
                dossier: code.clone(),
                channel: RatingChannel::parse(&r.channel).ok_or_else(|| bad("channel"))?,
                satisfaction: Satisfaction::parse(&r.satisfaction).ok_or_else(|| bad("satisfaction"))?,
                indicators: serde_json::from_str(&r.indicators).map_err(|_| bad("indicators"))?,
                liked: r.liked,
                comment: r.comment,
                at: local(r.at),
            })
        })
        .transpose()
    }
}
