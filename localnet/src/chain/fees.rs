//! Transaction fees as a validator charges them: the signature fee (transaction and precompile
//! signatures, 5 000 lamports each) plus the prioritization fee, `ceil(compute_unit_price ×
//! compute_unit_limit / 10⁶)` lamports, both from agave's own crates. LiteSVM 0.7 charges the
//! signature fee only; [`Localnet::send_transaction`](super::Localnet::send_transaction)
//! charges the prioritization fee around it, with the same fee-payer checks.

use solana_account::{AccountSharedData, ReadableAccount};
use solana_compute_budget_instruction::instructions_processor::process_compute_budget_instructions;
use solana_fee_structure::FeeBudgetLimits;
use solana_message::VersionedMessage;
use solana_rent::Rent;
use solana_svm_transaction::instruction::SVMInstruction;
use solana_transaction_error::TransactionError;

/// Lamports charged per signature.
pub const LAMPORTS_PER_SIGNATURE: u64 = 5_000;

/// What a transaction pays, in lamports.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Fee {
    /// 5 000 lamports per transaction signature and per precompile signature.
    pub signature: u64,
    /// `ceil(compute_unit_price × compute_unit_limit / 1 000 000)`.
    pub prioritization: u64,
}

impl Fee {
    pub fn total(&self) -> u64 {
        self.signature.saturating_add(self.prioritization)
    }
}

/// The fee of `message`. Compute-budget instructions the runtime would refuse (duplicate,
/// invalid, out of range) count as none, as agave's `get_fee_for_message` counts them; such a
/// transaction then fails in the runtime without executing.
pub fn fee_of(message: &VersionedMessage) -> Fee {
    let keys = message.static_account_keys();
    let instructions: Vec<_> = message
        .instructions()
        .iter()
        .filter_map(|ix| {
            Some((keys.get(usize::from(ix.program_id_index))?, SVMInstruction::from(ix)))
        })
        .collect();
    let limits = process_compute_budget_instructions(
        instructions.iter().map(|(program, ix)| (*program, ix.clone())),
        &agave_feature_set::FeatureSet::all_enabled(),
    )
    .unwrap_or_default();
    let signatures = instructions
        .iter()
        .fold(u64::from(message.header().num_required_signatures), |n, (program, ix)| {
            n.saturating_add(precompile_signatures(program, ix.data))
        });
    Fee {
        signature: signatures.saturating_mul(LAMPORTS_PER_SIGNATURE),
        prioritization: FeeBudgetLimits::from(limits).prioritization_fee,
    }
}

/// The compute-unit price (micro-lamports) a message pays, as the prioritization-fee cache
/// reads it: `None` when its compute-budget instructions are invalid or it asks for no units
/// (such a transaction tells nothing about the fee needed to land).
pub fn compute_unit_price_of(message: &VersionedMessage) -> Option<u64> {
    let keys = message.static_account_keys();
    let instructions: Vec<_> = message
        .instructions()
        .iter()
        .filter_map(|ix| {
            Some((keys.get(usize::from(ix.program_id_index))?, SVMInstruction::from(ix)))
        })
        .collect();
    let limits = process_compute_budget_instructions(
        instructions.iter().map(|(program, ix)| (*program, ix.clone())),
        &agave_feature_set::FeatureSet::all_enabled(),
    )
    .ok()?;
    (limits.compute_unit_limit > 0).then_some(limits.compute_unit_price)
}

/// Signatures a precompile instruction verifies (its first data byte), as agave counts them.
fn precompile_signatures(program: &solana_pubkey::Pubkey, data: &[u8]) -> u64 {
    let precompile = *program == solana_sdk_ids::ed25519_program::id()
        || *program == solana_sdk_ids::secp256k1_program::id()
        || *program == solana_sdk_ids::secp256r1_program::id();
    if precompile {
        u64::from(data.first().copied().unwrap_or(0))
    } else {
        0
    }
}

/// Whether `payer` can pay `fee`, as agave's fee-payer validation decides: it must exist, be a
/// System account (or a nonce account, which keeps its rent-exempt minimum), hold the fee, and
/// not become rent-paying by paying it.
pub fn check_fee_payer(
    payer: Option<&AccountSharedData>,
    rent: &Rent,
    fee: u64,
) -> Result<(), TransactionError> {
    let payer = match payer {
        Some(a) if a.lamports() > 0 => a,
        _ => return Err(TransactionError::AccountNotFound),
    };
    if *payer.owner() != solana_sdk_ids::system_program::id() {
        return Err(TransactionError::InvalidAccountForFee);
    }
    let min_balance = match payer.data().len() {
        0 => 0,
        n if n == solana_nonce::state::State::size() => rent.minimum_balance(n),
        _ => return Err(TransactionError::InvalidAccountForFee),
    };
    let after = payer
        .lamports()
        .checked_sub(min_balance)
        .and_then(|v| v.checked_sub(fee))
        .map(|v| v + min_balance)
        .ok_or(TransactionError::InsufficientFundsForFee)?;
    // Rent states: 0 lamports, rent-paying (below the minimum) or rent-exempt. Paying a fee may
    // not turn a rent-exempt payer into a rent-paying one.
    let exempt = rent.minimum_balance(payer.data().len());
    if payer.lamports() >= exempt && after > 0 && after < exempt {
        return Err(TransactionError::InsufficientFundsForRent { account_index: 0 });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use solana_compute_budget_interface::ComputeBudgetInstruction;
    use solana_hash::Hash;
    use solana_message::Message;
    use solana_pubkey::Pubkey;

    const PAYER: Pubkey = Pubkey::new_from_array([7; 32]);

    fn message(ixs: &[solana_instruction::Instruction]) -> VersionedMessage {
        VersionedMessage::Legacy(Message::new_with_blockhash(ixs, Some(&PAYER), &Hash::default()))
    }

    #[test]
    fn the_prioritization_fee_is_price_times_limit_rounded_up() {
        let transfer =
            solana_system_interface::instruction::transfer(&PAYER, &Pubkey::new_unique(), 1);
        assert_eq!(
            fee_of(&message(std::slice::from_ref(&transfer))),
            Fee { signature: 5_000, prioritization: 0 }
        );
        let priced = message(&[
            ComputeBudgetInstruction::set_compute_unit_limit(300_000),
            ComputeBudgetInstruction::set_compute_unit_price(3),
            transfer.clone(),
        ]);
        // 3 µ-lamports × 300 000 units = 0.9 lamports: rounded up to 1.
        assert_eq!(fee_of(&priced), Fee { signature: 5_000, prioritization: 1 });
        // Without a limit: 3 000 units per builtin instruction (the compute-budget one
        // included), 200 000 per other instruction, at 1 lamport a unit.
        let builtins = message(&[
            ComputeBudgetInstruction::set_compute_unit_price(1_000_000),
            transfer.clone(),
            transfer.clone(),
        ]);
        assert_eq!(fee_of(&builtins).prioritization, 3 * 3_000);
        let program =
            solana_instruction::Instruction::new_with_bytes(Pubkey::new_unique(), &[], vec![]);
        let mixed = message(&[
            ComputeBudgetInstruction::set_compute_unit_price(1_000_000),
            transfer.clone(),
            program,
        ]);
        assert_eq!(fee_of(&mixed).prioritization, 2 * 3_000 + 200_000);
        // The runtime refuses two prices: counted as none (the transaction fails unexecuted).
        let twice = message(&[
            ComputeBudgetInstruction::set_compute_unit_price(1),
            ComputeBudgetInstruction::set_compute_unit_price(2),
            transfer,
        ]);
        assert_eq!(fee_of(&twice), Fee { signature: 5_000, prioritization: 0 });
    }

    #[test]
    fn precompile_signatures_pay_the_signature_fee_too() {
        let ed25519 = solana_instruction::Instruction::new_with_bytes(
            solana_sdk_ids::ed25519_program::id(),
            &[2, 0],
            vec![],
        );
        assert_eq!(fee_of(&message(&[ed25519])).signature, 3 * 5_000);
    }

    #[test]
    fn a_payer_must_hold_the_fee_and_stay_rent_exempt() {
        let rent = Rent::default();
        let system =
            |lamports| AccountSharedData::new(lamports, 0, &solana_sdk_ids::system_program::id());
        let exempt = rent.minimum_balance(0);
        assert_eq!(check_fee_payer(None, &rent, 5_000), Err(TransactionError::AccountNotFound));
        assert_eq!(
            check_fee_payer(Some(&system(0)), &rent, 0),
            Err(TransactionError::AccountNotFound)
        );
        assert_eq!(
            check_fee_payer(Some(&system(4_999)), &rent, 5_000),
            Err(TransactionError::InsufficientFundsForFee)
        );
        // All of it may go: an account emptied to 0 lamports is fine.
        assert_eq!(check_fee_payer(Some(&system(5_000)), &rent, 5_000), Ok(()));
        assert_eq!(
            check_fee_payer(Some(&system(exempt + 4_999)), &rent, 5_000),
            Err(TransactionError::InsufficientFundsForRent { account_index: 0 })
        );
        assert_eq!(check_fee_payer(Some(&system(exempt + 5_000)), &rent, 5_000), Ok(()));
        let token = AccountSharedData::new(1 << 40, 165, &Pubkey::new_unique());
        assert_eq!(
            check_fee_payer(Some(&token), &rent, 5_000),
            Err(TransactionError::InvalidAccountForFee)
        );
    }
}
