// Which mints an emission vault accepts (DESIGN.md: Token-2022 mints with dangerous extensions
// are refused at creation), and a Token-2022 vault end to end: create, emit, revoke, close.
import {
  createAccount,
  createAssociatedTokenAccount,
  createEnableRequiredMemoTransfersInstruction,
  createInitializeAccount3Instruction,
  createInitializeMetadataPointerInstruction,
  createInitializeMintCloseAuthorityInstruction,
  createMint,
  ExtensionType,
  getAccount,
  getAccountLen,
  mintTo,
  TOKEN_2022_PROGRAM_ID,
  TOKEN_PROGRAM_ID,
} from "@solana/spl-token";
import { Keypair, PublicKey, SystemProgram, Transaction } from "@solana/web3.js";
import { expect } from "chai";

import { emissions, EmissionsClient } from "../sdk/src";
import { fundedKeypair, getProvider } from "./harness/env";
import { requiresTimeTravel, warp } from "./harness/cheatcodes";
import { REFUSED_EXTENSIONS, token2022Mint } from "./harness/mints";
import { chainTime, expectError, expectRejected, payerOf } from "./harness/fixtures";

/** A Token-2022 account of `mint` for `owner`, holding `amount`; with room for the memo-transfer
 * extension when `memo` is set (its owner can then require memos on transfers in). */
async function account2022(
  mint: PublicKey,
  owner: PublicKey,
  amount = 0n,
  memo = false,
): Promise<PublicKey> {
  const provider = getProvider();
  const payer = payerOf(provider);
  const account = memo
    ? await createAccountWithMemoSpace(mint, owner)
    : await createAccount(
        provider.connection,
        payer,
        mint,
        owner,
        Keypair.generate(),
        undefined,
        TOKEN_2022_PROGRAM_ID,
      );
  if (amount > 0n) {
    await mintTo(
      provider.connection,
      payer,
      mint,
      account,
      payer,
      amount,
      [],
      undefined,
      TOKEN_2022_PROGRAM_ID,
    );
  }
  return account;
}

async function createAccountWithMemoSpace(mint: PublicKey, owner: PublicKey): Promise<PublicKey> {
  const provider = getProvider();
  const account = Keypair.generate();
  const space = getAccountLen([ExtensionType.MemoTransfer]);
  const lamports = await provider.connection.getMinimumBalanceForRentExemption(space);
  await provider.sendAndConfirm(
    new Transaction().add(
      SystemProgram.createAccount({
        fromPubkey: provider.wallet.publicKey,
        newAccountPubkey: account.publicKey,
        space,
        lamports,
        programId: TOKEN_2022_PROGRAM_ID,
      }),
      createInitializeAccount3Instruction(account.publicKey, mint, owner, TOKEN_2022_PROGRAM_ID),
    ),
    [account],
  );
  return account.publicKey;
}

/** `owner` requires memos on every transfer into `account`. */
async function requireMemos(account: PublicKey, owner: Keypair): Promise<void> {
  await getProvider().sendAndConfirm(
    new Transaction().add(
      createEnableRequiredMemoTransfersInstruction(
        account,
        owner.publicKey,
        [],
        TOKEN_2022_PROGRAM_ID,
      ),
    ),
    [owner],
  );
}

const balance2022 = async (a: PublicKey) =>
  (await getAccount(getProvider().connection, a, "confirmed", TOKEN_2022_PROGRAM_ID)).amount;

const SCHEDULE = { initialPerHour: 1_000n, decayBps: 1_000, periodHours: 4, cap: 1_000_000n };

describe("emissions / create_vault with Token-2022 mints", () => {
  for (const [what, extensions, init] of REFUSED_EXTENSIONS) {
    it(`rejects a mint with ${what} (UnsupportedMintExtension), creating nothing`, async () => {
      const provider = getProvider();
      const mint = await token2022Mint(extensions, init);
      // An associated account: it has the immutable owner a non-transferable mint requires.
      const source = await createAssociatedTokenAccount(
        provider.connection,
        payerOf(provider),
        mint,
        provider.wallet.publicKey,
        undefined,
        TOKEN_2022_PROGRAM_ID,
      );
      const client = new EmissionsClient(provider);
      const vaultId = 1n;
      const startTs = await chainTime(provider);
      await expectRejected(
        provider,
        () =>
          client.createVault({
            mint,
            vaultId,
            source,
            startTs,
            ...SCHEDULE,
            revocable: true,
            recipients: [{ tokenAccount: source, shareBps: 10_000 }],
            tokenProgram: TOKEN_2022_PROGRAM_ID,
          }),
        "UnsupportedMintExtension",
        {
          lamports: [provider.wallet.publicKey],
          accounts: [emissions.vaultPda(mint, vaultId)],
        },
      );
    });
  }

  it("runs a vault of a mint with a harmless extension (metadata pointer): create, emit, revoke, close", async function () {
    await requiresTimeTravel(this);
    const provider = getProvider();
    const me = provider.wallet.publicKey;
    const mint = await token2022Mint([ExtensionType.MetadataPointer], (m, a) => [
      createInitializeMetadataPointerInstruction(m, a, null, TOKEN_2022_PROGRAM_ID),
    ]);
    const source = await account2022(mint, me, 10n * SCHEDULE.cap);
    const a = await account2022(mint, Keypair.generate().publicKey);
    const b = await account2022(mint, Keypair.generate().publicKey);
    const client = new EmissionsClient(provider);
    const { vault } = await client.createVault({
      mint,
      source,
      startTs: await chainTime(provider),
      ...SCHEDULE,
      revocable: true,
      recipients: [
        { tokenAccount: a, shareBps: 7_500 },
        { tokenAccount: b, shareBps: 2_500 },
      ],
      tokenProgram: TOKEN_2022_PROGRAM_ID,
    });
    const v = (await client.fetchVault(vault))!;
    expect(v.tokenProgram.equals(TOKEN_2022_PROGRAM_ID)).to.equal(true);
    expect(await balance2022(v.tokenVault)).to.equal(SCHEDULE.cap);
    await warp(provider, 6 * 3_600);
    await client.emit({ vault });
    const due = emissions.emittedBetween(SCHEDULE, 0n, 6n);
    expect(due).to.equal(4n * 1_000n + 2n * 900n);
    expect([await balance2022(a), await balance2022(b)]).to.deep.equal([
      (due * 7_500n) / 10_000n,
      (due * 2_500n) / 10_000n,
    ]);
    const back = await account2022(mint, me);
    await client.revoke({ vault, destination: back });
    expect(await balance2022(back)).to.equal(SCHEDULE.cap - due);
    await client.closeVault({ vault, destination: back });
    expect(await client.fetchVault(vault)).to.equal(null);
    expect(await balance2022(source)).to.equal(10n * SCHEDULE.cap - SCHEDULE.cap);
  });

  it("rejects a mint with a close authority (MintHasCloseAuthority) and one with a freeze authority (MintHasFreezeAuthority), creating nothing", async () => {
    const provider = getProvider();
    const payer = payerOf(provider);
    const client = new EmissionsClient(provider);
    const closable = await token2022Mint([ExtensionType.MintCloseAuthority], (m, a) => [
      createInitializeMintCloseAuthorityInstruction(m, a, TOKEN_2022_PROGRAM_ID),
    ]);
    const freezable = await createMint(
      provider.connection,
      payer,
      payer.publicKey,
      payer.publicKey,
      6,
      Keypair.generate(),
      undefined,
      TOKEN_PROGRAM_ID,
    );
    const cases: Array<[PublicKey, PublicKey, string]> = [
      [closable, TOKEN_2022_PROGRAM_ID, "MintHasCloseAuthority"],
      [freezable, TOKEN_PROGRAM_ID, "MintHasFreezeAuthority"],
    ];
    for (const [mint, tokenProgram, name] of cases) {
      const source = await createAssociatedTokenAccount(
        provider.connection,
        payer,
        mint,
        provider.wallet.publicKey,
        undefined,
        tokenProgram,
      );
      await mintTo(
        provider.connection,
        payer,
        mint,
        source,
        payer,
        SCHEDULE.cap,
        [],
        undefined,
        tokenProgram,
      );
      const vaultId = 1n;
      await expectRejected(
        provider,
        () =>
          client.createVault({
            mint,
            vaultId,
            source,
            startTs: 0n,
            ...SCHEDULE,
            revocable: true,
            recipients: [{ tokenAccount: source, shareBps: 10_000 }],
            tokenProgram,
          }),
        name,
        {
          // (the harness reads classic token balances; the Token-2022 source is checked below)
          tokens: tokenProgram.equals(TOKEN_PROGRAM_ID) ? [source] : [],
          lamports: [provider.wallet.publicKey],
          accounts: [emissions.vaultPda(mint, vaultId)],
        },
      );
      if (!tokenProgram.equals(TOKEN_PROGRAM_ID))
        expect(await balance2022(source)).to.equal(SCHEDULE.cap);
    }
  });

  it("refuses emit by name (RecipientCannotReceive) once a recipient requires memos, until anyone replaces its account; nothing is lost", async function () {
    await requiresTimeTravel(this);
    const provider = getProvider();
    const me = provider.wallet.publicKey;
    const mint = await token2022Mint([], () => []);
    const source = await account2022(mint, me, 10n * SCHEDULE.cap);
    const owner = await fundedKeypair(provider, 1);
    const a = await account2022(mint, Keypair.generate().publicKey);
    const b = await account2022(mint, owner.publicKey, 0n, true);
    const client = new EmissionsClient(provider);
    // An account that requires memos already cannot become a recipient.
    const memoed = await account2022(mint, owner.publicKey, 0n, true);
    await requireMemos(memoed, owner);
    const recipients = (second: PublicKey) => [
      { tokenAccount: a, shareBps: 7_500 },
      { tokenAccount: second, shareBps: 2_500 },
    ];
    const startTs = await chainTime(provider);
    await expectRejected(
      provider,
      () =>
        client.createVault({
          mint,
          source,
          vaultId: 5n,
          startTs,
          ...SCHEDULE,
          revocable: false,
          recipients: recipients(memoed),
          tokenProgram: TOKEN_2022_PROGRAM_ID,
        }),
      "RecipientCannotReceive",
      { lamports: [me], accounts: [emissions.vaultPda(mint, 5n)] },
    );
    const { vault } = await client.createVault({
      mint,
      source,
      startTs,
      ...SCHEDULE,
      revocable: false,
      recipients: recipients(b),
      tokenProgram: TOKEN_2022_PROGRAM_ID,
    });
    await warp(provider, 2 * 3_600);
    await client.emit({ vault });
    expect(await balance2022(b)).to.equal(500n);
    // b's owner turns on required memos: every recipient's payment stops, by name.
    await requireMemos(b, owner);
    await warp(provider, 2 * 3_600);
    const tokenVault = emissions.tokenVaultPda(vault);
    const before = [await balance2022(a), await balance2022(tokenVault)];
    await expectError(client.emit({ vault }), "RecipientCannotReceive");
    expect([await balance2022(a), await balance2022(tokenVault)]).to.deep.equal(before);
    // Anyone points it at a plain account of the same owner: it receives what b missed.
    const plain = await account2022(mint, owner.publicKey);
    await client.replaceRecipientAccount({ vault, index: 1, newTokenAccount: plain });
    await client.emit({ vault });
    const due = emissions.emittedBetween(SCHEDULE, 0n, 4n);
    expect(due).to.equal(4_000n);
    expect(await balance2022(a)).to.equal((due * 7_500n) / 10_000n);
    expect((await balance2022(b)) + (await balance2022(plain))).to.equal((due * 2_500n) / 10_000n);
  });
});
