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
    #[msg("The unbonding delay must be at least one emission hour (3 600 seconds).")]
    UnbondingTooShort,
    #[msg("The mint has a freeze authority, which could freeze every vault and stop every exit.")]
    MintHasFreezeAuthority,
    #[msg("The mint has a close authority (Token-2022 MintCloseAuthority).")]
    MintHasCloseAuthority,
    #[msg("This stake account has no stake warming up.")]
    NothingWarming,
    #[msg("The stake is still warming up: it can be activated one hour after it arrived.")]
    StillWarming,
    #[msg("A reward source has hours due that it has not paid: emit it first.")]
    RewardSourceBehind,
    #[msg("The accounts passed are not the pool's reward sources, in order.")]
    RewardSourceMismatch,
    #[msg("The account is not an emission vault of this pool's mint that pays its reward vault.")]
    NotARewardSource,
    #[msg("The emission vault is already one of the pool's reward sources.")]
    RewardSourceAlreadyAdded,
    #[msg("The pool already tracks the most reward sources it can.")]
    TooManyRewardSources,
    #[msg("The emission vault is not one of the pool's reward sources.")]
    UnknownRewardSource,
    #[msg("The emission vault still owes or will pay the pool: it can be removed once it has ended or stopped paying the pool, with every hour due paid.")]
    RewardSourceStillPaying,
}
