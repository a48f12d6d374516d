//! Writing XML that is already in Exclusive XML Canonicalization form (exc-c14n, W3C
//! "Exclusive XML Canonicalization 1.0", without comments), so what is signed is exactly what
//! is sent: no XML declaration, no self-closing tags, attributes in canonical order, each
//! namespace declared on the outermost element that visibly uses its prefix (exc-c14n §3),
//! and text and attribute values escaped as Canonical XML 1.0 §2.3 prescribes.
//!
//! Elements are a small tree ([`El`]) rendered by [`El::render`]; every namespace prefix the
//! provider uses has one URI ([`namespace`]).

use std::collections::BTreeMap;

pub const NS_SAMLP: &str = "urn:oasis:names:tc:SAML:2.0:protocol";
pub const NS_SAML: &str = "urn:oasis:names:tc:SAML:2.0:assertion";
pub const NS_DS: &str = "http://www.w3.org/2000/09/xmldsig#";
pub const NS_MD: &str = "urn:oasis:names:tc:SAML:2.0:metadata";

/// The URI of each prefix this provider writes.
pub fn namespace(prefix: &str) -> Option<&'static str> {
    match prefix {
        "samlp" => Some(NS_SAMLP),
        "saml" => Some(NS_SAML),
        "ds" => Some(NS_DS),
        "md" => Some(NS_MD),
        _ => None,
    }
}

/// An element: a prefixed name, unqualified attributes, children.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct El {
    name: &'static str,
    attrs: Vec<(&'static str, String)>,
    children: Vec<Node>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
enum Node {
    El(El),
    Text(String),
}

impl El {
    /// `name` is `prefix:local` with a prefix [`namespace`] knows.
    pub fn new(name: &'static str) -> El {
        El {
            name,
            attrs: Vec::new(),
            children: Vec::new(),
        }
    }

    pub fn attr(mut self, name: &'static str, value: impl Into<String>) -> El {
        self.attrs.push((name, value.into()));
        self
    }

    pub fn opt_attr(self, name: &'static str, value: Option<impl Into<String>>) -> El {
        match value {
            Some(v) => self.attr(name, v),
            None => self,
        }
    }

    pub fn child(mut self, child: El) -> El {
        self.children.push(Node::El(child));
        self
    }

    pub fn children(mut self, children: impl IntoIterator<Item = El>) -> El {
        self.children.extend(children.into_iter().map(Node::El));
        self
    }

    pub fn text(mut self, text: impl Into<String>) -> El {
        self.children.push(Node::Text(text.into()));
        self
    }

    /// Inserts `child` at `index` (after the `Issuer` for an enveloped signature).
    pub fn insert(&mut self, index: usize, child: El) {
        let at = index.min(self.children.len());
        self.children.insert(at, Node::El(child));
    }

    /// The element as its own exc-c14n document subset (no namespace rendered above it).
    pub fn render(&self) -> String {
        let mut out = String::new();
        self.render_into(&mut out, &BTreeMap::new());
        out
    }

    fn render_into(&self, out: &mut String, rendered: &BTreeMap<&'static str, &'static str>) {
        let name: &'static str = self.name;
        let (prefix, _) = name.split_once(':').unwrap_or(("", name));
        let mut scope = rendered.clone();
        out.push('<');
        out.push_str(self.name);
        // exc-c14n §3: a namespace node is output where the element visibly utilizes it and
        // no output ancestor already declared it with the same value. Attributes here are
        // unqualified, so only the element's own prefix counts.
        if let Some(uri) = namespace(prefix) {
            if rendered.get(prefix) != Some(&uri) {
                out.push_str(" xmlns:");
                out.push_str(prefix);
                out.push_str("=\"");
                out.push_str(uri);
                out.push('"');
                scope.insert(prefix, uri);
            }
        }
        // Canonical XML §2.2: attributes sorted by (namespace URI, local name); all of
        // ours have no namespace, so by name.
        let mut attrs: Vec<&(&str, String)> = self.attrs.iter().collect();
        attrs.sort_by(|a, b| a.0.cmp(b.0));
        for (name, value) in attrs {
            out.push(' ');
            out.push_str(name);
            out.push_str("=\"");
            escape_attr(value, out);
            out.push('"');
        }
        out.push('>');
        for child in &self.children {
            match child {
                Node::El(e) => e.render_into(out, &scope),
                Node::Text(t) => escape_text(t, out),
            }
        }
        out.push_str("</");
        out.push_str(self.name);
        out.push('>');
    }
}

/// XML 1.0 §2.2 Char: characters that cannot appear in a document at all are replaced by
/// U+FFFD (a user's name could hold a control character).
fn xml_char(c: char) -> char {
    match c {
        '\t' | '\n' | '\r' => c,
        c if (c as u32) < 0x20 => '\u{FFFD}',
        '\u{FFFE}' | '\u{FFFF}' => '\u{FFFD}',
        c => c,
    }
}

/// Canonical XML 1.0 §2.3: text nodes escape `&`, `<`, `>` and #xD.
pub fn escape_text(text: &str, out: &mut String) {
    for c in text.chars().map(xml_char) {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '\r' => out.push_str("&#xD;"),
            c => out.push(c),
        }
    }
}

/// Canonical XML 1.0 §2.3: attribute values escape `&`, `<`, `"`, #x9, #xA and #xD.
pub fn escape_attr(value: &str, out: &mut String) {
    for c in value.chars().map(xml_char) {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '"' => out.push_str("&quot;"),
            '\t' => out.push_str("&#x9;"),
            '\n' => out.push_str("&#xA;"),
            '\r' => out.push_str("&#xD;"),
            c => out.push(c),
        }
    }
}

/// HTML-escapes text for the POST form page (`&`, `<`, `>`, `"`, `'`).
pub fn escape_html(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn canonical_order_namespaces_and_escapes() {
        let el = El::new("samlp:Response")
            .attr("Version", "2.0")
            .attr("ID", "_1")
            .attr("Destination", "https://sp.example/acs?a=1&b=\"2\"\n")
            .child(El::new("saml:Issuer").text("a<b>&c\r"))
            .child(El::new("saml:Assertion").child(El::new("saml:Issuer")));
        assert_eq!(
            el.render(),
            "<samlp:Response xmlns:samlp=\"urn:oasis:names:tc:SAML:2.0:protocol\" \
             Destination=\"https://sp.example/acs?a=1&amp;b=&quot;2&quot;&#xA;\" ID=\"_1\" Version=\"2.0\">\
             <saml:Issuer xmlns:saml=\"urn:oasis:names:tc:SAML:2.0:assertion\">a&lt;b&gt;&amp;c&#xD;</saml:Issuer>\
             <saml:Assertion xmlns:saml=\"urn:oasis:names:tc:SAML:2.0:assertion\"><saml:Issuer></saml:Issuer></saml:Assertion>\
             </samlp:Response>"
        );
    }

    #[test]
    fn control_characters_never_reach_the_output() {
        let mut out = String::new();
        escape_text("a\u{0}b\u{1b}c\tdé", &mut out);
        assert_eq!(out, "a\u{FFFD}b\u{FFFD}c\tdé");
    }
}
