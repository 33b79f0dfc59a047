//! Word segmentation: one shared jieba instance with a government-domain user dictionary.
//!
//! The dictionary (`lexicons/gov-userdict.txt`) holds unit and account names of the 2025
//! registry sample, administrative divisions in use and law titles, so that names like
//! "六安市人民政府办公室" stay whole instead of being split into generic words.

use std::sync::LazyLock;

use jieba_rs::Jieba;

const USER_DICT: &str = include_str!("../../../lexicons/gov-userdict.txt");

static JIEBA: LazyLock<Jieba> = LazyLock::new(|| {
    let mut j = Jieba::new();
    for line in USER_DICT.lines().filter(|l| !l.starts_with('#')) {
        let mut it = line.split_whitespace();
        let Some(word) = it.next() else { continue };
        let freq = it.next().and_then(|f| f.parse().ok());
        j.add_word(word, freq, it.next());
    }
    j
});

/// The shared segmenter (built on first use: about 0.1 s in release builds).
pub fn jieba() -> &'static Jieba {
    &JIEBA
}

/// Words of `text` (precise mode, HMM for unknown words), punctuation and spaces removed.
pub fn words(text: &str) -> Vec<&str> {
    JIEBA
        .cut(text, true)
        .into_iter()
        .map(|t| t.word)
        .filter(|w| w.chars().any(char::is_alphanumeric))
        .collect()
}

/// True when jieba's dictionary tags `term` as a person's name (nr, nrfg).
pub fn is_person_name(term: &str) -> bool {
    let tags = JIEBA.tag(term, false);
    tags.len() == 1 && matches!(tags[0].tag, "nr" | "nrfg")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_government_names_whole() {
        let w = words("六安市人民政府发布《政府信息公开条例》解读");
        assert!(w.contains(&"六安市人民政府发布"), "{w:?}");
        assert!(w.contains(&"政府信息公开条例"), "{w:?}");
        assert!(!w.contains(&"《"));
    }

    #[test]
    fn recognises_person_names() {
        assert!(is_person_name("胡锦涛"));
        assert!(!is_person_name("海洛因冰毒"));
    }
}
