//! Issue 23, item 5: ordinary service wording about documents (证件办理, 办理驾驶证, 办证中心,
//! 证件网上办理, 证件照) and the names of real documents (教师资格证, 职称证书, 人民警察证) are no
//! sensitive terms; fake-document offers still are.

use govmedia_content::lexicon::{Kind, builtin};

/// The deny terms found in `text`.
fn denied(text: &str) -> Vec<String> {
    builtin()
        .scan(text)
        .into_iter()
        .filter(|h| h.entry.kind == Kind::Deny)
        .map(|h| h.entry.term.clone())
        .collect()
}

#[test]
fn document_services_are_not_sensitive() {
    for text in [
        "关于道路运输证件办理的通知",
        "道路运输证件办理指南：道路运输经营许可证、从业资格证件办理可在政务服务网在线申请。",
        "出入境证件办理须知：办理出入境证件需本人到场。",
        "市民可在政务服务中心办理各类证件，办理证件请携带本人身份证原件。",
        "办理证明材料请到户籍所在地社区居委会。",
        "车管所办证中心搬迁公告：办理驾驶证、行驶证业务的群众请到新址。",
        "因私出国证件办理流程：办理出国证件须经所在单位审批。",
        "社区网格员为行动不便的老人上门代办证件。",
        "教师资格证书、从业资格证件网上办理已全面开通。",
        "为群众免费拍摄制作证件照。",
        "办理资格证书、职称证书的申请人请于3月1日前提交材料。",
        "2025年上半年中小学教师资格证考试报名、计算机等级证书领取通知。",
        "民警执法时应出示人民警察证；学历认证可在学信网快速办理。",
        "交警快速取证后撤离现场；自考毕业证、护士证、医师资格证遗失补办指南。",
        "执业药师资格证考试成绩查询，导游资格证考试报名。",
    ] {
        assert_eq!(denied(text), Vec::<String>::new(), "{text}");
    }
}

#[test]
fn fake_document_offers_are_still_caught() {
    for (text, term) in [
        ("专业办理假证件，加微信详谈", "办理假证件"),
        ("证件办理qq：123456，当天取件", "证件办理qq"),
        ("代办假证公司，各类证件包过", "代办假证公司"),
        ("出售高仿真证件，质量保证", "出售高仿真证件"),
        ("假证件办理公司联系方式", "假证件办理公司"),
    ] {
        let found = denied(text);
        assert!(found.iter().any(|t| t == term), "{text}: {found:?}");
    }
}
