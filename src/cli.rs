//! The command line: `serve` (the default), `migrate up|down|status`, `print-schema`,
//! `keys rotate`, `users set-password|unlock|list`.

use std::error::Error as _;
use std::io::Write as _;

use clap::error::{ContextKind, ErrorKind};
use clap::{CommandFactory, Parser, Subcommand};

use secrecy::{ExposeSecret as _, SecretString};

use crate::app::{App, shutdown_signal};
use crate::config::{Config, LogFormat};
use crate::users::domain::Password;
use crate::{db, schema, telemetry};

/// gerbang: a GraphQL identity service (users, roles, sessions, tokens).
///
/// Every option can also be set with the `GERBANG_*` environment variable shown beside it.
/// As flags they belong to `gerbang` alone or to `gerbang serve` (`gerbang --listen …`,
/// `gerbang serve --listen …`); the other subcommands read the same variables.
#[derive(Debug, Parser)]
#[command(name = "gerbang", version, about, long_about = None, args_conflicts_with_subcommands = true)]
pub struct Cli {
    /// The configuration (`gerbang` alone serves with it).
    #[command(flatten)]
    pub config: Config,
    /// What to do; `serve` when omitted.
    #[command(subcommand)]
    pub command: Option<Command>,
}

/// Said under the help of the subcommands that open the database.
const READS_THE_ENVIRONMENT: &str = "The database is GERBANG_DATABASE_URL's (default sqlite://gerbang.db); every \
GERBANG_* variable of `gerbang --help` applies.";

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Apply pending migrations, then serve HTTP (the default).
    Serve(Box<Config>),
    /// Manage the database schema.
    #[command(after_help = READS_THE_ENVIRONMENT)]
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
    #[command(after_help = READS_THE_ENVIRONMENT)]
    Keys {
        /// What to do with the keys.
        #[command(subcommand)]
        action: KeysAction,
    },
    /// Recover accounts from a shell on the host: set a password, lift a lock, list users.
    #[command(after_help = READS_THE_ENVIRONMENT)]
    Users {
        /// What to do.
        #[command(subcommand)]
        action: UsersAction,
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
    /// Undo every migration: drops gerbang's tables and all their data.
    Down {
        /// Do not ask for confirmation (needed without a terminal).
        #[arg(long)]
        yes: bool,
        /// Go on although the database holds users (they are deleted with everything else).
        #[arg(long)]
        delete_users: bool,
    },
    /// List the migrations and whether each is applied.
    Status,
}

/// `gerbang users …`. Changes are audited with the service as the actor.
#[derive(Debug, Clone, Subcommand)]
pub enum UsersAction {
    /// Set a user's password: asked twice on a terminal (not echoed), else the first line of
    /// standard input. Lifts the sign-in lock and ends the user's sessions.
    SetPassword {
        /// The user's email or username.
        #[arg(value_name = "EMAIL|USERNAME")]
        user: String,
    },
    /// Lift a user's sign-in lock and forget its failed attempts.
    Unlock {
        /// The user's email or username.
        #[arg(value_name = "EMAIL|USERNAME")]
        user: String,
    },
    /// List users (id, email, username, active, roles), tab-separated, by email.
    List {
        /// Only the holders of this role (by name).
        #[arg(long)]
        role: Option<String>,
    },
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
    // Without a subcommand the options are the top level's; `serve` has its own.
    let command = command.unwrap_or_else(|| Command::Serve(Box::new(config.clone())));
    if matches!(command, Command::PrintSchema) {
        print!("{}", schema::sdl());
        return Ok(());
    }
    match &command {
        Command::Serve(serve) => {
            let ansi = std::io::IsTerminal::is_terminal(&std::io::stdout());
            telemetry::init(&serve.log, serve.log_format, std::io::stdout, ansi)?;
        }
        // A command's output is on stdout (`users list` may be piped); its logs are not.
        _ => {
            let ansi = std::io::IsTerminal::is_terminal(&std::io::stderr());
            telemetry::init(&config.log, config.log_format, std::io::stderr, ansi)?;
        }
    }
    match command {
        Command::Serve(config) => {
            let format = config.log_format;
            let app = App::build(*config).await?;
            let banner = app.banner()?;
            match format {
                LogFormat::Text => println!("{banner}"),
                LogFormat::Json => banner.log(),
            }
            app.serve(shutdown_signal()).await
        }
        Command::PrintSchema => Ok(()),
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
        Command::Migrate { action } => migrate(&config, action).await,
        Command::Users { action } => users(config, action).await,
    }
}

async fn migrate(config: &Config, action: MigrateAction) -> anyhow::Result<()> {
    let db = db::connect(&config.database_url, 1, config.database_timeout).await?;
    match action {
        MigrateAction::Up => {
            db.migrate_up().await?;
            println!("migrations applied");
        }
        MigrateAction::Down { yes, delete_users } => {
            let users = count_users(&db).await?;
            if users > 0 && !delete_users {
                anyhow::bail!(
                    "{} holds {users} user(s): `gerbang migrate down --delete-users` drops them with every table",
                    config.database_url
                );
            }
            if !yes && !confirm(&format!("Drop every gerbang table and its data in {}?", config.database_url))? {
                anyhow::bail!("nothing dropped: `gerbang migrate down` needs --yes, or `yes` typed on a terminal");
            }
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

/// How many users the database holds; none before the users table exists.
async fn count_users(db: &db::Db) -> anyhow::Result<u64> {
    use sea_orm::{EntityTrait, PaginatorTrait};
    let users_table =
        db.migration_status().await?.into_iter().any(|(name, applied)| applied && name.contains("create_users"));
    if !users_table {
        return Ok(0);
    }
    Ok(crate::db::entities::user::Entity::find().count(&db.conn).await?)
}

/// Asks a yes/no question on the terminal; without one the answer is no.
fn confirm(question: &str) -> anyhow::Result<bool> {
    use std::io::{BufRead as _, IsTerminal as _, Write as _};
    if !std::io::stdin().is_terminal() {
        return Ok(false);
    }
    eprint!("{question} Type `yes` to go on: ");
    std::io::stderr().flush()?;
    let mut answer = String::new();
    std::io::stdin().lock().read_line(&mut answer)?;
    Ok(answer.trim() == "yes")
}

async fn users(config: Config, action: UsersAction) -> anyhow::Result<()> {
    use crate::users::service;
    let state = crate::app::open_state(config, std::sync::Arc::new(crate::clock::SystemClock)).await?;
    let describe = |e: crate::error::AppError| anyhow::anyhow!("{}", crate::error::describe(&e));
    let find = async |who: &str| -> anyhow::Result<crate::db::entities::user::Model> {
        let ident = who.trim().to_lowercase();
        service::by_identifier(&state.db.conn, &ident)
            .await
            .map_err(describe)?
            .ok_or_else(|| anyhow::anyhow!("no user with the email or username {ident:?}"))
    };
    match action {
        UsersAction::SetPassword { user } => {
            let target = find(&user).await?;
            let label = target.email.clone();
            let password = tokio::task::spawn_blocking(move || read_new_password(&label)).await??;
            let password = Password::parse(password.expose_secret())
                .map_err(|m| anyhow::anyhow!("password refused: {}", m.text(Default::default())))?;
            service::set_password_as_service(&state, target.id, &password).await.map_err(describe)?;
            println!("password set for {}; its sessions are ended and any sign-in lock is lifted", target.email);
        }
        UsersAction::Unlock { user } => {
            let target = find(&user).await?;
            service::unlock_as_service(&state, target.id).await.map_err(describe)?;
            println!("sign-in lock lifted for {}", target.email);
        }
        UsersAction::List { role } => {
            let role_id = match role {
                Some(name) => Some(
                    crate::roles::service::by_name(&state.db.conn, &name)
                        .await
                        .map_err(describe)?
                        .ok_or_else(|| anyhow::anyhow!("no role named {name:?}"))?
                        .id,
                ),
                None => None,
            };
            let listed = service::list_all(&state.db.conn, role_id).await.map_err(describe)?;
            let mut out = std::io::stdout().lock();
            writeln!(out, "id\temail\tusername\tactive\troles")?;
            for listed in listed {
                let u = &listed.user;
                let username = u.username.as_deref().unwrap_or("-");
                writeln!(out, "{}\t{}\t{username}\t{}\t{}", u.id, u.email, u.is_active, listed.roles.join(","))?;
            }
        }
    }
    state.db.conn.clone().close().await.ok();
    Ok(())
}

/// The new password: asked twice, unechoed, on a terminal; else the first line of standard
/// input. Never an argument: argv is readable by every user of the host and lands in shell
/// history.
fn read_new_password(label: &str) -> anyhow::Result<SecretString> {
    use std::io::{BufRead as _, IsTerminal as _};
    if std::io::stdin().is_terminal() {
        let first = rpassword::prompt_password(format!("New password for {label}: "))?;
        let again = rpassword::prompt_password("Again: ")?;
        if first != again {
            anyhow::bail!("the two passwords differ; nothing changed");
        }
        return Ok(SecretString::from(first));
    }
    let mut line = String::new();
    std::io::stdin().lock().read_line(&mut line)?;
    let line = line.strip_suffix('\n').unwrap_or(&line);
    let line = line.strip_suffix('\r').unwrap_or(line);
    if line.is_empty() {
        anyhow::bail!("no password: give it on the first line of standard input");
    }
    Ok(SecretString::from(line))
}
