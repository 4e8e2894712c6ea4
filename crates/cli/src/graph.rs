//! `dossier graph`: paths, neighbourhoods, shared members, interlocks,
//! centrality and components over the store's relationships.

use anyhow::{bail, Context, Result};
use dossier_graph::analysis::{Filter, Graph, Period};
use dossier_graph::EdgeKind;
use serde_json::json;

use crate::{open, Cli};

#[derive(clap::Args, Clone)]
pub struct FilterArgs {
    /// Follow only these kinds: membership, payment, employment, directorship, link, mention (comma-separated).
    #[arg(long, value_delimiter = ',')]
    kind: Vec<String>,
    /// Only ties that held at this date (YYYY, YYYY-MM or YYYY-MM-DD); undated ties count.
    #[arg(long)]
    at: Option<String>,
    /// Machine-readable output.
    #[arg(long)]
    json: bool,
}

#[derive(clap::Subcommand)]
pub enum GraphCommand {
    /// The shortest chain of relationships between two entities, each with its sources.
    Path {
        from: String,
        to: String,
        #[command(flatten)]
        filter: FilterArgs,
    },
    /// Entities within N ties of one.
    Neighbours {
        entity: String,
        #[arg(long, default_value_t = 1)]
        hops: usize,
        #[arg(long, default_value_t = 100)]
        limit: usize,
        #[command(flatten)]
        filter: FilterArgs,
    },
    /// Members two networks share.
    Shared {
        first: String,
        second: String,
        #[command(flatten)]
        filter: FilterArgs,
    },
    /// Entities tied to many members of a network (funders, people, other networks).
    Interlocks {
        network: String,
        /// Tied to at least this many members.
        #[arg(long, default_value_t = 2)]
        min: usize,
        /// Rank by `count` of members or by `funding` total.
        #[arg(long, default_value = "count")]
        by: String,
        #[arg(long, default_value_t = 30)]
        limit: usize,
        #[command(flatten)]
        filter: FilterArgs,
    },
    /// The most central entities by degree and betweenness.
    Centrality {
        #[arg(long, default_value_t = 20)]
        top: usize,
        /// Estimate betweenness from this many sources (exact when omitted).
        #[arg(long)]
        sample: Option<usize>,
        #[command(flatten)]
        filter: FilterArgs,
    },
    /// Connected groups of entities, largest first.
    Components {
        #[arg(long, default_value_t = 20)]
        top: usize,
        #[command(flatten)]
        filter: FilterArgs,
    },
}

fn kind_of(name: &str) -> Result<EdgeKind> {
    EdgeKind::parse(name).with_context(|| format!("unknown relationship kind {name:?}: membership, payment, employment, directorship, link or mention"))
}

fn filter_of(a: &FilterArgs) -> Result<Filter> {
    let at =
        match &a.at {
            Some(d) => Some(Period::parse(d).with_context(|| {
                format!("--at {d:?} is not a date (YYYY, YYYY-MM or YYYY-MM-DD)")
            })?),
            None => None,
        };
    Ok(Filter {
        kinds: a
            .kind
            .iter()
            .filter(|k| !k.is_empty())
            .map(|k| kind_of(k))
            .collect::<Result<_>>()?,
        at,
    })
}

/// One entity by name, acronym or id.
fn resolve(store: &dyn dossier_store::Read, g: &Graph, name: &str) -> Result<usize> {
    let found = dossier_views::find(store, name)?;
    let with_ties: Vec<_> = found.iter().filter(|e| g.node(&e.id).is_some()).collect();
    match (found.as_slice(), with_ties.as_slice()) {
        ([], _) => bail!("nothing named {name:?}"),
        (_, [one]) => Ok(g.node(&one.id).unwrap_or_default()),
        (_, []) => bail!("{name:?} has no relationships"),
        (_, many) => bail!(
            "{name:?} names {} entities; give one of their ids: {}",
            many.len(),
            many.iter()
                .map(|e| format!("{} ({})", e.caption(), e.id))
                .collect::<Vec<_>>()
                .join("; ")
        ),
    }
}

fn caption(store: &dyn dossier_store::Read, id: &str) -> String {
    store
        .entity(id)
        .ok()
        .flatten()
        .map(|e| e.caption().to_string())
        .unwrap_or_else(|| id.to_string())
}

pub fn run(cli: &Cli, cmd: &GraphCommand) -> Result<()> {
    let store = open(&cli.db)?;
    let g = dossier_views::tie_set(&store)?.graph();
    let node_json = |n: usize| json!({"id": g.id(n), "name": caption(&store, &g.id(n))});
    match cmd {
        GraphCommand::Path { from, to, filter } => {
            let f = filter_of(filter)?;
            let (a, b) = (resolve(&store, &g, from)?, resolve(&store, &g, to)?);
            let Some(path) = g.shortest_path(a, b, &f) else {
                if filter.json {
                    println!(
                        "{}",
                        json!({"from": node_json(a), "to": node_json(b), "path": null})
                    );
                } else {
                    println!(
                        "{} and {} are not connected",
                        caption(&store, &g.id(a)),
                        caption(&store, &g.id(b))
                    );
                }
                return Ok(());
            };
            let steps: Vec<serde_json::Value> =
                dossier_views::explain_path(&store, &g, a, &path)?
                    .iter()
                    .map(|s| {
                        json!({
                            "from": {"id": s.from, "name": caption(&store, &s.from)},
                            "to": {"id": s.to, "name": caption(&store, &s.to)},
                            "relationship": s.tie, "kind": s.kind.as_str(),
                            "direction": if s.forward { "forward" } else { "backward" },
                            "detail": s.detail,
                            "sources": s.sources.iter().map(|d| json!({"id": d.id, "title": d.caption()})).collect::<Vec<_>>(),
                        })
                    })
                    .collect();
            if filter.json {
                println!(
                    "{}",
                    serde_json::to_string_pretty(
                        &json!({"from": node_json(a), "to": node_json(b), "length": path.len(), "path": steps})
                    )?
                );
            } else {
                println!(
                    "{} ties from {} to {}:",
                    path.len(),
                    caption(&store, &g.id(a)),
                    caption(&store, &g.id(b))
                );
                for s in &steps {
                    let verb = match (s["kind"].as_str(), s["direction"].as_str()) {
                        (Some("membership"), Some("forward")) => "is a member of",
                        (Some("membership"), _) => "has as a member",
                        (Some("payment"), Some("forward")) => "paid",
                        (Some("payment"), _) => "was paid by",
                        (Some("employment"), Some("forward")) => "works for",
                        (Some("employment"), _) => "employs",
                        (Some("directorship"), Some("forward")) => "sits on the board of",
                        (Some("directorship"), _) => "has on its board",
                        (Some("mention"), Some("forward")) => {
                            "is the subject of a claim that mentions"
                        }
                        (Some("mention"), _) => "is mentioned in a claim about",
                        _ => "is linked to",
                    };
                    let detail = s["detail"]
                        .as_array()
                        .map(|d| {
                            d.iter()
                                .filter_map(|x| x.as_str())
                                .collect::<Vec<_>>()
                                .join(", ")
                        })
                        .unwrap_or_default();
                    let sources = s["sources"]
                        .as_array()
                        .map(|d| {
                            d.iter()
                                .filter_map(|x| x["title"].as_str())
                                .collect::<Vec<_>>()
                                .join("; ")
                        })
                        .unwrap_or_default();
                    println!(
                        "  {} {verb} {}{}\n      source: {}",
                        s["from"]["name"].as_str().unwrap_or(""),
                        s["to"]["name"].as_str().unwrap_or(""),
                        if detail.is_empty() {
                            String::new()
                        } else {
                            format!(" ({detail})")
                        },
                        if sources.is_empty() {
                            "none recorded"
                        } else {
                            &sources
                        }
                    );
                }
            }
        }
        GraphCommand::Neighbours {
            entity,
            hops,
            limit,
            filter,
        } => {
            let f = filter_of(filter)?;
            let x = resolve(&store, &g, entity)?;
            let found = g.neighbours(x, *hops, &f);
            let list: Vec<_> = found
                .iter()
                .take(*limit)
                .map(|&(n, d)| {
                    let mut v = node_json(n);
                    v["hops"] = json!(d);
                    v
                })
                .collect();
            if filter.json {
                println!(
                    "{}",
                    serde_json::to_string_pretty(
                        &json!({"entity": node_json(x), "hops": hops, "total": found.len(), "neighbours": list})
                    )?
                );
            } else {
                for v in &list {
                    println!(
                        "{}  {}  {}",
                        v["hops"],
                        v["id"].as_str().unwrap_or(""),
                        v["name"].as_str().unwrap_or("")
                    );
                }
                println!(
                    "{} entities within {hops} ties of {}",
                    found.len(),
                    caption(&store, &g.id(x))
                );
            }
        }
        GraphCommand::Shared {
            first,
            second,
            filter,
        } => {
            let f = filter_of(filter)?;
            let (a, b) = (resolve(&store, &g, first)?, resolve(&store, &g, second)?);
            let shared = g.shared_members(a, b, &f);
            if filter.json {
                println!(
                    "{}",
                    serde_json::to_string_pretty(
                        &json!({"networks": [node_json(a), node_json(b)], "shared": shared.iter().map(|&n| node_json(n)).collect::<Vec<_>>()})
                    )?
                );
            } else {
                for &n in &shared {
                    println!("{}  {}", g.id(n), caption(&store, &g.id(n)));
                }
                println!(
                    "{} members shared by {} and {}",
                    shared.len(),
                    caption(&store, &g.id(a)),
                    caption(&store, &g.id(b))
                );
            }
        }
        GraphCommand::Interlocks {
            network,
            min,
            by,
            limit,
            filter,
        } => {
            let f = filter_of(filter)?;
            let n = resolve(&store, &g, network)?;
            let members = g.members(n, &f);
            if members.is_empty() {
                bail!("{} has no members", caption(&store, &g.id(n)));
            }
            let mut locks = g.interlocks(&members, &[n], *min, &f);
            match by.as_str() {
                "count" => {}
                "funding" => locks.sort_by(|a, b| {
                    b.funding
                        .total_cmp(&a.funding)
                        .then(b.members.len().cmp(&a.members.len()))
                }),
                other => bail!("--by is count or funding, not {other:?}"),
            }
            let list: Vec<_> = locks
                .iter()
                .take(*limit)
                .map(|l| {
                    let mut v = node_json(l.node);
                    v["members"] =
                        json!(l.members.iter().map(|&m| node_json(m)).collect::<Vec<_>>());
                    v["funding"] = json!(l.funding);
                    v
                })
                .collect();
            if filter.json {
                println!(
                    "{}",
                    serde_json::to_string_pretty(
                        &json!({"network": node_json(n), "members": members.len(), "interlocks": list})
                    )?
                );
            } else {
                for v in &list {
                    let names: Vec<&str> = v["members"]
                        .as_array()
                        .into_iter()
                        .flatten()
                        .filter_map(|m| m["name"].as_str())
                        .collect();
                    let funding = v["funding"].as_f64().unwrap_or(0.0);
                    println!(
                        "{:>3} members{}  {}: {}",
                        names.len(),
                        if funding > 0.0 {
                            format!(", {funding:.0} paid")
                        } else {
                            String::new()
                        },
                        v["name"].as_str().unwrap_or(""),
                        names.join(", ")
                    );
                }
                println!(
                    "{} entities tied to at least {min} of the {} members of {}",
                    locks.len(),
                    members.len(),
                    caption(&store, &g.id(n))
                );
            }
        }
        GraphCommand::Centrality {
            top,
            sample,
            filter,
        } => {
            let f = filter_of(filter)?;
            let degree = g.degrees(&f);
            let between = g.betweenness(&f, *sample);
            let mut order: Vec<usize> = (0..g.node_count()).collect();
            order.sort_by(|&a, &b| {
                between[b]
                    .total_cmp(&between[a])
                    .then(degree[b].cmp(&degree[a]))
                    .then(a.cmp(&b))
            });
            let list: Vec<_> = order
                .iter()
                .take(*top)
                .map(|&n| {
                    let mut v = node_json(n);
                    v["degree"] = json!(degree[n]);
                    v["betweenness"] = json!(between[n]);
                    v
                })
                .collect();
            if filter.json {
                println!(
                    "{}",
                    serde_json::to_string_pretty(
                        &json!({"nodes": g.node_count(), "ties": g.edge_count(), "exact": sample.is_none(), "central": list})
                    )?
                );
            } else {
                println!("betweenness  degree  entity");
                for v in &list {
                    println!(
                        "{:>11.4}  {:>6}  {}",
                        v["betweenness"].as_f64().unwrap_or(0.0),
                        v["degree"],
                        v["name"].as_str().unwrap_or("")
                    );
                }
            }
        }
        GraphCommand::Components { top, filter } => {
            let f = filter_of(filter)?;
            let comp = g.components(&f);
            let count = comp.iter().max().map_or(0, |m| m + 1);
            let mut groups: Vec<Vec<usize>> = vec![Vec::new(); count];
            for (n, &c) in comp.iter().enumerate() {
                groups[c].push(n);
            }
            let list: Vec<_> = groups
                .iter()
                .take(*top)
                .map(|ms| {
                    json!({
                        "size": ms.len(),
                        "sample": ms.iter().take(5).map(|&n| node_json(n)).collect::<Vec<_>>(),
                    })
                })
                .collect();
            if filter.json {
                println!(
                    "{}",
                    serde_json::to_string_pretty(&json!({"components": count, "largest": list}))?
                );
            } else {
                for v in &list {
                    let names: Vec<&str> = v["sample"]
                        .as_array()
                        .into_iter()
                        .flatten()
                        .filter_map(|m| m["name"].as_str())
                        .collect();
                    println!(
                        "{:>6}  {}{}",
                        v["size"],
                        names.join(", "),
                        if v["size"].as_u64().unwrap_or(0) > 5 {
                            ", …"
                        } else {
                            ""
                        }
                    );
                }
                println!("{count} connected components");
            }
        }
    }
    Ok(())
}

/// `dossier export --format gexf|graphml [--around X --hops N]`: the
/// network of the whole store, or of one entity's neighbourhood.
pub fn export_network(
    store: &dyn dossier_store::Read,
    out: &mut dyn std::io::Write,
    gexf: bool,
    around: Option<&str>,
    hops: usize,
) -> Result<(usize, usize)> {
    use dossier_formats::graphs::{write_gexf, write_graphml, GraphEdge, GraphNode};
    let ties = dossier_views::ties(store)?;
    let g = Graph::build(ties.clone());
    let keep: Vec<bool> = match around {
        Some(name) => {
            let x = resolve(store, &g, name)?;
            let mut keep = vec![false; g.node_count()];
            keep[x] = true;
            for (n, _) in g.neighbours(x, hops, &Filter::default()) {
                keep[n] = true;
            }
            keep
        }
        None => vec![true; g.node_count()],
    };
    let mut nodes = Vec::new();
    for (n, _) in keep.iter().enumerate().filter(|(_, k)| **k) {
        let id = g.id(n);
        let e = store.entity(&id)?;
        nodes.push(GraphNode {
            label: e.as_ref().map_or(&id[..], |e| e.caption()).to_string(),
            id,
            kind: e.as_ref().map_or("Thing", |e| e.schema.name).to_string(),
            country: e
                .as_ref()
                .map(|e| e.values("country").collect::<Vec<_>>().join(","))
                .unwrap_or_default(),
        });
    }
    let mut edges = Vec::new();
    for t in &ties {
        let (Some(s), Some(d)) = (g.node(&t.source), g.node(&t.target)) else {
            continue;
        };
        if !(keep[s] && keep[d]) {
            continue;
        }
        let rel = if t.kind == EdgeKind::Mention {
            None
        } else {
            store.entity(&t.id)?
        };
        let label = rel
            .as_ref()
            .and_then(|r| {
                r.first("role")
                    .map(str::to_string)
                    .or_else(|| r.amount_label())
            })
            .unwrap_or_else(|| t.kind.as_str().to_string());
        edges.push(GraphEdge {
            source: t.source.clone(),
            target: t.target.clone(),
            kind: t.kind.as_str().to_string(),
            relationship: t.id.clone(),
            label,
            amount: t.amount,
            start: t.start.clone(),
            end: t.end.clone(),
        });
    }
    let description = match around {
        Some(x) => format!("The network within {hops} ties of {x}, from a Dossier store"),
        None => "Every relationship in a Dossier store".to_string(),
    };
    if gexf {
        write_gexf(out, &nodes, &edges, &description)?;
    } else {
        write_graphml(out, &nodes, &edges)?;
    }
    Ok((nodes.len(), edges.len()))
}
