//! Prometheus metrics, rendered at `GET /metrics`.
//!
//! Each instance has its own recorder rather than the process-global one: several apps in
//! one process (the tests) then count only their own requests. Every label takes its value
//! from a bounded set (routes, root fields of the schema, error codes, outcomes), so no
//! client can create series at will.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use metrics::{Counter, Gauge, Histogram, Key, KeyName, Label, Metadata, Recorder, SharedString, Unit};
use metrics_exporter_prometheus::{PrometheusBuilder, PrometheusHandle, PrometheusRecorder};

use crate::error::API_CODES;

/// Latency buckets, in seconds: from a cached `me` (sub-millisecond) to a request timeout.
const LATENCY_BUCKETS: [f64; 14] =
    [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0];

/// The series gerbang exports: (name, unit, help).
const DESCRIPTIONS: [(&str, Option<Unit>, &str); 14] = [
    ("gerbang_http_requests_total", None, "HTTP requests answered, by route and status"),
    ("gerbang_http_request_duration_seconds", Some(Unit::Seconds), "HTTP request latency, by route"),
    ("gerbang_graphql_operations_total", None, "GraphQL operations, by root field and outcome (ok or error code)"),
    ("gerbang_graphql_operation_duration_seconds", Some(Unit::Seconds), "GraphQL operation latency, by root field"),
    ("gerbang_logins_total", None, "Sign-in attempts, by outcome"),
    ("gerbang_lockouts_total", None, "Sign-in counters locked after too many failures"),
    ("gerbang_password_hash_queue", None, "Requests waiting to hash a password (at the door, or for a hashing slot)"),
    ("gerbang_password_hash_wait_seconds", Some(Unit::Seconds), "Time a password hash waited for a slot"),
    ("gerbang_db_connections", None, "Database pool connections, by state (in_use, idle)"),
    ("gerbang_live_sessions", None, "Sessions live now (not ended, not expired), counted at most once a minute"),
    ("gerbang_live_sessions_cached", None, "Live sessions this instance serves without a statement"),
    ("gerbang_changes_link_up", None, "1 while changes made by other instances reach this one"),
    ("gerbang_mails_total", None, "Outbox deliveries, by outcome (sent, logged, retry, dropped)"),
    ("gerbang_mail_outbox", None, "Mails in the outbox, waiting or being retried (counted by the sending worker)"),
];

/// How a sign-in ended, for `gerbang_logins_total`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum LoginOutcome {
    /// Signed in.
    Succeeded,
    /// The password was right; a second factor is asked for.
    SecondFactorRequired,
    /// Wrong credentials (unknown account, wrong password, inactive account alike).
    Failed,
    /// Refused before any check: the counter is locked or the address over its rate.
    Throttled,
    /// Anything else (bad input, an internal error).
    Error,
}

impl LoginOutcome {
    fn as_str(self) -> &'static str {
        match self {
            Self::Succeeded => "succeeded",
            Self::SecondFactorRequired => "mfa_required",
            Self::Failed => "failed",
            Self::Throttled => "throttled",
            Self::Error => "error",
        }
    }
}

/// The HTTP routes, as the `route` label names them; anything else is `unmatched`.
pub(crate) const ROUTES: [&str; 10] = [
    "/graphql",
    "/healthz",
    "/readyz",
    "/metrics",
    "/.well-known/jwks.json",
    "/.well-known/oauth-authorization-server",
    "/oauth/introspect",
    "/graphiql/{file}",
    "/admin",
    "unmatched",
];

/// Statuses whose series are kept at hand; any other is registered when it occurs.
const STATUSES: [u16; 13] = [200, 400, 401, 403, 404, 405, 408, 413, 415, 429, 500, 503, 504];

/// What an operation ended with: `ok` (0), one of the API's codes (1..), or `error` (last).
const OUTCOMES: usize = API_CODES.len() + 2;

fn outcome_index(outcome: &str) -> usize {
    match outcome {
        "ok" => 0,
        code => API_CODES.iter().position(|c| *c == code).map_or(OUTCOMES - 1, |i| i + 1),
    }
}

fn outcome_name(index: usize) -> &'static str {
    match index {
        0 => "ok",
        i => API_CODES.get(i - 1).copied().unwrap_or("error"),
    }
}

/// Series of one label value, made when first used and kept: a request then costs no
/// registry lookup (and no allocation) to count.
struct Lazy<T>(Box<[std::sync::OnceLock<T>]>);

impl<T> Lazy<T> {
    fn new(n: usize) -> Self {
        Self((0..n).map(|_| std::sync::OnceLock::new()).collect())
    }

    fn get(&self, i: usize, make: impl FnOnce() -> T) -> Option<&T> {
        self.0.get(i).map(|cell| cell.get_or_init(make))
    }
}

/// A latency histogram of [`LATENCY_BUCKETS`], counted in place: recording one is two
/// atomic additions, with no sample queued (the exporter's histograms queue each sample in
/// blocks it allocates, until the next upkeep), so a request allocates nothing to be timed.
struct Buckets {
    /// Per bucket (the last is `+Inf`), not cumulative.
    counts: [AtomicU64; LATENCY_BUCKETS.len() + 1],
    nanos: AtomicU64,
}

impl Buckets {
    fn new() -> Self {
        Self { counts: std::array::from_fn(|_| AtomicU64::new(0)), nanos: AtomicU64::new(0) }
    }

    fn record(&self, elapsed: Duration) {
        let seconds = elapsed.as_secs_f64();
        let i = LATENCY_BUCKETS.iter().position(|b| seconds <= *b).unwrap_or(LATENCY_BUCKETS.len());
        self.counts[i].fetch_add(1, Ordering::Relaxed);
        self.nanos.fetch_add(u64::try_from(elapsed.as_nanos()).unwrap_or(u64::MAX), Ordering::Relaxed);
    }

    /// The series of one label value, in the text exposition format.
    fn render(&self, out: &mut String, name: &str, label: &str, value: &str) {
        use std::fmt::Write as _;
        let mut total = 0;
        for (i, count) in self.counts.iter().enumerate() {
            total += count.load(Ordering::Relaxed);
            match LATENCY_BUCKETS.get(i) {
                Some(le) => writeln!(out, "{name}_bucket{{{label}=\"{value}\",le=\"{le}\"}} {total}"),
                None => writeln!(out, "{name}_bucket{{{label}=\"{value}\",le=\"+Inf\"}} {total}"),
            }
            .ok();
        }
        #[allow(clippy::cast_precision_loss)] // nanoseconds summed: an f64 is what the format carries
        let sum = self.nanos.load(Ordering::Relaxed) as f64 / 1e9;
        writeln!(out, "{name}_sum{{{label}=\"{value}\"}} {sum}").ok();
        writeln!(out, "{name}_count{{{label}=\"{value}\"}} {total}").ok();
    }
}

/// One instance's metrics.
pub struct Metrics {
    recorder: PrometheusRecorder,
    handle: PrometheusHandle,
    live_count: Mutex<Option<(Instant, u64)>>,
    /// The names an operation may carry: the schema's root fields, then the catch-alls.
    operations: Vec<String>,
    /// Each name's place in `operations`.
    operation_index: std::collections::HashMap<String, usize>,
    http_counts: Lazy<Counter>,
    http_times: Lazy<Buckets>,
    op_counts: Lazy<Counter>,
    op_times: Lazy<Buckets>,
}

/// An operation's label, by its place in [`Metrics::operation`]'s list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Operation(usize);

impl std::fmt::Debug for Metrics {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Metrics").finish_non_exhaustive()
    }
}

const METADATA: Metadata<'static> = Metadata::new("gerbang", metrics::Level::INFO, None);

impl Metrics {
    /// An empty set of series, described; `operations` are the names operations may carry
    /// besides `multiple`, `introspection` and `other`.
    pub fn new(operations: impl IntoIterator<Item = String>) -> Arc<Self> {
        let builder = PrometheusBuilder::new();
        let builder = match builder.set_buckets(&LATENCY_BUCKETS) {
            Ok(b) => b,
            // Only refused for an empty list, which the constant is not.
            Err(_) => PrometheusBuilder::new(),
        };
        let recorder = builder.build_recorder();
        for (name, unit, help) in DESCRIPTIONS {
            let (name, help) = (KeyName::from_const_str(name), SharedString::const_str(help));
            if name.as_str().ends_with("_seconds") {
                recorder.describe_histogram(name, unit, help);
            } else if name.as_str().ends_with("_total") {
                recorder.describe_counter(name, unit, help);
            } else {
                recorder.describe_gauge(name, unit, help);
            }
        }
        let handle = recorder.handle();
        let mut operations: Vec<String> = operations.into_iter().collect();
        operations.extend(["multiple", "introspection", "other"].map(String::from));
        let ops = operations.len();
        let operation_index = operations.iter().enumerate().map(|(i, n)| (n.clone(), i)).collect();
        Arc::new(Self {
            recorder,
            handle,
            live_count: Mutex::new(None),
            http_counts: Lazy::new(ROUTES.len() * STATUSES.len()),
            http_times: Lazy::new(ROUTES.len()),
            op_counts: Lazy::new(ops * OUTCOMES),
            op_times: Lazy::new(ops),
            operations,
            operation_index,
        })
    }

    /// The label of an operation selecting this one root field, or of a catch-all
    /// (`multiple`, `introspection`, `other`); unknown names are `other`.
    pub(crate) fn operation(&self, name: &str) -> Operation {
        let other = self.operations.len() - 1;
        Operation(self.operation_index.get(name).copied().unwrap_or(other))
    }

    fn key(name: &'static str, labels: &[(&'static str, &str)]) -> Key {
        let labels: Vec<Label> = labels.iter().map(|(k, v)| Label::new(*k, (*v).to_owned())).collect();
        Key::from_parts(name, labels)
    }

    pub(crate) fn counter(&self, name: &'static str, labels: &[(&'static str, &str)]) -> Counter {
        self.recorder.register_counter(&Self::key(name, labels), &METADATA)
    }

    pub(crate) fn gauge(&self, name: &'static str, labels: &[(&'static str, &str)]) -> Gauge {
        self.recorder.register_gauge(&Self::key(name, labels), &METADATA)
    }

    pub(crate) fn histogram(&self, name: &'static str, labels: &[(&'static str, &str)]) -> Histogram {
        self.recorder.register_histogram(&Self::key(name, labels), &METADATA)
    }

    /// One HTTP response; `route` indexes [`ROUTES`].
    pub(crate) fn http_request(&self, route: usize, status: u16, elapsed: Duration) {
        let name = ROUTES.get(route).copied().unwrap_or("unmatched");
        let count = |status: &str| self.counter("gerbang_http_requests_total", &[("route", name), ("status", status)]);
        match STATUSES.iter().position(|s| *s == status) {
            Some(i) => {
                let cached = self.http_counts.get(route * STATUSES.len() + i, || count(&status.to_string()));
                cached.map_or_else(|| count(&status.to_string()).increment(1), |c| c.increment(1));
            }
            None => count(&status.to_string()).increment(1),
        }
        if let Some(h) = self.http_times.get(route, Buckets::new) {
            h.record(elapsed);
        }
    }

    /// One GraphQL operation; `outcome` is `ok`, an API error code, or anything else
    /// (counted as `error`).
    pub(crate) fn graphql_operation(&self, operation: Operation, outcome: &str, elapsed: Duration) {
        let Some(name) = self.operations.get(operation.0) else { return };
        let outcome = outcome_index(outcome);
        let count = || {
            self.counter("gerbang_graphql_operations_total", &[("operation", name), ("outcome", outcome_name(outcome))])
        };
        if let Some(c) = self.op_counts.get(operation.0 * OUTCOMES + outcome, count) {
            c.increment(1);
        }
        if let Some(h) = self.op_times.get(operation.0, Buckets::new) {
            h.record(elapsed);
        }
    }

    /// One sign-in attempt.
    pub(crate) fn login(&self, outcome: LoginOutcome) {
        self.counter("gerbang_logins_total", &[("outcome", outcome.as_str())]).increment(1);
    }

    /// One delivery attempt of an outbox mail: `sent`, `logged` (no SMTP server set),
    /// `retry` (a failure it will retry) or `dropped` (a failure it gave up on).
    pub(crate) fn mail(&self, outcome: &'static str) {
        self.counter("gerbang_mails_total", &[("outcome", outcome)]).increment(1);
    }

    /// Mails waiting in the outbox.
    pub(crate) fn set_outbox(&self, n: u64) {
        #[allow(clippy::cast_precision_loss)] // a count of mails fits an f64 exactly
        self.gauge("gerbang_mail_outbox", &[]).set(n as f64);
    }

    /// A sign-in counter was locked.
    pub(crate) fn lockout(&self) {
        self.counter("gerbang_lockouts_total", &[]).increment(1);
    }

    /// The last count of live sessions, if it is under a minute old.
    pub(crate) fn recent_live_count(&self) -> Option<u64> {
        let cached = *self.live_count.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        cached.filter(|(at, _)| at.elapsed() < Duration::from_secs(60)).map(|(_, n)| n)
    }

    /// Keeps a fresh count of live sessions.
    pub(crate) fn set_live_count(&self, n: u64) {
        *self.live_count.lock().unwrap_or_else(std::sync::PoisonError::into_inner) = Some((Instant::now(), n));
    }

    /// Folds recorded histogram samples into their buckets. Samples wait in a queue until
    /// then, so this runs every few seconds whether or not anyone scrapes.
    pub(crate) fn upkeep(&self) {
        self.handle.run_upkeep();
    }

    /// The text exposition.
    pub(crate) fn render(&self) -> String {
        self.handle.run_upkeep();
        let mut out = self.handle.render();
        let timed = [
            ("gerbang_http_request_duration_seconds", "route", &self.http_times, ROUTES.map(String::from).to_vec()),
            ("gerbang_graphql_operation_duration_seconds", "operation", &self.op_times, self.operations.clone()),
        ];
        for (name, label, series, values) in timed {
            let help = DESCRIPTIONS.iter().find(|d| d.0 == name).map_or("", |d| d.2);
            let mut any = false;
            for (i, value) in values.iter().enumerate() {
                if let Some(h) = series.0.get(i).and_then(std::sync::OnceLock::get) {
                    if !any {
                        out.push_str(&format!("# HELP {name} {help}\n# TYPE {name} histogram\n"));
                        any = true;
                    }
                    h.render(&mut out, name, label, value);
                }
            }
            if any {
                out.push('\n');
            }
        }
        out
    }
}
