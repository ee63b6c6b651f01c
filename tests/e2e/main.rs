//! End-to-end tests: the built portal (`dist/`) served by the real server binary with a fresh
//! database, driven in headless Chromium through chromedriver. `cargo xtask test` provides the
//! bundle, the server binary and the browser; run it rather than this target directly.
//!
//! A small runner of our own (`harness = false`) owns the server and chromedriver processes, so
//! they are stopped when the suite ends, and every test gets a fresh browser profile.
mod shell;
mod support;

use support::{Suite, TestFn};

macro_rules! tests {
    ($($path:path),* $(,)?) => {
        vec![$((stringify!($path), (|ctx| Box::pin($path(ctx))) as TestFn)),*]
    };
}

fn main() -> std::process::ExitCode {
    let all = tests![
        shell::the_served_page_carries_a_static_shell_and_the_runtime_config,
        shell::the_app_replaces_the_shell_and_shows_the_tab_bar,
        shell::a_deep_link_survives_a_reload,
        shell::tabs_navigate_within_the_app,
        shell::unknown_paths_say_so_and_lead_home,
        shell::a_stored_english_preference_switches_the_language,
        shell::without_webassembly_the_shell_explains_what_to_do,
        shell::large_text_and_elder_mode_are_remembered_on_the_device,
        shell::switching_language_in_settings_changes_every_text,
        shell::after_one_visit_the_portal_opens_without_a_network,
    ];
    Suite::from_env().run(all)
}
