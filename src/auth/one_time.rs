//! Single-use secrets: mail-link tokens, `mfaToken`s, recovery codes and passkey ceremonies.
//! Each lives in its feature's own table, under its feature's rules (purposes, lifetimes,
//! what spending it does); what they share is here, once:
//!
//! - **making one**: [`Kind::generate`], one alphabet and length per kind, from the OS's
//!   random source; row ids from [`Table::new_id`];
//! - **storing it**: only its SHA-256 (hex), the same form API keys are kept in: a secret
//!   with this much entropy needs no slow hash, and a lookup is one index probe;
//! - **recognising it**: a presented value of the wrong shape is refused before any
//!   statement, so made-up input costs no read;
//! - **finding a live one** (unspent, unexpired): [`find_live`];
//! - **spending it once**: [`spend`] and [`take`] are one conditional `UPDATE … WHERE
//!   spent IS NULL`, so of the requests presenting one secret at the same moment exactly
//!   one wins; [`spend_all_of`] spends every unspent one of a user (a password changed);
//! - **forgetting it**: [`prune`] deletes rows a day past their expiry.
//!
//! A table is described by a [`Table`] constant below (its id, secret, owner, spent and
//! expiry columns); the functions take the description and the feature's own extra
//! conditions (`also`: a purpose, an owner). Another single-use secret fits the same way.
//! An OAuth authorization code is a [`Kind::Token`] row of its own table (code hash,
//! client, redirect URI, PKCE challenge, user, expiry, spent): the code is made with
//! `generate`, and exchanged with [`take`] (`also`: the client's id), so a code presented
//! twice is exchanged once. A stored refresh token rotates the same way: `take` the
//! presented one and insert its successor in one transaction; a `take` that finds nothing
//! where a spent row with that hash exists is reuse.

use base64::Engine as _;
use chrono::{DateTime, Utc};
use rand_core::{OsRng, RngCore as _};
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, Condition, ConnectionTrait, EntityTrait, QueryFilter, QuerySelect};
use uuid::Uuid;

use super::key_secret::hash;
use crate::db::entities::{email_token, mfa_challenge, passkey_challenge, recovery_code};
use crate::error::Result;

/// How one kind of secret is made and what a well-formed one looks like.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    /// 256 random bits, base64url without padding: 43 characters, as they are handed out
    /// (in a link, or as an `mfaToken`).
    Token,
    /// 60 random bits as 12 base32 characters (`a`–`z`, `2`–`7`), shown `xxxx-xxxx-xxxx`.
    /// Typed by people: compared in lower case, without the hyphens and spaces copied along.
    RecoveryCode,
}

/// The alphabet of recovery codes: RFC 4648 base32, in lower case.
const BASE32: &[u8; 32] = b"abcdefghijklmnopqrstuvwxyz234567";

/// Characters in a recovery code, without its hyphens.
const CODE_LEN: usize = 12;

/// Characters in a token: 32 bytes, base64url without padding.
const TOKEN_LEN: usize = 43;

/// A new secret: what is handed out once, and what is stored.
#[derive(Debug)]
pub(crate) struct Fresh {
    /// Shown to its holder once; never stored.
    pub secret: String,
    /// SHA-256 (hex) of its canonical form: the stored column.
    pub hash: String,
}

impl Kind {
    /// A new secret of this kind.
    pub(crate) fn generate(self) -> Fresh {
        // Hashed as `stored` would hash it back: a token as it is, a code without hyphens.
        let (secret, hash) = match self {
            Self::Token => {
                let mut bytes = [0u8; 32];
                OsRng.fill_bytes(&mut bytes);
                let token = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes);
                let hash = hash(&token);
                (token, hash)
            }
            Self::RecoveryCode => {
                let bits = OsRng.next_u64();
                let text: String =
                    (0..CODE_LEN).map(|i| char::from(BASE32[((bits >> (5 * i)) & 31) as usize])).collect();
                (format!("{}-{}-{}", &text[..4], &text[4..8], &text[8..]), hash(&text))
            }
        };
        Fresh { secret, hash }
    }

    /// The stored form of `presented`, or None when it cannot be a secret of this kind.
    pub(crate) fn stored(self, presented: &str) -> Option<String> {
        match self {
            Self::Token => {
                let well_formed = presented.len() == TOKEN_LEN
                    && presented.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
                well_formed.then(|| hash(presented))
            }
            Self::RecoveryCode => {
                let code: String =
                    presented.chars().filter(char::is_ascii_alphanumeric).map(|c| c.to_ascii_lowercase()).collect();
                let well_formed = code.len() == CODE_LEN && code.bytes().all(|b| BASE32.contains(&b));
                well_formed.then(|| hash(&code))
            }
        }
    }
}

/// What a presented value names its row by.
#[derive(Debug, Clone, Copy)]
enum Key<C> {
    /// The SHA-256 of a secret of this kind, kept in this column.
    Hash(Kind, C),
    /// The row's own id, a random UUID: the handle of a WebAuthn ceremony, whose secret is
    /// the challenge the authenticator signs (kept in the row's state), not the handle.
    Id,
}

/// One table of single-use secrets: which columns play which part.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Table<C> {
    id: C,
    key: Key<C>,
    owner: C,
    spent_at: C,
    /// None for secrets that never expire (recovery codes are replaced instead).
    expires_at: Option<C>,
}

/// `email_tokens`: verification, reset and email-change links.
pub(crate) const MAIL_LINKS: Table<email_token::Column> = Table {
    id: email_token::Column::Id,
    key: Key::Hash(Kind::Token, email_token::Column::SecretHash),
    owner: email_token::Column::UserId,
    spent_at: email_token::Column::SpentAt,
    expires_at: Some(email_token::Column::ExpiresAt),
};

/// `mfa_challenges`: the `mfaToken` between a password and a second factor.
pub(crate) const MFA_TOKENS: Table<mfa_challenge::Column> = Table {
    id: mfa_challenge::Column::Id,
    key: Key::Hash(Kind::Token, mfa_challenge::Column::TokenHash),
    owner: mfa_challenge::Column::UserId,
    spent_at: mfa_challenge::Column::SpentAt,
    expires_at: Some(mfa_challenge::Column::ExpiresAt),
};

/// `recovery_codes`: a TOTP user's ten codes for a lost authenticator.
pub(crate) const RECOVERY_CODES: Table<recovery_code::Column> = Table {
    id: recovery_code::Column::Id,
    key: Key::Hash(Kind::RecoveryCode, recovery_code::Column::CodeHash),
    owner: recovery_code::Column::UserId,
    spent_at: recovery_code::Column::UsedAt,
    expires_at: None,
};

/// `passkey_challenges`: WebAuthn ceremonies begun and not finished.
pub(crate) const PASSKEY_CEREMONIES: Table<passkey_challenge::Column> = Table {
    id: passkey_challenge::Column::Id,
    key: Key::Id,
    owner: passkey_challenge::Column::UserId,
    spent_at: passkey_challenge::Column::SpentAt,
    expires_at: Some(passkey_challenge::Column::ExpiresAt),
};

/// A row of the table a column belongs to.
type Row<C> = <<C as ColumnTrait>::EntityName as EntityTrait>::Model;

impl<C> Table<C>
where
    C: ColumnTrait,
    C::EntityName: EntityTrait,
{
    /// The id of a new row: random where the id is what is handed out, time-ordered
    /// (kinder to the index) where only a hash is looked up.
    pub(crate) fn new_id(&self) -> Uuid {
        match self.key {
            Key::Id => Uuid::new_v4(),
            Key::Hash(..) => Uuid::now_v7(),
        }
    }

    /// Whether `presented` has the shape of this table's secrets (no statement is made).
    pub(crate) fn recognises(&self, presented: &str) -> bool {
        self.naming(presented).is_some()
    }

    /// The row `presented` names, or None when it has the wrong shape.
    fn naming(&self, presented: &str) -> Option<Condition> {
        match self.key {
            Key::Hash(kind, column) => kind.stored(presented).map(|h| Condition::all().add(column.eq(h))),
            Key::Id => Uuid::parse_str(presented.trim()).ok().map(|id| Condition::all().add(self.id.eq(id))),
        }
    }

    /// Unspent, and unexpired at `now`.
    fn live(&self, now: DateTime<Utc>) -> Condition {
        Condition::all().add(self.spent_at.is_null()).add_option(self.expires_at.map(|c| c.gt(now)))
    }
}

/// The live row `presented` names that also matches `also`; read only, nothing is spent.
/// None, without a statement, when `presented` has the wrong shape.
pub(crate) async fn find_live<C>(
    db: &impl ConnectionTrait,
    table: &Table<C>,
    presented: &str,
    also: Condition,
    now: DateTime<Utc>,
) -> Result<Option<Row<C>>>
where
    C: ColumnTrait,
    C::EntityName: EntityTrait,
{
    let Some(named) = table.naming(presented) else { return Ok(None) };
    Ok(<C::EntityName as EntityTrait>::find().filter(named).filter(table.live(now)).filter(also).one(db).await?)
}

/// Spends row `id` if it is still live and matches `also`, with one conditional update:
/// of the requests spending one row at the same moment, exactly one is told true.
pub(crate) async fn spend<C>(
    db: &impl ConnectionTrait,
    table: &Table<C>,
    id: Uuid,
    also: Condition,
    now: DateTime<Utc>,
) -> Result<bool>
where
    C: ColumnTrait,
    C::EntityName: EntityTrait,
{
    let named = Condition::all().add(table.id.eq(id));
    spend_named(db, table, named, also, now).await
}

async fn spend_named<C>(
    db: &impl ConnectionTrait,
    table: &Table<C>,
    named: Condition,
    also: Condition,
    now: DateTime<Utc>,
) -> Result<bool>
where
    C: ColumnTrait,
    C::EntityName: EntityTrait,
{
    let done = <C::EntityName as EntityTrait>::update_many()
        .col_expr(table.spent_at, Expr::value(now))
        .filter(named)
        .filter(table.live(now))
        .filter(also)
        .exec(db)
        .await?;
    Ok(done.rows_affected == 1)
}

/// Spends the live row `presented` names (and `also` matches), then reads it: of the
/// requests presenting one secret at the same moment exactly one gets the row, whatever
/// it then does with it. None when it has the wrong shape (no statement), or is unknown,
/// spent, expired or does not match.
pub(crate) async fn take<C>(
    db: &impl ConnectionTrait,
    table: &Table<C>,
    presented: &str,
    also: Condition,
    now: DateTime<Utc>,
) -> Result<Option<Row<C>>>
where
    C: ColumnTrait,
    C::EntityName: EntityTrait,
{
    let Some(named) = table.naming(presented) else { return Ok(None) };
    if !spend_named(db, table, named.clone(), also, now).await? {
        return Ok(None);
    }
    Ok(<C::EntityName as EntityTrait>::find().filter(named).one(db).await?)
}

/// Spends every unspent row of `owner` that matches `also`. The caller holds the owner's
/// row lock, so the rows read here are all there are; they are then spent by primary key,
/// which on MariaDB locks just those rows (an update over the owner's index range would
/// lock gaps too, and two accounts' requests inserting into each other's gaps deadlock).
pub(crate) async fn spend_all_of<C>(
    txn: &impl ConnectionTrait,
    table: &Table<C>,
    owner: Uuid,
    also: Condition,
    now: DateTime<Utc>,
) -> Result<()>
where
    C: ColumnTrait,
    C::EntityName: EntityTrait,
{
    let ids: Vec<Uuid> = <C::EntityName as EntityTrait>::find()
        .select_only()
        .column(table.id)
        .filter(table.owner.eq(owner))
        .filter(table.spent_at.is_null())
        .filter(also)
        .into_tuple()
        .all(txn)
        .await?;
    if ids.is_empty() {
        return Ok(());
    }
    <C::EntityName as EntityTrait>::update_many()
        .col_expr(table.spent_at, Expr::value(now))
        .filter(table.id.is_in(ids))
        .filter(table.spent_at.is_null())
        .exec(txn)
        .await?;
    Ok(())
}

/// Deletes rows that expired more than a day ago (per-account limits look back an hour, so
/// a day keeps every row they count); rows that never expire stay.
pub(crate) async fn prune<C>(db: &impl ConnectionTrait, table: &Table<C>, now: DateTime<Utc>) -> Result<u64>
where
    C: ColumnTrait,
    C::EntityName: EntityTrait,
{
    let Some(expires_at) = table.expires_at else { return Ok(0) };
    let cutoff = now - chrono::Duration::days(1);
    let done = <C::EntityName as EntityTrait>::delete_many().filter(expires_at.lt(cutoff)).exec(db).await?;
    Ok(done.rows_affected)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_stored_form_is_the_sha256_of_the_canonical_secret_in_hex() {
        // Rows written before this module existed hold exactly this form; it must not move.
        let token = "a".repeat(TOKEN_LEN);
        assert_eq!(Kind::Token.stored(&token).unwrap(), hash(&token));
        assert_eq!(hash("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
        assert_eq!(Kind::RecoveryCode.stored(" ABCD-efgh-2345 ").unwrap(), hash("abcdefgh2345"));
    }

    #[test]
    fn generated_secrets_have_their_kinds_shape_and_differ() {
        let tokens: Vec<Fresh> = (0..20).map(|_| Kind::Token.generate()).collect();
        let codes: Vec<Fresh> = (0..20).map(|_| Kind::RecoveryCode.generate()).collect();
        for fresh in tokens.iter().chain(&codes) {
            assert_eq!(fresh.hash.len(), 64);
        }
        for t in &tokens {
            assert_eq!(t.secret.len(), TOKEN_LEN);
            assert_eq!(Kind::Token.stored(&t.secret).as_ref(), Some(&t.hash));
        }
        for c in &codes {
            let s = &c.secret;
            assert_eq!((s.len(), &s[4..5], &s[9..10]), (14, "-", "-"), "{s}");
            assert_eq!(Kind::RecoveryCode.stored(&s.to_uppercase()).as_ref(), Some(&c.hash), "typed in capitals");
        }
        let distinct: std::collections::BTreeSet<&str> = tokens.iter().chain(&codes).map(|f| f.hash.as_str()).collect();
        assert_eq!(distinct.len(), 40);
    }

    #[test]
    fn a_malformed_secret_has_no_stored_form() {
        let token = Kind::Token.generate().secret;
        for bad in [&token[1..], &format!("{token}x"), &format!("{}=", &token[1..]), &format!(" {}", &token[1..]), ""] {
            assert_eq!(Kind::Token.stored(bad), None, "{bad:?}");
        }
        // 0, 1, 8 and 9 are not base32; too short or too long is not a code.
        for bad in ["abcd-efgh-2340", "abcd-efgh-18", "abcd-efgh-2345-6", "", "------"] {
            assert_eq!(Kind::RecoveryCode.stored(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn only_a_handed_out_id_is_random() {
        assert_eq!(PASSKEY_CEREMONIES.new_id().get_version_num(), 4);
        assert_eq!(MAIL_LINKS.new_id().get_version_num(), 7);
        assert!(PASSKEY_CEREMONIES.naming(" 00000000-0000-4000-8000-000000000000 ").is_some());
        assert!(PASSKEY_CEREMONIES.naming("not-a-uuid").is_none());
        assert!(MFA_TOKENS.naming("short").is_none());
    }
}
