//! Compresses the agents' catalog (`src/generated/tools.json`, 444 KB of text) into
//! the build's output directory: the binary carries it deflated (55 KB)
//! and `catalog.rs` inflates it when `c1 mcp serve` starts.

use std::error::Error;
use std::path::PathBuf;

fn main() -> Result<(), Box<dyn Error>> {
    println!("cargo:rerun-if-changed=src/generated/tools.json");
    let manifest =
        PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR").ok_or("no CARGO_MANIFEST_DIR")?);
    let out = PathBuf::from(std::env::var_os("OUT_DIR").ok_or("no OUT_DIR")?);
    let source = manifest.join("src/generated/tools.json");
    let text = std::fs::read(&source).map_err(|e| format!("{}: {e}", source.display()))?;
    let deflated = miniz_oxide::deflate::compress_to_vec(&text, 9);
    std::fs::write(out.join("tools.json.deflate"), deflated)?;
    Ok(())
}
