// The arbiter's resolve_dispute through the SDK over RPC: the split of the price (the client's
// part refunded first, the provider's part settled with burn and fee), the slash of collateral
// to the client or burned, and the rejections (exact error name, nothing moved).
import { Keypair, PublicKey, TransactionInstruction } from "@solana/web3.js";
import { expect } from "chai";

import { market } from "../sdk/src";
import { expectRejected, lamportsOf, snapshot, TOKEN } from "./harness/fixtures";
import {
  defaultParams,
  disputedJob,
  jobOf,
  marketEvent,
  MarketWorld,
  marketWorld,
  poolOf,
  PRICE,
  sendAs,
  sendToEscrow,
  stakeOf,
  submittedJob,
  supply,
  untouched,
} from "./harness/market";

const ix = market.instructions;

/** Balances a verdict moves: client, provider, fee vault, stake vault, and the supply. */
async function moved(w: MarketWorld): Promise<bigint[]> {
  return [
    ...(await snapshot(w.provider, [
      w.client.token,
      w.worker.token,
      w.feeVault,
      poolOf(w.mint).stakeVault,
    ])),
    await supply(w.provider, w.mint),
  ];
}

/** A `resolve_dispute` instruction for `job`, by `arbiter` (the market's by default). */
async function resolveIx(
  w: MarketWorld,
  job: PublicKey,
  o: { providerShareBps: number; slashAmount: bigint; arbiter?: PublicKey },
): Promise<TransactionInstruction> {
  const j = await jobOf(w, job);
  return ix.resolveDispute({
    ctx: await w.markets.context(w.market),
    job,
    client: j.client,
    provider: j.provider!,
    providerToken: w.worker.token,
    clientToken: w.client.token,
    arbiter: o.arbiter ?? w.arbiter.publicKey,
    providerShareBps: o.providerShareBps,
    slashAmount: o.slashAmount,
  });
}

describe("market / resolve_dispute", () => {
  let w: MarketWorld;
  beforeEach(async () => {
    w = await marketWorld();
  });

  it("splits the price as disputeOutcome says and pays the slash to the client", async () => {
    const lamports = await lamportsOf(w.provider, w.client.key.publicKey);
    const job = await disputedJob(w);
    const collateral = (await jobOf(w, job)).collateral;
    const slash = collateral / 3n + 1n;
    const before = await moved(w);
    const signature = await w.markets.resolveDispute({
      job,
      providerShareBps: 3_333,
      slashAmount: slash,
      slashToClient: true,
      providerToken: w.worker.token,
      clientToken: w.client.token,
      arbiter: w.arbiter,
    });
    const o = market.disputeOutcome(PRICE, 3_333, 2_000, 500);
    expect(o.refunded + o.burned + o.fee + o.paid).to.equal(PRICE);
    const after = await moved(w);
    expect(after.map((a, i) => a - before[i])).to.deep.equal([
      o.refunded + slash,
      o.paid,
      o.fee,
      -slash,
      -o.burned,
    ]);
    const s = await stakeOf(w, w.worker.key.publicKey);
    expect([s.active, s.locked, s.slashedTotal, s.jobsCompleted, s.jobsFailed]).to.deep.equal([
      500n * TOKEN - slash,
      0n,
      slash,
      0n,
      1n,
    ]);
    expect(await w.markets.fetchJob(job)).to.equal(null);
    expect(await w.provider.connection.getAccountInfo(market.escrowPda(job))).to.equal(null);
    expect(await lamportsOf(w.provider, w.client.key.publicKey)).to.equal(lamports);
    const e = await marketEvent(w.provider, signature, "disputeResolved");
    expect([
      e.price,
      e.providerShareBps,
      e.refunded,
      e.burned,
      e.fee,
      e.paid,
      e.slashed,
      e.slashBurned,
      e.byDefault,
    ]).to.deep.equal([PRICE, 3_333, o.refunded, o.burned, o.fee, o.paid, slash, false, false]);
  });

  it("burns the slash instead: the supply drops by exactly the burn share and the slash", async () => {
    const job = await disputedJob(w);
    const collateral = (await jobOf(w, job)).collateral;
    const before = await moved(w);
    const signature = await w.markets.resolveDispute({
      job,
      providerShareBps: 0,
      slashAmount: collateral,
      slashToClient: false,
      providerToken: w.worker.token,
      clientToken: w.client.token,
      arbiter: w.arbiter,
    });
    const after = await moved(w);
    expect(after.map((a, i) => a - before[i])).to.deep.equal([
      PRICE,
      0n,
      0n,
      -collateral,
      -collateral,
    ]);
    const e = await marketEvent(w.provider, signature, "disputeResolved");
    expect([e.refunded, e.burned, e.fee, e.paid, e.slashed, e.slashBurned]).to.deep.equal([
      PRICE,
      0n,
      0n,
      0n,
      collateral,
      true,
    ]);
    expect((await stakeOf(w, w.worker.key.publicKey)).active).to.equal(500n * TOKEN - collateral);
  });

  it("refunds tokens someone else sent to the escrow with the client's part", async () => {
    const job = await disputedJob(w);
    const extra = 2n * TOKEN + 3n;
    await sendToEscrow(w, job, w.attacker, extra);
    const before = await moved(w);
    const signature = await w.markets.resolveDispute({
      job,
      providerShareBps: 6_001,
      slashAmount: 0n,
      providerToken: w.worker.token,
      clientToken: w.client.token,
      arbiter: w.arbiter,
    });
    const o = market.disputeOutcome(PRICE, 6_001, 2_000, 500);
    const after = await moved(w);
    expect(after.map((a, i) => a - before[i])).to.deep.equal([
      o.refunded + extra,
      o.paid,
      o.fee,
      0n,
      -o.burned,
    ]);
    const e = await marketEvent(w.provider, signature, "disputeResolved");
    expect([e.price, e.refunded, e.burned, e.fee, e.paid]).to.deep.equal([
      PRICE,
      o.refunded + extra,
      o.burned,
      o.fee,
      o.paid,
    ]);
    expect(await w.provider.connection.getAccountInfo(market.escrowPda(job))).to.equal(null);
  });

  it("counts a full share without slash as a completed job for the provider", async () => {
    const job = await disputedJob(w);
    const before = await moved(w);
    await w.markets.resolveDispute({
      job,
      providerShareBps: 10_000,
      slashAmount: 0n,
      providerToken: w.worker.token,
      clientToken: w.client.token,
      arbiter: w.arbiter,
    });
    const s = market.settlementSplit(PRICE, 2_000, 500);
    const after = await moved(w);
    expect(after.map((a, i) => a - before[i])).to.deep.equal([0n, s.paid, s.fee, 0n, -s.burned]);
    const stake = await stakeOf(w, w.worker.key.publicKey);
    expect([stake.locked, stake.jobsCompleted, stake.jobsFailed]).to.deep.equal([0n, 1n, 0n]);
  });

  it("is decided by the arbiter recorded when the dispute opened, whatever the market says later", async () => {
    const job = await disputedJob(w);
    expect((await jobOf(w, job)).arbiter!.equals(w.arbiter.publicKey)).to.equal(true);
    // The admin names a new arbiter for the market while the dispute is open.
    const next = Keypair.generate();
    await w.markets.updateMarket({
      market: w.market,
      params: defaultParams(),
      arbiter: next.publicKey,
    });
    const resolve = await resolveIx(w, job, {
      providerShareBps: 5_000,
      slashAmount: 0n,
      arbiter: next.publicKey,
    });
    await expectRejected(
      w.provider,
      () => sendAs(w, [resolve], [next]),
      "NotArbiter",
      await untouched(w, [job]),
    );
    // The arbiter of the dispute decides it: 50 % of the price back, the rest settled.
    const before = await moved(w);
    await w.markets.resolveDispute({
      job,
      providerShareBps: 5_000,
      slashAmount: 0n,
      providerToken: w.worker.token,
      clientToken: w.client.token,
      arbiter: w.arbiter,
    });
    const o = market.disputeOutcome(PRICE, 5_000, 2_000, 500);
    const after = await moved(w);
    expect(after.map((a, i) => a - before[i])).to.deep.equal([
      o.refunded,
      o.paid,
      o.fee,
      0n,
      -o.burned,
    ]);
    expect(await w.markets.fetchJob(job)).to.equal(null);
    // A dispute opened after the change is the new arbiter's; the old one is refused.
    const later = await disputedJob(w);
    expect((await jobOf(w, later)).arbiter!.equals(next.publicKey)).to.equal(true);
    await expectRejected(
      w.provider,
      () =>
        w.markets.resolveDispute({
          job: later,
          providerShareBps: 5_000,
          slashAmount: 0n,
          providerToken: w.worker.token,
          clientToken: w.client.token,
          arbiter: w.arbiter,
        }),
      "NotArbiter",
      await untouched(w, [later]),
    );
    await sendAs(
      w,
      [
        await resolveIx(w, later, {
          providerShareBps: 5_000,
          slashAmount: 0n,
          arbiter: next.publicKey,
        }),
      ],
      [next],
    );
    expect(await w.markets.fetchJob(later)).to.equal(null);
  });

  it("rejects a signer that is not the arbiter (NotArbiter): not the client, not the admin", async () => {
    const job = await disputedJob(w);
    for (const signer of [w.attacker.key, w.client.key]) {
      await expectRejected(
        w.provider,
        () =>
          w.markets.resolveDispute({
            job,
            providerShareBps: 0,
            slashAmount: 0n,
            providerToken: w.worker.token,
            clientToken: w.client.token,
            arbiter: signer,
          }),
        "NotArbiter",
        await untouched(w, [job]),
      );
    }
    await expectRejected(
      w.provider,
      () =>
        w.markets.resolveDispute({
          job,
          providerShareBps: 0,
          slashAmount: 0n,
          providerToken: w.worker.token,
          clientToken: w.client.token,
        }),
      "NotArbiter",
      await untouched(w, [job]),
    );
  });

  it("rejects a slash above the job's collateral (SlashExceedsCollateral)", async () => {
    const job = await disputedJob(w);
    const collateral = (await jobOf(w, job)).collateral;
    await expectRejected(
      w.provider,
      () =>
        w.markets.resolveDispute({
          job,
          providerShareBps: 0,
          slashAmount: collateral + 1n,
          providerToken: w.worker.token,
          clientToken: w.client.token,
          arbiter: w.arbiter,
        }),
      "SlashExceedsCollateral",
      await untouched(w, [job]),
    );
  });

  it("rejects a share above 10 000 bps: a RangeError in the builder, InvalidShare on chain", async () => {
    const job = await disputedJob(w);
    const keep = await untouched(w, [job]);
    const before = await snapshot(w.provider, keep.tokens!, keep.lamports!);
    // The SDK refuses to build it.
    let thrown: unknown;
    try {
      await w.markets.resolveDispute({
        job,
        providerShareBps: 10_001,
        slashAmount: 0n,
        providerToken: w.worker.token,
        clientToken: w.client.token,
        arbiter: w.arbiter,
      });
    } catch (e) {
      thrown = e;
    }
    expect(thrown).to.be.instanceOf(RangeError);
    const base = await resolveIx(w, job, { providerShareBps: 10_000, slashAmount: 0n });
    const ctx = await w.markets.context(w.market);
    expect(() =>
      ix.resolveDispute({
        ctx,
        job,
        client: w.client.key.publicKey,
        provider: w.worker.key.publicKey,
        providerToken: w.worker.token,
        clientToken: w.client.token,
        arbiter: w.arbiter.publicKey,
        providerShareBps: 10_001,
        slashAmount: 0n,
      }),
    ).to.throw(RangeError);
    expect(await snapshot(w.provider, keep.tokens!, keep.lamports!)).to.deep.equal(before);
    // Built by hand (args: 8-byte discriminator, then the share as u16 LE): the program refuses.
    const data = Buffer.from(base.data);
    expect(data.readUInt16LE(8)).to.equal(10_000);
    data.writeUInt16LE(10_001, 8);
    const forged = new TransactionInstruction({ programId: base.programId, keys: base.keys, data });
    await expectRejected(w.provider, () => sendAs(w, [forged], [w.arbiter]), "InvalidShare", keep);
  });

  it("rejects a job that is not disputed (JobNotDisputed)", async () => {
    const job = await submittedJob(w);
    const resolve = await resolveIx(w, job, { providerShareBps: 5_000, slashAmount: 0n });
    await expectRejected(
      w.provider,
      () => sendAs(w, [resolve], [w.arbiter]),
      "JobNotDisputed",
      await untouched(w, [job]),
    );
  });

  it("rejects a client token account owned by someone else (WrongClientAccount)", async () => {
    const job = await disputedJob(w);
    await expectRejected(
      w.provider,
      () =>
        w.markets.resolveDispute({
          job,
          providerShareBps: 0,
          slashAmount: 1n,
          providerToken: w.worker.token,
          clientToken: w.attacker.token,
          arbiter: w.arbiter,
        }),
      "WrongClientAccount",
      await untouched(w, [job]),
    );
  });

  it("rejects a provider token account owned by someone else (WrongProviderAccount)", async () => {
    const job = await disputedJob(w);
    await expectRejected(
      w.provider,
      () =>
        w.markets.resolveDispute({
          job,
          providerShareBps: 10_000,
          slashAmount: 0n,
          providerToken: w.attacker.token,
          clientToken: w.client.token,
          arbiter: w.arbiter,
        }),
      "WrongProviderAccount",
      await untouched(w, [job]),
    );
  });
});
