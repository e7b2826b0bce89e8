// Flags: the global ones, and the sets several commands share. Also `lazy`, which loads a
// handler module only when its command runs.
import type { Handler, OptionSpec } from "../types";

export const GLOBAL_OPTIONS: Record<string, OptionSpec> = {
  url: {
    type: "string",
    short: "u",
    value: "<url>",
    help: "JSON-RPC URL or moniker (localhost, devnet, testnet, mainnet-beta); default: the Solana CLI config's json_rpc_url, else http://127.0.0.1:8899",
  },
  keypair: {
    type: "string",
    short: "k",
    value: "<file>",
    help: "signing keypair file; default: the Solana CLI config's keypair_path, else ~/.config/solana/id.json",
  },
  "with-compute-unit-price": {
    type: "string",
    value: "<micro-lamports>",
    help: "priority fee of the transactions sent, in micro-lamports (0.000001 lamports) per compute unit, as the Solana CLI's flag; a fee above 0.01 SOL a transaction is refused; default: none",
  },
  json: { type: "boolean", help: "print one JSON object (amounts in base units, as strings)" },
  help: { type: "boolean", short: "h", help: "show help" },
};

export const amount = (what: string): Record<string, OptionSpec> => ({
  amount: { type: "string", value: "<tokens>", help: `${what} (e.g. 12.5)` },
  raw: { type: "boolean", help: "--amount is in base units instead of tokens" },
});
export const tokenAccount = (what: string): Record<string, OptionSpec> => ({
  "token-account": {
    type: "string",
    value: "<address>",
    help: `${what}; default: your associated token account`,
  },
});
export const marketOpt: Record<string, OptionSpec> = {
  market: {
    type: "string",
    value: "<id|address>",
    help: "market id or address; default: the only market, if there is one",
  },
};
export const dryRun: Record<string, OptionSpec> = {
  "dry-run": { type: "boolean", help: "show what would be sent, send nothing" },
};
export const jobArg = [{ name: "job", help: "the job's address" }];

/** Flags of a market's parameters (create and update). */
export const MARKET_PARAM_OPTIONS: Record<string, OptionSpec> = {
  arbiter: {
    type: "string",
    value: "<pubkey>",
    help: "who resolves disputes (create: default the admin)",
  },
  "min-provider-stake": {
    type: "string",
    value: "<tokens>",
    help: "least active stake to accept jobs (default 100)",
  },
  "collateral-bps": {
    type: "string",
    value: "<bps>",
    help: "collateral per job, bps of the price (default 5000)",
  },
  "min-collateral": {
    type: "string",
    value: "<tokens>",
    help: "least collateral per job (default 1)",
  },
  "burn-bps": {
    type: "string",
    value: "<bps>",
    help: "burned share of a settlement (default 2000)",
  },
  "fee-bps": {
    type: "string",
    value: "<bps>",
    help: "fee share of a settlement, paid to the fee vault (default 500)",
  },
  "max-duration": { type: "string", value: "<duration>", help: "longest job (default 7d)" },
  "dispute-window": {
    type: "string",
    value: "<duration>",
    help: "time to dispute a result (default 72h)",
  },
  "arbitration-window": {
    type: "string",
    value: "<duration>",
    help: "time the arbiter has (default 7d)",
  },
  "default-split-bps": {
    type: "string",
    value: "<bps>",
    help: "provider share when arbitration lapses (default 5000)",
  },
  "expiry-slash-bps": {
    type: "string",
    value: "<bps>",
    help: "collateral slashed on expiry or a late quit, bps (default 1000)",
  },
  "job-lifetime": {
    type: "string",
    value: "<duration>",
    help: "no deadline falls later than this after a job's creation; at least --max-duration, at most 120d (default 14d)",
  },
  "quit-grace": {
    type: "string",
    value: "<duration>",
    help: "free quit window after an acceptance (0 to 1d, at most --max-duration; default 15m)",
  },
  raw: { type: "boolean", help: "token amounts are in base units" },
};

export const vaultRefOpt = {
  vault: {
    type: "string",
    value: "<id|address>",
    help: "vault id (of the network mint) or address",
  },
} as const;

/** Loads a command module on first use. `require`, not `import()`: the CLI runs as CommonJS
 * under tsx, whose hooks see `require` only. */
export const lazy =
  <M>(load: () => M, pick: (m: M) => Handler) =>
  async () =>
    pick(load());
