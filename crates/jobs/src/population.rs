//! The population database's adapter over HTTP: `GET <url>/cong-dan/{id}` with the province's
//! key; 200 the resident, 404 none, anything else an error (the caller bounds the wait).

use motcua_app::population::{Registry, Resident};

pub struct HttpRegistry {
    client: reqwest::Client,
    url: String,
    key: String,
}

impl HttpRegistry {
    pub fn new(url: &str, key: &str) -> Result<Self, String> {
        Ok(Self {
            client: crate::senders::http_client(url, "population database")?,
            url: url.trim_end_matches('/').into(),
            key: key.into(),
        })
    }
}

#[async_trait::async_trait]
impl Registry for HttpRegistry {
    async fn resident(&self, citizen_id: &str) -> Result<Option<Resident>, String> {
        let resp = self
            .client
            .get(format!("{}/cong-dan/{citizen_id}", self.url))
            .bearer_auth(&self.key)
            .send()
            .await
            .map_err(|e| format!("population database: {e}"))?;
        match resp.status().as_u16() {
            200 => resp.json().await.map(Some).map_err(|e| format!("population database answer unreadable: {e}")),
            404 => Ok(None),
            s => Err(format!("population database: HTTP {s}")),
        }
    }
}
