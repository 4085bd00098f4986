//! Nothing to build: xtask has a build script only so that its
//! `[build-dependencies]` (see `Cargo.toml`) count in feature unification.

fn main() {}
