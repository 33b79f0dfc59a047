//! Sinks and routing, configured in TOML (`[[sink]]`): where alerts go, which alerts each sink
//! takes (region code prefixes, account ids, minimum severity), and how fast it may be sent
//! to. One alert can go to several sinks.
//!
//! Secrets may be given inline or, better, named by environment variable (`secret_env`,
//! `password_env`) so the file can be kept in version control.
//!
//! ```toml
//! [[sink]]
//! id = "guangdong"                 # unique; outbox rows name it
//! kind = "dingtalk"                # wecom | dingtalk | feishu | email | webhook
//! url = "https://oapi.dingtalk.com/robot/send?access_token=…"
//! secret_env = "GD_DINGTALK_SECRET"
//! regions = ["44"]                 # GB/T 2260 prefixes; with `accounts`, either matches
//! accounts = ["gh_0123456789ab"]
//! min_severity = "major"           # veto | major | minor | info (default: everything)
//! per_minute = 20                  # default: 20 企业微信/钉钉, 100 飞书, 30 e-mail, 120 webhook
//! digest_over = 5                  # more due at once → digests; 0 never (webhook default)
//! max_attempts = 8                 # then the row is given up
//! backoff_secs = 30                # doubled per failed attempt, at most an hour
//!
//! [[sink]]
//! id = "office-mail"
//! kind = "email"
//! [sink.smtp]
//! host = "smtp.example.gov.cn"
//! security = "tls"                 # tls (465) | starttls (587) | none (25)
//! username = "alert@example.gov.cn"
//! password_env = "SMTP_PASSWORD"
//! from = "政务新媒体监测 <alert@example.gov.cn>"
//! to = ["duty@example.gov.cn"]
//! ```

use std::path::Path;
use std::time::Duration;

use govmedia_model::Severity;
use serde::Deserialize;
use toml::Spanned;

use crate::alert::Alert;
use crate::condition::Subject;
use crate::error::{ConfigError, Origin};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SinkKind {
    /// 企业微信群机器人
    Wecom,
    /// 钉钉自定义机器人
    Dingtalk,
    /// 飞书自定义机器人
    Feishu,
    Email,
    /// A generic JSON webhook, signed with HMAC-SHA256.
    Webhook,
}

impl SinkKind {
    fn parse(s: &str) -> Option<SinkKind> {
        Some(match s {
            "wecom" => SinkKind::Wecom,
            "dingtalk" => SinkKind::Dingtalk,
            "feishu" => SinkKind::Feishu,
            "email" => SinkKind::Email,
            "webhook" => SinkKind::Webhook,
            _ => return None,
        })
    }

    /// Messages per minute the platform accepts: 企业微信 and 钉钉 20 (钉钉 blocks a robot
    /// for ten minutes past that), 飞书 100; e-mail and webhooks are ours to choose.
    fn default_per_minute(self) -> u32 {
        match self {
            SinkKind::Wecom | SinkKind::Dingtalk => 20,
            SinkKind::Feishu => 100,
            SinkKind::Email => 30,
            SinkKind::Webhook => 120,
        }
    }

    /// More alerts than this due at once go out as digests; 0 never digests. A webhook's
    /// receiver is a program that wants each alert on its own.
    fn default_digest_over(self) -> usize {
        match self {
            SinkKind::Wecom | SinkKind::Dingtalk => 5,
            SinkKind::Feishu | SinkKind::Email => 10,
            SinkKind::Webhook => 0,
        }
    }

    /// The largest message body the platform takes: 企业微信 markdown content is at most
    /// 4096 bytes; 钉钉 documents no limit, the same is assumed; 飞书 takes 20 KB requests.
    pub fn max_bytes(self) -> usize {
        match self {
            SinkKind::Wecom | SinkKind::Dingtalk => 4096,
            SinkKind::Feishu => 18_000,
            SinkKind::Email | SinkKind::Webhook => 256 * 1024,
        }
    }
}

/// Which alerts a sink takes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Filter {
    /// GB/T 2260 code prefixes: `44` takes every account of 广东 (`4401…`, `440300` …).
    pub regions: Vec<String>,
    pub accounts: Vec<String>,
    pub min_severity: Severity,
}

impl Filter {
    /// An alert passes when its severity is at least the minimum and, if regions or accounts
    /// are listed, its account matches one of them. A source's alert has no account: it goes
    /// only to sinks that list neither (the operators' sinks, not a region's).
    pub fn passes(&self, alert: &Alert) -> bool {
        // Severity is ordered from the most serious down.
        if alert.severity > self.min_severity {
            return false;
        }
        if self.regions.is_empty() && self.accounts.is_empty() {
            return true;
        }
        match &alert.subject {
            Subject::Account { id, region, .. } => {
                self.accounts.contains(id)
                    || region.as_ref().is_some_and(|r| self.regions.iter().any(|p| r.starts_with(p.as_str())))
            }
            Subject::Source { .. } => false,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SmtpSecurity {
    /// Plain SMTP (a relay on the local network).
    None,
    StartTls,
    /// TLS from the first byte (port 465).
    Tls,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SmtpConfig {
    pub host: String,
    pub port: u16,
    pub security: SmtpSecurity,
    pub username: Option<String>,
    pub password: Option<String>,
    pub from: String,
    pub to: Vec<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct SinkConfig {
    pub id: String,
    pub kind: SinkKind,
    /// The robot's or webhook's URL (not for e-mail).
    pub url: String,
    /// 钉钉 / 飞书 signing secret; the webhook's HMAC key.
    pub secret: Option<String>,
    pub smtp: Option<SmtpConfig>,
    pub filter: Filter,
    pub per_minute: u32,
    pub digest_over: usize,
    /// Attempts before a row is given up.
    pub max_attempts: u32,
    /// The first retry's delay; each further retry doubles it, up to an hour.
    pub backoff: Duration,
    pub timeout: Duration,
}

/// The sinks in force.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Routing {
    sinks: Vec<SinkConfig>,
}

impl Routing {
    pub fn new(sinks: Vec<SinkConfig>) -> Routing {
        Routing { sinks }
    }

    pub fn load(path: &Path) -> Result<Routing, ConfigError> {
        let text = Origin::read(path)?;
        Routing::parse(&text, &path.display().to_string(), &|name| std::env::var(name).ok())
    }

    /// Parses sinks text; `env` resolves `secret_env` / `password_env` names.
    pub fn parse(
        text: &str,
        origin: &str,
        env: &dyn Fn(&str) -> Option<String>,
    ) -> Result<Routing, ConfigError> {
        let origin = Origin { name: origin, text };
        let file: SinksFile = origin.parse()?;
        let mut sinks: Vec<SinkConfig> = Vec::new();
        for (i, raw) in file.sink.into_iter().enumerate() {
            let key = format!("sink[{i}]（{}）", raw.id.get_ref());
            if raw.id.get_ref().trim().is_empty() {
                return Err(origin.invalid(raw.id.span(), &format!("sink[{i}]"), "接收端 id 不能为空"));
            }
            if sinks.iter().any(|s| &s.id == raw.id.get_ref()) {
                return Err(origin.invalid(
                    raw.id.span(),
                    &key,
                    format!("接收端 id“{}”重复", raw.id.get_ref()),
                ));
            }
            sinks.push(raw.validate(&origin, &key, env)?);
        }
        Ok(Routing { sinks })
    }

    pub fn sinks(&self) -> &[SinkConfig] {
        &self.sinks
    }

    /// The sinks an alert goes to.
    pub fn route(&self, alert: &Alert) -> Vec<&SinkConfig> {
        self.sinks.iter().filter(|s| s.filter.passes(alert)).collect()
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SinksFile {
    #[serde(default)]
    sink: Vec<RawSink>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSink {
    id: Spanned<String>,
    kind: Spanned<String>,
    url: Option<Spanned<String>>,
    secret: Option<String>,
    secret_env: Option<Spanned<String>>,
    #[serde(default)]
    regions: Vec<Spanned<String>>,
    #[serde(default)]
    accounts: Vec<String>,
    min_severity: Option<Spanned<String>>,
    per_minute: Option<Spanned<u32>>,
    digest_over: Option<usize>,
    max_attempts: Option<Spanned<u32>>,
    backoff_secs: Option<Spanned<u64>>,
    timeout_secs: Option<Spanned<u64>>,
    smtp: Option<Spanned<RawSmtp>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSmtp {
    host: String,
    port: Option<u16>,
    security: Option<Spanned<String>>,
    username: Option<String>,
    password: Option<String>,
    password_env: Option<Spanned<String>>,
    from: Spanned<String>,
    to: Spanned<Vec<Spanned<String>>>,
}

fn from_env(
    origin: &Origin,
    name: &Spanned<String>,
    key: &str,
    env: &dyn Fn(&str) -> Option<String>,
) -> Result<String, ConfigError> {
    env(name.get_ref())
        .filter(|v| !v.is_empty())
        .ok_or_else(|| origin.invalid(name.span(), key, format!("环境变量 {} 未设置或为空", name.get_ref())))
}

fn positive<T: PartialOrd + Default + Copy>(
    origin: &Origin,
    v: &Option<Spanned<T>>,
    key: &str,
    default: T,
) -> Result<T, ConfigError> {
    match v {
        None => Ok(default),
        Some(s) if *s.get_ref() > T::default() => Ok(*s.get_ref()),
        Some(s) => Err(origin.invalid(s.span(), key, "取值必须大于 0")),
    }
}

impl RawSink {
    fn validate(
        self,
        origin: &Origin,
        key: &str,
        env: &dyn Fn(&str) -> Option<String>,
    ) -> Result<SinkConfig, ConfigError> {
        let kind = SinkKind::parse(self.kind.get_ref()).ok_or_else(|| {
            origin.invalid(
                self.kind.span(),
                &format!("{key}.kind"),
                format!(
                    "未知接收端类型“{}”（应为 wecom、dingtalk、feishu、email 或 webhook）",
                    self.kind.get_ref()
                ),
            )
        })?;
        let secret = match (&self.secret, &self.secret_env) {
            (Some(s), None) => Some(s.clone()),
            (None, Some(name)) => Some(from_env(origin, name, &format!("{key}.secret_env"), env)?),
            (None, None) => None,
            (Some(_), Some(name)) => {
                return Err(origin.invalid(
                    name.span(),
                    &format!("{key}.secret_env"),
                    "secret 与 secret_env 只能填写一项",
                ));
            }
        };
        let url = match (kind, &self.url) {
            (SinkKind::Email, None) => String::new(),
            (SinkKind::Email, Some(u)) => {
                return Err(origin.invalid(
                    u.span(),
                    &format!("{key}.url"),
                    "邮件接收端不使用 url，请填写 [sink.smtp]",
                ));
            }
            (_, None) => return Err(origin.invalid(self.id.span(), &format!("{key}.url"), "缺少 url")),
            (_, Some(u)) => {
                let ok =
                    reqwest::Url::parse(u.get_ref()).is_ok_and(|p| matches!(p.scheme(), "http" | "https"));
                if !ok {
                    return Err(origin.invalid(
                        u.span(),
                        &format!("{key}.url"),
                        format!("无效的地址“{}”", u.get_ref()),
                    ));
                }
                u.get_ref().clone()
            }
        };
        if kind == SinkKind::Webhook && secret.is_none() {
            return Err(origin.invalid(
                self.id.span(),
                &format!("{key}.secret"),
                "webhook 接收端须配置签名密钥 secret 或 secret_env",
            ));
        }
        if kind == SinkKind::Wecom && secret.is_some() {
            return Err(origin.invalid(
                self.id.span(),
                &format!("{key}.secret"),
                "企业微信群机器人不支持签名，请勿填写 secret",
            ));
        }
        let smtp = match (kind, self.smtp) {
            (SinkKind::Email, Some(s)) => Some(s.into_inner().validate(origin, key, env)?),
            (SinkKind::Email, None) => {
                return Err(origin.invalid(
                    self.id.span(),
                    &format!("{key}.smtp"),
                    "邮件接收端须填写 [sink.smtp]",
                ));
            }
            (_, Some(s)) => {
                return Err(origin.invalid(
                    s.span(),
                    &format!("{key}.smtp"),
                    "只有 email 类型的接收端使用 [sink.smtp]",
                ));
            }
            (_, None) => None,
        };
        for r in &self.regions {
            let code = r.get_ref();
            if !(2..=12).contains(&code.len()) || !code.bytes().all(|b| b.is_ascii_digit()) {
                return Err(origin.invalid(
                    r.span(),
                    &format!("{key}.regions"),
                    format!("无效的地区代码前缀“{code}”（应为2至12位数字，如省级“44”）"),
                ));
            }
        }
        let min_severity = match &self.min_severity {
            None => Severity::Info,
            Some(s) => match s.get_ref().as_str() {
                "veto" => Severity::Veto,
                "major" => Severity::Major,
                "minor" => Severity::Minor,
                "info" => Severity::Info,
                other => {
                    return Err(origin.invalid(
                        s.span(),
                        &format!("{key}.min_severity"),
                        format!("无效的严重程度“{other}”（应为 veto、major、minor 或 info）"),
                    ));
                }
            },
        };
        Ok(SinkConfig {
            id: self.id.into_inner(),
            kind,
            url,
            secret,
            smtp,
            filter: Filter {
                regions: self.regions.into_iter().map(Spanned::into_inner).collect(),
                accounts: self.accounts,
                min_severity,
            },
            per_minute: positive(
                origin,
                &self.per_minute,
                &format!("{key}.per_minute"),
                kind.default_per_minute(),
            )?,
            digest_over: self.digest_over.unwrap_or(kind.default_digest_over()),
            max_attempts: positive(origin, &self.max_attempts, &format!("{key}.max_attempts"), 8)?,
            backoff: Duration::from_secs(positive(
                origin,
                &self.backoff_secs,
                &format!("{key}.backoff_secs"),
                30,
            )?),
            timeout: Duration::from_secs(positive(
                origin,
                &self.timeout_secs,
                &format!("{key}.timeout_secs"),
                15,
            )?),
        })
    }
}

impl RawSmtp {
    fn validate(
        self,
        origin: &Origin,
        key: &str,
        env: &dyn Fn(&str) -> Option<String>,
    ) -> Result<SmtpConfig, ConfigError> {
        let security = match self.security.as_ref().map(|s| (s.get_ref().as_str(), s.span())) {
            None | Some(("tls", _)) => SmtpSecurity::Tls,
            Some(("starttls", _)) => SmtpSecurity::StartTls,
            Some(("none", _)) => SmtpSecurity::None,
            Some((other, span)) => {
                return Err(origin.invalid(
                    span,
                    &format!("{key}.smtp.security"),
                    format!("无效取值“{other}”（应为 tls、starttls 或 none）"),
                ));
            }
        };
        let port = self.port.unwrap_or(match security {
            SmtpSecurity::Tls => 465,
            SmtpSecurity::StartTls => 587,
            SmtpSecurity::None => 25,
        });
        let password = match (self.password, &self.password_env) {
            (Some(p), None) => Some(p),
            (None, Some(name)) => Some(from_env(origin, name, &format!("{key}.smtp.password_env"), env)?),
            (None, None) => None,
            (Some(_), Some(name)) => {
                return Err(origin.invalid(
                    name.span(),
                    &format!("{key}.smtp.password_env"),
                    "password 与 password_env 只能填写一项",
                ));
            }
        };
        let mailbox = |s: &Spanned<String>, k: &str| {
            s.get_ref().parse::<lettre::message::Mailbox>().map(|_| s.get_ref().clone()).map_err(|_| {
                origin.invalid(
                    s.span(),
                    &format!("{key}.smtp.{k}"),
                    format!("无效的邮件地址“{}”", s.get_ref()),
                )
            })
        };
        let from = mailbox(&self.from, "from")?;
        if self.to.get_ref().is_empty() {
            return Err(origin.invalid(self.to.span(), &format!("{key}.smtp.to"), "至少需要一个收件人"));
        }
        let to = self.to.get_ref().iter().map(|t| mailbox(t, "to")).collect::<Result<Vec<_>, _>>()?;
        Ok(SmtpConfig { host: self.host, port, security, username: self.username, password, from, to })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::alert::Change;
    use crate::condition::ConditionKey;

    fn alert(region: Option<&str>, severity: Severity) -> Alert {
        Alert {
            idempotency_key: "gm-x".into(),
            change: Change::Raised,
            condition: ConditionKey { rule: "r".into(), account: "a".into(), object: String::new() },
            stage: 0,
            title: "t".into(),
            severity,
            subject: Subject::Account {
                id: "gh_a".into(),
                name: "n".into(),
                owner: "o".into(),
                region: region.map(str::to_owned),
            },
            message: "m".into(),
            details: vec![],
            detected_at: chrono::Utc::now(),
        }
    }

    const SINKS: &str = r#"
[[sink]]
id = "gd"
kind = "wecom"
url = "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=k"
regions = ["44"]
min_severity = "major"

[[sink]]
id = "ops"
kind = "dingtalk"
url = "https://oapi.dingtalk.com/robot/send?access_token=t"
secret_env = "DING_SECRET"
per_minute = 10

[[sink]]
id = "mail"
kind = "email"
accounts = ["gh_a"]
[sink.smtp]
host = "smtp.example.gov.cn"
security = "starttls"
from = "监测平台 <alert@example.gov.cn>"
to = ["office@example.gov.cn"]
"#;

    fn env(name: &str) -> Option<String> {
        (name == "DING_SECRET").then(|| "SECabc".to_owned())
    }

    #[test]
    fn routes_by_region_prefix_account_and_severity() {
        let r = Routing::parse(SINKS, "sinks.toml", &env).unwrap();
        let ids = |a: &Alert| r.route(a).into_iter().map(|s| s.id.as_str()).collect::<Vec<_>>();
        assert_eq!(ids(&alert(Some("440106"), Severity::Major)), ["gd", "ops", "mail"]);
        assert_eq!(ids(&alert(Some("440106"), Severity::Minor)), ["ops", "mail"]);
        assert_eq!(ids(&alert(Some("110000"), Severity::Veto)), ["ops", "mail"]);
        let ops = &r.sinks()[1];
        assert_eq!((ops.per_minute, ops.digest_over, ops.secret.as_deref()), (10, 5, Some("SECabc")));
        let mail = r.sinks()[2].smtp.as_ref().unwrap();
        assert_eq!((mail.port, &mail.security), (587, &SmtpSecurity::StartTls));
        assert_eq!(r.sinks()[0].per_minute, 20);
    }

    #[test]
    fn bad_sink_files_name_file_line_and_key() {
        let err = |t: &str| Routing::parse(t, "sinks.toml", &|_| None).unwrap_err().to_string();
        let e = err("[[sink]]\nid = \"a\"\nkind = \"wechat\"\n");
        assert!(e.starts_with("sinks.toml:3: sink[0]（a）.kind: 未知接收端类型“wechat”"), "{e}");
        let e =
            err("[[sink]]\nid = \"a\"\nkind = \"dingtalk\"\nurl = \"https://x\"\nsecret_env = \"NOPE\"\n");
        assert_eq!(e, "sinks.toml:5: sink[0]（a）.secret_env: 环境变量 NOPE 未设置或为空");
        let e = err("[[sink]]\nid = \"a\"\nkind = \"wecom\"\nurl = \"https://x\"\nregions = [\"4a\"]\n");
        assert!(e.starts_with("sinks.toml:5: sink[0]（a）.regions: "), "{e}");
        let e = err("[[sink]]\nid = \"a\"\nkind = \"webhook\"\nurl = \"https://x\"\n");
        assert!(e.starts_with("sinks.toml:2: sink[0]（a）.secret: "), "{e}");
        let e = err("[[sink]]\nid = \"a\"\nkind = \"wecom\"\nurl = \"ftp://x\"\n");
        assert!(e.starts_with("sinks.toml:4: sink[0]（a）.url: "), "{e}");
        let e = err("[[sink]]\nid = \"a\"\nkind = \"wecom\"\nurl = \"https://x\"\nper_minute = 0\n");
        assert!(e.starts_with("sinks.toml:5: sink[0]（a）.per_minute: "), "{e}");
        let e = err(
            "[[sink]]\nid = \"m\"\nkind = \"email\"\n[sink.smtp]\nhost = \"h\"\nfrom = \"not an address\"\nto = [\"a@b.cn\"]\n",
        );
        assert!(e.starts_with("sinks.toml:6: sink[0]（m）.smtp.from: "), "{e}");
        let e = err(
            "[[sink]]\nid = \"a\"\nkind = \"wecom\"\nurl = \"https://x\"\n[[sink]]\nid = \"a\"\nkind = \"wecom\"\nurl = \"https://y\"\n",
        );
        assert!(e.starts_with("sinks.toml:6: sink[1]（a）: 接收端 id“a”重复"), "{e}");
    }
}
