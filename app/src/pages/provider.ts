// #/provider/<owner>: a provider's stake (active, locked, warming, unbonding), rewards
// (pending, claimed, work records), completed and failed counts, its jobs; and its moves:
// stake, unstake, activate, claim staking and work rewards.
import { emissions, market, staking } from "@crucible/sdk";
import { AccountLayout, getAssociatedTokenAddressSync } from "@solana/spl-token";
import { PublicKey } from "@solana/web3.js";

import { formatTokens } from "../amount";
import { facts, h, when } from "../dom";
import { chainNow, connection, loadNetwork } from "../net";
import { field, InputError, noNetwork, type Page, readTokens } from "../page";
import { runTx } from "../tx";
import { connected } from "../wallet";
import { jobTable } from "./jobs";

/** The work pools the markets record in. */
async function workPools(): Promise<PublicKey[]> {
  const markets = await market.listMarkets(connection());
  const seen = new Map<string, PublicKey>();
  for (const { account } of markets)
    if (account.workPool) seen.set(account.workPool.toBase58(), account.workPool);
  return [...seen.values()];
}

export function providerPage(owner: string | undefined): Page {
  const ownerKey = (): PublicKey | null => {
    if (!owner) return connected()?.publicKey ?? null;
    try {
      return new PublicKey(owner);
    } catch {
      return null;
    }
  };
  return {
    title: "Provider",
    forms: () => {
      const amount = field("amount (tokens)", "stake-amount", { placeholder: "500" });
      const unstake = field("amount (tokens)", "unstake-amount", { placeholder: "100" });
      const mintOf = async () => {
        const net = await loadNetwork();
        if (!net) throw new InputError("no network at this RPC");
        return net;
      };
      return h(
        "section",
        { class: "form", testid: "provider-actions" },
        h("p", { class: "muted" }, "These act for the connected wallet."),
        amount.row,
        h(
          "button",
          {
            testid: "stake-submit",
            onclick: () =>
              void runTx("stake", async (c) => {
                const net = await mintOf();
                const units = readTokens(amount.input, net.decimals, "amount");
                if (units === 0n) throw new InputError("amount: must be more than 0");
                const source = getAssociatedTokenAddressSync(
                  net.mint,
                  c.wallet.publicKey,
                  true,
                  net.tokenProgram,
                );
                return c.staking.stake({
                  mint: net.mint,
                  amount: units,
                  source,
                  tokenProgram: net.tokenProgram,
                });
              }),
          },
          "Stake",
        ),
        h(
          "button",
          {
            testid: "activate",
            onclick: () =>
              void runTx("activate", async (c) =>
                c.staking.activateStake({ mint: (await mintOf()).mint }),
              ),
          },
          "Activate stake",
        ),
        unstake.row,
        h(
          "button",
          {
            testid: "unstake-submit",
            onclick: () =>
              void runTx("unstake", async (c) => {
                const net = await mintOf();
                const units = readTokens(unstake.input, net.decimals, "amount");
                return c.staking.requestUnstake({ mint: net.mint, amount: units });
              }),
          },
          "Request unstake",
        ),
        h(
          "button",
          {
            testid: "cancel-unstake",
            onclick: () =>
              void runTx("cancel unstake", async (c) =>
                c.staking.cancelUnstake({ mint: (await mintOf()).mint }),
              ),
          },
          "Cancel unstake",
        ),
        h(
          "button",
          {
            testid: "withdraw",
            onclick: () =>
              void runTx("withdraw", async (c) => {
                const net = await mintOf();
                const destination = getAssociatedTokenAddressSync(
                  net.mint,
                  c.wallet.publicKey,
                  true,
                  net.tokenProgram,
                );
                return c.staking.withdraw({
                  mint: net.mint,
                  destination,
                  tokenProgram: net.tokenProgram,
                });
              }),
          },
          "Withdraw unbonded",
        ),
        h(
          "button",
          {
            testid: "claim",
            onclick: () =>
              void runTx("claim", async (c) => {
                const net = await mintOf();
                const sigs: string[] = [];
                const me = c.wallet.publicKey;
                const stake = await c.staking.fetchStake(net.mint, me);
                const pending = stake ? await c.staking.pendingRewards(net.mint, me) : 0n;
                if (pending > 0n) {
                  const destination = getAssociatedTokenAddressSync(
                    net.mint,
                    me,
                    true,
                    net.tokenProgram,
                  );
                  sigs.push(
                    await c.staking.claimRewards({
                      mint: net.mint,
                      destination,
                      tokenProgram: net.tokenProgram,
                    }),
                  );
                }
                for (const pool of await workPools()) {
                  const out = await c.emissions.claimWorkRewards({ pool });
                  sigs.push(...out.signatures);
                }
                if (sigs.length === 0) throw new InputError("nothing to claim");
                return sigs;
              }),
          },
          "Claim rewards (staking and work)",
        ),
      );
    },
    view: async () => {
      const key = ownerKey();
      if (!key)
        return h(
          "p",
          { testid: "not-found", class: "muted" },
          owner ? `not an address: ${owner}` : "connect a wallet to see its provider account",
        );
      const net = await loadNetwork();
      if (!net) return noNetwork();
      const c = connection();
      const stakeAddr = staking.providerStakePda(net.pool, key);
      const ata = getAssociatedTokenAddressSync(net.mint, key, true, net.tokenProgram);
      const [poolInfo, stakeInfo, vaultInfo, ataInfo] = await c.getMultipleAccountsInfo(
        [net.pool, stakeAddr, staking.rewardVaultPda(net.pool), ata],
        "confirmed",
      );
      const balance = ataInfo ? AccountLayout.decode(ataInfo.data).amount : 0n;
      const [now, asProvider, asClient, pools, markets] = await Promise.all([
        chainNow(),
        market.listJobs(c, { provider: key }),
        market.listJobs(c, { client: key }),
        workPools(),
        market.listMarkets(c),
      ]);
      const names = new Map(markets.map((m) => [m.address.toBase58(), m.account.name]));
      const d = net.decimals;
      const t = (x: bigint) => formatTokens(x, d);
      const work = (
        await Promise.all(pools.map((p) => emissions.listProviderWork(c, p, key)))
      ).flat();
      const workBurned = work.reduce((s, w) => s + w.account.burned, 0n);
      const head = h(
        "div",
        {},
        h("h2", { testid: "provider-owner" }, key.toBase58()),
        facts([["wallet-balance", "token balance", t(balance)]]),
      );
      const jobs = [
        h("h2", {}, "Jobs as provider"),
        jobTable("provider-jobs", asProvider, d, names),
        h("h2", {}, "Jobs as client"),
        jobTable("client-jobs", asClient, d, names),
      ];
      if (!poolInfo || !stakeInfo) {
        return h(
          "div",
          {},
          head,
          h("p", { testid: "no-stake", class: "muted" }, "no stake in this network's pool"),
          ...jobs,
        );
      }
      const pool = staking.decodeStakePool(poolInfo.data);
      const s = staking.decodeProviderStake(stakeInfo.data);
      const vaultBalance = vaultInfo ? AccountLayout.decode(vaultInfo.data).amount : 0n;
      const pending = staking.pendingRewards(pool, s, vaultBalance);
      return h(
        "div",
        {},
        head,
        facts([
          ["stake-active", "active", t(s.active)],
          ["stake-locked", "locked", t(s.locked)],
          ["stake-free", "free", t(s.active - s.locked)],
          ["stake-warming", "warming", t(s.warming)],
          ["stake-unbonding", "unbonding", t(s.unbonding)],
          [
            "stake-unbonding-ready",
            "unbonding ready",
            s.unbonding > 0n
              ? `${when(s.unbondingReadyAt)}${s.unbondingReadyAt <= now ? " (ready)" : ""}`
              : "—",
          ],
          ["rewards-pending", "rewards pending", t(pending)],
          ["rewards-claimed", "rewards claimed", t(s.rewardsClaimed)],
          ["work-records", "work records unclaimed", `${work.length} (burned ${t(workBurned)})`],
          ["slashed-total", "slashed", t(s.slashedTotal)],
          ["jobs-completed", "jobs completed", String(s.jobsCompleted)],
          ["jobs-failed", "jobs failed", String(s.jobsFailed)],
        ]),
        ...jobs,
      );
    },
    live: (c, changed) => {
      const a = c.onProgramAccountChange(staking.program.programId, changed, "confirmed");
      const b = c.onProgramAccountChange(market.program.programId, changed, "confirmed");
      const e = c.onProgramAccountChange(emissions.program.programId, changed, "confirmed");
      return [a, b, e].map((id) => () => void c.removeProgramAccountChangeListener(id));
    },
  };
}
