//! Classification markings (国家秘密标志) in published text.
//!
//! A state secret carries its marking: the level, a star and the period (GB/T 9704-2012
//! §7.2.2, e.g. 秘密★1年, 机密★6个月, 绝密★启用前). Published government content must not
//! carry one (保守国家秘密法 第二十二条: what is not a secret must not be marked as one; what
//! is, must not be published), so a marking in an article is either a leaked classified
//! document or a false marking: the 安全、泄密 problem that 国办秘函〔2019〕19号 vetoes.
//! Only the starred form counts: articles about secrecy education mention 绝密级 or 机密
//! freely.

use std::sync::LazyLock;

use regex::Regex;

static MARKING: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(绝密|机密|秘密)\s?[★☆*＊]\s?(\d{1,3}\s?(年|个月|月)|启用前|长期)?").expect("valid regex")
});

/// A classification marking found in a text: byte range and the marking as written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Marking {
    pub start: usize,
    pub end: usize,
    pub found: String,
}

/// Every classification marking in `text`.
pub fn markings(text: &str) -> Vec<Marking> {
    MARKING
        .find_iter(text)
        .map(|m| Marking { start: m.start(), end: m.end(), found: m.as_str().to_owned() })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn starred_markings_only() {
        let found: Vec<String> = markings("附件：机密★6个月 关于……的通知；绝密 ★ 启用前；秘密★")
            .into_iter()
            .map(|m| m.found)
            .collect();
        assert_eq!(found, ["机密★6个月", "绝密 ★ 启用前", "秘密★"]);
        assert!(markings("严禁在互联网上存储、处理绝密级、机密级国家秘密信息。").is_empty());
        assert!(markings("揭开秘密：★★★★★好评").is_empty());
    }
}
