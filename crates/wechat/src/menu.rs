//! The custom menu, kept exactly as the platform returns it.

use chrono::{SubsecRound, Utc};
use govmedia_model::MenuSnapshot;
use serde::{Deserialize, Serialize};
use serde_json::json;

use crate::{Client, Credentials, Endpoint, WechatError};

/// Which endpoint a menu came from. They differ: `get_current_selfmenu_info` shows the menu
/// users see, however it was set (web console or API); `menu/get` shows only a menu set
/// through the API (with its conditional menus) and answers 46003 when there is none.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MenuSource {
    GetCurrentSelfmenuInfo,
    MenuGet,
}

/// A menu snapshot and where it came from.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MenuCapture {
    pub source: MenuSource,
    pub snapshot: MenuSnapshot,
}

impl Client {
    /// The menu users see (`get_current_selfmenu_info`).
    pub async fn current_selfmenu(
        &self,
        creds: &Credentials,
        account: &str,
    ) -> Result<MenuCapture, WechatError> {
        let menu = self.call(creds, Endpoint::SelfMenuInfo, None).await?;
        Ok(capture(MenuSource::GetCurrentSelfmenuInfo, account, menu))
    }

    /// The menu set through the API (`menu/get`). "No API menu" (46003) is an answer, kept as
    /// the platform gave it (the model reads it as an empty menu).
    pub async fn menu_get(&self, creds: &Credentials, account: &str) -> Result<MenuCapture, WechatError> {
        let menu = match self.call(creds, Endpoint::MenuGet, None).await {
            Ok(menu) => menu,
            Err(WechatError::Api { errcode: 46003, errmsg, .. }) => {
                json!({"errcode": 46003, "errmsg": errmsg})
            }
            Err(e) => return Err(e),
        };
        Ok(capture(MenuSource::MenuGet, account, menu))
    }
}

fn capture(source: MenuSource, account: &str, menu: serde_json::Value) -> MenuCapture {
    let captured_at = Utc::now().trunc_subsecs(0).with_timezone(&govmedia_model::time::shanghai());
    MenuCapture { source, snapshot: MenuSnapshot { account: account.to_owned(), captured_at, menu } }
}
