// The committed IDLs as a standard client reads them: for every instruction of the three
// programs, Anchor's own TypeScript client (`new Program(idl)`, `methods.x(...).accountsStrict`
// with the composite account groups nested as the IDL declares them) builds exactly the
// instruction the SDK's builder builds from flat account names: same program, same accounts in
// the same order with the same signer and writable flags, same data. No chain is needed.
import { AnchorProvider, BN, Idl, Program, Wallet } from "@coral-xyz/anchor";
import { Connection, Keypair, PublicKey, TransactionInstruction } from "@solana/web3.js";
import { expect } from "chai";

import { emissions, market, staking } from "../sdk/src";

type IdlType = string | { [k: string]: unknown };
interface Item {
  name: string;
  accounts?: Item[];
}
interface IdlJson {
  address: string;
  instructions: { name: string; accounts: Item[]; args: { name: string; type: IdlType }[] }[];
  types?: {
    name: string;
    type: {
      kind: string;
      fields?: { name: string; type: IdlType }[];
      variants?: { name: string }[];
    };
  }[];
}

const camel = (s: string) =>
  s
    .replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase())
    .replace(/^[A-Z]/, (c) => c.toLowerCase());

/** A value of `type` that Anchor's coder accepts (the same value for both builders). */
function sample(idl: IdlJson, type: IdlType): unknown {
  if (typeof type === "string") {
    if (type === "pubkey") return Keypair.generate().publicKey;
    if (type === "bool") return true;
    if (type === "string") return "x";
    if (["u8", "u16", "u32"].includes(type)) return 1;
    return new BN(1);
  }
  if ("option" in type) return null;
  if ("vec" in type) return [];
  if ("array" in type) {
    const [inner, len] = type.array as [IdlType, number];
    return Array.from({ length: len }, () => sample(idl, inner));
  }
  if ("defined" in type) {
    const name = (type.defined as { name: string }).name;
    const def = idl.types!.find((t) => t.name === name)!;
    if (def.type.kind === "enum") return { [camel(def.type.variants![0].name)]: {} };
    return Object.fromEntries(
      (def.type.fields ?? []).map((f) => [camel(f.name), sample(idl, f.type)]),
    );
  }
  throw new Error(`no sample for ${JSON.stringify(type)}`);
}

/** Fresh keys for every account, nested as the IDL groups them and flat as the SDK takes them. */
function accountsOf(items: Item[], flat: Record<string, PublicKey>): Record<string, unknown> {
  return Object.fromEntries(
    items.map((item) => {
      const name = camel(item.name);
      if (item.accounts) return [name, accountsOf(item.accounts, flat)];
      flat[name] = Keypair.generate().publicKey;
      return [name, flat[name]];
    }),
  );
}

const provider = new AnchorProvider(
  new Connection("http://127.0.0.1:9"),
  new Wallet(Keypair.generate()),
  {},
);

const modules = [
  ["market", market.idl, market.program],
  ["staking", staking.idl, staking.program],
  ["emissions", emissions.idl, emissions.program],
] as const;

describe("the IDLs with Anchor's own client", () => {
  for (const [label, idlJson, definition] of modules) {
    const idl = idlJson as unknown as IdlJson;
    it(`${label}: every instruction, nested groups included, equals the SDK's builder`, async () => {
      const program = new Program(idlJson as unknown as Idl, provider);
      let nested = 0;
      for (const ix of idl.instructions) {
        const flat: Record<string, PublicKey> = {};
        const accounts = accountsOf(ix.accounts, flat);
        if (ix.accounts.some((a) => a.accounts)) nested++;
        const args = ix.args.map((a) => sample(idl, a.type));
        const methods = program.methods as unknown as Record<
          string,
          (...a: unknown[]) => {
            accountsStrict(a: unknown): {
              instruction(): Promise<import("@solana/web3.js").TransactionInstruction>;
            };
          }
        >;
        const theirs = await methods[camel(ix.name)](...args)
          .accountsStrict(accounts)
          .instruction();
        const sdk = definition as unknown as {
          instruction(
            name: string,
            o: { accounts: Record<string, PublicKey>; args: Record<string, unknown> },
          ): TransactionInstruction;
        };
        const ours = sdk.instruction(camel(ix.name), {
          accounts: flat,
          args: Object.fromEntries(ix.args.map((a, i) => [camel(a.name), args[i]])),
        });
        expect(theirs.programId.toBase58(), ix.name).to.equal(ours.programId.toBase58());
        expect(
          theirs.keys.map((k) => `${k.pubkey.toBase58()} ${k.isSigner} ${k.isWritable}`),
          ix.name,
        ).to.deep.equal(
          ours.keys.map((k) => `${k.pubkey.toBase58()} ${k.isSigner} ${k.isWritable}`),
        );
        expect(Buffer.from(theirs.data).toString("hex"), ix.name).to.equal(
          Buffer.from(ours.data).toString("hex"),
        );
      }
      expect(nested, "instructions with composite account groups").to.be.greaterThan(0);
    });
  }
});
