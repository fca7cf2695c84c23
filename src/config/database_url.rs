//! `GERBANG_DATABASE_URL`: which database, decided once when the configuration is read.

use std::path::PathBuf;
use std::str::FromStr;

/// Which database a URL names; decided once, when the configuration is read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    /// An SQLite file.
    Sqlite,
    /// PostgreSQL.
    Postgres,
    /// MySQL or MariaDB.
    MySql,
}

/// A database URL whose scheme gerbang supports.
#[derive(Clone, PartialEq, Eq)]
pub struct DatabaseUrl {
    url: String,
    backend: Backend,
}

impl DatabaseUrl {
    /// The URL as sqlx expects it.
    pub fn as_str(&self) -> &str {
        &self.url
    }

    /// The database kind.
    pub fn backend(&self) -> Backend {
        self.backend
    }

    /// The SQLite file this URL names, if it names one.
    pub fn sqlite_path(&self) -> Option<PathBuf> {
        if self.backend != Backend::Sqlite {
            return None;
        }
        let rest = self.url.trim_start_matches("sqlite:").trim_start_matches("//");
        let path = rest.split('?').next().unwrap_or_default();
        (!path.is_empty() && path != ":memory:").then(|| PathBuf::from(path))
    }

    /// The URL with any password masked, for logs and error messages.
    pub(crate) fn redacted(&self) -> String {
        let Some((scheme, rest)) = self.url.split_once("://") else {
            return self.url.clone();
        };
        let (authority, tail) = rest.split_once('/').map_or((rest, ""), |(a, t)| (a, t));
        match authority.rsplit_once('@') {
            Some((userinfo, host)) => {
                let user = userinfo.split(':').next().unwrap_or_default();
                let masked = if userinfo.contains(':') { format!("{user}:***") } else { user.to_owned() };
                let sep = if tail.is_empty() && !rest.contains('/') { "" } else { "/" };
                format!("{scheme}://{masked}@{host}{sep}{tail}")
            }
            None => self.url.clone(),
        }
    }
}

impl std::fmt::Debug for DatabaseUrl {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.redacted())
    }
}

impl std::fmt::Display for DatabaseUrl {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.redacted())
    }
}

impl FromStr for DatabaseUrl {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let s = s.trim();
        let backend = if s.starts_with("sqlite:") {
            Backend::Sqlite
        } else if s.starts_with("postgres://") || s.starts_with("postgresql://") {
            Backend::Postgres
        } else if s.starts_with("mysql://") || s.starts_with("mariadb://") {
            Backend::MySql
        } else {
            return Err("expected a URL starting with sqlite://, postgres:// or mysql://".into());
        };
        let url = match backend {
            // sqlx only knows `mysql://`; MariaDB users reasonably write `mariadb://`.
            Backend::MySql => s.replacen("mariadb://", "mysql://", 1),
            Backend::Postgres | Backend::Sqlite => s.to_owned(),
        };
        let parsed = Self { url, backend };
        if backend == Backend::Sqlite && parsed.sqlite_path().is_none() && !s.contains(":memory:") {
            return Err("expected a file path after sqlite://".into());
        }
        if backend != Backend::Sqlite {
            let rest = s.split_once("://").map(|(_, r)| r).unwrap_or_default();
            let host = rest.rsplit_once('@').map_or(rest, |(_, h)| h);
            if host.is_empty() || host.starts_with('/') {
                return Err("expected a host after ://".into());
            }
        }
        Ok(parsed)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn database_urls_name_their_backend() {
        let cases = [
            ("sqlite://gerbang.db", Backend::Sqlite),
            ("sqlite:///var/lib/gerbang/db.sqlite?mode=rwc", Backend::Sqlite),
            ("postgres://postgres@127.0.0.1/test", Backend::Postgres),
            ("postgresql://u:p@db/gerbang", Backend::Postgres),
            ("mysql://root@127.0.0.1:3306/test", Backend::MySql),
            ("mariadb://root@127.0.0.1/test", Backend::MySql),
        ];
        for (url, backend) in cases {
            assert_eq!(url.parse::<DatabaseUrl>().unwrap().backend(), backend, "{url}");
        }
    }

    #[test]
    fn unsupported_database_urls_are_refused() {
        for url in ["", "gerbang.db", "redis://127.0.0.1", "postgres://", "sqlite://"] {
            assert!(url.parse::<DatabaseUrl>().is_err(), "{url:?} should be refused");
        }
    }

    #[test]
    fn passwords_in_database_urls_are_masked() {
        let url: DatabaseUrl = "postgres://app:s3cret@db:5432/gerbang".parse().unwrap();
        assert_eq!(url.redacted(), "postgres://app:***@db:5432/gerbang");
        assert!(!format!("{url:?}").contains("s3cret"));
    }

    #[test]
    fn sqlite_paths_are_extracted() {
        let url: DatabaseUrl = "sqlite://data/g.db?mode=rwc".parse().unwrap();
        assert_eq!(url.sqlite_path(), Some(PathBuf::from("data/g.db")));
        let url: DatabaseUrl = "sqlite:///abs/g.db".parse().unwrap();
        assert_eq!(url.sqlite_path(), Some(PathBuf::from("/abs/g.db")));
    }
}
