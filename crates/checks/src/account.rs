//! Account status (账号管理): verification, closed or migrated accounts, several accounts of
//! one unit on one platform, and an introduction written about the department instead of
//! for its users.
//!
//! One unit written two ways is one unit: owner names are compared after normalising them
//! with the standard short forms of `lexicons/unit-short-names.toml` ([`UnitNames`]: XX市人民
//! 政府 = XX市政府 = XX市人民政府办公室, whose office runs the government's account;
//! XX省人力资源和社会保障厅 = XX省人社厅), and two accounts whose region codes are both known
//! and differ are never one unit. The verified subject is compared with the owner the same way.
//!
//! The introduction is read clause by clause with `lexicons/intro-department.toml`
//! ([`IntroLexicon`], the rule is in that file): the unit as subject with its 三定 duties
//! (是…的工作部门，主要负责…; 主管全省…工作; 贯彻落实…方针政策) or presenting itself (官方微信,
//! 由…主办, 宣传…工作动态), and no offer to users (为您提供…服务, 发布…信息), is
//! department-oriented. The Shanghai 2015 framework distinguishes exactly these two styles.
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

use govmedia_model::{Account, AccountStatus, Finding, FindingCode, Level, Platform, Severity};
use serde::Deserialize;

use crate::{AccountData, Assessment, Check, CheckError, Outcome, Progress, Survey};

/// The embedded table of standard short forms of unit names.
pub const DEFAULT_UNIT_NAMES: &str = include_str!("../../../lexicons/unit-short-names.toml");
/// The embedded introduction lexicon.
pub const DEFAULT_INTRO_LEXICON: &str = include_str!("../../../lexicons/intro-department.toml");

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct UnitNamesFile {
    version: u32,
    short: Vec<ShortForm>,
}

/// Where in a name a form is replaced.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
enum At {
    Start,
    End,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct ShortForm {
    short: String,
    forms: Vec<String>,
    #[serde(default)]
    at: Option<At>,
}

/// Standard short forms of unit names (`lexicons/unit-short-names.toml`): two names that
/// normalise to the same [`UnitNames::key`] name one unit.
#[derive(Debug, Clone)]
pub struct UnitNames {
    pub version: u32,
    /// In the file's order, each entry's forms longest first.
    entries: Vec<ShortForm>,
}

impl UnitNames {
    /// Parses a table; errors name the key and line.
    pub fn parse(text: &str) -> Result<UnitNames, String> {
        let file: UnitNamesFile = toml::from_str(text).map_err(|e| e.to_string())?;
        let mut entries = file.short;
        for e in &mut entries {
            e.forms.retain(|f| !f.is_empty());
            e.forms.sort_by_key(|f| std::cmp::Reverse(f.chars().count()));
        }
        Ok(UnitNames { version: file.version, entries })
    }

    /// The embedded table.
    pub fn default_names() -> UnitNames {
        UnitNames::parse(DEFAULT_UNIT_NAMES).expect("embedded lexicons/unit-short-names.toml is valid")
    }

    /// The name with spaces and brackets dropped and every entry applied in order.
    pub fn key(&self, name: &str) -> String {
        let mut s: String = name.chars().filter(|c| !c.is_whitespace() && !"()（）".contains(*c)).collect();
        for e in &self.entries {
            for form in &e.forms {
                match e.at {
                    None => s = s.replace(form.as_str(), &e.short),
                    Some(At::End) => {
                        if let Some(rest) = s.strip_suffix(form.as_str()) {
                            s = format!("{rest}{}", e.short);
                            break;
                        }
                    }
                    Some(At::Start) => {
                        if let Some(rest) = s.strip_prefix(form.as_str()).filter(|r| !r.is_empty()) {
                            s = format!("{}{rest}", e.short);
                            break;
                        }
                    }
                }
            }
        }
        s
    }
}

/// Cue words of one kind of clause (`lexicons/intro-department.toml`).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct Cues {
    #[serde(default)]
    words: Vec<String>,
    #[serde(default)]
    pairs: Vec<Pair>,
}

/// A head word followed later in the clause by a tail word.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct Pair {
    head: Vec<String>,
    tail: Vec<String>,
    /// The tail must end the clause (是…部门).
    #[serde(default)]
    at_end: bool,
}

impl Cues {
    /// The first cue found in `clause`, as evidence shows it (`官方微信`, `负责…工作`).
    fn find(&self, clause: &str) -> Option<String> {
        if let Some(w) = self.words.iter().find(|w| !w.is_empty() && clause.contains(w.as_str())) {
            return Some(w.clone());
        }
        self.pairs.iter().find_map(|p| {
            p.head.iter().filter(|h| !h.is_empty()).find_map(|h| {
                let rest = &clause[clause.find(h.as_str())? + h.len()..];
                let tail = p.tail.iter().filter(|t| !t.is_empty()).find(|t| {
                    if p.at_end { rest.ends_with(t.as_str()) } else { rest.contains(t.as_str()) }
                })?;
                Some(format!("{h}…{tail}"))
            })
        })
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct IntroFile {
    version: u32,
    reader: Cues,
    duty: Cues,
    offer: Cues,
    presentation: Cues,
}

/// What one clause of an introduction does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Clause {
    Reader,
    Duty,
    Offer,
    Presentation,
    Other,
}

/// How an introduction reads: the department-side and user-side cues found, and the verdict.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IntroReading {
    /// Duty and presentation cues (`是…部门`, `负责…工作`, `官方微信`, `单位名称`).
    pub department: Vec<String>,
    /// Offer cues, addressed to the reader or not (`为您`, `提供…服务`).
    pub user: Vec<String>,
    pub department_oriented: bool,
}

/// The introduction lexicon (`lexicons/intro-department.toml`, with the reading rule).
#[derive(Debug, Clone)]
pub struct IntroLexicon {
    pub version: u32,
    reader: Cues,
    duty: Cues,
    offer: Cues,
    presentation: Cues,
}

/// Where an introduction is cut into clauses.
const CLAUSE_ENDS: &str = "，,。．.；;：:！!？?…~～";
/// Quote marks around a name, ignored when a clause is nothing but the unit's name.
const QUOTES: &str = "“”\"'‘’《》「」『』【】";

impl IntroLexicon {
    /// Parses a lexicon; errors name the key and line.
    pub fn parse(text: &str) -> Result<IntroLexicon, String> {
        let f: IntroFile = toml::from_str(text).map_err(|e| e.to_string())?;
        Ok(IntroLexicon {
            version: f.version,
            reader: f.reader,
            duty: f.duty,
            offer: f.offer,
            presentation: f.presentation,
        })
    }

    /// The embedded lexicon.
    pub fn default_lexicon() -> IntroLexicon {
        IntroLexicon::parse(DEFAULT_INTRO_LEXICON).expect("embedded lexicons/intro-department.toml is valid")
    }

    /// Reads `intro` of an account whose owner and name are `names` (blanked out first).
    pub fn read(&self, intro: &str, names: &[&str]) -> IntroReading {
        let mut text = intro.to_owned();
        let mut names: Vec<&str> =
            names.iter().map(|n| n.trim()).filter(|n| n.chars().count() >= 2).collect();
        names.sort_by_key(|n| std::cmp::Reverse(n.len()));
        for n in names {
            text = text.replace(n, "〇");
        }
        let mut department = Vec::new();
        let mut user = Vec::new();
        let mut kinds = Vec::new();
        let only_names =
            |t: &str| t.chars().all(|c| c == '〇' || QUOTES.contains(c) || CLAUSE_ENDS.contains(c));
        if text.contains('〇') && only_names(text.trim()) {
            return IntroReading {
                department: vec!["单位名称".to_owned()],
                user: Vec::new(),
                department_oriented: true,
            };
        }
        for clause in text.split(|c: char| c.is_whitespace() || CLAUSE_ENDS.contains(c)) {
            // A clause that only names the unit (XX市人民政府：…) says nothing either way.
            if only_names(clause) {
                continue;
            }
            let cues = [
                (Clause::Reader, &self.reader),
                (Clause::Duty, &self.duty),
                (Clause::Offer, &self.offer),
                (Clause::Presentation, &self.presentation),
            ];
            match cues.into_iter().find_map(|(kind, cues)| cues.find(clause).map(|cue| (kind, cue))) {
                Some((kind @ (Clause::Reader | Clause::Offer), cue)) => {
                    user.push(cue);
                    kinds.push(kind);
                }
                Some((kind, cue)) => {
                    department.push(cue);
                    kinds.push(kind);
                }
                None => kinds.push(Clause::Other),
            }
        }
        let count = |k: Clause| kinds.iter().filter(|x| **x == k).count();
        let (reader, duty, offer, presentation) =
            (count(Clause::Reader), count(Clause::Duty), count(Clause::Offer), count(Clause::Presentation));
        let copied_mandate = duty >= 2 && reader == 0;
        let no_offer = reader == 0
            && offer == 0
            && (2 * duty + presentation >= 2 || (presentation > 0 && presentation == kinds.len()));
        IntroReading { department, user, department_oriented: copied_mandate || no_offer }
    }
}

/// An owner name as written, for telling whether two owners are spelt alike: whitespace and
/// brackets removed.
fn owner_key(owner: &str) -> String {
    owner.chars().filter(|c| !c.is_whitespace() && !"()（）".contains(*c)).collect()
}

/// Two accounts can be one unit's unless both region codes are known and differ.
fn same_region(a: &Account, b: &Account) -> bool {
    match (a.region.as_deref(), b.region.as_deref()) {
        (Some(x), Some(y)) => x.trim() == y.trim(),
        _ => true,
    }
}

/// One account of a unit with several: id, name, owner as written.
type Member = (String, String, String);

#[derive(Debug, Clone)]
pub struct AccountCheck {
    /// Standard short forms for comparing unit names.
    pub unit_names: UnitNames,
    /// Cues for reading the introduction.
    pub intro: IntroLexicon,
    /// Set by `prepare`: account id → every active account of its unit on its platform (itself
    /// first), for units with more than one.
    duplicates: BTreeMap<String, Vec<Member>>,
}

impl Default for AccountCheck {
    fn default() -> Self {
        AccountCheck {
            unit_names: UnitNames::default_names(),
            intro: IntroLexicon::default_lexicon(),
            duplicates: BTreeMap::new(),
        }
    }
}

impl AccountCheck {
    /// The check with a user's lexicon directory (`--lexicons DIR`): its
    /// `unit-short-names.toml` and `intro-department.toml`, when present, replace the embedded
    /// tables (copies of `lexicons/` with the office's edits).
    pub fn from_dir(dir: &std::path::Path) -> Result<AccountCheck, String> {
        let mut check = AccountCheck::default();
        let read = |name: &str| -> Result<Option<(String, String)>, String> {
            let path = dir.join(name);
            if !path.is_file() {
                return Ok(None);
            }
            let text = std::fs::read_to_string(&path)
                .map_err(|e| format!("无法读取词库 {}：{e}", path.display()))?;
            Ok(Some((path.display().to_string(), text)))
        };
        if let Some((path, text)) = read("unit-short-names.toml")? {
            check.unit_names = UnitNames::parse(&text).map_err(|e| format!("单位简称表 {path}：{e}"))?;
        }
        if let Some((path, text)) = read("intro-department.toml")? {
            check.intro = IntroLexicon::parse(&text).map_err(|e| format!("功能介绍词库 {path}：{e}"))?;
        }
        Ok(check)
    }
}

impl Check for AccountCheck {
    fn reads_bodies(&self) -> bool {
        false
    }

    fn name(&self) -> &'static str {
        "account"
    }

    fn prepare(&mut self, survey: &Survey, _progress: &dyn Progress) -> Result<(), CheckError> {
        let mut groups: BTreeMap<(String, String), Vec<&Account>> = BTreeMap::new();
        for acc in &survey.accounts {
            if matches!(acc.status, AccountStatus::Active) && !acc.owner.trim().is_empty() {
                groups
                    .entry((acc.platform.as_str().to_owned(), self.unit_names.key(&acc.owner)))
                    .or_default()
                    .push(acc);
            }
        }
        let mut duplicates = BTreeMap::new();
        for group in groups.values().filter(|g| g.len() > 1) {
            for acc in group {
                let unit: Vec<Member> = group
                    .iter()
                    .filter(|o| o.id == acc.id || same_region(acc, o))
                    .map(|o| (o.id.clone(), o.name.clone(), o.owner.clone()))
                    .collect();
                if unit.len() > 1 {
                    duplicates.insert(acc.id.clone(), unit);
                }
            }
        }
        self.duplicates = duplicates;
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
        let dup = self.duplicates.get(&acc.id).filter(|_| acc.status == AccountStatus::Active);
        a.metrics.insert("duplicate".into(), f64::from(u8::from(dup.is_some())));
        if let Some(list) = dup {
            score -= 0.2;
            let own = owner_key(&acc.owner);
            let others: Vec<String> = list
                .iter()
                .filter(|(id, ..)| *id != acc.id)
                .map(|(id, name, owner)| {
                    if owner_key(owner) == own {
                        format!("{name}（{id}）")
                    } else {
                        format!("{name}（{id}，主办单位写作“{owner}”）")
                    }
                })
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
                .with("accounts", list.iter().map(|(id, ..)| id.clone()).collect::<Vec<_>>()),
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
                let reading = self.intro.read(intro, &[&acc.owner, &acc.name]);
                a.metrics
                    .insert("intro_user_oriented".into(), f64::from(u8::from(!reading.department_oriented)));
                if reading.department_oriented {
                    score -= 0.2;
                    a.findings.push(
                        Finding::new(
                            FindingCode::AccountIntroDepartmentOriented,
                            Severity::Info,
                            "功能介绍以介绍本单位职能或自身为主，未说明用户能获得的信息和服务",
                        )
                        .with("excerpt", govmedia_pii::clip(intro, 40))
                        .with("department_phrases", reading.department)
                        .with("user_phrases", reading.user),
                    );
                }
            }
            None => {
                a.not_evaluated.insert("intro_user_oriented".into(), "未提供功能介绍".into());
            }
        }
        score -= profile_rules(acc, &self.unit_names, &mut a);
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

/// The platform's naming and introduction rules for 公众号; returns the deduction.
fn wechat_profile_rules(acc: &Account, a: &mut Assessment) -> f64 {
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
    deduction
}

/// The profile rules (module documentation): findings and metrics into `a`; returns the
/// deduction from the score. Unit names are compared by their standard short forms.
fn profile_rules(acc: &Account, units: &UnitNames, a: &mut Assessment) -> f64 {
    let mut deduction = 0.0;
    let flag = |a: &mut Assessment, metric: &str, ok: bool| {
        a.metrics.insert(metric.into(), f64::from(u8::from(ok)));
    };
    if acc.platform == Platform::Wechat {
        deduction += wechat_profile_rules(acc, a);
    } else {
        for m in ["name_standard", "intro_standard"] {
            a.not_evaluated.insert(m.into(), "微信公众号的命名与功能介绍规则，不适用于该平台".into());
        }
    }
    match acc.verified_subject.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        Some(subject) => {
            let (s, o) = (units.key(subject), units.key(&acc.owner));
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

#[cfg(test)]
mod tests {
    #[test]
    fn a_user_directory_replaces_the_tables() {
        let dir = std::env::temp_dir().join(format!("govmedia-account-lexicons-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        assert!(AccountCheck::from_dir(&dir).is_ok(), "no file: the embedded tables");
        std::fs::write(
            dir.join("unit-short-names.toml"),
            "version = 1\n[[short]]\nshort = \"某局\"\nforms = [\"某某管理局\"]\n",
        )
        .unwrap();
        let check = AccountCheck::from_dir(&dir).unwrap();
        assert_eq!(check.unit_names.key("甲县某某管理局"), check.unit_names.key("甲县某局"));
        std::fs::write(dir.join("intro-department.toml"), "not = [valid\n").unwrap();
        let err = AccountCheck::from_dir(&dir).unwrap_err();
        std::fs::remove_dir_all(&dir).unwrap();
        assert!(err.contains("intro-department.toml"), "{err}");
    }

    use super::*;

    #[test]
    fn unit_names_normalise_to_standard_short_forms() {
        let u = UnitNames::default_names();
        for (name, key) in [
            ("某市人民政府", "某市政府"),
            ("某市人民政府办公室", "某市政府"),
            ("某省人民政府办公厅", "某省政府"),
            ("某县 政府办", "某县政府"),
            ("某市市场监督管理局", "某市市场监管局"),
            ("某省人力资源和社会保障厅", "某省人社厅"),
            ("某市卫生健康委员会", "某市卫健委"),
            ("国家发展和改革委员会", "国家发改委"),
            ("国家发展改革委", "国家发改委"),
            ("中华人民共和国应急管理部", "应急部"),
            ("中国共产党某市委员会", "中共某市委"),
            ("某市人民代表大会常务委员会", "某市人大常委会"),
            ("某市人民政府新闻办公室", "某市政府新闻办"),
            ("某市政务服务和数据管理局", "某市政数局"),
        ] {
            assert_eq!(u.key(name), key, "{name}");
        }
        // Never shortened to nothing, and other units keep their own names.
        assert_eq!(u.key("中华人民共和国"), "中华人民共和国");
        assert_eq!(u.key("某市融媒体中心"), "某市融媒体中心");
        assert_ne!(u.key("某市人民政府"), u.key("某市人民政府新闻办公室"));
        assert_ne!(u.key("某市人民政府"), u.key("某市卫生健康委员会"));
    }

    #[test]
    fn an_office_adds_its_own_short_form() {
        let local = format!(
            "{DEFAULT_UNIT_NAMES}\n[[short]]\nshort = \"大数据局\"\nforms = [\"大数据发展管理局\"]\n"
        );
        let u = UnitNames::parse(&local).unwrap();
        assert_eq!(u.key("某市大数据发展管理局"), u.key("某市大数据局"));
        assert_ne!(UnitNames::default_names().key("某市大数据发展管理局"), "某市大数据局");
        let e = UnitNames::parse("version = 1\n[[short]]\nshort = \"x\"\nform = [\"y\"]\n").unwrap_err();
        assert!(e.contains("form"), "{e}");
        let e = UnitNames::parse("version = 1\n[[short]]\nshort = \"x\"\nforms = [\"y\"]\nat = \"middle\"\n")
            .unwrap_err();
        assert!(e.contains("middle"), "{e}");
    }

    #[test]
    fn introductions_read_by_clause() {
        let lex = IntroLexicon::default_lexicon();
        let read = |intro: &str| lex.read(intro, &["某市市场监督管理局", "某市市场监管"]);
        // The unit's own name says nothing: 监督管理 in it is no duty.
        let r = read("某市市场监督管理局官方服务号，为您提供企业登记、食品安全投诉举报服务。");
        assert!(!r.department_oriented);
        assert_eq!(r.department, ["官方服务号"]);
        assert_eq!(r.user, ["为您"]);
        let r = read("某市市场监督管理局是市政府工作部门。负责全市市场综合监督管理工作。");
        assert!(r.department_oriented);
        assert_eq!(r.department, ["工作部门", "负责…工作"]);
        // 是 … 部门 only when the clause ends with the unit type.
        let r = read("这里是某市市场监督管理局部门动态发布平台");
        assert!(!r.department_oriented, "{r:?}");
        // A greeting offers nothing; a reader offer clears even a 三定 copy.
        assert!(read("主管全市市场监管工作，承担市场综合监督管理职责。欢迎关注。").department_oriented);
        assert!(!read("主管全市市场监管工作，承担市场综合监督管理职责。欢迎留言咨询。").department_oriented);
        // Nothing but the account's name.
        assert!(read("“某市市场监管”").department_oriented);
        assert!(!read("等你很久了~").department_oriented);
    }
}
