// The compute budget of every transaction the SDK builds: a compute-unit limit summed from what
// each instruction may use (Crucible's from the bench's table, other programs' from measured
// allowances), and an optional priority fee under a cap. `withComputeBudget` is pure, for dApps
// that send through their own wallet.
import { Buffer } from "buffer";
import { ComputeBudgetProgram, TransactionInstruction } from "@solana/web3.js";

import { COMPUTE_UNIT_LIMITS } from "./compute-units";
import { CrucibleError } from "./errors";
import {
  EMISSIONS_PROGRAM_ID,
  MARKET_PROGRAM_ID,
  ProgramIds,
  STAKING_PROGRAM_ID,
} from "./programs";
import emissionsIdl from "../emissions/idl/crucible_emissions.json";
import marketIdl from "../market/idl/crucible_market.json";
import stakingIdl from "../staking/idl/crucible_staking.json";

/** The most compute units a transaction may request (agave's `MAX_COMPUTE_UNIT_LIMIT`). */
export const MAX_COMPUTE_UNIT_LIMIT = 1_400_000;

/** What an instruction of an unknown program is allowed: the runtime's default for an
 * instruction when a transaction sets no limit (`DEFAULT_INSTRUCTION_COMPUTE_UNIT_LIMIT`), so
 * setting a limit never gives such an instruction less than it would have had without one. */
export const DEFAULT_INSTRUCTION_COMPUTE_UNITS = 200_000;

/** The priority fee cap when none is given: 0.01 SOL a transaction. */
export const DEFAULT_MAX_PRIORITY_FEE_LAMPORTS = 10_000_000n;

const U64_MAX = (1n << 64n) - 1n;
const MICRO_LAMPORTS_PER_LAMPORT = 1_000_000n;
const COMPUTE_BUDGET = ComputeBudgetProgram.programId.toBase58();
/** `ComputeBudgetInstruction` tags (the first data byte). */
const SET_COMPUTE_UNIT_LIMIT = 2;
const SET_COMPUTE_UNIT_PRICE = 3;

/**
 * Compute units allowed to one instruction of the programs Crucible's transactions call
 * besides its own, by program id. Measured on crucible-localnet, where these programs run as
 * their real SBF binaries and are metered as on a cluster (`getTransaction`'s
 * `computeUnitsConsumed`, one instruction a transaction), then given room:
 * - System (a builtin, 150 units an instruction): 3 000, the allocation SIMD-0170 reserves for a
 *   builtin instruction (agave's `MAX_BUILTIN_ALLOCATION_COMPUTE_UNIT_LIMIT`).
 * - Compute Budget: 150, what each of its instructions consumes (a builtin that calls nothing;
 *   a limit of 1 fails in the compute-budget instruction itself).
 * - SPL Token: 10 000. Measured: TransferChecked 6 172, Transfer 4 644, MintTo 4 491 (mainnet
 *   reports TransferChecked at ~6 200 too).
 * - Token-2022: 20 000. Measured (v8, no extensions): TransferChecked 1 814, Transfer 1 682,
 *   MintTo 1 095; older deployments and extensions cost more, hence the margin.
 * - Associated Token Account: 40 000. Measured CreateIdempotent: 23 397 creating an SPL Token
 *   account (21 998 for another owner, 5 937 when it exists), 18 781 for Token-2022.
 * - Memo (v2): 24 000 + 500 a byte of memo (`MEMO_COMPUTE_UNITS`): it logs and checks the text,
 *   measured 26 347 for 32 bytes and 177 015 for 500 (about 16 000 + 322 a byte).
 */
export const PROGRAM_COMPUTE_UNITS: Readonly<Record<string, number>> = {
  "11111111111111111111111111111111": 3_000,
  [COMPUTE_BUDGET]: 150,
  TokenkegQfeZyiNwAJbNbGKPFXCWuBvf9Ss623VQ5DA: 10_000,
  TokenzQdBNbLqP5VEhdkAS6EPFLC1PHnBqCXEpPxuEb: 20_000,
  ATokenGPvbdGVxr1b2hvZbsiqW5xWH25efTNsLJA8knL: 40_000,
};

const MEMO_PROGRAM_ID = "MemoSq4gqABAXKb96qnH8TysNcWxMyWCqXgDLGmfcHr";
/** A memo instruction's allowance: a base and a cost per byte of memo (see above). */
export const MEMO_COMPUTE_UNITS = { base: 24_000, perByte: 500 } as const;

/** A Crucible program, as `COMPUTE_UNIT_LIMITS` names it. */
export type CrucibleProgramName = keyof typeof COMPUTE_UNIT_LIMITS;

/** Each program's instruction names (the IDL's) by the hex of their 8-byte discriminators. */
const NAMES: Record<CrucibleProgramName, ReadonlyMap<string, string>> = {
  staking: byDiscriminator(stakingIdl.instructions),
  market: byDiscriminator(marketIdl.instructions),
  emissions: byDiscriminator(emissionsIdl.instructions),
};

function byDiscriminator(
  instructions: ReadonlyArray<{ name: string; discriminator: number[] }>,
): ReadonlyMap<string, string> {
  return new Map(
    instructions.map((ix) => [Buffer.from(ix.discriminator).toString("hex"), ix.name]),
  );
}

/** Which Crucible program sits at each address: the IDLs' and the deployment's own. */
function crucibleAt(ids: ProgramIds): Map<string, CrucibleProgramName> {
  const at = new Map<string, CrucibleProgramName>([
    [STAKING_PROGRAM_ID.toBase58(), "staking"],
    [MARKET_PROGRAM_ID.toBase58(), "market"],
    [EMISSIONS_PROGRAM_ID.toBase58(), "emissions"],
  ]);
  for (const name of ["staking", "market", "emissions"] as const) {
    const id = ids[name];
    if (id) at.set(id.toBase58(), name);
  }
  return at;
}

function lookup(
  ix: TransactionInstruction,
  at: Map<string, CrucibleProgramName>,
): { program: CrucibleProgramName; name: string } | undefined {
  const program = at.get(ix.programId.toBase58());
  if (!program) return undefined;
  const name = NAMES[program].get(ix.data.subarray(0, 8).toString("hex"));
  return name === undefined ? undefined : { program, name };
}

/**
 * The Crucible instruction `ix` is, by its program id (the IDLs' or the deployment's `ids`)
 * and its 8-byte Anchor discriminator: the program and the IDL's instruction name
 * (`{ program: "market", name: "complete_job" }`), or `undefined`.
 */
export function crucibleInstruction(
  ix: TransactionInstruction,
  ids: ProgramIds = {},
): { program: CrucibleProgramName; name: string } | undefined {
  return lookup(ix, crucibleAt(ids));
}

/**
 * The compute units one instruction is allowed: a Crucible instruction (`crucibleInstruction`)
 * the table's limit (`COMPUTE_UNIT_LIMITS`, the bench's worst case with 1.5x headroom); another
 * program's instruction its allowance (`PROGRAM_COMPUTE_UNITS`, `MEMO_COMPUTE_UNITS`); anything
 * else, including data no Crucible instruction starts with, `DEFAULT_INSTRUCTION_COMPUTE_UNITS`.
 */
export function instructionComputeUnits(ix: TransactionInstruction, ids: ProgramIds = {}): number {
  return unitsOf(ix, crucibleAt(ids));
}

function unitsOf(ix: TransactionInstruction, at: Map<string, CrucibleProgramName>): number {
  const crucible = lookup(ix, at);
  if (crucible) {
    const table: Readonly<Record<string, number>> = COMPUTE_UNIT_LIMITS[crucible.program];
    return table[crucible.name] ?? DEFAULT_INSTRUCTION_COMPUTE_UNITS;
  }
  const id = ix.programId.toBase58();
  if (id === MEMO_PROGRAM_ID)
    return MEMO_COMPUTE_UNITS.base + MEMO_COMPUTE_UNITS.perByte * ix.data.length;
  return PROGRAM_COMPUTE_UNITS[id] ?? DEFAULT_INSTRUCTION_COMPUTE_UNITS;
}

/**
 * The compute-unit limit for a transaction of `instructions`: the sum of their allowances
 * (`instructionComputeUnits`), at most `MAX_COMPUTE_UNIT_LIMIT`. Compute-budget instructions
 * count too (150 each): give the list with them, as it will be sent.
 */
export function computeUnitLimit(
  instructions: readonly TransactionInstruction[],
  ids: ProgramIds = {},
): number {
  const at = crucibleAt(ids);
  const sum = instructions.reduce((s, ix) => s + unitsOf(ix, at), 0);
  return Math.min(sum, MAX_COMPUTE_UNIT_LIMIT);
}

/** The priority fee the runtime charges, in lamports: `ceil(price x limit / 1 000 000)`. */
export function priorityFeeLamports(computeUnitPrice: bigint, computeUnitLimit: number): bigint {
  const micro = computeUnitPrice * BigInt(computeUnitLimit);
  return (micro + MICRO_LAMPORTS_PER_LAMPORT - 1n) / MICRO_LAMPORTS_PER_LAMPORT;
}

/** A transaction's priority fee: the price per compute unit and a cap on the fee. */
export interface PriorityFee {
  /** Micro-lamports per compute unit (`SetComputeUnitPrice`), a u64; no priority fee when
   * omitted. */
  computeUnitPrice?: bigint | number;
  /** The most the priority fee (`price x limit / 1e6`) may be, in lamports; a transaction
   * whose fee would be more is refused before it is sent (default
   * `DEFAULT_MAX_PRIORITY_FEE_LAMPORTS`, 0.01 SOL). */
  maxPriorityFeeLamports?: bigint | number;
}

/** Options of `withComputeBudget` and `sendInstructions`. */
export interface ComputeBudgetOptions extends PriorityFee {
  /** The Crucible programs' addresses when not the IDLs' (their instructions are then known
   * by these ids too). */
  programIds?: ProgramIds;
}

function u64(value: bigint | number, what: string, name: string): bigint {
  const ok =
    typeof value === "bigint"
      ? value >= 0n && value <= U64_MAX
      : typeof value === "number" && Number.isSafeInteger(value) && value >= 0;
  if (!ok)
    throw new CrucibleError(
      name,
      `${what} must be a whole number from 0 to 2^64 - 1, not ${String(value)}`,
      undefined,
      undefined,
      [],
    );
  return BigInt(value);
}

/** Checks a priority fee's price and cap (integers in u64) and returns them as bigints;
 * throws `InvalidComputeUnitPrice` / `InvalidPriorityFeeCap` otherwise. */
export function checkPriorityFee(fee: PriorityFee): { price?: bigint; cap: bigint } {
  const price =
    fee.computeUnitPrice === undefined
      ? undefined
      : u64(
          fee.computeUnitPrice,
          "the compute-unit price (micro-lamports)",
          "InvalidComputeUnitPrice",
        );
  const cap =
    fee.maxPriorityFeeLamports === undefined
      ? DEFAULT_MAX_PRIORITY_FEE_LAMPORTS
      : u64(fee.maxPriorityFeeLamports, "the priority fee cap (lamports)", "InvalidPriorityFeeCap");
  return { price, cap };
}

/** The tag and value of a compute-budget instruction that sets the limit or the price. */
function budgetSetting(ix: TransactionInstruction): { tag: number; value: bigint } | undefined {
  if (ix.programId.toBase58() !== COMPUTE_BUDGET || ix.data.length === 0) return undefined;
  const tag = ix.data[0];
  if (tag === SET_COMPUTE_UNIT_LIMIT && ix.data.length >= 5)
    return { tag, value: BigInt(ix.data.readUInt32LE(1)) };
  if (tag === SET_COMPUTE_UNIT_PRICE && ix.data.length >= 9)
    return { tag, value: ix.data.readBigUInt64LE(1) };
  return undefined;
}

/**
 * `instructions` as the SDK sends them: first `SetComputeUnitLimit` with the limit
 * `computeUnitLimit` gives (every instruction's allowance, the compute-budget ones included),
 * then `SetComputeUnitPrice` when `computeUnitPrice` is given, then the instructions.
 *
 * A compute-budget instruction already among `instructions` is respected: the SDK adds no
 * second one of the same kind (the runtime refuses a transaction with two, as
 * `DuplicateInstruction`), and the caller's limit and price are the transaction's.
 *
 * The priority fee, `ceil(price x limit / 1e6)` lamports with the transaction's price and
 * limit (whoever set them), must not exceed `maxPriorityFeeLamports` (default 0.01 SOL): a
 * `CrucibleError` named `PriorityFeeTooHigh` is thrown otherwise, as `InvalidComputeUnitPrice`
 * or `InvalidPriorityFeeCap` for a value that is negative, fractional or above u64. Pure: reads
 * nothing from the chain; nothing is sent.
 */
export function withComputeBudget(
  instructions: readonly TransactionInstruction[],
  opts: ComputeBudgetOptions = {},
): TransactionInstruction[] {
  const { price, cap } = checkPriorityFee(opts);
  if (instructions.length === 0) return [];
  const settings = instructions.map(budgetSetting);
  const callerLimit = settings.find((s) => s?.tag === SET_COMPUTE_UNIT_LIMIT)?.value;
  const callerPrice = settings.find((s) => s?.tag === SET_COMPUTE_UNIT_PRICE)?.value;
  const addPrice = price !== undefined && callerPrice === undefined;
  const added: TransactionInstruction[] = [];
  let limit: number;
  if (callerLimit === undefined) {
    const priceIx = addPrice
      ? [ComputeBudgetProgram.setComputeUnitPrice({ microLamports: price })]
      : [];
    // The limit instruction counts itself: a placeholder of the same program and kind.
    const probe = ComputeBudgetProgram.setComputeUnitLimit({ units: 0 });
    limit = computeUnitLimit([probe, ...priceIx, ...instructions], opts.programIds);
    added.push(ComputeBudgetProgram.setComputeUnitLimit({ units: limit }), ...priceIx);
  } else {
    limit = Math.min(Number(callerLimit), MAX_COMPUTE_UNIT_LIMIT);
    if (addPrice) added.push(ComputeBudgetProgram.setComputeUnitPrice({ microLamports: price }));
  }
  const txPrice = callerPrice ?? price;
  if (txPrice !== undefined) {
    const fee = priorityFeeLamports(txPrice, limit);
    if (fee > cap)
      throw new CrucibleError(
        "PriorityFeeTooHigh",
        `the priority fee would be ${fee} lamports (${txPrice} micro-lamports per unit x ${limit} units), above the cap of ${cap} lamports (maxPriorityFeeLamports)`,
        undefined,
        undefined,
        [],
      );
  }
  return [...added, ...instructions];
}

/** The compute-budget settings of a transaction's instructions (for tests and tools). */
export function readComputeBudget(instructions: readonly TransactionInstruction[]): {
  computeUnitLimit?: number;
  computeUnitPrice?: bigint;
} {
  const settings = instructions.map(budgetSetting);
  const limit = settings.find((s) => s?.tag === SET_COMPUTE_UNIT_LIMIT)?.value;
  const price = settings.find((s) => s?.tag === SET_COMPUTE_UNIT_PRICE)?.value;
  return {
    computeUnitLimit: limit === undefined ? undefined : Number(limit),
    computeUnitPrice: price,
  };
}
