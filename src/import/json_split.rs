//! Finding the records of a JSON document that does not parse as a whole, so that one `NaN`,
//! one `1e400` or a cut-off end loses the feature that holds it and not the file.
//!
//! serde_json stops at the first error and cannot resume; this scanner only tracks strings
//! and bracket depth, which is enough to find where each element of the record array begins
//! and ends even when an element's own content is not valid JSON.

use std::ops::Range;

/// A record array found in a document: where it is and where each element lies.
#[derive(Debug, PartialEq, Eq)]
pub struct Split {
    /// The array's `[` (inclusive) to just after its `]`, or to the end of the document when
    /// the document ends inside it.
    pub array: Range<usize>,
    /// Each element's bytes, whitespace trimmed.
    pub elements: Vec<Range<usize>>,
    /// The document ends inside the array: the last element is cut off.
    pub truncated: bool,
}

impl Split {
    /// The document with the record array emptied (and closed, if it was cut off), to be
    /// parsed for what lies around the records (`type`, `name`, …).
    pub fn shell(&self, bytes: &[u8]) -> Vec<u8> {
        let mut out = bytes[..=self.array.start].to_vec();
        out.push(b']');
        if self.truncated {
            // Close the objects the array was nested in.
            let depth = depth_at(bytes, self.array.start);
            out.extend(std::iter::repeat_n(b'}', depth));
        } else {
            out.extend_from_slice(&bytes[self.array.end..]);
        }
        out
    }
}

/// Locate the record array: the value of the top-level `"features"` key of an object, or the
/// top-level array itself. `None` when neither is found (not JSON-shaped at all).
pub fn split_records(bytes: &[u8]) -> Option<Split> {
    let start = skip_ws(bytes, 0);
    let array_start = match bytes.get(start)? {
        b'[' => start,
        b'{' => find_member(bytes, start, b"features")?,
        _ => return None,
    };
    if bytes.get(array_start) != Some(&b'[') {
        return None;
    }
    Some(split_array(bytes, array_start))
}

/// The offset of the value of `key` among the members of the object at `open`.
fn find_member(bytes: &[u8], open: usize, key: &[u8]) -> Option<usize> {
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
        i = value_end(bytes, i);
        i = skip_ws(bytes, i);
        match bytes.get(i)? {
            b',' => i += 1,
            _ => return None,
        }
    }
}

/// Split the array at `open` into its elements by commas at its own depth.
fn split_array(bytes: &[u8], open: usize) -> Split {
    let mut elements = Vec::new();
    let mut depth = 0usize;
    let mut elem_start = open + 1;
    let mut i = open + 1;
    while i < bytes.len() {
        match bytes[i] {
            b'"' => {
                i = string_end(bytes, i).unwrap_or(bytes.len());
                continue;
            }
            b'[' | b'{' => depth += 1,
            b']' | b'}' if depth > 0 => depth -= 1,
            b']' | b'}' => {
                push_trimmed(bytes, elem_start..i, &mut elements);
                return Split {
                    array: open..i + 1,
                    elements,
                    truncated: false,
                };
            }
            b',' if depth == 0 => {
                push_trimmed(bytes, elem_start..i, &mut elements);
                elem_start = i + 1;
            }
            _ => {}
        }
        i += 1;
    }
    push_trimmed(bytes, elem_start..bytes.len(), &mut elements);
    Split {
        array: open..bytes.len(),
        elements,
        truncated: true,
    }
}

fn push_trimmed(bytes: &[u8], r: Range<usize>, out: &mut Vec<Range<usize>>) {
    let s = skip_ws(bytes, r.start).min(r.end);
    let mut e = r.end;
    while e > s && bytes[e - 1].is_ascii_whitespace() {
        e -= 1;
    }
    // "[]" and a trailing comma hold no element; a lone empty slot between commas is kept
    // so that it is counted and reported.
    if s < e || (r.end < bytes.len() && bytes[r.end] == b',') {
        out.push(s..e);
    }
}

/// Just past the value starting at `i` (a string, a bracketed value or a scalar).
fn value_end(bytes: &[u8], i: usize) -> usize {
    match bytes.get(i) {
        Some(b'"') => string_end(bytes, i).unwrap_or(bytes.len()),
        // The same bracket walk as an array's (it treats `{}` and `[]` alike).
        Some(b'[' | b'{') => split_array(bytes, i).array.end,
        _ => {
            let mut j = i;
            while j < bytes.len() && !matches!(bytes[j], b',' | b'}' | b']') {
                j += 1;
            }
            j
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

fn skip_ws(bytes: &[u8], mut i: usize) -> usize {
    while i < bytes.len() && bytes[i].is_ascii_whitespace() {
        i += 1;
    }
    i
}

/// How many objects or arrays are open at offset `at`.
fn depth_at(bytes: &[u8], at: usize) -> usize {
    let mut depth = 0usize;
    let mut i = 0;
    while i < at {
        match bytes[i] {
            b'"' => {
                i = string_end(bytes, i).unwrap_or(at);
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

#[cfg(test)]
mod tests {
    use super::*;

    fn texts<'a>(bytes: &'a [u8], s: &Split) -> Vec<&'a str> {
        s.elements
            .iter()
            .map(|r| std::str::from_utf8(&bytes[r.clone()]).unwrap())
            .collect()
    }

    #[test]
    fn finds_the_features_of_a_collection() {
        let doc = br#"{"type":"FeatureCollection","name":"a]b{","bbox":[1,2],
            "features":[ {"a":"x,}"} , {"b":[NaN, 1e400]},{"c":{"d":[]}} ], "crs":null}"#;
        let s = split_records(doc).unwrap();
        assert_eq!(
            texts(doc, &s),
            [
                r#"{"a":"x,}"}"#,
                r#"{"b":[NaN, 1e400]}"#,
                r#"{"c":{"d":[]}}"#
            ]
        );
        assert!(!s.truncated);
        let shell: serde_json::Value = serde_json::from_slice(&s.shell(doc)).unwrap();
        assert_eq!(shell["features"], serde_json::json!([]));
        assert_eq!(shell["crs"], serde_json::Value::Null);
        assert_eq!(shell["name"], "a]b{");
    }

    #[test]
    fn a_cut_off_document_keeps_its_whole_elements() {
        let doc = br#"{"type":"FeatureCollection","features":[{"a":1},{"b":"\"q"},{"c":[1,"#;
        let s = split_records(doc).unwrap();
        assert!(s.truncated);
        assert_eq!(
            texts(doc, &s),
            [r#"{"a":1}"#, r#"{"b":"\"q"}"#, r#"{"c":[1,"#]
        );
        let shell: serde_json::Value = serde_json::from_slice(&s.shell(doc)).unwrap();
        assert_eq!(shell["type"], "FeatureCollection");
    }

    #[test]
    fn top_level_arrays_and_empty_slots() {
        let doc = b" [ {\"a\":1}, , 3 ,] ";
        let s = split_records(doc).unwrap();
        assert_eq!(texts(doc, &s), ["{\"a\":1}", "", "3"]);
        assert_eq!(split_records(b"[]").unwrap().elements.len(), 0);
        assert_eq!(split_records(b"lat,lon"), None);
        assert_eq!(split_records(br#"{"type":"Feature"}"#), None);
    }
}
