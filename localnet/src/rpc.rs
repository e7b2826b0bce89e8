//! Solana JSON-RPC 2.0 over HTTP and PubSub over WebSocket, serving a [`Localnet`].
//!
//! One "bank" thread owns the [`Localnet`] (LiteSVM is not `Send`, so the chain is built on that
//! thread by the closure given to [`serve`]). HTTP worker threads parse requests and hand each
//! call to the bank thread as a closure over a channel, with a reply channel back. As each block
//! closes the bank thread publishes notifications to the WebSocket connections that subscribed;
//! the subscription registry lives on the bank thread too, so a subscription and the block it
//! waits for can never race. Each WebSocket connection has its own thread,
//! which interleaves reading client messages (with a short read timeout) and writing the
//! notifications queued for it.
//!
//! JSON-RPC on `127.0.0.1:<port>`, PubSub on `127.0.0.1:<port + 1>` (where `@solana/web3.js`
//! looks for it).
//!
//! # Layers
//!
//! Lowest first; a module uses only modules of lower layers (checked in `npm test` by
//! `scripts/rust-module-cycles.ts`), and this file only declares and re-exports:
//!
//! 1. `constants` (version, limits), `jsonrpc` (the envelope, [`RpcError`], method tables),
//!    `token` (SPL Token state decoded from account data);
//! 2. `params`: parameters, encodings, `dataSlice`, filters;
//! 3. `encode` (accounts, errors, amounts as the RPC writes them), then `encode_tx`
//!    (recorded transactions);
//! 4. `block_update` (`blockSubscribe`'s parameters and blocks), then `subscriptions`: the
//!    PubSub registry and the notifications it publishes;
//! 5. `bank`: the thread that owns the chain and the registry;
//! 6. `methods` (the HTTP methods, one table, handlers in `methods/`) and `pubsub` (the PubSub
//!    methods, one table);
//! 7. `http` (HTTP/1.1 server, `http/wire`) and `ws` (WebSocket connections);
//! 8. `server`: [`serve`], [`RunningServer`].

mod bank;
mod block_update;
mod constants;
mod encode;
mod encode_block;
mod encode_tx;
mod http;
mod jsonrpc;
mod methods;
mod params;
mod pubsub;
mod server;
mod subscriptions;
mod token;
mod ws;

pub use constants::{
    FEATURE_SET, MAX_BODY_BYTES, MAX_SUBSCRIPTIONS, MAX_WS_CONNECTIONS, PACKET_DATA_SIZE,
    SOLANA_CORE_VERSION,
};
pub use jsonrpc::RpcError;
pub use methods::METHODS as HTTP_METHODS;
pub use pubsub::METHODS as PUBSUB_METHODS;
pub use server::{serve, serve_with_config, RunningServer, ServerConfig};

#[cfg(doc)]
use crate::Localnet;
