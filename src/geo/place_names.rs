//! Matching keys for place, region and country names written in any of the ways event files
//! write them (the world gazetteer's folding, [`fold`]), and the reading of a free-text place
//! field ("Near Mosul", "Kherson (city)", "Kostiantynivka, Donetsk Oblast": [`parse_place`]).
//!
//! Pure string work, shared by the asset build (`build_gazetteer`) and the geocoder (`world`),
//! so both sides fold the same way.

/// Arabic definite articles as a folded name can start with ("al-Fashir", "El Fasher",
/// "ash-Shaykh", "az-Zarqa"); matched loosely (see [`strip_article`]).
const ARTICLES: &[&str] = &[
    "al ", "el ", "ad ", "adh ", "ar ", "as ", "ash ", "at ", "ath ", "az ", "an ",
];

/// Words around a place name that only say where near it the event was ("Near X",
/// "outskirts of X", "village of X"), folded.
const PLACE_PREFIXES: &[&str] = &[
    "in the vicinity of ",
    "the vicinity of ",
    "vicinity of ",
    "on the outskirts of ",
    "the outskirts of ",
    "outskirts of ",
    "near ",
    "nearby ",
    "close to ",
    "around ",
    "the village of ",
    "village of ",
    "the town of ",
    "town of ",
    "the city of ",
    "city of ",
    "settlement of ",
    "поблизу ",
    "біля ",
    "околиці ",
    "около ",
    "возле ",
    "село ",
    "селище ",
    "смт ",
    "пгт ",
    "місто ",
    "город ",
    "м ",
    "с ",
];

/// Words after a place name that name its kind or surroundings ("X city", "X outskirts",
/// "X raion"): the place itself is meant.
const PLACE_SUFFIXES: &[&str] = &[
    " outskirts",
    " vicinity",
    " environs",
    " surroundings",
    " area",
    " city district",
    " city",
    " town",
    " village",
    " settlement",
    " district",
    " raion",
    " rayon",
    " район",
    " р н",
    " місто",
    " город",
];

/// Words after a name that make it a first-level region ("Kharkiv Oblast", "Khartoum State",
/// "Донецька область").
const REGION_SUFFIXES: &[&str] = &[
    " oblast",
    " oblasti",
    " region",
    " province",
    " governorate",
    " state",
    " krai",
    " kray",
    " prefecture",
    " область",
    " обл",
    " край",
];

/// Words before a name that make it a first-level region ("Governorate of Aleppo").
const REGION_PREFIXES: &[&str] = &[
    "governorate of ",
    "province of ",
    "state of ",
    "region of ",
    "muhafazat ",
    "muhafazah ",
    "wilayat ",
    "محافظه ",
];

/// Extra suffixes a region's own name may carry in the data ("Kyiv City", "Kiev City") and
/// that a record usually leaves out.
const REGION_NAME_SUFFIXES: &[&str] = &[" city", " municipality", " capital district"];

/// The word lists above, folded (so "city" is matched as "citi", "village" as "vilage"),
/// made once.
struct Folded {
    articles: Vec<String>,
    place_prefixes: Vec<String>,
    place_suffixes: Vec<String>,
    region_suffixes: Vec<String>,
    region_prefixes: Vec<String>,
    region_name_suffixes: Vec<String>,
    kind_words: Vec<String>,
}

fn folded() -> &'static Folded {
    static FOLDED: std::sync::OnceLock<Folded> = std::sync::OnceLock::new();
    FOLDED.get_or_init(|| {
        let f = |list: &[&str]| list.iter().map(|w| fold(w)).collect();
        Folded {
            articles: f(ARTICLES),
            place_prefixes: f(PLACE_PREFIXES),
            place_suffixes: f(PLACE_SUFFIXES),
            region_suffixes: f(REGION_SUFFIXES),
            region_prefixes: f(REGION_PREFIXES),
            region_name_suffixes: f(REGION_NAME_SUFFIXES),
            kind_words: f(KIND_WORDS),
        }
    })
}

/// What follows `word` and a space at the start of `key`.
fn after_word<'a>(key: &'a str, word: &str) -> Option<&'a str> {
    key.strip_prefix(word)?.strip_prefix(' ')
}

/// What precedes a space and `word` at the end of `key`.
fn before_word<'a>(key: &'a str, word: &str) -> Option<&'a str> {
    key.strip_suffix(word)?.strip_suffix(' ')
}

/// Fold a name to its matching key: lower case; Latin letters without diacritics
/// (deunicode); Cyrillic and Arabic letters kept as letters of their script (Arabic without
/// vowel marks, alef/yeh/teh marbuta forms unified); other scripts transliterated;
/// apostrophes removed; hyphens, dots and other punctuation → one space. Then Ukrainian and
/// Arabic transliteration variants: `y` is `i`, doubled Latin letters are one
/// (Kryvyi/Kryvyy, Sanaa/Sana, Kyiv/Kyyiv), `zhzh` is `zh` (Zaporizhzhia/Zaporizhia).
pub fn fold(name: &str) -> String {
    let mut out = String::with_capacity(name.len() + 4);
    fold_into(name, &mut out);
    out
}

/// [`fold`] `name`, appended to `out` (text search folds a million records' texts into one
/// buffer, with no string of its own per text). What `out` held before is left as it was;
/// a space or nothing before the appended text folds it as [`fold`] folds it alone.
pub fn fold_into(name: &str, out: &mut String) {
    let start = out.len();
    let bytes = name.as_bytes();
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        if b.is_ascii() {
            push_ascii(out, b, start);
            i += 1;
            continue;
        }
        let Some(c) = name.get(i..).and_then(|rest| rest.chars().next()) else {
            break;
        };
        push_folded(out, c, start);
        i += c.len_utf8();
    }
    while out.len() > start && out.ends_with(' ') {
        out.pop();
    }
    if out[start..].contains("zhzh") {
        let fixed = out[start..].replace("zhzh", "zh");
        out.truncate(start);
        out.push_str(&fixed);
    }
}

/// Typographic apostrophes and quotes (removed, like `'`).
fn is_apostrophe(c: char) -> bool {
    matches!(
        c,
        '’' | '‘' | 'ʼ' | 'ʻ' | 'ʽ' | 'ʹ' | '´' | '′' | '″' | '“' | '”' | '„' | '«' | '»'
    )
}

/// Append folded `c` (not ASCII) to `out`, whose folded text began at `start`.
fn push_folded(out: &mut String, c: char, start: usize) {
    if is_apostrophe(c) {
        return;
    }
    match u32::from(c) {
        0x0400..=0x052F => {
            for l in c.to_lowercase() {
                out.push(match l {
                    'ё' => 'е',
                    'ґ' => 'г',
                    _ => l,
                });
            }
        }
        0x0600..=0x06FF | 0x0750..=0x077F | 0x08A0..=0x08FF => push_arabic(out, c, start),
        _ if c.is_whitespace() => push_ascii(out, b' ', start),
        _ => {
            if let Some(t) = deunicode::deunicode_char(c) {
                for b in t.bytes() {
                    push_ascii(out, b, start);
                }
            }
        }
    }
}

/// What [`push_ascii`] makes of each ASCII byte: the folded letter or digit, [`SKIP`]
/// (apostrophes and quotes) or a space (any other byte: punctuation, whitespace).
const ASCII_FOLD: [u8; 128] = {
    let mut t = [b' '; 128];
    let mut b = 0;
    while b < 128 {
        let l = (b as u8).to_ascii_lowercase();
        t[b] = match l {
            b'y' => b'i',
            b'a'..=b'z' | b'0'..=b'9' => l,
            b'\'' | b'`' | b'"' => SKIP,
            _ => b' ',
        };
        b += 1;
    }
    t
};

/// An ASCII byte [`fold`] drops.
const SKIP: u8 = 0;

/// Append folded ASCII byte `b` to `out`, whose folded text began at `start`: a doubled
/// letter is written once, a run of separators as one space, none at the start.
#[inline]
fn push_ascii(out: &mut String, b: u8, start: usize) {
    let f = ASCII_FOLD.get(usize::from(b)).copied().unwrap_or(b' ');
    let last = if out.len() > start {
        out.as_bytes().last().copied()
    } else {
        None
    };
    match f {
        SKIP => {}
        b' ' => {
            if last.is_some_and(|l| l != b' ') {
                out.push(' ');
            }
        }
        _ => {
            if f.is_ascii_alphabetic() && last == Some(f) {
                return;
            }
            out.push(char::from(f));
        }
    }
}

fn push_arabic(out: &mut String, c: char, start: usize) {
    let c = match u32::from(c) {
        // Vowel marks, tatweel, superscript alef.
        0x064B..=0x065F | 0x0640 | 0x0670 => return,
        // Comma, semicolon, question mark.
        0x060C | 0x061B | 0x061F => {
            push_ascii(out, b' ', start);
            return;
        }
        0x0622 | 0x0623 | 0x0625 | 0x0671 => 'ا',
        0x0649 | 0x06CC => 'ي',
        0x0629 => 'ه',
        0x06A9 => 'ك',
        _ => c,
    };
    out.push(c);
}

/// The folded name without a leading Arabic article ("al fashir" → "fashir", "الموصل" →
/// "موصل"), if it has one and something of substance follows.
pub fn strip_article(key: &str) -> Option<&str> {
    if let Some(rest) = key.strip_prefix("ال")
        && rest.chars().count() >= 2
    {
        return Some(rest);
    }
    folded()
        .articles
        .iter()
        .find_map(|a| after_word(key, a))
        .filter(|rest| rest.len() >= 3)
}

/// The key under which names with an article are also indexed without it (`~fashir` for
/// "Al Fashir"), so "Fasher" and "El Fashir" find El Fasher only when nothing matches exactly.
pub fn loose_key(stripped: &str) -> String {
    let mut k = String::with_capacity(stripped.len() + 1);
    k.push('~');
    k.push_str(stripped);
    k
}

/// A folded region name without its kind ("kharkiv oblast" → "kharkiv", "kyiv city" →
/// "kyiv"), for indexing regions under the short name records use.
pub fn strip_region_kind(key: &str) -> Option<&str> {
    let f = folded();
    f.region_suffixes
        .iter()
        .chain(&f.region_name_suffixes)
        .find_map(|s| before_word(key, s))
        .or_else(|| f.region_prefixes.iter().find_map(|p| after_word(key, p)))
        .map(str::trim)
        .filter(|r| !r.is_empty())
}

/// How a name read from a place field is to be matched.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NameKind {
    /// As written: a country, place or region of that name.
    AsWritten,
    /// A place (a qualifier such as "near" or "city" was taken off).
    Place,
    /// A first-level region ("oblast", "governorate", ... was taken off).
    Region,
}

/// A place field read into names to try, in order, and region/country hints.
#[derive(Clone, Debug, Default)]
pub struct PlaceQuery {
    /// Folded names to try, most literal first.
    pub names: Vec<(String, NameKind)>,
    /// Texts (as written, trimmed) that may name the region or country: what followed a
    /// comma ("Mosul, Iraq") or stood in parentheses ("Mykolaivka (Donetsk Oblast)").
    pub hints: Vec<String>,
}

/// Qualifiers that may stand in parentheses after a place and say only what kind it is.
const KIND_WORDS: &[&str] = &[
    "city",
    "town",
    "village",
    "settlement",
    "district",
    "raion",
    "rayon",
    "urban",
    "smt",
    "місто",
    "село",
    "смт",
    "город",
];

/// Read a place field: parentheses and comma-separated parts become hints, and the name is
/// tried as written, then without "near"/"outskirts of"/"city"/... qualifiers, then without a
/// region kind ("oblast", "governorate").
pub fn parse_place(raw: &str) -> PlaceQuery {
    let mut q = PlaceQuery::default();
    let mut main = String::with_capacity(raw.len());
    let mut rest = raw;
    let mut region_in_parens = false;
    while let Some(open) = rest.find('(') {
        main.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        let close = after.find(')').unwrap_or(after.len());
        let inner = fold(&after[..close]);
        if folded().region_suffixes.contains(&inner) {
            region_in_parens = true;
        } else if !inner.is_empty() && !folded().kind_words.contains(&inner) {
            q.hints.push(after[..close].trim().to_owned());
        }
        rest = after.get(close + 1..).unwrap_or("");
    }
    main.push_str(rest);
    let mut parts = main.split([',', '،', ';']);
    let first = fold(parts.next().unwrap_or(""));
    q.hints.extend(
        parts
            .map(str::trim)
            .filter(|h| !h.is_empty())
            .map(str::to_owned),
    );
    if first.is_empty() {
        return q;
    }
    let kind = if region_in_parens {
        NameKind::Region
    } else {
        NameKind::AsWritten
    };
    push_name(&mut q.names, first.clone(), kind);
    let place = strip_place_qualifiers(&first);
    if place != first {
        push_name(&mut q.names, place.to_owned(), NameKind::Place);
    }
    if let Some(region) = strip_region_kind(place) {
        push_name(&mut q.names, region.to_owned(), NameKind::Region);
    }
    q
}

fn push_name(names: &mut Vec<(String, NameKind)>, name: String, kind: NameKind) {
    if !name.is_empty() && !names.iter().any(|(n, k)| *n == name && *k == kind) {
        names.push((name, kind));
    }
}

/// Take "near", "outskirts of", "X city", "X raion", ... off a folded name (repeatedly:
/// "near the outskirts of X"), keeping at least one word.
pub fn strip_place_qualifiers(key: &str) -> &str {
    let mut k = key;
    loop {
        let before = k;
        let f = folded();
        if let Some(r) = f.place_prefixes.iter().find_map(|p| after_word(k, p))
            && !r.trim().is_empty()
        {
            k = r.trim();
        }
        if let Some(r) = f.place_suffixes.iter().find_map(|s| before_word(k, s))
            && !r.trim().is_empty()
        {
            k = r.trim();
        }
        if k == before {
            return k;
        }
    }
}

/// A folded region name (record's admin1 field) and its variants to try: as written, then
/// without its kind ("donetsk oblast" → "donetsk").
pub fn region_variants(raw: &str) -> Vec<String> {
    let key = fold(raw);
    let mut out = vec![key.clone()];
    if let Some(short) = strip_region_kind(&key) {
        out.push(short.to_owned());
    }
    out.retain(|k| !k.is_empty());
    out
}

/// Whether a name is written in scripts the world gazetteer keeps (Latin, Cyrillic, Arabic:
/// one of them, not mixed); digits and punctuation don't count.
pub fn kept_script(name: &str) -> bool {
    let (mut latin, mut cyrillic, mut arabic) = (false, false, false);
    for c in name.chars().filter(|c| c.is_alphabetic()) {
        match u32::from(c) {
            0x0041..=0x024F | 0x1E00..=0x1EFF => latin = true,
            0x0400..=0x052F => cyrillic = true,
            0x0600..=0x06FF | 0x0750..=0x077F | 0x08A0..=0x08FF => arabic = true,
            _ => return false,
        }
    }
    usize::from(latin) + usize::from(cyrillic) + usize::from(arabic) == 1
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folding_into_a_buffer_folds_each_text_as_alone() {
        let texts = [
            "  Kyiv   City ",
            "--Odesa, port!",
            "Zaporizhzhia",
            "Sana'a",
            "llama",
            "Харків",
            "الْمَوْصِل، بغزة",
            "",
            "?!",
            "Kramatórsk «Ivano-Frankivs'k»",
        ];
        let mut out = String::from("earlier");
        let mut want = out.clone();
        for t in texts {
            out.push(' ');
            want.push(' ');
            fold_into(t, &mut out);
            want.push_str(&fold(t));
        }
        assert_eq!(out, want);
        assert_eq!(fold("--Odesa, port!"), "odesa port");
        assert_eq!(fold("llama"), "lama");
    }

    #[test]
    fn folding_unifies_spellings() {
        assert_eq!(fold("Kryvyi Rih"), fold("Kryvyy Rih"));
        assert_eq!(fold("Zaporizhzhia"), fold("Zaporizhzhya"));
        assert_eq!(fold("Zaporizhia"), fold("Zaporizhzhia"));
        assert_eq!(fold("Sana'a"), fold("Sanaa"));
        assert_eq!(fold("Sanaa"), fold("Sana"));
        assert_eq!(fold("Şan‘ā’"), "sana");
        assert_eq!(fold("Kramatórsk"), "kramatorsk");
        assert_eq!(fold("Al-Fāshir"), "al fashir");
        assert_eq!(fold("  Kyiv   City "), "kiv citi");
        assert_eq!(fold("Харків"), "харків");
        assert_eq!(fold("Ґаза"), fold("Газа"));
        assert_eq!(fold("الْمَوْصِل"), "الموصل");
        assert_eq!(fold("Ivano-Frankivs'k"), "ivano frankivsk");
    }

    #[test]
    fn articles_and_qualifiers_come_off() {
        assert_eq!(strip_article("al fashir"), Some("fashir"));
        assert_eq!(strip_article("el fasher"), Some("fasher"));
        assert_eq!(strip_article("الموصل"), Some("موصل"));
        assert_eq!(strip_article("as"), None);
        assert_eq!(strip_article("alep"), None);
        assert_eq!(strip_place_qualifiers("near mosul"), "mosul");
        assert_eq!(strip_place_qualifiers("outskirts of kharkiv"), "kharkiv");
        assert_eq!(strip_place_qualifiers("kharkiv outskirts"), "kharkiv");
        assert_eq!(strip_place_qualifiers("near"), "near");
        assert_eq!(strip_region_kind("kharkiv oblast"), Some("kharkiv"));
        assert_eq!(strip_region_kind("донецька область"), Some("донецька"));
        let q = parse_place("Kherson (city)");
        assert_eq!(q.names[0].0, "kherson");
        assert!(q.hints.is_empty());
        let q = parse_place("Mosul, Iraq");
        assert_eq!(q.names[0].0, "mosul");
        assert_eq!(q.hints, vec!["Iraq".to_owned()]);
        let q = parse_place("Mykolaivka (Donetsk Oblast)");
        assert_eq!(q.hints, vec!["Donetsk Oblast".to_owned()]);
        assert_eq!(
            strip_place_qualifiers(&fold("the village of Bucha")),
            "bucha"
        );
        assert_eq!(strip_place_qualifiers("kherson citi"), "kherson");
        let q = parse_place("Kharkiv Oblast");
        assert_eq!(
            q.names.last().unwrap(),
            &("kharkiv".to_owned(), NameKind::Region)
        );
    }

    #[test]
    fn scripts() {
        assert!(kept_script("Kharkiv") && kept_script("Харків") && kept_script("الموصل"));
        assert!(kept_script("Ḩalab") && kept_script("Al-Fašir"));
        assert!(!kept_script("Μοσούλη") && !kept_script("מוסול") && !kept_script("askalڈs"));
        assert!(!kept_script("123"));
    }
}
