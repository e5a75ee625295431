//! Which stored files rows refer to: the sweep of orphan objects asks this for the keys it lists.

use std::collections::HashSet;

use motcua_storage::{FileKeyRepo, StoreResult};

use crate::{SqlStore, map_err, on_db};

/// Keys asked per statement (well under both backends' limits on bound values).
const CHUNK: usize = 300;

#[async_trait::async_trait]
impl FileKeyRepo for SqlStore {
    async fn file_keys_in_use(&self, keys: &[String]) -> StoreResult<HashSet<String>> {
        let mut used = HashSet::new();
        for chunk in keys.chunks(CHUNK) {
            let list = (1..=chunk.len()).map(|i| format!("${i}")).collect::<Vec<_>>().join(", ");
            let sql = format!(
                "SELECT storage_key FROM dossier_document WHERE storage_key IN ({list}) \
                 UNION SELECT storage_key FROM plan_report_file WHERE storage_key IN ({list}) \
                 UNION SELECT storage_key FROM procedure_assessment WHERE storage_key IN ({list}) \
                 UNION SELECT storage_key FROM vault_item WHERE storage_key IN ({list})"
            );
            let found: Vec<(String,)> = on_db!(&self.db, |p| {
                let mut q = sqlx::query_as(sqlx::AssertSqlSafe(sql.clone()));
                for k in chunk {
                    q = q.bind(k);
                }
                q.fetch_all(p).await.map_err(map_err)
            })?;
            used.extend(found.into_iter().map(|(k,)| k));
        }
        Ok(used)
    }
}
