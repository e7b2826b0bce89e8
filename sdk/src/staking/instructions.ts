// One builder per staking instruction. Each returns a `TransactionInstruction` with every
// account explicit and needs no wallet; each takes an optional `programId`.
import { TOKEN_PROGRAM_ID } from "@solana/spl-token";
import { PublicKey, SystemProgram, TransactionInstruction } from "@solana/web3.js";

import { u64 } from "../common/amount";
import type { ProgramIdOption } from "../common/program";
import { poolPda, providerStakePda, rewardVaultPda, stakeVaultPda } from "./pda";
import { program } from "./program";

/** The pool of `mint` and its reward vault. */
function poolAccounts(p: ProgramIdOption & { mint: PublicKey }) {
  const pool = poolPda(p.mint, p.programId);
  return { pool, rewardVault: rewardVaultPda(pool, p.programId) };
}

/** The accounts of `owner`'s stake: the pool, the stake account and the reward vault. */
function stakeAccounts(p: ProgramIdOption & { mint: PublicKey; owner: PublicKey }) {
  const a = poolAccounts(p);
  return { ...a, providerStake: providerStakePda(a.pool, p.owner, p.programId) };
}

export interface InitPoolParams extends ProgramIdOption {
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
  const a = poolAccounts(p);
  return program.instruction("initPool", {
    programId: p.programId,
    accounts: {
      ...a,
      admin: p.admin,
      mint: p.mint,
      stakeVault: stakeVaultPda(a.pool, p.programId),
      tokenProgram: p.tokenProgram ?? TOKEN_PROGRAM_ID,
      systemProgram: SystemProgram.programId,
    },
    args: {
      args: {
        minStake: u64(p.minStake, "minStake"),
        unbondingSecs: u64(p.unbondingSecs, "unbondingSecs"),
        locker: p.locker,
      },
    },
  });
}

export interface StakeParams extends ProgramIdOption {
  owner: PublicKey;
  mint: PublicKey;
  /** Token account of `mint` the owner stakes from. */
  source: PublicKey;
  amount: bigint;
  tokenProgram?: PublicKey;
}

/** `stake`: deposits `amount` as active stake (opens the stake account on first use). */
export function stake(p: StakeParams): TransactionInstruction {
  const a = stakeAccounts(p);
  return program.instruction("stake", {
    programId: p.programId,
    accounts: {
      ...a,
      owner: p.owner,
      mint: p.mint,
      source: p.source,
      stakeVault: stakeVaultPda(a.pool, p.programId),
      tokenProgram: p.tokenProgram ?? TOKEN_PROGRAM_ID,
      systemProgram: SystemProgram.programId,
    },
    args: { amount: u64(p.amount) },
  });
}

export interface RequestUnstakeParams extends ProgramIdOption {
  owner: PublicKey;
  mint: PublicKey;
  amount: bigint;
}

/** `request_unstake`: moves `amount` of free stake to unbonding, restarting the timer. */
export function requestUnstake(p: RequestUnstakeParams): TransactionInstruction {
  return program.instruction("requestUnstake", {
    programId: p.programId,
    accounts: { owner: p.owner, ...stakeAccounts(p) },
    args: { amount: u64(p.amount) },
  });
}

export interface WithdrawParams extends ProgramIdOption {
  owner: PublicKey;
  mint: PublicKey;
  /** Token account of `mint` that receives the unbonded stake. */
  destination: PublicKey;
  tokenProgram?: PublicKey;
}

/** `withdraw`: pays out all unbonding stake once the unbonding delay has passed. */
export function withdraw(p: WithdrawParams): TransactionInstruction {
  const { pool, providerStake } = stakeAccounts(p);
  return program.instruction("withdraw", {
    programId: p.programId,
    accounts: {
      owner: p.owner,
      pool,
      providerStake,
      mint: p.mint,
      stakeVault: stakeVaultPda(pool, p.programId),
      destination: p.destination,
      tokenProgram: p.tokenProgram ?? TOKEN_PROGRAM_ID,
    },
  });
}

// --- admin ---

export interface UpdatePoolParams extends ProgramIdOption {
  admin: PublicKey;
  mint: PublicKey;
  /** New minimum stake (> 0), or undefined to keep it. */
  minStake?: bigint;
  /** New unbonding delay in seconds (≤ one year), or undefined to keep it. */
  unbondingSecs?: bigint;
}

/** The accounts of an admin instruction: the admin and the pool of `mint`. */
function adminAccounts(p: ProgramIdOption & { admin: PublicKey; mint: PublicKey }) {
  return { admin: p.admin, pool: poolPda(p.mint, p.programId) };
}

/** `update_pool`: changes the minimum stake and/or the unbonding delay (admin). */
export function updatePool(p: UpdatePoolParams): TransactionInstruction {
  return program.instruction("updatePool", {
    programId: p.programId,
    accounts: adminAccounts(p),
    args: {
      args: {
        minStake: p.minStake === undefined ? null : u64(p.minStake, "minStake"),
        unbondingSecs: p.unbondingSecs === undefined ? null : u64(p.unbondingSecs, "unbondingSecs"),
      },
    },
  });
}

/** `propose_admin`: first step of an admin transfer (admin). */
export function proposeAdmin(
  p: ProgramIdOption & { admin: PublicKey; mint: PublicKey; newAdmin: PublicKey },
): TransactionInstruction {
  return program.instruction("proposeAdmin", {
    programId: p.programId,
    accounts: adminAccounts(p),
    args: { newAdmin: p.newAdmin },
  });
}

/** `accept_admin`: completes an admin transfer (signed by the proposed admin). */
export function acceptAdmin(
  p: ProgramIdOption & { newAdmin: PublicKey; mint: PublicKey },
): TransactionInstruction {
  return program.instruction("acceptAdmin", {
    programId: p.programId,
    accounts: { newAdmin: p.newAdmin, pool: poolPda(p.mint, p.programId) },
  });
}

/** `set_paused`: pauses or resumes new business (admin). */
export function setPaused(
  p: ProgramIdOption & { admin: PublicKey; mint: PublicKey; paused: boolean },
): TransactionInstruction {
  return program.instruction("setPaused", {
    programId: p.programId,
    accounts: adminAccounts(p),
    args: { paused: p.paused },
  });
}

/** `sweep_unallocated`: pays rewards that arrived while nobody was staked to `destination` (admin). */
export function sweepUnallocated(
  p: ProgramIdOption & {
    admin: PublicKey;
    mint: PublicKey;
    destination: PublicKey;
    tokenProgram?: PublicKey;
  },
): TransactionInstruction {
  return program.instruction("sweepUnallocated", {
    programId: p.programId,
    accounts: {
      admin: p.admin,
      ...poolAccounts(p),
      mint: p.mint,
      destination: p.destination,
      tokenProgram: p.tokenProgram ?? TOKEN_PROGRAM_ID,
    },
  });
}

/** `add_reward_source` (admin): registers an emission vault that pays the reward vault. */
export function addRewardSource(
  p: ProgramIdOption & { admin: PublicKey; mint: PublicKey; vault: PublicKey },
): TransactionInstruction {
  return program.instruction("addRewardSource", {
    programId: p.programId,
    accounts: { ...adminAccounts(p), vault: p.vault },
  });
}

/** `remove_reward_source` (admin): unregisters a source that has ended or stopped paying. */
export function removeRewardSource(
  p: ProgramIdOption & { admin: PublicKey; mint: PublicKey; vault: PublicKey },
): TransactionInstruction {
  return program.instruction("removeRewardSource", {
    programId: p.programId,
    accounts: { ...adminAccounts(p), vault: p.vault },
  });
}

// --- providers ---

/** `cancel_unstake`: returns all unbonding stake to active stake. */
export function cancelUnstake(
  p: ProgramIdOption & { owner: PublicKey; mint: PublicKey },
): TransactionInstruction {
  return program.instruction("cancelUnstake", {
    programId: p.programId,
    accounts: { owner: p.owner, ...stakeAccounts(p) },
  });
}

/** `claim_rewards`: pays the provider's settled rewards to `destination`. */
export function claimRewards(
  p: ProgramIdOption & {
    owner: PublicKey;
    mint: PublicKey;
    destination: PublicKey;
    tokenProgram?: PublicKey;
  },
): TransactionInstruction {
  return program.instruction("claimRewards", {
    programId: p.programId,
    accounts: {
      owner: p.owner,
      ...stakeAccounts(p),
      mint: p.mint,
      destination: p.destination,
      tokenProgram: p.tokenProgram ?? TOKEN_PROGRAM_ID,
    },
  });
}

/** `close_stake`: closes an empty stake account, rent back to the owner. */
export function closeStake(
  p: ProgramIdOption & { owner: PublicKey; mint: PublicKey },
): TransactionInstruction {
  return program.instruction("closeStake", {
    programId: p.programId,
    accounts: { owner: p.owner, ...stakeAccounts(p) },
  });
}

// --- anyone ---

/** `sync_rewards`: adds what arrived in the reward vault to the accumulator. */
export function syncRewards(p: ProgramIdOption & { mint: PublicKey }): TransactionInstruction {
  return program.instruction("syncRewards", { programId: p.programId, accounts: poolAccounts(p) });
}

/**
 * `activate_stake` (anyone): makes `owner`'s stake that finished warming up (one hour after it
 * arrived) earn from now on. `sources` are the pool's reward sources in order
 * (`StakePool.rewardSources`); each must have paid every hour due, so bundle their `emit`
 * first (see `StakingClient.activateStake`).
 */
export function activateStake(
  p: ProgramIdOption & { mint: PublicKey; owner: PublicKey; sources: readonly PublicKey[] },
): TransactionInstruction {
  return program.instruction("activateStake", {
    programId: p.programId,
    accounts: stakeAccounts(p),
    remaining: p.sources.map((pubkey) => ({ pubkey, isSigner: false, isWritable: false })),
  });
}

// --- the registered locker (the market's collateral PDA, through CPI) ---

/** How a job that held collateral ended (`unlock_collateral`). */
export type JobOutcome = "completed" | "failed" | "released";

const outcomeArg = (o: JobOutcome) => ({ [o]: {} });

/** What the locker's instructions name: the locker, `owner`'s stake of the pool of `mint`, an
 * amount. */
export interface LockerParams extends ProgramIdOption {
  locker: PublicKey;
  mint: PublicKey;
  owner: PublicKey;
  amount: bigint;
}

function lockerAccounts(p: LockerParams) {
  const { pool, providerStake } = stakeAccounts(p);
  return { locker: p.locker, pool, providerStake };
}

/** `lock_collateral`: locks `amount` of `owner`'s free stake (locker only). */
export function lockCollateral(p: LockerParams): TransactionInstruction {
  return program.instruction("lockCollateral", {
    programId: p.programId,
    accounts: lockerAccounts(p),
    args: { amount: u64(p.amount) },
  });
}

/** `unlock_collateral`: releases `amount` and counts the outcome (locker only). */
export function unlockCollateral(
  p: LockerParams & { outcome: JobOutcome },
): TransactionInstruction {
  return program.instruction("unlockCollateral", {
    programId: p.programId,
    accounts: lockerAccounts(p),
    args: { amount: u64(p.amount), outcome: outcomeArg(p.outcome) },
  });
}

/** `slash`: takes `amount` (locked first, then unbonding) to `destination`, or burns it when no destination is given (locker only). */
export function slash(
  p: LockerParams & {
    /** Token account of the harmed party; omit to burn. */
    destination?: PublicKey;
    tokenProgram?: PublicKey;
  },
): TransactionInstruction {
  const a = stakeAccounts(p);
  return program.instruction("slash", {
    programId: p.programId,
    accounts: {
      ...a,
      locker: p.locker,
      mint: p.mint,
      stakeVault: stakeVaultPda(a.pool, p.programId),
      destination: p.destination,
      tokenProgram: p.tokenProgram ?? TOKEN_PROGRAM_ID,
    },
    args: { amount: u64(p.amount), burn: p.destination === undefined },
  });
}
