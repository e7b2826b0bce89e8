import { defineProgram } from "../common/program";
import idl from "./idl/crucible_market.json";
import type { CrucibleMarket } from "./idl/crucible_market";

/** The market program, defined from its IDL: coder, accounts, events, errors, instructions. */
export const program = defineProgram<CrucibleMarket, "jobState">(idl, {
  label: "market",
  stringEnums: ["jobState"],
});
