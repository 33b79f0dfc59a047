//! The answers we accept, checked field by field.
//!
//! A model's JSON is validated here rather than trusted: wrong types, out-of-range scores,
//! unknown categories and quotes that are not in the text are errors. The error text (Chinese)
//! is what the repair turn sends back to the model, so it says exactly what to fix.

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::{Map, Value};

use crate::prompts::Task;

/// A validated answer to one task.
pub trait Answer: Sized + Serialize + Send + 'static {
    /// What validation needs besides the answer (the texts a review quotes from).
    type Context: Send + Sync;
    const TASK: Task;
    fn validate(value: &Value, ctx: &Self::Context) -> Result<Self, String>;
}

/// Finds the JSON object in a model's text: bare, fenced in ``` or surrounded by chatter.
pub fn extract_json(text: &str) -> Result<Value, String> {
    let mut t = text.trim();
    // Reasoning models served locally (Qwen3, DeepSeek-R1 on Ollama) prefix their thoughts.
    if t.starts_with("<think>")
        && let Some(end) = t.find("</think>")
    {
        t = t[end + "</think>".len()..].trim();
    }
    if t.is_empty() {
        return Err("回答为空".to_owned());
    }
    let unfenced = t
        .strip_prefix("```json")
        .or_else(|| t.strip_prefix("```"))
        .map(|r| r.trim_end().trim_end_matches("```").trim())
        .unwrap_or(t);
    let parsed = serde_json::from_str::<Value>(unfenced).or_else(|first| {
        match (unfenced.find('{'), unfenced.rfind('}')) {
            (Some(i), Some(j)) if i < j => serde_json::from_str(&unfenced[i..=j]).map_err(|_| first),
            _ => Err(first),
        }
    });
    match parsed {
        Ok(v @ Value::Object(_)) => Ok(v),
        Ok(_) => Err("回答不是 JSON 对象".to_owned()),
        Err(e) => Err(format!("回答不是合法的 JSON（{e}），可能被截断或夹杂了其他文字")),
    }
}

fn object(v: &Value) -> Result<&Map<String, Value>, String> {
    v.as_object().ok_or_else(|| "回答不是 JSON 对象".to_owned())
}

fn field<'a>(o: &'a Map<String, Value>, name: &str) -> Result<&'a Value, String> {
    o.get(name).ok_or_else(|| format!("缺少字段 {name}"))
}

fn string(o: &Map<String, Value>, name: &str, max_chars: usize, non_empty: bool) -> Result<String, String> {
    let s = field(o, name)?.as_str().ok_or_else(|| format!("字段 {name} 应为字符串"))?.trim();
    if non_empty && s.is_empty() {
        return Err(format!("字段 {name} 不能为空"));
    }
    if s.chars().count() > max_chars {
        return Err(format!("字段 {name} 超过 {max_chars} 字"));
    }
    Ok(s.to_owned())
}

fn score_0_10(o: &Map<String, Value>, name: &str) -> Result<u8, String> {
    let v = field(o, name)?;
    let n = v.as_f64().ok_or_else(|| format!("字段 {name} 应为 0 到 10 的整数，实际为 {v}"))?;
    if n.fract() != 0.0 || !(0.0..=10.0).contains(&n) {
        return Err(format!("字段 {name} 应为 0 到 10 的整数，实际为 {v}"));
    }
    Ok(n as u8)
}

fn probability(o: &Map<String, Value>, name: &str) -> Result<f64, String> {
    let v = field(o, name)?;
    match v.as_f64() {
        Some(n) if (0.0..=1.0).contains(&n) => Ok(n),
        _ => Err(format!("字段 {name} 应为 0 到 1 之间的数字，实际为 {v}")),
    }
}

macro_rules! labelled_enum {
    ($(#[$m:meta])* $name:ident { $($variant:ident => $label:literal),+ $(,)? }) => {
        $(#[$m])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum $name { $($variant),+ }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            pub fn label(self) -> &'static str {
                match self { $($name::$variant => $label),+ }
            }

            pub fn from_label(s: &str) -> Option<Self> {
                Self::ALL.iter().copied().find(|c| c.label() == s.trim())
            }

            fn expected() -> String {
                Self::ALL.iter().map(|c| c.label()).collect::<Vec<_>>().join("、")
            }
        }

        impl Serialize for $name {
            fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.label())
            }
        }

        impl<'de> Deserialize<'de> for $name {
            fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let label = <std::borrow::Cow<'de, str>>::deserialize(d)?;
                Self::from_label(&label).ok_or_else(|| {
                    serde::de::Error::custom(format!("“{label}”不是以下之一：{}", Self::expected()))
                })
            }
        }
    };
}

labelled_enum! {
    /// The six article categories of the survey.
    Category {
        PolicyRelease => "政策发布解读",
        GovService => "政务服务",
        PublicConcern => "社会关切",
        Experience => "经验总结",
        ScienceCulture => "科教文史",
        NewsActivity => "新闻活动",
    }
}

labelled_enum! {
    /// Reply problems, in the words of the 2018 opinion.
    ReplyProblem {
        OffTopic => "答非所问",
        Preachy => "空洞说教",
        Cold => "生硬冷漠",
    }
}

labelled_enum! {
    /// What kind of problem a review found.
    IssueKind {
        PoliticalWording => "political_wording",
        Factual => "factual",
        Wording => "wording",
    }
}

labelled_enum! {
    IssueSeverity {
        Major => "major",
        Minor => "minor",
    }
}

fn labelled<T: Copy>(
    o: &Map<String, Value>,
    name: &str,
    parse: fn(&str) -> Option<T>,
    expected: String,
) -> Result<T, String> {
    let v = field(o, name)?;
    v.as_str().and_then(parse).ok_or_else(|| format!("字段 {name} 应为以下之一：{expected}；实际为 {v}"))
}

/// The article's category.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CategoryJudgement {
    pub category: Category,
    pub confidence: f64,
    pub reason: String,
}

impl Answer for CategoryJudgement {
    type Context = ();
    const TASK: Task = Task::Category;
    fn validate(v: &Value, _: &()) -> Result<Self, String> {
        let o = object(v)?;
        Ok(CategoryJudgement {
            category: labelled(o, "category", Category::from_label, Category::expected())?,
            confidence: probability(o, "confidence")?,
            reason: string(o, "reason", 300, false)?,
        })
    }
}

/// Content quality on four 0–10 dimensions.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct QualityJudgement {
    pub original_insight: u8,
    pub readability: u8,
    pub usefulness: u8,
    pub correct_wording: u8,
    pub rationale: String,
}

impl QualityJudgement {
    /// The mean of the four dimensions, scaled to 0–1.
    pub fn score(&self) -> f64 {
        f64::from(
            u16::from(self.original_insight)
                + u16::from(self.readability)
                + u16::from(self.usefulness)
                + u16::from(self.correct_wording),
        ) / 40.0
    }
}

impl Answer for QualityJudgement {
    type Context = ();
    const TASK: Task = Task::Quality;
    fn validate(v: &Value, _: &()) -> Result<Self, String> {
        let o = object(v)?;
        Ok(QualityJudgement {
            original_insight: score_0_10(o, "original_insight")?,
            readability: score_0_10(o, "readability")?,
            usefulness: score_0_10(o, "usefulness")?,
            correct_wording: score_0_10(o, "correct_wording")?,
            rationale: string(o, "rationale", 500, true)?,
        })
    }
}

/// Where a quote was found.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TextField {
    Title,
    Content,
}

/// One problem a review found, located in the text we sent.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReviewIssue {
    pub kind: IssueKind,
    pub severity: IssueSeverity,
    /// The quote as the text has it.
    pub quote: String,
    pub suggestion: String,
    pub field: TextField,
    /// Character offsets (not bytes) of the quote in `field`, end exclusive.
    pub start: usize,
    pub end: usize,
}

/// Political-wording and factual review.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReviewJudgement {
    pub issues: Vec<ReviewIssue>,
}

/// The texts a review was asked about (after truncation).
#[derive(Debug, Clone)]
pub struct ReviewContext {
    pub title: String,
    pub content: String,
}

/// Finds `needle` in `haystack` ignoring whitespace (models drop line breaks in quotes);
/// returns character offsets of the match in `haystack`.
pub fn locate(haystack: &str, needle: &str) -> Option<(usize, usize)> {
    let want: Vec<char> = needle.chars().filter(|c| !c.is_whitespace()).collect();
    if want.is_empty() {
        return None;
    }
    let kept: Vec<(usize, char)> = haystack.chars().enumerate().filter(|(_, c)| !c.is_whitespace()).collect();
    kept.windows(want.len())
        .find(|w| w.iter().map(|(_, c)| *c).eq(want.iter().copied()))
        .map(|w| (w[0].0, w[w.len() - 1].0 + 1))
}

impl Answer for ReviewJudgement {
    type Context = ReviewContext;
    const TASK: Task = Task::Review;
    fn validate(v: &Value, ctx: &ReviewContext) -> Result<Self, String> {
        let o = object(v)?;
        let list = field(o, "issues")?.as_array().ok_or("字段 issues 应为数组")?;
        if list.len() > 20 {
            return Err(format!("issues 最多 20 条，实际 {} 条", list.len()));
        }
        let mut issues = Vec::with_capacity(list.len());
        for (i, item) in list.iter().enumerate() {
            let at = |e: String| format!("issues[{i}]：{e}");
            let o = item.as_object().ok_or_else(|| at("应为 JSON 对象".to_owned()))?;
            let quote = string(o, "quote", 200, true).map_err(at)?;
            let (field, (start, end)) = locate(&ctx.content, &quote)
                .map(|s| (TextField::Content, s))
                .or_else(|| locate(&ctx.title, &quote).map(|s| (TextField::Title, s)))
                .ok_or_else(|| at(format!("quote“{quote}”不是标题或正文中的原文，必须逐字摘录")))?;
            let source = if field == TextField::Content { &ctx.content } else { &ctx.title };
            issues.push(ReviewIssue {
                kind: labelled(o, "kind", IssueKind::from_label, IssueKind::expected()).map_err(at)?,
                severity: labelled(o, "severity", IssueSeverity::from_label, IssueSeverity::expected())
                    .map_err(at)?,
                quote: source.chars().skip(start).take(end - start).collect(),
                suggestion: string(o, "suggestion", 300, false).map_err(at)?,
                field,
                start,
                end,
            });
        }
        Ok(ReviewJudgement { issues })
    }
}

/// Quality of an account's reply to a comment.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReplyJudgement {
    pub score: u8,
    pub problems: Vec<ReplyProblem>,
    pub reason: String,
}

impl Answer for ReplyJudgement {
    type Context = ();
    const TASK: Task = Task::Reply;
    fn validate(v: &Value, _: &()) -> Result<Self, String> {
        let o = object(v)?;
        let list = field(o, "problems")?.as_array().ok_or("字段 problems 应为数组")?;
        let mut problems = Vec::new();
        for p in list {
            let label = p.as_str().unwrap_or_default();
            let problem = ReplyProblem::from_label(label).ok_or_else(|| {
                format!("problems 中的“{p}”不是允许的问题名称（{}）", ReplyProblem::expected())
            })?;
            if !problems.contains(&problem) {
                problems.push(problem);
            }
        }
        Ok(ReplyJudgement {
            score: score_0_10(o, "score")?,
            problems,
            reason: string(o, "reason", 300, false)?,
        })
    }
}

/// Whether an article responds to a major event, and how completely (0–10: the event, its
/// scope, the measures taken, guidance for the public; 0 when not relevant).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RelevanceJudgement {
    pub relevant: bool,
    pub completeness: u8,
    pub confidence: f64,
    pub reason: String,
}

impl Answer for RelevanceJudgement {
    type Context = ();
    const TASK: Task = Task::Relevance;
    fn validate(v: &Value, _: &()) -> Result<Self, String> {
        let o = object(v)?;
        Ok(RelevanceJudgement {
            relevant: field(o, "relevant")?.as_bool().ok_or("字段 relevant 应为 true 或 false")?,
            completeness: score_0_10(o, "completeness")?,
            confidence: probability(o, "confidence")?,
            reason: string(o, "reason", 300, false)?,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn extracts_json_from_fences_and_chatter() {
        assert!(extract_json("{\"a\":1}").is_ok());
        assert!(extract_json("```json\n{\"a\":1}\n```").is_ok());
        assert!(extract_json("好的，结果如下：{\"a\":1} 希望有帮助").is_ok());
        assert!(extract_json("{\"a\":").unwrap_err().contains("截断"));
        assert!(extract_json("[1]").unwrap_err().contains("对象"));
        assert!(extract_json("  ").is_err());
        assert_eq!(extract_json("<think>先想想 {x}</think>\n{\"a\":1}").unwrap()["a"], 1);
    }

    #[test]
    fn category_is_one_of_six() {
        let ok = json!({"category": "政务服务", "confidence": 0.9, "reason": "办事指南"});
        assert_eq!(CategoryJudgement::validate(&ok, &()).unwrap().category, Category::GovService);
        let bad = json!({"category": "体育", "confidence": 0.9, "reason": ""});
        assert!(CategoryJudgement::validate(&bad, &()).unwrap_err().contains("政策发布解读"));
        let conf = json!({"category": "政务服务", "confidence": 90, "reason": ""});
        assert!(CategoryJudgement::validate(&conf, &()).unwrap_err().contains("confidence"));
        let missing = json!({"category": "政务服务", "reason": ""});
        assert!(CategoryJudgement::validate(&missing, &()).unwrap_err().contains("缺少字段 confidence"));
    }

    #[test]
    fn quality_scores_are_integers_0_to_10() {
        let ok = json!({"original_insight": 8, "readability": 6.0, "usefulness": 10, "correct_wording": 0, "rationale": "好"});
        let q = QualityJudgement::validate(&ok, &()).unwrap();
        assert!((q.score() - 0.6).abs() < 1e-9);
        for bad in [json!(11), json!(7.5), json!("8"), json!(-1)] {
            let mut v = ok.clone();
            v["readability"] = bad;
            assert!(QualityJudgement::validate(&v, &()).unwrap_err().contains("readability"));
        }
        let mut v = ok;
        v["rationale"] = json!("");
        assert!(QualityJudgement::validate(&v, &()).is_err());
    }

    #[test]
    fn review_quotes_must_be_in_the_text() {
        let ctx = ReviewContext {
            title: "关于做好防汛工作的通知".into(),
            content: "各单位：\n要认真落实\n防汛责任制。".into(),
        };
        let ok = json!({"issues": [
            {"kind": "wording", "quote": "认真落实防汛", "suggestion": "x", "severity": "minor"},
            {"kind": "factual", "quote": "防汛工作", "suggestion": "y", "severity": "major"}
        ]});
        let r = ReviewJudgement::validate(&ok, &ctx).unwrap();
        assert_eq!((r.issues[0].field, r.issues[0].start, r.issues[0].end), (TextField::Content, 6, 13));
        assert_eq!(r.issues[0].quote, "认真落实\n防汛");
        assert_eq!((r.issues[1].field, r.issues[1].start), (TextField::Title, 4));
        let invented = json!({"issues": [{"kind": "wording", "quote": "不存在的话", "suggestion": "", "severity": "minor"}]});
        assert!(ReviewJudgement::validate(&invented, &ctx).unwrap_err().contains("逐字摘录"));
        let kind =
            json!({"issues": [{"kind": "style", "quote": "防汛", "suggestion": "", "severity": "minor"}]});
        assert!(ReviewJudgement::validate(&kind, &ctx).unwrap_err().contains("political_wording"));
        assert!(ReviewJudgement::validate(&json!({"issues": []}), &ctx).unwrap().issues.is_empty());
    }

    #[test]
    fn reply_problems_use_the_opinion_words() {
        let ok = json!({"score": 3, "problems": ["空洞说教", "生硬冷漠", "空洞说教"], "reason": "套话"});
        let r = ReplyJudgement::validate(&ok, &()).unwrap();
        assert_eq!(r.problems, [ReplyProblem::Preachy, ReplyProblem::Cold]);
        let bad = json!({"score": 3, "problems": ["态度差"], "reason": ""});
        assert!(ReplyJudgement::validate(&bad, &()).unwrap_err().contains("答非所问"));
    }

    #[test]
    fn relevance_needs_a_boolean_and_a_completeness() {
        let bad = json!({"relevant": "yes", "completeness": 5, "confidence": 0.5, "reason": ""});
        assert!(RelevanceJudgement::validate(&bad, &()).is_err());
        let ok = json!({"relevant": true, "completeness": 7, "confidence": 0.5, "reason": "防汛"});
        let j = RelevanceJudgement::validate(&ok, &()).unwrap();
        assert!(j.relevant && j.completeness == 7);
        let missing = json!({"relevant": true, "confidence": 0.5, "reason": "防汛"});
        assert!(RelevanceJudgement::validate(&missing, &()).unwrap_err().contains("completeness"));
        let out_of_range = json!({"relevant": true, "completeness": 11, "confidence": 0.5, "reason": ""});
        assert!(RelevanceJudgement::validate(&out_of_range, &()).is_err());
    }
}
