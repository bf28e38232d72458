//! `/v1/people`: find people, read, correct, erase and merge one, and list their ties.

use actix_web::{HttpResponse, web};

use super::auth::Tenant;
use super::extract;
use super::problem::Problem;
use super::shapes;
use super::state::AppState;
use super::wire::{
    MergeRequest, PeoplePage, Person, PersonPatch, PersonTie, PersonTies, StrengthInputs,
};
use crate::identity::PersonId;
use crate::live::Published;
use crate::store::{self, PeopleFilter, Store, TieRecord, WorkspaceId};

/// Which people to find.
#[derive(Debug, Clone, Default, serde::Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PeopleParams {
    /// A case- and accent-insensitive substring of the name, company, title or an email.
    q: Option<String>,
    /// A field id or text ("VC") that resolves to fields; a parent includes its children.
    field: Option<String>,
    /// A case- and accent-insensitive substring of the company.
    company: Option<String>,
    /// Page size, 1 to 1000 (default 50).
    #[param(minimum = 1, maximum = 1000)]
    limit: Option<usize>,
    /// `next_cursor` of the previous page.
    cursor: Option<String>,
}

/// The person a path segment names: `me` or an id.
fn person(store: &Store, workspace: WorkspaceId, id: &str) -> Result<PersonId, Problem> {
    Ok(store.require_person(workspace, &shapes::person_id(id)?)?)
}

/// Find people.
#[utoipa::path(get, path = "/v1/people", tag = "people", params(PeopleParams),
    responses((status = 200, description = "a page of people, by id", body = PeoplePage)))]
pub async fn list_people(
    tenant: Tenant,
    state: web::Data<AppState>,
    params: web::Query<PeopleParams>,
) -> Result<web::Json<PeoplePage>, Problem> {
    let params = params.into_inner();
    let (limit, after) = extract::page(params.limit, params.cursor.as_deref())?;
    let filter = PeopleFilter {
        q: params.q,
        field: params.field,
        company: params.company,
    };
    let page = super::blocking(move || {
        state
            .read(|store| store.search_people(tenant.0, &filter, limit, after))
            .map_err(Problem::from)
    })
    .await?;
    Ok(web::Json(page.into()))
}

/// One person.
#[utoipa::path(get, path = "/v1/people/{id}", tag = "people", params(PersonPath),
    responses((status = 200, description = "the person", body = Person)))]
pub async fn get_person(
    tenant: Tenant,
    state: web::Data<AppState>,
    id: web::Path<String>,
) -> Result<web::Json<Person>, Problem> {
    let found = super::blocking(move || {
        state.read(|store| Ok(store.person(tenant.0, person(store, tenant.0, &id)?)?))
    })
    .await?;
    Ok(web::Json(found))
}

/// Correct a person's name, emails, fields, title or company.
#[utoipa::path(patch, path = "/v1/people/{id}", tag = "people", params(PersonPath),
    request_body = PersonPatch,
    responses((status = 200, description = "the corrected person", body = Person)))]
pub async fn patch_person(
    tenant: Tenant,
    state: web::Data<AppState>,
    id: web::Path<String>,
    patch: web::Json<PersonPatch>,
) -> Result<web::Json<Person>, Problem> {
    let target = shapes::person_id(&id)?;
    let patch = patch.into_inner();
    if let Some(name) = &patch.name {
        shapes::name(name)?;
    }
    for (what, text) in [
        ("name", &patch.name),
        ("title", &patch.title),
        ("company", &patch.company),
    ] {
        shapes::text_within(what, text.as_deref(), crate::import::limits::MAX_TEXT)?;
    }
    if let Some(emails) = &patch.emails {
        shapes::emails(emails)?;
    }
    let patch = store::PersonPatch {
        name: patch.name,
        emails: patch.emails,
        fields: patch.fields,
        title: patch.title,
        company: patch.company,
    };
    let corrected = super::blocking(move || {
        state.write(tenant.0, |store| {
            let id = store.require_person(tenant.0, &target)?;
            store.patch_person(tenant.0, id, &patch)
        })
    })
    .await?;
    Ok(web::Json(corrected))
}

/// Erase a person everywhere; later imports skip (and count) them.
#[utoipa::path(delete, path = "/v1/people/{id}", tag = "people", params(PersonPath),
    responses((status = 204, description = "erased")))]
pub async fn delete_person(
    tenant: Tenant,
    state: web::Data<AppState>,
    id: web::Path<String>,
) -> Result<HttpResponse, Problem> {
    let target = shapes::person_id(&id)?;
    super::blocking(move || {
        state.write(tenant.0, |store| {
            let id = store.require_person(tenant.0, &target)?;
            store.erase_person(tenant.0, id)
        })?;
        // The workspace's snapshot file still holds the person: it goes too, before the 204.
        state.forget_snapshot_file(tenant.0);
        Ok(())
    })
    .await?;
    Ok(HttpResponse::NoContent().finish())
}

/// Merge another person into this one.
#[utoipa::path(post, path = "/v1/people/{id}/merge", tag = "people", params(PersonPath),
    request_body = MergeRequest,
    responses((status = 200, description = "the person that remains", body = Person)))]
pub async fn merge_person(
    tenant: Tenant,
    state: web::Data<AppState>,
    id: web::Path<String>,
    merge: web::Json<MergeRequest>,
) -> Result<web::Json<Person>, Problem> {
    let target = shapes::person_id(&id)?;
    let absorbed = shapes::person_ref("with", &merge.with.0)?;
    let kept = super::blocking(move || {
        state.write(tenant.0, |store| {
            let id = store.require_person(tenant.0, &target)?;
            let absorbed = store.require_person(tenant.0, &absorbed)?;
            store.merge_people(tenant.0, id, absorbed)
        })
    })
    .await?;
    Ok(web::Json(kept))
}

/// A person's ties, with their strength inputs and the listings behind them.
#[utoipa::path(get, path = "/v1/people/{id}/ties", tag = "people", params(PersonPath),
    responses((status = 200, description = "the person's ties", body = PersonTies)))]
pub async fn person_ties(
    tenant: Tenant,
    state: web::Data<AppState>,
    id: web::Path<String>,
) -> Result<web::Json<PersonTies>, Problem> {
    let ties = super::blocking(move || {
        let published = state.network(tenant.0)?;
        state.read(|store| {
            let id = person(store, tenant.0, &id)?;
            let records = store.ties_of(tenant.0, id)?;
            let others = records
                .iter()
                .map(|record| store.person(tenant.0, record.person))
                .collect::<Result<Vec<_>, _>>()?;
            Ok::<_, Problem>(ties_view(
                &published,
                store.person(tenant.0, id)?,
                records,
                others,
            ))
        })
    })
    .await?;
    Ok(web::Json(ties))
}

/// Joins the store's listings with the snapshot's strengths.
fn ties_view(
    published: &Published,
    person: store::Person,
    records: Vec<TieRecord>,
    others: Vec<store::Person>,
) -> PersonTies {
    let snapshot = &published.network.snapshot;
    let settings = &published.network.settings.strength;
    let node = snapshot.node_of_person(person.id.0);
    let ties = records
        .into_iter()
        .zip(others)
        .map(|(record, other)| {
            let mut tie = node
                .zip(snapshot.node_of_person(record.person.0))
                .and_then(|(a, b)| snapshot.tie(a, b));
            // The snapshot does not know where an explicit strength came from; the listings do.
            if let Some(tie) = tie.as_mut() {
                tie.inputs.declared = tie
                    .inputs
                    .explicit
                    .is_some_and(|explicit| record.is_declared_strength(explicit));
            }
            PersonTie {
                person: other,
                strength: tie.as_ref().map(|tie| tie.strength),
                inputs: tie.as_ref().map(|tie| StrengthInputs::from(tie.inputs)),
                why: tie
                    .as_ref()
                    .map(|tie| crate::strength::explain(&tie.inputs, settings)),
                sources: record.sources.into_iter().map(Into::into).collect(),
            }
        })
        .collect();
    PersonTies { person, ties }
}

/// The `{id}` of a person's routes.
#[derive(Debug, Clone, serde::Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Path)]
#[allow(dead_code)]
pub struct PersonPath {
    // Its pattern, `shapes::PERSON_ID`, is set by `openapi::Shapes`.
    /// `me` or a person id.
    id: String,
}
