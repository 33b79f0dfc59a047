//! Evidence as readers see it: Chinese labels, short values, and an anonymous variant.

use govmedia_model::Evidence;
use govmedia_model::results::AccountResult;

use crate::fixes::scrub;

/// Keys that would identify the account in an anonymised example.
const IDENTIFYING: [&str; 7] = ["url", "final_url", "account", "biz", "id", "name", "owner"];

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
        "url" => "链接",
        "final_url" => "最终地址",
        "menu_path" => "菜单路径",
        "status" => "状态码",
        "error" => "错误",
        "title" => "文章标题",
        "excerpt" => "摘录",
        "term" => "词语",
        "suggestion" => "建议表述",
        "count" => "数量",
        "days" => "天数",
        "days_left" => "剩余天数",
        "veto_date" | "hit_date" => "触发否决日期",
        "last_published" | "last_article" => "最近发布",
        "published_at" => "发布时间",
        "date" => "日期",
        "comments" => "留言数",
        "valid_comments" => "有效留言数",
        "replied" => "已回复数",
        "reads" => "阅读量",
        "event" => "事件",
        "occurred_at" => "事件发生时间",
        "responded_at" => "首次回应时间",
        "hours" => "间隔小时数",
        "source" => "来源",
        "other_account" | "original_account" => "原发账号",
        "similarity" => "相似度",
        "kind" => "类型",
        other => other,
    }
}

fn value(v: &serde_json::Value) -> String {
    let s = match v {
        serde_json::Value::String(s) => s.clone(),
        serde_json::Value::Bool(true) => "是".to_owned(),
        serde_json::Value::Bool(false) => "否".to_owned(),
        serde_json::Value::Null => "—".to_owned(),
        serde_json::Value::Array(a) => a.iter().map(value).collect::<Vec<_>>().join("、"),
        other => other.to_string(),
    };
    shorten(&s, 160)
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
    }
}
