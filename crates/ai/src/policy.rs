//! The compliance policy: evaluators may only use domestic models on domestic hosts.
//!
//! Model ids come in many spellings (`deepseek-chat`, `Qwen/Qwen2.5-72B-Instruct`,
//! `qwen2.5:7b`, `ep-2025…` endpoint ids): the family is read from the last path segment, so an
//! owner prefix cannot smuggle a foreign model in. Anything not recognised is refused unless an
//! administrator lists it in `[ai.policy] allow_models`.

use serde::{Deserialize, Serialize};

use crate::AiError;

/// Administrator overrides from `[ai.policy]`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Policy {
    /// Model ids allowed although not recognised as domestic (exact, case-insensitive).
    #[serde(default)]
    pub allow_models: Vec<String>,
    /// Hosts allowed although listed as foreign model services.
    #[serde(default)]
    pub allow_hosts: Vec<String>,
}

/// Domestic model families by id prefix, with the name shown to users.
pub const DOMESTIC_FAMILIES: &[(&str, &str)] = &[
    ("deepseek", "DeepSeek（深度求索）"),
    ("qwen", "通义千问"),
    ("qwq", "通义千问 QwQ"),
    ("qvq", "通义千问 QVQ"),
    ("doubao", "豆包"),
    ("skylark", "云雀（豆包）"),
    ("glm", "智谱 GLM"),
    ("chatglm", "智谱 ChatGLM"),
    ("codegeex", "智谱 CodeGeeX"),
    ("ernie", "文心一言"),
    ("hunyuan", "腾讯混元"),
    ("moonshot", "月之暗面 Moonshot"),
    ("kimi", "Kimi"),
    ("baichuan", "百川"),
    ("yi", "零一万物 Yi"),
    ("internlm", "书生·浦语"),
    ("minimax", "MiniMax"),
    ("abab", "MiniMax abab"),
    ("spark", "讯飞星火"),
    ("step", "阶跃星辰 Step"),
    ("sensechat", "商汤日日新"),
    ("telechat", "中国电信星辰"),
    ("xverse", "元象 XVERSE"),
    ("pangu", "华为盘古"),
];

/// Hosts of foreign model services (suffix match): a domestic model served from one of these is
/// still foreign hosted.
pub const FOREIGN_HOSTS: &[&str] = &[
    "openai.com",
    "openai.azure.com",
    "anthropic.com",
    "googleapis.com",
    "openrouter.ai",
    "together.xyz",
    "together.ai",
    "groq.com",
    "mistral.ai",
    "x.ai",
    "cohere.com",
    "cohere.ai",
    "fireworks.ai",
    "deepinfra.com",
    "perplexity.ai",
    "amazonaws.com",
    "huggingface.co",
    "replicate.com",
];

const RULE: &str = "依据数据合规要求，政务评估使用的 AI 模型必须为国产大模型（如 DeepSeek、通义千问、豆包），不得使用境外托管模型";

/// The domestic family of a model id, if recognised.
pub fn domestic_family(model: &str) -> Option<&'static str> {
    let id = model.trim().to_lowercase();
    let last = id.rsplit('/').next().unwrap_or(&id);
    DOMESTIC_FAMILIES.iter().find_map(|(prefix, label)| {
        let rest = last.strip_prefix(prefix)?;
        // The family name must end there: `yi-large`, `qwen2.5`, but not `yield`.
        let boundary = rest.chars().next().is_none_or(|c| !c.is_ascii_alphabetic());
        boundary.then_some(*label)
    })
}

fn host_of(base_url: &str) -> String {
    let after_scheme = base_url.split_once("://").map_or(base_url, |(_, r)| r);
    let authority = after_scheme.split(['/', '?', '#']).next().unwrap_or("");
    let host = authority.rsplit_once('@').map_or(authority, |(_, h)| h);
    let host = if host.starts_with('[') {
        host.split_once(']').map_or(host, |(h, _)| h).trim_start_matches('[')
    } else {
        host.split(':').next().unwrap_or(host)
    };
    host.to_lowercase()
}

impl Policy {
    /// Refuses a model or host the rule forbids, explaining why in Chinese.
    pub fn check(&self, model: &str, base_url: &str) -> Result<(), AiError> {
        let host = host_of(base_url);
        let host_allowed = self.allow_hosts.iter().any(|h| h.eq_ignore_ascii_case(&host));
        if !host_allowed
            && let Some(foreign) =
                FOREIGN_HOSTS.iter().find(|f| host == **f || host.ends_with(&format!(".{f}")))
        {
            return Err(AiError::NotAllowed(format!(
                "服务地址“{host}”属于境外模型服务（{foreign}）：{RULE}。如确需使用，须由管理员在配置 [ai.policy] allow_hosts 中明确放行。"
            )));
        }
        if self.allow_models.iter().any(|m| m.trim().eq_ignore_ascii_case(model.trim())) {
            return Ok(());
        }
        if domestic_family(model).is_some() {
            return Ok(());
        }
        Err(AiError::NotAllowed(format!(
            "模型“{model}”不在国产大模型允许清单内：{RULE}。允许的模型系列：{}。如确需使用其他模型（例如以接入点 ID 命名的豆包模型），须由管理员在配置 [ai.policy] allow_models 中明确放行。",
            DOMESTIC_FAMILIES.iter().map(|(p, _)| *p).collect::<Vec<_>>().join("、")
        )))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const DS: &str = "https://api.deepseek.com/v1";

    #[test]
    fn domestic_models_pass() {
        let p = Policy::default();
        for m in [
            "deepseek-chat",
            "deepseek-ai/DeepSeek-R1-Distill-Qwen-7B",
            "qwen-plus",
            "Qwen/Qwen2.5-72B-Instruct",
            "qwen2.5:7b",
            "qwq-32b",
            "doubao-1-5-pro-32k-250115",
            "glm-4-plus",
            "THUDM/chatglm3-6b",
            "ernie-4.0-8k",
            "hunyuan-turbo",
            "moonshot-v1-8k",
            "kimi-k2",
            "Baichuan4",
            "yi-large",
            "internlm2_5-7b-chat",
            "abab6.5s-chat",
            "step-1-8k",
        ] {
            assert!(p.check(m, DS).is_ok(), "{m} should be allowed");
        }
    }

    #[test]
    fn foreign_models_refused_with_the_rule() {
        let p = Policy::default();
        for m in [
            "gpt-4o",
            "claude-3-5-sonnet",
            "gemini-1.5-pro",
            "meta-llama/Llama-3.1-8B-Instruct",
            "llama3:8b",
            "deepseek/gpt-4",
            "yield-1",
            "ep-20250101-abc",
            "mistral-large",
        ] {
            let err = p.check(m, DS).unwrap_err().to_string();
            assert!(err.contains("国产大模型") && err.contains("allow_models") && err.contains(m), "{err}");
        }
    }

    #[test]
    fn foreign_hosts_refused_even_for_domestic_models() {
        let p = Policy::default();
        let err = p.check("deepseek/deepseek-chat", "https://openrouter.ai/api/v1").unwrap_err().to_string();
        assert!(err.contains("openrouter.ai") && err.contains("allow_hosts"), "{err}");
        assert!(p.check("qwen-max", "https://x.openai.azure.com/v1").is_err());
        assert!(p.check("qwen-max", "http://127.0.0.1:8000/v1").is_ok());
        assert!(p.check("qwen-max", "https://notopenai.com.cn/v1").is_ok());
    }

    #[test]
    fn administrator_override() {
        let p = Policy {
            allow_models: vec!["EP-20250101-ABC".into()],
            allow_hosts: vec!["openrouter.ai".into()],
        };
        assert!(p.check("ep-20250101-abc", DS).is_ok());
        assert!(p.check("gpt-4o", DS).is_err());
        assert!(p.check("deepseek-chat", "https://user@openrouter.ai:443/api").is_ok());
    }
}
