//! A page about several organizations, read as an article: the page is
//! the Document, each entry's organization the subject of what it says.

use super::{normalize, Context, Extractor, IngestError, MentionKind, Pos, Value};
use crate::document::ProfileDoc;
use crate::sections::{funding_of_subject, parse_funding_sentence};

impl Extractor<'_> {
    /// A page about several organizations: the page is the document (its
    /// headline, byline and date), each entry's organization the subject
    /// of what the entry says, with its founding, founders and funders.
    pub(super) fn run_article(&mut self, doc: &ProfileDoc) -> Result<(), IngestError> {
        use crate::article::{founding, is_nav_line, lead_org};
        self.subject = self.doc_id.clone();
        let doc_id = self.doc_id.clone();
        let mut meta: Vec<(String, String, Pos)> = doc
            .fields
            .iter()
            .map(|f| (f.label.clone(), f.value.clone(), f.pos))
            .collect();
        let none = Context {
            topic: None,
            section: None,
        };
        for section in &doc.sections {
            let mut title = section.title.as_str();
            if let Some(author) = title.strip_prefix("By ") {
                meta.push(("By".into(), author.to_string(), section.pos));
                title = "";
            }
            if let Some((label, value)) = crate::labels::split_any_label(title) {
                if is_article_meta(label) {
                    meta.push((label.to_string(), value.to_string(), section.pos));
                    title = "";
                }
            }
            for item in &section.items {
                if is_nav_line(&item.text) {
                    continue;
                }
                if let Some(author) = item.text.strip_prefix("By ") {
                    if author.split_whitespace().count() <= 5 && !item.bullet {
                        meta.push(("By".into(), author.to_string(), item.pos));
                        continue;
                    }
                }
                if let Some((label, value)) = crate::labels::split_any_label(&item.text) {
                    if is_article_meta(label) {
                        meta.push((label.to_string(), value.to_string(), item.pos));
                        continue;
                    }
                }
                // An entry opens with its organization, as a bullet or a
                // paragraph of its own.
                let lead = lead_org(&item.text);
                let Some(name) = lead else {
                    // The article's own framing, about no one in particular.
                    self.claim(&[], &item.text, item.pos, &none, None, None)?;
                    continue;
                };
                let org = self.org(&name, None, MentionKind::Organization, item.pos)?;
                if let Some((year, founders)) = founding(&item.text) {
                    if let Some(y) = year {
                        self.set(&org, "incorporationDate", y.to_string(), item.pos)?;
                    }
                    for f in founders {
                        let person = self.person(&f, Some("Founder"), item.pos)?;
                        let extra = [("role", Value::from("Founder"))];
                        self.link(
                            "Employment",
                            [("employee", &person), ("employer", &org)],
                            &extra,
                            &["Founder"],
                            item.pos,
                        )?;
                    }
                }
                self.prose_ties(&org, &[name.as_str()], &item.text, item.pos)?;
                for sentence in item.text.split_inclusive(". ") {
                    if funding_of_subject(sentence, &[name.as_str(), "it", "its"]) {
                        for line in parse_funding_sentence(sentence, true) {
                            self.payment(&line.donor, &org, line.amount, line.dates, item.pos)?;
                        }
                    }
                }
                let ctx = Context {
                    topic: Some(title).filter(|t| !t.is_empty()),
                    section: None,
                };
                self.claim_tree(&[org], item, &ctx)?;
            }
        }
        for (label, value, pos) in meta {
            match label.to_lowercase().as_str() {
                "by" | "author" | "authors" | "written by" => {
                    self.set(&doc_id, "author", normalize(&value), pos)?
                }
                "publisher" => self.set(&doc_id, "publisher", normalize(&value), pos)?,
                l if is_article_meta(l) => {
                    match dossier_model::date::find_dates(&value).first() {
                        Some(d) => self.set(&doc_id, "publishedAt", d.date.to_string(), pos)?,
                        None => self.warn(pos, format!("no date in {value:?}")),
                    }
                    // `Published: 2 May 2024 by Ana Ruiz`: the author too.
                    let line = format!("{label} {value}");
                    for a in crate::byline::byline(&line)
                        .map(|b| b.0)
                        .unwrap_or_default()
                    {
                        self.set(&doc_id, "author", normalize(&a), pos)?;
                    }
                }
                _ => self.warn(
                    pos,
                    format!(
                        "{label}: an article page's field that names no organization; left out"
                    ),
                ),
            }
        }
        Ok(())
    }
}

/// A field of an article's head: its date.
fn is_article_meta(label: &str) -> bool {
    matches!(
        label.trim().to_lowercase().as_str(),
        "published"
            | "date"
            | "updated"
            | "posted"
            | "published on"
            | "last updated"
            | "publication date"
            | "date published"
    )
}

/// Whether a page is about several organizations: a headline on top and
/// entries (bullets or paragraphs) that open with the names of at least
/// two organizations.
pub(super) fn is_article(doc: &ProfileDoc) -> bool {
    if !crate::article::is_headline(&doc.title) {
        return false;
    }
    let mut leads: Vec<String> = doc
        .sections
        .iter()
        .flat_map(|s| &s.items)
        .filter_map(|i| crate::article::lead_org(&i.text))
        .collect();
    leads.sort();
    leads.dedup();
    leads.len() >= 2
}
