//! The real binary: `oin-server user add` reads the password from standard input, the server
//! answers over TCP on loopback, a `kill -9` in the middle of a stream of saves loses no save
//! it had acknowledged (SQLite, WAL), and two replicas on one PostgreSQL database act as one
//! server (writes, versions and sessions are the database's, not a process's).
mod common;

use std::process::{Child, Command, Stdio};
use std::time::Duration;

use serde_json::{json, Value};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

const BIN: &str = env!("CARGO_BIN_EXE_oin-server");

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free port")
}

struct Server {
    child: Child,
    port: u16,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn args(dir: &std::path::Path) -> Vec<String> {
    database_args(&format!("sqlite://{}", dir.join("oin.db").display()), dir)
}

/// `--database URL --key-file DIR/oin-server.key`.
fn database_args(database: &str, dir: &std::path::Path) -> Vec<String> {
    vec![
        "--database".into(),
        database.into(),
        "--key-file".into(),
        dir.join("oin-server.key").display().to_string(),
    ]
}

async fn start(dir: &std::path::Path) -> Server {
    start_with(args(dir)).await
}

/// Starts the binary with these database arguments on a free port; answers once /healthz does.
async fn start_with(args: Vec<String>) -> Server {
    let port = free_port();
    let child = Command::new(BIN)
        .args(args)
        .args([
            "--listen",
            &format!("127.0.0.1:{port}"),
            "--dist",
            "/nonexistent",
        ])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("start oin-server");
    let server = Server { child, port };
    for _ in 0..200 {
        if let Ok((200, _, _)) = call(port, "GET", "/healthz", None, None).await {
            return server;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("oin-server did not start");
}

/// One HTTP/1.1 exchange: status, Set-Cookie, body.
async fn call(
    port: u16,
    method: &str,
    path: &str,
    cookie: Option<&str>,
    body: Option<&Value>,
) -> std::io::Result<(u16, String, String)> {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).await?;
    let body = body.map(Value::to_string).unwrap_or_default();
    let mut request = format!(
        "{method} {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\nContent-Length: {}\r\n",
        body.len()
    );
    if !body.is_empty() {
        request.push_str("Content-Type: application/json\r\n");
    }
    if let Some(c) = cookie {
        request.push_str(&format!("Cookie: {c}\r\n"));
    }
    request.push_str("\r\n");
    request.push_str(&body);
    stream.write_all(request.as_bytes()).await?;
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw).await?;
    let text = String::from_utf8_lossy(&raw).to_string();
    let (head, body) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
    let status = head
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    let cookie = head
        .lines()
        .find(|l| l.to_ascii_lowercase().starts_with("set-cookie:"))
        .and_then(|l| l.split_once(':'))
        .and_then(|(_, v)| v.trim().split(';').next())
        .unwrap_or("")
        .to_string();
    Ok((status, cookie, body.to_string()))
}

/// `oin-server user add EMAIL --role SUPER_ADMIN` with `password` on standard input.
fn user_add(args: Vec<String>, email: &str, password: &str) -> std::process::Output {
    use std::io::Write;
    let mut child = Command::new(BIN)
        .args(args)
        .args(["user", "add", email, "--role", "SUPER_ADMIN"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("user add");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(password.as_bytes())
        .expect("write the password");
    child.wait_with_output().expect("user add ends")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn kill_9_loses_no_acknowledged_save() {
    let dir = std::env::temp_dir().join(format!("oin-server-kill-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();

    // user add: the password on standard input; a short one is refused.
    let add = |password: &str| user_add(args(&dir), "dev@strawberry.example", password);
    let short = add("short\n");
    assert!(!short.status.success());
    assert!(String::from_utf8_lossy(&short.stderr).contains("at least 10 characters"));
    assert!(add("a long enough password\n").status.success());

    let mut server = start(&dir).await;
    let port = server.port;
    let sign_in =
        json!({ "email": "dev@strawberry.example", "password": "a long enough password" });
    let (status, cookie, _) = call(port, "POST", "/api/v1/session", None, Some(&sign_in))
        .await
        .unwrap();
    assert_eq!(status, 200);
    let (_, _, created) = call(
        port,
        "POST",
        "/api/v1/submissions",
        Some(&cookie),
        Some(&json!({})),
    )
    .await
    .unwrap();
    let mut submission: Value = serde_json::from_str(&created).unwrap();
    let id = submission["id"].as_str().unwrap().to_string();
    let path = format!("/api/v1/submissions/{id}");

    // Save in a loop; kill -9 the server while saves are in flight.
    let writer = {
        let cookie = cookie.clone();
        let path = path.clone();
        tokio::spawn(async move {
            let mut acknowledged = 0u64;
            for n in 0..10_000 {
                submission["catalog"]["description"] = json!(format!("Save {n}"));
                match call(port, "PUT", &path, Some(&cookie), Some(&submission)).await {
                    Ok((200, _, body)) => {
                        submission = serde_json::from_str(&body).unwrap();
                        acknowledged = submission["version"].as_u64().unwrap();
                    }
                    _ => break,
                }
            }
            acknowledged
        })
    };
    tokio::time::sleep(Duration::from_millis(1500)).await;
    server.child.kill().unwrap(); // SIGKILL
    server.child.wait().unwrap();
    let acknowledged = writer.await.unwrap();
    assert!(acknowledged > 2, "saves were acknowledged before the kill");

    let server = start(&dir).await;
    let (status, cookie, _) = call(server.port, "POST", "/api/v1/session", None, Some(&sign_in))
        .await
        .unwrap();
    assert_eq!(status, 200);
    let (status, _, body) = call(server.port, "GET", &path, Some(&cookie), None)
        .await
        .unwrap();
    assert_eq!(status, 200);
    let stored: Value = serde_json::from_str(&body).unwrap();
    let version = stored["version"].as_u64().unwrap();
    assert!(
        version >= acknowledged,
        "acknowledged version {acknowledged}, stored {version}: a committed save was lost"
    );
    drop(server);
    let _ = std::fs::remove_dir_all(&dir);
}

/// Two `oin-server` processes on one PostgreSQL database (docs/deploy.md's replicas): what one
/// writes the other reads, a version one replica bumped is stale on the other (409), and a
/// session signed in through one works, and ends, on both.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_replicas_on_one_postgres_database_act_as_one_server() {
    let Some(database) = common::fresh_database(common::Db::Postgres).await else {
        return;
    };
    let dir = std::env::temp_dir().join(format!("oin-server-replicas-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    // One key file for both (secrets sealed by one are opened by the other), one database.
    let args = database_args(&database, &dir);
    let password = "replicas share everything";
    let added = user_add(args.clone(), "dev@strawberry.example", password);
    assert!(added.status.success(), "{added:?}");

    // Started together: migrations and first-start work must not trip over each other.
    let (a, b) = tokio::join!(start_with(args.clone()), start_with(args.clone()));
    let sign_in = json!({ "email": "dev@strawberry.example", "password": password });

    // A session from A works on B.
    let (status, cookie, _) = call(a.port, "POST", "/api/v1/session", None, Some(&sign_in))
        .await
        .unwrap();
    assert_eq!(status, 200);
    let (status, _, me) = call(b.port, "GET", "/api/v1/me", Some(&cookie), None)
        .await
        .unwrap();
    assert_eq!(status, 200, "{me}");
    assert_eq!(
        serde_json::from_str::<Value>(&me).unwrap()["email"],
        "dev@strawberry.example"
    );

    // Created through A, read through B.
    let (status, _, created) = call(
        a.port,
        "POST",
        "/api/v1/submissions",
        Some(&cookie),
        Some(&json!({})),
    )
    .await
    .unwrap();
    assert_eq!(status, 200, "{created}");
    let created: Value = serde_json::from_str(&created).unwrap();
    let path = format!("/api/v1/submissions/{}", created["id"].as_str().unwrap());
    let (status, _, read) = call(b.port, "GET", &path, Some(&cookie), None)
        .await
        .unwrap();
    assert_eq!(status, 200, "{read}");
    let on_b: Value = serde_json::from_str(&read).unwrap();
    assert_eq!(on_b["version"], created["version"]);

    // Saved through B; A reads the save.
    let mut edit = on_b.clone();
    edit["catalog"]["description"] = json!("Saved through replica B");
    let (status, _, saved) = call(b.port, "PUT", &path, Some(&cookie), Some(&edit))
        .await
        .unwrap();
    assert_eq!(status, 200, "{saved}");
    let saved: Value = serde_json::from_str(&saved).unwrap();
    assert_eq!(
        saved["version"].as_u64(),
        created["version"].as_u64().map(|v| v + 1)
    );
    let (status, _, read) = call(a.port, "GET", &path, Some(&cookie), None)
        .await
        .unwrap();
    assert_eq!(status, 200);
    let on_a: Value = serde_json::from_str(&read).unwrap();
    assert_eq!(on_a["catalog"]["description"], "Saved through replica B");
    assert_eq!(on_a["version"], saved["version"]);

    // A stale version (the one B saved over) is a conflict on A, and changes nothing.
    let mut stale = created.clone();
    stale["catalog"]["description"] = json!("Stale, through replica A");
    let (status, _, refused) = call(a.port, "PUT", &path, Some(&cookie), Some(&stale))
        .await
        .unwrap();
    assert_eq!(status, 409, "{refused}");
    assert_eq!(
        serde_json::from_str::<Value>(&refused).unwrap()["code"],
        "conflict"
    );
    let (_, _, read) = call(b.port, "GET", &path, Some(&cookie), None)
        .await
        .unwrap();
    let after: Value = serde_json::from_str(&read).unwrap();
    assert_eq!(after["catalog"]["description"], "Saved through replica B");
    assert_eq!(after["version"], saved["version"]);

    // Concurrent saves of one version through both replicas: exactly one wins.
    let mut from_a = after.clone();
    from_a["catalog"]["description"] = json!("Race: A");
    let mut from_b = after.clone();
    from_b["catalog"]["description"] = json!("Race: B");
    let (ra, rb) = tokio::join!(
        call(a.port, "PUT", &path, Some(&cookie), Some(&from_a)),
        call(b.port, "PUT", &path, Some(&cookie), Some(&from_b))
    );
    let mut statuses = [ra.unwrap().0, rb.unwrap().0];
    statuses.sort_unstable();
    assert_eq!(statuses, [200, 409]);

    // Signing out through B ends the session on A too.
    let (status, _, _) = call(b.port, "DELETE", "/api/v1/session", Some(&cookie), None)
        .await
        .unwrap();
    assert_eq!(status, 204);
    let (status, _, _) = call(a.port, "GET", "/api/v1/me", Some(&cookie), None)
        .await
        .unwrap();
    assert_eq!(status, 401);

    drop((a, b));
    let _ = std::fs::remove_dir_all(&dir);
}
