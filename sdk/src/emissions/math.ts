// Pure mirrors of the emissions program's math (programs/emissions/src/math.rs), exact to the
// unit: bigint throughout, the same floors, the same cursor walk. Checked against the program's
// own vectors (tests/vectors/emissions.json) by tests/emissions.math.test.ts.
//
// Hour `h` (counted from the vault's start) emits `rate(k)`, `k = floor(h / periodHours)`,
// `rate(0) = initialPerHour`, `rate(k + 1) = floor(rate(k) · (10 000 − decayBps) / 10 000)`,
// until the running total reaches `cap` (the hour that reaches it is clipped).

/** Basis points in one whole. */
export const BPS = 10_000n;
/** Seconds in one schedule hour. */
export const SECS_PER_HOUR = 3_600n;
/** Decay periods one `emit` crosses at most (the rest waits for the next call). */
export const MAX_PERIODS_PER_CALL = 8_784n;
/** Hours in the "month" of DESIGN.md's default schedule. */
export const HOURS_PER_MONTH = 730n;
/** Hours in a (365-day) year. */
export const HOURS_PER_YEAR = 8_760n;
/** Most recipients a vault pays. */
export const MAX_RECIPIENTS = 8;
/** Shortest recipients delay a non-revocable vault accepts: 48 hours (the program's
 * `EmissionVault::MIN_NON_REVOCABLE_RECIPIENTS_DELAY_SECS`). */
export const MIN_NON_REVOCABLE_RECIPIENTS_DELAY_SECS = 48 * 3_600;
/** Longest recipients delay of any vault: 30 days. */
export const MAX_RECIPIENTS_DELAY_SECS = 30 * 24 * 3_600;

const U64_MAX = (1n << 64n) - 1n;

/** The parameters that fix a vault's emission for every hour. */
export interface Schedule {
  initialPerHour: bigint;
  /** 0 to 10 000. */
  decayBps: number;
  /** > 0. */
  periodHours: number;
  cap: bigint;
}

/** DESIGN.md's default economics for a mint with `decimals` decimals: ~4,583 tokens an hour,
 * −1.02 % every 730 hours, 300 M cap (about 20 years). */
export function defaultSchedule(decimals: number): Schedule {
  const unit = 10n ** BigInt(decimals);
  return {
    initialPerHour: 4_583n * unit,
    decayBps: 102,
    periodHours: 730,
    cap: 300_000_000n * unit,
  };
}

/** How far a vault has emitted: hours `0..hours` paid, their total, and the cursor
 * (`period = hours / periodHours`, `rate = rate(period)`). */
export interface Progress {
  hours: bigint;
  total: bigint;
  period: bigint;
  rate: bigint;
}

/** The result of paying a stretch of hours. */
export interface Advance {
  progress: Progress;
  /** Emitted by the hours paid in this stretch. */
  amount: bigint;
  /** Decay-period boundaries crossed. */
  periodsCrossed: bigint;
  /** Whether every hour up to the target is paid (or the schedule has ended). */
  caughtUp: boolean;
}

function checkSchedule(s: Schedule): void {
  if (!Number.isInteger(s.decayBps) || s.decayBps < 0 || s.decayBps > 10_000) {
    throw new RangeError(`decayBps must be an integer from 0 to 10 000, got ${s.decayBps}`);
  }
  if (!Number.isInteger(s.periodHours) || s.periodHours <= 0 || s.periodHours > 0xffff_ffff) {
    throw new RangeError(`periodHours must be a u32 above 0, got ${s.periodHours}`);
  }
  if (s.initialPerHour < 0n || s.initialPerHour > U64_MAX || s.cap < 0n || s.cap > U64_MAX) {
    throw new RangeError("initialPerHour and cap must be u64 amounts");
  }
}

function checkHour(h: bigint, name: string): void {
  if (typeof h !== "bigint" || h < 0n || h > U64_MAX) {
    throw new RangeError(`${name} must be a u64 hour as a bigint, got ${String(h)}`);
  }
}

/** `rate(k + 1)` from `rate(k)`. */
export function nextRate(rate: bigint, decayBps: number): bigint {
  return (rate * (BPS - BigInt(decayBps))) / BPS;
}

/** `rate(k)`, walking from period 0 (stops early once the rate is 0). */
export function rateOfPeriod(s: Schedule, k: bigint): bigint {
  let rate = s.initialPerHour;
  for (let i = 0n; i < k && rate > 0n; i++) rate = nextRate(rate, s.decayBps);
  return rate;
}

/** Nothing emitted yet. */
export function startProgress(s: Schedule): Progress {
  return { hours: 0n, total: 0n, period: 0n, rate: s.initialPerHour };
}

/** Whether nothing more can ever be emitted: cap reached or rate decayed to 0. */
export function scheduleEnded(s: Schedule, p: Progress): boolean {
  return p.total >= s.cap || p.rate === 0n;
}

/**
 * Pays hours `from.hours..toHour`, crossing at most `maxPeriods` decay periods, exactly as the
 * program's `math::advance`: per stretch inside one period `hours × rate`; the hour that
 * reaches the cap is clipped and ends the stretch; a rate of 0 ends the schedule; without decay
 * the whole stretch is one product.
 */
export function advance(
  s: Schedule,
  from: Progress,
  toHour: bigint,
  maxPeriods: bigint = U64_MAX,
): Advance {
  checkSchedule(s);
  checkHour(toHour, "toHour");
  const periodHours = BigInt(s.periodHours);
  const constant = s.decayBps === 0;
  const p = { ...from };
  let periodsCrossed = 0n;
  while (p.hours < toHour && p.total < s.cap) {
    if (p.rate === 0n) break;
    if (periodsCrossed >= maxPeriods) break;
    const periodEnd = (p.period + 1n) * periodHours;
    const end = constant ? toHour : periodEnd < toHour ? periodEnd : toHour;
    const hours = end - p.hours;
    const room = s.cap - p.total;
    const due = hours * p.rate;
    if (due >= room) {
      p.hours += room / p.rate + (room % p.rate !== 0n ? 1n : 0n);
      p.total = s.cap;
    } else {
      p.hours = end;
      p.total += due;
    }
    if (constant) {
      p.period = p.hours / periodHours;
    } else if (p.hours === periodEnd) {
      p.period += 1n;
      p.rate = nextRate(p.rate, s.decayBps);
      periodsCrossed += 1n;
    }
  }
  return {
    progress: p,
    amount: p.total - from.total,
    periodsCrossed,
    caughtUp: p.hours >= toHour || scheduleEnded(s, p),
  };
}

/** What hours `0..hours` emit in total (at most the cap). */
export function cumulativeEmitted(s: Schedule, hours: bigint): bigint {
  return advance(s, startProgress(s), hours).progress.total;
}

/**
 * What hours `fromHour..toHour` emit: `cumulative(toHour) − cumulative(fromHour)`. Agrees with
 * the program to the unit: an `emit` that pays those hours transfers exactly this amount.
 */
export function emittedBetween(s: Schedule, fromHour: bigint, toHour: bigint): bigint {
  checkHour(fromHour, "fromHour");
  checkHour(toHour, "toHour");
  if (toHour < fromHour) throw new RangeError("toHour must not be before fromHour");
  return cumulativeEmitted(s, toHour) - cumulativeEmitted(s, fromHour);
}

/** What hour `hour` emits (its rate, or less for the clipped last hour, or 0 after the end). */
export function emittedAt(s: Schedule, hour: bigint): bigint {
  return emittedBetween(s, hour, hour + 1n);
}

/** Where the schedule ends: the hour after the one that reaches the cap (or the first hour
 * whose rate is 0), and the total emitted by then. */
export function scheduleEnd(s: Schedule): { hours: bigint; total: bigint } {
  const p = advance(s, startProgress(s), U64_MAX).progress;
  return { hours: p.hours, total: p.total };
}

/** Whole hours due at unix time `now` for a schedule starting at `startTs`. */
export function hoursDue(startTs: bigint, now: bigint): bigint {
  return now <= startTs ? 0n : (now - startTs) / SECS_PER_HOUR;
}

/** `floor(distributed · shareBps / 10 000)`: what a recipient is owed after its set of
 * recipients received `distributed`. */
export function owed(distributed: bigint, shareBps: number): bigint {
  return (distributed * BigInt(shareBps)) / BPS;
}

/** `distributed − Σ owed(distributed, share)`: the rounding dust held for a set of recipients
 * (paid to the last one when the set is settled). */
export function dust(shares: readonly number[], distributed: bigint): bigint {
  return shares.reduce((left, share) => left - owed(distributed, share), distributed);
}

/** What each recipient is paid when its set's distributed total grows from `before` to
 * `after`: `owed(after) − owed(before)` each (the dust is not included). */
export function splitPayments(shares: readonly number[], before: bigint, after: bigint): bigint[] {
  if (after < before) throw new RangeError("after must not be below before");
  return shares.map((share) => owed(after, share) - owed(before, share));
}

/** The fields of a vault that `previewEmit` reads (an `EmissionVault` from `accounts.ts`). */
export interface VaultSchedule extends Schedule {
  startTs: bigint;
  emittedHours: bigint;
  totalEmitted: bigint;
  cursorPeriod: bigint;
  cursorRate: bigint;
  recipientsBaseEmitted: bigint;
  recipients: ReadonlyArray<{
    tokenAccount: import("@solana/web3.js").PublicKey;
    shareBps: number;
  }>;
  revoked: boolean;
  paused: boolean;
}

/** What `emit` would do at unix time `now`. */
export interface EmitPreview {
  /** `"pay"`; `"ended"` (a no-op that succeeds); or the error `emit` would fail with. */
  outcome: "pay" | "ended" | "VaultPaused" | "NotStarted" | "NothingDue";
  fromHour: bigint;
  toHour: bigint;
  /** Emitted by the hours paid. */
  amount: bigint;
  /** Per current recipient, in order (the settled dust included). */
  payments: bigint[];
  settledDust: bigint;
  undistributed: bigint;
  totalEmitted: bigint;
  periodsCrossed: bigint;
  caughtUp: boolean;
}

/**
 * Mirrors what the program's payout does for `vault` at unix time `now`: which hours it pays,
 * what each recipient receives, and the dust (settled to the last recipient when the call ends
 * the schedule, or when `settle` is set, as `update_recipients` and `revoke` do).
 */
export function previewEmit(v: VaultSchedule, now: bigint, settle = false): EmitPreview {
  const from: Progress = {
    hours: v.emittedHours,
    total: v.totalEmitted,
    period: v.cursorPeriod,
    rate: v.cursorRate,
  };
  const shares = v.recipients.map((r) => r.shareBps);
  const none = (outcome: EmitPreview["outcome"]): EmitPreview => ({
    outcome,
    fromHour: v.emittedHours,
    toHour: v.emittedHours,
    amount: 0n,
    payments: shares.map(() => 0n),
    settledDust: 0n,
    undistributed: dust(shares, v.totalEmitted - v.recipientsBaseEmitted),
    totalEmitted: v.totalEmitted,
    periodsCrossed: 0n,
    caughtUp: true,
  });
  if (v.revoked || scheduleEnded(v, from)) return { ...none("ended"), undistributed: 0n };
  if (!settle) {
    if (v.paused) return none("VaultPaused");
    if (now < v.startTs) return none("NotStarted");
    if (hoursDue(v.startTs, now) <= v.emittedHours) return none("NothingDue");
  }
  const a = advance(v, from, hoursDue(v.startTs, now), MAX_PERIODS_PER_CALL);
  const base = v.recipientsBaseEmitted;
  const payments = splitPayments(shares, from.total - base, a.progress.total - base);
  const held = dust(shares, a.progress.total - base);
  const endsNow = scheduleEnded(v, a.progress);
  const settledDust = settle || endsNow ? held : 0n;
  payments[payments.length - 1] += settledDust;
  return {
    outcome: "pay",
    fromHour: from.hours,
    toHour: a.progress.hours,
    amount: a.amount,
    payments,
    settledDust,
    undistributed: held - settledDust,
    totalEmitted: a.progress.total,
    periodsCrossed: a.periodsCrossed,
    caughtUp: a.caughtUp,
  };
}

/** One row of a projection: a bucket of hours. */
export interface ProjectionRow {
  /** 0, 1, 2, ... */
  index: number;
  /** Hours `fromHour..toHour` (from the schedule's start). */
  fromHour: bigint;
  toHour: bigint;
  /** Unix time of `fromHour` (when `startTs` is given). */
  startTs?: bigint;
  /** The hourly rate in effect at `fromHour` (0 once the schedule has ended). */
  ratePerHour: bigint;
  /** Emitted during the bucket. */
  emitted: bigint;
  /** Emitted from hour 0 to the end of the bucket. */
  cumulative: bigint;
  /** Whether the cap is reached by the end of the bucket. */
  capReached: boolean;
}

export interface ProjectionOptions {
  /** Hours per row: 1n (default) per hour, `HOURS_PER_MONTH` per month, ... */
  bucketHours?: bigint;
  /** The first row starts here (default 0n). */
  fromHour?: bigint;
  /** At most this many rows (default 100 000). */
  maxRows?: number;
  /** The schedule's start, to date each row. */
  startTs?: bigint;
}

/**
 * Tabulates the schedule by buckets of hours (per hour, per month ...), each row with its rate,
 * its emission and the cumulative total, until the schedule ends (the row that reaches the cap
 * or in which the rate decays to zero is the last) or `maxRows` rows. Work is proportional to
 * rows plus decay periods.
 */
export function projection(s: Schedule, o: ProjectionOptions = {}): ProjectionRow[] {
  const bucket = o.bucketHours ?? 1n;
  if (bucket <= 0n) throw new RangeError("bucketHours must be positive");
  const maxRows = o.maxRows ?? 100_000;
  let p = advance(s, startProgress(s), o.fromHour ?? 0n).progress;
  let from = o.fromHour ?? 0n;
  const rows: ProjectionRow[] = [];
  while (rows.length < maxRows) {
    const ended = scheduleEnded(s, p);
    const to = from + bucket;
    const next = advance(s, p, to).progress;
    rows.push({
      index: rows.length,
      fromHour: from,
      toHour: to,
      ...(o.startTs !== undefined ? { startTs: o.startTs + from * SECS_PER_HOUR } : {}),
      ratePerHour: ended ? 0n : p.rate,
      emitted: next.total - p.total,
      cumulative: next.total,
      capReached: next.total >= s.cap,
    });
    if (scheduleEnded(s, next)) break;
    p = next;
    from = to;
  }
  return rows;
}
