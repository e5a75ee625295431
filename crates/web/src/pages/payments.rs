//! Online payment on pages: `POST /ho-so/{code}/thanh-toan` (to the gateway), `/thanh-toan/ket-qua`
//! (back from it), `/ho-so/{code}/bien-lai/{id}` (the receipt, PDF), `/quan-tri/thanh-toan` (the
//! ledger and the reconciliations, for the office).

use std::collections::BTreeMap;

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use motcua_app::AppError;
use motcua_domain::payment::PaymentState;
use motcua_storage::{PaymentRecord, Reconciliation};
use serde::Deserialize;

use super::{Layout, page_err, vn_time};
use crate::AppState;
use crate::auth::Caller;
use crate::error::PageError;
use crate::http::documents::{Format, respond};

pub async fn pay(State(s): State<AppState>, caller: Caller, Path(code): Path<String>) -> Result<Response, PageError> {
    let start = s.app.start_payment(&caller.actor, &code).await.map_err(page_err(&caller, "queue"))?;
    Ok(Redirect::to(&start.redirect_url).into_response())
}

#[derive(Template, WebTemplate)]
#[template(path = "payments/result.html")]
pub(super) struct ResultPage {
    layout: Layout,
    payment: PaymentRecord,
}

impl ResultPage {
    fn paid(&self) -> bool {
        self.payment.state == PaymentState::Paid
    }
    fn pending(&self) -> bool {
        self.payment.state == PaymentState::Pending
    }
}

pub async fn result(
    State(s): State<AppState>,
    caller: Caller,
    Query(params): Query<BTreeMap<String, String>>,
) -> Result<ResultPage, PageError> {
    let payment = s.app.payment_return(params).await.map_err(page_err(&caller, "queue"))?;
    Ok(ResultPage { layout: Layout::of(&caller.actor, "queue"), payment })
}

pub async fn receipt(
    State(s): State<AppState>,
    caller: Caller,
    Path((code, id)): Path<(String, String)>,
) -> Result<Response, PageError> {
    let err = page_err(&caller, "queue");
    let id = uuid::Uuid::parse_str(&id).map_err(|_| err(AppError::NotFound("biên lai".into())))?;
    let (title, doc) = s.app.payment_receipt(&caller.actor, &code, id).await.map_err(&err)?;
    respond(doc, title, Format::Pdf).await.map_err(|e| err(e.0))
}

#[derive(Template, WebTemplate)]
#[template(path = "payments/ledger.html")]
pub(super) struct LedgerPage {
    layout: Layout,
    payments: Vec<PaymentRecord>,
    reconciliations: Vec<Reconciliation>,
    state: Option<PaymentState>,
}

impl LedgerPage {
    fn when(&self, t: &chrono::DateTime<chrono::Utc>) -> String {
        vn_time(t)
    }
    fn opt_vnd(&self, v: &Option<u64>) -> String {
        v.map(super::vnd).unwrap_or_else(|| "—".into())
    }
    fn states(&self) -> [PaymentState; 3] {
        PaymentState::ALL
    }
    fn is(&self, s: &PaymentState) -> bool {
        self.state == Some(*s)
    }
}

#[derive(Debug, Default, Deserialize)]
pub struct LedgerQuery {
    state: Option<String>,
}

pub async fn ledger(
    State(s): State<AppState>,
    caller: Caller,
    Query(q): Query<LedgerQuery>,
) -> Result<LedgerPage, PageError> {
    let state = q.state.as_deref().and_then(PaymentState::parse);
    let (payments, reconciliations) =
        s.app.payment_ledger(&caller.actor, state, 200).await.map_err(page_err(&caller, "payments"))?;
    Ok(LedgerPage { layout: Layout::of(&caller.actor, "payments"), payments, reconciliations, state })
}
