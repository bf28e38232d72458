//! `/v1/fields`: the taxonomy with how many people of the workspace are in each field, and
//! resolving query text to fields.

use actix_web::web;

use super::auth::Tenant;
use super::problem::Problem;
use super::state::AppState;
use super::wire::{Field, FieldsBody, Resolution};
use crate::taxonomy::Taxonomy;

/// The taxonomy, with counts of people per field.
#[utoipa::path(get, path = "/v1/fields", tag = "fields",
    responses((status = 200, description = "every field", body = FieldsBody)))]
pub async fn list_fields(
    tenant: Tenant,
    state: web::Data<AppState>,
) -> Result<web::Json<FieldsBody>, Problem> {
    let fields = super::blocking(move || {
        let published = state.network(tenant.0)?;
        Ok(published
            .network
            .field_counts()
            .into_iter()
            .map(Field::from)
            .collect::<Vec<_>>())
    })
    .await?;
    Ok(web::Json(FieldsBody { fields }))
}

/// The text to resolve.
#[derive(Debug, Clone, serde::Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ResolveParams {
    /// Query text: "VC", "investment banking", "fintech".
    q: String,
}

/// Which fields query text resolves to, and why.
#[utoipa::path(get, path = "/v1/fields/resolve", tag = "fields", params(ResolveParams),
    responses((status = 200, description = "the fields, best first", body = Resolution)))]
pub async fn resolve_fields(
    _tenant: Tenant,
    params: web::Query<ResolveParams>,
) -> Result<web::Json<Resolution>, Problem> {
    Ok(web::Json(Taxonomy::embedded().resolve(&params.q).into()))
}
