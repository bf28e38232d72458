//! `/v1/ties`: declare, read, correct and remove a tie by hand.

use actix_web::http::header;
use actix_web::{HttpResponse, web};

use super::auth::Tenant;
use super::problem::Problem;
use super::shapes;
use super::state::AppState;
use super::wire::{Tie, TieDeclaration, TiePatch};
use crate::relationship::Relationship;
use crate::store::{self, TieId};

fn relationship(word: &str) -> Result<Relationship, Problem> {
    shapes::relationship(word)
}

fn date(text: &str) -> Result<chrono::NaiveDate, Problem> {
    chrono::NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d").map_err(|_| {
        Problem::bad_request(format!(
            "last_contacted: {text:?} is not a date like 2024-05-31"
        ))
    })
}

impl TryFrom<TieDeclaration> for store::TieDeclaration {
    type Error = Problem;

    fn try_from(body: TieDeclaration) -> Result<store::TieDeclaration, Problem> {
        Ok(store::TieDeclaration {
            from: shapes::person_ref("from", &body.from.0)?,
            to: shapes::person_ref("to", &body.to.0)?,
            relationship: relationship(&body.relationship)?,
            strength: body.strength,
            last_contacted: body.last_contacted.as_deref().map(date).transpose()?,
            interactions: body.interactions,
        })
    }
}

impl TryFrom<TiePatch> for store::TieChange {
    type Error = Problem;

    fn try_from(body: TiePatch) -> Result<store::TieChange, Problem> {
        Ok(store::TieChange {
            relationship: body.relationship.as_deref().map(relationship).transpose()?,
            strength: body.strength,
            last_contacted: body.last_contacted.as_deref().map(date).transpose()?,
            interactions: body.interactions,
        })
    }
}

/// The `{id}` of a tie's routes.
#[derive(Debug, Clone, serde::Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Path)]
#[allow(dead_code)]
pub struct TiePath {
    /// The declared tie's id.
    id: i64,
}

/// Declare a tie.
#[utoipa::path(post, path = "/v1/ties", tag = "ties", request_body = TieDeclaration,
    responses((status = 201, description = "the declared tie", body = Tie)))]
pub async fn post_tie(
    tenant: Tenant,
    state: web::Data<AppState>,
    body: web::Json<TieDeclaration>,
) -> Result<HttpResponse, Problem> {
    let declaration = store::TieDeclaration::try_from(body.into_inner())?;
    let tie = super::blocking(move || {
        state.write(tenant.0, |store| store.declare_tie(tenant.0, &declaration))
    })
    .await?;
    Ok(HttpResponse::Created()
        .insert_header((header::LOCATION, format!("/v1/ties/{}", tie.id)))
        .json(Tie::from(tie)))
}

/// One declared tie.
#[utoipa::path(get, path = "/v1/ties/{id}", tag = "ties", params(TiePath),
    responses((status = 200, description = "the declared tie", body = Tie)))]
pub async fn get_tie(
    tenant: Tenant,
    state: web::Data<AppState>,
    id: web::Path<i64>,
) -> Result<web::Json<Tie>, Problem> {
    let id = id.into_inner();
    let tie = super::blocking(move || {
        state
            .read(|store| store.declared_tie(tenant.0, TieId(id)))
            .map_err(Problem::from)
    })
    .await?;
    Ok(web::Json(tie.into()))
}

/// Correct a declared tie.
#[utoipa::path(patch, path = "/v1/ties/{id}", tag = "ties", params(TiePath), request_body = TiePatch,
    responses((status = 200, description = "the corrected tie", body = Tie)))]
pub async fn patch_tie(
    tenant: Tenant,
    state: web::Data<AppState>,
    id: web::Path<i64>,
    body: web::Json<TiePatch>,
) -> Result<web::Json<Tie>, Problem> {
    let id = id.into_inner();
    let change = store::TieChange::try_from(body.into_inner())?;
    let tie = super::blocking(move || {
        state.write(tenant.0, |store| {
            store.change_tie(tenant.0, TieId(id), &change)
        })
    })
    .await?;
    Ok(web::Json(tie.into()))
}

/// Remove a declared tie.
#[utoipa::path(delete, path = "/v1/ties/{id}", tag = "ties", params(TiePath),
    responses((status = 204, description = "removed")))]
pub async fn delete_tie(
    tenant: Tenant,
    state: web::Data<AppState>,
    id: web::Path<i64>,
) -> Result<HttpResponse, Problem> {
    let id = id.into_inner();
    super::blocking(move || state.write(tenant.0, |store| store.remove_tie(tenant.0, TieId(id))))
        .await?;
    Ok(HttpResponse::NoContent().finish())
}
