#![no_main]

use dienhinh_text::legacy::{decode_bytes, to_unicode, unicode_to_vni, vni_to_unicode};
use libfuzzer_sys::fuzz_target;

/// Letters and separators that make up Vietnamese Unicode text.
const ALPHABET: &str =
    "aàảãáạăằẳẵắặâầẩẫấậeèẻẽéẹêềểễếệiìỉĩíịoòỏõóọôồổỗốộơờởỡớợuùủũúụưừửữứựyỳỷỹýỵđbcdghklmnpqrstvx \
AÀẢÃÁẠĂẰẲẴẮẶÂẦẨẪẤẬEÈẺẼÉẸÊỀỂỄẾỆIÌỈĨÍỊOÒỎÕÓỌÔỒỔỖỐỘƠỜỞỠỚỢUÙỦŨÚỤƯỪỬỮỨỰYỲỶỸÝỴĐBCDGHKLMNPQRSTVX .,-0";

fuzz_target!(|data: &[u8]| {
    let (s, _) = decode_bytes(data);
    let _ = to_unicode(&s);
    if let Ok(text) = std::str::from_utf8(data) {
        let _ = to_unicode(text);
    }

    // Every byte picks a letter: any Vietnamese string must survive VNI.
    let letters: Vec<char> = ALPHABET.chars().collect();
    let viet: String = data
        .iter()
        .map(|&b| letters[b as usize % letters.len()])
        .collect();
    assert_eq!(vni_to_unicode(&unicode_to_vni(&viet)), viet);
});
