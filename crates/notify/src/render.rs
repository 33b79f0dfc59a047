//! Messages: one alert, or a digest listing many, in a form every sink can render (markdown
//! for the robots, plain text for e-mail, the alerts themselves for webhooks), kept within
//! the sink's size limit.

use sha2::{Digest, Sha256};

use crate::alert::Alert;

/// Room kept for the heading a sink puts above the body.
const HEADING_RESERVE: usize = 256;

/// One message to one sink.
#[derive(Debug, Clone, PartialEq)]
pub struct Message {
    /// The alert's idempotency key; for a digest, a key derived from its alerts' keys.
    pub key: String,
    pub title: String,
    /// Labelled lines (label, text); a digest's lines have no label.
    pub lines: Vec<(Option<String>, String)>,
    pub alerts: Vec<Alert>,
    pub digest: bool,
}

impl Message {
    /// One alert; its title names the account (or source), which a robot's notification and
    /// an inbox show before anything else.
    pub fn single(alert: Alert) -> Message {
        Message {
            key: alert.idempotency_key.clone(),
            title: format!("{}｜{}", alert.headline(), alert.subject.name()),
            lines: alert.lines().into_iter().map(|(l, t)| (Some(l), t)).collect(),
            alerts: vec![alert],
            digest: false,
        }
    }

    /// Digest pages listing `alerts`, each page's markdown within `max_bytes`.
    pub fn digests(alerts: Vec<Alert>, max_bytes: usize) -> Vec<Message> {
        let budget = max_bytes.saturating_sub(HEADING_RESERVE).max(64);
        let total = alerts.len();
        let mut pages: Vec<Vec<(String, Alert)>> = vec![Vec::new()];
        let mut used = 0;
        for (i, a) in alerts.into_iter().enumerate() {
            let line = fit(&format!("{}. {}", i + 1, a.summary()), budget);
            let cost = line.len() + 2;
            let page = pages.last_mut().expect("one page at least");
            if !page.is_empty() && used + cost > budget {
                pages.push(Vec::new());
                used = 0;
            }
            used += cost;
            pages.last_mut().expect("one page at least").push((line, a));
        }
        let n = pages.len();
        pages
            .into_iter()
            .enumerate()
            .map(|(i, page)| {
                let mut h = Sha256::new();
                for (_, a) in &page {
                    h.update(a.idempotency_key.as_bytes());
                }
                let hex: String = h.finalize()[..16].iter().map(|b| format!("{b:02x}")).collect();
                let title = if n == 1 {
                    format!("监测告警汇总：同时到期{total}条")
                } else {
                    format!("监测告警汇总：同时到期{total}条（第{}/{n}页）", i + 1)
                };
                let (lines, alerts): (Vec<_>, Vec<_>) = page.into_iter().map(|(l, a)| ((None, l), a)).unzip();
                Message { key: format!("gm-digest-{hex}"), title, lines, alerts, digest: true }
            })
            .collect()
    }

    /// The body as markdown, lines separated by `separator`, cut to `max_bytes`.
    pub fn markdown(&self, separator: &str, max_bytes: usize) -> String {
        let body = self
            .lines
            .iter()
            .map(|(label, text)| match label {
                Some(l) => format!("**{l}**：{text}"),
                None => text.clone(),
            })
            .collect::<Vec<_>>()
            .join(separator);
        fit(&body, max_bytes)
    }

    /// The body as plain text.
    pub fn plain(&self) -> String {
        self.lines
            .iter()
            .map(|(label, text)| match label {
                Some(l) => format!("{l}：{text}"),
                None => text.clone(),
            })
            .collect::<Vec<_>>()
            .join("\n")
    }
}

/// `s` cut on a character boundary so that it, with a closing "…", takes at most `max` bytes.
pub fn fit(s: &str, max: usize) -> String {
    if s.len() <= max {
        return s.to_owned();
    }
    let ellipsis = "…";
    let mut end = max.saturating_sub(ellipsis.len());
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    format!("{}{ellipsis}", &s[..end])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fit_cuts_on_character_boundaries() {
        assert_eq!(fit("未更新", 9), "未更新");
        assert_eq!(fit("未更新天数", 9), "未更…");
        assert!(fit("未更新天数", 8).len() <= 8);
    }
}
