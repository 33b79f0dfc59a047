//! Delivery from the persisted outbox: per sink, due rows are sent within the sink's rate
//! limit, as a digest when more are due at once than the sink's threshold, and retried with
//! exponential back-off on failure until the sink's maximum attempts.
//!
//! A row is marked sent only after the platform accepted it. A crash between the platform's
//! answer and that mark sends the row again on restart (at least once); the idempotency key
//! in every message lets a receiver drop the repeat. A crash anywhere else sends nothing twice.

use std::collections::VecDeque;
use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, Utc};

use crate::clock::Clock;
use crate::error::{SinkError, StoreError};
use crate::render::Message;
use crate::routing::{Routing, SinkConfig};
use crate::sinks::{self, Sink};
use crate::store::{AlertStore, Pending};

/// The longest wait between two attempts.
const MAX_BACKOFF: Duration = Duration::from_secs(3600);
const MINUTE: chrono::Duration = chrono::Duration::minutes(1);

/// What delivery did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct DeliveryReport {
    /// Messages the platforms accepted (a digest is one).
    pub messages: usize,
    /// Of them, digests.
    pub digests: usize,
    /// Outbox rows delivered.
    pub delivered: usize,
    /// Failed attempts that will be retried.
    pub retries: usize,
    /// Rows given up after the sink's maximum attempts.
    pub given_up: usize,
}

impl std::ops::AddAssign for DeliveryReport {
    fn add_assign(&mut self, o: Self) {
        self.messages += o.messages;
        self.digests += o.digests;
        self.delivered += o.delivered;
        self.retries += o.retries;
        self.given_up += o.given_up;
    }
}

/// One delivery pass: what it did, and when more can be done (`None`: nothing is pending).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Pass {
    pub report: DeliveryReport,
    pub next: Option<DateTime<Utc>>,
}

struct Channel {
    config: SinkConfig,
    sink: Box<dyn Sink>,
    /// When messages went out in the last minute; `None` until read back from the store.
    window: Option<VecDeque<DateTime<Utc>>>,
}

fn earliest(slot: &mut Option<DateTime<Utc>>, t: DateTime<Utc>) {
    *slot = Some(slot.map_or(t, |s| s.min(t)));
}

impl Channel {
    /// The time the rate limit lets the next message go, if not now.
    fn blocked_until(&mut self, now: DateTime<Utc>) -> Option<DateTime<Utc>> {
        let window = self.window.get_or_insert_default();
        while window.front().is_some_and(|t| *t <= now - MINUTE) {
            window.pop_front();
        }
        (window.len() >= self.config.per_minute as usize).then(|| window[0] + MINUTE)
    }

    fn backoff(&self, attempts: u32) -> Duration {
        let factor = 2u32.saturating_pow(attempts.saturating_sub(1).min(16));
        self.config.backoff.saturating_mul(factor).min(MAX_BACKOFF)
    }
}

/// Sends what the outbox holds.
pub struct Dispatcher {
    clock: Arc<dyn Clock>,
    channels: Vec<Channel>,
}

impl Dispatcher {
    /// A dispatcher for the routing's sinks.
    pub fn new(routing: &Routing, clock: Arc<dyn Clock>) -> Result<Dispatcher, SinkError> {
        let http = sinks::http_client()?;
        let channels = routing
            .sinks()
            .iter()
            .map(|c| Ok(Channel { config: c.clone(), sink: sinks::build(c, &http)?, window: None }))
            .collect::<Result<_, SinkError>>()?;
        Ok(Dispatcher { clock, channels })
    }

    /// One pass over every sink: sends what is due and allowed now.
    pub async fn deliver_due(&mut self, store: &mut dyn AlertStore) -> Result<Pass, StoreError> {
        let mut report = DeliveryReport::default();
        // The earliest time a rate limit or a back-off lets a held-back row go.
        let mut held: Option<DateTime<Utc>> = None;
        for ch in &mut self.channels {
            let now = self.clock.now();
            if ch.window.is_none() {
                ch.window = Some(store.sent_since(&ch.config.id, now - MINUTE)?.into());
            }
            let due = store.due(&ch.config.id, now)?;
            if due.is_empty() {
                continue;
            }
            let batches: Vec<(Message, Vec<Pending>)> =
                if ch.config.digest_over > 0 && due.len() > ch.config.digest_over {
                    let pages = Message::digests(
                        due.iter().map(|p| p.alert.clone()).collect(),
                        ch.config.kind.max_bytes(),
                    );
                    let mut rows = due.into_iter();
                    pages
                        .into_iter()
                        .map(|m| {
                            let page_rows = rows.by_ref().take(m.alerts.len()).collect();
                            (m, page_rows)
                        })
                        .collect()
                } else {
                    due.into_iter().map(|p| (Message::single(p.alert.clone()), vec![p])).collect()
                };
            for (message, rows) in batches {
                let now = self.clock.now();
                if let Some(t) = ch.blocked_until(now) {
                    earliest(&mut held, t);
                    break;
                }
                let result = ch.sink.send(&message, now).await;
                ch.window.get_or_insert_default().push_back(now);
                match result {
                    Ok(()) => {
                        let ids: Vec<i64> = rows.iter().map(|r| r.id).collect();
                        store.mark_sent(&ids, now, &message.key)?;
                        report.messages += 1;
                        report.digests += usize::from(message.digest);
                        report.delivered += rows.len();
                    }
                    Err(e) => {
                        tracing::warn!(sink = %ch.config.id, error = %e, "告警发送失败");
                        for row in &rows {
                            let attempts = row.attempts + 1;
                            if attempts >= ch.config.max_attempts {
                                store.mark_failed(row.id, attempts, None, &e.0)?;
                                report.given_up += 1;
                            } else {
                                let retry_at = now + ch.backoff(attempts);
                                store.mark_failed(row.id, attempts, Some(retry_at), &e.0)?;
                                report.retries += 1;
                                earliest(&mut held, retry_at);
                            }
                        }
                        // The platform is failing: the rest waits for the retry rather than
                        // hammering it now.
                        break;
                    }
                }
            }
        }
        let ids: Vec<&str> = self.channels.iter().map(|c| c.config.id.as_str()).collect();
        let now = self.clock.now();
        let next = match store.next_due(&ids)? {
            None => None,
            Some(t) if t > now => Some(held.map_or(t, |h| h.min(t))),
            // Due now: held back by a limit or a back-off, or written during the pass.
            Some(_) => Some(held.unwrap_or(now)),
        };
        Ok(Pass { report, next })
    }

    /// Passes until nothing is pending or the next pass would start after `deadline`,
    /// waiting on the clock in between (rate limits, back-off).
    pub async fn drain(
        &mut self,
        store: &mut dyn AlertStore,
        deadline: DateTime<Utc>,
    ) -> Result<DeliveryReport, StoreError> {
        let mut total = DeliveryReport::default();
        loop {
            let pass = self.deliver_due(store).await?;
            total += pass.report;
            let Some(next) = pass.next else { break };
            if next > deadline {
                break;
            }
            let now = self.clock.now();
            let idle = pass.report == DeliveryReport::default();
            // Never spin: a pass that did nothing waits at least a second.
            let wait = (next - now).to_std().unwrap_or_default().max(if idle {
                Duration::from_secs(1)
            } else {
                Duration::ZERO
            });
            if !wait.is_zero() {
                self.clock.sleep(wait).await;
            }
        }
        Ok(total)
    }
}
