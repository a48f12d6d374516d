//! The provider core against openid-client (OpenID-certified relying party, idp/tests/node/
//! oidc-rp.mjs): discovery, JWKS, token and userinfo are served on loopback by a minimal HTTP
//! shim around the core functions; the browser's hop through the authorization endpoint is
//! the core's `validate_authorization` + `issue_code`. The RP checks the ID token's
//! signature, iss, aud, nonce, at_hash, PKCE, `state` and RFC 9207 `iss` itself.

mod common;

use common::test_key;
use oin_idp::check::Check;
use oin_idp::keys::{random_token, DatedKey, KeySet};
use oin_idp::oidc::*;
use serde_json::{json, Value};
use std::collections::HashMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

// This worktree's port range (8231-8239), loopback only.
const ADDR: &str = "127.0.0.1:8232";
const ISSUER: &str = "http://127.0.0.1:8232";
const REDIRECT: &str = "http://127.0.0.1:8233/callback";

fn client() -> Client {
    Client {
        client_id: "0oaRP".into(),
        client_secret: "rp-secret-42".into(),
        redirect_uris: vec![REDIRECT.into()],
        initiate_login_uri: String::new(),
    }
}

fn user() -> UserProfile {
    UserProfile {
        sub: "00uRP".into(),
        email: "grace@vendor.example".into(),
        given_name: "Grace".into(),
        family_name: "Hopper".into(),
        preferred_username: "grace@vendor.example".into(),
    }
}

#[derive(Default)]
struct State {
    codes: HashMap<String, AuthorizationCode>,
    grants: HashMap<String, AccessGrant>,
    checks: Vec<Check>,
}

fn now() -> chrono::DateTime<chrono::Utc> {
    std::time::SystemTime::now().into()
}

struct Answer {
    status: u16,
    body: String,
    www_authenticate: Option<String>,
}

fn json_answer(status: u16, body: String) -> Answer {
    Answer {
        status,
        body,
        www_authenticate: None,
    }
}

fn error_answer(e: TokenError) -> Answer {
    Answer {
        status: e.status,
        body: e.body(),
        www_authenticate: e.www_authenticate.clone(),
    }
}

fn handle(
    method: &str,
    path: &str,
    headers: &HashMap<String, String>,
    body: &str,
    state: &Mutex<State>,
) -> Answer {
    let provider = Provider::at_org(ISSUER);
    let Ok(mut st) = state.lock() else {
        return json_answer(500, "{}".into());
    };
    match (method, path) {
        ("GET", "/.well-known/openid-configuration") => json_answer(
            200,
            serde_json::to_string(&provider.discovery()).unwrap_or_default(),
        ),
        ("GET", "/oauth2/v1/keys") => json_answer(
            200,
            KeySet::new(vec![DatedKey {
                created_at: now(),
                key: test_key(),
            }])
            .jwks()
            .to_json(),
        ),
        ("POST", "/oauth2/v1/token") => {
            let form = Params::from_urlencoded(body);
            let (creds, check) =
                client_credentials(headers.get("authorization").map(String::as_str), &form);
            st.checks.push(check);
            let creds = match creds {
                Ok(c) => c,
                Err(e) => return error_answer(e),
            };
            let key = form.get("code").map(secret_key).unwrap_or_default();
            let mut code = st.codes.get(&key).cloned();
            let access_token = random_token().unwrap_or_default();
            let ex = exchange_code(
                &provider,
                &test_key(),
                Some(&client()),
                &creds,
                &form,
                code.as_mut(),
                &access_token,
                now(),
            );
            st.checks.extend(ex.checks);
            if let Some(c) = code {
                st.codes.insert(key, c);
            }
            match ex.outcome {
                Ok((response, grant)) => {
                    st.grants.insert(grant.key.clone(), grant);
                    json_answer(200, serde_json::to_string(&response).unwrap_or_default())
                }
                Err(e) => error_answer(e),
            }
        }
        ("GET", "/oauth2/v1/userinfo") => {
            let token = match bearer_token(headers.get("authorization").map(String::as_str)) {
                Ok(t) => t.to_string(),
                Err(e) => return error_answer(e),
            };
            let grant = st.grants.get(&secret_key(&token)).cloned();
            let (claims, check) = userinfo(grant.as_ref(), now());
            st.checks.push(check);
            match claims {
                Ok(c) => json_answer(200, c.to_string()),
                Err(e) => error_answer(e),
            }
        }
        _ => json_answer(404, "{}".into()),
    }
}

fn serve_one(mut stream: TcpStream, state: &Mutex<State>) -> std::io::Result<()> {
    let mut reader = BufReader::new(stream.try_clone()?);
    let mut line = String::new();
    reader.read_line(&mut line)?;
    let mut parts = line.split_whitespace();
    let (method, target) = (
        parts.next().unwrap_or("").to_string(),
        parts.next().unwrap_or("").to_string(),
    );
    let mut headers = HashMap::new();
    loop {
        let mut h = String::new();
        if reader.read_line(&mut h)? == 0 || h.trim().is_empty() {
            break;
        }
        if let Some((k, v)) = h.split_once(':') {
            headers.insert(k.trim().to_ascii_lowercase(), v.trim().to_string());
        }
    }
    let length: usize = headers
        .get("content-length")
        .and_then(|l| l.parse().ok())
        .unwrap_or(0);
    let mut body = vec![0u8; length.min(1 << 20)];
    reader.read_exact(&mut body)?;
    let path = target.split('?').next().unwrap_or("");
    let a = handle(
        &method,
        path,
        &headers,
        &String::from_utf8_lossy(&body),
        state,
    );
    let mut head = format!(
        "HTTP/1.1 {} X\r\nContent-Type: application/json\r\nContent-Length: {}\r\nCache-Control: no-store\r\nConnection: close\r\n",
        a.status,
        a.body.len()
    );
    if let Some(w) = a.www_authenticate {
        head.push_str(&format!("WWW-Authenticate: {w}\r\n"));
    }
    head.push_str("\r\n");
    stream.write_all(head.as_bytes())?;
    stream.write_all(a.body.as_bytes())?;
    stream.flush()
}

/// Runs the RP once: returns its final JSON and the checks the provider recorded.
fn run_rp(method: &str, secret: &str) -> (Value, Vec<Check>) {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/node");
    assert!(
        dir.join("node_modules/openid-client").is_dir(),
        "openid-client is not installed: run `npm ci` in idp/tests/node (./dev setup does)"
    );
    let listener = TcpListener::bind(ADDR).expect("bind 127.0.0.1:8232");
    let state = Arc::new(Mutex::new(State::default()));
    let stop = Arc::new(AtomicBool::new(false));
    let server = {
        let (state, stop) = (state.clone(), stop.clone());
        std::thread::spawn(move || {
            for stream in listener.incoming() {
                if stop.load(Ordering::SeqCst) {
                    break;
                }
                if let Ok(s) = stream {
                    let _ = serve_one(s, &state);
                }
            }
        })
    };
    let mut child = Command::new("node")
        .arg(dir.join("oidc-rp.mjs"))
        .args([ISSUER, "0oaRP", secret, method, REDIRECT])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("node");
    let mut out = BufReader::new(child.stdout.take().expect("stdout"));
    let mut first = String::new();
    out.read_line(&mut first).expect("authorize line");
    let first: Value = serde_json::from_str(&first).unwrap_or_else(|_| panic!("node: {first}"));
    let authorize = url::Url::parse(
        first["authorize"]
            .as_str()
            .unwrap_or_else(|| panic!("{first}")),
    )
    .expect("url");
    assert!(authorize
        .as_str()
        .starts_with(&format!("{ISSUER}/oauth2/v1/authorize?")));
    // The browser's hop: the authorization endpoint, the user already signed in.
    let provider = Provider::at_org(ISSUER);
    let a = validate_authorization(
        &provider,
        Some(&client()),
        &Params::from_pairs(authorize.query_pairs()),
    );
    let valid = a.outcome.expect("the RP's authorization request is valid");
    let code = random_token().expect("random");
    let issued = issue_code(&provider, &valid, &user(), true, now(), &code, now());
    let (record, callback) = issued.outcome.expect("code issued");
    if let Ok(mut st) = state.lock() {
        st.checks.extend(a.checks);
        st.codes.insert(record.key.clone(), record);
    }
    let mut stdin = child.stdin.take().expect("stdin");
    writeln!(stdin, "{callback}").expect("write callback");
    let mut last = String::new();
    out.read_to_string(&mut last).expect("result");
    let _ = child.wait();
    stop.store(true, Ordering::SeqCst);
    let _ = TcpStream::connect(ADDR); // wake the accept loop
    let _ = server.join();
    let checks = state.lock().map(|s| s.checks.clone()).unwrap_or_default();
    (
        serde_json::from_str(last.trim()).unwrap_or_else(|_| panic!("node: {last}")),
        checks,
    )
}

#[test]
fn openid_client_signs_in_with_basic_and_post_and_refuses_a_wrong_secret() {
    for method in ["basic", "post"] {
        let (v, checks) = run_rp(method, "rp-secret-42");
        assert_eq!(v["ok"], true, "{method}: {v}");
        assert_eq!(v["claims"]["sub"], "00uRP");
        assert_eq!(v["claims"]["iss"], ISSUER);
        assert_eq!(v["claims"]["aud"], "0oaRP");
        assert_eq!(
            v["userinfo"],
            json!({"sub": "00uRP", "name": "Grace Hopper", "given_name": "Grace", "family_name": "Hopper", "preferred_username": "grace@vendor.example", "email": "grace@vendor.example"})
        );
        assert!(oin_idp::check::all_passed(&checks), "{method}: {checks:?}");
        let auth = checks
            .iter()
            .find(|c| c.kind == oin_idp::CheckKind::ClientAuth)
            .expect("client auth");
        assert_eq!(
            auth.detail,
            if method == "basic" {
                "client_secret_basic"
            } else {
                "client_secret_post"
            }
        );
    }
    let (v, checks) = run_rp("basic", "wrong-secret");
    assert_eq!(v["ok"], false, "{v}");
    // openid-client reports the 401's WWW-Authenticate challenge (RFC 6749 §5.2).
    assert_eq!(v["status"], 401, "{v}");
    assert!(
        v["error"]
            .as_str()
            .unwrap_or("")
            .contains("WWW_AUTHENTICATE_CHALLENGE"),
        "{v}"
    );
    assert!(checks
        .iter()
        .any(|c| c.kind == oin_idp::CheckKind::ClientAuth && c.verdict == oin_idp::Verdict::Fail));
}
