//! CSV reading with physical line numbers (FORMATS.md §0.2 and §0.5).
//!
//! It owns line-ending normalisation, the csv reader set-up (sniffed delimiter, ragged
//! rows, quoted newlines, `""` escapes) and the one malformation the csv crate does not
//! report: a quote left open at the end of the file.

use std::borrow::Cow;

use super::detect::Header;

/// Whether `bytes` hold a CR not followed by LF (an old Mac line break).
pub(crate) fn has_lone_cr(bytes: &[u8]) -> bool {
    memchr::memchr_iter(b'\r', bytes).any(|index| bytes.get(index + 1) != Some(&b'\n'))
}

/// The line breaks in `bytes` as the readers see them: every LF, and every CR not
/// followed by LF (which [`normalize_lone_cr`] turns into one). A CR at the very end of
/// `bytes` counts as lone, so callers end the slice after an LF or before a byte that is
/// not one.
pub(crate) fn count_line_breaks(bytes: &[u8]) -> usize {
    memchr::memchr2_iter(b'\n', b'\r', bytes)
        .filter(|&index| bytes[index] == b'\n' || bytes.get(index + 1) != Some(&b'\n'))
        .count()
}

/// Turns lone CR line breaks (old Mac files) into LF so lines can be counted on `\n`.
pub(crate) fn normalize_lone_cr(text: Cow<'_, str>) -> Cow<'_, str> {
    if !has_lone_cr(text.as_bytes()) {
        return text;
    }
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\r' && chars.peek() != Some(&'\n') {
            out.push('\n');
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// A record whose quoted field runs to the end of the file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Unterminated {
    pub line: usize,
    pub column: usize,
    /// The last physical line of the file, which the open quote ran to.
    pub last_line: usize,
}

/// How many records the bulk path reads before handing them to be converted.
const CHUNK_RECORDS: usize = 8192;

/// Calls `on_record(line, record)` for every record after the header, in file order,
/// where `line` is the physical line on which the record starts.
///
/// Returns the last record if its quote was never closed (the caller drops it and
/// reports it).
pub(crate) fn for_each_record(
    text: &str,
    header: &Header,
    mut on_record: impl FnMut(usize, &csv::StringRecord),
) -> Option<Unterminated> {
    let mut source = RecordSource::new(text, header);
    let mut record = csv::StringRecord::new();
    while let Some(line) = source.read(&mut record) {
        on_record(line, &record);
    }
    source.unterminated()
}

/// Like [`for_each_record`], but hands over chunks of records (with their lines) while
/// the next chunk is being read on another rayon worker: the bulk-load path.
pub(crate) fn for_each_chunk<F>(
    text: &str,
    header: &Header,
    mut on_chunk: F,
) -> Option<Unterminated>
where
    F: FnMut(&[csv::StringRecord], &[usize]) + Send,
{
    let mut source = RecordSource::new(text, header);
    let mut current = Chunk::default();
    let mut next = Chunk::default();
    current.fill(&mut source);
    while current.len > 0 {
        let (records, lines) = (
            &current.records[..current.len],
            &current.lines[..current.len],
        );
        rayon::join(|| next.fill(&mut source), || on_chunk(records, lines));
        std::mem::swap(&mut current, &mut next);
    }
    source.unterminated()
}

/// A reusable batch of records; the `StringRecord` buffers are kept between fills.
#[derive(Default)]
struct Chunk {
    records: Vec<csv::StringRecord>,
    lines: Vec<usize>,
    len: usize,
}

impl Chunk {
    fn fill(&mut self, source: &mut RecordSource<'_>) {
        self.len = 0;
        self.lines.clear();
        while self.len < CHUNK_RECORDS {
            if self.records.len() == self.len {
                self.records.push(csv::StringRecord::new());
            }
            let Some(line) = source.read(&mut self.records[self.len]) else {
                break;
            };
            self.lines.push(line);
            self.len += 1;
        }
    }
}

/// The csv reader over the text from the header on, translating record positions into
/// physical line numbers of the original file.
struct RecordSource<'a> {
    body: &'a str,
    header_line: usize,
    delimiter: u8,
    reader: csv::Reader<&'a [u8]>,
    /// Line and byte offset (in `body`) where the last record read starts.
    last_start: Option<(usize, usize)>,
}

impl<'a> RecordSource<'a> {
    fn new(text: &'a str, header: &Header) -> RecordSource<'a> {
        let body = &text[header.offset..];
        let mut reader = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .delimiter(header.delimiter)
            .buffer_capacity(1 << 16)
            .from_reader(body.as_bytes());
        // The first record is the header itself.
        let _ = reader.read_record(&mut csv::StringRecord::new());
        RecordSource {
            body,
            header_line: header.line,
            delimiter: header.delimiter,
            reader,
            last_start: None,
        }
    }

    /// Reads the next record; returns its physical line.
    fn read(&mut self, record: &mut csv::StringRecord) -> Option<usize> {
        // The text is valid UTF-8 and read from memory, so the reader cannot fail; stop
        // quietly if it ever does rather than loop.
        if !matches!(self.reader.read_record(record), Ok(true)) {
            return None;
        }
        let (record_line, record_byte) = record.position().map_or((1, 0), |position| {
            (position.line() as usize, position.byte() as usize)
        });
        // csv reports where the previous record ended: before the LF of a CRLF, and
        // before the blank lines it skipped, which still count as physical lines. The
        // record itself starts after them.
        let breaks = &self.body.as_bytes()[record_byte.min(self.body.len())..];
        let skipped_bytes = breaks
            .iter()
            .take_while(|&&b| b == b'\n' || b == b'\r')
            .count();
        let skipped = memchr::memchr_iter(b'\n', &breaks[..skipped_bytes]).count();
        let line = self.header_line + record_line - 1 + skipped;
        self.last_start = Some((line, record_byte + skipped_bytes));
        Some(line)
    }

    fn unterminated(&self) -> Option<Unterminated> {
        let (line, byte) = self.last_start?;
        let record = &self.body.as_bytes()[byte.min(self.body.len())..];
        open_quote_column(record, self.delimiter).map(|column| Unterminated {
            line,
            column,
            // Lone CRs were normalised to LF; a final line break ends the last line.
            last_line: line + memchr::memchr_iter(b'\n', record).count()
                - usize::from(record.ends_with(b"\n")),
        })
    }
}

/// Runs a small RFC 4180 state machine over one record; returns the 1-based field
/// whose quote is still open at the end of the input.
fn open_quote_column(record: &[u8], delimiter: u8) -> Option<usize> {
    let mut field = 1usize;
    let mut at_field_start = true;
    let mut in_quotes = false;
    let mut index = 0usize;
    while index < record.len() {
        let byte = record[index];
        if in_quotes {
            if byte == b'"' {
                if record.get(index + 1) == Some(&b'"') {
                    index += 1;
                } else {
                    in_quotes = false;
                }
            }
        } else if byte == b'"' && at_field_start {
            in_quotes = true;
            at_field_start = false;
        } else if byte == delimiter {
            field += 1;
            at_field_start = true;
        } else if byte == b'\n' || byte == b'\r' {
            return None;
        } else {
            at_field_start = false;
        }
        index += 1;
    }
    in_quotes.then_some(field)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::import::Format;

    fn header_at(text: &str, line: usize, offset: usize) -> Header {
        let _ = text;
        Header {
            format: Format::Generic,
            line,
            offset,
            delimiter: b',',
            cells: Vec::new(),
        }
    }

    fn lines_of(text: &str, header: &Header) -> (Vec<(usize, Vec<String>)>, Option<Unterminated>) {
        let mut seen = Vec::new();
        let open = for_each_record(text, header, |line, record| {
            seen.push((line, record.iter().map(str::to_string).collect()));
        });
        (seen, open)
    }

    #[test]
    fn records_carry_the_physical_line_where_they_start() {
        let text = "pre\n\nname,notes\nAna,\"two\nlines\"\n\nBo,x\r\nCy,y";
        let header = header_at(text, 3, 5);
        let (seen, open) = lines_of(text, &header);
        let lines: Vec<usize> = seen.iter().map(|(line, _)| *line).collect();
        assert_eq!(lines, vec![4, 7, 8]);
        assert_eq!(seen[0].1, vec!["Ana", "two\nlines"]);
        assert_eq!(open, None);
    }

    #[test]
    fn a_quote_open_at_the_end_of_the_file_is_reported() {
        let text = "name,notes\nAna,ok\nBo,\"never closed\nCy,z\n";
        let (_, open) = lines_of(text, &header_at(text, 1, 0));
        assert_eq!(
            open,
            Some(Unterminated {
                line: 3,
                column: 2,
                last_line: 4
            })
        );
    }

    #[test]
    fn a_quote_open_after_a_crlf_or_a_blank_line_is_reported() {
        // csv says a record starts where the previous one ended: before the LF of a CRLF
        // and before skipped blank lines; the open quote is looked for after them.
        let text = "name,notes\nAna,ok\r\nBo,\"never closed";
        let (_, open) = lines_of(text, &header_at(text, 1, 0));
        assert_eq!(
            open,
            Some(Unterminated {
                line: 3,
                column: 2,
                last_line: 3
            })
        );
        let text = "name,notes\r\nAna,ok\r\n\r\n\nBo,\"never closed\r\nCy,z";
        let (seen, open) = lines_of(text, &header_at(text, 1, 0));
        assert_eq!(seen.last().map(|(line, _)| *line), Some(5));
        assert_eq!(
            open,
            Some(Unterminated {
                line: 5,
                column: 2,
                last_line: 6
            })
        );
    }

    #[test]
    fn lone_carriage_returns_become_line_feeds() {
        assert_eq!(normalize_lone_cr(Cow::Borrowed("a\rb\r\nc")), "a\nb\r\nc");
    }

    #[test]
    fn line_breaks_are_counted_as_normalised() {
        assert_eq!(count_line_breaks(b"a\rb\r\nc\nd\r\r\ne"), 5);
        assert_eq!(count_line_breaks(b"no breaks"), 0);
        let text = "a\r\rb\r\nc\r";
        assert_eq!(
            count_line_breaks(text.as_bytes()),
            normalize_lone_cr(Cow::Borrowed(text)).matches('\n').count()
        );
    }
}
