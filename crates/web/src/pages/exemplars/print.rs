//! The profile of an exemplar, printable (HTML with a print stylesheet) and
//! as a DOCX in the Party's document format (`dienhinh_documents`). Both
//! read the same records through [`Profile::load`].

use super::StepRow;
use askama::Template;
use axum::extract::State;
use axum::http::header;
use axum::response::IntoResponse;
use crate::AppState;
use crate::access::Authorized;
use crate::auth::{AuthUser, Signed};
use crate::error::PageResult;
use crate::pages::render;
use crate::view::{date_iso_to_vn, datetime};
use dienhinh_documents::builders::{self, Head, ProfileInput};
use dienhinh_documents::{Issuer, PageSettings, Signer};
use dienhinh_domain::clock;
use dienhinh_store::evaluations::{self, Evaluation};
use dienhinh_store::exemplars::{self, Exemplar};
use dienhinh_store::spread::{self, Replication};
use dienhinh_store::{orgs, register};

/// What a profile shows, read once for either form.
struct Profile {
    e: Exemplar,
    org_name: String,
    /// The node above the exemplar's (the header's superior body), if any.
    superior: String,
    /// The place of the date line, from the nearest register of documents.
    place: String,
    history: Vec<StepRow>,
    evaluations: Vec<Evaluation>,
    replications: Vec<Replication>,
}

impl Profile {
    async fn load(st: &AppState, e: Exemplar) -> Result<Profile, crate::error::PageError> {
        let org = orgs::get(&st.db, e.org_id).await?;
        let superior = match org.parent_id {
            Some(p) => orgs::get(&st.db, p).await?.name,
            None => String::new(),
        };
        let place = register::nearest(&st.db, &e.org_path).await?.map(|r| r.place).unwrap_or_default();
        let history = exemplars::steps(&st.db, e.id)
            .await?
            .into_iter()
            .map(|s| StepRow { at: datetime(s.at), step: s.step.label().into(), change: String::new(), decision: s.decision(), reason: s.reason, actor: s.actor })
            .collect();
        Ok(Profile {
            evaluations: evaluations::for_exemplar(&st.db, e.id).await?,
            replications: spread::replications(&st.db, e.id).await?,
            org_name: org.name,
            superior,
            place,
            history,
            e,
        })
    }

    /// The profile in the Party format, printed by `me`.
    fn document(self, me: &AuthUser) -> ProfileInput {
        let e = self.e;
        let mut facts = vec![("Loại".to_string(), e.kind_label().to_string())];
        if !e.position.is_empty() {
            facts.push(("Chức vụ".into(), e.position.clone()));
        }
        facts.extend([
            ("Đơn vị".into(), e.unit_name.clone()),
            ("Tổ chức đảng".into(), self.org_name.clone()),
            ("Lĩnh vực".into(), e.fields.iter().map(|f| f.name.as_str()).collect::<Vec<_>>().join(", ")),
            ("Năm phát hiện".into(), e.year_found.to_string()),
            ("Giai đoạn, cấp".into(), format!("{}, cấp {}", e.status_label(), e.level_label())),
        ]);
        ProfileInput {
            head: Head {
                issuer: Issuer { superior: self.superior, name: self.org_name, place: self.place },
                number: None,
                date: clock::today(),
                settings: PageSettings::default(),
            },
            name: e.name.clone(),
            facts,
            achievements: e.achievements.clone(),
            model: e.model.clone(),
            history: self.history.into_iter().map(|h| [h.at, h.step, h.decision, h.reason]).collect(),
            evaluations: self
                .evaluations
                .into_iter()
                .map(|ev| (ev.period_year, ev.criteria_set_name, ev.evaluator, Some(ev.met_percent as f64)))
                .collect(),
            replications: self
                .replications
                .into_iter()
                .map(|r| [r.adopter_name, date_iso_to_vn(&r.adopted_on), r.how.label().to_string()])
                .collect(),
            signer: Signer { authority: None, position: if me.user.position.is_empty() { "Người in hồ sơ".into() } else { me.user.position.clone() }, name: me.user.full_name.clone() },
        }
    }
}

#[derive(Template)]
#[template(path = "exemplar_print.html")]
struct PrintPage {
    e: Exemplar,
    org_name: String,
    history: Vec<StepRow>,
    evaluations: Vec<Evaluation>,
    replications: Vec<Replication>,
    printed: String,
}

pub async fn print(State(st): State<AppState>, Authorized(e): Authorized<Exemplar>) -> PageResult {
    let p = Profile::load(&st, e).await?;
    render(&PrintPage {
        org_name: p.org_name,
        history: p.history,
        evaluations: p.evaluations,
        replications: p.replications,
        printed: date_iso_to_vn(&clock::today_iso()),
        e: p.e,
    })
}

/// The profile as a DOCX file in the Party format.
pub async fn docx(State(st): State<AppState>, Signed(me): Signed, Authorized(e): Authorized<Exemplar>) -> PageResult {
    let id = e.id;
    let input = Profile::load(&st, e).await?.document(&me);
    let bytes = dienhinh_documents::docx::render(&builders::profile(input));
    Ok((
        [
            (header::CONTENT_TYPE, "application/vnd.openxmlformats-officedocument.wordprocessingml.document".to_string()),
            (header::CONTENT_DISPOSITION, format!("attachment; filename=\"ho-so-dien-hinh-{id}.docx\"")),
            (header::CACHE_CONTROL, "private, no-store".to_string()),
        ],
        bytes,
    )
        .into_response())
}
