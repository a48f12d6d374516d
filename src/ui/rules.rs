//! The UI's one way to the rules: the domain, with the Expression Language behind its seam.

use crate::domain::validation;
use crate::domain::{Expressions, Problem, StaticOnly, Submission};

/// The expression checker the domain uses in the browser.
pub fn expressions() -> &'static dyn Expressions {
    &StaticOnly
}

/// Every problem of the submission's pages.
pub fn validate(submission: &Submission) -> Vec<Problem> {
    validation::validate(submission, expressions())
}
