//! Where a JSON pointer is in a YAML (or JSON) text: the line of the node,
//! for messages about documents that parsed but are wrong.

use yaml_rust2::parser::{Event, Parser};

/// The 1-based line of the node at `pointer` in `text`, or of the deepest
/// node on the way to it that exists (the normalized document a pointer
/// comes from may have moved a node below it).
pub fn line_of(text: &str, pointer: &str) -> Option<usize> {
    let target: Vec<String> = pointer
        .split('/')
        .skip(1)
        .filter(|t| !t.is_empty())
        .map(|t| t.replace("~1", "/").replace("~0", "~"))
        .collect();
    let mut parser = Parser::new_from_str(text);
    // The path to the node being read: a key or an index per open container.
    let mut path: Vec<Step> = Vec::new();
    let mut best: Option<(usize, usize)> = None; // (depth matched, line)
    loop {
        let Ok((event, mark)) = parser.next_token() else {
            return best.map(|(_, line)| line);
        };
        let starts_node = matches!(
            event,
            Event::Scalar(..)
                | Event::SequenceStart(..)
                | Event::MappingStart(..)
                | Event::Alias(_)
        );
        // A scalar where a mapping expects a key is the key, not a node.
        if let (Event::Scalar(key, ..), Some(Step::Key(slot @ None))) = (&event, path.last_mut()) {
            *slot = Some((key.clone(), mark.line()));
            continue;
        }
        if starts_node {
            let here: Vec<String> = path.iter().filter_map(Step::token).collect();
            if here.len() <= target.len() && here.iter().zip(&target).all(|(a, b)| a == b) {
                // A mapping value is shown at its key's line.
                let line = match path.last() {
                    Some(Step::Key(Some((_, line)))) => *line,
                    _ => mark.line(),
                };
                if best.is_none_or(|(depth, _)| here.len() > depth) {
                    best = Some((here.len(), line));
                }
                if here.len() == target.len() {
                    return best.map(|(_, line)| line);
                }
            }
        }
        match event {
            Event::MappingStart(..) => path.push(Step::Key(None)),
            Event::SequenceStart(..) => path.push(Step::Index(0)),
            Event::MappingEnd | Event::SequenceEnd => {
                path.pop();
                finish_value(&mut path);
            }
            Event::Scalar(..) | Event::Alias(_) => finish_value(&mut path),
            Event::StreamEnd => return best.map(|(_, line)| line),
            _ => {}
        }
    }
}

/// One level of the path to the current node.
enum Step {
    /// In a mapping: the key whose value is being read, and its line, once known.
    Key(Option<(String, usize)>),
    /// In a sequence: the index of the item being read.
    Index(usize),
}

impl Step {
    fn token(&self) -> Option<String> {
        match self {
            Step::Key(key) => key.as_ref().map(|(k, _)| k.clone()),
            Step::Index(i) => Some(i.to_string()),
        }
    }
}

/// A value ended: the enclosing mapping expects a key, the sequence its next item.
fn finish_value(path: &mut [Step]) {
    match path.last_mut() {
        Some(Step::Key(key)) => *key = None,
        Some(Step::Index(i)) => *i += 1,
        None => {}
    }
}

#[cfg(test)]
mod tests {
    use super::line_of;

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
