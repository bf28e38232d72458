//! The wire types of the questions: their parameters, batches, and the bodies `ask` builds
//! (which the CLI prints too).

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::problem::ProblemBody;
use super::wire::PersonReference;

/// The bodies of the questions are `ask`'s: the command line's `--json` prints the same
/// values, so the two are the same bytes by construction.
pub use crate::ask::{IntroducersBody, PathsBody};

/// The query parameters of `GET /v1/paths` and `GET /v1/introducers`.
#[derive(Debug, Clone, Default, PartialEq, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PathParams {
    /// Whose network to search from: `me` (default), a person id, an email or a profile URL.
    pub from: Option<String>,
    /// A field id or text ("VC", "investment banking") that resolves to fields.
    pub field: Option<String>,
    /// A case- and accent-insensitive substring of the target's company.
    pub company: Option<String>,
    /// A case- and accent-insensitive substring of the target's title.
    pub title: Option<String>,
    /// One target: a person id, an email or a profile URL.
    pub to: Option<String>,
    /// Ties from you to the target, 1 to 3 (default 2).
    #[param(minimum = 1, maximum = 3)]
    pub max_hops: Option<u8>,
    /// How many answers, 1 to 1000 (default 10).
    #[param(minimum = 1, maximum = 1000)]
    pub limit: Option<usize>,
}

/// One path question of a batch: the query parameters of `GET /v1/paths`, as JSON.
#[derive(Debug, Clone, Default, PartialEq, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PathQuery {
    /// Whose network to search from: `me` (default), a person id, an email or a profile URL.
    pub from: Option<PersonReference>,
    /// A field id or text ("VC", "investment banking") that resolves to fields.
    pub field: Option<String>,
    /// A case- and accent-insensitive substring of the target's company.
    pub company: Option<String>,
    /// A case- and accent-insensitive substring of the target's title.
    pub title: Option<String>,
    /// One target: a person id, an email or a profile URL.
    pub to: Option<PersonReference>,
    /// Ties from you to the target, 1 to 3 (default 2).
    #[schema(minimum = 1, maximum = 3)]
    #[serde(default, deserialize_with = "super::wire::integral::optional")]
    pub max_hops: Option<u8>,
    /// How many answers, 1 to 1000 (default 10).
    #[schema(minimum = 1, maximum = 1000)]
    #[serde(default, deserialize_with = "super::wire::integral::optional")]
    pub limit: Option<usize>,
}

impl From<PathQuery> for PathParams {
    fn from(query: PathQuery) -> PathParams {
        PathParams {
            from: query.from.map(|reference| reference.0),
            field: query.field,
            company: query.company,
            title: query.title,
            to: query.to.map(|reference| reference.0),
            max_hops: query.max_hops,
            limit: query.limit,
        }
    }
}

/// `POST /v1/paths/batch`: at most 1,000 queries, asking for at most 2,000 paths in all (the
/// sum of their `limit`s, 10 each by default); a larger batch is a 400.
#[derive(Debug, Clone, PartialEq, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct BatchRequest {
    #[schema(max_items = 1000)]
    pub queries: Vec<PathQuery>,
}

/// One answer of a batch: a paths body, or the problem with that query.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
#[serde(untagged)]
pub enum BatchResult {
    Paths(PathsBody),
    Problem(ProblemBody),
}

/// The answers of a batch, in the order of its queries.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct BatchResponse {
    pub results: Vec<BatchResult>,
}
