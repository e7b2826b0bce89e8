// "Are the programs deployed?": the one check, used by the bootstrap (`crucible init`) and
// Anchor's deploy hook (migrations/deploy.ts).
import { Connection, PublicKey } from "@solana/web3.js";

import { EMISSIONS_PROGRAM_ID, MARKET_PROGRAM_ID, STAKING_PROGRAM_ID } from "../../../sdk/src";
import { CliError } from "../errors";

export type ProgramName = "crucible_staking" | "crucible_market" | "crucible_emissions";

/** Every Crucible program, in deployment order. */
export const PROGRAMS: ReadonlyArray<{ name: ProgramName; id: PublicKey }> = [
  { name: "crucible_staking", id: STAKING_PROGRAM_ID },
  { name: "crucible_market", id: MARKET_PROGRAM_ID },
  { name: "crucible_emissions", id: EMISSIONS_PROGRAM_ID },
];

/**
 * Checks that each program named (default: all) is an executable account on the cluster, in
 * order; throws `ProgramNotDeployed` naming the first that is not. Returns the programs checked.
 */
export async function requireDeployed(
  connection: Connection,
  names: ProgramName[] = PROGRAMS.map((p) => p.name),
): Promise<Array<{ name: ProgramName; id: PublicKey }>> {
  const programs = PROGRAMS.filter((p) => names.includes(p.name));
  for (const { name, id } of programs) {
    const info = await connection.getAccountInfo(id);
    if (!info?.executable)
      throw new CliError(
        `${name} is not deployed at ${id.toBase58()} on ${connection.rpcEndpoint}`,
        "ProgramNotDeployed",
      );
  }
  return programs;
}
