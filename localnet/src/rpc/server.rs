//! The server's life: binding the two ports, starting the bank, HTTP and WebSocket threads,
//! and stopping them.

use std::{
    io,
    net::{TcpListener, TcpStream},
    sync::{
        atomic::{AtomicBool, Ordering},
        Arc,
    },
    thread::JoinHandle,
    time::Duration,
};

use super::{bank, http, ws};
use crate::Localnet;

/// How to run the server.
#[derive(Clone, Debug)]
pub struct ServerConfig {
    /// JSON-RPC port; PubSub listens on `port + 1`. 0 picks a free pair.
    pub port: u16,
    /// Unused: each HTTP connection has its own thread (kept so that existing configs build).
    pub http_threads: usize,
    /// Log every request (method and duration) to stderr.
    pub verbose: bool,
    /// Serve the cheatcodes (`surfnet_timeTravel`, `surfnet_setAccount`,
    /// `surfnet_setTokenAccount`, `crucible_warp`). `false` answers them "Method not found", as
    /// solana-test-validator does: a rehearsal of the suites that skip without time travel.
    pub cheatcodes: bool,
    /// Serve `blockSubscribe` and `blockUnsubscribe`, as solana-test-validator does with
    /// `--rpc-pubsub-enable-block-subscription`. `false` answers them "Method not found", as it
    /// does without.
    pub block_subscription: bool,
}

impl Default for ServerConfig {
    fn default() -> Self {
        Self {
            port: 8899,
            http_threads: 8,
            verbose: false,
            cheatcodes: true,
            block_subscription: true,
        }
    }
}

/// A server that is up: both ports listen and the chain is built.
pub struct RunningServer {
    /// `http://127.0.0.1:<rpc_port>`
    pub http_url: String,
    /// `ws://127.0.0.1:<ws_port>`
    pub ws_url: String,
    pub rpc_port: u16,
    pub ws_port: u16,
    inner: Option<Inner>,
}

struct Inner {
    stop: Arc<AtomicBool>,
    http_thread: JoinHandle<()>,
    ws_thread: JoinHandle<()>,
    bank_thread: JoinHandle<()>,
    bank: bank::BankHandle,
}

/// Serves the chain built by `build` (run on the bank thread) on `127.0.0.1:port` (JSON-RPC) and
/// `127.0.0.1:port+1` (PubSub). `port` 0 picks a free pair.
pub fn serve<F>(build: F, port: u16) -> io::Result<RunningServer>
where
    F: FnOnce() -> Localnet + Send + 'static,
{
    serve_with_config(build, ServerConfig { port, ..ServerConfig::default() })
}

/// [`serve`] with every setting.
pub fn serve_with_config<F>(build: F, config: ServerConfig) -> io::Result<RunningServer>
where
    F: FnOnce() -> Localnet + Send + 'static,
{
    let (rpc_listener, ws_listener) = bind_pair(config.port)?;
    let rpc_port = rpc_listener.local_addr()?.port();
    let ws_port = ws_listener.local_addr()?.port();

    let (bank, bank_thread) = bank::start(Box::new(build), config.cheatcodes)?;
    let block_subscription = config.block_subscription;
    bank.call(move |b| {
        b.ports = Some((rpc_port, ws_port));
        b.block_subscription = block_subscription;
    });
    let stop = Arc::new(AtomicBool::new(false));

    let http_thread = {
        let (bank, stop) = (bank.clone(), stop.clone());
        let verbose = config.verbose;
        std::thread::Builder::new()
            .name("rpc-http-accept".into())
            .spawn(move || http::accept_loop(rpc_listener, bank, stop, verbose))?
    };
    let ws_thread = {
        let (bank, stop) = (bank.clone(), stop.clone());
        std::thread::Builder::new()
            .name("rpc-pubsub".into())
            .spawn(move || ws::accept_loop(ws_listener, bank, stop))?
    };
    Ok(RunningServer {
        http_url: format!("http://127.0.0.1:{rpc_port}"),
        ws_url: format!("ws://127.0.0.1:{ws_port}"),
        rpc_port,
        ws_port,
        inner: Some(Inner { stop, http_thread, ws_thread, bank_thread, bank }),
    })
}

impl RunningServer {
    /// Runs `f` on the bank thread with the chain and returns its result (`None` if the server
    /// is stopped or `f` panicked). Transactions sent this way publish no notifications.
    pub fn with_localnet<R, F>(&self, f: F) -> Option<R>
    where
        R: Send + 'static,
        F: FnOnce(&mut Localnet) -> R + Send + 'static,
    {
        self.inner.as_ref()?.bank.call(move |bank| f(&mut bank.net))
    }

    /// Blocks as long as the server runs: in practice until the process ends (the binary's
    /// main thread parks here).
    pub fn wait(mut self) {
        if let Some(inner) = self.inner.take() {
            let _ = inner.http_thread.join();
        }
    }

    /// Stops accepting, closes the WebSocket connections and ends every thread.
    pub fn shutdown(mut self) {
        self.stop();
    }

    fn stop(&mut self) {
        let Some(inner) = self.inner.take() else { return };
        inner.stop.store(true, Ordering::SeqCst);
        // Wake both accept loops.
        for port in [self.rpc_port, self.ws_port] {
            let _ =
                TcpStream::connect_timeout(&([127, 0, 0, 1], port).into(), Duration::from_secs(1));
        }
        let _ = inner.http_thread.join();
        let _ = inner.ws_thread.join();
        drop(inner.bank);
        // The bank thread ends once every connection thread has dropped its handle.
        let _ = inner.bank_thread.join();
    }
}

impl Drop for RunningServer {
    fn drop(&mut self) {
        self.stop();
    }
}

fn bind_pair(port: u16) -> io::Result<(TcpListener, TcpListener)> {
    if port == 0 {
        for _ in 0..64 {
            let rpc = TcpListener::bind(("127.0.0.1", 0))?;
            let p = rpc.local_addr()?.port();
            let Some(ws_port) = p.checked_add(1) else { continue };
            if let Ok(ws) = TcpListener::bind(("127.0.0.1", ws_port)) {
                return Ok((rpc, ws));
            }
        }
        return Err(io::Error::new(
            io::ErrorKind::AddrInUse,
            "found no free pair of ports (rpc, rpc+1) on 127.0.0.1",
        ));
    }
    let ws_port = port.checked_add(1).ok_or_else(|| {
        io::Error::new(
            io::ErrorKind::InvalidInput,
            "port 65535 leaves no port for PubSub (port + 1)",
        )
    })?;
    let rpc = TcpListener::bind(("127.0.0.1", port)).map_err(|e| {
        io::Error::new(e.kind(), format!("cannot listen on 127.0.0.1:{port} for JSON-RPC: {e}"))
    })?;
    let ws = TcpListener::bind(("127.0.0.1", ws_port)).map_err(|e| {
        io::Error::new(
            e.kind(),
            format!("cannot listen on 127.0.0.1:{ws_port} for PubSub (JSON-RPC port + 1): {e}"),
        )
    })?;
    Ok((rpc, ws))
}
