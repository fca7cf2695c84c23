//! async-graphql extensions that every request runs with.
//!
//! - [`SpecNulls`]: a field whose resolver (or guard) fails appears in `data` as `null`,
//!   with its error at its path, as the spec's "Handling Field Errors" says. async-graphql
//!   7.2.1 leaves the key out instead, which normalised-cache clients (Apollo, urql) read
//!   as a broken response. A failed non-null field makes its parent null, and so on up to
//!   the nearest nullable field (or `data` itself). Fixed here once, for every field.
//! - [`DryRun`]: parses and validates a request without running it, counting its
//!   complexity, so a batch is refused as a whole before any of it runs.

use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use async_graphql::extensions::{
    Extension, ExtensionContext, ExtensionFactory, NextExecute, NextResolve, NextValidation, ResolveInfo,
};
use async_graphql::{PathSegment, QueryPathNode, QueryPathSegment, Response, ServerError, ServerResult, Value};

/// Installs the per-request behaviour below.
pub(crate) struct RequestExtensions;

impl ExtensionFactory for RequestExtensions {
    fn create(&self) -> Arc<dyn Extension> {
        Arc::new(RequestExtension)
    }
}

struct RequestExtension;

/// The fields of one request that failed: their errors, and the non-null ones whose null
/// has not yet reached a nullable ancestor.
#[derive(Debug, Default)]
pub(crate) struct SpecNulls {
    any: AtomicBool,
    inner: Mutex<Failures>,
}

#[derive(Debug, Default)]
struct Failures {
    errors: Vec<ServerError>,
    /// Paths of non-null fields that failed (or were nulled by a child); their parents
    /// must become null.
    pending: Vec<Vec<PathSegment>>,
}

/// Marks a request that is only parsed and validated; the total complexity of every such
/// request sharing the counter adds up in it.
#[derive(Debug, Clone, Default)]
pub(crate) struct DryRun(pub Arc<AtomicUsize>);

fn nullable(ty: &str) -> bool {
    !ty.ends_with('!')
}

/// `[User!]!` → `User!`.
fn list_item(ty: &str) -> &str {
    let ty = ty.strip_suffix('!').unwrap_or(ty);
    ty.strip_prefix('[').and_then(|t| t.strip_suffix(']')).unwrap_or(ty)
}

fn path_of(node: &QueryPathNode<'_>) -> Vec<PathSegment> {
    let mut path: Vec<PathSegment> = std::iter::once(node)
        .chain(node.parents())
        .map(|n| match n.segment {
            QueryPathSegment::Index(i) => PathSegment::Index(i),
            QueryPathSegment::Name(name) => PathSegment::Field(name.to_owned()),
        })
        .collect();
    path.reverse();
    path
}

/// Nulls, inside `value` of type `ty`, what a failed non-null field below it takes with it.
/// `idxs` are the list positions between `value` and that field. Returns whether `value`
/// itself must become null.
fn null_out(value: &mut Value, ty: &str, idxs: &[usize]) -> bool {
    let Some((first, rest)) = idxs.split_first() else { return true };
    let item_ty = list_item(ty);
    let Value::List(items) = value else { return true };
    let Some(item) = items.get_mut(*first) else { return false };
    if !null_out(item, item_ty, rest) {
        return false;
    }
    if nullable(item_ty) {
        *item = Value::Null;
        false
    } else {
        true
    }
}

impl SpecNulls {
    fn lock(&self) -> std::sync::MutexGuard<'_, Failures> {
        self.inner.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// The value a failed field of type `ty` at `path` takes.
    fn null_for(&self, path: Vec<PathSegment>, ty: &str) -> Value {
        if !nullable(ty) {
            self.lock().pending.push(path);
        }
        Value::Null
    }

    fn failed(&self, path: Vec<PathSegment>, ty: &str, error: ServerError) -> Value {
        self.any.store(true, Ordering::Release);
        self.lock().errors.push(error);
        self.null_for(path, ty)
    }

    /// Applies the non-null failures directly below the field at `path` to its value.
    fn settle(&self, path: Vec<PathSegment>, ty: &str, mut value: Value) -> Value {
        let below: Vec<Vec<usize>> = {
            let mut failures = self.lock();
            let mut below = Vec::new();
            failures.pending.retain(|p| {
                let Some(rest) = p.strip_prefix(path.as_slice()) else { return true };
                let Some((PathSegment::Field(_), idxs)) = rest.split_last() else { return true };
                let idxs: Option<Vec<usize>> =
                    idxs.iter().map(|s| if let PathSegment::Index(i) = s { Some(*i) } else { None }).collect();
                match idxs {
                    Some(idxs) => {
                        below.push(idxs);
                        false
                    }
                    None => true,
                }
            });
            below
        };
        if below.into_iter().any(|idxs| null_out(&mut value, ty, &idxs)) {
            return self.null_for(path, ty);
        }
        value
    }

    /// Adds the collected errors to the response; a non-null root field that failed
    /// makes `data` null.
    pub(crate) fn finish(&self, response: &mut Response) {
        if !self.any.load(Ordering::Acquire) {
            return;
        }
        let mut failures = self.lock();
        if !failures.pending.is_empty() {
            response.data = Value::Null;
        }
        response.errors.append(&mut failures.errors);
    }
}

#[async_graphql::async_trait::async_trait]
impl Extension for RequestExtension {
    async fn validation(
        &self,
        ctx: &ExtensionContext<'_>,
        next: NextValidation<'_>,
    ) -> Result<async_graphql::ValidationResult, Vec<ServerError>> {
        let result = next.run(ctx).await?;
        if let Some(dry) = ctx.data_opt::<DryRun>() {
            dry.0.fetch_add(result.complexity, Ordering::Relaxed);
        }
        Ok(result)
    }

    async fn execute(
        &self,
        ctx: &ExtensionContext<'_>,
        operation_name: Option<&str>,
        next: NextExecute<'_>,
    ) -> Response {
        if ctx.data_opt::<DryRun>().is_some() {
            return Response::default();
        }
        next.run(ctx, operation_name).await
    }

    async fn resolve(
        &self,
        ctx: &ExtensionContext<'_>,
        info: ResolveInfo<'_>,
        next: NextResolve<'_>,
    ) -> ServerResult<Option<Value>> {
        let Some(nulls) = ctx.data_opt::<Arc<SpecNulls>>() else { return next.run(ctx, info).await };
        let (node, ty) = (info.path_node, info.return_type);
        match next.run(ctx, info).await {
            Ok(Some(value)) if nulls.any.load(Ordering::Acquire) => Ok(Some(nulls.settle(path_of(node), ty, value))),
            Ok(value) => Ok(value),
            Err(error) => Ok(Some(nulls.failed(path_of(node), ty, error))),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn list_items_and_nullability_are_read_from_type_names() {
        assert_eq!(list_item("[User!]!"), "User!");
        assert_eq!(list_item("[Role]"), "Role");
        assert_eq!(list_item("[[Int!]]!"), "[Int!]");
        assert!(nullable("User") && nullable("[User!]") && !nullable("[User]!"));
    }

    #[test]
    fn a_failed_non_null_item_nulls_its_list_up_to_a_nullable_level() {
        let mut list = Value::List(vec![Value::from(1), Value::from(2)]);
        assert!(!null_out(&mut list, "[User]!", &[1]), "a nullable item becomes null on its own");
        assert_eq!(list, Value::List(vec![Value::from(1), Value::Null]));
        let mut list = Value::List(vec![Value::from(1)]);
        assert!(null_out(&mut list, "[User!]", &[0]), "a non-null item takes the list with it");
    }
}
