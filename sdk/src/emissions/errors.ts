import idl from "./idl/crucible_emissions.json";
import { errorTable } from "../common/errors";

/** Emissions program errors by code. */
export const EMISSIONS_ERRORS = errorTable(idl.errors);

/** Emissions error names, for comparisons such as `err.name === EmissionsErrorName.VaultPaused`. */
export const EmissionsErrorName = Object.fromEntries(idl.errors.map((e) => [e.name, e.name])) as {
  readonly [K in (typeof idl.errors)[number]["name"]]: K;
};
