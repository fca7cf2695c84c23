//! `backend_tests!`: one `#[tokio::test]` per backend for each named test function.

/// For each `async fn name(db: TestDb)` listed, generates `name::sqlite`, `name::postgres`
/// and `name::mysql`, each over a migrated database of its own; after `empty:`, over an
/// empty one. A backend whose URL is unset is skipped, or fails under CI=true.
macro_rules! backend_tests {
    (empty: $($name:ident),* $(,)?) => {
        backend_tests!(@start Empty; $($name),*);
    };
    ($($name:ident),* $(,)?) => {
        backend_tests!(@start Migrated; $($name),*);
    };
    (@start $start:ident; $($name:ident),*) => {$(
        mod $name {
            use $crate::helpers::backends::{run, Start};
            use $crate::helpers::Backend;

            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn sqlite() {
                run(Backend::Sqlite, Start::$start, super::$name).await;
            }
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn postgres() {
                run(Backend::Postgres, Start::$start, super::$name).await;
            }
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn mysql() {
                run(Backend::MySql, Start::$start, super::$name).await;
            }
        }
    )*};
}
