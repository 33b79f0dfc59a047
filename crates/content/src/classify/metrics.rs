//! How well labels agree: a confusion matrix and what is read from it (accuracy, per-category
//! recall and precision, macro-F1, Cohen's κ). Used for the classifier against labels and for
//! one labelling pass against another.

use super::linear::K;

/// Counts of `[gold][predicted]`, indices into [`super::CATEGORIES`].
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Confusion(pub [[usize; K]; K]);

impl Confusion {
    /// From pairs of (gold, predicted).
    pub fn from_pairs(pairs: impl IntoIterator<Item = (usize, usize)>) -> Self {
        let mut m = Confusion::default();
        for (g, p) in pairs {
            m.0[g][p] += 1;
        }
        m
    }

    pub fn total(&self) -> usize {
        self.0.iter().flatten().sum()
    }

    pub fn correct(&self) -> usize {
        (0..K).map(|c| self.0[c][c]).sum()
    }

    /// Share of agreeing pairs; `None` without pairs.
    pub fn accuracy(&self) -> Option<f64> {
        ratio(self.correct(), self.total())
    }

    /// Labelled in category `c`.
    pub fn gold(&self, c: usize) -> usize {
        self.0[c].iter().sum()
    }

    /// Predicted as category `c`.
    pub fn predicted(&self, c: usize) -> usize {
        self.0.iter().map(|row| row[c]).sum()
    }

    pub fn recall(&self, c: usize) -> Option<f64> {
        ratio(self.0[c][c], self.gold(c))
    }

    pub fn precision(&self, c: usize) -> Option<f64> {
        ratio(self.0[c][c], self.predicted(c))
    }

    /// Mean F1 over the categories that occur in the gold labels (a category never labelled
    /// has no recall to speak of); a category never predicted counts with F1 = 0.
    pub fn macro_f1(&self) -> Option<f64> {
        let f1: Vec<f64> = (0..K)
            .filter(|c| self.gold(*c) > 0)
            .map(|c| {
                let (r, p) = (self.recall(c).unwrap_or(0.0), self.precision(c).unwrap_or(0.0));
                if r + p > 0.0 { 2.0 * r * p / (r + p) } else { 0.0 }
            })
            .collect();
        (!f1.is_empty()).then(|| f1.iter().sum::<f64>() / f1.len() as f64)
    }

    /// Cohen's κ: agreement beyond what the two label distributions give by chance.
    pub fn kappa(&self) -> Option<f64> {
        let n = self.total() as f64;
        let po = self.accuracy()?;
        let pe: f64 = (0..K).map(|c| self.gold(c) as f64 * self.predicted(c) as f64).sum::<f64>() / (n * n);
        (pe < 1.0).then(|| (po - pe) / (1.0 - pe))
    }
}

fn ratio(a: usize, b: usize) -> Option<f64> {
    (b > 0).then(|| a as f64 / b as f64)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_usual_measures() {
        // 10 pairs, 8 agree.
        let pairs = [(0, 0), (0, 0), (0, 1), (1, 1), (1, 1), (1, 1), (2, 2), (2, 2), (2, 0), (5, 5)];
        let m = Confusion::from_pairs(pairs);
        assert_eq!((m.total(), m.correct()), (10, 8));
        assert_eq!(m.accuracy(), Some(0.8));
        assert_eq!(m.recall(0), Some(2.0 / 3.0));
        assert_eq!(m.precision(1), Some(0.75));
        assert_eq!(m.recall(3), None);
        // Chance agreement from the marginals: gold (3,3,3,0,0,1), predicted (3,4,2,0,0,1).
        let pe = (9.0 + 12.0 + 6.0 + 1.0) / 100.0;
        assert!((m.kappa().unwrap() - (0.8 - pe) / (1.0 - pe)).abs() < 1e-12);
        let f1 = m.macro_f1().unwrap();
        assert!(f1 > 0.75 && f1 < 0.9, "{f1}");
        assert_eq!(Confusion::default().accuracy(), None);
    }
}
