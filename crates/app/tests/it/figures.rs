//! Figures per node and period (`store::figures::for_period`, `/dashboard`,
//! `/api/v1/figures`): every figure equals an independent count of the
//! records and the length of the list it opens; a node outside the
//! caller's scope is refused as a missing one; a bad period is said.

use crate::both;
use crate::helpers::TestApp;
use reqwest::StatusCode;
use serde_json::Value;

async fn count(app: &TestApp, sql: &str, path: &str, from: i64, to: i64) -> i64 {
    let upper = dienhinh_domain::OrgPath(path.into()).subtree_upper_bound();
    sqlx::Row::get(&sqlx::query(sql).bind(path).bind(upper).bind(from).bind(to).fetch_one(app.db.reader()).await.unwrap(), "n")
}

/// [`count`] with a fifth parameter, a code.
async fn count_code(app: &TestApp, sql: &str, path: &str, from: i64, to: i64, code: &str) -> i64 {
    let upper = dienhinh_domain::OrgPath(path.into()).subtree_upper_bound();
    sqlx::Row::get(&sqlx::query(sql).bind(path).bind(upper).bind(from).bind(to).bind(code).fetch_one(app.db.reader()).await.unwrap(), "n")
}

/// The figures of `node` over the years, through the API as `login`.
async fn figures(app: &TestApp, token: &str, query: &str) -> reqwest::Response {
    reqwest::Client::new().get(app.url(&format!("/api/v1/figures?{query}"))).bearer_auth(token).send().await.unwrap()
}

/// The number a list page says it holds ("12 điển hình khớp với bộ lọc").
fn listed(html: &str) -> i64 {
    let at = html.find(" điển hình khớp với bộ lọc").expect("the list says how many");
    let digits: String = html[..at].chars().rev().take_while(|c| c.is_ascii_digit() || *c == '.').collect::<Vec<_>>().into_iter().rev().filter(|c| c.is_ascii_digit()).collect();
    digits.parse().unwrap()
}

both!(every_figure_equals_its_drill_down_list_and_an_independent_count, |app| {
    let token = app.token("btg").await;
    let (web, _) = app.sign_in("btg").await;
    let bloc = app.org("Đảng ủy Khối các cơ quan và doanh nghiệp tỉnh Nam Định").await;
    let dienluc = app.org("Đảng bộ Công ty Điện lực Nam Định").await;
    let mut followed = 0;
    for (node, from, to) in [(&bloc, 2022, 2026), (&bloc, 2024, 2024), (&dienluc, 2022, 2025)] {
        let res = figures(&app, &token, &format!("node={}&from={from}&to={to}", node.id)).await;
        assert_eq!(res.status(), StatusCode::OK);
        let f: Value = res.json().await.unwrap();
        let path = node.path.as_str();
        // Independent counts, straight from the records.
        let found = count(&app, "SELECT COUNT(*) AS n FROM exemplars WHERE org_path >= $1 AND org_path < $2 AND year_found >= $3 AND year_found <= $4", path, from, to).await;
        assert_eq!(f["exemplars_found"], found, "{} {from}–{to}", node.name);
        let table = |key: &str| f["tables"].as_array().unwrap().iter().find(|t| t["key"] == key).unwrap_or_else(|| panic!("table {key}")).clone();
        let total = |key: &str| table(key)["rows"].as_array().unwrap().iter().map(|r| r["count"].as_i64().unwrap()).sum::<i64>();
        for key in ["exemplars_by_status", "exemplars_by_kind", "exemplars_by_level"] {
            assert_eq!(total(key), found, "{key}");
        }
        let fielded = count(
            &app,
            "SELECT COUNT(*) AS n FROM exemplar_fields x JOIN exemplars e ON e.id = x.exemplar_id WHERE e.org_path >= $1 AND e.org_path < $2 AND e.year_found >= $3 AND e.year_found <= $4",
            path,
            from,
            to,
        )
        .await;
        assert_eq!(total("exemplars_by_field"), fielded);
        let models = count(&app, "SELECT COUNT(*) AS n FROM annual_models WHERE org_path >= $1 AND org_path < $2 AND year >= $3 AND year <= $4", path, from, to).await;
        assert_eq!(total("models"), models);
        let evaluations = count(&app, "SELECT COUNT(*) AS n FROM evaluations WHERE org_path >= $1 AND org_path < $2 AND period_year >= $3 AND period_year <= $4", path, from, to).await;
        assert_eq!(total("evaluations"), evaluations);
        let replications = count(
            &app,
            "SELECT COUNT(*) AS n FROM replications WHERE org_path >= $1 AND org_path < $2 AND CAST(SUBSTR(adopted_on, 1, 4) AS BIGINT) >= $3 AND CAST(SUBSTR(adopted_on, 1, 4) AS BIGINT) <= $4",
            path,
            from,
            to,
        )
        .await;
        assert_eq!(total("replications"), replications);
        let propaganda = count(&app, "SELECT COUNT(*) AS n FROM propaganda_items WHERE org_path >= $1 AND org_path < $2 AND year >= $3 AND year <= $4", path, from, to).await;
        assert_eq!(total("propaganda_by_type"), propaganda);
        assert_eq!(total("propaganda_by_channel"), propaganda);
        for (key, column) in [("propaganda_by_type", "item_type"), ("propaganda_by_channel", "channel")] {
            let sql = format!("SELECT COUNT(*) AS n FROM propaganda_items WHERE org_path >= $1 AND org_path < $2 AND year >= $3 AND year <= $4 AND {column} = $5");
            for r in table(key)["rows"].as_array().unwrap() {
                let code = r["code"].as_str().unwrap();
                assert_eq!(r["count"], count_code(&app, &sql, path, from, to, code).await, "{key} {code}");
            }
        }
        // Each unit directly under the node: its new factors and replications.
        let orgs = app.all_orgs().await;
        let units = f["units"].as_array().unwrap();
        assert_eq!(units.len(), orgs.iter().filter(|o| o.parent_id == Some(node.id)).count());
        for u in units {
            let unit = orgs.iter().find(|o| o.id == u["org_id"].as_i64().unwrap()).unwrap();
            let (p, name) = (unit.path.as_str(), &unit.name);
            let found = count(&app, "SELECT COUNT(*) AS n FROM exemplars WHERE org_path >= $1 AND org_path < $2 AND year_found >= $3 AND year_found <= $4", p, from, to).await;
            assert_eq!(u["exemplars_found"], found, "{name}");
            let spread = count(
                &app,
                "SELECT COUNT(*) AS n FROM replications WHERE org_path >= $1 AND org_path < $2 AND CAST(SUBSTR(adopted_on, 1, 4) AS BIGINT) >= $3 AND CAST(SUBSTR(adopted_on, 1, 4) AS BIGINT) <= $4",
                p,
                from,
                to,
            )
            .await;
            assert_eq!(u["replications"], spread, "{name}");
        }
        let trend: i64 = f["trend"].as_array().unwrap().iter().map(|y| y["exemplars_found"].as_i64().unwrap()).sum();
        assert_eq!(trend, found);
        assert_eq!(f["trend"].as_array().unwrap().len() as i64, to - from + 1);
        // Every figure that opens a list: the list holds exactly that many.
        let mut drills: Vec<(i64, String)> = vec![];
        for t in f["tables"].as_array().unwrap() {
            for r in t["rows"].as_array().unwrap() {
                if let Some(d) = r["drill"].as_object() {
                    drills.push((r["count"].as_i64().unwrap(), href(d)));
                }
            }
        }
        for u in f["units"].as_array().unwrap() {
            drills.push((u["exemplars_found"].as_i64().unwrap(), href(u["drill"].as_object().unwrap())));
        }
        assert!(drills.iter().any(|(n, _)| *n > 0), "some figure counts something");
        for (n, link) in drills {
            let html = web.get(app.url(&link)).send().await.unwrap().text().await.unwrap();
            assert_eq!(listed(&html), n, "{link}");
            followed += 1;
        }
    }
    assert!(followed > 30, "{followed} drill-downs followed");
    // The dashboard page shows the same figures, each linked.
    let html = web.get(app.url(&format!("/dashboard?node={}&from=2022&to=2026", bloc.id))).send().await.unwrap().text().await.unwrap();
    assert!(html.contains("<svg") && html.contains("Thống kê: Đảng ủy Khối"), "{html}");
    let link = format!("exemplars?org_id={}&#38;status=cong_nhan&#38;year_from=2022&#38;year_to=2026", bloc.id);
    assert!(html.contains(&link), "{}", &html[html.find("<svg").unwrap()..][..1500]);
});

fn href(d: &serde_json::Map<String, Value>) -> String {
    let pairs: Vec<String> = d["filter"].as_array().unwrap().iter().map(|p| format!("{}={}", p[0].as_str().unwrap(), crate::helpers::urlencode(p[1].as_str().unwrap()))).collect();
    format!("{}?{}", d["list"].as_str().unwrap(), pairs.join("&"))
}

both!(a_node_outside_the_scope_is_missing_and_a_bad_period_is_said, |app| {
    let token = app.token("canbo").await;
    let (web, _) = app.sign_in("canbo").await;
    let bloc = app.org("Đảng ủy Khối các cơ quan và doanh nghiệp tỉnh Nam Định").await;
    let taichinh = app.org_id("Đảng bộ Sở Tài chính").await;
    let dienluc = app.org("Đảng bộ Công ty Điện lực Nam Định").await;
    for node in [bloc.id, taichinh, 999_999] {
        let res = figures(&app, &token, &format!("node={node}")).await;
        assert_eq!(res.status(), StatusCode::NOT_FOUND, "node {node}");
        let body: Value = res.json().await.unwrap();
        assert_eq!(body["error"]["code"], "not_found");
        assert_eq!(web.get(app.url(&format!("/dashboard?node={node}"))).send().await.unwrap().status(), StatusCode::NOT_FOUND);
    }
    // Without a node: the caller's own unit.
    let f: Value = figures(&app, &token, "").await.json().await.unwrap();
    assert_eq!(f["org_id"], dienluc.id);
    // The end before the start: 422 on the API, said beside the field on the page.
    let res = figures(&app, &token, "from=2025&to=2022").await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let body: Value = res.json().await.unwrap();
    assert_eq!(body["error"]["fields"][0]["field"], "to");
    let res = web.get(app.url("/dashboard?from=2025&to=2022")).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    assert!(res.text().await.unwrap().contains("Năm kết thúc (2022) trước năm bắt đầu (2025)."));
    // A period with nothing recorded says so, not an error.
    let f: Value = figures(&app, &token, "from=1990&to=1991").await.json().await.unwrap();
    assert_eq!(f["exemplars_found"], 0);
    let html = web.get(app.url("/dashboard?from=1990&to=1991")).send().await.unwrap().text().await.unwrap();
    assert!(html.contains("Không có số liệu nào được ghi nhận giai đoạn 1990–1991"), "{html}");
});

both!(the_statistics_workbook_has_one_sheet_per_table_with_numbers_as_numbers, |app| {
    use std::io::Read;
    let (web, _) = app.sign_in("btg").await;
    let bloc = app.org("Đảng ủy Khối các cơ quan và doanh nghiệp tỉnh Nam Định").await;
    let res = web.get(app.url(&format!("/dashboard/figures.xlsx?node={}&from=2022&to=2025", bloc.id))).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(res.headers()["content-type"], "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
    let bytes = res.bytes().await.unwrap();
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes.to_vec())).unwrap();
    let mut book = String::new();
    zip.by_name("xl/workbook.xml").unwrap().read_to_string(&mut book).unwrap();
    let token = app.token("btg").await;
    let f: Value = figures(&app, &token, &format!("node={}&from=2022&to=2025", bloc.id)).await.json().await.unwrap();
    // Every table, the years and the units: a sheet each.
    let sheets = book.matches("<sheet ").count();
    assert_eq!(sheets, f["tables"].as_array().unwrap().len() + 2, "{book}");
    assert!(book.contains("Diễn biến qua các năm"));
    let mut first = String::new();
    zip.by_name("xl/worksheets/sheet1.xml").unwrap().read_to_string(&mut first).unwrap();
    // The counts are number cells (no t="s"), the header a shared string.
    let found = f["tables"][0]["rows"][1]["count"].as_i64().unwrap();
    assert!(first.contains(&format!("<v>{found}</v>")), "{first}");
    // A bad period is refused with the reason, outside the scope as missing.
    let res = web.get(app.url("/dashboard/figures.xlsx?from=2025&to=2022")).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let (canbo, _) = app.sign_in("canbo").await;
    let res = canbo.get(app.url(&format!("/dashboard/figures.xlsx?node={}", bloc.id))).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
});

both!(the_figures_report_is_a_party_format_docx_that_says_when_the_period_is_empty, |app| {
    use std::io::Read;
    let (web, _) = app.sign_in("btg").await;
    let text = |bytes: Vec<u8>| {
        let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
        let mut xml = String::new();
        zip.by_name("word/document.xml").unwrap().read_to_string(&mut xml).unwrap();
        xml
    };
    let res = web.get(app.url("/dashboard/report.docx?from=2025&to=2025")).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    let xml = text(res.bytes().await.unwrap().to_vec());
    for part in ["BÁO CÁO", "Số liệu thực hiện Kế hoạch số 48-KH/ĐUK năm 2025", "I. PHÁT HIỆN ĐIỂN HÌNH TIÊN TIẾN", "Diễn biến qua các năm"] {
        assert!(xml.contains(part), "{part}");
    }
    assert!(!xml.contains("Không có số liệu nào được ghi nhận"));
    let xml = text(web.get(app.url("/dashboard/report.docx?from=1990&to=1990")).send().await.unwrap().bytes().await.unwrap().to_vec());
    assert!(xml.contains("Không có số liệu nào được ghi nhận năm 1990."));
});
