//! `/v1/requests` and `/v1/follow-ups`: introduction requests, from the draft to the
//! thank-you, and what is due today. The domain (`crate::requests`) decides; this file
//! checks the shapes of the input and maps the outcome.

use actix_web::http::header;
use actix_web::{HttpResponse, web};

use super::auth::Tenant;
use super::problem::Problem;
use super::shapes;
use super::state::AppState;
use super::wire::{RequestCreate, RequestPatch};
use crate::requests::draft::Draft;
use crate::requests::{self, FollowUps, Request, RequestPage, State};
use crate::store::RequestId;

use crate::requests::{MAX_ASK_AFTER_DAYS, MAX_BODY, MAX_REASON, MAX_SUBJECT};

/// Which requests to list.
#[derive(Debug, Clone, Default, serde::Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct RequestsParams {
    /// Only requests in this state.
    state: Option<State>,
    /// Page size, 1 to 1000 (default 50).
    #[param(minimum = 1, maximum = 1000)]
    limit: Option<usize>,
    /// `next_cursor` of the previous page.
    cursor: Option<String>,
}

/// Which follow-ups are due.
#[derive(Debug, Clone, Default, serde::Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct FollowUpsParams {
    /// The day to count to, `YYYY-MM-DD` (default today).
    #[param(format = Date)]
    today: Option<String>,
    /// Days after asking before a nudge is due (default 7).
    #[param(minimum = 0, maximum = 3650)]
    ask_after_days: Option<u32>,
}

/// The `{id}` of a request's routes.
#[derive(Debug, Clone, serde::Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Path)]
#[allow(dead_code)]
pub struct RequestPath {
    /// The request's id.
    id: i64,
}

/// Create an introduction request, with a draft to the introducer.
#[utoipa::path(post, path = "/v1/requests", tag = "requests", request_body = RequestCreate,
    responses((status = 201, description = "the request, in state `reconnect` or `draft`", body = Request)))]
pub async fn post_request(
    tenant: Tenant,
    state: web::Data<AppState>,
    body: web::Json<RequestCreate>,
) -> Result<HttpResponse, Problem> {
    let body = body.into_inner();
    shapes::text_within("reason", body.reason.as_deref(), MAX_REASON)?;
    let input = requests::NewRequestInput {
        introducer: shapes::person_ref("introducer", &body.introducer.0)?,
        target: shapes::person_ref("target", &body.target.0)?,
        reason: body.reason,
    };
    let created = super::blocking(move || {
        let settings = state.settings;
        state.write(tenant.0, |store| {
            requests::create(store, tenant.0, &settings, &input)
        })
    })
    .await?;
    Ok(HttpResponse::Created()
        .insert_header((header::LOCATION, format!("/v1/requests/{}", created.id)))
        .json(created))
}

/// List requests, newest first.
#[utoipa::path(get, path = "/v1/requests", tag = "requests", params(RequestsParams),
    responses((status = 200, description = "a page of requests, newest first", body = RequestPage)))]
pub async fn list_requests(
    tenant: Tenant,
    state: web::Data<AppState>,
    params: web::Query<RequestsParams>,
) -> Result<web::Json<RequestPage>, Problem> {
    let params = params.into_inner();
    let (limit, _) = super::extract::page(params.limit, None)?;
    let before = params.cursor.as_deref().map(shapes::cursor).transpose()?;
    let page = super::blocking(move || {
        let settings = state.settings;
        state
            .read(|store| requests::list(store, tenant.0, &settings, params.state, limit, before))
            .map_err(Problem::from)
    })
    .await?;
    Ok(web::Json(page))
}

/// One request.
#[utoipa::path(get, path = "/v1/requests/{id}", tag = "requests", params(RequestPath),
    responses((status = 200, description = "the request", body = Request)))]
pub async fn get_request(
    tenant: Tenant,
    state: web::Data<AppState>,
    id: web::Path<i64>,
) -> Result<web::Json<Request>, Problem> {
    let id = RequestId(id.into_inner());
    let found = super::blocking(move || {
        let settings = state.settings;
        state
            .read(|store| requests::get(store, tenant.0, &settings, id))
            .map_err(Problem::from)
    })
    .await?;
    Ok(web::Json(found))
}

/// Edit a request's draft, and/or log its next state.
#[utoipa::path(patch, path = "/v1/requests/{id}", tag = "requests", params(RequestPath),
    request_body = RequestPatch,
    responses((status = 200, description = "the request", body = Request)))]
pub async fn patch_request(
    tenant: Tenant,
    state: web::Data<AppState>,
    id: web::Path<i64>,
    body: web::Json<RequestPatch>,
) -> Result<web::Json<Request>, Problem> {
    let id = RequestId(id.into_inner());
    let body = body.into_inner();
    if let Some(draft) = &body.draft {
        shapes::text_within("draft.subject", Some(&draft.subject), MAX_SUBJECT)?;
        shapes::multiline_within("draft.body", &draft.body, MAX_BODY)?;
    }
    shapes::text_within("note", body.note.as_deref(), MAX_REASON)?;
    let change = requests::Change {
        draft: body.draft.map(|draft| Draft {
            subject: draft.subject,
            body: draft.body,
        }),
        state: body.state,
        on: body
            .on
            .as_deref()
            .map(|on| shapes::date("on", on))
            .transpose()?,
        note: body.note,
    };
    let changed = super::blocking(move || {
        let settings = state.settings;
        state.write(tenant.0, |store| {
            requests::change(store, tenant.0, &settings, id, &change)
        })
    })
    .await?;
    Ok(web::Json(changed))
}

/// Delete a request.
#[utoipa::path(delete, path = "/v1/requests/{id}", tag = "requests", params(RequestPath),
    responses((status = 204, description = "deleted")))]
pub async fn delete_request(
    tenant: Tenant,
    state: web::Data<AppState>,
    id: web::Path<i64>,
) -> Result<HttpResponse, Problem> {
    let id = RequestId(id.into_inner());
    super::blocking(move || state.write(tenant.0, |store| requests::delete(store, tenant.0, id)))
        .await?;
    Ok(HttpResponse::NoContent().finish())
}

/// The follow-ups due today (or on `today`), oldest due first.
#[utoipa::path(get, path = "/v1/follow-ups", tag = "requests", params(FollowUpsParams),
    responses((status = 200, description = "what is due", body = FollowUps)))]
pub async fn get_follow_ups(
    tenant: Tenant,
    state: web::Data<AppState>,
    params: web::Query<FollowUpsParams>,
) -> Result<web::Json<FollowUps>, Problem> {
    let params = params.into_inner();
    let today = match params.today.as_deref() {
        Some(text) => shapes::date("today", text)?,
        None => state.settings.strength.today,
    };
    let days = params
        .ask_after_days
        .map_or(requests::ASK_AFTER_DAYS, u64::from);
    if days > MAX_ASK_AFTER_DAYS {
        return Err(Problem::bad_request(format!(
            "ask_after_days must be at most {MAX_ASK_AFTER_DAYS}, not {days}"
        )));
    }
    let due = super::blocking(move || {
        state
            .read(|store| requests::follow_ups(store, tenant.0, today, days))
            .map_err(Problem::from)
    })
    .await?;
    Ok(web::Json(due))
}
