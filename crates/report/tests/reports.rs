//! End-to-end: the sample results give a survey report (HTML, PDF, Excel) and diagnoses whose
//! text and numbers come from the results.

mod common;

use std::path::Path;
use std::process::Command;
use std::sync::OnceLock;

use calamine::{DataType, Reader, Xlsx, open_workbook};
use govmedia_model::Level;
use govmedia_model::results::Results;
use govmedia_report::{ReportFiles, safe_id, write_reports};

struct Run {
    results: Results,
    files: ReportFiles,
    _dir: tempfile::TempDir,
}

/// One report run shared by the tests (typesetting 21 PDFs takes a moment in debug builds).
fn run() -> &'static Run {
    static RUN: OnceLock<Run> = OnceLock::new();
    RUN.get_or_init(|| {
        let results = common::sample();
        let dir = tempfile::tempdir().unwrap();
        let files = write_reports(&results, dir.path()).unwrap();
        Run { results, files, _dir: dir }
    })
}

fn pdftotext(path: &Path) -> String {
    let out = Command::new("pdftotext")
        .args(["-layout", "-enc", "UTF-8"])
        .arg(path)
        .arg("-")
        .output()
        .expect("pdftotext (poppler-utils) must be installed");
    assert!(out.status.success(), "pdftotext failed: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).unwrap()
}

/// Text without the spaces and line breaks that layout adds.
fn squeeze(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

#[test]
fn pdf_has_headings_and_numbers_from_the_results() {
    let r = run();
    let text = squeeze(&pdftotext(&r.files.pdf));
    for heading in [
        "目录",
        "一、调查研究背景与范围",
        "二、调查研究指标",
        "三、调查研究结果",
        "（二）各层级优秀账号",
        "（三）内容发布质量结果",
        "优秀文章",
        "四、亮点做法总结",
        "五、主要问题分析",
        "六、发展建议",
        "附录：评估方法",
        "（二）未评估事项",
    ] {
        assert!(text.contains(heading), "PDF lacks heading {heading}");
    }
    let n = r.results.accounts.len();
    assert!(text.contains(&format!("共{n}个政务微信公众号")), "account count missing");
    let mean = r.results.accounts.iter().filter_map(|a| a.score).sum::<f64>() / n as f64;
    assert!(text.contains(&format!("平均得分{mean:.1}")), "mean score {mean:.1} missing");
    let vetoed = r.results.accounts.iter().filter(|a| !a.passed).count();
    assert!(text.contains(&format!("共有{vetoed}个账号触发单项否决")));
    // Every excellent account is listed by its owner.
    for a in r.results.accounts.iter().filter(|a| a.excellent) {
        assert!(text.contains(&squeeze(&a.owner)), "excellent {} missing", a.owner);
    }
    // Problems are anonymised: examples name the kind of account, never the account.
    assert!(text.contains("某市政府微信公众号") || text.contains("某省级政府微信公众号"));
    assert!(!text.contains("“示例黄山发布”菜单"), "a problem example names its account");
    // Not-evaluated checks and generated data are stated.
    assert!(text.contains("移动端适配检查未运行"));
    assert!(text.contains("生成的样例数据"));
    // Page numbers in the footer.
    assert!(text.contains("—2—"));
}

#[test]
fn pdf_embeds_only_the_cjk_font() {
    let out = Command::new("pdffonts").arg(&run().files.pdf).output().expect("pdffonts");
    let listing = String::from_utf8(out.stdout).unwrap();
    let fonts: Vec<&str> = listing.lines().skip(2).collect();
    assert!(!fonts.is_empty());
    for f in fonts {
        assert!(f.contains("NotoSansCJK"), "unexpected font: {f}");
        assert!(f.split_whitespace().nth_back(4) == Some("yes"), "font not embedded: {f}");
    }
}

#[test]
fn html_has_its_charts_inline() {
    let html = std::fs::read_to_string(&run().files.html).unwrap();
    for id in [
        "score-distribution",
        "reads-long-tail",
        "findings-by-type",
        "update-heatmap",
        "menu-coverage",
        "comment-funnel",
    ] {
        let at = html.find(&format!("<figure id=\"chart-{id}\">")).unwrap_or_else(|| panic!("no chart {id}"));
        let figure = &html[at..at + html[at..].find("</figure>").unwrap()];
        assert!(figure.contains("<svg"), "chart {id} is not drawn");
    }
    assert!(html.contains("<nav><h2>目录</h2>"));
    assert!(!html.contains("<script"));
}

/// Chromium, as `.ci/run` installs it (or `$CHROME`).
fn chromium() -> std::path::PathBuf {
    std::env::var_os("CHROME")
        .map(Into::into)
        .into_iter()
        .chain(["/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"].map(Into::into))
        .find(|p: &std::path::PathBuf| p.exists())
        .expect("Chromium must be installed (.ci/run installs it) or named by $CHROME")
}

/// The HTML as a reader's browser shows it: printed by headless Chromium, the text has the
/// headings, the table of contents and every chart's title, and nothing is left unrendered.
#[test]
fn html_renders_in_chromium() {
    let r = run();
    let dir = tempfile::tempdir().unwrap();
    let pdf = dir.path().join("printed.pdf");
    let out = Command::new(chromium())
        .args(["--headless", "--no-sandbox", "--disable-gpu", "--no-pdf-header-footer"])
        .arg(format!("--user-data-dir={}", dir.path().join("profile").display()))
        .arg(format!("--print-to-pdf={}", pdf.display()))
        .arg(format!("file://{}", r.files.html.display()))
        .output()
        .unwrap();
    assert!(pdf.exists(), "Chromium printed nothing: {}", String::from_utf8_lossy(&out.stderr));
    let text = squeeze(&pdftotext(&pdf));
    for expected in ["目录", "一、调查研究背景与范围", "五、主要问题分析", "附录：评估方法", "图1", "图6"]
    {
        assert!(text.contains(expected), "the printed HTML lacks {expected}");
    }
    let accounts = r.results.accounts.len().to_string();
    assert!(text.contains(&format!("共{accounts}个")), "the account count is not shown");
}

#[test]
fn workbook_has_the_right_rows() {
    let r = run();
    let mut wb: Xlsx<_> = open_workbook(&r.files.xlsx).unwrap();
    for level in [Level::Ministry, Level::Province, Level::ProvinceDept, Level::Prefecture, Level::County] {
        let sheet = wb.worksheet_range(&format!("{}排名", level.label())).unwrap();
        let n = r.results.accounts.iter().filter(|a| a.level == level).count();
        assert_eq!(sheet.height(), n + 1, "{level}");
        // Rows are in rank order.
        let ranks: Vec<f64> = sheet.rows().skip(1).map(|row| row[0].get_float().unwrap()).collect();
        assert!(ranks.windows(2).all(|w| w[0] < w[1]));
    }
    let findings: usize = r.results.accounts.iter().map(|a| a.findings.len()).sum();
    let sheet = wb.worksheet_range("问题清单").unwrap();
    assert_eq!(sheet.height(), findings + 1);
    assert!(sheet.rows().skip(1).any(|row| row[9].to_string().contains("菜单路径：办事服务/社保查询")));
    let sheet = wb.worksheet_range("指标得分").unwrap();
    assert_eq!(sheet.height(), r.results.accounts.len() + 1);
    assert_eq!(sheet.width(), 6 + 11);
    let sheet = wb.worksheet_range("未评估事项").unwrap();
    assert!(sheet.height() > r.results.not_evaluated.len());
}

#[test]
fn every_account_has_a_diagnosis_with_vetoes_first_and_fixes() {
    let r = run();
    assert_eq!(r.files.diagnoses.len(), r.results.accounts.len());
    let vetoed =
        r.results.accounts.iter().find(|a| a.vetoes.iter().any(|v| v == "update.stale_14d")).unwrap();
    let d = r.files.diagnoses.iter().find(|d| d.account == vetoed.id).unwrap();
    assert!(d.pdf.ends_with(format!("diagnoses/{}.pdf", safe_id(&vetoed.id))));
    let text = squeeze(&pdftotext(&d.pdf));
    let veto = text.find("二、单项否决").unwrap();
    let problems = text.find("四、问题与整改建议").unwrap();
    assert!(veto < problems);
    assert!(text[veto..problems].contains("两周内未更新"));
    assert!(text.contains("已触发“两周未更新”单项否决"));
    assert!(text.contains(&format!("第{}名", vetoed.rank.unwrap())));
    assert!(text.contains("整改建议：立即恢复更新"));

    let warned = r
        .results
        .accounts
        .iter()
        .find(|a| a.passed && a.findings.iter().any(|f| f.code.as_str() == "update.stale_warning"))
        .unwrap();
    let date = warned.findings.iter().find_map(|f| f.evidence.get("veto_date")).unwrap().as_str().unwrap();
    let d = r.files.diagnoses.iter().find(|d| d.account == warned.id).unwrap();
    let text = squeeze(&pdftotext(&d.pdf));
    assert!(text.contains(&format!("将于{date}触发")), "veto date {date} missing");
    assert!(text.contains("本层级中位数"));
    let html = std::fs::read_to_string(&d.html).unwrap();
    assert!(html.contains("<svg"), "diagnosis lacks its indicator chart");
}

#[test]
fn same_results_give_the_same_bytes() {
    let r = run();
    let dir = tempfile::tempdir().unwrap();
    let again = write_reports(&r.results, dir.path()).unwrap();
    let same = |a: &Path, b: &Path| std::fs::read(a).unwrap() == std::fs::read(b).unwrap();
    assert!(same(&r.files.html, &again.html));
    assert!(same(&r.files.pdf, &again.pdf));
    assert!(same(&r.files.xlsx, &again.xlsx));
    for (a, b) in r.files.diagnoses.iter().zip(&again.diagnoses) {
        assert!(same(&a.pdf, &b.pdf) && same(&a.html, &b.html), "{}", a.account);
    }
}

/// Issue 17 (items 1, 2, 11, 13): an account without a score, reads that were not collected,
/// the AI category of excellent articles, 省级部门 by province and field and the 2025 report's
/// figures all reach the report, the workbook and the diagnosis as what they are.
#[test]
fn unscored_accounts_uncollected_reads_and_the_reports_figures_are_shown() {
    let mut results = common::sample();
    let id = results.accounts[0].id.clone();
    {
        let a = &mut results.accounts[0];
        (a.score, a.rank) = (None, None);
        a.not_evaluated = Some("未评估：指标体系中没有任何指标可对该账号评估（未采集菜单）".into());
    }
    for a in &mut results.accounts {
        a.stats.remove("reads");
    }
    let s = &mut results.statistics;
    s.insert(
        "province_dept".into(),
        serde_json::json!({
            "by_province": {"440000": {"name": "广东省", "accounts": 3, "passed": 3, "mean_score": 81.5, "median_score": 80.0}},
            "by_field": {"民政": {"accounts": 2, "passed": 2, "mean_score": 83.0, "median_score": 83.0}},
        }),
    );
    s.insert(
        "report_statistics".into(),
        serde_json::json!([
            {"figure": "抽样文章数", "report_2025": "29684篇", "value": 120},
            {"figure": "未开设微信公众号的单位", "report_2025": "2个", "not_available": "数据集只含已开设的账号"},
        ]),
    );
    let dir = tempfile::tempdir().unwrap();
    let files = write_reports(&results, dir.path()).unwrap();
    let html = std::fs::read_to_string(&files.html).unwrap();
    for text in [
        "不给出得分、不参与排名（不视为 0 分）",
        "阅读量：未采集",
        "阅读量未采集",
        "省级政府职能部门分省份、分领域结果",
        "从省份来看，广东省",
        "与2025年全国调查报告统计项对照",
        "不可用：数据集只含已开设的账号",
        "<th>AI分类</th>",
    ] {
        assert!(html.contains(text), "report lacks “{text}”");
    }
    assert!(html.contains("未采集菜单"), "the unscored account's reason is not listed");
    let mut wb: Xlsx<_> = open_workbook(&files.xlsx).unwrap();
    let level = results.accounts[0].level;
    let sheet = wb.worksheet_range(&format!("{}排名", level.label())).unwrap();
    let row = sheet.rows().find(|r| r[1].to_string() == id).unwrap();
    assert_eq!((row[0].to_string(), row[6].to_string()), ("未评估".to_owned(), "未评估".to_owned()));
    let d = files.diagnoses.iter().find(|d| d.account == id).unwrap();
    let diagnosis = std::fs::read_to_string(&d.html).unwrap();
    assert!(diagnosis.contains("无得分，不参与排名"), "diagnosis does not say the account is unranked");
}
