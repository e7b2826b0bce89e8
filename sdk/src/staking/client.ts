import { AnchorProvider, Idl, Program } from "@coral-xyz/anchor";
import { ACCOUNT_SIZE, AccountLayout } from "@solana/spl-token";
import { PublicKey, Signer, TransactionInstruction, TransactionSignature } from "@solana/web3.js";

import idl from "./idl/crucible_staking.json";
import type { CrucibleStaking } from "./idl/crucible_staking";
import { sendInstructions } from "../common/send";
import {
  decodeProviderStake,
  decodeStakePool,
  fetchProviderStake,
  fetchStakePool,
  listProviderStakes,
  ProviderStake,
  StakePool,
} from "./accounts";
import { pendingRewards } from "./math";
import { activateStakeInstructions, emitDueInstructions } from "./activate";
import * as ix from "./instructions";
import { poolPda, providerStakePda, rewardVaultPda } from "./pda";

/**
 * High-level staking client: builds, signs with the provider's wallet (plus any extra
 * signers), sends and confirms; failures are thrown as `CrucibleError`s.
 */
export class StakingClient {
  /** The Anchor `Program`, e.g. for `addEventListener`. */
  readonly program: Program<CrucibleStaking>;

  constructor(readonly provider: AnchorProvider) {
    this.program = new Program<CrucibleStaking>(idl as Idl as CrucibleStaking, provider);
  }

  private get wallet(): PublicKey {
    return this.provider.wallet.publicKey;
  }

  private send(
    instructions: TransactionInstruction[],
    signers: Signer[] = [],
  ): Promise<TransactionSignature> {
    return sendInstructions(this.provider, instructions, signers);
  }

  /** Creates the mint's pool; the wallet must be the mint authority. */
  async initPool(p: Omit<ix.InitPoolParams, "admin">): Promise<TransactionSignature> {
    return this.send([ix.initPool({ ...p, admin: this.wallet })]);
  }

  /** Stakes from `source`. `owner` defaults to the wallet; pass a signer to stake for another key. */
  async stake(
    p: Omit<ix.StakeParams, "owner"> & { owner?: Signer },
  ): Promise<TransactionSignature> {
    const owner = p.owner?.publicKey ?? this.wallet;
    return this.send([ix.stake({ ...p, owner })], p.owner ? [p.owner] : []);
  }

  /**
   * Moves stake to unbonding. First, in a transaction of its own, it cranks the pool's reward
   * sources that have hours due, so the hours before the unstake are paid to this stake too
   * (a failure there is ignored: the exit never depends on it).
   */
  async requestUnstake(
    p: Omit<ix.RequestUnstakeParams, "owner"> & { owner?: Signer },
  ): Promise<TransactionSignature> {
    const owner = p.owner?.publicKey ?? this.wallet;
    const pool = await this.fetchPool(p.mint);
    const emits = pool
      ? await emitDueInstructions(this.provider.connection, pool.rewardSources)
      : [];
    if (emits.length) await this.send(emits).catch(() => undefined);
    return this.send([ix.requestUnstake({ ...p, owner })], p.owner ? [p.owner] : []);
  }

  async withdraw(
    p: Omit<ix.WithdrawParams, "owner"> & { owner?: Signer },
  ): Promise<TransactionSignature> {
    const owner = p.owner?.publicKey ?? this.wallet;
    return this.send([ix.withdraw({ ...p, owner })], p.owner ? [p.owner] : []);
  }

  async updatePool(p: Omit<ix.UpdatePoolParams, "admin">): Promise<TransactionSignature> {
    return this.send([ix.updatePool({ ...p, admin: this.wallet })]);
  }

  async proposeAdmin(p: { mint: PublicKey; newAdmin: PublicKey }): Promise<TransactionSignature> {
    return this.send([ix.proposeAdmin({ ...p, admin: this.wallet })]);
  }

  /** Accepts an admin transfer; `newAdmin` defaults to the wallet. */
  async acceptAdmin(p: { mint: PublicKey; newAdmin?: Signer }): Promise<TransactionSignature> {
    const newAdmin = p.newAdmin?.publicKey ?? this.wallet;
    return this.send([ix.acceptAdmin({ mint: p.mint, newAdmin })], p.newAdmin ? [p.newAdmin] : []);
  }

  async setPaused(p: { mint: PublicKey; paused: boolean }): Promise<TransactionSignature> {
    return this.send([ix.setPaused({ ...p, admin: this.wallet })]);
  }

  async sweepUnallocated(p: {
    mint: PublicKey;
    destination: PublicKey;
    tokenProgram?: PublicKey;
  }): Promise<TransactionSignature> {
    return this.send([ix.sweepUnallocated({ ...p, admin: this.wallet })]);
  }

  async cancelUnstake(p: { mint: PublicKey; owner?: Signer }): Promise<TransactionSignature> {
    const owner = p.owner?.publicKey ?? this.wallet;
    return this.send([ix.cancelUnstake({ mint: p.mint, owner })], p.owner ? [p.owner] : []);
  }

  async claimRewards(p: {
    mint: PublicKey;
    destination: PublicKey;
    owner?: Signer;
    tokenProgram?: PublicKey;
  }): Promise<TransactionSignature> {
    const owner = p.owner?.publicKey ?? this.wallet;
    return this.send(
      [
        ix.claimRewards({
          mint: p.mint,
          destination: p.destination,
          owner,
          tokenProgram: p.tokenProgram,
        }),
      ],
      p.owner ? [p.owner] : [],
    );
  }

  async closeStake(p: { mint: PublicKey; owner?: Signer }): Promise<TransactionSignature> {
    const owner = p.owner?.publicKey ?? this.wallet;
    return this.send([ix.closeStake({ mint: p.mint, owner })], p.owner ? [p.owner] : []);
  }

  /** The instructions that activate `owner`'s warmed-up stake (see `activateStakeInstructions`). */
  activateStakeInstructions(p: {
    mint: PublicKey;
    owner?: PublicKey;
  }): Promise<TransactionInstruction[]> {
    return activateStakeInstructions(this.provider.connection, {
      mint: p.mint,
      owner: p.owner ?? this.wallet,
    });
  }

  /** Activates `owner`'s (default: the wallet's) warmed-up stake; anyone may send it. */
  async activateStake(p: { mint: PublicKey; owner?: PublicKey }): Promise<TransactionSignature> {
    return this.send(await this.activateStakeInstructions(p));
  }

  async addRewardSource(p: { mint: PublicKey; vault: PublicKey }): Promise<TransactionSignature> {
    return this.send([ix.addRewardSource({ ...p, admin: this.wallet })]);
  }

  async removeRewardSource(p: {
    mint: PublicKey;
    vault: PublicKey;
  }): Promise<TransactionSignature> {
    return this.send([ix.removeRewardSource({ ...p, admin: this.wallet })]);
  }

  async syncRewards(p: { mint: PublicKey }): Promise<TransactionSignature> {
    return this.send([ix.syncRewards(p)]);
  }

  /** Locker instructions, for a locker key held off-chain (tests, or a custom locker). */
  async lockCollateral(p: {
    locker: Signer;
    mint: PublicKey;
    owner: PublicKey;
    amount: bigint;
  }): Promise<TransactionSignature> {
    return this.send([ix.lockCollateral({ ...p, locker: p.locker.publicKey })], [p.locker]);
  }

  async unlockCollateral(p: {
    locker: Signer;
    mint: PublicKey;
    owner: PublicKey;
    amount: bigint;
    outcome: ix.JobOutcome;
  }): Promise<TransactionSignature> {
    return this.send([ix.unlockCollateral({ ...p, locker: p.locker.publicKey })], [p.locker]);
  }

  async slash(p: {
    locker: Signer;
    mint: PublicKey;
    owner: PublicKey;
    amount: bigint;
    destination?: PublicKey;
    tokenProgram?: PublicKey;
  }): Promise<TransactionSignature> {
    return this.send([ix.slash({ ...p, locker: p.locker.publicKey })], [p.locker]);
  }

  /** Every provider stake of the pool of `mint` (server-side filtered). */
  listProviders(mint: PublicKey): ReturnType<typeof listProviderStakes> {
    return listProviderStakes(this.provider.connection, poolPda(mint));
  }

  /** What `owner` could claim now, computed off-chain exactly as the program would. */
  async pendingRewards(mint: PublicKey, owner: PublicKey = this.wallet): Promise<bigint> {
    // One getMultipleAccounts: the pool, the stake and the reward vault from the same state
    // (separate reads could straddle someone else's claim and disagree).
    const pool = poolPda(mint);
    const [poolInfo, stakeInfo, vaultInfo] = await this.provider.connection.getMultipleAccountsInfo(
      [pool, providerStakePda(pool, owner), rewardVaultPda(pool)],
      "confirmed",
    );
    if (!poolInfo) throw new Error(`no staking pool for mint ${mint.toBase58()}`);
    if (!stakeInfo || !vaultInfo) return 0n;
    const vault = AccountLayout.decode(vaultInfo.data.subarray(0, ACCOUNT_SIZE));
    return pendingRewards(
      decodeStakePool(poolInfo.data),
      decodeProviderStake(stakeInfo.data),
      vault.amount,
    );
  }

  /** The pool of `mint`, or `null`. */
  fetchPool(mint: PublicKey): Promise<StakePool | null> {
    return fetchStakePool(this.provider.connection, poolPda(mint));
  }

  /** `owner`'s stake in the pool of `mint`, or `null`. */
  fetchStake(mint: PublicKey, owner: PublicKey = this.wallet): Promise<ProviderStake | null> {
    return fetchProviderStake(this.provider.connection, providerStakePda(poolPda(mint), owner));
  }
}
