//! Reusable pieces shared by several pages.
pub mod async_panel;
pub mod card_status_badge;
pub mod card_summary;
pub mod chunk_load_failed;
pub mod document_upload;
pub mod ecard_qr;
pub mod error_notice;
pub mod kiosk_idle;
pub mod later;
pub mod member_area;
pub mod page_header;
pub mod qr_code;
pub mod settings_panel;
pub mod tab_bar;
