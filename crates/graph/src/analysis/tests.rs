//! Known answers for the analyses, and the tie set reached every way.

use super::*;

fn tie(id: &str, kind: EdgeKind, s: &str, t: &str) -> Tie {
    Tie {
        id: id.into(),
        kind,
        source: s.into(),
        target: t.into(),
        start: None,
        end: None,
        amount: None,
    }
}

/// Two networks N1 {a, b, c} and N2 {c, d}; funder F pays a and b; a
/// person P works for d from 2019 to 2020; e is alone with f.
fn sample() -> Graph {
    use EdgeKind::*;
    let mut ties = vec![
        tie("m1", Membership, "a", "N1"),
        tie("m2", Membership, "b", "N1"),
        tie("m3", Membership, "c", "N1"),
        tie("m4", Membership, "c", "N2"),
        tie("m5", Membership, "d", "N2"),
        tie("l1", Link, "e", "f"),
    ];
    let mut p1 = tie("p1", Payment, "F", "a");
    p1.amount = Some(100.0);
    p1.start = Some("2020-03".into());
    let mut p2 = tie("p2", Payment, "F", "b");
    p2.amount = Some(50.0);
    let mut w = tie("w1", Employment, "P", "d");
    w.start = Some("2019".into());
    w.end = Some("2020-06".into());
    ties.extend([p1, p2, w]);
    Graph::build(ties)
}

fn ids(g: &Graph, nodes: &[usize]) -> Vec<String> {
    let mut v: Vec<String> = nodes.iter().map(|&n| g.id(n).to_string()).collect();
    v.sort();
    v
}

#[test]
fn neighbours_by_hops_kind_and_date() {
    let g = sample();
    let a = g.node("a").unwrap();
    let one: Vec<usize> = g
        .neighbours(a, 1, &Filter::default())
        .iter()
        .map(|x| x.0)
        .collect();
    assert_eq!(ids(&g, &one), ["F", "N1"]);
    let two: Vec<usize> = g
        .neighbours(a, 2, &Filter::default())
        .iter()
        .map(|x| x.0)
        .collect();
    assert_eq!(ids(&g, &two), ["F", "N1", "b", "c"]);
    let members_only = Filter {
        kinds: vec![EdgeKind::Membership],
        at: None,
    };
    let m: Vec<usize> = g
        .neighbours(a, 2, &members_only)
        .iter()
        .map(|x| x.0)
        .collect();
    assert_eq!(ids(&g, &m), ["N1", "b", "c"]);
    // P worked for d in 2019–2020 only.
    let p = g.node("P").unwrap();
    let at = |d: &str| Filter {
        kinds: vec![],
        at: Period::parse(d),
    };
    assert_eq!(g.neighbours(p, 1, &at("2020-05")).len(), 1);
    assert!(g.neighbours(p, 1, &at("2021")).is_empty());
    assert!(g.neighbours(p, 1, &at("2018-12-31")).is_empty());
    // The payment to a began in March 2020.
    let f = g.node("F").unwrap();
    let n: Vec<usize> = g
        .neighbours(f, 1, &at("2020-01"))
        .iter()
        .map(|x| x.0)
        .collect();
    assert_eq!(ids(&g, &n), ["b"]);
}

#[test]
fn shortest_paths_explained_by_their_ties() {
    let g = sample();
    let (a, p) = (g.node("a").unwrap(), g.node("P").unwrap());
    let path = g.shortest_path(a, p, &Filter::default()).unwrap();
    let ties: Vec<String> = path.iter().map(|s| g.tie_id(s.tie)).collect();
    assert_eq!(ties, ["m1", "m3", "m4", "m5", "w1"]);
    assert_eq!(g.id(path.last().unwrap().node), "P");
    assert!(path[0].forward, "a is the member in m1");
    assert!(!path[1].forward, "from N1 back to its member c");
    assert!(g
        .shortest_path(a, g.node("e").unwrap(), &Filter::default())
        .is_none());
    // In 2021 P no longer works for d.
    let later = Filter {
        kinds: vec![],
        at: Period::parse("2021"),
    };
    assert!(g.shortest_path(a, p, &later).is_none());
    assert_eq!(g.shortest_path(a, a, &Filter::default()), Some(vec![]));
}

#[test]
fn shared_members_and_interlocks() {
    let g = sample();
    let (n1, n2) = (g.node("N1").unwrap(), g.node("N2").unwrap());
    assert_eq!(
        ids(&g, &g.shared_members(n1, n2, &Filter::default())),
        ["c"]
    );
    let members = g.members(n1, &Filter::default());
    let locks = g.interlocks(&members, &[n1], 2, &Filter::default());
    assert_eq!(locks.len(), 1);
    assert_eq!(g.id(locks[0].node), "F");
    assert_eq!(locks[0].members.len(), 2);
    assert_eq!(locks[0].funding, 150.0);
    let all = g.interlocks(&members, &[n1], 1, &Filter::default());
    assert_eq!(
        ids(&g, &all.iter().map(|l| l.node).collect::<Vec<_>>()),
        ["F", "N2"]
    );
    let (top, total) = g.top_interlocks(&members, &[n1], 1, 1, &Filter::default());
    assert_eq!((top.as_slice(), total), (&all[..1], 2));
}

#[test]
fn centrality_and_components() {
    // A path a - b - c - d: betweenness of b and c is 2 of 3 pairs' worth.
    let g = Graph::build([
        tie("1", EdgeKind::Link, "a", "b"),
        tie("2", EdgeKind::Link, "b", "c"),
        tie("3", EdgeKind::Link, "c", "d"),
        tie("4", EdgeKind::Link, "x", "y"),
    ]);
    let bc = g.betweenness(&Filter::default(), None);
    let b = g.node("b").unwrap();
    let a = g.node("a").unwrap();
    // Unnormalized 2 (pairs a–c, a–d) over (n−1)(n−2)/2 = 10 for n = 6.
    assert!((bc[b] - 0.2).abs() < 1e-9, "{}", bc[b]);
    assert_eq!(bc[a], 0.0);
    assert_eq!(g.degrees(&Filter::default())[b], 2);
    let comp = g.components(&Filter::default());
    assert_eq!(comp[a], 0, "the larger component is numbered 0");
    assert_eq!(comp[g.node("x").unwrap()], 1);
    assert_eq!(comp[g.node("d").unwrap()], 0);
}

#[test]
fn ids_are_packed_and_given_back_as_they_came() {
    let ids = [
        "org-0123456789abcdef",
        "org-ffffffffffffffff",
        "membership-0000000000000001",
        "org-0123456789ABCDEF",
        "org-123",
        "plain",
        "a-b-0123456789abcdef",
        "",
    ];
    let g = Graph::build(
        ids.windows(2)
            .enumerate()
            .map(|(i, w)| tie(&format!("t-{i:016x}"), EdgeKind::Link, w[0], w[1])),
    );
    assert_eq!(g.node_count(), ids.len());
    for id in ids {
        let n = g.node(id).unwrap_or_else(|| panic!("{id:?} not found"));
        assert_eq!(g.id(n), id);
    }
    assert_eq!(g.node("org-0123456789abcdee"), None);
    assert_eq!(g.node("person-0123456789abcdef"), None);
    assert_eq!(g.tie_id(3), "t-0000000000000003");
    assert!(g.heap_bytes() > 0);
}

/// Numbers below `m` from a seed, the same each run (a linear
/// congruential generator: the random graphs need no more).
fn numbers(mut seed: u64) -> impl FnMut(u64) -> u64 {
    move |m| {
        seed = seed
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (seed >> 33) % m
    }
}

/// Neighbourhoods and path lengths agree with a plain breadth-first
/// search on random graphs, search after search (the reused marks).
#[test]
fn searches_agree_with_plain_breadth_first_search() {
    let mut next = numbers(7);
    for round in 0..20 {
        let n = 5 + next(60);
        let e = next(n * 2);
        let ties: Vec<Tie> = (0..e)
            .map(|i| {
                let kind = if next(2) == 0 {
                    EdgeKind::Membership
                } else {
                    EdgeKind::Payment
                };
                tie(
                    &format!("e{round}-{i}"),
                    kind,
                    &format!("n{}", next(n)),
                    &format!("n{}", next(n)),
                )
            })
            .collect();
        let g = Graph::build(ties.clone());
        let filter = Filter {
            kinds: vec![EdgeKind::Membership],
            at: None,
        };
        for f in [Filter::default(), filter] {
            // Plain distances from each node.
            let bfs = |from: usize| {
                let mut dist = vec![usize::MAX; g.node_count()];
                dist[from] = 0;
                let mut q = VecDeque::from([from]);
                while let Some(x) = q.pop_front() {
                    for t in &ties {
                        if !f.kinds.is_empty() && !f.kinds.contains(&t.kind) {
                            continue;
                        }
                        let (a, b) = (g.node(&t.source).unwrap(), g.node(&t.target).unwrap());
                        for (p, q2) in [(a, b), (b, a)] {
                            if p == x && dist[q2] == usize::MAX {
                                dist[q2] = dist[x] + 1;
                                q.push_back(q2);
                            }
                        }
                    }
                }
                dist
            };
            // The top few interlocks are the first few of all of them.
            let members: Vec<usize> = (0..g.node_count()).filter(|m| m % 3 == 0).collect();
            let all = g.interlocks(&members, &[], 1, &f);
            for limit in [0, 1, 3, 1000] {
                let (top, total) = g.top_interlocks(&members, &[], 1, limit, &f);
                assert_eq!(total, all.len());
                assert_eq!(top, all[..limit.min(all.len())]);
            }
            for from in 0..g.node_count() {
                let dist = bfs(from);
                let mut got = g.neighbours(from, 2, &f);
                got.sort_unstable();
                let mut want: Vec<(usize, usize)> = (0..g.node_count())
                    .filter(|&m| m != from && dist[m] <= 2)
                    .map(|m| (m, dist[m]))
                    .collect();
                want.sort_unstable();
                assert_eq!(got, want, "round {round} from {from}");
                for (to, &d) in dist.iter().enumerate() {
                    let path = g.shortest_path(from, to, &f);
                    match path {
                        None => assert_eq!(d, usize::MAX),
                        Some(p) => {
                            assert_eq!(p.len(), d, "round {round} {from}→{to}");
                            let mut at = from;
                            for step in &p {
                                let (s, d) = g.tie_ends(step.tie);
                                assert_eq!(
                                    (s, d),
                                    if step.forward {
                                        (at, step.node)
                                    } else {
                                        (step.node, at)
                                    }
                                );
                                at = step.node;
                            }
                            assert_eq!(at, to);
                        }
                    }
                }
            }
        }
    }
}

/// Everything a graph says, in its own numbering.
fn dump(g: &Graph) -> Vec<String> {
    (0..g.edge_count())
        .map(|t| {
            let (s, d) = g.tie_ends(t);
            format!(
                "{} {:?} {} {} {:?} {:?}",
                g.tie_id(t),
                g.tie_kind(t),
                g.id(s),
                g.id(d),
                g.tie_amount(t),
                g.attr_of(t as u32)
            )
        })
        .chain((0..g.node_count()).map(|n| format!("node {n} {}", g.id(n))))
        .collect()
}

#[test]
fn a_tie_set_makes_the_same_graph_however_it_was_reached() {
    use EdgeKind::*;
    let packed = |p: &str, n: u64| format!("{p}-{n:016x}");
    let mut pay = tie(&packed("pay", 3), Payment, &packed("org", 9), "odd id");
    pay.amount = Some(12.5);
    pay.start = Some("2021-04".into());
    let claim_a = tie(
        &packed("claim", 1),
        Mention,
        &packed("org", 1),
        &packed("org", 2),
    );
    let claim_b = tie(&packed("claim", 1), Mention, &packed("org", 1), "Z");
    let wanted = vec![
        claim_a.clone(),
        claim_b.clone(),
        tie(&packed("m", 0xff), Membership, "Z", &packed("org", 2)),
        tie(
            &packed("m", 0x100),
            Membership,
            &packed("org", 9),
            &packed("org", 2),
        ),
        // `m_x` sorts after `m-…` as text ('_' > '-'), `a` before both.
        tie("m_x", Link, "a", "b"),
        tie("a", Link, "b", "c"),
        pay.clone(),
    ];
    // As a store lists them: in the order of their ids as text.
    let mut sorted = wanted.clone();
    sorted.sort_by(|a, b| a.id.cmp(&b.id));
    let expected = dump(&Graph::build(&sorted));

    // Reached all at once, in another order…
    let mut once = TieSet::new();
    for t in wanted.iter().rev() {
        let mine: Vec<Tie> = wanted.iter().filter(|w| w.id == t.id).cloned().collect();
        once.set(&t.id, &mine);
    }
    assert_eq!(once.len(), wanted.len());
    assert_eq!(dump(&once.graph()), expected);

    // …and by changes: a tie removed, another changed, then put back.
    let mut changed = TieSet::new();
    for t in &wanted {
        let mine: Vec<Tie> = wanted.iter().filter(|w| w.id == t.id).cloned().collect();
        changed.set(&t.id, &mine);
    }
    assert!(changed.set("a", &[]), "a tie removed");
    assert!(
        changed.set(&pay.id, &[tie(&pay.id, Payment, "x", "y")]),
        "a tie's ends changed"
    );
    assert_eq!(changed.len(), wanted.len() - 1);
    assert_ne!(dump(&changed.graph()), expected);
    assert!(changed.set("a", &[tie("a", Link, "b", "c")]), "put back");
    assert!(changed.set(&pay.id, std::slice::from_ref(&pay)));
    assert!(!changed.set("never there", &[]), "no ties before or now");
    assert_eq!(changed.len(), wanted.len());
    assert_eq!(dump(&changed.graph()), expected);
    assert!(changed.heap_bytes() > 0);

    // The same ties again change nothing; an amount, a date or a kind does.
    assert!(!changed.set(&pay.id, std::slice::from_ref(&pay)));
    assert!(!changed.set("a", &[tie("a", Link, "b", "c")]));
    let mut more = pay.clone();
    more.amount = Some(more.amount.unwrap_or(0.0) + 1.0);
    assert!(changed.set(&pay.id, std::slice::from_ref(&more)));
    assert!(changed.set(&pay.id, std::slice::from_ref(&pay)));
    assert!(changed.set("a", &[tie("a", Membership, "b", "c")]));
    assert!(changed.set("a", &[tie("a", Link, "b", "c"), tie("a", Link, "b", "d")]));
}

/// A set changed many times, with a graph made now and then (each keeps
/// the orders it worked out for the next): every graph is the one made at
/// once from the ties there are, and finds every node by its id.
#[test]
fn a_tie_set_changed_often_makes_each_graph_as_if_made_at_once() {
    use EdgeKind::*;
    let mut state = 0x9e37_79b9_7f4a_7c15_u64;
    let mut next = move |n: u64| {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state % n
    };
    // Packed ids and ids of other shapes, entities and the ends of ties alike.
    let name = |k: u64, packed: bool| {
        if packed {
            format!("org-{k:016x}")
        } else {
            format!("n{k}")
        }
    };
    let mut set = TieSet::new();
    let mut now: std::collections::BTreeMap<String, Vec<Tie>> = Default::default();
    let mut made = 0;
    for round in 0..80 {
        // Now and then many at once, as a first reading or an import makes.
        let changes = if round % 10 == 0 { 300 } else { next(30) };
        for _ in 0..=changes {
            let k = next(400);
            let id = if k % 3 == 0 {
                format!("t{k}")
            } else {
                format!("m-{k:016x}")
            };
            let ties: Vec<Tie> = (0..next(4))
                .map(|_| {
                    let kind = [Membership, Payment, Link, Employment][next(4) as usize];
                    let mut t = tie(
                        &id,
                        kind,
                        &name(next(90), next(4) != 0),
                        &name(next(90), next(4) != 0),
                    );
                    if kind == Payment && next(2) == 0 {
                        t.amount = Some(next(1000) as f64);
                    }
                    t
                })
                .collect();
            set.set(&id, &ties);
            if ties.is_empty() {
                now.remove(&id);
            } else {
                now.insert(id, ties);
            }
        }
        let g = set.graph();
        let all: Vec<Tie> = now.values().flatten().cloned().collect();
        assert_eq!(set.len(), all.len());
        assert_eq!(dump(&g), dump(&Graph::build(&all)));
        for n in 0..g.node_count() {
            assert_eq!(g.node(&g.id(n)), Some(n), "node {n} found by its id");
        }
        assert_eq!(g.node("n-none"), None);
        made += g.edge_count();
    }
    assert!(made > 1000, "the rounds made graphs with ties: {made}");
}

/// Interlocks agree with counting them plainly from the ties on random
/// graphs with payments of random amounts: which entities, through which
/// members, with what funding, in what order, search after search (the
/// reused marks and slots).
#[test]
fn interlocks_agree_with_counting_them_plainly() {
    let mut next = numbers(11);
    for round in 0..40 {
        let n = 5 + next(80);
        let ties: Vec<Tie> = (0..next(n * 3))
            .map(|i| {
                let kind =
                    [EdgeKind::Membership, EdgeKind::Payment, EdgeKind::Link][next(3) as usize];
                let mut t = tie(
                    &format!("e{round}-{i}"),
                    kind,
                    &format!("n{}", next(n)),
                    &format!("n{}", next(n)),
                );
                if kind == EdgeKind::Payment && next(3) > 0 {
                    t.amount = Some(next(1000) as f64);
                }
                t
            })
            .collect();
        let g = Graph::build(ties.clone());
        let kinds = Filter {
            kinds: vec![EdgeKind::Membership, EdgeKind::Payment],
            at: None,
        };
        // Undated ties hold in any period: the same ties as `kinds`, found
        // by each tie's dates rather than by the kinds beside the entries.
        let dated = Filter {
            kinds: vec![EdgeKind::Membership, EdgeKind::Payment],
            at: Period::parse("2021"),
        };
        for f in [Filter::default(), kinds, dated] {
            let step = 2 + next(4) as usize;
            let members: Vec<usize> = (0..g.node_count()).filter(|m| m % step == 0).collect();
            let exclude: Vec<usize> = (0..g.node_count()).filter(|m| m % 7 == 1).collect();
            let min = 1 + next(2) as usize;
            // Each entity other than the members and those left out: the
            // members it is tied to, and the amounts on those ties.
            let mut plain: HashMap<usize, (Vec<usize>, f64)> = HashMap::new();
            for t in &ties {
                if !f.kinds.is_empty() && !f.kinds.contains(&t.kind) {
                    continue;
                }
                let (a, b) = (g.node(&t.source).unwrap(), g.node(&t.target).unwrap());
                for (m, other) in [(a, b), (b, a)] {
                    if !members.contains(&m) || members.contains(&other) || exclude.contains(&other)
                    {
                        continue;
                    }
                    let entry = plain.entry(other).or_default();
                    if !entry.0.contains(&m) {
                        entry.0.push(m);
                    }
                    entry.1 += t.amount.unwrap_or(0.0);
                }
            }
            let mut want: Vec<Interlock> = plain
                .into_iter()
                .filter(|(_, (m, _))| m.len() >= min)
                .map(|(node, (mut members, funding))| {
                    members.sort_unstable();
                    Interlock {
                        node,
                        members,
                        funding,
                    }
                })
                .collect();
            want.sort_by(|a, b| {
                b.members
                    .len()
                    .cmp(&a.members.len())
                    .then(b.funding.total_cmp(&a.funding))
                    .then(a.node.cmp(&b.node))
            });
            assert_eq!(
                g.interlocks(&members, &exclude, min, &f),
                want,
                "round {round}"
            );
            let limit = next(5) as usize;
            let (top, total) = g.top_interlocks(&members, &exclude, min, limit, &f);
            assert_eq!(total, want.len());
            assert_eq!(top, want[..limit.min(want.len())], "round {round}");
        }
    }
}

/// A path found is the same, tie for tie, after ties are added anywhere
/// the search did not look (`shortest_path_seen`): a page showing it may
/// be kept until a tie of a node it saw changes. Random graphs, random
/// ends, ties added between nodes unseen and to nodes new.
#[test]
fn a_path_holds_while_the_ties_of_what_it_saw_hold() {
    let mut next = numbers(11);
    let mut checked = 0;
    for round in 0..40 {
        let n = 5 + next(80);
        let e = next(n * 2);
        let random_tie = |next: &mut dyn FnMut(u64) -> u64, i: u64, a: String, b: String| {
            let kind = if next(3) == 0 {
                EdgeKind::Payment
            } else {
                EdgeKind::Membership
            };
            tie(&format!("e{round}-{i}"), kind, &a, &b)
        };
        let ties: Vec<Tie> = (0..e)
            .map(|i| {
                let (a, b) = (format!("n{}", next(n)), format!("n{}", next(n)));
                random_tie(&mut next, i, a, b)
            })
            .collect();
        let g = Graph::build(ties.clone());
        if g.node_count() < 2 {
            continue;
        }
        let named = |g: &Graph, p: Option<Vec<Step>>| {
            p.map(|p| {
                p.iter()
                    .map(|s| (g.tie_id(s.tie).to_string(), s.forward, g.id(s.node)))
                    .collect::<Vec<_>>()
            })
        };
        let filter = Filter {
            kinds: vec![EdgeKind::Membership],
            at: None,
        };
        for f in [Filter::default(), filter] {
            for _ in 0..5 {
                let (a, b) = (
                    next(g.node_count() as u64) as usize,
                    next(g.node_count() as u64) as usize,
                );
                let mut seen = Vec::new();
                let path = g.shortest_path_seen(a, b, &f, &mut seen);
                assert_eq!(
                    named(&g, path.clone()),
                    named(&g, g.shortest_path(a, b, &f))
                );
                let seen: std::collections::HashSet<String> =
                    seen.iter().map(|&x| g.id(x)).collect();
                let unseen: Vec<String> = (0..g.node_count())
                    .map(|x| g.id(x))
                    .filter(|id| !seen.contains(id))
                    .collect();
                // Ties among the unseen, and from them to new nodes.
                let mut more = ties.clone();
                for i in 0..1 + next(6) {
                    let end = |next: &mut dyn FnMut(u64) -> u64| {
                        if unseen.is_empty() || next(4) == 0 {
                            format!("new{}", next(3))
                        } else {
                            unseen[next(unseen.len() as u64) as usize].clone()
                        }
                    };
                    let (x, y) = (end(&mut next), end(&mut next));
                    more.push(random_tie(&mut next, 10_000 + i, x, y));
                }
                let h = Graph::build(more);
                let (ha, hb) = (h.node(&g.id(a)).unwrap(), h.node(&g.id(b)).unwrap());
                assert_eq!(
                    named(&h, h.shortest_path(ha, hb, &f)),
                    named(&g, path),
                    "round {round}: {} to {}",
                    g.id(a),
                    g.id(b)
                );
                checked += 1;
            }
        }
    }
    assert!(checked > 300, "{checked}");
}
