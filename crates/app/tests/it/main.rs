//! Black-box tests: the real router over real HTTP on a real database.
//! Every test runs on SQLite; its PostgreSQL variant is `#[ignore]`d and runs
//! with `--run-ignored only` when `DIENHINH_TEST_DATABASE_URL` names a server
//! (each test gets a fresh database).

mod helpers;

mod access;
mod access_walk;
mod api;
mod attachments;
mod audit;
mod auth;
mod binary;
mod commendation;
mod corpus;
mod counters;
mod crash;
mod documents;
mod exemplars;
mod figures;
mod forms;
mod gen;
mod hostile;
mod limits;
mod lists;
mod load;
mod people;
mod propaganda;
mod reviews;
mod pickers;
mod portal;
mod rules;
mod search;
mod servers;
mod stories;
mod storage;
