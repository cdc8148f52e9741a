//! The times of a file's features: each time property read as a whole column of dates.

use serde_json::{Map, Value};

use super::{END_KEYS, Keys, TIME_KEYS, reject};
use crate::import::dates::{DateColumn, DateFail, combine_times, read_column};
use crate::import::headers::Role;
use crate::import::records::Refusal;
use crate::import::{CsvRole, RejectReason};
use crate::model::{EventTime, TimePrecision};

/// Every feature's time, from the first time property it has, each property read as a
/// column of dates ([`read_column`]: day/month order, units and years decided from all
/// its values).
pub(crate) struct Times {
    /// Time properties, in the order a feature's time is looked for.
    keys: Vec<String>,
    /// Each key's column.
    starts: Vec<DateColumn>,
    /// The end property's column, if the file has one.
    end: Option<(String, DateColumn)>,
    /// Whether the time property was chosen by the user (then it alone is read).
    chosen: bool,
}

impl Times {
    pub(crate) fn read(
        features: &[Value],
        keys: &Keys,
        time_key: Option<&str>,
        notes: &mut Vec<String>,
    ) -> Self {
        let (order, end_key) = Self::plan(features, keys, time_key, notes);
        let column = |k: &str| {
            let values: Vec<Option<String>> = features
                .iter()
                .map(|f| {
                    f.get("properties")
                        .and_then(|p| p.get(k))
                        .and_then(date_text)
                })
                .collect();
            let refs: Vec<Option<&str>> = values.iter().map(Option::as_deref).collect();
            read_column(k, &refs)
        };
        let starts: Vec<DateColumn> = order.iter().map(|k| column(k)).collect();
        let end = end_key.map(|k| {
            let c = column(&k);
            (k, c)
        });
        Self::new(order, starts, end, time_key.is_some(), notes)
    }

    /// The time properties a feature's time is looked for in, in order, and the end
    /// property, from the file's names (`features` are looked at only when no name says
    /// date: the first 200 with properties).
    pub(crate) fn plan(
        features: &[Value],
        keys: &Keys,
        time_key: Option<&str>,
        notes: &mut Vec<String>,
    ) -> (Vec<String>, Option<String>) {
        let present = |k: &str| keys.names.iter().any(|n| n == k);
        let mut order: Vec<String> = match time_key {
            Some(k) => vec![k.to_owned()],
            None => TIME_KEYS
                .iter()
                .map(|k| keys.name(k).to_owned())
                .filter(|k| present(k))
                .collect(),
        };
        if time_key.is_none() {
            for &i in &keys.matched.dates {
                if let Some(n) = keys.names.get(i)
                    && !order.contains(n)
                {
                    order.push(n.clone());
                }
            }
            if order.is_empty()
                && let Some(k) = dated_by_content(features, keys)
            {
                notes.push(format!(
                    "no property is named as a date: \"{k}\" holds dates, so event times are read from it"
                ));
                order.push(k);
            }
        }
        let end_key = END_KEYS
            .iter()
            .map(|k| keys.name(k).to_owned())
            .find(|k| present(k))
            .or_else(|| {
                let i = keys.matched.get(Role::Csv(CsvRole::End))?;
                keys.names.get(i).cloned()
            });
        (order, end_key)
    }

    /// The times of the columns of the time properties `order` and of the end property
    /// ([`Self::plan`]), each read from all features' values of it; their notes are added.
    pub(crate) fn new(
        order: Vec<String>,
        starts: Vec<DateColumn>,
        end: Option<(String, DateColumn)>,
        chosen: bool,
        notes: &mut Vec<String>,
    ) -> Self {
        for c in starts.iter().chain(end.as_ref().map(|(_, c)| c)) {
            notes.extend(c.notes.iter().cloned());
        }
        Self {
            keys: order,
            starts,
            end,
            chosen,
        }
    }

    /// Feature `i`'s time and the property it came from, or why it has none.
    pub(crate) fn of(
        &self,
        i: usize,
        declared: Option<TimePrecision>,
    ) -> Result<(EventTime, &str), Refusal> {
        let found = self
            .starts
            .iter()
            .zip(&self.keys)
            .find(|(c, _)| !matches!(c.dates.get(i), Some(Err(DateFail::Empty)) | None));
        let Some((col, key)) = found else {
            return Err(reject(
                RejectReason::MissingDate,
                if self.chosen {
                    format!(
                        "the chosen time property {} is not set",
                        self.keys.join(", ")
                    )
                } else if self.keys.is_empty() {
                    format!("none of the properties {} is set", TIME_KEYS.join(", "))
                } else {
                    format!("none of the properties {} is set", self.keys.join(", "))
                },
            ));
        };
        let start = col.dates[i].clone().map_err(|f| fail(key, f))?;
        let end = match &self.end {
            Some((k, c)) => match c.dates.get(i) {
                Some(Ok(t)) => Some(*t),
                Some(Err(DateFail::Empty)) | None => None,
                Some(Err(f)) => return Err(fail(k, f.clone())),
            },
            None => None,
        };
        Ok((combine_times(start, end, declared), key.as_str()))
    }
}

/// A date property's failure as a rejection naming the property.
fn fail(key: &str, f: DateFail) -> Refusal {
    match f {
        DateFail::Empty => reject(RejectReason::MissingDate, format!("{key} is empty")),
        DateFail::Unreadable(why) => reject(RejectReason::InvalidDate, format!("{key} = {why}")),
        DateFail::Implausible(why) => {
            reject(RejectReason::ImplausibleDate, format!("{key} = {why}"))
        }
    }
}

/// A property value as date text: strings as they are, numbers as written.
pub(crate) fn date_text(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// The property that holds dates in most of the first features, when none is named as one:
/// at least four in five of its values read as dates (not bare numbers, which are counts
/// as often as epochs).
fn dated_by_content(features: &[Value], keys: &Keys) -> Option<String> {
    let sample: Vec<&Map<String, Value>> = features
        .iter()
        .filter_map(|f| f.get("properties").and_then(Value::as_object))
        .take(200)
        .collect();
    keys.names
        .iter()
        .filter_map(|k| {
            let texts: Vec<&str> = sample
                .iter()
                .filter_map(|p| p.get(k).and_then(Value::as_str))
                .filter(|s| s.trim().len() >= 6 && s.trim().parse::<f64>().is_err())
                .collect();
            if texts.len() < 2 || texts.len() * 2 < sample.len() {
                return None;
            }
            let refs: Vec<Option<&str>> = texts.iter().map(|s| Some(*s)).collect();
            let ok = read_column(k, &refs)
                .dates
                .iter()
                .filter(|d| d.is_ok())
                .count();
            (ok * 5 >= texts.len() * 4).then(|| (ok, k.clone()))
        })
        .max_by_key(|(ok, _)| *ok)
        .map(|(_, k)| k)
}
