//! The toolkit every GraphQL feature uses: request context, guards, error presentation,
//! ids, pagination and DataLoaders. It imports no feature.

pub(crate) mod context;
pub(crate) mod errors;
pub(crate) mod extensions;
pub(crate) mod guards;
pub(crate) mod loaders;
pub(crate) mod pagination;
pub(crate) mod preflight;
pub(crate) mod scalars;
