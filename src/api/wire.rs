//! The JSON the API speaks: every serde wire type, with its OpenAPI schema, and the
//! conversions from domain values. Keeping them in one folder lets the OpenAPI drift test
//! look at one place.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::store;

/// A person, as every body shows them (the store's and the questions' alike).
pub use crate::store::Person;

/// One bad line of a file (the `errors` of a problem, and of an import report).
pub use super::problem::LineError;

/// A row matched to someone already known, and by which rule.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct MergeView {
    pub person: i64,
    /// `email`, `profile_url` or `name_company`.
    pub matched_by: String,
    pub line: usize,
}

/// DESIGN's import report.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct ImportReport {
    pub id: i64,
    pub format: String,
    pub encoding: String,
    pub owner: i64,
    pub rows: usize,
    pub people_created: usize,
    pub people_merged: usize,
    pub merges: Vec<MergeView>,
    pub ties_created: usize,
    pub ties_updated: usize,
    pub skipped: Vec<LineError>,
    pub suppressed: usize,
    pub warnings: Vec<String>,
    pub took_ms: u64,
}

impl From<store::ImportReport> for ImportReport {
    fn from(report: store::ImportReport) -> ImportReport {
        ImportReport {
            id: report.id.0,
            format: report.format,
            encoding: report.encoding,
            owner: report.owner.0,
            rows: report.rows,
            people_created: report.people_created,
            people_merged: report.people_merged,
            merges: report
                .merges
                .into_iter()
                .map(|merge| MergeView {
                    person: merge.person.0,
                    matched_by: serde_json::to_value(merge.matched_by)
                        .ok()
                        .and_then(|value| value.as_str().map(str::to_string))
                        .unwrap_or_default(),
                    line: merge.line,
                })
                .collect(),
            ties_created: report.ties_created,
            ties_updated: report.ties_updated,
            skipped: report
                .skipped
                .into_iter()
                .map(|skipped| LineError {
                    line: skipped.line,
                    column: skipped.column,
                    message: skipped.message,
                })
                .collect(),
            suppressed: report.suppressed,
            warnings: report.warnings,
            took_ms: report.took_ms,
        }
    }
}

/// A page of imports.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct ImportPage {
    pub items: Vec<ImportReport>,
    /// Pass as `cursor` for the next page; absent on the last page.
    pub next_cursor: Option<String>,
}

/// A page of people.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct PeoplePage {
    pub items: Vec<Person>,
    pub next_cursor: Option<String>,
}

impl From<store::Page<store::ImportReport>> for ImportPage {
    fn from(page: store::Page<store::ImportReport>) -> ImportPage {
        ImportPage {
            items: page.items.into_iter().map(ImportReport::from).collect(),
            next_cursor: page.next_cursor.map(|id| id.to_string()),
        }
    }
}

impl From<store::Page<store::Person>> for PeoplePage {
    fn from(page: store::Page<store::Person>) -> PeoplePage {
        PeoplePage {
            items: page.items.into_iter().collect(),
            next_cursor: page.next_cursor.map(|id| id.to_string()),
        }
    }
}

/// `PATCH /v1/people/{id}`: what to correct; absent keys stay as they are.
#[derive(Debug, Clone, Default, PartialEq, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PersonPatch {
    #[schema(min_length = 1, max_length = 300)]
    pub name: Option<String>,
    /// Replaces the person's emails (each at most 254 characters).
    pub emails: Option<Vec<String>>,
    /// Field ids; fields set here override classification.
    pub fields: Option<Vec<String>>,
    /// An empty string clears it.
    #[schema(max_length = 300)]
    pub title: Option<String>,
    /// An empty string clears it.
    #[schema(max_length = 300)]
    pub company: Option<String>,
}

/// A person named in a body: a person id as a JSON integer, or text that is `me`, a
/// person id, an email or a profile URL (as in a query parameter). Handlers read the text
/// with `shapes::person_ref`; an integer arrives here as its digits.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PersonReference(pub String);

/// The largest person id a reference may hold: 18 digits, as the text form allows.
const MAX_PERSON_ID: i64 = 999_999_999_999_999_999;

impl<'de> Deserialize<'de> for PersonReference {
    fn deserialize<D: serde::Deserializer<'de>>(
        deserializer: D,
    ) -> Result<PersonReference, D::Error> {
        use serde::de::Error;
        match serde_json::Value::deserialize(deserializer)? {
            serde_json::Value::String(text) => Ok(PersonReference(text)),
            serde_json::Value::Number(number) => integral::whole_number::<i64>(&number)
                .filter(|id| (0..=MAX_PERSON_ID).contains(id))
                .map(|id| PersonReference(id.to_string()))
                .ok_or_else(|| {
                    D::Error::custom(format!(
                        "{number} is not a person id (a whole number of at most 18 digits)"
                    ))
                }),
            _ => Err(D::Error::custom(
                "expected a person id (a JSON integer) or a string: `me`, a person id, an email or a profile URL",
            )),
        }
    }
}

impl utoipa::PartialSchema for PersonReference {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        use utoipa::openapi::schema::{
            KnownFormat, ObjectBuilder, OneOfBuilder, SchemaFormat, Type,
        };
        OneOfBuilder::new()
            .description(Some(
                "A person: a person id as an integer, or `me`, a person id, an email or a profile URL as a string.",
            ))
            .item(
                ObjectBuilder::new()
                    .schema_type(Type::Integer)
                    .format(Some(SchemaFormat::KnownFormat(KnownFormat::Int64)))
                    .minimum(Some(0))
                    .maximum(Some(MAX_PERSON_ID)),
            )
            .item(
                ObjectBuilder::new()
                    .schema_type(Type::String)
                    .pattern(Some(super::shapes::person_ref_pattern())),
            )
            .into()
    }
}

impl ToSchema for PersonReference {}

/// `POST /v1/people/{id}/merge`.
#[derive(Debug, Clone, PartialEq, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MergeRequest {
    /// The person merged into this one; they are gone afterwards.
    pub with: PersonReference,
}

/// `POST /v1/ties`: a tie to declare.
#[derive(Debug, Clone, PartialEq, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TieDeclaration {
    pub from: PersonReference,
    pub to: PersonReference,
    /// family, friend, professor, mentor, colleague, classmate, acquaintance, other (or a synonym).
    pub relationship: String,
    /// An explicit strength in (0, 1], used as given.
    #[schema(exclusive_minimum = 0.0, maximum = 1.0)]
    pub strength: Option<f64>,
    /// A date, `YYYY-MM-DD`.
    #[schema(format = Date)]
    pub last_contacted: Option<String>,
    #[serde(default, deserialize_with = "integral::optional")]
    pub interactions: Option<u32>,
}

/// `PATCH /v1/ties/{id}`: what to correct; absent keys stay as they are.
#[derive(Debug, Clone, Default, PartialEq, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TiePatch {
    pub relationship: Option<String>,
    #[schema(exclusive_minimum = 0.0, maximum = 1.0)]
    pub strength: Option<f64>,
    #[schema(format = Date)]
    pub last_contacted: Option<String>,
    #[serde(default, deserialize_with = "integral::optional")]
    pub interactions: Option<u32>,
}

/// A declared tie.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct Tie {
    pub id: i64,
    pub from: i64,
    pub to: i64,
    pub relationship: Option<String>,
    pub strength: Option<f64>,
    pub last_contacted: Option<String>,
    pub interactions: Option<u32>,
}

impl From<store::DeclaredTie> for Tie {
    fn from(tie: store::DeclaredTie) -> Tie {
        Tie {
            id: tie.id.0,
            from: tie.from.0,
            to: tie.to.0,
            relationship: tie.relationship.map(|r| r.as_str().to_string()),
            strength: tie.strength,
            last_contacted: tie.last_contacted.map(|date| date.to_string()),
            interactions: tie.interactions,
        }
    }
}

/// What made a tie's strength.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct StrengthInputs {
    pub relationship: Option<String>,
    pub last_contacted: Option<String>,
    pub connected_on: Option<String>,
    pub interactions: Option<u32>,
    pub reciprocal: bool,
    pub mutual_contacts: u32,
    /// An explicit strength from a file or a declared tie, used as given.
    pub explicit: Option<f64>,
}

impl From<crate::strength::StrengthInputs> for StrengthInputs {
    fn from(inputs: crate::strength::StrengthInputs) -> StrengthInputs {
        StrengthInputs {
            relationship: inputs.relationship.map(|r| r.as_str().to_string()),
            last_contacted: inputs.last_contacted.map(|date| date.to_string()),
            connected_on: inputs.connected_on.map(|date| date.to_string()),
            interactions: inputs.interactions,
            reciprocal: inputs.reciprocal,
            mutual_contacts: inputs.mutual_contacts,
            explicit: inputs.explicit,
        }
    }
}

/// One listing behind a tie.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct TieSource {
    /// The import that lists the pair, or the declared tie's id.
    pub import: i64,
    /// Whether a user declared this tie (`/v1/ties/{id}` with id = `import`).
    pub declared: bool,
    /// Where the listing comes from: `list` (an imported contact list), `declared` (by hand)
    /// or `request` (declared by an introduction request logging an interaction).
    pub source: String,
    /// The owner of the list.
    pub listed_by: i64,
    pub relationship: Option<String>,
    pub last_contacted: Option<String>,
    pub interactions: Option<u32>,
    pub strength: Option<f64>,
}

impl From<store::TieSource> for TieSource {
    fn from(source: store::TieSource) -> TieSource {
        TieSource {
            import: source.import.0,
            declared: source.declared,
            source: match (source.declared, source.by_request) {
                (_, true) => "request",
                (true, false) => "declared",
                (false, false) => "list",
            }
            .to_string(),
            listed_by: source.listed_by.0,
            relationship: source.relationship,
            last_contacted: source.last_contacted.map(|date| date.to_string()),
            interactions: source.interactions,
            strength: source.strength,
        }
    }
}

/// A person's tie to one other person.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct PersonTie {
    pub person: Person,
    /// The tie's strength in (0, 1] as the current snapshot has it.
    pub strength: Option<f64>,
    pub inputs: Option<StrengthInputs>,
    /// Which inputs made the strength, in words.
    pub why: Option<String>,
    pub sources: Vec<TieSource>,
}

/// `GET /v1/people/{id}/ties`.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct PersonTies {
    pub person: Person,
    pub ties: Vec<PersonTie>,
}

/// One field of the taxonomy.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct Field {
    pub id: String,
    pub name: String,
    pub parent: Option<String>,
    /// People of the workspace in this field or one of its sub-fields.
    pub people: usize,
}

impl From<crate::ask::FieldCount> for Field {
    fn from(field: crate::ask::FieldCount) -> Field {
        Field {
            id: field.id,
            name: field.name,
            parent: field.parent,
            people: field.people,
        }
    }
}

/// `GET /v1/fields`.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct FieldsBody {
    pub fields: Vec<Field>,
}

/// A field that query text resolves to.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct ResolvedField {
    /// The field id.
    pub field: String,
    /// The field's name, e.g. "Venture Capital".
    pub label: String,
    /// Confidence in (0, 1]: 1 for an exact id or synonym, lower for occupations and typos.
    pub score: f64,
    /// The kind of match: `field id`, `field label`, `synonym`, `abbreviation`,
    /// `external vocabulary`, `phrase`, `occupation`, `typo` or `vocabulary`.
    pub via: String,
    /// How it matched, with the text that matched, e.g. `abbreviation "vc"`.
    pub reason: String,
}

/// `GET /v1/fields/resolve`.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct Resolution {
    pub query: String,
    /// The fields, best first; empty when nothing matched.
    pub fields: Vec<ResolvedField>,
    /// A company the query names: filter targets with `company=` instead of a field.
    pub company: Option<String>,
    /// A role the query names ("founders"): filter targets with `title=` instead of a field.
    pub title: Option<String>,
    /// Advice when no field (or a role or company rather than a field) matched.
    pub hint: Option<String>,
}

impl From<crate::taxonomy::Resolution> for Resolution {
    fn from(resolution: crate::taxonomy::Resolution) -> Resolution {
        let taxonomy = crate::taxonomy::Taxonomy::embedded();
        Resolution {
            query: resolution.query,
            fields: resolution
                .fields
                .into_iter()
                .map(|field| ResolvedField {
                    label: taxonomy
                        .field(&field.field)
                        .map(|idx| taxonomy.get(idx).name.clone())
                        .unwrap_or_default(),
                    field: field.field,
                    score: field.score,
                    via: field.via.to_string(),
                    reason: field.reason,
                })
                .collect(),
            company: resolution.company,
            title: resolution.title,
            hint: resolution.hint,
        }
    }
}

/// `GET /healthz` and `GET /readyz`.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct Status {
    pub status: String,
}

/// Integers in JSON bodies. JSON has one number type, and JSON Schema calls `3.0` an
/// integer, so a whole number written with a fraction is read like one; anything else
/// that is not a whole number in range is refused.
pub mod integral {
    use serde::{Deserialize, Deserializer, de::Error};

    /// The whole number a JSON number is, if it is one in `T`'s range (`3.0` is 3).
    pub fn whole_number<T: TryFrom<i64>>(number: &serde_json::Number) -> Option<T> {
        let value = match number.as_i64() {
            Some(value) => Some(value),
            None => number
                .as_f64()
                .filter(|value| value.fract() == 0.0 && value.abs() < 9.0e18)
                .map(|value| value as i64),
        };
        value.and_then(|value| T::try_from(value).ok())
    }

    fn whole<'de, D: Deserializer<'de>, T: TryFrom<i64>>(
        number: serde_json::Number,
    ) -> Result<T, D::Error> {
        whole_number(&number)
            .ok_or_else(|| D::Error::custom(format!("{number} is not a whole number in range")))
    }

    /// An optional integer (`null` or absent is `None`).
    ///
    /// # Errors
    /// Not a number, not whole, or out of the type's range.
    pub fn optional<'de, D: Deserializer<'de>, T: TryFrom<i64>>(
        deserializer: D,
    ) -> Result<Option<T>, D::Error> {
        Option::<serde_json::Number>::deserialize(deserializer)?
            .map(whole::<D, T>)
            .transpose()
    }
}

/// `POST /v1/requests`: ask `introducer` to introduce me to `target`.
#[derive(Debug, Clone, PartialEq, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({
    "introducer": "maria@example.com",
    "target": "dana@example.com",
    "reason": "I am applying to analyst roles in investment banking"
}))]
pub struct RequestCreate {
    pub introducer: PersonReference,
    pub target: PersonReference,
    /// Why I want to meet them (at most 500 characters, no control characters).
    #[schema(max_length = 500)]
    pub reason: Option<String>,
}

/// A draft as the user wrote it.
#[derive(Debug, Clone, PartialEq, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DraftEdit {
    /// At most 300 characters, no control characters.
    #[schema(max_length = 300)]
    pub subject: String,
    /// At most 10,000 characters; line breaks and tabs are the only control characters.
    #[schema(max_length = 10000)]
    pub body: String,
}

/// `PATCH /v1/requests/{id}`: edit the draft, and/or log a new state (on a date, with a
/// note). Absent keys change nothing.
#[derive(Debug, Clone, Default, PartialEq, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"state": "asked", "note": "sent by email"}))]
pub struct RequestPatch {
    pub draft: Option<DraftEdit>,
    pub state: Option<crate::requests::State>,
    /// The day it happened, `YYYY-MM-DD` (default today); only with `state`.
    #[schema(format = Date)]
    pub on: Option<String>,
    /// At most 500 characters, no control characters; only with `state`.
    #[schema(max_length = 500)]
    pub note: Option<String>,
}
