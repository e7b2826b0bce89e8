// Fixture builders with named roles. Every call makes fresh keys, a fresh mint and a fresh
// pool, so no test depends on another's leftovers.
import { AnchorProvider, Wallet } from "@coral-xyz/anchor";
import { createAccount, createMint, getAccount, mintTo, TOKEN_PROGRAM_ID } from "@solana/spl-token";
import { Keypair, PublicKey } from "@solana/web3.js";
import { expect } from "chai";

import { CrucibleError, emissions, EmissionsClient, staking, StakingClient } from "../../sdk/src";
import { fundedKeypair, getProvider } from "./env";
import { warp } from "./cheatcodes";

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
  /** The key registered as the pool's locker (`locker` is its public key): signs lock, unlock, slash. */
  lockerSigner: Keypair;
  /** A provider with SOL for fees and `providerTokens` in `providerSource`. */
  provider1: Keypair;
  providerSource: PublicKey;
  attacker: Keypair;
}

export interface StakingWorldOptions {
  minStake?: bigint;
  unbondingSecs?: bigint;
  providerTokens?: bigint;
  /** The key registered as the pool's locker; a fresh keypair by default. */
  locker?: Keypair;
}

/** A fresh mint with its pool, a funded provider and an attacker. */
export async function stakingWorld(o: StakingWorldOptions = {}): Promise<StakingWorld> {
  const provider = getProvider();
  const client = new StakingClient(provider);
  const payer = (provider.wallet as unknown as { payer: Keypair }).payer;
  const mint = await createMint(
    provider.connection,
    payer,
    payer.publicKey,
    null,
    DECIMALS,
    Keypair.generate(),
    undefined,
    TOKEN_PROGRAM_ID,
  );
  const lockerSigner = o.locker ?? Keypair.generate();
  const locker = lockerSigner.publicKey;
  await client.initPool({
    mint,
    minStake: o.minStake ?? 100n * TOKEN,
    unbondingSecs: o.unbondingSecs ?? 14n * 24n * 3600n,
    locker,
  });
  const provider1 = await fundedKeypair(provider, 10);
  const attacker = await fundedKeypair(provider, 10);
  const providerSource = await tokenAccount(
    provider,
    mint,
    provider1.publicKey,
    o.providerTokens ?? 1_000n * TOKEN,
  );
  return {
    provider,
    client,
    admin: payer.publicKey,
    mint,
    locker,
    lockerSigner,
    provider1,
    providerSource,
    attacker,
  };
}

/**
 * Stakes as `client.stake` does, then lets the stake warm up (the clock moves one hour) and
 * activates it, so that it earns from now on.
 */
export async function stakeActive(
  w: { provider: AnchorProvider; client: StakingClient },
  p: Parameters<StakingClient["stake"]>[0],
): Promise<void> {
  await w.client.stake(p);
  await warp(w.provider, Number(staking.WARMUP_SECS));
  const owner = p.owner?.publicKey ?? w.provider.wallet.publicKey;
  await w.client.activateStake({ mint: p.mint, owner });
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
  const l = await Promise.all(
    lamports.map(async (k) => BigInt(await provider.connection.getBalance(k, "confirmed"))),
  );
  return [...t, ...l];
}

/** The keypair behind the provider's wallet (mint authority of every fixture mint). */
export function payerOf(provider: AnchorProvider): Keypair {
  return (provider.wallet as unknown as { payer: Keypair }).payer;
}

/** A provider on the same connection whose wallet (fee payer and default signer) is `keypair`. */
export function providerFor(
  keypair: Keypair,
  base: AnchorProvider = getProvider(),
): AnchorProvider {
  return new AnchorProvider(base.connection, new Wallet(keypair), base.opts);
}

/** Another funded provider of `w`'s pool: a keypair with SOL and `tokens` in `source`. */
export async function newStaker(
  w: StakingWorld,
  tokens = 1_000n * TOKEN,
): Promise<{ keypair: Keypair; source: PublicKey }> {
  const keypair = await fundedKeypair(w.provider, 10);
  const source = await tokenAccount(w.provider, w.mint, keypair.publicKey, tokens);
  return { keypair, source };
}

/** Mints `amount` straight into the pool's reward vault (as an emission vault would pay it). */
export async function payRewards(w: StakingWorld, amount: bigint): Promise<void> {
  const pool = await w.client.fetchPool(w.mint);
  if (!pool) throw new Error("payRewards: no pool");
  const payer = payerOf(w.provider);
  await mintTo(w.provider.connection, payer, w.mint, pool.rewardVault, payer, amount);
}

/** Lamports of `key`, as a bigint. */
export async function lamportsOf(provider: AnchorProvider, key: PublicKey): Promise<bigint> {
  return BigInt(await provider.connection.getBalance(key, "confirmed"));
}

/** The log messages of a confirmed transaction. */
export async function txLogs(provider: AnchorProvider, signature: string): Promise<string[]> {
  const tx = await provider.connection.getTransaction(signature, {
    commitment: "confirmed",
    maxSupportedTransactionVersion: 0,
  });
  if (!tx?.meta?.logMessages) throw new Error(`no logs for transaction ${signature}`);
  return tx.meta.logMessages;
}

/** The one event `name` among `events` (of `signature`); fails unless there is exactly one. */
export function onlyEvent<E extends { name: string; data: unknown }>(
  events: E[],
  name: string,
  signature: string,
): E["data"] {
  const named = events.filter((e) => e.name === name);
  expect(named, `${name} events of ${signature}`).to.have.length(1);
  return named[0].data;
}

/** The staking events of a confirmed transaction, parsed from its logs by the SDK. */
export async function txEvents(
  provider: AnchorProvider,
  signature: string,
): Promise<staking.Event[]> {
  return staking.parseEvents(await txLogs(provider, signature));
}

/** The one staking event `name` (camelCase, as the SDK names it: `slashed`) of a transaction. */
export async function txEvent(
  provider: AnchorProvider,
  signature: string,
  name: string,
): Promise<Record<string, unknown>> {
  return onlyEvent(await txEvents(provider, signature), name, signature);
}

/** What a rejected transaction must leave untouched. */
export interface Untouched {
  /** Token accounts whose balances must not move. */
  tokens?: PublicKey[];
  /** Keys whose lamports must not move (signers: a transaction rejected at preflight costs no fee). */
  lamports?: PublicKey[];
  /** Accounts whose data must stay byte for byte the same (or stay absent). */
  accounts?: PublicKey[];
}

async function stateOf(provider: AnchorProvider, u: Untouched): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const a of u.tokens ?? [])
    out[`tokens ${a.toBase58()}`] = (await tokenBalance(provider, a)).toString();
  for (const k of u.lamports ?? [])
    out[`lamports ${k.toBase58()}`] = (await lamportsOf(provider, k)).toString();
  for (const a of u.accounts ?? []) {
    const info = await provider.connection.getAccountInfo(a, "confirmed");
    out[`account ${a.toBase58()}`] = info
      ? `${info.lamports}:${info.owner.toBase58()}:${info.data.toString("hex")}`
      : "absent";
  }
  return out;
}

/**
 * Asserts that `action()` fails with the error `name` and that nothing listed in `untouched`
 * changed (token balances, lamports, account data). Returns the error.
 */
export async function expectRejected(
  provider: AnchorProvider,
  action: () => Promise<unknown>,
  name: string,
  untouched: Untouched,
): Promise<CrucibleError> {
  const before = await stateOf(provider, untouched);
  const err = await expectError(action(), name);
  expect(await stateOf(provider, untouched), `state after the rejected ${name}`).to.deep.equal(
    before,
  );
  return err;
}

// --- emissions ---

/** The cluster's clock (`Clock::unix_timestamp`), what the programs call "now". */
export async function chainTime(provider: AnchorProvider): Promise<bigint> {
  return emissions.fetchUnixTimestamp(provider.connection);
}

export interface EmissionsWorld {
  provider: AnchorProvider;
  /** Signs with the wallet: mint authority and authority of the vaults it creates. */
  client: EmissionsClient;
  /** The wallet. */
  authority: PublicKey;
  mint: PublicKey;
  /** The wallet's token account of `mint`, holding `sourceTokens`. */
  source: PublicKey;
  /** Token accounts of `mint`, each owned by a fresh key, to be recipients. */
  recipients: PublicKey[];
  /** The owners of `recipients`, in order (e.g. to close an account, or to sign as its owner). */
  recipientOwners: Keypair[];
  attacker: Keypair;
}

/** A fresh mint, a funded source for the wallet, `recipients` recipient accounts and an attacker. */
export async function emissionsWorld(
  o: { sourceTokens?: bigint; recipients?: number } = {},
): Promise<EmissionsWorld> {
  const provider = getProvider();
  const payer = payerOf(provider);
  const mint = await createMint(
    provider.connection,
    payer,
    payer.publicKey,
    null,
    DECIMALS,
    Keypair.generate(),
    undefined,
    TOKEN_PROGRAM_ID,
  );
  const source = await tokenAccount(
    provider,
    mint,
    payer.publicKey,
    o.sourceTokens ?? 1_000_000_000n * TOKEN,
  );
  const recipients: PublicKey[] = [];
  const recipientOwners: Keypair[] = [];
  for (let i = 0; i < (o.recipients ?? 3); i++) {
    const owner = Keypair.generate();
    recipientOwners.push(owner);
    recipients.push(await tokenAccount(provider, mint, owner.publicKey));
  }
  const attacker = await fundedKeypair(provider, 10);
  return {
    provider,
    client: new EmissionsClient(provider),
    authority: payer.publicKey,
    mint,
    source,
    recipients,
    recipientOwners,
    attacker,
  };
}

/** The emissions events of a confirmed transaction, parsed from its logs by the SDK. */
export async function emissionsTxEvents(
  provider: AnchorProvider,
  signature: string,
): Promise<emissions.Event[]> {
  return emissions.parseEvents(await txLogs(provider, signature));
}

/** The one emissions event `name` (camelCase: `emitted`) of a transaction. */
export async function emissionsTxEvent(
  provider: AnchorProvider,
  signature: string,
  name: string,
): Promise<Record<string, unknown>> {
  return onlyEvent(await emissionsTxEvents(provider, signature), name, signature);
}
