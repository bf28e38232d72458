//! The wire types of the questions: paths, introducers and batches, converted from the
//! bodies `ask` builds (the CLI prints the same bodies).

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::problem::ProblemBody;
use super::wire::{Person, PersonReference};
use crate::ask;

/// One tie of a path, with the inputs that made its strength.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct Hop {
    pub from: Person,
    pub to: Person,
    pub relationship: Option<String>,
    pub strength: f64,
    /// The last contact a list gives (`YYYY-MM-DD`); never the connection date.
    pub last_contacted: Option<String>,
    /// When the two connected (LinkedIn's `Connected On`): a lower bound for the last contact.
    pub connected_on: Option<String>,
    pub reciprocal: bool,
    pub mutual_contacts: u32,
    pub why: String,
}

/// One ranked path to a target.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct Path {
    pub score: f64,
    pub target: Person,
    pub hops: Vec<Hop>,
    pub explanation: String,
    pub warnings: Vec<String>,
}

/// `GET /v1/paths`.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct PathsBody {
    pub from: Person,
    /// The field ids the `field` filter resolved to.
    pub fields: Vec<String>,
    pub paths: Vec<Path>,
}

/// A target reached through an introducer.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct Target {
    pub person: Person,
    pub score: f64,
}

/// One introducer: the person you ask.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct Introducer {
    pub person: Person,
    pub relationship: Option<String>,
    /// The tie to you.
    pub strength: f64,
    /// The best path through this introducer.
    pub score: f64,
    /// How many matching targets this introducer leads to.
    pub reach: u32,
    /// The best three.
    pub targets: Vec<Target>,
}

/// `GET /v1/introducers`.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct IntroducersBody {
    pub from: Person,
    pub fields: Vec<String>,
    pub introducers: Vec<Introducer>,
}

impl From<ask::Hop> for Hop {
    fn from(hop: ask::Hop) -> Hop {
        Hop {
            from: hop.from.into(),
            to: hop.to.into(),
            relationship: hop.relationship,
            strength: hop.strength,
            last_contacted: hop.last_contacted,
            connected_on: hop.connected_on,
            reciprocal: hop.reciprocal,
            mutual_contacts: hop.mutual_contacts,
            why: hop.why,
        }
    }
}

impl From<ask::PathsBody> for PathsBody {
    fn from(body: ask::PathsBody) -> PathsBody {
        PathsBody {
            from: body.from.into(),
            fields: body.fields,
            paths: body
                .paths
                .into_iter()
                .map(|path| Path {
                    score: path.score,
                    target: path.target.into(),
                    hops: path.hops.into_iter().map(Hop::from).collect(),
                    explanation: path.explanation,
                    warnings: path.warnings,
                })
                .collect(),
        }
    }
}

impl From<ask::IntroducersBody> for IntroducersBody {
    fn from(body: ask::IntroducersBody) -> IntroducersBody {
        IntroducersBody {
            from: body.from.into(),
            fields: body.fields,
            introducers: body
                .introducers
                .into_iter()
                .map(|introducer| Introducer {
                    person: introducer.person.into(),
                    relationship: introducer.relationship,
                    strength: introducer.strength,
                    score: introducer.score,
                    reach: introducer.reach,
                    targets: introducer
                        .targets
                        .into_iter()
                        .map(|target| Target {
                            person: target.person.into(),
                            score: target.score,
                        })
                        .collect(),
                })
                .collect(),
        }
    }
}

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

/// `POST /v1/paths/batch`.
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
