//! Introduction requests: asking an introducer to introduce me to a target, from the first
//! draft to the thank-you.
//!
//! - [`State`] and its transitions (the contract's state machine), pure.
//! - [`next_follow_up`]: which follow-up a request in a state is due for, and when, pure.
//! - [`draft`]: the text to the introducer (request or reconnect note), pure.
//! - The operations the API and the CLI share ([`create`], [`get`], [`list`], [`change`],
//!   [`delete`], [`follow_ups`]): they read the facts from the store, decide here, and
//!   hand the store one change to apply in one transaction; their bodies ([`Request`],
//!   [`FollowUps`]) are what HTTP returns and `--json` prints.
//!
//! warmpath never sends anything: the draft is text for the user to edit and send.
//!
//! **Invariant:** a request changes state only along [`State::next`]; entering `draft`
//! from `reconnect`, `asked` and `thanked` log an interaction on the tie me–introducer,
//! entering `met` one on the tie me–target (created when missing), so strength and
//! staleness follow at once.

pub mod draft;

use chrono::{Days, NaiveDate};
use serde::Serialize;
use utoipa::ToSchema;

use crate::config::Settings;
use crate::identity::{PersonId, PersonRef};
use crate::relationship::Relationship;
use crate::store::{
    HistoryEntry, Interaction, NewRequest, Page, PairTie, RequestId, RequestUpdate, Store,
    StoreError, StoredRequest, WorkspaceId,
};
use crate::taxonomy::Taxonomy;
use draft::{Draft, DraftFacts, Via};

/// Where a request stands.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    PartialOrd,
    Ord,
    Serialize,
    serde::Deserialize,
    ToSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum State {
    /// The tie to the introducer is stale: a reconnect note first, the request waits.
    Reconnect,
    Draft,
    Asked,
    Introduced,
    Met,
    Thanked,
    Declined,
    NoAnswer,
}

impl State {
    pub const ALL: [State; 8] = [
        State::Reconnect,
        State::Draft,
        State::Asked,
        State::Introduced,
        State::Met,
        State::Thanked,
        State::Declined,
        State::NoAnswer,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            State::Reconnect => "reconnect",
            State::Draft => "draft",
            State::Asked => "asked",
            State::Introduced => "introduced",
            State::Met => "met",
            State::Thanked => "thanked",
            State::Declined => "declined",
            State::NoAnswer => "no_answer",
        }
    }

    /// The state a word names (exactly as [`State::as_str`] writes it).
    pub fn parse(text: &str) -> Option<State> {
        State::ALL.into_iter().find(|state| state.as_str() == text)
    }

    /// The states a request may move to from this one.
    pub fn next(self) -> &'static [State] {
        match self {
            State::Reconnect => &[State::Draft],
            State::Draft => &[State::Asked],
            State::Asked => &[State::Introduced, State::Declined, State::NoAnswer],
            State::Introduced => &[State::Met, State::Declined, State::NoAnswer],
            State::Met => &[State::Thanked],
            State::NoAnswer => &[State::Asked],
            State::Thanked | State::Declined => &[],
        }
    }

    /// Whether a request may move from this state to `to`.
    pub fn can_become(self, to: State) -> bool {
        self.next().contains(&to)
    }

    /// Whom entering this state (from `from`) logs an interaction with, if anyone.
    pub fn interaction(self, from: State) -> Option<Party> {
        match (from, self) {
            (State::Reconnect, State::Draft) | (_, State::Asked) | (_, State::Thanked) => {
                Some(Party::Introducer)
            }
            (_, State::Met) => Some(Party::Target),
            _ => None,
        }
    }
}

impl std::fmt::Display for State {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One of the two people a request names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Party {
    Introducer,
    Target,
}

/// The kind of a follow-up.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum FollowUpKind {
    /// Asked and no answer yet: a friendly nudge.
    AskAgain,
    /// Met and not thanked yet.
    Thank,
    /// Introduced and not met yet.
    Meet,
    /// The reconnect note is still waiting.
    Reconnect,
}

/// Characters a reason or a note may hold.
pub const MAX_REASON: usize = 500;
/// Characters a draft's subject may hold.
pub const MAX_SUBJECT: usize = 300;
/// Characters a draft's body may hold.
pub const MAX_BODY: usize = 10_000;
/// The longest wait `ask_after_days` may set, in days (ten years).
pub const MAX_ASK_AFTER_DAYS: u64 = 3650;

/// Days before a follow-up is due, by rule (the contract's defaults).
pub const ASK_AFTER_DAYS: u64 = 7;
pub const THANK_AFTER_DAYS: u64 = 2;
pub const MEET_AFTER_DAYS: u64 = 14;
pub const RECONNECT_AFTER_DAYS: u64 = 7;

/// The next follow-up of a request in `state` since `since` (the day it entered the state),
/// whether or not it is due yet; `None` when the state needs none.
pub fn next_follow_up(
    state: State,
    since: NaiveDate,
    ask_after_days: u64,
) -> Option<(FollowUpKind, NaiveDate)> {
    let (kind, days) = match state {
        State::Asked => (FollowUpKind::AskAgain, ask_after_days),
        State::Met => (FollowUpKind::Thank, THANK_AFTER_DAYS),
        State::Introduced => (FollowUpKind::Meet, MEET_AFTER_DAYS),
        State::Reconnect => (FollowUpKind::Reconnect, RECONNECT_AFTER_DAYS),
        State::Draft | State::Thanked | State::Declined | State::NoAnswer => return None,
    };
    Some((
        kind,
        since
            .checked_add_days(Days::new(days))
            .unwrap_or(NaiveDate::MAX),
    ))
}

/// A person a request names, briefly.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct PersonBrief {
    pub id: i64,
    pub name: String,
}

/// The target of a request, with what makes them worth meeting.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct RequestTarget {
    pub id: i64,
    pub name: String,
    pub title: Option<String>,
    pub company: Option<String>,
    /// Field ids, e.g. `finance`.
    pub fields: Vec<String>,
}

/// One step of a request's history.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct Step {
    pub state: State,
    /// `YYYY-MM-DD`.
    #[schema(format = Date)]
    pub on: String,
    pub note: Option<String>,
}

/// The next follow-up of a request.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct NextFollowUp {
    pub kind: FollowUpKind,
    #[schema(format = Date)]
    pub due: String,
}

/// An introduction request (`/v1/requests/{id}`).
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct Request {
    pub id: i64,
    pub state: State,
    pub introducer: PersonBrief,
    pub target: RequestTarget,
    /// How I know the introducer (the tie's relationship), if known.
    pub relationship: Option<String>,
    /// The last contact with the introducer, if known.
    #[schema(format = Date)]
    pub last_contact: Option<String>,
    /// Whether the tie to the introducer is stale (unknown, or older than the threshold).
    pub stale: bool,
    /// Why I want to meet the target.
    pub reason: Option<String>,
    /// The text to the introducer (the reconnect note in state `reconnect`).
    pub draft: Draft,
    /// Whether the user edited the draft (it is never regenerated then).
    pub edited: bool,
    /// Oldest first.
    pub history: Vec<Step>,
    /// The next follow-up, due or not (null when none is planned).
    pub follow_up: Option<NextFollowUp>,
    #[schema(format = Date)]
    pub created_on: String,
    #[schema(format = Date)]
    pub updated_on: String,
}

/// A page of requests, newest first.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct RequestPage {
    pub items: Vec<Request>,
    /// Pass as `cursor` for the next page; null on the last page.
    pub next_cursor: Option<String>,
}

/// A follow-up that is due.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct FollowUp {
    /// The request's id.
    pub request: i64,
    pub kind: FollowUpKind,
    #[schema(format = Date)]
    pub due: String,
    pub introducer: PersonBrief,
    pub target: PersonBrief,
    /// What to do, in a sentence.
    pub message: String,
}

/// `GET /v1/follow-ups`: what is due today, oldest due first.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct FollowUps {
    #[schema(format = Date)]
    pub today: String,
    pub items: Vec<FollowUp>,
}

/// A new request, as the user asks for it.
#[derive(Debug, Clone, PartialEq)]
pub struct NewRequestInput {
    pub introducer: PersonRef,
    pub target: PersonRef,
    pub reason: Option<String>,
}

/// A change to a request: an edited draft, a new state (on a date, with a note).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Change {
    pub draft: Option<Draft>,
    pub state: Option<State>,
    pub on: Option<NaiveDate>,
    pub note: Option<String>,
}

/// Everything a request's body and draft need from the store.
struct Facts {
    me: PersonId,
    introducer: crate::store::Person,
    target: crate::store::Person,
    tie: Option<PairTie>,
}

fn facts(
    store: &Store,
    workspace: WorkspaceId,
    introducer: PersonId,
    target: PersonId,
) -> Result<Facts, StoreError> {
    let me = store.me(workspace)?;
    Ok(Facts {
        me,
        introducer: store.person(workspace, introducer)?,
        target: store.person(workspace, target)?,
        tie: store.pair_tie(workspace, me, introducer)?,
    })
}

impl Facts {
    fn relationship(&self) -> Option<Relationship> {
        self.tie.and_then(|tie| tie.relationship)
    }

    fn last_contact(&self) -> Option<NaiveDate> {
        self.tie.and_then(|tie| tie.last_contacted)
    }

    /// The tie me–introducer is stale when its last contact is unknown or older than the
    /// threshold `ask` uses for stale first hops.
    fn stale(&self, settings: &Settings) -> bool {
        self.last_contact()
            .is_none_or(|date| settings.is_stale(date))
    }

    /// The draft for `state`, read from the store: my name as the workspace knows it (none
    /// while it is the default "Me"), and how the introducer reaches the target (directly,
    /// through someone they both know, a three-hop path's middle, or not that the
    /// workspace knows of).
    fn draft(
        &self,
        store: &Store,
        workspace: WorkspaceId,
        state: State,
        reason: Option<&str>,
        last_contact: Option<NaiveDate>,
    ) -> Result<Draft, StoreError> {
        let my_name = Some(store.person(workspace, self.me)?.name).filter(|name| name != "Me");
        let (introducer, target) = (self.introducer.id, self.target.id);
        let direct = store.pair_tie(workspace, introducer, target)?.is_some();
        let middle = match direct {
            true => None,
            false => store
                .common_contact(workspace, self.me, introducer, target)?
                .map(|via| store.person(workspace, via).map(|person| person.name))
                .transpose()?,
        };
        let taxonomy = Taxonomy::embedded();
        let field = self
            .target
            .fields
            .first()
            .and_then(|id| taxonomy.field(id))
            .map(|idx| taxonomy.get(idx).name.as_str());
        let facts = DraftFacts {
            me: my_name.as_deref(),
            introducer: &self.introducer.name,
            relationship: self.relationship(),
            last_contact,
            target: &self.target.name,
            target_title: self.target.title.as_deref(),
            target_company: self.target.company.as_deref(),
            target_field: field,
            reason,
            via: match (direct, &middle) {
                (true, _) => Via::None,
                (false, Some(name)) => Via::Person(name),
                (false, None) => Via::Unknown,
            },
        };
        Ok(if state == State::Reconnect {
            draft::reconnect(&facts)
        } else {
            draft::request(&facts)
        })
    }
}

fn brief(person: &crate::store::Person) -> PersonBrief {
    PersonBrief {
        id: person.id.0,
        name: person.name.clone(),
    }
}

/// The day the request entered its current state.
fn since(stored: &StoredRequest) -> NaiveDate {
    stored
        .history
        .last()
        .map_or(stored.updated_on, |entry| entry.on)
}

fn view(
    store: &Store,
    workspace: WorkspaceId,
    settings: &Settings,
    stored: StoredRequest,
) -> Result<Request, StoreError> {
    let facts = facts(store, workspace, stored.introducer, stored.target)?;
    let follow_up =
        next_follow_up(stored.state, since(&stored), ASK_AFTER_DAYS).map(|(kind, due)| {
            NextFollowUp {
                kind,
                due: due.to_string(),
            }
        });
    Ok(Request {
        id: stored.id.0,
        state: stored.state,
        introducer: brief(&facts.introducer),
        target: RequestTarget {
            id: facts.target.id.0,
            name: facts.target.name.clone(),
            title: facts.target.title.clone(),
            company: facts.target.company.clone(),
            fields: facts.target.fields.clone(),
        },
        relationship: facts.relationship().map(|r| r.as_str().to_string()),
        last_contact: facts.last_contact().map(|date| date.to_string()),
        stale: facts.stale(settings),
        reason: stored.reason,
        draft: stored.draft,
        edited: stored.edited,
        history: stored
            .history
            .into_iter()
            .map(|entry| Step {
                state: entry.state,
                on: entry.on.to_string(),
                note: entry.note,
            })
            .collect(),
        follow_up,
        created_on: stored.created_on.to_string(),
        updated_on: stored.updated_on.to_string(),
    })
}

/// Creates a request from me through `introducer` to `target`, in state `reconnect` when
/// the tie me–introducer is stale, else `draft`, with the draft to match.
///
/// # Errors
/// [`StoreError::UnknownPerson`]; [`StoreError::Conflict`] when the introducer is the
/// target, either is me, or me has no tie with the introducer.
pub fn create(
    store: &mut Store,
    workspace: WorkspaceId,
    settings: &Settings,
    input: &NewRequestInput,
) -> Result<Request, StoreError> {
    let introducer = store.require_person(workspace, &input.introducer)?;
    let target = store.require_person(workspace, &input.target)?;
    let me = store.me(workspace)?;
    if target == me {
        return Err(StoreError::Conflict(
            "the target is me: a request introduces me to someone else".to_string(),
        ));
    }
    if introducer == me {
        return Err(StoreError::Conflict(
            "the introducer is me: ask someone I know to introduce me".to_string(),
        ));
    }
    if introducer == target {
        return Err(StoreError::Conflict(
            "the introducer and the target are the same person".to_string(),
        ));
    }
    let facts = facts(store, workspace, introducer, target)?;
    if facts.tie.is_none() {
        return Err(StoreError::Conflict(format!(
            "me has no tie with person {introducer}: declare one (POST /v1/ties) or import a list that has them"
        )));
    }
    let state = if facts.stale(settings) {
        State::Reconnect
    } else {
        State::Draft
    };
    let reason = input
        .reason
        .as_deref()
        .map(str::trim)
        .filter(|reason| !reason.is_empty())
        .map(str::to_string);
    let draft = facts.draft(
        store,
        workspace,
        state,
        reason.as_deref(),
        facts.last_contact(),
    )?;
    let id = store.insert_request(
        workspace,
        &NewRequest {
            introducer,
            target,
            state,
            reason,
            draft,
            on: settings.strength.today,
        },
    )?;
    get(store, workspace, settings, id)
}

/// One request.
///
/// # Errors
/// [`StoreError::UnknownRequest`].
pub fn get(
    store: &Store,
    workspace: WorkspaceId,
    settings: &Settings,
    id: RequestId,
) -> Result<Request, StoreError> {
    let stored = store.stored_request(workspace, id)?;
    view(store, workspace, settings, stored)
}

/// A page of requests, newest first.
///
/// # Errors
/// Fails on a database error.
pub fn list(
    store: &Store,
    workspace: WorkspaceId,
    settings: &Settings,
    state: Option<State>,
    limit: usize,
    before: Option<i64>,
) -> Result<RequestPage, StoreError> {
    let page: Page<StoredRequest> = store.list_requests(workspace, state, limit, before)?;
    Ok(RequestPage {
        items: page
            .items
            .into_iter()
            .map(|stored| view(store, workspace, settings, stored))
            .collect::<Result<_, _>>()?,
        next_cursor: page.next_cursor.map(|id| id.to_string()),
    })
}

/// Edits the draft and/or moves the request to a new state.
///
/// # Errors
/// [`StoreError::UnknownRequest`]; [`StoreError::Conflict`] for a transition the state
/// machine does not allow (naming the current state and the allowed ones) or a date before
/// the current state's; [`StoreError::Invalid`] for `on` or `note` without a state, or a
/// date after today.
pub fn change(
    store: &mut Store,
    workspace: WorkspaceId,
    settings: &Settings,
    id: RequestId,
    change: &Change,
) -> Result<Request, StoreError> {
    let stored = store.stored_request(workspace, id)?;
    let today = settings.strength.today;
    if change.state.is_none() && (change.on.is_some() || change.note.is_some()) {
        return Err(StoreError::Invalid(
            "`on` and `note` describe a change of state: give `state` too".to_string(),
        ));
    }
    if change.state.is_none() && change.draft.is_none() {
        return view(store, workspace, settings, stored);
    }
    let mut update = RequestUpdate {
        expected: stored.state,
        entered: None,
        draft: None,
        edited: false,
        interaction: None,
        updated_on: today,
    };
    if let Some(draft) = &change.draft {
        update.draft = Some(draft.clone());
        update.edited = true;
    }
    if let Some(to) = change.state {
        if !stored.state.can_become(to) {
            let allowed: Vec<&str> = stored.state.next().iter().map(|s| s.as_str()).collect();
            return Err(StoreError::Conflict(format!(
                "request {id} is {}; it can become {}",
                stored.state,
                if allowed.is_empty() {
                    "nothing else (it is final)".to_string()
                } else {
                    allowed.join(", ")
                }
            )));
        }
        let on = change.on.unwrap_or(today);
        if on > today {
            return Err(StoreError::Invalid(format!(
                "on: {on} is after today ({today}); log what happened, not what is planned"
            )));
        }
        let entered_current = since(&stored);
        if on < entered_current {
            return Err(StoreError::Conflict(format!(
                "on: {on} is before {entered_current}, when request {id} became {}",
                stored.state
            )));
        }
        update.interaction = to.interaction(stored.state).map(|party| Interaction {
            with: match party {
                Party::Introducer => stored.introducer,
                Party::Target => stored.target,
            },
            on,
            relationship_if_new: Relationship::Acquaintance,
        });
        // Entering `draft` from `reconnect` turns the note into the request, unless the
        // user wrote their own text.
        if stored.state == State::Reconnect && !stored.edited && change.draft.is_none() {
            let facts = facts(store, workspace, stored.introducer, stored.target)?;
            let last = facts.last_contact().max(Some(on));
            update.draft =
                Some(facts.draft(store, workspace, to, stored.reason.as_deref(), last)?);
        }
        update.entered = Some(HistoryEntry {
            state: to,
            on,
            note: change
                .note
                .as_deref()
                .map(str::trim)
                .filter(|note| !note.is_empty())
                .map(str::to_string),
        });
    }
    store.update_request(workspace, id, &update)?;
    get(store, workspace, settings, id)
}

/// Deletes a request.
///
/// # Errors
/// [`StoreError::UnknownRequest`].
pub fn delete(store: &mut Store, workspace: WorkspaceId, id: RequestId) -> Result<(), StoreError> {
    store.delete_request(workspace, id)
}

/// The follow-ups due on or before `today`, oldest due first (then by request id).
///
/// # Errors
/// Fails on a database error.
pub fn follow_ups(
    store: &Store,
    workspace: WorkspaceId,
    today: NaiveDate,
    ask_after_days: u64,
) -> Result<FollowUps, StoreError> {
    let open = store.requests_in(
        workspace,
        &[
            State::Reconnect,
            State::Asked,
            State::Introduced,
            State::Met,
        ],
    )?;
    let mut due: Vec<(NaiveDate, i64, FollowUp)> = Vec::new();
    for stored in open {
        let since = since(&stored);
        let Some((kind, when)) = next_follow_up(stored.state, since, ask_after_days) else {
            continue;
        };
        if when > today {
            continue;
        }
        let introducer = store.person(workspace, stored.introducer)?;
        let target = store.person(workspace, stored.target)?;
        let days = (today - since).num_days();
        due.push((
            when,
            stored.id.0,
            FollowUp {
                request: stored.id.0,
                kind,
                due: when.to_string(),
                message: message(kind, days, &introducer.name, &target.name),
                introducer: brief(&introducer),
                target: brief(&target),
            },
        ));
    }
    due.sort_by_key(|(when, id, _)| (*when, *id));
    Ok(FollowUps {
        today: today.to_string(),
        items: due.into_iter().map(|(_, _, item)| item).collect(),
    })
}

/// What a follow-up asks of me, in a sentence.
pub fn message(kind: FollowUpKind, days: i64, introducer: &str, target: &str) -> String {
    let ago = match days {
        0 => "today".to_string(),
        1 => "1 day ago".to_string(),
        days => format!("{days} days ago"),
    };
    match kind {
        FollowUpKind::AskAgain => {
            format!("You asked {introducer} {ago}; a short, friendly nudge.")
        }
        FollowUpKind::Thank => format!(
            "You met {target} {ago}; thank {introducer} for the introduction (and {target} for their time)."
        ),
        FollowUpKind::Meet => format!(
            "{introducer} introduced you to {target} {ago}; propose a time for the conversation."
        ),
        FollowUpKind::Reconnect => {
            format!("You planned to reconnect with {introducer} {ago}; send the note, then ask.")
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(text: &str) -> NaiveDate {
        NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn the_state_machine_is_the_contracts() {
        use State::*;
        let allowed = [
            (Reconnect, Draft),
            (Draft, Asked),
            (Asked, Introduced),
            (Asked, Declined),
            (Asked, NoAnswer),
            (Introduced, Met),
            (Introduced, Declined),
            (Introduced, NoAnswer),
            (Met, Thanked),
            (NoAnswer, Asked),
        ];
        for from in State::ALL {
            for to in State::ALL {
                assert_eq!(
                    from.can_become(to),
                    allowed.contains(&(from, to)),
                    "{from} → {to}"
                );
            }
        }
        assert!(Thanked.next().is_empty() && Declined.next().is_empty());
    }

    #[test]
    fn states_read_back_as_written_and_serialise_the_same() {
        for state in State::ALL {
            assert_eq!(State::parse(state.as_str()), Some(state));
            assert_eq!(
                serde_json::to_value(state).unwrap(),
                serde_json::Value::String(state.as_str().to_string())
            );
        }
        assert_eq!(State::parse("Asked"), None);
        assert_eq!(State::parse("no-answer"), None);
    }

    #[test]
    fn interactions_are_logged_with_the_right_person() {
        use State::*;
        assert_eq!(Draft.interaction(Reconnect), Some(Party::Introducer));
        assert_eq!(Asked.interaction(Draft), Some(Party::Introducer));
        assert_eq!(Asked.interaction(NoAnswer), Some(Party::Introducer));
        assert_eq!(Thanked.interaction(Met), Some(Party::Introducer));
        assert_eq!(Met.interaction(Introduced), Some(Party::Target));
        for quiet in [Introduced, Declined, NoAnswer] {
            assert_eq!(quiet.interaction(Asked), None, "{quiet}");
        }
    }

    #[test]
    fn follow_ups_fall_due_by_rule() {
        let since = day("2026-01-10");
        let due = |state, days| next_follow_up(state, since, days);
        assert_eq!(
            due(State::Asked, 7),
            Some((FollowUpKind::AskAgain, day("2026-01-17")))
        );
        assert_eq!(
            due(State::Asked, 3),
            Some((FollowUpKind::AskAgain, day("2026-01-13")))
        );
        assert_eq!(
            due(State::Met, 7),
            Some((FollowUpKind::Thank, day("2026-01-12")))
        );
        assert_eq!(
            due(State::Introduced, 7),
            Some((FollowUpKind::Meet, day("2026-01-24")))
        );
        assert_eq!(
            due(State::Reconnect, 30),
            Some((FollowUpKind::Reconnect, day("2026-01-17")))
        );
        for none in [
            State::Draft,
            State::Thanked,
            State::Declined,
            State::NoAnswer,
        ] {
            assert_eq!(due(none, 7), None, "{none}");
        }
        assert_eq!(
            next_follow_up(State::Asked, NaiveDate::MAX, 7).map(|(_, when)| when),
            Some(NaiveDate::MAX),
            "no overflow"
        );
    }

    #[test]
    fn an_empty_change_changes_nothing_and_a_change_is_dated_by_settings() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = Store::open(&dir.path().join("t.db")).unwrap();
        let workspace = store.workspace("default").unwrap();
        let csv = "name,email,relationship,last_contacted\nMaria Lopez,maria@example.com,friend,2025-12-01\nDana Ortiz,dana@example.com,,\n";
        crate::store::tests::import(&mut store, workspace, csv, PersonRef::Me);
        let first = Settings::for_today(day("2026-01-01"));
        let later = Settings::for_today(day("2026-01-05"));
        let input = NewRequestInput {
            introducer: PersonRef::Email("maria@example.com".into()),
            target: PersonRef::Email("dana@example.com".into()),
            reason: None,
        };
        let created = create(&mut store, workspace, &first, &input).unwrap();
        assert_eq!(created.state, State::Draft);
        assert_eq!(created.relationship.as_deref(), Some("friend"));
        let id = RequestId(created.id);
        let same = change(&mut store, workspace, &later, id, &Change::default()).unwrap();
        assert_eq!(same, created, "nothing changed, not even updated_on");
        let asked = Change {
            state: Some(State::Asked),
            ..Change::default()
        };
        let changed = change(&mut store, workspace, &later, id, &asked).unwrap();
        assert_eq!(changed.updated_on, "2026-01-05");
        assert_eq!(
            changed.history[1].on, "2026-01-05",
            "`on` defaults to today"
        );
        assert_eq!(changed.last_contact.as_deref(), Some("2026-01-05"));
        // With a stale threshold of 0 days, a contact yesterday is stale: a reconnect note.
        let mut strict = Settings::for_today(day("2026-01-06"));
        strict.stale_after = crate::config::StaleAfter::Days(0);
        let again = create(&mut store, workspace, &strict, &input).unwrap();
        assert_eq!(again.state, State::Reconnect);
        assert!(again.stale);
    }

    #[test]
    fn a_follow_up_message_names_the_people_and_the_days() {
        assert_eq!(
            message(FollowUpKind::AskAgain, 7, "Maria Lopez", "Dana Ortiz"),
            "You asked Maria Lopez 7 days ago; a short, friendly nudge."
        );
        assert!(message(FollowUpKind::Thank, 1, "Maria", "Dana").contains("met Dana 1 day ago"));
        assert!(message(FollowUpKind::Meet, 0, "Maria", "Dana").contains("today"));
    }
}
