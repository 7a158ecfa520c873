//! The unit picker of every form that chooses an organisation.
//!
//! It shows one level of the tree around the chosen unit (`orgs::picker`),
//! never "the first N units", so it works for a whole country. Its button
//! "Xem các đơn vị trực thuộc" posts the form with `drill=1`; the handler
//! then shows the same form again, everything typed kept, the picker one
//! level down, and saves nothing. Markup: `templates/picker.html` (the
//! picker, and the hidden first Save button that keeps Enter saving).

use crate::error::PageError;
use crate::AppState;
use dienhinh_domain::{Invalid, OrgKind, OrgPath};
use dienhinh_store::orgs::{self, Org};

/// The form field the drill-down button sets.
pub const DRILL: &str = "drill";

/// Which kinds of unit a form may choose. Units of other kinds stay in the
/// picker, since the way down to a fitting unit may pass through them.
pub struct Kinds {
    allows: fn(OrgKind) -> bool,
    /// Shown beside the picker and as the error when another kind is chosen.
    pub rule: &'static str,
}

pub const ANY: Kinds = Kinds { allows: |_| true, rule: "" };
pub const TCCS: Kinds = Kinds { allows: |k| k == OrgKind::Tccs, rule: "Chỉ chọn được TCCS đảng." };
/// Movements are launched by a cấp ủy above the chi bộ.
pub const ABOVE_CHI_BO: Kinds = Kinds { allows: |k| k != OrgKind::ChiBo, rule: "Không chọn được chi bộ." };

impl Kinds {
    pub fn allows(&self, org: &Org) -> bool {
        (self.allows)(org.kind)
    }

    /// `Err` (on `field`) when the chosen unit is not of a fitting kind.
    pub fn check(&self, field: &'static str, org: &Org) -> Result<(), Invalid> {
        if self.allows(org) {
            return Ok(());
        }
        let mut inv = Invalid::new();
        inv.add(field, "kind", self.rule);
        Err(inv)
    }
}

pub struct UnitChoice {
    pub id: i64,
    pub path: OrgPath,
    /// The name indented by its level.
    pub label: String,
}

pub struct UnitPicker {
    /// The form field that carries the chosen id.
    pub name: &'static str,
    pub selected: i64,
    pub choices: Vec<UnitChoice>,
    pub rule: &'static str,
    /// The form has fields to type in (the hint then says they are kept).
    pub keeps_typing: bool,
}

impl UnitPicker {
    /// The picker of field `name` over the caller's `scope`, around `selected`.
    pub async fn load(st: &AppState, name: &'static str, scope: &[OrgPath], selected: Option<i64>, kinds: &Kinds) -> Result<UnitPicker, PageError> {
        let choices = orgs::picker(&st.db, scope, selected).await?.into_iter().map(|c| UnitChoice { id: c.id, label: c.label(), path: c.path }).collect();
        Ok(UnitPicker { name, selected: selected.unwrap_or(0), choices, rule: kinds.rule, keeps_typing: true })
    }

    /// For a form with nothing to type but the unit.
    pub fn alone(mut self) -> UnitPicker {
        self.keeps_typing = false;
        self
    }

    /// The same, but leaving out some units (and so the way below them).
    pub fn without(mut self, leave_out: impl Fn(&OrgPath) -> bool) -> UnitPicker {
        self.choices.retain(|c| !leave_out(&c.path));
        self
    }
}

/// For a picker in a form that reports no field errors.
pub const NO_ERRORS: &Invalid = &Invalid(Vec::new());
