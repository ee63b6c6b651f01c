//! An S3-compatible object store over plain HTTP(S): PUT, GET and DELETE of one object,
//! path-style (`<endpoint>/<bucket>/<key>`), each request signed with AWS Signature Version 4,
//! which Alibaba OSS, Tencent COS, MinIO and AWS S3 all accept.
use std::fmt;
use std::time::Duration;

use hmac::{Hmac, Mac};
use reqwest::{Method, StatusCode, Url};
use sha2::{Digest, Sha256};

use super::{BoxFuture, DocumentStore, StorageConfig, StorageConfigError, StoreError};

/// Where to reach the bucket and how to sign for it.
pub struct S3Store {
    http: reqwest::Client,
    /// `<endpoint>/<bucket>`, without a trailing slash.
    bucket_url: String,
    credentials: Credentials,
}

/// The signing identity. The secret never appears in `Debug` output.
#[derive(Clone)]
pub struct Credentials {
    pub access_key: String,
    pub secret_key: String,
    pub region: String,
}

impl fmt::Debug for Credentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Credentials")
            .field("access_key", &self.access_key)
            .field("secret_key", &"[redacted]")
            .field("region", &self.region)
            .finish()
    }
}

impl S3Store {
    pub fn from_config(config: &StorageConfig) -> Result<Self, StorageConfigError> {
        let present = |value: &Option<String>| value.clone().filter(|v| !v.trim().is_empty());
        let endpoint = present(&config.s3_endpoint).ok_or(StorageConfigError::Missing(
            "--s3-endpoint (PORTAL_S3_ENDPOINT)",
        ))?;
        let bucket = present(&config.s3_bucket).ok_or(StorageConfigError::Missing(
            "--s3-bucket (PORTAL_S3_BUCKET)",
        ))?;
        let access_key = present(&config.s3_access_key).ok_or(StorageConfigError::Missing(
            "--s3-access-key (PORTAL_S3_ACCESS_KEY)",
        ))?;
        let secret_key = present(&config.s3_secret_key).ok_or(StorageConfigError::Missing(
            "--s3-secret-key (PORTAL_S3_SECRET_KEY)",
        ))?;
        let endpoint = endpoint.trim_end_matches('/').to_owned();
        let parsed = Url::parse(&endpoint)
            .ok()
            .filter(|u| matches!(u.scheme(), "http" | "https") && u.host_str().is_some());
        if parsed.is_none() {
            return Err(StorageConfigError::BadEndpoint(endpoint));
        }
        Ok(S3Store::new(
            &format!("{endpoint}/{}", uri_encode(&bucket, false)),
            Credentials {
                access_key,
                secret_key,
                region: config.s3_region.clone(),
            },
        ))
    }

    /// A store for `bucket_url` (`<endpoint>/<bucket>`), e.g. for tests.
    pub fn new(bucket_url: &str, credentials: Credentials) -> Self {
        let http = reqwest::Client::builder()
            .timeout(Duration::from_secs(30))
            .build()
            .unwrap_or_default();
        S3Store {
            http,
            bucket_url: bucket_url.trim_end_matches('/').to_owned(),
            credentials,
        }
    }

    /// Sends one signed request for `key`.
    async fn send(
        &self,
        method: Method,
        key: &str,
        content_type: Option<&str>,
        body: Vec<u8>,
    ) -> Result<reqwest::Response, StoreError> {
        let url = Url::parse(&format!("{}/{}", self.bucket_url, uri_encode(key, true))).map_err(
            |_| StoreError::Refused {
                status: 0,
                code: "InvalidKey".to_owned(),
            },
        )?;
        let payload_hash = hex(&Sha256::digest(&body));
        let amz_date = chrono::Utc::now().format("%Y%m%dT%H%M%SZ").to_string();
        let mut headers = vec![
            ("host".to_owned(), host_header(&url)),
            ("x-amz-content-sha256".to_owned(), payload_hash.clone()),
            ("x-amz-date".to_owned(), amz_date.clone()),
        ];
        if let Some(content_type) = content_type {
            headers.push(("content-type".to_owned(), content_type.to_owned()));
        }
        let authorization = sign(
            &self.credentials,
            method.as_str(),
            url.path(),
            &headers,
            &payload_hash,
            &amz_date,
        );
        let mut request = self.http.request(method, url);
        for (name, value) in headers.iter().filter(|(name, _)| name != "host") {
            request = request.header(name, value);
        }
        Ok(request
            .header("authorization", authorization)
            .body(body)
            .send()
            .await?)
    }
}

impl DocumentStore for S3Store {
    fn name(&self) -> &'static str {
        "s3"
    }

    fn put<'a>(
        &'a self,
        key: &'a str,
        content_type: &'a str,
        bytes: Vec<u8>,
    ) -> BoxFuture<'a, Result<(), StoreError>> {
        Box::pin(async move {
            let response = self
                .send(Method::PUT, key, Some(content_type), bytes)
                .await?;
            expect_success(response).await.map(|_| ())
        })
    }

    fn get<'a>(&'a self, key: &'a str) -> BoxFuture<'a, Result<Option<Vec<u8>>, StoreError>> {
        Box::pin(async move {
            let response = self.send(Method::GET, key, None, Vec::new()).await?;
            if response.status() == StatusCode::NOT_FOUND {
                return Ok(None);
            }
            let response = expect_success(response).await?;
            Ok(Some(response.bytes().await?.to_vec()))
        })
    }

    fn delete<'a>(&'a self, key: &'a str) -> BoxFuture<'a, Result<(), StoreError>> {
        Box::pin(async move {
            let response = self.send(Method::DELETE, key, None, Vec::new()).await?;
            // Deleting what is already gone is done.
            if response.status() == StatusCode::NOT_FOUND {
                return Ok(());
            }
            expect_success(response).await.map(|_| ())
        })
    }
}

/// A 2xx response, or the store's error code (`<Code>` of its XML error body).
async fn expect_success(response: reqwest::Response) -> Result<reqwest::Response, StoreError> {
    let status = response.status();
    if status.is_success() {
        return Ok(response);
    }
    let body = response.text().await.unwrap_or_default();
    let code = body
        .split_once("<Code>")
        .and_then(|(_, rest)| rest.split_once("</Code>"))
        .map_or_else(|| "unknown".to_owned(), |(code, _)| code.to_owned());
    Err(StoreError::Refused {
        status: status.as_u16(),
        code,
    })
}

/// `host[:port]` as the client sends it (the port only when not the scheme's default).
fn host_header(url: &Url) -> String {
    let host = url.host_str().unwrap_or_default();
    match url.port() {
        Some(port) => format!("{host}:{port}"),
        None => host.to_owned(),
    }
}

/// The `Authorization` header of AWS Signature Version 4 for service `s3`, signing every
/// header in `headers` (lower-case names) and the hex SHA-256 of the payload.
pub fn sign(
    credentials: &Credentials,
    method: &str,
    path: &str,
    headers: &[(String, String)],
    payload_hash: &str,
    amz_date: &str,
) -> String {
    let mut sorted: Vec<(String, String)> = headers
        .iter()
        .map(|(name, value)| (name.to_ascii_lowercase(), value.trim().to_owned()))
        .collect();
    sorted.sort();
    let canonical_headers: String = sorted
        .iter()
        .map(|(name, value)| format!("{name}:{value}\n"))
        .collect();
    let signed_headers = sorted
        .iter()
        .map(|(name, _)| name.as_str())
        .collect::<Vec<_>>()
        .join(";");
    let canonical_request =
        format!("{method}\n{path}\n\n{canonical_headers}\n{signed_headers}\n{payload_hash}");
    let date = &amz_date[..8];
    let scope = format!("{date}/{}/s3/aws4_request", credentials.region);
    let string_to_sign = format!(
        "AWS4-HMAC-SHA256\n{amz_date}\n{scope}\n{}",
        hex(&Sha256::digest(canonical_request.as_bytes()))
    );
    let key = signing_key(&credentials.secret_key, date, &credentials.region, "s3");
    let signature = hex(&hmac(&key, string_to_sign.as_bytes()));
    format!(
        "AWS4-HMAC-SHA256 Credential={}/{scope}, SignedHeaders={signed_headers}, Signature={signature}",
        credentials.access_key
    )
}

/// The day's signing key: HMAC chained over date, region, service and `aws4_request`.
fn signing_key(secret: &str, date: &str, region: &str, service: &str) -> Vec<u8> {
    let k_date = hmac(format!("AWS4{secret}").as_bytes(), date.as_bytes());
    let k_region = hmac(&k_date, region.as_bytes());
    let k_service = hmac(&k_region, service.as_bytes());
    hmac(&k_service, b"aws4_request")
}

fn hmac(key: &[u8], message: &[u8]) -> Vec<u8> {
    let mut mac = Hmac::<Sha256>::new_from_slice(key).expect("HMAC takes any key length");
    mac.update(message);
    mac.finalize().into_bytes().to_vec()
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Percent-encodes all but the unreserved characters, as SigV4 requires (`/` kept in keys).
fn uri_encode(value: &str, keep_slash: bool) -> String {
    value
        .bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-_.~".contains(&b) || (keep_slash && b == b'/') {
                char::from(b).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn example_credentials() -> Credentials {
        Credentials {
            access_key: "AKIAIOSFODNN7EXAMPLE".to_owned(),
            secret_key: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY".to_owned(),
            region: "us-east-1".to_owned(),
        }
    }

    #[test]
    fn the_signing_key_matches_the_aws_documentation_example() {
        let key = signing_key(
            "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
            "20120215",
            "us-east-1",
            "iam",
        );
        assert_eq!(
            hex(&key),
            "f4780e2d9f65fa895f9c67b32ce1baf0b0d8a43505a000a1a9e090d414db404d"
        );
    }

    #[test]
    fn a_get_is_signed_as_in_the_aws_s3_documentation_example() {
        let empty = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
        let headers = [
            ("Host", "examplebucket.s3.amazonaws.com"),
            ("Range", "bytes=0-9"),
            ("x-amz-content-sha256", empty),
            ("x-amz-date", "20130524T000000Z"),
        ]
        .map(|(n, v)| (n.to_owned(), v.to_owned()));
        let authorization = sign(
            &example_credentials(),
            "GET",
            "/test.txt",
            &headers,
            empty,
            "20130524T000000Z",
        );
        assert_eq!(
            authorization,
            "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request, \
             SignedHeaders=host;range;x-amz-content-sha256;x-amz-date, \
             Signature=f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41"
        );
    }

    #[test]
    fn keys_are_encoded_for_the_canonical_path() {
        assert_eq!(uri_encode("aid/att_1 a+b", true), "aid/att_1%20a%2Bb");
        assert_eq!(uri_encode("a/b", false), "a%2Fb");
    }

    #[test]
    fn the_secret_is_not_in_debug_output() {
        let shown = format!("{:?}", example_credentials());
        assert!(!shown.contains("wJalrXUtnFEMI"), "{shown}");
    }
}
