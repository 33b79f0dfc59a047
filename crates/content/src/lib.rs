//! Chinese content analysis: originality, safety lexicons, classification.
//!
//! Everything works offline: the lexicons under `lexicons/` are compiled into the binary and
//! user lexicons can be added from a directory.

pub mod ai_label;
pub mod body;
pub mod classification;
pub mod classify;
pub mod docnum;
pub mod lexicon;
pub mod minhash;
pub mod originality;
pub mod safety;
pub mod segment;
pub mod sentiment;
pub mod text;

pub use classify::{ClassifyError, classify_csv};
use govmedia_checks::Check;

/// The content checks, ready for the engine: safety, originality and classification.
///
/// Check names and their main metric `score` (0–1); the other metrics are documented on
/// [`safety`], [`originality`] and [`classification`].
pub fn content_checks() -> Vec<Box<dyn Check>> {
    vec![
        Box::new(safety::SafetyCheck::new()),
        Box::new(originality::OriginalityCheck::new()),
        Box::new(classification::ClassificationCheck::new()),
    ]
}

/// Like [`content_checks`], with the user lexicons in `dir` added to the shipped ones.
pub fn content_checks_with_lexicons(
    dir: &std::path::Path,
) -> Result<Vec<Box<dyn Check>>, lexicon::LexiconError> {
    Ok(vec![
        Box::new(safety::SafetyCheck::with_user_lexicons(dir)?),
        Box::new(originality::OriginalityCheck::new()),
        Box::new(classification::ClassificationCheck::new()),
    ])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn checks_have_their_contract_names_and_user_lexicons_load() {
        let names: Vec<_> = content_checks().iter().map(|c| c.name()).collect();
        assert_eq!(names, ["safety", "originality", "classification"]);
        let dir = std::env::temp_dir().join(format!("govmedia-lex-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join("menu.toml"), "other = 1\n").unwrap();
        std::fs::write(
            dir.join("mine.toml"),
            "name = \"mine\"\nkind = \"deny\"\ncategory = \"自定义\"\nterms = [\"测试违禁词\"]\n",
        )
        .unwrap();
        assert_eq!(content_checks_with_lexicons(&dir).unwrap().len(), 3);
        let check = safety::SafetyCheck::with_user_lexicons(&dir).unwrap();
        let mut a = govmedia_model::Article::new(
            "A",
            "u",
            "标题",
            govmedia_model::time::parse_time("t", "2025-01-01").unwrap(),
        );
        a.content = Some("正文里有测试 违禁词。".into());
        let (f, _) = check.article_findings(&a);
        assert_eq!(f.len(), 1);
        assert_eq!(f[0].evidence["category"], "自定义");
        std::fs::write(dir.join("bad.toml"), "name = \"bad\"\nkind = \"deny\"\nterms = 3\n").unwrap();
        assert!(content_checks_with_lexicons(&dir).is_err());
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
