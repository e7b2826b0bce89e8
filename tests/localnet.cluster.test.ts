// The cluster methods a one-node solana-test-validator answers, through unmodified
// @solana/web3.js 1.98 and @solana/kit: supply, largest accounts, inflation, vote accounts,
// cluster nodes, leader schedule, slot leaders, block production, stake minimum delegation,
// snapshots, performance samples, and the methods agave 2.0 removed. Values are checked against
// the chain itself (balances, identity, epoch schedule, slots), errors against agave 2.3's.
import {
  SOLANA_ERROR__JSON_RPC__INVALID_PARAMS,
  SOLANA_ERROR__JSON_RPC__SERVER_ERROR_BLOCK_NOT_AVAILABLE,
  SOLANA_ERROR__JSON_RPC__SERVER_ERROR_NO_SNAPSHOT,
  address,
  createSolanaRpc,
  isSolanaError,
} from "@solana/kit";
import {
  Authorized,
  ContactInfo,
  Keypair,
  LAMPORTS_PER_SOL,
  Lockup,
  PublicKey,
  SolanaJSONRPCError,
  StakeProgram,
  SystemProgram,
  Transaction,
  VoteAccountInfo,
  sendAndConfirmTransaction,
} from "@solana/web3.js";
import { expect } from "chai";

import { requiresTimeTravel, warp } from "./harness/cheatcodes";
import { fundedKeypair, getProvider, pastSlot, rpcCall, rpcRequest } from "./harness/env";

/** The members of agave's answers that web3.js 1.98's types leave out (they are passed on). */
interface VoteAccountExtras {
  rootSlot: number;
}
interface ContactInfoExtras {
  pubsub: string | null;
  featureSet: number | null;
  shredVersion: number | null;
  tpuQuic: string | null;
}

const VALIDATOR_STAKE_LAMPORTS = 1_000_000 * LAMPORTS_PER_SOL;
const SLOTS_PER_YEAR = 365.242199 * 24 * 60 * 60 * 2.5;

/** The error a promise rejects with. */
async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (e) {
    return e;
  }
  throw new Error("expected the call to fail");
}

async function jsonRpcError(promise: Promise<unknown>): Promise<SolanaJSONRPCError> {
  const e = await rejection(promise);
  expect(e).to.be.instanceOf(SolanaJSONRPCError);
  return e as SolanaJSONRPCError;
}

describe("localnet / cluster methods", () => {
  const provider = getProvider();
  const connection = provider.connection;
  const endpoint = connection.rpcEndpoint;
  let identity: PublicKey;
  /** The slot the suite's warp landed on: the slot before it holds no block. */
  let warpedTo: number;

  before(async function () {
    await requiresTimeTravel(this);
    const node = await rpcCall<{ identity: string }>(endpoint, "getIdentity");
    identity = new PublicKey(node.identity);
    expect((await connection.getSlotLeader()) === identity.toBase58()).to.equal(true);
    // Into a 432,000-slot epoch, 1,000 slots past its start: no epoch boundary falls between
    // two calls of a test (the next is 2 days of wall clock away).
    for (;;) {
      const info = await connection.getEpochInfo();
      const remaining = info.slotsInEpoch - info.slotIndex;
      const warped = await warp(provider, Math.ceil((remaining + 1_000) / 2.5));
      warpedTo = warped.slot;
      const after = await connection.getEpochInfo();
      if (after.slotsInEpoch === 432_000 && after.epoch === warped.epoch) break;
    }
  });

  describe("web3.js", () => {
    it("getSupply: every lamport, half a fee burned off it, locked stake not circulating", async () => {
      // web3.js reads the supply as a JS number (above 2^53, so rounded): the exact sums are
      // checked with kit, which reads u64 as bigint
      const exact = createSolanaRpc(endpoint);
      const alice = await fundedKeypair(provider, 20);
      // A fee leaves the supply (its burned half) as its block closes: measured between blocks.
      await pastSlot(connection, await connection.getSlot("confirmed"));
      const before = await connection.getSupply();
      expect(before.value.total).to.be.greaterThan(502_000_000 * LAMPORTS_PER_SOL);
      expect(before.value.circulating).to.be.a("number");
      expect(before.value.nonCirculating).to.be.a("number");
      expect(before.context.slot).to.be.a("number");
      const total = (await exact.getSupply().send()).value.total;

      const transfer = await sendAndConfirmTransaction(
        connection,
        new Transaction().add(
          SystemProgram.transfer({
            fromPubkey: alice.publicKey,
            toPubkey: Keypair.generate().publicKey,
            lamports: LAMPORTS_PER_SOL,
          }),
        ),
        [alice],
      );
      const { slot } = (await connection.getTransaction(transfer, {
        commitment: "confirmed",
        maxSupportedTransactionVersion: 0,
      }))!;
      await pastSlot(connection, slot);
      // 5 000 lamports of signature fee: 2 500 burned, 2 500 paid to the leader (the block's
      // fee reward).
      expect((await exact.getSupply().send()).value.total).to.equal(total - 2_500n);
      const block = await connection.getBlock(slot, {
        commitment: "confirmed",
        maxSupportedTransactionVersion: 0,
      });
      expect(block!.rewards).to.deep.include({
        pubkey: identity.toBase58(),
        lamports: 2_500,
        postBalance: block!.rewards![0].postBalance,
        rewardType: "Fee",
        commission: null,
      });

      const epoch = (await connection.getEpochInfo()).epoch;
      const stake = Keypair.generate();
      await sendAndConfirmTransaction(
        connection,
        StakeProgram.createAccount({
          fromPubkey: alice.publicKey,
          stakePubkey: stake.publicKey,
          authorized: new Authorized(alice.publicKey, alice.publicKey),
          lockup: new Lockup(0, epoch + 100, PublicKey.default),
          lamports: 3 * LAMPORTS_PER_SOL,
        }),
        [alice, stake],
      );
      const locked = await connection.getSupply();
      const listed = locked.value.nonCirculatingAccounts.map((k) => k.toBase58());
      expect(listed).to.include(stake.publicKey.toBase58());
      const balances = await connection.getMultipleAccountsInfo(
        locked.value.nonCirculatingAccounts,
      );
      const sum = balances.reduce((all, a) => all + BigInt(a?.lamports ?? 0), 0n);
      const lockedExact = (await exact.getSupply().send()).value;
      expect(lockedExact.nonCirculating).to.equal(sum);
      expect(lockedExact.circulating).to.equal(lockedExact.total - sum);
      expect(locked.value.nonCirculating).to.equal(Number(sum));
      const short = await connection.getSupply({ excludeNonCirculatingAccountsList: true });
      expect(short.value.nonCirculatingAccounts).to.deep.equal([]);
      expect(short.value.nonCirculating).to.equal(Number(sum));

      const nonCirculating = await connection.getLargestAccounts({ filter: "nonCirculating" });
      expect(nonCirculating.value.map((a) => a.address.toBase58())).to.include(
        stake.publicKey.toBase58(),
      );
      const circulating = await connection.getLargestAccounts({ filter: "circulating" });
      expect(circulating.value.map((a) => a.address.toBase58())).not.to.include(
        stake.publicKey.toBase58(),
      );
    });

    it("getLargestAccounts: the faucet, then the validator's vote and stake accounts", async () => {
      const { value } = await connection.getLargestAccounts();
      expect(value).to.have.length(20);
      expect(value[0].address.toBase58()).to.equal(identity.toBase58());
      expect(value[0].lamports).to.equal(await connection.getBalance(identity));
      for (let i = 1; i < value.length; i++) {
        expect(value[i - 1].lamports).to.be.at.least(value[i].lamports);
      }
      const vote = (await connection.getVoteAccounts()).current[0].votePubkey;
      const validator = value.slice(1, 3);
      expect(validator.map((a) => a.address.toBase58())).to.include(vote);
      expect(validator.map((a) => a.lamports)).to.deep.equal([
        VALIDATOR_STAKE_LAMPORTS,
        VALIDATOR_STAKE_LAMPORTS,
      ]);
    });

    it("getInflationGovernor and getInflationRate: the genesis inflation, tapered by year", async () => {
      expect(await connection.getInflationGovernor()).to.deep.equal({
        foundation: 0.05,
        foundationTerm: 7,
        initial: 0.08,
        taper: 0.15,
        terminal: 0.015,
      });
      const rate = await connection.getInflationRate();
      const schedule = await connection.getEpochSchedule();
      expect(rate.epoch).to.equal((await connection.getEpochInfo()).epoch);
      const year = schedule.getFirstSlotInEpoch(rate.epoch) / SLOTS_PER_YEAR;
      expect(rate.total).to.be.closeTo(Math.max(0.08 * 0.85 ** year, 0.015), 1e-12);
      expect(rate.foundation).to.be.closeTo(year < 7 ? rate.total * 0.05 : 0, 1e-12);
      expect(rate.validator).to.be.closeTo(rate.total - rate.foundation, 1e-12);
    });

    it("getInflationReward: null in an ended epoch (none is paid), refused for the current", async () => {
      const vote = (await connection.getVoteAccounts()).current[0];
      const rewards = await connection.getInflationReward([
        identity,
        new PublicKey(vote.votePubkey),
      ]);
      expect(rewards).to.deep.equal([null, null]);
      const { epoch } = await connection.getEpochInfo();
      expect(await connection.getInflationReward([identity], epoch - 1)).to.deep.equal([null]);
      const e = await jsonRpcError(connection.getInflationReward([identity], epoch));
      const schedule = await connection.getEpochSchedule();
      expect(e.code).to.equal(-32004);
      expect(e.message).to.contain(
        `Block not available for slot ${schedule.getFirstSlotInEpoch(epoch + 1)}`,
      );
      const bad = await rpcRequest(endpoint, "getInflationReward", [["not-a-key"]]);
      expect(bad.error).to.deep.equal({ code: -32602, message: "Invalid param: Invalid" });
    });

    it("getVoteAccounts: the validator's vote account, voting on the current slot", async () => {
      const status = await connection.getVoteAccounts();
      expect(status.delinquent).to.deep.equal([]);
      expect(status.current).to.have.length(1);
      const vote = status.current[0] as VoteAccountInfo & VoteAccountExtras;
      const slot = await connection.getSlot();
      expect(vote.nodePubkey).to.equal(identity.toBase58());
      expect(vote.commission).to.equal(0);
      expect(vote.epochVoteAccount).to.equal(true);
      const rent = await connection.getMinimumBalanceForRentExemption(StakeProgram.space);
      expect(vote.activatedStake).to.equal(VALIDATOR_STAKE_LAMPORTS - rent);
      expect(vote.lastVote)
        .to.be.at.most(slot)
        .and.greaterThan(slot - 10);
      expect(vote.rootSlot).to.equal(vote.lastVote - 31);
      expect(vote.epochCredits.length).to.be.within(1, 5);
      for (let i = 1; i < vote.epochCredits.length; i++) {
        const [, credits, previous] = vote.epochCredits[i];
        expect(previous).to.equal(vote.epochCredits[i - 1][1]);
        expect(credits).to.be.greaterThan(previous);
      }
      const account = await connection.getAccountInfo(new PublicKey(vote.votePubkey));
      expect(account?.owner.toBase58()).to.equal("Vote111111111111111111111111111111111111111");
      expect(account?.lamports).to.equal(VALIDATOR_STAKE_LAMPORTS);
    });

    it("getClusterNodes: the one node, with its JSON-RPC and PubSub addresses", async () => {
      const nodes = await connection.getClusterNodes();
      expect(nodes).to.have.length(1);
      const node = nodes[0] as ContactInfo & ContactInfoExtras;
      const url = new URL(endpoint);
      expect(node.pubkey).to.equal(identity.toBase58());
      expect(node.rpc).to.equal(`127.0.0.1:${url.port}`);
      expect(node.pubsub).to.equal(`127.0.0.1:${Number(url.port) + 1}`);
      const version = await connection.getVersion();
      expect(node.version).to.equal(version["solana-core"]);
      expect(node.featureSet).to.equal(version["feature-set"]);
      expect(node.shredVersion).to.be.within(1, 65_535);
      expect(node.gossip).to.equal(null);
      expect(node.tpu).to.equal(null);
      expect(node.tpuQuic).to.equal(null);
    });

    it("getLeaderSchedule and getSlotLeaders: the node leads every slot", async () => {
      const info = await connection.getEpochInfo();
      const schedule = await connection.getLeaderSchedule();
      expect(Object.keys(schedule)).to.deep.equal([identity.toBase58()]);
      expect(schedule[identity.toBase58()]).to.deep.equal([...Array(info.slotsInEpoch).keys()]);

      const leaders = await connection.getSlotLeaders(info.absoluteSlot, 10);
      expect(leaders.map((k) => k.toBase58())).to.deep.equal(
        Array<string>(10).fill(identity.toBase58()),
      );
      expect(await connection.getSlotLeaders(info.absoluteSlot, 5_000)).to.have.length(5_000);
      const tooMany = await jsonRpcError(connection.getSlotLeaders(info.absoluteSlot, 5_001));
      expect(tooMany.code).to.equal(-32602);
      expect(tooMany.message).to.contain("Invalid limit; max 5000");
      const epochSchedule = await connection.getEpochSchedule();
      const far = epochSchedule.getFirstSlotInEpoch(info.epoch + 2);
      const unknown = await jsonRpcError(connection.getSlotLeaders(far, 1));
      expect(unknown.message).to.contain(
        `Invalid slot range: leader schedule for epoch ${info.epoch + 2} is unavailable`,
      );
      const none = await rpcRequest(endpoint, "getLeaderSchedule", [far]);
      expect(none.result).to.equal(null);
    });

    it("getBlockProduction: leader slots and blocks, the slots a warp jumped over empty", async () => {
      const { context, value } = await connection.getBlockProduction();
      const schedule = await connection.getEpochSchedule();
      const first = schedule.getFirstSlotInEpoch(schedule.getEpoch(context.slot));
      expect(value.range).to.deep.equal({ firstSlot: first, lastSlot: context.slot });
      const [leaderSlots, blocks] = value.byIdentity[identity.toBase58()];
      expect(leaderSlots).to.equal(context.slot - first + 1);
      // the suite's warp landed 1,000 slots into the epoch: those before it hold no block
      expect(blocks).to.equal(context.slot - warpedTo + 1);

      const around = await connection.getBlockProduction({
        range: { firstSlot: warpedTo - 1, lastSlot: warpedTo },
        identity: identity.toBase58(),
      });
      expect(around.value.byIdentity).to.deep.equal({ [identity.toBase58()]: [2, 1] });
      const other = await connection.getBlockProduction({
        identity: Keypair.generate().publicKey.toBase58(),
      });
      expect(other.value.byIdentity).to.deep.equal({});
      const backwards = await jsonRpcError(
        connection.getBlockProduction({ range: { firstSlot: 10, lastSlot: 9 } }),
      );
      expect(backwards.code).to.equal(-32602);
      expect(backwards.message).to.contain("lastSlot, 9, cannot be less than firstSlot, 10");
    });

    it("getStakeMinimumDelegation, getHighestSnapshotSlot, getRecentPerformanceSamples", async () => {
      const min = await connection.getStakeMinimumDelegation();
      expect(min.value).to.equal(LAMPORTS_PER_SOL);
      // web3.js 1.98 has no getHighestSnapshotSlot
      const snapshot = await rpcRequest(endpoint, "getHighestSnapshotSlot", []);
      expect(snapshot.error).to.deep.equal({ code: -32008, message: "No snapshot" });
      expect(await connection.getRecentPerformanceSamples(720)).to.deep.equal([]);
      const tooMany = await jsonRpcError(connection.getRecentPerformanceSamples(721));
      expect(tooMany.code).to.equal(-32602);
      expect(tooMany.message).to.contain("Invalid limit; max 720");
    });

    it("answers Method not found for the methods agave 2.0 removed", async () => {
      const { blockhash } = await connection.getLatestBlockhash();
      const e = await jsonRpcError(connection.getFeeCalculatorForBlockhash(blockhash));
      expect(e.code).to.equal(-32601);
      for (const method of [
        "getFees",
        "getRecentBlockhash",
        "getSnapshotSlot",
        "getStakeActivation",
      ]) {
        const answer = await rpcRequest(endpoint, method, []);
        expect(answer.error, method).to.deep.equal({ code: -32601, message: "Method not found" });
      }
    });

    it("accounts report the rent-exempt rent epoch, u64::MAX", async () => {
      const alice = await fundedKeypair(provider, 1);
      const info = await connection.getAccountInfo(alice.publicKey);
      expect(info?.rentEpoch).to.equal(2 ** 64);
    });
  });

  describe("@solana/kit", () => {
    const rpc = createSolanaRpc(endpoint);

    it("reads supply, largest accounts and inflation", async () => {
      const supply = await rpc.getSupply({ excludeNonCirculatingAccountsList: true }).send();
      expect(supply.value.total).to.equal(supply.value.circulating + supply.value.nonCirculating);
      expect(supply.value.nonCirculatingAccounts).to.deep.equal([]);
      const largest = await rpc.getLargestAccounts({ filter: "circulating" }).send();
      expect(largest.value[0].address).to.equal(identity.toBase58());
      expect(largest.value[0].lamports).to.equal(
        (await rpc.getBalance(address(identity.toBase58())).send()).value,
      );
      const governor = await rpc.getInflationGovernor().send();
      expect(governor.initial).to.equal(0.08);
      expect(governor.foundationTerm).to.equal(7);
      const rate = await rpc.getInflationRate().send();
      expect(rate.validator + rate.foundation).to.be.closeTo(rate.total, 1e-12);
      const rewards = await rpc.getInflationReward([address(identity.toBase58())]).send();
      expect(rewards).to.deep.equal([null]);
      const { epoch } = await rpc.getEpochInfo().send();
      const e = await rejection(
        rpc.getInflationReward([address(identity.toBase58())], { epoch }).send(),
      );
      expect(isSolanaError(e, SOLANA_ERROR__JSON_RPC__SERVER_ERROR_BLOCK_NOT_AVAILABLE)).to.equal(
        true,
      );
    });

    it("reads the vote account, the node, the leaders and block production", async () => {
      const votes = await rpc.getVoteAccounts().send();
      expect(votes.current).to.have.length(1);
      expect(votes.current[0].nodePubkey).to.equal(identity.toBase58());
      expect(votes.current[0].activatedStake).to.be.a("bigint");
      const nodes = await rpc.getClusterNodes().send();
      expect(nodes.map((n) => n.pubkey)).to.deep.equal([identity.toBase58()]);

      const info = await rpc.getEpochInfo().send();
      const schedule = await rpc.getLeaderSchedule().send();
      expect(schedule?.[address(identity.toBase58())]).to.have.length(Number(info.slotsInEpoch));
      const leaders = await rpc.getSlotLeaders(info.absoluteSlot, 3).send();
      expect(leaders).to.deep.equal([identity, identity, identity].map((k) => k.toBase58()));
      const tooMany = await rejection(rpc.getSlotLeaders(info.absoluteSlot, 5_001).send());
      expect(isSolanaError(tooMany, SOLANA_ERROR__JSON_RPC__INVALID_PARAMS)).to.equal(true);

      const production = await rpc
        .getBlockProduction({
          range: { firstSlot: BigInt(warpedTo - 1), lastSlot: BigInt(warpedTo) },
        })
        .send();
      expect(production.value.byIdentity[address(identity.toBase58())]).to.deep.equal([2n, 1n]);
    });

    it("reads the stake minimum delegation, snapshots, samples and rent epochs", async () => {
      const min = await rpc.getStakeMinimumDelegation().send();
      expect(min.value).to.equal(BigInt(LAMPORTS_PER_SOL));
      const snapshot = await rejection(rpc.getHighestSnapshotSlot().send());
      expect(isSolanaError(snapshot, SOLANA_ERROR__JSON_RPC__SERVER_ERROR_NO_SNAPSHOT)).to.equal(
        true,
      );
      expect(await rpc.getRecentPerformanceSamples(720).send()).to.deep.equal([]);
      const account = await rpc
        .getAccountInfo(address(identity.toBase58()), { encoding: "base64" })
        .send();
      // kit's types leave `rentEpoch` out; the value is passed on
      const value = account.value as unknown as { rentEpoch: bigint };
      expect(value.rentEpoch).to.equal(2n ** 64n - 1n);
    });
  });
});
