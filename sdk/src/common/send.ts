import { AnchorProvider } from "@coral-xyz/anchor";
import { Signer, Transaction, TransactionInstruction, TransactionSignature } from "@solana/web3.js";

import { ErrorTable, translateError } from "./errors";
import { EMISSIONS_PROGRAM_ID, MARKET_PROGRAM_ID, STAKING_PROGRAM_ID } from "./programs";
import { EMISSIONS_ERRORS } from "../emissions/errors";
import { MARKET_ERRORS } from "../market/errors";
import { STAKING_ERRORS } from "../staking/errors";

/** Error tables of every Crucible program, by program id. */
export const CRUCIBLE_ERRORS: ReadonlyMap<string, ErrorTable> = new Map([
  [STAKING_PROGRAM_ID.toBase58(), STAKING_ERRORS],
  [MARKET_PROGRAM_ID.toBase58(), MARKET_ERRORS],
  [EMISSIONS_PROGRAM_ID.toBase58(), EMISSIONS_ERRORS],
]);

/**
 * Sends instructions as one transaction through the provider (fee payer and signer: its
 * wallet, plus `signers`) and waits for confirmation. Any failure is thrown as a
 * `CrucibleError` named after the program, Anchor or runtime error.
 */
export async function sendInstructions(
  provider: AnchorProvider,
  instructions: TransactionInstruction[],
  signers: Signer[] = [],
): Promise<TransactionSignature> {
  const tx = new Transaction().add(...instructions);
  try {
    return await provider.sendAndConfirm(tx, signers);
  } catch (err) {
    throw translateError(err, CRUCIBLE_ERRORS);
  }
}
