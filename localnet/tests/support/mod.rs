//! Shared by the in-process integration tests.
#![allow(dead_code)]

pub mod market;
pub mod staking;
