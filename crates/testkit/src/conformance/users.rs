//! Accounts, sessions and the audit trail.

use motcua_domain::ids::Username;
use motcua_domain::user::{Role, SignIn};
use motcua_storage::{NewSession, NewUser, SessionKind, Store, StoreError};

use crate::fixtures::*;

pub async fn user_story(s: &impl Store) {
    let new = NewUser {
        username: Username::parse("canbo.motcua").unwrap_or_else(|e| panic!("{e}")),
        full_name: "Nguyễn Thị Hoa".into(),
        role: Role::DeskOfficer,
        agency: Some(agency_code("H24.12")),
        email: Some("hoa@motcua.example".into()),
        password_hash: "$argon2id$fake".into(),
    };
    let u =
        s.create_user(&new, instant(2026, 11, 27, 1), &audit("user.create")).await.unwrap_or_else(|e| panic!("{e}"));
    let dup = s.create_user(&new, instant(2026, 11, 27, 1), &audit("user.create")).await;
    assert!(matches!(dup, Err(StoreError::Conflict { .. })), "{dup:?}");
    let (found, hash) =
        s.user_credentials(&new.username).await.unwrap_or_else(|e| panic!("{e}")).unwrap_or_else(|| panic!("user"));
    assert_eq!(found, u);
    assert_eq!(hash, "$argon2id$fake");
    let contacts = s.contacts_of_agency(&agency_code("H24.12")).await.unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(contacts, vec![(u.clone(), Some("hoa@motcua.example".to_owned()))]);

    // The applicant details an account remembers, read back as written; an unknown account has none.
    assert_eq!(s.applicant_profile(u.id).await.unwrap_or_else(|e| panic!("{e}")), None);
    let applicant = applicant("Nguyễn Thị Hoa");
    s.set_applicant_profile(u.id, &applicant, &audit("profile")).await.unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(s.applicant_profile(u.id).await.unwrap_or_else(|e| panic!("{e}")), Some(applicant.clone()));
    let nobody = uuid::Uuid::now_v7();
    assert!(matches!(
        s.set_applicant_profile(nobody, &applicant, &audit("profile")).await,
        Err(StoreError::NotFound(_))
    ));
    assert_eq!(s.applicant_profile(nobody).await.unwrap_or_else(|e| panic!("{e}")), None);

    let t0 = instant(2026, 11, 27, 2);
    let session = |token_hash, kind, sign_in, expires_at| NewSession {
        token_hash,
        user_id: u.id,
        kind,
        sign_in,
        created_at: t0,
        expires_at,
    };
    let h1 = session("h1", SessionKind::Cookie, SignIn::NationalId, instant(2026, 11, 27, 10));
    s.create_session(&h1, &audit("login")).await.unwrap_or_else(|e| panic!("{e}"));
    let h2 = session("h2", SessionKind::Bearer, SignIn::Password, instant(2026, 11, 28, 2));
    s.create_session(&h2, &audit("token")).await.unwrap_or_else(|e| panic!("{e}"));
    let live =
        s.session_user("h1", SessionKind::Cookie, instant(2026, 11, 27, 9)).await.unwrap_or_else(|e| panic!("{e}"));
    let live = live.unwrap_or_else(|| panic!("live session"));
    assert_eq!(live.username, new.username);
    assert_eq!(live.signed_in_with, SignIn::NationalId, "how the session was opened is read back");
    let token =
        s.session_user("h2", SessionKind::Bearer, t0).await.unwrap_or_else(|e| panic!("{e}")).map(|u| u.signed_in_with);
    assert_eq!(token, Some(SignIn::Password));
    assert!(
        s.session_user("h1", SessionKind::Bearer, t0).await.unwrap_or_else(|e| panic!("{e}")).is_none(),
        "kinds do not mix"
    );
    assert!(
        s.session_user("h1", SessionKind::Cookie, instant(2026, 11, 27, 10))
            .await
            .unwrap_or_else(|e| panic!("{e}"))
            .is_none(),
        "expired"
    );
    s.delete_session("h2", &audit("logout")).await.unwrap_or_else(|e| panic!("{e}"));
    assert!(s.session_user("h2", SessionKind::Bearer, t0).await.unwrap_or_else(|e| panic!("{e}")).is_none());
    s.set_password(&new.username, "$argon2id$new", &audit("password")).await.unwrap_or_else(|e| panic!("{e}"));
    assert!(
        s.session_user("h1", SessionKind::Cookie, t0).await.unwrap_or_else(|e| panic!("{e}")).is_none(),
        "password change ends sessions"
    );
    let missing = Username::parse("khong.co").unwrap_or_else(|e| panic!("{e}"));
    assert!(matches!(s.set_password(&missing, "x", &audit("password")).await, Err(StoreError::NotFound(_))));

    // Every write left its audit row, newest first, with who and from where.
    let log = s.audit_log(100).await.unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(log.len(), 6, "failed writes leave no audit row");
    assert_eq!(log[0].entry.action, "password");
    assert_eq!(log[0].entry.ip.as_deref(), Some("127.0.0.1"));
}
