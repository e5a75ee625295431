//! The ways a message leaves: SMTP (lettre), an SMS gateway's HTTP API (reqwest), a folder.

use std::path::{Path, PathBuf};
use std::time::Duration;

use lettre::message::Mailbox;
use lettre::message::header::ContentType;
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use motcua_storage::OutboxMessage;

use crate::SendError;

/// `scheme://user:secret@host` → `scheme://user:***@host`.
fn redact(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else { return url.to_owned() };
    match rest.split_once('@') {
        Some((cred, host)) => match cred.split_once(':') {
            Some((user, _)) => format!("{scheme}://{user}:***@{host}"),
            None => url.to_owned(),
        },
        None => url.to_owned(),
    }
}

/// E-mail through an SMTP server: `smtp://host:port` (plain; add `?tls=required` for STARTTLS)
/// or `smtps://user:password@host` (TLS), as lettre reads them.
#[derive(Clone)]
pub struct SmtpSender {
    transport: AsyncSmtpTransport<Tokio1Executor>,
    from: Mailbox,
    url: String,
}

impl SmtpSender {
    /// `from` is the sender's mailbox, e.g. `Bộ phận một cửa <motcua@haiphong.gov.vn>`.
    pub fn new(url: &str, from: &str) -> Result<Self, String> {
        let transport = AsyncSmtpTransport::<Tokio1Executor>::from_url(url)
            .map_err(|e| format!("SMTP address {}: {e}", redact(url)))?
            .timeout(Some(Duration::from_secs(30)))
            .build();
        let from: Mailbox = from.parse().map_err(|e| format!("sender address «{from}»: {e}"))?;
        Ok(Self { transport, from, url: redact(url) })
    }

    pub fn describe(&self) -> String {
        format!("{} as {}", self.url, self.from)
    }

    pub async fn send(&self, m: &OutboxMessage) -> Result<(), SendError> {
        let to: Mailbox = m
            .notice
            .recipient
            .parse()
            .map_err(|e| SendError::permanent(format!("địa chỉ thư «{}» không hợp lệ: {e}", m.notice.recipient)))?;
        let message = Message::builder()
            .from(self.from.clone())
            .to(to)
            .subject(m.notice.subject.as_str())
            // The outbox id: a message sent twice (a worker died before settling it) can be
            // recognised as one.
            .message_id(Some(format!("<{}@{}>", m.id, self.from.email.domain())))
            .header(ContentType::TEXT_PLAIN)
            .body(m.notice.body.clone())
            .map_err(|e| SendError::permanent(format!("thư không tạo được: {e}")))?;
        match self.transport.send(message).await {
            Ok(_) => Ok(()),
            Err(e) if e.is_permanent() => Err(SendError::permanent(format!("SMTP: {e}"))),
            Err(e) => Err(SendError::transient(format!("SMTP: {e}"))),
        }
    }
}

/// SMS through a gateway's HTTP API: `POST <url>` with a JSON body
/// `{"id", "to", "to_e164", "text"}`, the outbox id also as `Idempotency-Key`, and
/// `Authorization: Bearer <token>` when a token is set. 2xx is delivered; 408, 429 and 5xx (and
/// network errors) are tried again; any other answer is permanent. Each provider's own API is
/// reached through a small adapter service speaking this contract, or by a new variant here.
/// An HTTP client for the peer at `url` (http or https), with a 20-second timeout per call.
pub(crate) fn http_client(url: &str, what: &str) -> Result<reqwest::Client, String> {
    let parsed = reqwest::Url::parse(url).map_err(|e| format!("{what} address «{url}»: {e}"))?;
    if !matches!(parsed.scheme(), "http" | "https") {
        return Err(format!("{what} address «{url}» must be http:// or https://"));
    }
    reqwest::Client::builder().timeout(Duration::from_secs(20)).build().map_err(|e| format!("HTTP client: {e}"))
}

#[derive(Clone)]
pub struct HttpSmsGateway {
    client: reqwest::Client,
    url: String,
    token: Option<String>,
}

impl HttpSmsGateway {
    pub fn new(url: &str, token: Option<String>) -> Result<Self, String> {
        let client = http_client(url, "SMS gateway")?;
        Ok(Self { client, url: url.to_owned(), token })
    }

    pub fn describe(&self) -> String {
        redact(&self.url)
    }

    pub async fn send(&self, m: &OutboxMessage) -> Result<(), SendError> {
        let to = m.notice.recipient.as_str();
        let e164 = match to.strip_prefix('0') {
            Some(rest) => format!("+84{rest}"),
            None => to.to_owned(),
        };
        let mut req = self
            .client
            .post(&self.url)
            .header("Idempotency-Key", m.id.to_string())
            .json(&serde_json::json!({ "id": m.id, "to": to, "to_e164": e164, "text": m.notice.body }));
        if let Some(t) = &self.token {
            req = req.bearer_auth(t);
        }
        let resp = req.send().await.map_err(|e| SendError::transient(format!("SMS gateway: {e}")))?;
        let status = resp.status();
        if status.is_success() {
            return Ok(());
        }
        let body: String = resp.text().await.unwrap_or_default().chars().take(200).collect();
        let message = format!("SMS gateway: HTTP {status}: {body}");
        if status.is_server_error() || status.as_u16() == 408 || status.as_u16() == 429 {
            Err(SendError::transient(message))
        } else {
            Err(SendError::permanent(message))
        }
    }
}

/// One JSON file per message, `<dir>/<channel>-<id>.json`, written whole (temporary file, then
/// rename): what a development server or a demo "sends".
#[derive(Clone, Debug)]
pub struct DirSender {
    dir: PathBuf,
}

impl DirSender {
    pub fn new(dir: impl Into<PathBuf>) -> Self {
        Self { dir: dir.into() }
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    pub async fn send(&self, m: &OutboxMessage) -> Result<(), SendError> {
        let io = |e: std::io::Error| SendError::transient(format!("thư mục {}: {e}", self.dir.display()));
        tokio::fs::create_dir_all(&self.dir).await.map_err(io)?;
        let name = format!("{}-{}.json", m.notice.channel.as_str(), m.id);
        let tmp = self.dir.join(format!(".{name}.tmp"));
        let json = serde_json::to_vec_pretty(m).map_err(|e| SendError::permanent(e.to_string()))?;
        tokio::fs::write(&tmp, json).await.map_err(io)?;
        tokio::fs::rename(&tmp, self.dir.join(name)).await.map_err(io)?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn secrets_are_not_shown() {
        assert_eq!(super::redact("smtps://motcua:s3cret@mail.gov.vn"), "smtps://motcua:***@mail.gov.vn");
        assert_eq!(super::redact("smtp://127.0.0.1:2525"), "smtp://127.0.0.1:2525");
    }
}
