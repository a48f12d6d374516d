//! Recursive-descent parser for one expression part, with the precedence of each dialect:
//! Jakarta EL (SAML) or the SpEL subset Okta uses (OIDC, SCIM).

use super::ast::{Ast, BinOp, Node, NodeId, NodeKind, Ns, UnOp, MAX_DEPTH};
use super::eval::resolve_fn;
use super::lexer::{float_value, int_value, string_value, Tok, Token};
use super::{Dialect, Error, Kind};
use std::ops::Range;

pub(crate) struct Parser<'t, 's> {
    dialect: Dialect,
    src: &'s str,
    tokens: &'t [Token],
    /// Where the nodes go.
    ast: &'t mut Ast,
    pos: usize,
    depth: u32,
    /// Where the part ends (for "expected … at the end" messages).
    end: usize,
    /// The template closer expected at the end (`}`), if any.
    template: bool,
}

type PResult = Result<NodeId, Error>;

/// Parses the tokens of one part (including its closing `}` for template dialects) into
/// `ast`; returns the part's root.
pub(crate) fn parse(
    dialect: Dialect,
    src: &str,
    tokens: &[Token],
    ast: &mut Ast,
    end: usize,
    template: bool,
    start: usize,
) -> PResult {
    let mut p = Parser {
        dialect,
        src,
        tokens,
        ast,
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

/// A name of up to 8 bytes as a number (its bytes, little-endian, zero-padded), to tell the
/// words of the language apart with one comparison; with `fold`, ASCII letters lowercased
/// (SpEL ignores the case of its words). 0 for longer names, which no word is.
#[inline(always)]
fn word_key(name: &str, fold: bool) -> u64 {
    let b = name.as_bytes();
    if b.len() > 8 {
        return 0;
    }
    let case = if fold { 0x20 } else { 0 };
    b.iter()
        .rev()
        .fold(0, |k, &c| (k << 8) | u64::from(c | case))
}

/// [`word_key`] of a lowercase word, at compile time. `| 0x20` only changes letters among the
/// bytes of a name (digits, `_`, `$` and non-ASCII bytes never become a letter), so a folded
/// name equals a word exactly when it is the word in any case.
const fn word(w: &str) -> u64 {
    let b = w.as_bytes();
    let mut k = 0;
    let mut i = b.len();
    while i > 0 {
        i -= 1;
        k = (k << 8) | b[i] as u64;
    }
    k
}

const TRUE: u64 = word("true");
const FALSE: u64 = word("false");
const NULL: u64 = word("null");
const AND: u64 = word("and");
const OR: u64 = word("or");
const NOT: u64 = word("not");
const EMPTY: u64 = word("empty");
const EQ: u64 = word("eq");
const NE: u64 = word("ne");
const LT: u64 = word("lt");
const GT: u64 = word("gt");
const LE: u64 = word("le");
const GE: u64 = word("ge");
const DIV: u64 = word("div");
const MOD: u64 = word("mod");

fn join(a: &Range<usize>, b: &Range<usize>) -> Range<usize> {
    a.start.min(b.start)..a.end.max(b.end)
}

impl<'s> Parser<'_, 's> {
    #[inline(always)]
    fn spel(&self) -> bool {
        self.dialect != Dialect::Saml
    }

    #[inline(always)]
    fn peek(&self) -> Option<Tok> {
        self.tokens.get(self.pos).map(|t| t.tok)
    }

    /// Whether the next token is a `t`.
    #[inline(always)]
    fn at(&self, t: Tok) -> bool {
        self.peek() == Some(t)
    }

    /// The name at the cursor, when the next token is one.
    #[inline(always)]
    fn word(&self) -> Option<&'s str> {
        match self.tokens.get(self.pos) {
            Some(t) if t.tok == Tok::Ident => Some(t.text(self.src)),
            _ => None,
        }
    }

    /// The [`word_key`] of the name at the cursor (folded in SpEL); 0 when it is not a name.
    #[inline(always)]
    fn word_key(&self) -> u64 {
        self.word().map_or(0, |w| word_key(w, self.spel()))
    }

    #[inline(always)]
    fn peek_at(&self, k: usize) -> Option<&Token> {
        self.tokens.get(self.pos + k)
    }

    #[inline(always)]
    fn span(&self) -> Range<usize> {
        match self.tokens.get(self.pos) {
            Some(t) => t.span(),
            None => self.end..self.end,
        }
    }

    #[inline(always)]
    fn bump(&mut self) {
        if self.pos < self.tokens.len() {
            self.pos += 1;
        }
    }

    #[inline(always)]
    fn node(&self, id: NodeId) -> &Node {
        self.ast.node(id)
    }

    fn binary(&mut self, op: BinOp, op_span: Range<usize>, lhs: NodeId, rhs: NodeId) -> PResult {
        let depth = self.ast.depth(lhs).max(self.ast.depth(rhs)) + 1;
        if depth > MAX_DEPTH {
            return Err(too_deep(op_span));
        }
        let span = join(&self.node(lhs).span, &self.node(rhs).span);
        if op == BinOp::Add && !self.spel() {
            self.ast.needs_check = true;
        }
        let kind = NodeKind::Binary {
            op,
            op_span,
            lhs,
            rhs,
        };
        Ok(self.ast.push(Node { span, kind }, depth))
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
                if self.at(Tok::Colon) && !self.spel() {
                    return Err(no_elvis(q.start..self.span().end));
                }
                let then = self.expr()?;
                if !self.at(Tok::Colon) {
                    return Err(no_colon(q));
                }
                self.bump();
                let els = self.expr()?;
                let ast = &self.ast;
                let depth = ast.depth(cond).max(ast.depth(then)).max(ast.depth(els)) + 1;
                if depth > MAX_DEPTH {
                    return Err(too_deep(q));
                }
                let span = join(&self.node(cond).span, &self.node(els).span);
                let kind = NodeKind::Cond { cond, then, els };
                Ok(self.ast.push(Node { span, kind }, depth))
            }
            Some(Tok::Elvis) => {
                let q = self.span();
                self.bump();
                let rhs = self.expr()?;
                let depth = self.ast.depth(cond).max(self.ast.depth(rhs)) + 1;
                if depth > MAX_DEPTH {
                    return Err(too_deep(q));
                }
                let span = join(&self.node(cond).span, &self.node(rhs).span);
                let kind = NodeKind::Elvis { lhs: cond, rhs };
                Ok(self.ast.push(Node { span, kind }, depth))
            }
            _ => Ok(cond),
        }
    }

    /// The binary operator at the cursor and its precedence (higher binds tighter).
    /// EL: `or` 1, `and` 2, `== !=` 3, `< > <= >=` 4, `+=` 5, `+ -` 6, `* / %` 7.
    /// SpEL: `or` 1, `and` 2, comparisons 3 (not chainable), `+ -` 6, `* / %` 7.
    fn binop(&self) -> Option<(BinOp, u8)> {
        let rel = if self.spel() { 3 } else { 4 };
        match self.peek()? {
            Tok::OrOr => return Some((BinOp::Or, 1)),
            Tok::AndAnd => return Some((BinOp::And, 2)),
            Tok::EqEq => return Some((BinOp::Eq, 3)),
            Tok::NotEq => return Some((BinOp::Ne, 3)),
            Tok::Lt => return Some((BinOp::Lt, rel)),
            Tok::Gt => return Some((BinOp::Gt, rel)),
            Tok::Le => return Some((BinOp::Le, rel)),
            Tok::Ge => return Some((BinOp::Ge, rel)),
            Tok::Ident => {}
            Tok::PlusEq => return Some((BinOp::Concat, 5)),
            Tok::Plus => return Some((BinOp::Add, 6)),
            Tok::Minus => return Some((BinOp::Sub, 6)),
            Tok::Star => return Some((BinOp::Mul, 7)),
            Tok::Slash => return Some((BinOp::Div, 7)),
            Tok::Percent => return Some((BinOp::Mod, 7)),
            _ => return None,
        }
        // Word operators: `and`, `or` (any case in SpEL), and EL's others.
        match self.word_key() {
            OR => Some((BinOp::Or, 1)),
            AND => Some((BinOp::And, 2)),
            _ if self.spel() => None,
            EQ => Some((BinOp::Eq, 3)),
            NE => Some((BinOp::Ne, 3)),
            LT => Some((BinOp::Lt, rel)),
            GT => Some((BinOp::Gt, rel)),
            LE => Some((BinOp::Le, rel)),
            GE => Some((BinOp::Ge, rel)),
            DIV => Some((BinOp::Div, 7)),
            MOD => Some((BinOp::Mod, 7)),
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
            Some(Tok::Ident) if !self.spel() => match self.word_key() {
                NOT => Some(UnOp::Not),
                EMPTY => Some(UnOp::Empty),
                _ => None,
            },
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
        let depth = self.ast.depth(operand) + 1;
        if depth > MAX_DEPTH {
            return Err(too_deep(s));
        }
        let span = join(&s, &self.node(operand).span);
        let kind = NodeKind::Unary { op, operand };
        Ok(self.ast.push(Node { span, kind }, depth))
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
                    Some(t) if t.tok == Tok::Ident => t.text(self.src),
                    _ => "",
                };
                Error {
                    span: s.start..self.peek_at(1).map_or(s.end, Token::end),
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

    #[inline(always)]
    fn leaf(&mut self, kind: NodeKind, span: Range<usize>) -> PResult {
        Ok(self.ast.push(Node::leaf(kind, span), 1))
    }

    fn primary(&mut self) -> PResult {
        let span = self.span();
        let tokens = self.tokens;
        let Some(token) = tokens.get(self.pos) else {
            return Err(self.expected_value());
        };
        match token.tok {
            Tok::Str => {
                self.bump();
                let s = string_value(self.dialect, self.src, token);
                self.leaf(NodeKind::Str(s), span)
            }
            Tok::Int => {
                self.bump();
                let n = int_value(token.text(self.src));
                self.leaf(NodeKind::Int(n), span)
            }
            Tok::Float => {
                self.bump();
                let f = float_value(token.text(self.src));
                self.leaf(NodeKind::Float(f), span)
            }
            Tok::LParen => {
                self.bump();
                let inner = self.expr()?;
                if !self.at(Tok::RParen) {
                    if self.peek().is_none() || self.at(Tok::RBrace) {
                        return Err(self.unclosed_paren(span));
                    }
                    return Err(self.unexpected_after_value());
                }
                let close = self.span();
                self.bump();
                if let Some(n) = self.ast.node_mut(inner) {
                    n.span = span.start..close.end;
                }
                Ok(inner)
            }
            Tok::Ident => self.ident(token.text(self.src), span),
            Tok::LBracket => Err(Error {
                span,
                message: "Lists `[ ]` are not supported".into(),
                hint: None,
                kind: Kind::Syntax,
            }),
            _ => Err(self.expected_value()),
        }
    }

    fn ident(&mut self, name: &'s str, span: Range<usize>) -> PResult {
        let spel = self.spel();
        // Words (any case in SpEL): values, and operators, which are never a value.
        let is_op_word = match word_key(name, spel) {
            k @ (TRUE | FALSE) => {
                self.bump();
                return self.leaf(NodeKind::Bool(k == TRUE), span);
            }
            NULL => {
                self.bump();
                return self.leaf(NodeKind::Null, span);
            }
            AND | OR => true,
            EQ | NE | LT | GT | LE | GE | DIV | MOD => !spel,
            _ => !spel && name == "instanceof",
        };
        if is_op_word {
            return Err(self.expected_value());
        }
        self.bump();
        // `prefix:name(` — a namespaced function (JSTL style), written without spaces.
        if let (Some(c), Some(n), Some(p)) = (self.peek_at(0), self.peek_at(1), self.peek_at(2)) {
            if c.tok == Tok::Colon
                && c.start() == span.end
                && n.start() == c.end()
                && p.tok == Tok::LParen
                && n.tok == Tok::Ident
            {
                let fname = n.span();
                self.pos += 2;
                let ns = if name == "fn" { Ns::Jstl } else { Ns::Other };
                let name_span = span.start..fname.end;
                return self.call(ns, fname, name_span, span);
            }
        }
        // The names after `root.`: the first one's start, the last one's range, how many.
        let mut path_start = span.end;
        let mut last = span.clone();
        let mut segments = 0usize;
        while self.at(Tok::Dot) {
            match self.tokens.get(self.pos + 1) {
                Some(t) if t.tok == Tok::Ident => {
                    if segments == 0 {
                        path_start = t.start();
                    }
                    segments += 1;
                    last = t.span();
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
        let end = last.end;
        if self.at(Tok::LParen) {
            let ns = if name == "String" && segments == 1 {
                Ns::Okta
            } else if segments == 0 {
                Ns::None
            } else {
                Ns::Other
            };
            return self.call(ns, last, span.start..end, span);
        }
        let path = if segments == 0 {
            end..end
        } else {
            path_start..end
        };
        if segments != 1 || name != self.dialect.variable_prefix() {
            self.ast.needs_check = true;
        }
        self.leaf(
            NodeKind::Var {
                root: span.clone(),
                path,
            },
            span.start..end,
        )
    }

    fn call(
        &mut self,
        ns: Ns,
        name: Range<usize>,
        name_span: Range<usize>,
        start: Range<usize>,
    ) -> PResult {
        let open = self.span();
        self.bump(); // `(`
        self.enter()?;
        // Arguments are collected here and stored contiguously once the call is complete
        // (nested calls store theirs first).
        let mut inline = [0 as NodeId; 4];
        let mut more: Vec<NodeId> = Vec::new();
        let mut nargs = 0usize;
        let mut depth = 1;
        if !self.at(Tok::RParen) {
            loop {
                let a = self.expr();
                let a = match a {
                    Ok(a) => a,
                    Err(e) => {
                        self.depth -= 1;
                        return Err(e);
                    }
                };
                depth = depth.max(self.ast.depth(a) + 1);
                match inline.get_mut(nargs) {
                    Some(slot) if more.is_empty() => *slot = a,
                    _ => {
                        if more.is_empty() {
                            more.extend_from_slice(&inline);
                        }
                        more.push(a);
                    }
                }
                nargs += 1;
                if self.at(Tok::Comma) {
                    self.bump();
                    continue;
                }
                break;
            }
        }
        self.depth -= 1;
        if !self.at(Tok::RParen) {
            if self.peek().is_none() || self.at(Tok::RBrace) {
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
                        t.describe(self.src)
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
        let ids = if more.is_empty() {
            inline.get(..nargs).unwrap_or(&[])
        } else {
            &more[..]
        };
        let args = self.ast.push_args(ids);
        let fname = self.src.get(name.clone()).unwrap_or("");
        let spec = resolve_fn(self.dialect, self.src, ns, fname, nargs, &name_span).ok();
        if spec.is_none() {
            self.ast.needs_check = true;
        }
        let name_len = u32::try_from(name.len()).unwrap_or(u32::MAX);
        let kind = NodeKind::Call {
            ns,
            name_len,
            name_span,
            args,
            spec,
        };
        let span = start.start..close.end;
        Ok(self.ast.push(Node { span, kind }, depth))
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
                message: format!("Expected a value, found {}", t.describe(self.src)),
                hint: match t.tok {
                    Tok::Ident => Some(format!(
                        "`{}` is an operator; put a value before it",
                        t.text(self.src)
                    )),
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
        let w = t.text(self.src);
        let (message, hint) = match t.tok {
            Tok::RParen => (
                "Unmatched `)`".to_string(),
                Some("delete it, or add the `(` it closes".to_string()),
            ),
            Tok::RBrace => ("Unexpected `}`".to_string(), None),
            Tok::Ident
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
            Tok::Ident if !self.spel() && (w == "AND" || w == "OR" || w == "NOT") => (
                format!("`{w}` is not an operator in SAML"),
                Some(format!(
                    "EL operators are lowercase: `{}`",
                    w.to_ascii_lowercase()
                )),
            ),
            Tok::EqEq | Tok::NotEq | Tok::Lt | Tok::Gt | Tok::Le | Tok::Ge if self.spel() => (
                format!(
                    "Comparisons cannot be chained: unexpected {}",
                    t.describe(self.src)
                ),
                Some("add parentheses, e.g. (a < b) == true".into()),
            ),
            Tok::Elvis if self.spel() => (format!("Unexpected {}", t.describe(self.src)), None),
            Tok::Colon => (
                "Unexpected `:` without a `?` before it".to_string(),
                Some("a condition reads `condition ? value_if_true : value_if_false`".into()),
            ),
            Tok::Str | Tok::Ident | Tok::Int | Tok::Float | Tok::LParen => (
                format!(
                    "Expected an operator or {closer}, found {}",
                    t.describe(self.src)
                ),
                Some(if self.spel() {
                    "join values with `+`".to_string()
                } else {
                    "join texts with `+=`".to_string()
                }),
            ),
            _ => (
                format!(
                    "Expected an operator or {closer}, found {}",
                    t.describe(self.src)
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
