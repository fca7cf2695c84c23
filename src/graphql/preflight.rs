//! Checks made on the parsed documents before async-graphql sees them, so that nothing an
//! anonymous client sends can cost much: a bound on the batch length, fragment cycles
//! refused, and every document's expanded size, alias count, depth and sign-in fields
//! computed in one pass with each fragment costed once (memoised). A spread is followed
//! through its fragment's cost, never by walking the fragment again, so a document of
//! fragments that spread each other ten times a level costs what its text costs to read.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use async_graphql::parser::types::{DocumentOperations, ExecutableDocument, OperationType, Selection, SelectionSet};
use async_graphql::{BatchRequest, Request};

use crate::i18n::Message;

/// Root mutation fields that check a secret: at most one of them per HTTP request, so
/// aliases, fragments or batches cannot turn one request into many password guesses.
const AUTH_FIELDS: [&str; 5] = ["register", "login", "completeLogin", "finishPasskeyLogin", "refreshToken"];

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
}

impl Cost {
    fn add(&mut self, other: Cost) {
        self.size = self.size.saturating_add(other.size);
        self.aliases = self.aliases.saturating_add(other.aliases);
        self.depth = self.depth.max(other.depth);
        self.auth = self.auth.saturating_add(other.auth);
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
            }
        }
    }
    for name in doc.fragments.keys() {
        let c = walk.fragment(name.as_str(), 0)?;
        total.size = total.size.saturating_add(c.size);
    }
    Ok(total)
}

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
const DOCUMENTS_KEPT_BYTES: usize = 8 * 1024 * 1024;
/// Most bytes one kept document holds (larger ones are parsed every time).
const DOCUMENT_KEPT_BYTES: usize = 256 * 1024;
/// Longest `operationName`: it names an operation of the document, and an honest name is
/// far shorter. Refused before anything keeps it.
pub(crate) const MAX_OPERATION_NAME_BYTES: usize = 256;

impl Documents {
    fn lock(&self) -> std::sync::MutexGuard<'_, Kept> {
        self.0.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// The document of `request`, parsed and costed once; `None` when it does not parse
    /// (the executor reports that, with positions).
    fn costed(&self, request: &mut Request) -> Result<Option<Costed>, Refused> {
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
    fn bytes(&self) -> usize {
        self.lock().bytes
    }
}

/// Roughly what a parsed document holds on the heap, in bytes: every node at its size
/// (vectors at twice their length, what growing by doubling may leave), every name and
/// string at its length. Walked once per node; nesting is bounded before parsing.
fn footprint(doc: &ExecutableDocument) -> usize {
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

/// Runs every check over a batch (or a single request), parsing each document once:
/// the parsed document stays in the request for the executor.
pub(crate) fn check(batch: &mut BatchRequest, limits: &Limits, documents: &Documents) -> Result<(), Refused> {
    if let BatchRequest::Batch(requests) = batch
        && requests.len() > limits.max_batch
    {
        return Err(Refused(Message::BatchTooLong { max: limits.max_batch }));
    }
    let mut size = 0u64;
    let mut aliases = 0u64;
    let mut auth = 0u64;
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
    Ok(())
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

fn selected<'d>(
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

#[cfg(test)]
mod tests {
    use super::*;

    const LIMITS: Limits = Limits { max_batch: 10, max_size: 2000, max_aliases: 30, max_depth: 12 };

    fn single(q: &str) -> BatchRequest {
        BatchRequest::Single(Request::new(q))
    }

    fn check_one(q: &str) -> Result<(), Refused> {
        check(&mut single(q), &LIMITS, &Documents::default())
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
            DocumentCost { size: 2, aliases: 2, depth: 1, auth: 0 }
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
