//! End-to-end tests: the built portal (`dist/`) served by the real server binary with a fresh
//! database, driven in headless Chromium through chromedriver. `cargo xtask test` provides the
//! bundle, the server binary and the browser; run it rather than this target directly.
//!
//! A small runner of our own (`harness = false`) owns the server and chromedriver processes, so
//! they are stopped when the suite ends, and every test gets a fresh browser profile.
mod aid;
mod channels;
mod cross_origin;
mod devtools;
mod first_paint;
mod insurance;
mod kiosk;
mod member;
mod offers;
mod shell;
mod signin;
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
        shell::a_signed_in_visit_asks_for_its_code_and_data_at_once,
        shell::a_signed_out_deep_link_downloads_nothing_but_sign_in,
        first_paint::a_card_visit_shows_the_code_as_the_page_arrives_and_the_app_keeps_it,
        first_paint::a_home_visit_shows_the_card_and_messages_as_the_page_arrives,
        first_paint::an_offers_visit_shows_the_offers_as_the_page_arrives_and_keeps_what_was_typed,
        first_paint::an_insurance_visit_shows_the_cover_as_the_page_arrives,
        first_paint::a_me_visit_shows_the_profile_masked_as_the_page_arrives,
        first_paint::an_aid_visit_shows_the_applications_and_programmes_as_the_page_arrives,
        first_paint::a_member_who_chose_english_gets_the_first_paints_answers_in_english,
        first_paint::when_the_app_cannot_download_the_first_paint_stays_and_a_retry_shows_over_it,
        signin::the_next_screens_code_downloads_while_the_member_types,
        shell::member_screens_appear_without_anything_moving,
        shell::a_slow_panel_holds_the_others_back_only_briefly,
        shell::tabs_navigate_within_the_app,
        shell::unknown_paths_say_so_and_lead_home,
        shell::a_stored_english_preference_switches_the_language,
        shell::without_webassembly_the_shell_explains_what_to_do,
        shell::large_text_and_elder_mode_are_remembered_on_the_device,
        shell::switching_language_in_settings_changes_every_text,
        shell::after_one_visit_the_portal_opens_without_a_network,
        member::a_deep_link_asks_for_sign_in_by_sms_code_and_returns_there,
        member::a_wrong_password_is_explained_and_the_phone_is_kept,
        member::the_card_page_explains_each_status_with_its_next_step,
        member::an_active_card_shows_a_live_member_code,
        member::reporting_a_card_lost_takes_two_steps_and_sticks,
        member::home_greets_the_member_with_card_messages_and_services,
        member::signing_out_wipes_member_data_and_guards_the_member_screens,
        member::a_session_ended_elsewhere_sends_the_member_to_sign_in_with_a_reason,
        member::with_no_signal_the_card_page_shows_the_remembered_card,
        member::with_no_signal_the_e_card_shows_a_code_merchants_accept_until_sign_out,
        channels::at_double_text_size_nothing_is_clipped_on_a_small_phone,
        channels::in_wechat_the_oauth_code_signs_in_binds_once_and_leaves_the_address,
        channels::a_kiosk_signs_in_by_card_and_pin_and_wipes_everything_when_left_idle,
        channels::the_main_screens_pass_wcag_checks_in_large_text_and_elder_mode,
        channels::a_kiosk_signs_in_when_the_members_own_phone_approves_its_qr_code,
        kiosk::a_kiosk_refuses_a_card_reported_lost_and_says_what_to_do,
        kiosk::a_member_signs_out_on_all_devices_from_the_profile,
        kiosk::a_signed_out_phone_scanning_the_kiosk_qr_signs_in_on_the_member_portal_and_approves,
        kiosk::an_unenrolled_kiosk_says_so_instead_of_showing_a_qr_code,
        insurance::cover_pending_activation_says_why_and_what_to_do,
        insurance::active_cover_shows_the_sum_insured_in_wan_and_the_period,
        insurance::money_reads_the_same_on_the_cover_list_and_the_plan,
        insurance::waiting_statuses_show_a_clock_not_a_loading_ellipsis,
        offers::category_and_district_filters_live_in_the_address,
        offers::a_limited_offer_is_claimed_once_and_shows_under_my_coupons,
        offers::a_sold_out_offer_says_so_and_offers_no_claim,
        offers::search_waits_for_the_input_method_and_keeps_the_keywords_in_the_address,
        offers::the_list_grows_as_the_member_scrolls_and_back_returns_to_the_same_offer,
        offers::nearest_first_asks_for_location_only_on_tap_and_explains_a_refusal,
        offers::two_hundred_offers_load_by_scrolling_on_a_4x_slower_cpu,
        offers::a_member_without_a_card_is_told_why_and_offered_no_claim,
        offers::a_claimed_coupon_is_announced_titled_as_the_members_and_scannable_under_my_coupons,
        aid::a_half_filled_application_comes_back_after_a_reload,
        aid::a_mistyped_id_number_is_explained_while_typing,
        aid::a_submission_while_the_server_is_down_is_kept_and_applies_once_on_retry,
        aid::a_big_photo_is_shrunk_before_upload_and_a_disguised_file_is_refused,
        aid::a_photo_still_on_its_way_when_the_webview_dies_is_sent_on_the_next_visit,
        aid::a_reviewers_decision_reaches_the_timeline_and_the_messages,
        aid::asked_for_more_documents_the_member_adds_them_and_can_withdraw,
        signin::a_deep_link_keeps_its_query_through_sign_in_and_focus_lands_on_the_screen,
        signin::sign_in_follows_only_in_app_paths,
        signin::sign_in_explains_tries_throttles_and_locks_in_plain_words,
        signin::a_signed_out_visit_to_sign_in_logs_no_console_error,
        signin::a_wasm_download_that_fails_once_recovers_by_itself,
        signin::a_wasm_download_that_keeps_failing_offers_a_retry_not_a_browser_switch,
        aid::the_programmes_reflect_an_existing_application_and_sit_flush,
        aid::someone_elses_id_on_the_applicants_row_is_refused_while_typing,
        aid::the_review_reads_well_on_a_small_phone_and_at_double_text,
        cross_origin::the_portal_on_its_own_origin_signs_in_by_sms_and_shows_the_card,
    ];
    Suite::from_env().run(all)
}
