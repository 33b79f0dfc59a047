//! Accounts: a government body's presence on one platform.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use crate::FieldError;

/// Survey level (调查层级) of the owning unit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Level {
    /// 国务院部委
    Ministry,
    /// 省级政府
    Province,
    /// 省级政府职能部门 (one of the 12 livelihood fields)
    ProvinceDept,
    /// 地级市政府
    Prefecture,
    /// 区县（市）政府
    County,
    /// 其他
    Other,
}

impl Level {
    pub const ALL: [Level; 6] = [
        Level::Ministry,
        Level::Province,
        Level::ProvinceDept,
        Level::Prefecture,
        Level::County,
        Level::Other,
    ];

    /// The contract's identifier (`province_dept`).
    pub fn as_str(self) -> &'static str {
        match self {
            Level::Ministry => "ministry",
            Level::Province => "province",
            Level::ProvinceDept => "province_dept",
            Level::Prefecture => "prefecture",
            Level::County => "county",
            Level::Other => "other",
        }
    }

    /// The Chinese name used in reports.
    pub fn label(self) -> &'static str {
        match self {
            Level::Ministry => "国务院部委",
            Level::Province => "省级政府",
            Level::ProvinceDept => "省级政府职能部门",
            Level::Prefecture => "地级市政府",
            Level::County => "区县政府",
            Level::Other => "其他",
        }
    }
}

impl fmt::Display for Level {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Level {
    type Err = FieldError;
    fn from_str(s: &str) -> Result<Self, FieldError> {
        Level::ALL.into_iter().find(|l| l.as_str() == s.trim() || l.label() == s.trim()).ok_or_else(|| {
            FieldError::new(
                "level",
                format!(
                    "未知层级“{s}”（应为 ministry、province、province_dept、prefecture、county 或 other）"
                ),
            )
        })
    }
}

/// The 12 livelihood fields (民生领域) of provincial departments in the 2025 survey.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Field {
    #[serde(rename = "教育")]
    Education,
    #[serde(rename = "卫生健康")]
    Health,
    #[serde(rename = "医疗保障")]
    MedicalSecurity,
    #[serde(rename = "公安")]
    PublicSecurity,
    #[serde(rename = "人力资源和社会保障")]
    HumanResources,
    #[serde(rename = "住房和城乡建设")]
    Housing,
    #[serde(rename = "市场监管")]
    MarketRegulation,
    #[serde(rename = "文化旅游")]
    CultureTourism,
    #[serde(rename = "交通运输")]
    Transport,
    #[serde(rename = "司法")]
    Justice,
    #[serde(rename = "民政")]
    CivilAffairs,
    #[serde(rename = "税务")]
    Taxation,
}

impl Field {
    pub const ALL: [Field; 12] = [
        Field::Education,
        Field::Health,
        Field::MedicalSecurity,
        Field::PublicSecurity,
        Field::HumanResources,
        Field::Housing,
        Field::MarketRegulation,
        Field::CultureTourism,
        Field::Transport,
        Field::Justice,
        Field::CivilAffairs,
        Field::Taxation,
    ];

    /// The Chinese name, which is also the contract's value.
    pub fn as_str(self) -> &'static str {
        match self {
            Field::Education => "教育",
            Field::Health => "卫生健康",
            Field::MedicalSecurity => "医疗保障",
            Field::PublicSecurity => "公安",
            Field::HumanResources => "人力资源和社会保障",
            Field::Housing => "住房和城乡建设",
            Field::MarketRegulation => "市场监管",
            Field::CultureTourism => "文化旅游",
            Field::Transport => "交通运输",
            Field::Justice => "司法",
            Field::CivilAffairs => "民政",
            Field::Taxation => "税务",
        }
    }
}

impl fmt::Display for Field {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Field {
    type Err = FieldError;
    fn from_str(s: &str) -> Result<Self, FieldError> {
        Field::ALL.into_iter().find(|f| f.as_str() == s.trim()).ok_or_else(|| {
            FieldError::new(
                "field",
                format!("未知领域“{s}”（应为 12 个民生领域之一，如 教育、卫生健康、税务）"),
            )
        })
    }
}

macro_rules! simple_enum {
    ($(#[$m:meta])* $name:ident, $field:literal, $hint:literal, { $($(#[$vm:meta])* $variant:ident => $s:literal / $label:literal),+ $(,)? }) => {
        $(#[$m])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
        #[serde(rename_all = "snake_case")]
        pub enum $name { $($(#[$vm])* $variant),+ }

        impl $name {
            /// The contract's identifier.
            pub fn as_str(self) -> &'static str { match self { $($name::$variant => $s),+ } }
            /// The Chinese name used in reports.
            pub fn label(self) -> &'static str { match self { $($name::$variant => $label),+ } }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result { f.write_str(self.as_str()) }
        }

        impl FromStr for $name {
            type Err = FieldError;
            fn from_str(s: &str) -> Result<Self, FieldError> {
                match s.trim() {
                    $($s | $label => Ok($name::$variant),)+
                    _ => Err(FieldError::new($field, format!(concat!("无效取值“{}”（应为 ", $hint, "）"), s))),
                }
            }
        }
    };
}

simple_enum!(
    /// The platform an account lives on.
    #[derive(Default)]
    Platform, "platform", "wechat、weibo 或 app", {
    #[default]
    Wechat => "wechat" / "微信",
    Weibo => "weibo" / "微博",
    App => "app" / "政务APP",
});

simple_enum!(
    /// 订阅号 or 服务号: they differ in how often they may mass-send.
    Kind, "kind", "subscription 或 service", {
    Subscription => "subscription" / "订阅号",
    Service => "service" / "服务号",
});

simple_enum!(
    /// Whether the account still exists where the government website says it is.
    AccountStatus, "status", "active、migrated、closed 或 missing", {
    Active => "active" / "正常",
    Migrated => "migrated" / "已迁移",
    Closed => "closed" / "已关闭",
    Missing => "missing" / "账号不存在",
});

/// Weibo figures of the survey period, as an index provider or the platform exports them:
/// the four published sub-indices of the 2014 BCI, the raw counts of the provincial BCI, and
/// the report's own inputs (which the 2014 report lists but does not turn into sub-indices in
/// any published way, so they are kept as given, not converted).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct WeiboInputs {
    /// 覆盖度, 活跃度, 互动度, 传播度 (all four or none).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub coverage: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub activity: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub interaction: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub propagation: Option<f64>,
    /// Posts, reposts, comments and likes of the period (all four or none): the provincial
    /// BCI's inputs. Without them the BCI is computed from the account's imported posts.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub posts: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reposts: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comments: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub likes: Option<u64>,
    /// 新增听众数
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub new_followers: Option<u64>,
    /// 新增写操作数
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub writes: Option<u64>,
    /// 原创数
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub originals: Option<u64>,
    /// 私信数
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub private_messages: Option<u64>,
    /// 回复评论数
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment_replies: Option<u64>,
    /// 原创被转评量
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub original_engagement: Option<u64>,
    /// 二次转播被转评量
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub repost_engagement: Option<u64>,
}

impl WeiboInputs {
    /// The four 2014 sub-indices, when all are given.
    pub fn sub_indices(&self) -> Option<[f64; 4]> {
        Some([self.coverage?, self.activity?, self.interaction?, self.propagation?])
    }

    /// Posts, reposts, comments and likes, when all are given.
    pub fn counts(&self) -> Option<[u64; 4]> {
        Some([self.posts?, self.reposts?, self.comments?, self.likes?])
    }

    /// The first field of a group given only in part (`activity` without `coverage` …).
    pub fn incomplete_group(&self) -> Option<&'static str> {
        let subs = [
            ("coverage", self.coverage.is_some()),
            ("activity", self.activity.is_some()),
            ("interaction", self.interaction.is_some()),
            ("propagation", self.propagation.is_some()),
        ];
        let counts = [
            ("posts", self.posts.is_some()),
            ("reposts", self.reposts.is_some()),
            ("comments", self.comments.is_some()),
            ("likes", self.likes.is_some()),
        ];
        [&subs[..], &counts[..]].into_iter().find_map(|g| {
            let given = g.iter().filter(|x| x.1).count();
            (given > 0 && given < g.len()).then(|| g.iter().find(|x| !x.1).map(|x| x.0)).flatten()
        })
    }
}

/// WeChat indices of the survey period from an index provider's export: the 2014 report's
/// 阅读指数 (R) and 点赞指数 (Z), whose computation from raw counts was not published.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct WechatInputs {
    pub read_index: f64,
    pub like_index: f64,
}

/// One day of an account's figures from the platform's own statistics (WeChat datacube, read
/// through the Open API by an authorised operator): the inputs of the handbook's popularity
/// factors (阅读率, follower growth, 退订率, share and 在看 rates). A figure the platform did not
/// give is absent, never 0.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DailyFigures {
    pub date: chrono::NaiveDate,
    /// New followers.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub new_user: Option<u64>,
    /// Unfollows.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cancel_user: Option<u64>,
    /// Followers at the end of the day.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cumulate_user: Option<u64>,
    /// Readers of the account's content that day.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub read_user: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub share_user: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub zaikan_user: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub like_user: Option<u64>,
}

/// A government app's listing in one app store, as of a date.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StoreListing {
    /// The store's name (应用宝, 苹果App Store, 华为应用市场 …).
    pub store: String,
    #[serde(default, skip_serializing_if = "Option::is_none", deserialize_with = "crate::serde_util::count")]
    pub downloads: Option<u64>,
    /// The store's rating (its own scale, usually 0–5).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rating: Option<f64>,
    /// The date of the app's last update in this store.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub updated_at: Option<chrono::NaiveDate>,
    /// When the store was read.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub as_of: Option<chrono::NaiveDate>,
}

/// A government new-media account (政务新媒体账号).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Account {
    /// Stable unique key: original id (gh_…), `__biz`, or any unique string.
    pub id: String,
    pub name: String,
    /// 主办单位
    pub owner: String,
    pub level: Level,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub field: Option<Field>,
    /// GB/T 2260 code or region name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub region: Option<String>,
    #[serde(default = "default_platform")]
    pub platform: Platform,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub wechat_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub biz: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<Kind>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub verified: Option<bool>,
    /// 功能介绍
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub intro: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub followers: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub website_listed: Option<bool>,
    /// The owner's government website (URL): menu targets on it are "coordinated with the
    /// government website" (`.gov.cn` hosts count without it).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub website: Option<String>,
    #[serde(default = "default_status")]
    pub status: AccountStatus,
    /// Weibo figures (on a Weibo account; on a WeChat row, the unit's Weibo account).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub weibo: Option<WeiboInputs>,
    /// WeChat indices from an index provider (on a WeChat account).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub wechat: Option<WechatInputs>,
    /// An app's store listings (on an app).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub stores: Vec<StoreListing>,
    /// The platform's daily figures (datacube), oldest first, one per date.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub daily: Vec<DailyFigures>,
    /// From the "关于公众号" page: 认证类型 (e.g. 政府认证).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub verification_type: Option<String>,
    /// From the "关于公众号" page: 认证主体.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub verified_subject: Option<String>,
    /// From the "关于公众号" page: 名称记录 (earlier names).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub former_names: Vec<String>,
    /// From the "关于公众号" page: IP属地.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ip_location: Option<String>,
    /// Fields the contract does not name are kept, not rejected.
    #[serde(flatten, deserialize_with = "crate::serde_util::unique_keys")]
    pub extra: serde_json::Map<String, serde_json::Value>,
}

fn default_platform() -> Platform {
    Platform::Wechat
}

impl Platform {
    /// For `skip_serializing_if`: WeChat is the contract's default.
    pub fn is_wechat(&self) -> bool {
        *self == Platform::Wechat
    }
}

fn default_status() -> AccountStatus {
    AccountStatus::Active
}

impl Account {
    /// A minimal account; everything optional is unset.
    pub fn new(
        id: impl Into<String>,
        name: impl Into<String>,
        owner: impl Into<String>,
        level: Level,
    ) -> Self {
        Account {
            id: id.into(),
            name: name.into(),
            owner: owner.into(),
            level,
            field: None,
            region: None,
            platform: Platform::Wechat,
            wechat_id: None,
            biz: None,
            kind: None,
            verified: None,
            intro: None,
            followers: None,
            website_listed: None,
            website: None,
            status: AccountStatus::Active,
            weibo: None,
            wechat: None,
            stores: Vec::new(),
            daily: Vec::new(),
            verification_type: None,
            verified_subject: None,
            former_names: Vec::new(),
            ip_location: None,
            extra: serde_json::Map::new(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn enums_round_trip_contract_and_chinese_names() {
        assert_eq!("province_dept".parse::<Level>().unwrap(), Level::ProvinceDept);
        assert_eq!("地级市政府".parse::<Level>().unwrap(), Level::Prefecture);
        assert_eq!("人力资源和社会保障".parse::<Field>().unwrap(), Field::HumanResources);
        assert_eq!("服务号".parse::<Kind>().unwrap(), Kind::Service);
        assert!("city".parse::<Level>().unwrap_err().to_string().starts_with("level: "));
        let a: Account = serde_json::from_str(
            r#"{"id":"gh_1","name":"上海发布","owner":"上海市人民政府新闻办公室","level":"province","field":"教育","x_note":1}"#,
        )
        .unwrap();
        assert_eq!(a.field, Some(Field::Education));
        assert_eq!(a.status, AccountStatus::Active);
        assert_eq!(a.extra["x_note"], 1);
    }
}
