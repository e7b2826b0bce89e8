// The emission vaults: create_vault, funded with the whole cap from the wallet's associated
// token account (minting the shortfall first with "fundFrom": "mint"); for an existing vault,
// only the recipients can change (update_recipients on a revocable vault; on a non-revocable one
// propose_recipients, then execute_recipients_proposal on a run after the vault's delay). Then
// every vault paying the staking pool is registered as the pool's reward source.
import {
  createAssociatedTokenAccountIdempotentInstruction,
  createMintToInstruction,
  unpackAccount,
} from "@solana/spl-token";
import { AccountInfo, PublicKey, TransactionInstruction } from "@solana/web3.js";

import { emissions as emissionsSdk, staking as stakingSdk } from "../../../sdk/src";
import { clusterNow } from "../env";
import { CliError } from "../errors";
import { formatAmount, formatDuration } from "../parse";
import type { RecipientTarget, VaultConfigEntry } from "./config";
import { Change, diff, ItemStatus, MintContext, PlanItem, statusOf, walletTx } from "./context";

type Recipient = { tokenAccount: PublicKey; shareBps: number };

/** A token account's balance; zero when it does not exist. */
const balanceOf = (address: PublicKey, info: AccountInfo<Buffer> | null): bigint =>
  info ? unpackAccount(address, info, info.owner).amount : 0n;

const formatRecipients = (rs: Recipient[]) =>
  rs.map((r) => `${r.tokenAccount.toBase58()}=${r.shareBps}`).join(",");

/** An existing vault: its schedule must match; its recipients may be brought to the config. */
async function planExistingVault(
  ctx: MintContext,
  i: number,
  v: VaultConfigEntry,
  existing: emissionsSdk.EmissionVault,
  address: PublicKey,
  recipients: Recipient[],
): Promise<PlanItem> {
  const { admin, mint, refusals, tokenProgram } = ctx;
  const changes: Change[] = [];
  if (v.startTs !== undefined)
    diff(`vaults[${i}].startTs`, existing.startTs, v.startTs, false, changes);
  diff(`vaults[${i}].initialPerHour`, existing.initialPerHour, v.initialPerHour, false, changes);
  diff(`vaults[${i}].decayBps`, existing.decayBps, v.decayBps, false, changes);
  diff(`vaults[${i}].periodHours`, existing.periodHours, v.periodHours, false, changes);
  diff(`vaults[${i}].cap`, existing.cap, v.cap, false, changes);
  diff(`vaults[${i}].revocable`, existing.revocable, v.revocable, false, changes);
  diff(
    `vaults[${i}].recipientsDelaySecs`,
    existing.recipientsDelaySecs,
    v.recipientsDelaySecs,
    false,
    changes,
  );
  diff(
    `vaults[${i}].recipients`,
    formatRecipients(existing.recipients),
    formatRecipients(recipients),
    true,
    changes,
  );
  let status: ItemStatus = statusOf(changes, ctx.update);
  // A non-revocable vault's recipients change only through a proposal and its delay: the
  // first run proposes, a run after the delay executes it.
  const ref = { mint, vaultId: v.id, tokenProgram };
  const currentRecipients = existing.recipients.map((r) => r.tokenAccount);
  let note: string | undefined;
  let change: TransactionInstruction = emissionsSdk.instructions.updateRecipients({
    ...ref,
    authority: admin,
    currentRecipients,
    recipients,
  });
  if (!existing.revocable && changes.some((c) => c.field === `vaults[${i}].recipients`)) {
    const proposed = formatRecipients(existing.proposedRecipients) === formatRecipients(recipients);
    const now = await clusterNow(ctx.connection);
    if (proposed && now >= existing.proposalExecutableAt) {
      note = "executes the pending recipients proposal (its delay has passed)";
      change = emissionsSdk.instructions.executeRecipientsProposal({
        ...ref,
        executor: admin,
        currentRecipients,
        proposedRecipients: existing.proposedRecipients.map((r) => r.tokenAccount),
      });
    } else if (proposed) {
      note = `the recipients proposal is pending: run again from unix time ${existing.proposalExecutableAt} to install it`;
      if (status === "update") status = "nothing to do";
    } else {
      note = `proposes the recipients; a run from ${formatDuration(BigInt(existing.recipientsDelaySecs))} later installs them`;
      change = emissionsSdk.instructions.proposeRecipients({
        mint,
        vaultId: v.id,
        authority: admin,
        recipients,
      });
    }
  }
  if (status === "update" && !existing.authority.equals(admin))
    refusals.push(
      `vaults[${i}]: the vault's authority is ${existing.authority.toBase58()}, not the wallet ${admin.toBase58()}`,
    );
  for (const c of changes.filter((c) => !c.updatable))
    refusals.push(
      `${c.field}: the vault has ${c.chain}, the config ${c.config}; a vault's schedule cannot change`,
    );
  return {
    item: `vault ${v.id}`,
    address,
    status,
    changes,
    note,
    build: async () => walletTx(change),
  };
}

/** A new vault, funded with its cap from the wallet's associated token account `source`. */
function planNewVault(
  ctx: MintContext,
  i: number,
  v: VaultConfigEntry,
  address: PublicKey,
  recipients: Recipient[],
  source: PublicKey,
): PlanItem {
  const { admin, cfg, connection, mint, tokenProgram } = ctx;
  const decimals = cfg.mint.decimals;
  if (v.fundFrom === "mint" && !ctx.isMintAuthority)
    ctx.refusals.push(
      `vaults[${i}].fundFrom: the wallet is not the mint authority, so it cannot mint the cap`,
    );
  return {
    item: `vault ${v.id}`,
    address,
    status: "create",
    changes: [],
    note: `cap ${formatAmount(v.cap, decimals)}, ${formatAmount(v.initialPerHour, decimals)}/h, -${v.decayBps} bps every ${v.periodHours} h`,
    build: async () => {
      const instructions: TransactionInstruction[] = [];
      const have = await connection.getAccountInfo(source, "confirmed");
      const balance = balanceOf(source, have);
      if (!have)
        instructions.push(
          createAssociatedTokenAccountIdempotentInstruction(
            admin,
            source,
            admin,
            mint,
            tokenProgram,
          ),
        );
      if (balance < v.cap) {
        if (v.fundFrom !== "mint")
          throw new CliError(
            `vaults[${i}].cap: the wallet's token account ${source.toBase58()} holds ${formatAmount(balance, decimals)}, less than the cap ${formatAmount(v.cap, decimals)} (fund it, or set "fundFrom": "mint")`,
            "InsufficientFunds",
          );
        instructions.push(
          createMintToInstruction(mint, source, admin, v.cap - balance, [], tokenProgram),
        );
      }
      const startTs = v.startTs ?? (await clusterNow(connection));
      instructions.push(
        emissionsSdk.instructions.createVault({
          mint,
          vaultId: v.id,
          tokenProgram,
          authority: admin,
          source,
          startTs,
          initialPerHour: v.initialPerHour,
          decayBps: v.decayBps,
          periodHours: v.periodHours,
          cap: v.cap,
          revocable: v.revocable,
          recipients,
          recipientsDelaySecs: v.recipientsDelaySecs,
        }),
      );
      return walletTx(...instructions);
    },
  };
}

/** Plans every vault of the config, in order. */
export async function planVaults(
  ctx: MintContext,
  poolKey: PublicKey,
  treasury: PublicKey,
): Promise<PlanItem[]> {
  const { admin, cfg, connection, mint } = ctx;
  const rewardVault = stakingSdk.rewardVaultPda(poolKey);
  const recipientAccount = (to: RecipientTarget): PublicKey => {
    if (to === "stakingRewardVault") return rewardVault;
    if (to === "treasury") return treasury;
    if (to instanceof PublicKey) return to;
    return emissionsSdk.workTokensPda(emissionsSdk.workPoolPda(mint, to.workPool));
  };
  const source = ctx.ata(admin);
  const items: PlanItem[] = [];
  for (const [i, v] of cfg.vaults.entries()) {
    const address = emissionsSdk.vaultPda(mint, v.id);
    const existing = ctx.mintInfo
      ? await emissionsSdk.fetchEmissionVault(connection, address)
      : null;
    const recipients = v.recipients.map((r) => ({
      tokenAccount: recipientAccount(r.to),
      shareBps: r.shareBps,
    }));
    items.push(
      existing
        ? await planExistingVault(ctx, i, v, existing, address, recipients)
        : planNewVault(ctx, i, v, address, recipients, source),
    );
  }
  const walletFunded = cfg.vaults.filter(
    (v, i) => v.fundFrom === "wallet" && items[i].status === "create",
  );
  if (walletFunded.length) {
    const info = ctx.mintInfo ? await connection.getAccountInfo(source, "confirmed") : null;
    const balance = balanceOf(source, info);
    const want = walletFunded.reduce((a, v) => a + v.cap, 0n);
    if (balance < want)
      ctx.refusals.push(
        `vaults: the wallet's token account ${source.toBase58()} holds ${formatAmount(balance, cfg.mint.decimals)}, less than the ${formatAmount(want, cfg.mint.decimals)} the new vaults' caps need (fund it, or set "fundFrom": "mint")`,
      );
  }
  return items;
}

/** Every vault paying the pool, and every work pool whose destination is its reward vault, is
 * registered as its reward source, so that new stake is activated only once those sources
 * have paid every hour due. */
export function planRewardSources(ctx: MintContext, pool: stakingSdk.StakePool | null): PlanItem[] {
  const { admin, mint } = ctx;
  const vaults = ctx.cfg.vaults
    .filter((v) => v.recipients.some((r) => r.to === "stakingRewardVault"))
    .map((v) => ({ label: `vault ${v.id}`, address: emissionsSdk.vaultPda(mint, v.id) }));
  const works = ctx.cfg.workPools
    .filter((p) => p.destination === "stakingRewardVault")
    .map((p) => ({ label: `work pool ${p.id}`, address: emissionsSdk.workPoolPda(mint, p.id) }));
  return [...vaults, ...works].map(({ label, address }): PlanItem => {
    const registered = pool?.rewardSources.some((k) => k.equals(address)) ?? false;
    return {
      item: `${label} as reward source`,
      address,
      status: registered ? "nothing to do" : "create",
      changes: [],
      build: async () =>
        walletTx(stakingSdk.instructions.addRewardSource({ admin, mint, vault: address })),
    };
  });
}
