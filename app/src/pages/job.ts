// #/job/<address>: a job's state, parties, amounts and deadlines, its events (from the
// transactions that name it), and the moves of its client and provider.
import { market } from "@crucible/sdk";
import { type Connection, PublicKey } from "@solana/web3.js";

import { formatTokens } from "../amount";
import { facts, h, link, span, when } from "../dom";
import { chainNow, connection, loadNetwork } from "../net";
import { addressOrNull, field, noNetwork, type Page } from "../page";
import { runTx } from "../tx";
import { hashOf } from "./market";

const hex = (b: Uint8Array) => Array.from(b, (x) => x.toString(16).padStart(2, "0")).join("");

/** Every market event of the transactions that name `job`, oldest first. */
async function jobEvents(
  c: Connection,
  job: PublicKey,
): Promise<Array<{ signature: string; event: market.Event }>> {
  const sigs = await c.getSignaturesForAddress(job, { limit: 100 }, "confirmed");
  const ok = sigs.filter((s) => !s.err).reverse();
  const txs = await c.getTransactions(
    ok.map((s) => s.signature),
    { commitment: "confirmed", maxSupportedTransactionVersion: 0 },
  );
  const out: Array<{ signature: string; event: market.Event }> = [];
  txs.forEach((tx, i) => {
    for (const event of market.parseEvents(tx?.meta?.logMessages ?? [])) {
      const about = (event.data as { job?: PublicKey }).job;
      if (about?.equals(job)) out.push({ signature: ok[i].signature, event });
    }
  });
  return out;
}

/** An event's data as text: keys as addresses, amounts as integers. */
function eventText(data: Record<string, unknown>, decimals: number): string {
  return Object.entries(data)
    .map(([k, v]) => {
      if (v instanceof PublicKey) return `${k}=${v.toBase58()}`;
      if (typeof v === "bigint")
        return /price|paid|burn|fee|refund|amount|collateral|slash/i.test(k)
          ? `${k}=${formatTokens(v, decimals)}`
          : `${k}=${v}`;
      if (v instanceof Uint8Array || Array.isArray(v)) return `${k}=[${(v as number[]).length}]`;
      if (v && typeof v === "object")
        return `${k}=${JSON.stringify(v, (_k, x) => (typeof x === "bigint" ? String(x) : x))}`;
      return `${k}=${String(v)}`;
    })
    .join(" ");
}

export function jobPage(address: string): Page {
  const key = addressOrNull(address);
  return {
    title: "Job",
    forms: () => {
      if (!key) return null;
      const job = key;
      const result = field("result (text or 64 hex digits)", "submit-result", { size: 30 });
      const button = (testid: string, text: string, run: () => void) =>
        h("button", { testid, onclick: run }, text);
      return h(
        "section",
        { class: "form", testid: "job-actions" },
        h("h2", {}, "Provider"),
        button("accept", "Accept", () => void runTx("accept", (c) => c.market.acceptJob({ job }))),
        result.row,
        button(
          "submit",
          "Submit result",
          () =>
            void runTx("submit", async (c) =>
              c.market.submitResult({
                job,
                resultHash: await hashOf(result.input.value || "done"),
              }),
            ),
        ),
        button("quit", "Quit", () => void runTx("quit", (c) => c.market.quitJob({ job }))),
        h("h2", {}, "Client"),
        button(
          "complete",
          "Complete",
          () => void runTx("complete", (c) => c.market.completeJob({ job })),
        ),
        button(
          "dispute",
          "Dispute",
          () => void runTx("dispute", (c) => c.market.disputeJob({ job })),
        ),
        button("cancel", "Cancel", () => void runTx("cancel", (c) => c.market.cancelJob({ job }))),
        h("h2", {}, "Anyone"),
        button(
          "finalize",
          "Finalize",
          () => void runTx("finalize", (c) => c.market.finalizeJob({ job })),
        ),
        button(
          "reclaim",
          "Reclaim expired",
          () => void runTx("reclaim", (c) => c.market.reclaimExpired({ job })),
        ),
      );
    },
    view: async () => {
      if (!key)
        return h("p", { testid: "not-found", class: "error" }, `not an address: ${address}`);
      const net = await loadNetwork();
      if (!net) return noNetwork();
      const c = connection();
      let wrong = "";
      const [j, now, events] = await Promise.all([
        market.fetchJob(c, key).catch((e: Error) => {
          wrong = e.message;
          return null;
        }),
        chainNow(),
        jobEvents(c, key).catch(() => []),
      ]);
      const d = net.decimals;
      const eventList = h(
        "ol",
        { testid: "job-events", class: "events" },
        ...events.map(({ signature, event }) =>
          h(
            "li",
            { testid: `job-event-${event.name}` },
            h("b", {}, event.name),
            " ",
            eventText(event.data as Record<string, unknown>, d),
            " ",
            h("code", { class: "muted", title: signature }, signature.slice(0, 8)),
          ),
        ),
      );
      if (!j) {
        const closed = events.length > 0;
        return h(
          "div",
          {},
          h("p", { testid: "job-state" }, closed ? "closed" : "not found"),
          h(
            "p",
            { class: "muted", testid: "not-found" },
            closed
              ? "this job is settled or cancelled: its account is closed"
              : wrong || `no job at ${address}`,
          ),
          h("h2", {}, "Events"),
          eventList,
        );
      }
      const m = await market.fetchMarket(c, j.market);
      const split = market.settlementSplit(j.price, j.burnBps, j.feeBps);
      const left = (t: bigint) =>
        t === 0n ? "" : ` (${t >= now ? "in " : ""}${span(t - now)}${t < now ? " ago" : ""})`;
      return h(
        "div",
        {},
        facts([
          ["job-state", "state", j.state],
          [
            "job-market",
            "market",
            link(`/market/${j.market.toBase58()}`, m?.name ?? j.market.toBase58()),
          ],
          ["job-client", "client", link(`/provider/${j.client.toBase58()}`, j.client.toBase58())],
          [
            "job-provider",
            "provider",
            j.provider ? link(`/provider/${j.provider.toBase58()}`, j.provider.toBase58()) : "—",
          ],
          ["job-target", "only for", j.targetProvider?.toBase58() ?? "anyone"],
          ["job-price", "price", formatTokens(j.price, d)],
          ["job-collateral", "collateral", formatTokens(j.collateral, d)],
          [
            "job-split",
            "on completion",
            `provider ${formatTokens(split.paid, d)}, burn ${formatTokens(split.burned, d)}, fee ${formatTokens(split.fee, d)}`,
          ],
          ["job-duration", "duration", span(j.durationSecs)],
          ["job-created", "created", when(j.createdAt)],
          ["job-accepted", "accepted", when(j.acceptedAt)],
          ["job-deadline", "deadline", when(j.deadline) + left(j.deadline)],
          ["job-submitted", "submitted", when(j.submittedAt)],
          [
            "job-dispute-deadline",
            "dispute deadline",
            when(j.disputeDeadline) + left(j.disputeDeadline),
          ],
          ["job-disputed", "disputed", when(j.disputedAt)],
          ["job-lifetime", "lifetime ends", when(j.lifetimeEndsAt) + left(j.lifetimeEndsAt)],
          ["job-spec", "spec hash", hex(j.specHash)],
          ["job-result", "result hash", hex(j.resultHash)],
          ["job-quitters", "quitters", j.quitters.map((q) => q.toBase58()).join(", ") || "—"],
          ["chain-now", "chain time", when(now)],
        ]),
        h("h2", {}, "Events"),
        eventList,
      );
    },
    live: (c, changed) => {
      if (!key) return [];
      const a = c.onAccountChange(key, changed, "confirmed");
      const b = c.onLogs(key, changed, "confirmed");
      return [() => void c.removeAccountChangeListener(a), () => void c.removeOnLogsListener(b)];
    },
  };
}
