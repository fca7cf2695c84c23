//! Ids on the wire (opaque UUIDv7 strings; a malformed one is BAD_USER_INPUT) and
//! `Patch`, the three states of a nullable input field.

use async_graphql::ID;
use uuid::Uuid;

use crate::error::AppError;
use crate::i18n::Message;

/// Reads an `ID` argument or input field named `field`.
pub fn parse_id(id: &ID, field: &'static str) -> Result<Uuid, AppError> {
    Uuid::try_parse(id.as_str()).map_err(|_| AppError::bad_field(field, Message::InvalidId))
}

/// Writes an id.
pub fn to_id(id: Uuid) -> ID {
    ID(id.to_string())
}

/// A change to a nullable field: leave it, clear it, or set it.
#[derive(Debug, Clone, Default, PartialEq)]
pub enum Patch<T> {
    /// Omitted: unchanged.
    #[default]
    Keep,
    /// Explicit null: cleared.
    Clear,
    /// A new value.
    Set(T),
}

impl<T> Patch<T> {
    /// Reads a GraphQL input field, parsing a present value with `parse`.
    pub fn from_input<I, E>(
        input: async_graphql::MaybeUndefined<I>,
        parse: impl FnOnce(I) -> Result<T, E>,
    ) -> Result<Self, E> {
        Ok(match input {
            async_graphql::MaybeUndefined::Undefined => Self::Keep,
            async_graphql::MaybeUndefined::Null => Self::Clear,
            async_graphql::MaybeUndefined::Value(v) => Self::Set(parse(v)?),
        })
    }
}
