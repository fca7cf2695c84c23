//! Bench-only helpers behind hidden subcommands (`gerbang bench-seed`, `gerbang bench-hash`),
//! used by `bench/run`. Not part of the service.

use std::time::{Duration, Instant};

use anyhow::Context as _;
use sea_orm::{ActiveModelTrait, EntityTrait, Set};
use secrecy::SecretString;
use uuid::Uuid;

use crate::auth::password::Hasher;
use crate::clock::{Clock, SystemClock};
use crate::config::Config;
use crate::db::entities::{role, user, user_role};
use crate::db::{self, Db};
use crate::roles;
use crate::users::service::search_text;

const GIVEN: [&str; 16] = [
    "Budi", "Siti", "Agus", "Dewi", "Eko", "Fitri", "Joko", "Ani", "Rudi", "Sri", "Wahyu", "Putri", "Hendra",
    "Lestari", "Bambang", "Rina",
];
const FAMILY: [&str; 16] = [
    "Santoso", "Wijaya", "Saputra", "Kusuma", "Hidayat", "Pratama", "Nugroho", "Setiawan", "Gunawan", "Halim",
    "Susanto", "Purnomo", "Siregar", "Nasution", "Tanjung", "Lubis",
];

/// The password every seeded user has.
pub(crate) const SEED_PASSWORD: &str = "bench passphrase for everyone";

/// Inserts `users` users (`bench{i}`, `bench{i}@bench.test`), each with one to three roles,
/// in batched transactions with one precomputed password hash. Returns the time taken.
pub(crate) async fn seed(config: &Config, users: u64, batch: u64) -> anyhow::Result<Duration> {
    let started = Instant::now();
    let db: Db = db::connect(&config.database_url, 2, config.database_timeout).await?;
    db.migrate_up().await?;
    let hash = Hasher::new(config)?.hash(&SecretString::from(SEED_PASSWORD)).await?;
    let clock = SystemClock;
    let mut role_ids = Vec::new();
    for name in ["user", "admin"] {
        let r = roles::service::system_role(&db.conn, name).await?.with_context(|| format!("system role {name}"))?;
        role_ids.push(r.id);
    }
    for name in ["bench-sales", "bench-support"] {
        let existing = roles::service::by_name(&db.conn, name).await?;
        let id = match existing {
            Some(r) => r.id,
            None => {
                let now = clock.now();
                role::ActiveModel {
                    id: Set(Uuid::now_v7()),
                    name: Set(name.into()),
                    name_lower: Set(name.into()),
                    code: Set(None),
                    description: Set(Some("bench".into())),
                    is_system: Set(false),
                    permissions: Set(String::new()),
                    app_permissions: Set(String::new()),
                    created_by: Set(None),
                    created_at: Set(now),
                    updated_at: Set(now),
                }
                .insert(&db.conn)
                .await?
                .id
            }
        };
        role_ids.push(id);
    }
    let mut i = 0u64;
    while i < users {
        let end = (i + batch).min(users);
        let now = clock.now();
        let mut rows = Vec::new();
        let mut memberships = Vec::new();
        for n in i..end {
            let id = Uuid::now_v7();
            let given = GIVEN[(n % 16) as usize];
            let family = FAMILY[((n / 16) % 16) as usize];
            let email = format!("bench{n}@bench.test");
            let username = format!("bench{n}");
            let display = format!("{given} {family} {n}");
            let search = search_text(&email, Some(&username), [Some(&display), Some(given), Some(family)]);
            rows.push(user::ActiveModel {
                id: Set(id),
                email: Set(email.clone()),
                email_lower: Set(email),
                username: Set(Some(username.clone())),
                username_lower: Set(Some(username)),
                display_name_lower: Set(Some(display.to_lowercase())),
                display_name: Set(Some(display)),
                first_name: Set(Some(given.into())),
                last_name: Set(Some(family.into())),
                phone_number: Set(None),
                address: Set(None),
                avatar_url: Set(None),
                is_active: Set(true),
                attributes: Set(None),
                password_hash: Set(Some(hash.clone())),
                search_text: Set(search),
                last_login_at: Set(None),
                email_verified: Set(false),
                locale: Set(None),
                created_at: Set(now),
                updated_at: Set(now),
            });
            let count = 1 + (n % 3) as usize;
            for k in 0..count {
                let role_id = role_ids[(n as usize + k) % role_ids.len()];
                memberships.push(user_role::ActiveModel {
                    user_id: Set(id),
                    role_id: Set(role_id),
                    created_at: Set(now),
                });
            }
        }
        let txn = db.begin_write().await?;
        user::Entity::insert_many(rows).exec(&*txn).await?;
        user_role::Entity::insert_many(memberships).exec(&*txn).await?;
        txn.commit().await?;
        i = end;
    }
    Ok(started.elapsed())
}

/// The time of one password hash with the configured parameters (median of five).
pub(crate) async fn hash_time(config: &Config) -> anyhow::Result<Duration> {
    let hasher = Hasher::new(config)?;
    let secret = SecretString::from(SEED_PASSWORD);
    let mut times = Vec::new();
    for _ in 0..5 {
        let t = Instant::now();
        hasher.hash(&secret).await?;
        times.push(t.elapsed());
    }
    times.sort();
    Ok(times[2])
}
