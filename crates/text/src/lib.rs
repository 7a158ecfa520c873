//! Vietnamese text handling: normalisation, search folding, collation and
//! legacy (TCVN3/VNI) encodings. Pure functions, no I/O.

mod collate;
mod fold;
pub mod legacy;
pub mod query;
mod normalize;
mod viet;

pub use collate::{cmp_vi, sort_key};
pub use fold::{fold, same_name, tokens};
pub use normalize::{normalize, normalize_line};

/// Repair pasted or imported text: legacy-encoded text to Unicode, then [`normalize`].
pub fn fix_text(s: &str) -> String {
    normalize(&legacy::to_unicode(s))
}
