//! Versioned migrations, embedded in the binary and run on start.
//!
//! Each migration is one SQL script shared by both backends (with `{pk}`
//! standing for the auto-increment key) plus an optional per-backend script
//! for what truly differs (triggers, full-text search).

use crate::db::{Backend, Db, Tx};
use crate::now_ms;
use sqlx::Row;

struct Migration {
    version: i64,
    name: &'static str,
    shared: &'static str,
    sqlite: &'static str,
    postgres: &'static str,
    /// The migration changes what the search index holds (or creates it), or
    /// how text is folded: the name keys are recomputed and the index rebuilt
    /// from the records once every migration is applied, with the code of
    /// this binary against the final schema.
    reindex: bool,
    /// The migration changes what the node counters hold (or creates
    /// them): they are counted afresh from the records once every migration
    /// is applied (`counters::rebuild`).
    recount: bool,
}

impl Migration {
    /// No schema change, only the counters counted afresh: a new metric,
    /// or a new rule of what a record counts as.
    const fn recount(version: i64, name: &'static str) -> Migration {
        Migration { version, name, shared: "", sqlite: "", postgres: "", reindex: false, recount: true }
    }
}

const MIGRATIONS: &[Migration] = &[
    Migration {
        version: 1,
        name: "foundation",
        shared: include_str!("../migrations/0001_foundation.sql"),
        sqlite: include_str!("../migrations/0001_foundation.sqlite.sql"),
        postgres: include_str!("../migrations/0001_foundation.postgres.sql"),
        reindex: false,
        recount: false,
    },
    Migration {
        version: 2,
        name: "exemplars",
        shared: include_str!("../migrations/0002_exemplars.sql"),
        sqlite: "",
        postgres: "",
        reindex: false,
        recount: false,
    },
    Migration {
        version: 3,
        name: "search",
        shared: include_str!("../migrations/0003_search.sql"),
        sqlite: include_str!("../migrations/0003_search.sqlite.sql"),
        postgres: include_str!("../migrations/0003_search.postgres.sql"),
        reindex: true,
        recount: false,
    },
    Migration {
        version: 4,
        name: "scale",
        shared: include_str!("../migrations/0004_scale.sql"),
        sqlite: include_str!("../migrations/0004_scale.sqlite.sql"),
        postgres: include_str!("../migrations/0004_scale.postgres.sql"),
        reindex: false,
        recount: false,
    },
    Migration {
        version: 5,
        name: "attachments",
        // Nothing shared: SQLite rebuilds the table, PostgreSQL alters it.
        shared: "",
        sqlite: include_str!("../migrations/0005_attachments.sqlite.sql"),
        postgres: include_str!("../migrations/0005_attachments.postgres.sql"),
        reindex: false,
        recount: false,
    },
    Migration {
        version: 6,
        name: "fold i/y",
        // `text::fold` now spells a lone `y` after a consonant `i` (`kỹ` ≡
        // `kĩ`): no schema change, only every stored fold to recompute,
        // which `reindex` does (name keys, then the search index).
        shared: "",
        sqlite: "",
        postgres: "",
        reindex: true,
        recount: false,
    },
    Migration {
        version: 7,
        name: "shared_state",
        shared: include_str!("../migrations/0007_shared_state.sql"),
        sqlite: "",
        postgres: "",
        reindex: false,
        recount: false,
    },
    Migration {
        version: 8,
        name: "step_decisions",
        shared: include_str!("../migrations/0008_step_decisions.sql"),
        sqlite: "",
        postgres: "",
        reindex: false,
        recount: false,
    },
    Migration {
        version: 9,
        name: "node_counts",
        shared: include_str!("../migrations/0009_node_counts.sql"),
        sqlite: "",
        postgres: "",
        reindex: false,
        recount: true,
    },
    Migration {
        version: 10,
        name: "commendation",
        shared: include_str!("../migrations/0010_commendation.sql"),
        sqlite: "",
        postgres: "",
        reindex: false,
        recount: false,
    },
    Migration {
        version: 11,
        name: "document_register",
        shared: include_str!("../migrations/0011_document_register.sql"),
        sqlite: "",
        postgres: "",
        reindex: false,
        recount: false,
    },
    Migration {
        version: 12,
        name: "propaganda and stories",
        shared: include_str!("../migrations/0012_propaganda.sql"),
        sqlite: "",
        postgres: "",
        reindex: false,
        recount: false,
    },
    Migration {
        version: 13,
        name: "resume_forms",
        shared: include_str!("../migrations/0013_resume_forms.sql"),
        sqlite: "",
        postgres: "",
        reindex: false,
        recount: false,
    },
    Migration {
        version: 14,
        name: "search_prefixes",
        // SQLite only: FTS5 gains a one-letter prefix index. PostgreSQL's
        // GIN index answers a prefix from its sorted keys already.
        shared: "",
        sqlite: include_str!("../migrations/0014_search_prefixes.sqlite.sql"),
        postgres: "",
        reindex: false,
        recount: false,
    },
    Migration {
        version: 15,
        name: "list_orders",
        // Indexes only: what the search index and the counters hold is unchanged.
        shared: include_str!("../migrations/0015_list_orders.sql"),
        sqlite: "",
        postgres: "",
        reindex: false,
        recount: false,
    },
    Migration {
        version: 16,
        name: "commendation_numbers",
        shared: include_str!("../migrations/0016_commendation_numbers.sql"),
        sqlite: "",
        postgres: "",
        reindex: false,
        recount: false,
    },
    Migration {
        version: 17,
        name: "public_attachments",
        shared: include_str!("../migrations/0017_public_attachments.sql"),
        sqlite: "",
        postgres: "",
        reindex: false,
        recount: false,
    },
    // Exemplars now also count per field (metric `exemplar_fields`):
    // no schema change, only the counters counted afresh.
    Migration::recount(18, "figures_by_field"),
    Migration {
        version: 19,
        name: "review_reports",
        shared: include_str!("../migrations/0019_review_reports.sql"),
        sqlite: "",
        postgres: "",
        reindex: false,
        recount: false,
    },
    Migration {
        version: 20,
        name: "public_exemplars",
        shared: include_str!("../migrations/0020_public_exemplars.sql"),
        sqlite: "",
        postgres: "",
        reindex: false,
        recount: false,
    },
    Migration {
        version: 21,
        name: "round_board",
        shared: include_str!("../migrations/0021_round_board.sql"),
        sqlite: "",
        postgres: "",
        reindex: false,
        recount: false,
    },
    Migration {
        version: 22,
        name: "public_search",
        shared: "",
        sqlite: "",
        postgres: include_str!("../migrations/0022_public_search.postgres.sql"),
        reindex: false,
        recount: false,
    },
    Migration {
        version: 23,
        name: "counter_years",
        shared: include_str!("../migrations/0023_counter_years.sql"),
        sqlite: "",
        postgres: "",
        reindex: false,
        recount: true,
    },
    Migration {
        version: 24,
        name: "list_filters",
        shared: include_str!("../migrations/0024_list_filters.sql"),
        sqlite: "",
        postgres: "",
        reindex: false,
        recount: false,
    },
    Migration {
        version: 25,
        name: "search_syllables",
        // SQLite only: FTS5 gains prefix indexes up to seven letters, the
        // longest syllable; the index is rebuilt from `search_docs`.
        shared: "",
        sqlite: include_str!("../migrations/0025_search_syllables.sqlite.sql"),
        postgres: "",
        reindex: false,
        recount: false,
    },
    // No schema change: every record also counts at the whole tree's
    // counter node (`counter::WHOLE_TREE`), filled by the recount.
    Migration::recount(26, "whole_tree_counters"),
    Migration {
        version: 27,
        name: "rooted_search_words",
        // PostgreSQL only: an expression index of each record's words in
        // its province's form (`text::query::rooted_word`), so a province's
        // search gathers one province's matches. SQLite's FTS5 narrows by
        // its scope column.
        shared: "",
        sqlite: "",
        postgres: include_str!("../migrations/0027_rooted_search_words.postgres.sql"),
        reindex: false,
        recount: false,
    },
    Migration {
        version: 28,
        name: "search_root_order",
        // PostgreSQL only: a province's index rows newest first, for the
        // probe of a province's search. SQLite reads FTS5 newest first.
        shared: "",
        sqlite: "",
        postgres: include_str!("../migrations/0028_search_root_order.postgres.sql"),
        reindex: false,
        recount: false,
    },
    Migration {
        version: 29,
        name: "search_newest_forwards",
        // SQLite only: FTS5's row id is minus the record's id, so newest
        // first is read forwards; the index is rebuilt from `search_docs`.
        shared: "",
        sqlite: include_str!("../migrations/0029_search_newest_forwards.sqlite.sql"),
        postgres: "",
        reindex: false,
        recount: false,
    },
    Migration {
        version: 30,
        name: "scope_name_order",
        // A subtree's list by name or year from an index holding the keys.
        shared: include_str!("../migrations/0030_scope_name_order.sql"),
        sqlite: "",
        postgres: "",
        reindex: false,
        recount: false,
    },
    Migration {
        version: 31,
        name: "scope_stage_order",
        // The same index holding the status: a subtree's list by stage too.
        shared: include_str!("../migrations/0031_scope_stage_order.sql"),
        sqlite: include_str!("../migrations/0031_scope_stage_order.sqlite.sql"),
        postgres: "",
        reindex: false,
        recount: false,
    },
    // No schema change: recognised exemplars also count per year they
    // were evaluated (metric `recognised_evaluated`), so the home
    // page's evaluations still due are a difference of two counters.
    Migration::recount(32, "recognised_evaluated"),
    // No schema change: a TCCS also counts per year it has an approved
    // model of its own (metric `tccs_approved_model`), so the TCCS
    // still without one are a difference of two counters.
    Migration::recount(33, "tccs_approved_model"),
    Migration {
        version: 34,
        name: "search_by_province",
        // SQLite only: a second FTS5 index whose row id puts each
        // province's rows together (`search::FTS_STRETCH`), for searches
        // below the whole tree; built from `search_docs`.
        shared: "",
        sqlite: include_str!("../migrations/0034_search_by_province.sqlite.sql"),
        postgres: "",
        reindex: false,
        recount: false,
    },
    Migration {
        version: 35,
        name: "search_people_by_full_name",
        // Only the shown body of people's rows: their folded words (and so
        // both full-text indexes) are unchanged, so no rebuild.
        shared: include_str!("../migrations/0035_search_people_by_full_name.sql"),
        sqlite: "",
        postgres: "",
        reindex: false,
        recount: false,
    },
    Migration {
        version: 36,
        name: "search_words_by_branch",
        // PostgreSQL only: the expression index of rooted words names a
        // row's branch (the second node of its path) instead of its
        // province (`search::ROOTED_VECTOR`).
        shared: "",
        sqlite: "",
        postgres: include_str!("../migrations/0036_search_words_by_branch.postgres.sql"),
        reindex: false,
        recount: false,
    },
];

/// The schema version this binary expects.
pub fn latest_version() -> i64 {
    MIGRATIONS.last().map(|m| m.version).unwrap_or(0)
}

fn render(sql: &str, backend: Backend) -> String {
    let pk = match backend {
        Backend::Sqlite => "INTEGER PRIMARY KEY AUTOINCREMENT",
        Backend::Postgres => "BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY",
    };
    sql.replace("{pk}", pk)
}

/// Recomputes what is derived with the record code (name keys, the search
/// index) inside the migration's transaction (given by the caller, so that
/// migrations never depend on the record modules).
pub type Reindex = for<'t> fn(&'t mut Tx, Backend) -> std::pin::Pin<Box<dyn std::future::Future<Output = crate::StoreResult<u64>> + Send + 't>>;

/// Applies pending migrations in one transaction, then, if one of them
/// asks for it, `reindex_with`.
pub async fn run(db: &Db, reindex_with: Reindex) -> anyhow::Result<()> {
    run_to(db, latest_version(), reindex_with).await
}

/// Applies the pending migrations up to `last` only: tests build a database
/// as an older binary left it, then upgrade it.
pub async fn run_to(db: &Db, last: i64, reindex_with: Reindex) -> anyhow::Result<()> {
    let mut reindex = false;
    let mut recount = false;
    let mut tx = db.begin().await?;
    if db.backend == Backend::Postgres {
        // Two servers starting at once must not both migrate.
        sqlx::query("SELECT pg_advisory_xact_lock(4815162342)").execute(&mut *tx).await?;
    }
    sqlx::raw_sql(
        "CREATE TABLE IF NOT EXISTS schema_migrations (\
         version BIGINT PRIMARY KEY, name TEXT NOT NULL, applied_at BIGINT NOT NULL)",
    )
    .execute(&mut *tx)
    .await?;
    let applied: Vec<i64> = sqlx::query("SELECT version FROM schema_migrations")
        .fetch_all(&mut *tx)
        .await?
        .iter()
        .map(|r| r.get::<i64, _>(0))
        .collect();
    for m in MIGRATIONS.iter().filter(|m| m.version <= last && !applied.contains(&m.version)) {
        tracing::info!(version = m.version, name = m.name, "applying migration");
        let specific = match db.backend {
            Backend::Sqlite => m.sqlite,
            Backend::Postgres => m.postgres,
        };
        for script in [m.shared, specific] {
            if !script.trim().is_empty() {
                sqlx::raw_sql(&render(script, db.backend)).execute(&mut *tx).await?;
            }
        }
        reindex |= m.reindex;
        recount |= m.recount;
        sqlx::query("INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)")
            .bind(m.version)
            .bind(m.name)
            .bind(now_ms())
            .execute(&mut *tx)
            .await?;
    }
    if reindex {
        reindex_with(&mut tx, db.backend).await?;
    }
    if recount {
        crate::counters::rebuild(&mut tx, db.backend).await?;
    }
    tx.commit().await?;
    Ok(())
}

/// Version recorded in the database (0 when none).
pub async fn current_version(db: &Db) -> anyhow::Result<i64> {
    let row = sqlx::query("SELECT COALESCE(MAX(version), 0) AS v FROM schema_migrations")
        .fetch_one(db.reader())
        .await?;
    Ok(row.try_get::<i64, _>("v")?)
}
