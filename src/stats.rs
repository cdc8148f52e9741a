//! Totals and breakdowns of the events in a time window (by weapon, target, region, country
//! and day), read from the store's hot rows alone. The statistics panel shows them for the
//! filtered store; the filter panel's lists show their counts for all loaded events.
//!
//! Attack-level records (a day's "138 drones launched, 110 shot down") are tallied apart from
//! strike events: their counts are national totals that the strike events of the same night
//! already hold in part, so adding the two would count the same dead twice.
//!
//! Core: no egui.

use std::collections::HashMap;

use crate::filter::region_key;
use crate::model::{DAY, Seconds, Target, Weapon};
use crate::store::{EventStore, Row, UNKNOWN, Window};

/// A count summed over events: the sum of the reported values and how many events reported
/// one (the others say nothing: "not reported" is not 0).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Count {
    /// Sum of the reported values.
    pub sum: u64,
    /// Events that reported a value (0 included).
    pub reported: usize,
}

impl Count {
    fn add(&mut self, v: u32) {
        if v != UNKNOWN {
            self.sum += u64::from(v);
            self.reported += 1;
        }
    }
}

/// Totals over a set of events.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Tally {
    /// Events.
    pub events: usize,
    /// Killed.
    pub killed: Count,
    /// Injured.
    pub injured: Count,
    /// Children killed or injured.
    pub children: Count,
}

impl Tally {
    fn add(&mut self, r: &Row) {
        self.events += 1;
        self.killed.add(r.killed);
        self.injured.add(r.injured);
        self.children.add(r.children());
    }
}

/// Attack-level records: weapons launched and intercepted.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Attacks {
    /// Records that give a launched or intercepted count.
    pub records: usize,
    /// Weapons launched.
    pub launched: Count,
    /// Weapons intercepted or shot down.
    pub intercepted: Count,
}

/// Whether a row is an attack-level record (it counts weapons launched or intercepted).
pub fn is_attack_level(r: &Row) -> bool {
    r.launched != UNKNOWN || r.intercepted != UNKNOWN
}

/// Everything the statistics panel shows for one window.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Breakdown {
    /// Strike events (not attack-level records).
    pub strikes: Tally,
    /// Attack-level records.
    pub attacks: Attacks,
    /// Strike events by primary weapon ([`Weapon::ALL`] order).
    pub by_weapon: [Tally; 7],
    /// Strike events by target ([`Target::ALL`] order, then "not reported").
    pub by_target: [Tally; 10],
    /// Strike events by first-level region (as first written), most events first.
    pub by_region: Vec<(String, Tally)>,
    /// Strike events by country, most events first.
    pub by_country: Vec<(String, Tally)>,
    /// Length of one `series` bucket: a day, or a week for windows over half a year.
    pub bucket: Seconds,
    /// Strike events per bucket from the window's start (a ranged event counts where it
    /// starts, or at the window's start if it began before).
    pub series: Vec<usize>,
}

/// Windows longer than this are counted per week.
const WEEKLY_FROM: Seconds = 183 * DAY;

/// The breakdown of the events of `store` in window `w`.
pub fn breakdown(store: &EventStore, w: &Window) -> Breakdown {
    let bucket = if w.to - w.from > WEEKLY_FROM {
        7 * DAY
    } else {
        DAY
    };
    let buckets = usize::try_from((w.to - w.from + bucket - 1) / bucket)
        .unwrap_or(0)
        .min(100_000);
    let mut b = Breakdown {
        bucket,
        series: vec![0; buckets],
        ..Breakdown::default()
    };
    // Tallied per (dataset, area) first: a few hundred areas, merged by name at the end.
    let mut areas: HashMap<(usize, u32), Tally> = HashMap::new();
    store.for_each_in_window(w, |i| {
        let Some(r) = store.row(i) else {
            return;
        };
        if is_attack_level(r) {
            b.attacks.records += 1;
            b.attacks.launched.add(r.launched);
            b.attacks.intercepted.add(r.intercepted);
            return;
        }
        b.strikes.add(r);
        if let Some(t) = b.by_weapon.get_mut(usize::from(r.weapon)) {
            t.add(r);
        }
        if let Some(t) = b.by_target.get_mut(r.target_slot()) {
            t.add(r);
        }
        let ds = store.dataset_index(i).unwrap_or(0);
        areas.entry((ds, r.area)).or_default().add(r);
        let k = usize::try_from((r.start.max(w.from) - w.from) / bucket).unwrap_or(0);
        if let Some(c) = b.series.get_mut(k) {
            *c += 1;
        }
    });
    let mut regions: HashMap<String, (String, Tally)> = HashMap::new();
    let mut countries: HashMap<String, (String, Tally)> = HashMap::new();
    for ((ds, area), t) in areas {
        let a = store.all_datasets().get(ds).and_then(|d| d.areas.get(area));
        let admin1 = a.and_then(|a| a.admin1.clone());
        let country = a.and_then(|a| a.country.clone());
        for (map, name, key) in [
            (
                &mut regions,
                admin1.clone(),
                admin1.as_deref().map(region_key),
            ),
            (
                &mut countries,
                country.clone(),
                country.as_deref().map(crate::geo::place_names::fold),
            ),
        ] {
            let name = name.unwrap_or_else(|| "Not reported".to_owned());
            let e = map
                .entry(key.unwrap_or_default())
                .or_insert_with(|| (name, Tally::default()));
            merge(&mut e.1, &t);
        }
    }
    b.by_region = sorted(regions);
    b.by_country = sorted(countries);
    b
}

fn merge(a: &mut Tally, b: &Tally) {
    a.events += b.events;
    for (x, y) in [
        (&mut a.killed, b.killed),
        (&mut a.injured, b.injured),
        (&mut a.children, b.children),
    ] {
        x.sum += y.sum;
        x.reported += y.reported;
    }
}

fn sorted(map: HashMap<String, (String, Tally)>) -> Vec<(String, Tally)> {
    let mut v: Vec<(String, Tally)> = map.into_values().collect();
    v.sort_by(|a, b| b.1.events.cmp(&a.1.events).then_with(|| a.0.cmp(&b.0)));
    v
}

/// How many events in a window each filter choice would keep on its own (the counts beside
/// the filter panel's boxes).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Facets {
    /// Events listing each weapon ([`Weapon::ALL`] order; none listed counts as unknown).
    pub weapons: [usize; 7],
    /// Events per target ([`Target::ALL`] order, then "not reported").
    pub targets: [usize; 10],
    /// Events per first-level region (as first written), most first.
    pub regions: Vec<(String, usize)>,
    /// Events per country, most first.
    pub countries: Vec<(String, usize)>,
}

/// The [`Facets`] of the events of `store` in window `w`.
pub fn facets(store: &EventStore, w: &Window) -> Facets {
    let mut f = Facets::default();
    let mut areas: HashMap<(usize, u32), usize> = HashMap::new();
    store.for_each_in_window(w, |i| {
        let Some(r) = store.row(i) else {
            return;
        };
        let weapons = if r.weapons == 0 {
            1 << Weapon::Unknown.index()
        } else {
            r.weapons
        };
        for (k, c) in f.weapons.iter_mut().enumerate() {
            *c += usize::from(weapons >> k & 1);
        }
        if let Some(c) = f.targets.get_mut(r.target_slot()) {
            *c += 1;
        }
        *areas
            .entry((store.dataset_index(i).unwrap_or(0), r.area))
            .or_default() += 1;
    });
    let mut regions: HashMap<String, (String, usize)> = HashMap::new();
    let mut countries: HashMap<String, (String, usize)> = HashMap::new();
    for ((ds, area), n) in areas {
        let a = store.all_datasets().get(ds).and_then(|d| d.areas.get(area));
        if let Some(name) = a.and_then(|a| a.admin1.as_deref()) {
            let e = regions
                .entry(region_key(name))
                .or_insert_with(|| (name.to_owned(), 0));
            e.1 += n;
        }
        if let Some(name) = a.and_then(|a| a.country.as_deref()) {
            let e = countries
                .entry(crate::geo::place_names::fold(name))
                .or_insert_with(|| (name.to_owned(), 0));
            e.1 += n;
        }
    }
    let sorted = |m: HashMap<String, (String, usize)>| {
        let mut v: Vec<(String, usize)> = m.into_values().collect();
        v.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        v
    };
    f.regions = sorted(regions);
    f.countries = sorted(countries);
    f
}

/// The breakdown as CSV: one row per group (`group,name,events,killed,killed_reported,…`).
pub fn to_csv(b: &Breakdown) -> String {
    let mut w = csv::Writer::from_writer(Vec::new());
    let mut rows: Vec<[String; 9]> = Vec::new();
    let mut row = |group: &str, name: &str, t: &Tally| {
        rows.push([
            group.to_owned(),
            name.to_owned(),
            t.events.to_string(),
            t.killed.sum.to_string(),
            (t.events - t.killed.reported).to_string(),
            t.injured.sum.to_string(),
            (t.events - t.injured.reported).to_string(),
            t.children.sum.to_string(),
            (t.events - t.children.reported).to_string(),
        ]);
    };
    row("total", "strike events", &b.strikes);
    for (w, t) in Weapon::ALL.iter().zip(&b.by_weapon) {
        row("weapon", w.label(), t);
    }
    for (k, t) in b.by_target.iter().enumerate() {
        let name = Target::ALL.get(k).map_or("Not reported", |t| t.label());
        row("target", name, t);
    }
    for (name, t) in &b.by_region {
        row("region", name, t);
    }
    for (name, t) in &b.by_country {
        row("country", name, t);
    }
    let attack = |name: &str, n: u64| {
        let mut r: [String; 9] = Default::default();
        r[0] = "attacks".to_owned();
        r[1] = name.to_owned();
        r[2] = n.to_string();
        r
    };
    rows.push(attack("attack-level records", b.attacks.records as u64));
    rows.push(attack("launched", b.attacks.launched.sum));
    rows.push(attack("intercepted", b.attacks.intercepted.sum));
    let header = [
        "group",
        "name",
        "events",
        "killed",
        "killed_not_reported",
        "injured",
        "injured_not_reported",
        "children",
        "children_not_reported",
    ];
    // Writing to memory fails only on a bug; an empty table is then the honest answer.
    let written = w
        .write_record(header)
        .and_then(|()| rows.iter().try_for_each(|r| w.write_record(r)));
    match (written, w.into_inner()) {
        (Ok(()), Ok(bytes)) => String::from_utf8_lossy(&bytes).into_owned(),
        _ => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;

    fn bundled() -> EventStore {
        let r = crate::import::load_bundled().unwrap();
        EventStore::new(vec![Arc::new(
            r.into_dataset(crate::model::DatasetId::Bundled),
        )])
    }

    #[test]
    fn totals_equal_a_brute_force_sum_and_attacks_stay_apart() {
        let store = bundled();
        let (a, b) = store.span().unwrap();
        let w = store.window(a, b);
        let got = breakdown(&store, &w);
        let events: Vec<_> = (0..store.len()).map(|i| store.get(i).unwrap()).collect();
        let attack = |e: &crate::model::Event| e.launched.is_some() || e.intercepted.is_some();
        let strikes: Vec<_> = events.iter().filter(|e| !attack(e)).collect();
        assert_eq!(got.strikes.events, strikes.len());
        let killed: u64 = strikes.iter().filter_map(|e| e.killed).map(u64::from).sum();
        assert_eq!(got.strikes.killed.sum, killed);
        let reported = strikes.iter().filter(|e| e.killed.is_some()).count();
        assert_eq!(got.strikes.killed.reported, reported);
        let launched: u64 = events
            .iter()
            .filter_map(|e| e.launched)
            .map(u64::from)
            .sum();
        assert_eq!(got.attacks.launched.sum, launched);
        assert_eq!(
            got.attacks.records + got.strikes.events,
            events.len(),
            "every event is counted once"
        );
        let by_weapon: usize = got.by_weapon.iter().map(|t| t.events).sum();
        assert_eq!(by_weapon, strikes.len());
        let by_region: usize = got.by_region.iter().map(|(_, t)| t.events).sum();
        assert_eq!(by_region, strikes.len());
        assert_eq!(got.series.iter().sum::<usize>(), strikes.len());
        assert!(to_csv(&got).lines().count() > 10);
    }
}
