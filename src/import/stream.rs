//! Reading a file of any size block by block, so that a bulk load never holds the whole
//! file, nor all of its rows, in memory.
//!
//! A file that fits in one block (16 MiB) is parsed exactly as [`super::parse`] parses it.
//! A larger one is streamed when its first block is clean UTF-8 (with or without BOM)
//! with LF or CRLF line breaks and a CSV header: each block ends at a record boundary (a
//! line break outside quotes, found by the same quoting rules the csv reader applies),
//! later blocks are parsed behind a copy of the header line with the format fixed, and
//! every line number is shifted back to its physical line in the file. Anything else (a
//! vCard file, UTF-16, Windows-1252, old Mac line breaks) is read whole and parsed once.
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
    /// `\n` bytes in the file before `buffer[0]`.
    lines_before: usize,
    replaced_bytes: usize,
    first_bad_line: Option<usize>,
    unreadable_dates: usize,
}

enum State {
    Start,
    /// Streaming a CSV file: its header (as located in the first block) and the header's
    /// physical line, to put in front of every later block.
    Csv {
        header: Header,
        header_text: String,
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
        }
    }

    /// The reader, once the blocks are done with it.
    pub fn into_inner(self) -> R {
        self.reader
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
        if self.unreadable_dates > 0 {
            warnings.push(formats::unreadable_dates_warning(self.unreadable_dates));
        }
        warnings
    }

    fn fill_to(&mut self, size: usize) -> std::io::Result<()> {
        while !self.eof && self.buffer.len() < size {
            let start = self.buffer.len();
            self.buffer.resize(start + (size - start).min(1 << 20), 0);
            let read = loop {
                match self.reader.read(&mut self.buffer[start..]) {
                    Ok(read) => break read,
                    Err(error) if error.kind() == std::io::ErrorKind::Interrupted => {}
                    Err(error) => {
                        self.buffer.truncate(start);
                        return Err(error);
                    }
                }
            };
            self.buffer.truncate(start + read);
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
        let Some((header, encoding)) = self.streamable_header() else {
            return self.whole_file();
        };
        let Some(cut) = self.cut(header.delimiter, header.offset + self.bom_len())? else {
            return self.whole_file();
        };
        // The first block alone must show the same header as the longer head did.
        let first = std::str::from_utf8(&self.buffer[self.bom_len()..cut]).unwrap_or("");
        match detect::locate(first, self.options.format) {
            Ok(Located::Csv(found))
                if (found.format, found.line, found.offset, found.delimiter)
                    == (header.format, header.line, header.offset, header.delimiter) => {}
            _ => return self.whole_file(),
        }
        let mut parsed = super::parse_unfinished(&self.buffer[..cut], &self.options)?;
        parsed.encoding = encoding;
        self.unreadable_dates += std::mem::take(&mut parsed.unreadable_dates);
        let header_text = {
            let text = std::str::from_utf8(&self.buffer[self.bom_len()..]).unwrap_or("");
            let line = &text[header.offset..];
            line[..line.find('\n').map_or(line.len(), |at| at + 1)].to_string()
        };
        self.consume(cut);
        self.state = State::Csv {
            format: header.format,
            header,
            header_text,
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

    /// The header of a file that can be streamed: CSV, UTF-8, no lone carriage returns,
    /// looked for in the block's complete lines.
    fn streamable_header(&self) -> Option<(Header, &'static str)> {
        let last_line_end = self.buffer.iter().rposition(|&b| b == b'\n')? + 1;
        let head = &self.buffer[..last_line_end];
        let decoded = decode::decode(head, self.options.encoding);
        if decoded.encoding != encoding_rs::UTF_8 || !decoded.warnings.is_empty() {
            return None;
        }
        let text = &decoded.text;
        let has_lone_cr = text
            .as_bytes()
            .windows(2)
            .any(|pair| pair[0] == b'\r' && pair[1] != b'\n');
        if has_lone_cr {
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
        let mut want = self.block_bytes.max(self.buffer.len());
        loop {
            if let Some(end) = last_record_end(&self.buffer, delimiter, from) {
                return Ok(Some(end));
            }
            if self.eof {
                return Ok(None);
            }
            want *= 2;
            self.fill_to(want)?;
        }
    }

    fn consume(&mut self, cut: usize) {
        self.lines_before += count_newlines(&self.buffer[..cut]);
        self.buffer.drain(..cut);
    }

    fn later_block(&mut self) -> Result<Option<ParsedFile>, ReadError> {
        self.fill_to(self.block_bytes)?;
        if self.buffer.is_empty() {
            return Ok(None);
        }
        let State::Csv {
            header,
            format,
            encoding,
            ..
        } = &self.state
        else {
            return Ok(None);
        };
        let (format, encoding) = (*format, *encoding);
        let delimiter = header.delimiter;
        let cut = if self.eof {
            self.buffer.len()
        } else {
            match self.cut(delimiter, 0)? {
                Some(cut) => cut,
                None => self.buffer.len(),
            }
        };
        let State::Csv {
            header,
            header_text,
            ..
        } = &self.state
        else {
            return Ok(None);
        };
        let block = &self.buffer[..cut];
        let (text, replaced) = decode_utf8_counting(block);
        if let Some((bytes, first)) = replaced {
            self.replaced_bytes += bytes;
            self.first_bad_line
                .get_or_insert(self.lines_before + count_newlines(&block[..first]) + 1);
        }
        let text = table::normalize_lone_cr(text);
        let mut synthetic = String::with_capacity(header_text.len() + text.len() + 1);
        synthetic.push_str(header_text);
        if !header_text.ends_with('\n') {
            synthetic.push('\n');
        }
        synthetic.push_str(&text);
        drop(text);
        let block_header = Header {
            line: 1,
            offset: 0,
            ..header.clone()
        };
        let mut parsed = formats::parse_csv(&synthetic, &block_header)?;
        drop(synthetic);
        // Synthetic line 2 is the block's first line, physical line `lines_before + 1`.
        let shift = self.lines_before.saturating_sub(1);
        for row in &mut parsed.rows {
            row.line += shift;
        }
        for problem in &mut parsed.problems {
            problem.line += shift;
        }
        // Header-level warnings were given with the first block.
        parsed.warnings.clear();
        self.unreadable_dates += std::mem::take(&mut parsed.unreadable_dates);
        parsed.format = format;
        parsed.encoding = encoding;
        self.consume(cut);
        Ok(Some(parsed))
    }
}

fn count_newlines(bytes: &[u8]) -> usize {
    bytes.iter().filter(|&&b| b == b'\n').count()
}

/// One past the last `\n` of `bytes[from..]` that ends a record, reading from a record
/// start with the csv reader's quoting rules (RFC 4180: a quote opens a field only at its
/// start, `""` inside quotes is a quote, CR and LF end records outside quotes).
fn last_record_end(bytes: &[u8], delimiter: u8, from: usize) -> Option<usize> {
    #[derive(Clone, Copy, PartialEq)]
    enum At {
        FieldStart,
        InField,
        InQuotes,
        QuoteInQuotes,
    }
    let mut at = At::FieldStart;
    let mut last = None;
    for (index, &byte) in bytes.iter().enumerate().skip(from) {
        at = match at {
            At::InQuotes => {
                if byte == b'"' {
                    At::QuoteInQuotes
                } else {
                    At::InQuotes
                }
            }
            At::FieldStart | At::InField | At::QuoteInQuotes => {
                if byte == b'\n' {
                    last = Some(index + 1);
                    At::FieldStart
                } else if byte == b'\r' || byte == delimiter {
                    At::FieldStart
                } else if byte == b'"' && at != At::InField {
                    // A quote opens a field, or (right after a closing quote) is escaped.
                    At::InQuotes
                } else {
                    At::InField
                }
            }
        };
    }
    last
}

#[cfg(test)]
mod tests {
    use super::*;

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
    fn record_ends_skip_line_breaks_inside_quotes() {
        let text = b"a,\"x\ny\",b\nc,\"\"\"q\n\",d\ne,f";
        assert_eq!(last_record_end(text, b',', 0), Some(21));
        assert_eq!(last_record_end(b"a,\"open\nstill", b',', 0), None);
        assert_eq!(last_record_end(b"a,b\"c\nd", b',', 0), Some(6));
        assert_eq!(last_record_end(b"a;\"x\";\ny", b';', 0), Some(7));
    }
}
