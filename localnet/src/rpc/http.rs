//! The HTTP side: a small HTTP/1.1 server of our own (a thread per connection, keep-alive with
//! an idle timeout, `TCP_NODELAY`, each answer in one write), and the JSON-RPC 2.0 envelope
//! (shared with PubSub).

use std::{
    io::{BufRead, BufReader, Read, Write},
    net::{TcpListener, TcpStream},
    panic::{catch_unwind, AssertUnwindSafe},
    sync::{
        atomic::{AtomicBool, AtomicUsize, Ordering},
        Arc,
    },
    time::{Duration, Instant},
};

use serde_json::{json, Value};

use super::bank::BankHandle;
use super::methods;
use super::params::{RpcError, RpcResult};
use super::MAX_BODY_BYTES;

/// A parsed request object.
pub(crate) struct Call {
    /// `None` for a notification (no `id` member).
    pub id: Option<Value>,
    pub method: String,
    pub params: Value,
}

/// Checks the JSON-RPC 2.0 envelope; on failure, the error response to send.
pub(crate) fn parse_call(value: Value) -> Result<Call, Value> {
    let Value::Object(mut obj) = value else {
        return Err(response(Value::Null, Err(RpcError::invalid_request(""))));
    };
    let id = obj.remove("id");
    let reply_id = match &id {
        None => Value::Null,
        Some(v @ (Value::Null | Value::String(_) | Value::Number(_))) => v.clone(),
        Some(_) => {
            return Err(response(
                Value::Null,
                Err(RpcError::invalid_request("`id` must be a string, a number or null")),
            ))
        }
    };
    if obj.get("jsonrpc").and_then(Value::as_str) != Some("2.0") {
        return Err(response(
            reply_id,
            Err(RpcError::invalid_request("`jsonrpc` must be \"2.0\"")),
        ));
    }
    let method = match obj.remove("method") {
        Some(Value::String(m)) => m,
        _ => {
            return Err(response(
                reply_id,
                Err(RpcError::invalid_request("`method` must be a string")),
            ))
        }
    };
    let params = obj.remove("params").unwrap_or(Value::Null);
    if !matches!(params, Value::Null | Value::Array(_) | Value::Object(_)) {
        return Err(response(
            reply_id,
            Err(RpcError::invalid_request("`params` must be an array or an object")),
        ));
    }
    Ok(Call { id, method, params })
}

/// A response object.
pub(crate) fn response(id: Value, result: RpcResult<Value>) -> Value {
    match result {
        Ok(result) => json!({ "jsonrpc": "2.0", "result": result, "id": id }),
        Err(err) => json!({ "jsonrpc": "2.0", "error": err.to_json(), "id": id }),
    }
}

/// How long a keep-alive connection may stay idle between requests.
const IDLE_TIMEOUT: Duration = Duration::from_secs(30);
/// How long reading one request (headers and body) may take once it has started.
const READ_TIMEOUT: Duration = Duration::from_secs(30);
/// Largest request head (request line and headers).
const MAX_HEAD_BYTES: usize = 64 * 1024;
/// Most connections served at once; more wait in the listen queue.
pub(crate) const MAX_HTTP_CONNECTIONS: usize = 512;

/// Accepts JSON-RPC connections until `stop`, one thread each (a keep-alive connection holds
/// its thread only while it is open, at most `IDLE_TIMEOUT` idle).
pub(crate) fn accept_loop(
    listener: TcpListener,
    bank: BankHandle,
    stop: Arc<AtomicBool>,
    verbose: bool,
) {
    let open = Arc::new(AtomicUsize::new(0));
    for stream in listener.incoming() {
        if stop.load(Ordering::SeqCst) {
            break;
        }
        let Ok(stream) = stream else { continue };
        if open.load(Ordering::SeqCst) >= MAX_HTTP_CONNECTIONS {
            let _ = write_response(&stream, 503, "text/plain", b"too many connections", false);
            continue;
        }
        open.fetch_add(1, Ordering::SeqCst);
        let (bank, stop, open) = (bank.clone(), stop.clone(), open.clone());
        let spawned = std::thread::Builder::new().name("rpc-http".into()).spawn(move || {
            // A panic here must not take the server down.
            let _ =
                catch_unwind(AssertUnwindSafe(|| serve_connection(stream, &bank, &stop, verbose)));
            open.fetch_sub(1, Ordering::SeqCst);
        });
        if spawned.is_err() {
            // No thread could be started: the connection was dropped with the closure.
            continue;
        }
    }
}

/// One parsed request.
struct Head {
    method: String,
    path: String,
    content_length: Option<usize>,
    chunked: bool,
    expect_continue: bool,
    keep_alive: bool,
}

fn serve_connection(stream: TcpStream, bank: &BankHandle, stop: &AtomicBool, verbose: bool) {
    // Answers go out in one write: without this a body after the head waits for the client's
    // delayed ACK (tens of milliseconds per request on a keep-alive connection).
    let _ = stream.set_nodelay(true);
    let mut reader = BufReader::new(match stream.try_clone() {
        Ok(s) => s,
        Err(_) => return,
    });
    loop {
        if stop.load(Ordering::SeqCst) {
            return;
        }
        if !wait_for_request(&mut reader, &stream, stop) {
            return;
        }
        let head = match read_head(&mut reader, &stream) {
            Ok(Some(head)) => head,
            Ok(None) => return,
            Err(status) => {
                let _ = write_response(&stream, status, "text/plain", b"bad request", false);
                return;
            }
        };
        let started = Instant::now();
        let keep_alive = head.keep_alive;
        match (head.method.as_str(), head.path.as_str()) {
            ("POST", _) => {}
            ("OPTIONS", _) => {
                if write_response(&stream, 200, "text/plain", b"", keep_alive).is_err()
                    || !keep_alive
                {
                    return;
                }
                if discard_body(&mut reader, &head).is_err() {
                    return;
                }
                continue;
            }
            ("GET" | "HEAD", "/health") => {
                if write_response(&stream, 200, "text/plain", b"ok", keep_alive).is_err()
                    || !keep_alive
                {
                    return;
                }
                continue;
            }
            _ => {
                let _ = write_response(
                    &stream,
                    405,
                    "text/plain",
                    b"Used HTTP Method is not allowed. POST or OPTIONS is required",
                    false,
                );
                return;
            }
        }
        let too_large = || {
            let body = response(
                Value::Null,
                Err(RpcError::invalid_request(&format!(
                    "request body larger than {MAX_BODY_BYTES} bytes"
                ))),
            );
            let _ = write_response(
                &stream,
                413,
                "application/json",
                body.to_string().as_bytes(),
                false,
            );
        };
        if head.content_length.is_some_and(|n| n > MAX_BODY_BYTES) {
            too_large();
            return;
        }
        if head.expect_continue && (&stream).write_all(b"HTTP/1.1 100 Continue\r\n\r\n").is_err() {
            return;
        }
        let _ = stream.set_read_timeout(Some(READ_TIMEOUT));
        let body = match read_body(&mut reader, &head) {
            Ok(body) => body,
            Err(BodyError::TooLarge) => {
                too_large();
                return;
            }
            Err(BodyError::Io) => return,
        };
        let (reply, methods) = process_body(&body, bank);
        if verbose {
            eprintln!("rpc {} {:?}", methods.join(","), started.elapsed());
        }
        let bytes = reply.map(|r| r.to_string().into_bytes()).unwrap_or_default();
        let kind = if bytes.is_empty() { "text/plain" } else { "application/json" };
        if write_response(&stream, 200, kind, &bytes, keep_alive).is_err() || !keep_alive {
            return;
        }
    }
}

/// Waits, at most `IDLE_TIMEOUT`, for the next request's first byte; `false` when the client
/// closed, stayed idle, or the server is stopping (checked every second, so that a stop never
/// waits for idle connections).
fn wait_for_request(
    reader: &mut BufReader<TcpStream>,
    stream: &TcpStream,
    stop: &AtomicBool,
) -> bool {
    let idle_since = Instant::now();
    let _ = stream.set_read_timeout(Some(Duration::from_secs(1)));
    loop {
        match reader.fill_buf() {
            Ok(bytes) => return !bytes.is_empty(),
            Err(e)
                if matches!(
                    e.kind(),
                    std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut
                ) =>
            {
                if stop.load(Ordering::SeqCst) || idle_since.elapsed() >= IDLE_TIMEOUT {
                    return false;
                }
            }
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(_) => return false,
        }
    }
}

/// Reads a request head; `Ok(None)` when the client closed between requests.
fn read_head(reader: &mut BufReader<TcpStream>, stream: &TcpStream) -> Result<Option<Head>, u16> {
    // Once a request has started, it must arrive in full within READ_TIMEOUT.
    let _ = stream.set_read_timeout(Some(READ_TIMEOUT));
    let mut lines = Vec::new();
    let mut total = 0;
    loop {
        let mut line = Vec::new();
        let n = match reader
            .by_ref()
            .take((MAX_HEAD_BYTES - total + 1) as u64)
            .read_until(b'\n', &mut line)
        {
            Ok(n) => n,
            Err(_) if lines.is_empty() => return Ok(None),
            Err(_) => return Err(408),
        };
        if n == 0 {
            return if lines.is_empty() { Ok(None) } else { Err(400) };
        }
        total += n;
        if total > MAX_HEAD_BYTES {
            return Err(431);
        }
        let text = String::from_utf8_lossy(&line).trim_end_matches(['\r', '\n']).to_string();
        if text.is_empty() {
            if lines.is_empty() {
                continue; // a stray CRLF between requests
            }
            break;
        }
        lines.push(text);
    }
    let mut parts = lines[0].split_whitespace();
    let (Some(method), Some(path), Some(version)) = (parts.next(), parts.next(), parts.next())
    else {
        return Err(400);
    };
    let mut head = Head {
        method: method.to_ascii_uppercase(),
        path: path.to_string(),
        content_length: None,
        chunked: false,
        expect_continue: false,
        keep_alive: version.eq_ignore_ascii_case("HTTP/1.1"),
    };
    for line in &lines[1..] {
        let Some((name, value)) = line.split_once(':') else { return Err(400) };
        let (name, value) = (name.trim().to_ascii_lowercase(), value.trim());
        match name.as_str() {
            "content-length" => head.content_length = Some(value.parse().map_err(|_| 400u16)?),
            "transfer-encoding" => head.chunked = value.to_ascii_lowercase().contains("chunked"),
            "expect" => head.expect_continue = value.eq_ignore_ascii_case("100-continue"),
            "connection" => {
                let v = value.to_ascii_lowercase();
                if v.contains("close") {
                    head.keep_alive = false;
                } else if v.contains("keep-alive") {
                    head.keep_alive = true;
                }
            }
            _ => {}
        }
    }
    Ok(Some(head))
}

enum BodyError {
    TooLarge,
    Io,
}

fn read_body(reader: &mut BufReader<TcpStream>, head: &Head) -> Result<Vec<u8>, BodyError> {
    let mut body = Vec::new();
    if head.chunked {
        loop {
            let mut size_line = Vec::new();
            reader
                .by_ref()
                .take(1024)
                .read_until(b'\n', &mut size_line)
                .map_err(|_| BodyError::Io)?;
            let text = String::from_utf8_lossy(&size_line);
            let size =
                usize::from_str_radix(text.trim().split(';').next().unwrap_or("").trim(), 16)
                    .map_err(|_| BodyError::Io)?;
            if size == 0 {
                // Trailers, up to the empty line.
                loop {
                    let mut line = Vec::new();
                    let n = reader
                        .by_ref()
                        .take(8 * 1024)
                        .read_until(b'\n', &mut line)
                        .map_err(|_| BodyError::Io)?;
                    if n == 0 || line == b"\r\n" || line == b"\n" {
                        return Ok(body);
                    }
                }
            }
            if body.len() + size > MAX_BODY_BYTES {
                return Err(BodyError::TooLarge);
            }
            let start = body.len();
            body.resize(start + size, 0);
            reader.read_exact(&mut body[start..]).map_err(|_| BodyError::Io)?;
            let mut crlf = [0u8; 2];
            reader.read_exact(&mut crlf).map_err(|_| BodyError::Io)?;
        }
    }
    let length = head.content_length.unwrap_or(0);
    if length > MAX_BODY_BYTES {
        return Err(BodyError::TooLarge);
    }
    body.resize(length, 0);
    reader.read_exact(&mut body).map_err(|_| BodyError::Io)?;
    Ok(body)
}

fn discard_body(reader: &mut BufReader<TcpStream>, head: &Head) -> Result<(), BodyError> {
    read_body(reader, head).map(|_| ())
}

/// Writes a whole response in one write, with the CORS headers.
fn write_response(
    mut stream: &TcpStream,
    status: u16,
    content_type: &str,
    body: &[u8],
    keep_alive: bool,
) -> std::io::Result<()> {
    let reason = match status {
        200 => "OK",
        400 => "Bad Request",
        405 => "Method Not Allowed",
        408 => "Request Timeout",
        413 => "Payload Too Large",
        431 => "Request Header Fields Too Large",
        503 => "Service Unavailable",
        _ => "Error",
    };
    let mut out = format!(
        "HTTP/1.1 {status} {reason}\r\nContent-Type: {content_type}\r\nContent-Length: {}\r\n\
         Access-Control-Allow-Origin: *\r\nAccess-Control-Allow-Methods: POST, GET, OPTIONS\r\n\
         Access-Control-Allow-Headers: content-type, solana-client\r\nConnection: {}\r\n\r\n",
        body.len(),
        if keep_alive { "keep-alive" } else { "close" },
    )
    .into_bytes();
    out.extend_from_slice(body);
    stream.write_all(&out)?;
    stream.flush()
}

/// The reply to a body (`None` when it held only notifications) and the methods called.
fn process_body(body: &[u8], bank: &BankHandle) -> (Option<Value>, Vec<String>) {
    let value: Value = match serde_json::from_slice(body) {
        Ok(v) => v,
        Err(_) => {
            return (
                Some(response(Value::Null, Err(RpcError::parse_error()))),
                vec!["<parse error>".into()],
            )
        }
    };
    let mut methods = Vec::new();
    match value {
        Value::Array(items) => {
            if items.is_empty() {
                return (
                    Some(response(Value::Null, Err(RpcError::invalid_request("empty batch")))),
                    methods,
                );
            }
            let replies: Vec<Value> =
                items.into_iter().filter_map(|item| call(item, bank, &mut methods)).collect();
            ((!replies.is_empty()).then_some(Value::Array(replies)), methods)
        }
        single => (call(single, bank, &mut methods), methods),
    }
}

fn call(value: Value, bank: &BankHandle, methods: &mut Vec<String>) -> Option<Value> {
    let call = match parse_call(value) {
        Ok(call) => call,
        Err(reply) => return Some(reply),
    };
    methods.push(call.method.clone());
    let Call { id, method, params } = call;
    let result = bank
        .call(move |b| methods::dispatch(b, &method, &params))
        .unwrap_or_else(|| Err(RpcError::internal("the request handler failed")));
    id.map(|id| response(id, result))
}
