//! The typed HTTP client for the member-service API. Views call these functions; they never
//! build URLs or decode JSON themselves.
pub mod aid;
pub mod auth;
pub mod card;
mod client;
pub mod insurance;
pub mod member;
pub mod offers;
mod upload;

pub use client::{ApiClient, ApiError, use_api};
