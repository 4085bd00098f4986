//! `c1 mcp serve --http`: streamable HTTP on loopback, guarded. A request
//! is served only when its `Host` names this server (loopback, or a name
//! `--allowed-host` gives), its `Origin`, if any, is a loopback origin or an
//! allowed host (no page on the web, DNS rebinding included), and it
//! carries the server's token (`Authorization: Bearer`), unless
//! `--no-auth` on loopback. Connections that send nothing are closed.

use std::convert::Infallible;
use std::net::{IpAddr, SocketAddr};
use std::path::PathBuf;
use std::pin::Pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::task::{Context, Poll};
use std::time::{Duration, Instant};

use bytes::Bytes;
use clap::{Arg, ArgAction, ArgMatches};
use http_body_util::combinators::BoxBody;
use http_body_util::{BodyExt, Full};
use hyper::header::{AUTHORIZATION, HOST, HeaderValue, ORIGIN, WWW_AUTHENTICATE};
use hyper::{Request, Response, StatusCode};
use rmcp::transport::streamable_http_server::{
    StreamableHttpServerConfig, StreamableHttpService, session::local::LocalSessionManager,
};
use subtle::ConstantTimeEq;
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};

use super::server::Server;
use crate::Failure;

/// The environment variable that gives the token (else one is made).
pub const TOKEN_VAR: &str = "C1_MCP_TOKEN";
/// The shortest token `C1_MCP_TOKEN` may give.
const MIN_TOKEN: usize = 16;
/// How long a connection may take, and wait.
#[derive(Debug, Clone, Copy)]
struct Limits {
    /// To send a request's headers.
    header_read: Duration,
    /// Sending and receiving nothing, before it is closed.
    idle: Duration,
}

/// A client has 10 s to send a request's headers; a connection idle for 5
/// minutes (longer than the longest call, 60 s, and than the 15 s between
/// an event stream's keep-alive pings) is closed.
const LIMITS: Limits = Limits {
    header_read: Duration::from_secs(10),
    idle: Duration::from_secs(300),
};
/// The longest pause after accepting a connection failed (out of file
/// descriptors): the first is 10 ms, each next one twice as long.
const MAX_BACKOFF: Duration = Duration::from_secs(1);

/// `--http`, `--listen-any`, `--allowed-host` and `--no-auth`.
pub fn args() -> [Arg; 4] {
    [
        Arg::new("http")
            .long("http")
            .value_name("ADDR")
            .value_parser(clap::value_parser!(SocketAddr))
            .help("Serve streamable HTTP at http://ADDR/mcp (127.0.0.1:PORT; port 0 picks one) instead of stdio; clients send the token of C1_MCP_TOKEN, or of the file named at start"),
        Arg::new("listen-any")
            .long("listen-any")
            .action(ArgAction::SetTrue)
            .requires("http")
            .help("Let --http listen on an address other than loopback: anyone who reaches it with the token acts as you"),
        Arg::new("allowed-host")
            .long("allowed-host")
            .value_name("NAME")
            .action(ArgAction::Append)
            .requires("http")
            .help("A name clients reach the server by, besides loopback (repeatable): their requests' Host and Origin may name it"),
        Arg::new("no-auth")
            .long("no-auth")
            .action(ArgAction::SetTrue)
            .requires("http")
            .help("Serve HTTP without a token (loopback addresses only): any local user or process can then act as you"),
    ]
}

/// Where and how to listen, as checked at start.
#[derive(Debug)]
pub struct Listen {
    addr: SocketAddr,
    /// The names a request's `Host` and `Origin` may give, besides loopback.
    hosts: Vec<String>,
    /// Whether requests need the token.
    auth: bool,
}

impl Listen {
    /// The listening `--http ADDR` and the flags ask for, or why it cannot be.
    pub fn new(addr: SocketAddr, matches: &ArgMatches) -> Result<Listen, String> {
        let loopback = addr.ip().is_loopback();
        if !loopback && !matches.get_flag("listen-any") {
            return Err(format!(
                "--http {addr} is not a loopback address: anyone who reaches it would act as you; give --listen-any to mean it"
            ));
        }
        let auth = !matches.get_flag("no-auth");
        if !auth && !loopback {
            return Err(format!(
                "--no-auth is allowed on a loopback address only, not {addr}"
            ));
        }
        let mut hosts = Vec::new();
        for name in matches
            .get_many::<String>("allowed-host")
            .into_iter()
            .flatten()
        {
            hosts.push(host_name(name).ok_or_else(|| {
                format!("--allowed-host {name}: give a host name or address, without a scheme, port or path")
            })?);
        }
        // The address listened on is always a name clients may use.
        if !addr.ip().is_unspecified() {
            hosts.push(addr.ip().to_string());
        }
        Ok(Listen { addr, hosts, auth })
    }
}

/// `name` as a host name to compare: lowercase, `[` `]` off an IPv6
/// address; `None` if it is not one (it has a scheme, a port, a path).
fn host_name(name: &str) -> Option<String> {
    let name = name.trim().to_ascii_lowercase();
    let bare = name.trim_start_matches('[').trim_end_matches(']');
    if bare.parse::<IpAddr>().is_ok() {
        return Some(bare.to_string());
    }
    let valid = !name.is_empty()
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '.');
    valid.then_some(name)
}

/// The server's token, never shown.
#[derive(Clone)]
struct Token(Arc<str>);

impl std::fmt::Debug for Token {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Token(<redacted>)")
    }
}

impl Token {
    /// `C1_MCP_TOKEN`'s, or a new one written to a file only the user can
    /// read (returned), for the server listening on `port`.
    fn obtain(port: u16) -> Result<(Token, Option<PathBuf>), Failure> {
        if let Some(given) = std::env::var_os(TOKEN_VAR).filter(|v| !v.is_empty()) {
            let given = given.into_string().unwrap_or_default();
            if given.len() < MIN_TOKEN || given.chars().any(|c| !c.is_ascii_graphic()) {
                return Err(Failure::config(format!(
                    "{TOKEN_VAR} must be at least {MIN_TOKEN} printable characters, without spaces"
                )));
            }
            return Ok((Token(given.into()), None));
        }
        let mut bytes = [0u8; 32];
        getrandom::fill(&mut bytes)
            .map_err(|e| Failure::config(format!("cannot make a token: {e}")))?;
        let token: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
        let path = crate::config::dir()?.join(format!("mcp-{port}.token"));
        crate::files::write_atomically(&path, token.as_bytes(), crate::files::Mode::Exactly(0o600))
            .map_err(|e| Failure::config(format!("{}: cannot write: {e}", path.display())))?;
        Ok((Token(token.into()), Some(path)))
    }

    /// Whether `header` is `Bearer TOKEN` (compared in constant time).
    fn admits(&self, header: Option<&HeaderValue>) -> bool {
        let Some(value) = header.and_then(|h| h.to_str().ok()) else {
            return false;
        };
        let Some((scheme, given)) = value.split_once(' ') else {
            return false;
        };
        scheme.eq_ignore_ascii_case("bearer")
            && bool::from(given.trim().as_bytes().ct_eq(self.0.as_bytes()))
    }
}

type Body = BoxBody<Bytes, Infallible>;

/// What a request must show before the MCP service sees it.
#[derive(Debug)]
struct Guard {
    hosts: Vec<String>,
    token: Option<Token>,
}

impl Guard {
    /// The answer that refuses `request`, or `None` to serve it.
    fn refuse<B>(&self, request: &Request<B>) -> Option<Response<Body>> {
        let host = request.headers().get(HOST).and_then(|h| h.to_str().ok());
        if !host
            .and_then(authority_host)
            .is_some_and(|h| self.allows(&h))
        {
            return Some(refusal(
                StatusCode::FORBIDDEN,
                "the Host is not this server's: give the name with --allowed-host",
            ));
        }
        if let Some(origin) = request.headers().get(ORIGIN) {
            let host = origin.to_str().ok().and_then(origin_host);
            if !host.is_some_and(|h| self.allows(&h)) {
                return Some(refusal(
                    StatusCode::FORBIDDEN,
                    "the Origin is neither loopback nor an allowed host",
                ));
            }
        }
        match &self.token {
            Some(token) if !token.admits(request.headers().get(AUTHORIZATION)) => {
                let mut answer = refusal(
                    StatusCode::UNAUTHORIZED,
                    "send the server's token: Authorization: Bearer <token>",
                );
                answer
                    .headers_mut()
                    .insert(WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
                Some(answer)
            }
            _ => None,
        }
    }

    /// Whether `host` is loopback or one of the allowed names.
    fn allows(&self, host: &str) -> bool {
        host == "localhost"
            || host.parse::<IpAddr>().is_ok_and(|ip| ip.is_loopback())
            || self.hosts.iter().any(|h| h == host)
    }
}

/// The host of a `Host` header (`name:port`, `[::1]:port`), as [`host_name`] gives it.
fn authority_host(authority: &str) -> Option<String> {
    let host = match authority.strip_prefix('[') {
        Some(rest) => rest.split(']').next()?,
        None => authority.rsplit_once(':').map_or(authority, |(h, _)| h),
    };
    host_name(host)
}

/// The host of an `Origin` (`http://name:port`); `None` for `null` and
/// any other scheme.
fn origin_host(origin: &str) -> Option<String> {
    let rest = origin
        .strip_prefix("http://")
        .or_else(|| origin.strip_prefix("https://"))?;
    authority_host(rest)
}

fn refusal(status: StatusCode, message: &'static str) -> Response<Body> {
    let mut answer = Response::new(Full::new(Bytes::from_static(message.as_bytes())).boxed());
    *answer.status_mut() = status;
    answer
}

/// Serves `server` as `listen` says, until the process ends.
pub async fn serve(server: Server, listen: Listen) -> Result<(), Failure> {
    let addr = listen.addr;
    let listener = tokio::net::TcpListener::bind(addr)
        .await
        .map_err(|e| Failure::config(format!("--http {addr}: cannot listen: {e}")))?;
    let bound = listener
        .local_addr()
        .map_err(|e| Failure::config(format!("--http {addr}: {e}")))?;
    let token = if listen.auth {
        let (token, file) = Token::obtain(bound.port())?;
        match file {
            Some(file) => eprintln!(
                "c1 mcp: clients send `Authorization: Bearer <token>`, the token in {} (or set {TOKEN_VAR})",
                file.display()
            ),
            None => eprintln!("c1 mcp: clients send `Authorization: Bearer ${TOKEN_VAR}`"),
        }
        Some(token)
    } else {
        eprintln!("c1 mcp: no token (--no-auth): any local user or process can act as you");
        None
    };
    let guard = Arc::new(Guard {
        hosts: listen.hosts,
        token,
    });
    // The guard checks Host and Origin; the service would check them again
    // against lists of its own.
    let config = StreamableHttpServerConfig::default().disable_allowed_hosts();
    let mcp = StreamableHttpService::new(
        move || Ok(server.clone()),
        Arc::new(LocalSessionManager::default()),
        config,
    );
    eprintln!("c1 mcp: serving http://{bound}/mcp");
    accept(listener, move |request| {
        let (guard, mcp) = (guard.clone(), mcp.clone());
        async move {
            match guard.refuse(&request) {
                None => mcp.handle(request).await,
                Some(refused) => refused,
            }
        }
    })
    .await
}

/// Accepts connections forever, each on its own task; after an error,
/// waits before the next accept, longer each time up to [`MAX_BACKOFF`].
async fn accept<F, R>(listener: tokio::net::TcpListener, handle: F) -> Result<(), Failure>
where
    F: Fn(Request<hyper::body::Incoming>) -> R + Clone + Send + 'static,
    R: Future<Output = Response<Body>> + Send + 'static,
{
    let mut backoff = Duration::ZERO;
    loop {
        let stream = match listener.accept().await {
            Ok((stream, _)) => {
                backoff = Duration::ZERO;
                stream
            }
            Err(e) => {
                backoff = (backoff * 2).clamp(Duration::from_millis(10), MAX_BACKOFF);
                tracing::warn!(target: "c1::mcp", error = %e, retry_ms = backoff.as_millis(), "cannot accept a connection");
                tokio::time::sleep(backoff).await;
                continue;
            }
        };
        tokio::spawn(connection(stream, LIMITS, handle.clone()));
    }
}

/// Serves one connection until it closes, sends no header in time, or
/// stays idle, as `limits` say.
async fn connection<F, R>(stream: tokio::net::TcpStream, limits: Limits, handle: F)
where
    F: Fn(Request<hyper::body::Incoming>) -> R + Send + 'static,
    R: Future<Output = Response<Body>> + Send + 'static,
{
    let service = hyper::service::service_fn(move |request| {
        let answer = handle(request);
        async move { Ok::<_, Infallible>(answer.await) }
    });
    let activity = Arc::new(Activity::new());
    let io = hyper_util::rt::TokioIo::new(Watched {
        inner: stream,
        activity: activity.clone(),
    });
    let served = hyper::server::conn::http1::Builder::new()
        .timer(hyper_util::rt::TokioTimer::new())
        .header_read_timeout(limits.header_read)
        .serve_connection(io, service);
    tokio::pin!(served);
    loop {
        match tokio::time::timeout(limits.idle / 10, served.as_mut()).await {
            Ok(result) => {
                if let Err(e) = result {
                    tracing::debug!(target: "c1::mcp", error = %e, "connection closed");
                }
                return;
            }
            Err(_) if activity.idle() >= limits.idle => {
                tracing::debug!(target: "c1::mcp", "idle connection closed");
                return;
            }
            Err(_) => {}
        }
    }
}

/// When a connection last sent or received a byte.
struct Activity {
    start: Instant,
    /// Milliseconds from `start`.
    last: AtomicU64,
}

impl Activity {
    fn new() -> Self {
        Activity {
            start: Instant::now(),
            last: AtomicU64::new(0),
        }
    }

    fn touch(&self) {
        let now = u64::try_from(self.start.elapsed().as_millis()).unwrap_or(u64::MAX);
        self.last.store(now, Ordering::Relaxed);
    }

    fn idle(&self) -> Duration {
        let last = Duration::from_millis(self.last.load(Ordering::Relaxed));
        self.start.elapsed().saturating_sub(last)
    }
}

/// A stream that notes each time bytes pass.
struct Watched<S> {
    inner: S,
    activity: Arc<Activity>,
}

impl<S: AsyncRead + Unpin> AsyncRead for Watched<S> {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<std::io::Result<()>> {
        let before = buf.filled().len();
        let polled = Pin::new(&mut self.inner).poll_read(cx, buf);
        if buf.filled().len() > before {
            self.activity.touch();
        }
        polled
    }
}

impl<S: AsyncWrite + Unpin> AsyncWrite for Watched<S> {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<std::io::Result<usize>> {
        let polled = Pin::new(&mut self.inner).poll_write(cx, buf);
        if matches!(polled, Poll::Ready(Ok(n)) if n > 0) {
            self.activity.touch();
        }
        polled
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Pin::new(&mut self.inner).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Pin::new(&mut self.inner).poll_shutdown(cx)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn guard(token: Option<&str>, hosts: &[&str]) -> Guard {
        Guard {
            hosts: hosts.iter().map(|h| h.to_string()).collect(),
            token: token.map(|t| Token(t.into())),
        }
    }

    fn request(headers: &[(&str, &str)]) -> Request<()> {
        let mut builder = Request::builder().uri("/mcp");
        for (name, value) in headers {
            builder = builder.header(*name, *value);
        }
        builder.body(()).unwrap()
    }

    fn status(guard: &Guard, headers: &[(&str, &str)]) -> u16 {
        match guard.refuse(&request(headers)) {
            None => 200,
            Some(answer) => answer.status().as_u16(),
        }
    }

    #[test]
    fn a_request_needs_a_loopback_or_allowed_host() {
        let open = guard(None, &["127.0.0.2", "box.internal"]);
        for host in [
            "localhost:8787",
            "127.0.0.1:1",
            "[::1]:8787",
            "127.0.0.2:80",
            "BOX.internal:9",
            "127.5.5.5",
        ] {
            assert_eq!(status(&open, &[("host", host)]), 200, "{host}");
        }
        for host in [
            "evil.example:8787",
            "10.0.0.1",
            "box.internal.evil.example",
            "",
        ] {
            assert_eq!(status(&open, &[("host", host)]), 403, "{host}");
        }
        assert_eq!(status(&open, &[]), 403, "no Host");
    }

    #[test]
    fn an_origin_must_be_loopback_or_an_allowed_host() {
        let open = guard(None, &["box.internal"]);
        let host = ("host", "127.0.0.1:8787");
        for origin in [
            "http://localhost:3000",
            "http://127.0.0.1",
            "https://[::1]:1",
            "https://box.internal",
        ] {
            assert_eq!(status(&open, &[host, ("origin", origin)]), 200, "{origin}");
        }
        for origin in [
            "https://evil.example",
            "null",
            "file://",
            "http://10.0.0.1:8787",
            "chrome-extension://abc",
        ] {
            assert_eq!(status(&open, &[host, ("origin", origin)]), 403, "{origin}");
        }
    }

    #[test]
    fn a_request_without_the_token_is_unauthorized() {
        let locked = guard(Some("0123456789abcdef0123"), &[]);
        let host = ("host", "localhost");
        assert_eq!(
            status(
                &locked,
                &[host, ("authorization", "Bearer 0123456789abcdef0123")]
            ),
            200
        );
        assert_eq!(
            status(
                &locked,
                &[host, ("authorization", "bearer 0123456789abcdef0123")]
            ),
            200
        );
        for wrong in [
            "Bearer 0123456789abcdef012",
            "Bearer",
            "Basic 0123456789abcdef0123",
            "0123456789abcdef0123",
            "",
        ] {
            assert_eq!(
                status(&locked, &[host, ("authorization", wrong)]),
                401,
                "{wrong}"
            );
        }
        let refused = locked.refuse(&request(&[host])).unwrap();
        assert_eq!(refused.status(), 401);
        assert_eq!(refused.headers()[WWW_AUTHENTICATE], "Bearer");
        // A bad Origin is refused as that, token or not.
        assert_eq!(
            status(&locked, &[host, ("origin", "https://evil.example")]),
            403
        );
    }

    #[test]
    fn a_token_is_never_shown() {
        let token = Token("0123456789abcdef0123".into());
        assert_eq!(format!("{token:?}"), "Token(<redacted>)");
        assert!(!format!("{:?}", guard(Some("0123456789abcdef0123"), &[])).contains("0123"));
    }

    /// A connection served with `limits` (a loopback socket), answering 200
    /// at once, or (`answers` false) never; the client's end.
    async fn served(limits: Limits, answers: bool) -> tokio::net::TcpStream {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        tokio::spawn(async move {
            let (stream, _) = listener.accept().await.unwrap();
            connection(stream, limits, move |_request| async move {
                if !answers {
                    std::future::pending::<()>().await;
                }
                refusal(StatusCode::OK, "ok")
            })
            .await;
        });
        tokio::net::TcpStream::connect(addr).await.unwrap()
    }

    /// Reads until the server closes the connection; what it sent, and when.
    async fn until_closed(stream: &mut tokio::net::TcpStream) -> (String, Duration) {
        use tokio::io::AsyncReadExt;
        let started = Instant::now();
        let mut sent = Vec::new();
        let read = stream.read_to_end(&mut sent);
        tokio::time::timeout(Duration::from_secs(10), read)
            .await
            .expect("the connection was not closed")
            .unwrap();
        (
            String::from_utf8_lossy(&sent).into_owned(),
            started.elapsed(),
        )
    }

    const SHORT: Limits = Limits {
        header_read: Duration::from_millis(200),
        idle: Duration::from_millis(400),
    };
    const REQUEST: &[u8] = b"GET /mcp HTTP/1.1\r\nHost: localhost\r\n\r\n";

    #[tokio::test]
    async fn a_client_that_never_finishes_its_headers_is_cut_off() {
        use tokio::io::AsyncWriteExt;
        let mut stream = served(SHORT, true).await;
        stream
            .write_all(b"POST /mcp HTTP/1.1\r\nHost: localhost\r\n")
            .await
            .unwrap();
        let (sent, after) = until_closed(&mut stream).await;
        assert!(!sent.contains("200 OK"), "{sent}");
        assert!(after < Duration::from_secs(5), "{after:?}");
    }

    #[tokio::test]
    async fn a_connection_where_nothing_moves_is_closed() {
        use tokio::io::AsyncWriteExt;
        let mut stream = served(SHORT, false).await;
        stream.write_all(REQUEST).await.unwrap();
        let (sent, after) = until_closed(&mut stream).await;
        assert!(sent.is_empty(), "{sent}");
        assert!(
            after >= Duration::from_millis(350),
            "closed after {after:?}"
        );
    }

    #[tokio::test]
    async fn a_busy_connection_is_not_closed() {
        use tokio::io::AsyncWriteExt;
        let mut stream = served(SHORT, true).await;
        // A request every 100 ms for a second, past the idle limit.
        for _ in 0..10 {
            stream.write_all(REQUEST).await.unwrap();
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        let (sent, _) = until_closed(&mut stream).await;
        assert_eq!(sent.matches("200 OK").count(), 10, "{sent}");
    }
}
