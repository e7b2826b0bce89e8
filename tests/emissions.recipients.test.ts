// Who an emission vault pays and who can change it, through the SDK against the local
// validator: each attack on a committed schedule performed for real (pause → redirect →
// resume on a non-revocable vault, the immediate redirect, pause → revoke) and refused by name
// with nothing moved, the recipients proposal and its delay, replace_recipient_account as the
// remedy for a closed recipient account, and the rounding dust held until a set is settled.
// Expected amounts are recomputed by hand from DESIGN.md's schedule (SMALL: 1,000 an hour,
// −10 % every 4 hours).
import { closeAccount, createTransferInstruction } from "@solana/spl-token";
import { PublicKey, Transaction } from "@solana/web3.js";
import { expect } from "chai";

import { emissions, EmissionsClient, sendInstructions } from "../sdk/src";
import { airdrop } from "./harness/env";
import { requiresTimeTravel, warp } from "./harness/cheatcodes";
import { balances, HOUR, newVault, owedTo, SHARES, SMALL } from "./harness/emissions";
import {
  chainTime,
  emissionsTxEvents,
  emissionsWorld,
  EmissionsWorld,
  expectRejected,
  payerOf,
  providerFor,
  tokenAccount,
  tokenBalance,
} from "./harness/fixtures";

const ix = emissions.instructions;
const DELAY = emissions.MIN_NON_REVOCABLE_RECIPIENTS_DELAY_SECS;

/** The typed data of the one event `name` of a transaction. */
async function one<N extends keyof emissions.EventData>(
  w: EmissionsWorld,
  signature: string,
  name: N,
): Promise<emissions.EventData[N]> {
  const all = emissions.eventsNamed(await emissionsTxEvents(w.provider, signature), name);
  expect(all, `${name} events of ${signature}`).to.have.length(1);
  return all[0];
}

const vaultOf = async (w: EmissionsWorld, vault: PublicKey) => (await w.client.fetchVault(vault))!;

describe("emissions / the attacks on a committed schedule", () => {
  it("refuses pause → redirect to the authority → resume on a non-revocable vault (RecipientsChangeNeedsProposal), bundled or step by step; the recipients get every hour", async function () {
    await requiresTimeTravel(this);
    const w = await emissionsWorld();
    const { vault, vaultId } = await newVault(w, { revocable: false });
    const own = await tokenAccount(w.provider, w.mint, w.authority);
    const tokenVault = emissions.tokenVaultPda(vault);
    const untouched = {
      tokens: [...w.recipients, own, tokenVault],
      lamports: [w.authority],
      accounts: [vault],
    };
    const toMe = [{ tokenAccount: own, shareBps: 10_000 }];
    await warp(w.provider, 3 * HOUR);

    const ref = { mint: w.mint, vaultId };
    const bundle = [
      ix.setPaused({ ...ref, authority: w.authority, paused: true }),
      ix.updateRecipients({
        ...ref,
        authority: w.authority,
        currentRecipients: w.recipients,
        recipients: toMe,
      }),
      ix.setPaused({ ...ref, authority: w.authority, paused: false }),
      ix.emit({ ...ref, recipients: [own] }),
    ];
    await expectRejected(
      w.provider,
      () => sendInstructions(w.provider, bundle),
      "RecipientsChangeNeedsProposal",
      untouched,
    );
    await w.client.setPaused({ vault, paused: true });
    await expectRejected(
      w.provider,
      () => w.client.updateRecipients({ vault, recipients: toMe }),
      "RecipientsChangeNeedsProposal",
      untouched,
    );
    await w.client.setPaused({ vault, paused: false });
    await expectRejected(
      w.provider,
      () => w.client.updateRecipients({ vault, recipients: toMe }),
      "RecipientsChangeNeedsProposal",
      untouched,
    );

    await warp(w.provider, 5 * HOUR);
    await w.client.emit({ vault });
    // Hours 0..8: 4 × 1,000 + 4 × 900 = 7,600, split 50/30/20.
    expect(await balances(w, w.recipients)).to.deep.equal([3_800n, 2_280n, 1_520n]);
    expect(await tokenBalance(w.provider, own)).to.equal(0n);
    expect(await tokenBalance(w.provider, tokenVault)).to.equal(SMALL.cap - 7_600n);
  });

  it("pays the recipients every hour due on pause → revoke and returns only the rest", async function () {
    await requiresTimeTravel(this);
    const w = await emissionsWorld();
    const { vault } = await newVault(w);
    const back = await tokenAccount(w.provider, w.mint, w.authority);
    await warp(w.provider, 2 * HOUR);
    await w.client.emit({ vault });
    expect(await balances(w, w.recipients)).to.deep.equal([1_000n, 600n, 400n]);
    await w.client.setPaused({ vault, paused: true });
    await warp(w.provider, 4 * HOUR + 1_800);
    const sig = await w.client.revoke({ vault, destination: back });
    // Six hours due: 4 × 1,000 + 2 × 900 = 5,800, all the recipients'.
    expect(await balances(w, w.recipients)).to.deep.equal([2_900n, 1_740n, 1_160n]);
    expect(await tokenBalance(w.provider, back)).to.equal(SMALL.cap - 5_800n);
    const e = await one(w, sig, "vaultRevoked");
    expect([e.paid, e.returned, e.emittedHours]).to.deep.equal([3_800n, SMALL.cap - 5_800n, 6n]);
  });

  it("pays the old recipients first when a revocable vault's recipients change while paused", async function () {
    await requiresTimeTravel(this);
    const w = await emissionsWorld({ recipients: 5 });
    const [a, b, c, d, e] = w.recipients;
    const { vault } = await newVault(w, { recipients: [a, b, c] });
    await warp(w.provider, HOUR);
    await w.client.emit({ vault });
    await w.client.setPaused({ vault, paused: true });
    await warp(w.provider, 5 * HOUR);
    const next = [
      { tokenAccount: d, shareBps: 5_000 },
      { tokenAccount: e, shareBps: 5_000 },
    ];
    const sig = await w.client.updateRecipients({ vault, recipients: next });
    // Paused since hour 1: hours 0..6 (5,800) are the old set's, with its dust.
    expect(await balances(w, [a, b, c])).to.deep.equal(owedTo(SHARES, 5_800n, true));
    expect(await balances(w, [d, e])).to.deep.equal([0n, 0n]);
    const paid = await one(w, sig, "emitted");
    expect([paid.fromHour, paid.toHour, paid.amount]).to.deep.equal([1n, 6n, 4_800n]);
    expect((await one(w, sig, "recipientsUpdated")).baseEmitted).to.equal(5_800n);
    await w.client.setPaused({ vault, paused: false });
    await warp(w.provider, 2 * HOUR);
    await w.client.emit({ vault });
    // Hours 6 and 7 at 900 go to the new set.
    expect(await balances(w, [d, e])).to.deep.equal([900n, 900n]);
  });
});

describe("emissions / propose_recipients, cancel_recipients_proposal, execute_recipients_proposal", () => {
  it("installs a proposal only after its delay; the old recipients keep every hour before it, the new ones get the hours after", async function () {
    await requiresTimeTravel(this);
    const w = await emissionsWorld({ recipients: 5 });
    const [a, b, c, d, e] = w.recipients;
    const { vault } = await newVault(w, { recipients: [a, b, c], revocable: false });
    const intruder = new EmissionsClient(providerFor(w.attacker));
    const own = await tokenAccount(w.provider, w.mint, w.authority);
    const untouched = {
      tokens: [...w.recipients, own, emissions.tokenVaultPda(vault)],
      lamports: [w.authority, w.attacker.publicKey],
      accounts: [vault],
    };
    const toMe = [{ tokenAccount: own, shareBps: 10_000 }];
    await expectRejected(
      w.provider,
      () => intruder.proposeRecipients({ vault, recipients: toMe }),
      "NotAuthority",
      untouched,
    );
    await expectRejected(
      w.provider,
      () => intruder.executeRecipientsProposal({ vault }),
      "NoRecipientsProposal",
      untouched,
    );

    const t0 = await chainTime(w.provider);
    const sig = await w.client.proposeRecipients({ vault, recipients: toMe });
    const proposed = await one(w, sig, "recipientsProposed");
    expect(proposed.executableAt).to.equal(t0 + BigInt(DELAY));
    expect(proposed.oldProposal).to.deep.equal([]);
    expect(proposed.owners.map((o) => o.toBase58())).to.deep.equal([w.authority.toBase58()]);
    let v = await vaultOf(w, vault);
    expect(v.recipientsDelaySecs).to.equal(DELAY);
    expect(v.proposedRecipientCount).to.equal(1);
    expect(v.proposedRecipients[0].tokenAccount.equals(own)).to.equal(true);
    expect(v.proposalExecutableAt).to.equal(t0 + BigInt(DELAY));
    expect(emissions.proposalReady(v, t0 + BigInt(DELAY) - 1n)).to.equal(false);
    await expectRejected(
      w.provider,
      () => intruder.executeRecipientsProposal({ vault }),
      "RecipientsProposalNotReady",
      untouched,
    );
    await warp(w.provider, DELAY - 1);
    await expectRejected(
      w.provider,
      () => intruder.executeRecipientsProposal({ vault }),
      "RecipientsProposalNotReady",
      untouched,
    );
    await expectRejected(
      w.provider,
      () => intruder.cancelRecipientsProposal({ vault }),
      "NotAuthority",
      untouched,
    );
    const cancelled = await one(
      w,
      await w.client.cancelRecipientsProposal({ vault }),
      "recipientsProposalCancelled",
    );
    expect(cancelled.executableAt).to.equal(t0 + BigInt(DELAY));
    expect((await vaultOf(w, vault)).proposedRecipientCount).to.equal(0);
    await warp(w.provider, HOUR);
    await expectRejected(
      w.provider,
      () => intruder.executeRecipientsProposal({ vault }),
      "NoRecipientsProposal",
      untouched,
    );

    // A proposal to two new accounts; the authority pauses; anyone executes after the delay.
    const next = [
      { tokenAccount: d, shareBps: 6_000 },
      { tokenAccount: e, shareBps: 4_000 },
    ];
    await w.client.proposeRecipients({ vault, recipients: next });
    await w.client.setPaused({ vault, paused: true });
    await warp(w.provider, DELAY);
    v = await vaultOf(w, vault);
    const hours = emissions.hoursDue(v.startTs, await chainTime(w.provider));
    const due = emissions.cumulativeEmitted(SMALL, hours);
    const exec = await intruder.executeRecipientsProposal({ vault });
    expect(await balances(w, [a, b, c])).to.deep.equal(owedTo(SHARES, due, true));
    expect(await balances(w, [d, e, own])).to.deep.equal([0n, 0n, 0n]);
    const executed = await one(w, exec, "recipientsProposalExecuted");
    expect(executed.executor.equals(w.attacker.publicKey)).to.equal(true);
    expect(executed.baseEmitted).to.equal(due);
    v = await vaultOf(w, vault);
    expect(v.recipients.map((r) => r.tokenAccount.toBase58())).to.deep.equal([
      d.toBase58(),
      e.toBase58(),
    ]);
    expect([v.proposedRecipientCount, v.recipientsBaseEmitted]).to.deep.equal([0, due]);

    await w.client.setPaused({ vault, paused: false });
    await warp(w.provider, 3 * HOUR);
    await w.client.emit({ vault });
    const later = emissions.emittedBetween(SMALL, hours, hours + 3n);
    expect(await balances(w, [d, e])).to.deep.equal(owedTo([6_000, 4_000], later));
    expect(await balances(w, [a, b, c])).to.deep.equal(owedTo(SHARES, due, true));
  });

  it("refuses a recipients delay below 48 h for a non-revocable vault or above 30 days (named), and records the owners", async () => {
    const w = await emissionsWorld();
    const cases: Array<[boolean, number, string]> = [
      [false, DELAY - 1, "RecipientsDelayTooShort"],
      [false, 0, "RecipientsDelayTooShort"],
      [false, emissions.MAX_RECIPIENTS_DELAY_SECS + 1, "RecipientsDelayTooLong"],
      [true, emissions.MAX_RECIPIENTS_DELAY_SECS + 1, "RecipientsDelayTooLong"],
    ];
    for (const [revocable, recipientsDelaySecs, name] of cases) {
      await expectRejected(
        w.provider,
        () => newVault(w, { revocable, recipientsDelaySecs }),
        name,
        { tokens: [w.source], lamports: [w.authority] },
      );
    }
    const { vault, signature } = await newVault(w, { revocable: true, recipientsDelaySecs: 0 });
    const v = await vaultOf(w, vault);
    expect(v.recipientsDelaySecs).to.equal(0);
    expect(v.recipientOwners.map((o) => o.toBase58())).to.deep.equal(
      w.recipientOwners.map((o) => o.publicKey.toBase58()),
    );
    const created = await one(w, signature, "vaultCreated");
    expect(created.recipientsDelaySecs).to.equal(0);
  });
});

describe("emissions / replace_recipient_account", () => {
  it("unblocks a vault whose recipient closed its account: wrong owner and wrong mint refused by name, anyone replaces it, nothing is lost", async function () {
    await requiresTimeTravel(this);
    const w = await emissionsWorld();
    const { vault } = await newVault(w, { revocable: false });
    const intruder = new EmissionsClient(providerFor(w.attacker));
    const payer = payerOf(w.provider);
    await warp(w.provider, 3 * HOUR);
    await w.client.emit({ vault });
    expect(await balances(w, w.recipients)).to.deep.equal([1_500n, 900n, 600n]);

    // The last recipient's owner moves its 600 elsewhere and closes the account.
    const leaver = w.recipientOwners[2];
    const kept = await tokenAccount(w.provider, w.mint, leaver.publicKey);
    await w.provider.sendAndConfirm(
      new Transaction().add(
        createTransferInstruction(w.recipients[2], kept, leaver.publicKey, 600n),
      ),
      [leaver],
    );
    await closeAccount(w.provider.connection, payer, w.recipients[2], payer.publicKey, leaver);
    await warp(w.provider, 2 * HOUR);
    const tokenVault = emissions.tokenVaultPda(vault);
    const untouched = {
      tokens: [w.recipients[0], w.recipients[1], tokenVault],
      lamports: [w.attacker.publicKey, w.authority],
      accounts: [vault],
    };
    await expectRejected(
      w.provider,
      () => intruder.emit({ vault }),
      "InvalidRecipientAccount",
      untouched,
    );

    const notTheirs = await tokenAccount(w.provider, w.mint, w.attacker.publicKey);
    await expectRejected(
      w.provider,
      () => intruder.replaceRecipientAccount({ vault, index: 2, newTokenAccount: notTheirs }),
      "RecipientOwnerMismatch",
      untouched,
    );
    const other = await emissionsWorld({ recipients: 0, sourceTokens: 0n });
    const foreign = await tokenAccount(w.provider, other.mint, leaver.publicKey);
    await expectRejected(
      w.provider,
      () => intruder.replaceRecipientAccount({ vault, index: 2, newTokenAccount: foreign }),
      "WrongRecipientMint",
      untouched,
    );
    // A recipient that can still receive is moved only by its owner.
    const elsewhere = await tokenAccount(w.provider, w.mint, w.recipientOwners[1].publicKey);
    await expectRejected(
      w.provider,
      () => w.client.replaceRecipientAccount({ vault, index: 1, newTokenAccount: elsewhere }),
      "RecipientCanStillReceive",
      untouched,
    );

    const fresh = await tokenAccount(w.provider, w.mint, leaver.publicKey);
    const sig = await intruder.replaceRecipientAccount({ vault, index: 2, newTokenAccount: fresh });
    const replaced = await one(w, sig, "recipientAccountReplaced");
    expect([replaced.index, replaced.shareBps, replaced.oldCouldReceive]).to.deep.equal([
      2,
      2_000,
      false,
    ]);
    expect(replaced.owner.equals(leaver.publicKey)).to.equal(true);
    expect(replaced.newTokenAccount.equals(fresh)).to.equal(true);
    await intruder.emit({ vault });
    // Hours 0..5: 4 × 1,000 + 900 = 4,900. The new account gets all the closed one missed.
    const owed = owedTo(SHARES, 4_900n);
    expect(await balances(w, [w.recipients[0], w.recipients[1]])).to.deep.equal(owed.slice(0, 2));
    expect(await tokenBalance(w.provider, fresh)).to.equal(owed[2] - 600n);
    expect(
      (await tokenBalance(w.provider, kept)) + (await tokenBalance(w.provider, fresh)),
    ).to.equal(owed[2]);

    // The owner moves its own healthy account.
    const owner = new EmissionsClient(providerFor(w.recipientOwners[1]));
    await airdrop(w.provider, w.recipientOwners[1].publicKey, 1);
    const moved = await owner.replaceRecipientAccount({
      vault,
      index: 1,
      newTokenAccount: elsewhere,
    });
    expect((await one(w, moved, "recipientAccountReplaced")).oldCouldReceive).to.equal(true);
    expect((await vaultOf(w, vault)).recipients[1].tokenAccount.equals(elsewhere)).to.equal(true);
  });
});

describe("emissions / rounding dust", () => {
  it("holds the dust while the set is unchanged (the last recipient's remainder can fall) and pays it to the last when the set is settled", async function () {
    await requiresTimeTravel(this);
    const w = await emissionsWorld({ recipients: 5 });
    const [a, b, c, d, e] = w.recipients;
    // One unit an hour over 40/40/20 %.
    const { vault } = await newVault(w, {
      schedule: { initialPerHour: 1n, decayBps: 0, periodHours: 1, cap: 100n },
      shares: [4_000, 4_000, 2_000],
      recipients: [a, b, c],
    });
    const tokenVault = emissions.tokenVaultPda(vault);
    await warp(w.provider, 2 * HOUR);
    let emitted = await one(w, await w.client.emit({ vault }), "emitted");
    expect([emitted.amount, emitted.undistributed, emitted.settledDust]).to.deep.equal([
      2n,
      2n,
      0n,
    ]);
    expect(await balances(w, [a, b, c])).to.deep.equal([0n, 0n, 0n]);
    // The third unit: a and b are owed one each. The last's remainder falls from 2 to 1, so
    // "the last takes each call's remainder" would have to take one back.
    await warp(w.provider, HOUR);
    emitted = await one(w, await w.client.emit({ vault }), "emitted");
    expect([emitted.amount, emitted.undistributed, emitted.settledDust]).to.deep.equal([
      1n,
      1n,
      0n,
    ]);
    expect(await balances(w, [a, b, c])).to.deep.equal([1n, 1n, 0n]);
    expect(await tokenBalance(w.provider, tokenVault)).to.equal(98n);
    // A fourth unit, then the set changes: the 2 units held go to the last.
    await warp(w.provider, HOUR);
    const sig = await w.client.updateRecipients({
      vault,
      recipients: [
        { tokenAccount: d, shareBps: 5_000 },
        { tokenAccount: e, shareBps: 5_000 },
      ],
    });
    emitted = await one(w, sig, "emitted");
    expect([emitted.amount, emitted.settledDust, emitted.undistributed]).to.deep.equal([
      1n,
      2n,
      0n,
    ]);
    expect(await balances(w, [a, b, c])).to.deep.equal([1n, 1n, 2n]);
    expect(await tokenBalance(w.provider, tokenVault)).to.equal(96n);
    // Three units over 50/50: 1/1 owed, 1 held; revoking settles it to the last.
    await warp(w.provider, 3 * HOUR);
    const back = await tokenAccount(w.provider, w.mint, w.authority);
    const revoked = await w.client.revoke({ vault, destination: back });
    expect((await one(w, revoked, "emitted")).settledDust).to.equal(1n);
    expect(await balances(w, [d, e])).to.deep.equal([1n, 2n]);
    expect(await tokenBalance(w.provider, back)).to.equal(93n);
  });
});
