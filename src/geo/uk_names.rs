//! Choosing the current Ukrainian name of a place from GeoNames' alternate names, which carry
//! no language: among them are Russian, Belarusian, Crimean Tatar, historical and Soviet-era
//! names (Ворошиловград for Luhansk, Єлизаветград for Kropyvnytskyi), so "the first Cyrillic
//! name" or "one with an і" picks wrong and politically loaded names.
//!
//! The rule: a Cyrillic alternate whose official Ukrainian romanisation (the national system of
//! 2010, Cabinet of Ministers resolution No. 55) gives the place's Latin name (or one of its
//! Latin alternates) is its Ukrainian name. GeoNames' Latin names of Ukrainian places follow
//! that system (Kyiv, Kharkiv, Kropyvnytskyi), so this picks the current official name. Where
//! none matches exactly, the closest Ukrainian-looking alternate by edit distance is taken,
//! but only when it is close (a historical name is never close). For places outside Ukraine
//! the Ukrainian exonym is preferred where one exists (Бєлгород), else the local Cyrillic name
//! that romanises to the Latin one (Москва).

/// Letters only Ukrainian uses among the Cyrillic alphabets of the region.
const UKRAINIAN_ONLY: &str = "іїєґІЇЄҐ";
/// Letters Ukrainian does not use (Russian ы э ъ ё, Belarusian ў, and others).
const NOT_UKRAINIAN: &str = "ыэъёўЫЭЪЁЎ";

/// Official Ukrainian romanisation (2010) of one lower-case letter; `initial` at the start of
/// a word, where є ї й ю я are written ye yi y yu ya.
fn kmu_letter(c: char, initial: bool) -> &'static str {
    match (c, initial) {
        ('ь', _) => "",
        ('є', true) => "ye",
        ('є', false) => "ie",
        ('ї', true) => "yi",
        ('ї', false) => "i",
        ('й', true) => "y",
        ('й', false) => "i",
        ('ю', true) => "yu",
        ('ю', false) => "iu",
        ('я', true) => "ya",
        ('я', false) => "ia",
        ('а', _) => "a",
        ('б', _) => "b",
        ('в', _) => "v",
        ('г', _) => "h",
        ('ґ', _) => "g",
        ('д', _) => "d",
        ('е', _) => "e",
        ('ж', _) => "zh",
        ('з', _) => "z",
        ('и', _) => "y",
        ('і', _) => "i",
        ('к', _) => "k",
        ('л', _) => "l",
        ('м', _) => "m",
        ('н', _) => "n",
        ('о', _) => "o",
        ('п', _) => "p",
        ('р', _) => "r",
        ('с', _) => "s",
        ('т', _) => "t",
        ('у', _) => "u",
        ('ф', _) => "f",
        ('х', _) => "kh",
        ('ц', _) => "ts",
        ('ч', _) => "ch",
        ('ш', _) => "sh",
        ('щ', _) => "shch",
        _ => "",
    }
}

/// BGN/PCGN romanisation of one lower-case Russian letter (for comparing Russian names with
/// their Latin form).
fn russian_letter(c: char) -> &'static str {
    match c {
        'г' => "g",
        'и' => "i",
        'й' => "y",
        'е' | 'ё' | 'э' => "e",
        'ы' => "y",
        'ю' => "yu",
        'я' => "ya",
        'ъ' | 'ь' => "",
        c => kmu_letter(c, false),
    }
}

/// The official Ukrainian romanisation of `name`, lower case, without apostrophes and soft
/// signs, hyphens as spaces. Letters outside Cyrillic are kept (lower-cased).
pub fn romanise_uk(name: &str) -> String {
    romanise(name, true)
}

/// [`romanise_uk`], or with Russian letter values when `ukrainian` is false.
fn romanise(name: &str, ukrainian: bool) -> String {
    let mut out = String::with_capacity(name.len() * 2);
    let mut initial = true;
    let lower: Vec<char> = name.chars().flat_map(char::to_lowercase).collect();
    for (k, &c) in lower.iter().enumerate() {
        if c.is_alphabetic() && ('\u{400}'..='\u{4ff}').contains(&c) {
            // зг is written zgh, so it is not read as the digraph zh.
            if !ukrainian {
                out.push_str(russian_letter(c));
            } else if c == 'г' && k > 0 && lower[k - 1] == 'з' {
                out.push_str("gh");
            } else {
                out.push_str(kmu_letter(c, initial));
            }
            initial = false;
        } else if c.is_alphanumeric() {
            out.push(c);
            initial = false;
        } else if matches!(c, '-' | ' ' | '.') {
            out.push(' ');
            initial = true;
        }
        // Apostrophes (' ’ ʼ) and anything else are dropped without ending the word.
    }
    out
}

/// A Latin name folded for comparison: lower case, no apostrophes or diacritics, hyphens as
/// spaces.
fn fold_latin(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    for c in name.chars().flat_map(char::to_lowercase) {
        match c {
            'a'..='z' | '0'..='9' => out.push(c),
            '-' | ' ' | '.' => out.push(' '),
            'á' | 'à' | 'â' | 'ä' | 'ã' | 'ą' => out.push('a'),
            'é' | 'è' | 'ê' | 'ë' | 'ė' | 'ę' => out.push('e'),
            'í' | 'ì' | 'î' | 'ï' => out.push('i'),
            'ó' | 'ò' | 'ô' | 'ö' | 'õ' => out.push('o'),
            'ú' | 'ù' | 'û' | 'ü' => out.push('u'),
            'ý' | 'ÿ' => out.push('y'),
            'č' | 'ć' => out.push('c'),
            'š' | 'ś' => out.push('s'),
            'ž' | 'ź' | 'ż' => out.push('z'),
            'ł' => out.push('l'),
            'ń' => out.push('n'),
            _ => {}
        }
    }
    out
}

/// Whether every letter of `s` is Cyrillic (and there is at least one).
fn is_cyrillic(s: &str) -> bool {
    s.chars().any(char::is_alphabetic)
        && s.chars()
            .all(|c| !c.is_alphabetic() || ('\u{400}'..='\u{4ff}').contains(&c))
}

/// Whether a Cyrillic name could be Ukrainian (no letter Ukrainian lacks).
fn could_be_ukrainian(s: &str) -> bool {
    let lower = s.to_lowercase();
    // Ukrainian writes no soft sign after a hushing consonant (Керч, not Russian Керчь).
    !s.chars().any(|c| NOT_UKRAINIAN.contains(c))
        && !["чь", "шь", "щь", "жь"].iter().any(|p| lower.contains(p))
}

/// Whether a Cyrillic name is written with a letter only Ukrainian uses.
fn has_ukrainian_letter(s: &str) -> bool {
    s.chars().any(|c| UKRAINIAN_ONLY.contains(c))
}

/// The Ukrainian name of a place called `name` (GeoNames' Latin name) in `country` (ISO 3166
/// alpha-2), from its `|`-separated `alternates`; `None` when no alternate can be trusted to be
/// the current Ukrainian name (the Latin name is shown instead).
pub fn ukrainian_name(name: &str, country: &str, alternates: &str) -> Option<String> {
    let names: Vec<&str> = alternates.split('|').filter(|n| !n.is_empty()).collect();
    let cyrillic: Vec<&str> = names.iter().copied().filter(|n| is_cyrillic(n)).collect();
    if cyrillic.is_empty() {
        return None;
    }
    let primary = fold_latin(name);
    let latin: Vec<String> = std::iter::once(primary.clone())
        .chain(
            names
                .iter()
                .filter(|n| !is_cyrillic(n))
                .map(|n| fold_latin(n)),
        )
        .filter(|n| !n.is_empty())
        .collect();
    let ukrainian_candidates = cyrillic.iter().copied().filter(|c| could_be_ukrainian(c));
    // How a candidate ranks among equals: a Ukrainian letter first, then the longer form
    // (the Ukrainian keeps the soft sign and apostrophe the Russian drops: Луганськ/Луганск,
    // Хмельницький/Хмельницкий, Умань/Уман).
    let rank = |c: &str| {
        (
            !has_ukrainian_letter(c),
            std::cmp::Reverse(c.chars().count()),
        )
    };
    // A district is listed as "Дніпровський район": compared without the word.
    let bare = |c: &str| {
        let r = romanise(c, true);
        r.strip_suffix(" raion").map(str::to_owned).unwrap_or(r)
    };
    // 1. Romanises exactly to the Latin name.
    let exact = |target: &str| {
        ukrainian_candidates
            .clone()
            .filter(|c| bare(c) == target)
            .min_by_key(|c| rank(c))
            .map(str::to_owned)
    };
    if let Some(n) = exact(&primary) {
        return Some(n);
    }
    // 2. The closest Ukrainian-looking name, if it is close to the Latin name: a spelling
    //    variant (Zaporizhzhya, Kryvyy Rih), never another name (Ворошиловград). Outside
    //    Ukraine only names with a Ukrainian letter count as exonyms (Бєлгород).
    let best = ukrainian_candidates
        .clone()
        .filter(|c| country == "UA" || has_ukrainian_letter(c))
        .filter_map(|c| close(&bare(c), &primary).map(|d| (d, rank(c), c)))
        .min();
    if let Some((_, _, c)) = best {
        return Some(c.to_owned());
    }
    // (Latin alternates are not trusted for Ukrainian places: they hold old names in their
    // own romanisation, Dniprodzerzhynsk for Kamianske.)
    // Where Cyrillic is not the local script (Moldova, Romania, Poland…), no Ukrainian
    // exonym means the Latin name, not a Russian one (Ясы for Iași).
    const CYRILLIC_SCRIPT: [&str; 9] = ["RU", "BY", "BG", "RS", "MK", "ME", "KZ", "KG", "MN"];
    if country == "UA" || !CYRILLIC_SCRIPT.contains(&country) {
        return None;
    }
    // 3. Abroad without a Ukrainian exonym: the local Cyrillic name that romanises (Russian
    //    letter values) closest to the Latin name or, failing that, to a Latin alternate
    //    (Moscow: Moskva, Москва).
    latin.iter().find_map(|l| {
        cyrillic
            .iter()
            .filter_map(|c| close(&romanise(c, false), l).map(|d| (d, *c)))
            .min()
            .map(|(_, c)| c.to_owned())
    })
}

/// Edit distance of two romanised names compared by their sound skeleton (h = g, y = i, so
/// Ukrainian and Russian spellings of one name are near), when within a quarter of the
/// length; `None` when they are different names.
fn close(a: &str, b: &str) -> Option<usize> {
    let skeleton = |s: &str| -> String {
        s.chars()
            .map(|c| match c {
                'h' => 'g',
                'y' => 'i',
                c => c,
            })
            .collect()
    };
    let d = strsim::levenshtein(&skeleton(a), &skeleton(b));
    (d * 4 <= b.chars().count().max(4)).then_some(d)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn romanises_as_the_2010_system() {
        assert_eq!(romanise_uk("Київ"), "kyiv");
        assert_eq!(romanise_uk("Запоріжжя"), "zaporizhzhia");
        assert_eq!(romanise_uk("Кропивницький"), "kropyvnytskyi");
        assert_eq!(romanise_uk("Згурівка"), "zghurivka");
        assert_eq!(romanise_uk("Ярмолинці"), "yarmolyntsi");
        assert_eq!(romanise_uk("Кам’янське"), "kamianske");
        assert_eq!(romanise_uk("Біла Церква"), "bila tserkva");
    }

    #[test]
    fn picks_the_current_official_name_not_a_historical_or_foreign_one() {
        // Alternates as GeoNames lists them (abridged), wrong names first.
        let cases = [
            (
                "Poltava",
                "UA",
                "Baltavar|Балтавар|Poltawa|Полтава",
                "Полтава",
            ),
            (
                "Luhansk",
                "UA",
                "Voroshilovgrad|Ворошиловград|Луганск|Луганськ",
                "Луганськ",
            ),
            (
                "Kropyvnytskyi",
                "UA",
                "Kirovohrad|Єлизаветград|Кировоград|Кропивницький|Кіровоград",
                "Кропивницький",
            ),
            (
                "Chernihiv",
                "UA",
                "Chernigov|Чернігаў|Чернигов|Чернігів",
                "Чернігів",
            ),
            ("Odesa", "UA", "Odessa|Коцюбіїв|Одесса|Одеса", "Одеса"),
            ("Sevastopol", "UA", "Akyar|Акъяр|Севастополь", "Севастополь"),
            (
                "Zaporizhzhya",
                "UA",
                "Zaporizhzhia|Запорожье|Запоріжжя",
                "Запоріжжя",
            ),
            (
                "Belgorod",
                "RU",
                "Belgorod|Белгород|Бєлгород|Białogród",
                "Бєлгород",
            ),
            ("Moscow", "RU", "Moskva|Москва|Масква", "Москва"),
        ];
        for (name, country, alts, want) in cases {
            assert_eq!(
                ukrainian_name(name, country, alts).as_deref(),
                Some(want),
                "{name}"
            );
        }
        assert_eq!(ukrainian_name("Moskva", "RU", "Moskva|Moscou"), None);
        // Abroad where Cyrillic is not the local script: no Russian name for want of a
        // Ukrainian one.
        assert_eq!(ukrainian_name("Iasi", "RO", "Iasi|Jassy|Ясы"), None);
        // Only a historical name on offer: better the Latin label than a wrong one.
        assert_eq!(ukrainian_name("Donetsk", "UA", "Stalino|Донбас-сіті"), None);
    }
}
