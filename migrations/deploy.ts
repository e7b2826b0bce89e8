// Anchor's deploy hook (`anchor migrate`): bootstraps a cluster after the programs are
// deployed. Issue 6 makes it an idempotent bootstrap from a JSON config (mint, pool, markets,
// emission vaults); until then it checks that the three programs are deployed where the SDK
// expects them and says what it found.
import { AnchorProvider } from "@coral-xyz/anchor";

import { EMISSIONS_PROGRAM_ID, MARKET_PROGRAM_ID, STAKING_PROGRAM_ID } from "../sdk/src";

module.exports = async function (provider: AnchorProvider): Promise<void> {
  for (const [name, id] of [
    ["crucible_staking", STAKING_PROGRAM_ID],
    ["crucible_market", MARKET_PROGRAM_ID],
    ["crucible_emissions", EMISSIONS_PROGRAM_ID],
  ] as const) {
    const info = await provider.connection.getAccountInfo(id);
    if (!info?.executable) throw new Error(`${name} is not deployed at ${id.toBase58()}`);
    console.log(`${name}: deployed at ${id.toBase58()}`);
  }
};
