//! The model's types, and nothing else: what the generator knows about the
//! API once the spec is read. Built by [`super::build`]; the passes fill in
//! what needs the whole model (each such value is a [`Pending`] until then).

/// The whole API, ready to emit.
#[derive(Debug, Clone)]
pub struct Api {
    /// `info.title`.
    pub title: String,
    /// `info.version`.
    pub version: String,
    /// `info.description`.
    pub description: Option<String>,
    /// The servers, in spec order.
    pub servers: Vec<Server>,
    /// The token URL of the first OAuth2 client-credentials security scheme.
    pub token_url: Option<String>,
    /// Every named type, indexed by [`TypeId`].
    pub types: Vec<TypeDef>,
    /// Operation groups, sorted by module name.
    pub groups: Vec<Group>,
    /// Constructs typed less precisely than the spec describes them.
    pub warnings: Vec<Warning>,
    /// The models modules, the features that need them and which types
    /// derive `Default` (the `layout` pass).
    pub layout: Pending<Layout>,
}

/// A value a pass computes from the whole model: `Unknown` until it has run.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum Pending<T> {
    /// The pass that computes it has not run.
    #[default]
    Unknown,
    /// Computed.
    Known(T),
}

/// A construct the generator cannot type precisely and falls back to
/// `serde_json::Value` for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Warning {
    /// The document that holds it, once located.
    pub file: Option<String>,
    /// Its 1-based line there.
    pub line: Option<usize>,
    /// JSON pointer into the merged document.
    pub pointer: String,
    /// What was done.
    pub message: String,
}

/// A server URL template.
#[derive(Debug, Clone)]
pub struct Server {
    /// The URL, with `{variable}` placeholders.
    pub url: String,
    /// What the server is.
    pub description: Option<String>,
    /// The placeholders, in spec order.
    pub variables: Vec<ServerVariable>,
}

/// A placeholder in a server URL.
#[derive(Debug, Clone)]
pub struct ServerVariable {
    /// Its name in the URL.
    pub name: String,
    /// Its default value.
    pub default: String,
    /// What it is.
    pub description: Option<String>,
}

/// Index of a type in [`Api::types`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct TypeId(pub usize);

/// A named type.
#[derive(Debug, Clone)]
pub struct TypeDef {
    /// The Rust name, unique in the crate (every name the model gives is
    /// unique where it must be: the `names` pass).
    pub name: String,
    /// The schema it comes from: a component's key (`c1.api.app.v1.App`), or
    /// the JSON pointer of an inline schema.
    pub schema: String,
    /// Rustdoc, from `description` or `title`.
    pub doc: Option<String>,
    /// The dotted package it belongs to (`c1.api.iam.v1`): its component's
    /// name without the last segment.
    pub package: String,
    /// What it is.
    pub kind: TypeKind,
}

/// The shape of a named type.
#[derive(Debug, Clone)]
pub enum TypeKind {
    /// An object with known properties.
    Struct(Struct),
    /// A string enum; values outside the list decode into an `Unknown` case.
    Enum(Vec<Variant>),
    /// Another name for a type.
    Alias(TypeRef),
    /// A protobuf `Any` that holds one of these message types, chosen by its
    /// `@type` (the `expanded` pass); any other object is kept as it came.
    AnyMessage(Vec<MessageVariant>),
    /// A `oneOf`/`anyOf`: a value of one of several types.
    Union(Union),
}

/// A value of one of several types, told apart by a tag property or, with
/// no tag, by trying each member in turn.
#[derive(Debug, Clone)]
pub struct Union {
    /// The property whose value names the member (`type`): the
    /// discriminator's, or a property every member fixes to its own value.
    /// `None` for an untagged union.
    pub tag: Option<String>,
    /// The members; an untagged union tries them in this order.
    pub variants: Vec<UnionVariant>,
    /// For a tagged union, the Rust name of the variant that keeps a value
    /// with a tag no member has, as it came.
    pub other: Option<String>,
    /// For a request-body variant: the full union it converts from (made by
    /// the `inputs` pass).
    pub input_of: Option<TypeId>,
}

/// One member of a [`Union`].
#[derive(Debug, Clone)]
pub struct UnionVariant {
    /// Rust name of the variant.
    pub name: String,
    /// The member's type.
    pub ty: TypeRef,
    /// How the value is written in JSON, where serde's default is not it.
    pub encoding: Option<Encoding>,
    /// The tag values that select it (empty for an untagged union).
    pub tags: Vec<String>,
    /// Boxed, because the member contains the union (the `boxes` pass).
    pub boxed: Pending<bool>,
    /// Rustdoc.
    pub doc: Option<String>,
}

/// A message type an [`TypeKind::AnyMessage`] may hold.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MessageVariant {
    /// Rust name of the variant: the type's.
    pub name: String,
    /// The message's full name, which ends its `@type` URL
    /// (`c1.api.app.v1.App` in `type.googleapis.com/c1.api.app.v1.App`).
    pub full_name: String,
    /// The type.
    pub ty: TypeId,
}

/// An object type.
#[derive(Debug, Clone, Default)]
pub struct Struct {
    /// Fields in spec order.
    pub fields: Vec<Field>,
    /// For a request-body variant without read-only fields: the full type it
    /// converts from (made by the `inputs` pass).
    pub input_of: Option<TypeId>,
    /// Methods that find the objects its JSONPath fields (`appPath:
    /// "$.expanded[3]"`) point to (the `expanded` pass).
    pub resolvers: Vec<Resolver>,
    /// For an update request with an `updateMask`: how to build one from
    /// two versions of a message (the `masks` pass).
    pub update_mask: Option<UpdateMask>,
}

/// A method of a view that resolves one of its JSONPath fields against the
/// response's `expanded` list: `view.app(&response.expanded)`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Resolver {
    /// The method's Rust name (`app`).
    pub method: String,
    /// The Rust name of the path field (`app_path`).
    pub field: String,
    /// The `expanded` list's item type.
    pub expanded: TypeId,
    /// The message type the path points to, where the spec tells; `None`
    /// gives the list's item as it is.
    pub target: Option<TypeId>,
}

/// What `from_changes(before, after)` of an update request compares and sets.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UpdateMask {
    /// The Rust name of the `updateMask` field.
    pub mask_field: String,
    /// The Rust name of the field that carries the message; `None` when the
    /// request's own fields are the message.
    pub message: Option<String>,
    /// The type `before` and `after` are: the message's full type, or the
    /// request itself.
    pub compared: TypeId,
    /// The compared type's fields that the mask may name, by Rust name and
    /// wire name, in field order.
    pub fields: Vec<(String, String)>,
}

/// A property of an object.
#[derive(Debug, Clone)]
pub struct Field {
    /// Rust name.
    pub name: String,
    /// JSON name.
    pub wire_name: String,
    /// Its type (without the `Option` that optionality adds).
    pub ty: TypeRef,
    /// How its value is written in JSON, where serde's default is not it.
    pub encoding: Option<Encoding>,
    /// Listed in `required`.
    pub required: bool,
    /// May be `null`.
    pub nullable: bool,
    /// `readOnly`: set by the server, never sent.
    pub read_only: bool,
    /// Boxed, because the type contains itself through this field (the
    /// `boxes` pass).
    pub boxed: Pending<bool>,
    /// `deprecated: true`.
    pub deprecated: bool,
    /// The whole numbers it takes, where the document bounds them.
    pub range: Range,
    /// Rustdoc.
    pub doc: Option<String>,
}

/// The whole numbers an integer field or parameter takes, as the document
/// (or its overlay) bounds them: page sizes' `0 <= pageSize <= 100`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Range {
    /// `minimum`.
    pub min: Option<i64>,
    /// `maximum`.
    pub max: Option<i64>,
    /// The least page a server serves (`x-c1-page-size.least`): it answers
    /// a smaller page size with pages this long.
    pub least: Option<i64>,
}

/// A protobuf JSON encoding ([`ScalarInfo::wire_format`]) applied to a value,
/// or to each item of an array or value of a map.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Encoding {
    /// The value itself.
    Scalar(&'static str),
    /// Each item of an array.
    Seq(&'static str),
    /// Each value of a map.
    Map(&'static str),
}

/// A value of a string enum.
#[derive(Debug, Clone)]
pub struct Variant {
    /// Rust name.
    pub name: String,
    /// JSON value.
    pub wire_name: String,
}

/// A reference to a type.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TypeRef {
    /// A value with no name of its own (see [`Scalar`]).
    Scalar(Scalar),
    /// A JSON array.
    Vec(Box<TypeRef>),
    /// A JSON object with values of one type.
    Map(Box<TypeRef>),
    /// A named type.
    Named(TypeId),
}

/// The types that need no definition; what each is in Rust and on the wire
/// is in one table, [`Scalar::info`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Scalar {
    /// `bool`.
    Bool,
    /// `i32`.
    I32,
    /// `i64`, a JSON number.
    I64,
    /// `u32`.
    U32,
    /// `u64`, a JSON number.
    U64,
    /// `f32`.
    F32,
    /// `f64`.
    F64,
    /// `String`.
    String,
    /// An RFC 3339 timestamp.
    DateTime,
    /// A 64-bit integer carried as a JSON string (protobuf `int64`).
    I64Str,
    /// An unsigned 64-bit integer carried as a JSON string (protobuf `uint64`).
    U64Str,
    /// A protobuf duration, `"3.5s"`.
    Duration,
    /// Bytes, base64 in JSON.
    Bytes,
    /// A file (`format: binary`): bytes with a file name and content type;
    /// a file part of a multipart body, base64 in JSON.
    File,
    /// Any JSON value.
    Any,
    /// Any JSON object.
    Object,
    /// A protobuf `Any`: a JSON object whose `@type` names its message type.
    AnyMessage,
}

/// What the table says about a [`Scalar`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ScalarInfo {
    /// The Rust type, by path (`time::OffsetDateTime`).
    pub rust: &'static str,
    /// The `crate::wire` format that encodes it, where serde's default
    /// encoding is not the API's.
    pub wire_format: Option<&'static str>,
    /// Whether the Rust type implements `Default`.
    pub default: bool,
    /// Whether it can be written as one path segment or header value (query
    /// parameters take every scalar).
    pub in_path: bool,
}

/// The operations that share a group (`x-speakeasy-group`, or the first tag).
#[derive(Debug, Clone)]
pub struct Group {
    /// The group as the spec names it.
    pub tag: String,
    /// Rust module and accessor name (`personal_client`).
    pub module: String,
    /// Rust name of the handle type (`PersonalClientApi`).
    pub type_name: String,
    /// Rust name of the mock server's expectations type (`PersonalClientMock`).
    pub mock_type: String,
    /// Rustdoc, from the tag's description.
    pub doc: Option<String>,
    /// Operations, sorted by name.
    pub operations: Vec<Operation>,
}

/// One API operation.
#[derive(Debug, Clone)]
pub struct Operation {
    /// Rust method name.
    pub name: String,
    /// Rust name of its parameters type, in its group's module (`List`):
    /// its method's name in PascalCase, unless taken (the `names` pass).
    pub params_type: String,
    /// `operationId`.
    pub operation_id: Option<String>,
    /// The operation's name in the spec: `x-speakeasy-name-override`, or the
    /// last segment of `operationId` (`GetFunctionSecretEncryptionKey`).
    pub spec_name: String,
    /// HTTP method, lower case.
    pub method: String,
    /// The path template (without a fragment or fixed query its key in the
    /// spec may have).
    pub path: String,
    /// The path split into segments.
    pub segments: Vec<Segment>,
    /// Query pairs the spec's path key fixes (`/responses?beta=true`).
    pub fixed_query: Vec<(String, String)>,
    /// Every parameter: path parameters in template order, then query and
    /// header parameters in spec order.
    pub params: Vec<Param>,
    /// The request body.
    pub body: Option<Body>,
    /// The success response's type, `None` for no content.
    pub response: Option<TypeRef>,
    /// How the success response is read (JSON for no content).
    pub response_media: Media,
    /// Rustdoc: summary and description.
    pub doc: Option<String>,
    /// `deprecated: true`.
    pub deprecated: bool,
    /// What it does: read, write or destroy, and whether it is idempotent,
    /// uses something up or answers a secret (the overlay's `x-c1-effect`).
    /// Decides what is retried and what an agent may call.
    pub effect: Effect,
    /// How to ask for the next page, for operations whose response has a
    /// `nextPageToken` (the `pagination` pass; `None` when it does not page).
    pub pagination: Pending<Option<Pagination>>,
    /// The method's arguments and result (the `signatures` pass).
    pub signature: Pending<Signature>,
}

/// What an operation does, as the spec's effects table (`x-c1-effect`, in
/// the overlay) says after review; never guessed from its name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Effect {
    /// Read, write or destructive.
    pub kind: EffectKind,
    /// Sending it twice does what sending it once does (every read is).
    pub idempotent: bool,
    /// Each call uses something up (a secret's view): never retried.
    pub consumes: bool,
    /// Its answer carries a secret (a client secret, a secret's content).
    pub sensitive: bool,
    /// Whether the table lists it: one it does not is assumed a write that
    /// is neither idempotent nor retried after it may have been acted on.
    pub reviewed: bool,
}

/// Whether an operation changes anything, and how much.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum EffectKind {
    /// Changes nothing.
    Read,
    /// Creates or changes something.
    Write,
    /// Deletes, revokes, ends or replaces something.
    Destructive,
}

/// Which failures a call is tried again after (the runtime's `Retries`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Retries {
    /// Every failure worth another try.
    Idempotent,
    /// Only those that say the request was not acted on.
    Unsent,
    /// None.
    Never,
}

/// How a paginated operation takes the token of the page it wants.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pagination {
    /// Where the token goes.
    pub token: PageToken,
    /// The Rust name of the response's `nextPageToken` field.
    pub next_field: String,
    /// The response's list of items: the array field `list`, or else its
    /// only array field other than `expanded` (`None` when there is none).
    pub items: Option<Items>,
}

/// The field of a page that lists its items.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Items {
    /// The field's Rust name.
    pub field: String,
    /// The type of one item.
    pub item: TypeRef,
}

/// Where a paginated operation takes its page token.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PageToken {
    /// The query parameter at this index of [`Operation::params`] (`page_token`).
    Query(usize),
    /// The request body field with this Rust name (`page_token`, sent as `pageToken`).
    Body(String),
}

/// One segment of a path template.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Segment {
    /// Literal text.
    Literal(String),
    /// The parameter at this index of [`Operation::params`].
    Param(usize),
    /// Text and parameters in one segment (`{sid}.json`): its pieces, each a
    /// `Literal` or a `Param`.
    Mixed(Vec<Segment>),
}

/// An operation's parameter.
#[derive(Debug, Clone)]
pub struct Param {
    /// Rust name.
    pub name: String,
    /// Name on the wire: the query key or header name.
    pub wire_name: String,
    /// Where it goes.
    pub location: Location,
    /// Its type.
    pub ty: TypeRef,
    /// Whether it must be given.
    pub required: bool,
    /// The whole numbers it takes, where the document bounds them.
    pub range: Range,
    /// Rustdoc.
    pub doc: Option<String>,
}

/// Where a parameter goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Location {
    /// A segment of the path.
    Path,
    /// The query string.
    Query,
    /// A request header.
    Header,
    /// A cookie, sent in the `Cookie` header.
    Cookie,
}

/// A request body.
#[derive(Debug, Clone)]
pub struct Body {
    /// The Rust name of the argument and field that carry it (`body`).
    pub name: String,
    /// Its type.
    pub ty: TypeRef,
    /// How it is sent.
    pub media: Media,
    /// The body is an object with no fields: the caller passes nothing and
    /// `{}` is sent (the `inputs` pass, which drops read-only fields).
    pub implicit_empty: Pending<bool>,
}

/// How a body is written or read: of the content types an operation offers,
/// JSON first, else the first (every media type is one of these; a form or
/// multipart answer is read as `Binary`, a wildcard body sent as
/// `application/octet-stream`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Media {
    /// JSON under this media type (`application/json`, `application/merge-patch+json`).
    Json(String),
    /// `application/x-www-form-urlencoded`: an object's fields as form pairs.
    Form,
    /// `multipart/form-data`: an object's fields as parts, files
    /// ([`Scalar::File`]) as file parts.
    Multipart,
    /// Text of this media type (`text/plain`, `application/xml`).
    Text(String),
    /// Bytes of this media type (`application/octet-stream`, `image/png`, `*/*`).
    Binary(String),
}

/// An operation as a user calls it: `client.group().op(args)`, then
/// setters, then `.await`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Signature {
    /// The method's arguments after `&self`: the required parameters (path
    /// parameters first), then the body.
    pub args: Vec<Arg>,
    /// The call's setters: one per optional parameter.
    pub setters: Vec<Arg>,
    /// The type of the `Ok` value of `.await`.
    pub returns: RustType,
}

/// One argument of an operation's method, or one setter of its call.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Arg {
    /// Its Rust name (possibly raw, `r#type`), also the name of the field
    /// that keeps it.
    pub name: String,
    /// The type the method or setter takes (`impl Into<String>`).
    pub ty: RustType,
    /// The type the operation's parameters keep it as (`String`; a setter's
    /// is kept in an `Option` of it).
    pub stored: RustType,
    /// What it carries.
    pub source: ArgSource,
}

/// What an argument carries.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ArgSource {
    /// The parameter at this index of [`Operation::params`].
    Param(usize),
    /// The request body.
    Body,
}

/// A Rust type as the generated code spells it: the one description that
/// the emitted code and the change report both render.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RustType {
    /// A scalar's type.
    Scalar(Scalar),
    /// A model type, by name.
    Named(String),
    /// `Vec<T>`.
    Vec(Box<RustType>),
    /// `BTreeMap<String, T>`.
    Map(Box<RustType>),
    /// `Option<T>`.
    Option(Box<RustType>),
    /// `Box<T>`.
    Box(Box<RustType>),
    /// `impl Into<T>`.
    Into(Box<RustType>),
    /// `()`.
    Unit,
}

/// Where the models go: modules, the features that need them, and which
/// types derive `Default`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Layout {
    /// The models modules, sorted by name.
    pub modules: Vec<ModelModule>,
    /// The index in [`Layout::modules`] of each type's module, by [`TypeId`].
    pub module_of: Vec<usize>,
    /// Whether each type derives `Default`, by [`TypeId`].
    pub default: Vec<bool>,
}

/// One models module: the types of one protobuf package.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ModelModule {
    /// The module's name (`iam_v1`).
    pub name: String,
    /// The package its types come from (`c1.api.iam.v1`).
    pub package: String,
    /// Its types, sorted by name.
    pub types: Vec<TypeId>,
    /// The operation groups (cargo features) that need it.
    pub features: Features,
    /// Whether its types refer to types of other modules.
    pub uses_others: bool,
}

/// Which cargo features build a models module.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Features {
    /// Every group needs it: always built.
    Always,
    /// Built when one of these groups (by module name) is.
    Groups(Vec<String>),
    /// No operation needs it: built with the `full` feature only.
    FullOnly,
}
