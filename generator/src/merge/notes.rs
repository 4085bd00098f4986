//! What the merge reconciled: a [`Note`] per difference, counted by kind.

/// A difference between documents that the merge reconciled.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Note {
    /// What kind of difference it was.
    pub kind: NoteKind,
    /// Where the documents differed.
    pub pointer: String,
    /// What was reconciled, naming the files.
    pub message: String,
}

impl std::fmt::Display for Note {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.pointer, self.message)
    }
}

/// The kinds of reconciliation, for counting notes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum NoteKind {
    /// A schema nullable in some documents only.
    Nullability,
    /// `readOnly` in some documents only.
    ReadOnly,
    /// `writeOnly` in some documents only.
    WriteOnly,
    /// `deprecated` in some documents only.
    Deprecation,
    /// A property in some documents only.
    Properties,
    /// A property required in some documents only.
    Required,
    /// Enum values in some documents only.
    EnumValues,
    /// A parameter, or its being required, in some documents only.
    Parameters,
    /// A request body, or its being required, in some documents only.
    RequestBodies,
    /// A response or response header in some documents only.
    Responses,
    /// A media type in some documents only.
    MediaTypes,
    /// Operation tags that differ.
    Tags,
    /// Descriptions, titles and summaries that differ.
    Descriptions,
    /// Examples that differ.
    Examples,
    /// `x-` extensions that differ.
    Extensions,
    /// A kind one document writes narrower than another (`integer` beside
    /// `number`, a map's schema beside any value), merged as the wider.
    Widened,
    /// Different schemas referenced at the same place, merged as one type.
    Renames,
    /// Different schemas referenced at the same place by documents that
    /// define both: a changed type, kept as two (a warning).
    ChangedTypes,
    /// Servers that differ.
    Servers,
    /// `info.version` that differs.
    Versions,
    /// An operation (one `operationId`) at different endpoints.
    Endpoints,
    /// Spellings of a name that give the same Rust name (`operationId`,
    /// `x-speakeasy-name-override`, `x-speakeasy-group`).
    Names,
    /// A numeric bound (`minimum`, `maximum`) that differs or is in some
    /// documents only: the tightest is kept.
    Bounds,
}

impl NoteKind {
    /// How a count of these notes is labelled (`280 nullability`).
    pub fn label(self) -> &'static str {
        match self {
            NoteKind::Nullability => "nullability",
            NoteKind::ReadOnly => "read-only",
            NoteKind::WriteOnly => "write-only",
            NoteKind::Deprecation => "deprecations",
            NoteKind::Properties => "properties",
            NoteKind::Required => "required",
            NoteKind::EnumValues => "enum values",
            NoteKind::Parameters => "parameters",
            NoteKind::RequestBodies => "request bodies",
            NoteKind::Responses => "responses",
            NoteKind::MediaTypes => "media types",
            NoteKind::Tags => "tags",
            NoteKind::Descriptions => "descriptions",
            NoteKind::Examples => "examples",
            NoteKind::Extensions => "extensions",
            NoteKind::Widened => "widened types",
            NoteKind::Renames => "renamed schemas",
            NoteKind::ChangedTypes => "changed types",
            NoteKind::Servers => "servers",
            NoteKind::Versions => "versions",
            NoteKind::Names => "names",
            NoteKind::Endpoints => "moved operations",
            NoteKind::Bounds => "bounds",
        }
    }
}

/// One line per kind of note, most frequent first:
/// `312 notes: 280 nullability, 32 descriptions`.
pub fn summarize(notes: &[Note]) -> String {
    let mut counts: Vec<(NoteKind, usize)> = Vec::new();
    for note in notes {
        match counts.iter_mut().find(|(k, _)| *k == note.kind) {
            Some((_, n)) => *n += 1,
            None => counts.push((note.kind, 1)),
        }
    }
    counts.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    let kinds: Vec<String> = counts
        .iter()
        .map(|(kind, n)| format!("{n} {}", kind.label()))
        .collect();
    let noun = if notes.len() == 1 { "note" } else { "notes" };
    format!("{} {noun}: {}", notes.len(), kinds.join(", "))
}
