//! Checks made on the parsed documents before anything runs: a bound on aliases, and at
//! most one of register/login/refreshToken per HTTP request (a batch counts as one), so
//! alias or batch brute force is refused before any password is checked.

use async_graphql::parser::types::{DocumentOperations, ExecutableDocument, OperationType, Selection, SelectionSet};
use async_graphql::{BatchRequest, Request};

use crate::i18n::Message;

/// Root mutation fields that check a secret.
const AUTH_FIELDS: [&str; 3] = ["register", "login", "refreshToken"];

/// Why a request was refused before it ran.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refused(pub Message);

/// Runs every check over a batch (or a single request).
pub fn check(batch: &BatchRequest, max_aliases: usize) -> Result<(), Refused> {
    let mut auth_fields = 0;
    for request in batch.iter() {
        // A document that does not parse is reported by the executor, with position.
        let Ok(doc) = async_graphql::parser::parse_query(&request.query) else { continue };
        if count_aliases(&doc) > max_aliases {
            return Err(Refused(Message::TooManyAliases { max: max_aliases }));
        }
        auth_fields += count_auth_fields(&doc, request);
    }
    if auth_fields > 1 {
        return Err(Refused(Message::OneAuthOperation));
    }
    Ok(())
}

/// The type of the operation a request selects, if it can be told.
pub fn operation_type(request: &Request) -> Option<OperationType> {
    let doc = async_graphql::parser::parse_query(&request.query).ok()?;
    selected(&doc, request).map(|(ty, _)| ty)
}

fn selected<'d>(doc: &'d ExecutableDocument, request: &Request) -> Option<(OperationType, &'d SelectionSet)> {
    let op = match (&doc.operations, request.operation_name.as_deref()) {
        (DocumentOperations::Single(op), _) => Some(op),
        (DocumentOperations::Multiple(ops), Some(name)) => ops.get(name),
        (DocumentOperations::Multiple(ops), None) if ops.len() == 1 => ops.values().next(),
        (DocumentOperations::Multiple(_), None) => None,
    }?;
    Some((op.node.ty, &op.node.selection_set.node))
}

fn count_aliases(doc: &ExecutableDocument) -> usize {
    fn walk(set: &SelectionSet) -> usize {
        set.items
            .iter()
            .map(|item| match &item.node {
                Selection::Field(f) => usize::from(f.node.alias.is_some()) + walk(&f.node.selection_set.node),
                Selection::InlineFragment(i) => walk(&i.node.selection_set.node),
                Selection::FragmentSpread(_) => 0,
            })
            .sum()
    }
    let ops: usize = doc.operations.iter().map(|(_, op)| walk(&op.node.selection_set.node)).sum();
    ops + doc.fragments.values().map(|f| walk(&f.node.selection_set.node)).sum::<usize>()
}

/// Auth fields at the root of the selected mutation, through fragments too.
fn count_auth_fields(doc: &ExecutableDocument, request: &Request) -> usize {
    fn walk(doc: &ExecutableDocument, set: &SelectionSet, depth: usize) -> usize {
        if depth > 8 {
            return 0;
        }
        set.items
            .iter()
            .map(|item| match &item.node {
                Selection::Field(f) => usize::from(AUTH_FIELDS.contains(&f.node.name.node.as_str())),
                Selection::InlineFragment(i) => walk(doc, &i.node.selection_set.node, depth + 1),
                Selection::FragmentSpread(s) => doc
                    .fragments
                    .get(&s.node.fragment_name.node)
                    .map_or(0, |f| walk(doc, &f.node.selection_set.node, depth + 1)),
            })
            .sum()
    }
    match selected(doc, request) {
        Some((OperationType::Mutation, set)) => walk(doc, set, 0),
        _ => 0,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn single(q: &str) -> BatchRequest {
        BatchRequest::Single(Request::new(q))
    }

    #[test]
    fn one_auth_field_passes_and_two_are_refused() {
        assert!(
            check(&single("mutation { login(input: {usernameOrEmail: \"a\", password: \"b\"}) { accessToken } }"), 30)
                .is_ok()
        );
        let aliased = "mutation { a: login(input: {usernameOrEmail: \"a\", password: \"b\"}) { accessToken } b: login(input: {usernameOrEmail: \"a\", password: \"c\"}) { accessToken } }";
        assert_eq!(check(&single(aliased), 30), Err(Refused(Message::OneAuthOperation)));
        let via_fragment = "mutation { ...F login(input: {usernameOrEmail: \"a\", password: \"b\"}) { accessToken } } fragment F on Mutation { refreshToken(refreshToken: \"x\") { accessToken } }";
        assert_eq!(check(&single(via_fragment), 30), Err(Refused(Message::OneAuthOperation)));
        let batch = BatchRequest::Batch(vec![
            Request::new("mutation { login(input: {usernameOrEmail: \"a\", password: \"b\"}) { accessToken } }"),
            Request::new("mutation { login(input: {usernameOrEmail: \"a\", password: \"c\"}) { accessToken } }"),
        ]);
        assert_eq!(check(&batch, 30), Err(Refused(Message::OneAuthOperation)));
    }

    #[test]
    fn aliases_are_bounded() {
        let q = format!("{{ {} }}", (0..31).map(|i| format!("a{i}: __typename")).collect::<Vec<_>>().join(" "));
        assert_eq!(check(&single(&q), 30), Err(Refused(Message::TooManyAliases { max: 30 })));
        assert!(check(&single("{ a: __typename b: __typename }"), 30).is_ok());
    }

    #[test]
    fn the_selected_operation_type_is_found() {
        assert_eq!(operation_type(&Request::new("{ roles { id } }")), Some(OperationType::Query));
        assert_eq!(operation_type(&Request::new("mutation { logout }")), Some(OperationType::Mutation));
        let two = Request::new("query A { roles { id } } mutation B { logout }").operation_name("B");
        assert_eq!(operation_type(&two), Some(OperationType::Mutation));
    }
}
