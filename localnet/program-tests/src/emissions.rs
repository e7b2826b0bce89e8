//! Emission vaults in an in-process chain, with instruction builders for every emissions
//! instruction (accounts derived the way the SDK derives them, recipients as remaining
//! accounts) and event decoding from transaction logs.

use anchor_lang::{AnchorDeserialize, Discriminator, InstructionData, ToAccountMetas};
use anchor_spl::token::spl_token;
use base64::Engine;
use crucible_emissions::{
    accounts as acc,
    error::EmissionsError,
    instruction as ixd,
    math::{self, Schedule},
    state::EmissionVault,
    CreateVaultArgs, RecipientArg,
};
use crucible_localnet::{
    testing::{self, anchor_account, custom_error, send, token_balance, SOL},
    Localnet, TxFailure,
};
use solana_instruction::{AccountMeta, Instruction};
use solana_keypair::Keypair;
use solana_pubkey::Pubkey;
use solana_signer::Signer;

const SYSTEM: Pubkey = solana_sdk_ids::system_program::ID;
pub const ID: Pubkey = crucible_emissions::ID;
pub const HOUR: u64 = 3_600;
pub const DAY: u64 = 24 * HOUR;
/// 10^6: the fixtures' mints have 6 decimals.
pub const TOKEN: u64 = 1_000_000;

pub fn vault_pda(mint: &Pubkey, vault_id: u64) -> Pubkey {
    Pubkey::find_program_address(
        &[EmissionVault::SEED, mint.as_ref(), &vault_id.to_le_bytes()],
        &ID,
    )
    .0
}

pub fn token_vault_pda(vault: &Pubkey) -> Pubkey {
    Pubkey::find_program_address(&[EmissionVault::TOKEN_VAULT_SEED, vault.as_ref()], &ID).0
}

/// An emissions instruction: `accounts`, then `rest` as remaining accounts.
pub(crate) fn ix(
    accounts: impl ToAccountMetas,
    data: impl InstructionData,
    rest: &[AccountMeta],
) -> Instruction {
    let mut metas = accounts.to_account_metas(None);
    metas.extend_from_slice(rest);
    Instruction { program_id: ID, accounts: metas, data: data.data() }
}

/// Recipient token accounts as writable remaining accounts.
pub fn writable(accounts: &[Pubkey]) -> Vec<AccountMeta> {
    accounts.iter().map(|a| AccountMeta::new(*a, false)).collect()
}

/// A mint (6 decimals) whose authority is `authority`, who also holds `tokens` in `source`.
pub struct World {
    pub authority: Keypair,
    pub mint: Pubkey,
    pub source: Pubkey,
}

impl World {
    pub fn new(chain: &mut Localnet, tokens: u64) -> World {
        let authority = Keypair::new();
        chain.airdrop(&authority.pubkey(), 1_000 * SOL).expect("airdrop");
        let mint = Keypair::new();
        testing::create_mint(chain, &authority, &mint, &authority.pubkey(), 6).expect("mint");
        let source =
            testing::create_token_account(chain, &authority, &mint.pubkey(), &authority.pubkey())
                .expect("source");
        if tokens > 0 {
            testing::mint_to(chain, &authority, &mint.pubkey(), &source, tokens).expect("mint_to");
        }
        World { authority, mint: mint.pubkey(), source }
    }

    /// `n` token accounts of the mint, each owned by a fresh key.
    pub fn accounts(&self, chain: &mut Localnet, n: usize) -> Vec<Pubkey> {
        (0..n)
            .map(|_| {
                testing::create_token_account(
                    chain,
                    &self.authority,
                    &self.mint,
                    &Keypair::new().pubkey(),
                )
                .expect("token account")
            })
            .collect()
    }

    /// A token account of the mint owned by `owner`.
    pub fn account_of(&self, chain: &mut Localnet, owner: &Pubkey) -> Pubkey {
        testing::create_token_account(chain, &self.authority, &self.mint, owner).expect("account")
    }

    /// Mints `amount` into `to`.
    pub fn mint_to(&self, chain: &mut Localnet, to: &Pubkey, amount: u64) {
        testing::mint_to(chain, &self.authority, &self.mint, to, amount).expect("mint_to");
    }

    /// The vault `vault_id` of this mint (its address is fixed before it exists).
    pub fn vault(&self, vault_id: u64) -> Vault {
        let vault = vault_pda(&self.mint, vault_id);
        Vault {
            mint: self.mint,
            vault_id,
            vault,
            token_vault: token_vault_pda(&vault),
            token_program: spl_token::ID,
        }
    }

    /// Creates vault `args.vault_id` funded from `source`, signed by the authority.
    pub fn create(&self, chain: &mut Localnet, args: CreateVaultArgs) -> Result<Vault, TxFailure> {
        let v = self.vault(args.vault_id);
        let accounts: Vec<Pubkey> = args.recipients.iter().map(|r| r.token_account).collect();
        let ix = v.create_vault(&self.authority.pubkey(), &self.source, args, &accounts);
        send(chain, &self.authority, &[ix], &[])?;
        Ok(v)
    }
}

/// Recipients with the given shares over `accounts`.
pub fn recipients(accounts: &[Pubkey], shares: &[u16]) -> Vec<RecipientArg> {
    accounts
        .iter()
        .zip(shares)
        .map(|(a, s)| RecipientArg { token_account: *a, share_bps: *s })
        .collect()
}

/// The recipients delay the fixtures' vaults get: the least a non-revocable vault accepts.
pub const DELAY: u32 = EmissionVault::MIN_NON_REVOCABLE_RECIPIENTS_DELAY_SECS;

/// Arguments for a vault starting at `start_ts`, revocable, paying `recipients`, with a
/// recipients delay of 48 hours.
pub fn args(
    vault_id: u64,
    start_ts: i64,
    schedule: crucible_emissions::math::Schedule,
    recipients: Vec<RecipientArg>,
) -> CreateVaultArgs {
    CreateVaultArgs {
        vault_id,
        start_ts,
        initial_per_hour: schedule.initial_per_hour,
        decay_bps: schedule.decay_bps,
        period_hours: schedule.period_hours,
        cap: schedule.cap,
        revocable: true,
        recipients,
        recipients_delay_secs: DELAY,
    }
}

/// One emission vault's addresses, with a builder per instruction.
#[derive(Clone, Debug)]
pub struct Vault {
    pub mint: Pubkey,
    pub vault_id: u64,
    pub vault: Pubkey,
    pub token_vault: Pubkey,
    pub token_program: Pubkey,
}

impl Vault {
    pub fn state(&self, chain: &Localnet) -> EmissionVault {
        anchor_account(chain, &self.vault).expect("vault")
    }

    pub fn try_state(&self, chain: &Localnet) -> Option<EmissionVault> {
        anchor_account(chain, &self.vault)
    }

    /// The current recipients' token accounts, in order.
    pub fn payees(&self, chain: &Localnet) -> Vec<Pubkey> {
        let s = self.state(chain);
        s.recipients[..usize::from(s.recipient_count)].iter().map(|r| r.token_account).collect()
    }

    pub fn create_vault(
        &self,
        authority: &Pubkey,
        source: &Pubkey,
        args: CreateVaultArgs,
        accounts: &[Pubkey],
    ) -> Instruction {
        let rest: Vec<AccountMeta> =
            accounts.iter().map(|a| AccountMeta::new_readonly(*a, false)).collect();
        ix(
            acc::CreateVault {
                authority: *authority,
                mint: self.mint,
                vault: self.vault,
                token_vault: self.token_vault,
                source: *source,
                token_program: self.token_program,
                system_program: SYSTEM,
            },
            ixd::CreateVault { args },
            &rest,
        )
    }

    // The accounts several instructions nest (the program's `instructions::common`).
    fn vault_authority(&self, authority: &Pubkey) -> acc::VaultAuthority {
        acc::VaultAuthority { authority: *authority, vault: self.vault }
    }
    fn paying_vault(&self) -> acc::PayingVault {
        acc::PayingVault {
            vault: self.vault,
            mint: self.mint,
            token_vault: self.token_vault,
            token_program: self.token_program,
        }
    }

    /// `emit` with `payees` as the recipients' accounts.
    pub fn emit(&self, payees: &[Pubkey]) -> Instruction {
        self.emit_with(&writable(payees))
    }

    pub fn emit_with(&self, rest: &[AccountMeta]) -> Instruction {
        ix(acc::Emit { paying_vault: self.paying_vault() }, ixd::Emit {}, rest)
    }

    pub fn fund(&self, funder: &Pubkey, source: &Pubkey, amount: u64) -> Instruction {
        ix(
            acc::Fund {
                funder: *funder,
                vault: self.vault,
                mint: self.mint,
                token_vault: self.token_vault,
                source: *source,
                token_program: self.token_program,
            },
            ixd::Fund { amount },
            &[],
        )
    }

    /// `update_recipients`: `old` are the current recipients' accounts, `new` the new list.
    pub fn update_recipients(
        &self,
        authority: &Pubkey,
        old: &[Pubkey],
        new: Vec<RecipientArg>,
    ) -> Instruction {
        let mut rest = writable(old);
        rest.extend(new.iter().map(|r| AccountMeta::new_readonly(r.token_account, false)));
        ix(
            acc::UpdateRecipients {
                vault_authority: self.vault_authority(authority),
                mint: self.mint,
                token_vault: self.token_vault,
                token_program: self.token_program,
            },
            ixd::UpdateRecipients { recipients: new },
            &rest,
        )
    }

    /// `propose_recipients`: the new list, its token accounts as remaining accounts.
    pub fn propose_recipients(&self, authority: &Pubkey, new: Vec<RecipientArg>) -> Instruction {
        let rest: Vec<AccountMeta> =
            new.iter().map(|r| AccountMeta::new_readonly(r.token_account, false)).collect();
        ix(
            acc::ProposeRecipients { vault_authority: self.vault_authority(authority) },
            ixd::ProposeRecipients { recipients: new },
            &rest,
        )
    }

    pub fn cancel_recipients_proposal(&self, authority: &Pubkey) -> Instruction {
        ix(
            acc::CancelRecipientsProposal { vault_authority: self.vault_authority(authority) },
            ixd::CancelRecipientsProposal {},
            &[],
        )
    }

    /// `execute_recipients_proposal`: `old` are the current recipients' accounts, `new` the
    /// proposed ones.
    pub fn execute_recipients_proposal(
        &self,
        executor: &Pubkey,
        old: &[Pubkey],
        new: &[Pubkey],
    ) -> Instruction {
        let mut rest = writable(old);
        rest.extend(new.iter().map(|a| AccountMeta::new_readonly(*a, false)));
        ix(
            acc::ExecuteRecipientsProposal {
                executor: *executor,
                paying_vault: self.paying_vault(),
            },
            ixd::ExecuteRecipientsProposal {},
            &rest,
        )
    }

    /// `execute_recipients_proposal` with the accounts read from the vault.
    pub fn execute(&self, chain: &Localnet, executor: &Pubkey) -> Instruction {
        let s = self.state(chain);
        let new: Vec<Pubkey> = s.proposed_recipients().iter().map(|r| r.token_account).collect();
        self.execute_recipients_proposal(executor, &self.payees(chain), &new)
    }

    pub fn replace_recipient_account(
        &self,
        caller: &Pubkey,
        index: u8,
        old: &Pubkey,
        new: &Pubkey,
    ) -> Instruction {
        ix(
            acc::ReplaceRecipientAccount {
                caller: *caller,
                vault: self.vault,
                old_token_account: *old,
                new_token_account: *new,
            },
            ixd::ReplaceRecipientAccount { index },
            &[],
        )
    }

    pub fn set_paused(&self, authority: &Pubkey, paused: bool) -> Instruction {
        ix(
            acc::SetPaused { vault_authority: self.vault_authority(authority) },
            ixd::SetPaused { paused },
            &[],
        )
    }

    pub fn revoke(
        &self,
        authority: &Pubkey,
        destination: &Pubkey,
        payees: &[Pubkey],
    ) -> Instruction {
        ix(
            acc::Revoke {
                vault_authority: self.vault_authority(authority),
                mint: self.mint,
                token_vault: self.token_vault,
                destination: *destination,
                token_program: self.token_program,
            },
            ixd::Revoke {},
            &writable(payees),
        )
    }

    pub fn close_vault(&self, authority: &Pubkey, destination: &Pubkey) -> Instruction {
        ix(
            acc::CloseVault {
                authority: *authority,
                vault: self.vault,
                mint: self.mint,
                token_vault: self.token_vault,
                destination: *destination,
                token_program: self.token_program,
            },
            ixd::CloseVault {},
            &[],
        )
    }

    pub fn propose_authority(&self, authority: &Pubkey, new_authority: Pubkey) -> Instruction {
        ix(
            acc::ProposeAuthority { vault_authority: self.vault_authority(authority) },
            ixd::ProposeAuthority { new_authority },
            &[],
        )
    }

    pub fn accept_authority(&self, new_authority: &Pubkey) -> Instruction {
        ix(
            acc::AcceptAuthority { new_authority: *new_authority, vault: self.vault },
            ixd::AcceptAuthority {},
            &[],
        )
    }
}

/// The events of type `T` in a transaction's logs (`Program data:` lines), in order.
pub fn events<T: AnchorDeserialize + Discriminator>(logs: &[String]) -> Vec<T> {
    logs.iter()
        .filter_map(|l| l.strip_prefix("Program data: "))
        .filter_map(|b| base64::engine::general_purpose::STANDARD.decode(b).ok())
        .filter(|d| d.starts_with(T::DISCRIMINATOR))
        .map(|d| T::try_from_slice(&d[T::DISCRIMINATOR.len()..]).expect("event decodes"))
        .collect()
}

/// The one event of type `T` in the logs.
pub fn event<T: AnchorDeserialize + Discriminator>(logs: &[String]) -> T {
    let mut all = events::<T>(logs);
    assert_eq!(all.len(), 1, "expected exactly one event: {logs:#?}");
    all.remove(0)
}

/// The chain's clock, as a unix timestamp.
pub fn now(chain: &Localnet) -> i64 {
    chain.clock().unix_timestamp
}

/// A funded signer.
pub fn funded(chain: &mut Localnet) -> Keypair {
    let k = Keypair::new();
    chain.airdrop(&k.pubkey(), 10 * SOL).expect("airdrop");
    k
}

// --- a fixture with three recipients, shared by the emissions suites ---

/// A small schedule: 1,000 an hour, −10 % every 4 hours, cap 1,000,000.
pub const SMALL: Schedule =
    Schedule { initial_per_hour: 1_000, decay_bps: 1_000, period_hours: 4, cap: 1_000_000 };

pub const SHARES: [u16; 3] = [5_000, 3_000, 2_000];

pub fn code(e: EmissionsError) -> u32 {
    u32::from(e)
}

pub struct Fx {
    pub chain: Localnet,
    pub w: World,
    /// Three recipient token accounts (shares 50/30/20 %).
    pub payees: Vec<Pubkey>,
}

pub fn fx() -> Fx {
    let mut chain = Localnet::new();
    let w = World::new(&mut chain, 1_000_000_000 * TOKEN);
    let payees = w.accounts(&mut chain, 3);
    Fx { chain, w, payees }
}

impl Fx {
    /// A revocable vault starting now with `schedule`, paying `payees` 50/30/20 %.
    pub fn vault(&mut self, id: u64, schedule: Schedule) -> Vault {
        let start = now(&self.chain);
        self.w
            .create(&mut self.chain, args(id, start, schedule, recipients(&self.payees, &SHARES)))
            .expect("create_vault")
    }

    /// A non-revocable vault starting now with `schedule`, paying `payees` 50/30/20 %, whose
    /// recipients change only through a proposal and its 48-hour delay.
    pub fn fixed_vault(&mut self, id: u64, schedule: Schedule) -> Vault {
        let start = now(&self.chain);
        let a = CreateVaultArgs {
            revocable: false,
            ..args(id, start, schedule, recipients(&self.payees, &SHARES))
        };
        self.w.create(&mut self.chain, a).expect("create_vault")
    }

    pub fn authority(&self) -> Keypair {
        self.w.authority.insecure_clone()
    }

    pub fn send(&mut self, ix: Instruction) -> Vec<String> {
        let payer = self.authority();
        send(&mut self.chain, &payer, &[ix], &[]).expect("transaction")
    }

    pub fn balances(&self, accounts: &[Pubkey]) -> Vec<u64> {
        accounts.iter().map(|a| token_balance(&self.chain, a)).collect()
    }

    /// Sends `ix` (signed by `payer`) and expects the custom error `expected`; the watched
    /// token balances and the watched accounts' lamports and data must not change.
    pub fn rejects(
        &mut self,
        payer: &Keypair,
        ix: Instruction,
        expected: u32,
        tokens: &[Pubkey],
        accounts: &[Pubkey],
    ) {
        self.rejects_tx(payer, &[ix], expected, tokens, accounts);
    }

    /// [`Fx::rejects`] for a transaction of several instructions (a bundle).
    pub fn rejects_tx(
        &mut self,
        payer: &Keypair,
        ixs: &[Instruction],
        expected: u32,
        tokens: &[Pubkey],
        accounts: &[Pubkey],
    ) {
        let data = |chain: &Localnet| -> Vec<Option<(u64, Vec<u8>)>> {
            accounts.iter().map(|a| chain.get_account(a).map(|x| (x.lamports, x.data))).collect()
        };
        let (b0, d0) = (self.balances(tokens), data(&self.chain));
        let failure =
            send(&mut self.chain, payer, ixs, &[]).expect_err("the transaction must fail");
        assert_eq!(custom_error(&failure), Some(expected), "{:#?}", failure.logs);
        assert_eq!(self.balances(tokens), b0, "token balances moved on a rejected transaction");
        assert_eq!(data(&self.chain), d0, "accounts changed on a rejected transaction");
    }
}

/// What each of `shares` holds after its set received `distributed` (plus the dust to the
/// last one when the set is settled).
pub fn expected(shares: &[u16], distributed: u64, settled: bool) -> Vec<u64> {
    let mut out: Vec<u64> = shares.iter().map(|s| math::owed(distributed, *s).unwrap()).collect();
    if settled {
        *out.last_mut().unwrap() += math::dust(shares, distributed).unwrap();
    }
    out
}
