// The bootstrap (`crucible init --config`, `migrations/deploy.ts`): a network from a config
// file, a second run that sends nothing, differences refused or applied with --update, and bad
// configs rejected with the field named.
import { execFile } from "child_process";
import { mkdtempSync, writeFileSync } from "fs";
import { tmpdir } from "os";
import { join, resolve } from "path";
import { PublicKey } from "@solana/web3.js";
import { expect } from "chai";

import { ConfigError, validateConfig } from "../cli/src/bootstrap";
import { emissions, market, MarketClient, staking } from "../sdk/src";
import { getProvider } from "./harness/env";
import { requiresTimeTravel, warp } from "./harness/cheatcodes";
import { payerOf } from "./harness/fixtures";

const ROOT = resolve(__dirname, "..");
const BIN = join(ROOT, "cli", "bin", "crucible.js");

interface Run {
  code: number;
  stdout: string;
  stderr: string;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  json: any;
}

let dir: string;

/** `crucible init --config <config>` as the test wallet (the admin); never throws. */
function init(config: unknown, ...flags: string[]): Promise<Run> {
  const file = join(dir, `config-${Math.random().toString(36).slice(2)}.json`);
  writeFileSync(file, typeof config === "string" ? config : JSON.stringify(config, null, 2));
  const url = getProvider().connection.rpcEndpoint;
  return new Promise((done) => {
    execFile(
      process.execPath,
      [
        BIN,
        "init",
        "--config",
        file,
        ...flags,
        "--url",
        url,
        "--keypair",
        process.env.ANCHOR_WALLET!,
      ],
      { cwd: ROOT, env: { ...process.env, HOME: join(dir, "home") }, timeout: 90_000 },
      (err, stdout, stderr) => {
        let json: unknown;
        try {
          json = JSON.parse(stdout);
        } catch (_e) {
          json = undefined;
        }
        done({
          code: err ? (typeof err.code === "number" ? err.code : -1) : 0,
          stdout,
          stderr,
          json,
        });
      },
    );
  });
}

async function txCount(key: PublicKey): Promise<number> {
  return (await getProvider().connection.getSignaturesForAddress(key, { limit: 1000 }, "confirmed"))
    .length;
}

const freshId = () => BigInt(Date.now()) * 1000n + BigInt(Math.floor(Math.random() * 1000));

/** A config of two new markets and a vault over the validator's network (its mint, if any). */
function networkConfig() {
  const a = freshId();
  return {
    mint: { decimals: 6 },
    staking: { minStake: "1", unbondingSecs: 1_209_600 },
    markets: [
      { id: a.toString(), name: "boot-a100" },
      {
        id: (a + 1n).toString(),
        name: "boot-h100",
        params: { burnBps: 2_500, feeBps: 500, maxDurationSecs: "1d", minProviderStake: "50.5" },
      },
    ],
    vaults: [
      {
        id: (a + 2n).toString(),
        initialPerHour: "1.5",
        decayBps: 102,
        periodHours: 730,
        cap: "100",
        fundFrom: "mint",
        recipients: [
          { to: "stakingRewardVault", shareBps: 8_000 },
          { to: "treasury", shareBps: 2_000 },
        ],
      },
    ],
  };
}

describe("bootstrap / crucible init and migrations/deploy.ts", function () {
  this.timeout(180_000);
  const provider = getProvider();
  const admin = payerOf(provider).publicKey;

  before(() => {
    dir = mkdtempSync(join(tmpdir(), "crucible-boot-"));
  });

  it("creates what is missing, then a second run finds everything and sends nothing", async () => {
    const config = networkConfig();
    const first = await init(config, "--json");
    expect(first.code, first.stderr).to.equal(0);
    const status = Object.fromEntries(
      first.json.items.map((i: { item: string; status: string }) => [i.item, i.status]),
    );
    const [a, b] = config.markets;
    expect(status[`market ${a.id} (${a.name})`]).to.equal("created");
    expect(status[`market ${b.id} (${b.name})`]).to.equal("created");
    expect(status[`vault ${config.vaults[0].id}`]).to.equal("created");
    // The vault pays the staking pool, so the pool registers it as a reward source.
    expect(status[`vault ${config.vaults[0].id} as reward source`]).to.equal("created");
    expect(first.json.signatures.length).to.be.at.least(3);
    expect(first.json.nothingToDo).to.equal(false);

    // What the chain holds now is what the config says, in base units.
    const mint = new PublicKey(first.json.mint);
    const mb = await market.fetchMarket(provider.connection, market.marketPda(BigInt(b.id)));
    expect(mb!.name).to.equal("boot-h100");
    expect(mb!.params.burnBps).to.equal(2_500);
    expect(mb!.params.maxDurationSecs).to.equal(86_400n);
    expect(mb!.params.minProviderStake).to.equal(50_500_000n);
    // The liveness parameters default to a 14-day lifetime and a 15-minute quit grace.
    expect([mb!.params.jobLifetimeSecs, mb!.params.quitGraceSecs]).to.deep.equal([
      14n * 86_400n,
      900n,
    ]);
    expect(mb!.arbiter.equals(admin)).to.equal(true);
    expect(mb!.stakingPool.equals(staking.poolPda(mint))).to.equal(true);
    const vault = await emissions.fetchEmissionVault(
      provider.connection,
      emissions.vaultPda(mint, BigInt(config.vaults[0].id)),
    );
    expect(vault!.cap).to.equal(100_000_000n);
    expect(vault!.initialPerHour).to.equal(1_500_000n);
    const cfg = await new MarketClient(provider).fetchConfig();
    expect(vault!.recipients.map((r) => [r.tokenAccount.toBase58(), r.shareBps])).to.deep.equal([
      [staking.rewardVaultPda(staking.poolPda(mint)).toBase58(), 8_000],
      [cfg!.treasury.toBase58(), 2_000],
    ]);

    const before = await txCount(admin);
    const second = await init(config, "--json");
    expect(second.code, second.stderr).to.equal(0);
    expect(second.json.nothingToDo).to.equal(true);
    expect(second.json.signatures).to.deep.equal([]);
    for (const item of second.json.items) expect(item.status, item.item).to.equal("nothing to do");
    expect(await txCount(admin)).to.equal(before);

    // The human output says so, item by item.
    const human = await init(config);
    expect(human.code).to.equal(0);
    expect(human.stdout).to.match(/market \d+ \(boot-a100\) +\S+ +nothing to do/);
    expect(human.stdout).to.contain("nothing to do: the chain already matches the config");
    expect(await txCount(admin)).to.equal(before);

    // migrations/deploy.ts runs the same bootstrap: nothing to do either.
    const file = join(dir, "deploy.json");
    writeFileSync(file, JSON.stringify(config));
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const hook = require("../migrations/deploy") as typeof import("../migrations/deploy");
    const lines: string[] = [];
    const report = await hook.deploy(provider, file, { log: (l) => lines.push(l) });
    expect(report.nothingToDo).to.equal(true);
    expect(report.signatures).to.deep.equal([]);
    expect(lines[lines.length - 1]).to.contain("nothing to do");
    expect(await txCount(admin)).to.equal(before);
  });

  it("creates a work pool before the vault that pays it and the market that records in it", async () => {
    const config = networkConfig() as ReturnType<typeof networkConfig> & {
      workPools?: unknown[];
    };
    const poolId = freshId();
    const vaultId = config.vaults[0].id;
    // Its destination is the treasury: a pool paying the staking pool's reward vault is also
    // registered as the pool's reward source (the programs' tests cover that), which would
    // make every other suite's activation wait for this pool's crank.
    config.workPools = [
      { id: poolId.toString(), vault: vaultId, capBps: 5_000, destination: "treasury" },
    ];
    (config.markets[1] as Record<string, unknown>).workPool = poolId.toString();
    config.vaults[0].recipients = [
      { to: "stakingRewardVault", shareBps: 7_000 },
      { to: `workPool:${poolId}`, shareBps: 3_000 },
    ];
    const first = await init(config, "--json");
    expect(first.code, first.stderr).to.equal(0);
    const items: string[] = first.json.items.map((i: { item: string }) => i.item);
    const at = (label: string) => items.indexOf(label);
    expect(at(`work pool ${poolId}`)).to.be.greaterThan(-1);
    expect(at(`work pool ${poolId}`)).to.be.lessThan(at(`vault ${vaultId}`));
    expect(at(`work pool ${poolId}`)).to.be.lessThan(
      at(`market ${config.markets[1].id} (${config.markets[1].name})`),
    );
    expect(items).to.not.include(`work pool ${poolId} as reward source`);
    const mint = new PublicKey(first.json.mint);
    const pool = emissions.workPoolPda(mint, poolId);
    const p = await emissions.fetchWorkPool(provider.connection, pool);
    expect(p!.capBps).to.equal(5_000);
    const treasury = (await new MarketClient(provider).fetchConfig())!.treasury;
    expect(p!.destination.equals(treasury)).to.equal(true);
    expect(p!.emissionVault.equals(emissions.vaultPda(mint, BigInt(vaultId)))).to.equal(true);
    const m = await market.fetchMarket(
      provider.connection,
      market.marketPda(BigInt(config.markets[1].id)),
    );
    expect(m!.workPool!.equals(pool)).to.equal(true);
    const v = await emissions.fetchEmissionVault(provider.connection, p!.emissionVault);
    expect(v!.recipients[1].tokenAccount.equals(emissions.workTokensPda(pool))).to.equal(true);
    // A second run finds it all; a pool that differs is refused (nothing in a pool changes).
    expect((await init(config, "--json")).json.nothingToDo).to.equal(true);
    config.workPools = [
      { id: poolId.toString(), vault: vaultId, capBps: 10_000, destination: "treasury" },
    ];
    const refused = await init(config, "--update", "--json");
    expect(refused.code).to.equal(1);
    expect(refused.stderr).to.contain(
      "workPools[0].capBps: 5000 on chain, 10000 in the config (cannot be changed)",
    );
  });

  it("refuses a market that differs until --update, then updates it with update_market", async () => {
    const config = networkConfig();
    expect((await init(config, "--json")).code).to.equal(0);
    const changed = structuredClone(config);
    changed.markets[0] = { ...changed.markets[0], params: { feeBps: 300 } } as never;

    const before = await txCount(admin);
    const refused = await init(changed, "--json");
    expect(refused.code).to.equal(1);
    expect(refused.stderr).to.contain(
      "markets[0].params.feeBps: 500 on chain, 300 in the config (run with --update to apply)",
    );
    expect(refused.stderr).to.match(/\(ConfigMismatch\)\n$/);
    expect(refused.json.error.name).to.equal("ConfigMismatch");
    expect(await txCount(admin)).to.equal(before);

    const updated = await init(changed, "--update", "--json");
    expect(updated.code, updated.stderr).to.equal(0);
    const item = updated.json.items.find((i: { item: string }) => i.item.includes("boot-a100"));
    expect(item.status).to.equal("updated");
    expect(item.changes).to.deep.equal([
      { field: "markets[0].params.feeBps", chain: "500", config: "300", updatable: true },
    ]);
    expect(updated.json.signatures).to.have.length(1);
    const m = await market.fetchMarket(
      provider.connection,
      market.marketPda(BigInt(config.markets[0].id)),
    );
    expect(m!.params.feeBps).to.equal(300);

    const again = await init(changed, "--update", "--json");
    expect(again.json.nothingToDo).to.equal(true);
  });

  it("refuses to change what cannot change (a vault's schedule), even with --update", async () => {
    const config = networkConfig();
    expect((await init(config, "--json")).code).to.equal(0);
    const changed = structuredClone(config);
    changed.vaults[0].cap = "200";
    const before = await txCount(admin);
    const refused = await init(changed, "--update", "--json");
    expect(refused.code).to.equal(1);
    expect(refused.stderr).to.contain("vaults[0].cap:");
    expect(refused.stderr).to.contain("a vault's schedule cannot change");
    expect(await txCount(admin)).to.equal(before);
  });

  it("changes a non-revocable vault's recipients with --update in two runs: a public proposal, then its execution after the delay", async function () {
    await requiresTimeTravel(this);
    const config = networkConfig();
    expect((await init(config, "--json")).code).to.equal(0);
    const mint = new PublicKey((await init(config, "--json")).json.mint);
    const address = emissions.vaultPda(mint, BigInt(config.vaults[0].id));
    const changed = structuredClone(config);
    changed.vaults[0].recipients[0].shareBps = 9_000;
    changed.vaults[0].recipients[1].shareBps = 1_000;
    const shares = async () =>
      (await emissions.fetchEmissionVault(provider.connection, address))!.recipients.map(
        (r) => r.shareBps,
      );

    const proposed = await init(changed, "--update", "--json");
    expect(proposed.code, proposed.stderr).to.equal(0);
    const item = (r: Run) =>
      r.json.items.find((i: { item: string }) => i.item === `vault ${config.vaults[0].id}`);
    expect(item(proposed).status).to.equal("updated");
    expect(item(proposed).note).to.contain("proposes the recipients");
    const v = (await emissions.fetchEmissionVault(provider.connection, address))!;
    expect(v.proposedRecipients.map((r) => r.shareBps)).to.deep.equal([9_000, 1_000]);
    expect(await shares()).to.deep.equal([8_000, 2_000]);

    // Before the delay: the proposal is pending, nothing is sent.
    const before = await txCount(admin);
    const pending = await init(changed, "--update", "--json");
    expect(pending.code, pending.stderr).to.equal(0);
    expect(item(pending).status).to.equal("nothing to do");
    expect(item(pending).note).to.contain("pending");
    expect(await txCount(admin)).to.equal(before);

    await warp(provider, emissions.MIN_NON_REVOCABLE_RECIPIENTS_DELAY_SECS);
    const executed = await init(changed, "--update", "--json");
    expect(executed.code, executed.stderr).to.equal(0);
    expect(item(executed).status).to.equal("updated");
    expect(item(executed).note).to.contain("executes");
    expect(await shares()).to.deep.equal([9_000, 1_000]);
    expect((await init(changed, "--json")).json.nothingToDo).to.equal(true);
  });

  it("plans without sending (--dry-run)", async () => {
    const config = networkConfig();
    const before = await txCount(admin);
    const plan = await init(config, "--dry-run", "--json");
    expect(plan.code, plan.stderr).to.equal(0);
    expect(plan.json.dryRun).to.equal(true);
    const statuses = plan.json.items.map((i: { status: string }) => i.status);
    // Two markets, the vault, and the vault as the staking pool's reward source.
    expect(statuses.filter((s: string) => s === "would create")).to.have.length(4);
    expect(await txCount(admin)).to.equal(before);
    expect(
      await provider.connection.getAccountInfo(market.marketPda(BigInt(config.markets[0].id))),
    ).to.equal(null);
  });

  describe("rejects a bad config, naming the field (exit 2, nothing sent)", () => {
    type Config = ReturnType<typeof networkConfig>;
    const cases: Array<[string, (c: Config) => unknown, string]> = [
      [
        "a bps out of range",
        (c) => ((c.markets[0] as Record<string, unknown>).params = { burnBps: 20_000 }),
        "markets[0].params.burnBps: must be 0..10000, got 20000",
      ],
      [
        "burn + fee above 10000",
        (c) =>
          ((c.markets[0] as Record<string, unknown>).params = { burnBps: 6_000, feeBps: 5_000 }),
        "markets[0].params.feeBps: burnBps + feeBps must be at most 10000, got 11000",
      ],
      [
        "a window out of bounds",
        (c) => ((c.markets[0] as Record<string, unknown>).params = { disputeWindowSecs: 10 }),
        "markets[0].params.disputeWindowSecs: must be between 60 s and 30 days, got 10 s",
      ],
      [
        "a job lifetime shorter than the maximum duration",
        (c) =>
          ((c.markets[0] as Record<string, unknown>).params = {
            maxDurationSecs: "7d",
            jobLifetimeSecs: "6d",
          }),
        "markets[0].params.jobLifetimeSecs: must be between maxDurationSecs (604800 s) and 120 days, got 518400 s",
      ],
      [
        "a quit grace over one day",
        (c) => ((c.markets[0] as Record<string, unknown>).params = { quitGraceSecs: "2d" }),
        "markets[0].params.quitGraceSecs: must be at most 1 day and at most maxDurationSecs (604800 s), got 172800 s",
      ],
      [
        "a bad arbiter key",
        (c) => ((c.markets[1] as Record<string, unknown>).arbiter = "nope"),
        'markets[1].arbiter: "nope" is not a base58 public key',
      ],
      [
        "a name longer than 32 bytes",
        (c) => (c.markets[0].name = "x".repeat(33)),
        "markets[0].name: must be 1 to 32 bytes, got 33",
      ],
      [
        "a duplicate market id",
        (c) => (c.markets[1].id = c.markets[0].id),
        `markets[1].id: market ${"${id}"} appears twice`,
      ],
      [
        "recipient shares that do not sum to 10000",
        (c) => (c.vaults[0].recipients[1].shareBps = 1_000),
        "vaults[0].recipients: shares sum to 9000, must be 10000",
      ],
      [
        "an amount with too many decimals",
        (c) => (c.staking.minStake = "1.1234567"),
        "staking.minStake: 1.1234567 has more decimals than the token's 6",
      ],
      [
        "a fractional amount as a JSON number",
        (c) => ((c.vaults[0] as Record<string, unknown>).cap = 1.5),
        'vaults[0].cap: write fractional amounts as strings ("12.5"), got 1.5',
      ],
      [
        "an unknown field",
        (c) => ((c.markets[0] as Record<string, unknown>).parms = {}),
        "markets[0].parms: unknown field (expected one of: id, name, arbiter, params, workPool)",
      ],
      ["a missing section", (c) => delete (c as Partial<Config>).staking, "staking: is required"],
      [
        "an unbonding delay under an hour",
        (c) => (c.staking.unbondingSecs = 3_599),
        "staking.unbondingSecs: must be at least 3600 seconds (1 hour)",
      ],
      [
        "a recipients delay below 48 h for a non-revocable vault",
        (c) => ((c.vaults[0] as Record<string, unknown>).recipientsDelaySecs = "1h"),
        "vaults[0].recipientsDelaySecs: must be at least 48h for a non-revocable vault, got 1h",
      ],
      [
        "a recipients delay above 30 days",
        (c) => ((c.vaults[0] as Record<string, unknown>).recipientsDelaySecs = "31d"),
        "vaults[0].recipientsDelaySecs: must be at most 30d, got 31d",
      ],
      [
        "a market recording in a work pool the config does not list",
        (c) => ((c.markets[0] as Record<string, unknown>).workPool = "9"),
        "markets[0].workPool: names work pool 9, which workPools does not list",
      ],
      [
        "a vault paying a work pool the config does not list",
        (c) => (c.vaults[0].recipients[1] = { to: "workPool:9", shareBps: 2_000 }),
        "vaults[0].recipients[1].to: names work pool 9, which workPools does not list",
      ],
      [
        "a work pool following a vault the config does not list",
        (c) =>
          ((c as Record<string, unknown>).workPools = [{ id: "1", vault: "9", capBps: 10_000 }]),
        "workPools[0].vault: names vault 9, which vaults does not list",
      ],
      [
        "a work pool with a cap of 0",
        (c) =>
          ((c as Record<string, unknown>).workPools = [
            { id: "1", vault: c.vaults[0].id, capBps: 0 },
          ]),
        "workPools[0].capBps: must be 1..10000",
      ],
      [
        "a bad fundFrom",
        (c) => ((c.vaults[0] as Record<string, unknown>).fundFrom = "bank"),
        'vaults[0].fundFrom: must be "wallet" or "mint", got "bank"',
      ],
    ];
    for (const [what, mutate, message] of cases) {
      it(what, async () => {
        const config = networkConfig();
        mutate(config);
        const expected = message.replace("${id}", config.markets[0].id);
        const before = await txCount(admin);
        const r = await init(config, "--json");
        expect(r.code, r.stderr).to.equal(2);
        expect(r.stderr).to.equal(`error: init: ${expected} (InvalidConfig)\n`);
        expect(r.json.error.name).to.equal("InvalidConfig");
        expect(await txCount(admin)).to.equal(before);
        // The module says the same, with the path apart.
        try {
          validateConfig(config);
          expect.fail("validateConfig accepted a bad config");
        } catch (e) {
          expect(e).to.be.instanceOf(ConfigError);
          expect((e as ConfigError).message).to.equal(expected);
          expect(expected.startsWith((e as ConfigError).path)).to.equal(true);
        }
      });
    }

    it("a file that is not JSON", async () => {
      const r = await init("{ not json", "--json");
      expect(r.code).to.equal(2);
      expect(r.stderr).to.match(/^error: init: --config: .* is not JSON: .* \(InvalidConfig\)\n$/);
    });
  });
});
