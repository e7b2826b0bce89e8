// The commands of providers and clients: stake, jobs.
import type { CommandSpec } from "../types";
import { amount, jobArg, lazy, marketOpt, tokenAccount } from "./options";

/* eslint-disable @typescript-eslint/no-require-imports */
const provider = () => require("../provider") as typeof import("../provider");
const job = () => require("../job") as typeof import("../job");
const jobView = () => require("../job-view") as typeof import("../job-view");
/* eslint-enable @typescript-eslint/no-require-imports */

export const PARTICIPANT_COMMANDS: CommandSpec[] = [
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
    summary: "claim staking rewards and the work rewards of every finalized hour",
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
    load: lazy(jobView, (m) => m.list),
  },
  {
    words: ["job", "create"],
    summary: "post a job: its price goes into an escrow of its own",
    options: {
      ...marketOpt,
      price: { type: "string", value: "<tokens>", help: "what the job pays (token-priced market)" },
      "price-usd": {
        type: "string",
        value: "<usd>",
        help: "what the job pays in US dollars (USD-priced market), e.g. 12.50",
      },
      "max-tokens": {
        type: "string",
        value: "<tokens>",
        help: "with --price-usd: the most tokens the job may cost at the market's Pyth price",
      },
      "price-account": {
        type: "string",
        value: "<pubkey>",
        help: "with --price-usd: the Pyth PriceUpdateV2 account of the market's feed",
      },
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
    examples: [
      "crucible job create --market 1 --price 20 --duration 1h --spec-file job.yaml",
      "crucible job create --market 2 --price-usd 12.50 --max-tokens 30 --price-account <PRICE_UPDATE> --duration 1h",
    ],
    load: lazy(job, (m) => m.create),
  },
  {
    words: ["job", "status"],
    summary: "a job's state, parties, amounts and deadlines",
    args: jobArg,
    options: {},
    load: lazy(jobView, (m) => m.status),
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
];
