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
//! Platform and State Council rules that can be checked from the account's profile
//! ([`profile_rules`]): the name (政务微信手册: 2–16 汉字 or 4–32 characters, only Chinese,
//! letters, digits and the symbols `.` `（）` `-`), the introduction (4–120 characters), the
//! verified subject against the owner (谁开设谁主办, 国办发〔2018〕123号), a provincial,
//! city or county government account opened by a propaganda, cyberspace, press or foreign
//! affairs office instead of the government office (the 2025 survey's first typical
//! problem), an account the unit's website does not show (`website_listed: false`), and
//! earlier names (`former_names`, whose old QR codes and names websites keep showing).
//!
//! Metrics: `score` (0 for a closed, missing or migrated account; else 1 − 0.3 unverified
//! − 0.2 duplicate − 0.2 department-oriented introduction − 0.2 not listed on the website −
//! 0.2 wrong opener − 0.1 subject differs from the owner − 0.05 nonstandard name − 0.05
//! nonstandard introduction length; not evaluated when verification or the introduction is
//! unknown, since the score would then reward missing data), `verified` (1/0, not evaluated
//! when unknown), `active` (1/0), `duplicate` (1/0), `intro_user_oriented` (1/0, not
//! evaluated without an introduction), `name_standard`, `intro_standard`,
//! `subject_consistent`, `opener_ok` (government accounts only), `website_listed` (1/0, not
//! evaluated when unknown), `renamed` (1/0).
//!
//! Findings: `account.unverified`, `account.closed` (also for "账号不存在"),
//! `account.migrated`, `account.duplicate`, `account.intro_department_oriented`,
//! `account.name_nonstandard`, `account.intro_nonstandard`, `account.subject_mismatch`,
//! `account.wrong_opener`, `account.not_listed`, `account.renamed`.

use std::collections::BTreeMap;

use govmedia_model::{AccountStatus, Finding, FindingCode, Level, Severity};

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
        score -= profile_rules(acc, &mut a);
        let mut unknown = Vec::new();
        if acc.verified.is_none() {
            unknown.push("认证信息");
        }
        if intro.is_none() {
            unknown.push("功能介绍");
        }
        if status_finding.is_some() || unknown.is_empty() {
            a.metrics.insert("score".into(), score.clamp(0.0, 1.0));
        } else {
            a.not_evaluated.insert(
                "score".into(),
                format!("未采集{}，账号管理得分未评估（不按满分计）", unknown.join("和")),
            );
        }
        Outcome::Evaluated(a)
    }
}

/// The handbook's limits on names: 2–16 Chinese characters or 4–32 characters, a Chinese
/// character counting as two.
const NAME_WIDTH: std::ops::RangeInclusive<usize> = 4..=32;
/// The handbook's limits on the introduction, in characters.
const INTRO_CHARS: std::ops::RangeInclusive<usize> = 4..=120;
/// Symbols the platform accepts in a name besides Chinese, letters and digits.
const NAME_SYMBOLS: &str = ".-（）()";
/// Units that open a government's account in its place (the 2025 survey: 宣传部、网信办、
/// 新闻办甚至市委外事办), where the government office (办公厅/室) should.
const WRONG_OPENERS: &[&str] = &[
    "宣传部",
    "网信办",
    "网络安全和信息化",
    "新闻办",
    "新闻办公室",
    "外事办",
    "外事工作委员会",
    "融媒体中心",
];

fn is_cjk(c: char) -> bool {
    matches!(c, '\u{3400}'..='\u{4DBF}' | '\u{4E00}'..='\u{9FFF}' | '\u{F900}'..='\u{FAFF}')
}

/// What is wrong with an account name under the handbook's rule, if anything.
pub fn name_problem(name: &str) -> Option<String> {
    let width: usize = name.chars().map(|c| if is_cjk(c) { 2 } else { 1 }).sum();
    let bad: String = name
        .chars()
        .filter(|c| !(is_cjk(*c) || c.is_ascii_alphanumeric() || NAME_SYMBOLS.contains(*c)))
        .collect();
    if !bad.is_empty() {
        Some(format!("含平台不支持的字符“{bad}”（仅支持中文、英文字母、数字和“.”“（）”“-”）"))
    } else if !NAME_WIDTH.contains(&width) {
        Some(format!("长度为{width}个字符（汉字计2个），超出2—16个汉字或4—32个字符的范围"))
    } else {
        None
    }
}

/// The profile rules (module documentation): findings and metrics into `a`; returns the
/// deduction from the score.
fn profile_rules(acc: &govmedia_model::Account, a: &mut Assessment) -> f64 {
    let mut deduction = 0.0;
    let flag = |a: &mut Assessment, metric: &str, ok: bool| {
        a.metrics.insert(metric.into(), f64::from(u8::from(ok)));
    };
    let name_issue = name_problem(&acc.name);
    flag(a, "name_standard", name_issue.is_none());
    if let Some(why) = name_issue {
        deduction += 0.05;
        a.findings.push(
            Finding::new(
                FindingCode::AccountNameNonstandard,
                Severity::Info,
                format!("账号名称“{}”{why}，不符合《政务微信手册》的命名规则", acc.name),
            )
            .with("name", acc.name.clone()),
        );
    }
    match acc.intro.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        Some(intro) if acc.status == AccountStatus::Active => {
            let n = intro.chars().count();
            flag(a, "intro_standard", INTRO_CHARS.contains(&n));
            if !INTRO_CHARS.contains(&n) {
                deduction += 0.05;
                a.findings.push(
                    Finding::new(
                        FindingCode::AccountIntroNonstandard,
                        Severity::Info,
                        format!("功能介绍共{n}个字，不符合平台4—120个字的要求"),
                    )
                    .with("chars", n),
                );
            }
        }
        _ => {
            a.not_evaluated.insert("intro_standard".into(), "未提供功能介绍，或账号已关闭、迁移".into());
        }
    }
    match acc.verified_subject.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        Some(subject) => {
            let (s, o) = (owner_key(subject), owner_key(&acc.owner));
            let consistent = o.is_empty() || s.contains(&o) || o.contains(&s);
            flag(a, "subject_consistent", consistent);
            if !consistent {
                deduction += 0.1;
                a.findings.push(
                    Finding::new(
                        FindingCode::AccountSubjectMismatch,
                        Severity::Minor,
                        "认证主体与主办单位不一致（应谁开设谁主办），请核实由哪个单位开设和运维",
                    )
                    .with("verified_subject", subject)
                    .with("owner", acc.owner.clone()),
                );
            }
        }
        None => {
            a.not_evaluated.insert("subject_consistent".into(), "未采集认证主体".into());
        }
    }
    if matches!(acc.level, Level::Province | Level::Prefecture | Level::County) {
        let (opener, basis) = match acc.verified_subject.as_deref().filter(|s| !s.trim().is_empty()) {
            Some(s) => (s, "认证主体"),
            None => (acc.owner.as_str(), "主办单位"),
        };
        let wrong =
            WRONG_OPENERS.iter().find(|w| opener.contains(*w)).filter(|_| !opener.contains("政府办公"));
        flag(a, "opener_ok", wrong.is_none());
        if let Some(w) = wrong {
            deduction += 0.2;
            a.findings.push(
                Finding::new(
                    FindingCode::AccountWrongOpener,
                    Severity::Major,
                    format!(
                        "{}政务账号的{basis}为{w}，而非政府办公厅（室），不符合由办公厅（室）主管、谁开设谁主办的要求",
                        acc.level.label()
                    ),
                )
                .with("opener", opener)
                .with("basis", basis),
            );
        }
    }
    match acc.website_listed {
        Some(listed) if acc.status == AccountStatus::Active => {
            flag(a, "website_listed", listed);
            a.stats.insert("website_listed".into(), listed.into());
            if !listed {
                deduction += 0.2;
                a.findings.push(
                    Finding::new(
                        FindingCode::AccountNotListed,
                        Severity::Major,
                        format!(
                            "主办单位“{}”的政府网站未展示该账号，公众难以通过官方渠道发现和关注",
                            acc.owner
                        ),
                    )
                    .with("website_listed", false),
                );
            }
        }
        Some(_) => {}
        None => {
            a.not_evaluated.insert("website_listed".into(), "未采集政府网站是否展示该账号".into());
        }
    }
    flag(a, "renamed", !acc.former_names.is_empty());
    if !acc.former_names.is_empty() {
        let mut f = Finding::new(
            FindingCode::AccountRenamed,
            Severity::Info,
            format!(
                "账号曾更名{}次，请核实政府网站与宣传材料展示的名称和二维码已同步更新",
                acc.former_names.len()
            ),
        )
        .with("former_names", acc.former_names.clone());
        if acc.website_listed == Some(true) {
            f = f.with("website_listed", true);
        }
        a.findings.push(f);
    }
    deduction
}
