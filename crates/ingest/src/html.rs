//! Reads the HTML form of a profile page with html5ever (the WHATWG parser
//! of Servo) into a small arena tree that remembers each element's line,
//! then walks it: `h1` name, label/value pairs (table rows, `dl`, `label`,
//! `<b>Label:</b> value`), `h2`/`h3` sections, nested `ul`/`ol` lists,
//! `blockquote` for the subject's own words. Scripts, styles, navigation,
//! headers without the name, and footers are ignored.
//!
//! The arena is our own rather than scraper's tree because html5ever only
//! reports line numbers to the sink (`set_current_line`), and diagnostics
//! must say where an element is.

use std::borrow::Cow;
use std::cell::{Cell, RefCell};

use html5ever::tendril::{StrTendril, TendrilSink};
use html5ever::tree_builder::{ElementFlags, NodeOrText, QuirksMode, TreeSink};
use html5ever::{parse_document, Attribute, ExpandedName, QualName};

use crate::document::{Field, Item, Pos, ProfileDoc, Section};
use crate::labels::field_kind;
use crate::text::{is_articles_line, MAX_TITLE_CHARS};
use crate::Diagnostic;

type Id = usize;

/// What html5ever holds on to: the node's index, and its name, which
/// `elem_name` must lend out for as long as the handle lives.
#[derive(Clone, Debug)]
struct Handle(std::rc::Rc<(Id, Option<QualName>)>);

impl Handle {
    fn id(&self) -> Id {
        self.0 .0
    }
}

#[derive(Debug)]
enum Kind {
    Document,
    Element {
        name: QualName,
        attrs: Vec<Attribute>,
    },
    Text(String),
    Other,
}

#[derive(Debug)]
struct Node {
    kind: Kind,
    parent: Option<Id>,
    children: Vec<Id>,
    line: u32,
    /// How deep it was put (the document is 0); not kept up to date when
    /// the parser moves nodes, so only a guard: `depth_exceeded` is exact.
    depth: u32,
}

/// How deep elements may nest before a page is refused. Real pages stay
/// within a few dozen levels; the walks over the tree recurse, and
/// html5ever slows down on very deep trees (200,000 levels took minutes).
pub const MAX_DEPTH: u32 = 512;

/// The parser is given a page this many bytes at a time, and stops as soon
/// as a node was put deeper than [`MAX_DEPTH`].
const CHUNK_BYTES: usize = 16 << 10;

/// The html5ever sink: an arena of nodes.
struct Arena {
    nodes: RefCell<Vec<Node>>,
    line: Cell<u32>,
    errors: RefCell<Vec<(u32, String)>>,
    /// The line of the first node put deeper than [`MAX_DEPTH`].
    too_deep: Cell<Option<u32>>,
}

impl Arena {
    /// An arena holding only the document node.
    fn empty() -> Self {
        Arena {
            nodes: RefCell::new(vec![Node {
                kind: Kind::Document,
                parent: None,
                children: Vec::new(),
                line: 1,
                depth: 0,
            }]),
            line: Cell::new(1),
            errors: RefCell::new(Vec::new()),
            too_deep: Cell::new(None),
        }
    }

    fn new_node(&self, kind: Kind) -> Id {
        let mut nodes = self.nodes.borrow_mut();
        nodes.push(Node {
            kind,
            parent: None,
            children: Vec::new(),
            line: self.line.get(),
            depth: 0,
        });
        nodes.len() - 1
    }

    fn detach(&self, id: Id) {
        let mut nodes = self.nodes.borrow_mut();
        if let Some(p) = nodes[id].parent.take() {
            nodes[p].children.retain(|&c| c != id);
        }
    }

    fn insert(&self, parent: Id, index: Option<usize>, child: NodeOrText<Id>) {
        let id = match child {
            NodeOrText::AppendNode(id) => id,
            NodeOrText::AppendText(text) => {
                // Adjacent text merges into one node.
                let mut nodes = self.nodes.borrow_mut();
                let at = index.unwrap_or(nodes[parent].children.len());
                if at > 0 {
                    let prev = nodes[parent].children[at - 1];
                    if let Kind::Text(t) = &mut nodes[prev].kind {
                        t.push_str(&text);
                        return;
                    }
                }
                drop(nodes);
                self.new_node(Kind::Text(text.to_string()))
            }
        };
        self.detach(id);
        let mut nodes = self.nodes.borrow_mut();
        let at = index
            .unwrap_or(nodes[parent].children.len())
            .min(nodes[parent].children.len());
        nodes[parent].children.insert(at, id);
        nodes[id].parent = Some(parent);
        let depth = nodes[parent].depth.saturating_add(1);
        nodes[id].depth = depth;
        if depth > MAX_DEPTH && self.too_deep.get().is_none() {
            self.too_deep.set(Some(nodes[id].line));
        }
    }

    /// Parses a page, a chunk at a time, stopping early at a node put
    /// deeper than [`MAX_DEPTH`]; then measures the finished tree exactly
    /// (the parser moves nodes), without recursion. `Err` holds the line
    /// where the page first nests too deep.
    fn parse(source: &str, opts: html5ever::ParseOpts) -> Result<Arena, u32> {
        let mut parser = parse_document(Arena::empty(), opts);
        let mut rest = source;
        while !rest.is_empty() {
            let mut cut = CHUNK_BYTES.min(rest.len());
            while !rest.is_char_boundary(cut) {
                cut += 1;
            }
            parser.process(StrTendril::from_slice(&rest[..cut]));
            rest = &rest[cut..];
            if let Some(line) = parser.tokenizer.sink.sink.too_deep.get() {
                return Err(line);
            }
        }
        let arena = parser.finish();
        if let Some(line) = arena.too_deep.get() {
            return Err(line);
        }
        let nodes = arena.nodes.borrow();
        let mut stack = vec![(0, 0u32)];
        while let Some((id, depth)) = stack.pop() {
            if depth > MAX_DEPTH {
                return Err(nodes[id].line);
            }
            stack.extend(nodes[id].children.iter().map(|&c| (c, depth + 1)));
        }
        drop(nodes);
        Ok(arena)
    }
}

/// What a page nested too deep is refused with.
fn too_deep(file: &str, line: u32) -> Diagnostic {
    Diagnostic::error(
        file,
        Pos::new(line, 1),
        format!("elements nest more than {MAX_DEPTH} levels deep here; no page needs that many"),
    )
}

impl TreeSink for Arena {
    type Handle = Handle;
    type Output = Self;
    type ElemName<'a> = ExpandedName<'a>;

    fn finish(self) -> Self {
        self
    }

    fn parse_error(&self, msg: Cow<'static, str>) {
        self.errors
            .borrow_mut()
            .push((self.line.get(), msg.into_owned()));
    }

    fn get_document(&self) -> Handle {
        Handle(std::rc::Rc::new((0, None)))
    }

    fn elem_name<'a>(&'a self, target: &'a Handle) -> ExpandedName<'a> {
        // html5ever only asks for the names of elements it created.
        target.0 .1.as_ref().unwrap_or(&FALLBACK_NAME).expanded()
    }

    fn create_element(
        &self,
        name: QualName,
        attrs: Vec<Attribute>,
        _flags: ElementFlags,
    ) -> Handle {
        let id = self.new_node(Kind::Element {
            name: name.clone(),
            attrs,
        });
        Handle(std::rc::Rc::new((id, Some(name))))
    }

    fn create_comment(&self, _text: StrTendril) -> Handle {
        Handle(std::rc::Rc::new((self.new_node(Kind::Other), None)))
    }

    fn create_pi(&self, _target: StrTendril, _data: StrTendril) -> Handle {
        Handle(std::rc::Rc::new((self.new_node(Kind::Other), None)))
    }

    fn append(&self, parent: &Handle, child: NodeOrText<Handle>) {
        self.insert(parent.id(), None, ids(child));
    }

    fn append_based_on_parent_node(
        &self,
        element: &Handle,
        prev_element: &Handle,
        child: NodeOrText<Handle>,
    ) {
        let has_parent = self.nodes.borrow()[element.id()].parent.is_some();
        if has_parent {
            self.append_before_sibling(element, child);
        } else {
            self.append(prev_element, child);
        }
    }

    fn append_doctype_to_document(&self, _: StrTendril, _: StrTendril, _: StrTendril) {}

    fn get_template_contents(&self, target: &Handle) -> Handle {
        target.clone()
    }

    fn same_node(&self, x: &Handle, y: &Handle) -> bool {
        x.id() == y.id()
    }

    fn set_quirks_mode(&self, _mode: QuirksMode) {}

    fn append_before_sibling(&self, sibling: &Handle, new_node: NodeOrText<Handle>) {
        let parent = self.nodes.borrow()[sibling.id()].parent;
        if let Some(p) = parent {
            let index = self.nodes.borrow()[p]
                .children
                .iter()
                .position(|c| *c == sibling.id());
            self.insert(p, index, ids(new_node));
        }
    }

    fn add_attrs_if_missing(&self, target: &Handle, attrs: Vec<Attribute>) {
        let mut nodes = self.nodes.borrow_mut();
        if let Kind::Element {
            attrs: existing, ..
        } = &mut nodes[target.id()].kind
        {
            for a in attrs {
                if !existing.iter().any(|e| e.name == a.name) {
                    existing.push(a);
                }
            }
        }
    }

    fn remove_from_parent(&self, target: &Handle) {
        self.detach(target.id());
    }

    fn reparent_children(&self, node: &Handle, new_parent: &Handle) {
        let children = std::mem::take(&mut self.nodes.borrow_mut()[node.id()].children);
        for c in children {
            self.nodes.borrow_mut()[c].parent = None;
            self.insert(new_parent.id(), None, NodeOrText::AppendNode(c));
        }
    }

    fn set_current_line(&self, line: u64) {
        self.line.set(u32::try_from(line).unwrap_or(u32::MAX));
    }
}

fn ids(n: NodeOrText<Handle>) -> NodeOrText<Id> {
    match n {
        NodeOrText::AppendNode(h) => NodeOrText::AppendNode(h.id()),
        NodeOrText::AppendText(t) => NodeOrText::AppendText(t),
    }
}

static FALLBACK_NAME: std::sync::LazyLock<QualName> = std::sync::LazyLock::new(|| {
    QualName::new(None, html5ever::ns!(html), html5ever::local_name!("span"))
});

/// Elements whose content is never part of the profile.
const IGNORED: &[&str] = &[
    "script", "style", "noscript", "template", "nav", "footer", "iframe", "svg", "form", "button",
    "select", "head", "object", "canvas", "menu", "dialog",
];

/// Elements that flow inside a paragraph.
const INLINE: &[&str] = &[
    "a", "abbr", "b", "bdi", "bdo", "cite", "code", "data", "dfn", "em", "i", "kbd", "label",
    "mark", "q", "s", "samp", "small", "span", "strong", "sub", "sup", "time", "u", "var", "wbr",
    "br", "img", "font", "ins", "del",
];

struct Tree<'s> {
    nodes: Vec<Node>,
    source: &'s str,
    /// Byte offset where each line starts.
    line_starts: Vec<usize>,
    /// Per line, how far the search for tags has come (for columns).
    cursors: RefCell<std::collections::HashMap<u32, usize>>,
}

impl<'s> Tree<'s> {
    fn name(&self, id: Id) -> Option<&str> {
        match &self.nodes[id].kind {
            Kind::Element { name, .. } => Some(&name.local),
            _ => None,
        }
    }

    fn attr(&self, id: Id, attr: &str) -> Option<&str> {
        match &self.nodes[id].kind {
            Kind::Element { attrs, .. } => attrs
                .iter()
                .find(|a| &*a.name.local == attr)
                .map(|a| &*a.value),
            _ => None,
        }
    }

    fn children(&self, id: Id) -> &[Id] {
        &self.nodes[id].children
    }

    fn is_ignored(&self, id: Id) -> bool {
        let Some(name) = self.name(id) else {
            return false;
        };
        if IGNORED.contains(&name)
            || self.attr(id, "hidden").is_some()
            || self.attr(id, "aria-hidden") == Some("true")
        {
            return true;
        }
        let role = self.attr(id, "role").unwrap_or("");
        if ["navigation", "contentinfo", "search"].contains(&role) {
            return true;
        }
        // A page header is navigation unless it holds the name.
        (name == "header" || role == "banner") && self.find(id, "h1").is_none()
    }

    fn is_inline(&self, id: Id) -> bool {
        match &self.nodes[id].kind {
            Kind::Text(_) => true,
            Kind::Element { .. } => self.name(id).is_some_and(|n| INLINE.contains(&n)),
            _ => false,
        }
    }

    /// The first descendant element with this name, in document order.
    fn find(&self, id: Id, name: &str) -> Option<Id> {
        for &c in self.children(id) {
            if self.is_ignored(c) {
                continue;
            }
            if self.name(c) == Some(name) {
                return Some(c);
            }
            if let Some(found) = self.find(c, name) {
                return Some(found);
            }
        }
        None
    }

    /// The visible text of a node: text nodes joined, `<br>` and block
    /// boundaries as spaces, `<q>` in quotation marks, nested lists left out
    /// when `skip_lists`.
    fn text(&self, id: Id, skip_lists: bool) -> String {
        let mut out = String::new();
        self.text_into(id, skip_lists, &mut out);
        out.split_whitespace().collect::<Vec<_>>().join(" ")
    }

    fn text_into(&self, id: Id, skip_lists: bool, out: &mut String) {
        match &self.nodes[id].kind {
            Kind::Text(t) => out.push_str(t),
            Kind::Element { .. } => {
                if self.is_ignored(id) {
                    return;
                }
                let name = self.name(id).unwrap_or("");
                if skip_lists && (name == "ul" || name == "ol") {
                    return;
                }
                let block = !self.is_inline(id);
                if block || name == "br" {
                    out.push(' ');
                }
                if name == "q" {
                    out.push('\u{201C}');
                }
                for &c in self.children(id) {
                    self.text_into(c, skip_lists, out);
                }
                if name == "q" {
                    out.push('\u{201D}');
                }
                if block {
                    out.push(' ');
                }
            }
            _ => {}
        }
    }

    /// Line and column of an element's start tag. html5ever gives the line;
    /// the column is where `<name` next occurs on that line.
    fn pos(&self, id: Id) -> Pos {
        let line = self.nodes[id].line.max(1);
        let Some(name) = self.name(id) else {
            return Pos::new(line, 1);
        };
        let idx = (line - 1) as usize;
        let start = self.line_starts.get(idx).copied().unwrap_or(0);
        let end = self
            .line_starts
            .get(idx + 1)
            .copied()
            .unwrap_or(self.source.len());
        let text = &self.source[start..end];
        let mut cursors = self.cursors.borrow_mut();
        let from = cursors.get(&line).copied().unwrap_or(0);
        let needle = format!("<{name}");
        let lower = text.to_ascii_lowercase();
        match lower.get(from..).and_then(|rest| rest.find(&needle)) {
            Some(i) if text.is_char_boundary(from + i) => {
                cursors.insert(line, from + i + needle.len());
                Pos::new(line, text[..from + i].chars().count() as u32 + 1)
            }
            _ => Pos::new(line, 1),
        }
    }
}

/// State of the walk over the body.
struct Walk {
    doc: ProfileDoc,
    title_set: bool,
    in_head: bool,
    done: bool,
    current: Option<Section>,
}

impl Walk {
    fn section(&mut self, pos: Pos) -> &mut Section {
        self.in_head = false;
        self.current.get_or_insert_with(|| Section {
            title: String::new(),
            level: 2,
            pos,
            items: Vec::new(),
        })
    }

    fn close(&mut self) {
        if let Some(s) = self.current.take() {
            self.doc.sections.push(s);
        }
    }

    fn field(&mut self, label: &str, value: String, pos: Pos) {
        self.doc.fields.push(Field {
            label: label.trim().trim_end_matches(':').trim().to_string(),
            value,
            pos,
        });
    }

    fn paragraph(&mut self, text: String, pos: Pos) {
        if text.is_empty() {
            return;
        }
        if self.in_head {
            if let Some((label, value)) = crate::labels::split_label(&text) {
                let value = value.to_string();
                self.field(label, value, pos);
                return;
            }
        }
        self.section(pos).items.push(Item {
            text,
            pos,
            bullet: false,
            children: Vec::new(),
        });
    }
}

fn list_items(tree: &Tree<'_>, list: Id) -> Vec<Item> {
    let mut out = Vec::new();
    for &li in tree.children(list) {
        if tree.is_ignored(li) {
            continue;
        }
        match tree.name(li) {
            Some("li") => {
                let pos = tree.pos(li);
                let text = tree.text(li, true);
                let mut children = Vec::new();
                for &c in tree.children(li) {
                    collect_lists(tree, c, &mut children);
                }
                if text.is_empty() && !children.is_empty() {
                    out.extend(children);
                } else if !text.is_empty() {
                    out.push(Item {
                        text,
                        pos,
                        bullet: true,
                        children,
                    });
                }
            }
            // Lists nested directly in lists (invalid but common).
            Some("ul" | "ol") => {
                let nested = list_items(tree, li);
                match out.last_mut() {
                    Some(last) => last.children.extend(nested),
                    None => out.extend(nested),
                }
            }
            _ => {}
        }
    }
    out
}

fn collect_lists(tree: &Tree<'_>, id: Id, out: &mut Vec<Item>) {
    if tree.is_ignored(id) {
        return;
    }
    match tree.name(id) {
        Some("ul" | "ol") => out.extend(list_items(tree, id)),
        Some(_) => {
            for &c in tree.children(id) {
                collect_lists(tree, c, out);
            }
        }
        None => {}
    }
}

/// Rows of a table as cell texts, with the header row if it has one.
fn table_rows(tree: &Tree<'_>, table: Id) -> Vec<(Pos, Vec<(bool, String)>)> {
    let mut rows = Vec::new();
    let mut stack = vec![table];
    let mut trs = Vec::new();
    while let Some(id) = stack.pop() {
        for &c in tree.children(id).iter().rev() {
            match tree.name(c) {
                Some("tr") => trs.push(c),
                Some("thead" | "tbody" | "tfoot") => stack.push(c),
                _ => {}
            }
        }
    }
    trs.sort_unstable();
    for tr in trs {
        let cells: Vec<(bool, String)> = tree
            .children(tr)
            .iter()
            .filter(|&&c| matches!(tree.name(c), Some("td" | "th")))
            .map(|&c| (tree.name(c) == Some("th"), tree.text(c, false)))
            .collect();
        if !cells.is_empty() {
            rows.push((tree.pos(tr), cells));
        }
    }
    rows
}

fn walk_table(tree: &Tree<'_>, table: Id, w: &mut Walk) {
    let rows = table_rows(tree, table);
    // A box of facts (an infobox): rows of a label cell and a value cell,
    // read as fields wherever it stands on the page.
    let pairs = rows
        .iter()
        .filter(|(_, c)| c.len() == 2 && c[0].0 && !c[1].0)
        .count();
    if w.in_head || (pairs >= 2 && pairs * 2 >= rows.len()) {
        for (pos, cells) in &rows {
            if let [(_, label), (_, value), ..] = cells.as_slice() {
                if !label.is_empty() && !value.is_empty() {
                    w.field(label, value.clone(), *pos);
                }
            }
        }
        return;
    }
    // In a section, each row is one item; a header row names the columns
    // (see `grid`).
    let mut header: Option<Vec<String>> = None;
    for (pos, cells) in rows {
        let texts: Vec<String> = cells.iter().map(|(_, t)| t.clone()).collect();
        if cells.iter().all(|(th, _)| *th) {
            header = Some(texts);
            continue;
        }
        let text = crate::grid::row_text(header.as_deref(), &texts);
        if !text.trim().is_empty() {
            w.section(pos).items.push(Item {
                text,
                pos,
                bullet: true,
                children: Vec::new(),
            });
        }
    }
}

fn walk_dl(tree: &Tree<'_>, dl: Id, w: &mut Walk) {
    let mut label: Option<(String, Pos)> = None;
    for &c in tree.children(dl) {
        match tree.name(c) {
            Some("dt") => label = Some((tree.text(c, false), tree.pos(c))),
            Some("dd") => {
                let value = tree.text(c, false);
                let pos = tree.pos(c);
                match &label {
                    Some((l, lpos)) if w.in_head => w.field(l, value, *lpos),
                    Some((l, _)) => w.paragraph(format!("{l}: {value}"), pos),
                    None => w.paragraph(value, pos),
                }
            }
            Some("div") => walk_dl(tree, c, w),
            _ => {}
        }
    }
}

/// A run of inline content: a paragraph, or a field when it starts with a
/// label (`<label>`, or `<b>`/`<strong>` text ending in a colon or naming a
/// known field).
fn walk_inline(tree: &Tree<'_>, nodes: &[Id], pos: Pos, w: &mut Walk) {
    // Short lines broken by `<br>` (an address, `Email:` and `Phone:`
    // lines) are lines of their own; a sentence that wraps is one.
    let parts: Vec<&[Id]> = nodes
        .split(|&n| tree.name(n) == Some("br"))
        .filter(|p| !p.is_empty())
        .collect();
    if parts.len() >= 2 {
        let line = |p: &[Id]| {
            let mut s = String::new();
            for &n in p {
                tree.text_into(n, false, &mut s);
            }
            s.split_whitespace().count()
        };
        if parts.iter().all(|p| (1..=12).contains(&line(p))) {
            for p in parts {
                walk_inline(tree, p, pos, w);
            }
            return;
        }
    }
    let mut text = String::new();
    for &n in nodes {
        tree.text_into(n, false, &mut text);
    }
    let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if text.is_empty() {
        return;
    }
    if is_articles_line(&text) {
        w.done = true;
        return;
    }
    let first = nodes.iter().copied().find(|&n| match &tree.nodes[n].kind {
        Kind::Text(t) => !t.trim().is_empty(),
        Kind::Element { .. } => true,
        _ => false,
    });
    if let Some(first) = first {
        if matches!(
            tree.name(first),
            Some("label" | "b" | "strong" | "dt" | "th")
        ) {
            let label = tree.text(first, false);
            let known = field_kind(&label).is_some();
            if known || (label.ends_with(':') && w.in_head) {
                let value = text[label.len().min(text.len())..]
                    .trim()
                    .trim_start_matches(':')
                    .trim()
                    .to_string();
                if !value.is_empty() && text.starts_with(&label) {
                    w.field(&label, value, pos);
                    return;
                }
            }
        }
    }
    w.paragraph(text, pos);
}

fn walk(tree: &Tree<'_>, id: Id, w: &mut Walk) {
    if w.done || tree.is_ignored(id) {
        return;
    }
    let Some(name) = tree.name(id) else {
        return;
    };
    let pos = tree.pos(id);
    match name {
        "h1" if !w.title_set => {
            w.doc.title = tree.text(id, false);
            w.doc.title_pos = pos;
            w.title_set = true;
        }
        "h1" | "h2" | "h3" | "h4" | "h5" | "h6" => {
            let title = tree.text(id, false);
            if is_articles_line(&title) {
                w.done = true;
                return;
            }
            if title.is_empty() {
                return;
            }
            w.close();
            let level = name[1..]
                .parse::<u8>()
                .unwrap_or(2)
                .saturating_sub(1)
                .max(1);
            w.in_head = false;
            w.current = Some(Section {
                title,
                level,
                pos,
                items: Vec::new(),
            });
        }
        "ul" | "ol" => {
            let items = list_items(tree, id);
            w.section(pos).items.extend(items);
        }
        "table" => walk_table(tree, id, w),
        "dl" => walk_dl(tree, id, w),
        "blockquote" if w.in_head => {
            let text = tree.text(id, false);
            if !text.is_empty() {
                let quoted = if text.starts_with(['\u{201C}', '"']) {
                    text
                } else {
                    format!("\u{201C}{text}\u{201D}")
                };
                w.field("In their own words", quoted, pos);
            }
        }
        _ if tree.is_inline(id) => walk_inline(tree, &[id], pos, w),
        _ => {
            // A block: its inline runs are paragraphs, its blocks are walked.
            let children = tree.children(id);
            let mut run: Vec<Id> = Vec::new();
            let mut run_pos = pos;
            for &c in children {
                if w.done {
                    return;
                }
                if tree.is_inline(c) && !tree.is_ignored(c) {
                    if run.is_empty() {
                        run_pos = if tree.name(c).is_some() {
                            tree.pos(c)
                        } else {
                            pos
                        };
                    }
                    run.push(c);
                } else {
                    if !run.is_empty() {
                        walk_inline(tree, &run, run_pos, w);
                        run.clear();
                    }
                    walk(tree, c, w);
                }
            }
            if !run.is_empty() && !w.done {
                walk_inline(tree, &run, run_pos, w);
            }
        }
    }
}

/// Elements that must be closed in a complete page; the end of the input
/// inside one of them means the file was cut short.
const MUST_CLOSE: &[&str] = &[
    "html",
    "body",
    "div",
    "main",
    "article",
    "section",
    "ul",
    "ol",
    "table",
    "dl",
    "blockquote",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "span",
    "a",
    "b",
    "strong",
    "em",
    "i",
];

/// Reads an HTML profile page.
pub fn parse(source: &str, file: &str) -> Result<(ProfileDoc, Vec<Diagnostic>), Diagnostic> {
    let mut opts = html5ever::ParseOpts::default();
    opts.tree_builder.exact_errors = true;
    let arena = Arena::parse(source, opts).map_err(|line| too_deep(file, line))?;
    let mut line_starts = vec![0];
    line_starts.extend(source.match_indices('\n').map(|(i, _)| i + 1));
    let end = crate::extract::position_of(source.as_bytes(), source.len());
    truncation(source, &arena, file, end)?;
    let tree = Tree {
        nodes: arena.nodes.into_inner(),
        source,
        line_starts,
        cursors: RefCell::new(Default::default()),
    };
    let mut w = Walk {
        doc: ProfileDoc::default(),
        title_set: false,
        in_head: true,
        done: false,
        current: None,
    };
    // The main content when the page marks it, else the whole body.
    let root = tree
        .find(0, "main")
        .filter(|&m| tree.find(m, "h1").is_some())
        .or_else(|| {
            tree.find(0, "article")
                .filter(|&a| tree.find(a, "h1").is_some())
        })
        .or_else(|| tree.find(0, "body"))
        .unwrap_or(0);
    // The name first, wherever it stands, then everything after it.
    let Some(h1) = tree.find(root, "h1") else {
        return Err(Diagnostic::error(
            file,
            Pos::new(1, 1),
            "no <h1> element: an HTML profile names its subject in an <h1>",
        ));
    };
    walk(&tree, h1, &mut w);
    let title_chars = w.doc.title.chars().count();
    if w.doc.title.is_empty() || title_chars > MAX_TITLE_CHARS {
        return Err(Diagnostic::error(file, w.doc.title_pos, format!("the <h1> must hold the subject's name (1 to {MAX_TITLE_CHARS} characters), not {title_chars}")));
    }
    walk_after(&tree, root, h1, &mut w);
    w.close();
    lift_label_sections(&mut w.doc);
    let meta = page_meta(&tree);
    crate::byline::add_missing(&mut w.doc, meta);
    Ok((w.doc, Vec::new()))
}

/// What the page's `<meta>` elements say of it (author, publication date,
/// publisher), as fields.
fn page_meta(tree: &Tree<'_>) -> Vec<Field> {
    let mut out = Vec::new();
    for id in 0..tree.nodes.len() {
        if tree.name(id) != Some("meta") {
            continue;
        }
        let key = tree
            .attr(id, "name")
            .or_else(|| tree.attr(id, "property"))
            .or_else(|| tree.attr(id, "itemprop"));
        let (Some(key), Some(content)) = (key, tree.attr(id, "content")) else {
            continue;
        };
        let content = content.split_whitespace().collect::<Vec<_>>().join(" ");
        if let Some(label) = crate::byline::meta_label(key).filter(|_| !content.is_empty()) {
            out.push(Field {
                label: label.into(),
                value: content.chars().take(200).collect(),
                pos: tree.pos(id),
            });
        }
    }
    out
}

/// Walks what comes after `mark` in document order within `root`.
fn walk_after(tree: &Tree<'_>, root: Id, mark: Id, w: &mut Walk) {
    // The ancestors of the mark: their later children come after it.
    let mut path = vec![mark];
    let mut at = mark;
    while let Some(p) = tree.nodes[at].parent {
        path.push(p);
        if p == root {
            break;
        }
        at = p;
    }
    for pair in path.windows(2) {
        let (child, parent) = (pair[0], pair[1]);
        let siblings = tree.children(parent);
        let Some(i) = siblings.iter().position(|&c| c == child) else {
            continue;
        };
        let later: Vec<Id> = siblings[i + 1..].to_vec();
        let mut run: Vec<Id> = Vec::new();
        for c in later {
            if w.done {
                return;
            }
            if tree.is_inline(c) {
                run.push(c);
            } else {
                if !run.is_empty() {
                    walk_inline(tree, &run, tree.pos(parent), w);
                    run.clear();
                }
                walk(tree, c, w);
            }
        }
        if !run.is_empty() {
            walk_inline(tree, &run, tree.pos(parent), w);
        }
    }
}

/// A section headed by a field label (`<h3>In their own words</h3><blockquote>…`)
/// is that field.
fn lift_label_sections(doc: &mut ProfileDoc) {
    let mut kept = Vec::new();
    for s in std::mem::take(&mut doc.sections) {
        // A list of people under `Leadership` stays a list: one entry a
        // person, not one field of names run together.
        let people = matches!(
            crate::labels::section_role(&s.title),
            crate::labels::SectionRole::People { .. }
        ) && s.items.len() > 1;
        if field_kind(&s.title).is_some()
            && !people
            && !s.items.is_empty()
            && s.items.iter().all(|i| i.children.is_empty())
        {
            let value = s
                .items
                .iter()
                .map(|i| i.text.as_str())
                .collect::<Vec<_>>()
                .join(" ");
            doc.fields.push(Field {
                label: s.title.clone(),
                value,
                pos: s.pos,
            });
        } else {
            kept.push(s);
        }
    }
    doc.sections = kept;
}

/// Fails when the input ends inside a tag, a comment, or an element a
/// complete page closes: the file was cut short.
fn truncation(source: &str, arena: &Arena, file: &str, end: Pos) -> Result<(), Diagnostic> {
    let errors = arena.errors.borrow();
    if let Some((_, msg)) = errors.iter().find(|(_, m)| {
        let m = m.to_lowercase();
        m.contains("eof in") || m.contains("eof after") || m.contains("eof before")
    }) {
        return Err(Diagnostic::error(
            file,
            end,
            format!("the HTML ends in the middle of markup ({msg}): the file looks truncated"),
        ));
    }
    // Elements still open at the end: walk from the last node up.
    let nodes = arena.nodes.borrow();
    let closed_html = source.to_ascii_lowercase().contains("</html>")
        || source.to_ascii_lowercase().contains("</body>");
    if closed_html {
        return Ok(());
    }
    // No closing body or html tag: find the deepest last element that must be closed.
    let mut at = 0;
    let mut open: Option<Id> = None;
    while let Some(&last) = nodes[at]
        .children
        .iter()
        .rev()
        .find(|&&c| matches!(nodes[c].kind, Kind::Element { .. }))
    {
        if let Kind::Element { name, .. } = &nodes[last].kind {
            if MUST_CLOSE.contains(&&*name.local) && !["html", "body"].contains(&&*name.local) {
                open = Some(last);
            }
        }
        at = last;
    }
    if let Some(id) = open {
        if let Kind::Element { name, .. } = &nodes[id].kind {
            let close = format!("</{}>", name.local);
            let opened_line = nodes[id].line;
            let after_open = source.to_ascii_lowercase().rfind(&close).is_none_or(|i| {
                crate::extract::position_of(source.as_bytes(), i).line < opened_line
            });
            if after_open {
                return Err(Diagnostic::error(
                    file,
                    end,
                    format!("the HTML ends before <{}> (opened on line {opened_line}) is closed, and has no </body>: the file looks truncated", name.local),
                ));
            }
        }
    }
    Ok(())
}

/// The visible text of an archived web page, as a reader sees it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PageText {
    /// The page's `<title>`, else its first `<h1>`; empty when it has neither.
    pub title: String,
    /// One line per block (paragraph, heading, list item, table cell, …),
    /// spaces within a line collapsed, entities decoded, and nothing from
    /// scripts, styles, navigation, headers without the page's heading,
    /// footers or forms.
    pub text: String,
}

/// Extracts the visible text of any HTML page (an archived origin, not a
/// profile). Never fails: html5ever repairs whatever it is given. The walk
/// is iterative, so nesting depth cannot exhaust the stack.
pub fn visible_text(source: &str) -> Result<PageText, Diagnostic> {
    let arena = Arena::parse(source, Default::default()).map_err(|line| too_deep("", line))?;
    let tree = Tree {
        nodes: arena.nodes.into_inner(),
        source,
        line_starts: vec![0],
        cursors: RefCell::new(Default::default()),
    };
    // html5ever puts `<title>` in `html > head`, so three levels suffice.
    let named = |parent: Id, name: &str| {
        tree.children(parent)
            .iter()
            .copied()
            .find(|&c| tree.name(c) == Some(name))
    };
    let title = named(0, "html")
        .and_then(|h| named(h, "head"))
        .and_then(|h| named(h, "title"))
        .map(|t| tree.text(t, false))
        .unwrap_or_default();
    let root = tree.find(0, "body").unwrap_or(0);
    let mut lines: Vec<String> = Vec::new();
    let mut line = String::new();
    let flush = |line: &mut String, lines: &mut Vec<String>| {
        let joined = line.split_whitespace().collect::<Vec<_>>().join(" ");
        if !joined.is_empty() {
            lines.push(joined);
        }
        line.clear();
    };
    // Enter(id) walks into a node; Leave(name) closes what entering opened.
    enum Step {
        Enter(Id),
        Leave { block: bool, q: bool },
    }
    let mut stack = vec![Step::Enter(root)];
    while let Some(step) = stack.pop() {
        match step {
            Step::Leave { block, q } => {
                if q {
                    line.push('\u{201D}');
                }
                if block {
                    flush(&mut line, &mut lines);
                }
            }
            Step::Enter(id) => match &tree.nodes[id].kind {
                Kind::Text(t) => line.push_str(t),
                Kind::Element { .. } | Kind::Document => {
                    if tree.is_ignored(id) {
                        continue;
                    }
                    let name = tree.name(id).unwrap_or("");
                    if name == "br" {
                        flush(&mut line, &mut lines);
                        continue;
                    }
                    let block = !name.is_empty() && !tree.is_inline(id);
                    let q = name == "q";
                    if block {
                        flush(&mut line, &mut lines);
                    } else if name == "img" {
                        // Alternative text is what a reader of the page is given.
                        if let Some(alt) = tree.attr(id, "alt").filter(|a| !a.trim().is_empty()) {
                            line.push(' ');
                            line.push_str(alt);
                            line.push(' ');
                        }
                    }
                    if q {
                        line.push('\u{201C}');
                    }
                    stack.push(Step::Leave { block, q });
                    for &c in tree.children(id).iter().rev() {
                        stack.push(Step::Enter(c));
                    }
                }
                Kind::Other => {}
            },
        }
    }
    flush(&mut line, &mut lines);
    let title = if title.is_empty() {
        lines
            .first()
            .filter(|l| l.chars().count() <= 200)
            .cloned()
            .unwrap_or_default()
    } else {
        title
    };
    Ok(PageText {
        title: title.chars().take(500).collect(),
        text: lines.join("\n"),
    })
}
