//! The questions: `/v1/paths`, `/v1/introducers` and `/v1/paths/batch`, answered from the
//! workspace's published snapshot with per-thread scratch buffers.

use actix_web::web;
use rayon::prelude::*;

use super::auth::Tenant;
use super::problem::Problem;
use super::state::{AppState, with_scratch};
use super::wire::{
    BatchRequest, BatchResponse, BatchResult, IntroducersBody, PathQuery, PathsBody,
};
use crate::ask::Question;
use crate::identity::PersonRef;
use crate::store::{Store, WorkspaceId};

/// The most queries one batch may hold.
pub const MAX_BATCH: usize = 1000;

/// Resolves a query's `from` and `to` to people of the workspace.
fn question(store: &Store, workspace: WorkspaceId, query: &PathQuery) -> Result<Question, Problem> {
    let from = PersonRef::parse(query.from.as_deref().unwrap_or("me"))?;
    let to = query.to.as_deref().map(PersonRef::parse).transpose()?;
    Ok(Question {
        from: store.require_person(workspace, &from)?,
        to: to
            .map(|to| store.require_person(workspace, &to))
            .transpose()?,
        field: query.field.clone(),
        company: query.company.clone(),
        title: query.title.clone(),
        max_hops: query.max_hops.unwrap_or(Question::DEFAULT_MAX_HOPS),
        limit: query.limit.unwrap_or(Question::DEFAULT_LIMIT),
    })
}

/// Ranked paths to matching targets.
#[utoipa::path(get, path = "/v1/paths", tag = "questions", params(PathQuery),
    responses((status = 200, description = "ranked paths, best first", body = PathsBody)))]
pub async fn get_paths(
    tenant: Tenant,
    state: web::Data<AppState>,
    query: web::Query<PathQuery>,
) -> Result<web::Json<PathsBody>, Problem> {
    let body = super::blocking(move || {
        let question = state.read(|store| question(store, tenant.0, &query))?;
        let published = state.network(tenant.0)?;
        Ok(with_scratch(&published, |network, scratch| {
            network.paths(&question, scratch)
        })?)
    })
    .await?;
    Ok(web::Json(body.into()))
}

/// Who can introduce you to someone matching the filters.
#[utoipa::path(get, path = "/v1/introducers", tag = "questions", params(PathQuery),
    responses((status = 200, description = "introducers, best first", body = IntroducersBody)))]
pub async fn get_introducers(
    tenant: Tenant,
    state: web::Data<AppState>,
    query: web::Query<PathQuery>,
) -> Result<web::Json<IntroducersBody>, Problem> {
    let body = super::blocking(move || {
        let question = state.read(|store| question(store, tenant.0, &query))?;
        let published = state.network(tenant.0)?;
        Ok(with_scratch(&published, |network, scratch| {
            network.introducers(&question, scratch)
        })?)
    })
    .await?;
    Ok(web::Json(body.into()))
}

/// Many path questions in one call, answered in parallel, in order.
#[utoipa::path(post, path = "/v1/paths/batch", tag = "questions", request_body = BatchRequest,
    responses((status = 200, description = "one paths body or problem per query, in order", body = BatchResponse)))]
pub async fn batch_paths(
    tenant: Tenant,
    state: web::Data<AppState>,
    batch: web::Json<BatchRequest>,
) -> Result<web::Json<BatchResponse>, Problem> {
    let queries = batch.into_inner().queries;
    if queries.len() > MAX_BATCH {
        return Err(Problem::bad_request(format!(
            "a batch holds at most {MAX_BATCH} queries, not {}",
            queries.len()
        )));
    }
    let results = super::blocking(move || {
        let questions: Vec<Result<Question, Problem>> = state.read(|store| {
            Ok::<_, Problem>(
                queries
                    .iter()
                    .map(|query| question(store, tenant.0, query))
                    .collect(),
            )
        })?;
        let published = state.network(tenant.0)?;
        Ok(questions
            .into_par_iter()
            .map(|question| {
                let answer = question.and_then(|question| {
                    with_scratch(&published, |network, scratch| {
                        network.paths(&question, scratch)
                    })
                    .map_err(Problem::from)
                });
                match answer {
                    Ok(body) => BatchResult::Paths(body.into()),
                    Err(problem) => BatchResult::Problem(problem.body()),
                }
            })
            .collect::<Vec<_>>())
    })
    .await?;
    Ok(web::Json(BatchResponse { results }))
}
