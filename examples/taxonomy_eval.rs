//! Prints per-field precision, recall and support of `warmpath::taxonomy` on the hand-labelled gold set,
//! and query-resolution accuracy: `cargo run --example taxonomy_eval`. `-- --misses` lists the errors on the
//! tuning sets (titles.csv, queries.csv), the ones to work from; `-- --holdout-misses` lists those on the
//! held-out sets, which are for reporting only: tuning against them would spoil the honest estimate.
//! `-- --resolve` reads one query a line from standard input and prints what each resolves to, and why.
//! The scoring rule is documented in `tests/support/taxonomy_eval.rs`.

use warmpath::taxonomy::Taxonomy;
#[path = "../tests/support/taxonomy_eval.rs"]
mod eval;

use eval::{
    QueryReport, TitleReport, evaluate_queries, evaluate_titles, parse_queries, parse_titles,
};

const TITLES: &str = include_str!("../tests/fixtures/gold/titles.csv");
const QUERIES: &str = include_str!("../tests/fixtures/gold/queries.csv");
const HOLDOUT: &str = include_str!("../tests/fixtures/gold/titles_holdout.csv");
const QUERIES_HOLDOUT: &str = include_str!("../tests/fixtures/gold/queries_holdout.csv");

fn main() -> anyhow::Result<()> {
    let show_misses = std::env::args().any(|a| a == "--misses");
    let show_holdout_misses = std::env::args().any(|a| a == "--holdout-misses");
    let taxonomy = Taxonomy::embedded();
    if std::env::args().any(|a| a == "--resolve") {
        for line in std::io::stdin().lines() {
            let query = line?;
            let resolution = taxonomy.resolve(&query);
            let fields: Vec<String> = resolution
                .fields
                .iter()
                .map(|f| format!("{} ({}: {})", f.field, f.via, f.reason))
                .collect();
            println!("{query:?} => {}", fields.join("; "));
        }
        return Ok(());
    }
    let report = evaluate_titles(taxonomy, &parse_titles(TITLES)?);
    print_titles("gold set (titles.csv)", &report);
    let holdout = evaluate_titles(taxonomy, &parse_titles(HOLDOUT)?);
    print_titles(
        "held-out set (titles_holdout.csv, never tuned against)",
        &holdout,
    );
    let queries = evaluate_queries(taxonomy, &parse_queries(QUERIES)?);
    let queries_holdout = evaluate_queries(taxonomy, &parse_queries(QUERIES_HOLDOUT)?);
    for (name, set) in [
        ("queries.csv", &queries),
        ("queries_holdout.csv", &queries_holdout),
    ] {
        println!(
            "{name}: {} queries  exact-set accuracy {:.3}  top-1 accuracy {:.3}",
            set.queries,
            set.exact_set as f64 / set.queries as f64,
            set.top1 as f64 / set.queries as f64
        );
    }
    if show_misses {
        print_misses("tuning sets", &report, &queries);
    }
    if show_holdout_misses {
        print_misses(
            "held-out sets (report only, never tune on them)",
            &holdout,
            &queries_holdout,
        );
    }
    Ok(())
}

fn print_misses(name: &str, titles: &TitleReport, queries: &QueryReport) {
    println!("\n{name}: classification misses (gold => predicted):");
    for (row, predicted) in &titles.misses {
        println!(
            "  {:?} @ {:?} {:?}: {} => {}",
            row.title,
            row.company,
            row.email,
            row.fields.join(";"),
            predicted.join(";")
        );
    }
    println!("\n{name}: query misses (gold => returned):");
    for (query, gold, returned) in &queries.misses {
        println!("  {query:?}: {} => {}", gold.join(";"), returned.join(";"));
    }
}

fn print_titles(name: &str, report: &TitleReport) {
    println!("{name}: {} rows (top-field scoring)\n", report.rows);
    println!(
        "{:<15} {:>9} {:>7} {:>8}",
        "field", "precision", "recall", "support"
    );
    for (field, score) in &report.per_field {
        println!(
            "{:<15} {:>9.3} {:>7.3} {:>8}",
            field,
            score.precision(),
            score.recall(),
            score.support()
        );
    }
    let (precision, recall, f1) = report.micro();
    println!("\nmicro precision {precision:.3}  recall {recall:.3}  F1 {f1:.3}");
    println!(
        "rows exactly right {}/{} ({:.1}%)  sub-field agreement {}/{}",
        report.exact_rows,
        report.rows,
        100.0 * report.exact_rows as f64 / report.rows as f64,
        report.sub_field_agreements,
        report.sub_field_pairs
    );
    println!();
}
