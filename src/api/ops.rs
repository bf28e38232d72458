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

/// Prometheus metrics. Once any key exists, a key of any workspace is needed (they hold
/// no workspace's data, only totals).
#[utoipa::path(get, path = "/metrics", tag = "operations",
    security((), ("bearer" = [])),
    responses((status = 200, description = "Prometheus text exposition", body = String, content_type = "text/plain"),
        (status = 401, description = "keys exist and none (or a wrong one) was sent", body = super::problem::ProblemBody, content_type = "application/problem+json")))]
pub async fn metrics(
    request: actix_web::HttpRequest,
    state: web::Data<AppState>,
) -> Result<HttpResponse, Problem> {
    let state_for_check = state.clone();
    let key = request
        .headers()
        .get(actix_web::http::header::AUTHORIZATION)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.trim().split_once(' '))
        .filter(|(scheme, _)| scheme.eq_ignore_ascii_case("bearer"))
        .map(|(_, key)| key.trim().to_string());
    super::blocking(move || {
        let keys_exist = state_for_check.read(crate::store::Store::any_key)?;
        if keys_exist {
            match key {
                Some(key) => {
                    state_for_check.authenticate(Some(&key))?;
                }
                None => {
                    return Err(Problem::new(
                        Kind::Unauthorized,
                        "send a workspace's key as `Authorization: Bearer KEY` to read the metrics",
                    ));
                }
            }
        }
        Ok(())
    })
    .await?;
    Ok(HttpResponse::Ok()
        .content_type("text/plain; version=0.0.4; charset=utf-8")
        .body(state.metrics.render()))
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
