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
pub mod official_names;
pub mod originality;
pub mod safety;
pub mod secrecy;
pub mod segment;
pub mod sentiment;
pub mod text;

use std::path::PathBuf;

pub use classify::{ClassifyError, classify_csv};
use govmedia_checks::Check;

/// What a user adds to the shipped content resources.
#[derive(Debug, Clone, Default)]
pub struct ContentOptions {
    /// A directory of user lexicons (`*.toml`), used beside the shipped ones.
    pub lexicons: Option<PathBuf>,
    /// A CSV of labelled titles (`title`, `category`), added to the classifier's training set.
    pub labelled_titles: Option<PathBuf>,
}

/// Errors of [`content_checks`]: a user file that cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum ContentError {
    #[error(transparent)]
    Lexicon(#[from] lexicon::LexiconError),
    #[error(transparent)]
    Labelled(#[from] ClassifyError),
}

/// Builds the shipped tables and models now rather than on first use: folding table, lexicons,
/// official names, AI signs, sentiment model, segmenter dictionary and classifier (together
/// about 0.3 s of CPU). An evaluation runs this while it reads the store, so that no thread of
/// the assessment builds them while the others wait. The safety check's tables and the
/// classifier's are built on two threads: the first accounts read need both.
pub fn warm_up() {
    std::thread::scope(|s| {
        s.spawn(|| {
            let _ = segment::jieba();
            let _ = classify::default_classifier();
        });
        text::warm_up();
        let _ = lexicon::builtin();
        let _ = official_names::OfficialNames::builtin();
        let _ = ai_label::AiSigns::builtin();
        sentiment::warm_up();
    });
}

/// The content checks, ready for the engine: safety, originality and classification, with
/// the user's lexicons and labelled titles of `options` added to the shipped ones.
///
/// Check names and their main metric `score` (0–1); the other metrics are documented on
/// [`safety`], [`originality`] and [`classification`].
pub fn content_checks(options: &ContentOptions) -> Result<Vec<Box<dyn Check>>, ContentError> {
    let safety = match &options.lexicons {
        Some(dir) => safety::SafetyCheck::with_user_lexicons(dir)?,
        None => safety::SafetyCheck::new(),
    };
    let classification = match &options.labelled_titles {
        Some(path) => {
            let extra = classify::read_labelled_file(path)?;
            classification::ClassificationCheck::with_classifier(classify::classifier_with(&extra))
        }
        None => classification::ClassificationCheck::new(),
    };
    Ok(vec![Box::new(safety), Box::new(originality::OriginalityCheck::new()), Box::new(classification)])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn checks_have_their_contract_names_and_user_lexicons_load() {
        let names: Vec<_> =
            content_checks(&ContentOptions::default()).unwrap().iter().map(|c| c.name()).collect();
        assert_eq!(names, ["safety", "originality", "classification"]);
        let dir = std::env::temp_dir().join(format!("govmedia-lex-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join("menu.toml"), "other = 1\n").unwrap();
        std::fs::write(
            dir.join("mine.toml"),
            "name = \"mine\"\nkind = \"deny\"\ncategory = \"自定义\"\nterms = [\"测试违禁词\"]\n",
        )
        .unwrap();
        let with_dir = ContentOptions { lexicons: Some(dir.clone()), ..ContentOptions::default() };
        assert_eq!(content_checks(&with_dir).unwrap().len(), 3);
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
        assert!(matches!(content_checks(&with_dir), Err(ContentError::Lexicon(_))));
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
