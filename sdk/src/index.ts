/**
 * @crucible/sdk: typed TypeScript SDK for Crucible's programs.
 *
 * - `staking`: pool, provider stake, unbonding, rewards, locks and slashing.
 * - `market`: markets and jobs, escrow settlement, disputes.
 * - `emissions`: hourly emission vaults.
 *
 * Each module is built from one definition of its program (`market.program`, made by
 * `defineProgram` from the IDL) and has PDA helpers and seeds, one builder per instruction
 * (`market.instructions.createJob`, returning a `TransactionInstruction`, no wallet needed),
 * account fetchers and server-side filtered listings, typed events, typed errors and pure math
 * mirrors that agree with the programs to the unit. The clients (`MarketClient`,
 * `StakingClient`, `EmissionsClient`) send and confirm. Every builder and client takes an
 * optional `programId`.
 */
export * from "./common/amount";
export * from "./common/compute-budget";
export * from "./common/compute-units";
export * from "./common/errors";
export * from "./common/events";
export * from "./common/program";
export type * from "./common/idl";
export * from "./common/programs";
export * from "./common/send";
export * as staking from "./staking";
export { StakingClient } from "./staking/client";
export * as market from "./market";
export { MarketClient } from "./market/client";
export * as emissions from "./emissions";
export { EmissionsClient } from "./emissions/client";
