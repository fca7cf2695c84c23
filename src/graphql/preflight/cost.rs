//! What a document costs, in one pass with each fragment costed once.

use std::collections::HashMap;

use async_graphql::parser::types::{ExecutableDocument, OperationType, Selection, SelectionSet};

use super::selection::selected;
use super::{AUTH_FIELDS, HASHING_FIELDS, INTROSPECTION_FIELDS, MAX_NESTING, Refused};
use crate::i18n::Message;

/// What one selection set costs once expanded.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
struct Cost {
    /// Selections, every spread expanded.
    size: u64,
    /// Aliases, every spread expanded.
    aliases: u64,
    /// Deepest nesting of data fields.
    depth: u32,
    /// Sign-in fields selected at this level (through fragments, at any nesting of them).
    auth: u64,
    /// Fields that hash a password, counted as `auth` is.
    hashes: u64,
}

impl Cost {
    fn add(&mut self, other: Cost) {
        self.size = self.size.saturating_add(other.size);
        self.aliases = self.aliases.saturating_add(other.aliases);
        self.depth = self.depth.max(other.depth);
        self.auth = self.auth.saturating_add(other.auth);
        self.hashes = self.hashes.saturating_add(other.hashes);
    }
}

/// One pass over one document, costing each fragment once.
struct Walk<'d> {
    doc: &'d ExecutableDocument,
    /// `None` while a fragment is being costed: meeting it again is a cycle.
    fragments: HashMap<&'d str, Option<Cost>>,
}

impl<'d> Walk<'d> {
    fn new(doc: &'d ExecutableDocument) -> Self {
        Self { doc, fragments: HashMap::with_capacity(doc.fragments.len()) }
    }

    fn set(&mut self, set: &'d SelectionSet, nesting: u32) -> Result<Cost, Refused> {
        if nesting > MAX_NESTING {
            return Err(Refused(Message::NestedTooDeep { max: MAX_NESTING as usize }));
        }
        let mut cost = Cost::default();
        for item in &set.items {
            match &item.node {
                Selection::Field(f) => {
                    let f = &f.node;
                    let name = f.name.node.as_str();
                    let inner = self.set(&f.selection_set.node, nesting + 1)?;
                    let depth = if INTROSPECTION_FIELDS.contains(&name) { 0 } else { inner.depth.saturating_add(1) };
                    cost.add(Cost {
                        size: inner.size.saturating_add(1),
                        aliases: inner.aliases.saturating_add(u64::from(f.alias.is_some())),
                        depth,
                        auth: u64::from(AUTH_FIELDS.contains(&name)),
                        hashes: u64::from(HASHING_FIELDS.contains(&name)),
                    });
                }
                Selection::InlineFragment(i) => {
                    let inner = self.set(&i.node.selection_set.node, nesting + 1)?;
                    cost.add(Cost { size: inner.size.saturating_add(1), ..inner });
                }
                Selection::FragmentSpread(s) => {
                    let inner = self.fragment(s.node.fragment_name.node.as_str(), nesting + 1)?;
                    cost.add(Cost { size: inner.size.saturating_add(1), ..inner });
                }
            }
        }
        Ok(cost)
    }

    fn fragment(&mut self, name: &'d str, nesting: u32) -> Result<Cost, Refused> {
        match self.fragments.get(name) {
            Some(Some(cost)) => return Ok(*cost),
            Some(None) => return Err(Refused(Message::FragmentCycle { name: name.to_owned() })),
            None => {}
        }
        // An unknown fragment costs nothing here; async-graphql reports it.
        let Some((key, def)) = self.doc.fragments.get_key_value(name) else { return Ok(Cost::default()) };
        self.fragments.insert(key.as_str(), None);
        let cost = self.set(&def.node.selection_set.node, nesting)?;
        self.fragments.insert(key.as_str(), Some(cost));
        Ok(cost)
    }
}

/// What one document costs. Size over every operation and fragment, each expanded: all of
/// them are validated, and validators expand spreads. Aliases, depth and sign-in fields of
/// the operation that runs.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct DocumentCost {
    /// Selections once expanded.
    pub size: u64,
    /// Aliases once expanded.
    pub aliases: u64,
    /// Deepest data-field nesting of any operation.
    pub depth: u32,
    /// Sign-in fields at the root of the selected mutation.
    pub auth: u64,
    /// Fields that hash a password at the root of the selected mutation.
    pub hashes: u64,
}

/// Costs a parsed document in one pass; a fragment cycle is refused.
pub(crate) fn cost(doc: &ExecutableDocument, operation_name: Option<&str>) -> Result<DocumentCost, Refused> {
    let mut walk = Walk::new(doc);
    let mut total = DocumentCost::default();
    let selected = selected(doc, operation_name).map(|(_, set)| std::ptr::from_ref(set));
    for (_, op) in doc.operations.iter() {
        let set = &op.node.selection_set.node;
        let c = walk.set(set, 0)?;
        total.size = total.size.saturating_add(c.size);
        total.depth = total.depth.max(c.depth);
        if selected == Some(std::ptr::from_ref(set)) {
            total.aliases = c.aliases;
            if op.node.ty == OperationType::Mutation {
                total.auth = c.auth;
                total.hashes = c.hashes;
            }
        }
    }
    for name in doc.fragments.keys() {
        let c = walk.fragment(name.as_str(), 0)?;
        total.size = total.size.saturating_add(c.size);
    }
    Ok(total)
}
