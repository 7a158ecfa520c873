//! The public portal: what anyone sees without signing in, and the proof
//! that nothing else is seen there.

use crate::both;
use crate::helpers::TestApp;
use dienhinh_store::db::Backend;
use std::collections::{BTreeMap, BTreeSet, VecDeque};

/// Every text column of the schema, by what it holds. A new text column
/// fails `every_private_field_stays_private` until it is named here: as
/// free text never shown publicly (`PRIVATE`, filled with a marker in
/// every row), as text shown only for public records (`PUBLIC_IF`), or as
/// something that is not prose (codes, keys, paths, dates, hashes) or is
/// public by nature (unit and catalogue names).
const PRIVATE: &[(&str, &[&str])] = &[
    ("annual_models", &["title", "description", "decision_note", "decided_by"]),
    ("api_tokens", &["label"]),
    ("attachments", &["file_name"]),
    ("commendation_forms", &["name"]),
    ("commendation_outcomes", &["number", "signer", "note", "actor"]),
    ("commendation_rounds", &["basis"]),
    ("council_sessions", &["place", "minutes_number"]),
    ("criteria", &["text"]),
    ("criteria_sets", &["name"]),
    ("document_numbers", &["symbol", "subject"]),
    ("evaluation_scores", &["comment"]),
    ("evaluations", &["evaluator", "effect", "effectiveness", "potential", "influence_unit", "influence_society", "difficulties", "help_decided"]),
    ("exemplar_steps", &["reason", "actor", "decision_no"]),
    ("fostering_items", &["motivation", "support", "shortcomings", "measures", "responsible"]),
    ("movements", &["launched_by"]),
    ("nomination_comments", &["comment"]),
    ("nomination_events", &["actor"]),
    ("nominations", &["report", "confirmation", "upward_no"]),
    ("org_moves", &["moved_by"]),
    ("plans", &["number", "issuing_body", "title", "bases", "body", "signer_authority", "signer_title", "signer_name", "recipients"]),
    ("propaganda_items", &["title", "link"]),
    ("replications", &["how", "note"]),
    ("review_figures", &["table_title", "label"]),
    ("review_reports", &["results", "shortcomings", "lessons", "tasks"]),
    ("review_steps", &["comment", "actor"]),
    ("stories", &["review_note", "unpublish_reason"]),
    ("study_visits", &["visiting_units", "lessons"]),
    ("users", &["username", "full_name", "position"]),
];

/// Text public only on a public record: (table, the SQL condition of a
/// public row, columns). Rows outside the condition get a private marker.
const PUBLIC_IF: &[(&str, &str, &[&str])] = &[
    ("exemplars", "consent_publish = 1 AND status IN ('cong_nhan', 'nhan_rong')", &["name", "position", "unit_name", "achievements", "model"]),
    ("stories", "status = 'da_dang'", &["title", "summary", "body"]),
];

/// Not prose, or public by nature; the audit log cannot be updated (a row
/// with markers is added instead); the index is derived (rebuilt).
const OTHER: &[(&str, &[&str])] = &[
    ("annual_models", &["org_path", "status"]),
    ("api_tokens", &["token_hash"]),
    ("attachments", &["record_kind", "org_path", "content_type", "sha256", "storage_key"]),
    ("audit_log", &["actor", "action", "entity", "org_path", "summary", "before_json", "after_json"]),
    ("ballot_counts", &["org_path", "choice"]),
    ("commendation_forms", &["code", "authority", "level"]),
    ("commendation_outcomes", &["org_path", "kind", "number_key", "issued_on"]),
    ("commendation_rounds", &["org_path", "deadline", "elig_kind", "elig_min_level", "required_items", "threshold_rule", "ballot"]),
    ("council_members", &["role"]),
    ("council_sessions", &["org_path", "held_on", "status"]),
    ("council_votes", &["org_path", "choice"]),
    ("criteria", &["code", "applies_to"]),
    ("criteria_sets", &["org_path"]),
    ("document_numbers", &["org_path", "doc_type", "origin"]),
    ("document_registers", &["org_path", "abbreviation", "place"]),
    ("evaluation_scores", &["result"]),
    ("evaluations", &["org_path", "evaluated_on"]),
    ("exemplar_steps", &["step", "from_status", "to_status", "from_level", "to_level", "decided_on"]),
    ("exemplars", &["org_path", "kind", "name_key", "sort_key", "status", "level"]),
    ("fields", &["code", "name"]),
    ("fostering_items", &["org_path", "support_kind", "due_on", "status"]),
    ("job_runs", &["name", "outcome"]),
    ("movements", &["org_path", "name"]),
    ("node_counts", &["metric", "code"]),
    ("nomination_comments", &["item"]),
    ("nomination_events", &["step", "from_status", "to_status"]),
    ("nominations", &["org_path", "status", "upward_on"]),
    ("org_moves", &["from_path", "to_path"]),
    ("orgs", &["kind", "name", "short_name", "name_key", "sort_key", "path"]),
    ("plans", &["org_path", "issued_on"]),
    ("propaganda_items", &["org_path", "item_type", "channel", "published_on"]),
    ("replications", &["org_path", "adopter_org_path", "adopted_on"]),
    ("resume_forms", &["token_hash", "posted_to", "fields"]),
    ("review_figures", &["table_key", "row_code"]),
    ("review_reports", &["org_path", "status"]),
    ("review_steps", &["step", "from_status", "to_status"]),
    ("role_assignments", &["role"]),
    ("schema_migrations", &["name"]),
    ("search_docs", &["kind", "org_path", "title", "body", "field", "folded", "title_lower", "title_folded"]),
    ("sessions", &["id_hash", "csrf_token"]),
    ("signin_failures", &["key_hash"]),
    ("stories", &["org_path", "status"]),
    ("study_visits", &["org_path", "visited_on"]),
    ("users", &["name_key", "sort_key", "org_path", "password_hash"]),
];

/// Every text column of every table, on either backend.
async fn text_columns(app: &TestApp) -> BTreeSet<(String, String)> {
    let sql = match app.db.backend {
        Backend::Sqlite => {
            "SELECT m.name AS t, p.name AS c FROM sqlite_master m JOIN pragma_table_info(m.name) p \
             WHERE m.type = 'table' AND m.name NOT LIKE 'search_fts%' AND m.name NOT LIKE 'sqlite%' AND upper(p.type) = 'TEXT'"
        }
        Backend::Postgres => {
            "SELECT CAST(table_name AS TEXT) AS t, CAST(column_name AS TEXT) AS c FROM information_schema.columns \
             WHERE table_schema = current_schema() AND data_type = 'text'"
        }
    };
    let rows = sqlx::query(sql).fetch_all(app.db.reader()).await.unwrap();
    rows.iter().map(|r| (dienhinh_store::db::col(r, "t").unwrap(), dienhinh_store::db::col(r, "c").unwrap())).collect()
}

/// Markers: `zqp<n>x` private, `zqo<n>x` public; one per (table, column),
/// appended to the column's text in the rows they stand for.
struct Markers {
    private: BTreeMap<String, String>,
    public: BTreeMap<String, String>,
}

async fn fill(app: &TestApp) -> Markers {
    let mut m = Markers { private: BTreeMap::new(), public: BTreeMap::new() };
    let mut tx = app.db.begin().await.unwrap();
    let mut n = 0;
    let mut mark = |kind: &str| {
        n += 1;
        format!("zq{kind}{n}x")
    };
    for (table, cols) in PRIVATE {
        for c in *cols {
            let marker = mark("p");
            sqlx::query(&format!("UPDATE {table} SET {c} = {c} || ' {marker}'")).execute(&mut *tx).await.unwrap();
            m.private.insert(marker, format!("{table}.{c}"));
        }
    }
    for (table, public_row, cols) in PUBLIC_IF {
        for c in *cols {
            let (hidden, shown) = (mark("p"), mark("o"));
            sqlx::query(&format!("UPDATE {table} SET {c} = {c} || ' {hidden}' WHERE NOT ({public_row})")).execute(&mut *tx).await.unwrap();
            sqlx::query(&format!("UPDATE {table} SET {c} = {c} || ' {shown}' WHERE {public_row}")).execute(&mut *tx).await.unwrap();
            m.private.insert(hidden, format!("{table}.{c} (not public)"));
            m.public.insert(shown, format!("{table}.{c}"));
        }
    }
    // The audit log refuses UPDATE: one entry carrying markers.
    let audit = mark("p");
    sqlx::query(
        "INSERT INTO audit_log (at, actor, action, entity, org_path, summary, before_json, after_json) VALUES (1, $1, 'update', 'exemplar', '/1/', $1, $1, $1)",
    )
    .bind(format!("Người {audit}"))
    .execute(&mut *tx)
    .await
    .unwrap();
    m.private.insert(audit, "audit_log".into());
    tx.commit().await.unwrap();
    dienhinh_store::kinds::rebuild_search(&app.db).await.unwrap();
    m
}

/// Same-site addresses a page links to (`href`, `src`, sitemap `<loc>`).
fn links(base: &str, body: &str) -> Vec<String> {
    let mut out = vec![];
    for (open, close) in [("href=\"", '"'), ("src=\"", '"'), ("<loc>", '<')] {
        for piece in body.split(open).skip(1) {
            let Some(end) = piece.find(close) else { continue };
            let raw = piece[..end].replace("&amp;", "&");
            let path = raw.strip_prefix(base).unwrap_or(&raw);
            if path.starts_with('/') && !path.starts_with("//") {
                out.push(path.split('#').next().unwrap_or_default().to_string());
            }
        }
    }
    out
}

/// The results of a search page.
fn hits(body: &str) -> &str {
    body.split_once("<ol class=\"hits\">").and_then(|(_, rest)| rest.split_once("</ol>")).map_or("", |(h, _)| h)
}

both!(every_private_field_stays_private, |app| {
    // Every text column is classified (a new one must be decided on).
    let known: BTreeSet<(String, String)> = PRIVATE
        .iter()
        .chain(OTHER.iter())
        .flat_map(|(t, cs)| cs.iter().map(move |c| (t.to_string(), c.to_string())))
        .chain(PUBLIC_IF.iter().flat_map(|(t, _, cs)| cs.iter().map(move |c| (t.to_string(), c.to_string()))))
        .collect();
    let unclassified: Vec<_> = text_columns(&app).await.difference(&known).cloned().collect();
    assert!(unclassified.is_empty(), "text columns no list of portal.rs names: {unclassified:?}");

    let markers = fill(&app).await;
    let client = app.client();
    let mut pages: BTreeMap<String, String> = BTreeMap::new();
    let mut queue: VecDeque<String> = ["/", "/feed.atom", "/sitemap.xml", "/robots.txt"].map(String::from).into();
    // Every record's public address, linked or not.
    for id in 1..=40 {
        queue.push_back(format!("/bai-viet/{id}"));
        queue.push_back(format!("/dien-hinh/{id}"));
    }
    for marker in markers.private.keys().chain(markers.public.keys()) {
        queue.push_back(format!("/tim-kiem?q={marker}"));
    }
    while let Some(path) = queue.pop_front() {
        if pages.contains_key(&path) || pages.len() > 3000 {
            continue;
        }
        let res = client.get(app.url(&path)).send().await.unwrap();
        let status = res.status();
        assert!(!status.is_server_error(), "{path}: {status}");
        let body = res.text().await.unwrap();
        // Only the portal is crawled on: workspace pages send a visitor to sign in.
        if status.is_success() {
            for l in links(&app.base, &body) {
                if !pages.contains_key(&l) {
                    queue.push_back(l);
                }
            }
        }
        pages.insert(path, body);
    }
    let mut leaks = vec![];
    for (path, body) in &pages {
        for (marker, field) in &markers.private {
            // A search page repeats what was typed; its results are what count.
            let shown = if path.ends_with(&format!("?q={marker}")) { hits(body) } else { body.as_str() };
            if shown.contains(marker.as_str()) {
                leaks.push(format!("{field} on {path}"));
            }
        }
    }
    assert!(leaks.is_empty(), "private text on public pages: {leaks:#?}");
    // And the crawl does see what is public, so that it could see a leak.
    for (marker, field) in &markers.public {
        assert!(pages.values().any(|b| b.contains(marker.as_str())), "public {field} ({marker}) was not found on the portal");
        let found = &pages[&format!("/tim-kiem?q={marker}")];
        assert!(hits(found).contains(marker.as_str()), "public search does not find {field}");
    }
    assert!(pages.keys().any(|p| p.starts_with("/bai-viet/")) && pages.keys().any(|p| p.starts_with("/dien-hinh/")), "{:?}", pages.keys());
});

both!(public_pages_are_cached_and_validated, |app| {
    let client = app.client();
    for path in ["/", "/dien-hinh", "/bai-viet", "/feed.atom", "/sitemap.xml", "/robots.txt", "/tim-kiem?q=dien"] {
        let res = client.get(app.url(path)).send().await.unwrap();
        assert_eq!(res.status(), 200, "{path}");
        assert!(res.headers()["cache-control"].to_str().unwrap().starts_with("public"), "{path}");
        let etag = res.headers()["etag"].to_str().unwrap().to_string();
        let again = client.get(app.url(path)).header("if-none-match", &etag).send().await.unwrap();
        assert_eq!(again.status(), 304, "{path}");
    }
    // A story page changes when its story does: the stamp moves, the ETag too.
    let home = client.get(app.url("/bai-viet")).send().await.unwrap().text().await.unwrap();
    let story = links(&app.base, &home).into_iter().find(|l| l.starts_with("/bai-viet/") && l.len() > 10).unwrap();
    let first = client.get(app.url(&story)).send().await.unwrap();
    let etag = first.headers()["etag"].to_str().unwrap().to_string();
    let id: i64 = story["/bai-viet/".len()..].split('-').next().unwrap().parse().unwrap();
    let mut tx = app.db.begin().await.unwrap();
    sqlx::query("UPDATE stories SET title = 'Tiêu đề mới zqnew', version = version + 1 WHERE id = $1").bind(id).execute(&mut *tx).await.unwrap();
    tx.commit().await.unwrap();
    let after = client.get(app.url(&story)).header("if-none-match", &etag).send().await.unwrap();
    assert_eq!(after.status(), 200);
    assert!(after.text().await.unwrap().contains("zqnew"));
    // Signed in, `/` is the workspace, never kept by a shared cache.
    let (me, _) = app.sign_in("btg").await;
    let res = me.get(app.url("/")).send().await.unwrap();
    assert_eq!(res.headers()["cache-control"], "no-store");
    assert!(res.text().await.unwrap().contains("Tổng quan"));
    // Unknown and non-public addresses are 404.
    for path in ["/bai-viet/999999", "/dien-hinh/abc", "/bai-viet/-1"] {
        assert_eq!(client.get(app.url(path)).send().await.unwrap().status(), 404, "{path}");
    }
});

both!(story_images_are_public_only_while_the_story_is_published, |app| {
    let visitor = app.client();
    // The demo's published stories carry a picture: on the page, as the link card's picture, and served.
    let list = visitor.get(app.url("/bai-viet")).send().await.unwrap().text().await.unwrap();
    let story = links(&app.base, &list).into_iter().find(|l| l.starts_with("/bai-viet/") && l.len() > 10).unwrap();
    let html = visitor.get(app.url(&story)).send().await.unwrap().text().await.unwrap();
    let img = html.split("<img src=\"").nth(1).and_then(|r| r.split('"').next()).expect("a picture").to_string();
    assert!(img.starts_with("/anh/"), "{img}");
    assert!(html.contains(&format!("property=\"og:image\" content=\"{}{img}\"", app.base)), "the card shows the story's picture");
    let res = visitor.get(app.url(&img)).send().await.unwrap();
    assert_eq!((res.status(), res.headers()["content-type"].to_str().unwrap()), (reqwest::StatusCode::OK, "image/png"));
    // A draft's image is not served; the file of another record never is.
    let (c, csrf) = app.sign_in("canbo").await;
    let draft: i64 = sqlx::query_scalar("SELECT id FROM stories WHERE status = 'tra_lai'").fetch_one(app.db.reader()).await.unwrap();
    let upload = |bytes: Vec<u8>, name: &'static str| {
        let form = reqwest::multipart::Form::new().part("file", reqwest::multipart::Part::bytes(bytes).file_name(name));
        c.post(app.url(&format!("/stories/{draft}/images?_csrf={csrf}"))).multipart(form).send()
    };
    let png = visitor.get(app.url(&img)).send().await.unwrap().bytes().await.unwrap().to_vec();
    assert_eq!(upload(png.clone(), "anh.png").await.unwrap().status(), reqwest::StatusCode::SEE_OTHER);
    let id: i64 = sqlx::query_scalar("SELECT MAX(id) FROM attachments WHERE record_kind = 'story' AND record_id = $1").bind(draft).fetch_one(app.db.reader()).await.unwrap();
    assert_eq!(visitor.get(app.url(&format!("/anh/{id}"))).send().await.unwrap().status(), 404, "a draft's image");
    let evidence: i64 = sqlx::query_scalar("SELECT MIN(id) FROM attachments WHERE record_kind = 'exemplar'").fetch_one(app.db.reader()).await.unwrap();
    assert_eq!(visitor.get(app.url(&format!("/anh/{evidence}"))).send().await.unwrap().status(), 404, "an exemplar's evidence");
    // Not an image, or too large: refused in Vietnamese, nothing stored.
    let before: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM attachments").fetch_one(app.db.reader()).await.unwrap();
    let res = upload(b"%PDF-1.7\n...".to_vec(), "a.pdf").await.unwrap();
    assert_eq!(res.status(), 422);
    assert!(res.text().await.unwrap().contains("không phải ảnh"));
    let mut big = png.clone();
    big.resize(dienhinh_store::files::MAX_IMAGE_BYTES + 1, 0);
    let res = upload(big, "lon.png").await.unwrap();
    assert_eq!(res.status(), 422);
    assert!(res.text().await.unwrap().contains("Ảnh lớn quá"));
    assert_eq!(sqlx::query_scalar::<_, i64>("SELECT COUNT(*) FROM attachments").fetch_one(app.db.reader()).await.unwrap(), before);
    // Unpublishing takes the pictures off the portal with the story.
    let (btg, btg_csrf) = app.sign_in("btg").await;
    let story_id: i64 = story["/bai-viet/".len()..].split('-').next().unwrap().parse().unwrap();
    let version: i64 = sqlx::query_scalar("SELECT version FROM stories WHERE id = $1").bind(story_id).fetch_one(app.db.reader()).await.unwrap();
    let res = btg
        .post(app.url(&format!("/stories/{story_id}/unpublish")))
        .form(&[("_csrf", btg_csrf.as_str()), ("version", &version.to_string()), ("note", "Cần sửa số liệu."), ("confirmed", "1")])
        .send()
        .await
        .unwrap();
    assert!(res.status().is_redirection(), "{}", res.status());
    assert_eq!(visitor.get(app.url(&img)).send().await.unwrap().status(), 404);
    assert_eq!(visitor.get(app.url(&story)).send().await.unwrap().status(), 404);
});

both!(the_feed_names_every_address_absolutely, |app| {
    // Feed readers show an entry away from the site: `/anh/3` would name
    // nothing there. Every address in the feed starts with the site's own:
    // the request's host when no public address is configured …
    let visitor = app.client();
    let feed = visitor.get(app.url("/feed.atom")).send().await.unwrap().text().await.unwrap();
    // (The entry's HTML is escaped in the XML: `"` is `&#34;`.)
    assert!(feed.contains(&format!("img src=&#34;{}/anh/", app.base)), "the demo's published story shows its picture: {feed}");
    let relative = |feed: &str| ["src=&#34;/", "href=&#34;/", "href=\"/", "src=\"/"].into_iter().any(|r| feed.contains(r));
    assert!(!relative(&feed), "a site-relative address in the feed: {feed}");
    // … and the configured public address when there is one, whatever host the request named.
    let public = "https://dangbokhoi.example.vn";
    let other = app.serve_with(dienhinh_web::WebConfig { public_url: Some(format!("{public}/")), ..Default::default() }).await;
    let feed = visitor.get(format!("{other}/feed.atom")).send().await.unwrap().text().await.unwrap();
    assert!(feed.contains(&format!("img src=&#34;{public}/anh/")), "{feed}");
    assert!(feed.contains(&format!("<link href=\"{public}/bai-viet/")), "{feed}");
    assert!(!relative(&feed) && !feed.contains("127.0.0.1"), "{feed}");
});

both!(cached_pages_change_with_everything_they_show, |app| {
    // Each change below is made as its write makes it (an edit moves the
    // record's version; marking an image public does not; the one write
    // path appends an audit entry in the same transaction): after each,
    // the story page, the exemplar page, the feed and the sitemap that show
    // what changed are served anew, never from the cache.
    let app = &app;
    let visitor = app.client();
    let get = |path: String| {
        let c = visitor.clone();
        let url = app.url(&path);
        async move { c.get(url).send().await.unwrap().text().await.unwrap() }
    };
    let one = |sql: &'static str| async move { sqlx::query_scalar::<_, i64>(sql).fetch_one(app.db.reader()).await.unwrap() };
    let run = |sql: String| async move {
        let mut tx = app.db.begin().await.unwrap();
        sqlx::query(&sql).execute(&mut *tx).await.unwrap();
        sqlx::query("INSERT INTO audit_log (at, actor, action, entity, summary) VALUES (0, 'test', 'update', 'test', $1)").bind(&sql).execute(&mut *tx).await.unwrap();
        tx.commit().await.unwrap();
    };
    let story = one(
        "SELECT MAX(s.id) FROM stories s JOIN attachments a ON a.record_kind = 'story' AND a.record_id = s.id AND a.public = 1 \
         JOIN story_exemplars x ON x.story_id = s.id WHERE s.status = 'da_dang'",
    )
    .await;
    let image: i64 = sqlx::query_scalar("SELECT MIN(id) FROM attachments WHERE record_kind = 'story' AND record_id = $1 AND public = 1").bind(story).fetch_one(app.db.reader()).await.unwrap();
    let exemplar: i64 = sqlx::query_scalar("SELECT MIN(exemplar_id) FROM story_exemplars WHERE story_id = $1").bind(story).fetch_one(app.db.reader()).await.unwrap();
    let unit: i64 = sqlx::query_scalar("SELECT org_id FROM stories WHERE id = $1").bind(story).fetch_one(app.db.reader()).await.unwrap();
    let bloc = one("SELECT MIN(id) FROM orgs WHERE parent_id IS NULL").await;
    let (story_page, exemplar_page) = (format!("/bai-viet/{story}"), format!("/dien-hinh/{exemplar}"));
    let pages = [story_page.clone(), exemplar_page.clone(), "/feed.atom".to_string(), "/sitemap.xml".to_string()];
    let img = format!("/anh/{image}");
    // Every page is kept first; what is about to change is on it.
    let shown = |body: &str, what: &str| body.contains(what);
    for p in &pages {
        get(p.clone()).await;
    }
    assert!(shown(&get(story_page.clone()).await, &img), "the story shows its picture");
    // (what changes, SQL, pages that must show `marker`.)
    let edits: Vec<(&str, String, &str, Vec<&String>)> = vec![
        ("the story's title", format!("UPDATE stories SET title = 'Tiêu đề zqs1x', updated_at = updated_at + 1, version = version + 1 WHERE id = {story}"), "zqs1x", vec![&pages[0], &pages[1], &pages[2]]),
        ("its unit's name", format!("UPDATE orgs SET name = 'Chi bộ zqs2x', version = version + 1 WHERE id = {unit}"), "zqs2x", vec![&pages[0], &pages[2]]),
        ("the exemplar's name", format!("UPDATE exemplars SET name = 'Anh zqs3x', updated_at = updated_at + 1, version = version + 1 WHERE id = {exemplar}"), "zqs3x", vec![&pages[0], &pages[1]]),
        ("the bloc's name", format!("UPDATE orgs SET name = 'Đảng ủy zqs4x', version = version + 1 WHERE id = {bloc}"), "zqs4x", vec![&pages[0], &pages[1], &pages[2]]),
    ];
    for (what, sql, marker, on) in edits {
        run(sql).await;
        for p in on {
            assert!(shown(&get(p.clone()).await, marker), "{what} changed, {p} does not show it");
        }
    }
    assert!(get(pages[3].clone()).await.contains("zqs1x") && get(pages[3].clone()).await.contains("zqs3x"), "the sitemap's slugs follow the titles");
    // The picture marked not public leaves the story and the feed.
    run(format!("UPDATE attachments SET public = 0 WHERE id = {image}")).await;
    assert!(!shown(&get(story_page.clone()).await, &img), "an image no longer public is still on the story page");
    assert!(!get("/feed.atom".into()).await.contains(&format!("/anh/{image}&#34;")), "an image no longer public is still in the feed");
    // The exemplar withdraws consent: off the story page and the sitemap.
    run(format!("UPDATE exemplars SET consent_publish = 0, updated_at = updated_at + 1, version = version + 1 WHERE id = {exemplar}")).await;
    assert!(!get(story_page.clone()).await.contains("zqs3x"), "an exemplar no longer public is still named by the story");
    assert!(!get(pages[3].clone()).await.contains("zqs3x"), "an exemplar no longer public is still in the sitemap");
    run(format!("UPDATE exemplars SET consent_publish = 1, updated_at = updated_at + 1, version = version + 1 WHERE id = {exemplar}")).await;
    assert!(get(exemplar_page.clone()).await.contains("zqs1x"), "the exemplar names the story again");
    // The story is unpublished: off the exemplar page, the feed and the sitemap.
    run(format!("UPDATE stories SET status = 'da_go', updated_at = updated_at + 1, version = version + 1 WHERE id = {story}")).await;
    for p in &pages[1..] {
        let body = get(p.clone()).await;
        assert!(!body.contains("zqs1x"), "an unpublished story is still on {p}");
    }
});
