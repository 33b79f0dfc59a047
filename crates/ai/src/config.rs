//! Provider profiles and the compliance policy, read from the `[ai]` table of `govmedia.toml`.
//!
//! API keys never live in files: a profile names the environment variable that holds its key.

use std::collections::BTreeMap;
use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::AiError;
use crate::policy::Policy;

/// One OpenAI-compatible provider and model, with the limits the client observes.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Profile {
    /// The table key (`deepseek`); filled in when the configuration is read.
    #[serde(default)]
    pub name: String,
    /// Up to the version prefix (`https://api.deepseek.com/v1`); `/chat/completions` is appended.
    pub base_url: String,
    pub model: String,
    /// Name of the environment variable that holds the key; none for a local server.
    #[serde(default)]
    pub api_key_env: Option<String>,
    /// Estimated price in yuan per 1,000 prompt tokens.
    #[serde(default)]
    pub price_input_per_1k: f64,
    /// Estimated price in yuan per 1,000 completion tokens.
    #[serde(default)]
    pub price_output_per_1k: f64,
    /// Requests in flight at once.
    #[serde(default = "defaults::concurrency")]
    pub concurrency: usize,
    /// Requests started per minute; no limit when unset.
    #[serde(default)]
    pub requests_per_minute: Option<u32>,
    /// Per request, connection to last byte.
    #[serde(default = "defaults::timeout_secs")]
    pub timeout_secs: u64,
    /// Retries after a 429 or 5xx (not counting the first request).
    #[serde(default = "defaults::max_retries")]
    pub max_retries: u32,
    /// First backoff delay; doubles on every retry.
    #[serde(default = "defaults::backoff_base_ms")]
    pub backoff_base_ms: u64,
    /// Upper bound for one wait, including a server's Retry-After.
    #[serde(default = "defaults::max_backoff_secs")]
    pub max_backoff_secs: u64,
    /// Send `response_format: {"type": "json_object"}` (DeepSeek, Qwen, Doubao, vLLM, Ollama
    /// accept it; `json_schema` is not sent because DeepSeek rejects it).
    #[serde(default = "defaults::json_mode")]
    pub json_mode: bool,
    #[serde(default)]
    pub temperature: Option<f32>,
    #[serde(default)]
    pub max_tokens: Option<u32>,
    /// Article bodies are cut to this many characters before they are sent.
    #[serde(default = "defaults::max_content_chars")]
    pub max_content_chars: usize,
    /// Judge only the latest N in-period articles of each account (cost control on large
    /// surveys); all when unset.
    #[serde(default)]
    pub max_articles_per_account: Option<usize>,
    /// The policy in force; copied from `[ai.policy]` when the configuration is read.
    #[serde(skip)]
    pub policy: Policy,
}

mod defaults {
    pub fn concurrency() -> usize {
        8
    }
    pub fn timeout_secs() -> u64 {
        120
    }
    pub fn max_retries() -> u32 {
        4
    }
    pub fn backoff_base_ms() -> u64 {
        500
    }
    pub fn max_backoff_secs() -> u64 {
        60
    }
    pub fn json_mode() -> bool {
        true
    }
    pub fn max_content_chars() -> usize {
        6000
    }
}

impl Profile {
    /// A profile with default limits.
    pub fn new(name: &str, base_url: &str, model: &str, api_key_env: Option<&str>) -> Self {
        Profile {
            name: name.to_owned(),
            base_url: base_url.to_owned(),
            model: model.to_owned(),
            api_key_env: api_key_env.map(str::to_owned),
            price_input_per_1k: 0.0,
            price_output_per_1k: 0.0,
            concurrency: defaults::concurrency(),
            requests_per_minute: None,
            timeout_secs: defaults::timeout_secs(),
            max_retries: defaults::max_retries(),
            backoff_base_ms: defaults::backoff_base_ms(),
            max_backoff_secs: defaults::max_backoff_secs(),
            json_mode: defaults::json_mode(),
            temperature: Some(0.0),
            max_tokens: None,
            max_content_chars: defaults::max_content_chars(),
            max_articles_per_account: None,
            policy: Policy::default(),
        }
    }

    fn priced(mut self, input: f64, output: f64) -> Self {
        self.price_input_per_1k = input;
        self.price_output_per_1k = output;
        self
    }

    /// The chat-completions endpoint.
    pub fn endpoint(&self) -> String {
        let base = self.base_url.trim_end_matches('/');
        if base.ends_with("/chat/completions") { base.to_owned() } else { format!("{base}/chat/completions") }
    }

    /// The key from the environment; `None` when the profile needs none.
    pub fn api_key(&self) -> Result<Option<String>, AiError> {
        match &self.api_key_env {
            None => Ok(None),
            Some(var) => match std::env::var(var) {
                Ok(v) if !v.trim().is_empty() => Ok(Some(v.trim().to_owned())),
                _ => Err(AiError::MissingKey(var.clone())),
            },
        }
    }

    fn validate(&self) -> Result<(), AiError> {
        let bad = |what: &str| Err(AiError::Config(format!("配置档“{}”：{what}", self.name)));
        if !(self.base_url.starts_with("http://") || self.base_url.starts_with("https://")) {
            return bad("base_url 必须以 http:// 或 https:// 开头");
        }
        if self.model.trim().is_empty() {
            return bad("model 不能为空");
        }
        if self.concurrency == 0 {
            return bad("concurrency 必须大于 0");
        }
        if self.timeout_secs == 0 {
            return bad("timeout_secs 必须大于 0");
        }
        if self.requests_per_minute == Some(0) {
            return bad("requests_per_minute 必须大于 0");
        }
        if self.price_input_per_1k < 0.0 || self.price_output_per_1k < 0.0 {
            return bad("价格不能为负数");
        }
        if self.max_articles_per_account == Some(0) {
            return bad("max_articles_per_account 必须大于 0");
        }
        if self.max_content_chars < 200 {
            return bad("max_content_chars 不能小于 200");
        }
        Ok(())
    }
}

/// The `[ai]` table: profiles by name and the policy.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct AiConfig {
    pub profiles: BTreeMap<String, Profile>,
    pub policy: Policy,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct AiTable {
    #[serde(default)]
    profiles: BTreeMap<String, Profile>,
    #[serde(default)]
    policy: Policy,
}

impl AiConfig {
    /// Example profiles for the providers the survey used, plus a local server. Prices are
    /// list prices at the time of writing (yuan per 1k tokens): adjust them in configuration.
    pub fn builtin() -> Self {
        let profiles = [
            Profile::new(
                "deepseek",
                "https://api.deepseek.com/v1",
                "deepseek-chat",
                Some("DEEPSEEK_API_KEY"),
            )
            .priced(0.002, 0.008),
            Profile::new(
                "qwen",
                "https://dashscope.aliyuncs.com/compatible-mode/v1",
                "qwen-plus",
                Some("DASHSCOPE_API_KEY"),
            )
            .priced(0.0008, 0.002),
            Profile::new(
                "doubao",
                "https://ark.cn-beijing.volces.com/api/v3",
                "doubao-1-5-pro-32k-250115",
                Some("ARK_API_KEY"),
            )
            .priced(0.0008, 0.002),
            Profile::new("local", "http://127.0.0.1:11434/v1", "qwen2.5:7b", None),
        ];
        AiConfig {
            profiles: profiles.into_iter().map(|p| (p.name.clone(), p)).collect(),
            policy: Policy::default(),
        }
    }

    /// Reads the `[ai]` table of a whole `govmedia.toml` (other tables are ignored). Profiles
    /// it defines replace built-in ones of the same name.
    pub fn from_toml_str(text: &str) -> Result<Self, AiError> {
        let doc: toml::Table = text.parse().map_err(|e| AiError::Config(format!("TOML 无法解析：{e}")))?;
        let mut config = AiConfig::builtin();
        let Some(ai) = doc.get("ai") else { return Ok(config) };
        let table: AiTable =
            ai.clone().try_into().map_err(|e| AiError::Config(format!("[ai] 配置无效：{e}")))?;
        for (name, mut profile) in table.profiles {
            profile.name = name.clone();
            profile.validate()?;
            config.profiles.insert(name, profile);
        }
        config.policy = table.policy;
        Ok(config)
    }

    /// Reads a configuration file.
    pub fn load(path: &Path) -> Result<Self, AiError> {
        let text = std::fs::read_to_string(path)
            .map_err(|e| AiError::Config(format!("无法读取配置文件 {}：{e}", path.display())))?;
        Self::from_toml_str(&text)
    }

    /// The configuration for a command: the given file, else `govmedia.toml` in the working
    /// directory when there is one, else the built-in profiles.
    pub fn discover(path: Option<&Path>) -> Result<Self, AiError> {
        match path {
            Some(p) => Self::load(p),
            None if Path::new("govmedia.toml").is_file() => Self::load(Path::new("govmedia.toml")),
            None => Ok(Self::builtin()),
        }
    }

    /// The named profile with the configured policy attached.
    pub fn profile(&self, name: &str) -> Result<Profile, AiError> {
        let mut profile = self.profiles.get(name).cloned().ok_or_else(|| {
            let known: Vec<&str> = self.profiles.keys().map(String::as_str).collect();
            AiError::Config(format!("未找到 AI 配置档“{name}”（可用：{}）", known.join("、")))
        })?;
        profile.policy = self.policy.clone();
        Ok(profile)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_profiles_and_policy() {
        let text = r#"
            [store]
            path = "x.db"
            [ai.profiles.deepseek]
            base_url = "https://api.deepseek.com"
            model = "deepseek-reasoner"
            api_key_env = "MY_DS_KEY"
            price_input_per_1k = 0.004
            [ai.profiles.vllm]
            base_url = "http://10.0.0.5:8000/v1/"
            model = "Qwen/Qwen2.5-72B-Instruct"
            concurrency = 16
            [ai.policy]
            allow_models = ["ep-20250101-abc"]
        "#;
        let c = AiConfig::from_toml_str(text).unwrap();
        let ds = c.profile("deepseek").unwrap();
        assert_eq!(ds.model, "deepseek-reasoner");
        assert_eq!(ds.api_key_env.as_deref(), Some("MY_DS_KEY"));
        assert_eq!(ds.endpoint(), "https://api.deepseek.com/chat/completions");
        assert_eq!(ds.policy.allow_models, vec!["ep-20250101-abc".to_owned()]);
        let v = c.profile("vllm").unwrap();
        assert_eq!(v.endpoint(), "http://10.0.0.5:8000/v1/chat/completions");
        assert_eq!(v.concurrency, 16);
        assert_eq!(v.timeout_secs, 120);
        assert!(v.api_key().unwrap().is_none());
        // Built-ins stay available.
        assert_eq!(c.profile("doubao").unwrap().api_key_env.as_deref(), Some("ARK_API_KEY"));
        let err = c.profile("nope").unwrap_err().to_string();
        assert!(err.contains("nope") && err.contains("deepseek"), "{err}");
    }

    #[test]
    fn rejects_keys_in_file_and_bad_values() {
        let key_in_file = "[ai.profiles.x]\nbase_url=\"https://a\"\nmodel=\"qwen-max\"\napi_key=\"sk-1\"\n";
        assert!(matches!(AiConfig::from_toml_str(key_in_file), Err(AiError::Config(_))));
        let zero = "[ai.profiles.x]\nbase_url=\"https://a\"\nmodel=\"qwen-max\"\nconcurrency=0\n";
        assert!(AiConfig::from_toml_str(zero).unwrap_err().to_string().contains("concurrency"));
        let scheme = "[ai.profiles.x]\nbase_url=\"ftp://a\"\nmodel=\"qwen-max\"\n";
        assert!(AiConfig::from_toml_str(scheme).is_err());
    }

    #[test]
    fn load_from_a_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("govmedia.toml");
        std::fs::write(
            &path,
            "[ai.profiles.local]\nbase_url=\"http://127.0.0.1:8000/v1\"\nmodel=\"internlm2_5-7b-chat\"\n",
        )
        .unwrap();
        let c = AiConfig::discover(Some(&path)).unwrap();
        assert_eq!(c.profile("local").unwrap().model, "internlm2_5-7b-chat");
        let err = AiConfig::load(&dir.path().join("missing.toml")).unwrap_err().to_string();
        assert!(err.contains("missing.toml"), "{err}");
    }

    #[test]
    fn missing_key_names_the_variable() {
        let p = Profile::new("t", "https://a", "deepseek-chat", Some("GOVMEDIA_TEST_UNSET_KEY_VAR"));
        assert_eq!(p.api_key().unwrap_err(), AiError::MissingKey("GOVMEDIA_TEST_UNSET_KEY_VAR".into()));
    }
}
