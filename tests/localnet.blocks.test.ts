// Blocks through unmodified @solana/web3.js 1.98 and @solana/kit: getBlock, getParsedBlock,
// getBlocks, getBlocksWithLimit, getBlockTime, getFirstAvailableBlock, and getParsedTransaction
// for System, SPL Token, Token-2022, ATA, Memo and address-lookup-table instructions, with
// agave 2.3's shapes and errors. A block is read once the slot after it began (a slot
// notification), as a client reads a confirmed block.
import {
  SOLANA_ERROR__JSON_RPC__INVALID_PARAMS,
  SOLANA_ERROR__JSON_RPC__SERVER_ERROR_SLOT_SKIPPED,
  SOLANA_ERROR__JSON_RPC__SERVER_ERROR_UNSUPPORTED_TRANSACTION_VERSION,
  createSolanaRpc,
  isSolanaError,
} from "@solana/kit";
import {
  ASSOCIATED_TOKEN_PROGRAM_ID,
  TOKEN_2022_PROGRAM_ID,
  TOKEN_PROGRAM_ID,
  createAssociatedTokenAccountInstruction,
  createInitializeMint2Instruction,
  createMintToInstruction,
  getAssociatedTokenAddressSync,
  getMinimumBalanceForRentExemptMint,
  MINT_SIZE,
} from "@solana/spl-token";
import {
  AddressLookupTableProgram,
  Connection,
  Keypair,
  ParsedBlockResponse,
  ParsedInstruction,
  PublicKey,
  SolanaJSONRPCError,
  SystemProgram,
  Transaction,
  TransactionInstruction,
  TransactionMessage,
  VersionedTransaction,
  sendAndConfirmTransaction,
} from "@solana/web3.js";
import { expect } from "chai";

import { requiresTimeTravel, warp } from "./harness/cheatcodes";
import { confirm, fundedKeypair, getProvider, pastSlot } from "./harness/env";

const MEMO_PROGRAM_ID = new PublicKey("MemoSq4gqABAXKb96qnH8TysNcWxMyWCqXgDLGmfcHr");

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (e) {
    return e;
  }
  throw new Error("expected the call to fail");
}

/** Sends `ixs` from `payer` (and `signers`), confirmed; the signature and its slot. */
async function send(
  connection: Connection,
  payer: Keypair,
  ixs: TransactionInstruction[],
  signers: Keypair[] = [],
): Promise<{ signature: string; slot: number }> {
  const signature = await sendAndConfirmTransaction(
    connection,
    new Transaction().add(...ixs),
    [payer, ...signers],
    { commitment: "confirmed" },
  );
  const tx = await connection.getTransaction(signature, {
    commitment: "confirmed",
    maxSupportedTransactionVersion: 0,
  });
  return { signature, slot: tx!.slot };
}

function parsed(ix: unknown): ParsedInstruction {
  expect(ix).to.have.property("parsed");
  return ix as ParsedInstruction;
}

describe("localnet / blocks", () => {
  const provider = getProvider();
  const connection = provider.connection;
  const rpc = createSolanaRpc(connection.rpcEndpoint);
  let payer: Keypair;

  before(async () => {
    payer = await fundedKeypair(provider, 20);
  });

  it("getBlock and getParsedBlock hold a transfer in its slot, consistent with its parent", async () => {
    const to = Keypair.generate().publicKey;
    const { signature, slot } = await send(connection, payer, [
      SystemProgram.transfer({ fromPubkey: payer.publicKey, toPubkey: to, lamports: 5000 }),
    ]);
    await pastSlot(connection, slot);
    const block = await connection.getBlock(slot, {
      commitment: "confirmed",
      maxSupportedTransactionVersion: 0,
    });
    expect(block).to.not.equal(null);
    const ours = block!.transactions.find((t) => t.transaction.signatures[0] === signature);
    expect(ours, "the transaction is in its slot's block").to.not.equal(undefined);
    expect(ours!.meta!.fee).to.equal(5000);
    expect(ours!.meta!.err).to.equal(null);
    expect(block!.blockTime).to.equal(await connection.getBlockTime(slot));
    const parent = await connection.getBlock(block!.parentSlot, {
      commitment: "confirmed",
      maxSupportedTransactionVersion: 0,
      transactionDetails: "none",
    });
    expect(parent!.blockhash).to.equal(block!.previousBlockhash);
    // web3.js 1.98's types leave `blockHeight` out; it is passed on.
    const height = (b: unknown) => (b as { blockHeight: number }).blockHeight;
    expect(height(parent) + 1).to.equal(height(block));

    const parsedBlock = await connection.getParsedBlock(slot, {
      commitment: "confirmed",
      maxSupportedTransactionVersion: 0,
      transactionDetails: "full",
    });
    const parsedTx = (parsedBlock as unknown as ParsedBlockResponse).transactions.find(
      (t) => t.transaction.signatures[0] === signature,
    );
    const ix = parsed(parsedTx!.transaction.message.instructions[0]);
    expect(ix.program).to.equal("system");
    expect(ix.parsed).to.deep.equal({
      type: "transfer",
      info: {
        source: payer.publicKey.toBase58(),
        destination: to.toBase58(),
        lamports: 5000,
      },
    });
    expect(parsedTx!.transaction.message.accountKeys[0]).to.deep.include({
      signer: true,
      writable: true,
      source: "transaction",
    });

    // web3.js 1.98's getBlock reads only full, accounts and none: signatures through kit.
    const signatures = await rpc
      .getBlock(BigInt(slot), {
        commitment: "confirmed",
        maxSupportedTransactionVersion: 0,
        transactionDetails: "signatures",
        rewards: false,
      })
      .send();
    expect(signatures!.signatures).to.include(signature);
    expect(signatures).to.not.have.property("rewards");
    expect(signatures).to.not.have.property("transactions");
  });

  it("getBlocks and getBlocksWithLimit list the produced slots", async () => {
    const { slot } = await send(connection, payer, [
      SystemProgram.transfer({
        fromPubkey: payer.publicKey,
        toPubkey: payer.publicKey,
        lamports: 1,
      }),
    ]);
    await pastSlot(connection, slot);
    const from = Math.max(0, slot - 50);
    const blocks = await connection.getBlocks(from, slot, "confirmed");
    expect(blocks).to.include(slot);
    expect(blocks.every((s, i) => i === 0 || s > blocks[i - 1])).to.equal(true);
    expect(await connection.getBlocks(slot + 5, slot, "confirmed")).to.deep.equal([]);
    // web3.js 1.98 has no getBlocksWithLimit (only the removed getConfirmedBlocksWithLimit).
    const limited = await rpc
      .getBlocksWithLimit(BigInt(from), 2, { commitment: "confirmed" })
      .send();
    // Read after the limited list, so that every block it names is in this one.
    const since = await connection.getBlocks(from, undefined, "confirmed");
    expect(limited.length).to.be.within(1, 2);
    expect(limited.map(Number)).to.deep.equal(since.slice(0, limited.length));
    expect(since.slice(0, blocks.length)).to.deep.equal(blocks);
    const e = await rejection(
      rpc.getBlocksWithLimit(0n, 500_001, { commitment: "confirmed" }).send(),
    );
    expect(isSolanaError(e, SOLANA_ERROR__JSON_RPC__INVALID_PARAMS)).to.equal(true);
    expect(String((e as Error).message)).to.contain("Limit too large; max 500000");

    const kitBlocks = await rpc
      .getBlocks(BigInt(from), BigInt(slot), { commitment: "confirmed" })
      .send();
    expect(kitBlocks.map(Number)).to.deep.equal(blocks);
    const first = await rpc.getFirstAvailableBlock().send();
    expect(Number(first)).to.be.at.most(from);
    const kitBlock = await rpc
      .getBlock(BigInt(slot), {
        commitment: "confirmed",
        maxSupportedTransactionVersion: 0,
        transactionDetails: "signatures",
        rewards: false,
      })
      .send();
    expect(Number(kitBlock!.blockHeight)).to.be.greaterThan(0);
    expect(Number(await rpc.getBlockTime(BigInt(slot)).send())).to.equal(
      await connection.getBlockTime(slot),
    );
    const processed = await rejection(
      rpc.getBlock(BigInt(slot), { commitment: "processed" } as never).send(),
    );
    expect(isSolanaError(processed, SOLANA_ERROR__JSON_RPC__INVALID_PARAMS)).to.equal(true);
  });

  it("refuses a block holding a v0 transaction without maxSupportedTransactionVersion", async () => {
    const { blockhash } = await connection.getLatestBlockhash("confirmed");
    const message = new TransactionMessage({
      payerKey: payer.publicKey,
      recentBlockhash: blockhash,
      instructions: [
        SystemProgram.transfer({
          fromPubkey: payer.publicKey,
          toPubkey: payer.publicKey,
          lamports: 2,
        }),
      ],
    }).compileToV0Message();
    const tx = new VersionedTransaction(message);
    tx.sign([payer]);
    const signature = await connection.sendTransaction(tx);
    await confirm(connection, signature);
    const got = await connection.getTransaction(signature, {
      commitment: "confirmed",
      maxSupportedTransactionVersion: 0,
    });
    await pastSlot(connection, got!.slot);
    const e = await rejection(connection.getBlock(got!.slot, { commitment: "confirmed" } as never));
    expect(e).to.be.instanceOf(SolanaJSONRPCError);
    expect((e as SolanaJSONRPCError).code).to.equal(-32015);
    expect((e as SolanaJSONRPCError).message).to.contain(
      'Transaction version (0) is not supported by the requesting client. Please try the request again with the following configuration parameter: "maxSupportedTransactionVersion": 0',
    );
    const kit = await rejection(
      rpc.getBlock(BigInt(got!.slot), { commitment: "confirmed" }).send(),
    );
    expect(
      isSolanaError(kit, SOLANA_ERROR__JSON_RPC__SERVER_ERROR_UNSUPPORTED_TRANSACTION_VERSION),
    ).to.equal(true);
    const block = await connection.getBlock(got!.slot, {
      commitment: "confirmed",
      maxSupportedTransactionVersion: 0,
    });
    const ours = block!.transactions.find((t) => t.transaction.signatures[0] === signature);
    expect(ours!.version).to.equal(0);
  });

  it("getParsedTransaction parses System, Token, Token-2022, ATA, Memo and lookup-table instructions", async () => {
    const owner = Keypair.generate().publicKey;
    let lastSlot = 0;
    for (const programId of [TOKEN_PROGRAM_ID, TOKEN_2022_PROGRAM_ID]) {
      const mint = Keypair.generate();
      const ata = getAssociatedTokenAddressSync(mint.publicKey, owner, false, programId);
      const lamports = await getMinimumBalanceForRentExemptMint(connection);
      const { signature, slot } = await send(
        connection,
        payer,
        [
          SystemProgram.createAccount({
            fromPubkey: payer.publicKey,
            newAccountPubkey: mint.publicKey,
            lamports,
            space: MINT_SIZE,
            programId,
          }),
          createInitializeMint2Instruction(mint.publicKey, 6, payer.publicKey, null, programId),
          createAssociatedTokenAccountInstruction(
            payer.publicKey,
            ata,
            owner,
            mint.publicKey,
            programId,
            ASSOCIATED_TOKEN_PROGRAM_ID,
          ),
          createMintToInstruction(mint.publicKey, ata, payer.publicKey, 1_000_000, [], programId),
          new TransactionInstruction({
            programId: MEMO_PROGRAM_ID,
            keys: [],
            data: Buffer.from("minted"),
          }),
        ],
        [mint],
      );
      lastSlot = slot;
      const tx = await connection.getParsedTransaction(signature, {
        commitment: "confirmed",
        maxSupportedTransactionVersion: 0,
      });
      const ixs = tx!.transaction.message.instructions.map(parsed);
      // agave names both token programs "spl-token" (parse_instruction.rs); the programId tells them apart.
      const token = "spl-token";
      expect(ixs.map((ix) => [ix.program, ix.parsed.type ?? ix.parsed])).to.deep.equal([
        ["system", "createAccount"],
        [token, "initializeMint2"],
        ["spl-associated-token-account", "create"],
        [token, "mintTo"],
        ["spl-memo", "minted"],
      ]);
      expect(ixs[0].parsed.info).to.deep.equal({
        source: payer.publicKey.toBase58(),
        newAccount: mint.publicKey.toBase58(),
        lamports,
        space: MINT_SIZE,
        owner: programId.toBase58(),
      });
      expect(ixs[1].programId.equals(programId)).to.equal(true);
      expect(ixs[1].parsed.info).to.deep.equal({
        mint: mint.publicKey.toBase58(),
        decimals: 6,
        mintAuthority: payer.publicKey.toBase58(),
      });
      expect(ixs[2].parsed.info).to.deep.include({
        account: ata.toBase58(),
        mint: mint.publicKey.toBase58(),
        wallet: owner.toBase58(),
        tokenProgram: programId.toBase58(),
      });
      expect(ixs[3].parsed.info).to.deep.equal({
        mint: mint.publicKey.toBase58(),
        account: ata.toBase58(),
        mintAuthority: payer.publicKey.toBase58(),
        amount: "1000000",
      });
      // The token balances: none before (the account did not exist), the minted amount after.
      const ataIndex = tx!.transaction.message.accountKeys.findIndex((k) => k.pubkey.equals(ata));
      expect(tx!.meta!.preTokenBalances).to.deep.equal([]);
      const balances = [
        {
          accountIndex: ataIndex,
          mint: mint.publicKey.toBase58(),
          owner: owner.toBase58(),
          programId: programId.toBase58(),
          uiTokenAmount: { amount: "1000000", decimals: 6, uiAmount: 1, uiAmountString: "1" },
        },
      ];
      expect(tx!.meta!.postTokenBalances).to.deep.equal(balances);
      const plain = await connection.getTransaction(signature, {
        commitment: "confirmed",
        maxSupportedTransactionVersion: 0,
      });
      expect(plain!.meta!.postTokenBalances).to.deep.equal(balances);
      // The ATA program's CPIs into the token program and System parse too.
      const inner = tx!.meta!.innerInstructions!.find((i) => i.index === 2)!;
      const programs = inner.instructions.map((ix) => parsed(ix).program);
      expect(programs).to.include("system");
      expect(programs).to.include(token);
    }

    // A lookup table created from a produced slot, extended with one address.
    // A slot that holds a block (the last mint's), once the chain is past it: it is in SlotHashes.
    const recentSlot = lastSlot;
    await pastSlot(connection, recentSlot);
    const [create, table] = AddressLookupTableProgram.createLookupTable({
      authority: payer.publicKey,
      payer: payer.publicKey,
      recentSlot,
    });
    const extend = AddressLookupTableProgram.extendLookupTable({
      lookupTable: table,
      authority: payer.publicKey,
      payer: payer.publicKey,
      addresses: [owner],
    });
    const { signature } = await send(connection, payer, [create, extend]);
    const tx = await connection.getParsedTransaction(signature, {
      commitment: "confirmed",
      maxSupportedTransactionVersion: 0,
    });
    const [created, extended] = tx!.transaction.message.instructions.map(parsed);
    expect(created.program).to.equal("address-lookup-table");
    expect(created.parsed.type).to.equal("createLookupTable");
    expect(created.parsed.info).to.deep.include({
      lookupTableAccount: table.toBase58(),
      lookupTableAuthority: payer.publicKey.toBase58(),
      payerAccount: payer.publicKey.toBase58(),
      recentSlot,
    });
    expect(extended.parsed.type).to.equal("extendLookupTable");
    expect(extended.parsed.info.newAddresses).to.deep.equal([owner.toBase58()]);
  });

  it("answers agave's error for a slot a time travel skipped", async function () {
    await requiresTimeTravel(this);
    const before = await connection.getSlot();
    // 10 s are 25 slots: the slot before the one the travel lands on holds no block.
    const landed = (await warp(provider, 10)).slot;
    await pastSlot(connection, landed);
    const skipped = landed - 1;
    expect(skipped).to.be.greaterThan(before);
    const message = `Slot ${skipped} was skipped, or missing due to ledger jump to recent snapshot`;
    const e = await rejection(connection.getBlock(skipped, { maxSupportedTransactionVersion: 0 }));
    expect((e as SolanaJSONRPCError).code).to.equal(-32007);
    expect((e as SolanaJSONRPCError).message).to.contain(message);
    const kit = await rejection(rpc.getBlockTime(BigInt(skipped)).send());
    expect(isSolanaError(kit, SOLANA_ERROR__JSON_RPC__SERVER_ERROR_SLOT_SKIPPED)).to.equal(true);
    const blocks = await connection.getBlocks(before, landed);
    expect(blocks).to.not.include(skipped);
    expect(blocks).to.include(landed);
  });
});
