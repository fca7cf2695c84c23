//! The client a request came from.

/// Where a request came from: kept on the session a sign-in opens, for the user's own
/// review, and on audit events.
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct ClientInfo {
    /// `User-Agent`, cut to [`ClientInfo::MAX_USER_AGENT`] characters.
    pub user_agent: Option<String>,
    /// The client's address (see `GERBANG_TRUSTED_PROXIES`).
    pub ip: Option<String>,
}

impl ClientInfo {
    /// The longest user agent kept, in characters.
    pub(crate) const MAX_USER_AGENT: usize = 512;

    /// A request's client, its user agent cut to size.
    pub(crate) fn new(user_agent: Option<&str>, ip: Option<std::net::IpAddr>) -> Self {
        Self {
            user_agent: user_agent.map(|ua| ua.chars().take(Self::MAX_USER_AGENT).collect()),
            ip: ip.map(|ip| ip.to_string()),
        }
    }
}
