//! The embedded backend's stored records (JSON text in IndexedDB, see `idb.rs`) and the two
//! reads the first page needs, which look at part of a record only: the signed-in user of
//! the org record, and a dashboard row of a stored submission. Reading a whole `Org` or
//! `Submission` would put their complete JSON readers in the app's first load; these partial
//! readers skip the other fields unread. Plain Rust, tested natively against the whole reads.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::domain::{Logo, Org, Protocols, Role, Status, SubmissionSummary, User};

/// The embedded org record (key "org"): the signed-in user and the org (users, groups,
/// instances, tester session, runs).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct OrgRecord {
    /// The signed-in user.
    pub current_user: User,
    /// The org.
    pub org: Org,
}

/// The signed-in user of a new embedded org: a company email, super admin (SPEC 1).
pub fn default_user() -> User {
    User {
        id: "user-1".into(),
        email: "developer@example.com".into(),
        first_name: "Dana".into(),
        last_name: "Developer".into(),
        roles: vec![Role::SuperAdmin],
    }
}

/// The signed-in user of the stored org record (`None`: no org yet, the default user), read
/// without the org. Equals the `current_user` of the whole [`OrgRecord`].
pub fn stored_user(text: Option<&str>) -> Result<User, serde_json::Error> {
    #[derive(Deserialize, Default)]
    #[serde(rename_all = "camelCase", default)]
    struct UserOnly {
        current_user: User,
    }
    match text {
        Some(text) => serde_json::from_str::<UserOnly>(text).map(|r| r.current_user),
        None => Ok(default_user()),
    }
}

/// The dashboard row of a stored submission, read without the protocol details. Equals
/// `Submission::summary` of the whole record.
pub fn stored_summary(text: &str) -> Result<SubmissionSummary, serde_json::Error> {
    #[derive(Deserialize, Default)]
    #[serde(rename_all = "camelCase", default)]
    struct Row {
        id: String,
        version: u32,
        status: Status,
        updated: DateTime<Utc>,
        protocols: Protocols,
        catalog: RowCatalog,
        review_note: String,
        published: Option<RowPublished>,
    }
    #[derive(Deserialize, Default)]
    #[serde(rename_all = "camelCase", default)]
    struct RowCatalog {
        display_name: String,
        logo: Option<Logo>,
    }
    #[derive(Deserialize)]
    struct RowPublished {
        version: u32,
    }
    let row: Row = serde_json::from_str(text)?;
    Ok(SubmissionSummary {
        id: row.id,
        version: row.version,
        display_name: row.catalog.display_name,
        logo: row.catalog.logo,
        protocols: row.protocols,
        status: row.status,
        updated: row.updated,
        review_note: row.review_note,
        published_version: row.published.map(|p| p.version),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::backend::samples::sample_submissions;
    use crate::domain::{Group, Submission};

    #[test]
    fn a_stored_row_is_the_submissions_summary() {
        let now = DateTime::from_timestamp(1_790_000_000, 0).unwrap_or_default();
        let samples = sample_submissions("sample-1", now);
        assert!(samples.len() >= 4);
        // Every status, published ones (with their snapshot) and logos among them.
        assert!(samples.iter().any(|s| s.published.is_some()));
        assert!(samples.iter().any(|s| s.catalog.logo.is_some()));
        for mut submission in samples.into_iter().chain([Submission::default()]) {
            submission.review_note = format!("note for {}", submission.id);
            let text = serde_json::to_string(&submission).expect("encodes");
            assert_eq!(stored_summary(&text).expect("reads"), submission.summary());
        }
    }

    #[test]
    fn a_stored_row_reads_what_the_whole_record_reads() {
        // Fields left out take their defaults, as in `Submission`'s own reader.
        let whole: Submission = serde_json::from_str(r#"{"id":"s-1"}"#).expect("reads");
        assert_eq!(
            stored_summary(r#"{"id":"s-1"}"#).expect("reads"),
            whole.summary()
        );
        // Not JSON, or a field of the wrong type: refused, as the whole read refuses it.
        for bad in ["", "null", r#"{"version":"one"}"#, r#"{"status":"lost"}"#] {
            assert!(serde_json::from_str::<Submission>(bad).is_err(), "{bad}");
            assert!(stored_summary(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn the_stored_user_is_the_org_records_user() {
        assert_eq!(stored_user(None).expect("default"), default_user());
        let record = OrgRecord {
            current_user: User {
                id: "user-1".into(),
                email: "ana@vendor.example".into(),
                first_name: "Ana".into(),
                last_name: "Lima".into(),
                roles: vec![Role::AppAdmin, Role::OrgAdmin],
            },
            org: Org {
                url: "https://oin-test-org.example.com".into(),
                groups: vec![Group {
                    id: "group-testers".into(),
                    name: "OIN testers".into(),
                    user_ids: vec!["user-1".into()],
                }],
                ..Org::default()
            },
        };
        let text = serde_json::to_string(&record).expect("encodes");
        let whole: OrgRecord = serde_json::from_str(&text).expect("reads");
        assert_eq!(stored_user(Some(&text)).expect("reads"), whole.current_user);
        // A record without a user reads as the whole one does: the empty user.
        assert_eq!(stored_user(Some("{}")).expect("reads"), User::default());
        assert!(stored_user(Some("not json")).is_err());
    }
}
