//! Who may do what, where. One pure function answers every permission
//! question in the application; routes declare which [`Action`] they need.
//!
//! A role is held at a node of the organisation tree and reaches that node's
//! subtree and nothing else.

use crate::org::OrgPath;
use serde::{Deserialize, Serialize};

crate::coded_enum!(
    /// A role held at a node of the tree.
    pub enum Role {
        /// Approves nothing: organisation tree, accounts, audit.
        Admin = "admin": "Quản trị hệ thống",
        /// Approves and commends at bloc level.
        BanThuongVu = "ban_thuong_vu": "Ủy viên Ban Thường vụ",
        /// Aggregates, guides, urges, inspects.
        BanTuyenGiao = "ban_tuyen_giao": "Cán bộ Ban Tuyên giáo",
        /// Approves at the node where the committee sits.
        CapUy = "cap_uy": "Cấp ủy viên",
        /// Enters the data of a grassroots organisation.
        CanBoTccs = "can_bo_tccs": "Cán bộ TCCS đảng",
        /// Reads only.
        NguoiXem = "nguoi_xem": "Người xem",
    }
);

/// Everything a route or a command may ask permission for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Action {
    /// Read organisations, people and programme records of a subtree.
    View,
    /// Create and edit programme records (exemplars, fostering, replications …).
    EnterData,
    /// Record an evaluation (kiểm tra, đánh giá).
    Evaluate,
    /// Approve at the grassroots: recognise an exemplar, approve an annual model.
    ApproveUnit,
    /// Approve at bloc level: raise an exemplar to the bloc, decide commendations.
    ApproveBloc,
    /// Guide the programme: fields, movements, criteria, urging, aggregate reports.
    Guide,
    /// Record and correct the propaganda log (tin, bài tuyên truyền, plan
    /// II.3, IV.2): the units that make the items and the Ban Tuyên giáo
    /// that spreads the exemplars for its whole subtree.
    Publicise,
    /// Create, rename and move organisation nodes.
    ManageOrgs,
    /// Create accounts, assign roles, reset passwords.
    ManageUsers,
    /// Read the audit log.
    ViewAudit,
}

impl Action {
    pub const ALL: [Action; 10] = [
        Action::View,
        Action::EnterData,
        Action::Evaluate,
        Action::ApproveUnit,
        Action::ApproveBloc,
        Action::Guide,
        Action::Publicise,
        Action::ManageOrgs,
        Action::ManageUsers,
        Action::ViewAudit,
    ];
}

/// Whether a role may take an action at all, wherever it is held.
pub fn role_grants(role: Role, action: Action) -> bool {
    use Action::*;
    use Role::*;
    match role {
        Admin => matches!(action, View | ManageOrgs | ManageUsers | ViewAudit),
        BanThuongVu => matches!(action, View | ApproveBloc | Guide | Evaluate | ViewAudit),
        BanTuyenGiao => matches!(action, View | Guide | Evaluate | Publicise),
        CapUy => matches!(action, View | EnterData | Evaluate | ApproveUnit | Publicise),
        CanBoTccs => matches!(action, View | EnterData | Evaluate | Publicise),
        NguoiXem => matches!(action, View),
    }
}

/// A role held at a node.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Assignment {
    pub role: Role,
    pub org_id: i64,
    pub org_path: OrgPath,
}

/// The one permission rule: some assignment grants the action and its node
/// is the target node or one of its ancestors.
pub fn allowed(assignments: &[Assignment], action: Action, target: &OrgPath) -> bool {
    assignments
        .iter()
        .any(|a| role_grants(a.role, action) && a.org_path.contains(target))
}

/// What a seat in a round's council lets its holder do in that round.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CouncilDuty {
    /// Vote on the round's nominations (every member: chair, secretary, members).
    Vote,
    /// Open and close the round's sessions, record attendance, enter the
    /// written votes of absent members: the secretary only.
    Clerk,
}

/// The second permission rule, for council work: membership of a round's
/// council is a role held for that round (not at a node), so it is judged
/// against the seats the caller holds, whatever their assignments.
pub fn council_allows(seats: &[crate::commendation::CouncilSeat], round_id: i64, duty: CouncilDuty) -> bool {
    use crate::commendation::CouncilRole;
    seats.iter().any(|s| {
        s.round_id == round_id
            && match duty {
                CouncilDuty::Vote => true,
                CouncilDuty::Clerk => s.role == CouncilRole::Secretary,
            }
    })
}

/// Nodes from which the holder may take `action`: the roots of the subtrees
/// a list must be restricted to.
pub fn scope_roots(assignments: &[Assignment], action: Action) -> Vec<OrgPath> {
    let mut roots: Vec<OrgPath> = assignments
        .iter()
        .filter(|a| role_grants(a.role, action))
        .map(|a| a.org_path.clone())
        .collect();
    roots.sort_by(|a, b| a.0.len().cmp(&b.0.len()).then(a.0.cmp(&b.0)));
    // Drop roots already covered by a shallower one.
    let mut kept: Vec<OrgPath> = Vec::new();
    for r in roots {
        if !kept.iter().any(|k| k.contains(&r)) {
            kept.push(r);
        }
    }
    kept
}

#[cfg(test)]
mod tests {
    use super::*;
    use Action::*;
    use Role::*;

    /// Where the record sits relative to the node holding the role.
    #[derive(Debug, Clone, Copy)]
    enum Place {
        SameNode,
        Descendant,
        Ancestor,
        Sibling,
    }

    fn target(place: Place) -> OrgPath {
        // The role is held at /1/2/ (a node under the root /1/).
        match place {
            Place::SameNode => OrgPath("/1/2/".into()),
            Place::Descendant => OrgPath("/1/2/7/9/".into()),
            Place::Ancestor => OrgPath("/1/".into()),
            Place::Sibling => OrgPath("/1/20/".into()),
        }
    }

    /// The expected matrix, written out independently of `role_grants` so
    /// that a change to either shows up here.
    fn expected(role: Role, action: Action) -> bool {
        let table: &[(Role, &[Action])] = &[
            (Admin, &[View, ManageOrgs, ManageUsers, ViewAudit]),
            (BanThuongVu, &[View, Evaluate, ApproveBloc, Guide, ViewAudit]),
            (BanTuyenGiao, &[View, Evaluate, Guide, Publicise]),
            (CapUy, &[View, EnterData, Evaluate, ApproveUnit, Publicise]),
            (CanBoTccs, &[View, EnterData, Evaluate, Publicise]),
            (NguoiXem, &[View]),
        ];
        table.iter().any(|(r, acts)| *r == role && acts.contains(&action))
    }

    #[test]
    fn full_matrix_role_action_place() {
        let mut checked = 0;
        for &role in Role::ALL {
            let held = [Assignment { role, org_id: 2, org_path: OrgPath("/1/2/".into()) }];
            for action in Action::ALL {
                for place in [Place::SameNode, Place::Descendant, Place::Ancestor, Place::Sibling] {
                    let inside = matches!(place, Place::SameNode | Place::Descendant);
                    let want = expected(role, action) && inside;
                    assert_eq!(
                        allowed(&held, action, &target(place)),
                        want,
                        "{role:?} {action:?} at {place:?}"
                    );
                    checked += 1;
                }
            }
        }
        assert_eq!(checked, 6 * 10 * 4);
    }

    #[test]
    fn no_assignment_allows_nothing() {
        for action in Action::ALL {
            assert!(!allowed(&[], action, &OrgPath("/1/".into())));
        }
    }

    #[test]
    fn several_assignments_combine() {
        let held = [
            Assignment { role: NguoiXem, org_id: 1, org_path: OrgPath("/1/".into()) },
            Assignment { role: CapUy, org_id: 3, org_path: OrgPath("/1/3/".into()) },
        ];
        assert!(allowed(&held, View, &OrgPath("/1/4/".into())));
        assert!(!allowed(&held, ApproveUnit, &OrgPath("/1/4/".into())));
        assert!(allowed(&held, ApproveUnit, &OrgPath("/1/3/8/".into())));
    }

    #[test]
    fn scope_roots_drop_covered_nodes() {
        let held = [
            Assignment { role: CapUy, org_id: 3, org_path: OrgPath("/1/3/".into()) },
            Assignment { role: NguoiXem, org_id: 1, org_path: OrgPath("/1/".into()) },
            Assignment { role: CanBoTccs, org_id: 9, org_path: OrgPath("/1/3/9/".into()) },
        ];
        assert_eq!(scope_roots(&held, View), vec![OrgPath("/1/".into())]);
        assert_eq!(scope_roots(&held, EnterData), vec![OrgPath("/1/3/".into())]);
        assert!(scope_roots(&held, ManageUsers).is_empty());
    }

    #[test]
    fn council_seats_are_held_for_one_round() {
        use crate::commendation::{CouncilRole, CouncilSeat};
        let seats = [CouncilSeat { round_id: 7, role: CouncilRole::Member }, CouncilSeat { round_id: 8, role: CouncilRole::Secretary }];
        assert!(council_allows(&seats, 7, CouncilDuty::Vote));
        assert!(!council_allows(&seats, 7, CouncilDuty::Clerk), "a member is not the clerk");
        assert!(council_allows(&seats, 8, CouncilDuty::Clerk));
        assert!(council_allows(&seats, 8, CouncilDuty::Vote), "the secretary votes too");
        assert!(!council_allows(&seats, 9, CouncilDuty::Vote), "no seat in round 9");
        assert!(!council_allows(&[], 7, CouncilDuty::Vote));
        let chair = [CouncilSeat { round_id: 7, role: CouncilRole::Chair }];
        assert!(!council_allows(&chair, 7, CouncilDuty::Clerk));
    }

    #[test]
    fn role_codes_round_trip() {
        for &r in Role::ALL {
            assert_eq!(Role::from_code(r.code()), Some(r));
        }
    }
}
