// Event parsing at every CPI depth: the logs of a real resolve_dispute (market, calling the
// staking program's slash and unlock through CPI), recorded from the in-process chain. And the
// events' types: a union discriminated by name, derived from the IDL, checked by `tsc`.
import { expect } from "chai";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { Keypair } from "@solana/web3.js";

import { eventsNamed, market, staking } from "../sdk/src";

const logs: string[] = JSON.parse(
  readFileSync(join(__dirname, "vectors/resolve-dispute-logs.json"), "utf8"),
);

describe("sdk / events across CPI", () => {
  it("finds the staking program's events emitted under the market's CPI", () => {
    const s = staking.parseEvents(logs);
    expect(s.map((e) => e.name)).to.deep.equal(["slashed", "collateralUnlocked"]);
    const [slashed] = staking.eventsNamed(s, "slashed");
    const [unlocked] = staking.eventsNamed(s, "collateralUnlocked");
    expect(slashed.amount).to.equal(1_000n);
    expect(slashed.fromLocked).to.equal(1_000n);
    expect(unlocked.outcome).to.deep.equal({ failed: {} });
  });

  it("finds the market's own event and no other program's", () => {
    const m = market.parseEvents(logs);
    expect(m.map((e) => e.name)).to.deep.equal(["disputeResolved"]);
    const [resolved] = eventsNamed(m, "disputeResolved");
    expect(resolved.refunded).to.equal(7_000n);
    expect(resolved.slashed).to.equal(1_000n);
  });

  it("reads the events of the program at the address given", () => {
    const elsewhere = Keypair.generate().publicKey;
    expect(market.parseEvents(logs, { programId: elsewhere })).to.deep.equal([]);
  });
});

describe("sdk / typed events", () => {
  it("narrows an event's data by its name, amounts as bigint", () => {
    const seen: bigint[] = [];
    for (const e of market.parseEvents(logs)) {
      if (e.name === "disputeResolved") {
        const refunded: bigint = e.data.refunded;
        seen.push(refunded, e.data.slashed);
        // @ts-expect-error: a misspelt field does not type-check
        expect(e.data.refundd).to.equal(undefined);
      }
      if (e.name === "jobCompleted") {
        const paid: bigint = e.data.paid;
        seen.push(paid);
        // @ts-expect-error: `paid` is a bigint, not a number
        const wrong: number = e.data.paid;
        expect(wrong).to.not.equal(undefined);
      }
      // @ts-expect-error: not every market event has a `refunded`
      expect(e.data.refunded).to.equal(7_000n);
    }
    expect(seen).to.deep.equal([7_000n, 1_000n]);
  });

  it("types the event names and each event's data by the IDL", () => {
    const names: market.Event["name"][] = ["jobCompleted", "disputeResolved", "feesSwept"];
    // @ts-expect-error: no market event is called so
    const misspelt: market.Event["name"] = "jobCompletd";
    const quit: market.EventData["jobQuit"]["quitterCount"] = 1;
    const outcome: staking.EventData["collateralUnlocked"]["outcome"] = { completed: {} };
    expect([names.length, misspelt, quit, Object.keys(outcome)]).to.deep.equal([
      3,
      "jobCompletd",
      1,
      ["completed"],
    ]);
    // @ts-expect-error: `eventsNamed` takes only the names of the events given
    expect(staking.eventsNamed(staking.parseEvents(logs), "jobCompleted")).to.deep.equal([]);
  });
});
