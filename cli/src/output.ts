// Output: with --json one JSON object per command on stdout (bigints as strings, keys base58,
// byte arrays hex); otherwise aligned tables for people.

/** What a command returns: the JSON object, and the text shown without --json. */
export interface Output {
  json: Record<string, unknown>;
  human: string;
  /** Non-zero when the command partly failed (a crank with failed jobs); default 0. */
  exitCode?: number;
}

/** JSON with bigints as strings, public keys as base58 and byte arrays as hex. */
export function toJson(value: unknown): string {
  return JSON.stringify(value, (_k, v) => {
    if (typeof v === "bigint") return v.toString();
    if (v instanceof Uint8Array) return Buffer.from(v).toString("hex");
    if (v && typeof v === "object" && v.type === "Buffer" && Array.isArray(v.data))
      return Buffer.from(v.data).toString("hex");
    return v;
  });
}

const NUMERIC = /^-?[\d,.]+( \w+)?$/;

/**
 * An aligned table: a header row, then rows. Columns whose values are all numbers are aligned
 * right.
 */
export function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
  const right = header.map(
    (_h, i) => rows.length > 0 && rows.every((r) => NUMERIC.test(r[i] ?? "")),
  );
  const line = (cells: string[]) =>
    cells
      .map((c, i) => (right[i] ? c.padStart(widths[i]) : c.padEnd(widths[i])))
      .join("  ")
      .trimEnd();
  return [line(header), line(widths.map((w) => "-".repeat(w))), ...rows.map(line)].join("\n");
}

/** Two aligned columns, `key  value`, for one object. */
export function keyValues(pairs: Array<[string, string]>): string {
  const width = Math.max(0, ...pairs.map(([k]) => k.length));
  return pairs.map(([k, v]) => `${k.padEnd(width)}  ${v}`).join("\n");
}

/** A unix timestamp as ISO-8601 UTC (seconds precision), or `-` for 0. */
export function formatTime(ts: bigint | number): string {
  const n = Number(ts);
  if (n === 0) return "-";
  return new Date(n * 1000).toISOString().replace(".000Z", "Z");
}

/** A hash as hex. */
export function hex(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString("hex");
}

/** A key as base58, or `-` when absent. */
export function b58(key: { toBase58(): string } | null | undefined): string {
  return key ? key.toBase58() : "-";
}
