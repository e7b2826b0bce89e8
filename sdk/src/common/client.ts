import { PublicKey, Signer, TransactionInstruction, TransactionSignature } from "@solana/web3.js";

import { checkPriorityFee, PriorityFee } from "./compute-budget";
import type { AnchorProvider, ErrorTable } from "./program";
import type { ProgramIds } from "./programs";
import { crucibleErrors, sendInstructions } from "./send";

/**
 * What the three clients share: the provider whose wallet pays and signs, the program's
 * address, the priority fee, and a `send` that sets every transaction's compute budget and
 * names failures after the programs' errors at the addresses in use.
 */
export abstract class ProgramClient {
  /** The program this client sends to. */
  readonly programId: PublicKey;
  private readonly errors: ReadonlyMap<string, ErrorTable>;
  private readonly ids: ProgramIds;
  private fee: PriorityFee;

  protected constructor(
    readonly provider: AnchorProvider,
    programId: PublicKey,
    ids: ProgramIds,
    fee: PriorityFee = {},
  ) {
    this.programId = programId;
    this.errors = crucibleErrors(ids);
    this.ids = ids;
    this.fee = priorityFeeOf(fee);
  }

  /** The priority fee of every transaction this client sends: `computeUnitPrice`
   * (micro-lamports per compute unit; none when omitted) and `maxPriorityFeeLamports` (the cap,
   * default 0.01 SOL). Set it as fees move; a bad value throws here and sends nothing. */
  get priorityFee(): PriorityFee {
    return { ...this.fee };
  }

  set priorityFee(fee: PriorityFee) {
    this.fee = priorityFeeOf(fee);
  }

  protected get wallet(): PublicKey {
    return this.provider.wallet.publicKey;
  }

  /** Sends `instructions` as one transaction, signed by the wallet and each given signer, with
   * its compute budget (`withComputeBudget`). */
  protected send(
    instructions: TransactionInstruction[],
    ...signers: Array<Signer | undefined>
  ): Promise<TransactionSignature> {
    const extra = signers.filter((s): s is Signer => s !== undefined);
    return sendInstructions(this.provider, instructions, extra, this.errors, {
      ...this.fee,
      programIds: this.ids,
    });
  }
}

/** The two priority-fee fields of `o`, checked (a bad value throws). */
function priorityFeeOf(o: PriorityFee): PriorityFee {
  const fee = {
    computeUnitPrice: o.computeUnitPrice,
    maxPriorityFeeLamports: o.maxPriorityFeeLamports,
  };
  checkPriorityFee(fee);
  return fee;
}
