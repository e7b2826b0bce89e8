//! Paying what is due from the token vault to the recipients (signed by the vault PDA), and
//! checking the recipient token accounts passed as remaining accounts.
use anchor_lang::prelude::*;
use anchor_spl::{
    token_2022::spl_token_2022::{
        self,
        extension::{memo_transfer::memo_required, StateWithExtensions},
        state::AccountState,
    },
    token_interface::{Mint, TokenAccount, TokenInterface},
};
use crucible_common::{emit, token::TokenAccountRef};

use crate::{
    error::EmissionsError,
    events::{EmissionCapReached, EmissionEnded, Emitted, EndReason, Payment},
    math::{self, OrOverflow, SafeMath},
    state::{EmissionVault, Recipient, MAX_RECIPIENTS},
};

/// A recipient as given to `create_vault` and `update_recipients`.
#[derive(AnchorSerialize, AnchorDeserialize, Clone, Copy, Debug, PartialEq, Eq)]
pub struct RecipientArg {
    /// A token account of the vault's mint (any owner: a staking pool's reward vault, a
    /// treasury, a team account ...).
    pub token_account: Pubkey,
    /// Share of every emission in basis points (> 0; all shares sum to 10 000).
    pub share_bps: u16,
}

/// Why a token account cannot be paid.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Unpayable {
    /// Not a token account of the vault's token program (closed, or never one).
    NotATokenAccount,
    /// A token account of another mint (closed and re-created for another mint).
    OtherMint,
    /// A token account of the mint that refuses transfers in: frozen, or Token-2022
    /// memo-required (the program's transfer carries no memo).
    CannotReceive,
}

impl From<Unpayable> for EmissionsError {
    fn from(u: Unpayable) -> Self {
        match u {
            Unpayable::NotATokenAccount => EmissionsError::InvalidRecipientAccount,
            Unpayable::OtherMint => EmissionsError::WrongRecipientMint,
            Unpayable::CannotReceive => EmissionsError::RecipientCannotReceive,
        }
    }
}

/// What the program sees of a would-be recipient account: its owner if it is a token account of
/// `mint` under `token_program`, and whether a `transfer_checked` from the vault can credit it.
pub fn inspect(
    info: &AccountInfo,
    mint: &Pubkey,
    token_program: &Pubkey,
) -> core::result::Result<(Pubkey, bool), Unpayable> {
    if info.owner != token_program {
        return Err(Unpayable::NotATokenAccount);
    }
    let data = info.try_borrow_data().map_err(|_| Unpayable::NotATokenAccount)?;
    // A classic token account is the 165-byte base state, which the Token-2022 parser also
    // reads; a Token-2022 account carries its extensions after it.
    let state = StateWithExtensions::<spl_token_2022::state::Account>::unpack(&data)
        .map_err(|_| Unpayable::NotATokenAccount)?;
    if state.base.mint != *mint {
        return Err(Unpayable::OtherMint);
    }
    let frozen = state.base.state != AccountState::Initialized;
    let memo = *token_program == anchor_spl::token_2022::ID && memo_required(&state);
    Ok((state.base.owner, !frozen && !memo))
}

/// Whether `info` is a token account of `mint` under `token_program` that a `transfer_checked`
/// from the vault can credit; returns its owner when it is.
pub fn payable(
    info: &AccountInfo,
    mint: &Pubkey,
    token_program: &Pubkey,
) -> core::result::Result<Pubkey, Unpayable> {
    match inspect(info, mint, token_program)? {
        (owner, true) => Ok(owner),
        (_, false) => Err(Unpayable::CannotReceive),
    }
}

/// A checked list of new recipients and the owners of their token accounts, in order.
pub struct NewRecipients {
    pub recipients: Vec<Recipient>,
    pub owners: Vec<Pubkey>,
}

/// Checks a new list of recipients against its bounds and against `accounts` (the same token
/// accounts, in order): 1 to 8 of them, shares > 0 summing to 10 000, no duplicates, none the
/// vault's own token account, each a token account of `mint` under `token_program` that can
/// receive. Returns the list with the accounts' owners.
pub fn check_new_recipients(
    args: &[RecipientArg],
    accounts: &[AccountInfo],
    mint: &Pubkey,
    token_program: &Pubkey,
    token_vault: &Pubkey,
) -> Result<NewRecipients> {
    require!(!args.is_empty(), EmissionsError::NoRecipients);
    require!(args.len() <= MAX_RECIPIENTS, EmissionsError::TooManyRecipients);
    let mut sum = 0u64;
    // Bounded: at most MAX_RECIPIENTS (8) args, each compared with the ones before (28 pairs).
    for (i, r) in args.iter().enumerate() {
        require!(r.share_bps > 0, EmissionsError::ZeroShare);
        sum = sum.safe_add(u64::from(r.share_bps))?;
        require!(
            args[..i].iter().all(|o| o.token_account != r.token_account),
            EmissionsError::DuplicateRecipient
        );
        require_keys_neq!(r.token_account, *token_vault, EmissionsError::RecipientIsVault);
    }
    require!(sum == math::BPS, EmissionsError::SharesMustSum10000);
    require!(accounts.len() == args.len(), EmissionsError::RecipientMismatch);
    let mut owners = Vec::with_capacity(args.len());
    // Bounded: at most MAX_RECIPIENTS (8), checked above.
    for (r, info) in args.iter().zip(accounts) {
        require_keys_eq!(info.key(), r.token_account, EmissionsError::RecipientMismatch);
        let owner = payable(info, mint, token_program).map_err(EmissionsError::from)?;
        owners.push(owner);
    }
    Ok(NewRecipients {
        recipients: args
            .iter()
            .map(|r| Recipient { token_account: r.token_account, share_bps: r.share_bps })
            .collect(),
        owners,
    })
}

/// [`check_new_recipients`] for an existing vault: of its mint and token program, never its
/// token account.
pub fn check_vault_recipients(
    vault: &EmissionVault,
    args: &[RecipientArg],
    accounts: &[AccountInfo],
) -> Result<NewRecipients> {
    check_new_recipients(args, accounts, &vault.mint, &vault.token_program, &vault.token_vault)
}

/// Splits the remaining accounts of a change of recipients: the current recipients' token
/// accounts (as many as the vault has, `RecipientMismatch` if fewer are passed), then the new
/// ones.
pub fn split_payees<'a, 'info>(
    vault: &EmissionVault,
    accounts: &'a [AccountInfo<'info>],
) -> Result<(&'a [AccountInfo<'info>], &'a [AccountInfo<'info>])> {
    let old_count = usize::from(vault.recipient_count);
    require!(accounts.len() >= old_count, EmissionsError::RecipientMismatch);
    Ok(accounts.split_at(old_count))
}

/// The stored recipients as arguments (to re-check a stored proposal against its accounts).
pub fn as_args(recipients: &[Recipient]) -> Vec<RecipientArg> {
    recipients
        .iter()
        .map(|r| RecipientArg { token_account: r.token_account, share_bps: r.share_bps })
        .collect()
}

/// Checks that `accounts` are the vault's current recipients, in order, writable, token
/// accounts of its mint that can receive (a token account can be closed and re-created for
/// another mint, or become memo-required; `replace_recipient_account` is the remedy). Returns
/// their owners, in order.
pub fn check_payees(
    vault: &EmissionVault,
    accounts: &[AccountInfo],
) -> Result<[Pubkey; MAX_RECIPIENTS]> {
    let recipients = vault.recipients();
    require!(accounts.len() == recipients.len(), EmissionsError::RecipientMismatch);
    let mut owners = [Pubkey::default(); MAX_RECIPIENTS];
    // Bounded: a vault holds at most MAX_RECIPIENTS (8).
    for ((r, info), owner) in recipients.iter().zip(accounts).zip(owners.iter_mut()) {
        require_keys_eq!(info.key(), r.token_account, EmissionsError::RecipientMismatch);
        require!(info.is_writable, EmissionsError::RecipientMismatch);
        *owner = payable(info, &vault.mint, &vault.token_program).map_err(EmissionsError::from)?;
    }
    Ok(owners)
}

/// The accounts a payment out of the token vault needs.
pub struct VaultTokens<'a, 'info> {
    pub vault: &'a mut Account<'info, EmissionVault>,
    pub token_vault: &'a InterfaceAccount<'info, TokenAccount>,
    pub mint: &'a InterfaceAccount<'info, Mint>,
    pub token_program: &'a Interface<'info, TokenInterface>,
}

/// What a call to [`VaultTokens::pay_due`] did.
pub struct Paid {
    /// Tokens transferred to the recipients.
    pub paid: u64,
    /// Whether every due hour is paid (see `math::Advance::caught_up`).
    pub caught_up: bool,
}

impl<'a, 'info> VaultTokens<'a, 'info> {
    pub fn new(
        vault: &'a mut Account<'info, EmissionVault>,
        token_vault: &'a InterfaceAccount<'info, TokenAccount>,
        mint: &'a InterfaceAccount<'info, Mint>,
        token_program: &'a Interface<'info, TokenInterface>,
    ) -> Self {
        VaultTokens { vault, token_vault, mint, token_program }
    }

    /// Runs `f` with the token vault as a token account the vault PDA signs for.
    fn signed<R>(&self, f: impl FnOnce(&TokenAccountRef<'_, 'info>) -> R) -> R {
        let id = self.vault.vault_id.to_le_bytes();
        let seeds = self.vault.signer_seeds(&id);
        f(&TokenAccountRef {
            token_program: &self.token_program.to_account_info(),
            mint: &self.mint.to_account_info(),
            decimals: self.mint.decimals,
            account: &self.token_vault.to_account_info(),
            authority: &self.vault.to_account_info(),
            signer_seeds: &[&seeds],
        })
    }

    /// Moves `amount` from the token vault to `to` (`transfer_checked`, signed by the vault;
    /// nothing for zero).
    pub fn transfer(&self, to: AccountInfo<'info>, amount: u64) -> Result<()> {
        self.signed(|tokens| tokens.transfer(&to, amount))
    }

    /// Closes the (empty) token vault, its rent to `rent_to`.
    pub fn close(&self, rent_to: AccountInfo<'info>) -> Result<()> {
        self.signed(|tokens| tokens.close(&rent_to))
    }

    /// Pays the current recipients every hour due now and settles their rounding dust, paused
    /// or not (a pause delays payment, never reassigns it): what the recipients change,
    /// `revoke` and `execute_recipients_proposal` call first. Fails with `CatchUpFirst` when
    /// more is due than one call pays (`emit` until caught up). Returns what was paid.
    pub fn settle_due(&mut self, payees: &[AccountInfo<'info>]) -> Result<u64> {
        let now = Clock::get()?.unix_timestamp;
        let to_hour = math::hours_due(self.vault.start_ts, now);
        let paid = self.pay_due(payees, to_hour, true)?;
        require!(paid.caught_up, EmissionsError::CatchUpFirst);
        Ok(paid.paid)
    }

    /// Pays the hours due up to `to_hour` (at most `MAX_PERIODS_PER_CALL` decay periods) to
    /// the current recipients, `payees` being their token accounts in order.
    ///
    /// Each recipient receives `owed(after) − owed(before)` (see `math::split`). The rounding
    /// dust goes to the last recipient when the set is settled: when `settle` is set (the
    /// recipients are about to change, the vault is about to be revoked) or when this call
    /// ends the schedule; the base then moves to `total_emitted`. Logs `Emitted` when anything
    /// moved, `EmissionCapReached` / `EmissionEnded` when the call ends the schedule.
    pub fn pay_due(
        &mut self,
        payees: &[AccountInfo<'info>],
        to_hour: u64,
        settle: bool,
    ) -> Result<Paid> {
        // The owners as of this payment: a token account's owner can hand it to another key,
        // and `replace_recipient_account` follows whoever owned it when it was last paid.
        self.vault.recipient_owners = check_payees(self.vault, payees)?;
        let schedule = self.vault.schedule();
        let before = self.vault.progress();
        let advance =
            math::advance(&schedule, before, to_hour, math::MAX_PERIODS_PER_CALL).or_overflow()?;
        let after = advance.progress;

        let (shares, n) = self.vault.shares();
        let shares = &shares[..n];
        let base = self.vault.recipients_base_emitted;
        let distributed_before = before.total.safe_sub(base)?;
        let distributed_after = after.total.safe_sub(base)?;
        let mut amounts = [0u64; MAX_RECIPIENTS];
        math::split(shares, distributed_before, distributed_after, &mut amounts).or_overflow()?;
        let dust = math::dust(shares, distributed_after).or_overflow()?;
        let ends_now = !math::ended(&schedule, &before) && math::ended(&schedule, &after);
        let settled_dust = if settle || ends_now { dust } else { 0 };
        let last = n.checked_sub(1).ok_or(EmissionsError::InvariantViolated)?;
        amounts[last] = amounts[last].safe_add(settled_dust)?;

        self.vault.set_progress(after);
        if settle || ends_now {
            self.vault.recipients_base_emitted = after.total;
        }

        let mut paid = 0u64;
        let mut payments = Vec::with_capacity(n);
        // Bounded: at most MAX_RECIPIENTS (8) recipients, one transfer CPI each below.
        for (recipient, amount) in self.vault.recipients().iter().zip(amounts) {
            payments.push(Payment { token_account: recipient.token_account, amount });
            paid = paid.safe_add(amount)?;
        }
        for (info, amount) in payees.iter().zip(amounts) {
            self.transfer(info.clone(), amount)?; // nothing for zero
        }

        let vault = self.vault.key();
        if after.hours != before.hours || paid > 0 {
            emit!(Emitted {
                vault,
                from_hour: before.hours,
                to_hour: after.hours,
                amount: advance.amount,
                payments,
                settled_dust,
                undistributed: dust.saturating_sub(settled_dust),
                total_emitted: after.total,
                emitted_hours: after.hours,
                period: after.period,
                rate: after.rate,
                periods_crossed: advance.periods_crossed,
                caught_up: advance.caught_up,
            });
        }
        if ends_now {
            if after.total >= schedule.cap {
                emit!(EmissionCapReached { vault, cap: schedule.cap, emitted_hours: after.hours });
            } else {
                emit!(EmissionEnded {
                    vault,
                    reason: EndReason::RateDecayedToZero,
                    total_emitted: after.total,
                    emitted_hours: after.hours,
                });
            }
        }
        Ok(Paid { paid, caught_up: advance.caught_up })
    }
}

/// Why an ended vault emits nothing more.
pub fn end_reason(vault: &EmissionVault) -> EndReason {
    if vault.revoked {
        EndReason::Revoked
    } else if vault.total_emitted >= vault.cap {
        EndReason::CapReached
    } else {
        EndReason::RateDecayedToZero
    }
}
