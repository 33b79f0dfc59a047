//! The Open API endpoints this client calls.

use std::fmt;

/// One endpoint of the Open API.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Endpoint {
    StableToken,
    SelfMenuInfo,
    MenuGet,
    FreepublishBatchget,
    FreepublishGetArticle,
    ArticleTotalDetail,
    BizSummary,
    UserSummary,
    UserCumulate,
    CommentList,
}

impl Endpoint {
    /// The path under the base URL.
    pub fn path(self) -> &'static str {
        match self {
            Endpoint::StableToken => "/cgi-bin/stable_token",
            Endpoint::SelfMenuInfo => "/cgi-bin/get_current_selfmenu_info",
            Endpoint::MenuGet => "/cgi-bin/menu/get",
            Endpoint::FreepublishBatchget => "/cgi-bin/freepublish/batchget",
            Endpoint::FreepublishGetArticle => "/cgi-bin/freepublish/getarticle",
            Endpoint::ArticleTotalDetail => "/datacube/getarticletotaldetail",
            Endpoint::BizSummary => "/datacube/getbizsummary",
            Endpoint::UserSummary => "/datacube/getusersummary",
            Endpoint::UserCumulate => "/datacube/getusercumulate",
            Endpoint::CommentList => "/cgi-bin/comment/list",
        }
    }

    /// The permission group the platform grants (or refuses, 48001) as a whole: what a
    /// "not evaluated" reason names.
    pub fn family(self) -> &'static str {
        match self {
            Endpoint::StableToken => "stable_token",
            Endpoint::SelfMenuInfo | Endpoint::MenuGet => "自定义菜单",
            Endpoint::FreepublishBatchget | Endpoint::FreepublishGetArticle => "freepublish",
            Endpoint::ArticleTotalDetail
            | Endpoint::BizSummary
            | Endpoint::UserSummary
            | Endpoint::UserCumulate => "datacube",
            Endpoint::CommentList => "留言管理（comment）",
        }
    }

    /// The menu endpoints are read with GET; everything else is a JSON POST.
    pub(crate) fn is_get(self) -> bool {
        matches!(self, Endpoint::SelfMenuInfo | Endpoint::MenuGet)
    }
}

impl fmt::Display for Endpoint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.path().trim_start_matches('/'))
    }
}
