//! Time as a dependency. Detection stamps, rate-limit windows, retry back-off and the signing
//! timestamps all read one [`Clock`], so a test can run sixty days of monitoring in
//! milliseconds with a [`ManualClock`] and real deployments use the [`SystemClock`].

use std::future::Future;
use std::pin::Pin;
use std::sync::Mutex;
use std::time::Duration;

use chrono::{DateTime, Utc};

/// A future the clock resolves when the wait is over.
pub type Wait<'a> = Pin<Box<dyn Future<Output = ()> + Send + 'a>>;

/// Where "now" comes from, and how waiting is done.
pub trait Clock: Send + Sync {
    fn now(&self) -> DateTime<Utc>;
    /// Waits `d`: a real sleep for the system clock; the manual clock just moves forward.
    fn sleep(&self, d: Duration) -> Wait<'_>;
}

/// The wall clock and Tokio's timer.
#[derive(Debug, Default, Clone, Copy)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> DateTime<Utc> {
        Utc::now()
    }

    fn sleep(&self, d: Duration) -> Wait<'_> {
        Box::pin(tokio::time::sleep(d))
    }
}

/// A clock that only moves when told to (or when something sleeps on it).
#[derive(Debug)]
pub struct ManualClock {
    now: Mutex<DateTime<Utc>>,
}

impl ManualClock {
    pub fn new(start: DateTime<Utc>) -> Self {
        ManualClock { now: Mutex::new(start) }
    }

    pub fn set(&self, t: DateTime<Utc>) {
        *self.lock() = t;
    }

    pub fn advance(&self, d: Duration) {
        let mut now = self.lock();
        *now += chrono::Duration::from_std(d).unwrap_or(chrono::Duration::MAX);
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, DateTime<Utc>> {
        // A panic elsewhere while holding this lock cannot leave a half-written timestamp.
        self.now.lock().unwrap_or_else(|e| e.into_inner())
    }
}

impl Clock for ManualClock {
    fn now(&self) -> DateTime<Utc> {
        *self.lock()
    }

    fn sleep(&self, d: Duration) -> Wait<'_> {
        self.advance(d);
        Box::pin(std::future::ready(()))
    }
}
