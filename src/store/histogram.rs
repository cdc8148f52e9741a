//! Events per day by primary weapon, counted once when the store is built, for the
//! timeline's histogram.

use super::EventStore;
use crate::model::{DAY, Seconds, Weapon};

/// Events per day, split by primary weapon, precomputed for the timeline.
#[derive(Clone, Debug, Default)]
pub struct Histogram {
    /// Midnight UTC of the first bin.
    pub first_day: Seconds,
    /// One entry per day: count per weapon (indexed by [`Weapon::index`]).
    pub days: Vec<[u32; Weapon::ALL.len()]>,
    /// The largest daily total, for scaling.
    pub max_total: u32,
}

impl EventStore {
    /// The per-day histogram.
    pub fn histogram(&self) -> &Histogram {
        &self.histogram
    }

    pub(super) fn build_histogram(&self) -> Histogram {
        let Some((first, last)) = self.span else {
            return Histogram::default();
        };
        let first_day = first.div_euclid(DAY) * DAY;
        let n_days = ((last - 1).div_euclid(DAY) * DAY - first_day) / DAY + 1;
        let mut days = vec![[0u32; Weapon::ALL.len()]; usize::try_from(n_days).unwrap_or(0)];
        for (s, w) in self.start.iter().zip(&self.weapon) {
            // Each event is counted once, on its start day: the histogram shows activity, the
            // timeline marks uncertain ranges separately.
            let d = usize::try_from((s - first_day) / DAY).unwrap_or(0);
            if let Some(bin) = days.get_mut(d) {
                bin[usize::from(*w).min(Weapon::ALL.len() - 1)] += 1;
            }
        }
        let max_total = days.iter().map(|d| d.iter().sum()).max().unwrap_or(0);
        Histogram {
            first_day,
            days,
            max_total,
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::model::{DAY, Weapon};
    use crate::store::tests::store;

    #[test]
    fn histogram_bins_per_day_by_weapon() {
        let s = store();
        let h = s.histogram();
        assert_eq!(h.first_day, 2 * DAY);
        assert_eq!(h.days.len(), 58);
        assert_eq!(h.days[8][Weapon::Unknown.index()], 2); // day 10: d10 and min
        assert_eq!(h.max_total, 2);
    }
}
