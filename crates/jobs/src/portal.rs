//! The National Public Service Portal's sync adapter: a session opened with the province's
//! credentials (`POST <base>/auth` → `{session, error_code: 0}`), then each message's sync
//! request posted to `<base>/<service>` with the session in the body. The portal answers
//! `{error_code: 0}` when it took the dossier; another code is its refusal, with a message.
//!
//! What is retried: a network error, a timeout, an HTTP 5xx/408/429, an answer that is not the
//! portal's JSON (a proxy's error page, garbage), an expired session (logged in again once at
//! once). What is given up (a dead letter for the office to read, replay or cancel): a refusal of
//! the payload (a missing field, a code the portal does not know, a status out of order), a
//! 4xx, refused credentials.

use motcua_storage::OutboxMessage;
use serde::Deserialize;
use std::sync::Arc;
use tokio::sync::Mutex;

use crate::SendError;

/// The portal's error code for a session it no longer knows.
pub const SESSION_EXPIRED: i64 = 401;

#[derive(Clone)]
pub struct PortalSender {
    client: reqwest::Client,
    base: String,
    username: String,
    password: String,
    session: Arc<Mutex<Option<String>>>,
}

#[derive(Debug, Deserialize)]
struct Answer {
    error_code: i64,
    #[serde(default)]
    message: Option<String>,
    #[serde(default)]
    session: Option<String>,
}

enum Outcome {
    Done,
    Expired,
}

impl PortalSender {
    pub fn new(base: &str, username: &str, password: &str) -> Result<Self, String> {
        let client = crate::senders::http_client(base, "portal")?;
        Ok(Self {
            client,
            base: base.trim_end_matches('/').to_owned(),
            username: username.to_owned(),
            password: password.to_owned(),
            session: Arc::new(Mutex::new(None)),
        })
    }

    pub fn describe(&self) -> String {
        format!("{} as {}", self.base, self.username)
    }

    /// Post `body` to `<base>/<path>` and read the portal's answer.
    async fn call(&self, path: &str, body: &serde_json::Value) -> Result<Answer, SendError> {
        let url = format!("{}/{path}", self.base);
        let resp = self
            .client
            .post(&url)
            .json(body)
            .send()
            .await
            .map_err(|e| SendError::transient(format!("Cổng DVCQG: {e}")))?;
        let status = resp.status();
        let text = resp.text().await.map_err(|e| SendError::transient(format!("Cổng DVCQG: {e}")))?;
        let short: String = text.chars().take(200).collect();
        if !status.is_success() {
            let message = format!("Cổng DVCQG: HTTP {status}: {short}");
            return Err(match status.is_server_error() || matches!(status.as_u16(), 408 | 429) {
                true => SendError::transient(message),
                false => SendError::permanent(message),
            });
        }
        serde_json::from_str(&text)
            .map_err(|_| SendError::transient(format!("Cổng DVCQG trả lời không đúng định dạng: {short}")))
    }

    async fn login(&self) -> Result<String, SendError> {
        let body = serde_json::json!({ "username": self.username, "password": self.password });
        let a = self.call("auth", &body).await?;
        match (a.error_code, a.session) {
            (0, Some(s)) if !s.is_empty() => Ok(s),
            (code, _) => Err(SendError::permanent(format!(
                "Cổng DVCQG không cấp phiên (mã {code}): {}",
                a.message.unwrap_or_default()
            ))),
        }
    }

    async fn session(&self) -> Result<String, SendError> {
        let mut s = self.session.lock().await;
        if let Some(token) = s.as_ref() {
            return Ok(token.clone());
        }
        let token = self.login().await?;
        *s = Some(token.clone());
        Ok(token)
    }

    async fn post(&self, m: &OutboxMessage, session: &str) -> Result<Outcome, SendError> {
        let mut body: serde_json::Value = serde_json::from_str(&m.notice.body)
            .map_err(|e| SendError::permanent(format!("nội dung đồng bộ không phải JSON: {e}")))?;
        let Some(obj) = body.as_object_mut() else {
            return Err(SendError::permanent("nội dung đồng bộ không phải một đối tượng JSON"));
        };
        obj.insert("session".into(), serde_json::Value::String(session.to_owned()));
        let a = self.call(&m.notice.recipient, &body).await?;
        match a.error_code {
            0 => Ok(Outcome::Done),
            SESSION_EXPIRED => Ok(Outcome::Expired),
            code => {
                Err(SendError::permanent(format!("Cổng DVCQG từ chối (mã {code}): {}", a.message.unwrap_or_default())))
            }
        }
    }

    pub async fn send(&self, m: &OutboxMessage) -> Result<(), SendError> {
        let session = self.session().await?;
        match self.post(m, &session).await? {
            Outcome::Done => Ok(()),
            Outcome::Expired => {
                // Log in again once; a second refusal of the new session is retried later.
                {
                    let mut s = self.session.lock().await;
                    if s.as_deref() == Some(session.as_str()) {
                        *s = None;
                    }
                }
                let session = self.session().await?;
                match self.post(m, &session).await? {
                    Outcome::Done => Ok(()),
                    Outcome::Expired => Err(SendError::transient("Cổng DVCQG: phiên hết hạn ngay sau khi cấp")),
                }
            }
        }
    }
}
