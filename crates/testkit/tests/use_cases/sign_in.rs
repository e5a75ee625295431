//! Sign-in through the national identity provider, as the use cases see it. The provider here
//! is scripted (codes bound to their PKCE verifier and nonce, each usable once, as a provider
//! does); the adapter itself is tested against a real provider in `motcua-jobs`
//! (`tests/oidc.rs`) and the whole journey in the browser tests.

use std::sync::Mutex;

use motcua_app::sign_in::{
    Authorization, Callback, IdentityProvider, ProvenIdentity, ProviderError, SignedIn, Started,
};
use motcua_domain::user::SignIn;
use motcua_domain::vault::Holder;
use motcua_storage::{SessionKind, UserRepo, VaultRepo};

use super::*;

/// A code the provider gave: for whom, bound to which verifier and nonce, used or not.
struct Issued {
    code: String,
    verifier: String,
    nonce: String,
    who: ProvenIdentity,
    used: bool,
}

#[derive(Default)]
struct ScriptedProvider {
    issued: Mutex<Vec<Issued>>,
    refuse_all: bool,
}

impl ScriptedProvider {
    /// The person signs in at the provider: the code it sends back for that authorization.
    fn person_signs_in(&self, auth: &Authorization, who: ProvenIdentity) -> String {
        let mut issued = self.issued.lock().unwrap();
        let code = format!("code-{}", issued.len());
        issued.push(Issued {
            code: code.clone(),
            verifier: auth.verifier.clone(),
            nonce: auth.nonce.clone(),
            who,
            used: false,
        });
        code
    }
}

#[async_trait::async_trait]
impl IdentityProvider for ScriptedProvider {
    async fn authorize(&self) -> Result<Authorization, ProviderError> {
        let n = uuid::Uuid::now_v7();
        Ok(Authorization {
            url: format!("https://vneid.example/auth?state=s{n}"),
            state: format!("s{n}"),
            verifier: format!("v{n}"),
            nonce: format!("n{n}"),
        })
    }

    async fn finish(&self, code: &str, verifier: &str, nonce: &str) -> Result<ProvenIdentity, ProviderError> {
        if self.refuse_all {
            return Err(ProviderError::Rejected("bad signature".into()));
        }
        let mut issued = self.issued.lock().unwrap();
        let i = issued.iter_mut().find(|i| i.code == code).ok_or(ProviderError::Rejected("unknown code".into()))?;
        if i.used || i.verifier != verifier || i.nonce != nonce {
            return Err(ProviderError::Rejected("code used, or verifier or nonce wrong".into()));
        }
        i.used = true;
        Ok(i.who.clone())
    }
}

fn person(id: &str, name: &str) -> ProvenIdentity {
    ProvenIdentity { subject: format!("sub-{id}"), personal_id: id.into(), name: Some(name.into()) }
}

struct Rig {
    app: App,
    provider: Arc<ScriptedProvider>,
    _ts: TestStore,
}

async fn rig(provider: ScriptedProvider) -> Rig {
    let (app, ts) = demo_app().await;
    let provider = Arc::new(provider);
    let app = app.with_identity_provider(provider.clone());
    Rig { app, provider, _ts: ts }
}

/// The state in the started sign-in's address, and the authorization behind it.
async fn start(r: &Rig, return_to: Option<&str>) -> (Started, Authorization) {
    let started = r.app.start_national_sign_in(return_to, Some("10.0.0.7".into())).await.unwrap();
    // The scripted provider's authorization for that state (its address carries it).
    let auth = Authorization {
        url: started.url.clone(),
        state: started.state.clone(),
        verifier: format!("v{}", &started.state[1..]),
        nonce: format!("n{}", &started.state[1..]),
    };
    (started, auth)
}

fn back(started: &Started, code: &str) -> Callback {
    Callback {
        state: Some(started.state.clone()),
        browser_state: Some(started.state.clone()),
        code: Some(code.into()),
        error: None,
    }
}

async fn finish(r: &Rig, cb: Callback) -> Result<SignedIn, AppError> {
    r.app.finish_national_sign_in(cb, Some("10.0.0.7".into())).await
}

fn code_of(e: &AppError) -> &'static str {
    e.body().code
}

#[tokio::test]
async fn a_first_sign_in_makes_a_linked_citizen_account_and_a_national_id_session() {
    let r = rig(ScriptedProvider::default()).await;
    let (started, auth) = start(&r, Some("/ho-so-cua-toi")).await;
    let code = r.provider.person_signs_in(&auth, person("001090000123", "Nguyễn Văn An"));
    let done = finish(&r, back(&started, &code)).await.unwrap();
    assert!(done.new_account);
    assert_eq!(done.return_to.as_deref(), Some("/ho-so-cua-toi"));
    let user = &done.login.user;
    assert_eq!(user.username.as_str(), "vneid-001090000123");
    assert_eq!(user.full_name, "Nguyễn Văn An");
    assert_eq!(user.role, Role::Citizen);
    assert_eq!(user.signed_in_with, SignIn::NationalId);
    let holder = Holder::parse("citizen:001090000123").unwrap();
    assert_eq!(r._ts.store.identity_of(user.id).await.unwrap(), Some(holder));
    let session = r.app.authenticate(&done.login.token, SessionKind::Cookie).await.unwrap().unwrap();
    assert_eq!(session.signed_in_with, SignIn::NationalId, "the session remembers how it was opened");

    // The next sign-in of the same person finds the same account.
    let (started, auth) = start(&r, None).await;
    let code = r.provider.person_signs_in(&auth, person("001090000123", "Nguyễn Văn An"));
    let again = finish(&r, back(&started, &code)).await.unwrap();
    assert!(!again.new_account);
    assert_eq!(again.login.user.id, user.id);
    assert_eq!(again.return_to, None);
    let log = r._ts.store.audit_log(20).await.unwrap();
    assert!(log.iter().any(|a| a.entry.action == "login.national_id"), "audited");
}

#[tokio::test]
async fn a_dossier_filed_from_a_national_id_session_counts_as_vneid_authenticated() {
    let r = rig(ScriptedProvider::default()).await;
    // The demo citizen's account is linked to 031095001234: VNeID signs them into it.
    let (started, auth) = start(&r, None).await;
    let code = r.provider.person_signs_in(&auth, person("031095001234", "Vũ Minh Anh"));
    let done = finish(&r, back(&started, &code)).await.unwrap();
    assert_eq!(done.login.user.username.as_str(), "congdan");
    assert!(!done.new_account);
    let by_vneid = Actor::User { user: done.login.user.clone(), ip: None };
    let by_password = login_as(&r.app, "congdan").await;
    let online = |who: &str| motcua_app::dossiers::IntakeInput {
        channel: motcua_domain::procedure::Channel::Online,
        desk: Some("H24.02".into()),
        applicant: motcua_app::dossiers::ApplicantInput { name: who.into(), ..counter_intake("2.000908").applicant },
        ..counter_intake("2.000908")
    };
    let d = r.app.intake(&by_vneid, online("Vũ Minh Anh")).await.unwrap();
    assert!(d.facts.vneid, "TaiKhoanDuocXacThucVoiVNeID");
    let stored = r.app.dossier(&by_vneid, d.code.as_str()).await.unwrap();
    assert!(stored.facts.vneid, "kept with the dossier");
    let p = r.app.intake(&by_password, online("Vũ Minh Anh")).await.unwrap();
    assert!(!p.facts.vneid, "a password session is not a VNeID authentication");
}

#[tokio::test]
async fn a_state_works_once_in_the_browser_that_set_out_and_for_ten_minutes() {
    let r = rig(ScriptedProvider::default()).await;
    let users_before = r._ts.store.audit_log(100_000).await.unwrap().len();

    // Replayed: the first callback spends the state.
    let (started, auth) = start(&r, None).await;
    let code = r.provider.person_signs_in(&auth, person("001090000123", "Nguyễn Văn An"));
    finish(&r, back(&started, &code)).await.unwrap();
    let replay = finish(&r, back(&started, &code)).await.unwrap_err();
    assert_eq!(code_of(&replay), "sign_in_expired");

    // Carried to another browser (login CSRF): refused, and the state is spent there too.
    let (started, auth) = start(&r, None).await;
    let code = r.provider.person_signs_in(&auth, person("001090000123", "Nguyễn Văn An"));
    let elsewhere = Callback { browser_state: None, ..back(&started, &code) };
    assert_eq!(code_of(&finish(&r, elsewhere).await.unwrap_err()), "sign_in_expired");
    assert_eq!(code_of(&finish(&r, back(&started, &code)).await.unwrap_err()), "sign_in_expired");

    // An unknown state, or none.
    let forged =
        Callback { state: Some("forged".into()), browser_state: Some("forged".into()), ..back(&started, &code) };
    assert_eq!(code_of(&finish(&r, forged).await.unwrap_err()), "sign_in_expired");
    assert_eq!(code_of(&finish(&r, Callback::default()).await.unwrap_err()), "sign_in_expired");

    // Back after more than ten minutes.
    let (started, auth) = start(&r, None).await;
    let code = r.provider.person_signs_in(&auth, person("001090000123", "Nguyễn Văn An"));
    let late = r.app.with_clock(Arc::new(FixedClock(instant(2026, 11, 27, 3) + chrono::Duration::minutes(11))));
    let e = late.finish_national_sign_in(back(&started, &code), None).await.unwrap_err();
    assert_eq!(code_of(&e), "sign_in_expired");

    // Cancelled at the provider.
    let (started, _) = start(&r, None).await;
    let cancelled = Callback { code: None, error: Some("access_denied".into()), ..back(&started, "") };
    assert_eq!(code_of(&finish(&r, cancelled).await.unwrap_err()), "sign_in_cancelled");

    // One account was made in all this (the first sign-in), nothing else written.
    let log = r._ts.store.audit_log(100_000).await.unwrap();
    let since: Vec<&str> = log[..log.len() - users_before].iter().map(|a| a.entry.action.as_str()).collect();
    assert_eq!(since.iter().filter(|a| **a == "user.create").count(), 1, "{since:?}");
    assert_eq!(since.iter().filter(|a| **a == "login.national_id").count(), 1, "{since:?}");
}

#[tokio::test]
async fn a_token_the_provider_rejects_or_without_a_valid_personal_id_signs_nobody_in() {
    let r = rig(ScriptedProvider::default()).await;
    // A nonce of another sign-in (the scripted provider checks it as a real one does).
    let (started, auth) = start(&r, None).await;
    let other = Authorization { nonce: "another".into(), ..auth.clone() };
    let code = r.provider.person_signs_in(&other, person("001090000123", "Nguyễn Văn An"));
    assert_eq!(code_of(&finish(&r, back(&started, &code)).await.unwrap_err()), "identity_rejected");

    // A personal ID that is not one: no account made.
    let (started, auth) = start(&r, None).await;
    let code = r.provider.person_signs_in(&auth, person("12345", "Ai Đó"));
    assert_eq!(code_of(&finish(&r, back(&started, &code)).await.unwrap_err()), "identity_rejected");
    let name = motcua_domain::ids::Username::parse("vneid-12345").unwrap();
    assert!(r._ts.store.user_credentials(&name).await.unwrap().is_none());

    let r = rig(ScriptedProvider { refuse_all: true, ..Default::default() }).await;
    let (started, auth) = start(&r, None).await;
    let code = r.provider.person_signs_in(&auth, person("001090000123", "Nguyễn Văn An"));
    assert_eq!(code_of(&finish(&r, back(&started, &code)).await.unwrap_err()), "identity_rejected");
}

#[tokio::test]
async fn without_a_provider_there_is_no_national_sign_in_and_no_open_redirect() {
    let (app, _ts) = demo_app().await;
    assert!(!app.national_sign_in_enabled());
    assert!(matches!(app.start_national_sign_in(None, None).await, Err(AppError::NotFound(_))));

    let r = rig(ScriptedProvider::default()).await;
    for evil in ["//evil.example", "https://evil.example", "/\t/evil.example", "/\\evil"] {
        let (started, auth) = start(&r, Some(evil)).await;
        let code = r.provider.person_signs_in(&auth, person("001090000123", "Nguyễn Văn An"));
        assert_eq!(finish(&r, back(&started, &code)).await.unwrap().return_to, None, "{evil:?}");
    }
}
