//! Parameters checked as agave 2.3 checks them, with its messages.

use solana_pubkey::Pubkey;

use crate::rpc::jsonrpc::{RpcError, RpcResult};
use crate::rpc::params::Config;

/// -32602 with agave's own message.
pub(crate) fn invalid_params(message: impl Into<String>) -> RpcError {
    RpcError::new(-32602, message)
}

/// A pubkey as agave's `verify_pubkey` parses it: `Invalid param: WrongSize` or `Invalid`.
pub(crate) fn verify_pubkey(s: &str) -> RpcResult<Pubkey> {
    s.parse().map_err(|e| invalid_params(format!("Invalid param: {e:?}")))
}

/// An optional string member of a configuration object that is a pubkey.
pub(crate) fn config_pubkey(config: &Config, key: &str) -> RpcResult<Option<Pubkey>> {
    config.str(key)?.map(verify_pubkey).transpose()
}
