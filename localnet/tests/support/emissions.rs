//! Emission vaults in an in-process chain, with instruction builders for every emissions
//! instruction (accounts derived the way the SDK derives them, recipients as remaining
//! accounts) and event decoding from transaction logs.

use anchor_lang::{AnchorDeserialize, Discriminator, InstructionData, ToAccountMetas};
use anchor_spl::token::spl_token;
use base64::Engine;
use crucible_emissions::{
    accounts as acc, instruction as ixd, state::EmissionVault, CreateVaultArgs, RecipientArg,
};
use crucible_localnet::{
    testing::{self, anchor_account, send, SOL},
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

fn ix(
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

/// Arguments for a vault starting at `start_ts`, revocable, paying `recipients`.
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

    /// `emit` with `payees` as the recipients' accounts.
    pub fn emit(&self, payees: &[Pubkey]) -> Instruction {
        self.emit_with(&writable(payees))
    }

    pub fn emit_with(&self, rest: &[AccountMeta]) -> Instruction {
        ix(
            acc::Emit {
                vault: self.vault,
                mint: self.mint,
                token_vault: self.token_vault,
                token_program: self.token_program,
            },
            ixd::Emit {},
            rest,
        )
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
                authority: *authority,
                vault: self.vault,
                mint: self.mint,
                token_vault: self.token_vault,
                token_program: self.token_program,
            },
            ixd::UpdateRecipients { recipients: new },
            &rest,
        )
    }

    pub fn set_paused(&self, authority: &Pubkey, paused: bool) -> Instruction {
        ix(
            acc::SetPaused { authority: *authority, vault: self.vault },
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
                authority: *authority,
                vault: self.vault,
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
            acc::ProposeAuthority { authority: *authority, vault: self.vault },
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
