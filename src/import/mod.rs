//! Placeholder for the import module (replaced by the `import` branch).
use crate::relationship::Relationship;
use chrono::NaiveDate;

pub fn parse(_bytes: &[u8], _options: &ParseOptions) -> Result<ParsedFile, ImportError> {
    Err(ImportError::Empty)
}
#[derive(Debug, Clone, Default)]
pub struct ParseOptions {
    pub format: Option<Format>,
    pub encoding: Option<&'static encoding_rs::Encoding>,
}
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub enum Format {
    LinkedIn,
    Network,
}
impl Format {
    pub fn as_str(self) -> &'static str {
        "x"
    }
    pub fn parse(_name: &str) -> Option<Format> {
        None
    }
}
pub fn parse_encoding_label(label: &str) -> Option<&'static encoding_rs::Encoding> {
    encoding_rs::Encoding::for_label(label.as_bytes())
}
#[derive(Debug, Clone)]
pub struct ParsedFile {
    pub format: Format,
    pub encoding: &'static str,
    pub rows: Vec<ContactRow>,
    pub problems: Vec<LineProblem>,
    pub warnings: Vec<String>,
    pub blank_rows: usize,
}
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct LineProblem {
    pub line: usize,
    pub column: usize,
    pub message: String,
}
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ContactRow {
    pub line: usize,
    pub owner_email: Option<String>,
    pub name: String,
    pub emails: Vec<String>,
    pub profile_url: Option<String>,
    pub company: Option<String>,
    pub title: Option<String>,
    pub relationship: Option<Relationship>,
    pub last_contacted: Option<NaiveDate>,
    pub connected_on: Option<NaiveDate>,
    pub interactions: Option<u32>,
    pub strength: Option<f64>,
    pub fields: Vec<String>,
}
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ImportError {
    #[error("the file is empty")]
    Empty,
}
impl ImportError {
    pub fn line_problem(&self) -> LineProblem {
        LineProblem {
            line: 1,
            column: 1,
            message: self.to_string(),
        }
    }
}
