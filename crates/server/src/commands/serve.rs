//! `motcua serve` (the web server with its outbox worker and hourly housekeeping) and
//! `motcua jobs run` (the worker alone).

use anyhow::Context;
use motcua_app::{Actor, App};
use motcua_jobs::{HttpSmsGateway, PortalSender, RetryPolicy, Sender, SmtpSender, Worker, WorkerOptions, dir_sender};
use motcua_storage_sql::SqlStore;

use super::{describe, open, print_json};
use crate::config::{Config, redact_url};

async fn shutdown_signal() {
    let ctrl_c = async {
        if let Err(e) = tokio::signal::ctrl_c().await {
            tracing::error!(error = %e, "cannot listen for SIGINT");
        }
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(e) => tracing::error!(error = %e, "cannot listen for SIGTERM"),
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! { () = ctrl_c => {}, () = term => {} }
    tracing::info!("shutting down: finishing requests in flight");
}

/// The outbox worker of this configuration: SMTP / the SMS gateway when configured, else files
/// in the drop folder; a channel turned off has no sender.
fn outbox_worker(cfg: &Config, store: &SqlStore) -> anyhow::Result<Worker<SqlStore>> {
    let n = &cfg.notify;
    let email = match (&n.smtp_url, n.email) {
        (_, false) => None,
        (Some(url), true) => Some(Sender::Smtp(SmtpSender::new(url, &n.mail_from).map_err(anyhow::Error::msg)?)),
        (None, true) => Some(dir_sender(cfg.drop_dir())),
    };
    let sms = match (&n.sms_gateway_url, n.sms) {
        (_, false) => None,
        (Some(url), true) => {
            Some(Sender::HttpSms(HttpSmsGateway::new(url, n.sms_gateway_token.clone()).map_err(anyhow::Error::msg)?))
        }
        (None, true) => Some(dir_sender(cfg.drop_dir())),
    };
    let options = WorkerOptions {
        lease: std::time::Duration::from_secs(cfg.jobs.lease_seconds.max(1)),
        retry: RetryPolicy { max_attempts: cfg.jobs.max_attempts.max(1), ..RetryPolicy::default() },
        batch: cfg.jobs.batch.max(1),
    };
    let portal = match (&cfg.portal.url, cfg.portal.enabled) {
        (Some(url), true) => Some(Sender::Portal(
            PortalSender::new(url, &cfg.portal.username, &cfg.portal.password).map_err(anyhow::Error::msg)?,
        )),
        _ => None,
    };
    Ok(Worker::new(store.clone(), email, sms, options).with_portal(portal))
}

/// One pass of the server's periodic cleaning; failures are logged, the next pass tries again.
async fn housekeeping(app: &App) {
    match app.sweep_files(&Actor::System, chrono::Duration::hours(1)).await {
        Ok(r) if r.deleted > 0 => tracing::info!(?r, "orphan files swept"),
        Ok(_) => {}
        Err(e) => tracing::warn!(error = %describe(&e), "file sweep failed"),
    }
    match app.publish_due_report().await {
        Ok(Some(month)) => tracing::info!(month, "monthly public report published"),
        Ok(None) => {}
        Err(e) => tracing::warn!(error = %describe(&e), "monthly report publication failed"),
    }
    let yesterday = app.today() - chrono::Duration::days(1);
    match app.reconciliation_due(yesterday).await {
        Ok(true) => match reconcile_day(app, yesterday).await {
            Ok(r) => tracing::info!(day = %r.day, differences = r.differences.len(), "payments reconciled"),
            Err(e) => tracing::warn!(error = %e, "payment reconciliation failed; the next hour tries again"),
        },
        Ok(false) => {}
        Err(e) => tracing::warn!(error = %describe(&e), "payment reconciliation not checked"),
    }
    match app.purge_idempotency_keys().await {
        Ok(n) if n > 0 => tracing::info!(n, "expired idempotency answers purged"),
        Ok(_) => {}
        Err(e) => tracing::warn!(error = %describe(&e), "idempotency purge failed"),
    }
}

async fn watch_pass(app: &App, me: uuid::Uuid, lease: std::time::Duration) {
    match app.watch_deadlines(me, lease).await {
        Ok(Some(r)) if r.looked > 0 => tracing::info!(holder = %me, ?r, "deadline watch pass"),
        Ok(_) => {}
        Err(e) => tracing::warn!(error = %describe(&e), "deadline watch failed"),
    }
}

/// Fetch the gateway's report of `day` and reconcile the ledger with it.
async fn reconcile_day(app: &App, day: chrono::NaiveDate) -> anyhow::Result<motcua_storage::Reconciliation> {
    let gw = app.config.payment.as_ref().context("no payment gateway configured ([payment])")?;
    let report =
        motcua_jobs::gateway::fetch_report(&gw.url, &gw.merchant, &gw.secret, day).await.map_err(anyhow::Error::msg)?;
    app.reconcile_payments(&Actor::System, day, &report).await.map_err(|e| anyhow::anyhow!("{}", describe(&e)))
}

/// `motcua jobs reconcile [--day D]`.
pub async fn reconcile(cfg: &Config, day: Option<chrono::NaiveDate>) -> anyhow::Result<()> {
    let opened = open(cfg).await?;
    let day = day.unwrap_or_else(|| opened.app.today() - chrono::Duration::days(1));
    let r = reconcile_day(&opened.app, day).await;
    opened.close().await;
    print_json(&r?)
}

/// `motcua jobs watch`: one pass of the deadline watch (with a one-minute lease).
pub async fn watch_once(cfg: &Config) -> anyhow::Result<()> {
    let opened = open(cfg).await?;
    let r = opened.app.watch_deadlines(uuid::Uuid::now_v7(), std::time::Duration::from_secs(60)).await;
    opened.close().await;
    match r {
        Ok(Some(r)) => print_json(&r),
        Ok(None) => print_json(&serde_json::json!({ "skipped": "another process holds the watch's lease" })),
        Err(e) => Err(anyhow::anyhow!("deadline watch: {}", describe(&e))),
    }
}

pub async fn serve(cfg: &Config, demo: bool) -> anyhow::Result<()> {
    let demo_cfg;
    let cfg = match demo {
        true => {
            demo_cfg = cfg.for_demo();
            &demo_cfg
        }
        false => cfg,
    };
    let opened = open(cfg).await?;
    let app = opened.app.clone();
    if demo {
        let r = motcua_demo::load(&app).await.map_err(|e| anyhow::anyhow!("demo data: {}", describe(&e)))?;
        tracing::info!(?r, "demo data loaded");
    }
    let (stop_jobs, stopped) = tokio::sync::watch::channel(false);
    let jobs = match cfg.jobs.in_server {
        true => {
            let worker = outbox_worker(cfg, &opened.store)?;
            let clock = app.clock.clone();
            let every = std::time::Duration::from_millis(cfg.jobs.poll_ms.max(10));
            let mut stopped = stopped.clone();
            Some(tokio::spawn(async move {
                worker
                    .run(move || clock.now(), every, async move {
                        while stopped.changed().await.is_ok() && !*stopped.borrow() {}
                    })
                    .await;
            }))
        }
        false => None,
    };
    // Housekeeping every hour: orphan files, the monthly report due, expired idempotency answers.
    let housekeeping = {
        let (app, mut stopped) = (app.clone(), stopped.clone());
        tokio::spawn(async move {
            let mut every = tokio::time::interval(std::time::Duration::from_secs(3600));
            loop {
                tokio::select! {
                    _ = every.tick() => housekeeping(&app).await,
                    r = stopped.changed() => if r.is_err() || *stopped.borrow() { break },
                }
            }
        })
    };
    // The deadline watch: every `every_seconds`, by whichever process holds its lease.
    let watch = cfg.watch.in_server.then(|| {
        let (app, mut stopped) = (app.clone(), stopped.clone());
        let every = std::time::Duration::from_secs(cfg.watch.every_seconds.max(1));
        let lease = cfg.watch.lease_seconds.map(std::time::Duration::from_secs).unwrap_or(every * 2).max(every);
        tokio::spawn(async move {
            let me = uuid::Uuid::now_v7();
            let mut tick = tokio::time::interval(every);
            loop {
                tokio::select! {
                    _ = tick.tick() => watch_pass(&app, me, lease).await,
                    r = stopped.changed() => if r.is_err() || *stopped.borrow() { break },
                }
            }
        })
    });
    let state = motcua_web::AppState { app: app.clone(), secure_cookies: cfg.secure_cookies };
    let listener =
        tokio::net::TcpListener::bind(&cfg.listen).await.with_context(|| format!("binding {}", cfg.listen))?;
    tracing::info!(addr = %listener.local_addr()?, database = %redact_url(&cfg.database_url()), files = app.files.describe(), "motcua listening");
    let serve_opts = motcua_web::serve::ServeOptions {
        header_read: std::time::Duration::from_secs(cfg.security.header_read_timeout_secs.max(1)),
        idle: std::time::Duration::from_secs(cfg.security.idle_timeout_secs.max(1)),
        ..Default::default()
    };
    let mut router = motcua_web::router(state);
    if cfg.sandbox.enabled {
        // The reference peers, for demos on one machine (never in production).
        use crate::config::{SANDBOX_MERCHANT, SANDBOX_POPULATION_KEY, SANDBOX_PORTAL_USER, SANDBOX_SECRET};
        let portal = motcua_peers::portal::Portal::new(SANDBOX_PORTAL_USER, SANDBOX_PORTAL_USER);
        let gateway = motcua_peers::payment::Gateway::new(SANDBOX_MERCHANT, SANDBOX_SECRET);
        router = router.nest_service("/sandbox/dvcqg", portal.router());
        router = router.nest_service("/sandbox/thanh-toan", gateway.router());
        // The demo's residents: the demo citizen, and one whose name differs from the demo's.
        let population = motcua_peers::population::Registry::new(SANDBOX_POPULATION_KEY);
        population.add("031095001234", "Vũ Minh Anh", "1995-03-12", "Xã Kẻ Sặt, thành phố Hải Phòng");
        population.add("001089000123", "Nguyễn Văn Bình", "1989-07-01", "Phường Hồng Bàng, thành phố Hải Phòng");
        router = router.nest_service("/sandbox/dan-cu", population.router());
        tracing::warn!("sandbox on: the reference portal at /sandbox/dvcqg, a payment gateway at /sandbox/thanh-toan");
    }
    motcua_web::serve::serve(listener, router, serve_opts, shutdown_signal()).await?;
    let _ = stop_jobs.send(true);
    let _ = housekeeping.await;
    if let Some(w) = watch {
        let _ = w.await;
    }
    if let Some(j) = jobs {
        // A pass in flight finishes its messages (each is settled or left to its lease).
        let _ = tokio::time::timeout(std::time::Duration::from_secs(30), j).await;
    }
    drop(stopped);
    opened.close().await;
    Ok(())
}

/// `motcua jobs run [--once]`: the outbox worker apart from the web server.
pub async fn jobs(cfg: &Config, once: bool) -> anyhow::Result<()> {
    let opened = open(cfg).await?;
    let worker = outbox_worker(cfg, &opened.store)?;
    let clock = opened.app.clock.clone();
    if once {
        let r = worker.run_once(|| clock.now()).await.map_err(|e| anyhow::anyhow!("outbox: {e}"));
        opened.close().await;
        print_json(&r?)?;
    } else {
        let every = std::time::Duration::from_millis(cfg.jobs.poll_ms.max(10));
        worker.run(move || clock.now(), every, shutdown_signal()).await;
        opened.close().await;
    }
    Ok(())
}
