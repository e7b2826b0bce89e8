//! The PubSub methods, run on the bank thread: one table of name → handler.

use serde_json::{json, Value};

use super::bank::Bank;
use super::block_update::BlockSubscription;
use super::encode;
use super::jsonrpc::{find_method, method_names, RpcError, RpcResult};
use super::params::{AccountEncoding, DataSlice, Filter, Params};
use super::subscriptions::publish::{received_notification, signature_notification};
use super::subscriptions::{Commitment, Kind, LogsFilter};

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
    ("slotSubscribe", |b, conn, _| subscribe(b, conn, Kind::Slot, Commitment::Processed)),
    ("slotUnsubscribe", |b, conn, p| unsubscribe(b, conn, p, "slot")),
    ("slotsUpdatesSubscribe", |b, conn, _| {
        subscribe(b, conn, Kind::SlotsUpdates, Commitment::Processed)
    }),
    ("slotsUpdatesUnsubscribe", |b, conn, p| unsubscribe(b, conn, p, "slotsUpdates")),
    ("rootSubscribe", |b, conn, _| subscribe(b, conn, Kind::Root, Commitment::Finalized)),
    ("rootUnsubscribe", |b, conn, p| unsubscribe(b, conn, p, "root")),
    ("blockSubscribe", block_subscribe),
    ("blockUnsubscribe", |b, conn, p| {
        block_enabled(b)?;
        unsubscribe(b, conn, p, "block")
    }),
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

fn subscribe(bank: &mut Bank, conn: u64, kind: Kind, commitment: Commitment) -> Reply {
    Ok((json!(bank.subs.insert(conn, kind, commitment)?), Vec::new()))
}

/// `*Unsubscribe`: removes subscription `[id]` of `kind`: `true`, or agave's -32602
/// `Invalid subscription id.` when this connection has none such.
fn unsubscribe(bank: &mut Bank, conn: u64, p: &Params, kind: &str) -> Reply {
    let id = p.u64(0, "subscription id")?;
    if !bank.subs.remove(conn, id, Some(kind)) {
        return Err(RpcError::new(-32602, "Invalid subscription id."));
    }
    Ok((json!(true), Vec::new()))
}

fn signature_subscribe(bank: &mut Bank, conn: u64, p: &Params) -> Reply {
    let signature = p
        .str(0, "signature")?
        .parse()
        .map_err(|_| RpcError::params("Invalid Request: Invalid signature provided"))?;
    let config = p.config(1)?;
    let received = config.bool("enableReceivedNotification")?.unwrap_or(false);
    let commitment = Commitment::from_config(&config)?;
    if let Some(record) = bank.net.transaction(&signature) {
        // Already executed: answer with an id and notify at once; nothing to keep. (agave only
        // notifies a signature it sees in a bank after the subscription; here the notification
        // also comes before web3.js's status poll, which rejects with a bare error object when
        // it sees a failed transaction first.)
        let (id, slot) = (bank.subs.allocate_id(), record.slot);
        let err = encode::opt_tx_error(record.err.as_ref());
        let mut out = Vec::new();
        if received {
            out.push(received_notification(id, slot));
        }
        out.push(signature_notification(id, slot, err));
        return Ok((json!(id), out));
    }
    subscribe(bank, conn, Kind::Signature { signature, received }, commitment)
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
                return Err(RpcError::params("Invalid Request: Only 1 address supported"));
            }
            LogsFilter::Mentions(pubsub_pubkey(mentions[0].as_str().unwrap_or(""))?)
        }
        _ => {
            return Err(RpcError::invalid_params(
                "expected \"all\", \"allWithVotes\" or {\"mentions\": [address]}",
            ))
        }
    };
    let commitment = Commitment::from_config(&p.config(1)?)?;
    subscribe(bank, conn, Kind::Logs(filter), commitment)
}

fn account_subscribe(bank: &mut Bank, conn: u64, p: &Params) -> Reply {
    let pubkey = pubsub_pubkey(p.str(0, "address")?)?;
    let config = p.config(1)?;
    let encoding = AccountEncoding::from_config(&config, AccountEncoding::Binary)?;
    let slice = DataSlice::from_config(&config)?;
    let commitment = Commitment::from_config(&config)?;
    subscribe(bank, conn, Kind::Account { pubkey, encoding, slice }, commitment)
}

fn program_subscribe(bank: &mut Bank, conn: u64, p: &Params) -> Reply {
    let program = pubsub_pubkey(p.str(0, "program id")?)?;
    let config = p.config(1)?;
    let encoding = AccountEncoding::from_config(&config, AccountEncoding::Binary)?;
    let slice = DataSlice::from_config(&config)?;
    let filters = Filter::parse_list(&config)?;
    let commitment = Commitment::from_config(&config)?;
    subscribe(bank, conn, Kind::Program { program, encoding, slice, filters }, commitment)
}

/// With `--no-block-subscription`, `blockSubscribe` and `blockUnsubscribe` answer "Method not
/// found", as agave's `rpc_pubsub.rs` does without `--rpc-pubsub-enable-block-subscription`.
fn block_enabled(bank: &Bank) -> RpcResult<()> {
    if bank.block_subscription {
        Ok(())
    } else {
        Err(RpcError::method_not_found())
    }
}

/// `blockSubscribe(filter, config)`: at least `confirmed` (agave's
/// `check_is_at_least_confirmed`); notified as each block closes.
fn block_subscribe(bank: &mut Bank, conn: u64, p: &Params) -> Reply {
    block_enabled(bank)?;
    let config = p.config(1)?;
    let commitment = Commitment::from_config(&config)?;
    if commitment == Commitment::Processed {
        return Err(RpcError::new(-32602, "Method does not support commitment below `confirmed`"));
    }
    let params = BlockSubscription::parse(p.required(0, "filter")?, &config)?;
    subscribe(bank, conn, Kind::Block(params), commitment)
}

/// An address parameter as agave's PubSub parses it (`rpc_pubsub.rs`, `param::<Pubkey>`).
fn pubsub_pubkey(s: &str) -> RpcResult<solana_pubkey::Pubkey> {
    s.parse().map_err(|_| RpcError::params("Invalid Request: Invalid pubkey provided"))
}
