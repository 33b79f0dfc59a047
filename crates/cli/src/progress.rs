//! Progress bars on standard error (hidden when it is not a terminal).

use std::sync::Mutex;
use std::time::Duration;

use govmedia_model::Progress;
use indicatif::{ProgressBar, ProgressStyle};

/// Shows one bar per stage.
#[derive(Default)]
pub struct Bars {
    bar: Mutex<Option<ProgressBar>>,
}

impl Progress for Bars {
    fn start(&self, label: &str, total: u64) {
        let bar = if total == 0 {
            let b = ProgressBar::new_spinner();
            b.enable_steady_tick(Duration::from_millis(120));
            b
        } else {
            let b = ProgressBar::new(total);
            let style = ProgressStyle::with_template(
                "{msg:20} [{bar:30}] {percent:>3}% {elapsed_precise} 剩余 {eta}",
            )
            .expect("valid template")
            .progress_chars("=> ");
            b.set_style(style);
            b
        };
        bar.set_message(label.to_owned());
        if let Some(old) = self.bar.lock().expect("progress lock").replace(bar) {
            old.finish_and_clear();
        }
    }

    fn advance(&self, n: u64) {
        if let Some(b) = self.bar.lock().expect("progress lock").as_ref() {
            b.inc(n);
        }
    }

    fn finish(&self) {
        if let Some(b) = self.bar.lock().expect("progress lock").take() {
            b.finish_and_clear();
        }
    }
}
