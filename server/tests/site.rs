//! The built app on the server's origin: files (precompressed when the build wrote `.br` /
//! `.gz`), `index.html` for the app's routes, the build's own `_headers` on every response, a
//! `config.json` pointing the app at this server, health checks, and path tricks refused.
mod common;

use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use common::*;
use oin_server::site::Site;

fn dist() -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!(
        "oin-server-dist-{}-{}",
        std::process::id(),
        chrono::Utc::now().timestamp_micros()
    ));
    std::fs::create_dir_all(dir.join("public")).unwrap();
    std::fs::write(
        dir.join("index.html"),
        "<!doctype html><title>OIN Wizard</title>",
    )
    .unwrap();
    std::fs::write(dir.join("app-1a2b.js"), "console.log('plain')").unwrap();
    std::fs::write(dir.join("app-1a2b.js.br"), "BROTLI-BYTES").unwrap();
    std::fs::write(dir.join("app-1a2b.js.gz"), "GZIP-BYTES").unwrap();
    std::fs::write(
        dir.join("_headers"),
        "/*\n  Content-Security-Policy: default-src 'self'; script-src 'self' 'sha256-abc'\n  X-Content-Type-Options: nosniff\n  Referrer-Policy: no-referrer\n",
    )
    .unwrap();
    std::fs::write(
        dir.join("public/config.json"),
        r#"{ "backend": "embedded", "baseUrl": "", "timeoutMs": 20000, "catalogContact": "catalog@corp.example" }"#,
    )
    .unwrap();
    dir
}

async fn get(client: &Client, path: &str, accept_encoding: &str) -> Answer {
    let mut request = Request::builder()
        .uri(path)
        .header(header::HOST, "oin.test");
    if !accept_encoding.is_empty() {
        request = request.header(header::ACCEPT_ENCODING, accept_encoding);
    }
    client.raw(request.body(Body::empty()).unwrap()).await
}

#[tokio::test]
async fn the_app_is_served_with_its_own_headers() {
    let site = Site::load(&dist()).expect("a dist");
    let h = Harness::with_site(Db::Sqlite, Some(site)).await.unwrap();
    let c = h.anonymous();

    let r = get(&c, "/", "").await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.text.contains("OIN Wizard"));
    assert_eq!(
        r.headers["content-security-policy"],
        "default-src 'self'; script-src 'self' 'sha256-abc'"
    );
    assert_eq!(r.headers["x-content-type-options"], "nosniff");
    assert_eq!(r.headers["referrer-policy"], "no-referrer");

    // The app's routes are the app.
    for route in ["/wizard/sub-1/configure", "/dashboard", "/no/such/page"] {
        let r = get(&c, route, "").await;
        assert_eq!(r.status, StatusCode::OK, "{route}");
        assert!(r.text.contains("OIN Wizard"), "{route}");
    }

    // Precompressed files, by what the browser accepts.
    let r = get(&c, "/app-1a2b.js", "gzip, deflate, br").await;
    assert_eq!(r.headers[header::CONTENT_ENCODING], "br");
    assert_eq!(r.text, "BROTLI-BYTES");
    let r = get(&c, "/app-1a2b.js", "gzip").await;
    assert_eq!(r.headers[header::CONTENT_ENCODING], "gzip");
    assert_eq!(r.text, "GZIP-BYTES");
    let r = get(&c, "/app-1a2b.js", "").await;
    assert_eq!(r.text, "console.log('plain')");

    // The app's configuration points it at this server; the rest is the shipped file's.
    let r = get(&c, "/public/config.json", "").await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(r.body["backend"], "http");
    assert_eq!(r.body["baseUrl"], "");
    assert_eq!(r.body["catalogContact"], "catalog@corp.example");
    assert_eq!(r.headers[header::CACHE_CONTROL], "no-store");

    // API answers carry the same headers and are never cached.
    let r = get(&c, "/api/v1/me", "").await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    assert_eq!(r.headers["x-content-type-options"], "nosniff");
    assert_eq!(r.headers[header::CACHE_CONTROL], "no-store");

    // Path tricks are 404, never a file outside dist and never the app.
    for path in [
        "/../Cargo.toml",
        "/%2e%2e/Cargo.toml",
        "/public%2Fconfig.json",
        "/a/../../etc/passwd",
        "/x%5c..%5cy",
    ] {
        let r = get(&c, path, "").await;
        assert_eq!(r.status, StatusCode::NOT_FOUND, "{path}");
        assert!(!r.text.contains("OIN Wizard"), "{path}");
    }

    assert_eq!(get(&c, "/healthz", "").await.text, "ok");
    assert_eq!(get(&c, "/readyz", "").await.text, "ready");
}

#[tokio::test]
async fn without_a_build_only_the_api_answers() {
    assert!(Site::load(std::path::Path::new("/nonexistent-dist")).is_err());
    let h = Harness::new(Db::Sqlite).await.unwrap();
    let c = h.anonymous();
    assert_eq!(get(&c, "/", "").await.status, StatusCode::NOT_FOUND);
    assert_eq!(
        get(&c, "/public/config.json", "").await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(get(&c, "/healthz", "").await.status, StatusCode::OK);
}
