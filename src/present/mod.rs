//! Presentation shared by the map and the panels: colours and fonts ([`style`]) and the texts
//! both show ([`text`]: dates, counts, totals, file names, "near" words). It sits below `map`
//! and `ui` so neither needs the other for how things look.

pub mod style;
pub mod text;
