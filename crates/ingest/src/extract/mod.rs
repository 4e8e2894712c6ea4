//! From a read profile page to entities: what each part of the page becomes
//! (SPEC §2). Names are matched to known entities before new ones are made.

use dossier_model::date::PartialDate;
use dossier_model::ids::{sha1_bytes_hex, stable_id};
use dossier_model::names::{looks_like_acronym, name_key};
use dossier_model::text::{clean, normalize, Normalized};
use dossier_model::{country, Batch, ClaimKind, Entity, ModelError, SourceDoc, Value};

use crate::document::{Item, Pos, ProfileDoc};

mod article_page;
mod passing;

use crate::labels::{field_kind, section_role, FieldKind, SectionRole};
use crate::prose::{
    self, capitalized_runs, event_date, find_mentions, find_quotes, looks_like_person_name,
    MentionKind,
};
use crate::sections::{
    find_amount, find_span, is_board_role, parse_funding, parse_funding_sentence, parse_person,
    Dates,
};
use crate::text::split_acronym;
use crate::{html, text, Diagnostic, IngestError, ProfileFormat};
use article_page::is_article;
use dossier_resolve::matcher::{Matcher, Party};
use passing::others_words;

/// Where a profile came from and how to read it.
#[derive(Debug, Clone, Default)]
pub struct ImportOptions {
    /// The file's name: shown in diagnostics and recorded as the Document's `fileName`.
    pub file_name: String,
    /// The address the page was retrieved from; identifies the source when given.
    pub url: Option<String>,
    /// When the page was retrieved (ISO date).
    pub retrieved: Option<PartialDate>,
    /// Who published the page: the asserter of its claims.
    pub publisher: Option<String>,
    /// Forces a form instead of detecting it.
    pub format: Option<ProfileFormat>,
}

/// The result of reading one profile.
#[derive(Debug, Clone)]
pub struct Imported {
    pub batch: Batch,
    /// The subject organization's id.
    pub subject: String,
    pub format: ProfileFormat,
    /// Things read with doubt: unreadable countries, unclosed quotations, …
    pub warnings: Vec<Diagnostic>,
}

/// Reads a profile page from its bytes. Fails with a diagnostic (file, line,
/// column) when the bytes are not a profile; never panics.
///
/// `known` holds the names already in the store; the import adds the
/// entities it makes, so that files imported together match each other.
pub fn import_profile(
    bytes: &[u8],
    opts: &ImportOptions,
    known: &mut Matcher,
) -> Result<Imported, IngestError> {
    let file = opts.file_name.as_str();
    let text = decode(bytes, file).map_err(IngestError::Invalid)?;
    // A web archive, whole or cut short, is evidence to archive, not a
    // page whose first line ("WARC/1.1") names an organization.
    if text.trim_start_matches('\u{feff}').starts_with("WARC/") {
        return Err(IngestError::Invalid(Diagnostic::error(
            file,
            Pos::new(1, 1),
            "a WARC file, not a profile page: archive it with `dossier archive add`",
        )));
    }
    let format = opts.format.unwrap_or_else(|| ProfileFormat::detect(text));
    let (mut doc, warnings) = match format {
        ProfileFormat::Text => text::parse(text, file),
        ProfileFormat::Html => html::parse(text, file),
    }
    .map_err(IngestError::Invalid)?;
    crate::layout::regroup(&mut doc);
    let mut ex = Extractor::new(opts, known, bytes, &doc, format)?;
    ex.warnings.extend(warnings);
    ex.run(&doc)?;
    Ok(Imported {
        batch: ex.batch,
        subject: ex.subject,
        format,
        warnings: ex.warnings,
    })
}

/// The position of byte `offset` in `bytes` (1-based line and column in characters).
pub fn position_of(bytes: &[u8], offset: usize) -> Pos {
    let head = &bytes[..offset.min(bytes.len())];
    let line = head.iter().filter(|&&b| b == b'\n').count() as u32 + 1;
    let line_start = head.iter().rposition(|&b| b == b'\n').map_or(0, |i| i + 1);
    let column = String::from_utf8_lossy(&head[line_start..]).chars().count() as u32 + 1;
    Pos::new(line, column)
}

fn decode<'a>(bytes: &'a [u8], file: &str) -> Result<&'a str, Diagnostic> {
    let text = std::str::from_utf8(bytes).map_err(|e| {
        let at = e.valid_up_to();
        Diagnostic::error(
            file,
            position_of(bytes, at),
            format!("not UTF-8 text: byte 0x{:02x} at offset {at} cannot be decoded; a profile page is UTF-8 text or HTML", bytes[at]),
        )
    })?;
    if let Some(at) = text.find('\0') {
        return Err(Diagnostic::error(
            file,
            position_of(bytes, at),
            "binary data: the file contains a NUL byte; a profile page is text",
        ));
    }
    if text.trim_start_matches('\u{feff}').trim().is_empty() {
        return Err(Diagnostic::error(
            file,
            Pos::new(1, 1),
            "the file is empty: a profile starts with the name of its subject",
        ));
    }
    Ok(text.trim_start_matches('\u{feff}'))
}

/// True when a bullet is an organization's name rather than a sentence:
/// short, title case, no sentence punctuation, optional acronym.
pub fn is_org_name(text: &str) -> bool {
    let (name, _) = split_acronym(text);
    let name = clean(name);
    let words: Vec<&str> = name.split_whitespace().collect();
    if words.is_empty() || words.len() > 10 || name.chars().count() > 100 {
        return false;
    }
    if name.ends_with(['.', ':', ';', '!', '?', ',']) || name.contains('"') {
        return false;
    }
    words.iter().enumerate().all(|(i, w)| {
        let first = w.chars().next().unwrap_or(' ');
        first.is_uppercase()
            || first.is_ascii_digit()
            || (i > 0 && dossier_model::names::CONNECTORS.contains(&w.to_lowercase().as_str()))
            || (i > 0 && *w == "-")
    })
}

/// The prefixes that mark a bullet as the subject's reply to the one above it.
const REPLY_MARKS: &[&str] = &[
    "reply:",
    "response:",
    "right of reply:",
    "their reply:",
    "in response:",
];

fn reply_text(text: &str) -> Option<&str> {
    let t = text.trim_start();
    REPLY_MARKS.iter().find_map(|m| {
        let head = t.get(..m.len())?;
        head.eq_ignore_ascii_case(m)
            .then(|| t[m.len()..].trim_start())
    })
}

/// Where a claim stands in the page.
struct Context<'a> {
    topic: Option<&'a str>,
    section: Option<&'a str>,
}

struct Extractor<'a> {
    opts: &'a ImportOptions,
    batch: Batch,
    matcher: &'a mut Matcher,
    doc_id: String,
    subject: String,
    /// The subject's name and acronym, as sentences refer to it.
    subject_names: Vec<String>,
    asserter: Option<String>,
    warnings: Vec<Diagnostic>,
}

impl<'a> Extractor<'a> {
    fn new(
        opts: &'a ImportOptions,
        matcher: &'a mut Matcher,
        bytes: &[u8],
        doc: &ProfileDoc,
        format: ProfileFormat,
    ) -> Result<Self, IngestError> {
        let file_name = if opts.file_name.is_empty() {
            "profile"
        } else {
            opts.file_name.as_str()
        };
        let source = SourceDoc {
            url: opts.url.clone(),
            title: Some(doc.title.clone()),
            content_hash: Some(sha1_bytes_hex(bytes)),
            media_type: Some(
                match format {
                    ProfileFormat::Text => "text/plain",
                    ProfileFormat::Html => "text/html",
                }
                .into(),
            ),
            size: Some(bytes.len()),
            retrieved: opts.retrieved,
            publisher: opts.publisher.clone(),
            ..SourceDoc::file(file_name)
        };
        let doc_id = source.id();
        let hash = source.content_hash.clone().unwrap_or_default();
        let mut ex = Extractor {
            opts,
            batch: Batch::new(doc_id.clone(), hash.clone()),
            matcher,
            doc_id: doc_id.clone(),
            subject: String::new(),
            subject_names: Vec::new(),
            asserter: None,
            warnings: Vec::new(),
        };
        let pos = doc.title_pos;
        let d = source.entity().map_err(|e| ex.model(pos, e))?;
        ex.put(d, pos)?;
        if let Some(p) = &opts.publisher {
            let id = ex.org(p, None, MentionKind::Organization, pos)?;
            ex.asserter = Some(id);
        }
        Ok(ex)
    }

    fn model(&self, pos: Pos, e: ModelError) -> IngestError {
        IngestError::Invalid(Diagnostic::error(&self.opts.file_name, pos, e.to_string()))
    }

    fn warn(&mut self, pos: Pos, msg: impl Into<String>) {
        self.warnings
            .push(Diagnostic::warning(&self.opts.file_name, pos, msg));
    }

    fn put(&mut self, e: Entity, pos: Pos) -> Result<(), IngestError> {
        self.batch.put(e).map_err(|e| self.model(pos, e))
    }

    /// Adds values to an entity of the batch.
    fn set(
        &mut self,
        id: &str,
        prop: &str,
        value: impl Into<Value>,
        pos: Pos,
    ) -> Result<(), IngestError> {
        let value = value.into();
        let file = self.opts.file_name.clone();
        let e = self.batch.get_mut(id).ok_or_else(|| {
            IngestError::Invalid(Diagnostic::error(
                &file,
                pos,
                format!("internal: entity {id} missing"),
            ))
        })?;
        e.add(prop, value)
            .map_err(|e| IngestError::Invalid(Diagnostic::error(&file, pos, e.to_string())))
    }

    /// The organization with this name: an existing one when the name or
    /// acronym matches, else a new one.
    fn org(
        &mut self,
        raw: &str,
        acronym: Option<&str>,
        kind: MentionKind,
        pos: Pos,
    ) -> Result<String, IngestError> {
        let name = normalize(raw);
        let schema = if kind == MentionKind::PublicBody {
            "PublicBody"
        } else {
            "Organization"
        };
        let found = self
            .matcher
            .find(&name.value, acronym, Party::Organization)
            .map(str::to_string);
        let id = found.unwrap_or_else(|| stable_id("org", &[&name_key(&name.value)]));
        let mut e = Entity::new(id.clone(), schema).map_err(|e| self.model(pos, e))?;
        let prop = match self.batch.get(&id) {
            Some(existing) if existing.first("name").is_some_and(|n| n != name.value) => "alias",
            _ => "name",
        };
        // An acronym alone is an abbreviation, not a name, once the body has a name.
        let is_bare_acronym = looks_like_acronym(&name.value) && acronym.is_none();
        let r = if is_bare_acronym && self.batch.get(&id).is_some() {
            e.add("abbreviation", name.clone())
        } else {
            e.add(prop, name.clone())
        };
        r.map_err(|e| self.model(pos, e))?;
        if let Some(a) = acronym {
            e.add("abbreviation", normalize(a))
                .map_err(|e| self.model(pos, e))?;
            self.matcher.add_acronym(&id, schema, a);
        }
        self.put(e, pos)?;
        self.matcher.add_name(&id, schema, &name.value);
        Ok(id)
    }

    /// The person with this name, matched or new; the role becomes `position`.
    fn person(&mut self, raw: &str, role: Option<&str>, pos: Pos) -> Result<String, IngestError> {
        let name = normalize(raw);
        let found = self
            .matcher
            .find_name(&name.value, Party::Person)
            .map(str::to_string);
        let id = found.unwrap_or_else(|| stable_id("per", &[&name_key(&name.value)]));
        let mut e = Entity::new(id.clone(), "Person").map_err(|e| self.model(pos, e))?;
        e.add("name", name.clone())
            .map_err(|e| self.model(pos, e))?;
        if let Some(role) = role.map(normalize).filter(|r| !r.value.is_empty()) {
            e.add("position", role).map_err(|e| self.model(pos, e))?;
        }
        self.put(e, pos)?;
        self.matcher.add_name(&id, "Person", &name.value);
        Ok(id)
    }

    /// A relationship entity between two ends.
    fn link(
        &mut self,
        schema: &str,
        ends: [(&str, &str); 2],
        extra: &[(&str, Value)],
        key: &[&str],
        pos: Pos,
    ) -> Result<String, IngestError> {
        let mut parts: Vec<&str> = vec![ends[0].1, ends[1].1];
        parts.extend_from_slice(key);
        let id = stable_id(dossier_model::ids::prefix_for(schema), &parts);
        let mut e = Entity::new(id.clone(), schema).map_err(|e| self.model(pos, e))?;
        let r: Result<(), ModelError> = (|| {
            for (prop, value) in ends {
                e.add(prop, value)?;
            }
            for (prop, value) in extra {
                e.add(prop, value.clone())?;
            }
            e.add("proof", self.doc_id.as_str())
        })();
        r.map_err(|e| self.model(pos, e))?;
        self.put(e, pos)?;
        Ok(id)
    }

    fn run(&mut self, doc: &ProfileDoc) -> Result<(), IngestError> {
        if is_article(doc) {
            return self.run_article(doc);
        }
        let (name, acronym) = split_acronym(&doc.title);
        let kind = doc
            .fields
            .iter()
            .find(|f| field_kind(&f.label) == Some(FieldKind::Kind))
            .map(|f| f.value.to_lowercase())
            .filter(|v| {
                [
                    "government",
                    "ministry",
                    "public body",
                    "state",
                    "municipal",
                    "agency",
                ]
                .iter()
                .any(|w| v.contains(w))
            })
            .map_or(MentionKind::Organization, |_| MentionKind::PublicBody);
        self.subject = self.org(name, acronym, kind, doc.title_pos)?;
        self.subject_names = std::iter::once(name)
            .chain(acronym)
            .chain(crate::prose::short_name(name))
            .map(str::to_string)
            .collect();
        let subject = self.subject.clone();
        for field in &doc.fields {
            self.field(&subject, field)?;
        }
        let mut topic: Option<&str> = None;
        for section in &doc.sections {
            if section.level <= 1 {
                topic = Some(section.title.as_str()).filter(|t| !t.is_empty());
                if section.items.is_empty() {
                    continue;
                }
            }
            let title = Some(section.title.as_str()).filter(|t| !t.is_empty());
            let ctx = Context {
                topic: topic.or(title),
                section: title,
            };
            match section_role(&section.title) {
                SectionRole::Members => self.members(&subject, &section.items, &ctx)?,
                SectionRole::Networks => self.networks(&subject, &section.items, &ctx)?,
                SectionRole::Partners => self.partners(&subject, &section.items, &ctx)?,
                SectionRole::Funding => self.funding(&subject, &section.items, &ctx)?,
                SectionRole::People { board } => {
                    self.people(&subject, &section.items, board, &ctx)?
                }
                // Read into fields by `layout::regroup`; what is left is said.
                SectionRole::Apparatus => {}
                SectionRole::Contact | SectionRole::OwnWords | SectionRole::Claims => {
                    for item in &section.items {
                        self.said_in_passing(&subject, item)?;
                        self.claim_tree(std::slice::from_ref(&subject), item, &ctx)?;
                    }
                }
            }
        }
        for e in self.batch.entities() {
            let missing = e.missing_required();
            if !missing.is_empty() {
                let msg = format!(
                    "internal: {} {} lacks {}",
                    e.schema.name,
                    e.id,
                    missing.join(", ")
                );
                return Err(IngestError::Invalid(Diagnostic::error(
                    &self.opts.file_name,
                    doc.title_pos,
                    msg,
                )));
            }
        }
        Ok(())
    }

    fn field(&mut self, subject: &str, field: &crate::document::Field) -> Result<(), IngestError> {
        let pos = field.pos;
        let value = normalize(&field.value);
        if value.value.is_empty() {
            return Ok(());
        }
        // `Director: Femke de Vries`: a person with that post.
        let label = field.label.trim().trim_end_matches(':');
        if field_kind(label).is_none()
            && crate::prose::is_role(label)
            && crate::prose::looks_like_person_name(&value.value)
            && self
                .batch
                .get(subject)
                .is_some_and(|e| e.schema.is_a("Organization"))
        {
            let person = self.person(&value.value, Some(label), pos)?;
            let board = is_board_role(label);
            self.seat(&person, subject, Some(label), board, Dates::None, pos)?;
            return Ok(());
        }
        let Some(kind) = field_kind(&field.label) else {
            // A label Dossier has no property for: kept as a fact about the subject.
            let text = format!("{}: {}", clean(&field.label), field.value.trim());
            let ctx = Context {
                topic: Some(field.label.as_str()),
                section: None,
            };
            return self
                .claim(
                    std::slice::from_ref(&subject.to_string()),
                    &text,
                    pos,
                    &ctx,
                    Some(ClaimKind::Fact),
                    None,
                )
                .map(|_| ());
        };
        let original = Some(field.value.trim().to_string());
        match kind {
            FieldKind::Country => {
                let codes = country::country_codes(&value.value);
                if codes.is_empty() {
                    self.warn(
                        pos,
                        format!(
                            "no country code is known for {:?}; kept as an address",
                            value.value
                        ),
                    );
                    self.set(subject, "address", value, pos)?;
                }
                for code in codes {
                    self.set(
                        subject,
                        "country",
                        Value {
                            value: code,
                            original: original.clone(),
                        },
                        pos,
                    )?;
                }
            }
            FieldKind::OwnWords => {
                let quotes = find_quotes(&field.value);
                let summary = match quotes.first() {
                    Some(q) => normalize(&q.text),
                    None => value.clone(),
                };
                self.set(subject, "summary", summary, pos)?;
                let ctx = Context {
                    topic: Some("In their own words"),
                    section: None,
                };
                self.claim(
                    std::slice::from_ref(&subject.to_string()),
                    &field.value,
                    pos,
                    &ctx,
                    Some(ClaimKind::Quote),
                    None,
                )?;
            }
            FieldKind::Website => self.set(subject, "website", value, pos)?,
            FieldKind::Founded => match dossier_model::date::find_dates(&value.value).first() {
                Some(d) => self.set(
                    subject,
                    "incorporationDate",
                    Value {
                        value: d.date.to_string(),
                        original,
                    },
                    pos,
                )?,
                None => {
                    self.warn(pos, format!("no date in {:?}", value.value));
                    self.set(
                        subject,
                        "notes",
                        format!("{}: {}", field.label, value.value),
                        pos,
                    )?;
                }
            },
            FieldKind::RegistrationNumber => self.set(subject, "registrationNumber", value, pos)?,
            FieldKind::Alias => {
                for part in value
                    .value
                    .split([';', ','])
                    .map(str::trim)
                    .filter(|p| !p.is_empty())
                {
                    self.set(subject, "alias", part, pos)?;
                    self.matcher.add_name(subject, "Organization", part);
                }
            }
            FieldKind::PreviousName => self.set(subject, "previousName", value, pos)?,
            FieldKind::Abbreviation => self.set(subject, "abbreviation", value, pos)?,
            FieldKind::Address => self.set(subject, "address", value, pos)?,
            FieldKind::Email => self.set(subject, "email", value, pos)?,
            FieldKind::Phone => self.set(subject, "phone", value, pos)?,
            FieldKind::LegalForm | FieldKind::Kind => self.set(subject, "legalForm", value, pos)?,
            FieldKind::Status => self.set(subject, "status", value, pos)?,
            FieldKind::Sector => self.set(subject, "sector", value, pos)?,
            FieldKind::Summary => self.set(subject, "summary", value, pos)?,
            FieldKind::Description => self.set(subject, "description", value, pos)?,
            // Read into a people section by `layout::regroup`.
            FieldKind::Founder | FieldKind::KeyPeople => {}
            // Of the page, not its subject.
            FieldKind::Author => {
                let doc = self.doc_id.clone();
                self.set(&doc, "author", value, pos)?;
            }
            FieldKind::Publisher => {
                let doc = self.doc_id.clone();
                self.set(&doc, "publisher", value, pos)?;
            }
            FieldKind::Published => match dossier_model::date::find_dates(&value.value).first() {
                Some(d) => {
                    let doc = self.doc_id.clone();
                    // `Published: 2 May 2024 by Ana Ruiz`: the author too.
                    let line = format!("Published {}", value.value);
                    for a in crate::byline::byline(&line)
                        .map(|b| b.0)
                        .unwrap_or_default()
                    {
                        self.set(&doc, "author", a.as_str(), pos)?;
                    }
                    let date = Value {
                        value: d.date.to_string(),
                        original,
                    };
                    self.set(&doc, "publishedAt", date, pos)?;
                }
                None => self.warn(pos, format!("no date in {:?}; left out", value.value)),
            },
            FieldKind::Fax => self.warn(
                pos,
                format!(
                    "a fax number ({}) has no place in FtM's model; left out",
                    value.value
                ),
            ),
        }
        Ok(())
    }

    /// A member bullet: an organization's name, or a sentence about the subject.
    fn members(
        &mut self,
        subject: &str,
        items: &[Item],
        ctx: &Context<'_>,
    ) -> Result<(), IngestError> {
        for item in items {
            if is_org_name(&item.text) {
                let (name, acronym) = split_acronym(&item.text);
                let member = self.org(name, acronym, MentionKind::Organization, item.pos)?;
                let role = ctx
                    .section
                    .map(|s| clean(s).to_lowercase())
                    .unwrap_or_else(|| "member".into());
                let role = if role.contains("member") {
                    "member".to_string()
                } else {
                    role
                };
                self.link(
                    "Membership",
                    [("member", &member), ("organization", subject)],
                    &[("role", role.into())],
                    &[],
                    item.pos,
                )?;
                for child in &item.children {
                    self.claim_tree(std::slice::from_ref(&member), child, ctx)?;
                }
            } else {
                let claim = self.claim(
                    std::slice::from_ref(&subject.to_string()),
                    &item.text,
                    item.pos,
                    ctx,
                    None,
                    None,
                )?;
                // Names listed under a sentence are members too.
                let (names, rest): (Vec<&Item>, Vec<&Item>) =
                    item.children.iter().partition(|c| is_org_name(&c.text));
                if !names.is_empty() {
                    self.members(
                        subject,
                        &names.into_iter().cloned().collect::<Vec<_>>(),
                        ctx,
                    )?;
                }
                for child in rest {
                    self.child(
                        std::slice::from_ref(&subject.to_string()),
                        &claim,
                        child,
                        ctx,
                    )?;
                }
            }
        }
        Ok(())
    }

    /// Networks the subject belongs to.
    fn networks(
        &mut self,
        subject: &str,
        items: &[Item],
        ctx: &Context<'_>,
    ) -> Result<(), IngestError> {
        self.listed_bodies(
            subject,
            items,
            ctx,
            ("Membership", "member", "organization"),
            "member",
        )
    }

    /// Partners: a link with role `partner`.
    fn partners(
        &mut self,
        subject: &str,
        items: &[Item],
        ctx: &Context<'_>,
    ) -> Result<(), IngestError> {
        self.listed_bodies(
            subject,
            items,
            ctx,
            ("UnknownLink", "subject", "object"),
            "partner",
        )
    }

    /// Bodies listed under a heading, each tied to the subject by a link
    /// (`schema`, the subject's end, the body's end) with `role`; what is
    /// not a body's name is a claim about the subject.
    fn listed_bodies(
        &mut self,
        subject: &str,
        items: &[Item],
        ctx: &Context<'_>,
        (schema, subject_end, body_end): (&str, &str, &str),
        role: &str,
    ) -> Result<(), IngestError> {
        for item in items {
            if is_org_name(&item.text) {
                let (name, acronym) = split_acronym(&item.text);
                let body = self.org(name, acronym, MentionKind::Organization, item.pos)?;
                self.link(
                    schema,
                    [(subject_end, subject), (body_end, &body)],
                    &[("role", role.into())],
                    &[],
                    item.pos,
                )?;
                for child in &item.children {
                    self.claim_tree(std::slice::from_ref(&body), child, ctx)?;
                }
            } else {
                self.claim_tree(std::slice::from_ref(&subject.to_string()), item, ctx)?;
            }
        }
        Ok(())
    }

    fn payment(
        &mut self,
        donor: &str,
        subject: &str,
        amount: Option<crate::sections::Amount>,
        dates: Dates,
        pos: Pos,
    ) -> Result<(), IngestError> {
        let donor_name = normalize(donor);
        let payer = match country::country_code(&donor_name.value) {
            Some(code) => {
                let id = self.org(donor, None, MentionKind::PublicBody, pos)?;
                self.set(&id, "country", code, pos)?;
                id
            }
            // `Dutch Ministry of Foreign Affairs`: a public body, as it is
            // when prose mentions it.
            None => self.org(donor, None, crate::prose::kind_of_name(donor), pos)?,
        };
        let mut extra: Vec<(&str, Value)> = Vec::new();
        let mut key: Vec<String> = Vec::new();
        if let Some(a) = &amount {
            extra.push((
                "amount",
                Value {
                    value: a.value.clone(),
                    original: Some(a.original.clone()),
                },
            ));
            key.push(a.value.clone());
            if let Some(c) = &a.currency {
                extra.push(("currency", c.as_str().into()));
                key.push(c.clone());
            }
        }
        match dates {
            Dates::None => {}
            Dates::On(d) => extra.push(("date", d.to_string().into())),
            Dates::Span(a, b) => {
                extra.push(("startDate", a.to_string().into()));
                extra.push(("endDate", b.to_string().into()));
            }
            Dates::From(d) => extra.push(("startDate", d.to_string().into())),
        }
        key.push(format!("{dates:?}"));
        let key: Vec<&str> = key.iter().map(String::as_str).collect();
        self.link(
            "Payment",
            [("payer", &payer), ("beneficiary", subject)],
            &extra,
            &key,
            pos,
        )?;
        Ok(())
    }

    fn funding(
        &mut self,
        subject: &str,
        items: &[Item],
        ctx: &Context<'_>,
    ) -> Result<(), IngestError> {
        for item in items {
            // A sentence naming who gave: its payments, and the sentence
            // itself as a claim a reader can check them against.
            if item.text.split_whitespace().count() >= 6 {
                let given = parse_funding_sentence(&item.text, false);
                if !given.is_empty() {
                    for line in given {
                        self.payment(&line.donor, subject, line.amount, line.dates, item.pos)?;
                    }
                    self.claim_tree(std::slice::from_ref(&subject.to_string()), item, ctx)?;
                    continue;
                }
            }
            // `2021: €95,000 from A; €20,000 from B`: a payment a part, the
            // year given once for all.
            let parts: Vec<&str> = item.text.split("; ").collect();
            if parts.len() >= 2 && parts.iter().all(|p| find_amount(p).is_some()) {
                let mut year = Dates::None;
                for part in parts {
                    if let Some(mut line) = parse_funding(part) {
                        if line.dates == Dates::None {
                            line.dates = year;
                        }
                        year = line.dates;
                        self.payment(&line.donor, subject, line.amount, line.dates, item.pos)?;
                    }
                }
                continue;
            }
            let parsed = parse_funding(&item.text);
            if let Some(line) = parsed {
                self.payment(&line.donor, subject, line.amount, line.dates, item.pos)?;
                for child in &item.children {
                    self.funding_child(&line.donor, subject, child, ctx)?;
                }
            } else if is_org_name(&item.text) && !item.children.is_empty() {
                // A donor with its grants beneath it.
                for child in &item.children {
                    self.funding_child(&item.text, subject, child, ctx)?;
                }
            } else {
                self.claim_tree(std::slice::from_ref(&subject.to_string()), item, ctx)?;
            }
        }
        Ok(())
    }

    fn funding_child(
        &mut self,
        donor: &str,
        subject: &str,
        item: &Item,
        ctx: &Context<'_>,
    ) -> Result<(), IngestError> {
        let amount = find_amount(&item.text);
        let (dates, _) = find_span(&item.text, amount.as_ref().map(|(_, s, e)| (*s, *e)));
        let short = item.text.split_whitespace().count() <= 8;
        if short && (amount.is_some() || dates != Dates::None) {
            self.payment(donor, subject, amount.map(|(a, _, _)| a), dates, item.pos)
        } else {
            let donor_id = self.org(donor, None, MentionKind::Organization, item.pos)?;
            self.claim_tree(&[donor_id], item, ctx)
        }
    }

    fn people(
        &mut self,
        subject: &str,
        items: &[Item],
        board: bool,
        ctx: &Context<'_>,
    ) -> Result<(), IngestError> {
        for item in items {
            let lines: Vec<&str> = item
                .text
                .split(';')
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .collect();
            let parsed: Vec<_> = lines.iter().map(|l| parse_person(l)).collect();
            if parsed.is_empty() || parsed.iter().any(Option::is_none) {
                // A paragraph after the list is about the subject, not the list.
                let plain = Context {
                    topic: None,
                    section: None,
                };
                let ctx = if item.bullet { ctx } else { &plain };
                if !item.bullet {
                    self.said_in_passing(subject, item)?;
                }
                self.claim_tree(std::slice::from_ref(&subject.to_string()), item, ctx)?;
                continue;
            }
            for line in parsed.into_iter().flatten() {
                // A name alone under a heading that names a body (`Advisory
                // Board`) holds a seat on it.
                let role = line.role.as_deref().map(clean).or_else(|| {
                    ctx.section
                        .filter(|_| board)
                        .map(|s| clean(s).trim_end_matches(':').to_string())
                });
                let person = self.person(&line.name, role.as_deref(), item.pos)?;
                let is_board = board || role.as_deref().is_some_and(is_board_role);
                self.seat(
                    &person,
                    subject,
                    role.as_deref(),
                    is_board,
                    line.dates,
                    item.pos,
                )?;
                for child in &item.children {
                    self.claim_tree(std::slice::from_ref(&person), child, ctx)?;
                }
            }
        }
        Ok(())
    }

    /// A person's place in an organization: a Directorship on a board,
    /// else an Employment, with the role and dates given.
    fn seat(
        &mut self,
        person: &str,
        org: &str,
        role: Option<&str>,
        board: bool,
        dates: Dates,
        pos: Pos,
    ) -> Result<String, IngestError> {
        let (schema, ends): (&str, [(&str, &str); 2]) = if board {
            (
                "Directorship",
                [("director", person), ("organization", org)],
            )
        } else {
            ("Employment", [("employee", person), ("employer", org)])
        };
        let mut extra: Vec<(&str, Value)> = Vec::new();
        if let Some(r) = role {
            extra.push(("role", r.into()));
        }
        match dates {
            Dates::None => {}
            Dates::On(d) | Dates::From(d) => extra.push(("startDate", d.to_string().into())),
            Dates::Span(a, b) => {
                extra.push(("startDate", a.to_string().into()));
                extra.push(("endDate", b.to_string().into()));
            }
        }
        self.link(schema, ends, &extra, &[role.unwrap_or_default()], pos)
    }

    /// A bullet and its nested bullets, all about `subjects`.
    fn claim_tree(
        &mut self,
        subjects: &[String],
        item: &Item,
        ctx: &Context<'_>,
    ) -> Result<(), IngestError> {
        let claim = self.claim(subjects, &item.text, item.pos, ctx, None, None)?;
        for child in &item.children {
            self.child(subjects, &claim, child, ctx)?;
        }
        Ok(())
    }

    /// A bullet under a claim: a reply to it, or another claim about the same subjects.
    fn child(
        &mut self,
        subjects: &[String],
        parent: &str,
        item: &Item,
        ctx: &Context<'_>,
    ) -> Result<(), IngestError> {
        if let Some(reply) = reply_text(&item.text) {
            let claim = self.claim(
                subjects,
                reply,
                item.pos,
                ctx,
                Some(ClaimKind::Quote),
                Some(parent),
            )?;
            for child in &item.children {
                self.child(subjects, &claim, child, ctx)?;
            }
            Ok(())
        } else {
            self.claim_tree(subjects, item, ctx)
        }
    }

    /// One claim from one bullet or paragraph: its quotations and their
    /// speakers, its date, the people and bodies it mentions.
    fn claim(
        &mut self,
        subjects: &[String],
        raw: &str,
        pos: Pos,
        ctx: &Context<'_>,
        kind: Option<ClaimKind>,
        reply_to: Option<&str>,
    ) -> Result<String, IngestError> {
        let text = normalize(raw);
        let quotes = find_quotes(raw);
        let mut masked: Vec<(usize, usize)> = quotes.iter().map(|q| (q.start, q.end)).collect();
        for q in quotes.iter().filter(|q| !q.closed) {
            let col = pos.column + raw[..q.start].chars().count() as u32;
            self.warn(
                Pos::new(pos.line, col),
                "a quotation is opened here and never closed; it is read to the end of the text",
            );
        }
        // Mentions: named patterns first, then any run that names a known body.
        let mut mentions: Vec<String> = Vec::new();
        let found = find_mentions(raw, &masked);
        for m in &found {
            let id = match m.kind {
                MentionKind::Person => self.person(&m.name, m.role.as_deref(), pos)?,
                k => self.org(&m.name, m.acronym.as_deref(), k, pos)?,
            };
            // `its director, Tomas Brel`: a seat in the one body the text
            // is about.
            if let (true, Some(role), [org]) = (m.theirs, m.role.as_deref(), subjects) {
                let body = self
                    .batch
                    .get(org)
                    .is_some_and(|e| e.schema.is_a("Organization"));
                if body {
                    let board = is_board_role(role);
                    self.seat(&id, org, Some(role), board, Dates::None, pos)?;
                }
            }
            if !mentions.contains(&id) {
                mentions.push(id);
            }
        }
        let spans: Vec<(usize, usize)> = found.iter().map(|m| (m.start, m.end)).collect();
        let mut all_masked = masked.clone();
        all_masked.extend(&spans);
        for (s, e) in capitalized_runs(raw, &all_masked) {
            if let Some(id) = self.known_in(&raw[s..e]) {
                if !mentions.contains(&id) {
                    mentions.push(id);
                }
            }
        }
        mentions.retain(|m| !subjects.contains(m));
        masked.extend(spans);
        let date = event_date(raw, &masked);
        // Speakers of quotations.
        let mut quotations: Vec<(Normalized, String)> = Vec::new();
        let mut explicit_speaker = false;
        for q in &quotes {
            let speaker = match &q.speaker {
                Some(named) => {
                    explicit_speaker = true;
                    self.speaker(named, pos)?
                }
                // Words others use about the subject are not the subject's.
                None if others_words(raw, q.start) => String::new(),
                None => subjects.first().cloned().unwrap_or_default(),
            };
            if !speaker.is_empty() && !subjects.contains(&speaker) && !mentions.contains(&speaker) {
                mentions.push(speaker.clone());
            }
            quotations.push((normalize(&q.text), speaker));
        }
        let kind = kind.unwrap_or(if date.is_some() || explicit_speaker {
            ClaimKind::Fact
        } else {
            ClaimKind::Assessment
        });
        let mut key: Vec<&str> = vec![&self.doc_id];
        key.extend(subjects.iter().map(String::as_str));
        key.push(&text.value);
        let id = stable_id("clm", &key);
        let mut c = Entity::new(id.clone(), "Claim").map_err(|e| self.model(pos, e))?;
        let asserter = if kind == ClaimKind::Quote {
            subjects.first().cloned()
        } else {
            self.asserter.clone()
        };
        let r: Result<(), ModelError> = (|| {
            c.add("kind", kind.as_str())?;
            c.add("text", text.clone())?;
            for s in subjects {
                c.add("subject", s.as_str())?;
            }
            for m in &mentions {
                c.add("mentions", m.as_str())?;
            }
            if let Some(d) = date {
                c.add("eventDate", d.to_string())?;
            }
            if let Some(t) = ctx.topic {
                c.add("topic", normalize(t))?;
            }
            if let Some(s) = ctx.section.filter(|s| Some(*s) != ctx.topic) {
                c.add("section", normalize(s))?;
            }
            c.add("source", self.doc_id.as_str())?;
            if let Some(a) = &asserter {
                c.add("assertedBy", a.as_str())?;
            }
            if let Some(p) = reply_to {
                c.add("replyTo", p)?;
            }
            Ok(())
        })();
        r.map_err(|e| self.model(pos, e))?;
        self.put(c, pos)?;
        let mut seen: Vec<&str> = Vec::new();
        for (quote, speaker) in &quotations {
            let n = seen
                .iter()
                .filter(|s| **s == quote.value)
                .count()
                .to_string();
            seen.push(&quote.value);
            let qid = stable_id("quo", &[&id, &quote.value, &n]);
            let mut q = Entity::new(qid, "Quotation").map_err(|e| self.model(pos, e))?;
            let r: Result<(), ModelError> = (|| {
                q.add("claim", id.as_str())?;
                q.add("text", quote.clone())?;
                if !speaker.is_empty() {
                    q.add("speaker", speaker.as_str())?;
                }
                Ok(())
            })();
            r.map_err(|e| self.model(pos, e))?;
            self.put(q, pos)?;
        }
        Ok(id)
    }

    /// The entity a speaker's name stands for: a known body, a known or new
    /// person, or a new organization.
    fn speaker(&mut self, named: &prose::NamedPerson, pos: Pos) -> Result<String, IngestError> {
        if let Some(id) = self.matcher.find(&named.name, None, Party::Organization) {
            return Ok(id.to_string());
        }
        if let Some(id) = self.matcher.find_name(&named.name, Party::Person) {
            return Ok(id.to_string());
        }
        // A surname alone (`Reyes said`) is the person of this page who
        // has it (`Tomas Reyes`), when only one has.
        if !named.name.contains(' ') {
            let surname = named.name.to_lowercase();
            let people: Vec<String> = self
                .batch
                .entities()
                .filter(|e| e.schema.name == "Person")
                .filter(|e| {
                    e.values("name").any(|n| {
                        n.split_whitespace()
                            .last()
                            .is_some_and(|l| l.to_lowercase() == surname)
                    })
                })
                .map(|e| e.id.clone())
                .collect();
            if let [one] = people.as_slice() {
                return Ok(one.clone());
            }
        }
        if looks_like_person_name(&named.name) {
            self.person(&named.name, named.role.as_deref(), pos)
        } else {
            self.org(&named.name, None, MentionKind::Organization, pos)
        }
    }

    /// A known body named by a run of capitalized words or a part of it,
    /// longest part first.
    fn known_in(&self, run: &str) -> Option<String> {
        let words: Vec<&str> = run.split_whitespace().collect();
        for len in (1..=words.len()).rev() {
            for start in 0..=words.len() - len {
                let part = words[start..start + len].join(" ");
                let part = part.trim_matches(|c: char| !c.is_alphanumeric());
                if part.is_empty() {
                    continue;
                }
                if let Some(id) = self.matcher.find_known(part, None, Party::Organization) {
                    return Some(id.to_string());
                }
            }
        }
        None
    }
}
