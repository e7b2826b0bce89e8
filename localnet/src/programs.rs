//! The programs this validator runs: the Crucible programs as native builtins, the SPL programs
//! (loaded by LiteSVM from their SBF binaries) by address.

use litesvm::LiteSVM;
use solana_account::{AccountSharedData, WritableAccount};
use solana_program_runtime::invoke_context::BuiltinFunctionWithContext;
use solana_pubkey::Pubkey;

crate::native_program!(StakingProgram, crucible_staking::entry);
crate::native_program!(MarketProgram, crucible_market::entry);
crate::native_program!(EmissionsProgram, crucible_emissions::entry);

/// The programs this validator runs, by name, with where they run.
pub fn programs() -> Vec<(&'static str, Pubkey)> {
    vec![
        ("crucible_staking", crucible_staking::ID),
        ("crucible_market", crucible_market::ID),
        ("crucible_emissions", crucible_emissions::ID),
        ("spl_token", spl::TOKEN),
        ("spl_token_2022", spl::TOKEN_2022),
        ("spl_associated_token_account", spl::ASSOCIATED_TOKEN),
        ("spl_memo", spl::MEMO),
    ]
}

/// Addresses of the SPL programs that LiteSVM loads from their SBF binaries.
pub mod spl {
    use solana_pubkey::{pubkey, Pubkey};
    pub const TOKEN: Pubkey = pubkey!("TokenkegQfeZyiNwAJbNbGKPFXCWuBvf9Ss623VQ5DA");
    pub const TOKEN_2022: Pubkey = pubkey!("TokenzQdBNbLqP5VEhdkAS6EPFLC1PHnBqCXEpPxuEb");
    pub const ASSOCIATED_TOKEN: Pubkey = pubkey!("ATokenGPvbdGVxr1b2hvZbsiqW5xWH25efTNsLJA8knL");
    pub const MEMO: Pubkey = pubkey!("MemoSq4gqABAXKb96qnH8TysNcWxMyWCqXgDLGmfcHr");
    /// Wrapped SOL of SPL Token.
    pub const NATIVE_MINT: Pubkey = pubkey!("So11111111111111111111111111111111111111112");
    /// Wrapped SOL of Token-2022.
    pub const NATIVE_MINT_2022: Pubkey = pubkey!("9pan9bMn5HatX4EJdBwg9VgCa7Uz5HL8N1m5D3NdXejP");

    /// The associated token account of `owner` for `mint` under `token_program`.
    pub fn associated_token_address(
        owner: &Pubkey,
        mint: &Pubkey,
        token_program: &Pubkey,
    ) -> Pubkey {
        Pubkey::find_program_address(
            &[owner.as_ref(), token_program.as_ref(), mint.as_ref()],
            &ASSOCIATED_TOKEN,
        )
        .0
    }
}

/// Installs the Crucible programs as builtins at their `declare_id!` addresses.
pub(crate) fn add_crucible_programs(svm: &mut LiteSVM) {
    add_builtin(svm, crucible_staking::ID, StakingProgram::vm);
    add_builtin(svm, crucible_market::ID, MarketProgram::vm);
    add_builtin(svm, crucible_emissions::ID, EmissionsProgram::vm);
}

/// Installs a natively compiled program (see [`crate::native_program!`]) at `program_id`.
pub(crate) fn add_builtin(
    svm: &mut LiteSVM,
    program_id: Pubkey,
    entry: BuiltinFunctionWithContext,
) {
    svm.add_builtin(program_id, entry);
    // LiteSVM 0.7 stamps builtins with the BPF loader as owner, which the runtime then
    // refuses (`UnsupportedProgramId`): a builtin belongs to the native loader.
    let mut account = AccountSharedData::new(1, 0, &solana_sdk_ids::native_loader::id());
    account.set_executable(true);
    svm.set_account(program_id, account.into()).expect("program account");
}
