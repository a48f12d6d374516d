//! The real binary: `oin-server user add` reads the password from standard input, the server
//! answers over TCP on loopback, and a `kill -9` in the middle of a stream of saves loses no
//! save it had acknowledged (SQLite, WAL).

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
    vec![
        "--database".into(),
        format!("sqlite://{}", dir.join("oin.db").display()),
        "--key-file".into(),
        dir.join("oin-server.key").display().to_string(),
    ]
}

async fn start(dir: &std::path::Path) -> Server {
    let port = free_port();
    let child = Command::new(BIN)
        .args(args(dir))
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

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn kill_9_loses_no_acknowledged_save() {
    let dir = std::env::temp_dir().join(format!("oin-server-kill-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();

    // user add: the password on standard input; a short one is refused.
    let add = |password: &str| {
        let mut child = Command::new(BIN)
            .args(args(&dir))
            .args([
                "user",
                "add",
                "dev@strawberry.example",
                "--role",
                "SUPER_ADMIN",
            ])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("user add");
        use std::io::Write;
        child
            .stdin
            .take()
            .unwrap()
            .write_all(password.as_bytes())
            .unwrap();
        child.wait_with_output().unwrap()
    };
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
