import { AnchorProvider, Idl, Program } from "@coral-xyz/anchor";
import { PublicKey, Signer, TransactionInstruction, TransactionSignature } from "@solana/web3.js";

import idl from "./idl/crucible_staking.json";
import type { CrucibleStaking } from "./idl/crucible_staking";
import { sendInstructions } from "../common/send";
import { fetchProviderStake, fetchStakePool, ProviderStake, StakePool } from "./accounts";
import * as ix from "./instructions";
import { poolPda, providerStakePda } from "./pda";

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

  private send(instructions: TransactionInstruction[], signers: Signer[] = []): Promise<TransactionSignature> {
    return sendInstructions(this.provider, instructions, signers);
  }

  /** Creates the mint's pool; the wallet must be the mint authority. */
  initPool(p: Omit<ix.InitPoolParams, "admin">): Promise<TransactionSignature> {
    return this.send([ix.initPool({ ...p, admin: this.wallet })]);
  }

  /** Stakes from `source`. `owner` defaults to the wallet; pass a signer to stake for another key. */
  stake(p: Omit<ix.StakeParams, "owner"> & { owner?: Signer }): Promise<TransactionSignature> {
    const owner = p.owner?.publicKey ?? this.wallet;
    return this.send([ix.stake({ ...p, owner })], p.owner ? [p.owner] : []);
  }

  requestUnstake(p: Omit<ix.RequestUnstakeParams, "owner"> & { owner?: Signer }): Promise<TransactionSignature> {
    const owner = p.owner?.publicKey ?? this.wallet;
    return this.send([ix.requestUnstake({ ...p, owner })], p.owner ? [p.owner] : []);
  }

  withdraw(p: Omit<ix.WithdrawParams, "owner"> & { owner?: Signer }): Promise<TransactionSignature> {
    const owner = p.owner?.publicKey ?? this.wallet;
    return this.send([ix.withdraw({ ...p, owner })], p.owner ? [p.owner] : []);
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
