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
  /** Unbonding delay in seconds (at most one year). */
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
      args: { minStake: u64(p.minStake, "minStake"), unbondingSecs: u64(p.unbondingSecs, "unbondingSecs"), locker: p.locker },
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
    { owner: p.owner, pool, providerStake: providerStakePda(pool, p.owner), rewardVault: rewardVaultPda(pool) },
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
