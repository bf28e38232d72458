//! Classification of one person from title, company and email domain (FIELDS.md §4.2–§4.3).
//!
//! Tiers: curated title phrases (strong), curated company lists (strong), O*NET/ESCO exact titles (medium),
//! email domains (medium, only when the company says nothing), company-name rules (medium or weak),
//! O*NET/ESCO sub-phrases (weak). Title evidence is the occupation, company evidence the industry; both are
//! kept. Weak evidence is dropped when stronger evidence names another field. Generic titles ("Analyst",
//! "Partner") match generic phrases that carry no field, so the employer decides.

use super::normalize::{
    company_core, company_keys, expand_title, normalize, strip_seniority, without_region,
};
use super::tables::{Company, Position, Strength};
use super::{Classification, Evidence, FieldIdx, FieldMask, Taxonomy};
use std::borrow::Cow;

/// One piece of evidence before the precedence rules run.
struct Found {
    field: FieldIdx,
    source: &'static str,
    matched: String,
    rule: &'static str,
    strength: Strength,
    /// For employer evidence: whether the firm is a pure play (its sub-field may reach generic titles).
    pure_play: Option<bool>,
    /// For title evidence: an industry word that is not the head of the title ([`INDUSTRY_MODIFIERS`]).
    modifier: Modifier,
}

/// Where an industry word stands in the title ([`INDUSTRY_MODIFIERS`]).
#[derive(Clone, Copy, PartialEq)]
enum Modifier {
    /// The head of the title, or not an industry word: the occupation.
    Head,
    /// Before generic role words only ("Consulting Engineer"): yields to a known employer of another field.
    BeforeRole,
    /// Before the head of another field ("Automotive Journalist"): kept only when the employer is in
    /// the industry it names ("Telecom Network Engineer" at AT&T).
    BeforeHead,
}

/// Computed fields are capped (FIELDS.md §4.3 rule 5).
const MAX_FIELDS: usize = 3;

/// Single-word titles never looked up as sub-phrases: they name a role in every field.
#[rustfmt::skip]
const GENERIC_HEADS: &[&str] = &[
    "analyst", "associate", "engineer", "technician", "specialist", "manager", "director",
    "consultant", "partner", "officer", "coordinator", "assistant", "administrator", "supervisor",
    "advisor", "adviser", "agent", "representative", "clerk", "operator", "worker", "inspector",
    "planner", "designer", "developer", "architect", "scientist", "researcher", "writer", "editor",
    "producer", "president", "owner", "founder", "intern", "trainee", "instructor", "trainer",
    "broker", "dealer", "examiner", "investigator", "estimator", "controller", "counselor",
    "therapist", "attendant", "aide", "member", "leader", "strategist", "expert", "professional",
    "executive", "fellow", "lead", "head", "chief", "service", "services", "support", "operations",
    "business", "sales", "product", "project", "program",
];

/// Words that name a role or a level in every field. A title made of these alone ("Program Coordinator",
/// "Operations Director", "Support Analyst") is not looked up in O*NET/ESCO, whose exact titles file such
/// combinations under whichever occupation happened to list them; the employer decides. Unlike
/// [`GENERIC_HEADS`], this leaves out heads that carry a field next to another role word ("Staff Writer",
/// "Executive Producer", "Level Designer", "Broker Associate").
#[rustfmt::skip]
const ROLE_WORDS: &[&str] = &[
    "analyst", "associate", "engineer", "technician", "specialist", "manager", "director",
    "consultant", "partner", "officer", "coordinator", "assistant", "administrator", "supervisor",
    "advisor", "adviser", "agent", "representative", "clerk", "operator", "worker", "inspector",
    "planner", "developer", "member", "leader", "expert", "professional", "executive", "fellow",
    "lead", "head", "chief", "deputy", "senior", "junior", "staff", "principal", "vice", "president",
    "service", "services", "support", "operations", "business", "sales", "product", "project",
    "program", "programme", "aide", "attendant", "of", "and",
];

/// Title phrases naming an industry, which are the occupation only as the head of the title: before
/// another field's head they name its beat or clients ("Automotive Journalist", "Aerospace Medicine
/// Physician"), and before a generic role they yield to a known employer of another field ("Consulting
/// Engineer" at a utility is in energy, "Clinical Consultant" at a device maker in life sciences).
#[rustfmt::skip]
const INDUSTRY_MODIFIERS: &[&str] = &[
    "consulting", "clinical", "veterinary", "biotech", "broadcast", "film", "gaming", "telecom",
    "automotive", "aerospace", "retail", "concierge", "hospitality", "healthcare", "manufacturing",
];

/// Email providers that say nothing about the employer.
#[rustfmt::skip]
const FREE_MAIL: &[&str] = &[
    "gmail.com", "googlemail.com", "yahoo.com", "yahoo.co.uk", "hotmail.com", "hotmail.co.uk",
    "outlook.com", "live.com", "msn.com", "icloud.com", "me.com", "mac.com", "aol.com",
    "protonmail.com", "proton.me", "gmx.com", "gmx.de", "web.de", "yandex.ru", "mail.ru", "qq.com",
    "163.com", "mail.com", "comcast.net", "verizon.net", "att.net", "btinternet.com", "orange.fr",
    "free.fr", "fastmail.com", "hey.com",
];

pub(super) fn classify(
    taxonomy: &Taxonomy,
    title: &str,
    company: &str,
    department: Option<&str>,
    email: Option<&str>,
) -> Classification {
    let mut found = Vec::new();
    let present = present_roles(title);
    let title = present.as_ref();
    let title_normalized = if title.contains('@') {
        normalize(&title.replace('@', " at "))
    } else {
        normalize(title)
    };
    let (title_part, company_hint) = match title_normalized.split_once(" at ") {
        Some((role, employer)) if !role.is_empty() => (role, Some(employer)),
        _ => (title_normalized.as_str(), None),
    };
    let expanded = expand_title(title_part);
    let department_at = department_start(title, &expanded);
    title_evidence(taxonomy, &expanded, department_at, &mut found);
    let employer = match company_hint {
        Some(hint) if company.trim().is_empty() => hint,
        _ => company,
    };
    let before_company = found.len();
    company_evidence(taxonomy, employer, department, &mut found);
    if let Some(email) = email.filter(|_| found.len() == before_company) {
        email_evidence(taxonomy, email, &mut found);
    }
    finish(taxonomy, found)
}

/// Leading words that make a headline segment a past role, a hope or a hobby, not the occupation:
/// "Former ICU Nurse", "Retired Police Officer", "Aspiring Data Scientist", "Amateur Photographer".
#[rustfmt::skip]
const NOT_CURRENT: &[&str] = &[
    "former", "formerly", "ex", "retired", "aspiring", "amateur", "recovering", "hobbyist",
    "future", "wannabe", "prospective", "onetime", "erstwhile",
];

/// Words that make a segment about someone else's work: "Proud Army Mom", "Navy Wife".
const NOT_OCCUPATION: &[&str] = &["mom", "dad", "mum", "wife", "husband", "spouse"];

/// The title without the headline segments that name no current occupation (FIELDS.md §4.2): segments
/// are split at `|`, `,`, `;` and bullets; a segment led by [`NOT_CURRENT`], holding a [`NOT_OCCUPATION`]
/// word or ending in "veteran" (past service: "Army Veteran", not "Veteran Journalist") is dropped, and
/// in "Teacher turned UX Designer" only the part after "turned" is kept. A leading "now" is dropped from
/// the segment it leads ("Former Nurse, now Product Manager at Stripe"). Every imported row passes
/// here, so a plain title comes back borrowed, without allocating.
fn present_roles(title: &str) -> Cow<'_, str> {
    let is_separator = |c: char| matches!(c, '|' | ',' | ';' | '•' | '·');
    if !title.contains(is_separator) && turned_at(title).is_none() && is_current(title) {
        return Cow::Borrowed(title);
    }
    let mut kept = Vec::new();
    for segment in title.split(is_separator) {
        let segment = match turned_at(segment) {
            Some(at) => &segment[at + " turned ".len()..],
            None => segment,
        };
        let segment = segment.trim();
        if segment.is_empty() || !is_current(segment) {
            continue;
        }
        let now = segment.get(..4).is_some_and(|lead| {
            lead.eq_ignore_ascii_case("now ") || lead.eq_ignore_ascii_case("now-")
        });
        kept.push(if now {
            segment[4..].trim_start()
        } else {
            segment
        });
    }
    Cow::Owned(kept.join(", "))
}

/// Where " turned " starts in a segment, any case ("Teacher Turned Designer").
fn turned_at(segment: &str) -> Option<usize> {
    segment
        .as_bytes()
        .windows(" turned ".len())
        .rposition(|window| window.eq_ignore_ascii_case(b" turned "))
}

/// Whether a segment names a current occupation: not led by [`NOT_CURRENT`], not ending in "veteran",
/// without a [`NOT_OCCUPATION`] word.
fn is_current(segment: &str) -> bool {
    let mut words = segment
        .split(|c: char| c.is_whitespace() || c == '-')
        .filter(|word| !word.is_empty());
    let first = words.next().unwrap_or("");
    let last = words.next_back().unwrap_or(first);
    !NOT_CURRENT
        .iter()
        .any(|word| word.eq_ignore_ascii_case(first))
        && !last.eq_ignore_ascii_case("veteran")
        && !segment
            .split(|c: char| !c.is_alphanumeric())
            .any(|word| NOT_OCCUPATION.iter().any(|n| n.eq_ignore_ascii_case(word)))
}

/// Where a title's department begins, in the expanded title: after the first comma or dash
/// ("Research Associate, Consumer & Retail"). `None` for a title of one segment.
fn department_start(title: &str, expanded: &str) -> Option<usize> {
    let cut = [",", " - ", " – ", " — ", " | "]
        .iter()
        .filter_map(|separator| title.find(separator))
        .min()?;
    let head = expand_title(&normalize(&title[..cut]));
    (!head.is_empty() && expanded.len() > head.len() && expanded.starts_with(&head))
        .then_some(head.len() + 1)
}

/// Top fields that are industries, not functions: named in a title's department ("VP, Technology,
/// Media & Telecom" at Lazard; "Director, Healthcare" at Google) they are the clients, the coverage
/// group or the vertical, and give way to an employer in another field.
#[rustfmt::skip]
const INDUSTRY_TOPS: &[&str] = &[
    "retail", "media", "healthcare", "energy", "manufacturing", "real_estate", "hospitality",
    "transport", "agriculture", "life_sciences", "construction", "hardware", "insurance", "arts",
    "nonprofit", "government", "education",
];

fn title_evidence(
    taxonomy: &Taxonomy,
    text: &str,
    department_at: Option<usize>,
    found: &mut Vec<Found>,
) {
    if text.is_empty() {
        return;
    }
    let tables = &taxonomy.tables;
    // Matched once as written; a German feminine title with no match, once more in the masculine,
    // which is kept only when it matches.
    let mut matches = tables.title_rules.find(text);
    let mut masculine = None;
    if matches.is_empty()
        && let Some(m) = german_masculine(text)
    {
        let found_masculine = tables.title_rules.find(&m);
        if !found_masculine.is_empty() {
            matches = found_masculine;
            masculine = Some(m);
        }
    }
    let text = masculine.as_deref().unwrap_or(text);
    let mut generic_only = false;
    let before = found.len();
    let tops = |fields: &[FieldIdx]| tops_of(taxonomy, fields.iter().copied());
    let subject = taught_subject(text);
    for m in &matches {
        let fields = tables.title_rules.payload(m);
        generic_only |= fields.is_empty();
        // "Professor of Marketing" teaches marketing; a clinical chair ("of Medicine") still
        // practises, and a "Research Professor" researches.
        let taught = subject
            .as_ref()
            .is_some_and(|words| words.contains(&m.start) && m.end <= words.end);
        if taught
            && !fields.iter().any(|f| {
                matches!(
                    taxonomy.id_of(taxonomy.top(*f)),
                    "healthcare" | "education" | "research"
                )
            })
        {
            continue;
        }
        let matched = &text[m.start..m.end];
        let industry_word = INDUSTRY_MODIFIERS.contains(&matched);
        // "Automotive Journalist", "Healthcare Recruiter", "Biotech Equity Research Analyst": the
        // industry word names the beat or the clients; the head after it names the occupation.
        let before_head = industry_word
            && matches.iter().any(|later| {
                let later_tops = tops(tables.title_rules.payload(later));
                later.start >= m.end && later_tops != 0 && later_tops & tops(fields) == 0
            });
        let rest = text[m.end..].trim();
        let in_department = department_at.is_some_and(|at| m.start >= at)
            && fields
                .iter()
                .all(|f| INDUSTRY_TOPS.contains(&taxonomy.id_of(taxonomy.top(*f))));
        let before_role = industry_word
            && !rest.is_empty()
            && rest.split(' ').all(|word| ROLE_WORDS.contains(&word));
        let modifier = if before_head {
            Modifier::BeforeHead
        } else if in_department || before_role {
            Modifier::BeforeRole
        } else {
            Modifier::Head
        };
        for field in fields {
            found.push(Found {
                field: *field,
                source: "title",
                matched: matched.to_string(),
                rule: "title phrase",
                strength: Strength::Strong,
                pure_play: None,
                modifier,
            });
        }
    }
    // Generic heads never decide alone: "Account Executive" is in O*NET, but says nothing about the field.
    if found.len() > before || generic_only {
        return;
    }
    let stripped = strip_seniority(text);
    let role_only = |t: &str| !t.is_empty() && t.split(' ').all(|word| ROLE_WORDS.contains(&word));
    if role_only(text) || role_only(&stripped) {
        return;
    }
    for key in [text, stripped.as_str()] {
        if let Some((field, rule)) = tables.occupations.get(key) {
            found.push(Found {
                field: *field,
                source: "title",
                matched: key.to_string(),
                rule,
                strength: Strength::Medium,
                pure_play: None,
                modifier: Modifier::Head,
            });
            return;
        }
    }
    sub_phrase_evidence(taxonomy, &stripped, found);
}

/// The words of a teacher's title that name what they teach: after "professor of", "lecturer in",
/// ..., or before a closing "teacher", "lecturer" or "professor" ("Business & Accounting Teacher").
fn taught_subject(text: &str) -> Option<std::ops::Range<usize>> {
    let after = [
        "professor of ",
        "professor in ",
        "lecturer in ",
        "lecturer of ",
        "teacher of ",
        "chair of ",
    ]
    .iter()
    .filter_map(|lead| text.find(lead).map(|at| at + lead.len()))
    .min();
    if let Some(at) = after {
        return Some(at..text.len());
    }
    ["teacher", "lecturer", "professor"]
        .iter()
        .find_map(|head| text.strip_suffix(head))
        .filter(|before| before.ends_with(' '))
        .map(|before| 0..before.len())
}

/// The title with German feminine job nouns in their masculine form, the form the title rules list
/// ("Grafikdesignerin" → "grafikdesigner", "Personalreferentin" → "personalreferent", "Köchin" →
/// "koch"): a word of six letters or more ending in -erin, -urin, -orin, -arin, -tin or -hin loses
/// its -in. `None` when no word changes. Only tried when the title as written matches no title rule,
/// and kept only when the masculine form does, so English words with these endings ("Latin",
/// "Bulletin") change nothing.
fn german_masculine(text: &str) -> Option<String> {
    let mut changed = false;
    let words: Vec<&str> = text
        .split(' ')
        .map(|word| {
            let feminine = word.len() >= 6
                && ["erin", "urin", "orin", "arin", "tin", "hin"]
                    .iter()
                    .any(|end| word.ends_with(end));
            changed |= feminine;
            if feminine {
                &word[..word.len() - 2]
            } else {
                word
            }
        })
        .collect();
    changed.then(|| words.join(" "))
}

/// Tier 6: the longest O*NET/ESCO title inside a longer title, never a generic head alone.
fn sub_phrase_evidence(taxonomy: &Taxonomy, stripped: &str, found: &mut Vec<Found>) {
    let bounds: Vec<(usize, usize)> = stripped
        .split(' ')
        .scan(0usize, |offset, token| {
            let start = *offset;
            *offset += token.len() + 1;
            Some((start, start + token.len()))
        })
        .collect();
    for width in (1..bounds.len()).rev() {
        for window in bounds.windows(width) {
            let key = &stripped[window[0].0..window[width - 1].1];
            if width == 1 && (key.len() < 6 || GENERIC_HEADS.contains(&key)) {
                continue;
            }
            if let Some((field, rule)) = taxonomy.tables.occupations.get(key) {
                found.push(Found {
                    field: *field,
                    source: "title",
                    matched: key.to_string(),
                    rule: if *rule == "onet title" {
                        "onet sub-phrase"
                    } else {
                        "esco sub-phrase"
                    },
                    strength: Strength::Weak,
                    pure_play: None,
                    modifier: Modifier::Head,
                });
                return;
            }
        }
    }
}

/// Splits "Goldman Sachs - IBD" / "J.P. Morgan (Investment Bank)" into the firm and its division.
fn split_division(raw: &str) -> (&str, Option<&str>) {
    if let Some(open) = raw.find('(') {
        let inner = raw[open + 1..].trim_end().trim_end_matches(')');
        return (&raw[..open], Some(inner));
    }
    for separator in [" - ", " – ", " — ", " | "] {
        if let Some((firm, division)) = raw.split_once(separator) {
            return (firm, Some(division));
        }
    }
    (raw, None)
}

fn push_company(
    found: &mut Vec<Found>,
    company: &Company,
    source: &'static str,
    rule: &'static str,
    strength: Strength,
) {
    for field in &company.fields {
        found.push(Found {
            field: *field,
            source,
            matched: company.name.clone(),
            rule,
            strength,
            pure_play: Some(company.pure_play),
            modifier: Modifier::Head,
        });
    }
}

/// `department` is the division an export gives in a column of its own (vCard `ORG`'s
/// second unit, Google's and Outlook's "Department"): read like a division in the name.
fn company_evidence(
    taxonomy: &Taxonomy,
    raw: &str,
    department: Option<&str>,
    found: &mut Vec<Found>,
) {
    let tables = &taxonomy.tables;
    let (firm, division) = split_division(raw);
    let normalized = normalize(firm);
    let by_name = |name: &str| {
        company_keys(name)
            .iter()
            .find_map(|key| tables.company_names.get(key.as_str()).copied())
    };
    // Last resort, a subsidiary named after its group and country: "Google India", "Deloitte UK".
    let known = by_name(&normalized)
        .or_else(|| {
            let first = tables
                .company_prefixes
                .find(&normalized)
                .into_iter()
                .next()?;
            (first.start == 0).then(|| *tables.company_prefixes.payload(&first))
        })
        .or_else(|| without_region(&normalized).and_then(by_name));
    if let Some(index) = known {
        let company = &tables.companies[index];
        push_company(found, company, "company", company.rule, Strength::Strong);
    } else {
        let core = company_core(&normalized);
        for m in tables.company_rules.find(core) {
            let rule = tables.company_rules.payload(&m);
            let placed = match rule.position {
                Position::Start => m.start == 0,
                Position::End => m.end == core.len(),
                Position::Anywhere => true,
            };
            if !placed {
                continue;
            }
            for field in &rule.fields {
                found.push(Found {
                    field: *field,
                    source: "company",
                    matched: core[m.start..m.end].to_string(),
                    rule: "company name rule",
                    strength: rule.strength,
                    pure_play: Some(true),
                    modifier: Modifier::Head,
                });
            }
        }
    }
    let department = department.map(str::trim).filter(|text| !text.is_empty());
    let divisions = [
        (division, "company division"),
        (department, "company department"),
    ];
    for (division, rule) in divisions {
        let Some(division) = division else {
            continue;
        };
        let text = expand_title(&normalize(division));
        for m in tables.title_rules.find(&text) {
            for field in tables.title_rules.payload(&m) {
                found.push(Found {
                    field: *field,
                    source: "company",
                    matched: text[m.start..m.end].to_string(),
                    rule,
                    strength: Strength::Strong,
                    pure_play: None,
                    modifier: Modifier::Head,
                });
            }
        }
    }
}

fn email_evidence(taxonomy: &Taxonomy, email: &str, found: &mut Vec<Found>) {
    let tables = &taxonomy.tables;
    let domain = email
        .rsplit_once('@')
        .map_or(email, |(_, d)| d)
        .trim()
        .trim_end_matches('.')
        .to_ascii_lowercase();
    if !domain.contains('.') || FREE_MAIL.contains(&domain.as_str()) {
        return;
    }
    // A city's school system under its own domain ("schools.nyc.gov", "bostonpublicschools.org")
    // is a school district, not the city.
    let first_label = domain.split('.').next().unwrap_or("");
    if domain.starts_with("schools.") || first_label.ends_with("publicschools") {
        if let Some(field) = taxonomy.field("education/k12") {
            found.push(Found {
                field,
                source: "email_domain",
                matched: domain,
                rule: "school district domain",
                strength: Strength::Medium,
                pure_play: Some(true),
                modifier: Modifier::Head,
            });
        }
        return;
    }
    let mut candidate = domain.as_str();
    loop {
        if let Some(index) = tables.domains.get(candidate) {
            let company = &tables.companies[*index];
            let rule = match company.rule {
                "university list" => "university domain",
                "dotgov list" => "dotgov list",
                _ => "curated company domain",
            };
            push_company(found, company, "email_domain", rule, Strength::Medium);
            return;
        }
        match candidate.split_once('.') {
            Some((_, rest)) if rest.contains('.') => candidate = rest,
            _ => break,
        }
    }
    // A listed company whose name is the domain: "amgen.com", "stryker.com" (the S&P 500 list
    // names no domains).
    let named = domain
        .strip_suffix(".com")
        .map(|rest| rest.rsplit('.').next().unwrap_or(rest))
        .filter(|label| label.len() >= 3)
        .and_then(|label| tables.company_names.get(label));
    if let Some(index) = named {
        let company = &tables.companies[*index];
        push_company(
            found,
            company,
            "email_domain",
            "company named by the domain",
            Strength::Medium,
        );
        return;
    }
    let by_suffix = if domain.ends_with(".mil") {
        Some(("government/military", ".mil domain"))
    } else if domain.contains(".k12.") {
        Some(("education/k12", "k12 domain"))
    } else if domain.ends_with(".gov") {
        Some(("government/state-local", ".gov domain"))
    } else if domain.ends_with(".us")
        && (domain.starts_with("state.") || domain.contains(".state."))
    {
        Some(("government/state-local", "state .us domain"))
    } else if domain.ends_with(".edu") || domain.contains(".edu.") || domain.contains(".ac.") {
        Some(("education/higher-ed", "academic domain"))
    } else if domain.contains(".gov.") || domain.contains(".gouv.") || domain.ends_with(".gc.ca") {
        Some(("government", "government domain"))
    } else {
        None
    };
    if let Some((field, rule)) = by_suffix.and_then(|(id, rule)| Some((taxonomy.field(id)?, rule)))
    {
        found.push(Found {
            field,
            source: "email_domain",
            matched: domain,
            rule,
            strength: Strength::Medium,
            pure_play: Some(true),
            modifier: Modifier::Head,
        });
    }
}

/// Title words whose field depends on the employer: (field the title rule gives, word in the matched
/// title, employer's top field, what the title means there; `None`: the employer's field alone). An
/// underwriter at a bank underwrites loans; a researcher or production manager at a broadcaster works in
/// television; an asset manager at a property firm manages buildings; a producer at an agency makes ads,
/// at an insurer sells policies, as a development officer there does; a store manager at a coffee chain
/// runs a restaurant.
/// Applied only when no employer evidence names the title's own top field (an underwriter at USAA,
/// insurer and bank, stays in insurance). Employer `*`: any employer whose field is known.
#[rustfmt::skip]
const EMPLOYER_READS: &[(&str, &str, &str, Option<&str>)] = &[
    ("insurance/underwriting", "underwriter", "finance", Some("finance/banking")),
    ("finance/asset-management", "asset manager", "real_estate", None),
    ("research", "researcher", "media", None),
    ("manufacturing", "production", "media", None),
    ("media/film-tv", "producer", "marketing", None),
    ("media/film-tv", "producer", "insurance", Some("insurance/brokerage")),
    ("nonprofit", "development officer", "insurance", None),
    ("retail/stores", "store manager", "hospitality", None),
    ("manufacturing", "process engineer", "energy", None),
    ("manufacturing", "process engineer", "life_sciences", None),
    ("energy/utilities", "lineman", "media", Some("media/telecom")),
    ("manufacturing", "production", "arts", None),
    ("manufacturing", "production", "agriculture", None),
    ("media/film-tv", "film", "manufacturing", None),
    ("media/film-tv", "film", "hardware", None),
    ("hospitality/hotels", "housekeeper", "healthcare", None),
    ("hospitality/hotels", "guest relations", "healthcare", None),
    ("research", "researcher", "hr_recruiting", None),
    ("research", "economist", "consulting", Some("consulting/economic")),
    ("hr_recruiting/hr", "benefits", "insurance", None),
    ("media/gaming", "gaming", "hospitality", None),
    ("manufacturing", "mechanical engineer", "construction", None),
    ("manufacturing", "process engineer", "hardware", None),
    ("media/telecom", "equipment technician", "hardware", None),
    ("research", "research associate", "finance", None),
    ("research", "research associate", "hr_recruiting", None),
    ("accounting/tax", "tax", "law", None),
    ("nonprofit/foundation", "philanthropic", "finance", None),
    ("media/publishing", "publishing", "life_sciences", None),
    // Functions found at any employer: a buyer at a hospital buys for the hospital.
    ("retail", "buyer", "*", None),
    ("retail/stores", "sales associate", "*", None),
    ("retail/stores", "cashier", "*", None),
    ("healthcare/administration", "practice manager", "*", None),
    ("media/publishing", "content writer", "*", Some("marketing")),
];

fn employer_reads_title(taxonomy: &Taxonomy, employer_tops: FieldMask, found: &mut Vec<Found>) {
    let has = |mask: FieldMask, id: &str| {
        taxonomy
            .field(id)
            .is_some_and(|f| mask & taxonomy.bit(taxonomy.top(f)) != 0)
    };
    found.retain_mut(|f| {
        if f.source != "title" {
            return true;
        }
        let title_field = taxonomy.id_of(f.field);
        let Some((_, _, _, meaning)) = EMPLOYER_READS.iter().find(|(field, word, employer, _)| {
            *field == title_field
                && f.matched.contains(word)
                && (*employer == "*" && employer_tops != 0 || has(employer_tops, employer))
                && !has(employer_tops, field)
        }) else {
            return true;
        };
        match meaning.and_then(|id| taxonomy.field(id)) {
            Some(field) => {
                f.field = field;
                true
            }
            None => false,
        }
    });
}

/// The top fields of some fields, as a mask.
fn tops_of(taxonomy: &Taxonomy, fields: impl Iterator<Item = FieldIdx>) -> FieldMask {
    fields.fold(0, |mask, f| mask | taxonomy.bit(taxonomy.top(f)))
}

/// Precedence (FIELDS.md §4.3): drop weak evidence contradicted by stronger, trim company sub-fields that
/// do not fit the occupation, refine a lawyer's sub-field from the employer, then keep at most 3 fields.
fn finish(taxonomy: &Taxonomy, mut found: Vec<Found>) -> Classification {
    let firm_tops = tops_of(
        taxonomy,
        found
            .iter()
            .filter(|f| f.strength != Strength::Weak)
            .map(|f| f.field),
    );
    if firm_tops != 0 {
        found.retain(|f| {
            f.strength != Strength::Weak || firm_tops & taxonomy.bit(taxonomy.top(f.field)) != 0
        });
    }
    let employer_tops = tops_of(
        taxonomy,
        found
            .iter()
            .filter(|f| f.pure_play.is_some())
            .map(|f| f.field),
    );
    found.retain(|f| {
        let in_employer = employer_tops & taxonomy.bit(taxonomy.top(f.field)) != 0;
        match f.modifier {
            Modifier::Head => true,
            Modifier::BeforeRole => employer_tops == 0 || in_employer,
            Modifier::BeforeHead => in_employer,
        }
    });
    employer_reads_title(taxonomy, employer_tops, &mut found);
    let title_tops = tops_of(
        taxonomy,
        found
            .iter()
            .filter(|f| f.source == "title")
            .map(|f| f.field),
    );
    for f in &mut found {
        let top = taxonomy.top(f.field);
        if let Some(pure_play) = f.pure_play {
            let fits = title_tops == 0 || (pure_play && title_tops & !taxonomy.bit(top) == 0);
            if !fits {
                f.field = top;
            }
        } else if f.source == "title"
            && f.field == top
            && taxonomy.id_of(top) == "law"
            && employer_tops != 0
        {
            let sub = if employer_tops & taxonomy.bit(top) != 0 {
                "law/private-practice"
            } else if taxonomy
                .field("government")
                .is_some_and(|g| employer_tops & taxonomy.bit(g) != 0)
            {
                "law/public-sector"
            } else {
                "law/in-house"
            };
            f.field = taxonomy.field(sub).unwrap_or(top);
        }
    }
    found.sort_by_key(|f| std::cmp::Reverse(f.strength as u8));
    let mut kept: Vec<FieldIdx> = Vec::new();
    let mut kept_tops: FieldMask = 0;
    for f in &found {
        let top_bit = taxonomy.bit(taxonomy.top(f.field));
        if kept_tops & top_bit == 0 && kept_tops.count_ones() as usize >= MAX_FIELDS {
            continue;
        }
        kept_tops |= top_bit;
        if !kept.contains(&f.field) {
            kept.push(f.field);
        }
    }
    // Most specific kept: a parent goes when one of its children is present.
    let present = kept.iter().fold(0u128, |m, f| m | taxonomy.bit(*f));
    kept.retain(|f| taxonomy.query_mask(*f) & present == taxonomy.bit(*f));
    let mut fields: Vec<String> = kept
        .iter()
        .map(|f| taxonomy.id_of(*f).to_string())
        .collect();
    fields.sort();
    fields.dedup();
    let mut evidence: Vec<Evidence> = Vec::new();
    for f in found
        .iter()
        .filter(|f| kept_tops & taxonomy.bit(taxonomy.top(f.field)) != 0)
    {
        let item = Evidence {
            field: taxonomy.id_of(f.field).to_string(),
            source: f.source,
            matched: f.matched.clone(),
            rule: f.rule.to_string(),
        };
        if !evidence.contains(&item) {
            evidence.push(item);
        }
    }
    Classification { fields, evidence }
}

#[cfg(test)]
mod tests {
    use super::{german_masculine, present_roles};
    use crate::taxonomy::Taxonomy;

    fn fields(title: &str, company: &str, email: Option<&str>) -> Vec<String> {
        Taxonomy::embedded().classify(title, company, email).fields
    }

    #[test]
    fn german_feminine_titles_are_read_in_the_masculine_form_the_rules_list() {
        assert_eq!(
            german_masculine("grafikdesignerin").as_deref(),
            Some("grafikdesigner")
        );
        assert_eq!(german_masculine("kochin").as_deref(), Some("koch"));
        assert_eq!(german_masculine("nurse"), None);
        assert_eq!(fields("Grafikdesignerin", "", None), ["arts/design"]);
        assert_eq!(fields("Personalreferentin", "", None), ["hr_recruiting/hr"]);
        assert_eq!(fields("Köchin", "", None), ["hospitality/restaurants"]);
        assert_eq!(fields("Chefredakteurin", "", None), ["media/journalism"]);
        assert_eq!(fields("Apothekerin", "", None), ["healthcare/pharmacy"]);
        assert_eq!(
            fields("Latin Teacher", "", None),
            fields("Teacher", "", None)
        );
    }

    #[test]
    fn an_industry_in_a_titles_department_gives_way_to_the_employer() {
        assert_eq!(
            fields("Research Associate, Consumer & Retail", "Jefferies", None),
            fields("Research Associate", "Jefferies", None)
        );
        // With no employer to give way to, the department still says something.
        assert_eq!(fields("Manager, Retail Operations", "", None), ["retail"]);
        // A function in the department is the occupation: software at a bank.
        assert!(
            fields(
                "Vice President, Software Engineering",
                "Goldman Sachs",
                None
            )
            .contains(&"software/engineering".to_string())
        );
    }

    #[test]
    fn a_citys_public_schools_domain_is_a_school_district() {
        assert_eq!(
            fields("", "", Some("mrs.diaz@bostonpublicschools.org")),
            ["education/k12"]
        );
    }

    #[test]
    fn a_listed_company_is_found_from_a_domain_that_is_its_name() {
        assert_eq!(
            fields("", "", Some("m.ross@amgen.com")),
            fields("", "Amgen", None)
        );
        assert!(!fields("", "", Some("m.ross@amgen.com")).is_empty());
        // Only for .com, and a free-mail host is no employer.
        assert!(fields("", "", Some("m.ross@gmail.com")).is_empty());
    }

    #[test]
    fn the_subject_a_professor_teaches_is_not_their_field() {
        assert_eq!(
            fields("Business & Accounting Teacher", "", None),
            fields("Teacher", "", None)
        );
        // A clinical chair ("of Medicine") still practises.
        assert_eq!(
            fields("Professor of Marketing", "", None),
            fields("Professor", "", None)
        );
        assert!(
            fields("Professor of Medicine", "", None)
                .iter()
                .any(|f| f.starts_with("healthcare"))
        );
    }

    #[test]
    fn the_employer_says_what_an_ambiguous_title_means() {
        assert_eq!(
            fields("Underwriter", "Wells Fargo", None),
            ["finance/banking"]
        );
        assert_eq!(
            fields("Underwriter", "Chubb", None),
            fields("Underwriter", "", None)
        );
        assert!(!fields("Researcher", "BBC Studios", None).contains(&"research".to_string()));
        assert_eq!(
            fields("Production Manager", "Warner Bros. Discovery", None),
            ["media/film-tv"]
        );
        assert_eq!(
            fields("Producer", "", Some("l.hart@wk.com")),
            ["marketing/advertising"]
        );
        assert_eq!(
            fields("Asset Manager", "Boston Properties", None),
            ["real_estate/commercial"]
        );
        assert_eq!(
            fields("Asset Manager", "", None),
            ["finance/asset-management"]
        );
        assert_eq!(
            fields("Production Manager", "Royal Shakespeare Company", None),
            fields("", "Royal Shakespeare Company", None)
        );
        assert_eq!(
            fields("Housekeeper", "Johns Hopkins Hospital", None),
            fields("", "Johns Hopkins Hospital", None)
        );
        assert_eq!(
            fields("Economist", "Analysis Group", None),
            ["consulting/economic"]
        );
        assert_eq!(
            fields("Talent Researcher", "Russell Reynolds Associates", None),
            fields("", "Russell Reynolds Associates", None)
        );
        assert_eq!(
            fields("Benefits Consultant", "Aflac", None),
            fields("", "Aflac", None)
        );
        assert_eq!(
            fields("Gaming Compliance Manager", "MGM Resorts", None),
            ["hospitality"]
        );
        assert_eq!(
            fields("Consultant Paediatrician", "Cork University Hospital", None),
            ["healthcare/physicians"]
        );
        assert!(
            !fields("Film Coating Technician", "Avery Dennison", None)
                .iter()
                .any(|f| f.starts_with("media"))
        );
    }

    #[test]
    fn an_industry_word_before_the_head_is_not_the_occupation() {
        assert_eq!(
            fields("Consulting Engineer", "Duke Energy", None),
            fields("", "Duke Energy", None)
        );
        assert_eq!(
            fields("Consulting Engineer", "", None),
            fields("Consulting", "", None)
        );
        assert_eq!(
            fields("Clinical Consultant", "Medtronic", None),
            fields("", "Medtronic", None)
        );
        assert_eq!(
            fields("Automotive Journalist", "", None),
            ["media/journalism"]
        );
        assert_eq!(
            fields("Hospitality Coordinator", "Google", None),
            ["software"]
        );
        // A network engineer at a carrier is in IT and telecom (three fresh annotators, 2026-12-07).
        assert_eq!(
            fields("Network Engineer", "AT&T", None),
            ["media", "software/it-services"]
        );
        assert_eq!(
            fields("Network Engineer", "", None),
            ["software/it-services"]
        );
    }

    #[test]
    fn researchers_of_another_fields_work_and_named_employers() {
        assert_eq!(
            fields("Security Researcher", "", None),
            ["software/security"]
        );
        assert_eq!(fields("Parliamentary Researcher", "", None), ["government"]);
        assert_eq!(
            fields("Kundenberater", "Sparkasse KölnBonn", None),
            ["finance/banking"]
        );
        assert_eq!(
            fields("Store Manager", "Hotel Chocolat", None),
            ["retail/stores"]
        );
        assert_eq!(
            fields("Account Manager", "Hyatt Regency Chicago", None),
            fields("", "Hyatt", None)
        );
    }

    #[test]
    fn state_us_domains_are_state_government_and_city_school_domains_school_districts() {
        assert_eq!(
            fields("Coordinator", "", Some("n.osei@health.state.mn.us")),
            ["government/state-local"]
        );
        assert_eq!(
            fields("Assistant Teacher", "", Some("k.li@schools.nyc.gov")),
            ["education/k12"]
        );
    }

    #[test]
    fn fourth_round_title_and_employer_rules() {
        assert_eq!(
            fields("Product Manager", "", None),
            ["software/product-design"]
        );
        assert!(fields("Conductor", "", None).is_empty());
        assert_eq!(
            fields("Conductor", "Deutsche Bahn", None),
            ["transport/rail-transit"]
        );
        assert_eq!(
            fields("Chef de projet", "Capgemini", None),
            ["consulting/technology"]
        );
        assert_eq!(
            fields(
                "Assistant Public Defender",
                "Cook County Public Defender's Office",
                None
            ),
            ["government", "law/public-sector"]
        );
        assert_eq!(
            fields("Funcionario", "Ayuntamiento de Madrid", None),
            ["government/state-local"]
        );
        assert_eq!(fields("Zookeeper", "Some City Zoo", None), ["arts/museums"]);
    }

    #[test]
    fn past_roles_hobbies_and_family_give_no_title() {
        assert_eq!(present_roles("Retired Police Officer"), "");
        assert_eq!(
            present_roles("Former ICU Nurse, now Product Manager at Stripe"),
            "Product Manager at Stripe"
        );
        assert_eq!(present_roles("Ex-Big Four Auditor | CFO"), "CFO");
        assert_eq!(
            present_roles("Army Veteran | Software Engineer"),
            "Software Engineer"
        );
        assert_eq!(present_roles("Proud Army Mom | Realtor"), "Realtor");
        assert_eq!(
            present_roles("Kindergarten Teacher turned UX Designer"),
            "UX Designer"
        );
        assert_eq!(present_roles("Veteran Journalist"), "Veteran Journalist");
        assert_eq!(present_roles("Vet Tech"), "Vet Tech");
        assert_eq!(present_roles("Executive Assistant"), "Executive Assistant");
    }
}
