#![no_main]
//! Whatever is typed in the search box, the strings sent to FTS5 and to
//! PostgreSQL's to_tsquery hold only quoted words of letters and digits and
//! the fixed operators the code adds; the word cap holds. (Re-tokenising the
//! tokens is not required to give the same tokens: the 200-character cut can
//! fall elsewhere once folding changes the length, e.g. Hangul decomposes.)

use dienhinh_text::query::{fts5_match, query_tokens, tsquery, MAX_TOKENS};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(q) = std::str::from_utf8(data) else { return };
    let tokens = query_tokens(q);
    assert!(tokens.len() <= MAX_TOKENS);
    for t in &tokens {
        assert!(!t.is_empty() && t.chars().all(char::is_alphanumeric), "{t:?}");
    }
    let fts = fts5_match(&tokens);
    assert!(fts.chars().all(|c| c.is_alphanumeric() || matches!(c, '"' | ' ' | '*')), "{fts:?}");
    assert_eq!(fts.matches('"').count(), 2 * tokens.len());
    let pg = tsquery(&tokens);
    assert!(pg.chars().all(|c| c.is_alphanumeric() || matches!(c, '\'' | ' ' | '&' | ':' | '*')), "{pg:?}");
    assert_eq!(pg.matches('\'').count(), 2 * tokens.len());
});
