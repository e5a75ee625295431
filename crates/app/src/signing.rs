//! Signed electronic results (issue 17, item 4): a leader of the agency handling a dossier
//! issues its result as a PDF signed with the agency's key; anyone holding the paper or the file
//! checks it on the public page the QR code opens, or with `GET /api/v1/verify/{id}`. Every
//! verification is recorded.
//!
//! Keys: one Ed25519 key in use per agency, made at its first signature and rotated on request;
//! the private seed is sealed with the master key of the configuration (XChaCha20-Poly1305, the
//! key's id and agency bound as associated data) and is never stored in clear.

use bytes::Bytes;
use chacha20poly1305::aead::{Aead, Payload};
use chacha20poly1305::{KeyInit, XChaCha20Poly1305};
use ed25519_dalek::{Signer as _, SigningKey};
use motcua_domain::calendar::deadline::{Instant, vn_offset};
use motcua_domain::dossier::access::{self, Action};
use motcua_domain::dossier::record::{DocumentKind, DocumentRecord, DocumentSource};
use motcua_domain::dossier::{DossierCode, Outcome};
use motcua_domain::ids::AgencyCode;
use motcua_domain::signature::{AgencyKey, SignedResult, Verdict, Verification, VerifyChannel, hex_bytes};
use motcua_domain::user::Role;
use motcua_domain::vault::VaultKind;
use motcua_files::sha256_hex;
use motcua_print::{Block, Column, Doc, Paper, Qr, Signature, Span};
use serde::Serialize;
use uuid::Uuid;

use crate::{Actor, App, AppError, AppResult};

/// The master key sealing the agencies' private keys: 32 bytes, from the configuration (never
/// in the database). Shown as `[hidden]`.
#[derive(Clone)]
pub struct MasterKey([u8; 32]);

impl std::fmt::Debug for MasterKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("MasterKey([hidden])")
    }
}

impl MasterKey {
    pub fn from_bytes(bytes: [u8; 32]) -> Self {
        Self(bytes)
    }
    /// 64 hex digits (what `motcua keys master` prints and the key file holds).
    pub fn from_hex(s: &str) -> Result<Self, String> {
        let bytes = hex_bytes::from_hex(s.trim()).ok_or("the master key is not hex")?;
        Ok(Self(bytes.try_into().map_err(|_| "the master key is not 32 bytes (64 hex digits)")?))
    }
    pub fn generate() -> Result<Self, String> {
        let mut k = [0u8; 32];
        getrandom::fill(&mut k).map_err(|e| e.to_string())?;
        Ok(Self(k))
    }
    pub fn to_hex(&self) -> String {
        hex_bytes::to_hex(&self.0)
    }

    fn aad(id: Uuid, agency: &AgencyCode) -> Vec<u8> {
        [id.as_bytes().as_slice(), agency.as_str().as_bytes()].concat()
    }

    /// Nonce (24 bytes) and ciphertext of `seed`.
    fn seal(&self, id: Uuid, agency: &AgencyCode, seed: &[u8; 32]) -> AppResult<Vec<u8>> {
        let mut nonce = [0u8; 24];
        getrandom::fill(&mut nonce).map_err(|e| AppError::Internal(format!("random: {e}")))?;
        let aad = Self::aad(id, agency);
        let ct = XChaCha20Poly1305::new(&self.0.into())
            .encrypt(&nonce.into(), Payload { msg: seed, aad: &aad })
            .map_err(|_| AppError::Internal("sealing a signing key".into()))?;
        Ok([nonce.as_slice(), &ct].concat())
    }

    fn unseal(&self, key: &AgencyKey) -> AppResult<SigningKey> {
        let (nonce, ct) =
            key.sealed.split_at_checked(24).ok_or_else(|| AppError::Internal("sealed key too short".into()))?;
        let nonce: [u8; 24] = nonce.try_into().map_err(|_| AppError::Internal("sealed key nonce".into()))?;
        let aad = Self::aad(key.id, &key.agency);
        let seed = XChaCha20Poly1305::new(&self.0.into())
            .decrypt(&nonce.into(), Payload { msg: ct, aad: &aad })
            .map_err(|_| {
                AppError::Internal(format!("the signing key {} does not open with the configured master key", key.id))
            })?;
        let seed: [u8; 32] = seed.try_into().map_err(|_| AppError::Internal("sealed seed length".into()))?;
        let signing = SigningKey::from_bytes(&seed);
        if signing.verifying_key().to_bytes().as_slice() != key.public_key {
            return Err(AppError::Internal(format!("the signing key {} does not match its public half", key.id)));
        }
        Ok(signing)
    }
}

/// A key as published: what anyone needs to check a signature offline.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Serialize)]
pub struct PublicKey {
    pub id: Uuid,
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub agency: AgencyCode,
    /// Ed25519 public key, hex.
    pub public_key: String,
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub created_at: Instant,
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>))]
    pub retired_at: Option<Instant>,
}

impl From<AgencyKey> for PublicKey {
    fn from(k: AgencyKey) -> Self {
        Self {
            id: k.id,
            agency: k.agency,
            public_key: hex_bytes::to_hex(&k.public_key),
            created_at: k.created_at,
            retired_at: k.retired_at,
        }
    }
}

/// What a verification says, with nothing personal beyond what the result prints.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Serialize)]
pub struct VerifyView {
    pub id: Uuid,
    pub verdict: Verdict,
    /// The verdict in words.
    pub message: String,
    pub title: String,
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub dossier: DossierCode,
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub agency: AgencyCode,
    pub agency_name: String,
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub signed_at: Instant,
    pub key: Uuid,
    /// SHA-256 of the bytes signed.
    pub sha256: String,
    /// A copy was checked (uploaded), not the file kept by the agency.
    pub with_copy: bool,
}

fn forged(id: &str) -> AppError {
    AppError::NotFound(format!(
        "kết quả điện tử mã «{}» (mã xác thực không có trong hệ thống: giấy tờ hoặc mã QR có thể bị làm giả)",
        id.chars().take(40).collect::<String>()
    ))
}

impl App {
    fn master_key(&self) -> AppResult<&MasterKey> {
        self.config.master_key.as_ref().ok_or_else(|| AppError::NotAllowed {
            code: "signing_off",
            message: "Chưa cấu hình khóa chính để ký số kết quả ([signing] master_key_file)".into(),
        })
    }

    /// The agency's key in use, made at its first use.
    pub(crate) async fn key_in_use(&self, agency: &AgencyCode, actor: &Actor) -> AppResult<(AgencyKey, SigningKey)> {
        let master = self.master_key()?;
        if let Some(k) = self.store.active_key(agency).await? {
            let signing = master.unseal(&k)?;
            return Ok((k, signing));
        }
        match self.new_key(agency, actor, "signing.key_created").await {
            Ok(k) => Ok(k),
            // Another signer made it at the same moment: use theirs.
            Err(AppError::Conflict(_)) => {
                let k = self.store.active_key(agency).await?.ok_or_else(|| AppError::Internal("key in use".into()))?;
                let signing = master.unseal(&k)?;
                Ok((k, signing))
            }
            Err(e) => Err(e),
        }
    }

    /// A new key for `agency`, in use from now (the one before retired).
    async fn new_key(&self, agency: &AgencyCode, actor: &Actor, action: &str) -> AppResult<(AgencyKey, SigningKey)> {
        let master = self.master_key()?;
        let mut seed = [0u8; 32];
        getrandom::fill(&mut seed).map_err(|e| AppError::Internal(format!("random: {e}")))?;
        let signing = SigningKey::from_bytes(&seed);
        let id = Uuid::now_v7();
        let now = self.now();
        let key = AgencyKey {
            id,
            agency: agency.clone(),
            public_key: signing.verifying_key().to_bytes().to_vec(),
            sealed: master.seal(id, agency, &seed)?,
            created_at: now.with_timezone(&vn_offset()),
            retired_at: None,
        };
        let detail = serde_json::json!({ "key": id, "public_key": hex_bytes::to_hex(&key.public_key) });
        let audit = actor.audit(now, action, "agency", agency.as_str(), detail);
        self.store.add_signing_key(&key, &audit).await?;
        Ok((key, signing))
    }

    /// Retire the agency's key in use and make a new one (the provincial admin, or the
    /// agency's own admin). What the old key signed still verifies.
    pub async fn rotate_signing_key(&self, actor: &Actor, agency: &str) -> AppResult<PublicKey> {
        let code = AgencyCode::parse(agency).map_err(|e| AppError::Invalid(e.under("agency")))?;
        match actor.user() {
            None => return Err(AppError::Unauthenticated),
            Some(u) if u.role == Role::Admin => {}
            Some(u) if u.role == Role::UnitAdmin && u.agency.as_ref() == Some(&code) => {}
            Some(_) => return Err(AppError::Forbidden("Chỉ quản trị viên đổi khóa ký số của cơ quan".into())),
        }
        if self.agency(&code).await?.is_none() {
            return Err(AppError::invalid("unknown_agency", "agency", format!("Không có cơ quan mã {code}")));
        }
        let (key, _) = self.new_key(&code, actor, "signing.key_rotated").await?;
        Ok(key.into())
    }

    /// Every signing key, public halves only (offline verification).
    pub async fn public_keys(&self) -> AppResult<Vec<PublicKey>> {
        Ok(self.store.signing_keys().await?.into_iter().map(PublicKey::from).collect())
    }

    /// Whether `actor` may sign the result now: a leader of the agency handling the dossier,
    /// while the result may be attached (`attach_result`), with signing configured and none
    /// signed yet.
    pub(crate) fn may_sign(&self, actor: &Actor, attach_result: bool, signed: bool) -> bool {
        self.config.master_key.is_some()
            && !signed
            && attach_result
            && actor.user().is_some_and(|u| u.role == Role::Leader)
    }

    /// Issue the dossier's electronic result: the PDF (with a QR code to its verification page)
    /// signed with the handling agency's key, kept as the dossier's result file.
    pub async fn issue_signed_result(&self, actor: &Actor, code: &str) -> AppResult<SignedResult> {
        let (app, actor, code) = (self.clone(), actor.clone(), code.to_owned());
        self.to_completion(async move { app.issue_signed_result_now(&actor, &code).await }).await
    }

    async fn issue_signed_result_now(&self, actor: &Actor, code: &str) -> AppResult<SignedResult> {
        let d = self.dossier(actor, code).await?;
        self.master_key()?;
        self.check_may(actor, &d, Action::AttachResult, "sign_result").await?;
        if !actor.user().is_some_and(|u| u.role == Role::Leader) {
            return Err(AppError::Forbidden("Lãnh đạo cơ quan giải quyết ký số kết quả".into()));
        }
        if !access::accepts(&d, actor.who(), Action::AttachResult) || d.workflow.state.is_terminal() {
            return Err(AppError::NotAllowed {
                code: "not_accepting_files",
                message: "Kết quả được ký khi hồ sơ đang xử lý hoặc đã xử lý xong, chưa trả".into(),
            });
        }
        if !self.store.signed_results(&d.code).await?.is_empty() {
            return Err(AppError::NotAllowed {
                code: "already_signed",
                message: format!("Kết quả của hồ sơ {} đã được ký số", d.code),
            });
        }
        let agency = d.workflow.agency.clone().unwrap_or_else(|| d.competent_agency.clone());
        let (key, signing) = self.key_in_use(&agency, actor).await?;
        let version = self.version_view(d.procedure.as_str(), Some(d.procedure_number)).await?;
        let content = &version.version.content;
        let title = content.results.first().map(|r| r.name.clone()).unwrap_or_else(|| "Kết quả giải quyết".into());
        let now = self.now();
        let signed_at = self.signing_time();
        let id = Uuid::now_v7();
        let doc = ResultDoc {
            id,
            agency_name: self.agency_name(&agency).await?,
            procedure: content.name.clone(),
            title: title.clone(),
            results: content.results.iter().map(|r| r.name.clone()).collect(),
            outcome: d.workflow.outcome,
            applicant: d.applicant.name.clone(),
            dossier: d.code.clone(),
            signed_at,
            key: key.id,
            signer: actor.name(),
            verify_url: format!("{}/xac-thuc/{id}", self.config.public_url),
        }
        .doc();
        let pdf = tokio::task::spawn_blocking(move || motcua_print::pdf::render(&doc, "Kết quả điện tử"))
            .await
            .map_err(|e| AppError::Internal(format!("result PDF task: {e}")))?
            .map_err(|e| AppError::Internal(format!("result PDF: {e}")))?;
        let signer = Signer { agency: &agency, key: &key, signing: &signing, id, signed_at };
        let name = format!("{title} (bản điện tử có chữ ký số)");
        let (result, record) = self
            .sign_file(actor, &d, &signer, title, &name, &format!("ket-qua-{}.pdf", d.code), Bytes::from(pdf))
            .await?;
        let audit = actor.audit(
            now,
            "dossier.result_signed",
            "dossier",
            d.code.as_str(),
            serde_json::json!({ "result": id, "key": key.id, "sha256": result.sha256, "document": record.id }),
        );
        // The result goes to the holder's vault (same bytes).
        let vault = self.vault_copy(&d, &record, VaultKind::Result, motcua_domain::text::fold_vi(&result.title));
        self.keep_upload(&record.file, self.store.add_signed_result(&record, &result, &vault, &audit)).await?;
        Ok(result)
    }

    /// Sign `bytes` as a result of dossier `d` (its id, time and key in `signer`) and store
    /// them: the signed result and the document holding the file, not yet recorded.
    #[allow(clippy::too_many_arguments)]
    pub(crate) async fn sign_file(
        &self,
        actor: &Actor,
        d: &motcua_domain::dossier::record::DossierRecord,
        signer: &Signer<'_>,
        title: String,
        name: &str,
        file_name: &str,
        bytes: Bytes,
    ) -> AppResult<(SignedResult, DocumentRecord)> {
        let mut result = SignedResult {
            id: signer.id,
            dossier: d.code.clone(),
            agency: signer.agency.clone(),
            key: signer.key.id,
            document: Uuid::now_v7(),
            title,
            sha256: sha256_hex(&bytes),
            signature: vec![],
            signed_at: signer.signed_at,
            signed_by: actor.name(),
        };
        result.signature = signer.signing.sign(&result.statement().bytes()).to_bytes().to_vec();
        let key = format!("{}/{}/{}", signer.signed_at.format("%Y"), d.code, result.document);
        let file = self.put_upload(key, file_name, bytes).await?;
        let record = DocumentRecord {
            id: result.document,
            dossier: d.code.clone(),
            kind: DocumentKind::Result,
            name: name.to_owned(),
            file,
            source: DocumentSource::Issued,
            at: signer.signed_at,
            by: actor.name(),
        };
        Ok((result, record))
    }

    /// Now to the whole second (the statement signed is the one read back from either
    /// database), in Vietnam's offset.
    pub(crate) fn signing_time(&self) -> Instant {
        let now = self.now();
        (now - chrono::Duration::nanoseconds(now.timestamp_subsec_nanos().into())).with_timezone(&vn_offset())
    }

    /// The results signed for a dossier (whoever may read it).
    pub async fn signed_results(&self, actor: &Actor, code: &str) -> AppResult<Vec<SignedResult>> {
        let d = self.dossier(actor, code).await?;
        Ok(self.store.signed_results(&d.code).await?)
    }

    /// Check result `id` (anyone: the QR code's page and the API): the signature with the key
    /// that made it, and the bytes — those of `copy` when one is presented, else the file the
    /// agency keeps. Recorded. An id that is not a result's is a clear `not_found`.
    pub async fn verify_result(&self, id: &str, copy: Option<Bytes>, channel: VerifyChannel) -> AppResult<VerifyView> {
        let uuid = Uuid::parse_str(id.trim()).map_err(|_| forged(id))?;
        let result = self.store.signed_result(uuid).await?.ok_or_else(|| forged(id))?;
        let with_copy = copy.is_some();
        let presented = match copy {
            Some(bytes) => sha256_hex(&bytes),
            None => {
                let docs = self.store.documents(&result.dossier).await?;
                let doc = docs.iter().find(|x| x.id == result.document);
                match doc {
                    // The raw bytes, hashed here: a changed file is a verdict, not a fault.
                    Some(doc) => match self.files.get(&doc.file.storage_key).await {
                        Ok(bytes) => sha256_hex(&bytes),
                        Err(e) => {
                            tracing::warn!(result = %uuid, error = %e, "the signed result's file is missing");
                            String::new()
                        }
                    },
                    None => String::new(),
                }
            }
        };
        let verdict = match self.store.signing_key(result.key).await? {
            Some(k) if k.agency == result.agency => result.verify(&k.public_key, &presented),
            _ => Verdict::BadSignature,
        };
        let v = Verification {
            id: Uuid::now_v7(),
            result: result.id,
            agency: result.agency.clone(),
            at: self.now().with_timezone(&vn_offset()),
            verdict,
            channel,
            with_copy,
        };
        self.store.record_verification(&v).await?;
        Ok(VerifyView {
            id: result.id,
            verdict,
            message: verdict.label_vi().into(),
            agency_name: self.agency_name(&result.agency).await?,
            title: result.title,
            dossier: result.dossier,
            agency: result.agency,
            signed_at: result.signed_at,
            key: result.key,
            sha256: result.sha256,
            with_copy,
        })
    }

    /// The verifications of a result, newest first (staff who may read its dossier).
    pub async fn result_verifications(&self, actor: &Actor, id: &str) -> AppResult<Vec<Verification>> {
        let uuid = Uuid::parse_str(id.trim()).map_err(|_| forged(id))?;
        let result = self.store.signed_result(uuid).await?.ok_or_else(|| forged(id))?;
        if actor.user().is_none_or(|u| u.role == Role::Citizen) {
            return Err(AppError::Forbidden("Nhật ký xác thực dành cho cán bộ".into()));
        }
        self.dossier(actor, result.dossier.as_str()).await?;
        Ok(self.store.verifications(uuid, 200).await?)
    }
}

/// Who signs, with which key, under which id and time.
pub(crate) struct Signer<'a> {
    pub agency: &'a AgencyCode,
    pub key: &'a AgencyKey,
    pub signing: &'a SigningKey,
    pub id: Uuid,
    pub signed_at: Instant,
}

/// What the result PDF prints.
struct ResultDoc {
    id: Uuid,
    agency_name: String,
    procedure: String,
    title: String,
    results: Vec<String>,
    outcome: Option<Outcome>,
    applicant: String,
    dossier: DossierCode,
    signed_at: Instant,
    key: Uuid,
    signer: String,
    verify_url: String,
}

impl ResultDoc {
    fn doc(self) -> Doc {
        let outcome = match self.outcome {
            Some(Outcome::Rejected) => "Không đủ điều kiện giải quyết; văn bản trả lời nêu rõ lý do".to_owned(),
            _ => format!("Giải quyết; cấp: {}", self.results.join("; ")),
        };
        let rows = vec![
            vec!["Thủ tục".into(), self.procedure],
            vec!["Mã hồ sơ".into(), self.dossier.to_string()],
            vec!["Người yêu cầu".into(), self.applicant],
            vec!["Kết quả".into(), outcome],
            vec!["Cơ quan ký".into(), self.agency_name.clone()],
        ];
        Doc {
            paper: Paper::A4,
            number: String::new(),
            set_label: String::new(),
            issuer: vec![self.agency_name.to_uppercase()],
            title: "KẾT QUẢ GIẢI QUYẾT THỦ TỤC HÀNH CHÍNH".into(),
            subtitle: Some(self.title),
            blocks: vec![
                Block::Table {
                    columns: vec![
                        Column { title: "Nội dung".into(), share: 3.0 },
                        Column { title: "Thông tin".into(), share: 8.0 },
                    ],
                    rows,
                },
                Block::Para(vec![
                    Span::plain(
                        "Văn bản điện tử có giá trị pháp lý như bản giấy khi được ký số bởi cơ quan có thẩm quyền ",
                    ),
                    Span::italic("(Nghị định 45/2020/NĐ-CP)"),
                    Span::plain("."),
                ]),
            ],
            signatures: vec![Signature {
                dated: Some(crate::forms::dated(&self.signed_at)),
                role: "THỦ TRƯỞNG CƠ QUAN".into(),
                hint: format!("(Đã ký số bởi {}; khóa {})", self.signer, &self.key.to_string()[..8]),
            }],
            qr: Some(Qr {
                url: self.verify_url,
                caption: format!("Quét mã để xác thực kết quả điện tử — mã xác thực {}", self.id),
            }),
            footnote: None,
        }
    }
}
