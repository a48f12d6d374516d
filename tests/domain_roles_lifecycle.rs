//! SPEC 1: who may list and open submissions, and the reasons shown on disabled controls;
//! SPEC 4.2: when **+ Add another** adds a variable; deleting a Draft and withdrawing a
//! submission in OIN to review; SPEC 2: the dashboard's filter and sort in its URL; times in
//! the user's zone.
mod common;

use chrono::{TimeZone, Utc};
use common::*;
use oin_wizard::domain::dashboard::{DashboardQuery, SortBy};
use oin_wizard::domain::roles::{permits, Action};
use oin_wizard::domain::time::{local_date, local_time, zone_name};
use oin_wizard::domain::transitions::*;
use oin_wizard::domain::validation::can_add_variable;
use oin_wizard::domain::*;

#[test]
fn who_may_list_and_open_submissions() {
    use Role::*;
    #[rustfmt::skip]
    let rows: &[(&[Role], Option<&str>)] = &[
        (&[SuperAdmin],         None),
        (&[AppAdmin],           None),
        (&[AppAdmin, OrgAdmin], None),
        (&[CatalogReviewer],    None),
        (&[OrgAdmin],           Some("Listing and opening OIN integrations needs the super admin or app admin role")),
        (&[],                   Some("needs the super admin or app admin role: ask an org administrator to assign one")),
    ];
    for (roles, expected) in rows {
        let u = user("dev@example.org", roles);
        let got = permits(&u, Action::ViewSubmissions);
        match expected {
            None => assert_eq!(got, Ok(()), "{roles:?}"),
            Some(text) => assert!(
                got.as_ref().is_err_and(|m| m.contains(text)),
                "{roles:?} {got:?}"
            ),
        }
        // The backend's refusal is the same rule, as a 403.
        let refused =
            authorize(&u, Action::ViewSubmissions).map_err(|e| (e.code, e.code.http_status()));
        assert_eq!(refused.is_ok(), expected.is_none(), "{roles:?}");
        if expected.is_some() {
            assert_eq!(refused, Err((ErrorCode::Forbidden, 403)));
        }
    }
}

fn row(status: Status, published_version: Option<u32>) -> SubmissionSummary {
    SubmissionSummary {
        id: "sub-1".into(),
        status,
        published_version,
        ..SubmissionSummary::default()
    }
}

/// `None`: allowed; else the error code and a part of its message.
type Refusal = Option<(ErrorCode, &'static str)>;

#[test]
fn delete_rows() {
    let org_admin = user("dev@example.org", &[Role::OrgAdmin]);
    #[rustfmt::skip]
    let rows: &[(SubmissionSummary, &User, Refusal)] = &[
        (row(Status::Draft, None),          &admin(),    None),
        (row(Status::Draft, None),          &user("a@example.org", &[Role::AppAdmin]), None),
        (row(Status::Draft, None),          &org_admin,  Some((ErrorCode::Forbidden, "needs the super admin or app admin role"))),
        (row(Status::OinToReview, None),    &admin(),    Some((ErrorCode::InvalidTransition, "Only a Draft can be deleted; this integration is OIN to review"))),
        (row(Status::IsvToReview, None),    &admin(),    Some((ErrorCode::InvalidTransition, "this integration is ISV to review"))),
        (row(Status::Published, Some(2)),   &admin(),    Some((ErrorCode::InvalidTransition, "this integration is Published"))),
        (row(Status::Draft, Some(2)),       &admin(),    Some((ErrorCode::InvalidTransition, "edits a published integration, which stays in the catalog: it can't be deleted here. To remove the integration, contact the catalog team"))),
    ];
    for (r, u, expected) in rows {
        let got = can_delete(r, u).map_err(|e| (e.code, e.message));
        match expected {
            None => assert_eq!(got, Ok(()), "{:?}", r.status),
            Some((code, text)) => assert!(
                got.as_ref()
                    .is_err_and(|(c, m)| c == code && m.contains(text)),
                "{:?} {got:?}",
                r.status
            ),
        }
    }
    // The summary says whether a Draft edits a published version.
    assert_eq!(editing_published().summary().published_version, Some(2));
    assert_eq!(valid().summary().published_version, None);
}

#[test]
fn withdraw_rows() {
    let mut submitted = valid();
    submitted.status = Status::OinToReview;
    submitted.config_version = 2;
    let later = now() + chrono::Duration::hours(1);
    let back = withdraw(&submitted, &admin(), later).map_err(|e| e.message);
    assert_eq!(
        back.as_ref()
            .map(|s| (s.status, s.version, s.updated, s.instance_version())),
        Ok((Status::Draft, 4, later, 2)),
        "back to Draft, a new version, instances of the same configuration stay eligible"
    );
    let back = back.unwrap_or_default();
    assert_eq!(back.catalog, submitted.catalog);
    assert_eq!(back.test_info.password, submitted.test_info.password);
    // A review of the withdrawn version is now stale.
    let request = oin_wizard::domain::api::ReviewRequest {
        version: submitted.version,
        decision: ReviewDecision::Publish,
        note: String::new(),
    };
    let reviewer = user("team@example.org", &[Role::CatalogReviewer]);
    assert!(review_request(&back, &reviewer, &request, later).is_err());
    // Withdrawn, it can be edited and submitted again.
    let mut edited = back.clone();
    edited.catalog.display_name = "Renamed".into();
    assert!(save_edit(&back, &edited, &admin(), later).is_ok());

    #[rustfmt::skip]
    let refused: &[(Status, User, ErrorCode, &str)] = &[
        (Status::Draft,       admin(), ErrorCode::InvalidTransition, "Only a submission in OIN to review can be withdrawn; this one is Draft"),
        (Status::IsvToReview, admin(), ErrorCode::InvalidTransition, "this one is ISV to review"),
        (Status::Published,   admin(), ErrorCode::InvalidTransition, "this one is Published"),
        (Status::OinToReview, user("o@example.org", &[Role::OrgAdmin]), ErrorCode::Forbidden, "needs the super admin or app admin role"),
    ];
    for (status, u, code, text) in refused {
        let mut s = valid();
        s.status = *status;
        let got = withdraw(&s, u, later).map_err(|e| (e.code, e.message));
        assert!(
            got.as_ref()
                .is_err_and(|(c, m)| c == code && m.contains(text)),
            "{status:?} {got:?}"
        );
    }
}

#[test]
fn add_another_variable_rows() {
    let with = |n: usize, migrated: bool| {
        let mut s = if migrated {
            editing_published()
        } else {
            valid()
        };
        s.migrated = migrated;
        s.variables = (0..n)
            .map(|i| Variable {
                label: format!("V{i}"),
                name: format!("v{i}"),
            })
            .collect();
        s
    };
    #[rustfmt::skip]
    let rows: &[(usize, bool, Option<&str>)] = &[
        (0, false, None),
        (2, false, None),
        (3, false, Some("You have 3 variables, the most allowed. To change more than 3 variables, contact the catalog team")),
        (2, true,  None),
        (3, true,  Some("You have 3 variables, the most allowed.")),
        (5, true,  Some("This integration, migrated from the older tool, has 5 variables; the wizard adds none beyond 3. To change more than 3 variables, contact the catalog team")),
    ];
    for (n, migrated, expected) in rows {
        let got = can_add_variable(&with(*n, *migrated));
        match expected {
            None => assert_eq!(got, Ok(()), "{n} {migrated}"),
            Some(text) => assert!(
                got.as_ref().is_err_and(|m| m.contains(text)),
                "{n} {migrated} {got:?}"
            ),
        }
    }
}

#[test]
fn dashboard_query_survives_the_url() {
    let q = |name: &str, statuses: Vec<Status>, sort| DashboardQuery {
        name: name.into(),
        statuses,
        sort,
    };
    #[rustfmt::skip]
    let rows: Vec<(DashboardQuery, &str)> = vec![
        (DashboardQuery::default(), ""),
        (q("straw", vec![], SortBy::UpdatedNewest), "?name=straw"),
        (q("", vec![Status::OinToReview], SortBy::UpdatedNewest), "?status=oinToReview"),
        (q("", vec![], SortBy::NameDescending), "?sort=nameDescending"),
        (q("a&b=c d/é", vec![Status::Draft, Status::Published], SortBy::Status), "?name=a%26b%3Dc%20d%2F%C3%A9&status=draft,published&sort=status"),
    ];
    for (query, url) in rows {
        assert_eq!(query.to_url(), url, "{query:?}");
    }
    // What the router hands back (decoded) reads as the same query.
    let back = DashboardQuery::from_url(Some("a&b=c d/é"), Some("draft,published"), Some("status"));
    assert_eq!(
        back,
        q(
            "a&b=c d/é",
            vec![Status::Draft, Status::Published],
            SortBy::Status
        )
    );
    // Unknown or repeated keys are ignored: an old link still opens the list.
    assert_eq!(
        DashboardQuery::from_url(None, Some("draft,bogus,draft"), Some("newestFirst")),
        q("", vec![Status::Draft], SortBy::UpdatedNewest)
    );
    assert_eq!(
        DashboardQuery::from_url(None, None, None),
        DashboardQuery::default()
    );
}

#[test]
fn times_in_the_users_zone() {
    let t = Utc
        .with_ymd_and_hms(2026, 11, 28, 21, 5, 0)
        .single()
        .unwrap_or_default();
    #[rustfmt::skip]
    let rows: &[(i32, &str, &str)] = &[
        (0,    "Nov 28, 2026, 21:05 (UTC)",        "Nov 28, 2026"),
        (330,  "Nov 29, 2026, 02:35 (UTC+05:30)",  "Nov 29, 2026"),
        (-480, "Nov 28, 2026, 13:05 (UTC-08:00)",  "Nov 28, 2026"),
        (780,  "Nov 29, 2026, 10:05 (UTC+13:00)",  "Nov 29, 2026"),
        (-570, "Nov 28, 2026, 11:35 (UTC-09:30)",  "Nov 28, 2026"),
        // Not a zone: shown in UTC rather than wrong.
        (100_000,  "Nov 28, 2026, 21:05 (UTC)",    "Nov 28, 2026"),
        (i32::MIN, "Nov 28, 2026, 21:05 (UTC)",    "Nov 28, 2026"),
    ];
    for (offset, time, date) in rows {
        assert_eq!(local_time(t, *offset), *time, "{offset}");
        assert_eq!(local_date(t, *offset), *date, "{offset}");
    }
    assert_eq!(zone_name(60), "UTC+01:00");
    // A one-digit day is not padded; hours and minutes are; years as chrono's `%Y`.
    for (t, time, date) in [
        (
            (2027, 1, 5, 9, 3),
            "Jan 5, 2027, 09:03 (UTC)",
            "Jan 5, 2027",
        ),
        (
            (999, 12, 31, 23, 59),
            "Dec 31, 0999, 23:59 (UTC)",
            "Dec 31, 0999",
        ),
        (
            (10_000, 2, 29, 0, 0),
            "Feb 29, +10000, 00:00 (UTC)",
            "Feb 29, +10000",
        ),
    ] {
        let (y, mo, d, h, mi) = t;
        let t = Utc
            .with_ymd_and_hms(y, mo, d, h, mi, 0)
            .single()
            .unwrap_or_default();
        assert_eq!(local_time(t, 0), time);
        assert_eq!(local_date(t, 0), date);
        assert_eq!(t.format("%b %-d, %Y, %H:%M (UTC)").to_string(), time);
    }
}
