//! Accounts: `oin-server user add EMAIL --role ROLE…`. The org follows from the email (SPEC 1):
//! everyone with one company domain shares an org; a personal-mail address (gmail.com, …) is
//! an org of its own, since its domain is no company's (such a user may prepare but never
//! submit, `roles::permits`).

use oin_wizard::domain::emails::{check_email, email_domain, is_personal_mail};
use oin_wizard::domain::{Role, User};

use crate::keys::{hash_password, Keys};
use crate::store::{NewAccount, Store};
use crate::Settings;

/// The shortest password `user add` accepts.
pub const PASSWORD_MIN_CHARS: usize = 10;

/// The org an email belongs to: its company domain, or the address itself for personal mail.
pub fn org_of(email: &str) -> Result<String, String> {
    check_email("Email", email)?;
    let domain = email_domain(email).ok_or_else(|| format!("{email} has no domain"))?;
    Ok(if is_personal_mail(email) {
        email.trim().to_lowercase()
    } else {
        domain.to_lowercase()
    })
}

/// A role as docs/api.md spells it (`SUPER_ADMIN`, `APP_ADMIN`, `ORG_ADMIN`,
/// `CATALOG_REVIEWER`).
pub fn parse_role(text: &str) -> Result<Role, String> {
    serde_json::from_value(serde_json::Value::from(text.trim().to_uppercase())).map_err(|_| {
        format!("{text} is not a role: use SUPER_ADMIN, APP_ADMIN, ORG_ADMIN or CATALOG_REVIEWER")
    })
}

/// What `user add` is given.
#[derive(Clone, Debug, Default)]
pub struct NewUser {
    /// Email (decides the org).
    pub email: String,
    /// Roles.
    pub roles: Vec<Role>,
    /// Password (from standard input).
    pub password: String,
    /// First name (default: the email's local part).
    pub first_name: String,
    /// Last name.
    pub last_name: String,
}

/// Creates an account with an argon2id hash of its password.
pub async fn add_user(
    store: &dyn Store,
    keys: &Keys,
    settings: &Settings,
    new: NewUser,
) -> Result<User, String> {
    let NewUser {
        email,
        roles,
        password,
        first_name,
        last_name,
    } = new;
    let password = password.as_str();
    let email = email.trim().to_string();
    let org_id = org_of(&email)?;
    if password.chars().count() < PASSWORD_MIN_CHARS {
        return Err(format!(
            "The password must have at least {PASSWORD_MIN_CHARS} characters"
        ));
    }
    if roles.is_empty() {
        return Err("Give the user at least one role (--role SUPER_ADMIN, …)".into());
    }
    let local = email.split('@').next().unwrap_or_default();
    let user = User {
        id: keys.token("00u", 17)?,
        email: email.clone(),
        first_name: if first_name.trim().is_empty() {
            local.to_string()
        } else {
            first_name.trim().to_string()
        },
        last_name: last_name.trim().to_string(),
        roles,
    };
    let password_hash = hash_password(keys, password)?;
    store
        .add_account(NewAccount {
            user: user.clone(),
            org_url: settings.org_url(&org_id),
            org_id,
            password_hash,
        })
        .await
        .map_err(|e| match e {
            crate::error::ApiError::Refused(d) => d.message,
            other => format!("{other:?}"),
        })?;
    Ok(user)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn orgs_follow_the_company_domain() {
        assert_eq!(
            org_of("Dev@Strawberry.Example").unwrap(),
            "strawberry.example"
        );
        assert_eq!(org_of("ada@gmail.com").unwrap(), "ada@gmail.com");
        assert!(org_of("not an email").is_err());
    }

    #[test]
    fn roles_are_spelled_as_the_contract_spells_them() {
        assert_eq!(parse_role("SUPER_ADMIN").unwrap(), Role::SuperAdmin);
        assert_eq!(
            parse_role("catalog_reviewer").unwrap(),
            Role::CatalogReviewer
        );
        assert!(parse_role("ADMIN").is_err());
    }
}
