//! `dienhinh`: the server and its administration commands.

use anyhow::Context;
use dienhinh::{config, demo, gen};
use clap::{Args, Parser, Subcommand};
use config::Settings;
use dienhinh_store::{users, Actor, Db};
use std::io::Read;
use std::path::PathBuf;

/// Keeps glibc's mmap threshold at its 128 KiB default. Left dynamic, the
/// first freed large block (an argon2 check's 19 MiB, a 20 MB upload) raises
/// it to that block's size for the whole process; from then on every buffer
/// below it is carved from the per-thread arenas and kept after use. Measured
/// with 16 concurrent sign-ins (BENCHMARKS.md): 188 MB resident with the
/// dynamic threshold, 73 MB with a fixed one.
fn fix_mmap_threshold() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: mallopt only changes an allocator setting; it is called once,
    // from `main` before the runtime starts any thread.
    unsafe {
        libc::mallopt(libc::M_MMAP_THRESHOLD, 128 * 1024);
    }
}

#[derive(Parser)]
#[command(name = "dienhinh", version, about = "Điển hình tiên tiến: phát hiện, bồi dưỡng và nhân rộng điển hình tiên tiến")]
struct Cli {
    /// Configuration file (TOML); flags and environment variables override it.
    #[arg(long, env = "DIENHINH_CONFIG", global = true)]
    config: Option<PathBuf>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Args, Clone, Default)]
struct DbArgs {
    /// Folder holding the embedded SQLite database and attachments [default: ./data].
    #[arg(long, env = "DIENHINH_DATA")]
    data: Option<PathBuf>,
    /// `postgres://…` to use PostgreSQL instead of the embedded SQLite database.
    #[arg(long, env = "DATABASE_URL")]
    database_url: Option<String>,
}

#[derive(Subcommand)]
enum Command {
    /// Start the web server.
    Serve {
        #[command(flatten)]
        db: DbArgs,
        /// Address to listen on [default: 127.0.0.1:8080].
        #[arg(long, env = "DIENHINH_ADDR")]
        addr: Option<String>,
        /// Load the demo data first when the database is empty.
        #[arg(long)]
        demo: bool,
        /// Served over HTTPS: mark cookies Secure and send HSTS.
        #[arg(long, env = "DIENHINH_HTTPS")]
        https: bool,
        /// Trust X-Forwarded-For / X-Forwarded-Proto from a reverse proxy.
        #[arg(long, env = "DIENHINH_TRUST_PROXY")]
        trust_proxy: bool,
    },
    /// Load the demo organisation, plan 48-KH/ĐUK and one account per role.
    Demo {
        #[command(flatten)]
        db: DbArgs,
    },
    /// Generate deterministic synthetic data (for benchmarks) into an empty database.
    Gen {
        #[command(flatten)]
        db: DbArgs,
        /// tiny (tests), province (~2,000 orgs, 50,000 exemplars) or national (~50,000 orgs, 1,000,000 exemplars).
        #[arg(long, value_enum)]
        scale: gen::Scale,
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// No progress line on standard error.
        #[arg(long)]
        quiet: bool,
    },
    /// Apply pending database migrations and exit.
    Migrate {
        #[command(flatten)]
        db: DbArgs,
    },
    /// Verify the database (integrity, foreign keys, schema version, audit
    /// log, attachment files); exits non-zero and names what is wrong.
    Check {
        #[command(flatten)]
        db: DbArgs,
    },
    /// Manage accounts.
    User {
        #[command(subcommand)]
        command: UserCommand,
    },
    /// Manage API tokens.
    Token {
        #[command(subcommand)]
        command: TokenCommand,
    },
    /// Rebuild the full-text search index from the records.
    Search {
        #[command(subcommand)]
        command: SearchCommand,
    },
    /// Vietnamese text tools.
    Text {
        #[command(subcommand)]
        command: TextCommand,
    },
}

/// The codes `user add --role` accepts, each with its label in the help.
fn role_codes() -> clap::builder::PossibleValuesParser {
    dienhinh_domain::Role::ALL.iter().map(|r| clap::builder::PossibleValue::new(r.code()).help(r.label())).collect::<Vec<_>>().into()
}

#[derive(Subcommand)]
enum UserCommand {
    /// Create an account with a role held at an organisation node.
    Add {
        #[command(flatten)]
        db: DbArgs,
        #[arg(long)]
        username: String,
        /// The role held at the node.
        #[arg(long, value_parser = role_codes())]
        role: String,
        /// Id of the organisation node where the role is held.
        #[arg(long)]
        org: i64,
        #[arg(long)]
        full_name: Option<String>,
        /// Read the password from standard input instead of generating one.
        #[arg(long)]
        password_stdin: bool,
    },
    /// Set a new password (ends the account's sessions).
    Passwd {
        #[command(flatten)]
        db: DbArgs,
        #[arg(long)]
        username: String,
        #[arg(long)]
        password_stdin: bool,
    },
}

#[derive(Subcommand)]
enum TokenCommand {
    /// Create an API token; prints the token alone on standard output.
    Create {
        #[command(flatten)]
        db: DbArgs,
        #[arg(long)]
        user: String,
        #[arg(long, default_value = "")]
        label: String,
    },
}

#[derive(Subcommand)]
enum SearchCommand {
    /// Empty the index and index every searchable record again.
    Rebuild {
        #[command(flatten)]
        db: DbArgs,
    },
}

#[derive(Subcommand)]
enum TextCommand {
    /// Convert a file from TCVN3 (ABC) or VNI to Unicode (NFC), to standard output.
    Fix {
        file: PathBuf,
        /// Rewrite the file instead of printing.
        #[arg(long)]
        in_place: bool,
    },
}

fn read_password(from_stdin: bool) -> anyhow::Result<(String, bool)> {
    if from_stdin {
        let mut s = String::new();
        std::io::stdin().read_to_string(&mut s)?;
        Ok((s.trim_end_matches(['\n', '\r']).to_string(), false))
    } else {
        use rand::Rng;
        const CHARS: &[u8] = b"abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
        let mut rng = rand::thread_rng();
        Ok(((0..14).map(|_| CHARS[rng.gen_range(0..CHARS.len())] as char).collect(), true))
    }
}

async fn open(settings: &Settings, db: &DbArgs) -> anyhow::Result<Db> {
    let (url, data) = settings.database(db.database_url.clone(), db.data.clone());
    Db::open(url.as_deref(), &data).await.context("cannot open the database")
}

fn print_accounts(accounts: &[(String, String, String)]) {
    println!("Demo data loaded. Accounts (passwords are shown only now):");
    for (u, role, pw) in accounts {
        println!("  {u:<16} {pw:<14} {role}");
    }
}

fn main() -> anyhow::Result<()> {
    fix_mmap_threshold();
    tokio::runtime::Builder::new_multi_thread().enable_all().build()?.block_on(run())
}

async fn run() -> anyhow::Result<()> {
    let cli = Cli::parse();
    let settings = Settings::load(cli.config.as_deref())?;
    // A bulk load's statements are slow by design: sqlx's slow-statement
    // warnings would only bury gen's progress line.
    let quiet_sqlx = matches!(cli.command, Command::Gen { .. });
    config::init_logging(&settings, quiet_sqlx);
    match cli.command {
        Command::Serve { db, addr, demo, https, trust_proxy } => {
            let database = open(&settings, &db).await?;
            let files = settings.files(&settings.database(None, db.data.clone()).1)?;
            if demo {
                let pw = std::env::var("DIENHINH_DEMO_PASSWORD").ok();
                if let Some(accounts) = demo::load(&database, &files, pw.as_deref()).await? {
                    print_accounts(&accounts);
                }
            }
            let addr = addr.or(settings.addr.clone()).unwrap_or_else(|| "127.0.0.1:8080".into());
            let web = dienhinh_web::WebConfig {
                https: https || settings.https,
                trust_proxy: trust_proxy || settings.trust_proxy,
                api_rate_per_minute: settings.api_rate_per_minute.unwrap_or(dienhinh_web::security::DEFAULT_API_RATE_PER_MINUTE),
                public_url: settings.public_url.clone(),
            };
            serve(database, files, &addr, web).await
        }
        Command::Demo { db } => {
            let database = open(&settings, &db).await?;
            let files = settings.files(&settings.database(None, db.data.clone()).1)?;
            let pw = std::env::var("DIENHINH_DEMO_PASSWORD").ok();
            match demo::load(&database, &files, pw.as_deref()).await? {
                Some(accounts) => print_accounts(&accounts),
                None => println!("The database already holds data; demo not loaded."),
            }
            database.close().await;
            Ok(())
        }
        Command::Gen { db, scale, seed, quiet } => {
            let database = open(&settings, &db).await?;
            let report = gen::generate(&database, scale, seed, quiet).await?;
            gen::print_report(&report);
            database.close().await;
            Ok(())
        }
        Command::Migrate { db } => {
            let database = open(&settings, &db).await?;
            println!("Schema at version {}.", dienhinh_store::migrate::current_version(&database).await?);
            database.close().await;
            Ok(())
        }
        Command::Check { db } => {
            let (url, data) = settings.database(db.database_url, db.data);
            std::process::exit(dienhinh::check::run(url.as_deref(), &data).await?);
        }
        Command::User { command } => match command {
            UserCommand::Add { db, username, role, org, full_name, password_stdin } => {
                let database = open(&settings, &db).await?;
                let (password, generated) = read_password(password_stdin)?;
                let input = users::NewUser {
                    full_name: full_name.unwrap_or_else(|| username.clone()),
                    username,
                    position: String::new(),
                    org_id: org,
                    role,
                    password: password.clone(),
                };
                match users::create(&database, &Actor::system("cli"), input).await {
                    Ok(u) => {
                        println!("Created user {} (id {}).", u.username, u.id);
                        if generated {
                            println!("Password: {password}");
                        }
                    }
                    Err(dienhinh_store::StoreError::Invalid(inv)) => {
                        for e in inv.0 {
                            eprintln!("{}: {}", e.field, e.message);
                        }
                        std::process::exit(2);
                    }
                    Err(e) => return Err(e.into()),
                }
                database.close().await;
                Ok(())
            }
            UserCommand::Passwd { db, username, password_stdin } => {
                let database = open(&settings, &db).await?;
                let user = users::by_username(&database, &username).await.context("no such user")?;
                let (password, generated) = read_password(password_stdin)?;
                if let Err(dienhinh_store::StoreError::Invalid(inv)) =
                    users::set_password(&database, &Actor::system("cli"), user.id, &password).await
                {
                    for e in inv.0 {
                        eprintln!("{}: {}", e.field, e.message);
                    }
                    std::process::exit(2);
                }
                if generated {
                    println!("New password for {}: {password}", user.username);
                } else {
                    println!("Password changed for {}.", user.username);
                }
                database.close().await;
                Ok(())
            }
        },
        Command::Token { command: TokenCommand::Create { db, user, label } } => {
            let database = open(&settings, &db).await?;
            let u = users::by_username(&database, &user).await.context("no such user")?;
            let token = users::create_token(&database, &Actor::system("cli"), u.id, &label).await?;
            println!("{token}");
            database.close().await;
            Ok(())
        }
        Command::Search { command: SearchCommand::Rebuild { db } } => {
            let database = open(&settings, &db).await?;
            let n = dienhinh_store::kinds::rebuild_search(&database).await?;
            println!("Indexed {n} records.");
            database.close().await;
            Ok(())
        }
        Command::Text { command: TextCommand::Fix { file, in_place } } => {
            let bytes = std::fs::read(&file).with_context(|| format!("cannot read {}", file.display()))?;
            let (decoded, encoding) = dienhinh_text::legacy::decode_bytes(&bytes);
            let fixed = dienhinh_text::normalize(&decoded);
            eprintln!("{}: detected {:?}", file.display(), encoding);
            if in_place {
                std::fs::write(&file, fixed.as_bytes())?;
            } else {
                println!("{fixed}");
            }
            Ok(())
        }
    }
}

async fn serve(db: Db, files: dienhinh_store::files::Files, addr: &str, web: dienhinh_web::WebConfig) -> anyhow::Result<()> {
    tracing::info!(files = %files.description, "attachments");
    let app = dienhinh_web::app(dienhinh_web::AppState::new(db.clone(), files, web));
    let listener = tokio::net::TcpListener::bind(addr).await.with_context(|| format!("cannot listen on {addr}"))?;
    let local = listener.local_addr()?;
    tracing::info!(%local, "listening");
    println!("dienhinh listening on http://{local}");
    // Every server ticks; each job's period is claimed in the database, so
    // a job runs once whatever the number of servers.
    let jobs = tokio::spawn(dienhinh_store::jobs::tick_forever(db.clone(), dienhinh_store::jobs::JOBS));
    axum::serve(listener, app.into_make_service_with_connect_info::<std::net::SocketAddr>())
        .with_graceful_shutdown(shutdown_signal())
        .await?;
    jobs.abort();
    tracing::info!("shut down");
    db.close().await;
    Ok(())
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        if let Ok(mut s) = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            s.recv().await;
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! { _ = ctrl_c => {}, _ = term => {} }
}
