// Event parsing at every CPI depth: the logs of a real resolve_dispute (market, calling the
// staking program's slash and unlock through CPI), recorded from the in-process chain.
import { expect } from "chai";
import { readFileSync } from "node:fs";
import { join } from "node:path";

import { market, staking } from "../sdk/src";

const logs: string[] = JSON.parse(
  readFileSync(join(__dirname, "vectors/resolve-dispute-logs.json"), "utf8"),
);

describe("sdk / events across CPI", () => {
  it("finds the staking program's events emitted under the market's CPI", () => {
    const s = staking.parseStakingEvents(logs);
    expect(s.map((e) => e.name)).to.deep.equal(["slashed", "collateralUnlocked"]);
    expect(s[0].data.amount).to.equal(1_000n);
    expect(s[0].data.fromLocked).to.equal(1_000n);
    expect(s[1].data.outcome).to.deep.equal({ failed: {} });
  });

  it("finds the market's own event and no other program's", () => {
    const m = market.parseMarketEvents(logs);
    expect(m.map((e) => e.name)).to.deep.equal(["disputeResolved"]);
    expect(m[0].data.refunded).to.equal(7_000n);
    expect(m[0].data.slashed).to.equal(1_000n);
  });
});
