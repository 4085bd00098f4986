//! The README's jobs example, compiled by `cargo test --workspace` (a test
//! in `tests/integration/jobs.rs` checks that the README shows exactly this code).

use std::time::Duration;

use c1_client::jobs::{Entitlement, Error, Outcome};
use c1_client::prelude::*;

#[tokio::main]
async fn main() -> Result<(), Error> {
    let client = Client::from_env()?; // CONDUCTORONE_* credentials

    let asked = client
        .access()
        .request(Entitlement::alias("aws-prod-admin"))
        .justification("incident 4211")
        .duration(Duration::from_secs(2 * 3600))
        .await;
    let ticket = match asked {
        Ok(ticket) => ticket,
        Err(Error::AlreadyGranted { grants, .. }) => {
            println!("already held, on {} account(s)", grants.len());
            return Ok(());
        }
        Err(Error::OverMaximum { maximum, .. }) => {
            println!("at most {maximum:?}");
            return Ok(());
        }
        // Ambiguous { candidates }, SeveralAccounts { accounts },
        // MissingFormFields { fields }, NotFound, or the API's error.
        Err(other) => return Err(other),
    };
    println!("asked: {}", ticket.url.as_deref().unwrap_or_default());
    let closed = ticket.wait(Duration::from_secs(600)).await?;
    if closed.outcome != Outcome::Granted {
        println!("closed: {}", closed.outcome.as_str());
    }

    // The tasks waiting on you, approved at their current step.
    let mut inbox = client.tasks().inbox().await?;
    while let Some(view) = inbox.try_next().await? {
        if let Some(id) = view.task.and_then(|task| task.id) {
            client.tasks().approve(id).comment("ok").await?;
        }
    }
    Ok(())
}
