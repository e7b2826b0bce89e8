import idl from "./idl/crucible_market.json";
import { errorTable } from "../common/errors";

/** Market program errors by code. */
export const MARKET_ERRORS = errorTable(idl.errors);

/** Market error names, for comparisons such as `err.name === MarketErrorName.JobNotOpen`. */
export const MarketErrorName = Object.fromEntries(idl.errors.map((e) => [e.name, e.name])) as {
  readonly [K in (typeof idl.errors)[number]["name"]]: K;
};
