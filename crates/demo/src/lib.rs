//! The built-in demo dataset: the organizations, memberships, people, dates
//! and short quotations of record from the ALLMEP profile page
//! (`shared/profiles/allmep.txt`), with each claim summarized in our own
//! words and attributed to that page as its source. The page itself is not
//! copied here; its prose is not reproduced.
//!
//! Ids are made the way the profile importer makes them (name keys), so
//! importing the real page afterwards matches these entities.

use dossier_model::ids::{sha1_hex, stable_id};
use dossier_model::names::name_key;
use dossier_model::{Batch, ClaimKind, Entity, ModelError};

/// The dataset the demo is recorded in.
pub const DATASET: &str = "demo";

/// What a claim in the demo says.
struct ClaimSpec<'a> {
    about: &'a str,
    kind: ClaimKind,
    text: &'a str,
    date: Option<&'a str>,
    topic: &'a str,
    section: Option<&'a str>,
    /// Quoted strings and who said each (`None`: the subject).
    quotes: &'a [(&'a str, Option<&'a str>)],
    mentions: &'a [&'a str],
}

struct Builder {
    batch: Batch,
    doc: String,
}

impl Builder {
    fn org_id(name: &str) -> String {
        stable_id("org", &[&name_key(name)])
    }

    fn person_id(name: &str) -> String {
        stable_id("per", &[&name_key(name)])
    }

    fn org(
        &mut self,
        schema: &str,
        name: &str,
        acronym: Option<&str>,
        country: Option<&str>,
    ) -> Result<String, ModelError> {
        let id = Self::org_id(name);
        let mut e = Entity::new(id.clone(), schema)?;
        e.add("name", name)?;
        if let Some(a) = acronym {
            e.add("abbreviation", a)?;
        }
        if let Some(c) = country {
            e.add("country", c)?;
        }
        self.batch.put(e)?;
        Ok(id)
    }

    fn person(&mut self, name: &str, position: &str) -> Result<String, ModelError> {
        let id = Self::person_id(name);
        let mut e = Entity::new(id.clone(), "Person")?;
        e.add("name", name)?;
        e.add("position", position)?;
        self.batch.put(e)?;
        Ok(id)
    }

    fn member(&mut self, member: &str, network: &str) -> Result<(), ModelError> {
        let mut m = Entity::new(stable_id("mem", &[member, network]), "Membership")?;
        m.add("member", member)?;
        m.add("organization", network)?;
        m.add("role", "member")?;
        m.add("proof", self.doc.as_str())?;
        self.batch.put(m)
    }

    fn claim(&mut self, spec: &ClaimSpec<'_>) -> Result<String, ModelError> {
        let id = stable_id("clm", &[&self.doc, spec.about, spec.text]);
        let mut c = Entity::new(id.clone(), "Claim")?;
        c.add("kind", spec.kind.as_str())?;
        c.add("text", spec.text)?;
        c.add("subject", spec.about)?;
        for m in spec.mentions {
            c.add("mentions", *m)?;
        }
        if let Some(d) = spec.date {
            c.add("eventDate", d)?;
        }
        c.add("topic", spec.topic)?;
        if let Some(s) = spec.section {
            c.add("section", s)?;
        }
        c.add("source", self.doc.as_str())?;
        if spec.kind == ClaimKind::Quote {
            c.add("assertedBy", spec.about)?;
        }
        self.batch.put(c)?;
        for (i, (quote, speaker)) in spec.quotes.iter().enumerate() {
            let mut q = Entity::new(stable_id("quo", &[&id, quote, &i.to_string()]), "Quotation")?;
            q.add("claim", id.as_str())?;
            q.add("text", *quote)?;
            q.add("speaker", speaker.unwrap_or(spec.about))?;
            self.batch.put(q)?;
        }
        Ok(id)
    }
}

/// The demo dataset as one batch, sourced to the ALLMEP profile page.
pub fn batch() -> Result<Batch, ModelError> {
    let doc = stable_id("doc", &["demo:allmep-profile"]);
    // The demo's version: change it when the data below changes, so that
    // `dossier demo` on an older demo store records the difference.
    let version = sha1_hex("dossier demo dataset, version 1");
    let mut b = Builder {
        batch: Batch::new(doc.clone(), version.clone()),
        doc: doc.clone(),
    };
    let mut d = Entity::new(doc.clone(), "Document")?;
    d.add("fileName", "allmep.txt")?;
    d.add("title", "Alliance for Middle East Peace (ALLMEP)")?;
    d.add("mimeType", "text/plain")?;
    d.add("contentHash", version.as_str())?;
    d.add("summary", "A watchdog's profile page of the Alliance for Middle East Peace, summarized for Dossier's demo.")?;
    b.batch.put(d)?;

    let allmep = b.org(
        "Organization",
        "Alliance for Middle East Peace",
        Some("ALLMEP"),
        Some("us"),
    )?;
    if let Some(e) = b.batch.get_mut(&allmep) {
        e.add("summary", "A network of organizations working on conflict transformation, development and coexistence among Israelis, Palestinians, Arabs and Jews (its own description, paraphrased).")?;
    }
    b.claim(&ClaimSpec {
        about: &allmep,
        kind: ClaimKind::Quote,
        text: "ALLMEP describes itself as \"a network of organizations\" doing civil-society work on the ground in the Middle East.",
        date: None,
        topic: "In their own words",
        section: None,
        quotes: &[("a network of organizations", None)],
        mentions: &[],
    })?;

    let members = [
        ("Churches for Middle East Peace", Some("CMEP")),
        ("Combatants for Peace", None),
        ("Holy Land Trust", None),
        ("Parents Circle Families Forum", Some("PCFF")),
        ("Physicians for Human Rights - Israel", Some("PHR-I")),
        ("OneVoice International", None),
        ("Rabbis for Human Rights", Some("RHR")),
        ("Sadaka Reut", None),
        ("Sikkuy", None),
        ("Israel Social TV", None),
        ("Standing Together", None),
        ("Jahalin Solidarity", None),
    ];
    let mut ids = Vec::new();
    for (name, acronym) in members {
        let id = b.org("Organization", name, acronym, None)?;
        b.member(&id, &allmep)?;
        ids.push(id);
    }
    let [_cmep, cfp, hlt, pcff, phri, onevoice, rhr, sadaka, sikkuy, _istv, standing, jahalin] =
        ids.as_slice()
    else {
        unreachable!("twelve members above")
    };
    let eappi = b.org(
        "Organization",
        "Ecumenical Accompaniment Programme in Palestine and Israel",
        Some("EAPPI"),
        None,
    )?;
    let v15 = b.org("Organization", "Victory 2015", Some("V15"), None)?;
    let forum = b.org(
        "Organization",
        "Legal Forum for the Land of Israel",
        None,
        None,
    )?;
    let ministry = b.org(
        "PublicBody",
        "Israeli Ministry of Education",
        None,
        Some("il"),
    )?;
    let court = b.org(
        "PublicBody",
        "Israeli High Court of Justice",
        None,
        Some("il"),
    )?;
    let cohen = b.person("Hila Cohen", "Attorney")?;
    let bronstein = b.person("Polly Bronstein", "Executive Director")?;
    let raanan = b.person("Ye'ela Ra'anan", "founder")?;
    let netanyahu = b.person("Benjamin Netanyahu", "Prime Minister")?;

    let topic = "Political Advocacy";
    let section = Some("Key Members");
    let a = ClaimKind::Assessment;
    let f = ClaimKind::Fact;
    let specs = [
        ClaimSpec { about: &allmep, kind: a, text: "The profile counts more than 150 ALLMEP members and judges several of them biased and one-sided, despite the network's stated aims of \"peace\" and \"coexistence\".", date: None, topic, section, quotes: &[("peace", None), ("coexistence", None)], mentions: &[] },
        ClaimSpec { about: &allmep, kind: a, text: "The profile says many ALLMEP members use \"apartheid\" language and lobby governments for BDS measures.", date: None, topic, section, quotes: &[("apartheid", None)], mentions: &[] },
        ClaimSpec { about: hlt, kind: f, text: "During the 2014 Gaza conflict Holy Land Trust signed an \"Urgent call to action\" and accused Israel of \"ethnic cleansing\", the profile reports.", date: Some("2014"), topic, section, quotes: &[("Urgent call to action", None), ("ethnic cleansing", None)], mentions: &[] },
        ClaimSpec { about: hlt, kind: a, text: "The profile calls Holy Land Trust's tours politicized and says it advises participants to \"limit information\" given to airport security.", date: None, topic, section, quotes: &[("limit information", None)], mentions: &[] },
        ClaimSpec { about: hlt, kind: f, text: "In May 2021 Holy Land Trust urged governments to condemn what it called \"ethnic cleansing and apartheid\".", date: Some("2021-05"), topic, section, quotes: &[("ethnic cleansing and apartheid", None)], mentions: &[] },
        ClaimSpec { about: pcff, kind: a, text: "The profile grants that PCFF speaks of \"reconciliation\" and \"dialogue\" but judges its agenda divisive.", date: None, topic, section, quotes: &[("reconciliation", None), ("dialogue", None)], mentions: &[] },
        ClaimSpec { about: pcff, kind: f, text: "After complaints from parents, the Israeli Ministry of Education barred relatives of terrorists from PCFF's \"Dialogue Encounters\" in schools; Attorney Hila Cohen of the Legal Forum for the Land of Israel called the comparison of bereaved families \"inconceivable\".", date: None, topic, section, quotes: &[("Dialogue Encounters", None), ("inconceivable", Some(&cohen))], mentions: &[&ministry, &forum, &cohen] },
        ClaimSpec { about: phri, kind: a, text: "The profile says PHR-I uses medical expertise as cover for narratives that demonize Israel.", date: None, topic, section, quotes: &[], mentions: &[] },
        ClaimSpec { about: phri, kind: f, text: "In May 2021 PHR-I published a statement describing Israeli control over Palestinians as including \"aspects of apartheid and colonialism\".", date: Some("2021-05"), topic, section, quotes: &[("aspects of apartheid and colonialism", None)], mentions: &[] },
        ClaimSpec { about: onevoice, kind: f, text: "The profile calls OneVoice the \"legal-organizational channel\" for Victory 2015 (V15), a campaign against Prime Minister Benjamin Netanyahu in the March 2015 election, and quotes Executive Director Polly Bronstein on Israelis having \"their voices heard in the next election\".", date: Some("2015-03"), topic, section, quotes: &[("legal-organizational channel", None), ("their voices heard in the next election", Some(&bronstein))], mentions: &[&v15, &netanyahu, &bronstein] },
        ClaimSpec { about: rhr, kind: a, text: "The profile calls RHR one of the most politically active NGOs on Negev Bedouin issues, campaigning against the \"crime\" of evacuating Umm Al-Hiran, whose demolitions the Israeli High Court of Justice approved.", date: None, topic, section, quotes: &[("crime", None)], mentions: &[&court] },
        ClaimSpec { about: rhr, kind: a, text: "RHR is listed as a partner of EAPPI, whose volunteers come to \"witness life under occupation\" and, the profile says, campaign against Israel at home.", date: None, topic, section, quotes: &[("witness life under occupation", Some(&eappi))], mentions: &[&eappi] },
        ClaimSpec { about: sadaka, kind: a, text: "The profile judges Sadaka Reut's programs for young people one-sided, stressing Palestinian victimhood and the \"Nakba\".", date: None, topic, section, quotes: &[("Nakba", None)], mentions: &[] },
        ClaimSpec { about: sikkuy, kind: a, text: "The profile says Sikkuy regularly accuses Israel of \"racism\" and leaves out Israeli security concerns.", date: None, topic, section, quotes: &[("racism", None)], mentions: &[] },
        ClaimSpec { about: sikkuy, kind: a, text: "Sikkuy signed the Haifa Declaration, which calls for a \"change in the definition of the State of Israel from a Jewish state\".", date: None, topic, section, quotes: &[("change in the definition of the State of Israel from a Jewish state", None)], mentions: &[] },
        ClaimSpec { about: standing, kind: f, text: "Standing Together, co-organizer of \"alternative Memorial Day\" events with Combatants for Peace, saw one of its founders, Ye'ela Ra'anan, call in April 2018 for \"eliminating the fascist regime in Israel\".", date: Some("2018-04"), topic, section, quotes: &[("alternative Memorial Day", None), ("eliminating the fascist regime in Israel", Some(&raanan))], mentions: &[cfp, &raanan] },
        ClaimSpec { about: jahalin, kind: f, text: "In a Facebook post of November 25, 2020 Jahalin Solidarity wrote that Israel was heading to \"full-throated apartheid\".", date: Some("2020-11-25"), topic, section, quotes: &[("full-throated apartheid", None)], mentions: &[] },
        ClaimSpec { about: jahalin, kind: f, text: "On May 28, 2020 Jahalin Solidarity published an article arguing that \"only the ICC can save Palestine\".", date: Some("2020-05-28"), topic, section, quotes: &[("only the ICC can save Palestine", None)], mentions: &[] },
        ClaimSpec { about: jahalin, kind: f, text: "On October 2, 2018 Jahalin Solidarity published the article \"Why Israel Demolishes: Khan Al-Ahmar as Representation of Greater Genocide\".", date: Some("2018-10-02"), topic, section, quotes: &[("Why Israel Demolishes: Khan Al-Ahmar as Representation of Greater Genocide", None)], mentions: &[] },
    ];
    for spec in &specs {
        b.claim(spec)?;
    }
    Ok(b.batch)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn demo_is_complete_and_valid() {
        let batch = batch().unwrap();
        let count = |schema: &str| batch.entities().filter(|e| e.schema.name == schema).count();
        assert_eq!(count("Membership"), 12);
        assert_eq!(count("Person"), 4);
        assert_eq!(count("Claim"), 20);
        assert!(count("Quotation") >= 20);
        for e in batch.entities() {
            assert!(
                e.missing_required().is_empty(),
                "{} lacks {:?}",
                e.id,
                e.missing_required()
            );
        }
        // Every entity reference points inside the batch.
        for e in batch.entities() {
            for p in e.schema.properties() {
                if p.range.is_some() {
                    for v in e.values(p.name) {
                        assert!(batch.get(v).is_some(), "{}.{} -> {v}", e.id, p.name);
                    }
                }
            }
        }
    }
}
