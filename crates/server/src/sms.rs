//! Sending SMS. A gateway is pluggable; the development gateway logs a masked line and keeps
//! the message in the dev outbox table, readable over HTTP only with `--dev-outbox`.
use std::future::Future;
use std::pin::Pin;

use contract::mask;

use crate::clock::Clock;
use crate::crypto::new_id;
use crate::db::Db;

pub type SendFuture<'a> = Pin<Box<dyn Future<Output = Result<(), String>> + Send + 'a>>;

/// Something that delivers a text message to a mobile phone.
pub trait SmsGateway: Send + Sync {
    fn send<'a>(&'a self, phone: &'a str, body: &'a str) -> SendFuture<'a>;
}

/// Development delivery: the message goes to the outbox table, never to a phone.
pub struct DevOutbox {
    pub db: Db,
    pub clock: std::sync::Arc<Clock>,
}

impl SmsGateway for DevOutbox {
    fn send<'a>(&'a self, phone: &'a str, body: &'a str) -> SendFuture<'a> {
        Box::pin(async move {
            tracing::info!(phone = %mask::phone(phone), "dev SMS gateway: message stored in the dev outbox");
            sqlx::query(
                "INSERT INTO dev_outbox (id, phone, body, created_at) VALUES ($1, $2, $3, $4)",
            )
            .bind(new_id("sms"))
            .bind(phone)
            .bind(body)
            .bind(self.clock.now())
            .execute(&self.db)
            .await
            .map(|_| ())
            .map_err(|e| e.to_string())
        })
    }
}
