//! Shared by the in-process integration tests.
#![allow(dead_code)]

pub mod emissions;
pub mod market;
pub mod staking;
