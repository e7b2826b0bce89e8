import { PublicKey, SendTransactionError } from "@solana/web3.js";

import { ANCHOR_ERRORS, ErrorTable, errorTable } from "./program";

/**
 * A failed Crucible transaction: `name` is the program error's name (`"UnbondingNotElapsed"`),
 * Anchor's (`"ConstraintSeeds"`) or the runtime's (`"InsufficientFunds"`,
 * `"BlockhashNotFound"`, ...); `code` the custom error number when there is one.
 */
export class CrucibleError extends Error {
  constructor(
    /** Error name, e.g. `UnbondingNotElapsed`. */
    public readonly name: string,
    message: string,
    /** Custom error number (program or Anchor), or `undefined` for runtime errors. */
    public readonly code: number | undefined,
    /** The program that failed, when known. */
    public readonly programId: PublicKey | undefined,
    /** Transaction logs, when the transaction ran. */
    public readonly logs: string[],
    /** The underlying error. */
    public readonly cause?: unknown,
  ) {
    super(message);
  }
}

/** SPL Token (and Token-2022, which shares these codes) errors. */
const TOKEN_ERRORS: ErrorTable = errorTable(
  [
    "NotRentExempt",
    "InsufficientFunds",
    "InvalidMint",
    "MintMismatch",
    "OwnerMismatch",
    "FixedSupply",
    "AlreadyInUse",
    "InvalidNumberOfProvidedSigners",
    "InvalidNumberOfRequiredSigners",
    "UninitializedState",
    "NativeNotSupported",
    "NonNativeHasBalance",
    "InvalidInstruction",
    "InvalidState",
    "Overflow",
    "AuthorityTypeNotSupported",
    "MintCannotFreeze",
    "AccountFrozen",
    "MintDecimalsMismatch",
    "NonNativeNotSupported",
  ].map((name, code) => ({ code, name })),
);

/** System program errors. */
const SYSTEM_ERRORS: ErrorTable = errorTable(
  [
    "AccountAlreadyInUse",
    "ResultWithNegativeLamports",
    "InvalidProgramId",
    "InvalidAccountDataLength",
    "MaxSeedLengthExceeded",
    "AddressWithSeedMismatch",
    "NonceNoRecentBlockhashes",
    "NonceBlockhashNotExpired",
    "NonceUnexpectedBlockhashValue",
  ].map((name, code) => ({ code, name })),
);

/** Error tables of the programs Crucible calls, by program id. */
export const RUNTIME_PROGRAM_ERRORS: ReadonlyMap<string, ErrorTable> = new Map([
  ["TokenkegQfeZyiNwAJbNbGKPFXCWuBvf9Ss623VQ5DA", TOKEN_ERRORS],
  ["TokenzQdBNbLqP5VEhdkAS6EPFLC1PHnBqCXEpPxuEb", TOKEN_ERRORS],
  ["11111111111111111111111111111111", SYSTEM_ERRORS],
]);

const FAILED = /^Program (\w+) failed: (.*)$/;
const CUSTOM = /custom program error: 0x([0-9a-fA-F]+)/;

/** Runtime `InstructionError`/`TransactionError` texts and JSON tags -> error names. */
const RUNTIME_NAMES: Array<[RegExp, string]> = [
  [/InsufficientFundsForFee|insufficient funds for fee/i, "InsufficientFundsForFee"],
  [/InsufficientFundsForRent|insufficient funds for rent/i, "InsufficientFundsForRent"],
  [/insufficient (account keys|funds)/i, "InsufficientFunds"],
  [/BlockhashNotFound|Blockhash not found/i, "BlockhashNotFound"],
  [/AlreadyProcessed|already been processed/i, "AlreadyProcessed"],
  [/AccountNotFound|Attempt to debit an account but found no record/i, "AccountNotFound"],
  [/SignatureFailure|signature verification/i, "SignatureFailure"],
  [/missing required signature/i, "MissingRequiredSignature"],
  [/incorrect program id/i, "IncorrectProgramId"],
  [/invalid account data/i, "InvalidAccountData"],
  [/invalid program argument/i, "InvalidArgument"],
  [/account data too small/i, "AccountDataTooSmall"],
  [/not enough account keys/i, "NotEnoughAccountKeys"],
  [/Program failed to complete/i, "ProgramFailedToComplete"],
  [/privilege escalation/i, "PrivilegeEscalation"],
  [/Computational budget exceeded|ComputationalBudgetExceeded/i, "ComputationalBudgetExceeded"],
  [/duplicate instruction|DuplicateInstruction/i, "DuplicateInstruction"],
];

function logsOf(err: unknown): string[] {
  if (err instanceof SendTransactionError) return err.logs ?? [];
  const e = err as { logs?: unknown; transactionLogs?: unknown };
  if (Array.isArray(e?.logs)) return e.logs as string[];
  if (Array.isArray(e?.transactionLogs)) return e.transactionLogs as string[];
  return [];
}

/**
 * Turns whatever a send threw into a `CrucibleError`, naming the error from the logs: the
 * first program to fail is the innermost one (a failed CPI fails its callers after it), so its
 * error is the cause. Custom codes are named with the given programs' error tables, Anchor's
 * own errors, and SPL Token's and the System program's.
 */
export function translateError(
  err: unknown,
  tables: ReadonlyMap<string, ErrorTable>,
): CrucibleError {
  if (err instanceof CrucibleError) return err;
  const logs = logsOf(err);
  const text = err instanceof Error ? err.message : String(err);
  for (const line of logs) {
    const failed = FAILED.exec(line);
    if (!failed) continue;
    const programId = new PublicKey(failed[1]);
    const custom = CUSTOM.exec(failed[2]);
    if (custom) {
      const code = parseInt(custom[1], 16);
      const runtime = RUNTIME_PROGRAM_ERRORS.get(failed[1]);
      const known = runtime
        ? runtime.get(code)
        : (tables.get(failed[1])?.get(code) ?? ANCHOR_ERRORS.get(code));
      if (known) return new CrucibleError(known.name, known.msg, code, programId, logs, err);
      return new CrucibleError(`Custom${code}`, failed[2], code, programId, logs, err);
    }
    const runtime = RUNTIME_NAMES.find(([re]) => re.test(failed[2]));
    return new CrucibleError(
      runtime?.[1] ?? "InstructionError",
      failed[2],
      undefined,
      programId,
      logs,
      err,
    );
  }
  const runtime = RUNTIME_NAMES.find(([re]) => re.test(text));
  return new CrucibleError(
    runtime?.[1] ?? "TransactionFailed",
    text,
    undefined,
    undefined,
    logs,
    err,
  );
}
