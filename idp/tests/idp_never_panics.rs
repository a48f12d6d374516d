//! No input a browser or an app can send makes the provider core panic (a server never
//! panics on input): arbitrary queries, forms, headers, SAMLRequests and XML.

mod common;

use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use chrono::{Duration, TimeZone, Utc};
use common::{t0, test_key};
use oin_idp::oidc::*;
use oin_idp::saml::*;
use proptest::prelude::*;
use std::io::Write;

fn client() -> Client {
    Client {
        client_id: "c".into(),
        client_secret: "s".into(),
        redirect_uris: vec!["https://app.example/cb".into()],
        initiate_login_uri: "https://app.example/login".into(),
    }
}

fn sp() -> ServiceProvider {
    ServiceProvider {
        entity_id: "https://sp.example".into(),
        default_acs_url: "https://sp.example/acs".into(),
        acs_urls: vec![(1, "https://sp.example/acs/1".into())],
        attribute_statements: vec![],
        group_attributes: vec![],
        variables: Default::default(),
        default_relay_state: String::new(),
        force_authn: true,
    }
}

fn idp() -> IdentityProvider {
    IdentityProvider {
        entity_id: "https://idp.example".into(),
        sso_url: "https://idp.example/sso".into(),
    }
}

fn deflate(text: &str) -> String {
    let mut enc = flate2::write::DeflateEncoder::new(Vec::new(), flate2::Compression::fast());
    let _ = enc.write_all(text.as_bytes());
    STANDARD.encode(enc.finish().unwrap_or_default())
}

/// Query-ish text made of the characters that matter.
fn query() -> impl Strategy<Value = String> {
    let names = prop_oneof![
        Just("client_id"),
        Just("redirect_uri"),
        Just("response_type"),
        Just("scope"),
        Just("state"),
        Just("nonce"),
        Just("prompt"),
        Just("max_age"),
        Just("code_challenge"),
        Just("code_challenge_method"),
        Just("response_mode"),
        Just("request"),
        Just("x"),
    ];
    let values = prop_oneof![
        Just("c".to_string()),
        Just("https%3A%2F%2Fapp.example%2Fcb".to_string()),
        Just("code".to_string()),
        Just("openid%20email".to_string()),
        Just("S256".to_string()),
        Just("9223372036854775807".to_string()),
        Just("none".to_string()),
        Just("login".to_string()),
        "[a-zA-Z0-9%+&=._~-]{0,50}",
    ];
    proptest::collection::vec((names, values), 0..12).prop_map(|pairs| {
        pairs
            .into_iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect::<Vec<_>>()
            .join("&")
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn authorization_never_panics(q in query(), any in ".{0,200}", offset in any::<i64>()) {
        let provider = Provider::at_org("https://org.example");
        for text in [q.as_str(), any.as_str()] {
            let a = validate_authorization(&provider, Some(&client()), &Params::from_urlencoded(text));
            if let Ok(valid) = a.outcome {
                let session = Session { user_id: "u".into(), auth_time: t0() };
                let now = t0() + Duration::seconds(offset % 1_000_000_000);
                let _ = next_step(&provider, &valid, Some(&session), false, now);
                let _ = issue_code(&provider, &valid, &UserProfile::default(), true, t0(), "code", t0());
            }
        }
    }

    #[test]
    fn token_endpoint_never_panics(auth in proptest::option::of(".{0,80}"), form in ".{0,200}", b64 in "[A-Za-z0-9+/=:]{0,60}") {
        let provider = Provider::at_org("https://org.example");
        for header in [auth.clone(), Some(format!("Basic {b64}")), Some(format!("Basic {}", STANDARD.encode(&form)))] {
            let params = Params::from_urlencoded(&form);
            let (creds, _) = client_credentials(header.as_deref(), &params);
            if let Ok(creds) = creds {
                let _ = exchange_code(&provider, &test_key(), Some(&client()), &creds, &params, None, "t", t0());
            }
            let _ = bearer_token(header.as_deref());
        }
    }

    #[test]
    fn saml_requests_never_panic(text in ".{0,300}", raw in "[A-Za-z0-9+/= ]{0,120}", relay in proptest::option::of(".{0,100}")) {
        let xml_like = format!("<samlp:AuthnRequest xmlns:samlp=\"urn:oasis:names:tc:SAML:2.0:protocol\" ID=\"_1\" Version=\"2.0\">{text}</samlp:AuthnRequest>");
        for (binding, value) in [
            (Binding::Redirect, deflate(&text)),
            (Binding::Redirect, deflate(&xml_like)),
            (Binding::Post, STANDARD.encode(&xml_like)),
            (Binding::Post, raw.clone()),
            (Binding::Redirect, raw.clone()),
        ] {
            let sso = sp_initiated(&idp(), &sp(), binding, &value, relay.as_deref());
            if let Ok(request) = sso.outcome {
                let _ = needs_sign_in(&sp(), &request, true, false);
            }
        }
        let _ = parse_authn_request(&text);
    }

    #[test]
    fn responses_never_panic_on_user_data(name in ".{0,40}", value in ".{0,60}", first in ".{0,30}") {
        let mut provider = sp();
        provider.attribute_statements = vec![oin_wizard::domain::AttributeStatement { name: name.clone(), values: value.clone() }];
        provider.group_attributes = vec![oin_wizard::domain::GroupAttributeStatement {
            name, filter: oin_wizard::domain::GroupFilter::Regex, value,
        }];
        let user = SamlUser { user_name: first.clone(), email: first.clone(), first_name: first, last_name: "\u{0}".into(), groups: vec!["g".into()] };
        let input = ResponseInput { response_id: "_r", assertion_id: "_a", now: Utc.timestamp_opt(0, 0).single().unwrap_or_default(), auth_instant: t0(), user: &user };
        let cert = test_key().self_signed_certificate("t", t0(), t0() + Duration::days(1)).map_err(|e| TestCaseError::fail(e.0))?;
        let r = respond(&idp(), &provider, &idp_initiated(&provider).0, &input, Signer { key: &test_key(), certificate: &cert });
        prop_assert!(r.is_ok());
    }
}

#[test]
fn a_huge_max_age_is_no_limit_and_no_panic() {
    let provider = Provider::at_org("https://org.example");
    let q = "client_id=c&redirect_uri=https%3A%2F%2Fapp.example%2Fcb&response_type=code&scope=openid&max_age=9223372036854775807";
    let valid = validate_authorization(&provider, Some(&client()), &Params::from_urlencoded(q))
        .outcome
        .expect("valid");
    let session = Session {
        user_id: "u".into(),
        auth_time: t0(),
    };
    let (next, _) = next_step(
        &provider,
        &valid,
        Some(&session),
        false,
        t0() + Duration::days(3650),
    );
    assert_eq!(next, Next::Issue);
}
