//! Library side of the `dienhinh` binary: configuration, demo data and the
//! seed plan, shared with the integration tests.

pub mod check;
pub mod config;
pub mod demo;
pub mod demo_documents;
pub mod demo_commendation;
pub mod demo_exemplars;
pub mod demo_propaganda;
pub mod demo_reviews;
pub mod demo_stories;
pub mod gen;
pub mod seed;
