/**
 * @crucible/sdk: typed TypeScript SDK for Crucible's programs.
 *
 * - `staking`: pool, provider stake, unbonding, rewards, locks and slashing.
 * - `market`: markets and jobs, escrow settlement, disputes.
 * - `emissions`: hourly emission vaults.
 *
 * Each module has PDA helpers, one builder per instruction (returning
 * `TransactionInstruction`s, no wallet needed), a client that sends and confirms, account
 * fetchers and server-side filtered listings, event parsing, typed errors and pure math
 * mirrors that agree with the programs to the unit.
 */
export * from "./common/amount";
export * from "./common/errors";
export * from "./common/events";
export * from "./common/programs";
export * from "./common/send";
export * as staking from "./staking";
export { StakingClient } from "./staking";
export * as market from "./market";
export { MarketClient } from "./market";
export * as emissions from "./emissions";
export { EmissionsClient } from "./emissions";
