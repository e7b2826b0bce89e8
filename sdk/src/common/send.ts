import { Signer, Transaction, TransactionInstruction, TransactionSignature } from "@solana/web3.js";

import { ComputeBudgetOptions, withComputeBudget } from "./compute-budget";
import { translateError } from "./errors";
import type { AnchorProvider, ErrorTable } from "./program";
import type { ProgramIds } from "./programs";
import { program as emissions } from "../emissions/program";
import { program as market } from "../market/program";
import { program as staking } from "../staking/program";

/** Error tables of every Crucible program, by program id. */
export const CRUCIBLE_ERRORS: ReadonlyMap<string, ErrorTable> = new Map([
  [staking.programId.toBase58(), staking.errors],
  [market.programId.toBase58(), market.errors],
  [emissions.programId.toBase58(), emissions.errors],
]);

/** Error tables for a deployment at other addresses: `CRUCIBLE_ERRORS` plus each program's
 * errors at the address given. */
export function crucibleErrors(ids: ProgramIds = {}): ReadonlyMap<string, ErrorTable> {
  const tables = new Map(CRUCIBLE_ERRORS);
  if (ids.staking) tables.set(ids.staking.toBase58(), staking.errors);
  if (ids.market) tables.set(ids.market.toBase58(), market.errors);
  if (ids.emissions) tables.set(ids.emissions.toBase58(), emissions.errors);
  return tables;
}

/**
 * Sends instructions as one transaction through the provider (fee payer and signer: its
 * wallet, plus `signers`) and waits for confirmation. The transaction starts with its
 * compute-unit limit and, when `budget.computeUnitPrice` is given, its priority fee
 * (`withComputeBudget`; a fee above the cap is refused before anything is sent). Any failure
 * is thrown as a `CrucibleError` named after the program, Anchor or runtime error (`tables`:
 * the programs' error tables by id, `CRUCIBLE_ERRORS` by default).
 */
export async function sendInstructions(
  provider: AnchorProvider,
  instructions: TransactionInstruction[],
  signers: Signer[] = [],
  tables: ReadonlyMap<string, ErrorTable> = CRUCIBLE_ERRORS,
  budget: ComputeBudgetOptions = {},
): Promise<TransactionSignature> {
  const tx = new Transaction().add(...withComputeBudget(instructions, budget));
  try {
    return await provider.sendAndConfirm(tx, signers);
  } catch (err) {
    throw translateError(err, tables);
  }
}
