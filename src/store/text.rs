//! Text search over a dataset's events: the searchable texts of every record, folded once
//! (case, accents, Cyrillic and Latin variants: [`fold`]) into one buffer, searched with
//! `memchr::memmem` on all cores.
//!
//! Built on first use and kept with the dataset ([`super::DatasetData::texts`]): a dataset
//! read from a large file pays for reading its texts back once, at the first search, not at
//! every search, and a user who never searches never holds them.

use memchr::memmem::Finder;
use rayon::prelude::*;

use super::DatasetData;
use crate::geo::place_names::fold_into;
use crate::model::Event;

/// What separates records in the buffer: [`fold`] never produces it, so no search matches
/// across two records.
const RECORD_START: char = '\n';

/// Records per part of the index: one read-back batch while building, one unit of work
/// while searching.
const PART: usize = 1024;

/// The folded searchable text of every record of one dataset, in record order, in parts of
/// [`PART`] records (built and searched a part per job; never copied into one buffer).
#[derive(Default)]
pub struct TextIndex {
    parts: Vec<Part>,
}

/// The texts of [`PART`] consecutive records (fewer in the last part).
struct Part {
    /// Each record's text, each starting with [`RECORD_START`].
    text: String,
    /// Where each record's text ends in `text` (its start is the previous record's end).
    ends: Vec<u32>,
}

impl Part {
    /// The folded text of the part's `r`-th record.
    fn record(&self, r: usize) -> &[u8] {
        let start = if r == 0 { 0 } else { self.ends[r - 1] as usize };
        &self.text.as_bytes()[start..self.ends[r] as usize]
    }

    /// The part's records (indices within it) whose text holds every word: `first` found by
    /// `finder` over the whole part, the `rest` in the records it found.
    fn matching(&self, first: (&[u8], &Finder<'_>), rest: &[(&[u8], Finder<'_>)]) -> Vec<usize> {
        let hay = self.text.as_bytes();
        let mut recs = Vec::new();
        let mut r = 0;
        // The last record the other words were looked for in.
        let mut checked = None;
        for at in first.1.find_iter(hay) {
            if !found_at(hay, first.0, at) {
                continue;
            }
            // Hits come in order: walk to the record holding this one.
            while r < self.ends.len() && self.ends[r] as usize <= at {
                r += 1;
            }
            if r == self.ends.len() || checked == Some(r) {
                continue;
            }
            checked = Some(r);
            let rec = self.record(r);
            if rest
                .iter()
                .all(|(w, f)| f.find_iter(rec).any(|at| found_at(rec, w, at)))
            {
                recs.push(r);
            }
        }
        recs
    }
}

/// The searchable texts of `e` (title, description, place, region, the location and time
/// notes, the weapon detail), folded and separated by spaces, appended to `out`.
pub fn push_searchable(e: &Event, out: &mut String) {
    for part in [
        e.title.as_deref(),
        e.description.as_deref(),
        e.location.place.as_deref(),
        e.location.admin1.as_deref(),
        e.location_note.as_deref(),
        e.time_note.as_deref(),
        e.weapon_detail.as_deref(),
    ]
    .into_iter()
    .flatten()
    {
        out.push(' ');
        fold_into(part, out);
    }
}

/// Whether `word` occurs in `hay` where a search may find it ([`found_at`]).
pub fn starts_a_word(hay: &[u8], word: &[u8]) -> bool {
    memchr::memmem::find_iter(hay, word).any(|at| found_at(hay, word, at))
}

/// Whether a match of `word` at `at` counts. A Latin word must start a word of `hay`:
/// folding writes place names' transliteration variants alike ("Kyiv" and "Kyyiv" → "kiv"),
/// so a match inside a word would make "Kyiv" find every "Kharkiv", while a word's start
/// still lets "refin" find "refinery". Other scripts match anywhere: Arabic writes its
/// article and prepositions onto the word ("الموصل", "بغزة"), and Cyrillic folds no variants.
fn found_at(hay: &[u8], word: &[u8], at: usize) -> bool {
    !word.first().is_some_and(u8::is_ascii) || at == 0 || matches!(hay[at - 1], b' ' | b'\n')
}

impl std::fmt::Debug for TextIndex {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TextIndex")
            .field("records", &self.len())
            .field("bytes", &self.bytes())
            .finish()
    }
}

impl TextIndex {
    /// Read every record of `data` (a part at a time, on all cores) and fold its texts. A
    /// record that cannot be read back has no text (it matches no search).
    pub fn build(data: &DatasetData) -> Self {
        let recs: Vec<usize> = (0..data.rows.len()).collect();
        let parts = recs
            .par_chunks(PART)
            .map(|batch| {
                // Some 200 bytes of folded text per record: grown seldom.
                let mut text = String::with_capacity(batch.len() * 224);
                let mut ends = Vec::with_capacity(batch.len());
                for e in data.searchable_events(batch) {
                    text.push(RECORD_START);
                    if let Ok(e) = e {
                        push_searchable(&e, &mut text);
                    }
                    ends.push(u32::try_from(text.len()).unwrap_or(u32::MAX));
                }
                text.shrink_to_fit();
                Part { text, ends }
            })
            .collect();
        Self { parts }
    }

    /// Records indexed.
    pub fn len(&self) -> usize {
        self.parts.iter().map(|p| p.ends.len()).sum()
    }

    /// Whether no record is indexed.
    pub fn is_empty(&self) -> bool {
        self.parts.iter().all(|p| p.ends.is_empty())
    }

    /// Bytes of folded text held.
    pub fn bytes(&self) -> usize {
        self.parts
            .iter()
            .map(|p| p.text.len() + p.ends.len() * std::mem::size_of::<u32>())
            .sum()
    }

    /// For each record, whether every one of `words` (already folded) appears in its text.
    /// The first word is searched in each part of the index (on all cores); the others only
    /// in the records it found.
    pub fn matching(&self, words: &[String]) -> Vec<bool> {
        let mut hits = vec![false; self.len()];
        // An empty word would match everywhere, even past the last record.
        let words: Vec<&String> = words.iter().filter(|w| !w.is_empty()).collect();
        let Some((first, rest)) = words.split_first() else {
            hits.fill(true);
            return hits;
        };
        let finder = Finder::new(first.as_bytes());
        let rest: Vec<(&[u8], Finder<'_>)> = rest
            .iter()
            .map(|w| (w.as_bytes(), Finder::new(w.as_bytes())))
            .collect();
        let found: Vec<Vec<usize>> = self
            .parts
            .par_iter()
            .map(|p| p.matching((first.as_bytes(), &finder), &rest))
            .collect();
        for (p, recs) in found.into_iter().enumerate() {
            for r in recs {
                if let Some(h) = hits.get_mut(p * PART + r) {
                    *h = true;
                }
            }
        }
        hits
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{EventTime, Location, LocationPrecision, TimePrecision};
    use crate::store::{Dataset, DatasetData};

    fn event(title: &str, place: &str) -> Event {
        let mut e = Event::new(
            title,
            EventTime::at(0, TimePrecision::Day),
            Location {
                lat: 50.0,
                lon: 36.2,
                precision: LocationPrecision::Settlement,
                place: Some(place.to_owned()),
                admin1: None,
                country: None,
            },
        );
        e.title = Some(title.to_owned());
        e
    }

    fn words(text: &str) -> Vec<String> {
        text.split_whitespace()
            .map(crate::geo::place_names::fold)
            .collect()
    }

    #[test]
    fn every_word_must_appear_in_the_same_record() {
        let events: Vec<Event> = (0..50_000)
            .map(|i| match i % 5 {
                0 => event("Drone hits a refinery", "Kharkiv"),
                1 => event("Shelling", "Kherson"),
                2 => event("Ракета влучила в НПЗ", "Харків"),
                3 => event("Raffinerie en feu", "Odesa"),
                _ => event("Drone downed", "Sumy"),
            })
            .collect();
        let data = DatasetData::from_events(Dataset::default(), events.clone());
        let index = TextIndex::build(&data);
        assert_eq!(index.len(), 50_000);
        for query in [
            "drone",
            "REFINERY kharkiv",
            "нпз",
            "харків",
            "ODESA raffinérie",
            "sumy refinery",
            "x",
        ] {
            let got = index.matching(&words(query));
            let want: Vec<bool> = events
                .iter()
                .map(|e| {
                    let mut hay = String::new();
                    push_searchable(e, &mut hay);
                    words(query)
                        .iter()
                        .all(|w| starts_a_word(hay.as_bytes(), w.as_bytes()))
                })
                .collect();
            assert_eq!(got, want, "{query}");
        }
        assert_eq!(
            index
                .matching(&words("drone"))
                .iter()
                .filter(|h| **h)
                .count(),
            20_000
        );
    }

    #[test]
    fn no_word_matches_across_two_records() {
        let events = vec![event("Attack", "Kryvyi"), event("Rih market", "B")];
        let data = DatasetData::from_events(Dataset::default(), events);
        let index = TextIndex::build(&data);
        // One typed word can fold to two ("Kryvyi-Rih" → "krivi rih"): the end of one record
        // and the start of the next do not make it.
        assert_eq!(words("Kryvyi-Rih"), vec!["krivi rih".to_owned()]);
        assert_eq!(index.matching(&words("Kryvyi-Rih")), vec![false, false]);
        assert_eq!(index.matching(&words("market")), vec![false, true]);
    }

    #[test]
    fn a_city_s_name_does_not_find_another_that_ends_like_it() {
        let events = vec![
            event("Strike", "Kyiv"),
            event("Strike", "Kharkiv"),
            event("Удар", "Київ"),
        ];
        let data = DatasetData::from_events(Dataset::default(), events);
        let index = TextIndex::build(&data);
        assert_eq!(index.matching(&words("Kyiv")), vec![true, false, false]);
        assert_eq!(index.matching(&words("KHARKIV")), vec![false, true, false]);
        assert_eq!(index.matching(&words("київ")), vec![false, false, true]);
        // An empty word asks nothing (and never runs past the last record).
        assert_eq!(index.matching(&["".to_owned()]), vec![true, true, true]);
    }

    #[test]
    fn arabic_names_are_found_under_their_article_and_prepositions() {
        let events = vec![
            event("قصف الموصل", "الموصل"),
            event("غارة بغزة", "غزة"),
            event("Strike", "—"),
        ];
        let data = DatasetData::from_events(Dataset::default(), events);
        let index = TextIndex::build(&data);
        assert_eq!(index.matching(&words("موصل")), vec![true, false, false]);
        assert_eq!(index.matching(&words("غزة")), vec![false, true, false]);
    }
}
