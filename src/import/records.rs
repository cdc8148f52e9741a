//! The record loop every importer shares: each record becomes an event or a rejection named
//! by its [`RecordRef`], and the counts that make `records == loaded + rejected` are kept in
//! one place.

use super::{Format, LoadReport, RecordRef, RejectReason, Rejection};
use crate::model::Event;

/// Why a record is not an event: the reason and the detail for the user. The record loop adds
/// where the record is, so the per-record rules need not know how records are numbered.
pub(super) type Refusal = (RejectReason, String);

/// Events and rejections of a run of records, to make the load report from.
#[derive(Debug, Default)]
pub(super) struct Outcome {
    /// Records read (loaded, rejected, or refused by the reader before the importer saw them).
    pub records: usize,
    /// Events loaded, in file order.
    pub events: Vec<Event>,
    /// Rejected records.
    pub rejected: Vec<Rejection>,
}

impl Outcome {
    /// Start from the records a reader already rejected (broken quoting, over-long): they
    /// count as records in addition to those the importer is given.
    pub fn with_rejected(rejected: Vec<Rejection>) -> Self {
        Self {
            records: rejected.len(),
            events: Vec::new(),
            rejected,
        }
    }

    /// Turn each record into an event with `read`, or a rejection where it refuses.
    pub fn read<T>(
        mut self,
        records: impl ExactSizeIterator<Item = (RecordRef, T)>,
        mut read: impl FnMut(T) -> Result<Event, Refusal>,
    ) -> Self {
        self.records += records.len();
        self.events.reserve(records.len());
        for (at, record) in records {
            match read(record) {
                Ok(e) => self.events.push(e),
                Err((reason, detail)) => self.rejected.push(Rejection {
                    record: at,
                    reason,
                    detail,
                }),
            }
        }
        self
    }

    /// The load report of `file` in `format`, with the importer's notes.
    pub fn report(self, file: &str, format: Format, notes: Vec<String>) -> LoadReport {
        let mut r = LoadReport::new(file, format, self.records);
        r.events = self.events;
        r.rejected = self.rejected;
        r.notes = notes;
        r
    }
}
