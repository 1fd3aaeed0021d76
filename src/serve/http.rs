//! What every endpoint shares: JSON errors with their status, query
//! parameters read into typed structs, the token check, CORS, the limits on
//! a request's size, and the time budget that bounds its work.

use axum::body::Body;
use axum::extract::{FromRequestParts, Request, State};
use axum::http::request::Parts;
use axum::http::{HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use serde::de::DeserializeOwned;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use super::App;

/// An error answered as JSON: `{"status": 422, "detail": "...", "error":
/// "..."}`. `detail` is where yente's (FastAPI's) clients read the message,
/// `error` where Watchman's do; both say the same.
#[derive(Debug, Clone)]
pub struct ApiError {
    /// The HTTP status.
    pub status: StatusCode,
    /// What went wrong, for a person.
    pub message: String,
}

/// The body of every error answer.
#[derive(Serialize)]
struct ErrorBody<'a> {
    status: u16,
    detail: &'a str,
    error: &'a str,
}

impl ApiError {
    /// An error with this status and message.
    pub fn new(status: StatusCode, message: impl Into<String>) -> ApiError {
        ApiError {
            status,
            message: message.into(),
        }
    }

    /// 400: a malformed request (body that is not JSON, a parameter out of
    /// range, a filter this server cannot apply).
    pub fn bad_request(message: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::BAD_REQUEST, message)
    }

    /// 422: well-formed JSON that does not say what it must.
    pub fn unprocessable(message: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, message)
    }

    /// 404: no such dataset, entity or path.
    pub fn not_found(message: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::NOT_FOUND, message)
    }

    /// 500: a bug, said without detail.
    pub fn internal() -> ApiError {
        ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, "internal error")
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let body = ErrorBody {
            status: self.status.as_u16(),
            detail: &self.message,
            error: &self.message,
        };
        let mut r = (self.status, axum::Json(body)).into_response();
        if self.status == StatusCode::UNAUTHORIZED {
            r.headers_mut()
                .insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
        }
        r
    }
}

/// A result whose error is answered as JSON.
pub type ApiResult<T> = Result<T, ApiError>;

/// Read a request body of at most `limit` bytes; a larger one is 413.
pub async fn body_bytes(body: Body, limit: usize) -> ApiResult<axum::body::Bytes> {
    axum::body::to_bytes(body, limit).await.map_err(|e| {
        // The only error besides the limit is a broken connection.
        let too_large = format!("{e} {:?}", std::error::Error::source(&e)).contains("length limit");
        if too_large {
            ApiError::new(
                StatusCode::PAYLOAD_TOO_LARGE,
                format!("the request body is larger than the server's limit of {limit} bytes (--max-body)"),
            )
        } else {
            ApiError::bad_request(format!("the request body could not be read: {e}"))
        }
    })
}

/// A request's query parameters read into `T` (a serde struct of the
/// endpoint's parameters; a repeated parameter fills a `Vec`). Escapes
/// must be well formed and decode to UTF-8, else 400; a value of the
/// wrong type is a 400 naming the parameter.
pub struct Params<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned> FromRequestParts<S> for Params<T> {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> ApiResult<Params<T>> {
        let query = parts.uri.query().unwrap_or("");
        parse_query(query).map(Params)
    }
}

/// Read a query string into `T`, as [`Params`] does.
pub fn parse_query<T: DeserializeOwned>(query: &str) -> ApiResult<T> {
    check_escapes(query)?;
    let de = serde_html_form::Deserializer::from_bytes(query.as_bytes());
    serde_path_to_error::deserialize(de).map_err(|e| {
        let path = e.path().to_string();
        if path == "." || path.is_empty() {
            ApiError::bad_request(format!("query parameters: {}", e.inner()))
        } else {
            ApiError::bad_request(format!("parameter {path}: {}", e.inner()))
        }
    })
}

/// Every `%` of a query string starts an escape of two hex digits, and the
/// decoded bytes are UTF-8 (a lossy decoding would screen another name).
fn check_escapes(query: &str) -> ApiResult<()> {
    for part in query.split('&') {
        for s in part.splitn(2, '=') {
            let b = s.as_bytes();
            let mut out = Vec::with_capacity(b.len());
            let mut i = 0;
            while i < b.len() {
                if b[i] == b'%' {
                    let hex = b
                        .get(i + 1..i + 3)
                        .and_then(|h| std::str::from_utf8(h).ok())
                        .and_then(|h| u8::from_str_radix(h, 16).ok())
                        .ok_or_else(|| {
                            ApiError::bad_request(format!("bad percent escape in the query: {s:?}"))
                        })?;
                    out.push(hex);
                    i += 3;
                } else {
                    out.push(b[i]);
                    i += 1;
                }
            }
            if std::str::from_utf8(&out).is_err() {
                return Err(ApiError::bad_request(format!(
                    "query parameter is not UTF-8: {s:?}"
                )));
            }
        }
    }
    Ok(())
}

/// A score parameter: a number between 0 and 1.
pub fn check_score(name: &str, x: f32) -> ApiResult<f32> {
    if !(0.0..=1.0).contains(&x) {
        return Err(ApiError::bad_request(format!(
            "parameter {name}: must be between 0 and 1, got {x}"
        )));
    }
    Ok(x)
}

/// A name longer than this (in characters) is refused: the limit the list
/// loaders and `screen` keep ([`crate::input::MAX_NAME_CHARS`]).
pub const MAX_NAME_CHARS: usize = crate::input::MAX_NAME_CHARS;

/// Refuse a name longer than [`MAX_NAME_CHARS`] (400, naming `field`).
pub fn check_name(field: &str, name: &str) -> ApiResult<()> {
    if name.len() > MAX_NAME_CHARS && name.chars().count() > MAX_NAME_CHARS {
        return Err(ApiError::bad_request(format!(
            "{field}: a name is at most {MAX_NAME_CHARS} characters, this one {}",
            name.chars().count()
        )));
    }
    Ok(())
}

/// Paths answered without a token: a load balancer's health checks.
const OPEN_PATHS: [&str; 2] = ["/healthz", "/readyz"];

/// The token of an `Authorization` header: `Bearer TOKEN` (the scheme in
/// any case, as RFC 9110 has it) or `ApiKey TOKEN` (yente-client's).
fn given_token(value: &str) -> Option<&str> {
    let (scheme, token) = value.trim().split_once(' ')?;
    (scheme.eq_ignore_ascii_case("bearer") || scheme.eq_ignore_ascii_case("apikey"))
        .then(|| token.trim())
}

/// The `api_key` query parameter, where OpenSanctions' hosted API (and
/// Marble, calling it) puts the key.
#[derive(serde::Deserialize)]
struct ApiKeyParam {
    api_key: Option<String>,
}

/// With `--token-file`: a request without `Authorization: Bearer TOKEN`
/// (or `ApiKey TOKEN`, or yente's `api_key=TOKEN` parameter) is 401. CORS
/// preflights carry no credentials and are answered before this.
pub async fn require_token(State(app): State<Arc<App>>, req: Request, next: Next) -> Response {
    if let Some(token) = &app.token
        && !OPEN_PATHS.contains(&req.uri().path())
    {
        let header = req
            .headers()
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(given_token)
            .map(str::to_string);
        let param = || {
            let q = req.uri().query()?;
            let p: ApiKeyParam = serde_html_form::from_str(q).ok()?;
            p.api_key
        };
        let given = header.or_else(param);
        if !given.is_some_and(|g| constant_time_eq(g.as_bytes(), token.as_bytes())) {
            return ApiError::new(
                StatusCode::UNAUTHORIZED,
                "missing or wrong token (Authorization: Bearer TOKEN or ApiKey TOKEN, or api_key=TOKEN)",
            )
            .into_response();
        }
    }
    next.run(req).await
}

/// Compare two byte strings in time that depends only on their lengths.
fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// CORS, as yente (`allow_origins=["*"]`) and Watchman document it: every
/// answer carries `Access-Control-Allow-Origin: *`, and a preflight
/// (`OPTIONS` with `Access-Control-Request-Method`) is answered 204 with
/// the methods and headers allowed. No credentials are shared (a token
/// is a header the page sets itself).
pub async fn cors(req: Request, next: Next) -> Response {
    let preflight = req.method() == Method::OPTIONS
        && req
            .headers()
            .contains_key(header::ACCESS_CONTROL_REQUEST_METHOD);
    let mut r = if preflight {
        let mut r = StatusCode::NO_CONTENT.into_response();
        let h = r.headers_mut();
        h.insert(
            header::ACCESS_CONTROL_ALLOW_METHODS,
            HeaderValue::from_static("GET, POST, OPTIONS"),
        );
        h.insert(
            header::ACCESS_CONTROL_ALLOW_HEADERS,
            HeaderValue::from_static("Authorization, Content-Type, Accept"),
        );
        h.insert(
            header::ACCESS_CONTROL_MAX_AGE,
            HeaderValue::from_static("600"),
        );
        r
    } else {
        next.run(req).await
    };
    r.headers_mut().insert(
        header::ACCESS_CONTROL_ALLOW_ORIGIN,
        HeaderValue::from_static("*"),
    );
    r
}

/// The longest request target answered (longer: 414), and the most header
/// bytes (more: 431), both as JSON errors. hyper refuses still larger ones
/// (a target over 64 KiB, headers over its buffer) itself, with an empty
/// body: these limits sit under its own so that a client gets a reason.
pub const MAX_URI_BYTES: usize = 16 * 1024;
/// See [`MAX_URI_BYTES`].
pub const MAX_HEADER_BYTES: usize = 32 * 1024;

/// Refuse a request target or headers over the limits above, as JSON.
pub async fn size_limits(req: Request, next: Next) -> Response {
    let uri = req.uri().to_string().len();
    if uri > MAX_URI_BYTES {
        return ApiError::new(
            StatusCode::URI_TOO_LONG,
            format!("the request target is {uri} bytes, more than the server's {MAX_URI_BYTES}"),
        )
        .into_response();
    }
    let headers: usize = req
        .headers()
        .iter()
        .map(|(k, v)| k.as_str().len() + v.len() + 4)
        .sum();
    if headers > MAX_HEADER_BYTES {
        return ApiError::new(
            StatusCode::REQUEST_HEADER_FIELDS_TOO_LARGE,
            format!(
                "the request headers are {headers} bytes, more than the server's {MAX_HEADER_BYTES}"
            ),
        )
        .into_response();
    }
    next.run(req).await
}

/// How long a request may still work, shared with the work it started: its
/// deadline, a flag set when the request ends before its work does (its
/// time ran out, or the client went away), and the server's own stop flag.
/// Screening checks it between names and between batches of names, so
/// that a request that is over stops using the cores.
#[derive(Clone, Debug)]
pub struct Budget {
    deadline: Instant,
    limit: Duration,
    dropped: Arc<AtomicBool>,
    stopping: Arc<AtomicBool>,
}

impl Budget {
    /// A budget of `limit` from now, ended early by `stopping`.
    pub fn new(limit: Duration, stopping: Arc<AtomicBool>) -> Budget {
        Budget {
            deadline: Instant::now() + limit,
            limit,
            dropped: Arc::new(AtomicBool::new(false)),
            stopping,
        }
    }

    /// Is the work to stop?
    pub fn spent(&self) -> bool {
        self.dropped.load(Ordering::Relaxed)
            || self.stopping.load(Ordering::Relaxed)
            || Instant::now() >= self.deadline
    }

    /// `Err(503)` once the work is to stop.
    pub fn check(&self) -> ApiResult<()> {
        if self.spent() {
            Err(self.error())
        } else {
            Ok(())
        }
    }

    /// The answer of a request whose time ran out (or whose server stops).
    pub fn error(&self) -> ApiError {
        if self.stopping.load(Ordering::Relaxed) {
            return ApiError::new(
                StatusCode::SERVICE_UNAVAILABLE,
                "the server is stopping; send the request again to another instance",
            );
        }
        ApiError::new(
            StatusCode::SERVICE_UNAVAILABLE,
            format!(
                "the request took longer than the server's limit of {:.1} s (--request-timeout)",
                self.limit.as_secs_f64()
            ),
        )
    }
}

/// Sets the budget's flag when dropped: when the request's future ends,
/// answered or abandoned.
struct EndOnDrop(Arc<AtomicBool>);

impl Drop for EndOnDrop {
    fn drop(&mut self) {
        self.0.store(true, Ordering::Relaxed);
    }
}

impl<S: Send + Sync> FromRequestParts<S> for Budget {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> ApiResult<Budget> {
        parts
            .extensions
            .get::<Budget>()
            .cloned()
            .ok_or_else(ApiError::internal)
    }
}

/// A request that takes longer than `--request-timeout` is answered 503,
/// and its [`Budget`] tells the work it started to stop.
pub async fn time_limit(State(app): State<Arc<App>>, mut req: Request, next: Next) -> Response {
    let budget = Budget::new(app.request_timeout, Arc::clone(&app.stopping));
    let _end = EndOnDrop(Arc::clone(&budget.dropped));
    req.extensions_mut().insert(budget.clone());
    match tokio::time::timeout(app.request_timeout, next.run(req)).await {
        Ok(r) => r,
        Err(_) => budget.error().into_response(),
    }
}

/// Run matching work: inline when it is one name (a fraction of a
/// millisecond, cheaper than a hand-off), else on the blocking pool so that
/// the async workers keep answering. A panic becomes a 500, never a dropped
/// connection.
pub async fn compute<T: Send + 'static>(
    names: usize,
    work: impl FnOnce() -> ApiResult<T> + Send + 'static,
) -> ApiResult<T> {
    if names <= 1 {
        std::panic::catch_unwind(std::panic::AssertUnwindSafe(work))
            .map_err(|_| ApiError::internal())?
    } else {
        tokio::task::spawn_blocking(work)
            .await
            .map_err(|_| ApiError::internal())?
    }
}

/// 404 for a path no endpoint serves.
pub async fn no_route(req: Request) -> ApiError {
    ApiError::not_found(format!("no endpoint {} {}", req.method(), req.uri().path()))
}

/// 405 for a path served under another method.
pub async fn wrong_method(req: Request) -> ApiError {
    ApiError::new(
        StatusCode::METHOD_NOT_ALLOWED,
        format!("{} is not served for {}", req.method(), req.uri().path()),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_read_from_bearer_and_apikey_in_any_case() {
        for (header, want) in [
            ("Bearer abc", Some("abc")),
            ("bearer abc", Some("abc")),
            ("BEARER  abc ", Some("abc")),
            ("ApiKey abc", Some("abc")),
            ("apikey abc", Some("abc")),
            ("Basic abc", None),
            ("abc", None),
        ] {
            assert_eq!(given_token(header), want, "{header}");
        }
    }

    #[test]
    fn escapes_must_be_whole_and_utf8() {
        assert!(check_escapes("name=a%20b&x=%C3%A9").is_ok());
        assert!(check_escapes("name=%ZZ").is_err());
        assert!(check_escapes("name=%FF").is_err());
        assert!(check_escapes("name=%4").is_err());
    }
}
