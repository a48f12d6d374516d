//! The Expression Language of dynamic properties (SPEC 6): parse, check, evaluate, explain.
//!
//! Pure Rust: no web-sys, no Leptos. Compiles natively and to wasm. Hand-written and
//! panic-free on any input: nesting is bounded ([`MAX_DEPTH`] levels), results are bounded
//! (100 000 bytes), every span lies on character boundaries of the source.
//!
//! - [`evaluate`]: the text a customer's tenant gets.
//! - [`is_expression`], [`variables`]: what a value is and which integration variables it uses.
//! - [`check`], [`analyze`]: diagnostics with spans, severity and a hint; `analyze` also gives
//!   the preview and the backwards-compatible result, parsing once (one call per keystroke).
//! - [`check_url`]: the expression-result URL check.
//! - [`Parsed`], [`ParseCache`], [`cached`]: a value parsed once and evaluated or analyzed
//!   many times, and a small bounded cache of them keyed by dialect and source.

mod ast;
mod cache;
mod check;
mod eval;
mod examples;
mod functions;
mod lexer;
mod parser;
pub mod seam;
mod template;
mod url;
mod value;

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::ops::Range;

pub use ast::MAX_DEPTH;
pub use cache::{cached, ParseCache, Parsed};
pub use check::{analyze, check};
pub use examples::{Example, SPEC_EXAMPLES};
pub use seam::ExpressionLanguage;
pub use template::is_expression;
pub use url::{check_url, UrlProblem};
pub use value::MAX_LEN;

/// The three expression dialects, one per protocol's properties (SPEC 6).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Dialect {
    /// OIDC properties: text with `{ … }` parts, variables `app.<name>`, Okta `String.*`.
    Oidc,
    /// SAML properties: text with `${ … }` parts, variables `org.<name>`, JSTL `fn:*`, Jakarta EL.
    Saml,
    /// SCIM properties: the whole value is one expression, variables `app.<name>`, Okta `String.*`.
    Scim,
}

impl Dialect {
    /// The prefix of integration variables in this dialect: `app` or `org`.
    pub fn variable_prefix(self) -> &'static str {
        match self {
            Dialect::Saml => "org",
            Dialect::Oidc | Dialect::Scim => "app",
        }
    }
}

/// What kind of problem a diagnostic or error is (stable, for tests and the UI).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    /// Malformed input: unbalanced `{`/`${`/`(`/quotes, a missing operand, a stray character.
    Syntax,
    /// Deeper than [`MAX_DEPTH`] levels.
    Nesting,
    /// A variable that is not one of the submission's integration variables.
    UnknownVariable,
    /// `org.` in OIDC/SCIM or `app.` in SAML.
    WrongPrefix,
    /// A bare or unknown name (not a variable, keyword or function).
    UnknownName,
    /// A function the dialect's library does not have.
    UnknownFunction,
    /// A function called with the wrong number of arguments.
    Arity,
    /// `String.*` in SAML, or `fn:*` in OIDC/SCIM.
    WrongDialect,
    /// `+` between texts in SAML (EL adds numbers; `+=` joins texts).
    SamlPlus,
    /// A user reference outside the accepted forms, or outside attribute statements.
    UserReference,
    /// A value of the wrong type for an operator or function.
    Type,
    /// A failure while evaluating (index out of range, division by zero, result too long).
    Evaluation,
    /// The result is not a valid URL for a URL field.
    InvalidUrl,
    /// With the variables added since the published version left empty, the result is not a valid URL.
    BackwardsCompatibility,
}

/// An error from [`evaluate`]: a message a user can act on, the byte range of the source it
/// concerns (always on character boundaries), and a hint how to fix it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Error {
    pub(crate) span: Range<usize>,
    pub(crate) message: String,
    pub(crate) hint: Option<String>,
    pub(crate) kind: Kind,
}

impl Error {
    pub(crate) fn syntax(span: Range<usize>, message: &str) -> Error {
        Error {
            span,
            message: message.to_string(),
            hint: None,
            kind: Kind::Syntax,
        }
    }

    /// The byte range of the source this error concerns.
    pub fn span(&self) -> Range<usize> {
        self.span.clone()
    }

    /// What is wrong, as a sentence.
    pub fn message(&self) -> &str {
        &self.message
    }

    /// How to fix it, when there is a clear way.
    pub fn hint(&self) -> Option<&str> {
        self.hint.as_deref()
    }

    pub fn kind(&self) -> Kind {
        self.kind
    }
}

impl std::fmt::Display for Error {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)?;
        if let Some(h) = &self.hint {
            write!(f, " (hint: {h})")?;
        }
        Ok(())
    }
}

impl std::error::Error for Error {}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// The value cannot be saved as is.
    Error,
    /// Worth fixing, but the value works.
    Warning,
}

/// One finding of [`check`]/[`analyze`].
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Diagnostic {
    /// Byte range in the source, on character boundaries.
    pub span: Range<usize>,
    pub severity: Severity,
    pub kind: Kind,
    pub message: String,
    pub hint: Option<String>,
}

/// What the field holding the value expects (SPEC 4.3–4.5).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum FieldKind {
    /// Any text.
    #[default]
    Text,
    /// The result must be a complete https URL (`http` allowed for migrated integrations).
    Url { allow_http: bool },
    /// A SAML attribute-statement value: user references allowed, only `${user.userName}`,
    /// `user.<attribute>` and `appuser.<attribute>`.
    SamlAttributeValue,
}

/// What [`check`] and [`analyze`] know about the submission.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct CheckOptions {
    /// The submission's integration variable names (bare). `None`: don't flag unknown ones.
    pub known_variables: Option<Vec<String>>,
    pub field: FieldKind,
    /// Preview values (bare name → value) used to evaluate; unset variables are "".
    pub preview: BTreeMap<String, String>,
    /// Variables added since the published version: for the backwards-compatibility check they
    /// are evaluated as "" (what existing instances see).
    pub added_since_published: Vec<String>,
}

/// Everything the live preview needs, from one parse.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Analysis {
    pub is_expression: bool,
    /// The result with the preview values, when it evaluates.
    pub preview: Option<String>,
    /// The result with the variables added since the published version left empty; `Some`
    /// only when the value uses one of them and it evaluates.
    pub backwards_compatible: Option<String>,
    /// Integration variables referenced (bare names, first use first, no repeats).
    pub variables: Vec<String>,
    /// Sorted by position; errors before warnings at the same position.
    pub diagnostics: Vec<Diagnostic>,
}

impl Analysis {
    pub fn has_errors(&self) -> bool {
        self.diagnostics
            .iter()
            .any(|d| d.severity == Severity::Error)
    }
}

/// Evaluates `source` as a property value of `dialect`. `vars` maps bare variable names to
/// values (unset ones are ""); SAML user references look up `user.<attr>` / `appuser.<attr>`.
/// A value that is not an expression (see [`is_expression`]) evaluates to itself (SAML
/// resolves `\${` to `${`).
pub fn evaluate(
    dialect: Dialect,
    source: &str,
    vars: &BTreeMap<String, String>,
) -> Result<String, Error> {
    template::with_split(dialect, source, |t| {
        check::evaluate_template(dialect, source, t, vars)
    })
}

/// The integration variables `source` references: bare names, in order of first use, no repeats.
pub fn variables(dialect: Dialect, source: &str) -> Vec<String> {
    template::with_split(dialect, source, |t| {
        check::template_variables(dialect, source, t)
    })
}
