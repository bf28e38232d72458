//! Header aliases: which column of an export holds which part of a contact.
//!
//! One table per format family (LinkedIn, Google, Outlook in en/de/fr/es/nl, generic CRM
//! exports). Ambiguous words are resolved per family: LinkedIn and German Outlook
//! `Position` is the job title, Outlook `Title` is an honorific, a generic `Title` is
//! the job title (Salesforce).

use crate::import::Format;

/// The columns of warmpath's native contact list (the network format adds `owner_email`).
pub(crate) const NATIVE_COLUMNS: [&str; 9] = [
    "name",
    "email",
    "company",
    "title",
    "relationship",
    "last_contacted",
    "interactions",
    "strength",
    "field",
];

/// One e-mail slot of an export: its address column and, for Outlook, its type and
/// display-name columns (used for Exchange `EX` entries).
#[derive(Debug, Clone, Default)]
pub(crate) struct EmailSlot {
    pub address: Option<usize>,
    pub kind: Option<usize>,
    pub display: Option<usize>,
}

/// Where each part of a contact is in a row of a mapped (non-native) export.
#[derive(Debug, Clone, Default)]
pub(crate) struct Columns {
    pub full_name: Vec<usize>,
    pub first: Option<usize>,
    pub middle: Option<usize>,
    pub last: Option<usize>,
    /// Nickname, File As: used only when no name was found.
    pub fallback_names: Vec<usize>,
    pub emails: Vec<EmailSlot>,
    pub company: Vec<usize>,
    pub department: Vec<usize>,
    pub title: Vec<usize>,
    /// Columns whose value is a profile URL whatever it points at (LinkedIn `URL`).
    pub profile_urls: Vec<usize>,
    /// Website columns, used only when they point at a LinkedIn profile.
    pub websites: Vec<usize>,
    pub connected_on: Option<usize>,
    pub labels: Vec<usize>,
}

impl Columns {
    /// Whether the header names a person (a name part) or an address.
    pub fn has_person(&self) -> bool {
        !self.full_name.is_empty()
            || self.first.is_some()
            || self.last.is_some()
            || self
                .emails
                .iter()
                .any(|slot| slot.address.is_some() || slot.display.is_some())
    }
}

/// What one header cell means.
enum Role {
    FullName,
    First,
    Middle,
    Last,
    FallbackName,
    Email(usize),
    EmailKind(usize),
    EmailDisplay(usize),
    Company,
    Department,
    Title,
    ProfileUrl,
    Website,
    ConnectedOn,
    Labels,
}

/// Maps a normalised header row for `format`.
pub(crate) fn map(format: Format, header: &[String]) -> Columns {
    let mut columns = Columns::default();
    let mut next_free_slot = 100usize;
    let mut email_slots: Vec<(usize, EmailSlot)> = Vec::new();
    for (index, cell) in header.iter().enumerate() {
        let role = match format {
            Format::LinkedIn => linkedin_role(cell),
            Format::Google | Format::GoogleLegacy => google_role(cell, &mut next_free_slot),
            Format::Outlook | Format::OutlookWeb => outlook_role(cell),
            _ => generic_role(cell, &mut next_free_slot),
        };
        let Some(role) = role else { continue };
        match role {
            Role::FullName => columns.full_name.push(index),
            Role::First => set_once(&mut columns.first, index),
            Role::Middle => set_once(&mut columns.middle, index),
            Role::Last => set_once(&mut columns.last, index),
            Role::FallbackName => columns.fallback_names.push(index),
            Role::Email(slot) => set_once(&mut slot_mut(&mut email_slots, slot).address, index),
            Role::EmailKind(slot) => set_once(&mut slot_mut(&mut email_slots, slot).kind, index),
            Role::EmailDisplay(slot) => {
                set_once(&mut slot_mut(&mut email_slots, slot).display, index)
            }
            Role::Company => columns.company.push(index),
            Role::Department => columns.department.push(index),
            Role::Title => columns.title.push(index),
            Role::ProfileUrl => columns.profile_urls.push(index),
            Role::Website => columns.websites.push(index),
            Role::ConnectedOn => set_once(&mut columns.connected_on, index),
            Role::Labels => columns.labels.push(index),
        }
    }
    columns.emails = email_slots
        .into_iter()
        .map(|(_, slot)| slot)
        .filter(|slot| slot.address.is_some() || slot.display.is_some())
        .collect();
    columns
}

/// Whether a generic header has a name or email column (else the file is refused).
pub(crate) fn has_person_column(header: &[String]) -> bool {
    map(Format::Generic, header).has_person()
}

fn set_once(target: &mut Option<usize>, index: usize) {
    if target.is_none() {
        *target = Some(index);
    }
}

/// Slots are keyed by their number (Outlook's `E-mail 2 ...`); unnumbered columns get
/// keys from 100 up, one each.
fn slot_mut(slots: &mut Vec<(usize, EmailSlot)>, key: usize) -> &mut EmailSlot {
    let position = match slots.iter().position(|(known, _)| *known == key) {
        Some(position) => position,
        None => {
            slots.push((key, EmailSlot::default()));
            slots.len() - 1
        }
    };
    &mut slots[position].1
}

fn linkedin_role(cell: &str) -> Option<Role> {
    Some(match cell {
        "first name" => Role::First,
        "last name" => Role::Last,
        "url" | "profile url" => Role::ProfileUrl,
        "email address" | "e-mail address" | "email" => Role::Email(1),
        "company" => Role::Company,
        "position" | "job title" => Role::Title,
        "connected on" => Role::ConnectedOn,
        _ => return None,
    })
}

fn google_role(cell: &str, next_free_slot: &mut usize) -> Option<Role> {
    Some(match cell {
        "name" => Role::FullName,
        "first name" | "given name" => Role::First,
        "middle name" | "additional name" => Role::Middle,
        "last name" | "family name" => Role::Last,
        "nickname" | "file as" => Role::FallbackName,
        "organization name" => Role::Company,
        "organization title" => Role::Title,
        "organization department" => Role::Department,
        "labels" | "group membership" => Role::Labels,
        _ if numbered(cell, "e-mail ", " - value") => unnumbered(next_free_slot),
        _ if numbered(cell, "organization ", " - name") => Role::Company,
        _ if numbered(cell, "organization ", " - title") => Role::Title,
        _ if numbered(cell, "organization ", " - department") => Role::Department,
        _ if numbered(cell, "website ", " - value") => Role::Website,
        _ => return None,
    })
}

fn outlook_role(cell: &str) -> Option<Role> {
    if let Some(role) = outlook_email_role(cell) {
        return Some(role);
    }
    Some(match cell {
        "name" | "nom complet" | "volledige naam" => Role::FullName,
        "first name" | "vorname" | "prénom" | "prenom" | "nombre" | "voornaam" => Role::First,
        "middle name" | "weitere vornamen" | "deuxième prénom" | "segundo nombre"
        | "middelste naam" | "tweede voornaam" => Role::Middle,
        "last name" | "nachname" | "nom" | "apellidos" | "achternaam" => Role::Last,
        "nickname" | "spitzname" | "surnom" | "alias" => Role::FallbackName,
        "company" | "firma" | "société" | "societe" | "compañía" | "compania" | "organización"
        | "empresa" | "bedrijf" => Role::Company,
        "department" | "abteilung" | "departamento" | "afdeling" => Role::Department,
        "job title" | "position" | "fonction" | "titre du poste" | "puesto" | "cargo"
        | "functie" => Role::Title,
        "web page"
        | "personal web page"
        | "webseite"
        | "webseite (geschäftlich)"
        | "page web"
        | "página web"
        | "webpagina" => Role::Website,
        "categories" | "kategorien" | "catégories" | "categorías" | "categorieën" => {
            Role::Labels
        }
        _ => return None,
    })
}

/// Outlook e-mail columns in English and German, numbered 1 to 3.
fn outlook_email_role(cell: &str) -> Option<Role> {
    const ADDRESS: [&str; 9] = [
        "e-mail address",
        "e-mail-adresse",
        "adresse de messagerie",
        "dirección de correo electrónico",
        "e-mailadres",
        "e-mail 2 address",
        "e-mail 2: adresse",
        "e-mail 3 address",
        "e-mail 3: adresse",
    ];
    const KIND: [&str; 6] = [
        "e-mail type",
        "e-mail-typ",
        "e-mail 2 type",
        "e-mail 2: typ",
        "e-mail 3 type",
        "e-mail 3: typ",
    ];
    const DISPLAY: [&str; 6] = [
        "e-mail display name",
        "e-mail: angezeigter name",
        "e-mail 2 display name",
        "e-mail 2: angezeigter name",
        "e-mail 3 display name",
        "e-mail 3: angezeigter name",
    ];
    let slot = if cell.contains(" 3") {
        3
    } else if cell.contains(" 2") {
        2
    } else {
        1
    };
    if ADDRESS.contains(&cell) {
        return Some(Role::Email(slot));
    }
    for localized in [
        "adresse de messagerie ",
        "dirección de correo electrónico ",
        "e-mailadres ",
    ] {
        if cell.starts_with(localized) {
            return Some(Role::Email(slot));
        }
    }
    if KIND.contains(&cell) {
        return Some(Role::EmailKind(slot));
    }
    if DISPLAY.contains(&cell) {
        return Some(Role::EmailDisplay(slot));
    }
    None
}

/// CRM exports (HubSpot, Salesforce, Thunderbird...): compared without spaces, `_` or `-`.
fn generic_role(cell: &str, next_free_slot: &mut usize) -> Option<Role> {
    let squashed: String = cell
        .chars()
        .filter(|c| !matches!(c, ' ' | '_' | '-' | '.'))
        .collect();
    Some(match squashed.as_str() {
        "name" | "fullname" | "displayname" | "contactname" | "contact" | "person" => {
            Role::FullName
        }
        "firstname" | "givenname" | "first" | "forename" => Role::First,
        "middlename" => Role::Middle,
        "lastname" | "surname" | "familyname" | "last" => Role::Last,
        "nickname" => Role::FallbackName,
        "email" | "emailaddress" | "primaryemail" | "email1" | "emailaddress1" | "workemail"
        | "personalemail" | "secondaryemail" | "email2" | "mail" | "emails" => {
            unnumbered(next_free_slot)
        }
        "company" | "companyname" | "organization" | "organisation" | "organizationname"
        | "accountname" | "employer" | "associatedcompany" => Role::Company,
        "department" | "dept" | "division" => Role::Department,
        "title" | "jobtitle" | "position" | "role" => Role::Title,
        "linkedin" | "linkedinurl" | "linkedinprofile" | "linkedinprofileurl" | "profileurl"
        | "profile" => Role::ProfileUrl,
        "url" | "website" | "webpage" | "webpage1" | "webpage2" => Role::Website,
        _ => return None,
    })
}

fn unnumbered(next_free_slot: &mut usize) -> Role {
    *next_free_slot += 1;
    Role::Email(*next_free_slot)
}

/// `E-mail 3 - Value` matches `numbered(cell, "e-mail ", " - value")`.
fn numbered(cell: &str, prefix: &str, suffix: &str) -> bool {
    cell.strip_prefix(prefix)
        .and_then(|rest| rest.strip_suffix(suffix))
        .is_some_and(|number| !number.is_empty() && number.bytes().all(|b| b.is_ascii_digit()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn header(cells: &[&str]) -> Vec<String> {
        cells.iter().map(|cell| cell.to_string()).collect()
    }

    #[test]
    fn outlook_title_is_an_honorific_and_job_title_is_the_title() {
        let columns = map(
            Format::Outlook,
            &header(&["title", "first name", "job title", "e-mail address"]),
        );
        assert_eq!(columns.title, vec![2]);
        assert_eq!(columns.first, Some(1));
        assert_eq!(columns.emails.len(), 1);
    }

    #[test]
    fn generic_title_is_the_job_title() {
        let columns = map(
            Format::Generic,
            &header(&["firstname", "lastname", "email", "title", "accountid"]),
        );
        assert_eq!(columns.title, vec![3]);
        assert!(columns.company.is_empty());
        assert!(columns.has_person());
    }

    #[test]
    fn google_multi_email_columns_each_get_a_slot() {
        let columns = map(
            Format::Google,
            &header(&[
                "first name",
                "e-mail 1 - label",
                "e-mail 1 - value",
                "e-mail 2 - value",
            ]),
        );
        assert_eq!(columns.emails.len(), 2);
    }
}
