//! A real SMTP server for what gerbang mails: `tests/api/fixtures/smtp_sink.py` (on aiosmtpd)
//! in its own process, keeping every message it receives as a JSON file for the test to read.
//!
//! aiosmtpd is installed with pip once, under this crate's `CARGO_TARGET_TMPDIR`.

use std::collections::{BTreeMap, HashSet};
use std::io::{BufRead, BufReader};
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::{Mutex, OnceLock, PoisonError, mpsc};
use std::time::{Duration, Instant};

use serde_json::Value;

/// The sink's script.
const SINK_SCRIPT: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/api/fixtures/smtp_sink.py");
/// Where aiosmtpd is installed (`pip --target`), shared by every run of this test binary.
const AIOSMTPD_DIR: &str = concat!(env!("CARGO_TARGET_TMPDIR"), "/aiosmtpd");
/// The exact package pip installs.
const AIOSMTPD: &str = "aiosmtpd==1.4.6";
/// How long the sink may take to say `ready`.
const READY_TIMEOUT: Duration = Duration::from_secs(30);
/// How long `restart` retries while the old port is not yet free.
const RESTART_TIMEOUT: Duration = Duration::from_secs(5);
/// How long `wait_for` and `wait_for_count` wait.
const WAIT_TIMEOUT: Duration = Duration::from_secs(20);
/// How often they look.
const POLL: Duration = Duration::from_millis(50);

/// The directory to put on `PYTHONPATH` for aiosmtpd, installing it there first if needed.
///
/// Installs once per process (concurrent callers wait for the first) and, across processes,
/// into a temporary directory renamed into place, so a half-done install is never used.
/// Panics if pip fails.
pub fn python_with_aiosmtpd() -> PathBuf {
    static DIR: OnceLock<PathBuf> = OnceLock::new();
    DIR.get_or_init(|| {
        let dir = PathBuf::from(AIOSMTPD_DIR);
        if !dir.join("aiosmtpd").exists() {
            install_aiosmtpd(&dir);
        }
        dir
    })
    .clone()
}

fn install_aiosmtpd(dir: &Path) {
    let parent = dir.parent().unwrap_or_else(|| panic!("{} has no parent", dir.display()));
    std::fs::create_dir_all(parent).unwrap_or_else(|e| panic!("creating {}: {e}", parent.display()));
    // Removed when dropped, unless renamed into place first.
    let staging = tempfile::Builder::new()
        .prefix("aiosmtpd.tmp-")
        .tempdir_in(parent)
        .unwrap_or_else(|e| panic!("creating a staging dir in {}: {e}", parent.display()));
    let out = Command::new("python3")
        .args(["-m", "pip", "install", "--quiet", "--disable-pip-version-check", "--no-input", "--target"])
        .arg(staging.path())
        .arg(AIOSMTPD)
        .stdin(Stdio::null())
        .output()
        .unwrap_or_else(|e| panic!("cannot run `python3 -m pip` to install {AIOSMTPD}: {e}"));
    assert!(
        out.status.success(),
        "`python3 -m pip install --target {} {AIOSMTPD}` failed ({}); the SMTP tests need it\n{}{}",
        staging.path().display(),
        out.status,
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr),
    );
    if dir.exists() && !dir.join("aiosmtpd").exists() {
        // Left by something else: not an install this code made.
        let _ = std::fs::remove_dir_all(dir);
    }
    if let Err(e) = std::fs::rename(staging.path(), dir) {
        // Another test binary may have finished first; its install is as good as ours.
        assert!(dir.join("aiosmtpd").exists(), "moving aiosmtpd into {}: {e}", dir.display());
    }
}

/// A port that was free a moment ago.
fn free_port() -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap_or_else(|e| panic!("binding 127.0.0.1:0: {e}"));
    listener.local_addr().unwrap_or_else(|e| panic!("local_addr: {e}")).port()
}

/// Starts the sink and waits for its `ready` line; on failure the process is gone.
fn spawn(port: u16, dir: &Path, fail_first: usize) -> Result<Child, String> {
    let mut cmd = Command::new("python3");
    cmd.arg(SINK_SCRIPT).arg("--port").arg(port.to_string()).arg("--dir").arg(dir);
    if fail_first > 0 {
        cmd.arg("--fail-first").arg(fail_first.to_string());
    }
    let mut child = cmd
        .env("PYTHONPATH", python_with_aiosmtpd())
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .map_err(|e| format!("cannot run python3 {SINK_SCRIPT}: {e}"))?;
    let Some(stdout) = child.stdout.take() else {
        return Err("no stdout pipe".into());
    };
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        let mut line = String::new();
        let _ = tx.send(BufReader::new(stdout).read_line(&mut line).map(|_| line));
    });
    let failure = match rx.recv_timeout(READY_TIMEOUT) {
        Ok(Ok(line)) if line.trim() == "ready" => return Ok(child),
        Ok(Ok(line)) if line.is_empty() => "exited before saying ready".to_string(),
        Ok(Ok(line)) => format!("said {line:?} instead of ready"),
        Ok(Err(e)) => format!("reading its stdout: {e}"),
        Err(_) => format!("not ready within {READY_TIMEOUT:?}"),
    };
    let _ = child.kill();
    let status = child.wait().map(|s| s.to_string()).unwrap_or_else(|e| e.to_string());
    Err(format!("SMTP sink on port {port} {failure} ({status}); its stderr is above"))
}

/// A real SMTP server on 127.0.0.1 that accepts every message; killed when dropped.
pub struct SmtpSink {
    /// The port it listens on (kept across `restart`).
    pub port: u16,
    /// Where the received messages are kept, one JSON file each.
    dir: tempfile::TempDir,
    /// The sink process.
    child: Child,
    /// File names of the messages already returned by `wait_for`/`wait_for_count`.
    consumed: Mutex<HashSet<String>>,
}

impl SmtpSink {
    /// Starts a sink on a free port, ready to accept mail.
    pub fn start() -> SmtpSink {
        SmtpSink::start_failing_first(0)
    }

    /// Starts a sink that answers the first `n` DATA commands with
    /// `451 4.3.0 try again later` (a temporary failure), then accepts mail as usual.
    pub fn start_failing_first(n: usize) -> SmtpSink {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("creating a temp dir: {e}"));
        let mut errors = Vec::new();
        // Another test may take the free port before the sink binds it: then try another.
        for _ in 0..3 {
            let port = free_port();
            match spawn(port, dir.path(), n) {
                Ok(child) => return SmtpSink { port, dir, child, consumed: Mutex::new(HashSet::new()) },
                Err(e) => errors.push(e),
            }
        }
        panic!("could not start the SMTP sink:\n{}", errors.join("\n"));
    }

    /// `smtp://127.0.0.1:{port}`, for gerbang's SMTP setting.
    pub fn url(&self) -> String {
        format!("smtp://127.0.0.1:{}", self.port)
    }

    /// Kills the sink (connections are refused from then on); what it received is kept.
    pub fn stop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }

    /// Starts the sink again on the same port and directory (stopping it first if it still
    /// runs), retrying for a few seconds while the port is not free. It accepts every message:
    /// a `start_failing_first` count is not applied again.
    pub fn restart(&mut self) {
        self.stop();
        let deadline = Instant::now() + RESTART_TIMEOUT;
        loop {
            match spawn(self.port, self.dir.path(), 0) {
                Ok(child) => {
                    self.child = child;
                    return;
                }
                Err(e) if Instant::now() >= deadline => panic!("could not restart the SMTP sink: {e}"),
                Err(_) => std::thread::sleep(Duration::from_millis(100)),
            }
        }
    }

    /// Every message received so far, in arrival order.
    pub fn received(&self) -> Vec<Mail> {
        self.read_all().into_iter().map(|(_, mail)| mail).collect()
    }

    /// How many messages received so far have `to` among their envelope recipients
    /// (ignoring case), whether or not `wait_for` has returned them.
    pub fn count_to(&self, to: &str) -> usize {
        self.received().iter().filter(|mail| mail.is_to(to)).count()
    }

    /// The first message to `to` (an envelope recipient, ignoring case) not yet returned by
    /// `wait_for` or `wait_for_count`, waiting up to 20 s for it; panics, listing the
    /// recipients of everything received, if none comes.
    pub async fn wait_for(&self, to: &str) -> Mail {
        let mut mails = self.wait_for_count(to, 1).await;
        mails.swap_remove(0)
    }

    /// The first `n` messages to `to` not yet returned by `wait_for` or `wait_for_count`, in
    /// arrival order, waiting up to 20 s for all of them; panics as `wait_for` does.
    pub async fn wait_for_count(&self, to: &str, n: usize) -> Vec<Mail> {
        self.wait_for_matching(to, None, n).await
    }

    /// The first message to `to` with this subject not yet returned, as `wait_for` waits;
    /// other mails to `to` stay for later calls.
    pub async fn wait_for_subject(&self, to: &str, subject: &str) -> Mail {
        self.wait_for_matching(to, Some(subject), 1).await.swap_remove(0)
    }

    /// The first `n` messages to `to` with this subject not yet returned, as
    /// `wait_for_count` waits.
    pub async fn wait_for_subject_count(&self, to: &str, subject: &str, n: usize) -> Vec<Mail> {
        self.wait_for_matching(to, Some(subject), n).await
    }

    async fn wait_for_matching(&self, to: &str, subject: Option<&str>, n: usize) -> Vec<Mail> {
        let deadline = Instant::now() + WAIT_TIMEOUT;
        loop {
            let all = self.read_all();
            {
                let mut consumed = self.consumed.lock().unwrap_or_else(PoisonError::into_inner);
                let fresh: Vec<&(String, Mail)> = all
                    .iter()
                    .filter(|(name, mail)| !consumed.contains(name) && mail.is_to(to))
                    .filter(|(_, mail)| subject.is_none_or(|s| mail.subject == s))
                    .take(n)
                    .collect();
                if fresh.len() == n {
                    consumed.extend(fresh.iter().map(|(name, _)| name.clone()));
                    return fresh.into_iter().map(|(_, mail)| mail.clone()).collect();
                }
                if Instant::now() >= deadline {
                    let seen: Vec<&Vec<String>> = all.iter().map(|(_, mail)| &mail.rcpt_tos).collect();
                    panic!(
                        "waited {WAIT_TIMEOUT:?} for {n} new mail(s) to {to} (subject {subject:?}), found {}; \
                         recipients of all {} received: {seen:?}",
                        fresh.len(),
                        all.len(),
                    );
                }
            }
            tokio::time::sleep(POLL).await;
        }
    }

    /// Every message so far with its file name, in arrival order.
    fn read_all(&self) -> Vec<(String, Mail)> {
        let dir = self.dir.path();
        let entries = std::fs::read_dir(dir).unwrap_or_else(|e| panic!("reading {}: {e}", dir.display()));
        let mut names: Vec<String> = entries
            .filter_map(|entry| entry.ok()?.file_name().into_string().ok())
            .filter(|name| name.ends_with(".json"))
            .collect();
        names.sort();
        names
            .into_iter()
            .map(|name| {
                let path = dir.join(&name);
                let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("reading {}: {e}", path.display()));
                let json: Value =
                    serde_json::from_str(&text).unwrap_or_else(|e| panic!("parsing {}: {e}", path.display()));
                (name, Mail::from_json(&json))
            })
            .collect()
    }
}

impl Drop for SmtpSink {
    fn drop(&mut self) {
        self.stop();
    }
}

/// One message as the sink received it.
#[derive(Debug, Clone)]
pub struct Mail {
    /// The envelope sender (MAIL FROM).
    pub mail_from: String,
    /// The envelope recipients (RCPT TO).
    pub rcpt_tos: Vec<String>,
    /// The `From` header, decoded (`""` if absent).
    pub from: String,
    /// The `To` header, decoded (`""` if absent).
    pub to: String,
    /// The `Subject` header, decoded (`""` if absent).
    pub subject: String,
    /// Every top-level header, name lowercased, value decoded; the last of a repeated one.
    pub headers: BTreeMap<String, String>,
    /// The top-level `Content-Language` header, if any.
    pub content_language: Option<String>,
    /// The text/plain body, decoded, with `\n` line ends.
    pub text: Option<String>,
    /// The text/html body, decoded, with `\n` line ends.
    pub html: Option<String>,
    /// The whole message as received (CRLF line ends, encoded headers and parts).
    pub raw: String,
}

impl Mail {
    fn from_json(json: &Value) -> Mail {
        let string = |key: &str| json[key].as_str().unwrap_or_default().to_string();
        let optional = |key: &str| json[key].as_str().map(str::to_string);
        let strings = |value: &Value| -> Vec<String> {
            value.as_array().into_iter().flatten().filter_map(Value::as_str).map(str::to_string).collect()
        };
        let headers = json["headers"]
            .as_object()
            .into_iter()
            .flatten()
            .map(|(name, value)| (name.clone(), value.as_str().unwrap_or_default().to_string()))
            .collect();
        Mail {
            mail_from: string("mail_from"),
            rcpt_tos: strings(&json["rcpt_tos"]),
            from: string("from"),
            to: string("to"),
            subject: string("subject"),
            headers,
            content_language: optional("content_language"),
            text: optional("text"),
            html: optional("html"),
            raw: string("raw"),
        }
    }

    /// Whether `to` is among the envelope recipients, ignoring case.
    fn is_to(&self, to: &str) -> bool {
        let to = to.to_lowercase();
        self.rcpt_tos.iter().any(|rcpt| rcpt.to_lowercase() == to)
    }

    /// The `token` query value of the first URL in the text part that contains `path`
    /// (e.g. `"/reset-password?token="`), as written (not percent-decoded): it ends at
    /// whitespace, a quote, `<`, `>`, `&` or `#`. Panics if there is none.
    pub fn link_token(&self, path: &str) -> String {
        let Some(text) = self.text.as_deref() else {
            panic!("mail {:?} to {:?} has no text part", self.subject, self.rcpt_tos);
        };
        let Some(at) = text.find(path) else {
            panic!("no link with {path:?} in mail {:?}:\n{text}", self.subject);
        };
        let ends_url = |c: char| c.is_whitespace() || matches!(c, '"' | '\'' | '<' | '>');
        let start = text[..at].char_indices().rev().find(|&(_, c)| ends_url(c)).map_or(0, |(i, c)| i + c.len_utf8());
        let end = text[at..].find(ends_url).map_or(text.len(), |i| at + i);
        let url = &text[start..end];
        let query = url.split_once('?').map_or("", |(_, query)| query);
        let query = query.split_once('#').map_or(query, |(query, _)| query);
        match query.split('&').find_map(|pair| pair.strip_prefix("token=")) {
            Some(token) if !token.is_empty() => token.to_string(),
            _ => panic!("link {url:?} in mail {:?} has no token", self.subject),
        }
    }
}
