//! The one source of randomness: ChaCha8 streams derived from the seed and a label.
//!
//! Every draw goes through integer arithmetic or `libm` (a pure-Rust port of musl's maths),
//! never the platform's C library, so the same seed gives the same bytes on every platform.
//! Each part of the generator takes its own labelled stream, so changing how one part draws
//! does not shift the draws of the others.

use rand_chacha::ChaCha8Rng;
use rand_chacha::rand_core::{RngCore, SeedableRng};

pub(crate) struct Rng(ChaCha8Rng);

/// FNV-1a: a stable hash of a label (std's hasher is not guaranteed stable across releases).
pub(crate) fn fnv1a(s: &str) -> u64 {
    s.bytes().fold(0xcbf2_9ce4_8422_2325, |h, b| (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3))
}

impl Rng {
    /// The stream `label` of `seed`.
    pub(crate) fn new(seed: u64, label: &str) -> Rng {
        let mut r = ChaCha8Rng::seed_from_u64(seed);
        r.set_stream(fnv1a(label));
        Rng(r)
    }

    pub(crate) fn u64(&mut self) -> u64 {
        self.0.next_u64()
    }

    /// Uniform in [0, 1) with 53 bits.
    pub(crate) fn f64(&mut self) -> f64 {
        (self.u64() >> 11) as f64 * (1.0 / (1u64 << 53) as f64)
    }

    /// Uniform in [0, n) without modulo bias (Lemire's method); `n` must be positive.
    pub(crate) fn below(&mut self, n: u64) -> u64 {
        assert!(n > 0, "below(0)");
        loop {
            let m = u128::from(self.u64()) * u128::from(n);
            let low = m as u64;
            if low >= n.wrapping_neg() % n {
                return (m >> 64) as u64;
            }
        }
    }

    /// Uniform in [lo, hi], both included.
    pub(crate) fn range(&mut self, lo: i64, hi: i64) -> i64 {
        lo + self.below((hi - lo + 1) as u64) as i64
    }

    pub(crate) fn index(&mut self, len: usize) -> usize {
        self.below(len as u64) as usize
    }

    pub(crate) fn chance(&mut self, p: f64) -> bool {
        self.f64() < p
    }

    /// Standard normal (Box–Muller).
    pub(crate) fn normal(&mut self) -> f64 {
        let u1 = 1.0 - self.f64();
        let u2 = self.f64();
        libm::sqrt(-2.0 * libm::log(u1)) * libm::cos(2.0 * std::f64::consts::PI * u2)
    }

    /// exp(mu + sigma·Z).
    pub(crate) fn lognormal(&mut self, mu: f64, sigma: f64) -> f64 {
        libm::exp(mu + sigma * self.normal())
    }

    /// Failures before the first success, each trial succeeding with `p`.
    pub(crate) fn geometric(&mut self, p: f64, max: u32) -> u32 {
        let mut n = 0;
        while n < max && !self.chance(p) {
            n += 1;
        }
        n
    }

    pub(crate) fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.index(items.len())]
    }

    pub(crate) fn pick_str(&mut self, items: &[&'static str]) -> &'static str {
        items[self.index(items.len())]
    }

    /// An index drawn with probability proportional to `weights`.
    pub(crate) fn weighted(&mut self, weights: &[u32]) -> usize {
        let total: u64 = weights.iter().map(|&w| u64::from(w)).sum();
        let mut x = self.below(total);
        for (i, &w) in weights.iter().enumerate() {
            if x < u64::from(w) {
                return i;
            }
            x -= u64::from(w);
        }
        unreachable!("x < total")
    }

    /// Fisher–Yates.
    pub(crate) fn shuffle<T>(&mut self, items: &mut [T]) {
        for i in (1..items.len()).rev() {
            let j = self.index(i + 1);
            items.swap(i, j);
        }
    }

    /// Exactly `k` distinct indices of `0..n` (all of them when `k >= n`), in ascending order.
    pub(crate) fn choose(&mut self, n: usize, k: usize) -> Vec<usize> {
        let mut all: Vec<usize> = (0..n).collect();
        self.shuffle(&mut all);
        all.truncate(k.min(n));
        all.sort_unstable();
        all
    }

    /// Exactly `k` distinct indices drawn without replacement with probability proportional
    /// to `weights` (Efraimidis–Spirakis keys), in ascending order. Zero weights are never drawn.
    pub(crate) fn choose_weighted(&mut self, weights: &[f64], k: usize) -> Vec<usize> {
        let mut keyed: Vec<(f64, usize)> = weights
            .iter()
            .enumerate()
            .filter(|(_, w)| **w > 0.0)
            .map(|(i, &w)| (libm::log(1.0 - self.f64()) / w, i))
            .collect();
        keyed.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
        let mut out: Vec<usize> = keyed.into_iter().take(k).map(|(_, i)| i).collect();
        out.sort_unstable();
        out
    }

    /// `n` lowercase hex digits.
    pub(crate) fn hex(&mut self, n: usize) -> String {
        (0..n).map(|_| char::from_digit(self.below(16) as u32, 16).expect("hex digit")).collect()
    }
}

/// `round(rate · n)`, at least `min` when `n > 0`: how many records get a planted property.
pub(crate) fn count_at(rate: f64, n: usize, min: usize) -> usize {
    if n == 0 {
        return 0;
    }
    (libm::round(rate * n as f64) as usize).max(min).min(n)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn streams_are_reproducible_and_independent() {
        let a: Vec<u64> = (0..4)
            .map({
                let mut r = Rng::new(7, "x");
                move |_| r.u64()
            })
            .collect();
        let mut again = Rng::new(7, "x");
        assert_eq!(a, (0..4).map(|_| again.u64()).collect::<Vec<_>>());
        let mut other = Rng::new(7, "y");
        assert_ne!(a[0], other.u64());
    }

    #[test]
    fn choices_are_exact_and_distinct() {
        let mut r = Rng::new(1, "t");
        let c = r.choose(100, 17);
        assert_eq!(c.len(), 17);
        assert!(c.windows(2).all(|w| w[0] < w[1]));
        let w: Vec<f64> = (0..50).map(|i| if i % 2 == 0 { 0.0 } else { 1.0 + i as f64 }).collect();
        let c = r.choose_weighted(&w, 10);
        assert_eq!(c.len(), 10);
        assert!(c.iter().all(|i| i % 2 == 1));
        assert_eq!(count_at(0.056, 29_684, 0), 1662);
        assert_eq!(count_at(0.01, 48, 1), 1);
        for _ in 0..1000 {
            assert!(r.below(3) < 3);
            let x = r.range(-2, 2);
            assert!((-2..=2).contains(&x));
        }
    }
}
