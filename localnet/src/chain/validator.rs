//! The chain's one validator, as solana-test-validator's genesis creates it: a vote account whose
//! node is the identity (the faucet, which `getIdentity` names), commission 0, holding 1,000,000
//! SOL, and a stake account of 1,000,000 SOL delegated to it as bootstrap stake (active from
//! genesis, activation epoch `u64::MAX`), its own key as staker and withdrawer.
//!
//! Both are real accounts owned by the Vote and Stake programs, so `getAccountInfo`,
//! `getProgramAccounts`, `getSupply` and `getLargestAccounts` see them, and a stake account can
//! be delegated to the vote account.

use litesvm::LiteSVM;
use solana_account::{Account, ReadableAccount};
use solana_keypair::Keypair;
use solana_pubkey::Pubkey;
use solana_rent::Rent;
use solana_signer::Signer;

/// Lamports in each of the vote and the stake account (solana-test-validator's
/// `validator_stake_lamports`).
pub const VALIDATOR_STAKE_LAMPORTS: u64 = 1_000_000 * 1_000_000_000;
/// The vote account's commission (solana-test-validator's genesis: 0 %).
pub const VALIDATOR_COMMISSION: u8 = 0;

/// The validator's accounts.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Validator {
    /// The node identity: the key that leads every slot and `getIdentity` answers.
    pub identity: Pubkey,
    pub vote_account: Pubkey,
    pub stake_account: Pubkey,
    /// The stake delegated to the vote account (the stake account's lamports less its rent-exempt
    /// reserve), active in every epoch.
    pub activated_stake: u64,
}

/// Creates the vote and stake accounts of `identity` in `svm`.
pub(super) fn install(svm: &mut LiteSVM, identity: Pubkey) -> Validator {
    let vote_account = Keypair::new().pubkey();
    let stake_account = Keypair::new().pubkey();
    let vote = solana_vote_program::vote_state::create_account(
        &vote_account,
        &identity,
        VALIDATOR_COMMISSION,
        VALIDATOR_STAKE_LAMPORTS,
    );
    let rent: Rent = svm.get_sysvar();
    let stake = solana_stake_program::stake_state::create_account(
        &stake_account,
        &vote_account,
        &vote,
        &rent,
        VALIDATOR_STAKE_LAMPORTS,
    );
    let activated_stake = VALIDATOR_STAKE_LAMPORTS - rent.minimum_balance(stake.data().len());
    svm.set_account(vote_account, Account::from(vote)).expect("vote account");
    svm.set_account(stake_account, Account::from(stake)).expect("stake account");
    Validator { identity, vote_account, stake_account, activated_stake }
}
