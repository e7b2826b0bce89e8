// The cranks anyone runs, the network's overview, keys and tokens.
import type { CommandSpec } from "../types";
import { amount, dryRun, lazy } from "./options";

/* eslint-disable @typescript-eslint/no-require-imports */
const crank = () => require("../crank") as typeof import("../crank");
const operator = () => require("../operator") as typeof import("../operator");
const wallet = () => require("../wallet") as typeof import("../wallet");
const work = () => require("../work") as typeof import("../work");
/* eslint-enable @typescript-eslint/no-require-imports */

export const NETWORK_COMMANDS: CommandSpec[] = [
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
    words: ["crank", "work"],
    summary:
      "finalize the work pools' hours their vaults have paid and pay what they leave to the destination (anyone)",
    description:
      "For each work pool the markets record in (or --pool), finalizes every emission hour the pool's vault has paid, 24 per transaction: each hour's receipt is set, what its providers share (at most the pool's cap of the hour's burn) is reserved for their claims, and the rest goes to the pool's destination. Run it after `crank emit`.",
    options: {
      pool: { type: "string", value: "<address>", help: "only this work pool" },
      ...dryRun,
    },
    examples: ["crucible crank emit && crucible crank work"],
    load: lazy(work, (m) => m.crank),
  },
  {
    words: ["work-pool", "create"],
    summary: "create a work-rewards pool that an emission vault pays as a recipient (anyone)",
    description:
      "The pool follows the vault's emission hours (the vault may be created after it: name the pool's token account among its recipients). What it receives for an hour goes to the providers whose settlements burned tokens in that hour, pro rata to their burn and never more than --cap-bps of it; the rest goes to --destination (default: the staking pool's reward vault). Nothing in a pool can change after creation; markets record in it when created with --work-pool.",
    options: {
      vault: {
        type: "string",
        value: "<id|address>",
        help: "the emission vault whose hours it follows (an id may name a vault not created yet)",
      },
      "cap-bps": {
        type: "string",
        value: "<bps>",
        help: "most of an hour's burn paid back as work rewards, 1 to 10000",
      },
      destination: {
        type: "string",
        value: "<token account>",
        help: "where what is not distributed goes (default: the staking pool's reward vault)",
      },
      id: { type: "string", value: "<u64>", help: "the pool id (default: random)" },
    },
    examples: ["crucible work-pool create --vault 1 --cap-bps 10000 --id 1"],
    load: lazy(work, (m) => m.create),
  },
  {
    words: ["work-pool", "status"],
    summary: "the work pools the markets record in: received, claimed, to destination, reserved",
    options: { pool: { type: "string", value: "<address>", help: "only this work pool" } },
    load: lazy(work, (m) => m.status),
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
