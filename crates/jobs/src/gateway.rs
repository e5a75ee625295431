//! The payment gateway's daily report, fetched for the reconciliation: `GET <url>/report` with
//! the merchant, the day and the signature of both (HMAC-SHA512, `motcua_domain::payment`).

use std::collections::BTreeMap;

use chrono::NaiveDate;
use motcua_storage::GatewayLine;

/// The paid and declined transactions of `day` as the gateway reports them.
pub async fn fetch_report(url: &str, merchant: &str, secret: &str, day: NaiveDate) -> Result<Vec<GatewayLine>, String> {
    let client = crate::senders::http_client(url, "payment gateway")?;
    let params: BTreeMap<String, String> =
        [("merchant".to_owned(), merchant.to_owned()), ("date".to_owned(), day.format("%Y-%m-%d").to_string())].into();
    let signed = motcua_domain::payment::signed(secret, params);
    let query = form_urlencoded::Serializer::new(String::new()).extend_pairs(signed.iter()).finish();
    let resp = client
        .get(format!("{}/report?{query}", url.trim_end_matches('/')))
        .send()
        .await
        .map_err(|e| format!("payment gateway: {e}"))?;
    let status = resp.status();
    if !status.is_success() {
        return Err(format!("payment gateway report: HTTP {status}"));
    }
    resp.json().await.map_err(|e| format!("payment gateway report unreadable: {e}"))
}
