//! The source Document: the entity every batch cites.
//!
//! Every way in — a profile page, an interchange file, a table, a page or
//! PDF archived as evidence — describes the file it read with a
//! [`SourceDoc`], and gets its id and its `Document` entity from here, so
//! the same source read two ways is one Document.

use crate::ids::stable_id;
use crate::text::normalize;
use crate::{Batch, Entity, ModelError, PartialDate};

/// What is known of one source file. Only what is set becomes a property.
#[derive(Debug, Clone, Default)]
pub struct SourceDoc {
    /// The address it was read from; the source's key when given.
    pub url: Option<String>,
    /// The file's name; the source's key (`file:NAME`) when no address is.
    pub file_name: String,
    /// A key other than the address or file name (a table row naming its
    /// source by title): the source is the same whatever file it is in.
    pub key: Option<String>,
    pub title: Option<String>,
    /// SHA-1 of the bytes, hex: FtM's `contentHash`.
    pub content_hash: Option<String>,
    pub media_type: Option<String>,
    pub size: Option<usize>,
    pub retrieved: Option<PartialDate>,
    pub publisher: Option<String>,
    /// A tool the file passed through rather than a source that said
    /// anything (see `dossier_formats::ftm::INTERCHANGE_AGENT`).
    pub agent: Option<String>,
}

/// A source's id from its address, or else its file name.
pub fn document_id(url: Option<&str>, file_name: &str) -> String {
    match url {
        Some(u) => stable_id("doc", &[u]),
        None => stable_id("doc", &[&format!("file:{file_name}")]),
    }
}

impl SourceDoc {
    /// The source of a file read from disk or upload.
    pub fn file(file_name: impl Into<String>) -> Self {
        SourceDoc {
            file_name: file_name.into(),
            ..Default::default()
        }
    }

    /// The stable id every statement from this source cites.
    pub fn id(&self) -> String {
        match &self.key {
            Some(k) => stable_id("doc", &[k]),
            None => document_id(self.url.as_deref(), &self.file_name),
        }
    }

    /// The `Document` entity, with what is known.
    pub fn entity(&self) -> Result<Entity, ModelError> {
        let mut d = Entity::new(self.id(), "Document")?;
        if !self.file_name.is_empty() {
            d.add("fileName", self.file_name.as_str())?;
        }
        let text = |v: &Option<String>| v.as_deref().map(normalize).filter(|v| !v.value.is_empty());
        if let Some(t) = text(&self.title) {
            d.add("title", t)?;
        }
        if let Some(h) = &self.content_hash {
            d.add("contentHash", h.as_str())?;
        }
        if let Some(m) = &self.media_type {
            d.add("mimeType", m.as_str())?;
        }
        if let Some(n) = self.size {
            d.add("fileSize", n.to_string())?;
        }
        if let Some(u) = &self.url {
            d.add("sourceUrl", u.as_str())?;
        }
        if let Some(r) = self.retrieved {
            d.add("retrievedAt", r.to_string())?;
        }
        if let Some(p) = text(&self.publisher) {
            d.add("publisher", p)?;
        }
        if let Some(a) = &self.agent {
            d.add("processingAgent", a.as_str())?;
        }
        Ok(d)
    }

    /// A batch of this source at version `version`, holding its Document.
    pub fn batch(&self, version: impl Into<String>) -> Result<Batch, ModelError> {
        let mut b = Batch::new(self.id(), version.into());
        b.put(self.entity()?)?;
        Ok(b)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_address_is_the_key_before_a_file_name_and_only_what_is_known_is_said() {
        let mut s = SourceDoc::file("page.html");
        let by_file = s.id();
        assert_eq!(by_file, document_id(None, "page.html"));
        s.url = Some("https://example.org/p".into());
        assert_ne!(s.id(), by_file);
        assert_eq!(s.id(), document_id(Some("https://example.org/p"), "other"));
        s.title = Some("  A   title ".into());
        s.retrieved = PartialDate::day(2024, 5, 1);
        let d = s.entity().unwrap();
        assert_eq!(d.first("title"), Some("A title"));
        assert_eq!(d.first("retrievedAt"), Some("2024-05-01"));
        assert_eq!(d.first("publisher"), None);
        assert_eq!(d.first("fileSize"), None);
        s.key = Some("Annual report".into());
        assert_eq!(s.id(), stable_id("doc", &["Annual report"]));
    }
}
