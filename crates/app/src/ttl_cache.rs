//! Small read-through caches of store rows that many requests read and few change: the
//! sessions behind tokens and cookies, and agencies. An entry is trusted for `refresh` (the
//! `catalog_refresh` setting, one second by default); changes made through this process remove
//! what they change at once, changes made by another server process are seen within `refresh`.
//! The Decision 766 index reports are kept likewise, and also dropped by any write of this
//! process ([`TtlCache::get_unless_written`]).

use std::collections::HashMap;
use std::hash::Hash;
use std::time::{Duration, Instant};

use std::sync::Mutex;

use crate::AppResult;

/// Entries beyond this are dropped all at once (a burst of distinct keys must not grow memory).
const MAX_ENTRIES: usize = 10_000;

pub(crate) struct TtlCache<K, V> {
    /// Value, when it was loaded, the store's write generation before it was loaded.
    entries: Mutex<HashMap<K, (V, Instant, u64)>>,
    /// Entries beyond this are dropped all at once.
    max: usize,
}

impl<K, V> Default for TtlCache<K, V> {
    fn default() -> Self {
        Self::bounded(MAX_ENTRIES)
    }
}

impl<K, V> TtlCache<K, V> {
    /// A cache of at most `max` entries (for big values).
    pub(crate) fn bounded(max: usize) -> Self {
        Self { entries: Mutex::new(HashMap::new()), max }
    }
}

impl<K: Eq + Hash + Clone, V: Clone> TtlCache<K, V> {
    pub(crate) async fn get<F, Fut>(&self, key: &K, refresh: Duration, load: F) -> AppResult<V>
    where
        F: FnOnce() -> Fut,
        Fut: Future<Output = AppResult<V>>,
    {
        self.get_unless_written(key, refresh, 0, load).await
    }

    /// As [`TtlCache::get`], and a value loaded before the store's write generation moved to
    /// `generation` is loaded again (read the generation before calling: a write that ends
    /// while the value is being loaded leaves it marked old).
    pub(crate) async fn get_unless_written<F, Fut>(
        &self,
        key: &K,
        refresh: Duration,
        generation: u64,
        load: F,
    ) -> AppResult<V>
    where
        F: FnOnce() -> Fut,
        Fut: Future<Output = AppResult<V>>,
    {
        if let Ok(map) = self.entries.lock()
            && let Some((v, at, seen)) = map.get(key)
            && at.elapsed() < refresh
            && *seen == generation
        {
            return Ok(v.clone());
        }
        let v = load().await?;
        if !refresh.is_zero()
            && let Ok(mut map) = self.entries.lock()
        {
            if map.len() >= self.max {
                map.clear();
            }
            map.insert(key.clone(), (v.clone(), Instant::now(), generation));
        }
        Ok(v)
    }

    pub(crate) fn remove(&self, key: &K) {
        if let Ok(mut map) = self.entries.lock() {
            map.remove(key);
        }
    }

    pub(crate) fn clear(&self) {
        if let Ok(mut map) = self.entries.lock() {
            map.clear();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn entries_are_trusted_for_the_refresh_delay_only() {
        let c: TtlCache<u32, u32> = TtlCache::default();
        let calls = std::sync::atomic::AtomicU32::new(0);
        let load = || async { Ok(calls.fetch_add(1, std::sync::atomic::Ordering::SeqCst)) };
        let long = Duration::from_secs(60);
        assert_eq!(c.get(&1, long, load).await.ok(), Some(0));
        assert_eq!(c.get(&1, long, load).await.ok(), Some(0), "served from memory");
        c.remove(&1);
        assert_eq!(c.get(&1, long, load).await.ok(), Some(1), "removed: loaded again");
        assert_eq!(c.get(&1, Duration::ZERO, load).await.ok(), Some(2), "no refresh delay: always loaded");
        c.clear();
        assert_eq!(c.get(&1, long, load).await.ok(), Some(3));
    }

    #[tokio::test]
    async fn a_write_of_this_process_makes_a_kept_value_old() {
        let c: TtlCache<u32, u32> = TtlCache::default();
        let calls = std::sync::atomic::AtomicU32::new(0);
        let load = || async { Ok(calls.fetch_add(1, std::sync::atomic::Ordering::SeqCst)) };
        let long = Duration::from_secs(60);
        assert_eq!(c.get_unless_written(&1, long, 7, load).await.ok(), Some(0));
        assert_eq!(c.get_unless_written(&1, long, 7, load).await.ok(), Some(0), "no write since: from memory");
        assert_eq!(c.get_unless_written(&1, long, 8, load).await.ok(), Some(1), "a write since: loaded again");
        assert_eq!(c.get_unless_written(&1, long, 8, load).await.ok(), Some(1));
    }
}
