//! The seam to the Expression Language (SPEC 6): what the domain asks about expressions.
//! `crate::expr` implements [`Expressions`] later; [`StaticOnly`] lets the domain work alone.

use std::collections::BTreeMap;

use crate::expr::Dialect;

use super::problems::Problem;

/// What kind of value an expression field must produce.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ExprKind {
    /// A URL; `https` required, or `http` allowed too for migrated published integrations.
    Url {
        /// Whether `http` is allowed (migrated published integrations).
        http_allowed: bool,
    },
    /// A SAML attribute statement value: user references only in the allow-listed forms.
    SamlAttributeValue,
    /// Any text.
    Text,
}

/// One field value to check as an expression, with everything the check needs.
#[derive(Clone, Copy, Debug)]
pub struct ExprField<'a> {
    /// Stable field path for the problems (`oidc.redirectUris[0]`).
    pub field: &'a str,
    /// The dialect of the protocol the field belongs to.
    pub dialect: Dialect,
    /// The field value.
    pub value: &'a str,
    /// What the value must produce.
    pub kind: ExprKind,
    /// The submission's integration variable names.
    pub variables: &'a [String],
    /// Preview value per variable name.
    pub preview_values: &'a BTreeMap<String, String>,
    /// Variable names added since the published version (empty for existing instances: the
    /// backwards-compatibility check evaluates with these set to "").
    pub added_variables: &'a [String],
}

/// What the domain asks about expressions; implemented by `crate::expr`, faked in tests.
pub trait Expressions {
    /// Whether the field value holds an expression (vs a static value) in this dialect.
    fn is_expression(&self, dialect: Dialect, value: &str) -> bool;
    /// Problems with an expression value (syntax, unknown variables, result not a valid URL
    /// with the preview values, backwards compatibility), already as domain problems.
    fn problems(&self, field: &ExprField<'_>) -> Vec<Problem>;
    /// The value a customer's instance gets (SPEC 5.2): an expression evaluated with the
    /// instance's variable values, a static value as it is. `Err` says why it doesn't evaluate.
    fn resolve(
        &self,
        dialect: Dialect,
        value: &str,
        values: &BTreeMap<String, String>,
    ) -> Result<String, String> {
        let _ = (dialect, values);
        Ok(value.to_string())
    }
}

/// The stand-in until the Expression Language exists: recognises expressions by their
/// markers (OIDC `{`, SAML `${`, SCIM a quote or `app.`) and reports no problems.
#[derive(Clone, Copy, Debug, Default)]
pub struct StaticOnly;

impl Expressions for StaticOnly {
    fn is_expression(&self, dialect: Dialect, value: &str) -> bool {
        looks_like_expression(dialect, value)
    }

    fn problems(&self, _field: &ExprField<'_>) -> Vec<Problem> {
        Vec::new()
    }
}

/// The marker heuristic of [`StaticOnly`] (SPEC 6 "where the expression is"): OIDC text with
/// a `{`, SAML text with a `${`; a SCIM value with a quote, or without `://` but with a
/// variable (`app.`), a function (`String.`) or a parenthesis. So the static SCIM URL
/// `https://app.example.com/scim` stays static while `app.baseUrl` is an expression.
pub fn looks_like_expression(dialect: Dialect, value: &str) -> bool {
    match dialect {
        Dialect::Oidc => value.contains('{'),
        Dialect::Saml => value.contains("${"),
        Dialect::Scim => {
            value.contains('\'') || value.contains('"') || {
                !value.contains("://")
                    && (value.contains("app.") || value.contains("String.") || value.contains('('))
            }
        }
    }
}
