//! The one text normaliser shared by classification and query resolution (FIELDS.md §4.1), plus the
//! title and company clean-ups built on its output: abbreviation expansion, seniority stripping and
//! legal-suffix stripping. Everything here works on normalised text: lowercase words separated by one space.

// Legal-form suffixes stripped from company names (FIELDS.md §4.1 step 3) are identity's.
use crate::identity::normalize::LEGAL_FORMS;
use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

/// Normalise text for matching: Unicode NFKC, lowercase, accents folded, `&` → "and", apostrophes
/// removed, every other character but a letter, digit, `+` or `#` → space, whitespace collapsed and
/// trimmed. Idempotent.
///
/// # Example
/// ```
/// assert_eq!(warmpath::taxonomy::normalize("  Ingénieur   Logiciel (C++) & M&A "), "ingenieur logiciel c++ and m and a");
/// ```
pub fn normalize(text: &str) -> String {
    // ASCII is its own NFKC/NFD form: skip the Unicode passes (most titles and every data key).
    if text.is_ascii() {
        return fold(text.chars().map(|c| c.to_ascii_lowercase()), text.len());
    }
    let folded = text
        .nfkc()
        .flat_map(char::to_lowercase)
        .nfd()
        .filter(|c| !is_combining_mark(*c));
    let out = fold(folded, text.len());
    // NFD splits precomposed letters (Hangul syllables) into jamo; recompose so a second pass changes nothing.
    if out.is_ascii() {
        out
    } else {
        out.nfc().collect()
    }
}

/// Normalised text with every word reduced to its Snowball English stem, the key under which
/// "lobbying" finds "lobby" and "computing" finds "computers": words that share a stem name the same thing.
///
/// # Example
/// ```
/// assert_eq!(warmpath::taxonomy::stem_key("investment banks"), warmpath::taxonomy::stem_key("investing bank"));
/// ```
pub fn stem_key(normalized: &str) -> String {
    static STEMMER: std::sync::LazyLock<rust_stemmers::Stemmer> = std::sync::LazyLock::new(|| {
        rust_stemmers::Stemmer::create(rust_stemmers::Algorithm::English)
    });
    normalized
        .split(' ')
        .map(|word| STEMMER.stem(word))
        .collect::<Vec<_>>()
        .join(" ")
}

/// Keep letters, digits, `+`, `#`; `&` → "and"; drop apostrophes; anything else separates words.
fn fold(chars: impl Iterator<Item = char>, capacity: usize) -> String {
    let mut out = String::with_capacity(capacity);
    let mut pending_space = false;
    for c in chars {
        if c.is_alphanumeric() || c == '+' || c == '#' {
            if pending_space && !out.is_empty() {
                out.push(' ');
            }
            pending_space = false;
            out.push(c);
        } else if matches!(c, '\'' | '\u{2019}' | '\u{2bc}') {
            // Apostrophes join: "Joe's" → "joes", "L'Oréal" → "loreal", "Attorney's Office" → "attorneys office".
        } else if c == '&' {
            if !out.is_empty() {
                out.push(' ');
            }
            out.push_str("and");
            pending_space = true;
        } else {
            pending_space = true;
        }
    }
    out
}

/// Title abbreviations expanded token by token before matching (FIELDS.md §4.1 step 2).
const TITLE_ABBREVIATIONS: &[(&str, &str)] = &[
    ("sr", "senior"),
    ("snr", "senior"),
    ("jr", "junior"),
    ("vp", "vice president"),
    ("svp", "senior vice president"),
    ("evp", "executive vice president"),
    ("avp", "assistant vice president"),
    ("mgr", "manager"),
    ("mngr", "manager"),
    ("eng", "engineer"),
    ("engr", "engineer"),
    ("swe", "software engineer"),
    ("sde", "software engineer"),
    ("sre", "site reliability engineer"),
    ("ml", "machine learning"),
    ("dev", "developer"),
    ("devs", "developers"),
    ("assoc", "associate"),
    ("asst", "assistant"),
    ("dir", "director"),
    ("mktg", "marketing"),
    ("acct", "accountant"),
    ("prof", "professor"),
    ("ib", "investment banking"),
    ("pe", "private equity"),
    ("ops", "operations"),
    ("attny", "attorney"),
    ("atty", "attorney"),
];

/// Words that make "PE" mean physical education and "IB" mean International Baccalaureate.
const SCHOOL_WORDS: &[&str] = &[
    "teacher",
    "coach",
    "physical",
    "school",
    "coordinator",
    "diploma",
    "instructor",
];

/// Expand title abbreviations in normalised text ("sr swe" → "senior software engineer").
pub(crate) fn expand_title(normalized: &str) -> String {
    let school = normalized
        .split(' ')
        .any(|token| SCHOOL_WORDS.contains(&token));
    let mut out = String::with_capacity(normalized.len() + 16);
    for token in normalized.split(' ').filter(|t| !t.is_empty()) {
        if !out.is_empty() {
            out.push(' ');
        }
        let expansion = match token {
            "pe" if school => Some("physical education"),
            "ib" if school => Some("international baccalaureate"),
            _ => TITLE_ABBREVIATIONS
                .iter()
                .find(|(short, _)| *short == token)
                .map(|(_, long)| *long),
        };
        out.push_str(expansion.unwrap_or(token));
    }
    out
}

/// Seniority and level words that say nothing about the field (kept out of dictionary lookups).
#[rustfmt::skip]
const SENIORITY: &[&str] = &[
    "senior", "junior", "lead", "principal", "staff", "i", "ii", "iii", "iv", "v", "1", "2", "3",
    "4", "5", "trainee", "intern", "apprentice", "deputy", "acting", "interim", "chief", "head",
    "level", "entry", "executive", "associate", "assistant", "vice", "president",
];

/// British and Commonwealth spellings → American, word by word, so one table entry serves both
/// ("defence contractors" finds "defense contractor", "programme manager" the role "program manager").
#[rustfmt::skip]
const US_SPELLINGS: &[(&str, &str)] = &[
    ("defence", "defense"), ("programme", "program"), ("programmes", "programs"), ("centre", "center"),
    ("centres", "centers"), ("labour", "labor"), ("organisation", "organization"),
    ("organisations", "organizations"), ("theatre", "theater"), ("theatres", "theaters"),
    ("paediatric", "pediatric"), ("paediatrics", "pediatrics"), ("paediatrician", "pediatrician"),
    ("anaesthesia", "anesthesia"), ("anaesthetist", "anesthetist"), ("orthopaedic", "orthopedic"),
    ("orthopaedics", "orthopedics"), ("haematology", "hematology"), ("gynaecology", "gynecology"),
    ("licence", "license"), ("jewellery", "jewelry"), ("aluminium", "aluminum"), ("tyre", "tire"),
    ("tyres", "tires"), ("aeroplane", "airplane"), ("colour", "color"), ("behaviour", "behavior"),
    ("behavioural", "behavioral"), ("catalogue", "catalog"), ("fibre", "fiber"), ("analyse", "analyze"),
    ("optimisation", "optimization"), ("fertiliser", "fertilizer"), ("specialised", "specialized"),
];

/// The query's words as the tables key them: normalised, British spellings made American, single
/// letters in a row joined ("H.R." is "hr"), and an ampersand between letters kept inside one word
/// ("FP&A", "R&D", "M&A" stay "fp&a", "r&d", "m&a"), so it never reads as "and" joining two fields.
pub(crate) fn query_form(text: &str) -> String {
    let normalized = joined_letters(&normalize(&without_elisions(text)));
    let words: Vec<&str> = normalized.split(' ').collect();
    let short = |w: &str| (1..=2).contains(&w.len()) && w.chars().all(|c| c.is_ascii_alphabetic());
    let mut out: Vec<String> = Vec::new();
    let mut index = 0;
    while index < words.len() {
        let joins = index + 2 < words.len()
            && words[index + 1] == "and"
            && short(words[index])
            && short(words[index + 2])
            && (words[index].len() == 1 || words[index + 2].len() == 1);
        // Texting's "n" or a "+" between two words is "and": "tech n finance", "hotels + events".
        let texting_and = matches!(words[index], "n" | "+") && index > 0 && index + 1 < words.len();
        if texting_and {
            out.push("and".to_string());
            index += 1;
        } else if joins {
            out.push(format!("{}&{}", words[index], words[index + 2]));
            index += 3;
        } else {
            out.push(words[index].to_string());
            index += 1;
        }
    }
    unclipped(&us_spelling(&out.join(" ")))
}

/// French and Italian elided articles dropped: "l'industrie" is "industrie", "d'avocats" is
/// "avocats" (the normaliser would join them into one word). Lowercase only, so a name such as
/// "L'Oréal" or "D'Amico" keeps its apostrophe.
const ELIDED: &[&str] = &[
    "l", "d", "j", "m", "n", "s", "t", "c", "qu", "dell", "all", "nell", "sull",
];

fn without_elisions(text: &str) -> std::borrow::Cow<'_, str> {
    if !text.contains(['\'', '\u{2019}']) {
        return std::borrow::Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len());
    let mut word_start = 0;
    for (i, c) in text.char_indices() {
        if matches!(c, '\'' | '\u{2019}') {
            let word = &out[word_start..];
            let elided = ELIDED.contains(&word);
            let next_is_letter = text[i + c.len_utf8()..]
                .chars()
                .next()
                .is_some_and(char::is_alphabetic);
            if elided && next_is_letter {
                out.truncate(word_start);
                continue;
            }
        }
        if !c.is_alphanumeric() && !matches!(c, '\'' | '\u{2019}') {
            word_start = out.len() + c.len_utf8();
        }
        out.push(c);
    }
    std::borrow::Cow::Owned(out)
}

/// Single letters in a row joined into one word: "h r" (from "H.R.") is "hr", "u x" is "ux".
fn joined_letters(normalized: &str) -> String {
    let mut out: Vec<String> = Vec::new();
    let mut run = String::new();
    for word in normalized.split(' ') {
        if word.len() == 1 && word.chars().all(|c| c.is_ascii_alphabetic()) {
            run.push_str(word);
            continue;
        }
        if !run.is_empty() {
            out.push(std::mem::take(&mut run));
        }
        out.push(word.to_string());
    }
    if !run.is_empty() {
        out.push(run);
    }
    // A lone letter stays itself ("a", "i"): only runs of two or more were joined.
    out.join(" ")
}

/// Words people clip when they type fast or write for a script ("asset-mgmt", "healthcare-admin",
/// "mkt research", "life-sci"), in full. Clippings with a second common sense stay out: "prop"
/// (property, or proprietary trading), "fed" (federal, or the Federal Reserve), "comp".
#[rustfmt::skip]
const CLIPPINGS: &[(&str, &str)] = &[
    ("mgmt", "management"), ("mgt", "management"), ("admin", "administration"),
    ("fin", "finance"), ("gov", "government"), ("govt", "government"), ("mkt", "market"),
    ("mktg", "marketing"), ("sci", "science"), ("corp", "corporate"), ("exec", "executive"),
    ("mfg", "manufacturing"), ("constr", "construction"), ("agri", "agriculture"),
    ("edu", "education"), ("rsrch", "research"), ("psych", "psychology"), ("biz", "business"),
    ("engg", "engineering"), ("mech", "mechanical"), ("econ", "economics"), ("chem", "chemistry"),
    ("intl", "international"), ("dept", "department"), ("univ", "university"),
    ("ins", "insurance"), ("hosp", "hospital"), ("hospo", "hospitality"),
];

/// Clipped words in full: "asset mgmt" is "asset management".
pub(crate) fn unclipped(normalized: &str) -> String {
    replace_words(normalized, CLIPPINGS)
}

/// Normalised text with British spellings made American (see `US_SPELLINGS`).
pub(crate) fn us_spelling(normalized: &str) -> String {
    replace_words(normalized, US_SPELLINGS)
}

/// Each word found on the left of the table replaced by its right.
fn replace_words(normalized: &str, table: &[(&str, &'static str)]) -> String {
    normalized
        .split(' ')
        .map(|word| {
            table
                .iter()
                .find(|(from, _)| *from == word)
                .map_or(word, |(_, to)| to)
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// The title without seniority/level tokens, for O*NET/ESCO dictionary lookups.
pub(crate) fn strip_seniority(expanded: &str) -> String {
    let kept: Vec<&str> = expanded
        .split(' ')
        .filter(|t| !SENIORITY.contains(t))
        .collect();
    let mut tokens = kept.as_slice();
    // "head of marketing" → "marketing": a dangling "of" after stripping carries nothing.
    while let Some((first, rest)) = tokens.split_first() {
        if *first == "of" || *first == "and" {
            tokens = rest;
        } else {
            break;
        }
    }
    tokens.join(" ")
}

/// Corporate boilerplate also dropped when looking a name up ("The Goldman Sachs Group, Inc."), but kept
/// for the name rules ("Riverside Medical Group").
const LOOKUP_SUFFIXES: &[&str] = &["group", "holdings", "holding"];

/// Country prefixes that agency names carry in exports but not in the agency list.
const COUNTRY_PREFIXES: &[&str] = &["u s ", "us ", "united states "];

/// The lookup keys for a normalised company name, most literal first: the name itself, then with one
/// more legal suffix (and a dangling "and") removed each time, each also without a leading "the".
pub(crate) fn company_keys(normalized: &str) -> Vec<String> {
    let mut keys: Vec<String> = Vec::with_capacity(4);
    let push = |key: &str, keys: &mut Vec<String>| {
        if !key.is_empty() && !keys.iter().any(|k| k == key) {
            keys.push(key.to_string());
        }
    };
    let mut current = normalized;
    loop {
        push(current, &mut keys);
        if let Some(rest) = current.strip_prefix("the ") {
            push(rest, &mut keys);
        }
        // "U.S. Department of the Treasury" is listed as "Department of the Treasury".
        for prefix in COUNTRY_PREFIXES {
            if let Some(rest) = current.strip_prefix(prefix) {
                push(rest, &mut keys);
            }
        }
        let Some((head, last)) = current.rsplit_once(' ') else {
            break;
        };
        if !LEGAL_FORMS.contains(&last) && !LOOKUP_SUFFIXES.contains(&last) {
            break;
        }
        current = head.strip_suffix(" and").unwrap_or(head);
    }
    keys
}

/// Countries and regions a subsidiary appends to its group's name ("Google India", "Deloitte UK",
/// "Shell Canada"). Not "global", "international" or "worldwide": those end brand names of unrelated
/// firms ("Target Global" is a venture fund, not the retailer).
#[rustfmt::skip]
const REGION_SUFFIXES: &[&str] = &[
    "india", "uk", "us", "usa", "u s", "u s a", "united states", "united kingdom", "britain", "america",
    "americas", "north america", "latin america", "latam", "europe", "emea", "apac", "asia",
    "asia pacific", "middle east", "canada", "australia", "new zealand", "germany", "deutschland",
    "france", "japan", "china", "singapore", "hong kong", "ireland", "netherlands", "spain", "italy",
    "brazil", "mexico", "south africa", "uae", "israel", "switzerland", "sweden", "korea",
    "nigeria", "kenya", "ghana", "egypt", "morocco", "africa", "south korea", "taiwan", "indonesia",
    "malaysia", "philippines", "thailand", "vietnam", "pakistan", "bangladesh", "sri lanka",
    "saudi arabia", "qatar", "turkey", "poland", "belgium", "austria", "denmark", "norway",
    "finland", "portugal", "greece", "argentina", "chile", "colombia", "peru", "nordics",
    "benelux", "luxembourg",
];

/// Legal-form words that Indian and British subsidiaries put after the region ("Private Limited").
const PRIVATE_FORMS: &[&str] = &["private", "pvt", "pte"];

/// The company name without a trailing country or region (and the legal form after it), when it has
/// one and something is left: "google india private limited" → "google". The last resort of the
/// company lookup, tried only when the full name is not known.
pub(crate) fn without_region(normalized: &str) -> Option<&str> {
    let mut current = company_core(normalized);
    while let Some((head, last)) = current.rsplit_once(' ') {
        if !PRIVATE_FORMS.contains(&last) && !LEGAL_FORMS.contains(&last) {
            break;
        }
        current = head;
    }
    // The longest region that ends the name: "acme north america" is Acme's, not "Acme North"'s.
    REGION_SUFFIXES
        .iter()
        .filter_map(|region| current.strip_suffix(region)?.strip_suffix(' '))
        .filter(|head| {
            !head.is_empty() && ![" of", " and", " the"].iter().any(|w| head.ends_with(w))
        })
        .min_by_key(|head| head.len())
}

/// The company name with legal suffixes and a leading "the" removed: the text the name rules look at.
pub(crate) fn company_core(normalized: &str) -> &str {
    let mut current = normalized.strip_prefix("the ").unwrap_or(normalized);
    while let Some((head, last)) = current.rsplit_once(' ') {
        if !LEGAL_FORMS.contains(&last) {
            break;
        }
        current = head.strip_suffix(" and").unwrap_or(head);
    }
    current
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn elided_articles_are_dropped_from_queries_but_names_keep_theirs() {
        assert_eq!(
            query_form("quelqu'un dans l'industrie pharmaceutique"),
            "quelquun dans industrie pharmaceutique"
        );
        assert_eq!(query_form("cabinet d’avocats"), "cabinet avocats");
        assert_eq!(query_form("someone at L'Oréal"), "someone at loreal");
        assert_eq!(query_form("the DA's office"), "the das office");
    }

    #[test]
    fn company_keys_also_try_the_name_without_a_country_prefix() {
        let keys = company_keys(&normalize("U.S. Bureau of Labor Statistics"));
        assert!(
            keys.contains(&"bureau of labor statistics".to_string()),
            "{keys:?}"
        );
        assert_eq!(keys[0], "u s bureau of labor statistics");
    }

    #[test]
    fn normalize_folds_case_accents_punctuation_and_ampersands() {
        assert_eq!(normalize("Ingénieur Logiciel"), "ingenieur logiciel");
        assert_eq!(normalize("J.P. Morgan (IBD)"), "j p morgan ibd");
        assert_eq!(
            normalize("M&A / Sales-and-Trading"),
            "m and a sales and trading"
        );
        assert_eq!(normalize("  C++ / C# developer "), "c++ c# developer");
        assert_eq!(normalize("Ärztin"), "arztin");
        assert_eq!(normalize("---"), "");
        assert_eq!(normalize("Trader Joe’s / L'Oréal"), "trader joes loreal");
    }

    #[test]
    fn title_abbreviations_expand_and_pe_next_to_teacher_is_physical_education() {
        assert_eq!(expand_title("sr swe"), "senior software engineer");
        assert_eq!(expand_title("pe associate"), "private equity associate");
        assert_eq!(expand_title("pe teacher"), "physical education teacher");
        assert_eq!(expand_title("vp finance"), "vice president finance");
    }

    #[test]
    fn a_trailing_country_or_region_comes_off_for_the_last_resort_lookup() {
        assert_eq!(
            without_region("google india private limited"),
            Some("google")
        );
        assert_eq!(without_region("deloitte uk"), Some("deloitte"));
        assert_eq!(without_region("shell canada ltd"), Some("shell"));
        assert_eq!(without_region("acme north america"), Some("acme"));
        assert_eq!(without_region("bank of america"), None);
        assert_eq!(without_region("target global"), None);
        assert_eq!(without_region("india"), None);
        assert_eq!(without_region("acme corp"), None);
    }

    #[test]
    fn seniority_words_are_stripped_for_dictionary_lookups() {
        assert_eq!(
            strip_seniority("senior registered nurse ii"),
            "registered nurse"
        );
        assert_eq!(strip_seniority("head of marketing"), "marketing");
    }

    #[test]
    fn company_keys_strip_legal_suffixes_one_at_a_time() {
        assert_eq!(
            company_keys("the goldman sachs group inc"),
            vec![
                "the goldman sachs group inc",
                "goldman sachs group inc",
                "the goldman sachs group",
                "goldman sachs group",
                "the goldman sachs",
                "goldman sachs"
            ]
        );
        assert_eq!(
            company_keys("bain and company"),
            vec!["bain and company", "bain"]
        );
        assert_eq!(company_core("the citadel"), "citadel");
        assert_eq!(company_core("acme capital llc"), "acme capital");
        assert_eq!(
            company_core("riverside medical group"),
            "riverside medical group"
        );
    }

    proptest! {
        #[test]
        fn normalizing_twice_changes_nothing(text in "\\PC*") {
            let once = normalize(&text);
            prop_assert_eq!(normalize(&once), once);
        }

        #[test]
        fn normalizing_any_unicode_twice_changes_nothing(text in proptest::collection::vec(any::<char>(), 0..40)) {
            let text: String = text.into_iter().collect();
            let once = normalize(&text);
            prop_assert_eq!(normalize(&once), once);
        }

        #[test]
        fn normalized_text_has_no_double_or_edge_spaces(text in "\\PC*") {
            let once = normalize(&text);
            prop_assert!(!once.contains("  ") && !once.starts_with(' ') && !once.ends_with(' '));
        }
    }
}
