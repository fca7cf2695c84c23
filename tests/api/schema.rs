//! `schema.graphql` is the contract codegen reads: it must be exactly what runs.

#[test]
fn schema_graphql_matches_the_running_schema() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/schema.graphql");
    let committed = std::fs::read_to_string(path).unwrap_or_default();
    let running = gerbang::schema::sdl();
    if committed != running {
        let diff: Vec<String> = diff_lines(&committed, &running);
        panic!(
            "schema.graphql differs from the running schema; regenerate it with\n\n    cargo run -- print-schema > schema.graphql\n\n{}",
            diff.join("\n")
        );
    }
}

/// A small line diff: lines only in the file (-) and only in the running schema (+).
fn diff_lines(old: &str, new: &str) -> Vec<String> {
    let old: Vec<&str> = old.lines().collect();
    let new: Vec<&str> = new.lines().collect();
    let mut out: Vec<String> = old.iter().filter(|l| !new.contains(l)).map(|l| format!("- {l}")).collect();
    out.extend(new.iter().filter(|l| !old.contains(l)).map(|l| format!("+ {l}")));
    if out.is_empty() {
        out.push("(same lines, different order or whitespace)".into());
    }
    out
}
