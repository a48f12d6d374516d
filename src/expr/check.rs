//! Diagnostics that explain (issue 4): syntax, names, functions, dialect mix-ups, SAML `+`,
//! user references, URL results and backwards compatibility.

use super::ast::{Ast, BinOp, NodeId, NodeKind};
use super::eval::{part_text, resolve_fn, resolve_var, Env, VarRef};
use super::functions::Returns;
use super::template::{is_expression, with_split, Segment, Template};
use super::url::check_url;
use super::value::{limit, Value};
use super::{Analysis, CheckOptions, Diagnostic, Dialect, Error, FieldKind, Kind, Severity};
use std::collections::BTreeMap;
use std::ops::Range;

fn diag(e: &Error, severity: Severity) -> Diagnostic {
    Diagnostic {
        span: e.span.clone(),
        severity,
        kind: e.kind,
        message: e.message.clone(),
        hint: e.hint.clone(),
    }
}

/// The source text of a range.
fn text<'a>(src: &'a str, r: &std::ops::Range<usize>) -> &'a str {
    src.get(r.clone()).unwrap_or("")
}

/// Static findings in one tree: names, functions, SAML `+`.
fn check_node(
    dialect: Dialect,
    src: &str,
    ast: &Ast,
    node: NodeId,
    allow_user: bool,
    known: Option<&[String]>,
    out: &mut Vec<Diagnostic>,
) {
    ast.walk(node, &mut |n| match &n.kind {
        NodeKind::Var { root, path } => match resolve_var(
            dialect,
            text(src, root),
            text(src, path),
            &n.span,
            allow_user,
        ) {
            Err(e) => out.push(diag(&e, Severity::Error)),
            Ok(VarRef::Integration(name)) => {
                if let Some(known) = known {
                    if !known.iter().any(|k| k == name) {
                        out.push(unknown_variable(dialect, name, known, &n.span));
                    }
                }
            }
            Ok(VarRef::User(_)) => {}
        },
        NodeKind::Call {
            ns,
            name_len,
            name_span,
            args,
            spec: None,
        } => {
            let nargs = ast.args(args).len();
            let name = text(src, &NodeKind::call_name(name_span, *name_len));
            if let Err(e) = resolve_fn(dialect, src, *ns, name, nargs, name_span) {
                out.push(diag(&e, Severity::Error));
            }
        }
        NodeKind::Binary {
            op: BinOp::Add,
            op_span,
            lhs,
            rhs,
        } if dialect == Dialect::Saml => {
            let (l, r) = (static_type(src, ast, *lhs), static_type(src, ast, *rhs));
            if l == Static::Text || r == Static::Text {
                out.push(Diagnostic {
                    span: op_span.clone(),
                    severity: Severity::Error,
                    kind: Kind::SamlPlus,
                    message: "In SAML `+` adds numbers; it cannot join texts".into(),
                    hint: Some("join texts with `+=`, e.g. 'https://' += org.subdomain".into()),
                });
            } else if l == Static::MaybeText || r == Static::MaybeText {
                out.push(Diagnostic {
                    span: op_span.clone(),
                    severity: Severity::Warning,
                    kind: Kind::SamlPlus,
                    message: "In SAML `+` adds numbers; it fails unless both sides are numbers"
                        .into(),
                    hint: Some("to join texts use `+=`".into()),
                });
            }
        }
        _ => {}
    });
}

fn unknown_variable(
    dialect: Dialect,
    name: &str,
    known: &[String],
    span: &Range<usize>,
) -> Diagnostic {
    let p = dialect.variable_prefix();
    let close = known
        .iter()
        .find(|k| k.eq_ignore_ascii_case(name) || k.replace('_', "") == name.replace('_', ""));
    let hint = match close {
        Some(k) => format!("did you mean {p}.{k}?"),
        None if known.is_empty() => "add it under Integration variables first".into(),
        None => format!(
            "add it under Integration variables, or use one of: {}",
            known
                .iter()
                .map(|k| format!("{p}.{k}"))
                .collect::<Vec<_>>()
                .join(", ")
        ),
    };
    Diagnostic {
        span: span.clone(),
        severity: Severity::Error,
        kind: Kind::UnknownVariable,
        message: format!("Unknown variable `{p}.{name}`: not one of the integration variables"),
        hint: Some(hint),
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Static {
    /// Certainly a non-numeric text.
    Text,
    /// A text that might hold a number (a variable, a function's text result, `+=`).
    MaybeText,
    Other,
}

fn static_type(src: &str, ast: &Ast, id: NodeId) -> Static {
    match &ast.node(id).kind {
        NodeKind::Str(s)
            if !s.text(src).is_empty() && s.text(src).trim().parse::<f64>().is_err() =>
        {
            Static::Text
        }
        NodeKind::Var { .. } => Static::MaybeText,
        NodeKind::Binary {
            op: BinOp::Concat, ..
        } => Static::MaybeText,
        NodeKind::Call { spec, .. } => match spec {
            Some(spec) if spec.returns == Returns::Text => Static::MaybeText,
            _ => Static::Other,
        },
        NodeKind::Cond { then, els, .. } => {
            match (static_type(src, ast, *then), static_type(src, ast, *els)) {
                (Static::Text, Static::Text) => Static::Text,
                (Static::Other, Static::Other) => Static::Other,
                _ => Static::MaybeText,
            }
        }
        _ => Static::Other,
    }
}

/// The error that stops [`evaluate_template`] before evaluating anything: the first syntax
/// error, or the first static error (names, functions, SAML `+` of texts, even in branches
/// not taken, so the result never depends on the values). It depends on the value alone, so
/// a cached value keeps it (see [`super::cache`]).
pub(crate) fn static_error(dialect: Dialect, src: &str, t: &Template) -> Option<Error> {
    if let Some(e) = t.syntax_errors().next() {
        return Some(e.clone());
    }
    if !t.ast.needs_check {
        return None;
    }
    let mut found = Vec::new();
    for n in t.nodes() {
        check_node(dialect, src, &t.ast, n, true, None, &mut found);
    }
    found
        .into_iter()
        .filter(|d| d.severity == Severity::Error)
        .min_by_key(|d| d.span.start)
        .map(|d| Error {
            span: d.span,
            message: d.message,
            hint: d.hint,
            kind: d.kind,
        })
}

/// Evaluates a split template (see [`static_error`] for what fails before evaluating).
pub(crate) fn evaluate_template(
    dialect: Dialect,
    src: &str,
    t: &Template,
    vars: &BTreeMap<String, String>,
) -> Result<String, Error> {
    match static_error(dialect, src, t) {
        Some(e) => Err(e),
        None => eval_segments(dialect, src, t, vars, true),
    }
}

/// The text of every part, joined (no static checks).
pub(crate) fn eval_segments(
    dialect: Dialect,
    src: &str,
    t: &Template,
    vars: &BTreeMap<String, String>,
    allow_user: bool,
) -> Result<String, Error> {
    let env = Env {
        dialect,
        src,
        ast: &t.ast,
        vars,
        allow_user,
    };
    // One part alone is the result as it is (no copy when it is already a new text).
    if let [Segment::Expr { node: Ok(n), span }] = t.segments.as_slice() {
        let out = match env.eval(*n)? {
            // A text (the usual case) as it is, without converting.
            Value::Str(s) => s,
            v => part_text(v, span)?,
        };
        limit(out.len(), span)?;
        return Ok(out.into_owned());
    }
    // About the source's length: the literal text plus what the parts put in their place.
    let mut out = String::with_capacity(src.len() + 16);
    for seg in &t.segments {
        match seg {
            Segment::Text(s) => out.push_str(s.text(src)),
            Segment::Expr { node: Ok(n), span } => {
                match env.eval(*n)? {
                    Value::Str(s) => out.push_str(&s),
                    v => out.push_str(&part_text(v, span)?),
                }
                limit(out.len(), span)?;
            }
            Segment::Expr { node: Err(e), .. } => return Err((**e).clone()),
        }
    }
    Ok(out)
}

pub(crate) fn template_variables(dialect: Dialect, src: &str, t: &Template) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for n in t.nodes() {
        t.ast.walk(n, &mut |n| {
            if let NodeKind::Var { root, path } = &n.kind {
                if let Ok(VarRef::Integration(name)) =
                    resolve_var(dialect, text(src, root), text(src, path), &n.span, true)
                {
                    if !out.iter().any(|o| o == name) {
                        out.push(name.to_string());
                    }
                }
            }
        });
    }
    out
}

/// The diagnostics of `source` in a field described by `opts` (see [`analyze`]).
pub fn check(dialect: Dialect, source: &str, opts: &CheckOptions) -> Vec<Diagnostic> {
    analyze(dialect, source, opts).diagnostics
}

/// Whether a SAML attribute value is a plain Okta reference `user.<attr>` / `appuser.<attr>`.
fn plain_user_reference(source: &str) -> Option<&str> {
    let t = source.trim();
    let (root, attr) = t.split_once('.')?;
    let ident = |s: &str| {
        let mut c = s.chars();
        c.next()
            .is_some_and(|f| f.is_ascii_alphabetic() || f == '_')
            && c.all(|ch| ch.is_ascii_alphanumeric() || ch == '_')
    };
    ((root == "user" || root == "appuser") && ident(attr)).then_some(t)
}

/// A plain attribute value that looks like a user reference but is not an accepted form
/// (`user.profile.email`, `idpuser.email`, `user`): SPEC 4.4 rejects it.
fn plain_rejected_reference(source: &str) -> Option<Diagnostic> {
    let t = source.trim();
    let root = t.split('.').next().unwrap_or("");
    let is_path = !t.is_empty()
        && t.chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '.');
    let user_root = ["user", "appuser", "idpuser", "session"].contains(&root);
    (is_path && user_root && plain_user_reference(t).is_none()).then(|| {
        let start = source.len() - source.trim_start().len();
        Diagnostic {
            span: start..start + t.len(),
            severity: Severity::Error,
            kind: Kind::UserReference,
            message: format!("`{t}` is not an accepted user reference"),
            hint: Some("use ${user.userName}, user.<attribute> or appuser.<attribute>".into()),
        }
    })
}

/// Parses once and returns the preview, the backwards-compatible result and all diagnostics:
/// what the UI calls on every keystroke.
pub fn analyze(dialect: Dialect, source: &str, opts: &CheckOptions) -> Analysis {
    with_split(dialect, source, |t| {
        analyze_parsed(dialect, source, t, opts)
    })
}

/// [`analyze`] with `source` already split into `t`.
pub(crate) fn analyze_parsed(
    dialect: Dialect,
    source: &str,
    t: &Template,
    opts: &CheckOptions,
) -> Analysis {
    let attribute = opts.field == FieldKind::SamlAttributeValue && dialect == Dialect::Saml;
    if attribute {
        if let Some(r) = plain_user_reference(source) {
            return Analysis {
                is_expression: true,
                preview: Some(opts.preview.get(r).cloned().unwrap_or_default()),
                backwards_compatible: None,
                variables: Vec::new(),
                diagnostics: Vec::new(),
            };
        }
        if let Some(d) = plain_rejected_reference(source) {
            return Analysis {
                is_expression: true,
                preview: None,
                backwards_compatible: None,
                variables: Vec::new(),
                diagnostics: vec![d],
            };
        }
    }
    let is_expr = is_expression(dialect, source);
    let mut diagnostics: Vec<Diagnostic> = Vec::new();
    for e in t.syntax_errors() {
        diagnostics.push(diag(e, Severity::Error));
    }
    for w in &t.warnings {
        diagnostics.push(diag(w, Severity::Warning));
    }
    missing_dollar_hints(dialect, source, &mut diagnostics);
    for n in t.nodes() {
        check_node(
            dialect,
            source,
            &t.ast,
            n,
            attribute,
            opts.known_variables.as_deref(),
            &mut diagnostics,
        );
    }
    let variables = template_variables(dialect, source, t);
    let statically_ok = !diagnostics.iter().any(|d| d.severity == Severity::Error);
    let unset: Vec<&String> = variables
        .iter()
        .filter(|v| opts.preview.get(*v).is_none_or(|s| s.is_empty()))
        .collect();
    let p = dialect.variable_prefix();
    let with_empty = |names: &[&String]| -> String {
        names
            .iter()
            .map(|n| format!("{p}.{n}"))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let mut preview = None;
    if statically_ok {
        let env_vars = &opts.preview;
        match eval_segments(dialect, source, t, env_vars, attribute) {
            Ok(s) => preview = Some(s),
            Err(e) => {
                let mut d = diag(
                    &e,
                    if unset.is_empty() {
                        Severity::Error
                    } else {
                        Severity::Warning
                    },
                );
                if !unset.is_empty() {
                    d.message = format!("{} (with {} empty)", d.message, with_empty(&unset));
                }
                diagnostics.push(d);
            }
        }
    }
    let allow_http = match opts.field {
        FieldKind::Url { allow_http } => Some(allow_http),
        _ => None,
    };
    // An empty value is the caller's "required" rule, not a URL problem.
    let empty_static = !is_expr && source.trim().is_empty();
    if let (Some(allow_http), Some(result), false) = (allow_http, &preview, empty_static) {
        if let Err(problem) = check_url(result, allow_http) {
            let (severity, message) = if !is_expr {
                (
                    Severity::Error,
                    format!("Not a complete https URL: {problem}"),
                )
            } else if unset.is_empty() {
                (Severity::Error, format!("With the preview values the result `{result}` is not a valid URL: {problem}"))
            } else {
                (
                    Severity::Warning,
                    format!(
                        "With {} empty the result `{result}` is not a valid URL: {problem}",
                        with_empty(&unset)
                    ),
                )
            };
            diagnostics.push(Diagnostic {
                span: 0..source.len(),
                severity,
                kind: Kind::InvalidUrl,
                message,
                hint: Some(if is_expr {
                    "set preview values for the variables to see the URL a customer gets".into()
                } else {
                    "e.g. https://example.com/sso".into()
                }),
            });
        }
    }
    let mut backwards_compatible = None;
    let added: Vec<&String> = variables
        .iter()
        .filter(|v| opts.added_since_published.contains(v))
        .collect();
    if statically_ok && !added.is_empty() {
        let mut vars = opts.preview.clone();
        for a in &added {
            vars.insert((*a).clone(), String::new());
        }
        match eval_segments(dialect, source, t, &vars, attribute) {
            Ok(result) => {
                if let Some(allow_http) = allow_http {
                    if let Err(problem) = check_url(&result, allow_http) {
                        let first = added.first().map(|s| s.as_str()).unwrap_or("x");
                        diagnostics.push(Diagnostic {
                            span: 0..source.len(),
                            severity: Severity::Warning,
                            kind: Kind::BackwardsCompatibility,
                            message: format!(
                                "Existing instances don't have {} yet: for them the result is `{result}`, not a valid URL: {problem}",
                                with_empty(&added)
                            ),
                            hint: Some(match dialect {
                                Dialect::Saml => format!("fall back when it is empty: ${{empty org.{first} ? 'default' : org.{first}}}"),
                                _ => format!("fall back when it is empty: String.len(app.{first}) == 0 ? 'default' : app.{first}"),
                            }),
                        });
                    }
                }
                backwards_compatible = Some(result);
            }
            Err(e) => diagnostics.push(Diagnostic {
                span: e.span.clone(),
                severity: Severity::Warning,
                kind: Kind::BackwardsCompatibility,
                message: format!(
                    "Existing instances don't have {} yet: for them {}",
                    with_empty(&added),
                    e.message
                ),
                hint: e.hint.clone(),
            }),
        }
    }
    diagnostics.sort_by(|a, b| {
        a.span
            .start
            .cmp(&b.span.start)
            .then(a.severity.cmp(&b.severity))
    });
    Analysis {
        is_expression: is_expr,
        preview,
        backwards_compatible,
        variables,
        diagnostics,
    }
}

/// SPEC 6: `?connection={org.companyId}` (no `$`) in SAML, or `${app.x}` in OIDC, are typos.
fn missing_dollar_hints(dialect: Dialect, source: &str, out: &mut Vec<Diagnostic>) {
    let b = source.as_bytes();
    for (i, _) in source.match_indices('{') {
        let prev_dollar = i > 0 && b.get(i - 1) == Some(&b'$');
        let rest = source.get(i + 1..).unwrap_or("").trim_start();
        let looks = ["org.", "app.", "fn:", "String.", "empty ", "user."]
            .iter()
            .any(|p| rest.starts_with(p));
        match dialect {
            Dialect::Saml if !prev_dollar && looks => out.push(Diagnostic {
                span: i..i + 1,
                severity: Severity::Warning,
                kind: Kind::Syntax,
                message: "This `{` is kept as text: SAML expressions start with `${`".into(),
                hint: Some("write ${org.name}".into()),
            }),
            Dialect::Oidc if prev_dollar => out.push(Diagnostic {
                span: i - 1..i,
                severity: Severity::Warning,
                kind: Kind::Syntax,
                message: "This `$` is kept as text: OIDC expressions are written `{…}`".into(),
                hint: Some("delete the `$`: {app.name}".into()),
            }),
            _ => {}
        }
    }
}
