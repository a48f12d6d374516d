//! What validation answers: problems with a field path, a severity and an actionable message.

use serde::{Deserialize, Serialize};

use super::pages::Page;

/// How bad a problem is: errors block moving on and submitting; warnings only inform.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum Severity {
    /// Blocks the page's primary action and the submit gate.
    Error,
    /// Shown next to the field; never blocks.
    Warning,
}

/// One problem with one field.
///
/// `field` is a stable path the UI maps to an input: `catalog.displayName`,
/// `oidc.redirectUris[1]`, `saml.otherAcsUrls[0].index`, `variables[2].name`. The message is
/// complete and actionable; the UI shows it as-is.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Problem {
    /// Stable path of the field the problem is about.
    pub field: String,
    /// Error or warning.
    pub severity: Severity,
    /// What is wrong and how to fix it.
    pub message: String,
}

impl Problem {
    /// An error on `field`.
    pub fn error(field: impl Into<String>, message: impl Into<String>) -> Self {
        Problem {
            field: field.into(),
            severity: Severity::Error,
            message: message.into(),
        }
    }

    /// A warning on `field`.
    pub fn warning(field: impl Into<String>, message: impl Into<String>) -> Self {
        Problem {
            field: field.into(),
            severity: Severity::Warning,
            message: message.into(),
        }
    }

    /// Whether this problem blocks.
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    /// The wizard page where this field is edited.
    pub fn page(&self) -> Page {
        Page::of_field(&self.field)
    }
}

/// Whether any problem in the list is an error.
pub fn has_errors(problems: &[Problem]) -> bool {
    problems.iter().any(Problem::is_error)
}

/// Characters (not bytes) in a value, as the limits count them.
pub fn chars(value: &str) -> usize {
    value.chars().count()
}

/// Whether a required text field is empty (whitespace only counts as empty).
pub fn is_blank(value: &str) -> bool {
    value.trim().is_empty()
}
