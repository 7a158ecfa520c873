//! The spread (sức lan tỏa) of an exemplar: units that adopted its model
//! (nhân rộng) and study visits to it (tham quan học tập, plan II.6). The
//! rules are `dienhinh_domain::spread`.

use dienhinh_domain::AuditAction;
use crate::exemplars::Exemplar;
use crate::row::{all, select_list, FromRow};
use crate::write::Write;
use crate::{now_ms, vals, Actor, Db, Found, StoreError, StoreResult};
use dienhinh_domain::spread::How;
pub use dienhinh_domain::spread::{ReplicationInput, StudyVisitInput};
use dienhinh_domain::OrgPath;
use serde::Serialize;
use sqlx::AnyConnection;

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Replication {
    pub id: i64,
    pub exemplar_id: i64,
    #[serde(skip)]
    pub org_path: OrgPath,
    pub adopter_org_id: i64,
    pub adopter_name: String,
    pub adopted_on: String,
    /// tham_quan, tuyen_truyen, hoi_nghi, huong_dan, khac
    #[schema(value_type = String)]
    pub how: How,
    pub note: String,
}

crate::from_row!(Replication { id, exemplar_id, org_path, adopter_org_id, adopter_name, adopted_on, how, note });
crate::row::coded_cols!(How);

const SELECT_REPLICATIONS: &str = "FROM replications r JOIN orgs o ON o.id = r.adopter_org_id";

fn replication_select() -> String {
    // adopter_name comes from the join; every other column is the row's own.
    let cols = select_list(Replication::COLUMNS, Some("r")).replace("r.adopter_name", "o.name AS adopter_name");
    format!("SELECT {cols} {SELECT_REPLICATIONS}")
}

async fn load_replication(conn: &mut AnyConnection, id: i64) -> StoreResult<Replication> {
    let row = sqlx::query(&format!("{} WHERE r.id = $1", replication_select())).bind(id).fetch_optional(conn).await?;
    Replication::from_row(&row.ok_or(StoreError::NotFound)?)
}

crate::stored!(Replication: Replication at org_path, summary r => format!("{} học tập điển hình #{}", r.adopter_name, r.exemplar_id), load load_replication, tallies replication_tallies);

fn replication_tallies(r: &Replication) -> Vec<dienhinh_domain::counter::Tally> {
    vec![dienhinh_domain::counter::replication(&r.org_path, &r.adopted_on)]
}

/// Records that a unit adopted the exemplar's model, in `w`.
pub async fn add_replication_in(w: &mut Write<'_>, exemplar_id: i64, i: &ReplicationInput) -> StoreResult<Replication> {
    let v = i.validate()?;
    let exemplar: Exemplar = w.load(exemplar_id).await?;
    let adopter = crate::orgs::fetch(w.conn(), v.adopter_org_id).await.not_found_as("adopter_org_id", "Vui lòng chọn đơn vị học tập, nhân rộng.")?;
    dienhinh_domain::spread::check_adopter(adopter.id, exemplar.org_id)?;
    let id = w
        .insert(
            "replications",
            vals![
                ("exemplar_id", exemplar.id),
                ("org_path", exemplar.org_path.as_str()),
                ("adopter_org_id", adopter.id),
                ("adopter_org_path", adopter.path.as_str()),
                ("adopted_on", v.adopted_on.as_str()),
                ("how", v.how.code()),
                ("note", v.note.as_str()),
                ("created_by", w.actor.user_id),
                ("created_at", now_ms()),
            ],
        )
        .await?;
    let r: Replication = w.load(id).await?;
    w.changed(AuditAction::Create, None, &r, &format!("{} học tập {}", r.adopter_name, exemplar.name)).await?;
    Ok(r)
}

pub async fn add_replication(db: &Db, actor: &Actor, exemplar_id: i64, i: ReplicationInput) -> StoreResult<Replication> {
    let mut w = db.write(actor).await?;
    let r = add_replication_in(&mut w, exemplar_id, &i).await?;
    w.commit().await?;
    Ok(r)
}

pub async fn replications(db: &Db, exemplar_id: i64) -> StoreResult<Vec<Replication>> {
    let rows = sqlx::query(&format!("{} WHERE r.exemplar_id = $1 ORDER BY r.adopted_on, r.id", replication_select()))
        .bind(exemplar_id)
        .fetch_all(db.reader())
        .await?;
    all(&rows)
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct StudyVisit {
    pub id: i64,
    pub exemplar_id: i64,
    #[serde(skip)]
    pub org_path: OrgPath,
    pub visited_on: String,
    pub visiting_units: String,
    pub participants: i64,
    pub lessons: String,
}

crate::from_row!(StudyVisit { id, exemplar_id, org_path, visited_on, visiting_units, participants, lessons });

async fn load_study_visit(conn: &mut AnyConnection, id: i64) -> StoreResult<StudyVisit> {
    let row = sqlx::query(&format!("SELECT {} FROM study_visits WHERE id = $1", select_list(StudyVisit::COLUMNS, None))).bind(id).fetch_optional(conn).await?;
    StudyVisit::from_row(&row.ok_or(StoreError::NotFound)?)
}

crate::stored!(StudyVisit: StudyVisit at org_path, summary r => format!("Tham quan điển hình #{}", r.exemplar_id), load load_study_visit, tallies visit_tallies);

fn visit_tallies(v: &StudyVisit) -> Vec<dienhinh_domain::counter::Tally> {
    vec![dienhinh_domain::counter::study_visit(&v.org_path, &v.visited_on)]
}

/// Records a study visit to the exemplar, in `w`.
pub async fn add_visit_in(w: &mut Write<'_>, exemplar_id: i64, i: &StudyVisitInput) -> StoreResult<StudyVisit> {
    let v = i.validate()?;
    let exemplar: Exemplar = w.load(exemplar_id).await?;
    let id = w
        .insert(
            "study_visits",
            vals![
                ("exemplar_id", exemplar.id),
                ("org_path", exemplar.org_path.as_str()),
                ("visited_on", v.visited_on.as_str()),
                ("visiting_units", v.visiting_units.as_str()),
                ("participants", v.participants),
                ("lessons", v.lessons.as_str()),
                ("created_by", w.actor.user_id),
                ("created_at", now_ms()),
            ],
        )
        .await?;
    let visit: StudyVisit = w.load(id).await?;
    w.changed(AuditAction::Create, None, &visit, &format!("Tham quan: {}", exemplar.name)).await?;
    Ok(visit)
}

pub async fn add_visit(db: &Db, actor: &Actor, exemplar_id: i64, i: StudyVisitInput) -> StoreResult<StudyVisit> {
    let mut w = db.write(actor).await?;
    let v = add_visit_in(&mut w, exemplar_id, &i).await?;
    w.commit().await?;
    Ok(v)
}

pub async fn visits(db: &Db, exemplar_id: i64) -> StoreResult<Vec<StudyVisit>> {
    let rows = sqlx::query(&format!("SELECT {} FROM study_visits WHERE exemplar_id = $1 ORDER BY visited_on, id", select_list(StudyVisit::COLUMNS, None)))
        .bind(exemplar_id)
        .fetch_all(db.reader())
        .await?;
    all(&rows)
}

/// Not found unless the record belongs to that exemplar.
pub fn ensure_belongs(exemplar_id: i64, owner: i64) -> StoreResult<()> {
    if exemplar_id == owner { Ok(()) } else { Err(StoreError::NotFound) }
}
