use anchor_lang::prelude::*;

/// Market errors. Codes are part of the interface: new variants go at the end.
#[error_code]
pub enum MarketError {
    #[msg("The market is paused: it accepts no new jobs and no new acceptances.")]
    MarketPaused,
    #[msg("The price must be greater than zero.")]
    ZeroPrice,
    #[msg("The duration must be between one second and the market's maximum.")]
    InvalidDuration,
    #[msg("The job is not open.")]
    JobNotOpen,
    #[msg("The job is not running.")]
    JobNotRunning,
    #[msg("The job has no submitted result.")]
    JobNotSubmitted,
    #[msg("The job is not disputed.")]
    JobNotDisputed,
    #[msg("The signer is not the job's client.")]
    NotJobClient,
    #[msg("The signer is not the job's provider.")]
    NotJobProvider,
    #[msg("The job is reserved for another provider.")]
    NotTargetProvider,
    #[msg("A client cannot take its own job.")]
    ProviderIsClient,
    #[msg("The provider's active stake is below the market's minimum.")]
    StakeBelowMarketMinimum,
    #[msg("The provider's free stake does not cover the job's collateral.")]
    InsufficientFreeStake,
    #[msg("The stake account is not the provider's stake in this market's pool.")]
    ForeignStakeAccount,
    #[msg("The job's deadline has passed.")]
    DeadlinePassed,
    #[msg("The job's deadline has not passed yet.")]
    NotExpired,
    #[msg("The dispute window is still open.")]
    DisputeWindowOpen,
    #[msg("The dispute window has closed.")]
    DisputeWindowClosed,
    #[msg("The arbitration window is still open.")]
    ArbitrationWindowOpen,
    #[msg(
        "The signer is not the dispute's arbiter (the market's arbiter when the dispute opened)."
    )]
    NotArbiter,
    #[msg("A share must be at most 10 000 basis points.")]
    InvalidShare,
    #[msg("The slash exceeds the job's collateral.")]
    SlashExceedsCollateral,
    #[msg("The account does not hold the market's mint.")]
    WrongMint,
    #[msg("The token program does not match the mint's owner.")]
    WrongTokenProgram,
    #[msg("The token account does not belong to the job's provider.")]
    WrongProviderAccount,
    #[msg("The token account does not belong to the job's client.")]
    WrongClientAccount,
    #[msg("An arithmetic operation overflowed.")]
    MathOverflow,
    #[msg("The name must be 1 to 32 bytes of UTF-8 without NUL.")]
    InvalidName,
    #[msg("Burn and fee together must be at most 10 000 basis points.")]
    InvalidFeeSplit,
    #[msg("A basis-point parameter is above 10 000.")]
    InvalidBps,
    #[msg("A duration or window is outside its allowed range.")]
    InvalidWindow,
    #[msg("The market's minimum provider stake must be greater than zero.")]
    InvalidMinProviderStake,
    #[msg("The signer is not the admin.")]
    NotAdmin,
    #[msg("The signer is not the proposed admin.")]
    NotPendingAdmin,
    #[msg("The proposed admin must not be the default public key.")]
    InvalidAdmin,
    #[msg("The signer is not the mint authority of the treasury's mint.")]
    NotMintAuthority,
    #[msg("The mint has a Token-2022 extension that Crucible does not accept.")]
    UnsupportedMintExtension,
    #[msg("The account is not a mint of SPL Token or Token-2022.")]
    InvalidMint,
    #[msg("The staking pool's locker is not this program's collateral authority.")]
    PoolLockerMismatch,
    #[msg("The treasury is not the configured treasury.")]
    WrongTreasury,
    #[msg("The account is not this job's escrow.")]
    WrongEscrow,
    #[msg("The minimum collateral must be greater than zero (a job without collateral cannot be locked).")]
    InvalidMinCollateral,
    #[msg("The job lifetime must be at least the market's maximum duration and at most 120 days.")]
    InvalidJobLifetime,
    #[msg("The quit grace must be at most one day and at most the market's maximum duration.")]
    InvalidQuitGrace,
    #[msg("The job's lifetime ends before this acceptance's deadline: the client can take the payment back.")]
    LifetimeExceeded,
    #[msg("This provider quit the job and may not accept it again.")]
    AlreadyQuit,
    #[msg("The job was quit as often as it may be: submit a result or let it expire.")]
    QuitLimitReached,
    #[msg("The mint has a freeze authority: whoever holds it could freeze every vault and stop every exit.")]
    MintHasFreezeAuthority,
    #[msg("The mint has a close authority: closing and re-creating the mint would strand every account.")]
    MintHasCloseAuthority,
    #[msg("The account is not the config's fee vault.")]
    WrongFeeVault,
    #[msg("The job's fields contradict each other (a bug: no instruction may leave a job so).")]
    JobInvariantViolated,
    #[msg("USD pricing needs a feed id, a maximum age of 1 second to 1 hour and a maximum confidence of 1 to 9 999 bps.")]
    InvalidUsdPricing,
    #[msg("The market prices jobs in USD: use create_job_usd.")]
    MarketPricedInUsd,
    #[msg("The market prices jobs in tokens: use create_job.")]
    MarketPricedInTokens,
    #[msg("The price account is not owned by the Pyth receiver program.")]
    PriceAccountNotPyth,
    #[msg("The price account is not a Pyth PriceUpdateV2.")]
    NotAPriceUpdate,
    #[msg("The price update is not fully verified.")]
    PriceNotFullyVerified,
    #[msg("The price update is for another feed than the market's.")]
    WrongPriceFeed,
    #[msg("The price update is older than the market's maximum age.")]
    StalePrice,
    #[msg("The price is zero or negative.")]
    NonPositivePrice,
    #[msg("The price's exponent is outside -38..=38.")]
    PriceExponentOutOfRange,
    #[msg("The price's confidence interval is wider than the market allows.")]
    PriceConfidenceTooWide,
    #[msg("The lower end of the price's confidence interval is not positive.")]
    PriceLowerBoundNotPositive,
    #[msg("The USD price costs more tokens than the client's maximum.")]
    PriceAboveMaximum,
    #[msg("The work pool is not of the market's mint, or its recorder is not this program's work-recorder PDA.")]
    InvalidWorkPool,
    #[msg("The work pool is not the market's (or the market has none).")]
    WrongWorkPool,
    #[msg("The market records work: the settlement must name its work-pool accounts.")]
    WorkAccountsMissing,
}

impl From<crucible_common::pyth::PythError> for MarketError {
    fn from(e: crucible_common::pyth::PythError) -> Self {
        use crucible_common::pyth::PythError as P;
        match e {
            P::WrongOwner => Self::PriceAccountNotPyth,
            P::NotAPriceUpdate => Self::NotAPriceUpdate,
            P::NotFullyVerified => Self::PriceNotFullyVerified,
            P::WrongFeed => Self::WrongPriceFeed,
            P::StalePrice => Self::StalePrice,
            P::NonPositivePrice => Self::NonPositivePrice,
            P::ExponentOutOfRange => Self::PriceExponentOutOfRange,
            P::ConfidenceTooWide => Self::PriceConfidenceTooWide,
            P::LowerBoundNotPositive => Self::PriceLowerBoundNotPositive,
            // Above u64::MAX is above any maximum the client can give.
            P::Overflow | P::AboveClientMaximum => Self::PriceAboveMaximum,
        }
    }
}
