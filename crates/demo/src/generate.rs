//! Realistic dossiers for demos and benchmarks, made through the same use cases as the API:
//! every intake and every command runs through `App::intake` and `App::command` with a
//! clock moved to the instant of the step, so codes, appointments, events and audit rows are
//! what real work would have left. Spread over the last months up to today, over the desks and
//! procedures of the catalog, over the three channels, with the usual outcomes (refused at the
//! check, completed on request, supplements, inter-agency opinions, apologies, late and early
//! results, withdrawals); dossiers whose next step lies after today stay open where they are.

use std::collections::BTreeMap;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use chrono::{DateTime, Datelike, Duration, NaiveDate, TimeZone, Utc, Weekday};
use motcua_domain::admin::Agency;
use motcua_domain::calendar::deadline::vn_offset;
use motcua_domain::dossier::record::DossierRecord;
use motcua_domain::dossier::{Outcome, ReturnMethod};
use motcua_domain::ids::AgencyCode;
use motcua_domain::procedure::search::CatalogEntry;
use motcua_domain::procedure::{Channel, TimeUnit};
use motcua_domain::user::Role;
use motcua_storage::AgencyQuery;
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use serde::Serialize;
use tokio::sync::Mutex;

use motcua_app::dossier_commands::{CommandInput, CommandRequest};
use motcua_app::dossiers::{ApplicantInput, IntakeInput};
use motcua_app::{Actor, App, AppError, AppResult, ManualClock};

#[derive(Debug, Clone)]
pub struct GenerateOptions {
    pub count: u64,
    /// Receipts spread over this many months before now.
    pub months: u32,
    pub seed: u64,
    /// Dossiers made at once (each with its own clock).
    pub workers: usize,
}

#[derive(Debug, Default, Clone, Serialize)]
pub struct GenerateReport {
    pub created: u64,
    /// Intakes or commands the use cases refused (the first reason is kept).
    pub failed: u64,
    pub first_error: Option<String>,
    pub by_channel: BTreeMap<String, u64>,
    pub by_state: BTreeMap<String, u64>,
    pub procedures: usize,
    pub desks: usize,
}

const FAMILY: [&str; 14] =
    ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Võ", "Phan", "Đặng", "Bùi", "Đỗ", "Hồ", "Ngô", "Dương"];
const MIDDLE: [&str; 8] = ["Văn", "Thị", "Minh", "Thu", "Đức", "Ngọc", "Quang", "Thanh"];
const GIVEN: [&str; 14] =
    ["An", "Bình", "Chi", "Dũng", "Giang", "Hà", "Hải", "Hường", "Khánh", "Lan", "Long", "Mai", "Nam", "Trang"];
const COMPANY: [&str; 6] = ["Thương mại", "Xây dựng", "Vận tải", "Nông sản", "Cơ khí", "Dịch vụ"];
const STREET: [&str; 6] = ["Trần Hưng Đạo", "Lê Lợi", "Nguyễn Trãi", "Quang Trung", "Hai Bà Trưng", "Điện Biên Phủ"];

/// Hải Dương (030) and Hải Phòng (031) residents mostly, some from elsewhere.
const ID_PROVINCES: [&str; 5] = ["030", "030", "031", "031", "001"];

fn applicant(rng: &mut StdRng) -> ApplicantInput {
    let phone = Some(format!("09{:08}", rng.random_range(0..100_000_000u32)));
    let address = Some(format!("Số {} đường {}", rng.random_range(1..300), STREET[rng.random_range(0..STREET.len())]));
    if rng.random_bool(0.12) {
        // An organisation: a 10-digit tax code whose last digit is the check digit.
        let id = loop {
            let body = format!("0{:08}", rng.random_range(0..100_000_000u32));
            if let Some(code) =
                (0..10).map(|d| format!("{body}{d}")).find(|c| motcua_domain::person::TaxCode::parse(c).is_ok())
            {
                break code;
            }
        };
        let name = format!(
            "Công ty TNHH {} {}",
            COMPANY[rng.random_range(0..COMPANY.len())],
            GIVEN[rng.random_range(0..GIVEN.len())]
        );
        return ApplicantInput { kind: "organisation".into(), id, name, phone, email: None, address };
    }
    let birth = rng.random_range(1950..=2006);
    let female = rng.random_bool(0.5);
    // Century and sex digit: 0/1 for the 1900s, 2/3 for the 2000s (male/female).
    let g = if birth < 2000 { 0 } else { 2 } + u8::from(female);
    let id = format!(
        "{}{}{:02}{:06}",
        ID_PROVINCES[rng.random_range(0..ID_PROVINCES.len())],
        g,
        birth % 100,
        rng.random_range(0..1_000_000u32)
    );
    let name = format!(
        "{} {} {}",
        FAMILY[rng.random_range(0..FAMILY.len())],
        if female { "Thị" } else { MIDDLE[rng.random_range(0..MIDDLE.len())] },
        GIVEN[rng.random_range(0..GIVEN.len())]
    );
    let email = rng.random_bool(0.3).then(|| format!("congdan{}@example.vn", rng.random_range(0..100_000)));
    ApplicantInput { kind: "citizen".into(), id, name, phone, email, address }
}

/// A receipt instant: counter and post in office hours on weekdays, online at any hour.
fn received_at(rng: &mut StdRng, from: DateTime<Utc>, to: DateTime<Utc>, channel: Channel) -> DateTime<Utc> {
    let span = (to - from).num_seconds().max(1);
    let t = from + Duration::seconds(rng.random_range(0..span));
    if channel == Channel::Online {
        return t;
    }
    let local = t.with_timezone(&vn_offset());
    let mut day: NaiveDate = local.date_naive();
    while matches!(day.weekday(), Weekday::Sat | Weekday::Sun) {
        day = day.pred_opt().unwrap_or(day);
    }
    let minute = rng.random_range(0..(9 * 60)) as i64; // 07:30 to 16:30
    let at = day.and_hms_opt(7, 30, 0).map(|n| n + Duration::minutes(minute));
    at.and_then(|n| vn_offset().from_local_datetime(&n).single()).map(|t| t.with_timezone(&Utc)).unwrap_or(t).min(to)
}

fn usable(e: &CatalogEntry) -> bool {
    !e.agencies.is_empty()
        && e.effective_to.is_none()
        && e.summary.time_limit.as_ref().is_some_and(|t| {
            t.value > 0.0 && matches!(t.unit, TimeUnit::WorkingDays | TimeUnit::WorkingHours | TimeUnit::Days)
        })
}

/// What one worker needs.
struct Shared {
    app: App,
    entries: Vec<CatalogEntry>,
    /// The procedures that accept an online filing.
    online: std::collections::BTreeSet<motcua_domain::ids::ProcedureCode>,
    desks: Vec<Agency>,
    departments: Vec<Agency>,
    /// Specialists and leaders of each agency: a dossier is assigned to one of its holder's.
    officers: BTreeMap<AgencyCode, Vec<String>>,
    now: DateTime<Utc>,
    from: DateTime<Utc>,
    seed: u64,
    next: AtomicU64,
    count: u64,
    done: AtomicU64,
    report: Mutex<GenerateReport>,
}

/// How a run of one dossier ended.
enum Run {
    /// Made: its channel and the state it was left in.
    Made(Channel, motcua_domain::dossier::State),
    Failed(String),
}

fn made(d: &DossierRecord) -> Run {
    Run::Made(d.channel, d.workflow.state)
}

/// Make `count` dossiers (provincial admin or the command line).
pub async fn generate_dossiers(
    app: &App,
    actor: &Actor,
    opts: &GenerateOptions,
    progress: Arc<dyn Fn(u64) + Send + Sync>,
) -> AppResult<GenerateReport> {
    actor.require_admin()?;
    let now = app.now();
    let from = now - Duration::days(i64::from(opts.months.max(1)) * 30);
    let entries: Vec<CatalogEntry> = app.catalog_entries().await?.into_iter().filter(usable).collect();
    let mut online = std::collections::BTreeSet::new();
    for e in &entries {
        let code = &e.summary.code;
        if app.procedure_on(code.as_str(), Some(e.effective_from)).await?.files_online() {
            online.insert(code.clone());
        }
    }
    let agencies = app.agencies(&AgencyQuery::default()).await?;
    let desks: Vec<Agency> = agencies.iter().filter(|a| a.kind.receives_dossiers()).cloned().collect();
    let departments: Vec<Agency> =
        agencies.iter().filter(|a| a.kind == motcua_domain::admin::AgencyKind::Department).cloned().collect();
    let mut officers = BTreeMap::new();
    for a in &agencies {
        let staff: Vec<String> = app
            .officers_of(actor, &a.code)
            .await?
            .into_iter()
            .filter(|u| matches!(u.role, Role::Specialist | Role::Leader))
            .map(|u| u.username.to_string())
            .collect();
        if !staff.is_empty() {
            officers.insert(a.code.clone(), staff);
        }
    }
    if entries.is_empty() || desks.is_empty() {
        return Err(AppError::NotAllowed {
            code: "nothing_to_generate",
            message: "Cần danh mục thủ tục có thời hạn và bộ phận một cửa (nạp dữ liệu mẫu trước: motcua demo)".into(),
        });
    }
    let shared = Arc::new(Shared {
        app: app.clone(),
        report: Mutex::new(GenerateReport { procedures: entries.len(), desks: desks.len(), ..Default::default() }),
        entries,
        online,
        desks,
        departments,
        officers,
        now,
        from,
        seed: opts.seed,
        next: AtomicU64::new(0),
        count: opts.count,
        done: AtomicU64::new(0),
    });
    let mut tasks = tokio::task::JoinSet::new();
    for _ in 0..opts.workers.max(1) {
        let (shared, progress) = (shared.clone(), progress.clone());
        tasks.spawn(async move { worker(shared, progress).await });
    }
    while let Some(r) = tasks.join_next().await {
        r.map_err(|e| AppError::Internal(e.to_string()))?;
    }
    let report = shared.report.lock().await.clone();
    Ok(report)
}

async fn worker(s: Arc<Shared>, progress: Arc<dyn Fn(u64) + Send + Sync>) {
    let clock = Arc::new(ManualClock::at(s.now));
    let mut app = s.app.with_clock(clock.clone());
    // Made-up applicants of replayed months: nothing is sent to them (their phone numbers are
    // random and may belong to real people).
    let config = std::sync::Arc::make_mut(&mut app.config);
    config.notices.email = false;
    config.notices.sms = false;
    loop {
        let i = s.next.fetch_add(1, Ordering::SeqCst);
        if i >= s.count {
            break;
        }
        let mut rng = StdRng::seed_from_u64(s.seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) ^ i);
        let run = one(&s, &app, &clock, &mut rng).await;
        let mut r = s.report.lock().await;
        match run {
            Run::Made(channel, state) => {
                r.created += 1;
                *r.by_channel.entry(name_of(&channel)).or_default() += 1;
                *r.by_state.entry(name_of(&state)).or_default() += 1;
            }
            Run::Failed(e) => {
                r.failed += 1;
                r.first_error.get_or_insert(e);
            }
        }
        drop(r);
        progress(s.done.fetch_add(1, Ordering::SeqCst) + 1);
    }
}

/// The serialised name of an enum value (`in_processing`).
fn name_of<T: Serialize>(v: &T) -> String {
    serde_json::to_value(v).ok().and_then(|v| v.as_str().map(str::to_owned)).unwrap_or_default()
}

fn pick<'a, T>(rng: &mut StdRng, v: &'a [T]) -> &'a T {
    &v[rng.random_range(0..v.len())]
}

fn minutes(rng: &mut StdRng, lo: i64, hi: i64) -> Duration {
    Duration::minutes(rng.random_range(lo..=hi))
}

/// How a dossier arrives: 55 % at the counter, 40 % online, 5 % by post.
fn pick_channel(rng: &mut StdRng) -> Channel {
    match rng.random_range(0..100) {
        0..55 => Channel::Counter,
        55..95 => Channel::Online,
        _ => Channel::Postal,
    }
}

/// The result goes back the way the dossier came.
fn return_method(channel: Channel) -> ReturnMethod {
    match channel {
        Channel::Online => ReturnMethod::Online,
        Channel::Postal => ReturnMethod::Postal,
        _ => ReturnMethod::Counter,
    }
}

/// An intake at a desk in force at `t0` for a procedure in force then (one that accepts online
/// filing when the channel is online).
fn intake_input(s: &Shared, rng: &mut StdRng, channel: Channel, t0: DateTime<Utc>) -> Result<IntakeInput, String> {
    let day = t0.with_timezone(&vn_offset()).date_naive();
    let desks: Vec<&Agency> = s.desks.iter().filter(|a| a.validity.contains(day)).collect();
    let entries: Vec<&CatalogEntry> = s
        .entries
        .iter()
        .filter(|e| e.effective_from <= day && (channel != Channel::Online || s.online.contains(&e.summary.code)))
        .collect();
    if desks.is_empty() || entries.is_empty() {
        return Err(format!("không có bộ phận một cửa hoặc thủ tục hiệu lực ngày {day}"));
    }
    let desk = pick(rng, &desks).code.clone();
    let entry = *pick(rng, &entries);
    Ok(IntakeInput {
        procedure: entry.summary.code.to_string(),
        channel,
        applicant: applicant(rng),
        desk: Some(desk.to_string()),
        competent_agency: None,
        population: false,
        answers: Default::default(),
        vault: vec![],
    })
}

/// The names of the steps the handling agency completes for `d` (none without a workflow).
async fn handling_steps(app: &App, d: &DossierRecord) -> Vec<String> {
    let version = app.procedure_on(d.procedure.as_str(), Some(d.received_at.date_naive())).await;
    version
        .ok()
        .and_then(|v| v.version.content.workflow)
        .map(|w| w.handling_steps().iter().map(|s| s.name.clone()).collect())
        .unwrap_or_default()
}

/// One dossier: intake, then its steps while they lie before now.
async fn one(s: &Shared, app: &App, clock: &ManualClock, rng: &mut StdRng) -> Run {
    let channel = pick_channel(rng);
    let t0 = received_at(rng, s.from, s.now, channel);
    let input = match intake_input(s, rng, channel, t0) {
        Ok(input) => input,
        Err(why) => return Run::Failed(why),
    };
    let (name, procedure) = (input.applicant.name.clone(), input.procedure.clone());
    clock.set(t0);
    let mut d = match app.intake(&Actor::System, input).await {
        Ok(d) => d,
        Err(e) => return Run::Failed(format!("{procedure}: {}", e.body().message)),
    };
    let mut t = t0;
    // Run a command `after` the previous step, unless that lies in the future.
    macro_rules! step {
        ($after:expr, $input:expr) => {{
            let at = t + $after;
            if at >= s.now {
                return made(&d);
            }
            t = at;
            clock.set(t);
            match app
                .command(&Actor::System, d.code.as_str(), CommandRequest { revision: d.revision, input: $input })
                .await
            {
                Ok(next) => d = next,
                Err(e) => return Run::Failed(format!("{} {}: {}", d.code, stringify!($input), e.body().message)),
            }
        }};
    }
    if channel != Channel::Counter {
        match rng.random_range(0..100) {
            0..5 => {
                step!(
                    minutes(rng, 30, 600),
                    CommandInput::Refuse {
                        reasons: vec!["Hồ sơ không thuộc thẩm quyền giải quyết của cơ quan".into()]
                    }
                );
                return made(&d);
            }
            5..15 => {
                step!(
                    minutes(rng, 30, 600),
                    CommandInput::RequestCompletion {
                        items: vec!["Bản sao giấy tờ tùy thân có chứng thực".into()]
                    }
                );
                step!(minutes(rng, 1440, 4320), CommandInput::Accept);
            }
            _ => step!(minutes(rng, 15, 480), CommandInput::Accept),
        }
    }
    let competent = d.competent_agency.clone();
    step!(minutes(rng, 10, 180), CommandInput::Transfer { agency: competent.to_string() });
    if rng.random_bool(0.02) {
        step!(minutes(rng, 60, 2880), CommandInput::RequestWithdrawal);
        step!(minutes(rng, 30, 600), CommandInput::Stop { reason: "Người nộp rút hồ sơ".into() });
        return made(&d);
    }
    // Assigned to an officer of the agency when it has accounts (agencies without any keep the
    // dossier unassigned, as one that handles its work outside the system would).
    if let Some(staff) = s.officers.get(d.workflow.agency.as_ref().unwrap_or(&d.competent_agency)) {
        let handler = pick(rng, staff).clone();
        step!(minutes(rng, 30, 600), CommandInput::Assign { handler });
    }
    step!(minutes(rng, 60, 1440), CommandInput::CompleteStep { note: "Thẩm định hồ sơ".into() });
    if rng.random_bool(0.12) {
        step!(
            minutes(rng, 60, 1440),
            CommandInput::RequestSupplement {
                items: vec!["Bổ sung bản chính để đối chiếu".into()], agency: None
            }
        );
        step!(minutes(rng, 1440, 7200), CommandInput::SupplementProvided);
    }
    let cooperating: Vec<&Agency> = s
        .departments
        .iter()
        .filter(|a| a.code != competent && a.validity.contains(d.received_at.date_naive()))
        .collect();
    if !cooperating.is_empty() && rng.random_bool(0.06) {
        let other: AgencyCode = pick(rng, &cooperating).code.clone();
        step!(minutes(rng, 60, 1440), CommandInput::Forward { agency: other.to_string() });
        step!(minutes(rng, 1440, 4320), CommandInput::CooperationAnswered { agency: other.to_string() });
    }
    let Some(due) = d.workflow.due_current.map(|x| x.with_timezone(&Utc)) else { return made(&d) };
    let late = rng.random_bool(0.15);
    if late && rng.random_bool(0.5) {
        // Apologise a working day or so before the appointment, with a new one.
        let at = (due - Duration::hours(20)).max(t + Duration::minutes(5));
        let proposed = (due + Duration::days(rng.random_range(2..8))).with_timezone(&vn_offset());
        let Ok(new_due) = app.next_working_time(Some(&competent), proposed).await else { return made(&d) };
        step!(
            at - t,
            CommandInput::Apologise {
                new_due: new_due.to_rfc3339(), reason: "Cần xác minh thêm thông tin".into()
            }
        );
    }
    let target = if late {
        due + Duration::minutes(rng.random_range(30..(6 * 1440)))
    } else {
        let span = (due - t).num_minutes().max(10);
        t + Duration::minutes(rng.random_range((span / 4).max(1)..=span.max(2) - 1))
    };
    // The remaining steps of the internal workflow (the leader's signature, the clerk's issue)
    // before the dossier is resolved, spread over the time left.
    let steps = handling_steps(app, &d).await;
    while let Some(name) = steps.get(d.workflow.steps_done as usize) {
        let left = (steps.len() - d.workflow.steps_done as usize + 1) as i32;
        step!(((target - t) / left).max(Duration::minutes(5)), CommandInput::CompleteStep { note: name.clone() });
    }
    let outcome = if rng.random_bool(0.95) { Outcome::Granted } else { Outcome::Rejected };
    step!((target - t).max(Duration::minutes(5)), CommandInput::Resolve { outcome });
    step!(minutes(rng, 60, 4320), CommandInput::Return { collected_by: name, method: return_method(channel) });
    made(&d)
}
