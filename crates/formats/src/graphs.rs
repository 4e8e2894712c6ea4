//! Network export: GEXF 1.3 (Gephi; dated edges for time-aware viewing)
//! and GraphML, both readable by networkx.
//!
//! The XML is written by hand: the documents are flat and small in
//! vocabulary, and the one thing a library would add — escaping — is not
//! enough, since XML 1.0 cannot carry most control characters at all; they
//! are dropped here (`xml_text`).

use std::io::Write;

use crate::FormatError;

/// A node of an exported network.
#[derive(Debug, Clone)]
pub struct GraphNode {
    pub id: String,
    pub label: String,
    /// The schema (`Organization`, `Person`, …).
    pub kind: String,
    /// ISO country codes, comma-separated; empty when unknown.
    pub country: String,
}

/// An edge of an exported network.
#[derive(Debug, Clone)]
pub struct GraphEdge {
    pub source: String,
    pub target: String,
    /// `membership`, `payment`, `employment`, `directorship`, `link`, `mention`.
    pub kind: String,
    /// The relationship (or claim) entity it stands for.
    pub relationship: String,
    pub label: String,
    pub amount: Option<f64>,
    /// `YYYY[-MM[-DD]]`.
    pub start: Option<String>,
    pub end: Option<String>,
}

/// Text fit for XML 1.0: markup characters escaped, characters XML cannot
/// carry (most C0 controls, U+FFFE, U+FFFF) dropped.
fn xml_text(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\t' | '\n' | '\r' => out.push(c),
            c if (c as u32) < 0x20 || c == '\u{FFFE}' || c == '\u{FFFF}' => {}
            c => out.push(c),
        }
    }
    out
}

/// A partial date as a full one: the first day of a start, the last of an end.
fn full_date(d: &str, end: bool) -> Option<String> {
    let mut parts = d.split('-');
    let y: u32 = parts.next()?.parse().ok()?;
    let m: Option<u32> = parts.next().and_then(|p| p.parse().ok());
    let day: Option<u32> = parts
        .next()
        .and_then(|p| p.get(..2).unwrap_or(p).parse().ok());
    let (m, day) = match (m, day, end) {
        (Some(m), Some(d), _) => (m, d),
        (Some(m), None, false) => (m, 1),
        (Some(m), None, true) => (m, days_in(y, m)),
        (None, _, false) => (1, 1),
        (None, _, true) => (12, 31),
    };
    Some(format!("{y:04}-{m:02}-{day:02}"))
}

fn days_in(y: u32, m: u32) -> u32 {
    match m {
        4 | 6 | 9 | 11 => 30,
        2 if (y.is_multiple_of(4) && !y.is_multiple_of(100)) || y.is_multiple_of(400) => 29,
        2 => 28,
        _ => 31,
    }
}

/// Writes GEXF 1.3: a directed, dynamic graph whose dated edges carry
/// `start` and `end`.
pub fn write_gexf(
    out: &mut dyn Write,
    nodes: &[GraphNode],
    edges: &[GraphEdge],
    description: &str,
) -> Result<(), FormatError> {
    let mut w = String::new();
    w.push_str("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    w.push_str("<gexf xmlns=\"http://gexf.net/1.3\" xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" xsi:schemaLocation=\"http://gexf.net/1.3 http://gexf.net/1.3/gexf.xsd\" version=\"1.3\">\n");
    w.push_str(&format!(
        "  <meta>\n    <creator>Dossier {}</creator>\n    <description>{}</description>\n  </meta>\n",
        env!("CARGO_PKG_VERSION"),
        xml_text(description)
    ));
    w.push_str("  <graph defaultedgetype=\"directed\" mode=\"dynamic\" timeformat=\"date\">\n");
    w.push_str("    <attributes class=\"node\">\n      <attribute id=\"kind\" title=\"kind\" type=\"string\"/>\n      <attribute id=\"country\" title=\"country\" type=\"string\"/>\n    </attributes>\n");
    w.push_str("    <attributes class=\"edge\">\n      <attribute id=\"kind\" title=\"kind\" type=\"string\"/>\n      <attribute id=\"relationship\" title=\"relationship\" type=\"string\"/>\n      <attribute id=\"amount\" title=\"amount\" type=\"double\"/>\n    </attributes>\n");
    w.push_str("    <nodes>\n");
    for n in nodes {
        w.push_str(&format!(
            "      <node id=\"{}\" label=\"{}\">\n        <attvalues>\n          <attvalue for=\"kind\" value=\"{}\"/>\n          <attvalue for=\"country\" value=\"{}\"/>\n        </attvalues>\n      </node>\n",
            xml_text(&n.id),
            xml_text(&n.label),
            xml_text(&n.kind),
            xml_text(&n.country)
        ));
    }
    w.push_str("    </nodes>\n    <edges>\n");
    for (i, e) in edges.iter().enumerate() {
        let mut when = String::new();
        if let Some(s) = e.start.as_deref().and_then(|d| full_date(d, false)) {
            when.push_str(&format!(" start=\"{s}\""));
        }
        if let Some(s) = e.end.as_deref().and_then(|d| full_date(d, true)) {
            when.push_str(&format!(" end=\"{s}\""));
        }
        w.push_str(&format!(
            "      <edge id=\"e{i}\" source=\"{}\" target=\"{}\" label=\"{}\"{when}>\n        <attvalues>\n          <attvalue for=\"kind\" value=\"{}\"/>\n          <attvalue for=\"relationship\" value=\"{}\"/>\n",
            xml_text(&e.source),
            xml_text(&e.target),
            xml_text(&e.label),
            xml_text(&e.kind),
            xml_text(&e.relationship)
        ));
        if let Some(a) = e.amount.filter(|a| a.is_finite()) {
            w.push_str(&format!(
                "          <attvalue for=\"amount\" value=\"{a}\"/>\n"
            ));
        }
        w.push_str("        </attvalues>\n      </edge>\n");
        if w.len() > 1 << 20 {
            out.write_all(w.as_bytes())?;
            w.clear();
        }
    }
    w.push_str("    </edges>\n  </graph>\n</gexf>\n");
    out.write_all(w.as_bytes())?;
    Ok(())
}

/// Writes GraphML: a directed graph, typed keys for every attribute.
pub fn write_graphml(
    out: &mut dyn Write,
    nodes: &[GraphNode],
    edges: &[GraphEdge],
) -> Result<(), FormatError> {
    let mut w = String::new();
    w.push_str("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    w.push_str("<graphml xmlns=\"http://graphml.graphdrawing.org/xmlns\" xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" xsi:schemaLocation=\"http://graphml.graphdrawing.org/xmlns http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd\">\n");
    for (id, on, name, ty) in [
        ("label", "node", "label", "string"),
        ("kind", "node", "kind", "string"),
        ("country", "node", "country", "string"),
        ("ekind", "edge", "kind", "string"),
        ("relationship", "edge", "relationship", "string"),
        ("elabel", "edge", "label", "string"),
        ("amount", "edge", "amount", "double"),
        ("start", "edge", "start", "string"),
        ("end", "edge", "end", "string"),
    ] {
        w.push_str(&format!(
            "  <key id=\"{id}\" for=\"{on}\" attr.name=\"{name}\" attr.type=\"{ty}\"/>\n"
        ));
    }
    w.push_str("  <graph id=\"dossier\" edgedefault=\"directed\">\n");
    for n in nodes {
        w.push_str(&format!(
            "    <node id=\"{}\"><data key=\"label\">{}</data><data key=\"kind\">{}</data><data key=\"country\">{}</data></node>\n",
            xml_text(&n.id),
            xml_text(&n.label),
            xml_text(&n.kind),
            xml_text(&n.country)
        ));
    }
    for (i, e) in edges.iter().enumerate() {
        w.push_str(&format!(
            "    <edge id=\"e{i}\" source=\"{}\" target=\"{}\"><data key=\"ekind\">{}</data><data key=\"relationship\">{}</data><data key=\"elabel\">{}</data>",
            xml_text(&e.source),
            xml_text(&e.target),
            xml_text(&e.kind),
            xml_text(&e.relationship),
            xml_text(&e.label)
        ));
        if let Some(a) = e.amount.filter(|a| a.is_finite()) {
            w.push_str(&format!("<data key=\"amount\">{a}</data>"));
        }
        if let Some(s) = &e.start {
            w.push_str(&format!("<data key=\"start\">{}</data>", xml_text(s)));
        }
        if let Some(s) = &e.end {
            w.push_str(&format!("<data key=\"end\">{}</data>", xml_text(s)));
        }
        w.push_str("</edge>\n");
        if w.len() > 1 << 20 {
            out.write_all(w.as_bytes())?;
            w.clear();
        }
    }
    w.push_str("  </graph>\n</graphml>\n");
    out.write_all(w.as_bytes())?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_become_full_days_and_text_fits_xml() {
        assert_eq!(full_date("2021", false).as_deref(), Some("2021-01-01"));
        assert_eq!(full_date("2021", true).as_deref(), Some("2021-12-31"));
        assert_eq!(full_date("2020-02", true).as_deref(), Some("2020-02-29"));
        assert_eq!(full_date("2021-05-28", true).as_deref(), Some("2021-05-28"));
        assert_eq!(xml_text("a<b>&\"\u{1}'"), "a&lt;b&gt;&amp;&quot;&apos;");
    }
}
