//! Who may sign in at the identity provider for an instance: SPEC 5.2 (Assign test users:
//! people or groups) and SPEC 5.3 (a JIT run's temporary user exists, and is assigned, only
//! while its run is in progress: it cannot sign in afterwards). The password itself is the
//! server's to check; these rules decide everything else.

use crate::check::{Check, CheckKind};
use oin_wizard::domain::{Instance, Org, RunResult, TestCase, TestRun, User};

/// SPEC 5.2: the user is assigned to the instance directly or through one of its groups.
pub fn is_assigned(org: &Org, instance: &Instance, user_id: &str) -> bool {
    instance.assigned_users.iter().any(|u| u == user_id)
        || org.groups.iter().any(|g| {
            instance.assigned_groups.contains(&g.id) && g.user_ids.iter().any(|u| u == user_id)
        })
}

/// The names of the user's groups, in the org's order (SAML group attribute statements).
pub fn group_names(org: &Org, user_id: &str) -> Vec<String> {
    org.groups
        .iter()
        .filter(|g| g.user_ids.iter().any(|u| u == user_id))
        .map(|g| g.name.clone())
        .collect()
}

/// The run an identity provider request belongs to (the run cookie names it): it must exist,
/// be in progress (SPEC 5.3: Continue ends it) and test this instance.
pub fn run_in_progress<'a>(
    org: &'a Org,
    run_id: &str,
    instance_id: &str,
) -> Result<&'a TestRun, String> {
    let run = org
        .test_runs
        .iter()
        .find(|r| r.id == run_id)
        .ok_or_else(|| "This sign-in belongs to no test run: start it with Run test".to_string())?;
    if run.result != RunResult::InProgress {
        return Err("This test run has ended: run the test again".into());
    }
    if run.instance_id != instance_id {
        return Err(format!(
            "This test run tests another instance ({}), not {instance_id}",
            run.instance_id
        ));
    }
    Ok(run)
}

/// The account signing in with `email` (case-insensitive) for `instance_id`: it must exist in
/// the org (a JIT temporary user is deleted when its run ends), be assigned to the instance,
/// and, in a JIT run, be the run's temporary user (what the JIT test proves is that the app
/// creates the account it has never seen).
pub fn sign_in_user<'a>(
    org: &'a Org,
    instance_id: &str,
    email: &str,
    run: Option<&TestRun>,
) -> (Result<&'a User, String>, Check) {
    let rule = "SPEC 5.2, 5.3";
    let deny = |d: String| (Err(d.clone()), Check::fail(CheckKind::Assignment, rule, d));
    let Some(instance) = org.instances.iter().find(|i| i.id == instance_id) else {
        return deny(format!("There is no app instance {instance_id}"));
    };
    if !instance.active {
        return deny(format!(
            "The instance \"{}\" is inactive: switch it to ACTIVE to sign in",
            instance.label
        ));
    }
    let email = email.trim();
    let Some(user) = org
        .users
        .iter()
        .find(|u| u.email.eq_ignore_ascii_case(email))
    else {
        return deny(format!(
            "No user {email} in the org (a JIT test's temporary user is deleted when its run ends)"
        ));
    };
    let jit =
        run.is_some_and(|r| matches!(r.case, Some(TestCase::JitWithIdp | TestCase::JitWithSp)));
    if let Some(temp) = run.and_then(|r| r.jit_user.as_ref()).filter(|_| jit) {
        if temp.id != user.id {
            return deny(format!(
                "This JIT test signs in as its temporary user {}, not {email}",
                temp.email
            ));
        }
    }
    if !is_assigned(org, instance, &user.id) {
        return deny(format!(
            "{email} is not assigned to \"{}\": assign the user or one of their groups",
            instance.label
        ));
    }
    (
        Ok(user),
        Check::pass(
            CheckKind::Assignment,
            rule,
            format!("{email} is assigned to \"{}\"", instance.label),
        ),
    )
}
