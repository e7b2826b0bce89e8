//! The JSON-RPC 2.0 envelope, shared by HTTP and PubSub: request objects, response objects,
//! and the error type every handler returns.

use serde_json::{json, Value};

/// A JSON-RPC error object.
#[derive(Clone, Debug, PartialEq)]
pub struct RpcError {
    pub code: i64,
    pub message: String,
    pub data: Option<Value>,
}

impl RpcError {
    pub fn new(code: i64, message: impl Into<String>) -> Self {
        Self { code, message: message.into(), data: None }
    }

    /// -32700: the body is not JSON.
    pub fn parse_error() -> Self {
        Self::new(-32700, "Parse error")
    }

    /// -32600: JSON, but not a JSON-RPC 2.0 request.
    pub fn invalid_request(detail: &str) -> Self {
        if detail.is_empty() {
            Self::new(-32600, "Invalid request")
        } else {
            Self::new(-32600, format!("Invalid request: {detail}"))
        }
    }

    /// -32601
    pub fn method_not_found() -> Self {
        Self::new(-32601, "Method not found")
    }

    /// -32602: `Invalid params: <detail>`.
    pub fn invalid_params(detail: impl std::fmt::Display) -> Self {
        Self::new(-32602, format!("Invalid params: {detail}"))
    }

    /// -32602 with `message` as agave words it (its `Error::invalid_params(message)`, where
    /// [`Self::invalid_params`] words a parameter that does not parse, as jsonrpc-core's
    /// "Invalid params: ..." does).
    pub fn params(message: impl Into<String>) -> Self {
        Self::new(-32602, message)
    }

    /// -32603
    pub fn internal(detail: impl std::fmt::Display) -> Self {
        Self::new(-32603, format!("Internal error: {detail}"))
    }

    pub fn with_data(mut self, data: Value) -> Self {
        self.data = Some(data);
        self
    }

    pub fn to_json(&self) -> Value {
        let mut error = json!({ "code": self.code, "message": self.message });
        if let Some(data) = &self.data {
            error["data"] = data.clone();
        }
        error
    }
}

pub type RpcResult<T> = Result<T, RpcError>;

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

/// The names of a table of methods (name → handler), in its order: the one list of what an
/// endpoint serves, so that "Method not found" and [`crate::rpc::HTTP_METHODS`] /
/// [`crate::rpc::PUBSUB_METHODS`] cannot disagree with what is dispatched.
pub(crate) const fn method_names<H, const N: usize>(
    table: &[(&'static str, H)],
) -> [&'static str; N] {
    let mut names = [""; N];
    let mut i = 0;
    while i < N {
        names[i] = table[i].0;
        i += 1;
    }
    names
}

/// The handler of `method` in `table`.
pub(crate) fn find_method<H: Copy>(table: &[(&'static str, H)], method: &str) -> Option<H> {
    table.iter().find(|(name, _)| *name == method).map(|(_, handler)| *handler)
}
