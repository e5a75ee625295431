//! The document vault (kho quản lý dữ liệu điện tử của tổ chức, cá nhân; Decree 45/2020, TT
//! 01/2023): each citizen or organisation keeps their digitised components, electronic results
//! and certified e-copies, with a type, a validity and where each came from. A new dossier that
//! needs a component of a type the holder's vault has, still valid, is offered it for reuse.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::calendar::deadline::Instant;
use crate::dossier::DossierCode;
use crate::dossier::record::ApplicantId;
use crate::file::AttachedFile;
use crate::ids::AgencyCode;
use crate::procedure::Component;

/// Whose vault: `citizen:<personal id>` or `organisation:<tax code>`.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Holder(String);

impl Holder {
    pub fn of(id: &ApplicantId) -> Self {
        match id {
            ApplicantId::Citizen { citizen_id } => Self(format!("citizen:{}", citizen_id.as_str())),
            ApplicantId::Organisation { tax_code } => Self(format!("organisation:{}", tax_code.as_str())),
        }
    }
    /// A holder as stored (`citizen:…` or `organisation:…`).
    pub fn parse(s: &str) -> Option<Self> {
        (s.starts_with("citizen:") || s.starts_with("organisation:")).then(|| Self(s.to_owned()))
    }
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Display for Holder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// What a vault document is.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum VaultKind {
    /// A component of a dossier, digitised at the desk or uploaded.
    Component,
    /// An electronic result, signed by its agency.
    Result,
    /// A certified electronic copy of an original (chứng thực bản sao điện tử).
    CertifiedCopy,
}

impl VaultKind {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Component => "component",
            Self::Result => "result",
            Self::CertifiedCopy => "certified_copy",
        }
    }
    pub fn parse(s: &str) -> Option<Self> {
        [Self::Component, Self::Result, Self::CertifiedCopy].into_iter().find(|k| k.as_str() == s)
    }
    pub fn label_vi(self) -> &'static str {
        match self {
            Self::Component => "Giấy tờ đã số hóa",
            Self::Result => "Kết quả điện tử",
            Self::CertifiedCopy => "Bản sao chứng thực điện tử",
        }
    }
}

/// One document of a vault.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct VaultItem {
    pub id: Uuid,
    pub holder: Holder,
    pub kind: VaultKind,
    /// The type a component is matched on: the component's code when the catalog gives one,
    /// else its name folded (see [`doc_type_of`]).
    pub doc_type: String,
    pub name: String,
    #[serde(flatten)]
    pub file: AttachedFile,
    /// The last day it may be used (`None`: no end).
    pub valid_until: Option<NaiveDate>,
    /// The dossier it came from, and the agency that digitised or issued it.
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>))]
    pub dossier: Option<DossierCode>,
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub agency: AgencyCode,
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub added_at: Instant,
}

impl VaultItem {
    /// Still valid on `day`.
    pub fn valid_on(&self, day: NaiveDate) -> bool {
        self.valid_until.is_none_or(|end| day <= end)
    }
    /// The vault offers it for `component` on `day`: same type, still valid.
    pub fn offered_for(&self, component: &Component, day: NaiveDate) -> bool {
        self.doc_type == doc_type_of(component) && self.valid_on(day)
    }
}

/// The type a component is matched on: its code (`code:<code>`) when the catalog gives one,
/// else its name folded (marks, case and punctuation aside).
pub fn doc_type_of(component: &Component) -> String {
    match component.code.as_deref().map(str::trim).filter(|c| !c.is_empty()) {
        Some(code) => format!("code:{code}"),
        None => crate::text::fold_vi(&component.name),
    }
}

/// A refusal of a vault document offered for a dossier.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReuseRefusal {
    /// Another holder's document.
    NotHolders,
    /// Its validity ended.
    Expired,
    /// Not the type the component asks for.
    WrongType,
}

/// Whether `item` may stand for `component` in a dossier of `applicant` on `day`.
pub fn check_reuse(
    item: &VaultItem,
    applicant: &Holder,
    component: &Component,
    day: NaiveDate,
) -> Result<(), ReuseRefusal> {
    if &item.holder != applicant {
        return Err(ReuseRefusal::NotHolders);
    }
    if !item.valid_on(day) {
        return Err(ReuseRefusal::Expired);
    }
    if item.doc_type != doc_type_of(component) {
        return Err(ReuseRefusal::WrongType);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::procedure::ComponentKind;

    fn component(name: &str, code: Option<&str>) -> Component {
        Component {
            code: code.map(str::to_owned),
            name: name.into(),
            quantity: 1,
            kind: ComponentKind::Copy,
            group: None,
            form: None,
            conditional: false,
        }
    }

    fn item(holder: &str, doc_type: &str, valid_until: Option<NaiveDate>) -> VaultItem {
        VaultItem {
            id: Uuid::from_u128(1),
            holder: Holder::parse(holder).unwrap_or_else(|| panic!("holder")),
            kind: VaultKind::Component,
            doc_type: doc_type.into(),
            name: "Bản sao Thẻ Căn cước".into(),
            file: AttachedFile {
                file_name: "cccd.pdf".into(),
                content_type: "application/pdf".into(),
                size: 10,
                sha256: "ab".into(),
                storage_key: "k".into(),
            },
            valid_until,
            dossier: None,
            agency: AgencyCode::parse("H24.02").unwrap_or_else(|e| panic!("{e:?}")),
            added_at: chrono::DateTime::parse_from_rfc3339("2026-11-27T10:00:00+07:00")
                .unwrap_or_else(|e| panic!("{e}")),
        }
    }

    #[test]
    fn a_vault_document_is_offered_for_its_type_while_valid_and_to_its_holder_only() {
        let day = NaiveDate::from_ymd_opt(2026, 12, 1).unwrap_or_default();
        let c = component("Bản sao Thẻ Căn cước!", None);
        assert_eq!(doc_type_of(&c), "ban sao the can cuoc");
        let me = Holder::parse("citizen:031095001234").unwrap_or_else(|| panic!());
        let ok = item("citizen:031095001234", "ban sao the can cuoc", Some(day));
        assert!(ok.offered_for(&c, day));
        assert_eq!(check_reuse(&ok, &me, &c, day), Ok(()));
        let later = day.succ_opt().unwrap_or_default();
        assert_eq!(check_reuse(&ok, &me, &c, later), Err(ReuseRefusal::Expired), "valid through its last day only");
        let theirs = item("citizen:031095009999", "ban sao the can cuoc", None);
        assert_eq!(check_reuse(&theirs, &me, &c, day), Err(ReuseRefusal::NotHolders));
        let other = component("Giấy khai sinh", None);
        assert_eq!(check_reuse(&ok, &me, &other, day), Err(ReuseRefusal::WrongType));
        let coded = component("Bản sao Thẻ Căn cước", Some("CCCD"));
        assert_eq!(doc_type_of(&coded), "code:CCCD", "a catalog code wins over the name");
        assert!(!ok.offered_for(&coded, day));
        assert_eq!(Holder::parse("x:1"), None);
    }
}
