//! The real feeds of 122 government accounts as of 2021-06-19 (shared data, no licence: read
//! at test time, never copied). At the check date 2021-06-19 the accounts whose last item is
//! before 2021-06-05 must be caught by the 14-day rule, and no other.

use std::collections::BTreeSet;

use chrono::{DateTime, NaiveDate};
use govmedia_checks::timeliness::TimelinessCheck;
use govmedia_checks::{AccountData, NoProgress, Outcome, Survey, run_check};
use govmedia_model::{Account, Article, Level, Period};

const DIR: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/data/wechat/feeds-gov-2021");

/// (name, [pubDate]) of every feed, with a minimal parser: `<item>` … `<pubDate>` … `</pubDate>`.
fn feeds() -> Vec<(String, String, Vec<DateTime<chrono::FixedOffset>>)> {
    let list = std::fs::read_to_string(format!("{DIR}/accounts.csv")).unwrap();
    let mut out = Vec::new();
    for line in list.lines().skip(1) {
        let mut cells = line.split(',');
        let (name, biz) = (cells.next().unwrap().to_owned(), cells.next().unwrap().to_owned());
        let Ok(xml) = std::fs::read_to_string(format!("{DIR}/feeds/{biz}.xml")) else { continue };
        let dates = xml
            .split("<item>")
            .skip(1)
            .filter_map(|item| {
                let start = item.find("<pubDate>")? + "<pubDate>".len();
                let end = item[start..].find("</pubDate>")? + start;
                DateTime::parse_from_rfc2822(item[start..end].trim()).ok()
            })
            .collect();
        out.push((biz, name, dates));
    }
    out
}

#[test]
fn stale_government_accounts_of_2021_are_caught() {
    let feeds = feeds();
    assert_eq!(feeds.len(), 122);
    let accounts = feeds
        .iter()
        .map(|(biz, name, dates)| {
            let mut articles: Vec<Article> = dates
                .iter()
                .enumerate()
                .map(|(i, t)| Article::new(biz.clone(), format!("{biz}/{i}"), format!("{name}{i}"), *t))
                .collect();
            articles.sort_by_key(|a| a.published_at);
            AccountData {
                account: Account::new(biz.clone(), name.clone(), name.clone(), Level::Other),
                articles,
                menu: None,
            }
        })
        .collect::<Vec<AccountData>>();
    let d = |s: &str| s.parse::<NaiveDate>().unwrap();
    let survey = Survey {
        name: None,
        period: Period { from: d("2021-05-19"), to: d("2021-06-18") },
        check_date: d("2021-06-19"),
        accounts: accounts.iter().map(|a| a.account.clone()).collect(),
        events: vec![],
        pages: Default::default(),
        dataset_dir: None,
        offline: true,
        generated_data: false,
    };
    let outcomes = run_check(&mut TimelinessCheck::default(), &survey, &accounts, &NoProgress).unwrap();
    let mut stale = BTreeSet::new();
    let mut dormant = BTreeSet::new();
    let mut warned = BTreeSet::new();
    for (a, outcome) in accounts.iter().zip(outcomes) {
        let Outcome::Evaluated(x) = outcome else { panic!("not evaluated") };
        for f in &x.findings {
            let set = match f.code.as_str() {
                "update.stale_14d" => &mut stale,
                "update.dormant" => &mut dormant,
                "update.stale_warning" => &mut warned,
                _ => continue,
            };
            set.insert(a.account.name.as_str());
        }
    }
    let names = |v: &[&'static str]| v.iter().copied().collect::<BTreeSet<_>>();
    assert_eq!(
        stale,
        names(&[
            "大同公安便民服务在线",
            "安徽省人民政府网",
            "朝阳医保局",
            "商务部门户网站",
            "北京12345",
            "山西公安"
        ])
    );
    assert_eq!(dormant, names(&["大同公安便民服务在线", "安徽省人民政府网", "朝阳医保局"]));
    // Last items on 06-07 and 06-08: 11 and 12 days before the check date, warned not vetoed.
    assert!(warned.contains("海淀公安") && warned.contains("深圳海关12360"), "{warned:?}");
    assert!(!stale.contains("上海发布") && !warned.contains("上海发布"));
}

/// Real function introductions (accounts.csv, read at test time): a ministry's mandate, a
/// line saying only which office provides the account, and an official-account label with
/// nothing for users read department-oriented; every introduction that says what users get
/// does not, even when it names its unit (北京市场监管) or says 负责 (北京药监).
#[test]
fn real_introductions_are_told_apart() {
    use govmedia_checks::account::AccountCheck;
    let list = std::fs::read_to_string(format!("{DIR}/accounts.csv")).unwrap();
    let accounts: Vec<AccountData> = list
        .lines()
        .skip(1)
        .enumerate()
        .filter_map(|(i, l)| {
            let cells: Vec<&str> = l.split(',').collect();
            let intro = cells.get(2).filter(|s| !s.is_empty())?;
            let mut a = Account::new(format!("a{i}"), cells[0], cells[0], Level::Ministry);
            a.intro = Some((*intro).to_owned());
            Some(AccountData { account: a, articles: vec![], menu: None })
        })
        .collect();
    assert_eq!(accounts.len(), 70);
    let d = |s: &str| s.parse::<NaiveDate>().unwrap();
    let survey = Survey {
        name: None,
        period: Period { from: d("2021-05-19"), to: d("2021-06-18") },
        check_date: d("2021-06-19"),
        accounts: accounts.iter().map(|a| a.account.clone()).collect(),
        events: vec![],
        pages: Default::default(),
        dataset_dir: None,
        offline: true,
        generated_data: false,
    };
    let outcomes = run_check(&mut AccountCheck::default(), &survey, &accounts, &NoProgress).unwrap();
    let flagged: BTreeSet<&str> = accounts
        .iter()
        .zip(outcomes)
        .filter(|(_, o)| match o {
            Outcome::Evaluated(x) => {
                x.findings.iter().any(|f| f.code.as_str() == "account.intro_department_oriented")
            }
            Outcome::NotEvaluated(r) => panic!("{r}"),
        })
        .map(|(a, _)| a.account.name.as_str())
        .collect();
    let names = |v: &[&'static str]| v.iter().copied().collect::<BTreeSet<_>>();
    assert_eq!(
        flagged,
        names(&[
            // 三定 duties.
            "中华人民共和国应急管理部",
            // Who provides the account, and nothing else.
            "国家税务总局",
            // An official-account label, or the account's own name, and nothing else.
            "北京反诈",
            "首都城管",
            "北京通州发布",
            "健康中国行动",
            "北京市生态环境监测中心",
        ])
    );
}
