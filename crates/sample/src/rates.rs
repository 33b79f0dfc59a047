//! The rates at which values are drawn and problems are planted.
//!
//! A planted rate is turned into an exact count: `round(rate × n)` records (at least one, so
//! the small sample shows every problem), chosen by the seeded generator. Account-level rates
//! apply to the accounts eligible for the problem (menu problems to accounts with a menu
//! snapshot, and so on); article-level rates to all articles.

/// Articles in the 2025 national survey.
pub const NATIONAL_ARTICLES: usize = 29_684;
/// Share of articles with at least one valid comment (2025 survey: < 1,650 of 29,684).
pub const COMMENTED: f64 = 0.056;
/// Share of commented articles whose comments got any reply (2025 survey).
pub const REPLIED: f64 = 0.366;
/// Target share of all reads held by the top 20 % of accounts (long tail, 2015 Shanghai paper).
pub const TOP20_READS_SHARE: f64 = 0.75;

/// σ of the log-normal account popularity (median headline reads); calibrated so the top
/// 20 % of accounts hold about 75 % of reads.
pub const POPULARITY_SIGMA: f64 = 1.3;
/// σ of the log-normal spread of one article's reads around its account's median.
pub const ARTICLE_SIGMA: f64 = 0.7;

// Account problems (share of accounts).
pub const CLOSED: f64 = 0.01;
pub const MIGRATED: f64 = 0.01;
pub const UNVERIFIED: f64 = 0.03;
/// Share of accounts whose unit also has a second account (each pair is two accounts).
pub const DUPLICATE_PAIRS: f64 = 0.01;
pub const INTRO_DEPARTMENT_ORIENTED: f64 = 0.10;
pub const NOT_LISTED_ON_WEBSITE: f64 = 0.05;
pub const SERVICE_ACCOUNTS: f64 = 0.15;

// Menu and link problems (share of accounts with a menu snapshot; `MENU_NONE` of all of them).
pub const MENU_NONE: f64 = 0.05;
pub const MENU_MISSING_DISCLOSURE: f64 = 0.08;
pub const MENU_MISSING_SERVICE: f64 = 0.08;
pub const MENU_MISSING_INTERACTION: f64 = 0.06;
pub const MENU_NATIONAL_ONLY: f64 = 0.04;
pub const MENU_MISPLACED: f64 = 0.06;
pub const MENU_OUTDATED_TOPIC: f64 = 0.05;
pub const LINK_BROKEN: f64 = 0.05;
pub const LINK_LOGIN_REQUIRED: f64 = 0.03;
pub const LINK_APP_REQUIRED: f64 = 0.02;
pub const LINK_WECHAT_UNAVAILABLE: f64 = 0.02;
pub const MOBILE_NOT_ADAPTED: f64 = 0.06;

// Article problems and properties (share of articles).
/// Reposts: `original: false`, `source` set and a "来源：" line opening the body.
pub const REPOST: f64 = 0.30;
/// Copies of another account's earlier article, not marked as reposts.
pub const UNATTRIBUTED_COPY: f64 = 0.01;
/// 中华人民共合国 / 中国人民共和国 instead of 中华人民共和国.
pub const WRONG_COUNTRY_NAME: f64 = 0.002;
/// 发文字号 written [2018], （2025）, 【2025】 or 〔2025〕第N号.
pub const BAD_DOC_NUMBER: f64 = 0.005;
/// 广告法 absolute terms (全国最佳, 国家级最高).
pub const ABSOLUTE_TERM: f64 = 0.001;
/// A 公示 publishing a phone number and an ID number in the body.
pub const BODY_PII: f64 = 0.001;
pub const DELETED: f64 = 0.003;

// Personal data in comments (share of comments).
pub const COMMENT_PHONE: f64 = 0.03;
pub const COMMENT_ID_NUMBER: f64 = 0.01;
pub const COMMENT_BANK_CARD: f64 = 0.005;

// Responses to major events (share of the accounts in scope that were active then).
/// Responded 48–144 hours after the event.
pub const EVENT_LATE: f64 = 0.12;
/// Did not respond.
pub const EVENT_NONE: f64 = 0.08;
