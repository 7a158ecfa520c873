use dienhinh_store::Db;
use reqwest::{redirect, Client, StatusCode};
use std::path::PathBuf;

pub const PASSWORD: &str = "matkhau-demo-1";

pub struct TestApp {
    pub base: String,
    pub db: Db,
    pub files: dienhinh_store::files::Files,
    /// The data folder (the SQLite file and attachments), removed on drop.
    _dir: Option<tempdir::TempDir>,
    /// PostgreSQL server URL and the per-test database dropped on drop.
    pg: Option<(String, String)>,
    /// The database's URL (`None`: the SQLite file in the data folder).
    db_url: Option<String>,
}

/// Why every PostgreSQL test is `#[ignore]`d: an early return without a
/// server would report PASS, an ignored test is shown as skipped. CI runs
/// them with `cargo nextest run --run-ignored only` and the variable set.
#[macro_export]
macro_rules! needs_postgres {
    () => {
        "PostgreSQL: set DIENHINH_TEST_DATABASE_URL and run with --run-ignored"
    };
}

/// Runs a test body on SQLite and (ignored unless asked for) on PostgreSQL.
#[macro_export]
macro_rules! both {
    ($name:ident, |$app:ident| $body:block) => {
        mod $name {
            #[allow(unused_imports)]
            use super::*;
            async fn run($app: $crate::helpers::TestApp) $body
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn sqlite() {
                let app = $crate::helpers::TestApp::sqlite().await;
                run(app).await;
            }
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            #[ignore = $crate::needs_postgres!()]
            async fn postgres() {
                run($crate::helpers::TestApp::postgres().await).await;
            }
        }
    };
}

pub mod tempdir {
    /// A temporary folder removed on drop.
    pub struct TempDir(pub std::path::PathBuf);
    impl TempDir {
        pub fn new() -> Self {
            let p = std::env::temp_dir().join(format!("dienhinh-test-{}-{}", std::process::id(), rand_suffix()));
            std::fs::create_dir_all(&p).expect("temp dir");
            TempDir(p)
        }
    }
    impl Drop for TempDir {
        fn drop(&mut self) {
            let _ = std::fs::remove_dir_all(&self.0);
        }
    }
    pub fn rand_suffix() -> String {
        use rand::Rng;
        format!("{:016x}", rand::thread_rng().gen::<u64>())
    }
}

impl TestApp {
    pub async fn sqlite() -> TestApp {
        let dir = tempdir::TempDir::new();
        let db = Db::open(None, &dir.0).await.expect("open sqlite");
        Self::start(db, Some(dir), None, None).await
    }

    pub async fn postgres() -> TestApp {
        let base = postgres_url();
        let name = format!("dh_test_{}", tempdir::rand_suffix());
        sqlx::any::install_default_drivers();
        let mut admin = <sqlx::AnyConnection as sqlx::Connection>::connect(&base).await.expect("connect to PostgreSQL");
        sqlx::Executor::execute(&mut admin, format!("CREATE DATABASE {name}").as_str()).await.expect("create test database");
        let url = with_database(&base, &name);
        let db = Db::open(Some(&url), &PathBuf::from(".")).await.expect("open postgres");
        Self::start(db, None, Some((base, name)), Some(url)).await
    }

    async fn start(db: Db, dir: Option<tempdir::TempDir>, pg: Option<(String, String)>, db_url: Option<String>) -> TestApp {
        let dir = dir.unwrap_or_else(tempdir::TempDir::new);
        let files = dienhinh_store::files::Files::local(&dir.0).expect("attachments folder");
        dienhinh::demo::load(&db, &files, Some(PASSWORD)).await.expect("demo data");
        let state = dienhinh_web::AppState::new(db.clone(), files.clone(), dienhinh_web::WebConfig::default());
        let base = serve(state).await;
        TestApp { base, db, files, _dir: Some(dir), pg, db_url }
    }

    /// A second server over the same database with its own settings (for
    /// tests of limits); returns its base URL.
    pub async fn serve_with(&self, config: dienhinh_web::WebConfig) -> String {
        serve(dienhinh_web::AppState::new(self.db.clone(), self.files.clone(), config)).await
    }

    /// A new handle on the same database with pools of its own, as another
    /// app server behind a load balancer has.
    pub async fn open_again(&self) -> Db {
        let data = self._dir.as_ref().map(|d| d.0.clone()).unwrap_or_default();
        Db::open(self.db_url.as_deref(), &data).await.expect("open the database again")
    }

    /// Another app server on the same database (its own pools, its own
    /// state); returns its base URL.
    pub async fn another_server(&self) -> String {
        let state = dienhinh_web::AppState::new(self.open_again().await, self.files.clone(), dienhinh_web::WebConfig::default());
        serve(state).await
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.base, path)
    }

    /// A browser-like client (cookies, no automatic redirects).
    pub fn client(&self) -> Client {
        Client::builder().cookie_store(true).redirect(redirect::Policy::none()).build().expect("client")
    }

    /// Signs in through the form; returns the client and the session's CSRF token.
    pub async fn sign_in(&self, username: &str) -> (Client, String) {
        let c = self.client();
        let page = c.get(self.url("/login")).send().await.unwrap().text().await.unwrap();
        let pre = hidden(&page, "_csrf");
        let res = c
            .post(self.url("/login"))
            .form(&[("username", username), ("password", PASSWORD), ("_csrf", &pre), ("next", "/")])
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), StatusCode::SEE_OTHER, "sign-in of {username}");
        let home = c.get(self.url("/")).send().await.unwrap().text().await.unwrap();
        let csrf = hidden(&home, "_csrf");
        (c, csrf)
    }

    /// An API token for a demo user.
    pub async fn token(&self, username: &str) -> String {
        let u = dienhinh_store::users::by_username(&self.db, username).await.unwrap();
        dienhinh_store::users::create_token(&self.db, &dienhinh_store::Actor::system("test"), u.id, "test").await.unwrap()
    }

    pub async fn org_id(&self, name: &str) -> i64 {
        let id: Option<i64> = sqlx::query_scalar("SELECT id FROM orgs WHERE name = $1 ORDER BY id LIMIT 1").bind(name).fetch_optional(self.db.reader()).await.unwrap();
        id.unwrap_or_else(|| panic!("no org {name}"))
    }

    /// Creates a TCCS named `name` under `parent` over the API as `login`;
    /// its id.
    pub async fn create_tccs(&self, login: &str, parent: i64, name: &str) -> i64 {
        let res = reqwest::Client::new()
            .post(self.url("/api/v1/orgs"))
            .bearer_auth(self.token(login).await)
            .json(&serde_json::json!({"parent_id": parent, "kind": "tccs", "name": name}))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), reqwest::StatusCode::CREATED, "{login} creates {name}");
        res.json::<serde_json::Value>().await.unwrap()["id"].as_i64().unwrap()
    }

    /// Renames the TCCS `id`, read at `version`, over the API as `login`.
    pub async fn rename_tccs(&self, login: &str, id: i64, version: i64, name: &str) -> reqwest::Response {
        reqwest::Client::new()
            .put(self.url(&format!("/api/v1/orgs/{id}")))
            .bearer_auth(self.token(login).await)
            .json(&serde_json::json!({"version": version, "kind": "tccs", "name": name}))
            .send()
            .await
            .unwrap()
    }

    /// Every node of the tree, page by page.
    pub async fn all_orgs(&self) -> Vec<dienhinh_store::orgs::Org> {
        let mut out = vec![];
        let mut cursor = None;
        loop {
            let f = dienhinh_store::orgs::OrgFilter { within: vec![dienhinh_domain::OrgPath("/".into())], cursor, limit: Some(200), ..Default::default() };
            let page = dienhinh_store::orgs::list(&self.db, &f).await.unwrap();
            out.extend(page.items);
            match page.next {
                Some(n) => cursor = Some(n),
                None => return out,
            }
        }
    }

    pub async fn org(&self, name: &str) -> dienhinh_store::orgs::Org {
        dienhinh_store::orgs::get(&self.db, self.org_id(name).await).await.unwrap()
    }
}

/// Serves the router of `state` on a free loopback port; returns its base URL.
async fn serve(state: dienhinh_web::AppState) -> String {
    let app = dienhinh_web::app(state);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let addr = listener.local_addr().expect("addr");
    tokio::spawn(async move {
        axum::serve(listener, app.into_make_service_with_connect_info::<std::net::SocketAddr>()).await.ok();
    });
    format!("http://{addr}")
}

impl Drop for TestApp {
    fn drop(&mut self) {
        if let Some((base, name)) = self.pg.take() {
            let db = self.db.clone();
            // Drop the per-test database on a separate thread with its own runtime.
            let _ = std::thread::spawn(move || {
                let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
                rt.block_on(async move {
                    db.close().await;
                    if let Ok(mut c) = <sqlx::AnyConnection as sqlx::Connection>::connect(&base).await {
                        let _ = sqlx::Executor::execute(&mut c, format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)").as_str()).await;
                    }
                });
            })
            .join();
        }
    }
}

/// Replaces the database name of a PostgreSQL URL.
pub fn with_database(url: &str, name: &str) -> String {
    let (head, query) = match url.split_once('?') {
        Some((h, q)) => (h, format!("?{q}")),
        None => (url, String::new()),
    };
    let scheme_end = head.find("://").map(|i| i + 3).unwrap_or(0);
    let base = match head[scheme_end..].find('/') {
        Some(i) => &head[..scheme_end + i],
        None => head,
    };
    format!("{base}/{name}{query}")
}

/// Value of the first hidden input named `name` in an HTML page.
pub fn hidden(html: &str, name: &str) -> String {
    let needle = format!("name=\"{name}\" value=\"");
    html.find(&needle)
        .map(|i| {
            let rest = &html[i + needle.len()..];
            rest[..rest.find('"').unwrap_or(0)].to_string()
        })
        .unwrap_or_default()
}

/// Percent-encodes a query value.
pub fn urlencode(s: &str) -> String {
    let mut out = String::new();
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"-_.~".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// For tests that drive the real binary on PostgreSQL: creates a fresh
/// database on `DIENHINH_TEST_DATABASE_URL`, runs `f` with its URL and a
/// temporary data folder (attachments), and drops it even when `f` panics.
/// Call it from a plain `#[test]`: it runs its own runtimes.
pub fn with_fresh_postgres(f: impl FnOnce(&str, &std::path::Path) + std::panic::UnwindSafe) {
    let base = postgres_url();
    let name = format!("dh_test_{}", tempdir::rand_suffix());
    let admin = |sql: String| {
        let base = base.clone();
        tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap().block_on(async move {
            sqlx::any::install_default_drivers();
            let mut c = <sqlx::AnyConnection as sqlx::Connection>::connect(&base).await.unwrap();
            sqlx::Executor::execute(&mut c, sql.as_str()).await.unwrap();
        })
    };
    admin(format!("CREATE DATABASE {name}"));
    let url = with_database(&base, &name);
    let files = tempdir::TempDir::new();
    let result = std::panic::catch_unwind(|| f(&url, &files.0));
    admin(format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"));
    if let Err(e) = result {
        std::panic::resume_unwind(e);
    }
}

/// The server PostgreSQL tests create their databases on. Without one a
/// PostgreSQL test fails: it was asked for (`--run-ignored`), so it must run.
pub fn postgres_url() -> String {
    std::env::var("DIENHINH_TEST_DATABASE_URL")
        .ok()
        .filter(|s| !s.is_empty())
        .expect("DIENHINH_TEST_DATABASE_URL is not set: a PostgreSQL test needs a server where it may create databases")
}

/// The fields of the page's "open a round" form (`POST /rounds`) for a round
/// of this year with a new form of commendation named `form_name`, within
/// the bloc's authority, with `basis` and the `council` (user id, role).
pub fn new_round_form(csrf: &str, form_name: &str, basis: &str, council: &[(i64, &str)]) -> Vec<(&'static str, String)> {
    let year = dienhinh_domain::clock::current_year().to_string();
    let mut f: Vec<(&'static str, String)> = vec![
        ("_csrf", csrf.to_string()),
        ("deadline", format!("{year}-12-31")),
        ("year", year),
        ("form_id", "new".into()),
        ("new_form_name", form_name.to_string()),
        ("new_form_authority", "trong_khoi".into()),
        ("min_level", "co_so".into()),
        ("evaluation_years", "1".into()),
        ("years_as_exemplar", "1".into()),
        ("basis", basis.to_string()),
        ("quorum_num", "2".into()),
        ("quorum_den", "3".into()),
        ("threshold_percent", "50".into()),
        ("threshold_rule", "tren".into()),
        ("ballot", "bo_phieu_kin".into()),
    ];
    for (user, role) in council {
        f.push(("council_user", user.to_string()));
        f.push(("council_role", role.to_string()));
    }
    f
}
