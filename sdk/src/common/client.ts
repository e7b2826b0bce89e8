import { PublicKey, Signer, TransactionInstruction, TransactionSignature } from "@solana/web3.js";

import type { AnchorProvider, ErrorTable } from "./program";
import { crucibleErrors, ProgramIds, sendInstructions } from "./send";

/**
 * What the three clients share: the provider whose wallet pays and signs, the program's
 * address, and a `send` that names failures after the programs' errors at the addresses in
 * use.
 */
export abstract class ProgramClient {
  /** The program this client sends to. */
  readonly programId: PublicKey;
  private readonly errors: ReadonlyMap<string, ErrorTable>;

  protected constructor(
    readonly provider: AnchorProvider,
    programId: PublicKey,
    ids: ProgramIds,
  ) {
    this.programId = programId;
    this.errors = crucibleErrors(ids);
  }

  protected get wallet(): PublicKey {
    return this.provider.wallet.publicKey;
  }

  /** Sends `instructions` as one transaction, signed by the wallet and each given signer. */
  protected send(
    instructions: TransactionInstruction[],
    ...signers: Array<Signer | undefined>
  ): Promise<TransactionSignature> {
    const extra = signers.filter((s): s is Signer => s !== undefined);
    return sendInstructions(this.provider, instructions, extra, this.errors);
  }
}
