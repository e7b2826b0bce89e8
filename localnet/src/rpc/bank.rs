//! The bank thread: it owns the chain and the PubSub registry and runs the jobs sent to it.

use std::{
    collections::{HashSet, VecDeque},
    io,
    panic::{catch_unwind, AssertUnwindSafe},
    sync::mpsc,
    thread::JoinHandle,
    time::{Duration, Instant},
};

use solana_hash::Hash;
use solana_signature::Signature;

/// How often the server closes a block (mainnet's slot time).
const SLOT: Duration = Duration::from_millis(crate::MS_PER_SLOT);

use super::pubsub::Registry;
use crate::Localnet;

/// What the bank thread owns.
pub(crate) struct Bank {
    pub net: Localnet,
    pub subs: Registry,
    /// JSON-RPC calls handled (HTTP and PubSub).
    pub requests: u64,
    /// Executed signatures whose blockhash is still accepted (the replay guard).
    pub recent: RecentSignatures,
}

/// The signatures of the transactions executed through the server, kept as long as the
/// blockhash each one names is still accepted.
///
/// `sendTransaction` refuses a duplicate by finding it in the chain's history, but the history
/// keeps only the newest `history_capacity` transactions while a blockhash stays valid for 2
/// minutes however many transactions arrive. Past `history_capacity` transactions in 2 minutes
/// (833 per second at the default 100,000; at once with a small capacity), an evicted
/// transaction could be resent and would execute again: funds moved twice. A real cluster's
/// status cache keeps every signature for as long as its blockhash is valid; this is that
/// cache. Its size is bounded by the transactions of the last ~2 minutes (about 250 bytes
/// each), the same bound as the set of valid blockhashes.
#[derive(Default)]
pub(crate) struct RecentSignatures {
    /// Oldest first, with the blockhash each transaction named.
    order: VecDeque<(Signature, Hash)>,
    set: HashSet<Signature>,
}

impl RecentSignatures {
    pub fn contains(&self, signature: &Signature) -> bool {
        self.set.contains(signature)
    }

    /// Remembers an executed transaction, and forgets those no longer needed.
    pub fn insert(&mut self, net: &Localnet, signature: Signature, blockhash: Hash) {
        if self.set.insert(signature) {
            self.order.push_back((signature, blockhash));
        }
        self.prune(net);
    }

    /// Forgets the oldest signatures whose blockhash is no longer accepted: such a
    /// transaction is refused (`BlockhashNotFound`) whether or not it was seen. (An entry
    /// behind one whose blockhash is still valid waits for it: at most ~2 minutes.)
    pub fn prune(&mut self, net: &Localnet) {
        while let Some(&(signature, blockhash)) = self.order.front() {
            if net.is_blockhash_valid(&blockhash) {
                break;
            }
            self.order.pop_front();
            self.set.remove(&signature);
        }
    }
}

type Job = Box<dyn FnOnce(&mut Bank) + Send>;

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
            let _ = tx.send(f(bank));
        });
        self.0.send(job).ok()?;
        rx.recv().ok()
    }
}

/// Starts the bank thread, builds the chain there and waits until it is ready.
pub(crate) fn start(
    build: Box<dyn FnOnce() -> Localnet + Send>,
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
        let mut bank =
            Bank { net, subs: Registry::default(), requests: 0, recent: Default::default() };
        // Blocks follow the wall clock, as on a cluster (see `Localnet::set_block_per_transaction`).
        bank.net.set_block_per_transaction(false);
        let _ = ready_tx.send(Ok(()));
        let mut next_block = Instant::now() + SLOT;
        loop {
            match rx.recv_timeout(next_block.saturating_duration_since(Instant::now())) {
                // A panic drops the job's reply sender, so the caller sees `None`.
                Ok(job) => {
                    let _ = catch_unwind(AssertUnwindSafe(|| job(&mut bank)));
                }
                Err(mpsc::RecvTimeoutError::Timeout) => {}
                Err(mpsc::RecvTimeoutError::Disconnected) => break,
            }
            if Instant::now() >= next_block {
                let parent = bank.net.slot();
                bank.net.produce_block();
                // Blockhashes expire with blocks: let the replay guard shrink while idle too.
                bank.recent.prune(&bank.net);
                super::pubsub::publish_slot(&mut bank.subs, parent, bank.net.slot());
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

pub(crate) fn panic_message(panic: &Box<dyn std::any::Any + Send>) -> String {
    if let Some(s) = panic.downcast_ref::<&str>() {
        (*s).to_string()
    } else if let Some(s) = panic.downcast_ref::<String>() {
        s.clone()
    } else {
        "panic".to_string()
    }
}
