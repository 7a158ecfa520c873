//! Counters per node: what every figure (home page, dashboards, reports)
//! counts, kept up to date by the write path instead of counted on every
//! view. A record contributes one [`Tally`] (a metric and a key, at its
//! node) per thing it is counted as; each tally counts at its node and at
//! every ancestor, so the figure of a subtree is one row at its root, and
//! at [`WHOLE_TREE`], so the figure of the whole tree (a country of 63
//! provinces, each a root) is one row too.
//!
//! The write path turns a record's tallies before and after a write into
//! [`Delta`]s ([`deltas`]); an org move shifts the whole subtree's counts
//! from the old ancestors to the new ones ([`moved`]). Both are pure.
//!
//! Keys are the record's codes joined by `/` (`ca_nhan/cong_nhan/tinh/2024`);
//! the store's fresh count (`dienhinh check`, the rebuild after a migration
//! or a bulk load) spells them the same way in SQL. A key that counts
//! something of a year ends with it, and that year is also stored beside
//! the key ([`Metric::year_of`]), so a period is a range in SQL.

use crate::annual_model::ModelStatus;
use crate::exemplar::{ExemplarKind, Level, Status};
use crate::fostering::FosteringStatus;
use crate::org::{OrgKind, OrgPath};
use crate::propaganda::{Channel, ItemType};

use std::collections::BTreeMap;

/// The counter node of the whole tree: no organisation has id 0 (ids start
/// at 1), and every record counts there too. A country-wide figure read
/// the rows of 63 roots and summed them (80,000 rows, 40 ms on SQLite).
pub const WHOLE_TREE: i64 = 0;

/// The counter nodes a record at `node` counts at: the whole tree, then
/// the node's path from its root down to itself.
fn counted_at(node: &OrgPath) -> impl Iterator<Item = i64> {
    std::iter::once(WHOLE_TREE).chain(node.ids())
}

crate::coded_enum!(
    /// What is counted, and what its key holds.
    pub enum Metric {
        /// Key: the organisation's kind.
        Orgs = "orgs": "Tổ chức",
        /// Key: empty (every account, active or not).
        Users = "users": "Người dùng",
        /// Key: kind/status/level/year found.
        Exemplars = "exemplars": "Điển hình",
        /// Key: status.
        Fostering = "fostering": "Nội dung bồi dưỡng",
        /// Key: the period's year.
        Evaluations = "evaluations": "Đánh giá",
        /// Key: a year the exemplar has an evaluation for. A recognised
        /// exemplar (`Status::is_recognised`)
        /// counts once per such year, so the recognised less this year's
        /// row are those still due for this year's evaluation.
        RecognisedEvaluated = "recognised_evaluated": "Điển hình đã công nhận có đánh giá",
        /// Key: the year adopted.
        Replications = "replications": "Nhân rộng",
        /// Key: the year visited.
        StudyVisits = "study_visits": "Tham quan học tập",
        /// Key: status/year.
        Models = "models": "Mô hình hằng năm",
        /// Key: a year in which a TCCS đảng has a model of its own approved;
        /// each TCCS counts once per such year, so the TCCS less a year's
        /// row are those still without an approved model that year.
        TccsApprovedModel = "tccs_approved_model": "TCCS đảng có mô hình được duyệt",
        /// Key: field id/status/year found; an exemplar counts once per
        /// field it works in (none, one or several).
        ExemplarFields = "exemplar_fields": "Điển hình theo lĩnh vực",
        /// Key: type/channel/year.
        Propaganda = "propaganda": "Tin, bài tuyên truyền",
    }
);

impl Metric {
    /// The year a key of this metric counts in (its last part), for the
    /// metrics that count something of a year; none for the others (a
    /// state, or no date at all).
    pub fn year_of(self, key: &str) -> Option<i64> {
        match self {
            Metric::Orgs | Metric::Users | Metric::Fostering => None,
            Metric::Exemplars | Metric::Evaluations | Metric::RecognisedEvaluated | Metric::TccsApprovedModel | Metric::Replications | Metric::StudyVisits | Metric::Models | Metric::ExemplarFields | Metric::Propaganda => {
                key.rsplit('/').next()?.parse().ok()
            }
        }
    }
}

/// One thing a record is counted as, at its node.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tally {
    pub node: OrgPath,
    pub metric: Metric,
    pub key: String,
}

/// A change of one counter: `n` added to (`metric`, `key`) at node `org_id`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Delta {
    pub org_id: i64,
    pub metric: Metric,
    pub key: String,
    pub n: i64,
}

fn tally(node: &OrgPath, metric: Metric, parts: &[&str]) -> Tally {
    Tally { node: node.clone(), metric, key: parts.join("/") }
}

/// The year of an ISO date (`2024-05-01` → `2024`), as the key spells it.
fn year_of(date: &str) -> &str {
    date.get(..4).unwrap_or("")
}

pub fn org(node: &OrgPath, kind: OrgKind) -> Tally {
    tally(node, Metric::Orgs, &[kind.code()])
}

/// What a TCCS's years with an approved model of its own count as: one
/// tally per distinct year (none for other kinds of node).
pub fn tccs_approved_model(node: &OrgPath, kind: OrgKind, approved_years: &[i64]) -> Vec<Tally> {
    distinct_years(node, Metric::TccsApprovedModel, kind == OrgKind::Tccs, approved_years)
}

/// One tally of `metric` per distinct year, if `counted`.
fn distinct_years(node: &OrgPath, metric: Metric, counted: bool, years: &[i64]) -> Vec<Tally> {
    if !counted {
        return vec![];
    }
    let years: std::collections::BTreeSet<i64> = years.iter().copied().collect();
    years.into_iter().map(|y| tally(node, metric, &[&y.to_string()])).collect()
}

pub fn user(node: &OrgPath) -> Tally {
    tally(node, Metric::Users, &[])
}

pub fn exemplar(node: &OrgPath, kind: ExemplarKind, status: Status, level: Level, year_found: i64) -> Tally {
    tally(node, Metric::Exemplars, &[kind.code(), status.code(), level.code(), &year_found.to_string()])
}

/// What a recognised exemplar's evaluated years count as: one tally per
/// distinct year (none unless `Status::is_recognised`).
pub fn recognised_evaluated(node: &OrgPath, status: Status, evaluated_years: &[i64]) -> Vec<Tally> {
    distinct_years(node, Metric::RecognisedEvaluated, status.is_recognised(), evaluated_years)
}

pub fn exemplar_field(node: &OrgPath, field_id: i64, status: Status, year_found: i64) -> Tally {
    tally(node, Metric::ExemplarFields, &[&field_id.to_string(), status.code(), &year_found.to_string()])
}

/// An exemplar-field key read back: (field id, status, year found).
pub fn parse_exemplar_field_key(key: &str) -> Option<(i64, Status, i64)> {
    let mut p = key.split('/');
    let r = (p.next()?.parse().ok()?, Status::from_code(p.next()?)?, p.next()?.parse().ok()?);
    p.next().is_none().then_some(r)
}

pub fn fostering(node: &OrgPath, status: FosteringStatus) -> Tally {
    tally(node, Metric::Fostering, &[status.code()])
}

pub fn evaluation(node: &OrgPath, period_year: i64) -> Tally {
    tally(node, Metric::Evaluations, &[&period_year.to_string()])
}

pub fn replication(node: &OrgPath, adopted_on: &str) -> Tally {
    tally(node, Metric::Replications, &[year_of(adopted_on)])
}

pub fn study_visit(node: &OrgPath, visited_on: &str) -> Tally {
    tally(node, Metric::StudyVisits, &[year_of(visited_on)])
}

pub fn model(node: &OrgPath, status: ModelStatus, year: i64) -> Tally {
    tally(node, Metric::Models, &[status.code(), &year.to_string()])
}

pub fn propaganda(node: &OrgPath, item_type: ItemType, channel: Channel, year: i64) -> Tally {
    tally(node, Metric::Propaganda, &[item_type.code(), channel.code(), &year.to_string()])
}

/// A propaganda key read back: (type, channel, year).
pub fn parse_propaganda_key(key: &str) -> Option<(ItemType, Channel, i64)> {
    let mut p = key.split('/');
    let r = (ItemType::from_code(p.next()?)?, Channel::from_code(p.next()?)?, p.next()?.parse().ok()?);
    p.next().is_none().then_some(r)
}

/// An exemplar key read back: (kind, status, level, year found).
pub fn parse_exemplar_key(key: &str) -> Option<(ExemplarKind, Status, Level, i64)> {
    let mut p = key.split('/');
    let r = (ExemplarKind::from_code(p.next()?)?, Status::from_code(p.next()?)?, Level::from_code(p.next()?)?, p.next()?.parse().ok()?);
    p.next().is_none().then_some(r)
}

/// The exemplars a list's filters select, where the exemplar counters can
/// count them (their key is kind/status/level/year found): each of kind,
/// status and level one code or any, the year found within a range.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ExemplarSelection<'a> {
    pub kind: Option<&'a str>,
    pub status: Option<&'a str>,
    pub level: Option<&'a str>,
    /// The earliest year found selected, if any.
    pub from_year: Option<i64>,
    /// The latest year found selected, if any.
    pub to_year: Option<i64>,
}

impl ExemplarSelection<'_> {
    /// Whether the exemplars counted under the exemplar key `key` are selected.
    pub fn holds(&self, key: &str) -> bool {
        let Some((kind, status, level, year)) = parse_exemplar_key(key) else {
            return false;
        };
        self.kind.is_none_or(|k| k == kind.code())
            && self.status.is_none_or(|s| s == status.code())
            && self.level.is_none_or(|l| l == level.code())
            && self.from_year.is_none_or(|y| year >= y)
            && self.to_year.is_none_or(|y| year <= y)
    }

    /// The keys of the selection's kind, status and level as a SQL `LIKE`
    /// pattern (escape `\`), so that a list's count is one sum in SQL
    /// rather than every key of a subtree read and tested by [`Self::holds`]
    /// (a bloc has 200 of them); the years are a range on the stored year.
    /// `None` when a code it names is no code at all: it selects nothing.
    pub fn key_pattern(&self) -> Option<String> {
        let part = |code: Option<&str>, known: fn(&str) -> bool| match code {
            None => Some("%".to_string()),
            // A known code is lower-case letters and `_`, which alone needs escaping.
            Some(c) if known(c) => Some(c.replace('_', "\\_")),
            Some(_) => None,
        };
        let kind = part(self.kind, |c| ExemplarKind::from_code(c).is_some())?;
        let status = part(self.status, |c| Status::from_code(c).is_some())?;
        let level = part(self.level, |c| Level::from_code(c).is_some())?;
        Some(format!("{kind}/{status}/{level}/%"))
    }
}

/// A model key read back: (status, year).
pub fn parse_model_key(key: &str) -> Option<(ModelStatus, i64)> {
    let (s, y) = key.split_once('/')?;
    Some((ModelStatus::from_code(s)?, y.parse().ok()?))
}

/// The counter changes a write makes: each tally of `before` taken away
/// from its node and every ancestor, each of `after` added, what cancels
/// left out. Sorted by (node, metric, key), so concurrent writes lock
/// counter rows in one order.
pub fn deltas(before: &[Tally], after: &[Tally]) -> Vec<Delta> {
    let mut sum: BTreeMap<(i64, Metric, String), i64> = BTreeMap::new();
    for (tallies, sign) in [(before, -1), (after, 1)] {
        for t in tallies {
            for id in counted_at(&t.node) {
                *sum.entry((id, t.metric, t.key.clone())).or_default() += sign;
            }
        }
    }
    collect(sum)
}

/// The counter changes of moving node `from` (with its subtree, whose
/// counts at the node are `counts`) to `to`: the counts leave every old
/// ancestor and reach every new one; the node's own rows, and those of
/// ancestors it keeps, do not change.
pub fn moved(from: &OrgPath, to: &OrgPath, counts: &[(Metric, String, i64)]) -> Vec<Delta> {
    let (old, new) = (from.ids(), to.ids());
    let mut sum: BTreeMap<(i64, Metric, String), i64> = BTreeMap::new();
    for (metric, key, n) in counts {
        for id in old.iter().filter(|id| !new.contains(id)) {
            *sum.entry((*id, *metric, key.clone())).or_default() -= n;
        }
        for id in new.iter().filter(|id| !old.contains(id)) {
            *sum.entry((*id, *metric, key.clone())).or_default() += n;
        }
    }
    collect(sum)
}

/// Counts at every node from counts at the nodes themselves (`at_node`:
/// records counted where they live, not rolled up): what a fresh count
/// compares with and a rebuild writes.
pub fn roll_up(at_node: impl IntoIterator<Item = (OrgPath, Metric, String, i64)>) -> BTreeMap<(i64, Metric, String), i64> {
    let mut sum: BTreeMap<(i64, Metric, String), i64> = BTreeMap::new();
    for (node, metric, key, n) in at_node {
        for id in counted_at(&node) {
            *sum.entry((id, metric, key.clone())).or_default() += n;
        }
    }
    sum.retain(|_, n| *n != 0);
    sum
}

fn collect(sum: BTreeMap<(i64, Metric, String), i64>) -> Vec<Delta> {
    sum.into_iter().filter(|(_, n)| *n != 0).map(|((org_id, metric, key), n)| Delta { org_id, metric, key, n }).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_selection_holds_the_keys_its_filters_select() {
        let key = |s: Status, y: i64| exemplar(&OrgPath("/1/".into()), ExemplarKind::CaNhan, s, Level::CoSo, y).key;
        let all = ExemplarSelection::default();
        assert!(all.holds(&key(Status::CongNhan, 2024)));
        assert!(!all.holds("ca_nhan/cong_nhan"), "not an exemplar key");
        let recognised = ExemplarSelection { status: Some("cong_nhan"), ..all };
        assert!(recognised.holds(&key(Status::CongNhan, 2024)));
        assert!(!recognised.holds(&key(Status::PhatHien, 2024)));
        let collectives = ExemplarSelection { kind: Some("tap_the"), ..all };
        assert!(!collectives.holds(&key(Status::CongNhan, 2024)));
        let unknown_level = ExemplarSelection { level: Some("bua"), ..all };
        assert!(!unknown_level.holds(&key(Status::CongNhan, 2024)));
        let years = ExemplarSelection { from_year: Some(2023), to_year: Some(2024), ..all };
        assert!(years.holds(&key(Status::CongNhan, 2023)) && years.holds(&key(Status::CongNhan, 2024)));
        assert!(!years.holds(&key(Status::CongNhan, 2022)) && !years.holds(&key(Status::CongNhan, 2025)));
    }

    /// SQL `LIKE` with escape `\`, case-sensitive as PostgreSQL's (the
    /// pattern's codes are lower case, so SQLite's folding changes nothing).
    fn like(pattern: &str, text: &str) -> bool {
        let (p, t): (Vec<char>, Vec<char>) = (pattern.chars().collect(), text.chars().collect());
        fn at(p: &[char], t: &[char]) -> bool {
            match p {
                [] => t.is_empty(),
                ['%', rest @ ..] => (0..=t.len()).any(|i| at(rest, &t[i..])),
                ['_', rest @ ..] => !t.is_empty() && at(rest, &t[1..]),
                ['\\', c, rest @ ..] | [c, rest @ ..] => t.first() == Some(c) && at(rest, &t[1..]),
            }
        }
        at(&p, &t)
    }

    #[test]
    fn a_selections_key_pattern_matches_the_keys_it_holds() {
        let mut keys = vec![];
        for k in ExemplarKind::ALL {
            for s in Status::ALL {
                for l in Level::ALL {
                    keys.push(exemplar(&p("/1/"), *k, *s, *l, 2024).key);
                }
            }
        }
        let some = |codes: Vec<&'static str>| codes.into_iter().map(Some).chain([None, Some("bua"), Some("%"), Some("_"), Some("ca_nhan/cong_nhan")]).collect::<Vec<_>>();
        let kinds = some(ExemplarKind::ALL.iter().map(|k| k.code()).collect());
        let statuses = some(Status::ALL.iter().map(|s| s.code()).collect());
        let levels = some(Level::ALL.iter().map(|l| l.code()).collect());
        let mut checked = 0;
        for &kind in &kinds {
            for &status in &statuses {
                for &level in &levels {
                    let sel = ExemplarSelection { kind, status, level, from_year: None, to_year: None };
                    for key in &keys {
                        let by_pattern = sel.key_pattern().is_some_and(|pat| like(&pat, key));
                        assert_eq!(by_pattern, sel.holds(key), "{sel:?} on {key}");
                        checked += by_pattern as usize;
                    }
                }
            }
        }
        assert!(checked > keys.len(), "the patterns matched keys");
    }

    fn p(s: &str) -> OrgPath {
        OrgPath(s.into())
    }

    #[test]
    fn a_new_record_counts_at_its_node_and_every_ancestor() {
        let t = exemplar(&p("/1/5/12/"), ExemplarKind::CaNhan, Status::PhatHien, Level::CoSo, 2024);
        let d = deltas(&[], &[t]);
        assert_eq!(d.iter().map(|d| d.org_id).collect::<Vec<_>>(), vec![WHOLE_TREE, 1, 5, 12]);
        assert!(d.iter().all(|d| d.n == 1 && d.key == "ca_nhan/phat_hien/co_so/2024" && d.metric == Metric::Exemplars));
    }

    #[test]
    fn a_step_moves_one_count_between_keys_and_nothing_else() {
        let at = p("/1/5/");
        let before = exemplar(&at, ExemplarKind::TapThe, Status::BoiDuong, Level::CoSo, 2023);
        let after = exemplar(&at, ExemplarKind::TapThe, Status::CongNhan, Level::CoSo, 2023);
        let d = deltas(std::slice::from_ref(&before), &[after]);
        // Two keys at the node, its root and the whole tree.
        assert_eq!(d.len(), 6);
        assert!(d.iter().any(|d| d.org_id == WHOLE_TREE && d.key.contains("cong_nhan") && d.n == 1));
        assert_eq!(d.iter().map(|d| d.n).sum::<i64>(), 0);
        assert!(d.iter().any(|d| d.org_id == 5 && d.key.contains("cong_nhan") && d.n == 1));
        assert!(d.iter().any(|d| d.org_id == 1 && d.key.contains("boi_duong") && d.n == -1));
        // An edit that changes nothing counted changes no counter.
        assert!(deltas(std::slice::from_ref(&before), std::slice::from_ref(&before)).is_empty());
    }

    #[test]
    fn a_recognised_exemplar_counts_once_per_year_it_was_evaluated() {
        let at = p("/1/5/");
        let t = recognised_evaluated(&at, Status::CongNhan, &[2024, 2023, 2024]);
        assert_eq!(t.iter().map(|t| t.key.as_str()).collect::<Vec<_>>(), ["2023", "2024"]);
        assert!(t.iter().all(|t| t.metric == Metric::RecognisedEvaluated));
        assert_eq!(recognised_evaluated(&at, Status::NhanRong, &[2024]).len(), 1);
        for s in [Status::PhatHien, Status::BoiDuong, Status::Dung] {
            assert!(recognised_evaluated(&at, s, &[2024]).is_empty(), "{s:?}");
        }
        // Recognition brings the years already evaluated into the count.
        let d = deltas(&recognised_evaluated(&at, Status::BoiDuong, &[2023]), &recognised_evaluated(&at, Status::CongNhan, &[2023]));
        assert_eq!(d.iter().map(|d| (d.org_id, d.key.as_str(), d.n)).collect::<Vec<_>>(), [(WHOLE_TREE, "2023", 1), (1, "2023", 1), (5, "2023", 1)]);
    }

    #[test]
    fn a_tccs_counts_once_per_year_it_has_an_approved_model() {
        let at = p("/1/5/");
        let t = tccs_approved_model(&at, OrgKind::Tccs, &[2025, 2024, 2025]);
        assert_eq!(t.iter().map(|t| t.key.as_str()).collect::<Vec<_>>(), ["2024", "2025"]);
        assert!(t.iter().all(|t| t.metric == Metric::TccsApprovedModel && t.metric.year_of(&t.key).is_some()));
        assert!(tccs_approved_model(&at, OrgKind::ChiBo, &[2025]).is_empty());
        // A unit made a TCCS brings its approved years into the count.
        let d = deltas(&tccs_approved_model(&at, OrgKind::DonVi, &[2025]), &tccs_approved_model(&at, OrgKind::Tccs, &[2025]));
        assert_eq!(d.iter().map(|d| (d.org_id, d.n)).collect::<Vec<_>>(), [(WHOLE_TREE, 1), (1, 1), (5, 1)]);
    }

    #[test]
    fn deltas_are_sorted_so_writers_lock_rows_in_one_order() {
        let a = fostering(&p("/9/3/"), FosteringStatus::DangThucHien);
        let b = fostering(&p("/9/3/"), FosteringStatus::HoanThanh);
        let d = deltas(&[a], &[b]);
        let keys: Vec<_> = d.iter().map(|d| (d.org_id, d.metric, d.key.clone())).collect();
        let mut sorted = keys.clone();
        sorted.sort();
        assert_eq!(keys, sorted);
    }

    #[test]
    fn a_move_shifts_the_subtree_counts_from_old_ancestors_to_new_ones() {
        let counts = vec![(Metric::Users, String::new(), 7), (Metric::Orgs, "tccs".to_string(), 1)];
        // /1/2/9/ moves under /1/3/: node 9 keeps its rows, 1 is common.
        let d = moved(&p("/1/2/9/"), &p("/1/3/9/"), &counts);
        assert!(d.iter().all(|d| d.org_id == 2 || d.org_id == 3));
        assert!(d.contains(&Delta { org_id: 2, metric: Metric::Users, key: String::new(), n: -7 }));
        assert!(d.contains(&Delta { org_id: 3, metric: Metric::Users, key: String::new(), n: 7 }));
        assert!(d.contains(&Delta { org_id: 3, metric: Metric::Orgs, key: "tccs".into(), n: 1 }));
        assert_eq!(d.len(), 4);
        // To a new root: every old ancestor loses, nothing common.
        let d = moved(&p("/1/2/9/"), &p("/4/9/"), &counts);
        assert_eq!(d.iter().filter(|d| d.n < 0).count(), 4);
        assert_eq!(d.iter().filter(|d| d.n > 0).map(|d| d.org_id).collect::<Vec<_>>(), vec![4, 4]);
    }

    #[test]
    fn roll_up_equals_the_sum_of_deltas_of_every_record() {
        let records = [
            exemplar(&p("/1/2/"), ExemplarKind::CaNhan, Status::PhatHien, Level::CoSo, 2024),
            exemplar(&p("/1/2/"), ExemplarKind::CaNhan, Status::PhatHien, Level::CoSo, 2024),
            exemplar(&p("/1/3/"), ExemplarKind::CaNhan, Status::PhatHien, Level::CoSo, 2024),
        ];
        let fresh = roll_up([
            (p("/1/2/"), Metric::Exemplars, records[0].key.clone(), 2),
            (p("/1/3/"), Metric::Exemplars, records[0].key.clone(), 1),
        ]);
        let mut written: BTreeMap<(i64, Metric, String), i64> = BTreeMap::new();
        for d in deltas(&[], &records) {
            *written.entry((d.org_id, d.metric, d.key)).or_default() += d.n;
        }
        assert_eq!(fresh, written);
        assert_eq!(fresh[&(1, Metric::Exemplars, records[0].key.clone())], 3);
        assert_eq!(fresh[&(WHOLE_TREE, Metric::Exemplars, records[0].key.clone())], 3);
    }

    #[test]
    fn keys_read_back() {
        let t = exemplar(&p("/1/"), ExemplarKind::TapThe, Status::NhanRong, Level::ToanQuoc, 2021);
        assert_eq!(parse_exemplar_key(&t.key), Some((ExemplarKind::TapThe, Status::NhanRong, Level::ToanQuoc, 2021)));
        assert_eq!(parse_exemplar_key("tap_the/nhan_rong/toan_quoc/2021/x"), None);
        assert_eq!(parse_exemplar_key("x/nhan_rong/toan_quoc/2021"), None);
        let m = model(&p("/1/"), ModelStatus::DangKy, 2026);
        assert_eq!(parse_model_key(&m.key), Some((ModelStatus::DangKy, 2026)));
        assert_eq!(replication(&p("/1/"), "2025-03-04").key, "2025");
        assert_eq!(user(&p("/1/")).key, "");
        let f = exemplar_field(&p("/1/"), 7, Status::CongNhan, 2024);
        assert_eq!(f.key, "7/cong_nhan/2024");
        assert_eq!(parse_exemplar_field_key(&f.key), Some((7, Status::CongNhan, 2024)));
        assert_eq!(parse_exemplar_field_key("7/cong_nhan"), None);
        let pr = propaganda(&p("/1/"), ItemType::Video, Channel::MangXaHoi, 2025);
        assert_eq!(pr.key, "video/mang_xa_hoi/2025");
        assert_eq!(parse_propaganda_key(&pr.key), Some((ItemType::Video, Channel::MangXaHoi, 2025)));
        assert_eq!(parse_propaganda_key("video/mang_xa_hoi"), None);
        assert_eq!(parse_propaganda_key("video/x/2025"), None);
    }

    #[test]
    fn the_year_of_a_key_is_its_last_part_for_what_counts_a_year() {
        let at = p("/1/");
        let dated = [
            exemplar(&at, ExemplarKind::TapThe, Status::NhanRong, Level::ToanQuoc, 2021),
            exemplar_field(&at, 7, Status::CongNhan, 2024),
            evaluation(&at, 2023),
            recognised_evaluated(&at, Status::CongNhan, &[2019]).remove(0),
            replication(&at, "2025-03-04"),
            study_visit(&at, "2022-11-30"),
            model(&at, ModelStatus::DaDuyet, 2026),
            propaganda(&at, ItemType::Tin, Channel::BaoChi, 2020),
        ];
        let years: Vec<_> = dated.iter().map(|t| t.metric.year_of(&t.key)).collect();
        assert_eq!(years, [2021, 2024, 2023, 2019, 2025, 2022, 2026, 2020].map(Some));
        for t in [org(&at, OrgKind::Tccs), user(&at), fostering(&at, FosteringStatus::HoanThanh)] {
            assert_eq!(t.metric.year_of(&t.key), None, "{t:?}");
        }
        // A replication without a date counts in no year.
        assert_eq!(Metric::Replications.year_of(&replication(&at, "").key), None);
    }
}
