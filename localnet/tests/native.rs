//! The native glue, end to end in the in-process chain: Anchor programs as builtins, CPI into
//! the SPL Token SBF binary with PDA signers, logs and events as on-chain, errors by code.

use anchor_lang::{AccountDeserialize, InstructionData, Space, ToAccountMetas};
use anchor_spl::token::spl_token;
use crucible_localnet::{
    testing::{create_mint, send, token_balance, SOL},
    Localnet,
};
use crucible_staking::state::{ProviderStake, StakePool};
use solana_instruction::{error::InstructionError, Instruction};
use solana_keypair::Keypair;
use solana_message::{Message, VersionedMessage};
use solana_pubkey::Pubkey;
use solana_signer::Signer;
use solana_transaction::versioned::VersionedTransaction;
use solana_transaction_error::TransactionError;

struct World {
    chain: Localnet,
    admin: Keypair,
    mint: Pubkey,
    pool: Pubkey,
}

fn create_token_account(w: &mut World, owner: &Pubkey, amount: u64) -> Pubkey {
    let account = Keypair::new();
    let rent = w.chain.minimum_balance_for_rent_exemption(165);
    let ixs = [
        solana_system_interface::instruction::create_account(
            &w.admin.pubkey(),
            &account.pubkey(),
            rent,
            165,
            &spl_token::ID,
        ),
        spl_token::instruction::initialize_account3(
            &spl_token::ID,
            &account.pubkey(),
            &w.mint,
            owner,
        )
        .unwrap(),
        spl_token::instruction::mint_to(
            &spl_token::ID,
            &w.mint,
            &account.pubkey(),
            &w.admin.pubkey(),
            &[],
            amount,
        )
        .unwrap(),
    ];
    let admin = w.admin.insecure_clone();
    send(&mut w.chain, &admin, &ixs, &[&account]).unwrap();
    account.pubkey()
}

fn world(unbonding_secs: u64) -> World {
    let mut chain = Localnet::new();
    let admin = Keypair::new();
    chain.airdrop(&admin.pubkey(), 100 * SOL).unwrap();
    let mint = Keypair::new();
    create_mint(&mut chain, &admin, &mint, &admin.pubkey(), 6).unwrap();
    let (pool, _) = Pubkey::find_program_address(
        &[StakePool::SEED, mint.pubkey().as_ref()],
        &crucible_staking::ID,
    );
    let (stake_vault, _) = Pubkey::find_program_address(
        &[StakePool::STAKE_VAULT_SEED, pool.as_ref()],
        &crucible_staking::ID,
    );
    let (reward_vault, _) = Pubkey::find_program_address(
        &[StakePool::REWARD_VAULT_SEED, pool.as_ref()],
        &crucible_staking::ID,
    );
    let ix = Instruction {
        program_id: crucible_staking::ID,
        accounts: crucible_staking::accounts::InitPool {
            admin: admin.pubkey(),
            mint: mint.pubkey(),
            pool,
            stake_vault,
            reward_vault,
            token_program: spl_token::ID,
            system_program: solana_sdk_ids::system_program::ID,
        }
        .to_account_metas(None),
        data: crucible_staking::instruction::InitPool {
            args: crucible_staking::InitPoolArgs {
                min_stake: 100,
                unbonding_secs,
                locker: Pubkey::new_unique(),
            },
        }
        .data(),
    };
    let logs = send(&mut chain, &admin, &[ix], &[]).unwrap();
    assert!(logs.iter().any(|l| l == "Program log: Instruction: InitPool"), "{logs:#?}");
    World { chain, admin, mint: mint.pubkey(), pool }
}

fn pool_state(w: &World) -> StakePool {
    StakePool::try_deserialize(&mut &w.chain.get_account(&w.pool).unwrap().data[..]).unwrap()
}

fn stake_ix(w: &World, owner: &Pubkey, source: &Pubkey, amount: u64) -> Instruction {
    let pool = pool_state(w);
    let (provider_stake, _) = Pubkey::find_program_address(
        &[ProviderStake::SEED, w.pool.as_ref(), owner.as_ref()],
        &crucible_staking::ID,
    );
    Instruction {
        program_id: crucible_staking::ID,
        accounts: crucible_staking::accounts::Stake {
            owner: *owner,
            pool: w.pool,
            provider_stake,
            mint: w.mint,
            source: *source,
            stake_vault: pool.stake_vault,
            reward_vault: pool.reward_vault,
            token_program: spl_token::ID,
            system_program: solana_sdk_ids::system_program::ID,
        }
        .to_account_metas(None),
        data: crucible_staking::instruction::Stake { amount }.data(),
    }
}

#[test]
fn stake_unstake_withdraw_through_the_runtime() {
    let mut w = world(3600);
    let provider = Keypair::new();
    w.chain.airdrop(&provider.pubkey(), 10 * SOL).unwrap();
    let source = create_token_account(&mut w, &provider.pubkey(), 1_000);
    let pool = pool_state(&w);

    let ix = stake_ix(&w, &provider.pubkey(), &source, 400);
    let logs = send(&mut w.chain, &provider, &[ix], &[]).unwrap();
    // The runtime logs invoke/success once per program, CPIs nested at depth 2.
    let staking = crucible_staking::ID.to_string();
    assert_eq!(
        logs.iter().filter(|l| **l == format!("Program {staking} invoke [1]")).count(),
        1,
        "{logs:#?}"
    );
    assert_eq!(
        logs.iter().filter(|l| **l == format!("Program {staking} success")).count(),
        1,
        "{logs:#?}"
    );
    assert!(
        logs.iter().any(|l| l == "Program 11111111111111111111111111111111 invoke [2]"),
        "{logs:#?}"
    );
    assert!(
        logs.iter().any(|l| l == &format!("Program {} invoke [2]", spl_token::ID)),
        "{logs:#?}"
    );
    assert!(logs.iter().any(|l| l.starts_with("Program data: ")), "{logs:#?}");
    assert_eq!(token_balance(&w.chain, &source), 600);
    assert_eq!(token_balance(&w.chain, &pool.stake_vault), 400);

    // Unstake 150 and try to withdraw early: UnbondingNotElapsed (6005), nothing moves.
    let (provider_stake, _) = Pubkey::find_program_address(
        &[ProviderStake::SEED, w.pool.as_ref(), provider.pubkey().as_ref()],
        &crucible_staking::ID,
    );
    let unstake = Instruction {
        program_id: crucible_staking::ID,
        accounts: crucible_staking::accounts::RequestUnstake {
            stake: crucible_staking::accounts::OwnerStake {
                owner: provider.pubkey(),
                pool: w.pool,
                provider_stake,
            },
            reward_vault: pool.reward_vault,
        }
        .to_account_metas(None),
        data: crucible_staking::instruction::RequestUnstake { amount: 150 }.data(),
    };
    send(&mut w.chain, &provider, &[unstake], &[]).unwrap();
    let withdraw = Instruction {
        program_id: crucible_staking::ID,
        accounts: crucible_staking::accounts::Withdraw {
            stake: crucible_staking::accounts::OwnerStake {
                owner: provider.pubkey(),
                pool: w.pool,
                provider_stake,
            },
            mint: w.mint,
            stake_vault: pool.stake_vault,
            destination: source,
            token_program: spl_token::ID,
        }
        .to_account_metas(None),
        data: crucible_staking::instruction::Withdraw {}.data(),
    };
    let early = send(&mut w.chain, &provider, std::slice::from_ref(&withdraw), &[]).unwrap_err();
    assert_eq!(early.err, TransactionError::InstructionError(0, InstructionError::Custom(6005)));
    assert!(
        early.logs.iter().any(|l| l.contains("Error Code: UnbondingNotElapsed")),
        "{:#?}",
        early.logs
    );
    assert_eq!(token_balance(&w.chain, &source), 600);

    // The PDA-signed transfer out of the vault after the delay.
    w.chain.warp(3600);
    send(&mut w.chain, &provider, &[withdraw], &[]).unwrap();
    assert_eq!(token_balance(&w.chain, &source), 750);
    assert_eq!(token_balance(&w.chain, &pool.stake_vault), 250);
    let stake = ProviderStake::try_deserialize(
        &mut &w.chain.get_account(&provider_stake).unwrap().data[..],
    )
    .unwrap();
    assert_eq!((stake.active, stake.unbonding), (250, 0));
}

#[test]
fn a_signer_the_runtime_did_not_see_is_refused() {
    let mut w = world(3600);
    let provider = Keypair::new();
    let thief = Keypair::new();
    w.chain.airdrop(&thief.pubkey(), 10 * SOL).unwrap();
    let source = create_token_account(&mut w, &provider.pubkey(), 1_000);
    // The thief names the provider as owner without its signature: the message marks the
    // owner as a signer, so the transaction cannot even be signed without the provider key.
    let mut ix = stake_ix(&w, &provider.pubkey(), &source, 400);
    ix.accounts[0].is_signer = false;
    ix.accounts[0].is_writable = true;
    let err = send(&mut w.chain, &thief, &[ix], &[]).unwrap_err();
    // Anchor's `Signer` check: AccountNotSigner (3010).
    assert_eq!(err.err, TransactionError::InstructionError(0, InstructionError::Custom(3010)));
    assert_eq!(token_balance(&w.chain, &source), 1_000);
}

#[test]
fn a_panicking_or_failing_program_changes_nothing() {
    let mut w = world(3600);
    let provider = Keypair::new();
    w.chain.airdrop(&provider.pubkey(), 10 * SOL).unwrap();
    let source = create_token_account(&mut w, &provider.pubkey(), 50);
    // More than the source holds: the token program fails inside the CPI, so the whole
    // transaction fails with its error, and the stake account created earlier in the same
    // instruction is rolled back.
    let ix = stake_ix(&w, &provider.pubkey(), &source, 500);
    let before = w.chain.get_balance(&provider.pubkey());
    let err = send(&mut w.chain, &provider, &[ix], &[]).unwrap_err();
    assert_eq!(
        err.err,
        TransactionError::InstructionError(0, InstructionError::Custom(1)),
        "{:#?}",
        err.logs
    );
    assert_eq!(token_balance(&w.chain, &source), 50);
    assert_eq!(w.chain.get_balance(&provider.pubkey()), before - 5_000, "only the fee is charged");
    let (provider_stake, _) = Pubkey::find_program_address(
        &[ProviderStake::SEED, w.pool.as_ref(), provider.pubkey().as_ref()],
        &crucible_staking::ID,
    );
    assert!(w.chain.get_account(&provider_stake).is_none());
}

crucible_localnet::native_program!(ProbeProgram, crucible_probe::entry);

#[test]
fn a_program_stakes_through_cpi_signing_as_its_pda() {
    let mut w = world(3600);
    w.chain.add_native_program(crucible_probe::ID, ProbeProgram::vm);
    let (authority, _) = Pubkey::find_program_address(&[b"authority"], &crucible_probe::ID);
    w.chain.airdrop(&authority, SOL).unwrap();
    let source = create_token_account(&mut w, &authority, 1_000);
    let pool = pool_state(&w);
    let (provider_stake, _) = Pubkey::find_program_address(
        &[ProviderStake::SEED, w.pool.as_ref(), authority.as_ref()],
        &crucible_staking::ID,
    );
    let ix = Instruction {
        program_id: crucible_probe::ID,
        accounts: crucible_probe::accounts::StakeAsPda {
            authority,
            pool: w.pool,
            provider_stake,
            mint: w.mint,
            source,
            stake_vault: pool.stake_vault,
            reward_vault: pool.reward_vault,
            token_program: spl_token::ID,
            system_program: solana_sdk_ids::system_program::ID,
            staking_program: crucible_staking::ID,
        }
        .to_account_metas(None),
        data: crucible_probe::instruction::StakeAsPda { amount: 300 }.data(),
    };
    let payer = Keypair::new();
    w.chain.airdrop(&payer.pubkey(), SOL).unwrap();
    crucible_localnet::native::take_tally();
    let logs = send(&mut w.chain, &payer, &[ix], &[]).unwrap();
    // What the syscalls would cost on chain: three CPIs (probe -> staking -> System, Token),
    // each at least the 1 000-unit base; the callees' units as the runtime metered them (the
    // probe's CPI holds staking's, System's 150 and Token's).
    let tally = crucible_localnet::native::take_tally();
    assert_eq!(tally.invoke.calls, 3, "{tally:?}");
    assert!(tally.invoke.units >= 3_000, "{tally:?}");
    let token_units: u64 = logs
        .iter()
        .filter_map(|l| l.strip_prefix(&format!("Program {} consumed ", spl_token::ID)))
        .map(|rest| rest.split(' ').next().unwrap().parse::<u64>().unwrap())
        .sum();
    assert!(token_units > 0, "{logs:#?}");
    // Token's units, System's 150, and the 1 unit each native call consumes (staking's).
    assert_eq!(tally.callee_units, token_units + 150 + 1, "{tally:?}");
    // Anchor logs each instruction's name; the probe logs its line; staking emits one event.
    assert!(tally.log.calls >= 3 && tally.log.units >= 300, "{tally:?}");
    assert!(tally.log_data.calls >= 1, "{tally:?}");
    let depth = |program: &Pubkey, n: u8| format!("Program {program} invoke [{n}]");
    for line in [
        depth(&crucible_probe::ID, 1),
        depth(&crucible_staking::ID, 2),
        depth(&solana_sdk_ids::system_program::ID, 3),
        depth(&spl_token::ID, 3),
    ] {
        assert_eq!(logs.iter().filter(|l| **l == line).count(), 1, "{line} in {logs:#?}");
    }
    assert!(logs.iter().any(|l| l.starts_with("Program log: probe: staked 300")), "{logs:#?}");
    assert_eq!(token_balance(&w.chain, &source), 700);
    assert_eq!(token_balance(&w.chain, &pool.stake_vault), 300);
    let stake = ProviderStake::try_deserialize(
        &mut &w.chain.get_account(&provider_stake).unwrap().data[..],
    )
    .unwrap();
    assert_eq!((stake.owner, stake.active), (authority, 300));
    // The PDA paid the stake account's rent.
    let rent = w.chain.minimum_balance_for_rent_exemption(8 + ProviderStake::INIT_SPACE);
    assert_eq!(w.chain.get_balance(&authority), SOL - rent);
}

#[test]
fn a_transaction_evicted_from_the_history_cannot_run_again() {
    // The history keeps 5 records; the status cache keeps every signature while its blockhash
    // is valid, so a resend of an evicted transaction is still AlreadyProcessed.
    let mut chain = Localnet::with_options(crucible_localnet::Options {
        history_capacity: 5,
        ..Default::default()
    });
    let payer = Keypair::new();
    chain.airdrop(&payer.pubkey(), 10 * SOL).unwrap();
    let to = Pubkey::new_unique();
    let ix = solana_system_interface::instruction::transfer(&payer.pubkey(), &to, SOL);
    let message =
        Message::new_with_blockhash(&[ix], Some(&payer.pubkey()), &chain.latest_blockhash());
    let tx = VersionedTransaction::try_new(VersionedMessage::Legacy(message), &[&payer]).unwrap();
    let signature = chain.send_transaction(tx.clone()).unwrap();
    for _ in 0..10 {
        chain.airdrop(&Pubkey::new_unique(), SOL).unwrap();
    }
    assert!(chain.transaction(&signature).is_none(), "evicted from the history");
    assert!(chain.is_processed(&signature));
    let again = chain.send_transaction(tx).unwrap_err();
    assert_eq!(again.err, TransactionError::AlreadyProcessed);
    assert_eq!(chain.get_balance(&to), SOL, "the transfer ran once");
}
