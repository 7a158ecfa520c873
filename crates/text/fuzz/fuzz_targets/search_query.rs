#![no_main]
//! Whatever is typed in the search box, the strings sent to FTS5 and to
//! PostgreSQL's to_tsquery hold only quoted words of letters and digits and
//! the fixed operators, column names and subtree words the code adds; the
//! word cap holds. (Re-tokenising the tokens is not required to give the
//! same tokens: the 200-character cut can fall elsewhere once folding
//! changes the length, e.g. Hangul decomposes.)

use dienhinh_text::query::{assert_query_strings_safe, query_tokens};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(q) = std::str::from_utf8(data) else { return };
    let tokens = query_tokens(q);
    assert_query_strings_safe(&tokens, &[]);
    assert_query_strings_safe(&tokens, &[1, 42, i64::MAX]);
});
