use anchor_lang::prelude::*;

/// Emissions errors. Codes are part of the interface: new variants go at the end.
#[error_code]
pub enum EmissionsError {
    #[msg("The initial hourly rate must be greater than zero.")]
    ZeroRate,
    #[msg("The decay must not exceed 10 000 basis points.")]
    DecayTooHigh,
    #[msg("The decay period must be at least one hour.")]
    ZeroPeriod,
    #[msg("The cap must be greater than zero.")]
    ZeroCap,
    #[msg("The start is more than one day in the past.")]
    StartTooFarInPast,
    #[msg("The start is more than ten years in the future.")]
    StartTooFarInFuture,
    #[msg("A vault needs at least one recipient.")]
    NoRecipients,
    #[msg("A vault has at most eight recipients.")]
    TooManyRecipients,
    #[msg("Every recipient's share must be greater than zero.")]
    ZeroShare,
    #[msg("The recipients' shares must sum to exactly 10 000 basis points.")]
    SharesMustSum10000,
    #[msg("A token account appears twice among the recipients.")]
    DuplicateRecipient,
    #[msg("A recipient token account does not hold the vault's mint.")]
    WrongRecipientMint,
    #[msg("The recipient accounts passed do not match the recipients, in order and writable.")]
    RecipientMismatch,
    #[msg("A recipient is not a token account of the vault's token program.")]
    InvalidRecipientAccount,
    #[msg("The vault's own token account cannot be a recipient or a destination.")]
    RecipientIsVault,
    #[msg("The signer is not the vault authority.")]
    NotAuthority,
    #[msg("The signer is not the proposed authority.")]
    NotPendingAuthority,
    #[msg("The proposed authority must not be the default public key.")]
    InvalidAuthority,
    #[msg("The vault was created non-revocable.")]
    NotRevocable,
    #[msg("The vault has been revoked.")]
    AlreadyRevoked,
    #[msg("The vault is paused: it pays nothing until it is resumed.")]
    VaultPaused,
    #[msg("The vault still has tokens to emit: close it once the schedule has ended or after a revoke.")]
    VaultNotEmpty,
    #[msg(
        "Funding may only restore the vault's balance up to what its schedule still has to pay."
    )]
    FundExceedsCap,
    #[msg("The amount must be greater than zero.")]
    ZeroAmount,
    #[msg("The mint has a Token-2022 extension that Crucible does not accept.")]
    UnsupportedMintExtension,
    #[msg("The account is not a mint of SPL Token or Token-2022.")]
    InvalidMint,
    #[msg("The token account does not hold the vault's mint.")]
    WrongMint,
    #[msg("The token program does not match the vault's.")]
    WrongTokenProgram,
    #[msg("The schedule has not started yet.")]
    NotStarted,
    #[msg("No whole hour is due since the last emission.")]
    NothingDue,
    #[msg("The schedule has ended: nothing is left to emit.")]
    ScheduleEnded,
    #[msg("An arithmetic operation overflowed.")]
    MathOverflow,
    #[msg("An account invariant does not hold.")]
    InvariantViolated,
    #[msg("More hours are due than one call can pay: call emit until it is caught up first.")]
    CatchUpFirst,
    #[msg("The mint has a freeze authority: whoever holds it could freeze the vault and stop every payment.")]
    MintHasFreezeAuthority,
    #[msg("The mint has a close authority (Token-2022 MintCloseAuthority): closing and re-creating it would strand the vault.")]
    MintHasCloseAuthority,
    #[msg("A non-revocable vault's recipients delay must be at least 48 hours.")]
    RecipientsDelayTooShort,
    #[msg("The recipients delay must be at most 30 days.")]
    RecipientsDelayTooLong,
    #[msg("A non-revocable vault changes its recipients only through propose_recipients and, after its delay, execute_recipients_proposal.")]
    RecipientsChangeNeedsProposal,
    #[msg("The vault has no pending recipients proposal.")]
    NoRecipientsProposal,
    #[msg("The recipients proposal cannot be executed before its executable_at time.")]
    RecipientsProposalNotReady,
    #[msg("The owner of a proposed recipient's token account changed since the proposal.")]
    RecipientOwnerChanged,
    #[msg("There is no recipient at that index.")]
    RecipientIndexOutOfRange,
    #[msg("The replacement token account is not owned by the recipient's recorded owner.")]
    RecipientOwnerMismatch,
    #[msg("The recipient's token account can still receive: only its owner may replace it.")]
    RecipientCanStillReceive,
    #[msg("The token account cannot receive tokens (frozen, or Token-2022 memo-required).")]
    RecipientCannotReceive,
    // --- work-rewards pools ---
    #[msg("A work pool's cap must be from 1 to 10 000 basis points of the burn.")]
    InvalidWorkCap,
    #[msg("The emission vault is not the vault PDA of this mint and vault id, or not the pool's.")]
    WrongEmissionVault,
    #[msg("The destination is not a token account of the pool's mint, or not the pool's.")]
    WrongWorkDestination,
    #[msg("The signer is not the pool's recorder.")]
    NotTheRecorder,
    #[msg("The work-hour account is not this pool's record of the hour.")]
    WrongWorkHour,
    #[msg("The provider-work account is not this provider's record of the pool's hour.")]
    WrongProviderWork,
    #[msg("The hour is not finalized yet: crank the pool once the emission vault has paid it.")]
    WorkHourNotFinalized,
    #[msg("The hour still has burn that is not claimed.")]
    WorkHourHasClaims,
    #[msg("The rent payer is not the one recorded.")]
    WrongRentPayer,
    #[msg("The provider's token account is not owned by the provider or not of the pool's mint.")]
    WrongProviderAccount,
    #[msg("The pool is caught up: no hour can be finalized and nothing is owed that can be paid.")]
    WorkPoolCaughtUp,
    #[msg(
        "The work-hour accounts must follow the pool's next hours, in order, writable, at most 24."
    )]
    WorkHoursMismatch,
}
