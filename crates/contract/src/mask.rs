//! Masking for display: personal numbers are never shown in full.

/// `4403**********1234`: the first 4 and last 4 characters of an 18-character ID.
pub fn resident_id(id: &str) -> String {
    keep_ends(id, 4, 4)
}

/// `138****5678`.
pub fn phone(number: &str) -> String {
    keep_ends(number, 3, 4)
}

/// `6217 **** **** 1234`: bank card numbers in groups of four.
pub fn card_number(number: &str) -> String {
    let digits: String = number.chars().filter(char::is_ascii_digit).collect();
    if digits.len() < 8 {
        return "*".repeat(digits.len());
    }
    let middle_groups = (digits.len() - 8).div_ceil(4);
    let mut out = digits[..4].to_owned();
    for _ in 0..middle_groups {
        out.push_str(" ****");
    }
    out.push(' ');
    out.push_str(&digits[digits.len() - 4..]);
    out
}

/// `张*` / `欧阳**`: the family name only (first character).
pub fn name(full: &str) -> String {
    let mut chars = full.chars();
    match chars.next() {
        Some(first) => std::iter::once(first).chain(chars.map(|_| '*')).collect(),
        None => String::new(),
    }
}

fn keep_ends(value: &str, head: usize, tail: usize) -> String {
    let chars: Vec<char> = value.chars().collect();
    if chars.len() <= head + tail {
        return "*".repeat(chars.len());
    }
    let hidden = chars.len() - head - tail;
    chars[..head]
        .iter()
        .chain(std::iter::repeat_n(&'*', hidden))
        .chain(&chars[chars.len() - tail..])
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_keep_four_and_four() {
        assert_eq!(resident_id("440308199901011234"), "4403**********1234");
    }

    #[test]
    fn phones_keep_three_and_four() {
        assert_eq!(phone("13812345678"), "138****5678");
    }

    #[test]
    fn card_numbers_are_grouped_and_masked() {
        assert_eq!(card_number("6217000012341234"), "6217 **** **** 1234");
        assert_eq!(
            card_number("6217 0000 1234 5678 901"),
            "6217 **** **** **** 8901"
        );
    }

    #[test]
    fn short_values_are_fully_masked() {
        assert_eq!(phone("1234"), "****");
        assert_eq!(card_number("1234"), "****");
    }

    #[test]
    fn names_keep_the_family_name() {
        assert_eq!(name("张伟"), "张*");
        assert_eq!(name("欧阳娜娜"), "欧***");
    }
}
