//! Article classification into the survey's six categories, with a confidence.
//!
//! A multinomial logistic regression ([`linear`]) over character n-grams and jieba words of
//! the title, the body's first characters, the account's field and level and the article's
//! position ([`features`]), and — when an account's other articles are classified together —
//! the account's own category mix: a small second stage adds, for each category, the mean
//! probability of the account's other articles, with weights learned on out-of-fold
//! predictions. Trained on the labelled corpus of [`corpus`] (`docs/classification.md` says
//! how it was labelled); the weights ship as `lexicons/classify-model.tsv`, rebuilt by
//! `cargo run --release -p govmedia-content --example classify_corpus -- build`.
//!
//! Below [`MIN_CONFIDENCE`] the category is [`UNDECIDED`]: a confident wrong label in the
//! report is worse than an honest "未能确定". Evaluators' own labelled titles refine the
//! shipped model ([`classifier_with`]): it is trained further on the shipped titles plus
//! theirs, regularised towards the shipped weights, since the feed titles of the corpus may
//! not be copied into the repository.

pub mod bayes;
pub mod corpus;
pub mod features;
pub mod linear;
pub mod metrics;

use std::collections::{HashMap, HashSet};
use std::io::{Read, Write};
use std::sync::LazyLock;

pub use corpus::Item;
pub use features::Context;
use linear::{K, Linear, Sample, Settings, argmax, softmax};
use metrics::Confusion;

/// The six categories of the 2025 survey.
pub const CATEGORIES: [&str; K] =
    ["政策发布解读", "政务服务", "社会关切", "经验总结", "科教文史", "新闻活动"];
/// What is reported instead of a category below [`MIN_CONFIDENCE`].
pub use govmedia_model::results::UNDECIDED_CATEGORY as UNDECIDED;
/// Probability of the best category below which it is not reported. Chosen on the held-out
/// part of the corpus: above it the model is right about eight times in ten (81 %, for 85 %
/// of the titles; see README).
pub const MIN_CONFIDENCE: f32 = 0.5;
/// An account's category mix is used once this many of its other articles are classified.
const MIN_MIX: usize = 3;
/// Folds for the out-of-fold predictions the account-mix weights are learned on.
const MIX_FOLDS: usize = 5;

const MODEL: &str = include_str!("../../../../lexicons/classify-model.tsv");

/// The classifier's view of one article: a probability per category.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Prediction {
    pub probabilities: [f32; K],
}

impl Prediction {
    /// Index into [`CATEGORIES`] of the most probable category.
    pub fn category(&self) -> usize {
        argmax(self.probabilities)
    }

    /// Probability of the most probable category.
    pub fn confidence(&self) -> f32 {
        self.probabilities[self.category()]
    }

    /// Whether the confidence reaches [`MIN_CONFIDENCE`].
    pub fn is_decided(&self) -> bool {
        self.confidence() >= MIN_CONFIDENCE
    }

    /// The category's name, or [`UNDECIDED`] below [`MIN_CONFIDENCE`].
    pub fn label(&self) -> &'static str {
        if self.is_decided() { CATEGORIES[self.category()] } else { UNDECIDED }
    }
}

/// A trained classifier.
#[derive(Debug, Clone, PartialEq)]
pub struct Classifier {
    model: Linear,
}

/// The feature vectors of labelled items, weighted as `settings` say, with the names of
/// their features.
fn samples(items: &[Item], settings: &Settings) -> (Vec<Sample>, HashMap<u64, String>) {
    let mut names = HashMap::new();
    let mut buf = String::new();
    let mut per_class = [0f32; K];
    for i in items {
        per_class[i.category] += 1.0;
    }
    let samples = items
        .iter()
        .map(|item| {
            let mut x = Vec::new();
            features::for_each(&item.title, &item.context(), &mut buf, |name, v| {
                let k = features::key(name);
                names.entry(k).or_insert_with(|| name.to_owned());
                x.push((k, v));
            });
            let mut weight = if item.is_news() { settings.news_weight } else { 1.0 };
            if settings.balance {
                weight *= items.len() as f32 / (K as f32 * per_class[item.category]);
            }
            Sample { x: features::merge(x), y: item.category, weight }
        })
        .collect();
    (samples, names)
}

/// The cue words as samples weighted `settings.cue_weight` (none when it is 0).
fn samples_of_cues(settings: &Settings) -> (Vec<Sample>, HashMap<u64, String>) {
    if settings.cue_weight <= 0.0 {
        return (Vec::new(), HashMap::new());
    }
    let (cues, names) = samples(&corpus::cue_words().0, &Settings { balance: false, ..*settings });
    (cues.into_iter().map(|s| Sample { weight: settings.cue_weight, ..s }).collect(), names)
}

/// Name of the account-mix feature of category `c`.
fn mix_name(c: usize) -> String {
    format!("m:{}", CATEGORIES[c])
}

impl Classifier {
    /// Trains from scratch on `items` (plus the cue words, as `settings` say): the title
    /// model, then the account-mix weights on out-of-fold predictions of the items.
    pub fn train(items: &[Item], settings: Settings) -> Self {
        let (samples, mut names) = samples(items, &settings);
        let (cue_samples, cue_names) = samples_of_cues(&settings);
        names.extend(cue_names);
        let with_cues = |part: &mut dyn Iterator<Item = &Sample>| -> Vec<Sample> {
            part.cloned().chain(cue_samples.iter().cloned()).collect()
        };
        let mut model = Linear::train(&with_cues(&mut samples.iter()), &names, None, settings);
        let mut oof = vec![[0f32; K]; items.len()];
        for fold in 0..MIX_FOLDS {
            let train = with_cues(
                &mut samples.iter().enumerate().filter(|(i, _)| i % MIX_FOLDS != fold).map(|(_, s)| s),
            );
            let m = Linear::train(&train, &HashMap::new(), None, settings);
            for (i, s) in samples.iter().enumerate().filter(|(i, _)| i % MIX_FOLDS == fold) {
                oof[i] = m.logits(&s.x);
            }
        }
        let groups = account_groups(items.iter().map(|i| i.account.as_deref()));
        let mix = learn_mix(&oof, &groups, &samples.iter().map(|s| s.y).collect::<Vec<_>>());
        model.set_rows((0..K).map(|j| (mix_name(j), mix[j])));
        Classifier { model }
    }

    /// This classifier trained further on `items`, regularised towards its current weights.
    pub fn refined(&self, items: &[Item], settings: Settings) -> Self {
        let (samples, names) = samples(items, &settings);
        Classifier { model: Linear::train(&samples, &names, Some(&self.model), settings) }
    }

    /// Reads a model file ([`Classifier::to_text`]).
    pub fn from_text(text: &str) -> Result<Self, String> {
        Linear::read(text).map(|model| Classifier { model })
    }

    /// The model file; features whose weights all stay below `min_weight` are left out.
    pub fn to_text(&self, min_weight: f32) -> String {
        let mut model = self.model.clone();
        model.prune(min_weight);
        model.write()
    }

    /// Number of features with weights.
    pub fn features(&self) -> usize {
        self.model.len()
    }

    /// Class scores of one article, its features added as they are named (no vector built).
    fn logits(&self, title: &str, ctx: &Context<'_>) -> [f32; K] {
        let mut z = self.model.bias();
        features::for_each(title, ctx, &mut String::new(), |name, v| {
            self.model.add(&mut z, features::key(name), v);
        });
        z
    }

    /// One article on its own.
    pub fn predict(&self, title: &str, ctx: &Context<'_>) -> Prediction {
        Prediction { probabilities: softmax(self.logits(title, ctx)) }
    }

    /// The articles of one account together: each article's prediction also reads the
    /// account's mix of categories among its other articles.
    pub fn predict_account(&self, articles: &[(&str, Context<'_>)]) -> Vec<Prediction> {
        let logits: Vec<[f32; K]> = articles.iter().map(|(t, c)| self.logits(t, c)).collect();
        self.with_mix(&logits, &[(0..articles.len()).collect()])
    }

    /// Labelled items, grouped by account for the mix (items without an account alone).
    pub fn predict_items(&self, items: &[Item]) -> Vec<Prediction> {
        let logits: Vec<[f32; K]> = items.iter().map(|i| self.logits(&i.title, &i.context())).collect();
        self.with_mix(&logits, &account_groups(items.iter().map(|i| i.account.as_deref())))
    }

    fn with_mix(&self, logits: &[[f32; K]], groups: &[Vec<usize>]) -> Vec<Prediction> {
        let weights: Vec<[f32; K]> = (0..K).map(|j| self.model.row(&mix_name(j))).collect();
        let mut out: Vec<Prediction> =
            logits.iter().map(|z| Prediction { probabilities: softmax(*z) }).collect();
        for (i, mix) in leave_one_out_mix(logits, groups) {
            let mut z = logits[i];
            for (j, share) in mix.iter().enumerate() {
                for c in 0..K {
                    z[c] += share * weights[j][c];
                }
            }
            out[i] = Prediction { probabilities: softmax(z) };
        }
        out
    }
}

/// Indices grouped by account; an item without an account is a group of its own.
fn account_groups<'a>(accounts: impl Iterator<Item = Option<&'a str>>) -> Vec<Vec<usize>> {
    let mut by: HashMap<&str, Vec<usize>> = HashMap::new();
    let mut groups = Vec::new();
    for (i, a) in accounts.enumerate() {
        match a {
            Some(a) => by.entry(a).or_default().push(i),
            None => groups.push(vec![i]),
        }
    }
    groups.extend(by.into_values());
    groups.sort();
    groups
}

/// For each article of a group with at least [`MIN_MIX`] others: the mean probabilities of
/// the others.
fn leave_one_out_mix(logits: &[[f32; K]], groups: &[Vec<usize>]) -> Vec<(usize, [f32; K])> {
    let mut out = Vec::new();
    for g in groups.iter().filter(|g| g.len() > MIN_MIX) {
        let probs: Vec<[f32; K]> = g.iter().map(|i| softmax(logits[*i])).collect();
        let sum: [f32; K] = std::array::from_fn(|c| probs.iter().map(|p| p[c]).sum());
        let others = (g.len() - 1) as f32;
        for (i, p) in g.iter().zip(&probs) {
            out.push((*i, std::array::from_fn(|c| (sum[c] - p[c]) / others)));
        }
    }
    out
}

/// Weights of the account mix: `logits[i] + Σ_j mix_ij · W[j]` fitted to the labels by
/// gradient descent on the cross-entropy, the per-article logits held fixed.
fn learn_mix(logits: &[[f32; K]], groups: &[Vec<usize>], y: &[usize]) -> [[f32; K]; K] {
    const STEPS: usize = 300;
    const RATE: f32 = 1.0;
    const L2: f32 = 1e-3;
    let rows = leave_one_out_mix(logits, groups);
    let mut w = [[0f32; K]; K];
    if rows.is_empty() {
        return w;
    }
    for _ in 0..STEPS {
        let mut grad = [[0f32; K]; K];
        for (i, mix) in &rows {
            let mut z = logits[*i];
            for j in 0..K {
                for c in 0..K {
                    z[c] += mix[j] * w[j][c];
                }
            }
            let p = softmax(z);
            for j in 0..K {
                for c in 0..K {
                    grad[j][c] += mix[j] * (p[c] - f32::from(u8::from(c == y[*i])));
                }
            }
        }
        let n = rows.len() as f32;
        for j in 0..K {
            for c in 0..K {
                w[j][c] -= RATE * (grad[j][c] / n + L2 * w[j][c]);
            }
        }
    }
    w
}

static DEFAULT: LazyLock<Classifier> =
    LazyLock::new(|| Classifier::from_text(MODEL).expect("shipped model file is valid"));

/// The shipped classifier.
pub fn default_classifier() -> &'static Classifier {
    &DEFAULT
}

/// The shipped classifier trained further on the shipped titles plus `extra` (an
/// evaluator's own labelled titles).
pub fn classifier_with(extra: &[Item]) -> Classifier {
    let mut items = corpus::shipped_titles();
    items.extend_from_slice(extra);
    default_classifier().refined(&items, Settings::default())
}

/// Reads labelled titles: a CSV with a `title` and a `category` column, and optionally an
/// `account` column (titles of one account are classified together). Other columns, such as
/// `unit`, are ignored. `source` names the input in errors.
pub fn read_labelled(input: impl Read, source: &str) -> Result<Vec<Item>, ClassifyError> {
    let mut r = csv::ReaderBuilder::new().flexible(true).from_reader(input);
    let headers = r.headers().map_err(|e| ClassifyError::at(source, &e))?.clone();
    let col = |name: &str| headers.iter().position(|h| h.trim().trim_start_matches('\u{feff}') == name);
    let missing = |column| ClassifyError::MissingColumn { file: source.to_owned(), column };
    let title = col("title").ok_or_else(|| missing("title"))?;
    let category = col("category").ok_or_else(|| missing("category"))?;
    let account = col("account");
    let mut out = Vec::new();
    for rec in r.records() {
        let rec = rec.map_err(|e| ClassifyError::at(source, &e))?;
        let line = rec.position().map_or(0, |p| p.line());
        let bad = |field: &'static str, reason: String| ClassifyError::Row {
            file: source.to_owned(),
            line,
            field,
            reason,
        };
        let t = rec.get(title).map(str::trim).unwrap_or("");
        if t.is_empty() {
            return Err(bad("title", "标题为空".into()));
        }
        let label = rec.get(category).map(str::trim).unwrap_or("");
        let c = CATEGORIES
            .iter()
            .position(|k| *k == label)
            .ok_or_else(|| bad("category", format!("未知类别「{label}」，应为 {}", CATEGORIES.join("、"))))?;
        let mut item = Item::new(format!("{source}:{line}"), t, c);
        item.account =
            account.and_then(|a| rec.get(a)).map(str::trim).filter(|a| !a.is_empty()).map(str::to_owned);
        item.field = item.account.as_deref().and_then(features::field_from_name);
        out.push(item);
    }
    Ok(out)
}

/// [`read_labelled`] on a file.
pub fn read_labelled_file(path: &std::path::Path) -> Result<Vec<Item>, ClassifyError> {
    let file = path.display().to_string();
    let f = std::fs::File::open(path)
        .map_err(|e| ClassifyError::Read { file: file.clone(), message: e.to_string() })?;
    read_labelled(std::io::BufReader::new(f), &file)
}

/// Errors of [`classify_csv`], [`read_labelled`] and the corpus readers.
#[derive(Debug, thiserror::Error)]
pub enum ClassifyError {
    #[error("CSV 读写失败: {0}")]
    Csv(#[from] csv::Error),
    #[error("CSV 缺少 title 列")]
    MissingTitle,
    #[error("{file}: 缺少 {column} 列")]
    MissingColumn { file: String, column: &'static str },
    #[error("{file}:{line}: {field}: {reason}")]
    Row { file: String, line: u64, field: &'static str, reason: String },
    #[error("{file}: {message}")]
    Read { file: String, message: String },
    #[error("写出失败: {0}")]
    Io(#[from] std::io::Error),
}

impl ClassifyError {
    fn at(source: &str, e: &csv::Error) -> Self {
        let message = match e.position() {
            Some(p) => format!("第 {} 行: {e}", p.line()),
            None => e.to_string(),
        };
        ClassifyError::Read { file: source.to_owned(), message }
    }
}

/// How the classifier does on an evaluator's labelled titles.
#[derive(Debug, Clone, PartialEq)]
pub struct Evaluation {
    /// Labelled titles evaluated.
    pub titles: usize,
    /// Titles left out because the shipped model was trained on them (they are in its
    /// corpus).
    pub overlap: usize,
    /// The shipped classifier: `[gold][predicted]`.
    pub shipped: Confusion,
    /// Of those, predictions below [`MIN_CONFIDENCE`] (reported as 未能确定).
    pub shipped_undecided: usize,
    /// k-fold cross-validation, each fold's model refined on the shipped titles plus the
    /// other folds.
    pub cross_validated: Confusion,
    /// Folds used.
    pub folds: usize,
}

/// Measures the shipped classifier on `labelled`, and what training on them adds (k-fold
/// cross-validation, folds dealt round-robin within each category).
pub fn evaluate_labelled(labelled: &[Item], folds: usize) -> Evaluation {
    let known: HashSet<String> = corpus::shipped_titles()
        .iter()
        .map(|i| corpus::title_fnv(&i.title))
        .chain(corpus::feed_labels().into_iter().map(|l| l.title_fnv))
        .collect();
    let items: Vec<Item> =
        labelled.iter().filter(|i| !known.contains(&corpus::title_fnv(&i.title))).cloned().collect();
    let overlap = labelled.len() - items.len();
    if items.is_empty() {
        let nothing = Confusion::default();
        return Evaluation {
            titles: 0,
            overlap,
            shipped: nothing,
            shipped_undecided: 0,
            cross_validated: nothing,
            folds,
        };
    }
    let folds = folds.clamp(2, items.len().max(2));
    let shipped_pred = default_classifier().predict_items(&items);
    let shipped =
        Confusion::from_pairs(items.iter().zip(&shipped_pred).map(|(i, p)| (i.category, p.category())));
    let shipped_undecided = shipped_pred.iter().filter(|p| !p.is_decided()).count();
    let fold_of = deal_folds(&items, folds);
    let mut pairs = Vec::new();
    for f in 0..folds {
        let (test, train): (Vec<_>, Vec<_>) = items.iter().zip(&fold_of).partition(|(_, g)| **g == f);
        let train: Vec<Item> = train.into_iter().map(|(i, _)| i.clone()).collect();
        let test: Vec<Item> = test.into_iter().map(|(i, _)| i.clone()).collect();
        let model = classifier_with(&train);
        pairs.extend(test.iter().zip(model.predict_items(&test)).map(|(i, p)| (i.category, p.category())));
    }
    Evaluation {
        titles: items.len(),
        overlap,
        shipped,
        shipped_undecided,
        cross_validated: Confusion::from_pairs(pairs),
        folds,
    }
}

/// Fold of each item: dealt round-robin within each category, so that every fold keeps the
/// class proportions.
fn deal_folds(items: &[Item], k: usize) -> Vec<usize> {
    let mut next = [0usize; K];
    items
        .iter()
        .map(|i| {
            let f = next[i.category] % k;
            next[i.category] += 1;
            f
        })
        .collect()
}

/// A non-empty cell of an optional column.
fn cell(rec: &csv::StringRecord, col: Option<usize>) -> Option<&str> {
    col.and_then(|c| rec.get(c)).filter(|s| !s.is_empty())
}

/// What [`classify_csv`] did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Classified {
    pub rows: usize,
    /// Rows whose category is [`UNDECIDED`].
    pub undecided: usize,
}

/// Reads a CSV with a `title` column (optionally `content` and `account`: titles of one
/// account are classified together) and writes the same CSV with a `category` column (replaced
/// if present; [`UNDECIDED`] below [`MIN_CONFIDENCE`]) and a `category_confidence` column.
pub fn classify_csv(
    model: &Classifier,
    input: impl Read,
    output: impl Write,
) -> Result<Classified, ClassifyError> {
    let mut r = csv::ReaderBuilder::new().flexible(true).from_reader(input);
    let headers = r.headers()?.clone();
    let col = |name: &str| headers.iter().position(|h| h.trim().trim_start_matches('\u{feff}') == name);
    let title = col("title").ok_or(ClassifyError::MissingTitle)?;
    let (content, account) = (col("content"), col("account"));
    let (category, confidence) = (col("category"), col("category_confidence"));
    let records: Vec<csv::StringRecord> = r.records().collect::<Result<_, _>>()?;
    let mut predictions = vec![None; records.len()];
    for group in account_groups(records.iter().map(|rec| cell(rec, account))) {
        let articles: Vec<(&str, Context<'_>)> = group
            .iter()
            .map(|i| {
                let rec = &records[*i];
                let ctx = Context {
                    body: cell(rec, content),
                    field: cell(rec, account).and_then(features::field_from_name),
                    ..Context::default()
                };
                (rec.get(title).unwrap_or(""), ctx)
            })
            .collect();
        for (i, p) in group.iter().zip(model.predict_account(&articles)) {
            predictions[*i] = Some(p);
        }
    }
    let mut w = csv::Writer::from_writer(output);
    let mut out_headers = headers.clone();
    for (name, present) in [("category", category), ("category_confidence", confidence)] {
        if present.is_none() {
            out_headers.push_field(name);
        }
    }
    w.write_record(&out_headers)?;
    let mut done = Classified::default();
    for (rec, p) in records.iter().zip(predictions) {
        let p = p.expect("every row is in one group");
        let confidence_text = format!("{:.2}", p.confidence());
        let mut row: Vec<&str> = rec.iter().collect();
        for (value, at) in [(p.label(), category), (confidence_text.as_str(), confidence)] {
            match at {
                Some(i) if i < row.len() => row[i] = value,
                _ => row.push(value),
            }
        }
        w.write_record(&row)?;
        done.rows += 1;
        done.undecided += usize::from(!p.is_decided());
    }
    w.flush()?;
    Ok(done)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn predict(title: &str) -> &'static str {
        CATEGORIES[default_classifier().predict(title, &Context::default()).category()]
    }

    #[test]
    fn classifies_clear_titles() {
        assert_eq!(predict("关于印发《城市更新实施办法》的通知（全文+解读）"), "政策发布解读");
        assert_eq!(predict("医保电子凭证怎么申领？办理指引来了"), "政务服务");
        assert_eq!(predict("市长主持召开常务会议"), "新闻活动");
        assert_eq!(predict("警惕！这类短信千万别信，已有多人被骗"), "社会关切");
    }

    #[test]
    fn low_confidence_is_reported_as_undecided() {
        let flat = Prediction { probabilities: [0.3, 0.2, 0.2, 0.1, 0.1, 0.1] };
        assert_eq!((flat.category(), flat.label()), (0, UNDECIDED));
        let sure = Prediction { probabilities: [0.05, 0.8, 0.05, 0.05, 0.03, 0.02] };
        assert_eq!(sure.label(), "政务服务");
    }

    #[test]
    fn csv_gets_a_category_and_a_confidence_column() {
        let input = "id,title\n1,一图读懂2025年入学政策\n2,\"公积金提取，网上就能办理\"\n3,早安\n";
        let mut out = Vec::new();
        let done = classify_csv(default_classifier(), input.as_bytes(), &mut out).unwrap();
        assert_eq!(done.rows, 3);
        let s = String::from_utf8(out).unwrap();
        let lines: Vec<&str> = s.lines().collect();
        assert_eq!(lines[0], "id,title,category,category_confidence");
        assert!(lines[1].starts_with("1,一图读懂2025年入学政策,政策发布解读,0."), "{}", lines[1]);
        assert!(lines[2].contains(",政务服务,"), "{}", lines[2]);
        assert_eq!(done.undecided, s.matches(UNDECIDED).count());
        assert!(matches!(
            classify_csv(default_classifier(), "id,name\n1,x\n".as_bytes(), Vec::new()),
            Err(ClassifyError::MissingTitle)
        ));
    }

    #[test]
    fn an_account_mix_moves_an_ambiguous_title() {
        let c = default_classifier();
        let ctx = Context::default();
        let alone = c.predict("请注意！", &ctx);
        let fraud = [
            "警惕新型诈骗，已有多人被骗",
            "防范电信诈骗，这些套路要当心",
            "刷单返利都是诈骗",
            "冒充客服诈骗案例曝光",
        ];
        let mut articles: Vec<(&str, Context<'_>)> = fraud.iter().map(|t| (*t, ctx)).collect();
        articles.push(("请注意！", ctx));
        let together = c.predict_account(&articles);
        assert!(together[4].probabilities[2] > alone.probabilities[2], "{alone:?} {:?}", together[4]);
    }

    #[test]
    fn an_evaluators_titles_refine_the_shipped_model() {
        let mine: Vec<Item> =
            (1..=10).map(|i| Item::new(format!("mine:{i}"), format!("青苗行动第{i}期"), 4)).collect();
        let e = evaluate_labelled(&mine, 5);
        assert_eq!((e.titles, e.folds, e.overlap), (10, 5, 0));
        assert_eq!((e.cross_validated.total(), e.cross_validated.correct()), (10, 10), "{e:?}");
        // The shipped model leans the right way but is unsure; the evaluator's titles make it
        // sure.
        assert_eq!(e.shipped_undecided, 10, "{e:?}");
        let refined = classifier_with(&mine).predict("青苗行动第11期", &Context::default());
        assert_eq!((refined.category(), refined.is_decided()), (4, true), "{refined:?}");
    }

    #[test]
    fn titles_of_the_shipped_corpus_are_not_evaluated() {
        let shipped = corpus::shipped_titles();
        let e = evaluate_labelled(&shipped[..20], 2);
        assert_eq!((e.titles, e.overlap), (0, 20));
    }
}
