//! The file read in batches by one thread while the cores parse the previous batch: each
//! batch cut into slices ([`super::cut`]), the slices parsed in parallel
//! ([`super::parse::parse_slice`]) and appended in file order, with a record spanning two
//! batches carried over to the next.

use std::borrow::Cow;
use std::io::{Read, Seek, SeekFrom};
use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};

use rayon::prelude::*;

use super::super::time::DayOrder;
use super::super::{ImportError, Progress, RecordRef, acled::Cols};
use super::BATCH;
use super::cut::{carry_quoted, cut, guess_cuts};
use super::parse::{Parsed, Pool, SliceOut, parse_slice};

/// A slice of whole records to parse: borrowed from a batch, or owned when it spans two.
struct Slice<'a> {
    data: Cow<'a, [u8]>,
    /// Byte offset in the file.
    offset: u64,
}

/// Fix a slice's relative line numbers (1 = its first line) to file lines.
fn relocate(out: &mut SliceOut, first_line: u64) {
    let add = first_line - 1;
    for r in &mut out.rejected {
        if let RecordRef::Row(n) = &mut r.record {
            *n += add;
        }
    }
}

/// What every slice of the file is parsed with.
struct Ctx<'a> {
    cols: &'a Cols,
    order: &'a DayOrder,
    pool: Pool,
    name: &'a str,
}

/// The slices parsed so far, appended in order, and the file line the next one starts on.
struct Sink {
    parsed: Parsed,
    line: u64,
}

impl Sink {
    /// Append parsed slices in order; their emptied row buffers go back to the pool.
    fn append(&mut self, outs: &mut Vec<SliceOut>, pool: &Pool) {
        for mut o in outs.drain(..) {
            relocate(&mut o, self.line);
            self.line += o.newlines;
            let spare = self.parsed.append(o);
            if let Ok(mut p) = pool.lock() {
                p.push(spare);
            }
        }
    }
}

/// The part of the file read but not parsed yet: the record cut off at the end of the
/// previous batch.
struct Carry {
    data: Vec<u8>,
    /// File offset of `data` (or of the next batch when it is empty).
    offset: u64,
    /// `data` is a record cut off inside a quoted field.
    open: bool,
    /// Cuts are guessed at newlines until a guess falls inside quotes (see [`guess_cuts`]).
    guessing: bool,
}

/// One batch's slices: the record spanning from the previous batch (carry + head), the
/// whole records between `bounds`, and at the end of the file the rest. Also where each
/// slice ends in the batch, and where the unparsed tail starts.
fn slicing<'b>(
    carry: &Carry,
    batch: &'b [u8],
    bounds: &[usize],
    eof: bool,
) -> (Vec<Slice<'b>>, Vec<usize>, usize) {
    let batch_offset = carry.offset + carry.data.len() as u64;
    let mut slices: Vec<Slice<'_>> = Vec::with_capacity(bounds.len() + 2);
    let mut ends: Vec<usize> = Vec::with_capacity(bounds.len() + 2);
    let head_end = bounds.first().copied().unwrap_or(batch.len());
    let mut head = Vec::with_capacity(carry.data.len() + head_end);
    head.extend_from_slice(&carry.data);
    head.extend_from_slice(&batch[..head_end]);
    slices.push(Slice {
        data: Cow::Owned(head),
        offset: carry.offset,
    });
    ends.push(head_end);
    for w in bounds.windows(2) {
        slices.push(Slice {
            data: Cow::Borrowed(&batch[w[0]..w[1]]),
            offset: batch_offset + w[0] as u64,
        });
        ends.push(w[1]);
    }
    let tail_from = bounds.last().copied().unwrap_or(batch.len());
    if eof && tail_from < batch.len() {
        slices.push(Slice {
            data: Cow::Borrowed(&batch[tail_from..]),
            offset: batch_offset + tail_from as u64,
        });
        ends.push(batch.len());
    }
    (slices, ends, tail_from)
}

/// Parse the slices on all cores while the previous batch's results are appended.
fn parse(
    ctx: &Ctx<'_>,
    slices: &[Slice<'_>],
    eof: bool,
    pending: &mut Vec<SliceOut>,
    sink: &mut Sink,
) -> Vec<SliceOut> {
    let n = slices.len();
    let (outs, ()) = rayon::join(
        || {
            slices
                .par_iter()
                .enumerate()
                .map(|(k, s)| {
                    let last = eof && k + 1 == n;
                    parse_slice(&s.data, s.offset, ctx.cols, ctx.order, last, &ctx.pool)
                })
                .collect()
        },
        || sink.append(pending, &ctx.pool),
    );
    outs
}

/// The first slice cut off before its end, which means the cut after it fell inside quotes.
fn wrong(outs: &[SliceOut], eof: bool) -> Option<usize> {
    let n = outs.len();
    (0..n).find(|&k| !(eof && k + 1 == n) && outs[k].unterminated)
}

/// Parse one batch (the previous one's results are appended meanwhile); the record cut off at
/// its end is left in `carry`.
fn parse_batch(
    ctx: &Ctx<'_>,
    batch: &[u8],
    eof: bool,
    carry: &mut Carry,
    pending: &mut Vec<SliceOut>,
    sink: &mut Sink,
) -> Vec<SliceOut> {
    let name = ctx.name;
    let bounds = if carry.guessing {
        guess_cuts(batch)
    } else {
        cut(batch, carry_quoted(&carry.data))
    };
    let (mut slices, mut ends, mut tail_from) = slicing(carry, batch, &bounds, eof);
    let mut outs = parse(ctx, &slices, eof, pending, sink);
    if carry.guessing && wrong(&outs, eof).is_some() {
        log::debug!("{name}: a newline inside quotes; cutting by quote counts from here");
        carry.guessing = false;
        let bounds = cut(batch, carry_quoted(&carry.data));
        (slices, ends, tail_from) = slicing(carry, batch, &bounds, eof);
        outs = parse(ctx, &slices, eof, pending, sink);
    }
    let batch_offset = carry.offset + carry.data.len() as u64;
    // A quote inside an unquoted field fools the parity count too: from the slice that was
    // cut off on, the batch is read again in one piece, which is exact.
    match wrong(&outs, eof) {
        Some(k) => {
            log::debug!("{name}: re-reading a batch from slice {k} (a cut fell inside quotes)");
            let mut joined = slices[k].data.to_vec();
            joined.extend_from_slice(&batch[ends[k]..]);
            outs.truncate(k);
            let again = parse_slice(
                &joined,
                slices[k].offset,
                ctx.cols,
                ctx.order,
                eof,
                &ctx.pool,
            );
            let end = again.complete_end;
            carry.open = !eof && again.open_quote;
            outs.push(again);
            carry.data.clear();
            if !eof {
                carry.data.extend_from_slice(&joined[end..]);
            }
            carry.offset = slices[k].offset + end as u64;
        }
        None => {
            carry.open = false;
            carry.data.clear();
            if !eof {
                carry.data.extend_from_slice(&batch[tail_from..]);
            }
            carry.offset = batch_offset + tail_from as u64;
        }
    }
    outs
}

/// Read the file in batches of [`BATCH`] bytes into `tx`, reusing the batches sent back.
fn read_batches(
    mut file: std::fs::File,
    tx: std::sync::mpsc::SyncSender<std::io::Result<Vec<u8>>>,
    back: std::sync::mpsc::Receiver<Vec<u8>>,
    cancel: &AtomicBool,
) {
    loop {
        let mut batch = back
            .try_recv()
            .unwrap_or_else(|_| Vec::with_capacity(BATCH));
        batch.clear();
        let r = (&mut file).take(BATCH as u64).read_to_end(&mut batch);
        let done = !matches!(r, Ok(n) if n == BATCH) || cancel.load(Ordering::Relaxed);
        if tx.send(r.map(|_| batch)).is_err() || done {
            break;
        }
    }
}

/// Parse the file from `data_start` with day/month `order`. A reader thread reads the next
/// batch while the cores parse the current one.
pub(super) fn parse_file(
    path: &Path,
    data_start: u64,
    cols: &Cols,
    order: &DayOrder,
    progress: &Progress,
    name: &str,
) -> Result<Parsed, ImportError> {
    let io = |source| ImportError::Io {
        path: name.to_owned(),
        source,
    };
    let mut file = std::fs::File::open(path).map_err(io)?;
    file.seek(SeekFrom::Start(data_start)).map_err(io)?;
    let mut sink = Sink {
        parsed: Parsed::default(),
        line: 2, // the header is line 1
    };
    // Reserve for the whole file (rows are a few hundred bytes) so appending never copies.
    let size = std::fs::metadata(path).map_or(0, |m| m.len());
    let guess = usize::try_from(size / 300).unwrap_or(0);
    sink.parsed.rows.reserve(guess);
    sink.parsed.offsets.reserve(guess);
    let ctx = Ctx {
        cols,
        order,
        pool: Pool::default(),
        name,
    };
    std::thread::scope(|scope| -> Result<(), ImportError> {
        // Two batches in flight at most: one parsed, one read. Parsed batches go back to the
        // reader, so their pages are reused instead of faulted in afresh.
        let (tx, rx) = std::sync::mpsc::sync_channel::<std::io::Result<Vec<u8>>>(1);
        let (back_tx, back_rx) = std::sync::mpsc::sync_channel::<Vec<u8>>(3);
        let cancel = &progress.cancel;
        scope.spawn(move || read_batches(file, tx, back_rx, cancel));
        let mut carry = Carry {
            data: Vec::new(),
            offset: data_start,
            open: false,
            guessing: true,
        };
        // The previous batch's results, appended while this batch is parsed.
        let mut pending: Vec<SliceOut> = Vec::new();
        for batch in rx {
            if progress.cancelled() {
                return Err(ImportError::Cancelled {
                    file: name.to_owned(),
                });
            }
            let batch = batch.map_err(io)?;
            let eof = batch.len() < BATCH;
            // Inside a quoted field, which only a quote can close, a batch without a quote
            // changes nothing: it joins the carried record unparsed. (Parsing the growing
            // record again with every batch took quadratic time.)
            if carry.open && !eof && memchr::memchr(b'"', &batch).is_none() {
                carry.data.extend_from_slice(&batch);
            } else {
                pending = parse_batch(&ctx, &batch, eof, &mut carry, &mut pending, &mut sink);
            }
            let _ = back_tx.try_send(batch);
            progress
                .done
                .store(carry.offset + carry.data.len() as u64, Ordering::Relaxed);
        }
        sink.append(&mut pending, &ctx.pool);
        Ok(())
    })?;
    Ok(sink.parsed)
}
