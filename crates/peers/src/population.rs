//! The national population database's lookup, as a reference server: `GET /cong-dan/{id}` with
//! the province's key (`Authorization: Bearer …`) answers the resident (`citizen_id`, `name`,
//! `birth_date`, `address`) or 404; a wrong key is 401. Faults for the next requests: slow
//! (3 s, beyond the 2 s the intake waits), HTTP 500.

use std::collections::{BTreeMap, VecDeque};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use serde_json::json;

/// A misbehaviour of the next request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fault {
    Slow,
    Http500,
}

#[derive(Default)]
struct Inner {
    residents: BTreeMap<String, serde_json::Value>,
    faults: VecDeque<Fault>,
    requests: u64,
}

#[derive(Clone)]
pub struct Registry {
    key: String,
    inner: Arc<Mutex<Inner>>,
}

impl Registry {
    pub fn new(key: &str) -> Self {
        Self { key: key.into(), inner: Arc::default() }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Inner> {
        self.inner.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// Register a resident.
    pub fn add(&self, citizen_id: &str, name: &str, birth_date: &str, address: &str) -> &Self {
        let r = json!({ "citizen_id": citizen_id, "name": name, "birth_date": birth_date, "address": address });
        self.lock().residents.insert(citizen_id.into(), r);
        self
    }

    pub fn inject(&self, faults: &[Fault]) {
        self.lock().faults.extend(faults.iter().copied());
    }

    pub fn requests(&self) -> u64 {
        self.lock().requests
    }

    pub fn router(&self) -> Router {
        Router::new().route("/cong-dan/{id}", get(resident)).with_state(self.clone())
    }
}

async fn resident(State(r): State<Registry>, headers: HeaderMap, Path(id): Path<String>) -> Response {
    let fault = {
        let mut i = r.lock();
        i.requests += 1;
        i.faults.pop_front()
    };
    match fault {
        Some(Fault::Slow) => tokio::time::sleep(Duration::from_secs(3)).await,
        Some(Fault::Http500) => return (StatusCode::INTERNAL_SERVER_ERROR, "lỗi hệ thống").into_response(),
        None => {}
    }
    let bearer =
        headers.get(header::AUTHORIZATION).and_then(|v| v.to_str().ok()).and_then(|v| v.strip_prefix("Bearer "));
    if bearer != Some(r.key.as_str()) {
        return (StatusCode::UNAUTHORIZED, Json(json!({ "error": "Khoá truy cập không hợp lệ" }))).into_response();
    }
    match r.lock().residents.get(&id) {
        Some(v) => Json(v.clone()).into_response(),
        None => (StatusCode::NOT_FOUND, Json(json!({ "error": "Không có công dân" }))).into_response(),
    }
}
