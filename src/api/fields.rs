//! `/v1/fields`: the taxonomy with how many people of the workspace are in each field, and
//! resolving query text to fields.

use actix_web::web;

use super::auth::Tenant;
use super::problem::Problem;
use super::state::AppState;
use super::wire::{Field, FieldsBody, Resolution};
use crate::graph::Snapshot;
use crate::taxonomy::{FieldIdx, Taxonomy};

/// Every field, with its people counted (a parent counts its sub-fields' people).
///
/// # Complexity
/// O(people × fields) over the snapshot.
fn fields_with_counts(snapshot: &Snapshot) -> Vec<Field> {
    let taxonomy = Taxonomy::embedded();
    let masks: Vec<u128> = (0..taxonomy.fields().len())
        .map(|index| taxonomy.query_mask(FieldIdx(index as u8)))
        .collect();
    let mut counts = vec![0usize; masks.len()];
    for node in 0..snapshot.node_count() {
        let held = snapshot
            .person(crate::graph::NodeIdx(node as u32))
            .field_mask;
        if held == 0 {
            continue;
        }
        for (count, mask) in counts.iter_mut().zip(&masks) {
            if held & mask != 0 {
                *count += 1;
            }
        }
    }
    taxonomy
        .fields()
        .iter()
        .zip(counts)
        .map(|(field, people)| Field {
            id: field.id.clone(),
            name: field.name.clone(),
            parent: field.parent.map(|parent| taxonomy.get(parent).id.clone()),
            people,
        })
        .collect()
}

/// The taxonomy, with counts of people per field.
#[utoipa::path(get, path = "/v1/fields", tag = "fields",
    responses((status = 200, description = "every field", body = FieldsBody)))]
pub async fn list_fields(
    tenant: Tenant,
    state: web::Data<AppState>,
) -> Result<web::Json<FieldsBody>, Problem> {
    let fields = super::blocking(move || {
        let published = state.network(tenant.0)?;
        Ok(fields_with_counts(&published.network.snapshot))
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
