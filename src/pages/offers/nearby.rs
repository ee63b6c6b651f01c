//! "Nearest first": the member's position, asked for only when they tap the button, kept for
//! this tab (never sent anywhere but the offers query), and distances in words.
use crate::browser::geolocation::{self, PositionError};
use crate::i18n::{Strings, fill};
use crate::state::device;

const KEY: &str = "portal.member.position";

/// Why no position could be had.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LocationError {
    /// The member (or WeChat, or the browser) refused.
    Denied,
    /// No fix, a timeout, or no geolocation at all.
    Unavailable,
}

impl LocationError {
    pub fn text(self, strings: &'static Strings) -> &'static str {
        match self {
            LocationError::Denied => strings.offers().location_denied,
            LocationError::Unavailable => strings.offers().location_unavailable,
        }
    }
}

/// The position saved when the member last allowed it in this tab: (latitude, longitude).
///
/// Kept as whole micro-degrees, so neither saving nor reading pulls float formatting and
/// parsing into the chunk.
pub fn saved() -> Option<(f64, f64)> {
    let text = device::get_for_tab(KEY)?;
    let (lat, lng) = text.split_once(',')?;
    let degrees = |micro: &str| micro.parse::<i64>().ok().map(|m| m as f64 / 1e6);
    Some((degrees(lat)?, degrees(lng)?))
}

/// Asks the browser for the member's position (it shows its own prompt) and saves it.
pub async fn locate() -> Result<(f64, f64), LocationError> {
    let (lat, lng) = geolocation::current_position(15_000, 300_000)
        .await
        .map_err(|error| match error {
            PositionError::Denied => LocationError::Denied,
            PositionError::Unavailable => LocationError::Unavailable,
        })?;
    let micro = |degrees: f64| (degrees * 1e6).round() as i64;
    device::set_for_tab(KEY, &format!("{},{}", micro(lat), micro(lng)));
    Ok((lat, lng))
}

/// `350米`, `1.3公里`, `12公里` (integer arithmetic: no float formatting in the chunk).
pub fn distance_text(metres: u32, strings: &'static Strings) -> String {
    let offers = strings.offers();
    let tenths = (metres + 50) / 100;
    match metres {
        0..1_000 => fill(offers.metres, metres),
        _ if tenths < 100 => fill(
            offers.kilometres,
            format!("{}.{}", tenths / 10, tenths % 10),
        ),
        _ => fill(offers.kilometres, (metres + 500) / 1000),
    }
}

/// Distance in metres between two WGS 84 points, flat-earth approximation: within a city it
/// is off by well under 1%, and it needs one cosine rather than the haversine's four.
pub fn metres_between(a: (f64, f64), b: (f64, f64)) -> u32 {
    const METRES_PER_DEGREE: f64 = 111_195.0;
    let mean_latitude = ((a.0 + b.0) / 2.0).to_radians();
    let north = (b.0 - a.0) * METRES_PER_DEGREE;
    let east = (b.1 - a.1) * METRES_PER_DEGREE * mean_latitude.cos();
    (north * north + east * east).sqrt().round() as u32
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::Locale;

    #[test]
    fn distances_read_naturally() {
        let zh = Locale::ZhCn.strings();
        assert_eq!(distance_text(350, zh), "350米");
        assert_eq!(distance_text(1_250, zh), "1.3公里");
        assert_eq!(distance_text(9_960, zh), "10公里");
        assert_eq!(distance_text(12_400, zh), "12公里");
        assert_eq!(distance_text(999, Locale::En.strings()), "999 m");
    }

    #[test]
    fn across_shenzhen_is_about_twenty_kilometres() {
        let futian = (22.5431, 114.0579);
        let baoan = (22.5550, 113.8836);
        let km = metres_between(futian, baoan) / 1000;
        assert!((17..19).contains(&km), "{km} km");
    }
}
