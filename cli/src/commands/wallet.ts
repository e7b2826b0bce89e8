// Keys and tokens: keygen, address, balance, airdrop, mint (the mint authority's faucet).
import { existsSync, mkdirSync, writeFileSync } from "fs";
import { dirname } from "path";
import { createMintToInstruction } from "@solana/spl-token";
import { Keypair, LAMPORTS_PER_SOL } from "@solana/web3.js";

import { CliError, UsageError } from "../errors";
import { keyValues } from "../output";
import { formatAmount, parsePubkey, parsePubkeyOrKeypairFile, parseSol } from "../parse";
import { amountFlag, flag, opt, required, tokens, txOutput } from "./common";
import type { Invocation } from "./types";

export async function keygen(inv: Invocation) {
  const outfile = required(inv, "outfile");
  if (existsSync(outfile) && !flag(inv, "force"))
    throw new UsageError(
      `--outfile: ${outfile} exists (pass --force to overwrite it)`,
      "FileExists",
    );
  const keypair = Keypair.generate();
  mkdirSync(dirname(outfile), { recursive: true });
  writeFileSync(outfile, JSON.stringify(Array.from(keypair.secretKey)), { mode: 0o600 });
  return {
    json: { pubkey: keypair.publicKey, outfile },
    human: `wrote ${outfile}\npubkey: ${keypair.publicKey.toBase58()}`,
  };
}

export async function address(inv: Invocation) {
  const me = inv.env.me;
  return { json: { pubkey: me }, human: me.toBase58() };
}

export async function balance(inv: Invocation) {
  const { env } = inv;
  const owner = opt(inv, "owner") ? parsePubkey(opt(inv, "owner"), "--owner") : env.me;
  const lamports = BigInt(await env.connection.getBalance(owner, "confirmed"));
  let token: { account: string; amount: bigint; decimals: number; mint: string } | null = null;
  try {
    const net = await env.network();
    const account = env.ata(owner, net);
    token = {
      account: account.toBase58(),
      amount: (await env.tokenAccount(account))?.amount ?? 0n,
      decimals: net.decimals,
      mint: net.mint.toBase58(),
    };
  } catch (e) {
    if ((e as { errorName?: string }).errorName !== "NotInitialized") throw e;
  }
  return {
    json: { owner, lamports, token },
    human: keyValues([
      ["owner", owner.toBase58()],
      ["SOL", formatAmount(lamports, 9)],
      [
        "tokens",
        token
          ? `${formatAmount(token.amount, token.decimals)} (${token.account})`
          : "- (network not initialized)",
      ],
    ]),
  };
}

export async function airdrop(inv: Invocation) {
  const { env } = inv;
  const lamports = parseSol(inv.args[0], "<sol>");
  const to = opt(inv, "to") ? parsePubkeyOrKeypairFile(opt(inv, "to"), "--to") : env.me;
  if (lamports > BigInt(Number.MAX_SAFE_INTEGER))
    throw new UsageError("<sol>: too large", "InvalidAmount");
  const signature = await env.connection.requestAirdrop(to, Number(lamports));
  const latest = await env.connection.getLatestBlockhash("confirmed");
  const { value } = await env.connection.confirmTransaction({ signature, ...latest }, "confirmed");
  if (value.err)
    throw new CliError(`the airdrop failed: ${JSON.stringify(value.err)}`, "AirdropFailed");
  const after = BigInt(await env.connection.getBalance(to, "confirmed"));
  return txOutput(
    `airdropped ${formatAmount(lamports, 9)} SOL`,
    signature,
    { to, lamports, balance: after },
    [
      ["to", to.toBase58()],
      ["balance", `${Number(after) / LAMPORTS_PER_SOL} SOL`],
    ],
  );
}

export async function mint(inv: Invocation) {
  const { env } = inv;
  const amountOf = amountFlag(inv, "amount")!;
  const to = opt(inv, "to") ? parsePubkeyOrKeypairFile(opt(inv, "to"), "--to") : env.me;
  const authority = env.me;
  const net = await env.network();
  const amount = amountOf(net.decimals);
  const info = await env.mintInfo(net.mint);
  if (!info.mintAuthority?.equals(authority))
    throw new CliError(
      `${authority.toBase58()} is not the mint authority of ${net.mint.toBase58()} (it is ${info.mintAuthority?.toBase58() ?? "nobody"})`,
      "NotMintAuthority",
    );
  const dest = await env.receivingAccount(to);
  const signature = await env.send([
    ...dest.create,
    createMintToInstruction(net.mint, dest.address, authority, amount, [], net.tokenProgram),
  ]);
  const balance = (await env.tokenAccount(dest.address))?.amount ?? 0n;
  return txOutput(
    `minted ${tokens(net, amount)}`,
    signature,
    { to, tokenAccount: dest.address, amount, balance },
    [
      ["to", to.toBase58()],
      ["token account", dest.address.toBase58()],
      ["balance", tokens(net, balance)],
    ],
  );
}
