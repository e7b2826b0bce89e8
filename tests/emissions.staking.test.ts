// An emission vault paying a staking pool's reward vault (DESIGN.md: "An emission vault pays the
// staking pool's reward vault like any other recipient"), through both SDK clients against the
// local validator: over simulated days a crank emits, two providers staking 1:3 claim at
// different rhythms, and each receives exactly its share of what the vault paid the pool.
import { PublicKey } from "@solana/web3.js";
import { expect } from "chai";

import { emissions, EmissionsClient } from "../sdk/src";
import { requiresTimeTravel, warp } from "./harness/cheatcodes";
import {
  chainTime,
  emissionsTxEvent,
  newStaker,
  providerFor,
  stakingWorld,
  tokenAccount,
  tokenBalance,
} from "./harness/fixtures";

const DAY = 24 * 3_600;
/** Stakes whose total is a power of two keep the reward accumulator exact. */
const UNIT = 1n << 27n;

describe("emissions / paying the staking pool's reward vault", () => {
  it("pays the pool every day; providers staking 1:3 earn exactly 1:3 of it, however often they claim", async function () {
    await requiresTimeTravel(this);
    const w = await stakingWorld({ minStake: 1n });
    const schedule = emissions.defaultSchedule(6);
    const rewardVault = (await w.client.fetchPool(w.mint))!.rewardVault;
    const source = await tokenAccount(w.provider, w.mint, w.admin, schedule.cap);
    const treasury = await tokenAccount(w.provider, w.mint, w.admin);
    const client = new EmissionsClient(w.provider);
    const { vault } = await client.createVault({
      mint: w.mint,
      source,
      // Hour 0 starts once the stake below has warmed up.
      startTs: (await chainTime(w.provider)) + 3_600n,
      ...schedule,
      revocable: false,
      recipients: [
        { tokenAccount: rewardVault, shareBps: 8_000 },
        { tokenAccount: treasury, shareBps: 2_000 },
      ],
    });

    await w.client.addRewardSource({ mint: w.mint, vault });
    const p2 = await newStaker(w);
    await w.client.stake({
      owner: w.provider1,
      mint: w.mint,
      source: w.providerSource,
      amount: UNIT,
    });
    await w.client.stake({ owner: p2.keypair, mint: w.mint, source: p2.source, amount: 3n * UNIT });
    await warp(w.provider, 3_600);
    await w.client.activateStake({ mint: w.mint, owner: w.provider1.publicKey });
    await w.client.activateStake({ mint: w.mint, owner: p2.keypair.publicKey });
    const dest1 = await tokenAccount(w.provider, w.mint, w.provider1.publicKey);
    const dest2 = await tokenAccount(w.provider, w.mint, p2.keypair.publicKey);

    // Seven days: anyone cranks once a day; provider 1 claims every day, provider 2 at the end.
    const crank = new EmissionsClient(providerFor(w.attacker));
    let toPool = 0n;
    for (let day = 1; day <= 7; day++) {
      await warp(w.provider, DAY);
      const sig = await crank.emit({ vault });
      const e = await emissionsTxEvent(w.provider, sig, "emitted");
      const [pool] = e.payments as Array<{ tokenAccount: PublicKey; amount: bigint }>;
      expect(pool.tokenAccount.equals(rewardVault)).to.equal(true);
      toPool += pool.amount;
      expect(await w.client.pendingRewards(w.mint, w.provider1.publicKey)).to.equal(
        toPool / 4n - (await tokenBalance(w.provider, dest1)),
      );
      await w.client.claimRewards({ mint: w.mint, owner: w.provider1, destination: dest1 });
    }
    await w.client.claimRewards({ mint: w.mint, owner: p2.keypair, destination: dest2 });

    const emitted = emissions.emittedBetween(schedule, 0n, 7n * 24n);
    expect((await client.fetchVault(vault))!.totalEmitted).to.equal(emitted);
    expect(toPool).to.equal((emitted * 8_000n) / 10_000n);
    expect(await tokenBalance(w.provider, treasury)).to.equal((emitted * 2_000n) / 10_000n);
    expect(await tokenBalance(w.provider, dest1)).to.equal(toPool / 4n);
    expect(await tokenBalance(w.provider, dest2)).to.equal((3n * toPool) / 4n);
    expect(await tokenBalance(w.provider, rewardVault)).to.equal(
      toPool - toPool / 4n - (3n * toPool) / 4n,
    );
  });
});
