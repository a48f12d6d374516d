//! Tokens of one expression part (SPEC 6): the three dialects share one lexer with flags.
//! Names borrow from the source and texts are ranges of it (a copy only when a text has
//! escapes), so lexing allocates nothing but the token vector, which callers reuse.

use super::ast::Lit;
use super::{Dialect, Error, Kind};
use std::ops::Range;

/// One token with the byte range it covers in the whole source. Tokens hold no text: a
/// name, a number or a string is read from the source through its span when the parser needs
/// it, so a token is small, copied cheaply and never dropped. It is two scalars, its kind and
/// its range packed in 64 bits, so that it is handed over in registers and stored with two
/// writes (offsets fit in 31 bits: [`lex`] refuses longer sources).
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) struct Token {
    pub tok: Tok,
    /// The start (bits 0–31), the end (bits 32–62), and for a [`Tok::Str`] (bit 63) whether
    /// the text has escapes (or doubled quotes), so that its value is not simply the source
    /// between the quotes (see [`string_value`]).
    bits: u64,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Tok {
    Ident,
    Str,
    Int,
    Float,
    Dot,
    Colon,
    Comma,
    LParen,
    RParen,
    LBracket,
    RBracket,
    Question,
    /// `?:` (OIDC and SCIM only).
    Elvis,
    Plus,
    /// `+=` (SAML only: string concatenation).
    PlusEq,
    Minus,
    Star,
    Slash,
    Percent,
    Bang,
    AndAnd,
    OrOr,
    EqEq,
    NotEq,
    Lt,
    Gt,
    Le,
    Ge,
    /// The `}` that closes an OIDC `{` or SAML `${` part.
    RBrace,
}

/// Bit 63 of [`Token::bits`].
const ESCAPED: u64 = 1 << 63;

impl Token {
    /// A token covering `span` (offsets below [`MAX_SOURCE`]).
    #[inline(always)]
    fn new(tok: Tok, escaped: bool, span: Range<usize>) -> Token {
        let flag = if escaped { ESCAPED } else { 0 };
        Token {
            tok,
            bits: span.start as u64 | (span.end as u64) << 32 | flag,
        }
    }

    /// Whether a [`Tok::Str`]'s text has escapes or doubled quotes.
    #[inline(always)]
    pub fn escaped(&self) -> bool {
        self.bits & ESCAPED != 0
    }

    /// The byte range the token covers.
    #[inline(always)]
    pub fn span(&self) -> Range<usize> {
        self.start()..self.end()
    }

    /// Where the token starts.
    #[inline(always)]
    pub fn start(&self) -> usize {
        (self.bits & 0xFFFF_FFFF) as usize
    }

    /// Where the token ends (exclusive).
    #[inline(always)]
    pub fn end(&self) -> usize {
        ((self.bits >> 32) & 0x7FFF_FFFF) as usize
    }

    /// The source text the token covers.
    #[inline(always)]
    pub fn text<'s>(&self, src: &'s str) -> &'s str {
        src.get(self.span()).unwrap_or("")
    }

    /// How the token is written, for messages.
    pub fn describe(&self, src: &str) -> String {
        match self.tok {
            Tok::Str => "a string".to_string(),
            Tok::Ident => format!("`{}`", self.text(src)),
            Tok::Int => format!("`{}`", int_value(self.text(src))),
            Tok::Float => format!("`{}`", float_value(self.text(src))),
            other => format!("`{}`", other.symbol()),
        }
    }
}

impl Tok {
    fn symbol(self) -> &'static str {
        match self {
            Tok::Dot => ".",
            Tok::Colon => ":",
            Tok::Comma => ",",
            Tok::LParen => "(",
            Tok::RParen => ")",
            Tok::LBracket => "[",
            Tok::RBracket => "]",
            Tok::Question => "?",
            Tok::Elvis => "?:",
            Tok::Plus => "+",
            Tok::PlusEq => "+=",
            Tok::Minus => "-",
            Tok::Star => "*",
            Tok::Slash => "/",
            Tok::Percent => "%",
            Tok::Bang => "!",
            Tok::AndAnd => "&&",
            Tok::OrOr => "||",
            Tok::EqEq => "==",
            Tok::NotEq => "!=",
            Tok::Lt => "<",
            Tok::Gt => ">",
            Tok::Le => "<=",
            Tok::Ge => ">=",
            Tok::RBrace => "}",
            Tok::Ident | Tok::Str | Tok::Int | Tok::Float => "",
        }
    }
}

/// The value of a [`Tok::Str`] token: the source between its quotes, or (with escapes) the
/// text with them resolved.
pub(crate) fn string_value(dialect: Dialect, src: &str, t: &Token) -> Lit {
    if t.escaped() {
        if let Ok((lit, _)) = lex_string(dialect, src, t.start()) {
            return lit;
        }
    }
    // Quotes are one byte.
    Lit::Src(t.start() + 1..t.end().saturating_sub(1).max(t.start() + 1))
}

/// The value of a [`Tok::Int`] token's text (the lexer has refused numbers that do not fit).
pub(crate) fn int_value(text: &str) -> i64 {
    text.parse().unwrap_or(0)
}

/// The value of a [`Tok::Float`] token's text.
pub(crate) fn float_value(text: &str) -> f64 {
    text.parse().unwrap_or(f64::NAN)
}

/// Sources this long or longer are not lexed: token offsets are 31 bits.
pub(crate) const MAX_SOURCE: usize = 1 << 31;

/// Where a lexed part ends (its tokens are in the vector given to [`lex`]).
pub(crate) struct Lexed {
    /// Byte offset just past the closing `}` (template parts) or the end of the source.
    pub end: usize,
    /// Whether a closing `}` was found (always false for SCIM).
    pub closed: bool,
    /// The first lexical error, if any (the part cannot be parsed then); boxed, so that the
    /// usual answer without one is small.
    pub error: Option<Box<Error>>,
}

/// Lexes from `start` until a top-level `}` (when `template` is true) or the end of `src`,
/// replacing the content of `tokens`. After a lexical error the lexer keeps looking for the
/// closing `}` so later parts still lex.
pub(crate) fn lex(
    dialect: Dialect,
    src: &str,
    start: usize,
    template: bool,
    tokens: &mut Vec<Token>,
) -> Lexed {
    let bytes = src.as_bytes();
    tokens.clear();
    if src.len() >= MAX_SOURCE {
        return Lexed {
            end: src.len(),
            closed: false,
            error: Some(Box::new(Error::syntax(
                0..0,
                "The value is too long to be an expression",
            ))),
        };
    }
    let mut error: Option<Box<Error>> = None;
    let mut i = start;
    let saml = dialect == Dialect::Saml;
    while i < bytes.len() {
        let Some(&b) = bytes.get(i) else { break };
        let t0 = i;
        let single = |t: Tok, len: usize| (t, len);
        let mut escaped = false;
        let res: Option<(Tok, usize)> = match b {
            b' ' | b'\t' | b'\n' | b'\r' => {
                i += 1;
                continue;
            }
            b'}' if template => {
                tokens.push(Token::new(Tok::RBrace, false, i..i + 1));
                return Lexed {
                    end: i + 1,
                    closed: true,
                    error,
                };
            }
            b'\'' | b'"' => match plain_string_len(dialect, bytes, i) {
                Some(len) => Some((Tok::Str, len)),
                None => match lex_string(dialect, src, i) {
                    Ok((_, len)) => {
                        escaped = true;
                        Some((Tok::Str, len))
                    }
                    Err(e) => {
                        // An unclosed quote swallows the rest of the input.
                        let unclosed =
                            e.kind == Kind::Syntax && e.message.starts_with("Unclosed quote");
                        if error.is_none() {
                            error = Some(Box::new(e));
                        }
                        if unclosed {
                            return Lexed {
                                end: src.len(),
                                closed: false,
                                error,
                            };
                        }
                        i = skip_string(src, i);
                        continue;
                    }
                },
            },
            b'0'..=b'9' => Some(lex_number(src, i)),
            b'.' if bytes.get(i + 1).is_some_and(u8::is_ascii_digit) => Some(lex_number(src, i)),
            b'.' => Some(single(Tok::Dot, 1)),
            b',' => Some(single(Tok::Comma, 1)),
            b'(' => Some(single(Tok::LParen, 1)),
            b')' => Some(single(Tok::RParen, 1)),
            b'[' => Some(single(Tok::LBracket, 1)),
            b']' => Some(single(Tok::RBracket, 1)),
            b':' => Some(single(Tok::Colon, 1)),
            b'?' if !saml && bytes.get(i + 1) == Some(&b':') => Some(single(Tok::Elvis, 2)),
            b'?' => Some(single(Tok::Question, 1)),
            b'+' if saml && bytes.get(i + 1) == Some(&b'=') => Some(single(Tok::PlusEq, 2)),
            b'+' => Some(single(Tok::Plus, 1)),
            b'-' => Some(single(Tok::Minus, 1)),
            b'*' => Some(single(Tok::Star, 1)),
            b'/' => Some(single(Tok::Slash, 1)),
            b'%' => Some(single(Tok::Percent, 1)),
            b'!' if bytes.get(i + 1) == Some(&b'=') => Some(single(Tok::NotEq, 2)),
            b'!' => Some(single(Tok::Bang, 1)),
            b'=' if bytes.get(i + 1) == Some(&b'=') => Some(single(Tok::EqEq, 2)),
            b'<' if bytes.get(i + 1) == Some(&b'=') => Some(single(Tok::Le, 2)),
            b'<' => Some(single(Tok::Lt, 1)),
            b'>' if bytes.get(i + 1) == Some(&b'=') => Some(single(Tok::Ge, 2)),
            b'>' => Some(single(Tok::Gt, 1)),
            b'&' if bytes.get(i + 1) == Some(&b'&') => Some(single(Tok::AndAnd, 2)),
            b'|' if bytes.get(i + 1) == Some(&b'|') => Some(single(Tok::OrOr, 2)),
            c if c.is_ascii_alphabetic() || c == b'_' || c == b'$' => {
                Some((Tok::Ident, ident_len(src, i)))
            }
            c if c >= 0x80 => {
                let ch = src
                    .get(i..)
                    .and_then(|s| s.chars().next())
                    .unwrap_or('\u{FFFD}');
                if ch.is_alphabetic() {
                    Some((Tok::Ident, ident_len(src, i)))
                } else {
                    None
                }
            }
            _ => None,
        };
        match res {
            Some((tok, len)) => {
                if let Tok::Int | Tok::Float = tok {
                    if let Some(e) = number_error(src, t0, len) {
                        if error.is_none() {
                            error = Some(Box::new(e));
                        }
                    }
                }
                tokens.push(Token::new(tok, escaped, t0..t0 + len));
                i = t0 + len;
            }
            None => {
                let ch = src
                    .get(i..)
                    .and_then(|s| s.chars().next())
                    .unwrap_or('\u{FFFD}');
                let w = ch.len_utf8();
                if error.is_none() {
                    error = Some(Box::new(unexpected_char(dialect, ch, i..i + w, template)));
                }
                i += w;
            }
        }
    }
    Lexed {
        end: src.len(),
        closed: false,
        error,
    }
}

fn unexpected_char(dialect: Dialect, ch: char, span: Range<usize>, template: bool) -> Error {
    let (message, hint): (String, Option<String>) = match ch {
        '=' => (
            "A single `=` is not an operator".into(),
            Some("compare with `==`".into()),
        ),
        '&' => ("A single `&` is not an operator".into(), Some("write `&&` (or `and`)".into())),
        '|' => ("A single `|` is not an operator".into(), Some("write `||` (or `or`)".into())),
        '`' => (
            "A backtick is not part of the Expression Language".into(),
            Some("delete it; strings are quoted with ' or \"".into()),
        ),
        '{' if template => (
            "`{` inside an expression: parts cannot be nested".into(),
            Some(match dialect {
                Dialect::Saml => "close the `${` part with `}` before starting another".into(),
                _ => "close the `{` part with `}` before starting another".into(),
            }),
        ),
        '{' | '}' => (
            format!("`{ch}` is not part of a SCIM expression"),
            Some("the whole SCIM value is one expression; join texts with +, e.g. 'https://' + app.subdomain".into()),
        ),
        '#' | '@' | '\\' | '^' | '~' | ';' => (format!("Unexpected character `{ch}`"), Some("quote literal text, e.g. '@'".into())),
        _ => (format!("Unexpected character `{ch}`"), None),
    };
    Error {
        span,
        message,
        hint,
        kind: Kind::Syntax,
    }
}

/// The bytes that continue an ASCII name: letters, digits, `_` and `$`.
const NAME_BYTES: [bool; 256] = {
    let mut t = [false; 256];
    let mut c = 0;
    while c < 256 {
        let b = c as u8;
        t[c] = b.is_ascii_alphanumeric() || b == b'_' || b == b'$';
        c += 1;
    }
    t
};

/// The length of the name starting at `start` (known to start with a letter, `_` or `$`).
fn ident_len(src: &str, start: usize) -> usize {
    let b = src.as_bytes();
    // ASCII names (all of the real ones) byte by byte, with a table; the rest by character.
    let mut j = start;
    while let Some(&c) = b.get(j) {
        if !NAME_BYTES.get(usize::from(c)).copied().unwrap_or(false) {
            break;
        }
        j += 1;
    }
    if b.get(j).is_none_or(|c| *c < 0x80) {
        return j - start;
    }
    for c in src.get(j..).unwrap_or("").chars() {
        if c.is_alphanumeric() || c == '_' || c == '$' {
            j += c.len_utf8();
        } else {
            break;
        }
    }
    j - start
}

/// The length of the string literal starting at the quote at `start` (quotes included) when it
/// has no escape and no doubled quote, so that its value is the source between the quotes.
fn plain_string_len(dialect: Dialect, bytes: &[u8], start: usize) -> Option<usize> {
    let q = *bytes.get(start)?;
    // Quotes and `\` are ASCII: a byte search finds them on character boundaries.
    let body = bytes.get(start + 1..)?;
    let plain = if dialect == Dialect::Saml {
        let k = body.iter().position(|&b| b == q || b == b'\\')?;
        (body.get(k) == Some(&q)).then_some(k)
    } else {
        let k = body.iter().position(|&b| b == q)?;
        (body.get(k + 1) != Some(&q)).then_some(k)
    };
    plain.map(|k| k + 2)
}

/// Reads a string literal starting at the quote at `start`: returns its value and length.
fn lex_string(dialect: Dialect, src: &str, start: usize) -> Result<(Lit, usize), Error> {
    let rest = src.get(start..).unwrap_or("");
    let mut chars = rest.char_indices();
    let quote = match chars.next() {
        Some((_, q)) => q,
        None => return Err(Error::syntax(start..start, "Expected a string")),
    };
    if let Some(len) = plain_string_len(dialect, src.as_bytes(), start) {
        return Ok((Lit::Src(start + 1..start + len - 1), len));
    }
    let body = rest.get(quote.len_utf8()..).unwrap_or("");
    let mut out = String::with_capacity(body.len().min(64));
    let mut iter = chars.peekable();
    while let Some((k, c)) = iter.next() {
        if c == quote {
            if dialect != Dialect::Saml && iter.peek().map(|&(_, n)| n) == Some(quote) {
                // SpEL: a doubled quote is a quote inside the string.
                out.push(quote);
                iter.next();
                continue;
            }
            return Ok((Lit::Owned(out.into_boxed_str()), k + c.len_utf8()));
        }
        if c == '\\' && dialect == Dialect::Saml {
            match iter.next() {
                Some((_, e @ ('\\' | '\'' | '"'))) => out.push(e),
                Some((k2, e)) => {
                    let s = start + k;
                    return Err(Error {
                        span: s..start + k2 + e.len_utf8(),
                        message: format!("`\\{e}` is not an escape in SAML strings"),
                        hint: Some(
                            "only \\\\, \\' and \\\" are escapes; write \\\\ for a backslash"
                                .into(),
                        ),
                        kind: Kind::Syntax,
                    });
                }
                None => break,
            }
            continue;
        }
        out.push(c);
    }
    let w = quote.len_utf8();
    Err(Error {
        span: start..start + w,
        message: format!("Unclosed quote `{quote}`"),
        hint: Some(format!("add a closing {quote} at the end of the text")),
        kind: Kind::Syntax,
    })
}

/// Skips a string whose content had an error (the quote is known to be closed).
fn skip_string(src: &str, start: usize) -> usize {
    let rest = src.get(start..).unwrap_or("");
    let mut it = rest.char_indices();
    let quote = it.next().map(|(_, q)| q).unwrap_or('\'');
    let mut escaped = false;
    for (k, c) in it {
        if escaped {
            escaped = false;
        } else if c == '\\' {
            escaped = true;
        } else if c == quote {
            return start + k + c.len_utf8();
        }
    }
    src.len()
}

/// Reads a number: digits, an optional fraction and exponent.
fn lex_number(src: &str, start: usize) -> (Tok, usize) {
    let b = src.as_bytes();
    let mut j = start;
    while b.get(j).is_some_and(u8::is_ascii_digit) {
        j += 1;
    }
    let mut float = false;
    if b.get(j) == Some(&b'.') && b.get(j + 1).is_some_and(u8::is_ascii_digit) {
        float = true;
        j += 1;
        while b.get(j).is_some_and(u8::is_ascii_digit) {
            j += 1;
        }
    }
    if matches!(b.get(j), Some(b'e' | b'E')) {
        let mut k = j + 1;
        if matches!(b.get(k), Some(b'+' | b'-')) {
            k += 1;
        }
        if b.get(k).is_some_and(u8::is_ascii_digit) {
            float = true;
            j = k;
            while b.get(j).is_some_and(u8::is_ascii_digit) {
                j += 1;
            }
        }
    }
    // A whole number too large for 64 bits is refused by `number_error`.
    (if float { Tok::Float } else { Tok::Int }, j - start)
}

fn number_error(src: &str, start: usize, len: usize) -> Option<Error> {
    let text = src.get(start..start + len)?;
    let bad = match text.parse::<f64>() {
        Ok(f) => {
            !f.is_finite() || (!text.contains(['.', 'e', 'E']) && text.parse::<i64>().is_err())
        }
        Err(_) => true,
    };
    bad.then(|| Error {
        span: start..start + len,
        message: format!("The number {text} is too large"),
        hint: Some("numbers must fit in 64 bits".into()),
        kind: Kind::Syntax,
    })
}
