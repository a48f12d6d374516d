//! The model is the JSON contract: camelCase, stable enum strings, secrets redacted.
mod common;

use common::*;
use oin_wizard::domain::model::base64;
use oin_wizard::domain::*;

fn json<T: serde::Serialize>(value: &T) -> String {
    serde_json::to_string(value).unwrap_or_default()
}

#[test]
fn submission_round_trips() {
    let s = editing_published();
    let text = json(&s);
    let back: Result<Submission, _> = serde_json::from_str(&text);
    assert_eq!(back.ok(), Some(s));
    for key in [
        "\"displayName\"",
        "\"redirectUris\"",
        "\"defaultAcsUrl\"",
        "\"authMode\":\"bearer\"",
        "\"status\":\"draft\"",
        "\"previewValues\"",
        "\"publishedAt\"",
    ] {
        assert!(text.contains(key), "{key}");
    }
}

#[test]
fn enums_are_stable_strings() {
    #[rustfmt::skip]
    let rows: Vec<(String, &str)> = vec![
        (json(&Status::OinToReview), "\"oinToReview\""), (json(&Status::IsvToReview), "\"isvToReview\""),
        (json(&Status::Published), "\"published\""), (json(&Protocol::Oidc), "\"oidc\""),
        (json(&Role::SuperAdmin), "\"SUPER_ADMIN\""), (json(&TestCase::JitWithIdp), "\"jitWithIdp\""),
        (json(&ScimAuthMode::Oauth2), "\"oauth2\""), (json(&VersionKind::Published), "\"published\""),
        (json(&Severity::Warning), "\"warning\""), (json(&Page::TestIntegration), "\"testIntegration\""),
        (json(&RunResult::Passed), "\"passed\""), (json(&ErrorCode::Conflict), "\"conflict\""),
    ];
    for (got, expected) in rows {
        assert_eq!(got, expected);
    }
}

#[test]
fn partial_drafts_parse_with_defaults() {
    let s: Result<Submission, _> =
        serde_json::from_str(r#"{"id":"x","version":1,"protocols":{"oidc":true}}"#);
    let s = s.map_err(|e| e.to_string());
    assert_eq!(
        s.as_ref().map(|s| (
            s.protocols.oidc,
            s.scim.user_operations.read,
            s.scim.group_operations.delete
        )),
        Ok((true, true, true))
    );
}

#[test]
fn no_secret_in_redacted_copies_or_summaries() {
    let mut s = editing_published();
    s.scim.oauth.client_secret = "client-s3cret".into();
    if let Some(p) = s.published.as_mut() {
        p.submission.scim.oauth.client_secret = "old-client-s3cret".into();
    }
    let raw = json(&s);
    assert!(raw.contains("s3cret-Pa55") && raw.contains("client-s3cret"));
    for text in [
        json(&s.redacted()),
        json(&s.summary()),
        json(&vec![s.summary()]),
    ] {
        for secret in ["s3cret-Pa55", "client-s3cret", "old-client-s3cret"] {
            assert!(!text.contains(secret), "{secret} leaked");
        }
    }
    assert_eq!(s.redacted().test_info.password, REDACTED);
    // Empty secrets stay empty (nothing to hide, and "required" stays visible).
    assert_eq!(valid_without_password().redacted().test_info.password, "");

    let mut i = instance("a", &[Protocol::Oidc, Protocol::Scim], 3, false);
    i.details.oidc = Some(OidcDetails {
        client_id: "cid".into(),
        client_secret: "oidc-s3cret".into(),
        ..OidcDetails::default()
    });
    i.details.scim = Some(ScimDetails {
        token: "scim-t0ken".into(),
        ..ScimDetails::default()
    });
    let text = json(&i.redacted());
    assert!(!text.contains("oidc-s3cret") && !text.contains("scim-t0ken") && text.contains("cid"));

    let org = Org {
        test_runs: vec![run(
            "a",
            TestCase::IdpFlow,
            VersionKind::Current,
            RunResult::Passed,
            1,
        )],
        ..Org::default()
    };
    let export = org.export_results();
    assert!(export.contains("idpFlow") && !export.contains("s3cret"));
}

fn valid_without_password() -> Submission {
    let mut s = valid();
    s.test_info.password.clear();
    s
}

#[test]
fn base64_rows() {
    #[rustfmt::skip]
    let rows: &[(&[u8], &str)] = &[
        (b"", ""), (b"f", "Zg=="), (b"fo", "Zm8="), (b"foo", "Zm9v"), (b"foobar", "Zm9vYmFy"), (&[0xFF, 0xFE], "//4="),
    ];
    for (bytes, text) in rows {
        assert_eq!(base64::encode(bytes), *text);
        assert_eq!(base64::decode(text).as_deref(), Some(*bytes));
    }
    for bad in ["Zg=", "Z===", "Zm9v!", "=Zm9", "Zg=a"] {
        assert_eq!(base64::decode(bad), None, "{bad}");
    }
    let logo: Result<Logo, _> = serde_json::from_str(
        r#"{"fileName":"x.png","mediaType":"image/png","data":"not base64!"}"#,
    );
    assert!(logo.is_err_and(|e| e.to_string().contains("logo data is not valid base64")));
}
