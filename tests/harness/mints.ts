// Token-2022 mints for the tests of which mints Crucible accepts: a mint with given extensions,
// and the extensions every program must refuse (crates/crucible-common/src/mint.rs).
import {
  AccountState,
  createInitializeDefaultAccountStateInstruction,
  createInitializeMint2Instruction,
  createInitializeMintCloseAuthorityInstruction,
  createMint,
  createInitializeNonTransferableMintInstruction,
  createInitializePermanentDelegateInstruction,
  createInitializeTransferFeeConfigInstruction,
  createInitializeTransferHookInstruction,
  ExtensionType,
  getMintLen,
  TOKEN_2022_PROGRAM_ID,
} from "@solana/spl-token";
import {
  Keypair,
  PublicKey,
  SystemProgram,
  Transaction,
  TransactionInstruction,
} from "@solana/web3.js";

import { getProvider } from "./env";
import { DECIMALS, payerOf } from "./fixtures";

/** Creates a Token-2022 mint with `extensions`, each initialised by `init(mint)`, the wallet as
 * mint authority. It has no freeze authority (every program refuses a mint with one) unless
 * `freezeAuthority` says so, or an extension needs one (frozen-by-default accounts: the wallet). */
export async function token2022Mint(
  extensions: ExtensionType[],
  init: (mint: PublicKey, authority: PublicKey) => TransactionInstruction[],
  freezeAuthority?: PublicKey | null,
): Promise<PublicKey> {
  const provider = getProvider();
  const payer = payerOf(provider);
  const freezer =
    freezeAuthority !== undefined
      ? freezeAuthority
      : extensions.includes(ExtensionType.DefaultAccountState)
        ? payer.publicKey
        : null;
  const mint = Keypair.generate();
  const space = getMintLen(extensions);
  const lamports = await provider.connection.getMinimumBalanceForRentExemption(space);
  const tx = new Transaction().add(
    SystemProgram.createAccount({
      fromPubkey: payer.publicKey,
      newAccountPubkey: mint.publicKey,
      space,
      lamports,
      programId: TOKEN_2022_PROGRAM_ID,
    }),
    ...init(mint.publicKey, payer.publicKey),
    createInitializeMint2Instruction(
      mint.publicKey,
      DECIMALS,
      payer.publicKey,
      freezer,
      TOKEN_2022_PROGRAM_ID,
    ),
  );
  await provider.sendAndConfirm(tx, [mint]);
  return mint.publicKey;
}

/** Extensions refused at init_pool, init_config and create_vault, with how to set each up. */
export const REFUSED_EXTENSIONS: Array<
  [string, ExtensionType[], (mint: PublicKey, authority: PublicKey) => TransactionInstruction[]]
> = [
  [
    "a transfer fee",
    [ExtensionType.TransferFeeConfig],
    (m, a) => [
      createInitializeTransferFeeConfigInstruction(m, a, a, 100, 1_000n, TOKEN_2022_PROGRAM_ID),
    ],
  ],
  [
    "a transfer hook",
    [ExtensionType.TransferHook],
    (m, a) => [
      createInitializeTransferHookInstruction(
        m,
        a,
        Keypair.generate().publicKey,
        TOKEN_2022_PROGRAM_ID,
      ),
    ],
  ],
  [
    "a permanent delegate",
    [ExtensionType.PermanentDelegate],
    (m, a) => [createInitializePermanentDelegateInstruction(m, a, TOKEN_2022_PROGRAM_ID)],
  ],
  [
    "non-transferability",
    [ExtensionType.NonTransferable],
    (m) => [createInitializeNonTransferableMintInstruction(m, TOKEN_2022_PROGRAM_ID)],
  ],
  [
    "accounts frozen by default",
    [ExtensionType.DefaultAccountState],
    (m) => [
      createInitializeDefaultAccountStateInstruction(m, AccountState.Frozen, TOKEN_2022_PROGRAM_ID),
    ],
  ],
];

/** A Token-2022 mint with a close authority (the wallet): refused everywhere. */
export function closableMint(): Promise<PublicKey> {
  return token2022Mint([ExtensionType.MintCloseAuthority], (m, a) => [
    createInitializeMintCloseAuthorityInstruction(m, a, TOKEN_2022_PROGRAM_ID),
  ]);
}

/** A Token-2022 mint with a freeze authority (the wallet) and no extension: refused everywhere. */
export function freezableMint(): Promise<PublicKey> {
  return token2022Mint([], () => [], payerOf(getProvider()).publicKey);
}

/** A classic SPL Token mint with a freeze authority (the wallet): refused everywhere. */
export async function classicFreezableMint(): Promise<PublicKey> {
  const provider = getProvider();
  const payer = payerOf(provider);
  return createMint(provider.connection, payer, payer.publicKey, payer.publicKey, DECIMALS);
}
