//! Field readers shared by the delimited-text importers, so that every format counts,
//! validates coordinates and keeps extra columns the same way.

use super::RejectReason;
use super::time::DayOrder;
use crate::model::{Event, PropertyName};

/// Input text as it may be quoted in a message: at most `max` characters (then "…"), with
/// control characters escaped (`\n`, `\0`, `\u{1b}`), so a message never carries raw bytes
/// such as terminal escapes or NULs.
pub fn quote_input(s: &str, max: usize) -> String {
    let mut out = String::with_capacity(s.len().min(max * 2));
    for (n, c) in s.chars().enumerate() {
        if n >= max {
            out.push('…');
            break;
        }
        match c {
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\0' => out.push_str("\\0"),
            c if c.is_control() => out.push_str(&format!("\\u{{{:x}}}", u32::from(c))),
            c => out.push(c),
        }
    }
    out
}

/// A value quoted in a rejection or note: in double quotes, at most 80 characters, control
/// characters escaped.
pub fn q(s: &str) -> String {
    format!("\"{}\"", quote_input(s, 80))
}

/// The longest record (or header line) read: a longer one is a damaged file (an unmatched
/// quote swallowing the rest, a file with no line breaks), rejected without being kept.
pub const MAX_RECORD_BYTES: usize = 1 << 20;

/// Why a record of `len` bytes (its fields, without delimiters) is not read, if it is too long.
pub fn oversize(len: usize) -> Option<String> {
    (len > MAX_RECORD_BYTES).then(|| {
        format!(
            "the record is {} long, over the 1 MB limit for one record (an unmatched quote \
             may have joined many lines into it)",
            byte_size(len)
        )
    })
}

/// A byte count for messages: "734.0 MB", "12.5 kB".
pub fn byte_size(n: usize) -> String {
    let n = n as f64;
    if n >= 1e6 {
        format!("{:.1} MB", n / 1e6)
    } else if n >= 1e3 {
        format!("{:.1} kB", n / 1e3)
    } else {
        format!("{n} bytes")
    }
}

/// A count: a non-negative whole number, also written "12.0"; anything else is unknown.
pub fn count(s: &str) -> Option<u32> {
    let s = s.trim();
    // Plain digits (nearly every count) parse directly; "12.0" and friends go through f64.
    if !s.is_empty() && s.len() <= 9 && s.bytes().all(|b| b.is_ascii_digit()) {
        return s.parse().ok();
    }
    let n: f64 = s.parse().ok()?;
    (n.is_finite() && n >= 0.0 && n.fract() == 0.0 && n <= f64::from(u32::MAX)).then_some(n as u32)
}

/// A decimal number as people write it: "49.9935", a decimal comma "49,9935" (European
/// spreadsheets' CSV), a degree sign or hemisphere letter ("49.99° N", "30.52E"; S and W
/// negative).
pub fn decimal(s: &str) -> Option<f64> {
    let t = s.trim();
    if let Ok(n) = t.parse::<f64>() {
        return n.is_finite().then_some(n);
    }
    let (body, sign) = match t.chars().last()? {
        'N' | 'n' | 'E' | 'e' => (&t[..t.len() - 1], 1.0),
        'S' | 's' | 'W' | 'w' => (&t[..t.len() - 1], -1.0),
        _ => (t, 1.0),
    };
    let body = body.trim().trim_end_matches('°').trim();
    let body = if body.matches(',').count() == 1 && !body.contains('.') {
        body.replace(',', ".")
    } else {
        body.to_owned()
    };
    let n: f64 = body.parse().ok()?;
    (n.is_finite()).then_some(n * sign)
}

/// Latitude and longitude from text: missing, unreadable or off the globe are told apart.
pub fn coords(lat: Option<&str>, lon: Option<&str>) -> Result<(f64, f64), (RejectReason, String)> {
    let (Some(lat_s), Some(lon_s)) = (
        lat.map(str::trim).filter(|s| !s.is_empty()),
        lon.map(str::trim).filter(|s| !s.is_empty()),
    ) else {
        return Err((
            RejectReason::MissingLocation,
            "empty latitude/longitude".to_owned(),
        ));
    };
    let (Ok(lat), Ok(lon)) = (lat_s.parse::<f64>(), lon_s.parse::<f64>()) else {
        return Err((
            RejectReason::InvalidCoordinates,
            format!("{}, {} are not numbers", q(lat_s), q(lon_s)),
        ));
    };
    if !(-90.0..=90.0).contains(&lat) || !(-180.0..=180.0).contains(&lon) {
        return Err((
            RejectReason::InvalidCoordinates,
            format!("lat {lat}, lon {lon} is outside the globe"),
        ));
    }
    Ok((lat, lon))
}

/// The load-report note for a file's decided day/month order, if a value decided it.
pub fn day_order_note(order: &DayOrder) -> Option<String> {
    match order {
        DayOrder::DayFirst { evidence: Some(e) } => Some(format!(
            "numeric dates read as day/month/year: {} has a day above 12",
            q(e)
        )),
        DayOrder::MonthFirst { evidence } if !evidence.is_empty() => Some(format!(
            "numeric dates read as month/day/year: {} has a day above 12 in second place",
            q(evidence)
        )),
        _ => None,
    }
}

/// The columns a reader reads into typed fields; the others are kept as extra properties,
/// under names made once per file.
#[derive(Debug, Default)]
pub(super) struct Consumed {
    /// By column: read into a typed field.
    used: Vec<bool>,
    /// By column: the extra property's name ([`extra_key`]).
    names: Vec<PropertyName>,
}

impl Consumed {
    /// These columns (`None`: a column the header lacks) of a file with `headers`.
    pub fn new(headers: &[String], columns: impl IntoIterator<Item = Option<usize>>) -> Self {
        let mut used = vec![false; headers.len()];
        for i in columns.into_iter().flatten() {
            if used.len() <= i {
                used.resize(i + 1, false);
            }
            used[i] = true;
        }
        let names = (0..headers.len())
            .map(|i| extra_key(headers, i).into())
            .collect();
        Self { used, names }
    }

    /// Whether column `i` is read into a typed field.
    pub fn has(&self, i: usize) -> bool {
        self.used.get(i).copied().unwrap_or(false)
    }

    /// The extra property name of column `i`.
    fn name(&self, i: usize) -> PropertyName {
        match self.names.get(i) {
            Some(n) => n.clone(),
            None => format!("column {}", i + 1).into(),
        }
    }
}

/// Keep every non-empty column not read into a typed field as an extra property.
pub(super) fn push_extra(e: &mut Event, row: super::table::Fields<'_>, consumed: &Consumed) {
    // Sized once: a record read back from a large file has some twenty extras.
    let kept = consumed.used.iter().filter(|u| !**u).count();
    e.extra.reserve(kept);
    for (i, v) in row.iter().enumerate() {
        if consumed.has(i) || v.is_empty() || v == "{}" {
            continue;
        }
        e.extra.push((consumed.name(i), v.to_owned()));
    }
}

/// The name of column `i`'s extra property: its header, or "column N" without one.
pub fn extra_key(headers: &[String], i: usize) -> String {
    headers
        .get(i)
        .filter(|h| !h.is_empty())
        .cloned()
        .unwrap_or_else(|| format!("column {}", i + 1))
}

/// Text from bytes that should be UTF-8: valid runs are kept as they are, and each byte
/// sequence that is not UTF-8 is read as Windows-1252 (a superset of Latin-1 for printable
/// text), the other encoding event exports come in. A Windows-1252 file decodes as it would
/// as a whole (short of byte pairs that happen to be UTF-8, such as "Ã©", mojibake anyway);
/// a UTF-8 file with a stray byte keeps the rest of its non-ASCII text intact.
pub fn decode(bytes: &[u8]) -> std::borrow::Cow<'_, str> {
    if let Ok(s) = std::str::from_utf8(bytes) {
        return std::borrow::Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(bytes.len() + bytes.len() / 8);
    for chunk in bytes.utf8_chunks() {
        out.push_str(chunk.valid());
        if !chunk.invalid().is_empty() {
            out.push_str(
                &encoding_rs::WINDOWS_1252
                    .decode_without_bom_handling(chunk.invalid())
                    .0,
            );
        }
    }
    std::borrow::Cow::Owned(out)
}

/// A whole file's text: [`decode`] run by run when it is mostly UTF-8 (more valid non-ASCII
/// characters than invalid runs: a UTF-8 export with stray bytes), otherwise all of it as
/// Windows-1252 — in a Windows-1252 file an accented capital before a byte such as » or a
/// no-break space happens to form a valid UTF-8 pair ("É»" would read "ɻ"), which only a
/// decision for the whole file gets right.
pub fn decode_file(bytes: &[u8]) -> std::borrow::Cow<'_, str> {
    if let Ok(s) = std::str::from_utf8(bytes) {
        return std::borrow::Cow::Borrowed(s);
    }
    let (mut valid, mut invalid) = (0usize, 0usize);
    for chunk in bytes.utf8_chunks() {
        valid += chunk.valid().chars().filter(|c| !c.is_ascii()).count();
        invalid += usize::from(!chunk.invalid().is_empty());
    }
    if valid > invalid {
        decode(bytes)
    } else {
        encoding_rs::WINDOWS_1252
            .decode_without_bom_handling(bytes)
            .0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_that_is_not_utf8_is_read_as_windows_1252_where_it_is_not() {
        assert!(matches!(
            decode("Kyiv – Київ".as_bytes()),
            std::borrow::Cow::Borrowed(_)
        ));
        // A Windows-1252 field: é and the en dash.
        assert_eq!(
            decode(b"Donets'k r\xe9gion \x96 east"),
            "Donets'k région – east"
        );
        // UTF-8 text with one stray byte keeps its apostrophe and Cyrillic.
        let mixed = [&b"Radens\xe2\x80\x99k \xd0\x9a"[..], b"\xe9"].concat();
        assert_eq!(decode(&mixed), "Radens’k Кé");
        // A whole Windows-1252 file where "É»" happens to be valid UTF-8 is read as
        // Windows-1252 throughout; a UTF-8 file with one stray byte keeps its UTF-8.
        assert_eq!(
            decode_file(b"CAF\xc9\xbb r\xe9gion, \xe9t\xe9"),
            "CAFÉ» région, été"
        );
        assert_eq!(decode_file(&mixed), "Radens’k Кé");
    }

    #[test]
    fn counts_and_coordinates() {
        assert_eq!(count("12"), Some(12));
        assert_eq!(count("123.0"), Some(123));
        assert_eq!(count("-1"), None);
        assert_eq!(count("nan"), None);
        assert_eq!(count("2.5"), None);
        assert_eq!(coords(Some("50.4"), Some("30.5")), Ok((50.4, 30.5)));
        assert_eq!(
            coords(None, Some("30")).unwrap_err().0,
            RejectReason::MissingLocation
        );
        assert_eq!(
            coords(Some("x"), Some("30")).unwrap_err().0,
            RejectReason::InvalidCoordinates
        );
        assert_eq!(
            coords(Some("91"), Some("30")).unwrap_err().0,
            RejectReason::InvalidCoordinates
        );
    }
}
