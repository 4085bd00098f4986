//! Streams of pages for the paginated operations.

use std::future::Future;

use futures_util::Stream;

use crate::error::Result;

/// Every page: `fetch(None)` for the first, then `fetch(Some(token))` with
/// the token `next_token` finds in the page before, until it is absent or
/// empty. An error ends the stream after it is yielded.
#[allow(dead_code)] // Used by paginated operations.
pub(crate) fn pages<T, F, Fut>(
    mut fetch: F,
    next_token: fn(&T) -> Option<&str>,
) -> impl Stream<Item = Result<T>>
where
    F: FnMut(Option<String>) -> Fut,
    Fut: Future<Output = Result<T>>,
{
    // The state is the token of the next page to fetch; `None` once done.
    futures_util::stream::try_unfold(Some(None::<String>), move |state| {
        let request = state.map(&mut fetch);
        async move {
            let Some(request) = request else {
                return Ok(None);
            };
            let page = request.await?;
            let next = next_token(&page)
                .filter(|t| !t.is_empty())
                .map(|t| Some(t.to_string()));
            Ok(Some((page, next)))
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use futures_util::StreamExt;
    use std::sync::{Arc, Mutex};

    #[tokio::test]
    async fn follows_tokens_until_one_is_empty() {
        let asked = Arc::new(Mutex::new(Vec::new()));
        let log = asked.clone();
        let stream = pages(
            move |token: Option<String>| {
                log.lock().unwrap().push(token.clone());
                async move {
                    Ok(match token.as_deref() {
                        None => (1, Some("a")),
                        Some("a") => (2, Some("b")),
                        _ => (3, Some("")),
                    })
                }
            },
            |page: &(i32, Option<&'static str>)| page.1,
        );
        let pages: Vec<i32> = stream.map(|p| p.unwrap().0).collect().await;
        assert_eq!(pages, [1, 2, 3]);
        assert_eq!(
            *asked.lock().unwrap(),
            [None, Some("a".to_string()), Some("b".to_string())]
        );
    }

    #[tokio::test]
    async fn an_error_ends_the_stream() {
        let stream = pages(
            |_token: Option<String>| async {
                Err::<(i32, Option<&'static str>), _>(crate::Error::Auth("no".into()))
            },
            |page: &(i32, Option<&'static str>)| page.1,
        );
        let results: Vec<_> = stream.collect().await;
        assert_eq!(results.len(), 1);
        assert!(results[0].is_err());
    }
}
