//! The only place errors become HTTP: RFC 9457 `application/problem+json` bodies.
//!
//! One table maps each kind of problem to its status, type and title; `From` impls turn the
//! domain's errors into a [`Problem`]. A 5xx keeps its cause chain aside for the request
//! middleware to log once, and shows the client nothing of it.

use actix_web::http::StatusCode;
use actix_web::http::header::{self, HeaderValue};
use actix_web::{HttpResponse, ResponseError};

use crate::ask::AskError;
use crate::import::LineProblem;
use crate::store::StoreError;

/// The media type of every error body.
pub const PROBLEM_JSON: &str = "application/problem+json";

/// Kinds of problem, each with one status, type and title.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    BadRequest,
    Unauthorized,
    Forbidden,
    NotFound,
    MethodNotAllowed,
    RequestTimeout,
    Conflict,
    PayloadTooLarge,
    UnsupportedMediaType,
    BadFile,
    Internal,
    NotReady,
    Busy,
    Misdirected,
    DiskFull,
    UriTooLong,
}

impl Kind {
    /// (status, type slug, title): the one table.
    fn describe(self) -> (StatusCode, &'static str, &'static str) {
        match self {
            Kind::BadRequest => (StatusCode::BAD_REQUEST, "bad-request", "bad request"),
            Kind::Unauthorized => (
                StatusCode::UNAUTHORIZED,
                "unauthorized",
                "a valid api key is required",
            ),
            Kind::Forbidden => (StatusCode::FORBIDDEN, "forbidden", "forbidden"),
            Kind::NotFound => (StatusCode::NOT_FOUND, "not-found", "not found"),
            Kind::MethodNotAllowed => (
                StatusCode::METHOD_NOT_ALLOWED,
                "method-not-allowed",
                "method not allowed",
            ),
            Kind::RequestTimeout => (
                StatusCode::REQUEST_TIMEOUT,
                "request-timeout",
                "the body came too slowly",
            ),
            Kind::Conflict => (StatusCode::CONFLICT, "conflict", "conflict"),
            Kind::PayloadTooLarge => (
                StatusCode::PAYLOAD_TOO_LARGE,
                "payload-too-large",
                "request body too large",
            ),
            Kind::UnsupportedMediaType => (
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                "unsupported-media-type",
                "unsupported media type",
            ),
            Kind::BadFile => (
                StatusCode::UNPROCESSABLE_ENTITY,
                "bad-file",
                "the file cannot be imported",
            ),
            Kind::Internal => (
                StatusCode::INTERNAL_SERVER_ERROR,
                "internal",
                "internal error",
            ),
            Kind::NotReady => (StatusCode::SERVICE_UNAVAILABLE, "not-ready", "not ready"),
            Kind::Busy => (
                StatusCode::SERVICE_UNAVAILABLE,
                "busy",
                "too many uploads at once",
            ),
            Kind::DiskFull => (
                StatusCode::INSUFFICIENT_STORAGE,
                "disk-full",
                "the server's disk is full",
            ),
            Kind::UriTooLong => (
                StatusCode::URI_TOO_LONG,
                "uri-too-long",
                "the request target is too long",
            ),
            Kind::Misdirected => (
                StatusCode::MISDIRECTED_REQUEST,
                "misdirected",
                "this server does not answer that host name",
            ),
        }
    }

    /// The kind a bare status falls under, for responses that did not come from a Problem.
    pub fn of_status(status: StatusCode) -> Kind {
        match status.as_u16() {
            401 => Kind::Unauthorized,
            403 => Kind::Forbidden,
            404 => Kind::NotFound,
            405 => Kind::MethodNotAllowed,
            408 => Kind::RequestTimeout,
            409 => Kind::Conflict,
            413 => Kind::PayloadTooLarge,
            414 => Kind::UriTooLong,
            415 => Kind::UnsupportedMediaType,
            421 => Kind::Misdirected,
            507 => Kind::DiskFull,
            422 => Kind::BadFile,
            503 => Kind::NotReady,
            code if code >= 500 => Kind::Internal,
            _ => Kind::BadRequest,
        }
    }
}

/// An error on its way to the client.
#[derive(Debug)]
pub struct Problem {
    pub kind: Kind,
    pub detail: String,
    pub errors: Option<Vec<LineProblem>>,
    /// `Allow` for a 405.
    pub allow: Option<&'static str>,
    /// The cause chain of a 5xx, logged once by the request middleware and never sent.
    pub cause: Option<String>,
}

/// One bad line of a file.
#[derive(Debug, Clone, PartialEq, serde::Serialize, utoipa::ToSchema)]
pub struct LineError {
    pub line: usize,
    pub column: usize,
    pub message: String,
}

impl From<&crate::import::LineProblem> for LineError {
    fn from(problem: &crate::import::LineProblem) -> LineError {
        LineError {
            line: problem.line,
            column: problem.column,
            message: problem.message.clone(),
        }
    }
}

/// The wire form of a problem.
#[derive(Debug, Clone, PartialEq, serde::Serialize, utoipa::ToSchema)]
#[schema(as = Problem)]
pub struct ProblemBody {
    /// A URI naming the kind of problem.
    #[serde(rename = "type")]
    pub kind: String,
    pub title: String,
    pub status: u16,
    pub detail: String,
    /// For file problems: every bad line.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub errors: Option<Vec<LineError>>,
}

impl Problem {
    pub fn new(kind: Kind, detail: impl Into<String>) -> Problem {
        Problem {
            kind,
            detail: detail.into(),
            errors: None,
            allow: None,
            cause: None,
        }
    }

    /// A 500 whose cause is kept for the log and hidden from the client.
    pub fn internal(cause: &dyn std::error::Error) -> Problem {
        let mut chain = cause.to_string();
        let mut source = cause.source();
        while let Some(next) = source {
            chain.push_str(": ");
            chain.push_str(&next.to_string());
            source = next.source();
        }
        Problem {
            cause: Some(chain),
            ..Problem::new(
                Kind::Internal,
                "the server could not answer; the cause is logged",
            )
        }
    }

    pub fn bad_request(detail: impl Into<String>) -> Problem {
        Problem::new(Kind::BadRequest, detail)
    }

    pub fn method_not_allowed(allow: &'static str) -> Problem {
        Problem {
            allow: Some(allow),
            ..Problem::new(
                Kind::MethodNotAllowed,
                format!("this resource answers {allow}"),
            )
        }
    }

    pub fn status(&self) -> StatusCode {
        self.kind.describe().0
    }

    /// The body as the client sees it.
    pub fn body(&self) -> ProblemBody {
        let (status, slug, title) = self.kind.describe();
        ProblemBody {
            kind: format!("urn:warmpath:problem:{slug}"),
            title: title.to_string(),
            status: status.as_u16(),
            detail: self.detail.clone(),
            errors: self
                .errors
                .as_ref()
                .map(|errors| errors.iter().map(LineError::from).collect()),
        }
    }
}

impl std::fmt::Display for Problem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.detail)
    }
}

impl ResponseError for Problem {
    fn status_code(&self) -> StatusCode {
        self.status()
    }

    fn error_response(&self) -> HttpResponse {
        let mut response = HttpResponse::build(self.status());
        response.insert_header((header::CONTENT_TYPE, HeaderValue::from_static(PROBLEM_JSON)));
        if let Some(allow) = self.allow {
            response.insert_header((header::ALLOW, HeaderValue::from_static(allow)));
        }
        if self.kind == Kind::Unauthorized {
            response.insert_header((header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer")));
        }
        if self.kind == Kind::Busy {
            response.insert_header((header::RETRY_AFTER, HeaderValue::from_static("5")));
        }
        let body = serde_json::to_vec(&self.body()).unwrap_or_default();
        response.body(body)
    }
}

impl From<StoreError> for Problem {
    fn from(error: StoreError) -> Problem {
        let detail = error.to_string();
        match error {
            StoreError::Sqlite(rusqlite::Error::SqliteFailure(failure, _))
                if failure.code == rusqlite::ErrorCode::DiskFull =>
            {
                tracing::error!("the disk is full: a write was refused");
                Problem::new(
                    Kind::DiskFull,
                    "the server's disk is full: nothing of this request was written; retry once space is freed",
                )
            }
            StoreError::Sqlite(_) => Problem::internal(&error),
            StoreError::UnknownWorkspace(_)
            | StoreError::UnknownPerson(_)
            | StoreError::UnknownImport(_)
            | StoreError::UnknownTie(_)
            | StoreError::UnknownRequest(_) => Problem::new(Kind::NotFound, detail),
            StoreError::WorkspaceExists(_) | StoreError::Conflict(_) => {
                Problem::new(Kind::Conflict, detail)
            }
            StoreError::Rejected(problems) => Problem {
                errors: Some(problems),
                ..Problem::new(Kind::BadFile, detail)
            },
            StoreError::File(file_error) => Problem {
                errors: Some(vec![file_error.line_problem()]),
                ..Problem::new(Kind::BadFile, detail)
            },
            StoreError::InvalidPerson(_) | StoreError::Invalid(_) => {
                Problem::new(Kind::BadRequest, detail)
            }
            // Uploads are read from memory; a failed read is the server's fault.
            StoreError::Read(_) | StoreError::Internal { .. } => Problem::internal(&error),
        }
    }
}

impl From<AskError> for Problem {
    fn from(error: AskError) -> Problem {
        let kind = match error {
            AskError::UnknownPerson(_) => Kind::NotFound,
            _ => Kind::BadRequest,
        };
        Problem::new(kind, error.to_string())
    }
}

impl From<crate::identity::InvalidPersonRef> for Problem {
    fn from(error: crate::identity::InvalidPersonRef) -> Problem {
        Problem::bad_request(error.to_string())
    }
}

impl From<actix_web::error::BlockingError> for Problem {
    fn from(error: actix_web::error::BlockingError) -> Problem {
        Problem::internal(&error)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_database_error_is_opaque_to_the_client_but_keeps_its_cause() {
        let problem = Problem::from(StoreError::Sqlite(rusqlite::Error::InvalidQuery));
        assert_eq!(problem.status(), StatusCode::INTERNAL_SERVER_ERROR);
        assert!(!problem.body().detail.contains("query"));
        assert!(problem.cause.unwrap().to_lowercase().contains("query"));
    }

    #[test]
    fn an_internal_failure_is_a_500_with_its_cause_logged_and_bad_input_a_400() {
        let problem = Problem::from(StoreError::internal(
            "the row resolver stopped",
            "its thread panicked",
        ));
        assert_eq!(problem.status(), StatusCode::INTERNAL_SERVER_ERROR);
        assert!(!problem.body().detail.contains("resolver"));
        let cause = problem.cause.unwrap();
        assert!(
            cause.contains("resolver") && cause.contains("panicked"),
            "{cause}"
        );
        let problem = Problem::from(StoreError::Read(std::io::Error::other("disk gone")));
        assert_eq!(problem.status(), StatusCode::INTERNAL_SERVER_ERROR);
        assert!(problem.cause.unwrap().contains("disk gone"));
        let problem = Problem::from(StoreError::Invalid("name cannot be empty".into()));
        assert_eq!(problem.status(), StatusCode::BAD_REQUEST);
        assert_eq!(problem.body().detail, "name cannot be empty");
    }

    #[test]
    fn a_full_disk_is_a_507_that_says_so() {
        let full = rusqlite::Error::SqliteFailure(
            rusqlite::ffi::Error::new(rusqlite::ffi::SQLITE_FULL),
            None,
        );
        let problem = Problem::from(StoreError::Sqlite(full));
        assert_eq!(problem.status(), StatusCode::INSUFFICIENT_STORAGE);
        assert!(problem.body().detail.contains("disk is full"));
    }

    #[test]
    fn a_rejected_file_lists_every_bad_line() {
        let problem = Problem::from(StoreError::Rejected(vec![LineProblem {
            line: 3,
            column: 2,
            message: "bad date".into(),
            last_line: None,
        }]));
        let body = problem.body();
        assert_eq!(body.status, 422);
        assert_eq!(body.errors.unwrap()[0].line, 3);
    }
}
