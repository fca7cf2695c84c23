//! Keyset pages: what a list needs to read one page, whatever the list. A page starts
//! after (or before) a position, a row's sort value and id, never at an offset, so any page
//! costs what the first costs and rows added meanwhile never shift it.

use uuid::Uuid;

/// Which way a page is read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Direction {
    /// Towards the end of the list (`first` / `after`).
    Forward,
    /// Towards its start (`last` / `before`).
    Backward,
}

/// A request for one page of a list sorted by a value of type `V` (then by id).
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Keyset<V> {
    /// How many rows.
    pub limit: u64,
    /// Which way.
    pub direction: Direction,
    /// The position to start from, exclusive: the sort value and id of a row.
    pub start: Option<(V, Uuid)>,
}
