//! Field validation per wizard page (SPEC 3–5.1, 7). Each function returns every problem it
//! finds, with a stable field path, a severity and an actionable message; it never panics.

mod catalog;
mod oidc;
mod saml;
mod scim;
mod test_info;
mod variables;

pub use variables::can_add_variable;

use crate::expr::Dialect;

use super::expressions::{ExprField, ExprKind, Expressions};
use super::model::Submission;
use super::pages::Page;
use super::problems::{chars, is_blank, Problem};
use super::urls::{check_url, Scheme};

/// Problems of the Select protocol page (SPEC 3): at least one protocol.
pub fn validate_protocols(submission: &Submission) -> Vec<Problem> {
    if submission.protocols.is_empty() {
        vec![Problem::error(
            "protocols",
            "Choose at least one protocol: OIDC, SAML 2.0 or SCIM 2.0",
        )]
    } else {
        Vec::new()
    }
}

/// Problems of the Configure page (SPEC 4): catalog, variables, and each chosen protocol's
/// properties.
pub fn validate_configure(submission: &Submission, expressions: &dyn Expressions) -> Vec<Problem> {
    let mut c = Checker::new(submission, expressions);
    catalog::check(&mut c);
    variables::check(&mut c);
    if submission.protocols.oidc {
        oidc::check(&mut c);
    }
    if submission.protocols.saml {
        saml::check(&mut c);
    }
    if submission.protocols.scim {
        scim::check(&mut c);
    }
    c.out
}

/// Problems of the Test information page (SPEC 5.1).
pub fn validate_test_info(submission: &Submission) -> Vec<Problem> {
    let expressions = super::expressions::StaticOnly;
    let mut c = Checker::new(submission, &expressions);
    test_info::check(&mut c);
    c.out
}

/// Problems of the Test integration page's own fields (SPEC 5.4): both SCIM result links,
/// static https URLs.
pub fn validate_test_results(submission: &Submission) -> Vec<Problem> {
    if !submission.protocols.scim {
        return Vec::new();
    }
    let expressions = super::expressions::StaticOnly;
    let mut c = Checker::new(submission, &expressions);
    let rule = UrlRule {
        required: true,
        max_chars: None,
        expression: None,
        relaxable: false,
    };
    let links = &submission.scim_test_results;
    c.url(
        "scimTestResults.specResultsUrl",
        "Link to the SCIM API specification test results",
        &links.spec_results_url,
        rule,
    );
    c.url(
        "scimTestResults.crudResultsUrl",
        "Link to the CRUD test results",
        &links.crud_results_url,
        rule,
    );
    c.out
}

/// Problems of one page (the Submit page has no fields of its own; see
/// [`super::submit::unmet_requirements`]).
pub fn validate_page(
    page: Page,
    submission: &Submission,
    expressions: &dyn Expressions,
) -> Vec<Problem> {
    match page {
        Page::SelectProtocol => validate_protocols(submission),
        Page::Configure => validate_configure(submission, expressions),
        Page::TestInfo => validate_test_info(submission),
        Page::TestIntegration => validate_test_results(submission),
        Page::Submit => Vec::new(),
    }
}

/// Problems of every page with fields, in page order.
pub fn validate(submission: &Submission, expressions: &dyn Expressions) -> Vec<Problem> {
    let mut out = validate_protocols(submission);
    out.extend(validate_configure(submission, expressions));
    out.extend(validate_test_info(submission));
    out.extend(validate_test_results(submission));
    out
}

/// A URL field's rules.
#[derive(Clone, Copy)]
pub(crate) struct UrlRule {
    pub required: bool,
    pub max_chars: Option<usize>,
    /// The dialect when expressions are allowed.
    pub expression: Option<Dialect>,
    /// Whether the migrated relaxation (http) applies to this field.
    pub relaxable: bool,
}

/// Collects problems for one submission.
pub(crate) struct Checker<'a> {
    pub s: &'a Submission,
    pub ex: &'a dyn Expressions,
    pub out: Vec<Problem>,
    variables: Vec<String>,
    added: Vec<String>,
}

impl<'a> Checker<'a> {
    fn new(s: &'a Submission, ex: &'a dyn Expressions) -> Self {
        Checker {
            s,
            ex,
            out: Vec::new(),
            variables: s.variable_names(),
            added: s.added_since_published(),
        }
    }

    pub fn error(&mut self, field: impl Into<String>, message: impl Into<String>) {
        self.out.push(Problem::error(field, message));
    }

    pub fn warning(&mut self, field: impl Into<String>, message: impl Into<String>) {
        self.out.push(Problem::warning(field, message));
    }

    /// Required text: error when blank. Returns whether a value is there.
    pub fn required(&mut self, field: &str, what: &str, value: &str) -> bool {
        if is_blank(value) {
            self.error(field, format!("{what} is required"));
            false
        } else {
            true
        }
    }

    /// A length limit in characters: "{what} is N characters; the limit is M".
    pub fn max_chars(&mut self, field: &str, what: &str, value: &str, max: usize) {
        let n = chars(value);
        if n > max {
            self.error(
                field,
                format!("{what} is {n} characters; the limit is {max}"),
            );
        }
    }

    /// A URL field: required, length, expression (through the seam) or static URL.
    pub fn url(&mut self, field: &str, what: &str, value: &str, rule: UrlRule) {
        if is_blank(value) {
            if rule.required {
                self.error(field, format!("{what} is required"));
            }
            return;
        }
        if let Some(max) = rule.max_chars {
            let n = chars(value);
            if n > max {
                self.error(
                    field,
                    format!("{what} is {n} characters; the limit is {max}"),
                );
                return;
            }
        }
        let relaxed = rule.relaxable && self.s.relaxed();
        if rule.expression.is_none() && value.contains('{') {
            self.error(
                field,
                format!("{what} must be a static URL; expressions are not allowed here"),
            );
            return;
        }
        if let Some(dialect) = rule.expression {
            if self.ex.is_expression(dialect, value) {
                self.expression(
                    field,
                    dialect,
                    value,
                    ExprKind::Url {
                        http_allowed: relaxed,
                    },
                );
                return;
            }
        }
        let scheme = if relaxed {
            Scheme::HttpOrHttps
        } else {
            Scheme::Https
        };
        match check_url(what, value, scheme) {
            Err(message) => self.error(field, message),
            Ok(()) => {
                if relaxed
                    && value
                        .get(..7)
                        .is_some_and(|p| p.eq_ignore_ascii_case("http://"))
                {
                    self.warning(
                        field,
                        format!("{what} uses http://; it is kept for this migrated integration, but https:// is safer"),
                    );
                }
            }
        }
    }

    /// Asks the seam about an expression value.
    pub fn expression(&mut self, field: &str, dialect: Dialect, value: &str, kind: ExprKind) {
        let f = ExprField {
            field,
            dialect,
            value,
            kind,
            variables: &self.variables,
            preview_values: &self.s.preview_values,
            added_variables: &self.added,
        };
        let problems = self.ex.problems(&f);
        self.out.extend(problems);
    }
}

pub use saml::{parse_acs_index, split_values};
pub use variables::is_valid_variable_name;
