//! Stage 5, emit: Rust source for the model, as `quote!` token streams
//! formatted by `prettyplease`.
//!
//! Emit only renders: every decision (names, types, signatures, modules,
//! features, `Default`) is the model's, and emit reads only the model (and
//! the runtime it copies). Output is deterministic: types are sorted by
//! name, groups and operations by module and method name, and every file
//! starts with [`HEADER`].

use std::path::PathBuf;

use proc_macro2::{Ident, Span, TokenStream};
use quote::quote;

use crate::error::{Error, Result};
use crate::file::{GeneratedFile, HEADER};
use crate::model::{rust_type, Api, Layout, RustType, Scalar, TypeDef, TypeId, TypeRef};
pub(crate) use format::render;
pub use format::FormatCache;

mod apis;
pub mod cli;
mod conformance;
pub mod format;
pub mod jobs;
mod manifest;
mod messages;
mod models;
pub mod tools;
mod unions;

/// What to generate besides the API itself.
#[derive(Debug, Clone)]
pub struct Options {
    /// The client crate's package name (default `c1-client`).
    pub package: String,
    /// The client crate's version (default `0.1.0`).
    pub version: String,
    /// The command line's generated files too (its command table, the
    /// conformance suite's copy of it and the agents' catalog), calling the
    /// client [`Options::package`] names (`false`: the client alone).
    pub cli: bool,
    /// Files formatted by an earlier run, to take rather than format again
    /// (the output is the same with it or without it).
    pub format_cache: Option<std::sync::Arc<FormatCache>>,
    /// The path from the client crate to the conformance harness
    /// (`../conformance`), a dev-dependency of its tests, whose fake C1
    /// checks every request against the document; `None` where there is none.
    pub conformance_path: Option<String>,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            package: "c1-client".to_string(),
            version: "0.1.0".to_string(),
            cli: false,
            format_cache: None,
            conformance_path: None,
        }
    }
}

/// Renders every file of the client crate: the generated modules, the
/// manifest and the runtime's copies. Files are rendered on all available
/// cores (formatting is most of the work); the result is the same in any
/// case, sorted by path.
pub fn emit(api: &Api, options: &Options) -> Result<Vec<GeneratedFile>> {
    let emitter = Emitter {
        api,
        layout: api.layout.get("the models layout")?,
        crate_name: options.package.replace('-', "_"),
        cache: options.format_cache.as_deref(),
    };
    let modules = &emitter.layout.modules;
    let mut jobs = vec![Job::ApisMod, Job::Spec, Job::ModelsRoot, Job::Conformance];
    jobs.extend((0..modules.len()).map(Job::Models));
    jobs.extend((0..api.groups.len()).map(Job::Group));
    // Largest files first, each worker taking the next one left: the work
    // stays balanced however uneven the files are.
    let weight = |job: &Job| match job {
        Job::Models(i) => modules[*i].types.len() * 4,
        Job::Group(i) => api.groups[*i].operations.len(),
        Job::Conformance => api.groups.iter().map(|g| g.operations.len()).sum::<usize>() / 4,
        Job::ApisMod | Job::Spec | Job::ModelsRoot => 0,
    };
    jobs.sort_by_key(|job| std::cmp::Reverse(weight(job)));
    let next = std::sync::atomic::AtomicUsize::new(0);
    let threads = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .min(jobs.len())
        .max(1);
    let rendered: Vec<Result<Vec<GeneratedFile>>> = std::thread::scope(|scope| {
        let workers: Vec<_> = (0..threads)
            .map(|_| {
                let (emitter, jobs, next) = (&emitter, &jobs, &next);
                scope.spawn(move || {
                    let mut files = Vec::new();
                    while let Some(job) =
                        jobs.get(next.fetch_add(1, std::sync::atomic::Ordering::Relaxed))
                    {
                        files.push(emitter.render_job(job)?);
                    }
                    Ok(files)
                })
            })
            .collect();
        workers
            .into_iter()
            .map(|w| {
                w.join().unwrap_or_else(|_| {
                    Err(Error::Emit {
                        file: "?".into(),
                        message: "a rendering thread panicked".into(),
                    })
                })
            })
            .collect()
    });
    let jobs = jobs::plan(api);
    let mut files = vec![
        emitter.manifest(options, &jobs),
        root(&emitter.crate_name, &jobs),
    ];
    for part in rendered {
        files.extend(part?);
    }
    files.extend(crate::runtime::files(&emitter.crate_name));
    if jobs.included {
        files.extend(jobs.files(&emitter.crate_name));
    }
    files.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(files)
}

/// `src/lib.rs`: the runtime's crate root, then the generated modules (and
/// the jobs layer, when it has one). The crate's examples name it by
/// `crate_name` (the runtime's say `c1_client`).
fn root(crate_name: &str, jobs: &jobs::Plan) -> GeneratedFile {
    let modules = ["apis", "models", "spec"].map(|m| format!("#[rustfmt::skip]\npub mod {m};\n"));
    // The conformance suite's table, for the crate's own tests.
    let conformance =
        "#[cfg(feature = \"conformance\")]\n#[doc(hidden)]\n#[rustfmt::skip]\npub mod conformance;\n";
    GeneratedFile {
        path: PathBuf::from("src/lib.rs"),
        contents: format!(
            "{HEADER}\n// The crate root: a copy of generator/runtime/src/lib.rs, then the generated modules.\n\n{}\n{}",
            crate::runtime::ROOT.replace("c1_client", crate_name),
            modules.concat() + conformance + &if jobs.included { jobs.declaration() } else { String::new() }
        ),
    }
}

/// One generated Rust file to render.
enum Job {
    ApisMod,
    Spec,
    ModelsRoot,
    Conformance,
    Models(usize),
    Group(usize),
}

impl Emitter<'_> {
    fn render_job(&self, job: &Job) -> Result<GeneratedFile> {
        match job {
            Job::ApisMod => self.render("src/apis/mod.rs", self.apis_mod()),
            Job::Spec => self.render("src/spec.rs", self.spec()),
            Job::ModelsRoot => self.render("src/models/mod.rs", self.models_root()),
            Job::Conformance => self.render("src/conformance.rs", self.conformance()?),
            Job::Models(i) => {
                let module = &self.layout.modules[*i];
                let path = format!("src/models/{}.rs", crate::names::unraw(&module.name));
                self.render(&path, self.models_module(module)?)
            }
            Job::Group(i) => {
                let group = &self.api.groups[*i];
                let path = format!("src/apis/{}.rs", crate::names::unraw(&group.module));
                self.render(&path, self.group(group)?)
            }
        }
    }

    fn render(&self, path: &str, tokens: TokenStream) -> Result<GeneratedFile> {
        format::render(self.cache, path, tokens)
    }
}

/// An identifier from a name the model made valid (possibly raw, `r#type`).
pub(crate) fn ident(name: &str) -> Ident {
    match name.strip_prefix("r#") {
        Some(raw) => Ident::new_raw(raw, Span::call_site()),
        None => Ident::new(name, Span::call_site()),
    }
}

/// `#[doc = "..."]` lines for a description; prettyplease prints them as `///`.
pub(crate) fn doc(text: Option<&str>) -> TokenStream {
    let Some(text) = text else {
        return TokenStream::new();
    };
    let lines = doc_lines(text).into_iter().map(|line| {
        let line = format!(" {line}");
        quote!(#[doc = #line])
    });
    quote!(#(#lines)*)
}

/// Description text as rustdoc lines (brackets escaped, URLs linked, the
/// continuation lines of a list item indented to its text, and of a block
/// quote marked with its `>`).
pub(crate) fn doc_lines(text: &str) -> Vec<String> {
    let mut item_indent: Option<usize> = None;
    let mut fenced = false;
    let mut quoted = false;
    text.lines()
        .map(|line| {
            let line = line.trim_end();
            let trimmed = line.trim_start();
            if trimmed.starts_with("```") {
                fenced = !fenced;
            }
            if fenced || trimmed.starts_with("```") {
                item_indent = None;
                return line.to_string();
            }
            // A line that goes on a block quote is part of it (Markdown's
            // lazy continuation), said with a `>` as rustdoc's lints want.
            quoted = match (trimmed.starts_with('>'), trimmed.is_empty()) {
                (true, _) => true,
                (false, true) => false,
                (false, false) if quoted => return rustdoc_text(&format!("> {trimmed}")),
                (false, false) => false,
            };
            let line = match (list_item_indent(line), item_indent) {
                (Some(indent), _) => {
                    item_indent = Some(indent);
                    line.to_string()
                }
                (None, _) if trimmed.is_empty() => {
                    item_indent = None;
                    String::new()
                }
                (None, Some(indent)) => format!("{:indent$}{trimmed}", ""),
                (None, None) => line.to_string(),
            };
            rustdoc_text(&line)
        })
        .collect()
}

/// For a line that starts a Markdown list item (`* a`, `- a`, `1. a`), the
/// column its text starts at.
fn list_item_indent(line: &str) -> Option<usize> {
    let lead = line.len() - line.trim_start().len();
    let rest = &line[lead..];
    let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
    let marker = match rest.as_bytes() {
        [b'*' | b'-' | b'+', b' ', ..] => 1,
        _ if (1..=9).contains(&digits)
            && matches!(rest.as_bytes().get(digits), Some(b'.' | b')')) =>
        {
            digits + 1
        }
        _ => return None,
    };
    let after = &rest[marker..];
    let spaces = after.len() - after.trim_start().len();
    (spaces >= 1 && !after.trim().is_empty()).then_some(lead + marker + spaces.min(4))
}

/// `#[doc = "..."]` lines for the generator's own text, which may use
/// intra-doc links.
pub(crate) fn prose(text: &str) -> TokenStream {
    let lines = text.lines().map(|line| {
        let line = format!(" {line}");
        quote!(#[doc = #line])
    });
    quote!(#(#lines)*)
}

/// Description text made safe for rustdoc: brackets that are not part of a
/// Markdown link `[text](url)` or a code span are escaped (rustdoc would
/// read `[string]` as an intra-doc link), and bare URLs are put in `<>` so
/// they become links.
fn rustdoc_text(line: &str) -> String {
    let mut out = String::with_capacity(line.len() + 8);
    let mut rest = line;
    while let Some(c) = rest.chars().next() {
        if c == '`' {
            if let Some(end) = rest[1..].find('`') {
                out.push_str(&rest[..end + 2]);
                rest = &rest[end + 2..];
                continue;
            }
        }
        if c == '[' {
            if let Some(len) = markdown_link_len(rest) {
                out.push_str(&rest[..len]);
                rest = &rest[len..];
                continue;
            }
        }
        if rest.starts_with("http://") || rest.starts_with("https://") {
            let preceded = out.ends_with('<');
            let end = rest
                .find(|c: char| c.is_whitespace() || matches!(c, '>' | ')' | '"' | '\''))
                .unwrap_or(rest.len());
            let url = rest[..end].trim_end_matches(['.', ',', ';', ':']);
            if preceded {
                out.push_str(url);
            } else {
                out.push_str(&format!("<{url}>"));
            }
            rest = &rest[url.len()..];
            continue;
        }
        match c {
            '[' => out.push_str("\\["),
            ']' => out.push_str("\\]"),
            _ => out.push(c),
        }
        rest = &rest[c.len_utf8()..];
    }
    out
}

/// The length of the Markdown inline link `[text](url)` that `s` starts with.
fn markdown_link_len(s: &str) -> Option<usize> {
    let close = s.find(']')?;
    if s[1..close].contains('[') || !s[close + 1..].starts_with('(') {
        return None;
    }
    let end = s[close..].find(')')?;
    Some(close + end + 1)
}

/// What every rendering function reads: the model and its layout.
pub(crate) struct Emitter<'a> {
    api: &'a Api,
    layout: &'a Layout,
    /// The client crate's name in Rust (`c1_client`), for doctests.
    crate_name: String,
    /// Files formatted by an earlier run.
    cache: Option<&'a FormatCache>,
}

impl Emitter<'_> {
    pub(crate) fn def(&self, id: TypeId) -> &TypeDef {
        &self.api.types[id.0]
    }

    /// The Rust type of a reference; `models` prefixes named types outside the models module.
    pub(crate) fn ty(&self, ty: &TypeRef, models: bool) -> TokenStream {
        rust(&rust_type(&self.api.types, ty), models)
    }
}

/// A [`RustType`] as tokens; `models` prefixes named types with `crate::models::`.
pub(crate) fn rust(ty: &RustType, models: bool) -> TokenStream {
    rust_at(ty, models.then(|| quote!(crate::models)).as_ref())
}

/// A [`RustType`] as tokens, named types prefixed with `models` (a path).
pub(crate) fn rust_at(ty: &RustType, models: Option<&TokenStream>) -> TokenStream {
    let inner = |t: &RustType| rust_at(t, models);
    match ty {
        RustType::Scalar(s) => scalar(*s),
        RustType::Named(name) => {
            let name = ident(name);
            match models {
                Some(path) => quote!(#path::#name),
                None => quote!(#name),
            }
        }
        RustType::Vec(t) => {
            let t = inner(t);
            quote!(Vec<#t>)
        }
        RustType::Map(t) => {
            let t = inner(t);
            quote!(std::collections::BTreeMap<String, #t>)
        }
        RustType::Option(t) => {
            let t = inner(t);
            quote!(Option<#t>)
        }
        RustType::Box(t) => {
            let t = inner(t);
            quote!(Box<#t>)
        }
        RustType::Into(t) => {
            let t = inner(t);
            quote!(impl Into<#t>)
        }
        RustType::Unit => quote!(()),
    }
}

/// A scalar's Rust type, from the model's table.
fn scalar(s: Scalar) -> TokenStream {
    // The table holds Rust type paths; each parses.
    s.info()
        .rust
        .parse()
        .unwrap_or_else(|_| quote!(serde_json::Value))
}

/// The type's description, or where it comes from.
pub(crate) fn type_doc(def: &TypeDef) -> String {
    match &def.doc {
        Some(text) => text.clone(),
        None if def.schema.starts_with('/') => format!("The schema at `{}`.", def.schema),
        None => format!("The `{}` schema.", def.schema),
    }
}

#[cfg(test)]
mod tests;
