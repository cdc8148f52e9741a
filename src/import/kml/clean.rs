//! The pass over the XML text before the `kml` crate's parser ([`clean`]): it checks that tags
//! balance and repairs what would make the crate refuse the whole file or panic (CDATA,
//! comments, entities, markup in text, unreadable coordinates, styles it reads strictly).

use std::ops::Range;

use super::super::RejectReason;
use super::super::fields::{self, q};
use super::html::entity_char;

/// Elements nested deeper than this are refused: the `kml` crate reads nesting by recursion,
/// and a hostile file must not overflow the stack.
const MAX_DEPTH: usize = 100;

/// Elements dropped before parsing: drawing hints events do not use, which the `kml` crate
/// reads strictly (a style or altitude mode value it does not know, such as Google's
/// `relativeToSeaFloor`, would refuse the whole file).
const DROPPED: &[&str] = &[
    "Style",
    "StyleMap",
    "BalloonStyle",
    "IconStyle",
    "LabelStyle",
    "LineStyle",
    "PolyStyle",
    "ListStyle",
    "altitudeMode",
];

/// The elements the `kml` crate reads as a placemark's geometry.
const GEOMETRIES: &[&str] = &[
    "Point",
    "LineString",
    "LinearRing",
    "Polygon",
    "MultiGeometry",
];

/// Elements the `kml` crate reads as text only (it refuses the file at markup inside them):
/// tags found inside are kept as their text, as HTML in a description is meant.
const TEXT_ONLY: &[&str] = &[
    "name",
    "description",
    "value",
    "SimpleData",
    "displayName",
    "styleUrl",
];

/// The element [`clean`] puts in place of a geometry that cannot be read, so that the
/// placemark's rejection says why (its `reason` attribute is a [`RejectReason::key`]).
pub(super) const BAD_GEOMETRY: &str = "strikemap-geometry";

/// Why a text is not well-formed XML, and on which line.
#[derive(Debug)]
pub(super) struct XmlError {
    pub(super) line: usize,
    pub(super) message: String,
}

/// The (1-based) line of a byte offset.
fn line_at(src: &str, at: usize) -> usize {
    memchr::memchr_iter(b'\n', &src.as_bytes()[..at.min(src.len())]).count() + 1
}

/// Check that the text is well-formed XML and prepare it for the `kml` crate, which stops at
/// the first problem for the whole file (and loops for ever at a file cut off inside a
/// placemark, or panics at a Point without coordinates):
///
/// - tags must balance (else an error naming the line);
/// - CDATA becomes escaped text (the crate drops CDATA in ExtendedData and folder names);
/// - comments, processing instructions and the document type are dropped (the crate refuses
///   them inside text);
/// - markup inside a name or description is kept as text (HTML written unescaped);
/// - HTML entities become characters, and a bare `&` an escaped one;
/// - coordinates are normalised ("30.5, 50.4" → "30.5,50.4"); a geometry whose coordinates are
///   not numbers, or a Point without coordinates, is replaced by a [`BAD_GEOMETRY`] element
///   saying why, so that only its placemark is rejected;
/// - styles and altitude modes are dropped ([`DROPPED`]).
pub(super) fn clean(src: &str) -> Result<String, XmlError> {
    let mut c = Cleaner {
        src,
        out: String::with_capacity(src.len() + src.len() / 16),
        stack: Vec::new(),
        text_only: None,
        coords: None,
        geometry: None,
        any: false,
    };
    let b = src.as_bytes();
    let mut i = 0;
    while i < b.len() {
        let Some(lt) = memchr::memchr(b'<', &b[i..]).map(|k| i + k) else {
            c.text(&src[i..]);
            break;
        };
        c.text(&src[i..lt]);
        i = c.markup(lt)?;
    }
    c.finish()
}

/// An element open while the text is scanned.
#[derive(Debug)]
struct Open {
    /// Its qualified name, as a range of the source.
    name: Range<usize>,
    /// Where its start tag is in the source.
    at: usize,
    /// Where it starts in the output (to drop or replace it).
    out: usize,
    /// For a Point: whether its coordinates hold a point; for an outerBoundaryIs: whether it
    /// holds a ring.
    filled: bool,
}

/// The state of [`clean`].
struct Cleaner<'a> {
    src: &'a str,
    out: String,
    stack: Vec<Open>,
    /// The stack depth of the text-only element being read ([`TEXT_ONLY`]).
    text_only: Option<usize>,
    /// The text of the coordinates element being read.
    coords: Option<String>,
    /// The stack index of the outermost geometry being read, and what is wrong with it.
    geometry: Option<(usize, Option<(RejectReason, String)>)>,
    /// Whether any element was seen.
    any: bool,
}

/// The local part of a qualified name ("gx:Track" → "Track").
fn local(qname: &str) -> &str {
    qname.rsplit(':').next().unwrap_or(qname)
}

impl Cleaner<'_> {
    fn error(&self, at: usize, message: String) -> XmlError {
        XmlError {
            line: line_at(self.src, at),
            message,
        }
    }

    fn name_of(&self, open: &Open) -> &str {
        &self.src[open.name.clone()]
    }

    /// Text between tags.
    fn text(&mut self, s: &str) {
        if s.is_empty() {
            return;
        }
        match &mut self.coords {
            Some(buf) => buf.push_str(s),
            None => push_text(&mut self.out, s),
        }
    }

    /// The markup at `lt`; returns where the text after it starts.
    fn markup(&mut self, lt: usize) -> Result<usize, XmlError> {
        let src = self.src;
        let rest = &src[lt..];
        let closed = |open: &str, close: &str, what: &str| {
            rest[open.len()..]
                .find(close)
                .map(|e| lt + open.len() + e + close.len())
                .ok_or_else(|| self.error(lt, format!("{what} is not closed")))
        };
        if rest.starts_with("<!--") {
            return closed("<!--", "-->", "a comment (<!--)");
        }
        if let Some(cdata) = rest.strip_prefix("<![CDATA[") {
            let end = closed("<![CDATA[", "]]>", "a CDATA section")?;
            let content = &cdata[..end - lt - 12];
            match &mut self.coords {
                Some(buf) => buf.push_str(content),
                None => escape(&mut self.out, content),
            }
            return Ok(end);
        }
        if rest.starts_with("<?") {
            return closed("<?", "?>", "a processing instruction (<?)");
        }
        if rest.starts_with("<!") {
            // A document type, with its internal subset in brackets.
            let mut depth = 0usize;
            for (k, b) in rest.bytes().enumerate().skip(2) {
                match b {
                    b'[' => depth += 1,
                    b']' => depth = depth.saturating_sub(1),
                    b'>' if depth == 0 => return Ok(lt + k + 1),
                    _ => {}
                }
            }
            return Err(self.error(lt, "a <! declaration is not closed".into()));
        }
        let closing = rest.starts_with("</");
        let name_start = lt + if closing { 2 } else { 1 };
        let b = src.as_bytes();
        let starts_name = b
            .get(name_start)
            .is_some_and(|&c| c.is_ascii_alphabetic() || c == b'_' || c == b':' || c >= 0x80);
        if !starts_name {
            // A "<" that starts no tag ("< 5 killed"): text, escaped.
            match &mut self.coords {
                Some(buf) => buf.push('<'),
                None => self.out.push_str("&lt;"),
            }
            return Ok(lt + 1);
        }
        let mut j = name_start;
        while j < b.len() && !(b[j].is_ascii_whitespace() || matches!(b[j], b'/' | b'>')) {
            j += 1;
        }
        let name = name_start..j;
        let mut quote = None;
        loop {
            let Some(&c) = b.get(j) else {
                return Err(self.error(
                    lt,
                    format!(
                        "the tag <{} is not closed",
                        fields::quote_input(&src[name], 40)
                    ),
                ));
            };
            match (c, quote) {
                (b'"' | b'\'', None) => quote = Some(c),
                (c, Some(q)) if c == q => quote = None,
                (b'>', None) => break,
                _ => {}
            }
            j += 1;
        }
        let end = j + 1;
        let tag = &src[lt..end];
        if closing {
            self.end(lt, name, tag)?;
        } else {
            self.start(lt, name, tag, b[j - 1] == b'/')?;
        }
        Ok(end)
    }

    fn start(
        &mut self,
        lt: usize,
        name: Range<usize>,
        tag: &str,
        empty: bool,
    ) -> Result<(), XmlError> {
        if self.coords.is_some() {
            return Ok(());
        }
        if self.text_only.is_some() {
            escape(&mut self.out, tag);
            return Ok(());
        }
        self.any = true;
        let src = self.src;
        let qname = &src[name.clone()];
        let local_name = local(qname);
        if empty {
            if !DROPPED.contains(&local_name) {
                self.out.push_str(tag);
            }
            return Ok(());
        }
        if self.stack.len() >= MAX_DEPTH {
            return Err(self.error(
                lt,
                format!("elements are nested more than {MAX_DEPTH} deep"),
            ));
        }
        if local_name == "LinearRing"
            && let Some(parent) = self.stack.last_mut()
            && local(&src[parent.name.clone()]) == "outerBoundaryIs"
        {
            parent.filled = true;
        }
        self.stack.push(Open {
            name,
            at: lt,
            out: self.out.len(),
            filled: false,
        });
        self.out.push_str(tag);
        if GEOMETRIES.contains(&local_name) && self.geometry.is_none() {
            self.geometry = Some((self.stack.len() - 1, None));
        }
        if local_name == "coordinates" {
            self.coords = Some(String::new());
        } else if TEXT_ONLY.contains(&local_name) {
            self.text_only = Some(self.stack.len());
        }
        Ok(())
    }

    fn end(&mut self, lt: usize, name: Range<usize>, tag: &str) -> Result<(), XmlError> {
        let src = self.src;
        let qname = &src[name];
        if let Some(depth) = self.text_only {
            let inside = &self.stack[..depth];
            let (open, outer) = match inside.split_last() {
                Some((open, outer)) => (self.name_of(open), outer),
                None => ("", inside),
            };
            if open != qname {
                // The end of an enclosing element: the text-only one was never closed.
                if outer.iter().any(|o| self.name_of(o) == qname) {
                    let message = format!(
                        "</{}> closes <{}>, opened at line {}",
                        fields::quote_input(qname, 40),
                        fields::quote_input(open, 40),
                        line_at(src, inside.last().map_or(0, |o| o.at))
                    );
                    return Err(self.error(lt, message));
                }
                escape(&mut self.out, tag);
                return Ok(());
            }
            self.text_only = None;
        }
        if self.coords.is_some() && local(qname) != "coordinates" {
            return Ok(());
        }
        let Some(open) = self.stack.pop() else {
            return Err(self.error(
                lt,
                format!(
                    "</{}> closes no open element",
                    fields::quote_input(qname, 40)
                ),
            ));
        };
        let opened = self.name_of(&open);
        if opened != qname {
            let message = format!(
                "</{}> closes <{}>, opened at line {}",
                fields::quote_input(qname, 40),
                fields::quote_input(opened, 40),
                line_at(self.src, open.at)
            );
            return Err(self.error(lt, message));
        }
        let local_name = local(qname);
        if local_name == "coordinates" {
            let raw = self.coords.take().unwrap_or_default();
            match normalize_coords(&raw) {
                Ok((text, n)) => {
                    self.out.push_str(&text);
                    // The crate keeps a Point's last coordinates.
                    if let Some(parent) = self.stack.last_mut()
                        && local(&src[parent.name.clone()]) == "Point"
                    {
                        parent.filled = n > 0;
                    }
                }
                Err(why) => self.problem(RejectReason::InvalidCoordinates, why),
            }
        }
        self.out.push_str("</");
        self.out.push_str(qname);
        self.out.push('>');
        match local_name {
            "Point" if !open.filled => {
                self.problem(
                    RejectReason::MissingLocation,
                    "its Point has no coordinates".into(),
                );
            }
            "outerBoundaryIs" if !open.filled => self.problem(
                RejectReason::MissingLocation,
                "its Polygon's outer boundary has no ring".into(),
            ),
            _ => {}
        }
        let geometry_ends = self
            .geometry
            .as_ref()
            .is_some_and(|(d, _)| *d == self.stack.len());
        if geometry_ends && let Some((_, Some((reason, detail)))) = self.geometry.take() {
            self.out.truncate(open.out);
            let in_placemark = self
                .stack
                .last()
                .is_some_and(|p| local(self.name_of(p)) == "Placemark");
            if in_placemark {
                self.out.push('<');
                self.out.push_str(BAD_GEOMETRY);
                self.out.push_str(" reason=\"");
                self.out.push_str(reason.key());
                self.out.push_str("\">");
                escape(&mut self.out, &detail);
                self.out.push_str("</");
                self.out.push_str(BAD_GEOMETRY);
                self.out.push('>');
            }
        }
        if DROPPED.contains(&local_name) {
            self.out.truncate(open.out);
        }
        Ok(())
    }

    /// Note what is wrong with the geometry being read (the first problem is kept).
    fn problem(&mut self, reason: RejectReason, detail: String) {
        if let Some((_, slot @ None)) = &mut self.geometry {
            *slot = Some((reason, detail));
        }
    }

    fn finish(self) -> Result<String, XmlError> {
        if let Some(open) = self.stack.last() {
            return Err(XmlError {
                line: line_at(self.src, self.src.len()),
                message: format!(
                    "the file ends inside <{}>, opened at line {}: it looks cut off",
                    fields::quote_input(self.name_of(open), 40),
                    line_at(self.src, open.at)
                ),
            });
        }
        if !self.any {
            return Err(XmlError {
                line: 1,
                message: "no XML element in the file".into(),
            });
        }
        Ok(self.out)
    }
}

/// Append XML text, repairing its character references: HTML names become the characters,
/// a bare `&` or an unknown name is escaped (kept as written).
fn push_text(out: &mut String, s: &str) {
    let mut rest = s;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        let after = &rest[amp + 1..];
        let entity = after
            .bytes()
            .take(32)
            .position(|b| b == b';')
            .map(|n| &after[..n])
            .filter(|e| !e.is_empty() && e.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'#'));
        match entity {
            Some(e @ ("amp" | "lt" | "gt" | "quot" | "apos")) => {
                out.push('&');
                out.push_str(e);
                out.push(';');
                rest = &after[e.len() + 1..];
            }
            Some(e) => match entity_char(e) {
                Some(c)
                    if c != '\u{fffe}'
                        && c != '\u{ffff}'
                        && (!c.is_control() || c.is_whitespace()) =>
                {
                    escape(out, c.encode_utf8(&mut [0; 4]));
                    rest = &after[e.len() + 1..];
                }
                // A reference to a character XML cannot hold ("&#0;", "&#xD800;").
                None | Some(_) if e.starts_with('#') => {
                    out.push('\u{fffd}');
                    rest = &after[e.len() + 1..];
                }
                _ => {
                    out.push_str("&amp;");
                    rest = after;
                }
            },
            None => {
                out.push_str("&amp;");
                rest = after;
            }
        }
    }
    out.push_str(rest);
}

/// Append text escaped for XML.
fn escape(out: &mut String, s: &str) {
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            c => out.push(c),
        }
    }
}

/// Coordinates text as the `kml` crate reads it ("lon,lat[,alt]" tuples separated by
/// whitespace; spaces after commas removed) and the number of tuples, or why it is not
/// coordinates.
fn normalize_coords(raw: &str) -> Result<(String, usize), String> {
    let mut tuples: Vec<String> = Vec::new();
    for tok in raw.split_whitespace() {
        match tuples.last_mut() {
            Some(last) if last.ends_with(',') || tok.starts_with(',') => last.push_str(tok),
            _ => tuples.push(tok.to_owned()),
        }
    }
    for t in &mut tuples {
        while t.ends_with(',') {
            t.pop();
        }
        let parts: Vec<&str> = t.split(',').collect();
        if parts.len() < 2 {
            return Err(format!(
                "coordinates {} are not \"longitude,latitude\"",
                q(t)
            ));
        }
        if parts.iter().take(3).any(|p| p.parse::<f64>().is_err()) {
            return Err(format!("coordinates {} are not numbers", q(t)));
        }
    }
    Ok((tuples.join(" "), tuples.len()))
}
