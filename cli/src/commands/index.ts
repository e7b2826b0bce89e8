// Every command: its words, positional arguments, flags, help and handler. This file is data
// only (handlers are loaded on use), so `--help` and usage errors stay fast.
import type { Env } from "../env";
import type { Output } from "../output";

export interface OptionSpec {
  type: "string" | "boolean";
  short?: string;
  /** Placeholder in help, e.g. `<tokens>`. */
  value?: string;
  help: string;
}

export interface Invocation {
  env: Env;
  /** Parsed flags (global ones included). */
  values: Record<string, string | boolean | undefined>;
  /** Positional arguments after the command words. */
  args: string[];
  /** The command's words, e.g. `provider stake`. */
  command: string;
}

export type Handler = (inv: Invocation) => Promise<Output>;

export interface CommandSpec {
  words: string[];
  summary: string;
  /** Longer help text. */
  description?: string;
  args?: Array<{ name: string; help: string; optional?: boolean }>;
  options: Record<string, OptionSpec>;
  examples?: string[];
  /** Loads the handler (on use only). */
  load: () => Promise<Handler>;
}

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
  json: { type: "boolean", help: "print one JSON object (amounts in base units, as strings)" },
  help: { type: "boolean", short: "h", help: "show help" },
};

const amount = (what: string): Record<string, OptionSpec> => ({
  amount: { type: "string", value: "<tokens>", help: `${what} (e.g. 12.5)` },
  raw: { type: "boolean", help: "--amount is in base units instead of tokens" },
});
const tokenAccount = (what: string): Record<string, OptionSpec> => ({
  "token-account": {
    type: "string",
    value: "<address>",
    help: `${what}; default: your associated token account`,
  },
});
const marketOpt: Record<string, OptionSpec> = {
  market: {
    type: "string",
    value: "<id|address>",
    help: "market id or address; default: the only market, if there is one",
  },
};
const dryRun: Record<string, OptionSpec> = {
  "dry-run": { type: "boolean", help: "show what would be sent, send nothing" },
};
const jobArg = [{ name: "job", help: "the job's address" }];

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

/** Loads a command module on first use. `require`, not `import()`: the CLI runs as CommonJS
 * under tsx, whose hooks see `require` only. */
const lazy =
  <M>(load: () => M, pick: (m: M) => Handler) =>
  async () =>
    pick(load());

/* eslint-disable @typescript-eslint/no-require-imports */
const provider = () => require("./provider") as typeof import("./provider");
const job = () => require("./job") as typeof import("./job");
const operator = () => require("./operator") as typeof import("./operator");
const vault = () => require("./vault") as typeof import("./vault");

const vaultRefOpt = {
  vault: {
    type: "string",
    value: "<id|address>",
    help: "vault id (of the network mint) or address",
  },
} as const;

const crank = () => require("./crank") as typeof import("./crank");
const wallet = () => require("./wallet") as typeof import("./wallet");
/* eslint-enable @typescript-eslint/no-require-imports */

export const COMMANDS: CommandSpec[] = [
  // --- providers ---
  {
    words: ["provider", "stake"],
    summary: "stake tokens as a provider (opens your stake account on first use)",
    options: { ...amount("tokens to stake"), ...tokenAccount("account to stake from") },
    examples: ["crucible provider stake --amount 500"],
    load: lazy(provider, (m) => m.stake),
  },
  {
    words: ["provider", "activate"],
    summary:
      "make stake that finished warming up (1 h after it arrived) earn rewards; emits the vaults that are behind first",
    options: {
      owner: {
        type: "string",
        value: "<pubkey>",
        help: "whose stake (anyone may); default: yours",
      },
    },
    examples: ["crucible provider activate"],
    load: lazy(provider, (m) => m.activate),
  },
  {
    words: ["provider", "unstake"],
    summary: "start unbonding free stake (restarts the unbonding timer)",
    options: { ...amount("tokens to unbond") },
    examples: ["crucible provider unstake --amount 100"],
    load: lazy(provider, (m) => m.unstake),
  },
  {
    words: ["provider", "cancel-unstake"],
    summary: "return everything unbonding to active stake",
    options: {},
    load: lazy(provider, (m) => m.cancelUnstake),
  },
  {
    words: ["provider", "withdraw"],
    summary: "withdraw unbonded stake once the unbonding delay has passed",
    options: { ...tokenAccount("account to pay to") },
    load: lazy(provider, (m) => m.withdraw),
  },
  {
    words: ["provider", "claim"],
    summary: "claim staking rewards",
    options: { ...tokenAccount("account to pay to") },
    load: lazy(provider, (m) => m.claim),
  },
  {
    words: ["provider", "status"],
    summary: "stake, locks, unbonding, rewards and jobs of a provider",
    options: {
      owner: { type: "string", value: "<pubkey>", help: "the provider; default: your key" },
    },
    load: lazy(provider, (m) => m.status),
  },
  // --- jobs ---
  {
    words: ["jobs", "list"],
    summary: "list jobs (filtered on the server)",
    options: {
      open: { type: "boolean", help: "only open jobs (waiting for a provider)" },
      state: { type: "string", value: "<state>", help: "open, running, submitted or disputed" },
      market: { type: "string", value: "<id|address>", help: "only this market's jobs" },
      mine: { type: "boolean", help: "only jobs you posted or work on" },
      client: { type: "string", value: "<pubkey>", help: "only this client's jobs" },
      provider: { type: "string", value: "<pubkey>", help: "only this provider's jobs" },
    },
    examples: ["crucible jobs list --open", "crucible jobs list --mine --json"],
    load: lazy(job, (m) => m.list),
  },
  {
    words: ["job", "create"],
    summary: "post a job: its price goes into an escrow of its own",
    options: {
      ...marketOpt,
      price: { type: "string", value: "<tokens>", help: "what the job pays" },
      duration: {
        type: "string",
        value: "<duration>",
        help: "time from acceptance to submit (90, 30m, 1h, 7d)",
      },
      spec: {
        type: "string",
        value: "<hash>",
        help: "32-byte hash of the job spec (hex or base58)",
      },
      "spec-file": {
        type: "string",
        value: "<file>",
        help: "hash the job spec from a file (SHA-256)",
      },
      target: { type: "string", value: "<pubkey>", help: "only this provider may accept" },
      nonce: {
        type: "string",
        value: "<u64>",
        help: "part of the job's address; random by default",
      },
      raw: { type: "boolean", help: "the price is in base units" },
      ...tokenAccount("account the price comes from"),
    },
    examples: ["crucible job create --market 1 --price 20 --duration 1h --spec-file job.yaml"],
    load: lazy(job, (m) => m.create),
  },
  {
    words: ["job", "status"],
    summary: "a job's state, parties, amounts and deadlines",
    args: jobArg,
    options: {},
    load: lazy(job, (m) => m.status),
  },
  {
    words: ["job", "accept"],
    summary: "take an open job (locks its collateral from your free stake)",
    args: jobArg,
    options: {},
    load: lazy(job, (m) => m.accept),
  },
  {
    words: ["job", "submit"],
    summary: "submit a running job's result (starts the dispute window)",
    args: jobArg,
    options: {
      result: {
        type: "string",
        value: "<hash>",
        help: "32-byte hash of the result (hex or base58)",
      },
      "result-file": {
        type: "string",
        value: "<file>",
        help: "hash the result from a file (SHA-256)",
      },
    },
    load: lazy(job, (m) => m.submit),
  },
  {
    words: ["job", "quit"],
    summary: "give a running job back before its deadline (unlocks the collateral)",
    args: jobArg,
    options: {},
    load: lazy(job, (m) => m.quit),
  },
  {
    words: ["job", "complete"],
    summary: "approve a submitted result: the provider is paid, a share burned, the fee taken",
    args: jobArg,
    options: {},
    load: lazy(job, (m) => m.complete),
  },
  {
    words: ["job", "dispute"],
    summary: "dispute a submitted result before its dispute deadline",
    args: jobArg,
    options: {},
    load: lazy(job, (m) => m.dispute),
  },
  {
    words: ["job", "cancel"],
    summary: "cancel an open job: full refund",
    args: jobArg,
    options: { ...tokenAccount("account to refund to") },
    load: lazy(job, (m) => m.cancel),
  },
  {
    words: ["job", "reclaim"],
    summary: "reclaim a running job past its deadline: refund plus the expiry slash",
    args: jobArg,
    options: {},
    load: lazy(job, (m) => m.reclaim),
  },
  // --- operators ---
  {
    words: ["init"],
    summary:
      "bootstrap the network from a JSON config, idempotently (mint, pool, config, markets, vaults)",
    description:
      "Reads the chain and creates only what is missing; a second run sends nothing. Items that exist with other parameters are listed and nothing is sent, unless --update is given: then markets (update_market), the pool (update_pool), the treasury (set_treasury) and vault recipients are brought to the config: at once on a revocable vault (update_recipients), through a proposal on a non-revocable one (propose_recipients, then execute_recipients_proposal on a run after its delay). Vault schedules and the mint cannot change.",
    options: {
      config: {
        type: "string",
        value: "<file>",
        help: "the network config (see config/localnet.json)",
      },
      update: { type: "boolean", help: "apply changes to items that exist with other parameters" },
      ...dryRun,
    },
    examples: ["crucible init --config config/localnet.json"],
    load: lazy(operator, (m) => m.init),
  },
  {
    words: ["market", "create"],
    summary: "create a market (admin)",
    options: {
      id: { type: "string", value: "<u64>", help: "the market id" },
      name: { type: "string", value: "<name>", help: "1 to 32 bytes" },
      ...MARKET_PARAM_OPTIONS,
    },
    examples: ["crucible market create --id 2 --name gpu-h100 --burn-bps 2500"],
    load: lazy(operator, (m) => m.marketCreate),
  },
  {
    words: ["market", "update"],
    summary: "change a market's parameters or arbiter (admin); flags not given keep their value",
    options: { ...marketOpt, ...MARKET_PARAM_OPTIONS },
    examples: ["crucible market update --market 1 --fee-bps 300"],
    load: lazy(operator, (m) => m.marketUpdate),
  },
  {
    words: ["market", "list"],
    summary: "list markets and their parameters",
    options: {},
    load: lazy(operator, (m) => m.marketList),
  },
  {
    words: ["dispute", "resolve"],
    summary: "resolve a disputed job (arbiter): split the price, optionally slash",
    args: jobArg,
    options: {
      "provider-share-bps": {
        type: "string",
        value: "<bps>",
        help: "provider's share of the price, 0 to 10000",
      },
      slash: { type: "string", value: "<tokens>", help: "collateral to slash (default 0)" },
      "burn-slash": { type: "boolean", help: "burn the slash instead of paying it to the client" },
      raw: { type: "boolean", help: "--slash is in base units" },
    },
    examples: ["crucible dispute resolve <JOB> --provider-share-bps 2500 --slash 5"],
    load: lazy(operator, (m) => m.disputeResolve),
  },
  {
    words: ["vault", "create"],
    summary: "create an emission vault funded with its whole cap (you become its authority)",
    options: {
      id: { type: "string", value: "<u64>", help: "the vault id (per mint)" },
      "initial-per-hour": {
        type: "string",
        value: "<tokens>",
        help: "emitted each hour of the first period",
      },
      "decay-bps": { type: "string", value: "<bps>", help: "rate decay per period (default 102)" },
      "period-hours": { type: "string", value: "<hours>", help: "hours per period (default 730)" },
      cap: { type: "string", value: "<tokens>", help: "total ever emitted; transferred now" },
      start: {
        type: "string",
        value: "<unix|iso>",
        help: "when hour 0 starts (default: now, by the cluster clock)",
      },
      revocable: { type: "boolean", help: "the authority may revoke the vault later" },
      "recipients-delay": {
        type: "string",
        value: "<duration>",
        help: "how long a recipients proposal waits before anyone can install it, fixed for the vault (default 48h; at least 48h unless --revocable, which also accepts 0; at most 30d)",
      },
      recipient: {
        type: "string",
        value: "<to>=<bps>[,...]",
        help: "recipients: stakingRewardVault, treasury or a token account, with shares summing to 10000 (default stakingRewardVault=10000)",
      },
      raw: { type: "boolean", help: "amounts are in base units" },
      ...tokenAccount("account the cap comes from"),
    },
    examples: [
      "crucible vault create --id 1 --initial-per-hour 4583 --cap 300000000 --recipient stakingRewardVault=8000,treasury=2000",
    ],
    load: lazy(vault, (m) => m.create),
  },
  {
    words: ["vault", "fund"],
    summary: "top a vault's tokens back up (anyone; never above what the schedule still owes)",
    options: {
      vault: {
        type: "string",
        value: "<id|address>",
        help: "vault id (of the network mint) or address",
      },
      ...amount("tokens to add"),
      ...tokenAccount("account to fund from"),
    },
    load: lazy(vault, (m) => m.fund),
  },
  {
    words: ["vault", "list"],
    summary: "list the network mint's emission vaults and what each could emit now",
    options: {},
    load: lazy(vault, (m) => m.list),
  },
  {
    words: ["vault", "propose-recipients"],
    summary:
      "propose new recipients (authority); anyone can install them once the vault's delay has passed",
    description:
      "The proposal is stored on the vault for everyone to see, with the time from which it can be executed (now + the vault's recipients delay, fixed at creation: at least 48 h for a non-revocable vault). Proposing again replaces it and restarts the delay. Until it is executed the current recipients keep receiving every hour.",
    options: {
      ...vaultRefOpt,
      recipient: {
        type: "string",
        value: "<to>=<bps>[,...]",
        help: "the new recipients: stakingRewardVault, treasury or a token account, with shares summing to 10000",
      },
    },
    examples: [
      "crucible vault propose-recipients --vault 1 --recipient stakingRewardVault=9000,treasury=1000",
    ],
    load: lazy(vault, (m) => m.proposeRecipients),
  },
  {
    words: ["vault", "cancel-proposal"],
    summary: "withdraw a vault's pending recipients proposal (authority)",
    options: { ...vaultRefOpt },
    load: lazy(vault, (m) => m.cancelProposal),
  },
  {
    words: ["vault", "execute-proposal"],
    summary:
      "install a vault's recipients proposal once its delay has passed (anyone); the old recipients are paid every hour due first",
    options: { ...vaultRefOpt },
    load: lazy(vault, (m) => m.executeProposal),
  },
  {
    words: ["vault", "replace-recipient"],
    summary:
      "point a recipient at another token account of the same owner and mint (its owner; anyone once the account cannot receive)",
    description:
      "The remedy when a recipient's token account was closed, frozen or made memo-required: until it is replaced, emit fails for every recipient. The share stays the same and nothing is lost: the new account receives on the next emit everything the old one was owed.",
    options: {
      ...vaultRefOpt,
      index: { type: "string", value: "<n>", help: "the recipient's position, from 0" },
      "new-account": {
        type: "string",
        value: "<address>",
        help: "a token account of the mint owned by the recipient's recorded owner",
      },
    },
    examples: ["crucible vault replace-recipient --vault 1 --index 1 --new-account <ADDRESS>"],
    load: lazy(vault, (m) => m.replaceRecipient),
  },
  // --- cranks ---
  {
    words: ["crank", "emit"],
    summary: "pay every emission vault's due hours (anyone)",
    options: {
      vault: {
        type: "string",
        value: "<id|address>",
        help: "only this vault; default: every vault of the mint",
      },
      ...dryRun,
    },
    load: lazy(crank, (m) => m.emit),
  },
  {
    words: ["crank", "activate"],
    summary: "activate every provider's stake that finished warming up (anyone)",
    options: { ...dryRun },
    load: lazy(crank, (m) => m.activate),
  },
  {
    words: ["fees", "sweep"],
    summary: "move the fee vault's balance to the config's treasury (anyone)",
    description:
      "Every settlement pays its fee into the fee vault, a token account of the network token owned by the market config. This sends all of it to the treasury the admin set (`crucible init --update` or set_treasury); an empty vault sweeps nothing.",
    options: {},
    examples: ["crucible fees sweep"],
    load: lazy(crank, (m) => m.sweepFees),
  },
  {
    words: ["crank", "finalize"],
    summary:
      "settle jobs whose windows have passed: finalize_job, finalize_dispute, reclaim_expired",
    options: {
      market: {
        type: "string",
        value: "<id|address>",
        help: "only this market; default: every market",
      },
      limit: { type: "string", value: "<n>", help: "at most this many jobs (default: all)" },
      ...dryRun,
    },
    load: lazy(crank, (m) => m.finalize),
  },
  // --- keys, tokens, network ---
  {
    words: ["info"],
    summary: "the network: market config, mint, staking pool, markets, vaults",
    options: {},
    load: lazy(operator, (m) => m.info),
  },
  {
    words: ["keygen"],
    summary: "write a new keypair file (solana-keygen format)",
    options: {
      outfile: { type: "string", short: "o", value: "<file>", help: "where to write it" },
      force: { type: "boolean", help: "overwrite an existing file" },
    },
    load: lazy(wallet, (m) => m.keygen),
  },
  {
    words: ["address"],
    summary: "print your public key",
    options: {},
    load: lazy(wallet, (m) => m.address),
  },
  {
    words: ["balance"],
    summary: "SOL and network-token balances",
    options: { owner: { type: "string", value: "<pubkey>", help: "whose; default: your key" } },
    load: lazy(wallet, (m) => m.balance),
  },
  {
    words: ["airdrop"],
    summary: "request SOL from the cluster's faucet (localnet, devnet)",
    args: [{ name: "sol", help: "amount of SOL" }],
    options: {
      to: { type: "string", value: "<pubkey|keypair file>", help: "recipient; default: your key" },
    },
    load: lazy(wallet, (m) => m.airdrop),
  },
  {
    words: ["mint"],
    summary: "mint network tokens (the mint authority only: localnet, test networks)",
    options: {
      to: {
        type: "string",
        value: "<pubkey|keypair file>",
        help: "owner to mint to (its associated token account); default: your key",
      },
      ...amount("tokens to mint"),
    },
    examples: ["crucible mint --to provider.json --amount 1000"],
    load: lazy(wallet, (m) => m.mint),
  },
];

/** Sections of the main help, each with its commands in order. */
export const SECTIONS: Array<[string, string[]]> = [
  [
    "Providers",
    [
      "provider stake",
      "provider activate",
      "provider unstake",
      "provider cancel-unstake",
      "provider withdraw",
      "provider claim",
      "provider status",
      "jobs list",
      "job accept",
      "job submit",
      "job quit",
    ],
  ],
  [
    "Clients",
    ["job create", "job status", "job complete", "job dispute", "job cancel", "job reclaim"],
  ],
  [
    "Operators",
    [
      "init",
      "market create",
      "market update",
      "market list",
      "vault create",
      "vault fund",
      "vault list",
      "vault propose-recipients",
      "vault cancel-proposal",
      "dispute resolve",
      "info",
    ],
  ],
  [
    "Cranks (anyone)",
    [
      "crank emit",
      "crank activate",
      "crank finalize",
      "fees sweep",
      "vault execute-proposal",
      "vault replace-recipient",
    ],
  ],
  ["Keys and tokens", ["keygen", "address", "balance", "airdrop", "mint"]],
];
