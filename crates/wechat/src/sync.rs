//! Everything the Open API gives about one account over a date range, as model records, with
//! what could not be collected and why.

use std::collections::BTreeMap;
use std::future::Future;

use chrono::{Days, NaiveDate, Utc};
use govmedia_model::Article;
use govmedia_model::time::local_date;
use serde::Serialize;

use crate::datacube::{DailyFigures, join_days};
use crate::fields::count;
use crate::freepublish::{MAX_PAGE, to_articles};
use crate::merge::{merge, push_key, set_source};
use crate::{Client, Credentials, MenuCapture, WechatError};

/// A part of the collection that failed or was skipped.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct NotCollected {
    /// What was not collected: `menu.selfmenu`, `menu.get`, `articles.freepublish`,
    /// `articles.datacube`, `comments`, `comments:<article url>`, `figures.user_summary`,
    /// `figures.user_cumulate`, `figures.biz_summary`, `datacube`.
    pub item: String,
    /// Why, in Chinese; a 48001 gives "未评估：该公众号未获得 … 接口权限（48001）".
    pub reason: String,
}

/// What one account gave.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SyncReport {
    pub account: String,
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub menus: Vec<MenuCapture>,
    /// freepublish and datacube merged (see [`crate::merge`]), with comments where read.
    pub articles: Vec<Article>,
    /// One entry per day up to yesterday.
    pub daily: Vec<DailyFigures>,
    /// Records per source (`menus`, `freepublish`, `datacube`, `articles`, `comments`,
    /// `days`): a zero is a source that answered with nothing, never a failure (those are in
    /// `not_collected`).
    pub collected: BTreeMap<&'static str, usize>,
    pub not_collected: Vec<NotCollected>,
    /// Set when the account had to be stopped (quota, budget, IP allow-list, token): why. The
    /// caller must not call the account again today when this is a quota or budget stop.
    pub stopped: Option<String>,
}

impl SyncReport {
    fn not_collected(&mut self, item: &str, reason: impl Into<String>) {
        self.not_collected.push(NotCollected { item: item.to_owned(), reason: reason.into() });
    }

    /// Runs one part unless the account was stopped; records its failure.
    async fn step<T>(&mut self, item: &str, work: impl Future<Output = Result<T, WechatError>>) -> Option<T> {
        if let Some(why) = &self.stopped {
            let reason = format!("未采集：本账号已停止采集（{why}）");
            self.not_collected(item, reason);
            return None;
        }
        match work.await {
            Ok(v) => Some(v),
            Err(e) => {
                self.fail(item, &e);
                None
            }
        }
    }

    fn fail(&mut self, item: &str, e: &WechatError) {
        self.not_collected(item, e.to_string());
        if e.stops_account() && self.stopped.is_none() {
            self.stopped = Some(e.to_string());
        }
    }
}

/// Collects menus, articles (freepublish and datacube merged), their counters and comments,
/// and the daily figures of one account for `[from, to]`. Never fails: whatever could not be
/// collected is in `not_collected` with the reason, and an account stopped by its quota, the
/// budget, the IP allow-list or its token has every remaining part listed as not collected.
pub async fn sync_account(
    client: &Client,
    creds: &Credentials,
    account: &str,
    from: NaiveDate,
    to: NaiveDate,
) -> SyncReport {
    let mut report = SyncReport {
        account: account.to_owned(),
        from,
        to,
        menus: Vec::new(),
        articles: Vec::new(),
        daily: Vec::new(),
        collected: BTreeMap::new(),
        not_collected: Vec::new(),
        stopped: None,
    };
    if from > to {
        report.not_collected("sync", format!("起始日期 {from} 晚于结束日期 {to}，未采集任何数据"));
        return report;
    }
    for menu in [
        report.step("menu.selfmenu", client.current_selfmenu(creds, account)).await,
        report.step("menu.get", client.menu_get(creds, account)).await,
    ]
    .into_iter()
    .flatten()
    {
        report.menus.push(menu);
    }
    report.collected.insert("menus", report.menus.len());

    let published = report.step("articles.freepublish", published(client, creds, account, from, to)).await;
    let published = published.map(|(articles, skipped)| {
        for s in skipped {
            report.not_collected("articles.freepublish", format!("{s}，未采集"));
        }
        articles
    });
    report.collected.insert("freepublish", published.as_ref().map_or(0, Vec::len));

    // Datacube has figures up to yesterday (Beijing time).
    let yesterday = local_date(&Utc::now().fixed_offset()) - Days::new(1);
    let cube_to = to.min(yesterday);
    if cube_to < to {
        let first_missing = (cube_to + Days::new(1)).max(from);
        report.not_collected(
            "datacube",
            format!("datacube 的统计数据最晚到昨日（{yesterday}）：{first_missing} 至 {to} 的阅读等计数与粉丝数据尚未产生，未采集"),
        );
    }
    let cube = if from <= cube_to {
        report.step("articles.datacube", client.article_total_detail(creds, from, cube_to)).await
    } else {
        None
    };
    report.collected.insert("datacube", cube.as_ref().map_or(0, Vec::len));
    if let (Some(cube), Some(published)) = (&cube, &published) {
        let covered = published.iter().filter(|a| local_date(&a.published_at) <= cube_to).count();
        if cube.is_empty() && covered > 0 {
            report.not_collected(
                "articles.datacube",
                format!(
                    "datacube 未返回 {from} 至 {cube_to} 的文章数据（freepublish 在此期间有 {covered} 篇）：群发文章可能缺失，阅读、点赞、在看、分享、收藏数未采集"
                ),
            );
        }
    }
    let (mut articles, unlinked) = merge(account, published.unwrap_or_default(), cube.unwrap_or_default());
    for title in unlinked {
        report.not_collected(
            "articles.datacube",
            format!("文章{title}没有链接，也无法由同账号文章推出链接，未采集"),
        );
    }

    collect_comments(client, creds, &mut report, &mut articles).await;
    report.collected.insert("articles", articles.len());
    report.collected.insert("comments", articles.iter().map(|a| a.comments.len()).sum());
    report.articles = articles;

    if from <= cube_to {
        let parts = [
            report.step("figures.user_summary", client.user_summary(creds, from, cube_to)).await,
            report.step("figures.user_cumulate", client.user_cumulate(creds, from, cube_to)).await,
            report.step("figures.biz_summary", client.biz_summary(creds, from, cube_to)).await,
        ];
        report.daily = join_days(parts.into_iter().flatten());
    }
    report.collected.insert("days", report.daily.len());
    tracing::info!(
        account,
        articles = report.articles.len(),
        not_collected = report.not_collected.len(),
        stopped = report.stopped.is_some(),
        "account synchronised"
    );
    report
}

/// freepublish's articles published in `[from, to]`, and the articles left out for want of a
/// link or time. Pages come newest first (inferred from the platform's listing), so paging
/// stops at the first page with nothing published on or after `from`.
async fn published(
    client: &Client,
    creds: &Credentials,
    account: &str,
    from: NaiveDate,
    to: NaiveDate,
) -> Result<(Vec<Article>, Vec<String>), WechatError> {
    let (mut articles, mut skipped) = (Vec::new(), Vec::new());
    let mut offset = 0;
    loop {
        let page = client.freepublish_page(creds, offset, MAX_PAGE, false).await?;
        let mut recent = false;
        for p in &page.items {
            let day = p.published_at().map(|t| local_date(&t));
            recent |= day.is_none_or(|d| d >= from);
            if day.is_none_or(|d| (from..=to).contains(&d)) {
                let (a, s) = to_articles(account, p);
                articles.extend(a);
                skipped.extend(s);
            }
        }
        offset += page.items.len() as u64;
        if page.items.is_empty() || offset >= page.total_count || !recent {
            return Ok((articles, skipped));
        }
    }
}

/// Reads the comments of every article. A 48001 stops comment collection for the account
/// (with the reason once); an article whose comments were not read keeps datacube's comment
/// count when there is one.
async fn collect_comments(
    client: &Client,
    creds: &Credentials,
    report: &mut SyncReport,
    articles: &mut [Article],
) {
    let mut refused: Option<String> = None;
    for a in articles.iter_mut() {
        a.comments_collected = Some(false);
        let key = push_key(&a.url);
        if refused.is_none() && report.stopped.is_none() {
            match key {
                Some((mid, idx)) => match client.comments(creds, mid, idx - 1).await {
                    Ok(list) => {
                        if list.unreadable > 0 {
                            let reason = format!("{} 条留言缺少时间或内容，未采集", list.unreadable);
                            report.not_collected(&format!("comments:{}", a.url), reason);
                        }
                        a.comments = list.comments;
                        a.comments_collected = Some(true);
                        set_source(a, "comments", "comment");
                    }
                    Err(e @ WechatError::Unauthorized { .. }) => refused = Some(e.to_string()),
                    Err(e) => report.fail(&format!("comments:{}", a.url), &e),
                },
                None => report.not_collected(
                    &format!("comments:{}", a.url),
                    "无法从文章链接读出 msg_data_id 与位置，留言未采集",
                ),
            }
        }
        if a.comments_collected == Some(false)
            && let Some(n) = a.extra.get("datacube").and_then(|d| count(&d["detail"], "comment_count"))
        {
            a.comment_count = Some(n);
            set_source(a, "comment_count", "datacube");
        }
    }
    if let Some(reason) = refused {
        report.not_collected("comments", reason);
    } else if let Some(why) = report.stopped.clone() {
        report.not_collected("comments", format!("未采集：本账号已停止采集（{why}）"));
    }
}
