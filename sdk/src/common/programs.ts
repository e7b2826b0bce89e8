import { PublicKey } from "@solana/web3.js";

import stakingIdl from "../staking/idl/crucible_staking.json";
import marketIdl from "../market/idl/crucible_market.json";
import emissionsIdl from "../emissions/idl/crucible_emissions.json";

/** Program ids, from the IDLs (which carry each program's `declare_id!`). */
export const STAKING_PROGRAM_ID = new PublicKey(stakingIdl.address);
export const MARKET_PROGRAM_ID = new PublicKey(marketIdl.address);
export const EMISSIONS_PROGRAM_ID = new PublicKey(emissionsIdl.address);

/** The program ids of a deployment, each defaulting to the IDL's. */
export interface ProgramIds {
  staking?: PublicKey;
  market?: PublicKey;
  emissions?: PublicKey;
}
