//! SPEC 4.5, 5.2 (issue 11): the SCIM OAuth 2.0 **Authenticate** step's pure rules: when it
//! applies, the authorize URL (RFC 6749 §4.1.1, RFC 7636 §4.3), when a token is refreshed,
//! and the way back to the app.
mod common;

use chrono::Duration;
use common::*;
use oin_wizard::domain::scim_oauth::*;
use oin_wizard::domain::*;

fn oauth_submission() -> Submission {
    let mut s = valid();
    s.scim.auth_mode = ScimAuthMode::Oauth2;
    s.scim.oauth = ScimOauth {
        authorize_endpoint: "https://auth.example.org/oauth2/authorize?tenant=berry".into(),
        token_endpoint: "https://auth.example.org/oauth2/token".into(),
        client_id: " 0oa-client ".into(),
        client_secret: "s3cret".into(),
        scopes: " scim.read   scim.write ".into(),
    };
    s
}

fn oauth_instance() -> Instance {
    let mut i = instance("scim", &[Protocol::Scim], 3, false);
    i.details.scim = Some(ScimDetails {
        base_url: "https://berryfarm.example.org/scim2".into(),
        auth_mode: ScimAuthMode::Oauth2,
        api_integration_enabled: true,
        token: String::new(),
    });
    i
}

#[test]
fn authenticate_applies_to_oauth_instances_with_their_client() {
    let client = oauth_client(&oauth_submission(), &oauth_instance(), &StaticOnly, false);
    assert_eq!(
        client,
        Ok(OauthClient {
            authorize_endpoint: "https://auth.example.org/oauth2/authorize?tenant=berry".into(),
            token_endpoint: "https://auth.example.org/oauth2/token".into(),
            client_id: "0oa-client".into(),
            client_secret: "s3cret".into(),
            scopes: "scim.read scim.write".into(),
        })
    );
}

#[test]
fn authenticate_says_what_is_missing() {
    type Edit = fn(&mut Submission, &mut Instance);
    #[rustfmt::skip]
    let rows: &[(&str, Edit, &str)] = &[
        ("token mode", |_, i| { if let Some(d) = i.details.scim.as_mut() { d.auth_mode = ScimAuthMode::Bearer } }, "only when the integration uses OAuth 2.0"),
        ("no SCIM", |_, i| i.details.scim = None, "does not serve SCIM"),
        ("no authorize endpoint", |s, _| s.scim.oauth.authorize_endpoint = " ".into(), "authorize endpoint is empty"),
        ("http token endpoint", |s, _| s.scim.oauth.token_endpoint = "http://auth.example.org/token".into(), "token endpoint must use https"),
        ("not a URL", |s, _| s.scim.oauth.token_endpoint = "auth.example.org/token".into(), "token endpoint is not a URL"),
        ("no client", |s, _| s.scim.oauth.client_id = "  ".into(), "client ID is empty"),
    ];
    for (name, edit, words) in rows {
        let (mut s, mut i) = (oauth_submission(), oauth_instance());
        edit(&mut s, &mut i);
        let got = oauth_client(&s, &i, &StaticOnly, false);
        assert!(
            got.as_ref().is_err_and(|e| e.contains(words)),
            "{name}: {got:?}"
        );
    }
    // The server's local-testing flag lets http through (a loopback authorization server).
    let mut s = oauth_submission();
    s.scim.oauth.token_endpoint = "http://127.0.0.1:9/token".into();
    assert!(oauth_client(&s, &oauth_instance(), &StaticOnly, true).is_ok());
}

#[test]
fn the_authorize_url_carries_the_request_and_keeps_the_endpoints_query() {
    let client = oauth_client(&oauth_submission(), &oauth_instance(), &StaticOnly, false)
        .unwrap_or_else(|e| panic!("{e}"));
    let url = authorize_url(
        &client,
        "https://oin.example.com/api/v1/scim-oauth/callback",
        "st4te",
        "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM",
    )
    .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        url,
        "https://auth.example.org/oauth2/authorize?tenant=berry&response_type=code&client_id=0oa-client\
         &redirect_uri=https%3A%2F%2Foin.example.com%2Fapi%2Fv1%2Fscim-oauth%2Fcallback\
         &scope=scim.read+scim.write&state=st4te\
         &code_challenge=E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM&code_challenge_method=S256"
    );
    assert!(
        !url.contains("s3cret"),
        "the client secret never goes to the browser"
    );
    // No scopes: no scope parameter.
    let mut bare = client.clone();
    bare.scopes.clear();
    let url = authorize_url(&bare, "https://x.example/cb", "s", "c").unwrap_or_default();
    assert!(!url.contains("scope="), "{url}");
}

#[test]
fn tokens_are_refreshed_a_minute_before_they_expire() {
    let t = now();
    #[rustfmt::skip]
    let rows: &[(Option<i64>, bool)] = &[
        (None, false),         // no expiry given: used as is
        (Some(3600), false),
        (Some(61), false),
        (Some(60), true),      // within the margin
        (Some(0), true),
        (Some(-5), true),      // expired
    ];
    for (seconds_left, refresh) in rows {
        let expires = seconds_left.map(|s| t + Duration::seconds(s));
        assert_eq!(needs_refresh(expires, t), *refresh, "{seconds_left:?}");
    }
    assert_eq!(expiry(t, Some(3600)), Some(t + Duration::seconds(3600)));
    assert_eq!(expiry(t, None), None);
    assert_eq!(expiry(t, Some(0)), None);
    assert_eq!(expiry(t, Some(-1)), None);
}

#[test]
fn the_way_back_says_the_outcome_and_nothing_secret() {
    let ok = return_path("sub 1", "0oa-scim", Ok(()));
    assert_eq!(
        ok,
        "/integrations/sub%201/test?scimOauthInstance=0oa-scim&scimOauth=connected"
    );
    let (_, query) = ok.split_once('?').unwrap_or_default();
    assert_eq!(read_return(query), Some(("0oa-scim".into(), Ok(()))));
    let failed = return_path(
        "s1",
        "i1",
        Err("The vendor's authorization server answered access_denied & more."),
    );
    let (_, query) = failed.split_once('?').unwrap_or_default();
    assert_eq!(
        read_return(query),
        Some((
            "i1".into(),
            Err("The vendor's authorization server answered access_denied & more.".into())
        ))
    );
    assert_eq!(read_return("?tab=x"), None);
    assert_eq!(read_return("scimOauthInstance=i1&scimOauth=maybe"), None);
}
