//! Splitting a property value into literal text and expression parts (SPEC 6): OIDC `{…}`,
//! SAML `${…}`, SCIM the whole value.

use super::ast::Node;
use super::lexer::lex;
use super::parser::parse;
use super::{Dialect, Error, Kind};
use std::ops::Range;

pub(crate) enum Segment {
    /// Literal text (escapes already resolved).
    Text(String),
    /// One expression part: its tree, or the syntax error that stopped it.
    Expr {
        span: Range<usize>,
        node: Result<Node, Error>,
    },
}

pub(crate) struct Template {
    pub segments: Vec<Segment>,
    /// Problems in the literal text that do not stop evaluation (a stray `}` in OIDC).
    pub warnings: Vec<Error>,
}

impl Template {
    pub fn nodes(&self) -> impl Iterator<Item = &Node> {
        self.segments.iter().filter_map(|s| match s {
            Segment::Expr { node: Ok(n), .. } => Some(n),
            _ => None,
        })
    }

    pub fn syntax_errors(&self) -> impl Iterator<Item = &Error> {
        self.segments.iter().filter_map(|s| match s {
            Segment::Expr { node: Err(e), .. } => Some(e),
            _ => None,
        })
    }
}

/// Whether the value contains expression syntax at all (SPEC 6: a static value is checked as
/// a URL directly). OIDC: any `{`. SAML: a `${` not escaped as `\${`. SCIM: the value starts
/// like an expression (a quote, `(`, `!`, `{`, or `app.`/`org.`/`String.`/`fn:`/`user.`/`appuser.`),
/// not like a URL.
pub fn is_expression(dialect: Dialect, source: &str) -> bool {
    match dialect {
        Dialect::Oidc => source.contains('{'),
        Dialect::Saml => {
            let b = source.as_bytes();
            (0..b.len()).any(|i| {
                b.get(i) == Some(&b'$')
                    && b.get(i + 1) == Some(&b'{')
                    && (i == 0 || b.get(i - 1) != Some(&b'\\'))
            })
        }
        Dialect::Scim => {
            let t = source.trim_start();
            if t.starts_with(['\'', '"', '(', '!', '{']) {
                return true;
            }
            ["app.", "org.", "String.", "fn:", "user.", "appuser."]
                .iter()
                .any(|p| t.starts_with(p))
        }
    }
}

pub(crate) fn split(dialect: Dialect, src: &str) -> Template {
    let mut segments = Vec::new();
    let mut warnings = Vec::new();
    if dialect == Dialect::Scim {
        if is_expression(dialect, src) {
            let mut lexed = lex(dialect, src, 0, false);
            let node = match lexed.error {
                Some(e) => Err(e),
                None => parse(dialect, &mut lexed.tokens, src.len(), false, 0),
            };
            segments.push(Segment::Expr {
                span: 0..src.len(),
                node,
            });
        } else {
            segments.push(Segment::Text(src.to_string()));
        }
        return Template { segments, warnings };
    }
    let bytes = src.as_bytes();
    let mut text = String::new();
    let mut text_start = 0; // start of the pending literal run
    let mut i = 0;
    while i < bytes.len() {
        let Some(&b) = bytes.get(i) else { break };
        let opener = match dialect {
            Dialect::Saml
                if b == b'\\'
                    && bytes.get(i + 1) == Some(&b'$')
                    && bytes.get(i + 2) == Some(&b'{') =>
            {
                // `\${` is a literal `${`.
                push_text(&mut text, src, text_start, i);
                text.push_str("${");
                i += 3;
                text_start = i;
                continue;
            }
            Dialect::Saml if b == b'$' && bytes.get(i + 1) == Some(&b'{') => Some(2),
            Dialect::Oidc if b == b'{' => Some(1),
            Dialect::Oidc if b == b'}' => {
                warnings.push(Error {
                    span: i..i + 1,
                    message: "Unmatched `}` is kept as text".into(),
                    hint: Some("delete it, or add the `{` that starts the expression".into()),
                    kind: Kind::Syntax,
                });
                None
            }
            _ => None,
        };
        let Some(w) = opener else {
            i += 1;
            continue;
        };
        push_text(&mut text, src, text_start, i);
        if !text.is_empty() {
            segments.push(Segment::Text(std::mem::take(&mut text)));
        }
        let open = i..i + w;
        let mut lexed = lex(dialect, src, i + w, true);
        let node = if let Some(e) = lexed.error {
            Err(e)
        } else if !lexed.closed {
            let opener = if dialect == Dialect::Saml { "${" } else { "{" };
            Err(Error {
                span: open.clone(),
                message: format!("Unclosed `{opener}`"),
                hint: Some(format!(
                    "add `}}` where the expression ends, e.g. {opener}{}}}",
                    if dialect == Dialect::Saml {
                        "org.subdomain"
                    } else {
                        "app.subdomain"
                    }
                )),
                kind: Kind::Syntax,
            })
        } else {
            parse(
                dialect,
                &mut lexed.tokens,
                lexed.end.saturating_sub(1),
                true,
                i + w,
            )
        };
        segments.push(Segment::Expr {
            span: open.start..lexed.end,
            node,
        });
        i = lexed.end.max(i + w);
        text_start = i;
    }
    push_text(&mut text, src, text_start, src.len());
    if !text.is_empty() {
        segments.push(Segment::Text(text));
    }
    Template { segments, warnings }
}

fn push_text(out: &mut String, src: &str, from: usize, to: usize) {
    if let Some(s) = src.get(from..to) {
        out.push_str(s);
    }
}
