//! SPEC 2, 5.5, 0: status transitions, saves with version conflicts; SPEC 1: roles.
mod common;

use common::*;
use oin_wizard::domain::roles::{permits, Action};
use oin_wizard::domain::transitions::*;
use oin_wizard::domain::*;

fn ready_ctx<'a>(s: &'a Submission, org: &'a Org, user: &'a User) -> SubmitContext<'a> {
    SubmitContext {
        submission: s,
        org,
        user,
        now: now(),
        certified: true,
        expressions: &StaticOnly,
        scim_runs: None,
    }
}

#[test]
fn role_rows() {
    use Role::*;
    // SPEC 1: (roles, action, allowed)
    #[rustfmt::skip]
    let rows: &[(&[Role], Action, Option<&str>)] = &[
        (&[SuperAdmin],          Action::EditSubmissions, None),
        (&[AppAdmin],            Action::EditSubmissions, None),
        (&[OrgAdmin],            Action::EditSubmissions, Some("Viewing and editing submissions needs the super admin or app admin role")),
        (&[],                    Action::EditSubmissions, Some("needs the super admin or app admin role")),
        (&[SuperAdmin],          Action::Test, None),
        (&[AppAdmin, OrgAdmin],  Action::Test, None),
        (&[AppAdmin],            Action::Test, Some("Testing needs the super admin role, or both the app admin and org admin roles")),
        (&[OrgAdmin],            Action::Test, Some("Testing needs")),
        (&[AppAdmin],            Action::RunJitTest, Some("JIT tests need the super admin role, or both the app admin and org admin roles")),
        (&[AppAdmin, OrgAdmin],  Action::RunJitTest, None),
        (&[OrgAdmin],            Action::CreateTestUsers, None),
        (&[SuperAdmin],          Action::CreateTestUsers, None),
        (&[AppAdmin],            Action::CreateTestUsers, Some("Creating test users needs the org admin or super admin role")),
        (&[SuperAdmin],          Action::Submit, None),
        (&[AppAdmin],            Action::Submit, Some("Submitting needs")),
    ];
    for (roles, action, expected) in rows {
        let got = permits(&user("dev@example.org", roles), *action);
        match expected {
            None => assert_eq!(got, Ok(()), "{roles:?} {action:?}"),
            Some(text) => assert!(got.is_err_and(|m| m.contains(text)), "{roles:?} {action:?}"),
        }
    }
    let personal = permits(&user("dev@yahoo.co.uk", &[SuperAdmin]), Action::Submit);
    assert!(personal.is_err_and(|m| m.contains("personal email address")));
}

#[test]
fn create_and_save_rows() {
    let s = create_submission("new", &admin(), now());
    let s = s.map_err(|e| e.message);
    assert_eq!(
        s.as_ref().map(|s| (s.version, s.status)),
        Ok((1, Status::Draft))
    );
    let refused = create_submission("new", &user("x@example.org", &[Role::OrgAdmin]), now());
    assert_eq!(refused.map_err(|e| e.code), Err(ErrorCode::Forbidden));

    let stored = valid();
    let mut edited = stored.clone();
    edited.catalog.display_name = "New name".into();
    edited.status = Status::Published; // a client can't change the status by saving
    let saved = save_edit(&stored, &edited, &admin(), now());
    let saved = saved.map_err(|e| e.message);
    assert_eq!(
        saved.as_ref().map(|s| (
            s.version,
            s.status,
            s.updated,
            s.catalog.display_name.as_str()
        )),
        Ok((4, Status::Draft, now(), "New name"))
    );
    // A redacted secret sent back keeps the stored one; a new one replaces it.
    let mut from_list = stored.redacted();
    from_list.catalog.display_name = "Edited".into();
    let saved = save_edit(&stored, &from_list, &admin(), now()).map(|s| s.test_info.password);
    assert_eq!(saved.map_err(|e| e.message), Ok("s3cret-Pa55".to_string()));
    let mut changed = stored.redacted();
    changed.test_info.password = "n3w".into();
    let saved = save_edit(&stored, &changed, &admin(), now()).map(|s| s.test_info.password);
    assert_eq!(saved.map_err(|e| e.message), Ok("n3w".to_string()));
    // SPEC 0: stale save → conflict (409).
    let mut stale = stored.clone();
    stale.version = 2;
    let err = save_edit(&stored, &stale, &admin(), now())
        .map_err(|e| (e.code, e.code.http_status(), e.message));
    assert_eq!(err, Err((ErrorCode::Conflict, 409, "This submission was saved elsewhere (version 3 is newer than your version 2): reload it and apply your changes again".into())));
    // Read-only statuses.
    #[rustfmt::skip]
    let rows: &[(Status, Option<&str>)] = &[
        (Status::Draft, None),
        (Status::IsvToReview, None),
        (Status::Published, Some("This integration is read-only: choose Edit integration first")),
        (Status::OinToReview, Some("The catalog team is reviewing this submission")),
    ];
    for (status, expected) in rows {
        let stored = Submission {
            status: *status,
            ..valid()
        };
        let got = save_edit(&stored, &stored, &admin(), now());
        match expected {
            None => assert!(got.is_ok(), "{status:?}"),
            Some(text) => assert!(
                got.is_err_and(
                    |e| e.code == ErrorCode::InvalidTransition && e.message.starts_with(text)
                ),
                "{status:?}"
            ),
        }
    }
}

/// Issue 11: one rule says whether a submission can be edited, with the reason the wizard
/// shows on screen; every backend's save refuses with exactly that reason.
#[test]
fn edit_refusal_is_the_rule_of_save_edit() {
    use oin_wizard::domain::navigation::edit_refusal;
    #[rustfmt::skip]
    let rows: &[(Status, Option<&str>)] = &[
        (Status::Draft, None),
        (Status::IsvToReview, None),
        (Status::Published, Some("This integration is read-only: choose Edit integration first")),
        (Status::OinToReview, Some("The catalog team is reviewing this submission (OIN to review): withdraw it to change it, or edit it again when it comes back as ISV to review")),
    ];
    for (status, expected) in rows {
        assert_eq!(edit_refusal(*status), *expected, "{status:?}");
        let stored = Submission {
            status: *status,
            ..valid()
        };
        let saved = save_edit(&stored, &stored, &admin(), now()).map_err(|e| (e.code, e.message));
        match expected {
            None => assert!(saved.is_ok(), "{status:?}"),
            Some(why) => assert_eq!(
                saved,
                Err((ErrorCode::InvalidTransition, why.to_string())),
                "{status:?}"
            ),
        }
    }
}

#[test]
fn submit_rows() {
    let org = ready_org_for_valid();
    #[rustfmt::skip]
    let rows: &[(Status, Result<Status, ErrorCode>)] = &[
        (Status::Draft,       Ok(Status::OinToReview)),
        (Status::IsvToReview, Ok(Status::OinToReview)),
        (Status::OinToReview, Err(ErrorCode::InvalidTransition)),
        (Status::Published,   Err(ErrorCode::InvalidTransition)),
    ];
    for (status, expected) in rows {
        let s = Submission {
            status: *status,
            ..valid()
        };
        let got = submit(&ready_ctx(&s, &org, &admin()))
            .map(|s| s.status)
            .map_err(|e| e.code);
        assert_eq!(got, *expected, "{status:?}");
    }
    // Unmet requirements → 422 with the list.
    let s = valid();
    let empty = Org::default();
    let err = submit(&ready_ctx(&s, &empty, &admin()))
        .map_err(|e| (e.code, e.code.http_status(), e.unmet.len()));
    assert!(matches!(err, Err((ErrorCode::UnmetRequirements, 422, n)) if n > 0));
    // Personal mail → 403.
    let gmail = user("dev@gmail.com", &[Role::SuperAdmin]);
    let err = submit(&ready_ctx(&s, &org, &gmail)).map_err(|e| e.code);
    assert_eq!(err, Err(ErrorCode::Forbidden));
}

fn ready_org_for_valid() -> Org {
    use Protocol::*;
    use TestCase::*;
    let mut org = Org {
        instances: vec![
            instance("oidc", &[Oidc], 3, false),
            instance("saml", &[Saml], 3, false),
            instance("scim", &[Scim], 3, false),
        ],
        ..Org::default()
    };
    // SPEC 5.5: the tests counted are those of the instances in the tester.
    for i in org.instances.iter_mut().filter(|i| i.is_sso()) {
        i.in_tester = true;
    }
    for case in [IdpFlow, SpFlow] {
        org.test_runs.push(run(
            "oidc",
            case,
            VersionKind::Current,
            RunResult::Passed,
            1,
        ));
    }
    for case in [IdpFlow, SpFlow, JitWithIdp] {
        org.test_runs.push(run(
            "saml",
            case,
            VersionKind::Current,
            RunResult::Passed,
            1,
        ));
    }
    org
}

#[test]
fn review_rows() {
    // SPEC 2: only OIN to review is reviewed.
    #[rustfmt::skip]
    let rows: &[(Status, ReviewDecision, Result<Status, ErrorCode>)] = &[
        (Status::OinToReview, ReviewDecision::ChangesRequested, Ok(Status::IsvToReview)),
        (Status::OinToReview, ReviewDecision::Publish,          Ok(Status::Published)),
        (Status::Draft,       ReviewDecision::Publish,          Err(ErrorCode::InvalidTransition)),
        (Status::IsvToReview, ReviewDecision::ChangesRequested, Err(ErrorCode::InvalidTransition)),
        (Status::Published,   ReviewDecision::Publish,          Err(ErrorCode::InvalidTransition)),
    ];
    for (status, decision, expected) in rows {
        let s = Submission {
            status: *status,
            ..valid()
        };
        assert_eq!(
            review(&s, *decision, now())
                .map(|s| s.status)
                .map_err(|e| e.code),
            *expected,
            "{status:?} {decision:?}"
        );
    }
    let s = Submission {
        status: Status::OinToReview,
        ..valid()
    };
    let published = review(&s, ReviewDecision::Publish, now()).map_err(|e| e.message);
    let snapshot = published.as_ref().ok().and_then(|p| p.published.clone());
    assert_eq!(
        snapshot.as_ref().map(|p| (p.version, p.published_at)),
        Some((3, now()))
    );
    assert_eq!(
        snapshot.as_ref().map(|p| p.submission.published.is_none()),
        Some(true)
    );
    assert_eq!(
        snapshot.map(|p| p.submission.catalog.display_name),
        Some("Strawberry Fields".into())
    );
}

#[test]
fn edit_published_rows() {
    // SPEC 2: Edit integration → Draft, today's date, a new version, snapshot kept.
    let mut p = editing_published();
    p.status = Status::Published;
    p.version = 2;
    let later = now() + chrono::Duration::days(3);
    let edited = edit_published(&p, &admin(), later).map_err(|e| e.message);
    assert_eq!(
        edited.as_ref().map(|s| (s.status, s.updated, s.version)),
        Ok((Status::Draft, later, 3))
    );
    assert_eq!(
        edited.as_ref().map(|s| s.published == p.published),
        Ok(true)
    );
    assert_eq!(edited.as_ref().map(|s| s.is_editing_published()), Ok(true));
    // Not published → error.
    let draft = valid();
    assert_eq!(
        edit_published(&draft, &admin(), now()).map_err(|e| e.code),
        Err(ErrorCode::InvalidTransition)
    );
    // SPEC 4.5: a migrated SCIM integration gets import users/groups on.
    let mut m = p.clone();
    m.migrated = true;
    m.scim.user_operations.import_users = false;
    m.scim.group_operations.import_groups = false;
    let edited = edit_published(&m, &admin(), now()).map_err(|e| e.message);
    assert_eq!(
        edited.map(|s| (
            s.scim.user_operations.import_users,
            s.scim.group_operations.import_groups
        )),
        Ok((true, true))
    );
    // SPEC 2: "Application instance not detected" when no instance from the published version.
    assert!(needs_published_instance(&p, &[]));
    assert!(needs_published_instance(
        &p,
        &[instance("x", &[Protocol::Oidc], 3, false)]
    ));
    assert!(!needs_published_instance(
        &p,
        &[instance("x", &[Protocol::Oidc], 2, true)]
    ));
    // One generated before publishing from the version that got published counts too.
    assert!(!needs_published_instance(
        &p,
        &[instance("x", &[Protocol::Oidc], 2, false)]
    ));
    assert!(needs_published_instance(
        &p,
        &[instance("x", &[Protocol::Oidc], 1, false)]
    ));
    assert!(!needs_published_instance(&valid(), &[]));
}
