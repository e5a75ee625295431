//! Online payment of a dossier's fees (issue 16, item 1; Decision 766 group 4, RULES §D12.5).
//!
//! The amount comes from the procedure's fee list, less the fees the officer exempts (or an
//! amount the officer sets when the list gives none). The applicant pays through a gateway
//! speaking redirect + signed callback, as the Vietnamese gateways and the national payment
//! platform do: every message carries an HMAC-SHA512 over its parameters sorted by name
//! (`name=value` form-encoded, joined by `&`, the signature itself left out), in hexadecimal.
//! A callback is taken only when signed with the province's secret, for a known order, for its
//! exact amount, and once.

use std::collections::BTreeMap;

use hmac::{Hmac, Mac};
use serde::{Deserialize, Serialize};
use sha2::Sha512;

use crate::procedure::Fee;

/// The parameter carrying the signature.
pub const SIGNATURE: &str = "signature";
/// The gateway's code of a successful payment.
pub const PAID: &str = "00";

/// One line of what the applicant pays.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FeeDue {
    pub name: String,
    pub amount_vnd: u64,
}

/// What a dossier's applicant is asked to pay: the lines, and the fees exempted by the officer.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct PaymentDue {
    pub lines: Vec<FeeDue>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub exempted: Vec<String>,
}

impl PaymentDue {
    pub fn total(&self) -> u64 {
        self.lines.iter().map(|l| l.amount_vnd).sum()
    }

    /// The procedure's fees with an amount, less those at the `exempt` positions (0-based).
    pub fn from_fees(fees: &[Fee], exempt: &[u32]) -> Self {
        let mut due = Self::default();
        for (i, f) in fees.iter().enumerate() {
            let Some(amount_vnd) = f.amount_vnd.filter(|a| *a > 0) else { continue };
            if exempt.contains(&(i as u32)) {
                due.exempted.push(f.name.clone());
            } else {
                due.lines.push(FeeDue { name: f.name.clone(), amount_vnd });
            }
        }
        due
    }
}

/// Where a payment is.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PaymentState {
    /// Sent to the gateway, no answer yet.
    Pending,
    Paid,
    /// The gateway said it did not go through (cancelled, declined).
    Failed,
}

impl PaymentState {
    pub const ALL: [Self; 3] = [Self::Pending, Self::Paid, Self::Failed];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Pending => "pending",
            Self::Paid => "paid",
            Self::Failed => "failed",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|x| x.as_str() == s)
    }

    pub fn label_vi(self) -> &'static str {
        match self {
            Self::Pending => "Đang chờ cổng thanh toán",
            Self::Paid => "Đã thanh toán",
            Self::Failed => "Không thành công",
        }
    }
}

/// The text signed: the parameters but the signature, sorted by name, form-encoded.
pub fn canonical(params: &BTreeMap<String, String>) -> String {
    let mut s = form_urlencoded::Serializer::new(String::new());
    for (k, v) in params.iter().filter(|(k, _)| k.as_str() != SIGNATURE) {
        s.append_pair(k, v);
    }
    s.finish()
}

fn mac(secret: &str) -> Hmac<Sha512> {
    // HMAC takes a key of any length.
    Hmac::<Sha512>::new_from_slice(secret.as_bytes()).unwrap_or_else(|_| unreachable!("HMAC accepts any key length"))
}

/// The signature of `params` with `secret` (hexadecimal HMAC-SHA512 of [`canonical`]).
pub fn sign(secret: &str, params: &BTreeMap<String, String>) -> String {
    let mut m = mac(secret);
    m.update(canonical(params).as_bytes());
    m.finalize().into_bytes().iter().map(|b| format!("{b:02x}")).collect()
}

/// `params` with their signature added.
pub fn signed(secret: &str, mut params: BTreeMap<String, String>) -> BTreeMap<String, String> {
    let s = sign(secret, &params);
    params.insert(SIGNATURE.into(), s);
    params
}

/// Whether `params` carry the right signature (compared in constant time).
pub fn verify(secret: &str, params: &BTreeMap<String, String>) -> bool {
    let Some(given) = params.get(SIGNATURE) else { return false };
    let Some(bytes) = hex(given) else { return false };
    let mut m = mac(secret);
    m.update(canonical(params).as_bytes());
    m.verify_slice(&bytes).is_ok()
}

fn hex(s: &str) -> Option<Vec<u8>> {
    if !s.len().is_multiple_of(2) {
        return None;
    }
    (0..s.len()).step_by(2).map(|i| s.get(i..i + 2).and_then(|b| u8::from_str_radix(b, 16).ok())).collect()
}

/// A gateway's callback, read and checked against the order it names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Callback {
    pub order: String,
    pub amount_vnd: u64,
    /// The gateway's transaction number.
    pub txn: String,
    /// `00` paid; another code: not paid.
    pub response_code: String,
    /// `yyyyMMddHHmmss` as the gateway wrote it.
    pub paid_at: String,
}

/// Why a callback is not taken: the gateway's answer code and what is logged.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CallbackRefusal {
    #[error("chữ ký không hợp lệ")]
    BadSignature,
    #[error("thiếu tham số {0}")]
    Missing(&'static str),
    #[error("không có giao dịch {0}")]
    UnknownOrder(String),
    #[error("số tiền {given} khác số tiền của giao dịch {expected}")]
    WrongAmount { given: u64, expected: u64 },
    #[error("giao dịch đã được xác nhận")]
    AlreadyConfirmed,
}

impl CallbackRefusal {
    /// The answer code the gateway reads (VNPay's convention: 97 signature, 01 order,
    /// 04 amount, 02 already confirmed, 99 other).
    pub fn code(&self) -> &'static str {
        match self {
            Self::BadSignature => "97",
            Self::UnknownOrder(_) => "01",
            Self::WrongAmount { .. } => "04",
            Self::AlreadyConfirmed => "02",
            Self::Missing(_) => "99",
        }
    }
}

impl Callback {
    /// Read a signed callback.
    pub fn read(secret: &str, params: &BTreeMap<String, String>) -> Result<Self, CallbackRefusal> {
        if !verify(secret, params) {
            return Err(CallbackRefusal::BadSignature);
        }
        let get = |k: &'static str| params.get(k).cloned().filter(|v| !v.is_empty()).ok_or(CallbackRefusal::Missing(k));
        Ok(Self {
            order: get("order")?,
            amount_vnd: get("amount")?.parse().map_err(|_| CallbackRefusal::Missing("amount"))?,
            txn: get("txn")?,
            response_code: get("response_code")?,
            paid_at: get("paid_at")?,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn params(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
        pairs.iter().map(|(k, v)| ((*k).to_owned(), (*v).to_owned())).collect()
    }

    #[test]
    fn the_signature_covers_every_parameter_sorted_and_nothing_else() {
        let p = params(&[("order", "A1"), ("amount", "50000"), ("order_info", "Lệ phí hồ sơ H24.02-261127-0001")]);
        assert_eq!(
            canonical(&p),
            "amount=50000&order=A1&order_info=L%E1%BB%87+ph%C3%AD+h%E1%BB%93+s%C6%A1+H24.02-261127-0001"
        );
        let s = signed("khoa-bi-mat", p.clone());
        assert_eq!(s[SIGNATURE].len(), 128);
        assert!(verify("khoa-bi-mat", &s));
        assert!(!verify("khoa-khac", &s), "another secret");
        let mut tampered = s.clone();
        tampered.insert("amount".into(), "5000".into());
        assert!(!verify("khoa-bi-mat", &tampered), "a changed amount");
        assert!(!verify("khoa-bi-mat", &p), "no signature");
        let mut garbage = s;
        garbage.insert(SIGNATURE.into(), "zz".into());
        assert!(!verify("khoa-bi-mat", &garbage));
    }

    #[test]
    fn a_callback_is_read_only_when_signed_and_complete() {
        let p = params(&[
            ("order", "A1"),
            ("amount", "50000"),
            ("txn", "T9"),
            ("response_code", "00"),
            ("paid_at", "20261127100000"),
        ]);
        let c = Callback::read("k", &signed("k", p.clone())).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!((c.amount_vnd, c.response_code.as_str()), (50_000, PAID));
        assert_eq!(Callback::read("k", &p).unwrap_err(), CallbackRefusal::BadSignature);
        let mut short = p;
        short.remove("txn");
        assert_eq!(Callback::read("k", &signed("k", short)).unwrap_err().code(), "99");
    }

    #[test]
    fn fees_due_leave_out_the_exempted_and_those_without_an_amount() {
        let fee = |name: &str, a: Option<u64>| Fee { name: name.into(), amount_vnd: a, text: None };
        let fees = [fee("Lệ phí", Some(50_000)), fee("Phí thẩm định", Some(100_000)), fee("Theo quy định", None)];
        let due = PaymentDue::from_fees(&fees, &[1]);
        assert_eq!((due.total(), due.exempted.clone()), (50_000, vec!["Phí thẩm định".to_owned()]));
    }
}
