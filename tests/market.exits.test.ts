// No third party can block a settlement or an exit, attacked through the SDK over RPC: the
// treasury's owner closes the treasury account, a provider closes its own token account, and a
// network token with a freeze or close authority is refused at init_config (on a fresh
// validator: the config is global). Every rejection asserts the exact error name and that no
// balance, lamport or account byte moved.
import { readFileSync } from "fs";
import { AnchorProvider, Wallet } from "@coral-xyz/anchor";
import {
  createAccount,
  createCloseAccountInstruction,
  createInitializeMint2Instruction,
  createInitializeMintCloseAuthorityInstruction,
  createMint,
  createTransferInstruction,
  ExtensionType,
  getAccount,
  getAssociatedTokenAddressSync,
  getMintLen,
  TOKEN_2022_PROGRAM_ID,
  TOKEN_PROGRAM_ID,
} from "@solana/spl-token";
import { Connection, Keypair, PublicKey, SystemProgram, Transaction } from "@solana/web3.js";
import { expect } from "chai";

import { market, MarketClient } from "../sdk/src";
import { requiresTimeTravel, warp } from "./harness/cheatcodes";
import { DECIMALS, expectRejected, tokenAccount, Untouched } from "./harness/fixtures";
import {
  tokenBalance,
  DAY,
  disputedJob,
  MarketWorld,
  marketWorld,
  newParty,
  Party,
  poolOf,
  PRICE,
  sendAs,
  submittedJob,
  supply,
} from "./harness/market";
import { closePubSub, RunningValidator, startValidator } from "./harness/validator";

const ix = market.instructions;

/** The owner of `account` empties it into `to` and closes it. */
async function closeTokenAccount(
  w: MarketWorld,
  owner: Party,
  account: PublicKey,
  to: PublicKey,
): Promise<void> {
  const amount = await tokenBalance(w.provider, account);
  const ixs = [];
  if (amount > 0n) ixs.push(createTransferInstruction(account, to, owner.key.publicKey, amount));
  ixs.push(createCloseAccountInstruction(account, owner.key.publicKey, owner.key.publicKey));
  await sendAs(w, ixs, [owner.key]);
  expect(await w.provider.connection.getAccountInfo(account, "confirmed")).to.equal(null);
}

const completed = market.settlementSplit(PRICE, 2_000, 500);
const resolved = market.disputeOutcome(PRICE, 3_000, 2_000, 500);
const byDefault = market.disputeOutcome(PRICE, 5_000, 2_000, 500);

describe("market / exits: the treasury's owner closes the treasury", () => {
  let w: MarketWorld;
  before(async () => {
    w = await marketWorld();
  });

  it("blocks no settlement (complete, resolve, finalize, default split); the sweep waits for a new treasury", async function () {
    await requiresTimeTravel(this);
    // The admin points the treasury at an account of its owner; the owner closes it.
    const owner = await newParty(w);
    const closed = await tokenAccount(w.provider, w.mint, owner.key.publicKey);
    const fresh = await tokenAccount(w.provider, w.mint, owner.key.publicKey);
    await w.markets.setTreasury({ newTreasury: closed });
    try {
      await w.markets.sweepFees(); // the vault's fees from other tests, into `closed`
      const [j1, j2, j3, j4] = [
        await submittedJob(w),
        await submittedJob(w),
        await disputedJob(w),
        await disputedJob(w),
      ];
      await closeTokenAccount(w, owner, closed, owner.token);
      const [client0, worker0, supply0] = [
        await tokenBalance(w.provider, w.client.token),
        await tokenBalance(w.provider, w.worker.token),
        await supply(w.provider, w.mint),
      ];
      expect(await tokenBalance(w.provider, w.feeVault)).to.equal(0n);

      await w.markets.completeJob({ job: j1, providerToken: w.worker.token, client: w.client.key });
      await w.markets.resolveDispute({
        job: j3,
        providerShareBps: 3_000,
        slashAmount: 0n,
        providerToken: w.worker.token,
        clientToken: w.client.token,
        arbiter: w.arbiter,
      });
      await warp(w.provider, Number(7n * DAY + 1n));
      await w.markets.finalizeJob({ job: j2, providerToken: w.worker.token });
      await w.markets.finalizeDispute({
        job: j4,
        providerToken: w.worker.token,
        clientToken: w.client.token,
      });
      for (const j of [j1, j2, j3, j4]) expect(await w.markets.fetchJob(j)).to.equal(null);
      const fees = 2n * completed.fee + resolved.fee + byDefault.fee;
      expect(await tokenBalance(w.provider, w.feeVault)).to.equal(fees);
      expect(await tokenBalance(w.provider, w.client.token)).to.equal(
        client0 + resolved.refunded + byDefault.refunded,
      );
      expect(await tokenBalance(w.provider, w.worker.token)).to.equal(
        worker0 + 2n * completed.paid + resolved.paid + byDefault.paid,
      );
      expect(await supply(w.provider, w.mint)).to.equal(
        supply0 - 2n * completed.burned - resolved.burned - byDefault.burned,
      );

      // The sweep cannot pay a closed account: refused, the fees wait in the vault.
      const sweep = (cranker: Party, treasury: PublicKey) =>
        sendAs(
          w,
          [
            ix.sweepFees({
              cranker: cranker.key.publicKey,
              treasury,
              mint: w.mint,
              tokenProgram: TOKEN_PROGRAM_ID,
            }),
          ],
          [cranker.key],
        );
      const still: Untouched = {
        tokens: [w.feeVault, w.treasury, w.attacker.token],
        lamports: [w.attacker.key.publicKey],
        accounts: [market.configPda()],
      };
      await expectRejected(
        w.provider,
        () => sweep(w.attacker, closed),
        "AccountNotInitialized",
        still,
      );
      // The admin points the treasury at a new account; anyone sweeps, only to it.
      await w.markets.setTreasury({ newTreasury: fresh });
      await expectRejected(
        w.provider,
        () => sweep(w.attacker, w.attacker.token),
        "WrongTreasury",
        still,
      );
      const signature = await sweep(w.attacker, fresh);
      expect(await tokenBalance(w.provider, fresh)).to.equal(fees);
      expect(await tokenBalance(w.provider, w.feeVault)).to.equal(0n);
      const tx = await w.provider.connection.getTransaction(signature, {
        commitment: "confirmed",
        maxSupportedTransactionVersion: 0,
      });
      const swept = market.eventsNamed(market.parseEvents(tx!.meta!.logMessages!), "feesSwept")[0];
      expect(swept.amount).to.equal(fees);
      expect(swept.treasury.equals(fresh)).to.equal(true);
    } finally {
      await w.markets.setTreasury({ newTreasury: w.treasury });
    }
  });
});

describe("market / exits: the provider closes its token account", () => {
  let w: MarketWorld;
  beforeEach(async () => {
    w = await marketWorld();
  });

  it("cannot block the client's refund: anyone makes the provider a new account and the split goes through", async () => {
    const job = await disputedJob(w);
    const old = w.worker.token; // all of the worker's tokens are staked: it holds nothing
    await closeTokenAccount(w, w.worker, old, old);
    const { stakeVault } = poolOf(w.mint);
    const still: Untouched = {
      tokens: [w.client.token, w.feeVault, stakeVault, market.escrowPda(job)],
      lamports: [w.client.key.publicKey, w.arbiter.publicKey],
      accounts: [job],
    };
    const resolve = (providerToken: PublicKey) =>
      w.markets.resolveDispute({
        job,
        providerShareBps: 3_000,
        slashAmount: 0n,
        providerToken,
        clientToken: w.client.token,
        arbiter: w.arbiter,
      });
    await expectRejected(w.provider, () => resolve(old), "AccountNotInitialized", still);
    // Someone else's account is refused: only the provider's own is paid.
    await expectRejected(w.provider, () => resolve(w.client.token), "WrongProviderAccount", still);
    // The client creates a new token account owned by the provider.
    const fresh = await createAccount(
      w.provider.connection,
      w.client.key,
      w.mint,
      w.worker.key.publicKey,
      Keypair.generate(),
    );
    const client0 = await tokenBalance(w.provider, w.client.token);
    await resolve(fresh);
    expect(await tokenBalance(w.provider, w.client.token)).to.equal(client0 + resolved.refunded);
    expect(await tokenBalance(w.provider, fresh)).to.equal(resolved.paid);
    expect(await w.markets.fetchJob(job)).to.equal(null);
  });

  it("cannot block a default split or a completion: the SDK creates the provider's associated account", async function () {
    await requiresTimeTravel(this);
    const disputed = await disputedJob(w);
    const submitted = await submittedJob(w);
    await closeTokenAccount(w, w.worker, w.worker.token, w.worker.token);
    const ata = getAssociatedTokenAddressSync(w.mint, w.worker.key.publicKey);
    expect(await w.provider.connection.getAccountInfo(ata, "confirmed")).to.equal(null);
    const client0 = await tokenBalance(w.provider, w.client.token);
    await w.markets.completeJob({ job: submitted, client: w.client.key });
    expect((await getAccount(w.provider.connection, ata, "confirmed")).amount).to.equal(
      completed.paid,
    );
    await warp(w.provider, Number(7n * DAY + 1n));
    await w.markets.finalizeDispute({ job: disputed, clientToken: w.client.token });
    expect(await tokenBalance(w.provider, w.client.token)).to.equal(client0 + byDefault.refunded);
    expect((await getAccount(w.provider.connection, ata, "confirmed")).amount).to.equal(
      completed.paid + byDefault.paid,
    );
  });
});

describe("market / init_config on a fresh validator: the network token", () => {
  let validator: RunningValidator;
  let provider: AnchorProvider;
  let payer: Keypair;
  before(async function () {
    this.timeout(120_000);
    const wallet = process.env.ANCHOR_WALLET!;
    payer = Keypair.fromSecretKey(Uint8Array.from(JSON.parse(readFileSync(wallet, "utf8"))));
    validator = await startValidator(wallet);
    provider = new AnchorProvider(new Connection(validator.url, "confirmed"), new Wallet(payer), {
      commitment: "confirmed",
    });
  });
  after(() => {
    closePubSub(provider.connection);
    validator?.stop();
  });

  const nothing = (): Untouched => ({
    lamports: [payer.publicKey],
    accounts: [market.configPda(), market.feeVaultPda()],
  });

  it("refuses a mint with a freeze authority (MintHasFreezeAuthority)", async () => {
    const c = provider.connection;
    const mint = await createMint(c, payer, payer.publicKey, payer.publicKey, DECIMALS);
    const treasury = await createAccount(c, payer, mint, payer.publicKey, Keypair.generate());
    await expectRejected(
      provider,
      () => new MarketClient(provider).initConfig({ mint, treasury }),
      "MintHasFreezeAuthority",
      nothing(),
    );
  });

  it("refuses a Token-2022 mint with a close authority (MintHasCloseAuthority)", async () => {
    const c = provider.connection;
    const mint = Keypair.generate();
    const space = getMintLen([ExtensionType.MintCloseAuthority]);
    await provider.sendAndConfirm(
      new Transaction().add(
        SystemProgram.createAccount({
          fromPubkey: payer.publicKey,
          newAccountPubkey: mint.publicKey,
          space,
          lamports: await c.getMinimumBalanceForRentExemption(space),
          programId: TOKEN_2022_PROGRAM_ID,
        }),
        createInitializeMintCloseAuthorityInstruction(
          mint.publicKey,
          payer.publicKey,
          TOKEN_2022_PROGRAM_ID,
        ),
        createInitializeMint2Instruction(
          mint.publicKey,
          DECIMALS,
          payer.publicKey,
          null,
          TOKEN_2022_PROGRAM_ID,
        ),
      ),
      [mint],
    );
    const treasury = await createAccount(
      c,
      payer,
      mint.publicKey,
      payer.publicKey,
      Keypair.generate(),
      undefined,
      TOKEN_2022_PROGRAM_ID,
    );
    await expectRejected(
      provider,
      () => new MarketClient(provider).initConfig({ mint: mint.publicKey, treasury }),
      "MintHasCloseAuthority",
      nothing(),
    );
  });

  it("accepts a mint without either and creates the fee vault, owned by the config", async () => {
    const c = provider.connection;
    const mint = await createMint(c, payer, payer.publicKey, null, DECIMALS);
    const treasury = await createAccount(c, payer, mint, payer.publicKey, Keypair.generate());
    const markets = new MarketClient(provider);
    await markets.initConfig({ mint, treasury });
    const config = (await markets.fetchConfig())!;
    expect(config.feeVault.equals(market.feeVaultPda())).to.equal(true);
    const vault = await getAccount(c, market.feeVaultPda(), "confirmed");
    expect(vault.owner.equals(market.configPda())).to.equal(true);
    expect(vault.mint.equals(mint)).to.equal(true);
    expect([vault.amount, vault.delegate, vault.closeAuthority]).to.deep.equal([0n, null, null]);
    // An empty vault sweeps nothing, and succeeds.
    await markets.sweepFees();
    expect((await getAccount(c, treasury, "confirmed")).amount).to.equal(0n);
  });
});
