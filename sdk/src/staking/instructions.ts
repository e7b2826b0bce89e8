import { Idl } from "@coral-xyz/anchor";
import { TOKEN_PROGRAM_ID } from "@solana/spl-token";
import { PublicKey, SystemProgram, TransactionInstruction } from "@solana/web3.js";

import idl from "./idl/crucible_staking.json";
import { u64 } from "../common/amount";
import { IdlInstructionBuilder } from "../common/instruction";
import { poolPda, providerStakePda, rewardVaultPda, stakeVaultPda } from "./pda";

const builder = new IdlInstructionBuilder(idl as Idl & { address: string });

export interface InitPoolParams {
  /** The mint authority of `mint`; becomes the pool admin and pays the rent. */
  admin: PublicKey;
  mint: PublicKey;
  /** Smallest active stake of a provider, in base units (> 0). */
  minStake: bigint;
  /** Unbonding delay in seconds (at least one hour, at most one year). */
  unbondingSecs: bigint;
  /** The market's collateral PDA, allowed to lock, unlock and slash. */
  locker: PublicKey;
  /** SPL Token (default) or Token-2022: the owner of `mint`. */
  tokenProgram?: PublicKey;
}

/** `init_pool`: creates the mint's staking pool and its two vaults. */
export function initPool(p: InitPoolParams): TransactionInstruction {
  const pool = poolPda(p.mint);
  return builder.build(
    "initPool",
    {
      admin: p.admin,
      mint: p.mint,
      pool,
      stakeVault: stakeVaultPda(pool),
      rewardVault: rewardVaultPda(pool),
      tokenProgram: p.tokenProgram ?? TOKEN_PROGRAM_ID,
      systemProgram: SystemProgram.programId,
    },
    {
      args: {
        minStake: u64(p.minStake, "minStake"),
        unbondingSecs: u64(p.unbondingSecs, "unbondingSecs"),
        locker: p.locker,
      },
    },
  );
}

export interface StakeParams {
  owner: PublicKey;
  mint: PublicKey;
  /** Token account of `mint` the owner stakes from. */
  source: PublicKey;
  amount: bigint;
  tokenProgram?: PublicKey;
}

/** `stake`: deposits `amount` as active stake (opens the stake account on first use). */
export function stake(p: StakeParams): TransactionInstruction {
  const pool = poolPda(p.mint);
  return builder.build(
    "stake",
    {
      owner: p.owner,
      pool,
      providerStake: providerStakePda(pool, p.owner),
      mint: p.mint,
      source: p.source,
      stakeVault: stakeVaultPda(pool),
      rewardVault: rewardVaultPda(pool),
      tokenProgram: p.tokenProgram ?? TOKEN_PROGRAM_ID,
      systemProgram: SystemProgram.programId,
    },
    { amount: u64(p.amount) },
  );
}

export interface RequestUnstakeParams {
  owner: PublicKey;
  mint: PublicKey;
  amount: bigint;
}

/** `request_unstake`: moves `amount` of free stake to unbonding, restarting the timer. */
export function requestUnstake(p: RequestUnstakeParams): TransactionInstruction {
  const pool = poolPda(p.mint);
  return builder.build(
    "requestUnstake",
    {
      owner: p.owner,
      pool,
      providerStake: providerStakePda(pool, p.owner),
      rewardVault: rewardVaultPda(pool),
    },
    { amount: u64(p.amount) },
  );
}

export interface WithdrawParams {
  owner: PublicKey;
  mint: PublicKey;
  /** Token account of `mint` that receives the unbonded stake. */
  destination: PublicKey;
  tokenProgram?: PublicKey;
}

/** `withdraw`: pays out all unbonding stake once the unbonding delay has passed. */
export function withdraw(p: WithdrawParams): TransactionInstruction {
  const pool = poolPda(p.mint);
  return builder.build("withdraw", {
    owner: p.owner,
    pool,
    providerStake: providerStakePda(pool, p.owner),
    mint: p.mint,
    stakeVault: stakeVaultPda(pool),
    destination: p.destination,
    tokenProgram: p.tokenProgram ?? TOKEN_PROGRAM_ID,
  });
}

// --- admin ---

export interface UpdatePoolParams {
  admin: PublicKey;
  mint: PublicKey;
  /** New minimum stake (> 0), or undefined to keep it. */
  minStake?: bigint;
  /** New unbonding delay in seconds (≤ one year), or undefined to keep it. */
  unbondingSecs?: bigint;
}

/** `update_pool`: changes the minimum stake and/or the unbonding delay (admin). */
export function updatePool(p: UpdatePoolParams): TransactionInstruction {
  return builder.build(
    "updatePool",
    { admin: p.admin, pool: poolPda(p.mint) },
    {
      args: {
        minStake: p.minStake === undefined ? null : u64(p.minStake, "minStake"),
        unbondingSecs: p.unbondingSecs === undefined ? null : u64(p.unbondingSecs, "unbondingSecs"),
      },
    },
  );
}

/** `propose_admin`: first step of an admin transfer (admin). */
export function proposeAdmin(p: {
  admin: PublicKey;
  mint: PublicKey;
  newAdmin: PublicKey;
}): TransactionInstruction {
  return builder.build(
    "proposeAdmin",
    { admin: p.admin, pool: poolPda(p.mint) },
    { newAdmin: p.newAdmin },
  );
}

/** `accept_admin`: completes an admin transfer (signed by the proposed admin). */
export function acceptAdmin(p: { newAdmin: PublicKey; mint: PublicKey }): TransactionInstruction {
  return builder.build("acceptAdmin", { newAdmin: p.newAdmin, pool: poolPda(p.mint) });
}

/** `set_paused`: pauses or resumes new business (admin). */
export function setPaused(p: {
  admin: PublicKey;
  mint: PublicKey;
  paused: boolean;
}): TransactionInstruction {
  return builder.build(
    "setPaused",
    { admin: p.admin, pool: poolPda(p.mint) },
    { paused: p.paused },
  );
}

/** `sweep_unallocated`: pays rewards that arrived while nobody was staked to `destination` (admin). */
export function sweepUnallocated(p: {
  admin: PublicKey;
  mint: PublicKey;
  destination: PublicKey;
  tokenProgram?: PublicKey;
}): TransactionInstruction {
  const pool = poolPda(p.mint);
  return builder.build("sweepUnallocated", {
    admin: p.admin,
    pool,
    mint: p.mint,
    rewardVault: rewardVaultPda(pool),
    destination: p.destination,
    tokenProgram: p.tokenProgram ?? TOKEN_PROGRAM_ID,
  });
}

// --- providers ---

/** `cancel_unstake`: returns all unbonding stake to active stake. */
export function cancelUnstake(p: { owner: PublicKey; mint: PublicKey }): TransactionInstruction {
  const pool = poolPda(p.mint);
  return builder.build("cancelUnstake", {
    owner: p.owner,
    pool,
    providerStake: providerStakePda(pool, p.owner),
    rewardVault: rewardVaultPda(pool),
  });
}

/** `claim_rewards`: pays the provider's settled rewards to `destination`. */
export function claimRewards(p: {
  owner: PublicKey;
  mint: PublicKey;
  destination: PublicKey;
  tokenProgram?: PublicKey;
}): TransactionInstruction {
  const pool = poolPda(p.mint);
  return builder.build("claimRewards", {
    owner: p.owner,
    pool,
    providerStake: providerStakePda(pool, p.owner),
    mint: p.mint,
    rewardVault: rewardVaultPda(pool),
    destination: p.destination,
    tokenProgram: p.tokenProgram ?? TOKEN_PROGRAM_ID,
  });
}

/** `close_stake`: closes an empty stake account, rent back to the owner. */
export function closeStake(p: { owner: PublicKey; mint: PublicKey }): TransactionInstruction {
  const pool = poolPda(p.mint);
  return builder.build("closeStake", {
    owner: p.owner,
    pool,
    providerStake: providerStakePda(pool, p.owner),
    rewardVault: rewardVaultPda(pool),
  });
}

// --- anyone ---

/** `sync_rewards`: adds what arrived in the reward vault to the accumulator. */
export function syncRewards(p: { mint: PublicKey }): TransactionInstruction {
  const pool = poolPda(p.mint);
  return builder.build("syncRewards", { pool, rewardVault: rewardVaultPda(pool) });
}

/**
 * `activate_stake` (anyone): makes `owner`'s stake that finished warming up (one hour after it
 * arrived) earn from now on. `sources` are the pool's reward sources in order
 * (`StakePool.rewardSources`); each must have paid every hour due, so bundle their `emit`
 * first (see `StakingClient.activateStake`).
 */
export function activateStake(p: {
  mint: PublicKey;
  owner: PublicKey;
  sources: readonly PublicKey[];
}): TransactionInstruction {
  const pool = poolPda(p.mint);
  const ix = builder.build("activateStake", {
    pool,
    providerStake: providerStakePda(pool, p.owner),
    rewardVault: rewardVaultPda(pool),
  });
  ix.keys.push(...p.sources.map((pubkey) => ({ pubkey, isSigner: false, isWritable: false })));
  return ix;
}

/** `add_reward_source` (admin): registers an emission vault that pays the reward vault. */
export function addRewardSource(p: {
  admin: PublicKey;
  mint: PublicKey;
  vault: PublicKey;
}): TransactionInstruction {
  return builder.build("addRewardSource", {
    admin: p.admin,
    pool: poolPda(p.mint),
    vault: p.vault,
  });
}

/** `remove_reward_source` (admin): unregisters a source that has ended or stopped paying. */
export function removeRewardSource(p: {
  admin: PublicKey;
  mint: PublicKey;
  vault: PublicKey;
}): TransactionInstruction {
  return builder.build("removeRewardSource", {
    admin: p.admin,
    pool: poolPda(p.mint),
    vault: p.vault,
  });
}

// --- the registered locker (the market's collateral PDA, through CPI) ---

/** How a job that held collateral ended (`unlock_collateral`). */
export type JobOutcome = "completed" | "failed" | "released";

const outcomeArg = (o: JobOutcome) => ({ [o]: {} });

/** `lock_collateral`: locks `amount` of `owner`'s free stake (locker only). */
export function lockCollateral(p: {
  locker: PublicKey;
  mint: PublicKey;
  owner: PublicKey;
  amount: bigint;
}): TransactionInstruction {
  const pool = poolPda(p.mint);
  return builder.build(
    "lockCollateral",
    { locker: p.locker, pool, providerStake: providerStakePda(pool, p.owner) },
    { amount: u64(p.amount) },
  );
}

/** `unlock_collateral`: releases `amount` and counts the outcome (locker only). */
export function unlockCollateral(p: {
  locker: PublicKey;
  mint: PublicKey;
  owner: PublicKey;
  amount: bigint;
  outcome: JobOutcome;
}): TransactionInstruction {
  const pool = poolPda(p.mint);
  return builder.build(
    "unlockCollateral",
    { locker: p.locker, pool, providerStake: providerStakePda(pool, p.owner) },
    { amount: u64(p.amount), outcome: outcomeArg(p.outcome) },
  );
}

/** `slash`: takes `amount` (locked first, then unbonding) to `destination`, or burns it when no destination is given (locker only). */
export function slash(p: {
  locker: PublicKey;
  mint: PublicKey;
  owner: PublicKey;
  amount: bigint;
  /** Token account of the harmed party; omit to burn. */
  destination?: PublicKey;
  tokenProgram?: PublicKey;
}): TransactionInstruction {
  const pool = poolPda(p.mint);
  return builder.build(
    "slash",
    {
      locker: p.locker,
      pool,
      providerStake: providerStakePda(pool, p.owner),
      mint: p.mint,
      stakeVault: stakeVaultPda(pool),
      rewardVault: rewardVaultPda(pool),
      destination: p.destination,
      tokenProgram: p.tokenProgram ?? TOKEN_PROGRAM_ID,
    },
    { amount: u64(p.amount), burn: p.destination === undefined },
  );
}
