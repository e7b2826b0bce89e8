export * from "./accounts";
export * from "./activate";
export * from "./errors";
export * from "./events";
export * from "./math";
export * as instructions from "./instructions";
export type {
  InitPoolParams,
  JobOutcome,
  LockerParams,
  RequestUnstakeParams,
  StakeParams,
  UpdatePoolParams,
  WithdrawParams,
} from "./instructions";
export * from "./pda";
export { program } from "./program";
export type { CrucibleStaking } from "./idl/crucible_staking";
export { default as idl } from "./idl/crucible_staking.json";
