//! A real SMTP server for what gerbang mails, in this test binary: a thread on 127.0.0.1
//! that speaks enough SMTP for lettre (EHLO, MAIL, RCPT, DATA, RSET, NOOP, QUIT), keeps every
//! message it accepts, decoded with `mail-parser`, for the test to read. No process, no
//! package to install: `cargo test` needs nothing from the network once the crates are in.

use std::collections::{BTreeMap, HashSet};
use std::io::{BufRead, BufReader, Write};
use std::net::{Shutdown, TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use mail_parser::{Address, MessageParser};

/// How long `restart` retries while the old port is not yet free.
const RESTART_TIMEOUT: Duration = Duration::from_secs(5);
/// How long `wait_for` and `wait_for_count` wait.
const WAIT_TIMEOUT: Duration = Duration::from_secs(20);
/// How often they look.
const POLL: Duration = Duration::from_millis(50);

/// What the server threads and the test share.
#[derive(Default)]
struct Shared {
    /// Every message accepted, in arrival order (kept across `stop` and `restart`).
    mails: Mutex<Vec<Mail>>,
    /// DATA commands still to answer with a temporary failure.
    fail_left: AtomicUsize,
}

/// One listening server: its accept thread and the connections it serves.
struct Server {
    stopping: Arc<AtomicBool>,
    connections: Arc<Mutex<Vec<TcpStream>>>,
    accept: Option<JoinHandle<()>>,
    port: u16,
}

impl Server {
    fn start(port: u16, shared: Arc<Shared>) -> std::io::Result<Server> {
        let listener = TcpListener::bind(("127.0.0.1", port))?;
        let port = listener.local_addr()?.port();
        let stopping = Arc::new(AtomicBool::new(false));
        let connections = Arc::new(Mutex::new(Vec::new()));
        let (stop, conns) = (stopping.clone(), connections.clone());
        let accept = std::thread::spawn(move || {
            for stream in listener.incoming() {
                if stop.load(Ordering::SeqCst) {
                    break;
                }
                let Ok(stream) = stream else { continue };
                if let Ok(clone) = stream.try_clone() {
                    conns.lock().unwrap_or_else(PoisonError::into_inner).push(clone);
                }
                let shared = shared.clone();
                std::thread::spawn(move || {
                    let _ = serve(stream, &shared);
                });
            }
        });
        Ok(Server { stopping, connections, accept: Some(accept), port })
    }

    /// Closes the listener (connections are refused from then on) and every open connection.
    fn stop(&mut self) {
        self.stopping.store(true, Ordering::SeqCst);
        // Wakes the accept loop, which then drops the listener.
        let _ = TcpStream::connect(("127.0.0.1", self.port));
        if let Some(accept) = self.accept.take() {
            let _ = accept.join();
        }
        for conn in self.connections.lock().unwrap_or_else(PoisonError::into_inner).drain(..) {
            let _ = conn.shutdown(Shutdown::Both);
        }
    }
}

/// One SMTP session, as RFC 5321 has it for a server that accepts everything.
fn serve(stream: TcpStream, shared: &Shared) -> std::io::Result<()> {
    let mut out = stream.try_clone()?;
    let mut input = BufReader::new(stream);
    out.write_all(b"220 sink ESMTP ready\r\n")?;
    let (mut mail_from, mut rcpt_tos) = (String::new(), Vec::new());
    let mut line = Vec::new();
    loop {
        line.clear();
        if input.read_until(b'\n', &mut line)? == 0 {
            return Ok(());
        }
        let command = String::from_utf8_lossy(&line).trim_end().to_owned();
        let verb = command.split_whitespace().next().unwrap_or_default().to_ascii_uppercase();
        let reply: &[u8] = match verb.as_str() {
            "EHLO" => b"250-sink\r\n250-8BITMIME\r\n250-SMTPUTF8\r\n250 PIPELINING\r\n",
            "HELO" | "NOOP" => b"250 OK\r\n",
            "MAIL" => {
                mail_from = path_of(&command);
                rcpt_tos.clear();
                b"250 OK\r\n"
            }
            "RCPT" => {
                rcpt_tos.push(path_of(&command));
                b"250 OK\r\n"
            }
            "RSET" => {
                (mail_from, rcpt_tos) = (String::new(), Vec::new());
                b"250 OK\r\n"
            }
            "DATA" => {
                out.write_all(b"354 end with <CR><LF>.<CR><LF>\r\n")?;
                let raw = read_data(&mut input)?;
                let failing =
                    shared.fail_left.fetch_update(Ordering::SeqCst, Ordering::SeqCst, |n| n.checked_sub(1)).is_ok();
                if failing {
                    b"451 4.3.0 try again later\r\n"
                } else {
                    let mail = Mail::parse(&mail_from, &rcpt_tos, &raw);
                    shared.mails.lock().unwrap_or_else(PoisonError::into_inner).push(mail);
                    b"250 2.0.0 OK\r\n"
                }
            }
            "QUIT" => {
                out.write_all(b"221 bye\r\n")?;
                return Ok(());
            }
            _ => b"502 5.5.2 not implemented\r\n",
        };
        out.write_all(reply)?;
    }
}

/// The address of `MAIL FROM:<a> …` or `RCPT TO:<a> …`.
fn path_of(command: &str) -> String {
    let start = command.find('<').map_or(0, |i| i + 1);
    let end = command[start..].find('>').map_or(command.len(), |i| start + i);
    command[start..end].to_owned()
}

/// The message after DATA, up to the lone dot, with dot-stuffing undone (CRLF line ends).
fn read_data(input: &mut impl BufRead) -> std::io::Result<Vec<u8>> {
    let mut raw = Vec::new();
    let mut line = Vec::new();
    loop {
        line.clear();
        if input.read_until(b'\n', &mut line)? == 0 {
            return Err(std::io::ErrorKind::UnexpectedEof.into());
        }
        if line == b".\r\n" || line == b".\n" {
            return Ok(raw);
        }
        raw.extend_from_slice(line.strip_prefix(b".").unwrap_or(&line));
    }
}

/// A real SMTP server on 127.0.0.1 that accepts every message; stopped when dropped.
pub struct SmtpSink {
    /// The port it listens on (kept across `restart`).
    pub port: u16,
    shared: Arc<Shared>,
    server: Option<Server>,
    /// Indexes of the messages already returned by `wait_for`/`wait_for_count`.
    consumed: Mutex<HashSet<usize>>,
}

impl SmtpSink {
    /// Starts a sink on a free port, ready to accept mail.
    pub fn start() -> SmtpSink {
        SmtpSink::start_failing_first(0)
    }

    /// Starts a sink that answers the first `n` DATA commands with
    /// `451 4.3.0 try again later` (a temporary failure), then accepts mail as usual.
    pub fn start_failing_first(n: usize) -> SmtpSink {
        let shared = Arc::new(Shared { fail_left: AtomicUsize::new(n), ..Shared::default() });
        let server = Server::start(0, shared.clone()).unwrap_or_else(|e| panic!("starting the SMTP sink: {e}"));
        SmtpSink { port: server.port, shared, server: Some(server), consumed: Mutex::new(HashSet::new()) }
    }

    /// `smtp://127.0.0.1:{port}`, for gerbang's SMTP setting.
    pub fn url(&self) -> String {
        format!("smtp://127.0.0.1:{}", self.port)
    }

    /// Stops the sink (connections are refused from then on); what it received is kept.
    pub fn stop(&mut self) {
        if let Some(mut server) = self.server.take() {
            server.stop();
        }
    }

    /// Starts the sink again on the same port (stopping it first if it still runs),
    /// retrying for a few seconds while the port is not free. It accepts every message:
    /// a `start_failing_first` count is not applied again.
    pub fn restart(&mut self) {
        self.stop();
        self.shared.fail_left.store(0, Ordering::SeqCst);
        let deadline = Instant::now() + RESTART_TIMEOUT;
        loop {
            match Server::start(self.port, self.shared.clone()) {
                Ok(server) => {
                    self.server = Some(server);
                    return;
                }
                Err(e) if Instant::now() >= deadline => panic!("could not restart the SMTP sink: {e}"),
                Err(_) => std::thread::sleep(Duration::from_millis(100)),
            }
        }
    }

    /// Every message received so far, in arrival order.
    pub fn received(&self) -> Vec<Mail> {
        self.shared.mails.lock().unwrap_or_else(PoisonError::into_inner).clone()
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
            let all = self.received();
            {
                let mut consumed = self.consumed.lock().unwrap_or_else(PoisonError::into_inner);
                let fresh: Vec<(usize, &Mail)> = all
                    .iter()
                    .enumerate()
                    .filter(|(i, mail)| !consumed.contains(i) && mail.is_to(to))
                    .filter(|(_, mail)| subject.is_none_or(|s| mail.subject == s))
                    .take(n)
                    .collect();
                if fresh.len() == n {
                    consumed.extend(fresh.iter().map(|(i, _)| *i));
                    return fresh.into_iter().map(|(_, mail)| mail.clone()).collect();
                }
                if Instant::now() >= deadline {
                    let seen: Vec<&Vec<String>> = all.iter().map(|mail| &mail.rcpt_tos).collect();
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
    /// Decodes what DATA carried, as a mail client would show it.
    fn parse(mail_from: &str, rcpt_tos: &[String], raw: &[u8]) -> Mail {
        let raw_text = String::from_utf8_lossy(raw).into_owned();
        let Some(msg) = MessageParser::default().parse(raw) else {
            panic!("the SMTP sink received a message it cannot parse:\n{raw_text}");
        };
        let lf = |s: &str| s.replace("\r\n", "\n");
        let addresses = |a: Option<&Address<'_>>| {
            a.map(|a| {
                a.iter()
                    .map(|addr| match (&addr.name, &addr.address) {
                        (Some(name), Some(email)) => format!("{name} <{email}>"),
                        (None, Some(email)) => email.to_string(),
                        (Some(name), None) => name.to_string(),
                        (None, None) => String::new(),
                    })
                    .collect::<Vec<_>>()
                    .join(", ")
            })
            .unwrap_or_default()
        };
        let headers = msg
            .headers()
            .iter()
            .map(|h| {
                let value = msg.header_raw(h.name.as_str()).unwrap_or_default();
                (h.name.as_str().to_ascii_lowercase(), value.trim().to_owned())
            })
            .collect::<BTreeMap<_, _>>();
        Mail {
            mail_from: mail_from.to_owned(),
            rcpt_tos: rcpt_tos.to_vec(),
            from: addresses(msg.from()),
            to: addresses(msg.to()),
            subject: msg.subject().unwrap_or_default().to_owned(),
            content_language: headers.get("content-language").cloned(),
            headers,
            text: msg.body_text(0).map(|t| lf(&t)),
            html: msg.body_html(0).map(|t| lf(&t)),
            raw: raw_text,
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
