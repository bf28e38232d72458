//! `/v1/imports`: upload a contact list, list and read import reports, withdraw a list.

use actix_web::http::{StatusCode, header};
use actix_web::{HttpRequest, HttpResponse, web};

use super::auth::Tenant;
use super::extract;
use super::problem::Problem;
use super::shapes;
use super::state::AppState;
use super::wire::{ImportPage, ImportReport};
use crate::identity::PersonRef;
use crate::import::Format;
use crate::relationship::Relationship;
use crate::store::{ImportId, ImportRequest, OnError, Source};

/// How to read and apply an upload.
#[derive(Debug, Clone, Default, serde::Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ImportParams {
    /// Whose contacts these are: `me` (default), a person id, an email or a profile URL.
    owner: Option<String>,
    /// The owner's relationship to you: family, friend, professor, mentor, colleague,
    /// classmate, acquaintance, other (or an obvious synonym).
    relationship: Option<String>,
    /// `auto` (default) or a format: linkedin, google, google_legacy, outlook, outlook_web,
    /// vcard, contacts (or native), network, generic.
    format: Option<String>,
    /// `auto` (default) or an encoding label (utf-8, utf-16le, windows-1252, ...).
    encoding: Option<String>,
    on_error: Option<OnError>,
    /// The id of an earlier import of the same list that this one replaces atomically.
    replaces: Option<i64>,
}

/// An upload as a multipart form.
#[derive(utoipa::ToSchema)]
#[allow(dead_code)]
pub struct Upload {
    /// The exported file.
    #[schema(value_type = String, format = Binary)]
    file: Vec<u8>,
}

/// The parameters, checked once.
struct Options {
    owner: PersonRef,
    relationship: Option<Relationship>,
    format: Option<Format>,
    encoding: Option<&'static encoding_rs::Encoding>,
    on_error: OnError,
    replaces: Option<i64>,
}

impl TryFrom<ImportParams> for Options {
    type Error = Problem;

    fn try_from(params: ImportParams) -> Result<Options, Problem> {
        Ok(Options {
            owner: match params.owner.as_deref() {
                None => PersonRef::Me,
                Some(owner) => shapes::person_ref("owner", owner)?,
            },
            relationship: params
                .relationship
                .as_deref()
                .map(shapes::relationship)
                .transpose()?,
            format: params
                .format
                .as_deref()
                .map(shapes::format)
                .transpose()?
                .flatten(),
            encoding: params
                .encoding
                .as_deref()
                .map(shapes::encoding)
                .transpose()?
                .flatten(),
            on_error: params.on_error.unwrap_or_default(),
            replaces: params.replaces,
        })
    }
}

/// A native contact list, the example of the document.
const CSV_EXAMPLE: &str = "name,email,company,title,relationship\nMaria Lopez,maria@example.com,Acme Bank,Analyst,family\n";
/// A vCard, the example of the document.
const VCARD_EXAMPLE: &str = "BEGIN:VCARD\nVERSION:3.0\nFN:Dana Ortiz\nEMAIL:dana@example.com\nORG:Goldman Sachs\nTITLE:Vice President\nEND:VCARD\n";

/// Upload one contact list.
#[utoipa::path(post, path = "/v1/imports", tag = "imports", params(ImportParams),
    request_body(description = "the exported file, raw or as the `file` part of a form",
        content(
            (String = "text/csv", example = json!(CSV_EXAMPLE)),
            (String = "text/vcard", example = json!(VCARD_EXAMPLE)),
            (Upload = "multipart/form-data"))),
    responses(
        (status = 201, description = "the list was applied", body = ImportReport),
        (status = 200, description = "these bytes were already applied for this owner: the earlier report", body = ImportReport)))]
pub async fn post_import(
    tenant: Tenant,
    state: web::Data<AppState>,
    params: web::Query<ImportParams>,
    request: HttpRequest,
    payload: web::Payload,
) -> Result<HttpResponse, Problem> {
    let options = Options::try_from(params.into_inner())?;
    // Bodies are held in memory while read: a few at a time, each within the limit.
    let slot = extract::UploadSlot::take(&state.uploads)?;
    let bytes = extract::upload(&request, payload, state.body_limit, state.upload_idle).await?;
    drop(slot);
    let shared = state.clone();
    let outcome = super::blocking(move || {
        let request = ImportRequest {
            source: Source::Bytes(&bytes),
            owner: options.owner,
            relationship: options.relationship,
            format: options.format,
            encoding: options.encoding,
            on_error: options.on_error,
            replaces: options.replaces.map(ImportId),
        };
        shared.write(tenant.0, |store| {
            // An owner named by an erased person's email or URL is refused before the
            // upload is read (the import refuses such an owner too, once under way).
            store.refuse_erased(tenant.0, &request.owner)?;
            store.import(tenant.0, &request, &mut |_, _| {})
        })
    })
    .await?;
    let status = if outcome.created {
        state.metrics.rows_imported(outcome.report.rows);
        StatusCode::CREATED
    } else {
        StatusCode::OK
    };
    Ok(HttpResponse::build(status)
        .insert_header((
            header::LOCATION,
            format!("/v1/imports/{}", outcome.report.id),
        ))
        .json(ImportReport::from(outcome.report)))
}

/// A page of parameters shared by the lists.
#[derive(Debug, Clone, Default, serde::Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PageParams {
    /// Page size, 1 to 1000 (default 50).
    #[param(minimum = 1, maximum = 1000)]
    limit: Option<usize>,
    /// `next_cursor` of the previous page.
    cursor: Option<String>,
}

/// List the workspace's imports, oldest first.
#[utoipa::path(get, path = "/v1/imports", tag = "imports", params(PageParams),
    responses((status = 200, description = "a page of import reports", body = ImportPage)))]
pub async fn list_imports(
    tenant: Tenant,
    state: web::Data<AppState>,
    params: web::Query<PageParams>,
) -> Result<web::Json<ImportPage>, Problem> {
    let (limit, after) = extract::page(params.limit, params.cursor.as_deref())?;
    let page = super::blocking(move || {
        state
            .read(|store| store.list_imports(tenant.0, limit, after))
            .map_err(Problem::from)
    })
    .await?;
    Ok(web::Json(page.into()))
}

/// One import's report.
#[utoipa::path(get, path = "/v1/imports/{id}", tag = "imports",
    params(("id" = i64, Path, description = "the import's id")),
    responses((status = 200, description = "the import report", body = ImportReport)))]
pub async fn get_import(
    tenant: Tenant,
    state: web::Data<AppState>,
    id: web::Path<i64>,
) -> Result<web::Json<ImportReport>, Problem> {
    let id = id.into_inner();
    let report = super::blocking(move || {
        state
            .read(|store| store.uploaded_import(tenant.0, ImportId(id)))
            .map_err(Problem::from)
    })
    .await?;
    Ok(web::Json(report.into()))
}

/// Withdraw a list: its ties go, and so do the people only it brought in.
#[utoipa::path(delete, path = "/v1/imports/{id}", tag = "imports",
    params(("id" = i64, Path, description = "the import's id")),
    responses((status = 204, description = "withdrawn")))]
pub async fn delete_import(
    tenant: Tenant,
    state: web::Data<AppState>,
    id: web::Path<i64>,
) -> Result<HttpResponse, Problem> {
    let id = id.into_inner();
    super::blocking(move || {
        state.write(tenant.0, |store| {
            store.withdraw_import(tenant.0, ImportId(id))
        })
    })
    .await?;
    Ok(HttpResponse::NoContent().finish())
}
