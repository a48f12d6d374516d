//! `oin-server`: serve the OIN Wizard and its API, or manage accounts.
//!
//! ```text
//! oin-server [--listen 127.0.0.1:8080] [--database sqlite://oin.db] [--dist dist]
//! oin-server user add EMAIL --role ROLE… [--database URL]   (password on standard input)
//! ```

use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;

use clap::{Args, Parser, Subcommand};
use oin_server::accounts::{add_user, parse_role, NewUser};
use oin_server::keys::Keys;
use oin_server::site::Site;
use oin_server::{store, Context, Settings};
use tokio::io::AsyncReadExt;

#[derive(Parser)]
#[command(
    name = "oin-server",
    version,
    about = "The OIN Wizard's reference server (docs/api.md)"
)]
struct Cli {
    #[command(flatten)]
    common: Common,
    /// Where to listen.
    #[arg(long, default_value = "127.0.0.1:8080")]
    listen: SocketAddr,
    /// The built app to serve (trunk build --release writes it).
    #[arg(long, default_value = "dist")]
    dist: PathBuf,
    /// Let the SCIM runner call http URLs and loopback, private and link-local addresses
    /// (local testing only; off by default: public https addresses only).
    #[arg(long)]
    scim_allow_local: bool,
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Args, Clone)]
struct Common {
    /// The database: sqlite://FILE (created if missing) or postgres://USER@HOST/DB.
    #[arg(
        long,
        global = true,
        default_value = "sqlite://oin.db",
        env = "OIN_SERVER_DATABASE"
    )]
    database: String,
    /// The file with the key that encrypts secrets at rest (created on first start); the
    /// environment variable OIN_SERVER_KEY (64 hex digits) wins over it.
    #[arg(long, global = true, default_value = "oin-server.key")]
    key_file: PathBuf,
    /// The URL users reach the server at (default: http://LISTEN). Cookies are Secure when it
    /// is https; org URLs are under it.
    #[arg(long, global = true)]
    public_url: Option<String>,
}

#[derive(Subcommand)]
enum Command {
    /// Manage accounts.
    User {
        #[command(subcommand)]
        command: UserCommand,
    },
}

#[derive(Subcommand)]
enum UserCommand {
    /// Create an account; the password is read from standard input. The org follows from the
    /// email's company domain.
    Add {
        /// The account's email.
        email: String,
        /// Roles, as docs/api.md spells them: SUPER_ADMIN, APP_ADMIN, ORG_ADMIN, CATALOG_REVIEWER.
        #[arg(long = "role", required = true, num_args = 1..)]
        roles: Vec<String>,
        /// First name (default: the email's local part).
        #[arg(long, default_value = "")]
        first_name: String,
        /// Last name.
        #[arg(long, default_value = "")]
        last_name: String,
        /// Create the account only when the database has none yet (a first user).
        #[arg(long)]
        if_none: bool,
    },
}

fn settings(common: &Common, listen: SocketAddr) -> Settings {
    Settings::new(
        &common
            .public_url
            .clone()
            .unwrap_or_else(|| format!("http://{listen}")),
    )
}

async fn run(cli: Cli) -> Result<(), String> {
    let keys = Arc::new(Keys::load(&cli.common.key_file)?);
    let store = store::open(&cli.common.database, keys.clone()).await?;
    let settings = settings(&cli.common, cli.listen);
    match cli.command {
        Some(Command::User {
            command:
                UserCommand::Add {
                    email,
                    roles,
                    first_name,
                    last_name,
                    if_none,
                },
        }) => {
            let roles = roles
                .iter()
                .map(|r| parse_role(r))
                .collect::<Result<Vec<_>, _>>()?;
            if if_none && store.count_accounts().await.map_err(|e| format!("{e:?}"))? > 0 {
                println!("An account already exists: no first user created");
                return Ok(());
            }
            let mut password = String::new();
            tokio::io::stdin()
                .read_to_string(&mut password)
                .await
                .map_err(|e| format!("Could not read the password from standard input: {e}"))?;
            let password = password.trim_end_matches(['\n', '\r']).to_string();
            let user = add_user(
                store.as_ref(),
                &keys,
                &settings,
                NewUser {
                    email,
                    roles,
                    password,
                    first_name,
                    last_name,
                },
            )
            .await?;
            println!("Created {} ({:?})", user.email, user.roles);
            Ok(())
        }
        None => {
            let site = match Site::load(&cli.dist) {
                Ok(site) => Some(site),
                Err(e) => {
                    tracing::warn!("{e}: serving the API only");
                    None
                }
            };
            // The identity provider's signing keys, and the orgs under this public URL.
            oin_server::start(store.as_ref(), &keys, &settings).await?;
            let state = Arc::new(Context {
                store,
                keys,
                settings,
                site,
                scim: oin_server::http::scim::ScimRunner::new(cli.scim_allow_local),
            });
            let app = oin_server::http::router(state);
            let listener = tokio::net::TcpListener::bind(cli.listen)
                .await
                .map_err(|e| format!("Could not listen on {}: {e}", cli.listen))?;
            tracing::info!(
                "oin-server on http://{} ({})",
                cli.listen,
                store::redact_url(&cli.common.database)
            );
            axum::serve(
                listener,
                app.into_make_service_with_connect_info::<SocketAddr>(),
            )
            .with_graceful_shutdown(shutdown())
            .await
            .map_err(|e| format!("The server stopped: {e}"))
        }
    }
}

async fn shutdown() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = term => {},
    }
    tracing::info!("shutting down");
}

fn main() -> ExitCode {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info")),
        )
        .with_writer(std::io::stderr)
        .init();
    let cli = Cli::parse();
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(r) => r,
        Err(e) => {
            eprintln!("oin-server: could not start: {e}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(run(cli)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("oin-server: {e}");
            ExitCode::FAILURE
        }
    }
}
