//! A payment gateway sandbox, speaking as the Vietnamese gateways do: the merchant sends the payer
//! to `GET /pay` with signed parameters (`merchant`, `order`, `amount`, `order_info`,
//! `return_url`, `notify_url`, `created_at`, `signature`); the payer pays or cancels on the
//! sandbox's page; the sandbox calls the merchant's `notify_url` server to server (the IPN, `GET`
//! with `order`, `amount`, `txn`, `response_code` — `00` paid, `24` cancelled — `paid_at`,
//! `signature`) and sends the payer back to `return_url` with the same parameters. `GET /report`
//! lists a day's transactions for the merchant's reconciliation.
//!
//! Signatures are HMAC-SHA512 over the parameters but `signature`, sorted by name, form-encoded
//! and joined by `&`, in hexadecimal — implemented here from that rule, apart from motcua's own
//! code, so that a mistake on either side shows.

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};

use axum::extract::{Form, Query, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use hmac::{Hmac, Mac};
use serde::Serialize;
use sha2::Sha512;

type Params = BTreeMap<String, String>;

/// A transaction of the sandbox.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Txn {
    pub order: String,
    pub amount_vnd: u64,
    pub txn: String,
    pub response_code: String,
    /// `yyyy-MM-dd` in Vietnam.
    pub day: String,
    /// The merchant's answer to the IPN (`code` of its JSON), if it answered.
    pub ipn_answer: Option<String>,
}

#[derive(Debug, Clone)]
struct Order {
    amount_vnd: u64,
    return_url: String,
    notify_url: String,
}

#[derive(Default)]
struct Inner {
    orders: BTreeMap<String, Order>,
    txns: Vec<Txn>,
}

/// The sandbox: one merchant and its secret.
#[derive(Clone)]
pub struct Gateway {
    merchant: String,
    secret: String,
    inner: Arc<Mutex<Inner>>,
    client: reqwest::Client,
}

fn canonical(p: &Params) -> String {
    let mut s = form_urlencoded::Serializer::new(String::new());
    for (k, v) in p.iter().filter(|(k, _)| k.as_str() != "signature") {
        s.append_pair(k, v);
    }
    s.finish()
}

impl Gateway {
    pub fn new(merchant: &str, secret: &str) -> Self {
        Self {
            merchant: merchant.into(),
            secret: secret.into(),
            inner: Arc::default(),
            client: reqwest::Client::builder()
                .timeout(std::time::Duration::from_secs(10))
                .build()
                .unwrap_or_else(|_| reqwest::Client::new()),
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Inner> {
        self.inner.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// The hexadecimal signature of `p`.
    pub fn sign(&self, p: &Params) -> String {
        let Ok(mut mac) = Hmac::<Sha512>::new_from_slice(self.secret.as_bytes()) else { return String::new() };
        mac.update(canonical(p).as_bytes());
        mac.finalize().into_bytes().iter().map(|b| format!("{b:02x}")).collect()
    }

    fn signed(&self, mut p: Params) -> Params {
        let s = self.sign(&p);
        p.insert("signature".into(), s);
        p
    }

    fn verify(&self, p: &Params) -> bool {
        p.get("signature").is_some_and(|s| *s == self.sign(p))
    }

    pub fn transactions(&self) -> Vec<Txn> {
        self.lock().txns.clone()
    }

    /// `/pay`, `/pay/confirm`, `/pay/cancel`, `/report`.
    pub fn router(&self) -> Router {
        Router::new()
            .route("/pay", get(pay_page))
            .route("/pay/confirm", post(confirm))
            .route("/pay/cancel", post(cancel))
            .route("/report", get(report))
            .with_state(self.clone())
    }

    /// Take an order the merchant signed (what the payer's browser brings to `/pay`).
    pub fn take_order(&self, p: &Params) -> Result<(), String> {
        if !self.verify(p) {
            return Err("Chữ ký không hợp lệ".into());
        }
        if p.get("merchant") != Some(&self.merchant) {
            return Err("Mã đơn vị không đúng".into());
        }
        let get = |k: &str| p.get(k).cloned().filter(|v| !v.is_empty()).ok_or(format!("Thiếu {k}"));
        let amount_vnd = get("amount")?.parse().map_err(|_| "Số tiền không hợp lệ".to_owned())?;
        get("order_info")?;
        let order = Order { amount_vnd, return_url: get("return_url")?, notify_url: get("notify_url")? };
        let id = get("order")?;
        let mut inner = self.lock();
        if inner.txns.iter().any(|t| t.order == id && t.response_code == "00") {
            return Err("Đơn hàng đã được thanh toán".into());
        }
        inner.orders.insert(id, order);
        Ok(())
    }

    /// The payer pays (`00`) or cancels (`24`) order `id`: the IPN is sent, and the address to
    /// send the payer back to is returned.
    pub async fn settle(&self, id: &str, response_code: &str) -> Result<String, String> {
        let order = self.lock().orders.get(id).cloned().ok_or("Không có đơn hàng")?;
        let vietnam = chrono::FixedOffset::east_opt(7 * 3600).ok_or("múi giờ")?;
        let now = chrono::Utc::now().with_timezone(&vietnam);
        let txn = format!("SBX{}", uuid::Uuid::new_v4().simple().to_string()[..12].to_uppercase());
        let params = self.signed(
            [
                ("order", id.to_owned()),
                ("amount", order.amount_vnd.to_string()),
                ("txn", txn.clone()),
                ("response_code", response_code.to_owned()),
                ("paid_at", now.format("%Y%m%d%H%M%S").to_string()),
            ]
            .into_iter()
            .map(|(k, v)| (k.to_owned(), v))
            .collect(),
        );
        let ipn_answer = self.notify(&order.notify_url, &params).await;
        self.lock().txns.push(Txn {
            order: id.to_owned(),
            amount_vnd: order.amount_vnd,
            txn,
            response_code: response_code.into(),
            day: now.format("%Y-%m-%d").to_string(),
            ipn_answer,
        });
        let query = form_urlencoded::Serializer::new(String::new()).extend_pairs(params.iter()).finish();
        let sep = if order.return_url.contains('?') { '&' } else { '?' };
        Ok(format!("{}{sep}{query}", order.return_url))
    }

    /// Send the IPN; the merchant's answer code.
    async fn notify(&self, url: &str, params: &Params) -> Option<String> {
        let query = form_urlencoded::Serializer::new(String::new()).extend_pairs(params.iter()).finish();
        let sep = if url.contains('?') { '&' } else { '?' };
        let resp = self.client.get(format!("{url}{sep}{query}")).send().await.ok()?;
        let body: serde_json::Value = resp.json().await.ok()?;
        body.get("code").and_then(|c| c.as_str()).map(str::to_owned)
    }

    /// Send the IPN of a settled transaction again (as gateways do until they get `00`).
    pub async fn renotify(&self, order: &str) -> Option<String> {
        let (t, url) = {
            let inner = self.lock();
            let t = inner.txns.iter().rev().find(|t| t.order == order)?.clone();
            (t, inner.orders.get(order)?.notify_url.clone())
        };
        let params = self.signed(
            [
                ("order", t.order),
                ("amount", t.amount_vnd.to_string()),
                ("txn", t.txn),
                ("response_code", t.response_code),
                ("paid_at", "20000101000000".into()),
            ]
            .into_iter()
            .map(|(k, v)| (k.to_owned(), v))
            .collect(),
        );
        self.notify(&url, &params).await
    }
}

fn page(title: &str, body: &str) -> Html<String> {
    Html(format!(
        "<!doctype html><html lang=\"vi\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width\">\
         <title>{title}</title><style>body{{font-family:sans-serif;max-width:32rem;margin:2rem auto;padding:0 1rem}}\
         button{{font-size:1rem;padding:.6rem 1.2rem;margin:.3rem}}</style></head><body>\
         <p><strong>CỔNG THANH TOÁN THỬ NGHIỆM</strong> — không thu tiền thật</p>{body}</body></html>"
    ))
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

async fn pay_page(State(g): State<Gateway>, Query(p): Query<Params>) -> Response {
    if let Err(e) = g.take_order(&p) {
        return (
            StatusCode::BAD_REQUEST,
            page("Không thanh toán được", &format!("<h1>Không thanh toán được</h1><p>{}</p>", escape(&e))),
        )
            .into_response();
    }
    let order = escape(p.get("order").map(String::as_str).unwrap_or_default());
    let info = escape(p.get("order_info").map(String::as_str).unwrap_or_default());
    let amount = escape(p.get("amount").map(String::as_str).unwrap_or_default());
    page(
        "Thanh toán",
        &format!(
            "<h1>Thanh toán</h1><p>{info}</p><p>Số tiền: <strong>{amount} đồng</strong></p>\
             <form method=\"post\" action=\"pay/confirm\"><input type=\"hidden\" name=\"order\" value=\"{order}\"><button>Xác nhận thanh toán</button></form>\
             <form method=\"post\" action=\"pay/cancel\"><input type=\"hidden\" name=\"order\" value=\"{order}\"><button>Huỷ giao dịch</button></form>"
        ),
    )
    .into_response()
}

#[derive(serde::Deserialize)]
struct OrderForm {
    order: String,
}

async fn finish(g: Gateway, order: &str, code: &str) -> Response {
    match g.settle(order, code).await {
        Ok(back) => Redirect::to(&back).into_response(),
        Err(e) => (StatusCode::BAD_REQUEST, page("Lỗi", &format!("<p>{}</p>", escape(&e)))).into_response(),
    }
}

async fn confirm(State(g): State<Gateway>, Form(f): Form<OrderForm>) -> Response {
    finish(g, &f.order, "00").await
}

async fn cancel(State(g): State<Gateway>, Form(f): Form<OrderForm>) -> Response {
    finish(g, &f.order, "24").await
}

/// `GET /report?merchant=…&date=yyyy-MM-dd&signature=…`: the day's transactions.
async fn report(State(g): State<Gateway>, Query(p): Query<Params>) -> Response {
    if !g.verify(&p) || p.get("merchant") != Some(&g.merchant) {
        return (StatusCode::FORBIDDEN, Json(serde_json::json!({ "error": "Chữ ký không hợp lệ" }))).into_response();
    }
    let day = p.get("date").cloned().unwrap_or_default();
    let lines: Vec<serde_json::Value> = g
        .transactions()
        .into_iter()
        .filter(|t| t.day == day)
        .map(|t| serde_json::json!({ "order": t.order, "amount_vnd": t.amount_vnd, "txn": t.txn, "response_code": t.response_code }))
        .collect();
    Json(lines).into_response()
}
