//! Every list: the total, each order, keyset pages forward then back to the
//! same rows, and positions or orders that cannot be used said in
//! Vietnamese (a page) or refused with 422 naming the parameter (the API),
//! never a 500. Pages and API read the same `store::page::listing`.

use crate::both;
use reqwest::StatusCode;
use serde_json::Value;

/// One list: its API and page, the orders it offers with how each is
/// checked (the key of an item, and whether the key runs downwards).
struct List {
    api: &'static str,
    /// The page, with what makes it hold what the API answers.
    page: &'static str,
    sorts: &'static [(&'static str, Key, bool)],
    /// Filters given to both (the propaganda page shows one year).
    filters: fn() -> String,
}

fn none() -> String {
    String::new()
}

fn this_year() -> String {
    format!("year={}&", dienhinh_domain::clock::current_year())
}

/// What an order sorts an item by.
#[derive(Clone, Copy)]
enum Key {
    Id,
    /// Vietnamese order of a text field (`text::sort_key`).
    Name(&'static str),
    Text(&'static str),
    Number(&'static str),
    /// A code field, ranked in its table's display order.
    Rank(&'static str, &'static [&'static str]),
}

impl Key {
    fn of(self, v: &Value) -> String {
        match self {
            Key::Id => format!("{:020}", v["id"].as_i64().unwrap()),
            Key::Name(f) => dienhinh_text::sort_key(v[f].as_str().unwrap()),
            Key::Text(f) => v[f].as_str().unwrap().to_string(),
            Key::Number(f) => format!("{:020}", v[f].as_i64().unwrap()),
            Key::Rank(f, codes) => codes.iter().position(|c| v[f] == *c).unwrap().to_string(),
        }
    }
}

const STAGES: &[&str] = &["phat_hien", "boi_duong", "cong_nhan", "nhan_rong", "dung"];
const STORY: &[&str] = &["nhap", "cho_duyet", "tra_lai", "hen_dang", "da_dang", "da_go"];

const LISTS: &[List] = &[
    List { api: "/api/v1/orgs", page: "/orgs?", sorts: &[("ten", Key::Name("name"), false), ("moi", Key::Id, true)], filters: none },
    List { api: "/api/v1/users", page: "/users?", sorts: &[("ten", Key::Name("full_name"), false), ("moi", Key::Id, true)], filters: none },
    List { api: "/api/v1/audit", page: "/audit?signins=1&", sorts: &[("moi", Key::Id, true), ("cu", Key::Id, false)], filters: none },
    List { api: "/api/v1/plans", page: "/plans?", sorts: &[("moi", Key::Text("issued_on"), true), ("cu", Key::Text("issued_on"), false)], filters: none },
    List { api: "/api/v1/propaganda", page: "/propaganda?", sorts: &[("moi", Key::Text("published_on"), true), ("cu", Key::Text("published_on"), false)], filters: this_year },
    List { api: "/api/v1/stories", page: "/stories?", sorts: &[("moi", Key::Id, true), ("trang_thai", Key::Rank("status", STORY), false)], filters: none },
    List { api: "/api/v1/rounds", page: "/rounds?", sorts: &[("moi", Key::Number("year"), true), ("cu", Key::Number("year"), false)], filters: none },
    List {
        api: "/api/v1/exemplars",
        page: "/exemplars?",
        sorts: &[("moi", Key::Id, true), ("ten", Key::Name("name"), false), ("nam", Key::Number("year_found"), true), ("giai_doan", Key::Rank("status", STAGES), false)],
        filters: none,
    },
];

async fn get_json(c: &reqwest::Client, url: String, token: &str) -> (StatusCode, Value) {
    let res = c.get(&url).bearer_auth(token).send().await.unwrap();
    let status = res.status();
    (status, res.json().await.unwrap_or(Value::Null))
}

fn ids(page: &Value) -> Vec<i64> {
    page["items"].as_array().unwrap().iter().map(|i| i["id"].as_i64().unwrap()).collect()
}

both!(every_list_counts_sorts_and_pages_both_ways, |app| {
    // A story of each kind of status would need the editorial steps; the
    // demo's stories are enough to page two at a time.
    let c = reqwest::Client::new();
    let token = app.token("admin").await;
    // Its own server without the API's rate limit: this test asks a lot.
    let api = app.serve_with(dienhinh_web::WebConfig { api_rate_per_minute: 1_000_000, ..Default::default() }).await;
    let (browser, _) = app.sign_in("admin").await;
    for list in LISTS {
        let filters = (list.filters)();
        for (sort, key, down) in list.sorts {
            // Three or four pages, whatever the demo holds.
            let (_, probe) = get_json(&c, format!("{api}{}?{filters}sort={sort}&limit=1", list.api), &token).await;
            let limit = (probe["total"].as_i64().expect("a total") / 3).max(1) + 1;
            let at = |extra: String| format!("{api}{}?{filters}sort={sort}&limit={limit}{extra}", list.api);
            // Forward to the end.
            let (status, first) = get_json(&c, at(String::new()), &token).await;
            assert_eq!(status, StatusCode::OK, "{} {sort}: {first}", list.api);
            assert!(first.get("prev").is_none(), "{} {sort}: nothing before the first page", list.api);
            let total = first["total"].as_i64().expect("a total");
            let mut pages = vec![first];
            while let Some(next) = pages.last().unwrap()["next"].as_str().map(String::from) {
                let (status, page) = get_json(&c, at(format!("&cursor={next}")), &token).await;
                assert_eq!(status, StatusCode::OK);
                pages.push(page);
            }
            assert!(pages.len() >= 2, "{} {sort}: the demo holds more than one page", list.api);
            let items: Vec<Value> = pages.iter().flat_map(|p| p["items"].as_array().unwrap().clone()).collect();
            assert_eq!(items.len() as i64, total, "{} {sort}: the total is every row", list.api);
            let mut seen: Vec<i64> = items.iter().map(|i| i["id"].as_i64().unwrap()).collect();
            // In order: (key, id), each step one way.
            for w in items.windows(2) {
                let (a, b) = ((key.of(&w[0]), w[0]["id"].as_i64().unwrap()), (key.of(&w[1]), w[1]["id"].as_i64().unwrap()));
                assert!(if *down { a > b } else { a < b }, "{} {sort}: {a:?} then {b:?}", list.api);
            }
            seen.sort();
            seen.dedup();
            assert_eq!(seen.len() as i64, total, "{} {sort}: each row once", list.api);
            // Back from the last page to the first, the same pages.
            let mut back = vec![pages.last().unwrap().clone()];
            while let Some(prev) = back.last().unwrap()["prev"].as_str().map(String::from) {
                let (status, page) = get_json(&c, at(format!("&before={prev}")), &token).await;
                assert_eq!(status, StatusCode::OK);
                back.push(page);
            }
            back.reverse();
            assert_eq!(back.iter().map(ids).collect::<Vec<_>>(), pages.iter().map(ids).collect::<Vec<_>>(), "{} {sort}: back to the same pages", list.api);

            // The page: the order chosen, the same total.
            let html = browser.get(app.url(&format!("{}{filters}sort={sort}", list.page))).send().await.unwrap();
            assert_eq!(html.status(), StatusCode::OK);
            let html = html.text().await.unwrap();
            assert!(html.contains(&format!("<option value=\"{sort}\" selected>")), "{} {sort}: the order is shown", list.page);
            assert!(html.contains(&format!("<p class=\"total\">{total} ")), "{} {sort}: the total {total} is shown", list.page);
        }
        // What cannot be used: the API names it (422), the page says it.
        let mut refused = vec![("sort=bua".to_string(), "sort"), ("cursor=zz".into(), "cursor"), ("before=1.2.3".into(), "before"), ("limit=0".into(), "limit")];
        // A cursor of a text order (key "zz") given to an order by number.
        if let Some((numeric, _, _)) = list.sorts.iter().find(|(_, k, _)| matches!(k, Key::Id | Key::Number(_))) {
            refused.push((format!("sort={numeric}&cursor=7a7a.1"), "cursor"));
        }
        for (query, field) in refused {
            let (status, body) = get_json(&c, format!("{api}{}?{query}", list.api), &token).await;
            assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{} {query}: {body}", list.api);
            assert_eq!(body["error"]["fields"][0]["field"], field, "{} {query}", list.api);
        }
        let html = browser.get(app.url(&format!("{}sort=bua", list.page))).send().await.unwrap();
        assert_eq!(html.status(), StatusCode::OK);
        assert!(html.text().await.unwrap().contains("Cách sắp xếp không hợp lệ; đang sắp theo mặc định."), "{}", list.page);
        let html = browser.get(app.url(&format!("{}cursor=zz&before=", list.page))).send().await.unwrap();
        assert_eq!(html.status(), StatusCode::OK);
        assert!(html.text().await.unwrap().contains("Vị trí trang không hợp lệ; đang hiện từ trang đầu."), "{}", list.page);
    }
});

/// Whether `index` answers `select` alone (SQLite: its plan reads that
/// covering index) or, on PostgreSQL, whose planner has the statistics to
/// choose for itself, whether the index exists on `columns`.
async fn answers_from_index(app: &crate::helpers::TestApp, select: &str, index: &str, columns: &str) {
    use sqlx::Row;
    if app.db.backend == dienhinh_store::Backend::Sqlite {
        let plan: Vec<String> = sqlx::query(&format!("EXPLAIN QUERY PLAN {select}"))
            .fetch_all(app.db.reader())
            .await
            .unwrap()
            .iter()
            .map(|r| r.get::<String, _>("detail"))
            .collect();
        assert!(plan.iter().any(|d| d.contains(&format!("COVERING INDEX {index}"))), "{select}: {plan:?}");
    } else {
        let n: i64 = sqlx::query("SELECT COUNT(*) AS n FROM pg_indexes WHERE indexname = $1 AND indexdef LIKE $2")
            .bind(index)
            .bind(format!("%({columns})%"))
            .fetch_one(app.db.reader())
            .await
            .unwrap()
            .get("n");
        assert_eq!(n, 1, "{index} on ({columns})");
    }
}

both!(the_kind_and_level_filter_reads_its_own_index, |app| {
    // Without it the scope index read every exemplar of a province to test
    // kind and level row by row (p99 2.9 s at national scale, BENCHMARKS.md).
    let filter = "kind = 'tap_the' AND level = 'co_so' AND org_path >= '/1/' AND org_path < '/10'";
    let count = format!("SELECT COUNT(*) FROM (SELECT id FROM exemplars WHERE {filter} LIMIT 10001)");
    answers_from_index(&app, &count, "exemplars_kind_level", "kind, level, org_path, id").await;
});

both!(a_subtrees_page_by_name_year_or_stage_is_found_in_one_index, |app| {
    // The page's ids and keys come from an index holding them, and only the
    // page's rows are read whole: through the scope index a bloc's list by
    // name read all its rows from the table (7.6 ms on a SQLite reader whose
    // cache had not seen them, BENCHMARKS.md), and by stage their statuses.
    let scope = "org_path >= '/1/' AND org_path < '/10'";
    // As the list writes it for a subtree it sorts (`page::listing`).
    let stage = format!("({}) || ''", dienhinh_store::page::rank_sql::<dienhinh_domain::exemplar::Status>("status"));
    for key in ["sort_key", "year_found", stage.as_str()] {
        let page = format!("SELECT id, {key} FROM exemplars WHERE {scope} ORDER BY {key}, id LIMIT 51");
        answers_from_index(&app, &page, "exemplars_scope_name", "org_path, sort_key, year_found, status, id").await;
    }
});

both!(a_caller_holding_every_root_reads_every_row_without_a_range, |app| {
    use dienhinh_domain::OrgPath;
    use dienhinh_store::{exemplars, orgs, users};
    let db = &app.db;
    let paths = |sql: &'static str| async move { sqlx::query_scalar::<_, String>(sql).fetch_all(db.reader()).await.unwrap().into_iter().map(OrgPath).collect::<Vec<_>>() };
    let roots = paths("SELECT path FROM orgs WHERE parent_id IS NULL").await;
    assert_eq!(orgs::as_queried(&app.db, &roots).await.unwrap(), vec![OrgPath::whole_tree()]);
    // A subtree below a root, and no subtree, stay as they are.
    let below = paths("SELECT path FROM orgs WHERE parent_id IS NOT NULL ORDER BY id LIMIT 1").await;
    assert_eq!(orgs::as_queried(&app.db, &below).await.unwrap(), below);
    assert!(orgs::as_queried(&app.db, &[]).await.unwrap().is_empty());
    // Read without a range, each list still holds every row, in its order.
    let ids = |sql: &'static str| async move { sqlx::query_scalar::<_, i64>(sql).fetch_all(db.reader()).await.unwrap() };
    let newest = exemplars::list(&app.db, &exemplars::ExemplarFilter { within: roots.clone(), limit: Some(50), ..Default::default() }).await.unwrap();
    assert_eq!(newest.items.iter().map(|e| e.id).collect::<Vec<_>>(), ids("SELECT id FROM exemplars ORDER BY id DESC LIMIT 50").await);
    let people = users::list(&app.db, &users::UserFilter { within: roots.clone(), limit: Some(50), ..Default::default() }).await.unwrap();
    assert_eq!(people.items.iter().map(|u| u.id).collect::<Vec<_>>(), ids("SELECT id FROM users ORDER BY sort_key, id LIMIT 50").await);
    let units = orgs::list(&app.db, &orgs::OrgFilter { within: roots, limit: Some(50), ..Default::default() }).await.unwrap();
    assert_eq!(units.items.iter().map(|o| o.id).collect::<Vec<_>>(), ids("SELECT id FROM orgs ORDER BY sort_key, id LIMIT 50").await);
});

both!(an_exemplar_lists_count_is_its_rows_whatever_the_filters, |app| {
    // Counted from the node counters when the filters are ones they key on
    // (`counter::ExemplarSelection`): exactly the rows selected, for the
    // whole tree and for a subtree.
    use dienhinh_domain::{exemplar::ListOrder, OrgPath};
    use dienhinh_store::{exemplars, page::Position};
    let db = &app.db;
    type Row = (String, String, String, String, i64);
    let rows: Vec<Row> = sqlx::query_as("SELECT org_path, kind, status, level, year_found FROM exemplars").fetch_all(db.reader()).await.unwrap();
    let roots: Vec<OrgPath> = sqlx::query_scalar("SELECT path FROM orgs WHERE parent_id IS NULL").fetch_all(db.reader()).await.unwrap().into_iter().map(OrgPath).collect();
    // The node below a root holding the most exemplars.
    let busiest = rows.iter().filter_map(|r| OrgPath(r.0.clone()).ids().get(1).copied()).fold(std::collections::HashMap::new(), |mut m, id| {
        *m.entry(id).or_insert(0) += 1;
        m
    });
    let below = busiest.into_iter().max_by_key(|(id, n)| (*n, -id)).map(|(id, _)| id).expect("exemplars below a root");
    let below = dienhinh_store::orgs::get(db, below).await.unwrap().org_path();
    let years: Vec<i64> = rows.iter().map(|r| r.4).collect();
    let (first, last) = (*years.iter().min().unwrap(), *years.iter().max().unwrap());
    let middle = (first + last) / 2;
    let f = |kind: &str, status: &str, level: &str, year: Option<i64>, from: Option<i64>, to: Option<i64>, q: Option<&str>| exemplars::ExemplarFilter {
        kind: Some(kind.into()),
        status: Some(status.into()),
        level: Some(level.into()),
        year,
        year_from: from,
        year_to: to,
        q: q.map(String::from),
        ..Default::default()
    };
    let filters = [
        f("", "", "", None, None, None, None),
        f("", "cong_nhan", "", None, None, None, None),
        f("tap_the", "", "co_so", None, None, None, None),
        f("ca_nhan", "nhan_rong", "", Some(middle), None, None, None),
        f("", "", "", None, Some(middle), Some(last), None),
        f("", "", "", Some(first), Some(middle), None, None),
        f("", "bua", "", None, None, None, None),
        // Nothing searchable typed: no filter.
        f("", "", "", None, None, None, Some("!!")),
    ];
    for within in [roots.clone(), vec![below.clone()]] {
        for filter in &filters {
            let filter = exemplars::ExemplarFilter { within: within.clone(), ..filter.clone() };
            let at = Position { after: None, before: None, limit: 1, count: true };
            let total = exemplars::listing(db, &filter, ListOrder::Newest, at).await.unwrap().total;
            let is = |want: &Option<String>, v: &str| want.as_deref().is_none_or(|w| w.is_empty() || w == v);
            let want = rows
                .iter()
                .filter(|r| within.iter().any(|p| r.0.starts_with(p.as_str())))
                .filter(|r| is(&filter.kind, &r.1) && is(&filter.status, &r.2) && is(&filter.level, &r.3))
                .filter(|r| filter.year.is_none_or(|y| r.4 == y) && filter.year_from.is_none_or(|y| r.4 >= y) && filter.year_to.is_none_or(|y| r.4 <= y))
                .count() as i64;
            assert_eq!(total, want, "{within:?} {filter:?}");
        }
    }
});

both!(a_filter_keeping_most_of_a_large_scope_gives_the_same_pages, |app| {
    // Past page::WIDE, SQLite finds the page of a filter that keeps many of
    // the scope's rows by walking the order's index and testing each row
    // (the filters in a form no index holds, `exemplars::walks_to_matches`):
    // the pages hold exactly the rows the filter selects, in order.
    use dienhinh_domain::{exemplar::ListOrder, OrgPath};
    use dienhinh_store::{exemplars, page::Position};
    let db = &app.db;
    let columns = "org_id, org_path, kind, name, name_key, sort_key, position, unit_name, member_count, achievements, model, year_found, level, consent_publish, created_by, created_at, updated_at, version";
    let copies = format!(
        "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 4000) \
         INSERT INTO exemplars ({columns}, status) SELECT {columns}, 'cong_nhan' FROM exemplars, n WHERE exemplars.id = (SELECT MIN(id) FROM exemplars)"
    );
    let mut tx = db.begin().await.unwrap();
    sqlx::query(&copies).execute(&mut *tx).await.unwrap();
    dienhinh_store::counters::rebuild(&mut tx, db.backend).await.unwrap();
    tx.commit().await.unwrap();
    let (kind, level): (String, String) = sqlx::query_as("SELECT kind, level FROM exemplars WHERE id = (SELECT MIN(id) FROM exemplars)").fetch_one(db.reader()).await.unwrap();
    let roots: Vec<OrgPath> = sqlx::query_scalar("SELECT path FROM orgs WHERE parent_id IS NULL").fetch_all(db.reader()).await.unwrap().into_iter().map(OrgPath).collect();
    // Codes only: safe to write into the statement.
    let cases = [
        ("status = 'cong_nhan'".to_string(), exemplars::ExemplarFilter { status: Some("cong_nhan".into()), ..Default::default() }),
        (format!("kind = '{kind}' AND level = '{level}'"), exemplars::ExemplarFilter { kind: Some(kind.clone()), level: Some(level.clone()), ..Default::default() }),
    ];
    for (condition, filter) in cases {
        let filter = exemplars::ExemplarFilter { within: roots.clone(), ..filter };
        for (order, sql_order) in [(ListOrder::Newest, "id DESC"), (ListOrder::Name, "sort_key, id")] {
            let want: Vec<i64> = sqlx::query_scalar(&format!("SELECT id FROM exemplars WHERE {condition} ORDER BY {sql_order} LIMIT 60")).fetch_all(db.reader()).await.unwrap();
            assert!(want.len() == 60, "{condition}");
            let first = exemplars::listing(db, &filter, order, Position { after: None, before: None, limit: 30, count: true }).await.unwrap();
            assert!(first.total > dienhinh_store::page::WIDE, "{condition}: {}", first.total);
            let next = first.next.clone().expect("a second page");
            let second = exemplars::listing(db, &filter, order, Position { after: Some(&next), before: None, limit: 30, count: true }).await.unwrap();
            let got: Vec<i64> = first.items.iter().chain(&second.items).map(|e| e.id).collect();
            assert_eq!(got, want, "{condition} in {order:?}");
            // Uncounted (the API's list): found the same way, the same rows.
            let uncounted = exemplars::listing(db, &filter, order, Position::after(None, 30)).await.unwrap();
            assert_eq!(uncounted.items.iter().map(|e| e.id).collect::<Vec<_>>(), want[..30], "{condition} in {order:?}, uncounted");
        }
    }
});
