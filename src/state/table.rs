//! The event table's state: the column it is sorted by and the order of the window's events
//! under that sort. The order is computed once per (store, window, sort) — on a thread for
//! large windows, the previous order drawn meanwhile — so scrolling a million rows only
//! builds the rows on screen.

use std::sync::Arc;

use crate::model::Seconds;
use crate::state::job::{Job, Polled};
use crate::store::{EventStore, NO_TARGET, UNKNOWN, Window};

/// Windows up to this many events are sorted on the UI thread.
const SORT_ON_THREAD_FROM: usize = 50_000;

/// A table column.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Column {
    /// When.
    Date,
    /// Place name.
    Place,
    /// First-level region.
    Region,
    /// Primary weapon.
    Weapon,
    /// What was hit.
    Target,
    /// Killed.
    Killed,
    /// Injured.
    Injured,
    /// The file it came from.
    Dataset,
    /// Headline.
    Title,
}

impl Column {
    /// Every column, in table order.
    pub const ALL: [Column; 9] = [
        Column::Date,
        Column::Place,
        Column::Region,
        Column::Weapon,
        Column::Target,
        Column::Killed,
        Column::Injured,
        Column::Dataset,
        Column::Title,
    ];

    /// Header text.
    pub fn label(self) -> &'static str {
        match self {
            Self::Date => "Date",
            Self::Place => "Place",
            Self::Region => "Region",
            Self::Weapon => "Weapon",
            Self::Target => "Target",
            Self::Killed => "Killed",
            Self::Injured => "Injured",
            Self::Dataset => "Dataset",
            Self::Title => "Title",
        }
    }
}

/// What the table's UI asks.
#[derive(Clone, Debug, PartialEq)]
pub enum TableCommand {
    /// Sort by this column (the same column again flips the direction).
    SortBy(Column),
}

/// The key an order was computed for: which store, window and sort.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct OrderKey {
    generation: u64,
    window: (Seconds, Seconds),
    column: Column,
    ascending: bool,
}

/// The table's sort and the rows' order.
pub struct TableState {
    /// The sort column.
    pub column: Column,
    /// Ascending (true) or descending.
    pub ascending: bool,
    order: Option<(OrderKey, Arc<Vec<u32>>)>,
    pending: Option<(OrderKey, Job<Vec<u32>>)>,
}

impl Default for TableState {
    fn default() -> Self {
        Self {
            column: Column::Date,
            ascending: true,
            order: None,
            pending: None,
        }
    }
}

impl TableState {
    /// Apply one command.
    pub fn apply(&mut self, command: TableCommand) {
        match command {
            TableCommand::SortBy(c) if c == self.column => self.ascending = !self.ascending,
            TableCommand::SortBy(c) => {
                self.column = c;
                // Counts read best largest first; names and dates A→Z, oldest first.
                self.ascending = !matches!(c, Column::Killed | Column::Injured);
            }
        }
    }

    /// The order of the window's events (store positions), bringing it up to date with the
    /// store, window and sort; `None` while the first order is being computed. The flag says
    /// whether a newer order is on its way (the one returned is of an earlier request).
    pub fn order(
        &mut self,
        ctx: &egui::Context,
        store: &Arc<EventStore>,
        generation: u64,
        window: &Window,
    ) -> (Option<Arc<Vec<u32>>>, bool) {
        let key = OrderKey {
            generation,
            window: (window.from, window.to),
            column: self.column,
            ascending: self.ascending,
        };
        if let Some((k, job)) = &self.pending {
            if let Polled::Done(v) = job.poll() {
                self.order = Some((*k, Arc::new(v)));
                self.pending = None;
            } else if *k != key {
                job.cancel();
                self.pending = None;
            }
        }
        let current = self.order.as_ref().is_some_and(|(k, _)| *k == key);
        let waiting = self.pending.as_ref().is_some_and(|(k, _)| *k == key);
        if !current && !waiting {
            if window.candidates() < SORT_ON_THREAD_FROM {
                let v = sorted(store, window, key.column, key.ascending);
                self.order = Some((key, Arc::new(v)));
            } else {
                let (store, w) = (Arc::clone(store), window.clone());
                let job = Job::spawn(ctx, move |_| sorted(&store, &w, key.column, key.ascending));
                self.pending = Some((key, job));
            }
        }
        let fresh = self.order.as_ref().is_some_and(|(k, _)| *k == key);
        let order = self.order.as_ref().map(|(_, v)| Arc::clone(v));
        (order, !fresh)
    }
}

/// The positions of the window's events sorted by `column`; ties keep time order. Unknown
/// values (not reported, no place) sort last either way.
pub fn sorted(store: &EventStore, w: &Window, column: Column, ascending: bool) -> Vec<u32> {
    use rayon::prelude::*;
    let ids: Vec<u32> = store.window_ids(w).into_iter().map(|i| i as u32).collect();
    let dir = |o: std::cmp::Ordering| if ascending { o } else { o.reverse() };
    let by_number = |f: &(dyn Fn(usize) -> Option<u64> + Sync)| {
        let mut keyed: Vec<(Option<u64>, u32)> =
            ids.par_iter().map(|&i| (f(i as usize), i)).collect();
        keyed.par_sort_by(|a, b| match (a.0, b.0) {
            (Some(x), Some(y)) => dir(x.cmp(&y)).then(a.1.cmp(&b.1)),
            (Some(_), None) => std::cmp::Ordering::Less,
            (None, Some(_)) => std::cmp::Ordering::Greater,
            (None, None) => a.1.cmp(&b.1),
        });
        keyed.into_iter().map(|(_, i)| i).collect::<Vec<u32>>()
    };
    let by_text = |f: &(dyn Fn(usize) -> Option<String> + Sync)| {
        let mut keyed: Vec<(Option<String>, u32)> = ids
            .par_iter()
            .map(|&i| (f(i as usize).map(|t| crate::geo::place_names::fold(&t)), i))
            .collect();
        keyed.par_sort_by(|a, b| match (&a.0, &b.0) {
            (Some(x), Some(y)) => dir(x.cmp(y)).then(a.1.cmp(&b.1)),
            (Some(_), None) => std::cmp::Ordering::Less,
            (None, Some(_)) => std::cmp::Ordering::Greater,
            (None, None) => a.1.cmp(&b.1),
        });
        keyed.into_iter().map(|(_, i)| i).collect::<Vec<u32>>()
    };
    let count = |v: u32| (v != UNKNOWN).then_some(u64::from(v));
    match column {
        Column::Date if ascending => ids,
        Column::Date => by_number(&|i| store.time(i).map(|(s, _)| s as u64)),
        Column::Killed => by_number(&|i| store.row(i).and_then(|r| count(r.killed))),
        Column::Injured => by_number(&|i| store.row(i).and_then(|r| count(r.injured))),
        Column::Weapon => by_number(&|i| store.row(i).map(|r| u64::from(r.weapon))),
        Column::Target => by_number(&|i| {
            store
                .row(i)
                .filter(|r| r.target != NO_TARGET)
                .map(|r| u64::from(r.target))
        }),
        Column::Dataset => by_text(&|i| store.dataset_of(i).map(|d| d.name.clone())),
        Column::Region => by_text(&|i| store.area(i).and_then(|a| a.admin1.clone())),
        Column::Place => by_text(&|i| store.get(i).and_then(|e| e.location.place.clone())),
        Column::Title => by_text(&|i| store.get(i).and_then(|e| e.title.clone())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sorting_by_killed_puts_the_largest_first_and_not_reported_last() {
        let r = crate::import::load_bundled().unwrap();
        let store = EventStore::new(vec![Arc::new(
            r.into_dataset(crate::model::DatasetId::Bundled),
        )]);
        let (a, b) = store.span().unwrap();
        let w = store.window(a, b);
        let v = sorted(&store, &w, Column::Killed, false);
        assert_eq!(v.len(), store.window_ids(&w).len());
        let killed: Vec<Option<u32>> = v.iter().map(|&i| store.casualties(i as usize).0).collect();
        let known: Vec<u32> = killed.iter().flatten().copied().collect();
        assert!(known.windows(2).all(|p| p[0] >= p[1]), "{killed:?}");
        let first_none = killed.iter().position(Option::is_none).unwrap();
        assert!(killed[first_none..].iter().all(Option::is_none));
        let by_place = sorted(&store, &w, Column::Place, true);
        let mut sorted_ids = by_place.clone();
        sorted_ids.sort();
        assert_eq!(
            sorted_ids,
            store
                .window_ids(&w)
                .iter()
                .map(|&i| i as u32)
                .collect::<Vec<_>>()
        );
    }
}
