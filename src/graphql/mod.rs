//! The toolkit every GraphQL feature uses: request context, guards, error presentation,
//! ids, pagination and DataLoaders. It imports no feature.

pub mod context;
pub mod errors;
pub mod extensions;
pub mod guards;
pub mod loaders;
pub mod pagination;
pub mod preflight;
pub mod scalars;
