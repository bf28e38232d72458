//! The OpenAPI document, generated from the handlers' annotations and the wire types.
//!
//! `openapi.yaml` at the repository root is this document, committed; the server serves
//! the committed bytes, and a test fails when they and [`document`] differ. Regenerate it
//! with `warmpath openapi > openapi.yaml`.

use utoipa::openapi::security::{Http, HttpAuthScheme, SecurityRequirement, SecurityScheme};
use utoipa::openapi::{Content, OpenApi as Document, Ref, RefOr, ResponseBuilder};
use utoipa::{Modify, OpenApi};

use super::{fields, imports, ops, people, questions, ties, wire};

/// The committed document the server serves.
pub const COMMITTED: &str = include_str!("../../openapi.yaml");

#[derive(OpenApi)]
#[openapi(
    info(
        title = "warmpath",
        description = "Warm introduction paths through the contact lists you import. Every error is RFC 9457 application/problem+json.",
        license(name = "MIT OR Apache-2.0")
    ),
    paths(
        imports::post_import, imports::list_imports, imports::get_import, imports::delete_import,
        people::list_people, people::get_person, people::patch_person, people::delete_person,
        people::merge_person, people::person_ties,
        ties::post_tie, ties::get_tie, ties::patch_tie, ties::delete_tie,
        fields::list_fields, fields::resolve_fields,
        questions::get_paths, questions::get_introducers, questions::batch_paths,
        ops::healthz, ops::readyz, ops::metrics, ops::openapi_yaml,
    ),
    components(schemas(super::problem::ProblemBody, wire::LineError, imports::OnErrorParam)),
    modifiers(&Conventions),
    tags(
        (name = "imports", description = "contact lists"),
        (name = "people", description = "people and corrections"),
        (name = "ties", description = "ties declared by hand"),
        (name = "fields", description = "the field taxonomy"),
        (name = "questions", description = "paths and introducers"),
        (name = "operations", description = "health, readiness, metrics, this document"),
    )
)]
struct ApiDoc;

/// What every operation shares: the bearer key on `/v1`, and the problem responses.
struct Conventions;

/// Problem statuses every `/v1` operation may answer.
const V1_PROBLEMS: &[(&str, &str)] = &[
    (
        "400",
        "bad input: a parameter, body or id that cannot be used",
    ),
    ("401", "a valid key is required"),
    (
        "404",
        "no such person, import, tie or route in this workspace",
    ),
    ("409", "the change conflicts with what is stored"),
    ("413", "the body is over the limit"),
    ("415", "the body's media type is not accepted"),
    (
        "422",
        "the file has problems; `errors` lists every bad line",
    ),
    ("500", "the server failed; the cause is logged, not shown"),
    ("503", "the snapshots are still loading"),
];

impl Modify for Conventions {
    fn modify(&self, document: &mut Document) {
        let components = document.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(Http::new(HttpAuthScheme::Bearer)),
        );
        for (status, description) in V1_PROBLEMS {
            let response = ResponseBuilder::new()
                .description(*description)
                .content(
                    super::problem::PROBLEM_JSON,
                    Content::new(Some(Ref::from_schema_name("Problem"))),
                )
                .build();
            components
                .responses
                .insert(format!("Problem{status}"), RefOr::T(response));
        }
        for (path, item) in document.paths.paths.iter_mut() {
            let on_v1 = path.starts_with("/v1/");
            let operations = [
                &mut item.get,
                &mut item.post,
                &mut item.put,
                &mut item.patch,
                &mut item.delete,
            ];
            for operation in operations.into_iter().flatten() {
                let statuses: Vec<&str> = if on_v1 {
                    operation.security = Some(vec![SecurityRequirement::new(
                        "bearer",
                        Vec::<String>::new(),
                    )]);
                    V1_PROBLEMS.iter().map(|(status, _)| *status).collect()
                } else if path == "/readyz" {
                    vec!["500", "503"]
                } else {
                    vec!["500"]
                };
                for status in statuses {
                    operation
                        .responses
                        .responses
                        .entry(status.to_string())
                        .or_insert_with(|| {
                            RefOr::Ref(Ref::new(format!("#/components/responses/Problem{status}")))
                        });
                }
            }
        }
    }
}

/// The document as YAML, the form committed as `openapi.yaml`.
pub fn document() -> String {
    ApiDoc::openapi()
        .to_yaml()
        .unwrap_or_else(|error| format!("# the document cannot be written: {error}\n"))
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_committed_openapi_yaml_matches_the_implemented_routes_and_schemas() {
        let generated = super::document();
        if std::env::var_os("UPDATE_OPENAPI").is_some() {
            let path = concat!(env!("CARGO_MANIFEST_DIR"), "/openapi.yaml");
            std::fs::write(path, &generated).unwrap();
            return;
        }
        assert!(
            generated == super::COMMITTED,
            "openapi.yaml is stale: run `UPDATE_OPENAPI=1 cargo test --lib openapi` or `warmpath openapi > openapi.yaml`"
        );
    }
}
