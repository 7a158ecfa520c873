//! Commendation rounds (plan IV.3, V.2): rounds with their council,
//! nominations with their dossier and screening round-trips, council
//! sessions, votes, the outcome. The rules are `domain::commendation`; this
//! module reads and writes, every write through [`Write`].
//!
//! Secrecy of a secret round: who voted is a `council_votes` row (member,
//! nomination, written or not) with no choice; how is a count in
//! `ballot_counts` (nomination, choice, count) with no member, time or
//! order; both are written in one transaction, and the ballot's audit entry
//! keeps no content (`AuditPolicy::NoContent`).

use crate::audit;
use crate::db::within_subtrees;
use crate::page::{Listing, Position, SortKey};
use dienhinh_domain::order::RoundOrder;
use crate::row::{all, FromRow};
use crate::write::{Stored, Write};
use crate::{now_ms, vals, Actor, Db, Found, StoreError, StoreResult};
use dienhinh_domain::commendation::{
    self as c, Authority, BallotKind, Choice, CouncilRole, CouncilSeat, DossierInput, DossierItem, Eligibility, ExemplarFacts, NominationStatus,
    NominationStep, OutcomeInput, OutcomeKind, Refusal, RoundInput, SessionStatus, ThresholdRule, Votes, VoteRules,
};
use dienhinh_domain::exemplar::{ExemplarKind, Level, Step};
use dienhinh_domain::document::DocType;
use dienhinh_domain::{clock, Assignment, AuditAction, OrgPath, RecordKind, Role};
use serde::Serialize;
use sqlx::AnyConnection;

crate::row::coded_cols!(Authority, BallotKind, Choice, CouncilRole, NominationStatus, NominationStep, OutcomeKind, SessionStatus, ThresholdRule);

fn refused(r: Refusal, field: &'static str) -> StoreError {
    StoreError::invalid(field, r.code, r.message)
}

// ------------------------------------------------------------------ forms

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct CommendationForm {
    pub id: i64,
    pub code: String,
    pub name: String,
    /// trong_khoi (the bloc decides) or cap_tren (proposed upward)
    #[schema(value_type = String)]
    pub authority: Authority,
    /// The level an approved commendation gives: co_so, khoi, tinh, toan_quoc
    #[schema(value_type = Option<String>)]
    pub level: Option<Level>,
}
crate::from_row!(CommendationForm { id, code, name, authority, level });

pub async fn forms(db: &Db) -> StoreResult<Vec<CommendationForm>> {
    all(&sqlx::query("SELECT id, code, name, authority, level FROM commendation_forms WHERE active = 1 ORDER BY position, id").fetch_all(db.reader()).await?)
}

async fn form_in(conn: &mut AnyConnection, id: i64) -> StoreResult<CommendationForm> {
    let row = sqlx::query("SELECT id, code, name, authority, level FROM commendation_forms WHERE id = $1").bind(id).fetch_optional(conn).await?;
    CommendationForm::from_row(&row.ok_or(StoreError::NotFound)?)
}

async fn load_form(conn: &mut AnyConnection, id: i64) -> StoreResult<CommendationForm> {
    form_in(conn, id).await
}

impl Stored for CommendationForm {
    const KIND: RecordKind = RecordKind::CommendationForm;
    fn id(&self) -> i64 {
        self.id
    }
    fn org_path(&self) -> Option<&OrgPath> {
        None
    }
    fn summary(&self) -> String {
        self.name.clone()
    }
    async fn load(conn: &mut AnyConnection, id: i64) -> StoreResult<Self> {
        load_form(conn, id).await
    }
}

/// Adds a form of commendation of the bloc's own.
pub async fn add_form(db: &Db, actor: &Actor, name: &str, authority: Authority, level: Option<Level>) -> StoreResult<CommendationForm> {
    let mut w = db.write(actor).await?;
    let f = add_form_in(&mut w, name, authority, level).await?;
    w.commit().await?;
    Ok(f)
}

async fn add_form_in(w: &mut crate::write::Write<'_>, name: &str, authority: Authority, level: Option<Level>) -> StoreResult<CommendationForm> {
    let name = dienhinh_text::normalize_line(name);
    let mut inv = dienhinh_domain::Invalid::new();
    inv.required("name", "tên hình thức khen thưởng", &name, 300);
    inv.into_result()?;
    let taken = sqlx::query("SELECT id FROM commendation_forms WHERE name = $1").bind(name.as_str()).fetch_optional(w.conn()).await?;
    if taken.is_some() {
        return Err(StoreError::invalid("name", "taken", "Hình thức khen thưởng này đã có."));
    }
    let next: i64 = crate::db::col(&sqlx::query("SELECT COALESCE(MAX(position), 0) + 1 AS n FROM commendation_forms").fetch_one(w.conn()).await?, "n")?;
    let id = w
        .insert(
            "commendation_forms",
            vals![("code", format!("rieng_{next}")), ("name", name.as_str()), ("authority", authority.code()), ("level", level.map(|l| l.code())), ("position", next)],
        )
        .await?;
    let f: CommendationForm = w.load(id).await?;
    w.created(&f).await?;
    Ok(f)
}

// ------------------------------------------------------------------ rounds

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct CouncilMember {
    pub user_id: i64,
    pub full_name: String,
    /// chu_tich, thu_ky, uy_vien
    #[schema(value_type = String)]
    pub role: CouncilRole,
}
crate::from_row!(CouncilMember { user_id, full_name, role });

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Round {
    pub id: i64,
    pub org_id: i64,
    pub org_name: String,
    #[schema(value_type = String)]
    pub org_path: OrgPath,
    pub year: i64,
    pub form_id: i64,
    pub form_name: String,
    /// trong_khoi or cap_tren
    #[schema(value_type = String)]
    pub authority: Authority,
    #[schema(value_type = Option<String>)]
    pub form_level: Option<Level>,
    /// Last day to nominate, YYYY-MM-DD.
    pub deadline: String,
    #[schema(value_type = Option<String>)]
    pub elig_kind: Option<ExemplarKind>,
    #[schema(value_type = String)]
    pub elig_min_level: Level,
    pub elig_evaluation_years: i64,
    pub elig_years_as_exemplar: i64,
    pub elig_active: bool,
    /// Codes of the dossier items required, comma-separated.
    pub required_items: String,
    pub quorum_num: i64,
    pub quorum_den: i64,
    pub threshold_percent: i64,
    /// tren (more than) or tu (at least)
    #[schema(value_type = String)]
    pub threshold_rule: ThresholdRule,
    /// bo_phieu_kin or bieu_quyet_cong_khai
    #[schema(value_type = String)]
    pub ballot: BallotKind,
    /// The Quy chế that sets quorum and threshold.
    pub basis: String,
    pub version: i64,
    pub council: Vec<CouncilMember>,
}
crate::from_row!(Round {
    id, org_id, org_name, org_path, year, form_id, form_name, authority, form_level, deadline, elig_kind, elig_min_level, elig_evaluation_years,
    elig_years_as_exemplar, elig_active, required_items, quorum_num, quorum_den, threshold_percent, threshold_rule, ballot, basis, version
}; council = vec![]);

impl Round {
    pub fn eligibility(&self) -> Eligibility {
        Eligibility {
            kind: self.elig_kind,
            min_level: self.elig_min_level,
            evaluation_years: self.elig_evaluation_years,
            years_as_exemplar: self.elig_years_as_exemplar,
            must_be_active: self.elig_active,
        }
    }
    pub fn rules(&self) -> VoteRules {
        VoteRules {
            quorum_num: self.quorum_num,
            quorum_den: self.quorum_den,
            threshold_percent: self.threshold_percent,
            threshold_rule: self.threshold_rule,
            ballot: self.ballot,
            basis: self.basis.clone(),
        }
    }
    pub fn required(&self) -> Vec<DossierItem> {
        self.required_items.split(',').filter_map(DossierItem::from_code).collect()
    }
    pub fn title(&self) -> String {
        format!("{} năm {}", self.form_name, self.year)
    }
    pub fn seat_of(&self, user_id: i64) -> Option<CouncilRole> {
        self.council.iter().find(|m| m.user_id == user_id).map(|m| m.role)
    }
}

const ROUND_SELECT: &str = "SELECT r.id, r.org_id, o.name AS org_name, r.org_path, r.year, r.form_id, f.name AS form_name, f.authority, f.level AS form_level, \
     r.deadline, r.elig_kind, r.elig_min_level, r.elig_evaluation_years, r.elig_years_as_exemplar, r.elig_active, r.required_items, r.quorum_num, \
     r.quorum_den, r.threshold_percent, r.threshold_rule, r.ballot, r.basis, r.version \
     FROM commendation_rounds r JOIN orgs o ON o.id = r.org_id JOIN commendation_forms f ON f.id = r.form_id";

async fn load_round(conn: &mut AnyConnection, id: i64) -> StoreResult<Round> {
    let row = sqlx::query(&format!("{ROUND_SELECT} WHERE r.id = $1")).bind(id).fetch_optional(&mut *conn).await?;
    let mut r = Round::from_row(&row.ok_or(StoreError::NotFound)?)?;
    r.council = all(&sqlx::query(
        "SELECT m.user_id, u.full_name, m.role FROM council_members m JOIN users u ON u.id = m.user_id WHERE m.round_id = $1 ORDER BY m.position",
    )
    .bind(id)
    .fetch_all(conn)
    .await?)?;
    Ok(r)
}

crate::stored!(Round: CommendationRound at org_path, summary r => r.title(), load load_round);

pub async fn get_round(db: &Db, id: i64) -> StoreResult<Round> {
    load_round(&mut *db.reader().acquire().await?, id).await
}

/// Opens a round at a node (the bloc), with its council.
pub async fn create_round(db: &Db, actor: &Actor, i: &RoundInput) -> StoreResult<Round> {
    create_round_with_form(db, actor, i, None).await
}

/// Opens a round, for a form of commendation (name, authority) added in
/// the same write when one is given: either both are saved or neither.
pub async fn create_round_with_form(db: &Db, actor: &Actor, i: &RoundInput, new_form: Option<(&str, Authority)>) -> StoreResult<Round> {
    let mut w = db.write(actor).await?;
    let mut i = i.clone();
    if let Some((name, authority)) = new_form {
        i.form_id = add_form_in(&mut w, name, authority, None).await?.id;
    }
    let v = i.validate(clock::current_year())?;
    let org = crate::orgs::fetch(w.conn(), v.org_id).await.not_found_as("org_id", "Không tìm thấy đơn vị.")?;
    form_in(w.conn(), v.form_id).await.not_found_as("form_id", "Không tìm thấy hình thức khen thưởng.")?;
    let dup = sqlx::query("SELECT id FROM commendation_rounds WHERE org_id = $1 AND year = $2 AND form_id = $3")
        .bind(org.id)
        .bind(v.year)
        .bind(v.form_id)
        .fetch_optional(w.conn())
        .await?;
    if dup.is_some() {
        return Err(StoreError::invalid("form_id", "taken", "Đơn vị đã mở đợt xét hình thức khen thưởng này trong năm."));
    }
    for (user_id, _) in &v.council {
        let found = sqlx::query("SELECT id FROM users WHERE id = $1 AND active = 1").bind(*user_id).fetch_optional(w.conn()).await?;
        if found.is_none() {
            return Err(StoreError::invalid("council", "not_found", "Không tìm thấy thành viên Hội đồng."));
        }
    }
    let now = now_ms();
    let e = v.eligibility;
    let items: Vec<&str> = v.required_items.iter().map(|i| i.code()).collect();
    let id = w
        .insert(
            "commendation_rounds",
            vals![
                ("org_id", org.id),
                ("org_path", org.path.as_str()),
                ("year", v.year),
                ("form_id", v.form_id),
                ("deadline", v.deadline.as_str()),
                ("elig_kind", e.kind.map(|k| k.code())),
                ("elig_min_level", e.min_level.code()),
                ("elig_evaluation_years", e.evaluation_years),
                ("elig_years_as_exemplar", e.years_as_exemplar),
                ("elig_active", i64::from(e.must_be_active)),
                ("required_items", items.join(",")),
                ("quorum_num", v.rules.quorum_num),
                ("quorum_den", v.rules.quorum_den),
                ("threshold_percent", v.rules.threshold_percent),
                ("threshold_rule", v.rules.threshold_rule.code()),
                ("ballot", v.rules.ballot.code()),
                ("basis", v.rules.basis.as_str()),
                ("created_at", now),
                ("updated_at", now),
            ],
        )
        .await?;
    for (pos, (user_id, role)) in v.council.iter().enumerate() {
        w.insert_plain("council_members", vals![("round_id", id), ("user_id", *user_id), ("role", role.code()), ("position", pos as i64)]).await?;
    }
    let r: Round = w.load(id).await?;
    w.created(&r).await?;
    w.commit().await?;
    Ok(r)
}

/// Rounds the caller may see (inside `within`, at the caller's own node or
/// above it — a round binds its subtree —, or whose council seats them),
/// by year in `order`, keyset-paged.
pub async fn rounds(db: &Db, within: &[OrgPath], home: &OrgPath, user_id: i64, order: RoundOrder, at: Position<'_>) -> StoreResult<Listing<Round>> {
    use sea_query::{Alias, Cond, Expr, Query};
    let seated = Query::select().column(Alias::new("round_id")).from(Alias::new("council_members")).and_where(Expr::col(Alias::new("user_id")).eq(user_id)).to_owned();
    // The caller's node and its ancestors: `/1/2/5/` → `/1/`, `/1/2/`, `/1/2/5/`.
    let parts: Vec<&str> = home.as_str().split('/').filter(|p| !p.is_empty()).collect();
    let above: Vec<String> = (1..=parts.len()).map(|k| format!("/{}/", parts[..k].join("/"))).collect();
    let scope = Cond::any()
        .add(Expr::col(Alias::new("id")).in_subquery(seated))
        .add(within_subtrees("org_path", &crate::orgs::as_queried(db, within).await?))
        .add(Expr::col(Alias::new("org_path")).is_in(above));
    let mut q = Query::select();
    q.from(Alias::new("commendation_rounds")).cond_where(scope);
    let sort = SortKey::column("year", true, order == RoundOrder::Newest);
    let ids = crate::page::listing(db, crate::page::Rows::of("commendation_rounds", q), |q| { q.column(Alias::new("id")); }, sort, at, |r| crate::db::col::<i64>(r, "id")).await?;
    let mut conn = db.reader().acquire().await?;
    let mut items = vec![];
    // At most limit + 1 rounds a page (a bloc has a handful a year).
    for id in &ids.items {
        items.push(load_round(&mut conn, *id).await?);
    }
    let mut items = items.into_iter();
    Ok(ids.map(|_| items.next().expect("one round per id")))
}

/// The council seats a user holds, in every round.
pub async fn seats(db: &Db, user_id: i64) -> StoreResult<Vec<CouncilSeat>> {
    let rows = sqlx::query("SELECT round_id, role FROM council_members WHERE user_id = $1").bind(user_id).fetch_all(db.reader()).await?;
    rows.iter().map(|r| Ok(CouncilSeat { round_id: crate::db::col(r, "round_id")?, role: crate::row::code(r, "role")? })).collect()
}

// ------------------------------------------------------------------ nominations

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Nomination {
    pub id: i64,
    pub round_id: i64,
    pub exemplar_id: i64,
    pub exemplar_name: String,
    #[schema(value_type = String)]
    pub exemplar_kind: ExemplarKind,
    pub org_id: i64,
    pub org_name: String,
    #[schema(value_type = String)]
    pub org_path: OrgPath,
    /// nhap, da_gui, tra_lai, gui_lai, tiep_nhan, dat, khong_dat, quyet_dinh, de_nghi, phe_duyet, khong_phe_duyet, rut
    #[schema(value_type = String)]
    pub status: NominationStatus,
    /// Báo cáo thành tích.
    pub report: String,
    /// Xác nhận của cấp ủy.
    pub confirmation: String,
    /// The session that voted on it and its tally, once closed.
    pub session_id: Option<i64>,
    pub tally_base: Option<i64>,
    pub tally_agree: Option<i64>,
    pub tally_disagree: Option<i64>,
    pub tally_abstain: Option<i64>,
    pub tally_written: Option<i64>,
    pub tally_recused: Option<i64>,
    pub tally_needed: Option<i64>,
    pub outcome_id: Option<i64>,
    /// The higher body's decision on a proposal.
    pub upward_no: Option<String>,
    pub upward_on: Option<String>,
    pub updated_at: i64,
    pub version: i64,
}
crate::from_row!(Nomination {
    id, round_id, exemplar_id, exemplar_name, exemplar_kind, org_id, org_name, org_path, status, report, confirmation, session_id, tally_base,
    tally_agree, tally_disagree, tally_abstain, tally_written, tally_recused, tally_needed, outcome_id, upward_no, upward_on, updated_at, version
});

const NOMINATION_SELECT: &str = "SELECT n.id, n.round_id, n.exemplar_id, e.name AS exemplar_name, e.kind AS exemplar_kind, n.org_id, o.name AS org_name, \
     n.org_path, n.status, n.report, n.confirmation, n.session_id, n.tally_base, n.tally_agree, n.tally_disagree, n.tally_abstain, n.tally_written, \
     n.tally_recused, n.tally_needed, n.outcome_id, n.upward_no, n.upward_on, n.updated_at, n.version \
     FROM nominations n JOIN exemplars e ON e.id = n.exemplar_id JOIN orgs o ON o.id = n.org_id";

async fn load_nomination(conn: &mut AnyConnection, id: i64) -> StoreResult<Nomination> {
    let row = sqlx::query(&format!("{NOMINATION_SELECT} WHERE n.id = $1")).bind(id).fetch_optional(conn).await?;
    Nomination::from_row(&row.ok_or(StoreError::NotFound)?)
}

crate::stored!(Nomination: Nomination at org_path, summary n => format!("{} ({})", n.exemplar_name, n.status.label()), load load_nomination);

pub async fn get_nomination(db: &Db, id: i64) -> StoreResult<Nomination> {
    load_nomination(&mut *db.reader().acquire().await?, id).await
}

/// The nominations of a round, by unit then id (one query): the whole list,
/// for the documents that print it.
pub async fn board(db: &Db, round_id: i64) -> StoreResult<Vec<Nomination>> {
    all(&sqlx::query(&format!("{NOMINATION_SELECT} WHERE n.round_id = $1 ORDER BY n.org_path, n.id")).bind(round_id).fetch_all(db.reader()).await?)
}

/// Which of a round's nominations a board shows: those of `within` (the
/// caller's subtrees; `None`: the whole round, for its council and for a
/// caller whose scope holds the round's node), of one status if given.
#[derive(Debug, Clone, Default)]
pub struct BoardFilter {
    pub within: Option<Vec<OrgPath>>,
    pub status: Option<NominationStatus>,
}

fn board_rows(round_id: i64, f: &BoardFilter) -> sea_query::SelectStatement {
    use sea_query::{Alias, Expr, Query};
    let mut q = Query::select();
    q.from(Alias::new("nominations")).and_where(Expr::col(Alias::new("round_id")).eq(round_id));
    if let Some(within) = &f.within {
        q.cond_where(within_subtrees("org_path", within));
    }
    if let Some(s) = f.status {
        q.and_where(Expr::col(Alias::new("status")).eq(s.code()));
    }
    q
}

/// One page of a round's board, by unit then id (keyset-paged on
/// `nominations_board`, counted): the page's ids, then their rows.
pub async fn board_page(db: &Db, round_id: i64, f: &BoardFilter, at: Position<'_>) -> StoreResult<Listing<Nomination>> {
    use sea_query::Alias;
    let sort = SortKey::column("org_path", false, false);
    let ids = crate::page::listing(db, crate::page::Rows::of("nominations", board_rows(round_id, f)), |q| { q.column(Alias::new("id")); }, sort, at, |r| crate::db::col::<i64>(r, "id")).await?;
    let mut by_id: std::collections::HashMap<i64, Nomination> = std::collections::HashMap::new();
    if !ids.items.is_empty() {
        let list = ids.items.iter().map(i64::to_string).collect::<Vec<_>>().join(", ");
        let rows: Vec<Nomination> = all(&sqlx::query(&format!("{NOMINATION_SELECT} WHERE n.id IN ({list})")).fetch_all(db.reader()).await?)?;
        by_id = rows.into_iter().map(|n| (n.id, n)).collect();
    }
    // Nominations are withdrawn, never deleted: every id has its row.
    let items = ids.items.iter().filter_map(|id| by_id.remove(id)).collect();
    Ok(Listing { items, next: ids.next, prev: ids.prev, total: ids.total, bad_position: ids.bad_position })
}

/// How many nominations of the board stand at each status (every status
/// listed, in display order): one grouped read of the board's index.
pub async fn board_statuses(db: &Db, round_id: i64, within: Option<&[OrgPath]>) -> StoreResult<Vec<(NominationStatus, i64)>> {
    use sea_query::{Alias, Expr};
    let mut q = board_rows(round_id, &BoardFilter { within: within.map(<[OrgPath]>::to_vec), status: None });
    q.column(Alias::new("status")).expr_as(Expr::cust("COUNT(*)"), Alias::new("n")).group_by_col(Alias::new("status"));
    let (sql, values) = crate::db::build(db.backend, &q);
    let mut n: std::collections::HashMap<String, i64> = std::collections::HashMap::new();
    for r in sqlx::query_with(&sql, values).fetch_all(db.reader()).await? {
        n.insert(crate::db::col(&r, "status")?, crate::db::col(&r, "n")?);
    }
    Ok(NominationStatus::ALL.iter().map(|s| (*s, n.get(s.code()).copied().unwrap_or(0))).collect())
}

/// What the records say of an exemplar for eligibility.
fn facts(e: &crate::exemplars::Exemplar) -> ExemplarFacts {
    ExemplarFacts { kind: e.kind, level: e.level, status: e.status, year_found: e.year_found, evaluated_years: e.evaluated_years.clone() }
}

/// Whether an exemplar may be nominated in a round: every failed rule.
pub async fn eligibility_of(db: &Db, round: &Round, exemplar_id: i64) -> StoreResult<Vec<c::FailedRule>> {
    let mut conn = db.reader().acquire().await?;
    let e = crate::exemplars::Exemplar::load(&mut conn, exemplar_id).await?;
    Ok(c::eligibility(&round.eligibility(), round.year, &facts(&e)))
}

/// Part II of the achievement report pre-filled from the records
/// (PARTY-DOCUMENTS.md "Achievement reports"): achievements, model,
/// evaluations with their scores, fostering, replication and visits; then
/// edited by the unit.
pub async fn prefilled_report(db: &Db, exemplar_id: i64) -> StoreResult<String> {
    let e = crate::exemplars::get(db, exemplar_id).await?;
    let evaluations = crate::evaluations::for_exemplar(db, exemplar_id).await?;
    let fostering = crate::fostering::for_exemplar(db, exemplar_id).await?;
    let replications = crate::spread::replications(db, exemplar_id).await?;
    let visits = crate::spread::visits(db, exemplar_id).await?;
    // Part II of the báo cáo thành tích: parts I (who) and III (earlier
    // decisions) are printed from the records themselves (`commendation_docs`).
    let mut s = String::new();
    if !e.achievements.is_empty() {
        s += &format!("1. Thành tích tiêu biểu\n{}\n", e.achievements);
    }
    if !e.model.is_empty() {
        s += &format!("2. Mô hình, cách làm hay, sáng kiến\n{}\n", e.model);
    }
    if !evaluations.is_empty() {
        s += "3. Kết quả kiểm tra, đánh giá\n";
        for v in &evaluations {
            s += &format!("- Năm {} (ngày {}): đạt {} % tiêu chí; hiệu quả: {}\n", v.period_year, clock::iso_to_vn(&v.evaluated_on), v.met_percent, v.effectiveness);
        }
    }
    if !fostering.is_empty() {
        s += "4. Được bồi dưỡng\n";
        for f in &fostering {
            s += &format!("- {}: {}\n", f.support_kind.label(), f.support);
        }
    }
    if !replications.is_empty() || !visits.is_empty() {
        s += "5. Sức lan tỏa\n";
        for r in &replications {
            s += &format!("- Được nhân rộng tại {} ({}).\n", r.adopter_name, clock::iso_to_vn(&r.adopted_on));
        }
        for v in &visits {
            s += &format!("- Đón {} người của {} tham quan học tập ({}).\n", v.participants, v.visiting_units, clock::iso_to_vn(&v.visited_on));
        }
    }
    Ok(s)
}

/// A TCCS nominates an exemplar of its subtree: before the deadline, the
/// exemplar inside the round's subtree and eligible (every failed rule
/// named). `who` must hold EnterData at the exemplar's node (the route
/// checks it with `access::target`).
pub async fn nominate(db: &Db, actor: &Actor, round_id: i64, exemplar_id: i64, today: &str) -> StoreResult<Nomination> {
    let round = get_round(db, round_id).await?;
    c::check_deadline(&round.deadline, today).map_err(|r| refused(r, "round_id"))?;
    let report = prefilled_report(db, exemplar_id).await.not_found_as("exemplar_id", "Không tìm thấy điển hình.")?;
    let mut w = db.write(actor).await?;
    let e: crate::exemplars::Exemplar = w.load(exemplar_id).await.not_found_as("exemplar_id", "Không tìm thấy điển hình.")?;
    if !round.org_path.contains(&e.org_path) {
        return Err(StoreError::invalid("exemplar_id", "outside_round", "Điển hình không thuộc phạm vi của đợt xét khen thưởng này."));
    }
    let failed = c::eligibility(&round.eligibility(), round.year, &facts(&e));
    if !failed.is_empty() {
        return Err(c::ineligible(&failed).into());
    }
    let dup = sqlx::query("SELECT id FROM nominations WHERE round_id = $1 AND exemplar_id = $2").bind(round_id).bind(exemplar_id).fetch_optional(w.conn()).await?;
    if dup.is_some() {
        return Err(StoreError::invalid("exemplar_id", "taken", "Điển hình này đã có hồ sơ trong đợt xét."));
    }
    let now = stamp(today);
    let id = w
        .insert(
            "nominations",
            vals![
                ("round_id", round_id),
                ("exemplar_id", exemplar_id),
                ("org_id", e.org_id),
                ("org_path", e.org_path.as_str()),
                ("status", NominationStatus::Draft.code()),
                ("report", report.as_str()),
                ("created_by", w.actor.user_id),
                ("created_at", now),
                ("updated_at", now),
            ],
        )
        .await?;
    let n: Nomination = w.load(id).await?;
    w.created(&n).await?;
    w.commit().await?;
    Ok(n)
}

/// Edits the dossier (report, cấp ủy's confirmation): while the unit holds it.
pub async fn save_dossier(db: &Db, actor: &Actor, id: i64, i: &DossierInput) -> StoreResult<Nomination> {
    let v = i.validate()?;
    let mut w = db.write(actor).await?;
    let before: Nomination = w.load(id).await?;
    if !matches!(before.status, NominationStatus::Draft | NominationStatus::Returned) {
        return Err(StoreError::invalid("report", "locked", "Hồ sơ đã gửi: chỉ sửa được khi đang soạn hoặc bị trả lại."));
    }
    w.update_versioned::<Nomination>(id, i.version, vals![("report", v.report.as_str()), ("confirmation", v.confirmation.as_str())]).await?;
    let after: Nomination = w.load(id).await?;
    w.changed(AuditAction::Update, Some(&before), &after, &format!("Sửa hồ sơ: {}", after.exemplar_name)).await?;
    w.commit().await?;
    Ok(after)
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct NominationEvent {
    pub id: i64,
    #[schema(value_type = String)]
    pub step: NominationStep,
    #[schema(value_type = String)]
    pub from_status: NominationStatus,
    #[schema(value_type = String)]
    pub to_status: NominationStatus,
    /// Full name of who took the step.
    pub actor: String,
    pub at: i64,
    /// Comments of a screening, per dossier item: (item code, comment).
    pub comments: Vec<(String, String)>,
}
crate::from_row!(NominationEvent { id, step, from_status, to_status, actor, at }; comments = vec![]);

/// Every step of a nomination, oldest first, with the comments (two queries).
pub async fn events(db: &Db, id: i64) -> StoreResult<Vec<NominationEvent>> {
    let mut events: Vec<NominationEvent> = all(&sqlx::query(
        "SELECT ev.id, ev.step, ev.from_status, ev.to_status, COALESCE(u.full_name, ev.actor) AS actor, ev.at \
         FROM nomination_events ev LEFT JOIN users u ON u.id = ev.actor_id WHERE ev.nomination_id = $1 ORDER BY ev.id",
    )
    .bind(id)
    .fetch_all(db.reader())
    .await?)?;
    let rows = sqlx::query(
        "SELECT c.event_id, c.item, c.comment FROM nomination_comments c JOIN nomination_events ev ON ev.id = c.event_id WHERE ev.nomination_id = $1 ORDER BY c.event_id, c.item",
    )
    .bind(id)
    .fetch_all(db.reader())
    .await?;
    for r in rows {
        let event: i64 = crate::db::col(&r, "event_id")?;
        if let Some(e) = events.iter_mut().find(|e| e.id == event) {
            e.comments.push((crate::db::col(&r, "item")?, crate::db::col(&r, "comment")?));
        }
    }
    Ok(events)
}

/// When a record entered "as of" `day` happened: now when that is today;
/// for an earlier day (a sitting entered afterwards, the demo's past rounds)
/// midday of that day in Vietnam (05:00 UTC), so the history keeps its dates.
fn stamp(day: &str) -> i64 {
    match clock::parse_iso(day) {
        Some(d) if clock::iso(d) < clock::today_iso() => d.midnight().assume_utc().unix_timestamp() * 1000 + 5 * 3_600_000,
        _ => now_ms(),
    }
}

async fn record_step_in(
    w: &mut Write<'_>,
    at: i64,
    before: &Nomination,
    step: NominationStep,
    to: NominationStatus,
    extra: crate::Values,
    comments: &[(DossierItem, String)],
) -> StoreResult<Nomination> {
    let mut values = vals![("status", to.code())];
    values.extend(extra);
    w.update_versioned::<Nomination>(before.id, before.version, values).await?;
    let event = w
        .insert(
            "nomination_events",
            vals![
                ("nomination_id", before.id),
                ("step", step.code()),
                ("from_status", before.status.code()),
                ("to_status", to.code()),
                ("actor_id", w.actor.user_id),
                ("actor", w.actor.name.as_str()),
                ("at", at),
            ],
        )
        .await?;
    for (item, comment) in comments {
        w.insert_plain("nomination_comments", vals![("event_id", event), ("item", item.code()), ("comment", comment.as_str())]).await?;
    }
    let after: Nomination = w.load(before.id).await?;
    w.changed(AuditAction::Transition, Some(before), &after, &format!("{}: {}", step.label(), after.exemplar_name)).await?;
    Ok(after)
}

/// A step of the screening round-trip: submit, withdraw, return (with
/// comments per item), resubmit, accept. `who` are the caller's roles;
/// `today` (ISO) is judged against the deadline.
pub async fn take_step(
    db: &Db,
    actor: &Actor,
    who: &[Assignment],
    id: i64,
    version: i64,
    step: NominationStep,
    comments: &[(DossierItem, String)],
    today: &str,
) -> StoreResult<Nomination> {
    if matches!(step, NominationStep::Decide | NominationStep::Propose | NominationStep::Approve | NominationStep::NotApprove) {
        return Err(StoreError::invalid("step", "illegal", "Kết quả khen thưởng được ghi ở trang kết quả của đợt."));
    }
    let comments = c::validate_comments(comments, step == NominationStep::Return)?;
    let mut w = db.write(actor).await?;
    let before: Nomination = w.load(id).await?;
    if before.version != version {
        return Err(StoreError::Conflict { current: serde_json::to_value(&before).unwrap_or_default() });
    }
    let round: Round = w.load(before.round_id).await?;
    let to = c::check_step(step, before.status, round.authority, who, &before.org_path, &round.org_path).map_err(|r| refused(r, "step"))?;
    if matches!(step, NominationStep::Submit | NominationStep::Resubmit) {
        c::check_deadline(&round.deadline, today).map_err(|r| refused(r, "step"))?;
        let files: i64 = crate::db::col(
            &sqlx::query("SELECT COUNT(*) AS n FROM attachments WHERE record_kind = $1 AND record_id = $2")
                .bind(RecordKind::Nomination.code())
                .bind(id)
                .fetch_one(w.conn())
                .await?,
            "n",
        )?;
        let has = |item: DossierItem| match item {
            DossierItem::Report => !before.report.trim().is_empty(),
            DossierItem::Confirmation => !before.confirmation.trim().is_empty(),
            DossierItem::Evidence | DossierItem::Minutes => files > 0,
        };
        if let Some(inv) = c::missing_items(&round.required(), has) {
            return Err(inv.into());
        }
    }
    let after = record_step_in(&mut w, stamp(today), &before, step, to, vec![], &comments).await?;
    w.commit().await?;
    Ok(after)
}

// ------------------------------------------------------------------ sessions

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Attendance {
    pub user_id: i64,
    pub full_name: String,
    pub present: bool,
}
crate::from_row!(Attendance { user_id, full_name, present });

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Session {
    pub id: i64,
    pub round_id: i64,
    pub org_id: i64,
    #[schema(value_type = String)]
    pub org_path: OrgPath,
    /// YYYY-MM-DD
    pub held_on: String,
    pub place: String,
    /// dang_hop or da_ket_thuc
    #[schema(value_type = String)]
    pub status: SessionStatus,
    /// Members of the council and those present.
    pub members: i64,
    pub present: i64,
    pub closed_at: Option<i64>,
    /// The biên bản's number and symbol, issued when the session closes.
    pub minutes_number: Option<String>,
    pub version: i64,
    pub attendance: Vec<Attendance>,
}
crate::from_row!(Session { id, round_id, org_id, org_path, held_on, place, status, members, present, closed_at, minutes_number, version }; attendance = vec![]);

async fn load_session(conn: &mut AnyConnection, id: i64) -> StoreResult<Session> {
    let row = sqlx::query("SELECT id, round_id, org_id, org_path, held_on, place, status, members, present, closed_at, minutes_number, version FROM council_sessions WHERE id = $1")
        .bind(id)
        .fetch_optional(&mut *conn)
        .await?;
    let mut s = Session::from_row(&row.ok_or(StoreError::NotFound)?)?;
    s.attendance = all(&sqlx::query(
        "SELECT a.user_id, u.full_name, a.present FROM session_attendance a JOIN users u ON u.id = a.user_id \
         JOIN council_members m ON m.user_id = a.user_id AND m.round_id = $2 WHERE a.session_id = $1 ORDER BY m.position",
    )
    .bind(id)
    .bind(s.round_id)
    .fetch_all(conn)
    .await?)?;
    Ok(s)
}

crate::stored!(Session: CouncilSession at org_path, summary s => format!("Phiên bình xét ngày {}", clock::iso_to_vn(&s.held_on)), load load_session);

pub async fn get_session(db: &Db, id: i64) -> StoreResult<Session> {
    load_session(&mut *db.reader().acquire().await?, id).await
}

pub async fn sessions_of(db: &Db, round_id: i64) -> StoreResult<Vec<Session>> {
    all(&sqlx::query("SELECT id, round_id, org_id, org_path, held_on, place, status, members, present, closed_at, minutes_number, version FROM council_sessions WHERE round_id = $1 ORDER BY id")
        .bind(round_id)
        .fetch_all(db.reader())
        .await?)
}

/// The secretary opens a session: its date, place and who is present.
pub async fn open_session(db: &Db, actor: &Actor, round_id: i64, held_on: &str, place: &str, present: &[i64]) -> StoreResult<Session> {
    let mut inv = dienhinh_domain::Invalid::new();
    let day = clock::parse_date(held_on.trim());
    if day.is_none() {
        inv.add("held_on", "invalid", "Vui lòng nhập ngày họp hợp lệ.");
    }
    let place = dienhinh_text::normalize_line(place);
    inv.max_len("place", "Địa điểm", &place, 300);
    inv.into_result()?;
    let mut w = db.write(actor).await?;
    let round: Round = w.load(round_id).await?;
    let open = sqlx::query("SELECT id FROM council_sessions WHERE round_id = $1 AND status = $2").bind(round_id).bind(SessionStatus::Open.code()).fetch_optional(w.conn()).await?;
    if open.is_some() {
        return Err(StoreError::invalid("held_on", "session_open", "Đợt này đang có một phiên bình xét chưa kết thúc."));
    }
    if let Some(stranger) = present.iter().find(|u| round.seat_of(**u).is_none()) {
        let _ = stranger;
        return Err(StoreError::invalid("present", "not_member", "Người có mặt phải là thành viên Hội đồng."));
    }
    let count = round.council.iter().filter(|m| present.contains(&m.user_id)).count() as i64;
    // A sitting without its quorum cannot vote: refused before anything is saved.
    c::check_quorum(&round.rules(), round.council.len() as i64, count).map_err(|r| refused(r, "present"))?;
    let now = stamp(&clock::iso(day.expect("checked")));
    let id = w
        .insert(
            "council_sessions",
            vals![
                ("round_id", round_id),
                ("org_id", round.org_id),
                ("org_path", round.org_path.as_str()),
                ("held_on", clock::iso(day.expect("checked"))),
                ("place", place.as_str()),
                ("status", SessionStatus::Open.code()),
                ("members", round.council.len() as i64),
                ("present", count),
                ("created_at", now),
                ("updated_at", now),
            ],
        )
        .await?;
    for m in &round.council {
        w.insert_plain("session_attendance", vals![("session_id", id), ("user_id", m.user_id), ("present", i64::from(present.contains(&m.user_id)))]).await?;
    }
    let s: Session = w.load(id).await?;
    w.created(&s).await?;
    w.commit().await?;
    Ok(s)
}

/// Who voted on what (never how, in a secret round).
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct CouncilVote {
    pub id: i64,
    pub session_id: i64,
    pub nomination_id: i64,
    #[schema(value_type = String)]
    pub org_path: OrgPath,
    pub member_id: i64,
    pub member_name: String,
    /// The written vote of an absent member, entered by the secretary.
    pub written: bool,
    /// In an open vote only; always null in a secret round.
    #[schema(value_type = Option<String>)]
    pub choice: Option<Choice>,
}
crate::from_row!(CouncilVote { id, session_id, nomination_id, org_path, member_id, member_name, written, choice });

const VOTE_SELECT: &str =
    "SELECT v.id, v.session_id, v.nomination_id, v.org_path, v.member_id, u.full_name AS member_name, v.written, v.choice FROM council_votes v JOIN users u ON u.id = v.member_id";

async fn load_vote(conn: &mut AnyConnection, id: i64) -> StoreResult<CouncilVote> {
    let row = sqlx::query(&format!("{VOTE_SELECT} WHERE v.id = $1")).bind(id).fetch_optional(conn).await?;
    CouncilVote::from_row(&row.ok_or(StoreError::NotFound)?)
}

crate::stored!(CouncilVote: CouncilVote at org_path, summary v => format!("{} đã biểu quyết{}", v.member_name, if v.written { " (phiếu bằng văn bản)" } else { "" }), load load_vote);

pub async fn votes_of(db: &Db, session_id: i64) -> StoreResult<Vec<CouncilVote>> {
    all(&sqlx::query(&format!("{VOTE_SELECT} WHERE v.session_id = $1 ORDER BY v.nomination_id, v.id")).bind(session_id).fetch_all(db.reader()).await?)
}

/// The roles of the round's council members, for recusal (one query).
async fn council_roles(conn: &mut AnyConnection, round_id: i64) -> StoreResult<Vec<(i64, Assignment)>> {
    let rows = sqlx::query(
        "SELECT r.user_id, r.role, r.org_id, o.path FROM role_assignments r JOIN orgs o ON o.id = r.org_id \
         WHERE r.user_id IN (SELECT user_id FROM council_members WHERE round_id = $1)",
    )
    .bind(round_id)
    .fetch_all(conn)
    .await?;
    rows.iter()
        .map(|r| {
            Ok((
                crate::db::col(r, "user_id")?,
                Assignment { role: crate::row::code::<Role>(r, "role")?, org_id: crate::db::col(r, "org_id")?, org_path: OrgPath(crate::db::col(r, "path")?) },
            ))
        })
        .collect()
}

/// Members recused from a nomination at `nominee_at` (domain rule).
fn recused_members(round: &Round, roles: &[(i64, Assignment)], nominee_at: &OrgPath) -> Vec<i64> {
    round
        .council
        .iter()
        .map(|m| m.user_id)
        .filter(|u| {
            let held: Vec<Assignment> = roles.iter().filter(|(who, _)| who == u).map(|(_, a)| a.clone()).collect();
            c::recused(&held, nominee_at, &round.org_path)
        })
        .collect()
}

async fn ballot_votes(conn: &mut AnyConnection, nomination_id: i64) -> StoreResult<Votes> {
    let rows = sqlx::query("SELECT choice, ballots, written FROM ballot_counts WHERE nomination_id = $1").bind(nomination_id).fetch_all(conn).await?;
    let mut v = Votes::default();
    for r in rows {
        let n: i64 = crate::db::col(&r, "ballots")?;
        match crate::row::code::<Choice>(&r, "choice")? {
            Choice::Agree => v.agree += n,
            Choice::Disagree => v.disagree += n,
            Choice::Abstain => v.abstain += n,
        }
        v.written += crate::db::col::<i64>(&r, "written")?;
    }
    Ok(v)
}

/// A vote on a nomination in an open session: `member` votes for themself
/// (`written` false) or the secretary enters an absent member's written
/// vote. Participation and ballot in one transaction.
pub async fn vote(db: &Db, actor: &Actor, session_id: i64, nomination_id: i64, member: i64, choice: Choice, written: bool) -> StoreResult<CouncilVote> {
    let mut w = db.write(actor).await?;
    let session: Session = w.load(session_id).await?;
    c::ensure_open(session.status).map_err(|r| refused(r, "session"))?;
    let round: Round = w.load(session.round_id).await?;
    let n: Nomination = w.load(nomination_id).await.not_found_as("nomination_id", "Không tìm thấy hồ sơ.")?;
    if n.round_id != round.id {
        return Err(StoreError::invalid("nomination_id", "not_found", "Không tìm thấy hồ sơ."));
    }
    if n.status != NominationStatus::Accepted {
        return Err(StoreError::invalid("nomination_id", "not_accepted", "Chỉ biểu quyết hồ sơ đã được thẩm định."));
    }
    if round.seat_of(member).is_none() {
        return Err(StoreError::invalid("member_id", "not_member", "Người này không là thành viên Hội đồng của đợt."));
    }
    c::check_quorum(&round.rules(), session.members, session.present).map_err(|r| refused(r, "session"))?;
    let roles = council_roles(w.conn(), round.id).await?;
    let is_recused = recused_members(&round, &roles, &n.org_path).contains(&member);
    let already = sqlx::query("SELECT id FROM council_votes WHERE nomination_id = $1 AND member_id = $2").bind(nomination_id).bind(member).fetch_optional(w.conn()).await?.is_some();
    let present = session.attendance.iter().any(|a| a.user_id == member && a.present);
    c::check_vote(is_recused, already, present, written).map_err(|r| refused(r, "member_id"))?;
    let open = round.ballot == BallotKind::Open;
    let id = w
        .insert(
            "council_votes",
            vals![
                ("session_id", session_id),
                ("nomination_id", nomination_id),
                ("org_path", n.org_path.as_str()),
                ("member_id", member),
                ("written", i64::from(written)),
                ("choice", open.then_some(choice.code())),
                ("entered_by", w.actor.user_id),
                ("at", stamp(&session.held_on)),
            ],
        )
        .await
        .map_err(|e| match e {
            StoreError::Db(ref d) if crate::error::is_unique_violation(d) => refused(c::check_vote(false, true, true, false).unwrap_err(), "member_id"),
            other => other,
        })?;
    // The ballot box: a count, never a row per ballot.
    let bumped = sqlx::query("UPDATE ballot_counts SET ballots = ballots + 1, written = written + $1 WHERE nomination_id = $2 AND choice = $3")
        .bind(i64::from(written))
        .bind(nomination_id)
        .bind(choice.code())
        .execute(w.conn())
        .await?;
    if bumped.rows_affected() == 0 {
        w.insert_plain(
            "ballot_counts",
            vals![("nomination_id", nomination_id), ("org_path", n.org_path.as_str()), ("choice", choice.code()), ("ballots", 1), ("written", i64::from(written))],
        )
        .await?;
    }
    let v: CouncilVote = w.load(id).await?;
    w.created(&v).await?;
    w.audit(audit::Entry {
        action: AuditAction::Create,
        kind: RecordKind::Ballot,
        id: None,
        org_path: Some(&n.org_path),
        summary: &format!("Một phiếu biểu quyết về hồ sơ {}", n.exemplar_name),
        before: None,
        after: None,
    })
    .await?;
    w.commit().await?;
    Ok(v)
}

/// A nomination's standing in a session: its tally and who is recused.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Standing {
    pub nomination: Nomination,
    /// The tally; in a secret round its counts stay sealed (zero) until the
    /// session closes, so that no one learns a vote by watching them change.
    pub tally: c::Tally,
    /// Ballots cast so far.
    pub ballots: i64,
    pub sealed: bool,
    /// Members recused from it.
    pub recused: Vec<i64>,
    /// Members who have voted on it.
    pub voted: Vec<i64>,
}

/// Every nomination a session votes on (accepted ones while open, those it
/// voted on once closed) with its tally.
pub async fn standings(db: &Db, session: &Session) -> StoreResult<Vec<Standing>> {
    let round = get_round(db, session.round_id).await?;
    let mut conn = db.reader().acquire().await?;
    let rows = match session.status {
        SessionStatus::Open => sqlx::query(&format!("{NOMINATION_SELECT} WHERE n.round_id = $1 AND n.status = $2 ORDER BY n.org_path, n.id"))
            .bind(round.id)
            .bind(NominationStatus::Accepted.code())
            .fetch_all(&mut *conn)
            .await?,
        SessionStatus::Closed => sqlx::query(&format!("{NOMINATION_SELECT} WHERE n.session_id = $1 ORDER BY n.org_path, n.id")).bind(session.id).fetch_all(&mut *conn).await?,
    };
    let nominations: Vec<Nomination> = all(&rows)?;
    let votes = votes_of(db, session.id).await?;
    let roles = council_roles(&mut conn, round.id).await?;
    let frozen = sqlx::query("SELECT nomination_id, user_id FROM session_recusals WHERE session_id = $1").bind(session.id).fetch_all(&mut *conn).await?;
    let mut out = vec![];
    for n in nominations {
        let recused: Vec<i64> = match session.status {
            SessionStatus::Open => recused_members(&round, &roles, &n.org_path),
            SessionStatus::Closed => frozen
                .iter()
                .filter(|r| crate::db::col::<i64>(r, "nomination_id").ok() == Some(n.id))
                .map(|r| crate::db::col(r, "user_id"))
                .collect::<StoreResult<_>>()?,
        };
        let counted = ballot_votes(&mut conn, n.id).await?;
        let sealed = round.ballot == BallotKind::Secret && session.status == SessionStatus::Open;
        let mut tally = c::tally(&round.rules(), session.members, session.present, recused.len() as i64, counted);
        if sealed {
            tally.votes = Votes::default();
            tally.passed = false;
        }
        let voted = votes.iter().filter(|v| v.nomination_id == n.id).map(|v| v.member_id).collect();
        out.push(Standing { nomination: n, tally, ballots: counted.cast(), sealed, recused, voted });
    }
    Ok(out)
}

/// The secretary closes the session: the quorum must be met; every
/// nomination voted on takes its result, the tally and recusals are frozen,
/// and nothing of the session changes after.
pub async fn close_session(db: &Db, actor: &Actor, session_id: i64, version: i64) -> StoreResult<Session> {
    let session = get_session(db, session_id).await?;
    c::ensure_open(session.status).map_err(|r| refused(r, "session"))?;
    let round = get_round(db, session.round_id).await?;
    c::check_quorum(&round.rules(), session.members, session.present).map_err(|r| refused(r, "session"))?;
    let standings = standings(db, &session).await?;
    let mut w = db.write(actor).await?;
    // The biên bản of the session is numbered by the register as it closes.
    let minutes = crate::register::issue_in(&mut w, round.org_id, DocType::BienBan, &c::minutes_subject(&round.form_name, round.year)).await?;
    w.update_versioned::<Session>(session_id, version, vals![("status", SessionStatus::Closed.code()), ("closed_at", stamp(&session.held_on)), ("minutes_number", minutes.symbol.as_str())]).await?;
    for s in &standings {
        // Read again inside the transaction: a vote cast meanwhile counts.
        let counted = ballot_votes(w.conn(), s.nomination.id).await?;
        let t = c::tally(&round.rules(), session.members, session.present, s.recused.len() as i64, counted);
        let before: Nomination = w.load(s.nomination.id).await?;
        let to = c::after_vote(t.passed);
        let frozen = vals![
            ("session_id", session_id),
            ("tally_base", t.base),
            ("tally_agree", t.votes.agree),
            ("tally_disagree", t.votes.disagree),
            ("tally_abstain", t.votes.abstain),
            ("tally_written", t.votes.written),
            ("tally_recused", t.recused),
            ("tally_needed", t.needed),
        ];
        for u in &s.recused {
            w.insert_plain("session_recusals", vals![("session_id", session_id), ("nomination_id", s.nomination.id), ("user_id", *u)]).await?;
        }
        // The vote is not a step anyone takes: recorded as the session's close.
        w.update_versioned::<Nomination>(before.id, before.version, {
            let mut v = vals![("status", to.code())];
            v.extend(frozen);
            v
        })
        .await?;
        let after: Nomination = w.load(before.id).await?;
        w.changed(AuditAction::Transition, Some(&before), &after, &format!("Kết quả bình xét: {} — {}", to.label(), after.exemplar_name)).await?;
    }
    let after: Session = w.load(session_id).await?;
    w.changed(AuditAction::Transition, Some(&session), &after, "Kết thúc phiên bình xét").await?;
    w.commit().await?;
    Ok(after)
}

// ------------------------------------------------------------------ outcome

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Outcome {
    pub id: i64,
    pub round_id: i64,
    pub org_id: i64,
    #[schema(value_type = String)]
    pub org_path: OrgPath,
    /// quyet_dinh or to_trinh
    #[schema(value_type = String)]
    pub kind: OutcomeKind,
    /// Số, ký hiệu (e.g. 15-QĐ/ĐUK).
    pub number: String,
    pub year: i64,
    pub issued_on: String,
    pub signer: String,
    pub note: String,
    pub actor: String,
}
crate::from_row!(Outcome { id, round_id, org_id, org_path, kind, number, year, issued_on, signer, note, actor });

const OUTCOME_SELECT: &str = "SELECT id, round_id, org_id, org_path, kind, number, year, issued_on, signer, note, actor FROM commendation_outcomes";

async fn load_outcome(conn: &mut AnyConnection, id: i64) -> StoreResult<Outcome> {
    let row = sqlx::query(&format!("{OUTCOME_SELECT} WHERE id = $1")).bind(id).fetch_optional(conn).await?;
    Outcome::from_row(&row.ok_or(StoreError::NotFound)?)
}

crate::stored!(Outcome: CommendationOutcome at org_path, summary o => format!("{} số {}", o.kind.label(), o.number), load load_outcome);

pub async fn outcomes_of(db: &Db, round_id: i64) -> StoreResult<Vec<Outcome>> {
    all(&sqlx::query(&format!("{OUTCOME_SELECT} WHERE round_id = $1 ORDER BY id")).bind(round_id).fetch_all(db.reader()).await?)
}

/// Records an approved commendation in the exemplar's history, as a step
/// with its decision, and raises its level where the form implies one.
async fn commend_exemplar_in(w: &mut Write<'_>, exemplar_id: i64, form: &str, form_level: Option<Level>, number: &str, date: &str) -> StoreResult<()> {
    let before: crate::exemplars::Exemplar = w.load(exemplar_id).await?;
    let level = c::level_after(before.level, form_level);
    w.update_versioned::<crate::exemplars::Exemplar>(exemplar_id, before.version, vals![("level", level.code())]).await?;
    w.insert_plain(
        "exemplar_steps",
        vals![
            ("exemplar_id", exemplar_id),
            ("step", Step::Commend.code()),
            ("from_status", before.status.code()),
            ("to_status", before.status.code()),
            ("from_level", before.level.code()),
            ("to_level", level.code()),
            ("reason", format!("Được khen thưởng: {form}.")),
            ("decision_no", number),
            ("decided_on", date),
            ("actor_id", w.actor.user_id),
            ("actor", w.actor.name.as_str()),
            ("at", now_ms()),
        ],
    )
    .await?;
    let after: crate::exemplars::Exemplar = w.load(exemplar_id).await?;
    w.changed(AuditAction::Transition, Some(&before), &after, &format!("{}: {}", Step::Commend.label(), after.name)).await?;
    Ok(())
}

/// The Ban Thường vụ's decision (a form within the bloc's authority) or its
/// proposal upward, carrying every nomination the council passed. Refused
/// before the vote; its number is issued by the register, or a number typed
/// from paper is recorded there (refused when the term has used it).
pub async fn conclude(db: &Db, actor: &Actor, who: &[Assignment], round_id: i64, i: &OutcomeInput) -> StoreResult<Outcome> {
    let v = i.validate(clock::today(), true)?;
    let mut w = db.write(actor).await?;
    let round: Round = w.load(round_id).await?;
    let kind = round.authority.outcome();
    let step = round.authority.outcome_step();
    let rows = sqlx::query(&format!("{NOMINATION_SELECT} WHERE n.round_id = $1 AND n.status IN ($2, $3, $4) ORDER BY n.org_path, n.id"))
        .bind(round_id)
        .bind(NominationStatus::Voted.code())
        .bind(NominationStatus::Accepted.code())
        .bind(NominationStatus::Submitted.code())
        .fetch_all(w.conn())
        .await?;
    let pending: Vec<Nomination> = all(&rows)?;
    let passed: Vec<&Nomination> = pending.iter().filter(|n| n.status == NominationStatus::Voted).collect();
    if passed.is_empty() || passed.len() != pending.len() {
        let r = c::next_status(step, NominationStatus::Accepted, round.authority).unwrap_err();
        return Err(refused(r, "step"));
    }
    // The number comes from the register of the round's organisation, in this write.
    let subject = kind.subject(&round.form_name, round.year);
    let number = crate::register::number_in(&mut w, round.org_id, kind.doc_type(), &v.number, &subject).await?;
    let id = w
        .insert(
            "commendation_outcomes",
            vals![
                ("round_id", round_id),
                ("org_id", round.org_id),
                ("org_path", round.org_path.as_str()),
                ("kind", kind.code()),
                ("number", number.symbol.as_str()),
                ("number_key", dienhinh_text::fold(&number.symbol)),
                ("number_id", number.id),
                ("year", v.year),
                ("issued_on", v.date.as_str()),
                ("signer", v.signer.as_str()),
                ("note", v.note.as_str()),
                ("actor", w.actor.name.as_str()),
                ("created_at", stamp(&v.date)),
            ],
        )
        .await?;
    for n in passed {
        let to = c::check_step(step, n.status, round.authority, who, &n.org_path, &round.org_path).map_err(|r| refused(r, "step"))?;
        record_step_in(&mut w, stamp(&v.date), n, step, to, vals![("outcome_id", id)], &[]).await?;
        if kind == OutcomeKind::Decision {
            commend_exemplar_in(&mut w, n.exemplar_id, &round.form_name, round.form_level, &number.symbol, &v.date).await?;
        }
    }
    let o: Outcome = w.load(id).await?;
    w.created(&o).await?;
    w.commit().await?;
    Ok(o)
}

/// The higher body's answer to a proposal: approved (with its decision,
/// which enters the exemplar's history) or not.
#[allow(clippy::too_many_arguments)]
pub async fn record_upward(
    db: &Db,
    actor: &Actor,
    who: &[Assignment],
    id: i64,
    version: i64,
    approved: bool,
    decision: &dienhinh_domain::exemplar::DecisionInput,
) -> StoreResult<Nomination> {
    let step = if approved { NominationStep::Approve } else { NominationStep::NotApprove };
    let d = decision.validate(if approved { Step::Commend } else { Step::Drop }, clock::today())?;
    let mut w = db.write(actor).await?;
    let before: Nomination = w.load(id).await?;
    if before.version != version {
        return Err(StoreError::Conflict { current: serde_json::to_value(&before).unwrap_or_default() });
    }
    let round: Round = w.load(before.round_id).await?;
    let to = c::check_step(step, before.status, round.authority, who, &before.org_path, &round.org_path).map_err(|r| refused(r, "step"))?;
    let after = record_step_in(&mut w, stamp(d.decided_on.as_deref().unwrap_or_default()), &before, step, to, vals![("upward_no", d.decision_no.as_deref()), ("upward_on", d.decided_on.as_deref())], &[]).await?;
    if approved {
        let (no, on) = (d.decision_no.unwrap_or_default(), d.decided_on.unwrap_or_default());
        commend_exemplar_in(&mut w, before.exemplar_id, &round.form_name, round.form_level, &no, &on).await?;
    }
    w.commit().await?;
    Ok(after)
}

/// For generated data only (`dienhinh gen`, like `bulk`: not audited): a
/// round of this year at the node `bloc`, its council the chair and the
/// secretary given, with up to `count` exemplars of the subtree nominated
/// (sent, waiting for screening). Returns the round's id.
pub async fn bulk_round(db: &Db, bloc: i64, path: &OrgPath, chair: i64, secretary: i64, count: i64) -> StoreResult<i64> {
    let year = clock::current_year();
    let now = clock::now_ms();
    let rules = VoteRules::default();
    let mut tx = db.begin().await?;
    let round: i64 = sqlx::query_scalar(
        "INSERT INTO commendation_rounds (org_id, org_path, year, form_id, deadline, elig_min_level, elig_evaluation_years, elig_years_as_exemplar, \
         elig_active, quorum_num, quorum_den, threshold_percent, threshold_rule, ballot, basis, created_at, updated_at) \
         VALUES ($1, $2, $3, (SELECT MIN(id) FROM commendation_forms), $4, 'co_so', 0, 0, 0, $5, $6, $7, $8, $9, $10, $11, $11) RETURNING id",
    )
    .bind(bloc)
    .bind(path.as_str())
    .bind(year)
    .bind(format!("{year}-12-31"))
    .bind(rules.quorum_num)
    .bind(rules.quorum_den)
    .bind(rules.threshold_percent)
    .bind(rules.threshold_rule.code())
    .bind(rules.ballot.code())
    .bind(rules.basis.as_str())
    .bind(now)
    .fetch_one(&mut *tx)
    .await?;
    for (pos, (user, role)) in [(chair, "chu_tich"), (secretary, "thu_ky")].into_iter().enumerate() {
        sqlx::query("INSERT INTO council_members (round_id, user_id, role, position) VALUES ($1, $2, $3, $4)")
            .bind(round).bind(user).bind(role).bind(pos as i64).execute(&mut *tx).await?;
    }
    sqlx::query(
        "INSERT INTO nominations (round_id, exemplar_id, org_id, org_path, status, report, created_at, updated_at) \
         SELECT $1, e.id, e.org_id, e.org_path, 'da_gui', e.achievements, $2, $2 FROM exemplars e \
         WHERE e.org_path >= $3 AND e.org_path < $4 ORDER BY e.id LIMIT $5",
    )
    .bind(round)
    .bind(now)
    .bind(path.as_str())
    .bind(path.subtree_upper_bound())
    .bind(count)
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(round)
}

/// Whom a new round's council is chosen among: the people of the node and
/// those who sat in a council of its earlier rounds (members come from the
/// units and mass organisations too), by name, with where they work.
pub async fn council_candidates(db: &Db, org_id: i64, org_path: &str) -> StoreResult<Vec<(i64, String, String)>> {
    let rows = sqlx::query(
        "SELECT id, full_name, org_path FROM users WHERE org_path = $1 OR id IN \
         (SELECT m.user_id FROM council_members m JOIN commendation_rounds r ON r.id = m.round_id WHERE r.org_id = $2) \
         ORDER BY sort_key, id LIMIT 300",
    )
    .bind(org_path)
    .bind(org_id)
    .fetch_all(db.reader())
    .await?;
    rows.iter().map(|r| Ok((crate::db::col(r, "id")?, crate::db::col(r, "full_name")?, crate::db::col(r, "org_path")?))).collect()
}
