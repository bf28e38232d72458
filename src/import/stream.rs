//! Reading a file of any size block by block, so that a bulk load never holds the whole
//! file, nor all of its rows, in memory.
//!
//! A file that fits in one block (16 MiB) is parsed exactly as [`super::parse`] parses it.
//! A larger one is streamed when its first block is clean UTF-8 (with or without BOM)
//! with LF or CRLF line breaks and a CSV header: each block ends at a record boundary (a
//! line break outside quotes, found by the same quoting rules the csv reader applies),
//! later blocks are parsed behind a copy of the header record (its line, or lines when a
//! quoted header cell holds a line break) with the format fixed, and every line number is
//! shifted back to its physical line in the file. Anything else (a vCard file, UTF-16,
//! Windows-1252, old Mac line breaks) is read whole and parsed once.
//!
//! Bytes that do not decode in a later block are replaced and counted, as they are for a
//! whole file; the count and first line are reported in one warning at the end.

use std::io::Read;

use super::decode::{self, decode_utf8_counting, utf8_warning};
use super::detect::{self, Header, Located};
use super::{Format, ImportError, ParseOptions, ParsedFile, formats, table};

/// The size a block grows to before it is cut at its last record boundary.
pub const BLOCK_BYTES: usize = 16 << 20;

/// Why reading stopped.
#[derive(Debug, thiserror::Error)]
pub enum ReadError {
    #[error(transparent)]
    File(#[from] ImportError),
    #[error("cannot read the file: {0}")]
    Io(#[from] std::io::Error),
}

/// The blocks of one file, parsed one at a time.
pub struct Blocks<R> {
    reader: R,
    options: ParseOptions,
    block_bytes: usize,
    /// Bytes read and not yet parsed; they start at a record boundary (after the first
    /// block).
    buffer: Vec<u8>,
    eof: bool,
    bytes_read: u64,
    state: State,
    /// Line breaks (LF, CRLF or lone CR) in the file before `buffer[0]`.
    lines_before: usize,
    replaced_bytes: usize,
    first_bad_line: Option<usize>,
    unreadable_dates: usize,
    controls_removed: usize,
}

enum State {
    Start,
    /// Streaming a CSV file: its header (as located in the first block). The buffer
    /// starts with a copy of the header's record (`header_len` bytes, `header_lines` line
    /// breaks: more than one when a quoted header cell holds one), so that every later
    /// block is parsed as a file of its own.
    Csv {
        header: Header,
        header_len: usize,
        header_lines: usize,
        format: Format,
        encoding: &'static str,
    },
    Done,
}

impl<R: Read> Blocks<R> {
    pub fn new(reader: R, options: &ParseOptions) -> Blocks<R> {
        Blocks::with_block_size(reader, options, BLOCK_BYTES)
    }

    /// Blocks of about `block_bytes` (tests use tiny ones to cross many boundaries).
    pub fn with_block_size(reader: R, options: &ParseOptions, block_bytes: usize) -> Blocks<R> {
        Blocks {
            reader,
            options: options.clone(),
            block_bytes: block_bytes.max(1),
            buffer: Vec::new(),
            eof: false,
            bytes_read: 0,
            state: State::Start,
            lines_before: 0,
            replaced_bytes: 0,
            first_bad_line: None,
            unreadable_dates: 0,
            controls_removed: 0,
        }
    }

    /// The reader, once the blocks are done with it.
    pub fn into_inner(self) -> R {
        self.reader
    }

    /// Whether every block has been read (after the first, when the file fit in it).
    pub fn is_done(&self) -> bool {
        matches!(self.state, State::Done)
    }

    /// Bytes read from the file so far.
    pub fn bytes_read(&self) -> u64 {
        self.bytes_read
    }

    /// The next block of rows, `None` after the last one. Line numbers are physical lines
    /// of the whole file; `format` and `encoding` are the file's.
    ///
    /// # Errors
    /// [`ReadError::File`] when the file is refused as a whole (only ever on the first
    /// block), [`ReadError::Io`] when reading fails.
    pub fn next_block(&mut self) -> Option<Result<ParsedFile, ReadError>> {
        let result = match self.state {
            State::Start => self.first_block(),
            State::Csv { .. } => self.later_block(),
            State::Done => return None,
        };
        match result {
            Ok(Some(block)) => Some(Ok(block)),
            Ok(None) => {
                self.state = State::Done;
                None
            }
            Err(error) => {
                self.state = State::Done;
                Some(Err(error))
            }
        }
    }

    /// Warnings that only the whole file can give (counts summed over every block), to be
    /// added after the last block.
    pub fn closing_warnings(&self) -> Vec<String> {
        let mut warnings = Vec::new();
        if self.replaced_bytes > 0 {
            warnings.push(utf8_warning(
                self.replaced_bytes,
                self.first_bad_line.unwrap_or(1),
            ));
        }
        warnings.extend(super::count_warnings(
            self.unreadable_dates,
            self.controls_removed,
        ));
        warnings
    }

    fn fill_to(&mut self, size: usize) -> std::io::Result<()> {
        while !self.eof && self.buffer.len() < size {
            let want = (size - self.buffer.len()) as u64;
            let read = loop {
                match (&mut self.reader).take(want).read_to_end(&mut self.buffer) {
                    Ok(read) => break read,
                    Err(error) if error.kind() == std::io::ErrorKind::Interrupted => {}
                    Err(error) => return Err(error),
                }
            };
            self.bytes_read += read as u64;
            self.eof = read == 0;
        }
        Ok(())
    }

    fn read_rest(&mut self) -> std::io::Result<()> {
        self.reader.read_to_end(&mut self.buffer).map(|read| {
            self.bytes_read += read as u64;
            self.eof = true;
        })
    }

    /// Parses the whole (rest of the) file at once, as [`super::parse`] does.
    fn whole_file(&mut self) -> Result<Option<ParsedFile>, ReadError> {
        self.read_rest()?;
        let bytes = std::mem::take(&mut self.buffer);
        let parsed = super::parse(&bytes, &self.options)?;
        self.state = State::Done;
        Ok(Some(parsed))
    }

    fn first_block(&mut self) -> Result<Option<ParsedFile>, ReadError> {
        self.fill_to(self.block_bytes)?;
        if self.eof {
            return self.whole_file();
        }
        // A file is streamed when the head's complete lines hold a CSV header and are clean
        // UTF-8 without lone carriage returns.
        let Some(head_end) = self
            .buffer
            .iter()
            .rposition(|&b| b == b'\n')
            .map(|at| at + 1)
        else {
            return self.whole_file();
        };
        let Some((header, encoding)) = self.clean_csv_header(head_end) else {
            return self.whole_file();
        };
        let Some(cut) = self.cut(header.delimiter, header.offset + self.bom_len())? else {
            return self.whole_file();
        };
        // The first block as cut (shorter or longer than the head the header was found
        // in) must pass the same checks and show the same header: a lone CR, or a byte
        // that does not decode, past the head would otherwise slip into the header record
        // copied in front of every later block. A cut at the head's end was checked just
        // above.
        if cut != head_end {
            match self.clean_csv_header(cut) {
                Some((found, _))
                    if (found.format, found.line, found.offset, found.delimiter)
                        == (header.format, header.line, header.offset, header.delimiter) => {}
                _ => return self.whole_file(),
            }
        }
        // The header record is copied from the first block, which is clean UTF-8 and ends
        // after it; the bytes read beyond the cut may be anything (broken bytes, or a
        // character the read cut in half) and never decide the header. It is the record
        // the csv reader skips as the header, which a quoted line break in it makes
        // longer than the header's line.
        let mut header_text = {
            let record = &self.buffer[self.bom_len() + header.offset..cut];
            let end = RecordEnds::new(record, header.delimiter, 0)
                .next()
                .unwrap_or(record.len());
            record[..end].to_vec()
        };
        if !header_text.ends_with(b"\n") {
            header_text.push(b'\n');
        }
        let header_lines = table::count_line_breaks(&header_text);
        let mut parsed = super::parse_unfinished(&self.buffer[..cut], &self.options)?;
        parsed.encoding = encoding;
        self.unreadable_dates += std::mem::take(&mut parsed.unreadable_dates);
        self.controls_removed += std::mem::take(&mut parsed.controls_removed);
        self.lines_before += table::count_line_breaks(&self.buffer[..cut]);
        let header_len = header_text.len();
        self.buffer.splice(..cut, header_text);
        self.state = State::Csv {
            format: header.format,
            header,
            header_len,
            header_lines,
            encoding,
        };
        Ok(Some(parsed))
    }

    fn bom_len(&self) -> usize {
        if self.buffer.starts_with(b"\xEF\xBB\xBF") {
            3
        } else {
            0
        }
    }

    /// The CSV header of `buffer[..end]` when those bytes are clean UTF-8 without lone
    /// carriage returns.
    fn clean_csv_header(&self, end: usize) -> Option<(Header, &'static str)> {
        let head = &self.buffer[..end];
        let decoded = decode::decode(head, self.options.encoding);
        if decoded.encoding != encoding_rs::UTF_8 || !decoded.warnings.is_empty() {
            return None;
        }
        let text = &decoded.text;
        if table::has_lone_cr(text.as_bytes()) {
            return None;
        }
        match detect::locate(text, self.options.format) {
            Ok(Located::Csv(header)) => Some((header, decode::lowercase_name(decoded.encoding))),
            _ => None,
        }
    }

    /// Makes sure the buffer holds a complete record after `from`, reading more as needed;
    /// the end of the last complete record, or `None` at the end of the file.
    fn cut(&mut self, delimiter: u8, from: usize) -> std::io::Result<Option<usize>> {
        let mut want = (from + self.block_bytes).max(self.buffer.len());
        loop {
            if let Some(end) = RecordEnds::new(&self.buffer, delimiter, from).last() {
                return Ok(Some(end));
            }
            if self.eof {
                return Ok(None);
            }
            want *= 2;
            self.fill_to(want)?;
        }
    }

    fn later_block(&mut self) -> Result<Option<ParsedFile>, ReadError> {
        let State::Csv {
            header,
            header_len,
            header_lines,
            format,
            encoding,
        } = &self.state
        else {
            return Ok(None);
        };
        let (header, header_len, header_lines, format, encoding) = (
            header.clone(),
            *header_len,
            *header_lines,
            *format,
            *encoding,
        );
        self.fill_to(header_len + self.block_bytes)?;
        if self.buffer.len() == header_len {
            return Ok(None);
        }
        let cut = if self.eof {
            self.buffer.len()
        } else {
            self.cut(header.delimiter, header_len)?
                .unwrap_or(self.buffer.len())
        };
        // Lone CRs are line breaks once normalised, so they count as lines here too (the
        // block ends after an LF, and a broken byte is never one).
        let block_lines = table::count_line_breaks(&self.buffer[header_len..cut]);
        let (text, replaced) = decode_utf8_counting(&self.buffer[..cut]);
        if let Some((bytes, first)) = replaced {
            self.replaced_bytes += bytes;
            let line = table::count_line_breaks(&self.buffer[header_len..first.max(header_len)]);
            self.first_bad_line
                .get_or_insert(self.lines_before + line + 1);
        }
        let text = table::normalize_lone_cr(text);
        let block_header = Header {
            line: 1,
            offset: 0,
            ..header
        };
        let mut parsed = formats::parse_csv(&text, &block_header)?;
        drop(text);
        // The block's first line after the header (line `header_lines + 1`) is physical
        // line `lines_before + 1`.
        let shift = self.lines_before.saturating_sub(header_lines);
        for row in &mut parsed.rows {
            row.line += shift;
        }
        parsed.problems = std::mem::take(&mut parsed.problems)
            .into_iter()
            .map(|problem| problem.shifted(shift))
            .collect();
        // Header-level warnings were given with the first block.
        parsed.warnings.clear();
        self.unreadable_dates += std::mem::take(&mut parsed.unreadable_dates);
        self.controls_removed += std::mem::take(&mut parsed.controls_removed);
        parsed.format = format;
        parsed.encoding = encoding;
        self.lines_before += block_lines;
        self.buffer.copy_within(cut.., header_len);
        self.buffer.truncate(self.buffer.len() - (cut - header_len));
        Ok(Some(parsed))
    }
}

/// One past every `\n` of `bytes[from..]` that ends a record, in order, reading from a
/// record start with the csv reader's quoting rules (RFC 4180: a quote opens a field only
/// at its start, `""` inside quotes is a quote, CR and LF end records outside quotes).
/// It stops at a quote that never closes.
struct RecordEnds<'a> {
    bytes: &'a [u8],
    delimiter: u8,
    at: usize,
    field_start: bool,
}

impl<'a> RecordEnds<'a> {
    fn new(bytes: &'a [u8], delimiter: u8, from: usize) -> RecordEnds<'a> {
        RecordEnds {
            bytes,
            delimiter,
            at: from,
            field_start: true,
        }
    }
}

impl Iterator for RecordEnds<'_> {
    type Item = usize;

    fn next(&mut self) -> Option<usize> {
        let bytes = self.bytes;
        while self.at < bytes.len() {
            if self.field_start && bytes[self.at] == b'"' {
                // A quoted field runs to a quote that is not doubled.
                let mut search = self.at + 1;
                loop {
                    let Some(quote) = memchr::memchr(b'"', &bytes[search..]) else {
                        self.at = bytes.len();
                        return None;
                    };
                    let quote = search + quote;
                    if bytes.get(quote + 1) == Some(&b'"') {
                        search = quote + 2;
                    } else {
                        self.at = quote + 1;
                        break;
                    }
                }
                self.field_start = false;
                continue;
            }
            // Anywhere else only delimiters and line breaks matter (a quote inside an
            // unquoted field is a character).
            let Some(found) = memchr::memchr3(self.delimiter, b'\n', b'\r', &bytes[self.at..])
            else {
                self.at = bytes.len();
                return None;
            };
            let found = self.at + found;
            self.field_start = true;
            self.at = found + 1;
            if bytes[found] == b'\n' {
                return Some(found + 1);
            }
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Reads `text` in blocks of every size from 1 to 199 bytes: rows, problems and warnings
    /// equal the whole read's. Returns the most blocks any size cut it in.
    fn assert_blocks_agree(text: &[u8], whole: &ParsedFile) -> usize {
        let mut most_blocks = 0;
        for block_bytes in 1..200 {
            let (blocks, count) = streamed(text, block_bytes).unwrap();
            most_blocks = most_blocks.max(count);
            assert_eq!(blocks.rows, whole.rows, "@ {block_bytes}");
            assert_eq!(blocks.problems, whole.problems, "@ {block_bytes}");
            assert_eq!(blocks.warnings, whole.warnings, "@ {block_bytes}");
        }
        most_blocks
    }

    /// Reads `bytes` block by block and glues the blocks back into one file's result.
    fn streamed(bytes: &[u8], block_bytes: usize) -> Result<(ParsedFile, usize), ReadError> {
        let mut blocks = Blocks::with_block_size(bytes, &ParseOptions::default(), block_bytes);
        let mut whole: Option<ParsedFile> = None;
        let mut count = 0;
        while let Some(block) = blocks.next_block() {
            let block = block?;
            count += 1;
            match &mut whole {
                None => whole = Some(block),
                Some(whole) => {
                    whole.rows.extend(block.rows);
                    whole.problems.extend(block.problems);
                    whole.blank_rows += block.blank_rows;
                }
            }
        }
        let mut whole = whole.expect("at least one block");
        whole.warnings.extend(blocks.closing_warnings());
        Ok((whole, count))
    }

    fn fixtures() -> Vec<(String, Vec<u8>)> {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/import");
        let mut files: Vec<(String, Vec<u8>)> = std::fs::read_dir(&dir)
            .expect("fixtures")
            .filter_map(|entry| {
                let path = entry.ok()?.path();
                let bytes = std::fs::read(&path).ok()?;
                Some((path.file_name()?.to_string_lossy().into_owned(), bytes))
            })
            .collect();
        files.sort();
        files
    }

    #[test]
    fn every_fixture_reads_the_same_in_blocks_as_whole() {
        let mut streamed_files = 0;
        for (name, bytes) in fixtures() {
            let mut most_blocks = 0;
            let whole = super::super::parse(&bytes, &ParseOptions::default());
            for block_bytes in [48, 100, 257, 1000, 4096] {
                let blocks = streamed(&bytes, block_bytes);
                match (&whole, &blocks) {
                    (Ok(whole), Ok((blocks, count))) => {
                        most_blocks = most_blocks.max(*count);
                        assert_eq!(whole.format, blocks.format, "{name} @ {block_bytes}");
                        assert_eq!(whole.encoding, blocks.encoding, "{name} @ {block_bytes}");
                        assert_eq!(whole.rows, blocks.rows, "{name} @ {block_bytes}");
                        assert_eq!(whole.problems, blocks.problems, "{name} @ {block_bytes}");
                        assert_eq!(
                            whole.blank_rows, blocks.blank_rows,
                            "{name} @ {block_bytes}"
                        );
                        assert_eq!(whole.warnings, blocks.warnings, "{name} @ {block_bytes}");
                    }
                    (Err(whole), Err(ReadError::File(blocks))) => {
                        assert_eq!(whole, blocks, "{name} @ {block_bytes}")
                    }
                    (whole, blocks) => panic!("{name} @ {block_bytes}: {whole:?} vs {blocks:?}"),
                }
            }
            if most_blocks > 1 {
                streamed_files += 1;
            }
        }
        assert!(
            streamed_files >= 8,
            "only {streamed_files} fixtures were streamed in several blocks"
        );
    }

    proptest::proptest! {
        /// Any bytes, cut into any blocks, read without a panic and as a whole file reads.
        #[test]
        fn blocks_never_panic_and_agree_with_the_whole_file(
            head in proptest::sample::select(vec![
                "name,email,company\n",
                "owner_email,name,email\n",
                "First Name,Last Name,URL,Email Address,Company,Position,Connected On\n",
                "",
            ]),
            body in proptest::collection::vec(
                proptest::sample::select(vec![
                    b'a', b'@', b',', b';', b'"', b'\n', b'\r', b' ', 0xC3, 0xA9, 0xFD, b'x',
                ]),
                0..400,
            ),
            block_bytes in 1usize..200,
        ) {
            let mut bytes = head.as_bytes().to_vec();
            bytes.extend(body);
            let whole = super::super::parse(&bytes, &ParseOptions::default());
            let blocks = streamed(&bytes, block_bytes);
            match (whole, blocks) {
                // A file longer than its first block is judged by that block: when it was
                // clean UTF-8, later broken bytes are replaced rather than the whole file
                // read as Windows-1252 (the documented difference).
                (Ok(whole), Ok((blocks, _))) if whole.encoding != blocks.encoding => {
                    proptest::prop_assert_eq!(blocks.encoding, "utf-8");
                    proptest::prop_assert!(
                        blocks.warnings.iter().any(|warning| warning.contains("did not decode")),
                        "{:?}", blocks.warnings
                    );
                }
                (Ok(whole), Ok((blocks, _))) => {
                    proptest::prop_assert_eq!(whole.rows, blocks.rows);
                    proptest::prop_assert_eq!(whole.problems, blocks.problems);
                }
                (Err(whole), Err(ReadError::File(blocks))) => proptest::prop_assert_eq!(whole, blocks),
                (whole, blocks) => proptest::prop_assert!(false, "{whole:?} vs {blocks:?}"),
            }
        }
    }

    #[test]
    fn a_large_native_file_streams_with_physical_line_numbers() {
        let mut text = String::from("name,email,strength\n");
        for i in 0..2000 {
            if i == 1500 {
                text.push_str("\"Broken\nName\",b1500@example.com,7\n");
            } else {
                text.push_str(&format!("\"P {i}\",p{i}@example.com,0.5\n"));
            }
        }
        let whole = super::super::parse(text.as_bytes(), &ParseOptions::default()).unwrap();
        let mut blocks = Blocks::with_block_size(text.as_bytes(), &ParseOptions::default(), 1024);
        let mut count = 0;
        let mut rows = Vec::new();
        let mut problems = Vec::new();
        while let Some(block) = blocks.next_block() {
            let block = block.unwrap();
            count += 1;
            rows.extend(block.rows);
            problems.extend(block.problems);
        }
        assert!(count > 10, "{count} blocks");
        assert_eq!(rows, whole.rows);
        assert_eq!(problems, whole.problems);
        assert_eq!(problems[0].line, 1502);
        assert_eq!(rows.last().map(|row| row.line), Some(2002));
    }

    #[test]
    fn a_character_cut_by_the_first_read_keeps_the_header_of_later_blocks() {
        // Clean UTF-8 whose first read ends inside "é" for some block sizes: the header
        // copied in front of later blocks must still be the file's header line.
        let mut text = String::from("name,email\n");
        for i in 0..40 {
            text.push_str(&format!("Zoé {i},z{i}@example.com\n"));
        }
        let whole = super::super::parse(text.as_bytes(), &ParseOptions::default()).unwrap();
        for block_bytes in 1..120 {
            let (blocks, _) = streamed(text.as_bytes(), block_bytes).unwrap();
            assert_eq!(blocks.rows, whole.rows, "@ {block_bytes}");
            assert_eq!(blocks.problems, whole.problems, "@ {block_bytes}");
        }
    }

    #[test]
    fn lone_carriage_returns_in_later_blocks_count_as_line_breaks() {
        // The first block is clean LF text, so the file streams; later lines break on a
        // lone CR (old Mac), on CR CR LF, and carry a byte that does not decode.
        let mut text = b"name,email\n".to_vec();
        for i in 0..20 {
            text.extend_from_slice(format!("Zoé {i},z{i}@example.com\n").as_bytes());
        }
        text.extend_from_slice(b"Old Mac,om@example.com\rNext,nx@example.com\r\r\n");
        text.extend_from_slice(b"Bad \xFD byte,bb@example.com\r,broken\n");
        for i in 20..30 {
            text.extend_from_slice(format!("Zoé {i},z{i}@example.com\n").as_bytes());
        }
        let whole = super::super::parse(&text, &ParseOptions::default()).unwrap();
        assert_eq!(whole.encoding, "utf-8");
        assert_eq!(whole.problems[0].line, 26);
        assert_eq!(whole.rows.last().map(|row| row.line), Some(36));
        let most_blocks = assert_blocks_agree(&text, &whole);
        assert!(most_blocks > 3, "{most_blocks} blocks");
    }

    #[test]
    fn a_quote_never_closed_after_crlf_rows_is_dropped_whole_and_in_blocks() {
        // An LF header, CRLF rows, and a last record whose quote never closes, with no
        // final line break: dropped and reported whether it ends the whole file (where
        // csv places it before the previous row's LF) or starts a later block.
        let mut text =
            b"First Name,Last Name,Email Address,Company,Position,Connected On\n".to_vec();
        for i in 0..12 {
            text.extend_from_slice(
                format!("Ana {i},Lee,a{i}@example.com,Acme,CTO,1/8/18\r\n").as_bytes(),
            );
        }
        text.extend_from_slice(b"\r\nBo,Open,bo@example.com,Acme,Data Scientist,\"1/8/18, 6:");
        let whole = super::super::parse(&text, &ParseOptions::default()).unwrap();
        assert_eq!(whole.rows.len(), 12);
        assert_eq!(whole.problems.len(), 1, "{:?}", whole.problems);
        assert_eq!((whole.problems[0].line, whole.problems[0].column), (15, 6));
        assert!(whole.problems[0].message.contains("never closes"));
        let most_blocks = assert_blocks_agree(&text, &whole);
        assert!(most_blocks > 3, "{most_blocks} blocks");
    }

    #[test]
    fn a_header_record_over_two_lines_is_copied_whole_in_front_of_later_blocks() {
        // A quoted line break in the header line: the csv reader skips the header as one
        // record over two lines, and so must every later block.
        let mut text = b"name,email,\"notes\r\nmore\",x\r\n".to_vec();
        for i in 0..20 {
            text.extend_from_slice(format!("Ana {i},a{i}@example.com,\"n\",y\r\n").as_bytes());
        }
        text.extend_from_slice(b"Bo,bo@example.com,\"two\nlines\",z\nCy,cy@example.com");
        let whole = super::super::parse(&text, &ParseOptions::default()).unwrap();
        assert_eq!(whole.rows.len(), 22);
        assert_eq!(whole.rows[0].line, 3);
        assert_eq!(whole.rows.last().map(|row| row.line), Some(25));
        let most_blocks = assert_blocks_agree(&text, &whole);
        assert!(most_blocks > 3, "{most_blocks} blocks");
    }

    #[test]
    fn a_lone_carriage_return_past_the_head_ends_the_header_record_in_blocks_too() {
        // The header's quoted line break makes the first read's last complete line end
        // inside the header record; the lone CR after it (beyond that head) ends the
        // header record for the csv reader, so "Zed" is a row, once (fuzz find
        // 5a04a6242290ed3c, where every later block read it again).
        let mut text = b"name,email,\"notes\nmore\",x\rZed,zed@example.com,n,y\n".to_vec();
        for i in 0..20 {
            text.extend_from_slice(format!("Ana {i},a{i}@example.com,\"n\",y\n").as_bytes());
        }
        let whole = super::super::parse(&text, &ParseOptions::default()).unwrap();
        assert_eq!(whole.rows.len(), 21);
        assert_eq!(
            (whole.rows[0].name.as_str(), whole.rows[0].line),
            ("Zed", 3)
        );
        assert_blocks_agree(&text, &whole);
    }

    #[test]
    fn record_ends_skip_line_breaks_inside_quotes() {
        let text = b"a,\"x\ny\",b\nc,\"\"\"q\n\",d\ne,f";
        let ends =
            |bytes: &[u8], delimiter| RecordEnds::new(bytes, delimiter, 0).collect::<Vec<_>>();
        assert_eq!(ends(text, b','), vec![10, 21]);
        assert_eq!(ends(b"a,\"open\nstill", b','), Vec::<usize>::new());
        assert_eq!(ends(b"a,b\"c\nd", b','), vec![6]);
        assert_eq!(ends(b"a;\"x\";\ny", b';'), vec![7]);
        assert_eq!(ends(b"a,b\n\"open", b','), vec![4]);
        assert_eq!(ends(b"a\r\n\"b\r\nc\"\r\n", b','), vec![3, 11]);
    }
}
