//! Arbitrary JSON as the arguments of every tool `c1 mcp serve` offers, at
//! its widest allowance (`--allow write --allow-secrets`): the input's first
//! byte picks the tool, the rest is its arguments. Any panic is a bug (the
//! release binary aborts on one, taking the agent's server with it).
//! Calls that get as far as the network find nothing listening (a refused
//! connection, at once, never retried).
#![no_main]

use std::sync::LazyLock;

use c1_cli::Fuzzing;
use libfuzzer_sys::fuzz_target;
use serde_json::Value;

struct Harness {
    runtime: tokio::runtime::Runtime,
    tools: Fuzzing,
    names: Vec<&'static str>,
}

static HARNESS: LazyLock<Harness> = LazyLock::new(|| {
    let client = c1_client::Client::builder()
        .base_url("http://127.0.0.1:9")
        .bearer_token("fuzzing")
        .retry_policy(c1_client::RetryPolicy::disabled())
        .timeout(std::time::Duration::from_secs(2))
        .build()
        .expect("a client");
    let tools = Fuzzing::new(client).expect("the tools");
    let names = tools.names();
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a runtime");
    Harness {
        runtime,
        tools,
        names,
    }
});

fuzz_target!(|data: &[u8]| {
    let Some((&pick, json)) = data.split_first() else {
        return;
    };
    let Ok(Value::Object(args)) = serde_json::from_slice::<Value>(json) else {
        return;
    };
    let harness = &*HARNESS;
    let tool = harness.names[usize::from(pick) % harness.names.len()];
    harness.runtime.block_on(harness.tools.call(tool, args));
});
