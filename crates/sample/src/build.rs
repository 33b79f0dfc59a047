//! The generator proper: units → account plans → publishing schedules → articles, metrics and
//! comments → menus and pages → records.

use std::collections::BTreeSet;

use chrono::{Datelike, Duration, NaiveDate};
use govmedia_model::time::{from_naive, start_of_day};
use govmedia_model::{
    Account, AccountStatus, Article, Comment, Kind, Level, Media, MenuSnapshot, Period, Reads, Reply,
    SurveyConfig, Timestamp,
};
use serde_json::{Map, Value};

use crate::cadence::{FEEDS, FeedFacts, PUSH_HOURS, feed_named, idle_rates};
use crate::events::EVENTS;
use crate::menus::{MenuCtx, MenuPlan, Pages};
use crate::rates::*;
use crate::registry::{Regions, Unit};
use crate::rng::{Rng, count_at};
use crate::text::{BodyPlants, CommentPii, Ctx};
use crate::{Dataset, Scale, Size, ids, menus, roster, text};

const PERIOD_FROM: (i32, u32, u32) = (2025, 1, 1);
const PERIOD_TO: (i32, u32, u32) = (2025, 10, 31);
const CHECK_DATE: (i32, u32, u32) = (2025, 11, 1);

fn date((y, m, d): (i32, u32, u32)) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("valid date")
}

/// How long before the check date an account last published.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Idle {
    /// 1–10 days: not stale.
    Active,
    /// 15–89 days: stale, not yet dormant.
    Stale,
    /// 90–200 days: dormant (also closed and migrated accounts).
    Dormant,
}

struct Plan {
    unit: Unit,
    name: String,
    name_real: bool,
    id: String,
    biz: String,
    biz_real: bool,
    feed: &'static FeedFacts,
    /// Median reads of a headline.
    popularity: f64,
    idle: Idle,
    status: AccountStatus,
    verified: bool,
    department_intro: bool,
    listed: bool,
    kind: Kind,
    menu: Option<MenuPlan>,
    planted: BTreeSet<&'static str>,
}

fn level_base(level: Level) -> f64 {
    match level {
        Level::Ministry => 6000.0,
        Level::Province => 5000.0,
        Level::ProvinceDept => 1500.0,
        Level::Prefecture => 1200.0,
        Level::County => 400.0,
        Level::Other => 300.0,
    }
}

/// Generates the survey of `scale`, or, with `size`, a national monitor of that many accounts
/// and articles (national distributions).
pub(crate) fn generate(scale: Scale, seed: u64, size: Option<Size>) -> Result<Dataset, String> {
    let regions = Regions::load();
    let mut rng = Rng::new(seed, "roster");
    let units = match size {
        Some(size) => roster::units_sized(&regions, &mut rng, size.accounts)?,
        None => roster::units(scale, &regions, &mut rng),
    };
    let mut plans = plan_accounts(units, seed);
    let n_articles = match (size, scale) {
        (Some(size), _) => size.accounts * size.articles_per_account,
        (None, Scale::National2025) => NATIONAL_ARTICLES,
        (None, Scale::Sample | Scale::World) => {
            (NATIONAL_ARTICLES as f64 * plans.len() as f64 / 682.0).round() as usize
        }
    };
    let counts = article_counts(&plans, n_articles);
    let mut slots = schedule(&plans, &counts, seed);
    respond_to_events(&mut plans, &mut slots, seed);
    let body_mean = match scale {
        Scale::National2025 => 2000.0,
        Scale::Sample | Scale::World => 300.0,
    };
    let mut articles = write_articles(&plans, &slots, body_mean, seed);
    add_comments(&plans, &mut articles, seed);
    let mut pages = Pages::default();
    let menus = build_menus(&plans, &articles, &mut pages, seed);
    let accounts = plans.iter().map(account_record).collect();
    for a in &mut articles {
        a.extra = sorted(std::mem::take(&mut a.extra));
    }
    let mut ds = Dataset {
        scale,
        seed,
        config: SurveyConfig {
            name: Some(match (size, scale) {
                (Some(size), _) => format!("2025年政务新媒体监测（生成数据，{} 个账号）", size.accounts),
                (None, Scale::National2025) => "2025年政务微信公众号调查（生成数据）".to_owned(),
                (None, Scale::Sample | Scale::World) => "2025年政务微信公众号调查样例（生成数据）".to_owned(),
            }),
            period: Some(Period { from: date(PERIOD_FROM), to: date(PERIOD_TO) }),
            check_date: Some(date(CHECK_DATE)),
            framework: Some("ccid-2025".to_owned()),
            generated: Some(true),
        },
        accounts,
        articles,
        menus,
        events: EVENTS.iter().map(|e| e.event()).collect(),
        pages: pages.snapshots,
        page_files: pages.files,
    };
    if scale == Scale::Sample && size.is_none() {
        crate::platforms::add(&mut ds, seed);
    }
    Ok(ds)
}

/// Chooses exactly `count_at(rate, pool.len(), 1)` members of `pool`.
fn choose_in(pool: &[usize], rate: f64, rng: &mut Rng) -> Vec<usize> {
    rng.choose(pool.len(), count_at(rate, pool.len(), 1)).into_iter().map(|i| pool[i]).collect()
}

fn plan_accounts(units: Vec<Unit>, seed: u64) -> Vec<Plan> {
    let mut rng = Rng::new(seed, "accounts");
    let mut plans: Vec<Plan> = units
        .into_iter()
        .map(|unit| {
            let place = unit.place_short.clone().unwrap_or_else(|| unit.owner.clone());
            let (name, name_real) = match &unit.account {
                Some(a) => (a.clone(), unit.real),
                None => (roster::usual_account_name(&place, &mut rng), false),
            };
            let (feed, biz_real) = match feed_named(&name) {
                Some(f) => (f, true),
                None => (rng.pick(FEEDS), false),
            };
            let biz = if biz_real { feed.biz.to_owned() } else { ids::biz(&mut rng) };
            let popularity = level_base(unit.level) * rng.lognormal(0.0, POPULARITY_SIGMA);
            let kind = if rng.chance(SERVICE_ACCOUNTS) { Kind::Service } else { Kind::Subscription };
            Plan {
                id: ids::original_id(&mut rng),
                name,
                name_real,
                biz,
                biz_real,
                feed,
                popularity,
                idle: Idle::Active,
                status: AccountStatus::Active,
                verified: true,
                department_intro: false,
                listed: true,
                kind,
                menu: None,
                planted: BTreeSet::new(),
                unit,
            }
        })
        .collect();
    let n = plans.len();
    let all: Vec<usize> = (0..n).collect();

    // Second accounts of one unit: they take the place of a filled-in unit when there is one.
    let pairs = count_at(DUPLICATE_PAIRS, n, 1);
    let mut filled: Vec<usize> = all.iter().copied().filter(|&i| !plans[i].unit.real).collect();
    if filled.len() < pairs {
        filled = all.clone();
    }
    let mut used = BTreeSet::new();
    for j in rng.choose(filled.len(), pairs).into_iter().map(|k| filled[k]) {
        let level = plans[j].unit.level;
        let partners: Vec<usize> =
            (0..n).filter(|&i| i != j && plans[i].unit.level == level && !used.contains(&i)).collect();
        let i = partners[rng.index(partners.len())];
        used.extend([i, j]);
        let first = plans[i].unit.clone();
        plans[j].name = format!("{}服务号", plans[i].name);
        plans[j].name_real = false;
        plans[j].unit = Unit { account: None, real: false, ..first };
        plans[j].kind = Kind::Service;
        plans[i].planted.insert("account.duplicate");
        plans[j].planted.insert("account.duplicate");
    }

    // Units the registry itself lists with two accounts are duplicates too.
    for i in 0..n {
        if (0..n).any(|j| j != i && plans[j].unit.owner == plans[i].unit.owner) {
            plans[i].planted.insert("account.duplicate");
        }
    }

    // Status and update problems: disjoint sets.
    let (stale_rate, dormant_rate) = idle_rates();
    let mut pool: Vec<usize> = all.iter().copied().filter(|i| !used.contains(i)).collect();
    for (rate, what) in [(CLOSED, 0), (MIGRATED, 1), (dormant_rate, 2), (stale_rate, 3)] {
        let chosen = choose_in(&pool, rate, &mut rng);
        pool.retain(|i| !chosen.contains(i));
        for i in chosen {
            let p = &mut plans[i];
            match what {
                0 | 1 => {
                    p.status = if what == 0 { AccountStatus::Closed } else { AccountStatus::Migrated };
                    p.planted.insert(if what == 0 { "account.closed" } else { "account.migrated" });
                    p.idle = Idle::Dormant;
                }
                2 => p.idle = Idle::Dormant,
                _ => p.idle = Idle::Stale,
            }
            // A closed or migrated account is reported as such, not for its silence.
            if p.status == AccountStatus::Active {
                p.planted.insert("update.stale_14d");
                if p.idle == Idle::Dormant {
                    p.planted.insert("update.dormant");
                }
            }
        }
    }
    for i in choose_in(&all, UNVERIFIED, &mut rng) {
        plans[i].verified = false;
        plans[i].planted.insert("account.unverified");
    }
    for i in choose_in(&all, INTRO_DEPARTMENT_ORIENTED, &mut rng) {
        plans[i].department_intro = true;
        plans[i].planted.insert("account.intro_department_oriented");
    }
    for i in choose_in(&all, NOT_LISTED_ON_WEBSITE, &mut rng) {
        plans[i].listed = false;
    }
    plan_menus(&mut plans, seed);
    plans
}

fn plan_menus(plans: &mut [Plan], seed: u64) {
    let mut rng = Rng::new(seed, "menus");
    // Closed and migrated accounts cannot be captured: no snapshot.
    let captured: Vec<usize> =
        (0..plans.len()).filter(|&i| plans[i].status == AccountStatus::Active).collect();
    for &i in &captured {
        plans[i].menu = Some(MenuPlan { selfmenu_shape: rng.chance(0.5), ..Default::default() });
    }
    let none = choose_in(&captured, MENU_NONE, &mut rng);
    let with_menu: Vec<usize> = captured.iter().copied().filter(|i| !none.contains(i)).collect();
    for &i in &none {
        plans[i].menu.as_mut().expect("captured").none = true;
        plans[i].planted.insert("menu.none");
    }
    let mut set = |rate: f64, code: &'static str, pool: &[usize], f: fn(&mut MenuPlan), rng: &mut Rng| {
        let chosen = choose_in(pool, rate, rng);
        for &i in &chosen {
            f(plans[i].menu.as_mut().expect("captured"));
            plans[i].planted.insert(code);
        }
        chosen
    };
    set(
        MENU_MISSING_DISCLOSURE,
        "menu.missing_disclosure",
        &with_menu,
        |m| m.missing_disclosure = true,
        &mut rng,
    );
    set(MENU_MISSING_SERVICE, "menu.missing_service", &with_menu, |m| m.missing_service = true, &mut rng);
    let no_inter = set(
        MENU_MISSING_INTERACTION,
        "menu.missing_interaction",
        &with_menu,
        |m| m.missing_interaction = true,
        &mut rng,
    );
    let inter: Vec<usize> = with_menu.iter().copied().filter(|i| !no_inter.contains(i)).collect();
    set(MENU_NATIONAL_ONLY, "menu.national_platforms_only", &inter, |m| m.national_only = true, &mut rng);
    set(MENU_MISPLACED, "menu.misplaced", &with_menu, |m| m.misplaced = true, &mut rng);
    set(MENU_OUTDATED_TOPIC, "menu.outdated_topic", &with_menu, |m| m.outdated = true, &mut rng);
    set(LINK_BROKEN, "link.broken", &with_menu, |m| m.broken_link = true, &mut rng);
    set(LINK_LOGIN_REQUIRED, "link.login_required", &with_menu, |m| m.login_required = true, &mut rng);
    set(LINK_APP_REQUIRED, "link.app_required", &with_menu, |m| m.app_required = true, &mut rng);
    set(
        LINK_WECHAT_UNAVAILABLE,
        "link.wechat_unavailable",
        &with_menu,
        |m| m.wechat_unavailable = true,
        &mut rng,
    );
    set(MOBILE_NOT_ADAPTED, "mobile.not_adapted", &with_menu, |m| m.not_adapted = true, &mut rng);
}

/// Articles per account: proportional to the square root of its profile's activity
/// (pushes per day × articles per push), at least 3, summing exactly to `total`.
fn article_counts(plans: &[Plan], total: usize) -> Vec<usize> {
    let weights: Vec<f64> = plans
        .iter()
        .map(|p| {
            let w = libm::sqrt(p.feed.pushes_per_day().min(6.0) * p.feed.articles_per_push());
            match p.idle {
                Idle::Active => w,
                Idle::Stale => w * 0.8,
                Idle::Dormant => w * 0.4,
            }
        })
        .collect();
    let sum: f64 = weights.iter().sum();
    let raw: Vec<f64> = weights.iter().map(|w| total as f64 * w / sum).collect();
    let mut counts: Vec<usize> = raw.iter().map(|r| (libm::floor(*r) as usize).max(3)).collect();
    let mut order: Vec<usize> = (0..plans.len()).collect();
    order.sort_by(|&a, &b| {
        (raw[b] - libm::floor(raw[b])).total_cmp(&(raw[a] - libm::floor(raw[a]))).then(a.cmp(&b))
    });
    let mut assigned: usize = counts.iter().sum();
    let mut k = 0;
    while assigned < total {
        counts[order[k % order.len()]] += 1;
        assigned += 1;
        k += 1;
    }
    while assigned > total {
        let biggest = (0..counts.len()).max_by_key(|&i| (counts[i], usize::MAX - i)).expect("accounts");
        counts[biggest] -= 1;
        assigned -= 1;
    }
    counts
}

/// One article's place in time.
#[derive(Debug, Clone)]
struct Slot {
    account: usize,
    at: Timestamp,
    position: u32,
    /// Index into `EVENTS` when this article answers an event.
    event: Option<usize>,
    /// True for the account's last push (kept in place so the idle plan holds).
    last_push: bool,
}

fn hour(rng: &mut Rng) -> u32 {
    rng.weighted(&PUSH_HOURS) as u32
}

pub(crate) fn at(day: NaiveDate, hour: u32, rng: &mut Rng) -> Timestamp {
    let t = day.and_hms_opt(hour, rng.below(60) as u32, rng.below(60) as u32).expect("valid time");
    from_naive(t)
}

fn schedule(plans: &[Plan], counts: &[usize], seed: u64) -> Vec<Vec<Slot>> {
    let from = date(PERIOD_FROM);
    let check = date(CHECK_DATE);
    plans
        .iter()
        .enumerate()
        .map(|(i, p)| {
            let mut rng = Rng::new(seed, &format!("schedule/{i}"));
            let n = counts[i];
            let idle_days = match p.idle {
                Idle::Active => rng.range(1, 10),
                Idle::Stale => rng.range(15, 89),
                Idle::Dormant => rng.range(90, 200),
            };
            let last = check - Duration::days(idle_days);
            let window = (last - from).num_days() as usize + 1;
            let app = p.feed.articles_per_push();
            let pushes = ((n as f64 / app).round() as usize).max(n.div_ceil(8)).clamp(1, n.min(window));
            let mut days: Vec<NaiveDate> = rng
                .choose(window - 1, pushes - 1)
                .into_iter()
                .map(|d| from + Duration::days(d as i64))
                .collect();
            days.push(last);
            let mut sizes = vec![1usize; pushes];
            for _ in pushes..n {
                loop {
                    let k = rng.index(pushes);
                    if sizes[k] < 8 {
                        sizes[k] += 1;
                        break;
                    }
                }
            }
            let mut slots = Vec::with_capacity(n);
            for (k, (day, size)) in days.into_iter().zip(sizes).enumerate() {
                let t = at(day, hour(&mut rng), &mut rng);
                for pos in 1..=size as u32 {
                    slots.push(Slot {
                        account: i,
                        at: t,
                        position: pos,
                        event: None,
                        last_push: k + 1 == pushes,
                    });
                }
            }
            slots
        })
        .collect()
}

/// Each account in scope of an event and active after it answers it: on time (1–20 hours),
/// late (48–144 hours, `EVENT_LATE`) or not at all (`EVENT_NONE`). An answer takes the place
/// of one of the account's ordinary articles, so the article count stays the same.
fn respond_to_events(plans: &mut [Plan], slots: &mut [Vec<Slot>], seed: u64) {
    let mut rng = Rng::new(seed, "events");
    for (e, spec) in EVENTS.iter().enumerate() {
        let occurred = spec.event().occurred_at;
        let active: Vec<usize> = (0..plans.len())
            .filter(|&i| spec.in_scope(plans[i].unit.region.as_deref()))
            .filter(|&i| {
                let last = slots[i].iter().map(|s| s.at).max().expect("at least one article");
                last > occurred + Duration::days(7)
                    && slots[i].iter().any(|s| !s.last_push && s.event.is_none())
            })
            .collect();
        if active.is_empty() {
            continue;
        }
        let mut order = active.clone();
        rng.shuffle(&mut order);
        let late = count_at(EVENT_LATE, active.len(), 0);
        let none = count_at(EVENT_NONE, active.len(), 0);
        for (k, &i) in order.iter().enumerate() {
            if k < late + none {
                plans[i].planted.insert("timeliness.late_response");
            }
            if k >= late && k < late + none {
                continue;
            }
            let hours = if k < late { rng.range(48, 144) } else { rng.range(1, 20) };
            let t = occurred + Duration::hours(hours) + Duration::minutes(rng.range(0, 59));
            let movable: Vec<usize> = (0..slots[i].len())
                .filter(|&s| !slots[i][s].last_push && slots[i][s].event.is_none())
                .collect();
            let s = movable[rng.index(movable.len())];
            slots[i][s] = Slot { account: i, at: t, position: 1, event: Some(e), last_push: false };
        }
    }
    for s in slots.iter_mut() {
        s.sort_by_key(|x| (x.at, x.position));
        // Two answers can land in one push time: renumber positions within each push.
        let mut k = 0;
        while k < s.len() {
            let mut j = k;
            while j < s.len() && s[j].at == s[k].at {
                s[j].position = (j - k + 1) as u32;
                j += 1;
            }
            k = j;
        }
    }
}

/// Article-level flags chosen by exact counts over all articles.
#[derive(Default, Clone, Copy)]
struct Flags {
    repost: bool,
    copy: bool,
    wrong_country: bool,
    bad_doc: bool,
    absolute: bool,
    pii: bool,
    deleted: bool,
}

fn write_articles(plans: &[Plan], slots: &[Vec<Slot>], body_mean: f64, seed: u64) -> Vec<Article> {
    let flat: Vec<&Slot> = slots.iter().flatten().collect();
    let n = flat.len();
    let mut rng = Rng::new(seed, "articles");
    let ordinary: Vec<usize> = (0..n).filter(|&k| flat[k].event.is_none()).collect();
    let mut flags = vec![Flags::default(); n];
    let mut taken = BTreeSet::new();
    let pick = |rate: f64, rng: &mut Rng, taken: &mut BTreeSet<usize>| -> Vec<usize> {
        let pool: Vec<usize> = ordinary.iter().copied().filter(|k| !taken.contains(k)).collect();
        let chosen =
            rng.choose(pool.len(), count_at(rate, n, 1)).into_iter().map(|i| pool[i]).collect::<Vec<_>>();
        taken.extend(chosen.iter().copied());
        chosen
    };
    for k in pick(REPOST, &mut rng, &mut taken) {
        flags[k].repost = true;
    }
    for k in pick(UNATTRIBUTED_COPY, &mut rng, &mut taken) {
        flags[k].copy = true;
    }
    for k in pick(DELETED, &mut rng, &mut taken) {
        flags[k].deleted = true;
    }
    for (rate, which) in [(WRONG_COUNTRY_NAME, 0), (BAD_DOC_NUMBER, 1), (ABSOLUTE_TERM, 2), (BODY_PII, 3)] {
        for k in pick(rate, &mut rng, &mut taken) {
            match which {
                0 => flags[k].wrong_country = true,
                1 => flags[k].bad_doc = true,
                2 => flags[k].absolute = true,
                _ => flags[k].pii = true,
            }
        }
    }

    let prefixes: Vec<String> = plans.iter().map(|p| doc_prefix(&p.unit)).collect();
    let mut articles = Vec::with_capacity(n);
    let mut mid = vec![2_247_483_648u64; plans.len()];
    let mut last_push: Vec<Option<Timestamp>> = vec![None; plans.len()];
    for (k, slot) in flat.iter().enumerate() {
        let p = &plans[slot.account];
        if last_push[slot.account] != Some(slot.at) {
            mid[slot.account] += 1 + rng.below(3);
            last_push[slot.account] = Some(slot.at);
        }
        let f = flags[k];
        let place = p.unit.place_short.as_deref().unwrap_or(&p.unit.owner);
        let local = slot.at.naive_local();
        let topic = text::topic(p.unit.field, &mut rng);
        let ctx = Ctx {
            place,
            owner: &p.unit.owner,
            account: &p.name,
            topic,
            doc_prefix: &prefixes[slot.account],
            month: local.month(),
            day: local.day(),
        };
        let url = ids::article_url(&p.biz, mid[slot.account], slot.position, &mut rng);
        let title = match slot.event {
            Some(e) => EVENTS[e].response_title.replace("{place}", place),
            None => text::title(&ctx, &mut rng),
        };
        let mut a = Article::new(&p.id, url, title, slot.at);
        a.position = Some(slot.position);
        let target = (body_mean * rng.lognormal(-0.125, 0.5)) as usize;
        let id_region = p.unit.region.as_deref().filter(|r| r.len() == 6).unwrap_or("110101");
        let (phone, idno) = (ids::phone(&mut rng), ids::id_number(id_region, &mut rng));
        let plants = BodyPlants {
            wrong_country_name: f.wrong_country,
            bad_doc_number: f.bad_doc,
            absolute_term: f.absolute,
            pii: f.pii.then_some((phone.as_str(), idno.as_str())),
        };
        let mut body = text::body(&ctx, target, plants, &mut rng);
        if let Some(e) = slot.event {
            let spec = &EVENTS[e];
            body = format!("{}：{}。{}", spec.title, spec.keywords.join("、"), body);
        }
        let mut planted: Vec<&str> = Vec::new();
        if f.repost {
            let src = *rng.pick(text::REPOST_SOURCES);
            a.source = Some(src.to_owned());
            a.author = Some(src.to_owned());
            a.original = Some(false);
            body = format!("来源：{src}\n{body}");
        } else {
            a.original = Some(rng.chance(0.55));
            if rng.chance(0.5) {
                a.author = Some(p.unit.owner.clone());
            }
        }
        for (on, code) in [
            (f.wrong_country, "content.wording_error"),
            (f.bad_doc, "content.doc_number_format"),
            (f.absolute, "content.sensitive_term"),
            (f.pii, "content.pii_exposed"),
        ] {
            if on {
                planted.push(code);
            }
        }
        if rng.chance(0.7) {
            a.digest = Some(body.chars().filter(|c| *c != '\n').take(40).collect());
        }
        // Counters draw from their own stream, so changing the prose leaves them as they are.
        let mut m = Rng::new(seed, &format!("metrics/{k}"));
        a.media = Some(Media {
            images: m.geometric(0.25, 20),
            videos: u32::from(m.chance(0.06)),
            audios: u32::from(m.chance(0.01)),
        });
        let pos_factor = match slot.position {
            1 => 1.0,
            2 => 0.4,
            _ => 0.3,
        };
        let event_factor = if slot.event.is_some() { 1.5 } else { 1.0 };
        let reads = p.popularity * m.lognormal(0.0, ARTICLE_SIGMA) * pos_factor * event_factor;
        let true_reads = libm::round(reads).max(1.0) as u64;
        a.reads = Some(if true_reads > 100_000 { Reads::capped() } else { Reads::exact(true_reads) });
        let rate =
            |base: f64, rng: &mut Rng| Some(libm::round(reads * base * rng.lognormal(0.0, 0.5)) as u64);
        a.likes = rate(0.010, &mut m);
        a.wows = rate(0.004, &mut m);
        a.shares = rate(0.025, &mut m);
        a.favorites = rate(0.006, &mut m);
        if f.deleted {
            a.deleted = Some(true);
            a.deleted_reason = Some(if rng.chance(0.7) { "作者已删除" } else { "内容违规" }.to_owned());
        } else {
            a.content = Some(body);
        }
        a.extra.insert("generated".into(), Value::Bool(true));
        if let Some(e) = slot.event {
            a.extra.insert("event".into(), Value::from(EVENTS[e].id));
        }
        if !planted.is_empty() {
            a.extra.insert("planted".into(), Value::from(planted));
        }
        articles.push(a);
    }

    // Copies: the title and body of another account's article published at least a day earlier.
    let mut sources: Vec<usize> = (0..n)
        .filter(|&s| {
            let f = flags[s];
            let plain =
                !(f.repost || f.copy || f.deleted || f.wrong_country || f.bad_doc || f.absolute || f.pii);
            plain && flat[s].event.is_none()
        })
        .collect();
    sources.sort_by_key(|&s| (flat[s].at, s));
    for k in (0..n).filter(|&k| flags[k].copy) {
        let t = flat[k].at - Duration::days(1);
        let earlier = sources.partition_point(|&s| flat[s].at <= t);
        let others: Vec<usize> =
            sources[..earlier].iter().copied().filter(|&s| flat[s].account != flat[k].account).collect();
        if others.is_empty() {
            continue;
        }
        let s = others[rng.index(others.len())];
        let (title, content, url) =
            (articles[s].title.clone(), articles[s].content.clone(), articles[s].url.clone());
        let a = &mut articles[k];
        a.title = title;
        a.content = content;
        a.digest = None;
        a.original = Some(rng.chance(0.5));
        a.extra.insert("copied_from".into(), Value::from(url));
        let mut planted: Vec<Value> =
            a.extra.get("planted").and_then(Value::as_array).cloned().unwrap_or_default();
        planted.push(Value::from("content.duplicate"));
        a.extra.insert("planted".into(), Value::Array(planted));
    }
    articles
}

/// Exactly `COMMENTED` of the articles (drawn by reads) get 1–8 comments; exactly `REPLIED`
/// of those get replies. Personal data is planted in exact shares of all comments.
fn add_comments(plans: &[Plan], articles: &mut [Article], seed: u64) {
    let mut rng = Rng::new(seed, "comments");
    let check = start_of_day(date(CHECK_DATE));
    let weights: Vec<f64> = articles
        .iter()
        .map(|a| {
            if a.deleted == Some(true) || a.published_at > check - Duration::hours(3) {
                0.0
            } else {
                libm::pow(a.reads.map_or(1, |r| r.value) as f64, 0.8)
            }
        })
        .collect();
    let commented = rng.choose_weighted(&weights, count_at(COMMENTED, articles.len(), 1));
    let replied: BTreeSet<usize> = rng
        .choose(commented.len(), count_at(REPLIED, commented.len(), 1))
        .into_iter()
        .map(|i| commented[i])
        .collect();
    let sizes: Vec<usize> = commented.iter().map(|_| 1 + rng.geometric(0.5, 7) as usize).collect();
    let total: usize = sizes.iter().sum();
    let all: Vec<usize> = (0..total).collect();
    let phones: BTreeSet<usize> = choose_in(&all, COMMENT_PHONE, &mut rng).into_iter().collect();
    let rest: Vec<usize> = all.iter().copied().filter(|i| !phones.contains(i)).collect();
    let idnos: BTreeSet<usize> = choose_in(&rest, COMMENT_ID_NUMBER, &mut rng).into_iter().collect();
    let rest: Vec<usize> = rest.into_iter().filter(|i| !idnos.contains(i)).collect();
    let cards: BTreeSet<usize> = choose_in(&rest, COMMENT_BANK_CARD, &mut rng).into_iter().collect();
    let by_id: std::collections::BTreeMap<&str, &Plan> = plans.iter().map(|p| (p.id.as_str(), p)).collect();
    let mut flat = 0;
    for (&k, &size) in commented.iter().zip(&sizes) {
        let p = by_id[articles[k].account.as_str()];
        let place = p.unit.place_short.as_deref().unwrap_or(&p.unit.owner);
        let published = articles[k].published_at;
        let local = published.naive_local();
        let topic = text::topic(p.unit.field, &mut rng);
        let ctx = Ctx {
            place,
            owner: &p.unit.owner,
            account: &p.name,
            topic,
            doc_prefix: "",
            month: local.month(),
            day: local.day(),
        };
        let limit = check - Duration::minutes(1);
        let mut pii_count = 0;
        let mut comments = Vec::with_capacity(size);
        for c in 0..size {
            let minutes = 5 + libm::round(rng.lognormal(libm::log(180.0), 1.0)) as i64;
            let created = (published + Duration::minutes(minutes)).min(limit);
            let region = p.unit.region.as_deref().filter(|r| r.len() == 6).unwrap_or("110101");
            let (phone, idno, card) =
                (ids::phone(&mut rng), ids::id_number(region, &mut rng), ids::bank_card(&mut rng));
            let pii = if phones.contains(&flat) {
                CommentPii::Phone(&phone)
            } else if idnos.contains(&flat) {
                CommentPii::Id(&idno)
            } else if cards.contains(&flat) {
                CommentPii::Card(&card)
            } else {
                CommentPii::None
            };
            if !matches!(pii, CommentPii::None) {
                pii_count += 1;
            }
            flat += 1;
            let text = text::comment(&ctx, pii, &mut rng);
            let reply = (replied.contains(&k) && (c == 0 || rng.chance(0.5))).then(|| {
                let hours = rng.lognormal(libm::log(20.0), 0.8);
                let t = (created + Duration::minutes(libm::round(hours * 60.0) as i64 + 1))
                    .min(check - Duration::seconds(30));
                Reply { text: text::reply(&ctx, &mut rng), created_at: t.max(created) }
            });
            comments.push(Comment {
                id: Some(format!("{}", c + 1)),
                text,
                created_at: created,
                likes: Some(u64::from(rng.geometric(0.3, 200))),
                featured: Some(true),
                reply,
            });
        }
        comments.sort_by_key(|c| c.created_at);
        let a = &mut articles[k];
        a.comments = comments;
        if pii_count > 0 {
            a.extra.insert("planted_comment_pii".into(), Value::from(pii_count));
        }
    }
}

fn build_menus(plans: &[Plan], articles: &[Article], pages: &mut Pages, seed: u64) -> Vec<MenuSnapshot> {
    let mut rng = Rng::new(seed, "menu-json");
    let captured_at =
        from_naive((date(CHECK_DATE) - Duration::days(2)).and_hms_opt(10, 0, 0).expect("valid time"));
    let mut by_account: std::collections::BTreeMap<&str, Vec<usize>> = Default::default();
    for (k, a) in articles.iter().enumerate() {
        by_account.entry(a.account.as_str()).or_default().push(k);
    }
    let mut out = Vec::new();
    for p in plans {
        let Some(plan) = &p.menu else { continue };
        let host = website(p);
        let recent: Vec<(String, String)> = by_account
            .get(p.id.as_str())
            .map(|list| {
                list.iter()
                    .rev()
                    .map(|&k| &articles[k])
                    .filter(|a| a.deleted.is_none() && a.is_headline())
                    .take(2)
                    .map(|a| (a.url.clone(), a.title.clone()))
                    .collect()
            })
            .unwrap_or_default();
        let place = p.unit.place_short.as_deref().unwrap_or(&p.unit.owner);
        let ctx = MenuCtx { host: &host, biz: &p.biz, place, recent: &recent, captured_at };
        let menu = menus::build(&ctx, plan, &mut rng, pages);
        out.push(MenuSnapshot { account: p.id.clone(), captured_at, menu: crate::write::canonical(menu) });
    }
    out
}

/// The unit's generated website, where its menu links point: `https://gov-XXXX.example`, with
/// a path per department (and per duplicate account) on the region's host.
fn website(p: &Plan) -> String {
    let host = format!(
        "https://gov-{}.example",
        p.unit.region.as_deref().filter(|r| r.len() == 6).unwrap_or(&p.id[3..])
    );
    if p.unit.level == Level::ProvinceDept || p.planted.contains("account.duplicate") {
        format!("{host}/{}", &p.id[3..9])
    } else {
        host
    }
}

fn account_record(p: &Plan) -> Account {
    let u = &p.unit;
    let mut a = Account::new(&p.id, &p.name, &u.owner, u.level);
    a.field = u.field;
    a.region = u.region.clone();
    a.biz = Some(p.biz.clone());
    a.kind = Some(p.kind);
    a.verified = Some(p.verified);
    if p.verified {
        a.verification_type = Some("政府认证".to_owned());
        a.verified_subject = Some(u.owner.clone());
    }
    let place = u.place_short.as_deref().unwrap_or(&u.owner);
    a.intro = Some(if p.status == AccountStatus::Migrated {
        format!("本账号已停止更新，相关信息发布和服务已迁移至{}新开设的公众号，请关注新账号。", u.owner)
    } else {
        text::intro(place, &u.owner, p.department_intro)
    });
    a.followers = Some(libm::round(p.popularity * 40.0) as u64);
    a.website_listed = Some(p.listed);
    a.website = Some(website(p));
    a.status = p.status;
    a.ip_location = Some(u.province_short.clone().unwrap_or_else(|| "北京".to_owned()));
    let mut extra = Map::new();
    extra.insert("generated".into(), Value::Bool(true));
    let mut real: Vec<&str> = Vec::new();
    if u.real {
        real.extend(["owner", "level"]);
        if u.region.is_some() {
            real.push("region");
        }
        if u.field.is_some() {
            real.push("field");
        }
    }
    if p.name_real {
        real.push("name");
    }
    if p.biz_real {
        real.push("biz");
    }
    extra.insert("real_fields".into(), Value::from(real));
    extra.insert("cadence_from".into(), Value::from(p.feed.name));
    if !p.planted.is_empty() {
        extra.insert("planted".into(), Value::from(p.planted.iter().copied().collect::<Vec<_>>()));
    }
    a.extra = sorted(extra);
    a
}

/// The code an organ puts before its document numbers (湖北政办发, 广东人社发).
fn doc_prefix(u: &Unit) -> String {
    let place = u.place_short.as_deref().unwrap_or(&u.owner);
    match (u.level, u.field) {
        (Level::Ministry | Level::Other, _) => format!("{}发", u.owner),
        (Level::ProvinceDept, Some(f)) => {
            let short = match f {
                govmedia_model::Field::Education => "教",
                govmedia_model::Field::Health => "卫健",
                govmedia_model::Field::MedicalSecurity => "医保",
                govmedia_model::Field::PublicSecurity => "公",
                govmedia_model::Field::HumanResources => "人社",
                govmedia_model::Field::Housing => "建",
                govmedia_model::Field::MarketRegulation => "市监",
                govmedia_model::Field::CultureTourism => "文旅",
                govmedia_model::Field::Transport => "交",
                govmedia_model::Field::Justice => "司",
                govmedia_model::Field::CivilAffairs => "民",
                govmedia_model::Field::Taxation => "税务",
            };
            format!("{place}{short}发")
        }
        _ => format!("{place}政办发"),
    }
}

/// Keys in sorted order whatever serde_json's map keeps (see `write::canonical`).
fn sorted(m: Map<String, Value>) -> Map<String, Value> {
    match crate::write::canonical(Value::Object(m)) {
        Value::Object(o) => o,
        _ => unreachable!("an object stays an object"),
    }
}
