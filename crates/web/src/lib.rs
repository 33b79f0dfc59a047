//! Web checks: links, WeChat soft-404s, login and app walls, mobile adaptation in a real browser
