//! Evidence as readers see it: Chinese labels, short values, and an anonymous variant.

use govmedia_model::Evidence;
use govmedia_model::results::AccountResult;

use crate::fixes::scrub;

/// Keys that would identify the account in an anonymised example.
const IDENTIFYING: [&str; 12] = [
    "url",
    "final_url",
    "account",
    "biz",
    "id",
    "name",
    "owner",
    "verified_subject",
    "opener",
    "former_names",
    "pages",
    "followers",
];

/// `菜单路径：办事服务/社保查询；状态码：404`.
pub fn text(ev: &Evidence) -> String {
    ev.iter().map(|(k, v)| format!("{}：{}", label(k), value(v))).collect::<Vec<_>>().join("；")
}

/// Like [`text`] but without links and with the account's own names removed.
pub fn anonymous(ev: &Evidence, a: &AccountResult) -> String {
    ev.iter()
        .filter(|(k, _)| !IDENTIFYING.contains(&k.as_str()))
        .map(|(k, v)| format!("{}：{}", label(k), scrub(&value(v), a)))
        .collect::<Vec<_>>()
        .join("；")
}

fn label(key: &str) -> &str {
    match key {
        "url" | "article_url" => "链接",
        "final_url" => "最终地址",
        "redirects" => "跳转",
        "menu_path" => "菜单路径",
        "menu_items" => "菜单项",
        "menu_interaction" => "互动菜单",
        "item_function" => "子菜单功能",
        "parent_function" => "上级菜单功能",
        "captured_at" => "菜单采集时间",
        "fetched_at" => "网页抓取时间",
        "status" => "状态码",
        "error" => "错误",
        "reason" => "原因",
        "problems" => "问题",
        "blocked_requests" => "被拦截的请求",
        "screenshot" => "截图",
        "html" => "网页快照",
        "measurements" => "测量值",
        "title" | "article_title" => "文章标题",
        "excerpt" => "摘录",
        "term" => "词语",
        "keyword" => "关键词",
        "lexicon" => "词库",
        "category" => "类别",
        "right" | "suggestion" => "建议表述",
        "rule_source" => "规则来源",
        "found" => "原文",
        "expected" => "应为",
        "occurrences" => "出现次数",
        "count" => "数量",
        "examples" => "示例",
        "days" => "天数",
        "days_left" => "剩余天数",
        "working_days_left" => "剩余工作日",
        "rule_in_force_from" => "规则施行日期",
        "days_since_last" => "距最近发布天数",
        "median_gap_days" => "发布间隔中位数（天）",
        "threshold" | "threshold_days" => "阈值（天）",
        "veto_date" | "hit_date" => "触发否决日期",
        "check_date" => "监测时间点",
        "window_from" => "统计起始日",
        "window_to" => "统计截止日",
        "last_published" | "last_article" => "最近发布",
        "published_at" => "发布时间",
        "created_at" => "留言时间",
        "date" => "日期",
        "comment" => "留言",
        "reply" => "回复",
        "comments" => "留言数",
        "comments_closed" => "留言已关闭",
        "valid_comments" => "有效留言数",
        "replied" => "已回复数",
        "reads" => "阅读量",
        "articles" => "文章数",
        "event" => "事件",
        "occurred_at" => "事件发生时间",
        "responded_at" => "首次回应时间",
        "response_hours" => "回应时限（小时）",
        "hours" => "间隔小时数",
        "source" => "来源",
        "other_account" | "original_account" | "first_account" => "原发账号",
        "first_url" => "原文链接",
        "first_published_at" => "原文发布时间",
        "content_hash" => "内容指纹",
        "similarity" => "相似度",
        "kind" => "类型",
        "account" => "账号",
        "accounts" => "账号",
        "owner" => "主办单位",
        "field" => "领域",
        "website_listed" => "政府网站已公布",
        "department_phrases" => "部门导向表述",
        "user_phrases" => "用户导向表述",
        "mobile_numbers" => "手机号",
        "id_numbers" => "身份证号",
        "bank_cards" => "银行卡号",
        "metric" => "指标",
        "value" => "数值",
        "score" => "得分",
        "confidence" => "置信度",
        "model" => "模型",
        "prompt_version" => "提示词版本",
        "sign" => "方向",
        "start" | "end" => "位置",
        "avg_reads" => "篇均阅读量",
        "level_median_avg_reads" => "本层级篇均阅读量中位数",
        "min_avg_reads" => "篇均阅读量下限",
        "read_rate" => "篇均阅读量与关注数之比",
        "followers" => "关注数",
        "marking" => "国家秘密标志",
        "verified_subject" => "认证主体",
        "opener" => "开设单位",
        "basis" => "依据",
        "former_names" => "曾用名",
        "function" => "功能",
        "missing" => "缺少的能力",
        "pages" => "已检查页面",
        "completeness" => "完整度（0—10）",
        "chars" => "字数",
        other => other,
    }
}

fn value(v: &serde_json::Value) -> String {
    shorten(&plain(v), 160)
}

/// A value in words: objects as labelled pairs in brackets (examples of comments, redirects …).
fn plain(v: &serde_json::Value) -> String {
    match v {
        serde_json::Value::String(s) => s.clone(),
        serde_json::Value::Bool(true) => "是".to_owned(),
        serde_json::Value::Bool(false) => "否".to_owned(),
        serde_json::Value::Null => "—".to_owned(),
        serde_json::Value::Array(a) => a.iter().map(plain).collect::<Vec<_>>().join("、"),
        serde_json::Value::Object(m) => format!(
            "（{}）",
            m.iter().map(|(k, v)| format!("{}：{}", label(k), plain(v))).collect::<Vec<_>>().join("，")
        ),
        other => other.to_string(),
    }
}

/// A not-evaluated reason without its leading "未评估：", for sentences that already say so.
pub fn reason(why: &str) -> &str {
    why.strip_prefix("未评估：").or_else(|| why.strip_prefix("未评估:")).unwrap_or(why).trim()
}

/// At most `max` characters, with an ellipsis when cut.
pub fn shorten(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        s.to_owned()
    } else {
        format!("{}…", s.chars().take(max).collect::<String>())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_values_and_cuts() {
        let mut ev = Evidence::new();
        ev.insert("menu_path".into(), "办事服务/社保查询".into());
        ev.insert("status".into(), 404.into());
        ev.insert("url".into(), "https://example.invalid/x".into());
        assert_eq!(text(&ev), "菜单路径：办事服务/社保查询；状态码：404；链接：https://example.invalid/x");
        assert_eq!(shorten("一二三四", 2), "一二…");
        let mut ev = Evidence::new();
        ev.insert(
            "examples".into(),
            serde_json::json!([{"created_at": "2025-08-26", "excerpt": "可以申请吗？"}]),
        );
        assert_eq!(text(&ev), "示例：（留言时间：2025-08-26，摘录：可以申请吗？）");
    }
}
