//! One HTTP/1.1 connection: served by hyper, and watched so that it cannot hold the server. A
//! request's headers must arrive within `--header-read-timeout` of its first byte (and a new
//! connection's first request within as long of the connection); a keep-alive connection with
//! no request in flight is closed after `--idle-timeout`, and so is one with a request in flight
//! when no byte moves either way for that long (a client that stopped reading); at shutdown a
//! connection with no
//! request in flight is closed at once (even one that has sent half a request), and one with a
//! request in flight finishes it, then closes.

use std::convert::Infallible;
use std::future::Future;
use std::io;
use std::pin::Pin;
use std::sync::{Arc, Mutex, PoisonError};
use std::task::{Context, Poll};
use std::time::Duration;

use axum::Router;
use axum::body::{Body, Bytes, HttpBody};
use axum::http::{Request, Response};
use hyper::body::Incoming;
use hyper_util::rt::TokioIo;
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::TcpStream;
use tokio::sync::{OwnedSemaphorePermit, watch};
use tokio::time::Instant;

/// The time limits of one connection.
#[derive(Debug, Clone, Copy)]
pub(super) struct Timeouts {
    /// From a request's first byte (or the connection's start) to its last header.
    pub(super) header_read: Duration,
    /// From the last byte read or written: with no request in flight, or with one whose client
    /// has stopped reading or sending.
    pub(super) idle: Duration,
}

/// Serves `stream` until the client closes it, a timeout closes it, or the server stops.
/// `permit` is the connection's place under `--max-connections`: it is given back when the
/// socket closes (for a WebSocket, when the upgraded socket closes).
pub(super) async fn serve(
    stream: TcpStream,
    permit: OwnedSemaphorePermit,
    router: Router,
    timeouts: Timeouts,
    mut stop: watch::Receiver<bool>,
) {
    let _ = stream.set_nodelay(true);
    let activity = Arc::new(Activity::new(Instant::now()));
    let io = Watched {
        stream,
        activity: Arc::clone(&activity),
        _permit: permit,
    };
    let service = Tracked {
        router,
        activity: Arc::clone(&activity),
    };
    let connection = hyper::server::conn::http1::Builder::new()
        .serve_connection(TokioIo::new(io), service)
        .with_upgrades();
    let mut connection = std::pin::pin!(connection);
    let mut stopping = false;
    loop {
        let check = activity.next_check(timeouts, Instant::now());
        tokio::select! {
            served = connection.as_mut() => {
                if let Err(err) = served {
                    tracing::debug!("connection closed: {err}");
                }
                return;
            }
            _ = stop.changed(), if !stopping => {
                stopping = true;
                // Keep-alive off: a request in flight is answered, then the connection closes.
                connection.as_mut().graceful_shutdown();
                if activity.between_requests() {
                    return;
                }
            }
            () = tokio::time::sleep_until(check) => {
                if let Some(reason) = activity.expired(timeouts, Instant::now()) {
                    tracing::debug!("connection closed: {reason}");
                    return;
                }
            }
        }
    }
}

/// What a connection is doing, as seen from its socket and its requests.
struct Activity(Mutex<State>);

struct State {
    /// Requests whose answer is not yet written out.
    in_flight: u32,
    /// When the first byte of a request whose headers are not complete arrived.
    head_since: Option<Instant>,
    /// The last byte read or written, or the end of the last request.
    last: Instant,
}

impl Activity {
    fn new(now: Instant) -> Activity {
        Activity(Mutex::new(State {
            in_flight: 0,
            // A new connection has as long to send its first headers as a request has.
            head_since: Some(now),
            last: now,
        }))
    }

    fn state(&self) -> std::sync::MutexGuard<'_, State> {
        self.0.lock().unwrap_or_else(PoisonError::into_inner)
    }

    fn read(&self, now: Instant) {
        let mut state = self.state();
        state.last = now;
        if state.in_flight == 0 && state.head_since.is_none() {
            state.head_since = Some(now);
        }
    }

    fn wrote(&self, now: Instant) {
        self.state().last = now;
    }

    fn request_started(&self) {
        let mut state = self.state();
        state.in_flight += 1;
        state.head_since = None;
    }

    fn request_ended(&self, now: Instant) {
        let mut state = self.state();
        state.in_flight = state.in_flight.saturating_sub(1);
        state.last = now;
    }

    /// True when no request is in flight: the connection is idle or its request is incomplete.
    fn between_requests(&self) -> bool {
        self.state().in_flight == 0
    }

    /// When a timeout may next expire.
    fn next_check(&self, timeouts: Timeouts, now: Instant) -> Instant {
        let state = self.state();
        if state.in_flight > 0 {
            return (state.last + timeouts.idle).max(now);
        }
        let idle = state.last + timeouts.idle;
        state
            .head_since
            .map_or(idle, |since| idle.min(since + timeouts.header_read))
    }

    /// Why the connection should close now, if it should.
    fn expired(&self, timeouts: Timeouts, now: Instant) -> Option<&'static str> {
        let state = self.state();
        if state.in_flight > 0 {
            // A request runs for at most --request-timeout; a client that stops reading its
            // answer (or sending its body) would hold the connection and the answer for ever.
            (now >= state.last + timeouts.idle).then_some(
                "no byte moved for --idle-timeout with a request in flight: the client stopped \
                 reading its answer or sending its request",
            )
        } else if state
            .head_since
            .is_some_and(|since| now >= since + timeouts.header_read)
        {
            Some("no complete request headers within --header-read-timeout")
        } else if now >= state.last + timeouts.idle {
            Some("idle for --idle-timeout")
        } else {
            None
        }
    }
}

/// The TCP stream, telling [`Activity`] when bytes move.
struct Watched {
    stream: TcpStream,
    activity: Arc<Activity>,
    _permit: OwnedSemaphorePermit,
}

impl AsyncRead for Watched {
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        let this = self.get_mut();
        let before = buf.filled().len();
        let polled = Pin::new(&mut this.stream).poll_read(cx, buf);
        if matches!(polled, Poll::Ready(Ok(()))) && buf.filled().len() > before {
            this.activity.read(Instant::now());
        }
        polled
    }
}

impl AsyncWrite for Watched {
    fn poll_write(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        let this = self.get_mut();
        let polled = Pin::new(&mut this.stream).poll_write(cx, buf);
        if matches!(polled, Poll::Ready(Ok(n)) if n > 0) {
            this.activity.wrote(Instant::now());
        }
        polled
    }

    fn poll_write_vectored(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        let this = self.get_mut();
        let polled = Pin::new(&mut this.stream).poll_write_vectored(cx, bufs);
        if matches!(polled, Poll::Ready(Ok(n)) if n > 0) {
            this.activity.wrote(Instant::now());
        }
        polled
    }

    fn is_write_vectored(&self) -> bool {
        self.stream.is_write_vectored()
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.get_mut().stream).poll_flush(cx)
    }

    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.get_mut().stream).poll_shutdown(cx)
    }
}

/// The router as a hyper service, counting each request in flight until its answer's body is
/// written out (or dropped).
#[derive(Clone)]
struct Tracked {
    router: Router,
    activity: Arc<Activity>,
}

type Answer = Pin<Box<dyn Future<Output = Result<Response<Body>, Infallible>> + Send>>;

impl hyper::service::Service<Request<Incoming>> for Tracked {
    type Response = Response<Body>;
    type Error = Infallible;
    type Future = Answer;

    fn call(&self, request: Request<Incoming>) -> Answer {
        self.activity.request_started();
        let in_flight = InFlight(Arc::clone(&self.activity));
        let answer = tower_service::Service::call(&mut self.router.clone(), request);
        Box::pin(async move {
            let response = answer.await?;
            Ok(response.map(|body| {
                Body::new(Counted {
                    body,
                    _in_flight: in_flight,
                })
            }))
        })
    }
}

/// Ends its request when dropped: with the answer's body, or with the request's future when
/// the connection closes first.
struct InFlight(Arc<Activity>);

impl Drop for InFlight {
    fn drop(&mut self) {
        self.0.request_ended(Instant::now());
    }
}

/// An answer's body, holding its request in flight until it is dropped.
struct Counted {
    body: Body,
    _in_flight: InFlight,
}

impl HttpBody for Counted {
    type Data = Bytes;
    type Error = axum::Error;

    fn poll_frame(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<http_body::Frame<Bytes>, axum::Error>>> {
        Pin::new(&mut self.get_mut().body).poll_frame(cx)
    }

    fn is_end_stream(&self) -> bool {
        self.body.is_end_stream()
    }

    fn size_hint(&self) -> http_body::SizeHint {
        self.body.size_hint()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const TIMEOUTS: Timeouts = Timeouts {
        header_read: Duration::from_secs(10),
        idle: Duration::from_secs(60),
    };

    fn secs(n: u64) -> Duration {
        Duration::from_secs(n)
    }

    #[test]
    fn a_new_connection_must_send_its_headers_within_the_header_timeout() {
        let start = Instant::now();
        let activity = Activity::new(start);
        assert_eq!(activity.next_check(TIMEOUTS, start), start + secs(10));
        assert!(activity.expired(TIMEOUTS, start + secs(9)).is_none());
        // Bytes that do not complete the headers do not extend the time.
        activity.read(start + secs(5));
        let why = activity.expired(TIMEOUTS, start + secs(10));
        assert!(
            why.is_some_and(|w| w.contains("--header-read-timeout")),
            "{why:?}"
        );
    }

    #[test]
    fn a_request_in_flight_lasts_while_bytes_move_and_idleness_counts_from_its_end() {
        let start = Instant::now();
        let activity = Activity::new(start);
        activity.read(start);
        activity.request_started();
        assert!(!activity.between_requests());
        // The answer is being written: each write keeps the connection.
        for minute in 1..=5 {
            activity.wrote(start + secs(50 * minute));
            assert!(
                activity
                    .expired(TIMEOUTS, start + secs(50 * minute + 59))
                    .is_none()
            );
        }
        let ended = start + secs(300);
        activity.request_ended(ended);
        assert!(activity.between_requests());
        assert_eq!(activity.next_check(TIMEOUTS, ended), ended + secs(60));
        assert!(activity.expired(TIMEOUTS, ended + secs(59)).is_none());
        let why = activity.expired(TIMEOUTS, ended + secs(60));
        assert!(why.is_some_and(|w| w.contains("--idle-timeout")), "{why:?}");
        // A request whose client stops reading: closed once nothing moved for the idle time.
        activity.request_started();
        activity.wrote(ended + secs(2));
        assert_eq!(
            activity.next_check(TIMEOUTS, ended + secs(3)),
            ended + secs(62)
        );
        assert!(activity.expired(TIMEOUTS, ended + secs(61)).is_none());
        let why = activity.expired(TIMEOUTS, ended + secs(62));
        assert!(
            why.is_some_and(|w| w.contains("stopped reading")),
            "{why:?}"
        );
        activity.request_ended(ended + secs(62));
        // The next request's first byte starts its header timeout.
        let next = ended + secs(63);
        activity.read(next);
        assert_eq!(activity.next_check(TIMEOUTS, next), next + secs(10));
    }
}
