//! The filter domain: the one [`EventFilter`] the user chose (persisted, part of a saved view)
//! and the store of the events that pass it, which the map, the timeline, the table, the
//! statistics and File → Export all read. A filter over a large store is applied on a thread;
//! until it lands the previous view stays up (the top bar says it is filtering).

use std::sync::Arc;

use crate::filter::{EventFilter, Part};
use crate::state::job::{Job, Polled};
use crate::store::EventStore;

/// Stores up to this many events are filtered on the UI thread (a few milliseconds); larger
/// ones, and text searches over events kept in their files, on a thread.
const FILTER_ON_THREAD_FROM: usize = 100_000;

/// What the UI asks of the filter.
#[derive(Clone, Debug, PartialEq)]
pub enum FilterCommand {
    /// Use this filter (the panel edits a copy and sends it whole).
    Set(EventFilter),
    /// Drop one part (a chip's ×).
    Remove(Part),
    /// Keep everything.
    Clear,
}

/// A filter being applied on a thread.
struct Pending {
    filter: EventFilter,
    /// The base store's generation it was started for.
    base: u64,
    job: Job<EventStore>,
}

/// The chosen filter and the filtered store.
#[derive(Default)]
pub struct Filters {
    /// What the user chose.
    pub filter: EventFilter,
    /// The filtered store and the filter and base generation it was built for; `None` when
    /// the filter keeps everything (the base store is the view).
    view: Option<(EventFilter, u64, Arc<EventStore>)>,
    pending: Option<Pending>,
    /// Bumped whenever the view store changes (layer caches key on it).
    generation: u64,
    /// The base generation whose texts are being (or were) prepared for search.
    texts_for: Option<u64>,
}

impl Filters {
    /// Start from a saved filter (applied once the base store is known: [`Self::refresh`]).
    pub fn new(filter: EventFilter) -> Self {
        Self {
            filter,
            ..Self::default()
        }
    }

    /// Fold the shown datasets' texts for search ([`crate::store::DatasetData::texts`]) in
    /// the background, once per base store, so that the first search finds them ready:
    /// called every frame, it starts as soon as a file is loaded (a million events take
    /// about 2 s and 190 MB; a search needs them, and waiting for them at the first search
    /// took a second or more, over the 300 ms a search may take). One thread of its own,
    /// not the shared pool, so filters applied meanwhile are not queued behind it; a search
    /// started before it is done waits for it instead of folding the texts a second time.
    pub fn prepare_search(&mut self, base: &Arc<EventStore>, base_gen: u64) {
        if self.texts_for == Some(base_gen) {
            return;
        }
        self.texts_for = Some(base_gen);
        let datasets: Vec<Arc<crate::store::DatasetData>> = base
            .all_datasets()
            .iter()
            .zip(base.shown())
            .filter(|(d, shown)| **shown && d.texts.get().is_none())
            .map(|(d, _)| Arc::clone(d))
            .collect();
        if datasets.is_empty() {
            return;
        }
        std::thread::spawn(move || {
            let fold = || datasets.iter().for_each(|d| _ = d.texts());
            // Should the system refuse the thread, the shared pool does the folding.
            match rayon::ThreadPoolBuilder::new().num_threads(1).build() {
                Ok(pool) => pool.install(fold),
                Err(_) => fold(),
            }
        });
    }

    /// Apply one command against the current base store.
    pub fn apply(
        &mut self,
        ctx: &egui::Context,
        command: FilterCommand,
        base: &Arc<EventStore>,
        base_gen: u64,
    ) {
        let next = match command {
            FilterCommand::Set(f) => f,
            FilterCommand::Remove(part) => self.filter.clone().without(&part),
            FilterCommand::Clear => EventFilter::default(),
        };
        if next != self.filter {
            self.filter = next;
            self.refresh(ctx, base, base_gen);
        }
    }

    /// Bring the view up to date with the filter and the base store (after either changed).
    pub fn refresh(&mut self, ctx: &egui::Context, base: &Arc<EventStore>, base_gen: u64) {
        let wanted = (&self.filter, base_gen);
        if self
            .view
            .as_ref()
            .is_some_and(|(f, g, _)| (f, *g) == wanted)
            || self
                .pending
                .as_ref()
                .is_some_and(|p| (&p.filter, p.base) == wanted)
        {
            return;
        }
        if let Some(p) = self.pending.take() {
            p.job.cancel();
        }
        if self.filter.is_empty() {
            if self.view.take().is_some() {
                self.generation += 1;
            }
            return;
        }
        let matcher = self.filter.compile();
        if base.len() < FILTER_ON_THREAD_FROM && !matcher.needs_text() {
            let store = matcher.apply(base);
            self.view = Some((self.filter.clone(), base_gen, Arc::new(store)));
            self.generation += 1;
            return;
        }
        let base = Arc::clone(base);
        self.pending = Some(Pending {
            filter: self.filter.clone(),
            base: base_gen,
            job: Job::spawn(ctx, move |_| matcher.apply(&base)),
        });
    }

    /// Take in a filter applied on a thread; true when the view changed.
    pub fn poll(&mut self) -> bool {
        let Some(p) = &self.pending else {
            return false;
        };
        match p.job.poll() {
            Polled::Pending => false,
            Polled::Done(store) => {
                if let Some(p) = self.pending.take() {
                    self.view = Some((p.filter, p.base, Arc::new(store)));
                    self.generation += 1;
                }
                true
            }
            Polled::Lost => {
                log::warn!("filter: the filtering thread ended without a result");
                self.pending = None;
                false
            }
        }
    }

    /// The store the app shows: the filtered one, or `base` when nothing is filtered (or the
    /// filtered one is of an older base store: it is being rebuilt).
    pub fn view<'a>(&'a self, base: &'a Arc<EventStore>, base_gen: u64) -> &'a Arc<EventStore> {
        match &self.view {
            Some((_, g, store)) if *g == base_gen && !self.filter.is_empty() => store,
            _ => base,
        }
    }

    /// Whether a filter is being applied on a thread.
    pub fn busy(&self) -> bool {
        self.pending.is_some()
    }

    /// Changes whenever the view store changes.
    pub fn generation(&self) -> u64 {
        self.generation
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Weapon;

    #[test]
    fn the_texts_are_prepared_once_in_the_background_and_then_searched() {
        let r = crate::import::load_bundled().unwrap();
        let data = Arc::new(r.into_dataset(crate::model::DatasetId::Bundled));
        let base = Arc::new(EventStore::new(vec![Arc::clone(&data)]));
        let mut f = Filters::default();
        assert!(data.texts.get().is_none(), "nothing folded before");
        f.prepare_search(&base, 0);
        // A search started meanwhile waits for the preparation (no second fold), and the
        // texts are there afterwards.
        let m = EventFilter::default().with_text("ODESA").compile();
        let found = m.apply(&base);
        assert!(data.texts.get().is_some());
        // The same events as matching each event on its own, each with the word.
        let want = (0..base.len())
            .filter(|&i| base.get(i).is_some_and(|e| m.matches(&e)))
            .count();
        let without = (0..found.len())
            .filter_map(|i| found.get(i))
            .filter(|e| {
                let mut hay = String::new();
                crate::store::text::push_searchable(e, &mut hay);
                !hay.contains(" odesa")
            })
            .count();
        assert_eq!(without, 0);
        assert!(want > 0 && want < base.len(), "{want} of {}", base.len());
        assert_eq!(found.len(), want);
        // Asked again for the same store: nothing more to do.
        f.prepare_search(&base, 0);
        assert_eq!(f.texts_for, Some(0));
    }

    #[test]
    fn a_filter_gives_a_store_of_the_passing_events_and_clearing_restores_the_base() {
        let ctx = egui::Context::default();
        let r = crate::import::load_bundled().unwrap();
        let data = r.into_dataset(crate::model::DatasetId::Bundled);
        let base = Arc::new(EventStore::new(vec![Arc::new(data)]));
        let mut f = Filters::default();
        assert!(Arc::ptr_eq(f.view(&base, 0), &base));
        let drone = EventFilter {
            weapons: vec![Weapon::Drone],
            ..Default::default()
        };
        f.apply(&ctx, FilterCommand::Set(drone.clone()), &base, 0);
        let view = f.view(&base, 0);
        let expected = (0..base.len())
            .filter(|&i| {
                base.get(i)
                    .is_some_and(|e| e.weapons.contains(&Weapon::Drone))
            })
            .count();
        assert!(expected > 0 && expected < base.len());
        assert_eq!(view.len(), expected);
        f.apply(
            &ctx,
            FilterCommand::Remove(Part::Weapon(Weapon::Drone)),
            &base,
            0,
        );
        assert!(Arc::ptr_eq(f.view(&base, 0), &base));
    }
}
