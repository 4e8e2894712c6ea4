//! Embeds the network view's library, cytoscape, when `scripts/vendor`
//! has installed it from the npm registry into `vendor/node_modules`
//! (checked there against its hash in `vendor/package-lock.json`). A build
//! without it serves the network pages as the server's SVG drawing alone.

fn main() {
    println!("cargo::rustc-check-cfg=cfg(vendored_cytoscape)");
    // The whole folder: a new install (or its removal) builds again.
    println!("cargo::rerun-if-changed=vendor");
    let dir = std::env::var("CARGO_MANIFEST_DIR").unwrap_or_default();
    let lib =
        std::path::Path::new(&dir).join("vendor/node_modules/cytoscape/dist/cytoscape.min.js");
    if lib.is_file() {
        println!("cargo::rustc-cfg=vendored_cytoscape");
        println!("cargo::rustc-env=DOSSIER_CYTOSCAPE={}", lib.display());
    } else {
        println!(
            "cargo::warning=cytoscape is not in crates/web/vendor (run scripts/vendor): the network pages will be the SVG drawing only"
        );
    }
}
