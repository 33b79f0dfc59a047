//! AI-generated content without the explicit label required since 2025-09-01
//! (国信办通字〔2025〕2号《人工智能生成合成内容标识办法》).
//!
//! Text cannot prove its own origin, so this looks only for strong signs: what a chat model
//! writes to the person who asked it, which an article written for readers never says —
//! speaking of itself as a model, the answer's opening ("好的，以下是…", "以下是一篇…"), its
//! closing offers ("希望…对您有所帮助", "如果您还有其他问题…", "请随时告诉我") and its advice
//! on the draft ("您可以根据实际情况进行修改"). Such an article must carry an explicit label
//! ("本文由AI生成", "AI辅助生成" …); an article without those signs is never flagged. The
//! lists are data (`lexicons/ai-signs.toml`); a user's `ai-signs.toml` adds to them.

use std::path::Path;
use std::sync::OnceLock;

use chrono::NaiveDate;
use memchr::memmem::Finder;
use serde::Deserialize;

use crate::lexicon::LexiconError;

/// The day the labelling measures took effect: articles published before are not judged.
pub const IN_FORCE: NaiveDate = match NaiveDate::from_ymd_opt(2025, 9, 1) {
    Some(d) => d,
    None => panic!("valid date"),
};

/// The file name of the signs, shipped and in a user's lexicon directory.
pub const FILE: &str = "ai-signs.toml";

const SHIPPED: &str = include_str!("../../../lexicons/ai-signs.toml");

/// An acknowledgement opens an answer when 以下是 follows within this many characters.
const OPENER_WINDOW: usize = 6;
/// 希望 stands within this many characters before a closing.
const CLOSING_WINDOW: usize = 12;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SignsFile {
    #[serde(rename = "name")]
    _name: String,
    kind: String,
    #[serde(default, rename = "source")]
    _source: String,
    #[serde(default, rename = "description")]
    _description: String,
    #[serde(default)]
    tells: Vec<String>,
    #[serde(default)]
    openers: Vec<String>,
    #[serde(default)]
    closings: Vec<String>,
    #[serde(default)]
    labels: Vec<String>,
}

/// The signs of a model's answer and the explicit labels (tells and labels with ASCII letters
/// upper-cased, as texts are matched).
#[derive(Debug, Clone)]
pub struct AiSigns {
    tells: Vec<String>,
    openers: Vec<String>,
    closings: Vec<String>,
    labels: Vec<String>,
    matchers: Matchers,
}

/// A searcher per tell, label and closing, built once (a text is searched for every one).
#[derive(Debug, Clone)]
struct Matchers {
    tells: Vec<Finder<'static>>,
    labels: Vec<Finder<'static>>,
    closings: Vec<Finder<'static>>,
}

impl Matchers {
    fn new(tells: &[String], labels: &[String], closings: &[String]) -> Matchers {
        let build =
            |patterns: &[String]| patterns.iter().map(|p| Finder::new(p.as_bytes()).into_owned()).collect();
        Matchers { tells: build(tells), labels: build(labels), closings: build(closings) }
    }
}

impl AiSigns {
    /// The shipped signs.
    pub fn builtin() -> &'static AiSigns {
        static SIGNS: OnceLock<AiSigns> = OnceLock::new();
        SIGNS.get_or_init(|| AiSigns::parse(FILE, SHIPPED).expect("the shipped ai-signs.toml is valid"))
    }

    /// Parses a signs file (`kind = "ai_signs"`).
    pub fn parse(file: &str, text: &str) -> Result<AiSigns, LexiconError> {
        let err = |message: String| LexiconError::File { file: file.to_owned(), message };
        let f: SignsFile = toml::from_str(text).map_err(|e| err(e.to_string()))?;
        if f.kind != "ai_signs" {
            return Err(err(format!("kind 应为 ai_signs，而不是“{}”", f.kind)));
        }
        let upper = |v: Vec<String>| {
            v.into_iter().map(|s| s.to_ascii_uppercase()).filter(|s| !s.is_empty()).collect()
        };
        Ok(AiSigns::new(upper(f.tells), f.openers, f.closings, upper(f.labels)))
    }

    fn new(tells: Vec<String>, openers: Vec<String>, closings: Vec<String>, labels: Vec<String>) -> AiSigns {
        let matchers = Matchers::new(&tells, &labels, &closings);
        AiSigns { tells, openers, closings, labels, matchers }
    }

    /// The shipped signs plus those of `dir/ai-signs.toml`, when the file exists.
    pub fn with_user_dir(dir: &Path) -> Result<AiSigns, LexiconError> {
        let path = dir.join(FILE);
        let signs = AiSigns::builtin().clone();
        if !path.is_file() {
            return Ok(signs);
        }
        let text = std::fs::read_to_string(&path)
            .map_err(|e| LexiconError::File { file: path.display().to_string(), message: e.to_string() })?;
        let user = AiSigns::parse(&path.display().to_string(), &text)?;
        let join = |mut a: Vec<String>, b: Vec<String>| {
            a.extend(b);
            a
        };
        Ok(AiSigns::new(
            join(signs.tells, user.tells),
            join(signs.openers, user.openers),
            join(signs.closings, user.closings),
            join(signs.labels, user.labels),
        ))
    }

    /// The first AI sign found in `text` when it carries no explicit label.
    pub fn unlabelled_tell(&self, text: &str) -> Option<String> {
        let upper = text.to_ascii_uppercase();
        let m = &self.matchers;
        if m.labels.iter().any(|l| l.find(upper.as_bytes()).is_some()) {
            return None;
        }
        if let Some(t) = m.tells.iter().position(|t| t.find(upper.as_bytes()).is_some()) {
            return Some(self.tells[t].clone());
        }
        self.answer_opening(text).or_else(|| self.helpful_closing(text))
    }

    /// "好的，以下是…": an acknowledgement followed by 以下是 a few characters later.
    fn answer_opening(&self, text: &str) -> Option<String> {
        text.match_indices("以下是").find_map(|(at, _)| {
            let before = last_chars(&text[..at], OPENER_WINDOW);
            self.openers.iter().find(|o| before.contains(o.as_str())).map(|o| format!("{o}，以下是"))
        })
    }

    /// "希望…对您有所帮助": a wish addressed to the asker about the help just given.
    fn helpful_closing(&self, text: &str) -> Option<String> {
        self.matchers.closings.iter().zip(&self.closings).find_map(|(finder, end)| {
            finder
                .find_iter(text.as_bytes())
                .any(|at| last_chars(&text[..at], CLOSING_WINDOW).contains("希望"))
                .then(|| format!("希望…{end}"))
        })
    }
}

/// The last `n` characters of `s`.
fn last_chars(s: &str, n: usize) -> &str {
    let start = s.char_indices().rev().nth(n.saturating_sub(1)).map_or(0, |(i, _)| i);
    &s[start..]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tell(t: &str) -> Option<String> {
        AiSigns::builtin().unlabelled_tell(t)
    }

    #[test]
    fn flags_model_boilerplate_without_label() {
        let t = "关于春季防火的提示。……希望以上内容对您有所帮助！";
        assert_eq!(tell(t).as_deref(), Some("希望…对您有所帮助"));
        let labelled = format!("{t}\n（本文由AI生成，经编辑审核）");
        assert_eq!(tell(&labelled), None);
        assert_eq!(tell("我市召开人工智能产业发展大会，推广AI应用。"), None);
    }

    #[test]
    fn openings_closings_and_advice_of_an_answer() {
        for t in [
            "当然可以！以下是关于社区养老服务的宣传稿：社区食堂开业……",
            "好的，以下是为某区撰写的通知。各街道……",
            "没问题。以下是修改后的版本：……",
            "……以上就是全部内容，希望这些信息能对您有所帮助。",
            "……以上是通知的草稿，您可以根据实际情况进行调整。",
            "如果您还有其他问题，欢迎继续提问。",
            "本文用ai写的：作为一个ai语言模型，我无法确认最新数据。",
        ] {
            assert!(tell(t).is_some(), "{t}");
        }
    }

    #[test]
    fn government_prose_that_looks_alike_is_not_flagged() {
        for t in [
            "以下是关于2025年春节放假安排的通知，请各单位遵照执行。",
            "现将有关事项通知如下。以下是本次招聘的岗位表。",
            "好的政策要落到实处。以下是我县今年的十件民生实事。",
            "我们希望通过本次活动帮助群众了解政策。",
            "本文配图由AI生成。我县积极推进“人工智能+”行动。",
        ] {
            assert_eq!(tell(t), None, "{t}");
        }
    }

    #[test]
    fn a_user_file_adds_signs_and_a_wrong_kind_is_an_error() {
        let dir = std::env::temp_dir().join(format!("govmedia-ai-signs-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(
            dir.join(FILE),
            "name = \"mine\"\nkind = \"ai_signs\"\ntells = [\"以上内容由大模型整理\"]\n",
        )
        .unwrap();
        let signs = AiSigns::with_user_dir(&dir).unwrap();
        std::fs::remove_dir_all(&dir).unwrap();
        assert!(signs.unlabelled_tell("以上内容由大模型整理，仅供参考。").is_some());
        assert!(tell("以上内容由大模型整理，仅供参考。").is_none());
        let wrong = AiSigns::parse("x.toml", "name = \"x\"\nkind = \"deny\"\n").unwrap_err();
        assert!(wrong.to_string().contains("ai_signs"), "{wrong}");
    }
}
