//! SPEC 2: the dashboard list: filter by name and status, sort; fast with thousands of rows.

use serde::{Deserialize, Serialize};

use super::model::{Status, SubmissionSummary};

/// How to sort the dashboard.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum SortBy {
    /// Most recently updated first.
    #[default]
    UpdatedNewest,
    /// Display name A–Z (case-insensitive).
    NameAscending,
    /// Display name Z–A.
    NameDescending,
    /// By status (Draft, OIN to review, ISV to review, Published), then name.
    Status,
}

/// The dashboard's filter and sort.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct DashboardQuery {
    /// Case-insensitive substring of the display name; empty matches all.
    pub name: String,
    /// Only these statuses; empty means all.
    pub statuses: Vec<Status>,
    /// Sort order.
    pub sort: SortBy,
}

/// The indexes of the rows to show, in order. O(n log n); never panics.
pub fn filter_and_sort(rows: &[SubmissionSummary], query: &DashboardQuery) -> Vec<usize> {
    let needle = query.name.trim().to_lowercase();
    let mut keep: Vec<(usize, String)> = rows
        .iter()
        .enumerate()
        .filter(|(_, r)| query.statuses.is_empty() || query.statuses.contains(&r.status))
        .map(|(i, r)| (i, r.display_name.to_lowercase()))
        .filter(|(_, name)| needle.is_empty() || name.contains(&needle))
        .collect();
    // One comparator for every order: one copy of the (stable) sort in the app, not four.
    keep.sort_by(|a, b| match query.sort {
        SortBy::UpdatedNewest => rows[b.0].updated.cmp(&rows[a.0].updated),
        SortBy::NameAscending => a.1.cmp(&b.1),
        SortBy::NameDescending => b.1.cmp(&a.1),
        SortBy::Status => rows[a.0]
            .status
            .cmp(&rows[b.0].status)
            .then_with(|| a.1.cmp(&b.1)),
    });
    keep.into_iter().map(|(i, _)| i).collect()
}

/// The URL key of a status (`?status=`), its name in the contract.
pub fn status_key(status: Status) -> &'static str {
    match status {
        Status::Draft => "draft",
        Status::OinToReview => "oinToReview",
        Status::IsvToReview => "isvToReview",
        Status::Published => "published",
    }
}

/// The URL key of a sort order (`?sort=`), its name in the contract.
pub fn sort_key(sort: SortBy) -> &'static str {
    match sort {
        SortBy::UpdatedNewest => "updatedNewest",
        SortBy::NameAscending => "nameAscending",
        SortBy::NameDescending => "nameDescending",
        SortBy::Status => "status",
    }
}

const STATUSES: [Status; 4] = [
    Status::Draft,
    Status::OinToReview,
    Status::IsvToReview,
    Status::Published,
];

const SORTS: [SortBy; 4] = [
    SortBy::UpdatedNewest,
    SortBy::NameAscending,
    SortBy::NameDescending,
    SortBy::Status,
];

impl DashboardQuery {
    /// The query from the dashboard URL's decoded `name`, `status` (comma-separated keys) and
    /// `sort` parameters, so the filter and sort survive navigation. Unknown keys are ignored:
    /// an old or hand-edited link still opens the list.
    pub fn from_url(name: Option<&str>, status: Option<&str>, sort: Option<&str>) -> Self {
        let statuses = status
            .unwrap_or_default()
            .split(',')
            .filter_map(|k| STATUSES.into_iter().find(|s| status_key(*s) == k.trim()))
            .fold(Vec::new(), |mut out, s| {
                if !out.contains(&s) {
                    out.push(s);
                }
                out
            });
        let sort = sort
            .and_then(|k| SORTS.into_iter().find(|s| sort_key(*s) == k))
            .unwrap_or_default();
        DashboardQuery {
            name: name.unwrap_or_default().to_string(),
            statuses,
            sort,
        }
    }

    /// The URL query (`?name=…&status=…&sort=…`, percent-encoded) that [`Self::from_url`]
    /// reads back; empty for the default query, so the plain dashboard URL stays plain.
    pub fn to_url(&self) -> String {
        let mut parts = Vec::new();
        if !self.name.is_empty() {
            parts.push(format!("name={}", encode(&self.name)));
        }
        if !self.statuses.is_empty() {
            let keys: Vec<&str> = self.statuses.iter().map(|s| status_key(*s)).collect();
            parts.push(format!("status={}", keys.join(",")));
        }
        if self.sort != SortBy::default() {
            parts.push(format!("sort={}", sort_key(self.sort)));
        }
        if parts.is_empty() {
            String::new()
        } else {
            format!("?{}", parts.join("&"))
        }
    }
}

/// Percent-encodes a query value (RFC 3986 unreserved characters kept).
fn encode(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for byte in value.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'.' | b'_' | b'~') {
            out.push(char::from(byte));
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}
