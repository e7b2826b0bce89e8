// One builder per market instruction, grouped by who sends it. Each returns a
// `TransactionInstruction` with every account explicit and needs no wallet.
export * from "./admin";
export * from "./jobs";
export * from "./settlement";
export type { DisputeEndParams, MarketContext, SettleParams } from "./shared";
