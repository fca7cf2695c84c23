//! Relay cursor connections over keyset pagination: cursors are opaque, carry the sort
//! they were made for and the last row's (sort value, id), so a page costs the same
//! wherever it is and inserts never shift it.

use async_graphql::SimpleObject;
use base64::Engine as _;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::error::{AppError, FieldErrors};
use crate::i18n::Message;
pub(crate) use crate::keyset::Direction;
use crate::keyset::Keyset;

/// Page size when neither `first` nor `last` is given.
pub(crate) const DEFAULT_PAGE: u64 = 20;
/// Largest page.
pub(crate) const MAX_PAGE: u64 = 100;

/// Relay's `PageInfo`.
#[derive(SimpleObject, Debug, Clone, Default)]
pub(crate) struct PageInfo {
    /// More rows follow the last one returned.
    pub has_next_page: bool,
    /// Rows precede the first one returned.
    pub has_previous_page: bool,
    /// Cursor of the first row returned.
    pub start_cursor: Option<String>,
    /// Cursor of the last row returned.
    pub end_cursor: Option<String>,
}

impl PageInfo {
    /// Where a page read with `keyset` lies: `has_more` says rows lie beyond it in the
    /// direction it was read; a cursor to start from says rows lie before it.
    pub(crate) fn of<V>(
        keyset: &Keyset<V>,
        has_more: bool,
        start_cursor: Option<String>,
        end_cursor: Option<String>,
    ) -> Self {
        let (has_next_page, has_previous_page) = match keyset.direction {
            Direction::Forward => (has_more, keyset.start.is_some()),
            Direction::Backward => (keyset.start.is_some(), has_more),
        };
        Self { has_next_page, has_previous_page, start_cursor, end_cursor }
    }
}

/// A position in a sorted list: the sort it belongs to, the sort value, the row id.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct Cursor {
    /// The sort key's name.
    #[serde(rename = "s")]
    pub sort: String,
    /// The row's sort value, as text.
    #[serde(rename = "v")]
    pub value: String,
    /// The row's id (the tie-breaker).
    #[serde(rename = "i")]
    pub id: Uuid,
}

impl Cursor {
    /// The opaque form.
    pub(crate) fn encode(&self) -> String {
        let json = serde_json::to_vec(self).unwrap_or_default();
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(json)
    }

    /// Reads an opaque cursor made for `sort`; anything else is BAD_USER_INPUT on `field`.
    pub(crate) fn decode(s: &str, sort: &str, field: &'static str) -> Result<Self, AppError> {
        let bad = || AppError::bad_field(field, Message::InvalidCursor);
        let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD.decode(s).map_err(|_| bad())?;
        let cursor: Cursor = serde_json::from_slice(&bytes).map_err(|_| bad())?;
        if cursor.sort != sort {
            return Err(bad());
        }
        Ok(cursor)
    }
}

/// A validated page request, its cursor still opaque.
#[derive(Debug, Clone)]
pub(crate) struct Page {
    /// How many rows.
    pub limit: u64,
    /// Which way.
    pub direction: Direction,
    /// Where to start (exclusive), as given.
    pub cursor: Option<String>,
    /// The argument the cursor came from (`after` or `before`), for errors.
    pub cursor_field: &'static str,
}

impl Page {
    /// The keyset of a list sorted by `sort`: the cursor decoded (it must have been made for
    /// this sort) and its sort value read with `value`. Anything else is BAD_USER_INPUT on
    /// the argument the cursor came in.
    pub(crate) fn keyset<V>(&self, sort: &str, value: impl FnOnce(&str) -> Option<V>) -> Result<Keyset<V>, AppError> {
        let start = match &self.cursor {
            None => None,
            Some(raw) => {
                let cursor = Cursor::decode(raw, sort, self.cursor_field)?;
                let v = value(&cursor.value)
                    .ok_or_else(|| AppError::bad_field(self.cursor_field, Message::InvalidCursor))?;
                Some((v, cursor.id))
            }
        };
        Ok(Keyset { limit: self.limit, direction: self.direction, start })
    }

    /// Checks `first/after/last/before`: sizes 0..=100, one direction at a time.
    pub(crate) fn parse(
        first: Option<i32>,
        after: Option<String>,
        last: Option<i32>,
        before: Option<String>,
    ) -> Result<Self, AppError> {
        let mut errors = FieldErrors::new();
        let mut size = |name: &'static str, n: Option<i32>| match n {
            Some(n) if n < 0 || u64::try_from(n).unwrap_or(u64::MAX) > MAX_PAGE => {
                errors.entry(name).or_default().push(Message::PageSize { max: MAX_PAGE });
                None
            }
            other => other.and_then(|n| u64::try_from(n).ok()),
        };
        let first = size("first", first);
        let last = size("last", last);
        let backward = last.is_some() || before.is_some();
        if backward && (first.is_some() || after.is_some()) {
            errors.entry("last").or_default().push(Message::OneDirection);
        }
        if !errors.is_empty() {
            return Err(AppError::BadUserInput(errors));
        }
        Ok(if backward {
            Page {
                limit: last.unwrap_or(DEFAULT_PAGE),
                direction: Direction::Backward,
                cursor: before,
                cursor_field: "before",
            }
        } else {
            Page {
                limit: first.unwrap_or(DEFAULT_PAGE),
                direction: Direction::Forward,
                cursor: after,
                cursor_field: "after",
            }
        })
    }
}

/// Complexity of a page: its size times what each row asks for.
pub(crate) fn page_cost(first: Option<i32>, last: Option<i32>, child: usize) -> usize {
    let size = first.or(last).unwrap_or(20).clamp(1, 100);
    usize::try_from(size).unwrap_or(100).saturating_mul(child.max(1)).saturating_add(1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cursors_round_trip_and_belong_to_their_sort() {
        let c = Cursor { sort: "EMAIL_ASC".into(), value: "a@x.io".into(), id: Uuid::now_v7() };
        assert_eq!(Cursor::decode(&c.encode(), "EMAIL_ASC", "after").unwrap(), c);
        assert!(Cursor::decode(&c.encode(), "CREATED_AT_ASC", "after").is_err());
        assert!(Cursor::decode("not a cursor", "EMAIL_ASC", "after").is_err());
    }

    #[test]
    fn page_sizes_default_to_20_and_stop_at_100() {
        assert_eq!(Page::parse(None, None, None, None).unwrap().limit, 20);
        assert_eq!(Page::parse(Some(100), None, None, None).unwrap().limit, 100);
        assert!(Page::parse(Some(101), None, None, None).is_err());
        assert!(Page::parse(Some(-1), None, None, None).is_err());
        assert_eq!(Page::parse(None, None, Some(5), None).unwrap().direction, Direction::Backward);
        assert!(Page::parse(Some(5), None, Some(5), None).is_err());
    }
}
