//! The HTTP face of motcua: the JSON API under `/api/v1` (described by `/api/openapi.json`) and
//! the Vietnamese server-rendered pages, on one router with one error type rendered twice.
//!
//! Handlers are thin: extract, call one use case of `motcua_app::App`, map the result.

use std::time::Duration;

use axum::Router;
use axum::http::{HeaderName, HeaderValue, StatusCode, header};
use motcua_app::App;
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::compression::CompressionLayer;
use tower_http::csrf::CsrfLayer;
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::timeout::TimeoutLayer;
use tower_http::trace::{DefaultOnResponse, TraceLayer};

pub mod api;
pub mod auth;
pub mod error;
pub mod http;
pub mod idempotency;
pub mod pages;
pub mod serve;

/// Shared state of every handler.
#[derive(Clone)]
pub struct AppState {
    pub app: App,
    /// Mark cookies `Secure` (behind HTTPS).
    pub secure_cookies: bool,
}

pub const REQUEST_ID: HeaderName = HeaderName::from_static("x-request-id");

/// The pages load their script and style from this server only; inline styles stay allowed for
/// the printed forms' column widths, inline scripts and any framing are not.
pub const CONTENT_SECURITY_POLICY: &str = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; \
     img-src 'self' data:; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

/// Security headers of every answer (pages, API, files). A handler that sets its own
/// `Cache-Control` (static assets) keeps it; everything else is `no-store`, because pages carry
/// applicants' names and phones and a shared counter PC must not show them after a logout.
fn security_headers(router: Router) -> Router {
    let set = |name: HeaderName, value: &'static str| {
        SetResponseHeaderLayer::if_not_present(name, HeaderValue::from_static(value))
    };
    router
        .layer(set(header::CONTENT_SECURITY_POLICY, CONTENT_SECURITY_POLICY))
        .layer(set(header::X_FRAME_OPTIONS, "DENY"))
        .layer(set(header::X_CONTENT_TYPE_OPTIONS, "nosniff"))
        .layer(set(header::REFERRER_POLICY, "no-referrer"))
        .layer(set(header::CACHE_CONTROL, "no-store"))
}

/// The whole HTTP application.
pub fn router(state: AppState) -> Router {
    let (api, mut openapi) = api::router().split_for_parts();
    api::contract::document_errors(&mut openapi);
    let secured = std::sync::Arc::new(api::contract::Secured::of(&openapi));
    let api = api.layer(axum::middleware::from_fn_with_state(state.clone(), idempotency::layer));
    let openapi_json = openapi.to_pretty_json().unwrap_or_else(|e| format!("{{\"error\":\"{e}\"}}"));
    let router = Router::new()
        .merge(api)
        .route(
            "/api/openapi.json",
            axum::routing::get(move || {
                let body = openapi_json.clone();
                async move { ([(axum::http::header::CONTENT_TYPE, "application/json")], body) }
            }),
        )
        .merge(pages::router())
        .route("/healthz", axum::routing::get(|| async { "ok" }))
        .route("/readyz", axum::routing::get(readyz))
        .fallback(pages::not_found)
        .with_state(state);
    let router = router
        // Outermost last: cross-site browser writes are refused, a request has 60 s, every
        // request gets an id, the id is in the trace span and echoed back, a panic becomes a
        // 500, every API error is JSON (whichever layer made it), answers are compressed.
        .layer(CsrfLayer::new())
        .layer(TimeoutLayer::with_status_code(StatusCode::REQUEST_TIMEOUT, Duration::from_secs(60)))
        .layer(PropagateRequestIdLayer::new(REQUEST_ID))
        .layer(
            TraceLayer::new_for_http()
                .make_span_with(|req: &axum::http::Request<_>| {
                    let id = req.headers().get(REQUEST_ID).and_then(|v| v.to_str().ok()).unwrap_or("-");
                    tracing::info_span!("request", method = %req.method(), uri = %req.uri(), request_id = %id)
                })
                .on_response(DefaultOnResponse::new().level(tracing::Level::INFO)),
        )
        .layer(SetRequestIdLayer::new(REQUEST_ID, MakeRequestUuid))
        .layer(CatchPanicLayer::new())
        .layer(axum::middleware::from_fn_with_state(secured, api::contract::layer))
        .layer(CompressionLayer::new());
    // Outside the panic catcher: its 500 carries them too.
    security_headers(router)
}

async fn readyz(axum::extract::State(s): axum::extract::State<AppState>) -> (StatusCode, &'static str) {
    match s.app.ready().await {
        Ok(()) => (StatusCode::OK, "ready"),
        Err(e) => {
            tracing::warn!(error = %e, "not ready");
            (StatusCode::SERVICE_UNAVAILABLE, "database unavailable")
        }
    }
}
