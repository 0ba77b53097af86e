//! Tells `[apply] webhook` about each new application: one JSON POST per
//! notice. Queuing, retrying and backoff are the outbox worker's (`outbox`).

use std::time::Duration;

/// An HTTP client for webhook notices: 10 s for a whole exchange, and any
/// status outside 2xx is a failure to retry.
pub fn agent() -> ureq::Agent {
    ureq::Agent::config_builder()
        .timeout_global(Some(Duration::from_secs(10)))
        .http_status_as_error(true)
        .build()
        .into()
}

/// Sends one notice; the error is what the outbox records.
pub fn post(agent: &ureq::Agent, url: &str, payload: &str) -> Result<(), String> {
    agent
        .post(url)
        .header("content-type", "application/json")
        .header(
            "user-agent",
            concat!("openings/", env!("CARGO_PKG_VERSION")),
        )
        .send(payload)
        .map(|_| ())
        .map_err(|e| e.to_string())
}
