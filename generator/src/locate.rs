//! Where a JSON pointer is in a YAML (or JSON) text: the line of the node,
//! for messages about documents that parsed but are wrong.
//!
//! A [`LineIndex`] reads the text once and records the line of every node,
//! so that locating any number of problems costs one pass over the file.

use std::collections::HashMap;

use yaml_rust2::parser::{Event, Parser};

/// The line of every node of one text, by JSON pointer.
#[derive(Debug, Default)]
pub struct LineIndex {
    lines: HashMap<String, usize>,
}

impl LineIndex {
    /// Reads `text` once (up to a syntax error, if any).
    pub fn new(text: &str) -> Self {
        let mut lines = HashMap::new();
        let mut parser = Parser::new_from_str(text);
        // The path to the node being read: per open container, its pointer
        // and the key or index of the child being read.
        let mut path: Vec<(String, Step)> = Vec::new();
        while let Ok((event, mark)) = parser.next_token() {
            // A scalar where a mapping expects a key is the key, not a node.
            if let (Event::Scalar(key, ..), Some((_, Step::Key(slot @ None)))) =
                (&event, path.last_mut())
            {
                *slot = Some((escape(key), mark.line()));
                continue;
            }
            let starts_node = matches!(
                event,
                Event::Scalar(..)
                    | Event::SequenceStart(..)
                    | Event::MappingStart(..)
                    | Event::Alias(_)
            );
            let here = match path.last() {
                None => String::new(),
                Some((parent, Step::Key(Some((key, _))))) => format!("{parent}/{key}"),
                Some((parent, Step::Index(i))) => format!("{parent}/{i}"),
                Some((parent, Step::Key(None))) => parent.clone(),
            };
            if starts_node {
                // A mapping value is shown at its key's line.
                let line = match path.last() {
                    Some((_, Step::Key(Some((_, line))))) => *line,
                    _ => mark.line(),
                };
                lines.entry(here.clone()).or_insert(line);
            }
            match event {
                Event::MappingStart(..) => path.push((here, Step::Key(None))),
                Event::SequenceStart(..) => path.push((here, Step::Index(0))),
                Event::MappingEnd | Event::SequenceEnd => {
                    path.pop();
                    finish_value(&mut path);
                }
                Event::Scalar(..) | Event::Alias(_) => finish_value(&mut path),
                Event::StreamEnd => break,
                _ => {}
            }
        }
        LineIndex { lines }
    }

    /// The 1-based line of the node at `pointer`, or of the deepest node on
    /// the way to it that exists (the normalized document a pointer comes
    /// from may have moved a node below it).
    pub fn line_of(&self, pointer: &str) -> Option<usize> {
        let mut prefix = if pointer == "/" { "" } else { pointer };
        loop {
            if let Some(line) = self.lines.get(prefix) {
                return Some(*line);
            }
            prefix = &prefix[..prefix.rfind('/')?];
        }
    }
}

/// A key as a JSON pointer reference token.
fn escape(key: &str) -> String {
    key.replace('~', "~0").replace('/', "~1")
}

/// One level of the path to the current node.
enum Step {
    /// In a mapping: the key whose value is being read (escaped), and its line, once known.
    Key(Option<(String, usize)>),
    /// In a sequence: the index of the item being read.
    Index(usize),
}

/// A value ended: the enclosing mapping expects a key, the sequence its next item.
fn finish_value(path: &mut [(String, Step)]) {
    match path.last_mut() {
        Some((_, Step::Key(key))) => *key = None,
        Some((_, Step::Index(i))) => *i += 1,
        None => {}
    }
}

#[cfg(test)]
mod tests {
    use super::LineIndex;

    fn line_of(text: &str, pointer: &str) -> Option<usize> {
        LineIndex::new(text).line_of(pointer)
    }

    const DOC: &str = "\
openapi: 3.1.0
paths:
  /a/{id}:
    get:
      parameters:
        - name: id
          in: path
        - name: q
          in: query
components:
  schemas:
    A:
      type: object
      properties:
        x: {type: string}
";

    #[test]
    fn finds_mapping_values_and_sequence_items() {
        assert_eq!(line_of(DOC, "/openapi"), Some(1));
        assert_eq!(line_of(DOC, "/paths/~1a~1{id}/get"), Some(4));
        assert_eq!(
            line_of(DOC, "/paths/~1a~1{id}/get/parameters/1/in"),
            Some(9)
        );
        assert_eq!(
            line_of(DOC, "/components/schemas/A/properties/x/type"),
            Some(15)
        );
    }

    #[test]
    fn falls_back_to_the_deepest_node_that_exists() {
        assert_eq!(line_of(DOC, "/components/schemas/A/nullable"), Some(12));
        assert_eq!(line_of(DOC, "/components/schemas/B"), Some(11));
    }

    #[test]
    fn keys_with_slashes_and_tildes_are_escaped() {
        let text = "paths:\n  /a~b/{id}:\n    get: {}\n";
        assert_eq!(line_of(text, "/paths/~1a~0b~1{id}/get"), Some(3));
        assert_eq!(line_of(text, "/"), Some(1));
    }

    #[test]
    fn reads_json_too() {
        let json = "{\n  \"a\": {\n    \"b\": [1,\n      2]\n  }\n}";
        assert_eq!(line_of(json, "/a/b/1"), Some(4));
        assert_eq!(
            line_of("a: 1\nb: [valid", "/b/0"),
            Some(2),
            "up to a syntax error"
        );
    }
}
