use super::format::space_items;
use super::*;

#[test]
fn items_are_separated_by_blank_lines() {
    let code = "//! Module.\nuse a::b;\nuse c::d;\npub struct E {}\npub struct A {\n    x: i32,\n}\n/// B.\npub type B = A;\nimpl A {\n    fn f() {}\n    fn g() {\n        let x = 1;\n    }\n    /// H.\n    fn h() {}\n}\n";
    assert_eq!(
        space_items(code),
        "//! Module.\n\nuse a::b;\nuse c::d;\n\npub struct E {}\n\npub struct A {\n    x: i32,\n}\n\n/// B.\npub type B = A;\n\nimpl A {\n    fn f() {}\n    fn g() {\n        let x = 1;\n    }\n\n    /// H.\n    fn h() {}\n}\n"
    );
}

#[test]
fn doc_lines_that_end_like_items_are_not_split() {
    let code = "/// Options:\n/// * a;\n/// * b {}\n/// c\npub enum G {}\n";
    assert_eq!(space_items(code), code);
}

#[test]
fn lines_that_go_on_a_block_quote_are_marked_as_quoted() {
    let text = "> **Note:** slow.\nScoped OAuth requires: `read`\n\nAfter.";
    assert_eq!(
        doc_lines(text),
        [
            "> **Note:** slow.",
            "> Scoped OAuth requires: `read`",
            "",
            "After."
        ]
    );
}

#[test]
fn doc_lines_become_doc_attributes() {
    let tokens = doc(Some("First line.\n indented second  "));
    assert_eq!(
        tokens.to_string(),
        quote!(#[doc = " First line."] #[doc = "  indented second"]).to_string()
    );
    assert!(doc(None).is_empty());
}

#[test]
fn raw_identifiers_are_kept_raw() {
    assert_eq!(ident("r#type").to_string(), "r#type");
    assert_eq!(ident("name").to_string(), "name");
}

#[test]
fn every_file_starts_with_the_header() {
    let file = render(
        None,
        "src/x.rs",
        quote!(
            pub struct X;
        ),
    )
    .unwrap();
    assert!(file.contents.starts_with(HEADER));
    assert_eq!(file.contents, format!("{HEADER}\n\npub struct X;\n"));
}

#[test]
fn tokens_that_are_not_rust_are_an_internal_error() {
    let err = render(None, "src/x.rs", quote!(pub struct)).unwrap_err();
    assert!(
        err.to_string()
            .starts_with("internal error: emitted code for src/x.rs does not parse"),
        "{err}"
    );
}

#[test]
fn descriptions_are_made_safe_for_rustdoc() {
    assert_eq!(
        rustdoc_text("Parsed into map[string]any."),
        "Parsed into map\\[string\\]any."
    );
    assert_eq!(
        rustdoc_text("an enum value of [google.rpc.Code][google.rpc.Code]."),
        "an enum value of \\[google.rpc.Code\\]\\[google.rpc.Code\\]."
    );
    assert_eq!(
        rustdoc_text("See [the docs](https://example.com/x)."),
        "See [the docs](https://example.com/x)."
    );
    assert_eq!(
        rustdoc_text("See https://example.com/docs/."),
        "See <https://example.com/docs/>."
    );
    assert_eq!(
        rustdoc_text("(https://example.com), <https://a.b>"),
        "(<https://example.com>), <https://a.b>"
    );
    assert_eq!(rustdoc_text("plain ünïcode text"), "plain ünïcode text");
    assert_eq!(
        rustdoc_text("a path `$.expanded[8]` in code, [x] outside, `unclosed [y]"),
        "a path `$.expanded[8]` in code, \\[x\\] outside, `unclosed \\[y\\]"
    );
}

#[test]
fn every_scalar_of_the_table_is_a_rust_type() {
    use crate::model::Scalar::*;
    for s in [
        Bool, I32, I64, U32, U64, F32, F64, String, DateTime, I64Str, U64Str, Duration, Bytes, Any,
        Object,
    ] {
        let path = s.info().rust;
        assert!(syn::parse_str::<syn::Type>(path).is_ok(), "{path}");
        assert_eq!(
            scalar(s).to_string().replace(' ', ""),
            path.replace(' ', "")
        );
    }
}

#[test]
fn deserializer_locals_never_take_its_own_names() {
    use crate::model::passes::{self, testing};
    let schemas = "T: {type: object, required: [map, key, id], properties: {map: {type: string}, key: {type: string}, id: {type: string}}}";
    let mut api = testing::lowered(&testing::doc(schemas, "{}")).unwrap();
    passes::run_all(&mut api).unwrap();
    let files = emit(&api, &Options::default()).unwrap();
    let models = files
        .iter()
        .find(|f| f.path == std::path::Path::new("src/models/types.rs"))
        .unwrap();
    for line in [
        "let mut map_ = None;",
        "let mut key_ = None;",
        "let mut id = None;",
        "\"map\" => map_ = Some(map.next_value()?),",
        "map: map_.ok_or_else(",
    ] {
        assert!(
            models.contents.contains(line),
            "{line}\n{}",
            models.contents
        );
    }
}
