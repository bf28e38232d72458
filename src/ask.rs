//! Asking the network: "who can introduce me to someone in X", as DESIGN's introducers and
//! paths bodies.
//!
//! It owns the question (from whom, which targets, how far), checked once, turning it into a
//! search query, and the search's node indices into people, hops with their strength
//! inputs, explanations and staleness warnings: the body types, whose OpenAPI schemas are
//! derived from them. It does not search (that is `search`) nor read the store: people the
//! network cannot find itself (profile URLs) are found by the caller through the store. The
//! CLI's `--json` and the HTTP API print these bodies: the same values, so the same bytes.

use utoipa::ToSchema;

use crate::config::Settings;
use crate::graph::{NodeIdx, Person as NodeView, Snapshot};
use crate::identity::{PersonId, PersonRef};
use crate::search::{self, Query, Scratch, TargetFilter};
use crate::store::Person;
use crate::strength;
use crate::taxonomy::Taxonomy;
use crate::text::fold;

/// A question about the network: from whom, which targets (filters that combine with AND),
/// how far, how many answers. The CLI's flags and the HTTP query (or a batch item) fill it
/// in, and [`Question::checked`] checks it once; people are still references, found in the
/// network (or, for profile URLs, in the store) when it is answered.
#[derive(Debug, Clone, PartialEq)]
pub struct Question {
    pub from: PersonRef,
    pub to: Option<PersonRef>,
    pub field: Option<String>,
    pub company: Option<String>,
    pub title: Option<String>,
    pub max_hops: u8,
    pub limit: usize,
}

impl Question {
    pub const DEFAULT_MAX_HOPS: u8 = 2;
    pub const MAX_HOPS: u8 = 3;
    pub const DEFAULT_LIMIT: usize = 10;
    pub const MAX_LIMIT: usize = 1000;

    /// The question with its limits checked and blank filters (`company=`) dropped, as a
    /// form with a blank box means.
    ///
    /// # Errors
    /// [`AskError::MaxHops`], [`AskError::Limit`], or [`AskError::NoTarget`] when no
    /// filter is left.
    pub fn checked(self) -> Result<Question, AskError> {
        if !(1..=Question::MAX_HOPS).contains(&self.max_hops) {
            return Err(AskError::MaxHops(self.max_hops));
        }
        if !(1..=Question::MAX_LIMIT).contains(&self.limit) {
            return Err(AskError::Limit(self.limit));
        }
        // Company and title match folded text: one that folds to nothing is blank too.
        let blank = |text: Option<String>| text.filter(|text| !fold(text).is_empty());
        let question = Question {
            field: self.field.filter(|field| !field.trim().is_empty()),
            company: blank(self.company),
            title: blank(self.title),
            ..self
        };
        if question.field.is_none()
            && question.company.is_none()
            && question.title.is_none()
            && question.to.is_none()
        {
            return Err(AskError::NoTarget);
        }
        Ok(question)
    }
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

/// Where a question starts and, with `to`, ends: nodes of the network.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Located {
    pub from: NodeIdx,
    pub to: Option<NodeIdx>,
}

/// One tie of a path, with the inputs that made its strength.
#[derive(Debug, Clone, PartialEq, serde::Serialize, ToSchema)]
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
#[derive(Debug, Clone, PartialEq, serde::Serialize, ToSchema)]
pub struct Path {
    pub score: f64,
    pub target: Person,
    pub hops: Vec<Hop>,
    pub explanation: String,
    pub warnings: Vec<String>,
}

/// `GET /v1/paths`, and what `warmpath ask --paths --json` prints.
#[derive(Debug, Clone, PartialEq, serde::Serialize, ToSchema)]
pub struct PathsBody {
    pub from: Person,
    /// The field ids the `field` filter resolved to.
    pub fields: Vec<String>,
    /// The people asked for whom you know already (one-hop paths, with `max_hops=1`).
    pub already_know: AlreadyKnow,
    pub paths: Vec<Path>,
}

/// The people a question asks for who are your own contacts: no introduction needed.
#[derive(Debug, Clone, PartialEq, serde::Serialize, ToSchema)]
pub struct AlreadyKnow {
    /// How many of your direct contacts match.
    pub count: u32,
    /// The strongest three of them, strongest first.
    pub people: Vec<Contact>,
}

/// One of your direct contacts, with your tie to them.
#[derive(Debug, Clone, PartialEq, serde::Serialize, ToSchema)]
pub struct Contact {
    pub person: Person,
    pub relationship: Option<String>,
    pub strength: f64,
}

/// Direct contacts shown in `already_know`.
pub const KNOWN_SHOWN: usize = 3;

/// A target reached through an introducer.
#[derive(Debug, Clone, PartialEq, serde::Serialize, ToSchema)]
pub struct Target {
    pub person: Person,
    pub score: f64,
}

/// One introducer: the person you ask.
#[derive(Debug, Clone, PartialEq, serde::Serialize, ToSchema)]
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

/// `GET /v1/introducers`, and what `warmpath ask --json` prints.
#[derive(Debug, Clone, PartialEq, serde::Serialize, ToSchema)]
pub struct IntroducersBody {
    pub from: Person,
    pub fields: Vec<String>,
    /// The people asked for whom you know already: ask them yourself.
    pub already_know: AlreadyKnow,
    pub introducers: Vec<Introducer>,
}

/// A person of the network as every body shows them.
fn shown(person: NodeView<'_>) -> Person {
    Person {
        id: PersonId(person.id),
        name: person.name.to_string(),
        emails: person.emails().map(str::to_string).collect(),
        company: person.company.map(str::to_string),
        title: person.title.map(str::to_string),
        fields: person.fields.to_vec(),
    }
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

/// A question turned into a search query on a snapshot.
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

    /// The node a reference names, when the network alone can tell: `me`, an id or an
    /// email. Profile URLs (and people it does not hold) are for the store to find.
    pub fn node(&self, reference: &PersonRef) -> Option<NodeIdx> {
        match reference {
            PersonRef::Me => self.snapshot.me(),
            PersonRef::Id(id) => self.snapshot.node_of_person(id.0),
            PersonRef::Email(email) => self.snapshot.node_by_email(email),
            PersonRef::ProfileUrl(_) => None,
        }
    }

    /// The node of a person the store found.
    ///
    /// # Errors
    /// [`AskError::UnknownPerson`] when the network does not hold them.
    pub fn node_of(&self, person: PersonId) -> Result<NodeIdx, AskError> {
        self.snapshot
            .node_of_person(person.0)
            .ok_or(AskError::UnknownPerson(person))
    }

    /// The question's people, when the network alone can find them all.
    pub fn locate(&self, question: &Question) -> Option<Located> {
        Some(Located {
            from: self.node(&question.from)?,
            to: match &question.to {
                Some(to) => Some(self.node(to)?),
                None => None,
            },
        })
    }

    /// Ranked paths to the people a checked question is about, from and to `at`.
    ///
    /// # Errors
    /// [`AskError::UnknownField`] for field text that resolves to no field.
    pub fn paths(
        &self,
        question: &Question,
        at: Located,
        scratch: &mut Scratch,
    ) -> Result<PathsBody, AskError> {
        let prepared = self.prepare(question, at)?;
        let already_know = self.already_know(&prepared.query, scratch);
        let paths = if prepared.query.max_hops == 1 {
            // One hop: the people asked for whom you know, strongest first.
            let (_, known) = search::known(
                &self.snapshot,
                &prepared.query,
                scratch,
                prepared.query.limit,
            );
            known
                .iter()
                .map(|&(contact, strength)| {
                    self.path_view(strength, &[prepared.query.from, contact])
                })
                .collect()
        } else {
            search::paths(&self.snapshot, &prepared.query, scratch)
                .iter()
                .map(|path| self.path_view(path.score, &path.nodes))
                .collect()
        };
        Ok(PathsBody {
            from: self.view(prepared.query.from),
            fields: prepared.fields,
            already_know,
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
        at: Located,
        scratch: &mut Scratch,
    ) -> Result<IntroducersBody, AskError> {
        let prepared = self.prepare(question, at)?;
        let from = prepared.query.from;
        let already_know = self.already_know(&prepared.query, scratch);
        let found = search::introducers(&self.snapshot, &prepared.query, scratch);
        let introducers = found
            .iter()
            .map(|introducer| {
                let tie = introducer.tie;
                Introducer {
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
                        .map(|(target, score)| Target {
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
            already_know,
            introducers,
        })
    }

    /// The direct contacts the query asks for: their count and the strongest few.
    fn already_know(&self, query: &Query, scratch: &mut Scratch) -> AlreadyKnow {
        let (count, known) = search::known(&self.snapshot, query, scratch, KNOWN_SHOWN);
        AlreadyKnow {
            count,
            people: known
                .into_iter()
                .map(|(contact, strength)| Contact {
                    person: self.view(contact),
                    relationship: self
                        .snapshot
                        .tie(query.from, contact)
                        .and_then(|tie| tie.inputs.relationship)
                        .map(|relationship| relationship.to_string()),
                    strength,
                })
                .collect(),
        }
    }

    /// A checked question as a search query (its field text resolved to fields).
    fn prepare(&self, question: &Question, at: Located) -> Result<Prepared, AskError> {
        let (field_mask, fields) = match question.field.as_deref().map(str::trim) {
            Some(text) => resolve_fields(text)?,
            None => (0, Vec::new()),
        };
        let folded = |text: &Option<String>| text.as_deref().map(fold);
        Ok(Prepared {
            query: Query {
                from: at.from,
                filter: TargetFilter {
                    field_mask,
                    company: folded(&question.company),
                    title: folded(&question.title),
                    to: at.to,
                },
                max_hops: question.max_hops,
                limit: question.limit,
            },
            fields,
        })
    }

    fn view(&self, node: NodeIdx) -> Person {
        shown(self.snapshot.person(node))
    }

    fn path_view(&self, score: f64, nodes: &[NodeIdx]) -> Path {
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
        Path {
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

fn describe_person(person: NodeView<'_>) -> String {
    match (person.title, person.company) {
        (Some(title), Some(company)) => format!("{} ({title} at {company})", person.name),
        (Some(title), None) => format!("{} ({title})", person.name),
        (None, Some(company)) => format!("{} (at {company})", person.name),
        (None, None) => person.name.to_string(),
    }
}
