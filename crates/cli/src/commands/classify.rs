//! `govmedia classify FILE`: classify titles, or measure the classifier on labelled titles.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use clap::Args;
use govmedia_content::classify::{self, CATEGORIES, Classifier, Evaluation};

#[derive(Args, Clone, Default)]
pub struct ClassifyArgs {
    /// 自己标注的文章标题（CSV，title、category 列），与内置标注一起训练后再分类
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
    let rows = govmedia_content::classify_csv(&model, std::io::BufReader::new(input), stdout.lock())
        .with_context(|| format!("{}", file.display()))?;
    eprintln!("已分类 {rows} 篇文章");
    Ok(())
}

fn pct(n: usize, d: usize) -> String {
    if d == 0 { "—".to_owned() } else { format!("{:.1}%", 100.0 * n as f64 / d as f64) }
}

/// The evaluation as a plain-text report for evaluators.
fn render(file: &Path, e: &Evaluation) -> String {
    let mut out = format!("标注标题 {} 条（{}）\n", e.titles, file.display());
    if e.overlap > 0 {
        out += &format!("其中 {} 条与内置标注相同，检验时已从内置训练数据中剔除\n", e.overlap);
    }
    out += &format!(
        "内置模型（未用这些标题训练）：准确率 {}（{}/{}）\n",
        pct(e.shipped_correct, e.titles),
        e.shipped_correct,
        e.titles
    );
    out += &format!(
        "加入这些标题训练（{} 折交叉验证，内置标注（不含重复）始终参与训练）：准确率 {}（{}/{}）\n\n",
        e.folds,
        pct(e.cv_correct, e.titles),
        e.cv_correct,
        e.titles
    );
    out += "类别（交叉验证）\t标注数\t召回率\t精确率\n";
    for (c, name) in CATEGORIES.iter().enumerate() {
        let gold: usize = e.confusion[c].iter().sum();
        let predicted: usize = e.confusion.iter().map(|row| row[c]).sum();
        let hit = e.confusion[c][c];
        out += &format!("{name}\t{gold}\t{}\t{}\n", pct(hit, gold), pct(hit, predicted));
    }
    out += "\n混淆矩阵（行：标注类别，列：预测类别）\n\t";
    out += &CATEGORIES.join("\t");
    out.push('\n');
    for (c, name) in CATEGORIES.iter().enumerate() {
        let cells: Vec<String> = e.confusion[c].iter().map(usize::to_string).collect();
        out += &format!("{name}\t{}\n", cells.join("\t"));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn report_shows_both_accuracies_and_the_confusion_matrix() {
        let mut confusion = [[0; 6]; 6];
        confusion[0][0] = 3;
        confusion[0][1] = 1;
        confusion[1][1] = 2;
        let e = Evaluation { titles: 6, overlap: 0, shipped_correct: 4, cv_correct: 5, folds: 5, confusion };
        let text = render(Path::new("mine.csv"), &e);
        assert!(
            text.starts_with(
                "标注标题 6 条（mine.csv）\n内置模型（未用这些标题训练）：准确率 66.7%（4/6）\n"
            )
        );
        assert!(text.contains("（5 折交叉验证，内置标注（不含重复）始终参与训练）：准确率 83.3%（5/6）"));
        assert!(text.contains("政策发布解读\t4\t75.0%\t100.0%\n"));
        assert!(text.contains("政务服务\t2\t100.0%\t66.7%\n"));
        assert!(text.contains("新闻活动\t0\t—\t—\n"));
        assert!(text.contains("政策发布解读\t3\t1\t0\t0\t0\t0\n"));
    }
}
