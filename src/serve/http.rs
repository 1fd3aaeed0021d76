//! What every endpoint shares: JSON errors with their status, the request's
//! body and query parameters read under the server's limits, the bearer
//! token check, the request time limit, and running the matcher off the
//! request's way when the work is large.

use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use std::sync::Arc;

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

    /// 400: a malformed request (body that is not JSON, a parameter out of range).
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

/// The query parameters of a URI, in order, percent-decoded.
pub fn query_pairs(query: Option<&str>) -> ApiResult<Vec<(String, String)>> {
    let Some(q) = query else {
        return Ok(Vec::new());
    };
    let mut out = Vec::new();
    for part in q.split('&').filter(|p| !p.is_empty()) {
        let (k, v) = part.split_once('=').unwrap_or((part, ""));
        out.push((percent_decode(k)?, percent_decode(v)?));
    }
    Ok(out)
}

/// `%XX` escapes and `+` (a space) decoded; the result must be UTF-8.
fn percent_decode(s: &str) -> ApiResult<String> {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'+' => out.push(b' '),
            b'%' => {
                let hex = b
                    .get(i + 1..i + 3)
                    .and_then(|h| std::str::from_utf8(h).ok())
                    .and_then(|h| u8::from_str_radix(h, 16).ok())
                    .ok_or_else(|| {
                        ApiError::bad_request(format!("bad percent escape in the query: {s:?}"))
                    })?;
                out.push(hex);
                i += 2;
            }
            c => out.push(c),
        }
        i += 1;
    }
    String::from_utf8(out)
        .map_err(|_| ApiError::bad_request(format!("query parameter is not UTF-8: {s:?}")))
}

/// Parse a number parameter, or say which parameter is wrong.
pub fn parse_param<T: std::str::FromStr>(name: &str, value: &str) -> ApiResult<T> {
    value
        .trim()
        .parse()
        .map_err(|_| ApiError::bad_request(format!("parameter {name}: not a number: {value:?}")))
}

/// A score parameter: a number between 0 and 1.
pub fn parse_score(name: &str, value: &str) -> ApiResult<f32> {
    let x: f32 = parse_param(name, value)?;
    if !(0.0..=1.0).contains(&x) {
        return Err(ApiError::bad_request(format!(
            "parameter {name}: must be between 0 and 1, got {value}"
        )));
    }
    Ok(x)
}

/// Paths answered without a token: a load balancer's health checks.
const OPEN_PATHS: [&str; 2] = ["/healthz", "/readyz"];

/// With `--token-file`: a request without `Authorization: Bearer TOKEN` is 401.
pub async fn require_token(State(app): State<Arc<App>>, req: Request, next: Next) -> Response {
    if let Some(token) = &app.token
        && !OPEN_PATHS.contains(&req.uri().path())
    {
        let given = req
            .headers()
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer "))
            .map(str::trim);
        if !given.is_some_and(|g| constant_time_eq(g.as_bytes(), token.as_bytes())) {
            return ApiError::new(
                StatusCode::UNAUTHORIZED,
                "missing or wrong bearer token (Authorization: Bearer TOKEN)",
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

/// A request that takes longer than `--request-timeout` is answered 503.
pub async fn time_limit(State(app): State<Arc<App>>, req: Request, next: Next) -> Response {
    match tokio::time::timeout(app.request_timeout, next.run(req)).await {
        Ok(r) => r,
        Err(_) => ApiError::new(
            StatusCode::SERVICE_UNAVAILABLE,
            format!(
                "the request took longer than the server's limit of {:.1} s (--request-timeout)",
                app.request_timeout.as_secs_f64()
            ),
        )
        .into_response(),
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
    let internal = || ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, "internal error");
    if names <= 1 {
        std::panic::catch_unwind(std::panic::AssertUnwindSafe(work)).map_err(|_| internal())?
    } else {
        tokio::task::spawn_blocking(work)
            .await
            .map_err(|_| internal())?
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
