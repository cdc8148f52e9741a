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
use crate::geo::place_names::fold;
use crate::model::Event;

/// What separates records in the buffer: [`fold`] never produces it, so no search matches
/// across two records.
const RECORD_START: char = '\n';

/// Records read back per batch while building (bounds the memory held at once).
const BATCH: usize = 16_384;

/// The folded searchable text of every record of one dataset, in record order.
#[derive(Default)]
pub struct TextIndex {
    /// Each record's text, each starting with [`RECORD_START`].
    text: String,
    /// Where each record's text ends in `text` (its start is the previous record's end).
    ends: Vec<usize>,
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
        out.push_str(&fold(part));
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
    /// Read every record of `data` (a batch at a time, on all cores) and fold its texts. A
    /// record that cannot be read back has no text (it matches no search).
    pub fn build(data: &DatasetData) -> Self {
        let recs: Vec<usize> = (0..data.rows.len()).collect();
        let parts: Vec<(String, Vec<usize>)> = recs
            .par_chunks(BATCH)
            .map(|batch| {
                let mut text = String::new();
                let mut ends = Vec::with_capacity(batch.len());
                for e in data.events_of(batch) {
                    text.push(RECORD_START);
                    if let Ok(e) = e {
                        push_searchable(&e, &mut text);
                    }
                    ends.push(text.len());
                }
                (text, ends)
            })
            .collect();
        let mut index = Self {
            text: String::with_capacity(parts.iter().map(|(t, _)| t.len()).sum()),
            ends: Vec::with_capacity(recs.len()),
        };
        for (text, ends) in parts {
            let base = index.text.len();
            index.text.push_str(&text);
            index.ends.extend(ends.iter().map(|e| e + base));
        }
        index
    }

    /// Records indexed.
    pub fn len(&self) -> usize {
        self.ends.len()
    }

    /// Whether no record is indexed.
    pub fn is_empty(&self) -> bool {
        self.ends.is_empty()
    }

    /// Bytes of folded text held.
    pub fn bytes(&self) -> usize {
        self.text.len() + self.ends.len() * std::mem::size_of::<usize>()
    }

    /// The folded text of record `r`.
    fn record(&self, r: usize) -> &str {
        let start = if r == 0 { 0 } else { self.ends[r - 1] };
        &self.text[start..self.ends[r]]
    }

    /// For each record, whether every one of `words` (already folded) appears in its text.
    /// The first word is searched in the whole buffer, in parallel slices cut at record
    /// boundaries; the others only in the records it found.
    pub fn matching(&self, words: &[String]) -> Vec<bool> {
        let mut hits = vec![false; self.len()];
        // An empty word would match everywhere, even past the last record.
        let words: Vec<&String> = words.iter().filter(|w| !w.is_empty()).collect();
        let Some((first, rest)) = words.split_first() else {
            hits.fill(true);
            return hits;
        };
        let finder = Finder::new(first.as_bytes());
        let rest: Vec<(&String, Finder<'_>)> = rest
            .iter()
            .map(|w| (*w, Finder::new(w.as_bytes())))
            .collect();
        let slices = rayon::current_num_threads().max(1) * 4;
        let per = self.len().div_ceil(slices).max(1);
        let found: Vec<Vec<usize>> = (0..self.len())
            .step_by(per)
            .collect::<Vec<_>>()
            .into_par_iter()
            .map(|from| {
                let to = (from + per).min(self.len());
                let start = if from == 0 { 0 } else { self.ends[from - 1] };
                let hay = &self.text.as_bytes()[start..self.ends[to - 1]];
                let mut recs = Vec::new();
                let mut r = from;
                // The last record the other words were looked for in.
                let mut checked = None;
                for at in finder.find_iter(hay) {
                    if !found_at(hay, first.as_bytes(), at) {
                        continue;
                    }
                    let at = start + at;
                    // Hits come in order: walk to the record holding this one.
                    while r < to && self.ends[r] <= at {
                        r += 1;
                    }
                    if r == to || checked == Some(r) {
                        continue;
                    }
                    checked = Some(r);
                    let rec = self.record(r).as_bytes();
                    if rest
                        .iter()
                        .all(|(w, f)| f.find_iter(rec).any(|at| found_at(rec, w.as_bytes(), at)))
                    {
                        recs.push(r);
                    }
                }
                recs
            })
            .collect();
        for r in found.into_iter().flatten() {
            hits[r] = true;
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
        text.split_whitespace().map(fold).collect()
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
