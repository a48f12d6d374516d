//! Runs the SCIM runner from a terminal, the way the server will call it.
//!
//! ```text
//! SCIM_TOKEN=… cargo run -p oin-scim-runner --example scim_run -- BASE_URL \
//!     [--header] [--credentials-only] [--read-only] [--groups] [--allow-local] [--json]
//! ```
//!
//! The token comes from the environment, never the command line (other users can read it).
//! Bearer mode unless `--header`. Every user operation is declared unless `--read-only`;
//! groups (all operations) with `--groups`. `--json` prints the whole report.

use oin_scim_runner::report::{StepKind, Verdict};
use oin_scim_runner::{run_scim_tests, test_credentials, Auth, Declared, RunConfig};
use oin_wizard::domain::model::{GroupOperations, UserOperations};

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let has = |flag: &str| args.iter().any(|a| a == flag);
    let Some(base) = args.iter().find(|a| !a.starts_with("--")) else {
        eprintln!("usage: SCIM_TOKEN=… scim_run BASE_URL [--header] [--credentials-only] [--read-only] [--groups] [--allow-local] [--json]");
        std::process::exit(2);
    };
    let token = std::env::var("SCIM_TOKEN").unwrap_or_default();
    let auth = if has("--header") {
        Auth::Header { token }
    } else {
        Auth::Bearer { token }
    };
    let users = if has("--read-only") {
        UserOperations::default()
    } else {
        UserOperations {
            create: true,
            read: true,
            update: true,
            change_password: true,
            deactivate: true,
            patch: true,
            import_user_schema: true,
            import_users: true,
        }
    };
    let declared = Declared {
        users,
        groups: has("--groups").then(GroupOperations::default),
    };
    let mut config = RunConfig::new(base.as_str(), auth, declared);
    config.allow_local = has("--allow-local");
    let report = if has("--credentials-only") {
        test_credentials(&config).await
    } else {
        run_scim_tests(&config).await
    };
    if has("--json") {
        match serde_json::to_string_pretty(&report) {
            Ok(json) => println!("{json}"),
            Err(e) => eprintln!("could not serialize the report: {e}"),
        }
    } else {
        for step in &report.steps {
            let mark = match (step.kind, step.verdict) {
                (StepKind::Cleanup, Verdict::Pass) => "clean",
                (StepKind::Cleanup, _) => "LEFT",
                (_, Verdict::Pass) => "pass",
                (_, Verdict::Fail) => "FAIL",
                (_, Verdict::Skipped) => "skip",
            };
            println!(
                "{mark:5} {:32} {:>5} ms  {}",
                step.id, step.duration_ms, step.reason
            );
        }
        let c = report.counts;
        println!(
            "{} passed, {} failed, {} skipped in {} ms",
            c.passed, c.failed, c.skipped, report.duration_ms
        );
    }
    std::process::exit(if report.passed { 0 } else { 1 });
}
