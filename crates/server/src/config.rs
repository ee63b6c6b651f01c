//! The command line: every flag is also an environment variable; `--help` lists them all.
use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

use crate::admin::AdminCommand;

/// The reference member-service API and portal server.
#[derive(Debug, Clone, Parser)]
#[command(version, about)]
pub struct Cli {
    #[command(flatten)]
    pub config: Config,
    #[command(subcommand)]
    pub command: Option<Command>,
}

/// What to do; serving is the default.
#[derive(Debug, Clone, Subcommand)]
pub enum Command {
    /// Serve the API and the portal (the default when no subcommand is given).
    Serve,
    /// Seed demo data into an empty database and print the demo logins.
    Seed,
    /// Administrative actions of the union and the bank, for demos and tests.
    #[command(subcommand)]
    Admin(AdminCommand),
}

/// Settings shared by every subcommand.
#[derive(Debug, Clone, Args)]
pub struct Config {
    /// Address to listen on.
    #[arg(long, global = true, env = "PORTAL_HOST", default_value = "127.0.0.1")]
    pub host: String,
    /// Port to listen on (0 picks a free one).
    #[arg(long, global = true, env = "PORTAL_PORT", default_value_t = 8080)]
    pub port: u16,
    /// Directory for the embedded database and uploaded documents.
    #[arg(long, global = true, env = "PORTAL_DATA_DIR", default_value = "./data")]
    pub data_dir: PathBuf,
    /// The built portal (`cargo xtask build` writes dist/).
    #[arg(long, global = true, env = "PORTAL_DIST_DIR", default_value = "./dist")]
    pub dist_dir: PathBuf,
    /// The API base the portal is told to use (injected into index.html).
    #[arg(long, global = true, env = "PORTAL_API_BASE", default_value = "/api")]
    pub portal_api_base: String,
    /// Drop the `Secure` cookie attribute, for plain-HTTP development on localhost.
    #[arg(long, global = true, env = "PORTAL_INSECURE_COOKIES")]
    pub insecure_cookies: bool,
    /// Development mode (never in production): enables the SMS outbox endpoint and lets the
    /// server generate its signing keys (kept in the database) instead of requiring
    /// --ecard-keys, --offline-card-keys, --sms-code-keys and --wechat-bind-keys.
    #[arg(long, global = true, env = "PORTAL_DEV_OUTBOX")]
    pub dev_outbox: bool,
    /// Seed demo data when the database is empty.
    #[arg(long, global = true, env = "PORTAL_SEED_DEMO")]
    pub seed_demo: bool,
    /// Database URL: `sqlite://…` or `postgres://…`; default a SQLite file in the data dir.
    #[arg(long, global = true, env = "DATABASE_URL")]
    pub database_url: Option<String>,
    /// Member sessions end after this many seconds without a request.
    #[arg(long, global = true, env = "PORTAL_SESSION_IDLE_SECONDS", default_value_t = 30 * 60)]
    pub session_idle_seconds: i64,
    /// Member sessions end this many seconds after sign-in whatever happens.
    #[arg(long, global = true, env = "PORTAL_SESSION_MAX_SECONDS", default_value_t = 12 * 3600)]
    pub session_max_seconds: i64,
    /// Kiosk sessions end after this many seconds without a request.
    #[arg(
        long,
        global = true,
        env = "PORTAL_KIOSK_IDLE_SECONDS",
        default_value_t = 120
    )]
    pub kiosk_idle_seconds: i64,
    /// Kiosk sessions end this many seconds after sign-in.
    #[arg(long, global = true, env = "PORTAL_KIOSK_MAX_SECONDS", default_value_t = 15 * 60)]
    pub kiosk_max_seconds: i64,
    /// Seconds between two code requests for one phone.
    #[arg(
        long,
        global = true,
        env = "PORTAL_SMS_COOLDOWN_SECONDS",
        default_value_t = 60
    )]
    pub sms_cooldown_seconds: i64,
    /// Code requests allowed per phone per hour.
    #[arg(
        long,
        global = true,
        env = "PORTAL_SMS_PER_PHONE_HOURLY",
        default_value_t = 5
    )]
    pub sms_per_phone_hourly: i64,
    /// Code requests allowed per client address per hour.
    #[arg(
        long,
        global = true,
        env = "PORTAL_SMS_PER_IP_HOURLY",
        default_value_t = 30
    )]
    pub sms_per_ip_hourly: i64,
    /// Wrong passwords or PINs for one account from one client address (in 24 hours) before
    /// that address is blocked for that account.
    #[arg(
        long,
        global = true,
        env = "PORTAL_MAX_FAILED_ATTEMPTS",
        default_value_t = 5
    )]
    pub max_failed_attempts: i64,
    /// How long the first block lasts, in seconds; each further block in a row doubles it (up
    /// to 64 times). Applies to every sign-in limit.
    #[arg(long, global = true, env = "PORTAL_LOCK_SECONDS", default_value_t = 15 * 60)]
    pub lock_seconds: i64,
    /// Wrong passwords (or PINs) for one account from all addresses together (in 24 hours)
    /// before password (PIN) sign-in is blocked for everyone; SMS sign-in stays open.
    #[arg(
        long,
        global = true,
        env = "PORTAL_ACCOUNT_FAILURES_LIMIT",
        default_value_t = 20
    )]
    pub account_failures_limit: i64,
    /// Failed sign-in tries (password, PIN or SMS code; any account) from one client address
    /// per hour before the address is blocked.
    #[arg(
        long,
        global = true,
        env = "PORTAL_IP_FAILURES_LIMIT",
        default_value_t = 30
    )]
    pub ip_failures_limit: i64,
    /// Argon2id memory cost in KiB for passwords and PINs.
    #[arg(long, global = true, env = "PORTAL_ARGON2_MEMORY_KIB", default_value_t = 19 * 1024)]
    pub argon2_memory_kib: u32,
    /// Argon2id iterations.
    #[arg(
        long,
        global = true,
        env = "PORTAL_ARGON2_ITERATIONS",
        default_value_t = 2
    )]
    pub argon2_iterations: u32,
    /// Password hashes computed at once (0: one per CPU core but one, at least one, so a
    /// core stays free for everything else).
    #[arg(
        long,
        global = true,
        env = "PORTAL_HASHING_THREADS",
        default_value_t = 0
    )]
    pub hashing_threads: usize,
    /// Sign-ins that may wait for a hashing thread; beyond that they get 503 `server_busy`.
    #[arg(
        long,
        global = true,
        env = "PORTAL_HASHING_QUEUE",
        default_value_t = 64
    )]
    pub hashing_queue: usize,
    /// Seconds an e-card QR token stays valid.
    #[arg(
        long,
        global = true,
        env = "PORTAL_ECARD_TOKEN_SECONDS",
        default_value_t = 60
    )]
    pub ecard_token_seconds: i64,
    /// Keys signing e-card QR tokens, `kid:secret[,kid:secret…]`: the first signs, all verify
    /// (rotate by putting a new key first; drop the old one a minute later). Required in
    /// production; a development server (--dev-outbox) generates its own.
    #[arg(long, global = true, env = "PORTAL_ECARD_KEYS", hide_env_values = true)]
    pub ecard_keys: Option<String>,
    /// Keys signing WeChat bind tokens, same form as --ecard-keys, different secrets. Required
    /// in production when WeChat sign-in is configured.
    #[arg(
        long,
        global = true,
        env = "PORTAL_WECHAT_BIND_KEYS",
        hide_env_values = true
    )]
    pub wechat_bind_keys: Option<String>,
    /// Keys deriving the device keys of offline e-card codes, same form, different secrets;
    /// removing a kid revokes every device key it derived. Required in production.
    #[arg(
        long,
        global = true,
        env = "PORTAL_OFFLINE_CARD_KEYS",
        hide_env_values = true
    )]
    pub offline_card_keys: Option<String>,
    /// Keys with which SMS sign-in codes are stored (an HMAC, not the code), same form,
    /// different secrets: a copy of the database alone cannot tell a live code. Codes live
    /// 5 minutes, so a key may be dropped 5 minutes after a new one went first. Required in
    /// production.
    #[arg(
        long,
        global = true,
        env = "PORTAL_SMS_CODE_KEYS",
        hide_env_values = true
    )]
    pub sms_code_keys: Option<String>,
    /// Base URL of the WeChat API (the OAuth code exchange is `<base>/sns/oauth2/access_token`).
    #[arg(
        long,
        global = true,
        env = "PORTAL_WECHAT_API_BASE",
        default_value = "https://api.weixin.qq.com"
    )]
    pub wechat_api_base: String,
    /// WeChat's authorisation page members are sent to (replaced by a fake in tests).
    #[arg(
        long,
        global = true,
        env = "PORTAL_WECHAT_AUTHORIZE_URL",
        default_value = "https://open.weixin.qq.com/connect/oauth2/authorize"
    )]
    pub wechat_authorize_url: String,
    /// The WeChat Official Account's AppID; WeChat sign-in is offered only when set.
    #[arg(long, global = true, env = "PORTAL_WECHAT_APP_ID")]
    pub wechat_app_id: Option<String>,
    /// The Official Account's AppSecret (server-side only, never sent to the portal).
    #[arg(
        long,
        global = true,
        env = "PORTAL_WECHAT_APP_SECRET",
        hide_env_values = true
    )]
    pub wechat_app_secret: Option<String>,
    /// Kiosk: seconds without input before the portal warns it will sign out (default 60).
    #[arg(long, global = true, env = "PORTAL_KIOSK_WARN_AFTER_SECONDS")]
    pub kiosk_warn_after_seconds: Option<u32>,
    /// Kiosk: seconds the warning counts down before signing out and wiping (default 30).
    #[arg(long, global = true, env = "PORTAL_KIOSK_SIGN_OUT_AFTER_SECONDS")]
    pub kiosk_sign_out_after_seconds: Option<u32>,
    /// Tell the portal it runs on a service-centre kiosk (card + PIN sign-in, idle wipe).
    /// Kiosk sign-in is refused by servers started without it.
    #[arg(long, global = true, env = "PORTAL_KIOSK")]
    pub kiosk: bool,
    /// Kiosk: the member portal's public address (e.g. `https://union.example`), where a
    /// member's phone opens the kiosk's sign-in QR code. Without it the QR code points at this
    /// server, which only makes sense when one deployment serves both.
    #[arg(long, global = true, env = "PORTAL_MEMBER_PORTAL_URL")]
    pub member_portal_url: Option<String>,
    /// Seconds a request may take, its body included (slow uploads end with 408).
    #[arg(
        long,
        global = true,
        env = "PORTAL_REQUEST_TIMEOUT_SECONDS",
        default_value_t = 120
    )]
    pub request_timeout_seconds: u64,
    /// Requests served at once; more are refused with 503 `overloaded` and a Retry-After.
    #[arg(
        long,
        global = true,
        env = "PORTAL_MAX_CONCURRENT_REQUESTS",
        default_value_t = 512
    )]
    pub max_concurrent_requests: usize,
    /// SMS delivery (provider, keys, template).
    #[command(flatten)]
    pub sms: crate::sms::SmsConfig,
    /// Proxies, shutdown, metrics and logs.
    #[command(flatten)]
    pub deploy: crate::ops::DeployConfig,
    /// Where uploaded documents are stored and how long unattached ones are kept.
    #[command(flatten)]
    pub storage: crate::documents::StorageConfig,
    /// Which other origins may call the API with members' cookies (the portal on its own origin).
    #[command(flatten)]
    pub cors: crate::cors::CorsConfig,
}

impl Config {
    /// A configuration for tests: a free port, the given data and dist directories.
    pub fn for_tests(data_dir: PathBuf, dist_dir: PathBuf) -> Self {
        Cli::parse_from(["server", "--port", "0"])
            .config
            .with_dirs(data_dir, dist_dir)
    }

    fn with_dirs(mut self, data_dir: PathBuf, dist_dir: PathBuf) -> Self {
        self.data_dir = data_dir;
        self.dist_dir = dist_dir;
        // Cheap hashing keeps tests fast; production keeps the defaults above.
        self.argon2_memory_kib = 1024;
        self.argon2_iterations = 1;
        self.insecure_cookies = true;
        self.dev_outbox = true;
        self
    }

    /// A development or test configuration: `--dev-outbox` marks it (`cargo xtask serve`, the
    /// e2e harness and `Config::for_tests` set it; production never does).
    pub fn is_development(&self) -> bool {
        self.dev_outbox
    }

    /// The database URL in effect.
    pub fn database_url(&self) -> String {
        self.database_url
            .clone()
            .unwrap_or_else(|| crate::db::default_url(&self.data_dir))
    }
}
