//! Extractor configuration, so malformed input becomes a problem like any other error:
//! JSON bodies, query strings and path segments, and reading an upload within the body
//! limit.

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

/// Reads an upload: the raw body, or the `file` part of a multipart form, within `limit`.
///
/// # Errors
/// 413 past the limit; 400 for a broken body or a form without a `file` part.
pub async fn upload(
    request: &HttpRequest,
    payload: web::Payload,
    limit: usize,
) -> Result<Vec<u8>, Problem> {
    let too_large = || {
        Problem::new(
            Kind::PayloadTooLarge,
            format!("the body is over the limit of {limit} bytes"),
        )
    };
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
        while let Some(chunk) = payload.next().await {
            let chunk = chunk.map_err(|error| {
                Problem::bad_request(format!("the body cannot be read: {error}"))
            })?;
            if body.len() + chunk.len() > limit {
                return Err(too_large());
            }
            body.extend_from_slice(&chunk);
        }
        return Ok(body);
    }
    let mut form = actix_multipart::Multipart::new(request.headers(), payload);
    while let Some(field) = form.next().await {
        let mut field = field
            .map_err(|error| Problem::bad_request(format!("the form cannot be read: {error}")))?;
        let is_file = field
            .content_disposition()
            .and_then(|disposition| disposition.get_name())
            == Some("file");
        let mut body = Vec::new();
        while let Some(chunk) = field.next().await {
            let chunk = chunk.map_err(|error| {
                Problem::bad_request(format!("the form cannot be read: {error}"))
            })?;
            if body.len() + chunk.len() > limit {
                return Err(too_large());
            }
            if is_file {
                body.extend_from_slice(&chunk);
            }
        }
        if is_file {
            return Ok(body);
        }
    }
    Err(Problem::bad_request("the form has no `file` part"))
}
