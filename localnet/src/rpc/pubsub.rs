//! The PubSub methods, run on the bank thread: one table of name → handler.

use serde_json::{json, Value};

use super::bank::Bank;
use super::encode;
use super::jsonrpc::{find_method, method_names, RpcError, RpcResult};
use super::params::{parse_pubkey, AccountEncoding, DataSlice, Filter, Params};
use super::subscriptions::{signature_notifications, Kind, LogsFilter};

/// What a PubSub call answers: its result and the notifications to send right after it.
type Reply = RpcResult<(Value, Vec<String>)>;

/// A PubSub method: the bank, the connection that called, the parameters.
type Handler = fn(&mut Bank, u64, &Params) -> Reply;

/// Every PubSub method, with its handler.
const TABLE: &[(&str, Handler)] = &[
    ("signatureSubscribe", signature_subscribe),
    ("signatureUnsubscribe", |b, conn, p| unsubscribe(b, conn, p, "signature")),
    ("logsSubscribe", logs_subscribe),
    ("logsUnsubscribe", |b, conn, p| unsubscribe(b, conn, p, "logs")),
    ("accountSubscribe", account_subscribe),
    ("accountUnsubscribe", |b, conn, p| unsubscribe(b, conn, p, "account")),
    ("programSubscribe", program_subscribe),
    ("programUnsubscribe", |b, conn, p| unsubscribe(b, conn, p, "program")),
    ("slotSubscribe", |b, conn, _| subscribe(b, conn, Kind::Slot)),
    ("slotUnsubscribe", |b, conn, p| unsubscribe(b, conn, p, "slot")),
];

const NAMES: [&str; TABLE.len()] = method_names(TABLE);

/// Every PubSub method served.
pub const METHODS: &[&str] = &NAMES;

/// Runs one PubSub call of connection `conn`.
pub(crate) fn dispatch(bank: &mut Bank, conn: u64, method: &str, params: &Value) -> Reply {
    bank.requests += 1;
    let Some(handler) = find_method(TABLE, method) else {
        return Err(RpcError::method_not_found());
    };
    let p = Params::new(params)?;
    handler(bank, conn, &p)
}

fn subscribe(bank: &mut Bank, conn: u64, kind: Kind) -> Reply {
    Ok((json!(bank.subs.insert(conn, kind)?), Vec::new()))
}

/// `*Unsubscribe`: removes subscription `[id]` of `kind`; whether there was one.
fn unsubscribe(bank: &mut Bank, conn: u64, p: &Params, kind: &str) -> Reply {
    let id = p.u64(0, "subscription id")?;
    Ok((json!(bank.subs.remove(conn, id, Some(kind))), Vec::new()))
}

fn signature_subscribe(bank: &mut Bank, conn: u64, p: &Params) -> Reply {
    let signature = p.signature(0, "signature")?;
    let received = p.config(1)?.bool("enableReceivedNotification")?.unwrap_or(false);
    if let Some(record) = bank.net.transaction(&signature) {
        // Already processed: answer with an id and notify at once; nothing to keep.
        let id = bank.subs.allocate_id();
        let err = encode::opt_tx_error(record.err.as_ref());
        return Ok((json!(id), signature_notifications(id, record.slot, received, err)));
    }
    subscribe(bank, conn, Kind::Signature { signature, received })
}

fn logs_subscribe(bank: &mut Bank, conn: u64, p: &Params) -> Reply {
    let filter = match p.required(0, "filter")? {
        Value::String(s) if s == "all" || s == "allWithVotes" => LogsFilter::All,
        Value::Object(obj) => {
            let mentions = obj.get("mentions").and_then(Value::as_array).ok_or_else(|| {
                RpcError::invalid_params(
                    "expected \"all\", \"allWithVotes\" or {\"mentions\": [address]}",
                )
            })?;
            if mentions.len() != 1 {
                return Err(RpcError::invalid_params("Invalid Request: Only 1 address supported"));
            }
            LogsFilter::Mentions(parse_pubkey(mentions[0].as_str().unwrap_or(""), "mentions")?)
        }
        _ => {
            return Err(RpcError::invalid_params(
                "expected \"all\", \"allWithVotes\" or {\"mentions\": [address]}",
            ))
        }
    };
    p.config(1)?;
    subscribe(bank, conn, Kind::Logs(filter))
}

fn account_subscribe(bank: &mut Bank, conn: u64, p: &Params) -> Reply {
    let pubkey = p.pubkey(0, "address")?;
    let config = p.config(1)?;
    let encoding = AccountEncoding::from_config(&config, AccountEncoding::Binary)?;
    let slice = DataSlice::from_config(&config)?;
    subscribe(bank, conn, Kind::Account { pubkey, encoding, slice })
}

fn program_subscribe(bank: &mut Bank, conn: u64, p: &Params) -> Reply {
    let program = p.pubkey(0, "program id")?;
    let config = p.config(1)?;
    let encoding = AccountEncoding::from_config(&config, AccountEncoding::Binary)?;
    let slice = DataSlice::from_config(&config)?;
    let filters = Filter::parse_list(&config)?;
    subscribe(bank, conn, Kind::Program { program, encoding, slice, filters })
}
