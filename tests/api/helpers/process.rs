//! The real `gerbang` binary, for what only a process can show: exit codes, signals,
//! a kill -9, logs as an operator reads them.

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use super::TestDb;

/// Runs the real binary with only the given GERBANG_* variables.
pub fn gerbang(args: &[&str], env: &[(&str, &str)]) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_gerbang"));
    for (key, _) in std::env::vars() {
        if key.starts_with("GERBANG_") || key.starts_with("RUST_") {
            cmd.env_remove(key);
        }
    }
    cmd.args(args)
        .envs(env.iter().copied())
        .env("GERBANG_ARGON2_MEMORY_KIB", "64")
        .env("GERBANG_ARGON2_ITERATIONS", "1");
    cmd
}

/// A running `gerbang serve`; killed when dropped.
pub struct Running {
    /// The process.
    pub child: Child,
    /// `host:port` it listens on.
    pub addr: String,
    /// Every line it has logged so far (JSON lines).
    pub log: Arc<Mutex<Vec<String>>>,
}

impl Running {
    /// The log lines so far.
    pub fn lines(&self) -> Vec<String> {
        self.log.lock().unwrap().clone()
    }
}

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Starts `gerbang serve` over `db` on a free port, with `env` added, and waits for its
/// "listening" log line.
pub fn serve(db: &TestDb, dir: &std::path::Path, env: &[(&str, &str)]) -> Running {
    serve_url(db.url.as_str(), dir, env)
}

/// As `serve`, over any database URL.
pub fn serve_url(url: &str, dir: &std::path::Path, env: &[(&str, &str)]) -> Running {
    let mut vars =
        vec![("GERBANG_DATABASE_URL", url), ("GERBANG_LISTEN", "127.0.0.1:0"), ("GERBANG_LOG_FORMAT", "json")];
    vars.extend_from_slice(env);
    let mut child =
        gerbang(&["serve"], &vars).current_dir(dir).stdout(Stdio::piped()).stderr(Stdio::inherit()).spawn().unwrap();
    let stdout = child.stdout.take().unwrap();
    let log = Arc::new(Mutex::new(Vec::new()));
    let (tx, rx) = std::sync::mpsc::channel();
    let lines = log.clone();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            if let Ok(v) = serde_json::from_str::<serde_json::Value>(&line)
                && let Some(addr) = v.get("addr").and_then(|a| a.as_str())
            {
                let _ = tx.send(addr.to_owned());
            }
            lines.lock().unwrap().push(line);
        }
    });
    let addr = rx.recv_timeout(Duration::from_secs(60)).expect("gerbang logs its address");
    Running { child, addr, log }
}
