//! Issue 16, item 1: a dossier's fees paid through the sandbox gateway end to end over HTTP —
//! the signed redirect, the payer's confirmation, the gateway's callback to the server (the
//! dossier paid online in the same transaction), the receipt, the daily reconciliation with the
//! gateway's report; forged, replayed, wrong-amount and unknown callbacks change nothing.
#![allow(clippy::unwrap_used)]

use std::collections::BTreeMap;
use std::sync::Arc;

use motcua_app::dossier_commands::CommandRequest;
use motcua_app::payment::Gateway as GatewayConfig;
use motcua_app::{Actor, App, AppConfig, AppError, SystemClock};
use motcua_domain::dossier::State;
use motcua_domain::dossier::record::DossierRecord;
use motcua_domain::payment::{PaymentState, signed};
use motcua_peers::payment::Gateway;
use motcua_storage::{AuditRepo, DossierRepo, PaymentRepo};
use motcua_testkit::test_store;

mod common;
use common::{counter_intake, login};
use serde_json::json;

const SECRET: &str = "khoa-thu-nghiem";

async fn serve(router: axum::Router) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, router).await.unwrap() });
    url
}

fn params(pairs: &[(&str, String)]) -> BTreeMap<String, String> {
    pairs.iter().map(|(k, v)| ((*k).to_owned(), v.clone())).collect()
}

struct World {
    app: App,
    ts: motcua_testkit::TestStore,
    gateway: Gateway,
    gateway_url: String,
    server_url: String,
    http: reqwest::Client,
}

/// The sandbox gateway and the server (the demo data, a gateway account) on two ports.
async fn world() -> World {
    let gateway = Gateway::new("MOTCUA", SECRET);
    let gateway_url = serve(gateway.router()).await;
    // The server's address is known once bound; the app is built with it.
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let server_url = format!("http://{}", listener.local_addr().unwrap());
    let ts = test_store().await;
    let config = AppConfig {
        public_url: server_url.clone(),
        payment: Some(GatewayConfig { url: gateway_url.clone(), merchant: "MOTCUA".into(), secret: SECRET.into() }),
        ..AppConfig::default()
    };
    let app = App::new(ts.store.clone(), Arc::new(SystemClock), config);
    motcua_demo::load(&app).await.unwrap();
    let router = motcua_web::router(motcua_web::AppState { app: app.clone(), secure_cookies: false });
    let service = router.into_make_service_with_connect_info::<std::net::SocketAddr>();
    tokio::spawn(async move { axum::serve(listener, service).await.unwrap() });
    World { app, ts, gateway, gateway_url, server_url, http: reqwest::Client::new() }
}

fn command(d: &DossierRecord, body: serde_json::Value) -> CommandRequest {
    let mut body = body;
    body["revision"] = json!(d.revision);
    serde_json::from_value(body).unwrap()
}

impl World {
    /// A counter dossier transferred to the competent agency, asked to pay 50,000 đồng (its
    /// procedure's fee list says "Miễn phí": the officer sets the amount).
    async fn awaiting_payment(&self) -> DossierRecord {
        let (desk, specialist) = (login(&self.app, "motcua").await, login(&self.app, "chuyenvien").await);
        let d = counter_intake(&self.app, &desk, None).await;
        let code = d.code.to_string();
        let transfer = command(&d, json!({"command": "transfer", "agency": "H24.11"}));
        let d = self.app.command(&desk, &code, transfer).await.unwrap();
        let from_list = command(&d, json!({"command": "request_payment"}));
        let e = self.app.command(&specialist, &code, from_list).await.unwrap_err();
        assert!(matches!(e, AppError::Invalid(ref f) if f.code == "no_fee_amount"), "{e:?}");
        let set = command(&d, json!({"command": "request_payment", "amount_vnd": 50000}));
        let d = self.app.command(&specialist, &code, set).await.unwrap();
        assert_eq!((d.workflow.state, d.workflow.payment_due), (State::AwaitingPayment, Some(50_000)));
        assert!(matches!(self.app.start_payment(&specialist, &code).await, Err(AppError::Forbidden(_))));
        d
    }

    /// The desk (a kiosk) starts the payment; the payer confirms on the gateway's page; the
    /// gateway calls back and sends the payer to the result page.
    async fn pay(&self, code: &str) -> motcua_storage::PaymentRecord {
        let desk = login(&self.app, "motcua").await;
        let start = self.app.start_payment(&desk, code).await.unwrap();
        assert!(start.redirect_url.starts_with(&format!("{}/pay?", self.gateway_url)), "{}", start.redirect_url);
        let again = self.app.start_payment(&desk, code).await.unwrap();
        assert_eq!(again.payment.id, start.payment.id, "a pending order is reused");
        let page = self.http.get(&start.redirect_url).send().await.unwrap().text().await.unwrap();
        assert!(page.contains("50000 đồng") && page.contains(code), "{page}");
        let tampered = start.redirect_url.replace("amount=50000", "amount=5000");
        let refused = self.http.get(&tampered).send().await.unwrap().status();
        assert_eq!(refused, 400, "the gateway checks the merchant's signature");
        let order = start.payment.id.to_string();
        let confirm = format!("{}/pay/confirm", self.gateway_url);
        let back = self.http.post(confirm).form(&[("order", order.as_str())]).send().await.unwrap();
        let back_url = back.url().to_string();
        let result = back.text().await.unwrap();
        assert!(back_url.starts_with(&format!("{}/thanh-toan/ket-qua?", self.server_url)), "{back_url}");
        assert!(result.contains("Thanh toán thành công"), "{result}");
        let txns = self.gateway.transactions();
        assert_eq!((txns.len(), txns[0].ipn_answer.as_deref()), (1, Some("00")));
        let paid = self.ts.store.payment(start.payment.id).await.unwrap().unwrap();
        assert_eq!((paid.state, paid.gateway_txn.as_deref()), (PaymentState::Paid, Some(txns[0].txn.as_str())));
        let (title, receipt) = self.app.payment_receipt(&desk, code, paid.id).await.unwrap();
        assert!(title.starts_with("Biên lai BL-") && receipt.title == "BIÊN LAI THU PHÍ, LỆ PHÍ");
        paid
    }

    /// Send a callback to the server: its answer code.
    async fn callback(&self, p: BTreeMap<String, String>) -> String {
        let url = format!("{}/api/v1/payments/callback", self.server_url);
        let r: serde_json::Value = self.http.get(url).query(&p).send().await.unwrap().json().await.unwrap();
        r["code"].as_str().unwrap().to_owned()
    }

    /// A payment the gateway took for an order the ledger never sent.
    async fn stray_payment(&self) -> String {
        let stray = uuid::Uuid::now_v7().to_string();
        let mut p = params(&[
            ("merchant", "MOTCUA".into()),
            ("order", stray.clone()),
            ("amount", "20000".into()),
            ("order_info", "?".into()),
            ("return_url", format!("{}/thanh-toan/ket-qua", self.server_url)),
            ("notify_url", format!("{}/api/v1/payments/callback", self.server_url)),
        ]);
        p.insert("signature".into(), self.gateway.sign(&p));
        self.gateway.take_order(&p).unwrap();
        self.gateway.settle(&stray, "00").await.unwrap();
        stray
    }
}

#[tokio::test]
async fn fees_are_paid_through_the_gateway_once_with_a_receipt_and_a_reconciliation() {
    let w = world().await;
    let d = w.awaiting_payment().await;
    let paid = w.pay(d.code.as_str()).await;
    let d = w.ts.store.dossier(&d.code).await.unwrap().unwrap();
    assert_eq!((d.workflow.state, d.workflow.paid_online, d.facts.paid_online), (State::InProcessing, true, true));

    // A replayed callback, a forged one, one for another amount, one for an unknown order:
    // answered with the gateway's codes, nothing changes, each is audited.
    let order = paid.id.to_string();
    assert_eq!(w.gateway.renotify(&order).await.as_deref(), Some("02"));
    let base = |amount: &str, order: &str| {
        params(&[
            ("order", order.into()),
            ("amount", amount.into()),
            ("txn", "FAKE1".into()),
            ("response_code", "00".into()),
            ("paid_at", "20261206120000".into()),
        ])
    };
    assert_eq!(w.callback(signed("khoa-gia", base("50000", &order))).await, "97");
    assert_eq!(w.callback(base("50000", &order)).await, "97", "unsigned");
    assert_eq!(w.callback(signed(SECRET, base("1", &order))).await, "04");
    assert_eq!(w.callback(signed(SECRET, base("50000", &uuid::Uuid::now_v7().to_string()))).await, "01");
    let after = w.ts.store.dossier(&d.code).await.unwrap().unwrap();
    assert_eq!(after.revision, d.revision, "nothing changed");
    let log = w.ts.store.audit_log(200).await.unwrap();
    let count = |action: &str| log.iter().filter(|a| a.entry.action == action).count();
    assert_eq!(
        (count("payment.callback_replayed"), count("payment.callback_refused"), count("payment.paid")),
        (1, 4, 1)
    );

    // The reconciliation of the day lists the stray payment; the paid one matches.
    let stray = w.stray_payment().await;
    let day = w.app.today();
    let report = motcua_jobs::gateway::fetch_report(&w.gateway_url, "MOTCUA", SECRET, day).await.unwrap();
    assert_eq!(report.len(), 2);
    let r = w.app.reconcile_payments(&Actor::System, day, &report).await.unwrap();
    assert_eq!((r.gateway_count, r.ledger_count), (2, 1));
    assert_eq!(r.differences.len(), 1, "{:?}", r.differences);
    assert_eq!(r.differences[0].order, stray);
    let bad = motcua_jobs::gateway::fetch_report(&w.gateway_url, "MOTCUA", "khoa-gia", day).await;
    assert!(bad.is_err(), "the report needs the merchant's signature");
    let admin = login(&w.app, "admin").await;
    let (ledger, recs) = w.app.payment_ledger(&admin, None, 50).await.unwrap();
    assert_eq!((ledger.len(), recs.len()), (1, 1));
    let desk = login(&w.app, "motcua").await;
    assert!(matches!(w.app.payment_ledger(&desk, None, 50).await, Err(AppError::Forbidden(_))));
}
