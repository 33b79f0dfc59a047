//! Politeness per account: a minimum interval between calls and a daily call budget.
//!
//! The platform's quotas are per account and per endpoint and reset at midnight Beijing time;
//! a budget of our own below them keeps a run from burning an account's whole day on one
//! survey, and spacing calls keeps bursts from tripping frequency limits. Both are kept in
//! this process: several processes collecting the same account each have their own budget.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::Duration;

use chrono::{NaiveDate, Utc};
use tokio::time::Instant;

use crate::WechatError;

pub(crate) struct Pace {
    min_interval: Duration,
    daily_budget: u32,
    accounts: Mutex<HashMap<String, Slot>>,
}

struct Slot {
    /// The earliest start of the next call.
    next: Instant,
    /// The Beijing date `used` counts for.
    day: NaiveDate,
    used: u32,
}

impl Pace {
    pub(crate) fn new(min_interval: Duration, daily_budget: u32) -> Self {
        Pace { min_interval, daily_budget, accounts: Mutex::new(HashMap::new()) }
    }

    /// Waits for the account's turn and counts the call, or refuses it when today's budget is
    /// spent.
    pub(crate) async fn admit(&self, appid: &str) -> Result<(), WechatError> {
        let today = govmedia_model::time::local_date(&Utc::now().fixed_offset());
        let at = {
            let mut accounts = self.accounts.lock().unwrap_or_else(|e| e.into_inner());
            let now = Instant::now();
            let slot = accounts.entry(appid.to_owned()).or_insert(Slot { next: now, day: today, used: 0 });
            if slot.day != today {
                slot.day = today;
                slot.used = 0;
            }
            if slot.used >= self.daily_budget {
                return Err(WechatError::BudgetExhausted { budget: self.daily_budget });
            }
            slot.used += 1;
            let at = slot.next.max(now);
            slot.next = at + self.min_interval;
            at
        };
        tokio::time::sleep_until(at).await;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn calls_are_spaced_and_counted_per_account() {
        let pace = Pace::new(Duration::from_millis(40), 3);
        let start = Instant::now();
        for _ in 0..3 {
            pace.admit("a").await.unwrap();
        }
        assert!(start.elapsed() >= Duration::from_millis(80), "{:?}", start.elapsed());
        assert_eq!(pace.admit("a").await, Err(WechatError::BudgetExhausted { budget: 3 }));
        // Another account has its own interval and budget.
        let other = Instant::now();
        pace.admit("b").await.unwrap();
        assert!(other.elapsed() < Duration::from_millis(40));
    }
}
