//! Query text → fields (FIELDS.md §5): exact field id; then, on the normalised query with filler words
//! removed, exact synonym/abbreviation/label/external-vocabulary lookup (also singularised); several
//! synonyms inside a longer query ("fintech or vc"); an occupation title ("actuary"); a company name; and
//! last an edit-distance typo fallback. Roles that are not fields ("founders") answer with a hint.

use super::{FieldIdx, Resolution, ResolvedField, Taxonomy};

/// Filler removed from queries ("someone in finance" → "finance"); matched as whole normalised words.
#[rustfmt::skip]
const FILLER: &[&str] = &[
    "someone", "somebody", "anyone", "people", "person", "folks", "who", "works", "work", "working",
    "in", "at", "the", "a", "an", "industry", "industries", "sector", "field", "jobs", "job",
    "careers", "career", "space", "world", "or", "and", "with", "background", "experience",
];

/// Roles and seniority that are filters on `title=`, not fields (FIELDS.md §3).
#[rustfmt::skip]
const ROLES: &[&str] = &[
    "founder", "founders", "cofounder", "co founder", "ceo", "ceos", "executive", "executives",
    "startup", "startups", "sales", "operations", "entrepreneur", "entrepreneurs", "pm", "md",
    "manager", "managers", "director", "directors", "vp", "vice president",
];

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
    let normalized = super::normalize(query);
    let tables = &taxonomy.tables;
    // Try the query as written first: "banking and finance" and "wall street" are synonyms, filler or not.
    let stripped = strip_filler(&normalized);
    for text in [normalized.as_str(), stripped.as_str()] {
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
    if ROLES.contains(&stripped.as_str()) {
        let role = stripped.trim_end_matches('s');
        resolution.title = Some(role.to_string());
        resolution.hint = Some(format!(
            "{stripped:?} is a role, not a field: filter targets with title={role}"
        ));
        return resolution;
    }
    // Several synonyms that together cover the query ("fintech or vc"); partial cover waits for the typo step.
    let phrases = tables.synonym_phrases.find(&stripped);
    let covered: usize = phrases
        .iter()
        .map(|m| stripped[m.start..m.end].split(' ').count())
        .sum();
    let full_cover = !phrases.is_empty() && covered == stripped.split(' ').count();
    if full_cover {
        push_phrases(taxonomy, &mut resolution, &stripped, &phrases, 0.9);
        return resolution;
    }
    let keys = super::normalize::company_keys(&stripped);
    if let Some(index) = keys
        .iter()
        .find_map(|k| tables.company_names.get(k.as_str()))
    {
        resolution.company = Some(tables.companies[*index].name.clone());
        resolution.hint = Some("a company, not a field: filter targets with company=".to_string());
        return resolution;
    }
    // An occupation title ("actuary", "registered nurse") when it matches the whole query; a title that
    // only partly matches ("invesment banking" → "banking") comes after the typo fallback.
    let singular = singular_words(&stripped);
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
    if let Some((key, fields)) = typo(taxonomy, &stripped) {
        push(
            taxonomy,
            &mut resolution,
            &fields,
            ("typo", format!("typo of {key:?}")),
            0.5,
        );
        return resolution;
    }
    if !occupation_fields.is_empty() {
        let via = ("occupation", reason);
        push(taxonomy, &mut resolution, &occupation_fields, via, 0.6);
        return resolution;
    }
    if !phrases.is_empty() {
        push_phrases(taxonomy, &mut resolution, &stripped, &phrases, 0.6);
        return resolution;
    }
    resolution.hint = Some(format!(
        "the nearest fields are {}",
        nearest_labels(taxonomy, &stripped).join(", ")
    ));
    resolution
}

fn push_phrases(
    taxonomy: &Taxonomy,
    resolution: &mut Resolution,
    text: &str,
    phrases: &[super::phrase::PhraseMatch],
    score: f64,
) {
    for m in phrases {
        let fields = taxonomy.tables.synonym_phrases.payload(m).clone();
        let reason = format!("phrase {:?}", &text[m.start..m.end]);
        push(taxonomy, resolution, &fields, ("phrase", reason), score);
    }
    // Most specific kept: "solar energy" is energy/renewables, not also energy.
    let ids: Vec<String> = resolution.fields.iter().map(|f| f.field.clone()).collect();
    resolution.fields.retain(|f| {
        !ids.iter()
            .any(|other| other.starts_with(&format!("{}/", f.field)))
    });
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

fn strip_filler(normalized: &str) -> String {
    normalized
        .split(' ')
        .filter(|token| !FILLER.contains(token))
        .collect::<Vec<_>>()
        .join(" ")
}

/// Exact lookup of the whole text, then of its singular ("hedge funds" → "hedge fund", "lawyers" → "lawyer").
fn exact(taxonomy: &Taxonomy, text: &str) -> Option<(Vec<FieldIdx>, &'static str, String, f64)> {
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
    candidates.iter().find_map(|key| {
        let synonym = synonyms.get(key.as_str())?;
        let score = match synonym.kind {
            "field id" | "field label" | "synonym" => 1.0,
            "abbreviation" => 0.95,
            _ => 0.85,
        };
        Some((
            synonym.fields.clone(),
            synonym.kind,
            format!("{} {key:?}", synonym.kind),
            score,
        ))
    })
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
