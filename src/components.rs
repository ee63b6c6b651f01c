//! Reusable pieces shared by several pages.
pub mod page_header;
pub mod placeholder;
pub mod qr_code;
pub mod settings_panel;
pub mod tab_bar;
