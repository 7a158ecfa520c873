//! `dienhinh-bench`: starts the `dienhinh` server on a generated database
//! (`dienhinh gen`), signs in as realistic roles, and drives each route with
//! N concurrent clients over loopback HTTP for a fixed time. Prints a
//! Markdown table: requests/s, p50, p99, throughput relative to the trivial
//! route (`/healthz`) in the same run, errors, and the server's memory.
//!
//! A new page joins the benchmark with one line in `routes()`.

use anyhow::{bail, Context};
use clap::Parser;
use reqwest::{redirect, Client};
use std::io::{BufRead, BufReader};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

#[derive(Parser)]
#[command(name = "dienhinh-bench", about = "Benchmark a dienhinh server on generated data")]
struct Args {
    /// The server binary.
    #[arg(long, default_value = "target/release/dienhinh")]
    bin: PathBuf,
    /// Data folder of a SQLite database made by `dienhinh gen`.
    #[arg(long)]
    data: Option<PathBuf>,
    /// `postgres://…` of a database made by `dienhinh gen`.
    #[arg(long)]
    database_url: Option<String>,
    /// Concurrent clients per route.
    #[arg(long, default_value_t = 16)]
    clients: usize,
    /// Seconds per route.
    #[arg(long, default_value_t = 10.0)]
    seconds: f64,
    /// Only rows whose route name or user label contains this text (the
    /// yardstick always runs), e.g. `search`, `country`, `TCCS`.
    #[arg(long)]
    only: Option<String>,
    /// Password of the generated accounts.
    #[arg(long, default_value = "matkhau-gen-1")]
    password: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum As {
    Anonymous,
    /// `btg.khoi`: Ban Tuyên giáo officer of a bloc (sees the bloc's subtree).
    BanTuyenGiao,
    /// `canbo.tccs`: staff member of one TCCS.
    CanBoTccs,
    /// `btg.tinh`: Ban Tuyên giáo officer of a province (its whole tree).
    Province,
    /// `btg.trunguong`: Ban Tuyên giáo role at every province (the country).
    Country,
}

impl As {
    /// Signed-in users, from the smallest subtree to the largest.
    const LEVELS: [As; 4] = [As::CanBoTccs, As::BanTuyenGiao, As::Province, As::Country];

    fn label(self) -> &'static str {
        match self {
            As::Anonymous => "anonymous",
            As::BanTuyenGiao => "Ban Tuyên giáo (bloc)",
            As::CanBoTccs => "cán bộ TCCS",
            As::Province => "Ban Tuyên giáo (province)",
            As::Country => "Ban Tuyên giáo (country)",
        }
    }

    fn username(self) -> Option<&'static str> {
        match self {
            As::Anonymous => None,
            As::BanTuyenGiao => Some("btg.khoi"),
            As::CanBoTccs => Some("canbo.tccs"),
            As::Province => Some("btg.tinh"),
            As::Country => Some("btg.trunguong"),
        }
    }

    fn index(self) -> usize {
        self as usize
    }
}

#[derive(Clone, Copy)]
enum Req {
    /// A GET of the path built from what discovery found and who asks.
    Get(fn(&Ctx, As) -> String),
    /// A GET of a fixed path.
    Path(&'static str),
    /// POST /login with the double-submit CSRF cookie (a full sign-in: argon2 + session + audit).
    SignIn,
}

/// What discovery found in the data, for building paths.
struct Ctx {
    /// The generated commendation round and one of its nominations.
    round_id: i64,
    nomination_id: i64,
    /// The cursor of the round board's second page (as the bloc officer sees it).
    board_next: String,
    exemplar_id: i64,
    tccs_id: i64,
    field_id: i64,
    /// Per user (`As::index`): the cursor ~2,000 rows deep into their exemplar list.
    deep_cursor: Vec<String>,
    /// The same, in name order.
    deep_name_cursor: Vec<String>,
    /// The newest published story's and public exemplar's portal addresses.
    public_story: String,
    public_exemplar: String,
    /// The newest propaganda item the bloc officer sees.
    propaganda_id: i64,
}

impl Ctx {
    fn deep(&self, who: As) -> &str {
        &self.deep_cursor[who.index()]
    }

    fn deep_by_name(&self, who: As) -> &str {
        &self.deep_name_cursor[who.index()]
    }
}

/// One row of the benchmark.
struct Route {
    name: String,
    who: As,
    req: Req,
}

fn route(name: impl Into<String>, who: As, req: Req) -> Route {
    Route { name: name.into(), who, req }
}

/// The searches every level makes (issue 22): a common family name with and
/// without diacritics, two words, what search-as-you-type sends after 1, 2
/// and 3 letters, and a rare full name. (label, path with the query URL-encoded).
const SEARCHES: &[(&str, &str)] = &[
    ("nguyễn", "/search?q=nguy%E1%BB%85n"),
    ("nguyen", "/search?q=nguyen"),
    ("nguyen van", "/search?q=nguyen%20van"),
    ("prefix n", "/search?q=n"),
    ("prefix ng", "/search?q=ng"),
    ("prefix ngu", "/search?q=ngu"),
    ("rare khổng thị thuở", "/search?q=kh%E1%BB%95ng%20th%E1%BB%8B%20thu%E1%BB%9F"),
];

/// Every row, in the order run. The first row is the yardstick; a new page
/// joins with one line here.
fn routes() -> Vec<Route> {
    let get = |f: fn(&Ctx, As) -> String| Req::Get(f);
    let mut r = vec![
        route("trivial route /healthz (yardstick)", As::Anonymous, get(|_, _| "/healthz".into())),
        route("exemplar list, subtree+status+field+year", As::BanTuyenGiao, get(|c, _| format!("/exemplars?org_id={}&status=cong_nhan&field_id={}&year=2023", c.tccs_id, c.field_id))),
        route("exemplar detail page", As::BanTuyenGiao, get(|c, _| format!("/exemplars/{}", c.exemplar_id))),
        route("API exemplar list", As::BanTuyenGiao, get(|_, _| "/api/v1/exemplars".into())),
        route("API exemplar detail", As::BanTuyenGiao, get(|c, _| format!("/api/v1/exemplars/{}", c.exemplar_id))),
        route("API search q=nguyen van", As::BanTuyenGiao, get(|_, _| "/api/v1/search?q=nguyen%20van".into())),
        route("exemplar profile as DOCX", As::BanTuyenGiao, get(|c, _| format!("/exemplars/{}/profile.docx", c.exemplar_id))),
        route("propaganda log with the year's figures", As::BanTuyenGiao, get(|_, _| "/propaganda".into())),
        route("propaganda item page (with its edit form)", As::BanTuyenGiao, get(|c, _| format!("/propaganda/{}", c.propaganda_id))),
        route("API propaganda figures of the year", As::BanTuyenGiao, get(|_, _| "/api/v1/figures/propaganda".into())),
        route("API figures of a year (every table)", As::BanTuyenGiao, get(|_, _| "/api/v1/figures?from=2025&to=2025".into())),
        route("API figures 2022–2025 (every table)", As::BanTuyenGiao, get(|_, _| "/api/v1/figures?from=2022&to=2025".into())),
        route("stories list, first page", As::BanTuyenGiao, get(|_, _| "/stories".into())),
        route("review reports list, first page", As::BanTuyenGiao, get(|_, _| "/reviews".into())),
        route("bloc's yearly review aggregate page (who reported, every figure, the year before)", As::BanTuyenGiao, get(|_, _| "/reviews/aggregate?from=2025&to=2025".into())),
        route("API review aggregate 2022–2025", As::BanTuyenGiao, get(|_, _| "/api/v1/reviews/aggregate?from=2022&to=2025".into())),
        route("API commendation round board, second page", As::BanTuyenGiao, get(|c, _| format!("/api/v1/rounds/{}/nominations?cursor={}", c.round_id, c.board_next))),
        route("commendation nomination page", As::BanTuyenGiao, get(|c, _| format!("/nominations/{}", c.nomination_id))),
        route("open a commendation round (form with council choices)", As::BanTuyenGiao, get(|_, _| "/rounds/new".into())),
    ];
    // Home, lists and searches for a user at each level of the tree.
    for who in As::LEVELS {
        r.push(route("/healthz signed in (session lookup)", who, get(|_, _| "/healthz".into())));
        r.push(route("home /", who, get(|_, _| "/".into())));
        r.push(route("dashboard, default period", who, get(|_, _| "/dashboard".into())));
        r.push(route("commendation round board (300 nominations), first page", who, get(|c, _| format!("/rounds/{}", c.round_id))));
        r.push(route("review aggregate 2022–2025 of the caller's node", who, get(|_, _| "/reviews/aggregate?from=2022&to=2025".into())));
        r.push(route("yearly report of the caller's node as DOCX (every figure)", who, get(|_, _| "/reviews/aggregate/report.docx?from=2025&to=2025".into())));
        r.push(route("exemplar list, first page", who, get(|_, _| "/exemplars".into())));
        r.push(route("exemplar list, status filter", who, get(|_, _| "/exemplars?status=nhan_rong".into())));
        r.push(route("exemplar list, kind+level filter", who, get(|_, _| "/exemplars?kind=tap_the&level=co_so".into())));
        r.push(route("exemplar list, deep page (2,000 rows in)", who, get(|c, w| format!("/exemplars?cursor={}", c.deep(w)))));
        r.push(route("exemplar list by name, first page", who, get(|_, _| "/exemplars?sort=ten".into())));
        r.push(route("exemplar list by name, deep page (2,000 rows in)", who, get(|c, w| format!("/exemplars?sort=ten&cursor={}", c.deep_by_name(w)))));
        r.push(route("exemplar list by stage, first page", who, get(|_, _| "/exemplars?sort=giai_doan".into())));
        r.push(route("units list by name, first page", who, get(|_, _| "/orgs".into())));
        r.push(route("people list by name, first page", who, get(|_, _| "/users".into())));
        for (label, path) in SEARCHES {
            r.push(route(format!("search q={label}"), who, Req::Path(path)));
        }
    }
    // The public portal, as a stranger opening a shared link sees it.
    r.push(route("portal home / (anonymous)", As::Anonymous, get(|_, _| "/".into())));
    r.push(route("portal story page", As::Anonymous, get(|c, _| c.public_story.clone())));
    r.push(route("portal exemplar page", As::Anonymous, get(|c, _| c.public_exemplar.clone())));
    r.push(route("portal gallery, field filter", As::Anonymous, get(|c, _| format!("/dien-hinh?linh_vuc={}", c.field_id))));
    r.push(route("portal search q=nguyen", As::Anonymous, get(|_, _| "/tim-kiem?q=nguyen".into())));
    r.push(route("portal Atom feed", As::Anonymous, get(|_, _| "/feed.atom".into())));
    r.push(route("portal sitemap", As::Anonymous, get(|_, _| "/sitemap.xml".into())));
    r.push(route("sign-in form GET /login", As::Anonymous, get(|_, _| "/login".into())));
    r.push(route("sign-in POST /login", As::Anonymous, Req::SignIn));
    r
}

struct Server {
    child: Child,
    base: String,
}

impl Server {
    fn start(args: &Args) -> anyhow::Result<Server> {
        // The API rate limit (per user) would answer most of the load with
        // 429: raise it, to measure the server rather than the limiter.
        let config = std::env::temp_dir().join(format!("dienhinh-bench-{}.toml", std::process::id()));
        std::fs::write(&config, "api_rate_per_minute = 4000000000\n")?;
        let mut cmd = Command::new(&args.bin);
        cmd.arg("--config").arg(&config);
        cmd.args(["serve", "--addr", "127.0.0.1:0"]).env_remove("DATABASE_URL").env_remove("DIENHINH_DATA").env("RUST_LOG", "warn");
        match (&args.data, &args.database_url) {
            (_, Some(url)) => cmd.args(["--database-url", url]),
            (Some(d), None) => cmd.arg("--data").arg(d),
            (None, None) => bail!("give --data DIR or --database-url URL"),
        };
        let mut child = cmd.stdout(Stdio::piped()).stderr(Stdio::inherit()).spawn().with_context(|| format!("cannot start {}", args.bin.display()))?;
        let mut out = BufReader::new(child.stdout.take().context("stdout")?);
        let mut line = String::new();
        out.read_line(&mut line)?;
        let base = line.trim().rsplit(' ').next().unwrap_or("").to_string();
        if !base.starts_with("http://") {
            let _ = child.kill();
            bail!("server did not start: {line}");
        }
        // Keep draining stdout so the server never blocks on a full pipe.
        std::thread::spawn(move || for _ in out.lines() {});
        Ok(Server { child, base })
    }

    fn status_kb(&self, field: &str) -> u64 {
        std::fs::read_to_string(format!("/proc/{}/status", self.child.id()))
            .ok()
            .and_then(|s| s.lines().find(|l| l.starts_with(field)).and_then(|l| l.split_whitespace().nth(1)?.parse().ok()))
            .unwrap_or(0)
    }

    fn stop(mut self) {
        let _ = Command::new("kill").args(["-TERM", &self.child.id().to_string()]).status();
        let _ = self.child.wait();
    }
}

fn hidden(html: &str, name: &str) -> String {
    let needle = format!("name=\"{name}\" value=\"");
    html.find(&needle).map(|i| html[i + needle.len()..].split('"').next().unwrap_or("").to_string()).unwrap_or_default()
}

fn client() -> Client {
    Client::builder().cookie_store(true).redirect(redirect::Policy::none()).pool_max_idle_per_host(256).build().expect("client")
}

/// The sign-in form's double-submit token (cookie `dh_csrf` and field `_csrf` carry the same value).
async fn pre_csrf(c: &Client, base: &str) -> anyhow::Result<String> {
    let page = c.get(format!("{base}/login")).send().await?.text().await?;
    Ok(hidden(&page, "_csrf"))
}

async fn sign_in(base: &str, username: &str, password: &str) -> anyhow::Result<Client> {
    let c = client();
    let token = pre_csrf(&c, base).await?;
    let res = c.post(format!("{base}/login")).form(&[("username", username), ("password", password), ("_csrf", &token), ("next", "/")]).send().await?;
    if res.status().as_u16() != 303 {
        bail!("sign-in of {username} answered {}", res.status());
    }
    Ok(c)
}

/// The exemplar, TCCS and field the single-record rows use (the bloc
/// officer's newest exemplar), and each user's cursor ~2,000 rows deep.
async fn discover(base: &str, users: &[(As, Client)]) -> anyhow::Result<Ctx> {
    let btg = &users.iter().find(|(w, _)| *w == As::BanTuyenGiao).context("btg.khoi")?.1;
    let first: serde_json::Value = btg.get(format!("{base}/api/v1/exemplars?limit=1")).send().await?.error_for_status()?.json().await?;
    let e = first["items"].get(0).context("no exemplar visible to btg.khoi: is this a `dienhinh gen` database?")?;
    let exemplar_id = e["id"].as_i64().context("id")?;
    let path: Vec<i64> = e["org_path"].as_str().unwrap_or("").split('/').filter_map(|p| p.parse().ok()).collect();
    // /province/bloc/tccs/…: the TCCS is the third node of the path.
    let tccs_id = path.get(2).or(path.last()).copied().context("org_path")?;
    let field_id = e["fields"].get(0).and_then(|f| f["id"].as_i64()).unwrap_or(1);
    let mut deep_cursor = vec![String::new(); As::LEVELS.len() + 1];
    let mut deep_name_cursor = deep_cursor.clone();
    for (who, c) in users {
        deep_cursor[who.index()] = deep_cursor_of(base, c, "moi").await?;
        deep_name_cursor[who.index()] = deep_cursor_of(base, c, "ten").await?;
    }
    let rounds: serde_json::Value = btg.get(format!("{base}/api/v1/rounds?limit=1")).send().await?.error_for_status()?.json().await?;
    let round_id = rounds["items"][0]["id"].as_i64().unwrap_or(0);
    let board: serde_json::Value = btg.get(format!("{base}/api/v1/rounds/{round_id}")).send().await?.json().await.unwrap_or_default();
    let nomination_id = board["nominations"][0]["id"].as_i64().unwrap_or(0);
    let board_next = board["nominations_next"].as_str().unwrap_or_default().to_string();
    let anon = Client::new();
    let first_link = async |list: &str| -> anyhow::Result<String> {
        let html = anon.get(format!("{base}{list}")).send().await?.error_for_status()?.text().await?;
        let needle = format!("href=\"{list}/");
        let at = html.find(&needle).with_context(|| format!("nothing public on {list}: is this a `dienhinh gen` database?"))?;
        let rest = &html[at + 6..];
        Ok(rest[..rest.find('"').unwrap_or(0)].to_string())
    };
    let public_story = first_link("/bai-viet").await?;
    let public_exemplar = first_link("/dien-hinh").await?;
    let items: serde_json::Value = btg.get(format!("{base}/api/v1/propaganda?limit=1")).send().await?.error_for_status()?.json().await?;
    let propaganda_id = items["items"][0]["id"].as_i64().context("no propaganda item: is this a `dienhinh gen` database?")?;
    Ok(Ctx { round_id, nomination_id, board_next, exemplar_id, tccs_id, field_id, deep_cursor, deep_name_cursor, public_story, public_exemplar, propaganda_id })
}

/// Follows `next` 40 pages of 50 into the API list (2,000 rows; less when
/// the list is shorter), in the order `sort`.
async fn deep_cursor_of(base: &str, c: &Client, sort: &str) -> anyhow::Result<String> {
    let mut cursor = String::new();
    for _ in 0..40 {
        let url = format!("{base}/api/v1/exemplars?limit=50&sort={sort}&cursor={cursor}");
        let page: serde_json::Value = c.get(url).send().await?.error_for_status()?.json().await?;
        match page["next"].as_str() {
            Some(n) => cursor = n.to_string(),
            None => break,
        }
    }
    Ok(cursor)
}

struct Outcome {
    count: u64,
    errors: u64,
    p50_ms: f64,
    p99_ms: f64,
    rps: f64,
    peak_rss_kb: u64,
}

async fn run_route(server: &Server, c: &Client, req: Req, path: &str, clients: usize, seconds: f64, password: &str) -> anyhow::Result<Outcome> {
    let base = server.base.clone();
    let token = Arc::new(if matches!(req, Req::SignIn) { pre_csrf(c, &base).await? } else { String::new() });
    let stop = Arc::new(AtomicBool::new(false));
    let errors = Arc::new(AtomicU64::new(0));
    let url = Arc::new(format!("{base}{path}"));
    let started = Instant::now();
    let mut tasks = vec![];
    for _ in 0..clients {
        // Sign-in clients carry no cookie jar: each POST is a fresh sign-in.
        let c = if matches!(req, Req::SignIn) { Client::builder().redirect(redirect::Policy::none()).build()? } else { c.clone() };
        let (stop, errors, url, token, base, password) = (stop.clone(), errors.clone(), url.clone(), token.clone(), base.clone(), password.to_string());
        tasks.push(tokio::spawn(async move {
            let mut lat = Vec::with_capacity(4096);
            while !stop.load(Ordering::Relaxed) {
                let t = Instant::now();
                let res = match req {
                    Req::Get(_) | Req::Path(_) => c.get(url.as_str()).send().await,
                    Req::SignIn => {
                        c.post(format!("{base}/login"))
                            .header("cookie", format!("dh_csrf={token}"))
                            .form(&[("username", "btg.khoi"), ("password", password.as_str()), ("_csrf", token.as_str()), ("next", "/")])
                            .send()
                            .await
                    }
                };
                let ok = match res {
                    Ok(r) => {
                        let s = r.status().as_u16();
                        r.bytes().await.is_ok() && (200..400).contains(&s)
                    }
                    Err(_) => false,
                };
                if !ok {
                    errors.fetch_add(1, Ordering::Relaxed);
                }
                lat.push(t.elapsed().as_micros() as u64);
            }
            lat
        }));
    }
    let mut peak = 0;
    while started.elapsed().as_secs_f64() < seconds {
        tokio::time::sleep(Duration::from_millis(100)).await;
        peak = peak.max(server.status_kb("VmRSS:"));
    }
    stop.store(true, Ordering::Relaxed);
    let mut all = vec![];
    for t in tasks {
        all.extend(t.await?);
    }
    let elapsed = started.elapsed().as_secs_f64();
    all.sort_unstable();
    let pct = |p: f64| if all.is_empty() { 0.0 } else { all[((all.len() as f64 * p) as usize).min(all.len() - 1)] as f64 / 1000.0 };
    Ok(Outcome { count: all.len() as u64, errors: errors.load(Ordering::Relaxed), p50_ms: pct(0.50), p99_ms: pct(0.99), rps: all.len() as f64 / elapsed, peak_rss_kb: peak })
}

fn db_size(args: &Args) -> Option<u64> {
    let d = args.data.as_ref()?;
    let size = |n: &str| std::fs::metadata(d.join(n)).map(|m| m.len()).unwrap_or(0);
    Some(size("dienhinh.db") + size("dienhinh.db-wal") + size("dienhinh.db-shm"))
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let args = Args::parse();
    let server = Server::start(&args)?;
    let result = bench(&args, &server).await;
    let hwm = server.status_kb("VmHWM:");
    server.stop();
    let rows = result?;
    println!("| Route | As | Requests/s | p50 ms | p99 ms | × yardstick | Errors / requests | Peak RSS MB |");
    println!("|---|---|---:|---:|---:|---:|---:|---:|");
    let yard = rows.first().and_then(|(_, _, o)| o.as_ref().map(|o| o.rps)).unwrap_or(0.0);
    for (name, who, o) in &rows {
        match o {
            Some(o) => println!(
                "| {name} | {} | {:.0} | {:.2} | {:.2} | {:.2} | {} / {} | {:.0} |",
                who.label(),
                o.rps,
                o.p50_ms,
                o.p99_ms,
                if yard > 0.0 { o.rps / yard } else { 0.0 },
                o.errors,
                o.count,
                o.peak_rss_kb as f64 / 1024.0
            ),
            None => println!("| {name} | {} | n/a (route answers 404) | | | | | |", who.label()),
        }
    }
    println!();
    println!("Server peak resident memory (VmHWM): {:.0} MB", hwm as f64 / 1024.0);
    if let Some(s) = db_size(&args) {
        println!("SQLite database size (db + wal + shm): {:.0} MB", s as f64 / 1_048_576.0);
    }
    println!("Clients: {}, seconds per route: {}", args.clients, args.seconds);
    Ok(())
}

async fn bench(args: &Args, server: &Server) -> anyhow::Result<Vec<(String, As, Option<Outcome>)>> {
    let base = &server.base;
    let anon = client();
    let mut users = vec![];
    for who in As::LEVELS {
        let name = who.username().expect("a signed-in level");
        users.push((who, sign_in(base, name, &args.password).await.with_context(|| format!("{name}: was the data generated by this version of `dienhinh gen`?"))?));
    }
    let ctx = discover(base, &users).await?;
    eprintln!("exemplar {} · TCCS {} · field {} · deep cursors {:?}", ctx.exemplar_id, ctx.tccs_id, ctx.field_id, ctx.deep_cursor);
    // Warm up (connections, caches, allocator) so the yardstick is not measured cold.
    run_route(server, &anon, Req::Path("/healthz"), "/healthz", args.clients, args.seconds.min(1.0), &args.password).await?;
    let mut rows = vec![];
    for (i, Route { name, who, req }) in routes().into_iter().enumerate() {
        if i > 0 && args.only.as_deref().is_some_and(|o| !name.contains(o) && !who.label().contains(o)) {
            continue;
        }
        let c = match who {
            As::Anonymous => &anon,
            w => &users.iter().find(|(u, _)| *u == w).expect("signed in").1,
        };
        let path = match req {
            Req::Get(f) => f(&ctx, who),
            Req::Path(p) => p.to_string(),
            Req::SignIn => "/login".to_string(),
        };
        if !matches!(req, Req::SignIn) {
            let probe = c.get(format!("{base}{path}")).send().await?;
            if probe.status().as_u16() == 404 {
                eprintln!("{name}: 404, skipped");
                rows.push((name, who, None));
                continue;
            }
        }
        let o = run_route(server, c, req, &path, args.clients, args.seconds, &args.password).await?;
        eprintln!("{name} ({}): {:.0} req/s, p99 {:.1} ms, {} errors, RSS {} MB", who.label(), o.rps, o.p99_ms, o.errors, o.peak_rss_kb / 1024);
        rows.push((name, who, Some(o)));
    }
    Ok(rows)
}
