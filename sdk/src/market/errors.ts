import { program } from "./program";

/** The market program's errors by code. */
export const ERRORS = program.errors;

/** The market program's error names, for comparisons such as `err.name === ErrorName.JobNotOpen`. */
export const ErrorName = program.errorNames;
