// The `crucible` CLI driven as a subprocess (`node cli/bin/crucible.js ... --json`) against the
// local validator: bootstrap, a provider's and a client's whole flow with the JSON output
// checked against the chain, rewards through the emission crank, the finalize crank over every
// kind of due job, input validation (exit 2, nothing sent) and program errors (one line, named).
import { execFile } from "child_process";
import { mkdtempSync, writeFileSync } from "fs";
import { tmpdir } from "os";
import { join, resolve } from "path";
import { getAssociatedTokenAddressSync } from "@solana/spl-token";
import { ComputeBudgetProgram, Keypair, PublicKey, TransactionInstruction } from "@solana/web3.js";
import { expect } from "chai";

import {
  computeUnitLimit,
  emissions,
  market,
  MarketClient,
  readComputeBudget,
  staking,
  StakingClient,
} from "../sdk/src";
import { fundedKeypair, getProvider } from "./harness/env";
import { requiresCheatcodes, requiresTimeTravel, setAccount, warp } from "./harness/cheatcodes";
import { chainTime, lamportsOf, payerOf } from "./harness/fixtures";

const ROOT = resolve(__dirname, "..");
const BIN = join(ROOT, "cli", "bin", "crucible.js");
const TOKEN = 1_000_000n;
const HOUR = 3_600;
const DAY = 24 * HOUR;

interface Run {
  code: number;
  stdout: string;
  stderr: string;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  json: any;
}

let home: string;

/** Runs the CLI as `keypair` against the test validator; never throws. */
function crucible(keypair: string, ...args: string[]): Promise<Run> {
  const url = getProvider().connection.rpcEndpoint;
  return new Promise((done) => {
    execFile(
      process.execPath,
      [BIN, ...args, "--url", url, "--keypair", keypair],
      // A HOME without a Solana CLI config, so only the flags count.
      { cwd: ROOT, env: { ...process.env, HOME: home }, timeout: 90_000 },
      (err, stdout, stderr) => {
        const code = err ? (typeof err.code === "number" ? err.code : -1) : 0;
        let json: unknown;
        try {
          json = JSON.parse(stdout);
        } catch (_e) {
          json = undefined;
        }
        done({ code, stdout, stderr, json });
      },
    );
  });
}

/** Runs the CLI and expects success; returns the JSON output. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
async function ok(keypair: string, ...args: string[]): Promise<any> {
  const r = await crucible(keypair, ...args, "--json");
  expect(r.code, `crucible ${args.join(" ")}\n${r.stderr}${r.stdout}`).to.equal(0);
  expect(r.json, r.stdout).to.be.an("object");
  expect(r.json.command).to.equal(TWO_WORDS.has(args[0]) ? `${args[0]} ${args[1]}` : args[0]);
  return r.json;
}

/** Commands named by two words (`provider stake`); the others by one (`init`). */
const TWO_WORDS = new Set([
  "provider",
  "jobs",
  "job",
  "market",
  "dispute",
  "vault",
  "crank",
  "fees",
  "work-pool",
]);

/** How many transactions `key` has signed or appeared in. */
async function txCount(key: PublicKey): Promise<number> {
  return (await getProvider().connection.getSignaturesForAddress(key, { limit: 1000 }, "confirmed"))
    .length;
}

function writeKeypair(dir: string, name: string, keypair: Keypair): string {
  const file = join(dir, `${name}.json`);
  writeFileSync(file, JSON.stringify(Array.from(keypair.secretKey)));
  return file;
}

const hash = (byte: number) => Buffer.alloc(32, byte).toString("hex");

describe("cli / a provider and a client through the whole flow", function () {
  this.timeout(180_000);
  const provider = getProvider();
  let dir: string;
  let adminFile: string;
  let providerKey: Keypair;
  let providerFile: string;
  let clientKey: Keypair;
  let clientFile: string;
  let mint: PublicKey;
  const marketId = (
    BigInt(Date.now()) * 1000n +
    BigInt(Math.floor(Math.random() * 1000))
  ).toString();
  const vaultId = (BigInt(Date.now()) * 1000n + 7n).toString();
  let job: string;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), "crucible-cli-"));
    home = join(dir, "home");
    adminFile = process.env.ANCHOR_WALLET!;
    providerKey = await fundedKeypair(provider, 10);
    clientKey = await fundedKeypair(provider, 10);
    providerFile = writeKeypair(dir, "provider", providerKey);
    clientFile = writeKeypair(dir, "client", clientKey);
    // The market config is global: on a validator where it exists already, init reuses its
    // mint (and the pool, treasury) and only adds this market and vault.
    const config = {
      mint: { decimals: 6 },
      staking: { minStake: "1", unbondingSecs: 1_209_600 },
      markets: [{ id: marketId, name: "cli-test" }],
      vaults: [
        {
          id: vaultId,
          initialPerHour: "10",
          decayBps: 102,
          periodHours: 730,
          cap: "1000",
          fundFrom: "mint",
          recipients: [{ to: "stakingRewardVault", shareBps: 10_000 }],
        },
      ],
    };
    const configFile = join(dir, "network.json");
    writeFileSync(configFile, JSON.stringify(config));
    const init = await ok(adminFile, "init", "--config", configFile);
    mint = new PublicKey(init.mint);
    const existing = await new MarketClient(provider).fetchConfig();
    expect(existing!.mint.toBase58()).to.equal(init.mint);
    const byItem = Object.fromEntries(init.items.map((i: { item: string }) => [i.item, i]));
    expect(byItem[`market ${marketId} (cli-test)`].status).to.equal("created");
    expect(byItem[`vault ${vaultId}`].status).to.equal("created");
    expect(payerOf(provider).publicKey.toBase58()).to.equal(init.admin);

    for (const to of [providerFile, clientFile]) {
      const minted = await ok(adminFile, "mint", "--to", to, "--amount", "1000");
      expect(minted.amount).to.equal((1_000n * TOKEN).toString());
    }
  });

  it("stakes as a provider (provider stake)", async () => {
    const out = await ok(providerFile, "provider", "stake", "--amount", "500");
    expect(out.amount).to.equal((500n * TOKEN).toString());
    expect(out.owner).to.equal(providerKey.publicKey.toBase58());
    expect(out.active).to.equal((500n * TOKEN).toString());
    expect(out.stakeAccount).to.equal(
      staking.providerStakePda(staking.poolPda(mint), providerKey.publicKey).toBase58(),
    );
    const s = await new StakingClient(provider).fetchStake(mint, providerKey.publicKey);
    expect(s!.active).to.equal(500n * TOKEN);
    expect(out.signature).to.be.a("string");
  });

  it("posts a job as a client (job create)", async () => {
    const out = await ok(
      clientFile,
      "job",
      "create",
      "--market",
      marketId,
      "--price",
      "20",
      "--duration",
      "1h",
      "--spec",
      hash(7),
    );
    job = out.job;
    expect(out.price).to.equal((20n * TOKEN).toString());
    expect(out.collateral).to.equal((10n * TOKEN).toString());
    expect(out.durationSecs).to.equal("3600");
    expect(out.specHash).to.equal(hash(7));
    expect(out.marketId).to.equal(marketId);
    expect(out.client).to.equal(clientKey.publicKey.toBase58());
    const onChain = await market.fetchJob(provider.connection, new PublicKey(job));
    expect(onChain!.state).to.equal("open");
    expect(onChain!.price).to.equal(20n * TOKEN);
  });

  it("finds it among the open jobs (jobs list --open)", async () => {
    const out = await ok(providerFile, "jobs", "list", "--open", "--market", marketId);
    const found = out.jobs.find((j: { address: string }) => j.address === job);
    expect(found, JSON.stringify(out)).to.not.equal(undefined);
    expect(found.state).to.equal("open");
    expect(found.price).to.equal((20n * TOKEN).toString());
    expect(found.marketId).to.equal(marketId);
    expect(found.provider).to.equal(null);
    expect(out.jobs.every((j: { state: string }) => j.state === "open")).to.equal(true);
    expect(out.count).to.equal(out.jobs.length);
  });

  it("takes it as the provider (job accept), locking the collateral", async () => {
    const out = await ok(providerFile, "job", "accept", job);
    expect(out.job).to.equal(job);
    expect(out.collateral).to.equal((10n * TOKEN).toString());
    expect(BigInt(out.deadline) > 0n).to.equal(true);
    const s = await new StakingClient(provider).fetchStake(mint, providerKey.publicKey);
    expect(s!.locked).to.equal(10n * TOKEN);
    // Four field filters at once (the RPC takes three besides the account type: the CLI checks
    // the fourth itself).
    const listed = await ok(
      clientFile,
      "jobs",
      "list",
      "--market",
      marketId,
      "--client",
      clientKey.publicKey.toBase58(),
      "--provider",
      providerKey.publicKey.toBase58(),
      "--state",
      "running",
    );
    expect(listed.jobs.map((j: { address: string }) => j.address)).to.deep.equal([job]);
    const mine = await ok(providerFile, "jobs", "list", "--mine", "--market", marketId);
    expect(mine.jobs.map((j: { address: string }) => j.address)).to.deep.equal([job]);
  });

  it("submits the result (job submit) and the client sees it (job status)", async () => {
    const out = await ok(providerFile, "job", "submit", job, "--result", hash(9));
    expect(out.resultHash).to.equal(hash(9));
    const status = await ok(clientFile, "job", "status", job);
    expect(status.state).to.equal("submitted");
    expect(status.provider).to.equal(providerKey.publicKey.toBase58());
    expect(status.resultHash).to.equal(hash(9));
    expect(status.disputeDeadline).to.equal(out.disputeDeadline);
  });

  it("completes it (job complete): paid, burned and fee as the settlement mirror says", async () => {
    const out = await ok(clientFile, "job", "complete", job);
    const s = market.settlementSplit(20n * TOKEN, 2_000, 500);
    expect(out.price).to.equal((20n * TOKEN).toString());
    expect(out.paid).to.equal(s.paid.toString());
    expect(out.burned).to.equal(s.burned.toString());
    expect(out.fee).to.equal(s.fee.toString());
    expect(await market.fetchJob(provider.connection, new PublicKey(job))).to.equal(null);
    const gone = await crucible(clientFile, "job", "status", job, "--json");
    expect(gone.code).to.equal(1);
    expect(gone.json.error.name).to.equal("JobNotFound");
  });

  it("shows the provider's stake, counters and balance (provider status)", async () => {
    const out = await ok(providerFile, "provider", "status");
    expect(out.owner).to.equal(providerKey.publicKey.toBase58());
    expect(out.exists).to.equal(true);
    expect(out.active).to.equal((500n * TOKEN).toString());
    expect(out.locked).to.equal("0");
    expect(out.free).to.equal((500n * TOKEN).toString());
    expect(out.jobsCompleted).to.equal("1");
    expect(out.jobsFailed).to.equal("0");
    const paid = market.settlementSplit(20n * TOKEN, 2_000, 500).paid;
    expect(out.walletBalance).to.equal((500n * TOKEN + paid).toString());
    expect(out.decimals).to.equal(6);
    expect(out.jobs).to.deep.equal([]);
  });

  it("activates the stake once it has warmed up (provider activate, crank activate)", async function () {
    await requiresTimeTravel(this);
    const early = await crucible(providerFile, "provider", "activate", "--json");
    expect(early.code).to.equal(1);
    expect(early.json.error.name).to.equal("StillWarming");
    const status = await ok(providerFile, "provider", "status");
    expect(status.warming).to.equal((500n * TOKEN).toString());
    await warp(provider, HOUR);
    // Other suites' providers share this network's pool: ours is among those due.
    const dry = await ok(clientFile, "crank", "activate", "--dry-run");
    const me = providerKey.publicKey.toBase58();
    expect(dry.stakes.map((s: { owner: string }) => s.owner)).to.include(me);
    // Anyone may activate anyone's stake; the vault's due hours are emitted first.
    const out = await ok(clientFile, "provider", "activate", "--owner", me);
    expect(out.amount).to.equal((500n * TOKEN).toString());
    expect(out.weight).to.equal((500n * TOKEN).toString());
    await crucible(clientFile, "crank", "activate", "--json");
    const none = await ok(clientFile, "crank", "activate", "--dry-run");
    expect(none.due).to.equal(0);
  });

  it("claims the rewards an emission paid into the pool (crank emit, provider claim)", async function () {
    await requiresTimeTravel(this);
    await warp(provider, 2 * HOUR);
    const emitted = await ok(adminFile, "crank", "emit", "--vault", vaultId);
    expect(emitted.emitted).to.equal(1);
    expect(emitted.failed).to.equal(0);
    expect(emitted.vaults[0].amount).to.equal((20n * TOKEN).toString());
    const before = await ok(providerFile, "provider", "status");
    expect(BigInt(before.pendingRewards) > 0n).to.equal(true);
    const claimed = await ok(providerFile, "provider", "claim");
    expect(claimed.amount).to.equal(before.pendingRewards);
    const after = await ok(providerFile, "provider", "status");
    expect(after.rewardsClaimed).to.equal(claimed.amount);
    expect(after.pendingRewards).to.equal("0");
    expect(BigInt(after.walletBalance) - BigInt(before.walletBalance)).to.equal(
      BigInt(claimed.amount),
    );
  });

  it("unbonds, cancels, unbonds again and withdraws after the delay (provider unstake, cancel-unstake, withdraw)", async function () {
    await requiresTimeTravel(this);
    const out = await ok(providerFile, "provider", "unstake", "--amount", "100");
    expect(out.unbonding).to.equal((100n * TOKEN).toString());
    expect(out.active).to.equal((400n * TOKEN).toString());
    const back = await ok(providerFile, "provider", "cancel-unstake");
    expect(back.amount).to.equal((100n * TOKEN).toString());
    expect(back.active).to.equal((500n * TOKEN).toString());

    const again = await ok(providerFile, "provider", "unstake", "--amount", "50");
    const early = await crucible(providerFile, "provider", "withdraw", "--json");
    expect(early.code).to.equal(1);
    expect(early.json.error.name).to.equal("UnbondingNotElapsed");
    const status = await ok(providerFile, "provider", "status");
    expect(status.unbonding).to.equal((50n * TOKEN).toString());
    expect(status.unbondingReadyAt).to.equal(again.readyAt);
    await warp(provider, 14 * DAY + 1);
    const before = BigInt((await ok(providerFile, "provider", "status")).walletBalance);
    const withdrawn = await ok(providerFile, "provider", "withdraw");
    expect(withdrawn.amount).to.equal((50n * TOKEN).toString());
    const after = await ok(providerFile, "provider", "status");
    expect(BigInt(after.walletBalance) - before).to.equal(50n * TOKEN);
    expect(after.active).to.equal((450n * TOKEN).toString());
    expect(after.unbonding).to.equal("0");
  });

  it("reports a program error in one line with its name, and sends nothing (InsufficientFreeStake)", async () => {
    const [count, lamports] = [
      await txCount(providerKey.publicKey),
      await lamportsOf(provider, providerKey.publicKey),
    ];
    // More than the provider ever staked (500), whether or not the steps that move the clock ran.
    const r = await crucible(providerFile, "provider", "unstake", "--amount", "501", "--json");
    expect(r.code).to.equal(1);
    expect(r.stderr).to.match(/^error: provider unstake: .+ \(InsufficientFreeStake\)\n$/);
    expect(r.json.error.name).to.equal("InsufficientFreeStake");
    expect(r.json.error.code).to.equal(6003);
    expect(await txCount(providerKey.publicKey)).to.equal(count);
    expect(await lamportsOf(provider, providerKey.publicKey)).to.equal(lamports);
  });

  it("names other program errors too (NothingToClaim, JobNotOpen)", async () => {
    const claim = await crucible(providerFile, "provider", "claim", "--json");
    expect(claim.code).to.equal(1);
    expect(claim.json.error.name).to.equal("NothingToClaim");
    const stranger = await crucible(clientFile, "provider", "claim", "--json");
    expect(stranger.code).to.equal(1);
    expect(stranger.json.error.name).to.equal("NoStakeAccount");
    const posted = await ok(
      clientFile,
      "job",
      "create",
      "--market",
      marketId,
      "--price",
      "1",
      "--duration",
      "30m",
    );
    await ok(providerFile, "job", "accept", posted.job);
    const again = await crucible(providerFile, "job", "accept", posted.job);
    expect(again.code).to.equal(1);
    expect(again.stderr).to.match(/^error: job accept: .+ \(JobNotOpen\)\n$/);
    const quit = await ok(providerFile, "job", "quit", posted.job);
    expect([quit.slashed, quit.quitterCount]).to.deep.equal(["0", "1"]);
    // A provider that quit a job may not take it again.
    const back = await crucible(providerFile, "job", "accept", posted.job);
    expect(back.code).to.equal(1);
    expect(back.stderr).to.match(/^error: job accept: .+ \(AlreadyQuit\)\n$/);
    const cancelled = await ok(clientFile, "job", "cancel", posted.job);
    expect(cancelled.refunded).to.equal(TOKEN.toString());
  });

  it("prices a market in USD and posts a job at its Pyth price (market create --usd-feed, job create --price-usd)", async function () {
    await requiresCheatcodes(this);
    const id = (BigInt(marketId) + 2n).toString();
    const feed = "2a".repeat(32);
    const created = await ok(
      adminFile,
      "market",
      "create",
      "--id",
      id,
      "--name",
      "cli-usd",
      "--usd-feed",
      feed,
      "--max-price-age",
      "30s",
      "--max-conf-bps",
      "200",
    );
    expect(created.usdPricing).to.deep.equal({ feedId: feed, maxAgeSecs: 30, maxConfBps: 200 });
    // The market's price account, in the exact on-chain layout: $0.50 ± $0.001, 5 s old.
    const priceAccount = Keypair.generate().publicKey;
    const now = await chainTime(provider);
    const data = market.encodePriceUpdate({
      writeAuthority: Keypair.generate().publicKey,
      verification: { level: "full" },
      feedId: Buffer.from(feed, "hex"),
      price: 50_000_000n,
      conf: 100_000n,
      exponent: -8,
      publishTime: now - 5n,
      prevPublishTime: now - 6n,
      emaPrice: 50_000_000n,
      emaConf: 100_000n,
      postedSlot: 1n,
    });
    await setAccount(provider.connection.rpcEndpoint, priceAccount, {
      lamports: 10_000_000,
      data: Buffer.from(data).toString("hex"),
      owner: market.PYTH_RECEIVER_PROGRAM_ID.toBase58(),
    });
    const post = (...more: string[]) => [
      "job",
      "create",
      "--market",
      id,
      "--duration",
      "1h",
      "--spec",
      hash(9),
      ...more,
    ];
    const usd = ["--price-usd", "12.50", "--price-account", priceAccount.toBase58()];
    const out = await ok(clientFile, ...post(...usd, "--max-tokens", "30"));
    // $12.50 at $0.499 (the lower bound), rounded up to the base unit.
    expect(out.price).to.equal("25050101");
    expect(out.priceMicroUsd).to.equal("12500000");
    const onChain = await market.fetchJob(provider.connection, new PublicKey(out.job));
    expect(onChain!.price).to.equal(25_050_101n);
    expect(onChain!.usdQuote!.microUsd).to.equal(12_500_000n);
    // Refused by name, nothing sent: a token price on a USD market, a USD price finer than a
    // micro-dollar, USD flags on a token market; by the program: above the client's maximum.
    const tokenPrice = await crucible(clientFile, ...post("--price", "20"), "--json");
    expect([tokenPrice.code, tokenPrice.json.error.name]).to.deep.equal([2, "MarketPricedInUsd"]);
    const fine = await crucible(
      clientFile,
      ...post(
        "--price-usd",
        "12.0000001",
        "--price-account",
        priceAccount.toBase58(),
        "--max-tokens",
        "30",
      ),
      "--json",
    );
    expect([fine.code, fine.json.error.name]).to.deep.equal([2, "InvalidAmount"]);
    const onTokens = await crucible(
      clientFile,
      "job",
      "create",
      "--market",
      marketId,
      "--duration",
      "1h",
      ...usd,
      "--max-tokens",
      "30",
      "--json",
    );
    expect([onTokens.code, onTokens.json.error.name]).to.deep.equal([2, "MarketPricedInTokens"]);
    const before = await lamportsOf(provider, clientKey.publicKey);
    const slippage = await crucible(clientFile, ...post(...usd, "--max-tokens", "25"), "--json");
    expect([slippage.code, slippage.json.error.name]).to.deep.equal([1, "PriceAboveMaximum"]);
    expect(await lamportsOf(provider, clientKey.publicKey)).to.equal(before);
  });

  it("records work and pays it (work-pool create, market create --work-pool, crank work, provider claim)", async function () {
    await requiresTimeTravel(this);
    const poolId = (BigInt(marketId) + 9n).toString();
    const workVault = (BigInt(vaultId) + 9n).toString();
    await ok(adminFile, "mint", "--to", adminFile, "--amount", "1000");
    // The pool first: the vault names its token account as a recipient from the start.
    const pool = await ok(
      adminFile,
      "work-pool",
      "create",
      "--vault",
      workVault,
      "--cap-bps",
      "10000",
      "--id",
      poolId,
    );
    await ok(
      adminFile,
      "vault",
      "create",
      "--id",
      workVault,
      "--initial-per-hour",
      "10",
      "--cap",
      "1000",
      "--decay-bps",
      "0",
      "--period-hours",
      "10",
      "--recipient",
      `${pool.tokenVault}=10000`,
    );
    const id = (BigInt(marketId) + 9n).toString();
    const created = await ok(
      adminFile,
      "market",
      "create",
      "--id",
      id,
      "--name",
      "cli-work",
      "--work-pool",
      pool.pool,
    );
    expect(created.workPool).to.equal(pool.pool);
    const post = await ok(
      clientFile,
      "job",
      "create",
      "--market",
      id,
      "--price",
      "20",
      "--duration",
      "1h",
      "--spec",
      hash(5),
    );
    await ok(providerFile, "job", "accept", post.job);
    await ok(providerFile, "job", "submit", post.job, "--result", hash(6));
    const done = await ok(clientFile, "job", "complete", post.job);
    expect(done.burned).to.equal((4n * TOKEN).toString());
    const record = await emissions.listProviderWork(
      provider.connection,
      new PublicKey(pool.pool),
      providerKey.publicKey,
    );
    expect(record.map((r) => r.account.burned)).to.deep.equal([4n * TOKEN]);
    // Not finalized yet: nothing to claim, nothing sent.
    const early = await crucible(providerFile, "provider", "claim", "--json");
    expect([early.code, early.json.error.name]).to.deep.equal([1, "NothingToClaim"]);

    await warp(provider, HOUR);
    await ok(adminFile, "crank", "emit", "--vault", workVault);
    const cranked = await ok(adminFile, "crank", "work", "--pool", pool.pool);
    expect(cranked.results[0].signatures.length).to.be.greaterThan(0);
    // The hour received 10 tokens; its burn (4) caps what its provider shares.
    const status = await ok(adminFile, "work-pool", "status", "--pool", pool.pool);
    expect(status.pools[0].totalReceived).to.equal((10n * TOKEN).toString());
    expect(status.pools[0].reserved).to.equal((4n * TOKEN).toString());
    expect(status.pools[0].totalToDestination).to.equal((6n * TOKEN).toString());
    const before = BigInt((await ok(providerFile, "provider", "status")).walletBalance);
    const claimed = await ok(providerFile, "provider", "claim");
    expect(claimed.work).to.deep.include({ amount: (4n * TOKEN).toString(), hours: 1 });
    const after = BigInt((await ok(providerFile, "provider", "status")).walletBalance);
    expect(after - before).to.equal(BigInt(claimed.amount) + 4n * TOKEN);
    // Refused before anything is sent: a cap out of range.
    const bad = await crucible(
      adminFile,
      "work-pool",
      "create",
      "--vault",
      workVault,
      "--cap-bps",
      "0",
      "--json",
    );
    expect([bad.code, bad.json.error.name]).to.deep.equal([2, "OutOfRange"]);
  });

  it("runs the operator commands (market create/update/list, vault create/list/fund, info)", async () => {
    const id = (BigInt(marketId) + 1n).toString();
    const created = await ok(
      adminFile,
      "market",
      "create",
      "--id",
      id,
      "--name",
      "cli-h100",
      "--burn-bps",
      "2500",
      "--max-duration",
      "1d",
      "--min-provider-stake",
      "50.5",
    );
    expect(created.params.burnBps).to.equal(2_500);
    expect(created.params.maxDurationSecs).to.equal("86400");
    expect(created.params.minProviderStake).to.equal("50500000");
    expect(created.arbiter).to.equal(payerOf(provider).publicKey.toBase58());
    const updated = await ok(
      adminFile,
      "market",
      "update",
      "--market",
      id,
      "--fee-bps",
      "300",
      "--arbiter",
      clientKey.publicKey.toBase58(),
    );
    expect(updated.changes).to.deep.equal([
      { field: "feeBps", old: "500", new: "300" },
      {
        field: "arbiter",
        old: payerOf(provider).publicKey.toBase58(),
        new: clientKey.publicKey.toBase58(),
      },
    ]);
    const m = await market.fetchMarket(provider.connection, market.marketPda(BigInt(id)));
    expect(m!.params.feeBps).to.equal(300);
    expect(m!.arbiter.equals(clientKey.publicKey)).to.equal(true);
    const same = await crucible(
      adminFile,
      "market",
      "update",
      "--market",
      id,
      "--fee-bps",
      "300",
      "--json",
    );
    expect(same.code).to.equal(2);
    expect(same.json.error.name).to.equal("NothingToChange");
    const tooMuch = await crucible(
      adminFile,
      "market",
      "update",
      "--market",
      id,
      "--burn-bps",
      "9800",
    );
    expect(tooMuch.code).to.equal(2);
    expect(tooMuch.stderr).to.contain(
      "--fee-bps: burnBps + feeBps must be at most 10000, got 10100",
    );
    const notAdmin = await crucible(
      clientFile,
      "market",
      "update",
      "--market",
      id,
      "--fee-bps",
      "400",
      "--json",
    );
    expect(notAdmin.code).to.equal(1);
    expect(notAdmin.json.error.name).to.equal("NotAdmin");
    const list = await ok(clientFile, "market", "list");
    expect(list.markets.find((x: { marketId: string }) => x.marketId === id).name).to.equal(
      "cli-h100",
    );

    const vault = (BigInt(vaultId) + 1n).toString();
    await ok(adminFile, "mint", "--amount", "51");
    const v = await ok(
      adminFile,
      "vault",
      "create",
      "--id",
      vault,
      "--initial-per-hour",
      "2.5",
      "--cap",
      "50",
      "--decay-bps",
      "0",
      "--period-hours",
      "10",
      "--recipient",
      "stakingRewardVault=5000,treasury=5000",
    );
    expect(v.cap).to.equal((50n * TOKEN).toString());
    expect(v.initialPerHour).to.equal("2500000");
    expect(v.recipients.map((r: { shareBps: number }) => r.shareBps)).to.deep.equal([5_000, 5_000]);
    const vaults = await ok(clientFile, "vault", "list");
    const listed = vaults.vaults.find((x: { vaultId: string }) => x.vaultId === vault);
    expect(listed.cap).to.equal((50n * TOKEN).toString());
    expect(listed.outcome).to.equal("NothingDue");
    // A vault holding its whole schedule takes no more (the emissions program's error, named).
    const fund = await crucible(
      adminFile,
      "vault",
      "fund",
      "--vault",
      vault,
      "--amount",
      "1",
      "--json",
    );
    expect(fund.code).to.equal(1);
    expect(fund.json.error.name).to.equal("FundExceedsCap");
    const nothing = await ok(adminFile, "crank", "emit", "--vault", vault);
    expect(nothing.emitted).to.equal(0);
    expect(nothing.vaults[0].outcome).to.equal("NothingDue");
    // The recipients proposal of this non-revocable vault: public, executable after 48 h.
    expect(listed.recipientsDelaySecs).to.equal(48 * 3_600);
    const proposed = await ok(
      adminFile,
      "vault",
      "propose-recipients",
      "--vault",
      vault,
      "--recipient",
      "stakingRewardVault=9000,treasury=1000",
    );
    expect(BigInt(proposed.executableAt) - BigInt(v.startTs) >= 48n * 3_600n).to.equal(true);
    const pending = (await ok(clientFile, "vault", "list")).vaults.find(
      (x: { vaultId: string }) => x.vaultId === vault,
    );
    expect(pending.proposal.executableAt).to.equal(proposed.executableAt);
    const early = await crucible(
      clientFile,
      "vault",
      "execute-proposal",
      "--vault",
      vault,
      "--json",
    );
    expect(early.code).to.equal(1);
    expect(early.json.error.name).to.equal("RecipientsProposalNotReady");
    const notTheirs = await crucible(
      clientFile,
      "vault",
      "cancel-proposal",
      "--vault",
      vault,
      "--json",
    );
    expect(notTheirs.json.error.name).to.equal("NotAuthority");
    const cancelled = await ok(adminFile, "vault", "cancel-proposal", "--vault", vault);
    expect(cancelled.recipients).to.have.length(2);
    // A recipient's account is replaced only by another of the same owner, not yet a recipient.
    const theirs = await crucible(
      clientFile,
      "vault",
      "replace-recipient",
      "--vault",
      vault,
      "--index",
      "0",
      "--new-account",
      getAssociatedTokenAddressSync(mint, clientKey.publicKey).toBase58(),
      "--json",
    );
    expect(theirs.code).to.equal(1);
    expect(theirs.json.error.name).to.equal("RecipientOwnerMismatch");
    const healthy = await crucible(
      adminFile,
      "vault",
      "replace-recipient",
      "--vault",
      vault,
      "--index",
      "1",
      "--new-account",
      staking.rewardVaultPda(staking.poolPda(mint)).toBase58(),
      "--json",
    );
    expect(healthy.code).to.equal(1);
    expect(healthy.json.error.name).to.equal("DuplicateRecipient");
    const shortDelay = await crucible(
      adminFile,
      "vault",
      "create",
      "--id",
      "9",
      "--initial-per-hour",
      "1",
      "--cap",
      "1",
      "--recipients-delay",
      "1h",
    );
    expect(shortDelay.code).to.equal(2);
    expect(shortDelay.stderr).to.contain(
      "--recipients-delay: must be at least 48h for a non-revocable vault, got 1h",
    );
    const badShares = await crucible(
      adminFile,
      "vault",
      "create",
      "--id",
      "9",
      "--initial-per-hour",
      "1",
      "--cap",
      "1",
      "--recipient",
      "treasury=5000",
    );
    expect(badShares.code).to.equal(2);
    expect(badShares.stderr).to.contain("--recipient: shares sum to 5000, must be 10000");

    const info = await ok(clientFile, "info");
    expect(info.mint).to.equal(mint.toBase58());
    expect(info.decimals).to.equal(6);
    expect(info.pool).to.equal(staking.poolPda(mint).toBase58());
    expect(info.markets.some((x: { marketId: string }) => x.marketId === id)).to.equal(true);
    const bal = await ok(clientFile, "balance");
    expect(bal.owner).to.equal(clientKey.publicKey.toBase58());
    expect(BigInt(bal.token.amount) > 0n).to.equal(true);
    const addr = await ok(clientFile, "address");
    expect(addr.pubkey).to.equal(clientKey.publicKey.toBase58());
    const keyFile = join(dir, "new.json");
    const made = await ok(clientFile, "keygen", "--outfile", keyFile);
    const again = await crucible(clientFile, "keygen", "--outfile", keyFile, "--json");
    expect(again.code).to.equal(2);
    const drop = await ok(clientFile, "airdrop", "1.5", "--to", keyFile);
    expect(drop.to).to.equal(made.pubkey);
    expect(drop.balance).to.equal("1500000000");
  });

  it("reports a key with no SOL in one line (AccountNotFound)", async () => {
    const broke = writeKeypair(dir, "broke", Keypair.generate());
    const r = await crucible(
      broke,
      "market",
      "create",
      "--id",
      (BigInt(marketId) + 5n).toString(),
      "--name",
      "x",
      "--json",
    );
    expect(r.code).to.equal(1);
    expect(r.stderr).to.match(/^error: market create: .+ \(AccountNotFound\)\n$/);
    expect(r.json.error.name).to.equal("AccountNotFound");
  });

  describe("rejects bad input before sending anything (exit 2)", () => {
    const cases: Array<[string, () => string[], RegExp]> = [
      [
        "a bad public key",
        () => ["job", "accept", "notakey"],
        /<job>: "notakey" is not a base58 public key \(InvalidPubkey\)/,
      ],
      [
        "a negative amount",
        () => ["provider", "stake", "--amount", "-5"],
        /--amount: must be positive, got -5 \(InvalidAmount\)/,
      ],
      [
        "an amount with more decimals than the mint",
        () => ["provider", "stake", "--amount", "1.1234567"],
        /--amount: 1.1234567 has more decimals than the token's 6 \(InvalidAmount\)/,
      ],
      [
        "an amount that is not a number",
        () => ["provider", "stake", "--amount", "12abc"],
        /is not a decimal amount \(InvalidAmount\)/,
      ],
      [
        "a zero amount",
        () => ["provider", "unstake", "--amount", "0"],
        /must be greater than zero \(InvalidAmount\)/,
      ],
      [
        "an amount beyond u64",
        () => ["provider", "stake", "--raw", "--amount", "18446744073709551616"],
        /does not fit in a u64 of base units \(InvalidAmount\)/,
      ],
      [
        "a bad duration",
        () => ["job", "create", "--market", "1", "--price", "1", "--duration", "1x"],
        /--duration: "1x" is not a duration/,
      ],
      [
        "a hash that is not 32 bytes",
        () => ["job", "submit", "11111111111111111111111111111111", "--result", "abcd"],
        /--result: "abcd" is not a 32-byte hash/,
      ],
      [
        "bps above 10000",
        () => [
          "dispute",
          "resolve",
          "11111111111111111111111111111111",
          "--provider-share-bps",
          "10001",
        ],
        /--provider-share-bps: must be between 0 and 10000/,
      ],
      [
        "an unknown flag",
        () => ["provider", "stake", "--amount", "5", "--bogus"],
        /Unknown option '--bogus' \(InvalidFlag\)/,
      ],
      [
        "a negative compute-unit price",
        () => ["provider", "stake", "--amount", "5", "--with-compute-unit-price", "-1"],
        /--with-compute-unit-price: must not be negative, got -1 \(InvalidNumber\)/,
      ],
      [
        "a fractional compute-unit price",
        () => ["provider", "stake", "--amount", "5", "--with-compute-unit-price", "1.5"],
        /--with-compute-unit-price: "1.5" is not a whole number \(InvalidNumber\)/,
      ],
      [
        "a compute-unit price beyond u64",
        () => [
          "provider",
          "stake",
          "--amount",
          "5",
          "--with-compute-unit-price",
          "18446744073709551616",
        ],
        /--with-compute-unit-price: must be between 0 and 18446744073709551615, got 18446744073709551616 \(OutOfRange\)/,
      ],
      [
        "a compute-unit price without a value",
        () => ["provider", "stake", "--amount", "5", "--with-compute-unit-price"],
        /--with-compute-unit-price/,
      ],
      ["a missing argument", () => ["job", "accept"], /missing <job>/],
      ["an unknown command", () => ["job", "steal"], /unknown command `job steal`/],
    ];
    for (const [what, args, message] of cases) {
      it(what, async () => {
        const before = [
          await txCount(providerKey.publicKey),
          await lamportsOf(provider, providerKey.publicKey),
        ];
        const r = await crucible(providerFile, ...args(), "--json");
        expect(r.code, r.stderr).to.equal(2);
        expect(r.stderr.split("\n").filter(Boolean)).to.have.length(1);
        expect(r.stderr).to.match(/^error: /);
        expect(r.stderr).to.match(message);
        expect(r.json.error.name).to.be.a("string");
        expect([
          await txCount(providerKey.publicKey),
          await lamportsOf(provider, providerKey.publicKey),
        ]).to.deep.equal(before);
      });
    }
  });

  it("sets every transaction's compute-unit limit, and its price with --with-compute-unit-price", async () => {
    const instructionsOf = async (signature: string) => {
      const tx = await provider.connection.getTransaction(signature, {
        commitment: "confirmed",
        maxSupportedTransactionVersion: 0,
      });
      const keys = tx!.transaction.message.staticAccountKeys;
      return tx!.transaction.message.compiledInstructions.map(
        (ci) =>
          new TransactionInstruction({
            programId: keys[ci.programIdIndex],
            keys: [],
            data: Buffer.from(ci.data),
          }),
      );
    };
    const plain = await ok(providerFile, "provider", "stake", "--amount", "1");
    const priced = await ok(
      providerFile,
      "provider",
      "stake",
      "--amount",
      "1",
      "--with-compute-unit-price",
      "5000",
    );
    const a = await instructionsOf(plain.signature);
    const b = await instructionsOf(priced.signature);
    expect(a[0].programId.equals(ComputeBudgetProgram.programId)).to.equal(true);
    expect(readComputeBudget(a)).to.deep.equal({
      computeUnitLimit: computeUnitLimit(a),
      computeUnitPrice: undefined,
    });
    expect(b.map((ix) => ix.programId.equals(ComputeBudgetProgram.programId))).to.deep.equal([
      true,
      true,
      false,
    ]);
    expect(readComputeBudget(b)).to.deep.equal({
      computeUnitLimit: computeUnitLimit(b),
      computeUnitPrice: 5_000n,
    });
  });

  it("refuses a priority fee above the cap before sending anything (PriorityFeeTooHigh)", async () => {
    const before = [
      await txCount(providerKey.publicKey),
      await lamportsOf(provider, providerKey.publicKey),
    ];
    // 10^12 micro-lamports a unit over a limit of ~200 000 units: ~200 SOL, above 0.01 SOL.
    const r = await crucible(
      providerFile,
      "provider",
      "stake",
      "--amount",
      "1",
      "--with-compute-unit-price",
      "1000000000000",
      "--json",
    );
    expect(r.code, r.stderr).to.equal(2);
    expect(r.stderr).to.match(
      /^error: provider stake: --with-compute-unit-price: the priority fee would be \d+ lamports \(1000000000000 micro-lamports per unit x \d+ units\), above the cap of 10000000 lamports: lower the price \(PriorityFeeTooHigh\)\n$/,
    );
    expect(r.json.error.name).to.equal("PriorityFeeTooHigh");
    expect([
      await txCount(providerKey.publicKey),
      await lamportsOf(provider, providerKey.publicKey),
    ]).to.deep.equal(before);
  });

  it("settles every kind of due job (dispute resolve, crank finalize --dry-run, crank finalize)", async function () {
    await requiresTimeTravel(this);
    const post = async () =>
      (
        await ok(
          clientFile,
          "job",
          "create",
          "--market",
          marketId,
          "--price",
          "10",
          "--duration",
          "1h",
        )
      ).job as string;
    // submitted -> finalize_job after the dispute window
    const submitted = await post();
    await ok(providerFile, "job", "accept", submitted);
    await ok(providerFile, "job", "submit", submitted, "--result", hash(1));
    // running -> reclaim_expired after the deadline
    const running = await post();
    await ok(providerFile, "job", "accept", running);
    // running, reclaimed by hand (job reclaim) after the deadline
    const expired = await post();
    await ok(providerFile, "job", "accept", expired);
    const notYet = await crucible(clientFile, "job", "reclaim", expired, "--json");
    expect(notYet.json.error.name).to.equal("NotExpired");
    // disputed -> finalize_dispute after the arbitration window
    const disputed = await post();
    await ok(providerFile, "job", "accept", disputed);
    await ok(providerFile, "job", "submit", disputed, "--result", hash(2));
    const d = await ok(clientFile, "job", "dispute", disputed);
    expect(BigInt(d.arbitrationEndsAt) - BigInt(d.disputedAt)).to.equal(BigInt(7 * DAY));
    // disputed -> resolved by the arbiter (the admin, the market's default arbiter)
    const resolved = await post();
    await ok(providerFile, "job", "accept", resolved);
    await ok(providerFile, "job", "submit", resolved, "--result", hash(3));
    await ok(clientFile, "job", "dispute", resolved);
    const verdict = await ok(
      adminFile,
      "dispute",
      "resolve",
      resolved,
      "--provider-share-bps",
      "2500",
      "--slash",
      "1",
    );
    const split = market.disputeOutcome(10n * TOKEN, 2_500, 2_000, 500);
    expect(verdict.refunded).to.equal(split.refunded.toString());
    expect(verdict.paid).to.equal(split.paid.toString());
    expect(verdict.slashed).to.equal(TOKEN.toString());

    const none = await ok(adminFile, "crank", "finalize", "--market", marketId, "--dry-run");
    expect(none.due).to.equal(0);

    await warp(provider, 8 * DAY);
    const late = await ok(clientFile, "job", "status", expired);
    expect(late.state).to.equal("running");
    const reclaimed = await ok(clientFile, "job", "reclaim", expired);
    expect(reclaimed.refunded).to.equal((10n * TOKEN).toString());
    expect(reclaimed.slashed).to.equal(market.expirySlash(5n * TOKEN, 1_000).toString());
    const plan = await ok(adminFile, "crank", "finalize", "--market", marketId, "--dry-run");
    const actions = Object.fromEntries(
      plan.jobs.map((j: { job: string; action: string }) => [j.job, j.action]),
    );
    expect(actions).to.deep.equal({
      [submitted]: "finalize_job",
      [running]: "reclaim_expired",
      [disputed]: "finalize_dispute",
    });
    for (const j of [submitted, running, disputed])
      expect(await market.fetchJob(provider.connection, new PublicKey(j))).to.not.equal(null);

    const done = await ok(clientFile, "crank", "finalize", "--market", marketId);
    expect(done.done).to.equal(3);
    expect(done.failed).to.equal(0);
    for (const j of done.jobs) expect(j.signature).to.be.a("string");
    for (const j of [submitted, running, disputed])
      expect(await market.fetchJob(provider.connection, new PublicKey(j))).to.equal(null);
    const status = await ok(providerFile, "provider", "status");
    expect(status.locked).to.equal("0");
    expect(status.jobs).to.deep.equal([]);
  });

  it("sweeps the fee vault to the treasury, as anyone (fees sweep)", async () => {
    const info = await ok(clientFile, "info");
    const vault = BigInt(info.feeVaultBalance);
    const treasury = BigInt(info.treasuryBalance);
    const swept = await ok(clientFile, "fees", "sweep");
    expect(swept.amount).to.equal(vault.toString());
    expect(swept.treasury).to.equal(info.treasury);
    const after = await ok(clientFile, "info");
    expect([after.feeVaultBalance, after.treasuryBalance]).to.deep.equal([
      "0",
      (treasury + vault).toString(),
    ]);
  });
});
