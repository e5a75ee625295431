//! The National Public Service Portal sync (issue 16, item 2): every dossier and every change of
//! its national status (or of its appointment) is written to the outbox as the portal's sync
//! request, in the transaction of the change; the worker's portal sender delivers them in order
//! per dossier, and the store marks the dossier synced when the portal took it.

use motcua_domain::dossier::record::{DossierRecord, NewDossier};
use motcua_domain::dossier::{Dossier, DossierCode};
use motcua_domain::notice::{Notice, NoticeChannel};
use motcua_domain::portal::{ProcedureRef, SYNC_SERVICE, sync_request};
use motcua_domain::procedure::VersionContent;
use motcua_storage::NoticesFor;

use crate::App;

/// The outbox message syncing `d` to the portal.
fn sync_notice(d: &DossierRecord, content: &VersionContent, is_updating: bool) -> Notice {
    let procedure = ProcedureRef { name: &content.name, field: content.field.as_deref(), fees: &content.fees };
    let request = sync_request(d, &procedure, is_updating);
    Notice {
        channel: NoticeChannel::Portal,
        recipient: SYNC_SERVICE.to_owned(),
        subject: d.code.to_string(),
        // A struct of strings and numbers always serialises.
        body: serde_json::to_string(&request).unwrap_or_default(),
    }
}

/// Whether a change is pushed: a new national status, or a new appointment.
pub(crate) fn is_synced_change(before: &Dossier, after: &Dossier) -> bool {
    before.state.national_code() != after.state.national_code() || before.due_current != after.due_current
}

impl App {
    /// The intake's notices, and the first push of the dossier to the portal when the province
    /// syncs.
    pub(crate) fn with_portal_intake(
        &self,
        notices: NoticesFor,
        new: &NewDossier,
        content: &VersionContent,
    ) -> NoticesFor {
        if !self.config.portal_sync {
            return notices;
        }
        let (new, content) = (new.clone(), content.clone());
        std::sync::Arc::new(move |code: &DossierCode| {
            let mut all = notices(code);
            all.push(sync_notice(&new.record(code.clone()), &content, false));
            all
        })
    }

    /// The push of a changed dossier (`after`), when the province syncs and the change is one
    /// the portal follows.
    pub(crate) async fn portal_update(
        &self,
        before: &Dossier,
        after: &DossierRecord,
    ) -> crate::AppResult<Option<Notice>> {
        if !self.config.portal_sync || !is_synced_change(before, &after.workflow) {
            return Ok(None);
        }
        let version = self.version_view(after.procedure.as_str(), Some(after.procedure_number)).await?;
        Ok(Some(sync_notice(after, &version.version.content, true)))
    }
}
