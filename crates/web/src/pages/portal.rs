//! The public portal (plan II.3, IV.2): what anyone may read without
//! signing in. Every page here reads through `store::portal` (published
//! stories, exemplars `exemplar::publishable` allows) or the search index
//! restricted to public rows, and nothing else: the privacy test crawls it
//! all. Every answer carries `Cache-Control`, an `ETag`, and is answered 304
//! when the client holds it already.

use crate::auth::MaybeUser;
use crate::error::{PageError, PageResult};
use crate::AppState;
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use dienhinh_domain::{clock, RecordKind};
use dienhinh_store::exemplars::{Exemplar, Named};
use dienhinh_store::portal;
use dienhinh_store::search::{self, SearchHit};
use dienhinh_store::stories::Story;
use serde::Deserialize;
use std::collections::HashMap;
use axum::body::Bytes;
use std::sync::Mutex;

/// How long a browser or a shared cache may reuse a public page unasked.
const MAX_AGE: &str = "public, max-age=60";
/// Cards on the home page, and per page of a list.
const HOME_CARDS: i64 = 6;
const PAGE_SIZE: i64 = 12;

/// The layout's data: what the page is, for people, search engines and the
/// link cards of Zalo and Facebook (Open Graph, Twitter).
pub struct Meta {
    pub title: String,
    pub description: String,
    /// Absolute address of this page.
    pub url: String,
    /// Absolute address of the picture of its card.
    pub image: String,
    pub image_alt: String,
    /// `website` or `article`.
    pub og_type: &'static str,
    /// The bloc's name, in the banner.
    pub bloc: String,
    /// Which part of the portal the page belongs to (`/`, `/bai-viet`, `/dien-hinh`, `/tim-kiem`).
    pub section: &'static str,
    pub origin: String,
}

impl Meta {
    fn new(cx: &Cx, title: impl Into<String>, description: impl Into<String>, path: &str, section: &'static str) -> Self {
        let description: String = description.into();
        Meta {
            title: title.into(),
            description: clip(&description, 200),
            url: format!("{}{path}", cx.origin),
            image: format!("{}/static/portal-card.png", cx.origin),
            image_alt: "Ngôi sao vàng trên nền đỏ".into(),
            og_type: "website",
            bloc: cx.bloc.clone(),
            section,
            origin: cx.origin.clone(),
        }
    }
}

/// What every portal page needs first: the site's address and the bloc's name.
pub struct Cx {
    pub origin: String,
    pub bloc: String,
}

impl Cx {
    pub async fn new(st: &AppState, headers: &HeaderMap) -> Result<Cx, PageError> {
        let origin = origin(st, headers);
        let bloc = portal::bloc_name(&st.db).await?.unwrap_or_else(|| "Điển hình tiên tiến".into());
        Ok(Cx { origin, bloc })
    }
}

/// The site's own address: the configured public address, else the scheme
/// and the `Host` the request came with (reduced to the characters a host
/// may hold, so that a forged header cannot put markup into a page).
pub fn origin(st: &AppState, headers: &HeaderMap) -> String {
    if let Some(u) = st.config.public_url.as_deref() {
        return u.trim_end_matches('/').to_string();
    }
    let host = headers.get(header::HOST).and_then(|h| h.to_str().ok()).unwrap_or("localhost");
    let host: String = host.chars().filter(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | ':' | '[' | ']')).take(255).collect();
    let scheme = if st.config.https { "https" } else { "http" };
    format!("{scheme}://{}", if host.is_empty() { "localhost" } else { &host })
}

/// `text` cut at a word to at most `n` characters, with an ellipsis.
fn clip(text: &str, n: usize) -> String {
    let t = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if t.chars().count() <= n {
        return t;
    }
    let cut: String = t.chars().take(n).collect();
    let at = cut.rfind(' ').unwrap_or(cut.len());
    format!("{}…", &cut[..at])
}

/// A public address for a record: its id then its title in plain letters
/// (`12-nguoi-tho-gioi`), readable in a shared link; only the id counts.
pub fn slug(id: i64, title: &str) -> String {
    let mut out = format!("{id}-");
    let mut dash = true;
    for c in dienhinh_text::fold(title).chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c);
            dash = false;
        } else if !dash {
            out.push('-');
            dash = true;
        }
        if out.len() >= 80 {
            break;
        }
    }
    out.trim_end_matches('-').to_string()
}

pub fn story_href(s: &Story) -> String {
    format!("/bai-viet/{}", slug(s.id, &s.title))
}

pub fn exemplar_href(id: i64, name: &str) -> String {
    format!("/dien-hinh/{}", slug(id, name))
}

/// The id a slug begins with.
fn id_of(slug: &str) -> Option<i64> {
    let digits: &str = slug.split('-').next()?;
    if digits.is_empty() || digits.len() > 18 || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    digits.parse().ok()
}

fn etag_of(body: &[u8]) -> String {
    use sha2::Digest;
    format!("\"{}\"", hex::encode(&sha2::Sha256::digest(body)[..16]))
}

fn matches_etag(headers: &HeaderMap, etag: &str) -> bool {
    headers
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.split(',').any(|t| t.trim() == etag || t.trim() == "*" || t.trim().trim_start_matches("W/") == etag))
}

/// A public answer: `body` with its type, cache headers and ETag; 304 when
/// the client's copy is current.
pub fn public(headers: &HeaderMap, content_type: &'static str, body: Bytes, etag: &str) -> Response {
    let mut h = HeaderMap::new();
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static(MAX_AGE));
    if let Ok(v) = HeaderValue::from_str(etag) {
        h.insert(header::ETAG, v);
    }
    if matches_etag(headers, etag) {
        return (StatusCode::NOT_MODIFIED, h).into_response();
    }
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    (h, body).into_response()
}

const HTML: &str = "text/html; charset=utf-8";

fn page<T: Template>(headers: &HeaderMap, t: &T) -> PageResult {
    let body = t.render()?;
    let etag = etag_of(body.as_bytes());
    Ok(public(headers, HTML, Bytes::from(body), &etag))
}

/// Rendered story and exemplar pages, each kept with the stamp of what it
/// was made from (`portal::story_stamp`): a request reads the stamp (one
/// indexed row) and serves the kept page while it is current, so a write
/// that changes the page (the record, its unit, the records it names) is
/// seen at once, by every server, without a message between them.
pub struct PageCache {
    pages: Mutex<HashMap<String, Cached>>,
    /// One build at a time per key (a key hashes to one of these): when a
    /// page goes stale under load, the first request builds it and the
    /// others wait for its result instead of each building their own (the
    /// sitemap of a country, 50,000 addresses, was built 16 times at once
    /// by 16 clients: 4 s each and 60 MB more resident memory).
    builders: [tokio::sync::Mutex<()>; BUILDERS],
}

const BUILDERS: usize = 32;

impl Default for PageCache {
    fn default() -> Self {
        PageCache { pages: Mutex::default(), builders: std::array::from_fn(|_| tokio::sync::Mutex::new(())) }
    }
}

#[derive(Clone)]
struct Cached {
    stamp: String,
    etag: String,
    body: Bytes,
}

/// Pages kept at most; past it the cache starts afresh (a shared link makes
/// a few pages hot; this bounds memory, not the hit rate of those).
const CACHE_MAX: usize = 4096;

impl PageCache {
    fn get(&self, key: &str, stamp: &str) -> Option<Cached> {
        let pages = self.pages.lock().unwrap_or_else(|e| e.into_inner());
        pages.get(key).filter(|c| c.stamp == stamp).cloned()
    }
    fn put(&self, key: String, c: Cached) {
        let mut pages = self.pages.lock().unwrap_or_else(|e| e.into_inner());
        if pages.len() >= CACHE_MAX {
            pages.clear();
        }
        pages.insert(key, c);
    }
    /// The page kept under `key` while `stamp` holds, else the one `make`
    /// builds (kept unless it fails), one build at a time per key.
    async fn get_or_build<F, E>(&self, key: String, stamp: String, make: F) -> Result<Cached, E>
    where
        F: std::future::Future<Output = Result<String, E>>,
    {
        if let Some(c) = self.get(&key, &stamp) {
            return Ok(c);
        }
        let _turn = self.builder(&key).lock().await;
        // Built by the request this one waited for?
        if let Some(c) = self.get(&key, &stamp) {
            return Ok(c);
        }
        let body = Bytes::from(make.await?);
        let c = Cached { stamp, etag: etag_of(&body), body };
        self.put(key, c.clone());
        Ok(c)
    }
    fn builder(&self, key: &str) -> &tokio::sync::Mutex<()> {
        use std::hash::{BuildHasher, BuildHasherDefault, DefaultHasher};
        let h = BuildHasherDefault::<DefaultHasher>::default().hash_one(key);
        &self.builders[(h % BUILDERS as u64) as usize]
    }
}

/// Serves a cached document of `content_type`: from the cache while `stamp`
/// holds, else made by `make` (which answers 404 for what is not public;
/// an error is never kept). No stamp: the record does not exist, 404.
async fn cached<F>(st: &AppState, headers: &HeaderMap, content_type: &'static str, key: String, stamp: Option<String>, make: F) -> PageResult
where
    F: std::future::Future<Output = Result<String, PageError>>,
{
    let Some(stamp) = stamp else { return Err(PageError::not_found()) };
    let c = st.portal_cache.get_or_build(key, stamp, make).await?;
    Ok(public(headers, content_type, c.body, &c.etag))
}

// --- Pages -----------------------------------------------------------------

/// A story as a card: its address, title, summary, date, unit.
pub struct StoryCard {
    pub href: String,
    pub title: String,
    pub summary: String,
    pub date: String,
    pub date_iso: String,
    pub org_name: String,
}

impl From<&Story> for StoryCard {
    fn from(s: &Story) -> Self {
        let at = s.published_at.unwrap_or(s.updated_at);
        StoryCard {
            href: story_href(s),
            title: s.title.clone(),
            summary: s.summary.clone(),
            date: clock::datetime_vn(at).split(' ').next().unwrap_or_default().to_string(),
            date_iso: iso_date(at),
            org_name: s.org_name.clone(),
        }
    }
}

/// An exemplar as a card.
pub struct ExemplarCard {
    pub href: String,
    pub name: String,
    pub kind: &'static str,
    pub unit: String,
    pub fields: String,
    pub year: i64,
    pub summary: String,
}

impl From<&Exemplar> for ExemplarCard {
    fn from(e: &Exemplar) -> Self {
        ExemplarCard {
            href: exemplar_href(e.id, &e.name),
            name: e.name.clone(),
            kind: e.kind.label(),
            unit: e.unit_name.clone(),
            fields: e.fields.iter().map(|f| f.name.as_str()).collect::<Vec<_>>().join(", "),
            year: e.year_found,
            summary: clip(&e.achievements, 160),
        }
    }
}

fn iso_date(ms: i64) -> String {
    time::OffsetDateTime::from_unix_timestamp(ms / 1000)
        .map(|t| t.to_offset(time::UtcOffset::from_hms(7, 0, 0).expect("offset")).date().to_string())
        .unwrap_or_default()
}

#[derive(Template)]
#[template(path = "portal_home.html")]
struct HomePage {
    meta: Meta,
    stories: Vec<StoryCard>,
    exemplars: Vec<ExemplarCard>,
}

/// `/` for a visitor who is not signed in.
pub async fn home(st: &AppState, headers: &HeaderMap) -> PageResult {
    let cx = Cx::new(st, headers).await?;
    let stories = portal::stories(&st.db, None, HOME_CARDS).await?;
    let exemplars = portal::exemplars(&st.db, None, None, None, None, HOME_CARDS).await?;
    let meta = Meta::new(
        &cx,
        "Cổng thông tin điển hình tiên tiến",
        format!("Những tấm gương điển hình tiên tiến và bài viết về họ, do {} giới thiệu.", cx.bloc),
        "/",
        "/",
    );
    let mut res = page(
        headers,
        &HomePage { meta, stories: stories.items.iter().map(StoryCard::from).collect(), exemplars: exemplars.items.iter().map(ExemplarCard::from).collect() },
    )?;
    // The same address is the workspace for those signed in.
    res.headers_mut().insert(header::VARY, HeaderValue::from_static("Cookie"));
    Ok(res)
}

#[derive(Deserialize, Default)]
pub struct ListParams {
    #[serde(default)]
    sau: String,
}

#[derive(Template)]
#[template(path = "portal_stories.html")]
struct StoriesPage {
    meta: Meta,
    stories: Vec<StoryCard>,
    next: Option<String>,
}

pub async fn stories(State(st): State<AppState>, headers: HeaderMap, Query(p): Query<ListParams>) -> PageResult {
    let cx = Cx::new(&st, &headers).await?;
    let list = portal::stories(&st.db, Some(p.sau.as_str()).filter(|s| !s.is_empty()), PAGE_SIZE).await?;
    let meta = Meta::new(&cx, "Bài viết", "Bài viết về các điển hình tiên tiến.", "/bai-viet", "/bai-viet");
    page(&headers, &StoriesPage { meta, stories: list.items.iter().map(StoryCard::from).collect(), next: list.next })
}

#[derive(Template)]
#[template(path = "portal_story.html")]
struct StoryPage {
    meta: Meta,
    s: Story,
    html: String,
    date: String,
    date_iso: String,
    exemplars: Vec<(String, String)>,
}

/// A story's HTML for the portal: its own images marked public only; with
/// `origin`, its site addresses absolute (for the feed, read elsewhere).
async fn public_html(st: &AppState, s: &Story, origin: Option<&str>) -> Result<String, PageError> {
    use dienhinh_domain::story;
    let public = dienhinh_store::files::public_ids(&st.db, RecordKind::Story, s.id, &story::image_ids(&s.body)).await?;
    Ok(story::render_public(&s.body, |n| public.contains(&n), origin))
}

/// The address of the first image of rendered HTML (for the link card).
fn first_image(html: &str) -> Option<&str> {
    let at = html.find(&format!("src=\"{}", dienhinh_domain::story::PUBLIC_IMAGE_PATH))? + 5;
    let rest = &html[at..];
    Some(&rest[..rest.find('"')?])
}

/// An image of a published story, if it is marked public.
pub async fn image(State(st): State<AppState>, headers: HeaderMap, Path(n): Path<String>) -> PageResult {
    let Some(id) = id_of(&n) else { return Err(PageError::not_found()) };
    let a = dienhinh_store::files::get_public(&st.db, id).await?;
    let kind = dienhinh_store::files::Kind::from_content_type(&a.content_type).filter(|k| k.is_image()).ok_or_else(PageError::not_found)?;
    let bytes = st.files.get(&a.storage_key).await?;
    Ok(public(&headers, kind.content_type(), Bytes::from(bytes), &format!("\"{}\"", &a.sha256[..32.min(a.sha256.len())])))
}

pub async fn story(State(st): State<AppState>, headers: HeaderMap, Path(key): Path<String>) -> PageResult {
    let Some(id) = id_of(&key) else { return Err(PageError::not_found()) };
    let stamp = portal::story_stamp(&st.db, id).await?;
    let cache_key = format!("{}/bai-viet/{id}", origin(&st, &headers));
    cached(&st, &headers, HTML, cache_key, stamp, async {
        let cx = Cx::new(&st, &headers).await?;
        let s = portal::story(&st.db, id).await?;
        let card = StoryCard::from(&s);
        let mut meta = Meta::new(&cx, s.title.clone(), if s.summary.is_empty() { clip(&s.body, 200) } else { s.summary.clone() }, &story_href(&s), "/bai-viet");
        meta.og_type = "article";
        let exemplars = s.exemplars.iter().map(|e: &Named| (exemplar_href(e.id, &e.name), e.name.clone())).collect();
        let html = public_html(&st, &s, None).await?;
        if let Some(first) = first_image(&html) {
            meta.image = format!("{}{first}", cx.origin);
            meta.image_alt = s.title.clone();
        }
        Ok(StoryPage { meta, html, date: card.date, date_iso: card.date_iso, exemplars, s }.render()?)
    })
    .await
}

#[derive(Template)]
#[template(path = "portal_exemplar.html")]
struct ExemplarPage {
    meta: Meta,
    e: Exemplar,
    org_name: String,
    stories: Vec<(String, String)>,
}

pub async fn exemplar(State(st): State<AppState>, headers: HeaderMap, Path(key): Path<String>) -> PageResult {
    let Some(id) = id_of(&key) else { return Err(PageError::not_found()) };
    let stamp = portal::exemplar_stamp(&st.db, id).await?;
    let cache_key = format!("{}/dien-hinh/{id}", origin(&st, &headers));
    cached(&st, &headers, HTML, cache_key, stamp, async {
        let cx = Cx::new(&st, &headers).await?;
        let e = portal::exemplar(&st.db, id).await?;
        let org_name = dienhinh_store::orgs::get(&st.db, e.org_id).await?.name;
        let stories = portal::stories_about(&st.db, e.id, 20)
            .await?
            .into_iter()
            .map(|s| (format!("/bai-viet/{}", slug(s.id, &s.name)), s.name))
            .collect();
        let meta = Meta::new(&cx, e.name.clone(), format!("{} · {}. {}", e.kind.label(), e.unit_name, e.achievements), &exemplar_href(e.id, &e.name), "/dien-hinh");
        Ok(ExemplarPage { meta, e, org_name, stories }.render()?)
    })
    .await
}

#[derive(Deserialize, Default)]
pub struct GalleryParams {
    #[serde(default)]
    linh_vuc: String,
    #[serde(default)]
    don_vi: String,
    #[serde(default)]
    nam: String,
    #[serde(default)]
    sau: String,
}

#[derive(Template)]
#[template(path = "portal_gallery.html")]
struct GalleryPage {
    meta: Meta,
    items: Vec<ExemplarCard>,
    /// Each filter's choices: (value, label, chosen).
    fields: Vec<Choice>,
    units: Vec<Choice>,
    years: Vec<Choice>,
    /// The query string of the filters, for the next page's link.
    filters: String,
    next: Option<String>,
}

type Choice = (i64, String, bool);

fn choices(items: impl IntoIterator<Item = (i64, String)>, chosen: Option<i64>) -> Vec<Choice> {
    items.into_iter().map(|(v, l)| (v, l, chosen == Some(v))).collect()
}

/// Years offered in the gallery's filter: this year and the nine before.
fn recent_years() -> Vec<(i64, String)> {
    let now = clock::current_year();
    (now - 9..=now).rev().map(|y| (y, y.to_string())).collect()
}

pub async fn gallery(State(st): State<AppState>, headers: HeaderMap, Query(p): Query<GalleryParams>) -> PageResult {
    let cx = Cx::new(&st, &headers).await?;
    let field = super::opt_id(&p.linh_vuc);
    let unit = super::opt_id(&p.don_vi);
    let year = super::opt_id(&p.nam);
    let list = portal::exemplars(&st.db, field, unit, year, Some(p.sau.as_str()).filter(|s| !s.is_empty()), PAGE_SIZE).await?;
    let fields = dienhinh_store::exemplars::fields(&st.db).await?;
    let units = portal::units(&st.db).await?;
    let filters = serde_urlencoded::to_string([("linh_vuc", &p.linh_vuc), ("don_vi", &p.don_vi), ("nam", &p.nam)]).unwrap_or_default();
    let meta = Meta::new(&cx, "Điển hình tiên tiến", "Các tấm gương điển hình tiên tiến theo lĩnh vực, đơn vị và năm.", "/dien-hinh", "/dien-hinh");
    page(
        &headers,
        &GalleryPage {
            meta,
            items: list.items.iter().map(ExemplarCard::from).collect(),
            fields: choices(fields.into_iter().map(|f| (f.id, f.name)), field),
            units: choices(units.into_iter().map(|u| (u.id, u.name)), unit),
            years: choices(recent_years(), year),
            filters,
            next: list.next,
        },
    )
}

#[derive(Deserialize, Default)]
pub struct SearchParams {
    #[serde(default)]
    q: String,
    #[serde(default)]
    sau: String,
}

#[derive(Template)]
#[template(path = "portal_search.html")]
struct SearchPage {
    meta: Meta,
    q: String,
    searched: bool,
    /// (hit, its public address, its kind's label)
    hits: Vec<(SearchHit, String, &'static str)>,
    next: Option<String>,
}

/// The public address of a search hit; `None` for a kind the portal does
/// not show (the index marks only stories and exemplars public).
fn public_link(h: &SearchHit) -> Option<(String, &'static str)> {
    match h.kind {
        RecordKind::Story => Some((format!("/bai-viet/{}", slug(h.record_id, &h.title)), "Bài viết")),
        RecordKind::Exemplar => Some((exemplar_href(h.record_id, &h.title), "Điển hình")),
        _ => None,
    }
}

pub async fn search(State(st): State<AppState>, headers: HeaderMap, Query(p): Query<SearchParams>) -> PageResult {
    let cx = Cx::new(&st, &headers).await?;
    let q: String = p.q.chars().take(search::MAX_QUERY_CHARS).collect();
    let searched = !search::query_tokens(&q).is_empty();
    let found = search::query(
        &st.db,
        &search::SearchQuery {
            text: q.clone(),
            within: portal::everywhere(),
            public_only: true,
            cursor: Some(p.sau.clone()).filter(|c| !c.is_empty()),
            limit: Some(20),
            ..Default::default()
        },
    )
    .await?;
    let hits = found.items.into_iter().filter_map(|h| public_link(&h).map(|(href, label)| (h, href, label))).collect();
    let meta = Meta::new(&cx, "Tìm kiếm", "Tìm điển hình tiên tiến và bài viết.", "/tim-kiem", "/tim-kiem");
    page(&headers, &SearchPage { meta, q, searched, hits, next: found.next })
}

// --- Machine-read documents -------------------------------------------------

fn xml_escape(s: &str) -> String {
    askama::filters::escape(s, askama::filters::Html).map(|e| e.to_string()).unwrap_or_default()
}

fn rfc3339(ms: i64) -> String {
    time::OffsetDateTime::from_unix_timestamp(ms / 1000)
        .ok()
        .and_then(|t| t.format(&time::format_description::well_known::Rfc3339).ok())
        .unwrap_or_default()
}

const ATOM: &str = "application/atom+xml; charset=utf-8";
const XML: &str = "application/xml; charset=utf-8";

/// The Atom feed of the newest published stories, kept under
/// `portal::feed_stamp` (rendering 30 stories' Markdown is the cost).
pub async fn feed(State(st): State<AppState>, headers: HeaderMap) -> PageResult {
    let stamp = portal::feed_stamp(&st.db).await?;
    let key = format!("{}/feed.atom", origin(&st, &headers));
    cached(&st, &headers, ATOM, key, Some(stamp), async {
        let cx = Cx::new(&st, &headers).await?;
        let list = portal::stories(&st.db, None, portal::FEED_SIZE).await?;
        let updated = list.items.iter().map(|s| s.updated_at).max().unwrap_or(0);
        let mut x = String::from("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"vi\">\n");
        x += &format!(
            "<title>{} · Điển hình tiên tiến</title>\n<id>{o}/</id>\n<link rel=\"self\" href=\"{o}/feed.atom\"/>\n<link href=\"{o}/\"/>\n<updated>{}</updated>\n",
            xml_escape(&cx.bloc),
            rfc3339(updated),
            o = xml_escape(&cx.origin)
        );
        for s in &list.items {
            let url = format!("{}{}", cx.origin, story_href(s));
            x += &format!(
                "<entry>\n<title>{}</title>\n<id>{u}</id>\n<link href=\"{u}\"/>\n<published>{}</published>\n<updated>{}</updated>\n<author><name>{}</name></author>\n<summary>{}</summary>\n<content type=\"html\">{}</content>\n</entry>\n",
                xml_escape(&s.title),
                rfc3339(s.published_at.unwrap_or(s.updated_at)),
                rfc3339(s.updated_at),
                xml_escape(&s.org_name),
                xml_escape(&s.summary),
                xml_escape(&public_html(&st, s, Some(&cx.origin)).await?),
                u = xml_escape(&url),
            );
        }
        x += "</feed>\n";
        Ok(x)
    })
    .await
}

/// Every public page, for search engines; kept under `portal::sitemap_stamp`
/// (thousands of addresses, each title folded into its slug).
pub async fn sitemap(State(st): State<AppState>, headers: HeaderMap) -> PageResult {
    let stamp = portal::sitemap_stamp(&st.db).await?;
    let o = origin(&st, &headers);
    let key = format!("{o}/sitemap.xml");
    cached(&st, &headers, XML, key, Some(stamp), async {
        let mut x = String::from("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n");
        for path in ["/", "/bai-viet", "/dien-hinh"] {
            x += &format!("<url><loc>{}{path}</loc></url>\n", xml_escape(&o));
        }
        for e in portal::entries(&st.db).await? {
            let path = if e.story { format!("/bai-viet/{}", slug(e.id, &e.title)) } else { exemplar_href(e.id, &e.title) };
            x += &format!("<url><loc>{}</loc><lastmod>{}</lastmod></url>\n", xml_escape(&format!("{o}{path}")), iso_date(e.updated_at));
        }
        x += "</urlset>\n";
        Ok(x)
    })
    .await
}

/// The portal is open to robots; the workspace and the API are not.
pub async fn robots(State(st): State<AppState>, headers: HeaderMap) -> Response {
    let origin = origin(&st, &headers);
    let mut x = String::from("User-agent: *\nAllow: /$\nAllow: /bai-viet\nAllow: /dien-hinh\nAllow: /tim-kiem\nAllow: /feed.atom\nAllow: /static/\nDisallow: /\n");
    x += &format!("Sitemap: {origin}/sitemap.xml\n");
    let etag = etag_of(x.as_bytes());
    public(&headers, "text/plain; charset=utf-8", Bytes::from(x), &etag)
}

/// The picture of a link card (1200×630, the size Facebook and Zalo ask for).
pub async fn card_image(headers: HeaderMap) -> Response {
    const PNG: &[u8] = include_bytes!("../../assets/portal-card.png");
    public(&headers, "image/png", Bytes::from_static(PNG), &etag_of(PNG))
}

/// `/`: the workspace for those signed in, the portal for everyone else.
pub async fn root(State(st): State<AppState>, MaybeUser(me): MaybeUser, headers: HeaderMap) -> PageResult {
    match me {
        Some(me) => {
            let mut res = super::home::show(st, me).await?;
            res.headers_mut().insert(header::VARY, HeaderValue::from_static("Cookie"));
            Ok(res)
        }
        None => home(&st, &headers).await,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::sync::Arc;

    /// Sixteen requests for a stale page at once: one builds it, the others
    /// are answered with its result.
    #[tokio::test]
    async fn a_stale_page_is_built_once_however_many_ask_at_once() {
        let cache = Arc::new(PageCache::default());
        let builds = Arc::new(AtomicUsize::new(0));
        let mut asking = tokio::task::JoinSet::new();
        for _ in 0..16 {
            let (cache, builds) = (cache.clone(), builds.clone());
            asking.spawn(async move {
                cache
                    .get_or_build("/sitemap.xml".into(), "v1".into(), async {
                        builds.fetch_add(1, Ordering::SeqCst);
                        // The others arrive while this build is under way.
                        tokio::task::yield_now().await;
                        Ok::<_, ()>("<urlset/>".to_string())
                    })
                    .await
            });
        }
        while let Some(answer) = asking.join_next().await {
            assert_eq!(answer.unwrap().unwrap().body, Bytes::from("<urlset/>"));
        }
        assert_eq!(builds.load(Ordering::SeqCst), 1);
        // A new stamp is a new build; a failed build is not kept.
        let failed = cache.get_or_build("/sitemap.xml".into(), "v2".into(), async { Err::<String, _>("down") }).await;
        assert!(failed.is_err());
        let rebuilt = cache.get_or_build("/sitemap.xml".into(), "v2".into(), async { Ok::<_, ()>("<urlset>2</urlset>".into()) }).await.unwrap();
        assert_eq!(rebuilt.body, Bytes::from("<urlset>2</urlset>"));
    }
}
