// The program definitions: the instruction builder typed and checked by the IDL (composite
// account groups flattened at any depth), the PDA seeds against the IDLs' `pda.seeds`, and
// Anchor touched by one file only.
import { expect } from "chai";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { Keypair, PublicKey } from "@solana/web3.js";
import BN from "bn.js";

import { defineProgram, emissions, market, staking } from "../sdk/src";

/** A program whose one instruction names a composite group nested in another. */
const nestedIdl = {
  address: "11111111111111111111111111111112",
  metadata: { name: "nested", version: "0.1.0", spec: "0.1.0" },
  instructions: [
    {
      name: "settle",
      discriminator: [1, 2, 3, 4, 5, 6, 7, 8],
      accounts: [
        { name: "signer", writable: true, signer: true },
        {
          name: "common",
          accounts: [
            { name: "job", writable: true },
            { name: "inner", accounts: [{ name: "escrow", writable: true }, { name: "mint" }] },
            { name: "memo", optional: true },
          ],
        },
        { name: "tokenProgram" },
      ],
      args: [{ name: "amount", type: "u64" }],
    },
  ],
  accounts: [],
  events: [],
  errors: [{ code: 6000, name: "Nope", msg: "Not this." }],
  types: [],
} as const;

const nested = defineProgram<typeof nestedIdl>(nestedIdl, { label: "nested" });

describe("sdk / program definitions", () => {
  const [signer, job, escrow, mint, tokenProgram] = Array.from(
    { length: 5 },
    () => Keypair.generate().publicKey,
  );

  it("flattens nested account groups in IDL order, callers naming each account flat", () => {
    const ix = nested.instruction("settle", {
      accounts: { signer, job, escrow, mint, tokenProgram },
      args: { amount: new BN(7) },
    });
    expect(ix.keys.map((k) => k.pubkey.toBase58())).to.deep.equal(
      [signer, job, escrow, mint, nested.programId, tokenProgram].map((k) => k.toBase58()),
    );
    expect(ix.keys.map((k) => [k.isSigner, k.isWritable])).to.deep.equal([
      [true, true],
      [false, true],
      [false, true],
      [false, false],
      [false, false],
      [false, false],
    ]);
    expect([...ix.data]).to.deep.equal([1, 2, 3, 4, 5, 6, 7, 8, 7, 0, 0, 0, 0, 0, 0, 0]);
  });

  it("builds for another address, the optional account standing as that address", () => {
    const elsewhere = Keypair.generate().publicKey;
    const ix = nested.instruction("settle", {
      programId: elsewhere,
      accounts: { signer, job, escrow, mint, tokenProgram },
      args: { amount: new BN(1) },
      remaining: [{ pubkey: mint, isSigner: false, isWritable: true }],
    });
    expect(ix.programId.equals(elsewhere)).to.equal(true);
    expect(ix.keys[4].pubkey.equals(elsewhere)).to.equal(true);
    expect(ix.keys).to.have.length(7);
  });

  it("refuses missing and unknown accounts at run time too", () => {
    const accounts = { signer, job, escrow, tokenProgram } as unknown as Parameters<
      typeof nested.instruction<"settle">
    >[1]["accounts"];
    expect(() => nested.instruction("settle", { accounts, args: { amount: new BN(1) } })).to.throw(
      "settle: account mint is missing",
    );
    const extra = { signer, job, escrow, mint, tokenProgram, bogus: mint } as typeof accounts;
    expect(() =>
      nested.instruction("settle", { accounts: extra, args: { amount: new BN(1) } }),
    ).to.throw("settle: unknown account(s) bogus");
  });

  it("types instruction, account and argument names by the IDL", () => {
    const build = (amount: BN) => ({
      accounts: { signer, job, escrow, mint, tokenProgram },
      args: { amount },
    });
    expect(() => {
      // @ts-expect-error: no such instruction
      nested.instruction("setle", build(new BN(1)));
    }).to.throw("unknown instruction setle");
    expect(() =>
      nested.instruction("settle", {
        // @ts-expect-error: `escrw` is not an account of `settle`, nested or not
        accounts: { signer, job, escrw: escrow, mint, tokenProgram },
        args: { amount: new BN(1) },
      }),
    ).to.throw();
    expect(() =>
      // @ts-expect-error: `args.amount` is required
      nested.instruction("settle", { accounts: build(new BN(1)).accounts }),
    ).to.throw("settle: argument amount is missing");
    expect(() =>
      market.program.instruction("acceptAdmin", {
        // @ts-expect-error: `config` is missing
        accounts: { newAdmin: signer },
      }),
    ).to.throw("acceptAdmin: account config is missing");
    expect(nested.errors.get(6000)).to.deep.equal({ name: "Nope", msg: "Not this." });
    expect(nested.errorNames.Nope).to.equal("Nope");
  });
});

/** Every instruction account of `idl` (camelCase, composite groups flattened) with a PDA. */
function pdaAccounts(program: { idl: { instructions: readonly unknown[] } }) {
  type Item = {
    name: string;
    accounts?: Item[];
    pda?: { seeds: Array<{ kind: string; value?: number[] }>; program?: { path?: string } };
  };
  const out: Array<{ ix: string; name: string; consts: string[]; program?: string }> = [];
  const walk = (ix: string, items: Item[]) => {
    for (const item of items) {
      if (item.accounts) walk(ix, item.accounts);
      else if (item.pda) {
        const consts = item.pda.seeds
          .filter((s) => s.kind === "const")
          .map((s) => Buffer.from(s.value!).toString("utf8"));
        out.push({ ix, name: item.name, consts, program: item.pda.program?.path });
      }
    }
  };
  for (const ix of program.idl.instructions as Array<{ name: string; accounts: Item[] }>)
    walk(ix.name, ix.accounts);
  return out;
}

describe("sdk / PDA seeds", () => {
  const modules = { market, staking, emissions } as const;
  const seedsOf: Record<string, Readonly<Record<string, string>>> = {
    market: market.SEEDS,
    staking: staking.SEEDS,
    emissions: emissions.SEEDS,
  };
  // A PDA of another program is named by the account holding that program's id.
  const owner = (self: string, program?: string) =>
    program === undefined ? self : program.replace(/Program$/, "");

  for (const [name, mod] of Object.entries(modules)) {
    it(`${name}: SEEDS match the constant seeds of every PDA in the IDL`, () => {
      const accounts = pdaAccounts(mod.program);
      expect(accounts.length).to.be.greaterThan(0);
      for (const a of accounts) {
        const seeds = seedsOf[owner(name, a.program)];
        expect(seeds, `${a.ix}.${a.name}: the seeds of ${a.program}`).to.not.equal(undefined);
        expect(a.consts, `${a.ix}.${a.name}`).to.deep.equal([seeds[a.name]]);
      }
    });

    it(`${name}: every seed is one a PDA of the IDLs uses`, () => {
      const used = Object.values(modules)
        .flatMap((m) => pdaAccounts(m.program).map((a) => ({ ...a, of: m })))
        .filter((a) => seedsOf[owner(nameOf(a.of), a.program)] === seedsOf[name])
        .map((a) => a.name);
      expect(Object.keys(seedsOf[name]).filter((k) => !used.includes(k))).to.deep.equal([]);
    });
  }

  function nameOf(m: unknown): string {
    return Object.entries(modules).find(([, v]) => v === m)![0];
  }

  it("derives the addresses from the seeds and the program id given", () => {
    const mint = Keypair.generate().publicKey;
    const elsewhere = Keypair.generate().publicKey;
    const [expected] = PublicKey.findProgramAddressSync(
      [Buffer.from(staking.SEEDS.pool), mint.toBuffer()],
      elsewhere,
    );
    expect(staking.poolPda(mint, elsewhere).equals(expected)).to.equal(true);
    expect(staking.poolPda(mint).equals(staking.poolPda(mint, staking.program.programId))).to.equal(
      true,
    );
  });
});

describe("sdk / one file touches Anchor", () => {
  it("imports @coral-xyz/anchor only in sdk/src/common/program.ts", () => {
    const root = join(__dirname, "../sdk/src");
    const files: string[] = [];
    const walk = (dir: string) => {
      for (const f of readdirSync(dir)) {
        const p = join(dir, f);
        if (statSync(p).isDirectory()) walk(p);
        else if (p.endsWith(".ts")) files.push(p);
      }
    };
    walk(root);
    const importing = files
      .filter((f) => /from "@coral-xyz\/anchor/.test(readFileSync(f, "utf8")))
      .map((f) => relative(root, f));
    expect(importing).to.deep.equal(["common/program.ts"]);
  });
});
