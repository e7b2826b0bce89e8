// Idempotent bootstrap of a Crucible network from a JSON config: the mint, its staking pool,
// the treasury, the market config, markets and emission vaults. Shared by `crucible init`,
// `migrations/deploy.ts`, `npm start` and the demo.
//
// 1. config.ts: the whole config is validated first; a bad one is rejected with the field's
//    path named (`markets[0].params.burnBps: must be 0..10000`).
// 2. plan.ts: the chain is read and a plan made, one planner per concern (mint.ts, pool.ts,
//    treasury.ts, market-config.ts, markets.ts, vaults.ts) over a shared context (context.ts):
//    each item is "create", "nothing to do", "update" or "differs". Nothing is sent while
//    anything differs without --update, or differs in what cannot change (the mint, a vault's
//    schedule, a market's name).
// 3. apply.ts: the plan is applied, one transaction per item, in order. A second run finds
//    everything and sends nothing.
export { bootstrap } from "./apply";
export type { Report, ReportItem } from "./apply";
export {
  checkMarketParams,
  ConfigError,
  defaultMarketParams,
  loadConfig,
  validateConfig,
} from "./config";
export type {
  BootstrapConfig,
  MarketConfigEntry,
  RecipientTarget,
  VaultConfigEntry,
} from "./config";
export type { BootstrapOptions, Change, ItemStatus, Plan, PlanItem } from "./context";
export { plan } from "./plan";
export { PROGRAMS, requireDeployed } from "./programs";
export type { ProgramName } from "./programs";
export { TREASURY_SEED } from "./treasury";
