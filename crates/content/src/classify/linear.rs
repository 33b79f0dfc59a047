//! Multinomial logistic regression over sparse features, with its trainer and its file format.
//!
//! Hand-written because no maintained crate fits: linfa-logistic (0.8) and smartcore fit dense
//! matrices only, and a title corpus has tens of thousands of n-gram features (a dense 4,000 ×
//! 30,000 matrix is ~1 GB of f64); feature hashing down to a dense size loses accuracy.
//! Neither can regularise towards a prior model, which is how evaluators' own titles are added
//! to the shipped model without the corpus it was trained on (whose feed titles may not be
//! copied into the repository).
//!
//! Training minimises the mean cross-entropy plus `l2/2 · ‖w − prior‖²` (biases free) with
//! full-batch L-BFGS: deterministic, and independent of the order of the examples.

use std::collections::HashMap;
use std::fmt::Write as _;

use rustc_hash::FxHashMap;

use super::features::key;

/// Number of classes.
pub const K: usize = 6;

/// One training example: sparse features (key, value), sorted by key, its class, and its
/// weight in the loss.
#[derive(Debug, Clone, PartialEq)]
pub struct Sample {
    pub x: Vec<(u64, f32)>,
    pub y: usize,
    pub weight: f32,
}

/// Training settings.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Settings {
    /// L-BFGS iterations (the objective is usually flat well before).
    pub iterations: usize,
    /// L2 strength towards the prior (or towards zero without one).
    pub l2: f64,
    /// Weight of a news headline relative to a government-account title.
    pub news_weight: f32,
    /// Whether each category weighs the same in the loss, whatever its number of titles.
    pub balance: bool,
    /// Weight of each cue word (`lexicons/classify-keywords.toml`), added as a one-word title
    /// of its category; 0 leaves them out.
    pub cue_weight: f32,
}

impl Default for Settings {
    /// Chosen by cross-validation on the training part of the corpus (`classify_corpus tune`).
    fn default() -> Self {
        Settings { iterations: 150, l2: 3e-4, news_weight: 0.3, balance: true, cue_weight: 1.0 }
    }
}

/// A trained model: per feature, one weight per class, plus a bias per class.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Linear {
    /// Keyed by feature hash; Fx rather than SipHash since a prediction's time is mostly these
    /// look-ups and the keys come from the model file, not from an adversary.
    weights: FxHashMap<u64, [f32; K]>,
    bias: [f32; K],
    /// Feature names, for writing the model out.
    names: HashMap<u64, String>,
}

impl Linear {
    /// Trains on `samples`. `prior`, when given, is both the starting point and the centre of
    /// the regulariser (features the samples do not have keep their prior weights); `names`
    /// names the features for [`Linear::write`].
    pub fn train(
        samples: &[Sample],
        names: &HashMap<u64, String>,
        prior: Option<&Linear>,
        s: Settings,
    ) -> Self {
        // Dense indices for the features the samples have; parameters are K weights per
        // feature, then the K biases.
        let mut index: HashMap<u64, usize> = HashMap::new();
        let mut keys = Vec::new();
        let xs: Vec<Vec<(usize, f64)>> = samples
            .iter()
            .map(|smp| {
                smp.x
                    .iter()
                    .map(|(k, v)| {
                        let i = *index.entry(*k).or_insert_with(|| {
                            keys.push(*k);
                            keys.len() - 1
                        });
                        (i, f64::from(*v))
                    })
                    .collect()
            })
            .collect();
        let bias_at = keys.len() * K;
        let mut centre = vec![0f64; bias_at + K];
        if let Some(p) = prior {
            for (i, k) in keys.iter().enumerate() {
                if let Some(w) = p.weights.get(k) {
                    for c in 0..K {
                        centre[i * K + c] = f64::from(w[c]);
                    }
                }
            }
            for c in 0..K {
                centre[bias_at + c] = f64::from(p.bias[c]);
            }
        }
        let n: f64 = samples.iter().map(|s| f64::from(s.weight)).sum::<f64>().max(1e-9);
        let objective = |w: &[f64], grad: &mut [f64]| -> f64 {
            grad.fill(0.0);
            let mut loss = 0.0;
            for (x, smp) in xs.iter().zip(samples) {
                let mut z: [f64; K] = std::array::from_fn(|c| w[bias_at + c]);
                for (i, v) in x {
                    for c in 0..K {
                        z[c] += v * w[i * K + c];
                    }
                }
                let m = z.iter().copied().fold(f64::NEG_INFINITY, f64::max);
                let e: [f64; K] = std::array::from_fn(|c| (z[c] - m).exp());
                let sum: f64 = e.iter().sum();
                let weight = f64::from(smp.weight);
                loss += weight * (sum.ln() + m - z[smp.y]);
                for c in 0..K {
                    let err = weight * (e[c] / sum - f64::from(u8::from(c == smp.y))) / n;
                    grad[bias_at + c] += err;
                    for (i, v) in x {
                        grad[i * K + c] += v * err;
                    }
                }
            }
            loss /= n;
            for j in 0..bias_at {
                let d = w[j] - centre[j];
                loss += 0.5 * s.l2 * d * d;
                grad[j] += s.l2 * d;
            }
            loss
        };
        let w = lbfgs(centre.clone(), objective, s.iterations);
        let mut model = prior.cloned().unwrap_or_default();
        model.names.extend(names.iter().map(|(k, v)| (*k, v.clone())));
        for (i, k) in keys.iter().enumerate() {
            model.weights.insert(*k, std::array::from_fn(|c| w[i * K + c] as f32));
        }
        model.bias = std::array::from_fn(|c| w[bias_at + c] as f32);
        model
    }

    /// Raw class scores of a feature vector.
    pub fn logits(&self, x: &[(u64, f32)]) -> [f32; K] {
        let mut z = self.bias;
        for (f, v) in x {
            self.add(&mut z, *f, *v);
        }
        z
    }

    /// The class scores of an empty feature vector.
    pub fn bias(&self) -> [f32; K] {
        self.bias
    }

    /// Adds feature `key` with value `v` to the class scores `z` (nothing for an unknown one).
    pub fn add(&self, z: &mut [f32; K], key: u64, v: f32) {
        if let Some(w) = self.weights.get(&key) {
            for c in 0..K {
                z[c] += v * w[c];
            }
        }
    }

    /// Sets the weights of named features, replacing any they had.
    pub fn set_rows(&mut self, rows: impl IntoIterator<Item = (String, [f32; K])>) {
        for (name, w) in rows {
            let k = key(&name);
            self.weights.insert(k, w);
            self.names.insert(k, name);
        }
    }

    /// The weights of a named feature (zeros when it has none).
    pub fn row(&self, name: &str) -> [f32; K] {
        self.weights.get(&key(name)).copied().unwrap_or([0.0; K])
    }

    /// Number of features with weights.
    pub fn len(&self) -> usize {
        self.weights.len()
    }

    /// True when nothing was learned.
    pub fn is_empty(&self) -> bool {
        self.weights.is_empty()
    }

    /// Drops features whose largest absolute weight is below `min` (they change no decision
    /// that matters and make the shipped file larger).
    pub fn prune(&mut self, min: f32) {
        self.weights.retain(|_, w| w.iter().any(|x| x.abs() >= min));
        let weights = &self.weights;
        self.names.retain(|k, _| weights.contains_key(k));
    }

    /// The model as text: a `bias` line, then one line per named feature, tab-separated,
    /// weights with three decimals, features in name order (stable diffs).
    pub fn write(&self) -> String {
        let mut rows: Vec<(&str, &[f32; K])> =
            self.weights.iter().filter_map(|(k, w)| self.names.get(k).map(|n| (n.as_str(), w))).collect();
        rows.sort_unstable_by(|a, b| a.0.cmp(b.0));
        let mut out = String::from(
            "# govmedia article classifier: feature\t6 weights (政策发布解读 政务服务 社会关切 经验总结 科教文史 新闻活动)\n",
        );
        line(&mut out, "bias", &self.bias);
        for (name, w) in rows {
            line(&mut out, name, w);
        }
        out
    }

    /// Reads what [`Linear::write`] wrote. Errors name the line.
    pub fn read(text: &str) -> Result<Self, String> {
        let mut model = Linear::default();
        for (n, l) in text.lines().enumerate().filter(|(_, l)| !l.starts_with('#') && !l.is_empty()) {
            let mut cols = l.split('\t');
            let name = cols.next().unwrap_or_default();
            let w: Vec<f32> = cols
                .map(str::parse)
                .collect::<Result<_, _>>()
                .map_err(|e| format!("第 {} 行: {e}", n + 1))?;
            let w: [f32; K] = w.try_into().map_err(|_| format!("第 {} 行: 应有 {K} 个权重", n + 1))?;
            if name == "bias" {
                model.bias = w;
            } else {
                let k = key(name);
                model.weights.insert(k, w);
                model.names.insert(k, name.to_owned());
            }
        }
        Ok(model)
    }
}

fn line(out: &mut String, name: &str, w: &[f32; K]) {
    out.push_str(name);
    for x in w {
        let _ = write!(out, "\t{x:.3}");
    }
    out.push('\n');
}

/// Probabilities from scores.
pub fn softmax(z: [f32; K]) -> [f32; K] {
    let m = z.iter().copied().fold(f32::NEG_INFINITY, f32::max);
    let e: [f32; K] = std::array::from_fn(|c| (z[c] - m).exp());
    let s: f32 = e.iter().sum();
    std::array::from_fn(|c| e[c] / s)
}

/// Index of the largest value.
pub fn argmax(p: [f32; K]) -> usize {
    (0..K).max_by(|a, b| p[*a].total_cmp(&p[*b])).unwrap_or(0)
}

/// Minimises `f` (which writes its gradient) from `x` with L-BFGS (10 corrections) and a
/// backtracking line search; stops after `iterations` or when a step no longer lowers `f`.
fn lbfgs(mut x: Vec<f64>, mut f: impl FnMut(&[f64], &mut [f64]) -> f64, iterations: usize) -> Vec<f64> {
    const MEMORY: usize = 10;
    let dot = |a: &[f64], b: &[f64]| a.iter().zip(b).map(|(p, q)| p * q).sum::<f64>();
    let mut g = vec![0.0; x.len()];
    let mut fx = f(&x, &mut g);
    let mut history: std::collections::VecDeque<(Vec<f64>, Vec<f64>, f64)> =
        std::collections::VecDeque::new();
    let mut g_new = vec![0.0; x.len()];
    for it in 0..iterations {
        // Two-loop recursion: d = −H·g.
        let mut d: Vec<f64> = g.iter().map(|v| -v).collect();
        let mut alphas = Vec::with_capacity(history.len());
        for (s, y, rho) in history.iter().rev() {
            let a = rho * dot(s, &d);
            d.iter_mut().zip(y).for_each(|(di, yi)| *di -= a * yi);
            alphas.push(a);
        }
        if let Some((s, y, _)) = history.back() {
            let gamma = dot(s, y) / dot(y, y);
            d.iter_mut().for_each(|di| *di *= gamma);
        }
        for ((s, y, rho), a) in history.iter().zip(alphas.into_iter().rev()) {
            let b = rho * dot(y, &d);
            d.iter_mut().zip(s).for_each(|(di, si)| *di += (a - b) * si);
        }
        let slope = dot(&g, &d);
        if slope >= 0.0 {
            break;
        }
        let mut step = if it == 0 { 1.0 / dot(&g, &g).sqrt().max(1e-12) } else { 1.0 };
        let mut accepted = None;
        for _ in 0..30 {
            let trial: Vec<f64> = x.iter().zip(&d).map(|(xi, di)| xi + step * di).collect();
            let ft = f(&trial, &mut g_new);
            if ft <= fx + 1e-4 * step * slope {
                accepted = Some((trial, ft));
                break;
            }
            step *= 0.5;
        }
        let Some((trial, ft)) = accepted else { break };
        let s: Vec<f64> = trial.iter().zip(&x).map(|(a, b)| a - b).collect();
        let y: Vec<f64> = g_new.iter().zip(&g).map(|(a, b)| a - b).collect();
        let sy = dot(&s, &y);
        if sy > 1e-12 {
            history.push_back((s, y, 1.0 / sy));
            if history.len() > MEMORY {
                history.pop_front();
            }
        }
        let improved = fx - ft;
        x = trial;
        fx = ft;
        std::mem::swap(&mut g, &mut g_new);
        if improved < 1e-9 * fx.abs().max(1.0) {
            break;
        }
    }
    x
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample(f: &[u64], y: usize) -> Sample {
        Sample { x: f.iter().map(|k| (*k, 1.0)).collect(), y, weight: 1.0 }
    }

    #[test]
    fn learns_separable_classes_and_round_trips_through_text() {
        let samples: Vec<Sample> = (0..30).map(|i| sample(&[i % 3 + 1, 100], (i % 3) as usize)).collect();
        let names: HashMap<u64, String> = (1..=3).chain([100]).map(|k| (k, format!("f{k}"))).collect();
        let m = Linear::train(&samples, &names, None, Settings::default());
        for c in 0..3 {
            let p = softmax(m.logits(&[(c as u64 + 1, 1.0), (100, 1.0)]));
            assert!(p[c] > 0.8, "{c}: {p:?}");
        }
        // Weights are keyed by the hash of the name once written and read back.
        let back = Linear::read(&m.write()).unwrap();
        let x = [(key("f2"), 1.0), (key("f100"), 1.0)];
        assert!(softmax(back.logits(&x))[1] > 0.8);
        assert!(Linear::read("bias\t1\t2\n").unwrap_err().contains("第 1 行"));
    }

    #[test]
    fn a_prior_is_kept_where_new_data_says_nothing() {
        let names: HashMap<u64, String> = (1..=4).map(|k| (k, format!("f{k}"))).collect();
        let base: Vec<Sample> = (0..20).map(|i| sample(&[i % 2 + 1], (i % 2) as usize)).collect();
        let prior = Linear::train(&base, &names, None, Settings::default());
        // As when an evaluator's titles are added: the old titles plus the new ones.
        let mut extra = base.clone();
        extra.extend((0..10).map(|_| sample(&[3], 4)));
        let tuned = Linear::train(&extra, &names, Some(&prior), Settings::default());
        assert_eq!(argmax(softmax(tuned.logits(&[(3, 1.0)]))), 4);
        assert_eq!(argmax(softmax(tuned.logits(&[(1, 1.0)]))), 0);
    }
}
