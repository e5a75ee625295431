//! The catalog search index, kept in memory and rebuilt when the catalog changes.
//!
//! The store stays the source of truth. A search uses the index if it was checked less than
//! `AppConfig::catalog_refresh` ago; otherwise it asks the store for the catalog stamp (one cheap
//! query) and rebuilds only when the stamp moved, so changes made by another server process are
//! seen within that delay. Changes made through this process drop the index at once.

use std::sync::Arc;
use std::time::Instant;

use motcua_domain::procedure::search::CatalogIndex;
use motcua_storage::CatalogRepo;
use tokio::sync::RwLock;

use crate::{App, AppResult};

struct Cached {
    stamp: i64,
    index: Arc<CatalogIndex>,
    checked: Instant,
}

#[derive(Default)]
pub(crate) struct CatalogCache {
    state: RwLock<Option<Cached>>,
}

impl App {
    /// The current search index.
    pub(crate) async fn catalog_index(&self) -> AppResult<Arc<CatalogIndex>> {
        let refresh = self.config.catalog_refresh;
        if let Some(c) = self.catalog.state.read().await.as_ref()
            && c.checked.elapsed() < refresh
        {
            return Ok(c.index.clone());
        }
        let mut state = self.catalog.state.write().await;
        // Another request may have refreshed it while this one waited for the lock.
        if let Some(c) = state.as_ref()
            && c.checked.elapsed() < refresh
        {
            return Ok(c.index.clone());
        }
        let stamp = self.store.catalog_stamp().await?;
        if let Some(c) = state.as_mut()
            && c.stamp == stamp
        {
            c.checked = Instant::now();
            return Ok(c.index.clone());
        }
        let index = Arc::new(CatalogIndex::new(self.store.catalog_entries().await?));
        tracing::debug!(entries = index.len(), stamp, "catalog index rebuilt");
        *state = Some(Cached { stamp, index: index.clone(), checked: Instant::now() });
        Ok(index)
    }

    /// Forget the index after a change made through this process.
    pub(crate) async fn catalog_changed(&self) {
        *self.catalog.state.write().await = None;
    }
}
