//! The OpenID Connect provider core: authorization, codes, token endpoint, userinfo,
//! third-party initiated login. ID tokens verified with jsonwebtoken (aws-lc-rs) and with
//! jose on Node (idp/tests/node/jwt.mjs).

mod common;

use base64::engine::general_purpose::STANDARD;
use base64::Engine as _;
use chrono::Duration;
use common::{golden, t0, test_key};
use jsonwebtoken::{decode, Algorithm, DecodingKey, Validation};
use oin_idp::check::{all_passed, CheckKind, Verdict};
use oin_idp::oidc::*;
use serde_json::Value;

const ISSUER: &str = "http://127.0.0.1:8231";
const REDIRECT: &str = "https://app.example/callback";
// S256 of the verifier, computed independently (Python hashlib + base64url).
const VERIFIER: &str = "dBjftJeZ4CVP-mJ92K27uhbUJU1p1r_wW1gFWFOEjXk";
const CHALLENGE: &str = "ngF5GsXcbwljx6u133FFr3Xht9xooA_DuaX_3QwODtc";

fn provider() -> Provider {
    Provider::at_org(ISSUER)
}

fn client() -> Client {
    Client {
        client_id: "0oa1client".into(),
        client_secret: "s3cr3t+/=&:x".into(),
        redirect_uris: vec![REDIRECT.into(), "https://app.example/cb?tenant=a".into()],
        initiate_login_uri: "https://app.example/login/okta".into(),
    }
}

fn user() -> UserProfile {
    UserProfile {
        sub: "00u1".into(),
        email: "ada@vendor.example".into(),
        given_name: "Ada".into(),
        family_name: "Lovelace".into(),
        preferred_username: "ada@vendor.example".into(),
    }
}

fn good_query() -> String {
    format!("response_type=code&client_id=0oa1client&redirect_uri={}&scope=openid%20profile%20email&state=st-1&nonce=n-1&code_challenge={CHALLENGE}&code_challenge_method=S256",
        urlencode(REDIRECT))
}

fn urlencode(s: &str) -> String {
    url::form_urlencoded::byte_serialize(s.as_bytes()).collect()
}

fn authorize(query: &str) -> Authorization {
    validate_authorization(
        &provider(),
        Some(&client()),
        &Params::from_urlencoded(query),
    )
}

#[test]
fn discovery_document_is_golden() {
    let doc = serde_json::to_string_pretty(&provider().discovery()).expect("json");
    golden("openid-configuration.json", &doc);
    let d = provider().discovery();
    assert_eq!(d.issuer, ISSUER);
    assert_eq!(d.jwks_uri, format!("{ISSUER}/oauth2/v1/keys"));
}

#[test]
fn authorization_errors_before_the_redirect_uri_is_known_never_redirect() {
    // (query, error)
    let rows = [
        ("response_type=code&redirect_uri=https%3A%2F%2Fapp.example%2Fcallback&scope=openid", "invalid_request"),
        ("response_type=code&client_id=other&redirect_uri=https%3A%2F%2Fapp.example%2Fcallback&scope=openid", "invalid_client"),
        ("response_type=code&client_id=0oa1client&scope=openid", "invalid_request"),
        ("response_type=code&client_id=0oa1client&redirect_uri=https%3A%2F%2Fevil.example%2Fcallback&scope=openid", "invalid_request"),
        // Exact match: a trailing slash, another case, or an extra query are other URIs.
        ("response_type=code&client_id=0oa1client&redirect_uri=https%3A%2F%2Fapp.example%2Fcallback%2F&scope=openid", "invalid_request"),
        ("response_type=code&client_id=0oa1client&redirect_uri=https%3A%2F%2FAPP.example%2Fcallback&scope=openid", "invalid_request"),
        ("response_type=code&client_id=0oa1client&redirect_uri=https%3A%2F%2Fapp.example%2Fcallback%3Fx%3D1&scope=openid", "invalid_request"),
        ("response_type=code&client_id=0oa1client&client_id=0oa1client&redirect_uri=https%3A%2F%2Fapp.example%2Fcallback&scope=openid", "invalid_request"),
    ];
    for (query, error) in rows {
        let a = authorize(query);
        match a.outcome {
            Err(AuthorizeError::Page(p)) => assert_eq!(p.error, error, "{query}"),
            other => panic!("{query}: expected an error page, got {other:?}"),
        }
        assert!(!all_passed(&a.checks), "{query}");
    }
}

#[test]
fn authorization_errors_after_the_redirect_uri_redirect_with_state_and_iss() {
    let base = format!(
        "client_id=0oa1client&redirect_uri={}&state=st-9",
        urlencode(REDIRECT)
    );
    // (extra query, error, check that failed)
    let rows = [
        ("scope=openid", "invalid_request", CheckKind::ResponseType),
        ("response_type=token&scope=openid", "unsupported_response_type", CheckKind::ResponseType),
        ("response_type=code&scope=openid&response_mode=form_post", "invalid_request", CheckKind::ResponseType),
        ("response_type=code&scope=profile", "invalid_scope", CheckKind::Scope),
        ("response_type=code&scope=openid%20offline_access", "invalid_scope", CheckKind::Scope),
        ("response_type=code&scope=openid%20groups", "invalid_scope", CheckKind::Scope),
        ("response_type=code&scope=openid&code_challenge=ngF5GsXcbwljx6u133FFr3Xht9xooA_DuaX_3QwODtc", "invalid_request", CheckKind::Pkce),
        ("response_type=code&scope=openid&code_challenge=ngF5GsXcbwljx6u133FFr3Xht9xooA_DuaX_3QwODtc&code_challenge_method=plain", "invalid_request", CheckKind::Pkce),
        ("response_type=code&scope=openid&code_challenge=short&code_challenge_method=S256", "invalid_request", CheckKind::Pkce),
        ("response_type=code&scope=openid&code_challenge_method=S256", "invalid_request", CheckKind::Pkce),
        ("response_type=code&scope=openid&prompt=none%20login", "invalid_request", CheckKind::Prompt),
        ("response_type=code&scope=openid&prompt=sometimes", "invalid_request", CheckKind::Prompt),
        ("response_type=code&scope=openid&max_age=soon", "invalid_request", CheckKind::Prompt),
        ("response_type=code&scope=openid&request=eyJ", "request_not_supported", CheckKind::Client),
        ("response_type=code&scope=openid&nonce=a&nonce=b", "invalid_request", CheckKind::Client),
    ];
    for (extra, error, kind) in rows {
        let query = format!("{base}&{extra}");
        let a = authorize(&query);
        let Err(AuthorizeError::Redirect { url, error: e, .. }) = a.outcome else {
            panic!("{extra}: expected a redirect, got {:?}", a.outcome);
        };
        assert_eq!(e, error, "{extra}");
        let u = url::Url::parse(&url).expect("url");
        let q: Vec<(String, String)> = u.query_pairs().into_owned().collect();
        assert!(url.starts_with(REDIRECT), "{url}");
        assert!(q.contains(&("error".into(), error.into())), "{url}");
        assert!(q.contains(&("state".into(), "st-9".into())), "{url}");
        assert!(q.contains(&("iss".into(), ISSUER.into())), "{url}");
        let failed: Vec<CheckKind> = a
            .checks
            .iter()
            .filter(|c| c.verdict == Verdict::Fail)
            .map(|c| c.kind)
            .collect();
        assert_eq!(failed, [kind], "{extra}");
    }
}

#[test]
fn a_valid_request_is_accepted_and_recorded() {
    let a = authorize(&good_query());
    let v = a.outcome.expect("valid");
    assert_eq!(v.redirect_uri, REDIRECT);
    assert_eq!(v.scopes, ["openid", "profile", "email"]);
    assert_eq!(v.state.as_deref(), Some("st-1"));
    assert_eq!(v.nonce.as_deref(), Some("n-1"));
    assert_eq!(v.code_challenge.as_deref(), Some(CHALLENGE));
    let kinds: Vec<(CheckKind, Verdict)> = a.checks.iter().map(|c| (c.kind, c.verdict)).collect();
    assert_eq!(
        kinds,
        [
            (CheckKind::Client, Verdict::Pass),
            (CheckKind::RedirectUri, Verdict::Pass),
            (CheckKind::ResponseType, Verdict::Pass),
            (CheckKind::Scope, Verdict::Pass),
            (CheckKind::Pkce, Verdict::Pass),
            (CheckKind::Nonce, Verdict::Pass),
            (CheckKind::State, Verdict::Pass),
        ]
    );
    // Without state, nonce and PKCE: accepted with warnings.
    let a = authorize(&format!(
        "response_type=code&client_id=0oa1client&redirect_uri={}&scope=openid",
        urlencode(REDIRECT)
    ));
    assert!(a.outcome.is_ok());
    let warned: Vec<CheckKind> = a
        .checks
        .iter()
        .filter(|c| c.verdict == Verdict::Warning)
        .map(|c| c.kind)
        .collect();
    assert_eq!(
        warned,
        [CheckKind::Pkce, CheckKind::Nonce, CheckKind::State]
    );
}

#[test]
fn prompt_and_max_age_decide_whether_to_sign_in() {
    let valid = |extra: &str| {
        authorize(&format!("{}&{extra}", good_query()))
            .outcome
            .expect("valid")
    };
    let session = Session {
        user_id: "00u1".into(),
        auth_time: t0(),
    };
    let later = t0() + Duration::minutes(10);
    // (request extra, session, just signed in, expected)
    let rows: [(&str, Option<&Session>, bool, &str); 8] = [
        ("x=1", None, false, "sign in"),
        ("x=1", Some(&session), false, "issue"),
        ("prompt=login", Some(&session), false, "sign in"),
        ("prompt=login", Some(&session), true, "issue"),
        ("prompt=none", None, false, "login_required"),
        ("prompt=none", Some(&session), false, "issue"),
        ("max_age=300", Some(&session), false, "sign in"),
        ("max_age=3600", Some(&session), false, "issue"),
    ];
    for (extra, s, fresh, expected) in rows {
        let (next, _) = next_step(&provider(), &valid(extra), s, fresh, later);
        let got = match next {
            Next::SignIn => "sign in".to_string(),
            Next::Issue => "issue".to_string(),
            Next::Fail(AuthorizeError::Redirect { error, url, .. }) => {
                assert!(url.contains("state=st-1"), "{url}");
                error
            }
            Next::Fail(other) => format!("{other:?}"),
        };
        assert_eq!(
            got,
            expected,
            "{extra} session={} fresh={fresh}",
            s.is_some()
        );
    }
}

struct Flow {
    code: AuthorizationCode,
    code_value: String,
    redirect: String,
}

fn sign_in(query: &str) -> Flow {
    let valid = authorize(query).outcome.expect("valid");
    let code_value = "SplxlOBeZQQYbYS6WxSbIA".to_string();
    let issued = issue_code(&provider(), &valid, &user(), true, t0(), &code_value, t0());
    let (code, redirect) = issued.outcome.expect("issued");
    Flow {
        code,
        code_value,
        redirect,
    }
}

fn basic(id: &str, secret: &str) -> String {
    let enc = |s: &str| -> String { url::form_urlencoded::byte_serialize(s.as_bytes()).collect() };
    format!(
        "Basic {}",
        STANDARD.encode(format!("{}:{}", enc(id), enc(secret)))
    )
}

fn token_form(flow: &Flow, extra: &str) -> Params {
    Params::from_urlencoded(&format!(
        "grant_type=authorization_code&code={}&redirect_uri={}&{extra}",
        flow.code_value,
        urlencode(REDIRECT)
    ))
}

fn exchange(
    auth: Option<&str>,
    form: &Params,
    code: Option<&mut AuthorizationCode>,
    now: chrono::DateTime<chrono::Utc>,
) -> Exchange {
    let (creds, check) = client_credentials(auth, form);
    let creds = match creds {
        Ok(c) => c,
        Err(e) => {
            return Exchange {
                outcome: Err(e),
                revoke_code_grants: None,
                checks: vec![check],
            }
        }
    };
    exchange_code(
        &provider(),
        &test_key(),
        Some(&client()),
        &creds,
        form,
        code,
        "at-1",
        now,
    )
}

fn verify_id_token(token: &str) -> Value {
    let key = test_key();
    let jwk: jsonwebtoken::jwk::Jwk =
        serde_json::from_value(serde_json::to_value(key.jwk()).expect("jwk")).expect("jwk");
    let mut v = Validation::new(Algorithm::RS256);
    v.set_audience(&["0oa1client"]);
    v.set_issuer(&[ISSUER]);
    v.validate_exp = false;
    decode::<Value>(token, &DecodingKey::from_jwk(&jwk).expect("key"), &v)
        .expect("ID token verifies")
        .claims
}

#[test]
fn code_flow_with_pkce_and_basic_auth_issues_a_verifiable_id_token() {
    let mut flow = sign_in(&good_query());
    let u = url::Url::parse(&flow.redirect).expect("redirect");
    let q: Vec<(String, String)> = u.query_pairs().into_owned().collect();
    assert_eq!(
        q,
        [
            ("code".to_string(), flow.code_value.clone()),
            ("state".into(), "st-1".into()),
            ("iss".into(), ISSUER.into())
        ]
    );
    assert_eq!(flow.code.key, secret_key(&flow.code_value));
    assert_ne!(
        flow.code.key, flow.code_value,
        "the stored key is not the code"
    );

    let form = token_form(&flow, &format!("code_verifier={VERIFIER}"));
    let now = t0() + Duration::seconds(5);
    let ex = exchange(
        Some(&basic("0oa1client", "s3cr3t+/=&:x")),
        &form,
        Some(&mut flow.code),
        now,
    );
    assert!(all_passed(&ex.checks), "{:?}", ex.checks);
    let (resp, grant) = ex.outcome.expect("tokens");
    assert_eq!(flow.code.redeemed_at, Some(now), "the code is spent");
    assert_eq!(
        (
            resp.token_type.as_str(),
            resp.expires_in,
            resp.scope.as_str()
        ),
        ("Bearer", 3600, "openid profile email")
    );
    let claims = verify_id_token(&resp.id_token);
    assert_eq!(claims["sub"], "00u1");
    assert_eq!(claims["nonce"], "n-1");
    assert_eq!(claims["auth_time"], t0().timestamp());
    assert_eq!(claims["iat"], now.timestamp());
    assert_eq!(claims["exp"], now.timestamp() + 3600);
    assert_eq!(claims["at_hash"], oin_idp::jwt::at_hash("at-1"));
    assert_eq!(claims["email"], "ada@vendor.example");
    assert_eq!(claims["name"], "Ada Lovelace");
    assert_eq!(grant.key, secret_key("at-1"));
    assert_eq!(grant.code_key, flow.code.key);
    let kinds: Vec<CheckKind> = ex.checks.iter().map(|c| c.kind).collect();
    assert_eq!(
        kinds,
        [
            CheckKind::ClientAuth,
            CheckKind::GrantType,
            CheckKind::Code,
            CheckKind::RedirectUri,
            CheckKind::Pkce,
            CheckKind::Nonce,
            CheckKind::Signature
        ]
    );

    // The same request again: refused, and the grant from the first use is to be revoked.
    let again = exchange(
        Some(&basic("0oa1client", "s3cr3t+/=&:x")),
        &form,
        Some(&mut flow.code),
        now,
    );
    let err = again.outcome.expect_err("reused code");
    assert_eq!((err.status, err.error.as_str()), (400, "invalid_grant"));
    assert_eq!(
        again.revoke_code_grants.as_deref(),
        Some(flow.code.key.as_str())
    );

    // Userinfo with the grant.
    let (claims, check) = userinfo(Some(&grant), now);
    assert_eq!(check.verdict, Verdict::Pass);
    assert_eq!(
        claims.expect("claims"),
        serde_json::json!({"sub": "00u1", "name": "Ada Lovelace", "given_name": "Ada", "family_name": "Lovelace", "preferred_username": "ada@vendor.example", "email": "ada@vendor.example"})
    );
    let (expired, _) = userinfo(Some(&grant), now + Duration::seconds(3600));
    let e = expired.expect_err("expired");
    assert_eq!((e.status, e.error.as_str()), (401, "invalid_token"));
    assert!(e.www_authenticate.expect("header").starts_with("Bearer "));
    assert_eq!(
        userinfo(None, now).0.expect_err("unknown").error,
        "invalid_token"
    );
}

#[test]
fn token_response_is_golden() {
    let mut flow = sign_in(&good_query());
    let form = token_form(&flow, &format!("code_verifier={VERIFIER}"));
    let ex = exchange(
        Some(&basic("0oa1client", "s3cr3t+/=&:x")),
        &form,
        Some(&mut flow.code),
        t0(),
    );
    let (response, _) = ex.outcome.expect("tokens");
    golden(
        "token-response.json",
        &serde_json::to_string(&response).expect("json"),
    );
}

#[test]
fn client_secret_post_without_pkce_or_nonce_works_and_scopes_limit_claims() {
    let q = format!(
        "response_type=code&client_id=0oa1client&redirect_uri={}&scope=openid",
        urlencode(REDIRECT)
    );
    let mut flow = sign_in(&q);
    let form = token_form(
        &flow,
        "client_id=0oa1client&client_secret=s3cr3t%2B%2F%3D%26%3Ax",
    );
    let ex = exchange(None, &form, Some(&mut flow.code), t0());
    let (resp, grant) = ex.outcome.expect("tokens");
    let claims = verify_id_token(&resp.id_token);
    assert!(
        claims.get("nonce").is_none()
            && claims.get("email").is_none()
            && claims.get("name").is_none()
    );
    assert_eq!(
        userinfo(Some(&grant), t0()).0.expect("claims"),
        serde_json::json!({"sub": "00u1"})
    );
}

#[test]
fn token_endpoint_errors() {
    let flow = sign_in(&good_query());
    let good_basic = basic("0oa1client", "s3cr3t+/=&:x");
    let pkce = format!("code_verifier={VERIFIER}");
    // (authorization header, form extra, code lookup finds it, now offset s, status, error)
    type Row<'a> = (Option<String>, String, bool, i64, u16, &'a str);
    let rows: Vec<Row> = vec![
        (
            Some(basic("0oa1client", "wrong")),
            pkce.clone(),
            true,
            1,
            401,
            "invalid_client",
        ),
        (
            Some(basic("other", "s3cr3t+/=&:x")),
            pkce.clone(),
            true,
            1,
            401,
            "invalid_client",
        ),
        (
            Some("Basic !!!".into()),
            pkce.clone(),
            true,
            1,
            401,
            "invalid_client",
        ),
        (
            Some("Bearer x".into()),
            pkce.clone(),
            true,
            1,
            401,
            "invalid_client",
        ),
        (None, pkce.clone(), true, 1, 401, "invalid_client"),
        (
            None,
            format!("{pkce}&client_id=0oa1client&client_secret=nope"),
            true,
            1,
            401,
            "invalid_client",
        ),
        (
            Some(good_basic.clone()),
            format!("{pkce}&client_secret=s3cr3t"),
            true,
            1,
            400,
            "invalid_request",
        ),
        (
            Some(good_basic.clone()),
            format!("{pkce}&client_id=other"),
            true,
            1,
            400,
            "invalid_request",
        ),
        (
            Some(good_basic.clone()),
            pkce.clone(),
            false,
            1,
            400,
            "invalid_grant",
        ),
        (
            Some(good_basic.clone()),
            pkce.clone(),
            true,
            60,
            400,
            "invalid_grant",
        ),
        (
            Some(good_basic.clone()),
            String::new(),
            true,
            1,
            400,
            "invalid_grant",
        ),
        (
            Some(good_basic.clone()),
            "code_verifier=dBjftJeZ4CVP-mJ92K27uhbUJU1p1r_wW1gFWFOEjXX".into(),
            true,
            1,
            400,
            "invalid_grant",
        ),
        (
            Some(good_basic.clone()),
            "code_verifier=short".into(),
            true,
            1,
            400,
            "invalid_grant",
        ),
    ];
    for (auth, extra, found, offset, status, error) in rows {
        let mut code = flow.code.clone();
        let form = token_form(&flow, &extra);
        let ex = exchange(
            auth.as_deref(),
            &form,
            found.then_some(&mut code),
            t0() + Duration::seconds(offset),
        );
        let e = ex.outcome.expect_err("refused");
        assert_eq!(
            (e.status, e.error.as_str()),
            (status, error),
            "{auth:?} {extra} {found} {offset}: {}",
            e.description
        );
        assert!(!all_passed(&ex.checks), "{extra}");
        if auth.as_deref().is_some_and(|a| a.starts_with("Basic")) && status == 401 {
            assert!(
                e.www_authenticate.is_some(),
                "RFC 6749 §5.2: WWW-Authenticate after Basic"
            );
        }
        assert!(
            !e.body().contains("s3cr3t"),
            "the body never echoes a secret"
        );
    }
    // Other grant types and redirect URIs.
    let rows = [
        ("grant_type=refresh_token&code=SplxlOBeZQQYbYS6WxSbIA", "unsupported_grant_type"),
        ("code=SplxlOBeZQQYbYS6WxSbIA", "invalid_request"),
        ("grant_type=authorization_code", "invalid_request"),
        ("grant_type=authorization_code&code=SplxlOBeZQQYbYS6WxSbIA&code_verifier=dBjftJeZ4CVP-mJ92K27uhbUJU1p1r_wW1gFWFOEjXk", "invalid_grant"),
        ("grant_type=authorization_code&code=SplxlOBeZQQYbYS6WxSbIA&redirect_uri=https%3A%2F%2Fapp.example%2Fcb%3Ftenant%3Da&code_verifier=dBjftJeZ4CVP-mJ92K27uhbUJU1p1r_wW1gFWFOEjXk", "invalid_grant"),
    ];
    for (body, error) in rows {
        let mut code = flow.code.clone();
        let ex = exchange(
            Some(&good_basic),
            &Params::from_urlencoded(body),
            Some(&mut code),
            t0(),
        );
        assert_eq!(ex.outcome.expect_err(body).error, error, "{body}");
    }
}

#[test]
fn a_verifier_without_a_challenge_is_refused() {
    let q = format!(
        "response_type=code&client_id=0oa1client&redirect_uri={}&scope=openid",
        urlencode(REDIRECT)
    );
    let mut flow = sign_in(&q);
    let form = token_form(&flow, &format!("code_verifier={VERIFIER}"));
    let ex = exchange(
        Some(&basic("0oa1client", "s3cr3t+/=&:x")),
        &form,
        Some(&mut flow.code),
        t0(),
    );
    assert_eq!(ex.outcome.expect_err("downgrade").error, "invalid_grant");
}

#[test]
fn unassigned_users_are_denied_with_a_redirect() {
    let valid = authorize(&good_query()).outcome.expect("valid");
    let issued = issue_code(&provider(), &valid, &user(), false, t0(), "c", t0());
    let Err(AuthorizeError::Redirect { url, error, .. }) = issued.outcome else {
        panic!("denied")
    };
    assert_eq!(error, "access_denied");
    assert!(url.contains("state=st-1"));
    assert_eq!(issued.checks[0].kind, CheckKind::Assignment);
    assert_eq!(issued.checks[0].verdict, Verdict::Fail);
}

#[test]
fn registered_query_is_kept_in_the_redirect() {
    let q = format!(
        "response_type=code&client_id=0oa1client&redirect_uri={}&scope=openid&state=a%20b",
        urlencode("https://app.example/cb?tenant=a")
    );
    let flow = sign_in(&q);
    assert_eq!(
        flow.redirect,
        format!(
            "https://app.example/cb?tenant=a&code=SplxlOBeZQQYbYS6WxSbIA&state=a+b&iss={}",
            urlencode(ISSUER)
        )
    );
}

#[test]
fn bearer_tokens_come_only_from_the_authorization_header() {
    assert_eq!(bearer_token(Some("Bearer abc")).expect("token"), "abc");
    let none = bearer_token(None).expect_err("missing");
    assert_eq!(
        (none.status, none.www_authenticate.as_deref()),
        (401, Some("Bearer realm=\"oin-idp\""))
    );
    assert_eq!(
        bearer_token(Some("Basic abc")).expect_err("basic").status,
        400
    );
    assert_eq!(
        bearer_token(Some("Bearer ")).expect_err("empty").status,
        400
    );
}

#[test]
fn third_party_initiated_login_sends_iss() {
    let (url, check) = initiate_login(&provider(), &client(), None);
    assert_eq!(
        url.expect("url"),
        format!("https://app.example/login/okta?iss={}", urlencode(ISSUER))
    );
    assert_eq!(check.verdict, Verdict::Pass);
    let rows = [
        ("", "no Initiate login URI"),
        ("http://app.example/login", "must use https"),
        ("not a url", "is not a URL"),
    ];
    for (uri, message) in rows {
        let c = Client {
            initiate_login_uri: uri.into(),
            ..client()
        };
        let (r, check) = initiate_login(&provider(), &c, None);
        assert!(r.expect_err(uri).contains(message), "{uri}");
        assert_eq!(check.verdict, Verdict::Fail);
    }
    let local = Client {
        initiate_login_uri: "http://127.0.0.1:8235/login?x=1".into(),
        ..client()
    };
    let (r, _) = initiate_login(&provider(), &local, Some("ada@vendor.example"));
    assert_eq!(
        r.expect("loopback http"),
        format!(
            "http://127.0.0.1:8235/login?x=1&iss={}&login_hint=ada%40vendor.example",
            urlencode(ISSUER)
        )
    );
}

#[test]
fn check_lines_cite_the_rule() {
    let a = authorize(&good_query());
    assert_eq!(a.checks[1].line(), "Redirect URI: pass — https://app.example/callback matches a registered redirect URI exactly (OIDC Core §3.1.2.1)");
}

fn jose(
    name: &str,
    token: &str,
    jwks: &str,
    audience: &str,
    now: chrono::DateTime<chrono::Utc>,
) -> Value {
    let dir = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/node");
    assert!(
        dir.join("node_modules/jose").is_dir(),
        "jose is not installed: run `npm ci` in idp/tests/node (./dev setup does)"
    );
    let tmp = common::temp_dir(&format!("jose-{name}"));
    let job = tmp.join("job.json");
    let body = serde_json::json!({"token": token, "jwks": serde_json::from_str::<Value>(jwks).expect("jwks"),
        "issuer": ISSUER, "audience": audience, "currentDate": now.to_rfc3339()});
    std::fs::write(&job, body.to_string()).expect("job");
    let out = std::process::Command::new("node")
        .arg(dir.join("jwt.mjs"))
        .arg(&job)
        .output()
        .expect("node");
    serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|_| panic!("node: {}", String::from_utf8_lossy(&out.stderr)))
}

#[test]
fn jose_verifies_id_tokens_against_the_jwks_and_rejects_bad_ones() {
    use oin_idp::keys::{DatedKey, KeySet};
    let mut flow = sign_in(&good_query());
    let form = token_form(&flow, &format!("code_verifier={VERIFIER}"));
    let ex = exchange(
        Some(&basic("0oa1client", "s3cr3t+/=&:x")),
        &form,
        Some(&mut flow.code),
        t0(),
    );
    let token = ex.outcome.expect("tokens").0.id_token;
    let jwks = KeySet::new(vec![DatedKey {
        created_at: t0(),
        key: test_key(),
    }])
    .jwks()
    .to_json();
    let v = jose(
        "ok",
        &token,
        &jwks,
        "0oa1client",
        t0() + Duration::minutes(1),
    );
    assert_eq!(v["ok"], true, "{v}");
    assert_eq!(v["payload"]["nonce"], "n-1");
    assert_eq!(v["header"]["kid"], test_key().kid());
    // (case, token, audience, time, error fragment)
    let tampered = {
        let mut parts: Vec<String> = token.split('.').map(str::to_string).collect();
        let mut claims: Value = serde_json::from_slice(
            &base64::engine::general_purpose::URL_SAFE_NO_PAD
                .decode(&parts[1])
                .expect("b64"),
        )
        .expect("json");
        claims["sub"] = "00uAdmin".into();
        parts[1] = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(claims.to_string());
        parts.join(".")
    };
    let rows = [
        (
            "tampered",
            tampered.as_str(),
            "0oa1client",
            t0(),
            "signature",
        ),
        ("audience", token.as_str(), "other-client", t0(), "aud"),
        (
            "expired",
            token.as_str(),
            "0oa1client",
            t0() + Duration::hours(2),
            "exp",
        ),
    ];
    for (name, token, aud, now, fragment) in rows {
        let v = jose(name, token, &jwks, aud, now);
        assert_eq!(v["ok"], false, "{name}: {v}");
        assert!(
            v["error"].as_str().unwrap_or("").contains(fragment),
            "{name}: {v}"
        );
    }
}

#[test]
fn run_records_never_hold_secrets() {
    use oin_idp::check::{record, redact_url};
    // (URL as received, as recorded)
    let rows = [
        ("https://app.example/callback?code=SplxlOBeZQQYbYS6WxSbIA&state=st-1", "https://app.example/callback?code=%E2%80%A6&state=st-1"),
        ("http://127.0.0.1:8231/oauth2/v1/token?client_secret=x&grant_type=authorization_code", "http://127.0.0.1:8231/oauth2/v1/token?client_secret=%E2%80%A6&grant_type=authorization_code"),
        ("http://u:p@127.0.0.1:8231/sso/saml?SAMLRequest=abc%3D&RelayState=r#frag", "http://127.0.0.1:8231/sso/saml?SAMLRequest=%E2%80%A6&RelayState=r"),
        ("http://127.0.0.1:8231/oauth2/v1/keys", "http://127.0.0.1:8231/oauth2/v1/keys"),
        ("not a url?code=secret", "not a url"),
    ];
    for (input, expected) in rows {
        assert_eq!(redact_url(input), expected, "{input}");
    }
    let flow = sign_in(&good_query());
    let ex = exchange(
        Some(&basic("0oa1client", "wrong")),
        &token_form(&flow, ""),
        None,
        t0(),
    );
    let (net, steps) = record(
        t0(),
        "POST",
        "http://127.0.0.1:8231/oauth2/v1/token",
        401,
        "Token request",
        &ex.checks,
    );
    assert_eq!(net.summary, "Token request: Client authentication failed — The client secret is wrong: copy it from the instance (regenerating the instance changes it)");
    assert_eq!(net.status, 401);
    assert_eq!(steps.len(), 1);
    assert!(!steps[0].ok);
    let a = authorize(&format!(
        "response_type=code&client_id=0oa1client&redirect_uri={}&scope=openid",
        urlencode(REDIRECT)
    ));
    let (net, steps) = record(
        t0(),
        "GET",
        &format!("{ISSUER}/oauth2/v1/authorize?x=1"),
        302,
        "Authorization request",
        &a.checks,
    );
    assert_eq!(
        net.summary,
        "Authorization request: 4 checks passed, 3 warnings"
    );
    assert!(steps.iter().all(|s| s.ok));
    assert_eq!(
        steps[0].description,
        "Authorization request — Client: pass — Client ID 0oa1client (RFC 6749 §4.1.1)"
    );
}
