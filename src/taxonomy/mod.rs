//! Placeholder for the taxonomy module (replaced by the `taxonomy` branch).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct FieldIdx(pub u8);
pub type FieldMask = u128;
pub struct Field {
    pub id: String,
    pub name: String,
    pub parent: Option<FieldIdx>,
}
pub struct Taxonomy {
    fields: Vec<Field>,
}
static EMPTY: std::sync::OnceLock<Taxonomy> = std::sync::OnceLock::new();
impl Taxonomy {
    pub fn embedded() -> &'static Taxonomy {
        EMPTY.get_or_init(|| Taxonomy { fields: Vec::new() })
    }
    pub fn fields(&self) -> &[Field] {
        &self.fields
    }
    pub fn field(&self, _id: &str) -> Option<FieldIdx> {
        None
    }
    pub fn get(&self, idx: FieldIdx) -> &Field {
        &self.fields[idx.0 as usize]
    }
    pub fn bit(&self, idx: FieldIdx) -> FieldMask {
        1 << idx.0
    }
    pub fn query_mask(&self, idx: FieldIdx) -> FieldMask {
        1 << idx.0
    }
    pub fn classify(&self, _title: &str, _company: &str, _email: Option<&str>) -> Classification {
        Classification {
            fields: Vec::new(),
            evidence: Vec::new(),
        }
    }
    pub fn resolve(&self, query: &str) -> Resolution {
        Resolution {
            query: query.to_string(),
            fields: Vec::new(),
        }
    }
}
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Classification {
    pub fields: Vec<String>,
    pub evidence: Vec<Evidence>,
}
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Evidence {
    pub field: String,
    pub source: &'static str,
    pub matched: String,
    pub rule: String,
}
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Resolution {
    pub query: String,
    pub fields: Vec<ResolvedField>,
}
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct ResolvedField {
    pub field: String,
    pub reason: String,
    pub score: f64,
}
