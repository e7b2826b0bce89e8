// How the CLI fails: usage errors (bad flags or values, caught before anything is sent) exit 2;
// everything else (program, runtime, network errors) exits 1. Either way one line on stderr,
// `error: <what> (<ErrorName>)`, and with --json one object on stdout.

/** A bad command line or input value: exit status 2, nothing was sent. */
export class UsageError extends Error {
  readonly exitCode = 2;
  constructor(
    message: string,
    /** Short error name shown in parentheses, e.g. `InvalidAmount`. */
    readonly errorName = "UsageError",
  ) {
    super(message);
  }
}

/** A failure found by the CLI itself (a missing account, a refused plan): exit status 1. */
export class CliError extends Error {
  readonly exitCode = 1;
  constructor(
    message: string,
    readonly errorName = "Error",
    readonly code?: number,
  ) {
    super(message);
  }
}

/** What the entry point prints for a failure. */
export interface Failure {
  exitCode: number;
  name: string;
  code?: number;
  message: string;
  logs?: string[];
}

/** What to try, for runtime errors whose text does not say. */
const HINTS: Record<string, string> = {
  AccountNotFound: "does the signing key have SOL? On localnet: `crucible airdrop 1`",
  InsufficientFundsForFee: "the signing key needs more SOL",
  InsufficientFundsForRent: "the signing key needs more SOL",
  BlockhashNotFound: "the blockhash expired or is unknown: send again",
};

const NETWORK = /ECONNREFUSED|ENOTFOUND|EAI_AGAIN|ECONNRESET|fetch failed|socket hang up/i;

/** One line: whitespace collapsed, a trailing period dropped, long texts cut. */
export function oneLine(text: string, max = 240): string {
  let s = text.replace(/\s+/g, " ").trim();
  if (s.length > max) s = `${s.slice(0, max - 1)}…`;
  return s.replace(/\.$/, "");
}

/** Turns anything thrown into a `Failure`. `CrucibleError`s are recognized by shape, so this
 * module does not load the SDK (usage errors stay fast). */
export function describeFailure(err: unknown, url?: string): Failure {
  if (err instanceof UsageError) {
    return { exitCode: 2, name: err.errorName, message: oneLine(err.message) };
  }
  if (err instanceof CliError) {
    return { exitCode: 1, name: err.errorName, code: err.code, message: oneLine(err.message) };
  }
  const e = err as { name?: unknown; message?: unknown; code?: unknown; logs?: unknown };
  const isCrucible =
    err instanceof Error && err.constructor?.name === "CrucibleError" && typeof e.name === "string";
  if (isCrucible) {
    // For runtime errors the SDK keeps web3.js' whole text; its first sentence is enough.
    const text = String(e.message ?? "").replace(/^Simulation failed\.\s*Message:\s*/i, "");
    const hint = HINTS[e.name as string];
    return {
      exitCode: 1,
      name: e.name as string,
      code: typeof e.code === "number" ? e.code : undefined,
      message: oneLine(text.split(/\n|\. Logs:| Logs:/)[0]) + (hint ? ` (${hint})` : ""),
      logs: Array.isArray(e.logs) ? (e.logs as string[]) : undefined,
    };
  }
  const message = err instanceof Error ? err.message : String(err);
  const cause = (err as { cause?: { message?: string; code?: string } })?.cause;
  if (NETWORK.test(message) || NETWORK.test(String(cause?.code ?? cause?.message ?? ""))) {
    return {
      exitCode: 1,
      name: "NetworkError",
      message: `cannot reach ${url ?? "the RPC endpoint"} (is the validator running? \`npm start\`, or pass --url)`,
    };
  }
  return { exitCode: 1, name: "Error", message: oneLine(message) };
}
