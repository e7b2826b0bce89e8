// One definition per program, made from its IDL: the coder, account decoding, events, errors
// and an instruction builder, all typed by the IDL's generated type. This is the only file of
// the SDK that touches Anchor (`@coral-xyz/anchor`); the program modules go through it.
import { Buffer } from "buffer";
import {
  AnchorProvider,
  BorshCoder,
  Idl,
  LangErrorCode,
  LangErrorMessage,
  Program,
  utils,
} from "@coral-xyz/anchor";
import { convertIdlToCamelCase } from "@coral-xyz/anchor/dist/cjs/idl.js";
import {
  AccountMeta,
  Commitment,
  Connection,
  GetProgramAccountsFilter,
  Logs,
  PublicKey,
  TransactionInstruction,
} from "@solana/web3.js";
import BN from "bn.js";

import { big } from "./amount";
import { programDataLogs } from "./events";
import type {
  AccountData,
  AccountName,
  ErrorName,
  EventDataMap,
  EventName,
  IdlAccountItem,
  IdlField,
  IdlShape,
  IdlType,
  IdlTypeDef,
  InstructionAccounts,
  InstructionArgs,
  InstructionName,
  ProgramEvent,
} from "./idl";

export type { AnchorProvider };

/** An error code table: code -> [name, message]. */
export type ErrorTable = ReadonlyMap<number, { name: string; msg: string }>;

/** Builds an error table from an IDL's `errors`. */
export function errorTable(
  errors: ReadonlyArray<{ code: number; name: string; msg?: string }>,
): ErrorTable {
  return new Map(errors.map((e) => [e.code, { name: e.name, msg: e.msg ?? e.name }]));
}

/** Anchor's own errors (`ConstraintSeeds`, `AccountNotInitialized`, ...), by code. */
export const ANCHOR_ERRORS: ErrorTable = new Map(
  Object.entries(LangErrorCode).map(([name, code]) => [
    code as number,
    {
      name: name.charAt(0).toUpperCase() + name.slice(1),
      msg: LangErrorMessage.get(code as number) ?? name,
    },
  ]),
);

/** The optional program address every builder, fetcher and client takes. */
export interface ProgramIdOption {
  /** The program's address, for a deployment elsewhere (default: the IDL's `address`). */
  programId?: PublicKey;
}

/** What an instruction is built from: its accounts by flat name, its arguments, and where to
 * send it. */
export type InstructionInput<I extends IdlShape, N extends InstructionName<I>> = {
  accounts: InstructionAccounts<I, N>;
  /** Accounts appended after the IDL's (the program's remaining accounts), in order. */
  remaining?: readonly AccountMeta[];
  /** The program's address, for a deployment elsewhere (default: the IDL's). */
  programId?: PublicKey;
} & ([keyof InstructionArgs<I, N>] extends [never]
  ? { args?: Record<string, never> }
  : { args: InstructionArgs<I, N> });

/** Options of `defineProgram`. */
export interface ProgramOptions<S extends string> {
  /** How errors and messages name the program ("market"). */
  label: string;
  /** Enum types decoded as their variant's name (`"open"`) rather than `{ open: {} }`. */
  stringEnums?: readonly S[];
}

/** What `defineProgram` needs of the JSON IDL (the rest is read as `IdlShape`). */
export interface IdlJson {
  address: string;
  errors?: ReadonlyArray<{ code: number; name: string; msg?: string }>;
}

type Leaf = { name: string; writable: boolean; signer: boolean; optional: boolean };

/** The accounts of a list of IDL items in order, composite groups flattened at any depth. */
export function flattenAccounts(items: readonly IdlAccountItem[]): Leaf[] {
  return items.flatMap((item) =>
    item.accounts
      ? flattenAccounts(item.accounts)
      : [
          {
            name: item.name,
            writable: !!item.writable,
            signer: !!item.signer,
            optional: !!item.optional,
          },
        ],
  );
}

/**
 * A program defined from its IDL (`I`: the generated camelCase IDL type). Amounts decode as
 * `bigint` at any depth, names are camelCase as Anchor's TypeScript has them, and every call
 * that touches the chain takes an optional `programId` (default: the IDL's address).
 */
export class ProgramDefinition<I extends IdlShape, S extends string = never> {
  /** The IDL with camelCase names, as Anchor's TypeScript sees it. */
  readonly idl: I;
  /** The IDL's address (the program's `declare_id!`). */
  readonly programId: PublicKey;
  readonly label: string;
  /** The program's errors by code. */
  readonly errors: ErrorTable;
  /** The program's error names, for comparisons such as `err.name === ErrorName.JobNotOpen`. */
  readonly errorNames: { readonly [K in ErrorName<I>]: K };
  private readonly coder: BorshCoder;
  private readonly types: ReadonlyMap<string, IdlTypeDef>;
  private readonly stringEnums: ReadonlySet<string>;
  private readonly leaves = new Map<string, Leaf[]>();

  constructor(idl: IdlJson, options: ProgramOptions<S>) {
    this.idl = convertIdlToCamelCase(idl as unknown as Idl) as unknown as I;
    this.programId = new PublicKey(idl.address);
    this.label = options.label;
    this.coder = new BorshCoder(this.idl as unknown as Idl);
    this.types = new Map((this.idl.types ?? []).map((t) => [t.name, t]));
    this.stringEnums = new Set(options.stringEnums ?? []);
    this.errors = errorTable(idl.errors ?? []);
    this.errorNames = Object.fromEntries((idl.errors ?? []).map((e) => [e.name, e.name])) as {
      readonly [K in ErrorName<I>]: K;
    };
  }

  /** The instruction `name`: the account list, its order and its flags come from the IDL
   * (composite groups flattened, so callers name every account flat). */
  instruction<N extends InstructionName<I>>(
    name: N,
    input: InstructionInput<I, N>,
  ): TransactionInstruction {
    const programId = input.programId ?? this.programId;
    const ix = this.idl.instructions.find((i) => i.name === name);
    if (!ix) throw new Error(`unknown instruction ${name}`);
    const args = (input.args ?? {}) as Record<string, unknown>;
    for (const arg of ix.args) {
      if (args[arg.name] === undefined) throw new Error(`${name}: argument ${arg.name} is missing`);
    }
    const accounts = input.accounts as Record<string, PublicKey | undefined>;
    const leaves = this.leavesOf(name);
    const keys: AccountMeta[] = leaves.map((leaf) => {
      const pubkey = accounts[leaf.name];
      // Anchor reads an optional account as absent when the program id stands in its place.
      if (!pubkey && leaf.optional)
        return { pubkey: programId, isSigner: false, isWritable: false };
      if (!pubkey) throw new Error(`${name}: account ${leaf.name} is missing`);
      return { pubkey, isSigner: leaf.signer, isWritable: leaf.writable };
    });
    const extra = Object.keys(accounts).filter(
      (k) => accounts[k] !== undefined && !leaves.some((leaf) => leaf.name === k),
    );
    if (extra.length) throw new Error(`${name}: unknown account(s) ${extra.join(", ")}`);
    return new TransactionInstruction({
      programId,
      keys: [...keys, ...(input.remaining ?? [])],
      data: this.coder.instruction.encode(name, args),
    });
  }

  /** The flat account list of instruction `name`. */
  leavesOf(name: InstructionName<I>): readonly Leaf[] {
    let leaves = this.leaves.get(name);
    if (!leaves) {
      const ix = this.idl.instructions.find((i) => i.name === name);
      if (!ix) throw new Error(`unknown instruction ${name}`);
      leaves = flattenAccounts(ix.accounts);
      this.leaves.set(name, leaves);
    }
    return leaves;
  }

  /** Decodes account `name` (discriminator checked), amounts as `bigint`. */
  decodeAccount<N extends AccountName<I>>(name: N, data: Buffer): AccountData<I, N, S> {
    const raw: unknown = this.coder.accounts.decode(name, data);
    return this.convert(raw, { defined: { name } }) as AccountData<I, N, S>;
  }

  /** The 8-byte discriminator of account `name`. */
  accountDiscriminator(name: AccountName<I>): Buffer {
    return Buffer.from(this.coder.accounts.accountDiscriminator(name));
  }

  /** A memcmp filter on account `name`'s discriminator. */
  discriminatorFilter(name: AccountName<I>): GetProgramAccountsFilter {
    return memcmp(0, this.accountDiscriminator(name));
  }

  /**
   * The account at `address` decoded by `decode`, or `null` when there is none; throws when
   * the program does not own it.
   */
  async fetch<T>(
    connection: Connection,
    address: PublicKey,
    decode: (data: Buffer) => T,
    o: ProgramIdOption & { commitment?: Commitment } = {},
  ): Promise<T | null> {
    const info = await connection.getAccountInfo(address, o.commitment);
    if (!info) return null;
    if (!info.owner.equals(o.programId ?? this.programId))
      throw new Error(`${address.toBase58()} is not owned by the ${this.label} program`);
    return decode(info.data);
  }

  /** The program's accounts passing `filters` (server-side; start with a discriminator
   * filter), decoded by `decode`, in address order. */
  async list<T>(
    connection: Connection,
    filters: GetProgramAccountsFilter[],
    decode: (data: Buffer) => T,
    o: ProgramIdOption = {},
  ): Promise<Array<{ address: PublicKey; account: T }>> {
    const accounts = await connection.getProgramAccounts(o.programId ?? this.programId, {
      commitment: "confirmed",
      filters,
    });
    return accounts
      .map(({ pubkey, account }) => ({ address: pubkey, account: decode(account.data) }))
      .sort((x, y) => x.address.toBase58().localeCompare(y.address.toBase58()));
  }

  /** The program's events in a transaction's logs, in order, at any CPI depth. */
  readonly parseEvents = (
    logs: readonly string[],
    o: ProgramIdOption = {},
  ): ProgramEvent<I, S>[] => {
    const out: ProgramEvent<I, S>[] = [];
    for (const data of programDataLogs((o.programId ?? this.programId).toBase58(), logs)) {
      const event = this.coder.events.decode(data);
      if (!event) continue;
      const converted = this.convert(event.data, { defined: { name: event.name } });
      out.push({ name: event.name, data: converted } as ProgramEvent<I, S>);
    }
    return out;
  };

  /** Calls `callback` for each of the program's events in every confirmed transaction that
   * succeeded; returns an unsubscribe. */
  readonly onEvents = (
    connection: Connection,
    callback: (event: ProgramEvent<I, S>, signature: string) => void,
    o: ProgramIdOption = {},
  ): (() => Promise<void>) => {
    const id = connection.onLogs(
      o.programId ?? this.programId,
      (logs: Logs) => {
        if (logs.err) return;
        for (const event of this.parseEvents(logs.logs, o)) callback(event, logs.signature);
      },
      "confirmed",
    );
    return () => connection.removeOnLogsListener(id);
  };

  /** The data of every event `name` among `events`, typed, in order. */
  readonly eventsNamed = <N extends EventName<I>>(
    events: readonly ProgramEvent<I, S>[],
    name: N,
  ): EventDataMap<I, S>[N][] =>
    events.filter((e) => e.name === name).map((e) => e.data as EventDataMap<I, S>[N]);

  /** An Anchor `Program` for this IDL (at `programId` when given), e.g. for its `methods`. */
  anchorProgram(provider: AnchorProvider, programId?: PublicKey): Program<I extends Idl ? I : Idl> {
    const idl = programId ? { ...this.idl, address: programId.toBase58() } : this.idl;
    return new Program(idl as unknown as I extends Idl ? I : Idl, provider);
  }

  /** What the coder decoded, as the SDK presents it: `BN`s as `bigint`s at any depth (through
   * structs, arrays, vectors, options and enum variants), string enums as their names. */
  private convert(value: unknown, type: IdlType): unknown {
    if (value === null || value === undefined) return value;
    if (typeof type === "string") return BN.isBN(value) ? big(value as BN) : value;
    if ("array" in type) return (value as unknown[]).map((v) => this.convert(v, type.array[0]));
    if ("vec" in type) return (value as unknown[]).map((v) => this.convert(v, type.vec));
    if ("option" in type) return this.convert(value, type.option);
    if ("coption" in type) return this.convert(value, type.coption);
    const def = this.types.get(type.defined.name);
    if (!def) return deepBigints(value);
    const t = def.type;
    if (t.kind === "type") return this.convert(value, t.alias);
    if (t.kind === "struct") return this.fields(value as Record<string, unknown>, t.fields);
    const variant = Object.keys(value as object)[0];
    if (this.stringEnums.has(def.name)) return variant;
    const fields = t.variants.find((v) => v.name === variant)?.fields;
    const inner = (value as Record<string, Record<string, unknown>>)[variant];
    return { [variant]: this.fields(inner, fields) };
  }

  private fields(
    value: Record<string, unknown>,
    fields: readonly (IdlField | IdlType)[] | undefined,
  ): unknown {
    if (!fields || !fields.every((f) => typeof f === "object" && "name" in f && "type" in f))
      return deepBigints(value);
    const out: Record<string, unknown> = { ...value };
    for (const f of fields as readonly IdlField[])
      out[f.name] = this.convert(value[f.name], f.type);
    return out;
  }
}

/** A memcmp filter: `bytes` at `offset`. */
export function memcmp(offset: number, bytes: Uint8Array): GetProgramAccountsFilter {
  return { memcmp: { offset, bytes: utils.bytes.bs58.encode(bytes) } };
}

/** `BN`s as `bigint`s through arrays and plain objects, for values of no known IDL type. */
function deepBigints(value: unknown): unknown {
  if (BN.isBN(value)) return big(value as BN);
  if (Array.isArray(value)) return value.map(deepBigints);
  if (value && typeof value === "object" && Object.getPrototypeOf(value) === Object.prototype)
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, deepBigints(v)]));
  return value;
}

/**
 * Defines a program from its JSON IDL, typed by its generated IDL type `I`
 * (`defineProgram<CrucibleMarket, "jobState">(idl, { label: "market", stringEnums: ["jobState"] })`).
 */
export function defineProgram<I extends IdlShape, S extends string = never>(
  idl: IdlJson,
  options: ProgramOptions<S>,
): ProgramDefinition<I, S> {
  return new ProgramDefinition<I, S>(idl, options);
}

/** The decoded events of a program definition (`EventOf<typeof program>`). */
export type EventOf<P> = P extends ProgramDefinition<infer I, infer S> ? ProgramEvent<I, S> : never;

/** Each event's data by name, for a program definition. */
export type EventDataOf<P> =
  P extends ProgramDefinition<infer I, infer S> ? EventDataMap<I, S> : never;
