//! Splitting a property value into literal text and expression parts (SPEC 6): OIDC `{…}`,
//! SAML `${…}`, SCIM the whole value.

use super::ast::{Ast, Lit, NodeId};
use super::lexer::{lex, Token};
use super::parser::parse;
use super::{Dialect, Error, Kind};
use std::cell::RefCell;
use std::ops::Range;

#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Segment {
    /// Literal text (escapes already resolved).
    Text(Lit),
    /// One expression part: its tree's root in [`Template::ast`], or the syntax error that
    /// stopped it (boxed: a segment stays small).
    Expr {
        span: Range<usize>,
        node: Result<NodeId, Box<Error>>,
    },
}

/// A property value split into parts and parsed. Ranges point into the source it was split
/// from, which every reader passes along with it.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Template {
    pub segments: Vec<Segment>,
    /// Problems in the literal text that do not stop evaluation (a stray `}` in OIDC).
    pub warnings: Vec<Error>,
    /// The nodes of every part.
    pub ast: Ast,
}

impl Template {
    /// The roots of the parts that parsed.
    pub fn nodes(&self) -> impl Iterator<Item = NodeId> + '_ {
        self.segments.iter().filter_map(|s| match s {
            Segment::Expr { node: Ok(n), .. } => Some(*n),
            _ => None,
        })
    }

    pub fn syntax_errors(&self) -> impl Iterator<Item = &Error> {
        self.segments.iter().filter_map(|s| match s {
            Segment::Expr { node: Err(e), .. } => Some(&**e),
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

/// How many tokens (and nodes) a source of this length usually needs: one allocation each.
fn capacity(src: &str) -> usize {
    (src.len() / 4 + 8).min(256)
}

/// Splits and parses `src` into a new template (to keep, see [`super::cache`]).
pub(crate) fn split(dialect: Dialect, src: &str) -> Template {
    let mut t = Template {
        segments: Vec::with_capacity(if dialect == Dialect::Scim { 1 } else { 4 }),
        warnings: Vec::new(),
        ast: Ast::with_capacity(capacity(src)),
    };
    split_into(dialect, src, &mut t, &mut Vec::with_capacity(capacity(src)));
    t
}

/// The buffers of [`with_split`]: a template and a token vector, reused by every call on the
/// thread instead of allocated and freed each time.
struct Scratch {
    template: Template,
    tokens: Vec<Token>,
}

/// Scratch buffers that grew beyond this (bytes, about) are freed after use.
const SCRATCH_KEEP: usize = 16 * 1024;

thread_local! {
    static SCRATCH: RefCell<Scratch> = RefCell::new(Scratch {
        template: Template {
            segments: Vec::new(),
            warnings: Vec::new(),
            ast: Ast::default(),
        },
        tokens: Vec::new(),
    });
}

/// Calls `f` with `src` split and parsed, in the thread's scratch buffers (what a one-off
/// evaluation needs: nothing of the template is kept).
pub(crate) fn with_split<R>(dialect: Dialect, src: &str, f: impl FnOnce(&Template) -> R) -> R {
    SCRATCH.with(|cell| match cell.try_borrow_mut() {
        Ok(mut scratch) => {
            let Scratch { template, tokens } = &mut *scratch;
            split_into(dialect, src, template, tokens);
            let r = f(template);
            if template.ast.heap_bytes() + tokens.capacity() * std::mem::size_of::<Token>()
                > SCRATCH_KEEP
            {
                *template = Template {
                    segments: Vec::new(),
                    warnings: Vec::new(),
                    ast: Ast::default(),
                };
                *tokens = Vec::new();
            }
            r
        }
        // Only if `f` itself splits again: then with buffers of its own.
        Err(_) => f(&split(dialect, src)),
    })
}

/// Splits and parses `src` into `t` (emptied first), lexing each part into `tokens`.
fn split_into(dialect: Dialect, src: &str, t: &mut Template, tokens: &mut Vec<Token>) {
    t.segments.clear();
    t.warnings.clear();
    t.ast.clear();
    let Template {
        segments,
        warnings,
        ast,
    } = t;
    if dialect == Dialect::Scim {
        if is_expression(dialect, src) {
            let lexed = lex(dialect, src, 0, false, tokens);
            let node = match lexed.error {
                Some(e) => Err(e),
                None => parse(dialect, src, tokens, ast, src.len(), false, 0).map_err(Box::new),
            };
            segments.push(Segment::Expr {
                span: 0..src.len(),
                node,
            });
        } else {
            segments.push(Segment::Text(Lit::Src(0..src.len())));
        }
        return;
    }
    let bytes = src.as_bytes();
    // The pending literal run starts at `run_start`; `text` holds it with its escapes
    // resolved up to `text_start` once it has one (otherwise it is a plain range).
    let mut text: Option<String> = None;
    let mut run_start = 0;
    let mut text_start = 0;
    let mut i = 0;
    while i < bytes.len() {
        // Skip the literal text up to the next byte that can matter (one search).
        match next_special(dialect, bytes, i) {
            Some(k) => i = k,
            None => break,
        }
        let Some(&b) = bytes.get(i) else { break };
        let opener = match dialect {
            Dialect::Saml
                if b == b'\\'
                    && bytes.get(i + 1) == Some(&b'$')
                    && bytes.get(i + 2) == Some(&b'{') =>
            {
                // `\${` is a literal `${`.
                let t = text.get_or_insert_with(String::new);
                push_text(t, src, text_start, i);
                t.push_str("${");
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
        flush_text(segments, &mut text, src, run_start, text_start, i);
        let open = i..i + w;
        let lexed = lex(dialect, src, i + w, true, tokens);
        let node = if let Some(e) = lexed.error {
            Err(e)
        } else if !lexed.closed {
            let opener = if dialect == Dialect::Saml { "${" } else { "{" };
            Err(Box::new(Error {
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
            }))
        } else {
            parse(
                dialect,
                src,
                tokens,
                ast,
                lexed.end.saturating_sub(1),
                true,
                i + w,
            )
            .map_err(Box::new)
        };
        segments.push(Segment::Expr {
            span: open.start..lexed.end,
            node,
        });
        i = lexed.end.max(i + w);
        text_start = i;
        run_start = i;
    }
    flush_text(segments, &mut text, src, run_start, text_start, src.len());
}

/// Where, from `from` on, the next byte that may start an expression part, an escape or a
/// stray `}` is: OIDC a `{` or `}`; SAML the `$` of a `${`, or the `\\` of a `\\${` (found from
/// their `{`; bytes before `from` are already taken).
fn next_special(dialect: Dialect, bytes: &[u8], from: usize) -> Option<usize> {
    let rest = bytes.get(from..)?;
    if dialect != Dialect::Saml {
        return rest
            .iter()
            .position(|&b| b == b'{' || b == b'}')
            .map(|k| from + k);
    }
    let mut at = from;
    loop {
        let j = at + bytes.get(at..)?.iter().position(|&b| b == b'{')?;
        if j > from && bytes.get(j - 1) == Some(&b'$') {
            let escaped = j - 1 > from && bytes.get(j - 2) == Some(&b'\\');
            return Some(if escaped { j - 2 } else { j - 1 });
        }
        at = j + 1;
    }
}

/// Ends the literal run `run_start..end` (with escapes resolved in `text` up to `text_start`,
/// when it had any): a text segment unless it is empty.
fn flush_text(
    segments: &mut Vec<Segment>,
    text: &mut Option<String>,
    src: &str,
    run_start: usize,
    text_start: usize,
    end: usize,
) {
    let lit = match text.take() {
        Some(mut t) => {
            push_text(&mut t, src, text_start, end);
            if t.is_empty() {
                return;
            }
            Lit::Owned(t.into_boxed_str())
        }
        None if run_start < end => Lit::Src(run_start..end),
        None => return,
    };
    segments.push(Segment::Text(lit));
}

fn push_text(out: &mut String, src: &str, from: usize, to: usize) {
    if let Some(s) = src.get(from..to) {
        out.push_str(s);
    }
}
