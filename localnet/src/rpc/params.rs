//! The parsing of parameters: positional lists, configuration objects, keys, signatures,
//! encodings, `dataSlice` and account filters.

use std::str::FromStr;

use serde_json::{Map, Value};
use solana_hash::Hash;
use solana_pubkey::Pubkey;
use solana_signature::Signature;

use super::jsonrpc::{RpcError, RpcResult};
use super::token;

/// The positional parameters of a call.
pub struct Params<'a> {
    list: &'a [Value],
}

impl<'a> Params<'a> {
    pub fn new(params: &'a Value) -> RpcResult<Self> {
        match params {
            Value::Null => Ok(Self { list: &[] }),
            Value::Array(list) => Ok(Self { list }),
            _ => Err(RpcError::invalid_params("parameters must be an array")),
        }
    }

    pub fn len(&self) -> usize {
        self.list.len()
    }

    /// The parameter at `i`, `None` if absent or null.
    pub fn get(&self, i: usize) -> Option<&'a Value> {
        self.list.get(i).filter(|v| !v.is_null())
    }

    pub fn required(&self, i: usize, what: &str) -> RpcResult<&'a Value> {
        self.get(i)
            .ok_or_else(|| RpcError::invalid_params(format!("missing parameter {}: {what}", i + 1)))
    }

    pub fn str(&self, i: usize, what: &str) -> RpcResult<&'a str> {
        self.required(i, what)?
            .as_str()
            .ok_or_else(|| RpcError::invalid_params(format!("{what} must be a string")))
    }

    pub fn pubkey(&self, i: usize, what: &str) -> RpcResult<Pubkey> {
        parse_pubkey(self.str(i, what)?, what)
    }

    pub fn signature(&self, i: usize, what: &str) -> RpcResult<Signature> {
        parse_signature(self.str(i, what)?)
    }

    pub fn u64(&self, i: usize, what: &str) -> RpcResult<u64> {
        as_u64(self.required(i, what)?, what)
    }

    pub fn array(&self, i: usize, what: &str) -> RpcResult<&'a [Value]> {
        self.required(i, what)?
            .as_array()
            .map(|a| a.as_slice())
            .ok_or_else(|| RpcError::invalid_params(format!("{what} must be an array")))
    }

    /// The configuration object at `i` (absent or null: empty).
    pub fn config(&self, i: usize) -> RpcResult<Config<'a>> {
        match self.get(i) {
            None => Ok(Config(None)),
            Some(Value::Object(map)) => Ok(Config(Some(map))),
            Some(_) => Err(RpcError::invalid_params(format!(
                "parameter {} must be a configuration object",
                i + 1
            ))),
        }
    }
}

/// A configuration object (`{"encoding": ..., "commitment": ...}`).
#[derive(Clone, Copy)]
pub struct Config<'a>(pub Option<&'a Map<String, Value>>);

impl<'a> Config<'a> {
    pub fn get(&self, key: &str) -> Option<&'a Value> {
        self.0.and_then(|m| m.get(key)).filter(|v| !v.is_null())
    }

    pub fn bool(&self, key: &str) -> RpcResult<Option<bool>> {
        self.get(key)
            .map(|v| {
                v.as_bool()
                    .ok_or_else(|| RpcError::invalid_params(format!("`{key}` must be a boolean")))
            })
            .transpose()
    }

    pub fn u64(&self, key: &str) -> RpcResult<Option<u64>> {
        self.get(key).map(|v| as_u64(v, &format!("`{key}`"))).transpose()
    }

    pub fn str(&self, key: &str) -> RpcResult<Option<&'a str>> {
        self.get(key)
            .map(|v| {
                v.as_str()
                    .ok_or_else(|| RpcError::invalid_params(format!("`{key}` must be a string")))
            })
            .transpose()
    }

    pub fn object(&self, key: &str) -> RpcResult<Config<'a>> {
        match self.get(key) {
            None => Ok(Config(None)),
            Some(Value::Object(map)) => Ok(Config(Some(map))),
            Some(_) => Err(RpcError::invalid_params(format!("`{key}` must be an object"))),
        }
    }
}

/// A list's string item: one of another type is refused as jsonrpc-core refuses a parameter
/// that does not parse ("Invalid params: ...").
pub fn item_str<'v>(v: &'v Value, what: &str) -> RpcResult<&'v str> {
    v.as_str().ok_or_else(|| RpcError::invalid_params(format!("{what} must be strings")))
}

pub fn as_u64(v: &Value, what: &str) -> RpcResult<u64> {
    v.as_u64()
        .ok_or_else(|| RpcError::invalid_params(format!("{what} must be a non-negative integer")))
}

/// A base58 address, refused as agave's `verify_pubkey` refuses it: `Invalid param: WrongSize`
/// or `Invalid param: Invalid` (the parse error's `Debug`; a string longer than an address is
/// `WrongSize` before it is decoded). `_what` names it for the callers' reading only.
pub fn parse_pubkey(s: &str, _what: &str) -> RpcResult<Pubkey> {
    Pubkey::from_str(s).map_err(|e| RpcError::params(format!("Invalid param: {e:?}")))
}

/// A base58 address of a cheatcode, refused as surfpool's `verify_pubkey` refuses it:
/// `Invalid pubkey '<input>'`, the parse error in `data`.
pub fn parse_surfnet_pubkey(s: &str) -> RpcResult<Pubkey> {
    Pubkey::from_str(s).map_err(|e| {
        RpcError::params(format!("Invalid pubkey '{s}'")).with_data(Value::String(e.to_string()))
    })
}

/// A base58 signature, refused as agave's `verify_signature` refuses it.
pub fn parse_signature(s: &str) -> RpcResult<Signature> {
    Signature::from_str(s).map_err(|e| RpcError::params(format!("Invalid param: {e:?}")))
}

/// A base58 hash, refused as agave's `isBlockhashValid` refuses it (the error's `Debug` alone).
pub fn parse_hash(s: &str) -> RpcResult<Hash> {
    Hash::from_str(s).map_err(|e| RpcError::params(format!("{e:?}")))
}

/// How account data is encoded in answers.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AccountEncoding {
    /// Legacy: a bare base58 string (the default of the real RPC).
    Binary,
    Base58,
    Base64,
    /// zstd-compressed, then base64 (agave's `UiAccountEncoding::Base64Zstd`).
    Base64Zstd,
    /// SPL Token accounts and mints parsed; anything else falls back to base64.
    JsonParsed,
}

impl AccountEncoding {
    pub fn from_config(config: &Config, default: AccountEncoding) -> RpcResult<Self> {
        match config.str("encoding")? {
            None => Ok(default),
            Some("binary") => Ok(Self::Binary),
            Some("base58") => Ok(Self::Base58),
            Some("base64") => Ok(Self::Base64),
            Some("jsonParsed") => Ok(Self::JsonParsed),
            Some("base64+zstd") => Ok(Self::Base64Zstd),
            Some(other) => Err(RpcError::invalid_params(format!(
                "unknown encoding {other:?} (expected binary, base58, base64 or jsonParsed)"
            ))),
        }
    }
}

/// `dataSlice: {offset, length}`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct DataSlice {
    pub offset: usize,
    pub length: usize,
}

impl DataSlice {
    pub fn from_config(config: &Config) -> RpcResult<Option<Self>> {
        let slice = config.object("dataSlice")?;
        if slice.0.is_none() {
            return Ok(None);
        }
        let offset = slice
            .u64("offset")?
            .ok_or_else(|| RpcError::invalid_params("dataSlice needs `offset`"))?;
        let length = slice
            .u64("length")?
            .ok_or_else(|| RpcError::invalid_params("dataSlice needs `length`"))?;
        Ok(Some(Self {
            offset: usize::try_from(offset).unwrap_or(usize::MAX),
            length: usize::try_from(length).unwrap_or(usize::MAX),
        }))
    }

    pub fn apply(slice: Option<Self>, data: &[u8]) -> &[u8] {
        match slice {
            None => data,
            Some(s) => {
                let start = s.offset.min(data.len());
                let end = start.saturating_add(s.length).min(data.len());
                &data[start..end]
            }
        }
    }
}

/// One `getProgramAccounts` / `programSubscribe` filter.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Filter {
    DataSize(u64),
    Memcmp { offset: usize, bytes: Vec<u8> },
    TokenAccountState,
}

impl Filter {
    pub fn parse_list(config: &Config) -> RpcResult<Vec<Filter>> {
        let Some(filters) = config.get("filters") else { return Ok(Vec::new()) };
        let filters = filters
            .as_array()
            .ok_or_else(|| RpcError::invalid_params("`filters` must be an array"))?;
        if filters.len() > 4 {
            return Err(RpcError::params("Too many filters provided; max 4"));
        }
        filters.iter().map(Filter::parse).collect()
    }

    fn parse(v: &Value) -> RpcResult<Filter> {
        let obj =
            v.as_object().ok_or_else(|| RpcError::invalid_params("a filter must be an object"))?;
        if let Some(size) = obj.get("dataSize") {
            return Ok(Filter::DataSize(as_u64(size, "dataSize")?));
        }
        if let Some(memcmp) = obj.get("memcmp") {
            let memcmp = memcmp
                .as_object()
                .ok_or_else(|| RpcError::invalid_params("`memcmp` must be an object"))?;
            let memcmp = Config(Some(memcmp));
            let offset = memcmp
                .u64("offset")?
                .ok_or_else(|| RpcError::invalid_params("memcmp needs `offset`"))?;
            let bytes = memcmp
                .str("bytes")?
                .ok_or_else(|| RpcError::invalid_params("memcmp needs `bytes`"))?;
            let bytes = match memcmp.str("encoding")?.unwrap_or("base58") {
                "base58" => {
                    if bytes.len() > 175 {
                        return Err(RpcError::invalid_params(
                            "memcmp bytes: base58 encoded data too large (max 128 bytes)",
                        ));
                    }
                    bs58::decode(bytes).into_vec().map_err(|e| {
                        RpcError::invalid_params(format!("memcmp bytes: invalid base58: {e}"))
                    })?
                }
                "base64" => decode_base64(bytes)
                    .map_err(|e| RpcError::invalid_params(format!("memcmp bytes: {e}")))?,
                other => {
                    return Err(RpcError::invalid_params(format!(
                        "memcmp: unknown encoding {other:?}"
                    )))
                }
            };
            if bytes.len() > 128 {
                return Err(RpcError::invalid_params(
                    "memcmp bytes: data too large (max 128 bytes)",
                ));
            }
            return Ok(Filter::Memcmp {
                offset: usize::try_from(offset).unwrap_or(usize::MAX),
                bytes,
            });
        }
        if obj.contains_key("tokenAccountState") {
            return Ok(Filter::TokenAccountState);
        }
        Err(RpcError::invalid_params(format!("unknown filter {v}")))
    }

    pub fn matches(&self, owner: &Pubkey, data: &[u8]) -> bool {
        match self {
            Filter::DataSize(n) => data.len() as u64 == *n,
            Filter::Memcmp { offset, bytes } => offset
                .checked_add(bytes.len())
                .and_then(|end| data.get(*offset..end))
                .is_some_and(|window| window == bytes.as_slice()),
            Filter::TokenAccountState => token::token_account(owner, data).is_some(),
        }
    }
}

pub fn decode_base64(s: &str) -> Result<Vec<u8>, String> {
    use base64::Engine;
    base64::engine::general_purpose::STANDARD.decode(s).map_err(|e| format!("invalid base64: {e}"))
}

pub fn encode_base64(bytes: &[u8]) -> String {
    use base64::Engine;
    base64::engine::general_purpose::STANDARD.encode(bytes)
}
