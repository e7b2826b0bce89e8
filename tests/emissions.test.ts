// The emissions program through the SDK, against the local validator: every instruction's happy
// path with its event, and its rejections by error name with no token, lamport or account
// moved. Expected amounts come from DESIGN.md's schedule (rate(k) = floor(rate(k−1) ·
// (10 000 − decay) / 10 000), cap-clipped) and shares (floor(total · share / 10 000)),
// recomputed here by hand for the small schedules, and from the SDK's mirror (itself checked
// against the program's vectors) for the large ones.
import { mintTo } from "@solana/spl-token";
import { PublicKey, TransactionInstruction } from "@solana/web3.js";
import { expect } from "chai";

import { emissions, EmissionsClient, sendInstructions } from "../sdk/src";
import { fundedKeypair } from "./harness/env";
import { requiresTimeTravel, warp } from "./harness/cheatcodes";
import { balances, newVault, owedTo, SHARES, SMALL } from "./harness/emissions";
import {
  chainTime,
  emissionsTxEvent,
  emissionsTxEvents,
  emissionsWorld,
  EmissionsWorld,
  expectRejected,
  lamportsOf,
  payerOf,
  providerFor,
  tokenAccount,
  tokenBalance,
} from "./harness/fixtures";

const HOUR = 3_600;
const ix = emissions.instructions;

describe("emissions / create_vault", () => {
  let w: EmissionsWorld;
  beforeEach(async () => {
    w = await emissionsWorld();
  });

  it("creates a vault funded with its whole cap, the schedule and recipients recorded, emitting VaultCreated", async () => {
    const before = await tokenBalance(w.provider, w.source);
    const startTs = (await chainTime(w.provider)) + 600n;
    const schedule = emissions.defaultSchedule(6);
    const { vault, vaultId, signature } = await newVault(w, {
      schedule,
      startTs,
      revocable: false,
    });
    expect(vault.equals(emissions.vaultPda(w.mint, vaultId))).to.equal(true);
    const tokenVault = emissions.tokenVaultPda(vault);
    expect(await tokenBalance(w.provider, tokenVault)).to.equal(schedule.cap);
    expect(await tokenBalance(w.provider, w.source)).to.equal(before - schedule.cap);

    const v = (await w.client.fetchVault(vault))!;
    expect(v.authority.equals(w.authority)).to.equal(true);
    expect(v.pendingAuthority.equals(PublicKey.default)).to.equal(true);
    expect(v.mint.equals(w.mint) && v.tokenVault.equals(tokenVault)).to.equal(true);
    expect(v.vaultId).to.equal(vaultId);
    expect(v.startTs).to.equal(startTs);
    expect(emissions.scheduleOf(v)).to.deep.equal(schedule);
    expect(emissions.progressOf(v)).to.deep.equal({
      hours: 0n,
      total: 0n,
      period: 0n,
      rate: schedule.initialPerHour,
    });
    expect(v.recipientCount).to.equal(3);
    expect(v.recipients.map((r) => [r.tokenAccount.toBase58(), r.shareBps])).to.deep.equal(
      w.recipients.map((r, i) => [r.toBase58(), SHARES[i]]),
    );
    expect([v.revocable, v.revoked, v.paused]).to.deep.equal([false, false, false]);

    const e = await emissionsTxEvent(w.provider, signature, "vaultCreated");
    expect((e.vault as PublicKey).equals(vault)).to.equal(true);
    expect((e.authority as PublicKey).equals(w.authority)).to.equal(true);
    expect(e.vaultId).to.equal(vaultId);
    expect(e.startTs).to.equal(startTs);
    expect(e.initialPerHour).to.equal(schedule.initialPerHour);
    expect(e.decayBps).to.equal(102);
    expect(e.periodHours).to.equal(730);
    expect(e.cap).to.equal(schedule.cap);
    expect(e.funded).to.equal(schedule.cap);
    expect(e.revocable).to.equal(false);
    expect((e.recipients as emissions.Recipient[]).map((r) => r.shareBps)).to.deep.equal(SHARES);

    // Listed by mint and by authority, filtered on the server.
    const byMint = await w.client.listVaults({ mint: w.mint });
    expect(byMint.map((x) => x.address.toBase58())).to.deep.equal([vault.toBase58()]);
    const byBoth = await w.client.listVaults({ mint: w.mint, authority: w.attacker.publicKey });
    expect(byBoth).to.have.length(0);
  });

  it("rejects every parameter out of its bounds by name, moving no token", async () => {
    const now = await chainTime(w.provider);
    const DAY = 24n * 3_600n;
    const TEN_YEARS = 10n * 365n * DAY;
    const cases: Array<[Partial<emissions.CreateVaultParams>, string]> = [
      [{ initialPerHour: 0n }, "ZeroRate"],
      [{ decayBps: 10_001 }, "DecayTooHigh"],
      [{ periodHours: 0 }, "ZeroPeriod"],
      [{ cap: 0n }, "ZeroCap"],
      [{ startTs: now - DAY - 1n }, "StartTooFarInPast"],
      [{ startTs: now + TEN_YEARS + 1n }, "StartTooFarInFuture"],
    ];
    for (const [change, name] of cases) {
      const vaultId = emissions.randomVaultId();
      const vault = emissions.vaultPda(w.mint, vaultId);
      await expectRejected(
        w.provider,
        () =>
          w.client.createVault({
            mint: w.mint,
            source: w.source,
            startTs: now,
            ...SMALL,
            revocable: true,
            recipients: SHARES.map((shareBps, i) => ({ tokenAccount: w.recipients[i], shareBps })),
            vaultId,
            ...change,
          }),
        name,
        { tokens: [w.source], lamports: [w.authority], accounts: [vault] },
      );
    }
    // The edges themselves are accepted: decay 10 000, a start a day ago, ten years ahead.
    await newVault(w, { schedule: { ...SMALL, decayBps: 10_000 } });
    await newVault(w, { startTs: now - DAY });
    await newVault(w, { startTs: now + TEN_YEARS });
  });

  it("rejects bad recipient lists by name", async () => {
    const now = await chainTime(w.provider);
    const [a, b, c] = w.recipients;
    const other = await emissionsWorld({ recipients: 1, sourceTokens: 0n });
    const nine: PublicKey[] = [];
    for (let i = 0; i < 9; i++) nine.push(await tokenAccount(w.provider, w.mint, w.authority));
    const vaultId = 77n;
    const vault = emissions.vaultPda(w.mint, vaultId);
    const tokenVault = emissions.tokenVaultPda(vault);
    const rec = (accounts: PublicKey[], shares: number[]) =>
      accounts.map((tokenAccount, i) => ({ tokenAccount, shareBps: shares[i] }));
    const cases: Array<[emissions.RecipientInput[], string]> = [
      [[], "NoRecipients"],
      [
        rec(nine, [1_000, 1_000, 1_000, 1_000, 1_000, 1_000, 1_000, 1_000, 2_000]),
        "TooManyRecipients",
      ],
      [rec([a, b], [10_000, 0]), "ZeroShare"],
      [rec([a, b, c], [5_000, 3_000, 1_999]), "SharesMustSum10000"],
      [rec([a, b, a], SHARES), "DuplicateRecipient"],
      [rec([a, tokenVault], [5_000, 5_000]), "RecipientIsVault"],
      [rec([a, other.recipients[0]], [5_000, 5_000]), "WrongRecipientMint"],
      [rec([a, w.attacker.publicKey], [5_000, 5_000]), "InvalidRecipientAccount"],
    ];
    const untouched = {
      tokens: [w.source],
      lamports: [w.authority],
      accounts: [vault, tokenVault],
    };
    const build = (recipients: emissions.RecipientInput[]) =>
      ix.createVault({
        authority: w.authority,
        source: w.source,
        mint: w.mint,
        vaultId,
        startTs: now,
        ...SMALL,
        revocable: true,
        recipients,
        recipientsDelaySecs: emissions.MIN_NON_REVOCABLE_RECIPIENTS_DELAY_SECS,
      });
    for (const [recipients, name] of cases) {
      await expectRejected(
        w.provider,
        () => sendInstructions(w.provider, [build(recipients)]),
        name,
        untouched,
      );
    }
    // The accounts passed must be the recipients, in order.
    const swapped = build(rec([a, b, c], SHARES));
    const n = swapped.keys.length;
    [swapped.keys[n - 1], swapped.keys[n - 2]] = [swapped.keys[n - 2], swapped.keys[n - 1]];
    await expectRejected(
      w.provider,
      () => sendInstructions(w.provider, [swapped]),
      "RecipientMismatch",
      untouched,
    );
    const missing = build(rec([a, b, c], SHARES));
    missing.keys.pop();
    await expectRejected(
      w.provider,
      () => sendInstructions(w.provider, [missing]),
      "RecipientMismatch",
      untouched,
    );
  });

  it("rejects a source of another mint (WrongMint) and an id already used", async () => {
    const other = await emissionsWorld({ recipients: 0 });
    const now = await chainTime(w.provider);
    await expectRejected(
      w.provider,
      () =>
        w.client.createVault({
          mint: w.mint,
          source: other.source,
          startTs: now,
          ...SMALL,
          revocable: true,
          recipients: [{ tokenAccount: w.recipients[0], shareBps: 10_000 }],
        }),
      "WrongMint",
      { tokens: [other.source], lamports: [w.authority] },
    );
    const { vaultId, vault } = await newVault(w);
    await expectRejected(
      w.provider,
      () =>
        w.client.createVault({
          mint: w.mint,
          source: w.source,
          vaultId,
          startTs: now,
          ...SMALL,
          revocable: true,
          recipients: [{ tokenAccount: w.recipients[0], shareBps: 10_000 }],
        }),
      "AccountAlreadyInUse",
      { tokens: [w.source], lamports: [w.authority], accounts: [vault] },
    );
  });
});

describe("emissions / emit", () => {
  let w: EmissionsWorld;
  beforeEach(async () => {
    w = await emissionsWorld();
  });

  it("pays every whole hour due, split by share, exactly as previewEmit and emittedBetween announce", async function () {
    await requiresTimeTravel(this);
    const { vault } = await newVault(w);
    const cranker = new EmissionsClient(providerFor(w.attacker));
    await expectRejected(w.provider, () => cranker.emit({ vault }), "NothingDue", {
      tokens: w.recipients,
      lamports: [w.attacker.publicKey],
      accounts: [vault],
    });
    await warp(w.provider, 3 * HOUR + 3_599);
    const preview = await w.client.previewEmit(vault);
    expect(preview.outcome).to.equal("pay");
    expect([preview.fromHour, preview.toHour, preview.amount]).to.deep.equal([0n, 3n, 3_000n]);
    const signature = await cranker.emit({ vault });
    // Hours 0, 1, 2 at 1,000: 1,500 / 900 / 600.
    expect(await balances(w, w.recipients)).to.deep.equal([1_500n, 900n, 600n]);
    expect(preview.payments).to.deep.equal([1_500n, 900n, 600n]);
    const e = await emissionsTxEvent(w.provider, signature, "emitted");
    expect((e.vault as PublicKey).equals(vault)).to.equal(true);
    expect([e.fromHour, e.toHour, e.amount, e.totalEmitted, e.emittedHours]).to.deep.equal([
      0n,
      3n,
      3_000n,
      3_000n,
      3n,
    ]);
    expect([e.period, e.rate, e.periodsCrossed, e.caughtUp]).to.deep.equal([0n, 1_000n, 0n, true]);
    expect([e.settledDust, e.undistributed]).to.deep.equal([0n, 0n]);
    const payments = e.payments as Array<{ tokenAccount: PublicKey; amount: bigint }>;
    expect(payments.map((p) => [p.tokenAccount.toBase58(), p.amount])).to.deep.equal(
      w.recipients.map((r, i) => [r.toBase58(), [1_500n, 900n, 600n][i]]),
    );

    // Across a decay boundary: hour 3 at 1,000, hours 4..7 at 900, hour 8 at 810.
    await warp(w.provider, 6 * HOUR);
    const sig2 = await w.client.emit({ vault });
    const total = 3_000n + 1_000n + 4n * 900n + 810n;
    expect(emissions.emittedBetween(SMALL, 0n, 9n)).to.equal(total);
    expect((await w.client.fetchVault(vault))!.totalEmitted).to.equal(total);
    expect(await balances(w, w.recipients)).to.deep.equal(owedTo(SHARES, total));
    const e2 = await emissionsTxEvent(w.provider, sig2, "emitted");
    expect([e2.fromHour, e2.toHour, e2.amount, e2.periodsCrossed]).to.deep.equal([
      3n,
      9n,
      emissions.emittedBetween(SMALL, 3n, 9n),
      2n,
    ]);
    expect(await tokenBalance(w.provider, emissions.tokenVaultPda(vault))).to.equal(
      SMALL.cap - total,
    );
  });

  it("rejects before the start (NotStarted) and within the same hour (NothingDue)", async function () {
    await requiresTimeTravel(this);
    const start = (await chainTime(w.provider)) + 5n * 3_600n;
    const { vault } = await newVault(w, { startTs: start });
    const untouched = { tokens: w.recipients, lamports: [w.authority], accounts: [vault] };
    await expectRejected(w.provider, () => w.client.emit({ vault }), "NotStarted", untouched);
    await warp(w.provider, 5 * HOUR + 10);
    await expectRejected(w.provider, () => w.client.emit({ vault }), "NothingDue", untouched);
    await warp(w.provider, HOUR);
    await w.client.emit({ vault });
    expect(await balances(w, w.recipients)).to.deep.equal([500n, 300n, 200n]);
  });

  it("pays one call for 24 hours exactly what 24 hourly calls pay, recipient by recipient", async function () {
    await requiresTimeTravel(this);
    // 7 an hour over 40/40/20 % (so every hour leaves rounding dust), −50 % every 5 hours.
    const schedule = { initialPerHour: 7_777n, decayBps: 5_000, periodHours: 5, cap: 10n ** 12n };
    const shares = [4_000, 4_000, 2_000];
    const hourly = await emissionsWorld();
    const startTs = await chainTime(w.provider);
    const once = await newVault(w, { schedule, shares, startTs });
    const often = await newVault(hourly, { schedule, shares, startTs });
    for (let h = 0; h < 24; h++) {
      await warp(w.provider, HOUR);
      const sig = await hourly.client.emit({ vault: often.vault });
      const e = await emissionsTxEvent(w.provider, sig, "emitted");
      expect((e.toHour as bigint) - (e.fromHour as bigint)).to.equal(1n);
    }
    await w.client.emit({ vault: once.vault });
    const total = emissions.emittedBetween(schedule, 0n, 24n);
    expect(await balances(w, w.recipients)).to.deep.equal(owedTo(shares, total));
    expect(await balances(hourly, hourly.recipients)).to.deep.equal(owedTo(shares, total));
  });

  it("clips the last hour at the cap (EmissionCapReached), then succeeds as a no-op logging EmissionEnded", async function () {
    await requiresTimeTravel(this);
    const schedule = { initialPerHour: 1_001n, decayBps: 0, periodHours: 10, cap: 2_500n };
    const { vault } = await newVault(w, { schedule });
    await warp(w.provider, 5 * HOUR);
    const signature = await w.client.emit({ vault });
    // 1,001 + 1,001 + 498: settled at the end, nothing left in the vault.
    expect(await balances(w, w.recipients)).to.deep.equal([1_250n, 750n, 500n]);
    expect(await tokenBalance(w.provider, emissions.tokenVaultPda(vault))).to.equal(0n);
    const capped = await emissionsTxEvent(w.provider, signature, "emissionCapReached");
    expect([capped.cap, capped.emittedHours]).to.deep.equal([2_500n, 3n]);
    const e = await emissionsTxEvent(w.provider, signature, "emitted");
    expect([e.amount, e.toHour]).to.deep.equal([2_500n, 3n]);

    await warp(w.provider, 10 * HOUR);
    expect((await w.client.previewEmit(vault)).outcome).to.equal("ended");
    const before = await w.provider.connection.getAccountInfo(vault, "confirmed");
    const noop = await w.client.emit({ vault });
    const events = await emissionsTxEvents(w.provider, noop);
    expect(events.map((x) => x.name)).to.deep.equal(["emissionEnded"]);
    const [ended] = emissions.eventsNamed(events, "emissionEnded");
    expect(ended.reason).to.equal("capReached");
    expect(ended.totalEmitted).to.equal(2_500n);
    const after = await w.provider.connection.getAccountInfo(vault, "confirmed");
    expect(after!.data.equals(before!.data)).to.equal(true);
    expect(await balances(w, w.recipients)).to.deep.equal([1_250n, 750n, 500n]);
  });

  it("rejects recipient accounts that are not the vault's, in order and writable (RecipientMismatch)", async function () {
    await requiresTimeTravel(this);
    const { vault, vaultId } = await newVault(w);
    await warp(w.provider, 2 * HOUR);
    const [a, b, c] = w.recipients;
    const untouched = {
      tokens: [...w.recipients, emissions.tokenVaultPda(vault)],
      lamports: [w.authority],
      accounts: [vault],
    };
    for (const recipients of [[a, c, b], [a, b], [a, b, c, a], []]) {
      await expectRejected(
        w.provider,
        () => sendInstructions(w.provider, [ix.emit({ mint: w.mint, vaultId, recipients })]),
        "RecipientMismatch",
        untouched,
      );
    }
    const readOnly: TransactionInstruction = ix.emit({
      mint: w.mint,
      vaultId,
      recipients: [a, b, c],
    });
    readOnly.keys.slice(-3).forEach((k) => (k.isWritable = false));
    await expectRejected(
      w.provider,
      () => sendInstructions(w.provider, [readOnly]),
      "RecipientMismatch",
      untouched,
    );
  });
});

describe("emissions / set_paused", () => {
  it("stops payments while paused (VaultPaused); the paused hours are paid on resume", async function () {
    await requiresTimeTravel(this);
    const w = await emissionsWorld();
    const { vault } = await newVault(w);
    const intruder = new EmissionsClient(providerFor(w.attacker));
    const untouched = { tokens: w.recipients, lamports: [w.attacker.publicKey], accounts: [vault] };
    await expectRejected(
      w.provider,
      () => intruder.setPaused({ vault, paused: true }),
      "NotAuthority",
      untouched,
    );

    const sig = await w.client.setPaused({ vault, paused: true });
    const e = await emissionsTxEvent(w.provider, sig, "vaultPausedSet");
    expect([e.oldPaused, e.newPaused]).to.deep.equal([false, true]);
    await warp(w.provider, 5 * HOUR);
    expect((await w.client.previewEmit(vault)).outcome).to.equal("VaultPaused");
    await expectRejected(w.provider, () => intruder.emit({ vault }), "VaultPaused", untouched);
    await w.client.setPaused({ vault, paused: false });
    await w.client.emit({ vault });
    expect(await balances(w, w.recipients)).to.deep.equal(
      owedTo(SHARES, emissions.emittedBetween(SMALL, 0n, 5n)),
    );
  });
});

describe("emissions / update_recipients", () => {
  it("pays what is due to the old recipients first, then the new ones share what follows", async function () {
    await requiresTimeTravel(this);
    const w = await emissionsWorld({ recipients: 5 });
    const [a, b, c, d, e] = w.recipients;
    const { vault } = await newVault(w, { recipients: [a, b, c] });
    await warp(w.provider, 3 * HOUR);
    const next = [
      { tokenAccount: a, shareBps: 2_000 },
      { tokenAccount: d, shareBps: 3_000 },
      { tokenAccount: e, shareBps: 5_000 },
    ];
    const sig = await w.client.updateRecipients({ vault, recipients: next });
    expect(await balances(w, [a, b, c])).to.deep.equal(owedTo(SHARES, 3_000n, true));
    const updated = await emissionsTxEvent(w.provider, sig, "recipientsUpdated");
    expect(updated.baseEmitted).to.equal(3_000n);
    expect(updated.paidOld).to.equal(true);
    expect((updated.newRecipients as emissions.Recipient[]).map((r) => r.shareBps)).to.deep.equal([
      2_000, 3_000, 5_000,
    ]);
    const paid = await emissionsTxEvent(w.provider, sig, "emitted");
    expect([paid.fromHour, paid.toHour, paid.amount]).to.deep.equal([0n, 3n, 3_000n]);

    await warp(w.provider, 2 * HOUR);
    await w.client.emit({ vault });
    const later = emissions.emittedBetween(SMALL, 3n, 5n);
    const owed = owedTo([2_000, 3_000, 5_000], later);
    expect(await balances(w, [a, d, e])).to.deep.equal([1_500n + owed[0], owed[1], owed[2]]);
    expect(await balances(w, [b, c])).to.deep.equal([900n, 600n]);
  });

  it("rejects a caller other than the authority, a bad list, and a vault that has ended", async function () {
    await requiresTimeTravel(this);
    const w = await emissionsWorld({ recipients: 3 });
    const { vault } = await newVault(w);
    const untouched = { tokens: w.recipients, lamports: [w.authority], accounts: [vault] };
    const intruder = new EmissionsClient(providerFor(w.attacker));
    const one = [{ tokenAccount: w.recipients[0], shareBps: 10_000 }];
    await expectRejected(
      w.provider,
      () => intruder.updateRecipients({ vault, recipients: one }),
      "NotAuthority",
      { ...untouched, lamports: [w.attacker.publicKey] },
    );
    await expectRejected(
      w.provider,
      () => w.client.updateRecipients({ vault, recipients: [{ ...one[0], shareBps: 9_999 }] }),
      "SharesMustSum10000",
      untouched,
    );
    const small = await newVault(w, {
      schedule: { initialPerHour: 10n, decayBps: 0, periodHours: 1, cap: 10n },
    });
    await warp(w.provider, HOUR);
    await w.client.emit({ vault: small.vault });
    await expectRejected(
      w.provider,
      () => w.client.updateRecipients({ vault: small.vault, recipients: one }),
      "ScheduleEnded",
      { ...untouched, accounts: [small.vault] },
    );
  });
});

describe("emissions / revoke", () => {
  it("pays what is due, returns the rest to the authority's account and ends the vault", async function () {
    await requiresTimeTravel(this);
    const w = await emissionsWorld();
    const { vault } = await newVault(w);
    const back = await tokenAccount(w.provider, w.mint, w.authority);
    await warp(w.provider, 5 * HOUR + 1_800);
    const sig = await w.client.revoke({ vault, destination: back });
    const due = emissions.emittedBetween(SMALL, 0n, 5n);
    expect(await balances(w, w.recipients)).to.deep.equal(owedTo(SHARES, due, true));
    expect(await tokenBalance(w.provider, back)).to.equal(SMALL.cap - due);
    const e = await emissionsTxEvent(w.provider, sig, "vaultRevoked");
    expect([e.paid, e.returned, e.totalEmitted, e.emittedHours]).to.deep.equal([
      due,
      SMALL.cap - due,
      due,
      5n,
    ]);
    expect((await w.client.fetchVault(vault))!.revoked).to.equal(true);

    const untouched = {
      tokens: [back, ...w.recipients],
      lamports: [w.authority],
      accounts: [vault],
    };
    await expectRejected(
      w.provider,
      () => w.client.revoke({ vault, destination: back }),
      "AlreadyRevoked",
      untouched,
    );
    await expectRejected(
      w.provider,
      () => w.client.setPaused({ vault, paused: true }),
      "AlreadyRevoked",
      untouched,
    );
    await warp(w.provider, HOUR);
    const noop = await w.client.emit({ vault });
    const ended = await emissionsTxEvent(w.provider, noop, "emissionEnded");
    expect(ended.reason).to.equal("revoked");
  });

  it("rejects a non-revocable vault (NotRevocable), another signer (NotAuthority) and a wrong destination", async function () {
    await requiresTimeTravel(this);
    const w = await emissionsWorld();
    const fixed = await newVault(w, { revocable: false });
    const back = await tokenAccount(w.provider, w.mint, w.authority);
    await warp(w.provider, HOUR);
    const untouched = (vault: PublicKey) => ({
      tokens: [back, ...w.recipients, emissions.tokenVaultPda(vault)],
      lamports: [w.authority, w.attacker.publicKey],
      accounts: [vault],
    });
    await expectRejected(
      w.provider,
      () => w.client.revoke({ vault: fixed.vault, destination: back }),
      "NotRevocable",
      untouched(fixed.vault),
    );
    const { vault } = await newVault(w);
    const intruder = new EmissionsClient(providerFor(w.attacker));
    const theirs = await tokenAccount(w.provider, w.mint, w.attacker.publicKey);
    await expectRejected(
      w.provider,
      () => intruder.revoke({ vault, destination: theirs }),
      "NotAuthority",
      untouched(vault),
    );
    await expectRejected(
      w.provider,
      () => w.client.revoke({ vault, destination: emissions.tokenVaultPda(vault) }),
      "RecipientIsVault",
      untouched(vault),
    );
    const other = await emissionsWorld({ recipients: 1, sourceTokens: 0n });
    await expectRejected(
      w.provider,
      () => w.client.revoke({ vault, destination: other.recipients[0] }),
      "WrongMint",
      untouched(vault),
    );
  });
});

describe("emissions / close_vault", () => {
  it("refuses while the schedule runs (VaultNotEmpty); once ended, sweeps stray tokens and returns both rents", async function () {
    await requiresTimeTravel(this);
    const w = await emissionsWorld();
    const schedule = { initialPerHour: 500n, decayBps: 0, periodHours: 1, cap: 1_000n };
    const { vault } = await newVault(w, { schedule });
    const tokenVault = emissions.tokenVaultPda(vault);
    const back = await tokenAccount(w.provider, w.mint, w.authority);
    const untouched = {
      tokens: [back, tokenVault],
      lamports: [w.authority, w.attacker.publicKey],
      accounts: [vault, tokenVault],
    };
    await expectRejected(
      w.provider,
      () => w.client.closeVault({ vault, destination: back }),
      "VaultNotEmpty",
      untouched,
    );
    await warp(w.provider, 2 * HOUR);
    await w.client.emit({ vault });
    // Tokens sent straight to the token vault cannot block the close.
    const payer = payerOf(w.provider);
    await mintTo(w.provider.connection, payer, w.mint, tokenVault, payer, 77n);
    const intruder = new EmissionsClient(providerFor(w.attacker));
    await expectRejected(
      w.provider,
      () => intruder.closeVault({ vault, destination: back }),
      "NotAuthority",
      untouched,
    );

    const rent = (await lamportsOf(w.provider, vault)) + (await lamportsOf(w.provider, tokenVault));
    const lamports = await lamportsOf(w.provider, w.authority);
    const sig = await w.client.closeVault({ vault, destination: back });
    expect(await lamportsOf(w.provider, w.authority)).to.equal(lamports + rent - 5_000n);
    expect(await w.provider.connection.getAccountInfo(vault, "confirmed")).to.equal(null);
    expect(await w.provider.connection.getAccountInfo(tokenVault, "confirmed")).to.equal(null);
    expect(await tokenBalance(w.provider, back)).to.equal(77n);
    const e = await emissionsTxEvent(w.provider, sig, "vaultClosed");
    expect([e.reason, e.totalEmitted, e.swept]).to.deep.equal(["capReached", 1_000n, 77n]);
  });
});

describe("emissions / fund", () => {
  it("rejects funding a vault that holds all its schedule still owes (FundExceedsCap), a zero amount and a revoked vault", async function () {
    await requiresTimeTravel(this);
    // The program never lets a vault's balance fall short, so there is nothing to restore here;
    // the Rust suite (programs/emissions/tests/emissions.rs) restores a simulated shortfall.
    const w = await emissionsWorld();
    const { vault } = await newVault(w);
    const funder = await fundedKeypair(w.provider, 2);
    const theirs = await tokenAccount(w.provider, w.mint, funder.publicKey, 1_000n);
    const client = new EmissionsClient(providerFor(funder));
    const untouched = {
      tokens: [theirs, emissions.tokenVaultPda(vault)],
      lamports: [funder.publicKey],
      accounts: [vault],
    };
    await expectRejected(
      w.provider,
      () => client.fund({ vault, source: theirs, amount: 1n }),
      "FundExceedsCap",
      untouched,
    );
    await expectRejected(
      w.provider,
      () => client.fund({ vault, source: theirs, amount: 0n }),
      "ZeroAmount",
      untouched,
    );
    await warp(w.provider, HOUR);
    await w.client.emit({ vault });
    await expectRejected(
      w.provider,
      () => client.fund({ vault, source: theirs, amount: 1n }),
      "FundExceedsCap",
      untouched,
    );
    await w.client.revoke({ vault, destination: w.source });
    await expectRejected(
      w.provider,
      () => client.fund({ vault, source: theirs, amount: 1n }),
      "AlreadyRevoked",
      untouched,
    );
  });
});

describe("emissions / propose_authority and accept_authority", () => {
  it("transfers the authority in two steps, with AuthorityProposed and AuthorityTransferred", async () => {
    const w = await emissionsWorld();
    const { vault } = await newVault(w);
    const next = await fundedKeypair(w.provider, 2);
    const untouched = { lamports: [w.authority, w.attacker.publicKey], accounts: [vault] };
    await expectRejected(
      w.provider,
      () => w.client.proposeAuthority({ vault, newAuthority: PublicKey.default }),
      "InvalidAuthority",
      untouched,
    );
    const intruder = new EmissionsClient(providerFor(w.attacker));
    await expectRejected(
      w.provider,
      () => intruder.proposeAuthority({ vault, newAuthority: w.attacker.publicKey }),
      "NotAuthority",
      untouched,
    );
    const sig = await w.client.proposeAuthority({ vault, newAuthority: next.publicKey });
    const proposed = await emissionsTxEvent(w.provider, sig, "authorityProposed");
    expect((proposed.newPendingAuthority as PublicKey).equals(next.publicKey)).to.equal(true);
    await expectRejected(
      w.provider,
      () => intruder.acceptAuthority({ vault }),
      "NotPendingAuthority",
      untouched,
    );
    const accepted = await w.client.acceptAuthority({ vault, newAuthority: next });
    const e = await emissionsTxEvent(w.provider, accepted, "authorityTransferred");
    expect((e.oldAuthority as PublicKey).equals(w.authority)).to.equal(true);
    expect((e.newAuthority as PublicKey).equals(next.publicKey)).to.equal(true);
    await expectRejected(
      w.provider,
      () => w.client.setPaused({ vault, paused: true }),
      "NotAuthority",
      untouched,
    );
    await new EmissionsClient(providerFor(next)).setPaused({ vault, paused: true });
    expect((await w.client.fetchVault(vault))!.paused).to.equal(true);
    expect((await w.client.listVaults({ authority: next.publicKey })).length).to.equal(1);
  });
});
