//! Who may do what (SPEC 1). Each check answers `Err(message)` saying why not.

use serde::{Deserialize, Serialize};

use super::emails::is_personal_mail;
use super::model::{Role, User};

/// Something a user may or may not do.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum Action {
    /// List and open submissions (super admin or app admin; the catalog reviewer, to review).
    ViewSubmissions,
    /// View and edit submissions (super admin, or app admin): Build new OIN integration, Edit
    /// integration, delete a draft, withdraw a submission.
    EditSubmissions,
    /// Generate, update, activate and delete instances and run tests (super admin, or app
    /// admin + org admin).
    Test,
    /// Run JIT tests (same roles as testing).
    RunJitTest,
    /// Create test users in the org (org admin or super admin).
    CreateTestUsers,
    /// Submit or resubmit (super admin, or app admin + org admin, and a company email).
    Submit,
    /// Record the catalog team's decision (catalog reviewer only).
    Review,
}

fn has(user: &User, role: Role) -> bool {
    user.roles.contains(&role)
}

/// Whether the user has the wizard role: super admin, or app admin and org admin (SPEC 1).
pub fn has_wizard_roles(user: &User) -> bool {
    has(user, Role::SuperAdmin) || (has(user, Role::AppAdmin) && has(user, Role::OrgAdmin))
}

/// Whether `user` may do `action`; `Err` says why not, for a disabled control's hint.
pub fn permits(user: &User, action: Action) -> Result<(), String> {
    let sa = has(user, Role::SuperAdmin);
    let aa = has(user, Role::AppAdmin);
    let oa = has(user, Role::OrgAdmin);
    match action {
        Action::ViewSubmissions if sa || aa || has(user, Role::CatalogReviewer) => Ok(()),
        Action::ViewSubmissions => Err(
            "Listing and opening OIN integrations needs the super admin or app admin role: ask an org administrator to assign one"
                .into(),
        ),
        Action::EditSubmissions if sa || aa => Ok(()),
        Action::EditSubmissions => {
            Err("Viewing and editing submissions needs the super admin or app admin role".into())
        }
        Action::Test | Action::RunJitTest if sa || (aa && oa) => Ok(()),
        Action::Test => Err(
            "Testing needs the super admin role, or both the app admin and org admin roles".into(),
        ),
        Action::RunJitTest => Err(
            "JIT tests need the super admin role, or both the app admin and org admin roles".into(),
        ),
        Action::CreateTestUsers if sa || oa => Ok(()),
        Action::CreateTestUsers => {
            Err("Creating test users needs the org admin or super admin role".into())
        }
        Action::Review if has(user, Role::CatalogReviewer) => Ok(()),
        Action::Review => Err(
            "Only the catalog team records review decisions: the catalog reviewer role is needed"
                .into(),
        ),
        Action::Submit => {
            if !(sa || (aa && oa)) {
                Err("Submitting needs the super admin role, or both the app admin and org admin roles".into())
            } else if is_personal_mail(&user.email) {
                Err(personal_mail_message(&user.email))
            } else {
                Ok(())
            }
        }
    }
}

/// SPEC 1: the message for a personal-mail account.
pub fn personal_mail_message(email: &str) -> String {
    format!(
        "You are signed in as {email}, a personal email address. The catalog team only reviews submissions made from an account with your company's email domain: sign in with one"
    )
}
