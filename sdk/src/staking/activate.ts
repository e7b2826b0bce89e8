// Activating warmed-up stake: the pool activates stake only once every registered reward source
// (emission vault) has paid every hour due, so the instructions emit the sources that are behind
// first, in the same transaction.
import { Buffer } from "buffer";
import { Connection, PublicKey, TransactionInstruction } from "@solana/web3.js";

import type { ProgramIdOption } from "../common/program";
import { EmissionVault, fetchEmissionVault, fetchUnixTimestamp } from "../emissions/accounts";
import * as emissionsIx from "../emissions/instructions";
import { hoursDue } from "../emissions/math";
import { program as emissionsProgram } from "../emissions/program";
import { crankWorkPool, decodeWorkPool, WorkPool } from "../emissions/work";
import { fetchStakePool } from "./accounts";
import { activateStake } from "./instructions";
import { poolPda } from "./pda";

/**
 * The instructions that activate `owner`'s warmed-up stake: an `emit` for every reward source
 * with hours due (so the hours before now are paid to the stake of their time), then
 * `activate_stake`. A paused source with hours due cannot be emitted: activation then fails with
 * `RewardSourceBehind` until it resumes. Anyone may send them. `programId` and
 * `emissionsProgramId`: for a deployment at other addresses than the IDLs'.
 */
export async function activateStakeInstructions(
  connection: Connection,
  p: ProgramIdOption & { mint: PublicKey; owner: PublicKey; emissionsProgramId?: PublicKey },
): Promise<TransactionInstruction[]> {
  const pool = await fetchStakePool(connection, poolPda(p.mint, p.programId), p);
  if (!pool) throw new Error(`no staking pool for mint ${p.mint.toBase58()}`);
  const out = await emitDueInstructions(connection, pool.rewardSources, {
    programId: p.emissionsProgramId,
  });
  out.push(activateStake({ ...p, sources: pool.rewardSources }));
  return out;
}

/** Most hours of a work pool cranked in the transaction that activates stake (it must fit in a
 * packet next to the vault's `emit` and the activation). */
const WORK_HOURS_IN_ACTIVATION = 8;

/**
 * An `emit` for each of `sources` (emission vaults) that has hours due and can pay them now
 * (not paused, not revoked), and for a work pool source an `emit` of its vault and a
 * `crank_work_pool` of the hours it has not finalized (up to 8): what to send before a change
 * of earning stake, so that the hours before it are paid to the stake of their time.
 * `programId`: the emissions program's.
 */
export async function emitDueInstructions(
  connection: Connection,
  sources: readonly PublicKey[],
  o: ProgramIdOption = {},
): Promise<TransactionInstruction[]> {
  const now = await fetchUnixTimestamp(connection);
  const out: TransactionInstruction[] = [];
  const emitted = new Set<string>();
  const emitDue = (address: PublicKey, v: EmissionVault | null) => {
    if (!v || v.revoked || v.paused || hoursDue(v.startTs, now) <= v.emittedHours) return;
    if (emitted.has(address.toBase58())) return;
    emitted.add(address.toBase58());
    out.push(
      emissionsIx.emit({
        mint: v.mint,
        vaultId: v.vaultId,
        tokenProgram: v.tokenProgram,
        recipients: v.recipients.map((r) => r.tokenAccount),
        programId: o.programId,
      }),
    );
  };
  for (const source of sources) {
    const info = await connection.getAccountInfo(source, "confirmed");
    if (!info) continue;
    const work = workPoolOf(info.data);
    if (!work) {
      emitDue(source, await fetchEmissionVault(connection, source, o));
      continue;
    }
    const vault = await fetchEmissionVault(connection, work.emissionVault, o);
    emitDue(work.emissionVault, vault);
    const start = work.started ? work.vaultStartTs : vault?.startTs;
    const from = work.started ? work.cursorHours : 0n;
    const due = start === undefined ? 0n : hoursDue(start, now);
    if (work.started && work.owedToDestination === 0n && due <= from) continue;
    const behind = due > from ? due - from : 0n;
    const hours = Number(
      behind < BigInt(WORK_HOURS_IN_ACTIVATION) ? behind : BigInt(WORK_HOURS_IN_ACTIVATION),
    );
    out.push(
      crankWorkPool({
        mint: work.mint,
        poolId: work.poolId,
        tokenProgram: work.tokenProgram,
        emissionVault: work.emissionVault,
        destination: work.destination,
        fromHour: from,
        hours,
        programId: o.programId,
      }),
    );
  }
  return out;
}

/** The work pool in `data`, or `null` when the account is something else. */
function workPoolOf(data: Buffer): WorkPool | null {
  const discriminator = emissionsProgram.accountDiscriminator("workPool");
  if (data.length < 8 || !data.subarray(0, 8).equals(discriminator)) return null;
  return decodeWorkPool(data);
}
