//! The payment gateway's daily report, fetched for the reconciliation: `GET <url>/report` with
//! the merchant and the day, signed like every message to the gateway
//! (`motcua_app::payment::Gateway::signed_url`).

use std::collections::BTreeMap;

use chrono::NaiveDate;
use motcua_app::payment::Gateway;
use motcua_storage::GatewayLine;

/// The paid and declined transactions of `day` as the gateway reports them.
pub async fn fetch_report(url: &str, merchant: &str, secret: &str, day: NaiveDate) -> Result<Vec<GatewayLine>, String> {
    let client = crate::senders::http_client(url, "payment gateway")?;
    let gateway = Gateway { url: url.to_owned(), merchant: merchant.to_owned(), secret: secret.to_owned() };
    let params: BTreeMap<String, String> =
        [("merchant".to_owned(), merchant.to_owned()), ("date".to_owned(), day.format("%Y-%m-%d").to_string())].into();
    let resp =
        client.get(gateway.signed_url("report", params)).send().await.map_err(|e| format!("payment gateway: {e}"))?;
    let status = resp.status();
    if !status.is_success() {
        return Err(format!("payment gateway report: HTTP {status}"));
    }
    resp.json().await.map_err(|e| format!("payment gateway report unreadable: {e}"))
}
