//! What a server lets an agent do (`c1 mcp serve --allow LEVEL
//! --allow-secrets`): a level, each with the ones before, and apart from
//! it whether answers may carry secrets.

use clap::parser::ValueSource;
use clap::{Arg, ArgAction, ArgMatches};

use super::catalog::Entry;

/// What an agent may do (`c1 mcp serve --allow`), each level with the ones before.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Allow {
    /// Operations that only read, and the jobs that only read.
    Read,
    /// Also the self-service jobs: request and revoke access, comment on tasks.
    Request,
    /// Also every operation, and approving and denying tasks.
    Write,
}

impl Allow {
    /// The levels' names, as `--allow` takes them.
    pub const NAMES: [&'static str; 3] = [
        Allow::Read.name(),
        Allow::Request.name(),
        Allow::Write.name(),
    ];

    /// The level named `name`.
    pub fn named(name: &str) -> Option<Allow> {
        [Allow::Read, Allow::Request, Allow::Write]
            .into_iter()
            .find(|level| level.name() == name)
    }

    /// Its name, as `--allow` takes it.
    pub const fn name(self) -> &'static str {
        match self {
            Allow::Read => "read",
            Allow::Request => "request",
            Allow::Write => "write",
        }
    }
}

/// A server's allowance: its level, and whether it serves secrets.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Allowance {
    /// What an agent may change.
    pub level: Allow,
    /// Whether operations whose answers carry a secret (a credential, a
    /// paper secret, a function's code) are listed and served.
    pub secrets: bool,
}

impl Allowance {
    /// Whether an operation of the catalog is listed and served: one that
    /// only reads, or any at `write`; one whose answer carries a secret
    /// only with `--allow-secrets`, whatever the level.
    pub fn operation(self, entry: &Entry) -> bool {
        self.missing(entry).is_empty()
    }

    /// Why an operation it does not allow is refused, and what allows it.
    pub fn refusal(self, name: &str, entry: &Entry) -> String {
        let mut why = Vec::new();
        let mut flags = Vec::new();
        for flag in self.missing(entry) {
            flags.push(flag);
            why.push(match flag {
                SECRETS => "answers with a secret, and this server serves none".to_string(),
                _ => format!(
                    "changes things ({}), and this server allows only operations that read",
                    entry.endpoint
                ),
            });
        }
        format!(
            "`{name}` {}: `c1 mcp serve {}` allows it",
            why.join("; it "),
            flags.join(" ")
        )
    }

    /// The flags an operation needs that this allowance lacks.
    fn missing(self, entry: &Entry) -> Vec<&'static str> {
        let mut missing = Vec::new();
        if !entry.reads() && self.level != Allow::Write {
            missing.push(WRITE);
        }
        if entry.effect.sensitive && !self.secrets {
            missing.push(SECRETS);
        }
        missing
    }
}

/// The flag that allows every operation.
const WRITE: &str = "--allow write";
/// The flag that allows operations whose answers carry a secret.
const SECRETS: &str = "--allow-secrets";

/// `--allow LEVEL` and `--allow-secrets`.
pub fn args() -> [Arg; 2] {
    [
        Arg::new("allow")
            .long("allow")
            .value_name("LEVEL")
            .value_parser(Allow::NAMES)
            .default_value("read")
            .help("read: operations that read; request: also request and revoke access and comment on tasks; write: every operation, approving and denying tasks, and emergency access requests"),
        Arg::new("allow-secrets")
            .long("allow-secrets")
            .action(ArgAction::SetTrue)
            .help("Also list and serve the operations whose answers carry secrets (credentials, paper secrets, functions' code), at any level"),
    ]
}

/// The allowance `--allow` and `--allow-secrets` give.
pub fn given(matches: &ArgMatches) -> Allowance {
    let name = matches.get_one::<String>("allow");
    Allowance {
        level: name.and_then(|n| Allow::named(n)).unwrap_or(Allow::Read),
        secrets: matches.get_flag("allow-secrets"),
    }
}

/// Whether `--allow` or `--allow-secrets` was given (not defaulted).
pub fn on_command_line(matches: &ArgMatches) -> bool {
    matches.value_source("allow") == Some(ValueSource::CommandLine)
        || matches.get_flag("allow-secrets")
}
