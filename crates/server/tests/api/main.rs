//! The server's tests over real HTTP, one binary: each module is one area, and `common` holds
//! the helpers they share (the app on a fresh database, signed-in members, both databases).
#[macro_use]
mod common;

mod aid;
mod auth;
mod contract;
mod cross_origin;
mod documents;
mod ecard;
mod first_paint;
mod foundation;
mod hardening;
mod insurance;
mod kiosk_handoff;
mod kiosk_rules;
mod limits;
mod member_card;
mod offers;
mod operations;
mod shutdown;
mod sms_provider;
mod trusted_proxy;
mod wechat;
