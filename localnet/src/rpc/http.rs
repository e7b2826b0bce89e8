//! HTTP workers and the JSON-RPC 2.0 envelope (shared with PubSub).

use std::{
    io::Read,
    panic::{catch_unwind, AssertUnwindSafe},
    sync::atomic::{AtomicBool, Ordering},
    time::Instant,
};

use serde_json::{json, Value};
use tiny_http::{Header, Method, Request, Response};

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

/// Serves HTTP requests until `stop`.
pub(crate) fn worker(
    server: &tiny_http::Server,
    bank: &BankHandle,
    stop: &AtomicBool,
    verbose: bool,
) {
    loop {
        let request = match server.recv() {
            Ok(request) => request,
            Err(_) if stop.load(Ordering::SeqCst) => break,
            Err(_) => continue,
        };
        if stop.load(Ordering::SeqCst) {
            let _ = request.respond(Response::from_string("shutting down").with_status_code(503));
            break;
        }
        // A panic here must not take the worker down.
        let _ = catch_unwind(AssertUnwindSafe(|| handle(request, bank, verbose)));
    }
}

fn header(name: &str, value: &str) -> Header {
    Header::from_bytes(name.as_bytes(), value.as_bytes()).expect("valid header")
}

fn cors(response: Response<std::io::Cursor<Vec<u8>>>) -> Response<std::io::Cursor<Vec<u8>>> {
    response
        .with_header(header("Access-Control-Allow-Origin", "*"))
        .with_header(header("Access-Control-Allow-Methods", "POST, GET, OPTIONS"))
        .with_header(header("Access-Control-Allow-Headers", "content-type, solana-client"))
}

fn json_response(status: u16, body: &Value) -> Response<std::io::Cursor<Vec<u8>>> {
    cors(
        Response::from_string(body.to_string())
            .with_status_code(status)
            .with_header(header("Content-Type", "application/json")),
    )
}

fn handle(mut request: Request, bank: &BankHandle, verbose: bool) {
    let started = Instant::now();
    match request.method() {
        Method::Post => {}
        Method::Options => {
            let _ = request.respond(cors(Response::from_string("")).with_status_code(200));
            return;
        }
        Method::Get | Method::Head if request.url() == "/health" => {
            let _ = request.respond(cors(Response::from_string("ok")));
            return;
        }
        _ => {
            let _ = request.respond(cors(
                Response::from_string(
                    "Used HTTP Method is not allowed. POST or OPTIONS is required",
                )
                .with_status_code(405),
            ));
            return;
        }
    }
    let too_large = || {
        json_response(
            413,
            &response(
                Value::Null,
                Err(RpcError::invalid_request(&format!(
                    "request body larger than {MAX_BODY_BYTES} bytes"
                ))),
            ),
        )
    };
    if request.body_length().is_some_and(|n| n > MAX_BODY_BYTES) {
        let _ = request.respond(too_large());
        return;
    }
    let mut body = Vec::new();
    if let Err(e) = request.as_reader().take(MAX_BODY_BYTES as u64 + 1).read_to_end(&mut body) {
        let _ = request.respond(
            Response::from_string(format!("cannot read the request body: {e}"))
                .with_status_code(400),
        );
        return;
    }
    if body.len() > MAX_BODY_BYTES {
        let _ = request.respond(too_large());
        return;
    }
    let (reply, methods) = process_body(&body, bank);
    if verbose {
        eprintln!("rpc {} {:?}", methods.join(","), started.elapsed());
    }
    let _ = match reply {
        Some(reply) => request.respond(json_response(200, &reply)),
        // Only notifications: nothing to answer.
        None => request.respond(cors(Response::from_string("")).with_status_code(200)),
    };
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
