// The types every command module shares: a command's spec (words, arguments, flags, help, how
// its handler loads), a flag's spec, and what a handler receives and returns.
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
