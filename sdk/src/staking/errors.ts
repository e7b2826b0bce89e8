import { program } from "./program";

/** The staking program's errors by code. */
export const ERRORS = program.errors;

/** The staking program's error names, for comparisons such as `err.name === ErrorName.UnbondingNotElapsed`. */
export const ErrorName = program.errorNames;
