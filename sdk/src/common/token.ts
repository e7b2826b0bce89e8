import {
  createAssociatedTokenAccountIdempotentInstruction,
  getAssociatedTokenAddressSync,
} from "@solana/spl-token";
import { Connection, PublicKey, TransactionInstruction } from "@solana/web3.js";

/** The token program that owns `mint` (SPL Token or Token-2022). */
export async function tokenProgramOf(connection: Connection, mint: PublicKey): Promise<PublicKey> {
  const info = await connection.getAccountInfo(mint, "confirmed");
  if (!info) throw new Error(`no mint at ${mint.toBase58()}`);
  return info.owner;
}

/**
 * Where a payout to `owner` goes: `given`, or `owner`'s associated token account, with the
 * instruction that creates it first (paid by `payer`) when it does not exist (anyone may create
 * a token account for anyone: the programs check the owner and the mint, not an address).
 */
export async function payoutAccount(
  connection: Connection,
  p: {
    payer: PublicKey;
    owner: PublicKey;
    mint: PublicKey;
    tokenProgram: PublicKey;
    given?: PublicKey;
  },
): Promise<{ account: PublicKey; create: TransactionInstruction[] }> {
  if (p.given) return { account: p.given, create: [] };
  const account = getAssociatedTokenAddressSync(p.mint, p.owner, true, p.tokenProgram);
  const info = await connection.getAccountInfo(account, "confirmed");
  if (info) return { account, create: [] };
  const create = createAssociatedTokenAccountIdempotentInstruction(
    p.payer,
    account,
    p.owner,
    p.mint,
    p.tokenProgram,
  );
  return { account, create: [create] };
}
