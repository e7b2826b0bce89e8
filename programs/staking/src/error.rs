use anchor_lang::prelude::*;

/// Staking errors. Codes are part of the interface: new variants go at the end.
#[error_code]
pub enum StakingError {
    #[msg("The pool is paused: it accepts no new stake.")]
    PoolPaused,
    #[msg("The amount must be greater than zero.")]
    ZeroAmount,
    #[msg("The provider's active stake would fall below the pool's minimum stake.")]
    BelowMinStake,
    #[msg("The amount exceeds the provider's free stake (active minus locked).")]
    InsufficientFreeStake,
    #[msg("There is no unbonding stake to withdraw.")]
    NothingUnbonding,
    #[msg("The unbonding delay has not passed yet.")]
    UnbondingNotElapsed,
    #[msg("An arithmetic operation overflowed.")]
    MathOverflow,
    #[msg("The minimum stake must be greater than zero.")]
    InvalidMinStake,
    #[msg("The unbonding delay is outside the allowed range.")]
    InvalidUnbondingDelay,
    #[msg("The token account does not hold the pool's mint.")]
    WrongMint,
    #[msg("The signer is not the mint authority of the pool's mint.")]
    NotMintAuthority,
    #[msg("The mint has a Token-2022 extension that Crucible does not accept.")]
    UnsupportedMintExtension,
    #[msg("The account is not a mint of SPL Token or Token-2022.")]
    InvalidMint,
    #[msg("The token program does not match the mint's owner.")]
    WrongTokenProgram,
    #[msg("The signer is not the owner of this stake account.")]
    NotStakeOwner,
    #[msg("An account invariant does not hold.")]
    InvariantViolated,
    #[msg("The signer is not the pool admin.")]
    NotAdmin,
    #[msg("The signer is not the proposed admin.")]
    NotPendingAdmin,
    #[msg("The proposed admin must not be the default public key.")]
    InvalidAdmin,
    #[msg("There are no rewards to claim.")]
    NothingToClaim,
    #[msg("There are no unallocated rewards to sweep.")]
    NothingToSweep,
    #[msg("The stake account still holds stake or unclaimed rewards.")]
    StakeNotEmpty,
    #[msg("The signer is not the pool's registered locker.")]
    NotLocker,
    #[msg("The amount exceeds the provider's locked collateral.")]
    UnlockExceedsLocked,
    #[msg("The amount exceeds the provider's slashable stake (locked plus unbonding).")]
    SlashExceedsSlashable,
    #[msg("A slash that is not burned needs a destination token account.")]
    MissingSlashDestination,
    #[msg("The update changes nothing.")]
    NothingToUpdate,
    #[msg("The destination must not be one of the pool's own vaults.")]
    DestinationIsPoolVault,
}
