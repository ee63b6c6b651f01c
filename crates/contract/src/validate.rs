//! Parse, don't validate: values that cannot exist unless valid. Shared by the portal (to say
//! what is wrong as the member types) and the server (to refuse it whatever the client did).
use std::fmt;

use serde::{Deserialize, Serialize};

/// Why a value was refused; `code()` is the stable string used in the error envelope.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum Invalid {
    #[error("a mainland mobile number is 11 digits starting with 13–19")]
    Phone,
    #[error("a resident ID number is 17 digits followed by a digit or X")]
    ResidentIdFormat,
    #[error("the resident ID number's birth date is not a real date")]
    ResidentIdBirthDate,
    #[error("the resident ID number's check digit does not match (a digit may be mistyped)")]
    ResidentIdCheckDigit,
    #[error("an amount must be a whole number of fen, not negative")]
    Amount,
    #[error("the code is 6 digits")]
    OneTimeCode,
}

impl Invalid {
    pub fn code(self) -> &'static str {
        match self {
            Invalid::Phone => "invalid_phone",
            Invalid::ResidentIdFormat => "invalid_id_format",
            Invalid::ResidentIdBirthDate => "invalid_id_birth_date",
            Invalid::ResidentIdCheckDigit => "invalid_id_check_digit",
            Invalid::Amount => "invalid_amount",
            Invalid::OneTimeCode => "invalid_code",
        }
    }
}

/// A mainland China mobile number: 11 digits, `1[3-9]…`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(try_from = "String", into = "String")]
pub struct PhoneNumber(String);

impl PhoneNumber {
    /// Accepts spaces and dashes as members type them (`138 0013 8000`), and a `+86` prefix.
    pub fn parse(input: &str) -> Result<Self, Invalid> {
        let digits: String = input.chars().filter(|c| !matches!(c, ' ' | '-')).collect();
        let digits = digits.strip_prefix("+86").unwrap_or(&digits);
        let bytes = digits.as_bytes();
        let valid = bytes.len() == 11
            && bytes.iter().all(u8::is_ascii_digit)
            && bytes[0] == b'1'
            && (b'3'..=b'9').contains(&bytes[1]);
        if valid {
            Ok(Self(digits.to_owned()))
        } else {
            Err(Invalid::Phone)
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// `138****5678`.
    pub fn masked(&self) -> String {
        crate::mask::phone(&self.0)
    }
}

impl TryFrom<String> for PhoneNumber {
    type Error = Invalid;
    fn try_from(value: String) -> Result<Self, Invalid> {
        Self::parse(&value)
    }
}

impl From<PhoneNumber> for String {
    fn from(value: PhoneNumber) -> String {
        value.0
    }
}

/// An 18-digit resident identity card number (GB 11643) with a valid ISO 7064 MOD 11-2 check
/// character. Its `Debug` output is masked so it cannot leak into logs by accident.
#[derive(Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(try_from = "String", into = "String")]
pub struct ResidentId(String);

const ID_WEIGHTS: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const ID_CHECK: [u8; 11] = *b"10X98765432";

impl ResidentId {
    /// Accepts a lower-case `x` and surrounding spaces.
    pub fn parse(input: &str) -> Result<Self, Invalid> {
        let id = input.trim().to_ascii_uppercase();
        let bytes = id.as_bytes();
        let well_formed = bytes.len() == 18
            && bytes[..17].iter().all(u8::is_ascii_digit)
            && (bytes[17].is_ascii_digit() || bytes[17] == b'X');
        if !well_formed {
            return Err(Invalid::ResidentIdFormat);
        }
        if !plausible_birth_date(&id[6..14]) {
            return Err(Invalid::ResidentIdBirthDate);
        }
        if check_character(&bytes[..17]) != bytes[17] {
            return Err(Invalid::ResidentIdCheckDigit);
        }
        Ok(Self(id))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// `4403**********1234`.
    pub fn masked(&self) -> String {
        crate::mask::resident_id(&self.0)
    }
}

impl fmt::Debug for ResidentId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "ResidentId({})", self.masked())
    }
}

impl TryFrom<String> for ResidentId {
    type Error = Invalid;
    fn try_from(value: String) -> Result<Self, Invalid> {
        Self::parse(&value)
    }
}

impl From<ResidentId> for String {
    fn from(value: ResidentId) -> String {
        value.0
    }
}

/// The ISO 7064 MOD 11-2 check character of the first 17 digits.
pub fn check_character(first17: &[u8]) -> u8 {
    let sum: u32 = first17
        .iter()
        .zip(ID_WEIGHTS)
        .map(|(d, w)| u32::from(d - b'0') * w)
        .sum();
    ID_CHECK[(sum % 11) as usize]
}

/// `YYYYMMDD` between 1900 and 2099 with a day that exists in that month.
fn plausible_birth_date(yyyymmdd: &str) -> bool {
    let num = |range: std::ops::Range<usize>| yyyymmdd[range].parse::<u32>().unwrap_or(0);
    let (year, month, day) = (num(0..4), num(4..6), num(6..8));
    let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    let days_in_month = match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => 0,
    };
    (1900..=2099).contains(&year) && (1..=days_in_month).contains(&day)
}

/// An amount of money in fen (1/100 yuan). Never a float.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default, Serialize, Deserialize,
)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Fen(pub i64);

impl Fen {
    /// Whole yuan.
    pub const fn yuan(yuan: i64) -> Self {
        Fen(yuan * 100)
    }

    /// Parses what a member types as yuan (`1234`, `1,234.5`, `¥1234.50`) into fen exactly.
    pub fn parse_yuan(input: &str) -> Result<Self, Invalid> {
        let cleaned: String = input
            .trim()
            .trim_start_matches(['¥', '￥'])
            .chars()
            .filter(|c| *c != ',')
            .collect();
        let (whole, fraction) = cleaned.split_once('.').unwrap_or((&cleaned, ""));
        let digits_only = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
        if whole.is_empty()
            || whole.len() > 12
            || fraction.len() > 2
            || !digits_only(whole)
            || !digits_only(fraction)
        {
            return Err(Invalid::Amount);
        }
        let whole: i64 = whole.parse().map_err(|_| Invalid::Amount)?;
        let fraction: i64 = format!("{fraction:0<2}")
            .parse()
            .map_err(|_| Invalid::Amount)?;
        Ok(Fen(whole * 100 + fraction))
    }

    /// `¥1,234.00`.
    pub fn display_yuan(self) -> String {
        let sign = if self.0 < 0 { "-" } else { "" };
        let abs = self.0.unsigned_abs();
        format!("{sign}¥{}.{:02}", group_thousands(abs / 100), abs % 100)
    }

    /// `2万元` / `1.5万元` for round large sums, `¥3,000.00`-style otherwise (zh-CN designs).
    pub fn display_wan(self) -> String {
        let yuan = self.0 / 100;
        if self.0 % 100 == 0 && yuan >= 10_000 && yuan % 1_000 == 0 {
            let wan = yuan / 10_000;
            let tenth = (yuan % 10_000) / 1_000;
            return if tenth == 0 {
                format!("{wan}万元")
            } else {
                format!("{wan}.{tenth}万元")
            };
        }
        self.display_yuan()
    }
}

fn group_thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// A 6-digit one-time code as typed.
pub fn parse_one_time_code(input: &str) -> Result<String, Invalid> {
    let code = input.trim();
    if code.len() == 6 && code.bytes().all(|b| b.is_ascii_digit()) {
        Ok(code.to_owned())
    } else {
        Err(Invalid::OneTimeCode)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mobile_numbers_are_accepted_as_members_type_them() {
        assert_eq!(
            PhoneNumber::parse("138 0013 8000").unwrap().as_str(),
            "13800138000"
        );
        assert_eq!(
            PhoneNumber::parse("+8619912345678").unwrap().as_str(),
            "19912345678"
        );
        assert_eq!(PhoneNumber::parse("12800138000"), Err(Invalid::Phone));
        assert_eq!(PhoneNumber::parse("1380013800"), Err(Invalid::Phone));
        assert_eq!(PhoneNumber::parse("1380013800a"), Err(Invalid::Phone));
    }

    #[test]
    fn a_valid_resident_id_passes_its_check_digit() {
        // GB 11643's published example.
        assert!(ResidentId::parse("11010519491231002X").is_ok());
        assert!(ResidentId::parse("11010519491231002x").is_ok());
        assert!(ResidentId::parse("440308199901010012").is_ok());
    }

    #[test]
    fn a_mistyped_digit_fails_the_check_digit() {
        assert_eq!(
            ResidentId::parse("110105194912310021"),
            Err(Invalid::ResidentIdCheckDigit)
        );
        assert_eq!(
            ResidentId::parse("440308199901010013"),
            Err(Invalid::ResidentIdCheckDigit)
        );
    }

    #[test]
    fn malformed_ids_say_what_is_wrong() {
        assert_eq!(
            ResidentId::parse("1101051949123100"),
            Err(Invalid::ResidentIdFormat)
        );
        assert_eq!(
            ResidentId::parse("11010519491231002Y"),
            Err(Invalid::ResidentIdFormat)
        );
        assert_eq!(
            ResidentId::parse("110105194902300027"),
            Err(Invalid::ResidentIdBirthDate)
        );
    }

    #[test]
    fn resident_ids_never_print_in_full() {
        let id = ResidentId::parse("11010519491231002X").unwrap();
        assert_eq!(format!("{id:?}"), "ResidentId(1101**********002X)");
    }

    #[test]
    fn the_check_character_matches_iso_7064() {
        assert_eq!(check_character(b"11010519491231002"), b'X');
    }

    #[test]
    fn amounts_format_as_yuan_with_grouping() {
        assert_eq!(Fen(123_400).display_yuan(), "¥1,234.00");
        assert_eq!(Fen(5).display_yuan(), "¥0.05");
        assert_eq!(Fen(300_000_000).display_yuan(), "¥3,000,000.00");
        assert_eq!(Fen(-1050).display_yuan(), "-¥10.50");
    }

    #[test]
    fn large_round_amounts_use_wan() {
        assert_eq!(Fen::yuan(20_000).display_wan(), "2万元");
        assert_eq!(Fen::yuan(15_000).display_wan(), "1.5万元");
        assert_eq!(Fen::yuan(3_000).display_wan(), "¥3,000.00");
    }

    #[test]
    fn typed_yuan_parse_exactly_into_fen() {
        assert_eq!(Fen::parse_yuan("1,234.5"), Ok(Fen(123_450)));
        assert_eq!(Fen::parse_yuan("¥3000"), Ok(Fen(300_000)));
        assert_eq!(Fen::parse_yuan("0.01"), Ok(Fen(1)));
        assert_eq!(Fen::parse_yuan("1.234"), Err(Invalid::Amount));
        assert_eq!(Fen::parse_yuan("-5"), Err(Invalid::Amount));
        assert_eq!(Fen::parse_yuan(""), Err(Invalid::Amount));
    }

    #[test]
    fn one_time_codes_are_six_digits() {
        assert_eq!(parse_one_time_code(" 123456 "), Ok("123456".into()));
        assert_eq!(parse_one_time_code("12345"), Err(Invalid::OneTimeCode));
    }
}
