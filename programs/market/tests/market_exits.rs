//! No third party can block a settlement or an exit, attacked in the in-process chain: the
//! treasury's owner closes the treasury account, a provider closes its own token account, the
//! admin changes the arbiter of a market with a dispute open, a network token with a freeze or
//! close authority. Every attack is performed; every rejection asserts the exact error and that
//! nothing moved (tokens, and lamports but the payer's fee).

use crucible_program_tests as support;

use anchor_lang::{InstructionData, ToAccountMetas};
use anchor_spl::{
    token::spl_token,
    token_2022::spl_token_2022::{self, extension::ExtensionType, state::Mint as Mint2022},
};
use crucible_localnet::{
    testing::{self, anchor_account, custom_error, mint_supply, send, token_balance, SOL},
    Localnet,
};
use crucible_market::{
    error::MarketError,
    state::{JobState, MarketConfig},
    ResolveDisputeArgs,
};
use solana_instruction::Instruction;
use solana_keypair::Keypair;
use solana_pubkey::Pubkey;
use solana_signer::Signer;
use support::market::{
    config_pda, default_params, escrow_pda, fee_vault_pda, job_pda, Network, Party,
};

const PRICE: u64 = 10_000;
const HOUR: u64 = 3_600;
const DAY: u64 = 86_400;
const FEE: u64 = 5_000;
/// Anchor's AccountNotInitialized: an account that does not exist (any more).
const ACCOUNT_NOT_INITIALIZED: u32 = 3012;

struct World {
    chain: Localnet,
    net: Network,
    market: Pubkey,
    client: Party,
    provider: Party,
    cranker: Keypair,
}

fn world() -> World {
    let mut chain = Localnet::new();
    let net = Network::create(&mut chain);
    let market = net.create_market(&mut chain, 1, default_params()).unwrap();
    let client = net.party(&mut chain, 100_000);
    let provider = net.provider(&mut chain, 50_000, 0);
    let cranker = Keypair::new();
    chain.airdrop(&cranker.pubkey(), SOL).unwrap();
    World { chain, net, market, client, provider, cranker }
}

impl World {
    fn post(&mut self, nonce: u64) -> Pubkey {
        let ix = self.net.create_job(
            &self.client.key.pubkey(),
            &self.client.token,
            &self.market,
            nonce,
            PRICE,
            HOUR,
            None,
        );
        send(&mut self.chain, &self.client.key, &[ix], &[]).unwrap();
        job_pda(&self.market, &self.client.key.pubkey(), nonce)
    }

    fn submitted(&mut self, nonce: u64) -> Pubkey {
        let job = self.post(nonce);
        let p = self.provider.key.insecure_clone();
        let ixs = [
            self.net.accept_job(&p.pubkey(), &job, &self.market),
            self.net.submit_result(&p.pubkey(), &job),
        ];
        send(&mut self.chain, &p, &ixs, &[]).unwrap();
        job
    }

    fn disputed(&mut self, nonce: u64) -> Pubkey {
        let job = self.submitted(nonce);
        let c = self.client.key.insecure_clone();
        let ix = self.net.dispute_job(&c.pubkey(), &job, &self.market);
        send(&mut self.chain, &c, &[ix], &[]).unwrap();
        job
    }

    fn complete(
        &self,
        job: &Pubkey,
        cranker: Option<&Pubkey>,
        provider_token: &Pubkey,
    ) -> Instruction {
        self.net.settle(
            &self.client.key.pubkey(),
            cranker,
            job,
            &self.market,
            &self.provider.key.pubkey(),
            provider_token,
        )
    }

    fn resolve(&self, arbiter: &Pubkey, job: &Pubkey, provider_token: &Pubkey) -> Instruction {
        self.net.resolve_dispute(
            arbiter,
            &self.client.key.pubkey(),
            &self.client.token,
            job,
            &self.market,
            &self.provider.key.pubkey(),
            provider_token,
            ResolveDisputeArgs {
                provider_share_bps: 3_000,
                slash_amount: 1_000,
                slash_to_client: true,
            },
        )
    }

    fn finalize_dispute(&self, job: &Pubkey, provider_token: &Pubkey) -> Instruction {
        self.net.finalize_dispute(
            &self.cranker.pubkey(),
            &self.client.key.pubkey(),
            &self.client.token,
            job,
            &self.market,
            &self.provider.key.pubkey(),
            provider_token,
        )
    }

    fn tokens(&self, extra: &[Pubkey]) -> Vec<u64> {
        let mut keys = vec![
            self.client.token,
            self.provider.token,
            self.net.fee_vault,
            self.net.treasury,
            self.net.pool.stake_vault,
        ];
        keys.extend_from_slice(extra);
        let mut v: Vec<u64> = keys.iter().map(|k| token_balance(&self.chain, k)).collect();
        v.push(mint_supply(&self.chain, &self.net.pool.mint));
        v
    }

    fn lamports(&self) -> Vec<u64> {
        [
            self.client.key.pubkey(),
            self.provider.key.pubkey(),
            self.cranker.pubkey(),
            self.net.arbiter.pubkey(),
        ]
        .iter()
        .map(|k| self.chain.get_balance(k))
        .collect()
    }

    /// `ix` sent by `payer` must fail with `code`; no token moves, no lamport but the fee.
    fn rejects_code(&mut self, payer: &Keypair, ix: Instruction, code: u32, extra: &[Pubkey]) {
        let (tokens, lamports) = (self.tokens(extra), self.lamports());
        let payer_before = self.chain.get_balance(&payer.pubkey());
        let failure = send(&mut self.chain, payer, &[ix], &[]).expect_err("must fail");
        assert_eq!(custom_error(&failure), Some(code), "{:#?}", failure.logs);
        assert_eq!(tokens, self.tokens(extra), "tokens moved on a rejected {code}");
        assert_eq!(self.chain.get_balance(&payer.pubkey()), payer_before - FEE);
        let mut expected = lamports;
        let keys = [
            self.client.key.pubkey(),
            self.provider.key.pubkey(),
            self.cranker.pubkey(),
            self.net.arbiter.pubkey(),
        ];
        if let Some(i) = keys.iter().position(|k| *k == payer.pubkey()) {
            expected[i] -= FEE;
        }
        assert_eq!(expected, self.lamports(), "lamports moved on a rejected {code}");
    }

    /// Sends `ix` signed by `payer`; it must succeed.
    fn run(&mut self, payer: &Keypair, ix: Instruction) {
        send(&mut self.chain, payer, &[ix], &[]).unwrap();
    }

    fn rejects(&mut self, payer: &Keypair, ix: Instruction, e: MarketError) {
        self.rejects_code(payer, ix, u32::from(e), &[]);
    }

    /// The owner of `account` empties it into `to` and closes it.
    fn close_token_account(&mut self, owner: &Keypair, account: &Pubkey, to: &Pubkey) {
        let amount = token_balance(&self.chain, account);
        let mut ixs = vec![];
        if amount > 0 {
            ixs.push(
                spl_token::instruction::transfer(
                    &spl_token::ID,
                    account,
                    to,
                    &owner.pubkey(),
                    &[],
                    amount,
                )
                .unwrap(),
            );
        }
        ixs.push(
            spl_token::instruction::close_account(
                &spl_token::ID,
                account,
                &owner.pubkey(),
                &owner.pubkey(),
                &[],
            )
            .unwrap(),
        );
        send(&mut self.chain, owner, &ixs, &[]).unwrap();
        assert!(self.chain.get_account(account).is_none());
    }
}

#[test]
fn init_config_creates_the_fee_vault_owned_by_the_config() {
    let w = world();
    let config: MarketConfig = anchor_account(&w.chain, &config_pda()).unwrap();
    let (vault, bump) =
        Pubkey::find_program_address(&[MarketConfig::FEE_VAULT_SEED], &crucible_market::ID);
    assert_eq!((config.fee_vault, config.fee_vault_bump), (vault, bump));
    assert_eq!(vault, fee_vault_pda());
    let account = w.chain.get_account(&vault).unwrap();
    assert_eq!(account.owner, spl_token::ID);
    let state =
        <spl_token::state::Account as anchor_lang::solana_program::program_pack::Pack>::unpack(
            &account.data,
        )
        .unwrap();
    assert_eq!((state.mint, state.owner, state.amount), (w.net.pool.mint, config_pda(), 0));
    assert!(state.close_authority.is_none() && state.delegate.is_none());
}

#[test]
fn a_closed_treasury_blocks_no_settlement_and_the_sweep_waits_for_a_new_one() {
    let mut w = world();
    let admin = w.net.admin().insecure_clone();
    let (j1, j2, j3, j4) = (w.submitted(1), w.submitted(2), w.disputed(3), w.disputed(4));
    // The treasury's owner closes the treasury account.
    let treasury = w.net.treasury;
    w.close_token_account(&admin, &treasury, &w.client.token.clone());
    let supply = mint_supply(&w.chain, &w.net.pool.mint);
    let client0 = token_balance(&w.chain, &w.client.token);

    // complete_job (client): burn 2 000, fee 500 to the fee vault, 7 500 to the provider.
    let client = w.client.key.insecure_clone();
    w.run(&client, w.complete(&j1, None, &w.provider.token));
    assert_eq!(token_balance(&w.chain, &w.net.fee_vault), 500);
    assert_eq!(token_balance(&w.chain, &w.provider.token), 7_500);
    // resolve_dispute (arbiter): provider part 3 000 → fee 150; 7 000 + 1 000 slashed back.
    let arbiter = w.net.arbiter.insecure_clone();
    w.run(&arbiter, w.resolve(&arbiter.pubkey(), &j3, &w.provider.token));
    assert_eq!(token_balance(&w.chain, &w.net.fee_vault), 650);
    // finalize_job and finalize_dispute (anyone, after the windows).
    w.chain.warp(7 * DAY + 1);
    let cranker = w.cranker.insecure_clone();
    w.run(&cranker, w.complete(&j2, Some(&cranker.pubkey()), &w.provider.token));
    w.run(&cranker, w.finalize_dispute(&j4, &w.provider.token));
    // 500 + 150 + 500 + 250 (default split 50 %: provider part 5 000).
    assert_eq!(token_balance(&w.chain, &w.net.fee_vault), 1_400);
    assert_eq!(token_balance(&w.chain, &w.provider.token), 7_500 + 2_250 + 7_500 + 3_750);
    assert_eq!(token_balance(&w.chain, &w.client.token), client0 + 8_000 + 5_000);
    assert_eq!(mint_supply(&w.chain, &w.net.pool.mint), supply - 2_000 - 600 - 2_000 - 1_000);
    for j in [j1, j2, j3, j4] {
        assert!(
            w.chain.get_account(&j).is_none() && w.chain.get_account(&escrow_pda(&j)).is_none()
        );
    }

    // The sweep cannot pay a closed treasury: it fails and the fees wait in the vault.
    let ix = w.net.sweep_fees(&cranker.pubkey(), &treasury);
    w.rejects_code(&cranker, ix, ACCOUNT_NOT_INITIALIZED, &[]);
    // The admin points the treasury at a new account; anyone sweeps everything there.
    let new_treasury =
        testing::create_token_account(&mut w.chain, &admin, &w.net.pool.mint, &admin.pubkey())
            .unwrap();
    w.run(&admin, w.net.set_treasury(&admin.pubkey(), &new_treasury));
    // Only to the configured treasury: an account of someone else is refused.
    let ix = w.net.sweep_fees(&cranker.pubkey(), &w.client.token);
    w.rejects(&cranker, ix, MarketError::WrongTreasury);
    let stranger = Keypair::new();
    w.chain.airdrop(&stranger.pubkey(), SOL).unwrap();
    let lamports = w.chain.get_balance(&stranger.pubkey());
    w.run(&stranger, w.net.sweep_fees(&stranger.pubkey(), &new_treasury));
    assert_eq!(token_balance(&w.chain, &new_treasury), 1_400);
    assert_eq!(token_balance(&w.chain, &w.net.fee_vault), 0);
    assert_eq!(w.chain.get_balance(&stranger.pubkey()), lamports - FEE);
    // An empty vault sweeps nothing, and succeeds.
    w.run(&stranger, w.net.sweep_fees(&stranger.pubkey(), &new_treasury));
    assert_eq!(token_balance(&w.chain, &new_treasury), 1_400);
}

#[test]
fn settlements_and_sweeps_take_only_the_fee_vault() {
    let mut w = world();
    let job = w.submitted(1);
    let client = w.client.key.insecure_clone();
    // The fee of a settlement cannot be sent anywhere else (here: the client's own account).
    let mut ix = w.complete(&job, None, &w.provider.token);
    for m in ix.accounts.iter_mut().filter(|m| m.pubkey == fee_vault_pda()) {
        m.pubkey = w.client.token;
    }
    w.rejects(&client, ix, MarketError::WrongFeeVault);
    w.run(&client, w.complete(&job, None, &w.provider.token));
    // Nor can a sweep be pointed at another vault: its tokens stay where they are.
    let mut ix = w.net.sweep_fees(&w.cranker.pubkey(), &w.net.treasury);
    ix.accounts[2].pubkey = w.client.token;
    let cranker = w.cranker.insecure_clone();
    w.rejects(&cranker, ix, MarketError::WrongFeeVault);
    w.run(&cranker, w.net.sweep_fees(&cranker.pubkey(), &w.net.treasury));
    assert_eq!(token_balance(&w.chain, &w.net.treasury), 500);
}

#[test]
fn a_provider_that_closes_its_token_account_cannot_block_the_clients_refund() {
    let mut w = world();
    let (j1, j2, j3, j4) = (w.disputed(1), w.disputed(2), w.submitted(3), w.submitted(4));
    // The provider (its account holds nothing: all of it is staked) closes its token account.
    let provider = w.provider.key.insecure_clone();
    let old = w.provider.token;
    w.close_token_account(&provider, &old, &old);
    let client0 = token_balance(&w.chain, &w.client.token);
    // Settlements naming the closed account fail...
    let arbiter = w.net.arbiter.insecure_clone();
    let cranker = w.cranker.insecure_clone();
    let client = w.client.key.insecure_clone();
    let ix = w.resolve(&arbiter.pubkey(), &j1, &old);
    w.rejects_code(&arbiter, ix, ACCOUNT_NOT_INITIALIZED, &[]);
    let ix = w.complete(&j3, None, &old);
    w.rejects_code(&client, ix, ACCOUNT_NOT_INITIALIZED, &[]);
    // ... and a token account of someone else is refused: only the provider's own is paid.
    let ix = w.resolve(&arbiter.pubkey(), &j1, &w.client.token);
    w.rejects(&arbiter, ix, MarketError::WrongProviderAccount);
    // The cranker creates a new token account owned by the provider: everything goes through.
    let fresh =
        testing::create_token_account(&mut w.chain, &cranker, &w.net.pool.mint, &provider.pubkey())
            .unwrap();
    w.run(&arbiter, w.resolve(&arbiter.pubkey(), &j1, &fresh));
    w.run(&client, w.complete(&j3, None, &fresh));
    w.chain.warp(7 * DAY + 1);
    w.run(&cranker, w.finalize_dispute(&j2, &fresh));
    w.run(&cranker, w.complete(&j4, Some(&cranker.pubkey()), &fresh));
    // Client: 7 000 + 1 000 slashed (resolve), 5 000 (default split). Provider: 2 250 + 7 500
    // + 3 750 + 7 500. Fee vault: 150 + 500 + 250 + 500.
    assert_eq!(token_balance(&w.chain, &w.client.token), client0 + 8_000 + 5_000);
    assert_eq!(token_balance(&w.chain, &fresh), 2_250 + 7_500 + 3_750 + 7_500);
    assert_eq!(token_balance(&w.chain, &w.net.fee_vault), 1_400);
    for j in [j1, j2, j3, j4] {
        assert!(w.chain.get_account(&j).is_none());
    }
    let s = w.net.pool.stake_of(&w.chain, &provider.pubkey()).unwrap();
    assert_eq!((s.locked, s.active), (0, 50_000 - 1_000));
}

#[test]
fn a_dispute_is_decided_by_the_arbiter_it_opened_with() {
    let mut w = world();
    let job = w.disputed(1);
    let old = w.net.arbiter.insecure_clone();
    assert_eq!(w.net.job(&w.chain, &job).unwrap().arbiter, old.pubkey());
    // The admin names a new arbiter for the market.
    let admin = w.net.admin().insecure_clone();
    let new = Keypair::new();
    w.chain.airdrop(&new.pubkey(), SOL).unwrap();
    let market = w.market;
    let ix = w.net.update_market(&admin.pubkey(), &market, default_params(), new.pubkey());
    send(&mut w.chain, &admin, &[ix], &[]).unwrap();
    // The new arbiter may not decide the dispute already open.
    let ix = w.resolve(&new.pubkey(), &job, &w.provider.token);
    w.rejects(&new, ix, MarketError::NotArbiter);
    // A dispute opened after the change is the new arbiter's, and not the old one's.
    let later = w.disputed(2);
    assert_eq!(w.net.job(&w.chain, &later).unwrap().arbiter, new.pubkey());
    let ix = w.resolve(&old.pubkey(), &later, &w.provider.token);
    w.rejects(&old, ix, MarketError::NotArbiter);
    // The old arbiter decides its dispute: 7 000 + 1 000 back to the client, 2 250 paid.
    let (client0, provider0) =
        (token_balance(&w.chain, &w.client.token), token_balance(&w.chain, &w.provider.token));
    w.run(&old, w.resolve(&old.pubkey(), &job, &w.provider.token));
    assert_eq!(token_balance(&w.chain, &w.client.token), client0 + 8_000);
    assert_eq!(token_balance(&w.chain, &w.provider.token), provider0 + 2_250);
    w.run(&new, w.resolve(&new.pubkey(), &later, &w.provider.token));
    assert_eq!(token_balance(&w.chain, &w.client.token), client0 + 16_000);
    assert!(w.net.job(&w.chain, &later).is_none());
    // Open, running and submitted jobs have no arbiter recorded yet.
    let open = w.post(3);
    assert_eq!(w.net.job(&w.chain, &open).unwrap().arbiter, Pubkey::default());
    assert_eq!(w.net.job(&w.chain, &open).unwrap().state, JobState::Open);
}

/// A fresh chain without a config: `admin` holds SOL and will try `init_config`.
fn bare_chain() -> (Localnet, Keypair) {
    let mut chain = Localnet::new();
    let admin = Keypair::new();
    chain.airdrop(&admin.pubkey(), 100 * SOL).unwrap();
    (chain, admin)
}

fn init_config_ix(
    admin: &Pubkey,
    mint: &Pubkey,
    treasury: &Pubkey,
    token_program: Pubkey,
) -> Instruction {
    Instruction {
        program_id: crucible_market::ID,
        accounts: crucible_market::accounts::InitConfig {
            admin: *admin,
            config: config_pda(),
            mint: *mint,
            treasury: *treasury,
            fee_vault: fee_vault_pda(),
            token_program,
            system_program: solana_sdk_ids::system_program::ID,
        }
        .to_account_metas(None),
        data: crucible_market::instruction::InitConfig {}.data(),
    }
}

/// Sends `init_config` for `mint`; it must fail with `e`, create nothing, take only the fee.
fn init_config_rejects(
    chain: &mut Localnet,
    admin: &Keypair,
    mint: &Pubkey,
    program: Pubkey,
    e: MarketError,
) {
    let treasury = Keypair::new();
    let rent = chain.minimum_balance_for_rent_exemption(165);
    let create = [
        solana_system_interface::instruction::create_account(
            &admin.pubkey(),
            &treasury.pubkey(),
            rent,
            165,
            &program,
        ),
        spl_token_2022::instruction::initialize_account3(
            &program,
            &treasury.pubkey(),
            mint,
            &admin.pubkey(),
        )
        .unwrap(),
    ];
    send(chain, admin, &create, &[&treasury]).unwrap();
    let before = chain.get_balance(&admin.pubkey());
    let failure = send(
        chain,
        admin,
        &[init_config_ix(&admin.pubkey(), mint, &treasury.pubkey(), program)],
        &[],
    )
    .unwrap_err();
    assert_eq!(custom_error(&failure), Some(u32::from(e)), "{e:?}: {:#?}", failure.logs);
    assert_eq!(chain.get_balance(&admin.pubkey()), before - FEE);
    assert!(
        chain.get_account(&config_pda()).is_none() && chain.get_account(&fee_vault_pda()).is_none()
    );
}

#[test]
fn init_config_refuses_a_mint_with_a_freeze_authority() {
    let (mut chain, admin) = bare_chain();
    let mint = Keypair::new();
    let rent = chain.minimum_balance_for_rent_exemption(82);
    let ixs = [
        solana_system_interface::instruction::create_account(
            &admin.pubkey(),
            &mint.pubkey(),
            rent,
            82,
            &spl_token::ID,
        ),
        spl_token::instruction::initialize_mint2(
            &spl_token::ID,
            &mint.pubkey(),
            &admin.pubkey(),
            Some(&admin.pubkey()),
            6,
        )
        .unwrap(),
    ];
    send(&mut chain, &admin, &ixs, &[&mint]).unwrap();
    init_config_rejects(
        &mut chain,
        &admin,
        &mint.pubkey(),
        spl_token::ID,
        MarketError::MintHasFreezeAuthority,
    );
    // The same network token without a freeze authority is accepted.
    let good = Keypair::new();
    testing::create_mint(&mut chain, &admin, &good, &admin.pubkey(), 6).unwrap();
    let treasury =
        testing::create_token_account(&mut chain, &admin, &good.pubkey(), &admin.pubkey()).unwrap();
    let ix = init_config_ix(&admin.pubkey(), &good.pubkey(), &treasury, spl_token::ID);
    send(&mut chain, &admin, &[ix], &[]).unwrap();
    assert!(chain.get_account(&fee_vault_pda()).is_some());
}

#[test]
fn init_config_refuses_a_token_2022_mint_with_a_close_authority() {
    let (mut chain, admin) = bare_chain();
    let program = spl_token_2022::ID;
    let mint = Keypair::new();
    let space =
        ExtensionType::try_calculate_account_len::<Mint2022>(&[ExtensionType::MintCloseAuthority])
            .unwrap();
    let rent = chain.minimum_balance_for_rent_exemption(space);
    let ixs = [
        solana_system_interface::instruction::create_account(
            &admin.pubkey(),
            &mint.pubkey(),
            rent,
            space as u64,
            &program,
        ),
        spl_token_2022::instruction::initialize_mint_close_authority(
            &program,
            &mint.pubkey(),
            Some(&admin.pubkey()),
        )
        .unwrap(),
        spl_token_2022::instruction::initialize_mint2(
            &program,
            &mint.pubkey(),
            &admin.pubkey(),
            None,
            6,
        )
        .unwrap(),
    ];
    send(&mut chain, &admin, &ixs, &[&mint]).unwrap();
    init_config_rejects(
        &mut chain,
        &admin,
        &mint.pubkey(),
        program,
        MarketError::MintHasCloseAuthority,
    );
}
