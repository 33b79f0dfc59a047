//! AI-generated content without the explicit label required since 2025-09-01
//! (国信办通字〔2025〕2号《人工智能生成合成内容标识办法》).
//!
//! Text cannot prove its own origin, so this looks only for strong signs: what a chat model
//! writes to the person who asked it, which an article written for readers never says —
//! speaking of itself as a model, the answer's opening ("好的，以下是…", "以下是一篇…"), its
//! closing offers ("希望…对您有所帮助", "如果您还有其他问题…", "请随时告诉我") and its advice
//! on the draft ("您可以根据实际情况进行修改"). Such an article must carry an explicit label
//! ("本文由AI生成", "AI辅助生成" …); an article without those signs is never flagged.

use chrono::NaiveDate;

/// The day the labelling measures took effect: articles published before are not judged.
pub const IN_FORCE: NaiveDate = match NaiveDate::from_ymd_opt(2025, 9, 1) {
    Some(d) => d,
    None => panic!("valid date"),
};

/// Phrases only a chat model's answer contains (matched with ASCII letters upper-cased).
const TELLS: &[&str] = &[
    "作为一个人工智能",
    "作为一个AI",
    "作为AI语言模型",
    "作为一个语言模型",
    "作为人工智能语言模型",
    "我是一个人工智能",
    "我无法浏览互联网",
    "我无法获取最新",
    "截至我的知识更新",
    "我的知识截止",
    "以下是根据您的要求",
    "根据您提供的信息，以下是",
    "以下是一篇",
    "以下是为您",
    "您可以根据实际情况进行修改",
    "您可以根据实际情况进行调整",
    "可根据您的实际情况",
    "如需进一步修改",
    "如果您还有其他问题",
    "如果您需要更多信息",
    "请随时告诉我",
    "随时告诉我",
];

/// How an answer opens: an acknowledgement, then "以下是" within the same sentence.
const OPENERS: &[&str] = &["好的", "当然", "没问题", "明白了", "当然可以"];

/// Explicit labels (显式标识).
const LABELS: &[&str] = &[
    "由AI生成",
    "AI生成内容",
    "人工智能生成",
    "由人工智能",
    "AI辅助生成",
    "AI辅助创作",
    "由AI辅助",
    "AI创作",
    "AI合成",
    "生成式人工智能",
];

/// The first AI sign found in `text` when it carries no explicit label.
pub fn unlabelled_tell(text: &str) -> Option<String> {
    let upper = text.to_ascii_uppercase();
    if LABELS.iter().any(|l| upper.contains(l)) {
        return None;
    }
    if let Some(t) = TELLS.iter().find(|t| upper.contains(*t)) {
        return Some((*t).to_owned());
    }
    answer_opening(text).or_else(|| helpful_closing(text))
}

/// "好的，以下是…": an acknowledgement followed by 以下是 a few characters later.
fn answer_opening(text: &str) -> Option<String> {
    for (at, _) in text.match_indices("以下是") {
        let before: String = text[..at].chars().rev().take(6).collect::<Vec<_>>().into_iter().rev().collect();
        if let Some(o) = OPENERS.iter().find(|o| before.contains(*o)) {
            return Some(format!("{o}，以下是"));
        }
    }
    None
}

/// "希望…对您有所帮助": a wish addressed to the asker about the help just given.
fn helpful_closing(text: &str) -> Option<String> {
    for end in ["对您有所帮助", "对您有帮助", "能帮到您"] {
        for (at, _) in text.match_indices(end) {
            let before: String =
                text[..at].chars().rev().take(12).collect::<Vec<_>>().into_iter().rev().collect();
            if before.contains("希望") {
                return Some(format!("希望…{end}"));
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flags_model_boilerplate_without_label() {
        let t = "关于春季防火的提示。……希望以上内容对您有所帮助！";
        assert_eq!(unlabelled_tell(t).as_deref(), Some("希望…对您有所帮助"));
        let labelled = format!("{t}\n（本文由AI生成，经编辑审核）");
        assert_eq!(unlabelled_tell(&labelled), None);
        assert_eq!(unlabelled_tell("我市召开人工智能产业发展大会，推广AI应用。"), None);
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
            assert!(unlabelled_tell(t).is_some(), "{t}");
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
            assert_eq!(unlabelled_tell(t), None, "{t}");
        }
    }
}
