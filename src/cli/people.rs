//! `warmpath people`, `warmpath person` and `warmpath fields`: the people of a workspace
//! found and corrected, and the fields with how many people hold them, as
//! `GET /v1/people`, `PATCH /v1/people/{id}` and `GET /v1/fields` give them.

use std::path::Path;
use std::process::ExitCode;

use anyhow::Context;

use crate::identity::PersonRef;
use crate::store::{PeopleFilter, Person, PersonPatch};

/// The `--workspace` flag.
#[derive(Debug, clap::Args)]
pub struct Workspace {
    /// The workspace: one network with its own "me" and key (a database starts with
    /// `default`).
    #[arg(long, default_value = "default")]
    pub workspace: String,
}

#[derive(Debug, clap::Args)]
pub struct PeopleArgs {
    /// Text in a name, company, title or email (case and accents do not matter).
    query: Option<String>,
    /// Only people in this field (an id such as finance, or text such as "VC").
    #[arg(long)]
    field: Option<String>,
    /// Only people whose company contains this text.
    #[arg(long)]
    company: Option<String>,
    /// How many people at most.
    #[arg(long, default_value_t = 50)]
    limit: usize,
    /// Print the people as JSON, one array.
    #[arg(long)]
    json: bool,
    #[command(flatten)]
    workspace: Workspace,
}

#[derive(Debug, clap::Args)]
pub struct PersonArgs {
    /// The person: me, a person id, an email or a profile URL.
    person: String,
    /// Their name.
    #[arg(long)]
    name: Option<String>,
    /// Their title ("" clears it).
    #[arg(long)]
    title: Option<String>,
    /// Their company ("" clears it).
    #[arg(long)]
    company: Option<String>,
    /// Their emails, replacing the ones they have (repeat for several).
    #[arg(long)]
    email: Vec<String>,
    /// Their fields, overriding classification from then on (repeat for several).
    #[arg(long)]
    field: Vec<String>,
    /// Print the person as JSON.
    #[arg(long)]
    json: bool,
    #[command(flatten)]
    workspace: Workspace,
}

#[derive(Debug, clap::Args)]
pub struct FieldsArgs {
    /// Print the fields as JSON, one array.
    #[arg(long)]
    json: bool,
    #[command(flatten)]
    workspace: Workspace,
}

/// `warmpath people [QUERY]`.
pub fn people(db: &Path, args: PeopleArgs) -> anyhow::Result<ExitCode> {
    let (store, workspace) = super::open(db, &args.workspace.workspace)?;
    let filter = PeopleFilter {
        q: args.query,
        field: args.field,
        company: args.company,
    };
    let page = store.search_people(workspace, &filter, args.limit.clamp(1, 1000), 0)?;
    if args.json {
        super::print_json(&page.items)?;
        return Ok(ExitCode::SUCCESS);
    }
    if page.items.is_empty() {
        out!("nobody matches")?;
    }
    for person in &page.items {
        print_person(person)?;
    }
    if page.next_cursor.is_some() {
        out!("… more: raise --limit or narrow the query")?;
    }
    Ok(ExitCode::SUCCESS)
}

/// `warmpath person PERSON [--name ...]`: show or correct one person.
pub fn person(db: &Path, args: PersonArgs) -> anyhow::Result<ExitCode> {
    let (mut store, workspace) = super::open(db, &args.workspace.workspace)?;
    let reference = PersonRef::parse(&args.person).context("the person")?;
    let id = store.require_person(workspace, &reference)?;
    let patch = PersonPatch {
        name: args.name,
        emails: (!args.email.is_empty()).then_some(args.email),
        fields: (!args.field.is_empty()).then_some(args.field),
        title: args.title,
        company: args.company,
    };
    let person = if patch == PersonPatch::default() {
        store.person(workspace, id)?
    } else {
        store.patch_person(workspace, id, &patch)?
    };
    if args.json {
        super::print_json(&person)?;
    } else {
        print_person(&person)?;
    }
    Ok(ExitCode::SUCCESS)
}

/// `warmpath fields`: the taxonomy with how many people of the workspace hold each field.
pub fn fields(db: &Path, args: FieldsArgs) -> anyhow::Result<ExitCode> {
    let (store, workspace) = super::open(db, &args.workspace.workspace)?;
    let published = super::network(&store, workspace)?;
    let fields = published.network.field_counts();
    if args.json {
        let fields: Vec<serde_json::Value> = fields
            .iter()
            .map(|field| {
                serde_json::json!({
                    "id": field.id,
                    "name": field.name,
                    "parent": field.parent,
                    "people": field.people,
                })
            })
            .collect();
        super::print_json(&fields)?;
        return Ok(ExitCode::SUCCESS);
    }
    for field in &fields {
        let indent = if field.parent.is_some() { "  " } else { "" };
        out!(
            "{indent}{:<width$} {:>7}  {}",
            field.id,
            field.people,
            field.name,
            width = 44 - indent.len()
        )?;
    }
    Ok(ExitCode::SUCCESS)
}

fn print_person(person: &Person) -> std::io::Result<()> {
    let work = match (&person.title, &person.company) {
        (Some(title), Some(company)) => format!("{title}, {company}"),
        (Some(title), None) => title.clone(),
        (None, Some(company)) => company.clone(),
        (None, None) => "-".to_string(),
    };
    out!(
        "{:>8}  {:<28} {:<40} {}  {}",
        person.id.0,
        super::truncate(&person.name, 28),
        super::truncate(&work, 40),
        if person.fields.is_empty() {
            "-".to_string()
        } else {
            person.fields.join(",")
        },
        person.emails.join(", ")
    )
}
