//! The National Public Service Portal's dossier sync, as a reference server (docs/RULES.md
//! §D12.2–12.3): `POST /auth` opens a session for the configured credentials; `POST
//! /DongBoHoSoMC` takes `{session, service, isUpdating, data: [...]}` and checks each dossier:
//! the required fields, the formats of codes and dates (`yyyyMMddHHmmss`), the national status
//! codes and their order (no status after a final one, nothing but 10 after 9, never back to
//! 1), new versus known dossiers. Answers are the portal's: `{error_code: 0, message}` when taken,
//! another code with a Vietnamese message when refused. `GET /ho-so` lists what it holds.
//!
//! Faults can be queued (`POST /_faults` or [`Portal::inject`]) for the next requests: an HTTP
//! 500, a garbage answer, an expired session, a slow answer — how the real one misbehaves.

use std::collections::{BTreeMap, HashSet, VecDeque};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

/// Error codes of the answers.
pub mod codes {
    pub const OK: i64 = 0;
    pub const BAD_CREDENTIALS: i64 = 1;
    pub const INVALID: i64 = 2;
    pub const EXISTS: i64 = 3;
    pub const UNKNOWN: i64 = 4;
    pub const STATUS_ORDER: i64 = 5;
    pub const SESSION: i64 = 401;
}

/// A misbehaviour of the next request.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Fault {
    /// HTTP 500 with an HTML page.
    Http500,
    /// HTTP 200 with a body that is not JSON.
    Garbage,
    /// The session is forgotten (every open session: the portal restarted).
    ExpireSessions,
    /// The answer comes after 3 seconds.
    Slow,
    /// The next sync is refused as invalid (`error_code` 2), whatever it holds.
    Refuse,
}

/// One status of a dossier as the portal took it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Taken {
    pub status: u8,
    pub is_updating: bool,
    /// The whole record as received.
    pub record: Value,
}

#[derive(Default)]
struct Inner {
    sessions: HashSet<String>,
    dossiers: BTreeMap<String, Vec<Taken>>,
    faults: VecDeque<Fault>,
    /// Requests answered (faults included), and refusals.
    requests: u64,
    refused: Vec<(String, i64, String)>,
}

/// The reference portal: credentials and what it holds.
#[derive(Clone)]
pub struct Portal {
    username: String,
    password: String,
    inner: Arc<Mutex<Inner>>,
}

impl Portal {
    pub fn new(username: &str, password: &str) -> Self {
        Self { username: username.into(), password: password.into(), inner: Arc::default() }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Inner> {
        self.inner.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// Misbehave on the next requests, in order.
    pub fn inject(&self, faults: &[Fault]) {
        self.lock().faults.extend(faults.iter().copied());
    }

    /// The statuses each dossier was given, in the order taken.
    pub fn dossiers(&self) -> BTreeMap<String, Vec<Taken>> {
        self.lock().dossiers.clone()
    }

    /// The refused requests: dossier code (or `-`), error code, message.
    pub fn refused(&self) -> Vec<(String, i64, String)> {
        self.lock().refused.clone()
    }

    pub fn requests(&self) -> u64 {
        self.lock().requests
    }

    /// `/auth`, `/DongBoHoSoMC`, `/ho-so`, `/_faults`.
    pub fn router(&self) -> Router {
        Router::new()
            .route("/auth", post(auth))
            .route("/DongBoHoSoMC", post(sync))
            .route("/ho-so", get(list))
            .route("/_faults", post(faults))
            .with_state(self.clone())
    }

    /// The next fault, if any, as the answer to give instead.
    async fn fault(&self) -> Option<Response> {
        let f = {
            let mut i = self.lock();
            i.requests += 1;
            i.faults.pop_front()
        };
        match f? {
            Fault::Http500 => Some(
                (StatusCode::INTERNAL_SERVER_ERROR, "<html><body>500 Internal Server Error</body></html>")
                    .into_response(),
            ),
            Fault::Garbage => Some((StatusCode::OK, "\u{0}\u{1}<<not json>>").into_response()),
            Fault::ExpireSessions => {
                self.lock().sessions.clear();
                None
            }
            Fault::Slow => {
                tokio::time::sleep(Duration::from_secs(3)).await;
                None
            }
            Fault::Refuse => Some(answer(codes::INVALID, "Dữ liệu không hợp lệ (lỗi giả lập của Cổng thử nghiệm)")),
        }
    }
}

fn answer(code: i64, message: &str) -> Response {
    Json(json!({ "error_code": code, "message": message })).into_response()
}

#[derive(Deserialize)]
struct Credentials {
    username: String,
    password: String,
}

async fn auth(State(p): State<Portal>, body: Option<Json<Credentials>>) -> Response {
    if let Some(r) = p.fault().await {
        return r;
    }
    match body {
        Some(Json(c)) if c.username == p.username && c.password == p.password => {
            let session = uuid::Uuid::new_v4().simple().to_string();
            p.lock().sessions.insert(session.clone());
            Json(json!({ "error_code": codes::OK, "session": session })).into_response()
        }
        _ => answer(codes::BAD_CREDENTIALS, "Sai tên đăng nhập hoặc mật khẩu"),
    }
}

async fn faults(State(p): State<Portal>, Json(list): Json<Vec<Fault>>) -> Response {
    p.inject(&list);
    answer(codes::OK, "Đã đặt lỗi cho các yêu cầu tiếp theo")
}

async fn list(State(p): State<Portal>) -> Json<BTreeMap<String, Vec<Taken>>> {
    Json(p.dossiers())
}

async fn sync(State(p): State<Portal>, body: Option<Json<Value>>) -> Response {
    if let Some(r) = p.fault().await {
        return r;
    }
    let Some(Json(body)) = body else { return answer(codes::INVALID, "Nội dung không phải JSON") };
    let session = body.get("session").and_then(Value::as_str).unwrap_or_default();
    if !p.lock().sessions.contains(session) {
        return answer(codes::SESSION, "Phiên làm việc không hợp lệ hoặc đã hết hạn");
    }
    let mut inner = p.lock();
    match check(&body, &inner.dossiers) {
        Ok(taken) => {
            for (code, t) in taken {
                inner.dossiers.entry(code).or_default().push(t);
            }
            drop(inner);
            answer(codes::OK, "Đồng bộ thành công")
        }
        Err((code, error, message)) => {
            inner.refused.push((code, error, message.clone()));
            drop(inner);
            answer(error, &message)
        }
    }
}

type Refusal = (String, i64, String);

fn invalid(code: &str, message: String) -> Refusal {
    (code.to_owned(), codes::INVALID, message)
}

/// Check a sync request against what the portal holds: what to take, or the refusal.
pub fn check(body: &Value, held: &BTreeMap<String, Vec<Taken>>) -> Result<Vec<(String, Taken)>, Refusal> {
    if body.get("service").and_then(Value::as_str) != Some("DongBoHoSoMC") {
        return Err(invalid("-", "Trường service phải là DongBoHoSoMC".into()));
    }
    let Some(is_updating) = body.get("isUpdating").and_then(Value::as_bool) else {
        return Err(invalid("-", "Thiếu trường isUpdating".into()));
    };
    let records = match body.get("data").and_then(Value::as_array) {
        Some(d) if !d.is_empty() => d,
        _ => return Err(invalid("-", "Thiếu danh sách hồ sơ (data)".into())),
    };
    let mut out = Vec::new();
    for r in records {
        let code = check_record(r)?;
        let status = r.get("TrangThaiHoSo").and_then(Value::as_u64).unwrap_or_default() as u8;
        let last = held.get(&code).and_then(|v| v.last()).map(|t| t.status);
        match (is_updating, last) {
            (false, Some(_)) => {
                return Err((code, codes::EXISTS, "Hồ sơ đã có trên Cổng; gửi isUpdating = true".into()));
            }
            (true, None) => return Err((code, codes::UNKNOWN, "Hồ sơ chưa có trên Cổng".into())),
            (true, Some(prev)) => check_order(&code, prev, status)?,
            (false, None) => {}
        }
        out.push((code, Taken { status, is_updating, record: r.clone() }));
    }
    Ok(out)
}

/// The order of national statuses: nothing after a final one (3 not accepted, 7 withdrawn,
/// 8 stopped, 10 returned), only 10 after 9, never back to 1.
fn check_order(code: &str, prev: u8, next: u8) -> Result<(), Refusal> {
    let ok = match prev {
        3 | 7 | 8 | 10 => next == prev,
        9 => matches!(next, 9 | 10),
        _ => next != 1 || prev == 1,
    };
    match ok {
        true => Ok(()),
        false => {
            Err((code.to_owned(), codes::STATUS_ORDER, format!("Trạng thái {next} không được sau trạng thái {prev}")))
        }
    }
}

fn text<'a>(r: &'a Value, field: &str, code: &str) -> Result<&'a str, Refusal> {
    match r.get(field).and_then(Value::as_str).map(str::trim) {
        Some(s) if !s.is_empty() => Ok(s),
        _ => Err(invalid(code, format!("Thiếu trường {field}"))),
    }
}

fn number(r: &Value, field: &str, code: &str, allowed: std::ops::RangeInclusive<u64>) -> Result<u64, Refusal> {
    match r.get(field).and_then(Value::as_u64) {
        Some(n) if allowed.contains(&n) => Ok(n),
        Some(n) => Err(invalid(code, format!("{field} = {n} không thuộc {}–{}", allowed.start(), allowed.end()))),
        None => Err(invalid(code, format!("Thiếu trường {field}"))),
    }
}

fn date(r: &Value, field: &str, code: &str, required: bool) -> Result<(), Refusal> {
    match r.get(field) {
        None | Some(Value::Null) if !required => Ok(()),
        _ => {
            let s = text(r, field, code)?;
            match s.len() == 14 && chrono::NaiveDateTime::parse_from_str(s, "%Y%m%d%H%M%S").is_ok() {
                true => Ok(()),
                false => Err(invalid(code, format!("{field} «{s}» không đúng định dạng yyyyMMddHHmmss"))),
            }
        }
    }
}

/// One dossier's fields: its code when they are right.
fn check_record(r: &Value) -> Result<String, Refusal> {
    let code = text(r, "MaHoSo", "-")?.to_owned();
    if code.len() > 50 || !code.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '.') {
        return Err(invalid(&code, "MaHoSo chỉ gồm chữ, số, dấu chấm và gạch ngang (tối đa 50)".into()));
    }
    let tthc = text(r, "MaTTHC", &code)?;
    let national = tthc.split_once('.').is_some_and(|(head, tail)| {
        head.len() == 1
            && head.chars().all(|c| c.is_ascii_digit())
            && tail.chars().take(6).filter(char::is_ascii_digit).count() == 6
    });
    if !national {
        return Err(invalid(&code, format!("MaTTHC «{tthc}» không phải mã thủ tục quốc gia (d.dddddd)")));
    }
    for field in ["TenTTHC", "ChuHoSo", "TrichYeuHoSo", "DonViXuLy"] {
        text(r, field, &code)?;
    }
    let kind = number(r, "LoaiDoiTuong", &code, 1..=2)?;
    let id = text(r, "MaDoiTuong", &code)?;
    let id_ok = match kind {
        1 => id.len() == 12 && id.chars().all(|c| c.is_ascii_digit()),
        _ => matches!(id.len(), 10 | 14) && id.chars().all(|c| c.is_ascii_digit() || c == '-'),
    };
    if !id_ok {
        return Err(invalid(&code, format!("MaDoiTuong «{id}» không đúng số định danh hoặc mã số thuế")));
    }
    number(r, "TrangThaiHoSo", &code, 1..=10)?;
    number(r, "KenhThucHien", &code, 1..=3)?;
    number(r, "DuocThanhToanTrucTuyen", &code, 0..=2)?;
    date(r, "NgayTiepNhan", &code, true)?;
    for field in ["NgayHenTra", "NgayTra", "NgayKetThucXuLy"] {
        date(r, field, &code, false)?;
    }
    Ok(code)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(status: u8) -> Value {
        json!({"MaHoSo": "H24.02-261127-0001", "MaTTHC": "2.000908", "TenTTHC": "Chứng thực", "ChuHoSo": "Vũ Minh Anh",
            "TrichYeuHoSo": "x", "DonViXuLy": "H24.11", "LoaiDoiTuong": 1, "MaDoiTuong": "031095001234",
            "TrangThaiHoSo": status, "KenhThucHien": 1, "DuocThanhToanTrucTuyen": 0, "NgayTiepNhan": "20261127100000"})
    }

    fn req(is_updating: bool, r: Value) -> Value {
        json!({"service": "DongBoHoSoMC", "isUpdating": is_updating, "data": [r]})
    }

    #[test]
    fn a_dossier_is_taken_then_updated_in_order() {
        let mut held = BTreeMap::new();
        for (upd, status) in [(false, 2), (true, 4), (true, 9), (true, 10)] {
            let taken = check(&req(upd, record(status)), &held).unwrap_or_else(|e| panic!("{e:?}"));
            for (c, t) in taken {
                held.entry(c).or_insert_with(Vec::new).push(t);
            }
        }
        assert_eq!(held["H24.02-261127-0001"].iter().map(|t| t.status).collect::<Vec<_>>(), vec![2, 4, 9, 10]);
        let again = check(&req(true, record(4)), &held).unwrap_err();
        assert_eq!(again.1, codes::STATUS_ORDER);
        assert_eq!(check(&req(false, record(2)), &held).unwrap_err().1, codes::EXISTS);
    }

    #[test]
    fn fields_codes_and_dates_are_checked() {
        let held = BTreeMap::new();
        assert_eq!(check(&req(true, record(4)), &held).unwrap_err().1, codes::UNKNOWN);
        let broken = |field: &str, v: Value| {
            let mut r = record(2);
            r[field] = v;
            check(&req(false, r), &held).unwrap_err()
        };
        assert!(broken("MaTTHC", json!("ABC")).2.contains("MaTTHC"));
        assert!(broken("NgayTiepNhan", json!("27/11/2026")).2.contains("yyyyMMddHHmmss"));
        assert!(broken("TrangThaiHoSo", json!(11)).2.contains("TrangThaiHoSo"));
        assert!(broken("MaDoiTuong", json!("123")).2.contains("MaDoiTuong"));
        assert!(broken("ChuHoSo", json!(" ")).2.contains("ChuHoSo"));
        assert_eq!(check(&json!({"service": "X"}), &held).unwrap_err().1, codes::INVALID);
    }
}
