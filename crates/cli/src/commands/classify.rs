//! `govmedia classify FILE`: classify titles, or measure the classifier on labelled titles.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use clap::Args;
use govmedia_content::classify::metrics::Confusion;
use govmedia_content::classify::{self, CATEGORIES, Classifier, Evaluation, MIN_CONFIDENCE, UNDECIDED};

#[derive(Args, Clone, Default)]
pub struct ClassifyArgs {
    /// 自己标注的文章标题（CSV，title、category 列，可有 account 列），与内置标注语料一起训练后再分类
    #[arg(long, value_name = "CSV", conflicts_with = "evaluate")]
    pub labelled: Option<PathBuf>,
    /// 检验模式：FILE 为标注标题，报告内置模型的准确率，以及加入这些标题训练后的交叉验证准确率
    #[arg(long)]
    pub evaluate: bool,
    /// 交叉验证折数（--evaluate 时）
    #[arg(long, default_value_t = 5, value_parser = clap::value_parser!(u16).range(2..=100))]
    pub folds: u16,
}

pub fn run(file: &Path, args: &ClassifyArgs) -> Result<()> {
    if args.evaluate {
        let labelled = classify::read_labelled_file(file)?;
        anyhow::ensure!(!labelled.is_empty(), "{}: 没有标注标题", file.display());
        let eval = classify::evaluate_labelled(&labelled, usize::from(args.folds));
        print!("{}", render(file, &eval));
        return Ok(());
    }
    let model: std::borrow::Cow<'_, Classifier> = match &args.labelled {
        Some(path) => {
            std::borrow::Cow::Owned(classify::classifier_with(&classify::read_labelled_file(path)?))
        }
        None => std::borrow::Cow::Borrowed(classify::default_classifier()),
    };
    let input = std::fs::File::open(file).with_context(|| format!("{}: 无法打开", file.display()))?;
    let stdout = std::io::stdout();
    let done = govmedia_content::classify_csv(&model, std::io::BufReader::new(input), stdout.lock())
        .with_context(|| format!("{}", file.display()))?;
    eprintln!(
        "已分类 {} 篇文章，其中 {} 篇置信度低于 {MIN_CONFIDENCE}，类别为“{UNDECIDED}”",
        done.rows, done.undecided
    );
    Ok(())
}

fn pct(x: Option<f64>) -> String {
    x.map_or_else(|| "—".to_owned(), |v| format!("{:.1}%", v * 100.0))
}

fn accuracy(m: &Confusion) -> String {
    format!("准确率 {}（{}/{}），宏平均 F1 {}", pct(m.accuracy()), m.correct(), m.total(), pct(m.macro_f1()))
}

/// The evaluation as a plain-text report for evaluators.
fn render(file: &Path, e: &Evaluation) -> String {
    let mut out = format!("标注标题 {} 条（{}）\n", e.titles + e.overlap, file.display());
    if e.overlap > 0 {
        out += &format!("其中 {} 条已在内置标注语料中（内置模型训练过），不参与检验\n", e.overlap);
    }
    out += &format!(
        "内置模型（未用这些标题训练）：{}；置信度低于 {MIN_CONFIDENCE} 的 {} 条在报告中为“{UNDECIDED}”\n",
        accuracy(&e.shipped),
        e.shipped_undecided
    );
    out += &format!(
        "加入这些标题训练（{} 折交叉验证，每折在内置语料与其余各折上继续训练）：{}\n\n",
        e.folds,
        accuracy(&e.cross_validated)
    );
    let m = &e.cross_validated;
    out += "类别（交叉验证）\t标注数\t召回率\t精确率\n";
    for (c, name) in CATEGORIES.iter().enumerate() {
        out += &format!("{name}\t{}\t{}\t{}\n", m.gold(c), pct(m.recall(c)), pct(m.precision(c)));
    }
    out += "\n混淆矩阵（行：标注类别，列：预测类别）\n\t";
    out += &CATEGORIES.join("\t");
    out.push('\n');
    for (c, name) in CATEGORIES.iter().enumerate() {
        let cells: Vec<String> = m.0[c].iter().map(usize::to_string).collect();
        out += &format!("{name}\t{}\n", cells.join("\t"));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn report_shows_both_accuracies_and_the_confusion_matrix() {
        let cv = Confusion::from_pairs([(0, 0), (0, 0), (0, 0), (0, 1), (1, 1), (1, 1)]);
        let shipped = Confusion::from_pairs([(0, 0), (0, 0), (0, 1), (0, 1), (1, 1), (1, 1)]);
        let e = Evaluation {
            titles: 6,
            overlap: 1,
            shipped,
            shipped_undecided: 2,
            cross_validated: cv,
            folds: 5,
        };
        let text = render(Path::new("mine.csv"), &e);
        assert!(text.starts_with("标注标题 7 条（mine.csv）\n其中 1 条已在内置标注语料中"), "{text}");
        assert!(text.contains("内置模型（未用这些标题训练）：准确率 66.7%（4/6），宏平均 F1 "), "{text}");
        assert!(text.contains("置信度低于 0.5 的 2 条在报告中为“未能确定”"), "{text}");
        assert!(
            text.contains("（5 折交叉验证，每折在内置语料与其余各折上继续训练）：准确率 83.3%（5/6）"),
            "{text}"
        );
        assert!(text.contains("政策发布解读\t4\t75.0%\t100.0%\n"));
        assert!(text.contains("政务服务\t2\t100.0%\t66.7%\n"));
        assert!(text.contains("新闻活动\t0\t—\t—\n"));
        assert!(text.contains("政策发布解读\t3\t1\t0\t0\t0\t0\n"));
    }
}
