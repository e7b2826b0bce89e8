//! `crucible-localnet`: the Crucible programs in a local chain, served over Solana JSON-RPC
//! (`--port`, default 8899) and PubSub (`--port` + 1).

use std::{
    io::Write,
    path::{Path, PathBuf},
    process::ExitCode,
    str::FromStr,
};

use crucible_localnet::{
    keypair_pubkey, programs, read_keypair_file,
    rpc::{serve_with_config, ServerConfig},
    Localnet, OpenLedger, Options, Pubkey,
};

/// What `--fund` gives each account: 1,000 SOL.
const FUND_LAMPORTS: u64 = 1_000 * 1_000_000_000;

const USAGE: &str = "\
usage: crucible-localnet [--port <u16>] [--fund <pubkey | keypair file>]... [--quiet] [--verbose]
                         [--no-cheatcodes] [--no-block-subscription] [--ledger <dir>] [--reset]

  --port <u16>    JSON-RPC port (default 8899; 0 picks a free pair); PubSub listens on port + 1
  --fund <who>    give 1,000 SOL to a base58 address or to the public key of a keypair file
                  (repeatable). Without --fund: the ANCHOR_WALLET keypair if set, else
                  ~/.config/solana/id.json if it exists. ANCHOR_WALLET is funded in any case.
  --quiet         print nothing but the ready line
  --verbose       log every JSON-RPC call to stderr
  --no-cheatcodes answer surfnet_timeTravel, surfnet_setAccount, surfnet_setTokenAccount and
                  crucible_warp with -32601 Method not found, as solana-test-validator does
                  (the suites that need time travel then skip, as under `anchor test`)
  --ledger <dir>  keep the chain (accounts, history, blocks) in <dir>/ledger.redb: a restart
                  on the same <dir> resumes where the chain was, and every transaction
                  answered confirmed is there after a crash. Without it the chain lives in
                  memory only. --fund funds only a new ledger (the accounts already hold it)
  --reset         with --ledger: delete the ledger in <dir> and start a new chain
  --no-block-subscription
                  answer blockSubscribe and blockUnsubscribe with -32601 Method not found, as
                  solana-test-validator does without --rpc-pubsub-enable-block-subscription
                  (that flag is accepted, and changes nothing: they are served by default)
  --help          this text

Prints one line when ready:
  crucible-localnet ready rpc=http://127.0.0.1:<port> ws=ws://127.0.0.1:<port+1> programs=<name>:<id>,...";

struct Args {
    port: u16,
    fund: Vec<String>,
    quiet: bool,
    verbose: bool,
    cheatcodes: bool,
    ledger: Option<PathBuf>,
    reset: bool,
    block_subscription: bool,
}

fn parse_args(mut args: impl Iterator<Item = String>) -> Result<Option<Args>, String> {
    let mut out = Args {
        port: 8899,
        fund: Vec::new(),
        quiet: false,
        verbose: false,
        cheatcodes: true,
        ledger: None,
        reset: false,
        block_subscription: true,
    };
    while let Some(arg) = args.next() {
        let (flag, inline) = match arg.split_once('=') {
            Some((f, v)) if f.starts_with("--") => (f.to_string(), Some(v.to_string())),
            _ => (arg.clone(), None),
        };
        let mut value = |name: &str| -> Result<String, String> {
            inline.clone().or_else(|| args.next()).ok_or_else(|| format!("{name} needs a value"))
        };
        match flag.as_str() {
            "--help" | "-h" => return Ok(None),
            "--port" | "-p" => {
                let v = value("--port")?;
                out.port =
                    v.parse().map_err(|_| format!("--port {v}: not a port number (0-65534)"))?;
                if out.port == u16::MAX {
                    return Err("--port 65535: PubSub needs port + 1".into());
                }
            }
            "--fund" => out.fund.push(value("--fund")?),
            "--quiet" | "-q" if inline.is_none() => out.quiet = true,
            "--verbose" | "-v" if inline.is_none() => out.verbose = true,
            "--no-cheatcodes" if inline.is_none() => out.cheatcodes = false,
            "--ledger" => out.ledger = Some(expand_home(&value("--ledger")?)),
            "--reset" if inline.is_none() => out.reset = true,
            "--no-block-subscription" if inline.is_none() => out.block_subscription = false,
            "--rpc-pubsub-enable-block-subscription" if inline.is_none() => {
                out.block_subscription = true
            }
            _ => return Err(format!("unknown argument {arg:?}")),
        }
    }
    if out.reset && out.ledger.is_none() {
        return Err("--reset needs --ledger <dir>".into());
    }
    Ok(Some(out))
}

/// A `--fund` value: a keypair file if one exists at that path, else a base58 address.
fn resolve_fund(who: &str) -> Result<Pubkey, String> {
    let path = expand_home(who);
    if path.is_file() {
        return read_keypair_file(&path).map(|kp| keypair_pubkey(&kp));
    }
    Pubkey::from_str(who)
        .map_err(|_| format!("--fund {who}: neither a keypair file nor a base58 address"))
}

fn expand_home(path: &str) -> PathBuf {
    match (path.strip_prefix("~/"), std::env::var_os("HOME")) {
        (Some(rest), Some(home)) => Path::new(&home).join(rest),
        _ => PathBuf::from(path),
    }
}

fn accounts_to_fund(args: &Args) -> Result<Vec<(String, Pubkey)>, String> {
    let mut out = Vec::new();
    for who in &args.fund {
        out.push((who.clone(), resolve_fund(who)?));
    }
    if let Some(wallet) = std::env::var_os("ANCHOR_WALLET").filter(|w| !w.is_empty()) {
        let path = expand_home(&wallet.to_string_lossy());
        let kp = read_keypair_file(&path).map_err(|e| format!("ANCHOR_WALLET: {e}"))?;
        out.push((path.display().to_string(), keypair_pubkey(&kp)));
    } else if args.fund.is_empty() {
        let default = expand_home("~/.config/solana/id.json");
        if default.is_file() {
            let kp = read_keypair_file(&default)?;
            out.push((default.display().to_string(), keypair_pubkey(&kp)));
        }
    }
    out.sort_by_key(|(_, k)| *k);
    out.dedup_by_key(|(_, k)| *k);
    Ok(out)
}

fn main() -> ExitCode {
    let args = match parse_args(std::env::args().skip(1)) {
        Ok(Some(args)) => args,
        Ok(None) => {
            println!("{USAGE}");
            return ExitCode::SUCCESS;
        }
        Err(e) => {
            let first = USAGE.lines().next().unwrap_or_default();
            eprintln!("crucible-localnet: {e}\n{first}\n(--help for details)");
            return ExitCode::from(2);
        }
    };
    let fund = match accounts_to_fund(&args) {
        Ok(fund) => fund,
        Err(e) => {
            eprintln!("crucible-localnet: {e}");
            return ExitCode::from(2);
        }
    };
    // The ledger is opened here, so that an unreadable one is a clear error before anything
    // starts; the chain is built from it on the bank thread.
    let ledger = match args.ledger.as_deref().map(|dir| OpenLedger::open(dir, args.reset)) {
        None => None,
        Some(Ok(ledger)) => Some(ledger),
        Some(Err(e)) => {
            eprintln!("crucible-localnet: {e}");
            return ExitCode::from(1);
        }
    };
    let resumed = ledger.as_ref().is_some_and(OpenLedger::holds_chain);
    if let (Some(ledger), false) = (&ledger, args.quiet) {
        let what = if resumed { "resuming the chain in" } else { "a new chain in" };
        eprintln!("crucible-localnet: {what} {}", ledger.path().display());
    }
    // A resumed chain is not funded again: its accounts hold what they held.
    let to_fund: Vec<Pubkey> =
        if resumed { Vec::new() } else { fund.iter().map(|(_, k)| *k).collect() };
    let build = move || {
        let mut net = match ledger {
            None => Localnet::new(),
            Some(ledger) => {
                Localnet::with_ledger(ledger, Options::default()).unwrap_or_else(|e| panic!("{e}"))
            }
        };
        for key in &to_fund {
            net.airdrop(key, FUND_LAMPORTS).expect("funding from the faucet");
        }
        net.commit().unwrap_or_else(|e| panic!("{e}"));
        net
    };
    let config = ServerConfig {
        port: args.port,
        verbose: args.verbose,
        cheatcodes: args.cheatcodes,
        block_subscription: args.block_subscription,
        ..ServerConfig::default()
    };
    let server = match serve_with_config(build, config) {
        Ok(server) => server,
        Err(e) => {
            eprintln!("crucible-localnet: {e}");
            return ExitCode::from(1);
        }
    };
    if !args.quiet && !resumed {
        for (source, key) in &fund {
            eprintln!("crucible-localnet: funded {key} ({source}) with 1000 SOL");
        }
    }
    let programs: Vec<String> =
        programs().into_iter().map(|(name, id)| format!("{name}:{id}")).collect();
    let mut stdout = std::io::stdout().lock();
    let _ = writeln!(
        stdout,
        "crucible-localnet ready rpc={} ws={} programs={}",
        server.http_url,
        server.ws_url,
        programs.join(",")
    );
    let _ = stdout.flush();
    drop(stdout);
    server.wait();
    ExitCode::SUCCESS
}
