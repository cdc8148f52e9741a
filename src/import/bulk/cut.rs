//! Where a batch is cut into slices of whole records that the cores parse in parallel: by
//! counting quotes ([`cut`], exact unless a quote sits inside an unquoted field), or guessed at
//! newlines ([`guess_cuts`], until a guess proves to fall inside quotes).

use rayon::prelude::*;

use super::PARTS;

/// Record boundaries in `buf` (positions just after a newline outside quotes), found in
/// parallel. `quoted` is whether `buf` starts inside a quoted field. Returns the first
/// boundary of each part (ascending, deduplicated) and, last, the final boundary of `buf`.
pub(super) fn cut(buf: &[u8], quoted: bool) -> Vec<usize> {
    let part = buf.len().div_ceil(PARTS).max(1);
    // Quotes per part (SIMD counting), then each part's starting state from the parities.
    let quotes: Vec<usize> = buf
        .par_chunks(part)
        .map(|c| memchr::memchr_iter(b'"', c).count())
        .collect();
    let mut starts = Vec::with_capacity(quotes.len());
    let mut q = usize::from(quoted);
    for (k, n) in quotes.iter().enumerate() {
        starts.push((k * part, q % 2 == 1));
        q += n;
    }
    // Boundaries of one part: the first, or (for the last part) the last one.
    let scan = |from: usize, mut quoted: bool, last: bool| -> Option<usize> {
        let end = (from + part).min(buf.len());
        let mut found = None;
        for i in memchr::memchr2_iter(b'"', b'\n', &buf[from..end]) {
            if buf[from + i] == b'"' {
                quoted = !quoted;
            } else if !quoted {
                found = Some(from + i + 1);
                if !last {
                    break;
                }
            }
        }
        found
    };
    let n = starts.len();
    let found: Vec<Option<usize>> = starts
        .par_iter()
        .enumerate()
        .map(|(k, &(from, quoted))| scan(from, quoted, k + 1 == n))
        .collect();
    let mut bounds: Vec<usize> = Vec::with_capacity(n + 1);
    for b in found.iter().take(n.saturating_sub(1)).flatten() {
        if bounds.last().is_none_or(|l| b > l) {
            bounds.push(*b);
        }
    }
    if let Some(Some(b)) = found.last()
        && bounds.last().is_none_or(|l| b > l)
    {
        bounds.push(*b);
    }
    bounds
}

/// Whether the next batch starts inside a quoted field, by the parity of the quotes carried
/// over from the previous one (see [`cut`]).
pub(super) fn carry_quoted(carry: &[u8]) -> bool {
    memchr::memchr_iter(b'"', carry).count() % 2 == 1
}

/// Likely record boundaries in `buf`: the first newline after each part's start and, last,
/// the final newline. No quote counting, so no pass over the batch: a newline inside a quoted
/// field (a multi-line note) makes the slice before it end inside quotes, which
/// [`super::pipeline`] sees, and it then cuts that batch and the rest of the file with [`cut`].
pub(super) fn guess_cuts(buf: &[u8]) -> Vec<usize> {
    let part = buf.len().div_ceil(PARTS).max(1);
    let mut bounds: Vec<usize> = Vec::with_capacity(PARTS + 1);
    for from in (0..buf.len()).step_by(part) {
        if let Some(i) = memchr::memchr(b'\n', &buf[from..]) {
            let b = from + i + 1;
            if bounds.last().is_none_or(|l| b > *l) {
                bounds.push(b);
            }
        }
    }
    if let Some(i) = memchr::memrchr(b'\n', buf)
        && bounds.last().is_none_or(|l| i + 1 > *l)
    {
        bounds.push(i + 1);
    }
    bounds
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cuts_fall_between_records() {
        let text = super::super::tests::sample(300);
        let buf = text.as_bytes();
        let header_end = buf.iter().position(|b| *b == b'\n').unwrap() + 1;
        let whole = &buf[header_end..];
        let records = |s: &[u8]| {
            csv::ReaderBuilder::new()
                .has_headers(false)
                .from_reader(s)
                .byte_records()
                .count()
        };
        // A whole body: the last bound is its end; every slice starts at an event id.
        let bounds = cut(whole, false);
        assert_eq!(bounds.last(), Some(&whole.len()));
        let mut n = records(&whole[..bounds[0]]);
        for w in bounds.windows(2) {
            let s = &whole[w[0]..w[1]];
            assert!(
                s.starts_with(b"UKR"),
                "{:?}",
                String::from_utf8_lossy(&s[..20])
            );
            n += records(s);
        }
        assert_eq!(n, 300);
        // Cut short: the incomplete record after the last bound waits for the next batch.
        let short = &whole[..whole.len() - 30];
        let bounds = cut(short, false);
        assert_eq!(records(&short[..*bounds.last().unwrap()]), 299);
        // Starting inside a quoted note that holds a newline: the first bound is after the
        // record, not at the newline inside the note.
        let inside = text.find("Shelling with artillery;").unwrap() - header_end;
        let rest = &whole[inside..];
        let first = cut(rest, true)[0];
        assert!(rest[first..].starts_with(b"UKR"));
        assert!(first > rest.iter().position(|b| *b == b'\n').unwrap() + 1);
    }
}
