//! One builder per document the programme issues, each from a plain input
//! struct that the commendation, reports and exemplar code fill from their
//! records. Builders only arrange: numbers come from the register, text is
//! already normalised by the domain, and what the callers leave empty is
//! either left out or said to be missing (`Chưa có.`), never an error.

use crate::model::{Block, Cell, Closing, Issuer, PageSettings, PartyDocument, Signer, Table};

/// What every document of an issuing body starts with.
#[derive(Debug, Clone, PartialEq)]
pub struct Head {
    pub issuer: Issuer,
    /// The number and symbol issued by the register (`07-TTr/ĐUK`); `None`
    /// for a document that carries none.
    pub number: Option<String>,
    pub date: time::Date,
    pub settings: PageSettings,
}

const NONE_YET: &str = "Chưa có.";

fn doc(head: Head, kind: &str, subject: &str, addressee: Option<String>, blocks: Vec<Block>, closing: Closing) -> PartyDocument {
    PartyDocument {
        settings: head.settings,
        issuer: head.issuer,
        number: head.number,
        date: head.date,
        kind: kind.into(),
        subject: subject.into(),
        addressee,
        blocks,
        closing,
    }
}

/// A table, or `Chưa có.` in its place when it has no rows.
fn table_or_none(t: Table) -> Block {
    if t.rows.is_empty() {
        Block::Paragraph(format!("{}: {}", t.title, NONE_YET))
    } else {
        Block::Table(t)
    }
}

/// A tờ trình: a proposal sent upward for a decision.
#[derive(Debug, Clone, PartialEq)]
pub struct ProposalInput {
    pub head: Head,
    /// Trích yếu: `Về việc đề nghị tặng Bằng khen …`.
    pub subject: String,
    /// The body addressed (`Ban Thường vụ Tỉnh ủy Nam Định`), after `Kính gửi:`.
    pub addressee: String,
    /// The grounds, each a `Căn cứ …` line.
    pub bases: Vec<String>,
    /// The narrative: what was considered and how (paragraphs by line).
    pub body: String,
    /// What is proposed, one numbered item each.
    pub proposals: Vec<String>,
    /// The annex it carries (`Danh sách kèm theo`), named in the closing line.
    pub annex: Option<String>,
    pub recipients: Vec<String>,
    pub signer: Signer,
}

pub fn proposal(i: ProposalInput) -> PartyDocument {
    let mut blocks: Vec<Block> = i.bases.iter().map(|b| Block::Paragraph(b.clone())).collect();
    if !i.body.trim().is_empty() {
        blocks.push(Block::Paragraph(i.body.clone()));
    }
    if !i.proposals.is_empty() {
        blocks.push(Block::Paragraph(format!("Kính đề nghị {} xem xét:", i.addressee)));
        blocks.push(Block::Numbered(i.proposals.clone()));
    }
    if let Some(annex) = &i.annex {
        blocks.push(Block::Paragraph(format!("({annex})")));
    }
    blocks.push(Block::Paragraph(format!("Kính trình {} xem xét, quyết định./.", i.addressee)));
    doc(i.head, "Tờ trình", &i.subject, Some(i.addressee), blocks, Closing::Recipients { recipients: i.recipients, signer: i.signer })
}

/// One line of an annex list (danh sách kèm theo).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AnnexEntry {
    /// Full name of the person, or the collective's name.
    pub name: String,
    /// Position and unit (`Bí thư Chi bộ, Sở Y tế`).
    pub position_unit: String,
    /// The achievements in brief.
    pub summary: String,
    /// The form of commendation proposed or decided.
    pub form: String,
}

/// A list attached to a document: `DANH SÁCH` with the subject and
/// `(Kèm theo Tờ trình số … ngày …)` under it, then the table.
#[derive(Debug, Clone, PartialEq)]
pub struct AnnexListInput {
    pub head: Head,
    /// `Cá nhân, tập thể được đề nghị tặng Bằng khen …`.
    pub subject: String,
    /// `Kèm theo Tờ trình số 07-TTr/ĐUK, ngày 12/11/2025 của Ban Thường vụ Đảng ủy Khối`.
    pub attached_to: String,
    pub entries: Vec<AnnexEntry>,
    pub signer: Signer,
}

pub fn annex_list(i: AnnexListInput) -> PartyDocument {
    let rows = i.entries.iter().map(|e| vec![Cell::text(&e.name), Cell::text(&e.position_unit), Cell::text(&e.summary), Cell::text(&e.form)]).collect();
    let table = Table::numbered("", &["Họ và tên / Tên tập thể", "Chức vụ, đơn vị", "Thành tích tóm tắt", "Hình thức"], &[4, 4, 6, 3], rows);
    let mut blocks = vec![Block::Note(format!("({})", i.attached_to))];
    blocks.push(if table.rows.is_empty() { Block::Paragraph(NONE_YET.into()) } else { Block::Table(table) });
    blocks.push(Block::Paragraph(format!("Danh sách có {} trường hợp./.", i.entries.len())));
    doc(i.head, "Danh sách", &i.subject, None, blocks, Closing::Signer(i.signer))
}

/// A member of a council as the minutes name them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Member {
    pub name: String,
    /// Position in the council and at work (`Phó Chủ tịch Hội đồng, Trưởng Ban Tuyên giáo`).
    pub position: String,
}

/// A member absent from the session.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AbsentMember {
    pub member: Member,
    pub reason: String,
    /// Whether they sent a written vote (phiếu bằng văn bản).
    pub voted_in_writing: bool,
}

/// The tally of one nomination, as the domain computed it.
#[derive(Debug, Clone, PartialEq)]
pub struct Tally {
    pub nominee: String,
    pub unit: String,
    pub form: String,
    pub agree: i64,
    pub disagree: i64,
    pub abstain: i64,
    /// Of the votes above, how many were written votes of absent members.
    pub written: i64,
    /// Members who did not vote because they hold a role in the nominee's unit.
    pub recused: i64,
    /// Agreeing share of all members (or of those the rules count), in percent.
    pub percent: f64,
    pub passed: bool,
}

/// The minutes (biên bản) of a council session.
#[derive(Debug, Clone, PartialEq)]
pub struct MinutesInput {
    pub head: Head,
    /// `Phiên họp xét đề nghị khen thưởng năm 2025`.
    pub subject: String,
    /// The council's name (`Hội đồng Thi đua, Khen thưởng Đảng ủy Khối`).
    pub council: String,
    /// When it opened, as the sentence starts (`Vào lúc 08 giờ 00 phút, ngày 20 tháng 11 năm 2025`,
    /// or `Ngày 20 tháng 11 năm 2025` when the hour was not recorded).
    pub opened: String,
    pub venue: String,
    pub chair: Member,
    pub secretary: Member,
    pub total_members: i64,
    pub present: Vec<Member>,
    pub absent: Vec<AbsentMember>,
    /// The rules that set quorum and threshold, with their values
    /// (`Quy chế hoạt động số …: có mặt ít nhất 2/3; đồng ý trên 50 %`).
    pub rules: String,
    pub quorum_met: bool,
    pub secret_ballot: bool,
    pub tallies: Vec<Tally>,
    /// What the council concluded (paragraphs by line).
    pub conclusions: String,
    /// When it closed (`vào lúc 10 giờ 30 phút cùng ngày`, or `cùng ngày`).
    pub closed: String,
}

pub fn minutes(i: MinutesInput) -> PartyDocument {
    let present = i.present.len();
    let mut blocks = vec![
        Block::Paragraph(format!("{}, tại {}, {} họp {}.", i.opened, i.venue, i.council, lower_first(&i.subject))),
        Block::Heading("I. THÀNH PHẦN".into()),
        Block::Paragraph(format!(
            "Chủ trì: đồng chí {}, {}. Thư ký: đồng chí {}, {}.",
            i.chair.name, i.chair.position, i.secretary.name, i.secretary.position
        )),
        Block::Paragraph(format!("Số thành viên Hội đồng: {}; có mặt: {present}; vắng mặt: {}.", i.total_members, i.absent.len())),
        table_or_none(Table::numbered(
            "Thành viên có mặt",
            &["Họ và tên", "Chức vụ"],
            &[5, 8],
            i.present.iter().map(|m| vec![Cell::text(&m.name), Cell::text(&m.position)]).collect(),
        )),
    ];
    if !i.absent.is_empty() {
        blocks.push(Block::Table(Table::numbered(
            "Thành viên vắng mặt",
            &["Họ và tên", "Chức vụ", "Lý do", "Phiếu bằng văn bản"],
            &[4, 5, 4, 2],
            i.absent
                .iter()
                .map(|a| vec![Cell::text(&a.member.name), Cell::text(&a.member.position), Cell::text(&a.reason), Cell::text(if a.voted_in_writing { "Có" } else { "Không" })])
                .collect(),
        )));
    }
    blocks.push(Block::Paragraph(format!(
        "{} Phiên họp {} điều kiện tiến hành. Hình thức biểu quyết: {}.",
        i.rules,
        if i.quorum_met { "đủ" } else { "không đủ" },
        if i.secret_ballot { "bỏ phiếu kín" } else { "biểu quyết công khai" }
    )));
    blocks.push(Block::Heading("II. KẾT QUẢ BIỂU QUYẾT".into()));
    blocks.push(table_or_none(Table::numbered(
        "Kết quả biểu quyết từng trường hợp",
        &["Họ và tên / Tên tập thể, đơn vị", "Hình thức đề nghị", "Đồng ý", "Không đồng ý", "Không biểu quyết", "Tỷ lệ đồng ý (%)", "Kết quả", "Ghi chú"],
        &[5, 3, 2, 2, 2, 2, 3, 4],
        i.tallies
            .iter()
            .map(|t| {
                vec![
                    Cell::text(format!("{}\n{}", t.nominee, t.unit)),
                    Cell::text(&t.form),
                    Cell::int(t.agree),
                    Cell::int(t.disagree),
                    Cell::int(t.abstain),
                    Cell::Number((t.percent * 10.0).round() / 10.0),
                    Cell::text(if t.passed { "Đạt" } else { "Không đạt" }),
                    Cell::text(tally_note(t)),
                ]
            })
            .collect(),
    )));
    blocks.push(Block::Heading("III. KẾT LUẬN".into()));
    blocks.push(Block::Paragraph(if i.conclusions.trim().is_empty() { NONE_YET.into() } else { i.conclusions.clone() }));
    blocks.push(Block::Paragraph(format!(
        "Phiên họp kết thúc {}. Biên bản đã được đọc lại cho các thành viên có mặt cùng nghe và thống nhất./.",
        i.closed
    )));
    let signer = |m: &Member, role: &str| Signer { authority: None, position: role.into(), name: m.name.clone() };
    let closing = Closing::TwoSigners { left: signer(&i.secretary, "Thư ký"), right: signer(&i.chair, "Chủ trì") };
    doc(i.head, "Biên bản", &i.subject, None, blocks, closing)
}

/// Written votes and recusals of a tally, in words (`1 phiếu bằng văn bản`).
fn tally_note(t: &Tally) -> String {
    let mut notes = vec![];
    if t.written > 0 {
        notes.push(format!("{} phiếu bằng văn bản", t.written));
    }
    if t.recused > 0 {
        notes.push(format!("{} thành viên không tham gia biểu quyết", t.recused));
    }
    notes.join("; ")
}

fn lower_first(s: &str) -> String {
    let mut c = s.chars();
    c.next().map(|f| f.to_lowercase().chain(c).collect()).unwrap_or_default()
}

/// A section of a report: its heading, its narrative and its figures.
#[derive(Debug, Clone, PartialEq)]
pub struct ReportSection {
    /// `I. KẾT QUẢ THỰC HIỆN`.
    pub heading: String,
    /// Paragraphs by line; may be empty when the tables say it all.
    pub text: String,
    pub tables: Vec<Table>,
}

/// A báo cáo (a review, a yearly report): sections with figures tables.
#[derive(Debug, Clone, PartialEq)]
pub struct ReportInput {
    pub head: Head,
    /// `Sơ kết 3 năm thực hiện Kế hoạch số 48-KH/ĐUK …`.
    pub subject: String,
    /// An opening paragraph (the plan it reports on, the period).
    pub intro: String,
    pub sections: Vec<ReportSection>,
    pub recipients: Vec<String>,
    pub signer: Signer,
}

pub fn report(i: ReportInput) -> PartyDocument {
    let mut blocks = vec![];
    if !i.intro.trim().is_empty() {
        blocks.push(Block::Paragraph(i.intro.clone()));
    }
    for s in &i.sections {
        blocks.push(Block::Heading(s.heading.clone()));
        if !s.text.trim().is_empty() {
            blocks.push(Block::Paragraph(s.text.clone()));
        }
        if s.text.trim().is_empty() && s.tables.is_empty() {
            blocks.push(Block::Paragraph("Chưa có số liệu trong kỳ báo cáo.".into()));
        }
        blocks.extend(s.tables.iter().cloned().map(table_or_none));
    }
    doc(i.head, "Báo cáo", &i.subject, None, blocks, Closing::Recipients { recipients: i.recipients, signer: i.signer })
}

/// Who an achievement report is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reporting {
    Individual,
    Collective,
}

/// The headings of an achievement report's three parts. The forms are
/// annexed to the decree on emulation and commendation (Mẫu số 01, 02 under
/// Decree 91/2017, carried forward by Decree 98/2023): the defaults follow
/// them as commonly reproduced; a caller checks them against the current
/// annex and may replace them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AchievementHeadings {
    pub profile: String,
    pub achievements: String,
    pub duties: String,
    pub results: String,
    pub commendations: String,
}

impl AchievementHeadings {
    pub fn for_(who: Reporting) -> Self {
        let profile = match who {
            Reporting::Individual => "I. SƠ LƯỢC LÝ LỊCH",
            Reporting::Collective => "I. SƠ LƯỢC ĐẶC ĐIỂM, TÌNH HÌNH",
        };
        let duties = match who {
            Reporting::Individual => "1. Quyền hạn, nhiệm vụ được giao",
            Reporting::Collective => "1. Chức năng, nhiệm vụ, tổ chức",
        };
        AchievementHeadings {
            profile: profile.into(),
            achievements: "II. THÀNH TÍCH ĐẠT ĐƯỢC".into(),
            duties: duties.into(),
            results: "2. Thành tích đạt được".into(),
            commendations: "III. CÁC HÌNH THỨC ĐÃ ĐƯỢC KHEN THƯỞNG".into(),
        }
    }
}

/// A commendation received before, with its decision.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EarlierCommendation {
    pub year: i64,
    /// The title or form (`Bằng khen của Chủ tịch UBND tỉnh`).
    pub form: String,
    /// Number, date and issuer of the decision (`Quyết định số 1234/QĐ-UBND ngày 15/12/2023`).
    pub decision: String,
}

/// A báo cáo thành tích (achievement report), pre-filled from the records
/// then edited by the unit.
#[derive(Debug, Clone, PartialEq)]
pub struct AchievementReportInput {
    pub head: Head,
    pub who: Reporting,
    pub headings: AchievementHeadings,
    /// The form of commendation proposed (`Đề nghị tặng Bằng khen của Chủ tịch UBND tỉnh`).
    pub proposed: String,
    /// The person's or the collective's name, in the subject line.
    pub name: String,
    /// Part I as label and value (`Họ và tên`, `Ngày sinh`, …), in order.
    pub profile: Vec<(String, String)>,
    /// Part I's narrative (a collective's situation), may be empty.
    pub situation: String,
    pub duties: String,
    pub results: String,
    /// Figures of part II (evaluations, replications …).
    pub figures: Vec<Table>,
    pub commendations: Vec<EarlierCommendation>,
    /// The head of the unit (or the direct superior) confirming, on the left.
    pub confirming: Signer,
    /// The person reporting (or the head of the collective), on the right.
    pub reporter: Signer,
}

pub fn achievement_report(i: AchievementReportInput) -> PartyDocument {
    let h = &i.headings;
    let mut blocks = vec![Block::Heading(h.profile.clone())];
    if !i.profile.is_empty() {
        blocks.push(Block::Facts(i.profile.clone()));
    }
    if !i.situation.trim().is_empty() {
        blocks.push(Block::Paragraph(i.situation.clone()));
    }
    blocks.push(Block::Heading(h.achievements.clone()));
    blocks.push(Block::SubHeading(h.duties.clone()));
    blocks.push(Block::Paragraph(or_none(&i.duties)));
    blocks.push(Block::SubHeading(h.results.clone()));
    blocks.push(Block::Paragraph(or_none(&i.results)));
    blocks.extend(i.figures.iter().cloned().map(table_or_none));
    blocks.push(Block::Heading(h.commendations.clone()));
    blocks.push(table_or_none(Table::numbered(
        "Các hình thức khen thưởng",
        &["Năm", "Hình thức khen thưởng", "Số, ngày quyết định, cơ quan ban hành"],
        &[2, 6, 7],
        i.commendations.iter().map(|c| vec![Cell::int(c.year), Cell::text(&c.form), Cell::text(&c.decision)]).collect(),
    )));
    let subject = format!("{} của {}", i.proposed, i.name);
    doc(i.head, "Báo cáo thành tích", &subject, None, blocks, Closing::TwoSigners { left: i.confirming, right: i.reporter })
}

fn or_none(s: &str) -> String {
    if s.trim().is_empty() { NONE_YET.into() } else { s.to_string() }
}

/// The printed profile of an exemplar (hồ sơ điển hình tiên tiến).
#[derive(Debug, Clone, PartialEq)]
pub struct ProfileInput {
    pub head: Head,
    /// The exemplar's name (a person's full name or a collective's name).
    pub name: String,
    /// Label and value of its facts (kind, unit, fields, stage, level …), in order.
    pub facts: Vec<(String, String)>,
    pub achievements: String,
    /// The model, good practice or initiative.
    pub model: String,
    /// The steps of its course: when, what, the decision, the reason.
    pub history: Vec<[String; 4]>,
    /// Evaluations: year, criteria set, evaluator, share of criteria met (%).
    pub evaluations: Vec<(i64, String, String, Option<f64>)>,
    /// Replications: adopting unit, date, how.
    pub replications: Vec<[String; 3]>,
    /// Who prints it (a full name, and their position if known).
    pub signer: Signer,
}

pub fn profile(i: ProfileInput) -> PartyDocument {
    let mut blocks = vec![Block::Heading("I. THÔNG TIN CHUNG".into()), Block::Facts(i.facts.clone())];
    blocks.push(Block::Heading("II. THÀNH TÍCH TIÊU BIỂU".into()));
    blocks.push(Block::Paragraph(or_none(&i.achievements)));
    blocks.push(Block::Heading("III. MÔ HÌNH, CÁCH LÀM HAY, SÁNG KIẾN".into()));
    blocks.push(Block::Paragraph(or_none(&i.model)));
    blocks.push(Block::Heading("IV. QUÁ TRÌNH PHÁT HIỆN, BỒI DƯỠNG, CÔNG NHẬN".into()));
    blocks.push(table_or_none(Table::numbered(
        "Các bước",
        &["Thời gian", "Bước", "Quyết định", "Lý do, ghi chú"],
        &[3, 4, 4, 5],
        i.history.iter().map(|r| r.iter().map(Cell::text).collect()).collect(),
    )));
    blocks.push(Block::Heading("V. ĐÁNH GIÁ".into()));
    blocks.push(table_or_none(Table::numbered(
        "Kết quả đánh giá",
        &["Năm", "Bộ tiêu chí", "Người đánh giá", "Tỷ lệ tiêu chí đạt (%)"],
        &[2, 6, 4, 3],
        i.evaluations
            .iter()
            .map(|(y, set, evaluator, met)| vec![Cell::int(*y), Cell::text(set), Cell::text(evaluator), met.map_or(Cell::text(""), Cell::Number)])
            .collect(),
    )));
    blocks.push(Block::Heading("VI. NHÂN RỘNG".into()));
    blocks.push(table_or_none(Table::numbered(
        "Đơn vị học tập, áp dụng",
        &["Đơn vị", "Ngày áp dụng", "Cách thức"],
        &[6, 3, 5],
        i.replications.iter().map(|r| r.iter().map(Cell::text).collect()).collect(),
    )));
    doc(i.head, "Hồ sơ điển hình tiên tiến", &i.name, None, blocks, Closing::Signer(i.signer))
}
