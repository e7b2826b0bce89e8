export * from "./accounts";
export { randomNonce } from "./client";
export type { JobTerms } from "./client";
export * from "./errors";
export * from "./events";
export * as instructions from "./instructions";
export type {
  CreateJobParams,
  CreateJobUsdParams,
  CreateMarketParams,
  DisputeEndParams,
  MarketContext,
  SettleParams,
} from "./instructions";
export * from "./math";
export * from "./pyth";
export * from "./pda";
export { program } from "./program";
export type { CrucibleMarket } from "./idl/crucible_market";
export { default as idl } from "./idl/crucible_market.json";
