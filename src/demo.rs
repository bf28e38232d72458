//! The demo network: several people's exports in different formats, shipped inside the
//! binary so `warmpath ask finance --demo` works from anywhere with nothing beside it.
//!
//! It owns loading `data/demo/` into a store, following its `manifest.json`.

use crate::identity::PersonRef;
use crate::relationship::Relationship;
use crate::store::{ImportRequest, OnError, Source, Store, StoreError, WorkspaceId};

/// The files of `data/demo/`, by name.
const FILES: &[(&str, &[u8])] = &[
    (
        "sam-linkedin-Connections.csv",
        include_bytes!("../data/demo/sam-linkedin-Connections.csv"),
    ),
    (
        "mom-google-contacts.csv",
        include_bytes!("../data/demo/mom-google-contacts.csv"),
    ),
    (
        "professor-outlook.csv",
        include_bytes!("../data/demo/professor-outlook.csv"),
    ),
    (
        "jordan-vcard.vcf",
        include_bytes!("../data/demo/jordan-vcard.vcf"),
    ),
    (
        "mentor-contacts.csv",
        include_bytes!("../data/demo/mentor-contacts.csv"),
    ),
];

const MANIFEST: &str = include_str!("../data/demo/manifest.json");

#[derive(serde::Deserialize)]
struct Manifest {
    me: Me,
    imports: Vec<Entry>,
}

#[derive(serde::Deserialize)]
struct Me {
    name: String,
    emails: Vec<String>,
}

#[derive(serde::Deserialize)]
struct Entry {
    file: String,
    owner: String,
    relationship: Option<String>,
}

/// Loads the demo network into a workspace: sets "me", then imports every file in the
/// manifest's order.
///
/// # Errors
/// A [`StoreError`] if a demo file does not import; that is a bug in the shipped data.
pub fn load(store: &mut Store, workspace: WorkspaceId) -> Result<(), StoreError> {
    let manifest: Manifest = serde_json::from_str(MANIFEST)
        .map_err(|error| StoreError::internal("the demo manifest does not read", error))?;
    store.set_me(workspace, Some(&manifest.me.name), &manifest.me.emails)?;
    for entry in &manifest.imports {
        let bytes = FILES
            .iter()
            .find(|(name, _)| *name == entry.file)
            .map(|(_, bytes)| *bytes)
            .ok_or_else(|| {
                StoreError::internal("a demo file is not shipped", entry.file.clone())
            })?;
        let relationship = entry
            .relationship
            .as_deref()
            .map(|word| {
                word.parse::<Relationship>().map_err(|error| {
                    StoreError::internal("a demo relationship is not a word warmpath knows", error)
                })
            })
            .transpose()?;
        let request = ImportRequest {
            source: Source::Bytes(bytes),
            owner: PersonRef::parse(&entry.owner)?,
            relationship,
            format: None,
            encoding: None,
            on_error: OnError::Reject,
            replaces: None,
        };
        store.import(workspace, &request, &mut |_, _| {})?;
    }
    Ok(())
}
