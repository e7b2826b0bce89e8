//! Which mints Crucible accepts.
//!
//! Classic SPL Token mints are accepted as they are. A Token-2022 mint is rejected when it
//! has an extension that would break the accounting or the exits: a transfer fee (vaults
//! would receive less than booked), a transfer hook (arbitrary code on every transfer), a
//! permanent delegate (anyone's escrow could be moved), non-transferability, accounts frozen
//! by default, confidential transfers or mint-burn (balances not visible to the program), or
//! pausability (exits could be stopped). Any mint, classic or Token-2022, is rejected when it
//! has a freeze authority (whoever holds it could freeze every vault and escrow and stop every
//! exit) or a close authority (Token-2022 `MintCloseAuthority`: closing the mint once its
//! supply is zero and re-creating it at the same address would strand every account).

use anchor_lang::prelude::*;
use anchor_spl::token_2022::spl_token_2022::{
    extension::{
        default_account_state::DefaultAccountState, mint_close_authority::MintCloseAuthority,
        BaseStateWithExtensions, ExtensionType, StateWithExtensions,
    },
    state::{AccountState, Mint},
};

/// Why a mint is refused.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum MintRejection {
    /// Not owned by SPL Token or Token-2022, or not a mint.
    NotAMint,
    /// A Token-2022 extension Crucible does not accept.
    Extension(ExtensionType),
    /// The mint has a freeze authority.
    FreezeAuthority,
    /// The mint has a close authority (Token-2022 `MintCloseAuthority`).
    CloseAuthority,
}

/// Checks that `mint` is an SPL Token or Token-2022 mint without a refused extension.
pub fn check_mint(mint: &AccountInfo) -> core::result::Result<(), MintRejection> {
    if *mint.owner != anchor_spl::token::ID && *mint.owner != anchor_spl::token_2022::ID {
        return Err(MintRejection::NotAMint);
    }
    let data = mint.try_borrow_data().map_err(|_| MintRejection::NotAMint)?;
    // A classic mint is the 82-byte base state, which the Token-2022 parser also reads.
    let state = StateWithExtensions::<Mint>::unpack(&data).map_err(|_| MintRejection::NotAMint)?;
    if *mint.owner == anchor_spl::token::ID {
        return freeze_authority(&state.base);
    }
    let extensions = state.get_extension_types().map_err(|_| MintRejection::NotAMint)?;
    for extension in extensions {
        let refused = match extension {
            ExtensionType::TransferFeeConfig
            | ExtensionType::TransferHook
            | ExtensionType::PermanentDelegate
            | ExtensionType::NonTransferable
            | ExtensionType::ConfidentialTransferMint
            | ExtensionType::ConfidentialTransferFeeConfig
            | ExtensionType::ConfidentialMintBurn
            | ExtensionType::Pausable => true,
            ExtensionType::MintCloseAuthority => {
                let close = state
                    .get_extension::<MintCloseAuthority>()
                    .map(|c| Option::<Pubkey>::from(c.close_authority).is_some())
                    .unwrap_or(true);
                if close {
                    return Err(MintRejection::CloseAuthority);
                }
                false
            }
            ExtensionType::DefaultAccountState => state
                .get_extension::<DefaultAccountState>()
                .map(|d| d.state == AccountState::Frozen as u8)
                .unwrap_or(true),
            _ => false,
        };
        if refused {
            return Err(MintRejection::Extension(extension));
        }
    }
    freeze_authority(&state.base)
}

fn freeze_authority(mint: &Mint) -> core::result::Result<(), MintRejection> {
    if mint.freeze_authority.is_some() {
        return Err(MintRejection::FreezeAuthority);
    }
    Ok(())
}
