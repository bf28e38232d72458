//! The draft to the introducer: a reconnect note, or the request itself, in a tone that
//! fits the relationship. Pure text from the facts it is given; warmpath never sends it.

use chrono::NaiveDate;

use crate::relationship::Relationship;

/// What a draft says, gathered by the caller.
#[derive(Debug, Clone, PartialEq)]
pub struct DraftFacts<'a> {
    /// My name as the workspace knows it (`None` when it is still the default "Me").
    pub me: Option<&'a str>,
    pub introducer: &'a str,
    pub relationship: Option<Relationship>,
    pub last_contact: Option<NaiveDate>,
    pub target: &'a str,
    pub target_title: Option<&'a str>,
    pub target_company: Option<&'a str>,
    /// The label of the target's first field ("Investment Banking").
    pub target_field: Option<&'a str>,
    /// Why I want to meet them, as the user wrote it.
    pub reason: Option<&'a str>,
    /// Whom the introducer would go through to reach the target.
    pub via: Via<'a>,
}

/// How the introducer reaches the target, so the draft never claims they know each other
/// when they don't.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Via<'a> {
    /// They know each other.
    None,
    /// Through someone they both know: the middle of a three-hop path.
    Person(&'a str),
    /// Not through anyone the workspace knows of.
    Unknown,
}

/// A subject and a body.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
pub struct Draft {
    pub subject: String,
    pub body: String,
}

/// The register a relationship calls for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tone {
    /// Family and friends: warm and informal.
    Warm,
    /// Professors and mentors: respectful.
    Respectful,
    /// Colleagues and classmates: collegial.
    Collegial,
    /// Acquaintances, other, unknown: brief and polite.
    Brief,
}

impl Tone {
    pub fn of(relationship: Option<Relationship>) -> Tone {
        match relationship {
            Some(Relationship::Family | Relationship::Friend) => Tone::Warm,
            Some(Relationship::Professor | Relationship::Mentor) => Tone::Respectful,
            Some(Relationship::Colleague | Relationship::Classmate) => Tone::Collegial,
            Some(Relationship::Acquaintance | Relationship::Other) | None => Tone::Brief,
        }
    }

    fn greeting(self, name: &str) -> String {
        match self {
            Tone::Warm => format!("Hi {},", first_name(name)),
            Tone::Respectful => format!("Dear {name},"),
            Tone::Collegial => format!("Hi {},", first_name(name)),
            Tone::Brief => format!("Hello {},", first_name(name)),
        }
    }

    fn closing(self) -> &'static str {
        match self {
            Tone::Warm => "Thanks so much, and talk soon,",
            Tone::Respectful => "With thanks and best regards,",
            Tone::Collegial => "Thanks a lot,",
            Tone::Brief => "Best regards,",
        }
    }
}

/// The first word of a name ("Maria" of "Maria Lopez"), or the whole name.
fn first_name(name: &str) -> &str {
    name.split_whitespace().next().unwrap_or(name)
}

/// How I know them, in a clause that follows "I ...": "as family", ...
fn how_we_know(relationship: Option<Relationship>) -> Option<&'static str> {
    Some(match relationship? {
        Relationship::Family => "You're family, so I hope you won't mind me asking a favour.",
        Relationship::Friend => "You've always been a good friend, so I thought of you first.",
        Relationship::Professor => {
            "I have fond memories of your classes, and your advice has stayed with me."
        }
        Relationship::Mentor => {
            "Your mentoring has meant a lot to me, and I'd value your help once more."
        }
        Relationship::Colleague => "I've been thinking back to our time working together.",
        Relationship::Classmate => "I've been thinking back to our time as classmates.",
        Relationship::Acquaintance => "I hope you remember me; we've been in touch before.",
        Relationship::Other => "I hope you're well.",
    })
}

/// How I know them, for a reconnect note: a memory, never a hint of a favour to come.
fn remembering(relationship: Option<Relationship>) -> Option<&'static str> {
    Some(match relationship? {
        Relationship::Family => "I've been meaning to call for ages.",
        Relationship::Friend => "I've been thinking of you and our good times together.",
        Relationship::Professor => {
            "I often think back to your classes; your advice has stayed with me."
        }
        Relationship::Mentor => {
            "Your mentoring still shapes how I work, and I've been meaning to say so."
        }
        Relationship::Colleague => "I've been thinking back to our time working together.",
        Relationship::Classmate => "I've been thinking back to our time as classmates.",
        Relationship::Acquaintance => "I hope you remember me; we've been in touch before.",
        Relationship::Other => return None,
    })
}

/// "since we spoke in October 2025", or a sentence for an unknown last contact.
fn last_contact_sentence(tone: Tone, last_contact: Option<NaiveDate>) -> String {
    match (tone, last_contact) {
        (Tone::Warm, Some(date)) => format!(
            "It was good to catch up in {}; I hope all is well since.",
            date.format("%B %Y")
        ),
        (_, Some(date)) => format!(
            "I hope all has been well since we were last in touch in {}.",
            date.format("%B %Y")
        ),
        (Tone::Warm, None) => "I hope all is well with you!".to_string(),
        (_, None) => "I hope all has been well since we were last in touch.".to_string(),
    }
}

/// Who the target is: "Dana Ortiz (Vice President at Goldman Sachs, in Investment Banking)".
fn who(facts: &DraftFacts<'_>) -> String {
    let role = match (facts.target_title, facts.target_company) {
        (Some(title), Some(company)) => Some(format!("{title} at {company}")),
        (Some(title), None) => Some(title.to_string()),
        (None, Some(company)) => Some(format!("at {company}")),
        (None, None) => None,
    };
    let field = facts.target_field.map(|field| format!("in {field}"));
    let details: Vec<String> = [role, field].into_iter().flatten().collect();
    if details.is_empty() {
        facts.target.to_string()
    } else {
        format!("{} ({})", facts.target, details.join(", "))
    }
}

fn signature<'a>(facts: &DraftFacts<'a>) -> &'a str {
    facts.me.unwrap_or("[your name]")
}

/// The request to the introducer: how I know them, whom I want to meet and why, a small
/// concrete ask, an offer to help back, and an easy way to say no.
pub fn request(facts: &DraftFacts<'_>) -> Draft {
    let tone = Tone::of(facts.relationship);
    let mut paragraphs: Vec<String> = Vec::new();
    let mut opening = last_contact_sentence(tone, facts.last_contact);
    if let Some(how) = how_we_know(facts.relationship) {
        opening = format!("{opening} {how}");
    }
    paragraphs.push(opening);
    let why = match facts.reason {
        Some(reason) => format!("I'd love to meet them because {}", sentence(reason)),
        None => match facts.target_field {
            Some(field) => {
                format!("I'm exploring {field} and would really value their perspective on it.")
            }
            None => "I'd really value their perspective on their work.".to_string(),
        },
    };
    paragraphs.push(match facts.via {
        Via::None => format!("I noticed you know {}. {why}", who(facts)),
        Via::Person(via) => format!("I noticed you know {via}, who knows {}. {why}", who(facts)),
        Via::Unknown => format!(
            "I'm hoping to meet {}, and thought you might know them or someone who does. {why}",
            who(facts)
        ),
    });
    if let Via::Person(via) = facts.via {
        paragraphs.push(format!(
            "Would you be willing to ask {} whether they'd introduce me? I'd only ask {} for a 20-30 minute informational conversation, whenever suits them.",
            first_name(via),
            first_name(facts.target)
        ));
    } else {
        paragraphs.push(ask(tone, facts));
    }
    paragraphs.push(
        match tone {
            Tone::Warm => "And if there's ever anything I can do for you, just say the word.",
            Tone::Respectful => {
                "If there is anything I can do to help you in return, I would be glad to."
            }
            Tone::Collegial => "Happy to return the favour any time, just let me know.",
            Tone::Brief => "I'd be glad to help you in return if I can.",
        }
        .to_string(),
    );
    paragraphs.push(
        match tone {
            Tone::Warm => "No pressure at all: if it's not a good time or you'd rather not, just tell me and that's completely fine.",
            Tone::Respectful => "Of course, if it is not convenient or you would rather not, please just say so; I will understand entirely.",
            Tone::Collegial => "And if it's not a good fit or a busy time, no worries at all, just say so.",
            Tone::Brief => "If you'd rather not, no problem at all; a one-line reply is plenty.",
        }
        .to_string(),
    );
    let subject = match tone {
        Tone::Respectful => format!("A request: an introduction to {}", facts.target),
        _ => format!("Could you introduce me to {}?", facts.target),
    };
    Draft {
        subject,
        body: letter(tone, facts, &paragraphs),
    }
}

/// The small, concrete ask, in the relationship's tone.
fn ask(tone: Tone, facts: &DraftFacts<'_>) -> String {
    let name = first_name(facts.target);
    match tone {
        Tone::Warm => format!(
            "Would you be up for introducing us? All I'd ask {name} for is a 20-30 minute informational conversation, whenever suits them."
        ),
        Tone::Respectful => format!(
            "Would you be willing to introduce me? I would only ask {name} for a 20-30 minute informational conversation, at a time convenient for them."
        ),
        Tone::Collegial => format!(
            "Would you be open to introducing us? I'd just ask {name} for a 20-30 minute informational conversation, whenever works for them."
        ),
        Tone::Brief => format!(
            "Would you be willing to introduce us? I'd ask {name} only for a 20-30 minute informational conversation."
        ),
    }
}

/// The reconnect note: catching up first, no ask (the request waits until the tie is
/// warm again).
pub fn reconnect(facts: &DraftFacts<'_>) -> Draft {
    let tone = Tone::of(facts.relationship);
    let since = match facts.last_contact {
        Some(date) => format!(
            "I realised we haven't been in touch since {}, which is far too long.",
            date.format("%B %Y")
        ),
        None => "I realised it has been far too long since we were last in touch.".to_string(),
    };
    let mut paragraphs = vec![since];
    if let Some(memory) = remembering(facts.relationship) {
        paragraphs.push(memory.to_string());
    }
    paragraphs.push(
        match tone {
            Tone::Warm => "How are you? I'd love to hear what you've been up to; maybe a call or a coffee soon?",
            Tone::Respectful => "How have you been? I would be glad to hear what you are working on these days.",
            Tone::Collegial => "How are things? I'd love to hear what you're working on these days.",
            Tone::Brief => "I hope things are going well; I'd be glad to hear how you are.",
        }
        .to_string(),
    );
    paragraphs.push("No need to reply quickly, whenever you have a moment.".to_string());
    let subject = match tone {
        Tone::Warm => "It's been too long!".to_string(),
        _ => "Catching up".to_string(),
    };
    Draft {
        subject,
        body: letter(tone, facts, &paragraphs),
    }
}

fn letter(tone: Tone, facts: &DraftFacts<'_>, paragraphs: &[String]) -> String {
    let mut body = tone.greeting(facts.introducer);
    for paragraph in paragraphs {
        body.push_str("\n\n");
        body.push_str(paragraph);
    }
    body.push_str("\n\n");
    body.push_str(tone.closing());
    body.push('\n');
    body.push_str(signature(facts));
    body.push('\n');
    body
}

/// The user's reason as the end of a sentence: first letter lowered unless it is "I",
/// a full stop added when it has none.
fn sentence(reason: &str) -> String {
    let reason = reason.trim();
    let mut chars = reason.chars();
    let mut text = match chars.next() {
        Some(first) if !reason.starts_with("I ") && !reason.starts_with("I'") => {
            first.to_lowercase().chain(chars).collect::<String>()
        }
        _ => reason.to_string(),
    };
    if !text.ends_with(['.', '!', '?']) {
        text.push('.');
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    fn facts(relationship: Option<Relationship>) -> DraftFacts<'static> {
        DraftFacts {
            me: Some("Sam Reed"),
            introducer: "Maria Lopez",
            relationship,
            last_contact: NaiveDate::from_ymd_opt(2025, 10, 1),
            target: "Dana Ortiz",
            target_title: Some("Vice President"),
            target_company: Some("Goldman Sachs"),
            target_field: Some("Finance"),
            reason: Some("I am applying to analyst roles in investment banking"),
            via: Via::None,
        }
    }

    #[test]
    fn a_draft_never_says_the_introducer_knows_a_target_they_reach_through_someone() {
        let direct = request(&facts(Some(Relationship::Friend))).body;
        assert!(
            direct.contains("I noticed you know Dana Ortiz ("),
            "{direct}"
        );
        let through = request(&DraftFacts {
            via: Via::Person("Ray Stone"),
            ..facts(Some(Relationship::Friend))
        })
        .body;
        assert!(
            through.contains("I noticed you know Ray Stone, who knows Dana Ortiz ("),
            "{through}"
        );
        assert!(
            through.contains("ask Ray whether they'd introduce me"),
            "{through}"
        );
        assert!(through.contains("20-30 minute"), "{through}");
        let unknown = request(&DraftFacts {
            via: Via::Unknown,
            ..facts(Some(Relationship::Friend))
        })
        .body;
        assert!(!unknown.contains("you know Dana"), "{unknown}");
        assert!(
            unknown.contains("I'm hoping to meet Dana Ortiz ("),
            "{unknown}"
        );
    }

    #[test]
    fn a_request_has_every_part_the_issue_asks_for() {
        let draft = request(&facts(Some(Relationship::Family)));
        let body = &draft.body;
        assert!(draft.subject.contains("Dana Ortiz"));
        assert!(body.starts_with("Hi Maria,"), "{body}");
        assert!(body.contains("October 2025"), "last contact: {body}");
        assert!(body.contains("family"), "relationship: {body}");
        assert!(
            body.contains("Dana Ortiz (Vice President at Goldman Sachs, in Finance)"),
            "{body}"
        );
        assert!(
            body.contains("because I am applying to analyst roles in investment banking."),
            "{body}"
        );
        assert!(body.contains("20-30 minute informational conversation"));
        assert!(
            body.contains("anything I can do for you"),
            "help back: {body}"
        );
        assert!(body.contains("rather not"), "an easy no: {body}");
        assert!(body.trim_end().ends_with("Sam Reed"));
    }

    #[test]
    fn the_tone_follows_the_relationship() {
        let family = request(&facts(Some(Relationship::Family))).body;
        let professor = request(&facts(Some(Relationship::Professor))).body;
        let colleague = request(&facts(Some(Relationship::Colleague))).body;
        let unknown = request(&facts(None)).body;
        assert!(professor.starts_with("Dear Maria Lopez,"), "{professor}");
        assert!(professor.contains("your classes"));
        assert!(colleague.contains("working together"));
        assert!(unknown.starts_with("Hello Maria,"));
        let bodies = [&family, &professor, &colleague, &unknown];
        for (i, a) in bodies.iter().enumerate() {
            for b in &bodies[i + 1..] {
                assert_ne!(a, b);
            }
            assert!(a.contains("20-30 minute"));
        }
        assert_eq!(Tone::of(Some(Relationship::Friend)), Tone::Warm);
        assert_eq!(Tone::of(Some(Relationship::Mentor)), Tone::Respectful);
        assert_eq!(Tone::of(Some(Relationship::Classmate)), Tone::Collegial);
        assert_eq!(Tone::of(Some(Relationship::Other)), Tone::Brief);
    }

    #[test]
    fn without_a_reason_the_field_says_why_and_missing_facts_are_left_out() {
        let mut bare = facts(Some(Relationship::Colleague));
        bare.reason = None;
        bare.target_title = None;
        bare.target_company = None;
        bare.last_contact = None;
        bare.me = None;
        let body = request(&bare).body;
        assert!(body.contains("I'm exploring Finance"), "{body}");
        assert!(body.contains("you know Dana Ortiz (in Finance)."), "{body}");
        assert!(body.trim_end().ends_with("[your name]"));
        bare.target_field = None;
        assert!(request(&bare).body.contains("you know Dana Ortiz."));
    }

    #[test]
    fn a_reconnect_note_catches_up_and_asks_for_nothing() {
        let note = reconnect(&facts(Some(Relationship::Friend)));
        assert!(note.body.starts_with("Hi Maria,"));
        assert!(note.body.contains("since October 2025"));
        for relationship in Relationship::ALL.map(Some).into_iter().chain([None]) {
            let note = reconnect(&facts(relationship));
            for absent in [
                "Dana", "Goldman", "introduc", "20-30", "favour", "help", "first", "ask",
            ] {
                assert!(!note.body.contains(absent), "{absent}: {}", note.body);
                assert!(!note.subject.contains(absent));
            }
        }
    }

    #[test]
    fn a_reason_reads_as_the_end_of_a_sentence() {
        assert_eq!(sentence("Curious about VC"), "curious about VC.");
        assert_eq!(sentence("I'm curious!"), "I'm curious!");
    }
}
