import idl from "./idl/crucible_staking.json";
import { errorTable } from "../common/errors";

/** Staking program errors by code. */
export const STAKING_ERRORS = errorTable(idl.errors);

/** Staking error names, for comparisons such as `err.name === StakingErrorName.UnbondingNotElapsed`. */
export const StakingErrorName = Object.fromEntries(idl.errors.map((e) => [e.name, e.name])) as {
  readonly [K in (typeof idl.errors)[number]["name"]]: K;
};
