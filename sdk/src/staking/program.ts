import { defineProgram } from "../common/program";
import idl from "./idl/crucible_staking.json";
import type { CrucibleStaking } from "./idl/crucible_staking";

/** The staking program, defined from its IDL: coder, accounts, events, errors, instructions. */
export const program = defineProgram<CrucibleStaking>(idl, { label: "staking" });
