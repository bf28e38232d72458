//! The questions: `/v1/paths`, `/v1/introducers` and `/v1/paths/batch`, answered from the
//! workspace's published snapshot with per-thread scratch buffers.

use actix_web::web;
use rayon::prelude::*;

use super::auth::Tenant;
use super::paths_wire::{
    BatchRequest, BatchResponse, BatchResult, IntroducersBody, PathParams, PathsBody,
};
use super::problem::Problem;
use super::shapes;
use super::state::AppState;
use crate::ask::{AskError, Located, Network, Question};
use crate::live::with_scratch;
use crate::search::Scratch;
use crate::store::{Store, WorkspaceId};

/// The most queries one batch may hold.
pub const MAX_BATCH: usize = 1000;

/// The most paths one batch may ask for in all (the sum of its queries' `limit`s, 10 by
/// default): a path with its hops and people is a few kilobytes of JSON, so this keeps an
/// answer near ten megabytes. More paths: more batches.
pub const MAX_BATCH_PATHS: usize = 2000;

/// The question the parameters ask, checked once: people's shapes here, limits and blank
/// filters by [`Question::checked`].
fn question(params: PathParams) -> Result<Question, Problem> {
    Ok(unchecked(params)?.checked()?)
}

/// The question the parameters ask, its people's shapes checked, not yet its limits.
fn unchecked(params: PathParams) -> Result<Question, Problem> {
    Ok(Question {
        from: match params.from.as_deref() {
            None => crate::identity::PersonRef::Me,
            Some(from) => shapes::person_ref("from", from)?,
        },
        to: params
            .to
            .as_deref()
            .map(|to| shapes::person_ref("to", to))
            .transpose()?,
        field: params.field,
        company: params.company,
        title: params.title,
        max_hops: params.max_hops.unwrap_or(Question::DEFAULT_MAX_HOPS),
        limit: params.limit.unwrap_or(Question::DEFAULT_LIMIT),
    })
}

/// The question's people found through the store (profile URLs, people to report as
/// unknown), then in the network.
fn locate(
    store: &Store,
    workspace: WorkspaceId,
    network: &Network,
    question: &Question,
) -> Result<Located, Problem> {
    let node = |reference| -> Result<_, Problem> {
        Ok(network.node_of(store.require_person(workspace, reference)?)?)
    };
    Ok(Located {
        from: node(&question.from)?,
        to: question.to.as_ref().map(node).transpose()?,
    })
}

/// Answers a question with `answer` on the published snapshot.
///
/// A two-hop question whose people the snapshot knows is answered right here on the
/// worker: it costs about as much as handing it to another thread would (tens of
/// microseconds), and no blocking-pool thread then holds scratch buffers the size of the
/// graph. Anything else (a profile URL to look up in the store, an unknown person to report,
/// a three-hop search that may take milliseconds, a snapshot not built yet) goes to the
/// blocking pool.
async fn answer<T: Send + 'static>(
    tenant: Tenant,
    state: web::Data<AppState>,
    question: Question,
    answer: fn(&Network, &Question, Located, &mut Scratch) -> Result<T, AskError>,
) -> Result<T, Problem> {
    if question.max_hops <= Question::DEFAULT_MAX_HOPS
        && let Some(published) = state.published(tenant.0)
        && let Some(at) = published.network.locate(&question)
    {
        return with_scratch(&published, |network, scratch| {
            answer(network, &question, at, scratch)
        })
        .map_err(Problem::from);
    }
    super::blocking(move || {
        let published = state.network(tenant.0)?;
        let at = match published.network.locate(&question) {
            Some(at) => at,
            None => state.read(|store| locate(store, tenant.0, &published.network, &question))?,
        };
        Ok(with_scratch(&published, |network, scratch| {
            answer(network, &question, at, scratch)
        })?)
    })
    .await
}

/// Ranked paths to matching targets.
#[utoipa::path(get, path = "/v1/paths", tag = "questions", params(PathParams),
    responses((status = 200, description = "ranked paths, best first", body = PathsBody)))]
pub async fn get_paths(
    tenant: Tenant,
    state: web::Data<AppState>,
    params: web::Query<PathParams>,
) -> Result<web::Json<PathsBody>, Problem> {
    let question = question(params.into_inner())?;
    Ok(web::Json(
        answer(tenant, state, question, Network::paths).await?,
    ))
}

/// Who can introduce you to someone matching the filters.
#[utoipa::path(get, path = "/v1/introducers", tag = "questions", params(PathParams),
    responses((status = 200, description = "introducers, best first", body = IntroducersBody)))]
pub async fn get_introducers(
    tenant: Tenant,
    state: web::Data<AppState>,
    params: web::Query<PathParams>,
) -> Result<web::Json<IntroducersBody>, Problem> {
    let question = question(params.into_inner())?;
    Ok(web::Json(
        answer(tenant, state, question, Network::introducers).await?,
    ))
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
    // A query the schema refuses makes the whole batch a bad request; a query that is well
    // formed but cannot be answered (no such person, no filter) gets its own problem.
    // A query the schema refuses makes the whole batch a bad request; one that is well
    // formed but asks for nobody gets its own problem.
    let questions = queries
        .into_iter()
        .enumerate()
        .map(|(index, query)| {
            let refused = |problem: Problem| {
                Problem::bad_request(format!("queries[{index}]: {}", problem.detail))
            };
            match unchecked(PathParams::from(query))
                .map_err(refused)?
                .checked()
            {
                Ok(question) => Ok(Ok(question)),
                Err(AskError::NoTarget) => Ok(Err(AskError::NoTarget)),
                Err(error) => Err(refused(Problem::from(error))),
            }
        })
        .collect::<Result<Vec<Result<Question, AskError>>, Problem>>()?;
    let paths: usize = questions
        .iter()
        .map(|question| question.as_ref().map_or(0, |question| question.limit))
        .sum();
    if paths > MAX_BATCH_PATHS {
        return Err(Problem::bad_request(format!(
            "a batch asks for at most {MAX_BATCH_PATHS} paths in all (the sum of its queries' limits, 10 each by default), not {paths}: split it, or lower the limits"
        )));
    }
    let results = super::blocking(move || {
        let published = state.network(tenant.0)?;
        let network = &published.network;
        // People the snapshot knows are found on every core; the rest (profile URLs,
        // people to report as unknown) in the store.
        let found: Vec<Option<Located>> = questions
            .par_iter()
            .map(|question| question.as_ref().ok().and_then(|q| network.locate(q)))
            .collect();
        let located: Vec<Result<(&Question, Located), Problem>> = state.read(|store| {
            Ok::<_, Problem>(
                questions
                    .iter()
                    .zip(found)
                    .map(|(question, found)| {
                        let question = question
                            .as_ref()
                            .map_err(|error| Problem::from(error.clone()))?;
                        match found {
                            Some(at) => Ok((question, at)),
                            None => Ok((question, locate(store, tenant.0, network, question)?)),
                        }
                    })
                    .collect(),
            )
        })?;
        Ok(located
            .into_par_iter()
            .map(|located| {
                let answer = located.and_then(|(question, at)| {
                    with_scratch(&published, |network, scratch| {
                        network.paths(question, at, scratch)
                    })
                    .map_err(Problem::from)
                });
                match answer {
                    Ok(body) => BatchResult::Paths(body),
                    Err(problem) => BatchResult::Problem(problem.body()),
                }
            })
            .collect::<Vec<_>>())
    })
    .await?;
    Ok(web::Json(BatchResponse { results }))
}
