//! Crash durability: the real binary takes a stream of writes over HTTP from
//! a few concurrent clients and is killed with SIGKILL at random moments,
//! then restarted on the same database. Every write that was acknowledged
//! (2xx) must be there and whole, nothing may be duplicated, and
//! `dienhinh check` must pass.
//!
//! 20 kills per backend by default; `DIENHINH_CRASH_KILLS=100` for release
//! checks. The PostgreSQL variant is ignored unless run with `--run-ignored`
//! and `DIENHINH_TEST_DATABASE_URL` set.

use crate::helpers::tempdir::TempDir;
use rand::{Rng, SeedableRng};
use serde_json::{json, Value};
use std::collections::HashMap;
use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::Duration;

const DEMO_PASSWORD: &str = "mat-khau-crash-1";
const TASKS: usize = 3;

fn bin() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_dienhinh"));
    c.env_remove("DATABASE_URL").env_remove("DIENHINH_DATA").env("RUST_LOG", "error");
    c
}

fn kills() -> usize {
    std::env::var("DIENHINH_CRASH_KILLS").ok().and_then(|v| v.parse().ok()).unwrap_or(20)
}

/// What the server acknowledged.
#[derive(Default)]
struct Acked {
    /// org id → (version, name) for every acknowledged version.
    orgs: HashMap<i64, Vec<(i64, String)>>,
    /// user id → (username, full_name).
    users: HashMap<i64, (String, String)>,
    /// exemplar id → (version, name, status) for every acknowledged version.
    exemplars: HashMap<i64, Vec<(i64, String, String)>>,
    /// fostering item id → (exemplar id, support).
    fostering: HashMap<i64, (i64, String)>,
    /// propaganda item id → (version, title, exemplars featured) for every
    /// acknowledged version (its creation, then its corrections).
    propaganda: HashMap<i64, Vec<(i64, String, Vec<i64>)>>,
    /// The commendation dossier's acknowledged versions: (version, report).
    dossier: Vec<(i64, String)>,
    /// Council members whose vote was acknowledged, and the outcome's
    /// number once acknowledged.
    votes: Vec<i64>,
    outcome: Option<String>,
    /// story id → (title, the status last acknowledged).
    stories: HashMap<i64, (String, String)>,
    /// The review report's acknowledged versions: (version, results, status).
    review: Vec<(i64, String, String)>,
    /// Rounds opened on the page with a form added in the same write:
    /// round id → the new form's name.
    rounds: HashMap<i64, String>,
}

impl Acked {
    fn count(&self) -> usize {
        self.orgs.values().map(Vec::len).sum::<usize>() + self.users.len() + self.exemplars.values().map(Vec::len).sum::<usize>() + self.fostering.len() + self.propaganda.values().map(Vec::len).sum::<usize>() + self.dossier.len()
            + self.votes.len() + usize::from(self.outcome.is_some()) + self.stories.len() + self.review.len() + self.rounds.len()
    }
}

/// Who writes what: the admin's token for organisations and people, a TCCS
/// staff token (EnterData at its unit) for exemplars.
#[derive(Clone)]
struct Writers {
    admin: String,
    canbo: String,
    /// The unit where the TCCS staff enters exemplars.
    unit: i64,
    /// A draft commendation nomination of that unit, whose dossier is edited.
    nomination: i64,
    /// The council's sitting session on an accepted nomination of the same round.
    council: Council,
    /// The unit's draft review report (2022–2025), whose narrative is edited,
    /// sent by its cấp ủy (`capuy`) and returned by the Ban Tuyên giáo (the
    /// council's secretary) over and over.
    review: i64,
    capuy: String,
    /// The council of the rounds opened on the page: (user id, role).
    round_council: Vec<(i64, &'static str)>,
    /// The Ban Tuyên giáo signed in on the pages (a client with its session
    /// cookie, and the CSRF token), shared by the clients across kills: the
    /// session is in the database, and a cookie is not bound to a port.
    pages: PageSession,
}

type PageSession = Arc<tokio::sync::Mutex<Option<(reqwest::Client, String)>>>;

/// A council at work, its steps shared by the clients: each member votes
/// once, the secretary closes the session, the Ban Thường vụ concludes.
#[derive(Clone)]
struct Council {
    round: i64,
    session: i64,
    nominee: i64,
    /// (member id, token) of those present and not recused.
    voters: Vec<(i64, String)>,
    secretary: String,
    chair: String,
    /// Where the council stands: voters done, then closed, then concluded.
    step: Arc<Mutex<usize>>,
}

fn start(db_args: &[String]) -> (Child, String) {
    let mut child = bin()
        .args(["serve", "--addr", "127.0.0.1:0"])
        .args(db_args)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("start server");
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap()).read_line(&mut line).unwrap();
    let url = line.trim().rsplit(' ').next().unwrap_or_default().to_string();
    assert!(url.starts_with("http://127.0.0.1:"), "server did not start after a kill: {line:?}");
    (child, url)
}

/// One client: creates organisations, renames its own, creates people, until the server goes away.
async fn writer(url: String, w: Writers, root: i64, task: usize, seed: u64, counter: Arc<Mutex<u64>>, acked: Arc<Mutex<Acked>>) {
    let token = w.admin.clone();
    let c = reqwest::Client::builder().timeout(Duration::from_secs(10)).build().unwrap();
    let mut rng = rand::rngs::StdRng::seed_from_u64(seed);
    // This client's organisations as it last saw them: (id, version).
    let mut mine: Vec<(i64, i64)> = acked
        .lock()
        .unwrap()
        .orgs
        .iter()
        .filter(|(_, v)| v[0].1.starts_with(&format!("Chi bộ crash t{task} ")))
        .map(|(id, v)| (*id, v.iter().map(|x| x.0).max().unwrap()))
        .collect();
    // This client's exemplars: (id, version).
    let mut my_exemplars: Vec<(i64, i64)> = acked
        .lock()
        .unwrap()
        .exemplars
        .iter()
        .filter(|(_, v)| v[0].1.starts_with(&format!("Điển hình crash t{task} ")))
        .map(|(id, v)| (*id, v.iter().map(|x| x.0).max().unwrap()))
        .collect();
    loop {
        let n = {
            let mut k = counter.lock().unwrap();
            *k += 1;
            *k
        };
        let op = rng.gen_range(0..24);
        if op == 23 {
            if !round_write(&url, &w, task, n, &acked).await {
                return;
            }
        } else if op == 22 {
            if !review_write(&c, &url, &w, task, n, rng.gen_bool(0.3), &acked).await {
                return;
            }
        } else if op >= 20 {
            if !council_write(&c, &url, &w.council, &acked).await {
                return;
            }
        } else if op == 19 {
            if !dossier_write(&c, &url, &w, task, n, &acked).await {
                return;
            }
        } else if op == 17 {
            if !story_write(&c, &url, &w, task, n, &acked).await {
                return;
            }
        } else if op == 18 {
            if !propaganda_write(&c, &url, &w, task, n, &my_exemplars, rng.gen_bool(0.5), &acked).await {
                return;
            }
        } else if op >= 10 {
            if !exemplar_write(&c, &url, &w, task, n, op, &mut rng, &mut my_exemplars, &acked).await {
                return;
            }
        } else if op < 4 || mine.is_empty() {
            let name = format!("Chi bộ crash t{task} số {n}");
            let Ok(res) = c.post(format!("{url}/api/v1/orgs")).bearer_auth(&token)
                // Chi bộ stand under a TCCS (`OrgKind::may_hold`): the TCCS staff's unit.
                .json(&json!({"parent_id": w.unit, "kind": "chi_bo", "name": name})).send().await else { return };
            if res.status() != 201 {
                assert!(!res.status().is_server_error(), "create org: {}", res.status());
                return;
            }
            let Ok(o) = res.json::<Value>().await else { return };
            let id = o["id"].as_i64().unwrap();
            acked.lock().unwrap().orgs.insert(id, vec![(1, name)]);
            mine.push((id, 1));
        } else if op < 8 {
            let i = rng.gen_range(0..mine.len());
            let (id, version) = mine[i];
            let name = format!("Chi bộ crash t{task} đổi tên {n}");
            let Ok(res) = c.put(format!("{url}/api/v1/orgs/{id}")).bearer_auth(&token)
                .json(&json!({"version": version, "kind": "chi_bo", "name": name})).send().await else { return };
            match res.status().as_u16() {
                200 => {
                    let Ok(o) = res.json::<Value>().await else { return };
                    let v = o["version"].as_i64().unwrap();
                    assert_eq!(v, version + 1);
                    acked.lock().unwrap().orgs.get_mut(&id).unwrap().push((v, name));
                    mine[i].1 = v;
                }
                409 => {
                    // A rename that committed before a kill but was never answered.
                    let Ok(o) = res.json::<Value>().await else { return };
                    let cur = o["error"]["current"]["version"].as_i64().unwrap();
                    assert!(cur > version, "org {id}: acknowledged version {version} lost (database has {cur})");
                    mine[i].1 = cur;
                }
                s => {
                    assert!(s < 500, "rename: {s}");
                    return;
                }
            }
        } else {
            let username = format!("crash.t{task}.{n}");
            let full = format!("Người thử {task} số {n}");
            let Ok(res) = c.post(format!("{url}/api/v1/users")).bearer_auth(&token)
                .json(&json!({"username": username, "full_name": full, "org_id": root, "role": "nguoi_xem", "password": "mat-khau-crash"}))
                .send().await else { return };
            if res.status() != 201 {
                assert!(!res.status().is_server_error(), "create user: {}", res.status());
                return;
            }
            let Ok(u) = res.json::<Value>().await else { return };
            acked.lock().unwrap().users.insert(u["id"].as_i64().unwrap(), (username, full));
        }
    }
}

/// A propaganda item of the TCCS staff's unit, featuring the task's newest
/// exemplar when it has one (the item and its links in one transaction);
/// or, when `correct` and the task has one, a correction of its newest item
/// (a new title, with the version just read). Returns false when the server
/// has gone away.
#[allow(clippy::too_many_arguments)]
async fn propaganda_write(c: &reqwest::Client, url: &str, w: &Writers, task: usize, n: u64, mine: &[(i64, i64)], correct: bool, acked: &Arc<Mutex<Acked>>) -> bool {
    let prefix = format!("Tin crash t{task} ");
    let newest = acked.lock().unwrap().propaganda.iter().filter(|(_, v)| v[0].1.starts_with(&prefix)).map(|(id, v)| (*id, v.last().unwrap().2.clone())).max_by_key(|x| x.0);
    if let (true, Some((id, featured))) = (correct, newest) {
        let Ok(res) = c.get(format!("{url}/api/v1/propaganda/{id}")).bearer_auth(&w.canbo).send().await else { return false };
        let Ok(cur) = res.json::<Value>().await else { return false };
        let Some(version) = cur["version"].as_i64() else { return false };
        let title = format!("Tin crash t{task} sửa {n}");
        let Ok(res) = c.put(format!("{url}/api/v1/propaganda/{id}")).bearer_auth(&w.canbo)
            .json(&json!({"version": version, "org_id": w.unit, "item_type": "tin", "channel": "trang_web", "title": title, "published_on": "2025-06-01", "exemplar_ids": featured}))
            .send().await else { return false };
        return match res.status().as_u16() {
            200 => {
                let Ok(p) = res.json::<Value>().await else { return false };
                let v = p["version"].as_i64().unwrap();
                assert_eq!(v, version + 1);
                acked.lock().unwrap().propaganda.get_mut(&id).unwrap().push((v, title, featured));
                true
            }
            409 => true,
            s => {
                assert!(s < 500, "correct propaganda item: {s}");
                false
            }
        };
    }
    let title = format!("{prefix}số {n}");
    let featured: Vec<i64> = mine.last().map(|(id, _)| *id).into_iter().collect();
    let Ok(res) = c.post(format!("{url}/api/v1/propaganda")).bearer_auth(&w.canbo)
        .json(&json!({"org_id": w.unit, "item_type": "tin", "channel": "trang_web", "title": title, "published_on": "2025-06-01", "exemplar_ids": featured}))
        .send().await else { return false };
    if res.status() != 201 {
        assert!(!res.status().is_server_error(), "create propaganda item: {}", res.status());
        return false;
    }
    let Ok(p) = res.json::<Value>().await else { return false };
    let version = p["version"].as_i64().unwrap();
    acked.lock().unwrap().propaganda.insert(p["id"].as_i64().unwrap(), vec![(version, title, featured)]);
    true
}

/// A story of the TCCS staff's unit, written then sent to the editors (two
/// writes, each acknowledged on its own). Returns false when the server has gone away.
async fn story_write(c: &reqwest::Client, url: &str, w: &Writers, task: usize, n: u64, acked: &Arc<Mutex<Acked>>) -> bool {
    let title = format!("Bài crash t{task} số {n}");
    let Ok(res) = c.post(format!("{url}/api/v1/stories")).bearer_auth(&w.canbo)
        .json(&json!({"org_id": w.unit, "title": title, "summary": "Tóm tắt.", "body": "Nội dung **bài** thử.", "exemplar_ids": []}))
        .send().await else { return false };
    if res.status() != 201 {
        assert!(!res.status().is_server_error(), "create story: {}", res.status());
        return false;
    }
    let Ok(s) = res.json::<Value>().await else { return false };
    let id = s["id"].as_i64().unwrap();
    acked.lock().unwrap().stories.insert(id, (title.clone(), "nhap".into()));
    let Ok(res) = c.post(format!("{url}/api/v1/stories/{id}/submit")).bearer_auth(&w.canbo).json(&json!({"version": s["version"]})).send().await else { return false };
    if res.status() != 200 {
        assert!(!res.status().is_server_error(), "submit story: {}", res.status());
        return false;
    }
    acked.lock().unwrap().stories.insert(id, (title, "cho_duyet".into()));
    true
}

/// An edit of the commendation dossier with the version this client last
/// saw (the clients share it: a 409 names a newer version).
async fn dossier_write(c: &reqwest::Client, url: &str, w: &Writers, task: usize, n: u64, acked: &Arc<Mutex<Acked>>) -> bool {
    let id = w.nomination;
    let Ok(res) = c.get(format!("{url}/api/v1/nominations/{id}")).bearer_auth(&w.canbo).send().await else { return false };
    let Ok(cur) = res.json::<Value>().await else { return false };
    let Some(version) = cur["nomination"]["version"].as_i64() else { return false };
    let report = format!("Báo cáo crash t{task} số {n}");
    let Ok(res) = c.put(format!("{url}/api/v1/nominations/{id}/dossier")).bearer_auth(&w.canbo)
        .json(&json!({"report": report, "confirmation": "Xác nhận", "version": version})).send().await else { return false };
    match res.status().as_u16() {
        200 => {
            let Ok(o) = res.json::<Value>().await else { return false };
            let v = o["version"].as_i64().unwrap();
            assert_eq!(v, version + 1);
            acked.lock().unwrap().dossier.push((v, report));
            true
        }
        409 => true,
        s => {
            assert!(s < 500, "dossier: {s}");
            false
        }
    }
}

/// The next write on the unit's review report, as the report stands now
/// (shared by the clients, like the dossier): an edit of its narrative or
/// its sending while editable, its return with comments once sent. Sending
/// freezes the figures and issues the number in the same write.
/// The Ban Tuyên giáo opens a round on the page (`POST /rounds`) with a
/// form of commendation added in the same write (signing in first, once a
/// server life). Returns false when the server has gone away.
async fn round_write(url: &str, w: &Writers, task: usize, n: u64, acked: &Arc<Mutex<Acked>>) -> bool {
    let mut session = w.pages.lock().await;
    if session.is_none() {
        let Ok(c) = reqwest::Client::builder().cookie_store(true).redirect(reqwest::redirect::Policy::none()).timeout(Duration::from_secs(10)).build() else { return false };
        let Ok(login) = c.get(format!("{url}/login")).send().await else { return false };
        let Ok(login) = login.text().await else { return false };
        let pre = crate::helpers::hidden(&login, "_csrf");
        let form = [("username", "btg"), ("password", DEMO_PASSWORD), ("_csrf", pre.as_str()), ("next", "/")];
        let Ok(res) = c.post(format!("{url}/login")).form(&form).send().await else { return false };
        assert!(!res.status().is_server_error(), "sign-in: {}", res.status());
        if res.status() != 303 {
            return false;
        }
        let Ok(page) = c.get(format!("{url}/rounds/new")).send().await else { return false };
        let Ok(page) = page.text().await else { return false };
        *session = Some((c, crate::helpers::hidden(&page, "_csrf")));
    }
    let (c, csrf) = session.clone().expect("signed in");
    let name = format!("Hình thức crash t{task} số {n}");
    let form = crate::helpers::new_round_form(&csrf, &name, "Quy chế crash", &w.round_council);
    let Ok(res) = c.post(format!("{url}/rounds")).form(&form).send().await else { return false };
    match res.status().as_u16() {
        303 => {
            let to = res.headers().get("location").and_then(|l| l.to_str().ok()).unwrap_or_default();
            match to.strip_prefix("/rounds/").and_then(|i| i.parse::<i64>().ok()) {
                Some(id) => {
                    acked.lock().unwrap().rounds.insert(id, name);
                }
                // Sent to sign in: the sign-in was killed before it committed.
                None => *session = None,
            }
            true
        }
        st => {
            let body = res.text().await.unwrap_or_default();
            assert!(st < 500, "open a round: {st}");
            panic!("open a round refused: {st} {}", &body[..body.len().min(2000)]);
        }
    }
}

async fn review_write(c: &reqwest::Client, url: &str, w: &Writers, task: usize, n: u64, send: bool, acked: &Arc<Mutex<Acked>>) -> bool {
    let id = w.review;
    let Ok(res) = c.get(format!("{url}/api/v1/reviews/{id}")).bearer_auth(&w.canbo).send().await else { return false };
    let Ok(cur) = res.json::<Value>().await else { return false };
    let Some(version) = cur["report"]["version"].as_i64() else { return false };
    let status = s(&cur["report"]["status"]);
    let (results, res) = if status == "da_gui" {
        let body = json!({"version": version, "comment": format!("Trả lại crash t{task} số {n}")});
        (s(&cur["report"]["results"]), c.post(format!("{url}/api/v1/reviews/{id}/return")).bearer_auth(&w.council.secretary).json(&body).send().await)
    } else if send {
        (s(&cur["report"]["results"]), c.post(format!("{url}/api/v1/reviews/{id}/submit")).bearer_auth(&w.capuy).json(&json!({"version": version})).send().await)
    } else {
        let results = format!("Kết quả crash t{task} số {n}");
        let body = json!({"results": results, "lessons": "Bài học", "version": version});
        (results, c.put(format!("{url}/api/v1/reviews/{id}")).bearer_auth(&w.canbo).json(&body).send().await)
    };
    let Ok(res) = res else { return false };
    match res.status().as_u16() {
        200 => {
            let Ok(o) = res.json::<Value>().await else { return false };
            let v = o["version"].as_i64().unwrap();
            assert_eq!(v, version + 1);
            acked.lock().unwrap().review.push((v, results, s(&o["status"])));
            true
        }
        // Another client's write came first (stale version, or the report
        // changed state since it was read).
        409 | 422 => true,
        s => {
            assert!(s < 500, "review: {s}");
            false
        }
    }
}

/// The council's next step: the next member's vote, then closing the
/// session, then the decision (its number issued by the register). A 422
/// saying it is done already (`already_voted`, `session_closed`, nothing
/// left to decide) means a write the server made but never acknowledged.
async fn council_write(c: &reqwest::Client, url: &str, k: &Council, acked: &Arc<Mutex<Acked>>) -> bool {
    let step = *k.step.lock().unwrap();
    let res = if let Some((member, token)) = k.voters.get(step) {
        let Ok(res) = c.post(format!("{url}/api/v1/sessions/{}/votes", k.session)).bearer_auth(token).json(&json!({"nomination_id": k.nominee, "choice": "dong_y"})).send().await else { return false };
        if res.status() == 201 {
            acked.lock().unwrap().votes.push(*member);
        }
        res
    } else if step == k.voters.len() {
        let Ok(res) = c.get(format!("{url}/api/v1/sessions/{}", k.session)).bearer_auth(&k.secretary).send().await else { return false };
        let Ok(cur) = res.json::<Value>().await else { return false };
        let version = cur["session"]["version"].as_i64().unwrap_or(0);
        let Ok(res) = c.post(format!("{url}/api/v1/sessions/{}/close", k.session)).bearer_auth(&k.secretary).json(&json!({"version": version})).send().await else { return false };
        res
    } else if step == k.voters.len() + 1 {
        let body = json!({"number": "", "date": dienhinh_domain::clock::today_iso(), "signer": "Trần Văn Thường"});
        let Ok(res) = c.post(format!("{url}/api/v1/rounds/{}/outcome", k.round)).bearer_auth(&k.chair).json(&body).send().await else { return false };
        if res.status() == 201 {
            let Ok(o) = res.json::<Value>().await else { return false };
            acked.lock().unwrap().outcome = Some(s(&o["number"]));
            *k.step.lock().unwrap() = step + 1;
            return true;
        }
        res
    } else {
        return true;
    };
    match res.status().as_u16() {
        200 | 201 | 422 => {
            // Done now or before the last kill; a 409 (stale version) retries.
            let mut at = k.step.lock().unwrap();
            *at = (*at).max(step + 1);
            true
        }
        409 => true,
        s => {
            assert!(s < 500, "council step {step}: {s}");
            false
        }
    }
}

/// One write on exemplars: create (op 10–11 or none yet), edit with its
/// version (12–13), the fostering step (14–15), a fostering item (16–17).
/// Returns false when the server has gone away.
#[allow(clippy::too_many_arguments)]
async fn exemplar_write(
    c: &reqwest::Client,
    url: &str,
    w: &Writers,
    task: usize,
    n: u64,
    op: u32,
    rng: &mut rand::rngs::StdRng,
    mine: &mut Vec<(i64, i64)>,
    acked: &Arc<Mutex<Acked>>,
) -> bool {
    if op < 12 || mine.is_empty() {
        let name = format!("Điển hình crash t{task} số {n}");
        let Ok(res) = c.post(format!("{url}/api/v1/exemplars")).bearer_auth(&w.canbo)
            .json(&json!({"org_id": w.unit, "kind": "ca_nhan", "name": name, "year_found": 2025, "confirm_duplicate": true})).send().await else { return false };
        if res.status() != 201 {
            assert!(!res.status().is_server_error(), "create exemplar: {}", res.status());
            return false;
        }
        let Ok(e) = res.json::<Value>().await else { return false };
        let id = e["id"].as_i64().unwrap();
        let v = e["version"].as_i64().unwrap();
        acked.lock().unwrap().exemplars.insert(id, vec![(v, name, s(&e["status"]))]);
        mine.push((id, v));
        return true;
    }
    let i = rng.gen_range(0..mine.len());
    let (id, version) = mine[i];
    let (res, what) = if op < 14 {
        let name = format!("Điển hình crash t{task} sửa {n}");
        let req = c.put(format!("{url}/api/v1/exemplars/{id}")).bearer_auth(&w.canbo)
            .json(&json!({"version": version, "org_id": w.unit, "kind": "ca_nhan", "name": name, "year_found": 2025}));
        (req.send().await, "edit")
    } else if op < 16 {
        let req = c.post(format!("{url}/api/v1/exemplars/{id}/steps")).bearer_auth(&w.canbo)
            .json(&json!({"step": "boi_duong", "reason": format!("Bồi dưỡng {n}"), "version": version}));
        (req.send().await, "step")
    } else {
        let support = format!("Kèm cặp crash {n}");
        let Ok(res) = c.post(format!("{url}/api/v1/exemplars/{id}/fostering")).bearer_auth(&w.canbo)
            .json(&json!({"support_kind": "ky_thuat", "support": support})).send().await else { return false };
        if res.status() != 201 {
            assert!(!res.status().is_server_error(), "fostering: {}", res.status());
            return false;
        }
        let Ok(f) = res.json::<Value>().await else { return false };
        acked.lock().unwrap().fostering.insert(f["id"].as_i64().unwrap(), (id, support));
        return true;
    };
    let Ok(res) = res else { return false };
    match res.status().as_u16() {
        200 => {
            let Ok(e) = res.json::<Value>().await else { return false };
            let v = e["version"].as_i64().unwrap();
            assert!(v > version, "exemplar {id}: {what} did not advance the version");
            acked.lock().unwrap().exemplars.get_mut(&id).unwrap().push((v, s(&e["name"]), s(&e["status"])));
            mine[i].1 = v;
        }
        409 => {
            // A write that committed before a kill but was never answered.
            let Ok(b) = res.json::<Value>().await else { return false };
            let cur = b["error"]["current"]["version"].as_i64().unwrap();
            assert!(cur > version, "exemplar {id}: acknowledged version {version} lost (database has {cur})");
            mine[i].1 = cur;
        }
        // The step is legal once; afterwards it is refused as illegal.
        422 if what == "step" => {}
        st => {
            assert!(st < 500, "{what}: {st}");
            return false;
        }
    }
    true
}

fn s(v: &Value) -> String {
    v.as_str().unwrap_or_default().to_string()
}

fn run(db_args: Vec<String>, open_url: Option<String>, data: std::path::PathBuf, seed: u64) {
    let demo = bin().arg("demo").args(&db_args).env("DIENHINH_DEMO_PASSWORD", DEMO_PASSWORD).output().unwrap();
    assert!(demo.status.success(), "{}", String::from_utf8_lossy(&demo.stderr));
    let tok = bin().args(["token", "create", "--user", "admin"]).args(&db_args).output().unwrap();
    assert!(tok.status.success());
    let token = String::from_utf8(tok.stdout).unwrap().trim().to_string();
    let tok = bin().args(["token", "create", "--user", "canbo"]).args(&db_args).output().unwrap();
    assert!(tok.status.success());
    let canbo = String::from_utf8(tok.stdout).unwrap().trim().to_string();
    let rt = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().unwrap();
    let mut rng = rand::rngs::StdRng::seed_from_u64(seed);
    let acked = Arc::new(Mutex::new(Acked::default()));
    let counter = Arc::new(Mutex::new(0u64));
    let root = 1;
    let unit = {
        // The TCCS staff's unit, read from the database before the first start.
        let db = rt.block_on(dienhinh_store::Db::connect(open_url.as_deref(), &data)).unwrap();
        let u = rt.block_on(dienhinh_store::users::by_username(&db, "canbo")).unwrap();
        rt.block_on(db.close());
        u.org_id
    };
    // A draft nomination of the unit in this year's demo round.
    let nomination = rt.block_on(async {
        let db = dienhinh_store::Db::connect(open_url.as_deref(), &data).await.unwrap();
        let round: i64 = sqlx::query_scalar("SELECT id FROM commendation_rounds WHERE year = $1").bind(dienhinh_domain::clock::current_year()).fetch_one(db.reader()).await.unwrap();
        let hung: i64 = sqlx::query_scalar("SELECT id FROM exemplars WHERE name = 'Phạm Văn Hùng'").fetch_one(db.reader()).await.unwrap();
        let n = dienhinh_store::commendation::nominate(&db, &dienhinh_store::Actor::system("crash"), round, hung, &dienhinh_domain::clock::today_iso()).await.unwrap();
        db.close().await;
        n.id
    });
    let council = rt.block_on(async {
        use dienhinh_domain::commendation::NominationStep;
        use dienhinh_store::commendation as cs;
        let db = dienhinh_store::Db::connect(open_url.as_deref(), &data).await.unwrap();
        let user = |name: &'static str| dienhinh_store::users::by_username(&db, name);
        let (btv, btg, lan, vinh) = (user("btv").await.unwrap(), user("btg").await.unwrap(), user("hd.lan").await.unwrap(), user("hd.vinh").await.unwrap());
        // The demo's sent dossier of this year's round (Bùi Quang Vinh's company's: he is recused).
        let sent = cs::board(&db, cs::get_nomination(&db, nomination).await.unwrap().round_id).await.unwrap().into_iter().find(|n| n.status.code() == "da_gui").unwrap();
        let today = dienhinh_domain::clock::today_iso();
        let accepted = cs::take_step(&db, &btg.actor(), &btg.assignments(), sent.id, sent.version, NominationStep::Accept, &[], &today).await.unwrap();
        let session = cs::open_session(&db, &btg.actor(), accepted.round_id, &today, "Phòng họp", &[btv.id, btg.id, lan.id, vinh.id]).await.unwrap();
        db.close().await;
        let token = |name: &str| {
            let out = bin().args(["token", "create", "--user", name]).args(&db_args).output().unwrap();
            String::from_utf8(out.stdout).unwrap().trim().to_string()
        };
        Council {
            round: accepted.round_id,
            session: session.id,
            nominee: accepted.id,
            voters: vec![(btv.id, token("btv")), (btg.id, token("btg")), (lan.id, token("hd.lan"))],
            secretary: token("btg"),
            chair: token("btv"),
            step: Arc::new(Mutex::new(0)),
        }
    });
    // The unit's 2022–2025 review report, a draft in the demo.
    let review = rt.block_on(async {
        let db = dienhinh_store::Db::connect(open_url.as_deref(), &data).await.unwrap();
        let id: i64 = sqlx::query_scalar("SELECT id FROM review_reports WHERE org_id = $1 AND period_from = 2022 AND period_to = 2025").bind(unit).fetch_one(db.reader()).await.unwrap();
        db.close().await;
        id
    });
    let tok = bin().args(["token", "create", "--user", "capuy"]).args(&db_args).output().unwrap();
    assert!(tok.status.success());
    let capuy = String::from_utf8(tok.stdout).unwrap().trim().to_string();
    let round_council = rt.block_on(async {
        let db = dienhinh_store::Db::connect(open_url.as_deref(), &data).await.unwrap();
        let mut ids = vec![];
        for (name, role) in [("btv", "chu_tich"), ("btg", "thu_ky"), ("hd.lan", "uy_vien")] {
            ids.push((dienhinh_store::users::by_username(&db, name).await.unwrap().id, role));
        }
        db.close().await;
        ids
    });
    let writers = Writers { admin: token.clone(), canbo, unit, nomination, council, review, capuy, round_council, pages: PageSession::default() };
    let total = kills();
    for k in 0..total {
        let (mut child, url) = start(&db_args);
        let wait = Duration::from_millis(rng.gen_range(20..200));
        let tasks: Vec<_> = (0..TASKS)
            .map(|t| rt.spawn(writer(url.clone(), writers.clone(), root, t, seed ^ ((k * TASKS + t) as u64), counter.clone(), acked.clone())))
            .collect();
        // Kill mid-stream: once this life has acknowledged a write, after a random delay.
        let before = acked.lock().unwrap().count();
        for _ in 0..200 {
            if acked.lock().unwrap().count() > before {
                break;
            }
            std::thread::sleep(Duration::from_millis(10));
        }
        std::thread::sleep(wait);
        child.kill().unwrap(); // SIGKILL
        child.wait().unwrap();
        for t in tasks {
            if let Err(e) = rt.block_on(t) {
                if e.is_panic() {
                    std::panic::resume_unwind(e.into_panic());
                }
            }
        }
    }
    // The database after the last kill, read directly.
    let acked = acked.lock().unwrap();
    let orgs = rt.block_on(async {
        let db = dienhinh_store::Db::connect(open_url.as_deref(), &data).await.unwrap();
        use sqlx::Row;
        let orgs: Vec<(i64, String, i64)> = sqlx::query("SELECT id, name, version FROM orgs").fetch_all(db.reader()).await.unwrap()
            .iter().map(|r| (r.get("id"), r.get("name"), r.get("version"))).collect();
        let users: Vec<(i64, String, String)> = sqlx::query("SELECT id, username, full_name FROM users").fetch_all(db.reader()).await.unwrap()
            .iter().map(|r| (r.get("id"), r.get("username"), r.get("full_name"))).collect();
        let exemplars: Vec<(i64, String, i64, String)> = sqlx::query("SELECT id, name, version, status FROM exemplars").fetch_all(db.reader()).await.unwrap()
            .iter().map(|r| (r.get("id"), r.get("name"), r.get("version"), r.get("status"))).collect();
        let fostering: Vec<(i64, i64, String)> = sqlx::query("SELECT id, exemplar_id, support FROM fostering_items").fetch_all(db.reader()).await.unwrap()
            .iter().map(|r| (r.get("id"), r.get("exemplar_id"), r.get("support"))).collect();
        let mut propaganda: HashMap<i64, (i64, String, Vec<i64>)> = HashMap::new();
        for r in sqlx::query("SELECT id, version, title FROM propaganda_items").fetch_all(db.reader()).await.unwrap() {
            propaganda.insert(r.get("id"), (r.get("version"), r.get("title"), vec![]));
        }
        for r in sqlx::query("SELECT item_id, exemplar_id FROM propaganda_exemplars ORDER BY exemplar_id").fetch_all(db.reader()).await.unwrap() {
            propaganda.get_mut(&r.get::<i64, _>("item_id")).expect("a link to an item that exists").2.push(r.get("exemplar_id"));
        }
        let voters: Vec<i64> = sqlx::query_scalar("SELECT member_id FROM council_votes WHERE session_id = $1").bind(writers.council.session).fetch_all(db.reader()).await.unwrap();
        for m in &acked.votes {
            assert!(voters.contains(m), "acknowledged vote of member {m} lost");
        }
        if let Some(number) = &acked.outcome {
            let found: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM commendation_outcomes o JOIN document_numbers d ON d.id = o.number_id WHERE o.number = $1 AND d.symbol = $1")
                .bind(number).fetch_one(db.reader()).await.unwrap();
            assert_eq!(found, 1, "acknowledged outcome {number} lost or not in the register");
        }
        let stories: HashMap<i64, (String, String)> = sqlx::query("SELECT id, title, status FROM stories").fetch_all(db.reader()).await.unwrap()
            .iter().map(|r| (r.get("id"), (r.get("title"), r.get("status")))).collect();
        // Rounds opened with a new form: each acknowledged one there with its
        // form, and no form of the crash clients without its round (one write).
        for (id, name) in &acked.rounds {
            let form: Option<String> = sqlx::query_scalar("SELECT f.name FROM commendation_rounds r JOIN commendation_forms f ON f.id = r.form_id WHERE r.id = $1")
                .bind(id).fetch_optional(db.reader()).await.unwrap();
            assert_eq!(form.as_ref(), Some(name), "acknowledged round {id} lost or without its form");
        }
        let forms: Vec<(String, i64)> = sqlx::query_as(
            "SELECT f.name, CAST((SELECT COUNT(*) FROM commendation_rounds r WHERE r.form_id = f.id) AS BIGINT) FROM commendation_forms f WHERE f.name LIKE 'Hình thức crash %'")
            .fetch_all(db.reader()).await.unwrap();
        for (name, rounds) in &forms {
            assert_eq!(*rounds, 1, "form {name:?} saved without its round, or with two");
        }
        assert!(forms.len() >= acked.rounds.len());
        let dossier: (i64, String) = sqlx::query_as("SELECT version, report FROM nominations WHERE id = $1").bind(writers.nomination).fetch_one(db.reader()).await.unwrap();
        let review: (i64, String, String) = sqlx::query_as("SELECT version, results, status FROM review_reports WHERE id = $1").bind(writers.review).fetch_one(db.reader()).await.unwrap();
        if let Some((acked_v, acked_results, acked_status)) = acked.review.iter().max_by_key(|x| x.0) {
            assert!(review.0 >= *acked_v, "review: version {} older than acknowledged {acked_v}", review.0);
            if review.0 == *acked_v {
                assert_eq!((&review.1, &review.2), (acked_results, acked_status), "review: acknowledged edit or step lost");
            }
        }
        // A sent report was sent whole: its number and its frozen figures, or neither.
        let half_sent: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM review_reports r WHERE r.status IN ('da_gui', 'tiep_nhan') \
             AND (r.number_id IS NULL OR NOT EXISTS (SELECT 1 FROM review_figures f WHERE f.report_id = r.id))").fetch_one(db.reader()).await.unwrap();
        assert_eq!(half_sent, 0, "a review report sent without its number or figures");
        // Who voted and the ballot box were written together: they add up for every nomination.
        let unbalanced: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM nominations n WHERE (SELECT COUNT(*) FROM council_votes v WHERE v.nomination_id = n.id) \
             <> COALESCE((SELECT SUM(b.ballots) FROM ballot_counts b WHERE b.nomination_id = n.id), 0)").fetch_one(db.reader()).await.unwrap();
        db.close().await;
        assert_eq!(unbalanced, 0, "votes and ballots disagree");
        (orgs, users, exemplars, fostering, propaganda, dossier, stories)
    });
    let (orgs, users, exemplars, fostering, propaganda, dossier, stories) = (orgs.0, orgs.1, orgs.2, orgs.3, orgs.4, orgs.5, orgs.6);
    // Stories: each acknowledged one there, at its acknowledged step or (a
    // submission committed but never answered) the next; no creation twice.
    for (id, (title, status)) in &acked.stories {
        let (t, st) = stories.get(id).unwrap_or_else(|| panic!("acknowledged story {title:?} missing"));
        assert_eq!(t, title, "story {id}");
        assert!(st == status || (status == "nhap" && st == "cho_duyet"), "story {id}: acknowledged {status}, found {st}");
    }
    for (title, _) in acked.stories.values() {
        assert_eq!(stories.values().filter(|(t, _)| t == title).count(), 1, "story {title:?} duplicated");
    }
    if let Some((acked_v, acked_report)) = acked.dossier.iter().max_by_key(|x| x.0) {
        assert!(dossier.0 >= *acked_v, "dossier: version {} older than acknowledged {acked_v}", dossier.0);
        if dossier.0 == *acked_v {
            assert_eq!(&dossier.1, acked_report, "dossier: acknowledged edit lost");
        }
    }
    let writes = acked.count();
    eprintln!("crash: {total} kills, {writes} acknowledged writes");
    assert!(writes >= total, "too few acknowledged writes ({writes}) to mean anything");
    let by_id: HashMap<i64, (String, i64)> = orgs.iter().map(|(id, n, v)| (*id, (n.clone(), *v))).collect();
    for (id, versions) in &acked.orgs {
        let (name, version) = by_id.get(id).unwrap_or_else(|| panic!("acknowledged org {id} ({:?}) is missing", versions[0].1));
        let (acked_v, acked_name) = versions.iter().max_by_key(|x| x.0).unwrap();
        assert!(version >= acked_v, "org {id}: version {version} older than acknowledged {acked_v}");
        if version == acked_v {
            assert_eq!(name, acked_name, "org {id}: acknowledged rename lost");
        }
    }
    let mut names = HashMap::new();
    for (_, n, _) in &orgs {
        *names.entry(n.clone()).or_insert(0) += 1;
    }
    let creates: Vec<&String> = acked.orgs.values().map(|v| &v[0].1).collect();
    for n in creates {
        assert!(names.get(n).copied().unwrap_or(0) <= 1, "org {n:?} duplicated");
    }
    let users_by_id: HashMap<i64, (String, String)> = users.iter().map(|(id, u, f)| (*id, (u.clone(), f.clone()))).collect();
    for (id, (u, f)) in &acked.users {
        assert_eq!(users_by_id.get(id), Some(&(u.clone(), f.clone())), "acknowledged user {u} missing or changed");
    }
    // Exemplars: every acknowledged version (name and status whole), no creation twice.
    let ex_by_id: HashMap<i64, (String, i64, String)> = exemplars.iter().map(|(id, n, v, st)| (*id, (n.clone(), *v, st.clone()))).collect();
    for (id, versions) in &acked.exemplars {
        let (name, version, status) = ex_by_id.get(id).unwrap_or_else(|| panic!("acknowledged exemplar {id} ({:?}) is missing", versions[0].1));
        let (acked_v, acked_name, acked_status) = versions.iter().max_by_key(|x| x.0).unwrap();
        assert!(version >= acked_v, "exemplar {id}: version {version} older than acknowledged {acked_v}");
        if version == acked_v {
            assert_eq!((name, status), (acked_name, acked_status), "exemplar {id}: acknowledged edit or step lost");
        }
        if status == "phat_hien" {
            assert!(versions.iter().all(|v| v.2 == "phat_hien"), "exemplar {id}: acknowledged step lost");
        }
    }
    let mut ex_names = HashMap::new();
    for (_, n, _, _) in &exemplars {
        *ex_names.entry(n.clone()).or_insert(0) += 1;
    }
    for v in acked.exemplars.values() {
        assert!(ex_names.get(&v[0].1).copied().unwrap_or(0) <= 1, "exemplar {:?} duplicated", v[0].1);
    }
    let items: HashMap<i64, (i64, String)> = fostering.iter().map(|(id, e, s)| (*id, (*e, s.clone()))).collect();
    for (id, item) in &acked.fostering {
        assert_eq!(items.get(id), Some(item), "acknowledged fostering item {id} missing or changed");
    }
    // Propaganda items: each acknowledged one whole (its links with it), no creation twice.
    // Propaganda items: each at its newest acknowledged version whole (title
    // and links), or at a later correction committed but never answered; no
    // creation twice.
    for (id, versions) in &acked.propaganda {
        let (version, title, featured) = propaganda.get(id).unwrap_or_else(|| panic!("acknowledged propaganda item {id} ({:?}) missing", versions[0].1));
        let (acked_v, acked_title, acked_featured) = versions.iter().max_by_key(|x| x.0).unwrap();
        assert!(version >= acked_v, "propaganda item {id}: version {version} older than acknowledged {acked_v}");
        if version == acked_v {
            assert_eq!((title, featured), (acked_title, acked_featured), "propaganda item {id}: acknowledged version not whole");
        }
    }
    let mut titles = HashMap::new();
    for (_, title, _) in propaganda.values() {
        *titles.entry(title.clone()).or_insert(0) += 1;
    }
    for versions in acked.propaganda.values() {
        assert!(titles.get(&versions[0].1).copied().unwrap_or(0) <= 1, "propaganda item {:?} duplicated", versions[0].1);
    }
    eprintln!("crash: {} propaganda items, {} corrections acknowledged", acked.propaganda.len(), acked.propaganda.values().map(|v| v.len() - 1).sum::<usize>());
    eprintln!("crash: review report: {} writes acknowledged, {} of them sendings", acked.review.len(), acked.review.iter().filter(|r| r.2 == "da_gui").count());
    eprintln!("crash: {} council votes and the outcome {:?} acknowledged", acked.votes.len(), acked.outcome);
    eprintln!("crash: {} rounds opened with a new form acknowledged", acked.rounds.len());
    eprintln!("crash: {} exemplars, {} exemplar versions, {} fostering items acknowledged", acked.exemplars.len(),
        acked.exemplars.values().map(Vec::len).sum::<usize>(), acked.fostering.len());
    let out = bin().arg("check").args(&db_args).output().unwrap();
    assert!(out.status.success(), "dienhinh check after the kills: {}", String::from_utf8_lossy(&out.stdout));
}

#[test]
fn acknowledged_writes_survive_sigkill_sqlite() {
    let dir = TempDir::new();
    run(vec!["--data".into(), dir.0.display().to_string()], None, dir.0.clone(), 0x5eed_0001);
}

#[test]
#[ignore = crate::needs_postgres!()]
fn acknowledged_writes_survive_sigkill_postgres() {
    crate::helpers::with_fresh_postgres(|url, files| {
        run(vec!["--database-url".into(), url.to_string(), "--data".into(), files.display().to_string()], Some(url.to_string()), files.to_path_buf(), 0x5eed_0002)
    });
}
