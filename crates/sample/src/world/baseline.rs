//! The clean account every case starts from, and the world being built.
//!
//! A clean account, by the survey's indicators: verified by its own unit, listed on its
//! government website, a user-oriented introduction of standard length, a push every four
//! days up to two days before the check date (headline reads around 800, a second article
//! every other push), one reader question per push answered within a day, and a menu with
//! the three required functions (政务公开 · 办事服务 · 互动交流) whose columns open working,
//! phone-friendly pages on the unit's website that offer what the column's name promises.

use chrono::{Duration, NaiveDate};
use govmedia_model::time::from_naive;
use govmedia_model::{Account, Article, Event, MenuSnapshot, PageSnapshot, Timestamp};
use serde_json::{Map, Value, json};

use crate::registry::{Division, Regions};
use crate::rng::{Rng, fnv1a};
use crate::text::{self, BodyPlants, Ctx};
use crate::{Dataset, PageFile, ids};

pub(crate) const PERIOD_FROM: NaiveDate = date(2025, 1, 1);
pub(crate) const PERIOD_TO: NaiveDate = date(2025, 10, 31);
pub(crate) const CHECK_DATE: NaiveDate = date(2025, 11, 1);
/// Days between pushes, and the days before the check date of the last push.
const PUSH_EVERY: i64 = 4;
const LAST_PUSH: i64 = 2;
const PUSHES: i64 = 15;
/// Headline reads around which a clean account's articles vary.
pub(crate) const READS: f64 = 800.0;

const fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    match NaiveDate::from_ymd_opt(y, m, d) {
        Some(d) => d,
        None => panic!("invalid date"),
    }
}

/// `days` before the check date at `hour`:`minute`, Asia/Shanghai.
pub(crate) fn before_check(days: i64, hour: u32, minute: u32) -> Timestamp {
    from_naive((CHECK_DATE - Duration::days(days)).and_hms_opt(hour, minute, 0).expect("valid time"))
}

pub(crate) fn rfc3339(t: Timestamp) -> String {
    t.to_rfc3339()
}

/// A county-level division whose name is unique in the country, so that no two accounts of
/// the world belong to units of the same name.
#[derive(Debug, Clone)]
pub(crate) struct Place {
    pub code: String,
    /// 来安县
    pub name: String,
    /// 安徽省
    pub province: String,
}

impl Place {
    pub(crate) fn owner(&self) -> String {
        format!("{}人民政府", self.name)
    }

    pub(crate) fn account_name(&self) -> String {
        format!("{}发布", self.name)
    }

    /// The unit's website, where its menu columns are.
    pub(crate) fn website(&self) -> String {
        format!("https://www.gov-{}.example", self.code)
    }
}

/// Counties, county-level cities and districts with a nationally unique name, in code order.
pub(crate) fn places(regions: &Regions) -> Vec<Place> {
    let mut count = std::collections::HashMap::<&str, usize>::new();
    for d in &regions.counties {
        *count.entry(d.name.as_str()).or_default() += 1;
    }
    let province =
        |d: &Division| regions.provinces.iter().find(|p| p.code[..2] == d.code[..2]).map(|p| p.name.clone());
    regions
        .counties
        .iter()
        .filter(|d| count[d.name.as_str()] == 1 && d.name.chars().count() >= 3 && !d.name.contains("市辖"))
        .filter_map(|d| Some(Place { code: d.code.clone(), name: d.name.clone(), province: province(d)? }))
        .collect()
}

/// One menu column: its name and the page it opens.
#[derive(Debug, Clone)]
pub(crate) struct Leaf {
    pub name: String,
    pub url: String,
}

#[derive(Debug, Clone)]
pub(crate) struct Button {
    pub name: String,
    pub leaves: Vec<Leaf>,
}

/// What a page snapshot holds.
#[derive(Debug, Clone)]
pub(crate) enum Page {
    /// A 200 answer with this HTML.
    Html(String),
    /// An HTTP error status with a short HTML body.
    Status(u16),
    /// A network failure: timeout · dns · tls · connect.
    Error(String),
}

/// One account being built: its record, articles, menu and pages.
pub(crate) struct Built {
    pub record: Map<String, Value>,
    pub articles: Vec<Value>,
    /// None: no menu snapshot at all; Some(empty): a snapshot with no menu.
    pub menu: Option<Vec<Button>>,
    pub menu_open: bool,
    pub pages: Vec<(String, Page)>,
    pub place: Place,
}

impl Built {
    /// The newest article (the headline of the last push).
    pub(crate) fn newest(&mut self) -> &mut Map<String, Value> {
        self.articles.last_mut().and_then(Value::as_object_mut).expect("every account has articles")
    }

    /// The page of the menu column named `leaf`.
    pub(crate) fn set_page(&mut self, url: &str, page: Page) {
        match self.pages.iter_mut().find(|(u, _)| u == url) {
            Some(slot) => slot.1 = page,
            None => self.pages.push((url.to_owned(), page)),
        }
    }
}

pub(crate) struct World {
    pub built: Vec<Built>,
    pub events: Vec<Value>,
}

impl World {
    pub(crate) fn new() -> World {
        World { built: Vec::new(), events: Vec::new() }
    }

    /// Adds a clean account for `place`; returns its index.
    pub(crate) fn account(&mut self, place: &Place, rng: &mut Rng) -> usize {
        let id = ids::original_id(rng);
        let biz = ids::biz(rng);
        let owner = place.owner();
        let name = place.account_name();
        let record = json!({
            "id": id, "name": name, "owner": owner, "level": "county", "region": place.code,
            "biz": biz, "kind": "subscription", "verified": true, "verification_type": "政府认证",
            "verified_subject": owner, "followers": 20_000, "website_listed": true,
            "website": place.website(), "ip_location": place.province.trim_end_matches('省'),
            "intro": format!("发布{}权威政务信息，解读最新政策，提供便民办事服务，倾听群众意见建议。", place.name),
            "generated": true,
        });
        let short = &place.name;
        let doc_prefix = format!("{}政办发", short.trim_end_matches(['县', '区', '市', '旗']));
        let mut articles = Vec::new();
        for push in 0..PUSHES {
            let days = LAST_PUSH + PUSH_EVERY * (PUSHES - 1 - push);
            let at = before_check(days, 9 + rng.below(9) as u32, rng.below(60) as u32);
            let local = at.naive_local();
            for position in 1..=(1 + (push % 2) as u32) {
                let topic = text::topic(None, rng);
                let ctx = Ctx {
                    place: short,
                    owner: &owner,
                    account: &name,
                    topic,
                    doc_prefix: &doc_prefix,
                    month: chrono::Datelike::month(&local),
                    day: chrono::Datelike::day(&local),
                };
                let title = text::title(&ctx, rng);
                let body =
                    format!("{}\n{}", text::body(&ctx, 320, BodyPlants::default(), rng), facts(short, rng));
                let base = if position == 1 { READS } else { READS * 0.4 };
                let reads = (base * rng.lognormal(0.0, 0.25)).round() as u64;
                let mut a = json!({
                    "account": id, "url": ids::article_url(&biz, 2_247_483_700 + push as u64, position, rng),
                    "title": title, "published_at": rfc3339(at), "position": position,
                    "original": true, "content": body, "reads": reads,
                    "likes": reads / 100, "wows": reads / 250, "shares": reads / 40,
                });
                if position == 1 {
                    let asked = at + Duration::hours(1 + rng.below(5) as i64);
                    let answered = asked + Duration::hours(2 + rng.below(18) as i64);
                    a["comments"] = json!([{
                        "text": text::comment(&ctx, text::CommentPii::None, rng),
                        "created_at": rfc3339(asked),
                        "reply": {"text": text::reply(&ctx, rng), "created_at": rfc3339(answered)},
                    }]);
                }
                articles.push(a);
            }
        }
        let site = place.website();
        let col = |name: &str, path: &str| Leaf { name: name.to_owned(), url: format!("{site}/{path}/") };
        let menu = vec![
            Button {
                name: "政务公开".into(),
                leaves: vec![col("政策文件", "zcwj"), col("政策解读", "zcjd"), col("通知公告", "tzgg")],
            },
            Button {
                name: "办事服务".into(),
                leaves: vec![col("办事指南", "bszn"), col("社保查询", "sbcx"), col("预约办理", "yybl")],
            },
            Button {
                name: "互动交流".into(),
                leaves: vec![col("我要留言", "wyly"), col("12345热线", "rx12345")],
            },
        ];
        let pages = menu
            .iter()
            .flat_map(|b| &b.leaves)
            .map(|l| (l.url.clone(), Page::Html(column_page(&l.name, &place.name))))
            .collect();
        self.built.push(Built {
            record: record.as_object().expect("object").clone(),
            articles,
            menu: Some(menu),
            menu_open: true,
            pages,
            place: place.clone(),
        });
        self.built.len() - 1
    }

    /// The dataset, model types and files, in a deterministic order.
    pub(crate) fn finish(self, mut ds: Dataset) -> Dataset {
        let fetched = before_check(1, 10, 0);
        for b in self.built {
            let id = b.record["id"].as_str().expect("id").to_owned();
            ds.accounts.push(
                serde_json::from_value::<Account>(crate::write::canonical(Value::Object(b.record)))
                    .expect("world accounts follow the contract"),
            );
            for a in b.articles {
                ds.articles
                    .push(serde_json::from_value::<Article>(a).expect("world articles follow the contract"));
            }
            if let Some(menu) = &b.menu {
                ds.menus.push(
                    serde_json::from_value::<MenuSnapshot>(json!({
                        "account": id, "captured_at": rfc3339(before_check(2, 10, 0)),
                        "menu": render_menu(menu, b.menu_open),
                    }))
                    .expect("world menus follow the contract"),
                );
            }
            for (url, page) in b.pages {
                let mut snap = json!({"url": url, "fetched_at": rfc3339(fetched)});
                let html = match page {
                    Page::Html(html) => {
                        snap["status"] = 200.into();
                        Some(html)
                    }
                    Page::Status(code) => {
                        snap["status"] = code.into();
                        Some(format!(
                            "<!DOCTYPE html><html><head><title>{code}</title></head><body><h1>{code}</h1></body></html>\n"
                        ))
                    }
                    Page::Error(e) => {
                        snap["error"] = e.into();
                        None
                    }
                };
                if let Some(html) = html {
                    let path = format!("pages/{:016x}.html", fnv1a(&url));
                    snap["content_type"] = "text/html; charset=utf-8".into();
                    snap["body"] = path.clone().into();
                    ds.page_files.push(PageFile { path, body: html });
                }
                ds.pages.push(
                    serde_json::from_value::<PageSnapshot>(snap).expect("world pages follow the contract"),
                );
            }
        }
        for e in self.events {
            ds.events.push(serde_json::from_value::<Event>(e).expect("world events follow the contract"));
        }
        ds
    }
}

const NAME_CHARS: &[&str] = &[
    "东", "西", "南", "北", "新", "和", "平", "安", "福", "康", "永", "兴", "隆", "丰", "华", "光", "明",
    "德", "泰", "宁", "清", "河", "山", "桥", "石", "柳", "杨", "桃", "李", "龙", "凤", "云", "水", "田",
    "沙", "湖",
];
const ACTORS: &[&str] = &[
    "县委主要负责同志",
    "县政府分管负责同志",
    "乡镇党委书记",
    "驻村第一书记",
    "社区网格员",
    "青年志愿者",
    "县直部门干部",
    "人大代表",
];
const ACTIVITIES: &[&str] = &[
    "走访困难群众",
    "检查安全生产",
    "调研产业发展",
    "督导项目建设",
    "宣讲惠民政策",
    "排查矛盾纠纷",
    "开展义诊服务",
    "慰问老党员",
];
const RESULTS: &[&str] =
    &["解决实际问题", "收集意见建议", "化解矛盾纠纷", "帮助群众办理事项", "发放宣传资料", "落实帮扶措施"];

/// A place name of two random characters (a town or a village of the account's county).
fn local_name(rng: &mut Rng) -> String {
    format!("{}{}", rng.pick_str(NAME_CHARS), rng.pick_str(NAME_CHARS))
}

/// Sentences of local news that no other account writes: who went where and what came of it.
/// Template prose alone makes two accounts' articles on one topic near-duplicates.
fn facts(place: &str, rng: &mut Rng) -> String {
    let mut out = String::new();
    for _ in 0..3 {
        out.push_str(&format!(
            "{}月{}日，{}到{}镇{}村{}，{}{}件（条），{}名群众参与。",
            9 + rng.below(2),
            1 + rng.below(28),
            rng.pick_str(ACTORS),
            local_name(rng),
            local_name(rng),
            rng.pick_str(ACTIVITIES),
            rng.pick_str(RESULTS),
            3 + rng.below(60),
            20 + rng.below(400),
        ));
    }
    format!("{place}各地持续推进为民办实事：{out}")
}

/// The menu in the shape `get_current_selfmenu_info` returns.
fn render_menu(buttons: &[Button], open: bool) -> Value {
    let list: Vec<Value> = buttons
        .iter()
        .map(|b| {
            let subs: Vec<Value> =
                b.leaves.iter().map(|l| json!({"type": "view", "name": l.name, "url": l.url})).collect();
            json!({"name": b.name, "sub_button": {"list": subs}})
        })
        .collect();
    json!({"is_menu_open": u8::from(open), "selfmenu_info": {"button": list}})
}

/// A working column page that offers what its name promises, laid out for phones.
pub(crate) fn column_page(column: &str, place: &str) -> String {
    let offer = match column {
        "政策文件" => "本栏目发布规范性文件和政策文件，点击标题即可查看全文，无需登录。".to_owned(),
        "政策解读" => "本栏目以图解、视频、问答等形式解读新出台的政策，并链接政府网站原文。".to_owned(),
        "通知公告" => "本栏目按法定要求主动公开政府信息，发布通知公告。".to_owned(),
        "办事指南" => "列明办理条件、申请材料、办理流程和办理时限，无需登录即可查看。".to_owned(),
        "社保查询" => "输入证件号码即可在线查询社保缴费记录和办件进度。".to_owned(),
        "预约办理" => "在线预约、在线办理，办理结果可在“我的办件”中查询。".to_owned(),
        "我要留言" => {
            "填写标题与内容即可在线留言，答复在本页公开；常见问题请先查阅智能问答知识库。".to_owned()
        }
        "12345热线" => "拨打12345政务服务便民热线反映诉求，7×24小时受理，也可在线提交。".to_owned(),
        other => format!("本栏目提供{other}相关信息和在线服务。"),
    };
    page_html(&format!("{place}人民政府 - {column}"), &format!("<h1>{column}</h1><p>{offer}</p>"))
}

/// A phone-friendly page with this title and body markup.
pub(crate) fn page_html(title: &str, body: &str) -> String {
    format!(
        "<!DOCTYPE html><html lang=\"zh-CN\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>{title}</title></head><body>{body}</body></html>\n"
    )
}
