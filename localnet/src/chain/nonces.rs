//! Durable transaction nonces, as agave checks and advances them: a transaction whose
//! `recent_blockhash` is not a recent blockhash is accepted when its first instruction is the
//! System program's `AdvanceNonceAccount` on a writable nonce account that holds exactly that
//! value, with the nonce authority signing, and when the nonce would change (it cannot advance
//! twice from one blockhash). Executed and failed, such a transaction still advances its nonce
//! (agave commits the advance with the fee), so it cannot run again.

use solana_account::Account;
use solana_hash::Hash;
use solana_message::VersionedMessage;
use solana_nonce::{
    state::{DurableNonce, State},
    versions::Versions,
};
use solana_pubkey::Pubkey;

use super::fees::LAMPORTS_PER_SIGNATURE;
use super::Localnet;

/// `SystemInstruction::AdvanceNonceAccount`'s bincode tag.
const ADVANCE_NONCE_ACCOUNT: [u8; 4] = [4, 0, 0, 0];

impl Localnet {
    /// The nonce account of a durable-nonce transaction that may run now, if `message` is one.
    pub(super) fn usable_nonce(&self, message: &VersionedMessage) -> Option<Pubkey> {
        let keys = message.static_account_keys();
        let ix = message.instructions().first()?;
        let system = solana_sdk_ids::system_program::id();
        if keys.get(usize::from(ix.program_id_index))? != &system
            || ix.data.get(..4)? != ADVANCE_NONCE_ACCOUNT
        {
            return None;
        }
        let index = usize::from(*ix.accounts.first()?);
        let address = *keys.get(index)?;
        if !message.is_maybe_writable(index, None) {
            return None;
        }
        let account = self.svm.get_account(&address)?;
        if account.owner != system {
            return None;
        }
        let versions: Versions = bincode::deserialize(&account.data).ok()?;
        let data = versions.verify_recent_blockhash(message.recent_blockhash())?;
        let authority_signs = ix.accounts.iter().any(|&i| {
            let i = usize::from(i);
            message.is_signer(i) && keys.get(i) == Some(&data.authority)
        });
        let advances = data.durable_nonce != DurableNonce::from_blockhash(&self.latest_blockhash());
        (authority_signs && advances).then_some(address)
    }

    /// Advances the nonce at `address` from the current blockhash, as the runtime's
    /// `AdvanceNonceAccount` would (for a durable transaction that failed).
    pub(super) fn advance_nonce(&mut self, address: &Pubkey, blockhash: &Hash) {
        let Some(account) = self.svm.get_account(address) else { return };
        let Ok(versions) = bincode::deserialize::<Versions>(&account.data) else { return };
        let State::Initialized(data) = versions.state() else { return };
        let state = State::new_initialized(
            &data.authority,
            DurableNonce::from_blockhash(blockhash),
            LAMPORTS_PER_SIGNATURE,
        );
        let Ok(bytes) = bincode::serialize(&Versions::new(state)) else { return };
        let mut advanced = Account { data: bytes, ..account };
        advanced.data.resize(State::size(), 0);
        self.set_account(*address, advanced);
    }
}
