//! Throttling of guessable things: passwords (per account and per client address) and the
//! public lookup of a dossier by its code and the last four digits of the phone (per code and per
//! address). Each limit is a token bucket per key: `burst` attempts at once, refilled at
//! `per_hour`. A refused attempt is told when to come back (`429` with `Retry-After`).
//!
//! Buckets live in this process's memory: several server processes each allow the limit (the
//! limits are per process; see docs/RELIABILITY.md). Full buckets are dropped when the map grows,
//! so a flood of distinct keys costs bounded memory.

use std::collections::HashMap;
use std::sync::Mutex;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::AppError;

/// One limit: `burst` attempts at once, then `per_hour` (spread evenly). `burst = 0` turns it off.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Rate {
    pub burst: u32,
    pub per_hour: u32,
}

/// The limits of the server (`[limits]` in the configuration).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Limits {
    /// Wrong passwords per account.
    pub login_failures_per_account: Rate,
    /// Login attempts (right or wrong) per client address.
    pub logins_per_address: Rate,
    /// Wrong phone digits per dossier code on the public lookup.
    pub lookup_failures_per_code: Rate,
    /// Lookups (found or not) per client address.
    pub lookups_per_address: Rate,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            // 5 at once, then one every 6 minutes: a few hundred guesses a day at most.
            login_failures_per_account: Rate { burst: 5, per_hour: 10 },
            // A counter PC behind one address logs several officers in at the start of a day.
            logins_per_address: Rate { burst: 30, per_hour: 300 },
            // 10,000 possible last-four digits: 5 at once then 6 an hour is years of guessing.
            lookup_failures_per_code: Rate { burst: 5, per_hour: 6 },
            lookups_per_address: Rate { burst: 20, per_hour: 600 },
        }
    }
}

#[derive(Debug, Clone, Copy)]
struct Bucket {
    tokens: f64,
    at: DateTime<Utc>,
}

/// Buckets beyond this make the map drop its full (idle) buckets.
const MAX_BUCKETS: usize = 50_000;

/// Token buckets per key for one [`Rate`].
pub(crate) struct Throttle {
    rate: Rate,
    buckets: Mutex<HashMap<String, Bucket>>,
}

impl Throttle {
    pub(crate) fn new(rate: Rate) -> Self {
        Self { rate, buckets: Mutex::new(HashMap::new()) }
    }

    fn refilled(&self, b: Bucket, now: DateTime<Utc>) -> Bucket {
        let secs = (now - b.at).num_milliseconds().max(0) as f64 / 1000.0;
        let tokens = (b.tokens + secs * f64::from(self.rate.per_hour) / 3600.0).min(f64::from(self.rate.burst));
        Bucket { tokens, at: now }
    }

    /// Seconds until one token is back.
    fn wait(&self, b: Bucket) -> u64 {
        if self.rate.per_hour == 0 {
            return 3600;
        }
        let missing = (1.0 - b.tokens).max(0.0);
        (missing * 3600.0 / f64::from(self.rate.per_hour)).ceil().max(1.0) as u64
    }

    /// Refuse if `key` has no attempt left, without spending one.
    pub(crate) fn check(&self, key: &str, now: DateTime<Utc>) -> Result<(), AppError> {
        if self.rate.burst == 0 {
            return Ok(());
        }
        let Ok(map) = self.buckets.lock() else { return Ok(()) };
        match map.get(key).map(|b| self.refilled(*b, now)) {
            Some(b) if b.tokens < 1.0 => Err(AppError::Throttled { retry_after_secs: self.wait(b) }),
            _ => Ok(()),
        }
    }

    /// Spend one attempt of `key`, or refuse when none is left.
    pub(crate) fn take(&self, key: &str, now: DateTime<Utc>) -> Result<(), AppError> {
        if self.rate.burst == 0 {
            return Ok(());
        }
        let Ok(mut map) = self.buckets.lock() else { return Ok(()) };
        if map.len() >= MAX_BUCKETS {
            let full = f64::from(self.rate.burst);
            map.retain(|_, b| self.refilled(*b, now).tokens < full);
        }
        let full = Bucket { tokens: f64::from(self.rate.burst), at: now };
        let b = map.get(key).map_or(full, |b| self.refilled(*b, now));
        if b.tokens < 1.0 {
            map.insert(key.to_owned(), b);
            return Err(AppError::Throttled { retry_after_secs: self.wait(b) });
        }
        map.insert(key.to_owned(), Bucket { tokens: b.tokens - 1.0, at: now });
        Ok(())
    }
}

/// The throttles of one application.
pub(crate) struct Throttles {
    pub(crate) login_failures: Throttle,
    pub(crate) logins: Throttle,
    pub(crate) lookup_failures: Throttle,
    pub(crate) lookups: Throttle,
}

impl Throttles {
    pub(crate) fn new(l: &Limits) -> Self {
        Self {
            login_failures: Throttle::new(l.login_failures_per_account),
            logins: Throttle::new(l.logins_per_address),
            lookup_failures: Throttle::new(l.lookup_failures_per_code),
            lookups: Throttle::new(l.lookups_per_address),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(secs: i64) -> DateTime<Utc> {
        DateTime::from_timestamp(1_800_000_000 + secs, 0).unwrap_or_default()
    }

    #[test]
    fn a_bucket_allows_its_burst_then_refills_at_its_rate() {
        let t = Throttle::new(Rate { burst: 3, per_hour: 60 });
        for _ in 0..3 {
            assert!(t.take("k", at(0)).is_ok());
        }
        let Err(AppError::Throttled { retry_after_secs }) = t.take("k", at(0)) else { panic!("fourth allowed") };
        assert_eq!(retry_after_secs, 60, "one a minute");
        assert!(t.check("k", at(30)).is_err());
        assert!(t.take("other", at(0)).is_ok(), "keys are apart");
        assert!(t.take("k", at(60)).is_ok(), "one token back after a minute");
        assert!(t.take("k", at(61)).is_err());
        assert!(t.check("k", at(600)).is_ok());
    }

    #[test]
    fn check_spends_nothing_and_zero_burst_is_off() {
        let t = Throttle::new(Rate { burst: 1, per_hour: 1 });
        for _ in 0..5 {
            assert!(t.check("k", at(0)).is_ok());
        }
        assert!(t.take("k", at(0)).is_ok());
        assert!(t.check("k", at(0)).is_err());
        let off = Throttle::new(Rate { burst: 0, per_hour: 0 });
        for _ in 0..100 {
            assert!(off.take("k", at(0)).is_ok());
        }
    }

    #[test]
    fn a_flood_of_keys_keeps_memory_bounded() {
        let t = Throttle::new(Rate { burst: 2, per_hour: 3600 });
        for i in 0..(MAX_BUCKETS + 10) {
            let _ = t.take(&format!("k{i}"), at(0));
        }
        // A while later every bucket is full again and the next insertion drops them.
        let _ = t.take("late", at(10));
        assert!(t.buckets.lock().map(|m| m.len()).unwrap_or(0) < 10);
    }
}
