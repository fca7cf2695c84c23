//! Checks made on the parsed documents before async-graphql sees them, so that nothing an
//! anonymous client sends can cost much: a bound on the batch length, fragment cycles
//! refused, and every document's expanded size, alias count, depth and sign-in fields
//! computed in one pass with each fragment costed once (memoised). A spread is followed
//! through its fragment's cost, never by walking the fragment again, so a document of
//! fragments that spread each other ten times a level costs what its text costs to read.

mod cost;
mod documents;
mod selection;

use async_graphql::BatchRequest;

pub(crate) use documents::Documents;
pub(crate) use selection::{RootSelection, operation_type, root_selection};

use crate::i18n::Message;

/// Root mutation fields that check a secret: at most one of them per HTTP request, so
/// aliases, fragments or batches cannot turn one request into many password guesses.
const AUTH_FIELDS: [&str; 5] = ["register", "login", "completeLogin", "finishPasskeyLogin", "refreshToken"];

/// Root mutation fields that hash or verify a password whenever they run: a request that
/// selects one waits at the hasher's door (`Hasher::admit`) before any of it runs.
const HASHING_FIELDS: [&str; 5] = ["login", "register", "changePassword", "resetPassword", "setUserPassword"];

/// Introspection fields: their nesting follows the schema's own type references
/// (`ofType { ofType { … } }`), so it is not counted against the depth limit; the
/// expanded-size budget still bounds them.
const INTROSPECTION_FIELDS: [&str; 2] = ["__schema", "__type"];

/// Nesting of selection sets and fragment spreads followed at once; deeper documents are
/// refused before this walk (or async-graphql's validators) could exhaust a stack.
const MAX_NESTING: u32 = 128;

/// The bounds a request must stay within.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Limits {
    /// Most requests in one batch.
    pub max_batch: usize,
    /// Most selections (fields, fragments, spreads) once every spread is expanded, summed
    /// over the whole batch.
    pub max_size: u64,
    /// Most aliases once every spread is expanded, summed over the whole batch.
    pub max_aliases: u64,
    /// Deepest nesting of data fields.
    pub max_depth: u32,
}

/// Why a request was refused before it ran.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Refused(pub Message);

/// Longest `operationName`: it names an operation of the document, and an honest name is
/// far shorter. Refused before anything keeps it.
pub(crate) const MAX_OPERATION_NAME_BYTES: usize = 256;

/// What the checks learnt about a batch that passed them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Checked {
    /// Some request of it hashes a password (see `HASHING_FIELDS`).
    pub hashes_password: bool,
}

/// Runs every check over a batch (or a single request), parsing each document once:
/// the parsed document stays in the request for the executor.
pub(crate) fn check(batch: &mut BatchRequest, limits: &Limits, documents: &Documents) -> Result<Checked, Refused> {
    if let BatchRequest::Batch(requests) = batch
        && requests.len() > limits.max_batch
    {
        return Err(Refused(Message::BatchTooLong { max: limits.max_batch }));
    }
    let mut size = 0u64;
    let mut aliases = 0u64;
    let mut auth = 0u64;
    let mut hashes = 0u64;
    for request in batch.iter_mut() {
        if request.operation_name.as_ref().is_some_and(|n| n.len() > MAX_OPERATION_NAME_BYTES) {
            return Err(Refused(Message::OperationNameTooLong { max: MAX_OPERATION_NAME_BYTES }));
        }
        if !nesting_within(&request.query, MAX_NESTING) {
            return Err(Refused(Message::NestedTooDeep { max: MAX_NESTING as usize }));
        }
        let Some(costed) = documents.costed(request)? else { continue };
        let c = costed.1;
        if c.depth > limits.max_depth {
            return Err(Refused(Message::NestedTooDeep { max: limits.max_depth as usize }));
        }
        size = size.saturating_add(c.size);
        aliases = aliases.saturating_add(c.aliases);
        auth = auth.saturating_add(c.auth);
        hashes = hashes.saturating_add(c.hashes);
    }
    if size > limits.max_size {
        return Err(Refused(Message::DocumentTooLarge { max: limits.max_size }));
    }
    if aliases > limits.max_aliases {
        return Err(Refused(Message::TooManyAliases { max: limits.max_aliases }));
    }
    if auth > 1 {
        return Err(Refused(Message::OneAuthOperation));
    }
    Ok(Checked { hashes_password: hashes > 0 })
}

/// Whether brackets in the text nest at most `max` deep (strings and comments skipped).
/// The parser descends recursively, so a megabyte of `{` must be refused before it runs.
fn nesting_within(text: &str, max: u32) -> bool {
    let bytes = text.as_bytes();
    let mut depth = 0u32;
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'{' | b'[' | b'(' => {
                depth += 1;
                if depth > max {
                    return false;
                }
            }
            b'}' | b']' | b')' => depth = depth.saturating_sub(1),
            b'#' => {
                while i < bytes.len() && bytes[i] != b'\n' && bytes[i] != b'\r' {
                    i += 1;
                }
            }
            b'"' if bytes[i..].starts_with(b"\"\"\"") => {
                i += 3;
                while i < bytes.len() && !bytes[i..].starts_with(b"\"\"\"") {
                    i += if bytes[i..].starts_with(b"\\\"\"\"") { 4 } else { 1 };
                }
                i += 2;
            }
            b'"' => {
                i += 1;
                while i < bytes.len() && bytes[i] != b'"' && bytes[i] != b'\n' {
                    i += if bytes[i] == b'\\' { 2 } else { 1 };
                }
            }
            _ => {}
        }
        i += 1;
    }
    true
}

#[cfg(test)]
mod tests {
    use super::cost::{DocumentCost, cost};
    use super::documents::{DOCUMENTS_KEPT_BYTES, footprint};
    use super::*;
    use async_graphql::Request;
    use async_graphql::parser::types::OperationType;

    const LIMITS: Limits = Limits { max_batch: 10, max_size: 2000, max_aliases: 30, max_depth: 12 };

    fn single(q: &str) -> BatchRequest {
        BatchRequest::Single(Request::new(q))
    }

    fn check_one(q: &str) -> Result<(), Refused> {
        check(&mut single(q), &LIMITS, &Documents::default()).map(drop)
    }

    fn doc_cost(q: &str) -> DocumentCost {
        cost(&async_graphql::parser::parse_query(q).unwrap(), None).unwrap()
    }

    #[test]
    fn one_auth_field_passes_and_two_are_refused() {
        assert!(
            check_one("mutation { login(input: {usernameOrEmail: \"a\", password: \"b\"}) { accessToken } }").is_ok()
        );
        let aliased = "mutation { a: login(input: {usernameOrEmail: \"a\", password: \"b\"}) { accessToken } b: login(input: {usernameOrEmail: \"a\", password: \"c\"}) { accessToken } }";
        assert_eq!(check_one(aliased), Err(Refused(Message::OneAuthOperation)));
        let via_fragment = "mutation { ...F login(input: {usernameOrEmail: \"a\", password: \"b\"}) { accessToken } } fragment F on Mutation { refreshToken(refreshToken: \"x\") { accessToken } }";
        assert_eq!(check_one(via_fragment), Err(Refused(Message::OneAuthOperation)));
        let mut batch = BatchRequest::Batch(vec![
            Request::new("mutation { login(input: {usernameOrEmail: \"a\", password: \"b\"}) { accessToken } }"),
            Request::new("mutation { login(input: {usernameOrEmail: \"a\", password: \"c\"}) { accessToken } }"),
        ]);
        assert_eq!(check(&mut batch, &LIMITS, &Documents::default()), Err(Refused(Message::OneAuthOperation)));
    }

    #[test]
    fn a_request_that_hashes_a_password_is_told_apart_before_it_runs() {
        let hashes = |q: &str| check(&mut single(q), &LIMITS, &Documents::default()).map(|c| c.hashes_password);
        let login = "login(input: {usernameOrEmail: \"a\", password: \"b\"}) { accessToken }";
        assert_eq!(hashes(&format!("mutation {{ {login} }}")), Ok(true));
        assert_eq!(hashes(&format!("mutation {{ logout {login} }}")), Ok(true));
        assert_eq!(hashes(&format!("mutation {{ ...F }} fragment F on Mutation {{ {login} }}")), Ok(true));
        assert_eq!(
            hashes("mutation { changePassword(input: {currentPassword: \"a\", newPassword: \"b\"}) }"),
            Ok(true)
        );
        assert_eq!(hashes("mutation { logout }"), Ok(false));
        assert_eq!(hashes("{ me { login: id } }"), Ok(false));
        let mut batch =
            BatchRequest::Batch(vec![Request::new("{ me { id } }"), Request::new(format!("mutation {{ {login} }}"))]);
        assert_eq!(check(&mut batch, &LIMITS, &Documents::default()).map(|c| c.hashes_password), Ok(true));
    }

    #[test]
    fn every_field_that_hashes_is_a_mutation_of_the_schema() {
        let sdl = crate::schema::sdl();
        let mutation =
            sdl.split("type Mutation {").nth(1).and_then(|rest| rest.split("\n}").next()).unwrap_or_default();
        for field in HASHING_FIELDS {
            let declared = mutation.lines().any(|l| l.trim_start().starts_with(&format!("{field}(")));
            assert!(declared, "{field} is not a mutation of the schema");
        }
    }

    #[test]
    fn auth_fields_are_counted_at_any_nesting_of_fragments() {
        let login = "login(input: {usernameOrEmail: \"a\", password: \"b\"}) { accessToken }";
        let wrapped =
            (0..9).fold(format!("{login} {login} {login}"), |inner, _| format!("... on Mutation {{ {inner} }}"));
        assert_eq!(doc_cost(&format!("mutation {{ {wrapped} }}")).auth, 3);
        let mut chain = format!("mutation {{ ...F0 }} fragment F10 on Mutation {{ {login} {login} {login} }}");
        for i in 0..10 {
            chain.push_str(&format!(" fragment F{i} on Mutation {{ ...F{} }}", i + 1));
        }
        assert_eq!(doc_cost(&chain).auth, 3);
        assert_eq!(check_one(&chain), Err(Refused(Message::OneAuthOperation)));
        // Only the root counts: a field that happens to be called `login` deeper down is not one.
        assert_eq!(doc_cost("{ me { login: id } }").auth, 0);
    }

    #[test]
    fn fragment_cycles_are_refused() {
        let q = "mutation { ...A } fragment A on Mutation { ...A ...A ...A ...A ...A ...A ...A ...A ...A ...A }";
        assert_eq!(check_one(q), Err(Refused(Message::FragmentCycle { name: "A".into() })));
        let q = "{ ...A } fragment A on Query { ...B } fragment B on Query { __typename ...A }";
        assert!(matches!(check_one(q), Err(Refused(Message::FragmentCycle { .. }))));
    }

    #[test]
    fn expanded_size_is_memoised_and_bounded() {
        // F0 spreads F1 eight times, F1 spreads F2 eight times, …: 8^8 selections once expanded.
        let mut q = String::from("{ ...F0 } fragment F8 on Query { __typename }");
        for i in 0..8 {
            let spreads = vec![format!("...F{}", i + 1); 8].join(" ");
            q.push_str(&format!(" fragment F{i} on Query {{ {spreads} }}"));
        }
        let c = doc_cost(&q);
        assert!(c.size > 16_000_000, "{c:?}");
        assert_eq!(check_one(&q), Err(Refused(Message::DocumentTooLarge { max: 2000 })));
        assert_eq!(
            doc_cost("{ a: __typename b: __typename }"),
            DocumentCost { size: 2, aliases: 2, depth: 1, auth: 0, hashes: 0 }
        );
    }

    #[test]
    fn aliases_are_bounded_once_expanded() {
        let q = format!("{{ {} }}", (0..31).map(|i| format!("a{i}: __typename")).collect::<Vec<_>>().join(" "));
        assert_eq!(check_one(&q), Err(Refused(Message::TooManyAliases { max: 30 })));
        let spread = "{ ...F ...F ...F ...F } fragment F on Query { a: __typename b: __typename c: __typename d: __typename e: __typename f: __typename g: __typename h: __typename }";
        assert_eq!(doc_cost(spread).aliases, 8 * 4, "four spreads of eight");
        assert!(check_one("{ a: __typename b: __typename }").is_ok());
    }

    #[test]
    fn depth_counts_data_fields_not_introspection() {
        let deep = format!("{{ {}__typename{} }}", "me { roles { ".repeat(6), " } }".repeat(6));
        assert_eq!(check_one(&deep), Err(Refused(Message::NestedTooDeep { max: 12 })));
        let of_type = format!("{{ __schema {{ types {{ {}name{} }} }} }}", "ofType { ".repeat(14), " }".repeat(14));
        assert!(check_one(&of_type).is_ok());
    }

    #[test]
    fn batches_are_bounded_in_length_and_as_a_whole() {
        let mut long = BatchRequest::Batch((0..11).map(|_| Request::new("{ __typename }")).collect());
        assert_eq!(check(&mut long, &LIMITS, &Documents::default()), Err(Refused(Message::BatchTooLong { max: 10 })));
        let aliases = format!("{{ {} }}", (0..10).map(|i| format!("a{i}: __typename")).collect::<Vec<_>>().join(" "));
        let mut many = BatchRequest::Batch((0..4).map(|_| Request::new(aliases.clone())).collect());
        assert_eq!(check(&mut many, &LIMITS, &Documents::default()), Err(Refused(Message::TooManyAliases { max: 30 })));
    }

    #[test]
    fn deeply_nested_text_is_refused_before_parsing() {
        let q = format!("{}{}", "{ a ".repeat(100_000), "}".repeat(100_000));
        assert_eq!(check_one(&q), Err(Refused(Message::NestedTooDeep { max: MAX_NESTING as usize })));
        assert!(nesting_within("{ a(s: \"{{{{{{{{\") # {{{{{{\n }", 2));
        assert!(nesting_within("{ a(s: \"\"\"{{{{{{\"\"\") }", 2));
    }

    #[test]
    fn an_over_long_operation_name_is_refused_before_anything_keeps_it() {
        let documents = Documents::default();
        let name = "Q".repeat(MAX_OPERATION_NAME_BYTES + 1);
        let mut long =
            BatchRequest::Single(Request::new(format!("query {name} {{ __typename }}")).operation_name(&name));
        assert_eq!(
            check(&mut long, &LIMITS, &documents),
            Err(Refused(Message::OperationNameTooLong { max: MAX_OPERATION_NAME_BYTES }))
        );
        assert_eq!(documents.bytes(), 0);
        let name = "Q".repeat(MAX_OPERATION_NAME_BYTES);
        let mut fits =
            BatchRequest::Single(Request::new(format!("query {name} {{ __typename }}")).operation_name(&name));
        assert!(check(&mut fits, &LIMITS, &documents).is_ok());
        assert!(documents.bytes() > 2 * MAX_OPERATION_NAME_BYTES, "the name and the text count");
    }

    #[test]
    fn kept_documents_are_bounded_by_the_bytes_they_hold() {
        // Two bytes of text a field: the parsed document is far larger than its text.
        let dense = format!("{{ {} }}", "a ".repeat(2000));
        let footprint = footprint(&async_graphql::parser::parse_query(&dense).unwrap());
        assert!(footprint > 20 * dense.len(), "{footprint} bytes parsed from {} of text", dense.len());
        let documents = Documents::default();
        let mut most = 0;
        for i in 0..3000 {
            let query = format!("query Q{i} {{ {} }}", "a ".repeat(200));
            assert!(check(&mut single(&query), &LIMITS, &documents).is_ok());
            most = most.max(documents.bytes());
        }
        assert!(most <= DOCUMENTS_KEPT_BYTES, "{most}");
        assert!(most > DOCUMENTS_KEPT_BYTES / 2, "the budget is used: {most}");
        // A document too large to keep is parsed every time instead.
        let huge = format!("{{ {} }}", "a ".repeat(20_000));
        let before = documents.bytes();
        let _ = check(&mut single(&huge), &LIMITS, &documents);
        assert_eq!(documents.bytes(), before);
    }

    #[test]
    fn the_selected_operation_type_is_found() {
        assert_eq!(operation_type(&mut Request::new("{ roles { id } }")), Some(OperationType::Query));
        assert_eq!(operation_type(&mut Request::new("mutation { logout }")), Some(OperationType::Mutation));
        let mut two = Request::new("query A { roles { id } } mutation B { logout }").operation_name("B");
        assert_eq!(operation_type(&mut two), Some(OperationType::Mutation));
    }
}
