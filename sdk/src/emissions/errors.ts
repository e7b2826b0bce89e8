import { program } from "./program";

/** The emissions program's errors by code. */
export const ERRORS = program.errors;

/** The emissions program's error names, for comparisons such as `err.name === ErrorName.VaultPaused`. */
export const ErrorName = program.errorNames;
