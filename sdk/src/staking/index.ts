export * from "./accounts";
export * from "./client";
export * from "./errors";
export * from "./events";
export * from "./math";
export * as stakingInstructions from "./instructions";
export * from "./pda";
export type { CrucibleStaking } from "./idl/crucible_staking";
export { default as stakingIdl } from "./idl/crucible_staking.json";
