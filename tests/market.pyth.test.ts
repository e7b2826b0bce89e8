// USD-priced markets through the SDK: its Pyth mirror (`sdk/src/market/pyth.ts`) against the
// program's own results (tests/vectors/pyth.json, written by programs/market/tests/pyth_vectors.rs),
// and a job posted on a USD market against a price account written with surfnet_setAccount in
// the exact on-chain layout: the escrow holds what the mirror computes, the event carries the
// rate, and a stale price is refused by name with nothing moved.
import { readFileSync } from "node:fs";
import { join } from "node:path";

import { TOKEN_PROGRAM_ID } from "@solana/spl-token";
import { Keypair, PublicKey } from "@solana/web3.js";
import { expect } from "chai";

import { market, staking } from "../sdk/src";
import { requiresCheatcodes, setAccount } from "./harness/cheatcodes";
import { chainTime, expectRejected, onlyEvent, tokenBalance, txLogs } from "./harness/fixtures";
import { defaultParams, marketWorld, MarketWorld, sendAs } from "./harness/market";

interface Vectors {
  conversions: Array<{
    microUsd: string;
    price: string;
    conf: string;
    exponent: number;
    decimals: number;
    result: { tokens?: string; error?: string };
  }>;
  checks: Array<{
    label: string;
    owner: string;
    data: string;
    feedId: string;
    maxAgeSecs: number;
    maxConfBps: number;
    now: string;
    result: {
      price?: string;
      conf?: string;
      exponent?: number;
      publishTime?: string;
      error?: string;
    };
  }>;
}

const vectors: Vectors = JSON.parse(
  readFileSync(join(__dirname, "vectors", "pyth.json"), "utf8"),
) as Vectors;

/** The outcome of `f` as a vector states it: its value, or the error's name. */
function outcome<T>(f: () => T): T | { error: string } {
  try {
    return f();
  } catch (e) {
    if (e instanceof market.PriceError) return { error: e.errorName };
    throw e;
  }
}

describe("market / USD prices: the SDK's Pyth mirror against the program's math", () => {
  it(`converts micro-USD into token units exactly as the program (${vectors.conversions.length} vectors)`, () => {
    for (const v of vectors.conversions) {
      const price = {
        price: BigInt(v.price),
        conf: BigInt(v.conf),
        exponent: v.exponent,
        publishTime: 0n,
      };
      const got = outcome(() => market.tokensForMicroUsd(BigInt(v.microUsd), price, v.decimals));
      const want = v.result.tokens !== undefined ? BigInt(v.result.tokens) : v.result;
      expect(got, JSON.stringify(v)).to.deep.equal(want);
    }
  });

  it(`decodes, checks and re-encodes price accounts as the program (${vectors.checks.length} vectors)`, () => {
    for (const v of vectors.checks) {
      const data = Buffer.from(v.data, "base64");
      const got = outcome(() =>
        market.validatedPrice(
          new PublicKey(v.owner),
          data,
          Buffer.from(v.feedId, "hex"),
          v.maxAgeSecs,
          v.maxConfBps,
          BigInt(v.now),
        ),
      );
      const want =
        v.result.error !== undefined
          ? { error: v.result.error }
          : {
              price: BigInt(v.result.price!),
              conf: BigInt(v.result.conf!),
              exponent: v.result.exponent!,
              publishTime: BigInt(v.result.publishTime!),
            };
      expect(got, v.label).to.deep.equal(want);
      if (data.length >= 133 && v.result.error !== "NotAPriceUpdate")
        expect(Buffer.from(market.encodePriceUpdate(market.decodePriceUpdate(data)))).to.deep.equal(
          Buffer.concat([data, Buffer.alloc(134 - data.length)]),
          `${v.label}: encode(decode(bytes)) is the bytes`,
        );
    }
  });

  it("refuses above the client's maximum by name", () => {
    const price = { price: 50_000_000n, conf: 100_000n, exponent: -8, publishTime: 0n };
    expect(market.tokensWithinMaximum(12_500_000n, price, 6, 25_050_101n)).to.equal(25_050_101n);
    expect(
      outcome(() => market.tokensWithinMaximum(12_500_000n, price, 6, 25_050_100n)),
    ).to.deep.equal({
      error: "PriceAboveMaximum",
    });
  });
});

describe("market / a USD-priced market through the SDK", () => {
  const FEED = new Uint8Array(32).fill(42);
  const priceAccount = Keypair.generate().publicKey;
  let w: MarketWorld;
  let usdMarket: PublicKey;

  function context(): market.MarketContext {
    return {
      market: usdMarket,
      mint: w.mint,
      tokenProgram: TOKEN_PROGRAM_ID,
      stakingPool: staking.poolPda(w.mint),
      feeVault: w.feeVault,
    };
  }

  /** Writes the market's price account: $0.50 ± $0.001, published `age` seconds ago. */
  async function writePrice(age: bigint): Promise<void> {
    const now = await chainTime(w.provider);
    const data = market.encodePriceUpdate({
      writeAuthority: Keypair.generate().publicKey,
      verification: { level: "full" },
      feedId: FEED,
      price: 50_000_000n,
      conf: 100_000n,
      exponent: -8,
      publishTime: now - age,
      prevPublishTime: now - age - 1n,
      emaPrice: 50_000_000n,
      emaConf: 100_000n,
      postedSlot: 1n,
    });
    await setAccount(w.provider.connection.rpcEndpoint, priceAccount, {
      lamports: 10_000_000,
      data: Buffer.from(data).toString("hex"),
      owner: market.PYTH_RECEIVER_PROGRAM_ID.toBase58(),
    });
  }

  before(async function () {
    await requiresCheatcodes(this);
    w = await marketWorld();
    const marketId = 7_000_000n + BigInt(Math.floor(Math.random() * 1_000_000));
    await w.markets.createMarket({
      marketId,
      name: "gpu-usd",
      arbiter: w.arbiter.publicKey,
      stakingPool: staking.poolPda(w.mint),
      params: defaultParams(),
      usdPricing: { feedId: FEED, maxAgeSecs: 60, maxConfBps: 100 },
    });
    usdMarket = market.marketPda(marketId);
  });

  it("escrows the micro-USD price at the lower bound, rounded up, and says at what rate", async () => {
    await writePrice(5n);
    const info = await w.provider.connection.getAccountInfo(priceAccount, "confirmed");
    const price = market.validatedPrice(
      info!.owner,
      info!.data,
      FEED,
      60,
      100,
      await chainTime(w.provider),
    );
    const expected = market.tokensForMicroUsd(12_500_000n, price, 6);
    expect(expected).to.equal(25_050_101n);
    const nonce = 1n;
    const ix = market.instructions.createJobUsd({
      ctx: context(),
      client: w.client.key.publicKey,
      clientToken: w.client.token,
      nonce,
      priceMicroUsd: 12_500_000n,
      maxTokens: expected,
      durationSecs: 3_600n,
      priceUpdate: priceAccount,
    });
    const before = await tokenBalance(w.provider, w.client.token);
    const signature = await sendAs(w, [ix], [w.client.key]);
    const job = market.jobPda(usdMarket, w.client.key.publicKey, nonce);
    expect(await tokenBalance(w.provider, market.escrowPda(job))).to.equal(expected);
    expect(before - (await tokenBalance(w.provider, w.client.token))).to.equal(expected);
    const events = market.parseEvents(await txLogs(w.provider, signature));
    const priced = onlyEvent(events, "jobPricedInUsd", signature) as Record<string, unknown>;
    expect(priced.tokens).to.equal(expected);
    expect(priced.microUsd).to.equal(12_500_000n);
    expect(priced.price).to.equal(50_000_000n);
    expect(priced.exponent).to.equal(-8);
  });

  it("refuses a stale price (StalePrice) and moves nothing", async () => {
    await writePrice(61n);
    const ix = market.instructions.createJobUsd({
      ctx: context(),
      client: w.client.key.publicKey,
      clientToken: w.client.token,
      nonce: 2n,
      priceMicroUsd: 12_500_000n,
      maxTokens: 10n ** 12n,
      durationSecs: 3_600n,
      priceUpdate: priceAccount,
    });
    await expectRejected(w.provider, () => sendAs(w, [ix], [w.client.key]), "StalePrice", {
      tokens: [w.client.token],
      lamports: [w.client.key.publicKey],
      accounts: [market.jobPda(usdMarket, w.client.key.publicKey, 2n)],
    });
  });
  it("posts through the client: reads the named price account, converts as the program and bounds the slippage", async () => {
    await writePrice(2n);
    const before = await tokenBalance(w.provider, w.client.token);
    const { job, expectedTokens } = await w.markets.createJobUsd({
      market: usdMarket,
      priceMicroUsd: 12_500_000n,
      priceUpdate: priceAccount,
      durationSecs: 3_600n,
      slippageBps: 50,
      clientToken: w.client.token,
      client: w.client.key,
    });
    expect(expectedTokens).to.equal(25_050_101n);
    expect(await tokenBalance(w.provider, market.escrowPda(job))).to.equal(expectedTokens);
    expect(before - (await tokenBalance(w.provider, w.client.token))).to.equal(expectedTokens);
    // A price the market would refuse is refused by the client first, by the same name.
    await writePrice(61n);
    let thrown: unknown;
    try {
      await w.markets.createJobUsd({
        market: usdMarket,
        priceMicroUsd: 12_500_000n,
        priceUpdate: priceAccount,
        durationSecs: 3_600n,
        clientToken: w.client.token,
        client: w.client.key,
      });
    } catch (e) {
      thrown = e;
    }
    expect((thrown as market.PriceError).errorName).to.equal("StalePrice");
  });
});
