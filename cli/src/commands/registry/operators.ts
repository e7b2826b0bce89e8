// The commands of operators: the bootstrap, markets, disputes, emission vaults.
import type { CommandSpec } from "../types";
import {
  amount,
  dryRun,
  jobArg,
  lazy,
  MARKET_PARAM_OPTIONS,
  marketOpt,
  tokenAccount,
  vaultRefOpt,
} from "./options";

/* eslint-disable @typescript-eslint/no-require-imports */
const operator = () => require("../operator") as typeof import("../operator");
const vault = () => require("../vault") as typeof import("../vault");
/* eslint-enable @typescript-eslint/no-require-imports */

export const OPERATOR_COMMANDS: CommandSpec[] = [
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
      "usd-feed": {
        type: "string",
        value: "<feed id>",
        help: "price jobs in US dollars against this Pyth token/USD feed (64 hex digits), for good",
      },
      "max-price-age": {
        type: "string",
        value: "<duration>",
        help: "with --usd-feed: the oldest price accepted, 1s to 1h (default 60s)",
      },
      "max-conf-bps": {
        type: "string",
        value: "<bps>",
        help: "with --usd-feed: the widest confidence accepted, 1 to 9999 bps (default 100)",
      },
      "work-pool": {
        type: "string",
        value: "<address>",
        help: "record every settlement's burn in this work-rewards pool, for good",
      },
    },
    examples: [
      "crucible market create --id 2 --name gpu-h100 --burn-bps 2500",
      "crucible market create --id 3 --name gpu-usd --usd-feed <FEED_ID_HEX> --max-price-age 30s",
    ],
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
      ...vaultRefOpt,
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
];
