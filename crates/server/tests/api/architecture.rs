//! The layering rule of docs/architecture.md, read from the source: `db` knows nothing of HTTP
//! or the domain, `domain` nothing of HTTP, and handlers build no SQL and touch no model.

use std::path::{Path, PathBuf};

fn sources(dir: &str) -> Vec<(PathBuf, String)> {
    fn walk(dir: &Path, out: &mut Vec<(PathBuf, String)>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                walk(&path, out);
            } else if path.extension().is_some_and(|e| e == "rs") {
                let text = std::fs::read_to_string(&path).unwrap();
                out.push((path, text));
            }
        }
    }
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("src").join(dir);
    let mut out = Vec::new();
    walk(&root, &mut out);
    assert!(!out.is_empty(), "no sources under {}", root.display());
    out
}

fn offenders(dir: &str, forbidden: &[&str]) -> Vec<String> {
    sources(dir)
        .into_iter()
        .flat_map(|(path, text)| {
            forbidden
                .iter()
                .filter(|needle| text.contains(**needle))
                .map(|needle| format!("{} uses `{needle}`", path.display()))
                .collect::<Vec<_>>()
        })
        .collect()
}

#[test]
fn the_database_layer_knows_nothing_of_http_or_the_domain() {
    let found = offenders(
        "db",
        &[
            "actix",
            "crate::http",
            "crate::domain",
            "ApiError",
            "DomainError",
        ],
    );
    assert!(found.is_empty(), "{found:#?}");
}

#[test]
fn the_domain_layer_knows_nothing_of_http() {
    let found = offenders(
        "domain",
        &["actix", "crate::http", "ApiError", "HttpResponse"],
    );
    assert!(found.is_empty(), "{found:#?}");
}

#[test]
fn handlers_build_no_queries_and_touch_no_models() {
    let found = offenders(
        "http/routes",
        &[
            "diesel",
            "db::models",
            "db::schema",
            "write_transaction",
            ".run(",
            "DbConn",
        ],
    );
    assert!(found.is_empty(), "{found:#?}");
}
