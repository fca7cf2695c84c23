//! A sign-in with a passkey: its options, and checking the authenticator's answer.

use chrono::{DateTime, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};
use uuid::Uuid;
use webauthn_rs::fake::{FakePasskeyDistribution, WebauthnFakeCredentialGenerator};
use webauthn_rs::prelude::{
    AuthenticationResult, DiscoverableAuthentication, Passkey, PublicKeyCredential, WebauthnError,
};

use super::{
    Begun, DECOY, LOGIN, credential_hash, internal, of_user, parse_credential, rp, store_challenge, take_challenge,
};
use crate::db::entities::passkey;
use crate::error::{AppError, Result};
use crate::i18n::Message;
use crate::state::AppState;

/// Begins a sign-in: options for `navigator.credentials.get()`. With a name, they list that
/// account's passkeys; for a name with no account, an inactive account or one without
/// passkeys they list made-up credential ids, the same ones every time for that name
/// (webauthn-rs's generator keyed by a server secret), so the answer does not tell which
/// names exist. Without a name the browser offers the passkeys it holds for this site.
pub(crate) async fn begin_login(state: &AppState, username_or_email: Option<&str>) -> Result<Begun> {
    let rp = rp(state)?;
    let (mut options, ceremony) =
        rp.start_discoverable_authentication().map_err(|e| internal("starting a passkey sign-in", e))?;
    // webauthn-rs marks this ceremony for the autofill UI; the SPA decides
    // (`mediation: "conditional"` for autofill, nothing for a sign-in button).
    options.mediation = None;
    let (mut owner, mut purpose) = (None, LOGIN);
    if let Some(name) = username_or_email.map(|n| n.trim().to_lowercase()).filter(|n| !n.is_empty()) {
        let found = crate::users::service::by_identifier(&state.db.conn, &name).await?;
        let keys = match &found {
            Some(u) if u.is_active => of_user(&state.db.conn, u.id).await?,
            _ => Vec::new(),
        };
        let ids: Vec<Vec<u8>> = if keys.is_empty() {
            purpose = DECOY;
            let key = state.secrets.throttle.mac(&[b"webauthn fake credential ids"]);
            WebauthnFakeCredentialGenerator::<FakePasskeyDistribution>::new(&key)
                .and_then(|g| g.generate(name.as_bytes()))
                .map_err(|e| internal("making up credential ids", e))?
                .into_iter()
                .map(|id| id.to_vec())
                .collect()
        } else {
            owner = found.map(|u| u.id);
            keys.iter().map(|k| parse_credential(k).map(|p| p.cred_id().to_vec())).collect::<Result<_>>()?
        };
        options.public_key.allow_credentials = ids
            .into_iter()
            .map(|id| webauthn_rs_proto::AllowCredentials { type_: "public-key".into(), id, transports: None })
            .collect();
    }
    let saved = serde_json::to_string(&ceremony).map_err(|e| internal("saving a sign-in", e))?;
    let id = {
        let _turn = state.db.write_turn().await;
        store_challenge(&state.db.conn, owner, purpose, saved, state.now()).await?
    };
    let options = serde_json::to_value(&options).map_err(|e| internal("writing sign-in options", e))?;
    Ok(Begun { id, options })
}

/// Why a passkey did not sign anyone in (the audit log's `reason`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Refusal {
    /// No registered passkey has this credential id.
    UnknownPasskey,
    /// The passkey is not the named account's, or the authenticator names another user.
    OtherUser,
    /// The signature counter did not advance: the key may have been copied.
    CounterRegressed,
    /// Origin, challenge, signature or flags did not verify.
    Rejected,
}

impl Refusal {
    /// How the audit log names it.
    pub(crate) fn reason(self) -> &'static str {
        match self {
            Self::UnknownPasskey => "unknownPasskey",
            Self::OtherUser => "passkeyOfAnotherUser",
            Self::CounterRegressed => "passkeyCounterRegressed",
            Self::Rejected => "passkeyRejected",
        }
    }
}

/// A verified passkey assertion, not yet recorded.
#[derive(Debug)]
pub(crate) struct Verified {
    /// The passkey's row.
    pub passkey: passkey::Model,
    /// The credential with its counter and flags advanced.
    credential: Passkey,
    /// The counter the authenticator reported.
    counter: u32,
}

/// The outcome of checking an assertion against a taken ceremony.
#[derive(Debug)]
pub(crate) enum Assertion {
    /// The ceremony is unknown, used or expired.
    NoChallenge,
    /// The passkey (if one was found) did not verify.
    Refused(Option<passkey::Model>, Refusal),
    /// It verified.
    Verified(Box<Verified>),
}

/// Takes the ceremony `challenge_id` names and checks `credential` (what
/// `navigator.credentials.get()` returned) against it and the stored passkey.
pub(crate) async fn verify_login(
    state: &AppState,
    challenge_id: &str,
    credential: serde_json::Value,
) -> Result<Assertion> {
    let rp = rp(state)?;
    let credential: PublicKeyCredential =
        serde_json::from_value(credential).map_err(|_| AppError::bad_field("credential", Message::PasskeyRejected))?;
    let Some(challenge) = take_challenge(state, challenge_id, LOGIN, None).await? else {
        return Ok(Assertion::NoChallenge);
    };
    let ceremony: DiscoverableAuthentication =
        serde_json::from_str(&challenge.state).map_err(|e| internal("a stored sign-in does not parse", e))?;
    let found = passkey::Entity::find()
        .filter(passkey::Column::CredentialIdHash.eq(credential_hash(credential.get_credential_id())))
        .one(&state.db.conn)
        .await?;
    let Some(row) = found else { return Ok(Assertion::Refused(None, Refusal::UnknownPasskey)) };
    // The named account's passkey, and the user the authenticator names (a discoverable
    // credential names its user; without a name it must).
    let handle = credential.get_user_unique_id().map(Uuid::from_slice);
    let owner_ok = challenge.user_id.is_none_or(|u| u == row.user_id);
    let handle_ok = match handle {
        Some(Ok(u)) => u == row.user_id,
        Some(Err(_)) => false,
        None => challenge.user_id.is_some(),
    };
    if !owner_ok || !handle_ok {
        return Ok(Assertion::Refused(Some(row), Refusal::OtherUser));
    }
    let mut key = parse_credential(&row)?;
    let result: AuthenticationResult = match rp.finish_discoverable_authentication_v2(&credential, ceremony, &key) {
        Ok(r) => r,
        Err(WebauthnError::CredentialPossibleCompromise) => {
            return Ok(Assertion::Refused(Some(row), Refusal::CounterRegressed));
        }
        Err(e) => {
            tracing::debug!(error = %e, "passkey sign-in refused");
            return Ok(Assertion::Refused(Some(row), Refusal::Rejected));
        }
    };
    key.update_credential(&result);
    Ok(Assertion::Verified(Box::new(Verified { passkey: row, credential: key, counter: result.counter() })))
}

/// Records a verified use in the sign-in's transaction: the counter advanced with one
/// conditional update (false when a use at the same moment advanced it as far first, as two
/// copies of one key would), the credential's flags and `lastUsedAt`.
pub(crate) async fn spend(txn: &impl ConnectionTrait, used: &Verified, now: DateTime<Utc>) -> Result<bool> {
    let counter = i64::from(used.counter);
    let saved = serde_json::to_string(&used.credential).map_err(|e| internal("saving a passkey", e))?;
    let mut update = passkey::Entity::update_many()
        .col_expr(passkey::Column::Credential, Expr::value(saved))
        .col_expr(passkey::Column::LastUsedAt, Expr::value(now))
        .filter(passkey::Column::Id.eq(used.passkey.id));
    if counter > 0 {
        update = update
            .col_expr(passkey::Column::SignCount, Expr::value(counter))
            .filter(passkey::Column::SignCount.lt(counter));
    } else {
        // An authenticator that keeps no counter (synced passkeys report 0) keeps none.
        update = update.filter(passkey::Column::SignCount.eq(0));
    }
    Ok(update.exec(txn).await?.rows_affected == 1)
}
