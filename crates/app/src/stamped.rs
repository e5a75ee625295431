//! A value derived from the store and kept in memory until the store says it changed.
//!
//! The value is trusted for `refresh` after it was last checked; then the store is asked for a
//! cheap stamp, and the value is rebuilt only when the stamp moved. Changes made through this
//! process call [`Stamped::clear`] and are seen at once; changes made by another server process
//! are seen within `refresh`. Used for the catalog search index and the working calendar.

use std::future::Future;
use std::sync::Arc;
use std::time::{Duration, Instant};

use tokio::sync::RwLock;

use crate::AppResult;

struct Entry<S, T> {
    stamp: S,
    value: Arc<T>,
    checked: Instant,
}

pub(crate) struct Stamped<S, T> {
    state: RwLock<Option<Entry<S, T>>>,
}

impl<S, T> Default for Stamped<S, T> {
    fn default() -> Self {
        Self { state: RwLock::new(None) }
    }
}

impl<S: PartialEq, T> Stamped<S, T> {
    pub(crate) async fn get<FS, FB, SF, BF>(&self, refresh: Duration, stamp: FS, build: FB) -> AppResult<Arc<T>>
    where
        FS: FnOnce() -> SF,
        SF: Future<Output = AppResult<S>>,
        FB: FnOnce() -> BF,
        BF: Future<Output = AppResult<T>>,
    {
        if let Some(e) = self.state.read().await.as_ref()
            && e.checked.elapsed() < refresh
        {
            return Ok(e.value.clone());
        }
        let mut state = self.state.write().await;
        // Another request may have refreshed it while this one waited for the lock.
        if let Some(e) = state.as_ref()
            && e.checked.elapsed() < refresh
        {
            return Ok(e.value.clone());
        }
        let stamp = stamp().await?;
        if let Some(e) = state.as_mut()
            && e.stamp == stamp
        {
            e.checked = Instant::now();
            return Ok(e.value.clone());
        }
        let value = Arc::new(build().await?);
        *state = Some(Entry { stamp, value: value.clone(), checked: Instant::now() });
        Ok(value)
    }

    pub(crate) async fn clear(&self) {
        *self.state.write().await = None;
    }
}
