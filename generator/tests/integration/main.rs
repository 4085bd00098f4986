//! The generator's integration tests, one module per subject, in one test
//! binary (one build and one link, not eleven).

mod bad_inputs;
mod common;
mod compiles;
mod diff;
mod full_spec;
mod jobs;
mod overlay;
mod properties;
mod releases;
mod seeds;
mod signatures;
mod spellings;
mod thirdparty;
mod versions;
