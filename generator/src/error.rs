//! The generator's error type: every variant says what went wrong and where.

use std::path::PathBuf;

/// Everything that can stop the generator.
///
/// Messages name the file, the JSON pointer of the offending node and, where
/// the YAML parser reports it, the line and column.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A file or directory could not be read or written.
    #[error("{}: {source}", path.display())]
    Io {
        /// The file or directory.
        path: PathBuf,
        /// The underlying error.
        source: std::io::Error,
    },
    /// The spec directory holds no OpenAPI documents.
    #[error("{}: no OpenAPI documents (*.yaml, *.yml, *.json) found", dir.display())]
    NoDocuments {
        /// The directory that was searched.
        dir: PathBuf,
    },
    /// A document is not valid YAML or JSON.
    #[error("{file}{}: {message}", location(*line, *column))]
    Syntax {
        /// The document.
        file: String,
        /// 1-based line, when known.
        line: Option<usize>,
        /// 1-based column, when known.
        column: Option<usize>,
        /// What the parser said.
        message: String,
    },
    /// A document parses but is not an OpenAPI document the generator can use.
    #[error("{file}: {pointer}: {message}")]
    Invalid {
        /// The document (or `merged document`).
        file: String,
        /// JSON pointer of the offending node.
        pointer: String,
        /// What is wrong.
        message: String,
    },
    /// Two documents disagree on something that cannot be reconciled.
    #[error("{first} and {second} disagree at {pointer}: {message}")]
    Conflict {
        /// JSON pointer of the first differing node.
        pointer: String,
        /// The first document (in file-name order).
        first: String,
        /// The document that differs from it.
        second: String,
        /// How they differ.
        message: String,
    },
    /// The merged API uses a construct the model cannot represent.
    #[error("{pointer}: {message}")]
    Model {
        /// JSON pointer into the merged document.
        pointer: String,
        /// What is wrong.
        message: String,
    },
    /// The emitted tokens did not form valid Rust (a generator bug).
    #[error("internal error: emitted code for {file} does not parse: {message}")]
    Emit {
        /// The generated file.
        file: String,
        /// What `syn` said.
        message: String,
    },
}

fn location(line: Option<usize>, column: Option<usize>) -> String {
    match (line, column) {
        (Some(l), Some(c)) => format!(":{l}:{c}"),
        (Some(l), None) => format!(":{l}"),
        _ => String::new(),
    }
}

/// Shorthand for results in this crate.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Builds RFC 6901 JSON pointers while walking a document.
#[derive(Debug, Clone, Default)]
pub struct Pointer(String);

impl Pointer {
    /// The pointer to the document root.
    pub fn root() -> Self {
        Pointer(String::new())
    }

    /// Returns this pointer extended by one reference token, escaped.
    pub fn push(&self, token: &str) -> Self {
        let escaped = token.replace('~', "~0").replace('/', "~1");
        Pointer(format!("{}/{}", self.0, escaped))
    }

    /// Returns this pointer extended by an array index.
    pub fn index(&self, i: usize) -> Self {
        Pointer(format!("{}/{}", self.0, i))
    }

    /// The pointer as text (`""` for the root, shown as `/`).
    pub fn as_str(&self) -> &str {
        if self.0.is_empty() {
            "/"
        } else {
            &self.0
        }
    }
}

impl std::fmt::Display for Pointer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pointer_escapes_slash_and_tilde() {
        let p = Pointer::root()
            .push("paths")
            .push("/a/{id}")
            .push("x~y")
            .index(2);
        assert_eq!(p.as_str(), "/paths/~1a~1{id}/x~0y/2");
        assert_eq!(Pointer::root().as_str(), "/");
    }

    #[test]
    fn syntax_error_shows_line_and_column() {
        let e = Error::Syntax {
            file: "spec/a.yaml".into(),
            line: Some(3),
            column: Some(7),
            message: "bad".into(),
        };
        assert_eq!(e.to_string(), "spec/a.yaml:3:7: bad");
    }
}
