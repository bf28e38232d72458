//! Readiness and authentication of `/v1`: a middleware that answers 503 until the
//! snapshots are loaded and 401 without a valid key, and the [`Tenant`] extractor that
//! hands handlers the one workspace the request may see.

use actix_web::body::{BoxBody, MessageBody};
use actix_web::dev::{Payload, ServiceRequest, ServiceResponse};
use actix_web::http::header;
use actix_web::middleware::Next;
use actix_web::{Error, FromRequest, HttpMessage, HttpRequest, web};

use super::problem::{Kind, Problem};
use super::state::AppState;
use crate::store::WorkspaceId;

/// The workspace of an authenticated `/v1` request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Tenant(pub WorkspaceId);

/// Checks readiness and the bearer key, then lets the request through with its [`Tenant`].
///
/// # Errors
/// A 503 or 401 problem.
pub async fn authenticate(
    request: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, Error> {
    match tenant(&request) {
        Ok(tenant) => {
            request.extensions_mut().insert(tenant);
            Ok(next.call(request).await?.map_into_boxed_body())
        }
        // Answered here, as a response, so the outer middleware still sees and counts it.
        Err(problem) => Ok(request.error_response(problem)),
    }
}

fn tenant(request: &ServiceRequest) -> Result<Tenant, Problem> {
    let state = request
        .app_data::<web::Data<AppState>>()
        .ok_or_else(|| Problem::new(Kind::Internal, "no application state"))?;
    if !state.is_ready() {
        return Err(Problem::new(
            Kind::NotReady,
            "the snapshots are still loading; retry shortly",
        ));
    }
    let key = match request.headers().get(header::AUTHORIZATION) {
        None => None,
        Some(value) => Some(bearer(value.to_str().unwrap_or(""))?),
    };
    Ok(Tenant(state.authenticate(key.as_deref())?))
}

fn bearer(value: &str) -> Result<String, Problem> {
    let (scheme, key) = value.trim().split_once(' ').unwrap_or((value, ""));
    if !scheme.eq_ignore_ascii_case("bearer") || key.trim().is_empty() {
        return Err(Problem::new(
            Kind::Unauthorized,
            "the Authorization header must be `Bearer KEY`",
        ));
    }
    Ok(key.trim().to_string())
}

impl FromRequest for Tenant {
    type Error = Problem;
    type Future = std::future::Ready<Result<Tenant, Problem>>;

    fn from_request(request: &HttpRequest, _: &mut Payload) -> Self::Future {
        std::future::ready(
            request
                .extensions()
                .get::<Tenant>()
                .copied()
                .ok_or_else(|| Problem::new(Kind::Unauthorized, "no workspace for this request")),
        )
    }
}
