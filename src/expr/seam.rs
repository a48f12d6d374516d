//! The Expression Language behind the domain's seam ([`crate::domain::Expressions`]): what
//! the browser and any Rust backend use, so every rule of SPEC 6 reaches the domain's
//! validation, the stepper and the submit gate. Values are parsed through the thread's
//! [`cached`] parse cache: the same value checked on every change of a submission, or evaluated
//! for every instance, is parsed once.

use std::collections::BTreeMap;

use crate::domain::{ExprField, ExprKind, Expressions, Problem};

use super::{cached, is_expression, CheckOptions, Diagnostic, Dialect, FieldKind, Severity};

/// The real expression checker (the domain's `StaticOnly` is only a stand-in for its tests).
#[derive(Clone, Copy, Debug, Default)]
pub struct ExpressionLanguage;

/// The check options for a domain field: the field's kind, its submission's variables, the
/// preview values and the variables added since the published version.
pub fn options_for(field: &ExprField<'_>) -> CheckOptions {
    CheckOptions {
        known_variables: Some(field.variables.to_vec()),
        field: match field.kind {
            ExprKind::Url { http_allowed } => FieldKind::Url {
                allow_http: http_allowed,
            },
            ExprKind::SamlAttributeValue => FieldKind::SamlAttributeValue,
            ExprKind::Text => FieldKind::Text,
        },
        preview: field.preview_values.clone(),
        added_since_published: field.added_variables.to_vec(),
    }
}

/// A diagnostic as a domain problem: the message with its hint, as one sentence pair.
pub fn to_problem(field: &str, d: &Diagnostic) -> Problem {
    let message = match &d.hint {
        Some(hint) if d.message.ends_with(['.', '!', '?']) => format!("{} Hint: {hint}", d.message),
        Some(hint) => format!("{}. Hint: {hint}", d.message),
        None => d.message.clone(),
    };
    match d.severity {
        Severity::Error => Problem::error(field, message),
        Severity::Warning => Problem::warning(field, message),
    }
}

impl Expressions for ExpressionLanguage {
    fn is_expression(&self, dialect: Dialect, value: &str) -> bool {
        is_expression(dialect, value)
    }

    fn problems(&self, field: &ExprField<'_>) -> Vec<Problem> {
        cached(field.dialect, field.value)
            .analyze(&options_for(field))
            .diagnostics
            .iter()
            .map(|d| to_problem(field.field, d))
            .collect()
    }

    fn resolve(
        &self,
        dialect: Dialect,
        value: &str,
        values: &BTreeMap<String, String>,
    ) -> Result<String, String> {
        if is_expression(dialect, value) {
            cached(dialect, value)
                .evaluate(values)
                .map_err(|e| e.to_string())
        } else {
            Ok(value.to_string())
        }
    }
}
