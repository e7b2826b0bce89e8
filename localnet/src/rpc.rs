//! JSON-RPC and PubSub server (see rpc/).
