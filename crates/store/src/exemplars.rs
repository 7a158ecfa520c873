//! Exemplars (điển hình): the records, their filters, and the steps of
//! their life, each step checked by `dienhinh_domain::exemplar::check`.

use dienhinh_domain::AuditAction;
use crate::db::{col, within_subtrees};
use crate::page::{limit, Listing, Page, Position, SortKey};
use crate::row::{all, select_list, FromRow};
use crate::search::SearchDoc;
use crate::write::Write;
use crate::{audit, now_ms, vals, Actor, Db, Found, StoreError, StoreResult};
use dienhinh_domain::exemplar::{self, ExemplarKind, Level, ListOrder, Stage, Status, Step, ValidExemplar};
use dienhinh_domain::counter::{ExemplarSelection, Metric};
use dienhinh_domain::{clock, Assignment, Invalid, OrgPath, RecordKind};
use dienhinh_text as text;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Named {
    pub id: i64,
    pub name: String,
}

crate::from_row!(Named { id, name });

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Exemplar {
    pub id: i64,
    pub org_id: i64,
    #[schema(value_type = String)]
    pub org_path: OrgPath,
    /// `ca_nhan` (individual) or `tap_the` (collective).
    #[schema(value_type = String)]
    pub kind: ExemplarKind,
    pub name: String,
    /// Position (chức vụ) of an individual.
    pub position: String,
    /// Unit (đơn vị) the exemplar works in.
    pub unit_name: String,
    /// Size of a collective.
    pub member_count: Option<i64>,
    pub achievements: String,
    /// The model, good practice or initiative (mô hình, cách làm hay, sáng kiến).
    pub model: String,
    pub year_found: i64,
    /// phat_hien, boi_duong, cong_nhan, nhan_rong, dung
    #[schema(value_type = String)]
    pub status: Status,
    /// co_so, khoi, tinh, toan_quoc
    #[schema(value_type = String)]
    pub level: Level,
    pub consent_publish: bool,
    pub fields: Vec<Named>,
    pub movements: Vec<Named>,
    /// The years it has an evaluation for, oldest first: read only where
    /// the write path counts the record (`Stored::load`, `fetch_counted`;
    /// eligibility too), empty elsewhere (with list rows it slowed their
    /// pages by a tenth on PostgreSQL); so not in the JSON either.
    #[serde(skip)]
    pub evaluated_years: Vec<i64>,
    pub created_at: i64,
    pub updated_at: i64,
    pub version: i64,
}

crate::from_row!(Exemplar {
    id, org_id, org_path, kind, name, position, unit_name, member_count, achievements, model, year_found,
    status, level, consent_publish, created_at, updated_at, version
}; fields = vec![], movements = vec![], evaluated_years = vec![]);

impl Exemplar {
    pub fn path(&self) -> &OrgPath {
        &self.org_path
    }
    pub fn stage(&self) -> Stage {
        Stage { status: self.status, level: self.level }
    }
    pub fn kind_label(&self) -> &'static str {
        self.kind.label()
    }
    pub fn status_label(&self) -> &'static str {
        self.status.label()
    }
    pub fn level_label(&self) -> &'static str {
        self.level.label()
    }
}

crate::stored!(Exemplar: Exemplar at org_path, summary r => r.name.clone(), load fetch_counted, search search_doc, tallies tallies);

fn tallies(e: &Exemplar) -> Vec<dienhinh_domain::counter::Tally> {
    use dienhinh_domain::counter;
    let mut t = vec![counter::exemplar(&e.org_path, e.kind, e.status, e.level, e.year_found)];
    t.extend(e.fields.iter().map(|f| counter::exemplar_field(&e.org_path, f.id, e.status, e.year_found)));
    t.extend(counter::recognised_evaluated(&e.org_path, e.status, &e.evaluated_years));
    t
}

pub use dienhinh_domain::exemplar::{DecisionInput, ExemplarInput, MIN_YEAR};

fn columns() -> String {
    select_list(Exemplar::COLUMNS, None)
}

/// The exemplar's entry in the search index. Public (for the portal) only
/// with consent and once recognised.
pub(crate) fn search_doc(e: &Exemplar) -> SearchDoc {
    SearchDoc {
        kind: RecordKind::Exemplar,
        record_id: e.id,
        link_id: None,
        org_path: e.org_path.as_str().to_string(),
        title: e.name.clone(),
        body: [e.position.as_str(), e.unit_name.as_str(), e.achievements.as_str(), e.model.as_str()].join("\n"),
        hidden_words: String::new(),
        year: Some(e.year_found),
        field: e.fields.first().map(|f| f.id.to_string()),
        public: exemplar::publishable(e.status, e.consent_publish),
    }
}

async fn load_links(exec: &mut sqlx::AnyConnection, e: &mut Exemplar) -> StoreResult<()> {
    load_links_many(exec, std::slice::from_mut(e)).await
}

/// Fields and movements of a page of exemplars: two queries for the page,
/// not two per row.
pub(crate) async fn load_links_many(exec: &mut sqlx::AnyConnection, items: &mut [Exemplar]) -> StoreResult<()> {
    if items.is_empty() {
        return Ok(());
    }
    let marks = crate::db::placeholders(items.len());
    let at: std::collections::HashMap<i64, usize> = items.iter().enumerate().map(|(i, e)| (e.id, i)).collect();
    // Fields and movements in one statement (one round trip less per list
    // page); the placeholders are bound once and read by both halves.
    let sql = format!(
        "SELECT 0 AS movement, x.exemplar_id, f.id, f.name, f.position AS pos FROM exemplar_fields x JOIN fields f ON f.id = x.field_id WHERE x.exemplar_id IN ({marks}) \
         UNION ALL SELECT 1 AS movement, x.exemplar_id, m.id, m.name, m.id AS pos FROM exemplar_movements x JOIN movements m ON m.id = x.movement_id WHERE x.exemplar_id IN ({marks}) \
         ORDER BY movement, pos, id"
    );
    let mut q = sqlx::query(&sql);
    for e in items.iter() {
        q = q.bind(e.id);
    }
    for r in q.fetch_all(&mut *exec).await? {
        let Some(&i) = at.get(&col::<i64>(&r, "exemplar_id")?) else { continue };
        let n = Named::from_row(&r)?;
        if col::<i64>(&r, "movement")? == 1 {
            items[i].movements.push(n);
        } else {
            items[i].fields.push(n);
        }
    }
    Ok(())
}

/// Up to `limit` exemplars with ids above `after_id`, in id order, with
/// their links (for rebuilding the search index batch by batch).
pub(crate) async fn batch_after(exec: &mut sqlx::AnyConnection, after_id: i64, limit: i64) -> StoreResult<Vec<Exemplar>> {
    let rows = sqlx::query(&format!("SELECT {} FROM exemplars WHERE id > $1 ORDER BY id LIMIT $2", columns()))
        .bind(after_id)
        .bind(limit)
        .fetch_all(&mut *exec)
        .await?;
    let mut items: Vec<Exemplar> = all(&rows)?;
    load_links_many(exec, &mut items).await?;
    Ok(items)
}

pub(crate) async fn fetch(exec: &mut sqlx::AnyConnection, id: i64) -> StoreResult<Exemplar> {
    let row = sqlx::query(&format!("SELECT {} FROM exemplars WHERE id = $1", columns()))
        .bind(id)
        .fetch_optional(&mut *exec)
        .await?
        .ok_or(StoreError::NotFound)?;
    let mut e = Exemplar::from_row(&row)?;
    load_links(exec, &mut e).await?;
    Ok(e)
}

/// The record as the write path counts it (`Stored::load`): with the years
/// it was evaluated for, which its tallies need.
pub(crate) async fn fetch_counted(exec: &mut sqlx::AnyConnection, id: i64) -> StoreResult<Exemplar> {
    let mut e = fetch(&mut *exec, id).await?;
    e.evaluated_years = crate::db::years_of(exec, "SELECT DISTINCT period_year AS year FROM evaluations WHERE exemplar_id = $1 ORDER BY period_year", id).await?;
    Ok(e)
}

pub async fn get(db: &Db, id: i64) -> StoreResult<Exemplar> {
    let mut conn = db.reader().acquire().await?;
    fetch(&mut conn, id).await
}

/// Existing exemplars of the same unit whose name matches, ignoring
/// diacritics, case and tone placement.
pub async fn possible_duplicates(db: &Db, org_id: i64, name: &str, except: Option<i64>) -> StoreResult<Vec<Named>> {
    let mut conn = db.reader().acquire().await?;
    duplicates_on(&mut conn, org_id, name, except).await
}

async fn duplicates_on(conn: &mut sqlx::AnyConnection, org_id: i64, name: &str, except: Option<i64>) -> StoreResult<Vec<Named>> {
    let rows = sqlx::query("SELECT id, name FROM exemplars WHERE org_id = $1 AND name_key = $2 AND id <> $3 ORDER BY id")
        .bind(org_id)
        .bind(text::fold(name))
        .bind(except.unwrap_or(-1))
        .fetch_all(conn)
        .await?;
    all(&rows)
}

/// What [`create_unless_duplicate`] did.
#[derive(Debug)]
pub enum NewExemplar {
    Created(Box<Exemplar>),
    /// Nothing was written: the unit already has exemplars of that name.
    PossibleDuplicates(Vec<Named>),
}

/// Creates the exemplar unless the unit already has one of the same name
/// (and `confirmed` is false). The check runs inside the write transaction,
/// after taking the unit's row lock on PostgreSQL (on SQLite writes share
/// one connection), so two identical creations at the same moment
/// serialise and the second sees the first.
pub async fn create_unless_duplicate_in(w: &mut Write<'_>, input: &ExemplarInput, confirmed: bool) -> StoreResult<NewExemplar> {
    if w.backend() == crate::db::Backend::Postgres {
        sqlx::query("SELECT id FROM orgs WHERE id = $1 FOR UPDATE").bind(input.org_id).fetch_optional(w.conn()).await?;
    }
    if !confirmed {
        let dups = duplicates_on(w.conn(), input.org_id, &input.name, None).await?;
        if !dups.is_empty() {
            return Ok(NewExemplar::PossibleDuplicates(dups));
        }
    }
    Ok(NewExemplar::Created(Box::new(create_in(w, input).await?)))
}

pub async fn create_unless_duplicate(db: &Db, actor: &Actor, input: &ExemplarInput, confirmed: bool) -> StoreResult<NewExemplar> {
    let mut w = db.write(actor).await?;
    let done = create_unless_duplicate_in(&mut w, input, confirmed).await?;
    if matches!(done, NewExemplar::Created(_)) {
        w.commit().await?;
    }
    Ok(done)
}

/// Every linked field exists, and every linked movement exists and binds
/// the exemplar's node `at` (it was launched at that node or above it: its
/// lineage); a movement of another branch is refused exactly as a missing
/// one, naming nothing (one query per list).
async fn check_links(w: &mut Write<'_>, v: &ValidExemplar, at: &str) -> StoreResult<()> {
    for (table, ids, field, msg) in [
        ("fields", &v.field_ids, "field_ids", "Lĩnh vực không tồn tại."),
        ("movements", &v.movement_ids, "movement_ids", "Phong trào không tồn tại."),
    ] {
        if ids.is_empty() {
            continue;
        }
        let n = ids.len();
        let sql = if table == "movements" {
            format!("SELECT COUNT(*) AS n FROM movements WHERE id IN ({}) AND substr(${}, 1, length(org_path)) = org_path", crate::db::placeholders(n), n + 1)
        } else {
            format!("SELECT COUNT(*) AS n FROM {table} WHERE id IN ({})", crate::db::placeholders(n))
        };
        let mut q = sqlx::query(&sql);
        for id in ids.iter() {
            q = q.bind(*id);
        }
        if table == "movements" {
            q = q.bind(at);
        }
        let found: i64 = col(&q.fetch_one(w.conn()).await?, "n")?;
        if found != ids.len() as i64 {
            return Err(StoreError::invalid(field, "not_found", msg));
        }
    }
    Ok(())
}

async fn write_links(w: &mut Write<'_>, id: i64, v: &ValidExemplar) -> StoreResult<()> {
    sqlx::query("DELETE FROM exemplar_fields WHERE exemplar_id = $1").bind(id).execute(w.conn()).await?;
    sqlx::query("DELETE FROM exemplar_movements WHERE exemplar_id = $1").bind(id).execute(w.conn()).await?;
    for f in &v.field_ids {
        w.insert_plain("exemplar_fields", vals![("exemplar_id", id), ("field_id", *f)]).await?;
    }
    for m in &v.movement_ids {
        w.insert_plain("exemplar_movements", vals![("exemplar_id", id), ("movement_id", *m)]).await?;
    }
    Ok(())
}

/// The columns an edit sets (creation sets the same and more).
fn edited_values(v: &ValidExemplar) -> crate::Values {
    vals![
        ("kind", v.kind.code()),
        ("name", v.name.as_str()),
        ("name_key", text::fold(&v.name)),
        ("sort_key", text::sort_key(&v.name)),
        ("position", v.position.as_str()),
        ("unit_name", v.unit_name.as_str()),
        ("member_count", v.member_count),
        ("achievements", v.achievements.as_str()),
        ("model", v.model.as_str()),
        ("year_found", v.year_found),
        ("consent_publish", v.consent_publish as i64),
    ]
}

pub async fn create_in(w: &mut Write<'_>, input: &ExemplarInput) -> StoreResult<Exemplar> {
    let v = input.validate(clock::current_year())?;
    let org = crate::orgs::fetch(w.conn(), v.org_id).await.not_found_as("org_id", "Không tìm thấy đơn vị.")?;
    check_links(w, &v, org.path.as_str()).await?;
    let now = now_ms();
    let mut values = vals![
        ("org_id", org.id),
        ("org_path", org.path.as_str()),
        ("status", Status::PhatHien.code()),
        ("level", Level::CoSo.code()),
        ("created_by", w.actor.user_id),
        ("created_at", now),
        ("updated_at", now),
    ];
    values.extend(edited_values(&v));
    let id = w.insert("exemplars", values).await?;
    write_links(w, id, &v).await?;
    let e: Exemplar = w.load(id).await?;
    w.created(&e).await?;
    Ok(e)
}

pub async fn create(db: &Db, actor: &Actor, input: ExemplarInput) -> StoreResult<Exemplar> {
    let mut w = db.write(actor).await?;
    let e = create_in(&mut w, &input).await?;
    w.commit().await?;
    Ok(e)
}

/// Edits the record (not its stage); refused with a conflict on a stale version.
pub async fn update_in(w: &mut Write<'_>, id: i64, version: i64, input: &ExemplarInput) -> StoreResult<Exemplar> {
    let v = input.validate(clock::current_year())?;
    let before: Exemplar = w.load(id).await?;
    check_links(w, &v, before.org_path.as_str()).await?;
    w.update_versioned::<Exemplar>(id, version, edited_values(&v)).await?;
    write_links(w, id, &v).await?;
    let after: Exemplar = w.load(id).await?;
    w.changed(AuditAction::Update, Some(&before), &after, &after.name).await?;
    Ok(after)
}

pub async fn update(db: &Db, actor: &Actor, id: i64, version: i64, input: ExemplarInput) -> StoreResult<Exemplar> {
    let mut w = db.write(actor).await?;
    let e = update_in(&mut w, id, version, &input).await?;
    w.commit().await?;
    Ok(e)
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct StepRecord {
    pub id: i64,
    #[schema(value_type = String)]
    pub step: Step,
    #[schema(value_type = String)]
    pub from_status: Status,
    #[schema(value_type = String)]
    pub to_status: Status,
    #[schema(value_type = String)]
    pub from_level: Level,
    #[schema(value_type = String)]
    pub to_level: Level,
    pub reason: String,
    /// Number and symbol of the decision the step records (e.g. `22-NQ/ĐU`).
    pub decision_no: Option<String>,
    /// Date of that decision, `YYYY-MM-DD` (`at` is when it was entered).
    pub decided_on: Option<String>,
    pub actor: String,
    pub at: i64,
}

crate::from_row!(StepRecord { id, step, from_status, to_status, from_level, to_level, reason, decision_no, decided_on, actor, at });

impl StepRecord {
    /// The decision, as it reads after "Văn bản": `số 22-NQ/ĐU ngày 28/11/2026` (empty when none).
    pub fn decision(&self) -> String {
        exemplar::decision_text(self.decision_no.as_deref(), self.decided_on.as_deref())
    }
}

/// Takes a step of the exemplar's life. Refused (as `Invalid` with the
/// domain's reason) when illegal or not the caller's to take, and with a
/// conflict when someone else changed the exemplar since `version`.
pub async fn take_step_in(w: &mut Write<'_>, who: &[Assignment], id: i64, version: i64, step: Step, reason: &str, decision: &DecisionInput) -> StoreResult<Exemplar> {
    let reason = text::normalize(reason);
    let before: Exemplar = w.load(id).await?;
    if before.version != version {
        return Err(StoreError::Conflict { current: serde_json::to_value(&before).unwrap_or_default() });
    }
    let from = before.stage();
    let to = exemplar::check(step, from, who, &before.org_path, &reason).map_err(|r| StoreError::invalid("step", r.code, r.message))?;
    if reason.chars().count() > 5000 {
        return Err(StoreError::invalid("reason", "too_long", "Lý do dài quá 5000 ký tự."));
    }
    let decision = decision.validate(step, dienhinh_domain::clock::today())?;
    w.update_versioned::<Exemplar>(id, version, vals![("status", to.status.code()), ("level", to.level.code())]).await?;
    w.insert_plain(
        "exemplar_steps",
        vals![
            ("exemplar_id", id),
            ("step", step.code()),
            ("from_status", from.status.code()),
            ("to_status", to.status.code()),
            ("from_level", from.level.code()),
            ("to_level", to.level.code()),
            ("reason", reason.as_str()),
            ("decision_no", decision.decision_no.as_deref()),
            ("decided_on", decision.decided_on.as_deref()),
            ("actor_id", w.actor.user_id),
            ("actor", w.actor.name.as_str()),
            ("at", now_ms()),
        ],
    )
    .await?;
    let after: Exemplar = w.load(id).await?;
    w.changed(AuditAction::Transition, Some(&before), &after, &format!("{}: {}", step.label(), after.name)).await?;
    Ok(after)
}

#[allow(clippy::too_many_arguments)]
pub async fn take_step(db: &Db, actor: &Actor, who: &[Assignment], id: i64, version: i64, step: Step, reason: &str, decision: &DecisionInput) -> StoreResult<Exemplar> {
    let mut w = db.write(actor).await?;
    let e = take_step_in(&mut w, who, id, version, step, reason, decision).await?;
    w.commit().await?;
    Ok(e)
}

pub async fn steps(db: &Db, id: i64) -> StoreResult<Vec<StepRecord>> {
    let rows = sqlx::query("SELECT s.id, s.step, s.from_status, s.to_status, s.from_level, s.to_level, s.reason, s.decision_no, s.decided_on, COALESCE(u.full_name, s.actor) AS actor, s.at \
         FROM exemplar_steps s LEFT JOIN users u ON u.id = s.actor_id WHERE s.exemplar_id = $1 ORDER BY s.id")
        .bind(id)
        .fetch_all(db.reader())
        .await?;
    all(&rows)
}

#[derive(Debug, Clone, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ExemplarFilter {
    /// Subtrees the caller may see (set by the server; empty sees nothing).
    #[serde(skip)]
    #[param(ignore)]
    pub within: Vec<OrgPath>,
    /// Restrict to one node's subtree (inside the caller's scope).
    pub org_id: Option<i64>,
    pub kind: Option<String>,
    pub field_id: Option<i64>,
    pub movement_id: Option<i64>,
    pub status: Option<String>,
    pub level: Option<String>,
    pub year: Option<i64>,
    /// Found in this year or later (a period's figures open the list with it).
    pub year_from: Option<i64>,
    /// Found in this year or earlier.
    pub year_to: Option<i64>,
    /// Text in the name (diacritics and case ignored).
    pub q: Option<String>,
    /// Only those with an open fostering item overdue or due within 30 days.
    pub fostering_due: Option<bool>,
    /// Only recognised ones (recognised or spreading) with no evaluation for this year.
    pub evaluation_due: Option<bool>,
    /// The order (a code; absent: newest first).
    pub sort: Option<String>,
    /// The page before this cursor (a page's `prev`), instead of `cursor`.
    pub before: Option<String>,
    /// Only those shown on the public portal (`exemplar::publishable`; set by the server).
    #[serde(skip)]
    #[param(ignore)]
    pub public_only: bool,
    pub cursor: Option<String>,
    pub limit: Option<i64>,
}

/// What an order of the list sorts on.
fn sort_key(order: ListOrder) -> SortKey {
    match order {
        ListOrder::Newest => SortKey::id(true),
        ListOrder::Name => SortKey::column("sort_key", false, false),
        ListOrder::Year => SortKey::column("year_found", true, true),
        ListOrder::Stage => SortKey::rank::<Status>("status"),
    }
}

/// A page of the exemplars `f` selects (its cursor aside) in `order` at
/// `at`, with the capped count.
pub async fn listing(db: &Db, f: &ExemplarFilter, order: ListOrder, at: Position<'_>) -> StoreResult<Listing<Exemplar>> {
    use sea_query::Alias;
    // Once for the page: for a province or the country it is a statement.
    let within = crate::orgs::as_queried(db, &f.within).await?;
    let selection = counter_selection(f);
    // SQLite, the whole tree filtered: the count decides how its page is
    // found, whether the page shows it or not (the API's uncounted list too).
    let may_walk = db.backend == crate::db::Backend::Sqlite && within.iter().any(OrgPath::is_whole_tree) && selection.is_some_and(|s| s != ExemplarSelection::default());
    let selected = match &selection {
        Some(s) if at.count || may_walk => Some(count_selected(db, &within, s).await?),
        _ => None,
    };
    let filters = match selected {
        Some(n) if may_walk && walks_to_matches(n, count_selected(db, &within, &ExemplarSelection::default()).await?, at.limit) => Filters::Tested,
        _ => Filters::Indexed,
    };
    let counted = selected.filter(|_| at.count);
    let Some(base) = filtered(db, f, &within, within_subtrees, filters).await? else {
        return Ok(Listing::empty());
    };
    // Newest first reads the scope index (org_path, id) as it always has.
    let wide = if order == ListOrder::Newest { None } else { filtered(db, f, &within, crate::db::within_subtrees_scanned, filters).await? };
    let columns = |q: &mut sea_query::SelectStatement| {
        q.columns(Exemplar::COLUMNS.iter().copied().map(Alias::new));
    };
    let rows = crate::page::Rows { table: "exemplars", base, wide, counted };
    let mut page = crate::page::listing(db, rows, columns, sort_key(order), at, Exemplar::from_row).await?;
    load_links_many(&mut *db.reader().acquire().await?, &mut page.items).await?;
    Ok(page)
}

/// How a list's statement writes its filters of kind, status, level and year.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Filters {
    /// As they are, for the planner to read through an index of theirs.
    Indexed,
    /// In a form no index holds: the rows are found by walking the scope's
    /// (or the order's) index and testing each.
    Tested,
}

/// Whether a page of `limit` rows of the whole tree is found sooner by
/// walking the order's index and testing each row against filters that
/// keep `selected` of its `all` rows (about `limit × all / selected` rows
/// read) than by reading every match from a filter's index and sorting them
/// (`selected`), for a selection past `page::WIDE` (a smaller one is sorted
/// whatever its form). SQLite alone is given the choice: knowing rows per
/// index value only (STAT1), it read the status index for the whole
/// country's list of one status and sorted 150,000 matches to show 30
/// (p99 140 ms; kind and level 322 ms). PostgreSQL's statistics make the
/// same choice in its planner. Never for a subtree: the order's index
/// holds the rest of the tree too (a province's rows, written together,
/// lay past 980,000 others on the walk: p99 1 s), and the filters'
/// indexes hold the scope.
fn walks_to_matches(selected: i64, all: i64, limit: i64) -> bool {
    // Reading a row to test it costs about four index entries read in order.
    selected > crate::page::WIDE && selected.saturating_mul(selected) >= all.saturating_mul(limit.saturating_add(1)).saturating_mul(4)
}

/// The selection the node counters can count for `f`, when every filter it
/// sets is one they key on (`counter::ExemplarSelection`) and no unit is
/// picked: a province's list counted 10,001 index entries on every page
/// (1.4 to 2.1 ms of its page's 4.5 ms of statements on PostgreSQL).
/// `None` when the rows must be counted.
fn counter_selection(f: &ExemplarFilter) -> Option<ExemplarSelection<'_>> {
    let keyed = f.org_id.is_none()
        && f.field_id.is_none()
        && f.movement_id.is_none()
        && f.fostering_due != Some(true)
        && f.evaluation_due != Some(true)
        && !f.public_only
        && crate::db::folded_contains(f.q.as_deref(), &["name_key"]).is_none();
    if !keyed || f.within.is_empty() {
        return None;
    }
    // As `filtered` reads them: an empty code is no filter, and a year
    // narrows the range of years.
    fn code(v: &Option<String>) -> Option<&str> {
        v.as_deref().filter(|v| !v.is_empty())
    }
    let latest = |a: Option<i64>, b: Option<i64>| a.into_iter().chain(b).max();
    let earliest = |a: Option<i64>, b: Option<i64>| a.into_iter().chain(b).min();
    Some(ExemplarSelection {
        kind: code(&f.kind),
        status: code(&f.status),
        level: code(&f.level),
        from_year: latest(f.year, f.year_from),
        to_year: earliest(f.year, f.year_to),
    })
}

/// How many exemplars of the subtrees `within` (as queried) `selection`
/// holds, from the node counters: one sum in SQL.
async fn count_selected(db: &Db, within: &[OrgPath], selection: &ExemplarSelection<'_>) -> StoreResult<i64> {
    let Some(pattern) = selection.key_pattern() else { return Ok(0) };
    let roots = crate::figures::counter_roots(within);
    crate::counters::sum_like(&mut *db.reader().acquire().await?, &roots, Metric::Exemplars, &pattern, selection.from_year, selection.to_year).await
}

/// An exemplar (a row of `exemplars`) with an open fostering item overdue
/// or due soon (`fostering::due_soon_until`): the list filter and the
/// figure are this one condition.
pub(crate) fn fostering_due() -> sea_query::SimpleExpr {
    use dienhinh_domain::fostering::{due_soon_until, FosteringStatus};
    use sea_query::{Alias, Expr, Query};
    let t = |c: &str| Expr::col((Alias::new("fostering_items"), Alias::new(c)));
    Expr::exists(
        Query::select()
            .expr(Expr::val(1))
            .from(Alias::new("fostering_items"))
            .and_where(t("exemplar_id").equals((Alias::new("exemplars"), Alias::new("id"))))
            .and_where(t("status").eq(FosteringStatus::DangThucHien.code()))
            .and_where(t("due_on").is_not_null())
            .and_where(t("due_on").lte(due_soon_until(dienhinh_domain::clock::today())))
            .to_owned(),
    )
}

/// A recognised exemplar (recognised or spreading) with no evaluation for
/// `year`: its evaluation is due.
pub(crate) fn evaluation_due(year: i64) -> sea_query::SimpleExpr {
    use sea_query::{Alias, Expr, Query};
    let evaluated = Query::select()
        .expr(Expr::val(1))
        .from(Alias::new("evaluations"))
        .and_where(Expr::col((Alias::new("evaluations"), Alias::new("exemplar_id"))).equals((Alias::new("exemplars"), Alias::new("id"))))
        .and_where(Expr::col((Alias::new("evaluations"), Alias::new("period_year"))).eq(year))
        // `LIMIT 1 OFFSET 0` keeps PostgreSQL from planning the NOT EXISTS
        // as an anti-join: as one, it expected no evaluation of the current
        // year and read the year's rows from an index not led by the year
        // (the whole index, 57 ms for the country's home); as a subplan it
        // probes `evaluations_exemplar` once per exemplar read and stops
        // with the capped count (2.5 ms). The same on SQLite either way.
        .limit(1)
        .offset(0)
        .to_owned();
    Expr::col((Alias::new("exemplars"), Alias::new("status")))
        .is_in(Status::ALL.iter().filter(|s| s.is_recognised()).map(|s| s.code()))
        .and(Expr::exists(evaluated).not())
}

/// The exemplars `f` selects (scope and filters; no cursor, order or
/// columns) inside `within`, `f.within` as queried; `None` when it selects
/// nothing.
async fn filtered(db: &Db, f: &ExemplarFilter, within: &[OrgPath], scope: fn(&str, &[OrgPath]) -> sea_query::Condition, filters: Filters) -> StoreResult<Option<sea_query::SelectStatement>> {
    use sea_query::{Alias, BinOper, Expr, Query};
    if f.within.is_empty() {
        return Ok(None);
    }
    // A filter column, `Filters::Tested` in a form no index holds.
    let c = |n: &str| match (filters, n) {
        (Filters::Indexed, _) => Expr::col(Alias::new(n)),
        (Filters::Tested, "year_found") => Expr::expr(Expr::col(Alias::new(n)).binary(BinOper::Add, Expr::cust("0"))),
        (Filters::Tested, _) => Expr::expr(Expr::col(Alias::new(n)).binary(BinOper::Custom("||"), Expr::cust("''"))),
    };
    let mut q = Query::select();
    q.from(Alias::new("exemplars"));
    // A caller who sees every province gets no range (`orgs::as_queried`):
    // the newest rows are read by primary key, first page or 2,000 rows
    // deep, instead of every row of the subtree range being sorted by id.
    q.cond_where(scope("org_path", within));
    if let Some(org_id) = f.org_id {
        if let Ok(org) = crate::orgs::get(db, org_id).await {
            q.cond_where(scope("org_path", &[org.org_path()]));
        } else {
            return Ok(None);
        }
    }
    for (column, value) in [("kind", &f.kind), ("status", &f.status), ("level", &f.level)] {
        if let Some(v) = value.as_deref().filter(|v| !v.is_empty()) {
            q.and_where(c(column).eq(v));
        }
    }
    if let Some(y) = f.year {
        q.and_where(c("year_found").eq(y));
    }
    if let Some(y) = f.year_from {
        q.and_where(c("year_found").gte(y));
    }
    if let Some(y) = f.year_to {
        q.and_where(c("year_found").lte(y));
    }
    if let Some(words) = crate::db::folded_contains(f.q.as_deref(), &["name_key"]) {
        q.cond_where(words);
    }
    for (table, column, value) in [("exemplar_fields", "field_id", f.field_id), ("exemplar_movements", "movement_id", f.movement_id)] {
        if let Some(v) = value {
            // EXISTS, not `id IN (…)`: with IN, SQLite drove the query from
            // every exemplar of the field and looked each up (29 ms at
            // province scale); EXISTS keeps the scope/status/year index in
            // front and probes the link's primary key per row (0.5 ms).
            let sub = Query::select()
                .expr(Expr::val(1))
                .from(Alias::new(table))
                .and_where(Expr::col((Alias::new(table), Alias::new("exemplar_id"))).equals((Alias::new("exemplars"), Alias::new("id"))))
                .and_where(Expr::col((Alias::new(table), Alias::new(column))).eq(v))
                .to_owned();
            q.and_where(Expr::exists(sub));
        }
    }
    if f.fostering_due == Some(true) {
        q.and_where(fostering_due());
    }
    if f.evaluation_due == Some(true) {
        q.and_where(evaluation_due(clock::current_year()));
    }
    if f.public_only {
        q.and_where(public_condition(None));
    }
    Ok(Some(q))
}

/// The SQL twin of `exemplar::publishable`: consent given and a status it
/// allows (the statuses are taken from the rule, not restated). Written
/// with literal values, exactly as the partial indexes of migration 20
/// state it (`PUBLIC_INDEXED`): a planner uses a partial index only for a
/// query whose condition implies the index's, which SQLite and a generic
/// PostgreSQL plan cannot see through bound values.
pub(crate) fn public_condition(table: Option<&str>) -> sea_query::SimpleExpr {
    sea_query::Expr::cust(format!("({})", public_predicate(table)))
}

pub(crate) fn public_predicate(table: Option<&str>) -> String {
    let p = table.map(|t| format!("{t}.")).unwrap_or_default();
    format!("{p}consent_publish = 1 AND {p}status IN ({})", public_statuses())
}

/// `'cong_nhan', 'nhan_rong'`: the statuses `exemplar::publishable` allows, as SQL literals.
fn public_statuses() -> String {
    let statuses: Vec<String> = Status::ALL.iter().filter(|s| exemplar::publishable(**s, true)).map(|s| format!("'{}'", s.code())).collect();
    statuses.join(", ")
}

/// The migration that indexes the public exemplars (its condition must be
/// [`public_condition`]'s, word for word; a test holds them together).
#[cfg(test)]
const PUBLIC_INDEXED: &str = include_str!("../migrations/0020_public_exemplars.sql");

/// Newest first, keyset-paged on id, uncounted.
pub async fn list(db: &Db, f: &ExemplarFilter) -> StoreResult<Page<Exemplar>> {
    Ok(listing(db, f, ListOrder::Newest, Position::after(f.cursor.as_deref(), limit(f.limit))).await?.page())
}

pub async fn fields(db: &Db) -> StoreResult<Vec<Named>> {
    let rows = sqlx::query("SELECT id, name FROM fields WHERE active = 1 ORDER BY position").fetch_all(db.reader()).await?;
    all(&rows)
}

/// Adds a field (lĩnh vực) to the bloc's list.
pub async fn create_field(db: &Db, actor: &Actor, name: &str) -> StoreResult<Named> {
    let name = text::normalize_line(name);
    let mut inv = Invalid::new();
    inv.required("name", "tên lĩnh vực", &name, 200);
    inv.into_result()?;
    let code = text::fold(&name).replace(' ', "_");
    let mut w = db.write(actor).await?;
    let position: i64 = col(&sqlx::query("SELECT COALESCE(MAX(position), 0) + 1 AS p FROM fields").fetch_one(w.conn()).await?, "p")?;
    let id = match w.insert("fields", vals![("code", code.as_str()), ("name", name.as_str()), ("position", position)]).await {
        Err(StoreError::Db(e)) if crate::error::is_unique_violation(&e) => return Err(StoreError::invalid("name", "taken", "Lĩnh vực này đã có.")),
        other => other?,
    };
    let field = Named { id, name };
    catalogue_audit(&mut w, RecordKind::Field, None, &field).await?;
    w.commit().await?;
    Ok(field)
}

pub async fn field_ids_by_code(db: &Db) -> StoreResult<std::collections::HashMap<String, i64>> {
    let rows = sqlx::query("SELECT id, code FROM fields").fetch_all(db.reader()).await?;
    rows.iter().map(|r| Ok((col(r, "code")?, col(r, "id")?))).collect()
}

/// Movements launched at a node or above it (those its exemplars can join):
/// the root's first, each node's newest first.
pub async fn movements_for(db: &Db, org_path: &OrgPath) -> StoreResult<Vec<Named>> {
    let lineage = org_path.lineage();
    if lineage.is_empty() {
        return Ok(vec![]);
    }
    let sql = format!("SELECT id, name, org_path FROM movements WHERE org_path IN ({}) ORDER BY year_from DESC, id", crate::db::placeholders(lineage.len()));
    let mut q = sqlx::query(&sql);
    for p in &lineage {
        q = q.bind(p.as_str());
    }
    let mut rows = q.fetch_all(db.reader()).await?;
    rows.sort_by_cached_key(|r| col::<String>(r, "org_path").map(|p| p.len()).unwrap_or(0)); // stable: keeps the order within a node
    rows.iter().map(|r| Ok(Named { id: col(r, "id")?, name: col(r, "name")? })).collect()
}

pub async fn create_movement(db: &Db, actor: &Actor, org_id: i64, name: &str, launched_by: &str, years: (i64, Option<i64>)) -> StoreResult<Named> {
    let name = text::normalize_line(name);
    let mut inv = Invalid::new();
    inv.required("name", "tên phong trào", &name, 300);
    inv.max_len("launched_by", "Cơ quan phát động", launched_by, 300);
    if !(2000..=clock::current_year() + 5).contains(&years.0) || years.1.is_some_and(|to| to < years.0) {
        inv.add("year_from", "out_of_range", "Năm bắt đầu, kết thúc của phong trào không hợp lệ.");
    }
    inv.into_result()?;
    let mut w = db.write(actor).await?;
    let org = crate::orgs::fetch(w.conn(), org_id).await?;
    let now = now_ms();
    let id = w
        .insert(
            "movements",
            vals![
                ("org_id", org.id),
                ("org_path", org.path.as_str()),
                ("name", name.as_str()),
                ("launched_by", text::normalize_line(launched_by)),
                ("year_from", years.0),
                ("year_to", years.1),
                ("created_at", now),
                ("updated_at", now),
            ],
        )
        .await?;
    let movement = Named { id, name };
    catalogue_audit(&mut w, RecordKind::Movement, Some(&org.path), &movement).await?;
    w.commit().await?;
    Ok(movement)
}

/// The audit entry of a new catalogue entry (a field or a movement).
async fn catalogue_audit(w: &mut Write<'_>, kind: RecordKind, at: Option<&OrgPath>, n: &Named) -> StoreResult<()> {
    w.audit(audit::Entry { action: AuditAction::Create, kind, id: Some(n.id), org_path: at, summary: &n.name, before: None, after: serde_json::to_value(n).ok() }).await
}

/// The names of the exemplars among `ids` that exist, in id order (one query).
pub async fn named(db: &Db, ids: &[i64]) -> StoreResult<Vec<Named>> {
    if ids.is_empty() {
        return Ok(vec![]);
    }
    let sql = format!("SELECT id, name FROM exemplars WHERE id IN ({}) ORDER BY id", crate::db::placeholders(ids.len()));
    let mut q = sqlx::query(&sql);
    for id in ids {
        q = q.bind(*id);
    }
    all(&q.fetch_all(db.reader()).await?)
}

/// Every exemplar a record names (a story, a propaganda item) exists; the
/// caller passes ids it may not see as `access::UNSEEN`, so they are refused
/// exactly as missing ones.
pub(crate) async fn all_exist(w: &mut crate::write::Write<'_>, ids: &[i64]) -> StoreResult<()> {
    if ids.is_empty() {
        return Ok(());
    }
    let sql = format!("SELECT id FROM exemplars WHERE id IN ({})", crate::db::placeholders(ids.len()));
    let mut q = sqlx::query_scalar::<_, i64>(&sql);
    for id in ids {
        q = q.bind(*id);
    }
    if q.fetch_all(w.conn()).await?.len() != ids.len() {
        return Err(crate::StoreError::invalid("exemplar_ids", "not_found", "Không tìm thấy điển hình đã chọn; hãy chọn lại."));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_page_walks_to_its_matches_when_they_are_many_and_dense() {
        // The whole country (1,000,000) and one status of it: walked.
        assert!(super::walks_to_matches(150_000, 1_000_000, 30));
        // A smaller tree (16,000) and one status of it (2,400): walked.
        assert!(super::walks_to_matches(2_400, 16_000, 30));
        // A rare selection of the country: its index, then sorted.
        assert!(!super::walks_to_matches(5_000, 1_000_000, 30));
        // At most page::WIDE rows are sorted whatever their share.
        assert!(!super::walks_to_matches(1_500, 1_600, 30));
        // No overflow at any size.
        assert!(super::walks_to_matches(i64::MAX, i64::MAX, i64::MAX));
    }

    #[test]
    fn the_public_indexes_state_the_public_condition() {
        assert_eq!(super::public_predicate(None), "consent_publish = 1 AND status IN ('cong_nhan', 'nhan_rong')");
        assert_eq!(super::public_predicate(Some("e")), "e.consent_publish = 1 AND e.status IN ('cong_nhan', 'nhan_rong')");
        // The index holds the rows of the public statuses, keyed by consent.
        let statement = format!("CREATE INDEX exemplars_public ON exemplars (consent_publish, id) WHERE status IN ({});", super::public_statuses());
        assert!(super::PUBLIC_INDEXED.lines().any(|l| l == statement), "{statement}");
        for index in super::PUBLIC_INDEXED.lines().filter(|l| l.starts_with("CREATE")) {
            assert!(index.contains(&format!("WHERE status IN ({})", super::public_statuses())), "{index}");
        }
    }
}
