// The mint: the market config's if the network exists, else `mint.address` (must exist), else
// created at `mint.keypair` or a new key. An existing mint must have the config's decimals and,
// before init_config, neither a freeze nor a close authority.
import {
  ACCOUNT_SIZE,
  createInitializeMint2Instruction,
  getAccountLenForMint,
  getAssociatedTokenAddressSync,
  getMintCloseAuthority,
  MINT_SIZE,
  TOKEN_PROGRAM_ID,
  unpackMint,
} from "@solana/spl-token";
import { Keypair, PublicKey, SystemProgram } from "@solana/web3.js";

import { ConfigError } from "./config";
import { Change, diff, MintContext, PlanContext, PlanItem, statusOf } from "./context";

/** Plans the mint and extends the context with it. */
export async function planMint(ctx: PlanContext): Promise<{ item: PlanItem; mint: MintContext }> {
  const { admin, cfg, connection, configAddress, existingConfig, refusals } = ctx;
  let mintKey: PublicKey;
  let mintSigner: Keypair | undefined;
  if (cfg.mint.address) mintKey = cfg.mint.address;
  else if (cfg.mint.keypair) mintKey = cfg.mint.keypair.publicKey;
  else if (existingConfig) mintKey = existingConfig.mint;
  else {
    mintSigner = Keypair.generate();
    mintKey = mintSigner.publicKey;
  }
  if (existingConfig && !existingConfig.mint.equals(mintKey))
    refusals.push(
      `mint.${cfg.mint.address ? "address" : "keypair"}: the network's market config (${configAddress.toBase58()}) uses the mint ${existingConfig.mint.toBase58()}, not ${mintKey.toBase58()}; there is one network token per cluster`,
    );
  const mintInfo = await connection.getAccountInfo(mintKey, "confirmed");
  let tokenProgram = TOKEN_PROGRAM_ID;
  let mintAuthority: PublicKey | null = admin;
  let tokenAccountSize = ACCOUNT_SIZE;
  let item: PlanItem;
  if (mintInfo) {
    tokenProgram = mintInfo.owner;
    let decoded;
    try {
      decoded = unpackMint(mintKey, mintInfo, mintInfo.owner);
    } catch (_e) {
      throw new ConfigError("mint.address", `${mintKey.toBase58()} is not a mint`);
    }
    mintAuthority = decoded.mintAuthority;
    tokenAccountSize = getAccountLenForMint(decoded);
    // init_config refuses both (MintHasFreezeAuthority, MintHasCloseAuthority): whoever holds
    // either could stop every exit.
    if (!existingConfig && decoded.freezeAuthority)
      refusals.push(
        `mint.address: the mint ${mintKey.toBase58()} has a freeze authority (${decoded.freezeAuthority.toBase58()}); the market config refuses it`,
      );
    const closeAuthority = getMintCloseAuthority(decoded)?.closeAuthority;
    if (!existingConfig && closeAuthority && !closeAuthority.equals(PublicKey.default))
      refusals.push(
        `mint.address: the mint ${mintKey.toBase58()} has a close authority (${closeAuthority.toBase58()}); the market config refuses it`,
      );
    const changes: Change[] = [];
    diff("mint.decimals", decoded.decimals, cfg.mint.decimals, false, changes);
    item = { item: "mint", address: mintKey, status: statusOf(changes, false), changes };
    if (changes.length)
      refusals.push(
        `mint.decimals: the mint ${mintKey.toBase58()} has ${decoded.decimals} decimals, not ${cfg.mint.decimals}`,
      );
  } else {
    if (cfg.mint.address)
      throw new ConfigError(
        "mint.address",
        `no mint at ${mintKey.toBase58()} (give mint.keypair to create it, or neither for a new one)`,
      );
    mintSigner ??= cfg.mint.keypair;
    const signer = mintSigner!;
    item = {
      item: "mint",
      address: mintKey,
      status: "create",
      changes: [],
      note: `${cfg.mint.decimals} decimals, mint authority ${admin.toBase58()}`,
      build: async () => ({
        instructions: [
          SystemProgram.createAccount({
            fromPubkey: admin,
            newAccountPubkey: mintKey,
            space: MINT_SIZE,
            lamports: await connection.getMinimumBalanceForRentExemption(MINT_SIZE),
            programId: TOKEN_PROGRAM_ID,
          }),
          createInitializeMint2Instruction(
            mintKey,
            cfg.mint.decimals,
            admin,
            null,
            TOKEN_PROGRAM_ID,
          ),
        ],
        signers: [signer],
      }),
    };
  }
  const isMintAuthority = mintAuthority !== null && mintAuthority.equals(admin);
  return {
    item,
    mint: {
      ...ctx,
      mint: mintKey,
      mintInfo,
      tokenProgram,
      tokenAccountSize,
      isMintAuthority,
      ata: (owner: PublicKey) => getAssociatedTokenAddressSync(mintKey, owner, true, tokenProgram),
    },
  };
}
