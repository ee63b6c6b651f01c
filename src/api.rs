//! The typed HTTP client for the member-service API. Views call these functions; they never
//! build URLs or decode JSON themselves.
mod client;

pub use client::{ApiClient, ApiError};
