//! Operations routes outside `/v1` and without keys: liveness, readiness, metrics and the
//! OpenAPI document.

use actix_web::{HttpResponse, web};

use super::problem::{Kind, Problem};
use super::state::AppState;
use super::wire::Status;

/// Liveness: answers as soon as the server is bound.
#[utoipa::path(get, path = "/healthz", tag = "operations",
    responses((status = 200, description = "the server is up", body = Status)))]
pub async fn healthz() -> web::Json<Status> {
    web::Json(Status {
        status: "ok".to_string(),
    })
}

/// Readiness: 200 once every snapshot is loaded, 503 before.
#[utoipa::path(get, path = "/readyz", tag = "operations",
    responses((status = 200, description = "ready for questions", body = Status)))]
pub async fn readyz(state: web::Data<AppState>) -> Result<web::Json<Status>, Problem> {
    if !state.is_ready() {
        return Err(Problem::new(
            Kind::NotReady,
            "the snapshots are still loading",
        ));
    }
    Ok(web::Json(Status {
        status: "ready".to_string(),
    }))
}

/// Prometheus metrics.
#[utoipa::path(get, path = "/metrics", tag = "operations",
    responses((status = 200, description = "Prometheus text exposition", body = String, content_type = "text/plain")))]
pub async fn metrics(state: web::Data<AppState>) -> HttpResponse {
    HttpResponse::Ok()
        .content_type("text/plain; version=0.0.4; charset=utf-8")
        .body(state.metrics.render())
}

/// The committed OpenAPI document (`api::openapi` generates it; a test keeps the two equal).
pub const COMMITTED: &str = include_str!("../../openapi.yaml");

/// This API's OpenAPI document: the committed `openapi.yaml`, byte for byte.
#[utoipa::path(get, path = "/openapi.yaml", tag = "operations",
    responses((status = 200, description = "the OpenAPI 3.1 document", body = Object, content_type = "application/yaml")))]
pub async fn openapi_yaml() -> HttpResponse {
    HttpResponse::Ok()
        .content_type("application/yaml")
        .body(COMMITTED)
}
