//! Stories for the public portal (plan II.3, IV.2): written in Markdown,
//! linked to exemplars, and published only after an editorial review that
//! checks them against the records. The lifecycle, like the exemplar's, is
//! decided here: [`check`] says whether a step is legal from a state, who
//! may take it, and what it needs.

use crate::access::{allowed, Action, Assignment};
use crate::validate::Invalid;
use crate::OrgPath;
use dienhinh_text as text;
use pulldown_cmark::{Event, Options, Parser, Tag};
use serde::{Deserialize, Serialize};

crate::coded_enum!(
    /// Where a story stands.
    pub enum StoryStatus {
        Nhap = "nhap": "Bản nháp",
        ChoDuyet = "cho_duyet": "Chờ biên tập",
        TraLai = "tra_lai": "Trả lại để sửa",
        HenDang = "hen_dang": "Hẹn giờ đăng",
        DaDang = "da_dang": "Đã đăng",
        DaGo = "da_go": "Đã gỡ",
    }
);

crate::coded_enum!(
    /// What can be done to a story.
    pub enum StoryStep {
        GuiDuyet = "gui_duyet": "Gửi biên tập",
        TraLai = "tra_lai": "Trả lại kèm ý kiến",
        Dang = "dang": "Duyệt và đăng ngay",
        HenDang = "hen_dang": "Duyệt và hẹn giờ đăng",
        Go = "go": "Gỡ khỏi cổng thông tin",
    }
);

impl StoryStatus {
    /// The writer may still change the text.
    pub fn editable(self) -> bool {
        matches!(self, StoryStatus::Nhap | StoryStatus::TraLai | StoryStatus::DaGo)
    }
    /// Shown on the public portal.
    pub fn public(self) -> bool {
        self == StoryStatus::DaDang
    }
}

impl StoryStep {
    /// The permission the step needs at the story's node: writers enter
    /// data; the editors are those who guide the programme (Ban Tuyên giáo,
    /// Ban Thường vụ).
    pub fn needs(self) -> Action {
        match self {
            StoryStep::GuiDuyet => Action::EnterData,
            StoryStep::TraLai | StoryStep::Dang | StoryStep::HenDang | StoryStep::Go => Action::Guide,
        }
    }
}

/// The editor's checklist; every item must be ticked to publish.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, Serialize, utoipa::ToSchema)]
pub struct Checklist {
    /// The facts match the records (achievements, decisions, figures).
    #[serde(default)]
    pub facts_match: bool,
    /// Objective and truthful, without exaggeration (plan IV.2).
    #[serde(default)]
    pub no_exaggeration: bool,
    /// The people shown agreed to be published.
    #[serde(default)]
    pub consent: bool,
    /// The images may be published (rights, consent, nothing private).
    #[serde(default)]
    pub images_allowed: bool,
}

impl Checklist {
    pub fn complete(self) -> bool {
        self.facts_match && self.no_exaggeration && self.consent && self.images_allowed
    }
    /// (field, label) of each item, in order.
    pub const ITEMS: [(&'static str, &'static str); 4] = [
        ("facts_match", "Thông tin khớp với hồ sơ điển hình"),
        ("no_exaggeration", "Khách quan, trung thực, không cường điệu"),
        ("consent", "Người, tập thể được nêu đã đồng ý công khai"),
        ("images_allowed", "Hình ảnh được phép đăng"),
    ];
}

/// What a step needs to know beyond the story's state.
#[derive(Debug, Clone, Default)]
pub struct StepContext {
    pub checklist: Checklist,
    /// The editor's comments (returning) or the reason (unpublishing).
    pub note: String,
    /// When to publish, in ms (scheduling); must be after `now`.
    pub publish_at: Option<i64>,
    pub now: i64,
    /// Every exemplar the story is about, by name, with whether it may be
    /// shown publicly (`exemplar::publishable`).
    pub exemplars: Vec<(String, bool)>,
}

/// Whether `step` may be taken from `from` by someone holding `who` at the
/// story's node `at`; the state it leads to, or every reason it may not.
pub fn check(step: StoryStep, from: StoryStatus, who: &[Assignment], at: &OrgPath, cx: &StepContext) -> Result<StoryStatus, Invalid> {
    use StoryStatus as S;
    use StoryStep as T;
    let mut inv = Invalid::new();
    if !allowed(who, step.needs(), at) {
        inv.add("step", "forbidden", match step.needs() {
            Action::EnterData => "Chỉ người nhập liệu của đơn vị mới gửi bài đi biên tập.",
            _ => "Chỉ Ban Tuyên giáo, Ban Thường vụ (người hướng dẫn) mới biên tập, đăng hoặc gỡ bài.",
        });
        return Err(inv);
    }
    let to = match (step, from) {
        (T::GuiDuyet, S::Nhap | S::TraLai | S::DaGo) => S::ChoDuyet,
        (T::TraLai, S::ChoDuyet | S::HenDang) => S::TraLai,
        (T::Dang, S::ChoDuyet | S::HenDang) => S::DaDang,
        (T::HenDang, S::ChoDuyet) => S::HenDang,
        (T::Go, S::DaDang) => S::DaGo,
        _ => {
            inv.add("step", "illegal", format!("Không thể «{}» khi bài đang ở trạng thái «{}».", step.label(), from.label()));
            return Err(inv);
        }
    };
    let note = text::normalize(&cx.note);
    match step {
        T::TraLai if note.trim().is_empty() => inv.add("note", "required", "Vui lòng ghi ý kiến biên tập để người viết sửa."),
        T::Go if note.trim().is_empty() => inv.add("note", "required", "Vui lòng ghi lý do gỡ bài."),
        _ => {}
    }
    inv.max_len("note", "Ý kiến", &note, 5000);
    if matches!(step, T::Dang | T::HenDang) {
        for (field, label) in Checklist::ITEMS {
            let ticked = match field {
                "facts_match" => cx.checklist.facts_match,
                "no_exaggeration" => cx.checklist.no_exaggeration,
                "consent" => cx.checklist.consent,
                _ => cx.checklist.images_allowed,
            };
            if !ticked {
                inv.add(field, "unchecked", format!("Chưa xác nhận: {label}."));
            }
        }
        let hidden: Vec<&str> = cx.exemplars.iter().filter(|(_, public)| !public).map(|(n, _)| n.as_str()).collect();
        if !hidden.is_empty() {
            inv.add(
                "exemplar_ids",
                "not_publishable",
                format!("Không đăng được: điển hình chưa được công nhận hoặc chưa đồng ý công khai: {}.", hidden.join(", ")),
            );
        }
    }
    if step == T::HenDang && cx.publish_at.is_none_or(|t| t <= cx.now) {
        inv.add("publish_at", "invalid", "Thời điểm hẹn đăng phải sau bây giờ.");
    }
    inv.into_result()?;
    Ok(to)
}

/// Longest story body (characters of Markdown).
pub const MAX_BODY: usize = 50_000;
/// Most exemplars one story is about.
pub const MAX_EXEMPLARS: usize = 20;

#[derive(Debug, Clone, Default, Deserialize, Serialize, utoipa::ToSchema)]
pub struct StoryInput {
    /// The unit the story belongs to (its writers and editors are there).
    pub org_id: i64,
    #[schema(max_length = 300)]
    pub title: String,
    /// One or two sentences shown in lists, the feed and link cards.
    #[serde(default)]
    #[schema(max_length = 500)]
    pub summary: String,
    /// Markdown; links and images only to `http(s)` addresses or the site's own paths.
    #[schema(max_length = 50000)]
    pub body: String,
    /// The exemplars the story is about (each visible to the caller).
    #[serde(default)]
    #[schema(max_items = 20)]
    pub exemplar_ids: Vec<i64>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ValidStory {
    pub org_id: i64,
    pub title: String,
    pub summary: String,
    pub body: String,
    pub exemplar_ids: Vec<i64>,
}

impl StoryInput {
    pub fn validate(&self) -> Result<ValidStory, Invalid> {
        let mut inv = Invalid::new();
        let title = text::normalize_line(&self.title);
        inv.required("title", "tiêu đề", &title, 300);
        let summary = text::normalize(&self.summary);
        inv.max_len("summary", "Tóm tắt", &summary, 500);
        let body = text::normalize(&self.body);
        inv.required("body", "nội dung bài", &body, MAX_BODY);
        let bad = unsafe_destinations(&body);
        if !bad.is_empty() {
            let shown: Vec<String> = bad.iter().take(3).map(|d| format!("«{}»", d.chars().take(60).collect::<String>())).collect();
            inv.add(
                "body",
                "unsafe_link",
                format!("Liên kết, hình ảnh chỉ được trỏ tới địa chỉ http://, https:// hoặc trang của cổng; hãy sửa: {}.", shown.join(", ")),
            );
        }
        let mut exemplar_ids: Vec<i64> = vec![];
        for id in &self.exemplar_ids {
            if !exemplar_ids.contains(id) {
                exemplar_ids.push(*id);
            }
        }
        if exemplar_ids.len() > MAX_EXEMPLARS {
            inv.add("exemplar_ids", "too_many", format!("Một bài gắn với tối đa {MAX_EXEMPLARS} điển hình."));
        }
        inv.into_result()?;
        Ok(ValidStory { org_id: self.org_id, title, summary, body, exemplar_ids })
    }
}

/// A link or image destination is safe when it is an absolute `http(s)`
/// address or a path of the site itself (`/…`, not `//host`).
pub fn safe_destination(dest: &str) -> bool {
    let d = dest.trim();
    let lower = d.to_ascii_lowercase();
    if lower.starts_with("https://") || lower.starts_with("http://") {
        return !d.chars().any(char::is_whitespace);
    }
    d.starts_with('/') && !d.starts_with("//") && !d.contains('\\')
}

/// The link and image destinations of a Markdown text that are not safe
/// (`javascript:`, `data:`, other schemes, protocol-relative addresses).
pub fn unsafe_destinations(markdown: &str) -> Vec<String> {
    let mut bad = vec![];
    for event in Parser::new_ext(markdown, options()) {
        if let Event::Start(Tag::Link { dest_url, .. } | Tag::Image { dest_url, .. }) = event {
            if !safe_destination(&dest_url) {
                bad.push(dest_url.to_string());
            }
        }
    }
    bad
}

fn options() -> Options {
    Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH
}

/// The HTML of a story's Markdown, safe to put in a page: HTML written in
/// the Markdown is shown as text, unsafe destinations are dropped, and
/// ammonia then keeps only a small set of tags and attributes (links get
/// `rel="noopener noreferrer nofollow"`).
pub fn render(markdown: &str) -> String {
    let events = Parser::new_ext(markdown, options()).map(|e| match e {
        Event::Html(h) | Event::InlineHtml(h) => Event::Text(h),
        Event::Start(Tag::Link { link_type, dest_url, title, id }) if !safe_destination(&dest_url) => {
            Event::Start(Tag::Link { link_type, dest_url: "".into(), title, id })
        }
        Event::Start(Tag::Image { link_type, dest_url, title, id }) if !safe_destination(&dest_url) => {
            Event::Start(Tag::Image { link_type, dest_url: "".into(), title, id })
        }
        other => other,
    });
    let mut html = String::new();
    pulldown_cmark::html::push_html(&mut html, events);
    sanitize(&html)
}

/// The path of a story's own image, as the workspace writes it in Markdown.
const IMAGE_PATH: &str = "/attachments/";
/// Where the portal serves an attachment marked public.
pub const PUBLIC_IMAGE_PATH: &str = "/anh/";

/// The attachment an image destination names (`/attachments/12` → 12).
pub fn image_id(dest: &str) -> Option<i64> {
    let id = dest.trim().strip_prefix(IMAGE_PATH)?;
    (!id.is_empty() && id.len() <= 18 && id.bytes().all(|b| b.is_ascii_digit())).then(|| id.parse().ok()).flatten()
}

/// The attachments a story's Markdown shows as images.
pub fn image_ids(markdown: &str) -> Vec<i64> {
    let mut ids = vec![];
    for event in Parser::new_ext(markdown, options()) {
        if let Event::Start(Tag::Image { dest_url, .. }) = event {
            if let Some(id) = image_id(&dest_url) {
                if !ids.contains(&id) {
                    ids.push(id);
                }
            }
        }
    }
    ids
}

/// The HTML of a story for the public portal: as [`render`], but the only
/// images kept are the attachments `public` allows, served from the
/// portal's address; any other image (another record's file, a file not
/// marked public, an outside address) is replaced by its description.
/// With `origin` (the site's address, `https://host`), every site-relative
/// address of links and images is made absolute against it: the HTML is
/// read elsewhere (a feed reader) where `/anh/3` would name nothing.
pub fn render_public(markdown: &str, public: impl Fn(i64) -> bool, origin: Option<&str>) -> String {
    let mut dropped = 0usize;
    let events = Parser::new_ext(markdown, options()).filter_map(|e| match e {
        Event::Html(h) | Event::InlineHtml(h) => Some(Event::Text(h)),
        Event::Start(Tag::Link { link_type, dest_url, title, id }) if !safe_destination(&dest_url) => {
            Some(Event::Start(Tag::Link { link_type, dest_url: "".into(), title, id }))
        }
        Event::Start(Tag::Image { link_type, dest_url, title, id }) => match image_id(&dest_url).filter(|n| public(*n)) {
            Some(n) => Some(Event::Start(Tag::Image { link_type, dest_url: format!("{PUBLIC_IMAGE_PATH}{n}").into(), title, id })),
            None => {
                dropped += 1;
                None
            }
        },
        Event::End(pulldown_cmark::TagEnd::Image) if dropped > 0 => {
            dropped -= 1;
            None
        }
        other => Some(other),
    });
    let mut html = String::new();
    pulldown_cmark::html::push_html(&mut html, events);
    let base = origin.and_then(|o| ammonia::Url::parse(&format!("{}/", o.trim_end_matches('/'))).ok());
    match base {
        Some(base) => sanitize_with(&html, ammonia::UrlRelative::RewriteWithBase(base)),
        None => sanitize(&html),
    }
}

/// Keeps only the tags a story uses, with `http(s)` and site-relative URLs.
pub fn sanitize(html: &str) -> String {
    sanitize_with(html, ammonia::UrlRelative::PassThrough)
}

/// [`sanitize`], with what becomes of relative URLs.
fn sanitize_with(html: &str, relative: ammonia::UrlRelative) -> String {
    use std::collections::HashSet;
    let tags: HashSet<&str> = [
        "p", "br", "strong", "em", "del", "a", "img", "h2", "h3", "h4", "ul", "ol", "li", "blockquote", "code", "pre", "hr", "table", "thead",
        "tbody", "tr", "th", "td",
    ]
    .into_iter()
    .collect();
    ammonia::Builder::default()
        .tags(tags)
        .url_schemes(["http", "https"].into_iter().collect())
        .url_relative(relative)
        .link_rel(Some("noopener noreferrer nofollow"))
        .tag_attributes([("a", ["href", "title"].into_iter().collect()), ("img", ["src", "alt", "title"].into_iter().collect())].into_iter().collect())
        .clean(html)
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::access::Role;

    fn held(role: Role) -> Vec<Assignment> {
        vec![Assignment { role, org_id: 1, org_path: OrgPath("/1/".into()) }]
    }
    fn at() -> OrgPath {
        OrgPath("/1/5/".into())
    }
    fn ready() -> StepContext {
        StepContext {
            checklist: Checklist { facts_match: true, no_exaggeration: true, consent: true, images_allowed: true },
            note: String::new(),
            publish_at: None,
            now: 1_000,
            exemplars: vec![("Phạm Văn Hùng".into(), true)],
        }
    }

    #[test]
    fn the_portal_shows_only_public_images_of_the_story() {
        let md = "A ![ảnh một](/attachments/3) B ![ảnh hai](/attachments/4) ![ngoài](https://a.vn/x.png) ![khác](/orgs/1)";
        assert_eq!(image_ids(md), [3, 4]);
        let html = render_public(md, |n| n == 3, None);
        assert!(html.contains("<img src=\"/anh/3\" alt=\"ảnh một\""), "{html}");
        assert_eq!(html.matches("<img").count(), 1, "{html}");
        assert!(html.contains("ảnh hai") && html.contains("ngoài") && !html.contains("/attachments/"), "{html}");
        assert_eq!(image_id("/attachments/12x"), None);
        assert_eq!(image_id("/attachments/"), None);
    }

    #[test]
    fn with_an_origin_every_site_address_is_absolute() {
        let md = "![ảnh](/attachments/3) [trang](/dien-hinh/5-a) [ngoài](https://a.vn/x) [sai](javascript:alert(1))";
        let html = render_public(md, |n| n == 3, Some("https://dangbokhoi.vn/"));
        assert!(html.contains("<img src=\"https://dangbokhoi.vn/anh/3\""), "{html}");
        assert!(html.contains("href=\"https://dangbokhoi.vn/dien-hinh/5-a\""), "{html}");
        assert!(html.contains("href=\"https://a.vn/x\""), "{html}");
        assert!(!html.contains("javascript") && !html.contains("=\"/"), "{html}");
        // A host with a port, as taken from a request.
        let html = render_public(md, |n| n == 3, Some("http://127.0.0.1:8080"));
        assert!(html.contains("<img src=\"http://127.0.0.1:8080/anh/3\""), "{html}");
    }

    #[test]
    fn tables() {
        crate::code::assert_table::<StoryStatus>();
        crate::code::assert_table::<StoryStep>();
    }

    #[test]
    fn the_editorial_path() {
        use StoryStatus as S;
        use StoryStep as T;
        let writer = held(Role::CanBoTccs);
        let editor = held(Role::BanTuyenGiao);
        assert_eq!(check(T::GuiDuyet, S::Nhap, &writer, &at(), &ready()), Ok(S::ChoDuyet));
        assert_eq!(check(T::Dang, S::ChoDuyet, &editor, &at(), &ready()), Ok(S::DaDang));
        let back = StepContext { note: "Bỏ đoạn so sánh «nhất tỉnh».".into(), ..ready() };
        assert_eq!(check(T::TraLai, S::ChoDuyet, &editor, &at(), &back), Ok(S::TraLai));
        assert_eq!(check(T::GuiDuyet, S::TraLai, &writer, &at(), &ready()), Ok(S::ChoDuyet));
        let later = StepContext { publish_at: Some(2_000), ..ready() };
        assert_eq!(check(T::HenDang, S::ChoDuyet, &editor, &at(), &later), Ok(S::HenDang));
        // The job publishes it when due, through the same rule.
        assert_eq!(check(T::Dang, S::HenDang, &editor, &at(), &ready()), Ok(S::DaDang));
        let why = StepContext { note: "Người được nêu rút lại sự đồng ý.".into(), ..ready() };
        assert_eq!(check(T::Go, S::DaDang, &editor, &at(), &why), Ok(S::DaGo));
        assert_eq!(check(T::GuiDuyet, S::DaGo, &writer, &at(), &ready()), Ok(S::ChoDuyet));
    }

    #[test]
    fn who_may() {
        use StoryStatus as S;
        use StoryStep as T;
        // The writer cannot publish their own story; the editor does not submit for the unit.
        assert_eq!(check(T::Dang, S::ChoDuyet, &held(Role::CanBoTccs), &at(), &ready()).unwrap_err().0[0].code, "forbidden");
        assert_eq!(check(T::GuiDuyet, S::Nhap, &held(Role::BanTuyenGiao), &at(), &ready()).unwrap_err().0[0].code, "forbidden");
        assert_eq!(check(T::Dang, S::ChoDuyet, &held(Role::NguoiXem), &at(), &ready()).unwrap_err().0[0].code, "forbidden");
        // Outside the editor's subtree.
        let elsewhere = vec![Assignment { role: Role::BanTuyenGiao, org_id: 2, org_path: OrgPath("/2/".into()) }];
        assert!(check(T::Dang, S::ChoDuyet, &elsewhere, &at(), &ready()).is_err());
    }

    #[test]
    fn what_publishing_needs() {
        use StoryStatus as S;
        use StoryStep as T;
        let editor = held(Role::BanTuyenGiao);
        let bare = StepContext { checklist: Checklist::default(), exemplars: vec![("A".into(), true), ("Bí mật".into(), false)], ..ready() };
        let fields: Vec<_> = check(T::Dang, S::ChoDuyet, &editor, &at(), &bare).unwrap_err().0.iter().map(|e| e.field).collect();
        assert_eq!(fields, ["facts_match", "no_exaggeration", "consent", "images_allowed", "exemplar_ids"]);
        let no_consent = StepContext { checklist: Checklist { consent: false, ..ready().checklist }, ..ready() };
        assert_eq!(check(T::Dang, S::ChoDuyet, &editor, &at(), &no_consent).unwrap_err().0[0].field, "consent");
        let unpublished = StepContext { exemplars: vec![("Bí mật".into(), false)], ..ready() };
        let e = check(T::Dang, S::ChoDuyet, &editor, &at(), &unpublished).unwrap_err();
        assert!(e.0[0].message.contains("Bí mật"));
        assert_eq!(check(T::TraLai, S::ChoDuyet, &editor, &at(), &ready()).unwrap_err().0[0].field, "note");
        assert_eq!(check(T::Go, S::DaDang, &editor, &at(), &ready()).unwrap_err().0[0].field, "note");
        let past = StepContext { publish_at: Some(500), ..ready() };
        assert_eq!(check(T::HenDang, S::ChoDuyet, &editor, &at(), &past).unwrap_err().0[0].field, "publish_at");
        assert_eq!(check(T::Dang, S::Nhap, &editor, &at(), &ready()).unwrap_err().0[0].code, "illegal");
        assert_eq!(check(T::Go, S::ChoDuyet, &editor, &at(), &ready()).unwrap_err().0[0].code, "illegal");
    }

    #[test]
    fn input() {
        let ok = StoryInput { org_id: 1, title: " Người giữ lửa ".into(), summary: String::new(), body: "Anh **Hùng** [xem](https://npc.com.vn/a) ![ảnh](/attachments/3)".into(), exemplar_ids: vec![4, 4] };
        let v = ok.validate().unwrap();
        assert_eq!((v.title.as_str(), v.exemplar_ids.as_slice()), ("Người giữ lửa", &[4][..]));
        for body in ["[bấm](javascript:alert(1))", "![x](data:image/png;base64,AAAA)", "[x](JaVaScRiPt:alert(1))", "[x](//evil.example/a)", "[x](vbscript:x)"] {
            let bad = StoryInput { body: body.into(), ..ok.clone() };
            assert_eq!(bad.validate().unwrap_err().0[0].code, "unsafe_link", "{body}");
        }
        let empty = StoryInput { title: "".into(), body: " ".into(), ..ok.clone() };
        let fields: Vec<_> = empty.validate().unwrap_err().0.iter().map(|e| e.field).collect();
        assert_eq!(fields, ["title", "body"]);
    }

    #[test]
    fn rendering_is_safe() {
        let html = render("# T\n\n<script>alert(1)</script>\n\nChữ <b onclick=x>đậm</b> [a](javascript:alert(1)) ![i](data:x) [ok](https://a.vn) ![p](/attachments/2)");
        assert!(!html.contains("<script") && !html.contains("<b ") && !html.contains("javascript:") && !html.contains("data:"), "{html}");
        assert!(html.contains("&lt;script&gt;"), "HTML in Markdown is shown as text: {html}");
        assert!(html.contains("href=\"https://a.vn\"") && html.contains("rel=\"noopener noreferrer nofollow\""), "{html}");
        assert!(html.contains("src=\"/attachments/2\""), "{html}");
        assert!(!render("<img src=x onerror=alert(1)>").contains("<img"));
        assert_eq!(sanitize("<a href=\"javascript:x\" onclick=\"y\">z</a><iframe src=x></iframe>"), "<a rel=\"noopener noreferrer nofollow\">z</a>");
    }
}
