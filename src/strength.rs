//! The tie-strength formula: one place, documented, explainable.
//!
//! A tie's strength is a number in (0, 1] built from what the contact lists say about
//! it. It owns the formula and its explanation; it does not aggregate listings (the
//! store does) nor count mutual contacts (the graph does).
//!
//! # The formula
//! When a listing gives an explicit `strength`, that number is the strength, with no
//! other adjustment (the largest one wins when a pair is listed several times).
//! Otherwise:
//!
//! ```text
//! base     = prior(relationship) × (0.6 × recency + 0.4 × activity)
//! recency  = 0.5 ^ (days since last contact / half-life)      (0.5 when unknown)
//! activity = min(1, ln(1 + interactions) / ln(101))           (0.25 when unknown)
//! s1       = base + (1 − base) × 0.15                         if the tie is reciprocal
//! s2       = s1 + (1 − s1) × 0.20 × min(1, ln(1 + mutual) / ln(51))
//! strength = clamp(s2, 0.0001, 1)
//! ```
//!
//! Priors follow how much a favour can be asked of each kind of tie: family 0.9,
//! friend 0.8, mentor 0.75, colleague 0.7, professor 0.6, classmate 0.5,
//! acquaintance 0.3, other 0.2, and 0.4 when the export does not say (LinkedIn,
//! Outlook). The last contact is the `last_contacted` date, or, failing that, the
//! LinkedIn `Connected On` date as a lower bound. The bonuses are fractions of the
//! remaining headroom, so they can never push a strength past 1.

use chrono::NaiveDate;

use crate::relationship::Relationship;

/// Everything the formula may use about one tie.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct StrengthInputs {
    pub relationship: Option<Relationship>,
    pub last_contacted: Option<NaiveDate>,
    pub connected_on: Option<NaiveDate>,
    pub interactions: Option<u32>,
    pub reciprocal: bool,
    pub mutual_contacts: u32,
    /// An explicit strength from a file or a declared tie, used as given.
    pub explicit: Option<f64>,
    /// The explicit strength was declared by hand (`POST /v1/ties`), not read from a list.
    /// It changes the explanation only, never the strength.
    pub declared: bool,
}

/// What the formula is evaluated against.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct StrengthSettings {
    /// "Now": today's date unless configured (`WARMPATH_TODAY`).
    pub today: NaiveDate,
    /// Days after which the recency term halves.
    pub half_life_days: f64,
}

impl StrengthSettings {
    /// The default half-life: two years.
    pub const DEFAULT_HALF_LIFE_DAYS: f64 = 730.0;

    pub fn new(today: NaiveDate) -> Self {
        StrengthSettings {
            today,
            half_life_days: Self::DEFAULT_HALF_LIFE_DAYS,
        }
    }
}

/// The strength of a tie and the terms that made it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Strength {
    pub value: f64,
    pub prior: f64,
    pub recency: f64,
    pub activity: f64,
    pub explicit: bool,
}

/// The prior of a relationship kind (0.4 when unknown).
pub fn prior(relationship: Option<Relationship>) -> f64 {
    match relationship {
        Some(Relationship::Family) => 0.9,
        Some(Relationship::Friend) => 0.8,
        Some(Relationship::Mentor) => 0.75,
        Some(Relationship::Colleague) => 0.7,
        Some(Relationship::Professor) => 0.6,
        Some(Relationship::Classmate) => 0.5,
        Some(Relationship::Acquaintance) => 0.3,
        Some(Relationship::Other) => 0.2,
        None => 0.4,
    }
}

/// The date the recency term counts from: the last contact, else the connection date.
pub fn last_contact(inputs: &StrengthInputs) -> Option<NaiveDate> {
    inputs.last_contacted.or(inputs.connected_on)
}

/// Whole days from `date` to `today` (0 for dates in the future).
pub fn days_since(date: NaiveDate, today: NaiveDate) -> i64 {
    (today - date).num_days().max(0)
}

/// Evaluates the formula of this module's documentation.
pub fn tie_strength(inputs: &StrengthInputs, settings: &StrengthSettings) -> Strength {
    if let Some(explicit) = inputs.explicit {
        return Strength {
            value: explicit,
            prior: 1.0,
            recency: 1.0,
            activity: 1.0,
            explicit: true,
        };
    }
    let prior = prior(inputs.relationship);
    let recency = match last_contact(inputs) {
        Some(date) => {
            0.5f64.powf(days_since(date, settings.today) as f64 / settings.half_life_days)
        }
        None => 0.5,
    };
    let activity = match inputs.interactions {
        Some(count) => ((1.0 + count as f64).ln() / 101f64.ln()).min(1.0),
        None => 0.25,
    };
    let mut value = prior * (0.6 * recency + 0.4 * activity);
    if inputs.reciprocal {
        value += (1.0 - value) * 0.15;
    }
    let mutual = ((1.0 + inputs.mutual_contacts as f64).ln() / 51f64.ln()).min(1.0);
    value += (1.0 - value) * 0.20 * mutual;
    Strength {
        value: value.clamp(0.0001, 1.0),
        prior,
        recency,
        activity,
        explicit: false,
    }
}

/// A plain-language account of what made a tie's strength, for a hop's `why`.
pub fn explain(inputs: &StrengthInputs, settings: &StrengthSettings) -> String {
    let strength = tie_strength(inputs, settings);
    if strength.explicit {
        let source = if inputs.declared {
            "declared by you"
        } else {
            "given explicitly in a contact list"
        };
        return format!("strength {:.2} {source}", strength.value);
    }
    let mut parts = vec![match inputs.relationship {
        Some(relationship) => relationship.to_string(),
        None => "relationship not given".to_string(),
    }];
    match (inputs.last_contacted, inputs.connected_on) {
        (Some(date), _) => parts.push(format!(
            "last contact {date} ({})",
            ago(date, settings.today)
        )),
        (None, Some(date)) => parts.push(format!(
            "connected {date} ({}, no later contact known)",
            ago(date, settings.today)
        )),
        (None, None) => parts.push("no contact date".to_string()),
    }
    if let Some(count) = inputs.interactions {
        parts.push(format!(
            "{count} interaction{}",
            if count == 1 { "" } else { "s" }
        ));
    }
    if inputs.reciprocal {
        parts.push("both list each other".to_string());
    }
    if inputs.mutual_contacts > 0 {
        let count = inputs.mutual_contacts;
        parts.push(format!(
            "{count} mutual contact{}",
            if count == 1 { "" } else { "s" }
        ));
    }
    format!("strength {:.2}: {}", strength.value, parts.join(", "))
}

/// "3 months ago", "6 years ago", "today".
pub fn ago(date: NaiveDate, today: NaiveDate) -> String {
    let days = days_since(date, today);
    let (count, unit) = match days {
        0 => return "today".to_string(),
        1..=59 => (days, "day"),
        60..=729 => (days / 30, "month"),
        _ => (days / 365, "year"),
    };
    format!("{count} {unit}{} ago", if count == 1 { "" } else { "s" })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(text: &str) -> NaiveDate {
        NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap()
    }

    fn settings() -> StrengthSettings {
        StrengthSettings::new(date("2026-01-01"))
    }

    #[test]
    fn an_explicit_strength_is_used_as_given() {
        let inputs = StrengthInputs {
            relationship: Some(Relationship::Acquaintance),
            reciprocal: true,
            mutual_contacts: 40,
            explicit: Some(0.1234),
            ..Default::default()
        };
        assert_eq!(tie_strength(&inputs, &settings()).value, 0.1234);
    }

    #[test]
    fn an_explicit_strength_says_whether_it_was_declared_or_listed() {
        let listed = StrengthInputs {
            explicit: Some(0.8),
            ..Default::default()
        };
        let declared = StrengthInputs {
            declared: true,
            ..listed
        };
        assert_eq!(
            explain(&listed, &settings()),
            "strength 0.80 given explicitly in a contact list"
        );
        assert_eq!(
            explain(&declared, &settings()),
            "strength 0.80 declared by you"
        );
        assert_eq!(
            tie_strength(&declared, &settings()),
            tie_strength(&listed, &settings())
        );
    }

    #[test]
    fn a_connection_date_alone_is_explained_as_a_lower_bound() {
        let inputs = StrengthInputs {
            connected_on: Some(date("2019-01-01")),
            ..Default::default()
        };
        let why = explain(&inputs, &settings());
        assert!(
            why.contains("connected 2019-01-01 (7 years ago, no later contact known)"),
            "{why}"
        );
        assert!(!why.contains("last contact"), "{why}");
    }

    #[test]
    fn strength_halves_its_recency_term_after_one_half_life() {
        let fresh = StrengthInputs {
            relationship: Some(Relationship::Friend),
            last_contacted: Some(date("2026-01-01")),
            ..Default::default()
        };
        let old = StrengthInputs {
            last_contacted: Some(date("2024-01-02")),
            ..fresh
        };
        let fresh_strength = tie_strength(&fresh, &settings());
        let old_strength = tie_strength(&old, &settings());
        assert!((fresh_strength.recency - 1.0).abs() < 1e-12);
        assert!((old_strength.recency - 0.5).abs() < 1e-9);
        assert!(old_strength.value < fresh_strength.value);
    }

    #[test]
    fn family_outranks_acquaintance_with_the_same_history() {
        let family = StrengthInputs {
            relationship: Some(Relationship::Family),
            ..Default::default()
        };
        let acquaintance = StrengthInputs {
            relationship: Some(Relationship::Acquaintance),
            ..family
        };
        assert!(
            tie_strength(&family, &settings()).value
                > tie_strength(&acquaintance, &settings()).value
        );
    }

    #[test]
    fn reciprocity_and_mutual_contacts_raise_strength_but_never_past_one() {
        let plain = StrengthInputs {
            relationship: Some(Relationship::Family),
            last_contacted: Some(date("2026-01-01")),
            interactions: Some(10_000),
            ..Default::default()
        };
        let boosted = StrengthInputs {
            reciprocal: true,
            mutual_contacts: 10_000,
            ..plain
        };
        let plain_value = tie_strength(&plain, &settings()).value;
        let boosted_value = tie_strength(&boosted, &settings()).value;
        assert!(boosted_value > plain_value);
        assert!(boosted_value <= 1.0);
    }

    #[test]
    fn strength_stays_within_its_bounds_for_extreme_inputs() {
        for relationship in Relationship::ALL.map(Some).into_iter().chain([None]) {
            for days_ago in [0, 1, 400, 20_000] {
                let inputs = StrengthInputs {
                    relationship,
                    last_contacted: Some(date("2026-01-01") - chrono::Days::new(days_ago)),
                    interactions: Some(0),
                    ..Default::default()
                };
                let value = tie_strength(&inputs, &settings()).value;
                assert!(value > 0.0 && value <= 1.0, "{value}");
            }
        }
    }

    #[test]
    fn the_explanation_names_every_input_that_was_used() {
        let inputs = StrengthInputs {
            relationship: Some(Relationship::Mentor),
            last_contacted: Some(date("2019-06-01")),
            interactions: Some(3),
            reciprocal: true,
            mutual_contacts: 2,
            ..Default::default()
        };
        let why = explain(&inputs, &settings());
        assert!(why.contains("mentor"), "{why}");
        assert!(
            why.contains("last contact 2019-06-01 (6 years ago)"),
            "{why}"
        );
        assert!(why.contains("3 interactions"), "{why}");
        assert!(why.contains("both list each other"), "{why}");
        assert!(why.contains("2 mutual contacts"), "{why}");
    }
}
