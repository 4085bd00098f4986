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
    #[error("{file}{}: {pointer}: {message}", location(*line, None))]
    Invalid {
        /// The document (or `merged document`).
        file: String,
        /// 1-based line of the node, when it could be found.
        line: Option<usize>,
        /// JSON pointer of the offending node.
        pointer: String,
        /// What is wrong.
        message: String,
    },
    /// Two documents disagree on something that cannot be reconciled.
    #[error("{first}{} and {second}{} disagree at {pointer}: {message}", location(lines.0.map(|l| l as usize), None), location(lines.1.map(|l| l as usize), None))]
    Conflict {
        /// JSON pointer of the first differing node.
        pointer: String,
        /// The first document (in file-name order).
        first: String,
        /// The document that differs from it.
        second: String,
        /// The node's line in each, when it could be found.
        lines: (Option<u32>, Option<u32>),
        /// How they differ.
        message: String,
    },
    /// The merged API uses a construct the model cannot represent.
    #[error("{}{pointer}: {message}", source_location(file, *line))]
    Model {
        /// The document that holds the node, when it could be found.
        file: Option<String>,
        /// 1-based line of the node there.
        line: Option<usize>,
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
    /// Several independent problems, each on its own line.
    #[error("{}", list(.0))]
    Many(Vec<Error>),
}

fn list(errors: &[Error]) -> String {
    errors
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join("\n")
}

fn source_location(file: &Option<String>, line: Option<usize>) -> String {
    match file {
        Some(file) => format!("{file}{}: ", location(line, None)),
        None => String::new(),
    }
}

impl Error {
    /// One error for a list of them: the error itself when there is one.
    pub fn from_many(mut errors: Vec<Error>) -> Self {
        if errors.len() == 1 {
            errors.remove(0)
        } else {
            Error::Many(errors)
        }
    }

    /// The errors this one stands for.
    pub fn into_list(self) -> Vec<Error> {
        match self {
            Error::Many(errors) => errors,
            other => vec![other],
        }
    }
}

/// Collects the errors of fallible steps, to report them all at once.
pub(crate) fn all<T>(results: impl IntoIterator<Item = Result<T>>) -> Result<Vec<T>> {
    let mut values = Vec::new();
    let mut errors = Vec::new();
    for result in results {
        match result {
            Ok(value) => values.push(value),
            Err(e) => errors.extend(e.into_list()),
        }
    }
    if errors.is_empty() {
        Ok(values)
    } else {
        Err(Error::from_many(errors))
    }
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

    /// A pointer written as text (`/paths/~1a/get`); `""` and `"/"` are the root.
    pub fn parse(text: &str) -> Self {
        Pointer(if text == "/" {
            String::new()
        } else {
            text.to_string()
        })
    }

    /// The reference tokens, unescaped (`/paths/~1a/get` -> `["paths", "/a", "get"]`).
    pub fn tokens(&self) -> Vec<String> {
        self.0
            .split('/')
            .skip(1)
            .map(|t| t.replace("~1", "/").replace("~0", "~"))
            .collect()
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
