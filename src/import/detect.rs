//! What a file is, from its content (never its name): the one place formats are told apart.
//! The reader for the [`Format`] found is chosen in [`super::read`].

use serde_json::Value;

use super::input::Input;
use super::{Format, ImportError, acled, gdelt, kml, missiles, timemap, ucdp};

/// The format of content read as JSON, as a table or as XML, or why it is none we read (a
/// file that belongs beside another, such as TimeMap's sources or the missile models table;
/// XML that is not KML).
pub(super) fn format(file: &str, input: &Input) -> Result<Format, ImportError> {
    match input {
        Input::Json(doc) => json_format(file, &doc.root),
        Input::Table(t) => table_format(file, &t.lower, t.headerless),
        Input::Xml(text) if kml::is_kml(text) => Ok(Format::Kml),
        Input::Xml(text) => Err(unsupported(file, &kml::not_kml_message(text))),
    }
}

/// Whether a first line is a headerless GDELT record (which is then read tab-separated,
/// unquoted, with no header).
pub(super) fn is_headerless(first_line: &str) -> bool {
    gdelt::is_gdelt(first_line)
}

/// The format of a table by its (lower-cased) header: the dialects known by their column
/// names, else plain CSV read by column roles.
pub(super) fn table_format(
    file: &str,
    lower: &[String],
    headerless: bool,
) -> Result<Format, ImportError> {
    if headerless {
        return Ok(Format::Gdelt);
    }
    if acled::is_acled(lower) {
        return Ok(Format::Acled);
    }
    if missiles::is_attacks(lower) {
        return Ok(Format::MissileAttacks);
    }
    if missiles::is_models(lower) {
        return Err(unsupported(
            file,
            "this is the weapon models table of the \"Massive Missile Attacks on Ukraine\" dataset, not events: open the attacks file (the models are joined from beside it)",
        ));
    }
    if ucdp::is_ucdp(lower) {
        return Ok(Format::Ucdp);
    }
    Ok(Format::Csv)
}

/// The format of a JSON document: a TimeMap events array, else GeoJSON (whose reader says
/// what is wrong with a document that is neither).
fn json_format(file: &str, root: &Value) -> Result<Format, ImportError> {
    if timemap::is_sources_file(root) {
        return Err(unsupported(file, &timemap::sibling_opened_alone("sources")));
    }
    if let Value::Array(a) = root {
        if timemap::is_timemap(a) {
            return Ok(Format::TimeMap);
        }
        if timemap::is_associations_file(a) {
            return Err(unsupported(
                file,
                &timemap::sibling_opened_alone("associations"),
            ));
        }
    }
    Ok(Format::Geojson)
}

fn unsupported(file: &str, message: &str) -> ImportError {
    ImportError::Unsupported {
        file: file.to_owned(),
        message: message.to_owned(),
    }
}
