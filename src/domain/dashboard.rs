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
    match query.sort {
        SortBy::UpdatedNewest => keep.sort_by(|a, b| rows[b.0].updated.cmp(&rows[a.0].updated)),
        SortBy::NameAscending => keep.sort_by(|a, b| a.1.cmp(&b.1)),
        SortBy::NameDescending => keep.sort_by(|a, b| b.1.cmp(&a.1)),
        SortBy::Status => keep.sort_by(|a, b| {
            rows[a.0]
                .status
                .cmp(&rows[b.0].status)
                .then_with(|| a.1.cmp(&b.1))
        }),
    }
    keep.into_iter().map(|(i, _)| i).collect()
}
