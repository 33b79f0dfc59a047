//! AI-generated content without the explicit label required since 2025-09-01
//! (国信办通字〔2025〕2号《人工智能生成合成内容标识办法》).
//!
//! Text cannot prove its own origin, so this looks only for strong signs: boilerplate that
//! chat models leave in their answers ("作为一个人工智能语言模型", "希望以上内容对您有所帮助"
//! …). Such an article must carry an explicit label ("本文由AI生成", "AI辅助生成" …);
//! an article without those signs is never flagged.

/// Phrases chat models leave in generated text.
const TELLS: &[&str] = &[
    "作为一个人工智能",
    "作为一个AI",
    "作为AI语言模型",
    "作为一个语言模型",
    "作为人工智能语言模型",
    "我是一个人工智能",
    "我无法浏览互联网",
    "截至我的知识更新",
    "我的知识截止",
    "希望以上内容对您有所帮助",
    "希望这篇文章对您有所帮助",
    "以下是根据您的要求",
    "根据您提供的信息，以下是",
    "如需进一步修改，请告诉我",
    "如果您需要更多信息，请随时告诉我",
];

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

/// The first AI tell found in `text` when it carries no explicit label.
pub fn unlabelled_tell(text: &str) -> Option<&'static str> {
    let upper = text.to_uppercase();
    let tell = TELLS.iter().find(|t| upper.contains(&t.to_uppercase()))?;
    if LABELS.iter().any(|l| upper.contains(&l.to_uppercase())) {
        return None;
    }
    Some(tell)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flags_model_boilerplate_without_label() {
        let t = "关于春季防火的提示。……希望以上内容对您有所帮助！";
        assert_eq!(unlabelled_tell(t), Some("希望以上内容对您有所帮助"));
        let labelled = format!("{t}\n（本文由AI生成，经编辑审核）");
        assert_eq!(unlabelled_tell(&labelled), None);
        assert_eq!(unlabelled_tell("我市召开人工智能产业发展大会，推广AI应用。"), None);
    }
}
