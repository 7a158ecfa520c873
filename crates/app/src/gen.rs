//! `dienhinh gen`: deterministic synthetic data at tiny, province or
//! national scale, for benchmarks and for trying the program at size.
//!
//! The schema is the storage layer's (the database is opened with `Db::open`,
//! which runs the migrations), and every derived column is computed as the
//! store computes it (`org_path`, `name_key = text::fold`, `sort_key =
//! text::sort_key`, text through `text::normalize_line`), so the app's
//! queries and indexes behave on generated data as on real data. Rows are
//! written with explicit ids as multi-row INSERTs (`dienhinh_store::bulk`) in
//! transactions of about 50,000 rows.
//!
//! Not written: the audit log. The data is synthetic; nobody did anything,
//! so there is nothing to account for, and an audit row per generated record
//! would double the load time for no reader.
//!
//! Same seed, same scale → the same data (names, tree, ids, times): the RNG
//! is `StdRng::seed_from_u64(seed)` and no clock is read.

use anyhow::{bail, Context};
use dienhinh_domain::evaluation::{AppliesTo, EvalResult};
use dienhinh_domain::exemplar::{ExemplarKind, Level, Status, Step};
use dienhinh_domain::fostering::{FosteringStatus, SupportKind};
use dienhinh_domain::spread::How;
use dienhinh_domain::{OrgKind, Role};
use dienhinh_store::bulk::{reset_id_sequence, Inserter, PgCopy, Val};
use dienhinh_store::db::Tx;
use dienhinh_store::{orgs, users, Backend, Db};
use dienhinh_text as text;
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use std::io::{IsTerminal, Write};
use std::time::Instant;

/// The password of every generated account.
pub const PASSWORD: &str = "matkhau-gen-1";

/// The generated account whose role reaches the whole country (a
/// Ban Tuyên giáo role at every province); the other levels have
/// `btg.tinh` (a province), `btg.khoi` (a bloc) and `canbo.tccs` (a TCCS).
pub const COUNTRY_USER: &str = "btg.trunguong";

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Scale {
    Tiny,
    Province,
    National,
}

/// Sizes of one scale.
#[derive(Debug, Clone, Copy)]
pub struct Sizes {
    pub provinces: usize,
    /// Blocs (Đảng ủy Khối) per province; the rest of `uppers` are districts.
    pub blocs: usize,
    pub uppers: usize,
    pub tccs_per_upper: usize,
    /// Chi bộ per TCCS: uniformly `1..=2*avg-1`.
    pub chibo_avg: usize,
    pub exemplars: usize,
    pub evaluations: usize,
    pub fostering: usize,
    pub replications: usize,
    pub users: usize,
}

impl Scale {
    pub fn sizes(self) -> Sizes {
        match self {
            Scale::Tiny => Sizes { provinces: 1, blocs: 1, uppers: 3, tccs_per_upper: 3, chibo_avg: 3, exemplars: 500, evaluations: 1500, fostering: 1000, replications: 200, users: 20 },
            Scale::Province => Sizes { provinces: 1, blocs: 2, uppers: 12, tccs_per_upper: 30, chibo_avg: 4, exemplars: 50_000, evaluations: 150_000, fostering: 100_000, replications: 20_000, users: 500 },
            Scale::National => Sizes { provinces: 63, blocs: 2, uppers: 12, tccs_per_upper: 12, chibo_avg: 5, exemplars: 1_000_000, evaluations: 3_000_000, fostering: 2_000_000, replications: 400_000, users: 10_000 },
        }
    }
}

// ---- names ----

const FAMILY: &[&str] = &[
    "Nguyễn", "Nguyễn", "Nguyễn", "Trần", "Trần", "Lê", "Lê", "Phạm", "Hoàng", "Huỳnh", "Vũ", "Võ", "Đặng", "Bùi", "Đỗ", "Hồ", "Ngô", "Dương",
    "Lý", "Phan", "Trịnh", "Đinh", "Lương", "Mai", "Cao", "Tạ", "Quách", "Lưu", "Triệu", "Khổng", "Ưng", "Âu",
];
const MIDDLE_M: &[&str] = &["Văn", "Văn", "Đức", "Minh", "Quang", "Hữu", "Công", "Xuân", "Thành", "Ngọc", "Đình", "Bá", "Mạnh", "Khắc", "Thế", "Trọng"];
const MIDDLE_F: &[&str] = &["Thị", "Thị", "Thị Thu", "Thị Ngọc", "Thị Thanh", "Thị Mỹ", "Hồng", "Thùy", "Kim", "Thị Ánh", "Bảo", "Diệu"];
// Both tone placements on purpose (Hoà/Hòa, Thuỷ/Thủy, Thoả/Thỏa, Khoẻ/Khỏe,
// Tuý/Túy, Hoè/Hòe): the store normalises to one, as it does for real input.
const GIVEN_M: &[&str] = &[
    "Hùng", "Dũng", "Tuấn", "Thắng", "Khải", "Huy", "Quý", "Hoà", "Hòa", "Thuỷ", "Thủy", "Khoẻ", "Khỏe", "Tuý", "Túy", "Khoa", "Tường", "Lực",
    "Nghĩa", "Ước", "Lãm", "Mẫn", "Kỷ", "Vỹ", "Ngữ", "Thứ", "Tự", "Sửu", "Phụng", "Tùng", "Hợp", "Lợi", "Phổ", "Tố", "Độ", "Thọ", "Lễ", "Thế",
    "Ẩn", "Lập", "Ấn", "Đạt", "Khánh", "Cường", "Trịnh", "Tĩnh", "Dĩ", "Quỳnh", "Hiếu", "Nhân", "Hiển", "Phước", "Thời", "Luỹ", "Hoãn", "Khoả", "Ngỗ", "Kính", "Sỹ", "Thụy", "Dự", "Thừa", "Nhuận", "Vững", "Mừng",
];
const GIVEN_F: &[&str] = &[
    "Hà", "Hương", "Huyền", "Thuỷ", "Thủy", "Hoà", "Hòa", "Thoả", "Thỏa", "Hoè", "Hòe", "Nguyệt", "Ánh", "Tuyết", "Yến", "Oanh", "Loan",
    "Khuê", "Uyên", "Nhung", "Quỳnh", "Hạnh", "Trâm", "Hằng", "Thảo", "Mỵ", "Huệ", "Lệ", "Trà", "Hạ", "Thơ", "Thúy", "Mãn", "Bé", "Thẻ", "Dung", "Hiền", "Quế", "Diễm", "Thuở", "Tựa", "Đoá", "Đóa", "Thoại", "Ngà"
];
const PROVINCES: &[&str] = &[
    "Nam Định", "An Giang", "Bà Rịa - Vũng Tàu", "Bạc Liêu", "Bắc Giang", "Bắc Kạn", "Bắc Ninh", "Bến Tre", "Bình Dương", "Bình Định", "Bình Phước",
    "Bình Thuận", "Cà Mau", "Cao Bằng", "Cần Thơ", "Đà Nẵng", "Đắk Lắk", "Đắk Nông", "Điện Biên", "Đồng Nai", "Đồng Tháp", "Gia Lai", "Hà Giang",
    "Hà Nam", "Hà Nội", "Hà Tĩnh", "Hải Dương", "Hải Phòng", "Hậu Giang", "Hòa Bình", "Thành phố Hồ Chí Minh", "Hưng Yên", "Khánh Hòa", "Kiên Giang",
    "Kon Tum", "Lai Châu", "Lâm Đồng", "Lạng Sơn", "Lào Cai", "Long An", "Nghệ An", "Ninh Bình", "Ninh Thuận", "Phú Thọ", "Phú Yên", "Quảng Bình",
    "Quảng Nam", "Quảng Ngãi", "Quảng Ninh", "Quảng Trị", "Sóc Trăng", "Sơn La", "Tây Ninh", "Thái Bình", "Thái Nguyên", "Thanh Hóa",
    "Thừa Thiên Huế", "Tiền Giang", "Trà Vinh", "Tuyên Quang", "Vĩnh Long", "Vĩnh Phúc", "Yên Bái",
];
const DISTRICTS: &[&str] = &[
    "Xuân Trường", "Hải Hậu", "Giao Thủy", "Nghĩa Hưng", "Ý Yên", "Vụ Bản", "Mỹ Lộc", "Trực Ninh", "Nam Trực", "Đông Anh", "Sóc Sơn", "Thạch Thất",
    "Quế Võ", "Yên Phong", "Tiên Du", "Lục Ngạn", "Sơn Động", "Krông Pắc", "Ea Kar", "Cư M'gar", "Tủa Chùa", "Mường Nhé", "Ngọc Hồi", "Đắk Glei",
    "Phù Mỹ", "Hoài Nhơn", "Tuy Phước", "Châu Thành", "Cái Bè", "Mỏ Cày",
];
const DEPARTMENTS: &[&str] = &[
    "Sở Tài chính", "Sở Y tế", "Sở Giáo dục và Đào tạo", "Sở Tư pháp", "Sở Công Thương", "Sở Nội vụ", "Sở Xây dựng", "Sở Giao thông vận tải",
    "Sở Tài nguyên và Môi trường", "Sở Nông nghiệp và Phát triển nông thôn", "Sở Kế hoạch và Đầu tư", "Sở Văn hóa, Thể thao và Du lịch",
    "Sở Lao động - Thương binh và Xã hội", "Sở Khoa học và Công nghệ", "Sở Thông tin và Truyền thông", "Kho bạc Nhà nước tỉnh",
    "Bảo hiểm xã hội tỉnh", "Bệnh viện Đa khoa tỉnh", "Trường Chính trị tỉnh", "Cục Thuế tỉnh", "Báo tỉnh", "Đài Phát thanh và Truyền hình tỉnh",
];
const COMPANIES: &[&str] = &[
    "Công ty Điện lực", "Công ty Cổ phần Cấp nước", "Công ty Môi trường đô thị", "Tổng Công ty Cổ phần Dệt may", "Công ty Xổ số kiến thiết",
    "Ngân hàng Nông nghiệp và Phát triển nông thôn chi nhánh", "Công ty TNHH MTV Khai thác công trình thủy lợi", "Công ty Cổ phần Bia",
    "Công ty Xăng dầu", "Bưu điện tỉnh", "Viễn thông", "Công ty Cổ phần Dược phẩm", "Công ty Cổ phần Xây lắp", "Ngân hàng Công thương chi nhánh",
];
const COMMUNE_A: &[&str] = &["Hải", "Xuân", "Nghĩa", "Yên", "Trực", "Giao", "Nam", "Mỹ", "Liên", "Tân", "Phú", "Hòa", "Thạnh", "Đông", "Tây", "Quang", "Hồng", "Thái", "Vĩnh", "Hưng"];
const COMMUNE_B: &[&str] = &["Hòa", "Thịnh", "Phong", "Lộc", "An", "Thuận", "Tiến", "Hưng", "Bình", "Thành", "Phúc", "Lợi", "Trung", "Sơn", "Long", "Quý", "Hiệp", "Đức", "Khánh", "Thủy"];
const CHIBO_AGENCY: &[&str] = &[
    "Phòng Kế hoạch - Tài chính", "Văn phòng", "Phòng Kỹ thuật", "Phòng Tổ chức - Hành chính", "Phòng Kinh doanh", "Phòng Thanh tra",
    "Phân xưởng sản xuất", "Đội Quản lý vận hành", "Khoa Nội tổng hợp", "Phòng Nghiệp vụ", "Trung tâm Dịch vụ khách hàng", "Phòng Pháp chế",
];
const CHIBO_COMMUNE: &[&str] = &["thôn Đông", "thôn Trung", "thôn Nam", "thôn Bắc", "thôn Thượng", "thôn Hạ", "Trường Tiểu học", "Trường THCS", "Trạm Y tế", "Quân sự", "Công an xã", "khu dân cư số"];
const POSITIONS: &[&str] = &[
    "Chuyên viên", "Phó Trưởng phòng", "Trưởng phòng", "Công nhân kỹ thuật", "Giáo viên", "Bác sĩ", "Điều dưỡng", "Kế toán viên", "Bí thư chi bộ",
    "Trưởng thôn", "Tổ trưởng sản xuất", "Kỹ sư", "Phóng viên", "Cán bộ văn phòng", "Nông dân sản xuất giỏi", "Chủ nhiệm hợp tác xã",
];
const COLLECTIVES: &[&str] = &["Tổ sản xuất", "Tập thể", "Hợp tác xã", "Tổ thao tác lưu động", "Chuyền may", "Tổ tự quản", "Câu lạc bộ", "Đội xung kích"];
const ACHIEVEMENTS: &[&str] = &[
    "Chiến sĩ thi đua cơ sở nhiều năm liền; Bằng khen của Chủ tịch UBND tỉnh.",
    "Hoàn thành xuất sắc nhiệm vụ ba năm liên tục; được cán bộ, đảng viên tín nhiệm.",
    "Năng suất lao động vượt định mức, không để xảy ra sai sót trong công tác.",
    "Có sáng kiến được Hội đồng sáng kiến cơ sở công nhận, áp dụng hiệu quả.",
    "Tích cực tham gia công tác an sinh xã hội, giúp đỡ hộ nghèo thoát nghèo bền vững.",
    "Dẫn đầu phong trào thi đua «Dân vận khéo» của địa phương.",
];
const MODELS: &[&str] = &[
    "Mô hình «Chi bộ bốn tốt»: sinh hoạt chuyên đề hằng quý về học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh.",
    "Cách làm «một lần nhập, nhiều lần dùng» trong tổng hợp số liệu, rút ngắn thời gian xử lý hồ sơ.",
    "Sáng kiến cảnh báo sớm sự cố, giảm thời gian gián đoạn dịch vụ cho người dân.",
    "Mô hình «Dân vận khéo» vận động nhân dân hiến đất làm đường giao thông nông thôn.",
    "Tổ tự quản bảo vệ môi trường; phân loại rác thải tại nguồn.",
    "Nhóm hỗ trợ người cao tuổi sử dụng dịch vụ công trực tuyến.",
];
const MOVEMENTS: &[&str] = &[
    "Cuộc vận động «Học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh»",
    "Phong trào thi đua «Cả nước chung tay vì người nghèo - Không để ai bị bỏ lại phía sau»",
    "Phong trào «Dân vận khéo»",
    "Phong trào «Lao động giỏi, lao động sáng tạo»",
];
const CRITERIA: &[(&str, AppliesTo, &str)] = &[
    ("III.3.1.a", AppliesTo::TapThe, "Tập thể đoàn kết, hoàn thành xuất sắc nhiệm vụ; là nhân tố tích cực trong phong trào thi đua."),
    ("III.3.1.b", AppliesTo::TapThe, "Có mô hình, cách làm hay, hiệu quả, được đơn vị khác học tập, nhân rộng."),
    ("III.3.1.c", AppliesTo::TapThe, "Nội bộ trong sạch, vững mạnh; không có cán bộ, đảng viên vi phạm kỷ luật."),
    ("III.3.2.a", AppliesTo::CaNhan, "Có phẩm chất chính trị, đạo đức, lối sống trong sáng; gương mẫu, được tín nhiệm."),
    ("III.3.2.b", AppliesTo::CaNhan, "Hoàn thành xuất sắc nhiệm vụ; có sáng kiến, giải pháp mang lại hiệu quả."),
    ("III.3.2.c", AppliesTo::CaNhan, "Có sức lan tỏa, được tập thể, nhân dân ghi nhận, học tập."),
];
// Code lists are spelled out (not `ALL`) so that a code added to a domain
// list does not change the data of an existing seed; a value repeated is a
// weight.
const FOSTER_KINDS: &[SupportKind] = &[SupportKind::VatChat, SupportKind::TinhThan, SupportKind::KyThuat, SupportKind::KhenThuong, SupportKind::ChinhSach];
const FOSTER_STATUSES: &[FosteringStatus] = &[
    FosteringStatus::DangThucHien,
    FosteringStatus::DangThucHien,
    FosteringStatus::HoanThanh,
    FosteringStatus::HoanThanh,
    FosteringStatus::Huy,
];
const HOW: &[How] = &[How::ThamQuan, How::TuyenTruyen, How::HoiNghi, How::HuongDan, How::Khac];
const RESULTS: &[EvalResult] = &[EvalResult::Dat, EvalResult::Dat, EvalResult::Dat, EvalResult::DatMotPhan, EvalResult::ChuaDat];

fn pick<T: Copy>(rng: &mut StdRng, list: &[T]) -> T {
    list[rng.gen_range(0..list.len())]
}

/// A person's name; about 3 % in upper case, as typed from old paper records.
pub fn person_name(rng: &mut StdRng) -> String {
    let female = rng.gen_bool(0.45);
    let (mid, given) = if female { (pick(rng, MIDDLE_F), pick(rng, GIVEN_F)) } else { (pick(rng, MIDDLE_M), pick(rng, GIVEN_M)) };
    let name = format!("{} {} {}", pick(rng, FAMILY), mid, given);
    if rng.gen_bool(0.03) {
        name.to_uppercase()
    } else {
        name
    }
}

fn commune(rng: &mut StdRng) -> String {
    format!("{} {}", pick(rng, COMMUNE_A), pick(rng, COMMUNE_B))
}

/// Milliseconds at the start of a year (UTC), without reading the clock.
fn year_ms(year: i64) -> i64 {
    let days: i64 = (1970..year).map(|y| if (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 { 366 } else { 365 }).sum();
    days * 86_400_000
}

fn date(rng: &mut StdRng, year: i64) -> String {
    format!("{year:04}-{:02}-{:02}", rng.gen_range(1..=12), rng.gen_range(1..=28))
}

/// The steps (step, from, to) that lead a new exemplar to `status`.
fn steps_to(status: Status) -> &'static [(Step, Status, Status)] {
    const FOSTER: (Step, Status, Status) = (Step::Foster, Status::PhatHien, Status::BoiDuong);
    const RECOGNISE: (Step, Status, Status) = (Step::Recognise, Status::BoiDuong, Status::CongNhan);
    const REPLICATE: (Step, Status, Status) = (Step::Replicate, Status::CongNhan, Status::NhanRong);
    match status {
        Status::PhatHien => &[],
        Status::BoiDuong => &[FOSTER],
        Status::CongNhan => &[FOSTER, RECOGNISE],
        Status::NhanRong => &[FOSTER, RECOGNISE, REPLICATE],
        Status::Dung => &[(Step::Drop, Status::PhatHien, Status::Dung)],
    }
}

// ---- the tree ----

#[derive(Debug, Clone)]
pub struct GenOrg {
    pub id: i64,
    pub parent: Option<usize>,
    pub kind: OrgKind,
    pub name: String,
    pub path: String,
    pub province: usize,
    /// Index of the bloc or district above (itself for one), if any.
    pub upper: Option<usize>,
}

/// Builds the tree in memory: province → blocs and districts (each with its
/// Ban Thường vụ and Ban Tuyên giáo) → TCCS → chi bộ.
pub fn tree(rng: &mut StdRng, s: &Sizes) -> Vec<GenOrg> {
    let mut out: Vec<GenOrg> = Vec::new();
    let add = |out: &mut Vec<GenOrg>, parent: Option<usize>, kind: OrgKind, name: String, province: usize, upper: Option<usize>| {
        let id = out.len() as i64 + 1;
        let path = match parent {
            Some(p) => format!("{}{id}/", out[p].path),
            None => format!("/{id}/"),
        };
        out.push(GenOrg { id, parent, kind, name: text::normalize_line(&name), path, province, upper });
        out.len() - 1
    };
    for p in 0..s.provinces {
        let pname = PROVINCES[p % PROVINCES.len()];
        let root = add(&mut out, None, OrgKind::TinhUy, format!("Tỉnh ủy {pname}"), p, None);
        for u in 0..s.uppers {
            let bloc = u < s.blocs;
            let name = if bloc {
                if u % 2 == 0 { format!("Đảng ủy Khối các cơ quan tỉnh {pname}") } else { format!("Đảng ủy Khối doanh nghiệp tỉnh {pname}") }
            } else {
                let d = DISTRICTS[(p * 7 + u) % DISTRICTS.len()];
                if u % 5 == 0 { format!("Thành ủy {d}") } else { format!("Huyện ủy {d}") }
            };
            // A Huyện ủy sits where a Đảng ủy Khối does (cấp trên cơ sở); the
            // schema has no separate kind for it.
            let up = add(&mut out, Some(root), OrgKind::DangUyKhoi, name.clone(), p, None);
            out[up].upper = Some(up);
            add(&mut out, Some(up), OrgKind::Ban, format!("Ban Thường vụ {name}"), p, Some(up));
            add(&mut out, Some(up), OrgKind::Ban, format!("Ban Tuyên giáo {name}"), p, Some(up));
            for t in 0..s.tccs_per_upper {
                let (tname, agency) = if bloc {
                    if u % 2 == 0 {
                        (format!("Đảng bộ {}", DEPARTMENTS[t % DEPARTMENTS.len()]), true)
                    } else {
                        (format!("Đảng bộ {} {pname}", COMPANIES[t % COMPANIES.len()]), true)
                    }
                } else if t % 6 == 5 {
                    (format!("Đảng bộ thị trấn {}", commune(rng)), false)
                } else {
                    (format!("Đảng bộ xã {}", commune(rng)), false)
                };
                let tc = add(&mut out, Some(up), OrgKind::Tccs, tname, p, Some(up));
                let n = rng.gen_range(1..=2 * s.chibo_avg - 1);
                for c in 0..n {
                    let cname = if agency {
                        format!("Chi bộ {}", CHIBO_AGENCY[c % CHIBO_AGENCY.len()])
                    } else {
                        let b = CHIBO_COMMUNE[c % CHIBO_COMMUNE.len()];
                        if b.starts_with("thôn") || b.ends_with("số") { format!("Chi bộ {b} {}", c + 1) } else { format!("Chi bộ {b}") }
                    };
                    add(&mut out, Some(tc), OrgKind::ChiBo, cname, p, Some(up));
                }
            }
        }
    }
    out
}

// ---- loading ----

/// A write transaction that commits every ~50,000 rows.
struct Loader {
    db: Db,
    /// PostgreSQL: rows go through COPY on a connection of their own.
    copy: Option<PgCopy>,
    tx: Option<Tx>,
    in_tx: u64,
    total: u64,
    started: Instant,
    label: &'static str,
    /// The table whose rows the progress line counts.
    main: &'static str,
    goal: u64,
    quiet: bool,
    /// Standard error is a terminal: one live line rewritten with `\r`.
    /// Otherwise (a log) a line per tenth of a stage and one at its end.
    tty: bool,
    /// Tenths of the stage already written (not on a terminal).
    tenths: u64,
}

const ROWS_PER_TX: u64 = 50_000;

/// Tables whose secondary indexes are dropped during the load and built
/// again at the end (`bulk::drop_secondary_indexes`).
const BULK_TABLES: &[&str] = &[
    "exemplars", "exemplar_fields", "exemplar_movements", "exemplar_steps", "evaluations", "fostering_items", "replications", "users", "search_docs",
];

impl Loader {
    async fn new(db: &Db, quiet: bool) -> anyhow::Result<Loader> {
        let tty = std::io::stderr().is_terminal();
        let copy = PgCopy::connect(db).await?;
        Ok(Loader { db: db.clone(), copy, tx: None, in_tx: 0, total: 0, started: Instant::now(), label: "", main: "", goal: 0, quiet, tty, tenths: 0 })
    }

    async fn tx(&mut self) -> anyhow::Result<&mut Tx> {
        if self.tx.is_none() {
            // What was copied is seen by what the transaction does next
            // (id sequences past the copied ids, counters of the copied rows).
            if let Some(copy) = &mut self.copy {
                copy.commit().await?;
            }
            let mut tx = self.db.begin().await?;
            dienhinh_store::bulk::prepare_for_load(&mut tx, self.db.backend).await?;
            self.tx = Some(tx);
        }
        Ok(self.tx.as_mut().expect("just set"))
    }

    async fn flush(&mut self, ins: &mut Inserter) -> anyhow::Result<()> {
        let n = ins.pending() as u64;
        if n == 0 {
            return Ok(());
        }
        match &mut self.copy {
            Some(copy) => copy.send(ins).await,
            None => ins.flush(self.tx().await?).await,
        }
        .with_context(|| format!("writing {}", self.label))?;
        self.in_tx += n;
        if ins.table() == self.main {
            self.total += n;
        }
        if self.in_tx >= ROWS_PER_TX {
            self.commit().await?;
        }
        self.progress(false);
        Ok(())
    }

    async fn maybe_flush(&mut self, ins: &mut Inserter) -> anyhow::Result<()> {
        if ins.is_full() {
            self.flush(ins).await?;
        }
        Ok(())
    }

    async fn commit(&mut self) -> anyhow::Result<()> {
        if let Some(copy) = &mut self.copy {
            copy.commit().await?;
        }
        if let Some(tx) = self.tx.take() {
            tx.commit().await?;
        }
        self.in_tx = 0;
        Ok(())
    }

    fn stage(&mut self, label: &'static str, main: &'static str, goal: u64) {
        self.progress(true);
        self.label = label;
        self.main = main;
        self.goal = goal;
        self.total = 0;
        self.tenths = 0;
    }

    /// The progress line; `done` at the end of a stage.
    fn progress(&mut self, done: bool) {
        if self.quiet || self.label.is_empty() {
            return;
        }
        let pct = (self.total * 100).checked_div(self.goal).unwrap_or(100).min(100);
        let line = format!("  {:<22} {:>10} / {:<10} {:>3}%  {:>6.1} s", self.label, self.total, self.goal, pct, self.started.elapsed().as_secs_f64());
        let mut e = std::io::stderr().lock();
        if self.tty {
            let _ = write!(e, "\r{line}");
            if done {
                let _ = writeln!(e);
            }
        } else if done || (pct / 10 > self.tenths && pct < 100) {
            self.tenths = pct / 10;
            let _ = writeln!(e, "{line}");
        }
    }
}

/// What `gen` made, for the report and the tests.
#[derive(Debug, Clone)]
pub struct Report {
    pub orgs: usize,
    pub exemplars: usize,
    pub evaluations: usize,
    pub scores: usize,
    pub fostering: usize,
    pub replications: usize,
    pub users: usize,
    /// (username, role label, org name) of the named accounts.
    pub accounts: Vec<(String, String, String)>,
    /// Records in the search index.
    pub indexed: u64,
    pub seconds: f64,
}

/// Generates the data into an empty database.
///
/// One stage per group of tables, in this order (each draws from the one
/// RNG, so the order is part of the data): organisations, criteria and
/// movements, exemplars, evaluations, fostering items, replications,
/// accounts; then id sequences, the search index and the indexes.
pub async fn generate(db: &Db, scale: Scale, seed: u64, quiet: bool) -> anyhow::Result<Report> {
    if orgs::count(db).await? > 0 {
        bail!("the database already holds organisations; gen needs an empty database");
    }
    let s = scale.sizes();
    let mut rng = StdRng::seed_from_u64(seed);
    let mut l = Loader::new(db, quiet).await?;
    let indexes = dienhinh_store::bulk::drop_secondary_indexes(l.tx().await?, db.backend, BULK_TABLES).await?;
    l.commit().await?;

    let tree = tree(&mut rng, &s);
    let mut g = Gen::new(db, s, rng, l, tree);
    g.orgs().await?;
    g.criteria_and_movements().await?;
    g.exemplars().await?;
    let scores = g.evaluations().await?;
    g.fostering().await?;
    g.replications().await?;
    let accounts = g.users().await?;
    let indexed = g.finish(&indexes).await?;
    commendation_round(db).await?;
    Ok(Report {
        orgs: g.tree.len(),
        exemplars: s.exemplars,
        evaluations: s.evaluations,
        scores,
        fostering: s.fostering,
        replications: s.replications,
        users: s.users.max(accounts.len()),
        accounts,
        indexed,
        seconds: g.l.started.elapsed().as_secs_f64(),
    })
}

/// What the stages of one run share: the RNG, the loader, the tree and what
/// later stages read of earlier ones.
struct Gen {
    db: Db,
    b: Backend,
    s: Sizes,
    rng: StdRng,
    l: Loader,
    tree: Vec<GenOrg>,
    /// Province roots, in province order.
    roots: Vec<usize>,
    /// TCCS and chi bộ: where exemplars live.
    units: Vec<usize>,
    /// Units of each province, for adopters of a replication.
    units_of: Vec<Vec<usize>>,
    /// Per exemplar (index = id - 1): its unit, whether it is a collective
    /// and the year it was found.
    ex_unit: Vec<u32>,
    ex_collective: Vec<bool>,
    ex_year: Vec<u16>,
}

/// Creation time of the tree, the criteria and the accounts.
fn t0() -> i64 {
    year_ms(2020)
}

impl Gen {
    fn new(db: &Db, s: Sizes, rng: StdRng, l: Loader, tree: Vec<GenOrg>) -> Gen {
        let roots: Vec<usize> = (0..tree.len()).filter(|&i| tree[i].parent.is_none()).collect();
        let units: Vec<usize> = (0..tree.len()).filter(|&i| matches!(tree[i].kind, OrgKind::Tccs | OrgKind::ChiBo)).collect();
        let mut units_of: Vec<Vec<usize>> = vec![vec![]; s.provinces];
        for &u in &units {
            units_of[tree[u].province].push(u);
        }
        Gen {
            db: db.clone(),
            b: db.backend,
            s,
            rng,
            l,
            tree,
            roots,
            units,
            units_of,
            ex_unit: Vec::with_capacity(s.exemplars),
            ex_collective: Vec::with_capacity(s.exemplars),
            ex_year: Vec::with_capacity(s.exemplars),
        }
    }

    /// Index of the root of the province a node belongs to.
    fn root_of(&self, o: &GenOrg) -> usize {
        self.roots.iter().position(|&r| self.tree[r].province == o.province).unwrap_or(0)
    }

    async fn orgs(&mut self) -> anyhow::Result<()> {
        let tree = &self.tree;
        self.l.stage("organisations", "orgs", tree.len() as u64);
        let mut ins = Inserter::new(self.b, "orgs", &["id", "parent_id", "kind", "name", "short_name", "name_key", "sort_key", "path", "depth", "created_at", "updated_at"]);
        let t0 = t0();
        for o in tree {
            let depth = dienhinh_domain::OrgPath(o.path.clone()).depth() as i64;
            ins.push([
                Val::Int(o.id),
                Val::OptInt(o.parent.map(|p| tree[p].id)),
                o.kind.code().into(),
                o.name.clone().into(),
                "".into(),
                text::fold(&o.name).into(),
                text::sort_key(&o.name).into(),
                o.path.clone().into(),
                Val::Int(depth),
                Val::Int(t0),
                Val::Int(t0),
            ]);
            self.l.maybe_flush(&mut ins).await?;
        }
        self.l.flush(&mut ins).await
    }

    /// Movements and a plan-48-like criteria set at each province root.
    async fn criteria_and_movements(&mut self) -> anyhow::Result<()> {
        let (b, tree, t0) = (self.b, &self.tree, t0());
        self.l.stage("criteria, movements", "movements", (self.roots.len() * MOVEMENTS.len()) as u64);
        let mut sets = Inserter::new(b, "criteria_sets", &["id", "org_id", "org_path", "name", "period_from", "period_to", "created_at", "updated_at"]);
        let mut crit = Inserter::new(b, "criteria", &["id", "set_id", "code", "applies_to", "text", "position"]);
        let mut mov = Inserter::new(b, "movements", &["id", "org_id", "org_path", "name", "launched_by", "year_from", "year_to", "created_at", "updated_at"]);
        for (i, &r) in self.roots.iter().enumerate() {
            let set_id = i as i64 + 1;
            sets.push([Val::Int(set_id), Val::Int(tree[r].id), tree[r].path.clone().into(), "Tiêu chuẩn điển hình tiên tiến (mục III, Kế hoạch 48-KH)".into(), Val::Int(2022), Val::Int(2025), Val::Int(t0), Val::Int(t0)]);
            for (k, (code, applies, txt)) in CRITERIA.iter().enumerate() {
                crit.push([Val::Int(set_id * 100 + k as i64), Val::Int(set_id), (*code).into(), applies.code().into(), (*txt).into(), Val::Int(k as i64 + 1)]);
            }
            for (k, m) in MOVEMENTS.iter().enumerate() {
                let id = (i * MOVEMENTS.len() + k) as i64 + 1;
                mov.push([Val::Int(id), Val::Int(tree[r].id), tree[r].path.clone().into(), (*m).into(), tree[r].name.clone().into(), Val::Int(2020), Val::OptInt(None), Val::Int(t0), Val::Int(t0)]);
            }
        }
        self.l.flush(&mut sets).await?;
        self.l.flush(&mut crit).await?;
        self.l.flush(&mut mov).await
    }

    /// Exemplars, with their fields, movements and steps.
    async fn exemplars(&mut self) -> anyhow::Result<()> {
        let b = self.b;
        self.l.stage("exemplars", "exemplars", self.s.exemplars as u64);
        let mut ex = Inserter::new(b, "exemplars", &[
            "id", "org_id", "org_path", "kind", "name", "name_key", "sort_key", "position", "unit_name", "member_count", "achievements", "model",
            "year_found", "status", "level", "consent_publish", "created_at", "updated_at",
        ]);
        let mut exf = Inserter::new(b, "exemplar_fields", &["exemplar_id", "field_id"]);
        let mut exm = Inserter::new(b, "exemplar_movements", &["exemplar_id", "movement_id"]);
        let mut steps = Inserter::new(b, "exemplar_steps", &["id", "exemplar_id", "step", "from_status", "to_status", "from_level", "to_level", "reason", "actor_id", "actor", "at"]);
        // Stories about recognised exemplars (most published, some drafts)
        // and the propaganda log's items: the portal and the log at scale.
        let mut st = Inserter::new(b, "stories", &[
            "id", "org_id", "org_path", "title", "summary", "body", "status", "facts_match", "no_exaggeration", "consent", "images_allowed", "published_at", "created_at", "updated_at",
        ]);
        let mut stx = Inserter::new(b, "story_exemplars", &["story_id", "exemplar_id"]);
        let mut pr = Inserter::new(b, "propaganda_items", &["id", "org_id", "org_path", "item_type", "channel", "title", "link", "published_on", "year", "created_at", "updated_at"]);
        let mut prx = Inserter::new(b, "propaganda_exemplars", &["item_id", "exemplar_id"]);
        let (mut story_id, mut item_id) = (0i64, 0i64);
        let fields = dienhinh_store::exemplars::fields(&self.db).await?;
        let rng = &mut self.rng;
        let mut step_id = 0i64;
        for i in 0..self.s.exemplars {
            let id = i as i64 + 1;
            let u = self.units[rng.gen_range(0..self.units.len())];
            let o = &self.tree[u];
            let collective = rng.gen_bool(0.3);
            let name = if collective {
                text::normalize_line(&format!("{} {}", pick(rng, COLLECTIVES), o.name.trim_start_matches("Chi bộ ").trim_start_matches("Đảng bộ ")))
            } else {
                text::normalize_line(&person_name(rng))
            };
            let year = rng.gen_range(2015..=2025i64);
            let status = match rng.gen_range(0..100) {
                0..=29 => Status::PhatHien,
                30..=59 => Status::BoiDuong,
                60..=79 => Status::CongNhan,
                80..=92 => Status::NhanRong,
                _ => Status::Dung,
            };
            let level = if matches!(status, Status::CongNhan | Status::NhanRong) {
                match rng.gen_range(0..100) {
                    0..=59 => Level::CoSo,
                    60..=84 => Level::Khoi,
                    85..=97 => Level::Tinh,
                    _ => Level::ToanQuoc,
                }
            } else {
                Level::CoSo
            };
            let created = year_ms(year) + rng.gen_range(0..360) * 86_400_000;
            let unit_name = o.name.trim_start_matches("Chi bộ ").trim_start_matches("Đảng bộ ").to_string();
            // Drawn in the order the row lists them.
            let position = if collective { "" } else { pick(rng, POSITIONS) };
            let members = collective.then(|| rng.gen_range(5..120));
            let (achievements, model) = (pick(rng, ACHIEVEMENTS), pick(rng, MODELS));
            let consent = rng.gen_bool(0.6);
            ex.push([
                Val::Int(id),
                Val::Int(o.id),
                o.path.clone().into(),
                (if collective { ExemplarKind::TapThe } else { ExemplarKind::CaNhan }).code().into(),
                name.clone().into(),
                text::fold(&name).into(),
                text::sort_key(&name).into(),
                position.into(),
                unit_name.clone().into(),
                Val::OptInt(members),
                achievements.into(),
                model.into(),
                Val::Int(year),
                status.code().into(),
                level.code().into(),
                Val::Int(consent as i64),
                Val::Int(created),
                Val::Int(created),
            ]);
            if matches!(status, Status::CongNhan | Status::NhanRong) && rng.gen_bool(0.3) {
                use dienhinh_domain::propaganda::{Channel, ItemType};
                use dienhinh_domain::story::StoryStatus;
                story_id += 1;
                let published = consent && rng.gen_bool(0.8);
                let at = created + rng.gen_range(30..300) * 86_400_000;
                let title = format!("{name}: tấm gương {}", unit_name);
                let achievement = achievements;
                let body = format!("{achievement}\n\n## Cách làm\n\n{model}\n\n> Làm tốt việc nhỏ mỗi ngày.");
                st.push([
                    Val::Int(story_id),
                    Val::Int(o.id),
                    o.path.clone().into(),
                    title.clone().into(),
                    achievement.into(),
                    body.into(),
                    (if published { StoryStatus::DaDang } else { StoryStatus::Nhap }).code().into(),
                    Val::Int(published as i64),
                    Val::Int(published as i64),
                    Val::Int(published as i64),
                    Val::Int(published as i64),
                    Val::OptInt(published.then_some(at)),
                    Val::Int(created),
                    Val::Int(at),
                ]);
                stx.push([Val::Int(story_id), Val::Int(id)]);
                for _ in 0..rng.gen_range(1..=3) {
                    item_id += 1;
                    let on = time::OffsetDateTime::from_unix_timestamp(at / 1000).map(|t| t.date()).unwrap_or(time::Date::MIN);
                    pr.push([
                        Val::Int(item_id),
                        Val::Int(o.id),
                        o.path.clone().into(),
                        ItemType::ALL[rng.gen_range(0..ItemType::ALL.len())].code().into(),
                        Channel::ALL[rng.gen_range(0..Channel::ALL.len())].code().into(),
                        title.clone().into(),
                        "".into(),
                        on.to_string().into(),
                        Val::Int(on.year() as i64),
                        Val::Int(at),
                        Val::Int(at),
                    ]);
                    prx.push([Val::Int(item_id), Val::Int(id)]);
                }
            }
            let f1 = rng.gen_range(0..fields.len());
            exf.push([Val::Int(id), Val::Int(fields[f1].id)]);
            if rng.gen_bool(0.4) {
                let f2 = (f1 + 1 + rng.gen_range(0..fields.len() - 1)) % fields.len();
                exf.push([Val::Int(id), Val::Int(fields[f2].id)]);
            }
            if rng.gen_bool(0.5) {
                let r = self.roots.iter().position(|&r| self.tree[r].province == o.province).unwrap_or(0);
                exm.push([Val::Int(id), Val::Int((r * MOVEMENTS.len() + rng.gen_range(0..MOVEMENTS.len())) as i64 + 1)]);
            }
            // The steps that led to the status (raises are not recorded, to keep it short).
            for (k, (step, from, to)) in steps_to(status).iter().enumerate() {
                step_id += 1;
                steps.push([
                    Val::Int(step_id),
                    Val::Int(id),
                    step.code().into(),
                    from.code().into(),
                    to.code().into(),
                    Level::CoSo.code().into(),
                    Level::CoSo.code().into(),
                    "Nghị quyết của cấp ủy cơ sở.".into(),
                    Val::OptInt(None),
                    "hệ thống (gen)".into(),
                    Val::Int(created + (k as i64 + 1) * 30 * 86_400_000),
                ]);
            }
            self.ex_unit.push(u as u32);
            self.ex_collective.push(collective);
            self.ex_year.push(year as u16);
            // Links reference exemplars: write the exemplars first.
            if ex.is_full() || exf.is_full() || exm.is_full() || steps.is_full() || stx.is_full() || prx.is_full() {
                self.l.flush(&mut ex).await?;
                self.l.flush(&mut st).await?;
                self.l.flush(&mut pr).await?;
            }
            self.l.maybe_flush(&mut exf).await?;
            self.l.maybe_flush(&mut exm).await?;
            self.l.maybe_flush(&mut steps).await?;
            self.l.maybe_flush(&mut stx).await?;
            self.l.maybe_flush(&mut prx).await?;
        }
        self.l.flush(&mut ex).await?;
        self.l.flush(&mut st).await?;
        self.l.flush(&mut pr).await?;
        for links in [&mut exf, &mut exm, &mut stx, &mut prx] {
            self.l.flush(links).await?;
        }
        self.l.flush(&mut steps).await
    }

    /// Evaluations, each scored against the three criteria for its kind.
    /// Returns the number of scores.
    async fn evaluations(&mut self) -> anyhow::Result<usize> {
        let b = self.b;
        self.l.stage("evaluations", "evaluations", self.s.evaluations as u64);
        let mut ev = Inserter::new(b, "evaluations", &[
            "id", "exemplar_id", "org_path", "criteria_set_id", "period_year", "evaluated_on", "evaluator", "effect", "effectiveness", "potential",
            "influence_unit", "influence_society", "difficulties", "help_decided", "created_at",
        ]);
        let mut sc = Inserter::new(b, "evaluation_scores", &["evaluation_id", "criterion_id", "result", "score", "comment"]);
        let mut scores = 0usize;
        for i in 0..self.s.evaluations {
            let id = i as i64 + 1;
            let e = self.rng.gen_range(0..self.s.exemplars);
            let o = &self.tree[self.ex_unit[e] as usize];
            let set_id = self.root_of(o) as i64 + 1;
            let rng = &mut self.rng;
            let year = rng.gen_range(2022..=2025i64);
            let evaluator = o.upper.map(|u| format!("Ban Tuyên giáo {}", self.tree[u].name)).unwrap_or_else(|| "Ban Tuyên giáo".into());
            ev.push([
                Val::Int(id),
                Val::Int(e as i64 + 1),
                o.path.clone().into(),
                Val::Int(set_id),
                Val::Int(year),
                date(rng, year).into(),
                evaluator.into(),
                "Tạo chuyển biến rõ trong đơn vị, được cán bộ, đảng viên ghi nhận.".into(),
                "Tiết kiệm thời gian, chi phí; phục vụ người dân tốt hơn.".into(),
                "Có khả năng nhân rộng ra các đơn vị cùng ngành.".into(),
                "Nhiều đồng nghiệp học tập, làm theo.".into(),
                "".into(),
                "".into(),
                "".into(),
                Val::Int(year_ms(year) + 340 * 86_400_000),
            ]);
            let first = if self.ex_collective[e] { 0 } else { 3 };
            for k in first..first + 3 {
                let r = pick(rng, RESULTS);
                let score = match r {
                    EvalResult::Dat => 8.0 + rng.gen_range(0..=4) as f64 * 0.5,
                    EvalResult::DatMotPhan => 6.5,
                    EvalResult::ChuaDat => 4.0,
                };
                sc.push([Val::Int(id), Val::Int(set_id * 100 + k as i64), r.code().into(), Val::Float(Some(score)), "".into()]);
                scores += 1;
            }
            if ev.is_full() {
                self.l.flush(&mut ev).await?;
            }
            if sc.is_full() {
                // Scores reference evaluations: write those first.
                self.l.flush(&mut ev).await?;
                self.l.flush(&mut sc).await?;
            }
        }
        self.l.flush(&mut ev).await?;
        self.l.flush(&mut sc).await?;
        Ok(scores)
    }

    async fn fostering(&mut self) -> anyhow::Result<()> {
        self.l.stage("fostering items", "fostering_items", self.s.fostering as u64);
        let mut fo = Inserter::new(self.b, "fostering_items", &[
            "id", "exemplar_id", "org_path", "motivation", "support_kind", "support", "shortcomings", "measures", "responsible", "due_on", "status",
            "created_at", "updated_at",
        ]);
        let rng = &mut self.rng;
        for i in 0..self.s.fostering {
            let e = rng.gen_range(0..self.s.exemplars);
            let o = &self.tree[self.ex_unit[e] as usize];
            let year = (self.ex_year[e] as i64 + rng.gen_range(0..=2)).min(2026);
            let created = year_ms(year) + rng.gen_range(0..300) * 86_400_000;
            fo.push([
                Val::Int(i as i64 + 1),
                Val::Int(e as i64 + 1),
                o.path.clone().into(),
                "Mong muốn cách làm được áp dụng rộng rãi.".into(),
                pick(rng, FOSTER_KINDS).code().into(),
                "Hỗ trợ kinh phí, tài liệu và cử cán bộ kèm cặp.".into(),
                "Hồ sơ còn chưa đầy đủ.".into(),
                "Cử cán bộ hướng dẫn hoàn thiện hồ sơ.".into(),
                format!("Văn phòng {}", o.name.trim_start_matches("Chi bộ ")).into(),
                Val::OptText(Some(date(rng, year + 1))),
                pick(rng, FOSTER_STATUSES).code().into(),
                Val::Int(created),
                Val::Int(created),
            ]);
            self.l.maybe_flush(&mut fo).await?;
        }
        self.l.flush(&mut fo).await
    }

    /// Replications by another unit of the same province.
    async fn replications(&mut self) -> anyhow::Result<()> {
        self.l.stage("replications", "replications", self.s.replications as u64);
        let mut re = Inserter::new(self.b, "replications", &["id", "exemplar_id", "org_path", "adopter_org_id", "adopter_org_path", "adopted_on", "how", "note", "created_at"]);
        let (rng, tree) = (&mut self.rng, &self.tree);
        for i in 0..self.s.replications {
            let e = rng.gen_range(0..self.s.exemplars);
            let o = &tree[self.ex_unit[e] as usize];
            let pool = &self.units_of[o.province];
            let mut a = pool[rng.gen_range(0..pool.len())];
            if a == self.ex_unit[e] as usize {
                a = pool[(pool.iter().position(|&x| x == a).unwrap_or(0) + 1) % pool.len()];
            }
            let year = (self.ex_year[e] as i64 + 1).min(2026);
            re.push([
                Val::Int(i as i64 + 1),
                Val::Int(e as i64 + 1),
                o.path.clone().into(),
                Val::Int(tree[a].id),
                tree[a].path.clone().into(),
                date(rng, year).into(),
                pick(rng, HOW).code().into(),
                "Áp dụng tại đơn vị sau hội nghị sơ kết.".into(),
                Val::Int(year_ms(year)),
            ]);
            self.l.maybe_flush(&mut re).await?;
        }
        self.l.flush(&mut re).await
    }

    /// Accounts: the named ones first, then random ones. Returns (username,
    /// role label, org name) of the named accounts.
    ///
    /// Argon2 is slow by design: ONE hash of `PASSWORD` is made and stored
    /// for every generated account (each real account gets its own salt).
    async fn users(&mut self) -> anyhow::Result<Vec<(String, String, String)>> {
        let (b, t0) = (self.b, t0());
        self.l.stage("users", "users", self.s.users as u64);
        let hash = users::hash_password(PASSWORD)?;
        let mut us = Inserter::new(b, "users", &["id", "username", "full_name", "name_key", "sort_key", "position", "org_id", "org_path", "password_hash", "created_at", "updated_at"]);
        let mut ra = Inserter::new(b, "role_assignments", &["id", "user_id", "role", "org_id", "created_at"]);
        let (rng, tree) = (&mut self.rng, &self.tree);
        let root = self.roots[0];
        let bloc = (0..tree.len()).find(|&i| tree[i].kind == OrgKind::DangUyKhoi).context("no bloc")?;
        let btg_node = (0..tree.len()).find(|&i| tree[i].kind == OrgKind::Ban && tree[i].parent == Some(bloc) && tree[i].name.starts_with("Ban Tuyên giáo")).unwrap_or(bloc);
        let tccs = (0..tree.len()).find(|&i| tree[i].kind == OrgKind::Tccs && tree[i].parent == Some(bloc)).context("no TCCS")?;
        // (username, role, node where the role is held, node the person works at, position)
        let named: Vec<(&str, Role, usize, usize, &str)> = vec![
            ("admin", Role::Admin, root, root, "Quản trị hệ thống"),
            // One user per level of the tree for the benchmark: the country
            // (a role at every province, added below), a province, a bloc, a TCCS.
            (COUNTRY_USER, Role::BanTuyenGiao, root, root, "Chuyên viên Ban Tuyên giáo Trung ương"),
            ("btg.tinh", Role::BanTuyenGiao, root, root, "Chuyên viên Ban Tuyên giáo Tỉnh ủy"),
            ("btv.khoi", Role::BanThuongVu, bloc, bloc, "Phó Bí thư Đảng ủy Khối"),
            ("btg.khoi", Role::BanTuyenGiao, bloc, btg_node, "Chuyên viên Ban Tuyên giáo"),
            ("capuy.tccs", Role::CapUy, tccs, tccs, "Bí thư Đảng ủy cơ sở"),
            ("canbo.tccs", Role::CanBoTccs, tccs, tccs, "Cán bộ Văn phòng Đảng ủy"),
            ("xem.khoi", Role::NguoiXem, bloc, bloc, "Đảng viên"),
        ];
        let uppers: Vec<usize> = (0..tree.len()).filter(|&i| tree[i].kind == OrgKind::DangUyKhoi).collect();
        let tccs_all: Vec<usize> = (0..tree.len()).filter(|&i| tree[i].kind == OrgKind::Tccs).collect();
        let mut accounts = vec![];
        for i in 0..self.s.users.max(named.len()) {
            let id = i as i64 + 1;
            let full = text::normalize_line(&person_name(rng));
            let (username, role, at, works, position) = if let Some((u, r, at, w, p)) = named.get(i) {
                accounts.push((u.to_string(), r.label().to_string(), tree[*at].name.clone()));
                (u.to_string(), *r, *at, *w, p.to_string())
            } else {
                let initials: String = text::fold(&full).split_whitespace().map(|w| w.chars().next().unwrap_or('x')).collect();
                let (role, at) = match rng.gen_range(0..10) {
                    0..=4 => (Role::CanBoTccs, tccs_all[rng.gen_range(0..tccs_all.len())]),
                    5..=6 => (Role::CapUy, tccs_all[rng.gen_range(0..tccs_all.len())]),
                    7 => (Role::BanTuyenGiao, uppers[rng.gen_range(0..uppers.len())]),
                    8 => (Role::BanThuongVu, uppers[rng.gen_range(0..uppers.len())]),
                    _ => (Role::NguoiXem, uppers[rng.gen_range(0..uppers.len())]),
                };
                (format!("{initials}.{id:05}"), role, at, at, pick(rng, POSITIONS).to_string())
            };
            us.push([
                Val::Int(id),
                username.into(),
                full.clone().into(),
                text::fold(&full).into(),
                text::sort_key(&full).into(),
                position.into(),
                Val::Int(tree[works].id),
                tree[works].path.clone().into(),
                hash.clone().into(),
                Val::Int(t0),
                Val::Int(t0),
            ]);
            ra.push([Val::Int(id), Val::Int(id), role.code().into(), Val::Int(tree[at].id), Val::Int(t0)]);
            if us.is_full() || ra.is_full() {
                self.l.flush(&mut us).await?;
                self.l.flush(&mut ra).await?;
            }
        }
        // The country user holds its role at every other province too.
        let country_id = named.iter().position(|n| n.0 == COUNTRY_USER).context("country user")? as i64 + 1;
        let mut next_ra = self.s.users.max(named.len()) as i64;
        for &r in self.roots.iter().filter(|&&r| r != root) {
            next_ra += 1;
            ra.push([Val::Int(next_ra), Val::Int(country_id), Role::BanTuyenGiao.code().into(), Val::Int(tree[r].id), Val::Int(t0)]);
            if ra.is_full() {
                self.l.flush(&mut ra).await?;
            }
        }
        self.l.flush(&mut us).await?;
        self.l.flush(&mut ra).await?;
        Ok(accounts)
    }

    /// Id sequences past the explicit ids, the search index, the indexes
    /// dropped for the load, the node counters, and statistics. Returns the records indexed.
    async fn finish(&mut self, indexes: &[String]) -> anyhow::Result<u64> {
        let (b, l) = (self.b, &mut self.l);
        // Id generators past the explicit ids (PostgreSQL).
        l.stage("", "", 0);
        {
            let tx = l.tx().await?;
            for t in ["orgs", "criteria_sets", "criteria", "movements", "exemplars", "exemplar_steps", "evaluations", "fostering_items", "replications", "users", "role_assignments", "stories", "propaganda_items"] {
                reset_id_sequence(tx, b, t).await?;
            }
        }
        l.commit().await?;
        // Bulk rows bypass the store, so the search index is built once here,
        // then the indexes dropped above are built, each in one sorted pass.
        l.stage("search index", "search_docs", 0);
        let indexed = dienhinh_store::kinds::rebuild_search(&self.db).await?;
        (l.total, l.goal) = (indexed, indexed);
        l.stage("indexes", "", 0);
        {
            let tx = l.tx().await?;
            dienhinh_store::bulk::create_indexes(tx, b, indexes).await?;
        }
        l.commit().await?;
        // Nor do they count: the node counters are counted once from the rows.
        l.stage("node counters", "node_counts", 0);
        l.total = dienhinh_store::counters::rebuild(l.tx().await?, b).await?;
        l.goal = l.total;
        l.commit().await?;
        l.stage("", "", 0);
        dienhinh_store::bulk::analyze(&self.db).await?;
        Ok(indexed)
    }
}

/// Nominations in the generated commendation round (the round board and a
/// nomination page are benchmarked on it).
const NOMINATIONS: usize = 300;

/// A commendation round of this year at the first bloc, its council the
/// bloc's named accounts, with the first exemplars of the bloc nominated
/// (plain inserts, like the rest of the generated data: not audited).
async fn commendation_round(db: &Db) -> anyhow::Result<()> {
    let btg = dienhinh_store::users::by_username(db, "btg.khoi").await?;
    let btv = dienhinh_store::users::by_username(db, "btv.khoi").await?;
    let Some((bloc, path)) = btg.roles.first().map(|r| (r.org_id, r.org_path.clone())) else { return Ok(()) };
    dienhinh_store::commendation::bulk_round(db, bloc, &path, btv.id, btg.id, NOMINATIONS as i64).await?;
    Ok(())
}

pub fn print_report(r: &Report) {
    println!(
        "Generated {} organisations, {} exemplars, {} evaluations ({} scores), {} fostering items, {} replications, {} users in {:.1} s.",
        r.orgs, r.exemplars, r.evaluations, r.scores, r.fostering, r.replications, r.users, r.seconds
    );
    println!("Search index: {} records.", r.indexed);
    println!("Every generated account has the password: {PASSWORD}");
    for (u, role, at) in &r.accounts {
        println!("  {u:<12} {role:<26} {at}");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn year_ms_matches_known_dates() {
        assert_eq!(year_ms(1970), 0);
        assert_eq!(year_ms(2024), 1_704_067_200_000);
    }

    #[test]
    fn generated_steps_follow_the_lifecycle() {
        use dienhinh_domain::exemplar::{next_stage, Stage};
        for &status in Status::ALL {
            let mut at = Stage { status: Status::PhatHien, level: Level::CoSo };
            for &(step, from, to) in steps_to(status) {
                assert_eq!(at.status, from, "{status:?}");
                at = next_stage(step, at).unwrap_or_else(|r| panic!("{status:?}: {step:?} refused: {r:?}"));
                assert_eq!(at.status, to, "{status:?}");
            }
            assert_eq!(at.status, status);
        }
    }

    #[test]
    fn tree_is_deterministic_and_sized() {
        let a = tree(&mut StdRng::seed_from_u64(1), &Scale::Province.sizes());
        let b = tree(&mut StdRng::seed_from_u64(1), &Scale::Province.sizes());
        assert_eq!(a.iter().map(|o| &o.name).collect::<Vec<_>>(), b.iter().map(|o| &o.name).collect::<Vec<_>>());
        assert!((1_800..2_300).contains(&a.len()), "{}", a.len());
        let n = tree(&mut StdRng::seed_from_u64(1), &Scale::National.sizes()).len();
        assert!((45_000..60_000).contains(&n), "{n}");
        let t = tree(&mut StdRng::seed_from_u64(1), &Scale::Tiny.sizes()).len();
        assert!((30..80).contains(&t), "{t}");
    }

    #[test]
    fn names_cover_diacritics_and_case() {
        let mut rng = StdRng::seed_from_u64(7);
        let names: Vec<String> = (0..3000).map(|_| person_name(&mut rng)).collect();
        assert!(names.iter().any(|n| n.chars().all(|c| !c.is_lowercase())));
        let all: String = names.concat().to_lowercase();
        for c in "ăâđêôơưàáảãạằắẩẫậềếểệìíĩịòóỏọồốổộờớợùúủũụừứửữựỳýỷỹỵ".chars() {
            assert!(all.contains(c), "missing {c}");
        }
    }
}
