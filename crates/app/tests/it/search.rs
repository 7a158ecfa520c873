//! Full-text search (issue 8): the same corpus and the same expectations on
//! SQLite (FTS5) and PostgreSQL (tsvector).

use crate::both;
use dienhinh_domain::{OrgPath, RecordKind};
use dienhinh_store::orgs::{self, OrgInput};
use dienhinh_store::search::{self, SearchDoc, SearchHit, SearchQuery};
use dienhinh_store::users::{self, NewUser};
use dienhinh_store::Actor;
use reqwest::StatusCode;
use serde_json::Value;
use std::collections::{BTreeSet, HashMap};

/// (key, name as typed) — organisations. Between them they carry every
/// vowel (a ă â e ê i o ô ơ u ư y) with every tone, đ, upper case, names
/// typed with old-style tone placement (hoà, thuỷ, khoẻ), and names that
/// differ only by diacritics.
const ORGS: &[(&str, &str)] = &[
    ("an", "Nguyễn Văn An"),
    ("ân", "Nguyễn Văn Ân"),
    ("ấn", "Nguyễn Văn Ấn"),
    ("an0", "Nguyen Van An"),
    ("hòa", "Trần Thị Hoà"),
    ("hoa", "Trần Thị Hoa"),
    ("thủy", "Lê Thị Thuỷ"),
    ("thùy", "Lê Thị Thùy"),
    ("thắng", "Phạm Đức Thắng"),
    ("hằng", "Đặng Thị Hằng"),
    ("lẵng", "Hợp tác xã Lẵng hoa Khẳng Định"),
    ("hải", "Hoàng Mạnh Hải"),
    ("thẩm", "Đỗ Văn Thẩm"),
    ("mẫn", "Vũ Ngọc Mẫn"),
    ("hậu", "Lý Văn Hậu"),
    ("sen", "Hồ Thị Sen"),
    ("hè", "Dương Thị Hè"),
    ("thép", "Phùng Văn Thép"),
    ("trẻ", "Đoàn Thanh niên Tuổi Trẻ"),
    ("kẽm", "Xưởng Kẽm Nhẹ"),
    ("huế", "Trường Nghề Huế"),
    ("việt", "Trung tâm Thể dục Bách Việt"),
    ("bình", "Nguyễn Minh Bình"),
    ("nghĩa", "Hội Chính Nghĩa tỉnh Đoài"),
    ("long", "Võ Ngọc Long"),
    ("đỏ", "Đội bóng Sao Đỏ"),
    ("lộc", "Tô Quốc Lộc"),
    ("hồng", "Đỗ Thị Hồng"),
    ("lợi", "Phạm Sơn Lợi"),
    ("rỡ", "Trường Mới Rực Rỡ"),
    ("thu", "Lê Phú Thu"),
    ("hưng", "Từ Hữu Hưng"),
    ("lực", "Bảo tàng Lịch sử Điện lực"),
    ("kỳ", "Ngô Huy Kỳ"),
    ("kỷ", "Trần Quý Kỷ"),
    ("lỵ", "Hợp tác xã Mỹ Lỵ"),
    ("khối", "ĐẢNG BỘ KHỐI DOANH NGHIỆP"),
    ("khỏe", "Câu lạc bộ Sức khoẻ Hoà Bình"),
    ("đào", "Đinh Thị Đào"),
    ("dao", "Dinh Thi Dao"),
];

/// (key, full name, username) — people.
const PEOPLE: &[(&str, &str, &str)] = &[
    ("vinh", "Lương Thế Vinh", "zzu1"),
    ("chi", "Mạc Đĩnh Chi", "zzu2"),
    ("chu", "Chu Văn An", "zzu3"),
    ("hương", "Hồ Xuân Hương", "zzu4"),
];

/// Query → the keys it must hit (and nothing else). Rule: every word must
/// match, in any order; all but the last as whole words, the last as a
/// prefix; diacritics, case and đ/d ignored.
const CASES: &[(&str, &str)] = &[
    // Full names with their diacritics: every name that folds the same.
    ("Nguyễn Văn An", "an ân ấn an0"),
    ("Nguyễn Văn Ân", "an ân ấn an0"),
    ("Nguyễn Văn Ấn", "an ân ấn an0"),
    ("Nguyen Van An", "an ân ấn an0"),
    ("Chu Văn An", "chu"),
    ("Trần Thị Hòa", "hòa hoa"),
    ("Trần Thị Hoa", "hòa hoa"),
    ("Lê Thị Thủy", "thủy thùy"),
    ("Lê Thị Thùy", "thủy thùy"),
    ("Phạm Đức Thắng", "thắng"),
    ("Đặng Thị Hằng", "hằng"),
    ("Hợp tác xã Lẵng hoa Khẳng Định", "lẵng"),
    ("Hoàng Mạnh Hải", "hải"),
    ("Đỗ Văn Thẩm", "thẩm"),
    ("Vũ Ngọc Mẫn", "mẫn"),
    ("Lý Văn Hậu", "hậu"),
    ("Hồ Thị Sen", "sen"),
    ("Dương Thị Hè", "hè"),
    ("Phùng Văn Thép", "thép"),
    ("Đoàn Thanh niên Tuổi Trẻ", "trẻ"),
    ("Xưởng Kẽm Nhẹ", "kẽm"),
    ("Trường Nghề Huế", "huế"),
    ("Trung tâm Thể dục Bách Việt", "việt"),
    ("Nguyễn Minh Bình", "bình"),
    ("Hội Chính Nghĩa tỉnh Đoài", "nghĩa"),
    ("Võ Ngọc Long", "long"),
    ("Đội bóng Sao Đỏ", "đỏ"),
    ("Tô Quốc Lộc", "lộc"),
    ("Đỗ Thị Hồng", "hồng"),
    ("Phạm Sơn Lợi", "lợi"),
    ("Trường Mới Rực Rỡ", "rỡ"),
    ("Lê Phú Thu", "thu"),
    ("Từ Hữu Hưng", "hưng"),
    ("Bảo tàng Lịch sử Điện lực", "lực"),
    ("Ngô Huy Kỳ", "kỳ"),
    ("Trần Quý Kỷ", "kỷ"),
    ("Hợp tác xã Mỹ Lỵ", "lỵ"),
    ("Đảng bộ Khối Doanh nghiệp", "khối"),
    ("Câu lạc bộ Sức khỏe Hòa Bình", "khỏe"),
    ("Đinh Thị Đào", "đào dao"),
    ("Dinh Thi Dao", "đào dao"),
    ("Lương Thế Vinh", "vinh"),
    ("Mạc Đĩnh Chi", "chi"),
    ("Hồ Xuân Hương", "hương"),
    // Typed without diacritics.
    ("pham duc thang", "thắng"),
    ("dang thi hang", "hằng"),
    ("hop tac xa lang hoa khang dinh", "lẵng"),
    ("hoang manh hai", "hải"),
    ("do van tham", "thẩm"),
    ("vu ngoc man", "mẫn"),
    ("ly van hau", "hậu"),
    ("ho thi sen", "sen"),
    ("duong thi he", "hè"),
    ("phung van thep", "thép"),
    ("doan thanh nien tuoi tre", "trẻ"),
    ("xuong kem nhe", "kẽm"),
    ("truong nghe hue", "huế"),
    ("trung tam the duc bach viet", "việt"),
    ("nguyen minh binh", "bình"),
    ("hoi chinh nghia tinh doai", "nghĩa"),
    ("vo ngoc long", "long"),
    ("doi bong sao do", "đỏ"),
    ("to quoc loc", "lộc"),
    ("do thi hong", "hồng"),
    ("pham son loi", "lợi"),
    ("truong moi ruc ro", "rỡ"),
    ("le phu thu", "thu"),
    ("tu huu hung", "hưng"),
    ("bao tang lich su dien luc", "lực"),
    ("ngo huy ky", "kỳ"),
    ("tran quy ky", "kỷ"),
    ("hop tac xa my ly", "lỵ"),
    ("dang bo khoi doanh nghiep", "khối"),
    ("cau lac bo suc khoe hoa binh", "khỏe"),
    ("luong the vinh", "vinh"),
    ("mac dinh chi", "chi"),
    ("ho xuan huong", "hương"),
    ("chu van an", "chu"),
    ("tran thi hoa", "hòa hoa"),
    ("le thi thuy", "thủy thùy"),
    // Upper case.
    ("NGUYỄN VĂN AN", "an ân ấn an0"),
    ("PHẠM ĐỨC THẮNG", "thắng"),
    ("ĐẢNG BỘ KHỐI", "khối"),
    ("HỒ XUÂN HƯƠNG", "hương"),
    ("TRƯỜNG NGHỀ", "huế"),
    ("LÊ THỊ THUỶ", "thủy thùy"),
    ("DINH THI DAO", "đào dao"),
    ("ĐOÀN THANH NIÊN", "trẻ"),
    ("XƯỞNG KẼM", "kẽm"),
    ("MẠC ĐĨNH CHI", "chi"),
    ("doanh nghiệp", "khối"),
    ("DOANH", "khối"),
    ("ĐỨC", "thắng việt"),
    ("ĐÀO", "đào dao"),
    // Old and new tone placement.
    ("hoà", "hòa hoa lẵng khỏe hải"),
    ("hòa", "hòa hoa lẵng khỏe hải"),
    ("Trần Thị Hoà", "hòa hoa"),
    ("thuỷ", "thủy thùy"),
    ("thủy", "thủy thùy"),
    ("Lê Thị Thuỷ", "thủy thùy"),
    ("sức khoẻ", "khỏe"),
    ("sức khỏe", "khỏe"),
    ("khoẻ hoà bình", "khỏe"),
    ("khỏe hòa bình", "khỏe"),
    ("hoà bình", "khỏe"),
    ("hòa bình", "khỏe"),
    ("Quý Kỷ", "kỷ"),
    ("mỹ lỵ", "lỵ"),
    // A lone `y` after a consonant is `i`.
    ("Quí Kỉ", "kỷ"),
    ("tran qui ki", "kỷ"),
    ("mĩ lị", "lỵ"),
    ("hợp tác xã mi li", "lỵ"),
    ("ngô huy kì", "kỳ"),
    ("kì", "kỳ kỷ"),
    ("li van hau", "hậu"),
    ("hui", ""),
    // Typos: a tone or a hat left out or wrong.
    ("Nguyên Văn An", "an ân ấn an0"),
    ("Nguyen Văn Án", "an ân ấn an0"),
    ("Pham Đuc Thang", "thắng"),
    ("Đang Thi Hang", "hằng"),
    ("Hoang Manh Hai", "hải"),
    ("Đô Văn Thâm", "thẩm"),
    ("Vu Ngoc Man", "mẫn"),
    ("Ly Van Hâu", "hậu"),
    ("Hô Thi Sen", "sen"),
    ("Dương Thi He", "hè"),
    ("Phung Văn Thep", "thép"),
    ("Tuôi Tre", "trẻ"),
    ("Kem Nhe", "kẽm"),
    ("Nghê Huê", "huế"),
    ("Bach Viêt", "việt"),
    ("Minh Binh", "bình"),
    ("Chinh Nghia", "nghĩa"),
    ("Ngoc Long", "long"),
    ("Sao Đo", "đỏ"),
    ("Quôc Lôc", "lộc"),
    ("Thi Hông", "hồng"),
    ("Sơn Lơi", "lợi"),
    ("Rưc Rơ", "rỡ"),
    ("Phu Thu", "thu"),
    ("Hưu Hưng", "hưng"),
    ("Điên Lưc", "lực"),
    ("Huy Ky", "kỳ"),
    ("Quy Ky", "kỷ"),
    ("Lương Thê Vinh", "vinh"),
    ("Xuân Hương", "hương"),
    ("Đinh Chi", "chi"),
    ("Khăng Đinh", "lẵng"),
    // đ typed as d.
    ("duc", "thắng việt"),
    ("dang", "hằng khối"),
    ("do", "thẩm đỏ hồng trẻ khối nghĩa"),
    ("dinh", "lẵng đào dao chi"),
    ("dien luc", "lực"),
    ("dao", "đào dao"),
    ("doi bong", "đỏ"),
    ("dang bo", "khối"),
    ("do thi", "hồng"),
    ("doan", "trẻ khối"),
    ("duong", "hè"),
    ("Đương", "hè"),
    // Prefixes, as typed letter by letter.
    ("ngu", "an ân ấn an0 bình"),
    ("nguy", "an ân ấn an0 bình"),
    ("nguyễn v", "an ân ấn an0"),
    ("nguyễn văn", "an ân ấn an0"),
    ("nguyễn văn a", "an ân ấn an0"),
    ("nguyen m", "bình"),
    ("tr", "hòa hoa kỷ trẻ huế rỡ việt"),
    ("trư", "huế rỡ việt"),
    ("trườ", "huế rỡ"),
    ("th", "hòa hoa thủy thùy thắng hằng thẩm sen hè thép trẻ việt hồng thu đào dao vinh"),
    ("hu", "huế hưng kỳ hương"),
    ("hư", "huế hưng kỳ hương"),
    ("hươ", "hương"),
    ("kh", "lẵng khối khỏe"),
    ("kho", "khối khỏe"),
    ("khô", "khối khỏe"),
    ("khối", "khối"),
    ("ph", "thắng lợi thép thu"),
    ("phạ", "thắng lợi"),
    ("lê th", "thủy thùy thu"),
    ("lê thị", "thủy thùy"),
    ("lê p", "thu"),
    ("bả", "lực việt"),
    ("bảo t", "lực"),
    ("qu", "lộc kỷ"),
    ("quố", "lộc"),
    ("ngh", "huế nghĩa khối"),
    ("nghi", "nghĩa khối"),
    ("ngo", "mẫn long kỳ"),
    ("ngô", "mẫn long kỳ"),
    ("ngọc", "mẫn long"),
    ("lu", "lực vinh"),
    ("lư", "lực vinh"),
    ("x", "lẵng lỵ kẽm hương"),
    ("xư", "kẽm hương"),
    ("hợp tác", "lẵng lỵ"),
    ("hợp tác xã m", "lỵ"),
    ("hợp tác xã l", "lẵng lỵ"),
    ("câu lạc", "khỏe"),
    ("m", "hải mẫn bình rỡ lỵ chi"),
    ("mạ", "hải mẫn chi"),
    ("s", "sen đỏ lợi lực khỏe"),
    ("sơ", "lợi"),
    ("v", "an ân ấn an0 chu thẩm hậu thép mẫn việt long vinh"),
    ("vi", "việt vinh"),
    ("võ", "long"),
    ("vũ", "mẫn"),
    ("ha", "hằng hải hậu"),
    ("hoan", "hải"),
    ("thu", "thủy thùy thu"),
    ("an", "an ân ấn an0 chu"),
    ("ân", "an ân ấn an0 chu"),
    ("ấn", "an ân ấn an0 chu"),
    ("Ấn", "an ân ấn an0 chu"),
    // One word, with its diacritics.
    ("ky", "kỳ kỷ"),
    ("kỳ", "kỳ kỷ"),
    ("kỷ", "kỳ kỷ"),
    // `mỹ` is `mĩ` (a prefix of `Minh`), `lý` is `lí` (of `Lịch`).
    ("mỹ", "lỵ bình"),
    ("lý", "hậu lỵ lực"),
    ("lỵ", "hậu lỵ lực"),
    ("đào", "đào dao"),
    ("thép", "thép"),
    ("trẻ", "trẻ"),
    ("nhẹ", "kẽm"),
    ("huế", "huế"),
    ("việt", "việt"),
    ("phú", "thu thép"),
    ("điện", "lực"),
    ("khỏe", "khỏe"),
    ("bình", "bình khỏe"),
    ("minh", "bình"),
    ("mạnh", "hải"),
    ("hải", "hải"),
    ("hằng", "hằng"),
    ("thẩm", "thẩm"),
    ("mẫn", "mẫn hải"),
    ("hậu", "hậu"),
    ("sen", "sen"),
    ("hè", "hè"),
    ("long", "long"),
    ("lộc", "lộc"),
    ("hồng", "hồng"),
    ("hưng", "hưng"),
    ("hương", "hương"),
    ("vinh", "vinh"),
    ("chi", "chi nghĩa"),
    ("chu", "chu"),
    ("xuân", "hương"),
    ("hoàng", "hải"),
    // Several words, in any order.
    ("hoa thi tran", "hòa hoa"),
    ("an nguyen", "an ân ấn an0"),
    ("van a", "an ân ấn an0 chu"),
    ("thu le", "thu"),
    ("le thu", "thủy thùy thu"),
    ("thuy le", "thủy thùy"),
    ("hoa binh", "khỏe"),
    ("hoang manh", "hải"),
    ("thi hoa", "hòa hoa"),
    ("khang dinh", "lẵng"),
    ("xa my", "lỵ"),
    ("quý kỳ", "kỷ"),
    ("huy kỷ", "kỳ"),
    ("đinh thị", "đào dao"),
    ("dương thị hè", "hè"),
    ("tỉnh đoài", "nghĩa"),
    ("bóng đỏ", "đỏ"),
    ("sao đỏ", "đỏ"),
    ("tô quốc", "lộc"),
    ("sơn lợi", "lợi"),
    ("rực rỡ", "rỡ"),
    ("từ hữu", "hưng"),
    ("điện lực", "lực"),
    ("lịch sử", "lực"),
    ("ngô huy", "kỳ"),
    ("chính nghĩa", "nghĩa"),
    ("lẵng hoa", "lẵng"),
    ("đức thắng", "thắng"),
    // Nothing.
    ("y", ""),
    ("huynh", ""),
    ("abc", ""),
    ("nguyễn văn b", ""),
    ("nguyen thi", ""),
    ("tran van", ""),
    ("pham thi", ""),
    ("ho van", ""),
    ("hoa binh nguyen", ""),
    // A whole word is not a prefix unless it is the last one.
    ("ngu van", ""),
    ("th thi", ""),
];

/// Query → the key that must come first: the name with the exact diacritics typed.
const FIRST: &[(&str, &str)] = &[
    ("Nguyễn Văn Ân", "ân"),
    ("Nguyễn Văn Ấn", "ấn"),
    ("Nguyễn Văn An", "an"),
    ("nguyen van an", "an0"),
    ("NGUYỄN VĂN ÂN", "ân"),
    ("Trần Thị Hoà", "hòa"),
    ("trần thị hòa", "hòa"),
    ("Trần Thị Hoa", "hoa"),
    ("Lê Thị Thuỷ", "thủy"),
    ("Lê Thị Thùy", "thùy"),
    ("Đinh Thị Đào", "đào"),
    ("dinh thi dao", "dao"),
    ("kỷ", "kỷ"),
    ("kỳ", "kỳ"),
];

struct Corpus {
    root: OrgPath,
    keys: HashMap<(RecordKind, i64), &'static str>,
}

async fn corpus(app: &crate::helpers::TestApp) -> Corpus {
    let actor = Actor::system("test");
    let tinh = app.org("Tỉnh ủy Nam Định").await;
    let root = orgs::create(&app.db, &actor, OrgInput { parent_id: Some(tinh.id), kind: "don_vi".into(), name: "ZZZZ".into(), short_name: String::new() })
        .await
        .unwrap();
    let mut keys = HashMap::new();
    for (key, name) in ORGS {
        let o = orgs::create(&app.db, &actor, OrgInput { parent_id: Some(root.id), kind: "don_vi".into(), name: name.to_string(), short_name: String::new() })
            .await
            .unwrap();
        keys.insert((RecordKind::Org, o.id), *key);
    }
    for (key, name, username) in PEOPLE {
        let u = users::create(
            &app.db,
            &actor,
            NewUser { username: username.to_string(), full_name: name.to_string(), position: String::new(), org_id: root.id, role: "nguoi_xem".into(), password: "mat-khau-dai-du".into() },
        )
        .await
        .unwrap();
        keys.insert((RecordKind::User, u.id), *key);
    }
    Corpus { root: root.org_path(), keys }
}

/// Hits for `q` inside `within`, after checking that PostgreSQL's ways of
/// matching (through the GIN index after a probe of the newest rows, of
/// one row or a few, and row by row in a small subtree) agree.
async fn find(app: &crate::helpers::TestApp, within: &[OrgPath], q: &str) -> Vec<SearchHit> {
    let run = |row_by_row: Option<bool>, probe: Option<i64>| async move {
        search::query(&app.db, &SearchQuery { text: q.into(), within: within.to_vec(), limit: Some(200), row_by_row, probe, ..Default::default() }).await.unwrap().items
    };
    let hits = run(None, None).await;
    let ids = |h: &[SearchHit]| h.iter().map(|h| (h.kind, h.record_id, h.rank)).collect::<Vec<_>>();
    for (forced, probe) in [(false, None), (false, Some(1)), (false, Some(7)), (true, None), (true, Some(1))] {
        assert_eq!(ids(&run(Some(forced), probe).await), ids(&hits), "{q:?}, row by row: {forced}, probe {probe:?}");
    }
    hits
}

both!(table_of_queries_and_expected_hits, |app| {
    let c = corpus(&app).await;
    // Names are stored in the one tone placement.
    let thuy = c.keys.iter().find(|(_, k)| **k == "thủy").map(|((_, id), _)| *id).unwrap();
    let stored = orgs::get(&app.db, thuy).await.unwrap();
    assert_eq!(stored.name, "Lê Thị Thủy");
    assert!(CASES.len() >= 200, "{} cases", CASES.len());
    let mut failures = vec![];
    for (q, want) in CASES {
        let hits = find(&app, std::slice::from_ref(&c.root), q).await;
        let got: BTreeSet<&str> = hits.iter().map(|h| *c.keys.get(&(h.kind, h.record_id)).unwrap_or(&"?")).collect();
        let want: BTreeSet<&str> = want.split_whitespace().collect();
        if got != want {
            failures.push(format!("{q:?}: want {want:?}, got {got:?}"));
        }
    }
    for (q, first) in FIRST {
        let hits = find(&app, std::slice::from_ref(&c.root), q).await;
        let got = hits.first().map(|h| c.keys[&(h.kind, h.record_id)]);
        if got != Some(*first) {
            failures.push(format!("{q:?}: want {first} first, got {got:?}"));
        }
        if hits.first().map(|h| h.rank) != Some(0) {
            failures.push(format!("{q:?}: first hit should have rank 0"));
        }
    }
    // Asked from the province itself (on PostgreSQL its words in the
    // province's form with no subtree word; from the unit, with one), the
    // province holds every hit of the unit below it.
    // A second province holding the same names: the first one's officers
    // then see one whole tree, not every tree (on PostgreSQL: its rows by
    // their root, newest first), and none of the second's records.
    let province = app.org("Tỉnh ủy Nam Định").await.org_path();
    let actor = Actor::system("test");
    let other = orgs::create(&app.db, &actor, OrgInput { parent_id: None, kind: "tinh_uy".into(), name: "Tỉnh ủy Hà Nam".into(), short_name: "TU".into() }).await.unwrap();
    for (_, name) in ORGS {
        orgs::create(&app.db, &actor, OrgInput { parent_id: Some(other.id), kind: "don_vi".into(), name: name.to_string(), short_name: String::new() }).await.unwrap();
    }
    assert!(!orgs::covers_everything(&app.db, std::slice::from_ref(&province)).await.unwrap());
    for (q, _) in CASES.iter().take(40) {
        let in_unit: BTreeSet<(RecordKind, i64)> = find(&app, std::slice::from_ref(&c.root), q).await.iter().map(|h| (h.kind, h.record_id)).collect();
        let province_hits = find(&app, std::slice::from_ref(&province), q).await;
        if let Some(h) = province_hits.iter().find(|h| !h.org_path.starts_with(province.as_str())) {
            failures.push(format!("{q:?}: the province sees {} of another tree", h.title));
        }
        let in_province: BTreeSet<(RecordKind, i64)> = province_hits.iter().map(|h| (h.kind, h.record_id)).collect();
        if !in_unit.is_subset(&in_province) {
            failures.push(format!("{q:?}: the province misses {:?}", in_unit.difference(&in_province).collect::<Vec<_>>()));
        }
    }
    assert!(failures.is_empty(), "{} of {} failed:\n{}", failures.len(), CASES.len() + FIRST.len(), failures.join("\n"));
});

both!(hostile_queries_are_plain_text, |app| {
    let (client, _) = app.sign_in("btg").await;
    let token = app.token("btg").await;
    let api = reqwest::Client::new();
    let long = "Điện lực \"*-' OR 1=1 --".repeat(500);
    assert!(long.chars().count() >= 10_000);
    let hostile = [
        "\"", "*", "-", "NEAR(a b)", "NEAR(điện lực)", "' OR 1=1 --", "'; DROP TABLE search_docs; --", "%", "_", "%_%", "điện*", "-điện",
        "\"điện lực\"", "điện OR lực", "điện AND NOT lực", "a:* & !b", "(", ")", "^", "{col}:x", "folded:dien", "🙂🇻🇳", "\u{0}", "a\u{0}b",
        "\\", "$1", "?", "", "   ", &long,
    ];
    for q in hostile {
        let page = client.get(app.url("/search")).query(&[("q", q)]).send().await.unwrap();
        assert_eq!(page.status(), StatusCode::OK, "page for {q:?}");
        let html = page.text().await.unwrap();
        assert!(!html.contains("<script"), "no markup injected");
        let res = api.get(app.url("/api/v1/search")).bearer_auth(&token).query(&[("q", q)]).send().await.unwrap();
        assert_eq!(res.status(), StatusCode::OK, "API for {q:?}");
        let body: Value = res.json().await.unwrap();
        assert!(body["items"].is_array());
    }
    // Filters with NUL or junk are never a server error: the API refuses an
    // out-of-range limit or a malformed cursor as its document says (422),
    // a NUL is stripped at the edge, the page shows the first page.
    let res = api.get(app.url("/api/v1/search")).bearer_auth(&token).query(&[("q", "dien"), ("kind", "org\u{0}"), ("cursor", "00.1"), ("limit", "-5")]).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let res = api.get(app.url("/api/v1/search")).bearer_auth(&token).query(&[("q", "dien"), ("kind", "org\u{0}")]).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    let res = client.get(app.url("/search")).query(&[("q", "dien"), ("kind", "\u{0}"), ("cursor", "zz")]).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    // Operators are text: the words in them still find what they name.
    let res: Value = api.get(app.url("/api/v1/search")).bearer_auth(&token).query(&[("q", "\"điện* -lực\" NEAR")]).send().await.unwrap().json().await.unwrap();
    assert!(res["items"].as_array().unwrap().is_empty(), "near is a word no record has");
    let res: Value = api.get(app.url("/api/v1/search")).bearer_auth(&token).query(&[("q", "\"điện* -lực")]).send().await.unwrap().json().await.unwrap();
    assert!(!res["items"].as_array().unwrap().is_empty());
    // Empty and all-punctuation queries: an empty page, not everything.
    for q in ["", "  ", "\"*-", "🙂"] {
        let hits = find(&app, &[OrgPath("/".into())], q).await;
        assert!(hits.is_empty(), "{q:?}");
    }
    // Markup in a record is escaped on the results page.
    let duk = app.org("Đảng ủy Khối các cơ quan và doanh nghiệp tỉnh Nam Định").await;
    orgs::create(&app.db, &Actor::system("test"), OrgInput { parent_id: Some(duk.id), kind: "don_vi".into(), name: "Tổ <script>alert(1)</script> Bánh".into(), short_name: String::new() })
        .await
        .unwrap();
    let html = client.get(app.url("/search")).query(&[("q", "banh")]).send().await.unwrap().text().await.unwrap();
    assert!(html.contains("Tổ &#60;script&#62;alert(1)&#60;/script&#62; <mark>Bánh</mark>"), "{html}");
    assert!(!html.contains("<script>alert"));
    assert!(html.contains("<mark>Bánh</mark>"));
});

both!(an_officer_never_finds_a_sibling_organisations_records, |app| {
    // canbo works at the Điện lực party committee; Sở Tài chính is a sibling.
    let token = app.token("canbo").await;
    let api = reqwest::Client::new();
    let get = |q: &'static str| {
        let api = api.clone();
        let token = token.clone();
        let url = app.url("/api/v1/search");
        async move { api.get(url).bearer_auth(token).query(&[("q", q), ("limit", "200")]).send().await.unwrap().json::<Value>().await.unwrap() }
    };
    let taichinh = app.org("Đảng bộ Sở Tài chính").await;
    let dienluc = app.org("Đảng bộ Công ty Điện lực Nam Định").await;
    for q in ["tai chinh", "Sở Tài chính", "Ngô Quang Huy", "ngan sach", "Hoàng Thị Ngọc Ánh", "so", "d", "dang bo", "ke hoach", "48"] {
        let res = get(q).await;
        for h in res["items"].as_array().unwrap() {
            let path = h["org_path"].as_str().unwrap();
            assert!(path.starts_with(dienluc.path.as_str()), "{q:?} found {} at {path}", h["title"]);
            assert!(!path.starts_with(taichinh.path.as_str()));
        }
    }
    assert!(get("tai chinh").await["items"].as_array().unwrap().is_empty());
    assert!(!get("dien luc").await["items"].as_array().unwrap().is_empty(), "own records are found");
    // The same query by someone whose scope covers both finds the sibling.
    let all = find(&app, &[app.org("Đảng ủy Khối các cơ quan và doanh nghiệp tỉnh Nam Định").await.path], "tai chinh").await;
    assert!(all.iter().any(|h| h.kind == RecordKind::Org && h.record_id == taichinh.id));
    // An empty scope sees nothing.
    assert!(find(&app, &[], "dien luc").await.is_empty());
});

both!(exact_diacritics_rank_first_and_paging_keeps_the_order, |app| {
    let actor = Actor::system("test");
    let yte = app.org("Đảng bộ Sở Y tế").await;
    // The exact spelling is created last (largest id), so only the rank puts it first.
    for name in ["Khoa Hoa Binh", "Khoa Hóa Bính", "Khoa Hòa Bình"] {
        orgs::create(&app.db, &actor, OrgInput { parent_id: Some(yte.id), kind: "don_vi".into(), name: name.into(), short_name: String::new() }).await.unwrap();
    }
    let within = [yte.org_path()];
    let titles = |hits: &[SearchHit]| hits.iter().map(|h| h.title.clone()).collect::<Vec<_>>();
    let hits = find(&app, &within, "hoà bình").await;
    assert_eq!(titles(&hits), ["Khoa Hòa Bình", "Khoa Hoa Binh", "Khoa Hóa Bính"]);
    assert_eq!(hits.iter().map(|h| h.rank).collect::<Vec<_>>(), [0, 1, 1]);
    let hits = find(&app, &within, "KHOA HOA BINH").await;
    assert_eq!(titles(&hits)[0], "Khoa Hoa Binh");
    let hits = find(&app, &within, "hóa bính").await;
    assert_eq!(titles(&hits)[0], "Khoa Hóa Bính");
    // A phrase in the body ranks after title matches, scattered words last
    // (indexed first, so only the rank orders them).
    let mut tx = app.db.begin().await.unwrap();
    search::index(&mut tx, &SearchDoc { body: "Bình minh ở xã Hòa".into(), ..SearchDoc::new(RecordKind::Exemplar, 900_002, yte.path.as_str(), "Ghi chép") }).await.unwrap();
    search::index(&mut tx, &SearchDoc { body: "Về khoa Hòa Bình".into(), ..SearchDoc::new(RecordKind::Exemplar, 900_001, yte.path.as_str(), "Báo cáo") }).await.unwrap();
    tx.commit().await.unwrap();
    let hits = find(&app, &within, "hòa bình").await;
    assert_eq!(titles(&hits)[3..], ["Báo cáo", "Ghi chép"]);
    assert_eq!(hits.iter().map(|h| h.rank).collect::<Vec<_>>(), [0, 1, 1, 2, 3]);
    let marked: Vec<&str> = hits[3].snippet.iter().filter(|s| s.mark).map(|s| s.text.as_str()).collect();
    assert_eq!(marked, ["Hòa Bình"]);
    let marked: Vec<&str> = hits[4].snippet.iter().filter(|s| s.mark).map(|s| s.text.as_str()).collect();
    assert_eq!(marked, ["Bình", "Hòa"]);
    // Paging one by one visits the same hits in the same order.
    let all = titles(&find(&app, &within, "hòa bình").await);
    let mut paged = vec![];
    let mut cursor = None;
    loop {
        let page = search::query(&app.db, &SearchQuery { text: "hòa bình".into(), within: within.to_vec(), cursor: cursor.clone(), limit: Some(1), ..Default::default() }).await.unwrap();
        paged.extend(titles(&page.items));
        match page.next {
            Some(n) => cursor = Some(n),
            None => break,
        }
    }
    assert_eq!(paged, all);
    assert_eq!(all.len(), 5);
});

both!(windows_rank_the_newest_matches_and_paging_reaches_every_match, |app| {
    // The corpus of the test above: three titles, then a body phrase
    // (rank 2) and scattered words (rank 3), indexed last (newest).
    let actor = Actor::system("test");
    let yte = app.org("Đảng bộ Sở Y tế").await;
    for name in ["Khoa Hoa Binh", "Khoa Hóa Bính", "Khoa Hòa Bình"] {
        orgs::create(&app.db, &actor, OrgInput { parent_id: Some(yte.id), kind: "don_vi".into(), name: name.into(), short_name: String::new() }).await.unwrap();
    }
    let mut tx = app.db.begin().await.unwrap();
    search::index(&mut tx, &SearchDoc { body: "Bình minh ở xã Hòa".into(), ..SearchDoc::new(RecordKind::Exemplar, 900_002, yte.path.as_str(), "Ghi chép") }).await.unwrap();
    search::index(&mut tx, &SearchDoc { body: "Về khoa Hòa Bình".into(), ..SearchDoc::new(RecordKind::Exemplar, 900_001, yte.path.as_str(), "Báo cáo") }).await.unwrap();
    tx.commit().await.unwrap();
    let within = [yte.org_path()];
    // Every page size, every way PostgreSQL can match, and a window of 2:
    // the newest two ranked, then the next two, then the last one.
    let pages = |limit: i64, window: Option<i64>, (row_by_row, probe): (Option<bool>, Option<i64>)| {
        let within = within.to_vec();
        let app = &app;
        async move {
            let (mut titles, mut cursor, mut pages) = (vec![], None, 0);
            loop {
                let q = SearchQuery { text: "hòa bình".into(), within: within.clone(), cursor: cursor.clone(), limit: Some(limit), window, row_by_row, probe, ..Default::default() };
                let page = search::query(&app.db, &q).await.unwrap();
                assert!(page.items.len() as i64 <= limit);
                titles.extend(page.items.iter().map(|h| h.title.clone()));
                pages += 1;
                assert!(pages < 20, "paging does not end");
                match page.next {
                    Some(n) => cursor = Some(n),
                    None => return titles,
                }
            }
        }
    };
    let windowed = ["Báo cáo", "Ghi chép", "Khoa Hòa Bình", "Khoa Hóa Bính", "Khoa Hoa Binh"];
    let whole = ["Khoa Hòa Bình", "Khoa Hoa Binh", "Khoa Hóa Bính", "Báo cáo", "Ghi chép"];
    for row_by_row in [(None, None), (Some(false), None), (Some(false), Some(1)), (Some(false), Some(3)), (Some(true), None), (Some(true), Some(1))] {
        for limit in [1, 2, 3, 10] {
            assert_eq!(pages(limit, Some(2), row_by_row).await, windowed, "limit {limit}, row by row {row_by_row:?}");
            // A window larger than the matches ranks them all.
            assert_eq!(pages(limit, Some(5), row_by_row).await, whole, "limit {limit}, row by row {row_by_row:?}");
            assert_eq!(pages(limit, None, row_by_row).await, whole, "limit {limit}, row by row {row_by_row:?}");
        }
    }
    // A record indexed while someone pages does not shift the pages already
    // windowed: it is found by the next search.
    let first = search::query(&app.db, &SearchQuery { text: "hòa bình".into(), within: within.to_vec(), limit: Some(2), window: Some(2), ..Default::default() }).await.unwrap();
    let mut tx = app.db.begin().await.unwrap();
    search::index(&mut tx, &SearchDoc { body: "Hòa Bình".into(), ..SearchDoc::new(RecordKind::Exemplar, 900_003, yte.path.as_str(), "Mới") }).await.unwrap();
    tx.commit().await.unwrap();
    let rest = search::query(&app.db, &SearchQuery { text: "hòa bình".into(), within: within.to_vec(), limit: Some(10), window: Some(2), cursor: first.next, ..Default::default() }).await.unwrap();
    let titles: Vec<String> = first.items.iter().chain(&rest.items).map(|h| h.title.clone()).collect();
    assert_eq!(titles, windowed);
    // Both rank 2 (a phrase in the text), so by id within the newest two.
    assert_eq!(pages(10, Some(2), (None, None)).await[..2], ["Báo cáo", "Mới"]);
});

/// Titles of every page of organisations found by `q` within `within`,
/// with windows of `window` and pages of `limit`.
/// The ways PostgreSQL can read a window (`row_by_row`, `probe`): as it
/// decides, row by row, through the GIN index after a probe of one row or
/// of the default size. SQLite ignores them.
const PATHS: [(Option<bool>, Option<i64>); 4] = [(None, None), (Some(true), None), (Some(false), Some(1)), (Some(false), None)];

async fn paged_titles(app: &crate::helpers::TestApp, within: &[OrgPath], q: &str, limit: i64, window: i64, (row_by_row, probe): (Option<bool>, Option<i64>)) -> Vec<String> {
    let (mut titles, mut cursor) = (vec![], None);
    for _ in 0..50 {
        let kind = Some("org".to_string());
        let query = SearchQuery { text: q.into(), within: within.to_vec(), kind, cursor, limit: Some(limit), window: Some(window), row_by_row, probe, ..Default::default() };
        let page = search::query(&app.db, &query).await.unwrap();
        titles.extend(page.items.iter().map(|h| h.title.clone()));
        match page.next {
            Some(n) => cursor = Some(n),
            None => return titles,
        }
    }
    panic!("paging does not end");
}

both!(subtrees_in_several_provinces_page_as_one_index, |app| {
    // SQLite reads each province's stretch of its index apart (migration
    // 34) and keeps the newest of them all; the windows, ranks and pages
    // must be those of one index: the same titles in the same order as
    // the whole tree's search, which reads the other index.
    let actor = Actor::system("test");
    let root = |name: &'static str| {
        let actor = actor.clone();
        let app = &app;
        async move { orgs::create(&app.db, &actor, OrgInput { parent_id: None, kind: "tinh_uy".into(), name: name.into(), short_name: "TU".into() }).await.unwrap() }
    };
    let (ha_nam, ninh_binh) = (root("Tỉnh ủy Hà Nam").await, root("Tỉnh ủy Ninh Bình").await);
    let unit = |parent: i64, name: String| {
        let actor = actor.clone();
        let app = &app;
        async move { orgs::create(&app.db, &actor, OrgInput { parent_id: Some(parent), kind: "don_vi".into(), name, short_name: String::new() }).await.unwrap() }
    };
    let (bloc_a, bloc_b) = (unit(ha_nam.id, "Đảng bộ Khối A".into()).await, unit(ninh_binh.id, "Đảng bộ Khối B".into()).await);
    // Interleaved between the provinces, with every rank: exact title,
    // title without diacritics, phrase in the text, scattered words.
    let mut units = vec![];
    for i in 0..9 {
        let parent = [ha_nam.id, bloc_b.id, bloc_a.id][i % 3];
        let name = ["Chi bộ Hòa Bình {i}", "Chi bộ Hoa Binh {i}", "Chi bộ Bình Hòa {i}"][i % 3].replace("{i}", &i.to_string());
        unit(parent, name.clone()).await;
        units.push((name, parent));
    }
    // The rule, from one window holding every match: windows of the
    // newest `window` matches, each ranked by (rank, index row id).
    let expected = |all: &[SearchHit], window: usize| -> Vec<String> {
        let mut newest_first: Vec<&SearchHit> = all.iter().collect();
        newest_first.sort_by_key(|h| std::cmp::Reverse(h.record_id));
        newest_first.chunks(window).flat_map(|c| {
            let mut c = c.to_vec();
            c.sort_by_key(|h| (h.rank, h.record_id));
            c.into_iter().map(|h| h.title.clone())
        }).collect()
    };
    // Each scope with the parents of its units.
    let scopes = [
        (vec![ha_nam.org_path(), bloc_b.org_path()], vec![ha_nam.id, bloc_a.id, bloc_b.id]),
        (vec![bloc_a.org_path(), bloc_b.org_path()], vec![bloc_a.id, bloc_b.id]),
        (vec![OrgPath::whole_tree()], vec![ha_nam.id, bloc_a.id, bloc_b.id]),
    ];
    for (within, parents) in &scopes {
        for q in ["hòa bình", "binh", "chi bo"] {
            // Organisations only: their index rows are in the order of their ids.
            let kind = Some("org".to_string());
            let all = search::query(&app.db, &SearchQuery { text: q.into(), within: within.clone(), kind, limit: Some(200), ..Default::default() }).await.unwrap().items;
            // Every unit of the scope that matches, and nothing else.
            let mine = |t: &str| units.iter().any(|(name, _)| name == t);
            let mut found: Vec<&str> = all.iter().map(|h| h.title.as_str()).filter(|t| mine(t)).collect();
            found.sort();
            let mut wanted: Vec<&str> = units.iter().filter(|(_, p)| parents.contains(p)).map(|(n, _)| n.as_str()).collect();
            wanted.sort();
            if !within[0].is_whole_tree() {
                assert_eq!(found.len(), all.len(), "{q} within {within:?}: only the scope's units");
            }
            assert_eq!(found, wanted, "{q} within {within:?}");
            for (limit, window) in [(1, 1), (2, 3), (3, 2), (20, 4), (4, 7)] {
                for path in PATHS {
                    let titles = paged_titles(&app, within, q, limit, window, path).await;
                    assert_eq!(titles, expected(&all, window as usize), "{q} within {within:?}, pages of {limit}, windows of {window}, {path:?}");
                }
            }
        }
    }
    // A whole province's scope holds the rows of its own node too, which
    // PostgreSQL's index of words by branch roots at the province.
    for (row_by_row, probe) in PATHS {
        let query = SearchQuery { text: "tỉnh ủy hà nam".into(), within: scopes[0].0.clone(), kind: Some("org".into()), row_by_row, probe, ..Default::default() };
        let found: Vec<i64> = search::query(&app.db, &query).await.unwrap().items.iter().map(|h| h.record_id).collect();
        assert_eq!(found, vec![ha_nam.id], "{row_by_row:?} {probe:?}");
    }
});

both!(moving_an_organisation_moves_its_search_scope, |app| {
    let actor = Actor::system("test");
    let taichinh = app.org("Đảng bộ Sở Tài chính").await;
    let dienluc = app.org("Đảng bộ Công ty Điện lực Nam Định").await;
    let team = orgs::create(&app.db, &actor, OrgInput { parent_id: Some(taichinh.id), kind: "chi_bo".into(), name: "Chi bộ Kiểm toán Nội bộ".into(), short_name: String::new() })
        .await
        .unwrap();
    users::create(&app.db, &actor, NewUser { username: "kiemtoan".into(), full_name: "Trịnh Văn Kiểm".into(), position: "Kiểm toán viên".into(), org_id: team.id, role: "nguoi_xem".into(), password: "mat-khau-dai-du".into() })
        .await
        .unwrap();
    let seen_by = |path: OrgPath| vec![path];
    assert_eq!(find(&app, &seen_by(taichinh.path.clone()), "kiem toan").await.len(), 2);
    assert!(find(&app, &seen_by(dienluc.path.clone()), "kiem toan").await.is_empty());
    let moved = orgs::move_to(&app.db, &actor, team.id, team.version, dienluc.id).await.unwrap();
    assert!(find(&app, &seen_by(taichinh.path.clone()), "kiem toan").await.is_empty(), "gone from the old subtree");
    let hits = find(&app, &seen_by(dienluc.path.clone()), "kiem toan").await;
    assert_eq!(hits.len(), 2, "the node and its people moved");
    assert!(hits.iter().all(|h| h.org_path == moved.path.as_str()));
    // Renaming re-indexes in the same transaction.
    let renamed = orgs::update(&app.db, &actor, moved.id, moved.version, OrgInput { parent_id: moved.parent_id, kind: "chi_bo".into(), name: "Chi bộ Thanh tra".into(), short_name: String::new() })
        .await
        .unwrap();
    assert_eq!(find(&app, &seen_by(dienluc.path.clone()), "thanh tra").await[0].record_id, renamed.id);
    assert!(find(&app, &seen_by(dienluc.path.clone()), "kiem toan").await.iter().all(|h| h.kind == RecordKind::User));
    // One index row per record, whatever the number of writes.
    let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM search_docs WHERE kind = 'org' AND record_id = $1").bind(team.id).fetch_one(app.db.reader()).await.unwrap();
    assert_eq!(n, 1);
    // After inserts, updates and moves, SQLite's FTS5 index still holds
    // exactly the rows of `search_docs` under their row ids (minus the
    // record's id, migration 29; by province, migration 34, where the move
    // to another province changed them): FTS5 checks its content table.
    if app.db.backend == dienhinh_store::Backend::Sqlite {
        let mut tx = app.db.begin().await.unwrap();
        for table in ["search_fts", "search_fts_by_province"] {
            sqlx::query(&format!("INSERT INTO {table} ({table}, rank) VALUES ('integrity-check', 1)")).execute(&mut *tx).await.unwrap();
        }
        tx.rollback().await.unwrap();
    }
});

// People are shown by full name only: a person is found by their login
// name too, but no hit shows it (migration 35 mends rows written before).
both!(a_person_is_found_by_login_name_but_shown_by_full_name, |app| {
    let actor = Actor::system("test");
    let taichinh = app.org("Đảng bộ Sở Tài chính").await;
    let within = [taichinh.org_path()];
    let u = users::create(&app.db, &actor, NewUser { username: "tv.kiem".into(), full_name: "Trịnh Văn Kiểm".into(), position: "Kiểm toán viên".into(), org_id: taichinh.id, role: "nguoi_xem".into(), password: "mat-khau-dai-du".into() })
        .await
        .unwrap();
    let shown = |h: &SearchHit| format!("{} {}", h.title, h.snippet.iter().map(|s| s.text.as_str()).collect::<String>());
    for q in ["tv.kiem", "kiem toan", "Trịnh Văn Kiểm"] {
        let hits = find(&app, &within, q).await;
        let hit = hits.iter().find(|h| h.kind == RecordKind::User && h.record_id == u.id).unwrap_or_else(|| panic!("{q:?}: {hits:?}"));
        assert_eq!(hit.title, "Trịnh Văn Kiểm");
        assert!(!shown(hit).contains("tv.kiem") && !shown(hit).contains("tv kiem"), "{q:?}: {}", shown(hit));
    }
    // A row as written before migration 35 (position and login name in
    // its body) is mended by it.
    let mut tx = app.db.begin().await.unwrap();
    sqlx::query("UPDATE search_docs SET body = $1 WHERE kind = 'user' AND record_id = $2").bind("Kiểm toán viên\ntv.kiem").bind(u.id).execute(&mut *tx).await.unwrap();
    sqlx::query("DELETE FROM schema_migrations WHERE version = 35").execute(&mut *tx).await.unwrap();
    tx.commit().await.unwrap();
    assert!(shown(&find(&app, &within, "tv.kiem").await[0]).contains("tv.kiem"), "the old row shows it");
    dienhinh_store::kinds::migrate(&app.db).await.unwrap();
    let hits = find(&app, &within, "tv.kiem").await;
    assert_eq!((hits.len(), hits[0].record_id), (1, u.id));
    assert!(!shown(&hits[0]).contains("tv.kiem"), "{}", shown(&hits[0]));
});

both!(public_filter_and_removal, |app| {
    let duk = app.org("Đảng ủy Khối các cơ quan và doanh nghiệp tỉnh Nam Định").await;
    let within = [duk.org_path()];
    // What an exemplar's store module will do, in the transaction of its write.
    let mut tx = app.db.begin().await.unwrap();
    for (id, public) in [(1, true), (2, false)] {
        search::index(&mut tx, &SearchDoc {
            body: "Mô hình dân vận khéo".into(),
            year: Some(2024),
            field: Some("dan_van".into()),
            public,
            ..SearchDoc::new(RecordKind::Exemplar, id, duk.path.as_str(), &format!("Điển hình Dân vận khéo {id}"))
        })
        .await
        .unwrap();
    }
    tx.commit().await.unwrap();
    let q = |public_only: bool, year: Option<i64>, field: Option<&str>| SearchQuery {
        text: "dan van kheo".into(),
        within: within.to_vec(),
        public_only,
        year,
        field: field.map(str::to_string),
        kind: Some("exemplar".into()),
        ..Default::default()
    };
    assert_eq!(search::query(&app.db, &q(false, None, None)).await.unwrap().items.len(), 2);
    let public = search::query(&app.db, &q(true, None, None)).await.unwrap().items;
    assert_eq!(public.iter().map(|h| h.record_id).collect::<Vec<_>>(), [1]);
    assert!(search::query(&app.db, &q(false, Some(2023), None)).await.unwrap().items.is_empty());
    assert_eq!(search::query(&app.db, &q(false, Some(2024), Some("dan_van"))).await.unwrap().items.len(), 2);
    assert!(search::query(&app.db, &q(false, None, Some("khac"))).await.unwrap().items.is_empty());
    // A record rolled back is not indexed either.
    let mut tx = app.db.begin().await.unwrap();
    search::index(&mut tx, &SearchDoc { ..SearchDoc::new(RecordKind::Exemplar, 3, duk.path.as_str(), "Dân vận khéo bị huỷ") }).await.unwrap();
    tx.rollback().await.unwrap();
    assert_eq!(search::query(&app.db, &q(false, None, None)).await.unwrap().items.len(), 2);
    let mut tx = app.db.begin().await.unwrap();
    search::remove(&mut tx, RecordKind::Exemplar, 2).await.unwrap();
    tx.commit().await.unwrap();
    assert_eq!(search::query(&app.db, &q(false, None, None)).await.unwrap().items.len(), 1);
    // Re-indexing replaces the text.
    let mut tx = app.db.begin().await.unwrap();
    search::index(&mut tx, &SearchDoc { ..SearchDoc::new(RecordKind::Exemplar, 1, duk.path.as_str(), "Gương sáng Qwzx") }).await.unwrap();
    tx.commit().await.unwrap();
    assert!(search::query(&app.db, &q(false, None, None)).await.unwrap().items.is_empty());
    assert_eq!(find(&app, &within, "guong sang qwzx").await.len(), 1);
});

both!(api_and_page_return_highlighted_hits, |app| {
    let token = app.token("btg").await;
    let api = reqwest::Client::new();
    let res = api.get(app.url("/api/v1/search")).bearer_auth(&token).query(&[("q", "dien luc")]).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    let body: Value = res.json().await.unwrap();
    let items = body["items"].as_array().unwrap();
    assert!(items.len() >= 4, "{body}");
    let kinds: BTreeSet<&str> = items.iter().map(|h| h["kind"].as_str().unwrap()).collect();
    assert!(kinds.contains("org") && kinds.contains("user") && kinds.contains("plan"), "{kinds:?}");
    let org = items.iter().find(|h| h["title"] == "Đảng bộ Công ty Điện lực Nam Định").expect("the party committee");
    assert_eq!(org["url"], format!("/orgs/{}", org["record_id"]));
    let marks: Vec<&str> = org["title_marks"].as_array().unwrap().iter().filter(|s| s["mark"] == true).map(|s| s["text"].as_str().unwrap()).collect();
    assert_eq!(marks, ["Điện lực"]);
    let plan = items.iter().find(|h| h["kind"] == "plan" && h["title"].as_str().unwrap().starts_with("Kế hoạch số 15-KH/ĐU — ")).expect("plan 15");
    assert_eq!(plan["year"], 2023);
    assert!(plan["url"].as_str().unwrap().starts_with("/plans/"));
    let user = items.iter().find(|h| h["kind"] == "user").unwrap();
    assert!(user["url"].as_str().unwrap().starts_with("/users/"));
    // Kind filter and paging.
    let users: Value = api.get(app.url("/api/v1/search")).bearer_auth(&token).query(&[("q", "dien luc"), ("kind", "user")]).send().await.unwrap().json().await.unwrap();
    assert!(users["items"].as_array().unwrap().iter().all(|h| h["kind"] == "user"));
    let first: Value = api.get(app.url("/api/v1/search")).bearer_auth(&token).query(&[("q", "dien luc"), ("limit", "1")]).send().await.unwrap().json().await.unwrap();
    let next = first["next"].as_str().unwrap();
    let second: Value = api.get(app.url("/api/v1/search")).bearer_auth(&token).query(&[("q", "dien luc"), ("limit", "1"), ("cursor", next)]).send().await.unwrap().json().await.unwrap();
    assert_eq!(second["items"][0], items[1]);
    // Plans' criteria sets are found and link to their plan.
    let sets: Value = api.get(app.url("/api/v1/search")).bearer_auth(&token).query(&[("q", "tiêu chí ngành điện"), ("kind", "criteria_set")]).send().await.unwrap().json().await.unwrap();
    let set = &sets["items"][0];
    assert_eq!(set["url"], format!("/plans/{}", set["link_id"]));
    // Without credentials: 401.
    assert_eq!(api.get(app.url("/api/v1/search?q=a")).send().await.unwrap().status(), StatusCode::UNAUTHORIZED);
    // Listed in the OpenAPI document.
    let doc: Value = api.get(app.url("/api/openapi.json")).send().await.unwrap().json().await.unwrap();
    assert!(doc["paths"]["/api/v1/search"]["get"].is_object());
    // The page: marks, links, the kind filter, and the empty state.
    let (c, _) = app.sign_in("btg").await;
    let html = c.get(app.url("/search?q=dien+luc")).send().await.unwrap().text().await.unwrap();
    assert!(html.contains("<mark>Điện lực</mark>"), "{html}");
    assert!(html.contains(&format!("href=\"/orgs/{}\"", org["record_id"])));
    let html = c.get(app.url("/search?q=dien+luc&kind=org")).send().await.unwrap().text().await.unwrap();
    assert!(!html.contains("href=\"/users/"));
    let html = c.get(app.url("/search?q=khong+co+gi+nhu+the")).send().await.unwrap().text().await.unwrap();
    assert!(html.contains("Không tìm thấy kết quả nào"));
});

both!(upgrading_an_existing_database_indexes_its_records, |app| {
    let count = || async { sqlx::query_scalar::<_, i64>("SELECT COUNT(*) FROM search_docs").fetch_one(app.db.reader()).await.unwrap() };
    let indexed = count().await;
    let records: i64 = sqlx::query_scalar("SELECT (SELECT COUNT(*) FROM orgs) + (SELECT COUNT(*) FROM users) + (SELECT COUNT(*) FROM plans) + (SELECT COUNT(*) FROM criteria_sets) + (SELECT COUNT(*) FROM exemplars) + (SELECT COUNT(*) FROM propaganda_items) + (SELECT COUNT(*) FROM stories)")
        .fetch_one(app.db.reader())
        .await
        .unwrap();
    assert_eq!(indexed, records, "every record written through the store is indexed");
    // Back to a database written before migration 3 (and so before the
    // later ones that rebuild the search table or index it: 4, 14, 22, 25,
    // 27, 28, 29, 34, 35, 36), then
    // upgrade it; the other later migrations, which this does not undo,
    // stay applied.
    let drop = match app.db.backend {
        dienhinh_store::Backend::Sqlite => "DROP TABLE search_fts; DROP TABLE search_fts_by_province; DROP TABLE search_docs;",
        dienhinh_store::Backend::Postgres => "DROP TABLE search_docs;",
    };
    let drop = format!("{drop} DROP INDEX fostering_scope; DROP INDEX replications_scope; DROP INDEX annual_models_org; DROP INDEX exemplars_status_level; CREATE INDEX exemplars_status ON exemplars (status, org_path, id); DELETE FROM schema_migrations WHERE version IN (3, 4, 14, 22, 25, 27, 28, 29, 34, 35, 36);");
    let mut tx = app.db.begin().await.unwrap();
    sqlx::raw_sql(&drop).execute(&mut *tx).await.unwrap();
    tx.commit().await.unwrap();
    dienhinh_store::kinds::migrate(&app.db).await.unwrap();
    assert_eq!(count().await, records);
    let duk = app.org("Đảng ủy Khối các cơ quan và doanh nghiệp tỉnh Nam Định").await;
    let hits = find(&app, &[duk.org_path()], "Lê Thị Thu Hoà").await;
    assert_eq!(hits[0].title, "Lê Thị Thu Hòa");
    assert!(!find(&app, &[duk.org_path()], "tiêu chí ngành điện").await.is_empty());
    // And a rebuild gives the same index.
    assert_eq!(dienhinh_store::kinds::rebuild_search(&app.db).await.unwrap() as i64, records);
    assert_eq!(count().await, records);
    assert_eq!(find(&app, &[duk.org_path()], "Lê Thị Thu Hoà").await[0].title, "Lê Thị Thu Hòa");
});

const KY_THUAT: &str = "Phòng Kỹ thuật Công ty Điện lực";
const NGOC_LY: &str = "Trần Ngọc Lý";
const QUY_HUY: &str = "Lê Quý Huy";
const BAN_TAY: &str = "Tổ Bàn Tay Vàng";
const QUYET: &str = "Đội Quyết Thắng";

/// Query → the name it must find (issue 23): `i` and `y` alone after a
/// consonant are one letter; TCVN3 and VNI are read as the Unicode they
/// stand for; every word matches wherever it stands.
const SPELLINGS: &[(&str, &str)] = &[
    ("kĩ thuật", KY_THUAT),
    ("Kỹ thuật", KY_THUAT),
    ("KI THUAT", KY_THUAT),
    ("ky thuat", KY_THUAT),
    ("Kü thuËt", KY_THUAT),
    ("Kyõ thuaät", KY_THUAT),
    ("kÜ thuËt ®iÖn lùc", KY_THUAT),
    ("kó thuaät ñieän löïc", KY_THUAT),
    ("ky thuat dien luc", KY_THUAT),
    ("dien luc ki thuat", KY_THUAT),
    ("phong ki cong ti", KY_THUAT),
    ("ngoc li", NGOC_LY),
    ("Ngọc Lí", NGOC_LY),
    ("Ngäc Lý", NGOC_LY),
    ("Ngoïc Lyù", NGOC_LY),
    ("li tran", NGOC_LY),
    ("lê quí huy", QUY_HUY),
    ("le qui", QUY_HUY),
    ("huy quy", QUY_HUY),
    ("bàn tay", BAN_TAY),
    // `quy` typed on the way to `quyết` (and `qui`, the same word).
    ("đội quy", QUYET),
    ("doi qui", QUYET),
];
/// Query → a name it must not find: `tai`/`tay` and `hui`/`huy` are different words.
const NOT: &[(&str, &str)] = &[("ban tai vang", BAN_TAY), ("le qui hui", QUY_HUY), ("hui", QUY_HUY)];

/// What each surface shows for `q`, as the names of what it lists.
struct Surfaces {
    search: Vec<String>,
    search_page: String,
    exemplars: Vec<String>,
    exemplars_page: String,
    orgs: Vec<String>,
    users: Vec<String>,
}

async fn surfaces(app: &crate::helpers::TestApp, web: &reqwest::Client, token: &str, q: &str) -> Surfaces {
    let api = reqwest::Client::new();
    let names = |path: &str, field: &'static str| {
        let req = api.get(app.url(path)).bearer_auth(token).query(&[("q", q), ("limit", "200")]);
        async move {
            let res = req.send().await.unwrap();
            assert_eq!(res.status(), StatusCode::OK);
            let body: Value = res.json().await.unwrap();
            body["items"].as_array().unwrap().iter().map(|i| i[field].as_str().unwrap().to_string()).collect::<Vec<_>>()
        }
    };
    let page = |path: &str| {
        let req = web.get(app.url(path)).query(&[("q", q)]);
        async move { req.send().await.unwrap().text().await.unwrap().replace("<mark>", "").replace("</mark>", "") }
    };
    Surfaces {
        search: names("/api/v1/search", "title").await,
        search_page: page("/search").await,
        exemplars: names("/api/v1/exemplars", "name").await,
        exemplars_page: page("/exemplars").await,
        orgs: names("/api/v1/orgs", "name").await,
        users: names("/api/v1/users", "full_name").await,
    }
}

both!(every_spelling_finds_the_same_records_on_search_and_list_surfaces, |app| {
    use dienhinh_store::exemplars::{self, ExemplarInput};
    let actor = Actor::system("test");
    let dienluc = app.org("Đảng bộ Công ty Điện lực Nam Định").await;
    let phong = orgs::create(&app.db, &actor, OrgInput { parent_id: Some(dienluc.id), kind: "chi_bo".into(), name: KY_THUAT.into(), short_name: String::new() }).await.unwrap();
    for (kind, name) in [("tap_the", KY_THUAT), ("ca_nhan", NGOC_LY), ("ca_nhan", QUY_HUY), ("tap_the", BAN_TAY), ("tap_the", QUYET)] {
        exemplars::create(&app.db, &actor, ExemplarInput { org_id: phong.id, kind: kind.into(), name: name.into(), year_found: 2025, ..Default::default() }).await.unwrap();
    }
    users::create(&app.db, &actor, NewUser { username: "tnly".into(), full_name: NGOC_LY.into(), position: String::new(), org_id: phong.id, role: "nguoi_xem".into(), password: "mat-khau-dai-du".into() })
        .await
        .unwrap();
    let token = app.token("btg").await;
    let (web, _) = app.sign_in("btg").await;
    let mut failures = vec![];
    for (q, name) in SPELLINGS {
        let s = surfaces(&app, &web, &token, q).await;
        let has = |v: &[String]| v.iter().any(|n| n == name);
        let mut missing = vec![];
        for (surface, found) in [
            ("search API", has(&s.search)),
            ("search page", s.search_page.contains(name)),
            ("exemplar list", has(&s.exemplars)),
            ("exemplar list page", s.exemplars_page.contains(name)),
            ("org list", *name != KY_THUAT || has(&s.orgs)),
            ("user list", *name != NGOC_LY || has(&s.users)),
        ] {
            if !found {
                missing.push(surface);
            }
        }
        if !missing.is_empty() {
            failures.push(format!("{q:?} does not find {name:?} on {missing:?}"));
        }
    }
    for (q, name) in NOT {
        let s = surfaces(&app, &web, &token, q).await;
        if s.search.iter().chain(&s.exemplars).any(|n| n == name) {
            failures.push(format!("{q:?} finds {name:?}"));
        }
    }
    assert!(failures.is_empty(), "{} failed:\n{}", failures.len(), failures.join("\n"));
    // Matched words are marked whatever the spelling typed.
    let html = web.get(app.url("/search")).query(&[("q", "Kyõ thuaät")]).send().await.unwrap().text().await.unwrap();
    assert!(html.contains("<mark>Kỹ thuật</mark>"), "{html}");
});

// A database whose name keys and index were folded before `y` became `i`
// (as written by an older binary) is re-keyed and re-indexed by the upgrade.
both!(upgrading_refolds_name_keys_and_the_search_index, |app| {
    use dienhinh_store::exemplars::{self, ExemplarInput, ExemplarFilter};
    let actor = Actor::system("test");
    let dienluc = app.org("Đảng bộ Công ty Điện lực Nam Định").await;
    let phong = orgs::create(&app.db, &actor, OrgInput { parent_id: Some(dienluc.id), kind: "chi_bo".into(), name: KY_THUAT.into(), short_name: String::new() }).await.unwrap();
    let e = exemplars::create(&app.db, &actor, ExemplarInput { org_id: phong.id, kind: "ca_nhan".into(), name: NGOC_LY.into(), year_found: 2025, ..Default::default() }).await.unwrap();
    let u = users::create(&app.db, &actor, NewUser { username: "tnly".into(), full_name: "Mỹ Lý".into(), position: String::new(), org_id: phong.id, role: "nguoi_xem".into(), password: "mat-khau-dai-du".into() })
        .await
        .unwrap();
    let old = [("orgs", phong.id, "phong ky thuat cong ty dien luc"), ("exemplars", e.id, "tran ngoc ly"), ("users", u.id, "my ly")];
    let mut tx = app.db.begin().await.unwrap();
    for (table, id, key) in old {
        sqlx::query(&format!("UPDATE {table} SET name_key = $1 WHERE id = $2")).bind(key).bind(id).execute(&mut *tx).await.unwrap();
    }
    sqlx::query("UPDATE search_docs SET folded = replace(folded, 'ki', 'ky'), title_folded = replace(title_folded, 'ki', 'ky')").execute(&mut *tx).await.unwrap();
    sqlx::query("DELETE FROM schema_migrations WHERE version = 6").execute(&mut *tx).await.unwrap();
    tx.commit().await.unwrap();
    let within = vec![dienluc.org_path()];
    let listed = |q: &'static str| {
        let within = within.clone();
        let db = app.db.clone();
        async move { exemplars::list(&db, &ExemplarFilter { within, q: Some(q.into()), limit: Some(200), ..Default::default() }).await.unwrap().items.len() }
    };
    assert_eq!(listed("ngoc li").await, 0, "the old key misses the new fold");
    assert!(find(&app, &within, "phong ki thuat").await.is_empty(), "so does the old index");

    dienhinh_store::kinds::migrate(&app.db).await.unwrap();
    assert_eq!(dienhinh_store::migrate::current_version(&app.db).await.unwrap(), dienhinh_store::migrate::latest_version());
    for (table, id, key) in [("orgs", phong.id, "phong ki thuat cong ti dien luc"), ("exemplars", e.id, "tran ngoc li"), ("users", u.id, "mi li")] {
        let now: String = sqlx::query_scalar(&format!("SELECT name_key FROM {table} WHERE id = $1")).bind(id).fetch_one(app.db.reader()).await.unwrap();
        assert_eq!(now, key, "{table} {id}");
    }
    assert_eq!(listed("ngoc li").await, 1);
    assert!(find(&app, &within, "phong ki thuat").await.iter().any(|h| h.kind == RecordKind::Org && h.record_id == phong.id));
    assert!(find(&app, &within, "mĩ lí").await.iter().any(|h| h.kind == RecordKind::User && h.record_id == u.id));
    // Every key in the database is this binary's fold of its name.
    for (table, name) in [("orgs", "name"), ("exemplars", "name"), ("users", "full_name")] {
        let rows: Vec<(String, String)> = sqlx::query_as(&format!("SELECT {name}, name_key FROM {table}")).fetch_all(app.db.reader()).await.unwrap();
        assert!(!rows.is_empty());
        for (name, key) in rows {
            assert_eq!(key, dienhinh_text::fold(&name), "{table}: {name}");
        }
    }
});

both!(every_syllable_typed_is_read_from_a_prefix_index, |app| {
    // PostgreSQL's GIN index answers a prefix from its sorted keys; FTS5
    // merges every word a prefix begins in the whole index into memory
    // unless a prefix index of that length exists (migration 25).
    if app.db.backend != dienhinh_store::Backend::Sqlite {
        return;
    }
    let sql: String = sqlx::query_scalar("SELECT sql FROM sqlite_master WHERE name = 'search_fts'").fetch_one(app.db.reader()).await.unwrap();
    let option = sql.split("prefix").nth(1).and_then(|rest| rest.split('\'').nth(1)).unwrap_or_default();
    let lengths: Vec<usize> = option.split_whitespace().filter_map(|n| n.parse().ok()).collect();
    // The longest syllables of the language, folded as they are indexed.
    let longest = ["nghiêng", "nghiệp", "khuếch", "khuyến", "nguyễn", "trường", "chuyện", "quyền", "thuở"]
        .iter()
        .map(|w| search::query_tokens(w)[0].chars().count())
        .max()
        .unwrap();
    assert_eq!(longest, 7);
    assert!((1..=longest).all(|n| lengths.contains(&n)), "prefix = '{option}'");
});

/// The GIN arm of a search below the whole tree asks the expression
/// index of words rooted at branches (migration 36): its condition must be spelled as
/// the index is, or PostgreSQL would test every row instead. With plain
/// and sequential scans off, only that index can answer it.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = crate::needs_postgres!()]
async fn a_province_search_reads_the_rooted_index() {
    let sql = format!("SELECT d.id FROM search_docs d WHERE {} @@ to_tsquery('simple', $1)", search::ROOTED_VECTOR);
    let plan = postgres_plan("SET LOCAL enable_seqscan = off; SET LOCAL enable_indexscan = off", &sql, &["'r1wnguyen' & 'r1wvan':*"]).await;
    assert!(plan.contains("search_docs_branch_words"), "{plan}");
}

/// The probe of a search below the whole tree reads its provinces' rows
/// newest first from `search_docs_root_id` (migration 28): its root
/// condition must be spelled as the index is, or PostgreSQL would read the
/// province by `org_path` and sort it by id. With sorts and every other
/// way of reading rows off, only that index, read backwards, can answer.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = crate::needs_postgres!()]
async fn a_province_probe_reads_its_rows_newest_first() {
    assert_read_newest_first(search::ROW_ROOT, 1, "search_docs_root_id").await;
}

/// The same for a whole bloc's probe, from `search_docs_branch_id`
/// (migration 36).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = crate::needs_postgres!()]
async fn a_bloc_probe_reads_its_rows_newest_first() {
    assert_read_newest_first(search::ROW_BRANCH, 2, "search_docs_branch_id").await;
}

/// With sorts and every other way of reading rows off, the rows whose
/// `key` is `id` are read newest first from `index`, backwards.
async fn assert_read_newest_first(key: &str, id: i64, index: &str) {
    let sql = format!("SELECT d.id FROM search_docs d WHERE {key} IN ('{id}') AND d.org_path >= '/1/' ORDER BY d.id DESC LIMIT 1000");
    let plan = postgres_plan("SET LOCAL enable_seqscan = off; SET LOCAL enable_bitmapscan = off; SET LOCAL enable_sort = off", &sql, &[]).await;
    assert!(plan.contains(&format!("Index Scan Backward using {index}")), "{plan}");
}

/// PostgreSQL's plan of `sql` (its `$n` bound to `binds`) on a fresh test
/// database, with `settings` (`SET LOCAL …`) turning off every other way
/// of answering it.
async fn postgres_plan(settings: &str, sql: &str, binds: &[&str]) -> String {
    let app = crate::helpers::TestApp::postgres().await;
    let mut tx = app.db.begin().await.unwrap();
    sqlx::raw_sql(settings).execute(&mut *tx).await.unwrap();
    let explain = format!("EXPLAIN {sql}");
    let plan: Vec<String> = binds.iter().fold(sqlx::query_scalar(&explain), |q, b| q.bind(*b)).fetch_all(&mut *tx).await.unwrap();
    plan.join("\n")
}
