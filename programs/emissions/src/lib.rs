//! Crucible emissions program (see ../../README.md and DESIGN.md).
use anchor_lang::prelude::*;

declare_id!("9fLxmCt8FpNCBC4tnBCS8evjnJ31fgxgz2qPDcwBoUS5");

#[program]
pub mod crucible_emissions {}
