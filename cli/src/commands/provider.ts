// Provider commands: stake, activate, unstake, cancel-unstake, withdraw, claim, status.
import { PublicKey } from "@solana/web3.js";

import { market as marketSdk, staking as stakingSdk } from "../../../sdk/src";
import type { Env, Network } from "../env";
import { CliError } from "../errors";
import { formatTime, keyValues, table } from "../output";
import { formatDuration, parsePubkey } from "../parse";
import { amountFlag, ev, opt, tokens, txOutput } from "./common";
import type { Invocation } from "./types";
import { claimAll } from "./work";

const ix = stakingSdk.instructions;

/** Refuses early when `owner` has no stake account (the program would only say the account is
 * not initialized). */
async function needStake(env: Env, net: Network, owner: PublicKey): Promise<void> {
  const address = stakingSdk.providerStakePda(net.pool, owner);
  if (!(await env.connection.getAccountInfo(address, "confirmed")))
    throw new CliError(
      `${owner.toBase58()} has no stake account in the pool (stake first: \`crucible provider stake\`)`,
      "NoStakeAccount",
    );
}

export async function stake(inv: Invocation) {
  const { env } = inv;
  const amountOf = amountFlag(inv, "amount")!;
  const owner = env.me;
  const net = await env.network();
  const amount = amountOf(net.decimals);
  const source = await env.sourceAccount(owner, opt(inv, "token-account"), amount);
  const signature = await env.send([
    ix.stake({ owner, mint: net.mint, source, amount, tokenProgram: net.tokenProgram }),
  ]);
  const e = await env.event(signature, "staked");
  const stakeAccount = stakingSdk.providerStakePda(net.pool, owner);
  return txOutput(
    `staked ${tokens(net, amount)}`,
    signature,
    {
      owner,
      stakeAccount,
      source,
      amount,
      active: ev(e, "active"),
      totalActive: ev(e, "totalActive"),
      warming: ev(e, "warming"),
      warmAt: ev(e, "warmAt"),
    },
    [
      ["owner", owner.toBase58()],
      ["stake account", stakeAccount.toBase58()],
      ["amount", tokens(net, amount)],
      ["active", tokens(net, ev(e, "active"))],
      [
        "warming up",
        `${tokens(net, ev(e, "warming"))} (earns once activated, from ${formatTime(ev(e, "warmAt"))}: \`crucible provider activate\`)`,
      ],
    ],
  );
}

/** Activates stake that finished warming up (one hour after it arrived), emitting the reward
 * sources that are behind first; anyone may activate anyone's (`--owner`). */
export async function activate(inv: Invocation) {
  const { env } = inv;
  const ownerText = opt(inv, "owner");
  const owner = ownerText ? parsePubkey(ownerText, "--owner") : env.me;
  const net = await env.network();
  await needStake(env, net, owner);
  const signature = await env.send(
    await stakingSdk.activateStakeInstructions(env.connection, { mint: net.mint, owner }),
  );
  const e = await env.event(signature, "stakeActivated");
  return txOutput(
    `activated ${tokens(net, ev(e, "amount"))}: it earns rewards from now on`,
    signature,
    { owner, amount: ev(e, "amount"), weight: ev(e, "weight"), totalWeight: ev(e, "totalWeight") },
    [
      ["owner", owner.toBase58()],
      ["activated", tokens(net, ev(e, "amount"))],
      ["earning stake", tokens(net, ev(e, "weight"))],
    ],
  );
}

export async function unstake(inv: Invocation) {
  const { env } = inv;
  const amountOf = amountFlag(inv, "amount")!;
  const owner = env.me;
  const net = await env.network();
  await needStake(env, net, owner);
  const amount = amountOf(net.decimals);
  const signature = await env.send([ix.requestUnstake({ owner, mint: net.mint, amount })]);
  const e = await env.event(signature, "unstakeRequested");
  return txOutput(
    `unbonding ${tokens(net, amount)} more`,
    signature,
    {
      owner,
      amount,
      active: ev(e, "active"),
      unbonding: ev(e, "unbonding"),
      readyAt: ev(e, "readyAt"),
    },
    [
      ["amount", tokens(net, amount)],
      ["active", tokens(net, ev(e, "active"))],
      ["unbonding", tokens(net, ev(e, "unbonding"))],
      ["withdrawable at", formatTime(ev(e, "readyAt"))],
    ],
  );
}

export async function cancelUnstake(inv: Invocation) {
  const { env } = inv;
  const owner = env.me;
  const net = await env.network();
  await needStake(env, net, owner);
  const signature = await env.send([ix.cancelUnstake({ owner, mint: net.mint })]);
  const e = await env.event(signature, "unstakeCancelled");
  return txOutput(
    `${tokens(net, ev(e, "amount"))} back to active stake`,
    signature,
    { owner, amount: ev(e, "amount"), active: ev(e, "active") },
    [
      ["amount", tokens(net, ev(e, "amount"))],
      ["active", tokens(net, ev(e, "active"))],
    ],
  );
}

/** Sends `build` (withdraw, claim_rewards) paying the signer's stake account out to
 * --token-account or its associated token account (created if missing); returns the event. */
async function payOut(
  inv: Invocation,
  build: typeof ix.withdraw | typeof ix.claimRewards,
  event: string,
) {
  const { env } = inv;
  const owner = env.me;
  const net = await env.network();
  await needStake(env, net, owner);
  const dest = await env.receivingAccount(owner, opt(inv, "token-account"));
  const signature = await env.send([
    ...dest.create,
    build({
      owner,
      mint: net.mint,
      destination: dest.address,
      tokenProgram: net.tokenProgram,
    }),
  ]);
  return { net, owner, dest, signature, e: await env.event(signature, event) };
}

export async function withdraw(inv: Invocation) {
  const { net, owner, dest, signature, e } = await payOut(inv, ix.withdraw, "withdrawn");
  return txOutput(
    `withdrew ${tokens(net, ev(e, "amount"))}`,
    signature,
    { owner, amount: ev(e, "amount"), destination: dest.address },
    [
      ["amount", tokens(net, ev(e, "amount"))],
      ["to", dest.address.toBase58()],
    ],
  );
}

/** Claims the staking rewards, then the work rewards of every finalized hour in the markets'
 * work pools, into the same account. `NothingToClaim` only when there is neither. */
export async function claim(inv: Invocation) {
  const { env } = inv;
  const owner = env.me;
  const net = await env.network();
  await needStake(env, net, owner);
  let staked: Awaited<ReturnType<typeof payOut>> | undefined;
  let nothing: unknown;
  try {
    staked = await payOut(inv, ix.claimRewards, "rewardsClaimed");
  } catch (err) {
    if ((err as { name?: string }).name !== "NothingToClaim") throw err;
    nothing = err;
  }
  const dest = staked?.dest ?? (await env.receivingAccount(owner, opt(inv, "token-account")));
  if (!staked && dest.create.length) await env.send(dest.create);
  const workClaims = await claimAll(env, owner, dest.address);
  if (!staked && workClaims.hours === 0) throw nothing;
  const e = staked?.e;
  const amount = staked ? ev(e, "amount") : 0n;
  const signature = staked?.signature ?? workClaims.signatures[0];
  return txOutput(
    `claimed ${tokens(net, amount)} of staking rewards and ${tokens(net, workClaims.amount)} of work rewards`,
    signature,
    {
      owner,
      amount,
      destination: dest.address,
      rewardsClaimed: staked ? ev(e, "rewardsClaimed") : undefined,
      work: {
        amount: workClaims.amount,
        hours: workClaims.hours,
        signatures: workClaims.signatures,
      },
    },
    [
      ["staking rewards", tokens(net, amount)],
      ["work rewards", `${tokens(net, workClaims.amount)} (${workClaims.hours} hours)`],
      ["to", dest.address.toBase58()],
    ],
  );
}

export async function status(inv: Invocation) {
  const { env } = inv;
  const ownerFlag = opt(inv, "owner");
  const owner = ownerFlag ? parsePubkey(ownerFlag, "--owner") : env.me;
  const net = await env.network();
  const pool = await stakingSdk.fetchStakePool(env.connection, net.pool);
  if (!pool)
    throw new CliError(
      `no staking pool for the mint ${net.mint.toBase58()} at ${net.pool.toBase58()}`,
      "PoolNotFound",
    );
  const stakeAccount = stakingSdk.providerStakePda(net.pool, owner);
  const [s, rewardVault, wallet, jobs, now] = await Promise.all([
    stakingSdk.fetchProviderStake(env.connection, stakeAccount),
    env.tokenAccount(pool.rewardVault),
    env.tokenAccount(env.ata(owner, net)),
    marketSdk.listJobs(env.connection, { provider: owner }),
    env.now(),
  ]);
  const pending = s ? stakingSdk.pendingRewards(pool, s, rewardVault?.amount ?? 0n) : 0n;
  const zero = 0n;
  const fields = {
    active: s?.active ?? zero,
    locked: s?.locked ?? zero,
    free: s ? s.active - s.locked : zero,
    warming: s?.warming ?? zero,
    warmAt: s && s.warming > 0n ? s.warmingSince + stakingSdk.WARMUP_SECS : zero,
    unbonding: s?.unbonding ?? zero,
    unbondingReadyAt: s?.unbondingReadyAt ?? zero,
    pendingRewards: pending,
    rewardsClaimed: s?.rewardsClaimed ?? zero,
    slashedTotal: s?.slashedTotal ?? zero,
    jobsCompleted: s?.jobsCompleted ?? zero,
    jobsFailed: s?.jobsFailed ?? zero,
  };
  const jobList = jobs.map(({ address, account: j }) => ({
    address,
    market: j.market,
    state: j.state,
    price: j.price,
    collateral: j.collateral,
    deadline: j.deadline,
    disputeDeadline: j.disputeDeadline,
  }));
  const ready =
    fields.unbonding === 0n
      ? ""
      : fields.unbondingReadyAt <= now
        ? " (withdrawable now)"
        : ` (withdrawable at ${formatTime(fields.unbondingReadyAt)}, in ${formatDuration(fields.unbondingReadyAt - now)})`;
  const human = [
    keyValues([
      ["provider", owner.toBase58()],
      ["stake account", `${stakeAccount.toBase58()}${s ? "" : " (none yet)"}`],
      ["active", tokens(net, fields.active)],
      ["locked", tokens(net, fields.locked)],
      ["free", tokens(net, fields.free)],
      [
        "warming up",
        tokens(net, fields.warming) +
          (fields.warming === 0n
            ? ""
            : fields.warmAt <= now
              ? " (activate now: `crucible provider activate`)"
              : ` (can be activated at ${formatTime(fields.warmAt)})`),
      ],
      ["unbonding", tokens(net, fields.unbonding) + ready],
      ["pending rewards", tokens(net, fields.pendingRewards)],
      ["rewards claimed", tokens(net, fields.rewardsClaimed)],
      ["slashed", tokens(net, fields.slashedTotal)],
      ["jobs completed", fields.jobsCompleted.toString()],
      ["jobs failed", fields.jobsFailed.toString()],
      ["wallet balance", tokens(net, wallet?.amount ?? 0n)],
      ["pool minimum", tokens(net, pool.minStake)],
      ["unbonding delay", formatDuration(pool.unbondingSecs)],
    ]),
    jobList.length
      ? "\n" +
        table(
          ["job", "state", "price", "collateral", "deadline"],
          jobList.map((j) => [
            j.address.toBase58(),
            j.state,
            tokens(net, j.price),
            tokens(net, j.collateral),
            formatTime(j.state === "submitted" ? j.disputeDeadline : j.deadline),
          ]),
        )
      : "\nno jobs in progress",
  ].join("\n");
  return {
    json: {
      owner,
      pool: net.pool,
      mint: net.mint,
      decimals: net.decimals,
      stakeAccount,
      exists: s !== null,
      ...fields,
      walletBalance: wallet?.amount ?? 0n,
      minStake: pool.minStake,
      unbondingSecs: pool.unbondingSecs,
      now,
      jobs: jobList,
    },
    human,
  };
}
