//! The documents this instance keeps parsed and costed, bounded in bytes.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use async_graphql::Request;
use async_graphql::parser::types::{ExecutableDocument, Selection, SelectionSet};

use super::Refused;
use super::cost::{DocumentCost, cost};

/// Documents this instance has parsed and costed, by their text and operation name: clients
/// send the same few operations over and over, and parsing is most of what a small request
/// costs. Bounded by what it holds in bytes (the text, the name and the parsed document),
/// not by its number of entries: a parsed document can be a hundred times its text. When
/// full it starts over.
#[derive(Default)]
pub(crate) struct Documents(Mutex<Kept>);

#[derive(Default)]
struct Kept {
    documents: HashMap<DocumentKey, Costed>,
    /// What `documents` holds, in bytes (estimated).
    bytes: usize,
}

/// A document's text and the operation it selects.
type DocumentKey = (Box<str>, Option<Box<str>>);
/// A parsed document and what it costs.
type Costed = Arc<(ExecutableDocument, DocumentCost)>;

/// Most bytes the kept documents hold together.
pub(super) const DOCUMENTS_KEPT_BYTES: usize = 8 * 1024 * 1024;
/// Most bytes one kept document holds (larger ones are parsed every time).
const DOCUMENT_KEPT_BYTES: usize = 256 * 1024;
impl Documents {
    fn lock(&self) -> std::sync::MutexGuard<'_, Kept> {
        self.0.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// The document of `request`, parsed and costed once; `None` when it does not parse
    /// (the executor reports that, with positions).
    pub(super) fn costed(&self, request: &mut Request) -> Result<Option<Costed>, Refused> {
        let key = (request.query.as_str().into(), request.operation_name.as_deref().map(Into::into));
        let kept = self.lock().documents.get(&key).cloned();
        if let Some(found) = kept {
            request.set_parsed_query(found.0.clone());
            return Ok(Some(found));
        }
        let operation_name = request.operation_name.clone();
        let Ok(doc) = request.parsed_query() else { return Ok(None) };
        let costed = Arc::new((doc.clone(), cost(doc, operation_name.as_deref())?));
        let bytes = key.0.len()
            + key.1.as_ref().map_or(0, |n| n.len())
            + footprint(&costed.0)
            + 2 * std::mem::size_of::<(DocumentKey, Costed)>();
        if bytes <= DOCUMENT_KEPT_BYTES {
            let mut kept = self.lock();
            if kept.bytes + bytes > DOCUMENTS_KEPT_BYTES {
                *kept = Kept::default();
            }
            if kept.documents.insert(key, costed.clone()).is_none() {
                kept.bytes += bytes;
            }
        }
        Ok(Some(costed))
    }

    /// What the kept documents hold, in bytes (estimated).
    #[cfg(test)]
    pub(super) fn bytes(&self) -> usize {
        self.lock().bytes
    }
}

/// Roughly what a parsed document holds on the heap, in bytes: every node at its size
/// (vectors at twice their length, what growing by doubling may leave), every name and
/// string at its length. Walked once per node; nesting is bounded before parsing.
pub(super) fn footprint(doc: &ExecutableDocument) -> usize {
    use async_graphql::Positioned;
    use async_graphql::parser::types::{
        BaseType, Directive, FragmentDefinition, OperationDefinition, Type, VariableDefinition,
    };
    use async_graphql_value::{ConstValue, Name, Value};
    use std::mem::size_of;

    #[derive(Default)]
    struct Heap(usize);

    impl Heap {
        fn vec<T>(&mut self, items: &[T]) {
            self.0 += 2 * size_of::<T>() * items.len();
        }
        fn text(&mut self, text: &str) {
            // An `Arc<str>` name: two counters and the text.
            self.0 += 2 * size_of::<usize>() + text.len();
        }
        fn directives(&mut self, directives: &[Positioned<Directive>]) {
            self.vec(directives);
            for d in directives {
                self.text(&d.node.name.node);
                self.arguments(&d.node.arguments);
            }
        }
        fn arguments(&mut self, arguments: &[(Positioned<Name>, Positioned<Value>)]) {
            self.vec(arguments);
            for (name, value) in arguments {
                self.text(&name.node);
                self.value(&value.node);
            }
        }
        fn value(&mut self, value: &Value) {
            match value {
                Value::Variable(n) | Value::Enum(n) => self.text(n),
                Value::String(s) => self.0 += s.len(),
                Value::Binary(b) => self.0 += b.len(),
                Value::List(items) => {
                    self.vec(items);
                    items.iter().for_each(|v| self.value(v));
                }
                Value::Object(map) => {
                    self.0 += 2 * (size_of::<(Name, Value)>() + size_of::<usize>()) * map.len();
                    for (k, v) in map {
                        self.text(k);
                        self.value(v);
                    }
                }
                Value::Null | Value::Number(_) | Value::Boolean(_) => {}
            }
        }
        fn const_value(&mut self, value: &ConstValue) {
            match value {
                ConstValue::Enum(n) => self.text(n),
                ConstValue::String(s) => self.0 += s.len(),
                ConstValue::Binary(b) => self.0 += b.len(),
                ConstValue::List(items) => {
                    self.vec(items);
                    items.iter().for_each(|v| self.const_value(v));
                }
                ConstValue::Object(map) => {
                    self.0 += 2 * (size_of::<(Name, ConstValue)>() + size_of::<usize>()) * map.len();
                    for (k, v) in map {
                        self.text(k);
                        self.const_value(v);
                    }
                }
                ConstValue::Null | ConstValue::Number(_) | ConstValue::Boolean(_) => {}
            }
        }
        fn ty(&mut self, ty: &Type) {
            match &ty.base {
                BaseType::Named(n) => self.text(n),
                BaseType::List(inner) => {
                    self.0 += size_of::<Type>();
                    self.ty(inner);
                }
            }
        }
        fn variables(&mut self, variables: &[Positioned<VariableDefinition>]) {
            self.vec(variables);
            for v in variables {
                self.text(&v.node.name.node);
                self.ty(&v.node.var_type.node);
                self.directives(&v.node.directives);
                if let Some(d) = &v.node.default_value {
                    self.const_value(&d.node);
                }
            }
        }
        fn set(&mut self, set: &SelectionSet) {
            self.vec(&set.items);
            for item in &set.items {
                match &item.node {
                    Selection::Field(f) => {
                        let f = &f.node;
                        if let Some(alias) = &f.alias {
                            self.text(&alias.node);
                        }
                        self.text(&f.name.node);
                        self.arguments(&f.arguments);
                        self.directives(&f.directives);
                        self.set(&f.selection_set.node);
                    }
                    Selection::FragmentSpread(s) => {
                        self.text(&s.node.fragment_name.node);
                        self.directives(&s.node.directives);
                    }
                    Selection::InlineFragment(i) => {
                        if let Some(t) = &i.node.type_condition {
                            self.text(&t.node.on.node);
                        }
                        self.directives(&i.node.directives);
                        self.set(&i.node.selection_set.node);
                    }
                }
            }
        }
    }

    let mut heap = Heap(size_of::<ExecutableDocument>());
    for (name, op) in doc.operations.iter() {
        heap.0 += 2 * (size_of::<Name>() + size_of::<Positioned<OperationDefinition>>());
        if let Some(name) = name {
            heap.text(name);
        }
        heap.variables(&op.node.variable_definitions);
        heap.directives(&op.node.directives);
        heap.set(&op.node.selection_set.node);
    }
    for (name, fragment) in &doc.fragments {
        heap.0 += 2 * (size_of::<Name>() + size_of::<Positioned<FragmentDefinition>>());
        heap.text(name);
        heap.text(&fragment.node.type_condition.node.on.node);
        heap.directives(&fragment.node.directives);
        heap.set(&fragment.node.selection_set.node);
    }
    heap.0
}
