//! What a reader is told about each finding code: a concrete fix for the operator, the
//! recommendation it belongs to in the survey report, and how a case is anonymised.

use govmedia_model::results::AccountResult;
use govmedia_model::{FindingCode as C, Level};

/// What the operator should do about a finding with this code.
pub fn fix(code: C) -> &'static str {
    match code {
        C::UpdateStale14d => {
            "立即恢复更新：本周内至少发布 1 篇与本单位职责相关的原创信息，并制定周更新计划（建议每周不少于 2 次），指定专人在发布后台设置提醒，确保任意连续 14 天内均有新内容。"
        }
        C::UpdateStaleWarning => {
            "在否决日期之前发布新内容：提前准备政策解读、办事提醒等常备稿件，排入发布计划，避免因节假日或人员变动出现两周空窗。"
        }
        C::UpdateDormant => {
            "对照“僵尸号”整改要求：确有保留必要的，由主管单位明确运维人员并恢复常态化更新；无力运维的，按程序报主管单位审核后注销，并在门户网站同步更新账号信息。"
        }
        C::AccountUnverified => "以主办单位名义完成微信公众平台政府类认证，并在功能介绍中写明主办单位全称。",
        C::AccountClosed => {
            "在门户网站及宣传材料中撤下已关闭账号的名称和二维码，改为展示现用账号；如需继续运营，按程序重新开设并报备。"
        }
        C::AccountMigrated => {
            "在门户网站、宣传材料中更新为迁移后的新账号名称和二维码，旧账号发布迁移公告并停止发布。"
        }
        C::AccountDuplicate => "同一单位保留一个主账号，其余账号按程序整合或注销，内容与菜单功能并入主账号。",
        C::AccountIntroDepartmentOriented => {
            "改写功能介绍：从用户能获得什么出发（可查询的信息、可办理的事项、可咨询的渠道），而不是罗列本单位职能。"
        }
        C::AccountNameNonstandard => {
            "账号名称按《政务微信手册》规范：2—16 个汉字，只用中文、字母、数字和“.”“（）”“-”；名称无法修改的，在功能介绍中写明规范的单位名称。"
        }
        C::AccountIntroNonstandard => "将功能介绍控制在 4—120 个字，写明主办单位和用户可获得的信息与服务。",
        C::AccountSubjectMismatch => {
            "按“谁开设谁主办”核对认证主体与主办单位：由主办单位重新认证，或在账号信息和门户网站中如实标明主办单位。"
        }
        C::AccountWrongOpener => {
            "政府门户账号应由政府办公厅（室）开设和主管：与现开设单位协商迁移认证主体，或由办公厅（室）开设主账号并在门户网站展示。"
        }
        C::AccountNotListed => {
            "在门户网站显著位置展示本账号的名称和二维码（如“政务新媒体”专栏），并与账号信息保持同步。"
        }
        C::AccountRenamed => {
            "账号更名后，同步更新门户网站、宣传材料中的账号名称和二维码，避免公众看到旧名称或“账号已迁移”提示。"
        }
        C::MenuNone => {
            "开启自定义菜单，按“政务公开、办事服务、互动交流”三类设置一级菜单，每类下设与职责相关的子菜单。"
        }
        C::MenuMissingDisclosure => {
            "增设“政务公开”一级菜单，链接本单位门户网站的政策文件、政策解读、通知公告等栏目（移动版页面）。"
        }
        C::MenuMissingService => {
            "增设“办事服务”一级菜单，聚合高频办事事项入口，链接政务服务平台的办事指南（无需登录即可查看）和在线办理。"
        }
        C::MenuMissingInteraction => {
            "增设“互动交流”一级菜单，提供在线留言、咨询、投诉或领导信箱入口，并公开答复情况。"
        }
        C::MenuMisplaced => {
            "调整菜单归类：子菜单应与一级菜单功能一致（如“政策解读”归入政务公开，“办事指南”归入办事服务）。"
        }
        C::MenuNationalPlatformsOnly => {
            "在“互动交流”中增设本单位自己的留言、咨询或信箱渠道；仅链接@国务院和互联网+督查不能替代本单位互动功能。"
        }
        C::MenuOutdatedTopic => {
            "下线已过时的专题菜单（如疫情防控、灾后重建），替换为当前公众关注的服务或信息栏目，并建立菜单季度巡检制度。"
        }
        C::LinkBroken => {
            "修复或替换失效链接：核对目标地址是否已迁移，改为有效的移动版页面；建立每月链接巡检，发现错误即时修正。"
        }
        C::LinkWechatUnavailable => {
            "替换已删除或无法查看的微信文章链接，改为有效文章或栏目页，并检查同类菜单中的其他文章链接。"
        }
        C::LinkLoginRequired => {
            "让办事指南、政策文件、历史留言等公开信息无需登录即可查看；只在提交申请、留言时再要求身份认证。"
        }
        C::LinkAppRequired => {
            "在菜单中直接提供可用的网页或小程序入口，不要只提示下载应用；确需应用办理的，同时提供办事指南预览。"
        }
        C::MobileNotAdapted => {
            "菜单和文章中的外链改为移动版页面，或对目标页面做自适应改造，确保手机上无需缩放即可阅读和操作。"
        }
        C::ContentSensitiveTerm => {
            "立即核查并修改或撤回相关文章，完善“三审三校”制度，发布前使用敏感词和规范表述校对工具复核。"
        }
        C::ContentWordingError => {
            "更正文中的不规范表述（国名、地名、机构名称、时政用语），发布前按规范表述清单逐项校对。"
        }
        C::ContentDocNumberFormat => {
            "按《党政机关公文格式》规范发文字号，年份使用六角括号〔〕，序号不编虚位、不加“第”字。"
        }
        C::ContentPiiExposed => {
            "立即撤回或修改文章，对姓名、身份证号、手机号、住址等个人信息做脱敏处理，并复查同类公示类文章。"
        }
        C::ContentClassifiedMarking => {
            "立即撤回含国家秘密标志的文章，按保密规定报告并核查是否涉密；建立发布前保密审查，严禁在互联网发布涉密文件或标注密级的材料。"
        }
        C::ContentDeleted => {
            "核查被删除文章的原因：因违规被平台删除的，对照原文整改并完善发布前“三审三校”；作者自行删除的，确有错误应发布更正说明，避免已发布的政务信息无故消失。"
        }
        C::ContentLowReads => {
            "分析阅读量低的原因：增加与群众切身利益相关的原创内容和政策解读，优化标题与推送时段，在门户网站和线下窗口推广账号。"
        }
        C::ContentDuplicate => "转载他人内容须在文首注明来源；增加原创解读和本地化信息，减少简单转发。",
        C::ContentAiUnlabelled => {
            "按《人工智能生成合成内容标识办法》对 AI 生成或合成的文字、图片、音视频添加显著标识。"
        }
        C::InteractionNone => {
            "开通留言、咨询或信箱等至少一种有效互动功能，明确受理和答复时限，并指定专人负责。"
        }
        C::InteractionNoValidComments => {
            "开放文章留言并在政策解读、民生类文章中主动征集意见，通过话题设置、问答等形式引导公众参与。"
        }
        C::InteractionUnanswered => {
            "对有效留言逐条回复，承诺回复时限（如 3 个工作日内），复杂问题转业务部门办理后反馈办理结果。"
        }
        C::InteractionPoorReply => {
            "改进回复质量：针对留言的具体问题作答，给出办理渠道、时限或政策依据，避免套话、说教和生硬语气；复杂问题转业务部门办理后反馈结果。"
        }
        C::TimelinessLateResponse => {
            "建立重大事件信息发布预案：事件发生后第一时间发布权威信息，随后持续更新进展，并及时回应公众关切。"
        }
        C::TimelinessIncompleteResponse => {
            "重大事件的回应应写明事件情况、影响范围、已采取的措施和给公众的提示、求助或办事渠道，不只简单转述。"
        }
        C::FunctionCapabilityMissing => {
            "让菜单栏目提供实际功能：办事指南无需登录即可查看、提供在线办理和进度查询，互动栏目开通本单位留言和答问库，并与门户网站、政务服务平台对接。"
        }
        C::AppStale => {
            "明确APP运维单位并恢复更新：修复已知问题、适配新版本系统后在各应用商店同步发布；确已无力运维的，按程序下架并引导用户使用政务服务平台或微信公众号办理。"
        }
        C::AppDuplicate => {
            "按国办发〔2018〕123号“避免一事一端”的要求整合本单位APP：保留一个主APP，其余功能并入主APP或政务服务平台，下架重复应用并在原渠道发布迁移说明。"
        }
        #[allow(unreachable_patterns)]
        _ => GENERIC_FIX,
    }
}

/// Used only for codes added to the model after this table was written (a test guards it).
const GENERIC_FIX: &str = "请对照问题说明和证据逐项整改，整改后复查。";

/// The recommendation groups of the survey report, in the order they are printed.
pub const RECOMMENDATIONS: [(&str, &str); 7] = [
    (
        "完善运维保障能力，夯实发展根基",
        "明确主管单位和运维人员，建立内容更新计划、链接定期巡检和账号信息同步机制，杜绝“僵尸号”“睡眠号”，账号变更后及时在门户网站更新名称和二维码。",
    ),
    (
        "规范菜单设置，聚焦重点服务事项",
        "按“政务公开、办事服务、互动交流”三大功能规划菜单，子菜单与上级功能保持一致，及时下线过时专题，聚合高频办事入口。",
    ),
    (
        "优化办事体验，减少登录和下载门槛",
        "公开信息和办事指南无需登录即可查看，不以下载应用作为唯一入口，外链页面适配手机屏幕。",
    ),
    (
        "严格内容审核，守住安全底线",
        "落实“三审三校”，发布前对规范表述、敏感词、发文字号和个人信息脱敏逐项核查，发现问题及时更正。",
    ),
    (
        "提高内容发布质量，增强吸引效能",
        "增加原创和本地化内容，转载注明来源，AI 生成内容依规标识，运用图解、短视频等形式提升可读性。",
    ),
    (
        "构建双向互动体系，加强政民沟通",
        "开通本单位的留言、咨询渠道，对有效留言及时、有针对性地回复，形成“发布—互动—回应”闭环。",
    ),
    (
        "强化时效响应，及时回应社会关切",
        "建立重大事件发布预案，第一时间发布权威信息并持续更新，主动回应公众关切。",
    ),
];

/// Index into [`RECOMMENDATIONS`] for a code.
pub fn recommendation_of(code: C) -> usize {
    match code {
        C::UpdateStale14d
        | C::UpdateStaleWarning
        | C::UpdateDormant
        | C::AccountUnverified
        | C::AccountClosed
        | C::AccountMigrated
        | C::AccountDuplicate
        | C::AccountNameNonstandard
        | C::AccountIntroNonstandard
        | C::AccountSubjectMismatch
        | C::AccountWrongOpener
        | C::AccountNotListed
        | C::AccountRenamed
        | C::LinkBroken
        | C::LinkWechatUnavailable => 0,
        C::MenuNone
        | C::MenuMissingDisclosure
        | C::MenuMissingService
        | C::MenuMisplaced
        | C::MenuOutdatedTopic
        | C::AccountIntroDepartmentOriented => 1,
        C::LinkLoginRequired | C::LinkAppRequired | C::MobileNotAdapted | C::FunctionCapabilityMissing => 2,
        C::AppStale | C::AppDuplicate => 2,
        C::ContentSensitiveTerm
        | C::ContentWordingError
        | C::ContentDocNumberFormat
        | C::ContentPiiExposed
        | C::ContentClassifiedMarking => 3,
        C::ContentDuplicate | C::ContentAiUnlabelled | C::ContentLowReads | C::ContentDeleted => 4,
        C::MenuMissingInteraction
        | C::MenuNationalPlatformsOnly
        | C::InteractionNone
        | C::InteractionNoValidComments
        | C::InteractionUnanswered
        | C::InteractionPoorReply => 5,
        C::TimelinessLateResponse | C::TimelinessIncompleteResponse => 6,
        #[allow(unreachable_patterns)]
        _ => 0,
    }
}

/// How the survey report names an account without identifying it ("某市政府微信公众号").
pub fn anonymous(a: &AccountResult) -> String {
    match a.level {
        Level::Ministry => "某部委政务微信公众号".to_owned(),
        Level::Province => "某省级政府微信公众号".to_owned(),
        Level::ProvinceDept => match a.field.as_deref() {
            Some(f) if !f.is_empty() => format!("某省{f}部门微信公众号"),
            _ => "某省级政府部门微信公众号".to_owned(),
        },
        Level::Prefecture => "某市政府微信公众号".to_owned(),
        Level::County => "某县（区）政府微信公众号".to_owned(),
        Level::Other => "某政务微信公众号".to_owned(),
    }
}

/// Removes the account's own name, owner and id from a text shown anonymously.
pub fn scrub(text: &str, a: &AccountResult) -> String {
    let mut t = text.to_owned();
    let mut names = [a.name.as_str(), a.owner.as_str(), a.id.as_str()];
    names.sort_by_key(|n| std::cmp::Reverse(n.len()));
    for n in names {
        if n.chars().count() >= 2 {
            t = t.replace(n, "该账号");
        }
    }
    t
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_code_has_its_own_fix() {
        for &c in C::ALL {
            assert_ne!(fix(c), GENERIC_FIX, "{c} has no specific fix text");
            assert!(recommendation_of(c) < RECOMMENDATIONS.len());
        }
    }
}
