//! The harness of the server's integration tests: a server on a fresh database (SQLite in a
//! temporary file, or a new PostgreSQL database in the cluster `OIN_TEST_POSTGRES` names),
//! called in-process through its router with real headers, cookies and bodies.
//!
//! PostgreSQL is never skipped silently: without `OIN_TEST_POSTGRES` the PostgreSQL tests fail
//! and say how to run them (`./dev test-server` starts a throwaway cluster); only the explicit
//! `OIN_TEST_POSTGRES=skip` skips them, printing that it did.
#![allow(dead_code)]

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use axum::body::Body;
use axum::http::{header, HeaderMap, Method, Request, StatusCode};
use axum::Router;
use http_body_util::BodyExt;
use oin_server::accounts::{add_user, NewUser};
use oin_server::keys::Keys;
use oin_server::site::Site;
use oin_server::store::{self, Store};
use oin_server::{Context, Settings};
use oin_wizard::domain::{Role, User};
use serde_json::{json, Value};
use tower::ServiceExt;

/// The origin the test server is reached at.
pub const ORIGIN: &str = "http://oin.test";
/// The password of every test account.
pub const PASSWORD: &str = "correct horse battery";

/// Which database a test runs on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Db {
    Sqlite,
    Postgres,
}

/// Runs one test body on both databases: `both!(name);` makes `name::sqlite` and
/// `name::postgres`.
#[macro_export]
macro_rules! both {
    ($name:ident) => {
        mod $name {
            #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
            async fn sqlite() {
                if let Some(h) = $crate::common::Harness::new($crate::common::Db::Sqlite).await {
                    super::$name(h).await;
                }
            }
            #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
            async fn postgres() {
                if let Some(h) = $crate::common::Harness::new($crate::common::Db::Postgres).await {
                    super::$name(h).await;
                }
            }
        }
    };
}

static COUNTER: AtomicUsize = AtomicUsize::new(0);

fn unique(prefix: &str) -> String {
    format!(
        "{prefix}_{}_{}_{}",
        std::process::id(),
        COUNTER.fetch_add(1, Ordering::SeqCst),
        chrono::Utc::now().timestamp_micros()
    )
}

/// A server on a fresh database.
pub struct Harness {
    pub db: Db,
    pub url: String,
    pub router: Router,
    pub store: Arc<dyn Store>,
    pub keys: Arc<Keys>,
    pub settings: Settings,
}

/// A fresh database URL, or `None` when PostgreSQL is explicitly skipped.
pub async fn fresh_database(db: Db) -> Option<String> {
    match db {
        Db::Sqlite => {
            let dir = std::env::temp_dir().join("oin-server-tests");
            std::fs::create_dir_all(&dir).expect("temp dir");
            Some(format!(
                "sqlite://{}",
                dir.join(format!("{}.db", unique("t"))).display()
            ))
        }
        Db::Postgres => {
            let admin = std::env::var("OIN_TEST_POSTGRES").unwrap_or_default();
            if admin == "skip" {
                eprintln!("PostgreSQL tests SKIPPED: OIN_TEST_POSTGRES=skip");
                return None;
            }
            assert!(
                admin.starts_with("postgres://"),
                "The PostgreSQL tests need OIN_TEST_POSTGRES=postgres://USER@127.0.0.1:PORT/postgres (`./dev test-server` starts a throwaway cluster and sets it); set OIN_TEST_POSTGRES=skip to skip them knowingly"
            );
            let name = unique("oin_t");
            let mut conn = <sqlx::PgConnection as sqlx::Connection>::connect(&admin)
                .await
                .expect("connect to the PostgreSQL test cluster");
            sqlx::Executor::execute(
                &mut conn,
                sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}")),
            )
            .await
            .expect("create a test database");
            let base = admin.rsplit_once('/').map(|(b, _)| b).unwrap_or(&admin);
            Some(format!("{base}/{name}"))
        }
    }
}

impl Harness {
    pub async fn new(db: Db) -> Option<Harness> {
        Self::with_site(db, None).await
    }

    pub async fn with_site(db: Db, site: Option<Site>) -> Option<Harness> {
        let url = fresh_database(db).await?;
        Some(Self::open(db, &url, Arc::new(Keys::generate().expect("keys")), site).await)
    }

    /// A server on an existing database (a restart; the store alone, so a test may open it
    /// with the wrong key).
    pub async fn open(db: Db, url: &str, keys: Arc<Keys>, site: Option<Site>) -> Harness {
        let store = store::open(url, keys.clone())
            .await
            .expect("open the store");
        Self::serve(db, url, store, keys, site, ORIGIN)
    }

    /// A server on an existing database reached at `origin` (its public URL), started as
    /// `oin-server` starts ([`oin_server::start`]).
    pub async fn open_at(
        db: Db,
        url: &str,
        keys: Arc<Keys>,
        site: Option<Site>,
        origin: &str,
    ) -> Harness {
        let store = store::open(url, keys.clone())
            .await
            .expect("open the store");
        oin_server::start(store.as_ref(), &keys, &Settings::new(origin))
            .await
            .expect("start");
        Self::serve(db, url, store, keys, site, origin)
    }

    fn serve(
        db: Db,
        url: &str,
        store: Arc<dyn Store>,
        keys: Arc<Keys>,
        site: Option<Site>,
        origin: &str,
    ) -> Harness {
        let settings = Settings::new(origin);
        let router = oin_server::http::router(Arc::new(Context {
            store: store.clone(),
            keys: keys.clone(),
            settings: settings.clone(),
            site,
            scim: oin_server::http::scim::ScimRunner::new(true),
        }));
        Harness {
            db,
            url: url.to_string(),
            router,
            store,
            keys,
            settings,
        }
    }

    /// Creates an account.
    pub async fn account(&self, email: &str, roles: &[Role]) -> User {
        add_user(
            self.store.as_ref(),
            &self.keys,
            &self.settings,
            NewUser {
                email: email.into(),
                roles: roles.to_vec(),
                password: PASSWORD.into(),
                first_name: "Test".into(),
                last_name: "User".into(),
            },
        )
        .await
        .expect("add an account")
    }

    /// A client with no session.
    pub fn anonymous(&self) -> Client {
        Client {
            router: self.router.clone(),
            cookie: None,
        }
    }

    /// Creates an account and signs it in.
    pub async fn signed_in(&self, email: &str, roles: &[Role]) -> Client {
        self.account(email, roles).await;
        self.sign_in(email).await
    }

    /// Signs an existing account in.
    pub async fn sign_in(&self, email: &str) -> Client {
        let mut client = self.anonymous();
        let r = client
            .send(
                Method::POST,
                "/api/v1/session",
                Some(json!({ "email": email, "password": PASSWORD })),
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "sign-in of {email}: {}", r.body);
        let cookie = r
            .headers
            .get(header::SET_COOKIE)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.split(';').next())
            .expect("a session cookie")
            .to_string();
        client.cookie = Some(cookie);
        client
    }
}

/// One answer.
#[derive(Debug)]
pub struct Answer {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: Value,
    pub text: String,
}

impl Answer {
    /// The `code` of a problem body.
    pub fn code(&self) -> &str {
        self.body["code"].as_str().unwrap_or("")
    }
}

/// A browser-like client of the test server: same-origin requests with its session cookie.
#[derive(Clone)]
pub struct Client {
    pub router: Router,
    pub cookie: Option<String>,
}

impl Client {
    /// A same-origin request; a body is sent as `application/json`.
    pub async fn send(&mut self, method: Method, path: &str, body: Option<Value>) -> Answer {
        let mut request = Request::builder()
            .method(method)
            .uri(path)
            .header(header::HOST, "oin.test")
            .header(header::ORIGIN, ORIGIN);
        if let Some(cookie) = &self.cookie {
            request = request.header(header::COOKIE, cookie);
        }
        let request = match body {
            Some(body) => request
                .header(header::CONTENT_TYPE, "application/json")
                .body(Body::from(body.to_string())),
            None => request.body(Body::empty()),
        }
        .expect("request");
        self.raw(request).await
    }

    /// Any request, as built.
    pub async fn raw(&self, request: Request<Body>) -> Answer {
        let response = self
            .router
            .clone()
            .oneshot(request)
            .await
            .expect("the router answers");
        let status = response.status();
        let headers = response.headers().clone();
        let bytes = response
            .into_body()
            .collect()
            .await
            .expect("body")
            .to_bytes();
        let text = String::from_utf8_lossy(&bytes).to_string();
        let body = serde_json::from_str(&text).unwrap_or(Value::Null);
        Answer {
            status,
            headers,
            body,
            text,
        }
    }

    pub async fn get(&mut self, path: &str) -> Answer {
        self.send(Method::GET, path, None).await
    }
    pub async fn post(&mut self, path: &str, body: Value) -> Answer {
        self.send(Method::POST, path, Some(body)).await
    }
    pub async fn put(&mut self, path: &str, body: Value) -> Answer {
        self.send(Method::PUT, path, Some(body)).await
    }
    pub async fn patch(&mut self, path: &str, body: Value) -> Answer {
        self.send(Method::PATCH, path, Some(body)).await
    }
    pub async fn delete(&mut self, path: &str) -> Answer {
        self.send(Method::DELETE, path, None).await
    }

    /// Creates a Draft and answers it.
    pub async fn new_submission(&mut self) -> Value {
        let r = self.post("/api/v1/submissions", json!({})).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text);
        r.body
    }

    /// Saves `edit` over the stored submission `id` (the version loaded first).
    pub async fn save(&mut self, id: &str, edit: impl FnOnce(&mut Value)) -> Answer {
        let mut s = self.get(&format!("/api/v1/submissions/{id}")).await.body;
        edit(&mut s);
        self.put(&format!("/api/v1/submissions/{id}"), s).await
    }
}

/// A 200×200 GIF (the logo of docs/api.md's example).
pub const LOGO_GIF: &str = "R0lGODlhyADIAIAAAAAAAP///ywAAAAAAQABAAACAkQBADs=";

/// Fills a Draft with a complete OIDC-only integration (SP flow only, no JIT).
pub fn complete_oidc(s: &mut Value) {
    s["protocols"] = json!({ "oidc": true, "saml": false, "scim": false });
    s["catalog"] = json!({
        "displayName": "Strawberry Fields",
        "description": "Sign in to Strawberry Fields with single sign-on.",
        "logo": { "fileName": "strawberry.gif", "mediaType": "image/gif", "data": LOGO_GIF },
        "useCases": []
    });
    s["oidc"] = json!({
        "redirectUris": ["https://strawberry.example.org/login"],
        "initiateLoginUri": "",
        "postLogoutUris": [],
        "configGuideUrl": "https://strawberry.example.org/docs/okta"
    });
    s["testInfo"] = json!({
        "accountUrl": "https://strawberry.example.org/login",
        "username": "isvtest@okta.com",
        "password": "hunter2-secret",
        "supportContact": "support@strawberry.example",
        "instructions": ""
    });
    s["testSettings"]["oidc"] =
        json!({ "jit": false, "spInitiateUrl": "https://strawberry.example.org/sso" });
}

/// Every role set the matrix tries.
pub fn role_sets() -> Vec<(&'static str, Vec<Role>)> {
    vec![
        ("super admin", vec![Role::SuperAdmin]),
        ("app admin", vec![Role::AppAdmin]),
        ("org admin", vec![Role::OrgAdmin]),
        (
            "app admin + org admin",
            vec![Role::AppAdmin, Role::OrgAdmin],
        ),
        ("catalog reviewer", vec![Role::CatalogReviewer]),
    ]
}
