import { ACCOUNT_SIZE, AccountLayout } from "@solana/spl-token";
import { PublicKey, Signer, TransactionInstruction, TransactionSignature } from "@solana/web3.js";

import { ProgramClient } from "../common/client";
import type { PriorityFee } from "../common/compute-budget";
import type { AnchorProvider } from "../common/program";
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
import { program } from "./program";

/**
 * High-level staking client: builds, signs with the provider's wallet (plus any extra
 * signers), sends and confirms; failures are thrown as `CrucibleError`s.
 * `new StakingClient(provider, { programId, emissionsProgramId })` for a deployment at other
 * addresses than the IDLs'.
 */
export class StakingClient extends ProgramClient {
  /** The Anchor `Program`, e.g. for `addEventListener`. */
  readonly program: ReturnType<typeof program.anchorProgram>;
  private readonly emissionsProgramId: PublicKey | undefined;

  /** `programId`, `emissionsProgramId`: for a deployment at other addresses than the IDLs';
   * `computeUnitPrice`, `maxPriorityFeeLamports`: the priority fee (`priorityFee`). */
  constructor(
    provider: AnchorProvider,
    o: { programId?: PublicKey; emissionsProgramId?: PublicKey } & PriorityFee = {},
  ) {
    super(
      provider,
      o.programId ?? program.programId,
      { staking: o.programId, emissions: o.emissionsProgramId },
      o,
    );
    this.program = program.anchorProgram(provider, o.programId);
    this.emissionsProgramId = o.emissionsProgramId;
  }

  /** Creates the mint's pool; the wallet must be the mint authority. */
  async initPool(p: Omit<ix.InitPoolParams, "admin">): Promise<TransactionSignature> {
    return this.send([ix.initPool({ ...p, admin: this.wallet, programId: this.programId })]);
  }

  /** Stakes from `source`. `owner` defaults to the wallet; pass a signer to stake for another key. */
  async stake(
    p: Omit<ix.StakeParams, "owner"> & { owner?: Signer },
  ): Promise<TransactionSignature> {
    const owner = p.owner?.publicKey ?? this.wallet;
    return this.send([ix.stake({ ...p, owner, programId: this.programId })], p.owner);
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
      ? await emitDueInstructions(this.provider.connection, pool.rewardSources, {
          programId: this.emissionsProgramId,
        })
      : [];
    if (emits.length) await this.send(emits).catch(() => undefined);
    return this.send([ix.requestUnstake({ ...p, owner, programId: this.programId })], p.owner);
  }

  async withdraw(
    p: Omit<ix.WithdrawParams, "owner"> & { owner?: Signer },
  ): Promise<TransactionSignature> {
    const owner = p.owner?.publicKey ?? this.wallet;
    return this.send([ix.withdraw({ ...p, owner, programId: this.programId })], p.owner);
  }

  async updatePool(p: Omit<ix.UpdatePoolParams, "admin">): Promise<TransactionSignature> {
    return this.send([ix.updatePool({ ...p, admin: this.wallet, programId: this.programId })]);
  }

  async proposeAdmin(p: { mint: PublicKey; newAdmin: PublicKey }): Promise<TransactionSignature> {
    return this.send([ix.proposeAdmin({ ...p, admin: this.wallet, programId: this.programId })]);
  }

  /** Accepts an admin transfer; `newAdmin` defaults to the wallet. */
  async acceptAdmin(p: { mint: PublicKey; newAdmin?: Signer }): Promise<TransactionSignature> {
    const newAdmin = p.newAdmin?.publicKey ?? this.wallet;
    return this.send(
      [ix.acceptAdmin({ mint: p.mint, newAdmin, programId: this.programId })],
      p.newAdmin,
    );
  }

  async setPaused(p: { mint: PublicKey; paused: boolean }): Promise<TransactionSignature> {
    return this.send([ix.setPaused({ ...p, admin: this.wallet, programId: this.programId })]);
  }

  async sweepUnallocated(p: {
    mint: PublicKey;
    destination: PublicKey;
    tokenProgram?: PublicKey;
  }): Promise<TransactionSignature> {
    const admin = this.wallet;
    return this.send([ix.sweepUnallocated({ ...p, admin, programId: this.programId })]);
  }

  async cancelUnstake(p: { mint: PublicKey; owner?: Signer }): Promise<TransactionSignature> {
    const owner = p.owner?.publicKey ?? this.wallet;
    return this.send(
      [ix.cancelUnstake({ mint: p.mint, owner, programId: this.programId })],
      p.owner,
    );
  }

  async claimRewards(p: {
    mint: PublicKey;
    destination: PublicKey;
    owner?: Signer;
    tokenProgram?: PublicKey;
  }): Promise<TransactionSignature> {
    const owner = p.owner?.publicKey ?? this.wallet;
    const { mint, destination, tokenProgram } = p;
    return this.send(
      [ix.claimRewards({ mint, destination, owner, tokenProgram, programId: this.programId })],
      p.owner,
    );
  }

  async closeStake(p: { mint: PublicKey; owner?: Signer }): Promise<TransactionSignature> {
    const owner = p.owner?.publicKey ?? this.wallet;
    return this.send([ix.closeStake({ mint: p.mint, owner, programId: this.programId })], p.owner);
  }

  /** The instructions that activate `owner`'s warmed-up stake (see `activateStakeInstructions`). */
  activateStakeInstructions(p: {
    mint: PublicKey;
    owner?: PublicKey;
  }): Promise<TransactionInstruction[]> {
    return activateStakeInstructions(this.provider.connection, {
      mint: p.mint,
      owner: p.owner ?? this.wallet,
      programId: this.programId,
      emissionsProgramId: this.emissionsProgramId,
    });
  }

  /** Activates `owner`'s (default: the wallet's) warmed-up stake; anyone may send it. */
  async activateStake(p: { mint: PublicKey; owner?: PublicKey }): Promise<TransactionSignature> {
    return this.send(await this.activateStakeInstructions(p));
  }

  async addRewardSource(p: { mint: PublicKey; vault: PublicKey }): Promise<TransactionSignature> {
    return this.send([ix.addRewardSource({ ...p, admin: this.wallet, programId: this.programId })]);
  }

  async removeRewardSource(p: {
    mint: PublicKey;
    vault: PublicKey;
  }): Promise<TransactionSignature> {
    const admin = this.wallet;
    return this.send([ix.removeRewardSource({ ...p, admin, programId: this.programId })]);
  }

  async syncRewards(p: { mint: PublicKey }): Promise<TransactionSignature> {
    return this.send([ix.syncRewards({ mint: p.mint, programId: this.programId })]);
  }

  /** Locker instructions, for a locker key held off-chain (tests, or a custom locker). */
  async lockCollateral(
    p: Omit<ix.LockerParams, "locker"> & { locker: Signer },
  ): Promise<TransactionSignature> {
    const locker = p.locker.publicKey;
    return this.send([ix.lockCollateral({ ...p, locker, programId: this.programId })], p.locker);
  }

  async unlockCollateral(
    p: Omit<ix.LockerParams, "locker"> & { locker: Signer; outcome: ix.JobOutcome },
  ): Promise<TransactionSignature> {
    const locker = p.locker.publicKey;
    return this.send([ix.unlockCollateral({ ...p, locker, programId: this.programId })], p.locker);
  }

  async slash(
    p: Omit<ix.LockerParams, "locker"> & {
      locker: Signer;
      destination?: PublicKey;
      tokenProgram?: PublicKey;
    },
  ): Promise<TransactionSignature> {
    const locker = p.locker.publicKey;
    return this.send([ix.slash({ ...p, locker, programId: this.programId })], p.locker);
  }

  private poolOf(mint: PublicKey): PublicKey {
    return poolPda(mint, this.programId);
  }

  /** Every provider stake of the pool of `mint` (server-side filtered). */
  listProviders(mint: PublicKey): ReturnType<typeof listProviderStakes> {
    return listProviderStakes(this.provider.connection, this.poolOf(mint), this);
  }

  /** What `owner` could claim now, computed off-chain exactly as the program would. */
  async pendingRewards(mint: PublicKey, owner: PublicKey = this.wallet): Promise<bigint> {
    // One getMultipleAccounts: the pool, the stake and the reward vault from the same state
    // (separate reads could straddle someone else's claim and disagree).
    const pool = this.poolOf(mint);
    const [poolInfo, stakeInfo, vaultInfo] = await this.provider.connection.getMultipleAccountsInfo(
      [pool, providerStakePda(pool, owner, this.programId), rewardVaultPda(pool, this.programId)],
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
    return fetchStakePool(this.provider.connection, this.poolOf(mint), this);
  }

  /** `owner`'s stake in the pool of `mint`, or `null`. */
  fetchStake(mint: PublicKey, owner: PublicKey = this.wallet): Promise<ProviderStake | null> {
    const stake = providerStakePda(this.poolOf(mint), owner, this.programId);
    return fetchProviderStake(this.provider.connection, stake, this);
  }
}
