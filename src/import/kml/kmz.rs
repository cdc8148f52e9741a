//! KMZ archives: the KML document inside a ZIP file, read with a bound on what it inflates to.

use std::borrow::Cow;
use std::io::Read;

use super::super::fields::{self, q};
use super::super::{ImportError, LoadReport};
use super::{is_kml, load, not_kml_message, unsupported};

/// The largest KML document read from a KMZ archive: a bound on what a small archive may
/// inflate to.
const MAX_KMZ_ENTRY: u64 = 512 << 20;

/// Whether the first bytes of a file are a ZIP archive that names a `.kml` entry, which
/// [`kmz_document`] reads once the whole file is there (the archive's listing is at its end).
pub(in crate::import) fn looks_like_kmz(head: &[u8]) -> bool {
    super::super::sniff::binary_kind(head) == Some(super::super::sniff::KMZ)
}

/// The KML document of a KMZ archive.
#[derive(Debug)]
pub(in crate::import) struct Kmz {
    /// The entry read (`doc.kml`, or the first `.kml` entry).
    entry: String,
    /// Files in the archive.
    entries: usize,
    /// The entry's text.
    text: String,
    /// Whether the entry was not all UTF-8 (and was read as Windows-1252 where it is not).
    not_utf8: bool,
}

/// The KML document inside `bytes`, if they are a ZIP archive holding one: its `doc.kml` (the
/// KMZ convention), else its first `.kml` entry. `None` for bytes that are not a ZIP, and for
/// a ZIP without KML that does not look like a KMZ either (a workbook), which are left to the
/// other readers; an error for a KMZ whose archive or document cannot be read.
pub(in crate::import) fn kmz_document(
    file: &str,
    bytes: &[u8],
) -> Option<Result<Kmz, ImportError>> {
    if !bytes.starts_with(b"PK\x03\x04") {
        return None;
    }
    let named = looks_like_kmz(bytes);
    let fail = |message: String| named.then(|| Err(unsupported(file, message)));
    let mut archive = match zip::ZipArchive::new(std::io::Cursor::new(bytes)) {
        Ok(a) => a,
        Err(e) => return fail(format!("a KMZ file whose ZIP archive cannot be read: {e}")),
    };
    let names: Vec<String> = (0..archive.len())
        .map(|i| {
            archive
                .name_for_index(i)
                .and_then(Result::ok)
                .map(Cow::into_owned)
                .unwrap_or_default()
        })
        .collect();
    let pick = names
        .iter()
        .position(|n| n.eq_ignore_ascii_case("doc.kml"))
        .or_else(|| {
            names
                .iter()
                .position(|n| n.to_ascii_lowercase().ends_with(".kml"))
        });
    let Some(index) = pick else {
        return fail("a ZIP archive that looks like a KMZ file, but holds no .kml document".into());
    };
    let entry = names[index].clone();
    Some(
        read_entry(file, &mut archive, index, &entry).map(|(text, not_utf8)| Kmz {
            entry,
            entries: names.len(),
            text,
            not_utf8,
        }),
    )
}

/// One entry of a KMZ archive as text, and whether it was not all UTF-8.
fn read_entry(
    file: &str,
    archive: &mut zip::ZipArchive<std::io::Cursor<&[u8]>>,
    index: usize,
    name: &str,
) -> Result<(String, bool), ImportError> {
    let cannot = |e: &dyn std::fmt::Display| {
        unsupported(
            file,
            format!("cannot read {} in the KMZ archive: {e}", q(name)),
        )
    };
    let mut entry = archive.by_index(index).map_err(|e| cannot(&e))?;
    let too_large = || {
        unsupported(
            file,
            format!(
                "{} in the KMZ archive is over {} unpacked",
                q(name),
                fields::byte_size(MAX_KMZ_ENTRY as usize)
            ),
        )
    };
    if entry.size() > MAX_KMZ_ENTRY {
        return Err(too_large());
    }
    let mut buf = Vec::new();
    (&mut entry)
        .take(MAX_KMZ_ENTRY + 1)
        .read_to_end(&mut buf)
        .map_err(|e| cannot(&e))?;
    if buf.len() as u64 > MAX_KMZ_ENTRY {
        return Err(too_large());
    }
    let bytes = buf.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&buf);
    Ok(match fields::decode_file(bytes) {
        Cow::Borrowed(s) => (s.to_owned(), false),
        Cow::Owned(s) => (s, true),
    })
}

/// Import the KML document of a KMZ archive; the report says which entry was read.
pub(in crate::import) fn load_kmz(file: &str, kmz: Kmz) -> Result<LoadReport, ImportError> {
    if !is_kml(&kmz.text) {
        return Err(unsupported(
            file,
            format!(
                "{} in the KMZ archive is not KML: {}",
                q(&kmz.entry),
                not_kml_message(&kmz.text)
            ),
        ));
    }
    let mut r = load(file, &kmz.text)?;
    let mut notes = vec![format!(
        "read {} from the KMZ archive ({} file{} in it)",
        q(&kmz.entry),
        kmz.entries,
        if kmz.entries == 1 { "" } else { "s" }
    )];
    if kmz.not_utf8 {
        notes.push(super::super::NOT_UTF8_NOTE.to_owned());
    }
    notes.append(&mut r.notes);
    r.notes = notes;
    Ok(r)
}
