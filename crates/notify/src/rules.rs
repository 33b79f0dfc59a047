//! Alert rules as data: which findings or external states become alert conditions, how a
//! condition is titled and graded, which evidence it shows, and when it escalates.
//!
//! The defaults (`rules/default.toml`) are compiled in so monitoring works without a file; a
//! user's file overlays them rule by rule (same id replaces, `enabled = false` removes), so an
//! office changes one threshold without copying the whole set.

use std::collections::BTreeMap;
use std::path::Path;

use govmedia_model::{Evidence, FindingCode, Severity};
use serde::Deserialize;
use toml::Spanned;

use crate::error::{ConfigError, Origin};

const DEFAULT_RULES: &str = include_str!("../rules/default.toml");

/// External states a rule can watch: things about the monitoring itself, not about an account.
pub const EXTERNAL_KINDS: &[&str] = &[SOURCE_LOGIN_LOST];

/// A collector source lost its login (采集源失效).
pub const SOURCE_LOGIN_LOST: &str = "source.login_lost";

/// What a rule watches.
#[derive(Debug, Clone, PartialEq)]
pub enum Trigger {
    Findings(Vec<FindingCode>),
    /// One of [`EXTERNAL_KINDS`].
    External(String),
}

/// One escalation step: a condition is at the highest stage one of its findings matches.
#[derive(Debug, Clone, PartialEq)]
pub struct Stage {
    pub code: Option<FindingCode>,
    /// A numeric evidence field and its lower bound.
    pub at_least: Option<(String, f64)>,
    pub title: Option<String>,
    pub severity: Option<Severity>,
}

impl Stage {
    fn matches(&self, code: FindingCode, evidence: &Evidence) -> bool {
        self.code.is_none_or(|c| c == code)
            && self.at_least.as_ref().is_none_or(|(field, min)| {
                evidence.get(field).and_then(serde_json::Value::as_f64).is_some_and(|v| v >= *min)
            })
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Rule {
    pub id: String,
    pub title: String,
    pub resolved_title: String,
    pub trigger: Trigger,
    /// The check producing the findings: when the evaluation lists it as not evaluated, the
    /// absence of a finding proves nothing, so the rule's conditions are not resolved.
    pub check: Option<String>,
    /// Evidence fields naming the object of a condition (a link, an article and a term).
    pub object: Vec<String>,
    /// Evidence fields shown in the alert, in this order.
    pub show: Vec<String>,
    /// Overrides the finding's severity when a stage does not set one.
    pub severity: Option<Severity>,
    pub stages: Vec<Stage>,
}

impl Rule {
    /// The stage index a finding reaches (0 for a rule without stages), if any.
    pub fn stage_of(&self, code: FindingCode, evidence: &Evidence) -> Option<usize> {
        if self.stages.is_empty() {
            return Some(0);
        }
        self.stages.iter().rposition(|s| s.matches(code, evidence))
    }

    pub fn watches(&self, code: FindingCode) -> bool {
        matches!(&self.trigger, Trigger::Findings(codes) if codes.contains(&code))
    }

    pub fn is_external(&self) -> bool {
        matches!(self.trigger, Trigger::External(_))
    }

    /// The title of a stage (the rule's when the stage has none).
    pub fn stage_title(&self, stage: usize) -> &str {
        self.stages.get(stage).and_then(|s| s.title.as_deref()).unwrap_or(&self.title)
    }

    pub fn stage_severity(&self, stage: usize) -> Option<Severity> {
        self.stages.get(stage).and_then(|s| s.severity).or(self.severity)
    }
}

/// The rule set in force, with the Chinese labels of evidence fields.
#[derive(Debug, Clone, PartialEq)]
pub struct Rules {
    rules: Vec<Rule>,
    labels: BTreeMap<String, String>,
}

impl Rules {
    /// The built-in rules.
    pub fn defaults() -> Rules {
        Rules { rules: Vec::new(), labels: BTreeMap::new() }
            .overlay(DEFAULT_RULES, "rules/default.toml")
            .unwrap_or_else(|e| panic!("built-in rules: {e}"))
    }

    /// The built-in rules overlaid with a user's file.
    pub fn load(path: &Path) -> Result<Rules, ConfigError> {
        let text = Origin::read(path)?;
        Rules::defaults().overlay(&text, &path.display().to_string())
    }

    /// These rules overlaid with rules text: a rule with a known id replaces it, a new id is
    /// added, `enabled = false` removes; labels are merged. `origin` names the text in errors.
    pub fn overlay(mut self, text: &str, origin: &str) -> Result<Rules, ConfigError> {
        let origin = Origin { name: origin, text };
        let file: RulesFile = origin.parse()?;
        self.labels.extend(file.labels);
        let mut seen = BTreeMap::new();
        for (i, raw) in file.rule.into_iter().enumerate() {
            let key = format!("rule[{i}]");
            let id = raw.id.get_ref().clone();
            let valid_id = !id.is_empty()
                && id.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || "._-".contains(c));
            if !valid_id {
                return Err(origin.invalid(raw.id.span(), &key, "规则 id 只能由小写字母、数字和 . _ - 组成"));
            }
            if seen.insert(id.clone(), ()).is_some() {
                return Err(origin.invalid(raw.id.span(), &key, format!("规则 id“{id}”重复")));
            }
            let enabled = raw.enabled;
            let rule = raw.validate(&origin, &format!("rule[{i}]（{id}）"))?;
            self.rules.retain(|r| r.id != id);
            if enabled {
                self.rules.push(rule);
            }
        }
        Ok(self)
    }

    pub fn iter(&self) -> impl Iterator<Item = &Rule> {
        self.rules.iter()
    }

    pub fn get(&self, id: &str) -> Option<&Rule> {
        self.rules.iter().find(|r| r.id == id)
    }

    /// The Chinese label of an evidence field (the field name when none is configured).
    pub fn label<'a>(&'a self, field: &'a str) -> &'a str {
        self.labels.get(field).map_or(field, String::as_str)
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RulesFile {
    #[serde(default)]
    labels: BTreeMap<String, String>,
    #[serde(default)]
    rule: Vec<RawRule>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRule {
    id: Spanned<String>,
    title: Spanned<String>,
    resolved_title: Option<String>,
    codes: Option<Spanned<Vec<Spanned<String>>>>,
    external: Option<Spanned<String>>,
    check: Option<String>,
    #[serde(default)]
    object: Vec<String>,
    #[serde(default)]
    show: Vec<String>,
    severity: Option<Spanned<String>>,
    #[serde(default = "yes")]
    enabled: bool,
    #[serde(default)]
    stage: Vec<RawStage>,
}

fn yes() -> bool {
    true
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawStage {
    code: Option<Spanned<String>>,
    field: Option<Spanned<String>>,
    at_least: Option<Spanned<f64>>,
    title: Option<String>,
    severity: Option<Spanned<String>>,
}

fn severity(origin: &Origin, s: &Spanned<String>, key: &str) -> Result<Severity, ConfigError> {
    match s.get_ref().as_str() {
        "veto" => Ok(Severity::Veto),
        "major" => Ok(Severity::Major),
        "minor" => Ok(Severity::Minor),
        "info" => Ok(Severity::Info),
        other => Err(origin.invalid(
            s.span(),
            key,
            format!("无效的严重程度“{other}”（应为 veto、major、minor 或 info）"),
        )),
    }
}

impl RawRule {
    fn validate(self, origin: &Origin, key: &str) -> Result<Rule, ConfigError> {
        if self.title.get_ref().trim().is_empty() {
            return Err(origin.invalid(self.title.span(), &format!("{key}.title"), "标题不能为空"));
        }
        let trigger = match (&self.codes, &self.external) {
            (Some(codes), None) => {
                if codes.get_ref().is_empty() {
                    return Err(origin.invalid(
                        codes.span(),
                        &format!("{key}.codes"),
                        "至少需要一个问题代码",
                    ));
                }
                let mut parsed = Vec::new();
                for c in codes.get_ref() {
                    let code = c.get_ref().parse::<FindingCode>().map_err(|_| {
                        origin.invalid(
                            c.span(),
                            &format!("{key}.codes"),
                            format!("未知问题代码“{}”", c.get_ref()),
                        )
                    })?;
                    parsed.push(code);
                }
                Trigger::Findings(parsed)
            }
            (None, Some(ext)) => {
                if !EXTERNAL_KINDS.contains(&ext.get_ref().as_str()) {
                    return Err(origin.invalid(
                        ext.span(),
                        &format!("{key}.external"),
                        format!("未知外部状态“{}”（可用：{}）", ext.get_ref(), EXTERNAL_KINDS.join("、")),
                    ));
                }
                Trigger::External(ext.get_ref().clone())
            }
            _ => {
                return Err(origin.invalid(self.id.span(), key, "codes 与 external 必须且只能填写一项"));
            }
        };
        let rule_severity =
            self.severity.as_ref().map(|s| severity(origin, s, &format!("{key}.severity"))).transpose()?;
        let mut stages = Vec::new();
        for (j, raw) in self.stage.into_iter().enumerate() {
            let skey = format!("{key}.stage[{j}]");
            let code = match &raw.code {
                None => None,
                Some(c) => {
                    let code = c.get_ref().parse::<FindingCode>().ok().filter(|code| match &trigger {
                        Trigger::Findings(codes) => codes.contains(code),
                        Trigger::External(_) => false,
                    });
                    Some(code.ok_or_else(|| {
                        origin.invalid(
                            c.span(),
                            &format!("{skey}.code"),
                            format!("问题代码“{}”不在本规则的 codes 中", c.get_ref()),
                        )
                    })?)
                }
            };
            let at_least = match (raw.field, raw.at_least) {
                (Some(f), Some(n)) => Some((f.into_inner(), n.into_inner())),
                (None, None) => None,
                (Some(f), None) => {
                    return Err(origin.invalid(
                        f.span(),
                        &format!("{skey}.at_least"),
                        "填写 field 时须同时填写 at_least",
                    ));
                }
                (None, Some(n)) => {
                    return Err(origin.invalid(
                        n.span(),
                        &format!("{skey}.field"),
                        "填写 at_least 时须同时填写 field",
                    ));
                }
            };
            let severity = raw
                .severity
                .as_ref()
                .map(|s| severity(origin, s, &format!("{skey}.severity")))
                .transpose()?;
            stages.push(Stage { code, at_least, title: raw.title, severity });
        }
        if matches!(trigger, Trigger::External(_)) && !stages.is_empty() {
            return Err(origin.invalid(self.id.span(), &format!("{key}.stage"), "外部状态规则不能分阶段"));
        }
        let title = self.title.into_inner();
        Ok(Rule {
            id: self.id.into_inner(),
            resolved_title: self.resolved_title.unwrap_or_else(|| format!("{title}（已解除）")),
            title,
            trigger,
            check: self.check,
            object: self.object,
            show: self.show,
            severity: rule_severity,
            stages,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn ev(v: serde_json::Value) -> Evidence {
        v.as_object().unwrap().clone()
    }

    #[test]
    fn defaults_parse_and_stage_the_silence_warnings() {
        let rules = Rules::defaults();
        let r = rules.get("update.silence").unwrap();
        let w = FindingCode::UpdateStaleWarning;
        assert_eq!(r.stage_of(w, &ev(json!({"days_since_last": 10}))), Some(0));
        assert_eq!(r.stage_of(w, &ev(json!({"days_since_last": 11}))), Some(0));
        assert_eq!(r.stage_of(w, &ev(json!({"days_since_last": 12}))), Some(1));
        assert_eq!(r.stage_of(FindingCode::UpdateStale14d, &ev(json!({}))), Some(2));
        assert_eq!(r.stage_severity(1), Some(Severity::Major));
        assert!(rules.get("source.login_lost").unwrap().is_external());
        assert_eq!(rules.label("veto_date"), "触发否决日期");
        assert_eq!(rules.label("unknown_field"), "unknown_field");
    }

    #[test]
    fn a_user_file_replaces_disables_and_adds() {
        let text = r#"
[[rule]]
id = "link.broken"
title = "菜单链接失效"
codes = ["link.broken"]
severity = "veto"

[[rule]]
id = "content.pii_exposed"
title = "x"
codes = ["content.pii_exposed"]
enabled = false

[[rule]]
id = "menu.none"
title = "未设置菜单"
codes = ["menu.none"]
"#;
        let rules = Rules::defaults().overlay(text, "mine.toml").unwrap();
        assert_eq!(rules.get("link.broken").unwrap().title, "菜单链接失效");
        assert_eq!(rules.get("link.broken").unwrap().resolved_title, "菜单链接失效（已解除）");
        assert!(rules.get("content.pii_exposed").is_none());
        assert!(rules.get("menu.none").is_some());
        assert!(rules.get("update.silence").is_some());
    }

    #[test]
    fn bad_files_name_file_line_and_key() {
        let err = |text: &str| Rules::defaults().overlay(text, "my-rules.toml").unwrap_err().to_string();
        let e = err("[[rule]]\nid = \"x\"\ntitle = \"t\"\ncodes = [\"link.broken\", \"link.gone\"]\n");
        assert_eq!(e, "my-rules.toml:4: rule[0]（x）.codes: 未知问题代码“link.gone”");
        let e = err(
            "[[rule]]\nid = \"x\"\ntitle = \"t\"\ncodes = [\"link.broken\"]\n\n[[rule.stage]]\nfield = \"count\"\nat_least = 2\nseverity = \"high\"\n",
        );
        assert!(
            e.starts_with("my-rules.toml:9: rule[0]（x）.stage[0].severity: 无效的严重程度“high”"),
            "{e}"
        );
        let e = err("[[rule]]\nid = \"x\"\ntitle = \"t\"\ncodes = [\"link.broken\"]\ntreshold = 3\n");
        assert!(e.starts_with("my-rules.toml:5: "), "{e}");
        assert!(e.contains("treshold"), "{e}");
        let e = err("[[rule]]\nid = \"x\"\ntitle = \"t\"\n");
        assert_eq!(e, "my-rules.toml:2: rule[0]（x）: codes 与 external 必须且只能填写一项");
        let e = err("[[rule]]\nid = \"x\"\ntitle = \"t\"\nexternal = \"source.gone\"\n");
        assert!(e.starts_with("my-rules.toml:4: rule[0]（x）.external: 未知外部状态“source.gone”"), "{e}");
        let e = err(
            "[[rule]]\nid = \"x\"\ntitle = \"t\"\ncodes = [\"menu.none\"]\n[[rule.stage]]\ncode = \"link.broken\"\n",
        );
        assert!(e.starts_with("my-rules.toml:6: rule[0]（x）.stage[0].code: "), "{e}");
        let e = err("[[rule]]\nid = \"X Y\"\ntitle = \"t\"\ncodes = [\"menu.none\"]\n");
        assert!(e.starts_with("my-rules.toml:2: rule[0]: "), "{e}");
    }
}
