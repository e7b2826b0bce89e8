// A hand-written SVG line chart: one or two series over a shared x axis, no library.

const NS = "http://www.w3.org/2000/svg";

function svg<K extends keyof SVGElementTagNameMap>(
  tag: K,
  attrs: Record<string, string | number>,
  text?: string,
): SVGElementTagNameMap[K] {
  const el = document.createElementNS(NS, tag);
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, String(v));
  if (text !== undefined) el.textContent = text;
  return el;
}

export interface Series {
  label: string;
  /** y values (bigint base units; scaled to the series' own maximum). */
  values: bigint[];
  color: string;
  /** How the axis labels the maximum. */
  format: (v: bigint) => string;
}

/** Lines for each series (each scaled to its own maximum, labelled left and right), x labels
 * at both ends, and an optional vertical marker (e.g. "now") at index `marker`. */
export function lineChart(
  testid: string,
  series: Series[],
  xLabels: [string, string],
  marker?: { index: number; label: string },
): SVGSVGElement {
  const W = 640;
  const H = 220;
  const pad = { l: 90, r: 90, t: 14, b: 28 };
  const root = svg("svg", {
    viewBox: `0 0 ${W} ${H}`,
    width: W,
    height: H,
    class: "chart",
    "data-testid": testid,
    role: "img",
  });
  const n = Math.max(1, ...series.map((s) => s.values.length));
  const x = (i: number) => pad.l + (n <= 1 ? 0 : (i / (n - 1)) * (W - pad.l - pad.r));
  const y0 = H - pad.b;
  root.append(
    svg("line", { x1: pad.l, y1: y0, x2: W - pad.r, y2: y0, stroke: "#888" }),
    svg("text", { x: pad.l, y: H - 8, "font-size": 11, fill: "#666" }, xLabels[0]),
    svg(
      "text",
      { x: W - pad.r, y: H - 8, "font-size": 11, fill: "#666", "text-anchor": "end" },
      xLabels[1],
    ),
  );
  series.forEach((s, k) => {
    const max = s.values.reduce((m, v) => (v > m ? v : m), 0n);
    // y = v / max, with bigint kept to 1e6 resolution before becoming a number.
    const y = (v: bigint) =>
      y0 - (max === 0n ? 0 : Number((v * 1_000_000n) / max) / 1_000_000) * (y0 - pad.t);
    const points = s.values.map((v, i) => `${x(i).toFixed(1)},${y(v).toFixed(1)}`).join(" ");
    root.append(
      svg("polyline", {
        points,
        fill: "none",
        stroke: s.color,
        "stroke-width": 2,
        "data-testid": `${testid}-series-${k}`,
      }),
      svg(
        "text",
        {
          x: k === 0 ? pad.l - 6 : W - pad.r + 6,
          y: pad.t + 10,
          "font-size": 11,
          fill: s.color,
          "text-anchor": k === 0 ? "end" : "start",
        },
        s.format(max),
      ),
      svg(
        "text",
        {
          x: k === 0 ? pad.l - 6 : W - pad.r + 6,
          y: pad.t + 24,
          "font-size": 11,
          fill: s.color,
          "text-anchor": k === 0 ? "end" : "start",
        },
        s.label,
      ),
    );
  });
  if (marker && n > 1) {
    const mx = x(Math.min(n - 1, Math.max(0, marker.index)));
    root.append(
      svg("line", { x1: mx, y1: pad.t, x2: mx, y2: y0, stroke: "#c33", "stroke-dasharray": "4 3" }),
      svg("text", { x: mx + 3, y: pad.t + 10, "font-size": 11, fill: "#c33" }, marker.label),
    );
  }
  return root;
}
