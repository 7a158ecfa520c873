#![no_main]

use dienhinh_text::{fold, normalize, normalize_line, sort_key, tokens};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|s: &str| {
    let n = normalize(s);
    assert_eq!(normalize(&n), n);
    let l = normalize_line(s);
    assert_eq!(normalize_line(&l), l);
    let f = fold(s);
    assert_eq!(fold(&f), f);
    assert_eq!(fold(&n), f);
    assert_eq!(tokens(s).join(" "), f);
    let k = sort_key(s);
    assert!(k.bytes().all(|b| (0x21..0x7f).contains(&b)));
    assert_eq!(sort_key(&n), k);
});
