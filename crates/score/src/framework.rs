//! Frameworks as data: a versioned TOML file with an indicator tree, vetoes and weight
//! redistribution rules. See `frameworks/ccid-2025.toml` for a documented example.
//!
//! Format:
//! - top level: `name`, `version`, `title`, optional `description`, `wci` (the WCI version
//!   reported in `indices`: 2.0, 11.x, 12.0, 13.0, 14.2 computed from the articles' counters,
//!   or `tsinghua-2014` from an index provider's 阅读指数 and 点赞指数), `bci` (the BCI
//!   version: `provincial` from raw counts, the default, or `tsinghua-2014` from the four
//!   published sub-indices; the combined index of a unit is 0.6 WCI + 0.4 BCI of this one
//!   pair, never of two versions mixed), `averaging` (`exact` or `tenth`),
//!   `pass_score` (accounts below it fail, for provincial 0–100 profiles), `[excellent]`
//!   (`share` and `min_score` for accounts, optional `articles_per_level`, default 12, and
//!   `articles_per_account`, default no limit).
//! - `[indicators.ID]`: `name`, `weight` (relative to siblings), and for a leaf `check`,
//!   `metric` (default `score`) and an optional rule: `scale = { from = A, to = B }` maps A
//!   to 0 and B to 1 linearly (clamped; A > B for "less is better"), or
//!   `pass_if = { op = "<=", value = 14 }` gives 1 or 0. Without a rule the metric must
//!   already be 0–1 (clamped). A leaf may name a `fallback = { check, metric }` used when its
//!   own metric is not evaluated (e.g. the AI-confirmed event response, else the keyword
//!   match); the result then says which one was used (`basis`). The parent of `a.b` is `a`.
//! - `[[veto]]`: `code` (a finding code; any finding with that code vetoes, optionally only
//!   with `severity = "veto"`), or a metric threshold: `check`, `metric`, `op`, `value` and
//!   `code` (the code the veto finding carries) with an optional `message`.
//! - `[[redistribute]]`: `from`, `to` (sibling indicators), `when = { check, metric, op,
//!   value }`: when the condition holds, `from`'s weight moves to `to`.
//!
//! Not-evaluated rule (fixed, documented in every built-in): a leaf whose check is not
//! registered, returned "not evaluated", or lacks the metric carries no score; its weight is
//! spread over its evaluated siblings in proportion to their weights and the reason is kept
//! in the results. A node whose children are all not evaluated is itself not evaluated.

use std::collections::BTreeMap;
use std::path::Path;

use govmedia_indices::{Averaging, WciVersion};
use govmedia_model::{FindingCode, Severity};
use serde::Deserialize;
use toml::Spanned;

/// The built-in frameworks: (name, file text).
const BUILTINS: &[(&str, &str)] = &[
    ("ccid-2025", include_str!("../../../frameworks/ccid-2025.toml")),
    ("gov-2019-inspection", include_str!("../../../frameworks/gov-2019-inspection.toml")),
    ("shanghai-2015", include_str!("../../../frameworks/shanghai-2015.toml")),
    ("tsinghua-2014", include_str!("../../../frameworks/tsinghua-2014.toml")),
    ("wechat-handbook", include_str!("../../../frameworks/wechat-handbook.toml")),
];

/// A framework file that cannot be used: which file, which line, which key, why.
#[derive(Debug, thiserror::Error)]
pub enum FrameworkError {
    #[error("{origin}: 无法读取框架文件：{message}")]
    Io { origin: String, message: String },
    #[error("{origin}: {message}")]
    Syntax { origin: String, message: String },
    #[error("{origin}:{line}: {key}: {message}")]
    Invalid { origin: String, line: usize, key: String, message: String },
}

/// A comparison in a condition or a rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
pub enum Op {
    #[serde(rename = "<")]
    Lt,
    #[serde(rename = "<=")]
    Le,
    #[serde(rename = ">")]
    Gt,
    #[serde(rename = ">=")]
    Ge,
    #[serde(rename = "==")]
    Eq,
    #[serde(rename = "!=")]
    Ne,
}

impl Op {
    pub fn holds(self, x: f64, v: f64) -> bool {
        match self {
            Op::Lt => x < v,
            Op::Le => x <= v,
            Op::Gt => x > v,
            Op::Ge => x >= v,
            Op::Eq => (x - v).abs() < 1e-9,
            Op::Ne => (x - v).abs() >= 1e-9,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Op::Lt => "<",
            Op::Le => "<=",
            Op::Gt => ">",
            Op::Ge => ">=",
            Op::Eq => "==",
            Op::Ne => "!=",
        }
    }
}

/// `{ check, metric, op, value }`
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Condition {
    pub check: String,
    pub metric: String,
    pub op: Op,
    pub value: f64,
}

/// `{ op, value }`
#[derive(Debug, Clone, Copy, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PassIf {
    pub op: Op,
    pub value: f64,
}

/// `{ from, to }`: linear map of `from` to 0 and `to` to 1.
#[derive(Debug, Clone, Copy, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Scale {
    pub from: f64,
    pub to: f64,
}

/// How a leaf turns a metric into 0–1.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Rule {
    Direct,
    Scale(Scale),
    PassIf(PassIf),
}

impl Rule {
    pub fn apply(&self, x: f64) -> f64 {
        match self {
            Rule::Direct => x.clamp(0.0, 1.0),
            Rule::Scale(s) if s.from == s.to => f64::from(u8::from(x >= s.to)),
            Rule::Scale(s) => ((x - s.from) / (s.to - s.from)).clamp(0.0, 1.0),
            Rule::PassIf(p) => f64::from(u8::from(p.op.holds(x, p.value))),
        }
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct IndicatorFile {
    name: Spanned<String>,
    weight: Spanned<f64>,
    #[serde(default)]
    description: Option<String>,
    #[serde(default)]
    check: Option<Spanned<String>>,
    #[serde(default)]
    metric: Option<String>,
    #[serde(default)]
    scale: Option<Scale>,
    #[serde(default)]
    pass_if: Option<PassIf>,
    #[serde(default)]
    fallback: Option<MetricRef>,
}

/// `{ check, metric }`: another check's metric a leaf falls back to.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MetricRef {
    pub check: String,
    #[serde(default = "default_metric")]
    pub metric: String,
}

fn default_metric() -> String {
    "score".into()
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct VetoFile {
    code: Spanned<String>,
    #[serde(default)]
    severity: Option<Severity>,
    #[serde(default)]
    check: Option<String>,
    #[serde(default)]
    metric: Option<String>,
    #[serde(default)]
    op: Option<Op>,
    #[serde(default)]
    value: Option<f64>,
    #[serde(default)]
    message: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RedistributeFile {
    from: Spanned<String>,
    to: Spanned<String>,
    when: Condition,
    #[serde(default)]
    note: Option<String>,
}

/// `[excellent]`: who goes on the excellent list of each level.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ExcellentRule {
    /// The best `share` of each level's passed accounts …
    pub share: f64,
    /// … that also score at least this.
    pub min_score: f64,
    /// Excellent articles listed per level (the report's list).
    pub articles_per_level: usize,
    /// At most this many of them from one account; none means no limit.
    pub articles_per_account: Option<usize>,
}

/// Excellent articles per level when a framework does not say (a dozen or so per level, as in
/// the national reports).
pub const DEFAULT_EXCELLENT_ARTICLES_PER_LEVEL: usize = 12;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ExcellentFile {
    share: Spanned<f64>,
    min_score: Spanned<f64>,
    articles_per_level: Option<Spanned<u32>>,
    articles_per_account: Option<Spanned<u32>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct FrameworkFile {
    name: String,
    version: String,
    title: String,
    #[serde(default)]
    description: Option<String>,
    #[serde(default)]
    wci: Option<Spanned<String>>,
    #[serde(default)]
    bci: Option<Spanned<String>>,
    #[serde(default)]
    averaging: Option<Spanned<String>>,
    #[serde(default)]
    pass_score: Option<Spanned<f64>>,
    #[serde(default)]
    excellent: Option<ExcellentFile>,
    indicators: BTreeMap<String, IndicatorFile>,
    #[serde(default)]
    veto: Vec<VetoFile>,
    #[serde(default)]
    redistribute: Vec<RedistributeFile>,
}

/// The name of the 2014 Tsinghua report's formulas, as frameworks and results write it.
pub const TSINGHUA_2014: &str = "tsinghua-2014";

/// Which WCI a framework reports and pairs into the combined index.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WciIndex {
    /// A published version computed from the articles' counters.
    Counters(WciVersion),
    /// 0.6 × 阅读指数 + 0.4 × 点赞指数, from an index provider's export.
    Tsinghua2014,
}

impl WciIndex {
    pub fn as_str(self) -> &'static str {
        match self {
            WciIndex::Counters(v) => v.as_str(),
            WciIndex::Tsinghua2014 => TSINGHUA_2014,
        }
    }

    /// The formula's weights are not confirmed by a published source.
    pub fn unverified(self) -> bool {
        matches!(self, WciIndex::Counters(v) if v.unverified())
    }
}

/// Which BCI a framework reports and pairs into the combined index.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BciIndex {
    /// From posts, reposts, comments and likes.
    Provincial,
    /// The 2014 relation over 覆盖度, 活跃度, 互动度 and 传播度.
    Tsinghua2014,
}

impl BciIndex {
    pub fn as_str(self) -> &'static str {
        match self {
            BciIndex::Provincial => "provincial",
            BciIndex::Tsinghua2014 => TSINGHUA_2014,
        }
    }
}

/// One node of the indicator tree.
#[derive(Debug, Clone, PartialEq)]
pub struct Indicator {
    /// Dotted id (`content.propagation`).
    pub id: String,
    pub name: String,
    pub description: Option<String>,
    /// Relative to its siblings.
    pub weight: f64,
    /// Children ids, in file order of their ids (sorted).
    pub children: Vec<String>,
    /// For a leaf: check name, metric name and rule.
    pub binding: Option<Binding>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Binding {
    pub check: String,
    pub metric: String,
    pub rule: Rule,
    /// Used when `check.metric` is not evaluated.
    pub fallback: Option<MetricRef>,
}

/// A veto rule.
#[derive(Debug, Clone, PartialEq)]
pub enum Veto {
    /// Any finding with this code (and, when given, this severity) vetoes.
    Finding { code: FindingCode, severity: Option<Severity> },
    /// A metric threshold; the veto finding carries `code`.
    Metric { code: FindingCode, condition: Condition, message: Option<String> },
}

impl Veto {
    pub fn code(&self) -> FindingCode {
        match self {
            Veto::Finding { code, .. } | Veto::Metric { code, .. } => *code,
        }
    }
}

/// A redistribution rule.
#[derive(Debug, Clone, PartialEq)]
pub struct Redistribute {
    pub from: String,
    pub to: String,
    pub when: Condition,
    pub note: Option<String>,
}

/// A loaded, validated framework.
#[derive(Debug, Clone, PartialEq)]
pub struct Framework {
    pub name: String,
    pub version: String,
    pub title: String,
    pub description: Option<String>,
    pub wci: WciIndex,
    pub bci: BciIndex,
    pub averaging: Averaging,
    pub pass_score: Option<f64>,
    pub excellent: Option<ExcellentRule>,
    /// Every indicator by id.
    pub indicators: BTreeMap<String, Indicator>,
    /// Top-level indicator ids.
    pub roots: Vec<String>,
    pub vetoes: Vec<Veto>,
    pub redistribute: Vec<Redistribute>,
}

fn line_of(text: &str, offset: usize) -> usize {
    text[..offset.min(text.len())].bytes().filter(|b| *b == b'\n').count() + 1
}

impl Framework {
    /// Names of the built-in frameworks.
    pub fn builtin_names() -> Vec<&'static str> {
        BUILTINS.iter().map(|(n, _)| *n).collect()
    }

    /// The file text of a built-in (for `govmedia framework show`).
    pub fn source_text(name: &str) -> Option<&'static str> {
        BUILTINS.iter().find(|(n, _)| *n == name).map(|(_, t)| *t)
    }

    /// A built-in framework by name.
    pub fn builtin(name: &str) -> Option<Framework> {
        Self::source_text(name)
            .map(|t| Framework::parse(t, name).unwrap_or_else(|e| panic!("built-in framework {name}: {e}")))
    }

    /// Reads a framework file.
    pub fn from_path(path: &Path) -> Result<Framework, FrameworkError> {
        let origin = path.display().to_string();
        let text = std::fs::read_to_string(path)
            .map_err(|e| FrameworkError::Io { origin: origin.clone(), message: e.to_string() })?;
        Framework::parse(&text, &origin)
    }

    /// A built-in name or a path.
    pub fn load(name_or_path: &str) -> Result<Framework, FrameworkError> {
        match Framework::builtin(name_or_path) {
            Some(f) => Ok(f),
            None => Framework::from_path(Path::new(name_or_path)),
        }
    }

    /// Parses and validates framework text; `origin` names it in errors.
    pub fn parse(text: &str, origin: &str) -> Result<Framework, FrameworkError> {
        let file: FrameworkFile = toml::from_str(text)
            .map_err(|e| FrameworkError::Syntax { origin: origin.to_owned(), message: e.to_string() })?;
        let invalid = |span: std::ops::Range<usize>, key: &str, message: String| FrameworkError::Invalid {
            origin: origin.to_owned(),
            line: line_of(text, span.start),
            key: key.to_owned(),
            message,
        };
        let wci = match &file.wci {
            None => WciIndex::Counters(WciVersion::V14_2),
            Some(s) if s.get_ref() == TSINGHUA_2014 => WciIndex::Tsinghua2014,
            Some(s) => WciVersion::parse(s.get_ref()).map(WciIndex::Counters).ok_or_else(|| {
                invalid(
                    s.span(),
                    "wci",
                    format!(
                        "未知的 WCI 版本“{}”（应为 2.0、11.x、12.0、13.0、14.2 或 tsinghua-2014）",
                        s.get_ref()
                    ),
                )
            })?,
        };
        let bci = match file.bci.as_ref().map(|s| (s.get_ref().as_str(), s.span())) {
            None | Some(("provincial", _)) => BciIndex::Provincial,
            Some((TSINGHUA_2014, _)) => BciIndex::Tsinghua2014,
            Some((other, span)) => {
                return Err(invalid(
                    span,
                    "bci",
                    format!("未知的 BCI 版本“{other}”（应为 provincial 或 tsinghua-2014）"),
                ));
            }
        };
        let averaging = match file.averaging.as_ref().map(|s| (s.get_ref().as_str(), s.span())) {
            None | Some(("exact", _)) => Averaging::Exact,
            Some(("tenth", _)) => Averaging::RoundToTenth,
            Some((other, span)) => {
                return Err(invalid(span, "averaging", format!("无效取值“{other}”（应为 exact 或 tenth）")));
            }
        };
        let in_range = |v: &Spanned<f64>, key: &str, lo: f64, hi: f64| {
            let x = *v.get_ref();
            if x.is_finite() && (lo..=hi).contains(&x) {
                Ok(x)
            } else {
                Err(invalid(v.span(), key, format!("取值应在 {lo} 到 {hi} 之间")))
            }
        };
        let pass_score =
            file.pass_score.as_ref().map(|p| in_range(p, "pass_score", 0.0, 100.0)).transpose()?;
        let at_most_1000 = |n: &Spanned<u32>, key: &str| {
            if *n.get_ref() <= 1000 {
                Ok(*n.get_ref() as usize)
            } else {
                Err(invalid(n.span(), key, "取值应在 0 到 1000 之间".into()))
            }
        };
        let excellent = match &file.excellent {
            None => None,
            Some(e) => Some(ExcellentRule {
                share: in_range(&e.share, "excellent.share", 0.0, 1.0)?,
                min_score: in_range(&e.min_score, "excellent.min_score", 0.0, 100.0)?,
                articles_per_level: match &e.articles_per_level {
                    None => DEFAULT_EXCELLENT_ARTICLES_PER_LEVEL,
                    Some(n) => at_most_1000(n, "excellent.articles_per_level")?,
                },
                articles_per_account: e
                    .articles_per_account
                    .as_ref()
                    .map(|n| at_most_1000(n, "excellent.articles_per_account"))
                    .transpose()?,
            }),
        };
        let mut indicators = BTreeMap::new();
        for (id, ind) in &file.indicators {
            let key = format!("indicators.{id}");
            if id.is_empty() || id.split('.').any(str::is_empty) {
                return Err(invalid(ind.name.span(), &key, "指标编号不能为空或含空段".into()));
            }
            if !ind.weight.get_ref().is_finite() || *ind.weight.get_ref() < 0.0 {
                return Err(invalid(ind.weight.span(), &format!("{key}.weight"), "权重必须是非负数".into()));
            }
            if let Some((parent, _)) = id.rsplit_once('.')
                && !file.indicators.contains_key(parent)
            {
                return Err(invalid(ind.name.span(), &key, format!("上级指标“{parent}”未定义")));
            }
            let binding = match &ind.check {
                Some(check) => {
                    if ind.scale.is_some() && ind.pass_if.is_some() {
                        return Err(invalid(check.span(), &key, "scale 与 pass_if 只能二选一".into()));
                    }
                    let rule = match (ind.scale, ind.pass_if) {
                        (Some(s), _) => Rule::Scale(s),
                        (_, Some(p)) => Rule::PassIf(p),
                        _ => Rule::Direct,
                    };
                    Some(Binding {
                        check: check.get_ref().clone(),
                        metric: ind.metric.clone().unwrap_or_else(|| "score".into()),
                        rule,
                        fallback: ind.fallback.clone(),
                    })
                }
                None => {
                    if ind.metric.is_some()
                        || ind.scale.is_some()
                        || ind.pass_if.is_some()
                        || ind.fallback.is_some()
                    {
                        return Err(invalid(
                            ind.name.span(),
                            &key,
                            "设置了 metric/scale/pass_if/fallback 却没有 check".into(),
                        ));
                    }
                    None
                }
            };
            indicators.insert(
                id.clone(),
                Indicator {
                    id: id.clone(),
                    name: ind.name.get_ref().clone(),
                    description: ind.description.clone(),
                    weight: *ind.weight.get_ref(),
                    children: Vec::new(),
                    binding,
                },
            );
        }
        let ids: Vec<String> = indicators.keys().cloned().collect();
        let mut roots = Vec::new();
        for id in &ids {
            match id.rsplit_once('.') {
                Some((parent, _)) => indicators.get_mut(parent).expect("checked").children.push(id.clone()),
                None => roots.push(id.clone()),
            }
        }
        for (id, ind) in &indicators {
            let f = &file.indicators[id];
            match (&ind.binding, ind.children.is_empty()) {
                (Some(_), false) => {
                    return Err(invalid(
                        f.name.span(),
                        &format!("indicators.{id}"),
                        "有下级指标的指标不能绑定 check".into(),
                    ));
                }
                (None, true) => {
                    return Err(invalid(
                        f.name.span(),
                        &format!("indicators.{id}"),
                        "末级指标必须绑定 check（及 metric）".into(),
                    ));
                }
                _ => {}
            }
        }
        if roots.is_empty() {
            return Err(FrameworkError::Invalid {
                origin: origin.to_owned(),
                line: 1,
                key: "indicators".into(),
                message: "至少需要一个指标".into(),
            });
        }
        let mut vetoes = Vec::new();
        for (i, v) in file.veto.iter().enumerate() {
            let key = format!("veto[{i}].code");
            let code: FindingCode =
                v.code.get_ref().parse().map_err(|_| {
                    invalid(v.code.span(), &key, format!("未知问题代码“{}”", v.code.get_ref()))
                })?;
            let metric_parts = (v.check.clone(), v.metric.clone(), v.op, v.value);
            vetoes.push(match metric_parts {
                (None, None, None, None) => Veto::Finding { code, severity: v.severity },
                (Some(check), Some(metric), Some(op), Some(value)) => Veto::Metric {
                    code,
                    condition: Condition { check, metric, op, value },
                    message: v.message.clone(),
                },
                _ => {
                    return Err(invalid(
                        v.code.span(),
                        &format!("veto[{i}]"),
                        "按指标否决须同时给出 check、metric、op、value".into(),
                    ));
                }
            });
        }
        let mut redistribute = Vec::new();
        for (i, r) in file.redistribute.iter().enumerate() {
            for (field, s) in [("from", &r.from), ("to", &r.to)] {
                if !indicators.contains_key(s.get_ref()) {
                    return Err(invalid(
                        s.span(),
                        &format!("redistribute[{i}].{field}"),
                        format!("指标“{}”未定义", s.get_ref()),
                    ));
                }
            }
            let parent = |s: &str| s.rsplit_once('.').map(|(p, _)| p.to_owned());
            if parent(r.from.get_ref()) != parent(r.to.get_ref()) || r.from.get_ref() == r.to.get_ref() {
                return Err(invalid(
                    r.to.span(),
                    &format!("redistribute[{i}].to"),
                    "权重只能转移给同级的另一个指标".into(),
                ));
            }
            redistribute.push(Redistribute {
                from: r.from.get_ref().clone(),
                to: r.to.get_ref().clone(),
                when: r.when.clone(),
                note: r.note.clone(),
            });
        }
        Ok(Framework {
            name: file.name,
            version: file.version,
            title: file.title,
            description: file.description,
            wci,
            bci,
            averaging,
            pass_score,
            excellent,
            indicators,
            roots,
            vetoes,
            redistribute,
        })
    }

    /// Check names the framework binds leaves or rules to.
    pub fn bound_checks(&self) -> Vec<String> {
        let mut v: Vec<String> = self
            .indicators
            .values()
            .flat_map(|i| {
                i.binding.iter().flat_map(|b| {
                    std::iter::once(b.check.clone()).chain(b.fallback.iter().map(|f| f.check.clone()))
                })
            })
            .chain(self.redistribute.iter().map(|r| r.when.check.clone()))
            .chain(self.vetoes.iter().filter_map(|v| match v {
                Veto::Metric { condition, .. } => Some(condition.check.clone()),
                Veto::Finding { .. } => None,
            }))
            .collect();
        v.sort();
        v.dedup();
        v
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rules_map_metrics_to_unit_scores() {
        assert_eq!(Rule::Direct.apply(1.7), 1.0);
        assert_eq!(Rule::Direct.apply(-0.2), 0.0);
        let less_is_better = Rule::Scale(Scale { from: 14.0, to: 1.0 });
        assert_eq!(less_is_better.apply(1.0), 1.0);
        assert_eq!(less_is_better.apply(14.0), 0.0);
        assert!((less_is_better.apply(7.5) - 0.5).abs() < 1e-12);
        assert_eq!(less_is_better.apply(30.0), 0.0);
        let pass = Rule::PassIf(PassIf { op: Op::Le, value: 14.0 });
        assert_eq!((pass.apply(14.0), pass.apply(15.0)), (1.0, 0.0));
        assert!(Op::Eq.holds(0.0, 0.0) && Op::Ne.holds(1.0, 0.0) && Op::Gt.holds(2.0, 1.0));
    }
}
