//! Which operation a request selects, and what its root selects.

use async_graphql::Request;
use async_graphql::parser::types::{DocumentOperations, ExecutableDocument, OperationType, Selection, SelectionSet};

use super::MAX_NESTING;

/// The type of the operation a request selects, if it can be told.
pub(crate) fn operation_type(request: &mut Request) -> Option<OperationType> {
    let name = request.operation_name.clone();
    let doc = request.parsed_query().ok()?;
    selected(doc, name.as_deref()).map(|(ty, _)| ty)
}

/// What the root of a request's operation selects, for naming it in metrics.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum RootSelection<'a> {
    /// It does not parse, or names no operation of its document.
    Unknown,
    /// Only `__schema`, `__type`, `__typename`.
    Introspection,
    /// One root field (possibly many times, through fragments).
    One(&'a str),
    /// Several root fields.
    Several,
}

/// The root fields the request's operation selects, through inline fragments and spreads.
pub(crate) fn root_selection(request: &mut Request) -> RootSelection<'_> {
    fn walk<'d>(doc: &'d ExecutableDocument, set: &'d SelectionSet, found: &mut RootSelection<'d>, depth: u32) {
        if depth > MAX_NESTING || *found == RootSelection::Several {
            return;
        }
        for item in &set.items {
            match &item.node {
                Selection::Field(f) => {
                    let name = f.node.name.node.as_str();
                    *found = match *found {
                        _ if name.starts_with("__") => match *found {
                            RootSelection::Unknown => RootSelection::Introspection,
                            other => other,
                        },
                        RootSelection::Unknown | RootSelection::Introspection => RootSelection::One(name),
                        RootSelection::One(one) if one == name => RootSelection::One(one),
                        _ => RootSelection::Several,
                    };
                }
                Selection::InlineFragment(f) => walk(doc, &f.node.selection_set.node, found, depth + 1),
                Selection::FragmentSpread(s) => {
                    if let Some(f) = doc.fragments.get(&s.node.fragment_name.node) {
                        walk(doc, &f.node.selection_set.node, found, depth + 1);
                    }
                }
            }
        }
    }
    let name = request.operation_name.clone();
    let Ok(doc) = request.parsed_query() else { return RootSelection::Unknown };
    let Some((_, set)) = selected(doc, name.as_deref()) else { return RootSelection::Unknown };
    let mut found = RootSelection::Unknown;
    walk(doc, set, &mut found, 0);
    found
}

pub(super) fn selected<'d>(
    doc: &'d ExecutableDocument,
    operation_name: Option<&str>,
) -> Option<(OperationType, &'d SelectionSet)> {
    let op = match (&doc.operations, operation_name) {
        (DocumentOperations::Single(op), _) => Some(op),
        (DocumentOperations::Multiple(ops), Some(name)) => ops.get(name),
        (DocumentOperations::Multiple(ops), None) if ops.len() == 1 => ops.values().next(),
        (DocumentOperations::Multiple(_), None) => None,
    }?;
    Some((op.node.ty, &op.node.selection_set.node))
}
