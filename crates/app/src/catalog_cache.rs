//! The catalog search index, kept in memory and rebuilt when the catalog stamp moves
//! (see `stamped`).

use std::sync::Arc;

use motcua_domain::procedure::search::CatalogIndex;
use motcua_storage::CatalogRepo;

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

    /// Forget the index after a change made through this process.
    pub(crate) async fn catalog_changed(&self) {
        self.caches.catalog.clear().await;
    }
}
