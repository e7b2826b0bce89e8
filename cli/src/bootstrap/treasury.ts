// The treasury (where swept fees and a vault's treasury share go): a token account of the
// mint, given as an address (must exist), as an owner (its associated token account, created if
// missing), or by default a token account of the admin at `createWithSeed(admin,
// TREASURY_SEED, tokenProgram)`, apart from the admin's own token account.
import {
  createAssociatedTokenAccountIdempotentInstruction,
  createInitializeAccount3Instruction,
  unpackAccount,
} from "@solana/spl-token";
import { PublicKey, SystemProgram } from "@solana/web3.js";

import { MintContext, PlanItem, walletTx } from "./context";

/** The seed of the default treasury: a token account of the admin at
 * `createWithSeed(admin, TREASURY_SEED, tokenProgram)`. */
export const TREASURY_SEED = "crucible-treasury";

/** Plans the treasury; returns its address and, unless it is refused, its item. */
export async function planTreasury(
  ctx: MintContext,
): Promise<{ item?: PlanItem; treasury: PublicKey }> {
  const { admin, connection, existingConfig, mint, refusals, tokenProgram } = ctx;
  let treasury: PublicKey;
  const wanted = ctx.cfg.treasury;
  if (wanted && "account" in wanted) treasury = wanted.account;
  else if (wanted) treasury = ctx.ata(wanted.owner);
  else if (existingConfig) treasury = existingConfig.treasury;
  else treasury = await PublicKey.createWithSeed(admin, TREASURY_SEED, tokenProgram);
  const treasuryInfo = await connection.getAccountInfo(treasury, "confirmed");
  if (treasuryInfo) {
    try {
      const a = unpackAccount(treasury, treasuryInfo, treasuryInfo.owner);
      if (!a.mint.equals(mint))
        refusals.push(
          `treasury: ${treasury.toBase58()} holds the mint ${a.mint.toBase58()}, not ${mint.toBase58()}`,
        );
    } catch (_e) {
      refusals.push(`treasury: ${treasury.toBase58()} is not a token account`);
    }
    return {
      item: { item: "treasury", address: treasury, status: "nothing to do", changes: [] },
      treasury,
    };
  }
  if (wanted && "account" in wanted) {
    refusals.push(`treasury: no token account at ${treasury.toBase58()}`);
    return { treasury };
  }
  if (wanted && "owner" in wanted) {
    const owner = wanted.owner;
    const item: PlanItem = {
      item: "treasury",
      address: treasury,
      status: "create",
      changes: [],
      note: `associated token account of ${owner.toBase58()}`,
      build: async () =>
        walletTx(
          createAssociatedTokenAccountIdempotentInstruction(
            admin,
            treasury,
            owner,
            mint,
            tokenProgram,
          ),
        ),
    };
    return { item, treasury };
  }
  // The default: a token account of the admin at an address derived from the admin and a
  // fixed seed, apart from the admin's own associated token account (so fees show apart).
  const item: PlanItem = {
    item: "treasury",
    address: treasury,
    status: "create",
    changes: [],
    note: `token account of ${admin.toBase58()} (seed "${TREASURY_SEED}")`,
    build: async () =>
      walletTx(
        SystemProgram.createAccountWithSeed({
          fromPubkey: admin,
          newAccountPubkey: treasury,
          basePubkey: admin,
          seed: TREASURY_SEED,
          lamports: await connection.getMinimumBalanceForRentExemption(ctx.tokenAccountSize),
          space: ctx.tokenAccountSize,
          programId: tokenProgram,
        }),
        createInitializeAccount3Instruction(treasury, mint, admin, tokenProgram),
      ),
  };
  return { item, treasury };
}
