//! Party-format documents, built from plain input with no I/O.
//!
//! - [`model`]: a [`PartyDocument`] as Hướng dẫn 36-HD/VPTW lays one out
//!   (header zones, number and symbol, place and date, type and subject,
//!   body, recipients, signatures) with its page settings;
//! - [`builders`]: one plain input struct and one function per document the
//!   programme issues (tờ trình, danh sách kèm theo, biên bản, báo cáo,
//!   báo cáo thành tích, the printed exemplar profile);
//! - [`docx`] and [`xlsx`]: the files. Numbers and symbols come from the
//!   store's register (`dienhinh_domain::document`), never from here.

pub mod builders;
pub mod docx;
pub mod model;
pub mod samples;
pub mod xlsx;

pub use model::{Block, Cell, Closing, Issuer, PageSettings, PartyDocument, Signer, Table};
