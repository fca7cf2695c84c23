//! The house rule of STYLE.md, checked over the `use` lines and paths of `src/`: imports
//! point down. Modules stand on floors; a feature's GraphQL file stands above its services,
//! its services above its domain types; no files import each other in a circle, except the
//! entities, which mirror the tables' relations. The only arrows that run back up are the
//! GraphQL type ties between features listed in `TIES`, each with the field that needs it.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// Top-level modules, top floor first: a module may import only those after it.
const FLOORS: &[&str] = &[
    "cli",
    "bench",
    "app",
    "http",
    "schema", // the process, its routes, the merged schema
    "account",
    "mfa",
    "api_keys",
    "email",
    "sessions",
    "users",
    "roles",
    "audit", // features
    "graphql",
    "state",
    "mailer", // the GraphQL toolkit, the shared state
    "auth",
    "metrics",
    "telemetry",
    "db",
    "error",
    "i18n",
    "clock",
    "config",
    "keyset",
    "patch", // primitives
];

/// Feature modules: inside them, `graphql` stands above the services, the services above
/// `domain`.
const FEATURES: &[&str] = &["account", "mfa", "api_keys", "email", "sessions", "users", "roles", "audit"];

/// Arrows that run back up, allowed: a GraphQL type naming another feature's type.
const TIES: &[(&str, &str, &str)] = &[
    ("users/graphql/types.rs", "api_keys/graphql.rs", "User.apiKeys"),
    ("users/graphql/types.rs", "sessions/graphql.rs", "User.sessions"),
    ("users/graphql/types.rs", "mfa/graphql.rs", "User.passkeys, User.mfaMethods (their loaders)"),
    ("users/graphql/types.rs", "mfa/domain.rs", "User.mfaMethods: [MfaMethod!]"),
    ("roles/graphql.rs", "users/graphql/mod.rs", "Role.users, Role.createdBy"),
    ("audit/graphql.rs", "users/graphql/mod.rs", "AuditEvent.actor, AuditEvent.subjectUser"),
];

#[test]
fn imports_point_down() {
    let graph = Graph::read(&Path::new(env!("CARGO_MANIFEST_DIR")).join("src"));
    assert!(graph.edges.len() > 100, "the reader found {} imports: it no longer reads the code", graph.edges.len());
    let mut wrong = Vec::new();
    let mut used_ties = BTreeSet::new();
    for (from, to) in &graph.edges {
        if let Some(tie) = TIES.iter().find(|(f, t, _)| f == from && t == to) {
            used_ties.insert(tie.0.to_owned() + " -> " + tie.1);
            continue;
        }
        if let Some(why) = runs_back_up(from, to) {
            wrong.push(format!("{from} -> {to}: {why}"));
        }
    }
    for (from, to, field) in TIES {
        if !used_ties.contains(&format!("{from} -> {to}")) {
            wrong.push(format!("TIES lists {from} -> {to} ({field}), which the code no longer has: strike it"));
        }
    }
    assert!(wrong.is_empty(), "imports that run back up (STYLE.md, Layout):\n  {}", wrong.join("\n  "));
}

#[test]
fn no_files_import_each_other_in_a_circle() {
    let graph = Graph::read(&Path::new(env!("CARGO_MANIFEST_DIR")).join("src"));
    let circles = graph.circles(|from, to| {
        let entity = |f: &str| f.starts_with("db/entities/");
        let face = |f: &str| f.ends_with("mod.rs"); // declares and re-exports, nothing else
        let tie = TIES.iter().any(|(f, t, _)| f == &from && t == &to);
        let skipped = (entity(from) && entity(to)) || face(from) || face(to) || tie;
        !skipped
    });
    assert!(circles.is_empty(), "files that import each other in a circle:\n  {}", circles.join("\n  "));
}

#[test]
fn the_reader_sees_what_the_rule_forbids() {
    // The rule's own examples, so a reader that stopped seeing paths fails here.
    assert!(runs_back_up("auth/sessions.rs", "audit/graphql.rs").is_some());
    assert!(runs_back_up("users/service/write.rs", "email/token.rs").is_some());
    assert!(runs_back_up("users/service/write.rs", "users/graphql/mod.rs").is_some());
    assert!(runs_back_up("users/domain.rs", "users/service/mod.rs").is_some());
    assert!(runs_back_up("roles/service.rs", "users/graphql/types.rs").is_some());
    assert!(runs_back_up("users/graphql/types.rs", "users/service/write.rs").is_none());
    assert!(runs_back_up("account/service.rs", "auth/audit.rs").is_none());
    let code = "use crate::auth::{caller::Authenticated, permission::{Permission, PermissionSet}};\n\
                // use crate::app::App;\n\
                let s = \"crate::http::router\";\n\
                let x = crate::db::Db::now(super::domain::Email);";
    let paths = paths_in(code);
    assert_eq!(
        paths,
        [
            "crate::auth::caller::Authenticated",
            "crate::auth::permission::Permission",
            "crate::auth::permission::PermissionSet"
        ]
        .into_iter()
        .chain(["crate::db::Db::now", "super::domain::Email"])
        .map(String::from)
        .collect::<Vec<_>>()
    );
}

/// Why `from -> to` runs back up, if it does.
fn runs_back_up(from: &str, to: &str) -> Option<String> {
    let (top_from, top_to) = (top(from), top(to));
    if top_from != top_to {
        let floor = |m: &str| FLOORS.iter().position(|f| *f == m);
        let (Some(a), Some(b)) = (floor(top_from), floor(top_to)) else {
            return Some(format!("`{top_from}` or `{top_to}` stands on no floor: add it to FLOORS"));
        };
        if b <= a {
            return Some(format!("`{top_from}` stands below `{top_to}`"));
        }
        if FEATURES.contains(&top_to) && layer(to) == Layer::GraphQl && layer(from) != Layer::GraphQl {
            return Some("only GraphQL files use another feature's GraphQL types".into());
        }
        return None;
    }
    if FEATURES.contains(&top_from) && layer(to) > layer(from) {
        return Some(format!("{:?} stands below {:?} in a feature", layer(from), layer(to)));
    }
    None
}

#[derive(Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Layer {
    Domain,
    Service,
    GraphQl,
    Face,
}

fn layer(file: &str) -> Layer {
    let rest = file.split_once('/').map_or("", |(_, r)| r);
    if rest == "mod.rs" {
        Layer::Face
    } else if rest == "graphql.rs" || rest.starts_with("graphql/") {
        Layer::GraphQl
    } else if rest == "domain.rs" || rest.starts_with("domain/") {
        Layer::Domain
    } else {
        Layer::Service
    }
}

fn top(file: &str) -> &str {
    file.split('/').next().unwrap_or(file).trim_end_matches(".rs")
}

/// `src/`'s files (paths relative to it) and which imports which.
struct Graph {
    edges: BTreeSet<(String, String)>,
}

impl Graph {
    fn read(src: &Path) -> Self {
        let mut files = BTreeMap::new();
        collect(src, src, &mut files);
        let modules: BTreeMap<Vec<String>, String> = files.keys().map(|f| (module_of(f), f.clone())).collect();
        let mut edges = BTreeSet::new();
        for (file, code) in &files {
            if file == "lib.rs" || file == "main.rs" {
                continue;
            }
            let here = module_of(file);
            for path in paths_in(code) {
                let mut segments: Vec<String> = path.split("::").map(String::from).collect();
                let absolute = match segments.first().map(String::as_str) {
                    Some("crate") => segments.split_off(1),
                    Some("super") => {
                        let mut base = here[..here.len().saturating_sub(1)].to_vec();
                        base.extend(segments.split_off(1));
                        base
                    }
                    _ => continue,
                };
                let target = (1..=absolute.len()).rev().find_map(|n| modules.get(&absolute[..n]));
                if let Some(target) = target.filter(|t| *t != file) {
                    edges.insert((file.clone(), target.clone()));
                }
            }
        }
        Self { edges }
    }

    /// Every circle among the edges `keep` keeps, each named by its files.
    fn circles(&self, keep: impl Fn(&str, &str) -> bool) -> Vec<String> {
        let mut next: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
        for (from, to) in &self.edges {
            if keep(from, to) {
                next.entry(from).or_default().push(to);
            }
        }
        // A file is in a circle when it reaches itself; one line per set of such files.
        let reach = |start: &str| {
            let mut seen = BTreeSet::new();
            let mut todo = vec![start];
            while let Some(f) = todo.pop() {
                for t in next.get(f).into_iter().flatten() {
                    if seen.insert(*t) {
                        todo.push(t);
                    }
                }
            }
            seen
        };
        let reached: BTreeMap<&str, BTreeSet<&str>> = next.keys().map(|f| (*f, reach(f))).collect();
        let mut circles = BTreeSet::new();
        for (f, seen) in &reached {
            if seen.contains(f) {
                let members: Vec<&str> =
                    seen.iter().copied().filter(|g| reached.get(g).is_some_and(|s| s.contains(f))).collect();
                circles.insert(members.join(" <-> "));
            }
        }
        circles.into_iter().collect()
    }
}

fn collect(root: &Path, dir: &Path, files: &mut BTreeMap<String, String>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            collect(root, &path, files);
        } else if path.extension().is_some_and(|e| e == "rs") {
            let name = path.strip_prefix(root).unwrap().to_string_lossy().replace('\\', "/");
            let code = std::fs::read_to_string(&path).unwrap();
            // Unit tests reach into their module's privates; they are not the module's imports.
            let code = code.split("#[cfg(test)]\nmod ").next().unwrap_or_default().to_owned();
            files.insert(name, code);
        }
    }
}

/// `auth/caller.rs` is `["auth", "caller"]`, `users/service/mod.rs` is `["users", "service"]`.
fn module_of(file: &str) -> Vec<String> {
    let mut segments: Vec<String> = file.trim_end_matches(".rs").split('/').map(String::from).collect();
    if segments.last().is_some_and(|s| s == "mod") {
        segments.pop();
    }
    segments
}

/// Every `crate::` and `super::` path in `code`, `use` trees spelled out; comments and
/// strings are not code.
fn paths_in(code: &str) -> Vec<String> {
    let code = without_comments_and_strings(code);
    let mut paths = Vec::new();
    let mut rest = code.as_str();
    while let Some(at) = ["crate::", "super::"].iter().filter_map(|p| rest.find(p)).min() {
        let before = rest[..at].chars().next_back();
        if before.is_some_and(|c| c.is_alphanumeric() || c == '_' || c == ':') {
            rest = &rest[at + 1..];
            continue;
        }
        let tail = &rest[at..];
        let len = tail
            .char_indices()
            .find(|(_, c)| !(c.is_alphanumeric() || "_:{}, \n\t*".contains(*c)))
            .map_or(tail.len(), |(i, _)| i);
        let (tree, consumed) = balanced(&tail[..len]);
        expand("", tree, &mut paths);
        rest = &tail[consumed.max(1)..];
    }
    paths
}

/// The longest prefix of `s` that is a path or a `use` tree with balanced braces.
fn balanced(s: &str) -> (&str, usize) {
    let mut depth = 0usize;
    for (i, c) in s.char_indices() {
        match c {
            '{' => depth += 1,
            '}' if depth == 0 => return (&s[..i], i),
            '}' => {
                depth -= 1;
                if depth == 0 {
                    return (&s[..=i], i + 1);
                }
            }
            ',' | ' ' | '\n' | '\t' if depth == 0 => return (&s[..i], i),
            _ => {}
        }
    }
    (s, s.len())
}

/// `a::{b, c::{d, e}}` → `a::b`, `a::c::d`, `a::c::e`.
fn expand(prefix: &str, tree: &str, out: &mut Vec<String>) {
    let tree = tree.trim();
    let Some(open) = tree.find('{') else {
        let path = format!("{prefix}{tree}");
        let path = path.trim_end_matches("::*").trim_end_matches("::self").trim_end_matches("::");
        if !path.is_empty() {
            out.push(path.to_owned());
        }
        return;
    };
    let head = format!("{prefix}{}", &tree[..open]);
    let inner = &tree[open + 1..tree.rfind('}').unwrap_or(tree.len())];
    let mut depth = 0usize;
    let mut start = 0;
    for (i, c) in inner.char_indices() {
        match c {
            '{' => depth += 1,
            '}' => depth -= 1,
            ',' if depth == 0 => {
                expand(&head, &inner[start..i], out);
                start = i + 1;
            }
            _ => {}
        }
    }
    expand(&head, &inner[start..], out);
}

fn without_comments_and_strings(code: &str) -> String {
    let chars: Vec<char> = code.chars().collect();
    let mut out = String::with_capacity(code.len());
    let mut i = 0;
    while i < chars.len() {
        match (chars[i], chars.get(i + 1).copied()) {
            ('/', Some('/')) => {
                while i < chars.len() && chars[i] != '\n' {
                    i += 1;
                }
            }
            ('/', Some('*')) => {
                let mut depth = 0;
                while i < chars.len() {
                    if chars[i] == '/' && chars.get(i + 1) == Some(&'*') {
                        depth += 1;
                        i += 2;
                    } else if chars[i] == '*' && chars.get(i + 1) == Some(&'/') {
                        depth -= 1;
                        i += 2;
                        if depth == 0 {
                            break;
                        }
                    } else {
                        i += 1;
                    }
                }
            }
            ('r', Some('#' | '"')) if i == 0 || !(chars[i - 1].is_alphanumeric() || chars[i - 1] == '_') => {
                let hashes = chars[i + 1..].iter().take_while(|c| **c == '#').count();
                if chars.get(i + 1 + hashes) != Some(&'"') {
                    out.push(chars[i]);
                    i += 1;
                    continue;
                }
                i += hashes + 2;
                while i < chars.len() && !(chars[i] == '"' && chars[i + 1..].iter().take(hashes).all(|c| *c == '#')) {
                    i += 1;
                }
                i += hashes + 1;
                out.push_str("\"\"");
            }
            ('"', _) => {
                i += 1;
                while i < chars.len() && chars[i] != '"' {
                    i += if chars[i] == '\\' { 2 } else { 1 };
                }
                i += 1;
                out.push_str("\"\"");
            }
            ('\'', Some(c)) if chars.get(i + 2) == Some(&'\'') || c == '\\' => {
                // A char literal ('"', '\''); a lifetime has no closing quote.
                i += 2;
                while i < chars.len() && chars[i] != '\'' {
                    i += 1;
                }
                i += 1;
            }
            (c, _) => {
                out.push(c);
                i += 1;
            }
        }
    }
    out
}
