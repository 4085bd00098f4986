//! The command line's generated part: what `cargo xtask codegen` writes
//! into `cli/src/generated/` of the command-line crate (`c1-cli`, binary
//! `c1`), read from the same model as the client. The rest of that crate is
//! written by hand, where it is built; this module knows what it must keep
//! free for it (the reserved names below, which the table repeats for the
//! crate's test that its own commands are among them).
//!
//! - `commands.rs`: the command table;
//! - `conformance.rs`: the same table as the conformance suite reads it;
//! - `tools.json`: the agents' catalog (`tools.rs`).
//!
//! Every operation is `c1 <group> <operation>`, group and operation in
//! kebab-case from the client's names. The method's arguments are the
//! command's positional arguments, its setters are flags, and a JSON body
//! is `--body` with a flag per top-level scalar or enum field (and, for an
//! update request, per field of the message it updates). Names are made
//! unique per command by one `Namespace` (`crate::names`), which also keeps off the
//! built-in flags.

use heck::{ToKebabCase, ToShoutySnakeCase, ToTitleCase};
use proc_macro2::TokenStream;
use quote::quote;

use super::tools::{self, ToolArg};
use super::{ident, render, rust_at};
use crate::error::Result;
use crate::file::GeneratedFile;
use crate::model::{
    Api, Arg, ArgSource, Field, Group, Media, Operation, RustType, Scalar, Signature, Struct,
    TypeDef, TypeKind, TypeRef,
};
use crate::names::{unraw, Namespace};

/// Flags every command has, or that the hand-written part gives, which no
/// generated flag may take (snake case, as the namespace compares; `o` is
/// `-o`).
const RESERVED_FLAGS: [&str; 10] = [
    "body", "all", "limit", "profile", "output", "fields", "dry_run", "help", "version", "o",
];

/// Commands the hand-written part adds: top-level, and within a group.
const RESERVED_GROUPS: [&str; 8] = [
    "catalog",
    "completion",
    "has",
    "help",
    "mcp",
    "request",
    "revoke",
    "whoami",
];
const RESERVED_OPERATIONS: [(&str, &[&str]); 2] = [
    ("auth", &["login", "status", "token"]),
    (
        "task",
        &["approve", "comment", "deny", "escalate", "inbox", "wait"],
    ),
];

/// Where the generated files go in the command-line crate: the one
/// directory of `cli/` that `cargo xtask codegen` writes.
pub const DIR: &str = "src/generated";

/// What the hand-written part calls by name, as `(group module, method)`
/// and model types: `auth status` and `task wait`.
const NEEDED_OPERATIONS: [(&str, &str); 2] = [("auth", "introspect"), ("task", "get")];
const NEEDED_TYPES: [&str; 2] = ["TaskServiceGetResponse", "TaskState"];

/// Every generated file of the command-line crate, under [`DIR`], calling
/// the client named `client_package` (`c1-client`). An API
/// without what the built-in
/// commands call (see [`missing`]) gets none: an error says what is missing,
/// rather than a command line that does not compile.
pub fn emit(
    api: &Api,
    client_package: &str,
    cache: Option<&super::FormatCache>,
) -> Result<Vec<GeneratedFile>> {
    if let Some(what) = missing(api) {
        return Err(crate::model::model_error(
            &crate::error::Pointer::root(),
            format!("no command line can be generated: its built-in commands (`auth status`, `task wait`) need {what}, which the API does not have"),
        ));
    }
    if !super::jobs::plan(api).included {
        return Err(crate::model::model_error(
            &crate::error::Pointer::root(),
            "no command line can be generated: its job commands (`c1 request`, `c1 task approve`) call the jobs layer, which this API does not get (see the warning that says why)".into(),
        ));
    }
    let krate = ident(&client_package.replace('-', "_"));
    let commands = Commands {
        api,
        krate: quote!(#krate),
    };
    let (table, entries, catalog) = commands.file()?;
    let mut files = vec![
        render(cache, &format!("{DIR}/commands.rs"), table)?,
        render(
            cache,
            &format!("{DIR}/conformance.rs"),
            commands_table(&entries),
        )?,
        tools::file(api, &catalog)?,
    ];
    files.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(files)
}

/// The first operation or type the built-in commands need that `api` lacks.
pub fn missing(api: &Api) -> Option<String> {
    for (module, method) in NEEDED_OPERATIONS {
        let group = api.groups.iter().find(|g| g.module == module);
        if !group.is_some_and(|g| g.operations.iter().any(|op| op.name == method)) {
            return Some(format!("the operation `{module}.{method}`"));
        }
    }
    let has = |name: &str| api.types.iter().any(|def| def.name == name);
    NEEDED_TYPES
        .iter()
        .find(|name| !has(name))
        .map(|name| format!("the type `{name}`"))
}

/// Renders `commands.rs` from the model.
struct Commands<'a> {
    api: &'a Api,
    /// The client crate's path in Rust (`c1_client`).
    krate: TokenStream,
}

/// How a value's text is read (the `input::Kind` of the hand-written part),
/// and the values an enum takes.
struct Reading {
    kind: TokenStream,
    values: Vec<String>,
}

/// `commands.rs`, an entry of the test table per operation, and the
/// agents' catalog.
type Table<'a> = (TokenStream, Vec<TokenStream>, Vec<tools::Entry<'a>>);

impl<'a> Commands<'a> {
    /// `commands.rs`, and an entry of the test table and of the agents'
    /// catalog per operation.
    fn file(&self) -> Result<Table<'a>> {
        let mut names = Namespace::new(RESERVED_GROUPS, "_api");
        let mut modules = Vec::new();
        let mut arms = Vec::new();
        let mut commands = Vec::new();
        let mut entries = Vec::new();
        let mut catalog = Vec::new();
        let api: &'a Api = self.api;
        for group in &api.groups {
            let command = names.claim(unraw(&group.module)).to_kebab_case();
            let module = ident(&group.module);
            let (tokens, group_entries, tools) = self.group(group, &command)?;
            modules.push(tokens);
            entries.extend(group_entries);
            catalog.extend(tools);
            arms.push(quote!(#command => #module::run(operation, matches, ctx),));
            commands.push(quote!(#module::command()));
        }
        let reserved_groups = RESERVED_GROUPS;
        let reserved_flags = RESERVED_FLAGS;
        let reserved_operations = RESERVED_OPERATIONS
            .iter()
            .map(|(group, operations)| quote!((#group, &[#(#operations),*])));
        let file = quote! {
            //! The command table: a command per operation of the client, read
            //! from the model the client is generated from.

            use clap::{ArgMatches, Command};

            use crate::input::{self, Kind};
            use crate::output::{Ctx, Sending};
            use crate::Failure;

            /// Every group's command.
            pub fn groups() -> Vec<Command> {
                vec![#(#commands),*]
            }

            /// The names the table keeps free for the commands written by
            /// hand, which the crate's tests hold them to.
            #[cfg(test)]
            pub mod reserved {
                /// Top-level commands.
                pub const GROUPS: &[&str] = &[#(#reserved_groups),*];
                /// Commands within an API group.
                pub const OPERATIONS: &[(&str, &[&str])] = &[#(#reserved_operations),*];
                /// Flags, in snake case (`o` is `-o`).
                pub const FLAGS: &[&str] = &[#(#reserved_flags),*];
            }

            /// What `c1 <group> <operation>` sends, its arguments read;
            /// [`Ctx::answer`] sends it. Commands are plain functions, and
            /// the one future that sends and prints is the same for all.
            pub fn run(group: &str, operation: &str, matches: &ArgMatches, ctx: &Ctx) -> Result<Sending, Failure> {
                match group {
                    #(#arms)*
                    _ => Err(Failure::usage(format!("unknown command `{group}`"))),
                }
            }

            #(#modules)*
        };
        Ok((file, entries, catalog))
    }

    fn group(&self, group: &'a Group, command: &str) -> Result<Table<'a>> {
        let reserved = RESERVED_OPERATIONS
            .iter()
            .filter(|(name, _)| *name == command)
            .flat_map(|(_, ops)| ops.iter().copied())
            .chain(["help"]);
        let mut names = Namespace::new(reserved, "_op");
        let mut subcommands = Vec::new();
        let mut arms = Vec::new();
        let mut statics = Vec::new();
        let mut reads = false;
        let module = ident(&group.module);
        let mut operation_names = Vec::new();
        let mut entries = Vec::new();
        let mut catalog = Vec::new();
        for op in &group.operations {
            let name = names.claim(unraw(&op.name)).to_kebab_case();
            let signature = op.signature.get("signature")?;
            let parts = self.operation(op, signature, &name, &module);
            catalog.push(tools::Entry {
                key: group.operation_name(op),
                command: [command.to_string(), name.clone()],
                op,
                signature,
                args: parts.tool_args,
                list: self.paged_list(op),
            });
            let (id, params) = (op.operation_id.as_deref().unwrap_or_default(), &parts.entry);
            let body = signature.args.iter().any(|a| a.source == ArgSource::Body);
            entries.push(quote!(Command { operation: #id, words: [#command, #name], params: &[#(#params),*], body: #body }));
            operation_names.push(name);
            reads |= parts.reads;
            subcommands.push(parts.command);
            arms.push(parts.arm);
            statics.extend(parts.body_static);
        }
        let about = match group.doc.as_deref() {
            Some(doc) => first_paragraph(doc),
            None => group_about(&group.tag, &operation_names),
        };
        let matches = ident(if reads { "matches" } else { "_matches" });
        let tokens = quote! {
            mod #module {
                use super::*;

                #(#statics)*

                pub fn command() -> Command {
                    Command::new(#command)
                        .about(#about)
                        .subcommand_required(true)
                        .arg_required_else_help(true)
                        .subcommands([#(#subcommands),*])
                }

                pub fn run(operation: &str, #matches: &ArgMatches, ctx: &Ctx) -> Result<Sending, Failure> {
                    match operation {
                        #(#arms)*
                        _ => Err(Failure::usage(format!("unknown operation `{operation}`"))),
                    }
                }
            }
        };
        Ok((tokens, entries, catalog))
    }

    fn operation(
        &self,
        op: &Operation,
        sig: &Signature,
        name: &str,
        module: &proc_macro2::Ident,
    ) -> OpParts {
        let mut flags = Namespace::new(RESERVED_FLAGS, "_param");
        let mut args = Vec::new();
        let mut values = Vec::new();
        let mut body_static = None;
        let mut entry = Vec::new();
        let mut tool_args = Vec::new();
        for arg in &sig.args {
            match arg.source {
                ArgSource::Param(i) => {
                    let id = flags.claim(unraw(&arg.name)).to_kebab_case();
                    tool_args.push(tool_arg(arg, &id, true, false));
                    entry.push(param_entry(&op.params[i], None, false));
                    let reading = self.reading_of(&arg.stored);
                    let (kind, allowed) = (&reading.kind, &reading.values);
                    let help = op.params[i].doc.clone().unwrap_or_default();
                    let shown = id.to_shouty_snake_case();
                    args.push(quote!(.arg(input::positional(#id, #shown, #kind, &[#(#allowed),*], #help))));
                    let ty = rust_in(&arg.stored, &self.krate);
                    values.push(quote!(input::one::<#ty>(matches, #id, #kind)?));
                }
                ArgSource::Body => {
                    tool_args.push(tool_arg(arg, "body", false, false));
                    let (arg_tokens, value, statik) = self.body(op, arg, name, &mut flags);
                    args.push(arg_tokens);
                    values.push(value);
                    body_static = statik;
                }
            }
        }
        let mut setters = Vec::new();
        let mut reads_flags = Vec::new();
        for arg in &sig.setters {
            let id = flags.claim(unraw(&arg.name)).to_kebab_case();
            let (item, list) = match &arg.stored {
                RustType::Vec(item) => (&**item, true),
                other => (other, false),
            };
            tool_args.push(tool_arg(arg, &id, false, list));
            if let ArgSource::Param(i) = arg.source {
                entry.push(param_entry(&op.params[i], Some(&id), list));
            }
            let reading = self.reading_of(item);
            let (kind, allowed) = (&reading.kind, &reading.values);
            let help = match arg.source {
                ArgSource::Param(i) => op.params[i].doc.clone().unwrap_or_default(),
                ArgSource::Body => String::new(),
            };
            args.push(quote!(.arg(input::flag(#id, #kind, &[#(#allowed),*], #list, #help))));
            let setter = ident(&arg.name);
            let ty = rust_in(item, &self.krate);
            let local = ident(&format!("{}_flag", unraw(&arg.name)));
            reads_flags.push(if list {
                quote!(let #local = input::many::<#ty>(matches, #id, #kind)?;)
            } else {
                quote!(let #local = input::opt::<#ty>(matches, #id, #kind)?;)
            });
            setters.push(if list {
                quote! {
                    if !#local.is_empty() {
                        call = call.#setter(#local);
                    }
                }
            } else {
                quote! {
                    if let Some(given) = #local {
                        call = call.#setter(given);
                    }
                }
            });
        }
        let list = self.paged_list(op);
        if list.is_some() {
            args.push(quote!(.args(input::paging())));
        }
        let show = match &list {
            Some(list) => quote!(Ok(ctx.send_paged(call, matches, #list))),
            None => quote!(Ok(ctx.send(call))),
        };
        let method = ident(&op.name);
        let mutable = (!setters.is_empty()).then(|| quote!(mut));
        let doc = op.doc.as_deref().unwrap_or_default();
        let mut about = first_paragraph(doc);
        if op.deprecated {
            about = format!("(deprecated) {about}");
        }
        let long = format!("{doc}\n\n`{} {}`", op.method.to_uppercase(), op.path);
        let long = long.trim().to_string();
        let reads = !args.is_empty();
        let allow = op.deprecated.then(|| quote!(#[allow(deprecated)]));
        // Every argument is read (and a bad one refused) before signing in.
        let locals: Vec<_> = (0..values.len())
            .map(|i| ident(&format!("arg{i}")))
            .collect();
        OpParts {
            command: quote!(input::operation(#name, #about, #long) #(#args)*),
            reads,
            arm: quote! {
                #allow
                #name => {
                    #(let #locals = #values;)*
                    #(#reads_flags)*
                    let #mutable call = ctx.client()?.#module().#method(#(#locals),*);
                    #(#setters)*
                    #show
                }
            },
            body_static,
            entry,
            tool_args,
        }
    }

    /// The body's argument, value and flag table: `--body` read as the
    /// body's type (or as bytes, for a binary or text body), with a flag per
    /// field a flag can set.
    fn body(
        &self,
        op: &Operation,
        arg: &Arg,
        command: &str,
        flags: &mut Namespace,
    ) -> (TokenStream, TokenStream, Option<TokenStream>) {
        let statik = ident(&format!("{}_BODY", command.to_shouty_snake_case()));
        let body = op.body.as_ref();
        let (value, table) = match body.map(|b| &b.media) {
            Some(Media::Text(_)) => (
                quote!(String::from_utf8_lossy(&input::raw_body(matches)?).into_owned()),
                Body::default(),
            ),
            Some(Media::Binary(_)) => (quote!(input::raw_body(matches)?), Body::default()),
            _ => {
                let ty = rust_in(&arg.stored, &self.krate);
                let st = body.and_then(|b| self.struct_of(&b.ty));
                (
                    quote!(input::body::<#ty>(matches, &#statik)?),
                    st.map(|st| self.body_flags(st, flags)).unwrap_or_default(),
                )
            }
        };
        let table = table.tokens();
        (
            quote!(.args(input::body_args(&#statik))),
            value,
            Some(quote!(static #statik: input::Body = #table;)),
        )
    }

    /// The flags of a JSON body's fields, and of the message an update
    /// request updates.
    fn body_flags(&self, st: &Struct, flags: &mut Namespace) -> Body {
        let mut claim = |field: &Field| {
            let flag = flags.claim(unraw(&field.name)).to_kebab_case();
            self.field_entry(field, &flag)
        };
        let fields = self.flag_fields(st).into_iter().map(&mut claim).collect();
        let mask = st.update_mask.as_ref().and_then(|mask| {
            let wire = |rust: &str| {
                let field = st.fields.iter().find(|f| f.name == rust)?;
                Some(field.wire_name.clone())
            };
            let TypeKind::Struct(compared) = &self.api.types[mask.compared.0].kind else {
                return None;
            };
            let named = |f: &&Field| mask.fields.iter().any(|(rust, _)| *rust == f.name);
            let message_fields = self.flag_fields(compared).into_iter().filter(named);
            Some(MaskEntry {
                mask: wire(&mask.mask_field)?,
                message: mask.message.as_deref().and_then(wire),
                fields: message_fields.map(&mut claim).collect(),
            })
        });
        Body { fields, mask }
    }

    /// The fields of `st` that a flag can set: sent (not read-only), and a
    /// scalar or an enum.
    fn flag_fields<'s>(&self, st: &'s Struct) -> Vec<&'s Field> {
        st.fields
            .iter()
            .filter(|f| !f.read_only && self.scalar_reading(&f.ty).is_some())
            .collect()
    }

    fn field_entry(&self, field: &Field, flag: &str) -> FieldEntry {
        let reading = self.scalar_reading(&field.ty).unwrap_or(Reading {
            kind: quote!(Kind::Json),
            values: Vec::new(),
        });
        FieldEntry {
            flag: flag.to_string(),
            wire: field.wire_name.clone(),
            reading,
            help: field
                .doc
                .clone()
                .unwrap_or_else(|| format!("Sets `{}`.", field.wire_name)),
        }
    }

    /// The struct a body type names, if it is one.
    fn struct_of(&self, ty: &TypeRef) -> Option<&Struct> {
        let TypeRef::Named(id) = ty else {
            return None;
        };
        match &self.api.types[id.0].kind {
            TypeKind::Struct(st) => Some(st),
            _ => None,
        }
    }

    /// How a value of a type the client keeps is read.
    fn reading_of(&self, ty: &RustType) -> Reading {
        let json = || Reading {
            kind: quote!(Kind::Json),
            values: Vec::new(),
        };
        match ty {
            RustType::Scalar(s) => scalar_reading(*s).unwrap_or_else(json),
            RustType::Named(name) => {
                let def = self.api.types.iter().find(|t| &t.name == name);
                def.and_then(|d| self.def_reading(d)).unwrap_or_else(json)
            }
            _ => json(),
        }
    }

    /// How a field's value is read, if it is a scalar or an enum.
    fn scalar_reading(&self, ty: &TypeRef) -> Option<Reading> {
        match ty {
            TypeRef::Scalar(s) => scalar_reading(*s),
            TypeRef::Named(id) => self.def_reading(&self.api.types[id.0]),
            TypeRef::Vec(_) | TypeRef::Map(_) => None,
        }
    }

    fn def_reading(&self, def: &TypeDef) -> Option<Reading> {
        match &def.kind {
            TypeKind::Enum(variants) => Some(Reading {
                kind: quote!(Kind::Text),
                values: variants.iter().map(|v| v.wire_name.clone()).collect(),
            }),
            TypeKind::Alias(inner) => self.scalar_reading(inner),
            _ => None,
        }
    }

    /// The JSON name of a paginated operation's list of items.
    fn paged_list(&self, op: &Operation) -> Option<String> {
        let pagination = op.pagination.get("pagination").ok()?.as_ref()?;
        let items = pagination.items.as_ref()?;
        let TypeRef::Named(id) = op.response.as_ref()? else {
            return None;
        };
        let TypeKind::Struct(st) = &self.api.types[id.0].kind else {
            return None;
        };
        let field = st.fields.iter().find(|f| f.name == items.field)?;
        Some(field.wire_name.clone())
    }
}

fn scalar_reading(s: Scalar) -> Option<Reading> {
    let kind = match s {
        Scalar::Bool => quote!(Kind::Bool),
        Scalar::I32 | Scalar::I64 | Scalar::U32 | Scalar::U64 => quote!(Kind::Integer),
        Scalar::F32 | Scalar::F64 => quote!(Kind::Number),
        Scalar::DateTime => quote!(Kind::Timestamp),
        Scalar::Duration => quote!(Kind::Duration),
        Scalar::String | Scalar::I64Str | Scalar::U64Str | Scalar::Bytes => quote!(Kind::Text),
        Scalar::File | Scalar::Any | Scalar::Object | Scalar::AnyMessage => return None,
    };
    Some(Reading {
        kind,
        values: Vec::new(),
    })
}

/// A type as the command line names it: the client crate's models by path.
fn rust_in(ty: &RustType, krate: &TokenStream) -> TokenStream {
    rust_at(ty, Some(&quote!(#krate::models)))
}

/// A group's help when the document does not describe its tag: the tag in
/// words, then what its operations are (`Personal client: create, delete,
/// get, list, update`).
fn group_about(tag: &str, operations: &[String]) -> String {
    let words = tag.to_title_case();
    let mut words = words.split(' ');
    let first = words.next().unwrap_or_default().to_string();
    let rest: Vec<String> = words.map(str::to_lowercase).collect();
    let name = std::iter::once(first)
        .chain(rest)
        .collect::<Vec<_>>()
        .join(" ");
    format!("{name}: {}", operations.join(", "))
}

/// The text up to the first blank line, as one line.
pub(super) fn first_paragraph(text: &str) -> String {
    let first = text.trim().split("\n\n").next().unwrap_or_default();
    first.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// What one operation adds to its group.
struct OpParts {
    command: TokenStream,
    /// Whether it reads arguments or flags of its own.
    reads: bool,
    arm: TokenStream,
    body_static: Option<TokenStream>,
    /// How each parameter is given, for the test table.
    entry: Vec<TokenStream>,
    /// How each argument and setter is given, for the agents' catalog.
    tool_args: Vec<ToolArg>,
}

/// How an argument is given to its command (`id`), for the agents' catalog.
fn tool_arg(arg: &Arg, id: &str, positional: bool, list: bool) -> ToolArg {
    ToolArg {
        name: unraw(&arg.name).to_string(),
        id: id.to_string(),
        positional,
        list,
    }
}

/// One parameter of the test table: where it goes, its wire name, and its
/// flag (`None`: a positional argument, in order).
fn param_entry(param: &crate::model::Param, flag: Option<&str>, list: bool) -> TokenStream {
    let location = param.location.spec_name();
    let name = &param.wire_name;
    let flag = match flag {
        Some(flag) => quote!(Some(#flag)),
        None => quote!(None),
    };
    quote!(Param { location: #location, name: #name, flag: #flag, list: #list })
}

/// `conformance.rs`: for the conformance suite, each command's
/// operation, words and parameters, from the decisions that made the
/// command table.
fn commands_table(entries: &[TokenStream]) -> TokenStream {
    quote! {
        //! Every command of `c1`: the operation it sends, the words that run
        //! it, and how each parameter is given. The conformance suite runs
        //! each with `--dry-run` (`tests/integration/conformance.rs`, which
        //! includes this file).
        #![allow(dead_code)]

        /// One command.
        pub struct Command {
            /// The `operationId` it sends.
            pub operation: &'static str,
            /// `c1 <group> <operation>`.
            pub words: [&'static str; 2],
            /// Its parameters: positional arguments in order, then flags.
            pub params: &'static [Param],
            /// Whether it takes `--body`.
            pub body: bool,
        }

        /// How one parameter is given.
        pub struct Param {
            /// `path`, `query`, `header` or `cookie`.
            pub location: &'static str,
            /// Its wire name.
            pub name: &'static str,
            /// Its flag, without `--`; `None` for a positional argument.
            pub flag: Option<&'static str>,
            /// A flag given once per item.
            pub list: bool,
        }

        /// Every command, in the order of the command table.
        pub const COMMANDS: &[Command] = &[#(#entries),*];
    }
}

#[derive(Default)]
struct Body {
    fields: Vec<FieldEntry>,
    mask: Option<MaskEntry>,
}

struct FieldEntry {
    flag: String,
    wire: String,
    reading: Reading,
    help: String,
}

struct MaskEntry {
    mask: String,
    message: Option<String>,
    fields: Vec<FieldEntry>,
}

impl FieldEntry {
    fn tokens(&self) -> TokenStream {
        let (flag, wire, help) = (&self.flag, &self.wire, &self.help);
        let (kind, values) = (&self.reading.kind, &self.reading.values);
        quote!(input::Field { flag: #flag, wire: #wire, kind: #kind, values: &[#(#values),*], help: #help })
    }
}

impl Body {
    fn tokens(&self) -> TokenStream {
        let fields = self.fields.iter().map(FieldEntry::tokens);
        let mask = match &self.mask {
            Some(m) => {
                let name = &m.mask;
                let message = match &m.message {
                    Some(wire) => quote!(Some(#wire)),
                    None => quote!(None),
                };
                let fields = m.fields.iter().map(FieldEntry::tokens);
                quote!(Some(input::Mask { mask: #name, message: #message, fields: &[#(#fields),*] }))
            }
            None => quote!(None),
        };
        quote!(input::Body { fields: &[#(#fields),*], mask: #mask })
    }
}
