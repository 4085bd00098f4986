//! The client's error type.

/// Everything a call can fail with.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The client was configured with something unusable.
    #[error("invalid client configuration: {0}")]
    Config(String),
    /// The request could not be sent or the response not read.
    #[error("request failed: {0}")]
    Transport(#[source] reqwest::Error),
    /// The request body could not be encoded as JSON.
    #[error("cannot encode the request body: {0}")]
    Encode(#[source] serde_json::Error),
    /// The server answered with a status other than 2xx.
    #[error("the API answered {status}: {body}")]
    Api {
        /// The HTTP status code.
        status: u16,
        /// The response body, as text.
        body: String,
    },
    /// The response body was not the JSON the spec describes.
    #[error("cannot decode the response body: {0}")]
    Decode(#[source] serde_json::Error),
}

/// Shorthand for results of this crate.
pub type Result<T, E = Error> = std::result::Result<T, E>;
