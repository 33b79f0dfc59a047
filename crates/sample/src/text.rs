//! Plausible government prose assembled from templates: titles, bodies, comments, replies and
//! introductions. Nothing here is copied from a real article; every sentence is a template
//! with the unit's own place, topic and numbers filled in.

use govmedia_model::Field;

use crate::rng::Rng;

const GENERAL_TOPICS: &[&str] = &[
    "优化营商环境",
    "乡村振兴",
    "城市更新",
    "就业创业",
    "民生实事",
    "安全生产",
    "生态环境保护",
    "科技创新",
    "招商引资",
    "水利建设",
    "森林防火",
    "提振消费",
    "数字政府建设",
    "政务服务改革",
    "养老服务",
    "托育服务",
    "老旧小区改造",
    "文化惠民",
    "高质量发展",
    "12345热线",
];

fn field_topics(f: Field) -> &'static [&'static str] {
    match f {
        Field::Education => &["义务教育招生", "高考报名", "学生资助", "校园安全", "职业教育", "中考政策"],
        Field::Health => &["家庭医生签约", "流感防治", "健康科普", "妇幼健康", "无偿献血", "医疗服务"],
        Field::MedicalSecurity => &["医保缴费", "异地就医结算", "医保报销", "门诊共济", "药品集采", "医保码"],
        Field::PublicSecurity => {
            &["反诈宣传", "户籍办理", "出入境证件", "交通安全", "身份证办理", "夏季治安"]
        }
        Field::HumanResources => {
            &["社保缴费", "就业补贴", "职业技能培训", "养老金调整", "工伤保险", "高校毕业生就业"]
        }
        Field::Housing => {
            &["住房公积金", "保障性住房", "城市燃气安全", "建筑市场监管", "物业管理", "老旧小区改造"]
        }
        Field::MarketRegulation => {
            &["食品安全", "消费者权益保护", "个体工商户登记", "价格监管", "特种设备安全", "计量检定"]
        }
        Field::CultureTourism => &["文旅消费", "非遗保护", "A级景区", "假日旅游", "公共文化服务", "文物保护"],
        Field::Transport => &["春运出行", "道路养护", "公共交通", "网约车管理", "高速公路", "水路运输"],
        Field::Justice => &["法律援助", "人民调解", "普法宣传", "公证服务", "社区矫正", "行政复议"],
        Field::CivilAffairs => &["养老服务", "社会救助", "婚姻登记", "殡葬改革", "儿童福利", "社区治理"],
        Field::Taxation => &["个税汇算", "税费优惠政策", "电子发票", "社保费缴纳", "纳税信用", "出口退税"],
    }
}

/// A topic for a unit of `field` (or a general topic).
pub(crate) fn topic(field: Option<Field>, rng: &mut Rng) -> &'static str {
    match field {
        Some(f) if rng.chance(0.75) => rng.pick_str(field_topics(f)),
        _ => rng.pick_str(GENERAL_TOPICS),
    }
}

/// What the filled-in templates talk about.
pub(crate) struct Ctx<'a> {
    pub place: &'a str,
    pub owner: &'a str,
    pub account: &'a str,
    pub topic: &'a str,
    /// The issuing organ's document code.
    pub doc_prefix: &'a str,
    pub month: u32,
    pub day: u32,
}

const TITLES: &[&str] = &[
    "{place}召开{topic}工作推进会",
    "权威发布｜{place}出台{topic}新举措",
    "一图读懂｜{place}{topic}实施方案",
    "政策解读｜关于{topic}，你关心的问题都在这里",
    "办事指南｜{topic}怎么办？流程看这里",
    "提醒！{month}月起，{topic}有新变化",
    "{place}：{topic}取得阶段性成效",
    "关注｜{topic}专项行动启动",
    "便民｜{topic}常见问题解答",
    "聚焦{topic}，{place}这样做",
    "{month}月{day}日，{place}{topic}工作会议召开",
    "最新！{place}{topic}数据公布",
    "速看｜{topic}，这些事项可以“掌上办”",
    "{place}{topic}典型经验做法",
];

/// Fills `{place}`, `{owner}`, `{account}`, `{topic}`, `{month}`, `{day}`, `{n}` and `{p}`
/// in one pass.
fn fill(t: &str, c: &Ctx, n: u32, p: u32) -> String {
    use std::fmt::Write;
    let mut out = String::with_capacity(t.len() + 64);
    let mut rest = t;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        let close = after.find('}').expect("templates close their braces");
        match &after[..close] {
            "place" => out.push_str(c.place),
            "owner" => out.push_str(c.owner),
            "account" => out.push_str(c.account),
            "topic" => out.push_str(c.topic),
            "month" => write!(out, "{}", c.month).expect("write to string"),
            "day" => write!(out, "{}", c.day).expect("write to string"),
            "n" => write!(out, "{n}").expect("write to string"),
            "p" => write!(out, "{p}").expect("write to string"),
            other => panic!("unknown template key {other}"),
        }
        rest = &after[close + 1..];
    }
    out.push_str(rest);
    out
}

pub(crate) fn title(c: &Ctx, rng: &mut Rng) -> String {
    fill(rng.pick_str(TITLES), c, 0, 0)
}

const PARAGRAPHS: &[&str] = &[
    "为深入贯彻落实党中央、国务院决策部署，进一步做好{topic}工作，{owner}坚持以人民为中心的发展思想，聚焦群众急难愁盼问题，推动各项政策措施落地见效。",
    "方案提出，到2025年底，{place}{topic}体系更加完善，服务能力明显提升，群众满意度持续提高。",
    "一是强化组织领导。各地各部门要把{topic}作为重要工作，建立健全工作机制，明确责任分工，确保各项任务落到实处。",
    "二是优化服务流程。推行“一网通办”“跨省通办”，进一步压减办理时限和申请材料，让群众少跑腿、好办事。",
    "三是加强监督检查。对工作推进不力、群众反映强烈的问题，及时督促整改，切实提升工作实效。",
    "据统计，今年以来，{place}累计办理{topic}相关业务{n}万件，同比增长{p}%。",
    "市民可通过“{account}”微信公众号、政务服务网或拨打12345政务服务便民热线咨询相关政策。",
    "下一步，{owner}将持续深化{topic}工作，不断提升人民群众的获得感、幸福感、安全感。",
    "相关负责人表示，{topic}事关群众切身利益，将坚持问题导向，加强部门协同，推动政策宣传解读工作常态化。",
    "会议强调，要坚持系统观念，统筹发展和安全，把{topic}各项任务细化为具体项目，按月调度、按季通报。",
    "截至{month}月底，{place}已建成{topic}服务站点{n}个，覆盖率达到{p}%，群众办事更加方便快捷。",
    "办理流程：申请人可登录政务服务网或“{account}”公众号菜单栏进入办理页面，按提示填写信息、上传材料，审核通过后即可办结。",
];

const LAWS: &[&str] =
    &["行政许可法", "社会保险法", "食品安全法", "道路交通安全法", "个人信息保护法", "安全生产法", "教育法"];

/// How a document number is written: correct (〔2025〕), or one of the wrong forms.
/// `prefix` is the issuing organ's code (湖北政办发, 国家民族事务委员会发).
pub(crate) fn doc_number(prefix: &str, n: u32, wrong: bool, rng: &mut Rng) -> String {
    if !wrong {
        return format!("{prefix}〔2025〕{n}号");
    }
    match rng.below(4) {
        0 => format!("{prefix}[2018]{n}号"),
        1 => format!("{prefix}（2025）{n}号"),
        2 => format!("{prefix}【2025】{n}号"),
        _ => format!("{prefix}〔2025〕第{n}号"),
    }
}

/// What is planted in a body.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct BodyPlants<'a> {
    /// Write the country's name wrongly.
    pub wrong_country_name: bool,
    /// Write the document number in a wrong form.
    pub bad_doc_number: bool,
    /// An absolute advertising term (广告法 art. 9) in a promotional sentence.
    pub absolute_term: bool,
    /// Personal data published in the body (a 公示 with a phone and an ID number).
    pub pii: Option<(&'a str, &'a str)>,
}

/// A body of about `target` characters.
pub(crate) fn body(c: &Ctx, target: usize, plants: BodyPlants, rng: &mut Rng) -> String {
    let docno = doc_number(c.doc_prefix, rng.range(1, 60) as u32, plants.bad_doc_number, rng);
    let mut out = format!(
        "近日，{}印发《{}{}工作方案》（{}），明确了2025年{}的目标任务和具体举措。",
        c.owner, c.place, c.topic, docno, c.topic
    );
    let country = if plants.wrong_country_name {
        if rng.chance(0.5) { "中华人民共合国" } else { "中国人民共和国" }
    } else {
        "中华人民共和国"
    };
    let mut law_written = false;
    let mut chars = out.chars().count();
    while chars < target || !law_written {
        let para = if !law_written && (chars * 3 >= target || rng.chance(0.25)) {
            law_written = true;
            format!(
                "根据《{country}{}》等有关规定，{}在{}工作中严格依法行政，保障群众合法权益。",
                rng.pick_str(LAWS),
                c.owner,
                c.topic
            )
        } else {
            let n = rng.range(2, 98) as u32;
            let p = rng.range(3, 45) as u32;
            fill(rng.pick_str(PARAGRAPHS), c, n, p)
        };
        chars += para.chars().count() + 1;
        out.push('\n');
        out.push_str(&para);
    }
    if plants.absolute_term {
        out.push('\n');
        out.push_str(&format!("{}是全国最佳的{}目的地，服务水平国家级最高！", c.place, c.topic));
    }
    if let Some((phone, id)) = plants.pii {
        out.push('\n');
        out.push_str(&format!("公示对象：张某某，身份证号{id}，联系电话{phone}。公示期5个工作日。"));
    }
    out
}

const COMMENTS: &[&str] = &[
    "请问{topic}具体怎么办理？需要带哪些材料？",
    "点赞！{place}越来越好了",
    "建议{topic}相关政策能再细化一些，方便群众理解。",
    "我们小区的问题反映多次了，什么时候能解决？",
    "请问网上办理入口在哪里？",
    "希望多发布这样实用的信息",
    "已转发，给家人看看",
    "{topic}的补贴什么时候发放？",
    "办事大厅周末上班吗？",
    "流程写得很清楚，按步骤操作已经办好了，谢谢！",
    "外地户口可以申请吗？",
];

/// What kind of personal data a comment carries.
pub(crate) enum CommentPii<'a> {
    None,
    Phone(&'a str),
    Id(&'a str),
    Card(&'a str),
}

pub(crate) fn comment(c: &Ctx, pii: CommentPii, rng: &mut Rng) -> String {
    let base = fill(rng.pick_str(COMMENTS), c, 0, 0);
    match pii {
        CommentPii::None => base,
        CommentPii::Phone(p) => format!("{base}我的电话是{p}，麻烦回电。"),
        CommentPii::Id(id) => format!("{base}我的身份证号是{id}，系统里查不到记录。"),
        CommentPii::Card(card) => format!("{base}补贴打到银行卡{card}一直没到账。"),
    }
}

const REPLIES: &[&str] = &[
    "您好，感谢您的关注！{topic}相关事项可登录政务服务网办理，如有疑问请拨打12345热线咨询。",
    "感谢您的留言，您反映的问题已转交相关部门核实办理。",
    "您好，办事大厅周六上午正常办公，节假日安排请关注本公众号通知。",
    "谢谢支持！我们会持续发布实用的政策信息。",
    "您好，具体办理条件请查看本公众号菜单“办事服务”中的办事指南。",
];

pub(crate) fn reply(c: &Ctx, rng: &mut Rng) -> String {
    fill(rng.pick_str(REPLIES), c, 0, 0)
}

/// The function introduction: user-oriented, or (a known problem) about the unit itself.
pub(crate) fn intro(place: &str, owner: &str, department_oriented: bool) -> String {
    if department_oriented {
        format!("{owner}官方微信公众号，宣传{owner}工作动态，展示{owner}工作成效。")
    } else {
        format!("发布{place}权威政务信息，解读最新政策，提供便民办事服务，倾听群众意见建议。")
    }
}

/// Where reposts come from.
pub(crate) const REPOST_SOURCES: &[&str] =
    &["新华社", "人民日报", "央视新闻", "中国政府网", "光明日报", "经济日报"];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bodies_reach_their_length_and_carry_plants() {
        let mut r = Rng::new(5, "text");
        let c = Ctx {
            place: "合肥",
            owner: "合肥市人民政府",
            account: "合肥发布",
            topic: "养老服务",
            doc_prefix: "合政办",
            month: 3,
            day: 8,
        };
        let b = body(&c, 2000, BodyPlants::default(), &mut r);
        assert!(b.chars().count() >= 2000);
        assert!(b.contains("中华人民共和国") && b.contains("合政办〔2025〕"));
        let plants = BodyPlants {
            wrong_country_name: true,
            bad_doc_number: true,
            absolute_term: true,
            pii: Some(("13800000000", "11010519491231002X")),
        };
        let b = body(&c, 100, plants, &mut r);
        assert!(!b.contains("中华人民共和国"));
        assert!(!b.contains("合政办〔2025〕") || b.contains("〔2025〕第"));
        assert!(b.contains("最佳") && b.contains("11010519491231002X"));
    }
}
