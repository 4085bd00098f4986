//! Streams of pages and of items for the paginated operations.

use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};

use futures_util::stream::BoxStream;
use futures_util::{Stream, StreamExt, TryStreamExt};

use crate::call::{Call, Operation};
use crate::error::Result;

/// An operation that pages: the response has a `nextPageToken`, which the
/// next request sends back.
pub trait Paginated: Operation {
    /// What one page lists.
    type Item: Send + 'static;
    /// Asks for the page of `token` (the first page for `None`).
    #[doc(hidden)]
    fn set_page_token(&mut self, token: Option<String>);
    /// The token of the page after `page`.
    #[doc(hidden)]
    fn next_page_token(page: &<Self as Operation>::Output) -> Option<&str>;
    /// The items of `page`.
    #[doc(hidden)]
    fn items(page: <Self as Operation>::Output) -> Vec<Self::Item>;
}

impl<Op: Paginated> Call<Op> {
    /// Every page, as a stream: each page is asked for with the
    /// `nextPageToken` of the one before, until that token is empty. An
    /// error ends the stream after it is yielded.
    ///
    /// The stream holds its own handle to the client: it is `Send`,
    /// `Unpin` and `'static`, so it can be spawned or kept in a struct.
    pub fn pages(self) -> Pages<Op::Output> {
        let Call {
            client,
            op,
            options,
        } = self;
        let fetch = move |token: Option<String>| {
            let mut op = op.clone();
            if token.is_some() {
                op.set_page_token(token);
            }
            Call {
                client: client.clone(),
                op,
                options: options.clone(),
            }
            .send()
        };
        CallStream(Box::pin(pages(fetch, Op::next_page_token)))
    }

    /// Every item of every page ([`pages`](Self::pages), flattened).
    pub fn items(self) -> Items<Op::Item> {
        let items = self
            .pages()
            .map_ok(|page| futures_util::stream::iter(Op::items(page).into_iter().map(Ok)))
            .try_flatten();
        CallStream(Box::pin(items))
    }
}

/// A stream of a paginated call's pages or items, which holds its own
/// handle to the client: `Unpin`, `Send` and `'static`.
pub struct CallStream<T>(BoxStream<'static, Result<T>>);

/// The pages of a paginated call ([`Call::pages`]).
pub type Pages<T> = CallStream<T>;

/// The items of a paginated call ([`Call::items`]).
pub type Items<T> = CallStream<T>;

impl<T> Stream for CallStream<T> {
    type Item = Result<T>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        self.0.poll_next_unpin(cx)
    }
}

impl<T> std::fmt::Debug for CallStream<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("CallStream")
    }
}

/// Every page: `fetch(None)` for the first, then `fetch(Some(token))` with
/// the token `next_token` finds in the page before, until it is absent or
/// empty. An error ends the stream after it is yielded.
fn pages<T, F, Fut>(
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
                Err::<(i32, Option<&'static str>), _>(crate::Error::Config("no".into()))
            },
            |page: &(i32, Option<&'static str>)| page.1,
        );
        let results: Vec<_> = stream.collect().await;
        assert_eq!(results.len(), 1);
        assert!(results[0].is_err());
    }
}
