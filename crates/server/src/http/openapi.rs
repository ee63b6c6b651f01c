//! stub
pub async fn document() -> &'static str {
    "{}"
}
