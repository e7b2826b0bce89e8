// The SDK's pure mirror of the emission schedule against the program's own math: every vector
// of tests/vectors/emissions.json (generated and verified by programs/emissions/tests/vectors.rs
// from crucible_emissions::math) must come out of the TypeScript to the unit. Then the
// projection helper, checked against emittedBetween and DESIGN.md's default economics.
// No validator needed.
import { readFileSync } from "fs";
import { join } from "path";
import { expect } from "chai";

import { emissions } from "../sdk/src";

interface ScheduleVector {
  name: string;
  initialPerHour: string;
  decayBps: number;
  periodHours: number;
  cap: string;
  rates: string[];
  cumulative: Array<[string, string]>;
  between: Array<[string, string, string]>;
  endHour: string;
  endTotal: string;
}

interface SplitVector {
  shares: number[];
  before: string;
  after: string;
  payments: string[];
  dust: string;
}

const vectors = JSON.parse(readFileSync(join(__dirname, "vectors", "emissions.json"), "utf8")) as {
  schedules: ScheduleVector[];
  splits: SplitVector[];
};

const scheduleOf = (v: ScheduleVector): emissions.Schedule => ({
  initialPerHour: BigInt(v.initialPerHour),
  decayBps: v.decayBps,
  periodHours: v.periodHours,
  cap: BigInt(v.cap),
});

describe("emissions / math mirror (shared vectors with the Rust program)", () => {
  it("has vectors to check: named edge schedules, random ones and recipient splits", () => {
    expect(vectors.schedules.length).to.be.at.least(50);
    expect(vectors.splits.length).to.be.at.least(40);
    const names = vectors.schedules.map((s) => s.name);
    for (const n of ["default", "no-decay", "full-decay", "decays-to-zero", "huge-rate"]) {
      expect(names).to.include(n);
    }
  });

  for (const v of vectors.schedules) {
    it(`agrees with the program on schedule ${v.name}`, () => {
      const s = scheduleOf(v);
      v.rates.forEach((rate, k) => {
        expect(emissions.rateOfPeriod(s, BigInt(k)), `rate(${k})`).to.equal(BigInt(rate));
      });
      for (const [hours, total] of v.cumulative) {
        expect(emissions.cumulativeEmitted(s, BigInt(hours)), `cumulative(${hours})`).to.equal(
          BigInt(total),
        );
        expect(emissions.emittedBetween(s, 0n, BigInt(hours))).to.equal(BigInt(total));
      }
      for (const [from, to, amount] of v.between) {
        expect(
          emissions.emittedBetween(s, BigInt(from), BigInt(to)),
          `emittedBetween(${from}, ${to})`,
        ).to.equal(BigInt(amount));
      }
      const end = emissions.scheduleEnd(s);
      expect(end.hours, "end hour").to.equal(BigInt(v.endHour));
      expect(end.total, "end total").to.equal(BigInt(v.endTotal));
    });
  }

  it("agrees with the program on every recipient split and its dust", () => {
    for (const v of vectors.splits) {
      const payments = emissions.splitPayments(v.shares, BigInt(v.before), BigInt(v.after));
      expect(payments.map(String), JSON.stringify(v)).to.deep.equal(v.payments);
      expect(emissions.dust(v.shares, BigInt(v.after)), JSON.stringify(v)).to.equal(BigInt(v.dust));
    }
  });

  it("bounds a call by the program's MAX_PERIODS_PER_CALL, a leap year of hourly periods", () => {
    const source = readFileSync(join(__dirname, "../programs/emissions/src/math.rs"), "utf8");
    const declared = /pub const MAX_PERIODS_PER_CALL: u64 = ([\d_]+);/.exec(source);
    expect(declared, "MAX_PERIODS_PER_CALL in math.rs").to.not.equal(null);
    expect(BigInt(declared![1].replace(/_/g, ""))).to.equal(emissions.MAX_PERIODS_PER_CALL);
    expect(emissions.MAX_PERIODS_PER_CALL).to.equal(366n * 24n);
  });

  it("pays the same over any split of the hours, and refuses impossible inputs", () => {
    const s = scheduleOf(vectors.schedules.find((v) => v.name === "small")!);
    let p = emissions.startProgress(s);
    let paid = 0n;
    for (const to of [1n, 2n, 7n, 8n, 30n, 31n, 200n]) {
      const a = emissions.advance(s, p, to, 1n);
      paid += a.amount;
      p = a.progress;
      while (!a.caughtUp && p.hours < to) {
        const more = emissions.advance(s, p, to, 1n);
        paid += more.amount;
        p = more.progress;
        if (more.caughtUp) break;
      }
    }
    expect(paid).to.equal(emissions.cumulativeEmitted(s, 200n));
    expect(() => emissions.emittedBetween(s, 5n, 4n)).to.throw(RangeError);
    expect(() => emissions.cumulativeEmitted({ ...s, decayBps: 10_001 }, 3n)).to.throw(RangeError);
    expect(() => emissions.cumulativeEmitted({ ...s, periodHours: 0 }, 3n)).to.throw(RangeError);
    expect(() => emissions.cumulativeEmitted(s, -1n)).to.throw(RangeError);
  });
});

describe("emissions / projection", () => {
  const s = emissions.defaultSchedule(6);

  it("tabulates DESIGN.md's default schedule by month until the cap (about 20 years)", () => {
    const rows = emissions.projection(s, { bucketHours: emissions.HOURS_PER_MONTH });
    const last = rows[rows.length - 1];
    expect(last.cumulative).to.equal(s.cap);
    expect(last.capReached).to.equal(true);
    expect(rows.slice(0, -1).every((r) => !r.capReached)).to.equal(true);
    // 175,220 hours: the 241st month (vectors: endHour of "default").
    expect(rows).to.have.length(241);
    expect(emissions.scheduleEnd(s).hours).to.equal(175_220n);
    // Each month is one period: 730 × rate(k), the rate decaying 1.02 % a month.
    expect(rows[0].ratePerHour).to.equal(4_583_000_000n);
    expect(rows[0].emitted).to.equal(730n * 4_583_000_000n);
    expect(rows[1].ratePerHour).to.equal(4_536_253_400n);
    let cumulative = 0n;
    for (const r of rows) {
      expect(r.emitted).to.equal(emissions.emittedBetween(s, r.fromHour, r.toHour));
      cumulative += r.emitted;
      expect(r.cumulative).to.equal(cumulative);
      if (!r.capReached) expect(r.emitted).to.equal(730n * r.ratePerHour);
    }
    // The first year emits ~38 M of the 300 M.
    expect(rows[11].cumulative).to.equal(emissions.cumulativeEmitted(s, 8_760n));
    expect(rows[11].cumulative / 1_000_000n).to.equal(37_969_676n);
  });

  it("tabulates per hour around a decay boundary, dated from the start", () => {
    const startTs = 1_700_000_000n;
    const rows = emissions.projection(s, { fromHour: 728n, maxRows: 4, startTs });
    expect(rows.map((r) => r.fromHour)).to.deep.equal([728n, 729n, 730n, 731n]);
    expect(rows.map((r) => r.emitted)).to.deep.equal([
      4_583_000_000n,
      4_583_000_000n,
      4_536_253_400n,
      4_536_253_400n,
    ]);
    expect(rows[2].startTs).to.equal(startTs + 730n * 3_600n);
    expect(rows[3].cumulative).to.equal(emissions.cumulativeEmitted(s, 732n));
  });

  it("ends with the row whose last hour is clipped at the cap, or whose rate decays to zero", () => {
    const clipped = emissions.projection({
      initialPerHour: 1_001n,
      decayBps: 0,
      periodHours: 10,
      cap: 2_500n,
    });
    expect(clipped.map((r) => r.emitted)).to.deep.equal([1_001n, 1_001n, 498n]);
    expect(clipped.map((r) => r.capReached)).to.deep.equal([false, false, true]);
    const decayed = emissions.projection({
      initialPerHour: 10n,
      decayBps: 5_000,
      periodHours: 1,
      cap: 1_000n,
    });
    expect(decayed.map((r) => r.emitted)).to.deep.equal([10n, 5n, 2n, 1n]);
    expect(decayed[decayed.length - 1].cumulative).to.equal(18n);
    expect(
      emissions.emittedAt(
        { initialPerHour: 10n, decayBps: 5_000, periodHours: 1, cap: 1_000n },
        9n,
      ),
    ).to.equal(0n);
  });
});
