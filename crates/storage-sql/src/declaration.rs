//! Declarations filed with dossiers (a column of `dossier`) and the citizens' drafts.

use chrono::{DateTime, Utc};
use motcua_domain::calendar::deadline::Instant;
use motcua_domain::dossier::DossierCode;
use motcua_domain::ids::ProcedureCode;
use motcua_domain::procedure::eform::{Answers, Draft, RawAnswers};
use motcua_storage::{DeclarationRepo, StoreError, StoreResult};
use sqlx::types::Json;
use uuid::Uuid;

use crate::dossier::local;
use crate::{SqlStore, from_json, map_err, on_db, to_json};

#[async_trait::async_trait]
impl DeclarationRepo for SqlStore {
    async fn declaration(&self, code: &DossierCode) -> StoreResult<Option<Answers>> {
        let row: Option<(Option<Json<serde_json::Value>>,)> =
            on_db!(&self.db, |p| sqlx::query_as("SELECT declaration FROM dossier WHERE code = $1")
                .bind(code.as_str())
                .fetch_optional(p)
                .await
                .map_err(map_err))?;
        let (value,) = row.ok_or_else(|| StoreError::NotFound(format!("dossier {code}")))?;
        value.map(|v| from_json(v.0, "declaration")).transpose()
    }

    async fn save_draft(
        &self,
        owner: Uuid,
        procedure: &ProcedureCode,
        answers: &RawAnswers,
        at: Instant,
    ) -> StoreResult<()> {
        let answers = to_json(answers)?;
        let turn = self.write_turn().await;
        on_db!(turn.db, |p| sqlx::query(
            "INSERT INTO eform_draft (owner_id, procedure_code, answers, saved_at) VALUES ($1, $2, $3, $4) \
             ON CONFLICT (owner_id, procedure_code) DO UPDATE SET answers = excluded.answers, \
             saved_at = excluded.saved_at"
        )
        .bind(owner)
        .bind(procedure.as_str())
        .bind(Json(&answers))
        .bind(at.with_timezone(&Utc))
        .execute(p)
        .await
        .map(|_| ())
        .map_err(map_err))
    }

    async fn draft(&self, owner: Uuid, procedure: &ProcedureCode) -> StoreResult<Option<Draft>> {
        let row: Option<(Json<serde_json::Value>, DateTime<Utc>)> = on_db!(&self.db, |p| sqlx::query_as(
            "SELECT answers, saved_at FROM eform_draft WHERE owner_id = $1 AND procedure_code = $2"
        )
        .bind(owner)
        .bind(procedure.as_str())
        .fetch_optional(p)
        .await
        .map_err(map_err))?;
        row.map(|(answers, at)| {
            Ok(Draft { procedure: procedure.clone(), answers: from_json(answers.0, "draft")?, saved_at: local(at) })
        })
        .transpose()
    }

    async fn discard_draft(&self, owner: Uuid, procedure: &ProcedureCode) -> StoreResult<bool> {
        let turn = self.write_turn().await;
        let n =
            on_db!(turn.db, |p| sqlx::query("DELETE FROM eform_draft WHERE owner_id = $1 AND procedure_code = $2")
                .bind(owner)
                .bind(procedure.as_str())
                .execute(p)
                .await
                .map(|r| r.rows_affected())
                .map_err(map_err))?;
        Ok(n > 0)
    }
}
