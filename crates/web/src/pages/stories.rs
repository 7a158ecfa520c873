//! Stories for the portal, in the workspace: the list, writing and editing
//! a draft, and the editorial steps (submit, review against the checklist
//! then publish, schedule or return, unpublish).

use super::{done, render, render_status};
use crate::flash::Done;
use crate::access::{self, Authorized};
use crate::auth::{AuthUser, Signed};
use crate::error::{PageError, PageResult};
use crate::form::Pairs;
use crate::picker;
use crate::view::Chrome;
use crate::AppState;
use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use dienhinh_domain::story::{Checklist, StoryInput, StoryStatus, StoryStep};
use dienhinh_domain::{clock, Action, Invalid};
use dienhinh_store::stories::{self, StepRequest, Story};
use dienhinh_store::StoreError;
use serde::{Deserialize, Serialize};
use super::listing::{Nav, Paging};
use super::shared::FormState;
use dienhinh_domain::order::StoryOrder;
use dienhinh_store::page::Listing;

#[derive(Deserialize, Serialize, Default)]
pub struct ListQuery {
    #[serde(default)]
    status: String,
    #[serde(flatten)]
    paging: Paging,
}

#[derive(Template)]
#[template(path = "stories.html")]
struct ListPage {
    chrome: Chrome,
    statuses: Vec<crate::view::Choice>,
    status: String,
    page: Listing<Story>,
    nav: Nav,
    fs: FormState,
}

#[derive(Template)]
#[template(path = "story.html")]
struct StoryPage {
    chrome: Chrome,
    s: Story,
    html: String,
    can_edit: bool,
    can_submit: bool,
    can_review: bool,
    can_unpublish: bool,
    checklist: Vec<(&'static str, &'static str, bool)>,
    fs: FormState,
    message: String,
    /// The story's images, with whether the portal shows them.
    images: Vec<dienhinh_store::files::Attachment>,
}

async fn list_page(st: &AppState, me: &AuthUser, q: &ListQuery, form: Pairs, errors: Invalid) -> Result<ListPage, PageError> {
    let status = StoryStatus::from_code(&q.status);
    let order = q.paging.order::<StoryOrder>();
    let page = stories::listing(&st.db, &me.scope(Action::View), status, order.0, q.paging.at(50)).await?;
    let nav = q.paging.nav("/stories", q, order, &page, "bài viết");
    Ok(ListPage {
        chrome: Chrome::new("Bài viết cổng thông tin", me, "/stories"),
        statuses: crate::view::coded::<StoryStatus>(),
        status: status.map(|s| s.code().to_string()).unwrap_or_default(),
        page,
        nav,
        fs: FormState::new_record(st, me, Action::EnterData, form, errors).await?,
    })
}

async fn story_page(st: &AppState, me: &AuthUser, s: Story, form: Pairs, errors: Invalid, message: String) -> Result<StoryPage, PageError> {
    let at = s.org_path.clone();
    let c = s.checklist();
    let images = dienhinh_store::files::list(&st.db, dienhinh_domain::RecordKind::Story, s.id).await?;
    let ticked = |f: &str| if form.0.is_empty() { matches!(f, "facts_match" if c.facts_match) || matches!(f, "no_exaggeration" if c.no_exaggeration) || matches!(f, "consent" if c.consent) || matches!(f, "images_allowed" if c.images_allowed) } else { form.checked(f) };
    Ok(StoryPage {
        chrome: Chrome::new(s.title.clone(), me, "/stories"),
        html: s.html(),
        can_edit: s.status.editable() && me.can(Action::EnterData, &at),
        can_submit: s.status.editable() && me.can(StoryStep::GuiDuyet.needs(), &at),
        can_review: matches!(s.status, StoryStatus::ChoDuyet | StoryStatus::HenDang) && me.can(Action::Guide, &at),
        can_unpublish: s.status == StoryStatus::DaDang && me.can(Action::Guide, &at),
        checklist: Checklist::ITEMS.iter().map(|(f, l)| (*f, *l, ticked(f))).collect(),
        fs: FormState::existing(st, me, form, errors, &s.exemplars, &[("title", &s.title), ("summary", &s.summary), ("body", &s.body)]).await?,
        s,
        message,
        images,
    })
}

fn input(form: &Pairs, org_id: i64, exemplar_ids: Vec<i64>) -> StoryInput {
    StoryInput { org_id, title: form.get("title"), summary: form.get("summary"), body: form.get("body"), exemplar_ids }
}

pub async fn list(State(st): State<AppState>, Signed(me): Signed, Query(q): Query<ListQuery>) -> PageResult {
    render(&list_page(&st, &me, &q, Pairs(vec![]), Invalid::new()).await?)
}

pub async fn create(State(st): State<AppState>, Signed(me): Signed, form: Pairs) -> PageResult {
    let q = ListQuery::default();
    if form.checked(picker::DRILL) || form.checked("find") {
        return render(&list_page(&st, &me, &q, form, Invalid::new()).await?);
    }
    let org_id = form.int("org_id").unwrap_or(0);
    access::target(&st, &me, org_id, Action::EnterData).await?;
    let ids = access::seen_exemplars(&st, &me, &form.ids("exemplar_ids")).await?;
    match stories::create(&st.db, &me.actor(), input(&form, org_id, ids)).await {
        Ok(s) => done(&st, &format!("/stories/{}", s.id), Done::StoryCreated),
        Err(StoreError::Invalid(errors)) => render_status(StatusCode::UNPROCESSABLE_ENTITY, &list_page(&st, &me, &q, form, errors).await?),
        Err(e) => Err(e.into()),
    }
}

pub async fn show(State(st): State<AppState>, Signed(me): Signed, Authorized(s): Authorized<Story>) -> PageResult {
    render(&story_page(&st, &me, s, Pairs(vec![]), Invalid::new(), String::new()).await?)
}

/// A refused write: the page again with the messages (422), or the story
/// as it is now when someone else changed it meanwhile (409).
async fn refused(st: &AppState, me: &AuthUser, id: i64, form: Pairs, e: StoreError) -> PageResult {
    match e {
        StoreError::Invalid(errors) => {
            let s = stories::get(&st.db, id).await?;
            render_status(StatusCode::UNPROCESSABLE_ENTITY, &story_page(st, me, s, form, errors, String::new()).await?)
        }
        StoreError::Conflict { .. } => {
            let s = stories::get(&st.db, id).await?;
            let msg = "Bài vừa được người khác thay đổi; thao tác của bạn chưa được lưu. Hãy xem bản hiện tại rồi làm lại.".to_string();
            render_status(StatusCode::CONFLICT, &story_page(st, me, s, form, Invalid::new(), msg).await?)
        }
        e => Err(e.into()),
    }
}

pub async fn update(State(st): State<AppState>, Signed(me): Signed, Authorized(s): Authorized<Story>, form: Pairs) -> PageResult {
    if form.checked("find") {
        return render(&story_page(&st, &me, s, form, Invalid::new(), String::new()).await?);
    }
    let ids = access::seen_exemplars(&st, &me, &form.ids("exemplar_ids")).await?;
    match stories::update(&st.db, &me.actor(), s.id, form.int("version").unwrap_or(0), input(&form, s.org_id, ids)).await {
        Ok(s) => done(&st, &format!("/stories/{}", s.id), Done::StorySaved),
        Err(e) => refused(&st, &me, s.id, form, e).await,
    }
}

async fn take(st: &AppState, me: &AuthUser, s: Story, step: StoryStep, form: Pairs) -> PageResult {
    let mut errors = Invalid::new();
    let publish_at = match step {
        StoryStep::HenDang => {
            let at = clock::parse_local_minute(&form.get("publish_at"));
            if at.is_none() {
                errors.add("publish_at", "invalid", "Thời điểm hẹn đăng không hợp lệ (ví dụ 2026-05-19 08:00).");
            }
            at
        }
        _ => None,
    };
    if !errors.is_empty() {
        return render_status(StatusCode::UNPROCESSABLE_ENTITY, &story_page(st, me, s, form, errors, String::new()).await?);
    }
    let checklist = Checklist {
        facts_match: form.checked("facts_match"),
        no_exaggeration: form.checked("no_exaggeration"),
        consent: form.checked("consent"),
        images_allowed: form.checked("images_allowed"),
    };
    let req = StepRequest { version: form.int("version").unwrap_or(0), checklist, note: form.get("note"), publish_at };
    match stories::step(&st.db, &me.actor(), &me.assignments, s.id, step, &req).await {
        Ok(s) => done(st, &format!("/stories/{}", s.id), Done::StoryStepTaken),
        Err(e) => refused(st, me, s.id, form, e).await,
    }
}

pub async fn submit(State(st): State<AppState>, Signed(me): Signed, Authorized(s): Authorized<Story>, form: Pairs) -> PageResult {
    take(&st, &me, s, StoryStep::GuiDuyet, form).await
}

pub async fn review(State(st): State<AppState>, Signed(me): Signed, Authorized(s): Authorized<Story>, form: Pairs) -> PageResult {
    let step = match form.get("decision").as_str() {
        "dang" => StoryStep::Dang,
        "hen_dang" => StoryStep::HenDang,
        _ => StoryStep::TraLai,
    };
    take(&st, &me, s, step, form).await
}

pub async fn unpublish(State(st): State<AppState>, Signed(me): Signed, Authorized(s): Authorized<Story>, form: Pairs) -> PageResult {
    take(&st, &me, s, StoryStep::Go, form).await
}

/// Adds an image to a story that is still being written (JPEG or PNG, up
/// to `files::MAX_IMAGE_BYTES`); it is public once the story is published.
pub async fn upload_image(
    State(st): State<AppState>,
    Signed(me): Signed,
    Authorized(s): Authorized<Story>,
    mp: Result<axum::extract::Multipart, axum::extract::multipart::MultipartRejection>,
) -> PageResult {
    use super::attachments::{multipart, read_file};
    let result = if !s.status.editable() {
        Err(StoreError::invalid("file", "not_editable", format!("Bài đang «{}», không thêm ảnh được.", s.status.label())))
    } else {
        match multipart(mp) {
            Ok(mp) => match read_file(mp).await {
                Ok((name, bytes)) => dienhinh_store::files::attach_image(&st.db, &st.files, &me.actor(), dienhinh_domain::RecordKind::Story, s.id, &name, bytes).await,
                Err(e) => Err(e),
            },
            Err(e) => Err(e),
        }
    };
    match result {
        Ok(_) => super::done(&st, &format!("/stories/{}", s.id), crate::flash::Done::StoryImageAdded),
        Err(StoreError::Invalid(why)) => {
            let message = why.0.iter().map(|f| f.message.clone()).collect::<Vec<_>>().join(" ");
            render_status(StatusCode::UNPROCESSABLE_ENTITY, &story_page(&st, &me, s, Pairs(vec![]), Invalid::new(), message).await?)
        }
        Err(e) => Err(e.into()),
    }
}
