//! Name resolution and evaluation: Jakarta EL rules (SAML) and SpEL rules (OIDC, SCIM).

use super::ast::{Ast, BinOp, NodeId, NodeKind, Ns, UnOp};
use super::functions::{self, apply, Arg, FnSpec};
use super::value::{concat, java_double, limit, utf16_cmp, Value};
use super::{Dialect, Error, Kind};
use std::borrow::Cow;
use std::cmp::Ordering;
use std::collections::BTreeMap;
use std::ops::Range;

/// What a variable reference resolves to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum VarRef<'a> {
    /// An integration variable, by bare name.
    Integration(&'a str),
    /// A user attribute in a SAML attribute statement: `user.<attr>` or `appuser.<attr>`.
    User(String),
}

fn prefix(dialect: Dialect) -> &'static str {
    match dialect {
        Dialect::Saml => "org",
        Dialect::Oidc | Dialect::Scim => "app",
    }
}

fn dialect_name(dialect: Dialect) -> &'static str {
    match dialect {
        Dialect::Oidc => "OIDC",
        Dialect::Saml => "SAML",
        Dialect::Scim => "SCIM",
    }
}

/// Resolves `root.path…` (`path`: the names after `root.` as written, separated by `.` and
/// maybe spaces; empty for a bare name); `allow_user` admits `user.<attr>`/`appuser.<attr>`
/// (SAML only).
pub(crate) fn resolve_var<'a>(
    dialect: Dialect,
    root: &str,
    path: &'a str,
    span: &Range<usize>,
    allow_user: bool,
) -> Result<VarRef<'a>, Error> {
    let p = prefix(dialect);
    // The common case first, without allocating.
    if root == p && !path.is_empty() && !path.as_bytes().contains(&b'.') {
        return Ok(VarRef::Integration(path));
    }
    let path: Vec<&'a str> = if path.is_empty() {
        Vec::new()
    } else {
        path.split('.').map(str::trim).collect()
    };
    let path = path.as_slice();
    let full = std::iter::once(root)
        .chain(path.iter().copied())
        .collect::<Vec<_>>()
        .join(".");
    let err = |kind: Kind, message: String, hint: Option<String>| Error {
        span: span.clone(),
        message,
        hint,
        kind,
    };
    let other = if dialect == Dialect::Saml {
        "app"
    } else {
        "org"
    };
    match (root, path) {
        (r, [name]) if r == p => Ok(VarRef::Integration(name)),
        (r, [name]) if r == other => Err(err(
            Kind::WrongPrefix,
            format!(
                "`{full}` uses the wrong prefix for {} properties",
                dialect_name(dialect)
            ),
            Some(format!("write `{p}.{name}`")),
        )),
        (r, []) if r == p || r == other => Err(err(
            Kind::UnknownName,
            format!("`{r}` needs a variable name after it"),
            Some(format!("write `{p}.<name>`, e.g. `{p}.subdomain`")),
        )),
        (r, [_, ..]) if r == p || r == other => Err(err(
            Kind::UnknownName,
            format!("`{full}`: a variable has a single name after `{r}.`"),
            Some(format!("write `{p}.<name>`")),
        )),
        ("user" | "appuser", [_]) if dialect == Dialect::Saml && allow_user => {
            Ok(VarRef::User(full))
        }
        ("user" | "appuser", [_]) if dialect == Dialect::Saml => Err(err(
            Kind::UserReference,
            format!("`{full}` is only available in attribute statements"),
            Some(format!("URLs use integration variables: `{p}.<name>`")),
        )),
        ("user" | "appuser" | "idpuser" | "session" | "group" | "groups" | "org" | "app", _)
            if dialect == Dialect::Saml && allow_user =>
        {
            Err(err(
                Kind::UserReference,
                format!("`{full}` is not an accepted user reference"),
                Some("use ${user.userName}, user.<attribute> or appuser.<attribute>".into()),
            ))
        }
        ("user" | "appuser" | "idpuser" | "session", _) => Err(err(
            Kind::UserReference,
            format!(
                "`{full}` is not available in {} properties",
                dialect_name(dialect)
            ),
            Some(format!("use integration variables: `{p}.<name>`")),
        )),
        ("String", [name]) => Err(err(
            Kind::UnknownName,
            format!("`String.{name}` is a function: call it with arguments"),
            Some(format!("e.g. String.{name}({p}.subdomain)")),
        )),
        _ => Err(err(
            Kind::UnknownName,
            format!("Unknown name `{full}`"),
            Some(format!(
                "integration variables are written `{p}.<name>`; texts are quoted: '{full}'"
            )),
        )),
    }
}

/// The namespace of a call written `prefix:name(…)` or `a.b.name(…)` (`name_span` in `src`,
/// ending with `name`), as `prefix` or `a.b` without spaces.
fn ns_prefix(src: &str, name_span: &Range<usize>, name: &str) -> String {
    let before = src
        .get(name_span.start..name_span.end.saturating_sub(name.len()))
        .unwrap_or("")
        .trim_end_matches(':');
    let parts: Vec<&str> = before
        .split('.')
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .collect();
    parts.join(".")
}

/// Resolves a call to a function of the dialect's library and checks its argument count.
pub(crate) fn resolve_fn(
    dialect: Dialect,
    src: &str,
    ns: Ns,
    name: &str,
    nargs: usize,
    name_span: &Range<usize>,
) -> Result<&'static FnSpec, Error> {
    let err = |kind: Kind, message: String, hint: Option<String>| Error {
        span: name_span.clone(),
        message,
        hint,
        kind,
    };
    let (lib, shown) = match (ns, dialect) {
        (Ns::Okta, Dialect::Oidc | Dialect::Scim) => (functions::OKTA, "String."),
        (Ns::Jstl, Dialect::Saml) => (functions::JSTL, "fn:"),
        (Ns::Okta, Dialect::Saml) => {
            let hint = match functions::find(functions::OKTA, name) {
                Some(s) => format!("use {}", s.other),
                None => "use the JSTL fn:* functions".into(),
            };
            return Err(err(
                Kind::WrongDialect,
                format!("`String.{name}` is not supported in SAML properties"),
                Some(hint),
            ));
        }
        (Ns::Jstl, _) => {
            let hint = match functions::find(functions::JSTL, name) {
                Some(s) => format!("use {}", s.other),
                None => "use the Okta String.* functions".into(),
            };
            return Err(err(
                Kind::WrongDialect,
                format!(
                    "`fn:{name}` is a SAML function, not available in {} properties",
                    dialect_name(dialect)
                ),
                Some(hint),
            ));
        }
        (Ns::Other, _) => {
            let p = ns_prefix(src, name_span, name);
            let right = if dialect == Dialect::Saml {
                "fn:"
            } else {
                "String."
            };
            return Err(err(
                Kind::UnknownFunction,
                format!("Unknown function `{p}.{name}`"),
                Some(format!("functions are written {right}<name>(…)")),
            ));
        }
        (Ns::None, _) => {
            let (lib, right) = if dialect == Dialect::Saml {
                (functions::JSTL, "fn:")
            } else {
                (functions::OKTA, "String.")
            };
            let hint = match functions::suggest(lib, name) {
                Some(s) => format!("write {right}{s}(…)"),
                None => format!("functions are written {right}<name>(…)"),
            };
            return Err(err(
                Kind::UnknownFunction,
                format!("Unknown function `{name}`"),
                Some(hint),
            ));
        }
    };
    let Some(spec) = functions::find(lib, name) else {
        let hint = match functions::suggest(lib, name) {
            Some(s) => format!("did you mean {shown}{s}?"),
            None => format!(
                "available: {}",
                lib.iter().map(|s| s.name).collect::<Vec<_>>().join(", ")
            ),
        };
        return Err(err(
            Kind::UnknownFunction,
            format!("Unknown function `{shown}{name}`"),
            Some(hint),
        ));
    };
    let ok = nargs >= spec.min
        && spec.max.is_none_or(|m| nargs <= m)
        && (spec.func != functions::Func::StringSwitch || nargs.is_multiple_of(2));
    if !ok {
        let expected = match spec.max {
            Some(m) if m == spec.min => format!("{m} argument{}", if m == 1 { "" } else { "s" }),
            _ if spec.func == functions::Func::StringSwitch => {
                "an input, a default and key/value pairs".into()
            }
            _ => format!(
                "at least {} argument{}",
                spec.min,
                if spec.min == 1 { "" } else { "s" }
            ),
        };
        return Err(err(
            Kind::Arity,
            format!("`{shown}{name}` takes {expected}, got {nargs}"),
            Some(format!("{shown}{name}({})", spec.params)),
        ));
    }
    Ok(spec)
}

/// The evaluation context of one run: the parsed value, its source, the variables.
pub(crate) struct Env<'a> {
    pub dialect: Dialect,
    pub src: &'a str,
    pub ast: &'a Ast,
    pub vars: &'a BTreeMap<String, String>,
    pub allow_user: bool,
}

fn type_err(span: &Range<usize>, message: String, hint: Option<&str>) -> Error {
    Error {
        span: span.clone(),
        message,
        hint: hint.map(str::to_string),
        kind: Kind::Type,
    }
}

impl<'a> Env<'a> {
    #[inline(always)]
    fn text(&self, r: &Range<usize>) -> &'a str {
        self.src.get(r.clone()).unwrap_or("")
    }

    /// Calls `spec` with the values of the `N` arguments `ids` (out of line: `eval` keeps a
    /// small frame).
    #[inline(never)]
    fn call<const N: usize>(
        &self,
        spec: &FnSpec,
        ids: &[NodeId],
        span: &Range<usize>,
    ) -> Result<Value<'a>, Error> {
        let mut args: [Arg<'a>; N] = std::array::from_fn(|_| Arg::default());
        for (slot, &a) in args.iter_mut().zip(ids) {
            slot.value = self.eval(a)?;
            slot.span = self.ast.node(a).span.clone();
        }
        apply(spec.func, &mut args, span)
    }

    pub fn eval(&self, id: NodeId) -> Result<Value<'a>, Error> {
        let ast = self.ast;
        let node = ast.node(id);
        match &node.kind {
            NodeKind::Str(s) => Ok(Value::Str(Cow::Borrowed(s.text(self.src)))),
            NodeKind::Int(n) => Ok(Value::Int(*n)),
            NodeKind::Float(f) => Ok(Value::Float(*f)),
            NodeKind::Bool(b) => Ok(Value::Bool(*b)),
            NodeKind::Null => Ok(Value::Null),
            NodeKind::Var { root, path } => {
                let (root, path) = (self.text(root), self.text(path));
                let value =
                    match resolve_var(self.dialect, root, path, &node.span, self.allow_user)? {
                        VarRef::Integration(n) => self.vars.get(n),
                        VarRef::User(n) => self.vars.get(&n),
                    };
                // SPEC 6: a variable the customer has not set is "".
                Ok(Value::Str(Cow::Borrowed(value.map_or("", String::as_str))))
            }
            NodeKind::Call {
                ns,
                name_len,
                name_span,
                args,
                spec,
            } => {
                let ids = ast.args(args);
                let spec = match spec {
                    Some(spec) => spec,
                    None => resolve_fn(
                        self.dialect,
                        self.src,
                        *ns,
                        self.text(&NodeKind::call_name(name_span, *name_len)),
                        ids.len(),
                        name_span,
                    )?,
                };
                // Up to three arguments (all but `join` and `stringSwitch`) on the stack, in
                // an array of their number.
                match ids.len() {
                    1 => self.call::<1>(spec, ids, &node.span),
                    2 => self.call::<2>(spec, ids, &node.span),
                    3 => self.call::<3>(spec, ids, &node.span),
                    _ => {
                        let mut args = Vec::with_capacity(ids.len());
                        for &a in ids {
                            args.push(Arg {
                                value: self.eval(a)?,
                                span: ast.node(a).span.clone(),
                            });
                        }
                        apply(spec.func, &mut args, &node.span)
                    }
                }
            }
            NodeKind::Unary { op, operand } => {
                let v = self.eval(*operand)?;
                let operand = ast.node(*operand);
                match (op, self.dialect) {
                    (UnOp::Empty, _) => Ok(Value::Bool(match &v {
                        Value::Null => true,
                        Value::Str(s) => s.is_empty(),
                        Value::List(l) => l.is_empty(),
                        _ => false,
                    })),
                    (UnOp::Not, Dialect::Saml) => {
                        Ok(Value::Bool(!el_bool(&v, &operand.span, "not")?))
                    }
                    (UnOp::Not, _) => Ok(Value::Bool(!spel_bool(&v, &operand.span, "!")?)),
                    (UnOp::Neg, Dialect::Saml) => Ok(match el_num(&v, &operand.span, "-")? {
                        Num::L(n) => Value::Int(n.wrapping_neg()),
                        Num::D(d) => Value::Float(-d),
                    }),
                    (UnOp::Neg, _) => match v {
                        Value::Int(n) => Ok(Value::Int(n.wrapping_neg())),
                        Value::Float(d) => Ok(Value::Float(-d)),
                        v => Err(type_err(
                            &operand.span,
                            format!("`-` needs a number, got {}", v.describe()),
                            None,
                        )),
                    },
                }
            }
            NodeKind::Binary {
                op,
                op_span,
                lhs,
                rhs,
            } => {
                let saml = self.dialect == Dialect::Saml;
                let (lhs_id, rhs_id) = (*lhs, *rhs);
                let (lhs, rhs) = (ast.node(lhs_id), ast.node(rhs_id));
                match op {
                    BinOp::And | BinOp::Or => {
                        let l = self.eval(lhs_id)?;
                        let word = if *op == BinOp::And { "&&" } else { "||" };
                        let lb = if saml {
                            el_bool(&l, &lhs.span, word)?
                        } else {
                            spel_bool(&l, &lhs.span, word)?
                        };
                        if (*op == BinOp::And) != lb {
                            return Ok(Value::Bool(lb));
                        }
                        let r = self.eval(rhs_id)?;
                        Ok(Value::Bool(if saml {
                            el_bool(&r, &rhs.span, word)?
                        } else {
                            spel_bool(&r, &rhs.span, word)?
                        }))
                    }
                    _ => {
                        let l = self.eval(lhs_id)?;
                        let r = self.eval(rhs_id)?;
                        // Joining texts: `+=` in EL, `+` with a text on either side in SpEL.
                        // Into the left side's buffer when it has one.
                        let joins = if saml {
                            *op == BinOp::Concat
                        } else {
                            *op == BinOp::Add
                                && (matches!(l, Value::Str(_)) || matches!(r, Value::Str(_)))
                        };
                        if joins {
                            // Two texts (the usual case) as they are, without converting.
                            let joined = match (l, r) {
                                (Value::Str(a), Value::Str(b)) => concat(a, b, &node.span)?,
                                (l, r) => concat(
                                    l.into_text(&lhs.span)?,
                                    r.into_text(&rhs.span)?,
                                    &node.span,
                                )?,
                            };
                            return Ok(Value::Str(joined));
                        }
                        let sides = Sides {
                            l: &l,
                            r: &r,
                            ls: &lhs.span,
                            rs: &rhs.span,
                            op: *op,
                            op_span,
                            span: &node.span,
                        };
                        if saml {
                            el_binary(&sides)
                        } else {
                            spel_binary(&sides)
                        }
                    }
                }
            }
            NodeKind::Cond { cond, then, els } => {
                let c = self.eval(*cond)?;
                let cond_span = &ast.node(*cond).span;
                let b = if self.dialect == Dialect::Saml {
                    el_bool(&c, cond_span, "?")?
                } else {
                    spel_bool(&c, cond_span, "?")?
                };
                self.eval(if b { *then } else { *els })
            }
            NodeKind::Elvis { lhs, rhs } => {
                let l = self.eval(*lhs)?;
                match &l {
                    Value::Null => self.eval(*rhs),
                    Value::Str(s) if s.is_empty() => self.eval(*rhs),
                    _ => Ok(l),
                }
            }
        }
    }
}

struct Sides<'a, 'v> {
    l: &'a Value<'v>,
    r: &'a Value<'v>,
    ls: &'a Range<usize>,
    rs: &'a Range<usize>,
    op: BinOp,
    op_span: &'a Range<usize>,
    span: &'a Range<usize>,
}

/// SpEL: a condition must be a boolean (the texts "true"/"false" convert).
fn spel_bool(v: &Value, span: &Range<usize>, op: &str) -> Result<bool, Error> {
    match v {
        Value::Bool(b) => Ok(*b),
        Value::Str(s) if s.eq_ignore_ascii_case("true") => Ok(true),
        Value::Str(s) if s.eq_ignore_ascii_case("false") => Ok(false),
        v => Err(type_err(
            span,
            format!("`{op}` needs true or false, got {}", v.describe()),
            Some("compare it, e.g. app.region == 'us' or String.len(app.x) == 0"),
        )),
    }
}

/// EL coercion to Boolean: null and "" are false, a text is true only if it reads "true".
fn el_bool(v: &Value, span: &Range<usize>, op: &str) -> Result<bool, Error> {
    match v {
        Value::Null => Ok(false),
        Value::Bool(b) => Ok(*b),
        Value::Str(s) => Ok(s.eq_ignore_ascii_case("true")),
        v => Err(type_err(
            span,
            format!("`{op}` needs true or false, got {}", v.describe()),
            Some("compare it, e.g. org.region eq 'us' or empty org.x"),
        )),
    }
}

#[derive(Clone, Copy)]
enum Num {
    L(i64),
    D(f64),
}

impl Num {
    fn f(self) -> f64 {
        match self {
            Num::L(n) => n as f64,
            Num::D(d) => d,
        }
    }
}

/// EL: whether a value makes arithmetic use Double (a Double, or a text with `.`, `e`, `E`).
fn el_doubleish(v: &Value) -> bool {
    match v {
        Value::Float(_) => true,
        Value::Str(s) => s.contains(['.', 'e', 'E']),
        _ => false,
    }
}

fn not_a_number(v: &Value, span: &Range<usize>, op: &str) -> Error {
    let (message, hint) = if op == "+" {
        (
            format!(
                "In SAML `+` adds numbers, and {} is not a number",
                v.describe()
            ),
            Some("join texts with `+=`, e.g. 'https://' += org.subdomain"),
        )
    } else {
        (
            format!("`{op}` needs numbers, and {} is not a number", v.describe()),
            None,
        )
    };
    type_err(span, message, hint)
}

/// EL coercion to a number: null and "" are 0.
fn el_num(v: &Value, span: &Range<usize>, op: &str) -> Result<Num, Error> {
    match v {
        Value::Null => Ok(Num::L(0)),
        Value::Int(n) => Ok(Num::L(*n)),
        Value::Float(d) => Ok(Num::D(*d)),
        Value::Str(s) if s.is_empty() => Ok(Num::L(0)),
        Value::Str(s) if el_doubleish(v) => java_parse_double(s)
            .map(Num::D)
            .ok_or_else(|| not_a_number(v, span, op)),
        Value::Str(s) => s
            .parse::<i64>()
            .map(Num::L)
            .map_err(|_| not_a_number(v, span, op)),
        v => Err(not_a_number(v, span, op)),
    }
}

fn el_num_as(v: &Value, span: &Range<usize>, op: &str, double: bool) -> Result<Num, Error> {
    let n = match v {
        // Coercing a text to Long when the other side is a Long: Long.valueOf (no fraction).
        Value::Str(s) if !double && !s.is_empty() => s
            .parse::<i64>()
            .map(Num::L)
            .map_err(|_| not_a_number(v, span, op))?,
        Value::Str(s) if double && !s.is_empty() => java_parse_double(s)
            .map(Num::D)
            .ok_or_else(|| not_a_number(v, span, op))?,
        _ => el_num(v, span, op)?,
    };
    Ok(if double { Num::D(n.f()) } else { n })
}

/// Java's `Double.valueOf` for the forms people type (no hex, no `d`/`f` suffix).
fn java_parse_double(s: &str) -> Option<f64> {
    let t = s.trim();
    if t.is_empty()
        || !t
            .bytes()
            .all(|b| b.is_ascii_digit() || matches!(b, b'.' | b'e' | b'E' | b'+' | b'-'))
    {
        return None;
    }
    t.parse::<f64>().ok()
}

/// An EL operator other than `&&`/`||` (texts are joined by the caller, see `Env::eval`).
fn el_binary(s: &Sides) -> Result<Value<'static>, Error> {
    let (l, r) = (s.l, s.r);
    let sym = s.op.symbol();
    match s.op {
        BinOp::Concat => {
            let a = l.to_text(s.ls)?;
            let b = r.to_text(s.rs)?;
            limit(a.len() + b.len(), s.span)?;
            Ok(Value::Str(Cow::Owned(a.into_owned() + &b)))
        }
        BinOp::Add | BinOp::Sub | BinOp::Mul | BinOp::Mod => {
            let double = el_doubleish(l) || el_doubleish(r);
            let a = el_num_as(l, s.ls, sym, double)?;
            let b = el_num_as(r, s.rs, sym, double)?;
            Ok(match (a, b) {
                (Num::L(x), Num::L(y)) => Value::Int(match s.op {
                    BinOp::Add => x.wrapping_add(y),
                    BinOp::Sub => x.wrapping_sub(y),
                    BinOp::Mul => x.wrapping_mul(y),
                    _ => {
                        if y == 0 {
                            return Err(Error {
                                span: s.op_span.clone(),
                                message: "Division by zero".into(),
                                hint: None,
                                kind: Kind::Evaluation,
                            });
                        }
                        x.checked_rem(y).unwrap_or(0)
                    }
                }),
                (a, b) => Value::Float(match s.op {
                    BinOp::Add => a.f() + b.f(),
                    BinOp::Sub => a.f() - b.f(),
                    BinOp::Mul => a.f() * b.f(),
                    _ => a.f() % b.f(),
                }),
            })
        }
        BinOp::Div => {
            let a = el_num_as(l, s.ls, sym, true)?;
            let b = el_num_as(r, s.rs, sym, true)?;
            Ok(Value::Float(a.f() / b.f()))
        }
        BinOp::Eq | BinOp::Ne => {
            let eq = el_equals(s)?;
            Ok(Value::Bool(eq == (s.op == BinOp::Eq)))
        }
        BinOp::Lt | BinOp::Gt | BinOp::Le | BinOp::Ge => {
            if matches!(l, Value::Null) || matches!(r, Value::Null) {
                return Ok(Value::Bool(false));
            }
            let ord = if matches!(l, Value::Float(_)) || matches!(r, Value::Float(_)) {
                let a = el_num_as(l, s.ls, sym, true)?.f();
                let b = el_num_as(r, s.rs, sym, true)?.f();
                match a.partial_cmp(&b) {
                    Some(o) => o,
                    None => return Ok(Value::Bool(false)),
                }
            } else if matches!(l, Value::Int(_)) || matches!(r, Value::Int(_)) {
                let a = el_num_as(l, s.ls, sym, false)?;
                let b = el_num_as(r, s.rs, sym, false)?;
                match (a, b) {
                    (Num::L(x), Num::L(y)) => x.cmp(&y),
                    (a, b) => a.f().partial_cmp(&b.f()).unwrap_or(Ordering::Equal),
                }
            } else {
                match (l, r) {
                    (Value::Str(a), Value::Str(b)) => utf16_cmp(a, b),
                    (Value::Bool(a), Value::Bool(b)) => a.cmp(b),
                    _ => return Err(cannot_compare(s)),
                }
            };
            Ok(Value::Bool(ord_matches(s.op, ord)))
        }
        BinOp::And | BinOp::Or => Ok(Value::Bool(false)),
    }
}

/// EL 1.8.2: `==` coerces to the "strongest" type of both sides.
fn el_equals(s: &Sides) -> Result<bool, Error> {
    let (l, r) = (s.l, s.r);
    if l == r {
        return Ok(!matches!(l, Value::List(_)));
    }
    if matches!(l, Value::Null) || matches!(r, Value::Null) {
        return Ok(false);
    }
    if matches!(l, Value::List(_)) || matches!(r, Value::List(_)) {
        return Err(cannot_compare(s));
    }
    if matches!(l, Value::Float(_)) || matches!(r, Value::Float(_)) {
        return Ok(el_num_as(l, s.ls, "==", true)?.f() == el_num_as(r, s.rs, "==", true)?.f());
    }
    if matches!(l, Value::Int(_)) || matches!(r, Value::Int(_)) {
        let a = el_num_as(l, s.ls, "==", false)?;
        let b = el_num_as(r, s.rs, "==", false)?;
        return Ok(match (a, b) {
            (Num::L(x), Num::L(y)) => x == y,
            (a, b) => a.f() == b.f(),
        });
    }
    if matches!(l, Value::Bool(_)) || matches!(r, Value::Bool(_)) {
        let a = el_bool(l, s.ls, "==")?;
        let b = el_bool(r, s.rs, "==")?;
        return Ok(a == b);
    }
    Ok(l.to_text(s.ls)? == r.to_text(s.rs)?)
}

fn cannot_compare(s: &Sides) -> Error {
    Error {
        span: s.op_span.clone(),
        message: format!("Cannot compare {} with {}", s.l.describe(), s.r.describe()),
        hint: None,
        kind: Kind::Type,
    }
}

fn ord_matches(op: BinOp, ord: Ordering) -> bool {
    match op {
        BinOp::Lt => ord == Ordering::Less,
        BinOp::Gt => ord == Ordering::Greater,
        BinOp::Le => ord != Ordering::Greater,
        _ => ord != Ordering::Less,
    }
}

fn spel_text<'v>(v: &'v Value, span: &Range<usize>) -> Result<Cow<'v, str>, Error> {
    v.to_text(span)
}

/// A SpEL operator other than `&&`/`||` (texts are joined by the caller, see `Env::eval`).
fn spel_binary(s: &Sides) -> Result<Value<'static>, Error> {
    let (l, r) = (s.l, s.r);
    let sym = s.op.symbol();
    let num_err = |v: &Value, span: &Range<usize>| {
        type_err(
            span,
            format!("`{sym}` needs numbers, got {}", v.describe()),
            if s.op == BinOp::Add {
                Some("`+` joins texts or adds numbers")
            } else {
                None
            },
        )
    };
    let nums = || -> Result<(Num, Num), Error> {
        let a = match l {
            Value::Int(n) => Num::L(*n),
            Value::Float(d) => Num::D(*d),
            v => return Err(num_err(v, s.ls)),
        };
        let b = match r {
            Value::Int(n) => Num::L(*n),
            Value::Float(d) => Num::D(*d),
            v => return Err(num_err(v, s.rs)),
        };
        Ok((a, b))
    };
    match s.op {
        BinOp::Add if matches!(l, Value::Str(_)) || matches!(r, Value::Str(_)) => {
            let a = spel_text(l, s.ls)?;
            let b = spel_text(r, s.rs)?;
            limit(a.len() + b.len(), s.span)?;
            Ok(Value::Str(Cow::Owned(a.into_owned() + &b)))
        }
        BinOp::Add | BinOp::Sub | BinOp::Mul | BinOp::Div | BinOp::Mod | BinOp::Concat => {
            let (a, b) = nums()?;
            Ok(match (a, b) {
                (Num::L(x), Num::L(y)) => Value::Int(match s.op {
                    BinOp::Add | BinOp::Concat => x.wrapping_add(y),
                    BinOp::Sub => x.wrapping_sub(y),
                    BinOp::Mul => x.wrapping_mul(y),
                    _ if y == 0 => {
                        return Err(Error {
                            span: s.op_span.clone(),
                            message: "Division by zero".into(),
                            hint: None,
                            kind: Kind::Evaluation,
                        })
                    }
                    BinOp::Div => x.checked_div(y).unwrap_or(x),
                    _ => x.checked_rem(y).unwrap_or(0),
                }),
                (a, b) => Value::Float(match s.op {
                    BinOp::Add | BinOp::Concat => a.f() + b.f(),
                    BinOp::Sub => a.f() - b.f(),
                    BinOp::Mul => a.f() * b.f(),
                    BinOp::Div => a.f() / b.f(),
                    _ => a.f() % b.f(),
                }),
            })
        }
        BinOp::Eq | BinOp::Ne => {
            let eq = match (l, r) {
                (Value::Int(_) | Value::Float(_), Value::Int(_) | Value::Float(_)) => {
                    match (l, r) {
                        (Value::Int(x), Value::Int(y)) => x == y,
                        _ => nums().map(|(a, b)| a.f() == b.f()).unwrap_or(false),
                    }
                }
                (a, b) => a == b,
            };
            Ok(Value::Bool(eq == (s.op == BinOp::Eq)))
        }
        BinOp::Lt | BinOp::Gt | BinOp::Le | BinOp::Ge => {
            let ord = match (l, r) {
                (Value::Str(a), Value::Str(b)) => utf16_cmp(a, b),
                (Value::Bool(a), Value::Bool(b)) => a.cmp(b),
                // SpEL's comparator puts null below everything.
                (Value::Null, Value::Null) => Ordering::Equal,
                (Value::Null, _) => Ordering::Less,
                (_, Value::Null) => Ordering::Greater,
                (Value::Int(x), Value::Int(y)) => x.cmp(y),
                (Value::Int(_) | Value::Float(_), Value::Int(_) | Value::Float(_)) => {
                    let (a, b) = nums()?;
                    match a.f().partial_cmp(&b.f()) {
                        Some(o) => o,
                        None => return Ok(Value::Bool(false)),
                    }
                }
                _ => return Err(cannot_compare(s)),
            };
            Ok(Value::Bool(ord_matches(s.op, ord)))
        }
        BinOp::And | BinOp::Or => Ok(Value::Bool(false)),
    }
}

/// The text of a part's value as it appears in the result.
pub(crate) fn part_text<'a>(v: Value<'a>, span: &Range<usize>) -> Result<Cow<'a, str>, Error> {
    match v {
        Value::Float(f) => Ok(Cow::Owned(java_double(f))),
        v => v.into_text(span),
    }
}
