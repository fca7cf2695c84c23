//! Passkeys (WebAuthn) with webauthn-rs: registering, listing and removing them, and the
//! first half of a sign-in (its second half opens a session, in `account`).
//!
//! Every ceremony's state is a row of `passkey_challenges`, so any instance finishes what
//! another began; a finish takes its row with one conditional update, whatever the outcome
//! after it, so a challenge answers once. Every sign-in, with or without a name, is the
//! same ceremony (webauthn-rs's discoverable one): a name only adds `allowCredentials` to
//! the options, and the credential is then checked to be that account's.

use std::sync::Arc;

use chrono::{DateTime, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder,
    Set, SqlErr,
};
use serde_json::json;
use sha2::{Digest, Sha256};
use uuid::Uuid;
use webauthn_rs::fake::{FakePasskeyDistribution, WebauthnFakeCredentialGenerator};
use webauthn_rs::prelude::{
    AuthenticationResult, DiscoverableAuthentication, Passkey, PasskeyRegistration, PublicKeyCredential,
    RegisterPublicKeyCredential, Url, Webauthn, WebauthnBuilder, WebauthnError,
};

use crate::auth::audit::{AuditAction, Event, Origin};
use crate::auth::caller::Authenticated;
use crate::config::Config;
use crate::db::entities::{passkey, passkey_challenge};
use crate::db::spend_once;
use crate::email::notice::{self, Change, Credential};
use crate::error::{AppError, Entity, Result};
use crate::i18n::Message;
use crate::state::AppState;
use crate::users::service::lock_own;

/// How long a ceremony may take (also the `timeout` the browser is given).
const CHALLENGE_TTL: std::time::Duration = std::time::Duration::from_secs(300);

/// Most passkeys one account may hold.
pub(crate) const MAX_PER_USER: usize = 20;

/// Longest passkey name, in characters.
const NAME_MAX: usize = 100;

/// The relying party from GERBANG_WEBAUTHN_RP_ID / GERBANG_WEBAUTHN_ORIGINS, defaulting to
/// GERBANG_APP_URL's host and origin. None (passkeys off, with a warning) when the default
/// would be an IP address, which WebAuthn does not accept as a relying party; an explicit
/// setting that cannot work stops the start-up with one line naming the variable.
pub(crate) fn relying_party(config: &Config) -> anyhow::Result<Option<Arc<Webauthn>>> {
    let app = Url::parse(&config.app_url)?;
    let rp_id = match (&config.webauthn_rp_id, app.domain()) {
        (Some(id), _) => {
            let id = id.trim().trim_end_matches('.').to_ascii_lowercase();
            if id.is_empty() || id.parse::<std::net::IpAddr>().is_ok() || id.contains(['/', ':']) {
                anyhow::bail!("GERBANG_WEBAUTHN_RP_ID: expected a domain such as example.com, got {id:?}");
            }
            id
        }
        (None, Some(domain)) => domain.to_owned(),
        (None, None) => {
            tracing::warn!(
                app_url = %config.app_url,
                "passkeys are off: GERBANG_APP_URL's host is an IP address, which cannot be a WebAuthn relying party; set GERBANG_WEBAUTHN_RP_ID and GERBANG_WEBAUTHN_ORIGINS"
            );
            return Ok(None);
        }
    };
    let within = |origin: &Url| origin.domain().is_some_and(|d| d == rp_id || d.ends_with(&format!(".{rp_id}")));
    let origins: Vec<Url> = if config.webauthn_origins.is_empty() {
        // The console is served by gerbang itself (`/admin`): its origin may use passkeys too,
        // when it is within the relying party id (http://localhost:8000 for the quick start).
        let own = own_origin(config).filter(|own| within(own) && own.origin() != app.origin());
        std::iter::once(app.clone()).chain(own).collect()
    } else {
        config
            .webauthn_origins
            .iter()
            .map(|o| Url::parse(o).map_err(|e| anyhow::anyhow!("GERBANG_WEBAUTHN_ORIGINS: {o:?}: {e}")))
            .collect::<anyhow::Result<_>>()?
    };
    for origin in &origins {
        if !within(origin) {
            anyhow::bail!(
                "GERBANG_WEBAUTHN_ORIGINS: {} is not within the relying party id {rp_id:?} (GERBANG_WEBAUTHN_RP_ID)",
                origin.origin().ascii_serialization()
            );
        }
    }
    let mut builder = WebauthnBuilder::new(&rp_id, &origins[0])
        .map_err(|e| anyhow::anyhow!("GERBANG_WEBAUTHN_ORIGINS: {e}"))?
        .rp_name(&rp_id)
        .timeout(CHALLENGE_TTL);
    for origin in &origins[1..] {
        builder = builder.append_allowed_origin(origin);
    }
    Ok(Some(Arc::new(builder.build().map_err(|e| anyhow::anyhow!("GERBANG_WEBAUTHN_RP_ID: {e}"))?)))
}

/// Where gerbang's own pages are opened: GERBANG_PUBLIC_URL, else `localhost` at the listen
/// port when it listens on a loopback or every address.
fn own_origin(config: &Config) -> Option<Url> {
    if let Some(url) = &config.public_url {
        return Url::parse(url).ok();
    }
    let listen = config.listen;
    let local = listen.ip().is_loopback() || listen.ip().is_unspecified();
    (local && listen.port() != 0).then(|| Url::parse(&format!("http://localhost:{}", listen.port())).ok()).flatten()
}

fn rp(state: &AppState) -> Result<&Webauthn> {
    state.webauthn.as_deref().ok_or(AppError::Refused(crate::error::Refusal::PasskeysDisabled))
}

fn internal(what: &str, e: impl std::fmt::Display) -> AppError {
    AppError::Internal(anyhow::anyhow!("{what}: {e}"))
}

/// How a credential id is looked up.
fn credential_hash(raw_id: &[u8]) -> String {
    hex::encode(Sha256::digest(raw_id))
}

/// What a ceremony's begin hands the browser.
#[derive(Debug)]
pub(crate) struct Begun {
    /// The `challengeId` the finish names.
    pub id: Uuid,
    /// The options for `navigator.credentials.create()` / `.get()`, as webauthn-rs writes
    /// them (binary fields base64url).
    pub options: serde_json::Value,
}

/// The purposes a ceremony row can have.
const REGISTER: &str = "register";
const LOGIN: &str = "login";
/// A sign-in begun for a name without passkeys: it looks like any other, and no answer
/// finishes it.
const DECOY: &str = "decoy";

async fn store_challenge(
    db: &impl ConnectionTrait,
    user_id: Option<Uuid>,
    purpose: &str,
    state: String,
    now: DateTime<Utc>,
) -> Result<Uuid> {
    let id = Uuid::new_v4();
    passkey_challenge::ActiveModel {
        id: Set(id),
        user_id: Set(user_id),
        purpose: Set(purpose.to_owned()),
        state: Set(state),
        created_at: Set(now),
        expires_at: Set(now + CHALLENGE_TTL),
        spent_at: Set(None),
    }
    .insert(db)
    .await?;
    Ok(id)
}

/// Takes a live ceremony of `purpose` (and of `owner`, when given): one conditional update,
/// so of the requests presenting one challenge at the same moment exactly one gets it.
/// None when it is unknown, taken, expired, of another purpose or another user's.
async fn take_challenge(
    state: &AppState,
    challenge_id: &str,
    purpose: &str,
    owner: Option<Uuid>,
) -> Result<Option<passkey_challenge::Model>> {
    let Ok(id) = Uuid::parse_str(challenge_id.trim()) else { return Ok(None) };
    let now = state.now();
    let _turn = state.db.write_turn().await;
    let also = Condition::all()
        .add(passkey_challenge::Column::Purpose.eq(purpose))
        .add(passkey_challenge::Column::ExpiresAt.gt(now))
        .add_option(owner.map(|o| passkey_challenge::Column::UserId.eq(o)));
    let (id_column, spent_at) = (passkey_challenge::Column::Id, passkey_challenge::Column::SpentAt);
    if !spend_once(&state.db.conn, id_column, spent_at, id, also, now).await? {
        return Ok(None);
    }
    Ok(passkey_challenge::Entity::find_by_id(id).one(&state.db.conn).await?)
}

/// The caller's passkeys, oldest first.
async fn of_user(db: &impl ConnectionTrait, user_id: Uuid) -> Result<Vec<passkey::Model>> {
    Ok(passkey::Entity::find()
        .filter(passkey::Column::UserId.eq(user_id))
        .order_by_asc(passkey::Column::CreatedAt)
        .order_by_asc(passkey::Column::Id)
        .all(db)
        .await?)
}

/// The passkeys of several users (`User.passkeys` through a DataLoader), oldest first.
pub(crate) async fn of_users(
    db: &impl ConnectionTrait,
    user_ids: &[Uuid],
) -> Result<std::collections::HashMap<Uuid, Vec<passkey::Model>>, sea_orm::DbErr> {
    let rows = passkey::Entity::find()
        .filter(passkey::Column::UserId.is_in(user_ids.iter().copied()))
        .order_by_asc(passkey::Column::CreatedAt)
        .order_by_asc(passkey::Column::Id)
        .all(db)
        .await?;
    let mut out: std::collections::HashMap<Uuid, Vec<passkey::Model>> =
        user_ids.iter().map(|id| (*id, Vec::new())).collect();
    for row in rows {
        out.entry(row.user_id).or_default().push(row);
    }
    Ok(out)
}

fn parse_credential(row: &passkey::Model) -> Result<Passkey> {
    serde_json::from_str(&row.credential).map_err(|e| internal("a stored passkey does not parse", e))
}

/// A passkey's name: trimmed, 1 to 100 characters, no control characters.
fn parse_name(name: &str) -> Result<String> {
    let name = name.trim();
    let message = if name.is_empty() {
        Message::Required
    } else if name.chars().count() > NAME_MAX {
        Message::TooLong { max: NAME_MAX }
    } else if name.chars().any(char::is_control) {
        Message::InvalidCharacters
    } else {
        return Ok(name.to_owned());
    };
    Err(AppError::bad_field("name", message))
}

/// Begins registering a passkey for the caller: options for `navigator.credentials.create()`
/// asking for a discoverable credential (so it also signs in without a name) with user
/// verification, excluding the caller's passkeys. A newer begin replaces a pending one.
pub(crate) async fn begin_registration(
    state: &AppState,
    actor: &Authenticated,
    current: Option<&str>,
) -> Result<Begun> {
    let rp = rp(state)?;
    crate::users::service::prove_presence(state, actor, current).await?;
    let now = state.now();
    let txn = state.db.begin_write().await?;
    let me = lock_own(&*txn, actor).await?;
    let existing = of_user(&*txn, me.id).await?;
    if existing.len() >= MAX_PER_USER {
        return Err(AppError::Conflict { field: "passkeys", message: Message::TooManyPasskeys { max: MAX_PER_USER } });
    }
    let exclude = existing.iter().map(|p| parse_credential(p).map(|k| k.cred_id().clone())).collect::<Result<_>>()?;
    let name = me.username.as_deref().unwrap_or(&me.email);
    let display = me.display_name.as_deref().unwrap_or(name);
    let (mut options, registration) = rp
        .start_passkey_registration(me.id, name, display, Some(exclude))
        .map_err(|e| internal("starting a passkey registration", e))?;
    // webauthn-rs asks for a server-side credential; a passkey here is discoverable, so that
    // `beginPasskeyLogin` without a name finds it.
    if let Some(selection) = options.public_key.authenticator_selection.as_mut() {
        selection.resident_key = Some(webauthn_rs_proto::ResidentKeyRequirement::Required);
        selection.require_resident_key = true;
    }
    passkey_challenge::Entity::delete_many()
        .filter(passkey_challenge::Column::UserId.eq(me.id))
        .filter(passkey_challenge::Column::Purpose.eq(REGISTER))
        .exec(&*txn)
        .await?;
    let saved = serde_json::to_string(&registration).map_err(|e| internal("saving a registration", e))?;
    let id = store_challenge(&*txn, Some(me.id), REGISTER, saved, now).await?;
    txn.commit().await?;
    let options = serde_json::to_value(&options).map_err(|e| internal("writing registration options", e))?;
    Ok(Begun { id, options })
}

/// Finishes a registration with what `navigator.credentials.create()` returned: verified
/// against the challenge (origin, relying party, user verification), then kept under `name`.
pub(crate) async fn finish_registration(
    state: &AppState,
    actor: &Authenticated,
    challenge_id: &str,
    name: &str,
    credential: serde_json::Value,
) -> Result<passkey::Model> {
    let rp = rp(state)?;
    actor.person()?;
    let name = parse_name(name)?;
    let credential: RegisterPublicKeyCredential =
        serde_json::from_value(credential).map_err(|_| AppError::bad_field("credential", Message::PasskeyRejected))?;
    let Some(challenge) = take_challenge(state, challenge_id, REGISTER, Some(actor.user_id)).await? else {
        return Err(AppError::bad_field("challengeId", Message::InvalidChallenge));
    };
    let registration: PasskeyRegistration =
        serde_json::from_str(&challenge.state).map_err(|e| internal("a stored registration does not parse", e))?;
    let key = rp.finish_passkey_registration(&credential, &registration).map_err(|e| {
        tracing::debug!(error = %e, "passkey registration refused");
        AppError::bad_field("credential", Message::PasskeyRejected)
    })?;
    let now = state.now();
    let mut txn = state.db.begin_write().await?;
    let me = lock_own(&*txn, actor).await?;
    let held = passkey::Entity::find().filter(passkey::Column::UserId.eq(me.id)).count(&*txn).await?;
    if held >= MAX_PER_USER as u64 {
        return Err(AppError::Conflict { field: "passkeys", message: Message::TooManyPasskeys { max: MAX_PER_USER } });
    }
    let row = passkey::ActiveModel {
        id: Set(Uuid::now_v7()),
        user_id: Set(me.id),
        credential_id_hash: Set(credential_hash(key.cred_id().as_slice())),
        name: Set(name.clone()),
        credential: Set(serde_json::to_string(&key).map_err(|e| internal("saving a passkey", e))?),
        sign_count: Set(0),
        created_at: Set(now),
        last_used_at: Set(None),
        added_unverified: Set(!me.email_verified),
    }
    .insert(&*txn)
    .await
    .map_err(|e| match e.sql_err() {
        Some(SqlErr::UniqueConstraintViolation(_)) => {
            AppError::Conflict { field: "credential", message: Message::PasskeyTaken }
        }
        _ => e.into(),
    })?;
    Event::new(AuditAction::PasskeyAdded).user(me.id).details(json!({ "passkeyId": row.id, "name": name })).record(
        &mut txn,
        &Origin::of(actor),
        now,
    );
    notice::credential(&*txn, &me, Credential::Passkey(&name), Change::Added, now).await?;
    txn.commit().await?;
    state.outbox.wake();
    Ok(row)
}

/// Removes one of the caller's passkeys; NOT_FOUND for an id that is not one of them.
pub(crate) async fn remove(state: &AppState, actor: &Authenticated, id: Uuid) -> Result<Uuid> {
    actor.person()?;
    let now = state.now();
    let mut txn = state.db.begin_write().await?;
    let me = lock_own(&*txn, actor).await?;
    let found = passkey::Entity::find_by_id(id).filter(passkey::Column::UserId.eq(me.id)).one(&*txn).await?;
    let Some(key) = found else { return Err(AppError::NotFound(Entity::Passkey)) };
    passkey::Entity::delete_by_id(key.id).exec(&*txn).await?;
    Event::new(AuditAction::PasskeyRemoved).user(me.id).details(json!({ "passkeyId": id })).record(
        &mut txn,
        &Origin::of(actor),
        now,
    );
    notice::credential(&*txn, &me, Credential::Passkey(&key.name), Change::Removed, now).await?;
    txn.commit().await?;
    state.outbox.wake();
    Ok(id)
}

/// Deletes ceremonies that expired more than a day ago.
pub(crate) async fn prune(db: &impl ConnectionTrait, now: DateTime<Utc>) -> Result<u64> {
    let cutoff = now - chrono::Duration::days(1);
    let done = passkey_challenge::Entity::delete_many()
        .filter(passkey_challenge::Column::ExpiresAt.lt(cutoff))
        .exec(db)
        .await?;
    Ok(done.rows_affected)
}

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

#[cfg(test)]
mod tests {
    use super::*;

    fn config(app_url: &str, rp_id: Option<&str>, origins: &[&str]) -> Config {
        let mut c = Config::for_database("sqlite::memory:".parse().unwrap());
        c.app_url = app_url.into();
        c.webauthn_rp_id = rp_id.map(Into::into);
        c.webauthn_origins = origins.iter().map(|o| (*o).to_owned()).collect();
        c
    }

    #[test]
    fn the_relying_party_defaults_to_the_app_url() {
        let rp = relying_party(&config("http://localhost:5173", None, &[])).unwrap().unwrap();
        assert_eq!(rp.get_allowed_origins()[0].as_str(), "http://localhost:5173/");
    }

    #[test]
    fn the_console_served_at_localhost_may_use_passkeys_by_default() {
        let mut c = config("http://localhost:5173", None, &[]);
        c.listen = "127.0.0.1:8000".parse().unwrap();
        let rp = relying_party(&c).unwrap().unwrap();
        let origins: Vec<&str> = rp.get_allowed_origins().iter().map(Url::as_str).collect();
        assert_eq!(origins, ["http://localhost:5173/", "http://localhost:8000/"]);
        // A public URL outside the relying party is not added (and does not stop the start).
        c.public_url = Some("https://id.other.test".into());
        let rp = relying_party(&c).unwrap().unwrap();
        assert_eq!(rp.get_allowed_origins().len(), 1);
        // Named origins are taken as they are.
        c.webauthn_origins = vec!["http://localhost:5173".into()];
        c.public_url = None;
        assert_eq!(relying_party(&c).unwrap().unwrap().get_allowed_origins().len(), 1);
    }

    #[test]
    fn an_ip_address_turns_passkeys_off_unless_a_relying_party_is_named() {
        assert!(relying_party(&config("http://127.0.0.1:8080", None, &[])).unwrap().is_none());
        let named = relying_party(&config("http://127.0.0.1:8080", Some("example.com"), &["https://app.example.com"]));
        assert!(named.unwrap().is_some());
    }

    #[test]
    fn settings_that_cannot_work_name_their_variable() {
        let outside = relying_party(&config("https://app.example.com", Some("example.com"), &["https://evil.test"]));
        assert!(outside.unwrap_err().to_string().starts_with("GERBANG_WEBAUTHN_ORIGINS"));
        let ip = relying_party(&config("https://app.example.com", Some("10.0.0.1"), &[]));
        assert!(ip.unwrap_err().to_string().starts_with("GERBANG_WEBAUTHN_RP_ID"));
        // A parent domain is a valid relying party for an app on a subdomain.
        assert!(relying_party(&config("https://app.example.com", Some("example.com"), &[])).unwrap().is_some());
    }

    #[test]
    fn names_are_trimmed_and_bounded() {
        assert_eq!(parse_name("  YubiKey 5 ").unwrap(), "YubiKey 5");
        assert!(parse_name("   ").is_err());
        assert!(parse_name(&"x".repeat(101)).is_err());
        assert!(parse_name("a\u{7}b").is_err());
    }
}
