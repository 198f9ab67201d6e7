//! `newsdex serve`: a JSON API that mirrors the CLI (same requests, DESIGN §5 shapes) and
//! a search page, both embedded in the binary.
//!
//! Searches run on tokio's blocking pool, at most [`Server::max_searches`] at once; a
//! request that waits longer than [`QUEUE_WAIT`] for a slot gets 503. The index reader
//! reloads itself after every commit, so `newsdex index` runs show up without a restart.

mod api;
mod error;
mod params;

pub use error::ApiError;
pub use params::{MAX_LIMIT, MAX_OFFSET, MAX_QUERY_CHARS};

use crate::error::{Error, Result};
use crate::index::ArticleIndex;
use axum::Router;
use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use serde::Serialize;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

/// The page, its script and style sheet, and the API description.
const PAGE: &str = include_str!("page.html");
const SCRIPT: &str = include_str!("app.js");
const STYLE: &str = include_str!("app.css");
const OPENAPI: &str = include_str!("openapi.json");

/// Longest wait for a search slot before answering 503.
pub const QUEUE_WAIT: Duration = Duration::from_secs(10);

/// Scripts only from this server, no inline script, no plugins, no framing.
const CONTENT_SECURITY_POLICY: &str = "default-src 'none'; script-src 'self'; \
     style-src 'self'; img-src 'self'; connect-src 'self'; base-uri 'none'; \
     form-action 'self'; frame-ancestors 'none'";

/// What every handler shares.
pub(crate) struct AppState {
    pub(crate) index: Arc<ArticleIndex>,
    permits: Arc<tokio::sync::Semaphore>,
    /// True when bound to a loopback address: then only loopback host names are served,
    /// which keeps other web sites out through DNS rebinding.
    loopback_only: bool,
}

impl AppState {
    /// Runs `work` on the blocking pool once a search slot is free.
    pub(crate) async fn blocking<T: Send + 'static>(
        &self,
        work: impl FnOnce(&ArticleIndex) -> std::result::Result<T, ApiError> + Send + 'static,
    ) -> std::result::Result<T, ApiError> {
        let permit = tokio::time::timeout(QUEUE_WAIT, self.permits.clone().acquire_owned())
            .await
            .map_err(|_| ApiError::busy())?
            .map_err(|_| ApiError::busy())?;
        let index = Arc::clone(&self.index);
        tokio::task::spawn_blocking(move || {
            let _permit = permit;
            work(&index)
        })
        .await
        .map_err(|error| ApiError::internal(format!("search task failed: {error}")))?
    }
}

/// A bound, not yet running server.
pub struct Server {
    listener: std::net::TcpListener,
    index: Arc<ArticleIndex>,
    max_searches: usize,
}

impl Server {
    /// Binds `addr` (port 0 picks a free port) for the index; the reader is opened here so
    /// a broken index fails before anything listens.
    pub fn bind(index: ArticleIndex, addr: SocketAddr) -> Result<Server> {
        index.searcher()?;
        let listener = std::net::TcpListener::bind(addr)
            .map_err(|error| Error::io(format!("cannot listen on {addr}"), error))?;
        let cores = std::thread::available_parallelism().map_or(2, |cores| cores.get());
        Ok(Server {
            listener,
            // The server searches many times: facet counts come from decoded arrays.
            index: Arc::new(index.keep_facet_cache()),
            max_searches: cores.max(2) * 2,
        })
    }

    /// The address actually bound.
    pub fn local_addr(&self) -> Result<SocketAddr> {
        self.listener
            .local_addr()
            .map_err(|error| Error::io("listening socket", error))
    }

    /// Searches allowed to run at once.
    pub fn max_searches(&self) -> usize {
        self.max_searches
    }

    /// Serves until Ctrl-C or SIGTERM, then finishes the requests in flight.
    pub fn run(self) -> Result<()> {
        let address = self.local_addr()?;
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .max_blocking_threads(self.max_searches + 2)
            // Deeply nested query text recurses in the query parser.
            .thread_stack_size(8 * 1024 * 1024)
            .enable_all()
            .build()
            .map_err(|error| Error::io("tokio runtime", error))?;
        let state = Arc::new(AppState {
            index: self.index,
            permits: Arc::new(tokio::sync::Semaphore::new(self.max_searches)),
            loopback_only: address.ip().is_loopback(),
        });
        let app = router(state);
        let listener = self.listener;
        runtime.block_on(async move {
            listener
                .set_nonblocking(true)
                .map_err(|error| Error::io(address.to_string(), error))?;
            let listener = tokio::net::TcpListener::from_std(listener)
                .map_err(|error| Error::io(address.to_string(), error))?;
            axum::serve(listener, app)
                .with_graceful_shutdown(shutdown_signal())
                .await
                .map_err(|error| Error::io(address.to_string(), error))
        })
    }
}

/// The routes: the page and its files, the API, and JSON 404/405 for everything else.
fn router(state: Arc<AppState>) -> Router {
    Router::new()
        .route(
            "/",
            get(|| async { asset(PAGE, "text/html; charset=utf-8") }),
        )
        .route(
            "/app.js",
            get(|| async { asset(SCRIPT, "text/javascript; charset=utf-8") }),
        )
        .route(
            "/app.css",
            get(|| async { asset(STYLE, "text/css; charset=utf-8") }),
        )
        .route(
            "/api/openapi.json",
            get(|| async { asset(OPENAPI, "application/json") }),
        )
        .route("/healthz", get(api::health))
        .route("/api/search", get(api::search))
        .route("/api/timeline", get(api::timeline))
        .route("/api/related", get(api::related))
        .route("/api/stats", get(api::stats))
        .route("/api/article/{*id}", get(api::article))
        .fallback(|| async { ApiError::not_found("no such endpoint: see /api/openapi.json") })
        .method_not_allowed_fallback(|| async {
            ApiError {
                status: StatusCode::METHOD_NOT_ALLOWED,
                message: "only GET is supported".to_string(),
            }
        })
        .layer(axum::middleware::from_fn_with_state(
            Arc::clone(&state),
            guard,
        ))
        .with_state(state)
}

/// Refuses foreign host names on a loopback server, and sets the security headers on
/// every response.
async fn guard(State(state): State<Arc<AppState>>, request: Request, next: Next) -> Response {
    let host = request
        .headers()
        .get(header::HOST)
        .and_then(|value| value.to_str().ok());
    let mut response = if state.loopback_only && !host.is_none_or(is_loopback_host) {
        ApiError {
            status: StatusCode::FORBIDDEN,
            message: "this server answers only to localhost, 127.0.0.1 or [::1]".to_string(),
        }
        .into_response()
    } else {
        next.run(request).await
    };
    let headers = response.headers_mut();
    let fixed = [
        (
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static(CONTENT_SECURITY_POLICY),
        ),
        (
            header::X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        ),
        (header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY")),
        (
            header::REFERRER_POLICY,
            HeaderValue::from_static("no-referrer"),
        ),
    ];
    for (name, value) in fixed {
        headers.insert(name, value);
    }
    if !headers.contains_key(header::CACHE_CONTROL) {
        headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    response
}

/// "localhost", "127.0.0.1", "[::1]" and the like, with or without a port.
fn is_loopback_host(host: &str) -> bool {
    let name = match host.strip_prefix('[') {
        Some(rest) => rest.split(']').next().unwrap_or(""),
        None => host.rsplit_once(':').map_or(host, |(name, _)| name),
    };
    if name.eq_ignore_ascii_case("localhost") {
        return true;
    }
    name.parse::<std::net::IpAddr>()
        .is_ok_and(|address| address.is_loopback())
}

/// An embedded file.
fn asset(body: &'static str, content_type: &'static str) -> Response {
    let mut response = Response::new(Body::from(body));
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    response
}

/// A JSON body with a status.
pub(crate) fn json_response(status: StatusCode, value: &impl Serialize) -> Response {
    let body = match serde_json::to_vec(value) {
        Ok(body) => body,
        Err(error) => {
            return ApiError::internal(format!("cannot write JSON: {error}")).into_response();
        }
    };
    let mut response = Response::new(Body::from(body));
    *response.status_mut() = status;
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    response
}

/// Resolves on Ctrl-C or SIGTERM.
async fn shutdown_signal() {
    let interrupt = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = interrupt => {}
        () = terminate => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn loopback_host_names() {
        for host in [
            "localhost",
            "localhost:7700",
            "LOCALHOST:1",
            "127.0.0.1",
            "127.0.0.1:7700",
            "127.8.9.10:80",
            "[::1]",
            "[::1]:7700",
        ] {
            assert!(is_loopback_host(host), "{host}");
        }
        for host in [
            "example.com",
            "evil.example:7700",
            "localhost.evil.example",
            "10.0.0.1:7700",
            "[::2]:7700",
            "",
        ] {
            assert!(!is_loopback_host(host), "{host}");
        }
    }

    /// The OpenAPI description is valid JSON and lists every route and every parameter
    /// the server accepts, and no other.
    #[test]
    fn openapi_lists_every_endpoint_and_parameter() {
        let spec: serde_json::Value = serde_json::from_str(OPENAPI).unwrap();
        assert_eq!(spec["openapi"].as_str().unwrap().get(..2), Some("3."));
        let paths = spec["paths"].as_object().unwrap();
        let mut listed: Vec<&str> = paths.keys().map(String::as_str).collect();
        listed.sort();
        assert_eq!(
            listed,
            [
                "/",
                "/api/article/{id}",
                "/api/openapi.json",
                "/api/related",
                "/api/search",
                "/api/stats",
                "/api/timeline",
                "/app.css",
                "/app.js",
                "/healthz",
            ]
        );
        let parameters = |path: &str| -> Vec<String> {
            let mut names: Vec<String> = paths[path]["get"]["parameters"]
                .as_array()
                .map(Vec::as_slice)
                .unwrap_or_default()
                .iter()
                .map(|parameter| {
                    let parameter = match parameter["$ref"].as_str() {
                        Some(reference) => {
                            let name = reference.rsplit('/').next().unwrap();
                            &spec["components"]["parameters"][name]
                        }
                        None => parameter,
                    };
                    parameter["name"].as_str().unwrap().to_string()
                })
                .collect();
            names.sort();
            names
        };
        let sorted = |names: &[&str]| -> Vec<String> {
            let mut names: Vec<String> = names.iter().map(|name| name.to_string()).collect();
            names.sort();
            names
        };
        assert_eq!(parameters("/api/search"), sorted(&params::SEARCH));
        assert_eq!(parameters("/api/timeline"), sorted(&params::TIMELINE));
        assert_eq!(parameters("/api/related"), sorted(&params::RELATED));
        assert_eq!(parameters("/api/article/{id}"), ["id"]);
        assert!(parameters("/api/stats").is_empty());
    }
}
