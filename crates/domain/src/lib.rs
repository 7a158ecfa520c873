//! The rules of the exemplar programme (plan 48-KH/ĐUK), with no I/O.
//!
//! Storage and web call into this crate to decide what is legal; nothing here
//! knows about SQL or HTTP, so every rule is tested directly.

#[macro_use]
pub mod code;
pub mod counter;
pub mod access;
pub mod annual_model;
pub mod clock;
pub mod document;
pub mod commendation;
pub mod evaluation;
pub mod exemplar;
pub mod fostering;
pub mod order;
pub mod org;
pub mod period;
pub mod propaganda;
pub mod record;
pub mod review;
pub mod spread;
pub mod story;
pub mod user;
pub mod validate;

pub use access::{allowed, Action, Assignment, Role};
pub use code::{Coded, UnknownCode};
pub use org::{OrgKind, OrgPath};
pub use record::{AuditAction, AuditPolicy, RecordKind};
pub use validate::{FieldError, Invalid};
