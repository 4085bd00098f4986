//! The change report's summary (`api.json`) records each operation's
//! signature; these tests read the signatures the emitted code declares,
//! with `syn`, and require the two to agree, for the whole API and for the
//! constructs fixture.

use std::collections::BTreeMap;
use std::path::Path;

use c1_codegen::{generate, Generated, Options};
use syn::{FnArg, GenericArgument, ImplItem, Item, Pat, PathArguments, ReturnType, Type};

fn generated(spec: &str) -> Generated {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join(spec);
    generate(&dir, &Options::default()).expect("generates")
}

/// `group.method` -> `(args) -> T` for every `pub async fn` in `src/apis/`.
fn emitted_signatures(generated: &Generated) -> BTreeMap<String, String> {
    let mut found = BTreeMap::new();
    for file in &generated.files {
        let path = file.path.to_string_lossy();
        let Some(group) = path
            .strip_prefix("src/apis/")
            .and_then(|p| p.strip_suffix(".rs"))
        else {
            continue;
        };
        let ast = syn::parse_file(&file.contents).expect("emitted code parses");
        for item in ast.items {
            let Item::Impl(block) = item else { continue };
            for item in block.items {
                let ImplItem::Fn(method) = item else { continue };
                if method.sig.asyncness.is_none() {
                    continue;
                }
                let name = method.sig.ident.to_string();
                let name = name.trim_start_matches("r#");
                found.insert(format!("{group}.{name}"), signature(&method.sig));
            }
        }
    }
    found
}

/// A method signature as the summary writes it: `(id: &str) -> Thing`.
fn signature(sig: &syn::Signature) -> String {
    let args: Vec<String> = sig
        .inputs
        .iter()
        .filter_map(|arg| match arg {
            FnArg::Receiver(_) => None,
            FnArg::Typed(typed) => {
                let Pat::Ident(name) = &*typed.pat else {
                    panic!("argument pattern")
                };
                let name = name.ident.to_string();
                let name = name.trim_start_matches("r#").to_string();
                Some(format!("{name}: {}", short(&typed.ty)))
            }
        })
        .collect();
    let mut names: Vec<&str> = args.iter().filter_map(|a| a.split(':').next()).collect();
    names.sort_unstable();
    names.dedup();
    assert_eq!(
        names.len(),
        args.len(),
        "{}: two arguments share a name",
        sig.ident
    );
    let ReturnType::Type(_, ret) = &sig.output else {
        panic!("{} returns nothing", sig.ident)
    };
    // `crate::Result<T>`: the summary records `T`.
    let ok = generics(ret).into_iter().next().expect("Result<T>");
    format!("({}) -> {ok}", args.join(", "))
}

/// The type arguments of a path type, written short.
fn generics(ty: &Type) -> Vec<String> {
    let Type::Path(path) = ty else {
        return Vec::new();
    };
    let Some(last) = path.path.segments.last() else {
        return Vec::new();
    };
    let PathArguments::AngleBracketed(args) = &last.arguments else {
        return Vec::new();
    };
    args.args
        .iter()
        .filter_map(|a| match a {
            GenericArgument::Type(t) => Some(short(t)),
            _ => None,
        })
        .collect()
}

/// A type with short names (`models::Kind` -> `Kind`), as a user reads it.
fn short(ty: &Type) -> String {
    match ty {
        Type::Reference(r) => format!("&{}", short(&r.elem)),
        Type::Slice(s) => format!("[{}]", short(&s.elem)),
        Type::Tuple(t) if t.elems.is_empty() => "()".into(),
        Type::Path(p) => {
            let last = p.path.segments.last().expect("a path has a segment");
            let args = generics(ty);
            if args.is_empty() {
                last.ident.to_string()
            } else {
                format!("{}<{}>", last.ident, args.join(", "))
            }
        }
        other => panic!(
            "unexpected type in a signature: {}",
            quote::ToTokens::to_token_stream(other)
        ),
    }
}

fn assert_summary_matches_code(spec: &str) {
    let generated = generated(spec);
    let emitted = emitted_signatures(&generated);
    let summarized: BTreeMap<String, String> = generated
        .summary
        .operations
        .iter()
        .map(|(key, op)| (key.clone(), op.signature.clone()))
        .collect();
    assert!(!emitted.is_empty());
    for (key, signature) in &summarized {
        assert_eq!(
            emitted.get(key),
            Some(signature),
            "{key}: the summary's signature is not the emitted one"
        );
    }
    assert_eq!(
        emitted.keys().collect::<Vec<_>>(),
        summarized.keys().collect::<Vec<_>>()
    );
}

#[test]
fn the_constructs_summary_records_the_emitted_signatures() {
    assert_summary_matches_code("tests/fixtures/constructs/spec");
}

#[test]
fn the_whole_api_summary_records_the_emitted_signatures() {
    assert_summary_matches_code("../spec");
}
