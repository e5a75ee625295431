//! Small read-through caches of store rows that many requests read and few change: the
//! sessions behind tokens and cookies, and agencies. An entry is trusted for `refresh` (the
//! `catalog_refresh` setting, one second by default); changes made through this process remove
//! what they change at once, changes made by another server process are seen within `refresh`.

use std::collections::HashMap;
use std::hash::Hash;
use std::time::{Duration, Instant};

use std::sync::Mutex;

use crate::AppResult;

/// Entries beyond this are dropped all at once (a burst of distinct keys must not grow memory).
const MAX_ENTRIES: usize = 10_000;

pub(crate) struct TtlCache<K, V> {
    entries: Mutex<HashMap<K, (V, Instant)>>,
}

impl<K, V> Default for TtlCache<K, V> {
    fn default() -> Self {
        Self { entries: Mutex::new(HashMap::new()) }
    }
}

impl<K: Eq + Hash + Clone, V: Clone> TtlCache<K, V> {
    pub(crate) async fn get<F, Fut>(&self, key: &K, refresh: Duration, load: F) -> AppResult<V>
    where
        F: FnOnce() -> Fut,
        Fut: Future<Output = AppResult<V>>,
    {
        if let Ok(map) = self.entries.lock()
            && let Some((v, at)) = map.get(key)
            && at.elapsed() < refresh
        {
            return Ok(v.clone());
        }
        let v = load().await?;
        if !refresh.is_zero()
            && let Ok(mut map) = self.entries.lock()
        {
            if map.len() >= MAX_ENTRIES {
                map.clear();
            }
            map.insert(key.clone(), (v.clone(), Instant::now()));
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
}
