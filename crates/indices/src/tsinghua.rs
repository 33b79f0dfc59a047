//! The linear relations of the 2014 Tsinghua report on government new media.
//!
//! The report publishes sub-indices next to each index; fitting its tables shows these exact
//! relations (every printed row reproduces to ±0.01 apart from two misprints, see the
//! integration test).

/// 微信传播指数 = 0.6 × 阅读指数 + 0.4 × 点赞指数.
pub fn tsinghua_wci_2014(read_index: f64, like_index: f64) -> f64 {
    0.6 * read_index + 0.4 * like_index
}

/// 微博传播指数 = 0.2 × 覆盖度 + 0.5 × 活跃度 + 0.5 × 互动度 + 0.8 × 传播度.
pub fn tsinghua_bci_2014(coverage: f64, activity: f64, interaction: f64, propagation: f64) -> f64 {
    0.2 * coverage + 0.5 * activity + 0.5 * interaction + 0.8 * propagation
}

/// 综合传播值 = 0.6 × WCI + 0.4 × BCI, for units with both accounts.
pub fn tsinghua_combined_2014(wci: f64, bci: f64) -> f64 {
    0.6 * wci + 0.4 * bci
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn worked_examples_of_indices_md() {
        assert!((tsinghua_wci_2014(1489.64, 994.67) - 1291.65).abs() <= 0.01);
        assert!((tsinghua_wci_2014(1256.68, 759.74) - 1057.91).abs() <= 0.01);
        assert!((tsinghua_bci_2014(1027.90, 374.27, 246.39, 701.27) - 1076.92).abs() <= 0.01);
        assert!((tsinghua_bci_2014(986.32, 315.25, 0.0, 295.88) - 591.6).abs() <= 0.01);
        assert!((tsinghua_combined_2014(1057.91, 870.64) - 983.00).abs() <= 0.01);
    }
}
