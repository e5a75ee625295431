//! Online payment of a dossier's fees (issue 16, item 1): the order sent to the gateway, its
//! signed callback taken once (the dossier's "paid online" change stored in the same
//! transaction), the receipt, and the daily reconciliation with the gateway's report.

use std::collections::BTreeMap;

use chrono::{DateTime, NaiveDate, Utc};
use motcua_domain::dossier::record::DossierRecord;
use motcua_domain::dossier::{EventDetail, State};
use motcua_domain::payment::{self, Callback, CallbackRefusal, FeeDue, PaymentState};
use motcua_domain::portal::portal_time;
use motcua_domain::user::Role;
use motcua_storage::{Confirmed, Difference, DossierUpdate, GatewayLine, PaymentQuery, PaymentRecord, Reconciliation};
use serde::Serialize;
use uuid::Uuid;

use crate::dossier_commands::{CommandInput, MAX_AMOUNT_VND};
use crate::{Actor, App, AppError, AppResult};
use motcua_domain::dossier::Command;

/// The province's account at its payment gateway.
#[derive(Clone, PartialEq, Eq)]
pub struct Gateway {
    /// Base address: `<url>/pay` takes the payer, `<url>/report` gives a day's transactions.
    pub url: String,
    pub merchant: String,
    /// The HMAC key both sides sign with.
    pub secret: String,
}

impl std::fmt::Debug for Gateway {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Gateway").field("url", &self.url).field("merchant", &self.merchant).finish_non_exhaustive()
    }
}

impl Gateway {
    /// `<url>/<path>?<params signed>`.
    pub fn signed_url(&self, path: &str, params: BTreeMap<String, String>) -> String {
        let signed = payment::signed(&self.secret, params);
        let query = form_urlencoded::Serializer::new(String::new()).extend_pairs(signed.iter()).finish();
        format!("{}/{path}?{query}", self.url.trim_end_matches('/'))
    }
}

/// A payment started: the order, and where to send the payer.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Serialize)]
pub struct PaymentStart {
    pub payment: PaymentRecord,
    pub redirect_url: String,
}

/// The answer the gateway reads from a callback.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CallbackAnswer {
    /// `00` taken (or acknowledged); `02` already confirmed; `01` unknown order; `04` wrong
    /// amount; `97` bad signature; `99` other.
    pub code: &'static str,
    pub message: String,
}

/// Who pays a dossier's fees online: the account that filed it, or a desk officer of its
/// receiving desk (at a kiosk, for the applicant).
pub(crate) fn may_pay(user: &motcua_domain::user::User, d: &DossierRecord) -> bool {
    match user.role {
        Role::Citizen => d.submitted_by == Some(user.id),
        Role::DeskOfficer => user.agency.as_ref() == Some(&d.agency),
        _ => false,
    }
}

fn gateway_time(t: DateTime<Utc>) -> String {
    portal_time(t.fixed_offset())
}

impl App {
    fn gateway(&self) -> AppResult<&Gateway> {
        self.config.payment.as_ref().ok_or_else(|| AppError::NotAllowed {
            code: "payment_off",
            message: "Tỉnh chưa kết nối cổng thanh toán trực tuyến; vui lòng nộp tại bộ phận một cửa".into(),
        })
    }

    /// Start paying dossier `code` online: by its applicant's account, or by a desk officer of its
    /// receiving desk (a kiosk), while the dossier waits for payment.
    pub async fn start_payment(&self, actor: &Actor, code: &str) -> AppResult<PaymentStart> {
        let gateway = self.gateway()?.clone();
        let d = self.dossier(actor, code).await?;
        let user = actor.user().ok_or(AppError::Unauthenticated)?;
        if !may_pay(user, &d) {
            return Err(AppError::Forbidden("Chỉ người nộp hồ sơ hoặc bộ phận một cửa nhận hồ sơ thanh toán".into()));
        }
        let amount = match (d.workflow.state, d.workflow.payment_due) {
            (State::AwaitingPayment, Some(a)) => a,
            _ => {
                return Err(AppError::NotAllowed {
                    code: "no_payment_due",
                    message: "Hồ sơ không ở bước chờ thực hiện nghĩa vụ tài chính".into(),
                });
            }
        };
        let pending = PaymentQuery { dossier: Some(d.code.clone()), limit: 50, ..PaymentQuery::default() };
        let earlier = self.store.payments(&pending).await?;
        if earlier.iter().any(|p| p.state == PaymentState::Paid && p.amount_vnd == amount) {
            return Err(AppError::NotAllowed {
                code: "already_paid",
                message: "Khoản này đã được thanh toán; hồ sơ sẽ được xử lý tiếp".into(),
            });
        }
        let payment = match earlier.into_iter().find(|p| p.state == PaymentState::Pending && p.amount_vnd == amount) {
            Some(p) => p,
            None => {
                let p = PaymentRecord {
                    id: Uuid::now_v7(),
                    agency: d.agency.clone(),
                    dossier: d.code.clone(),
                    amount_vnd: amount,
                    lines: self.fee_lines(&d, amount).await?,
                    state: PaymentState::Pending,
                    created_at: self.now(),
                    created_by: actor.name(),
                    gateway_txn: None,
                    paid_at: None,
                    receipt_no: None,
                    note: None,
                };
                let detail = serde_json::json!({ "dossier": d.code, "amount_vnd": amount });
                let audit = actor.audit(self.now(), "payment.start", "payment", p.id.to_string(), detail);
                self.store.create_payment(&p, &audit).await?;
                p
            }
        };
        let base = self.config.public_url.trim_end_matches('/');
        let params: BTreeMap<String, String> = [
            ("merchant", gateway.merchant.clone()),
            ("order", payment.id.to_string()),
            ("amount", amount.to_string()),
            ("order_info", format!("Phí, lệ phí hồ sơ {}", d.code)),
            ("return_url", format!("{base}/thanh-toan/ket-qua")),
            ("notify_url", format!("{base}/api/v1/payments/callback")),
            ("created_at", gateway_time(self.now())),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_owned(), v))
        .collect();
        Ok(PaymentStart { redirect_url: gateway.signed_url("pay", params), payment })
    }

    /// The lines of the amount asked: as the officer's request made it up.
    async fn fee_lines(&self, d: &DossierRecord, amount: u64) -> AppResult<Vec<FeeDue>> {
        let events = self.store.dossier_events(&d.code).await?;
        let due = events.iter().rev().find_map(|e| match &e.detail {
            EventDetail::Command { command: motcua_domain::dossier::Command::RequestPayment { due, .. }, .. } => {
                due.clone()
            }
            _ => None,
        });
        Ok(match due {
            Some(due) if due.total() == amount => due.lines,
            _ => vec![FeeDue { name: "Phí, lệ phí".into(), amount_vnd: amount }],
        })
    }

    /// The gateway's callback (server to server): taken when signed, for a known order, for its
    /// exact amount, once. A refusal or a replay changes nothing and is audited.
    pub async fn payment_callback(&self, params: BTreeMap<String, String>, ip: Option<String>) -> CallbackAnswer {
        let log = |action: &str, detail: serde_json::Value| {
            let actor = Actor::Anonymous { ip: ip.clone() };
            actor.audit(self.now(), action, "payment", params.get("order").cloned().unwrap_or_default(), detail)
        };
        match self.take_callback(&params).await {
            Ok(message) => CallbackAnswer { code: "00", message },
            Err(Ok(refusal)) => {
                let mut shown = params.clone();
                shown.remove(payment::SIGNATURE);
                tracing::warn!(reason = %refusal, ?shown, "payment callback refused");
                let action = match refusal {
                    CallbackRefusal::AlreadyConfirmed => "payment.callback_replayed",
                    _ => "payment.callback_refused",
                };
                let detail = serde_json::json!({ "reason": refusal.to_string(), "params": shown });
                if let Err(e) = self.store.record_audit(&log(action, detail)).await {
                    tracing::error!(error = %e, "payment callback: audit not written");
                }
                CallbackAnswer { code: refusal.code(), message: refusal.to_string() }
            }
            Err(Err(e)) => {
                tracing::error!(error = %e, "payment callback failed");
                CallbackAnswer { code: "99", message: "Lỗi hệ thống; cổng thanh toán gửi lại sau".into() }
            }
        }
    }

    async fn take_callback(
        &self,
        params: &BTreeMap<String, String>,
    ) -> Result<String, Result<CallbackRefusal, AppError>> {
        let gateway = self.gateway().map_err(Err)?;
        let c = Callback::read(&gateway.secret, params).map_err(Ok)?;
        let unknown = || Ok(CallbackRefusal::UnknownOrder(c.order.clone()));
        let id = Uuid::parse_str(&c.order).map_err(|_| unknown())?;
        let p = self.store.payment(id).await.map_err(|e| Err(e.into()))?.ok_or_else(unknown)?;
        if c.amount_vnd != p.amount_vnd {
            return Err(Ok(CallbackRefusal::WrongAmount { given: c.amount_vnd, expected: p.amount_vnd }));
        }
        if p.state == PaymentState::Paid {
            return Err(Ok(CallbackRefusal::AlreadyConfirmed));
        }
        if c.response_code != payment::PAID {
            let audit = Actor::System.audit(
                self.now(),
                "payment.declined",
                "payment",
                id.to_string(),
                serde_json::json!({ "response_code": c.response_code, "txn": c.txn }),
            );
            self.store.fail_payment(id, &c.txn, &audit).await.map_err(|e| Err(e.into()))?;
            return Ok("Đã ghi nhận giao dịch không thành công".into());
        }
        // The dossier may change between the read and the write (an officer acting): read again.
        for _ in 0..3 {
            match self.confirm(&p, &c).await {
                Err(AppError::Stale) => continue,
                Err(e) => return Err(Err(e)),
                Ok(Confirmed::Already) => return Err(Ok(CallbackRefusal::AlreadyConfirmed)),
                Ok(Confirmed::Now) => return Ok("Xác nhận thanh toán thành công".into()),
            }
        }
        Err(Err(AppError::Stale))
    }

    /// Mark `p` paid by callback `c`, with the dossier's "paid online" change when it still
    /// waits for payment; otherwise paid with a note for an officer (a refund to consider).
    async fn confirm(&self, p: &PaymentRecord, c: &Callback) -> AppResult<Confirmed> {
        let d =
            self.store.dossier(&p.dossier).await?.ok_or_else(|| AppError::NotFound(format!("hồ sơ {}", p.dossier)))?;
        let receipt_no = format!(
            "BL-{}-{}",
            gateway_time(self.now()).get(2..8).unwrap_or("000000"),
            &p.id.simple().to_string()[24..]
        );
        let (update, note) =
            match d.workflow.state == State::AwaitingPayment && d.workflow.payment_due == Some(p.amount_vnd) {
                true => {
                    let revision = d.revision;
                    let prepared =
                        self.prepare_command(&Actor::System, d, CommandInput::PaymentReceived { online: true }).await?;
                    let update = DossierUpdate {
                        code: prepared.after.code.clone(),
                        expected_revision: revision,
                        workflow: prepared.after.workflow,
                        event: prepared.event,
                        audit: prepared.audit,
                        notices: prepared.notices,
                    };
                    (Some(update), None)
                }
                false => (None, Some("Hồ sơ không còn chờ khoản này khi cổng báo đã trả: cần xem xét hoàn tiền")),
            };
        let detail =
            serde_json::json!({ "txn": c.txn, "amount_vnd": c.amount_vnd, "paid_at": c.paid_at, "note": note });
        let audit = Actor::System.audit(self.now(), "payment.paid", "payment", p.id.to_string(), detail);
        let confirmation = motcua_storage::Confirmation {
            id: p.id,
            txn: c.txn.clone(),
            paid_at: self.now(),
            receipt_no,
            note: note.map(str::to_owned),
        };
        self.store.confirm_payment(&confirmation, update.as_ref(), &audit).await.map_err(AppError::from)
    }

    /// What the payer sees back from the gateway: the payment as the ledger has it (the callback
    /// decides; the return only shows), when the return is signed.
    pub async fn payment_return(&self, params: BTreeMap<String, String>) -> AppResult<PaymentRecord> {
        let gateway = self.gateway()?;
        if !payment::verify(&gateway.secret, &params) {
            return Err(AppError::invalid("bad_signature", "signature", "Kết quả thanh toán không có chữ ký hợp lệ"));
        }
        let id = params.get("order").and_then(|o| Uuid::parse_str(o).ok());
        let p = match id {
            Some(id) => self.store.payment(id).await?,
            None => None,
        };
        p.ok_or_else(|| AppError::NotFound("giao dịch thanh toán".into()))
    }

    /// The payments of a dossier, for whoever may read it.
    pub async fn dossier_payments(&self, actor: &Actor, code: &str) -> AppResult<Vec<PaymentRecord>> {
        let d = self.dossier(actor, code).await?;
        Ok(self.store.payments(&PaymentQuery { dossier: Some(d.code), limit: 100, ..PaymentQuery::default() }).await?)
    }

    /// One payment of a dossier (its receipt), for whoever may read the dossier.
    pub async fn dossier_payment(
        &self,
        actor: &Actor,
        code: &str,
        id: Uuid,
    ) -> AppResult<(DossierRecord, PaymentRecord)> {
        let d = self.dossier(actor, code).await?;
        match self.store.payment(id).await? {
            Some(p) if p.dossier == d.code => Ok((d, p)),
            _ => Err(AppError::NotFound("biên lai".into())),
        }
    }

    /// The payment ledger and the latest reconciliations. Administrators only.
    pub async fn payment_ledger(
        &self,
        actor: &Actor,
        state: Option<PaymentState>,
        limit: u32,
    ) -> AppResult<(Vec<PaymentRecord>, Vec<Reconciliation>)> {
        actor.require_admin()?;
        let payments =
            self.store.payments(&PaymentQuery { state, limit: limit.clamp(1, 500), ..PaymentQuery::default() }).await?;
        Ok((payments, self.store.reconciliations(30).await?))
    }

    /// Compare the gateway's report of `day` (Vietnam's day) with the ledger and keep the
    /// differences for an administrator: a paid transaction the ledger does not have as paid (or
    /// for another amount), a payment the ledger has as paid that the report lacks.
    pub async fn reconcile_payments(
        &self,
        actor: &Actor,
        day: NaiveDate,
        report: &[GatewayLine],
    ) -> AppResult<Reconciliation> {
        let from = motcua_domain::calendar::deadline::day_start(day).ok_or_else(|| AppError::Internal("day".into()))?;
        let until = from + chrono::Duration::days(1);
        let q = PaymentQuery {
            from: Some(from.to_utc()),
            until: Some(until.to_utc()),
            limit: 10_000,
            ..PaymentQuery::default()
        };
        let ledger = self.store.payments(&q).await?;
        let paid: Vec<&GatewayLine> = report.iter().filter(|l| l.response_code == payment::PAID).collect();
        let mut differences = Vec::new();
        for l in &paid {
            match ledger.iter().find(|p| p.id.to_string() == l.order) {
                None => differences.push(Difference {
                    order: l.order.clone(),
                    what: "Cổng báo đã thu, sổ không có giao dịch".into(),
                    gateway_amount_vnd: Some(l.amount_vnd),
                    ledger_amount_vnd: None,
                }),
                Some(p) if p.state != PaymentState::Paid || p.amount_vnd != l.amount_vnd => {
                    differences.push(Difference {
                        order: l.order.clone(),
                        what: format!("Cổng báo đã thu, sổ ghi «{}»", p.state.label_vi()),
                        gateway_amount_vnd: Some(l.amount_vnd),
                        ledger_amount_vnd: Some(p.amount_vnd),
                    })
                }
                Some(_) => {}
            }
        }
        let ours: Vec<&PaymentRecord> = ledger.iter().filter(|p| p.state == PaymentState::Paid).collect();
        for p in &ours {
            if !paid.iter().any(|l| l.order == p.id.to_string()) {
                differences.push(Difference {
                    order: p.id.to_string(),
                    what: "Sổ ghi đã thu, cổng không báo".into(),
                    gateway_amount_vnd: None,
                    ledger_amount_vnd: Some(p.amount_vnd),
                });
            }
        }
        let r = Reconciliation {
            agency: self.province_office().await?,
            day,
            ran_at: self.now(),
            gateway_count: paid.len() as u32,
            ledger_count: ours.len() as u32,
            differences,
        };
        let detail = serde_json::json!({ "day": day, "differences": r.differences.len() });
        let audit = actor.audit(self.now(), "payment.reconcile", "payment_reconciliation", day.to_string(), detail);
        self.store.put_reconciliation(&r, &audit).await?;
        Ok(r)
    }

    /// The receipt of a paid payment of dossier `code` (biên lai thu phí, lệ phí), for whoever may
    /// read the dossier: its title and document.
    pub async fn payment_receipt(&self, actor: &Actor, code: &str, id: Uuid) -> AppResult<(String, motcua_print::Doc)> {
        use motcua_print::{Block, Column, Doc, Paper, Span};
        let (d, p) = self.dossier_payment(actor, code, id).await?;
        let (Some(no), Some(paid_at)) = (&p.receipt_no, p.paid_at) else {
            return Err(AppError::NotAllowed {
                code: "not_paid", message: "Giao dịch chưa được thanh toán".into()
            });
        };
        let desk = self.agency_name(&d.agency).await?;
        let vnd = motcua_domain::text::vnd;
        let mut rows: Vec<Vec<String>> = p
            .lines
            .iter()
            .enumerate()
            .map(|(i, l)| vec![(i + 1).to_string(), l.name.clone(), vnd(l.amount_vnd)])
            .collect();
        rows.push(vec![String::new(), "Tổng cộng".into(), vnd(p.amount_vnd)]);
        let when = motcua_domain::calendar::deadline::at_vi(paid_at.fixed_offset());
        let doc = Doc {
            paper: Paper::A5,
            number: String::new(),
            set_label: String::new(),
            issuer: vec![desk.clone(), "BỘ PHẬN TIẾP NHẬN VÀ TRẢ KẾT QUẢ".into()],
            title: "BIÊN LAI THU PHÍ, LỆ PHÍ".into(),
            subtitle: Some(format!("Số: {no}")),
            blocks: vec![
                Block::Para(vec![Span::plain("Người nộp: "), Span::bold(d.applicant.name.clone())]),
                Block::Para(vec![Span::plain(format!("Hồ sơ: {} — thủ tục {}", d.code, d.procedure))]),
                Block::Table {
                    columns: vec![
                        Column { title: "STT".into(), share: 0.1 },
                        Column { title: "Khoản thu".into(), share: 0.6 },
                        Column { title: "Số tiền (đồng)".into(), share: 0.3 },
                    ],
                    rows,
                },
                Block::Para(vec![Span::plain(format!(
                    "Hình thức: thanh toán trực tuyến, mã giao dịch {} lúc {when}.",
                    p.gateway_txn.as_deref().unwrap_or("-")
                ))]),
            ],
            signatures: vec![],
            qr: Some(motcua_print::Qr {
                url: format!("{}/tra-cuu?ma={}", self.config.public_url.trim_end_matches('/'), d.code),
                caption: "Quét mã để tra cứu hồ sơ".into(),
            }),
            footnote: Some(format!("Biên lai điện tử do {desk} lập khi cổng thanh toán xác nhận giao dịch.")),
        };
        Ok((format!("Biên lai {no}"), doc))
    }

    /// Whether day `day` still needs its reconciliation (a gateway is configured and no run of
    /// that day is stored).
    pub async fn reconciliation_due(&self, day: NaiveDate) -> AppResult<bool> {
        if self.config.payment.is_none() {
            return Ok(false);
        }
        Ok(!self.store.reconciliations(60).await?.iter().any(|r| r.day == day))
    }

    /// What the applicant of `d` is asked to pay: the officer's amount, or the procedure's fees
    /// less those exempted.
    pub(crate) async fn payment_request(
        &self,
        d: &DossierRecord,
        amount: Option<u64>,
        exempt: &[u32],
    ) -> AppResult<Command> {
        use motcua_domain::payment::{FeeDue, PaymentDue};
        let due = match amount {
            Some(a) if a > MAX_AMOUNT_VND => {
                return Err(AppError::invalid("invalid_amount", "amount_vnd", "Số tiền không quá 1.000 tỷ đồng"));
            }
            Some(0) => return Err(AppError::invalid("invalid_amount", "amount_vnd", "Số tiền phải lớn hơn 0")),
            Some(a) => {
                PaymentDue { lines: vec![FeeDue { name: "Phí, lệ phí".into(), amount_vnd: a }], exempted: vec![] }
            }
            None => {
                let version = self.version_view(d.procedure.as_str(), Some(d.procedure_number)).await?;
                let fees = &version.version.content.fees;
                if let Some(i) = exempt.iter().find(|i| **i as usize >= fees.len()) {
                    return Err(AppError::invalid(
                        "invalid_exemption",
                        "exempt",
                        format!("Thủ tục không có khoản phí số {}", i + 1),
                    ));
                }
                let due = PaymentDue::from_fees(fees, exempt);
                if due.total() == 0 {
                    return Err(AppError::invalid(
                        "no_fee_amount",
                        "amount_vnd",
                        "Danh mục phí, lệ phí của thủ tục không có khoản nào phải nộp (hoặc không ghi số tiền): nhập số tiền",
                    ));
                }
                due
            }
        };
        Ok(Command::RequestPayment { amount_vnd: due.total(), due: Some(due) })
    }
}
