//! Impact assessments.

use chrono::{DateTime, NaiveDate, Utc};
use motcua_domain::file::AttachedFile;
use motcua_domain::ids::{AgencyCode, ProcedureCode};
use motcua_domain::plan::assessment::{Conclusion, ImpactAssessment};
use motcua_storage::{AssessmentRepo, AuditEntry, StoreError, StoreResult};
use uuid::Uuid;

use crate::audit::write_audit;
use crate::rows::bad;
use crate::{BeginWrite, SqlStore, map_err, on_db};

#[async_trait::async_trait]
impl AssessmentRepo for SqlStore {
    async fn put_impact_assessment(&self, a: &ImpactAssessment, audit: &AuditEntry) -> StoreResult<()> {
        let turn = self.write_turn().await;
        let d = a.document.as_ref();
        let size = d.map(|d| i64::try_from(d.size)).transpose().map_err(|e| StoreError::Other(e.to_string()))?;
        let cost = a.cost_year_vnd.map(i64::try_from).transpose().map_err(|e| StoreError::Other(e.to_string()))?;
        on_db!(turn.db, |p| {
            let mut tx = p.begin_write().await.map_err(map_err)?;
            sqlx::query(
                "INSERT INTO procedure_assessment (id, agency_code, procedure_code, version_number, assessed_on, necessity, \
                 reasonableness, legality, cost_year_vnd, conclusion, opinion, file_name, content_type, file_size, sha256, \
                 storage_key, updated_at, updated_by) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18) \
                 ON CONFLICT (procedure_code, version_number) DO UPDATE SET agency_code = excluded.agency_code, \
                 assessed_on = excluded.assessed_on, necessity = excluded.necessity, \
                 reasonableness = excluded.reasonableness, legality = excluded.legality, \
                 cost_year_vnd = excluded.cost_year_vnd, conclusion = excluded.conclusion, opinion = excluded.opinion, \
                 file_name = excluded.file_name, content_type = excluded.content_type, file_size = excluded.file_size, \
                 sha256 = excluded.sha256, storage_key = excluded.storage_key, updated_at = excluded.updated_at, \
                 updated_by = excluded.updated_by",
            )
            .bind(Uuid::now_v7())
            .bind(a.agency.as_str())
            .bind(a.procedure.as_str())
            .bind(a.version as i32)
            .bind(a.assessed_on)
            .bind(a.necessity.as_str())
            .bind(a.reasonableness.as_str())
            .bind(a.legality.as_str())
            .bind(cost)
            .bind(a.conclusion.as_str())
            .bind(a.opinion.as_str())
            .bind(d.map(|d| d.file_name.as_str()))
            .bind(d.map(|d| d.content_type.as_str()))
            .bind(size)
            .bind(d.map(|d| d.sha256.as_str()))
            .bind(d.map(|d| d.storage_key.as_str()))
            .bind(a.updated_at)
            .bind(a.updated_by.as_str())
            .execute(&mut *tx)
            .await
            .map_err(map_err)?;
            write_audit!(&mut *tx, audit)?;
            tx.commit().await.map_err(map_err)
        })
    }

    async fn impact_assessments(&self) -> StoreResult<Vec<ImpactAssessment>> {
        #[derive(sqlx::FromRow)]
        struct Row {
            agency_code: String,
            procedure_code: String,
            version_number: i32,
            assessed_on: NaiveDate,
            necessity: String,
            reasonableness: String,
            legality: String,
            cost_year_vnd: Option<i64>,
            conclusion: String,
            opinion: String,
            file_name: Option<String>,
            content_type: Option<String>,
            file_size: Option<i64>,
            sha256: Option<String>,
            storage_key: Option<String>,
            updated_at: DateTime<Utc>,
            updated_by: String,
        }
        let rows: Vec<Row> = on_db!(&self.db, |p| sqlx::query_as(
            "SELECT agency_code, procedure_code, version_number, assessed_on, necessity, reasonableness, legality, \
             cost_year_vnd, conclusion, opinion, file_name, content_type, file_size, sha256, storage_key, updated_at, \
             updated_by FROM procedure_assessment ORDER BY procedure_code, version_number"
        )
        .fetch_all(p)
        .await
        .map_err(map_err))?;
        rows.into_iter()
            .map(|r| {
                let document = match (r.file_name, r.content_type, r.file_size, r.sha256, r.storage_key) {
                    (Some(file_name), Some(content_type), Some(size), Some(sha256), Some(storage_key)) => {
                        Some(AttachedFile {
                            file_name,
                            content_type,
                            size: u64::try_from(size).map_err(bad("file size"))?,
                            sha256,
                            storage_key,
                        })
                    }
                    _ => None,
                };
                Ok(ImpactAssessment {
                    procedure: ProcedureCode::parse(&r.procedure_code).map_err(bad("procedure code"))?,
                    version: u32::try_from(r.version_number).map_err(bad("version"))?,
                    agency: AgencyCode::parse(&r.agency_code).map_err(bad("agency"))?,
                    assessed_on: r.assessed_on,
                    necessity: r.necessity,
                    reasonableness: r.reasonableness,
                    legality: r.legality,
                    cost_year_vnd: r.cost_year_vnd.map(u64::try_from).transpose().map_err(bad("cost"))?,
                    conclusion: Conclusion::parse(&r.conclusion)
                        .ok_or_else(|| StoreError::Other(format!("conclusion {}", r.conclusion)))?,
                    opinion: r.opinion,
                    document,
                    updated_at: r.updated_at,
                    updated_by: r.updated_by,
                })
            })
            .collect()
    }
}
