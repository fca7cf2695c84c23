//! The toolkit every GraphQL feature uses: request context, error presentation, ids.
//! It imports no feature.

pub mod context;
pub mod errors;
pub mod scalars;
