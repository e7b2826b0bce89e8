// Surfpool's cheatcodes as a client sees them (raw JSON-RPC, web3.js and spl-token, no Crucible
// SDK): surfnet_timeTravel, surfnet_setAccount, surfnet_setTokenAccount, the harness's warp on
// top of them, and the detection that skips the suites that need them on a validator without
// them (solana-test-validator). The detection's own tests use a stand-in server, so they run
// anywhere; the others skip where the cheatcodes are missing.
import { spawn } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { AddressInfo } from "node:net";
import { createServer, Server } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";

import {
  createAccount,
  createMint,
  getAccount,
  getAssociatedTokenAddressSync,
  getMint,
  transfer,
} from "@solana/spl-token";
import {
  Connection,
  Keypair,
  SystemProgram,
  Transaction,
  sendAndConfirmTransaction,
} from "@solana/web3.js";
import { expect } from "chai";

import {
  canTimeTravel,
  readClock,
  requiresCheatcodes,
  requiresTimeTravel,
  setAccount,
  setTokenAccount,
  skipLine,
  timeTravel,
  warp,
} from "./harness/cheatcodes";
import { RpcError, fundedKeypair, getProvider, rpcCall } from "./harness/env";

const EPOCH_INFO_KEYS = [
  "absoluteSlot",
  "blockHeight",
  "epoch",
  "slotIndex",
  "slotsInEpoch",
  "transactionCount",
];

/** The error of a call that must fail. */
async function rpcError(url: string, method: string, params: unknown[]): Promise<RpcError> {
  try {
    await rpcCall(url, method, params);
  } catch (e) {
    expect(e).to.be.instanceOf(RpcError);
    return e as RpcError;
  }
  throw new Error(`${method} ${JSON.stringify(params)} should have failed`);
}

describe("localnet / cheatcodes", () => {
  const provider = getProvider();
  const connection = provider.connection;
  const url = connection.rpcEndpoint;

  describe("surfnet_timeTravel", () => {
    it("moves the Clock sysvar, the slot and getEpochInfo to an absolute timestamp, answering getEpochInfo", async function () {
      await requiresTimeTravel(this);
      const before = await readClock(connection);
      const info = await timeTravel(url, {
        absoluteTimestamp: (before.unixTimestamp + 7_200) * 1000,
      });
      expect(Object.keys(info).sort()).to.deep.equal(EPOCH_INFO_KEYS);
      // Two hours at 400 ms a slot.
      expect(info.absoluteSlot).to.be.at.least(before.slot + 18_000);
      const after = await readClock(connection);
      // Surfpool's clock also follows the wall clock; crucible-localnet's reads exactly +7200.
      expect(after.unixTimestamp).to.be.at.least(before.unixTimestamp + 7_200);
      expect(after.unixTimestamp).to.be.lessThan(before.unixTimestamp + 7_200 + 60);
      expect(after.slot).to.be.at.least(info.absoluteSlot);
      expect((await connection.getEpochInfo("confirmed")).absoluteSlot).to.be.at.least(
        info.absoluteSlot,
      );
    });

    it("moves to an absolute slot, then to the first slot of the next epoch", async function () {
      await requiresTimeTravel(this);
      const { absoluteSlot } = await connection.getEpochInfo("confirmed");
      const atSlot = await timeTravel(url, { absoluteSlot: absoluteSlot + 1_000 });
      expect(atSlot.absoluteSlot).to.be.at.least(absoluteSlot + 1_000);
      const next = await timeTravel(url, { absoluteEpoch: atSlot.epoch + 1 });
      expect(next.epoch).to.equal(atSlot.epoch + 1);
      expect(next.slotIndex).to.equal(0);
      expect((await readClock(connection)).epoch).to.be.at.least(atSlot.epoch + 1);
    });

    it("refuses to travel into the past (-32603, the reason as data), moving nothing", async function () {
      await requiresTimeTravel(this);
      const before = await readClock(connection);
      const e = await rpcError(url, "surfnet_timeTravel", [
        { absoluteTimestamp: (before.unixTimestamp - 3_600) * 1000 },
      ]);
      expect(e.code).to.equal(-32603);
      expect(e.data).to.match(/^Cannot travel to past timestamp: target=\d+, current=\d+$/);
      const after = await readClock(connection);
      expect(after.unixTimestamp - before.unixTimestamp)
        .to.be.at.least(0)
        .and.lessThan(5);
    });

    it("refuses a config that is not one of the three targets (-32602)", async function () {
      await requiresTimeTravel(this);
      for (const config of [{ relativeSlot: 5 }, "probe", { absoluteSlot: -1 }]) {
        const e = await rpcError(url, "surfnet_timeTravel", [config]);
        expect(e.code, JSON.stringify(config)).to.equal(-32602);
      }
    });
  });

  describe("surfnet_setAccount", () => {
    it("sets lamports, data and owner of a new account, then only its lamports", async function () {
      await requiresCheatcodes(this);
      const key = Keypair.generate().publicKey;
      const owner = Keypair.generate().publicKey;
      const answer = await rpcCall<{ context: { slot: number }; value: null }>(
        url,
        "surfnet_setAccount",
        [key.toBase58(), { lamports: 2_000_000, data: "0a0b0c", owner: owner.toBase58() }],
      );
      expect(answer.value).to.equal(null);
      expect(answer.context.slot).to.be.a("number");
      let info = await connection.getAccountInfo(key, "confirmed");
      expect(info?.lamports).to.equal(2_000_000);
      expect(info?.owner.toBase58()).to.equal(owner.toBase58());
      expect(info?.executable).to.equal(false);
      expect([...info!.data]).to.deep.equal([10, 11, 12]);

      await setAccount(url, key, { lamports: 3_000_000 });
      info = await connection.getAccountInfo(key, "confirmed");
      expect(info?.lamports).to.equal(3_000_000);
      expect([...info!.data]).to.deep.equal([10, 11, 12]);
      expect(info?.owner.toBase58()).to.equal(owner.toBase58());
    });

    it("refuses bad hex (-32602), changing nothing", async function () {
      await requiresCheatcodes(this);
      const key = Keypair.generate().publicKey;
      await setAccount(url, key, { lamports: 1_000_000, data: "01" });
      const e = await rpcError(url, "surfnet_setAccount", [
        key.toBase58(),
        { lamports: 5, data: "0g" },
      ]);
      expect(e.code).to.equal(-32602);
      expect(e.rpcMessage).to.include("Invalid hex data provided");
      const info = await connection.getAccountInfo(key, "confirmed");
      expect(info?.lamports).to.equal(1_000_000);
      expect([...info!.data]).to.deep.equal([1]);
    });
  });

  describe("surfnet_setTokenAccount", () => {
    it("gives an owner tokens in its associated account, which SPL Token then moves and freezes", async function () {
      await requiresCheatcodes(this);
      const payer = await fundedKeypair(provider, 2);
      const alice = Keypair.generate();
      const bob = Keypair.generate();
      const mint = await createMint(connection, payer, payer.publicKey, null, 6);
      await setTokenAccount(url, alice.publicKey, mint, { amount: 1_000_000 });
      const aliceAta = getAssociatedTokenAddressSync(mint, alice.publicKey);
      expect((await getAccount(connection, aliceAta, "confirmed")).amount).to.equal(1_000_000n);

      const bobAta = await createAccount(connection, payer, mint, bob.publicKey);
      await transfer(connection, payer, aliceAta, bobAta, alice, 400_000n);
      expect((await getAccount(connection, aliceAta, "confirmed")).amount).to.equal(600_000n);
      expect((await getAccount(connection, bobAta, "confirmed")).amount).to.equal(400_000n);
      // A cheat: the mint's supply does not follow.
      expect((await getMint(connection, mint, "confirmed")).supply).to.equal(0n);

      await setTokenAccount(url, alice.publicKey, mint, { state: "frozen" });
      expect((await getAccount(connection, aliceAta, "confirmed")).isFrozen).to.equal(true);
      let failed = false;
      try {
        await transfer(connection, payer, aliceAta, bobAta, alice, 1n);
      } catch (_e) {
        failed = true;
      }
      expect(failed, "a frozen account cannot send").to.equal(true);
      expect((await getAccount(connection, aliceAta, "confirmed")).amount).to.equal(600_000n);
    });

    it("refuses an unknown state and a mint that does not exist (-32602), changing nothing", async function () {
      await requiresCheatcodes(this);
      const payer = await fundedKeypair(provider, 1);
      const owner = Keypair.generate().publicKey;
      const mint = await createMint(connection, payer, payer.publicKey, null, 6);
      await setTokenAccount(url, owner, mint, { amount: 7 });
      const ata = getAssociatedTokenAddressSync(mint, owner);
      for (const [mintKey, update] of [
        [mint, { amount: 8, state: "thawed" }],
        [Keypair.generate().publicKey, { amount: 8 }],
      ] as const) {
        const e = await rpcError(url, "surfnet_setTokenAccount", [
          owner.toBase58(),
          mintKey.toBase58(),
          update,
        ]);
        expect(e.code, e.message).to.equal(-32602);
      }
      expect((await getAccount(connection, ata, "confirmed")).amount).to.equal(7n);
    });
  });

  describe("warp (the harness's, on surfnet_timeTravel)", () => {
    it("advances the slot and the Clock sysvar", async function () {
      await requiresTimeTravel(this);
      const slotBefore = await connection.getSlot("confirmed");
      const clockBefore = await readClock(connection);

      const result = await warp(provider, 3_600);

      expect(result.slot).to.be.greaterThan(slotBefore);
      expect(Number.isSafeInteger(result.unixTimestamp)).to.be.true;
      expect(Number.isSafeInteger(result.epoch)).to.be.true;
      expect(result.unixTimestamp - clockBefore.unixTimestamp).to.be.at.least(3_600);
      expect(await connection.getSlot("confirmed")).to.be.at.least(result.slot);
      const clockAfter = await readClock(connection);
      expect(clockAfter.unixTimestamp).to.be.at.least(result.unixTimestamp);
      expect(clockAfter.slot).to.be.at.least(result.slot);
      expect(clockAfter.epoch).to.be.at.least(result.epoch);
      expect((await connection.getEpochInfo("confirmed")).epoch).to.be.at.least(result.epoch);
    });

    it("keeps transactions confirming through the same Connection after a warp of days", async function () {
      await requiresTimeTravel(this);
      const payer = await fundedKeypair(provider, 1);
      const recipient = Keypair.generate().publicKey;
      const transferTx = () =>
        new Transaction().add(
          SystemProgram.transfer({
            fromPubkey: payer.publicKey,
            toPubkey: recipient,
            lamports: 1_000_000,
          }),
        );
      // Cache a blockhash in the Connection (as a test suite would have), then warp 14 days.
      await sendAndConfirmTransaction(connection, transferTx(), [payer], {
        commitment: "confirmed",
      });
      await warp(provider, 14 * 24 * 3_600);
      const started = Date.now();
      await sendAndConfirmTransaction(connection, transferTx(), [payer], {
        commitment: "confirmed",
      });
      expect(Date.now() - started).to.be.lessThan(5_000);
      expect(await connection.getBalance(recipient, "confirmed")).to.equal(2_000_000);
    });
  });

  describe("requiresTimeTravel (against a stand-in validator)", () => {
    let server: Server;
    let standIn: string;
    let requests: string[];
    /** How the stand-in answers `surfnet_timeTravel`. */
    let timeTravelError: { code: number; message: string };

    before(async () => {
      server = createServer((req, res) => {
        let body = "";
        req.on("data", (chunk) => (body += chunk));
        req.on("end", () => {
          const { id, method } = JSON.parse(body) as { id: unknown; method: string };
          requests.push(method);
          const answer =
            method === "getAccountInfo"
              ? {
                  result: {
                    context: { slot: 1 },
                    value: {
                      data: [Buffer.alloc(40).toString("base64"), "base64"],
                      executable: false,
                      lamports: 1,
                      owner: "Sysvar1111111111111111111111111111111111111",
                      rentEpoch: 0,
                      space: 40,
                    },
                  },
                }
              : method === "surfnet_timeTravel"
                ? { error: timeTravelError }
                : { error: { code: -32601, message: "Method not found" } };
          res.setHeader("Content-Type", "application/json");
          res.end(JSON.stringify({ jsonrpc: "2.0", id, ...answer }));
        });
      });
      await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
      standIn = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    });

    after(() => new Promise<void>((resolve) => server.close(() => resolve())));

    beforeEach(() => {
      requests = [];
      timeTravelError = { code: -32601, message: "Method not found" };
    });

    it("skips, after one line naming the endpoint and the answer, where surfnet_timeTravel is Method not found", async () => {
      const lines: string[] = [];
      // A path of its own: the probe is asked once per endpoint.
      const endpoint = `${standIn}/no-cheatcodes`;
      expect(await canTimeTravel(endpoint, (l) => lines.push(l))).to.equal(false);
      expect(await canTimeTravel(endpoint, (l) => lines.push(l))).to.equal(false);
      expect(lines).to.deep.equal([skipLine(endpoint)]);
      expect(lines[0]).to.include("surfnet_timeTravel").and.include("-32601");
      expect(requests).to.deep.equal(["surfnet_timeTravel"], "detected once");

      let skipped = 0;
      const ctx = { skip: () => void skipped++ } as unknown as Mocha.Context;
      await requiresTimeTravel(ctx, endpoint);
      expect(skipped).to.equal(1);
      expect(requests).to.have.length(1);
    });

    it("does not skip where surfnet_timeTravel answers anything else (the probe's config is refused)", async () => {
      timeTravelError = { code: -32602, message: "Invalid params" };
      const lines: string[] = [];
      expect(await canTimeTravel(`${standIn}/cheatcodes`, (l) => lines.push(l))).to.equal(true);
      expect(lines).to.deep.equal([]);
      let skipped = 0;
      await requiresTimeTravel(
        { skip: () => void skipped++ } as unknown as Mocha.Context,
        `${standIn}/cheatcodes`,
      );
      expect(skipped).to.equal(0);
    });

    it("makes a warp without the check fail loudly rather than pass", async () => {
      const e = await warp({ connection: new Connection(`${standIn}/warp`) }, 60).then(
        () => undefined,
        (err: Error) => err,
      );
      expect(e?.message).to.include("does not implement surfnet_timeTravel");
      expect(e?.message).to.include("requiresTimeTravel(this)");
    });

    it("reports a suite that needs time travel as pending, not passing, in a mocha run of its own", async () => {
      const dir = mkdtempSync(join(tmpdir(), "crucible-skip-"));
      const wallet = join(dir, "wallet.json");
      writeFileSync(wallet, JSON.stringify(Array.from(Keypair.generate().secretKey)));
      // Asynchronously: the stand-in answers from this process.
      const child = spawn(
        "node_modules/.bin/mocha",
        [
          "--no-config",
          "--require",
          "tsx/cjs",
          "--extension",
          "ts",
          "--reporter",
          "spec",
          "--timeout",
          "30000",
          "tests/fixtures/needs-time-travel.suite.ts",
        ],
        { env: { ...process.env, ANCHOR_PROVIDER_URL: standIn, ANCHOR_WALLET: wallet } },
      );
      let out = "";
      let err = "";
      child.stdout.on("data", (chunk) => (out += chunk));
      child.stderr.on("data", (chunk) => (err += chunk));
      const status = await new Promise<number | null>((resolve) => child.on("close", resolve));
      expect(status, `${out}\n${err}`).to.equal(0);
      expect(out.split("\n").filter((l) => l === skipLine(standIn))).to.have.length(1, out);
      expect(out).to.match(/\b0 passing\b/);
      expect(out).to.match(/\b2 pending\b/);
      expect(out).to.not.include("failing");
    });
  });
});
