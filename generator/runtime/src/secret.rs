//! Secrets: text that is never shown and is wiped from memory on drop.

use std::fmt;

use reqwest::header::HeaderValue;
use zeroize::Zeroizing;

use crate::error::{AuthError, Result};

/// Text that must never be shown: `Debug` prints `<redacted>`, and the
/// memory is wiped on drop.
#[derive(Clone)]
pub(crate) struct Secret(Zeroizing<String>);

impl Secret {
    pub(crate) fn new(text: String) -> Self {
        Secret(Zeroizing::new(text))
    }

    pub(crate) fn expose(&self) -> &str {
        &self.0
    }

    /// Whether it is empty or only white space.
    pub(crate) fn is_blank(&self) -> bool {
        self.0.trim().is_empty()
    }

    /// `<scheme> <token>` as an `Authorization` value marked sensitive.
    pub(crate) fn authorization(&self, scheme: &str) -> Result<HeaderValue> {
        let mut value = HeaderValue::try_from(format!("{scheme} {}", self.expose()))
            .map_err(|_| AuthError::new("the access token is not a valid header value"))?;
        value.set_sensitive(true);
        Ok(value)
    }
}

impl PartialEq for Secret {
    fn eq(&self, other: &Self) -> bool {
        self.expose() == other.expose()
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("<redacted>")
    }
}

impl<'de> serde::Deserialize<'de> for Secret {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        String::deserialize(deserializer).map(Secret::new)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_are_never_shown() {
        assert_eq!(format!("{:?}", Secret::new("s3cr3t".into())), "<redacted>");
        let value = Secret::new("tok".into()).authorization("Bearer").unwrap();
        assert!(value.is_sensitive());
        assert_eq!(value, "Bearer tok");
    }
}
