//! One module per page, named after its route.
pub mod aid;
pub mod card;
pub mod centres;
pub mod home;
pub mod insurance;
pub mod kiosk;
pub mod login;
pub mod me;
pub mod not_found;
pub mod offers;
pub mod privacy;
pub mod wechat_return;
