//! Streams of pages and of items for the paginated operations.

use std::collections::HashSet;
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};

use futures_util::stream::BoxStream;
use futures_util::{Stream, StreamExt, TryStreamExt};

use crate::call::{Call, Operation, json_value, send};
use crate::client::Client;
use crate::error::{Error, Result};
use crate::request::{Options, Request};
use crate::retry::Retries;

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
    /// error ends the stream after it is yielded. A token the server gave
    /// before ends the stream with [`Error::RepeatedPageToken`](crate::Error::RepeatedPageToken)
    /// rather than asking for the same pages forever.
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
            Call {
                client: client.clone(),
                op: at_page(&op, token),
                options: options.clone(),
            }
            .send()
        };
        CallStream(Box::pin(pages(Op::NAME, fetch, Op::next_page_token)))
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

impl<Op: Paginated> Call<Op> {
    /// Every page as the JSON the server sent ([`Call::json`]), each
    /// checked as [`pages`](Self::pages) would decode it, following the
    /// page tokens as `pages` does. The stream is the same type for every
    /// operation.
    pub fn json_pages(self) -> Pages<serde_json::Value> {
        let Call {
            client,
            op,
            options,
        } = self;
        let request = move |token: Option<String>| at_page(&op, token).request();
        json_pages(
            client,
            options,
            (Op::NAME, Op::RETRIES),
            Box::new(request),
            next_token::<Op>,
        )
    }
}

/// `op` asking for the page of `token` (as it is for `None`: the first).
fn at_page<Op: Paginated>(op: &Op, token: Option<String>) -> Op {
    let mut op = op.clone();
    if token.is_some() {
        op.set_page_token(token);
    }
    op
}

/// The next page's token in a page of `Op`, which must decode.
fn next_token<Op: Paginated>(body: &[u8]) -> Result<Option<String>> {
    let page = Op::decode(body)?;
    Ok(Op::next_page_token(&page).map(str::to_string))
}

/// A page as JSON, with the token of the page after it.
struct JsonPage {
    value: serde_json::Value,
    next: Option<String>,
}

/// The pages of [`Call::json_pages`]: `request` makes the request for a
/// token, and `next` checks a page and finds the token after it.
fn json_pages(
    client: Client,
    options: Options,
    (name, retries): (&'static str, Retries),
    request: Box<dyn Fn(Option<String>) -> Request + Send + Sync>,
    next: fn(&[u8]) -> Result<Option<String>>,
) -> Pages<serde_json::Value> {
    let fetch = move |token: Option<String>| {
        let sent = send(
            client.clone(),
            request(token),
            options.clone(),
            name,
            retries,
        );
        async move {
            let raw = sent.await?;
            Ok(JsonPage {
                next: next(&raw.body)?,
                value: json_value(&raw.body),
            })
        }
    };
    let pages = pages(name, fetch, |page: &JsonPage| page.next.as_deref());
    CallStream(Box::pin(pages.map_ok(|page| page.value)))
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

/// Where a page stream is.
enum State {
    /// The next page to fetch: the first for `None`.
    Fetch(Option<String>),
    /// The server gave this token before.
    Repeated(String),
    Done,
}

/// Every page: `fetch(None)` for the first, then `fetch(Some(token))` with
/// the token `next_token` finds in the page before, until it is absent or
/// empty. An error ends the stream after it is yielded; so does a token
/// seen before, with [`Error::RepeatedPageToken`] naming `operation`.
fn pages<T, F, Fut>(
    operation: &'static str,
    mut fetch: F,
    next_token: fn(&T) -> Option<&str>,
) -> impl Stream<Item = Result<T>>
where
    F: FnMut(Option<String>) -> Fut,
    Fut: Future<Output = Result<T>>,
{
    let start = (State::Fetch(None), HashSet::new());
    futures_util::stream::try_unfold(start, move |(state, mut seen)| {
        let request = match state {
            State::Fetch(token) => Ok(fetch(token)),
            State::Repeated(token) => Err(Some(token)),
            State::Done => Err(None),
        };
        async move {
            let request = match request {
                Ok(request) => request,
                Err(None) => return Ok(None),
                Err(Some(token)) => {
                    let token = token.chars().take(100).collect();
                    return Err(Error::RepeatedPageToken { operation, token });
                }
            };
            let page = request.await?;
            let next = match next_token(&page).filter(|t| !t.is_empty()) {
                None => State::Done,
                Some(token) if !seen.insert(token.to_string()) => State::Repeated(token.into()),
                Some(token) => State::Fetch(Some(token.into())),
            };
            Ok(Some((page, (next, seen))))
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
            "test.list",
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
            "test.list",
            |_token: Option<String>| async {
                Err::<(i32, Option<&'static str>), _>(crate::Error::Config("no".into()))
            },
            |page: &(i32, Option<&'static str>)| page.1,
        );
        let results: Vec<_> = stream.collect().await;
        assert_eq!(results.len(), 1);
        assert!(results[0].is_err());
    }

    #[tokio::test]
    async fn a_token_given_before_ends_the_stream_after_the_pages_read() {
        // Tokens a, b, then a again: the third page is read, then the error.
        let asked = Arc::new(Mutex::new(0));
        let count = asked.clone();
        let stream = pages(
            "test.list",
            move |token: Option<String>| {
                *count.lock().unwrap() += 1;
                async move {
                    Ok(match token.as_deref() {
                        None => (1, Some("a")),
                        Some("a") => (2, Some("b")),
                        _ => (3, Some("a")),
                    })
                }
            },
            |page: &(i32, Option<&'static str>)| page.1,
        );
        let results: Vec<_> = stream.collect().await;
        let pages: Vec<i32> = results
            .iter()
            .filter_map(|r| r.as_ref().ok())
            .map(|p| p.0)
            .collect();
        assert_eq!(pages, [1, 2, 3]);
        assert_eq!(results.len(), 4);
        let error = results[3].as_ref().unwrap_err();
        assert!(
            matches!(error, Error::RepeatedPageToken { operation: "test.list", token } if token == "a")
        );
        assert_eq!(
            error.to_string(),
            "`test.list` answered with the page token `a` a second time; paging stopped, as the server would repeat its pages forever"
        );
        assert_eq!(
            *asked.lock().unwrap(),
            3,
            "no request for the repeated token"
        );
    }
}
