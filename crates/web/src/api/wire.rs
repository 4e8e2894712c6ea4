//! The wire types every JSON answer (the API and the pages' `.json`
//! twins) is made of; the OpenAPI document is generated from them.

use std::collections::BTreeMap;

use serde::Serialize;
use utoipa::ToSchema;

/// An error.
#[derive(Debug, Serialize, ToSchema)]
pub struct ErrorWire {
    pub error: String,
}

/// A pointer to an entity with its label.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct EntityRef {
    pub id: String,
    pub name: String,
    pub schema: String,
}

/// An entity with all its current property values.
#[derive(Debug, Serialize, ToSchema)]
pub struct EntityWire {
    pub id: String,
    pub schema: String,
    pub caption: String,
    pub properties: BTreeMap<String, Vec<String>>,
}

/// A quotation, its speaker, and what verification says of it.
#[derive(Debug, Serialize, ToSchema)]
pub struct QuotationWire {
    pub id: String,
    pub text: String,
    pub speaker: Option<EntityRef>,
    /// What `dossier verify` last recorded: `verified`, `altered`, `not
    /// found`, `not an origin`, `not yet checked` or `no archive`.
    pub mark: String,
    /// A newer copy of the origin was archived after the check: the mark
    /// says nothing of it.
    pub stale: bool,
    /// The origin document the quotation is anchored in.
    pub origin: Option<String>,
    /// Its title and address.
    pub origin_title: Option<String>,
    pub origin_url: Option<String>,
    /// The SHA-256 of the archived copy checked against, and when that
    /// copy was retrieved.
    pub archived_copy: Option<String>,
    pub retrieved: Option<String>,
    /// How the quotation was found: `position`, `exact`, `normalized` or
    /// `approximate`.
    pub found_by: Option<String>,
    /// When the check was made (UTC).
    pub checked_at: Option<String>,
    /// For an altered quotation: `[-quoted-]{+archived+}` word by word.
    pub difference: Option<String>,
    /// For `not an origin`: why the document is not the quotation's origin.
    pub refusal: Option<String>,
}

/// An archived copy of a source.
#[derive(Debug, Serialize, ToSchema)]
pub struct CopyWire {
    pub sha256: String,
    pub url: Option<String>,
    pub retrieved: String,
    pub media_type: String,
    pub size: i64,
    pub title: String,
}

/// A quotation located in an archived text (code points).
#[derive(Debug, Serialize, ToSchema)]
pub struct HighlightWire {
    pub quotation: String,
    pub start: usize,
    pub end: usize,
    pub mark: String,
}

/// A source's archive: copies, newest first, and the newest one's text.
#[derive(Debug, Serialize, ToSchema)]
pub struct ArchiveWire {
    pub copies: Vec<CopyWire>,
    pub text: String,
    pub highlights: Vec<HighlightWire>,
    /// Anchored quotations the newest copy no longer holds.
    pub missing: Vec<String>,
}

/// A claim: what is asserted, by whom, from which source, with its quotations and replies.
#[derive(Debug, Serialize, ToSchema)]
pub struct ClaimWire {
    pub id: String,
    /// `quote`, `assessment` or `fact`.
    pub kind: String,
    pub text: String,
    pub date: Option<String>,
    pub topic: Option<String>,
    pub section: Option<String>,
    pub subjects: Vec<EntityRef>,
    pub mentions: Vec<EntityRef>,
    pub quotations: Vec<QuotationWire>,
    pub source: Option<EntityRef>,
    /// Every source that reports it: `source` first, then the sources of
    /// the same claim recorded from other documents.
    pub sources: Vec<EntityRef>,
    /// The ids of those other records, shown as this one.
    pub same: Vec<String>,
    /// Who asserts it; absent when the source's publisher is not named.
    pub asserted_by: Option<EntityRef>,
    #[schema(no_recursion)]
    pub replies: Vec<ClaimWire>,
}

/// A member of a network with the claims about it.
#[derive(Debug, Serialize, ToSchema)]
pub struct MemberWire {
    pub member: EntityRef,
    pub membership: String,
    pub claims: Vec<ClaimWire>,
}

/// A relationship to another entity (network, partner, employer…).
#[derive(Debug, Serialize, ToSchema)]
pub struct TieWire {
    pub other: EntityRef,
    pub relation: EntityWire,
}

/// A payment.
#[derive(Debug, Serialize, ToSchema)]
pub struct FundingWire {
    pub payer: EntityRef,
    pub beneficiary: EntityRef,
    pub amount: Option<String>,
    pub currency: Option<String>,
    pub date: Option<String>,
    pub start_date: Option<String>,
    pub end_date: Option<String>,
    pub payment: String,
}

/// An organization's or person's profile.
#[derive(Debug, Serialize, ToSchema)]
pub struct ProfileWire {
    pub entity: EntityWire,
    pub own_words: Vec<ClaimWire>,
    /// At most 200 members; `members_total` says how many there are.
    pub members: Vec<MemberWire>,
    pub members_total: usize,
    pub member_of: Vec<TieWire>,
    pub funding: Vec<FundingWire>,
    pub grants: Vec<FundingWire>,
    pub people: Vec<TieWire>,
    pub roles: Vec<TieWire>,
    pub links: Vec<TieWire>,
    pub claims: Vec<ClaimWire>,
    pub mentioned_in: Vec<ClaimWire>,
    pub sources: Vec<EntityRef>,
    /// Records judged to be the same as this entity and merged into it;
    /// their addresses lead here.
    pub merged_from: Vec<MergedWire>,
    /// Each of the entity's own values with the documents it was taken from.
    pub values: Vec<SourcedValueWire>,
    /// When the entity's own record last changed (UTC).
    pub updated: Option<String>,
    /// Member counts the sources state, in their words ("more than 150").
    pub stated_members: Vec<StatedCountWire>,
}

/// One value of an entity's, with its sources.
#[derive(Debug, Serialize, ToSchema)]
pub struct SourcedValueWire {
    pub prop: String,
    pub value: String,
    /// Ids of the documents it was taken from.
    pub sources: Vec<String>,
    /// When it was first recorded (UTC).
    pub since: String,
}

/// A member count a source states.
#[derive(Debug, Serialize, ToSchema)]
pub struct StatedCountWire {
    /// As written: "over 150".
    pub words: String,
    pub number: u64,
    /// The claim that says it.
    pub claim: String,
    pub source: Option<EntityRef>,
}

/// A record merged into another: its own id and names.
#[derive(Debug, Serialize, ToSchema)]
pub struct MergedWire {
    pub id: String,
    pub names: Vec<String>,
}

/// A source document and what Dossier took from it.
#[derive(Debug, Serialize, ToSchema)]
pub struct SourceWire {
    pub document: EntityWire,
    pub claims: Vec<ClaimWire>,
    /// Entities with statements from this source.
    pub entities: Vec<EntityRef>,
    /// Its archived copies, when it has any.
    pub archive: Option<ArchiveWire>,
}

/// One search result.
#[derive(Debug, Serialize, ToSchema)]
pub struct HitWire {
    pub id: String,
    pub kind: String,
    pub title: String,
    /// HTML: escaped text with matches in `<mark>`.
    pub snippet: String,
    pub score: f32,
    /// What a claim is about.
    pub about: Vec<EntityRef>,
    /// A claim's source document.
    pub source: Option<EntityRef>,
    /// A claim's date, a source's publication date, an organization's founding.
    pub date: Option<String>,
    /// A word on what it is: a body's countries, a source's publisher.
    pub detail: Option<String>,
}

/// A facet value and how many results have it.
#[derive(Debug, Serialize, ToSchema)]
pub struct FacetCount {
    pub value: String,
    pub count: u64,
}

/// Search results with facets.
#[derive(Debug, Serialize, ToSchema)]
pub struct SearchWire {
    pub query: String,
    pub total: usize,
    pub offset: usize,
    pub hits: Vec<HitWire>,
    pub facets: BTreeMap<String, Vec<FacetCount>>,
    /// When the words found little: a name they may have meant.
    pub did_you_mean: Option<String>,
}

/// A node of a network drawing.
#[derive(Debug, Serialize, ToSchema)]
pub struct NodeWire {
    pub id: String,
    pub label: String,
    pub schema: String,
    pub x: f64,
    pub y: f64,
}

/// An edge of a network drawing.
#[derive(Debug, Serialize, ToSchema)]
pub struct EdgeWire {
    pub id: String,
    pub source: String,
    pub target: String,
    pub kind: String,
    pub label: String,
    /// When the tie began and ended, when known: `YYYY[-MM[-DD]]`.
    pub start: Option<String>,
    pub end: Option<String>,
}

/// A network: its nodes (laid out) and relationships.
#[derive(Debug, Serialize, ToSchema)]
pub struct NetworkWire {
    pub center: EntityRef,
    pub nodes: Vec<NodeWire>,
    pub edges: Vec<EdgeWire>,
    /// How many entities the entity's two rings hold; the most tied are drawn.
    pub total: usize,
}

/// An entity sharing networks, funders, people or partners with another.
#[derive(Debug, Serialize, ToSchema)]
pub struct ConnectionWire {
    pub entity: EntityRef,
    /// How many neighbours the two share.
    pub shared: usize,
    /// Payments between it and the shared neighbours.
    pub funding: f64,
    /// The shared neighbours, at most five.
    pub via: Vec<EntityRef>,
}

/// The entities sharing the most with one, most shared first.
#[derive(Debug, Serialize, ToSchema)]
pub struct ConnectionsWire {
    pub entity: EntityRef,
    /// How many entities share anything with it; the first 50 are listed.
    pub total: usize,
    pub connections: Vec<ConnectionWire>,
}

/// An entity within some ties of another.
#[derive(Debug, Serialize, ToSchema)]
pub struct NeighbourWire {
    pub entity: EntityRef,
    /// In ties.
    pub distance: usize,
}

/// The neighbourhood of an entity, nearest first.
#[derive(Debug, Serialize, ToSchema)]
pub struct NeighboursWire {
    pub entity: EntityRef,
    pub hops: usize,
    /// How many entities are within `hops`; at most `limit` are listed.
    pub total: usize,
    pub neighbours: Vec<NeighbourWire>,
}

/// One step of a path: the relationship followed and its sources.
#[derive(Debug, Serialize, ToSchema)]
pub struct StepWire {
    pub from: EntityRef,
    pub to: EntityRef,
    /// The relationship (or claim, for a mention).
    pub relationship: String,
    pub kind: String,
    /// `forward` from member, payer, employee or director; else `backward`.
    pub direction: String,
    pub detail: Vec<String>,
    pub sources: Vec<EntityRef>,
}

/// A shortest chain of relationships between two entities.
#[derive(Debug, Serialize, ToSchema)]
pub struct PathWire {
    pub from: EntityRef,
    pub to: EntityRef,
    /// In ties; absent when they are not connected.
    pub length: Option<usize>,
    pub steps: Vec<StepWire>,
}

/// What the store holds.
#[derive(Debug, Serialize, ToSchema)]
pub struct HomeWire {
    pub statements: u64,
    pub entities: BTreeMap<String, u64>,
    pub networks: Vec<EntityRef>,
}
