//! Synthetic data with realistic shapes, for benchmarks: a given number of
//! organizations, networks whose sizes follow a power law (a few large
//! coalitions, many small ones), 1–5 network memberships per organization,
//! people with staff and board roles, funders paying over the years, and
//! claims with quotations and dates, all sourced to synthetic profile pages.
//! The same seed gives the same data.
//!
//! [`GenConfig::detail`] sets how many organizations are documented that
//! fully. The rest are bare records, as most organizations in a real
//! registry or a coalition's member list are: a name, a country and a
//! network or two. At a detail of 0.02, near the shape SPEC §9 names (10
//! million statements for 1 million organizations), there are about 11
//! statements an organization; at 1.0 (the default) about 72.

use dossier_model::ids::{sha1_hex, stable_id};
use dossier_model::names::name_key;
use dossier_model::{Batch, ClaimKind, Entity, ModelError};

/// What to generate.
#[derive(Debug, Clone, Copy)]
pub struct GenConfig {
    pub orgs: usize,
    pub seed: u64,
    /// Organizations per synthetic source page (one batch each).
    pub per_source: usize,
    /// The share of organizations documented in full (summary, people,
    /// payments, claims); the others are bare records. 1.0 documents every
    /// one, and draws no number for the choice, so that data is the same as
    /// before this setting existed.
    pub detail: f64,
}

impl Default for GenConfig {
    fn default() -> Self {
        GenConfig {
            orgs: 10_000,
            seed: 1,
            per_source: 100,
            detail: 1.0,
        }
    }
}

const ADJ: &[&str] = &[
    "Green",
    "Open",
    "Common",
    "United",
    "Free",
    "New",
    "Civic",
    "Bright",
    "Shared",
    "Young",
    "Northern",
    "Southern",
    "Eastern",
    "Western",
    "Coastal",
    "Rural",
    "Urban",
    "Global",
    "Local",
    "Central",
    "Democratic",
    "Independent",
    "Peaceful",
    "Just",
    "Fair",
    "Human",
    "Social",
    "Public",
    "Women's",
    "Children's",
    "Workers'",
    "Students'",
];
const NOUN: &[&str] = &[
    "Harbor", "Bridge", "Horizon", "Voice", "Future", "Dialogue", "Olive", "River", "Valley",
    "Mountain", "Garden", "Compass", "Lantern", "Circle", "Path", "Table", "Light", "Well",
    "Field", "Road", "Gate", "Tree", "Spring", "Hands", "Roots", "Wings", "Village", "Market",
    "Forest", "Desert", "Island", "Meadow",
];
const KIND: &[&str] = &[
    "Initiative",
    "Forum",
    "Network",
    "Alliance",
    "Foundation",
    "Institute",
    "Center",
    "Coalition",
    "Association",
    "Project",
    "Trust",
    "Society",
    "Council",
    "Movement",
    "Fund",
    "Collective",
];
const PLACE: &[&str] = &[
    "Haifa",
    "Jaffa",
    "Nablus",
    "Hebron",
    "Galilee",
    "Negev",
    "Jerusalem",
    "Ramallah",
    "Bethlehem",
    "Acre",
    "Nazareth",
    "Jericho",
    "Gaza",
    "Beersheba",
    "Tiberias",
    "Jenin",
    "Amman",
    "Beirut",
    "Cairo",
    "Cyprus",
    "Athens",
    "Berlin",
    "London",
    "Paris",
    "Geneva",
    "Oslo",
    "Brussels",
    "Vienna",
    "Rome",
    "Madrid",
    "Boston",
    "Chicago",
];
const FIRST: &[&str] = &[
    "Dana", "Omar", "Miriam", "Yusuf", "Ruth", "Samir", "Noa", "Layla", "David", "Rana", "Eitan",
    "Hiba", "Tamar", "Khaled", "Yael", "Nadia", "Avi", "Salma", "Uri", "Maya", "Jonas", "Eleni",
    "Anna", "Pierre", "Sofia", "Marco",
];
const LAST: &[&str] = &[
    "Levi", "Haddad", "Cohen", "Karam", "Amsel", "Nassar", "Mizrahi", "Khoury", "Barak", "Saleh",
    "Friedman", "Aziz", "Peretz", "Hamdan", "Shapiro", "Mansour", "Goldberg", "Abbas", "Katz",
    "Darwish", "Berg", "Georgiou", "Rossi",
];
const COUNTRIES: &[&str] = &[
    "il", "ps", "us", "gb", "de", "fr", "no", "se", "nl", "ch", "be", "it", "es", "cy", "gr", "jo",
];
const TOPICS: &[&str] = &[
    "Political Advocacy",
    "Education",
    "Funding",
    "Legal Action",
    "Media",
    "Humanitarian Aid",
    "Research",
];
const VERBS: &[&str] = &[
    "called for",
    "published a report on",
    "campaigned against",
    "organized a conference on",
    "criticized",
    "welcomed",
    "joined a coalition on",
];
const SUBJECTS: &[&str] = &[
    "water rights",
    "school curricula",
    "freedom of movement",
    "land registration",
    "health access",
    "youth exchanges",
    "refugee housing",
    "municipal budgets",
    "media coverage",
    "religious sites",
    "farm cooperatives",
    "labor rights",
];

/// The most members a generated network gets.
pub const MAX_NETWORK: usize = 2000;

/// A generator: call [`Generator::batches`] for the data, one batch per source page.
pub struct Generator {
    cfg: GenConfig,
    rng: fastrand::Rng,
    names: Vec<String>,
    networks: Vec<usize>,
    /// Members so far, per network, to hold the largest to [`MAX_NETWORK`].
    sizes: Vec<usize>,
    funders: Vec<(String, String, &'static str)>,
}

impl Generator {
    pub fn new(cfg: GenConfig) -> Self {
        let mut rng = fastrand::Rng::with_seed(cfg.seed);
        let mut seen = std::collections::HashSet::new();
        let mut names = Vec::with_capacity(cfg.orgs);
        while names.len() < cfg.orgs {
            let mut name = format!(
                "{} {} {}",
                rng.choice(ADJ).unwrap_or(&"Open"),
                rng.choice(NOUN).unwrap_or(&"Bridge"),
                rng.choice(KIND).unwrap_or(&"Forum")
            );
            if !seen.insert(name_key(&name)) {
                name = format!("{name} {}", rng.choice(PLACE).unwrap_or(&"Haifa"));
                if !seen.insert(name_key(&name)) {
                    name = format!("{name} {}", names.len());
                    seen.insert(name_key(&name));
                }
            }
            names.push(name);
        }
        // One network per fifty organizations, the first ones.
        let networks: Vec<usize> = (0..(cfg.orgs / 50).max(1)).collect();
        let mut funders = Vec::new();
        for c in COUNTRIES {
            let name = format!("Government of {}", c.to_uppercase());
            funders.push((stable_id("org", &[&name_key(&name)]), name, *c));
        }
        for i in 0..(cfg.orgs / 100).max(5) {
            let name = format!(
                "{} {} Foundation {i}",
                rng.choice(ADJ).unwrap_or(&"Open"),
                rng.choice(LAST).unwrap_or(&"Levi")
            );
            funders.push((stable_id("org", &[&name_key(&name)]), name, "us"));
        }
        let sizes = vec![0; networks.len()];
        Generator {
            cfg,
            rng,
            names,
            networks,
            sizes,
            funders,
        }
    }

    fn org_id(&self, i: usize) -> String {
        stable_id("org", &[&name_key(&self.names[i])])
    }

    /// A network with a power-law choice: network k is picked with weight
    /// about 1/(k+1), until it has [`MAX_NETWORK`] members (the size of the
    /// largest real coalitions); then any network that still has room.
    fn pick_network(&mut self) -> usize {
        let n = self.networks.len() as f64;
        let u = self.rng.f64();
        // Inverse of the continuous 1/x distribution over [1, n+1].
        let mut k = (((n + 1.0).powf(u) - 1.0).floor() as usize).min(self.networks.len() - 1);
        while self.sizes[k] >= MAX_NETWORK {
            k = self.rng.usize(0..self.networks.len());
        }
        self.sizes[k] += 1;
        self.networks[k]
    }

    /// All the data, one batch per synthetic source page.
    pub fn batches(&mut self) -> impl Iterator<Item = Result<Batch, ModelError>> + '_ {
        let pages = self.cfg.orgs.div_ceil(self.cfg.per_source.max(1));
        (0..pages).map(move |p| self.page(p))
    }

    fn page(&mut self, p: usize) -> Result<Batch, ModelError> {
        let from = p * self.cfg.per_source.max(1);
        let to = (from + self.cfg.per_source.max(1)).min(self.cfg.orgs);
        let url = format!("https://profiles.example.org/page/{p}");
        let doc_id = stable_id("doc", &[&url]);
        let hash = sha1_hex(&format!("{}-{}-{p}", self.cfg.seed, self.cfg.orgs));
        let mut b = Batch::new(doc_id.clone(), hash.clone());
        let mut d = Entity::new(doc_id.clone(), "Document")?;
        d.add("fileName", format!("page-{p}.html"))?;
        d.add("title", format!("Profiles, page {p}"))?;
        d.add("sourceUrl", url)?;
        d.add("contentHash", hash)?;
        d.add("publisher", "Example Profiles")?;
        b.put(d)?;
        for i in from..to {
            self.org(&mut b, i, &doc_id)?;
        }
        Ok(b)
    }

    /// `k` network memberships of organization `i` (a network is not a
    /// member of itself), each restating the network's name as its page
    /// does; `dated` ones also give the role and the year it began.
    fn memberships(
        &mut self,
        b: &mut Batch,
        i: usize,
        id: &str,
        k: usize,
        doc: &str,
        dated: bool,
    ) -> Result<(), ModelError> {
        for _ in 0..k {
            let n = self.pick_network();
            if n == i {
                continue;
            }
            let net_id = self.org_id(n);
            let mut net = Entity::new(net_id.clone(), "Organization")?;
            net.add("name", self.names[n].as_str())?;
            b.put(net)?;
            let mut m = Entity::new(stable_id("mem", &[id, &net_id]), "Membership")?;
            m.add("member", id)?;
            m.add("organization", net_id.as_str())?;
            if dated {
                m.add("role", "member")?;
                m.add("startDate", (2000 + self.rng.u16(0..24)).to_string())?;
            }
            m.add("proof", doc)?;
            b.put(m)?;
        }
        Ok(())
    }

    fn org(&mut self, b: &mut Batch, i: usize, doc: &str) -> Result<(), ModelError> {
        let id = self.org_id(i);
        let name = self.names[i].clone();
        let rng = &mut self.rng;
        let full = self.cfg.detail >= 1.0 || rng.f64() < self.cfg.detail;
        let mut o = Entity::new(id.clone(), "Organization")?;
        o.add("name", name.as_str())?;
        let acr = dossier_model::names::initials(&name);
        if acr.len() >= 3 && rng.bool() {
            o.add("abbreviation", acr)?;
        }
        o.add("country", *rng.choice(COUNTRIES).unwrap_or(&"il"))?;
        if !full {
            // A bare record: one network, a second for one in five, listed
            // without role or date.
            b.put(o)?;
            let k = 1 + usize::from(rng.f64() < 0.2);
            return self.memberships(b, i, &id, k, doc, false);
        }
        o.add("incorporationDate", (1970 + rng.u16(0..54)).to_string())?;
        o.add(
            "summary",
            format!(
                "{} works on {} in {}.",
                name,
                rng.choice(SUBJECTS).unwrap_or(&"water rights"),
                rng.choice(PLACE).unwrap_or(&"Haifa")
            ),
        )?;
        b.put(o)?;
        // Memberships: 1-5 networks.
        let k = 1 + self.rng.usize(0..5);
        self.memberships(b, i, &id, k, doc, true)?;
        let rng = &mut self.rng;
        // People: 1-3, staff or board.
        for r in 0..(1 + rng.usize(0..3)) {
            let pname = format!(
                "{} {}",
                rng.choice(FIRST).unwrap_or(&"Dana"),
                rng.choice(LAST).unwrap_or(&"Levi")
            );
            let pid = stable_id("per", &[&name_key(&pname), &i.to_string()]);
            let mut per = Entity::new(pid.clone(), "Person")?;
            per.add("name", pname.as_str())?;
            b.put(per)?;
            let board = r > 0 && rng.bool();
            let (schema, a, bb, role) = if board {
                ("Directorship", "director", "organization", "Board Member")
            } else {
                ("Employment", "employee", "employer", "Executive Director")
            };
            let mut rel = Entity::new(
                stable_id(dossier_model::ids::prefix_for(schema), &[&pid, &id, role]),
                schema,
            )?;
            rel.add(a, pid.as_str())?;
            rel.add(bb, id.as_str())?;
            rel.add("role", role)?;
            rel.add("startDate", (2005 + rng.u16(0..19)).to_string())?;
            rel.add("proof", doc)?;
            b.put(rel)?;
        }
        // Funding: 0-3 payments.
        for _ in 0..rng.usize(0..4) {
            let (fid, fname, fc) = self.funders[rng.usize(0..self.funders.len())].clone();
            let schema = if fname.starts_with("Government") {
                "PublicBody"
            } else {
                "Organization"
            };
            let mut f = Entity::new(fid.clone(), schema)?;
            f.add("name", fname.as_str())?;
            f.add("country", fc)?;
            b.put(f)?;
            let year = 2010 + rng.u16(0..15);
            let amount = (rng.u32(1..200) * 5000).to_string();
            let mut pay = Entity::new(
                stable_id("pay", &[&fid, &id, &year.to_string(), &amount]),
                "Payment",
            )?;
            pay.add("payer", fid.as_str())?;
            pay.add("beneficiary", id.as_str())?;
            pay.add("amount", amount.as_str())?;
            pay.add(
                "currency",
                *rng.choice(&["USD", "EUR", "ILS", "GBP"]).unwrap_or(&"USD"),
            )?;
            pay.add("startDate", year.to_string())?;
            pay.add("endDate", (year + rng.u16(0..3)).to_string())?;
            pay.add("proof", doc)?;
            b.put(pay)?;
        }
        // Claims: 1-2, with a quotation and a date.
        for c in 0..(1 + rng.usize(0..2)) {
            let subject = *rng.choice(SUBJECTS).unwrap_or(&"water rights");
            let quote = format!("{} must change now", subject);
            let year = 2012 + rng.u16(0..13);
            let month = 1 + rng.u8(0..12);
            let text = format!(
                "In {} {year}, {name} {} {subject}, saying \"{quote}\".",
                month_name(month),
                rng.choice(VERBS).unwrap_or(&"called for")
            );
            let kind = if c == 0 {
                ClaimKind::Fact
            } else {
                ClaimKind::Assessment
            };
            let cid = stable_id("clm", &[doc, &id, &text]);
            let mut cl = Entity::new(cid.clone(), "Claim")?;
            cl.add("kind", kind.as_str())?;
            cl.add("text", text.as_str())?;
            cl.add("subject", id.as_str())?;
            cl.add("eventDate", format!("{year}-{month:02}"))?;
            cl.add("topic", *rng.choice(TOPICS).unwrap_or(&"Education"))?;
            cl.add("source", doc)?;
            b.put(cl)?;
            let mut q = Entity::new(stable_id("quo", &[&cid, &quote, "0"]), "Quotation")?;
            q.add("claim", cid.as_str())?;
            q.add("text", quote.as_str())?;
            q.add("speaker", id.as_str())?;
            b.put(q)?;
        }
        Ok(())
    }
}

fn month_name(m: u8) -> &'static str {
    [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ][(m.clamp(1, 12) - 1) as usize]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_seed_same_data_and_valid_entities() {
        let cfg = GenConfig {
            orgs: 500,
            seed: 7,
            per_source: 100,
            detail: 1.0,
        };
        let a: Vec<Batch> = Generator::new(cfg)
            .batches()
            .collect::<Result<_, _>>()
            .unwrap();
        let b: Vec<Batch> = Generator::new(cfg)
            .batches()
            .collect::<Result<_, _>>()
            .unwrap();
        assert_eq!(a.len(), 5);
        let ids = |v: &[Batch]| {
            v.iter()
                .flat_map(|b| b.entities().map(|e| e.id.clone()))
                .collect::<Vec<_>>()
        };
        assert_eq!(ids(&a), ids(&b));
        let orgs: std::collections::HashSet<String> = a
            .iter()
            .flat_map(|b| {
                b.entities()
                    .filter(|e| e.schema.name == "Organization" && e.has("summary"))
                    .map(|e| e.id.clone())
            })
            .collect();
        assert_eq!(orgs.len(), 500);
        for batch in &a {
            for e in batch.entities() {
                assert!(
                    e.missing_required().is_empty(),
                    "{} lacks {:?}",
                    e.id,
                    e.missing_required()
                );
            }
        }
        // Network sizes are skewed: the biggest network has many more members than the median.
        let mut sizes: std::collections::HashMap<String, usize> = Default::default();
        for batch in &a {
            for m in batch.entities().filter(|e| e.schema.name == "Membership") {
                *sizes
                    .entry(m.first("organization").unwrap().to_string())
                    .or_default() += 1;
            }
        }
        let mut v: Vec<usize> = sizes.values().copied().collect();
        v.sort();
        assert!(v[v.len() - 1] * 2 >= 5 * v[v.len() / 2].max(1), "{v:?}");
    }

    #[test]
    fn little_detail_gives_bare_records_each_in_a_network() {
        let cfg = GenConfig {
            orgs: 5000,
            seed: 3,
            per_source: 100,
            detail: 0.02,
        };
        let batches: Vec<Batch> = Generator::new(cfg)
            .batches()
            .collect::<Result<_, _>>()
            .unwrap();
        let entities: Vec<&Entity> = batches.iter().flat_map(|b| b.entities()).collect();
        let full = entities
            .iter()
            .filter(|e| e.schema.name == "Organization" && e.has("summary"))
            .count();
        // 2% of 5,000 is 100; the draw is random.
        assert!((60..=140).contains(&full), "{full} documented in full");
        let members: std::collections::HashSet<&str> = entities
            .iter()
            .filter(|e| e.schema.name == "Membership")
            .filter_map(|e| e.first("member"))
            .collect();
        let generator = Generator::new(cfg);
        let in_none = (0..cfg.orgs)
            .filter(|&i| !members.contains(generator.org_id(i).as_str()))
            .count();
        // Only a network drawn as its own member is left with none.
        assert!(in_none * 100 < cfg.orgs, "{in_none} in no network");
        let values: usize = entities.iter().map(|e| e.value_count()).sum();
        let per_org = values as f64 / cfg.orgs as f64;
        assert!(
            (6.0..12.0).contains(&per_org),
            "{per_org} values an organization"
        );
        for e in &entities {
            assert!(
                e.missing_required().is_empty(),
                "{} lacks {:?}",
                e.id,
                e.missing_required()
            );
        }
    }
}
