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

/// SQLite FTS5 `MATCH` string: every word quoted, the last as a prefix.
pub fn fts5_match(tokens: &[String]) -> String {
    join(tokens, " ", |t, last| format!("\"{t}\"{}", if last { "*" } else { "" }))
}

/// PostgreSQL `to_tsquery('simple', …)` string: every word quoted and
/// AND-ed, the last as a prefix.
pub fn tsquery(tokens: &[String]) -> String {
    join(tokens, " & ", |t, last| format!("'{t}'{}", if last { ":*" } else { "" }))
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
        assert_eq!(fts5_match(&t[..2]), "\"nguyen\" \"van\"*");
        assert_eq!(tsquery(&t[..2]), "'nguyen' & 'van':*");
        assert!(query_tokens("*** --- \"\"").is_empty());
        assert_eq!(query_tokens(&"a ".repeat(5000)).len(), MAX_TOKENS);
    }

    /// Found by the `search_query` fuzz target: mixed Hangul, NULs and a long
    /// run cut at the length limit. The query strings stay safe.
    #[test]
    fn fuzz_regression_hangul_nul_long_run() {
        let input = b64_decode("MeyFvTYx7IW9Njo2VVUx7IW9NjoyVVVVYW/EgzHshb02MeyFvTY6KlUx7IW9NjHshb02OipV7IW9NjHshb02OlU2b28x7IW9NjHshb02OipVMeyFvSpVVQAAAABVVVU2MeyFvTY6MlVVVVU2b28x7IW9NjHshb02OipVMeyFvTYx7IW9NjoqWVlZWVlZWVlZWVlZWVlZWVlZWVlZWVlZWVlZWVlZWVlZWVlZWVlZWVlZWVlZWVlZWVlZWVlZWVlZWVlZWVlZWVlZWVlZWVlZWVlZWVlZWVlZWVlZVeyFvTYx7IW9NjpbKlVVAAAAAFVVVVVVVQ0=");
        let q = String::from_utf8_lossy(&input);
        let t = query_tokens(&q);
        assert!(t.len() <= MAX_TOKENS && t.iter().all(|w| !w.is_empty() && w.chars().all(char::is_alphanumeric)));
        let fts = fts5_match(&t);
        assert!(fts.chars().all(|c| c.is_alphanumeric() || matches!(c, '"' | ' ' | '*')));
        assert_eq!(fts.matches('"').count(), 2 * t.len());
        let pg = tsquery(&t);
        assert!(pg.chars().all(|c| c.is_alphanumeric() || matches!(c, '\'' | ' ' | '&' | ':' | '*')));
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
