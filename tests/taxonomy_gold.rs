//! Gates on the hand-labelled gold sets in `tests/fixtures/gold/` (FIELDS.md §6): per-field precision and
//! recall of classification, query-resolution accuracy, the DESIGN.md and FIELDS.md examples, and the
//! rule that a generic title such as "Analyst" never decides a field alone.
//!
//! Scoring (see `tests/support/taxonomy_eval.rs`): a predicted field is correct when the gold row holds a field
//! with the same top field; sub-field agreement is gated separately. Floors sit just under the measured
//! values (`cargo run --example taxonomy_eval`), so a regression fails the build.

use warmpath::taxonomy::Taxonomy;
#[path = "support/taxonomy_eval.rs"]
mod eval;

use eval::{evaluate_queries, evaluate_titles, parse_queries, parse_titles};

const TITLES: &str = include_str!("fixtures/gold/titles.csv");
const QUERIES: &str = include_str!("fixtures/gold/queries.csv");
/// Written after the rules were tuned on `titles.csv` and never tuned against: the honest estimate.
const HOLDOUT: &str = include_str!("fixtures/gold/titles_holdout.csv");
const QUERIES_HOLDOUT: &str = include_str!("fixtures/gold/queries_holdout.csv");

/// Precision floors: a wrong "finance" target wastes an introduction, so these four are strict.
const PRECISION_FLOORS: &[(&str, f64)] = &[
    ("finance", 0.95),
    ("law", 0.95),
    ("healthcare", 0.95),
    ("government", 0.95),
];

/// Recall floors, set just under the measured recall of each field.
const RECALL_FLOORS: &[(&str, f64)] = &[
    ("finance", 0.95),
    ("software", 0.98),
    ("healthcare", 0.95),
    ("law", 0.95),
    ("education", 0.95),
    ("government", 0.95),
    ("consulting", 0.95),
    ("research", 0.95),
    ("media", 0.97),
    ("accounting", 0.9),
    ("insurance", 0.8),
    ("agriculture", 0.8),
];

fn names(fields: &[String]) -> String {
    fields.join(";")
}

#[test]
fn the_gold_sets_are_large_enough_and_cover_every_top_field() {
    let rows = parse_titles(TITLES).unwrap();
    let queries = parse_queries(QUERIES).unwrap();
    assert!(rows.len() >= 400, "{} gold rows", rows.len());
    assert!(queries.len() >= 120, "{} gold queries", queries.len());
    let taxonomy = Taxonomy::embedded();
    for field in taxonomy.fields().iter().filter(|f| f.parent.is_none()) {
        let support = rows
            .iter()
            .filter(|r| {
                r.fields
                    .iter()
                    .any(|g| g.split('/').next() == Some(&field.id))
            })
            .count();
        assert!(support >= 5, "{} has only {support} gold rows", field.id);
    }
    for row in &rows {
        for id in &row.fields {
            assert!(taxonomy.field(id).is_some(), "unknown gold field {id:?}");
        }
    }
}

#[test]
fn precision_and_recall_stay_above_their_floors() {
    let taxonomy = Taxonomy::embedded();
    let report = evaluate_titles(taxonomy, &parse_titles(TITLES).unwrap());
    for (field, floor) in PRECISION_FLOORS {
        let precision = report.per_field[*field].precision();
        assert!(
            precision >= *floor,
            "{field} precision {precision:.3} < {floor}"
        );
    }
    for (field, floor) in RECALL_FLOORS {
        let recall = report.per_field[*field].recall();
        assert!(recall >= *floor, "{field} recall {recall:.3} < {floor}");
    }
    // The tuning set grew on 2026-12-07 by 300 rows written to find precision traps; measured
    // after fixing them: precision 0.992, recall 0.973, F1 0.982 on 1,278 rows. Grown on 2026-12-07
    // by 200 rows under the labelling guide, and 46 labels mended to it: 0.983, 0.942, 0.962; after
    // the fourth round's fixes the same day: 0.995, 0.995, 0.995. Grown by 300 rows written as
    // precision traps (a title or employer word that suggests a field the person is not in): 0.966,
    // 0.965, 0.965 on 1,778 rows; after fixing them (industry words as modifiers, title words the
    // employer reads, named employers): 0.985, 0.977, 0.981. Grown on 2026-12-07 by 230 rows from a
    // new author (weighted to the fields with the lowest held-out precision): 0.960, 0.898 on those
    // rows alone before any change; 0.982, 0.974, 0.978 on all 2,008 after titles in other languages.
    // Then by 234 precision-trap rows from another author: 0.888, 0.864 on those alone before any
    // change; 0.984, 0.978, 0.981 on all 2,242 after that round's employers and title rules.
    // Then by 254 rows of an ordinary connections export from a third author: 0.934, 0.846 on
    // those alone before any change; 0.982, 0.972, 0.977 on all 2,496 after the employers it named.
    // Then by 197 address-book rows (short titles, loose employers, emails alone): 0.978, 0.843 on
    // those alone before listed companies were read from their domains; 0.982, 0.968, 0.975 on 2,693.
    // Then by 164 precision traps from a sixth author: 0.929, 0.871 on those alone before any
    // change; 0.983, 0.974, 0.978 on 2,857 after employers and title words the employer reads.
    // Then 13 labels mended to the conventions three fresh annotators settled (health insurers,
    // chipmakers' process engineers, drug makers' manufacturing staff) and their 65 study rows
    // added: 0.985, 0.975, 0.980 on 2,922. Then by 166 precision traps from a seventh author:
    // 0.925, 0.892 on those alone before any change; 0.984, 0.975, 0.979 on 3,088; the same
    // after a fourth blind study's conventions (7 labels mended, 20 rows added, 3,108 rows), and
    // after a fifth's (5 mended, 30 added, 3,138 rows) and a sixth's (3 mended, 24 added, 3,162).
    let (precision, recall, f1) = report.micro();
    assert!(
        precision >= 0.98 && recall >= 0.97 && f1 >= 0.975,
        "micro p {precision:.3} r {recall:.3} f1 {f1:.3}"
    );
    let agreement = report.sub_field_agreements as f64 / report.sub_field_pairs as f64;
    assert!(agreement >= 0.97, "sub-field agreement {agreement:.3}");
}

#[test]
fn the_held_out_set_stays_above_its_floors() {
    let taxonomy = Taxonomy::embedded();
    let report = evaluate_titles(taxonomy, &parse_titles(HOLDOUT).unwrap());
    let (precision, recall, _) = report.micro();
    assert!(report.rows >= 587, "{} held-out rows", report.rows);
    // Measured 2026-12-07 on 268 rows (172 plus 96 by a separate author): micro precision 0.957,
    // recall 0.969; finance 1.000, law 1.000, healthcare 0.927, government 0.933.
    // At the end of that day: precision 0.969, recall 0.972. Relabelled by majority of three
    // annotators the next day (tests/fixtures/gold/README.md): precision 0.960, recall 0.957.
    // Grown to 464 rows by a new author the same day: precision 0.949, recall 0.924; after that
    // day's tuning rounds 0.961 and 0.945. Grown to 587 by 123 rows for the smallest fields (three
    // labels each): 0.958 and 0.931, against 0.948 and 0.909 with the code that day began with.
    // After the fifth round (fresh tuning rows only): 0.960 and 0.935. The 11 rows at Big Four
    // firms relabelled blind by three fresh annotators (tests/fixtures/gold/README.md): 0.973 and
    // 0.936, consulting 0.771 → 1.000; after the sixth round: 0.973 and 0.940; after the
    // conventions of the second study: 0.975 and 0.943 (manufacturing 0.909 → 0.938); after the
    // fourth study's: 0.976 and 0.944 (research 0.903 → 0.933); after the fifth's: 0.976 and
    // 0.947 (retail 0.923 → 0.929).
    assert!(precision >= 0.97, "held-out micro precision {precision:.3}");
    assert!(recall >= 0.945, "held-out micro recall {recall:.3}");
    let floors = [
        ("finance", 0.95),
        ("law", 0.95),
        ("healthcare", 0.91),
        ("government", 0.97),
        ("consulting", 0.95),
    ];
    for (field, floor) in floors {
        let field_precision = report.per_field[field].precision();
        assert!(
            field_precision >= floor,
            "held-out {field} precision {field_precision:.3}"
        );
    }
}

#[test]
fn query_resolution_accuracy_stays_above_its_floor() {
    let taxonomy = Taxonomy::embedded();
    let report = evaluate_queries(taxonomy, &parse_queries(QUERIES).unwrap());
    let exact = report.exact_set as f64 / report.queries as f64;
    let top1 = report.top1 as f64 / report.queries as f64;
    // The tuning set grew on 2026-12-07 by 350 queries in seven voices: 0.983 on 1,541; on
    // 2026-12-07 by 390 under the labelling guide (a third of them descriptive): 0.916 on 1,931;
    // 0.979 once the synonyms name what each field works on ("teeth", "pets", "hackers"), 0.983
    // after the resolver's fixes; then by 349 from students, career offices and scripts: 0.942 on
    // 2,280, and 0.953 once clipped words, student words and wishes after a story were read; then
    // by 166 from a new author: 0.837 on those alone before any change, 0.953 on all 2,446 after
    // industry words in five languages, degrees and majors; then by 246 in ten voices (advisers,
    // career changers, parents, non-native writers, scripts, jargon): 0.711 on those alone before
    // any change, 0.944 on all 2,692 (top-1 0.951) after that round's fixes; then by 202 everyday
    // queries from a third author: 0.757 on those alone before any change, 0.937 on all 2,894
    // (top-1 0.946) after employer types, wishes ("I'd love to talk to ...") and their fixes; then
    // by 196 harder ones from a fourth author (named employers, jargon, long stories): 0.571 on
    // those alone before any change, 0.922 on all 3,090 (top-1 0.932) after that round's words;
    // then by 115 plain ones from a fifth author: 0.783 on those alone, 0.918 on all 3,205; then
    // by 273 from two more (a career office's week; jargon, non-native English and five other
    // languages): 0.711 and 0.730 on those alone before any change, 0.917 on all 3,478 after that
    // round's fixes; then by 199 that describe the work instead of naming it ("someone who keeps
    // the books"): 0.508 on those alone, 0.910 on all 3,677 (top-1 0.924); then by 159 that name
    // kinds of employer in everyday words: 0.755 on those alone, 0.908 on all 3,836 (top-1 0.923);
    // then by 158 that put a job at a kind of employer ("software developers at a regional bank"):
    // 0.715 on those alone, 0.907 on all 3,994 (top-1 0.928) once such a job is read as a title
    // and a company; then by 285 from two more authors (users' mix; stories around a niche):
    // 0.822 and 0.660 on those alone before any change, 0.906 on all 4,279 (top-1 0.927) after
    // the last sentence that names a field answers and a refinement after ", ideally" narrows.
    assert!(
        exact >= 0.9,
        "exact-set accuracy {exact:.3}: {:?}",
        report.misses
    );
    assert!(top1 >= 0.92, "top-1 accuracy {top1:.3}");
    let holdout = evaluate_queries(taxonomy, &parse_queries(QUERIES_HOLDOUT).unwrap());
    let holdout_exact = holdout.exact_set as f64 / holdout.queries as f64;
    assert!(
        holdout.queries >= 546,
        "{} held-out queries",
        holdout.queries
    );
    // Measured 2026-12-07 on 298 queries (198 plus 100 by a separate author): 0.906, then 0.913
    // at the end of the day (issue 11 item 5 asks for 0.95). Relabelled by majority of three
    // annotators the next day (tests/fixtures/gold/README.md): 0.872 with the same resolver;
    // grown to 384 queries by a new author the same day: 0.823; 0.880 after that day's rounds;
    // 0.885 after the fifth round (fresh tuning rows only); 0.888 after the sixth. Grown to 546
    // by 162 queries from two new authors, three labels each, appended after that round: 0.753 on
    // those alone, 0.848 on all; 0.853 after the seventh round, 0.859 after the eighth; 0.868
    // after the query conventions of the third blind study and the tenth round.
    assert!(
        holdout_exact >= 0.865,
        "held-out exact-set accuracy {holdout_exact:.3}"
    );
}

#[test]
fn every_design_and_fields_query_example_resolves_right() {
    let taxonomy = Taxonomy::embedded();
    let examples: &[(&str, &[&str])] = &[
        ("finance", &["finance"]),
        ("VC", &["finance/venture-capital"]),
        ("investment banking", &["finance/investment-banking"]),
        ("fintech", &["finance/fintech"]),
        ("law", &["law"]),
        ("someone in finance", &["finance"]),
        (
            "fintech or VC",
            &["finance/fintech", "finance/venture-capital"],
        ),
        ("Capital Markets", &["finance/sales-trading"]),
        ("Hospitals and Health Care", &["healthcare"]),
        ("Information Technology", &["software", "hardware"]),
        ("actuary", &["insurance/actuarial"]),
        ("teacher", &["education/k12"]),
        ("PE", &["finance/private-equity"]),
        ("M&A", &["finance/investment-banking"]),
        ("MBB", &["consulting/management"]),
        ("Big 4", &["accounting", "consulting"]),
        ("finance/venture-capital", &["finance/venture-capital"]),
    ];
    for (query, expected) in examples {
        let resolution = taxonomy.resolve(query);
        let got: Vec<&str> = resolution.fields.iter().map(|f| f.field.as_str()).collect();
        assert_eq!(&got, expected, "query {query:?}");
        assert!(
            resolution
                .fields
                .iter()
                .all(|f| !f.reason.is_empty() && f.score > 0.0)
        );
    }
}

#[test]
fn the_plain_words_people_type_resolve_to_a_field() {
    // Issue 11 item 5: `warmpath ask engineering` once said "no field matches".
    let taxonomy = Taxonomy::embedded();
    let words: &[(&str, &[&str])] = &[
        ("engineering", &["software/engineering"]),
        ("engineers", &["software/engineering"]),
        ("tech", &["software", "hardware"]),
        ("computers", &["software", "hardware"]),
        ("computer", &["software", "hardware"]),
        (
            "banking",
            &["finance/banking", "finance/investment-banking"],
        ),
        ("wall street", &["finance"]),
        ("startups", &["software", "finance/venture-capital"]),
        ("startup", &["software", "finance/venture-capital"]),
        ("coding", &["software/engineering"]),
        ("programming", &["software/engineering"]),
        ("medicine", &["healthcare"]),
        ("doctors", &["healthcare/physicians"]),
        ("lawyers", &["law"]),
        ("government", &["government"]),
        ("nonprofit", &["nonprofit"]),
        ("teaching", &["education/k12"]),
        ("consulting", &["consulting"]),
        ("marketing", &["marketing"]),
        ("finance jobs", &["finance"]),
        ("someone at a bank", &["finance/banking"]),
        ("marketers", &["marketing"]),
        (
            "bankers",
            &["finance/banking", "finance/investment-banking"],
        ),
        ("public sector jobs", &["government"]),
        ("drug companies", &["life_sciences/pharma"]),
        ("advertising and marketing", &["marketing"]),
        ("solar energy", &["energy/renewables"]),
        (
            "civil engineering",
            &["construction/engineering-contracting"],
        ),
        // The request around the words is filler.
        (
            "does anyone know a banker",
            &["finance/banking", "finance/investment-banking"],
        ),
        ("friends in engineering", &["software/engineering"]),
        // Plurals cover a query word by word; "and"/"or" join parts that each resolve alone.
        ("judges and lawyers", &["law"]),
        ("startups and VCs", &["software", "finance/venture-capital"]),
    ];
    for (query, expected) in words {
        let resolution = taxonomy.resolve(query);
        let got: Vec<&str> = resolution.fields.iter().map(|f| f.field.as_str()).collect();
        assert_eq!(&got, expected, "query {query:?}: {resolution:?}");
    }
}

#[test]
fn a_word_that_names_an_institution_is_not_the_occupation() {
    // "police" alone would make a police reporter a police officer; a dispatcher's employer decides.
    let taxonomy = Taxonomy::embedded();
    let examples: &[(&str, &str, &[&str])] = &[
        ("Police Reporter", "Chicago Tribune", &["media/journalism"]),
        ("Police Sergeant", "", &["government/public-safety"]),
        ("Dispatcher", "FedEx", &["transport/logistics"]),
        ("911 Dispatcher", "", &["government/public-safety"]),
        (
            "Environmental Health and Safety Specialist",
            "Dow",
            &["manufacturing/chemicals-materials"],
        ),
    ];
    for (title, company, expected) in examples {
        let classification = taxonomy.classify(title, company, None);
        assert_eq!(&classification.fields, expected, "{title:?} @ {company:?}");
    }
}

#[test]
fn sales_is_a_role_filtered_by_title_not_the_word_sale() {
    let taxonomy = Taxonomy::embedded();
    for (query, role) in [
        ("sales", "sales"),
        ("Sales", "sales"),
        ("salesmen", "sales"),
        ("sales team", "sales"),
        ("founders", "founder"),
        ("CEOs", "ceo"),
        ("operations", "operations"),
    ] {
        let resolution = taxonomy.resolve(query);
        assert!(resolution.fields.is_empty(), "{query:?}: {resolution:?}");
        assert_eq!(resolution.title.as_deref(), Some(role), "{query:?}");
        assert!(
            resolution
                .hint
                .as_deref()
                .unwrap_or("")
                .contains(&format!("title={role}")),
            "{resolution:?}"
        );
    }
}

#[test]
fn a_company_whose_name_holds_a_filler_word_is_still_a_company() {
    let resolution = Taxonomy::embedded().resolve("Bain & Company");
    assert!(resolution.fields.is_empty(), "{resolution:?}");
    assert_eq!(resolution.company.as_deref(), Some("Bain & Company"));
}

#[test]
fn a_typo_resolves_and_says_it_was_a_typo() {
    let resolution = Taxonomy::embedded().resolve("finanse");
    assert_eq!(resolution.fields[0].field, "finance");
    assert!(
        resolution.fields[0].reason.starts_with("typo"),
        "{:?}",
        resolution.fields[0]
    );
}

#[test]
fn roles_resolve_to_no_field_with_a_hint_to_filter_by_title() {
    let resolution = Taxonomy::embedded().resolve("founders");
    assert!(resolution.fields.is_empty());
    assert!(
        resolution
            .hint
            .as_deref()
            .unwrap_or("")
            .contains("title=founder"),
        "{resolution:?}"
    );
}

#[test]
fn a_company_name_query_is_a_company_suggestion_not_a_field() {
    let resolution = Taxonomy::embedded().resolve("Goldman Sachs");
    assert!(resolution.fields.is_empty());
    assert_eq!(resolution.company.as_deref(), Some("Goldman Sachs"));
}

#[test]
fn analyst_alone_is_never_finance() {
    let taxonomy = Taxonomy::embedded();
    let titles = [
        "Analyst",
        "analyst",
        "ANALYST",
        "Senior Analyst",
        "Analyst II",
        "Lead Analyst",
        "Sr. Analyst",
    ];
    let companies = [
        "",
        "Acme",
        "Target",
        "Acme Holdings",
        "Kroger",
        "Self-employed",
    ];
    for title in titles {
        for company in companies {
            let classification = taxonomy.classify(title, company, None);
            assert!(
                classification
                    .fields
                    .iter()
                    .all(|f| !f.starts_with("finance")),
                "{title:?} @ {company:?} => {}",
                names(&classification.fields)
            );
        }
    }
    for generic in [
        "Analyst",
        "Associate",
        "Engineer",
        "Manager",
        "Consultant",
        "Partner",
        "Director",
    ] {
        assert!(
            taxonomy.classify(generic, "", None).fields.is_empty(),
            "{generic} alone decided a field"
        );
    }
}

#[test]
fn the_fields_worked_examples_classify_as_documented() {
    let taxonomy = Taxonomy::embedded();
    let examples: &[(&str, &str, Option<&str>, &[&str])] = &[
        (
            "Software Engineer",
            "Goldman Sachs",
            None,
            &["finance", "software/engineering"],
        ),
        (
            "Investment Banking Analyst",
            "Goldman Sachs",
            None,
            &["finance/investment-banking"],
        ),
        ("Analyst", "Goldman Sachs", None, &["finance"]),
        (
            "Partner",
            "Sequoia Capital",
            None,
            &["finance/venture-capital"],
        ),
        (
            "Partner",
            "Kirkland & Ellis",
            None,
            &["law/private-practice"],
        ),
        (
            "Financial Analyst",
            "Google",
            None,
            &["finance/corporate-finance", "software"],
        ),
        ("Attorney", "Google", None, &["law/in-house", "software"]),
        (
            "Registered Nurse",
            "Capital Health",
            None,
            &["healthcare/nursing"],
        ),
        (
            "Registered Nurse",
            "Capital Health Partners",
            None,
            &["healthcare/nursing"],
        ),
        (
            "Professor of Economics",
            "Stanford University",
            None,
            &["education/higher-ed", "research/academic"],
        ),
        (
            "Associate",
            "Bain & Company",
            None,
            &["consulting/management"],
        ),
        (
            "Associate",
            "Bain Capital",
            None,
            &["finance/private-equity"],
        ),
        ("Associate", "Bain", None, &[]),
        (
            "",
            "",
            Some("someone@treasury.gov"),
            &["government/federal"],
        ),
        (
            "Data Scientist",
            "Summit Ventures",
            None,
            &["software/data-ai"],
        ),
        (
            "Analyst",
            "Summit Ventures",
            None,
            &["finance/venture-capital"],
        ),
    ];
    for (title, company, email, expected) in examples {
        let classification = taxonomy.classify(title, company, *email);
        assert_eq!(&classification.fields, expected, "{title:?} @ {company:?}");
    }
}

#[test]
fn every_computed_field_carries_evidence_naming_its_source() {
    let taxonomy = Taxonomy::embedded();
    for row in parse_titles(TITLES).unwrap() {
        let email = Some(row.email.as_str()).filter(|e| !e.is_empty());
        let classification = taxonomy.classify(&row.title, &row.company, email);
        assert!(classification.fields.len() <= 3);
        for field in &classification.fields {
            let top = field.split('/').next().unwrap_or(field);
            assert!(
                classification
                    .evidence
                    .iter()
                    .any(|e| e.field.split('/').next() == Some(top)
                        && ["title", "company", "email_domain"].contains(&e.source)
                        && !e.matched.is_empty()),
                "{field} without evidence for {:?} @ {:?}",
                row.title,
                row.company
            );
        }
    }
}

#[test]
fn alias_collisions_named_in_fields_md_resolve_to_different_firms() {
    let taxonomy = Taxonomy::embedded();
    let pairs: &[(&str, &str, &str, &str)] = &[
        (
            "Citadel",
            "finance/hedge-funds",
            "The Citadel",
            "education/higher-ed",
        ),
        (
            "Apollo Global Management",
            "finance/private-equity",
            "Apollo Hospitals",
            "healthcare",
        ),
        (
            "Fidelity Investments",
            "finance/asset-management",
            "Fidelity National Financial",
            "insurance",
        ),
        (
            "Guggenheim Partners",
            "finance",
            "Guggenheim Museum",
            "arts/museums",
        ),
        (
            "Sequoia Capital",
            "finance/venture-capital",
            "Sequoia Hospital",
            "healthcare",
        ),
        (
            "BlackRock",
            "finance/asset-management",
            "Blackstone",
            "finance/private-equity",
        ),
        ("Capital One", "finance/banking", "Acme Capital", "finance"),
        (
            "Mercer",
            "consulting",
            "Mercer University",
            "education/higher-ed",
        ),
        ("Amazon", "software", "Amazon Web Services", "software"),
        (
            "Bain & Company",
            "consulting/management",
            "Bain Capital",
            "finance/private-equity",
        ),
    ];
    for (first, first_field, second, second_field) in pairs {
        for (company, expected) in [(first, first_field), (second, second_field)] {
            let fields = taxonomy.classify("Associate", company, None).fields;
            assert_eq!(fields, vec![expected.to_string()], "Associate @ {company}");
        }
    }
}
