//! Regenerates the generated lexicons under `lexicons/` from the public sources in
//! `../shared/data` (run from the workspace root: `cargo run -p govmedia-content --example
//! build_lexicons`):
//!
//! - `gov-userdict.txt`: the jieba user dictionary (registry unit and account names, current
//!   administrative division names, law titles);
//! - `sensitive-*.toml`: the houbb sensitive lexicons (Apache-2.0) pruned for government prose;
//! - `wording-regions.toml`: former names of renamed divisions → current names.
//!
//! Pruning drops the untagged remainder of the houbb list (its "其他": 热线, 信访, 农业部 …);
//! per term: single characters, short ASCII and bare dates; every word of jieba's dictionary (ordinary
//! vocabulary: 政府, 共和, 枪支, 洗钱 …) except a short hand-kept core of terms that are
//! sensitive in any government text (`CORE`); politicians' names (jieba person-name tags:
//! naming leaders is normal in government text); and any term still matching the
//! pruning corpus (8 laws and the 1,000 `politics_only_dev` titles). The other 4 laws and the
//! 1,000 `politics_only_test` titles are held out to measure false positives honestly.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};

use govmedia_content::lexicon::{Kind, LexiconFile, LexiconSet};
use govmedia_content::text;
use govmedia_model::Severity;

fn shared() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data")
}

fn out_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../lexicons")
}

/// Laws used for pruning; the rest are held out.
const PRUNE_LAW_DIRS: [&str; 2] = ["宪法相关法", "行政法"];

fn read_utf(p: &Path) -> String {
    let bytes = fs::read(p).unwrap_or_else(|e| panic!("{}: {e}", p.display()));
    if bytes.starts_with(&[0xFF, 0xFE]) {
        let u16s: Vec<u16> = bytes[2..].chunks_exact(2).map(|c| u16::from_le_bytes([c[0], c[1]])).collect();
        String::from_utf16_lossy(&u16s)
    } else {
        String::from_utf8_lossy(&bytes).into_owned()
    }
}

fn prune_corpus() -> String {
    let mut s = String::new();
    let laws = shared().join("gov-text/laws");
    for d in PRUNE_LAW_DIRS {
        for e in fs::read_dir(laws.join(d)).unwrap() {
            s.push_str(&read_utf(&e.unwrap().path()));
            s.push('\n');
        }
    }
    let titles = read_utf(&shared().join("gov-text/thucnews-politics-titles/politics_only_dev.DERIVED.txt"));
    for l in titles.lines() {
        s.push_str(l.split('\t').next().unwrap_or(""));
        s.push('\n');
    }
    s
}

struct Category {
    file: &'static str,
    name: &'static str,
    severity: Severity,
}

/// Dictionary words that are sensitive in any government text, kept although jieba knows them.
const CORE: [&str; 17] = [
    "法轮功",
    "法轮大法",
    "全能神",
    "台独",
    "藏独",
    "疆独",
    "港独",
    "冰毒",
    "海洛因",
    "摇头丸",
    "K粉",
    "六合彩",
    "裸聊",
    "一夜情",
    "赌球",
    "网络赌博",
    "赌博网站",
];

const CATEGORIES: [Category; 8] = [
    Category { file: "sensitive-politics", name: "政治", severity: Severity::Major },
    Category { file: "sensitive-drugs", name: "毒品", severity: Severity::Major },
    Category { file: "sensitive-porn", name: "色情", severity: Severity::Major },
    Category { file: "sensitive-gambling", name: "赌博", severity: Severity::Major },
    Category { file: "sensitive-illegal", name: "违法", severity: Severity::Minor },
    Category { file: "sensitive-cult", name: "邪教", severity: Severity::Major },
    Category { file: "sensitive-violence", name: "暴恐", severity: Severity::Major },
    Category { file: "sensitive-abuse", name: "辱骂", severity: Severity::Minor },
];

/// Drops control characters that some source lines carry.
fn clean(w: &str) -> String {
    w.chars().filter(|c| !c.is_control()).collect()
}

fn raw_terms() -> BTreeMap<&'static str, BTreeSet<String>> {
    let hb = shared().join("lexicons/houbb-sensitive-word");
    let mut tags: BTreeMap<String, usize> = BTreeMap::new();
    for l in read_utf(&hb.join("dict-2024/sensitive_word_tags.txt")).lines() {
        if let Some((w, t)) = l.rsplit_once(' ')
            && let Some(first) = t.split(',').next().and_then(|x| x.trim().parse::<usize>().ok())
        {
            tags.insert(w.trim().to_owned(), first);
        }
    }
    let mut out: BTreeMap<&'static str, BTreeSet<String>> = BTreeMap::new();
    for w in read_utf(&hb.join("dict-2024/sensitive_word_dict.txt")).lines() {
        let w = w.trim();
        if w.is_empty() {
            continue;
        }
        let cat = match tags.get(w) {
            Some(0) => "政治",
            Some(1) => "毒品",
            Some(2) => "色情",
            Some(3) => "赌博",
            Some(4) => "违法",
            _ => "其他",
        };
        out.entry(cat).or_default().insert(clean(w));
    }
    for (file, cat) in [
        ("政治类", "政治"),
        ("邪教", "邪教"),
        ("暴力", "暴恐"),
        ("辱骂", "辱骂"),
        ("毒品", "毒品"),
        ("色情类", "色情"),
    ] {
        for w in read_utf(&hb.join(format!("categorized-2020/{file}.txt"))).lines().flat_map(|l| l.split(','))
        {
            let w = w.trim().trim_start_matches('\u{feff}');
            if !w.is_empty() {
                out.entry(cat).or_default().insert(clean(w));
            }
        }
    }
    out
}

fn keep_shape(term: &str) -> bool {
    let f = text::fold(term);
    let n = f.chars().count();
    // Two-character terms mostly hit across word boundaries (人欲, 人弹): only the core keeps them.
    if n < 2 || n == 2 && !CORE.contains(&term) {
        return false;
    }
    if f.chars().all(|c| c.is_ascii_digit()) {
        return false;
    }
    // A bare calendar date (5月4日, 6月4日) is in every government notice; dated phrases stay.
    if f.chars().all(|c| c.is_ascii_digit() || c == '月' || c == '日') {
        return false;
    }
    if f.is_ascii() && n < 4 {
        return false;
    }
    true
}

fn toml_str(s: &str) -> String {
    serde_json::to_string(s).expect("string")
}

fn write_lexicon(
    file: &str,
    name: &str,
    cat: &str,
    sev: Severity,
    source: &str,
    desc: &str,
    terms: &BTreeSet<String>,
) {
    let mut s = format!(
        "# Generated by crates/content/examples/build_lexicons.rs; edit freely, or add terms in a new file.\nname = {}\nkind = \"deny\"\ncategory = {}\nseverity = \"{}\"\nsource = {}\ndescription = {}\nterms = [\n",
        toml_str(name),
        toml_str(cat),
        serde_json::to_value(sev).unwrap().as_str().unwrap(),
        toml_str(source),
        toml_str(desc)
    );
    for t in terms {
        s.push_str("  ");
        s.push_str(&toml_str(t));
        s.push_str(",\n");
    }
    s.push_str("]\n");
    fs::write(out_dir().join(format!("{file}.toml")), s).unwrap();
}

fn build_sensitive() {
    let jieba = govmedia_content::segment::jieba();
    let raw = raw_terms();
    let corpus = prune_corpus();
    let mut kept: BTreeMap<&str, BTreeSet<String>> = BTreeMap::new();
    let mut stats = Vec::new();
    for c in &CATEGORIES {
        let terms = raw.get(c.name).cloned().unwrap_or_default();
        let total = terms.len();
        let k: BTreeSet<String> = terms
            .into_iter()
            .filter(|t| keep_shape(t))
            .filter(|t| CORE.contains(&t.as_str()) || !jieba.has_word(t))
            .filter(|t| !(c.name == "政治" && govmedia_content::segment::is_person_name(t)))
            .collect();
        stats.push((c.name, total, k.len()));
        kept.insert(c.name, k);
    }
    // Iterate: a long term hit may hide a shorter one.
    for _ in 0..4 {
        let mut files: Vec<LexiconFile> = CATEGORIES
            .iter()
            .map(|c| LexiconFile {
                name: c.file.to_owned(),
                kind: Kind::Deny,
                category: c.name.to_owned(),
                severity: c.severity,
                source: String::new(),
                description: String::new(),
                terms: kept[c.name].iter().cloned().collect(),
                pairs: Vec::new(),
                title_terms: Vec::new(),
            })
            .collect();
        // The hand-written allow list is part of the shipped set: prune as it will run.
        let allow = fs::read_to_string(out_dir().join("allow-gov.toml")).unwrap();
        files.extend(LexiconSet::parse([("allow-gov.toml", allow.as_str())]).unwrap());
        let set = LexiconSet::build(&files).unwrap();
        let hits: Vec<(String, String)> =
            set.scan(&corpus).into_iter().map(|h| (h.entry.category.clone(), h.entry.term.clone())).collect();
        if hits.is_empty() {
            break;
        }
        for (_, term) in hits {
            for v in kept.values_mut() {
                v.remove(&term);
            }
        }
    }
    for c in &CATEGORIES {
        let st = stats.iter().find(|s| s.0 == c.name).unwrap();
        println!(
            "{}: {} raw, {} after shape/common/name rules, {} shipped",
            c.name,
            st.1,
            st.2,
            kept[c.name].len()
        );
        write_lexicon(
            c.file,
            c.file,
            c.name,
            c.severity,
            "houbb/sensitive-word dict-2024 + categorized-2020 (Apache-2.0), pruned",
            "敏感词（已针对政务文本剪枝）",
            &kept[c.name],
        );
    }
}

fn build_userdict() {
    let mut words: BTreeSet<String> = BTreeSet::new();
    let reg = read_utf(&shared().join("registry-2025-sample.csv"));
    for l in reg.lines().skip(1) {
        let cols: Vec<&str> = l.split(',').collect();
        for c in cols.iter().skip(2) {
            let c = c.trim();
            if c.chars().count() >= 3 && c.chars().all(|ch| !ch.is_ascii()) {
                words.insert(c.to_owned());
            }
        }
    }
    let regions = read_utf(&shared().join("regions/yescallop-areacodes/result.csv"));
    for l in regions.lines().skip(1) {
        let cols: Vec<&str> = l.split(',').collect();
        if cols.len() > 5 && cols[5] == "在用" && cols[3].chars().count() >= 2 {
            words.insert(cols[3].to_owned());
        }
    }
    let laws = shared().join("gov-text/laws");
    for d in fs::read_dir(&laws).unwrap().flatten().filter(|d| d.path().is_dir()) {
        for f in fs::read_dir(d.path()).unwrap().flatten() {
            let name = f.file_name().to_string_lossy().into_owned();
            if let Some((title, _)) = name.split_once('(') {
                words.insert(title.to_owned());
                words.insert(format!("中华人民共和国{title}"));
            }
        }
    }
    let mut s = String::from(
        "# jieba user dictionary for government text: one word per line (optionally `word freq tag`).\n# Generated by crates/content/examples/build_lexicons.rs from the 2025 registry sample (facts),\n# administrative divisions in use (yescallop/areacodes, CC0) and law titles.\n",
    );
    for w in &words {
        s.push_str(w);
        s.push('\n');
    }
    fs::write(out_dir().join("gov-userdict.txt"), s).unwrap();
    println!("userdict: {} words", words.len());
}

fn build_region_wording() {
    let regions = read_utf(&shared().join("regions/yescallop-areacodes/result.csv"));
    let rows: Vec<Vec<String>> =
        regions.lines().skip(1).map(|l| l.split(',').map(|c| c.trim().to_owned()).collect()).collect();
    let current: BTreeMap<&str, &str> = rows
        .iter()
        .filter(|r| r.len() > 5 && r[5] == "在用")
        .map(|r| (r[0].as_str(), r[3].as_str()))
        .collect();
    let current_names: BTreeSet<&str> = current.values().copied().collect();
    let mut pairs: BTreeMap<String, (String, String)> = BTreeMap::new();
    let mut ambiguous: BTreeSet<String> = BTreeSet::new();
    for r in &rows {
        if r.len() < 9 || r[4] == "县级" && r[3].chars().count() < 3 {
            continue;
        }
        let year: u32 = r[7].parse().unwrap_or(0);
        // A rename keeps the code ("变更"); a level change (县 → 市/区) gets a new code whose
        // name keeps the stem.
        let now = match r[5].as_str() {
            "变更" => current.get(r[0].as_str()).copied(),
            "弃用" if !r[8].contains(';') => {
                current.get(r[8].split('[').next().unwrap_or("")).copied().filter(|n| {
                    let stem =
                        |s: &str| s.chars().take(s.chars().count().saturating_sub(1)).collect::<String>();
                    stem(n) == stem(&r[3])
                })
            }
            _ => None,
        };
        let Some(now) = now else { continue };
        if year < 2000 || now == r[3] || current_names.contains(r[3].as_str()) {
            continue;
        }
        // Changing only the suffix (县 → 市/区) keeps the stem: those are the level changes.
        let old = &r[3];
        if pairs.contains_key(old) && pairs[old].0 != *now {
            ambiguous.insert(old.clone());
        }
        pairs.insert(
            old.clone(),
            (
                now.to_owned(),
                format!("民政部行政区划代码 {}，{} 年变更（yescallop/areacodes, CC0）", r[0], year),
            ),
        );
    }
    for a in &ambiguous {
        pairs.remove(a);
    }
    let mut s = String::from(
        "# Generated by crates/content/examples/build_lexicons.rs from yescallop/areacodes (CC0):\n# divisions renamed (same code, new name) since 2000. Severity minor: an old name may be\n# historical; \"原…\" before it is not flagged.\nname = \"wording-regions\"\nkind = \"wording\"\ncategory = \"行政区划名称\"\nseverity = \"minor\"\nsource = \"yescallop/areacodes result.csv (CC0-1.0)\"\ndescription = \"已更名行政区划的旧称 → 现名称\"\n",
    );
    for (old, (now, src)) in &pairs {
        s.push_str(&format!(
            "\n[[pairs]]\nwrong = {}\nright = {}\nsource = {}\n",
            toml_str(old),
            toml_str(now),
            toml_str(src)
        ));
    }
    fs::write(out_dir().join("wording-regions.toml"), s).unwrap();
    println!("region renames: {}", pairs.len());
}

fn main() {
    build_userdict();
    build_region_wording();
    build_sensitive();
}
