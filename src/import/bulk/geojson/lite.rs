//! One feature parsed for its hot row only: its geometry and the few properties the row and
//! the date columns are read from become [`Value`]s; every other value is checked as
//! [`Value`] parsing checks it (numbers in range, escapes valid) but not kept. The property
//! names are compared with those the file was planned with, to find any it did not know.

use std::borrow::Cow;
use std::fmt;

use serde::de::{DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Value};

/// What a property name is to the plan.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) struct Slot {
    /// A name of the file as planned (else a name first seen now).
    pub known: bool,
    /// Its value is read (the index into [`Hot::read`]).
    pub read: Option<u16>,
}

/// The property names of the plan: those known and those read, in a small open-addressing
/// table (a lookup is a few loads and one comparison, not a SipHash).
#[derive(Debug)]
pub(super) struct Hot {
    /// Names read, by slot.
    pub read: Vec<String>,
    /// Table of (name, slot); `None` where free.
    table: Vec<Option<(Box<str>, Slot)>>,
}

/// A hash of a property name from its length and its first and last eight bytes.
fn hash(s: &[u8]) -> u64 {
    let mut head = [0u8; 8];
    let mut tail = [0u8; 8];
    let n = s.len().min(8);
    head[..n].copy_from_slice(&s[..n]);
    tail[..n].copy_from_slice(&s[s.len() - n..]);
    let h = u64::from_le_bytes(head).wrapping_mul(0x9E37_79B9_7F4A_7C15)
        ^ u64::from_le_bytes(tail)
            .rotate_left(29)
            .wrapping_mul(0xC2B2_AE3D_27D4_EB4F)
        ^ (s.len() as u64).wrapping_mul(0x1656_67B1_9E37_79F9);
    h ^ (h >> 31)
}

impl Hot {
    /// The table of the file's `known` names, of which those in `read` have their values
    /// read (names read need not be known: a chosen time property the file lacks).
    pub fn new(known: &[String], read: Vec<String>) -> Self {
        let size = ((known.len() + read.len()) * 4).next_power_of_two().max(16);
        let mut hot = Self {
            read: Vec::new(),
            table: vec![None; size],
        };
        for k in known {
            hot.insert(k, true, None);
        }
        for (i, r) in read.iter().enumerate() {
            let known = hot.get(r).is_some_and(|s| s.known);
            hot.insert(r, known, u16::try_from(i).ok());
        }
        hot.read = read;
        hot
    }

    fn insert(&mut self, name: &str, known: bool, read: Option<u16>) {
        let mask = self.table.len() - 1;
        let mut i = (hash(name.as_bytes()) as usize) & mask;
        loop {
            match &mut self.table[i] {
                Some((n, slot)) if &**n == name => {
                    *slot = Slot { known, read };
                    return;
                }
                Some(_) => i = (i + 1) & mask,
                free @ None => {
                    *free = Some((name.into(), Slot { known, read }));
                    return;
                }
            }
        }
    }

    /// What `name` is to the plan; `None` for a name it does not know.
    pub fn get(&self, name: &str) -> Option<Slot> {
        let mask = self.table.len() - 1;
        let mut i = (hash(name.as_bytes()) as usize) & mask;
        loop {
            match &self.table[i] {
                Some((n, slot)) if &**n == name => return Some(*slot),
                Some(_) => i = (i + 1) & mask,
                None => return None,
            }
        }
    }
}

/// A feature's `properties`, as far as the row needs them.
#[derive(Debug, Default)]
pub(super) enum Props {
    /// No `properties` member.
    #[default]
    Absent,
    /// `"properties": null`.
    Null,
    /// Neither an object nor null.
    Other,
    /// An object: the values read, by slot, in document order (a later duplicate wins).
    Object(Vec<(u16, Value)>),
}

/// A feature as far as its row, its dates and the plan's check of names need it.
#[derive(Debug, Default)]
pub(super) struct Lite {
    /// The element is a JSON object.
    pub object: bool,
    /// Its `geometry` member.
    pub geometry: Option<Value>,
    /// Its `properties`.
    pub props: Props,
    /// Property names the plan did not know, sorted (as a [`Map`] lists them), no repeats.
    pub new_names: Vec<String>,
}

impl Lite {
    /// Parse an element (known to be UTF-8: strings are not checked again).
    pub fn parse(text: &str, hot: &Hot) -> serde_json::Result<Self> {
        let mut de = serde_json::Deserializer::from_str(text);
        let lite = FeatureSeed(hot).deserialize(&mut de)?;
        de.end()?;
        Ok(lite)
    }

    /// The same from a parsed element.
    pub fn of_value(v: &Value, hot: &Hot) -> Self {
        let Some(obj) = v.as_object() else {
            return Self::default();
        };
        let props = match obj.get("properties") {
            None => Props::Absent,
            Some(Value::Null) => Props::Null,
            Some(Value::Object(p)) => {
                let mut vals = Vec::new();
                let mut new_names = Vec::new();
                for (k, v) in p {
                    match hot.get(k) {
                        Some(Slot { read, known }) => {
                            if !known {
                                new_names.push(k.clone());
                            }
                            if let Some(s) = read {
                                vals.push((s, v.clone()));
                            }
                        }
                        None => new_names.push(k.clone()),
                    }
                }
                return Self {
                    object: true,
                    geometry: obj.get("geometry").cloned(),
                    props: Props::Object(vals),
                    new_names,
                };
            }
            Some(_) => Props::Other,
        };
        Self {
            object: true,
            geometry: obj.get("geometry").cloned(),
            props,
            new_names: Vec::new(),
        }
    }

    /// The value read into `slot`, if the feature has it (the last of duplicates).
    pub fn value(&self, slot: u16) -> Option<&Value> {
        match &self.props {
            Props::Object(vals) => vals.iter().rev().find(|(s, _)| *s == slot).map(|(_, v)| v),
            _ => None,
        }
    }

    /// The feature with only what was read: for the rules, the same feature as far as its
    /// row and its refusal go.
    pub fn into_value(self, hot: &Hot) -> Value {
        if !self.object {
            return Value::Null;
        }
        let mut m = Map::new();
        if let Some(g) = self.geometry {
            m.insert("geometry".to_owned(), g);
        }
        let props = match self.props {
            Props::Absent => None,
            Props::Null => Some(Value::Null),
            Props::Other => Some(Value::Bool(true)),
            Props::Object(vals) => {
                let mut p = Map::new();
                for (s, v) in vals {
                    if let Some(name) = hot.read.get(usize::from(s)) {
                        p.insert(name.clone(), v);
                    }
                }
                Some(Value::Object(p))
            }
        };
        if let Some(p) = props {
            m.insert("properties".to_owned(), p);
        }
        Value::Object(m)
    }
}

/// Any value, checked as [`Value`] parsing checks it, and dropped.
struct Skip;

impl<'de> serde::Deserialize<'de> for Skip {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(SkipVisitor)
    }
}

/// The visitor of [`Skip`].
struct SkipVisitor;

impl<'de> Visitor<'de> for SkipVisitor {
    type Value = Skip;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any JSON value")
    }
    fn visit_bool<E>(self, _: bool) -> Result<Skip, E> {
        Ok(Skip)
    }
    fn visit_i64<E>(self, _: i64) -> Result<Skip, E> {
        Ok(Skip)
    }
    fn visit_u64<E>(self, _: u64) -> Result<Skip, E> {
        Ok(Skip)
    }
    fn visit_f64<E>(self, _: f64) -> Result<Skip, E> {
        Ok(Skip)
    }
    fn visit_str<E>(self, _: &str) -> Result<Skip, E> {
        Ok(Skip)
    }
    fn visit_unit<E>(self) -> Result<Skip, E> {
        Ok(Skip)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Skip, A::Error> {
        while seq.next_element::<Skip>()?.is_some() {}
        Ok(Skip)
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Skip, A::Error> {
        while map.next_key::<Skip>()?.is_some() {
            map.next_value::<Skip>()?;
        }
        Ok(Skip)
    }
}

/// A member name, borrowed where it has no escapes.
struct Key<'de>(Cow<'de, str>);

impl<'de> serde::Deserialize<'de> for Key<'de> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_str(KeyVisitor)
    }
}

/// The visitor of [`Key`].
struct KeyVisitor;

impl<'de> Visitor<'de> for KeyVisitor {
    type Value = Key<'de>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a member name")
    }
    fn visit_borrowed_str<E>(self, s: &'de str) -> Result<Key<'de>, E> {
        Ok(Key(Cow::Borrowed(s)))
    }
    fn visit_str<E>(self, s: &str) -> Result<Key<'de>, E> {
        Ok(Key(Cow::Owned(s.to_owned())))
    }
}

/// Parses an element into a [`Lite`].
struct FeatureSeed<'h>(&'h Hot);

impl<'de> DeserializeSeed<'de> for FeatureSeed<'_> {
    type Value = Lite;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Lite, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for FeatureSeed<'_> {
    type Value = Lite;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a GeoJSON feature")
    }
    fn visit_bool<E>(self, _: bool) -> Result<Lite, E> {
        Ok(Lite::default())
    }
    fn visit_i64<E>(self, _: i64) -> Result<Lite, E> {
        Ok(Lite::default())
    }
    fn visit_u64<E>(self, _: u64) -> Result<Lite, E> {
        Ok(Lite::default())
    }
    fn visit_f64<E>(self, _: f64) -> Result<Lite, E> {
        Ok(Lite::default())
    }
    fn visit_str<E>(self, _: &str) -> Result<Lite, E> {
        Ok(Lite::default())
    }
    fn visit_unit<E>(self) -> Result<Lite, E> {
        Ok(Lite::default())
    }
    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Lite, A::Error> {
        SkipVisitor.visit_seq(seq).map(|_| Lite::default())
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Lite, A::Error> {
        let mut lite = Lite {
            object: true,
            ..Lite::default()
        };
        while let Some(Key(k)) = map.next_key::<Key<'de>>()? {
            match &*k {
                "geometry" => lite.geometry = Some(map.next_value::<Value>()?),
                "properties" => {
                    let (props, new_names) = map.next_value_seed(PropsSeed(self.0))?;
                    lite.props = props;
                    lite.new_names = new_names;
                }
                _ => {
                    map.next_value::<Skip>()?;
                }
            }
        }
        Ok(lite)
    }
}

/// Parses a feature's `properties` into [`Props`] and the names the plan did not know.
struct PropsSeed<'h>(&'h Hot);

impl<'de> DeserializeSeed<'de> for PropsSeed<'_> {
    type Value = (Props, Vec<String>);

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for PropsSeed<'_> {
    type Value = (Props, Vec<String>);

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("feature properties")
    }
    fn visit_bool<E>(self, _: bool) -> Result<Self::Value, E> {
        Ok((Props::Other, Vec::new()))
    }
    fn visit_i64<E>(self, _: i64) -> Result<Self::Value, E> {
        Ok((Props::Other, Vec::new()))
    }
    fn visit_u64<E>(self, _: u64) -> Result<Self::Value, E> {
        Ok((Props::Other, Vec::new()))
    }
    fn visit_f64<E>(self, _: f64) -> Result<Self::Value, E> {
        Ok((Props::Other, Vec::new()))
    }
    fn visit_str<E>(self, _: &str) -> Result<Self::Value, E> {
        Ok((Props::Other, Vec::new()))
    }
    fn visit_unit<E>(self) -> Result<Self::Value, E> {
        Ok((Props::Null, Vec::new()))
    }
    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Self::Value, A::Error> {
        SkipVisitor
            .visit_seq(seq)
            .map(|_| (Props::Other, Vec::new()))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut vals = Vec::new();
        let mut new_names: Vec<String> = Vec::new();
        while let Some(Key(k)) = map.next_key::<Key<'de>>()? {
            let slot = self.0.get(&k);
            if !slot.is_some_and(|s| s.known) {
                new_names.push(k.into_owned());
            }
            match slot.and_then(|s| s.read) {
                Some(s) => vals.push((s, map.next_value::<Value>()?)),
                None => {
                    map.next_value::<Skip>()?;
                }
            }
        }
        new_names.sort_unstable();
        new_names.dedup();
        Ok((Props::Object(vals), new_names))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hot() -> Hot {
        let known: Vec<String> = ["date", "killed", "note"].map(String::from).to_vec();
        Hot::new(&known, vec!["date".to_owned(), "killed".to_owned()])
    }

    /// The parsed feature is the one [`Lite::of_value`] gives from the whole value, and it
    /// refuses what [`Value`] parsing refuses (a number out of range, a lone surrogate, even
    /// where the value is not kept).
    #[test]
    fn lite_parse_is_the_value_parse() {
        let hot = hot();
        for doc in [
            r#"{"type":"Feature","geometry":{"type":"Point","coordinates":[30,50]},"properties":{"note":"x","date":"2024-01-01","killed":3,"zz":1,"aa":[1,{"b":2}]}}"#,
            r#"{"properties":null}"#,
            r#"{"properties":[1,2],"geometry":null}"#,
            r#"{"properties":{"date":"a","date":"b","n\u00e9":1}}"#,
            r#"[1,2]"#,
            r#"42"#,
        ] {
            let v: Value = serde_json::from_str(doc).unwrap();
            let a = Lite::parse(doc, &hot).unwrap();
            let b = Lite::of_value(&v, &hot);
            assert_eq!(a.new_names, b.new_names, "{doc}");
            assert_eq!(a.value(0), b.value(0), "{doc}");
            assert_eq!(a.value(1), b.value(1), "{doc}");
            assert_eq!(a.into_value(&hot), b.into_value(&hot), "{doc}");
        }
        for bad in [
            r#"{"properties":{"note":1e400}}"#,
            r#"{"properties":{"note":"\ud800"}}"#,
            r#"{"x":NaN}"#,
            r#"{"a":1} x"#,
        ] {
            assert!(serde_json::from_str::<Value>(bad).is_err());
            assert!(Lite::parse(bad, &hot).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn names_are_found_in_the_table() {
        let names: Vec<String> = (0..300).map(|k| format!("property number {k}")).collect();
        let hot = Hot::new(&names, vec!["property number 7".to_owned(), "x".to_owned()]);
        for (k, n) in names.iter().enumerate() {
            let s = hot.get(n).unwrap();
            assert!(s.known);
            assert_eq!(s.read, (k == 7).then_some(0));
        }
        assert_eq!(
            hot.get("x"),
            Some(Slot {
                known: false,
                read: Some(1)
            })
        );
        assert_eq!(hot.get("property number 300"), None);
        assert_eq!(hot.get(""), None);
    }
}
