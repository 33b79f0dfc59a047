//! The "originality" check (原创力): declared 原创, repost markers, and near-duplicates of
//! other accounts' earlier articles across the whole corpus.
//!
//! Metrics (per account, over articles in the survey period):
//! - `score` (0–1): 1 − ½ · `homogeneity` − ½ · share of unattributed copies, over the
//!   articles that have a body; not evaluated when none has one (feeds and history-API
//!   imports carry titles only: no copy can be detected, so a score would be a guess);
//! - `original_rate`: share of articles declared 原创 (not evaluated when no article says);
//! - `repost_rate`: share of articles marked as reposts (source field, WeChat's 转载 flag, or
//!   来源/转自/转载/稿源/原标题 … at the start or end of the body: [`is_marked_repost`]);
//! - `homogeneity`: share of articles that are near-copies of another account's earlier
//!   article (attributed or not);
//! - `duplicates_unattributed`: copies with no attribution → `content.duplicate`. Only a
//!   repost mark is attribution: a copy that merely names the first publisher in its text
//!   ("记者从XX获悉") is unattributed.

use std::collections::HashMap;

use govmedia_checks::{AccountData, Assessment, Check, CheckError, Outcome, Progress, Survey};
use govmedia_model::{Article, Finding, FindingCode, Severity, Timestamp};

use crate::body::plain_text;
use crate::minhash::{self, LshIndex, SLOTS, Signature};

/// Estimated Jaccard similarity of 5-gram shingles above which two texts are "substantially
/// the same". At 0.7, unrelated articles written from the same templates (the generated
/// survey's 300-character bodies) already matched; real copies score 0.9 or more.
pub const DUPLICATE_THRESHOLD: f64 = 0.8;
const MAX_BUCKET: usize = 64;
const MAX_FINDINGS: usize = 20;

/// Markers of a declared repost in the first or last lines of a body.
const REPOST_MARKERS: &[&str] = &[
    "来源：",
    "来源:",
    "来源丨",
    "来源|",
    "转自",
    "转载自",
    "转载于",
    "本文转载",
    "原标题",
    "内容来源",
    "信息来源",
    "稿件来源",
    "稿源",
    "本文来源于",
    "来自：",
];

/// WeChat's `copyright_stat` of an article published with the platform's 转载 (reprint)
/// function, which shows the original account (see govmedia-ingest's history module).
const COPYRIGHT_STAT_REPRINT: i64 = 101;

/// True when the article says where it comes from: a source field, WeChat's reprint flag, or
/// a repost marker (来源：, 转自, 原标题 …) in the first or last 300 characters. Naming
/// another unit in the text ("记者从市卫健委获悉", "据XX发布消息") is not attribution: news
/// written from a unit's release names it too.
pub fn is_marked_repost(a: &Article, body: &str) -> bool {
    if a.source.as_deref().is_some_and(|s| !s.trim().is_empty()) {
        return true;
    }
    if a.extra.get("copyright_stat").and_then(serde_json::Value::as_i64) == Some(COPYRIGHT_STAT_REPRINT) {
        return true;
    }
    let head = &body[..body.char_indices().nth(300).map_or(body.len(), |(i, _)| i)];
    let tail = &body[body.char_indices().rev().nth(299).map_or(0, |(i, _)| i)..];
    REPOST_MARKERS.iter().any(|m| head.contains(m) || tail.contains(m))
}

/// The earliest article of another account with substantially the same text.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct FirstPublisher {
    pub account: String,
    pub account_name: String,
    pub url: String,
    pub published_at: Timestamp,
    pub similarity: f64,
}

/// The originality check. [`Check::observe`] indexes the signature of every article of the
/// survey; [`Check::prepare`] finds the copies among them.
#[derive(Default)]
pub struct OriginalityCheck {
    /// For each article URL that copies an earlier article of another account.
    copies: HashMap<String, FirstPublisher>,
    /// Observed: the signatures of the articles with a body long enough to judge.
    index: LshIndex,
    /// Observed: what an indexed document is, by its number in `index`.
    docs: Vec<Doc>,
    /// Observed: (id, name) of the accounts `docs` refer to.
    accounts: Vec<(String, String)>,
    /// Observed: what the bodies of each account's articles say (in the account's order), so
    /// that [`Check::assess`] need not read them again; an account not observed by this
    /// instance (an assessing worker of a distributed run) is read from its bodies.
    bodies: HashMap<String, Vec<BodyFacts>>,
}

/// What [`Check::assess`] needs of an article's body.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct BodyFacts {
    /// The body has more than white space.
    present: bool,
    /// The article says where it comes from ([`is_marked_repost`]).
    marked: bool,
}

impl BodyFacts {
    fn of(a: &Article, body: &str) -> Self {
        BodyFacts { present: !body.trim().is_empty(), marked: is_marked_repost(a, body) }
    }
}

/// What [`OriginalityCheck`] observed in some chunks, for another process: the accounts, and
/// each indexed article as (account's number among them, URL, time, signature).
#[derive(serde::Serialize, serde::Deserialize)]
struct Observed {
    accounts: Vec<(String, String)>,
    docs: Vec<(u32, String, Timestamp, Packed)>,
}

/// A MinHash signature on its way to another process: base64 of its little-endian bytes, under
/// half the size of the numbers written out in JSON (a 300,000-article survey's signatures
/// are then ~100 MB instead of ~220 MB).
struct Packed(Signature);

impl serde::Serialize for Packed {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use base64::Engine;
        let bytes: Vec<u8> = self.0.iter().flat_map(|v| v.to_le_bytes()).collect();
        s.serialize_str(&base64::engine::general_purpose::STANDARD_NO_PAD.encode(bytes))
    }
}

impl<'de> serde::Deserialize<'de> for Packed {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        use base64::Engine;
        use serde::de::Error;
        let text = <std::borrow::Cow<'de, str>>::deserialize(d)?;
        let bytes = base64::engine::general_purpose::STANDARD_NO_PAD
            .decode(text.as_bytes())
            .map_err(D::Error::custom)?;
        if bytes.len() != SLOTS * 4 {
            return Err(D::Error::custom(format!(
                "MinHash 签名应为 {} 字节，实为 {} 字节",
                SLOTS * 4,
                bytes.len()
            )));
        }
        let mut sig = [0u32; SLOTS];
        for (v, b) in sig.iter_mut().zip(bytes.chunks_exact(4)) {
            *v = u32::from_le_bytes(b.try_into().expect("chunks of four"));
        }
        Ok(Packed(sig))
    }
}

/// An indexed article, without its text.
struct Doc {
    account: u32,
    url: String,
    published_at: Timestamp,
}

impl OriginalityCheck {
    pub fn new() -> Self {
        Self::default()
    }

    /// What [`prepare`](Check::prepare) found for an article.
    pub fn first_publisher(&self, url: &str) -> Option<&FirstPublisher> {
        self.copies.get(url)
    }
}

/// Signatures of many texts, on all cores.
pub fn signatures(texts: &[&str]) -> Vec<Option<Signature>> {
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get()).min(8);
    let chunk = texts.len().div_ceil(threads).max(1);
    let mut out = vec![None; texts.len()];
    std::thread::scope(|s| {
        for (src, dst) in texts.chunks(chunk).zip(out.chunks_mut(chunk)) {
            s.spawn(move || {
                for (t, d) in src.iter().zip(dst.iter_mut()) {
                    *d = minhash::signature(t);
                }
            });
        }
    });
    out
}

impl Check for OriginalityCheck {
    fn name(&self) -> &'static str {
        "originality"
    }

    fn observe(
        &mut self,
        _survey: &Survey,
        accounts: &[AccountData],
        _progress: &dyn Progress,
    ) -> Result<(), CheckError> {
        let bodies: Vec<std::borrow::Cow<'_, str>> =
            accounts.iter().flat_map(|acc| acc.articles.iter().map(plain_text)).collect();
        let texts: Vec<&str> = bodies.iter().map(|b| b.as_ref()).collect();
        let mut sigs = signatures(&texts).into_iter();
        let mut texts = texts.into_iter();
        for acc in accounts {
            let facts =
                acc.articles.iter().zip(texts.by_ref()).map(|(a, body)| BodyFacts::of(a, body)).collect();
            self.bodies.insert(acc.account.id.clone(), facts);
            let account = self.accounts.len() as u32;
            self.accounts.push((acc.account.id.clone(), acc.account.name.clone()));
            for a in &acc.articles {
                if let Some(s) = sigs.next().flatten() {
                    self.index.add(s);
                    self.docs.push(Doc { account, url: a.url.clone(), published_at: a.published_at });
                }
            }
        }
        Ok(())
    }

    fn take_observed(&mut self) -> Option<String> {
        // Another process assesses: it reads the bodies itself.
        self.bodies.clear();
        let sigs = std::mem::take(&mut self.index).into_signatures();
        let observed = Observed {
            accounts: std::mem::take(&mut self.accounts),
            docs: std::mem::take(&mut self.docs)
                .into_iter()
                .zip(sigs)
                .map(|(d, sig)| (d.account, d.url, d.published_at, Packed(sig)))
                .collect(),
        };
        govmedia_checks::encode(&observed)
    }

    fn absorb(&mut self, observed: &str) -> Result<(), CheckError> {
        let observed: Observed = govmedia_checks::decode(self.name(), observed)?;
        let offset = self.accounts.len() as u32;
        self.accounts.extend(observed.accounts);
        for (account, url, published_at, Packed(sig)) in observed.docs {
            self.index.add(sig);
            self.docs.push(Doc { account: offset + account, url, published_at });
        }
        Ok(())
    }

    fn prepared(&self) -> Option<String> {
        govmedia_checks::encode(&self.copies)
    }

    fn absorb_prepared(&mut self, prepared: &str) -> Result<(), CheckError> {
        self.copies = govmedia_checks::decode(self.name(), prepared)?;
        Ok(())
    }

    fn prepare(&mut self, _survey: &Survey, _progress: &dyn Progress) -> Result<(), CheckError> {
        let index = std::mem::take(&mut self.index);
        let docs = std::mem::take(&mut self.docs);
        let accounts = std::mem::take(&mut self.accounts);
        let doc = |d: u32| &docs[d as usize];
        let mut best: HashMap<u32, (u32, f64)> = HashMap::new();
        index.pairs(DUPLICATE_THRESHOLD, MAX_BUCKET, |x, y, sim| {
            let (a, b) = (doc(x), doc(y));
            if accounts[a.account as usize].0 == accounts[b.account as usize].0 {
                return;
            }
            let (early, late) = if (a.published_at, x) <= (b.published_at, y) { (x, y) } else { (y, x) };
            if doc(early).published_at == doc(late).published_at {
                return; // same moment: neither copies the other
            }
            let e = best.entry(late).or_insert((early, sim));
            if doc(early).published_at < doc(e.0).published_at {
                *e = (early, sim);
            }
        });
        self.copies = best
            .into_iter()
            .map(|(late, (early, sim))| {
                let first = doc(early);
                let (id, name) = &accounts[first.account as usize];
                (
                    doc(late).url.clone(),
                    FirstPublisher {
                        account: id.clone(),
                        account_name: name.clone(),
                        url: first.url.clone(),
                        published_at: first.published_at,
                        similarity: sim,
                    },
                )
            })
            .collect();
        Ok(())
    }

    fn reads_bodies(&self) -> bool {
        false
    }

    fn assess(&self, survey: &Survey, account: &AccountData) -> Outcome {
        let mut out = Assessment::default();
        let (mut n, mut flagged, mut original, mut reposts, mut copies, mut unattributed) =
            (0, 0, 0, 0, 0, 0);
        let mut with_body = 0;
        let observed = self.bodies.get(&account.account.id).filter(|f| f.len() == account.articles.len());
        for (i, a) in account.articles.iter().enumerate().filter(|(_, a)| survey.covers(a)) {
            n += 1;
            if let Some(o) = a.original {
                flagged += 1;
                original += usize::from(o);
            }
            let facts = observed.map_or_else(|| BodyFacts::of(a, &plain_text(a)), |f| f[i]);
            with_body += usize::from(facts.present);
            let marked = facts.marked;
            reposts += usize::from(marked);
            let Some(first) = self.copies.get(&a.url) else { continue };
            copies += 1;
            if marked {
                continue;
            }
            unattributed += 1;
            if unattributed > MAX_FINDINGS {
                continue;
            }
            let declared = a.original == Some(true);
            let msg = format!(
                "文章《{}》与{}“{}”{}发布的文章内容基本相同（相似度{:.0}%），{}",
                a.title,
                if declared { "更早由" } else { "" },
                first.account_name,
                govmedia_model::time::local_date(&first.published_at),
                first.similarity * 100.0,
                if declared { "却声明为原创" } else { "未注明来源" }
            );
            out.findings.push(
                Finding::new(
                    FindingCode::ContentDuplicate,
                    if declared { Severity::Major } else { Severity::Minor },
                    msg,
                )
                .with("url", a.url.clone())
                .with("first_url", first.url.clone())
                .with("first_account", first.account.clone())
                .with("first_published_at", first.published_at.to_rfc3339())
                .with("similarity", (first.similarity * 100.0).round() / 100.0),
            );
        }
        if n == 0 {
            return Outcome::NotEvaluated("统计期内没有文章，无法评估原创性".into());
        }
        let nf = n as f64;
        if with_body == 0 {
            let why =
                format!("统计期内{n}篇文章均无正文（订阅源、历史消息等来源只含标题），无法检测抄袭与同质化");
            for m in ["score", "homogeneity", "duplicates_unattributed"] {
                out.not_evaluated.insert(m.into(), why.clone());
            }
        } else {
            let bf = with_body as f64;
            let homogeneity = copies as f64 / bf;
            out.metrics
                .insert("score".into(), (1.0 - 0.5 * homogeneity - 0.5 * unattributed as f64 / bf).max(0.0));
            out.metrics.insert("homogeneity".into(), homogeneity);
            out.metrics.insert("duplicates_unattributed".into(), unattributed as f64);
        }
        out.stats.insert("articles_without_body".into(), (n - with_body).into());
        out.metrics.insert("repost_rate".into(), reposts as f64 / nf);
        if flagged == 0 {
            out.not_evaluated.insert("original_rate".into(), "文章数据未包含原创声明标记".into());
        } else {
            out.metrics.insert("original_rate".into(), original as f64 / flagged as f64);
        }
        out.stats.insert("articles_copying_others".into(), copies.into());
        out.stats.insert("duplicates_unattributed".into(), unattributed.into());
        if unattributed > MAX_FINDINGS {
            out.findings.push(
                Finding::new(
                    FindingCode::ContentDuplicate,
                    Severity::Info,
                    format!("另有{}篇转载未注明来源的文章未逐条列出", unattributed - MAX_FINDINGS),
                )
                .with("count", unattributed),
            );
        }
        Outcome::Evaluated(out)
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use chrono::NaiveDate;
    use govmedia_checks::{NoProgress, run_check};
    use govmedia_model::time::parse_time;
    use govmedia_model::{Account, Level, Period};

    use super::*;

    /// A news report long enough to fingerprint, first published by 甲市卫健委.
    const REPORT: &str = "今年以来，全市卫生健康系统围绕群众看病就医的急难愁盼问题，持续推进优质医疗资源扩容下沉和区域均衡布局。\
        截至九月底，全市已建成紧密型城市医疗集团四个、县域医共体十一个，基层医疗卫生机构诊疗量占比提高到百分之五十六。\
        市人民医院牵头组建的胸痛、卒中、创伤三大救治中心实现县区全覆盖，危重患者平均救治时间缩短二十分钟。\
        下一步，市卫健委将聚焦老年人、儿童等重点人群，扩大家庭医生签约服务覆盖面，推动检查检验结果互认共享，\
        让群众在家门口就能享受到更加便捷高效的医疗服务。";

    fn account(id: &str, name: &str, day: &str, title: &str, body: String) -> AccountData {
        let mut a = Article::new(
            id,
            format!("https://mp.weixin.qq.com/s/{id}"),
            title,
            parse_time("t", day).unwrap(),
        );
        a.content = Some(body);
        AccountData {
            account: Account::new(id, name, format!("{name}主办单位"), Level::County),
            articles: vec![a],
            menu: None,
        }
    }

    fn survey(accounts: &[AccountData]) -> Survey {
        Survey {
            name: None,
            period: Period {
                from: NaiveDate::from_ymd_opt(2025, 1, 1).unwrap(),
                to: NaiveDate::from_ymd_opt(2025, 10, 31).unwrap(),
            },
            check_date: NaiveDate::from_ymd_opt(2025, 11, 1).unwrap(),
            accounts: accounts.iter().map(|a| a.account.clone()).collect(),
            events: Vec::new(),
            pages: BTreeMap::new(),
            dataset_dir: None,
            offline: true,
            generated_data: false,
        }
    }

    /// Whether each copy (every account after the first publisher) is reported as a duplicate.
    fn reported(copies: Vec<AccountData>) -> Vec<bool> {
        let first = account("first", "甲市卫健委", "2025-03-01T09:00:00", "医疗资源扩容", REPORT.into());
        let accounts: Vec<AccountData> = std::iter::once(first).chain(copies).collect();
        let s = survey(&accounts);
        let outcomes = run_check(&mut OriginalityCheck::new(), &s, &accounts, &NoProgress).unwrap();
        accounts[1..]
            .iter()
            .zip(outcomes.into_iter().skip(1))
            .map(|(acc, outcome)| match outcome {
                Outcome::Evaluated(r) => {
                    assert_eq!(r.metrics["homogeneity"], 1.0, "{} is a copy", acc.account.id);
                    r.findings.iter().any(|f| f.code == FindingCode::ContentDuplicate)
                }
                Outcome::NotEvaluated(why) => panic!("{why}"),
            })
            .collect()
    }

    #[test]
    fn naming_the_first_publisher_in_the_text_is_not_attribution() {
        let copies = [
            format!("记者从甲市卫健委获悉，{REPORT}"),
            format!("据甲市卫健委发布消息，{REPORT}"),
            format!("{REPORT}甲市卫健委表示，将持续跟进。"),
        ];
        let accounts = copies
            .into_iter()
            .enumerate()
            .map(|(i, body)| account(&format!("c{i}"), "乙县发布", "2025-03-02T09:00:00", "医疗", body))
            .collect();
        assert_eq!(reported(accounts), [true, true, true]);
    }

    #[test]
    fn markers_the_source_field_and_the_reprint_flag_are_attribution() {
        let day = "2025-03-02T09:00:00";
        let mut with_source = account("source", "乙县发布", day, "医疗", REPORT.into());
        with_source.articles[0].source = Some("甲市卫健委".into());
        let mut reprint = account("reprint", "乙县发布", day, "医疗", REPORT.into());
        reprint.articles[0].extra.insert("copyright_stat".into(), COPYRIGHT_STAT_REPRINT.into());
        let mut not_declared = account("plain", "乙县发布", day, "医疗", REPORT.into());
        not_declared.articles[0].extra.insert("copyright_stat".into(), 100.into());
        let accounts = vec![
            account("head", "乙县发布", day, "医疗", format!("来源：甲市卫健委\n{REPORT}")),
            account("tail", "乙县发布", day, "医疗", format!("{REPORT}\n稿源：甲市卫健委")),
            account("title", "乙县发布", day, "医疗", format!("原标题：扩容下沉\n{REPORT}")),
            with_source,
            reprint,
            not_declared,
        ];
        assert_eq!(reported(accounts), [false, false, false, false, false, true]);
    }

    #[test]
    fn observations_handed_between_processes_give_the_same_copies() {
        let day = "2025-03-02T09:00:00";
        let first = account("first", "甲市卫健委", "2025-03-01T09:00:00", "医疗", REPORT.into());
        let copy = account("copy", "乙县发布", day, "医疗", format!("{REPORT}甲市卫健委表示，将持续跟进。"));
        let other =
            account("other", "丙县发布", day, "医疗", "本县召开安全生产工作会议，部署冬季防火。".into());
        let accounts = vec![first, copy, other];
        let s = survey(&accounts);
        let alone = run_check(&mut OriginalityCheck::new(), &s, &accounts, &NoProgress).unwrap();

        // Two processes observe a chunk each; a third absorbs both and prepares.
        let mut preparing = OriginalityCheck::new();
        for chunk in accounts.chunks(2) {
            let mut observer = OriginalityCheck::new();
            observer.observe(&s, chunk, &NoProgress).unwrap();
            preparing.absorb(&observer.take_observed().unwrap()).unwrap();
        }
        preparing.prepare(&s, &NoProgress).unwrap();
        let mut assessing = OriginalityCheck::new();
        assessing.absorb_prepared(&preparing.prepared().unwrap()).unwrap();
        let handed: Vec<Outcome> = accounts.iter().map(|a| assessing.assess(&s, a)).collect();
        assert_eq!(format!("{handed:?}"), format!("{alone:?}"));
        assert!(format!("{alone:?}").contains("ContentDuplicate"), "the copy is found: {alone:?}");
    }

    #[test]
    fn a_signature_of_the_wrong_length_is_refused() {
        let mut check = OriginalityCheck::new();
        let observed = r#"{"accounts":[["a","甲"]],"docs":[[0,"https://mp.weixin.qq.com/s/x","2025-03-01T09:00:00+08:00","AAAA"]]}"#;
        let err = check.absorb(observed).unwrap_err();
        assert!(err.to_string().contains("MinHash 签名应为 256 字节，实为 3 字节"), "{err}");
    }
}
