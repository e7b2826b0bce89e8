// Token amounts, exactly: decimal strings to base units and back, with bigint only.

/** Parses a decimal token amount ("12.5") into base units with `decimals`; throws on anything
 * else: signs, exponents, empty strings, or more fractional digits than the mint has. */
export function parseTokens(text: string, decimals: number): bigint {
  const s = text.trim().replace(/_/g, "");
  const m = /^(\d*)(?:\.(\d*))?$/.exec(s);
  if (!m || (m[1] === "" && (m[2] ?? "") === "")) throw new Error(`not an amount: "${text}"`);
  const whole = m[1] || "0";
  const frac = m[2] ?? "";
  if (frac.length > decimals)
    throw new Error(`at most ${decimals} decimal places for this mint, got ${frac.length}`);
  return BigInt(whole) * 10n ** BigInt(decimals) + BigInt(frac.padEnd(decimals, "0") || "0");
}

/** Base units as a token amount with `decimals`, exactly, trailing zeros dropped ("12.5"). */
export function formatTokens(units: bigint, decimals: number): string {
  const neg = units < 0n;
  const a = neg ? -units : units;
  const base = 10n ** BigInt(decimals);
  const whole = a / base;
  const frac = decimals > 0 ? (a % base).toString().padStart(decimals, "0").replace(/0+$/, "") : "";
  return `${neg ? "-" : ""}${whole}${frac ? `.${frac}` : ""}`;
}

/** Parses a duration: "3600", "90s", "15m", "2h", "1d". */
export function parseDuration(text: string): bigint {
  const m = /^\s*(\d+)\s*([smhd]?)\s*$/.exec(text);
  if (!m) throw new Error(`not a duration: "${text}" (e.g. 3600, 15m, 2h, 1d)`);
  const unit = { "": 1n, s: 1n, m: 60n, h: 3_600n, d: 86_400n }[m[2] as "" | "s" | "m" | "h" | "d"];
  return BigInt(m[1]) * unit;
}
