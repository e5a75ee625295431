//! Sign-ins through the identity provider under way, and accounts made and found by identity.

use motcua_domain::ids::Username;
use motcua_domain::user::Role;
use motcua_domain::vault::Holder;
use motcua_storage::{NewUser, PendingSignIn, Store, StoreError};

use crate::fixtures::*;

fn citizen(name: &str) -> NewUser {
    NewUser {
        username: Username::parse(name).unwrap_or_else(|e| panic!("{e}")),
        full_name: "Nguyễn Văn An".into(),
        role: Role::Citizen,
        agency: None,
        email: None,
        password_hash: "$argon2id$unusable".into(),
    }
}

pub async fn sign_in_story(s: &impl Store) {
    let t0 = instant(2026, 12, 6, 2);
    let pending = |state: &str, at, minutes| PendingSignIn {
        state_hash: state.to_owned(),
        verifier: format!("verifier-{state}"),
        nonce: format!("nonce-{state}"),
        return_to: Some("/ho-so-cua-toi".into()),
        created_at: at,
        expires_at: at + chrono::Duration::minutes(minutes),
    };
    let a = pending("a", t0, 10);
    s.start_sign_in(&a).await.unwrap_or_else(|e| panic!("{e}"));
    s.start_sign_in(&pending("old", t0, 1)).await.unwrap_or_else(|e| panic!("{e}"));
    let dup = s.start_sign_in(&a).await;
    assert!(matches!(dup, Err(StoreError::Conflict { .. })), "a state is unique: {dup:?}");

    // Taken once, with what was kept; a second take finds nothing (a replayed state).
    let taken = s.take_sign_in("a").await.unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(taken, Some(a.clone()));
    assert_eq!(s.take_sign_in("a").await.unwrap_or_else(|e| panic!("{e}")), None, "works once");
    assert_eq!(s.take_sign_in("never").await.unwrap_or_else(|e| panic!("{e}")), None);

    // A sign-in started later sweeps those expired before it.
    let later = t0 + chrono::Duration::minutes(5);
    s.start_sign_in(&pending("b", later, 10)).await.unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(s.take_sign_in("old").await.unwrap_or_else(|e| panic!("{e}")), None, "swept");
    assert!(s.take_sign_in("b").await.unwrap_or_else(|e| panic!("{e}")).is_some());

    // An account made with its identity link in one transaction, found by the identity.
    let holder = Holder::parse("citizen:001090000123").unwrap_or_else(|| panic!("holder"));
    assert_eq!(s.user_of_identity(&holder).await.unwrap_or_else(|e| panic!("{e}")), None);
    let made = s
        .create_linked_user(&citizen("vneid-001090000123"), &holder, "oidc", t0, &audit("user.create"))
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let found = s.user_of_identity(&holder).await.unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(found, Some(made.clone()));
    assert_eq!(s.identity_of(made.id).await.unwrap_or_else(|e| panic!("{e}")), Some(holder.clone()));

    // A second account for the same person is refused whole: no account without its link.
    let before = super::audit_count(s).await;
    let twin = s.create_linked_user(&citizen("vneid-twin"), &holder, "oidc", t0, &audit("user.create")).await;
    assert!(matches!(twin, Err(StoreError::Conflict { .. })), "{twin:?}");
    let twin_name = Username::parse("vneid-twin").unwrap_or_else(|e| panic!("{e}"));
    assert!(s.user_credentials(&twin_name).await.unwrap_or_else(|e| panic!("{e}")).is_none(), "nothing half-written");
    assert_eq!(super::audit_count(s).await, before);
}
