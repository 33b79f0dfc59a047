//! Whose a number is, read from the words written just before it.
//!
//! 1. A name right before the number makes it a person's: a run of 2–4 Chinese characters
//!    that starts with a common surname, stands alone (after punctuation, a space, a digit or
//!    the start of the text) and is followed only by separators (`，：（` spaces) and at most
//!    one neutral phone label (电话, 手机, 联系方式 …): `张三 139…`, `王先生，联系电话139…`.
//!    Before a bracket the name may end a longer run: `拟推荐张三（手机：139…）`. A run that
//!    contains a label or a contact verb (拨打, 致电 …), ends like a unit (社区, 大厅, 窗口 …) or
//!    is a day of the week is not a name.
//! 2. Otherwise the label nearest before the number decides, looked for in the same sentence
//!    and at most [`WINDOW`] characters back (neutral phone labels decide nothing):
//!    - a code label (统一社会信用代码, 证书编号, 订单号 …): the number identifies a unit, a
//!      document or a transaction, not a person ([`Holder::Code`]);
//!    - an office label (服务热线, 咨询电话, 值班电话 …): a unit's contact ([`Holder::Office`]);
//!    - a person label (联系人, 姓名, 身份证 …): a person's ([`Holder::Person`]).

/// Whose a number is, from its context (see the module documentation).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Holder {
    /// Nothing before the number says.
    Unknown,
    /// A person's: a name or a 联系人/姓名 label before it.
    Person,
    /// A unit's contact: a hotline or office label before it.
    Office,
    /// Not personal data: a code label (统一社会信用代码 …) before it.
    Code,
}

/// How many characters before a number its label is looked for in.
pub const WINDOW: usize = 20;

const CODE_LABELS: &[&str] = &[
    "统一社会信用代码",
    "社会信用代码",
    "信用代码",
    "组织机构代码",
    "机构代码",
    "营业执照",
    "执照号",
    "税号",
    "发文字号",
    "文号",
    "统一编号",
    "证书编号",
    "证书号",
    "许可证",
    "登记编号",
    "登记证号",
    "注册号",
    "注册编号",
    "备案号",
    "备案编号",
    "订单号",
    "订单编号",
    "单号",
    "流水号",
    "批号",
    "项目编号",
    "项目代码",
    "合同编号",
    "报告编号",
    "采购编号",
    "招标编号",
    "公告编号",
    "发票",
    "序列号",
];

const OFFICE_LABELS: &[&str] = &[
    "热线",
    "咨询电话",
    "办公电话",
    "办公室电话",
    "监督电话",
    "举报电话",
    "投诉电话",
    "值班",
    "客服电话",
    "客服",
    "服务电话",
    "报名电话",
    "受理电话",
    "预约电话",
    "求助电话",
    "传真",
    "总机",
];

const PERSON_LABELS: &[&str] = &[
    "联系人",
    "姓名",
    "负责人",
    "申请人",
    "举报人",
    "投诉人",
    "当事人",
    "法定代表人",
    "户主",
    "家长",
    "监护人",
    "收件人",
    "收货人",
    "身份证",
    "证件号",
    "卡号",
];

/// Labels that say a number is a phone number but not whose.
const PHONE_LABELS: &[&str] = &[
    "手机号码",
    "手机号",
    "手机",
    "移动电话",
    "联系电话",
    "电话号码",
    "电话",
    "联系方式",
    "电联",
    "tel",
    "Tel",
    "TEL",
];

/// The most common surnames (about nine in ten people), without the ones that mostly start
/// ordinary words before a number (公, 单, 官 …).
const SURNAMES: &str = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林高罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付傅方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤常温康施文牛樊葛邢安齐易乔伍庞颜倪庄聂章鲁岳翟殷詹申欧耿关兰焦俞左柳甘祝包宁尚符舒阮柯纪梅童凌毕季裴霍涂成苗谷盛曲翁冉骆蓝路游辛靳管柴蒙鲍华喻祁蒲房滕屈饶解牟艾尤阳穆农卓古吉缪简车项连芦麦褚娄窦戚岑景党宫费卜冷晏席卫米柏宗瞿桂佟应臧闵苟邬边卞姬师仇栾隋商刁沙荣巫寇桑郎甄丛仲虞敖巩佘池查苑迟邝封谈匡鞠惠荆乐冀郁胥班储栗燕楚鄢劳谌奚皮粟冼蔺楼盘满闻厉仝郜阚权帅屠豆朴练廉禹祖漆巴卿狄计索宣晋初扈晁芮阙浦戈伏鹿薄邸雍辜羊裘亓修邰赫杭况宿鲜逯隆茹诸战慕危亢嵇湛宾戎勾茅";

const COMPOUND_SURNAMES: &[&str] =
    &["欧阳", "司马", "诸葛", "上官", "司徒", "慕容", "令狐", "皇甫", "东方", "夏侯", "尉迟"];

/// Characters that end the name of a place or unit, not of a person (向阳社区, 政务大厅).
const UNIT_ENDINGS: &str =
    "区县市省村镇乡街路局室处站所队部办委院校馆司会组科厅社心口线号机话务店厂园场城楼台行堂网户门栏窗点警";

/// Characters of contact instructions (请拨打, 致电), never of a name.
const CONTACT_CHARS: &str = "拨打请询致电话联系";

/// Common words that start with a surname and stand before a number (周一至周五).
const NOT_NAMES: &[&str] = &["周一", "周二", "周三", "周四", "周五", "周六", "周日", "周末", "周天"];

/// Whose the number starting at byte `start` of `text` is.
pub fn holder(text: &str, start: usize) -> Holder {
    let before = &text[..start];
    if after_name(before) {
        return Holder::Person;
    }
    nearest_label(before).unwrap_or(Holder::Unknown)
}

fn is_sentence_end(c: char) -> bool {
    matches!(c, '。' | '！' | '？' | '；' | '!' | '?' | ';' | '\n' | '\r')
}

/// Written between a name, a phone label and the number.
fn is_gap(c: char) -> bool {
    c.is_whitespace() || matches!(c, '：' | ':' | '，' | ',' | '（' | '(' | '【' | '[' | '-' | '—' | '/')
}

fn is_han(c: char) -> bool {
    matches!(c, '\u{3400}'..='\u{4dbf}' | '\u{4e00}'..='\u{9fff}')
}

/// The kind of the label nearest before the end of `before`, within [`WINDOW`] characters
/// and the same sentence; of two labels ending together the longer one.
fn nearest_label(before: &str) -> Option<Holder> {
    let from = before
        .char_indices()
        .rev()
        .take(WINDOW)
        .take_while(|(_, c)| !is_sentence_end(*c))
        .last()
        .map_or(before.len(), |(i, _)| i);
    let window = &before[from..];
    let mut best: Option<(usize, usize, Holder)> = None;
    for (labels, kind) in
        [(CODE_LABELS, Holder::Code), (OFFICE_LABELS, Holder::Office), (PERSON_LABELS, Holder::Person)]
    {
        for l in labels {
            if let Some(at) = window.rfind(l) {
                let key = (at + l.len(), l.len(), kind);
                if best.is_none_or(|b| (key.0, key.1) > (b.0, b.1)) {
                    best = Some(key);
                }
            }
        }
    }
    best.map(|b| b.2)
}

/// `before` ends with a name, then at most one neutral phone label, then separators.
fn after_name(before: &str) -> bool {
    let rest = before.trim_end_matches(is_gap);
    let rest = PHONE_LABELS.iter().find_map(|l| rest.strip_suffix(l)).unwrap_or(rest);
    let rest = rest.trim_end_matches(is_gap);
    // The run of Chinese characters before, last character first.
    let run: Vec<char> = rest.chars().rev().take_while(|c| is_han(*c)).take(5).collect();
    // A run that stands alone is the name; one before a bracket (拟推荐张三（手机：…）) may
    // end with it.
    let bracketed = before[rest.len()..].contains(['（', '(']);
    let whole = (2..=4).contains(&run.len()).then_some(run.len());
    let ends = [2, 3].into_iter().filter(|n| bracketed && *n < run.len());
    whole.into_iter().chain(ends).any(|n| is_name(&run[..n].iter().rev().collect::<String>()))
}

/// Reads as a person's name: a surname first, no label or contact word, no unit ending.
fn is_name(name: &str) -> bool {
    let (Some(first), Some(last)) = (name.chars().next(), name.chars().next_back()) else {
        return false;
    };
    let surname = SURNAMES.contains(first)
        || COMPOUND_SURNAMES.iter().any(|s| name.starts_with(s) && name.chars().count() > 2);
    let labelled = [CODE_LABELS, OFFICE_LABELS, PERSON_LABELS, PHONE_LABELS]
        .iter()
        .any(|ls| ls.iter().any(|l| name.contains(l)));
    surname
        && !labelled
        && !UNIT_ENDINGS.contains(last)
        && !name.chars().any(|c| CONTACT_CHARS.contains(c))
        && !NOT_NAMES.iter().any(|w| name.starts_with(w))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Whose the last number of `s` is.
    fn of(s: &str) -> Holder {
        let end = s.rfind(|c: char| c.is_ascii_digit()).expect("a number");
        let start = s[..end]
            .char_indices()
            .rev()
            .find(|(_, c)| !c.is_ascii_digit())
            .map_or(0, |(i, c)| i + c.len_utf8());
        holder(s, start)
    }

    #[test]
    fn a_name_right_before_the_number_is_a_person() {
        for s in [
            "张三 13912345678",
            "张三（手机：13912345678）",
            "王先生，联系电话13912345678",
            "3. 李小红 13912345678",
            "欧阳明月：13912345678",
            "获奖名单：陈某某，电话13912345678",
            "拟推荐张三（手机：13912345678）为先进个人",
            "请联系王老师（13912345678）",
        ] {
            assert_eq!(of(s), Holder::Person, "{s}");
        }
    }

    #[test]
    fn words_that_are_not_names_decide_nothing() {
        for s in [
            "请拨打13912345678",
            "，或致电13912345678",
            "向阳社区13912345678",
            "政务服务大厅窗口13912345678",
            "白天拨打13912345678",
            "高速交警13912345678",
            "如有疑问请联系13912345678",
            "工作时间：周一至周五，电话：13912345678",
            "市政务服务中心（电话：13912345678）",
        ] {
            assert_eq!(of(s), Holder::Unknown, "{s}");
        }
    }

    #[test]
    fn the_nearest_label_decides() {
        assert_eq!(of("联系人：张三，联系电话13912345678"), Holder::Person);
        assert_eq!(of("联系人：李老师（办公室），电话：13912345678"), Holder::Person);
        assert_eq!(of("联系人：张三，服务热线：13912345678"), Holder::Office);
        assert_eq!(of("咨询电话：13912345678"), Holder::Office);
        assert_eq!(of("24小时值班电话 13912345678"), Holder::Office);
        assert_eq!(of("周末值班 13912345678"), Holder::Office);
        assert_eq!(of("举报电话：13912345678、13812345678"), Holder::Office);
        assert_eq!(of("统一社会信用代码：911100001000012345"), Holder::Code);
        assert_eq!(of("证书编号 110101194912310021"), Holder::Code);
        assert_eq!(of("订单号：13912345678"), Holder::Code);
        assert_eq!(of("订单号：A12，身份证号：110101194912310021"), Holder::Person);
    }

    #[test]
    fn labels_stay_in_their_sentence_and_window() {
        assert_eq!(of("咨询电话：0551-1234567。13912345678"), Holder::Unknown);
        assert_eq!(of("信用代码见附件第三页所列的全部内容以及其他说明材料：13912345678"), Holder::Unknown);
    }
}
