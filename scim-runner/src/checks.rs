//! Pure checks of SCIM responses (RFC 7643, RFC 7644): each answers `Ok` or the reason a
//! vendor can act on. No I/O here, so every rule is tested on JSON alone.

use serde_json::Value;

use crate::http::Reply;
use crate::report::Rule;

/// `urn:ietf:params:scim:api:messages:2.0:ListResponse` (RFC 7644 §3.4.2).
pub const LIST_RESPONSE: &str = "urn:ietf:params:scim:api:messages:2.0:ListResponse";
/// `urn:ietf:params:scim:api:messages:2.0:Error` (RFC 7644 §3.12).
pub const ERROR: &str = "urn:ietf:params:scim:api:messages:2.0:Error";
/// `urn:ietf:params:scim:api:messages:2.0:PatchOp` (RFC 7644 §3.5.2).
pub const PATCH_OP: &str = "urn:ietf:params:scim:api:messages:2.0:PatchOp";
/// The core User schema (RFC 7643 §4.1).
pub const USER: &str = "urn:ietf:params:scim:schemas:core:2.0:User";
/// The core Group schema (RFC 7643 §4.2).
pub const GROUP: &str = "urn:ietf:params:scim:schemas:core:2.0:Group";
/// The ServiceProviderConfig schema (RFC 7643 §5).
pub const SERVICE_PROVIDER_CONFIG: &str =
    "urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig";

/// A rule of an RFC.
pub fn rule(document: &str, section: &str, text: &str) -> Rule {
    Rule {
        document: document.into(),
        section: section.into(),
        text: text.into(),
    }
}

/// "201 Created", "404 Not Found"…
pub fn status_text(status: u16) -> String {
    let reason = reqwest::StatusCode::from_u16(status)
        .ok()
        .and_then(|s| s.canonical_reason())
        .unwrap_or("");
    format!("{status} {reason}").trim_end().to_string()
}

/// The server's own explanation in a SCIM error body, if any (`detail`, `scimType`).
pub fn server_detail(reply: &Reply) -> Option<String> {
    let v = reply.json.as_ref()?;
    let detail = v.get("detail").and_then(Value::as_str);
    let scim_type = v.get("scimType").and_then(Value::as_str);
    match (detail, scim_type) {
        (Some(d), Some(t)) => Some(format!("{d} (scimType {t})")),
        (Some(d), None) => Some(d.to_string()),
        (None, Some(t)) => Some(format!("scimType {t}")),
        (None, None) => None,
    }
}

/// The status is one of `expected`; otherwise says what came instead and why, if the server
/// said.
pub fn expect_status(reply: &Reply, expected: &[u16], action: &str) -> Result<(), String> {
    if expected.contains(&reply.status) {
        return Ok(());
    }
    let wanted: Vec<String> = expected.iter().map(|s| status_text(*s)).collect();
    let mut msg = format!(
        "{action} answered {}; expected {}.",
        status_text(reply.status),
        wanted.join(" or ")
    );
    if (300..400).contains(&reply.status) {
        let location = reply.header("location");
        msg.push_str(&format!(
            " The runner does not follow redirects (to {}): use the final address as the base URL.",
            if location.is_empty() {
                "an unnamed location"
            } else {
                location
            }
        ));
    } else if reply.status == 429 {
        let after = reply.header("retry-after");
        msg.push_str(&format!(
            " The server rate-limited the runner{}: allow at least a few requests per second from the provisioning client.",
            if after.is_empty() { String::new() } else { format!(" (Retry-After: {after})") }
        ));
    } else if let Some(detail) = server_detail(reply) {
        msg.push_str(&format!(" The server said: {detail}"));
    }
    Err(msg)
}

/// The body is SCIM JSON: `application/scim+json` (or `application/json`) and a JSON object.
pub fn scim_json(reply: &Reply) -> Result<&Value, String> {
    let media = reply.media_type();
    if media != "application/scim+json" && media != "application/json" {
        let shown = if media.is_empty() {
            "no Content-Type".to_string()
        } else {
            format!("Content-Type {media}")
        };
        return Err(format!(
            "The response is not SCIM JSON: it has {shown}; SCIM responses are application/scim+json (RFC 7644 §8.1). Is the base URL pointing at a web page instead of the SCIM API?"
        ));
    }
    match &reply.json {
        Some(v @ Value::Object(_)) => Ok(v),
        _ => Err("The response says JSON but its body is not a JSON object.".into()),
    }
}

/// `schemas` contains `urn` (RFC 7643 §3: every SCIM message names its schemas).
pub fn has_schema(v: &Value, urn: &str) -> Result<(), String> {
    let list = v.get("schemas").and_then(Value::as_array);
    match list {
        Some(items) if items.iter().any(|s| s.as_str() == Some(urn)) => Ok(()),
        Some(items) => {
            let shown: Vec<&str> = items.iter().filter_map(Value::as_str).collect();
            Err(format!(
                "Wrong schema URN: \"schemas\" is [{}]; it must contain {urn} (RFC 7643 §3).",
                shown.join(", ")
            ))
        }
        None => Err(format!(
            "The body has no \"schemas\" attribute; it must contain {urn} (RFC 7643 §3)."
        )),
    }
}

/// A parsed ListResponse (RFC 7644 §3.4.2).
#[derive(Clone, Debug, PartialEq)]
pub struct Page {
    /// `totalResults`.
    pub total: u64,
    /// `startIndex`, when given.
    pub start_index: Option<u64>,
    /// `itemsPerPage`, when given.
    pub items_per_page: Option<u64>,
    /// `Resources` (empty when absent).
    pub resources: Vec<Value>,
}

/// The body is a ListResponse with `totalResults` and, when it says there are results on this
/// page, a `Resources` array.
pub fn list_response(reply: &Reply) -> Result<Page, String> {
    let v = scim_json(reply)?;
    has_schema(v, LIST_RESPONSE)?;
    let total = v.get("totalResults").and_then(Value::as_u64).ok_or(
        "The ListResponse has no \"totalResults\" number; it is required (RFC 7644 §3.4.2).",
    )?;
    let resources = match v.get("Resources") {
        None | Some(Value::Null) => Vec::new(),
        Some(Value::Array(items)) => items.clone(),
        Some(_) => return Err("\"Resources\" must be an array (RFC 7644 §3.4.2).".into()),
    };
    Ok(Page {
        total,
        start_index: v.get("startIndex").and_then(Value::as_u64),
        items_per_page: v.get("itemsPerPage").and_then(Value::as_u64),
        resources,
    })
}

/// The body is a SCIM error with this status (RFC 7644 §3.12): Error schema, `status` equal
/// (a JSON string by the RFC; a number is accepted).
pub fn error_body(reply: &Reply, status: u16) -> Result<&Value, String> {
    let v = scim_json(reply)
        .map_err(|e| format!("{e} Errors must be SCIM error bodies (RFC 7644 §3.12)."))?;
    has_schema(v, ERROR)?;
    let said = match v.get("status") {
        Some(Value::String(s)) => s.trim().parse::<u16>().ok(),
        Some(Value::Number(n)) => n.as_u64().and_then(|n| u16::try_from(n).ok()),
        _ => None,
    };
    if said != Some(status) {
        return Err(format!(
            "The error body's \"status\" is {}; it must be \"{status}\", the HTTP status as a string (RFC 7644 §3.12).",
            v.get("status").map(Value::to_string).unwrap_or_else(|| "missing".into())
        ));
    }
    Ok(v)
}

/// The resource's `id` (a non-empty string, RFC 7643 §3.1).
pub fn resource_id(v: &Value) -> Result<String, String> {
    match v.get("id").and_then(Value::as_str) {
        Some(id) if !id.trim().is_empty() => Ok(id.to_string()),
        _ => Err(
            "The resource has no \"id\"; the service provider must assign one (RFC 7643 §3.1)."
                .into(),
        ),
    }
}

/// The resource has this `id`.
pub fn same_id(v: &Value, id: &str) -> Result<(), String> {
    let got = resource_id(v)?;
    if got == id {
        Ok(())
    } else {
        Err(format!(
            "The resource returned has id \"{got}\", not \"{id}\"."
        ))
    }
}

/// A string attribute (dotted path for sub-attributes) equals `want`; attribute names are
/// case-insensitive (RFC 7643 §2.1), and so is the value when `case_exact` is false.
pub fn attribute_equals(v: &Value, path: &str, want: &str, case_exact: bool) -> Result<(), String> {
    let got = lookup(v, path).and_then(Value::as_str);
    let same = match got {
        Some(g) if case_exact => g == want,
        Some(g) => g.eq_ignore_ascii_case(want),
        None => false,
    };
    if same {
        Ok(())
    } else {
        Err(format!(
            "\"{path}\" is {}; expected \"{want}\".",
            got.map(|g| format!("\"{g}\""))
                .unwrap_or_else(|| "missing".into())
        ))
    }
}

/// A boolean attribute's value.
pub fn attribute_bool(v: &Value, path: &str) -> Option<bool> {
    lookup(v, path).and_then(Value::as_bool)
}

/// An attribute by dotted path, names matched case-insensitively (RFC 7643 §2.1).
pub fn lookup<'v>(v: &'v Value, path: &str) -> Option<&'v Value> {
    let mut cur = v;
    for part in path.split('.') {
        let obj = cur.as_object()?;
        cur = obj
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(part))
            .map(|(_, v)| v)?;
    }
    Some(cur)
}

/// The password is never returned (RFC 7643 §4.1.1: `password` has returned "never").
pub fn no_password(v: &Value) -> Result<(), String> {
    if lookup(v, "password").is_some() {
        Err(
            "The response contains \"password\"; a password is never returned (RFC 7643 §4.1.1)."
                .into(),
        )
    } else {
        Ok(())
    }
}

/// The group's `members` values.
pub fn member_ids(group: &Value) -> Vec<String> {
    lookup(group, "members")
        .and_then(Value::as_array)
        .map(|items| {
            items
                .iter()
                .filter_map(|m| {
                    lookup(m, "value")
                        .and_then(Value::as_str)
                        .map(str::to_string)
                })
                .collect()
        })
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use reqwest::header::{HeaderMap, HeaderValue};
    use serde_json::json;

    fn reply(status: u16, content_type: &str, body: &str) -> Reply {
        let mut headers = HeaderMap::new();
        if !content_type.is_empty() {
            headers.insert("content-type", HeaderValue::from_str(content_type).unwrap());
        }
        Reply {
            status,
            headers,
            body: body.as_bytes().to_vec(),
            json: serde_json::from_str(body).ok(),
        }
    }

    #[test]
    fn list_response_rules() {
        let ok = r#"{"schemas":["urn:ietf:params:scim:api:messages:2.0:ListResponse"],"totalResults":2,"startIndex":1,"itemsPerPage":1,"Resources":[{"id":"a"}]}"#;
        let cases: &[(&str, &str, Result<u64, &str>)] = &[
            ("application/scim+json", ok, Ok(2)),
            ("application/json; charset=utf-8", ok, Ok(2)),
            (
                "text/html",
                "<html>Sign in</html>",
                Err("not SCIM JSON: it has Content-Type text/html"),
            ),
            ("", ok, Err("it has no Content-Type")),
            (
                "application/scim+json",
                r#"{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"totalResults":1}"#,
                Err(
                    "Wrong schema URN: \"schemas\" is [urn:ietf:params:scim:schemas:core:2.0:User]",
                ),
            ),
            (
                "application/scim+json",
                r#"{"totalResults":1}"#,
                Err("no \"schemas\" attribute"),
            ),
            (
                "application/scim+json",
                r#"{"schemas":["urn:ietf:params:scim:api:messages:2.0:ListResponse"]}"#,
                Err("no \"totalResults\""),
            ),
            (
                "application/scim+json",
                r#"{"schemas":["urn:ietf:params:scim:api:messages:2.0:ListResponse"],"totalResults":0}"#,
                Ok(0),
            ),
            (
                "application/scim+json",
                r#"{"schemas":["urn:ietf:params:scim:api:messages:2.0:ListResponse"],"totalResults":1,"Resources":{}}"#,
                Err("must be an array"),
            ),
            ("application/scim+json", "[]", Err("not a JSON object")),
        ];
        for (ct, body, want) in cases {
            let got = list_response(&reply(200, ct, body)).map(|p| p.total);
            match (got, want) {
                (Ok(t), Ok(w)) => assert_eq!(t, *w, "{body}"),
                (Err(e), Err(w)) => assert!(e.contains(w), "{body}: {e}"),
                (g, w) => panic!("{body}: got {g:?}, want {w:?}"),
            }
        }
    }

    #[test]
    fn error_body_rules() {
        let ct = "application/scim+json";
        let cases: &[(&str, Result<(), &str>)] = &[
            (
                r#"{"schemas":["urn:ietf:params:scim:api:messages:2.0:Error"],"status":"404","detail":"x"}"#,
                Ok(()),
            ),
            (
                r#"{"schemas":["urn:ietf:params:scim:api:messages:2.0:Error"],"status":404}"#,
                Ok(()),
            ),
            (
                r#"{"schemas":["urn:ietf:params:scim:api:messages:2.0:Error"],"status":"400"}"#,
                Err("\"status\" is \"400\"; it must be \"404\""),
            ),
            (
                r#"{"schemas":["urn:ietf:params:scim:api:messages:2.0:Error"]}"#,
                Err("\"status\" is missing"),
            ),
            (r#"{"error":"not found"}"#, Err("no \"schemas\"")),
        ];
        for (body, want) in cases {
            let got = error_body(&reply(404, ct, body), 404).map(|_| ());
            match (got, want) {
                (Ok(()), Ok(())) => {}
                (Err(e), Err(w)) => assert!(e.contains(w), "{body}: {e}"),
                (g, w) => panic!("{body}: got {g:?}, want {w:?}"),
            }
        }
        let plain = error_body(&reply(404, "text/plain", "Not Found"), 404).unwrap_err();
        assert!(
            plain.contains("text/plain") && plain.contains("§3.12"),
            "{plain}"
        );
    }

    #[test]
    fn status_messages_name_both_codes_and_the_servers_detail() {
        let r = reply(
            400,
            "application/scim+json",
            r#"{"schemas":["urn:ietf:params:scim:api:messages:2.0:Error"],"status":"400","scimType":"invalidValue","detail":"bad email"}"#,
        );
        let e = expect_status(&r, &[201], "POST /Users").unwrap_err();
        assert_eq!(e, "POST /Users answered 400 Bad Request; expected 201 Created. The server said: bad email (scimType invalidValue)");
        let mut redirect = reply(302, "", "");
        redirect.headers.insert(
            "location",
            HeaderValue::from_static("https://login.example.com/"),
        );
        let e = expect_status(&redirect, &[200], "GET /Users").unwrap_err();
        assert!(
            e.contains("does not follow redirects (to https://login.example.com/)"),
            "{e}"
        );
        assert!(expect_status(&r, &[400], "x").is_ok());
        let mut limited = reply(429, "", "");
        limited
            .headers
            .insert("retry-after", HeaderValue::from_static("30"));
        let e = expect_status(&limited, &[200], "GET /Users").unwrap_err();
        assert!(
            e.contains("429 Too Many Requests")
                && e.contains("rate-limited the runner (Retry-After: 30)"),
            "{e}"
        );
    }

    #[test]
    fn attributes_are_matched_case_insensitively_by_name() {
        let v = json!({"userName":"Ann@Example.com","Name":{"givenName":"Ann"},"active":false,
                       "members":[{"value":"u1"},{"value":"u2","display":"B"}]});
        assert!(attribute_equals(&v, "username", "ann@example.com", false).is_ok());
        assert!(attribute_equals(&v, "userName", "ann@example.com", true).is_err());
        assert!(attribute_equals(&v, "name.givenName", "Ann", true).is_ok());
        assert_eq!(
            attribute_equals(&v, "name.familyName", "X", true).unwrap_err(),
            "\"name.familyName\" is missing; expected \"X\"."
        );
        assert_eq!(attribute_bool(&v, "active"), Some(false));
        assert_eq!(member_ids(&v), vec!["u1", "u2"]);
        assert!(no_password(&v).is_ok());
        assert!(no_password(&json!({"password":"x"})).is_err());
        assert!(resource_id(&json!({"id":" "})).is_err());
        assert!(same_id(&json!({"id":"a"}), "b").is_err());
    }

    use proptest::prelude::*;

    /// Any JSON value, nested a few levels, with the attribute names the checks look for.
    fn json_value() -> impl Strategy<Value = Value> {
        let key = prop_oneof![
            Just("schemas".to_string()),
            Just("totalResults".to_string()),
            Just("Resources".to_string()),
            Just("status".to_string()),
            Just("id".to_string()),
            Just("members".to_string()),
            Just("value".to_string()),
            Just("password".to_string()),
            Just("detail".to_string()),
            Just("scimType".to_string()),
            "[a-zA-Z.]{0,6}",
        ];
        let leaf = prop_oneof![
            Just(Value::Null),
            any::<bool>().prop_map(Value::Bool),
            any::<i64>().prop_map(|n| json!(n)),
            any::<f64>().prop_map(|f| json!(f)),
            ".{0,12}".prop_map(Value::String),
            Just(json!(LIST_RESPONSE)),
            Just(json!(ERROR)),
        ];
        leaf.prop_recursive(4, 48, 6, move |inner| {
            prop_oneof![
                prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
                prop::collection::vec((key.clone(), inner), 0..6)
                    .prop_map(|kv| Value::Object(kv.into_iter().collect())),
            ]
        })
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

        /// A server controls every byte of a response: no check panics on any of them.
        #[test]
        fn no_check_panics_on_any_response(v in json_value(), status in 0u16..1000, ct in prop_oneof![
            Just("application/scim+json"), Just("application/json"), Just("text/html"), Just("")
        ], path in "[a-zA-Z.]{0,12}") {
            let r = reply(status, ct, &v.to_string());
            let _ = list_response(&r);
            let _ = error_body(&r, status);
            let _ = expect_status(&r, &[200, 201], "GET /Users");
            let _ = server_detail(&r);
            let _ = has_schema(&v, USER);
            let _ = resource_id(&v);
            let _ = same_id(&v, "x");
            let _ = attribute_equals(&v, &path, "x", false);
            let _ = attribute_bool(&v, &path);
            let _ = member_ids(&v);
            let _ = no_password(&v);
            status_text(status);
        }
    }
}
