//! Field readers shared by the delimited-text importers, so that every format counts,
//! validates coordinates and keeps extra columns the same way.

use super::RejectReason;
use super::time::DayOrder;
use crate::model::Event;

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
            format!("\"{lat_s}\", \"{lon_s}\" are not numbers"),
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
            "numeric dates read as day/month/year: \"{e}\" has a day above 12"
        )),
        DayOrder::MonthFirst { evidence } if !evidence.is_empty() => Some(format!(
            "numeric dates read as month/day/year: \"{evidence}\" has a day above 12 in second place"
        )),
        _ => None,
    }
}

/// Keep every non-empty column not read into a typed field as an extra property.
pub fn push_extra(e: &mut Event, headers: &[String], row: &[String], consumed: &[Option<usize>]) {
    for (i, v) in row.iter().enumerate() {
        let v = v.trim();
        if consumed.contains(&Some(i)) || v.is_empty() || v == "{}" {
            continue;
        }
        let key = headers
            .get(i)
            .filter(|h| !h.is_empty())
            .cloned()
            .unwrap_or_else(|| format!("column {}", i + 1));
        e.extra.push((key, v.to_owned()));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
