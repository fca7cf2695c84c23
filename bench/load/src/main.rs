//! bench/run's open-model load generator, in the manner of wrk2: requests are due at fixed
//! intervals whatever the server does, and each latency is measured from the time its
//! request was due, so a slow response also counts against the requests it held up
//! (no coordinated omission).
//!
//! ```text
//! bench-load --url http://127.0.0.1:8080/graphql --rate 8000 --connections 16 --seconds 15
//!            [--warmup 1] [--header 'Authorization: Bearer …'] [--body '{"query":…}'] [--walk]
//! ```
//!
//! Connection `c` of `C` sends its `k`-th request at `start + (c + k·C) / rate`. When the
//! previous response on that connection arrives after that moment, the request goes out at
//! once and its latency still counts from when it was due. What the generator itself adds
//! (waking late from its sleep, this process waiting for a core) is measured per request,
//! from the moment it could have sent to the moment it did, subtracted, and reported as
//! `lag`. A thread per connection with blocking sockets and no dependency: it builds in
//! seconds, and each thread sleeps until its own next request is due.
//!
//! Prints one line `BENCHJSON {…}` (the shape bench/lua/common.lua prints for wrk): counts,
//! the achieved rate, p50, p90, p99, p99.9 and the maximum in milliseconds. A response that
//! is not a 200, or whose body holds `"errors"`, is a failure.
//!
//! `--walk` pages through a connection: the body's `__AFTER__` becomes `null` or the
//! last response's `"endCursor"` while its `"hasNextPage"` is true.

use std::io::{Read as _, Write as _};
use std::net::TcpStream;
use std::time::{Duration, Instant};

/// A request answered after this is a failure, and its connection is opened anew.
const TIMEOUT: Duration = Duration::from_secs(10);

struct Args {
    host: String,
    path: String,
    rate: f64,
    connections: usize,
    seconds: f64,
    warmup: f64,
    headers: Vec<String>,
    body: String,
    walk: bool,
}

fn parse_args() -> Result<Args, String> {
    let mut url = None;
    let (mut rate, mut connections, mut seconds, mut warmup) = (None, 16, 10.0, 1.0);
    let (mut headers, mut body, mut walk) = (Vec::new(), String::new(), false);
    let mut it = std::env::args().skip(1);
    while let Some(flag) = it.next() {
        if flag == "--walk" {
            walk = true;
            continue;
        }
        let value = it.next().ok_or_else(|| format!("{flag} needs a value"))?;
        let number = |v: &str| v.parse::<f64>().map_err(|e| format!("{flag}: {e}"));
        match flag.as_str() {
            "--url" => url = Some(value),
            "--rate" => rate = Some(number(&value)?),
            "--connections" => connections = value.parse().map_err(|e| format!("{flag}: {e}"))?,
            "--seconds" => seconds = number(&value)?,
            "--warmup" => warmup = number(&value)?,
            "--header" => headers.push(value),
            "--body" => body = value,
            _ => return Err(format!("unknown flag {flag}")),
        }
    }
    let url = url.ok_or("--url is required")?;
    let rest = url.strip_prefix("http://").ok_or("only http:// URLs")?;
    let (host, path) = rest.split_at(rest.find('/').unwrap_or(rest.len()));
    let rate = rate.ok_or("--rate is required")?;
    if !(rate > 0.0) || connections == 0 || !(seconds > 0.0) || !(warmup >= 0.0) {
        return Err("--rate, --connections and --seconds must be positive".into());
    }
    let path = if path.is_empty() { "/".to_owned() } else { path.to_owned() };
    Ok(Args { host: host.to_owned(), path, rate, connections, seconds, warmup, headers, body, walk })
}

/// What one connection saw.
#[derive(Default)]
struct Tally {
    /// Latencies of the measured requests, in microseconds.
    latencies: Vec<u32>,
    /// The generator's own delay per measured request, in microseconds.
    lags: Vec<u32>,
    requests: u64,
    errors: u64,
    timeouts: u64,
    non2xx: u64,
    gql_errors: u64,
    /// Requests that were due while the previous one on their connection was unanswered.
    behind: u64,
}

/// A response: its status and body.
struct Response {
    status: u16,
    body: Vec<u8>,
    close: bool,
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

/// Reads one HTTP/1.1 response with a `Content-Length` (what gerbang sends).
fn read_response(stream: &mut TcpStream, buf: &mut Vec<u8>) -> std::io::Result<Response> {
    let invalid = |m: &str| std::io::Error::new(std::io::ErrorKind::InvalidData, m.to_owned());
    buf.clear();
    let mut chunk = [0u8; 16384];
    let head_end = loop {
        if let Some(i) = find(buf, b"\r\n\r\n") {
            break i + 4;
        }
        let n = stream.read(&mut chunk)?;
        if n == 0 {
            return Err(std::io::ErrorKind::UnexpectedEof.into());
        }
        buf.extend_from_slice(&chunk[..n]);
    };
    let head = std::str::from_utf8(&buf[..head_end]).map_err(|_| invalid("head is not text"))?;
    let status = head.get(9..12).and_then(|s| s.parse().ok()).ok_or_else(|| invalid("no status"))?;
    let (mut length, mut close) = (None, false);
    for line in head.split("\r\n").skip(1) {
        let Some((name, value)) = line.split_once(':') else { continue };
        let value = value.trim();
        if name.eq_ignore_ascii_case("content-length") {
            length = value.parse::<usize>().ok();
        } else if name.eq_ignore_ascii_case("connection") && value.eq_ignore_ascii_case("close") {
            close = true;
        } else if name.eq_ignore_ascii_case("transfer-encoding") {
            return Err(invalid("chunked responses are not read"));
        }
    }
    let length = length.ok_or_else(|| invalid("no content-length"))?;
    while buf.len() < head_end + length {
        let n = stream.read(&mut chunk)?;
        if n == 0 {
            return Err(std::io::ErrorKind::UnexpectedEof.into());
        }
        buf.extend_from_slice(&chunk[..n]);
    }
    Ok(Response { status, body: buf[head_end..head_end + length].to_vec(), close })
}

fn request_bytes(args: &Args, body: &str) -> Vec<u8> {
    let mut r = format!("POST {} HTTP/1.1\r\nHost: {}\r\nContent-Type: application/json\r\n", args.path, args.host);
    for h in &args.headers {
        r.push_str(h);
        r.push_str("\r\n");
    }
    r.push_str(&format!("Content-Length: {}\r\n\r\n{body}", body.len()));
    r.into_bytes()
}

/// The cursor to continue from, if the page says there is more.
fn next_cursor(body: &[u8]) -> Option<String> {
    find(body, b"\"hasNextPage\":true")?;
    let start = find(body, b"\"endCursor\":\"")? + 13;
    let len = body[start..].iter().position(|b| *b == b'"')?;
    String::from_utf8(body[start..start + len].to_vec()).ok()
}

fn micros(d: Duration) -> u32 {
    u32::try_from(d.as_micros()).unwrap_or(u32::MAX)
}

fn connect(host: &str) -> std::io::Result<TcpStream> {
    let s = TcpStream::connect(host)?;
    s.set_nodelay(true)?;
    s.set_read_timeout(Some(TIMEOUT))?;
    s.set_write_timeout(Some(TIMEOUT))?;
    Ok(s)
}

fn connection(args: &Args, index: usize, start: Instant, mut stream: Option<TcpStream>) -> Tally {
    let mut tally = Tally::default();
    let interval = args.connections as f64 / args.rate;
    let measured_from = start + Duration::from_secs_f64(args.warmup);
    let end = measured_from + Duration::from_secs_f64(args.seconds);
    let fixed = request_bytes(args, &args.body);
    let mut cursor: Option<String> = None;
    let mut buf = Vec::with_capacity(32 * 1024);
    let mut previous_done = start;
    for k in 0u64.. {
        let due = start + Duration::from_secs_f64((index as f64 / args.connections as f64 + k as f64) * interval);
        if due >= end {
            break;
        }
        let measured = due >= measured_from;
        if previous_done > due {
            tally.behind += u64::from(measured);
        } else {
            std::thread::sleep(due.saturating_duration_since(Instant::now()));
        }
        let ready = previous_done.max(due);
        let walked;
        let bytes = if args.walk {
            let after = cursor.take().map_or_else(|| "null".to_owned(), |c| format!("\"{c}\""));
            walked = request_bytes(args, &args.body.replace("__AFTER__", &after));
            &walked
        } else {
            &fixed
        };
        let sent = Instant::now();
        let outcome = (|| {
            if stream.is_none() {
                stream = Some(connect(&args.host)?);
            }
            let s = stream.as_mut().ok_or(std::io::ErrorKind::NotConnected)?;
            s.write_all(bytes)?;
            read_response(s, &mut buf)
        })();
        let done = Instant::now();
        previous_done = done;
        if !measured {
            if let Ok(r) = &outcome {
                cursor = if args.walk { next_cursor(&r.body) } else { None };
                if r.close {
                    stream = None;
                }
            } else {
                stream = None;
            }
            continue;
        }
        tally.requests += 1;
        let lag = sent.saturating_duration_since(ready);
        tally.lags.push(micros(lag));
        tally.latencies.push(micros(done.saturating_duration_since(due).saturating_sub(lag)));
        match outcome {
            Err(e) if matches!(e.kind(), std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut) => {
                tally.timeouts += 1;
                stream = None;
            }
            Err(_) => {
                tally.errors += 1;
                stream = None;
            }
            Ok(r) => {
                if r.status != 200 {
                    tally.non2xx += 1;
                } else if find(&r.body, b"\"errors\"").is_some() {
                    tally.gql_errors += 1;
                }
                if args.walk {
                    cursor = next_cursor(&r.body);
                }
                if r.close {
                    stream = None;
                }
            }
        }
    }
    tally
}

/// The value below which `q` of the sorted samples lie, in milliseconds.
fn percentile(sorted: &[u32], q: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    let rank = ((q * sorted.len() as f64).ceil() as usize).clamp(1, sorted.len());
    f64::from(sorted[rank - 1]) / 1000.0
}

fn main() {
    let args = match parse_args() {
        Ok(a) => a,
        Err(e) => {
            eprintln!("bench-load: {e}");
            std::process::exit(2);
        }
    };
    // Connected before the clock starts: opening connections is not what is measured.
    let streams: Vec<Option<TcpStream>> = (0..args.connections).map(|_| connect(&args.host).ok()).collect();
    let start = Instant::now();
    let tallies: Vec<Tally> = std::thread::scope(|scope| {
        let threads: Vec<_> = streams
            .into_iter()
            .enumerate()
            .map(|(i, s)| {
                let args = &args;
                scope.spawn(move || connection(args, i, start, s))
            })
            .collect();
        threads.into_iter().filter_map(|t| t.join().ok()).collect()
    });
    let mut all = Tally::default();
    for t in tallies {
        all.latencies.extend(t.latencies);
        all.lags.extend(t.lags);
        all.requests += t.requests;
        all.errors += t.errors;
        all.timeouts += t.timeouts;
        all.non2xx += t.non2xx;
        all.gql_errors += t.gql_errors;
        all.behind += t.behind;
    }
    all.latencies.sort_unstable();
    all.lags.sort_unstable();
    let l = &all.latencies;
    println!(
        "BENCHJSON {{\"requests\":{},\"duration_us\":{},\"errors\":{},\"timeouts\":{},\"non2xx\":{},\"gql_errors\":{},\
         \"rate\":{:.1},\"target_rate\":{:.1},\"connections\":{},\"behind\":{},\
         \"p50_ms\":{:.3},\"p90_ms\":{:.3},\"p99_ms\":{:.3},\"p999_ms\":{:.3},\"max_ms\":{:.3},\
         \"lag_p50_ms\":{:.3},\"lag_p99_ms\":{:.3}}}",
        all.requests,
        (args.seconds * 1e6) as u64,
        all.errors,
        all.timeouts,
        all.non2xx,
        all.gql_errors,
        all.requests as f64 / args.seconds,
        args.rate,
        args.connections,
        all.behind,
        percentile(l, 0.50),
        percentile(l, 0.90),
        percentile(l, 0.99),
        percentile(l, 0.999),
        percentile(l, 1.0),
        percentile(&all.lags, 0.50),
        percentile(&all.lags, 0.99),
    );
}
