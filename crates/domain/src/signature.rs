//! Electronic results signed by the issuing agency. Decree 45/2020: an electronic result has the
//! value of the paper one when the agency signs it. Each agency has its own Ed25519 key (rotated,
//! the old ones kept to verify what they signed); a result's signature covers a statement of
//! what was issued — its id, dossier, agency, key and the SHA-256 of the PDF's bytes — so a
//! changed byte, a changed dossier or a key swapped for another are all caught.
//!
//! Pure: the keys' randomness and sealing are the application's; this module builds the
//! statement, and verifies.

use ed25519_dalek::{Signature, Verifier, VerifyingKey};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::calendar::deadline::Instant;
use crate::dossier::DossierCode;
use crate::ids::AgencyCode;

/// What the signature of a result covers (version 1).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Statement<'a> {
    pub result: Uuid,
    pub dossier: &'a DossierCode,
    pub agency: &'a AgencyCode,
    pub key: Uuid,
    /// SHA-256 of the PDF's bytes, lower-case hex.
    pub sha256: &'a str,
    pub signed_at: Instant,
}

impl Statement<'_> {
    /// The bytes signed: one line per item, in this order, UTF-8.
    pub fn bytes(&self) -> Vec<u8> {
        format!(
            "motcua-result-v1\n{}\n{}\n{}\n{}\n{}\n{}",
            self.result,
            self.dossier,
            self.agency,
            self.key,
            self.sha256,
            self.signed_at.to_rfc3339()
        )
        .into_bytes()
    }
}

/// A result as issued and signed.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SignedResult {
    /// The id printed under the QR code (`/xac-thuc/{id}`).
    pub id: Uuid,
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub dossier: DossierCode,
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub agency: AgencyCode,
    /// The signing key (see `/api/v1/signing-keys`).
    pub key: Uuid,
    /// The dossier file holding the PDF.
    pub document: Uuid,
    /// The result's name as printed (the procedure's result).
    pub title: String,
    pub sha256: String,
    /// Ed25519 signature of the statement (64 bytes).
    #[serde(with = "crate::signature::hex_bytes")]
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub signature: Vec<u8>,
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub signed_at: Instant,
    /// The leader who signed (user name).
    pub signed_by: String,
}

impl SignedResult {
    pub fn statement(&self) -> Statement<'_> {
        Statement {
            result: self.id,
            dossier: &self.dossier,
            agency: &self.agency,
            key: self.key,
            sha256: &self.sha256,
            signed_at: self.signed_at,
        }
    }

    /// Whether the signature, by the key `public_key`, holds for this result and whether the
    /// bytes presented (their SHA-256 `presented`) are the ones signed.
    pub fn verify(&self, public_key: &[u8], presented: &str) -> Verdict {
        let Ok(key) = <[u8; 32]>::try_from(public_key).map(|k| VerifyingKey::from_bytes(&k)) else {
            return Verdict::BadSignature;
        };
        let (Ok(key), Ok(sig)) = (key, <[u8; 64]>::try_from(self.signature.as_slice())) else {
            return Verdict::BadSignature;
        };
        if key.verify(&self.statement().bytes(), &Signature::from_bytes(&sig)).is_err() {
            return Verdict::BadSignature;
        }
        if presented != self.sha256 { Verdict::Altered } else { Verdict::Valid }
    }
}

/// What a verification found.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    /// Signed by the agency, and the bytes are those signed.
    Valid,
    /// The signature holds, the bytes are not those signed (a changed copy or file).
    Altered,
    /// The signature does not hold for the record (the record or the key was changed).
    BadSignature,
}

impl Verdict {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Valid => "valid",
            Self::Altered => "altered",
            Self::BadSignature => "bad_signature",
        }
    }
    pub fn parse(s: &str) -> Option<Self> {
        [Self::Valid, Self::Altered, Self::BadSignature].into_iter().find(|v| v.as_str() == s)
    }
    pub fn is_valid(self) -> bool {
        self == Self::Valid
    }
    pub fn label_vi(self) -> &'static str {
        match self {
            Self::Valid => "Hợp lệ: chữ ký số của cơ quan đúng, nội dung còn nguyên vẹn",
            Self::Altered => "Không hợp lệ: nội dung tệp đã bị thay đổi so với bản được ký",
            Self::BadSignature => "Không hợp lệ: chữ ký số không đúng",
        }
    }
}

/// Where a verification came from.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum VerifyChannel {
    /// The public page the QR code opens.
    Page,
    Api,
}

impl VerifyChannel {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Page => "page",
            Self::Api => "api",
        }
    }
    pub fn parse(s: &str) -> Option<Self> {
        [Self::Page, Self::Api].into_iter().find(|v| v.as_str() == s)
    }
}

/// One verification, recorded.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Verification {
    pub id: Uuid,
    pub result: Uuid,
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub agency: AgencyCode,
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub at: Instant,
    pub verdict: Verdict,
    pub channel: VerifyChannel,
    /// A copy was presented (uploaded) rather than the stored file checked.
    pub with_copy: bool,
}

/// An agency's signing key: the public half, and the private half sealed by the master key
/// (never in clear in the store).
#[derive(Clone, PartialEq, Eq)]
pub struct AgencyKey {
    pub id: Uuid,
    pub agency: AgencyCode,
    pub public_key: Vec<u8>,
    /// Nonce and ciphertext of the private seed.
    pub sealed: Vec<u8>,
    pub created_at: Instant,
    /// Retired keys sign nothing more; what they signed still verifies.
    pub retired_at: Option<Instant>,
}

impl std::fmt::Debug for AgencyKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AgencyKey")
            .field("id", &self.id)
            .field("agency", &self.agency)
            .field("created_at", &self.created_at)
            .field("retired_at", &self.retired_at)
            .finish_non_exhaustive()
    }
}

/// Bytes as lower-case hex in JSON.
pub mod hex_bytes {
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn to_hex(bytes: &[u8]) -> String {
        bytes.iter().map(|b| format!("{b:02x}")).collect()
    }

    pub fn from_hex(s: &str) -> Option<Vec<u8>> {
        if !s.len().is_multiple_of(2) || !s.is_ascii() {
            return None;
        }
        (0..s.len()).step_by(2).map(|i| u8::from_str_radix(&s[i..i + 2], 16).ok()).collect()
    }

    pub fn serialize<S: Serializer>(bytes: &[u8], s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&to_hex(bytes))
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<u8>, D::Error> {
        let s = String::deserialize(d)?;
        from_hex(&s).ok_or_else(|| serde::de::Error::custom("not hex"))
    }
}

#[cfg(test)]
mod tests {
    use ed25519_dalek::{Signer, SigningKey};

    use super::*;

    fn issued(key: &SigningKey, sha256: &str) -> SignedResult {
        let mut r = SignedResult {
            id: Uuid::from_u128(7),
            dossier: DossierCode::parse("H24.02-261127-0001").unwrap_or_else(|e| panic!("{e:?}")),
            agency: AgencyCode::parse("H24.11").unwrap_or_else(|e| panic!("{e:?}")),
            key: Uuid::from_u128(1),
            document: Uuid::from_u128(9),
            title: "Phiếu lý lịch tư pháp".into(),
            sha256: sha256.into(),
            signature: vec![],
            signed_at: chrono::DateTime::parse_from_rfc3339("2026-11-27T10:00:00+07:00")
                .unwrap_or_else(|e| panic!("{e}")),
            signed_by: "lanhdao".into(),
        };
        r.signature = key.sign(&r.statement().bytes()).to_bytes().to_vec();
        r
    }

    #[test]
    fn a_signed_result_verifies_and_every_change_is_caught() {
        let key = SigningKey::from_bytes(&[5; 32]);
        let public = key.verifying_key().to_bytes();
        let r = issued(&key, "ab");
        assert_eq!(r.verify(&public, "ab"), Verdict::Valid);
        assert_eq!(r.verify(&public, "ac"), Verdict::Altered, "other bytes");
        let other = SigningKey::from_bytes(&[6; 32]).verifying_key().to_bytes();
        assert_eq!(r.verify(&other, "ab"), Verdict::BadSignature, "another agency's key");
        assert_eq!(r.verify(&[1, 2], "ab"), Verdict::BadSignature, "not a key");
        let mut moved = r.clone();
        moved.dossier = DossierCode::parse("H24.02-261127-0002").unwrap_or_else(|e| panic!("{e:?}"));
        assert_eq!(moved.verify(&public, "ab"), Verdict::BadSignature, "the record moved to another dossier");
        let mut swapped = r.clone();
        swapped.sha256 = "ac".into();
        assert_eq!(swapped.verify(&public, "ac"), Verdict::BadSignature, "the recorded hash rewritten");
        let mut cut = r;
        cut.signature.truncate(10);
        assert_eq!(cut.verify(&public, "ab"), Verdict::BadSignature);
    }

    #[test]
    fn hex_round_trips_and_refuses_what_is_not_hex() {
        assert_eq!(hex_bytes::from_hex(&hex_bytes::to_hex(&[0, 15, 255])), Some(vec![0, 15, 255]));
        assert_eq!(hex_bytes::from_hex("abc"), None);
        assert_eq!(hex_bytes::from_hex("zz"), None);
        assert_eq!(hex_bytes::from_hex("ảa"), None);
    }
}
