//! A running `newsdex serve` for the tests, and a minimal HTTP/1.1 client over
//! `TcpStream` (raw requests let the tests send any bytes and any Host header).

use serde_json::Value;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// A running `newsdex serve`, killed when dropped.
pub struct Server {
    child: Child,
    /// The address it listens on.
    pub addr: SocketAddr,
    /// Lines printed before the "listening" line.
    pub startup: Vec<String>,
}

impl Server {
    /// Starts serving `index` on a free loopback port.
    pub fn start(index: &Path) -> Server {
        Server::start_at(index, "127.0.0.1:0")
    }

    /// Starts serving `index` on `addr`.
    pub fn start_at(index: &Path, addr: &str) -> Server {
        let child = Command::new(assert_cmd::cargo::cargo_bin("newsdex"))
            .args(["serve", "--addr", addr, "--index"])
            .arg(index)
            .env_remove("NEWSDEX_INDEX")
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        // From here on the child is killed and waited for when `server` drops, panics too.
        let mut server = Server {
            child,
            addr: SocketAddr::from(([127, 0, 0, 1], 0)),
            startup: Vec::new(),
        };
        let (sender, receiver) = std::sync::mpsc::channel();
        let stderr = server.child.stderr.take().unwrap();
        std::thread::spawn(move || {
            for line in BufReader::new(stderr).lines() {
                let Ok(line) = line else { break };
                // Reading on after the test stops listening keeps the server's stderr open.
                let _ = sender.send(line);
            }
        });
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            let line = receiver
                .recv_timeout(deadline.saturating_duration_since(Instant::now()))
                .expect("serve prints `listening on http://ADDR`");
            if let Some(rest) = line.strip_prefix("newsdex: listening on http://") {
                server.addr = rest.trim().parse().unwrap();
                return server;
            }
            server.startup.push(line);
        }
    }

    /// Sends `GET path` and returns the response.
    pub fn get(&self, path: &str) -> Response {
        let host = self.addr.to_string();
        self.raw(&format!(
            "GET {path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n"
        ))
    }

    /// `GET path`, expecting JSON with `status`.
    pub fn json(&self, path: &str, status: u16) -> Value {
        let response = self.get(path);
        assert_eq!(
            response.status,
            status,
            "{path}: {}",
            String::from_utf8_lossy(&response.body)
        );
        assert_eq!(response.header("content-type"), Some("application/json"));
        serde_json::from_slice(&response.body).expect("the body is JSON")
    }

    /// The error message of a request that must fail with `status`.
    pub fn error(&self, path: &str, status: u16) -> String {
        let body = self.json(path, status);
        assert_eq!(body.as_object().unwrap().len(), 1, "{body}");
        body["error"].as_str().unwrap().to_string()
    }

    /// Sends a raw request and reads the whole response (the server closes after it).
    pub fn raw(&self, request: &str) -> Response {
        let mut stream = TcpStream::connect(self.addr).unwrap();
        stream
            .set_read_timeout(Some(Duration::from_secs(30)))
            .unwrap();
        stream.write_all(request.as_bytes()).unwrap();
        let mut bytes = Vec::new();
        stream.read_to_end(&mut bytes).unwrap();
        Response::parse(&bytes)
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// An HTTP response.
pub struct Response {
    /// Status code.
    pub status: u16,
    headers: Vec<(String, String)>,
    /// Body, de-chunked.
    pub body: Vec<u8>,
}

impl Response {
    fn parse(bytes: &[u8]) -> Response {
        let split = bytes
            .windows(4)
            .position(|window| window == b"\r\n\r\n")
            .expect("a complete response");
        let head = std::str::from_utf8(&bytes[..split]).unwrap();
        let mut lines = head.split("\r\n");
        let status = lines.next().unwrap().split(' ').nth(1).unwrap();
        let headers: Vec<(String, String)> = lines
            .map(|line| {
                let (name, value) = line.split_once(':').unwrap();
                (name.trim().to_ascii_lowercase(), value.trim().to_string())
            })
            .collect();
        let mut response = Response {
            status: status.parse().unwrap(),
            headers,
            body: bytes[split + 4..].to_vec(),
        };
        if response.header("transfer-encoding") == Some("chunked") {
            response.body = dechunk(&response.body);
        }
        response
    }

    /// The value of a header (name in lower case).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(seen, _)| seen == name)
            .map(|(_, value)| value.as_str())
    }

    /// The body as UTF-8 text.
    pub fn text(&self) -> String {
        String::from_utf8(self.body.clone()).unwrap()
    }
}

fn dechunk(mut body: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    loop {
        let end = body.windows(2).position(|w| w == b"\r\n").unwrap();
        let size = usize::from_str_radix(std::str::from_utf8(&body[..end]).unwrap(), 16).unwrap();
        if size == 0 {
            return out;
        }
        out.extend_from_slice(&body[end + 2..end + 2 + size]);
        body = &body[end + 4 + size..];
    }
}
