// What an Anchor IDL says, as TypeScript types: the shape `defineProgram` reads, and the types
// of what it decodes and builds, computed from a program's generated IDL type
// (`sdk/src/<program>/idl/*.ts`, camelCase names). Types only: nothing here runs.
import { Buffer } from "buffer";
import type { PublicKey } from "@solana/web3.js";

/** A type as an IDL writes it: `"u64"`, `{ vec: ... }`, `{ defined: { name } }`, ... */
export type IdlType =
  | string
  | { array: readonly [IdlType, unknown] }
  | { vec: IdlType }
  | { option: IdlType }
  | { coption: IdlType }
  | { defined: { name: string } };

/** A named field of a struct, an instruction argument, or an enum variant's field. */
export interface IdlField {
  name: string;
  type: IdlType;
}

/** One account of an instruction, or a group of them (an Anchor composite `Accounts` struct). */
export interface IdlAccountItem {
  name: string;
  writable?: boolean;
  signer?: boolean;
  optional?: boolean;
  accounts?: readonly IdlAccountItem[];
}

/** A `types` entry: a struct, an enum or an alias. */
export interface IdlTypeDef {
  name: string;
  type:
    | { kind: "struct"; fields?: readonly (IdlField | IdlType)[] }
    | {
        kind: "enum";
        variants: readonly { name: string; fields?: readonly (IdlField | IdlType)[] }[];
      }
    | { kind: "type"; alias: IdlType };
}

/** The parts of an Anchor (0.30+) IDL that `defineProgram` reads. */
export interface IdlShape {
  address: string;
  instructions: readonly {
    name: string;
    accounts: readonly IdlAccountItem[];
    args: readonly IdlField[];
  }[];
  accounts?: readonly { name: string }[];
  events?: readonly { name: string }[];
  errors?: readonly { code: number; name: string; msg?: string }[];
  types?: readonly IdlTypeDef[];
}

type Types<I extends IdlShape> = NonNullable<I["types"]>[number];

/** How the SDK decodes an IDL type: 64-bit and wider integers as `bigint`, smaller as
 * `number`, options as `T | null`, enums as `{ variant: {...} }` or, for the enums named in
 * `S`, as the variant's name. */
export type Decoded<I extends IdlShape, T, S extends string = never> = T extends
  "u64" | "i64" | "u128" | "i128" | "u256" | "i256"
  ? bigint
  : T extends "u8" | "i8" | "u16" | "i16" | "u32" | "i32" | "f32" | "f64"
    ? number
    : T extends "bool"
      ? boolean
      : T extends "pubkey"
        ? PublicKey
        : T extends "string"
          ? string
          : T extends "bytes"
            ? Buffer
            : T extends { array: readonly [infer E, unknown] }
              ? Decoded<I, E, S>[]
              : T extends { vec: infer E }
                ? Decoded<I, E, S>[]
                : T extends { option: infer E } | { coption: infer E }
                  ? Decoded<I, E, S> | null
                  : T extends { defined: { name: infer N extends string } }
                    ? DecodedDefined<I, N, S>
                    : unknown;

type Fields<I extends IdlShape, F, S extends string> = F extends readonly IdlField[]
  ? { [K in F[number] as K["name"]]: Decoded<I, K["type"], S> }
  : Record<string, never>;

type Variant<I extends IdlShape, V, S extends string> = V extends {
  name: infer N extends string;
}
  ? { [K in N]: V extends { fields: infer F } ? Fields<I, F, S> : Record<string, never> }
  : never;

/** The decoded value of the type `N` of `types`. */
export type DecodedDefined<
  I extends IdlShape,
  N extends string,
  S extends string = never,
> = Extract<Types<I>, { name: N }>["type"] extends infer D
  ? D extends { kind: "struct"; fields: infer F }
    ? Fields<I, F, S>
    : D extends { kind: "enum"; variants: readonly (infer V)[] }
      ? N extends S
        ? V extends { name: infer VN }
          ? VN
          : never
        : Variant<I, V, S>
      : D extends { kind: "type"; alias: infer A }
        ? Decoded<I, A, S>
        : unknown
  : never;

/** The names of the program's instructions, accounts and events. */
export type InstructionName<I extends IdlShape> = I["instructions"][number]["name"];
export type AccountName<I extends IdlShape> = NonNullable<I["accounts"]>[number]["name"];
export type EventName<I extends IdlShape> = NonNullable<I["events"]>[number]["name"];
export type ErrorName<I extends IdlShape> = NonNullable<I["errors"]>[number]["name"];

type Instruction<I extends IdlShape, N> = Extract<I["instructions"][number], { name: N }>;

/** An instruction's accounts with composite groups flattened, at any depth. */
export type LeafAccount<A> = A extends { accounts: readonly (infer Sub)[] } ? LeafAccount<Sub> : A;

type Leaves<I extends IdlShape, N> = LeafAccount<Instruction<I, N>["accounts"][number]>;

/** The accounts an instruction names, by their flat (camelCase) names: optional accounts may
 * be left out (the program id then stands in their place). */
export type InstructionAccounts<I extends IdlShape, N> = {
  [K in Leaves<I, N> as K extends { optional: true } ? never : K["name"]]: PublicKey;
} & {
  [K in Leaves<I, N> as K extends { optional: true } ? K["name"] : never]?: PublicKey | undefined;
};

/** An instruction's arguments by name, as the coder takes them (`BN` for 64-bit integers). */
export type InstructionArgs<I extends IdlShape, N> = {
  [K in Instruction<I, N>["args"][number] as K["name"]]: unknown;
};

/** A decoded account of type `N`. */
export type AccountData<
  I extends IdlShape,
  N extends string,
  S extends string = never,
> = DecodedDefined<I, N, S>;

/** Each event's data by event name. */
export type EventDataMap<I extends IdlShape, S extends string = never> = {
  [N in EventName<I>]: DecodedDefined<I, N, S>;
};

/** A decoded event: a union discriminated by `name`, so that narrowing on the name types the
 * data (`if (e.name === "jobCompleted") e.data.paid` is a `bigint`). */
export type ProgramEvent<I extends IdlShape, S extends string = never> = {
  [N in EventName<I>]: { name: N; data: DecodedDefined<I, N, S> };
}[EventName<I>];
