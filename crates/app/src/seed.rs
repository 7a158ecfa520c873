//! Plan 48-KH/ĐUK, parsed from its text so that what the demo stores (the
//! bases, the body, the criteria of III.2, III.3.1 and III.3.2) is the plan
//! word for word.

use dienhinh_domain::evaluation::AppliesTo;

pub const PLAN_48_TEXT: &str = include_str!("../seed/ke-hoach-48-KH-DUK.txt");

pub struct ParsedPlan {
    pub number: String,
    pub title: String,
    pub bases: String,
    pub body: String,
    pub recipients: Vec<String>,
    pub signer_authority: String,
    pub signer_title: String,
    pub signer_name: String,
    /// (code, applies_to, text)
    pub criteria: Vec<(String, AppliesTo, String)>,
}

/// Paragraphs of the text, with page breaks mended: a paragraph that ends
/// in a lower-case word and a next one that starts in lower case were one
/// paragraph split across two pages.
fn paragraphs(text: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for p in text.split("\n\n").map(|p| p.trim()).filter(|p| !p.is_empty()) {
        let continues = out.last().is_some_and(|prev: &String| {
            prev.chars().last().is_some_and(|c| c.is_lowercase()) && p.chars().next().is_some_and(|c| c.is_lowercase())
        });
        if continues {
            let prev = out.last_mut().expect("checked");
            prev.push(' ');
            prev.push_str(p);
        } else {
            out.push(p.to_string());
        }
    }
    out
}

pub fn parse_plan_48() -> ParsedPlan {
    let paras = paragraphs(PLAN_48_TEXT);
    let idx = |pred: &dyn Fn(&str) -> bool| paras.iter().position(|p| pred(p)).expect("seed plan layout");
    let number = paras[idx(&|p| p.starts_with("Số "))].trim_start_matches("Số ").to_string();
    let kh = idx(&|p| p == "KẾ HOẠCH");
    let title = paras[kh + 1].clone();
    let bases_i = idx(&|p| p.starts_with("Căn cứ"));
    let body_start = idx(&|p| p.starts_with("I. MỤC ĐÍCH"));
    let recipients_i = idx(&|p| p.starts_with("Nơi nhận"));
    let body = paras[body_start..recipients_i].join("\n\n");
    let recipients = paras[recipients_i + 1]
        .lines()
        .map(|l| l.trim().to_string())
        .filter(|l| !l.is_empty())
        .collect();
    let signer: Vec<String> = paras[recipients_i + 2..]
        .join("\n")
        .replace("**", "")
        .lines()
        .map(|l| l.trim().to_string())
        .filter(|l| !l.is_empty())
        .collect();

    let mut criteria = Vec::new();
    let general = idx(&|p| p == "2. Tiêu chuẩn chung");
    let mut n = 0;
    for p in &paras[general + 1..] {
        let Some(item) = p.strip_prefix("- ") else { break };
        n += 1;
        criteria.push((format!("III.2.{n}"), AppliesTo::Chung, item.to_string()));
    }
    for (prefix, code, applies) in [("3.1. Tập thể: ", "III.3.1", AppliesTo::TapThe), ("3.2. Cá nhân: ", "III.3.2", AppliesTo::CaNhan)] {
        let p = &paras[idx(&|p| p.starts_with(prefix))];
        criteria.push((code.to_string(), applies, p[prefix.len()..].to_string()));
    }
    ParsedPlan {
        number,
        title,
        bases: paras[bases_i].clone(),
        body,
        recipients,
        signer_authority: signer.first().cloned().unwrap_or_default(),
        signer_title: signer.get(1).cloned().unwrap_or_default(),
        signer_name: signer.last().cloned().unwrap_or_default(),
        criteria,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plan_48_parses_word_for_word() {
        let p = parse_plan_48();
        assert_eq!(p.number, "48-KH/ĐUK");
        assert!(p.title.starts_with("tuyên truyền, bồi dưỡng và nhân rộng điển hình tiên tiến"));
        assert!(p.bases.starts_with("Căn cứ Kế hoạch số 26-KH/ĐUK"));
        assert!(p.body.starts_with("I. MỤC ĐÍCH, YÊU CẦU"));
        assert!(p.body.contains("Kết luận số 01-KL/TW ngày 18/5/2021 của Bộ Chính trị;"), "page break mended");
        assert_eq!(p.recipients.first().map(String::as_str), Some("- Ban Tuyên giáo Tỉnh ủy,"));
        assert_eq!(p.recipients.last().map(String::as_str), Some("- Lưu."));
        assert_eq!(p.signer_authority, "T/M BAN THƯỜNG VỤ");
        assert_eq!(p.signer_title, "PHÓ BÍ THƯ");
        assert_eq!(p.signer_name, "Bùi Hoàng Tùng");
        let codes: Vec<&str> = p.criteria.iter().map(|c| c.0.as_str()).collect();
        assert_eq!(codes, ["III.2.1", "III.2.2", "III.2.3", "III.2.4", "III.3.1", "III.3.2"]);
        for (_, _, text) in &p.criteria {
            assert!(PLAN_48_TEXT.contains(text.as_str()), "criterion not verbatim: {text}");
        }
        assert!(p.criteria[0].2.starts_with("Gương mẫu chấp hành tốt đường lối"));
        assert!(p.criteria[5].2.ends_with("được cán bộ, đảng viên và người lao động tín nhiệm, học tập và noi theo."));
    }
}
