// A few DOM helpers: the app renders plain elements, no framework.

type Child = Node | string | number | bigint | null | undefined | false;
type Attrs = Record<string, string | number | boolean | EventListener | undefined>;

/** Creates an element: `h("button", { testid: "accept", onclick }, "Accept")`. `testid` sets
 * `data-testid`; `on*` functions become listeners; `false`/`undefined` attributes are left out. */
export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs: Attrs = {},
  ...children: Child[]
): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (value === undefined || value === false) continue;
    if (key === "testid") el.dataset.testid = String(value);
    else if (key.startsWith("on") && typeof value === "function")
      el.addEventListener(key.slice(2), value);
    else if (key === "value" && "value" in el) (el as HTMLInputElement).value = String(value);
    else el.setAttribute(key, value === true ? "" : String(value));
  }
  append(el, children);
  return el;
}

export function append(el: Element, children: Child[]): void {
  for (const c of children) {
    if (c === null || c === undefined || c === false) continue;
    el.append(c instanceof Node ? c : String(c));
  }
}

/** A two-column table of label/value rows; each value cell gets `data-testid` = its key. */
export function facts(rows: Array<[testid: string, label: string, value: Child]>): HTMLElement {
  return h(
    "table",
    { class: "facts" },
    ...rows.map(([testid, label, value]) =>
      h("tr", {}, h("th", {}, label), h("td", { testid }, value)),
    ),
  );
}

/** A link to a hash route. */
export function link(route: string, text: Child, testid?: string): HTMLAnchorElement {
  return h("a", { href: `#${route}`, testid }, text);
}

/** An address, shortened for display, with the full address in its title. */
export function short(address: string): string {
  return address.length > 12 ? `${address.slice(0, 4)}…${address.slice(-4)}` : address;
}

/** A unix time (seconds) as an ISO date, or "—" for 0. */
export function when(ts: bigint): string {
  if (ts === 0n) return "—";
  return new Date(Number(ts) * 1000).toISOString().replace(".000Z", "Z");
}

/** Seconds as "1d 2h 3m 4s". */
export function span(secs: bigint): string {
  let s = secs < 0n ? -secs : secs;
  const parts: string[] = [];
  for (const [unit, n] of [
    ["d", 86_400n],
    ["h", 3_600n],
    ["m", 60n],
  ] as const) {
    if (s >= n) {
      parts.push(`${s / n}${unit}`);
      s %= n;
    }
  }
  if (s > 0n || parts.length === 0) parts.push(`${s}s`);
  return (secs < 0n ? "-" : "") + parts.join(" ");
}
