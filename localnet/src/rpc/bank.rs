//! The bank thread: it owns the chain and the PubSub registry, runs the jobs sent to it, and
//! closes a block every 400 ms.

use std::{
    io,
    panic::{catch_unwind, AssertUnwindSafe},
    sync::mpsc,
    thread::JoinHandle,
    time::{Duration, Instant},
};

/// How often the server closes a block (mainnet's slot time).
const SLOT: Duration = Duration::from_millis(crate::MS_PER_SLOT);

use super::subscriptions::publish::{publish_slot, resume};
use super::subscriptions::Registry;
use crate::Localnet;

/// What the bank thread owns.
pub(crate) struct Bank {
    pub net: Localnet,
    pub subs: Registry,
    /// JSON-RPC calls handled (HTTP and PubSub).
    pub requests: u64,
    /// Whether the cheatcodes are served (see [`super::methods::CHEATCODES`]).
    pub cheatcodes: bool,
    /// Whether `blockSubscribe` is served (`--rpc-pubsub-enable-block-subscription`).
    pub block_subscription: bool,
    /// The JSON-RPC and PubSub ports served (`getClusterNodes`); set once the server is up.
    pub ports: Option<(u16, u16)>,
}

/// A job runs on the bank and returns its answer, sent once the chain is committed.
type Job = Box<dyn FnOnce(&mut Bank) -> Reply + Send>;
type Reply = Box<dyn FnOnce() + Send>;

/// How many jobs already waiting run before one commit (group commit: one fsync answers them
/// all).
const MAX_BATCH: usize = 64;

/// A way to run closures on the bank thread.
#[derive(Clone)]
pub(crate) struct BankHandle(mpsc::Sender<Job>);

impl BankHandle {
    /// Runs `f` on the bank thread and waits for its result; `None` if the bank is gone or `f`
    /// panicked (the panic is caught there and the bank keeps serving).
    pub fn call<R, F>(&self, f: F) -> Option<R>
    where
        R: Send + 'static,
        F: FnOnce(&mut Bank) -> R + Send + 'static,
    {
        let (tx, rx) = mpsc::sync_channel(1);
        let job: Job = Box::new(move |bank| {
            let result = f(bank);
            Box::new(move || {
                let _ = tx.send(result);
            })
        });
        self.0.send(job).ok()?;
        rx.recv().ok()
    }
}

/// Starts the bank thread, builds the chain there and waits until it is ready.
pub(crate) fn start(
    build: Box<dyn FnOnce() -> Localnet + Send>,
    cheatcodes: bool,
) -> io::Result<(BankHandle, JoinHandle<()>)> {
    let (tx, rx) = mpsc::channel::<Job>();
    let (ready_tx, ready_rx) = mpsc::channel::<Result<(), String>>();
    let thread = std::thread::Builder::new().name("rpc-bank".into()).spawn(move || {
        let net = match catch_unwind(AssertUnwindSafe(build)) {
            Ok(net) => net,
            Err(panic) => {
                let _ = ready_tx.send(Err(panic_message(&panic)));
                return;
            }
        };
        let mut bank = Bank {
            net,
            subs: Registry::default(),
            requests: 0,
            cheatcodes,
            block_subscription: false,
            ports: None,
        };
        // Blocks follow the wall clock, as on a cluster (see `Localnet::set_block_per_transaction`).
        bank.net.set_block_per_transaction(false);
        resume(&bank.net, &mut bank.subs);
        let _ = ready_tx.send(Ok(()));
        let mut next_block = Instant::now() + SLOT;
        loop {
            match rx.recv_timeout(next_block.saturating_duration_since(Instant::now())) {
                // A panic drops the job's reply sender, so the caller sees `None`.
                Ok(job) => {
                    // Notifications and answers wait for the commit: with `--ledger`, what a
                    // client is told is confirmed is on disk and survives a crash. The jobs
                    // already waiting run first and share the commit.
                    bank.subs.hold();
                    let mut replies = Vec::new();
                    let mut next = Some(job);
                    while let Some(job) = next.take() {
                        if let Ok(reply) = catch_unwind(AssertUnwindSafe(|| job(&mut bank))) {
                            replies.push(reply);
                        }
                        if replies.len() < MAX_BATCH {
                            next = rx.try_recv().ok();
                        }
                    }
                    // A failed write answers nothing (the callers see an error); the changes
                    // stay pending for the next commit.
                    if commit(&mut bank) {
                        bank.subs.release();
                        replies.into_iter().for_each(|reply| reply());
                    }
                }
                Err(mpsc::RecvTimeoutError::Timeout) => {}
                Err(mpsc::RecvTimeoutError::Disconnected) => break,
            }
            if Instant::now() >= next_block {
                let parent = bank.net.slot();
                bank.subs.hold();
                bank.net.produce_block();
                publish_slot(&bank.net, &mut bank.subs, parent, bank.net.slot());
                if commit(&mut bank) {
                    bank.subs.release();
                }
                next_block = Instant::now() + SLOT;
            }
        }
    })?;
    match ready_rx.recv() {
        Ok(Ok(())) => Ok((BankHandle(tx), thread)),
        Ok(Err(message)) => {
            let _ = thread.join();
            Err(io::Error::other(format!("building the chain failed: {message}")))
        }
        Err(_) => {
            let _ = thread.join();
            Err(io::Error::other("building the chain failed"))
        }
    }
}

/// Commits the chain to its ledger, if it has one; a failure is said on stderr (and retried
/// with the next commit).
fn commit(bank: &mut Bank) -> bool {
    match catch_unwind(AssertUnwindSafe(|| bank.net.commit())) {
        Ok(Ok(())) => true,
        Ok(Err(e)) => {
            eprintln!("crucible-localnet: {e}");
            false
        }
        Err(panic) => {
            eprintln!("crucible-localnet: writing the ledger failed: {}", panic_message(&panic));
            false
        }
    }
}

pub(crate) fn panic_message(panic: &Box<dyn std::any::Any + Send>) -> String {
    if let Some(s) = panic.downcast_ref::<&str>() {
        (*s).to_string()
    } else if let Some(s) = panic.downcast_ref::<String>() {
        s.clone()
    } else {
        "panic".to_string()
    }
}
