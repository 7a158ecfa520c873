//! The rules of the exemplar programme (plan 48-KH/ĐUK), with no I/O.
//!
//! Storage and web call into this crate to decide what is legal; nothing here
//! knows about SQL or HTTP, so every rule is tested directly.

pub mod access;
pub mod exemplar;
pub mod org;
pub mod validate;

pub use access::{allowed, Action, Assignment, Role};
pub use org::{OrgKind, OrgPath};
pub use validate::{FieldError, Invalid};
