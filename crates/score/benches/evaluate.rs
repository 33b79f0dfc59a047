//! `evaluate` on a national-scale survey: 682 accounts (the 2025 survey's levels), ~30,000
//! articles over ten months, valid comments on ~6 % of articles, menus for every account.
//! The survey is synthetic (a fixed-seed generator below), built once outside the timing.
//! Run: `cargo bench -p govmedia-score`.

use std::sync::OnceLock;

use chrono::{Days, NaiveDate};
use govmedia_checks::{AccountData, Check, NoProgress, Outcome, Survey, structural_checks};
use govmedia_model::time::from_naive;
use govmedia_model::{Account, Article, Comment, Level, MenuSnapshot, Period, Reads, Reply};
use govmedia_score::{Framework, evaluate};
use serde_json::json;

fn main() {
    divan::main();
}

/// A small fixed-seed generator (SplitMix64).
struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }
}

fn national_survey() -> &'static Survey {
    static S: OnceLock<Survey> = OnceLock::new();
    S.get_or_init(|| {
        let mut rng = Rng(2025);
        let from: NaiveDate = "2025-01-01".parse().unwrap();
        let period = Period { from, to: "2025-10-31".parse().unwrap() };
        let levels = [
            (Level::Ministry, 51),
            (Level::Province, 30),
            (Level::ProvinceDept, 329),
            (Level::Prefecture, 239),
            (Level::County, 33),
        ];
        let mut accounts = Vec::new();
        for (level, count) in levels {
            for i in 0..count {
                let id = format!("gh_{}_{i}", level.as_str());
                let mut acc = Account::new(&id, format!("账号{i}"), format!("单位{}{i}", level.label()), level);
                acc.region = Some(format!("{}0000", 11 + (i % 31)));
                acc.followers = Some(1000 + rng.below(2_000_000));
                acc.verified = Some(rng.below(10) > 0);
                acc.intro = Some("为您提供政务资讯和便民服务".into());
                // ~44 articles each, bursts and gaps; some accounts stop early.
                let n = 10 + rng.below(70);
                let stop = if rng.below(8) == 0 { 200 } else { 303 };
                let mut articles = Vec::new();
                for k in 0..n {
                    let day = from + Days::new(rng.below(stop));
                    let t = from_naive(day.and_hms_opt(8 + (k % 12) as u32, 0, 0).unwrap());
                    let mut a = Article::new(&id, format!("https://mp.weixin.qq.com/s/{id}-{k}"), format!("标题{k}"), t);
                    a.position = Some(1 + (k % 3) as u32);
                    let reads = rng.below(50_000);
                    a.reads = Some(if reads > 48_000 { Reads::capped() } else { Reads::exact(reads) });
                    a.likes = Some(reads / 60);
                    a.wows = Some(reads / 120);
                    a.shares = Some(reads / 30);
                    if rng.below(100) < 6 {
                        for c in 0..1 + rng.below(4) {
                            let at = t + chrono::Duration::hours(2 + c as i64);
                            a.comments.push(Comment {
                                id: None,
                                text: if c == 0 { "请问如何办理？".into() } else { "[赞]".into() },
                                created_at: at,
                                likes: None,
                                featured: None,
                                reply: (rng.below(3) == 0).then(|| Reply {
                                    text: "您好，已转相关部门".into(),
                                    created_at: at + chrono::Duration::hours(rng.below(96) as i64),
                                }),
                            });
                        }
                    }
                    articles.push(a);
                }
                articles.sort_by_key(|a| a.published_at);
                let menu = json!({"menu": {"button": [
                    {"name": "政务公开", "sub_button": [{"type": "view", "name": "政策解读", "url": "https://x.gov.cn/zcjd"}]},
                    {"name": "办事服务", "sub_button": [{"type": "view", "name": "社保查询", "url": "https://zwfw.x.gov.cn"},
                                                        {"type": "view", "name": "疫情防控", "url": "https://x.gov.cn/yq"}]},
                    {"name": "互动交流", "sub_button": [{"type": "view", "name": "留言咨询", "url": "https://x.gov.cn/hdjl"}]}]}});
                accounts.push(AccountData {
                    account: acc,
                    articles,
                    menu: Some(MenuSnapshot { account: id.clone(), captured_at: from_naive(period.to.and_hms_opt(12, 0, 0).unwrap()), menu }),
                });
            }
        }
        Survey {
            name: Some("基准测试调查".into()),
            period,
            check_date: "2025-11-01".parse().unwrap(),
            accounts,
            events: vec![],
            pages: Default::default(),
            dataset_dir: None,
            offline: true,
            generated_data: true,
        }
    })
}

#[divan::bench(sample_count = 10)]
fn evaluate_national(bencher: divan::Bencher) {
    let survey = national_survey();
    let articles: usize = survey.accounts.iter().map(|a| a.articles.len()).sum();
    assert_eq!(survey.accounts.len(), 682);
    assert!((25_000..35_000).contains(&articles), "{articles}");
    let fw = Framework::builtin("ccid-2025").unwrap();
    bencher.bench(|| {
        let mut checks = structural_checks();
        evaluate(survey, &fw, &mut checks, &NoProgress).unwrap()
    });
}

/// One check alone: prepare plus assess of every account.
#[divan::bench(args = ["timeliness", "menu", "interaction", "propagation", "account"], sample_count = 10)]
fn check(bencher: divan::Bencher, name: &str) {
    let survey = national_survey();
    bencher.bench(|| {
        let mut c: Box<dyn Check> = structural_checks().into_iter().find(|c| c.name() == name).unwrap();
        c.prepare(survey, &NoProgress).unwrap();
        survey.accounts.iter().filter(|a| matches!(c.assess(survey, a), Outcome::Evaluated(_))).count()
    });
}
