//! Values and the Java conversions both engines rely on (string form of numbers, UTF-16 units).

use super::{Error, Kind};
use std::ops::Range;

/// The longest text an expression may produce (bytes): guards against explosive nesting.
pub const MAX_LEN: usize = 100_000;

#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Value {
    Null,
    Str(String),
    Int(i64),
    Float(f64),
    Bool(bool),
    /// The result of `fn:split`.
    List(Vec<String>),
}

impl Value {
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
    pub fn to_text(&self, span: &Range<usize>) -> Result<String, Error> {
        Ok(match self {
            Value::Null => String::new(),
            Value::Str(s) => s.clone(),
            Value::Int(n) => n.to_string(),
            Value::Float(f) => java_double(*f),
            Value::Bool(b) => b.to_string(),
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

    pub fn into_text(self, span: &Range<usize>) -> Result<String, Error> {
        match self {
            Value::Str(s) => Ok(s),
            other => other.to_text(span),
        }
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
pub(crate) fn utf16_substring(s: &str, begin: usize, end: usize) -> String {
    if s.is_ascii() {
        return s.get(begin..end).unwrap_or("").to_string();
    }
    let units: Vec<u16> = s.encode_utf16().collect();
    String::from_utf16_lossy(units.get(begin..end).unwrap_or(&[]))
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
