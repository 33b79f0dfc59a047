//! Account status (账号管理): verification, closed or migrated accounts, several accounts of
//! one unit on one platform, and an introduction written about the department instead of
//! for its users.
//!
//! The introduction heuristic counts department-oriented phrases (the unit's mandate:
//! 负责, 承担, 贯彻, 职能, 主管 …) and user-oriented ones (您, 为您, 提供, 查询, 办理, 服务 …):
//! it is department-oriented when it has at least two department phrases and more of them
//! than user phrases. The Shanghai 2015 framework distinguishes exactly these two styles.
//!
//! The introduction of a closed, missing or migrated account (usually its closing notice) is
//! not judged.
//!
//! Metrics: `score` (0 for a closed, missing or migrated account; else 1 − 0.3 unverified
//! − 0.2 duplicate − 0.2 department-oriented introduction), `verified` (1/0, not evaluated
//! when unknown), `active` (1/0), `duplicate` (1/0), `intro_user_oriented` (1/0, not
//! evaluated without an introduction).
//!
//! Findings: `account.unverified`, `account.closed` (also for "账号不存在"),
//! `account.migrated`, `account.duplicate`, `account.intro_department_oriented`.

use std::collections::BTreeMap;

use govmedia_model::{AccountStatus, Finding, FindingCode, Severity};

use crate::{AccountData, Assessment, Check, CheckError, Outcome, Progress, Survey};

const DEPARTMENT_WORDS: &[&str] = &[
    "负责",
    "承担",
    "贯彻",
    "落实",
    "职能",
    "职责",
    "主管",
    "主办",
    "组织编制",
    "指导",
    "拟订",
    "制定",
    "监督管理",
    "统筹",
    "本局",
    "本委",
    "本厅",
    "我局",
    "我委",
    "我厅",
    "官方发布平台",
    "宣传",
    "工作动态",
    "工作成效",
    "展示",
    "官方微信",
];
const USER_WORDS: &[&str] = &[
    "您", "为您", "提供", "查询", "办理", "服务", "便民", "市民", "群众", "公众", "欢迎", "关注", "咨询",
    "生活", "实用", "指南", "资讯",
];

/// Counts (department, user) phrases in an introduction.
pub fn intro_orientation(intro: &str) -> (usize, usize) {
    let count = |words: &[&str]| words.iter().filter(|w| intro.contains(*w)).count();
    (count(DEPARTMENT_WORDS), count(USER_WORDS))
}

/// Normalises an owner name for the duplicate test: whitespace and brackets removed.
fn owner_key(owner: &str) -> String {
    owner.chars().filter(|c| !c.is_whitespace() && !"()（）".contains(*c)).collect()
}

#[derive(Debug, Clone, Default)]
pub struct AccountCheck {
    /// Set by `prepare`: (platform, owner) → account (id, name) list, for units with more
    /// than one account.
    duplicates: BTreeMap<(String, String), Vec<(String, String)>>,
}

impl Check for AccountCheck {
    fn name(&self) -> &'static str {
        "account"
    }

    fn prepare(&mut self, survey: &Survey, _progress: &dyn Progress) -> Result<(), CheckError> {
        let mut groups: BTreeMap<(String, String), Vec<(String, String)>> = BTreeMap::new();
        for a in &survey.accounts {
            let acc = &a.account;
            if matches!(acc.status, AccountStatus::Active) && !acc.owner.trim().is_empty() {
                groups
                    .entry((acc.platform.as_str().to_owned(), owner_key(&acc.owner)))
                    .or_default()
                    .push((acc.id.clone(), acc.name.clone()));
            }
        }
        groups.retain(|_, v| v.len() > 1);
        self.duplicates = groups;
        Ok(())
    }

    fn assess(&self, _survey: &Survey, account: &AccountData) -> Outcome {
        let acc = &account.account;
        let mut a = Assessment::default();
        let mut score: f64 = 1.0;
        match acc.verified {
            Some(true) => {
                a.metrics.insert("verified".into(), 1.0);
            }
            Some(false) => {
                a.metrics.insert("verified".into(), 0.0);
                score -= 0.3;
                a.findings.push(
                    Finding::new(
                        FindingCode::AccountUnverified,
                        Severity::Minor,
                        format!("账号“{}”未认证", acc.name),
                    )
                    .with("account", acc.id.clone()),
                );
            }
            None => {
                a.not_evaluated.insert("verified".into(), "未提供认证信息".into());
            }
        }
        let status_finding = match acc.status {
            AccountStatus::Active => None,
            AccountStatus::Closed => Some((FindingCode::AccountClosed, "账号已关闭")),
            AccountStatus::Missing => Some((FindingCode::AccountClosed, "账号不存在（搜索不到或已注销）")),
            AccountStatus::Migrated => Some((FindingCode::AccountMigrated, "账号已迁移")),
        };
        a.metrics.insert("active".into(), f64::from(u8::from(status_finding.is_none())));
        if let Some((code, what)) = status_finding {
            score = 0.0;
            let mut f = Finding::new(code, Severity::Major, format!("“{}”{what}", acc.name))
                .with("status", acc.status.as_str());
            if acc.website_listed == Some(true) {
                f.message.push_str("，但政府网站仍在展示该账号");
                f = f.with("website_listed", true);
            }
            a.findings.push(f);
        }
        let key = (acc.platform.as_str().to_owned(), owner_key(&acc.owner));
        let dup = self.duplicates.get(&key).filter(|_| acc.status == AccountStatus::Active);
        a.metrics.insert("duplicate".into(), f64::from(u8::from(dup.is_some())));
        if let Some(list) = dup {
            score -= 0.2;
            let others: Vec<String> = list
                .iter()
                .filter(|(id, _)| *id != acc.id)
                .map(|(id, name)| format!("{name}（{id}）"))
                .collect();
            a.findings.push(
                Finding::new(
                    FindingCode::AccountDuplicate,
                    Severity::Minor,
                    format!(
                        "主办单位“{}”在同一平台开设了{}个账号：另有{}",
                        acc.owner,
                        list.len(),
                        others.join("、")
                    ),
                )
                .with("owner", acc.owner.clone())
                .with("accounts", list.iter().map(|(id, _)| id.clone()).collect::<Vec<_>>()),
            );
        }
        let intro = acc.intro.as_deref().map(str::trim).filter(|s| !s.is_empty());
        match intro {
            // A closed or migrated account's introduction is its closing notice: not judged.
            Some(_) if acc.status != AccountStatus::Active => {
                a.not_evaluated
                    .insert("intro_user_oriented".into(), "账号已关闭或迁移，不评价功能介绍".into());
            }
            Some(intro) => {
                let (dept, user) = intro_orientation(intro);
                let dept_oriented = dept >= 2 && dept > user;
                a.metrics.insert("intro_user_oriented".into(), f64::from(u8::from(!dept_oriented)));
                if dept_oriented {
                    score -= 0.2;
                    a.findings.push(
                        Finding::new(
                            FindingCode::AccountIntroDepartmentOriented,
                            Severity::Info,
                            "功能介绍以介绍部门职能为主，未说明用户能获得的信息和服务",
                        )
                        .with("excerpt", govmedia_pii::clip(intro, 40))
                        .with("department_phrases", dept)
                        .with("user_phrases", user),
                    );
                }
            }
            None => {
                a.not_evaluated.insert("intro_user_oriented".into(), "未提供功能介绍".into());
            }
        }
        a.metrics.insert("score".into(), score.clamp(0.0, 1.0));
        Outcome::Evaluated(a)
    }
}
