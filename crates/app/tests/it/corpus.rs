//! Hostile input: a reusable list of payloads and the checks every page
//! showing them must pass. A new kind of record joins the hostile test by
//! saving each `PAYLOADS` entry into its text fields and calling
//! [`assert_page_safe`] on every page that shows them.
//!
//! By design (`dienhinh_text::normalize_line`), stored text is NFC with one
//! tone placement; control characters (NUL included), zero-width and bidi
//! override characters are removed; whitespace runs collapse to one space.
//! So the API reads back `normalize_line(payload)`, not the raw bytes.

pub struct Payload {
    pub name: &'static str,
    pub text: String,
}

fn p(name: &'static str, text: impl Into<String>) -> Payload {
    Payload { name, text: text.into() }
}

/// Every payload; each fits the shortest text field (60 characters) except `long`.
pub fn payloads() -> Vec<Payload> {
    vec![
        p("script element", "<script>alert(1)</script>"),
        p("attribute breakout", "\"><img src=x onerror=alert(1)>"),
        p("single-quote breakout", "'><svg onload=alert(1)>"),
        p("javascript url", "javascript:alert(1)"),
        p("data url", "data:text/html,<script>alert(1)</script>"),
        p("style breakout", "</style><script>alert(2)</script>"),
        p("inline style", "x\" style=\"background:url(javascript:alert(1))"),
        p("textarea breakout", "</textarea><b>đậm</b>"),
        p("html entity", "&lt;script&gt; &amp; &#60;"),
        p("sql", "'; DROP TABLE orgs; --"),
        p("format strings", "%s%n{0}{{x}}${x}"),
        p("rtl override", "abc\u{202E}fdp.exe"),
        p("zero width", "Zero\u{200B}width\u{FEFF}"),
        p("nul", "Trước\u{0}sau"),
        p("decomposed vietnamese", "Nguye\u{302}\u{303}n Thi\u{323} Hoa\u{300}"),
        p("emoji", "Chi bộ 🇻🇳 👍🏽 👨‍👩‍👧"),
        p("long", format!("Đ{}", "<i>ầ</i>".repeat(1250))),
    ]
}

/// The page must not carry the payload as markup: no fragment of it that
/// starts with `<` appears unescaped, no tag carries an event handler or a
/// `javascript:`/`data:` URL, and every `<script` loads a file.
pub fn assert_page_safe(html: &str, payload: &str, context: &str) {
    let chars: Vec<char> = payload.chars().collect();
    for (i, c) in chars.iter().enumerate() {
        if *c == '<' {
            // Long enough not to match the page's own markup (a form's </textarea>).
            let frag: String = chars[i..].iter().take(16).collect();
            if frag.chars().count() >= 3 {
                assert!(!html.contains(&frag), "{context}: unescaped {frag:?} from payload {payload:?}");
            }
        }
    }
    let lower = html.to_lowercase();
    let mut rest = lower.as_str();
    while let Some(start) = rest.find('<') {
        let after = &rest[start + 1..];
        let end = after.find('>').unwrap_or(after.len());
        let tag = &after[..end];
        // Attribute names only (quoted values removed): no event handler, no style.
        let mut names = String::new();
        for (k, part) in tag.split('"').enumerate() {
            if k % 2 == 0 {
                names.push_str(part);
            }
        }
        for bad in [" on", "\ton", "/on", " style="] {
            assert!(!names.contains(bad) || !names.split(bad).skip(1).any(|a| a.contains('=')),
                "{context}: tag <{tag}> has an injected attribute (payload {payload:?})");
        }
        for attr in ["href=\"", "src=\"", "action=\"", "formaction=\""] {
            if let Some(at) = tag.find(attr) {
                let value = tag[at + attr.len()..].trim_start();
                assert!(!value.starts_with("javascript:") && !value.starts_with("data:"),
                    "{context}: tag <{tag}> links to a script URL (payload {payload:?})");
            }
        }
        if tag.starts_with("script") {
            assert!(tag.contains("src=\"/static/"), "{context}: inline <{tag}>");
        }
        // (Pages draw their own charts with <svg>; the payload's <svg onload> must not appear.)
        assert!(!tag.starts_with("img src=x") && !tag.starts_with("svg onload"), "{context}: injected <{tag}>");
        rest = &after[end..];
    }
}

/// Pages showing stored text carry none of the characters normalisation
/// removes. (A form re-shown after a refusal echoes what was typed, escaped.)
pub fn assert_no_invisible(html: &str, context: &str) {
    assert!(!html.contains('\u{202E}') && !html.contains('\u{200B}') && !html.contains('\0'), "{context}: invisible characters reached the page");
}

/// What askama (0.14, numeric entities) makes of a value in HTML.
pub fn escaped(s: &str) -> String {
    s.replace('&', "&#38;").replace('<', "&#60;").replace('>', "&#62;").replace('"', "&#34;").replace('\'', "&#39;")
}
