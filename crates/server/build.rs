//! Turns on the PostgreSQL tests when `PORTAL_TEST_PG_URL` is set; without it they are
//! reported as ignored ("skipped"), never silently passed.
fn main() {
    println!("cargo::rustc-check-cfg=cfg(pg_tests)");
    println!("cargo::rerun-if-env-changed=PORTAL_TEST_PG_URL");
    // sqlx::migrate! embeds the migrations: rebuild when they change.
    println!("cargo::rerun-if-changed=migrations");
    if std::env::var_os("PORTAL_TEST_PG_URL").is_some_and(|v| !v.is_empty()) {
        println!("cargo::rustc-cfg=pg_tests");
    }
}
