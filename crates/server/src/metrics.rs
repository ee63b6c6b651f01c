//! Prometheus metrics: requests by route template and status, their latency, sign-ins by
//! method and outcome, SMS delivered and failed, and the database pool. Routes are labelled by
//! the OpenAPI path template (`/api/v1/offers/{id}`), never by the raw path, so neither ids nor
//! phone numbers reach a label and the number of series stays bounded.
//!
//! Served in the text exposition format on a listener of its own (`--metrics-addr`), never on
//! the public port.
use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Instant;

use axum::extract::{Request, State};
use axum::middleware::Next;
use axum::response::Response;

use crate::db::Db;
use crate::error::EnglishEnvelope;

/// Upper bounds of the latency buckets, in seconds.
const BUCKETS: [f64; 12] = [
    0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0,
];

/// Every metric of one server.
pub struct Metrics {
    routes: RouteTemplates,
    requests: Mutex<BTreeMap<(String, String, u16), u64>>,
    latency: Mutex<BTreeMap<(String, String), Histogram>>,
    sign_ins: Mutex<BTreeMap<(&'static str, String), u64>>,
    sms_sent: AtomicU64,
    sms_failed: AtomicU64,
}

#[derive(Default)]
struct Histogram {
    counts: [u64; BUCKETS.len()],
    count: u64,
    sum: f64,
}

impl Histogram {
    fn observe(&mut self, seconds: f64) {
        for (bound, count) in BUCKETS.iter().zip(self.counts.iter_mut()) {
            if seconds <= *bound {
                *count += 1;
            }
        }
        self.count += 1;
        self.sum += seconds;
    }
}

impl Default for Metrics {
    fn default() -> Self {
        Metrics::new()
    }
}

impl Metrics {
    pub fn new() -> Metrics {
        Metrics {
            routes: RouteTemplates::from_openapi(),
            requests: Mutex::default(),
            latency: Mutex::default(),
            sign_ins: Mutex::default(),
            sms_sent: AtomicU64::new(0),
            sms_failed: AtomicU64::new(0),
        }
    }

    /// Counts one SMS handed to the provider (`delivered`) or refused / failed.
    pub fn sms_sent(&self, delivered: bool) {
        let counter = if delivered {
            &self.sms_sent
        } else {
            &self.sms_failed
        };
        counter.fetch_add(1, Ordering::Relaxed);
    }

    fn record(&self, method: &str, path: &str, response: &Response, seconds: f64) {
        let route = self.routes.template(path);
        let status = response.status().as_u16();
        if let Some(kind) = sign_in_method(method, &route) {
            let outcome = if response.status().is_success() {
                "success".to_owned()
            } else {
                response
                    .extensions()
                    .get::<EnglishEnvelope>()
                    .map_or_else(|| format!("http_{status}"), |e| e.0.code.clone())
            };
            *lock(&self.sign_ins).entry((kind, outcome)).or_default() += 1;
        }
        *lock(&self.requests)
            .entry((method.to_owned(), route.clone(), status))
            .or_default() += 1;
        lock(&self.latency)
            .entry((method.to_owned(), route))
            .or_default()
            .observe(seconds);
    }

    /// The text exposition of every metric, the pool's read now.
    pub fn render(&self, db: &Db) -> String {
        let mut out = String::new();
        out.push_str("# HELP portal_http_requests_total HTTP requests by method, route template and status.\n# TYPE portal_http_requests_total counter\n");
        for ((method, route, status), count) in lock(&self.requests).iter() {
            let _ = writeln!(
                out,
                "portal_http_requests_total{{method=\"{method}\",route=\"{}\",status=\"{status}\"}} {count}",
                escape(route)
            );
        }
        out.push_str("# HELP portal_http_request_duration_seconds Time to answer, by method and route template.\n# TYPE portal_http_request_duration_seconds histogram\n");
        for ((method, route), histogram) in lock(&self.latency).iter() {
            let labels = format!("method=\"{method}\",route=\"{}\"", escape(route));
            for (bound, count) in BUCKETS.iter().zip(histogram.counts.iter()) {
                let _ = writeln!(
                    out,
                    "portal_http_request_duration_seconds_bucket{{{labels},le=\"{bound}\"}} {count}"
                );
            }
            let _ = writeln!(
                out,
                "portal_http_request_duration_seconds_bucket{{{labels},le=\"+Inf\"}} {}\nportal_http_request_duration_seconds_sum{{{labels}}} {}\nportal_http_request_duration_seconds_count{{{labels}}} {}",
                histogram.count, histogram.sum, histogram.count
            );
        }
        out.push_str("# HELP portal_sign_ins_total Sign-in attempts by method and outcome (`success` or the error code).\n# TYPE portal_sign_ins_total counter\n");
        for ((method, outcome), count) in lock(&self.sign_ins).iter() {
            let _ = writeln!(
                out,
                "portal_sign_ins_total{{method=\"{method}\",outcome=\"{}\"}} {count}",
                escape(outcome)
            );
        }
        let _ = write!(
            out,
            "# HELP portal_sms_total Sign-in codes handed to the SMS gateway, by result.\n# TYPE portal_sms_total counter\nportal_sms_total{{result=\"sent\"}} {}\nportal_sms_total{{result=\"failed\"}} {}\n",
            self.sms_sent.load(Ordering::Relaxed),
            self.sms_failed.load(Ordering::Relaxed)
        );
        let _ = write!(
            out,
            "# HELP portal_db_pool_connections Database connections open in the pool.\n# TYPE portal_db_pool_connections gauge\nportal_db_pool_connections {}\n# HELP portal_db_pool_idle_connections Open database connections not in use.\n# TYPE portal_db_pool_idle_connections gauge\nportal_db_pool_idle_connections {}\n",
            db.size(),
            db.num_idle()
        );
        out
    }
}

fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    // A panic while counting leaves plain numbers behind; keep counting.
    mutex
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// Label values are our own templates and error codes, but escape them as the format asks.
fn escape(value: &str) -> String {
    value
        .replace('\\', "\\\\")
        .replace('"', "\\\"")
        .replace('\n', "\\n")
}

/// The sign-in method an operation is, if it is one.
fn sign_in_method(method: &str, route: &str) -> Option<&'static str> {
    if method != "POST" {
        return None;
    }
    match route {
        "/api/v1/auth/sms-sign-in" => Some("sms"),
        "/api/v1/auth/password-sign-in" => Some("password"),
        "/api/v1/auth/kiosk-sign-in" => Some("kiosk_pin"),
        "/api/v1/auth/wechat/sign-in" => Some("wechat"),
        _ => None,
    }
}

/// Middleware timing every request and counting it under its route template.
pub async fn track(
    State(metrics): State<std::sync::Arc<Metrics>>,
    request: Request,
    next: Next,
) -> Response {
    let method = request.method().as_str().to_owned();
    let path = request.uri().path().to_owned();
    let started = Instant::now();
    let response = next.run(request).await;
    metrics.record(&method, &path, &response, started.elapsed().as_secs_f64());
    response
}

/// The API's path templates, split into segments; `{…}` matches any one segment.
struct RouteTemplates {
    templates: Vec<(String, Vec<String>)>,
}

impl RouteTemplates {
    fn from_openapi() -> RouteTemplates {
        let documented = crate::http::openapi::api().paths.paths.into_keys();
        let extra = [
            "/api/health",
            "/api/ready",
            "/api/openapi.json",
            "/api/v1/dev/outbox",
        ];
        let templates = documented
            .chain(extra.iter().map(|s| (*s).to_owned()))
            .map(|t| {
                let segments = t.split('/').map(str::to_owned).collect();
                (t, segments)
            })
            .collect();
        RouteTemplates { templates }
    }

    /// The template `path` matches (the one with the most literal segments when several do),
    /// `/api/unmatched` for other API paths, `portal` for everything the portal serves.
    fn template(&self, path: &str) -> String {
        if path != "/api" && !path.starts_with("/api/") {
            return "portal".to_owned();
        }
        let segments: Vec<&str> = path.split('/').collect();
        self.templates
            .iter()
            .filter(|(_, template)| {
                template.len() == segments.len()
                    && template
                        .iter()
                        .zip(&segments)
                        .all(|(t, s)| t == s || (t.starts_with('{') && !s.is_empty()))
            })
            .max_by_key(|(_, template)| template.iter().filter(|t| !t.starts_with('{')).count())
            .map_or_else(|| "/api/unmatched".to_owned(), |(t, _)| t.clone())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_are_labelled_by_their_template_and_literals_win() {
        let routes = RouteTemplates::from_openapi();
        assert_eq!(
            routes.template("/api/v1/offers/off_123"),
            "/api/v1/offers/{id}"
        );
        assert_eq!(
            routes.template("/api/v1/offers/categories"),
            "/api/v1/offers/categories"
        );
        assert_eq!(routes.template("/api/v1/card"), "/api/v1/card");
        assert_eq!(
            routes.template("/api/v1/nothing/13800000001"),
            "/api/unmatched"
        );
        assert_eq!(routes.template("/card"), "portal");
        assert_eq!(routes.template("/api/ready"), "/api/ready");
    }

    #[test]
    fn a_histogram_counts_into_every_bucket_at_or_above_the_value() {
        let mut histogram = Histogram::default();
        histogram.observe(0.02);
        histogram.observe(3.0);
        assert_eq!(histogram.counts[0], 0);
        assert_eq!(histogram.counts[3], 1, "0.025 s bucket");
        assert_eq!(histogram.counts[BUCKETS.len() - 1], 2, "10 s bucket");
        assert_eq!(histogram.count, 2);
    }
}
