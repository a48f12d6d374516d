//! The org's identity provider (issue 14), driven like a browser and a relying party's back
//! end would: through the real router, with real cookies, forms, redirects and tokens, on
//! SQLite and PostgreSQL. ID tokens are verified against the published JWKS with ring.

mod common;

use axum::body::Body;
use axum::http::{header, Method, Request, StatusCode};
use common::{complete_oidc, Answer, Client, Harness};
use oin_wizard::domain::model::base64;
use oin_wizard::domain::Role;
use serde_json::{json, Value};

const REDIRECT: &str = "https://strawberry.example.org/login";

fn b64url_decode(s: &str) -> Vec<u8> {
    let mut t: String = s.replace('-', "+").replace('_', "/");
    while !t.len().is_multiple_of(4) {
        t.push('=');
    }
    base64::decode(&t).expect("base64url")
}

fn b64url(bytes: &[u8]) -> String {
    base64::encode(bytes)
        .trim_end_matches('=')
        .replace('+', "-")
        .replace('/', "_")
}

fn pkce_challenge(verifier: &str) -> String {
    b64url(ring::digest::digest(&ring::digest::SHA256, verifier.as_bytes()).as_ref())
}

fn query_param(url: &str, name: &str) -> Option<String> {
    let q = url.split_once('?')?.1;
    q.split('&').find_map(|pair| {
        let (k, v) = pair.split_once('=')?;
        (k == name).then(|| percent_decode(v))
    })
}

fn percent_decode(v: &str) -> String {
    let bytes = v.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            if let Ok(b) = u8::from_str_radix(&v[i + 1..i + 3], 16) {
                out.push(b);
                i += 3;
                continue;
            }
        }
        out.push(if bytes[i] == b'+' { b' ' } else { bytes[i] });
        i += 1;
    }
    String::from_utf8_lossy(&out).to_string()
}

fn form(pairs: &[(&str, &str)]) -> String {
    pairs
        .iter()
        .map(|(k, v)| {
            format!(
                "{k}={}",
                v.bytes()
                    .map(|b| if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
                        (b as char).to_string()
                    } else {
                        format!("%{b:02X}")
                    })
                    .collect::<String>()
            )
        })
        .collect::<Vec<_>>()
        .join("&")
}

/// A browser at the identity provider: its cookies (run cookie, IdP session).
struct Browser {
    client: Client,
    cookies: Vec<(String, String)>,
}

impl Browser {
    fn take_cookies(&mut self, a: &Answer) {
        for v in a.headers.get_all(header::SET_COOKIE) {
            if let Some((k, v)) = v
                .to_str()
                .ok()
                .and_then(|v| v.split(';').next())
                .and_then(|p| p.split_once('='))
            {
                self.cookies.retain(|(n, _)| n != k);
                self.cookies.push((k.to_string(), v.to_string()));
            }
        }
    }

    async fn go(&mut self, method: Method, path: &str, body: Option<String>) -> Answer {
        let mut r = Request::builder().method(method).uri(path);
        if !self.cookies.is_empty() {
            let c: Vec<String> = self
                .cookies
                .iter()
                .map(|(k, v)| format!("{k}={v}"))
                .collect();
            r = r.header(header::COOKIE, c.join("; "));
        }
        let request = match body {
            Some(b) => r
                .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
                .body(Body::from(b)),
            None => r.body(Body::empty()),
        }
        .expect("request");
        let a = self.client.raw(request).await;
        self.take_cookies(&a);
        a
    }
}

/// A relying party's back end (no cookies).
async fn backchannel(
    client: &Client,
    path: &str,
    basic: Option<(&str, &str)>,
    body: String,
) -> Answer {
    let mut r = Request::builder()
        .method(Method::POST)
        .uri(path)
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded");
    if let Some((id, secret)) = basic {
        r = r.header(
            header::AUTHORIZATION,
            format!(
                "Basic {}",
                base64::encode(format!("{id}:{secret}").as_bytes())
            ),
        );
    }
    client.raw(r.body(Body::from(body)).expect("request")).await
}

async fn bearer(client: &Client, path: &str, token: &str) -> Answer {
    client
        .raw(
            Request::builder()
                .uri(path)
                .header(header::AUTHORIZATION, format!("Bearer {token}"))
                .body(Body::empty())
                .expect("request"),
        )
        .await
}

fn location(a: &Answer) -> String {
    a.headers
        .get(header::LOCATION)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_string()
}

fn hidden(html: &str, name: &str) -> String {
    let marker = format!("name=\"{name}\" value=\"");
    let start = html.find(&marker).expect("hidden field") + marker.len();
    html[start..]
        .split('"')
        .next()
        .unwrap_or_default()
        .to_string()
}

/// The sign-in page's hidden fields: the pending request and the login-CSRF token.
fn sign_in_fields(html: &str) -> (String, String) {
    (hidden(html, "request"), hidden(html, "csrf"))
}

/// Verifies an RS256 JWT against a JWKS with ring; answers its claims.
fn verify_jwt(jwt: &str, jwks: &Value) -> Value {
    let parts: Vec<&str> = jwt.split('.').collect();
    assert_eq!(parts.len(), 3);
    let head: Value = serde_json::from_slice(&b64url_decode(parts[0])).unwrap();
    assert_eq!(head["alg"], "RS256");
    let key = jwks["keys"]
        .as_array()
        .unwrap()
        .iter()
        .find(|k| k["kid"] == head["kid"])
        .expect("the token's kid is in the JWKS");
    let public = ring::signature::RsaPublicKeyComponents {
        n: b64url_decode(key["n"].as_str().unwrap()),
        e: b64url_decode(key["e"].as_str().unwrap()),
    };
    public
        .verify(
            &ring::signature::RSA_PKCS1_2048_8192_SHA256,
            format!("{}.{}", parts[0], parts[1]).as_bytes(),
            &b64url_decode(parts[2]),
        )
        .expect("the ID token's signature verifies");
    serde_json::from_slice(&b64url_decode(parts[1])).unwrap()
}

async fn oidc_code_flow(h: Harness) {
    let mut dev = h
        .signed_in("dev@strawberry.example", &[Role::SuperAdmin])
        .await;
    let id = dev.new_submission().await["id"]
        .as_str()
        .unwrap()
        .to_string();
    let r = dev.save(&id, complete_oidc).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    let r = dev
        .post("/api/v1/instances", json!({ "submissionId": id, "version": "current", "protocols": ["oidc"], "label": "Strawberry test", "variableValues": {} }))
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    let instance = r.body["id"].as_str().unwrap().to_string();
    let client_id = r.body["details"]["oidc"]["clientId"]
        .as_str()
        .unwrap()
        .to_string();
    let secret = r.body["details"]["oidc"]["clientSecret"]
        .as_str()
        .unwrap()
        .to_string();
    // The test account of Test information is an org user, assigned to the instance.
    let r = dev
        .post("/api/v1/users", json!({ "email": "isvtest@okta.com", "firstName": "Isv", "lastName": "Tester", "roles": [] }))
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    let tester = r.body["id"].as_str().unwrap().to_string();
    let r = dev
        .put(
            &format!("/api/v1/instances/{instance}/assignments"),
            json!({ "userIds": [tester], "groupIds": [] }),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    dev.post(&format!("/api/v1/instances/{instance}/tester"), json!({}))
        .await;
    dev.post("/api/v1/tester/session", json!({})).await;
    let org_url = dev.get(&format!("/api/v1/testing/{id}")).await.body["orgUrl"]
        .as_str()
        .unwrap()
        .to_string();
    let org = org_url.strip_prefix(common::ORIGIN).unwrap().to_string();

    // Discovery and JWKS.
    let d = dev
        .get(&format!("{org}/.well-known/openid-configuration"))
        .await;
    assert_eq!(d.status, StatusCode::OK);
    assert_eq!(d.body["issuer"], json!(org_url));
    assert_eq!(
        d.body["authorization_endpoint"],
        json!(format!("{org_url}/oauth2/v1/authorize"))
    );
    let jwks = dev.get(&format!("{org}/oauth2/v1/keys")).await;
    assert_eq!(jwks.status, StatusCode::OK, "{}", jwks.text);
    let jwks: Value = serde_json::from_str(&jwks.text).unwrap();
    assert_eq!(jwks["keys"].as_array().unwrap().len(), 1);

    // Run test: the run cookie.
    let r = dev
        .post(
            "/api/v1/test-runs",
            json!({ "instanceId": instance, "case": "spFlow", "version": "current" }),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    let run_id = r.body["id"].as_str().unwrap().to_string();
    let set_cookie = r
        .headers
        .get(header::SET_COOKIE)
        .unwrap()
        .to_str()
        .unwrap()
        .to_string();
    assert!(
        set_cookie.starts_with(&format!("oin_run={run_id};")),
        "{set_cookie}"
    );
    assert!(set_cookie.contains("HttpOnly") && set_cookie.contains("SameSite=Lax"));
    assert!(set_cookie.contains(&format!("Path={org}")));
    let mut browser = Browser {
        client: h.anonymous(),
        cookies: Vec::new(),
    };
    browser.take_cookies(&r);

    // Unknown redirect URI: an error page, never a redirect.
    let bad = format!(
        "{org}/oauth2/v1/authorize?{}",
        form(&[
            ("client_id", &client_id),
            ("redirect_uri", "https://evil.example/cb"),
            ("response_type", "code"),
            ("scope", "openid"),
            ("state", "s1")
        ])
    );
    let a = browser.go(Method::GET, &bad, None).await;
    assert_eq!(a.status, StatusCode::BAD_REQUEST, "{}", a.text);
    assert!(a.headers.get(header::LOCATION).is_none());
    assert!(a.text.contains("<h1>"));

    // The code flow with PKCE: the sign-in page.
    let verifier = "a-pkce-verifier-that-is-long-enough-0123456789-abcdefgh";
    let authorize = format!(
        "{org}/oauth2/v1/authorize?{}",
        form(&[
            ("client_id", &client_id),
            ("redirect_uri", REDIRECT),
            ("response_type", "code"),
            ("scope", "openid profile email"),
            ("state", "state-1"),
            ("nonce", "nonce-1"),
            ("code_challenge", &pkce_challenge(verifier)),
            ("code_challenge_method", "S256"),
        ])
    );
    let a = browser.go(Method::GET, &authorize, None).await;
    assert_eq!(a.status, StatusCode::OK, "{}", a.text);
    let csp = a
        .headers
        .get(header::CONTENT_SECURITY_POLICY)
        .unwrap()
        .to_str()
        .unwrap();
    assert!(csp.starts_with("default-src 'none'"), "{csp}");
    assert!(
        csp.contains("form-action 'self' https://strawberry.example.org"),
        "{csp}"
    );
    assert!(a.text.contains("<label for=\"username\">Username</label>"));
    assert!(a.text.contains("<label for=\"password\">Password</label>"));
    let request = sign_in_fields(&a.text);

    // A wrong password: the page again, with the error.
    let signin = format!("{org}/idp/sign-in");
    let a = browser
        .go(
            Method::POST,
            &signin,
            Some(form(&[
                ("request", &request.0),
                ("csrf", &request.1),
                ("username", "isvtest@okta.com"),
                ("password", "wrong"),
            ])),
        )
        .await;
    assert_eq!(a.status, StatusCode::UNAUTHORIZED);
    assert!(a.text.contains("role=\"alert\""));
    // The test account's password: a code for the redirect URI, with state and iss.
    let a = browser
        .go(
            Method::POST,
            &signin,
            Some(form(&[
                ("request", &request.0),
                ("csrf", &request.1),
                ("username", "isvtest@okta.com"),
                ("password", "hunter2-secret"),
            ])),
        )
        .await;
    assert_eq!(a.status, StatusCode::SEE_OTHER, "{}", a.text);
    let to = location(&a);
    assert!(to.starts_with(REDIRECT), "{to}");
    assert_eq!(query_param(&to, "state").as_deref(), Some("state-1"));
    assert_eq!(query_param(&to, "iss").as_deref(), Some(org_url.as_str()));
    let code = query_param(&to, "code").unwrap_or_else(|| panic!("a code: {to}"));

    let token = format!("{org}/oauth2/v1/token");
    let exchange = |verifier: &str| {
        form(&[
            ("grant_type", "authorization_code"),
            ("code", &code),
            ("redirect_uri", REDIRECT),
            ("code_verifier", verifier),
        ])
    };
    // A wrong client secret: invalid_client.
    let a = backchannel(
        &browser.client,
        &token,
        Some((&client_id, "not-the-secret")),
        exchange(verifier),
    )
    .await;
    assert_eq!(a.status, StatusCode::UNAUTHORIZED, "{}", a.text);
    assert_eq!(a.body["error"], "invalid_client");
    // client_secret_basic with the PKCE verifier: tokens.
    let a = backchannel(
        &browser.client,
        &token,
        Some((&client_id, &secret)),
        exchange(verifier),
    )
    .await;
    assert_eq!(a.status, StatusCode::OK, "{}", a.text);
    assert_eq!(a.headers.get(header::CACHE_CONTROL).unwrap(), "no-store");
    let claims = verify_jwt(a.body["id_token"].as_str().unwrap(), &jwks);
    assert_eq!(claims["iss"], json!(org_url));
    assert_eq!(claims["aud"], json!(client_id));
    assert_eq!(claims["nonce"], "nonce-1");
    assert_eq!(claims["email"], "isvtest@okta.com");
    assert_eq!(claims["sub"], json!(tester));
    let access = a.body["access_token"].as_str().unwrap().to_string();
    let userinfo = format!("{org}/oauth2/v1/userinfo");
    let u = bearer(&browser.client, &userinfo, &access).await;
    assert_eq!(u.status, StatusCode::OK, "{}", u.text);
    assert_eq!(u.body["email"], "isvtest@okta.com");
    // The code again: refused, and the tokens it gave are revoked.
    let a = backchannel(
        &browser.client,
        &token,
        Some((&client_id, &secret)),
        exchange(verifier),
    )
    .await;
    assert_eq!(a.status, StatusCode::BAD_REQUEST, "{}", a.text);
    assert_eq!(a.body["error"], "invalid_grant");
    let u = bearer(&browser.client, &userinfo, &access).await;
    assert_eq!(u.status, StatusCode::UNAUTHORIZED, "revoked: {}", u.text);

    // client_secret_post, the IdP session reused (no sign-in page): a code directly.
    let a = browser.go(Method::GET, &authorize, None).await;
    assert_eq!(a.status, StatusCode::SEE_OTHER, "{}", a.text);
    let code2 =
        query_param(&location(&a), "code").unwrap_or_else(|| panic!("a code: {}", location(&a)));
    let a = backchannel(
        &browser.client,
        &token,
        None,
        form(&[
            ("grant_type", "authorization_code"),
            ("code", &code2),
            ("redirect_uri", REDIRECT),
            ("code_verifier", verifier),
            ("client_id", &client_id),
            ("client_secret", &secret),
        ]),
    )
    .await;
    assert_eq!(a.status, StatusCode::OK, "{}", a.text);
    verify_jwt(a.body["id_token"].as_str().unwrap(), &jwks);

    // The run recorded what the IdP saw (observed, by the server).
    let runs = dev
        .get(&format!("/api/v1/test-runs?submissionId={id}"))
        .await
        .body;
    let run = runs["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["id"] == json!(run_id))
        .unwrap()
        .clone();
    let network: Vec<String> = run["network"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| {
            format!(
                "{} {} {} {}",
                n["method"].as_str().unwrap(),
                n["status"],
                n["url"].as_str().unwrap(),
                n["summary"].as_str().unwrap()
            )
        })
        .collect();
    let text = network.join("\n");
    assert!(
        text.contains("GET 400") && text.contains("Redirect URI"),
        "{text}"
    );
    assert!(
        network.iter().any(|l| l.starts_with("POST 401")
            && l.contains("/oauth2/v1/token")
            && l.contains("failed")),
        "the wrong secret is recorded: {text}"
    );
    assert!(
        text.contains("POST 200") && text.contains("/oauth2/v1/token"),
        "{text}"
    );
    assert!(!text.contains(&code), "codes are never recorded: {text}");
    assert!(!text.contains(&secret), "secrets are never recorded");
    assert!(text.contains("UserInfo request"), "{text}");

    // Continue: nothing warns, the IdP saw the sign-in.
    let r = dev
        .put(
            &format!("/api/v1/test-runs/{run_id}"),
            json!({ "passed": true }),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert!(!r.text.contains("saw no request"), "{}", r.text);

    // An unassigned user is denied (access_denied back to the app, recorded).
    dev.put(
        &format!("/api/v1/instances/{instance}/assignments"),
        json!({ "userIds": [], "groupIds": [] }),
    )
    .await;
    let r = dev
        .post(
            "/api/v1/test-runs",
            json!({ "instanceId": instance, "case": "spFlow", "version": "current" }),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    let run2 = r.body["id"].as_str().unwrap().to_string();
    let mut fresh = Browser {
        client: h.anonymous(),
        cookies: Vec::new(),
    };
    fresh.take_cookies(&r);
    let a = fresh.go(Method::GET, &authorize, None).await;
    let request = sign_in_fields(&a.text);
    let a = fresh
        .go(
            Method::POST,
            &signin,
            Some(form(&[
                ("request", &request.0),
                ("csrf", &request.1),
                ("username", "isvtest@okta.com"),
                ("password", "hunter2-secret"),
            ])),
        )
        .await;
    assert_eq!(a.status, StatusCode::SEE_OTHER, "{}", a.text);
    let to = location(&a);
    assert_eq!(
        query_param(&to, "error").as_deref(),
        Some("access_denied"),
        "{to}"
    );
    assert!(query_param(&to, "code").is_none());
    let runs = dev
        .get(&format!("/api/v1/test-runs?submissionId={id}"))
        .await
        .body;
    let run = runs["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["id"] == json!(run2))
        .unwrap()
        .clone();
    assert!(
        run["steps"].to_string().contains("is not assigned"),
        "{}",
        run["steps"]
    );
}
both!(oidc_code_flow);

async fn keys_are_sealed_and_kept_across_restarts(h: Harness) {
    let set = oin_server::http::idp::rotate_keys(h.store.as_ref(), &h.keys, chrono::Utc::now())
        .await
        .unwrap();
    let kid = set.signing_key().unwrap().kid().to_string();
    // Again: nothing due, the same key.
    let again = oin_server::http::idp::rotate_keys(h.store.as_ref(), &h.keys, chrono::Utc::now())
        .await
        .unwrap();
    assert_eq!(again.keys().count(), 1);
    let stored = h.store.idp_keys().await.unwrap();
    assert_eq!(stored.len(), 1);
    assert_eq!(stored[0].kid, kid);
    assert!(stored[0].sealed_pkcs8.starts_with("v1:"));
    // The sealed PKCS#8 opens only with the server's key, under its own key id.
    let der = h
        .keys
        .open(&format!("idp-key:{kid}"), &stored[0].sealed_pkcs8)
        .unwrap();
    assert!(oin_idp::SigningKey::from_pkcs8_der(&der).is_ok());
    assert!(h
        .keys
        .open("idp-key:other", &stored[0].sealed_pkcs8)
        .is_err());
    // A restart on the same database publishes the same key.
    let restarted = Harness::open(h.db, &h.url, h.keys.clone(), None).await;
    let set = oin_server::http::idp::load_keys(restarted.store.as_ref(), &restarted.keys)
        .await
        .unwrap();
    assert_eq!(set.signing_key().unwrap().kid(), kid);
    // 91 days later: a new key signs, the old one is still published.
    let later = chrono::Utc::now() + chrono::Duration::days(91);
    let rotated = oin_server::http::idp::rotate_keys(h.store.as_ref(), &h.keys, later)
        .await
        .unwrap();
    assert_eq!(rotated.keys().count(), 2);
    assert_ne!(rotated.signing_key().unwrap().kid(), kid);
    // Another 8 days: the superseded key is retired.
    let retired = oin_server::http::idp::rotate_keys(
        h.store.as_ref(),
        &h.keys,
        later + chrono::Duration::days(8),
    )
    .await
    .unwrap();
    assert_eq!(retired.keys().count(), 1);
    assert_eq!(h.store.idp_keys().await.unwrap().len(), 1);
}
both!(keys_are_sealed_and_kept_across_restarts);

const SP_ENTITY: &str = "https://sp.example/saml/metadata";
const ACS: &str = "https://sp.example/saml/acs";

fn complete_saml(s: &mut Value) {
    complete_oidc(s);
    s["protocols"] = json!({ "oidc": false, "saml": true, "scim": false });
    s["saml"] = json!({
        "defaultAcsUrl": ACS,
        "otherAcsUrls": [],
        "entityId": SP_ENTITY,
        "attributeStatements": [{ "name": "email", "values": "${user.email}" }],
        "groupAttributes": [],
        "configGuideUrl": "https://sp.example/docs/okta-saml"
    });
    s["testSettings"]["saml"] = json!({
        "idpFlow": true,
        "spFlow": true,
        "jit": false,
        "spInitiateUrl": "https://sp.example/saml/start",
        "spFlowDescription": "Open the app, choose Sign in with Okta."
    });
}

/// `xmlsec1 --verify` of the first signature in `xml` (Debian's xmlsec1, an independent
/// verifier) with the certificate the metadata publishes.
fn xmlsec1(name: &str, xml: &str, cert_pem: &str) -> Result<(), String> {
    let dir = std::path::PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("idp-saml");
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join(format!("{name}-{}.xml", std::process::id()));
    let cert = dir.join(format!("{name}-{}.pem", std::process::id()));
    std::fs::write(&file, xml).unwrap();
    std::fs::write(&cert, cert_pem).unwrap();
    let out = std::process::Command::new("xmlsec1")
        .args(["--verify", "--pubkey-cert-pem"])
        .arg(&cert)
        .args([
            "--id-attr:ID",
            "urn:oasis:names:tc:SAML:2.0:protocol:Response",
            "--id-attr:ID",
            "urn:oasis:names:tc:SAML:2.0:assertion:Assertion",
        ])
        .arg(&file)
        .output()
        .expect("xmlsec1 must be installed (./dev setup installs Debian's xmlsec1)");
    let text = String::from_utf8_lossy(&out.stderr).to_string();
    if out.status.success() && text.contains("OK") {
        Ok(())
    } else {
        Err(text)
    }
}

/// The Assertion alone (its own enveloped signature), cut out of the Response.
fn assertion_of(xml: &str) -> String {
    let start = xml.find("<saml:Assertion").expect("an assertion");
    let end = xml.find("</saml:Assertion>").expect("its end") + "</saml:Assertion>".len();
    let mut a = xml[start..end].to_string();
    // The Assertion's namespace declarations may sit on the Response: carry them over.
    if !a[..a.find('>').unwrap()].contains("xmlns:saml=") {
        a = a.replacen(
            "<saml:Assertion",
            "<saml:Assertion xmlns:saml=\"urn:oasis:names:tc:SAML:2.0:assertion\"",
            1,
        );
    }
    a
}

async fn saml_sign_ins(h: Harness) {
    let (mut dev, id, instance, org_url, org, _) = saml_instance(&h).await;

    // Metadata: the signing certificate.
    let m = dev
        .get(&format!("{org}/app/{instance}/sso/saml/metadata"))
        .await;
    assert_eq!(m.status, StatusCode::OK, "{}", m.text);
    let b64 = m
        .text
        .split("<ds:X509Certificate>")
        .nth(1)
        .unwrap()
        .split('<')
        .next()
        .unwrap();
    let mut pem = String::from("-----BEGIN CERTIFICATE-----\n");
    for chunk in b64.as_bytes().chunks(64) {
        pem.push_str(std::str::from_utf8(chunk).unwrap());
        pem.push('\n');
    }
    pem.push_str("-----END CERTIFICATE-----\n");

    // The IdP flow: the tile, the sign-in page, the signed Response in the auto-posting form.
    let r = dev
        .post(
            "/api/v1/test-runs",
            json!({ "instanceId": instance, "case": "idpFlow", "version": "current" }),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    let run_id = r.body["id"].as_str().unwrap().to_string();
    let mut browser = Browser {
        client: h.anonymous(),
        cookies: Vec::new(),
    };
    browser.take_cookies(&r);
    let a = browser
        .go(Method::GET, &format!("{org}/home/saml/{instance}"), None)
        .await;
    assert_eq!(a.status, StatusCode::OK, "{}", a.text);
    let request = sign_in_fields(&a.text);
    let a = browser
        .go(
            Method::POST,
            &format!("{org}/idp/sign-in"),
            Some(form(&[
                ("request", &request.0),
                ("csrf", &request.1),
                ("username", "isvtest@okta.com"),
                ("password", "hunter2-secret"),
            ])),
        )
        .await;
    assert_eq!(a.status, StatusCode::OK, "{}", a.text);
    let csp = a
        .headers
        .get(header::CONTENT_SECURITY_POLICY)
        .unwrap()
        .to_str()
        .unwrap()
        .to_string();
    assert!(csp.contains("script-src 'sha256-"), "{csp}");
    assert!(csp.contains("form-action https://sp.example;"), "{csp}");
    assert!(a.text.contains(&format!("action=\"{ACS}\"")), "{}", a.text);
    let xml = String::from_utf8(base64::decode(&hidden(&a.text, "SAMLResponse")).unwrap()).unwrap();
    assert!(!xml.contains("InResponseTo"), "unsolicited: {xml}");
    assert!(
        xml.contains(&format!("<saml:Audience>{SP_ENTITY}</saml:Audience>")),
        "{xml}"
    );
    assert!(xml.contains("isvtest@okta.com"));
    xmlsec1("idp-response", &xml, &pem).expect("xmlsec1 verifies the Response's signature");
    xmlsec1("idp-assertion", &assertion_of(&xml), &pem)
        .expect("xmlsec1 verifies the Assertion's signature");
    // A tampered Response does not verify.
    let tampered = xml.replacen("isvtest@okta.com", "admin@okta.com", 1);
    assert!(xmlsec1("idp-tampered", &tampered, &pem).is_err());

    // SP-initiated, HTTP-POST binding, RelayState back, InResponseTo the request; the IdP
    // session is reused unless ForceAuthn (the instance's default: on) asks for a sign-in.
    let authn = format!(
        "<samlp:AuthnRequest xmlns:samlp=\"urn:oasis:names:tc:SAML:2.0:protocol\" xmlns:saml=\"urn:oasis:names:tc:SAML:2.0:assertion\" ID=\"_req1\" Version=\"2.0\" IssueInstant=\"{}\" Destination=\"{org_url}/app/{instance}/sso/saml\" AssertionConsumerServiceURL=\"{ACS}\"><saml:Issuer>{SP_ENTITY}</saml:Issuer></samlp:AuthnRequest>",
        chrono::Utc::now().format("%Y-%m-%dT%H:%M:%SZ")
    );
    let a = browser
        .go(
            Method::POST,
            &format!("{org}/app/{instance}/sso/saml"),
            Some(form(&[
                ("SAMLRequest", &base64::encode(authn.as_bytes())),
                ("RelayState", "relay-1"),
            ])),
        )
        .await;
    assert_eq!(a.status, StatusCode::OK, "{}", a.text);
    let a = if a.text.contains("name=\"request\"") {
        let request = sign_in_fields(&a.text);
        browser
            .go(
                Method::POST,
                &format!("{org}/idp/sign-in"),
                Some(form(&[
                    ("request", &request.0),
                    ("csrf", &request.1),
                    ("username", "isvtest@okta.com"),
                    ("password", "hunter2-secret"),
                ])),
            )
            .await
    } else {
        a
    };
    assert_eq!(a.status, StatusCode::OK, "{}", a.text);
    assert_eq!(hidden(&a.text, "RelayState"), "relay-1");
    let xml = String::from_utf8(base64::decode(&hidden(&a.text, "SAMLResponse")).unwrap()).unwrap();
    assert!(xml.contains("InResponseTo=\"_req1\""), "{xml}");
    xmlsec1("sp-response", &xml, &pem).expect("xmlsec1 verifies the SP-initiated Response");

    // The run holds the exchange, observed by the server.
    let runs = dev
        .get(&format!("/api/v1/test-runs?submissionId={id}"))
        .await
        .body;
    let run = runs["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["id"] == json!(run_id))
        .unwrap()
        .clone();
    let text = run["network"].to_string();
    assert!(text.contains("/home/saml/"), "{text}");
    assert!(text.contains("/idp/sign-in"), "{text}");
    assert!(text.contains("/sso/saml"), "{text}");
    assert!(!text.contains("PHNhbWxw"), "no SAML message in the record");
}
both!(saml_sign_ins);

async fn jit_run_one_time_password(h: Harness) {
    let mut dev = h
        .signed_in("dev@strawberry.example", &[Role::SuperAdmin])
        .await;
    let id = dev.new_submission().await["id"]
        .as_str()
        .unwrap()
        .to_string();
    dev.save(&id, |s| {
        complete_oidc(s);
        s["testSettings"]["oidc"]["jit"] = json!(true);
    })
    .await;
    let r = dev
        .post("/api/v1/instances", json!({ "submissionId": id, "version": "current", "protocols": ["oidc"], "label": "JIT", "variableValues": {} }))
        .await;
    let instance = r.body["id"].as_str().unwrap().to_string();
    let client_id = r.body["details"]["oidc"]["clientId"]
        .as_str()
        .unwrap()
        .to_string();
    dev.post(&format!("/api/v1/instances/{instance}/tester"), json!({}))
        .await;
    dev.post("/api/v1/tester/session", json!({})).await;
    let org_url = dev.get(&format!("/api/v1/testing/{id}")).await.body["orgUrl"]
        .as_str()
        .unwrap()
        .to_string();
    let org = org_url.strip_prefix(common::ORIGIN).unwrap().to_string();
    let r = dev
        .post(
            "/api/v1/test-runs",
            json!({ "instanceId": instance, "case": "jitWithSp", "version": "current" }),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    let run_id = r.body["id"].as_str().unwrap().to_string();
    let email = r.body["jitUser"]["email"].as_str().unwrap().to_string();
    let password = r.body["oneTimePassword"]
        .as_str()
        .expect("a one-time password")
        .to_string();
    // Shown once: the run as listed never carries it.
    let listed = dev
        .get(&format!("/api/v1/test-runs?submissionId={id}"))
        .await;
    assert!(!listed.text.contains(&password));
    let mut browser = Browser {
        client: h.anonymous(),
        cookies: Vec::new(),
    };
    browser.take_cookies(&r);
    let authorize = format!(
        "{org}/oauth2/v1/authorize?{}",
        form(&[
            ("client_id", &client_id),
            ("redirect_uri", REDIRECT),
            ("response_type", "code"),
            ("scope", "openid email"),
            ("state", "j1"),
            ("prompt", "login")
        ])
    );
    let a = browser.go(Method::GET, &authorize, None).await;
    assert!(a.text.contains(&email), "the page names the temporary user");
    let request = sign_in_fields(&a.text);
    // The test account's password is not the JIT user's.
    let a = browser
        .go(
            Method::POST,
            &format!("{org}/idp/sign-in"),
            Some(form(&[
                ("request", &request.0),
                ("csrf", &request.1),
                ("username", "isvtest@okta.com"),
                ("password", "hunter2-secret"),
            ])),
        )
        .await;
    assert_eq!(a.status, StatusCode::UNAUTHORIZED);
    let a = browser
        .go(
            Method::POST,
            &format!("{org}/idp/sign-in"),
            Some(form(&[
                ("request", &request.0),
                ("csrf", &request.1),
                ("username", &email),
                ("password", &password),
            ])),
        )
        .await;
    assert_eq!(a.status, StatusCode::SEE_OTHER, "{}", a.text);
    assert!(
        query_param(&location(&a), "code").is_some(),
        "{}",
        location(&a)
    );
    // Continue: the temporary user is gone and cannot sign in again.
    let r = dev
        .put(
            &format!("/api/v1/test-runs/{run_id}"),
            json!({ "passed": true }),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    let a = browser.go(Method::GET, &authorize, None).await;
    assert_eq!(
        a.status,
        StatusCode::OK,
        "the sign-in page again: {}",
        a.text
    );
    let request = sign_in_fields(&a.text);
    let a = browser
        .go(
            Method::POST,
            &format!("{org}/idp/sign-in"),
            Some(form(&[
                ("request", &request.0),
                ("csrf", &request.1),
                ("username", &email),
                ("password", &password),
            ])),
        )
        .await;
    assert!(
        query_param(&location(&a), "code").is_none(),
        "{} {}",
        a.status,
        a.text
    );
}
both!(jit_run_one_time_password);

async fn continue_warns_when_the_idp_saw_nothing(h: Harness) {
    let mut dev = h
        .signed_in("dev@strawberry.example", &[Role::SuperAdmin])
        .await;
    let id = dev.new_submission().await["id"]
        .as_str()
        .unwrap()
        .to_string();
    dev.save(&id, complete_oidc).await;
    let r = dev
        .post("/api/v1/instances", json!({ "submissionId": id, "version": "current", "protocols": ["oidc"], "label": "Quiet", "variableValues": {} }))
        .await;
    let instance = r.body["id"].as_str().unwrap().to_string();
    dev.post(&format!("/api/v1/instances/{instance}/tester"), json!({}))
        .await;
    dev.post("/api/v1/tester/session", json!({})).await;
    let r = dev
        .post(
            "/api/v1/test-runs",
            json!({ "instanceId": instance, "case": "spFlow", "version": "current" }),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert!(
        r.body.get("oneTimePassword").is_none(),
        "only JIT runs get one"
    );
    let run_id = r.body["id"].as_str().unwrap().to_string();
    let r = dev
        .put(
            &format!("/api/v1/test-runs/{run_id}"),
            json!({ "passed": true }),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert!(
        r.text.contains("the identity provider saw no request"),
        "{}",
        r.text
    );
    // Nothing was observed: the run stays the user's word.
    assert_eq!(r.body["source"], "selfReported", "{}", r.text);
    // Stored too, not only in the answer.
    let runs = dev
        .get(&format!("/api/v1/test-runs?submissionId={id}"))
        .await;
    assert!(runs.text.contains("the identity provider saw no request"));
}
both!(continue_warns_when_the_idp_saw_nothing);

/// An SP's HTTP-Redirect `SAMLRequest`: DEFLATE (RFC 1951), then base64 (bindings §3.4.4.1).
fn deflated(xml: &str) -> String {
    use std::io::Write;
    let mut e = flate2::write::DeflateEncoder::new(Vec::new(), flate2::Compression::default());
    e.write_all(xml.as_bytes()).expect("deflate");
    base64::encode(&e.finish().expect("deflate"))
}

fn authn_request(org_url: &str, instance: &str, id: &str, extra: &str) -> String {
    format!(
        "<samlp:AuthnRequest xmlns:samlp=\"urn:oasis:names:tc:SAML:2.0:protocol\" xmlns:saml=\"urn:oasis:names:tc:SAML:2.0:assertion\" ID=\"{id}\" Version=\"2.0\" IssueInstant=\"{}\" Destination=\"{org_url}/app/{instance}/sso/saml\" AssertionConsumerServiceURL=\"{ACS}\"{extra}><saml:Issuer>{SP_ENTITY}</saml:Issuer></samlp:AuthnRequest>",
        chrono::Utc::now().format("%Y-%m-%dT%H:%M:%SZ")
    )
}

/// The SAMLResponse of an auto-posting form page, decoded.
fn posted_response(a: &Answer) -> String {
    assert!(
        a.text.contains(&format!("action=\"{ACS}\"")),
        "a form posting to the ACS URL: {} {}",
        a.status,
        a.text
    );
    String::from_utf8(base64::decode(&hidden(&a.text, "SAMLResponse")).expect("base64"))
        .expect("UTF-8")
}

/// A SAML instance of a complete integration with the test account assigned, the Tester
/// session started: (admin client, submission id, instance id, org URL, org path, org id).
async fn saml_instance(h: &Harness) -> (Client, String, String, String, String, String) {
    let mut dev = h
        .signed_in("dev@strawberry.example", &[Role::SuperAdmin])
        .await;
    let id = dev.new_submission().await["id"]
        .as_str()
        .unwrap()
        .to_string();
    let r = dev.save(&id, complete_saml).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    let r = dev
        .post("/api/v1/instances", json!({ "submissionId": id, "version": "current", "protocols": ["saml"], "label": "Strawberry SAML", "variableValues": {} }))
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    let instance = r.body["id"].as_str().unwrap().to_string();
    let r = dev
        .post("/api/v1/users", json!({ "email": "isvtest@okta.com", "firstName": "Isv", "lastName": "Tester", "roles": [] }))
        .await;
    let tester = r.body["id"].as_str().unwrap().to_string();
    dev.put(
        &format!("/api/v1/instances/{instance}/assignments"),
        json!({ "userIds": [tester], "groupIds": [] }),
    )
    .await;
    dev.post(&format!("/api/v1/instances/{instance}/tester"), json!({}))
        .await;
    dev.post("/api/v1/tester/session", json!({})).await;
    let org_url = dev.get(&format!("/api/v1/testing/{id}")).await.body["orgUrl"]
        .as_str()
        .unwrap()
        .to_string();
    let org = org_url.strip_prefix(common::ORIGIN).unwrap().to_string();
    let org_id = org.rsplit('/').next().unwrap().to_string();
    (dev, id, instance, org_url, org, org_id)
}

/// The run as listed.
async fn run_of(dev: &mut Client, submission: &str, run_id: &str) -> Value {
    let runs = dev
        .get(&format!("/api/v1/test-runs?submissionId={submission}"))
        .await
        .body;
    runs["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["id"] == json!(run_id))
        .expect("the run")
        .clone()
}

async fn saml_redirect_binding_force_authn_and_is_passive(h: Harness) {
    let (mut dev, id, instance, org_url, org, org_id) = saml_instance(&h).await;
    // The instance's ForceAuthn off (SPEC 4.4: an instance setting, on by default), so the
    // request's own ForceAuthn and IsPassive decide.
    oin_server::store::org_op(
        h.store.as_ref(),
        &org_id,
        oin_server::store::Scope::OrgOnly,
        |o, _| {
            let i = o.instances.iter_mut().find(|i| i.id == instance).unwrap();
            i.details.saml.as_mut().unwrap().force_authn = false;
            Ok(())
        },
    )
    .await
    .unwrap();
    let r = dev
        .post(
            "/api/v1/test-runs",
            json!({ "instanceId": instance, "case": "spFlow", "version": "current" }),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    let run_id = r.body["id"].as_str().unwrap().to_string();
    let mut browser = Browser {
        client: h.anonymous(),
        cookies: Vec::new(),
    };
    browser.take_cookies(&r);
    let sso = format!("{org}/app/{instance}/sso/saml");
    let redirect = |xml: &str, relay: &str| {
        format!(
            "{sso}?{}",
            form(&[("SAMLRequest", &deflated(xml)), ("RelayState", relay)])
        )
    };
    let sign_in = |request: (String, String)| {
        form(&[
            ("request", &request.0),
            ("csrf", &request.1),
            ("username", "isvtest@okta.com"),
            ("password", "hunter2-secret"),
        ])
    };

    // HTTP-Redirect binding, no IdP session: the sign-in page, then the signed Response.
    let a = browser
        .go(
            Method::GET,
            &redirect(
                &authn_request(&org_url, &instance, "_redir1", ""),
                "relay-r1",
            ),
            None,
        )
        .await;
    assert_eq!(a.status, StatusCode::OK, "{}", a.text);
    let request = sign_in_fields(&a.text);
    let a = browser
        .go(
            Method::POST,
            &format!("{org}/idp/sign-in"),
            Some(sign_in(request)),
        )
        .await;
    assert_eq!(a.status, StatusCode::OK, "{}", a.text);
    assert_eq!(hidden(&a.text, "RelayState"), "relay-r1");
    let xml = posted_response(&a);
    assert!(xml.contains("InResponseTo=\"_redir1\""), "{xml}");
    assert!(
        xml.contains("urn:oasis:names:tc:SAML:2.0:status:Success"),
        "{xml}"
    );
    assert!(xml.contains("isvtest@okta.com"));

    // The session is reused: no sign-in page.
    let a = browser
        .go(
            Method::GET,
            &redirect(
                &authn_request(&org_url, &instance, "_redir2", ""),
                "relay-r2",
            ),
            None,
        )
        .await;
    assert!(
        !a.text.contains("name=\"request\""),
        "no sign-in page: {}",
        a.text
    );
    let xml = posted_response(&a);
    assert!(xml.contains("InResponseTo=\"_redir2\""), "{xml}");
    assert!(xml.contains("status:Success"), "{xml}");

    // ForceAuthn="true": the password again, although the session is valid.
    let a = browser
        .go(
            Method::GET,
            &redirect(
                &authn_request(&org_url, &instance, "_force", " ForceAuthn=\"true\""),
                "relay-f",
            ),
            None,
        )
        .await;
    assert_eq!(a.status, StatusCode::OK, "{}", a.text);
    assert!(
        a.text.contains("name=\"request\""),
        "a sign-in page: {}",
        a.text
    );
    let request = sign_in_fields(&a.text);
    let a = browser
        .go(
            Method::POST,
            &format!("{org}/idp/sign-in"),
            Some(sign_in(request)),
        )
        .await;
    let xml = posted_response(&a);
    assert!(xml.contains("InResponseTo=\"_force\""), "{xml}");
    assert!(xml.contains("status:Success"), "{xml}");

    // IsPassive="true" with a valid session: answered without a page.
    let a = browser
        .go(
            Method::GET,
            &redirect(
                &authn_request(&org_url, &instance, "_passive_ok", " IsPassive=\"true\""),
                "relay-p",
            ),
            None,
        )
        .await;
    let xml = posted_response(&a);
    assert!(xml.contains("InResponseTo=\"_passive_ok\""), "{xml}");
    assert!(xml.contains("status:Success"), "{xml}");

    // IsPassive="true" and ForceAuthn="true": the IdP may not show a page, so a signed
    // Response with status NoPassive and no assertion goes back to the ACS URL.
    let a = browser
        .go(
            Method::GET,
            &redirect(
                &authn_request(
                    &org_url,
                    &instance,
                    "_passive_no",
                    " ForceAuthn=\"true\" IsPassive=\"true\"",
                ),
                "relay-n",
            ),
            None,
        )
        .await;
    assert!(
        !a.text.contains("name=\"request\""),
        "no sign-in page: {}",
        a.text
    );
    let xml = posted_response(&a);
    assert!(xml.contains("InResponseTo=\"_passive_no\""), "{xml}");
    assert!(
        xml.contains("urn:oasis:names:tc:SAML:2.0:status:NoPassive"),
        "{xml}"
    );
    assert!(!xml.contains("<saml:Assertion"), "{xml}");

    // IsPassive="true" in a browser without a session: NoPassive too.
    let mut fresh = Browser {
        client: h.anonymous(),
        cookies: browser
            .cookies
            .iter()
            .filter(|(k, _)| k == "oin_run")
            .cloned()
            .collect(),
    };
    let a = fresh
        .go(
            Method::GET,
            &redirect(
                &authn_request(&org_url, &instance, "_passive_new", " IsPassive=\"true\""),
                "relay-x",
            ),
            None,
        )
        .await;
    let xml = posted_response(&a);
    assert!(xml.contains("status:NoPassive"), "{xml}");

    // A Redirect-binding request that is not DEFLATE-compressed is read, and flagged.
    let plain = base64::encode(authn_request(&org_url, &instance, "_plain", "").as_bytes());
    let a = browser
        .go(
            Method::GET,
            &format!("{sso}?{}", form(&[("SAMLRequest", &plain)])),
            None,
        )
        .await;
    assert!(posted_response(&a).contains("InResponseTo=\"_plain\""));

    // The run recorded each request with its binding and the ForceAuthn/IsPassive verdicts.
    let run = run_of(&mut dev, &id, &run_id).await;
    let steps = run["steps"].to_string();
    assert!(steps.contains("HTTP-Redirect"), "{steps}");
    assert!(steps.contains("ForceAuthn=\\\"true\\\""), "{steps}");
    assert!(steps.contains("IsPassive=\\\"true\\\""), "{steps}");
    assert!(steps.contains("The user's session is reused"), "{steps}");
    assert!(steps.contains("not DEFLATE-compressed"), "{steps}");
    assert!(
        !run["network"].to_string().contains("SAMLRequest=fZ"),
        "no SAML message recorded"
    );
}
both!(saml_redirect_binding_force_authn_and_is_passive);

async fn saml_unassigned_user_is_denied(h: Harness) {
    let (mut dev, id, instance, org_url, org, _) = saml_instance(&h).await;
    dev.put(
        &format!("/api/v1/instances/{instance}/assignments"),
        json!({ "userIds": [], "groupIds": [] }),
    )
    .await;
    let r = dev
        .post(
            "/api/v1/test-runs",
            json!({ "instanceId": instance, "case": "spFlow", "version": "current" }),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    let run_id = r.body["id"].as_str().unwrap().to_string();
    let mut browser = Browser {
        client: h.anonymous(),
        cookies: Vec::new(),
    };
    browser.take_cookies(&r);
    let credentials = |request: (String, String)| {
        form(&[
            ("request", &request.0),
            ("csrf", &request.1),
            ("username", "isvtest@okta.com"),
            ("password", "hunter2-secret"),
        ])
    };
    // SP-initiated: the right password, but a signed RequestDenied Response, no assertion.
    let a = browser
        .go(
            Method::GET,
            &format!(
                "{org}/app/{instance}/sso/saml?{}",
                form(&[(
                    "SAMLRequest",
                    &deflated(&authn_request(&org_url, &instance, "_denied", ""))
                )])
            ),
            None,
        )
        .await;
    let request = sign_in_fields(&a.text);
    let a = browser
        .go(
            Method::POST,
            &format!("{org}/idp/sign-in"),
            Some(credentials(request)),
        )
        .await;
    assert_eq!(a.status, StatusCode::OK, "{}", a.text);
    let xml = posted_response(&a);
    assert!(xml.contains("InResponseTo=\"_denied\""), "{xml}");
    assert!(
        xml.contains("urn:oasis:names:tc:SAML:2.0:status:RequestDenied"),
        "{xml}"
    );
    assert!(!xml.contains("<saml:Assertion"), "no assertion: {xml}");
    // IdP-initiated: nothing to answer to, so an error page (403), never a Response.
    let a = browser
        .go(Method::GET, &format!("{org}/home/saml/{instance}"), None)
        .await;
    let a = if a.text.contains("name=\"request\"") {
        let request = sign_in_fields(&a.text);
        browser
            .go(
                Method::POST,
                &format!("{org}/idp/sign-in"),
                Some(credentials(request)),
            )
            .await
    } else {
        a
    };
    assert_eq!(a.status, StatusCode::FORBIDDEN, "{}", a.text);
    assert!(a.text.contains("Access denied"), "{}", a.text);
    assert!(!a.text.contains("SAMLResponse"));
    let run = run_of(&mut dev, &id, &run_id).await;
    assert!(
        run["steps"].to_string().contains("is not assigned"),
        "{}",
        run["steps"]
    );
    assert!(
        run["network"].to_string().contains("\"status\":403"),
        "{}",
        run["network"]
    );
}
both!(saml_unassigned_user_is_denied);

async fn saml_jit_user_cannot_sign_in_after_the_run(h: Harness) {
    let mut dev = h
        .signed_in("dev@strawberry.example", &[Role::SuperAdmin])
        .await;
    let id = dev.new_submission().await["id"]
        .as_str()
        .unwrap()
        .to_string();
    dev.save(&id, |s| {
        complete_saml(s);
        s["testSettings"]["saml"]["jit"] = json!(true);
    })
    .await;
    let r = dev
        .post("/api/v1/instances", json!({ "submissionId": id, "version": "current", "protocols": ["saml"], "label": "JIT SAML", "variableValues": {} }))
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    let instance = r.body["id"].as_str().unwrap().to_string();
    dev.post(&format!("/api/v1/instances/{instance}/tester"), json!({}))
        .await;
    dev.post("/api/v1/tester/session", json!({})).await;
    let org_url = dev.get(&format!("/api/v1/testing/{id}")).await.body["orgUrl"]
        .as_str()
        .unwrap()
        .to_string();
    let org = org_url.strip_prefix(common::ORIGIN).unwrap().to_string();
    let r = dev
        .post(
            "/api/v1/test-runs",
            json!({ "instanceId": instance, "case": "jitWithIdp", "version": "current" }),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    let run_id = r.body["id"].as_str().unwrap().to_string();
    let email = r.body["jitUser"]["email"].as_str().unwrap().to_string();
    let password = r.body["oneTimePassword"].as_str().unwrap().to_string();
    let mut browser = Browser {
        client: h.anonymous(),
        cookies: Vec::new(),
    };
    browser.take_cookies(&r);
    let tile = format!("{org}/home/saml/{instance}");
    let a = browser.go(Method::GET, &tile, None).await;
    assert!(a.text.contains(&email), "the page names the temporary user");
    let request = sign_in_fields(&a.text);
    let a = browser
        .go(
            Method::POST,
            &format!("{org}/idp/sign-in"),
            Some(form(&[
                ("request", &request.0),
                ("csrf", &request.1),
                ("username", &email),
                ("password", &password),
            ])),
        )
        .await;
    let xml = posted_response(&a);
    assert!(
        xml.contains(&email),
        "the assertion names the JIT user: {xml}"
    );
    assert!(xml.contains("status:Success"), "{xml}");
    // The org has the temporary user while the run lasts.
    let users = dev.get("/api/v1/users").await;
    assert!(users.text.contains(&email), "{}", users.text);

    // Continue ends the run: the user is deleted, its IdP session and password are void.
    let r = dev
        .put(
            &format!("/api/v1/test-runs/{run_id}"),
            json!({ "passed": true }),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    let users = dev.get("/api/v1/users").await;
    assert!(!users.text.contains(&email), "deleted: {}", users.text);
    let a = browser.go(Method::GET, &tile, None).await;
    assert!(
        !a.text.contains("SAMLResponse"),
        "the old IdP session signs no one in: {}",
        a.text
    );
    let request = sign_in_fields(&a.text);
    let a = browser
        .go(
            Method::POST,
            &format!("{org}/idp/sign-in"),
            Some(form(&[
                ("request", &request.0),
                ("csrf", &request.1),
                ("username", &email),
                ("password", &password),
            ])),
        )
        .await;
    assert!(!a.text.contains("SAMLResponse"), "{} {}", a.status, a.text);
    assert!(
        a.status == StatusCode::UNAUTHORIZED || a.status == StatusCode::FORBIDDEN,
        "{} {}",
        a.status,
        a.text
    );
}
both!(saml_jit_user_cannot_sign_in_after_the_run);

async fn login_csrf_forged_sign_in_is_refused(h: Harness) {
    let (mut dev, id, instance, _, org, _) = saml_instance(&h).await;
    let r = dev
        .post(
            "/api/v1/test-runs",
            json!({ "instanceId": instance, "case": "idpFlow", "version": "current" }),
        )
        .await;
    let run_id = r.body["id"].as_str().unwrap().to_string();
    // The victim's browser, in a run; and the attacker's own browser, which opens a sign-in
    // page of the same app to get a pending request and a token of its own.
    let mut victim = Browser {
        client: h.anonymous(),
        cookies: Vec::new(),
    };
    victim.take_cookies(&r);
    let mut attacker = Browser {
        client: h.anonymous(),
        cookies: Vec::new(),
    };
    let tile = format!("{org}/home/saml/{instance}");
    let a = attacker.go(Method::GET, &tile, None).await;
    assert_eq!(a.status, StatusCode::OK, "{}", a.text);
    let set_cookie = a
        .headers
        .get_all(header::SET_COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|v| v.starts_with("oin_idp_csrf="))
        .expect("the sign-in page sets the login-CSRF cookie")
        .to_string();
    assert!(set_cookie.contains("HttpOnly") && set_cookie.contains("SameSite=Lax"));
    assert!(set_cookie.contains(&format!("Path={org}")), "{set_cookie}");
    let (request, token) = sign_in_fields(&a.text);
    let signin = format!("{org}/idp/sign-in");
    let credentials = |request: &str, token: Option<&str>| {
        let mut pairs = vec![
            ("request", request.to_string()),
            ("username", "isvtest@okta.com".to_string()),
            ("password", "hunter2-secret".to_string()),
        ];
        if let Some(t) = token {
            pairs.push(("csrf", t.to_string()));
        }
        let pairs: Vec<(&str, &str)> = pairs.iter().map(|(k, v)| (*k, v.as_str())).collect();
        form(&pairs)
    };
    // A forged cross-site POST from the victim's browser with the attacker's form (request and
    // token): the victim's browser has no such cookie. Refused, nothing signed, recorded.
    let a = victim
        .go(
            Method::POST,
            &signin,
            Some(credentials(&request, Some(&token))),
        )
        .await;
    assert_eq!(a.status, StatusCode::FORBIDDEN, "{}", a.text);
    assert!(!a.text.contains("SAMLResponse"));
    assert!(a.text.contains("login CSRF"), "{}", a.text);
    assert!(
        !victim.cookies.iter().any(|(k, _)| k == "oin_idp_session"),
        "no IdP session for the victim"
    );
    // Without the token, and with a token of the right shape that is not the cookie's: refused.
    let a = attacker
        .go(Method::POST, &signin, Some(credentials(&request, None)))
        .await;
    assert_eq!(a.status, StatusCode::FORBIDDEN, "{}", a.text);
    let other = "A".repeat(32);
    let a = attacker
        .go(
            Method::POST,
            &signin,
            Some(credentials(&request, Some(&other))),
        )
        .await;
    assert_eq!(a.status, StatusCode::FORBIDDEN, "{}", a.text);
    // The victim's own cookie with the attacker's pending request: the token was not the one
    // that page was shown with.
    let a = victim.go(Method::GET, &tile, None).await;
    let (_, victim_token) = sign_in_fields(&a.text);
    assert_ne!(victim_token, token);
    let a = victim
        .go(
            Method::POST,
            &signin,
            Some(credentials(&request, Some(&victim_token))),
        )
        .await;
    assert_eq!(a.status, StatusCode::FORBIDDEN, "{}", a.text);
    // Two sign-in pages in one browser share its token; the genuine form signs in.
    let first = attacker.go(Method::GET, &tile, None).await;
    let second = attacker.go(Method::GET, &tile, None).await;
    let (first_request, first_token) = sign_in_fields(&first.text);
    assert_eq!(sign_in_fields(&second.text).1, first_token);
    assert_eq!(first_token, token, "the browser's cookie is reused");
    let a = attacker
        .go(
            Method::POST,
            &signin,
            Some(credentials(&first_request, Some(&first_token))),
        )
        .await;
    assert_eq!(a.status, StatusCode::OK, "{}", a.text);
    assert!(a.text.contains("SAMLResponse"), "{}", a.text);
    let run = run_of(&mut dev, &id, &run_id).await;
    assert!(
        run["steps"].to_string().contains("login CSRF"),
        "the refusal is recorded: {}",
        run["steps"]
    );
}
both!(login_csrf_forged_sign_in_is_refused);

async fn oidc_idp_flow_goes_through_the_org_tile(h: Harness) {
    let mut dev = h
        .signed_in("dev@strawberry.example", &[Role::SuperAdmin])
        .await;
    let id = dev.new_submission().await["id"]
        .as_str()
        .unwrap()
        .to_string();
    dev.save(&id, |s| {
        complete_oidc(s);
        s["oidc"]["initiateLoginUri"] = json!("https://strawberry.example.org/okta/start");
    })
    .await;
    let r = dev
        .post("/api/v1/instances", json!({ "submissionId": id, "version": "current", "protocols": ["oidc"], "label": "Tile", "variableValues": {} }))
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    let instance = r.body["id"].as_str().unwrap().to_string();
    dev.post(&format!("/api/v1/instances/{instance}/tester"), json!({}))
        .await;
    dev.post("/api/v1/tester/session", json!({})).await;
    let org_url = dev.get(&format!("/api/v1/testing/{id}")).await.body["orgUrl"]
        .as_str()
        .unwrap()
        .to_string();
    let org = org_url.strip_prefix(common::ORIGIN).unwrap().to_string();
    // The backend names the tile; Run test of the IdP flow opens exactly that.
    let tile = format!("{org_url}/home/oidc/{instance}");
    assert_eq!(r.body["details"]["oidc"]["idpFlowUrl"], json!(tile));
    let r = dev
        .post(
            "/api/v1/test-runs",
            json!({ "instanceId": instance, "case": "idpFlow", "version": "current" }),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert_eq!(r.body["signInUrl"], json!(tile));
    let run_id = r.body["id"].as_str().unwrap().to_string();
    let mut browser = Browser {
        client: h.anonymous(),
        cookies: Vec::new(),
    };
    browser.take_cookies(&r);
    // The tile sends the browser to the initiate login URI with the issuer (Core §4).
    let a = browser
        .go(Method::GET, &format!("{org}/home/oidc/{instance}"), None)
        .await;
    assert_eq!(a.status, StatusCode::SEE_OTHER, "{}", a.text);
    let to = location(&a);
    assert!(
        to.starts_with("https://strawberry.example.org/okta/start?"),
        "{to}"
    );
    assert_eq!(query_param(&to, "iss").as_deref(), Some(org_url.as_str()));
    let run = run_of(&mut dev, &id, &run_id).await;
    let network = run["network"].to_string();
    assert!(network.contains("/home/oidc/"), "{network}");
    assert!(network.contains("\"status\":303"), "{network}");
    // Continue sees that the identity provider was reached.
    let r = dev
        .put(
            &format!("/api/v1/test-runs/{run_id}"),
            json!({ "passed": true }),
        )
        .await;
    assert!(!r.text.contains("saw no request"), "{}", r.text);
    // The identity provider watched the sign-in: the run is observed, the verdict self-reported.
    assert_eq!(r.body["source"], "observed", "{}", r.text);
    let run = run_of(&mut dev, &id, &run_id).await;
    assert_eq!(run["source"], "observed");
    assert!(run["steps"].to_string().contains("selfReported"));
}
both!(oidc_idp_flow_goes_through_the_org_tile);

/// The bug: the org URL (issuer, metadata and SSO URLs) was fixed by the first `oin-server
/// user add`, run without the `--public-url` of the later `serve` (the README's example;
/// `./dev serve` on another port), so discovery and metadata named the wrong server. The
/// server now derives them from its public URL at every start.
async fn org_urls_follow_the_public_url_of_the_running_server(h: Harness) {
    // `user add` without --public-url: the default http://127.0.0.1:8080.
    let add = Harness::open_at(h.db, &h.url, h.keys.clone(), None, "http://127.0.0.1:8080").await;
    add.account("dev@strawberry.example", &[Role::SuperAdmin])
        .await;
    // `serve --public-url https://oin.example.net` on the same database.
    let served = Harness::open_at(
        h.db,
        &h.url,
        h.keys.clone(),
        None,
        "https://oin.example.net",
    )
    .await;
    let mut dev = served.sign_in("dev@strawberry.example").await;
    let id = dev.new_submission().await["id"]
        .as_str()
        .unwrap()
        .to_string();
    dev.save(&id, complete_saml).await;
    let r = dev
        .post("/api/v1/instances", json!({ "submissionId": id, "version": "current", "protocols": ["saml"], "label": "Moved", "variableValues": {} }))
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    let instance = r.body["id"].as_str().unwrap().to_string();
    let org_url = "https://oin.example.net/orgs/strawberry.example";
    assert_eq!(
        r.body["details"]["saml"]["ssoUrl"],
        json!(format!("{org_url}/app/{instance}/sso/saml"))
    );
    let view = dev.get(&format!("/api/v1/testing/{id}")).await;
    assert_eq!(view.body["orgUrl"], json!(org_url));
    let d = dev
        .get("/orgs/strawberry.example/.well-known/openid-configuration")
        .await;
    assert_eq!(d.body["issuer"], json!(org_url), "{}", d.text);
    let m = dev
        .get(&format!(
            "/orgs/strawberry.example/app/{instance}/sso/saml/metadata"
        ))
        .await;
    assert!(
        m.text
            .contains(&format!("Location=\"{org_url}/app/{instance}/sso/saml\"")),
        "{}",
        m.text
    );
    assert!(!m.text.contains("127.0.0.1:8080"), "{}", m.text);

    // Served again at another address: the org and the instance made before move with it.
    let moved = Harness::open_at(h.db, &h.url, h.keys.clone(), None, "http://127.0.0.1:4503").await;
    let mut dev = moved.sign_in("dev@strawberry.example").await;
    let view = dev.get(&format!("/api/v1/testing/{id}")).await;
    let new_org = "http://127.0.0.1:4503/orgs/strawberry.example";
    assert_eq!(view.body["orgUrl"], json!(new_org));
    let details = view.body["instances"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["id"] == json!(instance))
        .unwrap()["details"]["saml"]
        .clone();
    assert_eq!(
        details["metadataUrl"],
        json!(format!("{new_org}/app/{instance}/sso/saml/metadata"))
    );
    assert_eq!(
        details["idpFlowUrl"],
        json!(format!("{new_org}/home/saml/{instance}"))
    );
    assert!(
        details["issuer"].as_str().unwrap().starts_with(new_org),
        "{details}"
    );
    let d = dev
        .get("/orgs/strawberry.example/.well-known/openid-configuration")
        .await;
    assert_eq!(d.body["issuer"], json!(new_org));
}
both!(org_urls_follow_the_public_url_of_the_running_server);
