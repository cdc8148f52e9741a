//! A file's content as the detector and the readers see it: a JSON document (parsed feature
//! by feature where it is broken), a table of delimited text, or XML text.

use serde_json::Value;

use super::table::Table;
use super::{ImportError, timemap};

/// Parsed content, before its format is known.
#[derive(Debug)]
pub(super) enum Input {
    /// A JSON document.
    Json(JsonDoc),
    /// Delimited text.
    Table(Table),
    /// Text that starts with a tag: XML (KML, or XML the detector names as not KML).
    Xml(String),
}

/// A JSON document and the elements of its feature array that did not parse.
#[derive(Debug)]
pub(super) struct JsonDoc {
    /// The document (broken elements as `null`).
    pub root: Value,
    /// The broken elements.
    pub broken: Broken,
}

impl Input {
    /// Parse decoded text (without a byte order mark): JSON when it starts like JSON, else a
    /// table.
    pub fn read(file: &str, bytes: &[u8]) -> Result<Self, ImportError> {
        match bytes.iter().find(|b| !b.is_ascii_whitespace()) {
            None => Err(ImportError::Unsupported {
                file: file.to_owned(),
                message: "the file is empty".to_owned(),
            }),
            Some(b'{' | b'[') => parse_json(file, bytes).map(Self::Json),
            // No table starts with a tag; the XML is parsed by its reader once it is known
            // to be KML.
            Some(b'<') => Ok(Self::Xml(String::from_utf8_lossy(bytes).into_owned())),
            Some(_) => Table::read(file, bytes).map(Self::Table),
        }
    }

    /// The JSON document, for a JSON format's reader.
    pub fn json(self, file: &str) -> Result<JsonDoc, ImportError> {
        match self {
            Self::Json(doc) => Ok(doc),
            Self::Table(_) | Self::Xml(_) => Err(mismatch(file, "JSON")),
        }
    }

    /// The table, for a delimited dialect's reader.
    pub fn table(self, file: &str) -> Result<Table, ImportError> {
        match self {
            Self::Table(t) => Ok(t),
            Self::Json(_) | Self::Xml(_) => Err(mismatch(file, "delimited text")),
        }
    }

    /// The XML text, for the KML reader.
    pub fn xml(self, file: &str) -> Result<String, ImportError> {
        match self {
            Self::Xml(text) => Ok(text),
            Self::Json(_) | Self::Table(_) => Err(mismatch(file, "XML")),
        }
    }
}

/// A reader was given content of another kind than its format's: the detector and the
/// dispatch disagree, which is a bug, told as one instead of a panic.
fn mismatch(file: &str, want: &str) -> ImportError {
    ImportError::Unsupported {
        file: file.to_owned(),
        message: format!("internal error: the detected format is not {want}"),
    }
}

/// Parse JSON; a document that is not valid JSON as a whole is read feature by feature, so
/// that one broken feature is one rejection. TimeMap exports number their records across
/// files and are not read in part.
fn parse_json(file: &str, bytes: &[u8]) -> Result<JsonDoc, ImportError> {
    let (root, broken) = match serde_json::from_slice(bytes) {
        Ok(root) => (root, Broken::default()),
        Err(e) => match tolerant_parse(bytes) {
            Some((root, broken)) if !root.as_array().is_some_and(|a| timemap::is_timemap(a)) => {
                (root, broken)
            }
            _ => {
                return Err(ImportError::Json {
                    file: file.to_owned(),
                    message: e.to_string(),
                });
            }
        },
    };
    Ok(JsonDoc { root, broken })
}

/// Features that did not parse on their own, by index, and what the user should know.
#[derive(Debug, Default)]
pub(super) struct Broken {
    /// Index of the element → why it is not JSON.
    pub bad: std::collections::BTreeMap<usize, String>,
    /// E.g. that the file ends inside a feature.
    pub notes: Vec<String>,
}

/// Parse a document that is not valid JSON as a whole feature by feature: each element of
/// its feature array on its own, the broken ones kept as `null` and listed in [`Broken`].
/// `None` when even the parts around the features are broken.
fn tolerant_parse(bytes: &[u8]) -> Option<(Value, Broken)> {
    let split = super::json_split::split_records(bytes)?;
    let mut root: Value = serde_json::from_slice(&split.shell(bytes)).ok()?;
    let mut broken = Broken::default();
    let mut elements = Vec::with_capacity(split.elements.len());
    for (i, r) in split.elements.iter().enumerate() {
        let slice = &bytes[r.clone()];
        match serde_json::from_slice::<Value>(slice) {
            Ok(v) => elements.push(v),
            Err(e) => {
                let detail = if split.truncated && i + 1 == split.elements.len() {
                    broken.notes.push(format!(
                        "the file ends inside feature {}: it looks cut off; the features \
                         before it are loaded",
                        i + 1
                    ));
                    "the file ends inside this feature".to_owned()
                } else {
                    json_error_detail(slice, &e)
                };
                broken.bad.insert(i, detail);
                elements.push(Value::Null);
            }
        }
    }
    let slot = match &mut root {
        Value::Array(a) => a,
        Value::Object(o) => match o.get_mut("features") {
            Some(Value::Array(a)) => a,
            _ => return None,
        },
        _ => return None,
    };
    *slot = elements;
    Some((root, broken))
}

/// serde_json's message for a broken element, with the text where it stopped quoted (a `NaN`,
/// a `1e400`), since its line and column are the element's and not the file's.
fn json_error_detail(slice: &[u8], e: &serde_json::Error) -> String {
    let offset = slice
        .split(|&b| b == b'\n')
        .take(e.line().saturating_sub(1))
        .map(|l| l.len() + 1)
        .sum::<usize>()
        + e.column().saturating_sub(1);
    // Step back to the start of the token serde stopped in.
    let mut start = offset.min(slice.len());
    while start > 0 && !matches!(slice[start - 1], b',' | b':' | b'[' | b'{' | b' ') {
        start -= 1;
    }
    let near = String::from_utf8_lossy(&slice[start..slice.len().min(start + 40)]);
    let message = e.to_string();
    let message = message.split(" at line ").next().unwrap_or(&message);
    format!(
        "not valid JSON ({message}) at {}",
        super::fields::q(near.trim())
    )
}
