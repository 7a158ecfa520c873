//! What every list page shares: the order asked for, the position (after a
//! cursor or before one), and what is shown around the rows — the order
//! control (`templates/list_sort.html`), the total (`list_total.html`) and
//! the links both ways (`pager.html`). A page's query struct flattens
//! [`Paging`] beside its filters; links carry the filters and the order,
//! the cursor carries the position.

use crate::view::{coded, Choice};
use dienhinh_domain::order::{self, BAD_POSITION, UNKNOWN_ORDER};
use dienhinh_domain::Coded;
use dienhinh_store::page::{Listing, Position, COUNT_CAP};
use serde::{Deserialize, Serialize};

/// The paging part of a list's query string (never serialised: the links
/// are made by [`Paging::nav`]).
#[derive(Debug, Deserialize, Serialize, Default, Clone)]
pub struct Paging {
    /// A code of the list's order table; blank: its default.
    #[serde(default, skip_serializing)]
    pub sort: String,
    /// The page after this cursor.
    #[serde(default, skip_serializing)]
    pub cursor: Option<String>,
    /// The page before this cursor.
    #[serde(default, skip_serializing)]
    pub before: Option<String>,
}

/// The order, the count and the links of one page of a list.
pub struct Nav {
    /// "1.234 đơn vị", or "Hơn 10.000 …" past the cap.
    pub total: String,
    pub next_href: Option<String>,
    pub prev_href: Option<String>,
    /// The order in force, and those offered.
    pub sort: String,
    pub orders: Vec<Choice>,
    /// Said beside the control when the order asked for is not one.
    pub sort_error: Option<&'static str>,
    /// Said above the rows when the position asked for could not be used.
    pub position_error: Option<&'static str>,
}

impl Paging {
    /// The order asked for, and whether the code was refused (the default then).
    pub fn order<O: Coded>(&self) -> (O, bool) {
        match order::parse::<O>(&self.sort) {
            Ok(o) => (o, false),
            Err(()) => (order::default(), true),
        }
    }

    /// Where the page starts, `limit` rows, counted.
    pub fn at(&self, limit: i64) -> Position<'_> {
        Position { after: self.cursor.as_deref(), before: self.before.as_deref(), limit, count: true }
    }

    /// What is shown around the rows of `page`, the list at `path` with
    /// `filters` (the page's query, serialised without the paging) in `order`.
    /// `noun` names what is counted ("đơn vị", "điển hình khớp với bộ lọc").
    pub fn nav<O: Coded, T>(&self, path: &str, filters: &impl Serialize, order: (O, bool), page: &Listing<T>, noun: &str) -> Nav {
        let filters = serde_urlencoded::to_string(filters).unwrap_or_default();
        let sort = order.0.code();
        let href = |param: &str, cursor: &String| {
            let kept = [filters.as_str(), &format!("sort={sort}"), &format!("{param}={cursor}")].iter().filter(|p| !p.is_empty()).copied().collect::<Vec<_>>().join("&");
            format!("{path}?{kept}")
        };
        let total = if page.more_than_cap() {
            format!("Hơn {} {noun}", crate::view::number(COUNT_CAP))
        } else {
            format!("{} {noun}", crate::view::number(page.total))
        };
        Nav {
            total,
            next_href: page.next.as_ref().map(|c| href("cursor", c)),
            prev_href: page.prev.as_ref().map(|c| href("before", c)),
            sort: sort.to_string(),
            orders: coded::<O>(),
            sort_error: order.1.then_some(UNKNOWN_ORDER),
            position_error: page.bad_position.then_some(BAD_POSITION),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use dienhinh_domain::order::OrgOrder;

    #[derive(Serialize, Deserialize)]
    struct Q {
        q: String,
        #[serde(flatten)]
        paging: Paging,
    }

    #[test]
    fn links_keep_the_filters_and_the_order_and_drop_the_position() {
        let q: Q = serde_urlencoded::from_str("q=%C4%91i%E1%BB%87n&sort=moi&cursor=00.1").unwrap();
        assert_eq!(q.paging.cursor.as_deref(), Some("00.1"));
        let page = Listing { items: vec![1], next: Some("61.2".into()), prev: Some("61.1".into()), total: 10_001, bad_position: false };
        let nav = q.paging.nav("/orgs", &q, q.paging.order::<OrgOrder>(), &page, "đơn vị");
        assert_eq!(nav.next_href.as_deref(), Some("/orgs?q=%C4%91i%E1%BB%87n&sort=moi&cursor=61.2"));
        assert_eq!(nav.prev_href.as_deref(), Some("/orgs?q=%C4%91i%E1%BB%87n&sort=moi&before=61.1"));
        assert_eq!(nav.total, "Hơn 10.000 đơn vị");
        let bad = Paging { sort: "x".into(), ..Default::default() };
        assert_eq!(bad.order::<OrgOrder>(), (OrgOrder::Name, true));
    }
}
