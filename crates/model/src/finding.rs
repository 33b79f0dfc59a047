//! Findings: what a check found, with a stable code, a Chinese message and evidence.
//!
//! The codes are the contract's shared vocabulary (spec/interchange.md §4). They are defined
//! here once; every check and every report uses these.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::FieldError;

macro_rules! finding_codes {
    ($($variant:ident => $code:literal, $title:literal;)+) => {
        /// A stable finding code.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum FindingCode { $($variant),+ }

        impl FindingCode {
            pub const ALL: &'static [FindingCode] = &[$(FindingCode::$variant),+];

            /// The code as written in results (`link.broken`).
            pub fn as_str(self) -> &'static str {
                match self { $(FindingCode::$variant => $code),+ }
            }

            /// A short Chinese title for reports and tables.
            pub fn title(self) -> &'static str {
                match self { $(FindingCode::$variant => $title),+ }
            }
        }

        impl FromStr for FindingCode {
            type Err = FieldError;
            fn from_str(s: &str) -> Result<Self, FieldError> {
                match s {
                    $($code => Ok(FindingCode::$variant),)+
                    _ => Err(FieldError::new("code", format!("未知问题代码“{s}”"))),
                }
            }
        }
    };
}

finding_codes! {
    UpdateStale14d => "update.stale_14d", "两周内未更新";
    UpdateStaleWarning => "update.stale_warning", "即将触发两周未更新";
    UpdateDormant => "update.dormant", "长期未更新（睡眠账号）";
    AccountUnverified => "account.unverified", "账号未认证";
    AccountClosed => "account.closed", "账号已关闭";
    AccountMigrated => "account.migrated", "账号已迁移";
    AccountDuplicate => "account.duplicate", "同一单位重复开设账号";
    AccountIntroDepartmentOriented => "account.intro_department_oriented", "功能介绍以部门为导向";
    AccountNameNonstandard => "account.name_nonstandard", "账号名称不符合平台规范";
    AccountIntroNonstandard => "account.intro_nonstandard", "功能介绍长度不符合平台规范";
    AccountSubjectMismatch => "account.subject_mismatch", "认证主体与主办单位不一致";
    AccountWrongOpener => "account.wrong_opener", "政府账号非由办公厅（室）开设";
    AccountNotListed => "account.not_listed", "政府网站未展示账号";
    AccountRenamed => "account.renamed", "账号曾更名";
    MenuNone => "menu.none", "未设置自定义菜单";
    MenuMissingDisclosure => "menu.missing_disclosure", "缺少政务公开菜单";
    MenuMissingService => "menu.missing_service", "缺少办事服务菜单";
    MenuMissingInteraction => "menu.missing_interaction", "缺少互动交流菜单";
    MenuMisplaced => "menu.misplaced", "子菜单与上级功能不符";
    MenuNationalPlatformsOnly => "menu.national_platforms_only", "互动仅链接国家平台";
    MenuOutdatedTopic => "menu.outdated_topic", "菜单保留过时专题";
    LinkBroken => "link.broken", "链接无法访问";
    LinkWechatUnavailable => "link.wechat_unavailable", "微信文章已删除或无法查看";
    LinkLoginRequired => "link.login_required", "强制登录或注册";
    LinkAppRequired => "link.app_required", "仅提示下载应用";
    MobileNotAdapted => "mobile.not_adapted", "页面未适配移动端";
    ContentSensitiveTerm => "content.sensitive_term", "敏感词";
    ContentWordingError => "content.wording_error", "表述不规范";
    ContentDocNumberFormat => "content.doc_number_format", "发文字号格式不规范";
    ContentPiiExposed => "content.pii_exposed", "泄露个人信息";
    ContentDuplicate => "content.duplicate", "转载未注明来源";
    ContentAiUnlabelled => "content.ai_unlabelled", "AI生成内容未标识";
    ContentClassifiedMarking => "content.classified_marking", "出现国家秘密标志";
    ContentLowReads => "content.low_reads", "阅读量低";
    ContentDeleted => "content.deleted", "文章发布后被删除";
    InteractionNone => "interaction.none", "无有效互动功能";
    InteractionNoValidComments => "interaction.no_valid_comments", "无有效留言";
    InteractionUnanswered => "interaction.unanswered", "留言未回复";
    InteractionPoorReply => "interaction.poor_reply", "留言回复质量不佳";
    TimelinessLateResponse => "timeliness.late_response", "重大事件回应不及时";
    TimelinessIncompleteResponse => "timeliness.incomplete_response", "重大事件回应信息不完整";
    FunctionCapabilityMissing => "function.capability_missing", "功能栏目未提供实际能力";
    AppStale => "app.stale", "政务APP长期未更新";
    AppDuplicate => "app.duplicate", "同一单位多个APP（一事多端）";
}

impl fmt::Display for FindingCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for FindingCode {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for FindingCode {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        s.parse().map_err(|e: FieldError| serde::de::Error::custom(e.reason))
    }
}

/// How much a finding weighs. Ordered from the most to the least serious.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    Veto,
    Major,
    Minor,
    Info,
}

impl Severity {
    pub fn label(self) -> &'static str {
        match self {
            Severity::Veto => "否决",
            Severity::Major => "严重",
            Severity::Minor => "一般",
            Severity::Info => "提示",
        }
    }
}

/// Evidence as key/value pairs (url, menu_path, dates, counts, excerpt …), kept in order.
pub type Evidence = serde_json::Map<String, serde_json::Value>;

/// One thing a check found about an account.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Finding {
    pub code: FindingCode,
    pub severity: Severity,
    /// Chinese, self-contained: what is wrong and where.
    pub message: String,
    pub evidence: Evidence,
    /// True when a model, not a rule, produced it (AI智评).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub ai_derived: bool,
}

impl Finding {
    pub fn new(code: FindingCode, severity: Severity, message: impl Into<String>) -> Self {
        Finding { code, severity, message: message.into(), evidence: Evidence::new(), ai_derived: false }
    }

    /// Adds one piece of evidence.
    pub fn with(mut self, key: &str, value: impl Into<serde_json::Value>) -> Self {
        self.evidence.insert(key.to_owned(), value.into());
        self
    }

    /// Masks personal data in the message and every evidence text (see [`mask_json`]).
    pub fn mask_personal_data(&mut self) {
        self.message = govmedia_pii::mask(&self.message).0;
        for (key, value) in self.evidence.iter_mut() {
            if !GENERATED_KEYS.contains(&key.as_str()) {
                mask_json(value);
            }
        }
    }
}

/// Evidence whose values govmedia itself generates (file paths named by hashes, hashes): no
/// personal data can be in them, and masking a digit run in a hash would break the link.
const GENERATED_KEYS: [&str; 3] = ["screenshot", "html", "content_hash"];

/// Masks personal data in every string inside a JSON value, with the masking the store uses.
pub fn mask_json(v: &mut serde_json::Value) {
    match v {
        serde_json::Value::String(s) => {
            let (masked, counts) = govmedia_pii::mask(s);
            if counts.total() > 0 {
                *s = masked;
            }
        }
        serde_json::Value::Array(items) => items.iter_mut().for_each(mask_json),
        serde_json::Value::Object(map) => map.values_mut().for_each(mask_json),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_round_trip() {
        for c in FindingCode::ALL {
            assert_eq!(c.as_str().parse::<FindingCode>().unwrap(), *c);
        }
        let f =
            Finding::new(FindingCode::LinkBroken, Severity::Major, "菜单链接无法访问").with("status", 404);
        let s = serde_json::to_string(&f).unwrap();
        assert_eq!(
            s,
            r#"{"code":"link.broken","severity":"major","message":"菜单链接无法访问","evidence":{"status":404}}"#
        );
    }
}
