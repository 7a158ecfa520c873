//! A search query as typed, turned into what the full-text index is asked:
//! folded words (letters and digits only), capped, and the per-backend
//! query strings built from them alone, so nothing typed is ever an operator.

/// Longest query considered, in characters.
pub const MAX_QUERY_CHARS: usize = 200;
/// Most words considered.
pub const MAX_TOKENS: usize = 12;

/// The words of a query as searched: folded, letters and digits only, capped.
pub fn query_tokens(q: &str) -> Vec<String> {
    let cut: String = q.chars().take(MAX_QUERY_CHARS).collect();
    let mut t: Vec<String> = crate::tokens(&cut)
        .into_iter()
        .map(|w| w.chars().filter(|c| c.is_alphanumeric()).collect::<String>())
        .filter(|w| !w.is_empty())
        .collect();
    t.truncate(MAX_TOKENS);
    t
}

/// The index word that marks a record as inside the subtree rooted at node
/// `id`. A record's words are `o` + each id of its node's path: the
/// migrations derive them in SQL as `replace(org_path, '/', ' o')`
/// (`/1/5/12/` gives `o1 o5 o12` and a stray `o`), in an index column (FTS5)
/// or weight (PostgreSQL) of their own, so typed words never meet them.
pub fn scope_token(id: i64) -> String {
    format!("o{id}")
}

/// SQLite FTS5 `MATCH` string: every word quoted, the last as a prefix, in
/// the `folded` column; with `roots`, only records inside one of those
/// subtrees (`scope` column). The index then intersects the words with the
/// subtree: a common name in a country-wide index stays cheap for a
/// caller who sees one bloc. Empty when there are no words.
pub fn fts5_match(tokens: &[String], roots: &[i64]) -> String {
    if tokens.is_empty() {
        return String::new();
    }
    let words = join(tokens, " ", |t, last| format!("\"{t}\"{}", if last { "*" } else { "" }));
    if roots.is_empty() {
        return format!("folded : ({words})");
    }
    let scope = roots.iter().map(|r| format!("\"{}\"", scope_token(*r))).collect::<Vec<_>>().join(" OR ");
    format!("folded : ({words}) AND scope : ({scope})")
}

/// PostgreSQL `to_tsquery('simple', …)` string: every word quoted, AND-ed,
/// the last as a prefix, all of weight A (the text); with `roots`, AND one
/// of the subtrees' words of weight D (see [`scope_token`]). Empty when
/// there are no words.
pub fn tsquery(tokens: &[String], roots: &[i64]) -> String {
    if tokens.is_empty() {
        return String::new();
    }
    let words = join(tokens, " & ", |t, last| format!("'{t}':{}A", if last { "*" } else { "" }));
    if roots.is_empty() {
        return words;
    }
    let scope = roots.iter().map(|r| format!("'{}':D", scope_token(*r))).collect::<Vec<_>>().join(" | ");
    format!("({words}) & ({scope})")
}

/// Panics unless the query strings built for `tokens` hold only quoted
/// words of letters and digits, the fixed operators and column names, and
/// the scope words: what the `search_query` fuzz target and the tests check.
#[doc(hidden)]
pub fn assert_query_strings_safe(tokens: &[String], roots: &[i64]) {
    assert!(tokens.len() <= MAX_TOKENS);
    for t in tokens {
        assert!(!t.is_empty() && t.chars().all(char::is_alphanumeric), "{t:?}");
    }
    let quoted = if tokens.is_empty() { 0 } else { tokens.len() + roots.len() };
    let fts = fts5_match(tokens, roots);
    assert!(fts.chars().all(|c| c.is_alphanumeric() || matches!(c, '"' | ' ' | '*' | '(' | ')' | ':')), "{fts:?}");
    assert_eq!(fts.matches('"').count(), 2 * quoted, "{fts:?}");
    let pg = tsquery(tokens, roots);
    assert!(pg.chars().all(|c| c.is_alphanumeric() || matches!(c, '\'' | ' ' | '&' | '|' | ':' | '*' | '(' | ')')), "{pg:?}");
    assert_eq!(pg.matches('\'').count(), 2 * quoted, "{pg:?}");
}

fn join(tokens: &[String], sep: &str, word: impl Fn(&str, bool) -> String) -> String {
    let n = tokens.len();
    tokens
        .iter()
        .enumerate()
        .map(|(i, t)| {
            let clean: String = t.chars().filter(|c| c.is_alphanumeric()).collect();
            word(&clean, i + 1 == n)
        })
        .collect::<Vec<_>>()
        .join(sep)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn operators_are_text() {
        let t = query_tokens("\"Nguyễn\" -Văn* NEAR(a b) ' OR 1=1 --");
        assert_eq!(t, ["nguyen", "van", "near", "a", "b", "or", "1", "1"]);
        assert_eq!(fts5_match(&t[..2], &[]), "folded : (\"nguyen\" \"van\"*)");
        assert_eq!(tsquery(&t[..2], &[]), "'nguyen':A & 'van':*A");
        assert_eq!(fts5_match(&t[..2], &[2, 9]), "folded : (\"nguyen\" \"van\"*) AND scope : (\"o2\" OR \"o9\")");
        assert_eq!(tsquery(&t[..2], &[2, 9]), "('nguyen':A & 'van':*A) & ('o2':D | 'o9':D)");
        assert_eq!(fts5_match(&[], &[2]), "");
        assert_query_strings_safe(&t, &[1, 42]);
        assert!(query_tokens("*** --- \"\"").is_empty());
        assert_eq!(query_tokens(&"a ".repeat(5000)).len(), MAX_TOKENS);
    }

    /// Found by the `search_query` fuzz target: mixed Hangul, NULs and a long
    /// run cut at the length limit. The query strings stay safe.
    #[test]
    fn fuzz_regression_hangul_nul_long_run() {
        let input = b64_decode("MeyFvTYx7IW9Njo2VVUx7IW9NjoyVVVVYW/EgzHshb02MeyFvTY6KlUx7IW9NjHshb02OipV7IW9NjHshb02OlU2b28x7IW9NjHshb02OipVMeyFvSpVVQAAAABVVVU2MeyFvTY6MlVVVVU2b28x7IW9NjHshb02OipVMeyFvTYx7IW9NjoqWVlZWVlZWVlZWVlZWVlZWVlZWVlZWVlZWVlZWVlZWVlZWVlZWVlZWVlZWVlZWVlZWVlZWVlZWVlZWVlZWVlZWVlZWVlZWVlZWVlZWVlZWVlZWVlZVeyFvTYx7IW9NjpbKlVVAAAAAFVVVVVVVQ0=");
        let q = String::from_utf8_lossy(&input);
        assert_query_strings_safe(&query_tokens(&q), &[1, 42]);
    }

    fn b64_decode(s: &str) -> Vec<u8> {
        const A: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
        let mut out = vec![];
        let (mut acc, mut bits) = (0u32, 0);
        for c in s.bytes().filter(|c| *c != b'=') {
            acc = (acc << 6) | A.iter().position(|a| *a == c).expect("base64") as u32;
            bits += 6;
            if bits >= 8 {
                bits -= 8;
                out.push((acc >> bits) as u8);
            }
        }
        out
    }
}
