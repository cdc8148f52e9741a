//! Splitting a record into raw fields without copying, exactly as the csv crate would for
//! the records it can (see [`split_record`]), and trimming fields as the ordinary importer does.

/// A field trimmed as the ordinary importer trims its decoded text (`str::trim`): ASCII
/// whitespace, and where a field starts or ends with a non-ASCII byte, Unicode whitespace
/// too (a no-break space: U+00A0 in UTF-8, or byte A0 read as Windows-1252).
pub(super) fn trim_field(b: &[u8]) -> &[u8] {
    let mut t = b.trim_ascii();
    if t.first().is_none_or(u8::is_ascii) && t.last().is_none_or(u8::is_ascii) {
        return t;
    }
    if let Ok(s) = std::str::from_utf8(t) {
        return s.trim().as_bytes();
    }
    // Not UTF-8 (decoded run by run): C2 A0 is a UTF-8 no-break space, and a lone A0 byte
    // (not ending a UTF-8 sequence) is Windows-1252's.
    loop {
        let before = t.len();
        t = match t {
            [0xC2, 0xA0, rest @ ..] | [0xA0, rest @ ..] => rest.trim_ascii_start(),
            _ => t,
        };
        t = match t {
            [head @ .., 0xC2, 0xA0] => head.trim_ascii_end(),
            [head @ .., prev, 0xA0] if prev.is_ascii() || *prev == 0xA0 => {
                t[..head.len() + 1].trim_ascii_end()
            }
            [0xA0] => &[],
            _ => t,
        };
        if t.len() == before {
            return t;
        }
    }
}

/// One record found by [`split_record`].
pub(super) struct Split {
    /// Where the record starts (after any blank lines).
    pub start: usize,
    /// Where the next record starts.
    pub next: usize,
    /// Whether `fields` hold exactly what the csv crate would give; otherwise the csv crate
    /// decodes the record's bytes (an escaped quote in a field the rows use, text after a
    /// closing quote, an unterminated quote).
    pub exact: bool,
    /// A quoted field runs to the end of the data: the record is cut off (by the end of a
    /// batch slice, or a truncated file).
    pub unterminated: bool,
}

/// Position of the first `,`, `\n` or `\r`. Fields are mostly a few bytes long, so the first
/// 32 bytes are checked eight at a time in a machine word (no SIMD set-up per call); longer
/// fields go to memchr.
#[inline]
fn find_delimiter(data: &[u8]) -> Option<usize> {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    let zero_byte = |v: u64| v.wrapping_sub(ONES) & !v & HIGH;
    let mut i = 0;
    while i + 8 <= data.len() && i < 32 {
        let mut word = [0u8; 8];
        word.copy_from_slice(&data[i..i + 8]);
        let v = u64::from_le_bytes(word);
        let hit = zero_byte(v ^ (ONES * u64::from(b',')))
            | zero_byte(v ^ (ONES * u64::from(b'\n')))
            | zero_byte(v ^ (ONES * u64::from(b'\r')));
        if hit != 0 {
            // The lowest flagged byte is exact (borrows only run upwards).
            return Some(i + (hit.trailing_zeros() / 8) as usize);
        }
        i += 8;
    }
    memchr::memchr3(b',', b'\n', b'\r', &data[i..]).map(|k| i + k)
}

/// Split the record at `pos` into raw fields, finding its end exactly as the csv crate does
/// (RFC 4180 quotes, a quote inside an unquoted field is a character, blank lines skipped,
/// `\n`, `\r\n` or `\r` ends a record), without copying: it jumps between delimiters with
/// memchr. Field `keep_escapes` may keep `""` escapes (the notes, only searched for keywords,
/// which contain no quotes). `None` at the end of the data.
pub(super) fn split_record<'a>(
    data: &'a [u8],
    mut pos: usize,
    fields: &mut Vec<&'a [u8]>,
    keep_escapes: Option<usize>,
) -> Option<Split> {
    fields.clear();
    while let Some(b'\n' | b'\r') = data.get(pos) {
        pos += 1;
    }
    if pos >= data.len() {
        return None;
    }
    let start = pos;
    let mut exact = true;
    let mut unterminated = false;
    let end = loop {
        let mut from = pos;
        if data[pos] == b'"' {
            let content = pos + 1;
            let mut q = content;
            let mut escaped = false;
            let close = loop {
                match memchr::memchr(b'"', &data[q..]) {
                    None => break None,
                    Some(i) if data.get(q + i + 1) == Some(&b'"') => {
                        escaped = true;
                        q += i + 2;
                    }
                    Some(i) => break Some(q + i),
                }
            };
            let Some(close) = close else {
                unterminated = true;
                exact = false;
                fields.push(&data[content..]);
                break data.len();
            };
            if escaped && keep_escapes != Some(fields.len()) {
                exact = false;
            }
            match data.get(close + 1) {
                Some(b',') => {
                    fields.push(&data[content..close]);
                    pos = close + 2;
                    if pos == data.len() {
                        fields.push(&data[pos..]);
                        break pos;
                    }
                    continue;
                }
                Some(b'\n' | b'\r') | None => {
                    fields.push(&data[content..close]);
                    break close + 1;
                }
                // Text after the closing quote belongs to the field: the csv crate decodes it.
                Some(_) => {
                    exact = false;
                    from = close + 1;
                }
            }
        }
        match find_delimiter(&data[from..]) {
            Some(i) => {
                fields.push(&data[pos..from + i]);
                pos = from + i;
                if data[pos] == b',' {
                    pos += 1;
                    if pos == data.len() {
                        // "a,b," at the very end: one more, empty field.
                        fields.push(&data[pos..]);
                        break pos;
                    }
                } else {
                    break pos;
                }
            }
            None => {
                fields.push(&data[pos..]);
                break data.len();
            }
        }
    };
    let next = match data.get(end) {
        Some(b'\r') if data.get(end + 1) == Some(&b'\n') => end + 2,
        Some(_) => end + 1,
        None => end,
    };
    Some(Split {
        start,
        next,
        exact,
        unterminated,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Fields are trimmed as `str::trim` trims the ordinary importer's decoded text.
    #[test]
    fn fields_trim_like_the_ordinary_importer() {
        assert_eq!(trim_field(b" 2\xc2\xa0"), b"2");
        assert_eq!(trim_field(b"\xc2\xa0 \xc2\xa0"), b"");
        // Windows-1252 no-break spaces around a Windows-1252 field.
        assert_eq!(trim_field(b"\xa0r\xe9gion \xa0"), b"r\xe9gion");
        // "à" ends in byte A0 but is a letter.
        assert_eq!(trim_field(b" voil\xc3\xa0 "), b"voil\xc3\xa0");
        assert_eq!(trim_field(b"\xe9 voil\xc3\xa0"), b"\xe9 voil\xc3\xa0");
        for s in [" a\u{a0}", "\u{a0}\u{a0}", "b", "  ", "Київ\u{a0} "] {
            assert_eq!(trim_field(s.as_bytes()), s.trim().as_bytes(), "{s:?}");
        }
    }

    #[test]
    fn delimiters_are_found_like_memchr() {
        let samples: [&[u8]; 7] = [
            b"",
            b"abc",
            b"abcdefgh,x",
            b"0123456789012345678901234567890123456789\n",
            b"\r",
            b"a\xff\x80,",
            b"zzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzz",
        ];
        for s in samples {
            for k in 0..s.len().max(1) {
                let d = &s[k.min(s.len())..];
                assert_eq!(
                    find_delimiter(d),
                    memchr::memchr3(b',', b'\n', b'\r', d),
                    "{d:?}"
                );
            }
        }
    }
}
