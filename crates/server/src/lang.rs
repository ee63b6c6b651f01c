//! The language of human messages, chosen from `Accept-Language`. Its own module, below
//! everything that words a message (errors, notifications, the admin CLI).
use axum::extract::FromRequestParts;
use axum::http::header;
use axum::http::request::Parts;

/// The language of human messages: English when `Accept-Language` prefers it, else Chinese.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lang {
    Zh,
    En,
}

impl Lang {
    pub fn from_header(value: Option<&str>) -> Lang {
        // The highest-weighted of the languages we speak; ties go to the earlier one.
        let mut best: Option<(f32, Lang)> = None;
        for item in value.unwrap_or("").split(',') {
            let mut parts = item.split(';');
            let tag = parts.next().unwrap_or("").trim().to_ascii_lowercase();
            let weight = parts
                .filter_map(|p| p.trim().strip_prefix("q="))
                .find_map(|q| q.parse::<f32>().ok())
                .unwrap_or(1.0);
            let lang = if tag.starts_with("en") {
                Lang::En
            } else if tag.starts_with("zh") {
                Lang::Zh
            } else {
                continue;
            };
            if best.is_none_or(|(w, _)| weight > w) {
                best = Some((weight, lang));
            }
        }
        best.map_or(Lang::Zh, |(_, lang)| lang)
    }

    /// Picks the wording for this language.
    pub fn pick<'a>(self, zh: &'a str, en: &'a str) -> &'a str {
        match self {
            Lang::Zh => zh,
            Lang::En => en,
        }
    }
}

impl<S: Send + Sync> FromRequestParts<S> for Lang {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        let value = parts
            .headers
            .get(header::ACCEPT_LANGUAGE)
            .and_then(|v| v.to_str().ok());
        Ok(Lang::from_header(value))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn english_is_chosen_only_when_preferred() {
        assert_eq!(Lang::from_header(Some("en-GB,en;q=0.9")), Lang::En);
        assert_eq!(Lang::from_header(Some("zh-CN,zh;q=0.9,en;q=0.8")), Lang::Zh);
        assert_eq!(Lang::from_header(None), Lang::Zh);
        assert_eq!(Lang::from_header(Some("zh;q=0.5, en;q=0.9")), Lang::En);
        assert_eq!(Lang::from_header(Some("fr-FR, en;q=0.5")), Lang::En);
        assert_eq!(Lang::from_header(Some("fr-FR")), Lang::Zh);
    }
}
