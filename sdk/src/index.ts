/**
 * @crucible/sdk: typed TypeScript SDK for Crucible's programs.
 *
 * - `staking`: pool, provider stake, unbonding (builders, client, accounts, events, errors).
 * - `market`, `emissions`: to come with their programs.
 */
export * from "./common/amount";
export * from "./common/errors";
export * from "./common/programs";
export * from "./common/send";
export * as staking from "./staking";
export { StakingClient } from "./staking";
