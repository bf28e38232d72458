//! The questions: `/v1/paths`, `/v1/introducers` and `/v1/paths/batch`, answered from the
//! workspace's published snapshot with per-thread scratch buffers.

use actix_web::web;
use rayon::prelude::*;

use super::auth::Tenant;
use super::problem::Problem;
use super::shapes;
use super::state::AppState;
use super::wire::{
    BatchRequest, BatchResponse, BatchResult, IntroducersBody, PathParams, PathsBody,
};
use crate::ask::{AskError, Network, Question};
use crate::identity::{PersonId, PersonRef};
use crate::live::{Published, with_scratch};
use crate::search::Scratch;
use crate::store::{Store, WorkspaceId};

/// The most queries one batch may hold.
pub const MAX_BATCH: usize = 1000;

/// A question whose text is checked, before anyone is looked up.
struct Parsed {
    from: PersonRef,
    to: Option<PersonRef>,
    field: Option<String>,
    company: Option<String>,
    title: Option<String>,
    max_hops: u8,
    limit: usize,
}

/// An empty filter (`company=`) is no filter, as a form with a blank box means.
fn filter(text: Option<String>) -> Option<String> {
    text.filter(|text| !text.trim().is_empty())
}

impl TryFrom<PathParams> for Parsed {
    type Error = Problem;

    fn try_from(params: PathParams) -> Result<Parsed, Problem> {
        let max_hops = params.max_hops.unwrap_or(Question::DEFAULT_MAX_HOPS);
        if !(1..=Question::MAX_HOPS).contains(&max_hops) {
            return Err(Problem::from(AskError::MaxHops(max_hops)));
        }
        let limit = params.limit.unwrap_or(Question::DEFAULT_LIMIT);
        if !(1..=Question::MAX_LIMIT).contains(&limit) {
            return Err(Problem::from(AskError::Limit(limit)));
        }
        Ok(Parsed {
            from: match params.from.as_deref() {
                None => PersonRef::Me,
                Some(from) => shapes::person_ref("from", from)?,
            },
            to: params
                .to
                .as_deref()
                .map(|to| shapes::person_ref("to", to))
                .transpose()?,
            field: filter(params.field),
            company: filter(params.company),
            title: filter(params.title),
            max_hops,
            limit,
        })
    }
}

/// Resolves a question's `from` and `to` to people of the workspace.
fn question(store: &Store, workspace: WorkspaceId, parsed: &Parsed) -> Result<Question, Problem> {
    Ok(Question {
        from: store.require_person(workspace, &parsed.from)?,
        to: parsed
            .to
            .as_ref()
            .map(|to| store.require_person(workspace, to))
            .transpose()?,
        field: parsed.field.clone(),
        company: parsed.company.clone(),
        title: parsed.title.clone(),
        max_hops: parsed.max_hops,
        limit: parsed.limit,
    })
}

/// The question, when every person it names can be found in the published snapshot
/// (`me`, an id or an email; profile URLs live only in the store).
fn question_in(published: &Published, parsed: &Parsed) -> Option<Question> {
    let snapshot = &published.network.snapshot;
    let find = |reference: &PersonRef| -> Option<PersonId> {
        let node = match reference {
            PersonRef::Me => snapshot.me()?,
            PersonRef::Id(id) => snapshot.node_of_person(id.0)?,
            PersonRef::Email(email) => snapshot.node_by_email(email)?,
            PersonRef::ProfileUrl(_) => return None,
        };
        Some(PersonId(snapshot.person(node).id))
    };
    Some(Question {
        from: find(&parsed.from)?,
        to: match &parsed.to {
            Some(to) => Some(find(to)?),
            None => None,
        },
        field: parsed.field.clone(),
        company: parsed.company.clone(),
        title: parsed.title.clone(),
        max_hops: parsed.max_hops,
        limit: parsed.limit,
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
    parsed: Parsed,
    answer: fn(&Network, &Question, &mut Scratch) -> Result<T, AskError>,
) -> Result<T, Problem> {
    if parsed.max_hops <= Question::DEFAULT_MAX_HOPS
        && let Some(published) = state.published(tenant.0)
        && let Some(question) = question_in(&published, &parsed)
    {
        return with_scratch(&published, |network, scratch| {
            answer(network, &question, scratch)
        })
        .map_err(Problem::from);
    }
    super::blocking(move || {
        let question = state.read(|store| question(store, tenant.0, &parsed))?;
        let published = state.network(tenant.0)?;
        Ok(with_scratch(&published, |network, scratch| {
            answer(network, &question, scratch)
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
    let parsed = Parsed::try_from(params.into_inner())?;
    let body = answer(tenant, state, parsed, Network::paths).await?;
    Ok(web::Json(body.into()))
}

/// Who can introduce you to someone matching the filters.
#[utoipa::path(get, path = "/v1/introducers", tag = "questions", params(PathParams),
    responses((status = 200, description = "introducers, best first", body = IntroducersBody)))]
pub async fn get_introducers(
    tenant: Tenant,
    state: web::Data<AppState>,
    params: web::Query<PathParams>,
) -> Result<web::Json<IntroducersBody>, Problem> {
    let parsed = Parsed::try_from(params.into_inner())?;
    let body = answer(tenant, state, parsed, Network::introducers).await?;
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
    // A query the schema refuses makes the whole batch a bad request; a query that is well
    // formed but cannot be answered (no such person, no filter) gets its own problem.
    let parsed = queries
        .into_iter()
        .enumerate()
        .map(|(index, query)| {
            Parsed::try_from(PathParams::from(query)).map_err(|problem| {
                Problem::bad_request(format!("queries[{index}]: {}", problem.detail))
            })
        })
        .collect::<Result<Vec<_>, _>>()?;
    let results = super::blocking(move || {
        let published = state.network(tenant.0)?;
        // People the snapshot knows are found on every core; the rest (profile URLs,
        // people to report as unknown) in the store.
        let found: Vec<Option<Question>> = parsed
            .par_iter()
            .map(|query| question_in(&published, query))
            .collect();
        let questions: Vec<Result<Question, Problem>> = state.read(|store| {
            Ok::<_, Problem>(
                parsed
                    .iter()
                    .zip(found)
                    .map(|(query, found)| match found {
                        Some(question) => Ok(question),
                        None => question(store, tenant.0, query),
                    })
                    .collect(),
            )
        })?;
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
