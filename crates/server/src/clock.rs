//! The server's notion of "now", in Unix seconds. Tests move it forward to expire codes and
//! sessions without sleeping.
use std::sync::atomic::{AtomicI64, Ordering};

#[derive(Debug, Default)]
pub struct Clock {
    offset: AtomicI64,
}

impl Clock {
    pub fn now(&self) -> i64 {
        chrono::Utc::now().timestamp() + self.offset.load(Ordering::Relaxed)
    }

    /// Moves this clock forward (tests only need this; production never calls it).
    pub fn advance(&self, seconds: i64) {
        self.offset.fetch_add(seconds, Ordering::Relaxed);
    }
}

/// RFC 3339 with the China Standard Time offset, as the contract's times are written.
pub fn rfc3339(unix: i64) -> String {
    let offset = chrono::FixedOffset::east_opt(8 * 3600).expect("valid offset");
    chrono::DateTime::from_timestamp(unix, 0)
        .unwrap_or_default()
        .with_timezone(&offset)
        .to_rfc3339()
}

/// The calendar date in China Standard Time, `YYYY-MM-DD`.
pub fn china_date(unix: i64) -> String {
    let offset = chrono::FixedOffset::east_opt(8 * 3600).expect("valid offset");
    chrono::DateTime::from_timestamp(unix, 0)
        .unwrap_or_default()
        .with_timezone(&offset)
        .format("%Y-%m-%d")
        .to_string()
}
