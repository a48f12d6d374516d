//! The org side of the Test integration page (SPEC 5.2–5.4), in three parts:
//!
//! - [`admin_view`]: what the customer admin sees for an instance (resolved URLs, client,
//!   IdP metadata, provisioning settings), where a test signs in, the SCIM settings check:
//!   rules and derivations, no writes.
//! - [`records`]: what a backend writes in its org when the user generates, regenerates,
//!   updates, toggles or deletes an instance, adds it to the tester, runs a test: the rules
//!   first, then the record of what the org did and what the user reported.
//! - [`export`]: the page's one read (`TestingView`) and **Export results**.
//!
//! Pure: ids, secrets and the time are passed in; every refusal is a [`DomainError`] with an
//! actionable message. The embedded backend calls these exactly as a Rust server would.

pub mod admin_view;
pub mod export;
pub mod records;

pub use admin_view::*;
pub use export::*;
pub use records::*;

use super::model::User;
use super::roles::{permits, Action};
use super::transitions::{DomainError, ErrorCode};

fn rejected(message: impl Into<String>) -> DomainError {
    DomainError::new(ErrorCode::Rejected, message)
}

fn forbid(user: &User, action: Action) -> Result<(), DomainError> {
    permits(user, action).map_err(|m| DomainError::new(ErrorCode::Forbidden, m))
}

fn no_instance(id: &str) -> DomainError {
    DomainError::new(
        ErrorCode::NotFound,
        format!("There is no instance with id {id}: it may have been deleted"),
    )
}
