//! Identifiers in their real formats: original ids, `__biz`, article URLs, and the personal
//! numbers planted in comments (phones, ID numbers with a valid check digit, Luhn-valid cards).

use crate::rng::Rng;

/// A WeChat original id: `gh_` and 12 hex digits.
pub(crate) fn original_id(rng: &mut Rng) -> String {
    format!("gh_{}", rng.hex(12))
}

/// A `__biz`: the base64 of the account's decimal uin, as the platform forms it.
pub(crate) fn biz(rng: &mut Rng) -> String {
    let uin = 3_000_000_000u64 + rng.below(1_000_000_000);
    base64(uin.to_string().as_bytes())
}

fn base64(bytes: &[u8]) -> String {
    const T: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::new();
    for chunk in bytes.chunks(3) {
        let b = [chunk[0], *chunk.get(1).unwrap_or(&0), *chunk.get(2).unwrap_or(&0)];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(char::from(T[((n >> (18 - 6 * i)) & 63) as usize]));
            } else {
                out.push('=');
            }
        }
    }
    out
}

/// An article URL in the platform's long form.
pub(crate) fn article_url(biz: &str, mid: u64, idx: u32, rng: &mut Rng) -> String {
    format!("https://mp.weixin.qq.com/s?__biz={biz}&mid={mid}&idx={idx}&sn={}", rng.hex(32))
}

/// A mainland mobile number (11 digits, 13x–19x).
pub(crate) fn phone(rng: &mut Rng) -> String {
    let second = *rng.pick(&[3u8, 5, 7, 8, 9]);
    let rest: String = (0..9).map(|_| char::from(b'0' + rng.below(10) as u8)).collect();
    format!("1{second}{rest}")
}

/// The GB 11643 check character of the first 17 digits of an ID number (ISO 7064 MOD 11-2).
pub(crate) fn id_check_char(first17: &str) -> char {
    const W: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
    let sum: u32 = first17.chars().zip(W).map(|(c, w)| c.to_digit(10).expect("digit") * w).sum();
    b"10X98765432"[(sum % 11) as usize] as char
}

/// An 18-digit resident ID number of someone born in `region` (a six-digit code).
pub(crate) fn id_number(region: &str, rng: &mut Rng) -> String {
    let year = rng.range(1950, 2005);
    let month = rng.range(1, 12);
    let day = rng.range(1, 28);
    let seq = rng.range(0, 999);
    let first17 = format!("{region}{year}{month:02}{day:02}{seq:03}");
    format!("{first17}{}", id_check_char(&first17))
}

/// A 16-digit UnionPay card number whose last digit passes the Luhn check.
pub(crate) fn bank_card(rng: &mut Rng) -> String {
    let body: String =
        std::iter::once("62".to_owned()).chain((0..13).map(|_| rng.below(10).to_string())).collect();
    format!("{body}{}", luhn_digit(&body))
}

/// The digit that makes `body` + digit pass the Luhn check.
pub(crate) fn luhn_digit(body: &str) -> u32 {
    let sum: u32 = body
        .chars()
        .rev()
        .enumerate()
        .map(|(i, c)| {
            let d = c.to_digit(10).expect("digit");
            if i % 2 == 0 {
                let x = d * 2;
                if x > 9 { x - 9 } else { x }
            } else {
                d
            }
        })
        .sum();
    (10 - sum % 10) % 10
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn real_formats() {
        // A published example of GB 11643 (11010519491231002X).
        assert_eq!(id_check_char("11010519491231002"), 'X');
        assert_eq!(base64(b"3095097620"), "MzA5NTA5NzYyMA==");
        assert_eq!(luhn_digit("7992739871"), 3);
        let mut r = Rng::new(3, "ids");
        let id = id_number("340711", &mut r);
        assert_eq!(id.len(), 18);
        assert_eq!(id.chars().last(), Some(id_check_char(&id[..17])));
        let card = bank_card(&mut r);
        assert_eq!(card.len(), 16);
        assert_eq!(luhn_digit(&card[..15]), card[15..].parse::<u32>().unwrap());
        let p = phone(&mut r);
        assert!(p.len() == 11 && p.starts_with('1'));
        assert!(original_id(&mut r).starts_with("gh_"));
    }
}
