//! Server-rendered pages, one file per area (maud: every interpolated
//! value is HTML-escaped). What several pages show alike (the layout,
//! links, claims, archived text) is in `crate::views`.

mod browse;
mod entity;
pub(crate) mod export;
mod home;
mod network;
mod paths;
mod profile;
mod search;

pub(crate) use browse::{browse, changes, changes_json};
pub(crate) use entity::{archived, archived_text_page, entity};
pub(crate) use home::{home, home_json};
pub(crate) use network::{connections, connections_json, network};
pub(crate) use paths::{interlocks, interlocks_json, path};
pub(crate) use search::{search, search_json};
