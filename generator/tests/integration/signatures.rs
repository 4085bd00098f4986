//! The change report's summary (`api.json`) records each operation's
//! signature (the method's arguments and what its call gives) and its
//! call's setters; these tests read what the emitted code declares, with
//! `syn`, and require the two to agree, for the whole API and for the
//! constructs fixture.

use std::collections::BTreeMap;
use std::path::Path;

use c1_codegen::{generate, Generated, Options};
use syn::{FnArg, GenericArgument, ImplItem, Item, Pat, PathArguments, ReturnType, Type};

fn generated(spec: &str) -> Generated {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join(spec);
    generate(&dir, &Options::default()).expect("generates")
}

/// What the emitted code declares for each operation, by `group.method`:
/// the method's arguments with the output of its call (`(args) -> T`), and
/// the call's setters.
fn emitted_signatures(generated: &Generated) -> BTreeMap<String, (String, Vec<String>)> {
    let mut found = BTreeMap::new();
    for file in &generated.files {
        let path = file.path.to_string_lossy();
        let Some(group) = path
            .strip_prefix("src/apis/")
            .and_then(|p| p.strip_suffix(".rs"))
            .filter(|g| *g != "mod")
        else {
            continue;
        };
        let ast = syn::parse_file(&file.contents).expect("emitted code parses");
        // Per parameters type: the Operation's output, and the setters.
        let mut outputs = BTreeMap::new();
        let mut setters: BTreeMap<String, Vec<String>> = BTreeMap::new();
        let mut methods = Vec::new();
        let mut mocks = BTreeMap::new();
        for item in &ast.items {
            let Item::Impl(block) = item else { continue };
            let self_ty = short(&block.self_ty);
            let trait_name = block
                .trait_
                .as_ref()
                .map(|t| t.0.segments.last().expect("a trait path").ident.to_string());
            for item in &block.items {
                match item {
                    ImplItem::Type(output) if trait_name.as_deref() == Some("Operation") => {
                        outputs.insert(self_ty.clone(), short(&output.ty));
                    }
                    ImplItem::Fn(method) if self_ty.starts_with("Call<") => {
                        let params = self_ty.trim_start_matches("Call<").trim_end_matches('>');
                        let (args, _) = arguments(&method.sig);
                        let name = method.sig.ident.to_string();
                        let name = name.trim_start_matches("r#");
                        let ty = args[0].split_once(": ").expect("one argument").1;
                        setters
                            .entry(params.to_string())
                            .or_default()
                            .push(format!("{name}: {ty}"));
                    }
                    // The mock server's accessor for the group.
                    ImplItem::Fn(_) if self_ty == "MockServer" => {}
                    ImplItem::Fn(method) if trait_name.is_none() && self_ty.ends_with("Mock") => {
                        mocks.insert(method.sig.ident.to_string(), arguments(&method.sig));
                    }
                    ImplItem::Fn(method) if trait_name.is_none() && method.sig.ident != "new" => {
                        methods.push(&method.sig);
                    }
                    _ => {}
                }
            }
        }
        for sig in methods {
            let (args, returns) = arguments(sig);
            let params = returns
                .strip_prefix("Call<")
                .and_then(|r| r.strip_suffix('>'))
                .unwrap_or_else(|| panic!("{group}.{}: returns {returns}, not a Call", sig.ident));
            // The mock's expectation mirrors the method: the same arguments,
            // an expectation of the same operation.
            let expectation = (args.clone(), format!("Expectation<{params}>"));
            assert_eq!(
                mocks.remove(&sig.ident.to_string()),
                Some(expectation),
                "{group}.{}: the mock's method",
                sig.ident
            );
            let output = &outputs[params];
            let name = sig.ident.to_string();
            let name = name.trim_start_matches("r#");
            let set = setters.get(params).cloned().unwrap_or_default();
            found.insert(
                format!("{group}.{name}"),
                (format!("({}) -> {output}", args.join(", ")), set),
            );
        }
        assert!(
            mocks.is_empty(),
            "{group}: mock methods of no operation: {mocks:?}"
        );
    }
    found
}

/// A method's arguments (`name: Type`, the receiver left out) and its
/// return type, written short; no two arguments may share a name.
fn arguments(sig: &syn::Signature) -> (Vec<String>, String) {
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
    (args, short(ret))
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
        Type::ImplTrait(t) => {
            let bound = t.bounds.first().expect("a bound");
            let syn::TypeParamBound::Trait(bound) = bound else {
                panic!("a trait bound")
            };
            let last = bound.path.segments.last().expect("a path has a segment");
            let PathArguments::AngleBracketed(args) = &last.arguments else {
                return format!("impl {}", last.ident);
            };
            let args: Vec<String> = args
                .args
                .iter()
                .filter_map(|a| match a {
                    GenericArgument::Type(t) => Some(short(t)),
                    _ => None,
                })
                .collect();
            format!("impl {}<{}>", last.ident, args.join(", "))
        }
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
    let summarized: BTreeMap<String, (String, Vec<String>)> = generated
        .summary
        .operations
        .iter()
        .map(|(key, op)| (key.clone(), (op.signature.clone(), op.setters.clone())))
        .collect();
    assert!(!emitted.is_empty());
    for (key, signature) in &summarized {
        assert_eq!(
            emitted.get(key),
            Some(signature),
            "{key}: the summary's signature or setters are not the emitted ones"
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
