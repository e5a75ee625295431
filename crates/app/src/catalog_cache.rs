//! The catalog search index, the procedures read by code and the whole catalog, kept in memory
//! and dropped when the catalog stamp moves (see `stamped`).

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use motcua_domain::ids::ProcedureCode;
use motcua_domain::procedure::Procedure;
use motcua_domain::procedure::search::CatalogIndex;
use motcua_storage::StoredProcedure;

/// Procedures read by code since the catalog last changed (intake reads one per dossier).
#[derive(Default)]
pub(crate) struct ProcedureCache(Mutex<HashMap<ProcedureCode, Arc<StoredProcedure>>>);

use crate::{App, AppResult};

impl App {
    /// The current search index.
    pub(crate) async fn catalog_index(&self) -> AppResult<Arc<CatalogIndex>> {
        self.caches
            .catalog
            .get(
                self.config.catalog_refresh,
                || async { Ok(self.store.catalog_stamp().await?) },
                || async {
                    let index = CatalogIndex::new(self.store.catalog_entries().await?);
                    tracing::debug!(entries = index.len(), "catalog index rebuilt");
                    Ok(index)
                },
            )
            .await
    }

    /// Every procedure with all its versions (drafts included: not for the public as such),
    /// from memory while the catalog has not changed. The index report reads the whole
    /// catalog on every request; parsing its versions each time was most of that report's cost.
    pub(crate) async fn catalog_snapshot(&self) -> AppResult<Arc<Vec<Procedure>>> {
        self.caches
            .whole_catalog
            .get(
                self.config.catalog_refresh,
                || async { Ok(self.store.catalog_stamp().await?) },
                || async { Ok(self.store.export_procedures().await?) },
            )
            .await
    }

    /// A procedure with all its versions, from memory while the catalog has not changed.
    pub(crate) async fn stored_procedure(&self, code: &ProcedureCode) -> AppResult<Option<Arc<StoredProcedure>>> {
        let cache = self
            .caches
            .procedures
            .get(
                self.config.catalog_refresh,
                || async { Ok(self.store.catalog_stamp().await?) },
                || async { Ok(ProcedureCache::default()) },
            )
            .await?;
        if let Some(p) = cache.0.lock().unwrap_or_else(|e| e.into_inner()).get(code) {
            return Ok(Some(p.clone()));
        }
        let Some(p) = self.store.procedure(code).await? else { return Ok(None) };
        let p = Arc::new(p);
        cache.0.lock().unwrap_or_else(|e| e.into_inner()).insert(code.clone(), p.clone());
        Ok(Some(p))
    }

    /// The name a procedure had in its version `number` (a dossier's), read from memory.
    pub(crate) async fn version_name(&self, code: &ProcedureCode, number: u32) -> AppResult<String> {
        let p = self.stored_procedure(code).await?;
        p.as_ref()
            .and_then(|p| p.procedure.versions.iter().find(|v| v.number == number))
            .map(|v| v.content.name.clone())
            .ok_or_else(|| crate::AppError::NotFound(format!("phiên bản {number} của thủ tục {code}")))
    }

    /// The names of the procedures of `codes` (their latest version's), for lists that show
    /// dossiers; a code the catalog does not have is left out.
    pub async fn procedure_names(
        &self,
        codes: &[ProcedureCode],
    ) -> AppResult<std::collections::BTreeMap<ProcedureCode, String>> {
        let mut names = std::collections::BTreeMap::new();
        for code in codes {
            if names.contains_key(code) {
                continue;
            }
            if let Some(p) = self.stored_procedure(code).await?
                && let Some(v) = p.procedure.versions.iter().rev().find(|v| v.status.was_published())
            {
                names.insert(code.clone(), v.content.name.clone());
            }
        }
        Ok(names)
    }

    /// Forget the index and the procedures after a change made through this process.
    pub(crate) async fn catalog_changed(&self) {
        self.caches.catalog.clear().await;
        self.caches.procedures.clear().await;
        self.caches.whole_catalog.clear().await;
    }
}
