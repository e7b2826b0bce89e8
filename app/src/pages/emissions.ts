// #/emissions: each vault of the network's mint: its schedule, its progress, what `emit`
// would pay now (`previewEmit`, the program's math mirrored), its recipients, and a chart of
// the schedule (`projection` by month: hourly rate and cumulative emission).
import { emissions } from "@crucible/sdk";

import { formatTokens } from "../amount";
import { lineChart } from "../chart";
import { facts, h, span, when } from "../dom";
import { chainNow, connection, loadNetwork } from "../net";
import { noNetwork, type Page } from "../page";
import { runTx } from "../tx";

export function emissionsPage(): Page {
  return {
    title: "Emissions",
    view: async () => {
      const net = await loadNetwork();
      if (!net) return noNetwork();
      const c = connection();
      const [vaults, now] = await Promise.all([
        emissions.listEmissionVaults(c, { mint: net.mint }),
        chainNow(),
      ]);
      const d = net.decimals;
      const t = (x: bigint) => formatTokens(x, d);
      if (vaults.length === 0)
        return h("p", { testid: "no-vaults", class: "muted" }, "no emission vaults");
      vaults.sort((a, b) => (a.account.vaultId < b.account.vaultId ? -1 : 1));
      return h(
        "div",
        {},
        ...vaults.map(({ address, account: v }) => {
          const a = address.toBase58();
          const s = emissions.scheduleOf(v);
          const preview = emissions.previewEmit(v, now);
          const end = emissions.scheduleEnd(s);
          const rows = emissions.projection(s, {
            bucketHours: emissions.HOURS_PER_MONTH,
            startTs: v.startTs,
            maxRows: 600,
          });
          const hoursNow = emissions.hoursDue(v.startTs, now);
          const dueHours = preview.toHour - preview.fromHour;
          return h(
            "section",
            { class: "vault", testid: `vault-${v.vaultId}` },
            h("h2", {}, `Vault ${v.vaultId}`),
            facts([
              ["vault-address", "address", a],
              ["vault-start", "start", when(v.startTs)],
              ["vault-initial", "initial per hour", t(v.initialPerHour)],
              [
                "vault-decay",
                "decay",
                `${(v.decayBps / 100).toFixed(2)} % every ${v.periodHours} h`,
              ],
              ["vault-cap", "cap", t(v.cap)],
              [
                "vault-ends",
                "schedule ends",
                `after ${end.hours} h (${span(end.hours * 3600n)}), total ${t(end.total)}`,
              ],
              ["vault-emitted", "emitted", `${t(v.totalEmitted)} over ${v.emittedHours} h`],
              [
                "vault-rate",
                "current rate",
                `${t(v.cursorRate)} per hour (period ${v.cursorPeriod})`,
              ],
              ["vault-hours-now", "hours since start", String(hoursNow)],
              ["vault-due-outcome", "emit now", preview.outcome],
              ["vault-due", "due now", `${t(preview.amount)} (${dueHours} h)`],
              ["vault-state", "state", v.revoked ? "revoked" : v.paused ? "paused" : "running"],
            ]),
            h(
              "table",
              { class: "list", testid: "vault-recipients" },
              h("tr", {}, h("th", {}, "recipient"), h("th", {}, "share"), h("th", {}, "due now")),
              ...v.recipients.map((r, i) =>
                h(
                  "tr",
                  {},
                  h("td", {}, r.tokenAccount.toBase58()),
                  h("td", {}, `${(r.shareBps / 100).toFixed(2)} %`),
                  h("td", {}, t(preview.payments[i] ?? 0n)),
                ),
              ),
            ),
            lineChart(
              `vault-chart-${v.vaultId}`,
              [
                {
                  label: "per hour",
                  values: rows.map((r) => r.ratePerHour),
                  color: "#2a6",
                  format: t,
                },
                {
                  label: "cumulative",
                  values: rows.map((r) => r.cumulative),
                  color: "#36c",
                  format: t,
                },
              ],
              [when(v.startTs).slice(0, 10), `${rows.length} months`],
              { index: Number(hoursNow / emissions.HOURS_PER_MONTH), label: "now" },
            ),
            h(
              "button",
              {
                testid: `emit-${v.vaultId}`,
                onclick: () =>
                  void runTx(`emit vault ${v.vaultId}`, (cl) =>
                    cl.emissions.emit({ vault: address }),
                  ),
              },
              "Emit what is due",
            ),
          );
        }),
      );
    },
    live: (c, changed) => {
      const id = c.onProgramAccountChange(emissions.program.programId, changed, "confirmed");
      return [() => void c.removeProgramAccountChangeListener(id)];
    },
  };
}
