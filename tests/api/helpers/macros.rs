//! `backend_tests!`: one `#[tokio::test]` per backend for each named test function.

/// For each `async fn name(db: TestDb)` listed, generates `name::sqlite`, `name::postgres`
/// and `name::mysql`. A backend whose URL is unset is skipped, or fails under CI=true.
macro_rules! backend_tests {
    ($($name:ident),* $(,)?) => {$(
        mod $name {
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn sqlite() {
                $crate::helpers::backends::run($crate::helpers::Backend::Sqlite, super::$name).await;
            }
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn postgres() {
                $crate::helpers::backends::run($crate::helpers::Backend::Postgres, super::$name).await;
            }
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn mysql() {
                $crate::helpers::backends::run($crate::helpers::Backend::MySql, super::$name).await;
            }
        }
    )*};
}
