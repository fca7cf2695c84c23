//! Ids on the wire: opaque UUIDv7 strings; a malformed one is BAD_USER_INPUT.

use async_graphql::{ID, MaybeUndefined};
use uuid::Uuid;

use crate::error::AppError;
use crate::i18n::Message;
use crate::patch::Patch;

/// Reads an `ID` argument or input field named `field`.
pub(crate) fn parse_id(id: &ID, field: &'static str) -> Result<Uuid, AppError> {
    Uuid::try_parse(id.as_str()).map_err(|_| AppError::bad_field(field, Message::InvalidId))
}

/// Writes an id.
pub(crate) fn to_id(id: Uuid) -> ID {
    ID(id.to_string())
}

/// Reads a nullable input field of a change: omitted keeps, `null` clears, a value (parsed
/// with `parse`) sets.
pub(crate) fn patch<I, T, E>(input: MaybeUndefined<I>, parse: impl FnOnce(I) -> Result<T, E>) -> Result<Patch<T>, E> {
    Ok(match input {
        MaybeUndefined::Undefined => Patch::Keep,
        MaybeUndefined::Null => Patch::Clear,
        MaybeUndefined::Value(v) => Patch::Set(parse(v)?),
    })
}
