//! Asking the network: "who can introduce me to someone in X", as DESIGN's introducers and
//! paths bodies.
//!
//! It owns turning a question (from whom, which targets, how far) into a search query, and
//! the search's node indices into people, hops with their strength inputs, explanations and
//! staleness warnings. It does not search (that is `search`) nor read the store: callers
//! resolve `from` and `to` to person ids first. The CLI's `--json` and the HTTP API print
//! these bodies unchanged.

use crate::config::Settings;
use crate::graph::{NodeIdx, Person, Snapshot};
use crate::identity::PersonId;
use crate::search::{self, Query, Scratch, TargetFilter};
use crate::strength;
use crate::taxonomy::Taxonomy;
use crate::text::fold;

/// A question about the network, with `from` and `to` already resolved to people.
#[derive(Debug, Clone, PartialEq)]
pub struct Question {
    pub from: PersonId,
    pub field: Option<String>,
    pub company: Option<String>,
    pub title: Option<String>,
    pub to: Option<PersonId>,
    pub max_hops: u8,
    pub limit: usize,
}

impl Question {
    pub const DEFAULT_MAX_HOPS: u8 = 2;
    pub const MAX_HOPS: u8 = 3;
    pub const DEFAULT_LIMIT: usize = 10;
    pub const MAX_LIMIT: usize = 1000;
}

/// Why a question cannot be answered.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AskError {
    #[error("say who to look for: at least one of field, company, title or to is required")]
    NoTarget,
    #[error("no field matches {0:?}; GET /v1/fields lists them")]
    UnknownField(String),
    #[error("max_hops must be between 1 and {max}, not {0}", max = Question::MAX_HOPS)]
    MaxHops(u8),
    #[error("limit must be between 1 and {max}, not {0}", max = Question::MAX_LIMIT)]
    Limit(usize),
    #[error("no person {0} in this network")]
    UnknownPerson(PersonId),
}

/// A person as every body shows them.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct PersonView {
    pub id: i64,
    pub name: String,
    pub emails: Vec<String>,
    pub company: Option<String>,
    pub title: Option<String>,
    pub fields: Vec<String>,
}

impl PersonView {
    pub fn of(person: Person<'_>) -> PersonView {
        PersonView {
            id: person.id,
            name: person.name.to_string(),
            emails: person.emails().map(str::to_string).collect(),
            company: person.company.map(str::to_string),
            title: person.title.map(str::to_string),
            fields: person.fields.to_vec(),
        }
    }
}

/// One tie of a path, with the inputs that made its strength.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Hop {
    pub from: PersonView,
    pub to: PersonView,
    pub relationship: Option<String>,
    pub strength: f64,
    /// The last contact a list gives; never the connection date.
    pub last_contacted: Option<String>,
    /// When the two connected (LinkedIn's `Connected On`): a lower bound for the last contact.
    pub connected_on: Option<String>,
    pub reciprocal: bool,
    pub mutual_contacts: u32,
    pub why: String,
}

/// One ranked path to a target.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct PathView {
    pub score: f64,
    pub target: PersonView,
    pub hops: Vec<Hop>,
    pub explanation: String,
    pub warnings: Vec<String>,
}

/// `GET /v1/paths`.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct PathsBody {
    pub from: PersonView,
    pub fields: Vec<String>,
    pub paths: Vec<PathView>,
}

/// A target reached through an introducer.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct TargetView {
    pub person: PersonView,
    pub score: f64,
}

/// One introducer: the person you ask.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct IntroducerView {
    pub person: PersonView,
    pub relationship: Option<String>,
    pub strength: f64,
    pub score: f64,
    pub reach: u32,
    pub targets: Vec<TargetView>,
}

/// `GET /v1/introducers`.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct IntroducersBody {
    pub from: PersonView,
    pub fields: Vec<String>,
    pub introducers: Vec<IntroducerView>,
}

/// A field of the taxonomy and how many people of the network hold it.
#[derive(Debug, Clone, PartialEq)]
pub struct FieldCount {
    pub id: String,
    pub name: String,
    pub parent: Option<String>,
    /// People holding the field or one of its sub-fields.
    pub people: usize,
}

/// A snapshot and the settings its answers are explained with.
#[derive(Clone)]
pub struct Network {
    pub snapshot: Snapshot,
    pub settings: Settings,
}

/// A question checked against a snapshot and turned into a search query.
struct Prepared {
    query: Query,
    fields: Vec<String>,
}

impl Network {
    pub fn new(snapshot: Snapshot, settings: Settings) -> Network {
        Network { snapshot, settings }
    }

    /// Every field of the taxonomy, with its people counted (a parent counts its
    /// sub-fields' people).
    ///
    /// # Complexity
    /// O(people × fields) over the snapshot.
    pub fn field_counts(&self) -> Vec<FieldCount> {
        let taxonomy = Taxonomy::embedded();
        let masks: Vec<u128> = (0..taxonomy.fields().len())
            .map(|index| taxonomy.query_mask(crate::taxonomy::FieldIdx(index as u8)))
            .collect();
        let mut counts = vec![0usize; masks.len()];
        for (_, person) in self.snapshot.people() {
            let held = person.field_mask;
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
            .map(|(field, people)| FieldCount {
                id: field.id.clone(),
                name: field.name.clone(),
                parent: field.parent.map(|parent| taxonomy.get(parent).id.clone()),
                people,
            })
            .collect()
    }

    /// Ranked paths to the people the question is about.
    ///
    /// # Errors
    /// [`AskError`] for a question that names no target, an unknown field or person, or
    /// out-of-range `max_hops` / `limit`.
    pub fn paths(&self, question: &Question, scratch: &mut Scratch) -> Result<PathsBody, AskError> {
        let prepared = self.prepare(question)?;
        let found = search::paths(&self.snapshot, &prepared.query, scratch);
        let paths = found
            .iter()
            .map(|path| self.path_view(path.score, &path.nodes))
            .collect();
        Ok(PathsBody {
            from: self.view(prepared.query.from),
            fields: prepared.fields,
            paths,
        })
    }

    /// Introducers ranked by the best path through them, with their reach and top targets.
    ///
    /// # Errors
    /// As for [`Network::paths`].
    pub fn introducers(
        &self,
        question: &Question,
        scratch: &mut Scratch,
    ) -> Result<IntroducersBody, AskError> {
        let prepared = self.prepare(question)?;
        let from = prepared.query.from;
        let found = search::introducers(&self.snapshot, &prepared.query, scratch);
        let introducers = found
            .iter()
            .map(|introducer| {
                let tie = introducer.tie;
                IntroducerView {
                    person: self.view(introducer.introducer),
                    relationship: tie
                        .as_ref()
                        .and_then(|tie| tie.inputs.relationship)
                        .map(|relationship| relationship.to_string()),
                    strength: tie.map(|tie| tie.strength).unwrap_or(0.0),
                    score: introducer.score,
                    reach: introducer.reach,
                    targets: introducer
                        .targets
                        .iter()
                        .map(|(target, score)| TargetView {
                            person: self.view(*target),
                            score: *score,
                        })
                        .collect(),
                }
            })
            .collect();
        Ok(IntroducersBody {
            from: self.view(from),
            fields: prepared.fields,
            introducers,
        })
    }

    fn prepare(&self, question: &Question) -> Result<Prepared, AskError> {
        if !(1..=Question::MAX_HOPS).contains(&question.max_hops) {
            return Err(AskError::MaxHops(question.max_hops));
        }
        if !(1..=Question::MAX_LIMIT).contains(&question.limit) {
            return Err(AskError::Limit(question.limit));
        }
        let node = |person: PersonId| {
            self.snapshot
                .node_of_person(person.0)
                .ok_or(AskError::UnknownPerson(person))
        };
        let from = node(question.from)?;
        let to = question.to.map(node).transpose()?;
        let (field_mask, fields) = match question
            .field
            .as_deref()
            .map(str::trim)
            .filter(|field| !field.is_empty())
        {
            Some(text) => resolve_fields(text)?,
            None => (0, Vec::new()),
        };
        let folded =
            |text: &Option<String>| text.as_deref().map(fold).filter(|text| !text.is_empty());
        let filter = TargetFilter {
            field_mask,
            company: folded(&question.company),
            title: folded(&question.title),
            to,
        };
        if filter.field_mask == 0
            && filter.company.is_none()
            && filter.title.is_none()
            && filter.to.is_none()
        {
            return Err(AskError::NoTarget);
        }
        Ok(Prepared {
            query: Query {
                from,
                filter,
                max_hops: question.max_hops,
                limit: question.limit,
            },
            fields,
        })
    }

    fn view(&self, node: NodeIdx) -> PersonView {
        PersonView::of(self.snapshot.person(node))
    }

    fn path_view(&self, score: f64, nodes: &[NodeIdx]) -> PathView {
        let mut hops = Vec::with_capacity(nodes.len().saturating_sub(1));
        let mut warnings = Vec::new();
        for (position, pair) in nodes.windows(2).enumerate() {
            let tie = self.snapshot.tie(pair[0], pair[1]);
            let inputs = tie.as_ref().map(|tie| tie.inputs).unwrap_or_default();
            // A connection date is only a lower bound for the last contact, so a hop known
            // only by one is stale when the connection is, and says so in those words.
            if position == 0
                && let Some(date) = strength::last_contact(&inputs)
                && self.settings.is_stale(date)
            {
                let name = &self.snapshot.person(pair[1]).name;
                let ago = strength::ago(date, self.settings.strength.today);
                warnings.push(match inputs.last_contacted {
                    Some(_) => format!("you last spoke with {name} {ago}: reconnect before you ask"),
                    None => format!(
                        "you connected with {name} {ago} and no later contact is known: reconnect before you ask"
                    ),
                });
            }
            hops.push(Hop {
                from: self.view(pair[0]),
                to: self.view(pair[1]),
                relationship: inputs
                    .relationship
                    .map(|relationship| relationship.to_string()),
                strength: tie.as_ref().map(|tie| tie.strength).unwrap_or(0.0),
                last_contacted: inputs.last_contacted.map(|date| date.to_string()),
                connected_on: inputs.connected_on.map(|date| date.to_string()),
                reciprocal: inputs.reciprocal,
                mutual_contacts: inputs.mutual_contacts,
                why: strength::explain(&inputs, &self.settings.strength),
            });
        }
        let target = nodes.last().copied().unwrap_or(NodeIdx(0));
        PathView {
            score,
            target: self.view(target),
            explanation: self.explain(nodes, &hops),
            hops,
            warnings,
        }
    }

    /// "Ask Maria Lopez (family, strong tie) to introduce you to Dana Ortiz (VP at Goldman Sachs)."
    fn explain(&self, nodes: &[NodeIdx], hops: &[Hop]) -> String {
        let Some(first) = hops.first() else {
            return String::new();
        };
        let introducer = &first.to.name;
        let tie = describe_tie(first.relationship.as_deref(), first.strength);
        let target = self.snapshot.person(nodes[nodes.len() - 1]);
        let target_text = describe_person(target);
        match hops.len() {
            1 => format!("{} is your direct contact ({tie})", target.name),
            2 => format!("Ask {introducer} ({tie}) to introduce you to {target_text}."),
            _ => {
                let middle: Vec<&str> = hops[1..].iter().map(|hop| hop.to.name.as_str()).collect();
                let chain = middle[..middle.len() - 1].join(", then ");
                format!(
                    "Ask {introducer} ({tie}) to introduce you to {chain}, who knows {target_text}."
                )
            }
        }
    }
}

/// Resolves a field id or query text to the union of the matching fields' masks.
fn resolve_fields(text: &str) -> Result<(u128, Vec<String>), AskError> {
    let taxonomy = Taxonomy::embedded();
    let ids: Vec<String> = match taxonomy.field(text) {
        Some(idx) => vec![taxonomy.get(idx).id.clone()],
        None => taxonomy
            .resolve(text)
            .fields
            .into_iter()
            .map(|resolved| resolved.field)
            .collect(),
    };
    let mask = ids
        .iter()
        .filter_map(|id| taxonomy.field(id))
        .fold(0u128, |mask, idx| mask | taxonomy.query_mask(idx));
    if mask == 0 {
        return Err(AskError::UnknownField(text.to_string()));
    }
    Ok((mask, ids))
}

fn describe_tie(relationship: Option<&str>, strength: f64) -> String {
    let level = if strength >= 0.6 {
        "strong tie"
    } else if strength >= 0.3 {
        "moderate tie"
    } else {
        "weak tie"
    };
    match relationship {
        Some(relationship) => format!("{relationship}, {level}"),
        None => level.to_string(),
    }
}

fn describe_person(person: Person<'_>) -> String {
    match (person.title, person.company) {
        (Some(title), Some(company)) => format!("{} ({title} at {company})", person.name),
        (Some(title), None) => format!("{} ({title})", person.name),
        (None, Some(company)) => format!("{} (at {company})", person.name),
        (None, None) => person.name.to_string(),
    }
}
