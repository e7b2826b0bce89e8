// The compute budget of every transaction the SDK builds (sdk/src/common/compute-budget.ts):
// `withComputeBudget` as a pure function (the limit summed from the table and the programs'
// allowances, the price only when set, the cap, a caller's own compute-budget instructions,
// bad values), then transactions of all three programs' clients read back from the chain: the
// limit first and equal to the sum, the price where configured, the largest shapes within
// 1 232 bytes, and a refusal over the cap that sends nothing.
import { execFile } from "child_process";
import { mkdtempSync, writeFileSync } from "fs";
import { tmpdir } from "os";
import { join, resolve } from "path";
import { AnchorProvider, utils } from "@coral-xyz/anchor";
import {
  createAssociatedTokenAccountIdempotentInstruction,
  createTransferInstruction,
  TOKEN_2022_PROGRAM_ID,
  TOKEN_PROGRAM_ID,
} from "@solana/spl-token";
import {
  ComputeBudgetProgram,
  ConfirmOptions,
  Keypair,
  PublicKey,
  Signer,
  SystemProgram,
  Transaction,
  TransactionInstruction,
  TransactionSignature,
  VersionedTransaction,
} from "@solana/web3.js";
import { expect } from "chai";

import {
  COMPUTE_UNIT_LIMITS,
  computeUnitLimit,
  CRUCIBLE_ERRORS,
  crucibleInstruction,
  DEFAULT_INSTRUCTION_COMPUTE_UNITS,
  DEFAULT_MAX_PRIORITY_FEE_LAMPORTS,
  emissions,
  EmissionsClient,
  instructionComputeUnits,
  market,
  MarketClient,
  MAX_COMPUTE_UNIT_LIMIT,
  MEMO_COMPUTE_UNITS,
  priorityFeeLamports,
  PROGRAM_COMPUTE_UNITS,
  readComputeBudget,
  sendInstructions,
  staking,
  StakingClient,
  translateError,
  withComputeBudget,
} from "../sdk/src";
import { requiresTimeTravel, warp } from "./harness/cheatcodes";
import { getProvider } from "./harness/env";
import {
  emissionsWorld,
  expectError,
  expectRejected,
  stakingWorld,
  TOKEN,
  tokenAccount,
} from "./harness/fixtures";
import { disputedJob, marketNetwork, marketWorld, runningJob, stakedParty } from "./harness/market";

const CB = 150; // each compute-budget instruction's allowance
const key = () => Keypair.generate().publicKey;

/** Instructions of each program, built offline (the keys do not matter to the budget). */
const submit = () =>
  market.instructions.submitResult({ provider: key(), job: key(), resultHash: new Uint8Array(32) });
const sync = () => staking.instructions.syncRewards({ mint: key() });
const pause = () =>
  emissions.instructions.setPaused({ authority: key(), mint: key(), vaultId: 1n, paused: true });
const ata = (tokenProgram = TOKEN_PROGRAM_ID) =>
  createAssociatedTokenAccountIdempotentInstruction(key(), key(), key(), key(), tokenProgram);

/** A provider that records every transaction sent through it (the SDK's senders use
 * `sendAndConfirm`). */
class RecordingProvider extends AnchorProvider {
  readonly sent: TransactionSignature[] = [];
  constructor(base: AnchorProvider) {
    super(base.connection, base.wallet, base.opts);
  }
  override async sendAndConfirm(
    tx: Transaction | VersionedTransaction,
    signers?: Signer[],
    opts?: ConfirmOptions,
  ): Promise<TransactionSignature> {
    const signature = await super.sendAndConfirm(tx, signers, opts);
    this.sent.push(signature);
    return signature;
  }
}

/** A confirmed transaction's instructions (program and data) and its size on the wire. */
async function onChain(
  provider: AnchorProvider,
  signature: string,
): Promise<{
  instructions: TransactionInstruction[];
  bytes: number;
  fee: number;
  signatures: number;
}> {
  const tx = await provider.connection.getTransaction(signature, {
    commitment: "confirmed",
    maxSupportedTransactionVersion: 0,
  });
  expect(tx, signature).to.not.equal(null);
  const message = tx!.transaction.message;
  const keys = message.staticAccountKeys;
  const instructions = message.compiledInstructions.map(
    (ci) =>
      new TransactionInstruction({
        programId: keys[ci.programIdIndex],
        keys: [],
        data: Buffer.from(ci.data),
      }),
  );
  const bytes = new VersionedTransaction(
    message,
    tx!.transaction.signatures.map((s) => utils.bytes.bs58.decode(s)),
  ).serialize().length;
  return {
    instructions,
    bytes,
    fee: tx!.meta!.fee,
    signatures: tx!.transaction.signatures.length,
  };
}

const isBudget = (ix: TransactionInstruction) =>
  ix.programId.equals(ComputeBudgetProgram.programId);

/**
 * Checks a sent transaction: its first instruction sets the limit, once, to the sum of its
 * instructions' allowances; the second sets `price` when given, and no price otherwise; it fits
 * in 1 232 bytes. Returns its size and its Crucible instructions' names.
 */
async function expectBudgeted(
  provider: AnchorProvider,
  signature: string,
  price: bigint | undefined,
): Promise<{ bytes: number; names: string[] }> {
  const { instructions, bytes } = await onChain(provider, signature);
  const tags = instructions.filter(isBudget).map((ix) => ix.data[0]);
  expect(isBudget(instructions[0]) && instructions[0].data[0] === 2, "limit first").to.equal(true);
  expect(tags.filter((t) => t === 2)).to.have.length(1);
  const budget = readComputeBudget(instructions);
  expect(budget.computeUnitLimit).to.equal(computeUnitLimit(instructions));
  if (price === undefined) {
    expect(tags).to.deep.equal([2]);
  } else {
    expect(isBudget(instructions[1]) && instructions[1].data[0] === 3, "price second").to.equal(
      true,
    );
    expect(budget.computeUnitPrice).to.equal(price);
  }
  expect(bytes).to.be.at.most(1_232);
  const names = instructions.flatMap((ix) => crucibleInstruction(ix)?.name ?? []);
  return { bytes, names };
}

describe("sdk / compute budget (withComputeBudget)", () => {
  it("starts with the limit: the table's value per Crucible instruction, plus its own 150", () => {
    const ixs = [submit(), sync(), pause()];
    const out = withComputeBudget(ixs);
    expect(out).to.have.length(4);
    expect(isBudget(out[0])).to.equal(true);
    expect(out.slice(1)).to.deep.equal(ixs);
    expect(readComputeBudget(out)).to.deep.equal({
      computeUnitLimit:
        CB +
        COMPUTE_UNIT_LIMITS.market.submit_result +
        COMPUTE_UNIT_LIMITS.staking.sync_rewards +
        COMPUTE_UNIT_LIMITS.emissions.set_paused,
      computeUnitPrice: undefined,
    });
  });

  it("knows every instruction of the three IDLs by its discriminator, and the table has each", () => {
    for (const [name, program] of [
      ["market", market.program],
      ["staking", staking.program],
      ["emissions", emissions.program],
    ] as const) {
      const json = { market: market.idl, staking: staking.idl, emissions: emissions.idl }[name];
      const table: Record<string, number> = COMPUTE_UNIT_LIMITS[name];
      expect(Object.keys(table).sort()).to.deep.equal(json.instructions.map((i) => i.name).sort());
      for (const i of json.instructions) {
        const ix = new TransactionInstruction({
          programId: program.programId,
          keys: [],
          data: Buffer.from([...i.discriminator, 1, 2, 3]),
        });
        expect(crucibleInstruction(ix)).to.deep.equal({ program: name, name: i.name });
        expect(instructionComputeUnits(ix)).to.equal(table[i.name]);
      }
    }
  });

  it("knows a deployment's own program ids when given them, and only then", () => {
    const myMarket = key();
    const ix = market.instructions.submitResult({
      provider: key(),
      job: key(),
      resultHash: new Uint8Array(32),
      programId: myMarket,
    });
    expect(crucibleInstruction(ix)).to.equal(undefined);
    expect(crucibleInstruction(ix, { market: myMarket })).to.deep.equal({
      program: "market",
      name: "submit_result",
    });
    // The staking program's id does not make its instructions the market's.
    expect(crucibleInstruction(sync(), { market: myMarket })?.program).to.equal("staking");
    const limit = readComputeBudget(
      withComputeBudget([ix], { programIds: { market: myMarket } }),
    ).computeUnitLimit;
    expect(limit).to.equal(CB + COMPUTE_UNIT_LIMITS.market.submit_result);
  });

  it("gives other programs their measured allowance, memos by length, and the unknown 200 000", () => {
    const transfer = createTransferInstruction(key(), key(), key(), 1n);
    const system = SystemProgram.transfer({ fromPubkey: key(), toPubkey: key(), lamports: 1 });
    const memo = new TransactionInstruction({
      programId: new PublicKey("MemoSq4gqABAXKb96qnH8TysNcWxMyWCqXgDLGmfcHr"),
      keys: [],
      data: Buffer.from("hello"),
    });
    const unknown = new TransactionInstruction({
      programId: key(),
      keys: [],
      data: Buffer.alloc(8),
    });
    // Data under a Crucible program id that starts no Crucible instruction.
    const forged = new TransactionInstruction({
      programId: market.program.programId,
      keys: [],
      data: Buffer.alloc(8, 0xff),
    });
    expect(instructionComputeUnits(transfer)).to.equal(10_000);
    expect(instructionComputeUnits(ata())).to.equal(40_000);
    expect(instructionComputeUnits(ata(TOKEN_2022_PROGRAM_ID))).to.equal(40_000);
    expect(instructionComputeUnits(system)).to.equal(3_000);
    expect(PROGRAM_COMPUTE_UNITS[TOKEN_2022_PROGRAM_ID.toBase58()]).to.equal(20_000);
    expect(instructionComputeUnits(memo)).to.equal(
      MEMO_COMPUTE_UNITS.base + 5 * MEMO_COMPUTE_UNITS.perByte,
    );
    expect(instructionComputeUnits(unknown)).to.equal(DEFAULT_INSTRUCTION_COMPUTE_UNITS);
    expect(crucibleInstruction(forged)).to.equal(undefined);
    expect(instructionComputeUnits(forged)).to.equal(DEFAULT_INSTRUCTION_COMPUTE_UNITS);
    const limit = readComputeBudget(
      withComputeBudget([ata(), transfer, system, unknown]),
    ).computeUnitLimit;
    expect(limit).to.equal(CB + 40_000 + 10_000 + 3_000 + 200_000);
  });

  it("caps the limit at 1 400 000", () => {
    const many = Array.from(
      { length: 8 },
      () => new TransactionInstruction({ programId: key(), keys: [], data: Buffer.alloc(0) }),
    );
    expect(readComputeBudget(withComputeBudget(many)).computeUnitLimit).to.equal(
      MAX_COMPUTE_UNIT_LIMIT,
    );
  });

  it("adds the price only when one is set, after the limit, and counts it in the limit", () => {
    expect(withComputeBudget([submit()]).filter(isBudget)).to.have.length(1);
    for (const price of [0n, 1n, 12_345n, 1_000]) {
      const out = withComputeBudget([submit()], { computeUnitPrice: price });
      expect(out.map((ix) => (isBudget(ix) ? ix.data[0] : "crucible"))).to.deep.equal([
        2,
        3,
        "crucible",
      ]);
      expect(readComputeBudget(out)).to.deep.equal({
        computeUnitLimit: 2 * CB + COMPUTE_UNIT_LIMITS.market.submit_result,
        computeUnitPrice: BigInt(price),
      });
    }
  });

  it("respects a caller's own limit and price: never a second of either kind", () => {
    const own = ComputeBudgetProgram.setComputeUnitLimit({ units: 300_000 });
    const ownPrice = ComputeBudgetProgram.setComputeUnitPrice({ microLamports: 9n });
    const ix = submit();
    expect(withComputeBudget([own, ix])).to.deep.equal([own, ix]);
    // The caller's limit, our price.
    const priced = withComputeBudget([ix, own], { computeUnitPrice: 5n });
    expect(priced.slice(1)).to.deep.equal([ix, own]);
    expect(readComputeBudget(priced)).to.deep.equal({
      computeUnitLimit: 300_000,
      computeUnitPrice: 5n,
    });
    // The caller's price, our limit (which counts the caller's instruction).
    const limited = withComputeBudget([ownPrice, ix], { computeUnitPrice: 5n });
    expect(limited.slice(1)).to.deep.equal([ownPrice, ix]);
    expect(readComputeBudget(limited)).to.deep.equal({
      computeUnitLimit: 2 * CB + COMPUTE_UNIT_LIMITS.market.submit_result,
      computeUnitPrice: 9n,
    });
    expect(withComputeBudget([own, ownPrice, ix], { computeUnitPrice: 5n })).to.deep.equal([
      own,
      ownPrice,
      ix,
    ]);
    // Other compute-budget instructions (a heap frame) are no limit: ours is still added.
    const heap = ComputeBudgetProgram.requestHeapFrame({ bytes: 64 * 1024 });
    const withHeap = withComputeBudget([heap, ix]);
    expect(withHeap.slice(1)).to.deep.equal([heap, ix]);
    expect(readComputeBudget(withHeap).computeUnitLimit).to.equal(
      2 * CB + COMPUTE_UNIT_LIMITS.market.submit_result,
    );
  });

  it("computes the priority fee as the runtime does, ceil(price x limit / 1e6)", () => {
    expect(priorityFeeLamports(0n, 200_000)).to.equal(0n);
    expect(priorityFeeLamports(1n, 1)).to.equal(1n);
    expect(priorityFeeLamports(1n, 1_000_000)).to.equal(1n);
    expect(priorityFeeLamports(1n, 1_000_001)).to.equal(2n);
    expect(priorityFeeLamports(50_000n, 200_000)).to.equal(10_000n);
    expect(priorityFeeLamports((1n << 64n) - 1n, MAX_COMPUTE_UNIT_LIMIT)).to.equal(
      (((1n << 64n) - 1n) * 1_400_000n + 999_999n) / 1_000_000n,
    );
  });

  it("refuses a priority fee above the cap (PriorityFeeTooHigh); one at the cap passes", () => {
    const ixs = [submit()];
    const limit = 2 * CB + COMPUTE_UNIT_LIMITS.market.submit_result;
    const price = 1_234_567n;
    const fee = priorityFeeLamports(price, limit);
    const at = withComputeBudget(ixs, { computeUnitPrice: price, maxPriorityFeeLamports: fee });
    expect(readComputeBudget(at).computeUnitPrice).to.equal(price);
    expect(() =>
      withComputeBudget(ixs, { computeUnitPrice: price, maxPriorityFeeLamports: fee - 1n }),
    )
      .to.throw(/priority fee would be \d+ lamports .* above the cap of \d+ lamports/)
      .with.property("name", "PriorityFeeTooHigh");
    // The default cap, 0.01 SOL.
    const over = (DEFAULT_MAX_PRIORITY_FEE_LAMPORTS * 1_000_000n) / BigInt(limit) + 1n;
    expect(() => withComputeBudget(ixs, { computeUnitPrice: over }))
      .to.throw()
      .with.property("name", "PriorityFeeTooHigh");
    expect(() => withComputeBudget(ixs, { computeUnitPrice: over - 1n })).to.not.throw();
    // A caller's own price is held to the cap too.
    const own = ComputeBudgetProgram.setComputeUnitPrice({ microLamports: over });
    expect(() => withComputeBudget([own, ...ixs]))
      .to.throw()
      .with.property("name", "PriorityFeeTooHigh");
  });

  for (const [what, value] of [
    ["a negative bigint", -1n],
    ["a negative number", -5],
    ["a fraction", 1.5],
    ["a value above u64", 1n << 64n],
    ["a number beyond 2^53", 2 ** 60],
    ["NaN", NaN],
    ["a string", "5" as unknown as bigint],
  ] as Array<[string, bigint | number]>) {
    it(`rejects ${what} as a price or a cap, with a clear error`, () => {
      expect(() => withComputeBudget([submit()], { computeUnitPrice: value }))
        .to.throw(
          /the compute-unit price \(micro-lamports\) must be a whole number from 0 to 2\^64 - 1/,
        )
        .with.property("name", "InvalidComputeUnitPrice");
      expect(() =>
        withComputeBudget([submit()], { computeUnitPrice: 1n, maxPriorityFeeLamports: value }),
      )
        .to.throw(/the priority fee cap \(lamports\) must be a whole number/)
        .with.property("name", "InvalidPriorityFeeCap");
      expect(() => new MarketClient(getProvider(), { computeUnitPrice: value }))
        .to.throw()
        .with.property("name", "InvalidComputeUnitPrice");
      const client = new StakingClient(getProvider());
      expect(() => {
        client.priorityFee = { computeUnitPrice: 1n, maxPriorityFeeLamports: value };
      })
        .to.throw()
        .with.property("name", "InvalidPriorityFeeCap");
      expect(client.priorityFee).to.deep.equal({
        computeUnitPrice: undefined,
        maxPriorityFeeLamports: undefined,
      });
    });
  }

  it("leaves an empty list empty", () => {
    expect(withComputeBudget([], { computeUnitPrice: 1n })).to.deep.equal([]);
  });
});

describe("sdk / compute budget on the chain", function () {
  this.timeout(180_000);
  const provider = getProvider();

  it("sets the limit first on every transaction of a market lifecycle, the price where set, within 1 232 bytes", async () => {
    const w = await marketWorld();
    const rec = new RecordingProvider(provider);
    const markets = new MarketClient(rec, { computeUnitPrice: 1_000n });
    const { job, signature } = await markets.createJob({
      market: w.market,
      price: 10n * TOKEN,
      durationSecs: 3_600n,
      clientToken: w.client.token,
      client: w.client.key,
    });
    await markets.acceptJob({ job, provider: w.worker.key });
    await markets.submitResult({
      job,
      resultHash: new Uint8Array(32).fill(1),
      provider: w.worker.key,
    });
    // The worker has no associated token account: the payout creates it in the same transaction.
    await markets.completeJob({ job, client: w.client.key });
    // The largest shapes: five jobs in one transaction, and a dispute resolved into two new
    // associated token accounts.
    await markets.createJobs({
      market: w.market,
      jobs: [1n, 2n, 3n, 4n, 5n].map((i) => ({
        price: i * TOKEN,
        durationSecs: 3_600n,
        specHash: new Uint8Array(32).fill(Number(i)),
      })),
      clientToken: w.client.token,
      client: w.client.key,
    });
    // Another provider, so that neither party has an associated token account yet.
    const disputed = await disputedJob(w, { provider: await stakedParty(w, 500n * TOKEN) });
    await markets.resolveDispute({
      job: disputed,
      providerShareBps: 5_000,
      slashAmount: 0n,
      arbiter: w.arbiter,
    });
    expect(rec.sent).to.have.length(6);
    const seen = [];
    for (const s of rec.sent) seen.push(await expectBudgeted(rec, s, 1_000n));
    expect(seen.map((s) => s.names)).to.deep.equal([
      ["create_job"],
      ["accept_job"],
      ["submit_result"],
      ["complete_job"],
      Array(5).fill("create_job"),
      ["resolve_dispute"],
    ]);
    // complete_job and resolve_dispute carry the ATA creations before them.
    const complete = await onChain(rec, rec.sent[3]);
    expect(complete.instructions).to.have.length(4);
    expect(readComputeBudget(complete.instructions).computeUnitLimit).to.equal(
      2 * CB + 40_000 + COMPUTE_UNIT_LIMITS.market.complete_job,
    );
    const resolve = await onChain(rec, rec.sent[5]);
    expect(resolve.instructions).to.have.length(5);
    // The limit of a lone create_job is the table's value and the two budget instructions.
    const first = await onChain(rec, signature);
    const limit = readComputeBudget(first.instructions).computeUnitLimit!;
    expect(limit).to.equal(2 * CB + COMPUTE_UNIT_LIMITS.market.create_job);
    // The validator charged exactly the priority fee the SDK computes, with the signatures'.
    expect(BigInt(first.fee)).to.equal(
      5_000n * BigInt(first.signatures) + priorityFeeLamports(1_000n, limit),
    );
    expect(priorityFeeLamports(1_000n, limit) > 0n).to.equal(true);
  });

  it("sets the limit, and no price when none is set, on a provider's staking transactions", async function () {
    await requiresTimeTravel(this);
    const w = await stakingWorld({ minStake: TOKEN });
    const rec = new RecordingProvider(provider);
    const stakes = new StakingClient(rec);
    await stakes.stake({
      owner: w.provider1,
      mint: w.mint,
      source: w.providerSource,
      amount: 10n * TOKEN,
    });
    await warp(provider, Number(staking.WARMUP_SECS));
    await stakes.activateStake({ mint: w.mint, owner: w.provider1.publicKey });
    await stakes.requestUnstake({ owner: w.provider1, mint: w.mint, amount: 4n * TOKEN });
    await stakes.cancelUnstake({ owner: w.provider1, mint: w.mint });
    await stakes.setPaused({ mint: w.mint, paused: true });
    const names = [];
    for (const s of rec.sent) names.push((await expectBudgeted(rec, s, undefined)).names);
    expect(names).to.deep.equal([
      ["stake"],
      ["activate_stake"],
      ["request_unstake"],
      ["cancel_unstake"],
      ["set_paused"],
    ]);
  });

  it("sets the limit and price on an 8-recipient vault's transactions (create, emit, pause), within 1 232 bytes", async function () {
    await requiresTimeTravel(this);
    const w = await emissionsWorld({ recipients: 8 });
    const rec = new RecordingProvider(provider);
    const vaults = new EmissionsClient(rec, { computeUnitPrice: 7n });
    const { vault } = await vaults.createVault({
      mint: w.mint,
      source: w.source,
      startTs: await emissions.fetchUnixTimestamp(provider.connection),
      initialPerHour: 1_000n,
      decayBps: 1_000,
      periodHours: 4,
      cap: 1_000_000n,
      revocable: true,
      recipients: w.recipients.map((tokenAccount) => ({ tokenAccount, shareBps: 1_250 })),
    });
    await warp(provider, 3 * 3_600);
    await vaults.emit({ vault });
    await vaults.setPaused({ vault, paused: true });
    const seen = [];
    for (const s of rec.sent) seen.push(await expectBudgeted(rec, s, 7n));
    expect(seen.map((s) => s.names)).to.deep.equal([["create_vault"], ["emit"], ["set_paused"]]);
  });

  it("refuses a transaction whose priority fee exceeds the cap, before sending: nothing moves (PriorityFeeTooHigh)", async () => {
    const w = await marketWorld();
    const rec = new RecordingProvider(provider);
    const markets = new MarketClient(rec, {
      computeUnitPrice: 1_000n,
      // Far below create_job's fee at that price (1 000 µ-lamports × its ~73 000-unit limit).
      maxPriorityFeeLamports: 10n,
    });
    const nonce = 77n;
    const err = await expectRejected(
      provider,
      () =>
        markets.createJob({
          market: w.market,
          price: TOKEN,
          durationSecs: 3_600n,
          nonce,
          clientToken: w.client.token,
          client: w.client.key,
        }),
      "PriorityFeeTooHigh",
      {
        tokens: [w.client.token],
        lamports: [w.client.key.publicKey, provider.wallet.publicKey],
        accounts: [market.jobPda(w.market, w.client.key.publicKey, nonce)],
      },
    );
    expect(err.message).to.match(
      /^the priority fee would be \d+ lamports \(1000 micro-lamports per unit x \d+ units\), above the cap of 10 lamports \(maxPriorityFeeLamports\)$/,
    );
    expect(rec.sent).to.deep.equal([]);
    // Raised cap: the same job goes through.
    markets.priorityFee = { computeUnitPrice: 1_000n, maxPriorityFeeLamports: 1_000n };
    const { signature } = await markets.createJob({
      market: w.market,
      price: TOKEN,
      durationSecs: 3_600n,
      nonce,
      clientToken: w.client.token,
      client: w.client.key,
    });
    await expectBudgeted(rec, signature, 1_000n);
  });

  it("rejects a bad price given to sendInstructions before sending (InvalidComputeUnitPrice)", async () => {
    const rec = new RecordingProvider(provider);
    const ix = SystemProgram.transfer({
      fromPubkey: provider.wallet.publicKey,
      toPubkey: key(),
      lamports: 1_000_000,
    });
    await expectRejected(
      provider,
      () => sendInstructions(rec, [ix], [], CRUCIBLE_ERRORS, { computeUnitPrice: -1n }),
      "InvalidComputeUnitPrice",
      { lamports: [provider.wallet.publicKey] },
    );
    expect(rec.sent).to.deep.equal([]);
  });

  it("respects a caller's own compute-budget instruction: the chain sees one limit, the caller's", async () => {
    const w = await marketWorld();
    const job = await runningJob(w);
    const rec = new RecordingProvider(provider);
    const own = ComputeBudgetProgram.setComputeUnitLimit({ units: 250_000 });
    const ix = market.instructions.submitResult({
      provider: w.worker.key.publicKey,
      job,
      resultHash: new Uint8Array(32).fill(3),
    });
    const signature = await sendInstructions(rec, [own, ix], [w.worker.key], CRUCIBLE_ERRORS, {
      computeUnitPrice: 11n,
    });
    const { instructions } = await onChain(rec, signature);
    expect(instructions.filter(isBudget).map((i) => i.data[0])).to.deep.equal([3, 2]);
    expect(readComputeBudget(instructions)).to.deep.equal({
      computeUnitLimit: 250_000,
      computeUnitPrice: 11n,
    });
    expect((await market.fetchJob(provider.connection, job))!.state).to.equal("submitted");
  });
});

describe("sdk / compute budget of the bootstrap (crucible init --with-compute-unit-price)", function () {
  this.timeout(180_000);
  const provider = getProvider();

  it("carries the limit and the price on every bootstrap transaction, an 8-recipient vault's included, within 1 232 bytes", async () => {
    const { mint } = await marketNetwork();
    const owners = Array.from({ length: 6 }, () => key());
    const accounts = [];
    for (const owner of owners) accounts.push(await tokenAccount(provider, mint, owner));
    const id = BigInt(Date.now()) * 1000n + BigInt(Math.floor(Math.random() * 1000));
    const config = {
      mint: { decimals: 6 },
      staking: { minStake: "1", unbondingSecs: 1_209_600 },
      markets: [{ id: id.toString(), name: "budget" }],
      vaults: [
        {
          id: (id + 1n).toString(),
          initialPerHour: "1",
          decayBps: 102,
          periodHours: 730,
          cap: "10",
          fundFrom: "mint",
          recipients: [
            { to: "stakingRewardVault", shareBps: 1_250 },
            { to: "treasury", shareBps: 1_250 },
            ...accounts.map((a) => ({ to: a.toBase58(), shareBps: 1_250 })),
          ],
        },
      ],
    };
    const dir = mkdtempSync(join(tmpdir(), "crucible-budget-"));
    const file = join(dir, "network.json");
    writeFileSync(file, JSON.stringify(config));
    const root = resolve(__dirname, "..");
    const out = await new Promise<{ code: number; stdout: string; stderr: string }>((done) =>
      execFile(
        process.execPath,
        [
          join(root, "cli", "bin", "crucible.js"),
          "init",
          "--config",
          file,
          "--with-compute-unit-price",
          "2500",
          "--json",
          "--url",
          provider.connection.rpcEndpoint,
          "--keypair",
          process.env.ANCHOR_WALLET!,
        ],
        { cwd: root, env: { ...process.env, HOME: join(dir, "home") }, timeout: 90_000 },
        (err, stdout, stderr) =>
          done({ code: err ? (typeof err.code === "number" ? err.code : -1) : 0, stdout, stderr }),
      ),
    );
    expect(out.code, out.stderr).to.equal(0);
    const signatures: string[] = JSON.parse(out.stdout).signatures;
    expect(signatures.length).to.be.at.least(3);
    const names = [];
    for (const s of signatures) names.push(...(await expectBudgeted(provider, s, 2_500n)).names);
    expect(names).to.include.members(["create_market", "create_vault", "add_reward_source"]);
    expect(
      (await emissions.fetchEmissionVault(provider.connection, emissions.vaultPda(mint, id + 1n)))!
        .recipients,
    ).to.have.length(8);
  });
});

// Errors the budget can meet on a cluster, named: tests/cli.errors.test.ts style.
describe("sdk / compute budget errors, named", function () {
  this.timeout(60_000);
  const provider = getProvider();

  it("names an instruction that runs out of the caller's limit (ComputationalBudgetExceeded)", async () => {
    // SPL programs run as metered SBF here: creating an associated token account takes ~22 000.
    const owner = key();
    const { mint } = await marketNetwork();
    const create = createAssociatedTokenAccountIdempotentInstruction(
      provider.wallet.publicKey,
      PublicKey.findProgramAddressSync(
        [owner.toBuffer(), TOKEN_PROGRAM_ID.toBuffer(), mint.toBuffer()],
        new PublicKey("ATokenGPvbdGVxr1b2hvZbsiqW5xWH25efTNsLJA8knL"),
      )[0],
      owner,
      mint,
    );
    const own = ComputeBudgetProgram.setComputeUnitLimit({ units: 5_000 });
    const e = await expectError(
      sendInstructions(provider, [own, create]),
      "ComputationalBudgetExceeded",
    );
    expect(e.logs.some((l) => /consumed 4850 of 4850 compute units/.test(l))).to.equal(true);
    // With the SDK's own limit it goes through.
    await sendInstructions(provider, [create]);
  });

  it("names a transaction with two limits (DuplicateInstruction)", async () => {
    const payer = Keypair.fromSecretKey(
      (provider.wallet as unknown as { payer: Keypair }).payer.secretKey,
    );
    const { blockhash } = await provider.connection.getLatestBlockhash("confirmed");
    const tx = new Transaction({ feePayer: payer.publicKey, recentBlockhash: blockhash }).add(
      ComputeBudgetProgram.setComputeUnitLimit({ units: 10_000 }),
      ComputeBudgetProgram.setComputeUnitLimit({ units: 20_000 }),
      SystemProgram.transfer({ fromPubkey: payer.publicKey, toPubkey: key(), lamports: 1_000_000 }),
    );
    tx.sign(payer);
    const before = await provider.connection.getBalance(payer.publicKey, "confirmed");
    const sent = provider.connection.sendRawTransaction(tx.serialize()).catch((err) => {
      throw translateError(err, CRUCIBLE_ERRORS);
    });
    await expectError(sent, "DuplicateInstruction");
    expect(await provider.connection.getBalance(payer.publicKey, "confirmed")).to.equal(before);
  });
});
