//! What a paragraph says in passing about the page's subject: the ties
//! and the money a sentence states, and whose words a quotation is not.

use super::{Dates, Extractor, IngestError, Item, MentionKind, Pos, Value};
use crate::prose::looks_like_person_name;
use crate::sections::{funding_of_subject, parse_funding_sentence};

impl Extractor<'_> {
    /// What a paragraph about the page's subject says in passing: the
    /// ties it states and the money the subject got.
    pub(super) fn said_in_passing(
        &mut self,
        subject: &str,
        item: &Item,
    ) -> Result<(), IngestError> {
        let names = self.subject_names.clone();
        let names: Vec<&str> = names.iter().map(String::as_str).collect();
        self.prose_ties(subject, &names, &item.text, item.pos)?;
        if funding_of_subject(&item.text, &names) {
            for line in parse_funding_sentence(&item.text, true) {
                self.payment(&line.donor, subject, line.amount, line.dates, item.pos)?;
            }
        }
        // `It was founded in 2013 by A and B`: its founders, each a person
        // with that role.
        for sentence in item.text.split_inclusive(". ") {
            let Some((_, founders)) = crate::article::founding(sentence) else {
                continue;
            };
            let lower = sentence.to_ascii_lowercase(); // byte for byte
            let verb = ["founded", "set up", "established", "created", "launched"]
                .iter()
                .filter_map(|v| lower.find(v))
                .min();
            if !verb.is_some_and(|v| crate::sections::about_subject(&sentence[..v], &names)) {
                continue;
            }
            for f in founders {
                let person = self.person(&f, Some("Founder"), item.pos)?;
                let founder = Some("Founder");
                self.seat(&person, subject, founder, false, Dates::None, item.pos)?;
            }
        }
        Ok(())
    }

    /// The ties the sentences of `text` state about `subject` (named
    /// `names`): memberships both ways, a fiscal sponsor, who leads it.
    pub(super) fn prose_ties(
        &mut self,
        subject: &str,
        names: &[&str],
        text: &str,
        pos: Pos,
    ) -> Result<(), IngestError> {
        use crate::relations::{ties, Tie};
        for sentence in text.split_inclusive(". ") {
            for tie in ties(sentence, names) {
                match tie {
                    Tie::MemberOf(nets) => {
                        for n in nets {
                            let net = self.org(&n, None, MentionKind::Organization, pos)?;
                            let ends = [("member", subject), ("organization", net.as_str())];
                            self.link("Membership", ends, &[], &[], pos)?;
                        }
                    }
                    Tie::Members(members) => {
                        for m in members {
                            let member = self.org(&m, None, MentionKind::Organization, pos)?;
                            let ends = [("member", member.as_str()), ("organization", subject)];
                            self.link("Membership", ends, &[], &[], pos)?;
                        }
                    }
                    Tie::SponsoredBy(sponsors) => {
                        for s in sponsors {
                            let sponsor = self.org(&s, None, MentionKind::Organization, pos)?;
                            let ends = [("subject", sponsor.as_str()), ("object", subject)];
                            let role = [("role", Value::from("fiscal sponsor"))];
                            self.link("UnknownLink", ends, &role, &["fiscal sponsor"], pos)?;
                        }
                    }
                    Tie::LedBy(leaders) => {
                        for l in leaders.iter().filter(|l| looks_like_person_name(l)) {
                            let person = self.person(l, Some("Leader"), pos)?;
                            let ends = [("employee", person.as_str()), ("employer", subject)];
                            let role = [("role", Value::from("Leader"))];
                            self.link("Employment", ends, &role, &["Leader"], pos)?;
                        }
                    }
                }
            }
        }
        Ok(())
    }
}

/// Whether the sentence before a quotation gives it to unnamed others
/// (`Critics describe it as "…"`, `opponents call it "…"`), so it is not
/// the subject's own words.
pub(super) fn others_words(raw: &str, quote_start: usize) -> bool {
    let before = &raw[..quote_start.min(raw.len())];
    let sentence = before
        .rfind(". ")
        .map_or(before, |i| &before[i + 2..])
        .to_lowercase();
    [
        "critics",
        "opponents",
        "detractors",
        "observers",
        "commentators",
        "rivals",
        "describe it as",
        "described it as",
        "describes it as",
        "call it",
        "called it",
        "calls it",
        "dubbed",
        "branded",
        "labelled",
        "labeled",
    ]
    .iter()
    .any(|w| sentence.contains(w))
}
