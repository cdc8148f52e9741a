//! Finding the elements of a FeatureCollection's `features` array as the file streams past,
//! without parsing them, by the rules of [`super::super::super::json_split`] (which the
//! ordinary reader uses for a document that does not parse as a whole): strings are skipped,
//! `[` and `{` open and `]` and `}` close alike, and a comma at the array's own depth ends an
//! element. The scanner keeps its state between batches, so an element may span them.

use std::ops::Range;

/// Where the value of the member `key` of the object opening at `open` starts, as
/// `json_split` finds the `features` array; `None` when the object's members before it do
/// not end in `bytes` or are not members.
pub(super) fn find_member(bytes: &[u8], open: usize, key: &[u8]) -> Option<usize> {
    let mut i = open + 1;
    loop {
        i = skip_ws(bytes, i);
        if *bytes.get(i)? != b'"' {
            return None;
        }
        let key_end = string_end(bytes, i)?;
        let this = &bytes[i + 1..key_end - 1];
        i = skip_ws(bytes, key_end);
        if *bytes.get(i)? != b':' {
            return None;
        }
        i = skip_ws(bytes, i + 1);
        if this == key {
            return Some(i);
        }
        i = skip_ws(bytes, value_end(bytes, i)?);
        match bytes.get(i)? {
            b',' => i += 1,
            _ => return None,
        }
    }
}

/// Just past the value starting at `i` (a string, a bracketed value or a scalar); `None`
/// when it does not end in `bytes`.
fn value_end(bytes: &[u8], i: usize) -> Option<usize> {
    match bytes.get(i)? {
        b'"' => string_end(bytes, i),
        b'[' | b'{' => {
            let mut s = Scanner::at(i + 1);
            let end = s.scan(bytes, i + 1, &mut Vec::new());
            s.closed.then_some(end)
        }
        _ => {
            let mut j = i;
            while j < bytes.len() && !matches!(bytes[j], b',' | b'}' | b']') {
                j += 1;
            }
            (j < bytes.len()).then_some(j)
        }
    }
}

/// Just past the closing quote of the string whose opening quote is at `i`.
fn string_end(bytes: &[u8], i: usize) -> Option<usize> {
    let mut j = i + 1;
    while j < bytes.len() {
        match bytes[j] {
            b'\\' => j += 2,
            b'"' => return Some(j + 1),
            _ => j += 1,
        }
    }
    None
}

/// The first position at or after `i` that is not ASCII whitespace.
pub(super) fn skip_ws(bytes: &[u8], mut i: usize) -> usize {
    while i < bytes.len() && bytes[i].is_ascii_whitespace() {
        i += 1;
    }
    i
}

/// How many objects or arrays are open at the end of `bytes` (as `json_split` closes a
/// document that ends inside its feature array).
pub(super) fn depth_at_end(bytes: &[u8]) -> usize {
    let mut depth = 0usize;
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'"' => {
                i = string_end(bytes, i).unwrap_or(bytes.len());
                continue;
            }
            b'[' | b'{' => depth += 1,
            b']' | b'}' => depth = depth.saturating_sub(1),
            _ => {}
        }
        i += 1;
    }
    depth
}

/// The state of a scan through an array's elements, kept between batches.
#[derive(Debug, Clone)]
pub(super) struct Scanner {
    /// Inside a string.
    in_string: bool,
    /// The data scanned so far ended with a backslash inside a string: the next byte is
    /// skipped.
    escape: bool,
    /// Brackets open inside the current element.
    depth: usize,
    /// Where the current element starts in the data scanned.
    pub elem_start: usize,
    /// The array's closing bracket was found.
    pub closed: bool,
}

impl Scanner {
    /// A scan of an array's elements, the first starting at `elem_start`.
    pub fn at(elem_start: usize) -> Self {
        Self {
            in_string: false,
            escape: false,
            depth: 0,
            elem_start,
            closed: false,
        }
    }

    /// Scan `data` from `i` (where the previous scan of the same data stopped), adding the
    /// elements that end in it to `elems` (whitespace trimmed). Returns where it stopped: the
    /// end of `data`, or just past the array's closing bracket (then [`Self::closed`]).
    pub fn scan(&mut self, data: &[u8], mut i: usize, elems: &mut Vec<Range<usize>>) -> usize {
        let n = data.len();
        if self.escape && i < n {
            self.escape = false;
            i += 1;
        }
        if self.in_string {
            i = self.string_rest(data, i);
        }
        while i < n {
            match data[i] {
                b'"' => {
                    self.in_string = true;
                    i = self.string_rest(data, i + 1);
                    continue;
                }
                b'[' | b'{' => self.depth += 1,
                b']' | b'}' if self.depth > 0 => self.depth -= 1,
                b']' | b'}' => {
                    push_trimmed(data, self.elem_start..i, false, elems);
                    self.closed = true;
                    return i + 1;
                }
                b',' if self.depth == 0 => {
                    push_trimmed(data, self.elem_start..i, true, elems);
                    self.elem_start = i + 1;
                }
                _ => {}
            }
            i += 1;
        }
        n
    }

    /// The end of the data reached without the closing bracket: the element left, if any
    /// (the file ends inside the array).
    pub fn finish(&self, data: &[u8], elems: &mut Vec<Range<usize>>) {
        push_trimmed(data, self.elem_start..data.len(), false, elems);
    }

    /// Skip the rest of a string from `j`: just past its closing quote, or the end of the
    /// data (still inside it).
    fn string_rest(&mut self, data: &[u8], mut j: usize) -> usize {
        let n = data.len();
        while j < n {
            match memchr::memchr2(b'"', b'\\', &data[j..]) {
                None => break,
                Some(k) if data[j + k] == b'\\' => {
                    j += k + 2;
                    if j > n {
                        self.escape = true;
                        return n;
                    }
                }
                Some(k) => {
                    self.in_string = false;
                    return j + k + 1;
                }
            }
        }
        n
    }
}

/// Add the element in `r`, whitespace trimmed: an empty one only between two commas (a
/// slot `json_split` counts and reports).
fn push_trimmed(data: &[u8], r: Range<usize>, at_comma: bool, out: &mut Vec<Range<usize>>) {
    let s = skip_ws(data, r.start).min(r.end);
    let mut e = r.end;
    while e > s && data[e - 1].is_ascii_whitespace() {
        e -= 1;
    }
    if s < e || at_comma {
        out.push(s..e);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Elements found by scanning `doc` in pieces of `step` bytes, carried over as the
    /// reader carries them.
    fn scan_in_pieces(doc: &[u8], step: usize) -> (Vec<Vec<u8>>, bool) {
        let open = find_member(doc, 0, b"features").unwrap();
        let mut s = Scanner::at(open + 1);
        let mut buf = doc[..(open + 1 + step).min(doc.len())].to_vec();
        let mut read = buf.len();
        let mut pos = open + 1;
        let mut out = Vec::new();
        loop {
            let mut elems = Vec::new();
            s.scan(&buf, pos, &mut elems);
            if !s.closed && read == doc.len() {
                s.finish(&buf, &mut elems);
            }
            out.extend(elems.iter().map(|r| buf[r.clone()].to_vec()));
            if s.closed || read == doc.len() {
                return (out, s.closed);
            }
            let mut next = buf[s.elem_start..].to_vec();
            pos = next.len();
            s.elem_start = 0;
            let more = (read + step).min(doc.len());
            next.extend_from_slice(&doc[read..more]);
            read = more;
            buf = next;
        }
    }

    /// The elements are json_split's, whatever the pieces (strings with escapes, brackets
    /// and commas in strings, nesting, empty slots, a cut-off end).
    #[test]
    fn elements_are_json_splits_in_any_pieces() {
        let docs: [&[u8]; 4] = [
            br#"{"type":"FeatureCollection","name":"a]b{","bbox":[1,2],
            "features":[ {"a":"x,}\\"} , {"b":[NaN, 1e400]},{"c":{"d":[]},"e":"\\\\"} ,, 7], "crs":null}"#,
            br#"{"type":"FeatureCollection","features":[{"a":1},{"b":"\"q"},{"c":[1,"#,
            br#"{"features":[]}"#,
            br#"{"features":[ {"a":"\\\"]"} ,  ]}"#,
        ];
        for doc in docs {
            let want = super::super::super::super::json_split::split_records(doc).unwrap();
            let want_texts: Vec<&[u8]> = want.elements.iter().map(|r| &doc[r.clone()]).collect();
            for step in [1, 2, 3, 5, 7, 64, 10_000] {
                let (got, closed) = scan_in_pieces(doc, step);
                assert_eq!(got, want_texts, "step {step}");
                assert_eq!(closed, !want.truncated);
            }
        }
    }

    #[test]
    fn members_and_depth() {
        let doc = br#"{"type":"FeatureCollection","x":{"features":[1]},"features" : [1]}"#;
        let at = find_member(doc, 0, b"features").unwrap();
        assert_eq!(&doc[at..at + 3], b"[1]");
        assert_eq!(
            find_member(br#"{"type":"FeatureCollection","#, 0, b"features"),
            None
        );
        assert_eq!(depth_at_end(br#"{"a":"{[","features":["#), 2);
    }
}
