//! `cargo xtask vendor`: extract the OpenAPI document embedded in a
//! documentation page into the spec directory.
//!
//! Each page must hold exactly one fenced code block whose info string starts
//! with `yaml` (or `yml`). Its text is written byte for byte to
//! `spec/<group>.<operation>.yaml`, named from the one operation it
//! describes. Every page is checked before anything is written.

use std::path::{Path, PathBuf};

use anyhow::{bail, Context};
use heck::ToSnakeCase;
use pulldown_cmark::{CodeBlockKind, Event, Parser, Tag, TagEnd};

/// Vendors every page into `spec`, or nothing if any page is refused.
pub fn run(spec: &Path, pages: &[PathBuf]) -> anyhow::Result<()> {
    let mut outputs = Vec::new();
    for page in pages {
        let text = std::fs::read_to_string(page)
            .with_context(|| format!("cannot read {}", page.display()))?;
        let (name, yaml) = extract(&text).with_context(|| format!("{}", page.display()))?;
        outputs.push((page, spec.join(name), yaml));
    }
    for (i, (_, path, _)) in outputs.iter().enumerate() {
        if let Some((other, ..)) = outputs[..i].iter().find(|(_, p, _)| p == path) {
            bail!(
                "{} and {} describe the same operation ({})",
                other.display(),
                outputs[i].0.display(),
                path.display()
            );
        }
    }
    std::fs::create_dir_all(spec).with_context(|| format!("cannot create {}", spec.display()))?;
    for (page, path, yaml) in outputs {
        std::fs::write(&path, yaml).with_context(|| format!("cannot write {}", path.display()))?;
        eprintln!("{} -> {}", page.display(), path.display());
    }
    Ok(())
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
        let err = run(&spec, &[good.clone(), bad]).unwrap_err();
        assert!(
            format!("{err:#}").contains("bad.md: no ```yaml block found"),
            "{err:#}"
        );
        assert!(!spec.exists());
        run(&spec, &[good]).unwrap();
        assert_eq!(
            std::fs::read_to_string(spec.join("personal_client.get.yaml")).unwrap(),
            DOC
        );
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
