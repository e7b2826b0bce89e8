// Which mints an emission vault accepts (DESIGN.md: Token-2022 mints with dangerous extensions
// are refused at creation), and a Token-2022 vault end to end: create, emit, revoke, close.
import {
  createAccount,
  createAssociatedTokenAccount,
  createInitializeMetadataPointerInstruction,
  ExtensionType,
  getAccount,
  mintTo,
  TOKEN_2022_PROGRAM_ID,
} from "@solana/spl-token";
import { Keypair, PublicKey } from "@solana/web3.js";
import { expect } from "chai";

import { emissions, EmissionsClient } from "../sdk/src";
import { getProvider, warp } from "./harness/env";
import { REFUSED_EXTENSIONS, token2022Mint } from "./harness/mints";
import { chainTime, expectRejected, payerOf } from "./harness/fixtures";

/** A Token-2022 account of `mint` for `owner`, holding `amount`. */
async function account2022(mint: PublicKey, owner: PublicKey, amount = 0n): Promise<PublicKey> {
  const provider = getProvider();
  const payer = payerOf(provider);
  const account = await createAccount(
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

const balance2022 = async (a: PublicKey) =>
  (await getAccount(getProvider().connection, a, "confirmed", TOKEN_2022_PROGRAM_ID)).amount;

const SCHEDULE = { initialPerHour: 1_000n, decayBps: 1_000, periodHours: 4, cap: 1_000_000n };

describe("emissions / create_vault with Token-2022 mints", () => {
  for (const [what, extensions, init, freeze] of REFUSED_EXTENSIONS) {
    it(`rejects a mint with ${what} (UnsupportedMintExtension), creating nothing`, async () => {
      const provider = getProvider();
      const mint = await token2022Mint(extensions, init, freeze);
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

  it("runs a vault of a mint with a harmless extension (metadata pointer): create, emit, revoke, close", async () => {
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
});
