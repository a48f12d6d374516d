//! Values and the Java conversions both engines rely on (string form of numbers, UTF-16 units).

use super::{Error, Kind};
use std::borrow::Cow;
use std::ops::Range;

/// The longest text an expression may produce (bytes): guards against explosive nesting.
pub const MAX_LEN: usize = 100_000;

/// A value while evaluating: texts borrow from the source or the variables (`'a`) until an
/// operation makes a new one.
#[derive(Clone, Debug, Default, PartialEq)]
pub(crate) enum Value<'a> {
    #[default]
    Null,
    Str(Cow<'a, str>),
    Int(i64),
    Float(f64),
    Bool(bool),
    /// The result of `fn:split`.
    List(Vec<String>),
}

impl<'a> Value<'a> {
    /// How a value is written in messages.
    pub fn describe(&self) -> String {
        match self {
            Value::Null => "null".into(),
            Value::Str(s) => format!("text '{}'", shorten(s)),
            Value::Int(n) => format!("the number {n}"),
            Value::Float(f) => format!("the number {}", java_double(*f)),
            Value::Bool(b) => format!("`{b}`"),
            Value::List(_) => "a list".into(),
        }
    }

    /// The text form of a value as both languages print it; null is "" (SPEC 6) and a list
    /// cannot be printed.
    pub fn to_text(&self, span: &Range<usize>) -> Result<Cow<'_, str>, Error> {
        Ok(match self {
            Value::Null => Cow::Borrowed(""),
            Value::Str(s) => Cow::Borrowed(s),
            Value::Int(n) => Cow::Owned(n.to_string()),
            Value::Float(f) => Cow::Owned(java_double(*f)),
            Value::Bool(true) => Cow::Borrowed("true"),
            Value::Bool(false) => Cow::Borrowed("false"),
            Value::List(_) => {
                return Err(Error {
                    span: span.clone(),
                    message: "A list cannot be used as text".into(),
                    hint: Some("join it, e.g. fn:join(fn:split(org.x, ','), ';')".into()),
                    kind: Kind::Type,
                })
            }
        })
    }

    pub fn into_text(self, span: &Range<usize>) -> Result<Cow<'a, str>, Error> {
        match self {
            Value::Str(s) => Ok(s),
            Value::Null => Ok(Cow::Borrowed("")),
            Value::Bool(true) => Ok(Cow::Borrowed("true")),
            Value::Bool(false) => Ok(Cow::Borrowed("false")),
            other => other.to_text(span).map(|t| Cow::Owned(t.into_owned())),
        }
    }
}

/// `a` followed by `b`, refusing results over [`MAX_LEN`]; reuses `a`'s buffer when it owns one
/// and copies nothing when either side is empty.
pub(crate) fn concat<'a>(
    a: Cow<'a, str>,
    b: Cow<'a, str>,
    span: &Range<usize>,
) -> Result<Cow<'a, str>, Error> {
    limit(a.len() + b.len(), span)?;
    if b.is_empty() {
        return Ok(a);
    }
    if a.is_empty() {
        return Ok(b);
    }
    Ok(Cow::Owned(match a {
        Cow::Owned(mut s) => {
            s.push_str(&b);
            s
        }
        Cow::Borrowed(s) => {
            // Room for what usually follows (more parts of a URL) without growing again.
            let mut out = String::with_capacity((s.len() + b.len()).max(32) * 2);
            out.push_str(s);
            out.push_str(&b);
            out
        }
    }))
}

/// The part `r` of a text (a range on character boundaries), borrowing when `s` borrows.
pub(crate) fn sub(s: Cow<'_, str>, r: Range<usize>) -> Cow<'_, str> {
    match s {
        Cow::Borrowed(b) => Cow::Borrowed(b.get(r).unwrap_or("")),
        Cow::Owned(o) => {
            if r.start == 0 && r.end == o.len() {
                Cow::Owned(o)
            } else {
                Cow::Owned(o.get(r).unwrap_or("").to_string())
            }
        }
    }
}

/// Where `needle` first occurs in `hay` (`hay.find(needle)`), faster on what expressions
/// search: a separator of one byte or a few in a short text, found by looking for its first
/// byte and comparing the rest, without the setup of a general text search. A match starts
/// on a character boundary, as the needle's first byte starts a character.
pub(crate) fn find_text(hay: &str, needle: &str) -> Option<usize> {
    let (h, n) = (hay.as_bytes(), needle.as_bytes());
    let Some((&first, rest)) = n.split_first() else {
        return Some(0);
    };
    if h.len() > 256 {
        return hay.find(needle);
    }
    let mut from = 0;
    loop {
        let at = from + h.get(from..)?.iter().position(|&b| b == first)?;
        if h.get(at + 1..at + 1 + rest.len()) == Some(rest) {
            return Some(at);
        }
        from = at + 1;
    }
}

/// Shortens a text for a message, at a character boundary.
pub(crate) fn shorten(s: &str) -> String {
    const MAX: usize = 40;
    if s.chars().count() <= MAX {
        return s.to_string();
    }
    let mut out: String = s.chars().take(MAX).collect();
    out.push('…');
    out
}

/// Java's `Double.toString`: `1.0`, `0.5`, `1.0E10`, `1.0E-5`, `NaN`, `Infinity`.
pub(crate) fn java_double(f: f64) -> String {
    if f.is_nan() {
        return "NaN".into();
    }
    if f.is_infinite() {
        return if f > 0.0 {
            "Infinity".into()
        } else {
            "-Infinity".into()
        };
    }
    if f == 0.0 {
        return if f.is_sign_negative() {
            "-0.0".into()
        } else {
            "0.0".into()
        };
    }
    let a = f.abs();
    if (1e-3..1e7).contains(&a) {
        let s = format!("{f}");
        if s.contains('.') {
            s
        } else {
            format!("{s}.0")
        }
    } else {
        let s = format!("{f:e}");
        let (m, e) = s.split_once('e').unwrap_or((s.as_str(), "0"));
        let m = if m.contains('.') {
            m.to_string()
        } else {
            format!("{m}.0")
        };
        format!("{m}E{e}")
    }
}

/// Length in UTF-16 code units, as Java's `String.length()`.
pub(crate) fn utf16_len(s: &str) -> usize {
    if s.is_ascii() {
        s.len()
    } else {
        s.encode_utf16().count()
    }
}

/// Java's `indexOf`, in UTF-16 units.
pub(crate) fn utf16_index_of(hay: &str, needle: &str) -> Option<usize> {
    hay.find(needle)
        .map(|b| utf16_len(hay.get(..b).unwrap_or("")))
}

/// Java's `substring(begin, end)` with indexes already checked to be in range; a surrogate
/// pair cut in half becomes U+FFFD.
pub(crate) fn utf16_substring(s: Cow<'_, str>, begin: usize, end: usize) -> Cow<'_, str> {
    if s.is_ascii() {
        return sub(s, begin..end);
    }
    let units: Vec<u16> = s.encode_utf16().collect();
    Cow::Owned(String::from_utf16_lossy(
        units.get(begin..end).unwrap_or(&[]),
    ))
}

/// Java's `compareTo` on strings: by UTF-16 units.
pub(crate) fn utf16_cmp(a: &str, b: &str) -> std::cmp::Ordering {
    if a.is_ascii() && b.is_ascii() {
        a.cmp(b)
    } else {
        a.encode_utf16().cmp(b.encode_utf16())
    }
}

/// Refuses texts longer than [`MAX_LEN`].
pub(crate) fn limit(len: usize, span: &Range<usize>) -> Result<(), Error> {
    if len > MAX_LEN {
        return Err(Error {
            span: span.clone(),
            message: format!("The result would be longer than {MAX_LEN} characters"),
            hint: None,
            kind: Kind::Evaluation,
        });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `find_text` answers what `str::find` answers: every needle cut from a set of texts,
    /// plus absent, empty and non-ASCII ones, and a text longer than the short-text path.
    #[test]
    fn find_text_is_str_find() {
        let long = "ab".repeat(200) + "needle";
        let hays = [
            "",
            "a",
            "acme.okta.com",
            "http://acme.example.com",
            "aaab",
            "abcabc",
            "héllo wörld é",
            "日本語のテキスト",
            long.as_str(),
        ];
        let mut needles: Vec<&str> = vec!["", "x", "é", "ö", "語", "needle", "abab", "aab"];
        for h in hays {
            for (i, _) in h.char_indices() {
                for (j, _) in h.char_indices().skip_while(|(j, _)| *j <= i).take(4) {
                    needles.extend(h.get(i..j));
                }
            }
        }
        for h in hays {
            for n in &needles {
                assert_eq!(find_text(h, n), h.find(n), "{h:?} {n:?}");
            }
        }
    }
}
