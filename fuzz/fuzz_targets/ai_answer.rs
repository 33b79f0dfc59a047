//! A model's answer text: JSON extraction, then validation as every answer type.
#![no_main]

use govmedia_ai::schema::{Answer, ReviewContext, extract_json};
use govmedia_ai::{CategoryJudgement, QualityJudgement, RelevanceJudgement, ReplyJudgement, ReviewJudgement};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let Ok(v) = extract_json(text) else { return };
    let _ = CategoryJudgement::validate(&v, &());
    let _ = QualityJudgement::validate(&v, &());
    let _ = ReplyJudgement::validate(&v, &());
    let _ = RelevanceJudgement::validate(&v, &());
    let ctx = ReviewContext { title: "关于做好防汛工作的通知".into(), content: "各区县：请做好防汛准备。".into() };
    let _ = ReviewJudgement::validate(&v, &ctx);
});
