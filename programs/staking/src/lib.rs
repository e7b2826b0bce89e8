//! Crucible staking program (see ../../README.md and DESIGN.md).
use anchor_lang::prelude::*;

declare_id!("HuFhSgaUJyRVziJJwn9zHEmDib5rZWwfvEGyA6febnTn");

#[program]
pub mod crucible_staking {}
