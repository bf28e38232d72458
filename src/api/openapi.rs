//! The OpenAPI document, generated from the handlers' annotations and the wire types.
//!
//! `openapi.yaml` at the repository root is this document, committed; the server serves
//! the committed bytes (`ops::COMMITTED`), and a test fails when they and [`document`]
//! differ. Regenerate it
//! with `warmpath openapi > openapi.yaml`.

use serde_json::Value;
use utoipa::openapi::link::LinkBuilder;
use utoipa::openapi::path::Operation;
use utoipa::openapi::schema::{ArrayItems, Schema, SchemaType, Type};
use utoipa::openapi::security::{Http, HttpAuthScheme, SecurityRequirement, SecurityScheme};
use utoipa::openapi::{Content, OpenApi as Document, Ref, RefOr, ResponseBuilder};
use utoipa::{Modify, OpenApi};

use super::{fields, imports, ops, people, questions, requests, shapes, ties, wire};
use crate::taxonomy::Taxonomy;

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
        requests::post_request, requests::list_requests, requests::get_request,
        requests::patch_request, requests::delete_request, requests::get_follow_ups,
        fields::list_fields, fields::resolve_fields,
        questions::get_paths, questions::get_introducers, questions::batch_paths,
        ops::healthz, ops::readyz, ops::metrics, ops::openapi_yaml,
    ),
    components(schemas(super::problem::ProblemBody, wire::LineError, crate::store::OnError)),
    modifiers(&Conventions, &Shapes, &Links),
    tags(
        (name = "imports", description = "contact lists"),
        (name = "people", description = "people and corrections"),
        (name = "ties", description = "ties declared by hand"),
        (name = "requests", description = "introduction requests and their follow-ups"),
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
        "403",
        "a write from a web page of another site to a server without keys",
    ),
    (
        "404",
        "no such person, import, tie, request or route in this workspace",
    ),
    (
        "408",
        "an upload stalled (30 s without a byte) or took longer than 10 minutes",
    ),
    ("409", "the change conflicts with what is stored"),
    ("413", "the body is over the limit"),
    ("415", "the body's media type is not accepted"),
    (
        "421",
        "a host name other than a loopback one, to a server without keys",
    ),
    (
        "422",
        "the file has problems; `errors` lists every bad line",
    ),
    ("500", "the server failed; the cause is logged, not shown"),
    (
        "507",
        "the server's disk is full; nothing of the request was written",
    ),
    (
        "503",
        "the snapshots are still loading, or four uploads are being read already",
    ),
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

/// The shapes of [`shapes`] written into the document, so the schema states exactly what
/// the handlers accept.
struct Shapes;

/// What a text value must look like.
enum Shape {
    Pattern(String),
    OneOf(Vec<String>),
}

impl Shape {
    fn apply(&self, schema: &mut RefOr<Schema>) {
        let RefOr::T(Schema::Object(object)) = schema else {
            return;
        };
        match self {
            Shape::Pattern(pattern) => object.pattern = Some(pattern.clone()),
            Shape::OneOf(words) => {
                let mut values: Vec<Value> = words.iter().cloned().map(Value::String).collect();
                if matches!(&object.schema_type, SchemaType::Array(types) if types.contains(&Type::Null))
                {
                    values.push(Value::Null);
                }
                object.enum_values = Some(values);
            }
        }
    }

    /// Applies to the items of an array schema.
    fn apply_to_items(&self, schema: &mut RefOr<Schema>) {
        if let RefOr::T(Schema::Array(array)) = schema
            && let ArrayItems::RefOrSchema(items) = &mut array.items
        {
            self.apply(items);
        }
    }
}

/// The shape of a query or path parameter, by name (and path for `id`).
fn parameter_shape(path: &str, name: &str) -> Option<Shape> {
    Some(match name {
        "from" | "to" | "owner" => Shape::Pattern(shapes::person_ref_pattern()),
        "cursor" => Shape::Pattern(shapes::CURSOR.to_string()),
        "encoding" => Shape::OneOf(shapes::encodings().iter().map(|e| e.to_string()).collect()),
        "format" => Shape::OneOf(shapes::formats()),
        "relationship" => Shape::OneOf(shapes::relationships()),
        "id" if path.starts_with("/v1/people/") => Shape::Pattern(shapes::PERSON_ID.to_string()),
        _ => return None,
    })
}

fn operations(item: &mut utoipa::openapi::PathItem) -> impl Iterator<Item = &mut Operation> {
    [
        &mut item.get,
        &mut item.post,
        &mut item.put,
        &mut item.patch,
        &mut item.delete,
    ]
    .into_iter()
    .flatten()
}

impl Modify for Shapes {
    fn modify(&self, document: &mut Document) {
        for (path, item) in document.paths.paths.iter_mut() {
            for operation in operations(item) {
                for parameter in operation.parameters.iter_mut().flatten() {
                    if let (Some(shape), Some(schema)) = (
                        parameter_shape(path, &parameter.name),
                        parameter.schema.as_mut(),
                    ) {
                        shape.apply(schema);
                    }
                }
            }
        }
        let Some(components) = document.components.as_mut() else {
            return;
        };
        let field_ids: Vec<String> = Taxonomy::embedded()
            .fields()
            .iter()
            .map(|field| field.id.clone())
            .collect();
        // Person references in bodies carry their shape in the `PersonReference` schema.
        let relationship = Shape::OneOf(shapes::relationships());
        let properties: [(&str, &str, Shape, bool); 11] = [
            (
                "RequestCreate",
                "reason",
                Shape::Pattern(shapes::TEXT.to_string()),
                false,
            ),
            (
                "RequestPatch",
                "note",
                Shape::Pattern(shapes::TEXT.to_string()),
                false,
            ),
            (
                "DraftEdit",
                "subject",
                Shape::Pattern(shapes::TEXT.to_string()),
                false,
            ),
            (
                "DraftEdit",
                "body",
                Shape::Pattern(shapes::MULTILINE.to_string()),
                false,
            ),
            (
                "TieDeclaration",
                "relationship",
                Shape::OneOf(shapes::relationships()),
                false,
            ),
            ("TiePatch", "relationship", relationship, false),
            (
                "PersonPatch",
                "name",
                Shape::Pattern(shapes::NAME.to_string()),
                false,
            ),
            (
                "PersonPatch",
                "title",
                Shape::Pattern(shapes::TEXT.to_string()),
                false,
            ),
            (
                "PersonPatch",
                "company",
                Shape::Pattern(shapes::TEXT.to_string()),
                false,
            ),
            (
                "PersonPatch",
                "emails",
                Shape::Pattern(shapes::email_pattern()),
                true,
            ),
            ("PersonPatch", "fields", Shape::OneOf(field_ids), true),
        ];
        for (schema_name, property, shape, on_items) in properties {
            let Some(RefOr::T(Schema::Object(object))) = components.schemas.get_mut(schema_name)
            else {
                continue;
            };
            if let Some(schema) = object.properties.get_mut(property) {
                if on_items {
                    shape.apply_to_items(schema);
                } else {
                    shape.apply(schema);
                }
            }
        }
    }
}

/// OpenAPI links from the operations that create a resource to those that use it, so a
/// client (and schemathesis's stateful phase) can follow them.
struct Links;

/// A link's name, the operation it leads to, and where that operation's `id` comes from.
type LinkTo = (&'static str, &'static str, &'static str);

impl Modify for Links {
    fn modify(&self, document: &mut Document) {
        let links: [(&str, &str, &[LinkTo]); 3] = [
            (
                "/v1/requests",
                "201",
                &[
                    ("GetRequest", "get_request", "$response.body#/id"),
                    ("PatchRequest", "patch_request", "$response.body#/id"),
                    ("DeleteRequest", "delete_request", "$response.body#/id"),
                ],
            ),
            (
                "/v1/imports",
                "201",
                &[
                    ("GetImport", "get_import", "$response.body#/id"),
                    ("DeleteImport", "delete_import", "$response.body#/id"),
                    ("GetOwner", "get_person", "$response.body#/owner"),
                ],
            ),
            (
                "/v1/ties",
                "201",
                &[
                    ("GetTie", "get_tie", "$response.body#/id"),
                    ("PatchTie", "patch_tie", "$response.body#/id"),
                    ("DeleteTie", "delete_tie", "$response.body#/id"),
                    ("GetFrom", "get_person", "$response.body#/from"),
                ],
            ),
        ];
        for (path, status, targets) in links {
            let Some(operation) = document
                .paths
                .paths
                .get_mut(path)
                .and_then(|item| item.post.as_mut())
            else {
                continue;
            };
            let Some(RefOr::T(response)) = operation.responses.responses.get_mut(status) else {
                continue;
            };
            for (name, operation_id, value) in targets {
                response.links.insert(
                    name.to_string(),
                    RefOr::T(
                        LinkBuilder::new()
                            .operation_id(*operation_id)
                            .parameter("id", *value)
                            .build(),
                    ),
                );
            }
        }
    }
}

/// The document as YAML, the form committed as `openapi.yaml`.
pub fn document() -> String {
    let yaml = ApiDoc::openapi()
        .to_yaml()
        .unwrap_or_else(|error| format!("# the document cannot be written: {error}\n"));
    // utoipa 5.5 writes a link's `operationId` as `operation_id`; the key appears nowhere
    // else in the document, so it is renamed line by line.
    yaml.lines()
        .map(|line| {
            let key = line.trim_start();
            match key.strip_prefix("operation_id: ") {
                Some(value) => format!("{}operationId: {value}\n", &line[..line.len() - key.len()]),
                None => format!("{line}\n"),
            }
        })
        .collect()
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
            generated == super::ops::COMMITTED,
            "openapi.yaml is stale: run `UPDATE_OPENAPI=1 cargo test --lib openapi` or `warmpath openapi > openapi.yaml`"
        );
    }
}
