import { defineProgram } from "../common/program";
import idl from "./idl/crucible_emissions.json";
import type { CrucibleEmissions } from "./idl/crucible_emissions";

/** The emissions program, defined from its IDL: coder, accounts, events, errors, instructions. */
export const program = defineProgram<CrucibleEmissions, "endReason">(idl, {
  label: "emissions",
  stringEnums: ["endReason"],
});
