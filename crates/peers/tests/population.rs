//! Issue 16, item 3: the desk looks the applicant up in the population database (the reference
//! server over HTTP); a confirmed applicant marks the dossier (and its portal push); a slow,
//! failing or unknown lookup never blocks the intake.
#![allow(clippy::unwrap_used)]

use std::sync::Arc;
use std::time::{Duration, Instant};

use motcua_app::population::Lookup;
use motcua_app::{App, AppConfig, AppError, FixedClock};
use motcua_jobs::population::HttpRegistry;
use motcua_peers::population::{Fault, Registry};
use motcua_testkit::fixtures::instant;
use motcua_testkit::test_store;

mod common;
use common::login;

fn input(id: &str, name: &str, population: bool) -> motcua_app::dossiers::IntakeInput {
    common::counter_input(id, name, None, population)
}

#[tokio::test]
async fn the_population_database_fills_the_applicant_in_and_never_blocks_an_intake() {
    let registry = Registry::new("khoa-dan-cu");
    registry.add("031095001234", "Vũ Minh Anh", "1995-03-12", "Xã Kẻ Sặt, thành phố Hải Phòng");
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let router = registry.router();
    tokio::spawn(async move { axum::serve(listener, router).await.unwrap() });

    let ts = test_store().await;
    let app = App::new(ts.store.clone(), Arc::new(FixedClock(instant(2026, 11, 27, 3))), AppConfig::default())
        .with_population(Arc::new(HttpRegistry::new(&url, "khoa-dan-cu").unwrap()));
    motcua_demo::load(&app).await.unwrap();
    let desk = login(&app, "motcua").await;

    // Found: the desk fills the applicant in; the dossier is marked, and says so to the portal.
    match app.lookup_resident(&desk, "031095001234").await.unwrap() {
        Lookup::Found { resident } => assert_eq!(resident.address.as_deref(), Some("Xã Kẻ Sặt, thành phố Hải Phòng")),
        other => panic!("{other:?}"),
    }
    let d = app.intake(&desk, input("031095001234", "Vũ Minh Anh", true)).await.unwrap();
    assert!(d.facts.population_data);
    let push = motcua_domain::portal::sync_request(
        &d,
        &motcua_domain::portal::ProcedureRef { name: "x", field: None, fees: &[] },
        false,
    );
    assert_eq!(push.data[0].ma_csdl.as_deref(), Some("CSDLQGDC"));
    // Another name than the database's: received, not marked.
    let d = app.intake(&desk, input("031095001234", "Vũ Minh An", true)).await.unwrap();
    assert!(!d.facts.population_data);
    assert_eq!(app.lookup_resident(&desk, "001089000123").await.unwrap(), Lookup::NotFound);

    // Slow (3 s) or failing: answered as unavailable within the 2 s bound; the intake goes on.
    registry.inject(&[Fault::Slow]);
    let t = Instant::now();
    assert!(matches!(app.lookup_resident(&desk, "031095001234").await.unwrap(), Lookup::Unavailable { .. }));
    assert!(t.elapsed() < Duration::from_millis(2_900), "{:?}", t.elapsed());
    registry.inject(&[Fault::Slow]);
    let t = Instant::now();
    let d = app.intake(&desk, input("031095001234", "Vũ Minh Anh", true)).await.unwrap();
    assert!(!d.facts.population_data && t.elapsed() < Duration::from_millis(2_900));
    registry.inject(&[Fault::Http500]);
    assert!(matches!(app.lookup_resident(&desk, "031095001234").await.unwrap(), Lookup::Unavailable { .. }));

    // Who may look up, and what.
    let specialist = login(&app, "chuyenvien").await;
    assert!(matches!(app.lookup_resident(&specialist, "031095001234").await, Err(AppError::Forbidden(_))));
    assert!(matches!(app.lookup_resident(&desk, "12345").await, Err(AppError::Invalid(_))));
    let stored = app.dossier(&desk, d.code.as_str()).await.unwrap();
    assert!(!stored.facts.population_data);
}
