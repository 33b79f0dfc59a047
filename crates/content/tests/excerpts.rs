//! Excerpts in safety findings quote the masked text: no personal number can be read from
//! them, not even one that the excerpt's window cuts in two.

use govmedia_content::safety::SafetyCheck;
use govmedia_model::time::parse_time;
use govmedia_model::{Article, FindingCode};

/// The longest run of digits that `excerpt` shares with `number`.
fn longest_shared(excerpt: &str, number: &str) -> usize {
    let digits: Vec<char> = excerpt.chars().filter(|c| c.is_ascii_digit() || *c == 'X').collect();
    let n: Vec<char> = number.chars().collect();
    let mut best = 0;
    for i in 0..digits.len() {
        for j in 0..n.len() {
            let k = digits[i..].iter().zip(&n[j..]).take_while(|(a, b)| a == b).count();
            best = best.max(k);
        }
    }
    best
}

fn excerpt_of(body: &str) -> String {
    let mut a =
        Article::new("a", "https://mp.weixin.qq.com/s/x", "公示", parse_time("t", "2025-03-01").unwrap());
    a.content = Some(body.to_owned());
    let (findings, _) = SafetyCheck::new().article_findings(&a);
    let f = findings.iter().find(|f| f.code == FindingCode::ContentPiiExposed).expect("a pii finding");
    f.evidence["excerpt"].as_str().unwrap().to_owned()
}

#[test]
fn the_phone_beside_an_id_number_is_masked_in_the_excerpt() {
    let ex = excerpt_of("经审核，张三，身份证号11010519491231002X，手机13900000121，现予公示。");
    assert!(ex.contains("110105********002X"), "{ex}");
    assert!(longest_shared(&ex, "13900000121") <= 4, "{ex}");
}

#[test]
fn a_number_cut_by_the_excerpt_window_is_masked_too() {
    // Fifteen characters after the ID end inside the phone number: the old excerpt showed
    // its first ten digits.
    let ex = excerpt_of("张三，身份证号11010519491231002X，联系电话：13900000121，现予公示。");
    assert!(longest_shared(&ex, "13900000121") <= 4, "{ex}");
    let ex = excerpt_of("联系电话：13900000121 13900000122，张三，身份证号11010519491231002X。");
    assert!(longest_shared(&ex, "13900000122") <= 4, "{ex}");
}
