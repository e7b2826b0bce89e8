// `npm start`: the local validator with a default network, up until Ctrl-C.
//
// 1. Starts crucible-localnet (built by scripts/start.sh) on PORT (default 8899) and passes its
//    ready line through.
// 2. Bootstraps config/start.json (mint, staking pool, treasury, market config, markets 1 and
//    2, emission vault 1 paying the staking pool 80 % and the treasury 20 %, work pool 1 that
//    market 2 records in and vault 2 that pays it) with the admin
//    ~/.config/solana/id.json if it exists, else .localnet/keys/admin.json (created). A second
//    start on the same validator would find nothing to do.
// 3. Writes funded demo keypairs to .localnet/keys/ (provider-1, provider-2 staked;
//    client-1, client-2 with tokens), and prints the addresses a dApp or the CLI needs. The
//    admin is also the markets' arbiter.
//
// The chain is kept in LEDGER (default .localnet/ledger), so that stopping and starting again
// resumes it, as solana-test-validator does with test-ledger/: `npm start -- --reset` starts
// a new chain there, `LEDGER= npm start` keeps it in memory only.
import { execFileSync, spawn } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";

import { AnchorProvider, Wallet } from "@coral-xyz/anchor";
import { getOrCreateAssociatedTokenAccount, mintTo } from "@solana/spl-token";
import { Connection, Keypair, LAMPORTS_PER_SOL } from "@solana/web3.js";

import { bootstrap, loadConfig } from "../cli/src/bootstrap";
import { emissions, market, MarketClient, staking, StakingClient } from "../sdk/src";
import { serve } from "./app-server";

const ROOT = join(__dirname, "..");
const KEYS = join(ROOT, ".localnet/keys");
const TOKEN = 1_000_000n;

function keypair(path: string): Keypair {
  if (!existsSync(path)) {
    mkdirSync(join(path, ".."), { recursive: true });
    writeFileSync(path, JSON.stringify([...Keypair.generate().secretKey]), { mode: 0o600 });
  }
  return Keypair.fromSecretKey(Uint8Array.from(JSON.parse(readFileSync(path, "utf8"))));
}

async function main(): Promise<void> {
  const port = process.env.PORT ?? "8899";
  const bin = process.argv[2];
  const cliKey = join(homedir(), ".config/solana/id.json");
  const adminPath = existsSync(cliKey) ? cliKey : join(KEYS, "admin.json");
  const admin = keypair(adminPath);
  const ledger = process.env.LEDGER ?? join(ROOT, ".localnet/ledger");
  const ledgerArgs = ledger === "" ? [] : ["--ledger", ledger];
  const validator = spawn(
    bin,
    ["--port", port, "--fund", adminPath, ...ledgerArgs, ...process.argv.slice(3)],
    { stdio: ["ignore", "pipe", "inherit"] },
  );
  const stop = () => validator.kill("SIGTERM");
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
  validator.on("exit", (code) => process.exit(code ?? 0));
  const lines = createInterface({ input: validator.stdout! });
  await new Promise<void>((resolve) =>
    lines.on("line", (line) => {
      console.log(line);
      if (line.startsWith("crucible-localnet ready")) resolve();
    }),
  );

  const url = `http://127.0.0.1:${port}`;
  const connection = new Connection(url, "confirmed");
  const provider = new AnchorProvider(connection, new Wallet(admin), {
    commitment: "confirmed",
    preflightCommitment: "confirmed",
  });
  const report = await bootstrap(provider, loadConfig(join(ROOT, "config/start.json")), {
    log: () => undefined,
  });
  const mint = report.mint;
  const markets = new MarketClient(provider);
  const config = (await markets.fetchConfig())!;

  // Demo parties, funded with the network's bootstrap: a chain resumed from its ledger has
  // them already (a new chain, in memory or after --reset, funds them again).
  const party = async (name: string, tokens: bigint, stake = 0n) => {
    const kp = keypair(join(KEYS, `${name}.json`));
    if (report.nothingToDo) return kp.publicKey;
    await connection.confirmTransaction(
      await connection.requestAirdrop(kp.publicKey, 100 * LAMPORTS_PER_SOL),
      "confirmed",
    );
    if (tokens > 0n) {
      // Their associated token accounts: where the CLI and the dApp pay from and to.
      const { address: account } = await getOrCreateAssociatedTokenAccount(
        connection,
        admin,
        mint,
        kp.publicKey,
      );
      await mintTo(connection, admin, mint, account, admin, tokens);
      if (stake > 0n)
        await new StakingClient(
          new AnchorProvider(connection, new Wallet(kp), provider.opts),
        ).stake({ mint, source: account, amount: stake });
    }
    return kp.publicKey;
  };
  const parties = {
    "provider-1": await party("provider-1", 10_000n * TOKEN, 5_000n * TOKEN),
    "provider-2": await party("provider-2", 10_000n * TOKEN, 5_000n * TOKEN),
    "client-1": await party("client-1", 10_000n * TOKEN),
    "client-2": await party("client-2", 10_000n * TOKEN),
  };
  const rows: Array<[string, string]> = [
    ["rpc", url],
    ["ws", `ws://127.0.0.1:${Number(port) + 1}`],
    ["admin (mint authority, arbiter)", `${admin.publicKey.toBase58()}  (${adminPath})`],
    ["mint", mint.toBase58()],
    ["staking pool", staking.poolPda(mint).toBase58()],
    ["treasury", config.treasury.toBase58()],
    ["market 1 (gpu-a100)", market.marketPda(1n).toBase58()],
    ["market 2 (gpu-h100)", market.marketPda(2n).toBase58()],
    ["emission vault 1", emissions.vaultPda(mint, 1n).toBase58()],
    ["emission vault 2 (work)", emissions.vaultPda(mint, 2n).toBase58()],
    ["work pool 1 (market 2)", emissions.workPoolPda(mint, 1n).toBase58()],
    ...Object.entries(parties).map(([k, v]): [string, string] => [
      k,
      `${v.toBase58()}  (.localnet/keys/${k}.json)`,
    ]),
  ];
  // The dApp: built from app/ and the SDK's sources, served from app/dist.
  execFileSync("npx", ["vite", "build", "app", "--logLevel", "error"], {
    cwd: ROOT,
    stdio: ["ignore", "inherit", "inherit"],
  });
  const appPort = Number(process.env.APP_PORT ?? 5173);
  const site = await serve(join(ROOT, "app", "dist"), {}, appPort);
  rows.push(["app", `${site.url}?rpc=${encodeURIComponent(url)}`]);
  const w = Math.max(...rows.map((r) => r[0].length));
  console.log(
    `crucible network ready (${report.nothingToDo ? "already bootstrapped" : `${report.signatures.length} bootstrap transactions`}):`,
  );
  for (const [k, v] of rows) console.log(`  ${k.padEnd(w)}  ${v}`);
  console.log("Ctrl-C stops the validator.");
}

main().catch((e) => {
  console.error(`npm start: ${e instanceof Error ? e.message : String(e)}`);
  process.exit(1);
});
