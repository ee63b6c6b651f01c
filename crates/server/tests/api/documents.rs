//! Documents in object storage: uploads go to a real S3-compatible server (moto's
//! `moto_server`, started by each test with request authentication on, so every request's
//! Signature V4 is verified against the access key it created), come back byte for byte, and
//! unlinked uploads are swept after the grace period from both the database and the store.
//! Without `moto_server` on the PATH (`pip install 'moto[server]'`) the S3 tests say they are
//! skipped and why.

use std::process::{Child, Command, Stdio};
use std::time::Duration;

use crate::common::{Backend, TestApp, spawn_app, spawn_app_with};
use server::documents::s3::{Credentials, S3Store};
use server::documents::sweep::sweep_unlinked_uploads;
use server::documents::{DocumentStore, ObjectStoreKind, StoreError, aid_key};

const PNG: &[u8] = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x01\0\0\0\x01\x08\x02\0\0\0";
const ZHANG_WEI: &str = "13800000001";
const BUCKET: &str = "union-documents";
const GRACE_HOURS: i64 = 72;

/// A running `moto_server` with one IAM user allowed `s3:*`, one bucket, and authentication
/// enforced for every request after that set-up.
struct S3Server {
    child: Child,
    endpoint: String,
    credentials: Credentials,
}

impl Drop for S3Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The set-up requests moto lets through unauthenticated: create user, create access key,
/// attach the policy, create the bucket. Every later request must be signed.
const UNAUTHENTICATED_SETUP_ACTIONS: &str = "4";

fn moto_binary() -> Option<String> {
    let name = std::env::var("PORTAL_MOTO_SERVER").unwrap_or_else(|_| "moto_server".to_owned());
    let found = Command::new(&name)
        .arg("--help")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    found.then_some(name)
}

/// Starts moto, or says why the test is skipped.
async fn start_s3() -> Option<S3Server> {
    let Some(binary) = moto_binary() else {
        eprintln!(
            "skipped: moto_server is not installed (pip install 'moto[server]'), so there is no \
             S3-compatible server to test against"
        );
        return None;
    };
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let child = Command::new(binary)
        .args(["-H", "127.0.0.1", "-p", &port.to_string()])
        .env(
            "INITIAL_NO_AUTH_ACTION_COUNT",
            UNAUTHENTICATED_SETUP_ACTIONS,
        )
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("start moto_server");
    let endpoint = format!("http://127.0.0.1:{port}");
    let mut server = S3Server {
        child,
        endpoint: endpoint.clone(),
        credentials: Credentials {
            access_key: String::new(),
            secret_key: String::new(),
            region: "us-east-1".to_owned(),
        },
    };
    let http = reqwest::Client::new();
    for _ in 0..100 {
        if tokio::net::TcpStream::connect(("127.0.0.1", port))
            .await
            .is_ok()
        {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    // Moto routes by the service named in the credential scope; during set-up it does not
    // check the signature.
    let unsigned = |service: &str| {
        format!(
            "AWS4-HMAC-SHA256 Credential=AKIASETUP/20260101/us-east-1/{service}/aws4_request, \
             SignedHeaders=host, Signature=0"
        )
    };
    let iam = |form: Vec<(&'static str, String)>| {
        http.post(format!("{endpoint}/"))
            .header("authorization", unsigned("iam"))
            .form(&form)
            .send()
    };
    let created = iam(vec![
        ("Action", "CreateUser".into()),
        ("UserName", "portal".into()),
        ("Version", "2010-05-08".into()),
    ])
    .await
    .unwrap();
    assert!(created.status().is_success());
    let key = iam(vec![
        ("Action", "CreateAccessKey".into()),
        ("UserName", "portal".into()),
        ("Version", "2010-05-08".into()),
    ])
    .await
    .unwrap()
    .text()
    .await
    .unwrap();
    server.credentials.access_key = between(&key, "<AccessKeyId>", "</AccessKeyId>");
    server.credentials.secret_key = between(&key, "<SecretAccessKey>", "</SecretAccessKey>");
    let policy = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*"}]}"#;
    let allowed = iam(vec![
        ("Action", "PutUserPolicy".into()),
        ("UserName", "portal".into()),
        ("PolicyName", "documents".into()),
        ("PolicyDocument", policy.into()),
        ("Version", "2010-05-08".into()),
    ])
    .await
    .unwrap();
    assert!(allowed.status().is_success());
    let bucket = http
        .put(format!("{endpoint}/{BUCKET}"))
        .header("authorization", unsigned("s3"))
        .send()
        .await
        .unwrap();
    assert!(bucket.status().is_success(), "{}", bucket.status());
    Some(server)
}

fn between(text: &str, open: &str, close: &str) -> String {
    let start = text.find(open).expect(open) + open.len();
    let end = text[start..].find(close).expect(close) + start;
    text[start..end].to_owned()
}

impl S3Server {
    /// A store with this server's credentials, to look behind the app's back.
    fn store(&self) -> S3Store {
        S3Store::new(
            &format!("{}/{BUCKET}", self.endpoint),
            self.credentials.clone(),
        )
    }

    /// An app whose new documents go to this server.
    async fn app(&self, backend: Backend, secret_key: &str) -> TestApp {
        let endpoint = self.endpoint.clone();
        let credentials = self.credentials.clone();
        let secret_key = secret_key.to_owned();
        spawn_app_with(backend, move |config| {
            let storage = &mut config.storage;
            storage.object_store = ObjectStoreKind::S3;
            storage.s3_endpoint = Some(endpoint);
            storage.s3_bucket = Some(BUCKET.to_owned());
            storage.s3_access_key = Some(credentials.access_key);
            storage.s3_secret_key = Some(secret_key);
            storage.upload_grace_hours = GRACE_HOURS;
        })
        .await
    }
}

/// Uploads a PNG as the signed-in member and returns its id.
async fn upload_png(app: &TestApp) -> String {
    let response = app
        .client
        .post(app.url("/api/v1/aid/attachments"))
        .query(&[("filename", "证明.png")])
        .header("x-csrf-token", app.csrf.as_deref().unwrap())
        .header("content-type", "image/png")
        .body(PNG.to_vec())
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 201, "{}", response.text().await.unwrap());
    let body: serde_json::Value = response.json().await.unwrap();
    body["id"].as_str().unwrap().to_owned()
}

async fn download(app: &TestApp, id: &str) -> reqwest::Response {
    app.get(&format!("/api/v1/aid/attachments/{id}")).await
}

async fn sweep(app: &TestApp) -> usize {
    let state = &app.state;
    sweep_unlinked_uploads(&state.db, &state.documents, state.clock.now(), GRACE_HOURS)
        .await
        .unwrap()
}

async fn stored_in(app: &TestApp, id: &str) -> Option<String> {
    sqlx::query_scalar("SELECT stored_in FROM aid_attachments WHERE id = $1")
        .bind(id)
        .fetch_optional(&app.state.db)
        .await
        .unwrap()
}

async fn blob_rows(app: &TestApp, id: &str) -> i64 {
    sqlx::query_scalar("SELECT COUNT(*) FROM document_blobs WHERE object_key = $1")
        .bind(aid_key(id))
        .fetch_one(&app.state.db)
        .await
        .unwrap()
}

on_both_databases!(
    uploads_go_to_the_object_store_and_come_back_byte_for_byte,
    |backend: Backend| async move {
        let Some(s3) = start_s3().await else { return };
        let mut app = s3.app(backend, &s3.credentials.secret_key.clone()).await;
        app.sign_in(ZHANG_WEI).await;

        let id = upload_png(&app).await;

        assert_eq!(stored_in(&app, &id).await.as_deref(), Some("s3"));
        assert_eq!(blob_rows(&app, &id).await, 0, "no copy in the database");
        let in_bucket = s3.store().get(&aid_key(&id)).await.unwrap();
        assert_eq!(in_bucket.as_deref(), Some(PNG));
        let downloaded = download(&app, &id).await;
        assert_eq!(downloaded.status(), 200);
        assert_eq!(downloaded.bytes().await.unwrap().as_ref(), PNG);
        // Documents stored in the database before the switch are still served.
        let seeded = download(&app, "att_demo_paid").await;
        assert_eq!(seeded.status(), 200);
        assert!(seeded.bytes().await.unwrap().starts_with(b"%PDF"));
    }
);

on_both_databases!(
    a_store_that_refuses_the_signature_gives_a_clear_503_and_records_nothing,
    |backend: Backend| async move {
        let Some(s3) = start_s3().await else { return };
        let mut app = s3.app(backend, "not-the-secret").await;
        app.sign_in(ZHANG_WEI).await;
        let before: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM aid_attachments")
            .fetch_one(&app.state.db)
            .await
            .unwrap();

        let response = app
            .client
            .post(app.url("/api/v1/aid/attachments"))
            .header("x-csrf-token", app.csrf.as_deref().unwrap())
            .header("content-type", "image/png")
            .body(PNG.to_vec())
            .send()
            .await
            .unwrap();

        assert_eq!(response.status(), 503);
        let body: serde_json::Value = response.json().await.unwrap();
        assert_eq!(body["code"], "storage_unavailable");
        let after: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM aid_attachments")
            .fetch_one(&app.state.db)
            .await
            .unwrap();
        assert_eq!(after, before);
    }
);

#[tokio::test]
async fn the_store_verifies_every_signature() {
    let Some(s3) = start_s3().await else { return };
    let honest = s3.store();
    honest
        .put("aid/probe", "image/png", PNG.to_vec())
        .await
        .unwrap();
    let forged = S3Store::new(
        &format!("{}/{BUCKET}", s3.endpoint),
        Credentials {
            secret_key: "forged".to_owned(),
            ..s3.credentials.clone()
        },
    );

    let refused = forged.get("aid/probe").await.unwrap_err();

    assert!(
        matches!(&refused, StoreError::Refused { status: 403, code } if code == "SignatureDoesNotMatch"),
        "{refused:?}"
    );
    honest.delete("aid/probe").await.unwrap();
    assert_eq!(honest.get("aid/probe").await.unwrap(), None);
}

on_both_databases!(
    unlinked_uploads_are_swept_from_the_object_store_after_the_grace_period,
    |backend: Backend| async move {
        let Some(s3) = start_s3().await else { return };
        let mut app = s3.app(backend, &s3.credentials.secret_key.clone()).await;
        app.sign_in(ZHANG_WEI).await;
        let id = upload_png(&app).await;

        app.state.clock.advance((GRACE_HOURS - 1) * 3600);
        assert_eq!(sweep(&app).await, 0, "still within the grace period");
        // Sessions idle out long before; sign in again to look.
        app.sign_in(ZHANG_WEI).await;
        assert_eq!(download(&app, &id).await.status(), 200);

        app.state.clock.advance(2 * 3600);
        assert_eq!(sweep(&app).await, 1, "only the unlinked upload");
        app.sign_in(ZHANG_WEI).await;

        assert_eq!(stored_in(&app, &id).await, None);
        assert_eq!(s3.store().get(&aid_key(&id)).await.unwrap(), None);
        assert_eq!(download(&app, &id).await.status(), 404);
        // The seeded documents are older still, but attached to applications: kept.
        assert_eq!(download(&app, "att_demo_paid").await.status(), 200);
        assert_eq!(sweep(&app).await, 0, "nothing left to sweep");
    }
);

on_both_databases!(
    unlinked_uploads_are_swept_from_the_database_store_after_the_grace_period,
    |backend: Backend| async move {
        let mut app = spawn_app(backend).await;
        app.sign_in(ZHANG_WEI).await;
        let id = upload_png(&app).await;
        assert_eq!(stored_in(&app, &id).await.as_deref(), Some("database"));
        assert_eq!(blob_rows(&app, &id).await, 1);

        app.state.clock.advance(GRACE_HOURS * 3600 + 60);
        assert_eq!(sweep(&app).await, 1);
        app.sign_in(ZHANG_WEI).await;

        assert_eq!(stored_in(&app, &id).await, None);
        assert_eq!(blob_rows(&app, &id).await, 0);
        assert_eq!(download(&app, "att_demo_paid").await.status(), 200);
    }
);
