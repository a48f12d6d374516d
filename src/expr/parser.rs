//! Recursive-descent parser for one expression part, with the precedence of each dialect:
//! Jakarta EL (SAML) or the SpEL subset Okta uses (OIDC, SCIM).

use super::ast::{BinOp, Node, NodeKind, Ns, UnOp, MAX_DEPTH};
use super::lexer::{Tok, Token};
use super::{Dialect, Error, Kind};
use std::ops::Range;

pub(crate) struct Parser<'t> {
    dialect: Dialect,
    tokens: &'t mut [Token],
    pos: usize,
    depth: u32,
    /// Where the part ends (for "expected … at the end" messages).
    end: usize,
    /// The template closer expected at the end (`}`), if any.
    template: bool,
}

type PResult = Result<Node, Error>;

/// Parses the tokens of one part (including its closing `}` for template dialects).
pub(crate) fn parse(
    dialect: Dialect,
    tokens: &mut [Token],
    end: usize,
    template: bool,
    start: usize,
) -> PResult {
    let mut p = Parser {
        dialect,
        tokens,
        pos: 0,
        depth: 0,
        end,
        template,
    };
    let body_is_empty = match p.tokens.first() {
        None => true,
        Some(t) => t.tok == Tok::RBrace,
    };
    if body_is_empty {
        let span = if template {
            start.saturating_sub(if dialect == Dialect::Saml { 2 } else { 1 })..end
        } else {
            start..end
        };
        return Err(Error {
            span,
            message: "Empty expression".into(),
            hint: Some(match dialect {
                Dialect::Saml => "write a value inside ${ }, e.g. ${org.subdomain}".into(),
                Dialect::Oidc => "write a value inside { }, e.g. {app.subdomain}".into(),
                Dialect::Scim => {
                    "write a value, e.g. 'https://' + app.subdomain + '.example.com/scim2/'".into()
                }
            }),
            kind: Kind::Syntax,
        });
    }
    let node = p.expr()?;
    match p.peek() {
        Some(Tok::RBrace) if template => Ok(node),
        None if !template => Ok(node),
        None => Err(Error::syntax(end..end, "Expected `}`")),
        Some(_) => Err(p.unexpected_after_value()),
    }
}

fn join(a: &Range<usize>, b: &Range<usize>) -> Range<usize> {
    a.start.min(b.start)..a.end.max(b.end)
}

impl Parser<'_> {
    fn spel(&self) -> bool {
        self.dialect != Dialect::Saml
    }

    fn peek(&self) -> Option<&Tok> {
        self.tokens.get(self.pos).map(|t| &t.tok)
    }

    fn peek_at(&self, k: usize) -> Option<&Token> {
        self.tokens.get(self.pos + k)
    }

    fn span(&self) -> Range<usize> {
        match self.tokens.get(self.pos) {
            Some(t) => t.span.clone(),
            None => self.end..self.end,
        }
    }

    fn bump(&mut self) -> Option<&Token> {
        let t = self.tokens.get(self.pos);
        if t.is_some() {
            self.pos += 1;
        }
        t
    }

    fn is_kw(&self, words: &[&str]) -> bool {
        match self.peek() {
            Some(Tok::Ident(s)) => {
                if self.spel() {
                    words.iter().any(|w| s.eq_ignore_ascii_case(w))
                } else {
                    words.contains(&s.as_str())
                }
            }
            _ => false,
        }
    }

    fn binary(&self, op: BinOp, op_span: Range<usize>, lhs: Node, rhs: Node) -> PResult {
        let depth = lhs.depth.max(rhs.depth) + 1;
        if depth > MAX_DEPTH {
            return Err(too_deep(op_span));
        }
        Ok(Node {
            span: join(&lhs.span, &rhs.span),
            kind: NodeKind::Binary {
                op,
                op_span,
                lhs: Box::new(lhs),
                rhs: Box::new(rhs),
            },
            depth,
        })
    }

    fn enter(&mut self) -> Result<(), Error> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return Err(too_deep(self.span()));
        }
        Ok(())
    }

    pub fn expr(&mut self) -> PResult {
        self.enter()?;
        let r = self.expr_inner();
        self.depth -= 1;
        r
    }

    fn expr_inner(&mut self) -> PResult {
        let cond = self.binary_expr(1)?;
        match self.peek() {
            Some(Tok::Question) => {
                let q = self.span();
                self.bump();
                if self.peek() == Some(&Tok::Colon) && !self.spel() {
                    return Err(no_elvis(q.start..self.span().end));
                }
                let then = self.expr()?;
                if self.peek() != Some(&Tok::Colon) {
                    return Err(no_colon(q));
                }
                self.bump();
                let els = self.expr()?;
                let depth = cond.depth.max(then.depth).max(els.depth) + 1;
                if depth > MAX_DEPTH {
                    return Err(too_deep(q));
                }
                Ok(Node {
                    span: join(&cond.span, &els.span),
                    kind: NodeKind::Cond {
                        cond: Box::new(cond),
                        then: Box::new(then),
                        els: Box::new(els),
                    },
                    depth,
                })
            }
            Some(Tok::Elvis) => {
                let q = self.span();
                self.bump();
                let rhs = self.expr()?;
                let depth = cond.depth.max(rhs.depth) + 1;
                if depth > MAX_DEPTH {
                    return Err(too_deep(q));
                }
                Ok(Node {
                    span: join(&cond.span, &rhs.span),
                    kind: NodeKind::Elvis {
                        lhs: Box::new(cond),
                        rhs: Box::new(rhs),
                    },
                    depth,
                })
            }
            _ => Ok(cond),
        }
    }

    fn eq_op(&self) -> Option<BinOp> {
        match self.peek() {
            Some(Tok::EqEq) => Some(BinOp::Eq),
            Some(Tok::NotEq) => Some(BinOp::Ne),
            Some(Tok::Ident(s)) if !self.spel() && s == "eq" => Some(BinOp::Eq),
            Some(Tok::Ident(s)) if !self.spel() && s == "ne" => Some(BinOp::Ne),
            _ => None,
        }
    }

    fn rel_op(&self) -> Option<BinOp> {
        match self.peek() {
            Some(Tok::Lt) => Some(BinOp::Lt),
            Some(Tok::Gt) => Some(BinOp::Gt),
            Some(Tok::Le) => Some(BinOp::Le),
            Some(Tok::Ge) => Some(BinOp::Ge),
            Some(Tok::Ident(s)) if !self.spel() => match s.as_str() {
                "lt" => Some(BinOp::Lt),
                "gt" => Some(BinOp::Gt),
                "le" => Some(BinOp::Le),
                "ge" => Some(BinOp::Ge),
                _ => None,
            },
            _ => None,
        }
    }

    /// The binary operator at the cursor and its precedence (higher binds tighter).
    /// EL: `or` 1, `and` 2, `== !=` 3, `< > <= >=` 4, `+=` 5, `+ -` 6, `* / %` 7.
    /// SpEL: `or` 1, `and` 2, comparisons 3 (not chainable), `+ -` 6, `* / %` 7.
    fn binop(&self) -> Option<(BinOp, u8)> {
        if self.peek() == Some(&Tok::OrOr) || self.is_kw(&["or"]) {
            return Some((BinOp::Or, 1));
        }
        if self.peek() == Some(&Tok::AndAnd) || self.is_kw(&["and"]) {
            return Some((BinOp::And, 2));
        }
        if let Some(op) = self.eq_op() {
            return Some((op, 3));
        }
        if let Some(op) = self.rel_op() {
            return Some((op, if self.spel() { 3 } else { 4 }));
        }
        match self.peek() {
            Some(Tok::PlusEq) => Some((BinOp::Concat, 5)),
            Some(Tok::Plus) => Some((BinOp::Add, 6)),
            Some(Tok::Minus) => Some((BinOp::Sub, 6)),
            Some(Tok::Star) => Some((BinOp::Mul, 7)),
            Some(Tok::Slash) => Some((BinOp::Div, 7)),
            Some(Tok::Percent) => Some((BinOp::Mod, 7)),
            Some(Tok::Ident(s)) if !self.spel() && s == "div" => Some((BinOp::Div, 7)),
            Some(Tok::Ident(s)) if !self.spel() && s == "mod" => Some((BinOp::Mod, 7)),
            _ => None,
        }
    }

    /// Precedence climbing: one frame per operator level actually used, so deep input
    /// costs little stack.
    fn binary_expr(&mut self, min: u8) -> PResult {
        let mut lhs = self.unary()?;
        while let Some((op, prec)) = self.binop() {
            if prec < min {
                break;
            }
            let s = self.span();
            self.bump();
            let rhs = self.binary_expr(prec + 1)?;
            lhs = self.binary(op, s, lhs, rhs)?;
            if self.spel() && prec == 3 && self.binop().is_some_and(|(_, p)| p == 3) {
                return Err(self.unexpected_after_value());
            }
        }
        Ok(lhs)
    }

    fn unary(&mut self) -> PResult {
        let op = match self.peek() {
            Some(Tok::Bang) => Some(UnOp::Not),
            Some(Tok::Minus) => Some(UnOp::Neg),
            Some(Tok::Ident(s)) if !self.spel() && s == "not" => Some(UnOp::Not),
            Some(Tok::Ident(s)) if !self.spel() && s == "empty" => Some(UnOp::Empty),
            _ => None,
        };
        let Some(op) = op else {
            return self.postfix();
        };
        let s = self.span();
        self.bump();
        self.enter()?;
        let operand = self.unary();
        self.depth -= 1;
        let operand = operand?;
        let depth = operand.depth + 1;
        if depth > MAX_DEPTH {
            return Err(too_deep(s));
        }
        Ok(Node {
            span: join(&s, &operand.span),
            kind: NodeKind::Unary {
                op,
                operand: Box::new(operand),
            },
            depth,
        })
    }

    fn postfix(&mut self) -> PResult {
        let node = self.primary()?;
        match self.peek() {
            Some(Tok::Dot | Tok::LBracket | Tok::LParen) => Err(self.postfix_error()),
            _ => Ok(node),
        }
    }

    #[inline(never)]
    #[cold]
    fn postfix_error(&self) -> Error {
        match self.peek() {
            Some(Tok::Dot) => {
                let s = self.span();
                let name = match self.peek_at(1) {
                    Some(Token {
                        tok: Tok::Ident(n), ..
                    }) => n.clone(),
                    _ => String::new(),
                };
                Error {
                    span: s.start..self.peek_at(1).map_or(s.end, |t| t.span.end),
                    message: format!("`.{name}` after a value is not supported"),
                    hint: Some(match self.dialect {
                        Dialect::Saml => {
                            "call a function instead, e.g. fn:toLowerCase(org.name)".into()
                        }
                        _ => "call a function instead, e.g. String.toLowerCase(app.name)".into(),
                    }),
                    kind: Kind::Syntax,
                }
            }
            Some(Tok::LBracket) => Error {
                span: self.span(),
                message: "Indexing with `[ ]` is not supported".into(),
                hint: None,
                kind: Kind::Syntax,
            },
            Some(Tok::LParen) => Error {
                span: self.span(),
                message: "Only functions can be called with `( )`".into(),
                hint: None,
                kind: Kind::Syntax,
            },
            _ => Error::syntax(self.span(), "Unexpected token"),
        }
    }

    fn primary(&mut self) -> PResult {
        let span = self.span();
        let Some(tok) = self.tokens.get_mut(self.pos).map(|t| &mut t.tok) else {
            return Err(self.expected_value());
        };
        match tok {
            Tok::Str(s) => {
                let s = std::mem::take(s);
                self.bump();
                Ok(Node::leaf(NodeKind::Str(s), span))
            }
            Tok::Int(n) => {
                let n = *n;
                self.bump();
                Ok(Node::leaf(NodeKind::Int(n), span))
            }
            Tok::Float(f) => {
                let f = *f;
                self.bump();
                Ok(Node::leaf(NodeKind::Float(f), span))
            }
            Tok::LParen => {
                self.bump();
                let inner = self.expr()?;
                if self.peek() != Some(&Tok::RParen) {
                    if self.peek().is_none() || self.peek() == Some(&Tok::RBrace) {
                        return Err(self.unclosed_paren(span));
                    }
                    return Err(self.unexpected_after_value());
                }
                let close = self.span();
                self.bump();
                Ok(Node {
                    span: span.start..close.end,
                    ..inner
                })
            }
            Tok::Ident(name) => {
                let name = std::mem::take(name);
                self.ident(name, span)
            }
            Tok::LBracket => Err(Error {
                span,
                message: "Lists `[ ]` are not supported".into(),
                hint: None,
                kind: Kind::Syntax,
            }),
            _ => Err(self.expected_value()),
        }
    }

    fn ident(&mut self, name: String, span: Range<usize>) -> PResult {
        let spel = self.spel();
        let kw = |w: &str| {
            if spel {
                name.eq_ignore_ascii_case(w)
            } else {
                name == w
            }
        };
        if kw("true") || kw("false") {
            self.bump();
            return Ok(Node::leaf(NodeKind::Bool(kw("true")), span));
        }
        if kw("null") {
            self.bump();
            return Ok(Node::leaf(NodeKind::Null, span));
        }
        let is_op_word = if self.spel() {
            ["and", "or"].iter().any(|w| name.eq_ignore_ascii_case(w))
        } else {
            [
                "and",
                "or",
                "eq",
                "ne",
                "lt",
                "gt",
                "le",
                "ge",
                "div",
                "mod",
                "instanceof",
            ]
            .contains(&name.as_str())
        };
        if is_op_word {
            // Put the word back: the message names it.
            if let Some(t) = self.tokens.get_mut(self.pos) {
                t.tok = Tok::Ident(name);
            }
            return Err(self.expected_value());
        }
        self.bump();
        // `prefix:name(` — a namespaced function (JSTL style), written without spaces.
        if let (Some(c), Some(n), Some(p)) = (self.peek_at(0), self.peek_at(1), self.peek_at(2)) {
            if c.tok == Tok::Colon
                && c.span.start == span.end
                && n.span.start == c.span.end
                && p.tok == Tok::LParen
            {
                if let Tok::Ident(fname) = &n.tok {
                    let fname = fname.clone();
                    let name_span = n.span.clone();
                    self.pos += 2;
                    let ns = if name == "fn" {
                        Ns::Jstl
                    } else {
                        Ns::Other(name.clone())
                    };
                    return self.call(ns, fname, span.start..name_span.end, span);
                }
            }
        }
        let mut path = Vec::new();
        let mut end = span.end;
        while self.peek() == Some(&Tok::Dot) {
            match self.tokens.get_mut(self.pos + 1) {
                Some(Token {
                    tok: Tok::Ident(seg),
                    span: s,
                }) => {
                    path.push(std::mem::take(seg));
                    end = s.end;
                    self.pos += 2;
                }
                _ => {
                    let dot = self.span();
                    return Err(Error {
                        span: dot,
                        message: format!("Expected a name after `{name}.`"),
                        hint: Some(match self.dialect {
                            Dialect::Saml => "e.g. org.subdomain".into(),
                            _ => "e.g. app.subdomain".into(),
                        }),
                        kind: Kind::Syntax,
                    });
                }
            }
        }
        if self.peek() == Some(&Tok::LParen) {
            let ns = if name == "String" && path.len() == 1 {
                Ns::Okta
            } else if path.is_empty() {
                Ns::None
            } else {
                let mut full = name.clone();
                for p in &path[..path.len() - 1] {
                    full.push('.');
                    full.push_str(p);
                }
                Ns::Other(full)
            };
            let fname = path.pop().unwrap_or_else(|| name.clone());
            return self.call(ns, fname, span.start..end, span);
        }
        Ok(Node::leaf(
            NodeKind::Var { root: name, path },
            span.start..end,
        ))
    }

    fn call(
        &mut self,
        ns: Ns,
        name: String,
        name_span: Range<usize>,
        start: Range<usize>,
    ) -> PResult {
        let open = self.span();
        self.bump(); // `(`
        self.enter()?;
        let mut args = Vec::new();
        let mut depth = 1;
        if self.peek() != Some(&Tok::RParen) {
            loop {
                let a = self.expr();
                let a = match a {
                    Ok(a) => a,
                    Err(e) => {
                        self.depth -= 1;
                        return Err(e);
                    }
                };
                depth = depth.max(a.depth + 1);
                args.push(a);
                if self.peek() == Some(&Tok::Comma) {
                    self.bump();
                    continue;
                }
                break;
            }
        }
        self.depth -= 1;
        if self.peek() != Some(&Tok::RParen) {
            if self.peek().is_none() || self.peek() == Some(&Tok::RBrace) {
                return Err(self.unclosed_paren(open));
            }
            let mut e = self.unexpected_after_value();
            if let Some(t) = self.tokens.get(self.pos) {
                if !matches!(
                    t.tok,
                    Tok::EqEq | Tok::NotEq | Tok::Lt | Tok::Gt | Tok::Le | Tok::Ge
                ) {
                    e.message = format!(
                        "Expected `,` or `)` after an argument, found {}",
                        t.tok.describe()
                    );
                    e.hint = Some("separate arguments with `,` and close the call with `)`".into());
                }
            }
            return Err(e);
        }
        let close = self.span();
        self.bump();
        if depth > MAX_DEPTH {
            return Err(too_deep(name_span));
        }
        Ok(Node {
            kind: NodeKind::Call {
                ns,
                name,
                name_span,
                args,
            },
            span: start.start..close.end,
            depth,
        })
    }

    #[inline(never)]
    #[cold]
    fn unclosed_paren(&self, open: Range<usize>) -> Error {
        Error {
            span: open,
            message: "Unclosed `(`".into(),
            hint: Some("add the matching `)`".into()),
            kind: Kind::Syntax,
        }
    }

    #[inline(never)]
    #[cold]
    fn expected_value(&self) -> Error {
        let span = self.span();
        match self.tokens.get(self.pos) {
            None => Error {
                span: self.end..self.end,
                message: "Expected a value at the end".into(),
                hint: Some("the expression stops after an operator".into()),
                kind: Kind::Syntax,
            },
            Some(Token {
                tok: Tok::RBrace, ..
            }) => Error {
                span,
                message: "Expected a value before `}`".into(),
                hint: Some("the expression stops after an operator".into()),
                kind: Kind::Syntax,
            },
            Some(Token {
                tok: Tok::Colon, ..
            }) if self.pos > 0
                && self
                    .tokens
                    .get(self.pos - 1)
                    .is_some_and(|t| t.tok == Tok::Question) =>
            {
                Error {
                    span,
                    message: "Expected a value between `?` and `:`".into(),
                    hint: None,
                    kind: Kind::Syntax,
                }
            }
            Some(t) => Error {
                span,
                message: format!("Expected a value, found {}", t.tok.describe()),
                hint: match &t.tok {
                    Tok::Ident(w) if !self.spel() => {
                        Some(format!("`{w}` is an operator; put a value before it"))
                    }
                    Tok::Ident(w) => Some(format!("`{w}` is an operator; put a value before it")),
                    Tok::Plus if self.spel() => {
                        Some("`+` joins two values: put one on each side".into())
                    }
                    _ => None,
                },
                kind: Kind::Syntax,
            },
        }
    }

    /// A token where an operator or the end was expected.
    #[inline(never)]
    #[cold]
    fn unexpected_after_value(&self) -> Error {
        let span = self.span();
        let Some(t) = self.tokens.get(self.pos) else {
            return Error::syntax(span, "Unexpected end");
        };
        let closer = if self.template { "`}`" } else { "the end" };
        let (message, hint) = match &t.tok {
            Tok::RParen => (
                "Unmatched `)`".to_string(),
                Some("delete it, or add the `(` it closes".to_string()),
            ),
            Tok::RBrace => ("Unexpected `}`".to_string(), None),
            Tok::Ident(w)
                if self.spel()
                    && ["eq", "ne", "lt", "gt", "le", "ge", "not", "div", "mod"]
                        .iter()
                        .any(|k| w.eq_ignore_ascii_case(k)) =>
            {
                (
                    format!("`{w}` is not an operator here"),
                    Some(format!(
                        "write `{}`",
                        match w.to_ascii_lowercase().as_str() {
                            "eq" => "==",
                            "ne" => "!=",
                            "lt" => "<",
                            "gt" => ">",
                            "le" => "<=",
                            "ge" => ">=",
                            "not" => "!",
                            "div" => "/",
                            _ => "%",
                        }
                    )),
                )
            }
            Tok::Ident(w) if !self.spel() && (w == "AND" || w == "OR" || w == "NOT") => (
                format!("`{w}` is not an operator in SAML"),
                Some(format!(
                    "EL operators are lowercase: `{}`",
                    w.to_ascii_lowercase()
                )),
            ),
            Tok::EqEq | Tok::NotEq | Tok::Lt | Tok::Gt | Tok::Le | Tok::Ge if self.spel() => (
                format!(
                    "Comparisons cannot be chained: unexpected {}",
                    t.tok.describe()
                ),
                Some("add parentheses, e.g. (a < b) == true".into()),
            ),
            Tok::Elvis if self.spel() => (format!("Unexpected {}", t.tok.describe()), None),
            Tok::Colon => (
                "Unexpected `:` without a `?` before it".to_string(),
                Some("a condition reads `condition ? value_if_true : value_if_false`".into()),
            ),
            Tok::Str(_) | Tok::Ident(_) | Tok::Int(_) | Tok::Float(_) | Tok::LParen => (
                format!(
                    "Expected an operator or {closer}, found {}",
                    t.tok.describe()
                ),
                Some(if self.spel() {
                    "join values with `+`".to_string()
                } else {
                    "join texts with `+=`".to_string()
                }),
            ),
            other => (
                format!(
                    "Expected an operator or {closer}, found {}",
                    other.describe()
                ),
                None,
            ),
        };
        Error {
            span,
            message,
            hint,
            kind: Kind::Syntax,
        }
    }
}

#[inline(never)]
#[cold]
fn no_elvis(span: Range<usize>) -> Error {
    Error {
        span,
        message: "SAML has no Elvis operator `?:`".into(),
        hint: Some("write `empty x ? 'fallback' : x`".into()),
        kind: Kind::Syntax,
    }
}

#[inline(never)]
#[cold]
fn no_colon(span: Range<usize>) -> Error {
    Error {
        span,
        message: "This `?` has no matching `:`".into(),
        hint: Some("a condition reads `condition ? value_if_true : value_if_false`".into()),
        kind: Kind::Syntax,
    }
}

#[inline(never)]
#[cold]
fn too_deep(span: Range<usize>) -> Error {
    Error {
        span,
        message: format!("The expression is nested too deeply (more than {MAX_DEPTH} levels)"),
        hint: Some("split it into simpler parts".into()),
        kind: Kind::Nesting,
    }
}
