//! Small domain values for tests.

use chrono::{DateTime, NaiveDate, TimeZone, Utc};
use motcua_domain::admin::{AdminUnit, Agency, AgencyKind, SuccessorLink, UnitLevel, Validity};
use motcua_domain::ids::{AgencyCode, ProcedureCode, UnitCode};
use motcua_domain::procedure::{
    Channel, Component, ComponentKind, Fee, Level, OnlineLevel, Procedure, ProcedureVersion, Provenance, Publication,
    ResultDoc, StepRole, TimeLimit, TimeUnit, VersionContent, VersionStatus, Workflow, WorkflowStep,
};
use motcua_storage::{AdminMap, AuditEntry};

pub fn date(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap_or_else(|e| panic!("{s}: {e}"))
}

pub fn instant(y: i32, m: u32, d: u32, h: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(y, m, d, h, 0, 0).single().unwrap_or_else(|| panic!("bad instant"))
}

pub fn unit_code(s: &str) -> UnitCode {
    UnitCode::parse(s).unwrap_or_else(|e| panic!("{e}"))
}

pub fn agency_code(s: &str) -> AgencyCode {
    AgencyCode::parse(s).unwrap_or_else(|e| panic!("{e}"))
}

pub fn procedure_code(s: &str) -> ProcedureCode {
    ProcedureCode::parse(s).unwrap_or_else(|e| panic!("{e}"))
}

pub fn audit(action: &str) -> AuditEntry {
    AuditEntry {
        at: instant(2026, 11, 27, 3),
        actor_id: None,
        actor: "test".into(),
        action: action.into(),
        entity: "test".into(),
        entity_id: "-".into(),
        ip: Some("127.0.0.1".into()),
        agency: None,
        detail: serde_json::json!({}),
    }
}

fn unit(code: &str, name: &str, level: UnitLevel, parent: Option<&str>, from: &str, to: Option<&str>) -> AdminUnit {
    AdminUnit {
        code: unit_code(code),
        name: name.into(),
        level,
        parent: parent.map(unit_code),
        validity: Validity { valid_from: date(from), valid_to: to.map(date) },
    }
}

/// Two old communes of a district merged into one new commune on 1 July 2025.
pub fn small_map() -> AdminMap {
    AdminMap {
        units: vec![
            unit("30", "Tỉnh Hải Dương", UnitLevel::Province, None, "1997-01-01", Some("2025-07-01")),
            unit("31", "Thành phố Hải Phòng", UnitLevel::Province, None, "1997-01-01", None),
            unit("293", "Huyện Bình Giang", UnitLevel::District, Some("30"), "1997-01-01", Some("2025-07-01")),
            unit("10981", "Xã Thái Học", UnitLevel::Commune, Some("293"), "1997-01-01", Some("2025-07-01")),
            unit("10984", "Xã Thái Dương", UnitLevel::Commune, Some("293"), "1997-01-01", Some("2025-07-01")),
            unit("H-BG-1", "Xã Bình Giang", UnitLevel::Commune, Some("31"), "2025-07-01", None),
        ],
        successors: vec![
            SuccessorLink { from: unit_code("30"), to: unit_code("31"), share: None },
            SuccessorLink { from: unit_code("10981"), to: unit_code("H-BG-1"), share: None },
            SuccessorLink { from: unit_code("10984"), to: unit_code("H-BG-1"), share: Some("một phần".into()) },
        ],
        agencies: vec![
            Agency {
                code: agency_code("000.00.00.H23"),
                name: "UBND tỉnh Hải Dương".into(),
                kind: AgencyKind::ProvincialCommittee,
                parent: None,
                unit: unit_code("30"),
                validity: Validity { valid_from: date("1997-01-01"), valid_to: Some(date("2025-07-01")) },
            },
            Agency {
                code: agency_code("000.00.12.H23"),
                name: "Sở Tư pháp tỉnh Hải Dương".into(),
                kind: AgencyKind::Department,
                parent: Some(agency_code("000.00.00.H23")),
                unit: unit_code("30"),
                validity: Validity { valid_from: date("1997-01-01"), valid_to: Some(date("2025-07-01")) },
            },
            Agency {
                code: agency_code("H24.12"),
                name: "Sở Tư pháp thành phố Hải Phòng".into(),
                kind: AgencyKind::Department,
                parent: None,
                unit: unit_code("31"),
                validity: Validity { valid_from: date("2025-07-01"), valid_to: None },
            },
        ],
    }
}

pub fn content(name: &str, field: &str, level: Level) -> VersionContent {
    VersionContent {
        name: name.into(),
        field: Some(field.into()),
        levels: vec![level],
        online_level: OnlineLevel::Partial,
        full_process_eligible: false,
        steps: vec!["Nộp hồ sơ tại Bộ phận Một cửa".into(), "Nhận kết quả".into()],
        channels: vec![Channel::Counter, Channel::Online],
        components: vec![Component {
            code: None,
            name: "Tờ khai theo mẫu".into(),
            quantity: 1,
            kind: ComponentKind::Original,
            group: None,
            form: None,
            conditional: false,
        }],
        time_limit: Some(TimeLimit {
            value: 3.0, unit: TimeUnit::WorkingDays, text: Some("03 ngày làm việc".into())
        }),
        subjects: vec!["Công dân Việt Nam".into()],
        implementing_agency: Some("Sở Tư pháp".into()),
        deciding_agency: None,
        agencies: vec![agency_code("H24.12")],
        results: vec![ResultDoc { name: "Giấy xác nhận".into(), paper: Some(true) }],
        fees: vec![Fee { name: "Lệ phí".into(), amount_vnd: Some(10_000), text: Some("10.000 đồng".into()) }],
        eform: None,
        declaration: None,
        conditions: vec![],
        legal_basis: vec!["Nghị định 118/2025/NĐ-CP".into()],
        workflow: Some(Workflow {
            steps: vec![
                WorkflowStep {
                    name: "Tiếp nhận".into(),
                    role: StepRole::DeskOfficer,
                    agency: None,
                    unit: None,
                    budget_hours: 4.0,
                },
                WorkflowStep {
                    name: "Thẩm định".into(),
                    role: StepRole::Specialist,
                    agency: None,
                    unit: None,
                    budget_hours: 16.0,
                },
                WorkflowStep {
                    name: "Ký duyệt".into(),
                    role: StepRole::Leader,
                    agency: None,
                    unit: None,
                    budget_hours: 4.0,
                },
            ],
            inter_agency: None,
        }),
        provenance: Provenance::default(),
    }
}

/// A procedure with one version published from `from`.
pub fn published(code: &str, name: &str, field: &str, level: Level, from: &str) -> Procedure {
    Procedure {
        code: procedure_code(code),
        versions: vec![ProcedureVersion {
            number: 1,
            status: VersionStatus::Published,
            publication: Publication {
                decision_no: Some("1/QĐ-UBND".into()),
                decision_date: Some(date(from)),
                effective_from: Some(date(from)),
                effective_to: None,
                publicised_on: None,
            },
            content: content(name, field, level),
        }],
    }
}

/// A citizen applicant with an identification number, a phone, an e-mail and an address.
pub fn applicant(name: &str) -> motcua_domain::dossier::record::Applicant {
    use motcua_domain::dossier::record::{Applicant, ApplicantId};
    use motcua_domain::person::{CitizenId, Phone};
    Applicant {
        id: ApplicantId::Citizen {
            citizen_id: CitizenId::parse("031095001234", 2026).unwrap_or_else(|e| panic!("{e}")),
        },
        name: name.into(),
        phone: Some(Phone::parse("0912345678").unwrap_or_else(|e| panic!("{e}"))),
        email: Some("congdan@example.vn".into()),
        address: Some("Xã Kẻ Sặt, Hải Phòng".into()),
    }
}

/// A dossier of the small map's desk H24.02 for the agency H24.11, received at `received` on
/// `channel` from a citizen with the given contacts (accepted at the counter, submitted
/// otherwise).
pub fn new_dossier(
    channel: motcua_domain::procedure::Channel,
    received: motcua_domain::calendar::deadline::Instant,
    phone: Option<&str>,
    email: Option<&str>,
) -> motcua_domain::dossier::record::NewDossier {
    use motcua_domain::dossier::record::{Applicant, ApplicantId, FormSet, NewDossier};
    use motcua_domain::dossier::{Command, Dossier, Policy, transition};
    use motcua_domain::person::{CitizenId, Phone};
    let workflow = if channel == motcua_domain::procedure::Channel::Counter {
        let due = received + chrono::Duration::days(5);
        transition(&Dossier::submitted(), &Command::Accept { due }, received, &Policy::default())
            .unwrap_or_else(|e| panic!("{e}"))
            .0
    } else {
        Dossier::submitted()
    };
    NewDossier {
        agency: agency_code("H24.02"),
        competent_agency: agency_code("H24.11"),
        procedure: procedure_code("2.000908"),
        procedure_number: 1,
        channel,
        applicant: Applicant {
            id: ApplicantId::Citizen {
                citizen_id: CitizenId::parse("031095001234", 2026).unwrap_or_else(|e| panic!("{e}")),
            },
            name: "Vũ Minh Anh".into(),
            phone: phone.map(|p| Phone::parse(p).unwrap_or_else(|e| panic!("{e}"))),
            email: email.map(str::to_owned),
            address: Some("Xã Kẻ Sặt, Hải Phòng".into()),
        },
        workflow,
        received_at: received,
        calendar_stamp: "test".into(),
        form_set: FormSet::Tt01_2018,
        submitted_by: None,
        traits: motcua_domain::dossier::record::ProcedureTraits { paper_result: true, fee_bearing: true },
        population_data: false,
        vneid: false,
        declaration: None,
    }
}

/// The first event of `new` (accept at the counter, submit otherwise).
pub fn intake_event(new: &motcua_domain::dossier::record::NewDossier) -> motcua_domain::dossier::record::EventRecord {
    use motcua_domain::dossier::{CommandKind, State};
    let counter = new.channel == motcua_domain::procedure::Channel::Counter;
    motcua_domain::dossier::record::EventRecord {
        at: new.received_at,
        actor: "motcua".into(),
        agency: new.agency.clone(),
        command: if counter { CommandKind::Accept } else { CommandKind::Submit },
        from: counter.then_some(State::Submitted),
        to: new.workflow.state,
        detail: intake_detail(new.channel),
    }
}

/// The detail of an intake event: version 1 of the procedure, three working days at the counter.
pub fn intake_detail(channel: motcua_domain::procedure::Channel) -> motcua_domain::dossier::EventDetail {
    let counter = channel == motcua_domain::procedure::Channel::Counter;
    motcua_domain::dossier::EventDetail::Intake {
        procedure_version: 1,
        channel,
        limit: counter.then_some(motcua_domain::calendar::deadline::Limit::WorkingDays(3)),
        calendar: counter.then(|| "lịch mặc định".to_owned()),
    }
}

/// A notice to the fixture applicant.
pub fn notice(channel: motcua_domain::notice::NoticeChannel, body: &str) -> motcua_domain::notice::Notice {
    use motcua_domain::notice::{Notice, NoticeChannel};
    match channel {
        NoticeChannel::Sms => {
            Notice { channel, recipient: "0912345678".into(), subject: String::new(), body: body.into() }
        }
        NoticeChannel::Email => {
            Notice {
                channel, recipient: "anh@example.vn".into(), subject: format!("Hồ sơ: {body}"), body: body.into()
            }
        }
        NoticeChannel::Portal => Notice {
            channel,
            recipient: motcua_domain::portal::SYNC_SERVICE.into(),
            subject: String::new(),
            body: body.into(),
        },
    }
}

/// A small plan: one section with a task, its sub-item and a dated task; one inspection.
pub fn small_plan() -> motcua_domain::plan::Plan {
    use motcua_domain::plan::{Deadline, DeadlineKind, Inspection, Party, Plan, Section, Task};
    let party = |code: &str, name: &str| Party {
        text: name.into(),
        agency: Some(agency_code(code)),
        name: Some(name.into()),
        group: None,
    };
    let task = |number: &str, parent: Option<&str>, title: &str, deadline: Deadline| Task {
        id: None,
        number: number.into(),
        parent: parent.map(Into::into),
        title: title.into(),
        lead: vec![party("000.00.01.H23", "Văn phòng Ủy ban nhân dân tỉnh Hải Dương")],
        cooperating: vec![Party { text: "Các cơ quan có liên quan".into(), agency: None, name: None, group: None }],
        product: "Báo cáo".into(),
        deadline,
        targets: Vec::new(),
    };
    let recurring = Deadline {
        kind: DeadlineKind::Recurring,
        due: None,
        from: Some(date("2024-01-01")),
        to: Some(date("2024-12-31")),
        text: "Thường xuyên trong năm 2024".into(),
    };
    let dated = Deadline {
        kind: DeadlineKind::Date,
        due: Some(date("2024-09-15")),
        from: None,
        to: None,
        text: "Chậm nhất ngày 15/9/2024".into(),
    };
    Plan {
        owner: agency_code("000.00.00.H23"),
        year: 2024,
        title: "Kiểm soát thủ tục hành chính năm 2024 trên địa bàn tỉnh Hải Dương".into(),
        decision: "Số: /QĐ-UBND".into(),
        issued: "Hải Dương, ngày tháng 01 năm 2024".into(),
        effective: date("2024-01-01"),
        sections: vec![Section {
            number: "I".into(),
            title: "Công tác chỉ đạo".into(),
            tasks: vec![
                task("1", None, "Xây dựng văn bản chỉ đạo", recurring.clone()),
                task("1.1", Some("1"), "Văn bản hướng dẫn", recurring),
                task("2", None, "Rà soát thủ tục", dated),
            ],
        }],
        inspection_title: "Kiểm tra năm 2024".into(),
        inspections: vec![Inspection {
            id: None,
            group: "I".into(),
            group_title: "KHỐI CÁC SỞ".into(),
            number: "1".into(),
            text: "Sở Tư pháp".into(),
            agencies: vec![party("000.00.08.H23", "Sở Tư pháp tỉnh Hải Dương")],
            note: String::new(),
        }],
    }
}

/// What a store keeps about a PDF file stored under `key`.
pub fn pdf_file(name: &str, key: &str) -> motcua_domain::file::AttachedFile {
    motcua_domain::file::AttachedFile {
        file_name: name.into(),
        content_type: "application/pdf".into(),
        size: 1234,
        sha256: "ab".repeat(32),
        storage_key: key.into(),
    }
}
