//! Rust source from tokens: `syn` parses them, `prettyplease` prints them,
//! and blank lines go between items.
//!
//! Formatting is most of a codegen run's time, and most files come out of
//! a run with the tokens they had the run before. A [`FormatCache`] keeps
//! each file's text under a hash of its path and tokens, so that those are
//! not formatted again: `cargo xtask codegen` keeps one in its target
//! directory. The text is the same with the cache or without it.

use std::collections::HashMap;
use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use proc_macro2::TokenStream;
use sha2::{Digest, Sha256};

use crate::error::{Error, Result};
use crate::file::{GeneratedFile, HEADER};

/// A file's key: the SHA-256 of its path and its tokens' text.
type Key = [u8; 32];

/// The first line of a cache file, before the identity of its formatter.
const MAGIC: &str = "c1-codegen format cache 1";

/// Formatted files by their path and tokens, from an earlier run (read
/// with [`FormatCache::load`]) and from this one (written with
/// [`FormatCache::save`]: only what this run used).
pub struct FormatCache {
    /// Names the formatter: a cache made by another is not used.
    identity: String,
    earlier: HashMap<Key, Arc<str>>,
    used: Mutex<HashMap<Key, Arc<str>>>,
}

impl fmt::Debug for FormatCache {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("FormatCache")
            .field("identity", &self.identity)
            .field("earlier", &self.earlier.len())
            .finish_non_exhaustive()
    }
}

impl FormatCache {
    /// An empty cache for the formatter `identity` (which must change
    /// whenever the formatting could: the generator's build, say).
    pub fn new(identity: &str) -> Self {
        FormatCache {
            identity: identity.replace('\n', " "),
            earlier: HashMap::new(),
            used: Mutex::new(HashMap::new()),
        }
    }

    /// The cache `path` holds, if it was made by `identity`; else (no
    /// file, another formatter, a file that does not read) an empty one.
    pub fn load(path: &Path, identity: &str) -> Self {
        let mut cache = FormatCache::new(identity);
        if let Ok(bytes) = std::fs::read(path) {
            cache.earlier = parse(&bytes, &cache.identity).unwrap_or_default();
        }
        cache
    }

    /// Writes what this run used to `path`, atomically (a reader never
    /// sees half of it).
    pub fn save(&self, path: &Path) -> Result<()> {
        let used = lock(&self.used);
        let mut out = format!("{MAGIC}\n{}\n", self.identity);
        let mut entries: Vec<_> = used.iter().collect();
        entries.sort_by_key(|(key, _)| **key);
        for (key, text) in entries {
            out.push_str(&format!("{} {}\n", hex(key), text.len()));
            out.push_str(text);
        }
        crate::write::write_atomically(path, &out)
    }

    /// How many files this run took from the cache, and how many it formatted.
    #[cfg(test)]
    fn hits(&self) -> (usize, usize) {
        let used = lock(&self.used);
        let hits = used
            .keys()
            .filter(|k| self.earlier.contains_key(*k))
            .count();
        (hits, used.len() - hits)
    }

    /// The text of `path` made of `tokens`: from the cache, or formatted.
    fn render(&self, path: &str, tokens: TokenStream) -> Result<String> {
        let key = key(path, &tokens);
        if let Some(text) = self.earlier.get(&key) {
            lock(&self.used).insert(key, text.clone());
            return Ok(text.to_string());
        }
        let text = format(path, tokens)?;
        lock(&self.used).insert(key, Arc::from(text.as_str()));
        Ok(text)
    }
}

/// The file `path` made of `tokens`, formatted, through `cache` if there is one.
pub(crate) fn render(
    cache: Option<&FormatCache>,
    path: &str,
    tokens: TokenStream,
) -> Result<GeneratedFile> {
    let contents = match cache {
        Some(cache) => cache.render(path, tokens)?,
        None => format(path, tokens)?,
    };
    Ok(GeneratedFile {
        path: PathBuf::from(path),
        contents,
    })
}

/// `tokens` as the text of the file `path`: header, formatted code.
fn format(path: &str, tokens: TokenStream) -> Result<String> {
    let file: syn::File = syn::parse2(tokens).map_err(|e| Error::Emit {
        file: path.to_string(),
        message: e.to_string(),
    })?;
    Ok(format!(
        "{HEADER}\n\n{}",
        space_items(&prettyplease::unparse(&file))
    ))
}

fn key(path: &str, tokens: &TokenStream) -> Key {
    let mut hasher = Sha256::new();
    hasher.update(path.as_bytes());
    hasher.update([0]);
    hasher.update(tokens.to_string().as_bytes());
    hasher.finalize().into()
}

/// The entries of a cache file made by `identity`: after two lines (the
/// magic and the identity), each entry is `<hex key> <length>\n<text>`.
fn parse(bytes: &[u8], identity: &str) -> Option<HashMap<Key, Arc<str>>> {
    let mut rest = bytes;
    if line(&mut rest)? != MAGIC || line(&mut rest)? != identity {
        return None;
    }
    let mut entries = HashMap::new();
    while !rest.is_empty() {
        let (hex_key, len) = line(&mut rest)?.split_once(' ')?;
        let len: usize = len.parse().ok()?;
        let text = std::str::from_utf8(rest.get(..len)?).ok()?;
        rest = &rest[len..];
        entries.insert(unhex(hex_key)?, Arc::from(text));
    }
    Some(entries)
}

/// The line at the start of `rest`, which moves past it.
fn line<'a>(rest: &mut &'a [u8]) -> Option<&'a str> {
    let end = rest.iter().position(|b| *b == b'\n')?;
    let text = std::str::from_utf8(&rest[..end]).ok()?;
    *rest = &rest[end + 1..];
    Some(text)
}

fn hex(key: &Key) -> String {
    key.iter().map(|b| format!("{b:02x}")).collect()
}

fn unhex(text: &str) -> Option<Key> {
    let mut key = [0u8; 32];
    if text.len() != 64 {
        return None;
    }
    for (i, byte) in key.iter_mut().enumerate() {
        *byte = u8::from_str_radix(text.get(2 * i..2 * i + 2)?, 16).ok()?;
    }
    Some(key)
}

/// The map, even if a thread panicked holding it (entries are whole).
fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// Puts a blank line between items, as hand-written Rust has them
/// (prettyplease prints items back to back): after each line that closes an
/// item at its indentation, when the next line starts another item there.
pub(crate) fn space_items(code: &str) -> String {
    const ITEM_STARTS: [&str; 11] = [
        "///", "#[", "pub ", "pub(", "fn ", "impl", "struct ", "enum ", "type ", "const ", "mod ",
    ];
    let lines: Vec<&str> = code.lines().collect();
    let mut out = String::with_capacity(code.len() + code.len() / 20);
    for (i, line) in lines.iter().enumerate() {
        out.push_str(line);
        out.push('\n');
        let Some(next) = lines.get(i + 1) else {
            continue;
        };
        let indent = line.len() - line.trim_start().len();
        // A comment that ends like an item (`/// a;`) closes nothing.
        let closes = line.trim_start() == "}"
            || (indent == 0
                && (line.ends_with(';') || line.ends_with("{}"))
                && !line.starts_with("use ")
                && !line.starts_with("//"));
        let opens = next.len() - next.trim_start().len() == indent
            && ITEM_STARTS.iter().any(|s| next.trim_start().starts_with(s));
        let after_inner_docs = line.starts_with("//!") && !next.starts_with("//!");
        if (closes && opens)
            || after_inner_docs
            || (line.starts_with("use ") && !next.starts_with("use "))
        {
            out.push('\n');
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use quote::quote;

    use super::*;

    /// A file comes out of the cache as formatting gives it; a change of
    /// tokens, of path or of formatter is formatted again; a saved cache
    /// loads; one that is cut short is not used.
    #[test]
    fn the_cache_gives_what_formatting_gives() {
        let dir = std::env::temp_dir().join(format!("format-cache-{}", std::process::id()));
        let file = dir.join("cache");
        let tokens = || {
            quote!(
                pub struct A {
                    pub b: u8,
                }
                pub fn f() {}
            )
        };
        let cache = FormatCache::new("one");
        let formatted = render(None, "src/a.rs", tokens()).unwrap().contents;
        assert_eq!(cache.render("src/a.rs", tokens()).unwrap(), formatted);
        cache.save(&file).unwrap();

        let again = FormatCache::load(&file, "one");
        assert_eq!(again.render("src/a.rs", tokens()).unwrap(), formatted);
        let other = quote!(
            pub struct A;
        );
        assert_eq!(
            again.render("src/a.rs", other.clone()).unwrap(),
            format("src/a.rs", other).unwrap()
        );
        again.render("src/b.rs", tokens()).unwrap();
        assert_eq!(again.hits(), (1, 2), "only the same path and tokens hit");

        assert!(
            FormatCache::load(&file, "two").earlier.is_empty(),
            "another formatter"
        );
        let bytes = std::fs::read(&file).unwrap();
        std::fs::write(&file, &bytes[..bytes.len() - 3]).unwrap();
        assert!(
            FormatCache::load(&file, "one").earlier.is_empty(),
            "cut short"
        );
        let _ = std::fs::remove_dir_all(&dir);
    }
}
