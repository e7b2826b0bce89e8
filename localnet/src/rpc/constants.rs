//! What this endpoint says it is, and the limits it enforces.

/// The agave version this endpoint imitates (`getVersion`, `context.apiVersion`).
pub const SOLANA_CORE_VERSION: &str = "2.3.13";
/// The `feature-set` that `getVersion` reports.
pub const FEATURE_SET: u32 = 3_640_012_085;
/// Largest HTTP request body accepted.
pub const MAX_BODY_BYTES: usize = 2 << 20;
/// Largest serialized transaction accepted (Solana's packet data size).
pub const PACKET_DATA_SIZE: usize = 1232;
/// Most WebSocket connections served at once.
pub const MAX_WS_CONNECTIONS: usize = 512;
/// Most PubSub subscriptions held at once, over all connections.
pub const MAX_SUBSCRIPTIONS: usize = 100_000;
/// Largest account data (`getMinimumBalanceForRentExemption` and `surfnet_setAccount` refuse
/// more).
pub const MAX_PERMITTED_DATA_LENGTH: u64 = 10 * 1024 * 1024;
