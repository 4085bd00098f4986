//! `cargo xtask vendor`: copy OpenAPI documents into the spec directory.
//!
//! Two kinds of input:
//!
//! - an OpenAPI document (`*.yaml`, `*.yml`, `*.json` with an `openapi`
//!   version): copied byte for byte as `spec/<title>.openapi.<ext>`, named
//!   after its `info.title`, so that vendoring a newer version of the same
//!   API replaces the older one;
//! - a documentation page: it must hold exactly one fenced code block whose
//!   info string starts with `yaml` (or `yml`); that block is written byte
//!   for byte as `spec/<group>.<operation>.yaml`, named from the one
//!   operation it describes.
//!
//! Every input is checked before anything is written. `spec/README.md`
//! keeps an index of what was vendored: each file, its source and its sha256.

use std::path::{Path, PathBuf};

use anyhow::{bail, Context};
use heck::ToSnakeCase;
use pulldown_cmark::{CodeBlockKind, Event, Parser, Tag, TagEnd};
use sha2::{Digest, Sha256};

/// One file to write into the spec directory.
struct Vendored {
    /// Where it is read from, as given.
    source: PathBuf,
    /// Where it comes from, for the index: its public source where one is
    /// given, else the path as given.
    origin: String,
    /// Its file name in the spec directory.
    name: String,
    /// Its bytes.
    bytes: Vec<u8>,
}

/// Vendors every input into `spec`, or nothing if any is refused.
/// `origins` are the inputs' public sources, one per input, or none.
pub fn run(spec: &Path, inputs: &[PathBuf], origins: &[String]) -> anyhow::Result<()> {
    if !origins.is_empty() && origins.len() != inputs.len() {
        bail!(
            "{} --from for {} inputs: give one per input, in order, or none",
            origins.len(),
            inputs.len()
        );
    }
    let mut outputs: Vec<Vendored> = Vec::new();
    for (i, input) in inputs.iter().enumerate() {
        let mut vendored = read(input).with_context(|| format!("{}", input.display()))?;
        if let Some(origin) = origins.get(i) {
            vendored.origin = origin.clone();
        }
        if let Some(other) = outputs.iter().find(|o| o.name == vendored.name) {
            bail!(
                "{} and {} would both be {}",
                other.source.display(),
                input.display(),
                spec.join(&vendored.name).display()
            );
        }
        outputs.push(vendored);
    }
    std::fs::create_dir_all(spec).with_context(|| format!("cannot create {}", spec.display()))?;
    for out in &outputs {
        let path = spec.join(&out.name);
        std::fs::write(&path, &out.bytes)
            .with_context(|| format!("cannot write {}", path.display()))?;
        eprintln!("{} -> {}", out.source.display(), path.display());
    }
    let readme = spec.join("README.md");
    let text = std::fs::read_to_string(&readme).unwrap_or_default();
    std::fs::write(&readme, index(&text, &outputs))
        .with_context(|| format!("cannot write {}", readme.display()))?;
    Ok(())
}

/// Reads one input: a whole OpenAPI document, or a page that embeds one.
fn read(input: &Path) -> anyhow::Result<Vendored> {
    let bytes = std::fs::read(input).context("cannot read it")?;
    let text = std::str::from_utf8(&bytes).context("not UTF-8")?;
    let extension = input.extension().and_then(|e| e.to_str()).unwrap_or("");
    let (name, bytes) = if matches!(extension, "yaml" | "yml" | "json") {
        (document_name(text, extension)?, bytes)
    } else {
        let (name, yaml) = extract(text)?;
        (name, yaml.into_bytes())
    };
    Ok(Vendored {
        source: input.to_path_buf(),
        origin: input.display().to_string().replace('\\', "/"),
        name,
        bytes,
    })
}

/// `<title>.openapi.<ext>` for a whole document, from its `info.title`.
fn document_name(text: &str, extension: &str) -> anyhow::Result<String> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let value: serde_yaml::Value = serde_yaml::from_str(text).context("not valid YAML or JSON")?;
    if value.get("openapi").and_then(|v| v.as_str()).is_none() {
        bail!("not an OpenAPI document (no `openapi` version)");
    }
    let title = value
        .get("info")
        .and_then(|i| i.get("title"))
        .and_then(|t| t.as_str())
        .context("the document has no `info.title` to name it by")?;
    let extension = if extension == "json" { "json" } else { "yaml" };
    Ok(format!("{}.openapi.{extension}", title.to_snake_case()))
}

const INDEX_START: &str = "<!-- vendored: start (cargo xtask vendor keeps this table) -->";
const INDEX_END: &str = "<!-- vendored: end -->";

/// `readme` with its index of vendored files updated for `outputs`: one row
/// per file (name, source, sha256), sorted by name.
fn index(readme: &str, outputs: &[Vendored]) -> String {
    let (before, rows, after) = match (readme.find(INDEX_START), readme.find(INDEX_END)) {
        (Some(start), Some(end)) if start < end => (
            &readme[..start],
            &readme[start + INDEX_START.len()..end],
            &readme[end + INDEX_END.len()..],
        ),
        _ => (readme, "", "\n"),
    };
    let file_of = |row: &str| {
        row.split('|')
            .nth(1)
            .map(|c| c.trim().trim_matches('`').to_string())
    };
    let mut table: Vec<(String, String)> = rows
        .lines()
        .filter(|l| l.starts_with("| `"))
        .filter_map(|l| Some((file_of(l)?, l.to_string())))
        .filter(|(name, _)| !outputs.iter().any(|o| o.name == *name))
        .collect();
    for out in outputs {
        let source = &out.origin;
        let sha = format!("{:x}", Sha256::digest(&out.bytes));
        table.push((
            out.name.clone(),
            format!("| `{}` | `{source}` | `{sha}` |", out.name),
        ));
    }
    table.sort();
    let mut text = before.to_string();
    if !text.is_empty() && !text.ends_with('\n') {
        text.push('\n');
    }
    text.push_str(INDEX_START);
    text.push_str("\n| file | source | sha256 |\n| --- | --- | --- |\n");
    for (_, row) in table {
        text.push_str(&row);
        text.push('\n');
    }
    text.push_str(INDEX_END);
    text.push_str(after);
    text
}

/// The file name and text of the page's one YAML block.
pub fn extract(page: &str) -> anyhow::Result<(String, String)> {
    let blocks = yaml_blocks(page);
    let yaml = match blocks.as_slice() {
        [] => bail!("no ```yaml block found"),
        [one] => one.clone(),
        more => bail!("{} ```yaml blocks found; expected exactly one", more.len()),
    };
    let value: serde_yaml::Value =
        serde_yaml::from_str(&yaml).context("the ```yaml block is not valid YAML")?;
    Ok((file_name(&value)?, yaml))
}

fn yaml_blocks(page: &str) -> Vec<String> {
    let mut blocks = Vec::new();
    let mut current: Option<String> = None;
    for event in Parser::new(page) {
        match event {
            Event::Start(Tag::CodeBlock(CodeBlockKind::Fenced(info))) => {
                let lang = info.split_whitespace().next().unwrap_or_default();
                if lang == "yaml" || lang == "yml" {
                    current = Some(String::new());
                }
            }
            Event::Text(text) => {
                if let Some(block) = &mut current {
                    block.push_str(&text);
                }
            }
            Event::End(TagEnd::CodeBlock) => blocks.extend(current.take()),
            _ => {}
        }
    }
    blocks
}

/// `<group>.<operation>.yaml` from the document's one operation: its first
/// tag and the last segment of its `operationId`, in snake case.
fn file_name(doc: &serde_yaml::Value) -> anyhow::Result<String> {
    const METHODS: [&str; 8] = [
        "get", "put", "post", "delete", "options", "head", "patch", "trace",
    ];
    let paths = doc
        .get("paths")
        .and_then(|p| p.as_mapping())
        .context("the document has no `paths`")?;
    let ops: Vec<&serde_yaml::Value> = paths
        .values()
        .filter_map(|item| item.as_mapping())
        .flat_map(|item| item.iter())
        .filter(|(k, _)| k.as_str().is_some_and(|m| METHODS.contains(&m)))
        .map(|(_, op)| op)
        .collect();
    let [op] = ops.as_slice() else {
        bail!(
            "the document describes {} operations; expected exactly one",
            ops.len()
        );
    };
    let id = op
        .get("operationId")
        .and_then(|v| v.as_str())
        .context("the operation has no operationId")?;
    let group = op
        .get("x-speakeasy-group")
        .or_else(|| op.get("tags").and_then(|t| t.get(0)))
        .and_then(|v| v.as_str())
        .unwrap_or("default");
    let name = id.rsplit('.').next().unwrap_or(id);
    Ok(format!(
        "{}.{}.yaml",
        group.to_snake_case(),
        name.to_snake_case()
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    const DOC: &str = "openapi: 3.1.0\npaths:\n  /x/{id}:\n    get:\n      tags: [Personal Client]\n      operationId: c1.api.iam.v1.PersonalClientService.Get\n";

    #[test]
    fn extracts_the_block_byte_for_byte_and_names_it_after_the_operation() {
        let page = format!(
            "# Get\n\nText.\n\n````yaml https://example get /x/{{id}}\n{DOC}````\n\nMore text.\n"
        );
        let (name, yaml) = extract(&page).unwrap();
        assert_eq!(name, "personal_client.get.yaml");
        assert_eq!(yaml, DOC);
    }

    #[test]
    fn refuses_a_page_without_a_block() {
        let err = extract("# Nothing here\n\n```json\n{}\n```\n").unwrap_err();
        assert_eq!(err.to_string(), "no ```yaml block found");
    }

    #[test]
    fn refuses_a_page_with_two_blocks() {
        let page = format!("```yaml\n{DOC}```\n\n```yaml\n{DOC}```\n");
        assert_eq!(
            extract(&page).unwrap_err().to_string(),
            "2 ```yaml blocks found; expected exactly one"
        );
    }

    #[test]
    fn refuses_yaml_that_does_not_parse() {
        let err = extract("```yaml\nopenapi: [3.1\n```\n").unwrap_err();
        assert_eq!(err.to_string(), "the ```yaml block is not valid YAML");
    }

    #[test]
    fn refused_pages_write_nothing() {
        let dir = std::env::temp_dir().join(format!("c1-vendor-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        let good = dir.join("good.md");
        let bad = dir.join("bad.md");
        std::fs::write(&good, format!("```yaml\n{DOC}```\n")).unwrap();
        std::fs::write(&bad, "no block").unwrap();
        let spec = dir.join("spec");
        let err = run(&spec, &[good.clone(), bad], &[]).unwrap_err();
        assert!(
            format!("{err:#}").contains("bad.md: no ```yaml block found"),
            "{err:#}"
        );
        assert!(!spec.exists());
        run(&spec, &[good], &[]).unwrap();
        assert_eq!(
            std::fs::read_to_string(spec.join("personal_client.get.yaml")).unwrap(),
            DOC
        );
        std::fs::remove_dir_all(&dir).unwrap();
    }

    const WHOLE: &str =
        "\u{feff}openapi: 3.1.0\r\ninfo: {title: ConductorOne API, version: '1'}\r\npaths: {}\r\n";

    #[test]
    fn a_whole_document_is_copied_byte_for_byte_and_indexed_with_its_sha256() {
        let dir = std::env::temp_dir().join(format!("c1-vendor-doc-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        let source = dir.join("downloaded (1).yaml");
        std::fs::write(&source, WHOLE).unwrap();
        let page = dir.join("page.txt");
        std::fs::write(&page, format!("```yaml\n{DOC}```\n")).unwrap();
        let spec = dir.join("spec");
        std::fs::create_dir_all(&spec).unwrap();
        std::fs::write(spec.join("README.md"), "# spec/\n\nSome text.\n").unwrap();
        run(&spec, &[source.clone(), page], &[]).unwrap();
        let copied = spec.join("conductor_one_api.openapi.yaml");
        assert_eq!(std::fs::read(&copied).unwrap(), WHOLE.as_bytes());
        let readme = std::fs::read_to_string(spec.join("README.md")).unwrap();
        let sha = format!("{:x}", Sha256::digest(WHOLE.as_bytes()));
        assert!(
            readme.starts_with("# spec/\n\nSome text.\n<!-- vendored"),
            "{readme}"
        );
        assert!(
            readme.contains(&format!(
                "| `conductor_one_api.openapi.yaml` | `{}` | `{sha}` |\n",
                source.display()
            )),
            "{readme}"
        );
        assert!(
            readme.contains("| `personal_client.get.yaml` |"),
            "{readme}"
        );
        // A newer version of the same API replaces the file and its row.
        std::fs::write(&source, WHOLE.replace("version: '1'", "version: '2'")).unwrap();
        run(
            &spec,
            &[source],
            &["example/api@0123abc:openapi.yaml".to_string()],
        )
        .unwrap();
        let again = std::fs::read_to_string(spec.join("README.md")).unwrap();
        assert_eq!(
            again.matches("conductor_one_api.openapi.yaml").count(),
            1,
            "{again}"
        );
        assert!(!again.contains(&sha), "{again}");
        assert!(
            again.contains(
                "| `conductor_one_api.openapi.yaml` | `example/api@0123abc:openapi.yaml` |"
            ),
            "the public source given with --from: {again}"
        );
        assert!(
            again.contains("| `personal_client.get.yaml` |"),
            "the other rows stay: {again}"
        );
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn a_yaml_file_that_is_not_openapi_is_refused() {
        let dir = std::env::temp_dir().join(format!("c1-vendor-bad-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        let source = dir.join("x.json");
        std::fs::write(&source, "{\"name\": 1}").unwrap();
        let err = run(&dir.join("spec"), &[source], &[]).unwrap_err();
        assert!(
            format!("{err:#}").ends_with("x.json: not an OpenAPI document (no `openapi` version)"),
            "{err:#}"
        );
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
