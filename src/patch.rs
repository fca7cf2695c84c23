//! `Patch`: the three states of a nullable field in a change (keep, clear, set). Services
//! take it; the GraphQL layer makes it from `MaybeUndefined`.

/// A change to a nullable field: leave it, clear it, or set it.
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) enum Patch<T> {
    /// Omitted: unchanged.
    #[default]
    Keep,
    /// Explicit null: cleared.
    Clear,
    /// A new value.
    Set(T),
}
