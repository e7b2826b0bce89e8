//! Crucible market program (see ../../README.md and DESIGN.md).
use anchor_lang::prelude::*;

declare_id!("GzGSfqwM9Mo35HxwfTwhk5c2ABv729Jh3mkhSw2yebwh");

#[program]
pub mod crucible_market {}
