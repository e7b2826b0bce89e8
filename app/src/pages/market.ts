// #/market/<address>: a market's parameters, its open, running and submitted jobs (filtered on
// the server by market and state), and the client's form to post a job.
import { market } from "@crucible/sdk";
import { PublicKey } from "@solana/web3.js";

import { parseDuration } from "../amount";
import { facts, h } from "../dom";
import { connection, loadNetwork } from "../net";
import { addressOrNull, field, InputError, noNetwork, type Page, readTokens } from "../page";
import { runTx } from "../tx";
import { jobTable } from "./jobs";
import { paramsRows } from "./markets";

/** A 32-byte hash from 64 hex digits, or the SHA-256 of any other text ("" → zeros). */
export async function hashOf(text: string): Promise<Uint8Array> {
  const s = text.trim();
  if (s === "") return new Uint8Array(32);
  if (/^[0-9a-fA-F]{64}$/.test(s))
    return Uint8Array.from(s.match(/../g)!.map((b) => parseInt(b, 16)));
  return new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(s)));
}

export function parseKey(text: string, what: string): PublicKey {
  try {
    return new PublicKey(text.trim());
  } catch {
    throw new InputError(`${what}: not an address: "${text}"`);
  }
}

export function marketPage(address: string): Page {
  const key = addressOrNull(address);
  return {
    title: "Market",
    forms: () => {
      if (!key) return null;
      const m = key;
      const price = field("price (tokens)", "post-job-price", { placeholder: "20" });
      // A USD-priced market: the price in dollars and the market's Pyth price account.
      const priceUsd = field("or price (USD)", "post-job-price-usd", { placeholder: "12.50" });
      const priceAccount = field("Pyth price account", "post-job-price-account", { size: 44 });
      const duration = field("duration", "post-job-duration", { value: "1h", size: 8 });
      const spec = field("spec (text or 64 hex digits)", "post-job-spec", { size: 30 });
      const target = field("only this provider (optional)", "post-job-target", { size: 44 });
      const created = h("div", { testid: "post-job-result" });
      const submit = h(
        "button",
        {
          testid: "post-job-submit",
          onclick: () =>
            void runTx("post job", async (c) => {
              const net = await loadNetwork();
              if (!net) throw new InputError("no network at this RPC");
              let secs: bigint;
              try {
                secs = parseDuration(duration.input.value);
              } catch (e) {
                throw new InputError((e as Error).message);
              }
              const terms = {
                market: m,
                durationSecs: secs,
                specHash: await hashOf(spec.input.value),
                ...(target.input.value.trim()
                  ? { targetProvider: parseKey(target.input.value, "provider") }
                  : {}),
              };
              let posted: { signature: string; job: PublicKey };
              if (priceUsd.input.value.trim()) {
                // Micro-USD: six decimal places at most; the escrow is what the SDK computes
                // from the price account, with 1 % slippage allowed.
                const priceMicroUsd = readTokens(priceUsd.input, 6, "price (USD)");
                if (priceMicroUsd === 0n) throw new InputError("price (USD): must be more than 0");
                posted = await c.market.createJobUsd({
                  ...terms,
                  priceMicroUsd,
                  priceUpdate: parseKey(priceAccount.input.value, "Pyth price account"),
                  slippageBps: 100,
                });
              } else {
                const amount = readTokens(price.input, net.decimals, "price");
                if (amount === 0n) throw new InputError("price: must be more than 0");
                posted = await c.market.createJob({ ...terms, price: amount });
              }
              const { signature, job } = posted;
              const a = job.toBase58();
              created.replaceChildren(
                "posted ",
                h("a", { href: `#/job/${a}`, testid: "post-job-link" }, a),
              );
              return signature;
            }),
        },
        "Post job",
      );
      return h(
        "section",
        { class: "form", testid: "post-job-form" },
        h("h2", {}, "Post a job"),
        price.row,
        priceUsd.row,
        priceAccount.row,
        duration.row,
        spec.row,
        target.row,
        submit,
        created,
      );
    },
    view: async () => {
      if (!key)
        return h("p", { testid: "not-found", class: "error" }, `not an address: ${address}`);
      const net = await loadNetwork();
      if (!net) return h("div", {}, noNetwork());
      const c = connection();
      let wrong = "";
      const m = await market.fetchMarket(c, key).catch((e: Error) => {
        wrong = e.message;
        return null;
      });
      if (!m)
        return h("p", { testid: "not-found", class: "error" }, wrong || `no market at ${address}`);
      const [open, running, submitted, disputed] = await Promise.all(
        market.JOB_STATES.map((state) => market.listJobs(c, { market: key, state })),
      );
      const names = new Map([[key.toBase58(), m.name]]);
      return h(
        "div",
        {},
        h("h2", { testid: "market-name" }, `${m.name} (#${m.marketId})`),
        facts([
          ["market-address", "address", key.toBase58()],
          ["market-paused", "paused", m.paused ? "yes" : "no"],
          ["market-pricing", "pricing", m.usdPricing ? "micro-USD (Pyth)" : "tokens"],
          ["market-work-pool", "work pool", m.workPool?.toBase58() ?? "—"],
          ["market-arbiter", "arbiter", m.arbiter.toBase58()],
          ...paramsRows(m.params, net.decimals),
        ]),
        h("h2", {}, "Open jobs ", h("span", { testid: "open-count" }, String(open.length))),
        jobTable("open-jobs", open, net.decimals, names),
        h(
          "h2",
          {},
          "Running jobs ",
          h("span", { testid: "running-count" }, String(running.length)),
        ),
        jobTable("running-jobs", running, net.decimals, names),
        h("h2", {}, "Submitted and disputed jobs"),
        jobTable("submitted-jobs", [...submitted, ...disputed], net.decimals, names),
      );
    },
    live: (c, changed) => {
      const id = c.onProgramAccountChange(market.program.programId, changed, "confirmed");
      return [() => void c.removeProgramAccountChangeListener(id)];
    },
  };
}
