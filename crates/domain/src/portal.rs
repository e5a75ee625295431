//! The National Public Service Portal (Cổng Dịch vụ công quốc gia): the dossier sync payload of
//! service `DongBoHoSoMC` (docs/RULES.md §D12.2), composed from a dossier as it stands after a
//! change. The province pushes every dossier and every change of its national status
//! (`TrangThaiHoSo`, §D12.3); the portal's Decision 766 metric 1.4 counts the dossiers it received.
//!
//! Dates are `yyyyMMddHHmmss` in Vietnam's time. Where the sources show a field without its
//! codes, the choice made is said on the field.

use serde::{Deserialize, Serialize};

use crate::calendar::deadline::{Instant, vn_offset};
use crate::dossier::record::{ApplicantId, DossierRecord};
use crate::procedure::{Channel, Fee};

/// The service that receives dossiers and their status changes.
pub const SYNC_SERVICE: &str = "DongBoHoSoMC";

/// What the portal is told of the procedure of a dossier.
#[derive(Debug, Clone, PartialEq)]
pub struct ProcedureRef<'a> {
    pub name: &'a str,
    /// The field (lĩnh vực) as published; the national field codes are not in the catalog.
    pub field: Option<&'a str>,
    pub fees: &'a [Fee],
}

/// A fee of the dossier (`DanhSachLePhi`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct FeeLine {
    pub ten_phi_le_phi: String,
    /// The fee's position in the procedure's list (the catalog has no national fee codes).
    pub ma_phi_le_phi: String,
    /// 1 paid at the desk, 2 paid online.
    pub hinh_thuc_thu: u8,
    pub gia: u64,
    /// 1 a charge (phí), 2 a fee (lệ phí), read from the fee's name.
    pub loai_phi_le_phi: u8,
}

/// One dossier as the portal receives it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct SyncRecord {
    pub ma_ho_so: String,
    #[serde(rename = "MaTTHC")]
    pub ma_tthc: String,
    #[serde(rename = "TenTTHC")]
    pub ten_tthc: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ten_linh_vuc: Option<String>,
    pub chu_ho_so: String,
    /// 1 a citizen, 2 an organisation.
    pub loai_doi_tuong: u8,
    /// The personal identification number or the tax code.
    pub ma_doi_tuong: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub so_dien_thoai: Option<String>,
    pub trich_yeu_ho_so: String,
    pub ngay_tiep_nhan: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ngay_hen_tra: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ngay_tra: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ngay_ket_thuc_xu_ly: Option<String>,
    pub trang_thai_ho_so: u8,
    /// The agency holding the dossier (its electronic identifier).
    pub don_vi_xu_ly: String,
    /// 1 at the desk, 2 online, 3 by post.
    pub kenh_thuc_hien: u8,
    /// 0 not paid online, 2 paid through the province's own gateway.
    pub duoc_thanh_toan_truc_tuyen: u8,
    pub ho_so_co_thanh_phan_so_hoa: u8,
    #[serde(rename = "TaiKhoanDuocXacThucVoiVNeID")]
    pub tai_khoan_duoc_xac_thuc_voi_vneid: u8,
    /// The national database the applicant's identity came from (`CSDLQGDC`: population).
    #[serde(rename = "MaCSDL", default, skip_serializing_if = "Option::is_none")]
    pub ma_csdl: Option<String>,
    pub danh_sach_le_phi: Vec<FeeLine>,
}

/// The body of a sync call (the sender adds the portal's `session`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SyncRequest {
    pub service: String,
    #[serde(rename = "isUpdating")]
    pub is_updating: bool,
    pub data: Vec<SyncRecord>,
}

/// `yyyyMMddHHmmss` in Vietnam's time.
pub fn portal_time(t: Instant) -> String {
    t.with_timezone(&vn_offset()).format("%Y%m%d%H%M%S").to_string()
}

fn fee_kind(name: &str) -> u8 {
    if crate::text::fold_vi(name).starts_with("le phi") { 2 } else { 1 }
}

/// The sync request of dossier `d` (after its change); `is_updating` for every change after the
/// first push.
pub fn sync_request(d: &DossierRecord, procedure: &ProcedureRef<'_>, is_updating: bool) -> SyncRequest {
    let w = &d.workflow;
    let (kind, id) = match &d.applicant.id {
        ApplicantId::Citizen { citizen_id } => (1, citizen_id.as_str().to_owned()),
        ApplicantId::Organisation { tax_code } => (2, tax_code.as_str().to_owned()),
    };
    let paid_online = w.paid_online || d.facts.paid_online;
    let fees = procedure
        .fees
        .iter()
        .enumerate()
        .filter_map(|(i, f)| {
            f.amount_vnd.map(|gia| FeeLine {
                ten_phi_le_phi: f.name.clone(),
                ma_phi_le_phi: format!("{}", i + 1),
                hinh_thuc_thu: if paid_online { 2 } else { 1 },
                gia,
                loai_phi_le_phi: fee_kind(&f.name),
            })
        })
        .collect();
    let record = SyncRecord {
        ma_ho_so: d.code.to_string(),
        ma_tthc: d.procedure.to_string(),
        ten_tthc: procedure.name.to_owned(),
        ten_linh_vuc: procedure.field.map(str::to_owned),
        chu_ho_so: d.applicant.name.clone(),
        loai_doi_tuong: kind,
        ma_doi_tuong: id,
        email: d.applicant.email.clone(),
        so_dien_thoai: d.applicant.phone.as_ref().map(|p| p.as_str().to_owned()),
        trich_yeu_ho_so: format!("{} — {}", procedure.name, d.applicant.name),
        ngay_tiep_nhan: portal_time(d.received_at),
        ngay_hen_tra: w.due_current.map(portal_time),
        ngay_tra: w.state.eq(&crate::dossier::State::Returned).then_some(w.ended_at).flatten().map(portal_time),
        ngay_ket_thuc_xu_ly: w.resolved_at.map(portal_time),
        trang_thai_ho_so: w.state.national_code(),
        don_vi_xu_ly: w.agency.as_ref().unwrap_or(&d.competent_agency).to_string(),
        kenh_thuc_hien: match d.channel {
            Channel::Counter => 1,
            Channel::Online => 2,
            Channel::Postal => 3,
        },
        duoc_thanh_toan_truc_tuyen: if paid_online { 2 } else { 0 },
        ho_so_co_thanh_phan_so_hoa: u8::from(d.facts.component_files > 0),
        tai_khoan_duoc_xac_thuc_voi_vneid: u8::from(d.facts.vneid),
        ma_csdl: d.facts.population_data.then(|| "CSDLQGDC".to_owned()),
        danh_sach_le_phi: fees,
    };
    SyncRequest { service: SYNC_SERVICE.into(), is_updating, data: vec![record] }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_are_fourteen_digits_in_vietnam() {
        let t = chrono::DateTime::parse_from_rfc3339("2026-11-27T03:04:05Z").unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(portal_time(t), "20261127100405");
    }

    #[test]
    fn fees_are_told_apart_by_name() {
        assert_eq!((fee_kind("Lệ phí cấp giấy"), fee_kind("Phí thẩm định")), (2, 1));
    }
}
