//! SPEC 4.4: SAML 2.0 properties.

use super::{Checker, UrlRule};
use crate::domain::expressions::ExprKind;
use crate::domain::limits::{ACS_INDEX_MAX, URL_PROPERTY_MAX_CHARS};
use crate::domain::problems::is_blank;
use crate::expr::Dialect;

const ACS: UrlRule = UrlRule {
    required: true,
    max_chars: Some(URL_PROPERTY_MAX_CHARS),
    expression: Some(Dialect::Saml),
    relaxable: true,
};

/// Parses an ACS index as typed: `Err` is the message (SPEC 4.4: integer 0–65535).
pub fn parse_acs_index(text: &str) -> Result<u32, String> {
    let t = text.trim();
    if t.is_empty() {
        return Err("Index is required".into());
    }
    let digits = t.strip_prefix(['-', '+']).unwrap_or(t);
    if digits.is_empty() || !digits.chars().all(|ch| ch.is_ascii_digit()) {
        return Err(format!(
            "Index \"{t}\" must be a whole number 0–{ACS_INDEX_MAX}"
        ));
    }
    match t.parse::<u32>() {
        Ok(n) if n <= ACS_INDEX_MAX => Ok(n),
        _ => Err(format!("Index {t} is out of range 0–{ACS_INDEX_MAX}")),
    }
}

/// Splits attribute values on commas outside `${ … }` and quotes.
pub fn split_values(values: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut depth = 0usize;
    let mut quote: Option<char> = None;
    let mut start = 0;
    for (i, ch) in values.char_indices() {
        match (quote, ch) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), _) => {}
            (None, '\'' | '"') if depth > 0 => quote = Some(ch),
            (None, '{') => depth += 1,
            (None, '}') => depth = depth.saturating_sub(1),
            (None, ',') if depth == 0 => {
                out.push(values[start..i].trim());
                start = i + 1;
            }
            _ => {}
        }
    }
    out.push(values[start..].trim());
    out
}

pub(super) fn check(c: &mut Checker<'_>) {
    let saml = &c.s.saml;
    // SPEC 4.4: default ACS URL, https, ≤ 1024, expression allowed.
    c.url(
        "saml.defaultAcsUrl",
        "Default ACS URL",
        &saml.default_acs_url,
        ACS,
    );
    // SPEC 4.4: other ACS rows need URL and index; indexes unique.
    let mut seen: Vec<u32> = Vec::new();
    for (i, row) in saml.other_acs_urls.iter().enumerate() {
        c.url(
            &format!("saml.otherAcsUrls[{i}].url"),
            "ACS URL",
            &row.url,
            ACS,
        );
        let field = format!("saml.otherAcsUrls[{i}].index");
        match parse_acs_index(&row.index) {
            Err(message) => c.error(field, message),
            Ok(n) if seen.contains(&n) => c.error(
                field,
                format!("Index {n} is already used by another ACS URL"),
            ),
            Ok(n) => seen.push(n),
        }
    }
    // SPEC 4.4: entity ID required.
    c.required(
        "saml.entityId",
        "Entity ID / audience restriction",
        &saml.entity_id,
    );
    // SPEC 4.4: attribute statements need name and values; expressions checked by the seam.
    for (i, row) in saml.attribute_statements.iter().enumerate() {
        c.required(
            &format!("saml.attributeStatements[{i}].name"),
            "Attribute name",
            &row.name,
        );
        let field = format!("saml.attributeStatements[{i}].values");
        if c.required(&field, "A value", &row.values) {
            for value in split_values(&row.values) {
                if is_blank(value) {
                    c.error(&field, "Values has an empty entry between commas");
                } else if c.ex.is_expression(Dialect::Saml, value) {
                    c.expression(&field, Dialect::Saml, value, ExprKind::SamlAttributeValue);
                }
            }
        }
    }
    for (i, row) in saml.group_attributes.iter().enumerate() {
        c.required(
            &format!("saml.groupAttributes[{i}].name"),
            "Group attribute name",
            &row.name,
        );
        c.required(
            &format!("saml.groupAttributes[{i}].value"),
            "Filter value",
            &row.value,
        );
    }
    c.url(
        "saml.configGuideUrl",
        "Configuration guide URL",
        &saml.config_guide_url,
        UrlRule {
            required: true,
            max_chars: Some(URL_PROPERTY_MAX_CHARS),
            expression: None,
            relaxable: false,
        },
    );
}
