//! The member-service API contract shared by the portal (compiled to wasm) and the server:
//! request/response types, the error envelope, validators and masking. No I/O.
pub mod aid;
pub mod auth;
pub mod card;
pub mod config;
pub mod error;
pub mod insurance;
pub mod mask;
pub mod member;
pub mod notifications;
pub mod offers;
pub mod qr;
pub mod service;
pub mod validate;
