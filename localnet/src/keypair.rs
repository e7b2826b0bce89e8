//! Keypair files in the Solana CLI's format.

use solana_keypair::Keypair;
use solana_pubkey::Pubkey;
use solana_signer::Signer;

/// A keypair from the 64-byte JSON array format of the Solana CLI.
pub fn read_keypair_file(path: &std::path::Path) -> Result<Keypair, String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let bytes: Vec<u8> = serde_json::from_str(&text).map_err(|e| {
        format!("{}: not a keypair file (JSON array of 64 bytes): {e}", path.display())
    })?;
    Keypair::try_from(bytes.as_slice())
        .map_err(|e| format!("{}: not a valid keypair: {e}", path.display()))
}

/// The public key of a keypair file, for messages.
pub fn keypair_pubkey(kp: &Keypair) -> Pubkey {
    kp.pubkey()
}
