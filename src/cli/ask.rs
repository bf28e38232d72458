//! `warmpath ask "finance"`: who can introduce me to someone in a field, as a table, or as
//! exactly the JSON body of `GET /v1/introducers` (`--paths`: of `GET /v1/paths`).

use std::path::Path;
use std::process::ExitCode;

use anyhow::Context;

use crate::ask::{AlreadyKnow, IntroducersBody, Located, Network, PathsBody, Question};
use crate::identity::PersonRef;
use crate::search::Scratch;
use crate::store::{Store, WorkspaceId};
use crate::taxonomy::Taxonomy;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The field to look for: an id such as finance, or text such as "VC" or "investment banking".
    field: String,
    /// Whose network to search from: me, a person id, an email or a profile URL.
    #[arg(long, default_value = "me")]
    from: String,
    /// Only targets whose company contains this text.
    #[arg(long)]
    company: Option<String>,
    /// Only targets whose title contains this text.
    #[arg(long)]
    title: Option<String>,
    /// Only this target (me, a person id, an email or a profile URL).
    #[arg(long)]
    to: Option<String>,
    /// Ties per path, 1 to 3.
    #[arg(long, default_value_t = Question::DEFAULT_MAX_HOPS)]
    max_hops: u8,
    /// How many answers.
    #[arg(long, default_value_t = Question::DEFAULT_LIMIT)]
    limit: usize,
    /// Show ranked paths to targets instead of introducers.
    #[arg(long)]
    paths: bool,
    /// Print the JSON body of the matching HTTP endpoint.
    #[arg(long)]
    json: bool,
    /// Ask the demo network in data/demo (loaded into a fresh temporary database) instead of --db.
    #[arg(long)]
    demo: bool,
    /// The workspace: one network with its own "me" and key (a database starts with
    /// `default`).
    #[arg(long, default_value = "default")]
    workspace: String,
}

pub fn run(db: &Path, args: Args) -> anyhow::Result<ExitCode> {
    let temporary = tempfile::tempdir().context("cannot create a temporary directory")?;
    let (store, workspace) = if args.demo {
        let (mut store, workspace) = super::open(&temporary.path().join("demo.db"), "default")?;
        crate::demo::load(&mut store, workspace).context("cannot load the demo network")?;
        (store, workspace)
    } else {
        super::open(db, &args.workspace)?
    };
    check_field(&args.field)?;
    let question = question(&args)?;
    let published = super::network(&store, workspace)?;
    let network = &published.network;
    let at = locate(&store, workspace, network, &question)?;
    let mut scratch = Scratch::new(&network.snapshot);
    if args.paths {
        let body = network.paths(&question, at, &mut scratch)?;
        if args.json {
            super::print_body(&body)?
        } else {
            print_paths(&body, &args.field)?
        }
    } else {
        let body = network.introducers(&question, at, &mut scratch)?;
        if args.json {
            super::print_body(&body)?
        } else {
            print_introducers(&body, &args.field, network)?
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// Refuses field text that resolves to no field, saying what to try instead: a role
/// ("founders") is a `--title` filter and a company ("Goldman Sachs") a `--company` one.
fn check_field(text: &str) -> anyhow::Result<()> {
    let taxonomy = Taxonomy::embedded();
    if text.trim().is_empty() || taxonomy.field(text).is_some() {
        return Ok(());
    }
    let resolution = taxonomy.resolve(text);
    if !resolution.fields.is_empty() {
        return Ok(());
    }
    let advice = match (resolution.title, resolution.company, resolution.hint) {
        (Some(title), _, _) => format!("try --title {title} (warmpath ask \"\" --title {title})"),
        (None, Some(company), _) => {
            format!("try --company {company:?} (warmpath ask \"\" --company {company:?})")
        }
        (None, None, Some(hint)) => hint,
        (None, None, None) => "warmpath ask --help says what a field can be".to_string(),
    };
    anyhow::bail!("no field matches {text:?}; {advice}")
}

/// The question the flags ask, checked once.
fn question(args: &Args) -> anyhow::Result<Question> {
    let person = |text: &str, flag: &str| PersonRef::parse(text).with_context(|| flag.to_string());
    Ok(Question {
        from: person(&args.from, "--from")?,
        to: args
            .to
            .as_deref()
            .map(|to| person(to, "--to"))
            .transpose()?,
        field: Some(args.field.clone()),
        company: args.company.clone(),
        title: args.title.clone(),
        max_hops: args.max_hops,
        limit: args.limit,
    }
    .checked()?)
}

/// The question's people in the network (found through the store when the network alone
/// cannot tell, so an unknown one is reported with its flag).
fn locate(
    store: &Store,
    workspace: WorkspaceId,
    network: &Network,
    question: &Question,
) -> anyhow::Result<Located> {
    if let Some(at) = network.locate(question) {
        return Ok(at);
    }
    let node = |reference: &PersonRef, flag: &str| -> anyhow::Result<_> {
        let person = store
            .require_person(workspace, reference)
            .with_context(|| flag.to_string())?;
        Ok(network.node_of(person)?)
    };
    Ok(Located {
        from: node(&question.from, "--from")?,
        to: question
            .to
            .as_ref()
            .map(|to| node(to, "--to"))
            .transpose()?,
    })
}

fn print_introducers(
    body: &IntroducersBody,
    asked: &str,
    network: &Network,
) -> std::io::Result<()> {
    out!(
        "Who can introduce {} to someone in {asked} ({}):",
        super::printable(&body.from.name),
        if body.fields.is_empty() {
            "any field".to_string()
        } else {
            body.fields.join(", ")
        }
    )?;
    print_known(&body.already_know, asked)?;
    if body.introducers.is_empty() {
        let snapshot = &network.snapshot;
        if snapshot.tie_count() == 0 {
            out!(
                "  nobody in this network yet: import contact lists (yours, your family's, your professors')"
            )?;
        } else {
            out!(
                "  nobody in {asked} is within reach through your contacts ({} and {} in this network): import more lists (your family's, your professors')",
                super::count(snapshot.people_count(), "person", "people"),
                super::count(snapshot.tie_count(), "tie", "ties"),
            )?;
        }
        return Ok(());
    }
    out!(
        "{:>3}  {:<24} {:<13} {:>5} {:>6} {:>5}  best targets",
        "#",
        "introducer",
        "relationship",
        "tie",
        "score",
        "reach"
    )?;
    for (rank, introducer) in body.introducers.iter().enumerate() {
        let targets: Vec<String> = introducer
            .targets
            .iter()
            .map(|target| describe(&target.person))
            .collect();
        out!(
            "{:>3}  {:<24} {:<13} {:>5.2} {:>6.3} {:>5}  {}",
            rank + 1,
            super::truncate(&introducer.person.name, 24),
            introducer.relationship.as_deref().unwrap_or("-"),
            introducer.strength,
            introducer.score,
            introducer.reach,
            targets.join("; ")
        )?;
    }
    Ok(())
}

fn print_paths(body: &PathsBody, asked: &str) -> std::io::Result<()> {
    out!(
        "Paths from {} ({}):",
        super::printable(&body.from.name),
        body.fields.join(", ")
    )?;
    print_known(&body.already_know, asked)?;
    if body.paths.is_empty() {
        out!("  no path found")?;
    }
    for (rank, path) in body.paths.iter().enumerate() {
        let chain: Vec<String> = path
            .hops
            .iter()
            .map(|hop| {
                format!(
                    "{} ({}, {:.2})",
                    super::printable(&hop.to.name),
                    hop.relationship.as_deref().unwrap_or("tie"),
                    hop.strength
                )
            })
            .collect();
        out!(
            "{:>3}. {:.3}  you → {}",
            rank + 1,
            path.score,
            chain.join(" → ")
        )?;
        out!("      {}", super::printable(&path.explanation))?;
        for warning in &path.warnings {
            out!("      ! {}", super::printable(warning))?;
        }
    }
    Ok(())
}

/// "You already know 2 people in finance: Maria Lopez (family, 0.81), Tom Baker (friend, 0.62)."
fn print_known(known: &AlreadyKnow, asked: &str) -> std::io::Result<()> {
    if known.count == 0 {
        return Ok(());
    }
    let shown: Vec<String> = known
        .people
        .iter()
        .map(|contact| {
            format!(
                "{} ({}, {:.2})",
                describe(&contact.person),
                contact.relationship.as_deref().unwrap_or("tie"),
                contact.strength
            )
        })
        .collect();
    let more = known.count as usize - known.people.len();
    out!(
        "  You already know {} in {asked}: {}{}",
        super::count(known.count as usize, "person", "people"),
        shown.join("; "),
        if more > 0 {
            format!("; and {more} more")
        } else {
            String::new()
        }
    )
}

fn describe(person: &crate::store::Person) -> String {
    let text = match (&person.title, &person.company) {
        (Some(title), Some(company)) => format!("{} ({title}, {company})", person.name),
        (None, Some(company)) => format!("{} ({company})", person.name),
        (Some(title), None) => format!("{} ({title})", person.name),
        (None, None) => person.name.clone(),
    };
    super::printable(&text)
}
