//! Publishing rhythm taken from real government accounts.
//!
//! The table below holds facts derived from the RSS feeds of 122 real government WeChat
//! accounts as of 2021-06-19 (shared data `wechat/feeds-gov-2021`, which has no licence and so
//! is not copied): per feed the account name, its `__biz`, how many items and distinct push
//! times the feed held, the days between the first and last push, and the date of the last
//! push; plus the hour-of-day histogram of all pushes. A test re-derives every number from
//! the shared folder when it is present.
//!
//! Each generated account takes one feed as its profile: how many articles go out per push,
//! how often it pushes (its relative activity), and at what hours. The share of feeds whose
//! last push was 15–89 days (3 of 122) or ≥ 90 days (3 of 122) before the snapshot date gives
//! the planted stale and dormant rates.

use chrono::NaiveDate;

/// What one real feed says about its account's rhythm.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct FeedFacts {
    pub name: &'static str,
    pub biz: &'static str,
    /// Items in the feed (articles).
    pub items: u32,
    /// Distinct publish times among them (pushes).
    pub pushes: u32,
    /// Whole days between the first and the last push.
    pub span_days: u32,
    pub last_push: &'static str,
}

/// The date the feeds were captured.
pub(crate) const SNAPSHOT_DATE: &str = "2021-06-19";

impl FeedFacts {
    /// Articles per push (≥ 1).
    pub(crate) fn articles_per_push(&self) -> f64 {
        f64::from(self.items) / f64::from(self.pushes.max(1))
    }

    /// Pushes per day while active.
    pub(crate) fn pushes_per_day(&self) -> f64 {
        f64::from(self.pushes) / f64::from(self.span_days.max(1))
    }

    /// Days between the last push and the snapshot.
    pub(crate) fn idle_days(&self) -> i64 {
        let snap = NaiveDate::parse_from_str(SNAPSHOT_DATE, "%Y-%m-%d").expect("valid date");
        let last = NaiveDate::parse_from_str(self.last_push, "%Y-%m-%d").expect("valid date");
        (snap - last).num_days()
    }
}

/// Share of feeds idle for 15–89 days (stale, not yet dormant) and for ≥ 90 days (dormant).
pub(crate) fn idle_rates() -> (f64, f64) {
    let n = FEEDS.len() as f64;
    let stale = FEEDS.iter().filter(|f| (15..90).contains(&f.idle_days())).count() as f64;
    let dormant = FEEDS.iter().filter(|f| f.idle_days() >= 90).count() as f64;
    (stale / n, dormant / n)
}

/// The feed of a real account with this name, if the feeds have one.
pub(crate) fn feed_named(name: &str) -> Option<&'static FeedFacts> {
    FEEDS.iter().find(|f| f.name == name)
}

pub(crate) const FEEDS: &[FeedFacts] = &[
    FeedFacts {
        name: "深圳发布",
        biz: "MjM5MDA2MDMwMA==",
        items: 20,
        pushes: 7,
        span_days: 1,
        last_push: "2021-06-17",
    },
    FeedFacts {
        name: "国务院公报",
        biz: "MjM5MDM3NzY3NQ==",
        items: 20,
        pushes: 6,
        span_days: 10,
        last_push: "2021-06-11",
    },
    FeedFacts {
        name: "中国消防",
        biz: "MjM5MjYyNjc2Mw==",
        items: 12,
        pushes: 10,
        span_days: 1,
        last_push: "2021-06-17",
    },
    FeedFacts {
        name: "北京交警",
        biz: "MjM5MzM4MDU0Mg==",
        items: 20,
        pushes: 3,
        span_days: 11,
        last_push: "2021-06-11",
    },
    FeedFacts {
        name: "广东税务",
        biz: "MjM5MzczMDU0Ng==",
        items: 20,
        pushes: 7,
        span_days: 5,
        last_push: "2021-06-16",
    },
    FeedFacts {
        name: "安徽发布",
        biz: "MjM5MzkxMDA0OA==",
        items: 20,
        pushes: 6,
        span_days: 1,
        last_push: "2021-06-17",
    },
    FeedFacts {
        name: "长春文旅",
        biz: "MjM5NDg1NDUwMw==",
        items: 20,
        pushes: 5,
        span_days: 3,
        last_push: "2021-06-16",
    },
    FeedFacts {
        name: "微言教育",
        biz: "MjM5NTA1NjE3NQ==",
        items: 12,
        pushes: 10,
        span_days: 1,
        last_push: "2021-06-17",
    },
    FeedFacts {
        name: "上海发布",
        biz: "MjM5NTA5NzYyMA==",
        items: 20,
        pushes: 6,
        span_days: 0,
        last_push: "2021-06-17",
    },
    FeedFacts {
        name: "健康中国",
        biz: "MjM5NjI2ODA4Mw==",
        items: 10,
        pushes: 10,
        span_days: 1,
        last_push: "2021-06-17",
    },
    FeedFacts {
        name: "平安临沂",
        biz: "MjM5NjIxOTM4Mw==",
        items: 19,
        pushes: 10,
        span_days: 8,
        last_push: "2021-06-16",
    },
    FeedFacts {
        name: "丽水发布",
        biz: "MjM5OTE4MTkwMQ==",
        items: 20,
        pushes: 6,
        span_days: 1,
        last_push: "2021-06-17",
    },
    FeedFacts {
        name: "中华人民共和国应急管理部",
        biz: "MjM5OTI3MjI1MQ==",
        items: 20,
        pushes: 10,
        span_days: 2,
        last_push: "2021-06-17",
    },
    FeedFacts {
        name: "海丝泉州文旅之声",
        biz: "MzA3MTE2OTgxMw==",
        items: 20,
        pushes: 9,
        span_days: 11,
        last_push: "2021-06-16",
    },
    FeedFacts {
        name: "海淀公安",
        biz: "MzA3MTU5ODAyMQ==",
        items: 20,
        pushes: 3,
        span_days: 8,
        last_push: "2021-06-07",
    },
    FeedFacts {
        name: "国家外汇管理局",
        biz: "MzA3Mjk2OTUyMA==",
        items: 12,
        pushes: 10,
        span_days: 3,
        last_push: "2021-06-17",
    },
    FeedFacts {
        name: "北京12345市民热线",
        biz: "MzA3NTE1MjEwNQ==",
        items: 20,
        pushes: 3,
        span_days: 2,
        last_push: "2021-06-16",
    },
    FeedFacts {
        name: "大同公安便民服务在线",
        biz: "MzA3NjgyMDk2Ng==",
        items: 1,
        pushes: 1,
        span_days: 0,
        last_push: "2017-09-29",
    },
    FeedFacts {
        name: "西双版纳发布",
        biz: "MzA3NzQxOTQyMA==",
        items: 20,
        pushes: 5,
        span_days: 1,
        last_push: "2021-06-17",
    },
    FeedFacts {
        name: "杭州发布",
        biz: "MzA3Nzg0ODUzMQ==",
        items: 20,
        pushes: 7,
        span_days: 2,
        last_push: "2021-06-17",
    },
    FeedFacts {
        name: "财政部",
        biz: "MzA3ODI0NTIyNA==",
        items: 20,
        pushes: 7,
        span_days: 6,
        last_push: "2021-06-17",
    },
    FeedFacts {
        name: "国家知识产权局",
        biz: "MzA3ODU0NDE4OA==",
        items: 20,
        pushes: 9,
        span_days: 7,
        last_push: "2021-06-16",
    },
    FeedFacts {
        name: "中国政府网",
        biz: "MzA4MDA0MzcwMA==",
        items: 12,
        pushes: 10,
        span_days: 1,
        last_push: "2021-06-17",
    },
    FeedFacts {
        name: "山东教育发布",
        biz: "MzA4MDM1Njg3NQ==",
        items: 20,
        pushes: 9,
        span_days: 2,
        last_push: "2021-06-17",
    },
    FeedFacts {
        name: "南昌发布",
        biz: "MzA4MDQzMzIxMQ==",
        items: 20,
        pushes: 8,
        span_days: 2,
        last_push: "2021-06-17",
    },
    FeedFacts {
        name: "自然资源部",
        biz: "MzA4MDU2MjQzMg==",
        items: 19,
        pushes: 10,
        span_days: 2,
        last_push: "2021-06-17",
    },
    FeedFacts {
        name: "临沂交警",
        biz: "MzA4NjE5NTAwMQ==",
        items: 20,
        pushes: 5,
        span_days: 3,
        last_push: "2021-06-16",
    },
    FeedFacts {
        name: "证监会发布",
        biz: "MzA4NzAzMDgwMw==",
        items: 12,
        pushes: 10,
        span_days: 6,
        last_push: "2021-06-17",
    },
    FeedFacts {
        name: "江苏网警",
        biz: "MzA4ODE2NzE2MA==",
        items: 17,
        pushes: 10,
        span_days: 11,
        last_push: "2021-06-16",
    },
    FeedFacts {
        name: "安徽省人民政府法制办公室",
        biz: "MzA4ODc3MzQ2Nw==",
        items: 10,
        pushes: 10,
        span_days: 269,
        last_push: "2018-08-27",
    },
    FeedFacts {
        name: "滨江发布",
        biz: "MzA5MTgzOTMyNA==",
        items: 20,
        pushes: 6,
        span_days: 5,
        last_push: "2021-06-16",
    },
    FeedFacts {
        name: "沙坡头区发布",
        biz: "MzA5MjQ1MTIwMw==",
        items: 20,
        pushes: 3,
        span_days: 5,
        last_push: "2021-06-16",
    },
    FeedFacts {
        name: "国家税务总局",
        biz: "MzA5MjYzNDUwNw==",
        items: 15,
        pushes: 10,
        span_days: 2,
        last_push: "2021-06-17",
    },
    FeedFacts {
        name: "西安发布",
        biz: "MzA5NDUxMDkxMQ==",
        items: 20,
        pushes: 6,
        span_days: 1,
        last_push: "2021-06-17",
    },
    FeedFacts {
        name: "首都之窗",
        biz: "MzA5NDY5MzUzMQ==",
        items: 20,
        pushes: 9,
        span_days: 2,
        last_push: "2021-06-17",
    },
    FeedFacts {
        name: "济南交警",
        biz: "MzA5NTI0NzQxMA==",
        items: 19,
        pushes: 10,
        span_days: 10,
        last_push: "2021-06-16",
    },
    FeedFacts {
        name: "人社12333",
        biz: "MzA5NTg3NzA5Mg==",
        items: 10,
        pushes: 10,
        span_days: 61,
        last_push: "2021-06-15",
    },
    FeedFacts {
        name: "深圳市规划和自然资源局",
        biz: "MzA5NjYzMDYzMQ==",
        items: 20,
        pushes: 7,
        span_days: 8,
        last_push: "2021-06-16",
    },
    FeedFacts {
        name: "西宁文旅之声",
        biz: "MzA5NzM1MzkyOA==",
        items: 20,
        pushes: 6,
        span_days: 7,
        last_push: "2021-06-16",
    },
    FeedFacts {
        name: "郴州发布",
        biz: "MzA5NzQwNDI3MA==",
        items: 20,
        pushes: 10,
        span_days: 3,
        last_push: "2021-06-17",
    },
    FeedFacts {
        name: "平湖发改",
        biz: "MzA5Nzc1NDQ5OA==",
        items: 15,
        pushes: 10,
        span_days: 31,
        last_push: "2021-06-14",
    },
    FeedFacts {
        name: "深圳市场监管",
        biz: "MzA5Nzg1NzgzNA==",
        items: 18,
        pushes: 10,
        span_days: 8,
        last_push: "2021-06-16",
    },
    FeedFacts {
        name: "狮山政务通",
        biz: "MzA5NzkxMTI5MA==",
        items: 20,
        pushes: 6,
        span_days: 27,
        last_push: "2021-06-11",
    },
    FeedFacts {
        name: "河东社保",
        biz: "MzA5OTYyMjgyMQ==",
        items: 20,
        pushes: 8,
        span_days: 28,
        last_push: "2021-06-16",
    },
    FeedFacts {
        name: "文旅成都",
        biz: "MzAwMDE3ODA2MA==",
        items: 20,
        pushes: 7,
        span_days: 6,
        last_push: "2021-06-16",
    },
    FeedFacts {
        name: "淮安发布",
        biz: "MzAwMzA4MzUyMw==",
        items: 11,
        pushes: 10,
        span_days: 3,
        last_push: "2021-06-17",
    },
    FeedFacts {
        name: "国家医学考试中心",
        biz: "MzAwNDE2MDI5Mg==",
        items: 20,
        pushes: 10,
        span_days: 225,
        last_push: "2021-06-16",
    },
    FeedFacts {
        name: "山西人社",
        biz: "MzAwNzIwNDQxOQ==",
        items: 20,
        pushes: 5,
        span_days: 5,
        last_push: "2021-06-16",
    },
    FeedFacts {
        name: "商务部门户网站",
        biz: "MzAxMDE2NDA3OA==",
        items: 10,
        pushes: 10,
        span_days: 110,
        last_push: "2021-06-01",
    },
    FeedFacts {
        name: "临沂教育发布",
        biz: "MzAxMDgwMTMwOA==",
        items: 20,
        pushes: 6,
        span_days: 4,
        last_push: "2021-06-17",
    },
    FeedFacts {
        name: "兰州文旅",
        biz: "MzAxMzYyNDcwOQ==",
        items: 20,
        pushes: 6,
        span_days: 4,
        last_push: "2021-06-16",
    },
    FeedFacts {
        name: "昆山发布",
        biz: "MzAxNTgxMjUwNw==",
        items: 15,
        pushes: 10,
        span_days: 3,
        last_push: "2021-06-17",
    },
    FeedFacts {
        name: "浦沿发布",
        biz: "MzAxNjEwODUyNQ==",
        items: 20,
        pushes: 7,
        span_days: 6,
        last_push: "2021-06-16",
    },
    FeedFacts {
        name: "网信淮安",
        biz: "MzAxNzI2MTcwNw==",
        items: 11,
        pushes: 10,
        span_days: 118,
        last_push: "2021-06-08",
    },
    FeedFacts {
        name: "北京12345",
        biz: "MzAxNzcxOTUyMg==",
        items: 20,
        pushes: 3,
        span_days: 1,
        last_push: "2021-06-02",
    },
    FeedFacts {
        name: "隆尧发布",
        biz: "MzAxODE0NDIwNg==",
        items: 20,
        pushes: 3,
        span_days: 2,
        last_push: "2021-06-16",
    },
    FeedFacts {
        name: "深圳海关12360",
        biz: "MzI0MDA0MDM4MA==",
        items: 20,
        pushes: 7,
        span_days: 54,
        last_push: "2021-06-08",
    },
    FeedFacts {
        name: "中央政法委长安剑",
        biz: "MzI0MjI0Nzc5Mg==",
        items: 10,
        pushes: 10,
        span_days: 1,
        last_push: "2021-06-17",
    },
    FeedFacts {
        name: "启东检察",
        biz: "MzI0NjI3ODMxMw==",
        items: 16,
        pushes: 10,
        span_days: 17,
        last_push: "2021-06-11",
    },
    FeedFacts {
        name: "临沂民政",
        biz: "MzI1MTI2NTYwOA==",
        items: 16,
        pushes: 10,
        span_days: 15,
        last_push: "2021-06-16",
    },
    FeedFacts {
        name: "首都城管",
        biz: "MzI1MjU4OTI5Mw==",
        items: 20,
        pushes: 8,
        span_days: 12,
        last_push: "2021-06-17",
    },
    FeedFacts {
        name: "合肥北城发布",
        biz: "MzI1MjY0NDg5Nw==",
        items: 20,
        pushes: 6,
        span_days: 5,
        last_push: "2021-06-16",
    },
    FeedFacts {
        name: "山西省人民政府",
        biz: "MzI1MzU4NTkyOA==",
        items: 20,
        pushes: 7,
        span_days: 1,
        last_push: "2021-06-17",
    },
    FeedFacts {
        name: "山西省统计局",
        biz: "MzI1NTA3NDYzMA==",
        items: 20,
        pushes: 7,
        span_days: 10,
        last_push: "2021-06-15",
    },
    FeedFacts {
        name: "重庆市高级人民法院",
        biz: "MzI1NTczNDA4MA==",
        items: 15,
        pushes: 10,
        span_days: 4,
        last_push: "2021-06-17",
    },
    FeedFacts {
        name: "北京统计",
        biz: "MzI1ODIwMDg1NQ==",
        items: 18,
        pushes: 10,
        span_days: 12,
        last_push: "2021-06-16",
    },
    FeedFacts {
        name: "深圳公安发布",
        biz: "MzI1OTA5Mzc4Mw==",
        items: 20,
        pushes: 7,
        span_days: 6,
        last_push: "2021-06-16",
    },
    FeedFacts {
        name: "深圳社保",
        biz: "MzI2MTEwMDAwMA==",
        items: 20,
        pushes: 4,
        span_days: 20,
        last_push: "2021-06-11",
    },
    FeedFacts {
        name: "通州组工",
        biz: "MzI2MTcwNTc1Mg==",
        items: 20,
        pushes: 5,
        span_days: 6,
        last_push: "2021-06-16",
    },
    FeedFacts {
        name: "北京朝阳",
        biz: "MzI2MjExNjQwNw==",
        items: 20,
        pushes: 9,
        span_days: 4,
        last_push: "2021-06-16",
    },
    FeedFacts {
        name: "淮安市网警巡查执法",
        biz: "MzI2MzI5NDc5OQ==",
        items: 20,
        pushes: 7,
        span_days: 8,
        last_push: "2021-06-16",
    },
    FeedFacts {
        name: "生态环境部",
        biz: "MzI2OTUyMzA0Nw==",
        items: 17,
        pushes: 10,
        span_days: 3,
        last_push: "2021-06-17",
    },
    FeedFacts {
        name: "景德镇发布",
        biz: "MzI3OTA1MjIxMA==",
        items: 20,
        pushes: 4,
        span_days: 1,
        last_push: "2021-06-16",
    },
    FeedFacts {
        name: "北京药监",
        biz: "MzI4MjE0ODM1Mw==",
        items: 20,
        pushes: 6,
        span_days: 4,
        last_push: "2021-06-16",
    },
    FeedFacts {
        name: "北京市朝阳区政府热线",
        biz: "MzI4NTA1NzIwNw==",
        items: 20,
        pushes: 3,
        span_days: 13,
        last_push: "2021-06-11",
    },
    FeedFacts {
        name: "银川文旅",
        biz: "MzI4OTA5NjQwMA==",
        items: 20,
        pushes: 4,
        span_days: 2,
        last_push: "2021-06-16",
    },
    FeedFacts {
        name: "闵行税务",
        biz: "MzI5NjQ5NDAzNA==",
        items: 20,
        pushes: 7,
        span_days: 39,
        last_push: "2021-06-15",
    },
    FeedFacts {
        name: "平城警务",
        biz: "MzIwMjIyMzE4Mw==",
        items: 20,
        pushes: 7,
        span_days: 8,
        last_push: "2021-06-16",
    },
    FeedFacts {
        name: "湖北省人民政府网",
        biz: "MzIwNDU1NDE5Mg==",
        items: 20,
        pushes: 8,
        span_days: 2,
        last_push: "2021-06-17",
    },
    FeedFacts {
        name: "医保北京",
        biz: "MzIwNDkyNzY2NQ==",
        items: 15,
        pushes: 10,
        span_days: 14,
        last_push: "2021-06-16",
    },
    FeedFacts {
        name: "井冈山发布",
        biz: "MzIwNjU4NzM4MQ==",
        items: 20,
        pushes: 4,
        span_days: 2,
        last_push: "2021-06-16",
    },
    FeedFacts {
        name: "北京通州发布",
        biz: "MzIxMDIwNjY2Mg==",
        items: 10,
        pushes: 10,
        span_days: 3,
        last_push: "2021-06-16",
    },
    FeedFacts {
        name: "沈阳文旅",
        biz: "MzIxMjc4MzY0MA==",
        items: 20,
        pushes: 4,
        span_days: 5,
        last_push: "2021-06-17",
    },
    FeedFacts {
        name: "天门发布",
        biz: "MzIxMzA3MzE3OQ==",
        items: 20,
        pushes: 9,
        span_days: 3,
        last_push: "2021-06-17",
    },
    FeedFacts {
        name: "深圳卫健委",
        biz: "MzIxNDA0MTExMg==",
        items: 10,
        pushes: 10,
        span_days: 1,
        last_push: "2021-06-17",
    },
    FeedFacts {
        name: "山西省科技厅",
        biz: "MzIxNjQ2MDI5Mg==",
        items: 20,
        pushes: 7,
        span_days: 12,
        last_push: "2021-06-16",
    },
    FeedFacts {
        name: "网信江苏",
        biz: "MzIxODE5MDYwMQ==",
        items: 20,
        pushes: 9,
        span_days: 6,
        last_push: "2021-06-17",
    },
    FeedFacts {
        name: "浦东党建",
        biz: "MzIyNTA3NTI1Nw==",
        items: 20,
        pushes: 7,
        span_days: 9,
        last_push: "2021-06-16",
    },
    FeedFacts {
        name: "深圳12345热线",
        biz: "MzIyNzcxMjUwNw==",
        items: 20,
        pushes: 5,
        span_days: 28,
        last_push: "2021-06-12",
    },
    FeedFacts {
        name: "深圳人社",
        biz: "MzIzMjQ1MzgwNA==",
        items: 10,
        pushes: 10,
        span_days: 11,
        last_push: "2021-06-16",
    },
    FeedFacts {
        name: "大同政务",
        biz: "MzIzMjgwMzU3Nw==",
        items: 20,
        pushes: 7,
        span_days: 9,
        last_push: "2021-06-16",
    },
    FeedFacts {
        name: "北京组工",
        biz: "MzIzNjM0ODI3Mg==",
        items: 17,
        pushes: 10,
        span_days: 2,
        last_push: "2021-06-17",
    },
    FeedFacts {
        name: "网信山西",
        biz: "MzIzODE3ODYwMA==",
        items: 20,
        pushes: 7,
        span_days: 5,
        last_push: "2021-06-17",
    },
    FeedFacts {
        name: "古田发布",
        biz: "MzIzOTExOTQ5Mw==",
        items: 20,
        pushes: 3,
        span_days: 0,
        last_push: "2021-06-17",
    },
    FeedFacts {
        name: "国家文物局",
        biz: "MzIzOTIzNTM2OA==",
        items: 12,
        pushes: 10,
        span_days: 4,
        last_push: "2021-06-17",
    },
    FeedFacts {
        name: "公安部网安局",
        biz: "MzU0MTA3OTU5Ng==",
        items: 10,
        pushes: 10,
        span_days: 7,
        last_push: "2021-06-17",
    },
    FeedFacts {
        name: "贵州教育发布",
        biz: "MzU0NjQxODQ5NQ==",
        items: 19,
        pushes: 10,
        span_days: 3,
        last_push: "2021-06-17",
    },
    FeedFacts {
        name: "北京规划自然资源",
        biz: "MzU1NDMzMTEzOA==",
        items: 11,
        pushes: 10,
        span_days: 6,
        last_push: "2021-06-17",
    },
    FeedFacts {
        name: "山西公安",
        biz: "MzU1NjU2MzgwMg==",
        items: 9,
        pushes: 2,
        span_days: 7,
        last_push: "2021-06-02",
    },
    FeedFacts {
        name: "外交部发言人办公室",
        biz: "MzU1OTM1MjIxNA==",
        items: 11,
        pushes: 10,
        span_days: 1,
        last_push: "2021-06-17",
    },
    FeedFacts {
        name: "国家医保局",
        biz: "MzU2MzY3NTA2MQ==",
        items: 11,
        pushes: 10,
        span_days: 5,
        last_push: "2021-06-16",
    },
    FeedFacts {
        name: "北京市场监管",
        biz: "MzU2NDEzNzY4MA==",
        items: 20,
        pushes: 5,
        span_days: 33,
        last_push: "2021-06-15",
    },
    FeedFacts {
        name: "大同市卫健委",
        biz: "MzU3Njg5ODc4NA==",
        items: 20,
        pushes: 5,
        span_days: 5,
        last_push: "2021-06-16",
    },
    FeedFacts {
        name: "朝阳医保局",
        biz: "MzU3NjkyODI2OA==",
        items: 4,
        pushes: 4,
        span_days: 101,
        last_push: "2019-09-24",
    },
    FeedFacts {
        name: "安徽纪检监察",
        biz: "MzU4MTAzNTAxNQ==",
        items: 17,
        pushes: 10,
        span_days: 5,
        last_push: "2021-06-17",
    },
    FeedFacts {
        name: "佛子山镇发布",
        biz: "MzU4MTU0OTgxNw==",
        items: 10,
        pushes: 10,
        span_days: 23,
        last_push: "2021-06-13",
    },
    FeedFacts {
        name: "海南发布",
        biz: "MzU4OTkxNjgyMw==",
        items: 20,
        pushes: 4,
        span_days: 0,
        last_push: "2021-06-17",
    },
    FeedFacts {
        name: "北京朝阳社保中心",
        biz: "MzU5ODUxNjU5MA==",
        items: 20,
        pushes: 5,
        span_days: 28,
        last_push: "2021-06-11",
    },
    FeedFacts {
        name: "青岛Ai人社",
        biz: "MzUxOTgyNjc2Ng==",
        items: 20,
        pushes: 6,
        span_days: 33,
        last_push: "2021-06-11",
    },
    FeedFacts {
        name: "营口发布",
        biz: "MzUyNzA0ODQ1NA==",
        items: 20,
        pushes: 7,
        span_days: 9,
        last_push: "2021-06-16",
    },
    FeedFacts {
        name: "北京市生态环境监测中心",
        biz: "MzUzMTY2Njc0Mg==",
        items: 14,
        pushes: 10,
        span_days: 6,
        last_push: "2021-06-16",
    },
    FeedFacts {
        name: "北京通州人大",
        biz: "MzUzMjk3NjYxNg==",
        items: 15,
        pushes: 10,
        span_days: 21,
        last_push: "2021-06-15",
    },
    FeedFacts {
        name: "石家庄文旅之声",
        biz: "MzUzNDUzNDkwMQ==",
        items: 20,
        pushes: 6,
        span_days: 7,
        last_push: "2021-06-16",
    },
    FeedFacts {
        name: "大连发布",
        biz: "MzUzODQzNzk1Mw==",
        items: 20,
        pushes: 8,
        span_days: 3,
        last_push: "2021-06-17",
    },
    FeedFacts {
        name: "咸阳发改",
        biz: "Mzg2MjU3NjkzOA==",
        items: 20,
        pushes: 8,
        span_days: 7,
        last_push: "2021-06-16",
    },
    FeedFacts {
        name: "健康中国行动",
        biz: "Mzg2NzE1NTQzMA==",
        items: 20,
        pushes: 10,
        span_days: 9,
        last_push: "2021-06-17",
    },
    FeedFacts {
        name: "国家移民管理局",
        biz: "Mzg3MDA4MDc3Nw==",
        items: 16,
        pushes: 10,
        span_days: 3,
        last_push: "2021-06-17",
    },
    FeedFacts {
        name: "合肥文化旅游发布",
        biz: "Mzg3OTUxNjQzMA==",
        items: 20,
        pushes: 4,
        span_days: 2,
        last_push: "2021-06-17",
    },
    FeedFacts {
        name: "北京反诈",
        biz: "Mzg5NTA3NjQ1Nw==",
        items: 10,
        pushes: 10,
        span_days: 18,
        last_push: "2021-06-17",
    },
    FeedFacts {
        name: "团中央权益部",
        biz: "Mzg5NjA2NTY2MQ==",
        items: 20,
        pushes: 10,
        span_days: 2,
        last_push: "2021-06-17",
    },
    FeedFacts {
        name: "德州市政府网",
        biz: "Mzg5ODI2MTIwMA==",
        items: 20,
        pushes: 5,
        span_days: 6,
        last_push: "2021-06-16",
    },
    FeedFacts {
        name: "中国人民银行",
        biz: "Mzk0NDAwMDExMA==",
        items: 13,
        pushes: 10,
        span_days: 1,
        last_push: "2021-06-17",
    },
];

/// Pushes per hour of day (Asia/Shanghai) over all feeds.
pub(crate) const PUSH_HOURS: [u32; 24] =
    [3, 1, 3, 1, 0, 2, 3, 16, 19, 48, 55, 59, 43, 19, 58, 59, 80, 119, 87, 84, 61, 45, 30, 22];

#[cfg(test)]
mod tests {
    use super::*;

    const FEEDS_DIR: &str =
        concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/data/wechat/feeds-gov-2021/feeds");

    fn between<'a>(s: &'a str, open: &str, close: &str) -> Option<&'a str> {
        let start = s.find(open)? + open.len();
        let end = s[start..].find(close)? + start;
        Some(&s[start..end])
    }

    /// Re-derives the table from the real feeds (read, not copied) when they are present.
    #[test]
    fn table_matches_the_real_feeds() {
        let Ok(dir) = std::fs::read_dir(FEEDS_DIR) else {
            eprintln!("skipped: {FEEDS_DIR} not present");
            return;
        };
        let mut paths: Vec<_> = dir.map(|e| e.unwrap().path()).collect();
        paths.sort();
        let mut hours = [0u32; 24];
        let mut derived = Vec::new();
        for p in paths {
            let xml = std::fs::read_to_string(&p).unwrap();
            let title = between(&xml, "<channel><title>", "</title>").unwrap();
            let mut times: Vec<_> = xml
                .split("<item>")
                .skip(1)
                .filter_map(|item| between(item, "<pubDate>", "</pubDate>"))
                .map(|d| chrono::DateTime::parse_from_rfc2822(d).unwrap())
                .collect();
            if times.is_empty() {
                continue;
            }
            let items = times.len() as u32;
            times.sort();
            times.dedup();
            for t in &times {
                hours[chrono::Timelike::hour(t) as usize] += 1;
            }
            let (first, last) = (times[0], *times.last().unwrap());
            derived.push((
                title.trim_end_matches(" | wechat-feeds").to_owned(),
                p.file_stem().unwrap().to_string_lossy().into_owned(),
                items,
                times.len() as u32,
                (last - first).num_days() as u32,
                last.format("%Y-%m-%d").to_string(),
            ));
        }
        assert_eq!(derived.len(), FEEDS.len());
        for (d, f) in derived.iter().zip(FEEDS) {
            assert_eq!(
                (d.0.as_str(), d.1.as_str(), d.2, d.3, d.4, d.5.as_str()),
                (f.name, f.biz, f.items, f.pushes, f.span_days, f.last_push)
            );
        }
        assert_eq!(hours, PUSH_HOURS);
    }

    #[test]
    fn rates_from_the_feeds() {
        let (stale, dormant) = idle_rates();
        assert_eq!((stale * 122.0).round() as u32, 3);
        assert_eq!((dormant * 122.0).round() as u32, 3);
        assert_eq!(feed_named("上海发布").unwrap().biz, "MjM5NTA5NzYyMA==");
        assert!(FEEDS.iter().all(|f| f.articles_per_push() >= 1.0));
    }
}
