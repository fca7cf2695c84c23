//! The second factors an account can have.

/// A second factor.
#[derive(async_graphql::Enum, Debug, Clone, Copy, PartialEq, Eq)]
pub enum MfaMethod {
    /// A code from an authenticator app.
    Totp,
    /// A passkey (WebAuthn).
    Passkey,
    /// One of the ten one-time recovery codes.
    RecoveryCode,
}

impl MfaMethod {
    /// The GraphQL name, as `extensions.methods` of a login that needs a second step says it.
    pub(crate) fn name(self) -> &'static str {
        match self {
            Self::Totp => "TOTP",
            Self::Passkey => "PASSKEY",
            Self::RecoveryCode => "RECOVERY_CODE",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::MfaMethod;

    #[test]
    fn a_login_names_each_method_as_the_schema_does() {
        for method in [MfaMethod::Totp, MfaMethod::Passkey, MfaMethod::RecoveryCode] {
            assert_eq!(async_graphql::resolver_utils::enum_value(method).to_string(), method.name());
        }
    }
}
