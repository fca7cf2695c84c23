//! The command line: `serve` (the default), `migrate up|down|status`, `print-schema`.

use std::error::Error as _;

use clap::error::{ContextKind, ErrorKind};
use clap::{CommandFactory, Parser, Subcommand};

use crate::app::{App, shutdown_signal};
use crate::config::Config;
use crate::{db, schema, telemetry};

/// gerbang: a GraphQL identity service (users, roles, sessions, tokens).
///
/// Every option can also be set with the `GERBANG_*` environment variable shown beside it.
#[derive(Debug, Parser)]
#[command(name = "gerbang", version, about, long_about = None)]
pub struct Cli {
    /// The configuration.
    #[command(flatten)]
    pub config: Config,
    /// What to do; `serve` when omitted.
    #[command(subcommand)]
    pub command: Option<Command>,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Apply pending migrations, then serve HTTP (the default).
    Serve,
    /// Manage the database schema.
    Migrate {
        /// What to do with the migrations.
        #[command(subcommand)]
        action: MigrateAction,
    },
    /// Print the GraphQL schema (SDL) on stdout.
    PrintSchema,
    /// Bench only (`bench/run`): insert N users with one to three roles each.
    #[command(hide = true)]
    BenchSeed {
        /// How many users.
        #[arg(long)]
        users: u64,
        /// Users per transaction.
        #[arg(long, default_value_t = 1000)]
        batch: u64,
    },
    /// Bench only (`bench/run`): print the milliseconds one password hash takes.
    #[command(hide = true)]
    BenchHash,
    /// Manage the access-token signing keys kept in the database.
    Keys {
        /// What to do with the keys.
        #[command(subcommand)]
        action: KeysAction,
    },
}

/// `gerbang keys …`.
#[derive(Debug, Clone, Copy, Subcommand)]
pub enum KeysAction {
    /// Add a new signing key and retire the current one; tokens it signed stay valid
    /// until they expire, and running instances switch within a minute.
    Rotate,
}

/// `gerbang migrate …`.
#[derive(Debug, Clone, Copy, Subcommand)]
pub enum MigrateAction {
    /// Apply every pending migration.
    Up,
    /// Undo every migration (drops gerbang's tables and data).
    Down,
    /// List the migrations and whether each is applied.
    Status,
}

/// Parses the command line. A bad value ends the process with one line naming the
/// variable and exit code 1; `--help` and `--version` print and exit 0.
pub fn parse_or_exit() -> Cli {
    match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) if matches!(e.kind(), ErrorKind::InvalidValue | ErrorKind::ValueValidation) => {
            eprintln!("error: {}", describe_invalid_value(&e));
            std::process::exit(1);
        }
        Err(e) => e.exit(),
    }
}

/// `GERBANG_LISTEN (--listen): invalid socket address syntax`. The value itself is not
/// repeated: it may be a database URL with a password in it.
fn describe_invalid_value(e: &clap::Error) -> String {
    let arg = e.get(ContextKind::InvalidArg).map(ToString::to_string).unwrap_or_default();
    let long = arg.split_whitespace().next().unwrap_or_default().trim_start_matches("--").to_owned();
    let env = Cli::command()
        .get_arguments()
        .find(|a| a.get_long() == Some(long.as_str()))
        .and_then(|a| a.get_env().map(|v| v.to_string_lossy().into_owned()));
    let name = match env {
        Some(env) => format!("{env} (--{long})"),
        None => format!("--{long}"),
    };
    let reason = e
        .source()
        .map(ToString::to_string)
        .or_else(|| e.get(ContextKind::ValidValue).map(|v| format!("expected one of {v}")))
        .unwrap_or_else(|| "invalid value".to_owned());
    format!("{name}: {reason}")
}

/// Runs the chosen command to completion.
pub async fn run(cli: Cli) -> anyhow::Result<()> {
    let Cli { config, command } = cli;
    let command = command.unwrap_or(Command::Serve);
    if matches!(command, Command::PrintSchema) {
        print!("{}", schema::sdl());
        return Ok(());
    }
    let ansi = std::io::IsTerminal::is_terminal(&std::io::stdout());
    telemetry::init(&config.log, config.log_format, std::io::stdout, ansi)?;
    match command {
        Command::Serve | Command::PrintSchema => {
            let app = App::build(config).await?;
            app.serve(shutdown_signal()).await
        }
        Command::BenchSeed { users, batch } => {
            let took = crate::bench::seed(&config, users, batch.max(1)).await?;
            println!("seeded {users} users in {:.1}s", took.as_secs_f64());
            Ok(())
        }
        Command::BenchHash => {
            println!("{:.3}", crate::bench::hash_time(&config).await?.as_secs_f64() * 1000.0);
            Ok(())
        }
        Command::Keys { action: KeysAction::Rotate } => {
            let db = db::connect(&config.database_url, 1, config.database_timeout).await?;
            db.migrate_up().await?;
            let kid = crate::auth::keys::rotate(&db, &crate::clock::SystemClock).await?;
            println!("new signing key {kid}");
            Ok(())
        }
        Command::Migrate { action } => {
            let db = db::connect(&config.database_url, 1, config.database_timeout).await?;
            match action {
                MigrateAction::Up => {
                    db.migrate_up().await?;
                    println!("migrations applied");
                }
                MigrateAction::Down => {
                    db.migrate_down().await?;
                    println!("migrations undone");
                }
                MigrateAction::Status => {
                    for (name, applied) in db.migration_status().await? {
                        println!("{} {name}", if applied { "applied" } else { "pending" });
                    }
                }
            }
            Ok(())
        }
    }
}
