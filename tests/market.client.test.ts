// The client's instructions through the SDK over RPC: create_job (alone and batched),
// cancel_job, complete_job and dispute_job, with exact balances, rent and events. Each
// rejection asserts the exact error name and that no balance, lamport or account byte moved.
import { createMint, TOKEN_PROGRAM_ID } from "@solana/spl-token";
import { ComputeBudgetProgram, Keypair, PublicKey, VersionedTransaction } from "@solana/web3.js";
import { utils } from "@coral-xyz/anchor";
import { expect } from "chai";

import { market, staking } from "../sdk/src";
import { requiresTimeTravel, warp } from "./harness/cheatcodes";
import {
  DECIMALS,
  expectRejected,
  lamportsOf,
  payerOf,
  snapshot,
  TOKEN,
  tokenAccount,
} from "./harness/fixtures";
import {
  tokenBalance,
  chainTime,
  DAY,
  HOUR,
  jobOf,
  marketEvent,
  marketEvents,
  MarketWorld,
  marketWorld,
  postJob,
  PRICE,
  runningJob,
  sendAs,
  sendToEscrow,
  stakedParty,
  stakeOf,
  submittedJob,
  supply,
  swapAccount,
  untouched,
} from "./harness/market";

const ix = market.instructions;

/** A token account of a mint other than the network token, owned by `owner`, with tokens. */
async function foreignAccount(w: MarketWorld, owner: PublicKey, amount = 0n): Promise<PublicKey> {
  const payer = payerOf(w.provider);
  const mint = await createMint(
    w.provider.connection,
    payer,
    payer.publicKey,
    null,
    DECIMALS,
    Keypair.generate(),
    undefined,
    TOKEN_PROGRAM_ID,
  );
  return tokenAccount(w.provider, mint, owner, amount);
}

/** Lamports held by an account (0 when it does not exist). */
async function rentOf(w: MarketWorld, account: PublicKey): Promise<bigint> {
  const info = await w.provider.connection.getAccountInfo(account, "confirmed");
  return BigInt(info?.lamports ?? 0);
}

/** The settlement accounts of `job` as the SDK's builders take them. */
async function settleParams(
  w: MarketWorld,
  job: PublicKey,
  o: { providerToken?: PublicKey } = {},
): Promise<market.SettleParams> {
  const j = await jobOf(w, job);
  return {
    ctx: await w.markets.context(w.market),
    job,
    client: j.client,
    provider: j.provider!,
    providerToken: o.providerToken ?? w.worker.token,
  };
}

describe("market / create_job", () => {
  let w: MarketWorld;
  beforeEach(async () => {
    w = await marketWorld();
  });

  it("posts a job: the price in its own escrow, the market's terms copied, rent paid by the client", async () => {
    const clientLamports = await lamportsOf(w.provider, w.client.key.publicKey);
    const spec = new Uint8Array(32).map((_, i) => i);
    const nonce = 77n;
    const { signature, job } = await w.markets.createJob({
      market: w.market,
      price: PRICE,
      durationSecs: 2n * HOUR,
      specHash: spec,
      nonce,
      clientToken: w.client.token,
      client: w.client.key,
    });
    expect(job.equals(market.jobPda(w.market, w.client.key.publicKey, nonce))).to.equal(true);
    const escrow = market.escrowPda(job);
    expect(await tokenBalance(w.provider, escrow)).to.equal(PRICE);
    expect(await tokenBalance(w.provider, w.client.token)).to.equal(1_000n * TOKEN - PRICE);
    // The client pays the rent of both accounts; the wallet pays the fee.
    expect(clientLamports - (await lamportsOf(w.provider, w.client.key.publicKey))).to.equal(
      (await rentOf(w, job)) + (await rentOf(w, escrow)),
    );

    const j = await jobOf(w, job);
    const collateral = market.jobCollateral(PRICE, 5_000, TOKEN);
    expect(j.market.equals(w.market)).to.equal(true);
    expect(j.client.equals(w.client.key.publicKey)).to.equal(true);
    expect(j.provider).to.equal(null);
    expect(j.targetProvider).to.equal(null);
    expect(j.state).to.equal("open");
    expect(j.nonce).to.equal(nonce);
    expect(j.price).to.equal(PRICE);
    expect(j.collateral).to.equal(collateral);
    expect([j.burnBps, j.feeBps, j.defaultDisputeSplitBps, j.expirySlashBps]).to.deep.equal([
      2_000, 500, 5_000, 1_000,
    ]);
    expect([j.disputeWindowSecs, j.arbitrationWindowSecs, j.durationSecs]).to.deep.equal([
      72n * HOUR,
      7n * DAY,
      2n * HOUR,
    ]);
    expect([...j.specHash]).to.deep.equal([...spec]);
    expect(j.createdAt).to.equal(await chainTime(w.provider));
    expect([j.acceptedAt, j.deadline, j.submittedAt, j.disputeDeadline]).to.deep.equal([
      0n,
      0n,
      0n,
      0n,
    ]);

    const e = await marketEvent(w.provider, signature, "jobCreated");
    expect((e.job as PublicKey).equals(job)).to.equal(true);
    expect((e.client as PublicKey).equals(w.client.key.publicKey)).to.equal(true);
    expect([e.nonce, e.price, e.collateral, e.durationSecs]).to.deep.equal([
      nonce,
      PRICE,
      collateral,
      2n * HOUR,
    ]);
    expect((e.targetProvider as PublicKey).equals(PublicKey.default)).to.equal(true);
  });

  it("reserves a job for one provider, and takes the market's maximum duration", async () => {
    const target = Keypair.generate().publicKey;
    const job = await postJob(w, { targetProvider: target, durationSecs: 7n * DAY });
    const j = await jobOf(w, job);
    expect(j.targetProvider!.equals(target)).to.equal(true);
    expect(j.durationSecs).to.equal(7n * DAY);
  });

  it("posts five jobs in one transaction of at most 1 232 bytes (createJobs)", async () => {
    const terms = [1n, 2n, 3n, 4n, 5n].map((i) => ({
      price: i * TOKEN + i,
      durationSecs: i * HOUR,
      specHash: new Uint8Array(32).fill(Number(i)),
    }));
    const { signature, jobs } = await w.markets.createJobs({
      market: w.market,
      jobs: terms,
      clientToken: w.client.token,
      client: w.client.key,
    });
    expect(jobs).to.have.length(5);
    const tx = await w.provider.connection.getTransaction(signature, {
      commitment: "confirmed",
      maxSupportedTransactionVersion: 0,
    });
    const wire = new VersionedTransaction(
      tx!.transaction.message,
      tx!.transaction.signatures.map((s) => utils.bytes.bs58.decode(s)),
    ).serialize();
    expect(wire.length).to.be.at.most(1_232);
    // The compute-unit limit first, then the five create_job.
    const { compiledInstructions, staticAccountKeys } = tx!.transaction.message;
    expect(compiledInstructions).to.have.length(6);
    expect(
      staticAccountKeys[compiledInstructions[0].programIdIndex].equals(
        ComputeBudgetProgram.programId,
      ),
    ).to.equal(true);
    const listed = await w.markets.listJobs({ market: w.market });
    expect(listed.map((l) => l.address.toBase58()).sort()).to.deep.equal(
      jobs.map((j) => j.toBase58()).sort(),
    );
    for (const [i, job] of jobs.entries()) {
      const j = await jobOf(w, job);
      expect([j.price, j.durationSecs, j.state]).to.deep.equal([
        terms[i].price,
        terms[i].durationSecs,
        "open",
      ]);
      expect(await tokenBalance(w.provider, market.escrowPda(job))).to.equal(terms[i].price);
    }
    const events = await marketEvents(w.provider, signature);
    expect(events.map((e) => e.name)).to.deep.equal(Array(5).fill("jobCreated"));
    const total = terms.reduce((s, t) => s + t.price, 0n);
    expect(await tokenBalance(w.provider, w.client.token)).to.equal(1_000n * TOKEN - total);
  });

  it("rejects a batch that does not fit in one transaction, before sending (TransactionFailed)", async () => {
    // Five jobs without a target take 1 162 bytes with the compute-unit limit; a sixth makes 1 302.
    const jobs = Array.from({ length: 6 }, () => ({ price: TOKEN, durationSecs: HOUR }));
    const err = await expectRejected(
      w.provider,
      () =>
        w.markets.createJobs({
          market: w.market,
          jobs,
          clientToken: w.client.token,
          client: w.client.key,
        }),
      "TransactionFailed",
      await untouched(w),
    );
    expect(err.message).to.match(/too large/i);
    expect(await w.markets.listJobs({ market: w.market })).to.deep.equal([]);
  });

  it("rejects a zero price (ZeroPrice)", async () => {
    const nonce = 1n;
    await expectRejected(
      w.provider,
      () => postJob(w, { price: 0n, nonce }),
      "ZeroPrice",
      await untouched(w, [], {
        accounts: [market.jobPda(w.market, w.client.key.publicKey, nonce)],
      }),
    );
  });

  for (const [what, duration] of [
    ["a zero duration", 0n],
    ["a duration above the market's maximum", 7n * DAY + 1n],
  ] as Array<[string, bigint]>) {
    it(`rejects ${what} (InvalidDuration)`, async () => {
      const nonce = 2n;
      await expectRejected(
        w.provider,
        () => postJob(w, { durationSecs: duration, nonce }),
        "InvalidDuration",
        await untouched(w, [], {
          accounts: [market.jobPda(w.market, w.client.key.publicKey, nonce)],
        }),
      );
    });
  }

  it("rejects a client token account of another mint (WrongMint)", async () => {
    const foreign = await foreignAccount(w, w.client.key.publicKey, 1_000n * TOKEN);
    const nonce = 3n;
    await expectRejected(
      w.provider,
      () =>
        w.markets.createJob({
          market: w.market,
          price: PRICE,
          durationSecs: HOUR,
          nonce,
          clientToken: foreign,
          client: w.client.key,
        }),
      "WrongMint",
      await untouched(w, [], {
        tokens: [foreign],
        accounts: [market.jobPda(w.market, w.client.key.publicKey, nonce)],
      }),
    );
  });

  it("rejects paying from someone else's token account (the token program's OwnerMismatch)", async () => {
    const nonce = 4n;
    await expectRejected(
      w.provider,
      () =>
        w.markets.createJob({
          market: w.market,
          price: PRICE,
          durationSecs: HOUR,
          nonce,
          clientToken: w.attacker.token,
          client: w.client.key,
        }),
      "OwnerMismatch",
      await untouched(w, [], {
        accounts: [market.jobPda(w.market, w.client.key.publicKey, nonce)],
      }),
    );
  });

  it("rejects a price above the client's balance (the token program's InsufficientFunds)", async () => {
    const nonce = 5n;
    await expectRejected(
      w.provider,
      () => postJob(w, { price: 1_000n * TOKEN + 1n, nonce }),
      "InsufficientFunds",
      await untouched(w, [], {
        accounts: [market.jobPda(w.market, w.client.key.publicKey, nonce)],
      }),
    );
  });

  it("rejects a nonce the client already used (AccountAlreadyInUse)", async () => {
    const job = await postJob(w, { nonce: 6n });
    await expectRejected(
      w.provider,
      () => postJob(w, { nonce: 6n }),
      "AccountAlreadyInUse",
      await untouched(w, [job]),
    );
  });
});

describe("market / cancel_job", () => {
  let w: MarketWorld;
  beforeEach(async () => {
    w = await marketWorld();
  });

  it("refunds the whole price and returns all rent to the client", async () => {
    const lamports = await lamportsOf(w.provider, w.client.key.publicKey);
    const job = await postJob(w);
    const signature = await w.markets.cancelJob({
      job,
      clientToken: w.client.token,
      client: w.client.key,
    });
    expect(await tokenBalance(w.provider, w.client.token)).to.equal(1_000n * TOKEN);
    expect(await lamportsOf(w.provider, w.client.key.publicKey)).to.equal(lamports);
    expect(await w.markets.fetchJob(job)).to.equal(null);
    expect(await w.provider.connection.getAccountInfo(market.escrowPda(job))).to.equal(null);
    const e = await marketEvent(w.provider, signature, "jobCancelled");
    expect(e.refunded).to.equal(PRICE);
    expect((e.job as PublicKey).equals(job)).to.equal(true);
  });

  it("refunds everything in the escrow, tokens someone else sent included", async () => {
    const job = await postJob(w);
    await sendToEscrow(w, job, w.attacker, 5n);
    const signature = await w.markets.cancelJob({
      job,
      clientToken: w.client.token,
      client: w.client.key,
    });
    expect(await tokenBalance(w.provider, w.client.token)).to.equal(1_000n * TOKEN + 5n);
    expect((await marketEvent(w.provider, signature, "jobCancelled")).refunded).to.equal(
      PRICE + 5n,
    );
    expect(await w.provider.connection.getAccountInfo(market.escrowPda(job))).to.equal(null);
  });

  it("refunds to any account of the mint the client names", async () => {
    const job = await postJob(w);
    const other = await tokenAccount(w.provider, w.mint, Keypair.generate().publicKey);
    await w.markets.cancelJob({ job, clientToken: other, client: w.client.key });
    expect(await tokenBalance(w.provider, other)).to.equal(PRICE);
  });

  it("rejects a signer that is not the client (ConstraintSeeds: the job's address names its client)", async () => {
    const job = await postJob(w);
    const ctx = await w.markets.context(w.market);
    await expectRejected(
      w.provider,
      () =>
        sendAs(
          w,
          [
            ix.cancelJob({
              ctx,
              client: w.attacker.key.publicKey,
              job,
              clientToken: w.attacker.token,
            }),
          ],
          [w.attacker.key],
        ),
      "ConstraintSeeds",
      await untouched(w, [job]),
    );
  });

  it("rejects a refund account of another mint (WrongMint)", async () => {
    const job = await postJob(w);
    const foreign = await foreignAccount(w, w.client.key.publicKey);
    await expectRejected(
      w.provider,
      () => w.markets.cancelJob({ job, clientToken: foreign, client: w.client.key }),
      "WrongMint",
      await untouched(w, [job], { tokens: [foreign] }),
    );
  });

  it("rejects a running or submitted job (JobNotOpen)", async () => {
    const running = await runningJob(w);
    await expectRejected(
      w.provider,
      () =>
        w.markets.cancelJob({ job: running, clientToken: w.client.token, client: w.client.key }),
      "JobNotOpen",
      await untouched(w, [running]),
    );
    const submitted = await submittedJob(w);
    await expectRejected(
      w.provider,
      () =>
        w.markets.cancelJob({ job: submitted, clientToken: w.client.token, client: w.client.key }),
      "JobNotOpen",
      await untouched(w, [submitted]),
    );
  });
});

describe("market / complete_job", () => {
  let w: MarketWorld;
  beforeEach(async () => {
    w = await marketWorld();
  });

  it("settles the price as settlementSplit says, unlocks the collateral and returns all rent", async () => {
    const lamports = await lamportsOf(w.provider, w.client.key.publicKey);
    const job = await submittedJob(w);
    const collateral = (await jobOf(w, job)).collateral;
    expect((await stakeOf(w, w.worker.key.publicKey)).locked).to.equal(collateral);
    const supplyBefore = await supply(w.provider, w.mint);
    const feesBefore = await tokenBalance(w.provider, w.feeVault);
    const signature = await w.markets.completeJob({
      job,
      providerToken: w.worker.token,
      client: w.client.key,
    });
    const s = market.settlementSplit(PRICE, 2_000, 500);
    expect(s.burned + s.fee + s.paid).to.equal(PRICE);
    expect(await tokenBalance(w.provider, w.worker.token)).to.equal(s.paid);
    expect((await tokenBalance(w.provider, w.feeVault)) - feesBefore).to.equal(s.fee);
    expect(supplyBefore - (await supply(w.provider, w.mint))).to.equal(s.burned);
    expect(await tokenBalance(w.provider, w.client.token)).to.equal(1_000n * TOKEN - PRICE);
    expect(await lamportsOf(w.provider, w.client.key.publicKey)).to.equal(lamports);
    expect(await w.markets.fetchJob(job)).to.equal(null);
    expect(await w.provider.connection.getAccountInfo(market.escrowPda(job))).to.equal(null);
    const stake = await stakeOf(w, w.worker.key.publicKey);
    expect([stake.active, stake.locked, stake.jobsCompleted, stake.jobsFailed]).to.deep.equal([
      500n * TOKEN,
      0n,
      1n,
      0n,
    ]);
    const e = await marketEvent(w.provider, signature, "jobCompleted");
    expect([e.price, e.burned, e.fee, e.paid, e.finalized]).to.deep.equal([
      PRICE,
      s.burned,
      s.fee,
      s.paid,
      false,
    ]);
    expect((e.provider as PublicKey).equals(w.worker.key.publicKey)).to.equal(true);
  });

  it("settles the escrow's whole balance: tokens someone else sent cannot keep the job open", async () => {
    const job = await submittedJob(w);
    const extra = 3n * TOKEN + 1n;
    await sendToEscrow(w, job, w.attacker, extra);
    expect(await tokenBalance(w.provider, market.escrowPda(job))).to.equal(PRICE + extra);
    const supplyBefore = await supply(w.provider, w.mint);
    const feesBefore = await tokenBalance(w.provider, w.feeVault);
    const signature = await w.markets.completeJob({
      job,
      providerToken: w.worker.token,
      client: w.client.key,
    });
    const s = market.settlementSplit(PRICE + extra, 2_000, 500);
    expect(await tokenBalance(w.provider, w.worker.token)).to.equal(s.paid);
    expect((await tokenBalance(w.provider, w.feeVault)) - feesBefore).to.equal(s.fee);
    expect(supplyBefore - (await supply(w.provider, w.mint))).to.equal(s.burned);
    expect(await w.markets.fetchJob(job)).to.equal(null);
    expect(await w.provider.connection.getAccountInfo(market.escrowPda(job))).to.equal(null);
    const e = await marketEvent(w.provider, signature, "jobCompleted");
    expect([e.price, e.burned, e.fee, e.paid]).to.deep.equal([PRICE, s.burned, s.fee, s.paid]);
  });

  it("may complete after the dispute window too", async function () {
    await requiresTimeTravel(this);
    const job = await submittedJob(w);
    await warp(w.provider, Number(72n * HOUR) + 1);
    await w.markets.completeJob({ job, providerToken: w.worker.token, client: w.client.key });
    expect(await w.markets.fetchJob(job)).to.equal(null);
  });

  it("rejects completing twice: the job account is gone (AccountNotInitialized)", async () => {
    const job = await submittedJob(w);
    const complete = ix.completeJob(await settleParams(w, job));
    await sendAs(w, [complete], [w.client.key]);
    await expectRejected(
      w.provider,
      () => sendAs(w, [complete], [w.client.key]),
      "AccountNotInitialized",
      await untouched(w, [job]),
    );
  });

  it("rejects a signer that is not the client (ConstraintSeeds: the job's address names its client)", async () => {
    const job = await submittedJob(w);
    const p = await settleParams(w, job);
    await expectRejected(
      w.provider,
      () =>
        sendAs(w, [ix.completeJob({ ...p, client: w.attacker.key.publicKey })], [w.attacker.key]),
      "ConstraintSeeds",
      await untouched(w, [job]),
    );
  });

  it("rejects a job without a submitted result (JobNotSubmitted)", async () => {
    const job = await runningJob(w);
    await expectRejected(
      w.provider,
      () => w.markets.completeJob({ job, providerToken: w.worker.token, client: w.client.key }),
      "JobNotSubmitted",
      await untouched(w, [job]),
    );
  });

  it("rejects a provider token account owned by someone else (WrongProviderAccount)", async () => {
    const job = await submittedJob(w);
    await expectRejected(
      w.provider,
      () => w.markets.completeJob({ job, providerToken: w.attacker.token, client: w.client.key }),
      "WrongProviderAccount",
      await untouched(w, [job]),
    );
  });

  it("rejects a provider token account of another mint (WrongMint)", async () => {
    const job = await submittedJob(w);
    const foreign = await foreignAccount(w, w.worker.key.publicKey);
    await expectRejected(
      w.provider,
      () => w.markets.completeJob({ job, providerToken: foreign, client: w.client.key }),
      "WrongMint",
      await untouched(w, [job], { tokens: [foreign] }),
    );
  });

  it("rejects a fee account that is not the config's fee vault (WrongFeeVault)", async () => {
    const job = await submittedJob(w);
    const p = await settleParams(w, job);
    const decoy = await tokenAccount(w.provider, w.mint, w.client.key.publicKey);
    await expectRejected(
      w.provider,
      () =>
        sendAs(w, [ix.completeJob({ ...p, ctx: { ...p.ctx, feeVault: decoy } })], [w.client.key]),
      "WrongFeeVault",
      await untouched(w, [job], { tokens: [decoy] }),
    );
  });

  it("rejects another token account in place of the job's escrow (ConstraintSeeds)", async () => {
    const job = await submittedJob(w);
    const other = await postJob(w);
    const complete = ix.completeJob(await settleParams(w, job));
    for (const decoy of [
      market.escrowPda(other),
      await tokenAccount(w.provider, w.mint, job, PRICE),
    ]) {
      await expectRejected(
        w.provider,
        () => sendAs(w, [swapAccount(complete, market.escrowPda(job), decoy)], [w.client.key]),
        "ConstraintSeeds",
        await untouched(w, [job, other], { tokens: [decoy] }),
      );
    }
  });

  it("rejects the stake account of another provider (ConstraintSeeds)", async () => {
    const job = await submittedJob(w);
    const other = await stakedParty(w, 200n * TOKEN);
    const pool = (await w.markets.context(w.market)).stakingPool;
    const complete = ix.completeJob(await settleParams(w, job));
    const { providerStakePda } = staking;
    await expectRejected(
      w.provider,
      () =>
        sendAs(
          w,
          [
            swapAccount(
              complete,
              providerStakePda(pool, w.worker.key.publicKey),
              providerStakePda(pool, other.key.publicKey),
            ),
          ],
          [w.client.key],
        ),
      "ConstraintSeeds",
      await untouched(w, [job], { accounts: [providerStakePda(pool, other.key.publicKey)] }),
    );
  });

  it("rejects a job of one market passed with another market (ConstraintSeeds)", async () => {
    const job = await submittedJob(w);
    const b = await marketWorld();
    const p = await settleParams(w, job);
    const ctxB = await b.markets.context(b.market);
    await expectRejected(
      w.provider,
      () => sendAs(w, [ix.completeJob({ ...p, ctx: ctxB })], [w.client.key]),
      "ConstraintSeeds",
      await untouched(w, [job], { accounts: [b.market] }),
    );
  });
});

describe("market / dispute_job", () => {
  let w: MarketWorld;
  beforeEach(async () => {
    w = await marketWorld();
  });

  it("disputes a submitted result up to the dispute deadline; no token moves", async function () {
    await requiresTimeTravel(this);
    const job = await submittedJob(w);
    const j = await jobOf(w, job);
    // At the deadline exactly, the window is still open.
    await warp(w.provider, Number(j.disputeDeadline - (await chainTime(w.provider))));
    const tokensBefore = await snapshot(w.provider, (await untouched(w, [job])).tokens!);
    const signature = await w.markets.disputeJob({ job, client: w.client.key });
    const now = await chainTime(w.provider);
    expect(now).to.equal(j.disputeDeadline);
    const d = await jobOf(w, job);
    expect(d.state).to.equal("disputed");
    expect(d.disputedAt).to.equal(now);
    const e = await marketEvent(w.provider, signature, "jobDisputed");
    expect(e.disputedAt).to.equal(now);
    expect((e.provider as PublicKey).equals(w.worker.key.publicKey)).to.equal(true);
    // Tokens stay where they were (the escrow holds the price; the collateral stays locked).
    expect(await snapshot(w.provider, (await untouched(w, [job])).tokens!)).to.deep.equal(
      tokensBefore,
    );
    expect(await tokenBalance(w.provider, market.escrowPda(job))).to.equal(PRICE);
    expect((await stakeOf(w, w.worker.key.publicKey)).locked).to.equal(j.collateral);
  });

  it("rejects a dispute after the window (DisputeWindowClosed)", async function () {
    await requiresTimeTravel(this);
    const job = await submittedJob(w);
    await warp(w.provider, Number(72n * HOUR) + 1);
    await expectRejected(
      w.provider,
      () => w.markets.disputeJob({ job, client: w.client.key }),
      "DisputeWindowClosed",
      await untouched(w, [job]),
    );
  });

  it("rejects a signer that is not the client (ConstraintSeeds: the job's address names its client)", async () => {
    const job = await submittedJob(w);
    await expectRejected(
      w.provider,
      () => w.markets.disputeJob({ job, client: w.attacker.key }),
      "ConstraintSeeds",
      await untouched(w, [job]),
    );
  });

  it("rejects a job without a submitted result, or already disputed (JobNotSubmitted)", async () => {
    const running = await runningJob(w);
    await expectRejected(
      w.provider,
      () => w.markets.disputeJob({ job: running, client: w.client.key }),
      "JobNotSubmitted",
      await untouched(w, [running]),
    );
    const job = await submittedJob(w);
    await w.markets.disputeJob({ job, client: w.client.key });
    await expectRejected(
      w.provider,
      () => w.markets.disputeJob({ job, client: w.client.key }),
      "JobNotSubmitted",
      await untouched(w, [job]),
    );
  });
});
