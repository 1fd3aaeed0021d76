//! A tiny HTTP/1.1 server on 127.0.0.1, started by a test to stand for the
//! publishers' sites: each path answers with the replies the test set (200
//! with bytes, a status, a slow or a truncated answer), anything else is a
//! 404, and the requests to each path are counted. It listens on the
//! loopback interface only, on a port the system picks, and stops when the
//! [`Server`] is dropped.
//!
//! A module of the test crate (`tests/it/main.rs`), as `crate::server`, for the
//! tests that fetch.

use std::collections::HashMap;
use std::io::{BufRead, BufReader, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::Duration;

/// How long a connection may take to send its request before the server
/// gives up on it, so that no connection keeps a thread alive.
const READ_TIMEOUT: Duration = Duration::from_secs(10);

/// How the server answers one request.
#[derive(Clone)]
pub enum Reply {
    /// 200 with these bytes and a correct Content-Length.
    Ok(Vec<u8>),
    /// This status, empty body.
    Status(u16),
    /// Wait this long, then answer 200 with the bytes.
    Slow(Duration, Vec<u8>),
    /// Claim this Content-Length, send the bytes (fewer), close.
    Truncated(Vec<u8>, usize),
}

#[derive(Default)]
struct State {
    /// Path without the leading `/` → replies in order (the last repeats).
    table: HashMap<String, Vec<Reply>>,
    /// Path → requests seen.
    hits: HashMap<String, usize>,
}

pub struct Server {
    /// `http://127.0.0.1:PORT`, without a trailing `/`.
    pub base: String,
    addr: SocketAddr,
    state: Arc<Mutex<State>>,
    stop: Arc<AtomicBool>,
    accept: Option<JoinHandle<()>>,
}

impl Server {
    pub fn start() -> Server {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let addr = listener.local_addr().unwrap();
        let state = Arc::new(Mutex::new(State::default()));
        let stop = Arc::new(AtomicBool::new(false));
        let accept = {
            let state = Arc::clone(&state);
            let stop = Arc::clone(&stop);
            std::thread::spawn(move || accept(&listener, &state, &stop))
        };
        Server {
            base: format!("http://{addr}"),
            addr,
            state,
            stop,
            accept: Some(accept),
        }
    }

    /// Answer `path` (e.g. `sdn.csv`, or `un/consolidated.xml`) with these
    /// replies, one a request, the last repeating.
    pub fn set(&self, path: &str, replies: Vec<Reply>) {
        self.state
            .lock()
            .unwrap()
            .table
            .insert(path.to_string(), replies);
    }

    /// Answer `path` with 200 and these bytes.
    pub fn serve(&self, path: &str, bytes: Vec<u8>) {
        self.set(path, vec![Reply::Ok(bytes)]);
    }

    /// Serve these files of the bundled sample (`data/lists/`) flat, each
    /// under its name.
    pub fn serve_lists(&self, names: &[&str]) {
        let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("data/lists");
        for name in names {
            let p = dir.join(name);
            let bytes = std::fs::read(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()));
            self.serve(name, bytes);
        }
    }

    /// Requests seen for `path`.
    pub fn hits(&self, path: &str) -> usize {
        self.state
            .lock()
            .unwrap()
            .hits
            .get(path)
            .copied()
            .unwrap_or(0)
    }
}

impl Drop for Server {
    /// Stop accepting: raise the flag, then wake the accept loop with a
    /// connection of its own and wait for it to end.
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        if TcpStream::connect(self.addr).is_ok()
            && let Some(accept) = self.accept.take()
        {
            let _ = accept.join();
        }
    }
}

/// Answer each connection on a thread of its own until `stop` is raised.
fn accept(listener: &TcpListener, state: &Arc<Mutex<State>>, stop: &AtomicBool) {
    for stream in listener.incoming() {
        if stop.load(Ordering::SeqCst) {
            break;
        }
        let Ok(stream) = stream else { continue };
        let state = Arc::clone(state);
        std::thread::spawn(move || handle(stream, &state));
    }
}

/// Read one request's line and headers; the path asked for, without the
/// leading `/`.
fn read_request(stream: &TcpStream) -> Option<String> {
    stream.set_read_timeout(Some(READ_TIMEOUT)).ok()?;
    let mut reader = BufReader::new(stream.try_clone().ok()?);
    let mut request_line = String::new();
    reader.read_line(&mut request_line).ok()?;
    // Read the headers to the blank line, so that closing never resets the
    // connection under unread request bytes.
    loop {
        let mut line = String::new();
        match reader.read_line(&mut line) {
            Ok(0) | Err(_) => break,
            Ok(_) if line == "\r\n" || line == "\n" => break,
            Ok(_) => {}
        }
    }
    Some(
        request_line
            .split_whitespace()
            .nth(1)
            .unwrap_or("/")
            .trim_start_matches('/')
            .to_string(),
    )
}

/// Count the request and pick its reply: the n-th set for the path (the
/// last repeating), or a 404.
fn reply_for(state: &Mutex<State>, path: &str) -> Reply {
    let mut st = state.lock().unwrap();
    let n = {
        let h = st.hits.entry(path.to_string()).or_insert(0);
        *h += 1;
        *h
    };
    st.table
        .get(path)
        .map(|replies| replies[(n - 1).min(replies.len() - 1)].clone())
        .unwrap_or(Reply::Status(404))
}

/// The reason phrase of a status line.
fn reason(code: u16) -> &'static str {
    match code {
        403 => "Forbidden",
        404 => "Not Found",
        500 => "Internal Server Error",
        503 => "Service Unavailable",
        _ => "Whatever",
    }
}

/// A response's head: the status line and headers.
fn head(status: &str, len: usize) -> String {
    format!(
        "HTTP/1.1 {status}\r\nContent-Length: {len}\r\nContent-Type: application/octet-stream\r\nConnection: close\r\n\r\n"
    )
}

/// Answer one connection, then close it.
fn handle(mut stream: TcpStream, state: &Mutex<State>) {
    let Some(path) = read_request(&stream) else {
        return;
    };
    let _ = match reply_for(state, &path) {
        Reply::Ok(bytes) => stream
            .write_all(head("200 OK", bytes.len()).as_bytes())
            .and_then(|_| stream.write_all(&bytes)),
        Reply::Status(code) => {
            stream.write_all(head(&format!("{code} {}", reason(code)), 0).as_bytes())
        }
        Reply::Slow(wait, bytes) => {
            std::thread::sleep(wait);
            stream
                .write_all(head("200 OK", bytes.len()).as_bytes())
                .and_then(|_| stream.write_all(&bytes))
        }
        Reply::Truncated(bytes, claimed) => stream
            .write_all(head("200 OK", claimed).as_bytes())
            .and_then(|_| stream.write_all(&bytes)),
    };
    let _ = stream.flush();
    let _ = stream.shutdown(std::net::Shutdown::Both);
}
