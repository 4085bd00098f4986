//! Feeds arbitrary text through load, normalize, merge, model and emit.
//!
//! The input is split on lines `#---` into up to four documents, so that
//! merging sees several. Whatever the input, the pipeline must return `Ok`
//! or `Err`; a panic, an overflow or a hang is a finding.
#![no_main]

use c1_codegen::load::SourceDocument;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let docs: Vec<SourceDocument> = text
        .split("\n#---\n")
        .take(4)
        .enumerate()
        .filter_map(|(i, part)| SourceDocument::parse(&format!("doc{i}.yaml"), part).ok())
        .collect();
    let _ = c1_codegen::generate_documents(&docs, &c1_codegen::Options::default());
});
