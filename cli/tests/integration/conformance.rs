//! Every command's `--dry-run` request conforms to the document: each
//! command of `c1`, in three seeded rounds, is run with every parameter
//! (positional arguments and flags) and a `--body` holding every property it
//! may send, generated from the document's schemas; the request it prints
//! is validated against the document as the client's own requests are
//! (`conformance/tests/requests.rs`), and compared with what was given.

// Generated, and formatted by the generator: rustfmt leaves it as it is.
#[rustfmt::skip]
#[path = "../../src/generated/conformance.rs"]
mod table;

use std::sync::Mutex;

use c1_conformance::compare::{Given, sent_as_given};
use c1_conformance::generate::{Generator, Mode};
use c1_conformance::validate::{Request, Schemas};
use c1_conformance::{Document, Failures, Operation, Problem, ROUNDS};
use serde_json::Value;

use table::{COMMANDS, Command};

/// The server the commands are pointed at (nothing is sent).
const SERVER: &str = "https://acme.conductor.one";

/// The arguments of one run: flags as `--flag=value`, the body, then the
/// positional arguments after `--` (so that no value reads as a flag); and
/// what was given, by place and name, to compare with what was sent.
fn arguments(
    generator: &mut Generator<'_>,
    command: &Command,
    op: &Operation,
) -> (Vec<String>, Given) {
    let mut flags = Vec::new();
    let mut positional = Vec::new();
    let mut given = Vec::new();
    for param in command.params {
        let Some(doc_param) = op
            .params
            .iter()
            .find(|p| p.location == param.location && p.name == param.name)
        else {
            continue;
        };
        let text = generator.text(&doc_param.schema);
        given.push((
            param.location.to_string(),
            param.name.to_string(),
            text.clone(),
        ));
        match param.flag {
            Some(flag) => flags.push(format!("--{flag}={text}")),
            None => positional.push(text),
        }
    }
    let body = match (&op.body, command.body) {
        (Some(schema), true) => {
            let body = generator.value(schema);
            flags.push(format!("--body={body}"));
            Some(body)
        }
        _ => None,
    };
    let mut args: Vec<String> = command.words.iter().map(|w| w.to_string()).collect();
    args.extend(flags);
    args.push("--dry-run".into());
    args.push("--".into());
    args.extend(positional);
    let given = Given {
        params: given,
        body,
    };
    (args, given)
}

/// Runs `c1 args` signed in with a token, with nothing else from the
/// environment.
fn run(args: &[String], home: &std::path::Path) -> std::process::Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_c1"))
        .args(args)
        .env_clear()
        .env("HOME", home)
        .env("CONDUCTORONE_ACCESS_TOKEN", "conformance")
        .env("CONDUCTORONE_SERVER_URL", SERVER)
        .output()
        .expect("c1 runs")
}

/// The problems of one command in one round.
fn check(
    doc: &Document,
    operations: &[Operation],
    schemas: &Mutex<Schemas>,
    command: &Command,
    seed: u64,
    home: &std::path::Path,
) -> Vec<Problem> {
    let problem = |message: String| {
        vec![Problem {
            pointer: String::new(),
            message,
        }]
    };
    let Some(op) = operations.iter().find(|op| op.id == command.operation) else {
        return problem("the document has no such operation".into());
    };
    let mut generator = Generator::new(doc, Mode::Request, seed);
    if seed < 10_000 {
        // The first round: every list empty, required ones still sent.
        generator = generator.with_empty_lists();
    }
    let (args, given) = arguments(&mut generator, command, op);
    let output = run(&args, home);
    if !output.status.success() {
        let stderr = String::from_utf8_lossy(&output.stderr);
        return problem(format!("`c1 {}` failed: {stderr}", args.join(" ")));
    }
    let Ok(shown) = serde_json::from_slice::<Value>(&output.stdout) else {
        return problem("the dry run printed no JSON".into());
    };
    let url = match c1_conformance::url::Url::parse(shown["url"].as_str().unwrap_or_default()) {
        Ok(url) => url,
        Err(e) => return problem(format!("the URL: {e}")),
    };
    let headers = shown["headers"]
        .as_object()
        .into_iter()
        .flatten()
        .map(|(k, v)| (k.clone(), v.as_str().unwrap_or_default().to_string()))
        .collect();
    let request = Request {
        method: shown["method"].as_str().unwrap_or_default().to_string(),
        url,
        headers,
        body: Some(shown["body"].clone()).filter(|b| !b.is_null()),
    };
    let base = c1_conformance::url::Url::parse(SERVER).expect("a URL");
    let mut problems = schemas
        .lock()
        .expect("the validators")
        .check_request(op, &base, &request)
        .unwrap_or_else(|e| panic!("{}: {e}", op.id));
    problems.extend(sent_as_given(doc, op, &base, &request, &given));
    problems
}

#[test]
fn every_commands_dry_run_conforms_to_the_document() {
    let doc = Document::whole_api().unwrap_or_else(|e| panic!("{e}"));
    let schemas = Mutex::new(Schemas::new(&doc).expect("the document's schemas compile"));
    let operations = doc.operations();
    assert_eq!(COMMANDS.len(), 312, "a command per operation");
    let home = std::env::temp_dir().join(format!("c1-conformance-{}", std::process::id()));
    std::fs::create_dir_all(&home).expect("a home directory");
    let jobs: Vec<(u64, &Command)> = (0..ROUNDS)
        .flat_map(|round| {
            COMMANDS
                .iter()
                .enumerate()
                .map(move |(i, c)| (round * 10_000 + i as u64, c))
        })
        .collect();
    let next = std::sync::atomic::AtomicUsize::new(0);
    let failures = Mutex::new(Failures::default());
    let threads = std::thread::available_parallelism()
        .map_or(2, |n| n.get())
        .clamp(2, 8);
    std::thread::scope(|scope| {
        for _ in 0..threads {
            scope.spawn(|| {
                while let Some((seed, command)) =
                    jobs.get(next.fetch_add(1, std::sync::atomic::Ordering::Relaxed))
                {
                    for problem in check(&doc, &operations, &schemas, command, *seed, &home) {
                        let what = format!("c1 {}", command.words.join(" "));
                        failures
                            .lock()
                            .expect("the failures")
                            .add(&what, *seed, problem);
                    }
                }
            });
        }
    });
    let _ = std::fs::remove_dir_all(&home);
    failures
        .into_inner()
        .expect("the failures")
        .assert_none("dry runs");
}
