// The command registry: every command's words, positional arguments, flags, help and handler,
// in the order of `crucible <group> --help`, and the sections of the main help. Data only
// (handlers load on use), so `--help` and usage errors stay fast. cli/README.md's flag
// reference is generated from it (`npm run cli-docs`).
import type { CommandSpec } from "../types";
import { NETWORK_COMMANDS } from "./network";
import { OPERATOR_COMMANDS } from "./operators";
import { PARTICIPANT_COMMANDS } from "./participants";

export { GLOBAL_OPTIONS, MARKET_PARAM_OPTIONS } from "./options";

export const COMMANDS: CommandSpec[] = [
  ...PARTICIPANT_COMMANDS,
  ...OPERATOR_COMMANDS,
  ...NETWORK_COMMANDS,
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
      "work-pool create",
      "work-pool status",
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
      "crank work",
      "fees sweep",
      "vault execute-proposal",
      "vault replace-recipient",
    ],
  ],
  ["Keys and tokens", ["keygen", "address", "balance", "airdrop", "mint"]],
];
