//! A search query as typed, turned into what the full-text index is asked:
//! folded words (letters and digits only), capped, and the per-backend
//! query strings built from them alone, so nothing typed is ever an operator.

/// Longest query considered, in characters.
pub const MAX_QUERY_CHARS: usize = 200;
/// Most words considered.
pub const MAX_TOKENS: usize = 12;

/// The query as meant: cut to [`MAX_QUERY_CHARS`], and converted to Unicode
/// when it reads as TCVN3 or VNI (typed with a legacy keyboard driver or
/// pasted from an old document), by the detection `dienhinh text fix` and
/// imports use ([`crate::legacy::to_unicode`]: ASCII and text with any
/// character outside Latin-1 are never converted, and a conversion must
/// yield strictly more valid Vietnamese syllables than the text as typed).
pub fn typed(q: &str) -> String {
    let cut: String = q.chars().take(MAX_QUERY_CHARS).collect();
    crate::legacy::to_unicode(&cut)
}

/// The words of a query as searched: [`typed`], folded, letters and digits
/// only, capped.
pub fn query_tokens(q: &str) -> Vec<String> {
    let mut t: Vec<String> = crate::tokens(&typed(q))
        .into_iter()
        .map(|w| w.chars().filter(|c| c.is_alphanumeric()).collect::<String>())
        .filter(|w| !w.is_empty())
        .collect();
    t.truncate(MAX_TOKENS);
    t
}

/// The folded forms a query word typed as the start of a word is matched
/// in: itself, and for `qui` also `quy`. `quý` folds to `qui` (see
/// [`crate::fold`]), but typed letter by letter `quy` may still become
/// `quyết` or `quyên`, where the `y` is not alone and stays; `qui` is the
/// same word as `quy`, so it finds them too. No other lone `y` can be
/// followed by a vowel.
pub fn prefix_forms(word: &str) -> Vec<String> {
    let mut forms = vec![word.to_string()];
    if word == "qui" {
        forms.push("quy".to_string());
    }
    forms
}

/// The index word that marks a record as inside the subtree rooted at node
/// `id`. A record's words are `o` + each id of its node's path: the
/// migrations derive them in SQL as `replace(org_path, '/', ' o')`
/// (`/1/5/12/` gives `o1 o5 o12` and a stray `o`), in an index column (FTS5)
/// or weight (PostgreSQL) of their own, so typed words never meet them.
pub fn scope_token(id: i64) -> String {
    format!("o{id}")
}

/// SQLite FTS5 `MATCH` string: every word quoted, the last as a prefix (in
/// each of its [`prefix_forms`]), in
/// the `folded` column; with `roots`, only records inside one of those
/// subtrees (`scope` column). The index then intersects the words with the
/// subtree: a common name in a country-wide index stays cheap for a
/// caller who sees one bloc. Empty when there are no words.
pub fn fts5_match(tokens: &[String], roots: &[i64]) -> String {
    if tokens.is_empty() {
        return String::new();
    }
    // Explicit AND: FTS5 refuses an implicit one before a parenthesis.
    let words = join(tokens, " AND ", |t| format!("\"{t}\""), |t| format!("\"{t}\"*"), " OR ");
    if roots.is_empty() {
        return format!("folded : ({words})");
    }
    let scope = roots.iter().map(|r| format!("\"{}\"", scope_token(*r))).collect::<Vec<_>>().join(" OR ");
    format!("folded : ({words}) AND scope : ({scope})")
}

/// PostgreSQL `to_tsquery('simple', …)` string: every word quoted, AND-ed,
/// the last as a prefix (in each of its [`prefix_forms`]), all of weight A (the text); with `roots`, AND one
/// of the subtrees' words of weight D (see [`scope_token`]). Empty when
/// there are no words.
pub fn tsquery(tokens: &[String], roots: &[i64]) -> String {
    if tokens.is_empty() {
        return String::new();
    }
    let words = join(tokens, " & ", |t| format!("'{t}':A"), |t| format!("'{t}':*A"), " | ");
    if roots.is_empty() {
        return words;
    }
    let scope = roots.iter().map(|r| format!("'{}':D", scope_token(*r))).collect::<Vec<_>>().join(" | ");
    format!("({words}) & ({scope})")
}

/// The index word, on PostgreSQL, for `word` in a record of the branch
/// `root` (the second node of its path, a bloc; or its province's own
/// node): `r{root}w{word}` (the letter `w` ends the id, so `r1w…` never
/// begins `r12w…`). An expression index holds every record's words in this
/// form (`search_docs_branch_words`, migration 36, built in SQL from
/// `folded` and `org_path`), so a search inside a bloc or a province
/// gathers that bloc's or province's matches of a common word or a short
/// prefix from the index, not the country's.
pub fn rooted_word(root: i64, word: &str) -> String {
    format!("r{root}w{word}")
}

/// PostgreSQL `to_tsquery('simple', …)` string over the rooted words
/// ([`rooted_word`]) of the branches `roots`: per branch, its words quoted
/// and AND-ed, the last as a prefix (in each of its [`prefix_forms`]); the
/// branches OR-ed. No weights: that index holds nothing else, and a query
/// without weights is answered from the index without re-reading rows.
/// Empty when there are no words or no trees.
pub fn rooted_tsquery(tokens: &[String], roots: &[i64]) -> String {
    if tokens.is_empty() {
        return String::new();
    }
    let first_of_its_tree = |(i, root): &(usize, &i64)| !roots[..*i].contains(root);
    let tree = |(_, &root): (usize, &i64)| {
        format!("({})", join(tokens, " & ", |t| format!("'{}'", rooted_word(root, t)), |t| format!("'{}':*", rooted_word(root, t)), " | "))
    };
    roots.iter().enumerate().filter(first_of_its_tree).map(tree).collect::<Vec<_>>().join(" | ")
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
    let last_forms = tokens.last().map_or(0, |t| prefix_forms(t).len());
    let quoted = if tokens.is_empty() { 0 } else { tokens.len() - 1 + last_forms + roots.len() };
    let fts = fts5_match(tokens, roots);
    assert!(fts.chars().all(|c| c.is_alphanumeric() || matches!(c, '"' | ' ' | '*' | '(' | ')' | ':')), "{fts:?}");
    assert_eq!(fts.matches('"').count(), 2 * quoted, "{fts:?}");
    let pg = tsquery(tokens, roots);
    assert!(pg.chars().all(|c| c.is_alphanumeric() || matches!(c, '\'' | ' ' | '&' | '|' | ':' | '*' | '(' | ')')), "{pg:?}");
    assert_eq!(pg.matches('\'').count(), 2 * quoted, "{pg:?}");
    let rooted = rooted_tsquery(tokens, roots);
    assert!(rooted.chars().all(|c| c.is_alphanumeric() || matches!(c, '\'' | ' ' | '&' | '|' | ':' | '*' | '(' | ')')), "{rooted:?}");
    let trees = roots.iter().collect::<std::collections::BTreeSet<_>>().len();
    let words_quoted = if tokens.is_empty() { 0 } else { tokens.len() - 1 + last_forms };
    assert_eq!(rooted.matches('\'').count(), 2 * words_quoted * trees, "{rooted:?}");
}

/// The words joined by `sep`, the last as a prefix in each of its
/// [`prefix_forms`] (OR-ed with `or`, in parentheses when more than one).
fn join(tokens: &[String], sep: &str, word: impl Fn(&str) -> String, prefix: impl Fn(&str) -> String, or: &str) -> String {
    let clean = |t: &str| t.chars().filter(|c| c.is_alphanumeric()).collect::<String>();
    let Some((last, rest)) = tokens.split_last() else { return String::new() };
    let forms: Vec<String> = prefix_forms(&clean(last)).iter().map(|f| prefix(f)).collect();
    let last = if forms.len() == 1 { forms.concat() } else { format!("({})", forms.join(or)) };
    rest.iter().map(|t| word(&clean(t))).chain([last]).collect::<Vec<_>>().join(sep)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn operators_are_text() {
        let t = query_tokens("\"Nguyễn\" -Văn* NEAR(a b) ' OR 1=1 --");
        assert_eq!(t, ["nguyen", "van", "near", "a", "b", "or", "1", "1"]);
        assert_eq!(fts5_match(&t[..2], &[]), "folded : (\"nguyen\" AND \"van\"*)");
        assert_eq!(tsquery(&t[..2], &[]), "'nguyen':A & 'van':*A");
        assert_eq!(fts5_match(&t[..2], &[2, 9]), "folded : (\"nguyen\" AND \"van\"*) AND scope : (\"o2\" OR \"o9\")");
        assert_eq!(tsquery(&t[..2], &[2, 9]), "('nguyen':A & 'van':*A) & ('o2':D | 'o9':D)");
        assert_eq!(fts5_match(&[], &[2]), "");
        assert_eq!(rooted_tsquery(&t[..2], &[1]), "('r1wnguyen' & 'r1wvan':*)");
        assert_eq!(rooted_tsquery(&t[..2], &[1, 12, 1]), "('r1wnguyen' & 'r1wvan':*) | ('r12wnguyen' & 'r12wvan':*)");
        assert_eq!(rooted_tsquery(&t[..2], &[]), "");
        assert_eq!(rooted_tsquery(&query_tokens("tran qui"), &[3]), "('r3wtran' & ('r3wqui':* | 'r3wquy':*))");
        assert_query_strings_safe(&t, &[1, 42]);
        assert!(query_tokens("*** --- \"\"").is_empty());
        assert_eq!(query_tokens(&"a ".repeat(5000)).len(), MAX_TOKENS);
    }

    /// `quy` typed as the start of a word may become `quyết`: its last
    /// word is also matched as `quy`, and so is `qui`, the same word.
    #[test]
    fn a_last_qui_is_also_quy() {
        for q in ["Trần quý", "tran QUI", "tran quy"] {
            let t = query_tokens(q);
            assert_eq!(t, ["tran", "qui"], "{q}");
            assert_eq!(fts5_match(&t, &[]), "folded : (\"tran\" AND (\"qui\"* OR \"quy\"*))");
            assert_eq!(tsquery(&t, &[]), "'tran':A & ('qui':*A | 'quy':*A)");
            assert_eq!(fts5_match(&t, &[3]), "folded : (\"tran\" AND (\"qui\"* OR \"quy\"*)) AND scope : (\"o3\")");
            assert_query_strings_safe(&t, &[1, 42]);
        }
        let t = query_tokens("quý trần");
        assert_eq!(fts5_match(&t, &[]), "folded : (\"qui\" AND \"tran\"*)", "only the last word is a prefix");
        assert_eq!(prefix_forms("quin"), ["quin"]);
        assert_eq!(prefix_forms("ki"), ["ki"]);
    }

    /// A query typed in TCVN3 or VNI is searched as the Unicode it stands for.
    #[test]
    fn legacy_queries_are_converted() {
        for q in ["Kü thuËt", "Kyõ thuaät", "Kỹ thuật", "ki thuat", "KĨ THUẬT"] {
            assert_eq!(query_tokens(q), ["ki", "thuat"], "{q}");
        }
        assert_eq!(typed("Kü thuËt"), "Kỹ thuật");
        assert_eq!(typed("Kyõ thuaät"), "Kỹ thuật");
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
