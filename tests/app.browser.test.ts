// The dApp (app/) in headless Chromium against the test validator: every page loads with no
// console error (a screenshot of each is kept in test-artifacts/screenshots/), a client posts a
// job in one browser context and a provider accepts and submits it in another, each change
// appearing in the other context without a reload, and the client completes it; a failing
// action shows the program's error name. The bundle keeps to the budget the README states, and
// the SDK bundles on its own for the browser, where its builders give the instructions they
// give in Node.
import { mkdirSync, readFileSync } from "node:fs";
import { join } from "node:path";

import {
  getAssociatedTokenAddressSync,
  getOrCreateAssociatedTokenAccount,
  mintTo,
} from "@solana/spl-token";
import { Keypair, PublicKey } from "@solana/web3.js";
import { expect } from "chai";
import type { Browser, BrowserContext, Page } from "playwright-core";

import { emissions, EmissionsClient, market, staking } from "../sdk/src";
import { buildApp, bundleSdk, DIST, gzipSizes, launch, ROOT, serve } from "./harness/browser";
import { requiresCheatcodes, requiresTimeTravel, setAccount, warp } from "./harness/cheatcodes";
import { payerOf, TOKEN, tokenBalance } from "./harness/fixtures";
import { defaultParams, marketWorld, MarketWorld } from "./harness/market";

const SHOTS = join(ROOT, "test-artifacts", "screenshots");

/** The page's document, in functions that run in the browser (this project has no DOM types). */
type Doc = { querySelector(selector: string): { textContent: string | null } | null };

/** The budget the README states: "The bundle's budget is **N kB gzip** ...". */
function budgetBytes(): number {
  const readme = readFileSync(join(ROOT, "README.md"), "utf8");
  const m = /budget is \*\*(\d+) kB gzip\*\*/.exec(readme);
  if (!m) throw new Error("README.md states no bundle budget");
  return Number(m[1]) * 1000;
}

describe("app / the dApp in headless Chromium", function () {
  this.timeout(300_000);
  let browser: Browser;
  let site: { url: string; close: () => Promise<void> };
  let w: MarketWorld;
  const rpc = () => w.provider.connection.rpcEndpoint;
  const errors: string[] = [];
  const contexts: BrowserContext[] = [];

  /** A page of the app as `key` (a wallet that signs), at `route`; console errors recorded. */
  async function open(who: string, key: Keypair | undefined, route: string): Promise<Page> {
    const ctx = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    contexts.push(ctx);
    const page = await ctx.newPage();
    page.on("console", (m) => {
      if (m.type() === "error") errors.push(`${who}: ${m.text()}`);
    });
    page.on("pageerror", (e) => errors.push(`${who}: ${e.message}`));
    await page.goto(url(key, route));
    await rendered(page);
    return page;
  }

  function url(key: Keypair | undefined, route: string): string {
    const k = key ? `&key=${encodeURIComponent(JSON.stringify([...key.secretKey]))}` : "";
    return `${site.url}?rpc=${encodeURIComponent(rpc())}${k}${route}`;
  }

  const rendered = (page: Page) =>
    page.waitForSelector('[data-testid="page-view"][data-rendered]', { timeout: 30_000 });
  const tid = (page: Page, id: string) => page.locator(`[data-testid="${id}"]`);

  /** Waits for the transaction panel to leave "pending"; returns its status and error name. */
  async function txOutcome(page: Page): Promise<{ status: string; error: string; sig: string }> {
    await page.waitForFunction(
      () => {
        const s = (globalThis as unknown as { document: Doc }).document.querySelector(
          '[data-testid="tx-status"]',
        );
        return !!s && s.textContent !== "pending" && s.textContent !== "";
      },
      null,
      { timeout: 60_000 },
    );
    return {
      status: (await tid(page, "tx-status").textContent()) ?? "",
      error: (await tid(page, "tx-error").textContent()) ?? "",
      sig: (await tid(page, "tx-signature").textContent()) ?? "",
    };
  }

  /** Mints `amount` into `owner`'s associated token account (created if missing). */
  async function fundAta(owner: PublicKey, amount: bigint): Promise<PublicKey> {
    const payer = payerOf(w.provider);
    const { connection } = w.provider;
    const ata = await getOrCreateAssociatedTokenAccount(connection, payer, w.mint, owner);
    await mintTo(connection, payer, w.mint, ata.address, payer, amount);
    return ata.address;
  }

  const jobState = (page: Page, state: string) =>
    page.waitForFunction(
      (s) =>
        (globalThis as unknown as { document: Doc }).document.querySelector(
          '[data-testid="job-state"]',
        )?.textContent === s,
      state,
      { timeout: 30_000 },
    );

  before(async () => {
    mkdirSync(SHOTS, { recursive: true });
    buildApp();
    w = await marketWorld();
    // The app pays from the wallet's associated token account, as a dApp does.
    await fundAta(w.client.key.publicKey, 1_000n * TOKEN);
    await fundAta(w.worker.key.publicKey, 100n * TOKEN);
    site = await serve(DIST);
    browser = await launch();
  });

  after(async () => {
    for (const c of contexts) await c.close();
    await browser?.close();
    await site?.close();
  });

  it("keeps the bundle within the budget the README states", () => {
    const { total, byFile } = gzipSizes(DIST);
    expect(total, JSON.stringify(byFile)).to.be.at.most(budgetBytes());
    expect(Object.keys(byFile).some((f) => f.endsWith(".js"))).to.equal(true);
  });

  it("posts a job as a client; the provider sees it, accepts and submits; the client sees each change live and completes it", async () => {
    const provider = await open("provider", w.worker.key, `#/market/${w.market.toBase58()}`);
    const client = await open("client", w.client.key, `#/market/${w.market.toBase58()}`);
    await tid(client, "post-job-price").fill("20.5");
    await tid(client, "post-job-duration").fill("1h");
    await tid(client, "post-job-submit").click();
    const posted = await txOutcome(client);
    expect(posted.status, posted.error).to.equal("confirmed");
    const job = ((await tid(client, "post-job-link").textContent()) ?? "").trim();
    const onChain = await market.fetchJob(w.provider.connection, new PublicKey(job));
    expect(onChain!.price).to.equal(20_500_000n);
    // The provider's market page shows the new job without a reload.
    await provider.waitForSelector(`[data-testid="job-row-${job}"]`, { timeout: 30_000 });

    await client.goto(url(w.client.key, `#/job/${job}`));
    await rendered(client);
    await jobState(client, "open");
    // A failing action shows the program's error by name: disputing a job not submitted.
    await tid(client, "dispute").click();
    const refused = await txOutcome(client);
    expect(refused.status).to.equal("failed");
    expect(refused.error, (await tid(client, "tx-message").textContent()) ?? "").to.equal(
      "JobNotSubmitted",
    );

    await provider.click(`[data-testid="job-link-${job}"]`);
    await rendered(provider);
    await tid(provider, "accept").click();
    expect((await txOutcome(provider)).status).to.equal("confirmed");
    await jobState(client, "running");
    await tid(provider, "submit-result").fill("the result");
    await tid(provider, "submit").click();
    expect((await txOutcome(provider)).status).to.equal("confirmed");
    await jobState(client, "submitted");
    await tid(client, "complete").click();
    const done = await txOutcome(client);
    expect(done.status, done.error).to.equal("confirmed");
    await jobState(provider, "closed");
    expect(await market.fetchJob(w.provider.connection, new PublicKey(job))).to.equal(null);
    await client.screenshot({ path: join(SHOTS, "job.png"), fullPage: true });
  });

  it("quits a running job as its provider; the client sees it open again live", async () => {
    const { job } = await w.markets.createJob({
      market: w.market,
      price: 3n * TOKEN,
      durationSecs: 3_600n,
      client: w.client.key,
      clientToken: w.client.token,
    });
    await w.markets.acceptJob({ job, provider: w.worker.key });
    const client = await open("watcher", w.client.key, `#/job/${job.toBase58()}`);
    await jobState(client, "running");
    const provider = await open("quitter", w.worker.key, `#/job/${job.toBase58()}`);
    await tid(provider, "quit").click();
    const quit = await txOutcome(provider);
    expect(quit.status, quit.error).to.equal("confirmed");
    await jobState(client, "open");
    // It may not take the job it quit again: refused by name.
    await tid(provider, "accept").click();
    const again = await txOutcome(provider);
    expect([again.status, again.error]).to.deep.equal(["failed", "AlreadyQuit"]);
  });

  it("disputes a submitted job as its client; the provider sees it disputed live", async () => {
    const { job } = await w.markets.createJob({
      market: w.market,
      price: 4n * TOKEN,
      durationSecs: 3_600n,
      client: w.client.key,
      clientToken: w.client.token,
    });
    await w.markets.acceptJob({ job, provider: w.worker.key });
    await w.markets.submitResult({ job, resultHash: new Uint8Array(32), provider: w.worker.key });
    const provider = await open("disputed", w.worker.key, `#/job/${job.toBase58()}`);
    await jobState(provider, "submitted");
    const client = await open("disputer", w.client.key, `#/job/${job.toBase58()}`);
    await tid(client, "dispute").click();
    const disputed = await txOutcome(client);
    expect(disputed.status, disputed.error).to.equal("confirmed");
    await jobState(provider, "disputed");
  });

  it("claims its work rewards as a provider: what its burn earned in a pool paid by a vault", async function () {
    await requiresTimeTravel(this);
    const emissionsClient = new EmissionsClient(w.provider);
    const vaultId = emissions.randomVaultId();
    const treasury = (await w.markets.fetchConfig())!.treasury;
    const { pool, tokenVault } = await emissionsClient.createWorkPool({
      mint: w.mint,
      vaultId,
      capBps: 10_000,
      destination: treasury,
    });
    const source = { address: await fundAta(payerOf(w.provider).publicKey, 10_000n * TOKEN) };
    const { vault } = await emissionsClient.createVault({
      mint: w.mint,
      vaultId,
      source: source.address,
      startTs: await emissions.fetchUnixTimestamp(w.provider.connection),
      initialPerHour: 100n * TOKEN,
      decayBps: 0,
      periodHours: 730,
      cap: 10_000n * TOKEN,
      revocable: true,
      recipients: [{ tokenAccount: tokenVault, shareBps: 10_000 }],
    });
    const marketId = 8_000_000n + BigInt(Math.floor(Math.random() * 1_000_000));
    await w.markets.createMarket({
      marketId,
      name: "gpu-work-app",
      arbiter: w.arbiter.publicKey,
      stakingPool: staking.poolPda(w.mint),
      params: defaultParams(),
      workPool: pool,
    });
    const { job } = await w.markets.createJob({
      market: market.marketPda(marketId),
      price: 10n * TOKEN,
      durationSecs: 3_600n,
      client: w.client.key,
      clientToken: w.client.token,
    });
    await w.markets.acceptJob({ job, provider: w.worker.key });
    await w.markets.submitResult({ job, resultHash: new Uint8Array(32), provider: w.worker.key });
    await w.markets.completeJob({ job, providerToken: w.worker.token, client: w.client.key });
    await warp(w.provider, 3_600);
    await emissionsClient.emit({ vault });
    await emissionsClient.crankWorkPool(pool);

    const ata = getAssociatedTokenAddressSync(w.mint, w.worker.key.publicKey);
    const before = await tokenBalance(w.provider, ata);
    const page = await open(
      "claimer",
      w.worker.key,
      `#/provider/${w.worker.key.publicKey.toBase58()}`,
    );
    await tid(page, "claim").click();
    const claimed = await txOutcome(page);
    expect(claimed.status, claimed.error).to.equal("confirmed");
    // The hour's burn (20 % of 10 tokens) is what the pool's cap lets its provider earn.
    expect((await tokenBalance(w.provider, ata)) - before).to.equal(2n * TOKEN);
  });

  it("posts a job priced in USD on a USD market, escrowing what the price account converts to", async function () {
    await requiresCheatcodes(this);
    const feedId = new Uint8Array(32).fill(77);
    const marketId = 8_500_000n + BigInt(Math.floor(Math.random() * 1_000_000));
    await w.markets.createMarket({
      marketId,
      name: "gpu-usd-app",
      arbiter: w.arbiter.publicKey,
      stakingPool: staking.poolPda(w.mint),
      params: defaultParams(),
      usdPricing: { feedId, maxAgeSecs: 3_600, maxConfBps: 100 },
    });
    const usdMarket = market.marketPda(marketId);
    // $0.50 ± $0.001, published now, in the exact on-chain layout.
    const priceAccount = Keypair.generate().publicKey;
    const now = await emissions.fetchUnixTimestamp(w.provider.connection);
    const data = market.encodePriceUpdate({
      writeAuthority: Keypair.generate().publicKey,
      verification: { level: "full" },
      feedId,
      price: 50_000_000n,
      conf: 100_000n,
      exponent: -8,
      publishTime: now,
      prevPublishTime: now - 1n,
      emaPrice: 50_000_000n,
      emaConf: 100_000n,
      postedSlot: 1n,
    });
    await setAccount(rpc(), priceAccount, {
      lamports: 10_000_000,
      data: Buffer.from(data).toString("hex"),
      owner: market.PYTH_RECEIVER_PROGRAM_ID.toBase58(),
    });
    const page = await open("usd-client", w.client.key, `#/market/${usdMarket.toBase58()}`);
    await tid(page, "post-job-price-usd").fill("12.50");
    await tid(page, "post-job-price-account").fill(priceAccount.toBase58());
    await tid(page, "post-job-duration").fill("1h");
    await tid(page, "post-job-submit").click();
    const posted = await txOutcome(page);
    expect(posted.status, posted.error).to.equal("confirmed");
    const job = new PublicKey(((await tid(page, "post-job-link").textContent()) ?? "").trim());
    // $12.50 at the lower bound $0.499, rounded up to the base unit.
    expect(await tokenBalance(w.provider, market.escrowPda(job))).to.equal(25_050_101n);
    expect((await market.fetchJob(w.provider.connection, job))!.usdQuote!.microUsd).to.equal(
      12_500_000n,
    );
  });

  it("stakes exactly the tokens entered as a provider, and refuses an amount finer than the mint", async () => {
    const page = await open(
      "staker",
      w.worker.key,
      `#/provider/${w.worker.key.publicKey.toBase58()}`,
    );
    const before = (await staking.fetchProviderStake(
      w.provider.connection,
      staking.providerStakePda(staking.poolPda(w.mint), w.worker.key.publicKey),
    ))!;
    await tid(page, "stake-amount").fill("2.0000001");
    await tid(page, "stake-submit").click();
    const refused = await txOutcome(page);
    expect([refused.status, refused.error]).to.deep.equal(["failed", "InvalidInput"]);
    await tid(page, "stake-amount").fill("2.5");
    await tid(page, "stake-submit").click();
    const staked = await txOutcome(page);
    expect(staked.status, staked.error).to.equal("confirmed");
    const after = (await staking.fetchProviderStake(
      w.provider.connection,
      staking.providerStakePda(staking.poolPda(w.mint), w.worker.key.publicKey),
    ))!;
    // New stake is active at once (it backs jobs) and warms up before it earns.
    expect(after.active - before.active).to.equal(2_500_000n);
    expect(after.warming - before.warming).to.equal(2_500_000n);
  });

  it("loads every page with no console error, a screenshot of each", async () => {
    const page = await open("viewer", undefined, "#/markets");
    const routes: Array<[string, string]> = [
      ["markets", "#/markets"],
      ["market", `#/market/${w.market.toBase58()}`],
      ["provider", `#/provider/${w.worker.key.publicKey.toBase58()}`],
      ["emissions", "#/emissions"],
      ["network", "#/network"],
      ["job-closed", `#/job/${Keypair.generate().publicKey.toBase58()}`],
    ];
    for (const [name, route] of routes) {
      await page.goto(url(undefined, route));
      await rendered(page);
      expect(((await tid(page, "page-title").textContent()) ?? "").length, name).to.be.greaterThan(
        0,
      );
      await page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });
    }
    expect(errors, errors.join("\n")).to.deep.equal([]);
  });

  it("bundles the SDK on its own for the browser, where its builders give what they give in Node", async () => {
    const code = await bundleSdk();
    expect(code).to.not.match(/from ["'](node:|fs|path|crypto)["']/);
    const page = await (await browser.newContext()).newPage();
    const problems: string[] = [];
    page.on("pageerror", (e) => problems.push(e.message));
    const sdkSite = await serve(DIST, {
      "/sdk-check.html": {
        type: "text/html",
        body: '<!doctype html><script type="module" src="/sdk-check.js"></script>',
      },
      "/sdk-check.js": { type: "text/javascript", body: code },
    });
    try {
      await page.goto(`${sdkSite.url}sdk-check.html`);
      await page.waitForFunction(() => "sdk" in globalThis, null, { timeout: 30_000 });
      const [client, job, m] = [1, 2, 3].map(() => Keypair.generate().publicKey.toBase58());
      // A string, not a function: the test runner's transpiler would wrap a function in helpers
      // the page does not have.
      const inBrowser = await page.evaluate(`(() => {
        const { market: mkt } = globalThis.sdk;
        const Key = mkt.configPda().constructor;
        const ix = mkt.instructions.disputeJob({
          client: new Key(${JSON.stringify(client)}),
          job: new Key(${JSON.stringify(job)}),
          market: new Key(${JSON.stringify(m)}),
        });
        return {
          program: ix.programId.toBase58(),
          keys: ix.keys.map((k) => [k.pubkey.toBase58(), k.isSigner, k.isWritable]),
          data: Array.from(ix.data),
          config: mkt.configPda().toBase58(),
        };
      })()`);
      const ix = market.instructions.disputeJob({
        client: new PublicKey(client),
        job: new PublicKey(job),
        market: new PublicKey(m),
      });
      expect(inBrowser).to.deep.equal({
        program: ix.programId.toBase58(),
        keys: ix.keys.map((k) => [k.pubkey.toBase58(), k.isSigner, k.isWritable]),
        data: Array.from(ix.data),
        config: market.configPda().toBase58(),
      });
      expect(problems).to.deep.equal([]);
    } finally {
      await sdkSite.close();
    }
  });
});
