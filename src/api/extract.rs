//! Extractor configuration, so malformed input becomes a problem like any other error:
//! JSON bodies, query strings and path segments, and reading an upload within the body
//! limit.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use actix_web::error::{JsonPayloadError, PathError, QueryPayloadError};
use actix_web::http::header;
use actix_web::{HttpRequest, web};
use futures_util::StreamExt;

use super::problem::{Kind, Problem};

/// The largest page a list answers.
pub const MAX_PAGE: usize = 1000;
/// The page size when `limit` is not given.
pub const DEFAULT_PAGE: usize = 50;

pub fn json_config(limit: usize) -> web::JsonConfig {
    web::JsonConfig::default()
        .limit(limit)
        .error_handler(|error, _| {
            let problem = match &error {
                JsonPayloadError::ContentType => Problem::new(
                    Kind::UnsupportedMediaType,
                    "send the body as application/json",
                ),
                JsonPayloadError::Overflow { .. }
                | JsonPayloadError::OverflowKnownLength { .. } => {
                    Problem::new(Kind::PayloadTooLarge, error.to_string())
                }
                JsonPayloadError::Deserialize(inner) => {
                    Problem::bad_request(format!("the JSON body is not valid: {inner}"))
                }
                _ => Problem::bad_request(format!("the JSON body cannot be read: {error}")),
            };
            problem.into()
        })
}

pub fn query_config() -> web::QueryConfig {
    web::QueryConfig::default().error_handler(|error: QueryPayloadError, _| {
        let QueryPayloadError::Deserialize(inner) = &error else {
            return Problem::bad_request(error.to_string()).into();
        };
        Problem::bad_request(format!("bad query parameter: {inner}")).into()
    })
}

pub fn path_config() -> web::PathConfig {
    web::PathConfig::default().error_handler(|error: PathError, _| {
        Problem::bad_request(format!("bad path segment: {error}")).into()
    })
}

/// Checks a page size and turns a cursor back into the id it stands for.
///
/// # Errors
/// 400 for a limit outside 1..=1000 or a cursor this server did not hand out.
pub fn page(limit: Option<usize>, cursor: Option<&str>) -> Result<(usize, i64), Problem> {
    let limit = limit.unwrap_or(DEFAULT_PAGE);
    if !(1..=MAX_PAGE).contains(&limit) {
        return Err(Problem::bad_request(format!(
            "limit must be between 1 and {MAX_PAGE}, not {limit}"
        )));
    }
    let after = match cursor {
        None => 0,
        Some(text) => super::shapes::cursor(text)?,
    };
    Ok((limit, after))
}

/// Uploads read at the same time at most: each may hold up to the body limit in memory,
/// so this bounds what stalled or slow uploads can take (4 × 50 MB by default).
pub const UPLOADS_IN_FLIGHT: usize = 4;

/// How long an upload may go without sending a byte (by default), and how long it may take
/// in all.
pub const UPLOAD_IDLE: Duration = Duration::from_secs(30);
pub const UPLOAD_TOTAL: Duration = Duration::from_secs(600);

/// The deadlines of one upload.
#[derive(Debug, Clone, Copy)]
struct Deadlines {
    started: Instant,
    idle: Duration,
}

/// One of the [`UPLOADS_IN_FLIGHT`] places, given back when dropped.
pub struct UploadSlot<'a>(&'a AtomicUsize);

impl<'a> UploadSlot<'a> {
    /// A place for one more upload.
    ///
    /// # Errors
    /// 503 (with `Retry-After`) when every place is taken.
    pub fn take(in_flight: &'a AtomicUsize) -> Result<UploadSlot<'a>, Problem> {
        if in_flight.fetch_add(1, Ordering::AcqRel) >= UPLOADS_IN_FLIGHT {
            in_flight.fetch_sub(1, Ordering::AcqRel);
            return Err(Problem::new(
                Kind::Busy,
                format!(
                    "{UPLOADS_IN_FLIGHT} uploads are being read already; retry in a few seconds"
                ),
            ));
        }
        Ok(UploadSlot(in_flight))
    }
}

impl Drop for UploadSlot<'_> {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::AcqRel);
    }
}

/// The next chunk of a body, waiting at most until the idle or total deadline.
async fn next_chunk<S, T, E>(stream: &mut S, deadlines: Deadlines) -> Result<Option<T>, Problem>
where
    S: futures_util::Stream<Item = Result<T, E>> + Unpin,
    E: std::fmt::Display,
{
    let left = UPLOAD_TOTAL.saturating_sub(deadlines.started.elapsed());
    let wait = left.min(deadlines.idle);
    match actix_web::rt::time::timeout(wait, stream.next()).await {
        Err(_) => Err(Problem::new(
            Kind::RequestTimeout,
            if left <= deadlines.idle {
                format!("the body took longer than {} s", UPLOAD_TOTAL.as_secs())
            } else {
                format!("no byte of the body for {} s", deadlines.idle.as_secs_f32())
            },
        )),
        Ok(None) => Ok(None),
        Ok(Some(Ok(chunk))) => Ok(Some(chunk)),
        Ok(Some(Err(error))) => Err(Problem::bad_request(format!(
            "the body cannot be read: {error}"
        ))),
    }
}

/// Reads an upload: the raw body, or the `file` part of a multipart form, within `limit`.
///
/// # Errors
/// 413 past the limit; 415 for a compressed body (`Content-Encoding`); 408 for a body that
/// stalls or takes too long; 400 for a broken body, or a form without exactly one `file`
/// part.
pub async fn upload(
    request: &HttpRequest,
    payload: web::Payload,
    limit: usize,
    idle: Duration,
) -> Result<Vec<u8>, Problem> {
    let started = Deadlines {
        started: Instant::now(),
        idle,
    };
    let too_large = || {
        Problem::new(
            Kind::PayloadTooLarge,
            format!("the body is over the limit of {limit} bytes"),
        )
    };
    if let Some(encoding) = request
        .headers()
        .get(header::CONTENT_ENCODING)
        .map(|value| value.to_str().unwrap_or("?").trim().to_ascii_lowercase())
        .filter(|encoding| encoding != "identity")
    {
        return Err(Problem::new(
            Kind::UnsupportedMediaType,
            format!("Content-Encoding {encoding:?} is not accepted: send the file as it is"),
        ));
    }
    let declared = request
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.parse::<usize>().ok());
    if declared.is_some_and(|length| length > limit) {
        return Err(too_large());
    }
    let is_form = request
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|value| value.to_str().ok())
        .is_some_and(|value| {
            value
                .trim_start()
                .to_ascii_lowercase()
                .starts_with("multipart/form-data")
        });
    if !is_form {
        let mut body = Vec::new();
        let mut payload = payload;
        while let Some(chunk) = next_chunk(&mut payload, started).await? {
            if body.len() + chunk.len() > limit {
                return Err(too_large());
            }
            body.extend_from_slice(&chunk);
        }
        return Ok(body);
    }
    let mut form = actix_multipart::Multipart::new(request.headers(), payload);
    let mut file: Option<Vec<u8>> = None;
    let mut read = 0usize;
    while let Some(field) = next_chunk(&mut form, started).await? {
        let mut field = field;
        let is_file = field
            .content_disposition()
            .and_then(|disposition| disposition.get_name())
            == Some("file");
        if is_file && file.is_some() {
            return Err(Problem::bad_request(
                "the form has more than one `file` part: upload one list per request",
            ));
        }
        let mut body = Vec::new();
        while let Some(chunk) = next_chunk(&mut field, started).await? {
            read += chunk.len();
            if read > limit {
                return Err(too_large());
            }
            if is_file {
                body.extend_from_slice(&chunk);
            }
        }
        if is_file {
            file = Some(body);
        }
    }
    file.ok_or_else(|| Problem::bad_request("the form has no `file` part"))
}
