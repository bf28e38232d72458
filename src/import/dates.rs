//! Date cells in every shape the exports use (FORMATS.md §1.1, §3.1).
//!
//! ISO `2024-05-30` (fast path), LinkedIn `30 May 2024`, Excel `8-Jan-18`, European
//! `30.05.2024`, the 2018 LinkedIn `1/8/18, 6:14 PM`, and the Outlook empty-date
//! sentinels `0/0/00` and `0.0.00`.

use chrono::NaiveDate;

/// A cell that is not empty but is no date we know.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct NotADate;

/// Parses a date cell: `Ok(None)` when it is empty or an empty-date sentinel.
pub(crate) fn parse_date(raw: &str) -> Result<Option<NaiveDate>, NotADate> {
    let cell = raw.trim();
    if cell.is_empty() || cell == "0/0/00" || cell == "0.0.00" || cell == "00.00.0000" {
        return Ok(None);
    }
    if let Some(date) = parse_iso(cell) {
        return Ok(Some(date));
    }
    // The 2018 LinkedIn export appends a time after a comma; ISO timestamps after a 'T'
    // or a space.
    let day_part = cell.split(',').next().unwrap_or(cell).trim();
    if let Some(date) = day_part.get(..10).and_then(parse_iso) {
        return Ok(Some(date));
    }
    const FORMATS: [&str; 8] = [
        "%d %b %Y", "%d-%b-%y", "%d-%b-%Y", "%d.%m.%Y", "%d.%m.%y", "%m/%d/%y", "%m/%d/%Y",
        "%b %d %Y",
    ];
    FORMATS
        .iter()
        .find_map(|format| NaiveDate::parse_from_str(day_part, format).ok())
        .map(Some)
        .ok_or(NotADate)
}

/// `YYYY-MM-DD` without going through chrono's format machinery (the native hot path).
fn parse_iso(cell: &str) -> Option<NaiveDate> {
    let bytes = cell.as_bytes();
    if bytes.len() != 10 || bytes[4] != b'-' || bytes[7] != b'-' {
        return None;
    }
    let number = |range: std::ops::Range<usize>| -> Option<u32> {
        bytes[range].iter().try_fold(0u32, |acc, &b| {
            b.is_ascii_digit().then(|| acc * 10 + u32::from(b - b'0'))
        })
    };
    let year = i32::try_from(number(0..4)?).ok()?;
    NaiveDate::from_ymd_opt(year, number(5..7)?, number(8..10)?)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(year: i32, month: u32, day: u32) -> Option<NaiveDate> {
        NaiveDate::from_ymd_opt(year, month, day)
    }

    #[test]
    fn every_export_date_shape_parses() {
        assert_eq!(parse_date("2024-05-30"), Ok(date(2024, 5, 30)));
        assert_eq!(parse_date("30 May 2024"), Ok(date(2024, 5, 30)));
        assert_eq!(parse_date("02 Feb 2025"), Ok(date(2025, 2, 2)));
        assert_eq!(parse_date("8-Jan-18"), Ok(date(2018, 1, 8)));
        assert_eq!(parse_date("28-Nov-2021"), Ok(date(2021, 11, 28)));
        assert_eq!(parse_date("30.05.2024"), Ok(date(2024, 5, 30)));
        assert_eq!(parse_date("1/8/18, 6:14 PM"), Ok(date(2018, 1, 8)));
        assert_eq!(parse_date("2024-03-12 09:14"), Ok(date(2024, 3, 12)));
    }

    #[test]
    fn empty_cells_and_outlook_sentinels_are_no_date() {
        assert_eq!(parse_date(""), Ok(None));
        assert_eq!(parse_date(" 0/0/00 "), Ok(None));
        assert_eq!(parse_date("0.0.00"), Ok(None));
    }

    #[test]
    fn impossible_dates_are_refused() {
        assert_eq!(parse_date("2024-02-30"), Err(NotADate));
        assert_eq!(parse_date("yesterday"), Err(NotADate));
        assert_eq!(parse_date("2024-13-01"), Err(NotADate));
    }
}
