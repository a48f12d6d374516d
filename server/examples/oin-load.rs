//! `oin-load`: a load benchmark of `oin-server` on SQLite (a tool, not a timed test).
//!
//! It starts the server binary built with the server profile on a fresh SQLite database in a
//! temporary directory, creates an account with `oin-server user add` (password on standard
//! input), signs in with `POST /api/v1/session`, creates one submission per connection, and then
//! measures three scenarios one after the other, each with N keep-alive connections for a
//! fixed time: GET one submission, GET the list, and PUT with the current version (each writer
//! saves its own submission and sends back the version the last save answered, so no write
//! should be refused). Any answer other than 2xx, and any transport error, counts as an error.
//!
//! ```text
//! cargo build -p oin-server --profile server --bin oin-server --example oin-load
//! target/server/examples/oin-load [--connections 32] [--seconds 10] [--runs 3] [--port 8271]
//! ```
//!
//! `./dev bench-server` does both. Requests go to loopback only.

use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitCode, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

use clap::Parser;
use reqwest::header::{HeaderValue, CONTENT_TYPE, COOKIE, ORIGIN, SET_COOKIE};

#[derive(Parser, Clone)]
#[command(
    name = "oin-load",
    about = "Load benchmark of oin-server on SQLite: GET one, GET list, PUT with version"
)]
struct Cli {
    /// The oin-server binary (default: ../oin-server next to this tool, the server profile's).
    #[arg(long)]
    server: Option<PathBuf>,
    /// The loopback port the server listens on.
    #[arg(long, default_value_t = 8271)]
    port: u16,
    /// Concurrent keep-alive connections per scenario.
    #[arg(long, default_value_t = 32)]
    connections: usize,
    /// Measured seconds per run (after one second of warm-up).
    #[arg(long, default_value_t = 10)]
    seconds: u64,
    /// Runs per scenario (each reported, then the best and the median).
    #[arg(long, default_value_t = 3)]
    runs: usize,
}

/// Kills the server this tool started and removes its temporary directory, whatever happens.
struct Started {
    child: Child,
    dir: PathBuf,
}

impl Drop for Started {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

fn server_binary(cli: &Cli) -> Result<PathBuf, String> {
    if let Some(path) = &cli.server {
        return Ok(path.clone());
    }
    let me = std::env::current_exe().map_err(|e| format!("Where am I? {e}"))?;
    me.parent()
        .and_then(Path::parent)
        .map(|dir| dir.join("oin-server"))
        .ok_or_else(|| "Pass --server PATH to the oin-server binary".to_string())
}

fn start(cli: &Cli, password: &str) -> Result<Started, String> {
    use std::io::Write;
    let binary = server_binary(cli)?;
    let dir = std::env::temp_dir().join(format!("oin-load-{}", std::process::id()));
    std::fs::create_dir_all(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    let database = format!("sqlite://{}", dir.join("oin.db").display());
    let key_file = dir.join("oin-server.key");
    let common = |command: &mut Command| {
        command
            .arg("--database")
            .arg(&database)
            .arg("--key-file")
            .arg(&key_file)
            .env("RUST_LOG", "warn");
    };
    let mut add = Command::new(&binary);
    add.args([
        "user",
        "add",
        EMAIL,
        "--role",
        "APP_ADMIN",
        "--role",
        "ORG_ADMIN",
    ]);
    common(&mut add);
    let mut add = add
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .spawn()
        .map_err(|e| format!("Could not run {}: {e}", binary.display()))?;
    if let Some(mut stdin) = add.stdin.take() {
        stdin
            .write_all(password.as_bytes())
            .map_err(|e| format!("user add: {e}"))?;
    }
    let status = add.wait().map_err(|e| format!("user add: {e}"))?;
    if !status.success() {
        return Err(format!("oin-server user add failed ({status})"));
    }
    let log = std::fs::File::create(dir.join("server.log")).map_err(|e| e.to_string())?;
    let mut serve = Command::new(&binary);
    serve
        .arg("--listen")
        .arg(format!("127.0.0.1:{}", cli.port))
        .arg("--dist")
        .arg(dir.join("no-app"));
    common(&mut serve);
    let child = serve
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(log)
        .spawn()
        .map_err(|e| format!("Could not start {}: {e}", binary.display()))?;
    Ok(Started { child, dir })
}

const EMAIL: &str = "load@loadbench.example";

/// One keep-alive connection's client (its own pool, so N clients hold N connections).
fn client() -> Result<reqwest::Client, String> {
    // Already installed on a second call: that is fine.
    let _ = rustls::crypto::ring::default_provider().install_default();
    reqwest::Client::builder()
        .no_proxy()
        .pool_max_idle_per_host(1)
        .timeout(Duration::from_secs(30))
        .build()
        .map_err(|e| format!("HTTP client: {e}"))
}

struct Api {
    base: String,
    origin: HeaderValue,
    cookie: HeaderValue,
}

impl Api {
    fn write(&self, request: reqwest::RequestBuilder, body: Vec<u8>) -> reqwest::RequestBuilder {
        request
            .header(CONTENT_TYPE, "application/json")
            .header(ORIGIN, self.origin.clone())
            .header(COOKIE, self.cookie.clone())
            .body(body)
    }

    async fn create(&self, client: &reqwest::Client) -> Result<(String, Vec<u8>), String> {
        let request = client.post(format!("{}/api/v1/submissions", self.base));
        let response = self
            .write(request, b"{}".to_vec())
            .send()
            .await
            .map_err(|e| format!("create: {e}"))?;
        let body = ok_body(response, "create").await?;
        let value: serde_json::Value =
            serde_json::from_slice(&body).map_err(|e| format!("create: {e}"))?;
        let id = value
            .get("id")
            .and_then(|v| v.as_str())
            .ok_or("create: no id in the answer")?
            .to_string();
        Ok((id, body))
    }
}

async fn ok_body(response: reqwest::Response, what: &str) -> Result<Vec<u8>, String> {
    let status = response.status();
    let body = response.bytes().await.map_err(|e| format!("{what}: {e}"))?;
    if !status.is_success() {
        return Err(format!(
            "{what}: {status}: {}",
            String::from_utf8_lossy(&body)
        ));
    }
    Ok(body.to_vec())
}

async fn sign_in(base: &str, origin: &HeaderValue, password: &str) -> Result<HeaderValue, String> {
    let client = client()?;
    let body = serde_json::json!({ "email": EMAIL, "password": password }).to_string();
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let attempt = client
            .post(format!("{base}/api/v1/session"))
            .header(CONTENT_TYPE, "application/json")
            .header(ORIGIN, origin.clone())
            .body(body.clone())
            .send()
            .await;
        match attempt {
            Ok(response) if response.status().is_success() => {
                let cookie = response
                    .headers()
                    .get(SET_COOKIE)
                    .and_then(|v| v.to_str().ok())
                    .and_then(|v| v.split(';').next())
                    .ok_or("sign-in: no session cookie")?
                    .to_string();
                return HeaderValue::from_str(&cookie).map_err(|e| e.to_string());
            }
            Ok(response) => {
                return Err(format!("sign-in: {}", response.status()));
            }
            Err(_) if Instant::now() < deadline => {
                // Not listening yet.
                tokio::time::sleep(Duration::from_millis(100)).await;
            }
            Err(e) => return Err(format!("The server did not answer: {e}")),
        }
    }
}

#[derive(Clone, Copy, PartialEq)]
enum Scenario {
    GetOne,
    List,
    Put,
}

impl Scenario {
    fn name(self) -> &'static str {
        match self {
            Scenario::GetOne => "GET one submission",
            Scenario::List => "GET the list",
            Scenario::Put => "PUT with version",
        }
    }
}

/// What one connection saw in the measured window: latencies (µs) and errors.
#[derive(Default)]
struct Seen {
    latencies: Vec<u32>,
    errors: u64,
    first_error: Option<String>,
}

struct Run {
    requests: usize,
    per_second: f64,
    p50: Duration,
    p99: Duration,
    max: Duration,
    errors: u64,
    first_error: Option<String>,
}

/// One connection's loop: from `start` (after warm-up) to `end` its requests are measured.
async fn connection(
    api: Arc<Api>,
    scenario: Scenario,
    target: String,
    mut body: Vec<u8>,
    start: Instant,
    end: Instant,
) -> Seen {
    let mut seen = Seen::default();
    let client = match client() {
        Ok(c) => c,
        Err(e) => {
            seen.errors += 1;
            seen.first_error = Some(e);
            return seen;
        }
    };
    let url = match scenario {
        Scenario::List => format!("{}/api/v1/submissions", api.base),
        Scenario::GetOne | Scenario::Put => format!("{}/api/v1/submissions/{target}", api.base),
    };
    loop {
        let sent = Instant::now();
        if sent >= end {
            break;
        }
        let request = match scenario {
            Scenario::GetOne | Scenario::List => {
                client.get(&url).header(COOKIE, api.cookie.clone())
            }
            Scenario::Put => api.write(client.put(&url), body.clone()),
        };
        let outcome = match request.send().await {
            Ok(response) => {
                let status = response.status();
                match response.bytes().await {
                    Ok(bytes) if status.is_success() => Ok(bytes),
                    Ok(bytes) => Err(format!("{status}: {}", String::from_utf8_lossy(&bytes))),
                    Err(e) => Err(e.to_string()),
                }
            }
            Err(e) => Err(e.to_string()),
        };
        let done = Instant::now();
        let measured = sent >= start && done <= end;
        match outcome {
            Ok(bytes) => {
                if scenario == Scenario::Put {
                    // The saved submission carries the next version: send it back as is.
                    body = bytes.to_vec();
                }
                if measured {
                    let micros = (done - sent).as_micros();
                    seen.latencies
                        .push(u32::try_from(micros).unwrap_or(u32::MAX));
                }
            }
            Err(e) => {
                if measured {
                    seen.errors += 1;
                    seen.first_error.get_or_insert(e);
                }
                if scenario == Scenario::Put {
                    // Catch up with the stored version before the next save.
                    let fresh = client
                        .get(&url)
                        .header(COOKIE, api.cookie.clone())
                        .send()
                        .await;
                    if let Ok(response) = fresh {
                        if let Ok(bytes) = ok_body(response, "reload").await {
                            body = bytes;
                        }
                    }
                }
            }
        }
    }
    seen
}

async fn run_once(
    api: &Arc<Api>,
    scenario: Scenario,
    submissions: &[(String, Vec<u8>)],
    seconds: u64,
) -> Result<Run, String> {
    let start = Instant::now() + Duration::from_secs(1);
    let end = start + Duration::from_secs(seconds);
    let mut tasks = Vec::with_capacity(submissions.len());
    for (id, body) in submissions {
        // Readers all read the first submission; each writer saves its own.
        let (target, body) = match scenario {
            Scenario::Put => (id.clone(), body.clone()),
            _ => (submissions[0].0.clone(), Vec::new()),
        };
        tasks.push(tokio::spawn(connection(
            api.clone(),
            scenario,
            target,
            body,
            start,
            end,
        )));
    }
    let mut latencies = Vec::new();
    let mut errors = 0;
    let mut first_error = None;
    for task in tasks {
        let seen = task
            .await
            .map_err(|e| format!("a connection failed: {e}"))?;
        latencies.extend(seen.latencies);
        errors += seen.errors;
        if first_error.is_none() {
            first_error = seen.first_error;
        }
    }
    latencies.sort_unstable();
    let at = |q: f64| -> Duration {
        if latencies.is_empty() {
            return Duration::ZERO;
        }
        let index = ((latencies.len() as f64 * q).ceil() as usize).clamp(1, latencies.len()) - 1;
        Duration::from_micros(u64::from(latencies[index]))
    };
    Ok(Run {
        requests: latencies.len(),
        per_second: latencies.len() as f64 / seconds as f64,
        p50: at(0.50),
        p99: at(0.99),
        max: latencies
            .last()
            .map(|m| Duration::from_micros(u64::from(*m)))
            .unwrap_or_default(),
        errors,
        first_error,
    })
}

fn ms(d: Duration) -> String {
    format!("{:.2} ms", d.as_secs_f64() * 1000.0)
}

fn load_average() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .map(|s| s.split_whitespace().take(3).collect::<Vec<_>>().join(" "))
        .unwrap_or_else(|_| "unknown".to_string())
}

fn print_run(label: &str, run: &Run) {
    println!(
        "  {label:<8} {:>8} req {:>9.0} req/s  p50 {:>9}  p99 {:>9}  max {:>9}  errors {}",
        run.requests,
        run.per_second,
        ms(run.p50),
        ms(run.p99),
        ms(run.max),
        run.errors
    );
    if let Some(e) = &run.first_error {
        println!("           first error: {e}");
    }
}

async fn bench(cli: Cli, password: String) -> Result<bool, String> {
    let base = format!("http://127.0.0.1:{}", cli.port);
    let origin = HeaderValue::from_str(&base).map_err(|e| e.to_string())?;
    let cookie = sign_in(&base, &origin, &password).await?;
    let api = Arc::new(Api {
        base,
        origin,
        cookie,
    });
    let setup = client()?;
    let mut submissions = Vec::with_capacity(cli.connections);
    for _ in 0..cli.connections.max(1) {
        submissions.push(api.create(&setup).await?);
    }
    println!(
        "oin-server on SQLite, {} connections, {} s per run after 1 s of warm-up, {} runs; \
         the list holds {} submissions; {} CPUs; load average {}",
        submissions.len(),
        cli.seconds,
        cli.runs,
        submissions.len(),
        std::thread::available_parallelism().map_or(0, |n| n.get()),
        load_average()
    );
    let mut met = true;
    for scenario in [Scenario::GetOne, Scenario::List, Scenario::Put] {
        println!("{}", scenario.name());
        let mut runs = Vec::with_capacity(cli.runs);
        for i in 0..cli.runs.max(1) {
            let run = run_once(&api, scenario, &submissions, cli.seconds).await?;
            print_run(&format!("run {}", i + 1), &run);
            runs.push(run);
        }
        runs.sort_by(|a, b| b.per_second.total_cmp(&a.per_second));
        let best = &runs[0];
        let median = &runs[runs.len() / 2];
        print_run("best", best);
        print_run("median", median);
        let goal = if scenario == Scenario::Put {
            1_000.0
        } else {
            5_000.0
        };
        let ok =
            best.per_second >= goal && best.p99 < Duration::from_millis(50) && best.errors == 0;
        println!(
            "  goal     ≥ {goal:.0} req/s, p99 < 50 ms, no errors: {} (best run); load average now {}",
            if ok { "met" } else { "missed" },
            load_average()
        );
        met &= ok;
    }
    Ok(met)
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    // A throwaway account on a throwaway database; the password never leaves this process and
    // the child's standard input.
    let password = format!(
        "load-{}-{}",
        std::process::id(),
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos())
    );
    let started = match start(&cli, &password) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("oin-load: {e}");
            return ExitCode::FAILURE;
        }
    };
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(r) => r,
        Err(e) => {
            eprintln!("oin-load: {e}");
            return ExitCode::FAILURE;
        }
    };
    let outcome = runtime.block_on(bench(cli, password));
    let log = started.dir.join("server.log");
    if let Ok(text) = std::fs::read_to_string(&log) {
        let lines: Vec<&str> = text.lines().collect();
        if !lines.is_empty() {
            println!("server log (last lines):");
            for line in lines.iter().rev().take(5).rev() {
                println!("  {line}");
            }
        }
    }
    drop(started);
    match outcome {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => {
            println!("The goal was missed (see above).");
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("oin-load: {e}");
            ExitCode::FAILURE
        }
    }
}
