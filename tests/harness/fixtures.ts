// Fixture builders with named roles. Every call makes fresh keys, a fresh mint and a fresh
// pool, so no test depends on another's leftovers.
import { AnchorProvider } from "@coral-xyz/anchor";
import { createAccount, createMint, getAccount, mintTo, TOKEN_PROGRAM_ID } from "@solana/spl-token";
import { Keypair, PublicKey } from "@solana/web3.js";
import { expect } from "chai";

import { CrucibleError, StakingClient } from "../../sdk/src";
import { fundedKeypair, getProvider } from "./env";

export const DECIMALS = 6;
export const TOKEN = 10n ** BigInt(DECIMALS);

/** Token balance of an SPL token account, as a bigint. */
export async function tokenBalance(provider: AnchorProvider, account: PublicKey): Promise<bigint> {
  return (await getAccount(provider.connection, account, "confirmed")).amount;
}

/** A token account of `mint` owned by `owner`, holding `amount` (minted by the wallet). */
export async function tokenAccount(
  provider: AnchorProvider,
  mint: PublicKey,
  owner: PublicKey,
  amount = 0n,
): Promise<PublicKey> {
  const payer = (provider.wallet as unknown as { payer: Keypair }).payer;
  const account = await createAccount(provider.connection, payer, mint, owner, Keypair.generate());
  if (amount > 0n) await mintTo(provider.connection, payer, mint, account, payer, amount);
  return account;
}

export interface StakingWorld {
  provider: AnchorProvider;
  client: StakingClient;
  /** The wallet: mint authority and pool admin. */
  admin: PublicKey;
  mint: PublicKey;
  locker: PublicKey;
  /** A provider with SOL for fees and `providerTokens` in `providerSource`. */
  provider1: Keypair;
  providerSource: PublicKey;
  attacker: Keypair;
}

export interface StakingWorldOptions {
  minStake?: bigint;
  unbondingSecs?: bigint;
  providerTokens?: bigint;
}

/** A fresh mint with its pool, a funded provider and an attacker. */
export async function stakingWorld(o: StakingWorldOptions = {}): Promise<StakingWorld> {
  const provider = getProvider();
  const client = new StakingClient(provider);
  const payer = (provider.wallet as unknown as { payer: Keypair }).payer;
  const mint = await createMint(provider.connection, payer, payer.publicKey, null, DECIMALS, Keypair.generate(), undefined, TOKEN_PROGRAM_ID);
  const locker = Keypair.generate().publicKey;
  await client.initPool({
    mint,
    minStake: o.minStake ?? 100n * TOKEN,
    unbondingSecs: o.unbondingSecs ?? 14n * 24n * 3600n,
    locker,
  });
  const provider1 = await fundedKeypair(provider, 10);
  const attacker = await fundedKeypair(provider, 10);
  const providerSource = await tokenAccount(provider, mint, provider1.publicKey, o.providerTokens ?? 1_000n * TOKEN);
  return { provider, client, admin: payer.publicKey, mint, locker, provider1, providerSource, attacker };
}

/** Asserts that `action` fails with the error `name`, and returns the error. */
export async function expectError(action: Promise<unknown>, name: string): Promise<CrucibleError> {
  try {
    await action;
  } catch (err) {
    expect(err, String(err)).to.be.instanceOf(CrucibleError);
    const e = err as CrucibleError;
    expect(e.name, `${e.message}\n${e.logs.join("\n")}`).to.equal(name);
    return e;
  }
  expect.fail(`expected the error ${name}, but the call succeeded`);
}

/** Balances of token accounts and lamports of keys, to compare before and after. */
export async function snapshot(
  provider: AnchorProvider,
  tokens: PublicKey[],
  lamports: PublicKey[] = [],
): Promise<bigint[]> {
  const t = await Promise.all(tokens.map((a) => tokenBalance(provider, a)));
  const l = await Promise.all(lamports.map(async (k) => BigInt(await provider.connection.getBalance(k, "confirmed"))));
  return [...t, ...l];
}
