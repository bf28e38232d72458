//! The outermost middleware: a tracing span and a request id per request, the request
//! metrics, logging a 5xx's cause once, and the safety net that turns any error response
//! that is not already problem+json into one.
//!
//! Only the method, the route pattern, the status and the time are logged: never a path,
//! a query string or a body, which may hold emails.

use std::time::Instant;

use actix_web::body::{BoxBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header::{self, HeaderName, HeaderValue};
use actix_web::middleware::Next;
use actix_web::{Error, ResponseError, web};
use tracing::Instrument;

use super::problem::{Kind, PROBLEM_JSON, Problem};
use super::state::AppState;

pub const REQUEST_ID: HeaderName = HeaderName::from_static("x-request-id");

/// The longest request target (path and query) the app reads: 8 KiB, as most servers and
/// proxies allow. A longer one up to actix-http's own limit (65,534 bytes) is a 414
/// problem; beyond that actix answers a bodiless 400 before the app sees it (docs/api.md).
pub const MAX_TARGET: usize = 8 * 1024;

/// Wraps every request; see the module docs.
///
/// # Errors
/// Never: an inner error becomes a problem response here.
pub async fn observe(
    request: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, Error> {
    let started = Instant::now();
    let request_id = request
        .headers()
        .get(&REQUEST_ID)
        .and_then(|value| value.to_str().ok())
        .filter(|id| acceptable_id(id))
        .map(str::to_string)
        .unwrap_or_else(|| uuid::Uuid::new_v4().to_string());
    let method = request.method().to_string();
    let route = request
        .match_pattern()
        .unwrap_or_else(|| "unmatched".to_string());
    let state = request.app_data::<web::Data<AppState>>().cloned();
    let span =
        tracing::info_span!("request", request_id = %request_id, method = %method, route = %route);
    // Inner layers answer errors as responses (see `auth`), so an `Err` here is actix's
    // own and is rendered by actix; it is still counted.
    let target = request
        .uri()
        .path_and_query()
        .map_or(0, |target| target.as_str().len());
    let outcome = if target > MAX_TARGET {
        let problem = Problem::new(
            Kind::UriTooLong,
            format!(
                "the request target (path and query) is {target} bytes long; at most {MAX_TARGET} are read"
            ),
        );
        let (http_request, _) = request.into_parts();
        Ok(ServiceResponse::new(http_request, problem.error_response()))
    } else {
        next.call(request)
            .instrument(span.clone())
            .await
            .map(ServiceResponse::map_into_boxed_body)
    };
    let mut response = match outcome {
        Ok(response) => response,
        Err(error) => {
            if let Some(state) = state {
                let status = error.as_response_error().status_code().as_u16();
                state
                    .metrics
                    .request(&method, &route, status, started.elapsed());
            }
            return Err(error);
        }
    };
    if let Some(cause) = response
        .response()
        .error()
        .and_then(|error| error.as_error::<Problem>())
        .and_then(|problem| problem.cause.clone())
    {
        // A failure of the server is an error; a cause behind a client's error, a warning.
        if response.status().is_server_error() {
            span.in_scope(|| tracing::error!(cause = %cause, "request failed"));
        } else {
            span.in_scope(|| tracing::warn!(cause = %cause, "request refused"));
        }
    }
    let status = response.status();
    let is_problem = response
        .headers()
        .get(header::CONTENT_TYPE)
        .is_some_and(|value| value.as_bytes().starts_with(PROBLEM_JSON.as_bytes()));
    if (status.is_client_error() || status.is_server_error()) && !is_problem {
        let problem = Problem::new(
            Kind::of_status(status),
            status.canonical_reason().unwrap_or("error").to_lowercase(),
        );
        let (http_request, _) = response.into_parts();
        let mut replacement = problem.error_response();
        *replacement.status_mut() = status;
        response = ServiceResponse::new(http_request, replacement);
    }
    if let Ok(value) = HeaderValue::from_str(&request_id) {
        response.headers_mut().insert(REQUEST_ID, value);
    }
    let took = started.elapsed();
    if let Some(state) = state {
        state
            .metrics
            .request(&method, &route, status.as_u16(), took);
    }
    span.in_scope(|| {
        tracing::info!(
            status = status.as_u16(),
            took_ms = took.as_millis() as u64,
            "request finished"
        )
    });
    Ok(response)
}

/// A client's request id is echoed only when it is short and plain.
fn acceptable_id(id: &str) -> bool {
    !id.is_empty()
        && id.len() <= 64
        && id
            .bytes()
            .all(|byte| byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'_' | b'.'))
}
