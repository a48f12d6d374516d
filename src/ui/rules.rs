//! The UI's one way to the rules: the domain, with the Expression Language behind its seam.

use crate::domain::validation;
use crate::domain::{Expressions, Problem, Submission};
use crate::expr::ExpressionLanguage;

/// The expression checker the domain uses in the browser.
pub fn expressions() -> &'static dyn Expressions {
    &ExpressionLanguage
}

/// Every problem of the submission's pages.
pub fn validate(submission: &Submission) -> Vec<Problem> {
    validation::validate(submission, expressions())
}
