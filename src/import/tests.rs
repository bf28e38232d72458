//! Property tests over the whole `parse` entry point: no byte sequence makes it panic.

use proptest::prelude::*;

use super::{ParseOptions, parse};

/// One header of every detectable shape, so random bodies reach every reader.
const HEADERS: [&str; 10] = [
    "owner_email,name,email,company,title,relationship,last_contacted,interactions,strength,field\n",
    "name,email,relationship,last_contacted,strength\n",
    "Notes:\n\"When exporting\"\n\nFirst Name,Last Name,URL,Email Address,Company,Position,Connected On\n",
    "First Name,Middle Name,Last Name,Phonetic First Name,File As,Labels,E-mail 1 - Label,E-mail 1 - Value,Organization Name\n",
    "Name,Given Name,Additional Name,Family Name,Group Membership,E-mail 1 - Type,E-mail 1 - Value\n",
    "\"Title\",\"First Name\",\"Last Name\",\"Company\",\"Job Title\",\"E-mail Address\",\"E-mail Type\",\"E-mail Display Name\"\n",
    "First Name,Last Name,Given Yomi,Surname Yomi,E-mail Address,IMAddress,Job Title,Company\n",
    "Vorname;Nachname;Firma;Position;E-Mail-Adresse\n",
    "Record ID,First Name,Last Name,Email,Company Name,Job Title\n",
    "BEGIN:VCARD\r\nVERSION:2.1\r\nN;ENCODING=QUOTED-PRINTABLE:",
];

proptest! {
    #[test]
    fn parse_never_panics_on_arbitrary_bytes(bytes in proptest::collection::vec(any::<u8>(), 0..600)) {
        let outcome = parse(&bytes, &ParseOptions::default());
        if let Ok(parsed) = outcome {
            prop_assert!(parsed.rows.iter().all(|row| !row.name.is_empty()));
        }
    }

    #[test]
    fn parse_never_panics_on_arbitrary_bytes_after_a_known_header(
        which in 0..HEADERS.len(),
        body in proptest::collection::vec(any::<u8>(), 0..600),
    ) {
        let mut bytes = HEADERS[which].as_bytes().to_vec();
        bytes.extend_from_slice(&body);
        let outcome = parse(&bytes, &ParseOptions::default());
        prop_assert!(outcome.is_ok());
        if let Ok(parsed) = outcome {
            prop_assert!(parsed.rows.iter().all(|row| !row.name.is_empty() && row.line >= 1));
            prop_assert!(parsed.problems.iter().all(|problem| problem.line >= 1 && problem.column >= 1));
        }
    }

    #[test]
    fn parse_never_panics_on_text_like_rows(
        which in 0..HEADERS.len(),
        body in "[a-zA-Z0-9@.,;:\"\\r\\n =\\\\-]{0,400}",
    ) {
        let text = format!("{}{}", HEADERS[which], body);
        prop_assert!(parse(text.as_bytes(), &ParseOptions::default()).is_ok());
    }
}
