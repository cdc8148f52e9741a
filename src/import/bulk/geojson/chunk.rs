//! The features of one batch, parsed in parts on all cores into rows (still without their
//! time), refusals and date texts, and appended in file order.

use std::collections::HashSet;
use std::ops::Range;

use rayon::prelude::*;
use serde_json::Value;

use super::super::super::RejectReason;
use super::super::super::fields;
use super::super::super::geojson::{date_text, feature_untimed};
use super::lite::Lite;
use super::{Batch, PARTS, Plan};
use crate::model::TimePrecision;
use crate::store::{Areas, Row};

/// A feature that is no event.
#[derive(Debug)]
pub(super) struct Refused {
    /// Its index in the feature array.
    pub index: usize,
    pub reason: RejectReason,
    pub detail: String,
    /// It is not valid JSON (its detail says where).
    pub broken: bool,
}

/// One date column's texts, in one string.
#[derive(Debug, Default)]
pub(super) struct Texts {
    text: String,
    /// Each feature's text as (start, length) in `text`; `NONE` for none.
    spans: Vec<(u32, u32)>,
}

/// The span of a feature without a text.
const NONE: (u32, u32) = (u32::MAX, 0);

impl Texts {
    fn push(&mut self, t: Option<String>) {
        let span = match t {
            Some(t) => match (u32::try_from(self.text.len()), u32::try_from(t.len())) {
                (Ok(start), Ok(len)) if start < u32::MAX => {
                    self.text.push_str(&t);
                    (start, len)
                }
                _ => NONE,
            },
            None => NONE,
        };
        self.spans.push(span);
    }

    /// Append `other`'s texts; false when they do not fit the spans (4 GB of dates).
    fn append(&mut self, other: Texts) -> bool {
        let Ok(shift) = u32::try_from(self.text.len()) else {
            return false;
        };
        if self.text.len() + other.text.len() >= u32::MAX as usize {
            return false;
        }
        self.text.push_str(&other.text);
        self.spans.extend(
            other
                .spans
                .into_iter()
                .map(|s| if s == NONE { s } else { (s.0 + shift, s.1) }),
        );
        true
    }

    /// Each feature's text.
    pub fn refs(&self) -> Vec<Option<&str>> {
        self.spans
            .iter()
            .map(|&(s, n)| {
                (s != u32::MAX)
                    .then(|| self.text.get(s as usize..(s + n) as usize))
                    .flatten()
            })
            .collect()
    }
}

/// Rows, refusals and texts of a run of features: one part of a batch, or (appended in
/// order) the whole file.
#[derive(Debug, Default)]
pub(super) struct Acc {
    /// Features read (appended parts only).
    pub records: usize,
    /// Rows of the features that are events but for their time.
    pub rows: Vec<Row>,
    /// The regions and countries the rows' areas point at.
    pub areas: Areas,
    /// Each row's feature index, byte offset and length, declared time precision.
    pub index: Vec<usize>,
    pub offsets: Vec<u64>,
    pub lens: Vec<u32>,
    pub declared: Vec<Option<TimePrecision>>,
    /// Rows placed at a representative point of a geometry, with its kind.
    pub shapes: Vec<(usize, &'static str)>,
    pub refused: Vec<Refused>,
    /// The date columns' texts, every feature's.
    pub texts: Vec<Texts>,
    /// Property names the plan did not know, in first-seen order.
    pub new_names: Vec<String>,
    new_seen: HashSet<String>,
    /// A feature is not UTF-8: the ordinary reader decodes the file.
    pub not_utf8: bool,
}

impl Acc {
    /// Append a part's results; false when the file is for the ordinary reader.
    pub fn append(&mut self, mut o: Acc) -> bool {
        if o.not_utf8 {
            return false;
        }
        let map = self.areas.absorb(&o.areas);
        Areas::remap(&mut o.rows, &map);
        let shift = self.rows.len();
        self.shapes
            .extend(o.shapes.into_iter().map(|(k, s)| (k + shift, s)));
        self.rows.append(&mut o.rows);
        self.index.append(&mut o.index);
        self.offsets.append(&mut o.offsets);
        self.lens.append(&mut o.lens);
        self.declared.append(&mut o.declared);
        self.refused.append(&mut o.refused);
        if self.texts.is_empty() {
            self.texts = o.texts;
        } else {
            for (t, u) in self.texts.iter_mut().zip(o.texts) {
                if !t.append(u) {
                    return false;
                }
            }
        }
        self.note_names(o.new_names);
        true
    }

    /// Remember names not seen before, in order.
    fn note_names(&mut self, names: Vec<String>) {
        for n in names {
            if self.new_seen.insert(n.clone()) {
                self.new_names.push(n);
            }
        }
    }
}

/// Parse a batch's features in [`PARTS`] parts on all cores; `first` is the index of its
/// first feature.
pub(super) fn read_batch(plan: &Plan, batch: &Batch, first: usize) -> Vec<Acc> {
    let per = batch.elems.len().div_ceil(PARTS).max(1);
    batch
        .elems
        .par_chunks(per)
        .enumerate()
        .map(|(k, elems)| read_part(plan, &batch.buf, batch.base, first + k * per, elems))
        .collect()
}

/// Parse the features at `elems` of `buf` (at file offset `base`), the first of index
/// `first`.
fn read_part(plan: &Plan, buf: &[u8], base: u64, first: usize, elems: &[Range<usize>]) -> Acc {
    let mut out = Acc {
        texts: plan.column_slots.iter().map(|_| Texts::default()).collect(),
        ..Acc::default()
    };
    for t in &mut out.texts {
        t.spans.reserve(elems.len());
    }
    out.rows.reserve(elems.len());
    for (k, r) in elems.iter().enumerate() {
        let i = first + k;
        let slice = &buf[r.clone()];
        // Checked once here, not string by string by the parser.
        let Ok(text) = std::str::from_utf8(slice) else {
            out.not_utf8 = true;
            return out;
        };
        let mut lite = match Lite::parse(text, &plan.hot) {
            Ok(l) => l,
            Err(_) => match serde_json::from_str::<Value>(text) {
                Ok(v) => Lite::of_value(&v, &plan.hot),
                Err(e) => {
                    for t in &mut out.texts {
                        t.push(None);
                    }
                    out.refused.push(Refused {
                        index: i,
                        reason: RejectReason::Malformed,
                        detail: json_error_detail(slice, &e),
                        broken: true,
                    });
                    continue;
                }
            },
        };
        out.note_names(std::mem::take(&mut lite.new_names));
        for (t, &slot) in out.texts.iter_mut().zip(&plan.column_slots) {
            t.push(lite.value(slot).and_then(date_text));
        }
        let f = lite.into_value(&plan.hot);
        match feature_untimed(i, &f, &plan.keys, plan.crs) {
            Ok((e, declared, shape)) => {
                if let Some(s) = shape {
                    out.shapes.push((out.rows.len(), s));
                }
                out.rows.push(Row::of_in(&e, &mut out.areas));
                out.index.push(i);
                out.offsets.push(base + r.start as u64);
                out.lens.push(u32::try_from(r.len()).unwrap_or(u32::MAX));
                out.declared.push(declared);
            }
            Err((reason, detail)) => out.refused.push(Refused {
                index: i,
                reason,
                detail,
                broken: false,
            }),
        }
    }
    out
}

/// serde_json's message for a broken feature, with the text where it stopped quoted, as the
/// ordinary reader words it (`input::json_error_detail`).
fn json_error_detail(slice: &[u8], e: &serde_json::Error) -> String {
    let offset = slice
        .split(|&b| b == b'\n')
        .take(e.line().saturating_sub(1))
        .map(|l| l.len() + 1)
        .sum::<usize>()
        + e.column().saturating_sub(1);
    let mut start = offset.min(slice.len());
    while start > 0 && !matches!(slice[start - 1], b',' | b':' | b'[' | b'{' | b' ') {
        start -= 1;
    }
    let near = String::from_utf8_lossy(&slice[start..slice.len().min(start + 40)]);
    let message = e.to_string();
    let message = message.split(" at line ").next().unwrap_or(&message);
    format!("not valid JSON ({message}) at {}", fields::q(near.trim()))
}
