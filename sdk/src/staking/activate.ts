// Activating warmed-up stake: the pool activates stake only once every registered reward source
// (emission vault) has paid every hour due, so the instructions emit the sources that are behind
// first, in the same transaction.
import { Connection, PublicKey, TransactionInstruction } from "@solana/web3.js";

import type { ProgramIdOption } from "../common/program";
import { fetchEmissionVault, fetchUnixTimestamp } from "../emissions/accounts";
import * as emissionsIx from "../emissions/instructions";
import { hoursDue } from "../emissions/math";
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

/**
 * An `emit` for each of `sources` (emission vaults) that has hours due and can pay them now
 * (not paused, not revoked): what to send before a change of earning stake, so that the hours
 * before it are paid to the stake of their time. `programId`: the emissions program's.
 */
export async function emitDueInstructions(
  connection: Connection,
  sources: readonly PublicKey[],
  o: ProgramIdOption = {},
): Promise<TransactionInstruction[]> {
  const now = await fetchUnixTimestamp(connection);
  const out: TransactionInstruction[] = [];
  for (const source of sources) {
    const v = await fetchEmissionVault(connection, source, o);
    if (!v || v.revoked || v.paused || hoursDue(v.startTs, now) <= v.emittedHours) continue;
    out.push(
      emissionsIx.emit({
        mint: v.mint,
        vaultId: v.vaultId,
        tokenProgram: v.tokenProgram,
        recipients: v.recipients.map((r) => r.tokenAccount),
        programId: o.programId,
      }),
    );
  }
  return out;
}
