//! Periodic jobs that run once across every app server on the database.
//!
//! A job has a name and a period. [`run_due`] runs each job whose current
//! period (aligned on the epoch: this minute, this hour …) nobody has
//! claimed yet. The claim is one upsert on `job_runs` that moves the job's
//! `period_start` forward only if it is behind: whichever server commits it
//! first runs the job, the others change no row and skip it (a row lock on
//! PostgreSQL, the single writer on SQLite). A server whose clock runs
//! behind computes an older period and skips too.
//!
//! The claim is committed before the job runs, so a job runs at most once
//! per period; one that fails, or whose server dies, waits for the next
//! period. Jobs are therefore written to catch up ("everything due by
//! now"), never "this period's share".

use crate::{now_ms, Actor, Db, StoreResult};
use std::future::Future;
use std::pin::Pin;
use std::time::Duration;

/// What a job does, given the database and the time it is due at (ms);
/// returns how many things it did.
pub type JobFn = for<'a> fn(&'a Db, i64) -> Pin<Box<dyn Future<Output = StoreResult<u64>> + Send + 'a>>;

pub struct Job {
    /// Unique and stable: the claim is kept under this name.
    pub name: &'static str,
    pub every: Duration,
    pub run: JobFn,
}

/// The jobs a server runs.
pub const JOBS: &[Job] = &[
    Job { name: "prune", every: Duration::from_secs(10 * 60), run: prune },
    Job { name: "publish_stories", every: Duration::from_secs(60), run: publish_stories },
];

/// Publishes the scheduled stories whose time has come (`stories::publish_due`):
/// the schedule is in the database, so it survives restarts, and a minute
/// missed is caught up by the next run.
fn publish_stories(db: &Db, now: i64) -> Pin<Box<dyn Future<Output = StoreResult<u64>> + Send + '_>> {
    Box::pin(crate::stories::publish_due(db, now))
}

/// Deletes expired sessions, sign-in counts whose window has passed and
/// forms kept past their time.
fn prune(db: &Db, now: i64) -> Pin<Box<dyn Future<Output = StoreResult<u64>> + Send + '_>> {
    Box::pin(async move {
        let actor = Actor::system("dọn dẹp");
        let mut w = db.write(&actor).await?;
        let n = crate::users::prune_sessions_in(&mut w, now).await? + crate::signins::prune_in(&mut w, now).await?
            + crate::resume_forms::prune_in(&mut w, now).await?;
        w.commit().await?;
        Ok(n)
    })
}

/// Start of the period of length `every` that contains `now` (ms).
pub fn period_start(now: i64, every: Duration) -> i64 {
    let len = (every.as_millis() as i64).max(1);
    now - now.rem_euclid(len)
}

/// Claims `name` for the period starting at `period`; true when this caller
/// won it.
async fn claim(db: &Db, name: &str, period: i64, now: i64) -> StoreResult<bool> {
    let actor = Actor::system("lịch chạy");
    let mut w = db.write(&actor).await?;
    let done = sqlx::query(
        "INSERT INTO job_runs (name, period_start, started_at) VALUES ($1, $2, $3) \
         ON CONFLICT (name) DO UPDATE SET period_start = excluded.period_start, started_at = excluded.started_at, \
         finished_at = NULL, outcome = NULL \
         WHERE job_runs.period_start < excluded.period_start",
    )
    .bind(name)
    .bind(period)
    .bind(now)
    .execute(w.conn())
    .await?;
    w.commit().await?;
    Ok(done.rows_affected() == 1)
}

/// Notes how the run of `name` for `period` ended (for whoever looks).
async fn finish(db: &Db, name: &str, period: i64, outcome: &str) -> StoreResult<()> {
    let actor = Actor::system("lịch chạy");
    let mut w = db.write(&actor).await?;
    sqlx::query("UPDATE job_runs SET finished_at = $1, outcome = $2 WHERE name = $3 AND period_start = $4")
        .bind(now_ms())
        .bind(outcome)
        .bind(name)
        .bind(period)
        .execute(w.conn())
        .await?;
    w.commit().await
}

/// Runs every job of `jobs` that is due at `now` and that no other caller
/// has claimed for its period; returns the names of those this caller ran.
/// A job's failure is logged and recorded; the others still run.
pub async fn run_due(db: &Db, jobs: &[Job], now: i64) -> StoreResult<Vec<&'static str>> {
    let mut ran = vec![];
    for job in jobs {
        let period = period_start(now, job.every);
        if !claim(db, job.name, period, now).await? {
            continue;
        }
        let outcome = match (job.run)(db, now).await {
            Ok(n) => {
                tracing::debug!(job = job.name, done = n, "job ran");
                format!("ok: {n}")
            }
            Err(e) => {
                tracing::error!(job = job.name, error = %e, "job failed");
                format!("error: {e}")
            }
        };
        finish(db, job.name, period, &outcome).await?;
        ran.push(job.name);
    }
    Ok(ran)
}

/// The server's hook: checks `jobs` every minute (and once at start) until
/// the task is dropped. A database error is logged and retried next tick.
pub async fn tick_forever(db: Db, jobs: &'static [Job]) {
    let mut every_minute = tokio::time::interval(Duration::from_secs(60));
    every_minute.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        every_minute.tick().await;
        if let Err(e) = run_due(&db, jobs, now_ms()).await {
            tracing::warn!(error = %e, "periodic jobs not checked");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn periods_are_aligned_on_the_epoch() {
        let hour = Duration::from_secs(3600);
        assert_eq!(period_start(7_200_000, hour), 7_200_000);
        assert_eq!(period_start(7_199_999, hour), 3_600_000);
        assert_eq!(period_start(10, Duration::ZERO), 10);
    }
}
