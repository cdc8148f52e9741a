//! Recognising binary files by their first bytes, so a workbook, an archive or a picture is
//! named ("this is an Excel workbook") instead of being read as text and quoted back as
//! mojibake.

/// The kind [`binary_kind`] names a ZIP with a `.kml` entry by: the KML reader takes those
/// before they are refused ([`super::kml::kmz_document`]).
pub const KMZ: &str = "a KMZ file (zipped KML)";

/// What a binary file is, from its leading bytes; `None` for text (or a binary we do not
/// know, which then goes through the text readers and fails there with their message).
pub fn binary_kind(bytes: &[u8]) -> Option<&'static str> {
    let head = &bytes[..bytes.len().min(64 * 1024)];
    let starts = |magic: &[u8]| head.starts_with(magic);
    let contains = |needle: &[u8]| head.windows(needle.len()).any(|w| w == needle);
    if starts(b"PK\x03\x04") || starts(b"PK\x05\x06") {
        // Office Open XML and OpenDocument files are ZIP archives; their first entries say
        // which kind.
        return Some(if contains(b"xl/") {
            "an Excel workbook (.xlsx)"
        } else if contains(b"application/vnd.oasis.opendocument.spreadsheet") {
            "an OpenDocument spreadsheet (.ods)"
        } else if contains(b"word/") {
            "a Word document (.docx)"
        } else if contains(b"doc.kml") || contains(b".kml") {
            KMZ
        } else {
            "a ZIP archive"
        });
    }
    let kinds: [(&[u8], &str); 12] = [
        (
            b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1",
            "an old-style Office file (.xls or .doc)",
        ),
        (b"\x1F\x8B", "a gzip-compressed file"),
        (b"%PDF", "a PDF document"),
        (b"\x89PNG", "a PNG image"),
        (b"\xFF\xD8\xFF", "a JPEG image"),
        (b"GIF8", "a GIF image"),
        (b"SQLite format 3\0", "an SQLite database"),
        (b"PAR1", "a Parquet file"),
        (b"7z\xBC\xAF\x27\x1C", "a 7-Zip archive"),
        (b"Rar!", "a RAR archive"),
        (b"BZh", "a bzip2-compressed file"),
        (b"\x7FELF", "a program (ELF executable)"),
    ];
    if let Some((_, kind)) = kinds.iter().find(|(m, _)| starts(m)) {
        return Some(kind);
    }
    if starts(b"\xFD7zXZ\0") {
        return Some("an xz-compressed file");
    }
    // Text holds no NUL bytes (UTF-16 aside, which starts with a byte-order mark); a stray
    // one in a damaged text file is that record's problem, so only many of them count.
    let utf16 = starts(b"\xFF\xFE") || starts(b"\xFE\xFF");
    let probe = &head[..head.len().min(8192)];
    let nuls = probe.iter().filter(|&&b| b == 0).count();
    (!utf16 && nuls >= 4 && nuls * 100 >= probe.len()).then_some("a binary file, not text")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_common_binary_files() {
        let mut xlsx = b"PK\x03\x04\x14\x00\x06\x00".to_vec();
        xlsx.extend_from_slice(b"[Content_Types].xml....xl/workbook.xml");
        assert_eq!(binary_kind(&xlsx), Some("an Excel workbook (.xlsx)"));
        assert_eq!(binary_kind(b"PK\x03\x04rest"), Some("a ZIP archive"));
        assert_eq!(binary_kind(b"%PDF-1.7\n"), Some("a PDF document"));
        assert_eq!(
            binary_kind(b"\x1F\x8B\x08\x00"),
            Some("a gzip-compressed file")
        );
        assert_eq!(binary_kind(b"\x89PNG\r\n\x1a\n"), Some("a PNG image"));
        assert_eq!(
            binary_kind(b"la\0t\0,\0l\0on"),
            Some("a binary file, not text")
        );
        assert_eq!(
            binary_kind(b"lat,lon\0,date\n1,2,3\n4,5,6\n"),
            None,
            "one stray NUL"
        );
        assert_eq!(
            binary_kind(b"latitude,longitude,date\n1,2,2020-01-01\n"),
            None
        );
        assert_eq!(binary_kind("дата;широта\n".as_bytes()), None);
    }
}
