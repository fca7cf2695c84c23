//! One typed configuration, read from flags and `GERBANG_*` environment variables.
//!
//! Every value is parsed into its final type here, so a bad value stops start-up with a
//! message naming the variable (see `cli::parse_or_exit`) instead of failing later.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

mod database_url;

use clap::builder::BoolishValueParser;
use clap::{Args, ValueEnum};
use secrecy::SecretString;

pub use database_url::{Backend, DatabaseUrl};

/// Everything the service needs to run; `gerbang --help` documents each field.
#[derive(Debug, Clone, Args)]
pub struct Config {
    /// Address and port the HTTP server listens on.
    #[arg(long, env = "GERBANG_LISTEN", default_value = "127.0.0.1:8000")]
    pub listen: SocketAddr,

    /// Database URL: `sqlite://path` (created if missing), `postgres://…` or `mysql://…`.
    #[arg(long, env = "GERBANG_DATABASE_URL", default_value = "sqlite://gerbang.db")]
    pub database_url: DatabaseUrl,

    /// Most database connections one instance keeps open.
    #[arg(long, env = "GERBANG_DATABASE_MAX_CONNECTIONS", default_value_t = 10,
          value_parser = clap::value_parser!(u32).range(1..=1000))]
    pub database_max_connections: u32,

    /// Longest a request waits for a database connection or a statement; past it the
    /// request fails fast instead of queueing behind an unreachable database.
    #[arg(long, env = "GERBANG_DATABASE_TIMEOUT", default_value = "5s", value_parser = parse_duration)]
    pub database_timeout: Duration,

    /// Email of the developer account created on the first start (when there are no users).
    #[arg(long, env = "GERBANG_ADMIN_EMAIL")]
    pub admin_email: Option<String>,

    /// Password of that first account; when unset, one is generated and logged once.
    #[arg(long, env = "GERBANG_ADMIN_PASSWORD", hide_env_values = true)]
    pub admin_password: Option<SecretString>,

    /// Whether anyone may create an account with the `register` mutation.
    #[arg(long, env = "GERBANG_ALLOW_REGISTRATION", default_value = "true",
          value_parser = BoolishValueParser::new(), action = clap::ArgAction::Set)]
    pub allow_registration: bool,

    /// Lifetime of an access token (e.g. `15m`, `1h`).
    #[arg(long, env = "GERBANG_ACCESS_TOKEN_TTL", default_value = "15m", value_parser = parse_duration)]
    pub access_token_ttl: Duration,

    /// Lifetime of a refresh token, i.e. of an idle session (e.g. `30d`).
    #[arg(long, env = "GERBANG_REFRESH_TOKEN_TTL", default_value = "30d", value_parser = parse_duration)]
    pub refresh_token_ttl: Duration,

    /// Longest a session lives after sign-in, however often it is refreshed.
    #[arg(long, env = "GERBANG_SESSION_MAX_LIFETIME", default_value = "90d", value_parser = parse_duration)]
    pub session_max_lifetime: Duration,

    /// How long audit events are kept; older ones are deleted in the background.
    #[arg(long, env = "GERBANG_AUDIT_RETENTION", default_value = "180d", value_parser = parse_duration)]
    pub audit_retention: Duration,

    /// Serve `/metrics` on this address instead of the main one (e.g. `127.0.0.1:9464`, out
    /// of the internet's reach).
    #[arg(long, env = "GERBANG_METRICS_LISTEN")]
    pub metrics_listen: Option<SocketAddr>,

    /// Bearer token that opens `/metrics` on the main address (at least 16 characters);
    /// unset, `/metrics` there answers 404.
    #[arg(long, env = "GERBANG_METRICS_TOKEN", hide_env_values = true, value_parser = parse_token)]
    pub metrics_token: Option<SecretString>,

    /// How long an already-rotated refresh token is still accepted (two tabs refreshing at once).
    #[arg(long, env = "GERBANG_REFRESH_REUSE_GRACE", default_value = "10s", value_parser = parse_duration)]
    pub refresh_reuse_grace: Duration,

    /// `iss` claim of access tokens, and the issuer they must carry to be accepted.
    #[arg(long, env = "GERBANG_JWT_ISSUER", default_value = "gerbang")]
    pub jwt_issuer: String,

    /// `aud` claim of access tokens, and the audience they must carry to be accepted.
    #[arg(long, env = "GERBANG_JWT_AUDIENCE", default_value = "gerbang")]
    pub jwt_audience: String,

    /// PEM file with an Ed25519 private key (PKCS#8) to sign access tokens; when unset, keys
    /// are generated on the first start and kept in the database for every instance.
    #[arg(long, env = "GERBANG_SIGNING_KEY_FILE")]
    pub signing_key_file: Option<PathBuf>,

    /// A secret kept outside the database (32 characters or more), from which the key that
    /// encrypts TOTP secrets at rest is derived: a database dump alone then yields no codes.
    /// When unset, the key derives from a secret kept in the database.
    #[arg(long, env = "GERBANG_SECRET_KEY", hide_env_values = true, value_parser = parse_secret_key)]
    pub secret_key: Option<SecretString>,

    /// The previous `GERBANG_SECRET_KEY`, while rotating: secrets sealed under it still open,
    /// and are sealed again under the new one when next used.
    #[arg(long, env = "GERBANG_SECRET_KEY_PREVIOUS", hide_env_values = true, value_parser = parse_secret_key)]
    pub secret_key_previous: Option<SecretString>,

    /// Origins allowed to call `/graphql` from a browser, comma-separated; empty means same-origin only.
    #[arg(long, env = "GERBANG_CORS_ORIGINS", value_delimiter = ',', value_parser = parse_origin)]
    pub cors_origins: Vec<String>,

    /// Log filter, as `info`, `debug` or `gerbang=debug,tower_http=info` (by default the
    /// database driver logs warnings only: its pool reports every failed ping at INFO).
    #[arg(long, env = "GERBANG_LOG", default_value = "info,sqlx=warn", value_parser = parse_log_filter)]
    pub log: String,

    /// Log format.
    #[arg(long, env = "GERBANG_LOG_FORMAT", default_value = "text")]
    pub log_format: LogFormat,

    /// Argon2id memory cost in KiB (OWASP: 19456).
    #[arg(long, env = "GERBANG_ARGON2_MEMORY_KIB", default_value_t = 19_456,
          value_parser = clap::value_parser!(u32).range(8..=4_194_304))]
    pub argon2_memory_kib: u32,

    /// Argon2id iterations (OWASP: 2).
    #[arg(long, env = "GERBANG_ARGON2_ITERATIONS", default_value_t = 2,
          value_parser = clap::value_parser!(u32).range(1..=100))]
    pub argon2_iterations: u32,

    /// Argon2id lanes (OWASP: 1).
    #[arg(long, env = "GERBANG_ARGON2_PARALLELISM", default_value_t = 1,
          value_parser = clap::value_parser!(u32).range(1..=16))]
    pub argon2_parallelism: u32,

    /// Role given to accounts created with `register`.
    #[arg(long, env = "GERBANG_DEFAULT_ROLE", default_value = "user")]
    pub default_role: String,

    /// How long after signing in a session may add a credential (passkey, TOTP, API key)
    /// without the current password ("sudo mode"; Kratos' privileged-session default).
    #[arg(long, env = "GERBANG_SUDO_WINDOW", default_value = "15m", value_parser = parse_duration)]
    pub sudo_window: Duration,

    /// Failed logins allowed per account before it is locked.
    #[arg(long, env = "GERBANG_LOCKOUT_THRESHOLD", default_value_t = 5,
          value_parser = clap::value_parser!(u32).range(1..=1000))]
    pub lockout_threshold: u32,

    /// First lock's length; it doubles with each further failure.
    #[arg(long, env = "GERBANG_LOCKOUT_BASE", default_value = "30s", value_parser = parse_duration)]
    pub lockout_base: Duration,

    /// Longest lock.
    #[arg(long, env = "GERBANG_LOCKOUT_MAX", default_value = "15m", value_parser = parse_duration)]
    pub lockout_max: Duration,

    /// Login, register and mail-link (reset, verify, confirm) attempts allowed per client IP
    /// and minute (per instance).
    #[arg(long, env = "GERBANG_AUTH_RATE_PER_IP", default_value_t = 60,
          value_parser = clap::value_parser!(u32).range(1..))]
    pub auth_rate_per_ip: u32,

    /// Deepest nesting of data fields a GraphQL query may have (introspection's
    /// `ofType` chains are not counted).
    #[arg(long, env = "GERBANG_MAX_QUERY_DEPTH", default_value_t = 12,
          value_parser = clap::value_parser!(u32).range(1..=100))]
    pub max_query_depth: u32,

    /// Highest complexity score a GraphQL request may have (fields, times page sizes); a
    /// batch counts as a whole.
    #[arg(long, env = "GERBANG_MAX_QUERY_COMPLEXITY", default_value_t = 5000)]
    pub max_query_complexity: usize,

    /// Most aliases one GraphQL request may use once its fragments are expanded; a batch
    /// counts as a whole.
    #[arg(long, env = "GERBANG_MAX_ALIASES", default_value_t = 30)]
    pub max_aliases: u64,

    /// Most selections one GraphQL request may make once every fragment spread is
    /// expanded (the standard introspection query makes about 480); a batch counts as a whole.
    #[arg(long, env = "GERBANG_MAX_EXPANDED_SIZE", default_value_t = 2000,
          value_parser = clap::value_parser!(u64).range(1..))]
    pub max_expanded_size: u64,

    /// Most operations in one batched request.
    #[arg(long, env = "GERBANG_MAX_BATCH", default_value_t = 10,
          value_parser = clap::value_parser!(u64).range(1..=1000))]
    pub max_batch: u64,

    /// How long a client may take to send a request's headers; an idle keep-alive
    /// connection waiting for its next request is closed after the same time.
    #[arg(long, env = "GERBANG_HEADER_READ_TIMEOUT", default_value = "10s", value_parser = parse_duration)]
    pub header_read_timeout: Duration,

    /// Most connections served at once; further ones are answered 503 and closed.
    #[arg(long, env = "GERBANG_MAX_CONNECTIONS", default_value_t = 1024,
          value_parser = clap::value_parser!(u32).range(1..))]
    pub max_connections: u32,

    /// Proxies (CIDRs, comma-separated) whose `X-Forwarded-For` / `Forwarded` headers name
    /// the client; from any other peer those headers are ignored.
    #[arg(long, env = "GERBANG_TRUSTED_PROXIES", value_delimiter = ',', value_parser = parse_cidr)]
    pub trusted_proxies: Vec<ipnet::IpNet>,

    /// The URL this service is reached at (e.g. `https://id.example.com`), for the absolute
    /// URLs of `/.well-known/oauth-authorization-server`; when unset, taken from each
    /// request's `Host` (and, from a trusted proxy, `X-Forwarded-Proto`).
    #[arg(long, env = "GERBANG_PUBLIC_URL", value_parser = parse_public_url)]
    pub public_url: Option<String>,

    /// Requests to `POST /oauth/introspect` allowed per client IP and minute (per instance).
    #[arg(long, env = "GERBANG_INTROSPECT_RATE_PER_IP", default_value_t = 6000,
          value_parser = clap::value_parser!(u32).range(1..))]
    pub introspect_rate_per_ip: u32,

    /// Where mails go, in lettre's URL form: `smtps://user:pass@host:465` (implicit TLS),
    /// `smtp://user:pass@host:587?tls=required` (STARTTLS), `smtp://host:25` (plaintext: only
    /// to a loopback host, or with GERBANG_SMTP_ALLOW_PLAINTEXT). Unset: mails are logged.
    #[arg(long, env = "GERBANG_SMTP_URL", hide_env_values = true)]
    pub smtp_url: Option<SecretString>,

    /// Allow a plaintext `smtp://` URL to a host that is not loopback (a relay on a private
    /// network).
    #[arg(long, env = "GERBANG_SMTP_ALLOW_PLAINTEXT", default_value = "false",
          value_parser = BoolishValueParser::new(), action = clap::ArgAction::Set)]
    pub smtp_allow_plaintext: bool,

    /// The sender of gerbang's mails, e.g. `Example <no-reply@example.com>`.
    #[arg(long, env = "GERBANG_MAIL_FROM", default_value = "gerbang <no-reply@localhost>")]
    pub mail_from: String,

    /// The SPA that serves `/verify-email`, `/reset-password` and `/confirm-email`; mail
    /// links point there.
    #[arg(long, env = "GERBANG_APP_URL", default_value = "http://localhost:5173",
          value_parser = parse_public_url)]
    pub app_url: String,

    /// The WebAuthn relying party id passkeys are bound to: the SPA's domain or a parent of
    /// it (`example.com` for `https://app.example.com`). Default: GERBANG_APP_URL's host.
    #[arg(long, env = "GERBANG_WEBAUTHN_RP_ID")]
    pub webauthn_rp_id: Option<String>,

    /// Origins (comma-separated) whose pages may use passkeys, each within the relying
    /// party id. Default: GERBANG_APP_URL's origin.
    #[arg(long, env = "GERBANG_WEBAUTHN_ORIGINS", value_delimiter = ',', value_parser = parse_origin)]
    pub webauthn_origins: Vec<String>,

    /// Refuse `login` to accounts whose email is not verified (FORBIDDEN, reason
    /// EMAIL_NOT_VERIFIED).
    #[arg(long, env = "GERBANG_REQUIRE_VERIFIED_EMAIL", default_value = "false",
          value_parser = BoolishValueParser::new(), action = clap::ArgAction::Set)]
    pub require_verified_email: bool,

    /// Password-reset requests allowed per client IP and hour (per instance).
    #[arg(long, env = "GERBANG_EMAIL_RATE_PER_IP", default_value_t = 20,
          value_parser = clap::value_parser!(u32).range(1..))]
    pub email_rate_per_ip: u32,

    /// Largest request body accepted, in bytes.
    #[arg(long, env = "GERBANG_MAX_BODY_BYTES", default_value_t = 1024 * 1024)]
    pub max_body_bytes: usize,

    /// Longest a request may take before it is answered with 408.
    #[arg(long, env = "GERBANG_REQUEST_TIMEOUT", default_value = "30s", value_parser = parse_duration)]
    pub request_timeout: Duration,

    /// How long shutdown waits for in-flight requests before it stops anyway.
    #[arg(long, env = "GERBANG_SHUTDOWN_GRACE", default_value = "30s", value_parser = parse_duration)]
    pub shutdown_grace: Duration,
}

/// `text` for people, `json` for log collectors.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum LogFormat {
    /// Human-readable lines.
    Text,
    /// One JSON object per line.
    Json,
}

fn parse_public_url(s: &str) -> Result<String, String> {
    let url = url::Url::parse(s).map_err(|e| e.to_string())?;
    if !matches!(url.scheme(), "http" | "https") || url.host().is_none() || url.query().is_some() {
        return Err("expected an http(s) URL without a query, like https://id.example.com".into());
    }
    Ok(url.as_str().trim_end_matches('/').to_owned())
}

fn parse_token(s: &str) -> Result<SecretString, String> {
    if s.chars().count() < 16 {
        return Err("expected at least 16 characters".into());
    }
    Ok(SecretString::from(s))
}

fn parse_secret_key(s: &str) -> Result<SecretString, String> {
    if s.len() < 32 {
        return Err("must be at least 32 characters (e.g. `openssl rand -base64 32`)".into());
    }
    Ok(SecretString::from(s))
}

fn parse_duration(s: &str) -> Result<Duration, String> {
    let d = humantime::parse_duration(s.trim()).map_err(|e| format!("{e} (expected e.g. 30s, 15m, 1h, 30d)"))?;
    if d.is_zero() {
        return Err("must be longer than zero".into());
    }
    Ok(d)
}

fn parse_origin(s: &str) -> Result<String, String> {
    let s = s.trim().trim_end_matches('/');
    let ok = (s.starts_with("http://") || s.starts_with("https://"))
        && !s["https://".len().min(s.len())..].contains('/')
        && axum::http::HeaderValue::from_str(s).is_ok();
    if ok || s == "*" { Ok(s.to_owned()) } else { Err("expected an origin such as https://app.example.com".into()) }
}

fn parse_cidr(s: &str) -> Result<ipnet::IpNet, String> {
    let s = s.trim();
    s.parse::<ipnet::IpNet>()
        .or_else(|_| s.parse::<std::net::IpAddr>().map(ipnet::IpNet::from))
        .map(|net| net.trunc())
        .map_err(|_| "expected an address or CIDR such as 10.0.0.0/8 or ::1".into())
}

fn parse_log_filter(s: &str) -> Result<String, String> {
    tracing_subscriber::EnvFilter::builder().parse(s).map(|_| s.to_owned()).map_err(|e| e.to_string())
}

impl Config {
    /// A configuration for tests and embedding, built in code: it never reads `GERBANG_*`
    /// from the environment, so a developer's shell cannot change test results.
    pub fn for_database(database_url: DatabaseUrl) -> Self {
        use clap::Parser;

        #[derive(Parser)]
        struct Defaults {
            #[command(flatten)]
            config: Config,
        }
        // Parse an empty command line with env reading turned off: the declared defaults.
        let mut cmd = <Defaults as clap::CommandFactory>::command();
        cmd = cmd.mut_args(|a| a.env(None::<&str>));
        let matches = cmd.get_matches_from(["gerbang"]);
        let mut config = <Defaults as clap::FromArgMatches>::from_arg_matches(&matches)
            .map(|d| d.config)
            .unwrap_or_else(|e| panic!("built-in defaults must parse: {e}"));
        config.database_url = database_url;
        config.listen = SocketAddr::from(([127, 0, 0, 1], 0));
        config
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn test_configs_use_the_documented_defaults() {
        let config = Config::for_database("sqlite://x.db".parse().unwrap());
        assert_eq!(config.access_token_ttl, Duration::from_secs(15 * 60));
        assert_eq!(config.refresh_token_ttl, Duration::from_secs(30 * 24 * 3600));
        assert!(config.allow_registration);
        assert_eq!(config.argon2_memory_kib, 19_456);
        assert_eq!(config.listen.port(), 0);
    }
}
