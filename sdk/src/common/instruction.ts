import { BorshInstructionCoder, Idl } from "@coral-xyz/anchor";
import { convertIdlToCamelCase } from "@coral-xyz/anchor/dist/cjs/idl.js";
import { AccountMeta, PublicKey, TransactionInstruction } from "@solana/web3.js";

type IdlAccountItem = {
  name: string;
  writable?: boolean;
  signer?: boolean;
  optional?: boolean;
  /** A composite accounts struct (Anchor's nested `#[derive(Accounts)]`): its own items. */
  accounts?: IdlAccountItem[];
};

/** The accounts of an instruction in order, composite groups flattened (as Anchor lays them out). */
function flatten(items: IdlAccountItem[]): IdlAccountItem[] {
  return items.flatMap((item) => (item.accounts ? flatten(item.accounts) : [item]));
}
type IdlWithAddress = Idl & { address: string };

/**
 * Builds instructions from an IDL: the account list, its order and its signer/writable flags
 * come from the IDL, so a builder only names each account (camelCase, as Anchor's TS does).
 */
export class IdlInstructionBuilder {
  private readonly coder: BorshInstructionCoder;
  readonly programId: PublicKey;

  private readonly idl: IdlWithAddress;

  constructor(idl: IdlWithAddress) {
    // Names as Anchor's TypeScript sees them (camelCase), like `new Program(idl)` does.
    this.idl = convertIdlToCamelCase(idl);
    this.coder = new BorshInstructionCoder(this.idl);
    this.programId = new PublicKey(idl.address);
  }

  build(
    instruction: string,
    accounts: Record<string, PublicKey | undefined>,
    args: Record<string, unknown> = {},
  ): TransactionInstruction {
    const ix = this.idl.instructions.find((i) => i.name === instruction);
    if (!ix) throw new Error(`unknown instruction ${instruction}`);
    for (const arg of ix.args) {
      if (args[arg.name] === undefined)
        throw new Error(`${instruction}: argument ${arg.name} is missing`);
    }
    const items = flatten(ix.accounts as IdlAccountItem[]);
    const keys: AccountMeta[] = items.map((item) => {
      const name = item.name;
      const pubkey = accounts[name];
      // Anchor reads an optional account as absent when the program id stands in its place.
      if (!pubkey && item.optional)
        return { pubkey: this.programId, isSigner: false, isWritable: false };
      if (!pubkey) throw new Error(`${instruction}: account ${name} is missing`);
      return { pubkey, isSigner: !!item.signer, isWritable: !!item.writable };
    });
    const extra = Object.keys(accounts)
      .filter((k) => accounts[k] !== undefined)
      .filter((k) => !items.some((item) => item.name === k));
    if (extra.length) throw new Error(`${instruction}: unknown account(s) ${extra.join(", ")}`);
    return new TransactionInstruction({
      programId: this.programId,
      keys,
      data: this.coder.encode(ix.name, args),
    });
  }
}
