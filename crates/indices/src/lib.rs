//! Propagation indices (WCI, BCI and their published versions) as pure functions.
//!
//! Every formula follows `shared/reference/indices.md`. The inputs are plain numbers, so the
//! same functions serve the checks (which sum an account's articles) and the golden tests
//! (which feed the published worked examples). Reads shown as "10万+" are passed in as 100001
//! by the caller; this crate never sees the cap.
//!
//! Versions and their status:
//! - WCI 2.0, 11.x, 12.0: confirmed by published worked examples (golden G1, G2).
//! - WCI 13.0 and 14.2: dimension and term weights are data ([`WciModel`]), because the
//!   published sources disagree or are damaged; results carry `unverified = true`.
//! - 2014 Tsinghua WCI / BCI / combined relations: linear, exact in the published tables.
//! - Provincial BCI: `(0.2·W1 + 0.8·W2) × 160` (golden G4).

pub mod tsinghua;

pub use tsinghua::{tsinghua_bci_2014, tsinghua_combined_2014, tsinghua_wci_2014};

/// How per-article and per-day averages enter the logarithms.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Averaging {
    /// The exact quotient.
    #[default]
    Exact,
    /// Rounded to one decimal first: the publisher's convention in its daily records.
    RoundToTenth,
}

impl Averaging {
    fn mean(self, total: f64, count: f64) -> f64 {
        if count <= 0.0 {
            return 0.0;
        }
        let m = total / count;
        match self {
            Averaging::Exact => m,
            Averaging::RoundToTenth => (m * 10.0).round() / 10.0,
        }
    }
}

/// The four counters an index may read, summed or maximised over a set of articles.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Figures {
    pub reads: f64,
    /// 在看 (Z in the formulas; before V13 the same slot held likes).
    pub wows: f64,
    pub likes: f64,
    pub shares: f64,
}

/// What the WCI formulas read about one account over one period.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct PeriodFigures {
    /// Totals over all `articles` (R, Z, L, RE).
    pub total: Figures,
    /// Totals over headline (头条) articles (Rt, Zt, Lt, REt).
    pub headline: Figures,
    /// Largest single-article values (Rmax, Zmax, Lmax, REmax).
    pub max: Figures,
    /// n
    pub articles: f64,
    /// nt
    pub headline_articles: f64,
    /// d: 7 for a week, 30 for a month, 365 for a year, otherwise the real count.
    pub days: f64,
}

/// The two log-normalised sub-indices and the index of the 2.0 / 11.x / 12.0 family.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct WciParts {
    /// 阅读指数 A
    pub read_index: f64,
    /// 点赞指数 B
    pub like_index: f64,
    pub value: f64,
}

fn ln1(x: f64) -> f64 {
    (x.max(0.0) + 1.0).ln()
}

/// The shared shape of 2.0, 11.x and 12.0: `(0.8·A + 0.2·B)² × 10`, where
/// A = 0.40·ln(R₀+1) + 0.45·ln(R/n+1) + 0.15·ln(Rmax+1) and B is the same over likes
/// multiplied by `like_factor` inside every logarithm.
fn classic(r0: f64, r_avg: f64, r_max: f64, z0: f64, z_avg: f64, z_max: f64, like_factor: f64) -> WciParts {
    let a = 0.40 * ln1(r0) + 0.45 * ln1(r_avg) + 0.15 * ln1(r_max);
    let k = like_factor;
    let b = 0.40 * ln1(k * z0) + 0.45 * ln1(k * z_avg) + 0.15 * ln1(k * z_max);
    let s = 0.8 * a + 0.2 * b;
    WciParts { read_index: a, like_index: b, value: s * s * 10.0 }
}

/// WCI 2.0 over totals R, Z (Z = likes), the article count n and the best article's values.
pub fn wci_v2(r: f64, n: f64, r_max: f64, z: f64, z_max: f64, avg: Averaging) -> WciParts {
    classic(r, avg.mean(r, n), r_max, z, avg.mean(z, n), z_max, 1.0)
}

/// WCI 11.x: as 2.0, likes multiplied by 10 inside every logarithm.
pub fn wci_v11(r: f64, n: f64, r_max: f64, z: f64, z_max: f64, avg: Averaging) -> WciParts {
    classic(r, avg.mean(r, n), r_max, z, avg.mean(z, n), z_max, 10.0)
}

/// WCI 12.0: as 11.x, with the totals replaced by the daily means R/d and Z/d.
pub fn wci_v12(r: f64, n: f64, d: f64, r_max: f64, z: f64, z_max: f64, avg: Averaging) -> WciParts {
    classic(avg.mean(r, d), avg.mean(r, n), r_max, avg.mean(z, d), avg.mean(z, n), z_max, 10.0)
}

/// A four-dimension WCI (13.0, 14.x) with its weights as data.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct WciModel {
    pub version: &'static str,
    /// Weights of ln(reads+1), ln(10·在看+1), ln(10·likes+1), ln(10·shares+1) in a dimension.
    pub terms: [f64; 4],
    /// Weights of the dimensions O (overall), A (per article), H (headline), P (peak).
    pub dimensions: [f64; 4],
    /// The factor applied to the squared sum.
    pub multiplier: f64,
    /// The weights are not confirmed by a published source.
    pub unverified: bool,
}

/// WCI 13.0 with the 0.6/0.2/0.1/0.1 dimension weights of one source (another says
/// 0.3/0.3/0.3/0.1: see [`WCI_13_0_ALT`]) and the ×10 scale of the classic family.
pub const WCI_13_0: WciModel = WciModel {
    version: "13.0",
    terms: [0.85, 0.15, 0.0, 0.0],
    dimensions: [0.6, 0.2, 0.1, 0.1],
    multiplier: 10.0,
    unverified: true,
};

/// WCI 13.0 with the 0.3/0.3/0.3/0.1 dimension weights of the other source.
pub const WCI_13_0_ALT: WciModel = WciModel { dimensions: [0.3, 0.3, 0.3, 0.1], ..WCI_13_0 };

/// WCI 14.2 as written in indices.md; the ×1.2 multiplier was read from a damaged copy.
pub const WCI_14_2: WciModel = WciModel {
    version: "14.2",
    terms: [0.70, 0.09, 0.06, 0.15],
    dimensions: [0.6, 0.2, 0.1, 0.1],
    multiplier: 1.2 * 10.0,
    unverified: true,
};

/// The four dimensions and the index of a four-dimension WCI.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct WciDimensions {
    pub overall: f64,
    pub per_article: f64,
    pub headline: f64,
    pub peak: f64,
    pub value: f64,
}

impl WciModel {
    fn dimension(&self, f: Figures) -> f64 {
        let [wr, wz, wl, ws] = self.terms;
        wr * ln1(f.reads) + wz * ln1(10.0 * f.wows) + wl * ln1(10.0 * f.likes) + ws * ln1(10.0 * f.shares)
    }

    /// The index of `p` under this model.
    pub fn compute(&self, p: &PeriodFigures, avg: Averaging) -> WciDimensions {
        let per = |f: Figures, by: f64| Figures {
            reads: avg.mean(f.reads, by),
            wows: avg.mean(f.wows, by),
            likes: avg.mean(f.likes, by),
            shares: avg.mean(f.shares, by),
        };
        let overall = self.dimension(per(p.total, p.days));
        let per_article = self.dimension(per(p.total, p.articles));
        let headline = self.dimension(per(p.headline, p.days));
        let peak = self.dimension(p.max);
        let [wo, wa, wh, wp] = self.dimensions;
        let s = wo * overall + wa * per_article + wh * headline + wp * peak;
        WciDimensions { overall, per_article, headline, peak, value: s * s * self.multiplier }
    }
}

/// The WCI versions a framework may name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum WciVersion {
    V2,
    V11,
    V12,
    V13,
    V14_2,
}

impl WciVersion {
    pub const ALL: [WciVersion; 5] =
        [WciVersion::V2, WciVersion::V11, WciVersion::V12, WciVersion::V13, WciVersion::V14_2];

    /// The version as written in frameworks and results (`14.2`).
    pub fn as_str(self) -> &'static str {
        match self {
            WciVersion::V2 => "2.0",
            WciVersion::V11 => "11.x",
            WciVersion::V12 => "12.0",
            WciVersion::V13 => "13.0",
            WciVersion::V14_2 => "14.2",
        }
    }

    /// Parses `2.0`, `11`, `11.x`, `12.0`, `13.0`, `14.2` (with or without a leading `V`).
    pub fn parse(s: &str) -> Option<WciVersion> {
        let t = s.trim().trim_start_matches(['V', 'v']);
        match t {
            "2" | "2.0" => Some(WciVersion::V2),
            "11" | "11.x" | "11.0" => Some(WciVersion::V11),
            "12" | "12.0" => Some(WciVersion::V12),
            "13" | "13.0" => Some(WciVersion::V13),
            "14.2" => Some(WciVersion::V14_2),
            _ => None,
        }
    }

    /// True when the formula's weights are not confirmed by a published source.
    pub fn unverified(self) -> bool {
        matches!(self, WciVersion::V13 | WciVersion::V14_2)
    }

    /// The index of `p`. Versions before 13.0 read likes in the Z slot (在看 did not exist
    /// yet); 13.0 and later read 在看 there.
    pub fn compute(self, p: &PeriodFigures, avg: Averaging) -> f64 {
        let (t, m) = (p.total, p.max);
        match self {
            WciVersion::V2 => wci_v2(t.reads, p.articles, m.reads, t.likes, m.likes, avg).value,
            WciVersion::V11 => wci_v11(t.reads, p.articles, m.reads, t.likes, m.likes, avg).value,
            WciVersion::V12 => wci_v12(t.reads, p.articles, p.days, m.reads, t.likes, m.likes, avg).value,
            WciVersion::V13 => WCI_13_0.compute(p, avg).value,
            WciVersion::V14_2 => WCI_14_2.compute(p, avg).value,
        }
    }
}

/// The provincial BCI's parts.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct BciParts {
    /// W1 activity = ln(posts+1)
    pub activity: f64,
    /// W2 propagation = 0.4·ln(reposts+1) + 0.4·ln(comments+1) + 0.2·ln(likes+1)
    pub propagation: f64,
    pub value: f64,
}

/// The later BCI used by provincial datasets: `(0.2·W1 + 0.8·W2) × 160`.
pub fn bci_provincial(posts: f64, reposts: f64, comments: f64, likes: f64) -> BciParts {
    let w1 = ln1(posts);
    let w2 = 0.4 * ln1(reposts) + 0.4 * ln1(comments) + 0.2 * ln1(likes);
    BciParts { activity: w1, propagation: w2, value: (0.2 * w1 + 0.8 * w2) * 160.0 }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(a: f64, b: f64) {
        assert!((a - b).abs() < 1e-6, "{a} != {b}");
    }

    #[test]
    fn g1_wci_2_0_worked_example() {
        // R/n = 100 with R = 10000 means n = 100.
        let p = wci_v2(10000.0, 100.0, 300.0, 4000.0, 60.0, Averaging::Exact);
        close(p.read_index, 6.617046919);
        close(p.like_index, 5.605458353);
        close(0.8 * p.read_index + 0.2 * p.like_index, 6.414729206);
        close(p.value, 411.4875079);
    }

    #[test]
    fn g2_wci_12_0_with_and_without_rounding() {
        let rounded = wci_v12(29396.0, 3.0, 1.0, 22858.0, 72.0, 49.0, Averaging::RoundToTenth);
        close(rounded.value, 812.0233948);
        let exact = wci_v12(29396.0, 3.0, 1.0, 22858.0, 72.0, 49.0, Averaging::Exact);
        close(exact.value, 812.0231741);
        // With d = 1 the daily mean is the total, so 11.x agrees with 12.0.
        close(wci_v11(29396.0, 3.0, 22858.0, 72.0, 49.0, Averaging::RoundToTenth).value, rounded.value);
    }

    fn g3() -> PeriodFigures {
        let f = |reads, wows, likes, shares| Figures { reads, wows, likes, shares };
        PeriodFigures {
            total: f(70000.0, 700.0, 1400.0, 2100.0),
            headline: f(49000.0, 490.0, 980.0, 1470.0),
            max: f(20000.0, 200.0, 400.0, 600.0),
            articles: 14.0,
            headline_articles: 7.0,
            days: 7.0,
        }
    }

    #[test]
    fn g3_wci_14_2_as_written() {
        let d = WCI_14_2.compute(&g3(), Averaging::Exact);
        close(d.overall, 8.726185454);
        close(d.per_article, 8.033278081);
        close(d.headline, 8.369613300);
        close(d.peak, 9.419212683);
        close(d.value, 891.9113126);
        assert!(WCI_14_2.unverified && WciVersion::V14_2.unverified());
        close(WciVersion::V14_2.compute(&g3(), Averaging::Exact), 891.9113126);
    }

    #[test]
    fn wci_13_0_by_hand_from_the_formula() {
        // O = 0.85·ln(10000+1) + 0.15·ln(10·100+1), A over R/n = 5000, Z/n = 50,
        // H over 7000 and 70, P over 20000 and 200; weights 0.6/0.2/0.1/0.1, ×10.
        let dim = |r: f64, z: f64| 0.85 * (r + 1.0).ln() + 0.15 * (10.0 * z + 1.0).ln();
        let s = 0.6 * dim(10000.0, 100.0)
            + 0.2 * dim(5000.0, 50.0)
            + 0.1 * dim(7000.0, 70.0)
            + 0.1 * dim(20000.0, 200.0);
        close(WCI_13_0.compute(&g3(), Averaging::Exact).value, s * s * 10.0);
        let alt = 0.3 * dim(10000.0, 100.0)
            + 0.3 * dim(5000.0, 50.0)
            + 0.3 * dim(7000.0, 70.0)
            + 0.1 * dim(20000.0, 200.0);
        close(WCI_13_0_ALT.compute(&g3(), Averaging::Exact).value, alt * alt * 10.0);
    }

    #[test]
    fn g4_provincial_bci() {
        let b = bci_provincial(100.0, 1000.0, 500.0, 5000.0);
        close(b.activity, 4.615120517);
        close(b.propagation, 6.953622986);
        close(b.value, 1037.747599);
    }

    #[test]
    fn versions_parse_and_dispatch() {
        for v in WciVersion::ALL {
            assert_eq!(WciVersion::parse(v.as_str()), Some(v));
        }
        assert_eq!(WciVersion::parse("V14.2"), Some(WciVersion::V14_2));
        assert_eq!(WciVersion::parse("15"), None);
        let mut p = g3();
        p.total.likes = 4000.0;
        p.max.likes = 60.0;
        p.total.reads = 10000.0;
        p.max.reads = 300.0;
        p.articles = 100.0;
        close(WciVersion::V2.compute(&p, Averaging::Exact), 411.4875079);
    }

    #[test]
    fn empty_periods_do_not_divide_by_zero() {
        let v = WCI_14_2.compute(&PeriodFigures::default(), Averaging::Exact).value;
        assert_eq!(v, 0.0);
        assert_eq!(wci_v2(0.0, 0.0, 0.0, 0.0, 0.0, Averaging::RoundToTenth).value, 0.0);
    }
}
