//! The labeled pairs resolution is measured against, by its tests and by
//! `dossier-bench xref`: the variants the ALLMEP profile uses (named in
//! SPEC §6), synthetic perturbations of a list of organization names
//! (typos, word order, dropped type words, acronyms, transliteration,
//! punctuation), and hard negatives — different bodies whose names share
//! most of their words. Test data, kept here so the benchmark and the
//! tests measure the same set.

/// Organization names to perturb: bodies of the kind the profiles describe
/// (some from the ALLMEP page's list of members, some invented).
const BASE: &[&str] = &[
    "Alliance for Middle East Peace",
    "Parents Circle Families Forum",
    "Combatants for Peace",
    "Jahalin Solidarity",
    "Standing Together",
    "Women Wage Peace",
    "Rabbis for Human Rights",
    "Physicians for Human Rights Israel",
    "Ecumenical Accompaniment Programme in Palestine and Israel",
    "Hand in Hand Center for Jewish Arab Education",
    "Givat Haviva Educational Foundation",
    "Middle East Children's Alliance",
    "Tech2Peace",
    "Seeds of Peace",
    "Roots Shorashim Judur",
    "Kids4Peace International",
    "Jerusalem Intercultural Center",
    "Friends of the Earth Middle East",
    "Interfaith Encounter Association",
    "Israel Palestine Creative Regional Initiatives",
    "Arava Institute for Environmental Studies",
    "Center for Jewish Nonviolence",
    "Economic Cooperation Foundation",
    "Holy Land Trust",
    "Mothers Against Violence",
    "New Israel Fund",
    "Peace Now",
    "Breaking the Silence",
    "Gisha Legal Center for Freedom of Movement",
    "Yesh Din Volunteers for Human Rights",
    "Adalah Legal Center for Arab Minority Rights",
    "Sikkuy Association for the Advancement of Civic Equality",
    "Abraham Initiatives",
    "Neve Shalom Wahat al Salam",
    "Musalaha Ministry of Reconciliation",
    "Windows Channels for Communication",
    "Victory 2015",
    "OneVoice Movement",
    "Greenpeace Mediterranean",
    "Bimkom Planners for Planning Rights",
];

/// Pairs of different bodies whose names share most of their words.
const HARD_NEGATIVES: &[(&str, &str)] = &[
    (
        "Rabbis for Human Rights",
        "Physicians for Human Rights – Israel",
    ),
    (
        "Rabbis for Human Rights",
        "Yesh Din Volunteers for Human Rights",
    ),
    (
        "Physicians for Human Rights Israel",
        "Bimkom Planners for Planning Rights",
    ),
    ("Peace Now", "Seeds of Peace"),
    ("Women Wage Peace", "Combatants for Peace"),
    (
        "Alliance for Middle East Peace",
        "Middle East Children's Alliance",
    ),
    (
        "Friends of the Earth Middle East",
        "Alliance for Middle East Peace",
    ),
    (
        "Center for Jewish Nonviolence",
        "Hand in Hand Center for Jewish Arab Education",
    ),
    (
        "Gisha Legal Center for Freedom of Movement",
        "Adalah Legal Center for Arab Minority Rights",
    ),
    (
        "New Israel Fund",
        "Israel Palestine Creative Regional Initiatives",
    ),
    (
        "Jerusalem Intercultural Center",
        "Interfaith Encounter Association",
    ),
    ("Kids4Peace International", "Tech2Peace"),
    ("OneVoice Movement", "Jewish Voice for Peace"),
    ("Standing Together", "Standing Committee for Peace"),
    (
        "Economic Cooperation Foundation",
        "Economic Development Foundation",
    ),
    (
        "Parents Circle Families Forum",
        "Parents Forum for Education",
    ),
    ("Holy Land Trust", "Holy Land Foundation"),
    ("PHR-I", "Rabbis for Human Rights"),
    ("EAPPI", "Economic Cooperation Foundation"),
    ("V15", "Victory Fund"),
    ("Mothers Against Violence", "Mothers Against Drunk Driving"),
    ("Breaking the Silence", "Breaking Barriers"),
    ("Abraham Initiatives", "Abraham Fund"),
    ("Seeds of Peace", "Seeds of Hope"),
    ("Greenpeace Mediterranean", "Greenpeace Africa"),
    ("Friends of the Earth Middle East", "Friends of the Earth"),
    ("Israel Policy Forum", "Israel Democracy Institute"),
    ("Israel Policy Forum", "Jerusalem Policy Forum"),
    ("Women Wage Peace", "Women in Black"),
];

/// The same body, as the ALLMEP profile (and SPEC §6) spells it.
const KNOWN_VARIANTS: &[(&str, &str)] = &[
    ("OneVoice International", "One Voice"),
    ("OneVoice International", "OneVoice Israel"),
    ("One Voice", "OneVoice Israel"),
    (
        "Ecumenical Accompaniment Programme in Palestine and Israel",
        "Ecumenical Accompaniment Program in Palestine and Israel",
    ),
    (
        "EAPPI",
        "Ecumenical Accompaniment Programme in Palestine and Israel",
    ),
    (
        "EAPPI",
        "Ecumenical Accompaniment Program in Palestine and Israel",
    ),
    ("PHR-I", "Physicians for Human Rights – Israel"),
    (
        "Physicians for Human Rights – Israel",
        "Physicians for Human Rights Israel",
    ),
    ("V15", "Victory 2015"),
    ("ALLMEP", "Alliance for Middle East Peace"),
    (
        "The Parents Circle – Families Forum",
        "Parents Circle Families Forum",
    ),
    ("PCFF", "Parents Circle Families Forum"),
    ("Общество Мемориал", "Obshchestvo Memorial"),
    ("Γιατροί του Κόσμου", "Giatroi tou Kosmou"),
    (
        "Société Générale de Belgique",
        "Societe Generale de Belgique",
    ),
];

/// Deterministic perturbations of a name: what it is called elsewhere.
fn variants(name: &str, seed: usize) -> Vec<String> {
    let words: Vec<&str> = name.split_whitespace().collect();
    let mut out = Vec::new();
    // A typo: two letters swapped in the longest word.
    let longest = words
        .iter()
        .enumerate()
        .max_by_key(|(_, w)| w.len())
        .map_or(0, |x| x.0);
    if words.get(longest).is_some_and(|w| w.len() >= 6) {
        let mut w: Vec<char> = words[longest].chars().collect();
        let i = 2 + seed % (w.len() - 3);
        w.swap(i, i + 1);
        let mut v = words.clone();
        let typo: String = w.into_iter().collect();
        v[longest] = &typo;
        out.push(v.join(" "));
    }
    // Upper case with punctuation: `PEACE NOW, INC.`
    out.push(format!("{}, Inc.", name.to_uppercase()));
    // A type word added or dropped.
    let types = ["Foundation", "Association", "International", "Network"];
    match words.last() {
        Some(w)
            if types.contains(w)
                || ["Fund", "Center", "Trust", "Initiatives", "Movement"].contains(w) =>
        {
            if words.len() > 2 {
                out.push(words[..words.len() - 1].join(" "));
            }
        }
        _ => out.push(format!("{name} {}", types[seed % types.len()])),
    }
    // Word order: `Forum, Parents Circle Families` as a register lists it.
    if words.len() >= 3 {
        out.push(format!(
            "{}, {}",
            words[words.len() - 1],
            words[..words.len() - 1].join(" ")
        ));
    }
    // The initials as an acronym, for names of three words or more.
    let initials = dossier_model::names::initials(name);
    if initials.len() >= 3 && initials.chars().any(|c| c.is_ascii_alphabetic()) {
        out.push(initials);
    }
    // Dashes and spaces of other kinds.
    out.push(
        name.replace(' ', "\u{a0}")
            .replacen('\u{a0}', " \u{2013} ", 1),
    );
    out
}

/// A pair of names and whether they name the same body.
#[derive(Debug, Clone, PartialEq)]
pub struct Labeled {
    pub a: String,
    pub b: String,
    pub same: bool,
}

/// The whole labeled set: known variants, perturbations, hard and easy negatives.
pub fn labeled_set() -> Vec<Labeled> {
    let mut set = Vec::new();
    let pair = |a: &str, b: &str, same| Labeled {
        a: a.to_string(),
        b: b.to_string(),
        same,
    };
    for (a, b) in KNOWN_VARIANTS {
        set.push(pair(a, b, true));
    }
    for (i, name) in BASE.iter().enumerate() {
        for v in variants(name, i) {
            set.push(pair(name, &v, true));
        }
    }
    for (a, b) in HARD_NEGATIVES {
        set.push(pair(a, b, false));
    }
    // Easy negatives: each base name against a few others.
    for (i, a) in BASE.iter().enumerate() {
        for step in [1, 7, 13] {
            let b = BASE[(i + step) % BASE.len()];
            set.push(pair(a, b, false));
        }
    }
    set
}

/// The same person, written another way: order, case, a typo,
/// transliteration from Greek, Cyrillic or Arabic spellings, apostrophes,
/// hyphens, accents, a title.
const PEOPLE_SAME: &[(&str, &str)] = &[
    ("Hila Cohen", "Cohen, Hila"),
    ("Hila Cohen", "HILA COHEN"),
    ("Omar Haddad", "Omar Hadad"),
    ("Eleni Georgiou", "Ελένη Γεωργίου"),
    ("Dmitri Ivanov", "Дмитрий Иванов"),
    ("Ruth Amsel", "Dr. Ruth Amsel"),
    ("Mary O'Brien", "Mary O\u{2019}Brien"),
    ("Mary O'Brien", "Mary OBrien"),
    ("Jean-Pierre Dubois", "Jean Pierre Dubois"),
    ("José Martínez", "Jose Martinez"),
    ("Mohammed Al-Masri", "Mohammed al Masri"),
    ("Anna Schmidt-Weber", "Anna Schmidt Weber"),
    ("Sarah Goldberg", "Sara Goldberg"),
    ("Yitzhak Rabinovich", "Yitzhak Rabinovitch"),
    ("Nadia Khoury", "Khoury Nadia"),
    ("Aleksandr Petrov", "Александр Петров"),
    ("Dana Levi", "Dana\u{a0}Levi"),
    ("Samir Haddad", "Samir  Haddad"),
    ("Ruth Amsel", "Prof. Ruth Amsel"),
    ("Giorgos Papadopoulos", "Γιώργος Παπαδόπουλος"),
];

/// Different people whose names share a word or most letters.
const PEOPLE_APART: &[(&str, &str)] = &[
    ("Dana Levi", "Dana Cohen"),
    ("Hila Cohen", "Rachel Cohen"),
    ("Omar Haddad", "Omar Hamdan"),
    ("Yusuf Karam", "Yusuf Kamal"),
    ("Eleni Georgiou", "Maria Georgiou"),
    ("John Smith", "Jane Smith"),
    ("David Levy", "Daniel Levy"),
    ("Sarah Goldberg", "Sarah Greenberg"),
    ("Anna Schmidt", "Anna Schneider"),
    ("Mohammed Al-Masri", "Mahmoud Al-Masri"),
    ("Nadia Khoury", "Nabil Khoury"),
    ("Ruth Amsel", "Ruth Ansell-Baker"),
    ("Dmitri Ivanov", "Dmitri Ivanenko"),
    ("Jean-Pierre Dubois", "Jean-Paul Dubois"),
    ("Samir Haddad", "Samira Haddad"),
];

/// Labeled pairs of people's names (each name a `Person`).
pub fn people_set() -> Vec<Labeled> {
    let pair = |(a, b): &(&str, &str), same| Labeled {
        a: a.to_string(),
        b: b.to_string(),
        same,
    };
    PEOPLE_SAME
        .iter()
        .map(|p| pair(p, true))
        .chain(PEOPLE_APART.iter().map(|p| pair(p, false)))
        .collect()
}
