//! The HTTP side: a small HTTP/1.1 server of our own (a thread per connection, keep-alive with
//! an idle timeout, `TCP_NODELAY`, each answer in one write) that hands each JSON-RPC call to
//! the bank thread. `wire` reads requests and writes responses.

mod wire;

use std::{
    io::{BufReader, Write},
    net::{TcpListener, TcpStream},
    panic::{catch_unwind, AssertUnwindSafe},
    sync::{
        atomic::{AtomicBool, AtomicUsize, Ordering},
        Arc,
    },
    time::Instant,
};

use serde_json::Value;

use super::bank::BankHandle;
use super::constants::MAX_BODY_BYTES;
use super::jsonrpc::{parse_call, response, Call, RpcError};
use super::methods;
use wire::{
    discard_body, read_body, read_head, wait_for_request, write_response, BodyError, READ_TIMEOUT,
};

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
