//! A custom menu in either platform shape (`selfmenu_info` or `menu/get`), as JSON.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(v) = serde_json::from_slice::<serde_json::Value>(data)
        && let Ok(menu) = govmedia_model::Menu::from_platform_json(&v)
    {
        let _ = menu.items();
    }
});
