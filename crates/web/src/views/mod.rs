//! What several pages show alike: the layout every page is laid in, links
//! and names, claims with their quotations and evidence, archived text.

mod archive;
mod claims;
mod layout;
mod links;
pub(crate) mod svg;

pub(crate) use archive::archive_section;
pub(crate) use claims::{claim, evidence_mark};
pub(crate) use layout::{crumbs, error_page, layout};
pub(crate) use links::{
    kind_label, kind_path, kind_plural, label_link, link, name_with_acronym, outside, span,
};
