//! Ids on the wire: opaque UUIDv7 strings. A malformed one is BAD_USER_INPUT.

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
