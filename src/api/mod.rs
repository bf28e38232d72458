//! The JSON HTTP API: routes, problems (errors), extractors, auth, and one file per
//! resource. It only translates: each handler extracts the request, calls one domain
//! function, and maps the result to a wire type.
//!
//! **Invariant:** `api` never sees SQL or petgraph types; serde wire types live only here.

mod auth;
pub mod extract;
mod fields;
mod imports;
mod metrics;
pub mod observe;
pub mod openapi;
mod ops;
mod page;
mod paths_wire;
mod people;
pub mod problem;
mod questions;
mod requests;
pub mod shapes;
pub mod state;
mod ties;
pub mod wire;

use actix_web::{HttpResponse, Resource, web};

pub use state::{Access, AppState};

use problem::{Kind, Problem};

/// Registers every route, the extractor configurations and the fallbacks; shared by
/// `startup` and the tests.
pub fn routes(config: &mut web::ServiceConfig, body_limit: usize) {
    config
        .app_data(extract::json_config(body_limit))
        .app_data(extract::query_config())
        .app_data(extract::path_config())
        .service(resource("/healthz", "GET").route(web::get().to(ops::healthz)))
        .service(resource("/readyz", "GET").route(web::get().to(ops::readyz)))
        .service(resource("/metrics", "GET").route(web::get().to(ops::metrics)))
        .service(resource("/openapi.yaml", "GET").route(web::get().to(ops::openapi_yaml)))
        .configure(page::routes)
        .service(
            web::scope("/v1")
                .wrap(actix_web::middleware::from_fn(auth::authenticate))
                .service(
                    resource("/imports", "GET, POST")
                        .route(web::get().to(imports::list_imports))
                        .route(web::post().to(imports::post_import)),
                )
                .service(
                    resource("/imports/{id}", "GET, DELETE")
                        .route(web::get().to(imports::get_import))
                        .route(web::delete().to(imports::delete_import)),
                )
                .service(resource("/people", "GET").route(web::get().to(people::list_people)))
                .service(
                    resource("/people/{id}", "GET, PATCH, DELETE")
                        .route(web::get().to(people::get_person))
                        .route(web::patch().to(people::patch_person))
                        .route(web::delete().to(people::delete_person)),
                )
                .service(
                    resource("/people/{id}/merge", "POST")
                        .route(web::post().to(people::merge_person)),
                )
                .service(
                    resource("/people/{id}/ties", "GET").route(web::get().to(people::person_ties)),
                )
                .service(resource("/ties", "POST").route(web::post().to(ties::post_tie)))
                .service(
                    resource("/ties/{id}", "GET, PATCH, DELETE")
                        .route(web::get().to(ties::get_tie))
                        .route(web::patch().to(ties::patch_tie))
                        .route(web::delete().to(ties::delete_tie)),
                )
                .service(
                    resource("/requests", "GET, POST")
                        .route(web::get().to(requests::list_requests))
                        .route(web::post().to(requests::post_request)),
                )
                .service(
                    resource("/requests/{id}", "GET, PATCH, DELETE")
                        .route(web::get().to(requests::get_request))
                        .route(web::patch().to(requests::patch_request))
                        .route(web::delete().to(requests::delete_request)),
                )
                .service(
                    resource("/follow-ups", "GET").route(web::get().to(requests::get_follow_ups)),
                )
                .service(resource("/fields", "GET").route(web::get().to(fields::list_fields)))
                .service(
                    resource("/fields/resolve", "GET").route(web::get().to(fields::resolve_fields)),
                )
                .service(resource("/paths", "GET").route(web::get().to(questions::get_paths)))
                .service(
                    resource("/paths/batch", "POST").route(web::post().to(questions::batch_paths)),
                )
                .service(
                    resource("/introducers", "GET")
                        .route(web::get().to(questions::get_introducers)),
                )
                .default_service(web::to(not_found)),
        )
        .default_service(web::to(not_found));
}

/// A resource whose other methods get a 405 problem naming the allowed ones.
fn resource(path: &str, allow: &'static str) -> Resource {
    web::resource(path).default_service(web::to(move || async move {
        Err::<HttpResponse, _>(Problem::method_not_allowed(allow))
    }))
}

async fn not_found() -> Result<HttpResponse, Problem> {
    Err(Problem::new(
        Kind::NotFound,
        "no such route; GET /openapi.yaml lists them",
    ))
}

/// Runs blocking work (SQLite, snapshot builds, searches) off the async workers, inside
/// the request's span.
///
/// # Errors
/// The work's problem, or a 500 if the blocking pool failed.
async fn blocking<T: Send + 'static>(
    work: impl FnOnce() -> Result<T, Problem> + Send + 'static,
) -> Result<T, Problem> {
    let span = tracing::Span::current();
    web::block(move || span.in_scope(work)).await?
}

#[cfg(test)]
mod tests {
    use actix_web::{App, test};

    use super::*;
    use crate::config::Settings;
    use crate::store::Store;

    #[actix_web::test]
    async fn before_the_snapshots_are_loaded_healthz_is_live_and_the_rest_answers_503() {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("warmpath.db");
        let store = Store::open(&db).unwrap();
        let workspace = store.workspace("default").unwrap();
        let today = chrono::NaiveDate::from_ymd_opt(2026, 1, 1).unwrap();
        let state = web::Data::new(AppState::new(
            db,
            store,
            Settings::for_today(today),
            Access::LoopbackKeyless(workspace),
            1024,
        ));
        let app = test::init_service(
            App::new()
                .app_data(state.clone())
                .configure(|config| routes(config, 1024)),
        )
        .await;
        let status = |path: &'static str| {
            let request = test::TestRequest::get()
                .uri(path)
                .insert_header(("host", "localhost"))
                .to_request();
            let app = &app;
            async move { test::call_service(app, request).await }
        };
        assert_eq!(status("/healthz").await.status(), 200);
        for path in ["/readyz", "/v1/people/me"] {
            let response = status(path).await;
            assert_eq!(response.status(), 503, "{path}");
            assert_eq!(
                response.headers().get("content-type").unwrap(),
                problem::PROBLEM_JSON
            );
        }
        state.load(|_| Ok(())).unwrap();
        assert_eq!(status("/readyz").await.status(), 200);
        assert_eq!(status("/v1/people/me").await.status(), 200);
    }
}
