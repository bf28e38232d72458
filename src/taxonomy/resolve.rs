//! Query text → fields (FIELDS.md §5): exact field id; then, on the query in its table form
//! (`normalize::query_form`) with filler words removed, exact synonym/abbreviation/label/external-vocabulary
//! lookup (also singularised, or by Snowball stem); the goal after a story ("... looking for X"); a "who"
//! clause as the person it describes, or failing that its object alone; the query without a trailing
//! place; several synonyms inside a longer query ("fintech or vc"); parts joined by "and"/"or"; a company
//! name; an occupation title ("actuary"); an edit-distance typo of the whole text; partial matches; the
//! text again with each misspelt word respelt; and last the `lexicon` of every vocabulary's words. Roles
//! that are not fields ("founders") answer with a hint. docs/fields.md "How query text resolves" is the
//! user's account of the same.

use super::{FieldIdx, Resolution, ResolvedField, Taxonomy};

/// Filler removed from queries ("someone in finance" → "finance"); matched as whole normalised words.
#[rustfmt::skip]
const FILLER: &[&str] = &[
    "someone", "somebody", "anyone", "people", "person", "folks", "who", "works", "work", "working",
    "in", "at", "the", "a", "an", "industry", "industries", "sector", "field", "jobs", "job",
    "careers", "career", "space", "world", "or", "and", "with", "background", "experience",
    "company", "companies", "firm", "firms", "business", "businesses", "organization",
    "organizations", "organisation", "organisations", "employer", "employers", "scene", "studio",
    "studios", "maker", "makers", "brands", "companys", "compnies", "comapnies",
    "compagnies",
    // The request around the words: "does anyone know a banker", "can you connect me to a lawyer".
    "i", "me", "my", "you", "we", "our", "do", "does", "can", "could", "would", "know", "knows",
    "need", "want", "meet", "find", "looking", "for", "to", "get", "into", "help", "introduce",
    "introduction", "intro", "connect", "friend", "friends", "contact", "contacts", "connection",
    "connections", "mentor", "mentors", "summer", "internship", "internships", "new", "grad",
    "grads", "entry", "level", "anybody", "everyone", "everybody", "is", "are", "there", "any",
    // A parent asking for a child: "my son hopes to become a vet", "my daughter wants to go pro".
    "son", "daughter", "sons", "daughters", "kid", "kids", "child", "children", "niece", "nephew",
    "cousin", "her", "his", "their", "wants", "hopes", "hope", "become", "be", "applying", "apply",
    // Requests in other Englishes: "please do the needful", "I search contact in", "persons of".
    "persons", "please", "kindly", "needful", "search", "searching", "seeking", "seek", "ppl",
    "look", "looks", "this",
    // Students and alumni are asking about the field they study: "econ majors", "MPA grads".
    "major", "majors", "student", "students", "graduates", "alumni", "alumnus", "alum", "alums",
    "undergrad", "undergrads", "cadet", "cadets",
    // The same request in French, Spanish, Portuguese and German: "quelqu'un dans l'industrie
    // pharmaceutique", "alguien trabajando en una consultora", "jemand im Krankenhaus".
    "quelquun", "dans", "une", "le", "les", "travaille", "travaillant", "alguien",
    "alguem", "trabaja", "trabajando", "trabajar", "trabalha", "trabalhando", "en", "el", "los",
    "las", "una", "jemand", "jemanden", "im", "bei", "einer", "einem", "ein", "eine", "der", "die",
    "arbeitet",
];

/// Roles and seniority that are filters on `title=`, not fields (FIELDS.md §3), in the singular; a plural
/// ("founders") answers with its singular, and "sales" is its own word, not the plural of "sale".
#[rustfmt::skip]
const ROLES: &[&str] = &[
    "founder", "cofounder", "co founder", "ceo", "executive", "sales", "operations",
    "entrepreneur", "pm", "md", "manager", "director", "vp", "vice president",
    "business development", "bizdev", "program manager", "project manager", "chief of staff",
    "cto", "coo", "cmo", "cio", "general management", "leadership", "serial entrepreneur",
];

/// Words after a role that keep it a role: "sales team", "sales reps", "founding team" is not listed.
#[rustfmt::skip]
const ROLE_COMPANIONS: &[&str] = &[
    "team", "teams", "people", "person", "persons", "staff", "rep", "reps", "representative",
    "representatives", "role", "roles", "leader", "leaders", "professional", "professionals",
    "position", "positions", "job", "jobs",
];

/// Endings that make a person of a role word: "salesmen", "salespeople", "saleswoman".
const PERSON_ENDINGS: &[&str] = &["man", "men", "woman", "women", "person", "people"];

pub(super) fn resolve(taxonomy: &Taxonomy, query: &str) -> Resolution {
    let mut resolution = Resolution {
        query: query.to_string(),
        fields: Vec::new(),
        company: None,
        title: None,
        hint: None,
    };
    if let Some(idx) = taxonomy.field(query) {
        push(
            taxonomy,
            &mut resolution,
            &[idx],
            ("field id", "field id".to_string()),
            1.0,
        );
        return resolution;
    }
    let normalized = super::normalize::query_form(query);
    let tables = &taxonomy.tables;
    // Try the query as written first: "banking and finance" and "wall street" are synonyms, filler or not;
    // then without filler at its ends ("public sector jobs" → "public sector"), then without any.
    let stripped = strip_filler_outside_phrases(taxonomy, &normalized);
    let mut texts = trimmed_forms(&normalized);
    // A whole query naming a role ("business development") is a role before any of its words is a field.
    for text in &texts {
        if tables.synonyms.contains_key(text) {
            break;
        }
        if let Some(role) = role(text) {
            return role_hint(resolution, &stripped, role);
        }
    }
    texts.push(stripped.clone());
    for text in &texts {
        if let Some(found) = exact(taxonomy, text) {
            let (fields, via, reason, score) = found;
            push(taxonomy, &mut resolution, &fields, (via, reason), score);
            return resolution;
        }
    }
    if stripped.is_empty() {
        resolution.hint = Some("type a field such as finance, law or software".to_string());
        return resolution;
    }
    // "Nephew is finishing maritime academy — any deck officers on container ships?": of several
    // sentences or clauses, the last one that names a field is the request.
    if let Some(found) = last_clause(taxonomy, query) {
        return Resolution {
            query: query.to_string(),
            ..found
        };
    }
    // "people who drive trucks" is "truck drivers".
    // "career changer from the army looking for logistics jobs": the field is the goal, the words
    // before it are the asker's story.
    if let Some(goal) = goal_part(&normalized) {
        let found = resolve(taxonomy, &goal);
        if !found.fields.is_empty() {
            return Resolution {
                query: query.to_string(),
                ..found
            };
        }
    }
    // "a senior iOS developer who has shipped consumer apps": the person is named before the
    // clause that describes them further.
    // "engineers who design pacemakers": a person named only by a generic role is what the clause
    // says they do; the role alone answers when the clause says nothing the tables know.
    let mut generic_named = None;
    if let Some(named) = named_before_clause(&normalized) {
        let found = resolve(taxonomy, &named);
        if found.fields.first().is_some_and(|f| f.score >= 0.7) {
            let found = Resolution {
                query: query.to_string(),
                ..found
            };
            if !GENERIC_PERSONS.contains(&singular_words(&strip_filler(&named)).as_str()) {
                return found;
            }
            generic_named = Some(found);
        }
    }
    let described = described_agents(&normalized);
    let mut found: Vec<Resolution> = Vec::new();
    let multiword_object = described.iter().any(|(a, o)| *o && a.contains(' '));
    for (agent, object_only) in &described {
        // A confident answer first: a guess from a partial match or the vocabularies would be
        // about the rewritten words, not the person ("app builder" is not a builder). One word of
        // the object read as a job title waits for the clause's phrases ("makes logos and posters"
        // is no bill poster's work).
        let resolution = resolve(taxonomy, agent);
        let deferred = *object_only && !agent.contains(' ') && multiword_object;
        if !deferred && resolution.fields.first().is_some_and(|f| f.score >= 0.7) {
            return Resolution {
                query: query.to_string(),
                ..resolution
            };
        }
        found.push(resolution);
    }
    // Then the listed phrases anywhere in the clause ("folks who fight fires and run rescue calls").
    if let Some(clause) = clause_words(&normalized).filter(|_| !described.is_empty()) {
        let clause = strip_filler(&clause);
        let singular = singular_words(&clause);
        // The verb alone is no phrase: "designs insulin pumps" is not design.
        let find = |text: &str| {
            let verb = text.split(' ').next().unwrap_or_default();
            let mut found = tables.synonym_phrases.find(text);
            found.retain(|m| m.start > 0 || m.end > verb.len());
            found
        };
        let phrases = find(&clause);
        let (text, phrases) = if phrases.is_empty() {
            (singular.as_str(), find(&singular))
        } else {
            (clause.as_str(), phrases)
        };
        if !phrases.is_empty() {
            let text = (text, coordinated(&normalized));
            push_phrases(taxonomy, &mut resolution, text, &phrases, 0.6);
            return resolution;
        }
    }
    // Then any answer about the object alone ("who fixes teeth"): the verb's words would only
    // mislead the vocabularies ("builds", "makes" and "operates" fill manufacturing's titles).
    let object_answer = described
        .iter()
        .zip(found)
        .find(|((_, object_only), resolution)| *object_only && !resolution.fields.is_empty());
    if let Some((_, resolution)) = object_answer {
        return Resolution {
            query: query.to_string(),
            ..resolution
        };
    }
    if let Some(found) = generic_named {
        return found;
    }
    // "a law firm in london": a place after the field says nothing about it.
    if let Some(before) = without_place(taxonomy, &normalized) {
        let mut found = resolve(taxonomy, &before);
        if !found.fields.is_empty() {
            found.query = query.to_string();
            return found;
        }
    }
    if let Some(role) = role(&stripped) {
        return role_hint(resolution, &stripped, role);
    }
    // Words joined by "and"/"or", each a whole query of its own: "startups and vcs", where "startups"
    // counts only on its own.
    if let Some(parts) = conjuncts(taxonomy, &normalized) {
        for (fields, via, reason, score) in parts {
            push(taxonomy, &mut resolution, &fields, (via, reason), score);
        }
        keep_widest(&mut resolution);
        return resolution;
    }
    // Several synonyms that together cover the query ("fintech or vc"), as written or in the singular
    // word by word ("judges and lawyers" is "judge" and "lawyer"); partial cover waits for the typo step.
    let phrases = tables.synonym_phrases.find(&stripped);
    let singular = singular_words(&stripped);
    let cover = if covers(&stripped, &phrases) {
        Some((stripped.as_str(), phrases.clone()))
    } else if singular != stripped {
        let found = tables.synonym_phrases.find(&singular);
        covers(&singular, &found).then_some((singular.as_str(), found))
    } else {
        None
    };
    if let Some((text, found)) = cover {
        let text = (text, coordinated(&normalized));
        push_phrases(taxonomy, &mut resolution, text, &found, 0.9);
        return resolution;
    }
    // "Bain & Company": the filler word "company" may be part of the name.
    let company = texts
        .iter()
        .flat_map(|text| super::normalize::company_keys(text))
        .find_map(|k| tables.company_names.get(k.as_str()));
    if let Some(index) = company {
        resolution.company = Some(tables.companies[*index].name.clone());
        resolution.hint = Some("a company, not a field: filter targets with company=".to_string());
        return resolution;
    }
    if let Some(found) = job_at_employer(taxonomy, &normalized) {
        for (fields, reason) in found {
            push(
                taxonomy,
                &mut resolution,
                &fields,
                ("occupation", reason),
                0.7,
            );
        }
        return resolution;
    }
    // An occupation title ("actuary", "registered nurse") when it matches the whole query; a title that
    // only partly matches ("invesment banking" → "banking") comes after the typo fallback.
    let occupation = taxonomy.classify(&singular, "", None);
    let occupation_fields: Vec<FieldIdx> = occupation
        .fields
        .iter()
        .filter_map(|id| taxonomy.field(id))
        .collect();
    let whole_title = occupation.evidence.iter().any(|e| e.matched == singular);
    let reason = format!("occupation title {stripped:?}");
    if whole_title && !occupation_fields.is_empty() {
        let via = ("occupation", reason);
        push(taxonomy, &mut resolution, &occupation_fields, via, 0.7);
        return resolution;
    }
    if let Some((key, fields)) = typo(taxonomy, &stripped).or_else(|| typo(taxonomy, &singular)) {
        push(
            taxonomy,
            &mut resolution,
            &fields,
            ("typo", format!("typo of {key:?}")),
            0.5,
        );
        return resolution;
    }
    // A partly matched title before the listed phrases, unless it is only a word found inside a
    // longer occupation title ("logos and posters": "poster" is a bill poster's).
    let title_first = phrases.is_empty()
        || occupation
            .evidence
            .iter()
            .any(|e| !e.rule.ends_with("sub-phrase"));
    if title_first && !occupation_fields.is_empty() {
        // "a plant manager at a plastics factory": a phrase naming a sub-field of the title's field
        // says which part of it.
        let narrowed: Vec<FieldIdx> = occupation_fields
            .iter()
            .map(|&field| {
                let parent = &taxonomy.get(field).id;
                phrases
                    .iter()
                    .flat_map(|m| tables.synonym_phrases.payload(m).iter().copied())
                    .find(|&sub| is_child_of(&taxonomy.get(sub).id, parent))
                    .unwrap_or(field)
            })
            .collect();
        let via = ("occupation", reason);
        push(taxonomy, &mut resolution, &narrowed, via, 0.6);
        return resolution;
    }
    if !phrases.is_empty() {
        let text = (stripped.as_str(), coordinated(&normalized));
        push_phrases(taxonomy, &mut resolution, text, &phrases, 0.6);
        return resolution;
    }
    // Misspelt words one by one ("recuitment agencies", "restuarant owners"), then every step again.
    let lexicon = tables.lexicon();
    let respelt: Vec<&str> = stripped
        .split(' ')
        .map(|w| {
            let grammar = ROLE_COMPANIONS.contains(&w) || CLAUSE_FILLER.contains(&w);
            if grammar {
                w
            } else {
                lexicon.spelled(w).unwrap_or(w)
            }
        })
        .collect();
    let respelt = respelt.join(" ");
    if respelt != stripped {
        let mut found = resolve(taxonomy, &respelt);
        // Only a match of the respelt words, not the vocabularies' guess about them.
        if found.fields.first().is_some_and(|f| f.score > 0.4) {
            for field in &mut found.fields {
                field.reason = format!("typo of {respelt:?}: {}", field.reason);
                field.via = "typo";
                field.score = field.score.min(0.5);
            }
            found.query = query.to_string();
            return found;
        }
    }
    let words: Vec<&str> = stripped.split(' ').collect();
    if let Some((field, used)) = lexicon.resolve(taxonomy, &words) {
        let reason = format!("vocabulary words {:?}", used.join(" "));
        push(
            taxonomy,
            &mut resolution,
            &[field],
            ("vocabulary", reason),
            0.4,
        );
        return resolution;
    }
    resolution.hint = Some(format!(
        "the nearest fields are {}",
        nearest_labels(taxonomy, &stripped).join(", ")
    ));
    resolution
}

/// Words between "who" and the verb ("who does", "who can") and after it ("sells houses for a living").
#[rustfmt::skip]
const CLAUSE_FILLER: &[&str] = &[
    "do", "does", "can", "could", "will", "would", "actually", "really", "professionally", "for",
    "on", "at", "with", "a", "an", "the", "their", "people", "living", "stuff", "things", "in",
    "someone", "somebody", "anyone", "anybody", "persons",
];

/// The words before a "who" clause when they name someone beyond filler: "a nurse who moved
/// into case management" is a nurse, "someone who drives trucks" names no one before the clause.
fn named_before_clause(normalized: &str) -> Option<String> {
    let words: Vec<&str> = normalized.split(' ').collect();
    let at = words
        .iter()
        .position(|w| CLAUSE_MARKERS.contains(w) && *w != "that")?;
    // "my son is a student who would love to work at a chipmaker": the wish is the request.
    let wish = words[at..]
        .iter()
        .any(|w| WISH_WORDS.contains(w) || GOAL_VERBS.contains(w));
    if wish {
        return None;
    }
    let before = words[..at].join(" ");
    (!strip_filler(&before).is_empty()).then_some(before)
}

/// Where a query's sentences and clauses part: "... academy — any deck officers ...?".
const CLAUSE_BREAKS: &[&str] = &[". ", "? ", "! ", "; ", ": ", " — ", " – ", " - ", ", so "];

/// Where a wish is refined after the request: "defense contractors, ideally someone cleared".
const REFINEMENTS: &[&str] = &[", ideally ", ", preferably ", ", especially "];

/// The last sentence or clause of a query of several that names a field with some confidence.
fn last_clause(taxonomy: &Taxonomy, query: &str) -> Option<Resolution> {
    if let Some(at) = REFINEMENTS.iter().filter_map(|r| query.find(r)).min() {
        let found = resolve(taxonomy, &query[..at]);
        if found.fields.first().is_some_and(|f| f.score >= 0.6) {
            // "public accounting, ideally audit": a part of the field asked for narrows it.
            let narrower = resolve(taxonomy, &query[at + 2..]);
            let narrows = !narrower.fields.is_empty()
                && narrower
                    .fields
                    .iter()
                    .all(|n| found.fields.iter().any(|f| is_child_of(&n.field, &f.field)));
            return Some(if narrows { narrower } else { found });
        }
    }
    let mut parts = vec![query.trim()];
    for separator in CLAUSE_BREAKS {
        parts = parts
            .iter()
            .flat_map(|part| part.split(separator))
            .map(str::trim)
            .filter(|part| !part.is_empty())
            .collect();
    }
    if parts.len() < 2 {
        return None;
    }
    parts.iter().rev().find_map(|part| {
        let found = resolve(taxonomy, part);
        found
            .fields
            .first()
            .is_some_and(|f| f.score >= 0.6)
            .then_some(found)
    })
}

/// A job at a kind of employer, as a contact's title and company (FIELDS.md §4.3): "software
/// developers at a regional bank" are in software and banking, "plant managers at an auto parts
/// supplier" in automotive manufacturing, "an ICU nurse at a teaching hospital" in nursing alone.
/// Only when the words before "at" are a whole occupation title and the words after it name a
/// field; "a startup" names none here.
fn job_at_employer(taxonomy: &Taxonomy, normalized: &str) -> Option<Vec<(Vec<FieldIdx>, String)>> {
    let words: Vec<&str> = normalized.split(' ').collect();
    let at = words.iter().position(|w| *w == "at")?;
    let title = singular_words(&strip_filler(&words[..at].join(" ")));
    let employer: Vec<&str> = words[at + 1..]
        .iter()
        .copied()
        .filter(|w| !matches!(*w, "startup" | "startups"))
        .collect();
    let employer = strip_filler(&employer.join(" "));
    if title.is_empty() || employer.is_empty() {
        return None;
    }
    let job = taxonomy.classify(&title, "", None);
    if !job.evidence.iter().any(|e| e.matched == title) {
        return None;
    }
    let mut fields: Vec<FieldIdx> = job
        .fields
        .iter()
        .filter_map(|id| taxonomy.field(id))
        .collect();
    let place = resolve(taxonomy, &employer);
    // A listed phrase at the end of the employer's words is its head ("a big bank"); one before
    // it only modifies another head ("a commercial property insurer").
    let head_phrase = taxonomy
        .tables
        .synonym_phrases
        .find(&employer)
        .iter()
        .any(|m| m.end == employer.len());
    let confident = place
        .fields
        .iter()
        .all(|f| f.score >= 0.7 || f.score >= 0.6 && head_phrase);
    if fields.is_empty() || place.fields.is_empty() || !confident {
        return None;
    }
    let mut added = Vec::new();
    for id in &place.fields {
        let Some(field) = taxonomy.field(&id.field) else {
            continue;
        };
        let top = taxonomy.top(field);
        match fields.iter().position(|f| taxonomy.top(*f) == top) {
            // The employer says which part of the job's field: a plant manager at a plastics maker.
            Some(at) if is_child_of(&id.field, taxonomy.id_of(fields[at])) => fields[at] = field,
            Some(_) => {}
            None => added.push(field),
        }
    }
    // An employer in the job's own field is the job's kind of place: audit at a Big Four firm is
    // not consulting.
    let shares_field = added.len() < place.fields.len();
    let mut found = vec![(fields, format!("occupation title {title:?}"))];
    if !added.is_empty() && !shares_field {
        found.push((added, format!("employer {employer:?}")));
    }
    Some(found)
}

/// The words after the first clause marker: "people who sell homes" → "sell homes".
fn clause_words(normalized: &str) -> Option<String> {
    let words: Vec<&str> = normalized.split(' ').collect();
    let at = words.iter().position(|w| CLAUSE_MARKERS.contains(w))?;
    Some(words[at + 1..].join(" "))
}

/// Words that open a clause describing the person: "someone who", "people that", "whoever".
const CLAUSE_MARKERS: &[&str] = &["who", "that", "whose", "whoever"];

/// Persons named by a role found in many fields: "engineers who design pacemakers" are what the
/// clause says, not software engineers.
#[rustfmt::skip]
const GENERIC_PERSONS: &[&str] = &[
    "engineer", "scientist", "researcher", "worker", "technician", "specialist", "expert",
    "professional", "analyst", "consultant", "manager", "designer", "folk", "those", "guy", "one",
    "economist",
];

/// Words that end a clause's direct object.
const PREPOSITIONS: &[&str] = &[
    "to", "for", "from", "at", "on", "in", "with", "after", "inside", "by",
];

/// The person a "who" clause describes, as the words people look up: "people who drive trucks" →
/// "truck driver", "truck driving"; "someone who writes for a newspaper" → "newspaper writer".
fn described_agents(normalized: &str) -> Vec<(String, bool)> {
    let words: Vec<&str> = normalized.split(' ').collect();
    let Some(at) = words.iter().position(|w| CLAUSE_MARKERS.contains(w)) else {
        return Vec::new();
    };
    // "whose job is making logos": the verb comes after what the clause is about.
    let mut after = at + 1;
    if words[at] == "whose" {
        while words
            .get(after)
            .is_some_and(|w| matches!(*w, "job" | "work" | "role" | "is" | "was" | "involves"))
        {
            after += 1;
        }
    }
    let rest: Vec<&str> = words[after..]
        .iter()
        .copied()
        .skip_while(|w| CLAUSE_FILLER.contains(w))
        .collect();
    let Some((verb, object)) = rest.split_first() else {
        return Vec::new();
    };
    // "whoever can help me get a job" is the request, not a description.
    if matches!(*verb, "help" | "helps") && object.first().is_some_and(|w| FILLER.contains(w)) {
        return Vec::new();
    }
    // The direct object before a preposition ("sells drugs to doctors", "makes chips for computers"),
    // tried first, and only for a confident answer: the whole object may say more ("manages money
    // for rich families").
    let direct: Vec<&str> = match object.iter().position(|w| PREPOSITIONS.contains(w)) {
        Some(at) => object[..at]
            .iter()
            .copied()
            .filter(|w| !CLAUSE_FILLER.contains(w))
            .collect(),
        None => Vec::new(),
    };
    let object: Vec<&str> = object
        .iter()
        .copied()
        .filter(|w| !CLAUSE_FILLER.contains(w))
        .collect();
    if object.len() > 5 {
        return Vec::new();
    }
    let base = if let Some(stem) = verb.strip_suffix("ies") {
        format!("{stem}y")
    } else if verb.ends_with("sses") || verb.ends_with("ches") || verb.ends_with("shes") {
        verb[..verb.len() - 2].to_string()
    } else if verb.ends_with('s') && !verb.ends_with("ss") {
        verb[..verb.len() - 1].to_string()
    } else {
        (*verb).to_string()
    };
    let agent = if base.ends_with('e') {
        format!("{base}r")
    } else {
        format!("{base}er")
    };
    let gerund = match base.strip_suffix('e') {
        Some(stem) if !base.ends_with("ee") => format!("{stem}ing"),
        _ => format!("{base}ing"),
    };
    if object.is_empty() {
        // "people that paint": the verb alone.
        return vec![(agent, false), (gerund, false)];
    }
    let whole = singular_words(&object.join(" "));
    let mut agents = Vec::new();
    if !direct.is_empty() && direct.len() < object.len() {
        let direct = singular_words(&direct.join(" "));
        agents.push((format!("{direct} {agent}"), false));
        agents.push((direct, false));
    }
    agents.extend([
        (format!("{whole} {agent}"), false),
        (format!("{whole} {gerund}"), false),
        (whole.clone(), true),
    ]);
    // A longer object is tried word by word, its head (last word) first: "treat sick pets" is about
    // pets.
    if object.len() > 1 {
        for word in whole.split(' ').rev() {
            agents.push((word.to_string(), true));
        }
    }
    agents
}

/// Words that name a field on their own but only a kind of workplace or activity next to a word
/// naming another: "manufacturing" in "electronics manufacturing", "lab" in "a biotech lab".
#[rustfmt::skip]
const GENERIC_HEADS: &[&str] = &[
    "manufacturing", "manufacturer", "manufacturers", "factory", "factories", "plant", "plants",
    "research", "science", "sciences", "lab", "labs", "laboratory", "laboratories", "school",
    "schools", "industry", "developer", "developers", "brand",
];

/// Teachers named after what they teach: the subject before them is not the field asked for.
#[rustfmt::skip]
const TEACHERS: &[&str] = &[
    "professor", "professors", "teacher", "teachers", "lecturer", "lecturers", "instructor",
    "instructors", "prof", "profs",
];

/// Words that start what the asker is after: "looking for", "move into", "join".
#[rustfmt::skip]
const GOAL_VERBS: &[&str] = &[
    "looking", "searching", "seeking", "hunting", "move", "moving", "switch", "switching",
    "transition", "transitioning", "pivot", "pivoting", "get", "getting", "break", "breaking",
    "go", "going", "join", "joining", "work", "working", "talk", "speak", "chat",
];

/// The words after the last goal ("looking for", "move into", "join") when words before it tell a
/// story of their own: "my mom is a nurse and wants to move into hospital administration".
fn goal_part(normalized: &str) -> Option<String> {
    let words: Vec<&str> = normalized.split(' ').collect();
    let preposition = |i: usize| {
        matches!(
            words.get(i),
            Some(&("for" | "to" | "into" | "in" | "on" | "at" | "as" | "about" | "with"))
        )
    };
    // Where the goal starts after a marker at `at`, or `None` when the word is no marker there.
    let goal_start = |at: usize| -> Option<usize> {
        let word = words[at];
        if word.starts_with("join")
            || WISH_WORDS.contains(&word) && words.get(at + 1) != Some(&"to")
        {
            // "join a board", "want a job in ...".
            return Some(at + 1);
        }
        if WISH_WORDS.contains(&word) {
            // "want to try corporate communications", "like to talk to an in-house counsel",
            // "wants to move up in state government": past the verb, a particle and a preposition.
            let mut start = at + 3;
            if matches!(words.get(start), Some(&("up" | "over" | "back" | "out"))) {
                start += 1;
            }
            if preposition(start) {
                start += 1;
            }
            return Some(start);
        }
        if GOAL_VERBS.contains(&word) || CURIOUS_WORDS.contains(&word) {
            // Only with its preposition: "go to", "looking for", "curious about", not "get paid".
            return preposition(at + 1).then_some(at + 2);
        }
        None
    };
    // The last marker with words after it: "... want to pivot to event planning" ends in a wish word.
    let has_goal = |start: usize| {
        words
            .get(start..)
            .is_some_and(|goal| !strip_filler(&goal.join(" ")).is_empty())
    };
    let (at, start) = (0..words.len()).rev().find_map(|at| {
        goal_start(at)
            .filter(|s| has_goal(*s))
            .map(|start| (at, start))
    })?;
    let story = strip_filler(&words[..at].join(" "));
    (!story.is_empty()).then(|| words[start..].join(" "))
}

/// Wishes whose object is the goal: "want a job in ...", "would like to talk to ...".
const WISH_WORDS: &[&str] = &[
    "want", "wants", "wanted", "like", "hoping", "hope", "hopes", "plan", "plans", "planning",
    "aiming", "aim", "trying", "love", "need", "needs", "meet",
];

/// Interest followed by its preposition: "curious about the auto industry".
const CURIOUS_WORDS: &[&str] = &["curious", "interested", "passionate", "keen"];

/// Words that put a place after what the query asks for: "lawyers in london", "banks near boston".
const PLACE_WORDS: &[&str] = &["in", "near", "around", "across", "based", "from"];

/// The query before its last place clause, when the clause names nothing the tables know ("in london",
/// but not "in finance" or "in venture capital").
fn without_place(taxonomy: &Taxonomy, normalized: &str) -> Option<String> {
    let words: Vec<&str> = normalized.split(' ').collect();
    let at = words.iter().rposition(|w| PLACE_WORDS.contains(w))?;
    let (before, after) = (words[..at].join(" "), words[at + 1..].join(" "));
    let known = |text: &str| {
        !taxonomy.tables.synonym_phrases.find(text).is_empty()
            || exact(taxonomy, text).is_some()
            || !taxonomy
                .classify(&singular_words(text), "", None)
                .fields
                .is_empty()
    };
    let named = !strip_filler(&before).is_empty();
    (named && !after.is_empty() && !known(&after)).then_some(before)
}

fn role_hint(mut resolution: Resolution, stripped: &str, role: &str) -> Resolution {
    resolution.hint = Some(format!(
        "{stripped:?} is a role, not a field: filter targets with title={role}"
    ));
    resolution.title = Some(role.to_string());
    resolution
}

/// The role a query names ("founders" → "founder", "sales team" → "sales", "salesmen" → "sales").
fn role(stripped: &str) -> Option<&'static str> {
    let listed = |text: &str| ROLES.iter().find(|r| **r == text).copied();
    let singular = |text: &str| listed(text).or_else(|| listed(text.strip_suffix('s')?));
    if let Some(role) = singular(stripped) {
        return Some(role);
    }
    // "sales team", "general management roles": a role and then only words for its people.
    let words: Vec<&str> = stripped.split(' ').collect();
    for at in (1..words.len()).rev() {
        if words[at..]
            .iter()
            .all(|word| ROLE_COMPANIONS.contains(word))
            && let Some(role) = singular(&words[..at].join(" "))
        {
            return Some(role);
        }
    }
    // "ceo or cto": roles joined by "and"/"or" are the first of them.
    let parts: Vec<&str> = stripped
        .split(' ')
        .filter(|w| !matches!(*w, "and" | "or"))
        .collect();
    if parts.len() >= 2 && parts.len() < words.len() && parts.iter().all(|w| singular(w).is_some())
    {
        return singular(parts[0]);
    }
    PERSON_ENDINGS
        .iter()
        .find_map(|ending| listed(stripped.strip_suffix(ending)?))
}

/// Whether the query joins words with "and"/"or" ("advertising and marketing") rather than qualifying
/// one by another ("solar energy").
fn coordinated(normalized: &str) -> bool {
    normalized
        .split(' ')
        .any(|word| matches!(word, "and" | "or" | "plus"))
}

type Exact = (Vec<FieldIdx>, &'static str, String, f64);

/// The exact matches of each part of a query joined by "and", "or" or "plus", when every part has one.
fn conjuncts(taxonomy: &Taxonomy, normalized: &str) -> Option<Vec<Exact>> {
    if !coordinated(normalized) {
        return None;
    }
    let mut parts: Vec<Vec<&str>> = vec![Vec::new()];
    for word in normalized.split(' ') {
        if matches!(word, "and" | "or" | "plus") {
            parts.push(Vec::new());
        } else if let Some(last) = parts.last_mut() {
            last.push(word);
        }
    }
    let mut found = Vec::new();
    for part in parts.iter().filter(|p| !p.is_empty()) {
        let text = part.join(" ");
        let stripped = strip_filler(&text);
        if stripped.is_empty() {
            continue;
        }
        let mut forms = trimmed_forms(&text);
        forms.push(stripped);
        found.push(forms.iter().find_map(|form| exact(taxonomy, form))?);
    }
    (found.len() >= 2).then_some(found)
}

fn push_phrases(
    taxonomy: &Taxonomy,
    resolution: &mut Resolution,
    (text, coordinated): (&str, bool),
    phrases: &[super::phrase::PhraseMatch],
    score: f64,
) {
    // "electronics manufacturing", "a biotech lab", "vet school": a generic head yields to the
    // field its modifier names; joined by "and"/"or" it is a field of its own.
    let is_head = |m: &super::phrase::PhraseMatch| GENERIC_HEADS.contains(&&text[m.start..m.end]);
    let modified = !coordinated && phrases.iter().any(|m| !is_head(m));
    // "economics professors", "math teachers": what a teacher teaches is not their field.
    let teaches = |m: &super::phrase::PhraseMatch| TEACHERS.contains(&&text[m.start..m.end]);
    let teacher_at = phrases
        .iter()
        .find(|m| !coordinated && teaches(m))
        .map(|m| m.start);
    let subject = |m: &super::phrase::PhraseMatch| teacher_at.is_some_and(|at| m.end <= at);
    let kept = |m: &&super::phrase::PhraseMatch| !(subject(m) || modified && is_head(m));
    for m in phrases.iter().filter(kept) {
        let fields = taxonomy.tables.synonym_phrases.payload(m).clone();
        let reason = format!("phrase {:?}", &text[m.start..m.end]);
        push(taxonomy, resolution, &fields, ("phrase", reason), score);
    }
    if coordinated {
        // A union: "advertising and marketing" is all of marketing, which includes advertising.
        keep_widest(resolution);
    } else {
        // A qualified phrase: "solar energy" is energy/renewables, not also energy.
        let ids: Vec<String> = resolution.fields.iter().map(|f| f.field.clone()).collect();
        resolution
            .fields
            .retain(|f| !ids.iter().any(|other| is_child_of(other, &f.field)));
    }
}

/// Whether the phrases found cover every word of the text.
fn covers(text: &str, phrases: &[super::phrase::PhraseMatch]) -> bool {
    let covered: usize = phrases
        .iter()
        .map(|m| text[m.start..m.end].split(' ').count())
        .sum();
    !phrases.is_empty() && covered == text.split(' ').count()
}

fn is_child_of(child: &str, parent: &str) -> bool {
    child
        .strip_prefix(parent)
        .is_some_and(|rest| rest.starts_with('/'))
}

/// Drop every field whose parent is also in the answer: a union of fields is its widest ones.
fn keep_widest(resolution: &mut Resolution) {
    let ids: Vec<String> = resolution.fields.iter().map(|f| f.field.clone()).collect();
    resolution
        .fields
        .retain(|f| !ids.iter().any(|other| is_child_of(&f.field, other)));
}

/// An answer names at most three fields: beyond that, sub-fields sharing a parent give way to the
/// parent ("law, consulting or banking" is law, consulting and finance, not both kinds of bank).
pub(super) fn at_most_three(taxonomy: &Taxonomy, resolution: &mut Resolution) {
    while resolution.fields.len() > 3 {
        let parent_of = |f: &ResolvedField| {
            let idx = taxonomy.field(&f.field)?;
            taxonomy.get(idx).parent
        };
        let shared = resolution.fields.iter().enumerate().find_map(|(i, f)| {
            let parent = parent_of(f)?;
            let j = (i + 1..resolution.fields.len())
                .find(|j| parent_of(&resolution.fields[*j]) == Some(parent))?;
            Some((i, j, parent))
        });
        let Some((i, _, parent)) = shared else {
            return;
        };
        let parent_id = taxonomy.get(parent).id.clone();
        resolution.fields[i].field = parent_id.clone();
        // The parent covers its other children (the sibling at `j` among them), and appears once.
        let mut k = 0;
        resolution.fields.retain(|f| {
            let keep = k == i || (f.field != parent_id && parent_of(f) != Some(parent));
            k += 1;
            keep
        });
    }
}

/// Each word in the singular, for occupation lookups ("asset managers" → "asset manager").
fn singular_words(text: &str) -> String {
    text.split(' ')
        .map(|word| {
            let keep = word.len() <= 3 || ["ss", "us", "is"].iter().any(|end| word.ends_with(end));
            if keep {
                word.to_string()
            } else if let Some(stem) = word.strip_suffix("ies") {
                format!("{stem}y")
            } else {
                word.strip_suffix('s').unwrap_or(word).to_string()
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// The text, then without leading filler, then dropping trailing filler one word at a time.
fn trimmed_forms(normalized: &str) -> Vec<String> {
    let mut words: Vec<&str> = normalized.split(' ').collect();
    let mut forms = vec![normalized.to_string()];
    let leading = words.iter().take_while(|w| FILLER.contains(w)).count();
    words.drain(..leading);
    while !words.is_empty() {
        let form = words.join(" ");
        if !forms.contains(&form) {
            forms.push(form);
        }
        match words.last() {
            Some(last) if FILLER.contains(last) => {
                words.pop();
            }
            _ => break,
        }
    }
    forms
}

/// Filler removed, except inside a phrase the synonyms list whose other words are not filler:
/// "externship hosts at law firms" keeps "law firms" (private practice), not just "law".
fn strip_filler_outside_phrases(taxonomy: &Taxonomy, normalized: &str) -> String {
    let phrases = taxonomy.tables.synonym_phrases.find(normalized);
    let kept: Vec<(usize, usize)> = phrases
        .iter()
        .map(|m| (m.start, m.end))
        .filter(|(start, end)| {
            let words: Vec<&str> = normalized[*start..*end].split(' ').collect();
            words.len() > 1
                && words.iter().any(|w| FILLER.contains(w))
                && words.iter().any(|w| !FILLER.contains(w))
        })
        .collect();
    strip_filler_keeping(normalized, &kept)
}

fn strip_filler(normalized: &str) -> String {
    strip_filler_keeping(normalized, &[])
}

/// Filler removed except for words inside the given byte ranges.
fn strip_filler_keeping(normalized: &str, kept: &[(usize, usize)]) -> String {
    let mut offset = 0;
    let mut out: Vec<&str> = Vec::new();
    for token in normalized.split(' ') {
        let inside = kept
            .iter()
            .any(|(start, end)| offset >= *start && offset < *end);
        if inside || !FILLER.contains(&token) {
            out.push(token);
        }
        offset += token.len() + 1;
    }
    out.join(" ")
}

/// Exact lookup of the whole text, then of its singular ("hedge funds" → "hedge fund", "lawyers" → "lawyer"),
/// then with its last word changed from the person to the activity ("coders" → "coding").
fn exact(taxonomy: &Taxonomy, text: &str) -> Option<Exact> {
    let synonyms = &taxonomy.tables.synonyms;
    let mut candidates = vec![text.to_string()];
    for suffix in ["ies", "es", "s"] {
        if let Some(stem) = text.strip_suffix(suffix).filter(|s| s.len() >= 2) {
            candidates.push(if suffix == "ies" {
                format!("{stem}y")
            } else {
                stem.to_string()
            });
        }
    }
    let literal = candidates.len();
    for index in 0..literal {
        let (head, last) = match candidates[index].rsplit_once(' ') {
            Some((head, last)) => (format!("{head} "), last.to_string()),
            None => (String::new(), candidates[index].clone()),
        };
        for variant in word_variants(&last) {
            candidates.push(format!("{head}{variant}"));
        }
    }
    let found = candidates.iter().enumerate().find_map(|(index, key)| {
        let synonym = synonyms.get(key.as_str())?;
        let score = match synonym.kind {
            "field id" | "field label" | "synonym" => 1.0,
            "abbreviation" => 0.95,
            _ => 0.85,
        };
        let (score, reason) = if index < literal {
            (score, format!("{} {key:?}", synonym.kind))
        } else {
            (
                score - 0.1,
                format!("{} {key:?} (from {text:?})", synonym.kind),
            )
        };
        Some((synonym.fields.clone(), synonym.kind, reason, score))
    });
    found.or_else(|| same_stem(taxonomy, text))
}

/// A synonym whose words share their stems with the text's ("lobbying" → "lobby"), when every phrase with
/// those stems names the same fields.
fn same_stem(taxonomy: &Taxonomy, text: &str) -> Option<Exact> {
    let key = taxonomy
        .tables
        .stemmed_synonyms
        .get(&super::stem_key(text))?
        .as_ref()?;
    let synonym = taxonomy.tables.synonyms.get(key)?;
    let reason = format!("{} {key:?} (same stem as {text:?})", synonym.kind);
    Some((synonym.fields.clone(), synonym.kind, reason, 0.8))
}

/// Endings that turn a person into what they do: (person ending, activity endings), the activity made
/// from the word without its ending; `+` stands for the whole word. "engineer" → "engineering", "coder" →
/// "coding", "researcher" → "research", "investor" → "investing", "educator" → "education", "journalist"
/// → "journalism", "psychologist" → "psychology", "dentist" → "dentistry", "artist" → "art", "musician" →
/// "music", "politician" → "politics", "accountant" → "accounting", "insurer" → "insurance", "financier" →
/// "finance", "hotelier" → "hotel", and back: "computing" → "computer".
#[rustfmt::skip]
const AGENT_ENDINGS: &[(&str, &[&str])] = &[
    ("er", &["+ing", "ing", "", "ance"]),
    ("or", &["ing", "ion"]),
    ("ist", &["ism", "y", "istry", ""]),
    ("ian", &["", "y", "s"]),
    ("ant", &["ing", "ancy"]),
    ("ier", &["", "e"]),
    ("ing", &["er"]),
];

/// Other forms of one word naming the same activity, for synonym lookups; never the word itself.
fn word_variants(word: &str) -> Vec<String> {
    let mut variants: Vec<String> = Vec::new();
    for (person, activities) in AGENT_ENDINGS {
        let Some(stem) = word.strip_suffix(person).filter(|stem| stem.len() >= 3) else {
            continue;
        };
        for activity in *activities {
            let variant = match activity.strip_prefix('+') {
                Some(ending) => format!("{word}{ending}"),
                None => format!("{stem}{activity}"),
            };
            if variant != word && !variants.contains(&variant) {
                variants.push(variant);
            }
        }
    }
    variants
}

/// Damerau–Levenshtein ≤ 1 for 5+ characters, ≤ 2 for 9+ (FIELDS.md §5 step 4); nearest phrase wins.
fn typo(taxonomy: &Taxonomy, text: &str) -> Option<(String, Vec<FieldIdx>)> {
    let length = text.chars().count();
    let allowed = match length {
        0..=4 => return None,
        5..=8 => 1,
        _ => 2,
    };
    let mut best: Option<(usize, &String)> = None;
    for key in taxonomy.tables.synonyms.keys() {
        if key.len().abs_diff(text.len()) > allowed {
            continue;
        }
        let distance = strsim::damerau_levenshtein(text, key);
        let better = match best {
            None => true,
            Some((d, k)) => distance < d || (distance == d && key < k),
        };
        if distance <= allowed && better {
            best = Some((distance, key));
        }
    }
    let (_, key) = best?;
    Some((
        key.clone(),
        taxonomy.tables.synonyms.get(key)?.fields.clone(),
    ))
}

fn nearest_labels(taxonomy: &Taxonomy, text: &str) -> Vec<String> {
    let mut scored: Vec<(f64, &str)> = taxonomy
        .fields()
        .iter()
        .filter(|f| f.parent.is_none())
        .map(|f| {
            (
                strsim::normalized_damerau_levenshtein(text, &f.id),
                f.id.as_str(),
            )
        })
        .collect();
    scored.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(b.1)));
    scored
        .iter()
        .take(3)
        .map(|(_, id)| id.to_string())
        .collect()
}

/// Append fields in the given order, each once, with a slightly lower score for later ones;
/// `matched` is the kind of match (`via`) and its reason.
fn push(
    taxonomy: &Taxonomy,
    resolution: &mut Resolution,
    fields: &[FieldIdx],
    matched: (&'static str, String),
    score: f64,
) {
    let (via, reason) = matched;
    for (rank, idx) in fields.iter().enumerate() {
        let id = taxonomy.get(*idx).id.clone();
        if resolution.fields.iter().any(|f| f.field == id) {
            continue;
        }
        let score = (score - 0.05 * rank as f64).max(0.05);
        resolution.fields.push(ResolvedField {
            field: id,
            reason: reason.clone(),
            via,
            score,
        });
    }
}

#[cfg(test)]
mod tests {
    use super::super::Taxonomy;

    fn fields(query: &str) -> Vec<String> {
        Taxonomy::embedded()
            .resolve(query)
            .fields
            .into_iter()
            .map(|f| f.field)
            .collect()
    }

    #[test]
    fn a_job_at_a_kind_of_employer_is_read_as_title_and_company() {
        assert_eq!(
            fields("software developers at a regional bank"),
            ["software/engineering", "finance/banking"]
        );
        // The employer narrows the job's own field, or adds nothing when it shares it.
        assert_eq!(
            fields("plant managers at an auto parts supplier"),
            ["manufacturing/automotive"]
        );
        assert_eq!(
            fields("external audit at a Big Four firm"),
            ["accounting/audit"]
        );
        // A phrase that only modifies the employer's head says nothing about it.
        assert_eq!(
            fields("an underwriter at a commercial property insurer"),
            ["insurance/underwriting"]
        );
    }

    #[test]
    fn of_several_sentences_the_last_that_names_a_field_is_the_request() {
        assert_eq!(
            fields("Nephew is finishing maritime academy — any deck officers on container ships?"),
            ["transport/maritime"]
        );
        assert_eq!(
            fields(
                "After 20 years teaching chemistry I'm changing careers. Anyone at a specialty chemicals maker?"
            ),
            ["manufacturing/chemicals-materials"]
        );
    }

    #[test]
    fn one_word_of_a_longer_object_waits_for_the_clauses_phrases() {
        assert_eq!(
            fields("someone who makes logos and posters"),
            ["arts/design"]
        );
        assert_eq!(
            fields("engineers who design pacemakers and surgical tools"),
            ["life_sciences/medical-devices"]
        );
    }

    #[test]
    fn a_place_after_the_field_is_dropped_but_a_field_after_in_is_kept() {
        assert_eq!(
            fields("anyone at a law firm in london"),
            ["law/private-practice"]
        );
        assert_eq!(fields("dentists in boston"), ["healthcare/dentistry"]);
        assert_eq!(
            fields("someone in venture capital in london"),
            ["finance/venture-capital"]
        );
        assert_eq!(fields("lawyers near me"), ["law"]);
        assert_eq!(fields("jobs in finance"), ["finance"]);
        // Nothing before the place: no field is made up from it.
        assert!(fields("in london").is_empty());
    }

    #[test]
    fn british_spellings_find_the_american_entries() {
        assert_eq!(fields("defence contractors"), fields("defense contractors"));
        let resolution = Taxonomy::embedded().resolve("programme managers");
        assert!(resolution.fields.is_empty());
        assert_eq!(resolution.title.as_deref(), Some("program manager"));
    }

    #[test]
    fn a_whole_query_naming_a_role_is_a_role_even_when_a_word_of_it_is_a_field() {
        let resolution = Taxonomy::embedded().resolve("business development");
        assert!(resolution.fields.is_empty(), "{:?}", resolution.fields);
        assert_eq!(resolution.title.as_deref(), Some("business development"));
        // A listed phrase made of filler and a role stays a field.
        assert_eq!(fields("people operations"), ["hr_recruiting/hr"]);
    }

    #[test]
    fn a_who_clause_is_the_person_it_describes() {
        assert_eq!(fields("someone who drives trucks"), ["transport/logistics"]);
        assert_eq!(fields("someone who drives trucks"), fields("truck drivers"));
        // A parent asking for a child: the family and wish words are filler.
        assert_eq!(fields("my daughter wants to be a vet"), fields("vet"));
        // No confident person: the object alone answers, without the verb's words.
        assert!(!fields("patents").is_empty());
        assert_eq!(fields("someone who files patents"), fields("patents"));
        // The direct object before a preposition, when it answers confidently.
        assert_eq!(
            fields("someone who sells drugs to doctors"),
            fields("drugs")
        );
        assert_ne!(fields("drugs to doctors"), fields("drugs"));
    }

    #[test]
    fn an_answer_names_at_most_three_fields_siblings_giving_way_to_their_parent() {
        assert_eq!(fields("banking").len(), 2);
        assert_eq!(
            fields("law, consulting or banking"),
            ["law", "consulting", "finance"]
        );
        // The parent a merge makes takes the place of its other children.
        assert_eq!(
            fields("doctors, nurses, dentists and law"),
            ["healthcare", "law"]
        );
    }

    #[test]
    fn parts_joined_by_or_are_read_each_as_a_whole_query_first() {
        assert_eq!(
            fields("retail stores or e-commerce"),
            ["retail/stores", "retail/ecommerce"]
        );
        assert_eq!(fields("retail and e-commerce"), ["retail"]);
    }

    #[test]
    fn a_wish_word_that_ends_the_query_is_not_its_goal() {
        // "planning" is a wish word ("planning to ..."), here it is the goal's last word.
        assert_eq!(
            fields("been in hotel sales and want to pivot to corporate event planning"),
            ["hospitality/events"]
        );
    }

    #[test]
    fn the_person_named_before_a_who_clause_is_the_one_asked_for() {
        assert_eq!(
            fields("a publicist who knows the trade press"),
            fields("a publicist")
        );
        // Unless the clause holds the wish: "a student who would love to work at a chipmaker".
        assert_eq!(
            fields("my son is a nursing student who would love to work at a chipmaker"),
            fields("a chipmaker")
        );
    }

    #[test]
    fn servers_alone_are_machines_and_beside_a_restaurant_waiters() {
        assert_eq!(
            fields("anyone who builds servers"),
            ["hardware/computer-hardware"]
        );
        assert_eq!(fields("restaurant servers"), ["hospitality/restaurants"]);
    }

    #[test]
    fn a_listed_phrase_keeps_its_filler_words() {
        assert_eq!(fields("law firms"), ["law/private-practice"]);
        assert_eq!(fields("externship hosts at law firms"), fields("law firms"));
    }

    #[test]
    fn industry_words_in_other_languages_resolve() {
        assert_eq!(
            fields("quelqu'un dans l'industrie pharmaceutique"),
            ["life_sciences/pharma"]
        );
        assert_eq!(fields("jemand im Krankenhaus"), ["healthcare"]);
        assert_eq!(fields("una cadena de supermercados"), ["retail/stores"]);
        assert_eq!(fields("Halbleiterindustrie"), ["hardware/semiconductors"]);
        // A word English reads otherwise keeps its English meaning.
        assert_eq!(fields("audit and assurance"), ["accounting/audit"]);
    }

    #[test]
    fn misspelt_words_are_respelt_one_by_one() {
        assert!(!fields("restaurant owners").is_empty());
        assert_eq!(fields("restuarant owners"), fields("restaurant owners"));
        assert_eq!(
            fields("recuitment agencies"),
            fields("recruitment agencies")
        );
        let lexicon = Taxonomy::embedded().tables.lexicon();
        assert_eq!(lexicon.spelled("restuarant"), Some("restaurant"));
        // A known word, a short one and one whose first letter differs stay as they are.
        assert_eq!(lexicon.spelled("restaurant"), None);
        assert_eq!(lexicon.spelled("bnak"), None);
        assert_eq!(lexicon.spelled("xestaurant"), None);
    }

    #[test]
    fn the_goal_after_a_story_is_what_the_query_asks_for() {
        let army = "career changer from the army looking for logistics jobs";
        assert_eq!(fields(army), fields("logistics"));
        assert_ne!(fields(army), fields("army"));
        let nurse = "my mom is a nurse and wants to move into hospital administration";
        assert_eq!(fields(nurse), fields("hospital administration"));
        let navy = "my husband just left the navy and wants to work on cargo ships";
        assert_eq!(fields(navy), fields("cargo ships"));
        let clerk = "I'm a county clerk and want to move up in state government";
        assert_eq!(fields(clerk), fields("state government"));
        let engineer = "semi-retired engineer in Munich curious about the auto industry";
        assert_eq!(fields(engineer), fields("the auto industry"));
        let ghana = "back from volunteering in Ghana and want a job in international development";
        assert_eq!(fields(ghana), fields("international development"));
        // No story before it: the goal words are the query as before.
        assert_eq!(super::goal_part("looking for logistics jobs"), None);
        assert_eq!(super::goal_part("people who get paid to write"), None);
    }

    #[test]
    fn letters_joined_by_an_ampersand_or_dots_are_one_word() {
        assert_eq!(fields("FP&A"), ["finance/corporate-finance"]);
        assert_eq!(fields("M&A"), fields("mergers and acquisitions"));
        assert_eq!(fields("H.R."), fields("hr"));
        // Longer words around "and" still join two fields.
        assert_eq!(fields("ai and ml"), ["software/data-ai"]);
        // Texting's "n" between words is "and".
        assert_eq!(fields("ppl in tech n finance"), fields("tech and finance"));
        assert_eq!(fields("tech and finance").len(), 3);
        assert_eq!(fields("hotels + events"), fields("hotels and events"));
    }

    #[test]
    fn clipped_words_and_student_words_are_read() {
        assert!(!fields("asset management").is_empty());
        assert_eq!(fields("asset-mgmt"), fields("asset management"));
        assert_eq!(
            fields("healthcare-admin"),
            fields("healthcare administration")
        );
        assert_eq!(fields("mfg"), fields("manufacturing"));
        assert_eq!(fields("econ majors"), fields("economics"));
        assert_eq!(fields("nursing students"), fields("nursing"));
    }

    #[test]
    fn a_generic_head_yields_to_the_field_its_modifier_names() {
        assert_eq!(
            fields("electronics manufacturing"),
            ["hardware/electronics"]
        );
        assert_eq!(fields("a biotech lab"), ["life_sciences/biotech"]);
        // Joined by "and", both are fields.
        let both = fields("electronics and manufacturing");
        assert!(both.contains(&"manufacturing".to_string()), "{both:?}");
    }

    #[test]
    fn roles_of_several_words_and_roles_joined_by_or_are_roles() {
        for query in [
            "general management roles",
            "ceo or cto??",
            "leadership positions",
        ] {
            let resolution = Taxonomy::embedded().resolve(query);
            assert!(
                resolution.fields.is_empty(),
                "{query}: {:?}",
                resolution.fields
            );
            assert!(resolution.title.is_some(), "{query}");
        }
    }

    #[test]
    fn words_sharing_a_stem_with_a_synonym_find_it() {
        let resolution = Taxonomy::embedded().resolve("accountancy");
        assert_eq!(resolution.fields[0].field, "accounting");
        assert!(resolution.fields[0].reason.contains("same stem"));
    }

    #[test]
    fn an_unlisted_word_is_answered_from_the_vocabularies_when_they_agree() {
        let resolution = Taxonomy::embedded().resolve("zoos");
        assert_eq!(resolution.fields[0].field, "arts/museums");
        assert_eq!(resolution.fields[0].via, "vocabulary");
        assert!(fields("xyzzy plugh").is_empty());
        // Words about the job rather than its field name none.
        for query in [
            "remote work",
            "part time",
            "high paying jobs",
            "people who are hiring",
        ] {
            assert!(fields(query).is_empty(), "{query}: {:?}", fields(query));
        }
    }
}
