//! The generator's randomness: the span of history, skewed timestamps, power-law popularity and
//! permutations, all drawn from the one seeded RNG.

use chrono::{Duration, NaiveDateTime};
use rand::rngs::StdRng;
use rand::Rng as _;

const HISTORY_DAYS: i64 = 5 * 365;

/// The five years the data set spans. Generation is deterministic, so it does not read the clock:
/// history ends on the day it is given (`generate --until`, by default the day of generation).
#[derive(Debug, Clone, Copy)]
pub(super) struct History {
    pub start: NaiveDateTime,
    end: NaiveDateTime,
}

impl History {
    pub fn new(until: chrono::NaiveDate) -> Self {
        let end = until.and_time(chrono::NaiveTime::MIN);
        Self {
            start: end - Duration::days(HISTORY_DAYS),
            end,
        }
    }

    /// A moment anywhere in the history, uniformly.
    pub fn any_time(&self, rng: &mut StdRng) -> NaiveDateTime {
        self.start + Duration::seconds(rng.random_range(0..HISTORY_DAYS * 86_400))
    }

    /// A moment between `from` and the end of history.
    pub fn after(&self, rng: &mut StdRng, from: NaiveDateTime) -> NaiveDateTime {
        let span = (self.end - from).num_seconds().max(1);
        // Skewed towards the present: the site grows.
        let u: f64 = rng.random::<f64>().sqrt();
        from + Duration::seconds((u * span as f64) as i64)
    }
}

/// A sampler of indexes `0..n` with weights `1/(i+1)^s`: a few items get most of the picks.
pub(super) struct PowerLaw {
    cumulative: Vec<f64>,
}

impl PowerLaw {
    pub fn new(n: usize, s: f64) -> Self {
        let mut total = 0.0;
        let cumulative = (0..n)
            .map(|i| {
                total += 1.0 / ((i + 1) as f64).powf(s);
                total
            })
            .collect();
        Self { cumulative }
    }

    pub fn sample(&self, rng: &mut StdRng) -> usize {
        let total = self.cumulative.last().copied().unwrap_or(0.0);
        let x = rng.random::<f64>() * total;
        self.cumulative
            .partition_point(|c| *c < x)
            .min(self.cumulative.len().saturating_sub(1))
    }
}

/// A random permutation of `0..n` (so the most popular items are spread over the ids).
fn permutation(n: usize, rng: &mut StdRng) -> Vec<usize> {
    let mut items: Vec<usize> = (0..n).collect();
    for i in (1..n).rev() {
        let j = rng.random_range(0..=i);
        items.swap(i, j);
    }
    items
}

/// Popularity over `0..n` (at least one item): a power law over a random permutation, so a few
/// items, spread over the range, get most of the picks.
pub(super) struct Popularity {
    law: PowerLaw,
    order: Vec<usize>,
}

impl Popularity {
    pub fn new(n: usize, s: f64, rng: &mut StdRng) -> Self {
        let n = n.max(1);
        let law = PowerLaw::new(n, s);
        let order = permutation(n, rng);
        Self { law, order }
    }

    pub fn pick(&self, rng: &mut StdRng) -> usize {
        self.order[self.law.sample(rng)]
    }

    /// Picks into `items` until it holds `n` different ones.
    pub fn pick_distinct(&self, rng: &mut StdRng, items: &mut Vec<usize>, n: usize) {
        while items.len() < n {
            let item = self.pick(rng);
            if !items.contains(&item) {
                items.push(item);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use rand::SeedableRng as _;

    use super::*;

    #[test]
    fn power_law_favours_the_first_items_and_covers_the_range() {
        let mut rng = StdRng::seed_from_u64(7);
        let law = PowerLaw::new(1000, 1.0);
        let mut hits = vec![0usize; 1000];
        for _ in 0..100_000 {
            hits[law.sample(&mut rng)] += 1;
        }
        assert!(
            hits[0] > hits[10] && hits[10] > hits[500],
            "{:?}",
            &hits[..12]
        );
        assert!(hits.iter().filter(|h| **h > 0).count() > 900);
    }
}
