//! `warmpath bench`: the shared benchmark protocol of `../shared/bench/README.md`.
//!
//! It loads the network file into a fresh temporary database of its own (never `--db`),
//! builds the snapshot, runs WB-2HOP and WB-INTRO over the egos one query at a time on one
//! thread, and prints one JSON object with the timings and the process's peak memory.

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use anyhow::{Context, bail};

use crate::bench::{self, BenchEgo};
use crate::config::Settings;
use crate::identity::{PersonRef, normalize};
use crate::import::Format;
use crate::live::{Files, Networks};
use crate::store::{ImportRequest, OnError, Source, Store};
use crate::taxonomy::Taxonomy;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The benchmark's network.csv (native network format).
    #[arg(long)]
    network: PathBuf,
    /// The egos, one email per line.
    #[arg(long)]
    egos: PathBuf,
    /// The target field.
    #[arg(long)]
    field: String,
    /// Answers per query.
    #[arg(long, default_value_t = 10)]
    k: usize,
    /// Write the answers here, in the format check_answers.py reads.
    #[arg(long)]
    answers: Option<PathBuf>,
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let taxonomy = Taxonomy::embedded();
    let field = taxonomy
        .field(&args.field)
        .with_context(|| format!("unknown field {:?}", args.field))?;
    let field_mask = taxonomy.query_mask(field);
    let egos_text = std::fs::read_to_string(&args.egos)
        .with_context(|| format!("cannot read {}", args.egos.display()))?;

    let started = Instant::now();
    std::fs::metadata(&args.network)
        .with_context(|| format!("cannot read {}", args.network.display()))?;
    let directory = tempfile::tempdir().context("cannot create a temporary directory")?;
    let mut store = Store::open(&directory.path().join("bench.db"))?;
    let workspace = store.workspace("default")?;
    let request = ImportRequest {
        source: Source::File(&args.network),
        owner: PersonRef::Me,
        relationship: None,
        format: Some(Format::Network),
        encoding: None,
        on_error: OnError::Reject,
        replaces: None,
    };
    store.import(workspace, &request, &mut |_, _| {})?;
    let published = Networks::new(Settings::from_env()?, Files::Off).current(&store, workspace)?;
    let snapshot = published.snapshot();
    let load_s = started.elapsed().as_secs_f64();

    let egos: Vec<BenchEgo> = egos_text
        .lines()
        .map(str::trim)
        .filter(|line| !line.is_empty())
        .map(|email| BenchEgo {
            email: email.to_string(),
            node: normalize::email(email).and_then(|email| snapshot.node_by_email(&email)),
        })
        .collect();
    if egos.iter().all(|ego| ego.node.is_none()) {
        bail!(
            "none of the egos in {} is in the network",
            args.egos.display()
        );
    }
    let keep = if args.answers.is_some() {
        bench::Answers::Keep
    } else {
        bench::Answers::Discard
    };
    let outcome = bench::run(snapshot, &egos, field_mask, args.k, keep);
    if let (Some(path), Some(answers)) = (&args.answers, &outcome.answers) {
        std::fs::write(path, serde_json::to_vec(answers)?)
            .with_context(|| format!("cannot write {}", path.display()))?;
    }
    let summary = serde_json::json!({
        "people": snapshot.people_count(),
        "ties": snapshot.tie_count(),
        "load_s": (load_s * 1000.0).round() / 1000.0,
        "2hop": outcome.two_hop,
        "intro": outcome.intro,
        "peak_rss_mb": peak_rss_mb(),
    });
    out!("{summary}")?;
    Ok(ExitCode::SUCCESS)
}

/// This process's peak resident set (VmHWM), in MB; `None` where /proc is not available.
fn peak_rss_mb() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|line| line.starts_with("VmHWM:"))?;
    let kilobytes: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kilobytes / 1024)
}
