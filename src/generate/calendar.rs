//! The calendar of generated events: the days from [`FIRST_DAY`] to [`LAST_DAY`], each
//! formatted once, and how many events fall on each of them.

/// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's algorithm).
pub(super) const fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = if m > 2 { m - 3 } else { m + 9 };
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// Inverse of [`days_from_civil`]: (year, month 1–12, day 1–31).
fn civil_from_days(z: i64) -> (i64, usize, i64) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    (y, usize::try_from(m).unwrap_or(1), d)
}

/// First day of generated events: 24 February 2022.
pub const FIRST_DAY: i64 = days_from_civil(2022, 2, 24);
/// Last day of generated events: 31 December 2025.
pub const LAST_DAY: i64 = days_from_civil(2025, 12, 31);

/// English month names, as ACLED writes dates ("15 March 2024").
const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

/// One calendar day, formatted once.
pub(super) struct Day {
    /// "15 March 2024" (ACLED's event_date).
    pub(super) acled: String,
    /// "2024-03-15".
    pub(super) iso: String,
    /// "March 2024".
    pub(super) month: String,
    /// "2024".
    pub(super) year: String,
    /// Unix seconds at 00:00 UTC.
    pub(super) unix: i64,
}

/// All days from `FIRST_DAY` to `LAST_DAY` (ranges are clamped to them).
pub(super) struct Days(Vec<Day>);

impl Days {
    /// Formats every day once, so rows only borrow their date strings.
    pub(super) fn new() -> Self {
        Self(
            (FIRST_DAY..=LAST_DAY)
                .map(|z| {
                    let (y, m, d) = civil_from_days(z);
                    let name = MONTHS.get(m.wrapping_sub(1)).copied().unwrap_or("January");
                    Day {
                        acled: format!("{d} {name} {y}"),
                        iso: format!("{y:04}-{m:02}-{d:02}"),
                        month: format!("{name} {y}"),
                        year: y.to_string(),
                        unix: z * 86_400,
                    }
                })
                .collect(),
        )
    }

    /// The day `z` (days since the epoch), clamped to the table.
    pub(super) fn get(&self, z: i64) -> &Day {
        let i = usize::try_from(z - FIRST_DAY).unwrap_or(0);
        let i = i.min(self.0.len().saturating_sub(1));
        &self.0[i]
    }
}

// Time: how many events on each day

/// A standard normal variate (Box–Muller).
fn normal(rng: &mut fastrand::Rng) -> f64 {
    let u = rng.f64().max(1e-12);
    let v = rng.f64();
    (-2.0 * u.ln()).sqrt() * (std::f64::consts::TAU * v).cos()
}

/// Events per day from `FIRST_DAY` to `LAST_DAY`, summing to `rows`: a slowly rising trend
/// with day-to-day noise, the invasion's first weeks, waves of 2–6 days at 2–5× and single
/// days at 5–10× the usual volume.
pub(super) fn day_counts(rows: usize, rng: &mut fastrand::Rng) -> Vec<usize> {
    let n = usize::try_from(LAST_DAY - FIRST_DAY + 1).unwrap_or(1);
    let mut w: Vec<f64> = (0..n)
        .map(|d| {
            let t = d as f64 / n as f64;
            let season = 1.0 + 0.15 * (std::f64::consts::TAU * d as f64 / 365.25).sin();
            let first_weeks = 1.0 + 2.0 * (-(d as f64) / 30.0).exp();
            (0.7 + 0.6 * t) * season * first_weeks * (0.3 * normal(rng)).exp()
        })
        .collect();
    for _ in 0..n / 18 {
        let start = rng.usize(0..n);
        let len = rng.usize(2..=6);
        let peak = 2.0 + 3.0 * rng.f64();
        for k in 0..len {
            if let Some(x) = w.get_mut(start + k) {
                let shape = (std::f64::consts::PI * (k as f64 + 0.5) / len as f64).sin();
                *x *= 1.0 + (peak - 1.0) * shape;
            }
        }
    }
    for _ in 0..n / 60 {
        if let Some(x) = w.get_mut(rng.usize(0..n)) {
            *x *= 5.0 + 5.0 * rng.f64();
        }
    }
    let total: f64 = w.iter().sum();
    let mut acc = 0.0;
    let mut done = 0usize;
    w.iter()
        .map(|x| {
            acc += x;
            let upto = ((acc / total * rows as f64).round() as usize).min(rows);
            let c = upto.saturating_sub(done);
            done = done.max(upto);
            c
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn calendar_round_trips() {
        for z in FIRST_DAY - 400..LAST_DAY + 400 {
            let (y, m, d) = civil_from_days(z);
            assert_eq!(days_from_civil(y, m as i64, d), z);
        }
        assert_eq!(civil_from_days(FIRST_DAY), (2022, 2, 24));
        assert_eq!(civil_from_days(LAST_DAY), (2025, 12, 31));
        assert_eq!(days_from_civil(1970, 1, 1), 0);
        assert_eq!(
            days_from_civil(2024, 3, 1) - days_from_civil(2024, 2, 28),
            2
        );
    }

    #[test]
    fn bursts_make_some_days_much_busier() {
        let mut rng = fastrand::Rng::with_seed(3);
        let counts = day_counts(1_000_000, &mut rng);
        assert_eq!(counts.iter().sum::<usize>(), 1_000_000);
        let mean = 1_000_000.0 / counts.len() as f64;
        let max = counts.iter().copied().max().unwrap_or(0) as f64;
        assert!(max > 5.0 * mean, "max {max}, mean {mean}");
    }
}
